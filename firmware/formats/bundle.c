/* bundle.c - signed bundles: builder, strict decoder, verification, outbox export. */
#include "bundle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ballot.h"
#include "bn_err.h"
#include "wire.h"
#include "hex.h"
#include "answers.h"
#include "idea.h"
#include "petition.h"
#include "report.h"

#define BALLOT_MIN_LEN (BALLOT_HEADER_LEN + KEY_SIG_LEN) /* 156: no choice */
#define TOKEN_LEN 16

typedef struct item_s {
    uint8_t *p;
    size_t len;
} item_t;

struct bundle_builder_s {
    char campaign[TOKEN_LEN + 1];
    uint64_t seq;
    uint8_t cert[CERT_DER_MAX];
    size_t cert_len;
    item_t *ballots;
    size_t nb, capb;
    uint8_t *regs;              /* BUNDLE_REGISTER_LEN each */
    size_t nr, capr;
    item_t *reports;            /* closing reports, variable length */
    size_t np, capp;
    uint8_t *sigs;              /* PETITION_LEN each */
    size_t ns, caps;
    item_t *ideas;              /* idea records, variable length */
    size_t ni, capi;
    item_t *texts;              /* free texts, variable length */
    size_t nt, capt;
    size_t bytes;               /* encoded size of the items so far */
};

/* A 16-byte token field, strictly (wire.h): 0 or -1. */
static int token_read(const uint8_t *f, char out[TOKEN_LEN + 1])
{
    return wire_token_get(f, out) == NULL ? 0 : -1;
}

/* Byte strings in increasing order: by their common prefix, then the
 * shorter first. */
static int bytes_cmp(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
    int c = memcmp(a, b, alen < blen ? alen : blen);

    if (c != 0)
        return c;
    return alen < blen ? -1 : alen > blen ? 1 : 0;
}


/* --- decoding --------------------------------------------------------------- */

/* An item of a bundle with a 2-byte length before it (a ballot, a report):
 * the length must be in [min, max] and the bytes before `end`; *l gets the
 * length and *pos moves to the bytes. BN_EFORMAT naming the offset, the
 * item and its index otherwise. */
static int sized_item(const uint8_t *buf, size_t end, size_t *pos, const char *what, size_t i,
                      size_t min, size_t max, size_t *l, char *why, size_t whylen)
{
    if (end - *pos < 2)
        return bn_fail(why, whylen, BN_EFORMAT, "bundle: offset %zu: %s %zu truncated", *pos,
                       what, i);
    *l = (size_t)wire_get_be(buf + *pos, 2);
    if (*l < min || *l > max)
        return bn_fail(why, whylen, BN_EFORMAT, "bundle: offset %zu: %s %zu length %zu not in "
                       "%zu..%zu", *pos, what, i, *l, min, max);
    *pos += 2;
    if (end - *pos < *l)
        return bn_fail(why, whylen, BN_EFORMAT, "bundle: offset %zu: %s %zu truncated", *pos,
                       what, i);
    return 0;
}

int bundle_decode(const uint8_t *buf, size_t len, bundle_t *out, char *why, size_t whylen)
{
    bundle_t b;
    ballot_t bal;
    report_t rep;
    petition_t pet;
    idea_t idea;
    qtext_t *qt = NULL;
    char inner[160];
    const uint8_t *prev = NULL;
    size_t pos, end, c, i, hlen;
    uint64_t items;
    int rc;

    memset(&b, 0, sizeof b);
    if (buf == NULL || len < BUNDLE_HEADER_LEN + 1 + KEY_SIG_LEN)
        return bn_fail(why, whylen, BN_EFORMAT, "bundle: %zu bytes, shorter than a bundle", len);
    if (len > BUNDLE_MAX_LEN)
        return bn_fail(why, whylen, BN_ETOOBIG, "bundle: %zu bytes, more than %u", len,
                       BUNDLE_MAX_LEN);
    if (memcmp(buf, BUNDLE_MAGIC, 4) != 0)
        return bn_fail(why, whylen, BN_EFORMAT, "bundle: offset 0: magic is not BRNU");
    if (buf[4] == 1)
        return bn_fail(why, whylen, BN_EFORMAT, "bundle: offset 4: version 1 (fixed-size "
                       "closing reports, no turnout per commune) is no longer read: update "
                       "the kiosk's firmware and send its outbox again (uploads are "
                       "idempotent), or close its polls again for a new report");
    if (buf[4] != BUNDLE_VERSION && buf[4] != BUNDLE_VERSION_IDEAS)
        return bn_fail(why, whylen, BN_EFORMAT, "bundle: offset 4: version %u is not %d or %d",
                       buf[4], BUNDLE_VERSION, BUNDLE_VERSION_IDEAS);
    b.version = buf[4];
    hlen = b.version == BUNDLE_VERSION_IDEAS ? BUNDLE_HEADER_LEN_V3 : BUNDLE_HEADER_LEN;
    if (len < hlen + 1 + KEY_SIG_LEN)
        return bn_fail(why, whylen, BN_EFORMAT, "bundle: %zu bytes, shorter than a bundle", len);
    if (token_read(buf + 5, b.campaign) != 0)
        return bn_fail(why, whylen, BN_EFORMAT, "bundle: offset 5: campaign is not a token");
    b.seq = wire_get_be(buf + 21, 8);
    c = (size_t)wire_get_be(buf + 29, 2);
    b.n_ballots = (uint32_t)wire_get_be(buf + 31, 4);
    b.n_register = (uint32_t)wire_get_be(buf + 35, 4);
    b.n_reports = (uint32_t)wire_get_be(buf + 39, 4);
    b.n_signatures = (uint32_t)wire_get_be(buf + 43, 4);
    if (b.version == BUNDLE_VERSION_IDEAS) {
        b.n_ideas = (uint32_t)wire_get_be(buf + BUNDLE_OFF_N_IDEAS, 4);
        b.n_texts = (uint32_t)wire_get_be(buf + BUNDLE_OFF_N_TEXTS, 4);
        if (b.n_ideas == 0 && b.n_texts == 0)
            return bn_fail(why, whylen, BN_EFORMAT, "bundle: offset 47: version 3 with no "
                           "idea and no text (such a bundle is version 2)");
    }
    if (c == 0 || c > CERT_DER_MAX)
        return bn_fail(why, whylen, BN_EFORMAT, "bundle: offset 29: certificate length %zu "
                       "not in 1..%d", c, CERT_DER_MAX);
    items = (uint64_t)b.n_ballots + b.n_register + b.n_reports + b.n_signatures + b.n_ideas +
            b.n_texts;
    if (items > BUNDLE_MAX_ITEMS || b.n_reports > BUNDLE_MAX_REPORTS)
        return bn_fail(why, whylen, BN_ETOOBIG, "bundle: offset 31: %llu items (%u reports), "
                       "more than %d (%d)", (unsigned long long)items, b.n_reports,
                       BUNDLE_MAX_ITEMS, BUNDLE_MAX_REPORTS);
    end = len - KEY_SIG_LEN; /* items end here */
    pos = hlen;
    if (c > end - pos)
        return bn_fail(why, whylen, BN_EFORMAT, "bundle: offset %zu: truncated certificate", pos);
    b.cert = buf + pos;
    b.cert_len = c;
    pos += c;

    b.ballots = buf + pos;
    for (i = 0; i < b.n_ballots; i++) {
        size_t l;

        if ((rc = sized_item(buf, end, &pos, "ballot", i, BALLOT_MIN_LEN, BALLOT_MAX_LEN, &l,
                             why, whylen)) != 0)
            return rc;
        if (ballot_decode(buf + pos, l, &bal, inner, sizeof inner) != 0)
            return bn_fail(why, whylen, BN_EFORMAT, "bundle: offset %zu: ballot %zu: %s", pos,
                           i, inner);
        if (strcmp(bal.campaign, b.campaign) != 0)
            return bn_fail(why, whylen, BN_EFORMAT, "bundle: offset %zu: ballot %zu is of "
                           "campaign %s, not %s", pos, i, bal.campaign, b.campaign);
        /* (BUNDLE-B1) strictly increasing ballot ids */
        if (prev != NULL && memcmp(prev, buf + pos + 12, BALLOT_ID_LEN) >= 0)
            return bn_fail(why, whylen, BN_EFORMAT, "bundle: offset %zu: ballot %zu: id not "
                           "above the previous one (unsorted or duplicate)", pos, i);
        prev = buf + pos + 12;
        pos += l;
    }

    b.registers = buf + pos;
    if ((end - pos) / BUNDLE_REGISTER_LEN < b.n_register)
        return bn_fail(why, whylen, BN_EFORMAT, "bundle: offset %zu: register entries "
                       "truncated", pos);
    for (i = 0; i < b.n_register; i++, pos += BUNDLE_REGISTER_LEN) {
        const uint8_t *e = buf + pos;

        if (wire_get_be(e + 32, 4) == 0)
            return bn_fail(why, whylen, BN_EFORMAT, "bundle: offset %zu: register entry %zu: "
                           "day is 0", pos + 32, i);
        if (e[36] > 1)
            return bn_fail(why, whylen, BN_EFORMAT, "bundle: offset %zu: register entry %zu: "
                           "offline flag %u is not 0 or 1", pos + 36, i, e[36]);
        /* (BUNDLE-B1) strictly increasing pseudonyms */
        if (i > 0 && memcmp(e - BUNDLE_REGISTER_LEN, e, 32) >= 0)
            return bn_fail(why, whylen, BN_EFORMAT, "bundle: offset %zu: register entry %zu: "
                           "pseudonym not above the previous one (unsorted or duplicate)", pos,
                           i);
    }

    b.signatures = buf + pos;
    if ((end - pos) / PETITION_LEN < b.n_signatures)
        return bn_fail(why, whylen, BN_EFORMAT, "bundle: offset %zu: petition signatures "
                       "truncated", pos);
    for (i = 0; i < b.n_signatures; i++, pos += PETITION_LEN) {
        if (petition_decode(buf + pos, PETITION_LEN, &pet, inner, sizeof inner) != 0)
            return bn_fail(why, whylen, BN_EFORMAT, "bundle: offset %zu: signature %zu: %s",
                           pos, i, inner);
        if (strcmp(pet.campaign, b.campaign) != 0)
            return bn_fail(why, whylen, BN_EFORMAT, "bundle: offset %zu: signature %zu is of "
                           "campaign %s, not %s", pos, i, pet.campaign, b.campaign);
        /* (BUNDLE-B3) strictly increasing signature ids */
        if (i > 0 && memcmp(buf + pos - PETITION_LEN + PETITION_OFF_ID,
                            buf + pos + PETITION_OFF_ID, PETITION_ID_LEN) >= 0)
            return bn_fail(why, whylen, BN_EFORMAT, "bundle: offset %zu: signature %zu: id "
                           "not above the previous one (unsorted or duplicate)", pos, i);
    }

    b.reports = buf + pos;
    prev = NULL;
    for (i = 0; i < b.n_reports; i++) {
        size_t l, prev_len = 0;

        if ((rc = sized_item(buf, end, &pos, "report", i, REPORT_MIN_LEN, REPORT_MAX_LEN, &l,
                             why, whylen)) != 0)
            return rc;
        if (report_decode(buf + pos, l, &rep, inner, sizeof inner) != 0)
            return bn_fail(why, whylen, BN_EFORMAT, "bundle: offset %zu: report %zu: %s", pos,
                           i, inner);
        if (strcmp(rep.campaign, b.campaign) != 0)
            return bn_fail(why, whylen, BN_EFORMAT, "bundle: offset %zu: report %zu is of "
                           "campaign %s, not %s", pos, i, rep.campaign, b.campaign);
        if (prev != NULL) {
            prev_len = (size_t)wire_get_be(prev - 2, 2);
            if (bytes_cmp(prev, prev_len, buf + pos, l) >= 0)
                return bn_fail(why, whylen, BN_EFORMAT, "bundle: offset %zu: report %zu not "
                               "above the previous one (unsorted or duplicate)", pos, i);
        }
        prev = buf + pos;
        pos += l;
    }

    b.ideas = buf + pos;
    for (i = 0; i < b.n_ideas; i++) {
        size_t l;

        if ((rc = sized_item(buf, end, &pos, "idea", i, IDEA_MIN_LEN, IDEA_MAX_LEN, &l, why,
                             whylen)) != 0)
            return rc;
        if (idea_decode(buf + pos, l, &idea, inner, sizeof inner) != 0)
            return bn_fail(why, whylen, BN_EFORMAT, "bundle: offset %zu: idea %zu: %s", pos, i,
                           inner);
        if (strcmp(idea.campaign, b.campaign) != 0)
            return bn_fail(why, whylen, BN_EFORMAT, "bundle: offset %zu: idea %zu is of "
                           "campaign %s, not %s", pos, i, idea.campaign, b.campaign);
        /* (BUNDLE-B4) strictly increasing idea ids */
        if (i > 0 && memcmp(prev + IDEA_OFF_ID, buf + pos + IDEA_OFF_ID, IDEA_ID_LEN) >= 0)
            return bn_fail(why, whylen, BN_EFORMAT, "bundle: offset %zu: idea %zu: id not "
                           "above the previous one (unsorted or duplicate)", pos, i);
        prev = buf + pos;
        pos += l;
    }

    b.texts = buf + pos;
    if (b.n_texts > 0 && (qt = malloc(sizeof *qt)) == NULL)
        return BN_ENOMEM;
    for (i = 0; i < b.n_texts; i++) {
        size_t l;

        if ((rc = sized_item(buf, end, &pos, "text", i, QTEXT_MIN_LEN, QTEXT_MAX_LEN, &l, why,
                             whylen)) != 0)
            goto text_fail;
        if (qtext_decode(buf + pos, l, qt, inner, sizeof inner) != 0) {
            rc = bn_fail(why, whylen, BN_EFORMAT, "bundle: offset %zu: text %zu: %s", pos, i,
                         inner);
            goto text_fail;
        }
        if (strcmp(qt->campaign, b.campaign) != 0) {
            rc = bn_fail(why, whylen, BN_EFORMAT, "bundle: offset %zu: text %zu is of campaign "
                         "%s, not %s", pos, i, qt->campaign, b.campaign);
            goto text_fail;
        }
        /* (BUNDLE-B4) strictly increasing text ids */
        if (i > 0 && memcmp(prev + QTEXT_OFF_ID, buf + pos + QTEXT_OFF_ID, QTEXT_ID_LEN) >= 0) {
            rc = bn_fail(why, whylen, BN_EFORMAT, "bundle: offset %zu: text %zu: id not above "
                         "the previous one (unsorted or duplicate)", pos, i);
            goto text_fail;
        }
        prev = buf + pos;
        pos += l;
    }
    free(qt);
    qt = NULL;
    if (pos != end)
        return bn_fail(why, whylen, BN_EFORMAT, "bundle: offset %zu: %zu bytes between the "
                       "last item and the signature", pos, end - pos);
    b.sig = buf + end;
    b.signed_len = end;
    if (out != NULL)
        *out = b;
    return 0;
text_fail:
    free(qt);
    return rc;
}

int bundle_next_ballot(const bundle_t *b, size_t *pos, const uint8_t **ballot, size_t *len)
{
    size_t l;

    if (b->ballots + *pos >= b->registers)
        return 0;
    l = (size_t)wire_get_be(b->ballots + *pos, 2);
    *ballot = b->ballots + *pos + 2;
    *len = l;
    *pos += 2 + l;
    return 1;
}

void bundle_register_at(const bundle_t *b, uint32_t i, bundle_reg_t *out)
{
    const uint8_t *e = b->registers + (size_t)i * BUNDLE_REGISTER_LEN;

    out->pseudonym = e;
    out->day = (uint32_t)wire_get_be(e + 32, 4);
    out->offline = e[36];
}

const uint8_t *bundle_report_at(const bundle_t *b, uint32_t i, size_t *len)
{
    const uint8_t *p = b->reports;
    uint32_t k;

    for (k = 0; k < i; k++)
        p += 2 + (size_t)wire_get_be(p, 2);
    if (len != NULL)
        *len = (size_t)wire_get_be(p, 2);
    return p + 2;
}

const uint8_t *bundle_signature_at(const bundle_t *b, uint32_t i)
{
    return b->signatures + (size_t)i * PETITION_LEN;
}

const uint8_t *bundle_text_at(const bundle_t *b, uint32_t i, size_t *len)
{
    const uint8_t *p = b->texts;
    uint32_t k;

    for (k = 0; k < i; k++)
        p += 2 + (size_t)wire_get_be(p, 2);
    if (len != NULL)
        *len = (size_t)wire_get_be(p, 2);
    return p + 2;
}

const uint8_t *bundle_idea_at(const bundle_t *b, uint32_t i, size_t *len)
{
    const uint8_t *p = b->ideas;
    uint32_t k;

    for (k = 0; k < i; k++)
        p += 2 + (size_t)wire_get_be(p, 2);
    if (len != NULL)
        *len = (size_t)wire_get_be(p, 2);
    return p + 2;
}

/* --- building --------------------------------------------------------------- */

int bundle_new(const char *campaign, uint64_t seq, const uint8_t *cert, size_t cert_len,
               bundle_builder_t **out)
{
    bundle_builder_t *b;
    uint8_t f[TOKEN_LEN];
    size_t n;

    if (out == NULL)
        return BN_EINVAL;
    *out = NULL;
    if (campaign == NULL || cert == NULL || cert_len == 0 || cert_len > CERT_DER_MAX)
        return BN_EINVAL;
    n = strnlen(campaign, TOKEN_LEN + 1);
    if (n > TOKEN_LEN)
        return BN_EINVAL;
    b = calloc(1, sizeof *b);
    if (b == NULL)
        return BN_ENOMEM;
    memset(f, 0, sizeof f);
    memcpy(f, campaign, n);
    if (token_read(f, b->campaign) != 0) {
        free(b);
        return BN_EINVAL;
    }
    b->seq = seq;
    memcpy(b->cert, cert, cert_len);
    b->cert_len = cert_len;
    *out = b;
    return 0;
}

static size_t n_items(const bundle_builder_t *b)
{
    return b->nb + b->nr + b->np + b->ns + b->ni + b->nt;
}

/* Grows *arr (of `size`-byte elements) to hold one more. */
static int grow(void *arr, size_t *cap, size_t n, size_t size)
{
    void **a = arr, *g;
    size_t nc;

    if (n < *cap)
        return 0;
    nc = *cap ? *cap * 2 : 64;
    g = realloc(*a, nc * size);
    if (g == NULL)
        return BN_ENOMEM;
    *a = g;
    *cap = nc;
    return 0;
}

static int room(const bundle_builder_t *b, size_t more)
{
    if (n_items(b) + 1 > BUNDLE_MAX_ITEMS ||
        BUNDLE_HEADER_LEN_V3 + b->cert_len + b->bytes + more + KEY_SIG_LEN > BUNDLE_MAX_LEN)
        return BN_ETOOBIG;
    return 0;
}

int bundle_add_ballot(bundle_builder_t *b, const uint8_t *ballot, size_t len)
{
    ballot_t dec;
    uint8_t *copy;
    int rc;

    if (b == NULL || ballot == NULL)
        return BN_EINVAL;
    if (ballot_decode(ballot, len, &dec, NULL, 0) != 0)
        return BN_EFORMAT;
    if (strcmp(dec.campaign, b->campaign) != 0)
        return BN_EINVAL;
    rc = room(b, 2 + len);
    if (rc == 0)
        rc = grow(&b->ballots, &b->capb, b->nb, sizeof *b->ballots);
    if (rc != 0)
        return rc;
    copy = malloc(len);
    if (copy == NULL)
        return BN_ENOMEM;
    memcpy(copy, ballot, len);
    b->ballots[b->nb].p = copy;
    b->ballots[b->nb].len = len;
    b->nb++;
    b->bytes += 2 + len;
    return 0;
}

int bundle_add_register(bundle_builder_t *b, const uint8_t pseudonym[32], uint32_t day,
                        int offline)
{
    uint8_t *e;
    int rc;

    if (b == NULL || pseudonym == NULL || day == 0 || (offline != 0 && offline != 1))
        return BN_EINVAL;
    rc = room(b, BUNDLE_REGISTER_LEN);
    if (rc == 0)
        rc = grow(&b->regs, &b->capr, b->nr, BUNDLE_REGISTER_LEN);
    if (rc != 0)
        return rc;
    e = b->regs + b->nr * BUNDLE_REGISTER_LEN;
    memcpy(e, pseudonym, 32);
    wire_put_be(e + 32, day, 4);
    e[36] = (uint8_t)offline;
    b->nr++;
    b->bytes += BUNDLE_REGISTER_LEN;
    return 0;
}

int bundle_add_report(bundle_builder_t *b, const uint8_t *report, size_t len)
{
    char campaign[TOKEN_LEN + 1];
    uint8_t *copy;
    int rc;

    if (b == NULL || report == NULL)
        return BN_EINVAL;
    if (report_decode(report, len, NULL, NULL, 0) != 0)
        return BN_EFORMAT;
    if (token_read(report + 5, campaign) != 0 || strcmp(campaign, b->campaign) != 0)
        return BN_EINVAL;
    if (b->np >= BUNDLE_MAX_REPORTS)
        return BN_ETOOBIG;
    rc = room(b, 2 + len);
    if (rc == 0)
        rc = grow(&b->reports, &b->capp, b->np, sizeof *b->reports);
    if (rc != 0)
        return rc;
    copy = malloc(len);
    if (copy == NULL)
        return BN_ENOMEM;
    memcpy(copy, report, len);
    b->reports[b->np].p = copy;
    b->reports[b->np].len = len;
    b->np++;
    b->bytes += 2 + len;
    return 0;
}

int bundle_add_signature(bundle_builder_t *b, const uint8_t *rec, size_t len)
{
    petition_t dec;
    int rc;

    if (b == NULL || rec == NULL)
        return BN_EINVAL;
    if (petition_decode(rec, len, &dec, NULL, 0) != 0)
        return BN_EFORMAT;
    if (strcmp(dec.campaign, b->campaign) != 0)
        return BN_EINVAL;
    rc = room(b, PETITION_LEN);
    if (rc == 0)
        rc = grow(&b->sigs, &b->caps, b->ns, PETITION_LEN);
    if (rc != 0)
        return rc;
    memcpy(b->sigs + b->ns * PETITION_LEN, rec, PETITION_LEN);
    b->ns++;
    b->bytes += PETITION_LEN;
    return 0;
}

int bundle_add_idea(bundle_builder_t *b, const uint8_t *rec, size_t len)
{
    idea_t dec;
    uint8_t *copy;
    int rc;

    if (b == NULL || rec == NULL)
        return BN_EINVAL;
    if (idea_decode(rec, len, &dec, NULL, 0) != 0)
        return BN_EFORMAT;
    if (strcmp(dec.campaign, b->campaign) != 0)
        return BN_EINVAL;
    rc = room(b, 2 + len);
    if (rc == 0)
        rc = grow(&b->ideas, &b->capi, b->ni, sizeof *b->ideas);
    if (rc != 0)
        return rc;
    if ((copy = malloc(len)) == NULL)
        return BN_ENOMEM;
    memcpy(copy, rec, len);
    b->ideas[b->ni].p = copy;
    b->ideas[b->ni].len = len;
    b->ni++;
    b->bytes += 2 + len;
    return 0;
}

int bundle_add_text(bundle_builder_t *b, const uint8_t *rec, size_t len)
{
    qtext_t *dec;
    uint8_t *copy;
    int rc;

    if (b == NULL || rec == NULL)
        return BN_EINVAL;
    if ((dec = malloc(sizeof *dec)) == NULL)
        return BN_ENOMEM;
    rc = qtext_decode(rec, len, dec, NULL, 0) != 0         ? BN_EFORMAT
         : strcmp(dec->campaign, b->campaign) != 0          ? BN_EINVAL
                                                            : 0;
    free(dec);
    if (rc == 0)
        rc = room(b, 2 + len);
    if (rc == 0)
        rc = grow(&b->texts, &b->capt, b->nt, sizeof *b->texts);
    if (rc != 0)
        return rc;
    if ((copy = malloc(len)) == NULL)
        return BN_ENOMEM;
    memcpy(copy, rec, len);
    b->texts[b->nt].p = copy;
    b->texts[b->nt].len = len;
    b->nt++;
    b->bytes += 2 + len;
    return 0;
}

static int by_ballot_id(const void *x, const void *y)
{
    const item_t *a = x, *b = y;

    return memcmp(a->p + 12, b->p + 12, BALLOT_ID_LEN);
}

static int by_pseudonym(const void *a, const void *b)
{
    return memcmp(a, b, 32);
}

static int by_signature_id(const void *a, const void *b)
{
    return memcmp((const uint8_t *)a + PETITION_OFF_ID, (const uint8_t *)b + PETITION_OFF_ID,
                  PETITION_ID_LEN);
}

static int by_idea_id(const void *x, const void *y)
{
    const item_t *a = x, *b = y;

    return memcmp(a->p + IDEA_OFF_ID, b->p + IDEA_OFF_ID, IDEA_ID_LEN);
}

static int by_text_id(const void *x, const void *y)
{
    const item_t *a = x, *b = y;

    return memcmp(a->p + QTEXT_OFF_ID, b->p + QTEXT_OFF_ID, QTEXT_ID_LEN);
}

static int by_report(const void *x, const void *y)
{
    const item_t *a = x, *b = y;

    return bytes_cmp(a->p, a->len, b->p, b->len);
}

int bundle_finish(bundle_builder_t *b, const signer_t *s, uint8_t **out, size_t *len)
{
    key_pub_t ck;
    uint8_t *buf, *p;
    size_t total, i,
           hlen = b != NULL && b->ni + b->nt > 0 ? BUNDLE_HEADER_LEN_V3 : BUNDLE_HEADER_LEN;
    int rc;

    if (b == NULL || s == NULL || out == NULL || len == NULL)
        return BN_EINVAL;
    *out = NULL;
    if (cert_key(b->cert, b->cert_len, &ck) != 0)
        return BN_EFORMAT;
    if (memcmp(ck.id, s->pub.id, KEY_ID_LEN) != 0)
        return BN_EWRONGKEY;
    /* (BUNDLE-B1) each kind in the order of its random key, never the order added */
    if (b->nb > 1)
        qsort(b->ballots, b->nb, sizeof *b->ballots, by_ballot_id);
    if (b->nr > 1)
        qsort(b->regs, b->nr, BUNDLE_REGISTER_LEN, by_pseudonym);
    if (b->np > 1)
        qsort(b->reports, b->np, sizeof *b->reports, by_report);
    if (b->ns > 1)
        qsort(b->sigs, b->ns, PETITION_LEN, by_signature_id); /* (BUNDLE-B3) */
    if (b->ni > 1)
        qsort(b->ideas, b->ni, sizeof *b->ideas, by_idea_id); /* (BUNDLE-B4) */
    for (i = 1; i < b->ni; i++)
        if (by_idea_id(&b->ideas[i - 1], &b->ideas[i]) == 0)
            return BN_EEXISTS;
    if (b->nt > 1)
        qsort(b->texts, b->nt, sizeof *b->texts, by_text_id); /* (BUNDLE-B4) */
    for (i = 1; i < b->nt; i++)
        if (by_text_id(&b->texts[i - 1], &b->texts[i]) == 0)
            return BN_EEXISTS;
    for (i = 1; i < b->nb; i++)
        if (by_ballot_id(&b->ballots[i - 1], &b->ballots[i]) == 0)
            return BN_EEXISTS;
    for (i = 1; i < b->nr; i++)
        if (by_pseudonym(b->regs + (i - 1) * BUNDLE_REGISTER_LEN,
                         b->regs + i * BUNDLE_REGISTER_LEN) == 0)
            return BN_EEXISTS;
    for (i = 1; i < b->ns; i++)
        if (by_signature_id(b->sigs + (i - 1) * PETITION_LEN, b->sigs + i * PETITION_LEN) == 0)
            return BN_EEXISTS;
    for (i = 1; i < b->np; i++)
        if (by_report(&b->reports[i - 1], &b->reports[i]) == 0)
            return BN_EEXISTS;
    total = hlen + b->cert_len + b->bytes + KEY_SIG_LEN;
    buf = malloc(total);
    if (buf == NULL)
        return BN_ENOMEM;
    memcpy(buf, BUNDLE_MAGIC, 4);
    buf[4] = b->ni + b->nt > 0 ? BUNDLE_VERSION_IDEAS : BUNDLE_VERSION;
    memset(buf + 5, 0, TOKEN_LEN);
    memcpy(buf + 5, b->campaign, strlen(b->campaign));
    wire_put_be(buf + 21, b->seq, 8);
    wire_put_be(buf + 29, b->cert_len, 2);
    wire_put_be(buf + 31, b->nb, 4);
    wire_put_be(buf + 35, b->nr, 4);
    wire_put_be(buf + 39, b->np, 4);
    wire_put_be(buf + 43, b->ns, 4);
    if (b->ni + b->nt > 0) {
        wire_put_be(buf + BUNDLE_OFF_N_IDEAS, b->ni, 4);
        wire_put_be(buf + BUNDLE_OFF_N_TEXTS, b->nt, 4);
    }
    p = buf + hlen;
    memcpy(p, b->cert, b->cert_len);
    p += b->cert_len;
    for (i = 0; i < b->nb; i++) {
        wire_put_be(p, b->ballots[i].len, 2);
        memcpy(p + 2, b->ballots[i].p, b->ballots[i].len);
        p += 2 + b->ballots[i].len;
    }
    if (b->nr > 0)
        memcpy(p, b->regs, b->nr * BUNDLE_REGISTER_LEN);
    p += b->nr * BUNDLE_REGISTER_LEN;
    if (b->ns > 0)
        memcpy(p, b->sigs, b->ns * PETITION_LEN);
    p += b->ns * PETITION_LEN;
    for (i = 0; i < b->np; i++) {
        wire_put_be(p, b->reports[i].len, 2);
        memcpy(p + 2, b->reports[i].p, b->reports[i].len);
        p += 2 + b->reports[i].len;
    }
    for (i = 0; i < b->ni; i++) {
        wire_put_be(p, b->ideas[i].len, 2);
        memcpy(p + 2, b->ideas[i].p, b->ideas[i].len);
        p += 2 + b->ideas[i].len;
    }
    for (i = 0; i < b->nt; i++) {
        wire_put_be(p, b->texts[i].len, 2);
        memcpy(p + 2, b->texts[i].p, b->texts[i].len);
        p += 2 + b->texts[i].len;
    }
    rc = key_sign_msg(s, buf, (size_t)(p - buf), p);
    if (rc != 0) {
        free(buf);
        return rc;
    }
    *out = buf;
    *len = total;
    return 0;
}

void bundle_free(bundle_builder_t *b)
{
    size_t i;

    if (b == NULL)
        return;
    for (i = 0; i < b->nb; i++)
        free(b->ballots[i].p);
    free(b->ballots);
    free(b->regs);
    for (i = 0; i < b->np; i++)
        free(b->reports[i].p);
    free(b->reports);
    free(b->sigs);
    for (i = 0; i < b->ni; i++)
        free(b->ideas[i].p);
    free(b->ideas);
    for (i = 0; i < b->nt; i++)
        free(b->texts[i].p);
    free(b->texts);
    free(b);
}
