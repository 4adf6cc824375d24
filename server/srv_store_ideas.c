/* srv_store_ideas.c - the ideas of a call for ideas and their moderation
 * in the server store (srv_store.h, schema 5).
 *
 * (SRV-M2) The moderation log is append-only and hash-chained: entry n
 *      holds hash = SHA-256(hash of n-1 (zeros for the first) || n || time
 *      || moderator || campaign || idea id || status || reason || comment
 *      || merged into), each text with its 4-byte length first. Every
 *      decision, and every revision of one, is an entry with the name of
 *      the moderator who took it; the idea's row only holds the latest.
 *      srv_store_moderation_verify recomputes the chain, so a log edited
 *      behind the server's back shows (test_server: test_ideas_moderation).
 * (SRV-M3) One person, max_per_person ideas across kiosks: an idea that
 *      arrives when its proposer's pseudonym already has that many ideas
 *      in the campaign (counting every status but this refusal itself) is
 *      held, and refused by the server at once, in the bundle's
 *      transaction, with the reason "limit" and the moderator
 *      "borne-server" in the log. The kiosk holds the limit at one kiosk;
 *      this holds it across kiosks.
 * (SRV-M4) Nothing here ever returns a pseudonym or a sealed contact out
 *      of the store: the walks give the signed record (whose contact is
 *      sealed to the authority, IDEA-I1) and the moderation; publication
 *      takes the clear fields only. */
#include "srv_store_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bn_err.h"
#include "hex.h"
#include "key.h"

#define MODERATOR_SERVER "borne-server"

static int prep(srv_store_t *s, const char *sql, sqlite3_stmt **st)
{
    return srv_store__rc(sqlite3_prepare_v2(s->db, sql, -1, st, NULL));
}

static size_t put_text(uint8_t *p, const char *t)
{
    size_t n = t != NULL ? strlen(t) : 0;

    p[0] = (uint8_t)(n >> 24);
    p[1] = (uint8_t)(n >> 16);
    p[2] = (uint8_t)(n >> 8);
    p[3] = (uint8_t)n;
    if (n > 0)
        memcpy(p + 4, t, n);
    return 4 + n;
}

static void put64(uint8_t *p, int64_t v)
{
    int i;

    for (i = 0; i < 8; i++)
        p[i] = (uint8_t)((uint64_t)v >> (56 - 8 * i));
}

/* (SRV-M2) The hash of one log entry. */
static int entry_hash(const uint8_t prev[32], int64_t seq, int64_t time, const char *moderator,
                      const char *campaign, const uint8_t idea[16], const char *status,
                      const char *reason, const char *comment, const uint8_t *into,
                      uint8_t out[32])
{
    size_t cap = 32 + 16 + 5 * 4 + strlen(moderator) + strlen(campaign) + strlen(status) +
                 strlen(reason) + strlen(comment) + 16 + 17, n = 0;
    uint8_t *b = malloc(cap);

    if (b == NULL)
        return BN_ENOMEM;
    memcpy(b, prev, 32);
    n = 32;
    put64(b + n, seq);
    put64(b + n + 8, time);
    n += 16;
    n += put_text(b + n, moderator);
    n += put_text(b + n, campaign);
    memcpy(b + n, idea, 16);
    n += 16;
    n += put_text(b + n, status);
    n += put_text(b + n, reason);
    n += put_text(b + n, comment);
    b[n++] = into != NULL;
    if (into != NULL)
        memcpy(b + n, into, 16);
    else
        memset(b + n, 0, 16);
    n += 16;
    key_sha256(b, n, out);
    free(b);
    return 0;
}

static int valid_text(const char *t, size_t max)
{
    size_t n;

    if (t == NULL)
        return 1;
    n = strlen(t);
    if (n > max)
        return 0;
    for (; *t; t++)
        if ((unsigned char)*t < 0x20 && *t != '\n')
            return 0;
    return 1;
}

/* The decision inside the caller's transaction. */
static int decide(srv_store_t *s, const srv_decision_t *d, int64_t *seq_out, char *why,
                  size_t whylen)
{
    sqlite3_stmt *st = NULL;
    char campaign[64] = "", into_campaign[64] = "";
    const char *reason = d->reason ? d->reason : "", *comment = d->comment ? d->comment : "";
    uint8_t prev[32], hash[32];
    int64_t seq = 1, merged_here = 0;
    int rc, merged = strcmp(d->status, SRV_IDEA_MERGED) == 0;

    if (strcmp(d->status, SRV_IDEA_PENDING) != 0 && strcmp(d->status, SRV_IDEA_ACCEPTED) != 0 &&
        strcmp(d->status, SRV_IDEA_REJECTED) != 0 && !merged)
        return bn_fail(why, whylen, BN_EINVAL, "decision %s: not pending, accepted, rejected or "
                       "merged", d->status);
    if (d->moderator == NULL || d->moderator[0] == 0 ||
        !valid_text(d->moderator, SRV_MODERATOR_MAX) || strchr(d->moderator, '\n') != NULL)
        return bn_fail(why, whylen, BN_EINVAL, "moderator: a name of 1..%d characters on one "
                       "line is needed", SRV_MODERATOR_MAX);
    if (!valid_text(comment, SRV_COMMENT_MAX))
        return bn_fail(why, whylen, BN_EINVAL, "comment: at most %d bytes, no control "
                       "character but line feeds", SRV_COMMENT_MAX);
    if ((strcmp(d->status, SRV_IDEA_REJECTED) == 0) != (reason[0] != 0) ||
        strlen(reason) > 16)
        return bn_fail(why, whylen, BN_EINVAL, "a refusal takes a reason, and only a refusal");
    if (merged != (d->into != NULL))
        return bn_fail(why, whylen, BN_EINVAL, "a merge takes the idea it goes into, and only "
                       "a merge");
    if ((rc = prep(s, "SELECT campaign FROM ideas WHERE id = ?", &st)) != 0)
        return rc;
    sqlite3_bind_blob(st, 1, d->id, 16, SQLITE_STATIC);
    if ((rc = sqlite3_step(st)) == SQLITE_ROW)
        snprintf(campaign, sizeof campaign, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE)
        return bn_fail(why, whylen, BN_ENOTFOUND, "no such idea");
    if (rc != SQLITE_ROW)
        return srv_store__rc(rc);
    if (merged) {
        if (memcmp(d->into, d->id, 16) == 0)
            return bn_fail(why, whylen, BN_EINVAL, "an idea cannot be merged into itself");
        if ((rc = prep(s, "SELECT campaign, status FROM ideas WHERE id = ?", &st)) != 0)
            return rc;
        sqlite3_bind_blob(st, 1, d->into, 16, SQLITE_STATIC);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            snprintf(into_campaign, sizeof into_campaign, "%s",
                     (const char *)sqlite3_column_text(st, 0));
            merged_here = strcmp((const char *)sqlite3_column_text(st, 1), SRV_IDEA_MERGED) == 0;
        }
        sqlite3_finalize(st);
        if (rc == SQLITE_DONE)
            return bn_fail(why, whylen, BN_ENOTFOUND, "the idea to merge into is not held");
        if (rc != SQLITE_ROW)
            return srv_store__rc(rc);
        if (strcmp(into_campaign, campaign) != 0)
            return bn_fail(why, whylen, BN_EINVAL, "the idea to merge into is of campaign %s, "
                           "not %s", into_campaign, campaign);
        if (merged_here)
            return bn_fail(why, whylen, BN_EINVAL, "the idea to merge into is itself merged "
                           "into another: merge into that one");
        if ((rc = prep(s, "SELECT count(*) FROM ideas WHERE merged_into = ?", &st)) != 0)
            return rc;
        sqlite3_bind_blob(st, 1, d->id, 16, SQLITE_STATIC);
        merged_here = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
        sqlite3_finalize(st);
        if (merged_here > 0)
            return bn_fail(why, whylen, BN_EINVAL, "%lld idea(s) are merged into this one: "
                           "merge the other way, or merge those first into the idea kept",
                           (long long)merged_here);
    }
    /* (SRV-M2) the chain */
    memset(prev, 0, sizeof prev);
    if ((rc = prep(s, "SELECT seq, hash FROM moderation ORDER BY seq DESC LIMIT 1", &st)) != 0)
        return rc;
    if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        seq = sqlite3_column_int64(st, 0) + 1;
        if (sqlite3_column_bytes(st, 1) == 32)
            memcpy(prev, sqlite3_column_blob(st, 1), 32);
        rc = SQLITE_DONE;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return srv_store__rc(rc);
    if ((rc = entry_hash(prev, seq, d->now, d->moderator, campaign, d->id, d->status, reason,
                         comment, d->into, hash)) != 0)
        return rc;
    if ((rc = prep(s, "INSERT INTO moderation VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", &st)) != 0)
        return rc;
    sqlite3_bind_int64(st, 1, seq);
    sqlite3_bind_int64(st, 2, d->now);
    sqlite3_bind_text(st, 3, d->moderator, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, campaign, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 5, d->id, 16, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, d->status, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, reason, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 8, comment, -1, SQLITE_STATIC);
    if (d->into != NULL)
        sqlite3_bind_blob(st, 9, d->into, 16, SQLITE_STATIC);
    sqlite3_bind_blob(st, 10, hash, 32, SQLITE_STATIC);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return bn_fail(why, whylen, srv_store__rc(rc) ? srv_store__rc(rc) : BN_ESTORE,
                       "moderation log: %s", sqlite3_errmsg(s->db));
    if ((rc = prep(s, "UPDATE ideas SET status = ?, reason = ?, comment = ?, merged_into = ?,"
                   " decisions = decisions + 1 WHERE id = ?", &st)) != 0)
        return rc;
    sqlite3_bind_text(st, 1, d->status, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, reason, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, comment, -1, SQLITE_STATIC);
    if (d->into != NULL)
        sqlite3_bind_blob(st, 4, d->into, 16, SQLITE_STATIC);
    sqlite3_bind_blob(st, 5, d->id, 16, SQLITE_STATIC);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return bn_fail(why, whylen, srv_store__rc(rc) ? srv_store__rc(rc) : BN_ESTORE,
                       "ideas: %s", sqlite3_errmsg(s->db));
    if (seq_out != NULL)
        *seq_out = seq;
    return 0;
}

int srv_store_idea_decide(srv_store_t *s, const srv_decision_t *d, int64_t *seq, char *why,
                          size_t whylen)
{
    int rc;

    if (s == NULL || d == NULL || d->id == NULL || d->status == NULL)
        return BN_EINVAL;
    if ((rc = srv_store__rc(sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL))) != 0)
        return bn_fail(why, whylen, rc, "begin: %s", sqlite3_errmsg(s->db));
    rc = decide(s, d, seq, why, whylen);
    if (rc == 0)
        rc = srv_store__rc(sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL));
    if (rc != 0)
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

int srv_store__put_ideas(srv_store_t *s, const srv_bundle_items_t *b, size_t *n, char *why,
                         size_t whylen)
{
    sqlite3_stmt *ins = NULL, *same = NULL, *key = NULL, *cnt = NULL;
    char hex[33];
    size_t i;
    int rc = 0;

    if (b->ideas_over != NULL)
        *b->ideas_over = 0;
    if (b->n_ideas == 0)
        return 0;
    if ((rc = prep(s, "INSERT OR IGNORE INTO ideas (id, campaign, kiosk, pseudonym, day, track,"
                   " record) VALUES (?, ?, ?, ?, ?, ?, ?)", &ins)) != 0 ||
        (rc = prep(s, "SELECT 1 FROM ideas WHERE id = ? AND record = ?", &same)) != 0 ||
        (rc = prep(s, "INSERT OR IGNORE INTO kiosk_keys VALUES (?, ?)", &key)) != 0 ||
        (rc = prep(s, "SELECT count(*) FROM ideas WHERE campaign = ? AND pseudonym = ? AND NOT"
                   " (status = 'rejected' AND reason = '" SRV_REASON_LIMIT "')", &cnt)) != 0) {
        rc = bn_fail(why, whylen, rc, "prepare: %s", sqlite3_errmsg(s->db));
        goto out;
    }
    if (b->kiosk_pub != NULL) {
        sqlite3_bind_blob(key, 1, b->kiosk, 32, SQLITE_STATIC);
        sqlite3_bind_blob(key, 2, b->kiosk_pub, KEY_PUB_LEN, SQLITE_STATIC);
        if ((rc = sqlite3_step(key)) != SQLITE_DONE) {
            rc = bn_fail(why, whylen, srv_store__rc(rc) ? srv_store__rc(rc) : BN_ESTORE,
                         "kiosk_keys: %s", sqlite3_errmsg(s->db));
            goto out;
        }
    }
    for (i = 0; i < b->n_ideas; i++) {
        const srv_idea_t *x = &b->ideas[i];
        int64_t held = 0;

        hex_encode(x->id, 16, hex);
        sqlite3_bind_blob(ins, 1, x->id, 16, SQLITE_STATIC);
        sqlite3_bind_text(ins, 2, b->campaign, -1, SQLITE_STATIC);
        sqlite3_bind_blob(ins, 3, b->kiosk, 32, SQLITE_STATIC);
        sqlite3_bind_blob(ins, 4, x->pseudonym, 32, SQLITE_STATIC);
        sqlite3_bind_int64(ins, 5, x->day);
        sqlite3_bind_text(ins, 6, x->track, -1, SQLITE_STATIC);
        sqlite3_bind_blob(ins, 7, x->bytes, (int)x->len, SQLITE_STATIC);
        rc = sqlite3_step(ins);
        sqlite3_reset(ins);
        if (rc != SQLITE_DONE) {
            rc = bn_fail(why, whylen, srv_store__rc(rc) ? srv_store__rc(rc) : BN_ESTORE,
                         "idea %s: %s", hex, sqlite3_errmsg(s->db));
            goto out;
        }
        if (sqlite3_changes(s->db) == 0) {
            /* (SRV-D2) held: the same bytes, or a conflict */
            sqlite3_bind_blob(same, 1, x->id, 16, SQLITE_STATIC);
            sqlite3_bind_blob(same, 2, x->bytes, (int)x->len, SQLITE_STATIC);
            rc = sqlite3_step(same);
            sqlite3_reset(same);
            if (rc == SQLITE_ROW)
                continue;
            rc = rc == SQLITE_DONE ? bn_fail(why, whylen, BN_EEXISTS, "idea %s: another record "
                                             "with this id is held", hex)
                                   : srv_store__rc(rc);
            goto out;
        }
        (*n)++;
        /* (SRV-M3) the person's limit across kiosks */
        sqlite3_bind_text(cnt, 1, b->campaign, -1, SQLITE_STATIC);
        sqlite3_bind_blob(cnt, 2, x->pseudonym, 32, SQLITE_STATIC);
        if (sqlite3_step(cnt) == SQLITE_ROW)
            held = sqlite3_column_int64(cnt, 0);
        sqlite3_reset(cnt);
        if (b->idea_limit > 0 && held > b->idea_limit) {
            srv_decision_t d = {x->id, SRV_IDEA_REJECTED, SRV_REASON_LIMIT, NULL, NULL,
                                MODERATOR_SERVER, b->now};

            if ((rc = decide(s, &d, NULL, why, whylen)) != 0)
                goto out;
            if (b->ideas_over != NULL)
                (*b->ideas_over)++;
        }
    }
    rc = 0;
out:
    sqlite3_finalize(ins);
    sqlite3_finalize(same);
    sqlite3_finalize(key);
    sqlite3_finalize(cnt);
    return rc;
}

#define IDEA_COLS                                                                             \
    "SELECT i.id, i.campaign, i.kiosk, k.pub, i.day, i.track, i.record, i.status, i.reason,"   \
    " i.comment, i.merged_into, i.decisions FROM ideas i LEFT JOIN kiosk_keys k"             \
    " ON k.kiosk = i.kiosk "

static int idea_rows(sqlite3_stmt *st, srv_idea_fn fn, void *arg, int *found)
{
    int rc;

    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        srv_idea_row_t r;
        int k;

        memset(&r, 0, sizeof r);
        if (sqlite3_column_bytes(st, 0) != 16 || sqlite3_column_bytes(st, 2) != 32)
            return BN_ECORRUPT;
        r.id = sqlite3_column_blob(st, 0);
        r.campaign = (const char *)sqlite3_column_text(st, 1);
        r.kiosk = sqlite3_column_blob(st, 2);
        r.kiosk_pub = sqlite3_column_bytes(st, 3) == KEY_PUB_LEN ? sqlite3_column_blob(st, 3)
                                                                 : NULL;
        r.day = (uint32_t)sqlite3_column_int64(st, 4);
        r.track = (const char *)sqlite3_column_text(st, 5);
        r.record = sqlite3_column_blob(st, 6);
        r.len = (size_t)sqlite3_column_bytes(st, 6);
        r.status = (const char *)sqlite3_column_text(st, 7);
        r.reason = (const char *)sqlite3_column_text(st, 8);
        r.comment = (const char *)sqlite3_column_text(st, 9);
        r.merged_into = sqlite3_column_bytes(st, 10) == 16 ? sqlite3_column_blob(st, 10) : NULL;
        r.decisions = sqlite3_column_int64(st, 11);
        if (found != NULL)
            *found = 1;
        if ((k = fn(arg, &r)) != 0)
            return k;
    }
    return srv_store__rc(rc);
}

int srv_store_idea_each(srv_store_t *s, const char *campaign, const char *status,
                        srv_idea_fn fn, void *arg)
{
    sqlite3_stmt *st = NULL;
    int rc;

    if (s == NULL || fn == NULL)
        return BN_EINVAL;
    if ((rc = prep(s, IDEA_COLS "WHERE (?1 IS NULL OR i.campaign = ?1) AND"
                   " (?2 IS NULL OR i.status = ?2) ORDER BY i.id", &st)) != 0)
        return rc;
    if (campaign != NULL)
        sqlite3_bind_text(st, 1, campaign, -1, SQLITE_STATIC);
    if (status != NULL)
        sqlite3_bind_text(st, 2, status, -1, SQLITE_STATIC);
    rc = idea_rows(st, fn, arg, NULL);
    sqlite3_finalize(st);
    return rc;
}

int srv_store_idea_get(srv_store_t *s, const uint8_t id[16], srv_idea_fn fn, void *arg)
{
    sqlite3_stmt *st = NULL;
    int rc, found = 0;

    if (s == NULL || id == NULL || fn == NULL)
        return BN_EINVAL;
    if ((rc = prep(s, IDEA_COLS "WHERE i.id = ?", &st)) != 0)
        return rc;
    sqlite3_bind_blob(st, 1, id, 16, SQLITE_STATIC);
    rc = idea_rows(st, fn, arg, &found);
    sqlite3_finalize(st);
    return rc != 0 ? rc : found ? 0 : BN_ENOTFOUND;
}

int srv_store_idea_find(srv_store_t *s, const char *hex, uint8_t id[16])
{
    sqlite3_stmt *st = NULL;
    char pat[40];
    size_t n = hex != NULL ? strlen(hex) : 0, i;
    int rc, hits = 0;

    if (s == NULL || n < 4 || n > 32)
        return BN_EINVAL;
    for (i = 0; i < n; i++) {
        if (!isxdigit((unsigned char)hex[i]))
            return BN_EINVAL;
        pat[i] = (char)toupper((unsigned char)hex[i]);
    }
    pat[n] = '%';
    pat[n + 1] = 0;
    if ((rc = prep(s, "SELECT id FROM ideas WHERE hex(id) LIKE ? ORDER BY id LIMIT 2", &st)) != 0)
        return rc;
    sqlite3_bind_text(st, 1, pat, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (hits++ == 0 && sqlite3_column_bytes(st, 0) == 16)
            memcpy(id, sqlite3_column_blob(st, 0), 16);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return srv_store__rc(rc);
    return hits == 0 ? BN_ENOTFOUND : hits > 1 ? BN_EEXISTS : 0;
}

static const char *col_text(sqlite3_stmt *st, int i)
{
    const char *t = (const char *)sqlite3_column_text(st, i);

    return t != NULL ? t : "";
}

int srv_store_moderation_each(srv_store_t *s, const char *campaign, const uint8_t *id,
                              int (*fn)(void *arg, const srv_mod_row_t *r), void *arg)
{
    sqlite3_stmt *st = NULL;
    int rc;

    if (s == NULL || fn == NULL)
        return BN_EINVAL;
    if ((rc = prep(s, "SELECT seq, time, moderator, campaign, status, reason, comment, idea,"
                   " into_id, hash FROM moderation WHERE (?1 IS NULL OR campaign = ?1) AND"
                   " (?2 IS NULL OR idea = ?2) ORDER BY seq", &st)) != 0)
        return rc;
    if (campaign != NULL)
        sqlite3_bind_text(st, 1, campaign, -1, SQLITE_STATIC);
    if (id != NULL)
        sqlite3_bind_blob(st, 2, id, 16, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        srv_mod_row_t r;
        int k;

        if (sqlite3_column_bytes(st, 7) != 16 || sqlite3_column_bytes(st, 9) != 32) {
            sqlite3_finalize(st);
            return BN_ECORRUPT;
        }
        r.seq = sqlite3_column_int64(st, 0);
        r.time = sqlite3_column_int64(st, 1);
        r.moderator = col_text(st, 2);
        r.campaign = col_text(st, 3);
        r.status = col_text(st, 4);
        r.reason = col_text(st, 5);
        r.comment = col_text(st, 6);
        r.idea = sqlite3_column_blob(st, 7);
        r.into = sqlite3_column_bytes(st, 8) == 16 ? sqlite3_column_blob(st, 8) : NULL;
        r.hash = sqlite3_column_blob(st, 9);
        if ((k = fn(arg, &r)) != 0) {
            sqlite3_finalize(st);
            return k;
        }
    }
    sqlite3_finalize(st);
    return srv_store__rc(rc);
}

typedef struct chain_s {
    uint8_t prev[32];
    int64_t n;
    char *why;
    size_t whylen;
} chain_t;

static int chain_row(void *arg, const srv_mod_row_t *r)
{
    chain_t *c = arg;
    uint8_t h[32];
    int rc;

    if (r->seq != c->n + 1)
        return bn_fail(c->why, c->whylen, BN_ECORRUPT, "moderation log: entry %lld follows "
                       "entry %lld (one is missing)", (long long)r->seq, (long long)c->n);
    if ((rc = entry_hash(c->prev, r->seq, r->time, r->moderator, r->campaign, r->idea, r->status,
                         r->reason, r->comment, r->into, h)) != 0)
        return rc;
    if (memcmp(h, r->hash, 32) != 0)
        return bn_fail(c->why, c->whylen, BN_ECORRUPT, "moderation log: entry %lld does not "
                       "match its hash (changed after it was written)", (long long)r->seq);
    memcpy(c->prev, h, 32);
    c->n = r->seq;
    return 0;
}

int srv_store_moderation_verify(srv_store_t *s, uint8_t head[32], int64_t *n, char *why,
                                size_t whylen)
{
    chain_t c;
    int rc;

    memset(&c, 0, sizeof c);
    c.why = why;
    c.whylen = whylen;
    rc = srv_store_moderation_each(s, NULL, NULL, chain_row, &c);
    if (rc == 0) {
        if (head != NULL)
            memcpy(head, c.prev, 32);
        if (n != NULL)
            *n = c.n;
    }
    return rc;
}

int srv_store_track_info(srv_store_t *s, const char *track, srv_track_info_t *out)
{
    static const char *const kinds[2] = {"SELECT campaign FROM ballots WHERE track = ?",
                                         "SELECT campaign FROM petitions WHERE track = ?"};
    sqlite3_stmt *st = NULL;
    int rc, k;

    if (s == NULL || track == NULL || out == NULL)
        return BN_EINVAL;
    memset(out, 0, sizeof *out);
    for (k = 0; k < 2; k++) {
        if ((rc = prep(s, kinds[k], &st)) != 0)
            return rc;
        sqlite3_bind_text(st, 1, track, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            out->kind = k + 1;
            snprintf(out->campaign, sizeof out->campaign, "%s", col_text(st, 0));
        }
        sqlite3_finalize(st);
        if (rc == SQLITE_ROW)
            return 1;
        if (rc != SQLITE_DONE)
            return srv_store__rc(rc);
    }
    if ((rc = prep(s, "SELECT i.campaign, i.status, i.reason, i.comment, i.id, i.merged_into,"
                   " m.status FROM ideas i LEFT JOIN ideas m ON m.id = i.merged_into"
                   " WHERE i.track = ?", &st)) != 0)
        return rc;
    sqlite3_bind_text(st, 1, track, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        out->kind = 3;
        snprintf(out->campaign, sizeof out->campaign, "%s", col_text(st, 0));
        snprintf(out->status, sizeof out->status, "%s", col_text(st, 1));
        snprintf(out->reason, sizeof out->reason, "%s", col_text(st, 2));
        snprintf(out->comment, sizeof out->comment, "%s", col_text(st, 3));
        if (sqlite3_column_bytes(st, 4) == 16)
            memcpy(out->id, sqlite3_column_blob(st, 4), 16);
        if (sqlite3_column_bytes(st, 5) == 16)
            memcpy(out->into, sqlite3_column_blob(st, 5), 16);
        snprintf(out->into_status, sizeof out->into_status, "%s", col_text(st, 6));
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : srv_store__rc(rc);
}
