/* bundle_verify.c - the one verification core of a bundle (bundle.h): the
 * prologue (decode, certificate, revocation), then every signed item with a
 * key of any sigverify backend. The kiosk's tests, borne-server and
 * borne-tally all go through these functions, so they accept, refuse and
 * name exactly the same things. */
#include "bundle.h"

#include <stdlib.h>
#include <string.h>

#include "ballot.h"
#include "bn_err.h"
#include "day.h"
#include "hex.h"
#include "answers.h"
#include "idea.h"
#include "petition.h"
#include "report.h"

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* (CERT-R1) The latest day of anything the bundle carries: ballots, register
 * entries, petition signatures, closing reports (their closing day); 0 for
 * an empty bundle. */
static int latest_day(const uint8_t *buf, const bundle_t *b, uint32_t *late)
{
    bundle_item_t *items = NULL;
    bundle_reg_t r;
    size_t n = 0, i;
    uint32_t d;
    int rc;

    *late = 0;
    if ((rc = bundle_items(buf, b, &items, &n)) != 0)
        return rc;
    for (i = 0; i < n; i++) {
        const uint8_t *p = items[i].p;

        d = items[i].kind == BUNDLE_ITEM_BALLOT      ? get32(p + BALLOT_OFF_DAY)
            : items[i].kind == BUNDLE_ITEM_SIGNATURE ? get32(p + PETITION_OFF_DAY)
            : items[i].kind == BUNDLE_ITEM_REPORT    ? get32(p + REPORT_OFF_CLOSED)
            : items[i].kind == BUNDLE_ITEM_IDEA      ? get32(p + IDEA_OFF_DAY)
            : items[i].kind == BUNDLE_ITEM_TEXT      ? get32(p + QTEXT_OFF_DAY)
                                                     : 0;
        if (d > *late)
            *late = d;
    }
    free(items);
    for (i = 0; i < b->n_register; i++) {
        bundle_register_at(b, (uint32_t)i, &r);
        if (r.day > *late)
            *late = r.day;
    }
    return 0;
}

int bundle_open(const uint8_t *buf, size_t len, const bundle_trust_t *t, bundle_t *b,
                cert_info_t *kiosk, char *why, size_t whylen)
{
    char inner[200], kid[2 * KEY_ID_LEN + 1];
    key_pub_t ca_key;
    uint32_t since = 0, late = 0;
    int rc;

    if (t == NULL || b == NULL || kiosk == NULL)
        return BN_EINVAL;
    /* 1. strict decoding */
    if ((rc = bundle_decode(buf, len, b, why, whylen)) != 0)
        return rc;
    /* 2. a kiosk certificate of the authority, valid today */
    rc = cert_verify(b->cert, b->cert_len, t->ca_der, t->ca_len, t->today, CERT_KIOSK, NULL,
                     kiosk, inner, sizeof inner);
    if (rc != 0)
        return bn_fail(why, whylen, rc, "bundle: kiosk %s", inner);
    /* 3. not revoked, by a list of this authority */
    if (t->revoked == NULL)
        return 0;
    if (cert_key(t->ca_der, t->ca_len, &ca_key) != 0 ||
        memcmp(t->revoked->authority, ca_key.id, KEY_ID_LEN) != 0)
        return bn_fail(why, whylen, BN_EINVAL, "bundle: the revocation list is not the "
                       "authority's");
    if (cert_revoked_since(t->revoked, kiosk->pub.id, &since)) {
        hex_encode(kiosk->pub.id, 8, kid);
        if (since == 0)
            return bn_fail(why, whylen, BN_EREVOKED, "bundle: kiosk %s (key %s...) is revoked",
                           kiosk->name, kid);
        /* (CERT-R1) revoked from a day on: what it made before stays */
        if ((rc = latest_day(buf, b, &late)) != 0)
            return rc;
        if (late >= since) {
            char d1[DAY_TEXT_LEN + 1], d2[DAY_TEXT_LEN + 1];

            day_format(since, d1);
            day_format(late, d2);
            return bn_fail(why, whylen, BN_EREVOKED, "bundle: kiosk %s (key %s...) is revoked "
                           "from %s, and the bundle holds an item of %s", kiosk->name, kid, d1,
                           d2);
        }
    }
    return 0;
}

int bundle_items(const uint8_t *buf, const bundle_t *b, bundle_item_t **items, size_t *n)
{
    size_t total = 1 + (size_t)b->n_ballots + b->n_signatures + b->n_reports + b->n_ideas +
                   b->n_texts,
           i = 0, pos = 0;
    bundle_item_t *it;
    uint32_t k;

    *items = NULL;
    *n = 0;
    if ((it = calloc(total, sizeof *it)) == NULL)
        return BN_ENOMEM;
    it[i++] = (bundle_item_t){BUNDLE_ITEM_BUNDLE, 0, buf, b->signed_len + KEY_SIG_LEN,
                              b->signed_len, 0};
    for (k = 0; k < b->n_ballots; k++, i++) {
        it[i].kind = BUNDLE_ITEM_BALLOT;
        it[i].index = k;
        bundle_next_ballot(b, &pos, &it[i].p, &it[i].len);
        it[i].signed_len = it[i].len - KEY_SIG_LEN;
        it[i].kid_off = BALLOT_OFF_KIOSK;
    }
    for (k = 0; k < b->n_signatures; k++, i++)
        it[i] = (bundle_item_t){BUNDLE_ITEM_SIGNATURE, k, bundle_signature_at(b, k), PETITION_LEN,
                                PETITION_SIGNED_LEN, PETITION_OFF_KIOSK};
    for (k = 0; k < b->n_reports; k++, i++) {
        it[i].kind = BUNDLE_ITEM_REPORT;
        it[i].index = k;
        it[i].p = bundle_report_at(b, k, &it[i].len);
        it[i].signed_len = it[i].len - KEY_SIG_LEN;
        it[i].kid_off = REPORT_OFF_KIOSK;
    }
    for (k = 0; k < b->n_ideas; k++, i++) {
        it[i].kind = BUNDLE_ITEM_IDEA;
        it[i].index = k;
        it[i].p = bundle_idea_at(b, k, &it[i].len);
        it[i].signed_len = it[i].len - KEY_SIG_LEN;
        it[i].kid_off = IDEA_OFF_KIOSK;
    }
    for (k = 0; k < b->n_texts; k++, i++) {
        it[i].kind = BUNDLE_ITEM_TEXT;
        it[i].index = k;
        it[i].p = bundle_text_at(b, k, &it[i].len);
        it[i].signed_len = it[i].len - KEY_SIG_LEN;
        it[i].kid_off = QTEXT_OFF_KIOSK;
    }
    *items = it;
    *n = total;
    return 0;
}

int bundle_item_check(const bundle_item_t *it, const sigverify_key_t *k)
{
    if (it->kind != BUNDLE_ITEM_BUNDLE &&
        memcmp(it->p + it->kid_off, sigverify_key_pub(k)->id, KEY_ID_LEN) != 0)
        return BN_EWRONGKEY;
    return sigverify_msg(k, it->p, it->signed_len, it->p + it->signed_len);
}

int bundle_item_fail(const bundle_item_t *it, const char *kiosk, int rc, char *why,
                     size_t whylen)
{
    const char *what = rc == BN_EWRONGKEY ? "signed by another kiosk" : "signature does not match";
    char id[2 * BALLOT_ID_LEN + 1];

    switch (it->kind) {
    case BUNDLE_ITEM_BUNDLE:
        return bn_fail(why, whylen, rc, "bundle: kiosk %s: bundle signature does not match",
                       kiosk);
    case BUNDLE_ITEM_BALLOT:
        hex_encode(it->p + BALLOT_OFF_ID, BALLOT_LEN_ID, id);
        return bn_fail(why, whylen, rc, "bundle: kiosk %s: ballot %u (id %s): %s", kiosk,
                       it->index, id, what);
    case BUNDLE_ITEM_SIGNATURE:
        hex_encode(it->p + PETITION_OFF_ID, PETITION_LEN_ID, id);
        return bn_fail(why, whylen, rc, "bundle: kiosk %s: signature %u (id %s): %s", kiosk,
                       it->index, id, what);
    case BUNDLE_ITEM_REPORT:
        return bn_fail(why, whylen, rc, "bundle: kiosk %s: report %u: %s", kiosk, it->index,
                       what);
    case BUNDLE_ITEM_IDEA:
        hex_encode(it->p + IDEA_OFF_ID, IDEA_ID_LEN, id);
        return bn_fail(why, whylen, rc, "bundle: kiosk %s: idea %u (id %s): %s", kiosk,
                       it->index, id, what);
    case BUNDLE_ITEM_TEXT:
        hex_encode(it->p + QTEXT_OFF_ID, QTEXT_ID_LEN, id);
        return bn_fail(why, whylen, rc, "bundle: kiosk %s: text %u (id %s): %s", kiosk,
                       it->index, id, what);
    }
    return rc;
}

int bundle_check(const uint8_t *buf, const bundle_t *b, const cert_info_t *kiosk,
                 const sigverify_key_t *k, char *why, size_t whylen)
{
    bundle_item_t *items = NULL;
    size_t n = 0, i;
    int rc;

    if ((rc = bundle_items(buf, b, &items, &n)) != 0)
        return rc;
    for (i = 0; i < n; i++)
        if ((rc = bundle_item_check(&items[i], k)) != 0) {
            rc = bundle_item_fail(&items[i], kiosk->name, rc, why, whylen);
            break;
        }
    free(items);
    return rc;
}

int bundle_verify(const uint8_t *buf, size_t len, const uint8_t *ca_der, size_t ca_len,
                  const cert_revoked_t *revoked, uint32_t today, bundle_t *out,
                  cert_info_t *kiosk, char *why, size_t whylen)
{
    bundle_trust_t t = {ca_der, ca_len, revoked, today};
    sigverify_key_t *k = NULL;
    cert_info_t ci;
    bundle_t b;
    int rc;

    if ((rc = bundle_open(buf, len, &t, &b, &ci, why, whylen)) != 0)
        return rc;
    if ((rc = sigverify_key_new(&sigverify_mbedtls, &ci.pub, &k)) != 0)
        return bn_fail(why, whylen, rc, "bundle: kiosk %s: unusable key", ci.name);
    rc = bundle_check(buf, &b, &ci, k, why, whylen);
    sigverify_key_free(k);
    if (rc != 0)
        return rc;
    if (out != NULL)
        *out = b;
    if (kiosk != NULL)
        *kiosk = ci;
    return 0;
}
