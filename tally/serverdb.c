/* serverdb.c - the bundles of a borne-server store, read-only, given to
 * verify_set (serverdb.h). */
#include "serverdb.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "bn_err.h"
#include "bundle.h"
#include "hex.h"
#include "key.h"

/* The bundles and notes read from the store; every pointer owned here. */
typedef struct held_s {
    const char *path;
    uint8_t **bufs;
    size_t *lens;
    char **names;
    int n, cap;
    verify_note_t *notes;
    int n_notes, cap_notes;
} held_t;

static void held_free(held_t *h)
{
    int i;

    for (i = 0; i < h->n; i++) {
        free(h->bufs[i]);
        free(h->names[i]);
    }
    for (i = 0; i < h->n_notes; i++) {
        free((char *)h->notes[i].name);
        free((char *)h->notes[i].reason);
        free((uint8_t *)h->notes[i].kiosk);
    }
    free(h->bufs);
    free(h->lens);
    free(h->names);
    free(h->notes);
}

/* "PATH: bundle HEX" (malloc'd), HEX the digest column as held. */
static char *bundle_name(const char *path, const uint8_t *digest, size_t dlen)
{
    char hex[2 * 32 + 1];
    size_t n = strlen(path) + sizeof hex + 16;
    char *s = malloc(n);

    if (s == NULL)
        return NULL;
    if (digest != NULL && dlen == 32)
        hex_encode(digest, 32, hex);
    else
        snprintf(hex, sizeof hex, "(a digest of %zu bytes)", dlen);
    snprintf(s, n, "%s: bundle %s", path, hex);
    return s;
}

static int add_note(held_t *h, const uint8_t *digest, size_t dlen, const uint8_t *kiosk,
                    size_t klen, int unverifiable, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

static int add_note(held_t *h, const uint8_t *digest, size_t dlen, const uint8_t *kiosk,
                    size_t klen, int unverifiable, const char *fmt, ...)
{
    verify_note_t *nt;
    char reason[600];
    va_list ap;

    if (h->n_notes == h->cap_notes) {
        int cap = h->cap_notes ? 2 * h->cap_notes : 16;

        if ((nt = realloc(h->notes, (size_t)cap * sizeof *nt)) == NULL)
            return BN_ENOMEM;
        h->notes = nt;
        h->cap_notes = cap;
    }
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    nt = &h->notes[h->n_notes];
    memset(nt, 0, sizeof *nt);
    nt->unverifiable = unverifiable;
    nt->name = bundle_name(h->path, digest, dlen);
    nt->reason = strdup(reason);
    h->n_notes++;   /* counted now, so that held_free frees what was allocated */
    if (nt->name == NULL || nt->reason == NULL)
        return BN_ENOMEM;
    if (kiosk != NULL && klen == KEY_ID_LEN) {
        uint8_t *k = malloc(KEY_ID_LEN);

        if (k == NULL)
            return BN_ENOMEM;
        memcpy(k, kiosk, KEY_ID_LEN);
        nt->kiosk = k;
    }
    return 0;
}

/* One row of bundle_bytes: (SRVDB-T3) the campaign and digest checks, then the
 * bytes kept for verify_set. */
static int take_row(held_t *h, sqlite3_stmt *st)
{
    const uint8_t *digest = sqlite3_column_blob(st, 0);
    size_t dlen = (size_t)sqlite3_column_bytes(st, 0);
    const char *filed = (const char *)sqlite3_column_text(st, 1);
    const uint8_t *kiosk = sqlite3_column_blob(st, 2);
    size_t klen = (size_t)sqlite3_column_bytes(st, 2);
    const uint8_t *bytes = sqlite3_column_blob(st, 3);
    size_t len = (size_t)sqlite3_column_bytes(st, 3);
    char header[PKG_ID_MAX + 1] = "", hex[2 * 32 + 1];
    uint8_t sha[32];
    int rc;

    if (filed == NULL)
        filed = "";
    if (len >= 5 + PKG_ID_MAX) {
        memcpy(header, bytes + 5, PKG_ID_MAX);
        header[PKG_ID_MAX] = '\0';
    }
    if (len > BUNDLE_MAX_LEN)
        return add_note(h, digest, dlen, kiosk, klen, 1, "held with %zu bytes, more than a bundle "
                        "can hold (%u): not read, none of it counts", len, BUNDLE_MAX_LEN);
    if (strcmp(filed, header) != 0 &&
        (rc = add_note(h, digest, dlen, kiosk, klen, 0, "the store files it under campaign "
                       "'%.32s' but its signed bytes name '%s'", filed, header)) != 0)
        return rc;
    key_sha256(bytes, len, sha);
    if (dlen != 32 || memcmp(sha, digest, 32) != 0) {
        hex_encode(sha, 32, hex);
        if ((rc = add_note(h, digest, dlen, kiosk, klen, 0, "its bytes hash to %s, not to the "
                           "digest it is held under (the store was altered)", hex)) != 0)
            return rc;
    }
    if (h->n == h->cap) {
        int cap = h->cap ? 2 * h->cap : 64;
        uint8_t **b = realloc(h->bufs, (size_t)cap * sizeof *b);
        size_t *l;
        char **nm;

        if (b == NULL)
            return BN_ENOMEM;
        h->bufs = b;
        if ((l = realloc(h->lens, (size_t)cap * sizeof *l)) == NULL)
            return BN_ENOMEM;
        h->lens = l;
        if ((nm = realloc(h->names, (size_t)cap * sizeof *nm)) == NULL)
            return BN_ENOMEM;
        h->names = nm;
        h->cap = cap;
    }
    h->bufs[h->n] = malloc(len + 1);
    h->names[h->n] = bundle_name(h->path, digest, dlen);
    if (h->bufs[h->n] == NULL || h->names[h->n] == NULL) {
        free(h->bufs[h->n]);
        free(h->names[h->n]);
        return BN_ENOMEM;
    }
    if (len > 0)
        memcpy(h->bufs[h->n], bytes, len);
    h->lens[h->n++] = len;
    return 0;
}

/* An SQLite failure on `path` as a BN_E* code with `why`. */
static int db_fail(sqlite3 *db, int rc, const char *path, const char *what, char *why,
                   size_t whylen)
{
    const char *msg = db != NULL ? sqlite3_errmsg(db) : sqlite3_errstr(rc);

    if (rc == SQLITE_NOTADB)
        return bn_fail(why, whylen, BN_EFORMAT, "%s: not a SQLite database (%s)", path, msg);
    if (rc == SQLITE_CORRUPT)
        return bn_fail(why, whylen, BN_ECORRUPT, "%s: %s: %s", path, what, msg);
    if (rc == SQLITE_NOMEM)
        return bn_fail(why, whylen, BN_ENOMEM, "%s: out of memory", path);
    return bn_fail(why, whylen, BN_EIO, "%s: %s: %s", path, what, msg);
}

/* The documented interface must be there: the tables and their columns. */
static int check_tables(sqlite3 *db, const char *path, char *why, size_t whylen)
{
    static const char *const sql[2] = {
        "SELECT digest, campaign, kiosk, bytes FROM bundle_bytes LIMIT 0",
        "SELECT digest, campaign, kiosk FROM bundles LIMIT 0",
    };
    sqlite3_stmt *st = NULL;
    int i, rc;

    for (i = 0; i < 2; i++) {
        rc = sqlite3_prepare_v2(db, sql[i], -1, &st, NULL);
        sqlite3_finalize(st);
        st = NULL;
        if (rc == SQLITE_ERROR)
            return bn_fail(why, whylen, BN_EFORMAT, "%s: not a borne-server store of schema 3 or "
                           "later (%s); a store of schema 2 is migrated by opening it once with "
                           "borne-server", path, sqlite3_errmsg(db));
        if (rc != SQLITE_OK)
            return db_fail(db, rc, path, "reading the schema", why, whylen);
    }
    return 0;
}

/* (SRVDB-T1) one read transaction: the held bundles, then those without bytes. */
static int read_store(sqlite3 *db, const char *path, const char *campaign, held_t *h, char *why,
                      size_t whylen)
{
    sqlite3_stmt *st = NULL;
    uint8_t token[PKG_ID_MAX];
    int rc, x;

    memset(token, 0, sizeof token);
    memcpy(token, campaign, strlen(campaign) < PKG_ID_MAX ? strlen(campaign) : PKG_ID_MAX);
    if ((rc = sqlite3_exec(db, "BEGIN", NULL, NULL, NULL)) != SQLITE_OK)
        return db_fail(db, rc, path, "BEGIN", why, whylen);
    /* (SRVDB-T3) filed under the campaign, or signed for it (the header's campaign field) */
    rc = sqlite3_prepare_v2(db, "SELECT digest, campaign, kiosk, bytes FROM bundle_bytes"
                            " WHERE campaign = ?1 OR substr(bytes, ?3, ?4) = ?2 ORDER BY digest",
                            -1, &st, NULL);
    if (rc != SQLITE_OK) {
        rc = db_fail(db, rc, path, "bundle_bytes", why, whylen);
        goto out;
    }
    sqlite3_bind_text(st, 1, campaign, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 2, token, sizeof token, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, BUNDLE_OFF_CAMPAIGN + 1);  /* SQL counts from 1 */
    sqlite3_bind_int(st, 4, BUNDLE_LEN_CAMPAIGN);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if ((x = take_row(h, st)) != 0) {
            rc = bn_fail(why, whylen, x, "%s: out of memory", path);
            goto out;
        }
    if (rc != SQLITE_DONE) {
        rc = db_fail(db, rc, path, "bundle_bytes", why, whylen);
        goto out;
    }
    sqlite3_finalize(st);
    st = NULL;
    /* (SRVDB-T4) acknowledged, no bytes */
    rc = sqlite3_prepare_v2(db, "SELECT b.digest, b.kiosk FROM bundles b WHERE b.campaign = ?1"
                            " AND NOT EXISTS (SELECT 1 FROM bundle_bytes x WHERE x.digest ="
                            " b.digest) ORDER BY b.digest", -1, &st, NULL);
    if (rc != SQLITE_OK) {
        rc = db_fail(db, rc, path, "bundles", why, whylen);
        goto out;
    }
    sqlite3_bind_text(st, 1, campaign, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if ((x = add_note(h, sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0),
                          sqlite3_column_blob(st, 1), (size_t)sqlite3_column_bytes(st, 1), 1,
                          "held by the server without its bytes (accepted before store "
                          "schema 3): it cannot be verified and none of its items counts; "
                          "importing the kiosk's bundle file again (borne-server import) "
                          "supplies them")) != 0) {
            rc = bn_fail(why, whylen, x, "%s: out of memory", path);
            goto out;
        }
    rc = rc == SQLITE_DONE ? 0 : db_fail(db, rc, path, "bundles", why, whylen);
out:
    sqlite3_finalize(st);
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    return rc;
}

int serverdb_verify(const verify_input_t *in, const char *path, verify_t **out, char *why,
                    size_t whylen)
{
    sqlite3 *db = NULL;
    held_t h;
    verify_set_t set;
    int rc;

    *out = NULL;
    memset(&h, 0, sizeof h);
    h.path = path;
    /* (SRVDB-T1) read-only: the tally never writes the server's store */
    rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
    if (rc != SQLITE_OK) {
        rc = bn_fail(why, whylen, BN_EIO, "%s: cannot open: %s", path,
                     db != NULL ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        goto out;
    }
    sqlite3_busy_timeout(db, 5000);
    if ((rc = check_tables(db, path, why, whylen)) != 0 ||
        (rc = read_store(db, path, in->pkg->id, &h, why, whylen)) != 0)
        goto out;
    memset(&set, 0, sizeof set);
    set.n = h.n;
    set.bufs = (const uint8_t *const *)h.bufs;
    set.lens = h.lens;
    set.names = (const char *const *)h.names;
    set.n_notes = h.n_notes;
    set.notes = h.notes;
    rc = verify_set(in, &set, out, why, whylen);   /* (SRVDB-T2) */
out:
    sqlite3_close(db);
    held_free(&h);
    return rc;
}
