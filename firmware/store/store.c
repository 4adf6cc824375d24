/* store.c - the kiosk's durable store over SQLite: schema, casting, box, outbox.
 *
 * Tables (schema version 4, migrations[] below):
 *
 *   campaign(id PK, package, secret)             signed package file, secret
 *   meta(key PK, value)                          poll state, settings
 *   register(b, cell)                            slot table (store_slot.c, v4):
 *                                                campaign, pseudonym, day, flags
 *   box(b, cell)                                 slot table (v4): ballot id,
 *                                                campaign, signed ballot
 *   signature(sig_id PK, campaign, record)       sealed petition signatures (v2)
 *   turnout(campaign, commune, n)                PK (campaign, commune): counts (v3)
 *   audit(seq PK, time, event, detail, hash)     store_audit.c
 *
 * The outbox is in memory (store_unsent.c, (STORE-S12)); until version 4
 * it was a table.
 *
 * Version 1 -> 2 (one transaction): creates `signature` and rebuilds
 * `outbox` so that its CHECK admits kind 3 (SQLite cannot alter a CHECK),
 * copying its rows.
 * Version 2 -> 3 (one transaction): creates `turnout`, empty. The communes
 * of the entries already in the register are not known (schema 2 did not
 * keep them), so no count is made up for them: the counts of a campaign
 * then sum to less than its register, and report_make() says the kiosk's
 * turnout per commune is not known (an empty list, report.h).
 * Version 3 -> 4 (one transaction, migrate_3_4): the register and the box
 * become slot tables, every row added to them; the outbox table is
 * dropped (the first read of the outbox finds everything unsent).
 *
 * Secrecy invariants (DESIGN.md, "Trust and secrecy", 1 and 2), each tested
 * by tests/unit/test_store.c and tests/fault/test_secrecy.c:
 *
 * (STORE-S1) The register and the box have no common key: a register entry
 *      lies in the bucket its pseudonym hashes to, a ballot in the bucket
 *      its random id hashes to. Apart from the campaign id, which is the
 *      same for every entry of a campaign, no value is written into both,
 *      and no statement here joins them.
 * (STORE-S2) No insertion order: no AUTOINCREMENT (so no sqlite_sequence);
 *      the register's and the box's rowids are bucket numbers, every one
 *      made with the table (store_slot.c, (STORE-S11)), so a cast adds,
 *      moves and removes no row; `signature` and `turnout` are WITHOUT
 *      ROWID tables keyed by random ids or communes; readers walk in
 *      bucket or key order.
 * (STORE-S3) The day, nothing finer: register.day is a day number (day.h) and no
 *      table of cast data has a time column; the ballot itself carries the
 *      day only (ballot.h).
 * (STORE-S4) Casting never writes the audit log: store_cast() touches the
 *      register, the box and the commune's counter, nothing else (the audit
 *      log has a time and a sequence number, which would order the casts).
 * (STORE-S5) The outbox (in memory, (STORE-S12)) is listed in (kind, ballot
 *      id or pseudonym) order, random to an observer, never in cast order.
 * (STORE-S6) secure_delete=ON: what is dropped (a slot table left behind when
 *      it grew) is overwritten with zeros instead of lingering in free
 *      pages; what a refused cast wrote is restored from the journal.
 *      Until schema 4 this was not enough: inside one b-tree page SQLite
 *      writes a new cell at the low end of the page's free gap, so the
 *      lower a cell the later its cast (1,000 casts: tau = -0.06 over the
 *      pairs of cells sharing a page; a copy after 15 casts linked 15
 *      voters of 15 to their ballots). Since schema 4 no cast adds a cell
 *      (STORE-S11); store_compact() (VACUUM) still runs at start-up and
 *      when the polls open and close, for the other tables.
 * (STORE-S7) No ballot spills into overflow pages: a box bucket is one
 *      ballot slot (1,215 bytes) and a register bucket 849 bytes, far under
 *      a table page's local limit (8,157 bytes); for `signature`, an index
 *      b-tree, SQLite stores the part of a
 *      row beyond ((page size - 12) * 64 / 255 - 23) bytes in overflow pages
 *      allocated at the end of the file, i.e. in cast order (measured: a
 *      1,180-byte ballot, 64 choices, with 4096-byte pages gave tau = +1.0
 *      between the cast order and the file offsets). Stores are created with
 *      8192-byte pages (at most 2,030 bytes in a page, more than
 *      BALLOT_MAX_LEN), and store_cast() refuses (BN_ETOOBIG) a row that
 *      would not fit in its page.
 * (STORE-S8) Petitions (DESIGN-S5: not secret to the authority, but
 *      personal data). What holds: the `signature` table is WITHOUT ROWID,
 *      keyed by the record's random id (no insertion order, as (STORE-S2)), read
 *      in that order; the day only (STORE-S3); store_sign() never audits (STORE-S4);
 *      the record fits in its page (S7: 555 bytes); the identity is never
 *      stored in clear, only sealed to the authority key inside the record
 *      (petition.c, (PET-P1)). What deliberately does NOT hold: (STORE-S1). A record
 *      carries the signer's pseudonym in clear, the same value as their
 *      register row, because the server must de-duplicate across kiosks and
 *      the tally must count persons; a signature is linkable to its
 *      register entry by design.
 * (STORE-S9) The turnout counters (schema 3, turnout per commune, issue 5) are
 *      counts only. `turnout` is keyed by (campaign, commune) and holds the
 *      number n of register entries of that campaign whose participant
 *      declared that commune; store_cast() adds 1 in the cast's own
 *      transaction (STORE-D2). It has no pseudonym, no ballot id, no day, no
 *      time and no sequence: no value of a row is a value of one register
 *      entry or of one ballot, so it gives no common key between register
 *      and box (STORE-S1), and a row is updated in place, never one row per cast,
 *      so it orders nothing (STORE-S2). Known limit, of the kind (STORE-S6) describes:
 *      the first cast of a commune inserts its row, and an update that
 *      changes the record's size (n from 1 to 2, 127 to 128, 32767 to
 *      32768: SQLite's integer sizes) rewrites the cell at the low end of
 *      the page's free gap, so the in-page placement of the counters can
 *      tell which commune last crossed such a step; it names a commune,
 *      never an entry or a ballot, and store_compact() rewrites the page
 *      in key order. (Two copies of the store taken before and after one
 *      cast show that cast's commune, as they show its ballot and its
 *      entry: a copy of the store is outside what this file can protect.) The register, the box, the
 *      ballot encoding and the outbox stay without any commune: this is the
 *      design that keeps DESIGN-S1 where a commune per register entry did
 *      not (the commune gives the territory, the ballot carries it, so an
 *      entry whose territory is alone at a kiosk on a day would be matched
 *      to its ballot). What the counters do give, and why that is accepted:
 *      how many people of each commune took part at this kiosk, the figure
 *      the results page publishes (above a threshold, tally/turnout.c (TURNOUT-T1)
 *      (TURNOUT-T2)); where a commune counts one participant and its territory one
 *      ballot at this kiosk, the holder of the box learns that that ballot
 *      came from that commune, never from which register entry or person.
 *      Petitions (store_sign) count nothing here: their commune stays sealed
 *      in the record (STORE-S8). Tested: test_secrecy (no commune in the register,
 *      the box, a ballot, the outbox or a bundle's register entry; the
 *      counter table's columns) and test_store.
 * (STORE-S13) Ideas (schema 6, issue 17; published once accepted, their
 *      proposer never): the `idea` table is WITHOUT ROWID, keyed by the
 *      record's random id, with the proposer's pseudonym (the package's
 *      limit of ideas per person; the record carries it too, as a petition
 *      record does, STORE-S8) and the number of parts; `idea_part` holds the
 *      record in parts of at most 1,800 bytes keyed by (id, part), so that
 *      no row spills into overflow pages allocated in the order of the
 *      proposals (STORE-S7); the day only, in the record (STORE-S3);
 *      store_propose() never audits (STORE-S4). The contact, when given, is
 *      only in the record, sealed (IDEA-I1).
 * (STORE-S14) A questionnaire's free texts (schema 7, issue 17; schema 8
 *      since the linking attack of test_secrecy) lie in the slot table
 *      `qtext_box` (store_slot.c): each part of a record (at most 1,180
 *      bytes, 4 parts) in the bucket its text's random id gives, so that
 *      their places in the file follow no order of casts (STORE-S11; in
 *      schema 7's WITHOUT ROWID tables a new cell went to its page's free
 *      gap: a thief who knew the order people came in linked 15 texts of 15
 *      to their writers). Nothing of the person and nothing of the answer
 *      set they came with: no pseudonym, no ballot id. Written in
 *      store_cast()'s transaction with the register entry and the answers
 *      (one person, once), never audited.
 *
 * Durability invariants:
 *
 * (STORE-D1) synchronous=FULL with journal_mode=TRUNCATE: the rollback journal is
 *      synced before the database file is written, the database file is
 *      synced before the journal is truncated (the commit point), and under
 *      FULL the truncation is synced too, so that a power cut can neither
 *      lose a committed cast nor leave a "hot" journal that would roll it
 *      back at the next open. (DELETE mode would need synchronous=EXTRA to
 *      sync the directory after the unlink; TRUNCATE keeps the journal file,
 *      so no directory sync is needed per commit.)
 * (STORE-D2) One transaction per cast: BEGIN IMMEDIATE takes the write lock before
 *      the first write (no lock upgrade can fail halfway), then the register
 *      entry, the ballot and the commune's counter, then COMMIT. store_cast()
 *      returns 0 only when COMMIT returned SQLITE_OK, i.e. after the fsyncs.
 *      store_sign() is the same transaction for a petition signature:
 *      register entry, record, COMMIT.
 * (STORE-D3) Any failure rolls the transaction back (ROLLBACK if SQLite has not
 *      already) and returns a BN_E code (store__rc): nothing of a refused cast
 *      is written. SQLITE_FULL -> BN_EFULL, SQLITE_CORRUPT/NOTADB ->
 *      BN_ECORRUPT, a duplicate register key -> BN_EALREADY, a duplicate
 *      ballot id -> BN_EEXISTS, an unknown campaign -> BN_ENOTFOUND, I/O
 *      errors -> BN_EIO, anything else -> BN_ESTORE.
 * (STORE-D6) A COMMIT that fails after SQLite's commit point (the journal
 *      truncated, then its fsync failing) has written the whole transaction
 *      but cannot promise it survives a power cut. The store does not call
 *      that "nothing written": after a failed COMMIT it looks for the item
 *      the transaction wrote (its random id) and, when it is there, returns
 *      BN_EDOUBT: no receipt, the kiosk goes out of service, and the person
 *      is in the register (a second try is refused) with a ballot that
 *      counts if the file survives. Never a half: all of the cast or none.
 * (STORE-D4) store_open() reads the pragmas back and refuses to run without them,
 *      refuses a schema newer than its own (BN_ESCHEMA) before writing
 *      anything, migrates one version per transaction (the schema change and
 *      the user_version bump commit together), and syncs the directory of a
 *      database file it has just created, so that the file's name survives
 *      a power cut as well as its content. The whole-file check (PRAGMA
 *      quick_check) costs more than 50 ms at 100,000 ballots and is left to
 *      store_check(). */
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <mbedtls/platform_util.h>
#include <sqlite3.h>

#include "bn_err.h"
#include "harden.h"
#include "petition.h"
#include "store_int.h"

#define BUSY_TIMEOUT_MS 5000
#define STORE_PAGE_SIZE 8192 /* (STORE-S7) */

/* migrations[v] takes a store from user_version v to v + 1. */
static const char *const migrations[3] = {
    /* 0 -> 1 */
    "CREATE TABLE campaign("
    "  id TEXT NOT NULL PRIMARY KEY,"
    "  package BLOB NOT NULL,"
    "  secret BLOB NOT NULL CHECK (length(secret) = 32)"
    ") WITHOUT ROWID;"
    "CREATE TABLE meta("
    "  key TEXT NOT NULL PRIMARY KEY,"
    "  value TEXT NOT NULL"
    ") WITHOUT ROWID;"
    /* (STORE-S1) (STORE-S2) (STORE-S3) keyed by the pseudonym, the day only */
    "CREATE TABLE register("
    "  campaign TEXT NOT NULL REFERENCES campaign(id),"
    "  pseudonym BLOB NOT NULL CHECK (length(pseudonym) = 32),"
    "  day INTEGER NOT NULL CHECK (day >= 0),"
    "  offline INTEGER NOT NULL CHECK (offline IN (0, 1)),"
    "  PRIMARY KEY (campaign, pseudonym)"
    ") WITHOUT ROWID;"
    /* (STORE-S1) (STORE-S2) keyed by the random ballot id */
    "CREATE TABLE box("
    "  ballot_id BLOB NOT NULL PRIMARY KEY CHECK (length(ballot_id) = 16),"
    "  campaign TEXT NOT NULL REFERENCES campaign(id),"
    "  ballot BLOB NOT NULL"
    ") WITHOUT ROWID;"
    /* (STORE-S5) keyed by kind and random id / pseudonym */
    "CREATE TABLE outbox("
    "  kind INTEGER NOT NULL CHECK (kind IN (1, 2)),"
    "  key BLOB NOT NULL,"
    "  campaign TEXT NOT NULL REFERENCES campaign(id),"
    "  PRIMARY KEY (kind, key)"
    ") WITHOUT ROWID;"
    /* (STORE-S4) never written by a cast: a sequence and a time are fine here */
    "CREATE TABLE audit("
    "  seq INTEGER PRIMARY KEY,"
    "  time INTEGER NOT NULL,"
    "  event TEXT NOT NULL,"
    "  detail TEXT NOT NULL,"
    "  hash BLOB NOT NULL CHECK (length(hash) = 32)"
    ");",
    /* 1 -> 2: petition signatures. (STORE-S8) keyed by the random signature id */
    "CREATE TABLE signature("
    "  sig_id BLOB NOT NULL PRIMARY KEY CHECK (length(sig_id) = 16),"
    "  campaign TEXT NOT NULL REFERENCES campaign(id),"
    "  record BLOB NOT NULL"
    ") WITHOUT ROWID;"
    /* (STORE-S5) the outbox admits kind 3 (signature id): rebuilt, rows copied */
    "CREATE TABLE outbox_v2("
    "  kind INTEGER NOT NULL CHECK (kind IN (1, 2, 3)),"
    "  key BLOB NOT NULL,"
    "  campaign TEXT NOT NULL REFERENCES campaign(id),"
    "  PRIMARY KEY (kind, key)"
    ") WITHOUT ROWID;"
    "INSERT INTO outbox_v2(kind, key, campaign) SELECT kind, key, campaign FROM outbox;"
    "DROP TABLE outbox;"
    "ALTER TABLE outbox_v2 RENAME TO outbox;",
    /* 2 -> 3: (STORE-S9) turnout counters, counts only, keyed by the commune */
    "CREATE TABLE turnout("
    "  campaign TEXT NOT NULL REFERENCES campaign(id),"
    "  commune TEXT NOT NULL CHECK (length(commune) = 5 AND commune NOT GLOB '*[^0-9AB]*'),"
    "  n INTEGER NOT NULL CHECK (n >= 1),"
    "  PRIMARY KEY (campaign, commune)"
    ") WITHOUT ROWID;",
};

/* 6 -> 7: a questionnaire's free texts (STORE-S14) */
static const char migration_6_7[] =
    "CREATE TABLE qtext("
    "  text_id BLOB NOT NULL PRIMARY KEY CHECK (length(text_id) = 16),"
    "  campaign TEXT NOT NULL REFERENCES campaign(id),"
    "  parts INTEGER NOT NULL CHECK (parts BETWEEN 1 AND 2)"
    ") WITHOUT ROWID;"
    "CREATE TABLE qtext_part("
    "  text_id BLOB NOT NULL REFERENCES qtext(text_id),"
    "  part INTEGER NOT NULL CHECK (part BETWEEN 0 AND 1),"
    "  bytes BLOB NOT NULL CHECK (length(bytes) BETWEEN 1 AND 1800),"
    "  PRIMARY KEY (text_id, part)"
    ") WITHOUT ROWID;";

/* 7 -> 8, inside the migration's transaction: (STORE-S14) the free texts
 * move to a slot table, whose layout does not depend on the order of the
 * casts (in the WITHOUT ROWID tables of schema 7, a text's cell went to
 * its page's free gap: the places of the texts gave the order in which
 * they were written); the old tables are dropped (their pages zeroed,
 * secure_delete). */
static int text_entry(uint8_t *e, const uint8_t id[16], const char *campaign, int part, int parts,
                      const uint8_t *bytes, size_t len);
static int parts_read(store_t *s, const char *sql, const uint8_t id[16], int parts, uint8_t **out,
                      size_t *len);

static int migrate_7_8(store_t *s)
{
    sqlite3_stmt *st = NULL;
    slot_tab_t qt;
    uint8_t e[QT_ENTRY_LEN];
    int rc;

    memset(&qt, 0, sizeof qt);
    if ((rc = slot_create(s->db, &store_qt_spec, "qtext_box", store_qt_spec.first_buckets)) != 0 ||
        (rc = slot_open(s->db, &store_qt_spec, "qtext_box", &qt)) != 0)
        goto out;
    if ((rc = sqlite3_prepare_v2(s->db, "SELECT text_id, campaign, parts FROM qtext", -1, &st,
                                 NULL)) != SQLITE_OK) {
        rc = store__rc(rc);
        goto out;
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *camp = (const char *)sqlite3_column_text(st, 1);
        uint8_t id[16], *rec = NULL;
        size_t len = 0, at;
        int k, parts;

        if (sqlite3_column_bytes(st, 0) != 16 || camp == NULL) {
            rc = BN_ECORRUPT;
            goto out;
        }
        memcpy(id, sqlite3_column_blob(st, 0), 16);
        /* schema 7's parts were of up to 1,800 bytes: read whole, cut again */
        if ((rc = parts_read(s, "SELECT part, bytes FROM qtext_part WHERE text_id = ?1 "
                                "ORDER BY part", id, sqlite3_column_int(st, 2), &rec, &len)) != 0)
            goto out;
        parts = (int)((len + QT_PART_LEN - 1) / QT_PART_LEN);
        for (k = 0; k < parts && rc == 0; k++) {
            at = (size_t)k * QT_PART_LEN;
            rc = text_entry(e, id, camp, k, parts, rec + at,
                            len - at < QT_PART_LEN ? len - at : QT_PART_LEN);
            if (rc == 0)
                rc = slot_add(s->db, &qt, e);
        }
        free(rec);
        if (rc != 0)
            goto out;
    }
    if ((rc = store__rc(rc)) != 0)
        goto out;
    sqlite3_finalize(st);
    st = NULL;
    rc = store__rc(sqlite3_exec(s->db, "DROP TABLE qtext_part; DROP TABLE qtext;", NULL, NULL,
                                NULL));
out:
    sqlite3_finalize(st);
    slot_close(&qt);
    return rc;
}

/* 5 -> 6: ideas (STORE-S13) */
static const char migration_5_6[] =
    "CREATE TABLE idea("
    "  idea_id BLOB NOT NULL PRIMARY KEY CHECK (length(idea_id) = 16),"
    "  campaign TEXT NOT NULL REFERENCES campaign(id),"
    "  pseudonym BLOB NOT NULL CHECK (length(pseudonym) = 32),"
    "  parts INTEGER NOT NULL CHECK (parts BETWEEN 1 AND 4)"
    ") WITHOUT ROWID;"
    "CREATE TABLE idea_part("
    "  idea_id BLOB NOT NULL REFERENCES idea(idea_id),"
    "  part INTEGER NOT NULL CHECK (part BETWEEN 0 AND 3),"
    "  bytes BLOB NOT NULL CHECK (length(bytes) BETWEEN 1 AND 1800),"
    "  PRIMARY KEY (idea_id, part)"
    ") WITHOUT ROWID;";

sqlite3 *store__db(store_t *s)
{
    return s->db;
}

/* (STORE-D3) A BN_E code for an SQLite result code (primary or extended). */
int store__rc(int rc)
{
    switch (rc & 0xFF) {
    case SQLITE_OK:
    case SQLITE_DONE:
    case SQLITE_ROW:
        return 0;
    case SQLITE_FULL:
        return BN_EFULL;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return BN_ECORRUPT;
    case SQLITE_NOMEM:
        return BN_ENOMEM;
    case SQLITE_IOERR:
        return rc == SQLITE_IOERR_NOMEM ? BN_ENOMEM : BN_EIO;
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
        return BN_EIO;
    case SQLITE_TOOBIG:
        return BN_ETOOBIG;
    default:
        return BN_ESTORE;
    }
}

/* Steps a statement that returns no row, then resets it. */
static int step_done(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);

    sqlite3_reset(st);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Rolls back if a transaction is still open (SQLite may already have). */
static void rollback(store_t *s)
{
    if (!sqlite3_get_autocommit(s->db)) {
        if (s->rollback != NULL)
            step_done(s->rollback);
        else
            sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    }
}

/* What a transaction wrote, for (STORE-D6): looked for after a failed COMMIT. */
enum { PROBE_BALLOT, PROBE_SIGNATURE, PROBE_IDEA, PROBE_CODE };

static int probe_present(store_t *s, int what, const char *campaign, const uint8_t *id)
{
    uint8_t *b = NULL;
    size_t len = 0;
    uint32_t day;
    int territory, used, rc;

    switch (what) {
    case PROBE_BALLOT: rc = store_get_ballot(s, id, &b, &len); break;
    case PROBE_SIGNATURE: rc = store_get_signature(s, id, &b, &len); break;
    case PROBE_IDEA: rc = store_get_idea(s, id, &b, &len); break;
    default: rc = store_code_get(s, campaign, id, &day, &territory, &used); break;
    }
    free(b);
    return rc == 0;
}

/* (STORE-D1) (STORE-D6) COMMIT; on failure the transaction is rolled back
 * if SQLite left it open, and BN_EDOUBT when what it wrote is there anyway. */
static int commit(store_t *s, int what, const char *campaign, const uint8_t *id)
{
    int rc = step_done(s->commit);

    if (rc == SQLITE_OK)
        return 0;
    rc = store__rc(rc);
    rollback(s);
    if (probe_present(s, what, campaign, id))
        return BN_EDOUBT;
    return rc;
}

/* Runs a pragma that answers one row and checks the answer (NULL: any). */
static int pragma(store_t *s, const char *sql, const char *want, const char *path,
                  char *why, size_t whylen)
{
    sqlite3_stmt *st = NULL;
    const char *got;
    int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);

    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        rc = bn_fail(why, whylen, store__rc(rc), "store %s: %s: %s", path, sql,
                     sqlite3_errmsg(s->db));
        goto out;
    }
    got = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
    if (want != NULL && (got == NULL || strcmp(got, want) != 0)) {
        rc = bn_fail(why, whylen, BN_ESTORE, "store %s: %s gave '%s', not '%s'", path, sql,
                     got != NULL ? got : "", want);
        goto out;
    }
    rc = 0;
out:
    sqlite3_finalize(st);
    return rc;
}

static int user_version(store_t *s, int *v)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL);

    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        *v = sqlite3_column_int(st, 0);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return rc;
}

static int count(store_t *s, const char *sql, const char *campaign, int64_t *n);
static int reg_entry(uint8_t e[REG_ENTRY_LEN], const char *campaign,
                     const uint8_t pseudonym[PSEUD_LEN], uint32_t day, int flags);
static int box_entry(uint8_t *e, const uint8_t id[16], const char *campaign,
                     const uint8_t *ballot, size_t len);

/* The number of buckets a slot table starts with to hold n entries at most
 * half full. */
static int64_t buckets_for(const slot_spec_t *sp, int64_t n)
{
    int64_t nb = sp->first_buckets;

    while (2 * n > nb * sp->per_bucket)
        nb *= 2;
    return nb;
}

/* 3 -> 4, inside the migration's transaction: (STORE-S11) the register and
 * the box become slot tables, every row added to them; (STORE-S12) the
 * outbox table goes (the first read of the outbox finds everything unsent:
 * it is all sent again, and the server skips what it holds). */
static int migrate_3_4(store_t *s)
{
    static const char *const rsql =
        "SELECT r.campaign, r.pseudonym, r.day, r.offline, "
        "EXISTS (SELECT 1 FROM signature g WHERE g.campaign = r.campaign) FROM register r";
    static const char *const bsql = "SELECT ballot_id, campaign, ballot FROM box";
    sqlite3_stmt *st = NULL;
    slot_tab_t reg, box;
    uint8_t e[BOX_ENTRY_LEN];
    int64_t nreg = 0, nbox = 0;
    int rc;

    memset(&reg, 0, sizeof reg);
    memset(&box, 0, sizeof box);
    if ((rc = count(s, "SELECT count(*) FROM register", NULL, &nreg)) != 0 ||
        (rc = count(s, "SELECT count(*) FROM box", NULL, &nbox)) != 0 ||
        (rc = slot_create(s->db, &store_reg_spec, "register_v4",
                          buckets_for(&store_reg_spec, nreg))) != 0 ||
        (rc = slot_create(s->db, &store_box_spec, "box_v4",
                          buckets_for(&store_box_spec, nbox))) != 0 ||
        (rc = slot_open(s->db, &store_reg_spec, "register_v4", &reg)) != 0 ||
        (rc = slot_open(s->db, &store_box_spec, "box_v4", &box)) != 0)
        goto out;
    if ((rc = store__rc(sqlite3_prepare_v2(s->db, rsql, -1, &st, NULL))) != 0)
        goto out;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        sqlite3_int64 day = sqlite3_column_int64(st, 2);

        if (sqlite3_column_bytes(st, 1) != PSEUD_LEN || day < 0 || day > UINT32_MAX ||
            reg_entry(e, (const char *)sqlite3_column_text(st, 0), sqlite3_column_blob(st, 1),
                      (uint32_t)day, (sqlite3_column_int(st, 3) ? REG_FLAG_OFFLINE : 0) |
                      (sqlite3_column_int(st, 4) ? REG_FLAG_PETITION : 0)) != 0) {
            rc = BN_ECORRUPT;
            goto out;
        }
        if ((rc = slot_add(s->db, &reg, e)) != 0)
            goto out;
    }
    if ((rc = store__rc(rc)) != 0)
        goto out;
    sqlite3_finalize(st);
    if ((rc = store__rc(sqlite3_prepare_v2(s->db, bsql, -1, &st, NULL))) != 0)
        goto out;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (sqlite3_column_bytes(st, 0) != 16 || sqlite3_column_blob(st, 2) == NULL ||
            box_entry(e, sqlite3_column_blob(st, 0), (const char *)sqlite3_column_text(st, 1),
                      sqlite3_column_blob(st, 2), (size_t)sqlite3_column_bytes(st, 2)) != 0) {
            rc = BN_ECORRUPT;
            goto out;
        }
        if ((rc = slot_add(s->db, &box, e)) != 0)
            goto out;
    }
    if ((rc = store__rc(rc)) != 0)
        goto out;
    sqlite3_finalize(st);
    st = NULL;
    slot_close(&reg);
    slot_close(&box);
    rc = store__rc(sqlite3_exec(s->db, "DROP TABLE outbox; DROP TABLE box; DROP TABLE register;"
                                       "ALTER TABLE box_v4 RENAME TO box;"
                                       "ALTER TABLE register_v4 RENAME TO register;",
                                NULL, NULL, NULL));
out:
    sqlite3_finalize(st);
    slot_close(&reg);
    slot_close(&box);
    mbedtls_platform_zeroize(e, sizeof e); /* (CAST-C4) a ballot's choices */
    return rc;
}

/* (STORE-D4) Brings the schema to STORE_SCHEMA_VERSION, one transaction a step. */
static int migrate(store_t *s, const char *path, char *why, size_t whylen)
{
    char sql[64];
    int v = 0, rc;

    rc = user_version(s, &v);
    if (rc != SQLITE_OK)
        goto fail;
    if (v > STORE_SCHEMA_VERSION || v < 0)
        return bn_fail(why, whylen, BN_ESCHEMA,
                       "store %s: schema version %d is newer than this firmware's (%d)", path,
                       v, STORE_SCHEMA_VERSION);
    if (v == 0) {
        sqlite3_stmt *st = NULL;
        int tables = -1;

        /* a version-0 file must be empty: not someone else's database */
        rc = sqlite3_prepare_v2(s->db, "SELECT count(*) FROM sqlite_master", -1, &st, NULL);
        if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
            tables = sqlite3_column_int(st, 0);
            rc = SQLITE_OK;
        }
        sqlite3_finalize(st);
        if (rc != SQLITE_OK)
            goto fail;
        if (tables != 0)
            return bn_fail(why, whylen, BN_ECORRUPT,
                           "store %s: a database, but not a store (user_version 0, %d objects)",
                           path, tables);
        /* (STORE-S7) takes effect with the first table, in the transaction below */
        snprintf(sql, sizeof sql, "PRAGMA page_size = %d", STORE_PAGE_SIZE);
        if ((rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL)) != SQLITE_OK)
            goto fail;
    }
    while (v < STORE_SCHEMA_VERSION) {
        if ((rc = sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL)) != SQLITE_OK)
            goto fail;
        if ((rc = user_version(s, &v)) != SQLITE_OK) /* another opener may have won */
            goto fail;
        if (v >= STORE_SCHEMA_VERSION) {
            rc = sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
            if (rc != SQLITE_OK)
                goto fail;
            break;
        }
        snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v + 1);
        if (v == 3) {
            int e = migrate_3_4(s);

            if (e != 0) {
                rollback(s);
                return bn_fail(why, whylen, e, "store %s: schema migration 3 -> 4: %s (%s)",
                               path, bn_strerror(e), sqlite3_errmsg(s->db));
            }
        }
        if (v == 7) {
            int e = migrate_7_8(s);

            if (e != 0) {
                rollback(s);
                return bn_fail(why, whylen, e, "store %s: schema migration 7 -> 8: %s (%s)",
                               path, bn_strerror(e), sqlite3_errmsg(s->db));
            }
        }
        if (v == 4) { /* 4 -> 5: voting codes (CAST-C8) */
            int e = slot_create(s->db, &store_vci_spec, "vcode_issued",
                                store_vci_spec.first_buckets);
            if (e == 0)
                e = slot_create(s->db, &store_vcu_spec, "vcode_used", store_vcu_spec.first_buckets);
            if (e != 0) {
                rollback(s);
                return bn_fail(why, whylen, e, "store %s: schema migration 4 -> 5: %s (%s)",
                               path, bn_strerror(e), sqlite3_errmsg(s->db));
            }
        }
        if ((v < 3 && (rc = sqlite3_exec(s->db, migrations[v], NULL, NULL, NULL)) != SQLITE_OK) ||
            (v == 5 && (rc = sqlite3_exec(s->db, migration_5_6, NULL, NULL, NULL)) != SQLITE_OK) ||
            (v == 6 && (rc = sqlite3_exec(s->db, migration_6_7, NULL, NULL, NULL)) != SQLITE_OK) ||
            (rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL)) != SQLITE_OK ||
            (rc = sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL)) != SQLITE_OK)
            goto fail;
        v++;
    }
    return 0;
fail:
    rc = bn_fail(why, whylen, store__rc(rc), "store %s: schema migration: %s", path,
                 sqlite3_errmsg(s->db));
    rollback(s);
    return rc;
}

/* (STORE-D4) PRAGMA quick_check: measured here (warm cache) about 10 ms for 10,000
 * ballots and 70-80 ms for 100,000 (43 MB), above the 50 ms allowed at
 * open, so store_open() does not run it. */
int store_check(store_t *s, char *why, size_t whylen)
{
    sqlite3_stmt *st = NULL;
    const char *got;
    int rc;

    if (s == NULL)
        return BN_EINVAL;
    rc = sqlite3_prepare_v2(s->db, "PRAGMA quick_check(1)", -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        rc = bn_fail(why, whylen, store__rc(rc) == BN_ESTORE ? BN_ECORRUPT : store__rc(rc),
                     "store: quick_check: %s", sqlite3_errmsg(s->db));
        goto out;
    }
    got = (const char *)sqlite3_column_text(st, 0);
    if (got == NULL || strcmp(got, "ok") != 0) {
        rc = bn_fail(why, whylen, BN_ECORRUPT, "store: quick_check: %s",
                     got != NULL ? got : "no answer");
        goto out;
    }
    rc = 0;
out:
    sqlite3_finalize(st);
    return rc;
}

/* (STORE-S6) VACUUM copies the tables into a fresh file in b-tree (key) order
 * and writes it back through the journal: one transaction. */
int store_compact(store_t *s, char *why, size_t whylen)
{
    int rc;

    if (s == NULL)
        return BN_EINVAL;
    rc = sqlite3_exec(s->db, "VACUUM", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return bn_fail(why, whylen, store__rc(rc), "store: compacting: %s", sqlite3_errmsg(s->db));
    return 0;
}

/* (STORE-D4) Syncs the directory holding path, after the file was created. */
static int sync_dir(const char *path)
{
    char *dir = strdup(path), *slash;
    int fd, rc = 0;

    if (dir == NULL)
        return BN_ENOMEM;
    slash = strrchr(dir, '/');
    if (slash == NULL)
        strcpy(dir, ".");
    else if (slash == dir)
        slash[1] = '\0';
    else
        *slash = '\0';
    fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 || fsync(fd) != 0)
        rc = BN_EIO;
    if (fd >= 0)
        close(fd);
    free(dir);
    return rc;
}

static int prepare(store_t *s, const char *sql, sqlite3_stmt **st)
{
    return sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL);
}

int store_open(const char *path, store_t **out, char *why, size_t whylen)
{
    store_t *s = NULL;
    struct stat sb;
    int rc, created;

    if (out != NULL)
        *out = NULL;
    if (path == NULL || *path == '\0' || out == NULL)
        return bn_fail(why, whylen, BN_EINVAL, "store: no path");
    created = stat(path, &sb) != 0 && errno == ENOENT;
    /* (STORE-S10) the register, the box and the campaign secrets are for
     * this kiosk's process alone: the file (and the journal, which SQLite
     * creates with the file's mode) is 0600, made so before SQLite opens
     * it, and an older, wider one is narrowed */
    if (created) {
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

        if (fd < 0 && errno != EEXIST)
            return bn_fail(why, whylen, BN_EIO, "store %s: cannot create: %s", path,
                           strerror(errno));
        if (fd >= 0)
            close(fd);
    } else {
        char journal[PATH_MAX];

        /* (STORE-D5) An existing empty file is a store cut short (a disk
         * fault, a copy gone wrong, a crash while it was first made), not a
         * new one: SQLite would take it for an empty database, and the
         * kiosk would start again with no ballot and no register -- where
         * the same people could vote a second time. Refused, with what to do. */
        if (S_ISREG(sb.st_mode) && sb.st_size == 0)
            return bn_fail(why, whylen, BN_ECORRUPT,
                           "store %s is empty (0 bytes): it was cut short; if this kiosk has "
                           "taken no vote, remove it and provision the kiosk again, otherwise "
                           "restore it from its copy", path);
        snprintf(journal, sizeof journal, "%s-journal", path);
        if ((rc = harden_file(path, why, whylen)) != 0 ||
            (rc = harden_file(journal, why, whylen)) != 0)
            return rc;
    }
    s = calloc(1, sizeof *s);
    if (s == NULL)
        return bn_fail(why, whylen, BN_ENOMEM, "store %s: out of memory", path);
    rc = sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (s->db == NULL) {
        rc = bn_fail(why, whylen, BN_ENOMEM, "store %s: out of memory", path);
        goto fail;
    }
    if (rc != SQLITE_OK) {
        rc = bn_fail(why, whylen, store__rc(rc), "store %s: cannot open: %s", path,
                     sqlite3_errmsg(s->db));
        goto fail;
    }
    sqlite3_extended_result_codes(s->db, 1);
    sqlite3_busy_timeout(s->db, BUSY_TIMEOUT_MS);

    /* The first read of the file: a file that is not a database stops here. */
    rc = pragma(s, "PRAGMA schema_version", NULL, path, why, whylen);
    if (rc == BN_ECORRUPT) {
        rc = bn_fail(why, whylen, BN_ECORRUPT, "store %s: not a database (or corrupt): %s",
                     path, sqlite3_errmsg(s->db));
        goto fail;
    }
    /* (STORE-D1) (STORE-S6) read back: a pragma SQLite does not know answers nothing */
    if (rc != 0 ||
        (rc = pragma(s, "PRAGMA journal_mode = TRUNCATE", "truncate", path, why, whylen)) != 0 ||
        (rc = pragma(s, "PRAGMA synchronous = FULL", NULL, path, why, whylen)) != 0 ||
        (rc = pragma(s, "PRAGMA synchronous", "2", path, why, whylen)) != 0 ||
        (rc = pragma(s, "PRAGMA foreign_keys = ON", NULL, path, why, whylen)) != 0 ||
        (rc = pragma(s, "PRAGMA foreign_keys", "1", path, why, whylen)) != 0 ||
        (rc = pragma(s, "PRAGMA secure_delete = ON", "1", path, why, whylen)) != 0 ||
        (rc = pragma(s, "PRAGMA trusted_schema = OFF", NULL, path, why, whylen)) != 0 ||
        (rc = pragma(s, "PRAGMA cell_size_check = ON", NULL, path, why, whylen)) != 0)
        goto fail;

    if ((rc = migrate(s, path, why, whylen)) != 0)
        goto fail;
    {
        sqlite3_stmt *st = NULL;
        int page = 0;

        /* (STORE-S7) the largest payload an index b-tree page keeps locally */
        if (sqlite3_prepare_v2(s->db, "PRAGMA page_size", -1, &st, NULL) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
            page = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
        if (page < 512) {
            rc = bn_fail(why, whylen, BN_ECORRUPT, "store %s: page size %d", path, page);
            goto fail;
        }
        s->max_local = (page - 12) * 64 / 255 - 23;
    }
    if (created && (rc = sync_dir(path)) != 0) {
        rc = bn_fail(why, whylen, rc, "store %s: cannot sync its directory", path);
        goto fail;
    }

    if ((rc = prepare(s, "BEGIN IMMEDIATE", &s->begin)) != SQLITE_OK ||
        (rc = prepare(s, "COMMIT", &s->commit)) != SQLITE_OK ||
        (rc = prepare(s, "ROLLBACK", &s->rollback)) != SQLITE_OK ||
        (rc = prepare(s, "SELECT 1 FROM campaign WHERE id = ?1", &s->campaign_known)) !=
            SQLITE_OK ||
        (rc = prepare(s, "INSERT INTO signature(sig_id, campaign, record) VALUES (?1, ?2, ?3)",
                      &s->sig_insert)) != SQLITE_OK ||
        (rc = prepare(s, "INSERT INTO turnout(campaign, commune, n) VALUES (?1, ?2, 1) "
                         "ON CONFLICT(campaign, commune) DO UPDATE SET n = n + 1",
                      &s->turnout_add)) != SQLITE_OK ||
        (rc = slot_open(s->db, &store_box_spec, "box", &s->box)) != 0 ||
        (rc = slot_open(s->db, &store_reg_spec, "register", &s->reg)) != 0 ||
        (rc = slot_open(s->db, &store_vci_spec, "vcode_issued", &s->vci)) != 0 ||
        (rc = slot_open(s->db, &store_vcu_spec, "vcode_used", &s->vcu)) != 0 ||
        (rc = slot_open(s->db, &store_qt_spec, "qtext_box", &s->qt)) != 0) {
        rc = bn_fail(why, whylen, rc < 0 ? BN_ECORRUPT :
                     store__rc(rc) == BN_ESTORE ? BN_ECORRUPT : store__rc(rc),
                     "store %s: schema does not match: %s", path, sqlite3_errmsg(s->db));
        goto fail;
    }
    *out = s;
    return 0;
fail:
    store_close(s);
    return rc;
}

void store_close(store_t *s)
{
    if (s == NULL)
        return;
    sqlite3_finalize(s->begin);
    sqlite3_finalize(s->commit);
    sqlite3_finalize(s->rollback);
    sqlite3_finalize(s->campaign_known);
    sqlite3_finalize(s->sig_insert);
    sqlite3_finalize(s->turnout_add);
    slot_close(&s->box);
    slot_close(&s->reg);
    slot_close(&s->vci);
    slot_close(&s->vcu);
    slot_close(&s->qt);
    unsent_free(s->unsent);
    sqlite3_close(s->db);
    free(s);
}

/* --- campaigns and meta ------------------------------------------------- */

int store_put_campaign(store_t *s, const char *campaign, const uint8_t *package, size_t len,
                       const uint8_t secret[32])
{
    sqlite3_stmt *st = NULL;
    int rc;

    if (s == NULL || campaign == NULL || *campaign == '\0' || (package == NULL && len > 0) ||
        len > INT_MAX || secret == NULL)
        return BN_EINVAL;
    rc = sqlite3_prepare_v2(s->db,
                            "INSERT INTO campaign(id, package, secret) VALUES (?1, ?2, ?3) "
                            "ON CONFLICT(id) DO UPDATE SET package = excluded.package, "
                            "secret = excluded.secret", -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, campaign, -1, SQLITE_STATIC);
        sqlite3_bind_blob(st, 2, len > 0 ? (const void *)package : "", (int)len, SQLITE_STATIC);
        sqlite3_bind_blob(st, 3, secret, 32, SQLITE_STATIC);
        rc = step_done(st);
    }
    sqlite3_finalize(st);
    return store__rc(rc);
}

int store_get_campaign(store_t *s, const char *campaign, uint8_t **package, size_t *len,
                       uint8_t secret[32])
{
    sqlite3_stmt *st = NULL;
    const void *p;
    int rc, n;

    if (s == NULL || campaign == NULL || package == NULL || len == NULL || secret == NULL)
        return BN_EINVAL;
    *package = NULL;
    *len = 0;
    rc = sqlite3_prepare_v2(s->db, "SELECT package, secret FROM campaign WHERE id = ?1", -1,
                            &st, NULL);
    if (rc != SQLITE_OK)
        goto out;
    sqlite3_bind_text(st, 1, campaign, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        sqlite3_finalize(st);
        return BN_ENOTFOUND;
    }
    if (rc != SQLITE_ROW)
        goto out;
    if (sqlite3_column_bytes(st, 1) != 32) {
        rc = SQLITE_CORRUPT;
        goto out;
    }
    memcpy(secret, sqlite3_column_blob(st, 1), 32);
    p = sqlite3_column_blob(st, 0);
    n = sqlite3_column_bytes(st, 0);
    *package = malloc(n > 0 ? (size_t)n : 1);
    if (*package == NULL) {
        rc = SQLITE_NOMEM;
        goto out;
    }
    if (n > 0)
        memcpy(*package, p, (size_t)n);
    *len = (size_t)n;
    rc = SQLITE_OK;
out:
    sqlite3_finalize(st);
    return store__rc(rc);
}

int store_meta_set(store_t *s, const char *key, const char *value)
{
    sqlite3_stmt *st = NULL;
    int rc;

    if (s == NULL || key == NULL || *key == '\0' || value == NULL)
        return BN_EINVAL;
    rc = sqlite3_prepare_v2(s->db,
                            "INSERT INTO meta(key, value) VALUES (?1, ?2) "
                            "ON CONFLICT(key) DO UPDATE SET value = excluded.value", -1, &st,
                            NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
        rc = step_done(st);
    }
    sqlite3_finalize(st);
    return store__rc(rc);
}

int store_meta_get(store_t *s, const char *key, char *out, size_t cap)
{
    sqlite3_stmt *st = NULL;
    int rc, n;

    if (s == NULL || key == NULL || out == NULL || cap == 0)
        return BN_EINVAL;
    out[0] = '\0';
    rc = sqlite3_prepare_v2(s->db, "SELECT value FROM meta WHERE key = ?1", -1, &st, NULL);
    if (rc != SQLITE_OK) {
        rc = store__rc(rc);
        goto out;
    }
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        rc = BN_ENOTFOUND;
    } else if (rc != SQLITE_ROW) {
        rc = store__rc(rc);
    } else {
        const unsigned char *v = sqlite3_column_text(st, 0);

        n = sqlite3_column_bytes(st, 0);
        if (v == NULL && n > 0) {
            rc = BN_ENOMEM;
        } else if ((size_t)n + 1 > cap) {
            rc = BN_ETOOBIG;
        } else {
            if (n > 0)
                memcpy(out, v, (size_t)n);
            out[n] = '\0';
            rc = 0;
        }
    }
out:
    sqlite3_finalize(st);
    return rc;
}

/* --- casting ------------------------------------------------------------ */

/* The BN_E code of a failed insert: `dup` for a primary key already there. */
static int insert_rc(int rc, int dup)
{
    if (rc == SQLITE_CONSTRAINT_PRIMARYKEY || rc == SQLITE_CONSTRAINT_UNIQUE)
        return dup;
    if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
        return BN_ENOTFOUND; /* campaign not recorded (store_put_campaign) */
    if ((rc & 0xFF) == SQLITE_CONSTRAINT)
        return BN_EINVAL; /* CHECK, NOT NULL: a malformed value */
    return store__rc(rc);
}

int store_commune_valid(const char *commune)
{
    int i;

    if (commune == NULL)
        return 0;
    for (i = 0; i < STORE_COMMUNE_LEN; i++)
        if (!((commune[i] >= '0' && commune[i] <= '9') || commune[i] == 'A' ||
              commune[i] == 'B'))
            return 0;
    return commune[STORE_COMMUNE_LEN] == '\0';
}

int store__campaign_field(const char *campaign, uint8_t out[PKG_ID_MAX])
{
    size_t n = campaign != NULL ? strlen(campaign) : 0;

    if (n == 0 || n > PKG_ID_MAX)
        return BN_EINVAL;
    memset(out, 0, PKG_ID_MAX);
    memcpy(out, campaign, n);
    return 0;
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* A register entry (store_int.h), 0 or BN_EINVAL. */
static int reg_entry(uint8_t e[REG_ENTRY_LEN], const char *campaign,
                     const uint8_t pseudonym[PSEUD_LEN], uint32_t day, int flags)
{
    memset(e, 0, REG_ENTRY_LEN);
    if (store__campaign_field(campaign, e + REG_OFF_CAMPAIGN) != 0)
        return BN_EINVAL;
    memcpy(e + REG_OFF_PSEUDONYM, pseudonym, PSEUD_LEN);
    put32(e + REG_OFF_DAY, day);
    e[REG_OFF_FLAGS] = (uint8_t)flags;
    return 0;
}

/* A box entry (store_int.h), 0 or BN_EINVAL / BN_ETOOBIG. */
static int box_entry(uint8_t *e, const uint8_t id[16], const char *campaign,
                     const uint8_t *ballot, size_t len)
{
    memset(e, 0, BOX_ENTRY_LEN);
    if (len > BALLOT_MAX_LEN)
        return BN_ETOOBIG;
    if (store__campaign_field(campaign, e + BOX_OFF_CAMPAIGN) != 0)
        return BN_EINVAL;
    memcpy(e + BOX_OFF_ID, id, 16);
    e[BOX_OFF_LEN] = (uint8_t)(len >> 8);
    e[BOX_OFF_LEN + 1] = (uint8_t)len;
    memcpy(e + BOX_OFF_BALLOT, ballot, len);
    return 0;
}

/* 1 if the entry is the campaign's (NULL: any). */
static int entry_of(const uint8_t *field, const char *campaign)
{
    uint8_t want[PKG_ID_MAX];

    if (campaign == NULL)
        return 1;
    return store__campaign_field(campaign, want) == 0 && memcmp(field, want, PKG_ID_MAX) == 0;
}

/* BN_ENOTFOUND for a campaign not recorded (store_put_campaign). */
static int campaign_known(store_t *s, const char *campaign)
{
    int rc;

    sqlite3_bind_text(s->campaign_known, 1, campaign, -1, SQLITE_STATIC);
    rc = sqlite3_step(s->campaign_known);
    sqlite3_reset(s->campaign_known);
    sqlite3_clear_bindings(s->campaign_known);
    return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? BN_ENOTFOUND : store__rc(rc);
}

/* The one register insert, for a vote and a signature, inside the caller's
 * transaction. (STORE-S1) (STORE-S3) the register gets the pseudonym and the
 * day, nothing of the ballot or the record; (STORE-S11) in the bucket its
 * pseudonym gives. BN_EALREADY for a person already registered. */
static int register_insert(store_t *s, const char *campaign, const uint8_t pseudonym[PSEUD_LEN],
                           uint32_t day, int flags)
{
    uint8_t e[REG_ENTRY_LEN];
    int rc;

    if ((rc = reg_entry(e, campaign, pseudonym, day, flags)) != 0 ||
        (rc = campaign_known(s, campaign)) != 0)
        return rc;
    return slot_add(s->db, &s->reg, e);
}

static int texts_insert(store_t *s, const store_cast_t *c);

int store_cast(store_t *s, const store_cast_t *c)
{
    uint8_t entry[BOX_ENTRY_LEN];
    int rc;

    if (s == NULL || c == NULL || c->campaign == NULL || *c->campaign == '\0' ||
        strlen(c->campaign) > PKG_ID_MAX || c->ballot_id == NULL || c->ballot == NULL ||
        c->ballot_len == 0 || c->ballot_len > INT_MAX || !store_commune_valid(c->commune))
        return BN_EINVAL;
    /* (STORE-S7) (STORE-S11) a ballot fills at most one fixed-size slot */
    if ((rc = box_entry(entry, c->ballot_id, c->campaign, c->ballot, c->ballot_len)) != 0)
        return rc;

    /* (STORE-D2) the write lock first, then every write, then COMMIT */
    rc = step_done(s->begin);
    if (rc != SQLITE_OK) {
        rc = store__rc(rc);
        goto out;
    }
    if ((rc = register_insert(s, c->campaign, c->pseudonym, c->day,
                              c->offline ? REG_FLAG_OFFLINE : 0)) != 0)
        goto out;
    /* (STORE-S1) (STORE-S11) the box gets the ballot in the slot its random
     * id gives, nothing of the voter */
    if ((rc = slot_add(s->db, &s->box, entry)) != 0) {
        rc = rc == BN_EALREADY ? BN_EEXISTS : rc;
        goto out;
    }
    /* (STORE-S14) a questionnaire's free texts, each under its own random id */
    if ((rc = texts_insert(s, c)) != 0)
        goto out;
    /* (STORE-S9) (STORE-D2) the commune's counter, in the same transaction: a count,
     * nothing of the entry or of the ballot */
    sqlite3_bind_text(s->turnout_add, 1, c->campaign, -1, SQLITE_STATIC);
    sqlite3_bind_text(s->turnout_add, 2, c->commune, STORE_COMMUNE_LEN, SQLITE_STATIC);
    rc = step_done(s->turnout_add);
    if (rc != SQLITE_OK) {
        rc = insert_rc(rc, BN_EINVAL);
        goto out;
    }
    /* (STORE-S4) no audit entry; (STORE-S12) no outbox row. (STORE-D1) COMMIT
     * returns after the journal, the database and the journal's truncation
     * are synced. */
    rc = commit(s, PROBE_BALLOT, c->campaign, c->ballot_id);
out:
    if (rc != 0)
        rollback(s); /* (STORE-D3) */
    sqlite3_clear_bindings(s->turnout_add);
    mbedtls_platform_zeroize(entry, sizeof entry); /* (CAST-C4) */
    return rc;
}

/* --- voting codes (CAST-C8) -------------------------------------------------- */

static int vc_entry(uint8_t *e, size_t len, const char *campaign, const uint8_t h[32])
{
    memset(e, 0, len);
    if (store__campaign_field(campaign, e + VC_OFF_CAMPAIGN) != 0)
        return BN_EINVAL;
    memcpy(e + VC_OFF_HASH, h, 32);
    return 0;
}

int store_issue_code(store_t *s, const char *campaign, const uint8_t pseudonym[PSEUD_LEN],
                     uint32_t day, int offline, const char *commune, const uint8_t code_hash[32],
                     int territory)
{
    uint8_t e[VC_ISSUED_LEN];
    int rc;

    if (s == NULL || campaign == NULL || pseudonym == NULL || code_hash == NULL ||
        !store_commune_valid(commune) || territory < 0 || territory > 0xffff || day == 0 ||
        vc_entry(e, sizeof e, campaign, code_hash) != 0)
        return BN_EINVAL;
    put32(e + VC_OFF_DAY, day);
    e[VC_OFF_TERRITORY] = (uint8_t)(territory >> 8);
    e[VC_OFF_TERRITORY + 1] = (uint8_t)territory;
    rc = step_done(s->begin);
    if (rc != SQLITE_OK) {
        rc = store__rc(rc);
        goto out;
    }
    if ((rc = register_insert(s, campaign, pseudonym, day, offline ? REG_FLAG_OFFLINE : 0)) != 0)
        goto out;
    if ((rc = slot_add(s->db, &s->vci, e)) != 0) {
        rc = rc == BN_EALREADY ? BN_EEXISTS : rc;
        goto out;
    }
    sqlite3_bind_text(s->turnout_add, 1, campaign, -1, SQLITE_STATIC);
    sqlite3_bind_text(s->turnout_add, 2, commune, STORE_COMMUNE_LEN, SQLITE_STATIC);
    rc = step_done(s->turnout_add);
    if (rc != SQLITE_OK) {
        rc = insert_rc(rc, BN_EINVAL);
        goto out;
    }
    rc = commit(s, PROBE_CODE, campaign, code_hash);
out:
    if (rc != 0)
        rollback(s);
    sqlite3_clear_bindings(s->turnout_add);
    return rc;
}

int store_code_get(store_t *s, const char *campaign, const uint8_t code_hash[32], uint32_t *day,
                   int *territory, int *used)
{
    uint8_t key[VC_ISSUED_LEN], got[VC_ISSUED_LEN], ukey[VC_USED_LEN];
    int rc;

    if (s == NULL || campaign == NULL || code_hash == NULL ||
        vc_entry(key, sizeof key, campaign, code_hash) != 0 ||
        vc_entry(ukey, sizeof ukey, campaign, code_hash) != 0)
        return BN_EINVAL;
    if ((rc = slot_find(&s->vci, key, got)) < 0)
        return rc;
    if (rc == 0)
        return BN_ENOTFOUND;
    *day = get32(got + VC_OFF_DAY);
    *territory = got[VC_OFF_TERRITORY] << 8 | got[VC_OFF_TERRITORY + 1];
    if ((rc = slot_find(&s->vcu, ukey, NULL)) < 0)
        return rc;
    *used = rc;
    return 0;
}

int store_cast_code(store_t *s, const store_cast_t *c, const uint8_t code_hash[32])
{
    uint8_t entry[BOX_ENTRY_LEN], u[VC_USED_LEN];
    int rc;

    if (s == NULL || c == NULL || c->campaign == NULL || code_hash == NULL ||
        c->ballot_id == NULL || c->ballot == NULL || c->ballot_len == 0 ||
        vc_entry(u, sizeof u, c->campaign, code_hash) != 0)
        return BN_EINVAL;
    if ((rc = box_entry(entry, c->ballot_id, c->campaign, c->ballot, c->ballot_len)) != 0)
        return rc;
    rc = step_done(s->begin);
    if (rc != SQLITE_OK) {
        rc = store__rc(rc);
        goto out;
    }
    /* the code first: used once (BN_EALREADY), then the ballot */
    if ((rc = slot_add(s->db, &s->vcu, u)) != 0)
        goto out;
    if ((rc = slot_add(s->db, &s->box, entry)) != 0) {
        rc = rc == BN_EALREADY ? BN_EEXISTS : rc;
        goto out;
    }
    rc = commit(s, PROBE_BALLOT, c->campaign, c->ballot_id);
out:
    if (rc != 0)
        rollback(s);
    mbedtls_platform_zeroize(entry, sizeof entry);
    return rc;
}

int store_has_voted(store_t *s, const char *campaign, const uint8_t pseudonym[PSEUD_LEN])
{
    uint8_t e[REG_ENTRY_LEN];

    if (s == NULL || campaign == NULL || pseudonym == NULL)
        return BN_EINVAL;
    if (reg_entry(e, campaign, pseudonym, 0, 0) != 0)
        return 0; /* no such campaign id can be in the register */
    return slot_find(&s->reg, e, NULL);
}

static int count(store_t *s, const char *sql, const char *campaign, int64_t *n)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);

    if (rc == SQLITE_OK) {
        if (campaign != NULL)
            sqlite3_bind_text(st, 1, campaign, -1, SQLITE_STATIC);
        if (sqlite3_bind_parameter_count(st) == 3) { /* the canton of a petition record */
            sqlite3_bind_int(st, 2, PETITION_OFF_CANTON + 1); /* SQL counts from 1 */
            sqlite3_bind_int(st, 3, PETITION_LEN_CANTON);
        }
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            *n = sqlite3_column_int64(st, 0);
            rc = SQLITE_OK;
        }
    }
    sqlite3_finalize(st);
    return store__rc(rc);
}

typedef struct tally_s {
    const char *campaign;
    int64_t n;
    size_t off;
} tally_t;

static int count_entry(void *arg, const uint8_t *e)
{
    tally_t *t = arg;

    t->n += entry_of(e + t->off, t->campaign);
    return 0;
}

/* One read transaction: the two counts are of the same instant. */
int store_counts(store_t *s, const char *campaign, int64_t *registered, int64_t *ballots)
{
    tally_t r = {campaign, 0, REG_OFF_CAMPAIGN}, b = {campaign, 0, BOX_OFF_CAMPAIGN};
    int rc, own;

    if (s == NULL || campaign == NULL || registered == NULL || ballots == NULL)
        return BN_EINVAL;
    own = sqlite3_get_autocommit(s->db);
    if (own && (rc = store__rc(sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL))) != 0)
        return rc;
    rc = slot_each(&s->reg, s->db, count_entry, &r);
    if (rc == 0)
        rc = slot_each(&s->box, s->db, count_entry, &b);
    if (own)
        sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
    *registered = r.n;
    *ballots = b.n;
    return rc;
}

typedef struct day_walk_s {
    const char *campaign;
    store_day_fn fn;
    void *arg;
} day_walk_t;

static int day_entry(void *arg, const uint8_t *e)
{
    day_walk_t *w = arg;

    if (!entry_of(e + REG_OFF_CAMPAIGN, w->campaign))
        return 0;
    return w->fn(w->arg, get32(e + REG_OFF_DAY));
}

int store_register_days(store_t *s, const char *campaign, store_day_fn fn, void *arg)
{
    day_walk_t w = {campaign, fn, arg};

    if (s == NULL || campaign == NULL || fn == NULL)
        return BN_EINVAL;
    return slot_each(&s->reg, s->db, day_entry, &w);
}

/* (STORE-S9) in commune order */
int store_turnout_each(store_t *s, const char *campaign, store_turnout_fn fn, void *arg)
{
    sqlite3_stmt *st = NULL;
    int rc;

    if (s == NULL || campaign == NULL || fn == NULL)
        return BN_EINVAL;
    rc = sqlite3_prepare_v2(s->db, "SELECT commune, n FROM turnout WHERE campaign = ?1 "
                                   "ORDER BY commune", -1, &st, NULL);
    if (rc != SQLITE_OK) {
        rc = store__rc(rc);
        goto out;
    }
    sqlite3_bind_text(st, 1, campaign, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *commune = (const char *)sqlite3_column_text(st, 0);
        sqlite3_int64 n = sqlite3_column_int64(st, 1);

        if (!store_commune_valid(commune) || n < 1) {
            rc = BN_ECORRUPT;
            goto out;
        }
        rc = fn(arg, commune, (int64_t)n);
        if (rc != 0)
            goto out;
    }
    rc = rc == SQLITE_DONE ? 0 : store__rc(rc);
out:
    sqlite3_finalize(st);
    return rc;
}

/* Calls fn for each blob that `sql_one` (for a campaign, bound as ?1) or
 * `sql_all` (campaign NULL) selects, in the order the SQL gives. */
static int each_blob(store_t *s, const char *sql_one, const char *sql_all, const char *campaign,
                     store_ballot_fn fn, void *arg)
{
    sqlite3_stmt *st = NULL;
    int rc;

    if (s == NULL || fn == NULL)
        return BN_EINVAL;
    rc = sqlite3_prepare_v2(s->db, campaign != NULL ? sql_one : sql_all, -1, &st, NULL);
    if (rc != SQLITE_OK) {
        rc = store__rc(rc);
        goto out;
    }
    if (campaign != NULL)
        sqlite3_bind_text(st, 1, campaign, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const uint8_t *b = sqlite3_column_blob(st, 0);
        int n = sqlite3_column_bytes(st, 0);

        if (b == NULL) {
            rc = n > 0 ? BN_ENOMEM : BN_ECORRUPT;
            goto out;
        }
        rc = fn(arg, b, (size_t)n);
        if (rc != 0)
            goto out;
    }
    rc = store__rc(rc);
out:
    sqlite3_finalize(st);
    return rc;
}

/* The blob that `sql` selects for the 16-byte id bound as ?1, malloc'd into
 * *out. BN_ENOTFOUND. */
static int get_blob(store_t *s, const char *sql, const uint8_t id[16], uint8_t **out, size_t *len)
{
    sqlite3_stmt *st = NULL;
    int rc, n;

    if (s == NULL || id == NULL || out == NULL || len == NULL)
        return BN_EINVAL;
    *out = NULL;
    *len = 0;
    rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK) {
        rc = store__rc(rc);
        goto out;
    }
    sqlite3_bind_blob(st, 1, id, 16, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        rc = BN_ENOTFOUND;
    } else if (rc != SQLITE_ROW) {
        rc = store__rc(rc);
    } else {
        n = sqlite3_column_bytes(st, 0);
        *out = malloc(n > 0 ? (size_t)n : 1);
        if (*out == NULL) {
            rc = BN_ENOMEM;
        } else {
            if (n > 0)
                memcpy(*out, sqlite3_column_blob(st, 0), (size_t)n);
            *len = (size_t)n;
            rc = 0;
        }
    }
out:
    sqlite3_finalize(st);
    return rc;
}

typedef struct ballot_walk_s {
    const char *campaign;
    store_ballot_fn fn;
    void *arg;
} ballot_walk_t;

/* The ballot of a box entry: its length field checked. */
static int entry_ballot(const uint8_t *e, const uint8_t **ballot, size_t *len)
{
    size_t n = (size_t)e[BOX_OFF_LEN] << 8 | e[BOX_OFF_LEN + 1];

    if (n == 0 || n > BALLOT_MAX_LEN)
        return BN_ECORRUPT;
    *ballot = e + BOX_OFF_BALLOT;
    *len = n;
    return 0;
}

static int on_box_entry(void *arg, const uint8_t *e)
{
    ballot_walk_t *w = arg;
    const uint8_t *b;
    size_t n;
    int rc;

    if (!entry_of(e + BOX_OFF_CAMPAIGN, w->campaign))
        return 0;
    if ((rc = entry_ballot(e, &b, &n)) != 0)
        return rc;
    return w->fn(w->arg, b, n);
}

/* (STORE-S11) in slot order: the order of a hash of the random ballot ids */
int store_each_ballot(store_t *s, const char *campaign, store_ballot_fn fn, void *arg)
{
    ballot_walk_t w = {campaign, fn, arg};

    if (s == NULL || fn == NULL)
        return BN_EINVAL;
    return slot_each(&s->box, s->db, on_box_entry, &w);
}

int store_get_ballot(store_t *s, const uint8_t id[16], uint8_t **out, size_t *len)
{
    uint8_t e[BOX_ENTRY_LEN];
    const uint8_t *b;
    size_t n;
    int rc;

    if (s == NULL || id == NULL || out == NULL || len == NULL)
        return BN_EINVAL;
    *out = NULL;
    *len = 0;
    memset(e, 0, sizeof e);
    memcpy(e + BOX_OFF_ID, id, 16);
    if ((rc = slot_find(&s->box, e, e)) <= 0) {
        rc = rc == 0 ? BN_ENOTFOUND : rc;
        goto out;
    }
    if ((rc = entry_ballot(e, &b, &n)) != 0)
        goto out;
    if ((*out = malloc(n)) == NULL) {
        rc = BN_ENOMEM;
        goto out;
    }
    memcpy(*out, b, n);
    *len = n;
out:
    mbedtls_platform_zeroize(e, sizeof e);
    return rc;
}

int store_get_register(store_t *s, const char *campaign, const uint8_t pseudonym[32],
                       uint32_t *day, int *offline)
{
    uint8_t e[REG_ENTRY_LEN];
    int rc;

    if (s == NULL || campaign == NULL || pseudonym == NULL || day == NULL || offline == NULL)
        return BN_EINVAL;
    if (reg_entry(e, campaign, pseudonym, 0, 0) != 0)
        return BN_ENOTFOUND;
    if ((rc = slot_find(&s->reg, e, e)) <= 0)
        return rc == 0 ? BN_ENOTFOUND : rc;
    *day = get32(e + REG_OFF_DAY);
    *offline = (e[REG_OFF_FLAGS] & REG_FLAG_OFFLINE) != 0;
    return *day > 0 && (e[REG_OFF_FLAGS] & ~(REG_FLAG_OFFLINE | REG_FLAG_PETITION)) == 0
               ? 0
               : BN_ECORRUPT;
}

/* --- petition signatures ---------------------------------------------------- */

int store_sign(store_t *s, const store_sign_t *c)
{
    int rc;

    if (s == NULL || c == NULL || c->campaign == NULL || *c->campaign == '\0' ||
        strlen(c->campaign) > PKG_ID_MAX ||
        c->sig_id == NULL || c->record == NULL || c->record_len == 0 ||
        c->record_len > INT_MAX)
        return BN_EINVAL;
    /* (STORE-S7) (STORE-S8) the row fits in its page */
    if (12 + 16 + strlen(c->campaign) + c->record_len > (size_t)s->max_local)
        return BN_ETOOBIG;

    /* (STORE-D2) the write lock first, then every write, then COMMIT */
    rc = step_done(s->begin);
    if (rc != SQLITE_OK) {
        rc = store__rc(rc);
        goto out;
    }
    if ((rc = register_insert(s, c->campaign, c->pseudonym, c->day,
                              REG_FLAG_PETITION | (c->offline ? REG_FLAG_OFFLINE : 0))) != 0)
        goto out;
    /* (STORE-S8) under its random id */
    sqlite3_bind_blob(s->sig_insert, 1, c->sig_id, 16, SQLITE_STATIC);
    sqlite3_bind_text(s->sig_insert, 2, c->campaign, -1, SQLITE_STATIC);
    sqlite3_bind_blob(s->sig_insert, 3, c->record, (int)c->record_len, SQLITE_STATIC);
    rc = step_done(s->sig_insert);
    if (rc != SQLITE_OK) {
        rc = insert_rc(rc, BN_EEXISTS);
        goto out;
    }
    /* (STORE-S4) no audit entry. (STORE-D1) durable when COMMIT returns. */
    rc = commit(s, PROBE_SIGNATURE, c->campaign, c->sig_id);
out:
    if (rc != 0)
        rollback(s); /* (STORE-D3) */
    sqlite3_clear_bindings(s->sig_insert);
    return rc;
}

/* (STORE-S8) in the order of the random signature ids */
int store_each_signature(store_t *s, const char *campaign, store_record_fn fn, void *arg)
{
    return each_blob(s, "SELECT record FROM signature WHERE campaign = ?1 ORDER BY sig_id",
                     "SELECT record FROM signature ORDER BY sig_id", campaign, fn, arg);
}

int store_get_signature(store_t *s, const uint8_t id[16], uint8_t **out, size_t *len)
{
    return get_blob(s, "SELECT record FROM signature WHERE sig_id = ?1", id, out, len);
}

/* The cantons: the distinct canton fields of the records (PETITION_OFF_CANTON,
 * bound as parameters of substr). */
int store_petition_counts(store_t *s, const char *campaign, int64_t *signatures,
                          int64_t *cantons)
{
    int rc;

    if (s == NULL || campaign == NULL || signatures == NULL || cantons == NULL)
        return BN_EINVAL;
    rc = count(s, "SELECT count(*) FROM signature WHERE campaign = ?1", campaign, signatures);
    if (rc == 0)
        rc = count(s, "SELECT count(DISTINCT substr(record, ?2, ?3)) FROM signature "
                      "WHERE campaign = ?1", campaign, cantons);
    return rc;
}

/* --- ideas (schema 6, issue 17) --------------------------------------------- */

#define IDEA_PART_LEN 1800 /* (STORE-S13) a part in its page: 12 + 16 + 1 + 1800 < 2030 */

static int exec_bound(store_t *s, const char *sql, const uint8_t *id, const char *campaign,
                      const uint8_t *pseudonym, int k, const uint8_t *bytes, size_t n)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);

    if (rc != SQLITE_OK)
        return store__rc(rc);
    sqlite3_bind_blob(st, 1, id, 16, SQLITE_STATIC);
    if (campaign != NULL)
        sqlite3_bind_text(st, 2, campaign, -1, SQLITE_STATIC);
    if (pseudonym != NULL)
        sqlite3_bind_blob(st, 3, pseudonym, PSEUD_LEN, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, k);
    if (bytes != NULL)
        sqlite3_bind_blob(st, 5, bytes, (int)n, SQLITE_STATIC);
    rc = step_done(st);
    sqlite3_finalize(st);
    return rc == SQLITE_OK ? 0 : insert_rc(rc, BN_EEXISTS);
}

/* (no index: an index is a second order on the table, and the store keeps
 * none, test_s1_no_common_key; a kiosk holds a few hundred ideas at most) */
int store_ideas_of(store_t *s, const char *campaign, const uint8_t pseudonym[PSEUD_LEN], int *n)
{
    sqlite3_stmt *st = NULL;
    int rc;

    if (s == NULL || campaign == NULL || pseudonym == NULL || n == NULL)
        return BN_EINVAL;
    *n = 0;
    rc = sqlite3_prepare_v2(s->db, "SELECT count(*) FROM idea WHERE campaign = ?1 AND "
                                   "pseudonym = ?2", -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, campaign, -1, SQLITE_STATIC);
        sqlite3_bind_blob(st, 2, pseudonym, PSEUD_LEN, SQLITE_STATIC);
        if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            *n = sqlite3_column_int(st, 0);
            rc = SQLITE_OK;
        }
    }
    sqlite3_finalize(st);
    return store__rc(rc);
}

int store_propose(store_t *s, const store_idea_t *c)
{
    int rc, parts, k, n = 0;

    if (s == NULL || c == NULL || c->campaign == NULL || *c->campaign == '\0' ||
        strlen(c->campaign) > PKG_ID_MAX || c->idea_id == NULL || c->record == NULL ||
        c->record_len == 0 || c->max_per_person < 1)
        return BN_EINVAL;
    if (c->record_len > STORE_IDEA_MAX)
        return BN_ETOOBIG;
    parts = (int)((c->record_len + IDEA_PART_LEN - 1) / IDEA_PART_LEN);

    /* (STORE-D2) the write lock first: the count and the writes are one */
    rc = step_done(s->begin);
    if (rc != SQLITE_OK) {
        rc = store__rc(rc);
        goto out;
    }
    if ((rc = campaign_known(s, c->campaign)) != 0 ||
        (rc = store_ideas_of(s, c->campaign, c->pseudonym, &n)) != 0)
        goto out;
    if (n >= c->max_per_person) {
        rc = BN_EALREADY;
        goto out;
    }
    /* (STORE-S13) under its random id, in parts that fit their page */
    if ((rc = exec_bound(s, "INSERT INTO idea(idea_id, campaign, pseudonym, parts) "
                            "VALUES (?1, ?2, ?3, ?4)",
                         c->idea_id, c->campaign, c->pseudonym, parts, NULL, 0)) != 0)
        goto out;
    for (k = 0; k < parts; k++) {
        size_t at = (size_t)k * IDEA_PART_LEN;
        size_t len = c->record_len - at < IDEA_PART_LEN ? c->record_len - at : IDEA_PART_LEN;
        if ((rc = exec_bound(s, "INSERT INTO idea_part(idea_id, part, bytes) "
                                "VALUES (?1, ?4, ?5)",
                             c->idea_id, NULL, NULL, k, c->record + at, len)) != 0)
            goto out;
    }
    /* (STORE-S4) no audit entry. (STORE-D1) durable when COMMIT returns. */
    rc = commit(s, PROBE_IDEA, c->campaign, c->idea_id);
out:
    if (rc != 0)
        rollback(s); /* (STORE-D3) */
    return rc;
}

/* The record `id` of `parts` parts in a parts table (sql: its parts in
 * order), malloc'd. */
static int parts_read(store_t *s, const char *sql, const uint8_t id[16], int parts,
                      uint8_t **out, size_t *len)
{
    sqlite3_stmt *st = NULL;
    uint8_t *buf = malloc((size_t)(parts > 0 ? parts : 1) * IDEA_PART_LEN);
    int rc, k = 0;

    *out = NULL;
    *len = 0;
    if (buf == NULL)
        return BN_ENOMEM;
    rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK) {
        rc = store__rc(rc);
        goto out;
    }
    sqlite3_bind_blob(st, 1, id, 16, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int n = sqlite3_column_bytes(st, 1);
        if (sqlite3_column_int(st, 0) != k || n < 1 || n > IDEA_PART_LEN ||
            (k < parts - 1 && n != IDEA_PART_LEN) || k >= parts) {
            rc = BN_ECORRUPT;
            goto out;
        }
        memcpy(buf + *len, sqlite3_column_blob(st, 1), (size_t)n);
        *len += (size_t)n;
        k++;
    }
    rc = rc == SQLITE_DONE ? (k == parts ? 0 : BN_ECORRUPT) : store__rc(rc);
out:
    sqlite3_finalize(st);
    if (rc != 0) {
        free(buf);
        *len = 0;
        return rc;
    }
    *out = buf;
    return 0;
}

static int idea_read(store_t *s, const uint8_t id[16], int parts, uint8_t **out, size_t *len)
{
    return parts_read(s, "SELECT part, bytes FROM idea_part WHERE idea_id = ?1 ORDER BY part", id,
                      parts, out, len);
}

/* (STORE-S13) in the order of the random idea ids */
int store_each_idea(store_t *s, const char *campaign, store_record_fn fn, void *arg)
{
    sqlite3_stmt *st = NULL;
    int rc;

    if (s == NULL || fn == NULL)
        return BN_EINVAL;
    rc = sqlite3_prepare_v2(s->db, campaign != NULL
                                       ? "SELECT idea_id, parts FROM idea WHERE campaign = ?1 "
                                         "ORDER BY idea_id"
                                       : "SELECT idea_id, parts FROM idea ORDER BY idea_id",
                            -1, &st, NULL);
    if (rc != SQLITE_OK) {
        rc = store__rc(rc);
        goto out;
    }
    if (campaign != NULL)
        sqlite3_bind_text(st, 1, campaign, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        uint8_t id[16], *rec = NULL;
        size_t len = 0;
        if (sqlite3_column_bytes(st, 0) != 16) {
            rc = BN_ECORRUPT;
            goto out;
        }
        memcpy(id, sqlite3_column_blob(st, 0), 16);
        if ((rc = idea_read(s, id, sqlite3_column_int(st, 1), &rec, &len)) != 0)
            goto out;
        rc = fn(arg, rec, len);
        free(rec);
        if (rc != 0)
            goto out;
    }
    rc = store__rc(rc);
out:
    sqlite3_finalize(st);
    return rc;
}

int store_get_idea(store_t *s, const uint8_t id[16], uint8_t **out, size_t *len)
{
    sqlite3_stmt *st = NULL;
    int rc, parts = 0;

    if (s == NULL || id == NULL || out == NULL || len == NULL)
        return BN_EINVAL;
    *out = NULL;
    *len = 0;
    rc = sqlite3_prepare_v2(s->db, "SELECT parts FROM idea WHERE idea_id = ?1", -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_blob(st, 1, id, 16, SQLITE_STATIC);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
            parts = sqlite3_column_int(st, 0);
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE)
        return BN_ENOTFOUND;
    if (rc != SQLITE_ROW)
        return store__rc(rc);
    return idea_read(s, id, parts, out, len);
}

/* --- a questionnaire's free texts (schema 7, issue 17) ------------------------ */

/* One part of a text as a slot entry. */
static int text_entry(uint8_t *e, const uint8_t id[16], const char *campaign, int part, int parts,
                      const uint8_t *bytes, size_t len)
{
    int rc;

    memset(e, 0, QT_ENTRY_LEN);
    if (len == 0 || len > QT_PART_LEN || parts < 1 || parts > STORE_TEXT_PARTS)
        return BN_EINVAL;
    memcpy(e + QT_OFF_ID, id, 16);
    e[QT_OFF_PART] = (uint8_t)part;
    e[QT_OFF_PARTS] = (uint8_t)parts;
    if ((rc = store__campaign_field(campaign, e + QT_OFF_CAMPAIGN)) != 0)
        return rc;
    e[QT_OFF_LEN] = (uint8_t)(len >> 8);
    e[QT_OFF_LEN + 1] = (uint8_t)len;
    memcpy(e + QT_OFF_BYTES, bytes, len);
    return 0;
}

/* (STORE-S14) Inside store_cast()'s transaction: each part of each text in
 * the slot its text's random id gives (STORE-S11), nothing of the person
 * or of the answers beside it. */
static int texts_insert(store_t *s, const store_cast_t *c)
{
    uint8_t e[QT_ENTRY_LEN];
    int i, k, rc, parts;

    for (i = 0; i < c->n_texts; i++) {
        const store_text_t *t = &c->texts[i];

        if (t->text_id == NULL || t->record == NULL || t->record_len == 0)
            return BN_EINVAL;
        if (t->record_len > STORE_TEXT_MAX)
            return BN_ETOOBIG;
        parts = (int)((t->record_len + QT_PART_LEN - 1) / QT_PART_LEN);
        for (k = 0; k < parts; k++) {
            size_t at = (size_t)k * QT_PART_LEN;
            size_t len = t->record_len - at < QT_PART_LEN ? t->record_len - at : QT_PART_LEN;

            if ((rc = text_entry(e, t->text_id, c->campaign, k, parts, t->record + at, len)) != 0)
                return rc;
            if ((rc = slot_add(s->db, &s->qt, e)) != 0)
                return rc == BN_EALREADY ? BN_EEXISTS : rc;
        }
    }
    return 0;
}

/* The whole record of text `id`, from its parts. */
static int text_read(store_t *s, const uint8_t id[16], uint8_t **out, size_t *len)
{
    uint8_t e[QT_ENTRY_LEN], *rec = NULL;
    size_t n = 0;
    int k, parts = 1, rc = 0;

    *out = NULL;
    *len = 0;
    for (k = 0; k < parts; k++) {
        size_t l;

        memset(e, 0, sizeof e);
        memcpy(e + QT_OFF_ID, id, 16);
        e[QT_OFF_PART] = (uint8_t)k;
        if ((rc = slot_find(&s->qt, e, e)) <= 0) {
            rc = rc == 0 ? (k == 0 ? BN_ENOTFOUND : BN_ECORRUPT) : rc;
            goto out;
        }
        l = (size_t)e[QT_OFF_LEN] << 8 | e[QT_OFF_LEN + 1];
        if (k == 0) {
            parts = e[QT_OFF_PARTS];
            if (parts < 1 || parts > STORE_TEXT_PARTS ||
                (rec = malloc((size_t)parts * QT_PART_LEN)) == NULL) {
                rc = parts < 1 || parts > STORE_TEXT_PARTS ? BN_ECORRUPT : BN_ENOMEM;
                goto out;
            }
        }
        if (e[QT_OFF_PARTS] != parts || l == 0 || l > QT_PART_LEN ||
            (k < parts - 1 && l != QT_PART_LEN)) {
            rc = BN_ECORRUPT;
            goto out;
        }
        memcpy(rec + n, e + QT_OFF_BYTES, l);
        n += l;
    }
    *out = rec;
    *len = n;
    rec = NULL;
    rc = 0;
out:
    free(rec);
    return rc;
}

typedef struct text_ids_s {
    const char *campaign;
    uint8_t (*id)[16];
    size_t n, cap;
} text_ids_t;

static int on_text_part(void *arg, const uint8_t *e)
{
    text_ids_t *w = arg;
    char camp[PKG_ID_MAX + 1];

    if (e[QT_OFF_PART] != 0)
        return 0;
    memcpy(camp, e + QT_OFF_CAMPAIGN, PKG_ID_MAX);
    camp[PKG_ID_MAX] = '\0';
    if (w->campaign != NULL && strcmp(camp, w->campaign) != 0)
        return 0;
    if (w->n == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 64;
        uint8_t (*g)[16] = realloc(w->id, cap * sizeof *g);

        if (g == NULL)
            return BN_ENOMEM;
        w->id = g;
        w->cap = cap;
    }
    memcpy(w->id[w->n++], e + QT_OFF_ID, 16);
    return 0;
}

/* (STORE-S14) in bucket order: the hash of the random text ids */
int store_each_text(store_t *s, const char *campaign, store_record_fn fn, void *arg)
{
    text_ids_t w = {campaign, NULL, 0, 0};
    size_t i;
    int rc;

    if (s == NULL || fn == NULL)
        return BN_EINVAL;
    if ((rc = slot_each(&s->qt, s->db, on_text_part, &w)) != 0)
        goto out;
    for (i = 0; i < w.n; i++) {
        uint8_t *rec = NULL;
        size_t len = 0;

        if ((rc = text_read(s, w.id[i], &rec, &len)) != 0)
            goto out;
        rc = fn(arg, rec, len);
        free(rec);
        if (rc != 0)
            goto out;
    }
out:
    free(w.id);
    return rc;
}

int store_get_text(store_t *s, const uint8_t id[16], uint8_t **out, size_t *len)
{
    if (s == NULL || id == NULL || out == NULL || len == NULL)
        return BN_EINVAL;
    return text_read(s, id, out, len);
}
