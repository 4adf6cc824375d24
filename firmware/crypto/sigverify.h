/* sigverify.h - ECDSA P-256 signature verification: one contract, two
 * backends behind a tiny interface, as Redis's ae.c picks ae_epoll.c or
 * ae_kqueue.c.
 *
 * The contract (key.h): a 64-byte r || s over a SHA-256 digest is accepted
 * only when 1 <= r < n and 1 <= s <= n/2 (the low-s form, so exactly one
 * signature per message and key) and it verifies. The ranges are checked
 * here, once, for every backend; a backend only does the curve arithmetic:
 *   sigverify_mbedtls   this file, mbedTLS (the kiosk, and the reference)
 *   sigverify_openssl   sigverify_openssl.c, OpenSSL's libcrypto, about 30
 *                       times faster here: for bulk verification, in the
 *                       library firmware_bulk that borne-server and
 *                       borne-tally link (never the kiosk)
 * tests/unit/test_sigverify.c checks that both backends agree on valid,
 * tampered, high-s, out-of-range and foreign signatures.
 *
 * A key is used by one thread at a time (both backends keep scratch state
 * in it); make one per thread. */
#ifndef SIGVERIFY_H
#define SIGVERIFY_H

#include <stddef.h>
#include <stdint.h>

#include "key.h"

typedef struct sigverify_backend_s {
    const char *name;
    /* A backend key for `pub` into *state. BN_EKEY, BN_ENOMEM. */
    int (*key_new)(const key_pub_t *pub, void **state);
    void (*key_free)(void *state);
    /* 0 or BN_EBADSIG; the ranges of r and s are already checked. */
    int (*verify)(void *state, const uint8_t digest[32], const uint8_t sig[KEY_SIG_LEN]);
} sigverify_backend_t;

extern const sigverify_backend_t sigverify_mbedtls;

typedef struct sigverify_key_s sigverify_key_t;

/* A verification key of `pub` with backend `be`. BN_EKEY, BN_ENOMEM. */
int sigverify_key_new(const sigverify_backend_t *be, const key_pub_t *pub, sigverify_key_t **out);
void sigverify_key_free(sigverify_key_t *k);

/* The public key (and so its id) the key verifies for. */
const key_pub_t *sigverify_key_pub(const sigverify_key_t *k);

/* 0, or BN_EBADSIG for anything but the valid low-s signature of `digest`. */
int sigverify_digest(const sigverify_key_t *k, const uint8_t digest[32],
                     const uint8_t sig[KEY_SIG_LEN]);

/* The signature over SHA-256(msg[0..len)). */
int sigverify_msg(const sigverify_key_t *k, const void *msg, size_t len,
                  const uint8_t sig[KEY_SIG_LEN]);

/* 1 when 1 <= r < n and 1 <= s <= n/2. */
int sigverify_in_range(const uint8_t sig[KEY_SIG_LEN]);

#endif
