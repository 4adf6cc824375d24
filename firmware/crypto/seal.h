/* seal.h - a secret sealed to a P-256 public key (ECIES).
 *
 * An ephemeral key pair, ECDH with the recipient's key, HKDF-SHA256 (salt:
 * the ephemeral point then the recipient's point; info: the caller's label)
 * giving an AES-256-GCM key and nonce, the caller's additional data
 * authenticated. Only the holder of the recipient's private key opens it:
 * borne-admin seals each campaign's pseudonym secret to one kiosk's key in
 * its provisioning bundle (docs/formats.md, "Provisioning bundle").
 *
 *   OFFSET  SIZE  FIELD
 *   0       65    ephemeral public key, uncompressed
 *   65      n     ciphertext
 *   65+n    16    GCM tag */
#ifndef SEAL_H
#define SEAL_H

#include <stddef.h>
#include <stdint.h>

#include "key.h"
#include "rng.h"

#define SEAL_OVERHEAD (KEY_PUB_LEN + 16)

/* out[len + SEAL_OVERHEAD]. BN_EKEY (not a P-256 point), BN_ERNG, BN_ECRYPTO. */
int seal_to(const key_pub_t *to, const char *label, const uint8_t *aad, size_t aadlen,
            const uint8_t *pt, size_t len, rng_t *rng, uint8_t *out);

/* pt[inlen - SEAL_OVERHEAD]. BN_EFORMAT (too short, not a point), BN_EBADSIG
 * (another key, another label or aad, or altered). */
int seal_open(key_pair_t *k, const char *label, const uint8_t *aad, size_t aadlen,
              const uint8_t *in, size_t inlen, uint8_t *pt);

#endif
