/* track.c - the tracking code printed on a receipt: keyed, short, checked.
 *
 * code = the first 55 bits of HMAC-SHA256(tracking key, "borne-track-v1" ||
 * ballot id) as 11 Crockford base-32 symbols, then a Luhn mod 32 check
 * symbol, printed XXXX-XXXX-XXXX. The Luhn mod N weights alternate 2, 1, 2...
 * from the symbol left of the check; a doubled value v*2 >= 32 counts as
 * v*2 - 31 (the "digit sum" in base 32). Doubling so is a permutation of
 * 0..31, hence every single substitution changes the sum; a swap of two
 * adjacent symbols a, b goes unseen only for {0, Z} (values 0 and 31), whose
 * weighted sums agree (docs/formats.md, "Tracking code"). */
#include "track.h"

#include <string.h>

#include <mbedtls/hkdf.h>
#include <mbedtls/md.h>
#include <mbedtls/platform_util.h>

#include "bn_err.h"

#define TRACK_DATA 11 /* data symbols; the twelfth is the check */
#define TRACK_N 32

static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
static const char track_info[] = "borne tracking v1";
static const char track_label[] = "borne-track-v1";

int track_key(const uint8_t secret[32], uint8_t key[32])
{
    const mbedtls_md_info_t *md = mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);

    if (md == NULL || mbedtls_hkdf(md, NULL, 0, secret, 32, (const unsigned char *)track_info,
                                   sizeof track_info - 1, key, 32) != 0)
        return BN_ECRYPTO;
    return 0;
}

/* The Luhn mod 32 sum of `n` symbol values, weighted 2, 1, 2... from the
 * right when `first_weight` is 2 (computing a check), 1, 2, 1... when it is
 * 1 (validating a string that ends with its check). */
static unsigned luhn_sum(const unsigned *v, int n, unsigned first_weight)
{
    unsigned sum = 0, w = first_weight, a;
    int i;

    for (i = n - 1; i >= 0; i--) {
        a = v[i] * w;
        sum += a / TRACK_N + a % TRACK_N;
        w = w == 2 ? 1 : 2;
    }
    return sum % TRACK_N;
}

static unsigned luhn_check(const unsigned v[TRACK_DATA])
{
    return (TRACK_N - luhn_sum(v, TRACK_DATA, 2)) % TRACK_N;
}

/* "XXXX-XXXX-XXXX" from 12 symbol values. */
static void format_code(const unsigned v[TRACK_CHARS], char out[TRACK_TEXT_LEN + 1])
{
    int i, o = 0;

    for (i = 0; i < TRACK_CHARS; i++) {
        if (i == 4 || i == 8)
            out[o++] = '-';
        out[o++] = alphabet[v[i]];
    }
    out[o] = '\0';
}

int track_code(const uint8_t key[32], const uint8_t ballot_id[16], char out[TRACK_TEXT_LEN + 1])
{
    const mbedtls_md_info_t *md = mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);
    uint8_t msg[sizeof track_label - 1 + 16], mac[32];
    unsigned v[TRACK_CHARS];
    int i, bit, rc = BN_ECRYPTO;

    memcpy(msg, track_label, sizeof track_label - 1);
    memcpy(msg + sizeof track_label - 1, ballot_id, 16);
    if (md == NULL || mbedtls_md_hmac(md, key, 32, msg, sizeof msg, mac) != 0)
        goto out;
    /* Symbol i is bits 5i..5i+4 of the MAC, most significant bit first. */
    for (i = 0; i < TRACK_DATA; i++) {
        v[i] = 0;
        for (bit = 5 * i; bit < 5 * i + 5; bit++)
            v[i] = v[i] << 1 | ((mac[bit / 8] >> (7 - bit % 8)) & 1u);
    }
    v[TRACK_DATA] = luhn_check(v);
    format_code(v, out);
    rc = 0;
out:
    mbedtls_platform_zeroize(mac, sizeof mac);
    return rc;
}

/* The value of a typed symbol, or -1: any case, O as 0, I and L as 1. */
static int symbol_value(unsigned char c)
{
    const char *p;

    if (c >= 'a' && c <= 'z')
        c = (unsigned char)(c - 'a' + 'A');
    if (c == 'O')
        c = '0';
    else if (c == 'I' || c == 'L')
        c = '1';
    if (c == '\0')
        return -1;
    p = strchr(alphabet, c); /* U is not in it: refused */
    return p != NULL ? (int)(p - alphabet) : -1;
}

/* Length of a separator at s (to skip), or 0: ASCII space, tab, CR, LF,
 * '-', and in UTF-8 the no-break space U+00A0 and the dashes U+2010..U+2015
 * that word processors and phones put in place of '-'. */
static size_t separator_len(const unsigned char *s)
{
    if (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' || s[0] == '\n' || s[0] == '-')
        return 1;
    if (s[0] == 0xC2 && s[1] == 0xA0)
        return 2;
    if (s[0] == 0xE2 && s[1] == 0x80 && s[2] >= 0x90 && s[2] <= 0x95)
        return 3;
    return 0;
}

int track_parse(const char *typed, char out[TRACK_TEXT_LEN + 1])
{
    const unsigned char *s = (const unsigned char *)typed;
    unsigned v[TRACK_CHARS];
    size_t skip;
    int n = 0, val;

    if (typed == NULL || out == NULL)
        return BN_EINVAL;
    while (*s != '\0') {
        skip = separator_len(s);
        if (skip > 0) {
            s += skip;
            continue;
        }
        val = symbol_value(*s);
        if (val < 0 || n == TRACK_CHARS)
            return BN_EFORMAT;
        v[n++] = (unsigned)val;
        s++;
    }
    if (n != TRACK_CHARS)
        return BN_EFORMAT;
    if (luhn_sum(v, TRACK_CHARS, 1) != 0)
        return BN_ECHECK;
    format_code(v, out);
    return 0;
}
