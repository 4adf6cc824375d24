/* outbox.c - the kiosk's outbox as bundles: what is not yet synced, read
 * in key order (STORE-S5) into a signed bundle, and marked synced once the
 * server acknowledged it (outbox.h). Reads the store through store.h only. */
#include "outbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ballot.h"
#include "bn_err.h"
#include "answers.h"
#include "idea.h"
#include "petition.h"

typedef struct outbox_walk_s {
    store_t *s;
    const char *campaign;
    outbox_part_t part;
    bundle_builder_t *b;
    size_t max, n;
    outbox_cursor_t *cur;        /* may be NULL */
} outbox_walk_t;

#define WALK_FULL 1 /* stops store_outbox_each: max_items reached */

static int on_item(void *arg, store_item_t kind, const char *campaign, const uint8_t *key,
                   size_t keylen)
{
    outbox_walk_t *w = arg;
    uint8_t *ballot = NULL;
    size_t len = 0;
    uint32_t day = 0;
    int offline = 0, rc;

    /* (SYNC-Y4) ballots and a questionnaire's free texts, or who took part */
    if (strcmp(campaign, w->campaign) != 0 ||
        (kind == STORE_ITEM_BALLOT || kind == STORE_ITEM_TEXT) != (w->part == OUTBOX_BALLOTS))
        return 0;
    if (w->cur != NULL && w->cur->set && keylen <= sizeof w->cur->key &&
        ((int)kind < w->cur->kind ||
         ((int)kind == w->cur->kind && memcmp(key, w->cur->key, keylen) <= 0)))
        return 0; /* in an earlier bundle of this walk */
    if (w->n >= w->max)
        return WALK_FULL;
    if (kind == STORE_ITEM_BALLOT && keylen == BALLOT_ID_LEN) {
        rc = store_get_ballot(w->s, key, &ballot, &len);
        if (rc == BN_ENOTFOUND)
            rc = BN_ECORRUPT;
        if (rc == 0)
            rc = bundle_add_ballot(w->b, ballot, len);
        free(ballot);
    } else if (kind == STORE_ITEM_SIGNATURE && keylen == PETITION_ID_LEN) {
        rc = store_get_signature(w->s, key, &ballot, &len);
        if (rc == BN_ENOTFOUND)
            rc = BN_ECORRUPT;
        if (rc == 0)
            rc = bundle_add_signature(w->b, ballot, len);
        free(ballot);
    } else if (kind == STORE_ITEM_IDEA && keylen == IDEA_ID_LEN) {
        rc = store_get_idea(w->s, key, &ballot, &len);
        if (rc == BN_ENOTFOUND)
            rc = BN_ECORRUPT;
        if (rc == 0)
            rc = bundle_add_idea(w->b, ballot, len);
        free(ballot);
    } else if (kind == STORE_ITEM_TEXT && keylen == QTEXT_ID_LEN) {
        rc = store_get_text(w->s, key, &ballot, &len);
        if (rc == BN_ENOTFOUND)
            rc = BN_ECORRUPT;
        if (rc == 0)
            rc = bundle_add_text(w->b, ballot, len);
        free(ballot);
    } else if (kind == STORE_ITEM_REGISTER && keylen == 32) {
        rc = store_get_register(w->s, w->campaign, key, &day, &offline);
        if (rc == BN_ENOTFOUND)
            rc = BN_ECORRUPT;
        if (rc == 0)
            rc = bundle_add_register(w->b, key, day, offline);
    } else {
        rc = BN_ECORRUPT;
    }
    if (rc == BN_ETOOBIG)
        return WALK_FULL;
    if (rc == 0) {
        w->n++;
        if (w->cur != NULL && keylen <= sizeof w->cur->key) {
            w->cur->set = 1;
            w->cur->kind = (int)kind;
            memset(w->cur->key, 0, sizeof w->cur->key);
            memcpy(w->cur->key, key, keylen);
        }
    }
    return rc;
}

int outbox_bundle(store_t *s, const char *campaign, outbox_part_t part, uint64_t seq,
                  const uint8_t *cert, size_t cert_len, const signer_t *signer,
                  size_t max_items, uint8_t **out, size_t *len, size_t *n_items_out)
{
    return outbox_bundle_after(s, campaign, part, seq, cert, cert_len, signer, max_items, NULL,
                               out, len, n_items_out);
}

int outbox_bundle_after(store_t *s, const char *campaign, outbox_part_t part, uint64_t seq,
                        const uint8_t *cert, size_t cert_len, const signer_t *signer,
                        size_t max_items, outbox_cursor_t *cur, uint8_t **out, size_t *len,
                        size_t *n_items_out)
{
    outbox_walk_t w;
    int rc;

    if (s == NULL || signer == NULL || out == NULL || len == NULL ||
        (part != OUTBOX_PARTICIPATION && part != OUTBOX_BALLOTS))
        return BN_EINVAL;
    *out = NULL;
    memset(&w, 0, sizeof w);
    w.s = s;
    w.campaign = campaign;
    w.part = part;
    w.max = max_items < BUNDLE_MAX_ITEMS ? max_items : BUNDLE_MAX_ITEMS;
    w.cur = cur;
    rc = bundle_new(campaign, seq, cert, cert_len, &w.b);
    if (rc != 0)
        return rc;
    rc = store_outbox_each(s, on_item, &w);
    if (rc == WALK_FULL)
        rc = 0;
    if (rc != 0)
        goto out;
    rc = bundle_finish(w.b, signer, out, len);
    if (rc == 0 && n_items_out != NULL)
        *n_items_out = w.n;
out:
    bundle_free(w.b);
    return rc;
}

int outbox_next_seq(store_t *s, uint64_t *seq)
{
    char v[32];
    unsigned long long n = 0;
    int rc = store_meta_get(s, "sync.seq", v, sizeof v);

    if (rc == 0)
        n = strtoull(v, NULL, 10);
    else if (rc != BN_ENOTFOUND)
        return rc;
    n++;
    snprintf(v, sizeof v, "%llu", n);
    *seq = n;
    return store_meta_set(s, "sync.seq", v);
}

int outbox_done(store_t *s, const bundle_t *b)
{
    const uint8_t *ballot;
    size_t pos = 0, len;
    uint32_t i;
    int rc;

    if (s == NULL || b == NULL)
        return BN_EINVAL;
    while (bundle_next_ballot(b, &pos, &ballot, &len)) {
        rc = store_outbox_done(s, STORE_ITEM_BALLOT, ballot + BALLOT_OFF_ID, BALLOT_LEN_ID);
        if (rc != 0)
            return rc;
    }
    for (i = 0; i < b->n_register; i++) {
        rc = store_outbox_done(s, STORE_ITEM_REGISTER, b->registers + (size_t)i *
                               BUNDLE_REGISTER_LEN, 32);
        if (rc != 0)
            return rc;
    }
    for (i = 0; i < b->n_signatures; i++) {
        rc = store_outbox_done(s, STORE_ITEM_SIGNATURE, bundle_signature_at(b, i) +
                               PETITION_OFF_ID, PETITION_ID_LEN);
        if (rc != 0)
            return rc;
    }
    for (i = 0; i < b->n_ideas; i++) {
        rc = store_outbox_done(s, STORE_ITEM_IDEA, bundle_idea_at(b, i, NULL) + IDEA_OFF_ID,
                               IDEA_ID_LEN);
        if (rc != 0)
            return rc;
    }
    for (i = 0; i < b->n_texts; i++) {
        rc = store_outbox_done(s, STORE_ITEM_TEXT, bundle_text_at(b, i, NULL) + QTEXT_OFF_ID,
                               QTEXT_ID_LEN);
        if (rc != 0)
            return rc;
    }
    return 0;
}
