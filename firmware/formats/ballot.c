/* ballot.c - the canonical, versioned, signed binary encoding of a ballot.
 *
 * One ballot, one byte string: the encoder writes exactly what the decoder
 * accepts, and the decoder refuses every other spelling (padding, order,
 * length, characters), so that a signature covers one meaning only and two
 * observers who decode the same ballot see the same fields. The layout is
 * the OFFSET/SIZE table of ballot.h (docs/formats.md, "Ballot"). */
#include "ballot.h"

#include <stdlib.h>
#include <string.h>

#include <mbedtls/platform_util.h>
#include <mbedtls/sha256.h>

#include "bn_err.h"
#include "wire.h"

/* Offsets of the fixed header (ballot.h). */
#define OFF_MAGIC 0
#define OFF_VERSION 4
#define OFF_KIND 5
#define OFF_N 6
#define OFF_DAY 8
#define OFF_ID 12
#define OFF_KIOSK 28
#define OFF_CAMPAIGN 60
#define OFF_TERRITORY 76
#define OFF_CHOICES BALLOT_HEADER_LEN

/* The bytes of one entry of the choices of a kind. */
static size_t entry_len(int kind)
{
    return kind == BALLOT_KIND_CUMULATIVE ? BALLOT_TOKEN_LEN + BALLOT_POINTS_LEN
                                          : BALLOT_TOKEN_LEN;
}

/* Length of a ballot of a kind with n choices, signature included. */
static size_t ballot_len_of(int kind, int n)
{
    return BALLOT_HEADER_LEN + entry_len(kind) * (size_t)n + KEY_SIG_LEN;
}

static size_t ballot_len(int n)
{
    return ballot_len_of(BALLOT_KIND_BUDGET, n);
}

static size_t answers_len(const ballot_t *b);

/* The length of b as encoded, signature included. */
static size_t ballot_len_b(const ballot_t *b)
{
    if (b->kind == BALLOT_KIND_ANSWERS)
        return BALLOT_HEADER_LEN + answers_len(b) + KEY_SIG_LEN;
    return ballot_len_of(b->kind, b->n);
}

/* The most choices a ballot of a kind carries. */
static int max_n(int kind)
{
    return kind == BALLOT_KIND_CUMULATIVE ? BALLOT_MAX_CUMULATIVE
           : kind == BALLOT_KIND_ANSWERS  ? PKG_QUESTIONS_MAX
                                          : BALLOT_MAX_CHOICES;
}

static int kind_ok(int kind)
{
    return kind == BALLOT_KIND_BUDGET || kind == BALLOT_KIND_CUMULATIVE ||
           kind == BALLOT_KIND_ORDINAL || kind == BALLOT_KIND_ANSWERS;
}

/* Kind 4: the bytes of one answer (question, type, values). */
static size_t answer_len(const ballot_answer_t *a)
{
    return a->type == PKG_Q_MANY || a->type == PKG_Q_RANK ? 3u + a->k
           : a->type == PKG_Q_TEXT                        ? 2u
                                                          : 3u;
}

/* Kind 4: the bytes of the answers. */
static size_t answers_len(const ballot_t *b)
{
    size_t n = 0;
    int i;

    for (i = 0; i < b->n; i++)
        n += answer_len(&b->answers[i]);
    return n;
}

/* Kind 4: an answer as the decoder would accept it (its values within
 * their bounds; the question's own rules are answers_check's). */
static int answer_ok(const ballot_answer_t *a)
{
    int j, i;

    if (a->q >= PKG_QUESTIONS_MAX || a->type > PKG_Q_TEXT)
        return 0;
    switch (a->type) {
    case PKG_Q_ONE:
        return a->k == 1 && a->v[0] < PKG_OPTIONS_MAX;
    case PKG_Q_MANY:
    case PKG_Q_RANK:
        if (a->k > PKG_OPTIONS_MAX || (a->type == PKG_Q_RANK && a->k == 0))
            return 0;
        for (i = 0; i < a->k; i++) {
            if (a->v[i] >= PKG_OPTIONS_MAX)
                return 0;
            if (a->type == PKG_Q_MANY && i > 0 && a->v[i - 1] >= a->v[i])
                return 0;
            for (j = 0; a->type == PKG_Q_RANK && j < i; j++)
                if (a->v[j] == a->v[i])
                    return 0;
        }
        return 1;
    case PKG_Q_SCALE:
        return a->k == 1 && a->v[0] <= 10;
    case PKG_Q_YESNO:
        return a->k == 1 && a->v[0] <= 1;
    default:
        return a->k == 0;
    }
}

int ballot_kind_of(const pkg_t *p)
{
    if (p->kind == PKG_QUESTIONNAIRE)
        return BALLOT_KIND_ANSWERS;
    return p->rule.ballot == PKG_BALLOT_CUMULATIVE ? BALLOT_KIND_CUMULATIVE
           : p->rule.ballot == PKG_BALLOT_ORDINAL  ? BALLOT_KIND_ORDINAL
                                                   : BALLOT_KIND_BUDGET;
}

/* Checks that s can be written as a token (wire.h): 0, BN_ERANGE (longer
 * than 16 bytes, or not NUL-terminated within 17) or BN_EFORMAT. */
static int token_check(const char *s)
{
    if (strnlen(s, BALLOT_TOKEN_LEN + 1) > BALLOT_TOKEN_LEN)
        return BN_ERANGE;
    return wire_token_ok(s) ? 0 : BN_EFORMAT;
}

static void put_u16(uint8_t *p, unsigned v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void put_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static unsigned get_u16(const uint8_t *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

static uint32_t get_u32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

int ballot_make(ballot_t *b, const pkg_t *p, int territory, const int *sel, int n,
                uint32_t day, const uint8_t kiosk[KEY_ID_LEN], rng_t *rng)
{
    if (p != NULL && p->rule.ballot == PKG_BALLOT_CUMULATIVE && n > 0)
        return BN_EINVAL; /* points needed: ballot_make_ex */
    return ballot_make_ex(b, p, territory, sel, NULL, n, day, kiosk, rng);
}

int ballot_make_ex(ballot_t *b, const pkg_t *p, int territory, const int *sel, const int *pts,
                   int n, uint32_t day, const uint8_t kiosk[KEY_ID_LEN], rng_t *rng)
{
    char tmp[BALLOT_TOKEN_LEN + 1];
    int i, j, k, rc, kind, pt;

    if (b == NULL || p == NULL || kiosk == NULL || rng == NULL || (sel == NULL && n > 0))
        return BN_EINVAL;
    kind = ballot_kind_of(p);
    if (n > 0 && (kind == BALLOT_KIND_CUMULATIVE) != (pts != NULL))
        return BN_EINVAL;
    if (n > max_n(kind))
        return BN_ERANGE;
    memset(b, 0, sizeof *b);
    if (n < 0 || n > BALLOT_MAX_CHOICES)
        return BN_ERANGE;
    if (p->kind != PKG_BUDGET || day == 0)
        return BN_EINVAL;
    if (territory < 0 || territory >= p->n_territories)
        return BN_EINVAL;
    if ((rc = token_check(p->id)) != 0 || (rc = token_check(p->territories[territory].id)) != 0)
        return rc;
    b->kind = (uint8_t)kind;
    b->day = day;
    memcpy(b->kiosk, kiosk, KEY_ID_LEN);
    strcpy(b->campaign, p->id);
    strcpy(b->territory, p->territories[territory].id);
    for (i = 0; i < n; i++) {
        k = sel[i];
        if (k < 0 || k >= p->n_projects || p->projects[k].territory != territory) {
            rc = BN_EINVAL;
            goto fail;
        }
        if ((rc = token_check(p->projects[k].id)) != 0)
            goto fail;
        pt = kind == BALLOT_KIND_CUMULATIVE ? pts[i] : 0;
        if (kind == BALLOT_KIND_CUMULATIVE && (pt < 1 || pt > 0xffff)) {
            rc = BN_ERANGE;
            goto fail;
        }
        strcpy(tmp, p->projects[k].id);
        if (kind == BALLOT_KIND_ORDINAL) { /* rank order kept; distinct */
            for (j = 0; j < i; j++)
                if (strcmp(b->choices[j], tmp) == 0) {
                    rc = BN_EINVAL;
                    goto fail;
                }
            memcpy(b->choices[i], tmp, sizeof tmp);
            continue;
        }
        /* Insertion sort by bytes (strcmp orders as the NUL-padded fields do). */
        for (j = i; j > 0 && strcmp(b->choices[j - 1], tmp) > 0; j--) {
            memcpy(b->choices[j], b->choices[j - 1], sizeof b->choices[j]);
            b->points[j] = b->points[j - 1];
        }
        if (j > 0 && strcmp(b->choices[j - 1], tmp) == 0) {
            rc = BN_EINVAL; /* the same project twice */
            goto fail;
        }
        memcpy(b->choices[j], tmp, sizeof tmp);
        b->points[j] = pt;
    }
    b->n = n;
    rc = rng_bytes(rng, b->id, BALLOT_ID_LEN);
    if (rc != 0)
        goto fail;
    return 0;
fail:
    memset(b, 0, sizeof *b); /* (DESIGN-S3) no choice left behind on failure */
    return rc;
}

int ballot_make_answers(ballot_t *b, const pkg_t *p, int territory, const ballot_answer_t *a,
                        int n, uint32_t day, const uint8_t kiosk[KEY_ID_LEN], rng_t *rng)
{
    int i, rc;

    if (b == NULL || p == NULL || kiosk == NULL || rng == NULL || (a == NULL && n > 0))
        return BN_EINVAL;
    memset(b, 0, sizeof *b);
    if (n < 0 || n > PKG_QUESTIONS_MAX)
        return BN_ERANGE;
    if (p->kind != PKG_QUESTIONNAIRE || day == 0 || territory < 0 ||
        territory >= p->n_territories)
        return BN_EINVAL;
    if ((rc = token_check(p->id)) != 0 || (rc = token_check(p->territories[territory].id)) != 0)
        return rc;
    for (i = 0; i < n; i++)
        if (!answer_ok(&a[i]) || (i > 0 && a[i - 1].q >= a[i].q)) {
            rc = BN_EINVAL;
            goto fail;
        }
    b->kind = BALLOT_KIND_ANSWERS;
    b->day = day;
    memcpy(b->kiosk, kiosk, KEY_ID_LEN);
    strcpy(b->campaign, p->id);
    strcpy(b->territory, p->territories[territory].id);
    if (n > 0)
        memcpy(b->answers, a, (size_t)n * sizeof *a);
    b->n = n;
    if ((rc = rng_bytes(rng, b->id, BALLOT_ID_LEN)) != 0)
        goto fail;
    return 0;
fail:
    memset(b, 0, sizeof *b); /* (DESIGN-S3) */
    return rc;
}

/* Encodes the signed part of b (everything but the signature) into out,
 * which has room for ballot_len(b->n). BN_EINVAL for a ballot that the
 * decoder would refuse: only canonical bytes are ever signed. */
static int encode_body(const ballot_t *b, uint8_t *out)
{
    size_t el = entry_len(b->kind);
    int i, j;

    if (!kind_ok(b->kind) || b->day == 0 || token_check(b->campaign) != 0 ||
        token_check(b->territory) != 0)
        return BN_EINVAL;
    memcpy(out + OFF_MAGIC, BALLOT_MAGIC, 4);
    out[OFF_VERSION] = BALLOT_VERSION;
    out[OFF_KIND] = b->kind;
    put_u16(out + OFF_N, (unsigned)b->n);
    put_u32(out + OFF_DAY, b->day);
    memcpy(out + OFF_ID, b->id, BALLOT_ID_LEN);
    memcpy(out + OFF_KIOSK, b->kiosk, KEY_ID_LEN);
    wire_token_put(out + OFF_CAMPAIGN, b->campaign);
    wire_token_put(out + OFF_TERRITORY, b->territory);
    if (b->kind == BALLOT_KIND_ANSWERS) {
        uint8_t *e = out + OFF_CHOICES;

        for (i = 0; i < b->n; i++) {
            const ballot_answer_t *a = &b->answers[i];

            if (!answer_ok(a) || (i > 0 && b->answers[i - 1].q >= a->q))
                return BN_EINVAL;
            *e++ = a->q;
            *e++ = a->type;
            if (a->type == PKG_Q_MANY || a->type == PKG_Q_RANK)
                *e++ = a->k;
            if (a->k > 0)
                memcpy(e, a->v, a->k);
            e += a->k;
        }
        return 0;
    }
    for (i = 0; i < b->n; i++) {
        uint8_t *e = out + OFF_CHOICES + el * (size_t)i;
        if (token_check(b->choices[i]) != 0)
            return BN_EINVAL;
        if (b->kind == BALLOT_KIND_ORDINAL) {
            for (j = 0; j < i; j++)
                if (strcmp(b->choices[j], b->choices[i]) == 0)
                    return BN_EINVAL; /* ranked twice */
        } else if (i > 0 && strcmp(b->choices[i - 1], b->choices[i]) >= 0) {
            return BN_EINVAL; /* unsorted or duplicate */
        }
        wire_token_put(e, b->choices[i]);
        if (b->kind == BALLOT_KIND_CUMULATIVE) {
            if (b->points[i] < 1 || b->points[i] > 0xffff)
                return BN_EINVAL;
            put_u16(e + BALLOT_TOKEN_LEN, (unsigned)b->points[i]);
        }
    }
    return 0;
}

int ballot_seal(ballot_t *b, const signer_t *s, uint8_t *out, size_t cap, size_t *len)
{
    size_t body, total;
    int rc;

    if (b == NULL || s == NULL || out == NULL || len == NULL)
        return BN_EINVAL;
    if (!kind_ok(b->kind))
        return BN_EINVAL;
    if (b->n < 0 || b->n > max_n(b->kind))
        return BN_ERANGE;
    total = ballot_len_b(b);
    body = total - KEY_SIG_LEN;
    if (cap < total)
        return BN_ETOOBIG;
    rc = encode_body(b, out);
    if (rc == 0)
        rc = key_sign_msg(s, out, body, out + body);
    if (rc != 0) {
        memset(out, 0, total); /* (DESIGN-S3) no half-written ballot with choices */
        return rc;
    }
    memcpy(b->sig, out + body, KEY_SIG_LEN);
    *len = total;
    return 0;
}

/* Kind 4: the answers, strictly (the header is checked by the caller). */
static int decode_answers(const uint8_t *buf, size_t len, ballot_t *out, char *why, size_t whylen)
{
    unsigned n = get_u16(buf + OFF_N);
    size_t off = OFF_CHOICES, end = len - KEY_SIG_LEN;
    int i;

    if (n > PKG_QUESTIONS_MAX)
        return bn_fail(why, whylen, BN_EFORMAT, "offset 6: %u answers, at most %d", n,
                       PKG_QUESTIONS_MAX);
    for (i = 0; i < (int)n; i++) {
        ballot_answer_t *a = &out->answers[i];

        if (end - off < 2)
            return bn_fail(why, whylen, BN_EFORMAT, "offset %zu: answers[%d] truncated", off, i);
        a->q = buf[off];
        a->type = buf[off + 1];
        off += 2;
        if (a->type > PKG_Q_TEXT)
            return bn_fail(why, whylen, BN_EFORMAT, "offset %zu: answers[%d]: type %u is not "
                           "0..5", off - 1, i, a->type);
        if (a->type == PKG_Q_MANY || a->type == PKG_Q_RANK) {
            if (end - off < 1)
                return bn_fail(why, whylen, BN_EFORMAT, "offset %zu: answers[%d] truncated",
                               off, i);
            a->k = buf[off++];
            if (a->k > PKG_OPTIONS_MAX)
                return bn_fail(why, whylen, BN_EFORMAT, "offset %zu: answers[%d]: %u values, "
                               "at most %d", off - 1, i, a->k, PKG_OPTIONS_MAX);
        } else {
            a->k = a->type == PKG_Q_TEXT ? 0 : 1;
        }
        if (end - off < a->k)
            return bn_fail(why, whylen, BN_EFORMAT, "offset %zu: answers[%d] truncated", off, i);
        memcpy(a->v, buf + off, a->k);
        off += a->k;
        /* (DESIGN-S3) the reason names offsets, never an answer */
        if (!answer_ok(a))
            return bn_fail(why, whylen, BN_EFORMAT, "offset %zu: answers[%d]: a value out of "
                           "its range, out of order or twice", off - a->k, i);
        if (i > 0 && out->answers[i - 1].q >= a->q)
            return bn_fail(why, whylen, BN_EFORMAT, "offset %zu: answers[%d]: question not "
                           "above the previous one", off - a->k - 2, i);
    }
    if (off != end)
        return bn_fail(why, whylen, BN_EFORMAT, "length %zu: %zu bytes between the answers "
                       "and the signature", len, end - off);
    out->n = (int)n;
    return 0;
}

int ballot_decode(const uint8_t *buf, size_t len, ballot_t *out, char *why, size_t whylen)
{
    const char *bad;
    unsigned n = 0;
    size_t want, off, el = 0;
    int i, rc, kind;

    if (buf == NULL || out == NULL)
        return BN_EINVAL;
    memset(out, 0, sizeof *out);
    if (len < ballot_len(0)) {
        rc = bn_fail(why, whylen, BN_EFORMAT, "length %zu: shorter than the %zu bytes of an "
                     "empty ballot", len, ballot_len(0));
        goto fail;
    }
    if (memcmp(buf + OFF_MAGIC, BALLOT_MAGIC, 4) != 0) {
        rc = bn_fail(why, whylen, BN_EFORMAT, "offset 0: magic is not \"BRNB\"");
        goto fail;
    }
    if (buf[OFF_VERSION] != BALLOT_VERSION) {
        rc = bn_fail(why, whylen, BN_EFORMAT, "offset 4: version %u, this firmware reads 1",
                     buf[OFF_VERSION]);
        goto fail;
    }
    if (!kind_ok(buf[OFF_KIND])) {
        rc = bn_fail(why, whylen, BN_EFORMAT, "offset 5: kind %u is not 1, 2, 3 or 4 (approval, "
                     "cumulative, ordinal, answers)", buf[OFF_KIND]);
        goto fail;
    }
    kind = buf[OFF_KIND];
    if (kind == BALLOT_KIND_ANSWERS) {
        rc = decode_answers(buf, len, out, why, whylen);
        if (rc != 0)
            goto fail;
        goto header;
    }
    el = entry_len(kind);
    n = get_u16(buf + OFF_N);
    if (n > (unsigned)max_n(kind)) {
        rc = bn_fail(why, whylen, BN_EFORMAT, "offset 6: %u choices, at most %d", n, max_n(kind));
        goto fail;
    }
    want = ballot_len_of(kind, (int)n);
    if (len != want) {
        rc = bn_fail(why, whylen, BN_EFORMAT, "length %zu: %u choices need exactly %zu bytes",
                     len, n, want);
        goto fail;
    }
header:
    out->kind = buf[OFF_KIND];
    out->day = get_u32(buf + OFF_DAY);
    if (out->day == 0) {
        rc = bn_fail(why, whylen, BN_EFORMAT, "offset 8: day is 0");
        goto fail;
    }
    memcpy(out->id, buf + OFF_ID, BALLOT_ID_LEN);
    memcpy(out->kiosk, buf + OFF_KIOSK, KEY_ID_LEN);
    if ((bad = wire_token_get(buf + OFF_CAMPAIGN, out->campaign)) != NULL) {
        rc = bn_fail(why, whylen, BN_EFORMAT, "offset %d: campaign: %s", OFF_CAMPAIGN, bad);
        goto fail;
    }
    if ((bad = wire_token_get(buf + OFF_TERRITORY, out->territory)) != NULL) {
        rc = bn_fail(why, whylen, BN_EFORMAT, "offset %d: territory: %s", OFF_TERRITORY, bad);
        goto fail;
    }
    for (i = 0; kind != BALLOT_KIND_ANSWERS && i < (int)n; i++) {
        int j;
        off = OFF_CHOICES + el * (size_t)i;
        if ((bad = wire_token_get(buf + off, out->choices[i])) != NULL) {
            rc = bn_fail(why, whylen, BN_EFORMAT, "offset %zu: choices[%d]: %s", off, i, bad);
            goto fail;
        }
        if (kind == BALLOT_KIND_CUMULATIVE &&
            (out->points[i] = (int)get_u16(buf + off + BALLOT_TOKEN_LEN)) == 0) {
            rc = bn_fail(why, whylen, BN_EFORMAT, "offset %zu: choices[%d] has 0 points",
                         off + BALLOT_TOKEN_LEN, i);
            goto fail;
        }
        if (kind == BALLOT_KIND_ORDINAL) { /* rank order: distinct */
            for (j = 0; j < i; j++)
                if (memcmp(buf + OFF_CHOICES + el * (size_t)j, buf + off, BALLOT_TOKEN_LEN) == 0) {
                    rc = bn_fail(why, whylen, BN_EFORMAT,
                                 "offset %zu: choices[%d] is a duplicate", off, i);
                    goto fail;
                }
            continue;
        }
        /* Strictly increasing, as the padded 16-byte fields: sorted and distinct. */
        if (i > 0 && memcmp(buf + off - el, buf + off, BALLOT_TOKEN_LEN) >= 0) {
            /* (DESIGN-S3) the reason names offsets, never a chosen project. */
            rc = bn_fail(why, whylen, BN_EFORMAT, "offset %zu: choices[%d] %s", off, i,
                         strcmp(out->choices[i - 1], out->choices[i]) == 0
                             ? "is a duplicate" : "is out of order");
            goto fail;
        }
    }
    if (kind != BALLOT_KIND_ANSWERS)
        out->n = (int)n;
    memcpy(out->sig, buf + len - KEY_SIG_LEN, KEY_SIG_LEN);
    return 0;
fail:
    memset(out, 0, sizeof *out);
    return rc;
}

int ballot_verify(const uint8_t *buf, size_t len, const key_pub_t *kiosk)
{
    ballot_t b;
    int rc;

    if (kiosk == NULL)
        return BN_EINVAL;
    rc = ballot_decode(buf, len, &b, NULL, 0);
    if (rc != 0)
        return rc;
    if (memcmp(b.kiosk, kiosk->id, KEY_ID_LEN) != 0)
        rc = BN_EWRONGKEY;
    else
        rc = key_verify_msg(kiosk, buf, len - KEY_SIG_LEN, buf + len - KEY_SIG_LEN);
    mbedtls_platform_zeroize(&b, sizeof b); /* (DESIGN-S3) the choices do not outlive the check */
    return rc;
}

static int cmp_id(const void *a, const void *b)
{
    return memcmp(a, b, BALLOT_ID_LEN);
}

void ballot_ids_digest(uint8_t *ids, size_t n, uint8_t out[32])
{
    mbedtls_sha256_context c;

    if (n > 1)
        qsort(ids, n, BALLOT_ID_LEN, cmp_id);
    mbedtls_sha256_init(&c);
    mbedtls_sha256_starts_ret(&c, 0);
    mbedtls_sha256_update_ret(&c, (const uint8_t *)BALLOT_IDS_TAG, sizeof BALLOT_IDS_TAG - 1);
    if (n > 0)
        mbedtls_sha256_update_ret(&c, ids, n * BALLOT_ID_LEN);
    mbedtls_sha256_finish_ret(&c, out);
    mbedtls_sha256_free(&c);
}
