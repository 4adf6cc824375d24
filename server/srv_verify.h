/* srv_verify.h - bulk verification of a bundle on every core.
 *
 * The one verification core of bundle.h (bundle_open, then each item with
 * bundle_item_check), so the same checks as bundle_verify() in the same
 * order with the same codes and messages; the signatures through the OpenSSL
 * backend of sigverify.h, spread over `threads` threads (docs/architecture.md,
 * "Server": mbedTLS verifies P-256 about 30 times slower on this machine).
 * (VERIFY-V1) Equivalence with bundle_verify is tested by test_server (every
 * bit of a bundle flipped: both accept or both refuse). */
#ifndef SRV_VERIFY_H
#define SRV_VERIFY_H

#include <stddef.h>
#include <stdint.h>

#include "bundle.h"
#include "cert.h"

/* 0, or the BN_E* code bundle_verify would return, with the reason in why. */
int srv_verify_bundle(const uint8_t *buf, size_t len, const uint8_t *ca_der, size_t ca_len,
                      const cert_revoked_t *revoked, uint32_t today, int threads,
                      bundle_t *out, cert_info_t *kiosk, char *why, size_t whylen);

#endif
