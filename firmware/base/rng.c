/* rng.c - CTR_DRBG (AES-256) seeded from the operating system, or from a
 * fixed seed for test vectors. */
#include "rng.h"

#include <stdlib.h>
#include <string.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/platform_util.h>
#include <mbedtls/sha256.h>

#include "bn_err.h"

struct rng_s {
    mbedtls_ctr_drbg_context drbg;
    mbedtls_entropy_context entropy; /* used when seeded from the OS */
    int fixed;
    uint8_t seed[32];                /* fixed mode: SHA-256 of the seed */
    uint64_t counter;                /* fixed mode: blocks handed out */
};

/* Fixed mode "entropy": SHA-256(seed digest || counter), block after block,
 * so that reseeds stay deterministic too. */
static int fixed_entropy(void *arg, unsigned char *out, size_t n)
{
    rng_t *r = arg;
    uint8_t block[32], in[40];
    size_t k;
    int i;

    while (n > 0) {
        memcpy(in, r->seed, 32);
        for (i = 0; i < 8; i++)
            in[32 + i] = (uint8_t)(r->counter >> (56 - 8 * i));
        r->counter++;
        if (mbedtls_sha256_ret(in, sizeof in, block, 0) != 0)
            return -1;
        k = n < 32 ? n : 32;
        memcpy(out, block, k);
        out += k;
        n -= k;
    }
    return 0;
}

static int rng_new(rng_t **out, int fixed, const uint8_t *seed, size_t seedlen)
{
    static const char pers[] = "borne rng v1";
    rng_t *r;
    int rc;

    *out = NULL;
    r = calloc(1, sizeof *r);
    if (r == NULL)
        return BN_ENOMEM;
    mbedtls_ctr_drbg_init(&r->drbg);
    mbedtls_entropy_init(&r->entropy);
    r->fixed = fixed;
    if (fixed) {
        if (mbedtls_sha256_ret(seed, seedlen, r->seed, 0) != 0) {
            rc = BN_ERNG;
            goto fail;
        }
        rc = mbedtls_ctr_drbg_seed(&r->drbg, fixed_entropy, r,
                                   (const unsigned char *)pers, sizeof pers - 1);
    } else {
        rc = mbedtls_ctr_drbg_seed(&r->drbg, mbedtls_entropy_func, &r->entropy,
                                   (const unsigned char *)pers, sizeof pers - 1);
    }
    if (rc != 0) {
        rc = BN_ERNG;
        goto fail;
    }
    *out = r;
    return 0;
fail:
    rng_close(r);
    return rc;
}

int rng_open(rng_t **out)
{
    return rng_new(out, 0, NULL, 0);
}

int rng_open_fixed(rng_t **out, const uint8_t *seed, size_t seedlen)
{
    if (seed == NULL && seedlen > 0)
        return BN_EINVAL;
    return rng_new(out, 1, seed, seedlen);
}

int rng_bytes(rng_t *r, uint8_t *out, size_t n)
{
    size_t k;

    /* CTR_DRBG hands out at most MBEDTLS_CTR_DRBG_MAX_REQUEST bytes a call. */
    while (n > 0) {
        k = n < MBEDTLS_CTR_DRBG_MAX_REQUEST ? n : MBEDTLS_CTR_DRBG_MAX_REQUEST;
        if (mbedtls_ctr_drbg_random(&r->drbg, out, k) != 0)
            return BN_ERNG;
        out += k;
        n -= k;
    }
    return 0;
}

int rng_mbedtls(void *p_rng, unsigned char *out, size_t n)
{
    return rng_bytes(p_rng, out, n) == 0 ? 0 : MBEDTLS_ERR_CTR_DRBG_ENTROPY_SOURCE_FAILED;
}

void rng_close(rng_t *r)
{
    if (r == NULL)
        return;
    mbedtls_ctr_drbg_free(&r->drbg);
    mbedtls_entropy_free(&r->entropy);
    mbedtls_platform_zeroize(r, sizeof *r);
    free(r);
}
