/* tpm.h - the kiosk's signing key inside a TPM 2.0 (issue 18, section 4),
 * through tpm2-tss's ESAPI; the same signer interface as a key in a file
 * (key.h), so the cast path does not know which one signs.
 *
 * (TPM-T1) The key is an ECC P-256 key (ECDSA-SHA256 signatures, ECDH) made by the TPM
 *      itself (sensitiveDataOrigin), bound to it (fixedTPM, fixedParent):
 *      its private part never leaves the chip, in any form. It is a primary
 *      key of the owner hierarchy, derived from the TPM's seed and a fixed
 *      template (its unique field "borne kiosk key v2"): asking again gives
 *      the same key, so nothing of it is stored on the disk; clearing the
 *      TPM (a new owner seed) makes another, and the kiosk must be enrolled
 *      again. A thief of the disk gets no key; a thief of the whole machine
 *      can sign with it while it runs, until it is revoked (CERT-R1).
 * (TPM-T2) A kiosk whose TPM fails to sign (a reset, a fault) refuses the
 *      cast with BN_ECRYPTO: nothing is written (CAST-C2 signs before the
 *      transaction).
 * (TPM-T3) The owner hierarchy's password is empty: the key is derived again
 *      at every start, and a password would have to sit on the disk beside
 *      the state, where it protects nothing the thief of the disk could use
 *      (the key never leaves the chip; whoever runs the machine can sign
 *      with it anyway). A TPM whose owner hierarchy has a password is
 *      refused with words that say so and how to remove it, never with a
 *      bare TPM code; the hierarchy's password is not protected against
 *      dictionary attacks by the TPM, so the refusals at each start lock
 *      nothing out. */
#ifndef TPM_H
#define TPM_H

#include <stddef.h>

#include "key.h"

typedef struct tpm_s tpm_t;

#define TPM_UNIQUE "borne kiosk key v2"

/* Opens the TPM that `tcti` names, in tpm2-tss's TCTI syntax:
 * "device:/dev/tpmrm0" (the kernel's resource manager, the kiosk's),
 * "swtpm:host=127.0.0.1,port=2321" (a software TPM, for tests); NULL: the
 * library's default. BN_EIO with the library's words when there is no TPM
 * there. */
int tpm_open(const char *tcti, tpm_t **out, char *why, size_t whylen);

/* Frees the key's handle and the connection; NULL is accepted. */
void tpm_close(tpm_t *t);

/* The kiosk's key (TPM-T1), made or found again, and a signer backed by it
 * (valid until tpm_close). BN_ECRYPTO with the TPM's words. The key signs
 * and agrees secrets (ECDH, for the seals of a provisioning bundle):
 * key_from_signer(&signer, tpm_ecdh, &pair) makes it a key pair. */
int tpm_key(tpm_t *t, signer_t *out, char *why, size_t whylen);

/* key_ecdh_fn of the TPM's key (ctx: the tpm_t), after tpm_key. */
int tpm_ecdh(void *ctx, const uint8_t peer[KEY_PUB_LEN], uint8_t z[32]);

#endif
