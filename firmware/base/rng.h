/* rng.h - the random generator: CTR_DRBG (AES-256) seeded from the OS.
 *
 * Ballot ids, key generation and ECDSA blinding take their randomness here.
 * A generator is not thread-safe: one per thread. */
#ifndef RNG_H
#define RNG_H

#include <stddef.h>
#include <stdint.h>

typedef struct rng_s rng_t;

/* A generator seeded from the operating system's entropy (getrandom /
 * /dev/urandom through mbedTLS's entropy module), with prediction
 * resistance off and automatic reseeding. BN_ERNG if no entropy. */
int rng_open(rng_t **out);

/* A deterministic generator for tests and test vectors only: the same
 * seed gives the same bytes, on every machine. Never used by programs. */
int rng_open_fixed(rng_t **out, const uint8_t *seed, size_t seedlen);

/* Fills out[n]. BN_ERNG on failure (then out must not be used). */
int rng_bytes(rng_t *r, uint8_t *out, size_t n);

/* The generator as an mbedTLS f_rng callback (p_rng is the rng_t *). */
int rng_mbedtls(void *p_rng, unsigned char *out, size_t n);

/* Frees the generator and wipes its state; NULL is accepted. */
void rng_close(rng_t *r);

#endif
