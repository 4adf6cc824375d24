/* vcode.c - single-use voting codes (vcode.h). */
#include "vcode.h"

#include <string.h>

#include <mbedtls/hkdf.h>
#include <mbedtls/md.h>
#include <mbedtls/platform_util.h>

#include "bn_err.h"

static const char vcode_info[] = "borne voting code v1";

/* The Luhn check digit of n digits (the check digit's place is the last). */
static int luhn(const char *d, int n)
{
    int i, sum = 0;

    for (i = 0; i < n; i++) {
        int v = d[n - 1 - i] - '0';
        if (i % 2 == 0) {
            v *= 2;
            if (v > 9)
                v -= 9;
        }
        sum += v;
    }
    return (10 - sum % 10) % 10;
}

static void format(const char *d, char out[VCODE_TEXT_LEN + 1])
{
    int i, k = 0;

    for (i = 0; i < VCODE_DIGITS; i++) {
        if (i > 0 && i % 4 == 0)
            out[k++] = ' ';
        out[k++] = d[i];
    }
    out[k] = '\0';
}

int vcode_make(rng_t *rng, char out[VCODE_TEXT_LEN + 1])
{
    char d[VCODE_DIGITS];
    int i = 0, rc;

    while (i < VCODE_DIGITS - 1) {
        uint8_t b[16];
        int k;
        if ((rc = rng_bytes(rng, b, sizeof b)) != 0)
            return rc;
        for (k = 0; k < 16 && i < VCODE_DIGITS - 1; k++)
            if (b[k] < 250) /* no modulo bias */
                d[i++] = (char)('0' + b[k] % 10);
    }
    d[VCODE_DIGITS - 1] = (char)('0' + luhn(d, VCODE_DIGITS - 1));
    format(d, out);
    mbedtls_platform_zeroize(d, sizeof d);
    return 0;
}

int vcode_parse(const char *typed, char out[VCODE_TEXT_LEN + 1])
{
    char d[VCODE_DIGITS];
    int n = 0;

    if (typed == NULL)
        return BN_EFORMAT;
    for (; *typed; typed++) {
        if (*typed == ' ' || *typed == '-')
            continue;
        if (*typed < '0' || *typed > '9' || n == VCODE_DIGITS)
            return BN_EFORMAT;
        d[n++] = *typed;
    }
    if (n != VCODE_DIGITS)
        return BN_EFORMAT;
    if (d[VCODE_DIGITS - 1] - '0' != luhn(d, VCODE_DIGITS - 1))
        return BN_ECHECK;
    format(d, out);
    return 0;
}

int vcode_hash(const uint8_t secret[32], const char *campaign, const char *canonical,
               uint8_t out[32])
{
    const mbedtls_md_info_t *md = mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);
    uint8_t key[32];
    mbedtls_md_context_t c;
    int rc = BN_ECRYPTO;

    mbedtls_md_init(&c);
    if (md != NULL &&
        mbedtls_hkdf(md, NULL, 0, secret, 32, (const unsigned char *)vcode_info,
                     sizeof vcode_info - 1, key, sizeof key) == 0 &&
        mbedtls_md_setup(&c, md, 1) == 0 && mbedtls_md_hmac_starts(&c, key, sizeof key) == 0 &&
        mbedtls_md_hmac_update(&c, (const unsigned char *)campaign, strlen(campaign) + 1) == 0 &&
        mbedtls_md_hmac_update(&c, (const unsigned char *)canonical, strlen(canonical)) == 0 &&
        mbedtls_md_hmac_finish(&c, out) == 0)
        rc = 0;
    mbedtls_md_free(&c);
    mbedtls_platform_zeroize(key, sizeof key);
    return rc;
}
