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

/* Checks the fields that the decoder checks; 0 or a static reason. */
static const char *fields_bad(const report_t *r)
{
    if (!token_ok(r->campaign))
        return "campaign is not a token";
    if (r->opened == 0)
        return "day opened is 0";
    if (r->closed < r->opened)
        return "closed before it opened";
    if (r->registered > REPORT_COUNT_MAX || r->ballots > REPORT_COUNT_MAX ||
        r->audit_entries > REPORT_COUNT_MAX)
        return "count above 2^53";
    return NULL;
}

static void encode(const report_t *r, uint8_t *out)
{
    size_t n = strlen(r->campaign);

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
}

int report_seal(report_t *r, const signer_t *s, uint8_t out[REPORT_LEN])
{
    int rc;

    if (r == NULL || s == NULL || out == NULL || fields_bad(r) != NULL)
        return BN_EINVAL;
    memcpy(r->kiosk, s->pub.id, KEY_ID_LEN);
    encode(r, out);
    rc = key_sign_msg(s, out, REPORT_SIGNED_LEN, out + REPORT_SIGNED_LEN);
    if (rc != 0)
        return rc;
    memcpy(r->sig, out + REPORT_SIGNED_LEN, KEY_SIG_LEN);
    return 0;
}

int report_decode(const uint8_t *buf, size_t len, report_t *out, char *why, size_t whylen)
{
    report_t r;
    const char *bad;

    if (buf == NULL || len != REPORT_LEN)
        return bn_fail(why, whylen, BN_EFORMAT, "report: %zu bytes, not %d", len, REPORT_LEN);
    if (memcmp(buf, REPORT_MAGIC, 4) != 0)
        return bn_fail(why, whylen, BN_EFORMAT, "report: offset 0: magic is not BRNR");
    if (buf[4] != REPORT_VERSION)
        return bn_fail(why, whylen, BN_EFORMAT, "report: offset 4: version %u is not 1", buf[4]);
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
    memcpy(r.sig, buf + REPORT_SIGNED_LEN, KEY_SIG_LEN);
    bad = fields_bad(&r);
    if (bad != NULL)
        return bn_fail(why, whylen, BN_EFORMAT, "report: %s", bad);
    if (out != NULL)
        *out = r;
    return 0;
}

int report_verify(const uint8_t *buf, size_t len, const key_pub_t *kiosk, char *why,
                  size_t whylen)
{
    report_t r;
    int rc;

    if (kiosk == NULL)
        return BN_EINVAL;
    rc = report_decode(buf, len, &r, why, whylen);
    if (rc != 0)
        return rc;
    if (memcmp(r.kiosk, kiosk->id, KEY_ID_LEN) != 0)
        return bn_fail(why, whylen, BN_EWRONGKEY, "report: made by another kiosk key");
    if (key_verify_msg(kiosk, buf, REPORT_SIGNED_LEN, buf + REPORT_SIGNED_LEN) != 0)
        return bn_fail(why, whylen, BN_EBADSIG, "report: signature does not match");
    return 0;
}

int report_make(store_t *s, const char *campaign, uint32_t opened, uint32_t closed,
                const signer_t *signer, uint8_t out[REPORT_LEN], report_t *r, char *why,
                size_t whylen)
{
    report_t rep;
    int64_t reg = 0, bal = 0, entries = 0;
    uint64_t n = 0;
    int rc;

    if (s == NULL || campaign == NULL || signer == NULL || out == NULL)
        return BN_EINVAL;
    memset(&rep, 0, sizeof rep);
    if (!token_ok(campaign))
        return bn_fail(why, whylen, BN_EINVAL, "campaign: not a token");
    snprintf(rep.campaign, sizeof rep.campaign, "%s", campaign);
    rep.opened = opened;
    rep.closed = closed;
    rc = store_counts(s, campaign, &reg, &bal);
    if (rc != 0)
        return bn_fail(why, whylen, rc, "counts: %s", bn_strerror(rc));
    rc = report_set_digest_store(s, campaign, rep.ballot_set, &n);
    if (rc != 0)
        return bn_fail(why, whylen, rc, "ballots: %s", bn_strerror(rc));
    if ((uint64_t)bal != n)
        return bn_fail(why, whylen, BN_ECORRUPT, "ballots: counted %lld, read %llu",
                       (long long)bal, (unsigned long long)n);
    rc = store_audit_verify(s, rep.audit_head, &entries, why, whylen);
    if (rc != 0)
        return rc;
    rep.registered = (uint64_t)reg;
    rep.ballots = (uint64_t)bal;
    rep.audit_entries = (uint64_t)entries;
    if (fields_bad(&rep) != NULL)
        return bn_fail(why, whylen, BN_EINVAL, "report: %s", fields_bad(&rep));
    rc = report_seal(&rep, signer, out);
    if (rc != 0)
        return bn_fail(why, whylen, rc, "signing: %s", bn_strerror(rc));
    if (r != NULL)
        *r = rep;
    return 0;
}
