/* sync.c - the kiosk's sync client (sync.h).
 *
 * Invariants (each has a test that names it):
 * (SYNC-Y1) DESIGN-S2: never a lone ballot right after its cast. A
 *      batch goes only with at least min_casts casts, after the first
 *      unsent cast waited max_delay_ms (a time in memory only), or at poll
 *      close; bundles come from outbox_bundle, in key order (BUNDLE-B1).
 *      Tests: test_sync (test_batch_rule), sync_e2e ("batches").
 * (SYNC-Y2) Nothing is marked synced that the server does not hold: items are
 *      marked only after a 200 acknowledgement naming this bundle, this
 *      campaign and this kiosk, holding at least this bundle's items. A
 *      failure or a crash before the marking only sends them again, and the
 *      server skips what it holds, so nothing is counted twice.
 *      Tests: sync_e2e (lost acknowledgement, TLS refusals, restart),
 *      sync_kill (kiosk SIGKILLed), sync_faults (faulty proxy).
 * (SYNC-Y3) After an upload the kiosk compares the set of ballots it marked
 *      synced with the acknowledgement's ballot_ids_digest and count, and
 *      reports a server that lost some (restored from an old copy, or an
 *      empty database): sync_upload_res_t.mismatch, and repairs it: every
 *      item of the campaign goes back in the outbox (store_outbox_requeue)
 *      and the next upload sends it again; the server skips what it holds.
 *      Test: sync_e2e ("server restored from an old copy": then every
 *      ballot is held exactly once). */
#include "sync.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ballot.h"
#include "bn_err.h"
#include "report.h"
#include "bundle.h"
#include "outbox.h"
#include "day.h"
#include "hex.h"

/* A refusal from the server in words: its status and {"error","detail"};
 * the code says what kind (docs/api.md): 5xx and unknown refusals are
 * BN_EIO (try again later), the others name the fault. */
static int server_refused(int status, const uint8_t *body, const char *what, char *why,
                          size_t whylen)
{
    static const struct {
        const char *error;
        int code;
    } map[] = {{"malformed", BN_EFORMAT},       {"too-large", BN_ETOOBIG},
               {"unknown-kiosk", BN_EWRONGKEY}, {"kiosk-certificate-expired", BN_EEXPIRED},
               {"revoked-kiosk", BN_EREVOKED},  {"conflict", BN_EEXISTS},
               {"bad-signature", BN_EBADSIG},   {"unknown-campaign", BN_ENOTFOUND},
               {"inconsistent-ballot", BN_ERULE}, {"no-client-certificate", BN_EKEY},
               {"ballots-exceed-register", BN_ERULE},
               /* a kiosk the server does not list is refused as a revoked
                * one: out of service, naming the server's reason */
               {"not-enrolled", BN_EREVOKED},   {"polls-closed", BN_ECLOSED},
               {"not-found", BN_ENOTFOUND}};
    cJSON *j = body != NULL ? cJSON_Parse((const char *)body) : NULL;
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(j, "error");
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(j, "detail");
    int code = status == 404 ? BN_ENOTFOUND : BN_EIO, rc;
    size_t i;

    for (i = 0; status < 500 && cJSON_IsString(e) && i < sizeof map / sizeof map[0]; i++)
        if (strcmp(e->valuestring, map[i].error) == 0)
            code = map[i].code;
    rc = bn_fail(why, whylen, code, "%s: server answered %d %.60s%s%.200s", what, status,
                 cJSON_IsString(e) ? e->valuestring : "(no error)", cJSON_IsString(d) ? ": " : "",
                 cJSON_IsString(d) ? d->valuestring : "");
    cJSON_Delete(j);
    return rc;
}

/* --- backoff ----------------------------------------------------------------- */

int sync_backoff_ready(const sync_backoff_t *b, int64_t now_ms)
{
    return b->failures == 0 || now_ms >= b->next_ms;
}

void sync_backoff_fail(sync_backoff_t *b, int64_t now_ms, rng_t *rng)
{
    int64_t base = b->base_ms > 0 ? b->base_ms : 2000, max = b->max_ms > 0 ? b->max_ms : 900000;
    int64_t d = base;
    uint32_t i;
    uint8_t r[4];

    for (i = 0; i < b->failures && d < max; i++)
        d *= 2;
    if (d > max)
        d = max;
    if (rng != NULL && rng_bytes(rng, r, 4) == 0) {
        uint32_t x = (uint32_t)r[0] << 24 | (uint32_t)r[1] << 16 | (uint32_t)r[2] << 8 | r[3];
        d = d / 2 + (int64_t)((uint64_t)x * (uint64_t)(d - d / 2) / 4294967296u);
    }
    if (b->failures < UINT32_MAX)
        b->failures++;
    b->next_ms = now_ms + d;
}

void sync_backoff_ok(sync_backoff_t *b)
{
    b->failures = 0;
    b->next_ms = 0;
}

/* --- uploads ------------------------------------------------------------------ */

void sync_note_cast(sync_batch_t *b, int64_t now_ms)
{
    if (b->first_unsent_ms == 0)
        b->first_unsent_ms = now_ms > 0 ? now_ms : 1;
}

typedef struct count_s {
    const char *campaign;
    int64_t casts, items, ballots, texts;
} count_t;

static int count_item(void *arg, store_item_t kind, const char *campaign, const uint8_t *key,
                      size_t keylen)
{
    count_t *c = arg;

    (void)key;
    (void)keylen;
    if (strcmp(campaign, c->campaign) != 0)
        return 0;
    c->items++;
    if (kind == STORE_ITEM_BALLOT || kind == STORE_ITEM_SIGNATURE)
        c->casts++;
    if (kind == STORE_ITEM_BALLOT)
        c->ballots++;
    if (kind == STORE_ITEM_TEXT)
        c->texts++;
    return 0;
}

static int outbox_count(store_t *s, const char *campaign, count_t *c)
{
    c->campaign = campaign;
    c->casts = c->items = c->ballots = c->texts = 0;
    return store_outbox_each(s, count_item, c);
}

/* (BACKUP-B2) Keeps the latest acknowledgement's server time, from an
 * acknowledgement that stored something (added > 0, or not said), or
 * after an upload whose answer was lost (SYNC_META_INFLIGHT still set: its
 * items may have been stored then, unseen). A bundle of items the server
 * already held, whose first acknowledgement this kiosk recorded (a re-send
 * after a restart, STORE-S12; a probe at close), leaves the time as it
 * was: else every sync would push the wipe past the next backup. */
static int inflight_get(store_t *s)
{
    char v[8] = "";

    return store_meta_get(s, SYNC_META_INFLIGHT, v, sizeof v) == 0 && strcmp(v, "1") == 0;
}

/* `inflight`: the flag as it was before this upload set it. */
static int note_ack(store_t *s, int64_t ack_ms, int64_t added, int inflight)
{
    char v[32] = "";
    long long old = 0;
    int rc = 0;

    if (store_meta_get(s, SYNC_META_ACK_MS, v, sizeof v) == 0)
        old = strtoll(v, NULL, 10);
    if ((added != 0 || inflight) && (long long)ack_ms > old) {
        snprintf(v, sizeof v, "%lld", (long long)ack_ms);
        rc = store_meta_set(s, SYNC_META_ACK_MS, v);
    }
    if (rc == 0)
        rc = store_meta_set(s, SYNC_META_INFLIGHT, "0");
    return rc;
}

/* Checks the acknowledgement of bundle `bd` (bytes buf[len]). */
static int check_ack(const sync_conf_t *c, const uint8_t *ack, const uint8_t *buf, size_t len,
                     const bundle_t *bd, sync_upload_res_t *res, char *why, size_t whylen)
{
    cJSON *j = cJSON_Parse((const char *)ack);
    const cJSON *hb = cJSON_GetObjectItemCaseSensitive(j, "bundle");
    const cJSON *hc = cJSON_GetObjectItemCaseSensitive(j, "campaign");
    const cJSON *hk = cJSON_GetObjectItemCaseSensitive(j, "kiosk");
    const cJSON *nb = cJSON_GetObjectItemCaseSensitive(j, "ballots");
    const cJSON *nr = cJSON_GetObjectItemCaseSensitive(j, "register");
    const cJSON *hd = cJSON_GetObjectItemCaseSensitive(j, "ballot_ids_digest");
    const cJSON *ns = cJSON_GetObjectItemCaseSensitive(j, "signatures");
    const cJSON *tm = cJSON_GetObjectItemCaseSensitive(j, "time_ms");
    const cJSON *ad = cJSON_GetObjectItemCaseSensitive(j, "added");
    uint8_t digest[32];
    char hex[65], kid[65];
    int rc = 0;

    key_sha256(buf, len, digest);
    hex_encode(digest, 32, hex);
    hex_encode(c->signer->pub.id, KEY_ID_LEN, kid);
    if (j == NULL || !cJSON_IsObject(j))
        rc = bn_fail(why, whylen, BN_EFORMAT, "acknowledgement: not a JSON object");
    else if (!cJSON_IsString(hb) || strcmp(hb->valuestring, hex) != 0)
        rc = bn_fail(why, whylen, BN_EFORMAT,
                     "acknowledgement: bundle digest is not this bundle's");
    else if (!cJSON_IsString(hc) || strcmp(hc->valuestring, bd->campaign) != 0)
        rc = bn_fail(why, whylen, BN_EFORMAT, "acknowledgement: campaign is not %s", bd->campaign);
    else if (!cJSON_IsString(hk) || strcmp(hk->valuestring, kid) != 0)
        rc = bn_fail(why, whylen, BN_EFORMAT, "acknowledgement: kiosk is not this kiosk");
    else if (!cJSON_IsNumber(nb) || !cJSON_IsNumber(nr) || nb->valuedouble < bd->n_ballots ||
             nr->valuedouble < bd->n_register || nb->valuedouble > 1e12 || nr->valuedouble > 1e12)
        rc = bn_fail(why, whylen, BN_EFORMAT,
                     "acknowledgement: holds fewer ballots or entries than this bundle (%u, %u)",
                     (unsigned)bd->n_ballots, (unsigned)bd->n_register);
    else {
        res->server_ballots = (int64_t)nb->valuedouble;
        res->server_register = (int64_t)nr->valuedouble;
        res->server_signatures = cJSON_IsNumber(ns) && ns->valuedouble >= 0 &&
                                         ns->valuedouble <= 1e12
                                     ? (int64_t)ns->valuedouble
                                     : -1;
        res->server_digest[0] = '\0';
        if (cJSON_IsString(hd) && strlen(hd->valuestring) == 64)
            memcpy(res->server_digest, hd->valuestring, 65);
        res->ack_ms = cJSON_IsNumber(tm) && tm->valuedouble >= 0 && tm->valuedouble < 1e15
                          ? (int64_t)tm->valuedouble : SYNC_ACK_UNTIMED;
        res->ack_added = cJSON_IsNumber(ad) && ad->valuedouble >= 0 && ad->valuedouble < 1e12
                             ? (int64_t)ad->valuedouble : -1;
    }
    cJSON_Delete(j);
    return rc;
}

/* --- the kiosk's synced ballots, as the server digests them --------------- */

typedef struct idset_s {
    const char *campaign;
    uint8_t *ids;                /* 16 bytes each */
    size_t n, cap;
    const uint8_t *unsent;       /* sorted outbox ballot ids, to leave out */
    size_t n_unsent;
} idset_t;

static int cmp16(const void *a, const void *b)
{
    return memcmp(a, b, 16);
}

static int idset_add(idset_t *d, const uint8_t *id)
{
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 256;
        uint8_t *t = realloc(d->ids, cap * 16);
        if (t == NULL)
            return BN_ENOMEM;
        d->ids = t;
        d->cap = cap;
    }
    memcpy(d->ids + 16 * d->n++, id, 16);
    return 0;
}

static int unsent_item(void *arg, store_item_t kind, const char *campaign, const uint8_t *key,
                       size_t keylen)
{
    idset_t *d = arg;

    if (kind != STORE_ITEM_BALLOT || keylen != 16 || strcmp(campaign, d->campaign) != 0)
        return 0;
    return idset_add(d, key);
}

static int synced_ballot(void *arg, const uint8_t *ballot, size_t len)
{
    idset_t *d = arg;

    if (len < BALLOT_OFF_ID + BALLOT_LEN_ID)
        return BN_ECORRUPT;
    if (d->n_unsent > 0 && bsearch(ballot + BALLOT_OFF_ID, d->unsent, d->n_unsent, 16, cmp16) != NULL)
        return 0;
    return idset_add(d, ballot + BALLOT_OFF_ID);
}

/* SHA-256("borne-ballot-ids-v1" || ids of the campaign's ballots that are
 * not in the outbox, in increasing order): what the server's
 * acknowledgement calls ballot_ids_digest when it holds exactly what this
 * kiosk marked synced (docs/api.md). */
static int count_one(void *arg, const uint8_t *rec, size_t len)
{
    (void)rec;
    (void)len;
    ++*(int64_t *)arg;
    return 0;
}

/* The petition signatures of the campaign this kiosk marked synced: its
 * records less those still in the outbox. */
static int synced_signatures(store_t *s, const char *campaign, int64_t *n)
{
    int64_t all = 0;
    count_t q;
    int rc = store_each_signature(s, campaign, count_one, &all);

    if (rc == 0)
        rc = outbox_count(s, campaign, &q);
    if (rc == 0) {
        int64_t unsent = 0;
        /* outbox casts of a petition are its signatures */
        unsent = q.casts;
        *n = all - unsent < 0 ? 0 : all - unsent;
    }
    return rc;
}

static int synced_digest(store_t *s, const char *campaign, char hex[65], int64_t *n,
                         int64_t *unsent)
{
    idset_t u, d;
    uint8_t dg[32];
    int rc;

    memset(&u, 0, sizeof u);
    memset(&d, 0, sizeof d);
    u.campaign = d.campaign = campaign;
    if ((rc = store_outbox_each(s, unsent_item, &u)) != 0)
        goto out;
    if (u.n > 0)
        qsort(u.ids, u.n, 16, cmp16);
    d.unsent = u.ids;
    d.n_unsent = u.n;
    if ((rc = store_each_ballot(s, campaign, synced_ballot, &d)) != 0)
        goto out;
    ballot_ids_digest(d.ids, d.n, dg);
    hex_encode(dg, 32, hex);
    *n = (int64_t)d.n;
    *unsent = (int64_t)u.n;
out:
    free(u.ids);
    free(d.ids);
    return rc;
}

/* Sends one bundle of at most max_items items of `part` and marks its
 * items synced once acknowledged (SYNC-Y2). *items: how many it held (0
 * and nothing sent, unless probe: then an empty bundle goes all the same). */
static int send_bundle(const sync_conf_t *c, store_t *s, const char *campaign,
                       outbox_part_t part, size_t max_items, int probe, sync_upload_res_t *res,
                       size_t *items, char *why, size_t whylen)
{
    uint8_t *buf = NULL, *ack = NULL;
    size_t len, ack_len;
    bundle_t bd;
    uint64_t seq;
    int rc, status, was_inflight = 0;

    *items = 0;
    if ((rc = outbox_next_seq(s, &seq)) != 0 ||
        (rc = outbox_bundle(s, campaign, part, seq, c->cert_der, c->cert_len, c->signer,
                            max_items, &buf, &len, items)) != 0) {
        rc = bn_fail(why, whylen, rc, "building a bundle from the outbox: %s", bn_strerror(rc));
        goto out;
    }
    if (*items == 0 && !probe)
        goto out;
    if ((rc = bundle_decode(buf, len, &bd, why, whylen)) != 0)
        goto out;
    /* (BACKUP-B2) items on their way: cleared once their answer is noted */
    was_inflight = inflight_get(s);
    if (*items > 0 && (rc = store_meta_set(s, SYNC_META_INFLIGHT, "1")) != 0)
        goto out;
    rc = sync_request(c, "POST", "/v1/bundles", "application/octet-stream", buf, len,
                      SYNC_MAX_ANSWER, &status, &ack, &ack_len, why, whylen);
    if (rc == 0 && status != 200)
        rc = server_refused(status, ack, "upload", why, whylen);
    if (rc == 0)
        rc = check_ack(c, ack, buf, len, &bd, res, why, whylen);
    if (rc != 0)
        goto out;
    /* (SYNC-Y2) only now, acknowledged: marking twice or crashing before
     * marking only makes the next call send the same items again */
    if ((rc = outbox_done(s, &bd)) != 0 ||
        (rc = note_ack(s, res->ack_ms, res->ack_added, was_inflight)) != 0) {
        rc = bn_fail(why, whylen, rc, "marking the bundle synced: %s", bn_strerror(rc));
    }
out:
    free(buf);
    free(ack);
    return rc;
}

/* (SYNC-Y4) How many ballots the next ballot bundle takes of the n
 * unsent: as many as a bundle holds, but never leaving fewer than
 * SYNC_MIN_BALLOTS behind unless the poll closes (they would have to go
 * alone later); 0 when fewer than SYNC_MIN_BALLOTS wait and the poll is open. */
static size_t ballot_batch(int64_t n, size_t max_items, int closing)
{
    size_t k, left;

    if (n <= 0 || (!closing && n < SYNC_MIN_BALLOTS))
        return 0;
    if (max_items < SYNC_MIN_BALLOTS)
        max_items = SYNC_MIN_BALLOTS;
    k = (size_t)n < max_items ? (size_t)n : max_items;
    left = (size_t)n - k;
    if (!closing && left > 0 && left < SYNC_MIN_BALLOTS && (size_t)n >= 2 * SYNC_MIN_BALLOTS)
        k = (size_t)n - SYNC_MIN_BALLOTS;
    return k;
}

/* (SYNC-Y3) Does the server hold what this kiosk marked synced? When no
 * ballot of the campaign is unsent, exactly those (count and digest); while
 * some are (after a restart the outbox holds everything, STORE-S12, and
 * the server may hold some of them already), at least as many. If not,
 * every item of the campaign goes back in the outbox. */
static int compare_held(store_t *s, const char *campaign, sync_upload_res_t *res, char *why,
                        size_t whylen)
{
    char mine[65];
    int64_t nmine = 0, sigs = 0, unsent = 0;
    int rc;

    if ((rc = synced_digest(s, campaign, mine, &nmine, &unsent)) != 0)
        return bn_fail(why, whylen, rc, "reading the ballot box: %s", bn_strerror(rc));
    if ((rc = synced_signatures(s, campaign, &sigs)) != 0)
        return bn_fail(why, whylen, rc, "reading the signatures: %s", bn_strerror(rc));
    if ((res->server_signatures < 0 || res->server_signatures >= sigs) &&
        (unsent > 0 ? res->server_ballots >= nmine
                    : nmine == res->server_ballots && strcmp(mine, res->server_digest) == 0))
        return 0;
    res->mismatch = 1;
    if ((rc = store_outbox_requeue(s, campaign, &res->requeued)) != 0)
        return bn_fail(why, whylen, rc, "the server lost ballots and they cannot be queued "
                       "again: %s", bn_strerror(rc));
    bn_fail(why, whylen, 0,
            "the server holds %lld ballots and %lld signatures of this kiosk, the kiosk "
            "marked %lld and %lld synced; %lld items queued again for the next upload",
            (long long)res->server_ballots, (long long)res->server_signatures,
            (long long)nmine, (long long)sigs, (long long)res->requeued);
    return 0;
}

/* (SYNC-Y5) The closing report the agents made (meta "report:ID", hex, set
 * by the kiosk when its polls closed for good), in a bundle of its own,
 * until the server acknowledged it (meta "report-sent:ID" = "1"). */
static int send_report(const sync_conf_t *c, store_t *s, const char *campaign, char *why,
                       size_t whylen)
{
    char key[96], v[4] = "";
    char *hex = NULL;
    uint8_t *rep = NULL, *buf = NULL, *ack = NULL;
    size_t rlen, len = 0, ack_len = 0, cap = 2 * REPORT_MAX_LEN + 1;
    bundle_builder_t *bb = NULL;
    bundle_t bd;
    sync_upload_res_t r;
    uint64_t seq;
    int rc, status, was_inflight = 0;

    snprintf(key, sizeof key, "report-sent:%s", campaign);
    if (store_meta_get(s, key, v, sizeof v) == 0 && strcmp(v, "1") == 0)
        return 0;
    if ((hex = malloc(cap)) == NULL || (rep = malloc(REPORT_MAX_LEN)) == NULL) {
        rc = bn_fail(why, whylen, BN_ENOMEM, "out of memory");
        goto out;
    }
    snprintf(key, sizeof key, "report:%s", campaign);
    if ((rc = store_meta_get(s, key, hex, cap)) == BN_ENOTFOUND) {
        rc = 0; /* not closed for good yet */
        goto out;
    }
    rlen = strlen(hex) / 2;
    if (rc != 0 || rlen == 0 || rlen > REPORT_MAX_LEN || hex_decode(hex, 2 * rlen, rep, rlen) != 0) {
        rc = bn_fail(why, whylen, BN_ECORRUPT, "the stored closing report of %s", campaign);
        goto out;
    }
    if ((rc = outbox_next_seq(s, &seq)) != 0 ||
        (rc = bundle_new(campaign, seq, c->cert_der, c->cert_len, &bb)) != 0 ||
        (rc = bundle_add_report(bb, rep, rlen)) != 0 ||
        (rc = bundle_finish(bb, c->signer, &buf, &len)) != 0 ||
        (rc = bundle_decode(buf, len, &bd, why, whylen)) != 0) {
        rc = bn_fail(why, whylen, rc, "the closing report's bundle: %s", bn_strerror(rc));
        goto out;
    }
    was_inflight = inflight_get(s);
    if ((rc = store_meta_set(s, SYNC_META_INFLIGHT, "1")) != 0)
        goto out;
    rc = sync_request(c, "POST", "/v1/bundles", "application/octet-stream", buf, len,
                      SYNC_MAX_ANSWER, &status, &ack, &ack_len, why, whylen);
    if (rc == 0 && status != 200)
        rc = server_refused(status, ack, "upload of the closing report", why, whylen);
    memset(&r, 0, sizeof r);
    if (rc == 0)
        rc = check_ack(c, ack, buf, len, &bd, &r, why, whylen);
    snprintf(key, sizeof key, "report-sent:%s", campaign);
    if (rc == 0)
        rc = note_ack(s, r.ack_ms, r.ack_added, was_inflight);
    if (rc == 0)
        rc = store_meta_set(s, key, "1");
out:
    bundle_free(bb);
    free(buf);
    free(ack);
    free(rep);
    free(hex);
    return rc;
}

int sync_upload(const sync_conf_t *c, store_t *s, const char *campaign, sync_batch_t *b,
                int closing, int64_t now_ms, sync_upload_res_t *res, char *why, size_t whylen)
{
    size_t min_casts = b->min_casts > 0 ? b->min_casts : 10;
    size_t max_items = b->max_items == 0 ? 2000
                       : b->max_items > BUNDLE_MAX_ITEMS ? BUNDLE_MAX_ITEMS : b->max_items;
    int64_t max_delay = b->max_delay_ms > 0 ? b->max_delay_ms : 2 * 3600 * 1000;
    int64_t rounds;
    count_t n;
    size_t items, k;
    int rc, probe = 0;

    memset(res, 0, sizeof *res);
    if (c->signer == NULL || c->cert_der == NULL)
        return bn_fail(why, whylen, BN_EINVAL,
                       "sync_upload: the kiosk certificate and signer are needed");
    if ((rc = outbox_count(s, campaign, &n)) != 0)
        return bn_fail(why, whylen, rc, "reading the outbox");
    res->left = n.casts;
    if (n.items == 0) {
        b->first_unsent_ms = 0;
        if (!closing) /* (SYNC-Y5) a closing report waiting goes all the same */
            return send_report(c, s, campaign, why, whylen);
        /* (SYNC-Y3) at poll close, even with nothing to send, an empty bundle
         * asks the server what it holds of this kiosk: a server restored
         * from an old copy, or empty, is noticed and repaired before the
         * close, not at the next cast */
        probe = 1;
    }
    sync_note_cast(b, now_ms);  /* (SYNC-Y1) after a restart the wait starts now */
    /* (SYNC-Y1) never a lone ballot right after its cast: a batch goes when it
     * is big enough, when its oldest cast has waited long enough, or at
     * poll close */
    res->due = closing || (size_t)n.casts >= min_casts || now_ms - b->first_unsent_ms > max_delay;
    if (!res->due || !sync_backoff_ready(&b->backoff, now_ms))
        return 0;
    /* 1. (SYNC-Y4) who took part first, in bundles of their own: the server
     * holds a cast's register entry before its ballot (SRV-I1) */
    for (rounds = n.items + 1, items = 1; items > 0 && rounds > 0; rounds--) {
        if ((rc = send_bundle(c, s, campaign, OUTBOX_PARTICIPATION, max_items, 0, res, &items,
                              why, whylen)) != 0)
            goto fail;
        res->bundles += items > 0;
        res->items += items;
    }
    /* 2. (SYNC-Y4) then ballots, alone, in batches of at least
     * SYNC_MIN_BALLOTS (or whatever is left at poll close) */
    for (; rounds > 0; rounds--) {
        if ((rc = outbox_count(s, campaign, &n)) != 0)
            goto out;
        /* a questionnaire's free texts (kind 5, after the ballots in key
         * order) go with the batch that takes the last ballots, never
         * alone right after a cast: alone, only at the close or by ten */
        k = ballot_batch(n.ballots, max_items, closing);
        if (k > 0 && (int64_t)k == n.ballots)
            k += (size_t)n.texts;
        else if (k == 0 && n.ballots == 0 && n.texts > 0 &&
                 (closing || n.texts >= SYNC_MIN_BALLOTS))
            k = (size_t)n.texts;
        if (k == 0)
            break;
        if ((rc = send_bundle(c, s, campaign, OUTBOX_BALLOTS, k, 0, res, &items, why,
                              whylen)) != 0)
            goto fail;
        if (items == 0)
            break;
        res->bundles++;
        res->items += items;
    }
    /* 3. at poll close with nothing sent, the empty bundle (SYNC-Y3) */
    if (probe) {
        if ((rc = send_bundle(c, s, campaign, OUTBOX_PARTICIPATION, max_items, 1, res, &items,
                              why, whylen)) != 0)
            goto fail;
        res->probed = 1;
    }
    /* 4. (SYNC-Y5) the closing report, once the polls closed for good */
    if ((rc = send_report(c, s, campaign, why, whylen)) != 0)
        goto fail;
    sync_backoff_ok(&b->backoff);
    if ((rc = outbox_count(s, campaign, &n)) != 0)
        goto out;
    res->left = n.casts;
    if (n.items == 0)
        b->first_unsent_ms = 0;
    rc = 0;
    if (res->bundles > 0 || res->probed)
        rc = compare_held(s, campaign, res, why, whylen);
    goto out;
fail:
    sync_backoff_fail(&b->backoff, now_ms, c->rng);
out:
    return rc;
}

/* --- reservations ---------------------------------------------------------------- */

/* A campaign id as packages have them: 1..64 of [a-z0-9-] (it goes into a
 * JSON text and a URL path). */
static int campaign_ok(const char *id)
{
    const char *p;

    for (p = id; *p != '\0'; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
            return 0;
    return p > id && p - id <= 64;
}

int sync_reserve(const sync_conf_t *c, const char *campaign,
                 const uint8_t pseudonym[PSEUD_LEN], int timeout_ms, sync_resv_t *out,
                 char *why, size_t whylen)
{
    char body[200], hex[2 * PSEUD_LEN + 1];
    uint8_t *ans = NULL;
    cJSON *j = NULL;
    const cJSON *st;
    int rc, status, ms = timeout_ms > 0 ? timeout_ms : 3000;

    *out = SYNC_OFFLINE;
    if (!campaign_ok(campaign))
        return bn_fail(why, whylen, BN_EINVAL, "campaign id %.64s: 1 to 64 of a-z 0-9 -", campaign);
    hex_encode(pseudonym, PSEUD_LEN, hex);
    snprintf(body, sizeof body, "{\"campaign\":\"%s\",\"pseudonym\":\"%s\"}", campaign, hex);
    rc = transport_request(c, ms, ms, ms, "POST", "/v1/reservations", "application/json",
                 (const uint8_t *)body, strlen(body), SYNC_MAX_ANSWER, &status, &ans, NULL, why,
                 whylen);
    if (rc == BN_EIO)
        return 0;  /* offline: why says what failed */
    if (rc != 0)
        goto out;
    if (status != 200) {
        rc = server_refused(status, ans, "reservation", why, whylen);
        if (status >= 500)  /* the server cannot answer now: as offline */
            rc = 0;
        goto out;
    }
    j = cJSON_Parse((const char *)ans);
    st = cJSON_GetObjectItemCaseSensitive(j, "status");
    if (cJSON_IsString(st) && strcmp(st->valuestring, "reserved") == 0)
        *out = SYNC_RESERVED;
    else if (cJSON_IsString(st) && strcmp(st->valuestring, "already") == 0)
        *out = SYNC_ALREADY;
    else
        rc = bn_fail(why, whylen, BN_EFORMAT, "reservation: unexpected answer");
out:
    cJSON_Delete(j);
    free(ans);
    return rc;
}

/* --- downloads --------------------------------------------------------------------- */

static int fetch(const sync_conf_t *c, const char *path, const char *what, uint8_t **out,
                 size_t *len, char *why, size_t whylen)
{
    int status, rc;

    *out = NULL;
    rc = sync_request(c, "GET", path, NULL, NULL, 0, SYNC_MAX_FILE, &status, out, len, why, whylen);
    if (rc == 0 && status != 200) {
        rc = server_refused(status, *out, what, why, whylen);
        free(*out);
        *out = NULL;
    }
    return rc;
}

int sync_fetch_package(const sync_conf_t *c, const char *id, const char *departement,
                       uint32_t today, pkg_t **pkg, uint8_t **file, size_t *file_len,
                       char *why, size_t whylen)
{
    char path[128];
    key_pub_t auth;
    uint8_t *f = NULL;
    size_t len;
    int rc;

    *pkg = NULL;
    if (!campaign_ok(id))
        return bn_fail(why, whylen, BN_EINVAL, "campaign id %.64s: 1 to 64 of a-z 0-9 -", id);
    snprintf(path, sizeof path, "/v1/packages/%s", id);
    if ((rc = cert_key(c->ca_der, c->ca_len, &auth)) != 0)
        return bn_fail(why, whylen, rc, "pinned authority certificate: no P-256 key");
    if ((rc = fetch(c, path, "package", &f, &len, why, whylen)) != 0)
        return rc;
    /* verify before use: only a package signed by the authority leaves here */
    rc = pkg_open(f, len, &auth, departement, today, pkg, why, whylen);
    if (rc == 0 && file != NULL) {
        *file = f;
        f = NULL;
        if (file_len != NULL)
            *file_len = len;
    }
    free(f);
    return rc;
}

int sync_fetch_revocations(const sync_conf_t *c, uint8_t **list, size_t *len,
                           cert_revoked_t *out, char *why, size_t whylen)
{
    key_pub_t auth;
    int rc;

    *list = NULL;
    if ((rc = cert_key(c->ca_der, c->ca_len, &auth)) != 0)
        return bn_fail(why, whylen, rc, "pinned authority certificate: no P-256 key");
    if ((rc = fetch(c, "/v1/revocations", "revocation list", list, len, why, whylen)) != 0)
        return rc;
    rc = cert_revoke_open(*list, *len, &auth, out, why, whylen);
    if (rc != 0) {
        free(*list);
        *list = NULL;
    }
    return rc;
}

int sync_fetch_backup_ms(const sync_conf_t *c, int64_t *out, char *why, size_t whylen)
{
    uint8_t *ans = NULL;
    size_t len = 0;
    cJSON *j = NULL;
    const cJSON *v;
    int rc;

    *out = 0;
    if ((rc = fetch(c, "/v1/health", "health", &ans, &len, why, whylen)) != 0)
        return rc;
    j = cJSON_ParseWithLength((const char *)ans, len);
    v = cJSON_GetObjectItemCaseSensitive(j, "backup_verified_ms");
    if (j == NULL)
        rc = bn_fail(why, whylen, BN_EFORMAT, "health: not JSON");
    else if (v == NULL)
        rc = bn_fail(why, whylen, BN_ENOTFOUND, "health: no backup_verified_ms");
    else if (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble > 1e15)
        rc = bn_fail(why, whylen, BN_EFORMAT, "health: backup_verified_ms is not a time");
    else
        *out = (int64_t)v->valuedouble;
    cJSON_Delete(j);
    free(ans);
    return rc;
}

static int json_int(const cJSON *j, const char *key, int64_t *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);

    if (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble > 1e15)
        return 0;
    *out = (int64_t)v->valuedouble;
    return 1;
}

int sync_fetch_counter(const sync_conf_t *c, const char *id, sync_counter_t *out,
                       char *why, size_t whylen)
{
    char path[128];
    uint8_t *ans = NULL;
    size_t len;
    cJSON *j;
    const cJSON *r;
    int rc, status;

    memset(out, 0, sizeof *out);
    if (!campaign_ok(id))
        return bn_fail(why, whylen, BN_EINVAL, "campaign id %.64s: 1 to 64 of a-z 0-9 -", id);
    snprintf(path, sizeof path, "/v1/petitions/%s/counter", id);
    rc = sync_request(c, "GET", path, NULL, NULL, 0, SYNC_MAX_ANSWER, &status, &ans, &len, why,
                      whylen);
    if (rc == 0 && status != 200)
        rc = server_refused(status, ans, "petition counter", why, whylen);
    if (rc != 0) {
        free(ans);
        return rc;
    }
    j = cJSON_Parse((const char *)ans);
    r = cJSON_GetObjectItemCaseSensitive(j, "reached");
    if (!json_int(j, "signatures", &out->signatures) || !json_int(j, "cantons", &out->cantons) ||
        !json_int(j, "threshold", &out->threshold) ||
        !json_int(j, "min_cantons", &out->min_cantons) ||
        !json_int(j, "days_left", &out->days_left) || !cJSON_IsBool(r))
        rc = bn_fail(why, whylen, BN_EFORMAT,
                     "petition counter: a field is missing or not a count");
    else
        out->reached = cJSON_IsTrue(r);
    cJSON_Delete(j);
    free(ans);
    return rc;
}
