/* sigcheck.h - ECDSA P-256 verification with OpenSSL's libcrypto, for bulk
 * verification in the tally (docs/results.md, "Why libcrypto in the tally").
 *
 * Same contract as firmware/crypto/key.c key_verify (the reference, mbedTLS): a
 * 64-byte r || s signature over a SHA-256 digest, refused unless it is the
 * low-s form (s <= n/2) with 1 <= r, s < n, so that exactly one signature
 * per message and key is accepted; and sigcheck_ballot is ballot_verify:
 * strict decoding, the ballot's kiosk key id must be the key's, then the
 * signature over bytes 0..len-64. tests/tally/test_sigcheck.c checks that
 * both agree on valid, tampered, high-s and foreign signatures.
 *
 * A sigcheck_key_t holds an OpenSSL context: one thread at a time uses it. */
#ifndef TALLY_SIGCHECK_H
#define TALLY_SIGCHECK_H

#include <stddef.h>
#include <stdint.h>

#include "key.h"

typedef struct sigcheck_key_s sigcheck_key_t;

/* A verification key from a public key (its point). BN_EKEY, BN_ENOMEM. */
int sigcheck_key(const key_pub_t *pub, sigcheck_key_t **out);
void sigcheck_key_free(sigcheck_key_t *k);

/* 0, or BN_EBADSIG for anything but the valid low-s signature of `digest`. */
int sigcheck_digest(const sigcheck_key_t *k, const uint8_t digest[32], const uint8_t sig[KEY_SIG_LEN]);

/* The signature over SHA-256(msg[0..len)). */
int sigcheck_msg(const sigcheck_key_t *k, const void *msg, size_t len, const uint8_t sig[KEY_SIG_LEN]);

/* ballot_verify with this key: BN_EFORMAT, BN_EWRONGKEY, BN_EBADSIG or 0. */
int sigcheck_ballot(const sigcheck_key_t *k, const uint8_t *buf, size_t len);

#endif
