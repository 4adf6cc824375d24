/* pin.c - agents' PINs (pin.h). */
#include "pin.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/md.h>
#include <mbedtls/pkcs5.h>
#include <mbedtls/platform_util.h>

#include "bn_err.h"
#include "hex.h"

int pin_valid(const char *pin)
{
    size_t n = pin != NULL ? strlen(pin) : 0;

    return n >= PIN_MIN && n <= PIN_MAX && strspn(pin, "0123456789") == n;
}

static int derive(const char *pin, const uint8_t salt[16], uint32_t iter, uint8_t out[32])
{
    mbedtls_md_context_t md;
    int rc;

    mbedtls_md_init(&md);
    rc = mbedtls_md_setup(&md, mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), 1) != 0 ||
                 mbedtls_pkcs5_pbkdf2_hmac(&md, (const unsigned char *)pin, strlen(pin), salt, 16,
                                           iter, 32, out) != 0
             ? BN_ECRYPTO
             : 0;
    mbedtls_md_free(&md);
    return rc;
}

int pin_hash(const char *pin, rng_t *rng, char out[PIN_HASH_MAX])
{
    uint8_t salt[16], h[32];
    char sh[33], hh[65];
    int rc;

    if (!pin_valid(pin))
        return BN_EINVAL;
    if ((rc = rng_bytes(rng, salt, sizeof salt)) != 0 || (rc = derive(pin, salt, PIN_ITER, h)) != 0)
        goto out;
    hex_encode(salt, 16, sh);
    hex_encode(h, 32, hh);
    snprintf(out, PIN_HASH_MAX, "pbkdf2-sha256$%u$%s$%s", PIN_ITER, sh, hh);
out:
    mbedtls_platform_zeroize(h, sizeof h);
    return rc;
}

int pin_check(const char *stored, const char *pin)
{
    uint8_t salt[16], want[32], got[32], d = 0;
    unsigned long iter;
    char *end;
    size_t i;

    if (stored == NULL || pin == NULL || strncmp(stored, "pbkdf2-sha256$", 14) != 0)
        return 0;
    iter = strtoul(stored + 14, &end, 10);
    if (*end != '$' || iter < 1000 || iter > 10000000 || strlen(end + 1) != 32 + 1 + 64 ||
        end[33] != '$' || hex_decode(end + 1, 32, salt, 16) != 0 ||
        hex_decode(end + 34, 64, want, 32) != 0)
        return 0;
    if (derive(pin, salt, (uint32_t)iter, got) != 0)
        return 0;
    for (i = 0; i < sizeof got; i++) /* in constant time */
        d |= (uint8_t)(got[i] ^ want[i]);
    mbedtls_platform_zeroize(got, sizeof got);
    return d == 0;
}
