/* report.c - the kiosk's signed closing report and the order-free ballot-set digest. */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/sha256.h>

#include "bn_err.h"
#include "wire.h"

/* A 16-byte token field, strictly (wire.h): 0 or -1. */
static int token_read(const uint8_t *f, char out[REPORT_TOKEN_LEN + 1])
{
    return wire_token_get(f, out) == NULL ? 0 : -1;
}

static int token_ok(const char *s)
{
    uint8_t f[REPORT_TOKEN_LEN];
    char tmp[REPORT_TOKEN_LEN + 1];
    size_t n = strnlen(s, REPORT_TOKEN_LEN + 1);

    if (n > REPORT_TOKEN_LEN)
        return 0;
    memset(f, 0, sizeof f);
    memcpy(f, s, n);
    return token_read(f, tmp) == 0;
}

static int cmp32(const void *a, const void *b)
{
    return memcmp(a, b, 32);
}

void report_set_digest(uint8_t *hashes, size_t n, uint8_t out[32])
{
    mbedtls_sha256_context c;

    if (n > 0)
        qsort(hashes, n, 32, cmp32);
    mbedtls_sha256_init(&c);
    mbedtls_sha256_starts_ret(&c, 0);
    mbedtls_sha256_update_ret(&c, (const uint8_t *)REPORT_SET_TAG, strlen(REPORT_SET_TAG));
    if (n > 0)
        mbedtls_sha256_update_ret(&c, hashes, n * 32);
    mbedtls_sha256_finish_ret(&c, out);
    mbedtls_sha256_free(&c);
}

typedef struct hashes_s {
    uint8_t *h;
    size_t n, cap;
} hashes_t;

static int on_ballot(void *arg, const uint8_t *ballot, size_t len)
{
    hashes_t *hs = arg;

    if (hs->n == hs->cap) {
        size_t cap = hs->cap ? hs->cap * 2 : 1024;
        uint8_t *g = realloc(hs->h, cap * 32);

        if (g == NULL)
            return BN_ENOMEM;
        hs->h = g;
        hs->cap = cap;
    }
    key_sha256(ballot, len, hs->h + hs->n * 32);
    hs->n++;
    return 0;
}

int report_set_digest_store(store_t *s, const char *campaign, uint8_t out[32], uint64_t *n)
{
    hashes_t hs = {NULL, 0, 0};
    int rc;

    if (s == NULL || campaign == NULL || out == NULL)
        return BN_EINVAL;
    rc = store_each_ballot(s, campaign, on_ballot, &hs);
    if (rc == 0) {
        report_set_digest(hs.h, hs.n, out);
        if (n != NULL)
            *n = hs.n;
    }
    free(hs.h);
    return rc;
}

static int insee_ok(const char *c)
{
    return strlen(c) == 5 && strspn(c, "0123456789AB") == 5;
}

/* Checks the fields that the decoder checks; 0, or the reason in why
 * (BN_EFORMAT). */
static int fields_bad(const report_t *r, char *why, size_t whylen)
{
    uint64_t sum = 0;
    uint32_t i;

    if (!token_ok(r->campaign))
        return bn_fail(why, whylen, BN_EFORMAT, "report: campaign is not a token");
    if (r->opened == 0)
        return bn_fail(why, whylen, BN_EFORMAT, "report: day opened is 0");
    if (r->closed < r->opened)
        return bn_fail(why, whylen, BN_EFORMAT, "report: closed before it opened");
    if (r->registered > REPORT_COUNT_MAX || r->ballots > REPORT_COUNT_MAX ||
        r->audit_entries > REPORT_COUNT_MAX)
        return bn_fail(why, whylen, BN_EFORMAT, "report: count above 2^53");
    if (r->n_communes > REPORT_MAX_COMMUNES)
        return bn_fail(why, whylen, BN_EFORMAT, "report: %u communes, more than %d",
                       r->n_communes, REPORT_MAX_COMMUNES);
    for (i = 0; i < r->n_communes; i++) {
        const report_commune_t *c = &r->communes[i];

        if (!insee_ok(c->insee))
            return bn_fail(why, whylen, BN_EFORMAT,
                           "report: communes[%u]: code is not 5 characters of [0-9AB]", i);
        if (i > 0 && strcmp(r->communes[i - 1].insee, c->insee) >= 0)
            return bn_fail(why, whylen, BN_EFORMAT,
                           "report: communes[%u]: %s does not follow %s (unsorted or twice)", i,
                           c->insee, r->communes[i - 1].insee);
        if (c->n == 0)
            return bn_fail(why, whylen, BN_EFORMAT, "report: communes[%u]: %s counts 0", i,
                           c->insee);
        if (c->n > REPORT_COUNT_MAX)
            return bn_fail(why, whylen, BN_EFORMAT, "report: communes[%u]: count above 2^53",
                           i);
        sum += c->n; /* <= 1000 * 2^53: no overflow */
    }
    if (r->n_communes > 0 && sum != r->registered)
        return bn_fail(why, whylen, BN_EFORMAT,
                       "report: communes count %llu participants, register entries %llu",
                       (unsigned long long)sum, (unsigned long long)r->registered);
    return 0;
}

static void encode(const report_t *r, uint8_t *out)
{
    size_t n = strlen(r->campaign), off = REPORT_FIXED_LEN;
    uint32_t i;

    memcpy(out, REPORT_MAGIC, 4);
    out[4] = REPORT_VERSION;
    memset(out + 5, 0, REPORT_TOKEN_LEN);
    memcpy(out + 5, r->campaign, n);
    memcpy(out + 21, r->kiosk, KEY_ID_LEN);
    wire_put_be(out + 53, r->opened, 4);
    wire_put_be(out + 57, r->closed, 4);
    wire_put_be(out + 61, r->registered, 8);
    wire_put_be(out + 69, r->ballots, 8);
    memcpy(out + 77, r->ballot_set, 32);
    memcpy(out + 109, r->audit_head, 32);
    wire_put_be(out + 141, r->audit_entries, 8);
    wire_put_be(out + 149, r->n_communes, 2);
    for (i = 0; i < r->n_communes; i++, off += REPORT_COMMUNE_LEN) {
        memcpy(out + off, r->communes[i].insee, 5);
        wire_put_be(out + off + 5, r->communes[i].n, 8);
    }
}

int report_seal(report_t *r, const signer_t *s, uint8_t *out, size_t cap, size_t *len)
{
    size_t signed_len;
    int rc;

    if (r == NULL || s == NULL || out == NULL || len == NULL || fields_bad(r, NULL, 0) != 0)
        return BN_EINVAL;
    if (cap < REPORT_LEN_OF(r->n_communes))
        return BN_ETOOBIG;
    signed_len = REPORT_LEN_OF(r->n_communes) - KEY_SIG_LEN;
    memcpy(r->kiosk, s->pub.id, KEY_ID_LEN);
    encode(r, out);
    rc = key_sign_msg(s, out, signed_len, out + signed_len);
    if (rc != 0)
        return rc;
    memcpy(r->sig, out + signed_len, KEY_SIG_LEN);
    *len = signed_len + KEY_SIG_LEN;
    return 0;
}

size_t report_length(const uint8_t *buf, size_t len)
{
    size_t m;

    if (buf == NULL || len < REPORT_FIXED_LEN)
        return 0;
    m = (size_t)wire_get_be(buf + 149, 2);
    return m > REPORT_MAX_COMMUNES ? 0 : REPORT_LEN_OF(m);
}

int report_decode(const uint8_t *buf, size_t len, report_t *out, char *why, size_t whylen)
{
    report_t r; /* about 16 KB */
    size_t off = REPORT_FIXED_LEN, m;
    uint32_t i;
    int rc;

    if (buf == NULL || len < REPORT_MIN_LEN)
        return bn_fail(why, whylen, BN_EFORMAT, "report: %zu bytes, fewer than %d", len,
                       REPORT_MIN_LEN);
    if (memcmp(buf, REPORT_MAGIC, 4) != 0)
        return bn_fail(why, whylen, BN_EFORMAT, "report: offset 0: magic is not BRNR");
    if (buf[4] == 1)
        return bn_fail(why, whylen, BN_EFORMAT,
                       "report: offset 4: version 1 (no turnout per commune) is no longer "
                       "read: close the polls again with this firmware to sign a version-2 "
                       "report");
    if (buf[4] != REPORT_VERSION)
        return bn_fail(why, whylen, BN_EFORMAT, "report: offset 4: version %u is not 2", buf[4]);
    m = (size_t)wire_get_be(buf + 149, 2);
    if (m > REPORT_MAX_COMMUNES)
        return bn_fail(why, whylen, BN_EFORMAT, "report: offset 149: %zu communes, more than %d",
                       m, REPORT_MAX_COMMUNES);
    if (len != REPORT_LEN_OF(m))
        return bn_fail(why, whylen, BN_EFORMAT, "report: %zu bytes, not %zu for %zu communes",
                       len, REPORT_LEN_OF(m), m);
    memset(&r, 0, sizeof r);
    if (token_read(buf + 5, r.campaign) != 0)
        return bn_fail(why, whylen, BN_EFORMAT, "report: offset 5: campaign is not a token");
    memcpy(r.kiosk, buf + 21, KEY_ID_LEN);
    r.opened = (uint32_t)wire_get_be(buf + 53, 4);
    r.closed = (uint32_t)wire_get_be(buf + 57, 4);
    r.registered = wire_get_be(buf + 61, 8);
    r.ballots = wire_get_be(buf + 69, 8);
    memcpy(r.ballot_set, buf + 77, 32);
    memcpy(r.audit_head, buf + 109, 32);
    r.audit_entries = wire_get_be(buf + 141, 8);
    r.n_communes = (uint32_t)m;
    for (i = 0; i < r.n_communes; i++, off += REPORT_COMMUNE_LEN) {
        /* a NUL inside the code would shorten it: insee_ok refuses it */
        memcpy(r.communes[i].insee, buf + off, 5);
        r.communes[i].insee[5] = '\0';
        if (memchr(buf + off, 0, 5) != NULL)
            return bn_fail(why, whylen, BN_EFORMAT,
                           "report: offset %zu: communes[%u]: code is not 5 characters of "
                           "[0-9AB]", off, i);
        r.communes[i].n = wire_get_be(buf + off + 5, 8);
    }
    memcpy(r.sig, buf + off, KEY_SIG_LEN);
    rc = fields_bad(&r, why, whylen);
    if (rc != 0)
        return rc;
    if (out != NULL)
        *out = r;
    return 0;
}

int report_verify(const uint8_t *buf, size_t len, const key_pub_t *kiosk, char *why,
                  size_t whylen)
{
    uint8_t id[KEY_ID_LEN];
    int rc;

    if (kiosk == NULL)
        return BN_EINVAL;
    rc = report_decode(buf, len, NULL, why, whylen);
    if (rc != 0)
        return rc;
    memcpy(id, buf + 21, KEY_ID_LEN);
    if (memcmp(id, kiosk->id, KEY_ID_LEN) != 0)
        return bn_fail(why, whylen, BN_EWRONGKEY, "report: made by another kiosk key");
    if (key_verify_msg(kiosk, buf, len - KEY_SIG_LEN, buf + len - KEY_SIG_LEN) != 0)
        return bn_fail(why, whylen, BN_EBADSIG, "report: signature does not match");
    return 0;
}

typedef struct turnout_acc_s {
    report_t *r;
    uint64_t sum;
    int over;
} turnout_acc_t;

static int on_turnout(void *arg, const char *commune, int64_t n)
{
    turnout_acc_t *a = arg;
    report_commune_t *c;

    if (a->r->n_communes >= REPORT_MAX_COMMUNES) {
        a->over = 1;
        return BN_ETOOBIG;
    }
    c = &a->r->communes[a->r->n_communes++];
    snprintf(c->insee, sizeof c->insee, "%s", commune);
    c->n = (uint64_t)n;
    a->sum += (uint64_t)n;
    return 0;
}

int report_make(store_t *s, const char *campaign, uint32_t opened, uint32_t closed,
                const signer_t *signer, uint8_t *out, size_t cap, size_t *len, report_t *r,
                char *why, size_t whylen)
{
    report_t *rep = NULL;
    turnout_acc_t acc;
    int64_t reg = 0, bal = 0, entries = 0;
    uint64_t n = 0;
    int rc;

    if (s == NULL || campaign == NULL || signer == NULL || out == NULL || len == NULL)
        return BN_EINVAL;
    if (!token_ok(campaign))
        return bn_fail(why, whylen, BN_EINVAL, "campaign: not a token");
    rep = calloc(1, sizeof *rep);
    if (rep == NULL)
        return bn_fail(why, whylen, BN_ENOMEM, "report: out of memory");
    snprintf(rep->campaign, sizeof rep->campaign, "%s", campaign);
    rep->opened = opened;
    rep->closed = closed;
    rc = store_counts(s, campaign, &reg, &bal);
    if (rc != 0) {
        rc = bn_fail(why, whylen, rc, "counts: %s", bn_strerror(rc));
        goto out;
    }
    rc = report_set_digest_store(s, campaign, rep->ballot_set, &n);
    if (rc != 0) {
        rc = bn_fail(why, whylen, rc, "ballots: %s", bn_strerror(rc));
        goto out;
    }
    if ((uint64_t)bal != n) {
        rc = bn_fail(why, whylen, BN_ECORRUPT, "ballots: counted %lld, read %llu",
                     (long long)bal, (unsigned long long)n);
        goto out;
    }
    /* the turnout counters (store.c, (STORE-S9)): given only when they account
     * for every register entry */
    memset(&acc, 0, sizeof acc);
    acc.r = rep;
    rc = store_turnout_each(s, campaign, on_turnout, &acc);
    if (rc != 0) {
        rc = bn_fail(why, whylen, rc, acc.over ? "turnout: more than %d communes"
                                               : "turnout: cannot be read (%d)",
                     acc.over ? REPORT_MAX_COMMUNES : rc);
        goto out;
    }
    if (acc.sum > (uint64_t)reg) {
        rc = bn_fail(why, whylen, BN_ECORRUPT,
                     "turnout: counters sum to %llu, the register holds %lld",
                     (unsigned long long)acc.sum, (long long)reg);
        goto out;
    }
    if (acc.sum != (uint64_t)reg)
        rep->n_communes = 0; /* entries from before schema 3, or a petition */
    rc = store_audit_verify(s, rep->audit_head, &entries, why, whylen);
    if (rc != 0)
        goto out;
    rep->registered = (uint64_t)reg;
    rep->ballots = (uint64_t)bal;
    rep->audit_entries = (uint64_t)entries;
    rc = fields_bad(rep, why, whylen);
    if (rc != 0) {
        rc = BN_EINVAL;
        goto out;
    }
    rc = report_seal(rep, signer, out, cap, len);
    if (rc != 0) {
        rc = bn_fail(why, whylen, rc, "signing: %s", bn_strerror(rc));
        goto out;
    }
    if (r != NULL)
        *r = *rep;
out:
    free(rep);
    return rc;
}
