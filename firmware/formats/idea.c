/* idea.c - the signed idea record and its sealed contact (idea.h). */
#include "idea.h"

#include <stdlib.h>
#include <string.h>

#include <mbedtls/platform_util.h>

#include "bn_err.h"
#include "wire.h"

/* The three texts: their field in idea_t, their limits. */
typedef struct text_rule_s {
    const char *name;
    size_t max_bytes;
    long min_chars, max_chars;
    int newlines;
} text_rule_t;

static const text_rule_t RULES[3] = {
    {"title", IDEA_TITLE_BYTES, 1, IDEA_TITLE_CHARS, 0},
    {"description", IDEA_TEXT_BYTES, 1, IDEA_TEXT_CHARS, 1},
    {"place", IDEA_PLACE_BYTES, 0, IDEA_PLACE_CHARS, 0},
};

static const char *text_of(const idea_t *s, int k)
{
    return k == 0 ? s->title : k == 1 ? s->description : s->place;
}

/* 0 when n bytes of s keep rule k, else a reason. */
static const char *text_bad(int k, const uint8_t *s, size_t n)
{
    long chars;

    if (n > RULES[k].max_bytes)
        return "too long";
    chars = wire_text_chars(s, n, RULES[k].newlines);
    if (chars < 0)
        return "not valid text (UTF-8 without control characters)";
    if (chars < RULES[k].min_chars)
        return "empty";
    if (chars > RULES[k].max_chars)
        return "too many characters";
    if (n > 0 && (s[0] == ' ' || s[n - 1] == ' ' || s[n - 1] == '\n'))
        return "space at an end";
    return NULL;
}

/* --- sealing ------------------------------------------------------------------ */

int idea_seal(idea_t *s, const char *contact, const key_pub_t *authority, const signer_t *signer,
              rng_t *rng, uint8_t *out, size_t cap, size_t *len)
{
    uint8_t pt[IDEA_CONTACT_PT];
    size_t tl[3], at, cl = contact != NULL ? strlen(contact) : 0, total;
    int k, rc = BN_EINVAL;

    if (s == NULL || signer == NULL || rng == NULL || out == NULL || len == NULL)
        return BN_EINVAL;
    *len = 0;
    memset(pt, 0, sizeof pt);
    for (k = 0; k < 3; k++) {
        tl[k] = strnlen(text_of(s, k), RULES[k].max_bytes + 1);
        if (text_bad(k, (const uint8_t *)text_of(s, k), tl[k]) != NULL)
            return BN_EINVAL;
    }
    if (s->day == 0 || !wire_token_ok(s->campaign) || !wire_token_ok(s->territory) ||
        !wire_token_ok(s->theme) || (cl > 0 && authority == NULL) || cl > IDEA_CONTACT_BYTES ||
        (cl > 0 && wire_text_chars((const uint8_t *)contact, cl, 0) < 0))
        return BN_EINVAL;
    total = IDEA_HEADER_LEN + tl[0] + tl[1] + tl[2] + (cl > 0 ? KEY_ID_LEN + IDEA_SEALED_LEN : 0) +
            KEY_SIG_LEN;
    if (cap < total)
        return BN_ETOOBIG;
    s->has_contact = cl > 0;
    memset(out, 0, total);
    memcpy(out, IDEA_MAGIC, 4);
    out[4] = IDEA_VERSION;
    out[IDEA_OFF_FLAGS] = s->has_contact ? IDEA_FLAG_CONTACT : 0;
    wire_put_be(out + IDEA_OFF_DAY, s->day, 4);
    memcpy(out + IDEA_OFF_ID, s->id, IDEA_ID_LEN);
    memcpy(out + IDEA_OFF_KIOSK, s->kiosk, KEY_ID_LEN);
    wire_token_put(out + IDEA_OFF_CAMPAIGN, s->campaign);
    wire_token_put(out + IDEA_OFF_TERRITORY, s->territory);
    wire_token_put(out + IDEA_OFF_THEME, s->theme);
    memcpy(out + IDEA_OFF_PSEUDONYM, s->pseudonym, PSEUD_LEN);
    at = IDEA_HEADER_LEN;
    for (k = 0; k < 3; k++) {
        wire_put_be(out + IDEA_OFF_LENGTHS + 2 * k, tl[k], 2);
        memcpy(out + at, text_of(s, k), tl[k]);
        at += tl[k];
    }
    if (s->has_contact) {
        /* (IDEA-I1) the contact only sealed: no one but the authority reads it */
        memcpy(s->authority, authority->id, KEY_ID_LEN);
        memcpy(out + at, authority->id, KEY_ID_LEN);
        at += KEY_ID_LEN;
        pt[0] = 1;
        pt[1] = (uint8_t)cl;
        memcpy(pt + 2, contact, cl);
        rc = seal_to(authority, IDEA_CONTACT_LABEL, out, at, pt, sizeof pt, rng, out + at);
        if (rc != 0)
            goto out;
        at += IDEA_SEALED_LEN;
    } else {
        memset(s->authority, 0, KEY_ID_LEN);
    }
    rc = key_sign_msg(signer, out, at, out + at);
    if (rc != 0)
        goto out;
    memcpy(s->sig, out + at, KEY_SIG_LEN);
    *len = at + KEY_SIG_LEN;
out:
    mbedtls_platform_zeroize(pt, sizeof pt);
    if (rc != 0)
        memset(out, 0, total);
    return rc;
}

/* --- decoding ----------------------------------------------------------------- */

int idea_decode(const uint8_t *buf, size_t len, idea_t *out, char *why, size_t whylen)
{
    const char *bad;
    size_t tl[3], at, want;
    int k, rc;

    if (buf == NULL || out == NULL)
        return BN_EINVAL;
    memset(out, 0, sizeof *out);
    if (len < IDEA_MIN_LEN || len > IDEA_MAX_LEN) {
        rc = bn_fail(why, whylen, BN_EFORMAT, "length %zu: an idea has %d to %d bytes", len,
                     IDEA_MIN_LEN, IDEA_MAX_LEN);
        goto fail;
    }
    if (memcmp(buf, IDEA_MAGIC, 4) != 0) {
        rc = bn_fail(why, whylen, BN_EFORMAT, "offset 0: magic is not \"BRNI\"");
        goto fail;
    }
    if (buf[4] != IDEA_VERSION) {
        rc = bn_fail(why, whylen, BN_EFORMAT, "offset 4: version %u, this firmware reads 1",
                     buf[4]);
        goto fail;
    }
    if ((buf[IDEA_OFF_FLAGS] & ~IDEA_FLAG_CONTACT) != 0) {
        rc = bn_fail(why, whylen, BN_EFORMAT, "offset 5: flags %u: only 1 (a contact) is defined",
                     buf[IDEA_OFF_FLAGS]);
        goto fail;
    }
    out->has_contact = buf[IDEA_OFF_FLAGS] & IDEA_FLAG_CONTACT;
    if ((out->day = (uint32_t)wire_get_be(buf + IDEA_OFF_DAY, 4)) == 0) {
        rc = bn_fail(why, whylen, BN_EFORMAT, "offset 6: day is 0");
        goto fail;
    }
    memcpy(out->id, buf + IDEA_OFF_ID, IDEA_ID_LEN);
    memcpy(out->kiosk, buf + IDEA_OFF_KIOSK, KEY_ID_LEN);
    if ((bad = wire_token_get(buf + IDEA_OFF_CAMPAIGN, out->campaign)) != NULL ||
        (bad = wire_token_get(buf + IDEA_OFF_TERRITORY, out->territory)) != NULL ||
        (bad = wire_token_get(buf + IDEA_OFF_THEME, out->theme)) != NULL) {
        rc = bn_fail(why, whylen, BN_EFORMAT, "offset %d: %s",
                     out->campaign[0] == '\0'    ? IDEA_OFF_CAMPAIGN
                     : out->territory[0] == '\0' ? IDEA_OFF_TERRITORY
                                                 : IDEA_OFF_THEME,
                     bad);
        goto fail;
    }
    memcpy(out->pseudonym, buf + IDEA_OFF_PSEUDONYM, PSEUD_LEN);
    want = IDEA_HEADER_LEN + KEY_SIG_LEN + (out->has_contact ? KEY_ID_LEN + IDEA_SEALED_LEN : 0);
    for (k = 0; k < 3; k++) {
        tl[k] = (size_t)wire_get_be(buf + IDEA_OFF_LENGTHS + 2 * k, 2);
        want += tl[k];
    }
    if (len != want) {
        rc = bn_fail(why, whylen, BN_EFORMAT, "length %zu: its lengths and flags need exactly %zu "
                     "bytes", len, want);
        goto fail;
    }
    at = IDEA_HEADER_LEN;
    for (k = 0; k < 3; k++) {
        char *dst = k == 0 ? out->title : k == 1 ? out->description : out->place;
        if ((bad = text_bad(k, buf + at, tl[k])) != NULL) {
            /* (DESIGN-S3 in spirit) the reason names the field, not its words */
            rc = bn_fail(why, whylen, BN_EFORMAT, "offset %zu: %s: %s", at, RULES[k].name, bad);
            goto fail;
        }
        memcpy(dst, buf + at, tl[k]);
        dst[tl[k]] = '\0';
        at += tl[k];
    }
    if (out->has_contact) {
        memcpy(out->authority, buf + at, KEY_ID_LEN);
        at += KEY_ID_LEN + IDEA_SEALED_LEN; /* opened by the authority only */
    }
    memcpy(out->sig, buf + at, KEY_SIG_LEN);
    return 0;
fail:
    memset(out, 0, sizeof *out);
    return rc;
}

int idea_verify(const uint8_t *buf, size_t len, const key_pub_t *kiosk)
{
    idea_t *s;
    int rc;

    if (kiosk == NULL || (s = malloc(sizeof *s)) == NULL)
        return kiosk == NULL ? BN_EINVAL : BN_ENOMEM;
    rc = idea_decode(buf, len, s, NULL, 0);
    if (rc == 0)
        rc = memcmp(s->kiosk, kiosk->id, KEY_ID_LEN) != 0
                 ? BN_EWRONGKEY
                 : key_verify_msg(kiosk, buf, len - KEY_SIG_LEN, buf + len - KEY_SIG_LEN);
    free(s);
    return rc;
}

int idea_open_contact(const uint8_t *buf, size_t len, key_pair_t *authority, char *contact,
                      char *why, size_t whylen)
{
    uint8_t pt[IDEA_CONTACT_PT];
    key_pub_t apub;
    idea_t *s = malloc(sizeof *s);
    size_t at, n, i;
    int rc;

    if (contact != NULL)
        contact[0] = '\0';
    if (s == NULL || buf == NULL || authority == NULL || contact == NULL) {
        free(s);
        return s == NULL ? BN_ENOMEM : BN_EINVAL;
    }
    if ((rc = idea_decode(buf, len, s, why, whylen)) != 0)
        goto out;
    if (!s->has_contact) {
        rc = bn_fail(why, whylen, BN_ENOTFOUND, "no contact was given with this idea");
        goto out;
    }
    key_public(authority, &apub);
    at = len - KEY_SIG_LEN - IDEA_SEALED_LEN;
    if (memcmp(buf + at - KEY_ID_LEN, apub.id, KEY_ID_LEN) != 0) {
        rc = bn_fail(why, whylen, BN_EWRONGKEY, "offset %zu: contact sealed to another authority "
                     "key", at - KEY_ID_LEN);
        goto out;
    }
    if ((rc = seal_open(authority, IDEA_CONTACT_LABEL, buf, at, buf + at, IDEA_SEALED_LEN, pt)) !=
        0) {
        rc = bn_fail(why, whylen, rc, "the contact does not open (record altered, or another "
                     "key)");
        goto out;
    }
    n = pt[1];
    for (i = 2 + n; i < sizeof pt; i++)
        if (pt[i] != 0)
            break;
    if (pt[0] != 1 || n == 0 || n > IDEA_CONTACT_BYTES || i != sizeof pt ||
        wire_text_chars(pt + 2, n, 0) < 0) {
        rc = bn_fail(why, whylen, BN_EFORMAT, "the contact's plaintext is malformed");
        goto out;
    }
    memcpy(contact, pt + 2, n);
    contact[n] = '\0';
    rc = 0;
out:
    mbedtls_platform_zeroize(pt, sizeof pt);
    if (s != NULL)
        mbedtls_platform_zeroize(s, sizeof *s);
    free(s);
    return rc;
}
