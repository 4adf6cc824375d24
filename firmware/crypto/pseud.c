/* pseud.c - pseudonyms for the register: normalised identity, HKDF, HMAC.
 *
 * Normalisation (pseud_normalise), one code point at a time:
 *
 *   input bytes --strict UTF-8--> code point --fold--> 0..3 output bytes
 *
 *   ASCII letters       lowercased; digits kept
 *   other ASCII, C0/C1  a separator (space): hyphen, apostrophe, dot, comma,
 *   controls, tab       underscore, tab ...
 *   U+0300..U+036F and  dropped: a decomposed "e" U+0301 equals "é"
 *   the other combining
 *   mark blocks
 *   pseud_fold[]        the generated table (pseud_fold.h, tools/gen_fold.py):
 *                       Latin letters to their ASCII base ("Œ" -> "oe",
 *                       "ß" -> "ss", "ł" -> "l"), Greek and Cyrillic
 *                       lowercased without accents, Unicode dashes, quotes,
 *                       spaces to a separator, format characters dropped
 *   anything else       kept as it is (CJK, Arabic, IPA letters ...)
 *
 * then runs of separators collapse to one space and the ends are trimmed.
 *
 * Identity parts (pseud_identity_part), on the normalised text:
 *
 *   last name    leading particles that stand apart dropped (PSEUD-N2),
 *                then the words run together (PSEUD-N1)
 *   first names  the words run together (PSEUD-N1)
 *
 * Pseudonym (pseud_compute):
 *
 *   key = HKDF-SHA256(ikm = campaign secret, salt = none,
 *                     info = "borne pseudonym v1"), 32 bytes
 *   msg = "borne-pseudonym-v2" NUL campaign NUL part(last) NUL
 *         part(first) NUL birth ("YYYY-MM-DD", checked)
 *   pseudonym = HMAC-SHA256(key, msg)
 *
 * NUL never occurs inside the parts, so the message splits one way only.
 * Identities and keys are wiped from the stack before returning. */
#include "pseud.h"

#include <string.h>

#include <mbedtls/hkdf.h>
#include <mbedtls/md.h>
#include <mbedtls/platform_util.h>

#include "bn_err.h"
#include "day.h"
#include "pseud_fold.h"

#define PSEUD_NAME_MAX 512 /* bytes of a normalised name, with the NUL */

static const char HKDF_INFO[] = "borne pseudonym v1";
static const char MSG_TAG[] = "borne-pseudonym-v2";

/* (PSEUD-N2) Particles dropped from the front of a last name when they
 * stand apart ("de Gaulle" is "Gaulle"); the articles "le", "la", "l" are
 * part of the name (Le Gall, La Fontaine) and stay. */
static const char *const particles[] = {"d", "da", "das", "de", "del", "della", "den", "der",
                                        "des", "di", "do", "dos", "du", "van", "von"};

/* Decodes one code point of strict UTF-8 (no overlong forms, no surrogates,
 * nothing above U+10FFFF). Returns the number of bytes, or 0 if invalid. */
static size_t utf8_decode(const unsigned char *s, uint32_t *cp)
{
    unsigned char c = s[0];
    unsigned char lo = 0x80, hi = 0xBF;
    size_t n, i;
    uint32_t v;

    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        v = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        v = c & 0x0F;
        if (c == 0xE0)
            lo = 0xA0; /* overlong */
        else if (c == 0xED)
            hi = 0x9F; /* surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        v = c & 0x07;
        if (c == 0xF0)
            lo = 0x90; /* overlong */
        else if (c == 0xF4)
            hi = 0x8F; /* above U+10FFFF */
    } else {
        return 0; /* continuation byte, C0, C1, F5..FF */
    }
    for (i = 1; i < n; i++) {
        unsigned char b = s[i]; /* a NUL stops here: it is not a continuation */

        if (b < (i == 1 ? lo : 0x80) || b > (i == 1 ? hi : 0xBF))
            return 0;
        v = (v << 6) | (b & 0x3F);
    }
    *cp = v;
    return n;
}

static int is_combining(uint32_t cp)
{
    return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
           (cp >= 0x1DC0 && cp <= 0x1DFF) || (cp >= 0x20D0 && cp <= 0x20FF) ||
           (cp >= 0xFE20 && cp <= 0xFE2F);
}

/* The replacement of cp from the generated table, or NULL if cp is kept. */
static const char *fold_lookup(uint32_t cp)
{
    size_t lo = 0, hi = sizeof pseud_fold / sizeof pseud_fold[0];

    if (cp > 0xFFFF)
        return NULL;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (pseud_fold[mid].cp == cp)
            return pseud_fold[mid].to;
        if (pseud_fold[mid].cp < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Appends bytes to out, turning each ' ' into a pending separator that is
 * written only before the next non-space byte (collapse and trim). */
static int emit(char *out, size_t cap, size_t *n, int *space, const char *b, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++) {
        if (b[i] == ' ') {
            *space = *n > 0; /* no leading space */
            continue;
        }
        if (*n + (size_t)(*space != 0) + 1 >= cap)
            return BN_ETOOBIG;
        if (*space) {
            out[(*n)++] = ' ';
            *space = 0;
        }
        out[(*n)++] = b[i];
    }
    return 0;
}

int pseud_normalise(const char *name, char *out, size_t cap)
{
    const unsigned char *p = (const unsigned char *)name;
    size_t n = 0, len;
    int space = 0, rc = 0;
    uint32_t cp;

    if (name == NULL || out == NULL || cap == 0)
        return BN_EINVAL;
    while (*p != '\0') {
        const char *to;
        char c;

        len = utf8_decode(p, &cp);
        if (len == 0) {
            rc = BN_EFORMAT;
            goto out;
        }
        if (cp < 0x80) {
            c = (char)cp;
            if (c >= 'A' && c <= 'Z')
                c = (char)(c - 'A' + 'a');
            else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
                c = ' '; /* punctuation, tab, controls */
            rc = emit(out, cap, &n, &space, &c, 1);
        } else if (cp < 0xA0) {
            rc = emit(out, cap, &n, &space, " ", 1); /* C1 controls */
        } else if (is_combining(cp)) {
            rc = 0; /* dropped: "e" U+0301 is "é" is "e" */
        } else if ((to = fold_lookup(cp)) != NULL) {
            rc = emit(out, cap, &n, &space, to, strlen(to));
        } else {
            rc = emit(out, cap, &n, &space, (const char *)p, len);
        }
        if (rc != 0)
            goto out;
        p += len;
    }
    if (n == 0)
        rc = BN_EFORMAT;
out:
    if (rc != 0) {
        mbedtls_platform_zeroize(out, n < cap ? n : cap);
        out[0] = '\0';
    } else {
        out[n] = '\0';
    }
    return rc;
}

static int is_particle(const char *w, size_t n)
{
    size_t i;

    for (i = 0; i < sizeof particles / sizeof particles[0]; i++)
        if (strlen(particles[i]) == n && memcmp(particles[i], w, n) == 0)
            return 1;
    return 0;
}

int pseud_identity_part(pseud_part_t part, const char *name, char *out, size_t cap)
{
    char norm[PSEUD_NAME_MAX];
    const char *p, *w;
    size_t n = 0, words = 1;
    int rc;

    if (out == NULL || cap == 0 || (part != PSEUD_LAST && part != PSEUD_FIRST))
        return BN_EINVAL;
    out[0] = '\0';
    if ((rc = pseud_normalise(name, norm, sizeof norm)) != 0)
        goto out;
    for (p = norm; *p != '\0'; p++)
        words += *p == ' ';
    p = norm;
    /* (PSEUD-N2) leading particles that stand apart, never the last word */
    while (part == PSEUD_LAST && words > 1) {
        size_t len = strcspn(p, " ");

        if (!is_particle(p, len))
            break;
        p += len + 1;
        words--;
    }
    /* (PSEUD-N1) the words run together: "Le Gall", "LEGALL", "Le-Gall",
     * "Jean-François", "Jean François" */
    for (w = p; *w != '\0'; w++) {
        if (*w == ' ')
            continue;
        if (n + 1 >= cap) {
            rc = BN_ETOOBIG;
            goto out;
        }
        out[n++] = *w;
    }
    out[n] = '\0';
out:
    if (rc != 0) {
        mbedtls_platform_zeroize(out, n < cap ? n : cap);
        out[0] = '\0';
    }
    mbedtls_platform_zeroize(norm, sizeof norm);
    return rc;
}

int pseud_compute(const uint8_t secret[32], const char *campaign,
                  const char *last_name, const char *first_names, const char *birth,
                  uint8_t out[PSEUD_LEN])
{
    const mbedtls_md_info_t *md = mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);
    mbedtls_md_context_t ctx;
    char last[PSEUD_NAME_MAX], first[PSEUD_NAME_MAX];
    uint8_t key[32];
    int y, m, d, rc;

    mbedtls_md_init(&ctx);
    if (secret == NULL || campaign == NULL || *campaign == '\0' || out == NULL) {
        rc = BN_EINVAL;
        goto out;
    }
    if (day_parse_ymd(birth, &y, &m, &d) != 0) {
        rc = BN_EFORMAT;
        goto out;
    }
    rc = pseud_identity_part(PSEUD_LAST, last_name, last, sizeof last);
    if (rc == 0)
        rc = pseud_identity_part(PSEUD_FIRST, first_names, first, sizeof first);
    if (rc == BN_EINVAL)
        rc = BN_EFORMAT; /* a missing name */
    if (rc != 0)
        goto out;
    if (md == NULL || mbedtls_hkdf(md, NULL, 0, secret, 32, (const unsigned char *)HKDF_INFO,
                                   sizeof HKDF_INFO - 1, key, sizeof key) != 0 ||
        mbedtls_md_setup(&ctx, md, 1) != 0 ||
        mbedtls_md_hmac_starts(&ctx, key, sizeof key) != 0 ||
        mbedtls_md_hmac_update(&ctx, (const unsigned char *)MSG_TAG, sizeof MSG_TAG) != 0 ||
        mbedtls_md_hmac_update(&ctx, (const unsigned char *)campaign, strlen(campaign) + 1) != 0 ||
        mbedtls_md_hmac_update(&ctx, (const unsigned char *)last, strlen(last) + 1) != 0 ||
        mbedtls_md_hmac_update(&ctx, (const unsigned char *)first, strlen(first) + 1) != 0 ||
        mbedtls_md_hmac_update(&ctx, (const unsigned char *)birth, DAY_TEXT_LEN) != 0 ||
        mbedtls_md_hmac_finish(&ctx, out) != 0) {
        rc = BN_ECRYPTO;
        goto out;
    }
    rc = 0;
out:
    mbedtls_md_free(&ctx);
    mbedtls_platform_zeroize(key, sizeof key);
    mbedtls_platform_zeroize(last, sizeof last);
    mbedtls_platform_zeroize(first, sizeof first);
    return rc;
}
