/* store_unsent.c - the outbox: what this process has not yet seen the
 * server acknowledge, kept in memory, never on disk (store.h, outbox).
 *
 * (STORE-S12) No trace on disk of what is synced. The items not yet synced
 *      are the latest casts: a flag, a table or a list of them in the file
 *      would tell a copy of it which ballots and which register entries
 *      are the recent ones, and pair them when there are few. So the
 *      outbox lives in this handle's memory: the first time it is read,
 *      every ballot, signature, idea and register entry of a budget vote in the
 *      store is unsent (after a restart, the kiosk sends everything again;
 *      the server skips what it holds, SYNC-Y2), and each later read adds
 *      what the store gained since (any handle, any process may have cast:
 *      the header counts tell whether anything is new, and only then is the
 *      store walked). Marking an item synced clears it in memory only.
 *      Tested: test_store (outbox after reopen, casts through a second
 *      handle), test_secrecy (no outbox in the file). */
#include "store_int.h"

#include <stdlib.h>
#include <string.h>

#include "bn_err.h"
#include "petition.h"

typedef struct item_s {
    uint8_t kind;                /* store_item_t */
    uint8_t unsent;
    uint8_t keylen;
    uint8_t key[PSEUD_LEN];
    char campaign[PKG_ID_MAX + 1];
} item_t;

struct unsent_s {
    item_t *v;                   /* sorted by (kind, key) */
    size_t n;
    int64_t seen_box, seen_reg, seen_sig, seen_idea, seen_text; /* the store's counts at the last walk */
};

typedef struct walk_s {
    item_t *v;
    size_t n, cap;
    int rc;
} walk_t;

static int cmp_item(const void *a, const void *b)
{
    const item_t *x = a, *y = b;

    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    if (x->keylen != y->keylen)
        return x->keylen < y->keylen ? -1 : 1;
    return memcmp(x->key, y->key, x->keylen);
}

static int push(walk_t *w, store_item_t kind, const uint8_t *key, size_t keylen,
                const uint8_t *campaign, size_t camplen)
{
    item_t *it;

    if (w->n == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 256;
        item_t *g = realloc(w->v, cap * sizeof *g);

        if (g == NULL)
            return BN_ENOMEM;
        w->v = g;
        w->cap = cap;
    }
    it = &w->v[w->n++];
    memset(it, 0, sizeof *it);
    it->kind = (uint8_t)kind;
    it->keylen = (uint8_t)keylen;
    it->unsent = 1;
    memcpy(it->key, key, keylen);
    memcpy(it->campaign, campaign, camplen);
    it->campaign[strnlen(it->campaign, PKG_ID_MAX)] = '\0';
    return 0;
}

static int on_box(void *arg, const uint8_t *e)
{
    return push(arg, STORE_ITEM_BALLOT, e + BOX_OFF_ID, 16, e + BOX_OFF_CAMPAIGN, PKG_ID_MAX);
}

static int on_reg(void *arg, const uint8_t *e)
{
    if (e[REG_OFF_FLAGS] & REG_FLAG_PETITION)
        return 0; /* the signature record carries it */
    return push(arg, STORE_ITEM_REGISTER, e + REG_OFF_PSEUDONYM, PSEUD_LEN,
                e + REG_OFF_CAMPAIGN, PKG_ID_MAX);
}

/* a text once, by its first part (STORE-S14) */
static int on_text(void *arg, const uint8_t *e)
{
    if (e[QT_OFF_PART] != 0)
        return 0;
    return push(arg, STORE_ITEM_TEXT, e + QT_OFF_ID, 16, e + QT_OFF_CAMPAIGN, PKG_ID_MAX);
}

static int count_rows(store_t *s, const char *sql, int64_t *n)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);

    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        *n = sqlite3_column_int64(st, 0);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return store__rc(rc);
}

/* The rows of a table keyed by a random 16-byte id (signatures, ideas). */
static int walk_ids(store_t *s, walk_t *w, const char *sql, store_item_t kind)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);

    if (rc != SQLITE_OK)
        return store__rc(rc);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const uint8_t *c = sqlite3_column_text(st, 1);
        size_t cl = (size_t)sqlite3_column_bytes(st, 1);

        if (sqlite3_column_bytes(st, 0) != 16 || c == NULL || cl > PKG_ID_MAX) {
            rc = BN_ECORRUPT;
            goto out;
        }
        if ((rc = push(w, kind, sqlite3_column_blob(st, 0), 16, c, cl)) != 0)
            goto out;
    }
    rc = store__rc(rc);
out:
    sqlite3_finalize(st);
    return rc;
}

/* (STORE-S12) Brings the in-memory outbox up to the store: what it gained
 * since the last walk is unsent. One read transaction. */
static int refresh(store_t *s)
{
    unsent_t *u = s->unsent;
    int64_t nb = 0, nbox = 0, nreg = 0, nsig = 0, nidea = 0, ntext = 0;
    walk_t w = {NULL, 0, 0, 0};
    size_t i, j;
    int rc, own = sqlite3_get_autocommit(s->db);

    if (u == NULL) {
        if ((u = calloc(1, sizeof *u)) == NULL)
            return BN_ENOMEM;
        u->seen_box = u->seen_reg = u->seen_sig = u->seen_idea = u->seen_text = -1;
        s->unsent = u;
    }
    if (own && (rc = store__rc(sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL))) != 0)
        return rc;
    if ((rc = slot_header(&s->box, &nb, &nbox)) != 0 ||
        (rc = slot_header(&s->reg, &nb, &nreg)) != 0 ||
        (rc = count_rows(s, "SELECT count(*) FROM signature", &nsig)) != 0 ||
        (rc = count_rows(s, "SELECT count(*) FROM idea", &nidea)) != 0 ||
        (rc = slot_header(&s->qt, &nb, &ntext)) != 0)
        goto out;
    if (nbox == u->seen_box && nreg == u->seen_reg && nsig == u->seen_sig &&
        nidea == u->seen_idea && ntext == u->seen_text)
        goto out;
    if ((rc = slot_each(&s->box, s->db, on_box, &w)) != 0 ||
        (rc = slot_each(&s->reg, s->db, on_reg, &w)) != 0 ||
        (rc = walk_ids(s, &w, "SELECT sig_id, campaign FROM signature",
                       STORE_ITEM_SIGNATURE)) != 0 ||
        (rc = walk_ids(s, &w, "SELECT idea_id, campaign FROM idea", STORE_ITEM_IDEA)) != 0 ||
        (rc = slot_each(&s->qt, s->db, on_text, &w)) != 0)
        goto out;
    if (w.n > 0)
        qsort(w.v, w.n, sizeof *w.v, cmp_item);
    /* what was known keeps its flag; the rest is new, so unsent */
    for (i = j = 0; i < w.n && j < u->n;) {
        int c = cmp_item(&w.v[i], &u->v[j]);

        if (c == 0)
            w.v[i++].unsent = u->v[j++].unsent;
        else if (c < 0)
            i++;
        else
            j++;
    }
    free(u->v);
    u->v = w.v;
    u->n = w.n;
    w.v = NULL;
    u->seen_box = nbox;
    u->seen_reg = nreg;
    u->seen_sig = nsig;
    u->seen_idea = nidea;
    u->seen_text = ntext;
out:
    if (own)
        sqlite3_exec(s->db, rc == 0 ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL);
    free(w.v);
    return rc;
}

void unsent_free(unsent_t *u)
{
    if (u == NULL)
        return;
    free(u->v);
    free(u);
}

/* (STORE-S5) in (kind, key) order: random ids and pseudonyms. The items are
 * copied first, so that fn may call store_outbox_done(). */
int store_outbox_each(store_t *s, store_outbox_fn fn, void *arg)
{
    item_t *copy = NULL;
    size_t i, n = 0;
    int rc;

    if (s == NULL || fn == NULL)
        return BN_EINVAL;
    if ((rc = refresh(s)) != 0)
        return rc;
    for (i = 0; i < s->unsent->n; i++)
        n += s->unsent->v[i].unsent;
    if (n == 0)
        return 0;
    if ((copy = malloc(n * sizeof *copy)) == NULL)
        return BN_ENOMEM;
    for (i = 0, n = 0; i < s->unsent->n; i++)
        if (s->unsent->v[i].unsent)
            copy[n++] = s->unsent->v[i];
    for (i = 0; rc == 0 && i < n; i++)
        rc = fn(arg, (store_item_t)copy[i].kind, copy[i].campaign, copy[i].key, copy[i].keylen);
    free(copy);
    return rc;
}

/* Idempotent: an item already marked, or not known, is not an error
 * (uploads may be acknowledged twice). */
int store_outbox_done(store_t *s, store_item_t kind, const uint8_t *key, size_t keylen)
{
    item_t k, *hit;

    if (s == NULL || key == NULL || keylen == 0 || keylen > PSEUD_LEN)
        return BN_EINVAL;
    if (s->unsent == NULL || s->unsent->n == 0)
        return 0;
    memset(&k, 0, sizeof k);
    k.kind = (uint8_t)kind;
    k.keylen = (uint8_t)keylen;
    memcpy(k.key, key, keylen);
    hit = bsearch(&k, s->unsent->v, s->unsent->n, sizeof k, cmp_item);
    if (hit != NULL)
        hit->unsent = 0;
    return 0;
}

int store_outbox_count(store_t *s, int64_t *n)
{
    size_t i;
    int rc;

    if (s == NULL || n == NULL)
        return BN_EINVAL;
    if ((rc = refresh(s)) != 0)
        return rc;
    *n = 0;
    for (i = 0; i < s->unsent->n; i++)
        *n += s->unsent->v[i].unsent;
    return 0;
}

/* (STORE-S12) Every item of the campaign unsent again, in memory. */
int store_outbox_requeue(store_t *s, const char *campaign, int64_t *added)
{
    size_t i;
    int64_t n = 0;
    int rc;

    if (s == NULL || campaign == NULL)
        return BN_EINVAL;
    if ((rc = refresh(s)) != 0)
        return rc;
    for (i = 0; i < s->unsent->n; i++) {
        item_t *it = &s->unsent->v[i];

        if (strcmp(it->campaign, campaign) == 0 && !it->unsent) {
            it->unsent = 1;
            n++;
        }
    }
    if (added != NULL)
        *added = n;
    return 0;
}
