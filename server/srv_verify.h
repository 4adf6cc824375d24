/* srv_verify.h - bulk verification of a bundle on every core, with OpenSSL.
 *
 * The same checks as bundle_verify() (firmware/formats/bundle.h), in the same order
 * and with the same error codes, except that the ECDSA verifications of the
 * bundle, its ballots, its petition signature records and its reports run
 * through OpenSSL's libcrypto,
 * spread over `threads` threads (docs/architecture.md, "Server": mbedTLS
 * verifies P-256 about 30 times slower on this machine). Certificates are
 * still checked by cert_verify (mbedTLS), once per bundle. (VERIFY-V1) Equivalence with bundle_verify is tested by
 * test_server (every bit of a bundle flipped: both accept or both refuse). */
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

/* One signature r || s (low-s form only, as key_verify) over SHA-256(msg),
 * with OpenSSL. 0 or BN_EBADSIG. */
int srv_verify_msg(const key_pub_t *p, const uint8_t *msg, size_t len, const uint8_t sig[64]);

#endif
