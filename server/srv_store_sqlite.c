/* srv_store_sqlite.c - the server store (srv_store.h) on SQLite.
 *
 * (SRV-D1) synchronous=FULL in WAL mode: when srv_store_put_bundle() returns 0
 *      the bundle's items and its exact signed bytes (bundle_bytes) survive a
 *      crash or a power cut; the bundle is one transaction, so after a crash
 *      either all of it (items and bytes) is held or none: no item is ever
 *      held from a bundle accepted under schema 3 whose bytes are not.
 * (SRV-D2) Idempotence: every item has a natural primary key (ballot id,
 *      (campaign, pseudonym, kiosk), (campaign, kiosk, report digest)); an
 *      item already held with the same bytes is skipped, with other bytes
 *      the whole bundle is refused (BN_EEXISTS) and nothing is written.
 * (SRV-S1) ballots and register sit in two tables with no common key.
 * (SRV-S2) no autoincrement id and no time finer than the day beside a ballot
 *      or a register entry: both tables are WITHOUT ROWID, so stored in key
 *      order (random ids, HMAC pseudonyms), never in arrival order.
 * (SRV-S5) bundle_bytes keeps each accepted bundle exactly as it was sent,
 *      WITHOUT ROWID, keyed by its SHA-256: rows sit in digest order, never
 *      in arrival order, and no time is stored beside them. A bundle holds
 *      what a USB export of the kiosk holds, no more: its ballots and
 *      register entries in two sections each in key order (BUNDLE-B1, BUNDLE-B2 in
 *      bundle.h), its certificate and its sequence number (the kiosk's
 *      count of bundles, so the order of batches of one kiosk, not of
 *      ballots).
 * (SRV-M1) Schema versions: 1 ballots, register, reports, bundles ...; 2 adds
 *      petitions and kiosk_keys; 3 adds bundle_bytes; 4 track_keys and
 *      reservations that lapse; 5 ideas and moderation (issue 17). Opening an older store
 *      creates the missing tables and bumps user_version in one
 *      transaction; bundles accepted before version 3 keep their `bundles`
 *      row and have no bytes (srv_store_bundle_each gives bytes NULL). */
#include "srv_store_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <sqlite3.h>

#include "ballot.h"
#include "bn_err.h"
#include "harden.h"
#include "hex.h"
#include "track.h"
#include "petition.h"
#include "report.h"

#define SRV_SCHEMA_VERSION 5
#define SRV_STR_(x) #x
#define SRV_STR(x) SRV_STR_(x)


static const char schema[] =
    "CREATE TABLE IF NOT EXISTS ballots ("
    " id BLOB PRIMARY KEY, campaign TEXT NOT NULL, kiosk BLOB NOT NULL,"
    " track TEXT NOT NULL, ballot BLOB NOT NULL) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS ballots_kiosk ON ballots(campaign, kiosk, id);"
    "CREATE INDEX IF NOT EXISTS ballots_track ON ballots(track);"
    "CREATE TABLE IF NOT EXISTS register ("
    " campaign TEXT NOT NULL, pseudonym BLOB NOT NULL, kiosk BLOB NOT NULL,"
    " day INTEGER NOT NULL, offline INTEGER NOT NULL,"
    " PRIMARY KEY (campaign, pseudonym, kiosk)) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS register_kiosk ON register(campaign, kiosk);"
    "CREATE TABLE IF NOT EXISTS reports ("
    " campaign TEXT NOT NULL, kiosk BLOB NOT NULL, digest BLOB NOT NULL,"
    " report BLOB NOT NULL, PRIMARY KEY (campaign, kiosk, digest)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS bundles ("
    " digest BLOB PRIMARY KEY, campaign TEXT NOT NULL, kiosk BLOB NOT NULL,"
    " day INTEGER NOT NULL, ack TEXT NOT NULL) WITHOUT ROWID;"
    /* (SRV-S5) schema 3: the bundle as sent, for export and the tally */
    "CREATE TABLE IF NOT EXISTS bundle_bytes ("
    " digest BLOB PRIMARY KEY, campaign TEXT NOT NULL, kiosk BLOB NOT NULL,"
    " bytes BLOB NOT NULL) WITHOUT ROWID;"
    /* (SRV-S4) petition signatures (DESIGN-S5): the signed record as sent
     * (identity sealed to the authority), the pseudonym for de-duplication
     * across kiosks, the day only; key order (random signature ids) */
    "CREATE TABLE IF NOT EXISTS petitions ("
    " id BLOB PRIMARY KEY, campaign TEXT NOT NULL, kiosk BLOB NOT NULL,"
    " pseudonym BLOB NOT NULL, canton TEXT NOT NULL, day INTEGER NOT NULL,"
    " track TEXT NOT NULL, record BLOB NOT NULL) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS petitions_kiosk ON petitions(campaign, kiosk);"
    "CREATE INDEX IF NOT EXISTS petitions_person ON petitions(campaign, pseudonym, kiosk);"
    "CREATE INDEX IF NOT EXISTS petitions_track ON petitions(track);"
    "CREATE TABLE IF NOT EXISTS kiosk_keys ("
    " kiosk BLOB PRIMARY KEY, pub BLOB NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS reserve ("
    " campaign TEXT NOT NULL, pseudonym BLOB NOT NULL, kiosk BLOB NOT NULL,"
    " day INTEGER NOT NULL, until INTEGER NOT NULL DEFAULT 0,"
    " PRIMARY KEY (campaign, pseudonym)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS kiosks ("
    " kiosk BLOB NOT NULL, campaign TEXT NOT NULL, last_upload INTEGER NOT NULL,"
    " PRIMARY KEY (kiosk, campaign)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS refusals ("
    " time INTEGER NOT NULL, reason TEXT NOT NULL, kiosk BLOB, detail TEXT NOT NULL);"
    /* (SRV-S6) schema 4: the tracking key of each campaign, never the
     * pseudonym secret it derives from (schema 3's secrets table is
     * converted and dropped by srv_store_open) */
    "CREATE TABLE IF NOT EXISTS track_keys ("
    " campaign TEXT PRIMARY KEY, key BLOB NOT NULL) WITHOUT ROWID;"
    /* schema 5: ideas of a call for ideas and their moderation (srv_store_ideas.c) */
    "CREATE TABLE IF NOT EXISTS ideas ("
    " id BLOB PRIMARY KEY, campaign TEXT NOT NULL, kiosk BLOB NOT NULL,"
    " pseudonym BLOB NOT NULL, day INTEGER NOT NULL, track TEXT NOT NULL,"
    " record BLOB NOT NULL, status TEXT NOT NULL DEFAULT 'pending',"
    " reason TEXT NOT NULL DEFAULT '', comment TEXT NOT NULL DEFAULT '',"
    " merged_into BLOB, decisions INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS ideas_person ON ideas(campaign, pseudonym);"
    "CREATE INDEX IF NOT EXISTS ideas_track ON ideas(track);"
    "CREATE TABLE IF NOT EXISTS texts ("
    " id BLOB PRIMARY KEY, campaign TEXT NOT NULL, kiosk BLOB NOT NULL,"
    " record BLOB NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS moderation ("
    " seq INTEGER PRIMARY KEY, time INTEGER NOT NULL, moderator TEXT NOT NULL,"
    " campaign TEXT NOT NULL, idea BLOB NOT NULL, status TEXT NOT NULL,"
    " reason TEXT NOT NULL, comment TEXT NOT NULL, into_id BLOB, hash BLOB NOT NULL);";

int srv_store__rc(int rc)
{
    switch (rc) {
    case SQLITE_OK:
    case SQLITE_DONE:
    case SQLITE_ROW:
        return 0;
    case SQLITE_FULL:
        return BN_EFULL;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return BN_ECORRUPT;
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
        return BN_EIO;
    case SQLITE_NOMEM:
        return BN_ENOMEM;
    default:
        return BN_ESTORE;
    }
}

#define map_rc srv_store__rc

static int exec(srv_store_t *s, const char *sql, char *why, size_t whylen)
{
    int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);

    if (rc != SQLITE_OK)
        return bn_fail(why, whylen, map_rc(rc), "%s: %s", sql, sqlite3_errmsg(s->db));
    return 0;
}

/* (SRV-R2) Schema 4: reservations lapse; a store of schema 3 gets the
 * column (0 for its reservations: they do not lapse). */
static int reserve_until(srv_store_t *s, char *why, size_t whylen)
{
    sqlite3_stmt *st = NULL;
    int rc, has = 0;

    rc = sqlite3_prepare_v2(s->db, "SELECT count(*) FROM pragma_table_info('reserve')"
                            " WHERE name = 'until'", -1, &st, NULL);
    if (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        has = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (rc != SQLITE_OK)
        return bn_fail(why, whylen, map_rc(rc), "schema: %s", sqlite3_errmsg(s->db));
    return has ? 0 : exec(s, "ALTER TABLE reserve ADD COLUMN until INTEGER NOT NULL DEFAULT 0",
                          why, whylen);
}

/* (SRV-S6) Schema 3 kept each campaign's pseudonym secret: derive its
 * tracking key, keep that, and drop the secrets (secure_delete zeroes
 * their pages). Inside srv_store_open's transaction. */
static int drop_secrets(srv_store_t *s, char *why, size_t whylen)
{
    sqlite3_stmt *st = NULL;
    uint8_t key[32];
    int rc, n = 0;

    rc = sqlite3_prepare_v2(s->db, "SELECT count(*) FROM sqlite_schema WHERE type = 'table'"
                            " AND name = 'secrets'", -1, &st, NULL);
    if (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    st = NULL;
    if (rc != SQLITE_OK || n == 0)
        return rc == SQLITE_OK ? 0 : bn_fail(why, whylen, map_rc(rc), "schema: %s",
                                             sqlite3_errmsg(s->db));
    rc = sqlite3_prepare_v2(s->db, "SELECT campaign, secret FROM secrets", -1, &st, NULL);
    while (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
        if (sqlite3_column_bytes(st, 1) != 32 ||
            track_key(sqlite3_column_blob(st, 1), key) != 0) {
            rc = SQLITE_CORRUPT;
            break;
        }
        rc = srv_store_put_track_key(s, (const char *)sqlite3_column_text(st, 0), key) == 0
                 ? SQLITE_OK : SQLITE_ERROR;
    }
    memset(key, 0, sizeof key);
    sqlite3_finalize(st);
    if (rc != SQLITE_OK)
        return bn_fail(why, whylen, map_rc(rc), "converting the campaign secrets: %s",
                       sqlite3_errmsg(s->db));
    return exec(s, "DROP TABLE secrets", why, whylen);
}

int srv_store_open(const char *path, srv_store_t **out, char *why, size_t whylen)
{
    srv_store_t *s;
    sqlite3_stmt *st = NULL;
    int rc, v = 0;

    *out = NULL;
    /* (SRV-S7) the store (and its WAL and shared memory, which SQLite
     * creates with the file's mode) is 0600: made so before SQLite opens
     * it, an older, wider one narrowed */
    {
        static const char *const suffix[3] = {"", "-wal", "-shm"};
        char p[4096];
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600), i;

        if (fd >= 0)
            close(fd);
        else if (errno != EEXIST)
            return bn_fail(why, whylen, BN_EIO, "%s: cannot create: %s", path, strerror(errno));
        for (i = 0; i < 3; i++) {
            snprintf(p, sizeof p, "%s%s", path, suffix[i]);
            if ((rc = harden_file(p, why, whylen)) != 0)
                return rc;
        }
    }
    s = calloc(1, sizeof *s);
    if (s == NULL)
        return BN_ENOMEM;
    rc = sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                         SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        rc = bn_fail(why, whylen, map_rc(rc), "%s: %s", path,
                     s->db ? sqlite3_errmsg(s->db) : "cannot open");
        goto out;
    }
    sqlite3_busy_timeout(s->db, 5000);
    if ((rc = exec(s, "PRAGMA secure_delete = ON", why, whylen)) != 0 ||
        (rc = exec(s, "PRAGMA journal_mode = WAL", why, whylen)) != 0 ||
        (rc = exec(s, "PRAGMA synchronous = FULL", why, whylen)) != 0 ||
        (rc = exec(s, "PRAGMA trusted_schema = OFF", why, whylen)) != 0 ||
        (rc = exec(s, "PRAGMA cell_size_check = ON", why, whylen)) != 0)
        goto out;
    if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (v > SRV_SCHEMA_VERSION) {
        rc = bn_fail(why, whylen, BN_ESCHEMA, "%s: schema %d is newer than %d", path, v,
                     SRV_SCHEMA_VERSION);
        goto out;
    }
    /* (SRV-M1) the missing tables and the version, in one transaction */
    if ((rc = exec(s, "BEGIN IMMEDIATE", why, whylen)) != 0)
        goto out;
    if ((rc = exec(s, schema, why, whylen)) != 0 || (rc = drop_secrets(s, why, whylen)) != 0 ||
        (rc = reserve_until(s, why, whylen)) != 0 ||
        (rc = exec(s, "PRAGMA user_version = " SRV_STR(SRV_SCHEMA_VERSION), why, whylen)) != 0) {
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        goto out;
    }
    if ((rc = exec(s, "COMMIT", why, whylen)) != 0)
        goto out;
    *out = s;
    s = NULL;
out:
    srv_store_close(s);
    return rc;
}

int srv_store_open_reader(const char *path, srv_store_t **out, char *why, size_t whylen)
{
    srv_store_t *s = calloc(1, sizeof *s);
    int rc;

    *out = NULL;
    if (s == NULL)
        return BN_ENOMEM;
    rc = sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_busy_timeout(s->db, 5000);
        rc = sqlite3_exec(s->db, "PRAGMA trusted_schema = OFF", NULL, NULL, NULL);
    }
    if (rc != SQLITE_OK) {
        rc = bn_fail(why, whylen, map_rc(rc), "%s (read-only): %s", path,
                     s->db ? sqlite3_errmsg(s->db) : "cannot open");
        srv_store_close(s);
        return rc;
    }
    *out = s;
    return 0;
}

void srv_store_close(srv_store_t *s)
{
    if (s == NULL)
        return;
    sqlite3_close(s->db);
    free(s);
}

int srv_store_check(srv_store_t *s, char *why, size_t whylen)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, "PRAGMA integrity_check(1)", -1, &st, NULL);

    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(st, 0);

        rc = (t != NULL && strcmp(t, "ok") == 0)
                 ? 0 : bn_fail(why, whylen, BN_ECORRUPT, "integrity_check: %s", t ? t : "?");
    } else {
        rc = bn_fail(why, whylen, BN_ECORRUPT, "integrity_check: %s", sqlite3_errmsg(s->db));
    }
    sqlite3_finalize(st);
    return rc;
}

int srv_store_put_track_key(srv_store_t *s, const char *campaign, const uint8_t key[32])
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, "INSERT OR REPLACE INTO track_keys VALUES (?, ?)", -1,
                                &st, NULL);

    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, campaign, -1, SQLITE_STATIC);
        sqlite3_bind_blob(st, 2, key, 32, SQLITE_STATIC);
        rc = sqlite3_step(st);
    }
    sqlite3_finalize(st);
    return map_rc(rc);
}

int srv_store_get_track_key(srv_store_t *s, const char *campaign, uint8_t key[32])
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, "SELECT key FROM track_keys WHERE campaign = ?", -1, &st,
                                NULL);

    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, campaign, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW && sqlite3_column_bytes(st, 0) == 32) {
            memcpy(key, sqlite3_column_blob(st, 0), 32);
            rc = 0;
        } else {
            rc = rc == SQLITE_DONE ? BN_ENOTFOUND : map_rc(rc) ? map_rc(rc) : BN_ECORRUPT;
        }
    } else {
        rc = map_rc(rc);
    }
    sqlite3_finalize(st);
    return rc;
}

/* Inserts one row with INSERT OR IGNORE; when ignored, compares with what is
 * held through `cmp` (a SELECT returning 1 row when identical). Returns 1 if
 * added, 0 if held identically, BN_EEXISTS if held differently. */
static int put_one(srv_store_t *s, sqlite3_stmt *ins, sqlite3_stmt *same)
{
    int rc = sqlite3_step(ins);

    sqlite3_reset(ins);
    if (rc != SQLITE_DONE)
        return map_rc(rc) ? map_rc(rc) : BN_ESTORE;
    if (sqlite3_changes(s->db) == 1)
        return 1;
    rc = sqlite3_step(same);
    sqlite3_reset(same);
    if (rc == SQLITE_ROW)
        return 0;
    if (rc == SQLITE_DONE)
        return BN_EEXISTS;
    return map_rc(rc) ? map_rc(rc) : BN_ESTORE;
}

/* The petition records of a bundle and the kiosk's public key, inside the
 * caller's transaction; *n gets the number of new records. (SRV-D2) as for
 * ballots: a signature id held with the same bytes is skipped, with other
 * bytes BN_EEXISTS. */
static int put_signatures(srv_store_t *s, const srv_bundle_items_t *b, size_t *n, char *why,
                          size_t whylen)
{
    sqlite3_stmt *ins = NULL, *same = NULL, *key = NULL;
    char hex[33];
    size_t i;
    int rc = 0;

    if (b->n_signatures == 0)
        return 0;
    if (sqlite3_prepare_v2(s->db, "INSERT OR IGNORE INTO petitions VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           -1, &ins, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db, "SELECT 1 FROM petitions WHERE id = ? AND record = ?", -1,
                           &same, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db, "INSERT OR IGNORE INTO kiosk_keys VALUES (?, ?)", -1, &key,
                           NULL) != SQLITE_OK) {
        rc = bn_fail(why, whylen, BN_ESTORE, "prepare: %s", sqlite3_errmsg(s->db));
        goto out;
    }
    sqlite3_bind_blob(key, 1, b->kiosk, 32, SQLITE_STATIC);
    sqlite3_bind_blob(key, 2, b->kiosk_pub, KEY_PUB_LEN, SQLITE_STATIC);
    if ((rc = sqlite3_step(key)) != SQLITE_DONE) {
        rc = bn_fail(why, whylen, map_rc(rc) ? map_rc(rc) : BN_ESTORE, "kiosk_keys: %s",
                     sqlite3_errmsg(s->db));
        goto out;
    }
    for (i = 0; i < b->n_signatures; i++) {
        const srv_sig_t *x = &b->signatures[i];

        sqlite3_bind_blob(ins, 1, x->id, 16, SQLITE_STATIC);
        sqlite3_bind_text(ins, 2, b->campaign, -1, SQLITE_STATIC);
        sqlite3_bind_blob(ins, 3, b->kiosk, 32, SQLITE_STATIC);
        sqlite3_bind_blob(ins, 4, x->pseudonym, 32, SQLITE_STATIC);
        sqlite3_bind_text(ins, 5, x->canton, -1, SQLITE_STATIC);
        sqlite3_bind_int64(ins, 6, x->day);
        sqlite3_bind_text(ins, 7, x->track, -1, SQLITE_STATIC);
        sqlite3_bind_blob(ins, 8, x->bytes, PETITION_LEN, SQLITE_STATIC);
        sqlite3_bind_blob(same, 1, x->id, 16, SQLITE_STATIC);
        sqlite3_bind_blob(same, 2, x->bytes, PETITION_LEN, SQLITE_STATIC);
        rc = put_one(s, ins, same);
        if (b->sig_added != NULL)
            b->sig_added[i] = rc == 1;
        if (rc < 0) {
            hex_encode(x->id, 16, hex);
            rc = rc == BN_EEXISTS
                     ? bn_fail(why, whylen, rc, "signature %s: another record with this id is"
                               " held", hex)
                     : bn_fail(why, whylen, rc, "signature %s: %s", hex, sqlite3_errmsg(s->db));
            goto out;
        }
        *n += (size_t)rc;
    }
    rc = 0;
out:
    sqlite3_finalize(ins);
    sqlite3_finalize(same);
    sqlite3_finalize(key);
    return rc;
}

/* A questionnaire's free texts, inside the caller's transaction: (SRV-D2)
 * held with the same bytes, skipped; with other bytes, BN_EEXISTS. */
static int put_texts(srv_store_t *s, const srv_bundle_items_t *b, size_t *n, char *why,
                     size_t whylen)
{
    sqlite3_stmt *ins = NULL, *same = NULL, *key = NULL;
    char hex[33];
    size_t i;
    int rc = 0;

    if (b->n_texts == 0)
        return 0;
    if (sqlite3_prepare_v2(s->db, "INSERT OR IGNORE INTO texts VALUES (?, ?, ?, ?)", -1, &ins,
                           NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db, "SELECT 1 FROM texts WHERE id = ? AND record = ?", -1, &same,
                           NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db, "INSERT OR IGNORE INTO kiosk_keys VALUES (?, ?)", -1, &key,
                           NULL) != SQLITE_OK) {
        rc = bn_fail(why, whylen, BN_ESTORE, "prepare: %s", sqlite3_errmsg(s->db));
        goto out;
    }
    if (b->kiosk_pub != NULL) {
        sqlite3_bind_blob(key, 1, b->kiosk, 32, SQLITE_STATIC);
        sqlite3_bind_blob(key, 2, b->kiosk_pub, KEY_PUB_LEN, SQLITE_STATIC);
        if ((rc = sqlite3_step(key)) != SQLITE_DONE) {
            rc = bn_fail(why, whylen, map_rc(rc) ? map_rc(rc) : BN_ESTORE, "kiosk_keys: %s",
                         sqlite3_errmsg(s->db));
            goto out;
        }
    }
    for (i = 0; i < b->n_texts; i++) {
        const srv_text_t *x = &b->texts[i];

        sqlite3_bind_blob(ins, 1, x->id, 16, SQLITE_STATIC);
        sqlite3_bind_text(ins, 2, b->campaign, -1, SQLITE_STATIC);
        sqlite3_bind_blob(ins, 3, b->kiosk, 32, SQLITE_STATIC);
        sqlite3_bind_blob(ins, 4, x->bytes, (int)x->len, SQLITE_STATIC);
        sqlite3_bind_blob(same, 1, x->id, 16, SQLITE_STATIC);
        sqlite3_bind_blob(same, 2, x->bytes, (int)x->len, SQLITE_STATIC);
        rc = put_one(s, ins, same);
        if (rc < 0) {
            hex_encode(x->id, 16, hex);
            rc = rc == BN_EEXISTS
                     ? bn_fail(why, whylen, rc, "text %s: another record with this id is held", hex)
                     : bn_fail(why, whylen, rc, "text %s: %s", hex, sqlite3_errmsg(s->db));
            goto out;
        }
        *n += (size_t)rc;
    }
    rc = 0;
out:
    sqlite3_finalize(ins);
    sqlite3_finalize(same);
    sqlite3_finalize(key);
    return rc;
}

int srv_store_text_each(srv_store_t *s, const char *campaign,
                        int (*fn)(void *arg, const uint8_t *rec, size_t len, const uint8_t *pub,
                                  size_t pub_len),
                        void *arg)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, "SELECT t.record, k.pub FROM texts t LEFT JOIN kiosk_keys"
                                " k ON k.kiosk = t.kiosk WHERE ?1 IS NULL OR t.campaign = ?1"
                                " ORDER BY t.id", -1, &st, NULL);

    if (rc == SQLITE_OK) {
        if (campaign != NULL)
            sqlite3_bind_text(st, 1, campaign, -1, SQLITE_STATIC);
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            int r = fn(arg, sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0),
                       sqlite3_column_blob(st, 1), (size_t)sqlite3_column_bytes(st, 1));
            if (r != 0) {
                sqlite3_finalize(st);
                return r;
            }
        }
    }
    sqlite3_finalize(st);
    return map_rc(rc);
}

/* (SRV-D1, SRV-S5) The bundle's bytes under its digest, inside the caller's
 * transaction. Already held (a bundle sent again): nothing changes. Other
 * bytes under the same digest can only be an altered store: BN_ECORRUPT. */
static int put_bytes(srv_store_t *s, const srv_bundle_items_t *b, char *why, size_t whylen)
{
    sqlite3_stmt *ins = NULL, *same = NULL;
    char hex[65];
    int rc;

    hex_encode(b->digest, 32, hex);
    if (b->len > INT32_MAX)
        return bn_fail(why, whylen, BN_ETOOBIG, "bundle %s: %zu bytes", hex, b->len);
    if (sqlite3_prepare_v2(s->db, "INSERT OR IGNORE INTO bundle_bytes VALUES (?, ?, ?, ?)", -1,
                           &ins, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db, "SELECT 1 FROM bundle_bytes WHERE digest = ? AND bytes = ?", -1,
                           &same, NULL) != SQLITE_OK) {
        rc = bn_fail(why, whylen, BN_ESTORE, "prepare: %s", sqlite3_errmsg(s->db));
        goto out;
    }
    sqlite3_bind_blob(ins, 1, b->digest, 32, SQLITE_STATIC);
    sqlite3_bind_text(ins, 2, b->campaign, -1, SQLITE_STATIC);
    sqlite3_bind_blob(ins, 3, b->kiosk, 32, SQLITE_STATIC);
    sqlite3_bind_blob(ins, 4, b->bytes, (int)b->len, SQLITE_STATIC);
    sqlite3_bind_blob(same, 1, b->digest, 32, SQLITE_STATIC);
    sqlite3_bind_blob(same, 2, b->bytes, (int)b->len, SQLITE_STATIC);
    rc = put_one(s, ins, same);
    if (rc == BN_EEXISTS)
        rc = bn_fail(why, whylen, BN_ECORRUPT, "bundle %s: other bytes are held under this"
                     " digest (the store was altered)", hex);
    else if (rc < 0)
        rc = bn_fail(why, whylen, rc, "bundle %s: %s", hex, sqlite3_errmsg(s->db));
    else
        rc = 0;
out:
    sqlite3_finalize(ins);
    sqlite3_finalize(same);
    return rc;
}

/* (SRV-I1) Per kiosk and campaign, the ballots held never outnumber the
 * register entries held: a kiosk sends a cast's register entry no later
 * than its ballot, so more ballots than entries are ballots nobody was
 * registered for (a stolen kiosk's key stuffing the box). BN_ERULE, and
 * the bundle's transaction is rolled back. */
static int ballots_within_register(srv_store_t *s, const srv_bundle_items_t *b, char *why,
                                   size_t whylen)
{
    sqlite3_stmt *st = NULL;
    int64_t nb = 0, nr = 0;
    int rc = sqlite3_prepare_v2(s->db,
        "SELECT (SELECT count(*) FROM ballots WHERE campaign = ?1 AND kiosk = ?2),"
        " (SELECT count(*) FROM register WHERE campaign = ?1 AND kiosk = ?2)", -1, &st, NULL);

    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, b->campaign, -1, SQLITE_STATIC);
        sqlite3_bind_blob(st, 2, b->kiosk, 32, SQLITE_STATIC);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            nb = sqlite3_column_int64(st, 0);
            nr = sqlite3_column_int64(st, 1);
            rc = SQLITE_OK;
        }
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_OK)
        return bn_fail(why, whylen, map_rc(rc), "counting: %s", sqlite3_errmsg(s->db));
    if (nb > nr)
        return bn_fail(why, whylen, BN_ERULE, "this kiosk would have %lld ballots for %lld "
                       "register entries in campaign %s: %lld ballots nobody registered for",
                       (long long)nb, (long long)nr, b->campaign, (long long)(nb - nr));
    return 0;
}

int srv_store_put_bundle(srv_store_t *s, const srv_bundle_items_t *b, size_t *added,
                         char *why, size_t whylen)
{
    sqlite3_stmt *ib = NULL, *sb = NULL, *ir = NULL, *sr = NULL, *ip = NULL, *sp = NULL,
                 *ik = NULL;
    size_t i, n = 0;
    int rc;
    char hex[65];

    if (added != NULL)
        *added = 0;
    if (b->bytes == NULL || b->len == 0)
        return bn_fail(why, whylen, BN_EINVAL, "bundle: no bytes given");
    if ((rc = exec(s, "BEGIN IMMEDIATE", why, whylen)) != 0)
        return rc;
    if (sqlite3_prepare_v2(s->db, "INSERT OR IGNORE INTO ballots VALUES (?, ?, ?, ?, ?)", -1,
                           &ib, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db, "SELECT 1 FROM ballots WHERE id = ? AND ballot = ?", -1, &sb,
                           NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db, "INSERT OR IGNORE INTO register VALUES (?, ?, ?, ?, ?)", -1,
                           &ir, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db, "SELECT 1 FROM register WHERE campaign = ? AND pseudonym = ?"
                           " AND kiosk = ? AND day = ? AND offline = ?", -1, &sr, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db, "INSERT OR IGNORE INTO reports VALUES (?, ?, ?, ?)", -1, &ip,
                           NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db, "SELECT 1 FROM reports WHERE campaign = ? AND kiosk = ?"
                           " AND digest = ?", -1, &sp, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db, "INSERT OR REPLACE INTO kiosks VALUES (?, ?, ?)", -1, &ik,
                           NULL) != SQLITE_OK) {
        rc = bn_fail(why, whylen, BN_ESTORE, "prepare: %s", sqlite3_errmsg(s->db));
        goto out;
    }
    for (i = 0; i < b->n_ballots; i++) {
        const srv_ballot_t *x = &b->ballots[i];

        sqlite3_bind_blob(ib, 1, x->id, 16, SQLITE_STATIC);
        sqlite3_bind_text(ib, 2, b->campaign, -1, SQLITE_STATIC);
        sqlite3_bind_blob(ib, 3, b->kiosk, 32, SQLITE_STATIC);
        sqlite3_bind_text(ib, 4, x->track, -1, SQLITE_STATIC);
        sqlite3_bind_blob(ib, 5, x->bytes, (int)x->len, SQLITE_STATIC);
        sqlite3_bind_blob(sb, 1, x->id, 16, SQLITE_STATIC);
        sqlite3_bind_blob(sb, 2, x->bytes, (int)x->len, SQLITE_STATIC);
        rc = put_one(s, ib, sb);
        if (rc < 0) {
            hex_encode(x->id, 16, hex);
            rc = rc == BN_EEXISTS
                     ? bn_fail(why, whylen, rc, "ballot %s: another ballot with this id is held", hex)
                     : bn_fail(why, whylen, rc, "ballot %s: %s", hex, sqlite3_errmsg(s->db));
            goto out;
        }
        n += (size_t)rc;
    }
    for (i = 0; i < b->n_register; i++) {
        const srv_reg_t *x = &b->registers[i];

        sqlite3_bind_text(ir, 1, b->campaign, -1, SQLITE_STATIC);
        sqlite3_bind_blob(ir, 2, x->pseudonym, 32, SQLITE_STATIC);
        sqlite3_bind_blob(ir, 3, b->kiosk, 32, SQLITE_STATIC);
        sqlite3_bind_int64(ir, 4, x->day);
        sqlite3_bind_int(ir, 5, x->offline);
        sqlite3_bind_text(sr, 1, b->campaign, -1, SQLITE_STATIC);
        sqlite3_bind_blob(sr, 2, x->pseudonym, 32, SQLITE_STATIC);
        sqlite3_bind_blob(sr, 3, b->kiosk, 32, SQLITE_STATIC);
        sqlite3_bind_int64(sr, 4, x->day);
        sqlite3_bind_int(sr, 5, x->offline);
        rc = put_one(s, ir, sr);
        if (rc < 0) {
            /* the register entry's index, never the pseudonym (logs) */
            rc = rc == BN_EEXISTS
                     ? bn_fail(why, whylen, rc, "register entry %zu: held from this kiosk with"
                               " another day or offline flag", i)
                     : bn_fail(why, whylen, rc, "register entry %zu: %s", i, sqlite3_errmsg(s->db));
            goto out;
        }
        n += (size_t)rc;
    }
    for (i = 0; i < b->n_reports; i++) {
        uint8_t d[32];

        key_sha256(b->reports[i], b->report_lens[i], d);
        sqlite3_bind_text(ip, 1, b->campaign, -1, SQLITE_STATIC);
        sqlite3_bind_blob(ip, 2, b->kiosk, 32, SQLITE_STATIC);
        sqlite3_bind_blob(ip, 3, d, 32, SQLITE_TRANSIENT);
        sqlite3_bind_blob(ip, 4, b->reports[i], (int)b->report_lens[i], SQLITE_STATIC);
        sqlite3_bind_text(sp, 1, b->campaign, -1, SQLITE_STATIC);
        sqlite3_bind_blob(sp, 2, b->kiosk, 32, SQLITE_STATIC);
        sqlite3_bind_blob(sp, 3, d, 32, SQLITE_TRANSIENT);
        rc = put_one(s, ip, sp);
        if (rc < 0) {
            rc = bn_fail(why, whylen, rc, "report %zu: %s", i, sqlite3_errmsg(s->db));
            goto out;
        }
        n += (size_t)rc;
    }
    if ((rc = put_signatures(s, b, &n, why, whylen)) != 0 ||
        (rc = put_texts(s, b, &n, why, whylen)) != 0 ||
        (rc = srv_store__put_ideas(s, b, &n, why, whylen)) != 0 ||
        (rc = put_bytes(s, b, why, whylen)) != 0 ||
        (rc = ballots_within_register(s, b, why, whylen)) != 0)
        goto out;
    sqlite3_bind_blob(ik, 1, b->kiosk, 32, SQLITE_STATIC);
    sqlite3_bind_text(ik, 2, b->campaign, -1, SQLITE_STATIC);
    sqlite3_bind_int64(ik, 3, b->now);
    if ((rc = sqlite3_step(ik)) != SQLITE_DONE) {
        rc = bn_fail(why, whylen, map_rc(rc), "kiosks: %s", sqlite3_errmsg(s->db));
        goto out;
    }
    rc = exec(s, "COMMIT", why, whylen);
    if (rc == 0 && added != NULL)
        *added = n;
out:
    if (rc != 0)
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_finalize(ib);
    sqlite3_finalize(sb);
    sqlite3_finalize(ir);
    sqlite3_finalize(sr);
    sqlite3_finalize(ip);
    sqlite3_finalize(sp);
    sqlite3_finalize(ik);
    return rc;
}

int srv_store_put_ack(srv_store_t *s, const uint8_t digest[32], const char *campaign,
                      const uint8_t kiosk[32], uint32_t day, const char *ack)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, "INSERT OR IGNORE INTO bundles VALUES (?, ?, ?, ?, ?)",
                                -1, &st, NULL);

    if (rc == SQLITE_OK) {
        sqlite3_bind_blob(st, 1, digest, 32, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, campaign, -1, SQLITE_STATIC);
        sqlite3_bind_blob(st, 3, kiosk, 32, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, day);
        sqlite3_bind_text(st, 5, ack, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
    }
    sqlite3_finalize(st);
    return map_rc(rc);
}

int srv_store_bundle_each(srv_store_t *s, const char *campaign,
                          int (*row)(void *arg, const srv_bundle_row_t *r), void *arg)
{
    /* one statement, so one snapshot: the bundles with bytes, then those
     * that only have a `bundles` row (accepted before schema 3) */
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db,
        "SELECT digest, campaign, kiosk, bytes FROM bundle_bytes"
        " WHERE ?1 IS NULL OR campaign = ?1"
        " UNION ALL SELECT b.digest, b.campaign, b.kiosk, NULL FROM bundles b"
        " WHERE (?1 IS NULL OR b.campaign = ?1)"
        " AND NOT EXISTS (SELECT 1 FROM bundle_bytes x WHERE x.digest = b.digest)"
        " ORDER BY 1", -1, &st, NULL);

    if (rc != SQLITE_OK)
        goto out;
    if (campaign != NULL)
        sqlite3_bind_text(st, 1, campaign, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        srv_bundle_row_t r;
        int x;

        if (sqlite3_column_bytes(st, 0) != 32 || sqlite3_column_bytes(st, 2) != 32 ||
            sqlite3_column_text(st, 1) == NULL) {
            rc = SQLITE_CORRUPT;
            goto out;
        }
        r.digest = sqlite3_column_blob(st, 0);
        r.campaign = (const char *)sqlite3_column_text(st, 1);
        r.kiosk = sqlite3_column_blob(st, 2);
        r.bytes = NULL;
        r.len = 0;
        if (sqlite3_column_type(st, 3) != SQLITE_NULL) {
            static const uint8_t empty[1];

            r.bytes = sqlite3_column_blob(st, 3);
            r.len = (size_t)sqlite3_column_bytes(st, 3);
            if (r.bytes == NULL) /* a zero-length blob: held, but empty */
                r.bytes = empty;
        }
        if ((x = row(arg, &r)) != 0) {
            sqlite3_finalize(st);
            return x;
        }
    }
out:
    sqlite3_finalize(st);
    return map_rc(rc);
}

static int count(srv_store_t *s, const char *sql, const char *campaign, const uint8_t *kiosk,
                 int64_t *out)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);

    *out = 0;
    if (rc == SQLITE_OK) {
        if (campaign != NULL)
            sqlite3_bind_text(st, 1, campaign, -1, SQLITE_STATIC);
        if (kiosk != NULL)
            sqlite3_bind_blob(st, 2, kiosk, 32, SQLITE_STATIC);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
            *out = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    return map_rc(rc);
}

int srv_store_held(srv_store_t *s, const char *campaign, const uint8_t kiosk[32],
                   srv_held_t *out)
{
    sqlite3_stmt *st = NULL;
    uint8_t *ids = NULL;
    size_t n = 0, cap = 0;
    int rc;

    memset(out, 0, sizeof *out);
    if ((rc = count(s, "SELECT count(*) FROM register WHERE campaign = ?1 AND kiosk = ?2",
                    campaign, kiosk, &out->registers)) != 0 ||
        (rc = count(s, "SELECT count(*) FROM reports WHERE campaign = ?1 AND kiosk = ?2",
                    campaign, kiosk, &out->reports)) != 0 ||
        (rc = count(s, "SELECT count(*) FROM petitions INDEXED BY petitions_kiosk"
                    " WHERE campaign = ?1 AND kiosk = ?2", campaign, kiosk,
                    &out->signatures)) != 0)
        return rc;
    rc = sqlite3_prepare_v2(s->db, "SELECT id FROM ballots INDEXED BY ballots_kiosk"
                            " WHERE campaign = ? AND kiosk = ? ORDER BY id", -1, &st, NULL);
    if (rc != SQLITE_OK) {
        rc = map_rc(rc);
        goto out;
    }
    sqlite3_bind_text(st, 1, campaign, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 2, kiosk, 32, SQLITE_STATIC);
    /* the ids, in byte order, for ballot_ids_digest */
    cap = 1024;
    ids = malloc(cap);
    if (ids == NULL) {
        rc = BN_ENOMEM;
        goto out;
    }
    n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (sqlite3_column_bytes(st, 0) != BALLOT_ID_LEN) {
            rc = BN_ECORRUPT;
            goto out;
        }
        if (n + BALLOT_ID_LEN > cap) {
            uint8_t *t = realloc(ids, cap * 2);

            if (t == NULL) {
                rc = BN_ENOMEM;
                goto out;
            }
            ids = t;
            cap *= 2;
        }
        memcpy(ids + n, sqlite3_column_blob(st, 0), BALLOT_ID_LEN);
        n += BALLOT_ID_LEN;
        out->ballots++;
    }
    rc = map_rc(rc);
    if (rc == 0)
        ballot_ids_digest(ids, n / BALLOT_ID_LEN, out->ids_digest);
out:
    free(ids);
    sqlite3_finalize(st);
    return rc;
}

int srv_store_has_track(srv_store_t *s, const char *track)
{
    int64_t n;
    int rc = count(s, "SELECT count(*) FROM ballots WHERE track = ?1", track, NULL, &n);

    if (rc == 0 && n == 0)
        rc = count(s, "SELECT count(*) FROM petitions WHERE track = ?1", track, NULL, &n);
    if (rc == 0 && n == 0)
        rc = count(s, "SELECT count(*) FROM ideas WHERE track = ?1", track, NULL, &n);
    return rc != 0 ? rc : n > 0;
}

int srv_store_petition_each(srv_store_t *s, const char *campaign,
                            int (*row)(void *arg, const uint8_t *rec, size_t len,
                                       const uint8_t *pub, size_t pub_len),
                            void *arg)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, "SELECT p.record, k.pub FROM petitions p LEFT JOIN"
                                " kiosk_keys k ON k.kiosk = p.kiosk WHERE p.campaign = ?"
                                " ORDER BY p.id", -1, &st, NULL);

    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, campaign, -1, SQLITE_STATIC);
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            int r = row(arg, sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0),
                        sqlite3_column_blob(st, 1), (size_t)sqlite3_column_bytes(st, 1));

            if (r != 0) {
                sqlite3_finalize(st);
                return r;
            }
        }
    }
    sqlite3_finalize(st);
    return map_rc(rc);
}

int srv_store_petition_total(srv_store_t *s, const char *campaign, int64_t *n)
{
    return count(s, "SELECT count(*) FROM petitions WHERE campaign = ?1", campaign, NULL, n);
}

int srv_store_petition_pairs(srv_store_t *s, const char *campaign,
                             void (*pair)(void *arg, const uint8_t *a, const uint8_t *b,
                                          int64_t persons),
                             void *arg)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db,
        "WITH k AS (SELECT DISTINCT pseudonym, kiosk FROM petitions WHERE campaign = ?1)"
        " SELECT a.kiosk, b.kiosk, count(*) FROM k a JOIN k b ON a.pseudonym = b.pseudonym"
        " AND a.kiosk < b.kiosk GROUP BY a.kiosk, b.kiosk ORDER BY a.kiosk, b.kiosk",
        -1, &st, NULL);

    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, campaign, -1, SQLITE_STATIC);
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
            if (sqlite3_column_bytes(st, 0) == 32 && sqlite3_column_bytes(st, 1) == 32)
                pair(arg, sqlite3_column_blob(st, 0), sqlite3_column_blob(st, 1),
                     sqlite3_column_int64(st, 2));
    }
    sqlite3_finalize(st);
    return map_rc(rc);
}

int srv_store_reserve(srv_store_t *s, const char *campaign, const uint8_t pseudonym[32],
                      const uint8_t kiosk[32], uint32_t day, int64_t now, int64_t until)
{
    /* (SRV-R1) One statement decides: written only when no register entry
     * nor petition signature (an upload, maybe from an offline kiosk) holds
     * the pseudonym, and nobody holds it, or (SRV-R2) the holder's
     * reservation has lapsed, or the holder is this kiosk asking again (a
     * retry after a lost answer: its lapse time is renewed). The caller
     * serialises calls; SQLite's write lock would serialise them between
     * processes too. */
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db,
        "INSERT INTO reserve (campaign, pseudonym, kiosk, day, until)"
        " SELECT ?1, ?2, ?3, ?4, ?6 WHERE NOT EXISTS"
        " (SELECT 1 FROM register WHERE campaign = ?1 AND pseudonym = ?2) AND NOT EXISTS"
        " (SELECT 1 FROM petitions WHERE campaign = ?1 AND pseudonym = ?2)"
        " ON CONFLICT (campaign, pseudonym) DO UPDATE SET kiosk = excluded.kiosk,"
        " day = excluded.day, until = excluded.until"
        " WHERE reserve.kiosk = excluded.kiosk OR (reserve.until != 0 AND reserve.until <= ?5)",
        -1, &st, NULL);

    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, campaign, -1, SQLITE_STATIC);
        sqlite3_bind_blob(st, 2, pseudonym, 32, SQLITE_STATIC);
        sqlite3_bind_blob(st, 3, kiosk, 32, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, day);
        sqlite3_bind_int64(st, 5, now);
        sqlite3_bind_int64(st, 6, until);
        rc = sqlite3_step(st);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return map_rc(rc) ? map_rc(rc) : BN_ESTORE;
    return sqlite3_changes(s->db) == 1;
}

int srv_store_release_reservations(srv_store_t *s, const uint8_t *ids, size_t stride,
                                   uint32_t n, size_t *released)
{
    sqlite3_stmt *st = NULL;
    size_t total = 0;
    uint32_t i;
    int rc = sqlite3_prepare_v2(s->db,
        "DELETE FROM reserve WHERE kiosk = ?1 AND NOT EXISTS (SELECT 1 FROM register r"
        " WHERE r.campaign = reserve.campaign AND r.pseudonym = reserve.pseudonym)",
        -1, &st, NULL);

    for (i = 0; rc == SQLITE_OK && i < n; i++) {
        sqlite3_bind_blob(st, 1, ids + stride * i, 32, SQLITE_STATIC);
        rc = sqlite3_step(st);
        if (rc == SQLITE_DONE) {
            total += (size_t)sqlite3_changes(s->db);
            rc = SQLITE_OK;
        }
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    if (released != NULL)
        *released = total;
    return map_rc(rc);
}

int srv_store_refusal(srv_store_t *s, int64_t now, const char *reason, const uint8_t *kiosk,
                      const char *detail)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, "INSERT INTO refusals VALUES (?, ?, ?, ?)", -1, &st, NULL);

    if (rc == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, now);
        sqlite3_bind_text(st, 2, reason, -1, SQLITE_STATIC);
        if (kiosk != NULL)
            sqlite3_bind_blob(st, 3, kiosk, 32, SQLITE_STATIC);
        else
            sqlite3_bind_null(st, 3);
        sqlite3_bind_text(st, 4, detail, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
    }
    sqlite3_finalize(st);
    return map_rc(rc);
}

/* Runs sql and calls row(arg, st) for each row. */
static int each_row(srv_store_t *s, const char *sql, void (*row)(void *, sqlite3_stmt *),
                    void *arg)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);

    if (rc == SQLITE_OK) {
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
            row(arg, st);
    }
    sqlite3_finalize(st);
    return map_rc(rc);
}

static void hex_col(sqlite3_stmt *st, int col, char out[65])
{
    if (sqlite3_column_bytes(st, col) == 32)
        hex_encode(sqlite3_column_blob(st, col), 32, out);
    else
        strcpy(out, "");
}

static void row_campaign(void *arg, sqlite3_stmt *st)
{
    cJSON *o = cJSON_CreateObject();

    cJSON_AddStringToObject(o, "campaign", (const char *)sqlite3_column_text(st, 0));
    cJSON_AddNumberToObject(o, "ballots", (double)sqlite3_column_int64(st, 1));
    cJSON_AddNumberToObject(o, "register", (double)sqlite3_column_int64(st, 2));
    cJSON_AddNumberToObject(o, "reports", (double)sqlite3_column_int64(st, 3));
    cJSON_AddNumberToObject(o, "duplicate_pseudonyms", (double)sqlite3_column_int64(st, 4));
    cJSON_AddNumberToObject(o, "signatures", (double)sqlite3_column_int64(st, 5));
    cJSON_AddItemToArray(arg, o);
}

static void row_kiosk(void *arg, sqlite3_stmt *st)
{
    cJSON *o = cJSON_CreateObject();
    char hex[65];

    hex_col(st, 0, hex);
    cJSON_AddStringToObject(o, "kiosk", hex);
    cJSON_AddStringToObject(o, "campaign", (const char *)sqlite3_column_text(st, 1));
    cJSON_AddNumberToObject(o, "ballots", (double)sqlite3_column_int64(st, 2));
    cJSON_AddNumberToObject(o, "register", (double)sqlite3_column_int64(st, 3));
    cJSON_AddNumberToObject(o, "last_upload", (double)sqlite3_column_int64(st, 4));
    cJSON_AddNumberToObject(o, "signatures", (double)sqlite3_column_int64(st, 5));
    cJSON_AddItemToArray(arg, o);
}

static void row_refusal(void *arg, sqlite3_stmt *st)
{
    cJSON_AddNumberToObject(arg, (const char *)sqlite3_column_text(st, 0),
                            (double)sqlite3_column_int64(st, 1));
}

int srv_store_metrics(srv_store_t *s, char **json)
{
    cJSON *root = cJSON_CreateObject(), *camps, *kiosks, *ref;
    int rc;

    *json = NULL;
    if (root == NULL)
        return BN_ENOMEM;
    camps = cJSON_AddArrayToObject(root, "campaigns");
    kiosks = cJSON_AddArrayToObject(root, "kiosks");
    ref = cJSON_AddObjectToObject(root, "refusals");
    rc = each_row(s,
        "WITH c(campaign) AS (SELECT campaign FROM ballots UNION SELECT campaign FROM register"
        " UNION SELECT campaign FROM reports UNION SELECT campaign FROM track_keys"
        " UNION SELECT campaign FROM petitions)"
        " SELECT c.campaign,"
        " (SELECT count(*) FROM ballots b WHERE b.campaign = c.campaign),"
        " (SELECT count(*) FROM register r WHERE r.campaign = c.campaign),"
        " (SELECT count(*) FROM reports p WHERE p.campaign = c.campaign),"
        " (SELECT count(*) FROM (SELECT pseudonym FROM register r WHERE r.campaign = c.campaign"
        "   GROUP BY pseudonym HAVING count(*) > 1)),"
        " (SELECT count(*) FROM petitions s WHERE s.campaign = c.campaign)"
        " FROM c ORDER BY c.campaign", row_campaign, camps);
    if (rc == 0)
        rc = each_row(s,
            "SELECT k.kiosk, k.campaign,"
            " (SELECT count(*) FROM ballots b WHERE b.campaign = k.campaign AND b.kiosk = k.kiosk),"
            " (SELECT count(*) FROM register r WHERE r.campaign = k.campaign AND r.kiosk = k.kiosk),"
            " k.last_upload,"
            " (SELECT count(*) FROM petitions s WHERE s.campaign = k.campaign AND s.kiosk = k.kiosk)"
            " FROM kiosks k ORDER BY k.kiosk, k.campaign", row_kiosk, kiosks);
    if (rc == 0)
        rc = each_row(s, "SELECT reason, count(*) FROM refusals GROUP BY reason ORDER BY reason",
                      row_refusal, ref);
    if (rc == 0) {
        *json = cJSON_Print(root);
        if (*json == NULL)
            rc = BN_ENOMEM;
    }
    cJSON_Delete(root);
    return rc;
}

int srv_store_totals(srv_store_t *s, int64_t *ballots, int64_t *registers, int64_t *refusals)
{
    int rc;

    if ((rc = count(s, "SELECT count(*) FROM ballots", NULL, NULL, ballots)) != 0 ||
        (rc = count(s, "SELECT count(*) FROM register", NULL, NULL, registers)) != 0)
        return rc;
    return count(s, "SELECT count(*) FROM refusals", NULL, NULL, refusals);
}
