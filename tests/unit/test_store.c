/* test_store.c - the SQLite store: schema, pragmas, casting, outbox, meta, audit,
 * and one test per secrecy (S) and durability (D) invariant of store.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "bn_err.h"
#include "key.h"
#include "store.h"
#include "testutil.h"

#define CAMPAIGN "bp-2026"
#define DAY 20785u

typedef struct fixture_s {
    char *dir;
    char *path;
    store_t *s;
} fixture_t;

static uint64_t prng_state = 0x9E3779B97F4A7C15ull;

/* Test randomness only (xorshift64*): ids and pseudonyms that look random. */
static void fill_random(uint8_t *b, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        prng_state ^= prng_state >> 12;
        prng_state ^= prng_state << 25;
        prng_state ^= prng_state >> 27;
        b[i] = (uint8_t)((prng_state * 0x2545F4914F6CDD1Dull) >> 56);
    }
}

/* A stand-in for a signed ballot: the store treats it as opaque bytes. */
typedef struct vote_s {
    store_cast_t c;
    uint8_t id[16];
    uint8_t ballot[220];
} vote_t;

static void make_vote(vote_t *v, const char *campaign)
{
    memset(v, 0, sizeof *v);
    fill_random(v->c.pseudonym, sizeof v->c.pseudonym);
    fill_random(v->id, sizeof v->id);
    fill_random(v->ballot, sizeof v->ballot);
    memcpy(v->ballot, "BRNB", 4);
    memcpy(v->ballot + 12, v->id, 16);
    v->c.campaign = campaign;
    v->c.day = DAY;
    v->c.offline = 1;
    v->c.ballot_id = v->id;
    v->c.ballot = v->ballot;
    v->c.ballot_len = sizeof v->ballot;
    v->c.commune = "35238";
}

static int setup(void **state)
{
    fixture_t *f = calloc(1, sizeof *f);
    uint8_t secret[32];
    char why[256];

    if (f == NULL)
        return -1;
    f->dir = tu_tmpdir("store");
    f->path = tu_path(f->dir, "kiosk.db");
    if (store_open(f->path, &f->s, why, sizeof why) != 0) {
        fprintf(stderr, "store_open: %s\n", why);
        return -1;
    }
    memset(secret, 7, sizeof secret);
    if (store_put_campaign(f->s, CAMPAIGN, (const uint8_t *)"package", 7, secret) != 0)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture_t *f = *state;

    store_close(f->s);
    tu_rmtree(f->dir);
    free(f->path);
    free(f->dir);
    free(f);
    return 0;
}

static int64_t query_int(store_t *s, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int64_t v = -1;

    assert_int_equal(sqlite3_prepare_v2(store__db(s), sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static void query_text(store_t *s, const char *sql, char *out, size_t cap)
{
    sqlite3_stmt *st = NULL;

    out[0] = '\0';
    assert_int_equal(sqlite3_prepare_v2(store__db(s), sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != NULL)
        snprintf(out, cap, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
}

/* The number of entries a slot table's header row counts (store_slot.c). */
static int64_t entries(store_t *s, const char *table)
{
    sqlite3_stmt *st = NULL;
    char sql[96];
    int64_t n = -1;
    int i;

    snprintf(sql, sizeof sql, "SELECT cell FROM \"%s\" WHERE b = -1", table);
    assert_int_equal(sqlite3_prepare_v2(store__db(s), sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_bytes(st, 0), 16);
    for (i = 8, n = 0; i < 16; i++)
        n = n << 8 | ((const uint8_t *)sqlite3_column_blob(st, 0))[i];
    sqlite3_finalize(st);
    return n;
}

/* Register entries of a day with the offline flag `offline`, read from the
 * raw buckets (store_int.h: count byte, 53-byte entries; day at 48, flags
 * at 52). */
static int register_days(store_t *s, uint32_t day, int offline)
{
    sqlite3_stmt *st = NULL;
    int n = 0, i, k;

    assert_int_equal(sqlite3_prepare_v2(store__db(s), "SELECT cell FROM register WHERE b >= 0",
                                        -1, &st, NULL), SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const uint8_t *c = sqlite3_column_blob(st, 0);

        for (i = 0; i < c[0]; i++) {
            const uint8_t *e = c + 1 + i * 53;
            uint32_t d = 0;

            for (k = 0; k < 4; k++)
                d = d << 8 | e[48 + k];
            n += d == day && (e[52] & 1) == offline;
        }
    }
    sqlite3_finalize(st);
    return n;
}

typedef struct kinds_s {
    store_item_t kind;
    size_t keylen;
    int n;
} kinds_t;

static int count_kind(void *arg, store_item_t kind, const char *campaign, const uint8_t *key,
                      size_t keylen)
{
    kinds_t *k = arg;

    (void)campaign;
    (void)key;
    k->n += kind == k->kind && keylen == k->keylen;
    return 0;
}

/* Unsent items of a kind, with keys of keylen bytes. */
static int outbox_kind(store_t *s, store_item_t kind, size_t keylen)
{
    kinds_t k = {kind, keylen, 0};

    assert_int_equal(store_outbox_each(s, count_kind, &k), 0);
    return k.n;
}

static void assert_counts(store_t *s, int64_t reg, int64_t box, int64_t outbox)
{
    int64_t r = -1, b = -1, o = -1;

    assert_int_equal(store_counts(s, CAMPAIGN, &r, &b), 0);
    assert_int_equal(store_outbox_count(s, &o), 0);
    assert_int_equal(r, reg);
    assert_int_equal(b, box);
    assert_int_equal(o, outbox);
}

static int count_text(void *arg, const uint8_t *rec, size_t len)
{
    (void)rec;
    (void)len;
    ++*(int *)arg;
    return 0;
}

/* --- schema and open ------------------------------------------------------- */

static void test_fresh_store_is_version_8(void **state)
{
    fixture_t *f = *state;
    char why[256];

    assert_int_equal(query_int(f->s, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
    assert_int_equal(STORE_SCHEMA_VERSION, 8);
    /* (STORE-S12) no outbox table: what is unsent is in memory only */
    assert_int_equal(query_int(f->s, "SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                                     "AND name IN ('campaign', 'meta', 'register', 'box', "
                                     "'signature', 'audit', 'turnout', 'vcode_issued', "
                                     "'vcode_used', 'idea', 'idea_part', 'qtext_box')"),
                     12);
    assert_int_equal(query_int(f->s, "SELECT count(*) FROM sqlite_master WHERE type = 'table'"),
                     12);
    /* reopening a current store changes nothing */
    store_close(f->s);
    assert_int_equal(store_open(f->path, &f->s, why, sizeof why), 0);
    assert_int_equal(query_int(f->s, "PRAGMA user_version"), 8);
    assert_int_equal(store_check(f->s, why, sizeof why), 0);
}

/* (STORE-S14) A questionnaire's free texts: in store_cast()'s transaction,
 * in the slot table qtext_box (a bucket a part of 1,180 bytes at most, the
 * bucket from the text's random id: tests/fault/test_secrecy.c measures
 * that their places follow no order of casts); nothing of the person or of
 * the answers beside them; read back whole; a cast that fails writes none. */
static void test_s14_texts(void **state)
{
    fixture_t *f = *state;
    static uint8_t rec[3][STORE_TEXT_MAX], ids[3][16];
    size_t lens[3] = {200, 1800, STORE_TEXT_MAX};
    uint8_t ballot[200], bid[16], ps[32], *out = NULL;
    store_text_t t[3];
    store_cast_t c;
    size_t len = 0;
    int i, seen = 0;

    for (i = 0; i < 3; i++) {
        memset(rec[i], 'a' + i, lens[i]);
        memset(ids[i], 0x30 + 0x40 * (2 - i), 16);
        t[i] = (store_text_t){ids[i], rec[i], lens[i]};
    }
    memset(ballot, 0x42, sizeof ballot);
    memset(bid, 0x11, sizeof bid);
    memset(ps, 0x55, sizeof ps);
    memset(&c, 0, sizeof c);
    c.campaign = CAMPAIGN;
    memcpy(c.pseudonym, ps, 32);
    c.day = 20000;
    c.commune = "35238";
    c.ballot_id = bid;
    c.ballot = ballot;
    c.ballot_len = sizeof ballot;
    c.texts = t;
    c.n_texts = 3;
    assert_int_equal(store_cast(f->s, &c), 0);
    /* 1 + 2 + 4 parts, one a bucket; the table's columns are the slot's */
    assert_int_equal(query_int(f->s, "SELECT count(*) FROM qtext_box WHERE b >= 0 AND "
                                     "substr(cell, 1, 1) = x'01'"), 7);
    assert_int_equal(query_int(f->s, "SELECT count(*) FROM pragma_table_info('qtext_box') WHERE "
                                     "name NOT IN ('b', 'cell')"), 0);
    /* nothing of the person nor of the answers in the table */
    assert_int_equal(query_int(f->s, "SELECT count(*) FROM qtext_box WHERE "
                                     "instr(cell, x'5555555555555555') > 0 OR "
                                     "instr(cell, x'11111111111111111111111111111111') > 0"), 0);
    for (i = 0; i < 3; i++) {
        assert_int_equal(store_get_text(f->s, ids[i], &out, &len), 0);
        assert_int_equal(len, lens[i]);
        assert_memory_equal(out, rec[i], len);
        free(out);
    }
    assert_int_equal(store_each_text(f->s, CAMPAIGN, count_text, &seen), 0);
    assert_int_equal(seen, 3);
    seen = 0;
    assert_int_equal(store_each_text(f->s, "autre-campagne", count_text, &seen), 0);
    assert_int_equal(seen, 0);
    memset(ids[2] + 8, 0x77, 8);
    assert_int_equal(store_get_text(f->s, ids[2], &out, &len), BN_ENOTFOUND);
    /* too long: nothing of the cast */
    t[0].record_len = STORE_TEXT_MAX + 1;
    memset(ps, 0x56, sizeof ps);
    memcpy(c.pseudonym, ps, 32);
    memset(bid, 0x12, sizeof bid);
    assert_int_equal(store_cast(f->s, &c), BN_ETOOBIG);
    assert_int_equal(store_has_voted(f->s, CAMPAIGN, ps), 0);
    assert_int_equal(query_int(f->s, "SELECT count(*) FROM qtext_box WHERE b >= 0 AND "
                                     "substr(cell, 1, 1) = x'01'"), 7);
}

/* (STORE-S14) A store of schema 7 (texts in the WITHOUT ROWID tables qtext
 * and qtext_part, in parts of 1,800 bytes) is migrated to 8: every text
 * read back whole from the slot table, the old tables gone. */
static void test_migrate_7_8_texts(void **state)
{
    fixture_t *f = *state;
    sqlite3 *db = NULL;
    uint8_t rec[2500], *out = NULL;
    size_t len = 0;
    char why[256] = "", sql[512];
    int i;

    for (i = 0; i < (int)sizeof rec; i++)
        rec[i] = (uint8_t)(i * 31 + 7);
    store_close(f->s);
    f->s = NULL;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
        "DROP TABLE qtext_box;"
        "CREATE TABLE qtext(text_id BLOB NOT NULL PRIMARY KEY, campaign TEXT NOT NULL, "
        "  parts INTEGER NOT NULL) WITHOUT ROWID;"
        "CREATE TABLE qtext_part(text_id BLOB NOT NULL, part INTEGER NOT NULL, "
        "  bytes BLOB NOT NULL, PRIMARY KEY (text_id, part)) WITHOUT ROWID;"
        "INSERT INTO campaign(id, package, secret) VALUES ('q-7', x'00', zeroblob(32));"
        "INSERT INTO qtext VALUES (x'0102030405060708090a0b0c0d0e0f10', 'q-7', 2);"
        "INSERT INTO qtext VALUES (x'a102030405060708090a0b0c0d0e0f10', 'q-7', 1);"
        "INSERT INTO qtext_part VALUES (x'a102030405060708090a0b0c0d0e0f10', 0, x'4142');"
        "PRAGMA user_version = 7;", NULL, NULL, NULL), SQLITE_OK);
    {
        sqlite3_stmt *st = NULL;

        snprintf(sql, sizeof sql, "INSERT INTO qtext_part VALUES "
                 "(x'0102030405060708090a0b0c0d0e0f10', ?1, ?2)");
        assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
        for (i = 0; i < 2; i++) {
            sqlite3_bind_int(st, 1, i);
            sqlite3_bind_blob(st, 2, rec + i * 1800, i == 0 ? 1800 : 700, SQLITE_STATIC);
            assert_int_equal(sqlite3_step(st), SQLITE_DONE);
            sqlite3_reset(st);
        }
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    assert_int_equal(store_open(f->path, &f->s, why, sizeof why), 0);
    assert_int_equal(query_int(f->s, "PRAGMA user_version"), 8);
    assert_int_equal(query_int(f->s, "SELECT count(*) FROM sqlite_master WHERE name IN "
                                     "('qtext', 'qtext_part')"), 0);
    assert_int_equal(store_get_text(f->s, (const uint8_t *)"\x01\x02\x03\x04\x05\x06\x07\x08"
                                    "\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10", &out, &len), 0);
    assert_int_equal(len, sizeof rec);
    assert_memory_equal(out, rec, len);
    free(out);
    assert_int_equal(store_get_text(f->s, (const uint8_t *)"\xa1\x02\x03\x04\x05\x06\x07\x08"
                                    "\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10", &out, &len), 0);
    assert_int_equal(len, 2);
    assert_memory_equal(out, "AB", 2);
    free(out);
    assert_int_equal(store_check(f->s, why, sizeof why), 0);
}

/* (STORE-S13) Ideas of a call for ideas: the person's limit in the same
 * transaction, a record of any length up to the largest in parts that each
 * fit their page, read back whole in the order of the random ids; nothing
 * audited, no rowid. */
static void test_s13_ideas(void **state)
{
    fixture_t *f = *state;
    uint8_t rec[4][6000], ids[4][16], *got = NULL;
    store_idea_t c;
    size_t len, sizes[4] = {300, 1800, 1801, 5249};
    int i, n;
    int64_t audit = query_int(f->s, "SELECT count(*) FROM audit");

    memset(&c, 0, sizeof c);
    c.campaign = CAMPAIGN;
    memset(c.pseudonym, 0x42, PSEUD_LEN);
    c.max_per_person = 3;
    for (i = 0; i < 4; i++) {
        fill_random(rec[i], sizeof rec[i]);
        fill_random(ids[i], 16);
        c.idea_id = ids[i];
        c.record = rec[i];
        c.record_len = sizes[i];
        assert_int_equal(store_propose(f->s, &c), i < 3 ? 0 : BN_EALREADY);
    }
    assert_int_equal(store_ideas_of(f->s, CAMPAIGN, c.pseudonym, &n), 0);
    assert_int_equal(n, 3);
    /* another person: still room; the same id twice: refused */
    memset(c.pseudonym, 0x43, PSEUD_LEN);
    assert_int_equal(store_propose(f->s, &c), 0);
    assert_int_equal(store_propose(f->s, &c), BN_EEXISTS);
    c.campaign = "not-recorded";
    fill_random(ids[3], 16);
    assert_int_equal(store_propose(f->s, &c), BN_ENOTFOUND);
    c.campaign = CAMPAIGN;
    c.record_len = STORE_IDEA_MAX + 1;
    assert_int_equal(store_propose(f->s, &c), BN_ETOOBIG);
    /* read back whole, each part in its page */
    for (i = 0; i < 3; i++) {
        assert_int_equal(store_get_idea(f->s, ids[i], &got, &len), 0);
        assert_int_equal(len, sizes[i]);
        assert_memory_equal(got, rec[i], len);
        free(got);
    }
    assert_int_equal(query_int(f->s, "SELECT max(length(bytes)) FROM idea_part"), 1800);
    assert_int_equal(query_int(f->s, "SELECT count(*) FROM idea_part"), 1 + 1 + 2 + 3);
    assert_int_equal(query_int(f->s, "SELECT count(*) FROM sqlite_master WHERE name IN "
                                     "('idea', 'idea_part') AND upper(sql) LIKE "
                                     "'%WITHOUT ROWID%'"), 2);
    assert_int_equal(query_int(f->s, "SELECT count(*) FROM audit"), audit); /* (STORE-S4) */
    assert_int_equal(store_get_idea(f->s, (const uint8_t *)"0123456789abcdef", &got, &len),
                     BN_ENOTFOUND);
}

/* (STORE-S10) Anyone on the machine but the kiosk's user could copy a
 * 0644 store: it is created 0600 whatever the umask, and a wider file left
 * by an older version (and its journal) is narrowed when opened. */
static void test_s10_file_modes(void **state)
{
    fixture_t *f = *state;
    char *path = tu_path(f->dir, "modes.db"), journal[4200], why[256] = "";
    struct stat sb;
    store_t *s = NULL;
    mode_t old = umask(022);

    assert_int_equal(store_open(path, &s, why, sizeof why), 0);
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    store_close(s);
    snprintf(journal, sizeof journal, "%s-journal", path);
    assert_int_equal(chmod(path, 0644), 0);
    if (stat(journal, &sb) == 0)
        assert_int_equal(chmod(journal, 0666), 0);
    assert_int_equal(store_open(path, &s, why, sizeof why), 0);
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    if (stat(journal, &sb) == 0)
        assert_int_equal(sb.st_mode & 0777, 0600);
    store_close(s);
    umask(old);
    free(path);
}

static void test_newer_schema_refused(void **state)
{
    fixture_t *f = *state;
    char *path = tu_path(f->dir, "future.db"), why[256] = "";
    sqlite3 *db = NULL;
    store_t *s = (store_t *)1;

    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE t(x); PRAGMA user_version = 99", NULL, NULL,
                                  NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(store_open(path, &s, why, sizeof why), BN_ESCHEMA);
    assert_null(s);
    assert_non_null(strstr(why, "99"));
    /* (STORE-D4) the file was not touched: no table of ours, same version */
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    {
        sqlite3_stmt *st;

        assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master", -1, &st,
                                            NULL), SQLITE_OK);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        assert_int_equal(sqlite3_column_int(st, 0), 1);
        sqlite3_finalize(st);
        assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        assert_int_equal(sqlite3_column_int(st, 0), 99);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    free(path);
}

static void test_not_a_database_refused(void **state)
{
    fixture_t *f = *state;
    static const char text[] = "This is a shopping list, not a ballot box.\n"
                               "Bread, milk, and 2 kg of apples, thank you very much.\n";
    char *path = tu_path(f->dir, "list.txt"), why[512] = "";
    store_t *s = (store_t *)1;
    uint8_t *back;
    size_t len;

    assert_int_equal(tu_write(path, text, sizeof text - 1), 0);
    assert_int_equal(store_open(path, &s, why, sizeof why), BN_ECORRUPT);
    assert_null(s);
    assert_non_null(strstr(why, path));
    back = tu_read(path, &len);
    assert_non_null(back);
    assert_int_equal(len, sizeof text - 1);
    assert_memory_equal(back, text, len);
    free(back);
    free(path);
}

static void test_foreign_database_refused(void **state)
{
    fixture_t *f = *state;
    char *path = tu_path(f->dir, "other-app.db"), why[512] = "";
    sqlite3 *db = NULL;
    store_t *s = (store_t *)1;

    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE contacts(name, phone)", NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(store_open(path, &s, why, sizeof why), BN_ECORRUPT);
    assert_null(s);
    assert_non_null(strstr(why, path));
    free(path);
}

static void test_cannot_open(void **state)
{
    fixture_t *f = *state;
    char *path = tu_path(f->dir, "no/such/dir/kiosk.db"), why[512] = "";
    store_t *s = (store_t *)1;

    assert_int_equal(store_open(path, &s, why, sizeof why), BN_EIO);
    assert_null(s);
    assert_non_null(strstr(why, path));
    free(path);
}

/* (STORE-D4) a database whose pages were cut off: store_check names it corrupt */
static void test_truncated_file_is_corrupt(void **state)
{
    fixture_t *f = *state;
    char why[512] = "";
    sqlite3_stmt *st = NULL;
    vote_t v;
    int i, rc;

    /* many ballots quickly: without the fsyncs, for this test only */
    (void)st;
    assert_int_equal(sqlite3_exec(store__db(f->s), "PRAGMA synchronous = OFF", NULL, NULL, NULL),
                     SQLITE_OK);
    for (i = 0; i < 2000; i++) {
        make_vote(&v, CAMPAIGN);
        assert_int_equal(store_cast(f->s, &v.c), 0);
    }
    store_close(f->s);
    f->s = NULL;
    assert_int_equal(truncate(f->path, 60 * 4096), 0);
    rc = store_open(f->path, &f->s, why, sizeof why);
    if (rc == 0) {
        rc = store_check(f->s, why, sizeof why);
        assert_int_equal(rc, BN_ECORRUPT);
    } else {
        assert_int_equal(rc, BN_ECORRUPT);
    }
    printf("truncated store: %s\n", why);
    assert_true(strstr(why, "quick_check") != NULL || strstr(why, f->path) != NULL);
}

/* (STORE-D1) (STORE-S6) the pragmas are really in effect */
static void test_pragmas_in_effect(void **state)
{
    fixture_t *f = *state;
    char text[64];

    query_text(f->s, "PRAGMA journal_mode", text, sizeof text);
    assert_string_equal(text, "truncate");
    assert_int_equal(query_int(f->s, "PRAGMA synchronous"), 2); /* FULL */
    assert_int_equal(query_int(f->s, "PRAGMA foreign_keys"), 1);
    assert_int_equal(query_int(f->s, "PRAGMA secure_delete"), 1);
    assert_int_equal(query_int(f->s, "PRAGMA trusted_schema"), 0);
    assert_true(query_int(f->s, "PRAGMA busy_timeout") >= 1000);
    assert_int_equal(query_int(f->s, "PRAGMA page_size"), 8192); /* (STORE-S7) */
}

/* --- casting --------------------------------------------------------------- */

static void test_cast_then_double_cast(void **state)
{
    fixture_t *f = *state;
    vote_t v, again;
    uint8_t *b = NULL;
    size_t len = 0;

    make_vote(&v, CAMPAIGN);
    assert_int_equal(store_has_voted(f->s, CAMPAIGN, v.c.pseudonym), 0);
    assert_int_equal(store_cast(f->s, &v.c), 0);
    assert_counts(f->s, 1, 1, 2);
    assert_int_equal(store_has_voted(f->s, CAMPAIGN, v.c.pseudonym), 1);
    assert_int_equal(store_has_voted(f->s, "other", v.c.pseudonym), 0);
    assert_int_equal(store_get_ballot(f->s, v.id, &b, &len), 0);
    assert_int_equal(len, sizeof v.ballot);
    assert_memory_equal(b, v.ballot, len);
    free(b);

    /* the same person again, with a new ballot: refused, nothing written */
    make_vote(&again, CAMPAIGN);
    memcpy(again.c.pseudonym, v.c.pseudonym, PSEUD_LEN);
    assert_int_equal(store_cast(f->s, &again.c), BN_EALREADY);
    assert_counts(f->s, 1, 1, 2);
    assert_int_equal(store_get_ballot(f->s, again.id, &b, &len), BN_ENOTFOUND);
    assert_null(b);
    /* and the store still works afterwards */
    make_vote(&again, CAMPAIGN);
    assert_int_equal(store_cast(f->s, &again.c), 0);
    assert_counts(f->s, 2, 2, 4);
}

/* (STORE-D3) a cast that fails half-way writes nothing */
static void test_failed_cast_writes_nothing(void **state)
{
    fixture_t *f = *state;
    vote_t v, dup;

    make_vote(&v, CAMPAIGN);
    assert_int_equal(store_cast(f->s, &v.c), 0);
    /* a new voter whose ballot id is already in the box: the register
     * insert succeeds first, then the box refuses, and all is rolled back */
    make_vote(&dup, CAMPAIGN);
    memcpy(dup.id, v.id, sizeof dup.id);
    assert_int_equal(store_cast(f->s, &dup.c), BN_EEXISTS);
    assert_counts(f->s, 1, 1, 2);
    assert_int_equal(store_has_voted(f->s, CAMPAIGN, dup.c.pseudonym), 0);
    assert_true(sqlite3_get_autocommit(store__db(f->s)));
    /* a campaign the store does not know */
    make_vote(&dup, "nowhere");
    assert_int_equal(store_cast(f->s, &dup.c), BN_ENOTFOUND);
    assert_counts(f->s, 1, 1, 2);
    assert_int_equal(entries(f->s, "register"), 1);
    /* malformed requests */
    make_vote(&dup, CAMPAIGN);
    dup.c.ballot_len = 0;
    assert_int_equal(store_cast(f->s, &dup.c), BN_EINVAL);
    dup.c.ballot_len = sizeof dup.ballot;
    dup.c.ballot_id = NULL;
    assert_int_equal(store_cast(f->s, &dup.c), BN_EINVAL);
    assert_int_equal(store_cast(NULL, &v.c), BN_EINVAL);
    assert_counts(f->s, 1, 1, 2);
    assert_true(sqlite3_get_autocommit(store__db(f->s)));
}

/* (STORE-S7) a ballot too large to stay in its b-tree page is refused: its tail
 * would go to an overflow page at the end of the file, in cast order */
static void test_s7_no_overflow_pages(void **state)
{
    fixture_t *f = *state;
    static uint8_t big[2100];
    vote_t v;

    make_vote(&v, CAMPAIGN);
    v.c.ballot = big;
    v.c.ballot_len = 1180; /* BALLOT_MAX_LEN: 64 choices */
    fill_random(big, sizeof big);
    assert_int_equal(store_cast(f->s, &v.c), 0);
    make_vote(&v, CAMPAIGN);
    v.c.ballot = big;
    v.c.ballot_len = sizeof big;
    assert_int_equal(store_cast(f->s, &v.c), BN_ETOOBIG);
    assert_counts(f->s, 1, 1, 2);
    /* no overflow page anywhere: every page is a b-tree page or free */
    assert_int_equal(query_int(f->s, "SELECT count(*) FROM dbstat WHERE pagetype = 'overflow'"),
                     0);
}

/* (STORE-D3) a full disk: BN_EFULL, nothing of that cast written, the earlier
 * casts intact (SQLite's max_page_count stands for the disk's end). */
static void test_full_disk(void **state)
{
    fixture_t *f = *state;
    int64_t pages = query_int(f->s, "PRAGMA page_count"), reg = 0, box = 0, before;
    char sql[64], why[256];
    vote_t v;
    int i, rc = 0, ok = 0;

    snprintf(sql, sizeof sql, "PRAGMA max_page_count = %lld", (long long)pages + 8);
    assert_int_equal(sqlite3_exec(store__db(f->s), sql, NULL, NULL, NULL), SQLITE_OK);
    for (i = 0; i < 10000; i++) {
        make_vote(&v, CAMPAIGN);
        rc = store_cast(f->s, &v.c);
        if (rc != 0)
            break;
        ok++;
    }
    assert_int_equal(rc, BN_EFULL);
    assert_true(ok > 10);
    assert_int_equal(store_counts(f->s, CAMPAIGN, &reg, &box), 0);
    assert_int_equal(reg, ok);
    assert_int_equal(box, ok);
    assert_int_equal(store_has_voted(f->s, CAMPAIGN, v.c.pseudonym), 0);
    /* near the end, each cast either fits in a page with room, or is
     * refused whole: the counts move together or not at all */
    for (i = 0; i < 200; i++) {
        before = box;
        make_vote(&v, CAMPAIGN);
        rc = store_cast(f->s, &v.c);
        assert_true(rc == 0 || rc == BN_EFULL);
        assert_int_equal(store_counts(f->s, CAMPAIGN, &reg, &box), 0);
        assert_int_equal(reg, box);
        assert_int_equal(box, before + (rc == 0));
        assert_int_equal(store_has_voted(f->s, CAMPAIGN, v.c.pseudonym), rc == 0);
    }
    rc = store_check(f->s, why, sizeof why);
    if (rc != 0)
        fail_msg("store_check: %d %s", rc, why);
}

typedef struct ids_s {
    uint8_t id[64][16];
    int n;
} ids_t;

static int collect_ballot(void *arg, const uint8_t *ballot, size_t len)
{
    ids_t *ids = arg;

    assert_int_equal(len, 220);
    assert_true(ids->n < 64);
    memcpy(ids->id[ids->n++], ballot + 12, 16);
    return 0;
}

static int stop_at_two(void *arg, const uint8_t *ballot, size_t len)
{
    int *n = arg;

    (void)ballot;
    (void)len;
    return ++*n == 2 ? 42 : 0;
}

/* The bytes of a table's rows, in rowid order, hashed. */
static void table_digest(store_t *s, const char *table, uint8_t out[32])
{
    sqlite3_stmt *st = NULL;
    char sql[96];
    uint8_t *all = NULL;
    size_t n = 0;

    snprintf(sql, sizeof sql, "SELECT b, cell FROM \"%s\" ORDER BY b", table);
    assert_int_equal(sqlite3_prepare_v2(store__db(s), sql, -1, &st, NULL), SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
        size_t len = (size_t)sqlite3_column_bytes(st, 1);
        int64_t b = sqlite3_column_int64(st, 0);

        all = realloc(all, n + 8 + len);
        assert_non_null(all);
        memcpy(all + n, &b, 8);
        memcpy(all + n + 8, sqlite3_column_blob(st, 1), len);
        n += 8 + len;
    }
    sqlite3_finalize(st);
    key_sha256(all, n, out);
    free(all);
}

/* (STORE-S11) The box and the register are a function of what they hold:
 * the same 40 casts (30 of CAMPAIGN, 10 of "other": enough to grow both
 * tables once) in the cast order and in the reverse order give the same
 * bytes in every bucket, and the ballots come back in the same order,
 * which is not the order of the casts. */
static void test_each_ballot_order_is_history_free(void **state)
{
    fixture_t *f = *state;
    static ids_t ids, ids2;
    static vote_t votes[40];
    uint8_t secret[32] = {0}, d1[32], d2[32], r1[32], r2[32];
    char *path2 = tu_path(f->dir, "reverse.db"), why[256];
    store_t *s2 = NULL;
    int i, n = 0, in_order = 1;

    assert_int_equal(store_open(path2, &s2, why, sizeof why), 0);
    assert_int_equal(store_put_campaign(f->s, "other", (const uint8_t *)"p", 1, secret), 0);
    assert_int_equal(store_put_campaign(s2, "other", (const uint8_t *)"p", 1, secret), 0);
    memset(secret, 7, sizeof secret);
    assert_int_equal(store_put_campaign(s2, CAMPAIGN, (const uint8_t *)"package", 7, secret), 0);
    for (i = 0; i < 40; i++) {
        make_vote(&votes[i], i % 4 == 3 ? "other" : CAMPAIGN);
        assert_int_equal(store_cast(f->s, &votes[i].c), 0);
    }
    for (i = 39; i >= 0; i--)
        assert_int_equal(store_cast(s2, &votes[i].c), 0);
    table_digest(f->s, "box", d1);
    table_digest(s2, "box", d2);
    assert_memory_equal(d1, d2, 32);
    table_digest(f->s, "register", r1);
    table_digest(s2, "register", r2);
    assert_memory_equal(r1, r2, 32);
    assert_true(entries(f->s, "box") == 40 && entries(f->s, "register") == 40);
    memset(&ids, 0, sizeof ids);
    memset(&ids2, 0, sizeof ids2);
    assert_int_equal(store_each_ballot(f->s, CAMPAIGN, collect_ballot, &ids), 0);
    assert_int_equal(ids.n, 30);
    assert_int_equal(store_each_ballot(s2, CAMPAIGN, collect_ballot, &ids2), 0);
    assert_memory_equal(ids.id, ids2.id, sizeof ids.id);
    for (i = 0, n = 0; i < 40; i++)
        if (i % 4 != 3) {
            in_order &= memcmp(ids.id[n], votes[i].id, 16) == 0;
            n++;
        }
    assert_false(in_order);
    memset(&ids, 0, sizeof ids);
    assert_int_equal(store_each_ballot(f->s, NULL, collect_ballot, &ids), 0);
    assert_int_equal(ids.n, 40);
    n = 0;
    assert_int_equal(store_each_ballot(f->s, NULL, stop_at_two, &n), 42);
    assert_int_equal(n, 2);
    store_close(s2);
    free(path2);
}

/* --- outbox ---------------------------------------------------------------- */

typedef struct walk_s {
    store_t *s;
    int n[3];
    uint8_t last[3][32];
    size_t lastlen[3];
    int done_every;       /* mark every item done from inside the walk */
} walk_t;

static int walk_outbox(void *arg, store_item_t kind, const char *campaign, const uint8_t *key,
                       size_t keylen)
{
    walk_t *w = arg;

    assert_true(kind == STORE_ITEM_BALLOT || kind == STORE_ITEM_REGISTER);
    assert_string_equal(campaign, CAMPAIGN);
    assert_int_equal(keylen, kind == STORE_ITEM_BALLOT ? 16 : PSEUD_LEN);
    /* (STORE-S5) key order within a kind, ballots before register entries */
    if (kind == STORE_ITEM_BALLOT)
        assert_int_equal(w->n[STORE_ITEM_REGISTER], 0);
    if (w->n[kind] > 0)
        assert_true(memcmp(w->last[kind], key, keylen) < 0);
    memcpy(w->last[kind], key, keylen);
    w->lastlen[kind] = keylen;
    w->n[kind]++;
    if (w->done_every)
        assert_int_equal(store_outbox_done(w->s, kind, key, keylen), 0);
    return 0;
}

static void test_outbox(void **state)
{
    fixture_t *f = *state;
    walk_t w;
    vote_t v[10];
    int64_t n = -1;
    int i;

    for (i = 0; i < 10; i++) {
        make_vote(&v[i], CAMPAIGN);
        assert_int_equal(store_cast(f->s, &v[i].c), 0);
    }
    assert_int_equal(store_outbox_count(f->s, &n), 0);
    assert_int_equal(n, 20);
    memset(&w, 0, sizeof w);
    w.s = f->s;
    assert_int_equal(store_outbox_each(f->s, walk_outbox, &w), 0);
    assert_int_equal(w.n[STORE_ITEM_BALLOT], 10);
    assert_int_equal(w.n[STORE_ITEM_REGISTER], 10);

    assert_int_equal(store_outbox_done(f->s, STORE_ITEM_BALLOT, v[3].id, 16), 0);
    assert_int_equal(store_outbox_done(f->s, STORE_ITEM_REGISTER, v[3].c.pseudonym, PSEUD_LEN), 0);
    assert_int_equal(store_outbox_count(f->s, &n), 0);
    assert_int_equal(n, 18);
    /* acknowledged twice: idempotent */
    assert_int_equal(store_outbox_done(f->s, STORE_ITEM_BALLOT, v[3].id, 16), 0);
    assert_int_equal(store_outbox_count(f->s, &n), 0);
    assert_int_equal(n, 18);
    /* the wrong kind for a key removes nothing */
    assert_int_equal(store_outbox_done(f->s, STORE_ITEM_REGISTER, v[4].id, 16), 0);
    assert_int_equal(store_outbox_count(f->s, &n), 0);
    assert_int_equal(n, 18);
    assert_int_equal(store_outbox_done(f->s, STORE_ITEM_BALLOT, v[4].id, 0), BN_EINVAL);

    /* syncing marks items done from inside the walk */
    memset(&w, 0, sizeof w);
    w.s = f->s;
    w.done_every = 1;
    assert_int_equal(store_outbox_each(f->s, walk_outbox, &w), 0);
    assert_int_equal(w.n[STORE_ITEM_BALLOT] + w.n[STORE_ITEM_REGISTER], 18);
    assert_int_equal(store_outbox_count(f->s, &n), 0);
    assert_int_equal(n, 0);
    /* the box and the register keep everything */
    assert_counts(f->s, 10, 10, 0);

    /* a server that lost them: everything goes back in the outbox, once */
    assert_int_equal(store_outbox_requeue(f->s, CAMPAIGN, &n), 0);
    assert_int_equal(n, 20);
    assert_int_equal(store_outbox_requeue(f->s, CAMPAIGN, &n), 0);
    assert_int_equal(n, 0);
    memset(&w, 0, sizeof w);
    w.s = f->s;
    assert_int_equal(store_outbox_each(f->s, walk_outbox, &w), 0);
    assert_int_equal(w.n[STORE_ITEM_BALLOT], 10);
    assert_int_equal(w.n[STORE_ITEM_REGISTER], 10);
    assert_int_equal(store_outbox_requeue(f->s, "other", &n), 0);
    assert_int_equal(n, 0);
}

/* --- campaigns, meta --------------------------------------------------------- */

static void test_campaign_put_get(void **state)
{
    fixture_t *f = *state;
    uint8_t secret[32], back[32], *pkg = NULL;
    size_t len = 0;

    assert_int_equal(store_get_campaign(f->s, CAMPAIGN, &pkg, &len, back), 0);
    assert_int_equal(len, 7);
    assert_memory_equal(pkg, "package", 7);
    free(pkg);
    memset(secret, 0x5A, sizeof secret);
    assert_int_equal(store_put_campaign(f->s, CAMPAIGN, (const uint8_t *)"package v2", 10, secret), 0);
    assert_int_equal(store_get_campaign(f->s, CAMPAIGN, &pkg, &len, back), 0);
    assert_int_equal(len, 10);
    assert_memory_equal(pkg, "package v2", 10);
    assert_memory_equal(back, secret, 32);
    free(pkg);
    pkg = NULL;
    assert_int_equal(store_get_campaign(f->s, "missing", &pkg, &len, back), BN_ENOTFOUND);
    assert_null(pkg);
    assert_int_equal(store_put_campaign(f->s, "", (const uint8_t *)"x", 1, secret), BN_EINVAL);
}

static void test_meta(void **state)
{
    fixture_t *f = *state;
    char out[16];

    assert_int_equal(store_meta_get(f->s, "polls", out, sizeof out), BN_ENOTFOUND);
    assert_int_equal(store_meta_set(f->s, "polls", "open"), 0);
    assert_int_equal(store_meta_get(f->s, "polls", out, sizeof out), 0);
    assert_string_equal(out, "open");
    assert_int_equal(store_meta_set(f->s, "polls", "closed"), 0);
    assert_int_equal(store_meta_get(f->s, "polls", out, sizeof out), 0);
    assert_string_equal(out, "closed");
    assert_int_equal(store_meta_get(f->s, "polls", out, 6), BN_ETOOBIG);
    assert_int_equal(store_meta_get(f->s, "polls", out, 7), 0);
    assert_int_equal(store_meta_set(f->s, "empty", ""), 0);
    assert_int_equal(store_meta_get(f->s, "empty", out, sizeof out), 0);
    assert_string_equal(out, "");
    assert_int_equal(store_meta_set(f->s, "", "x"), BN_EINVAL);
}

/* --- audit ------------------------------------------------------------------- */

static void test_audit_chain(void **state)
{
    fixture_t *f = *state;
    uint8_t head[STORE_AUDIT_HASH_LEN], head2[STORE_AUDIT_HASH_LEN], zero[32] = {0};
    char why[256] = "";
    int64_t n = -1;

    assert_int_equal(store_audit_verify(f->s, head, &n, why, sizeof why), 0);
    assert_int_equal(n, 0);
    assert_memory_equal(head, zero, 32);
    assert_int_equal(store_audit_append(f->s, "package-loaded", CAMPAIGN), 0);
    assert_int_equal(store_audit_append(f->s, "polls-opened", "agent 12"), 0);
    assert_int_equal(store_audit_append(f->s, "pin-failure", NULL), 0);
    assert_int_equal(store_audit_append(f->s, "sync-done", "12 items"), 0);
    assert_int_equal(store_audit_append(f->s, "polls-closed", "é ok"), 0);
    assert_int_equal(store_audit_verify(f->s, head, &n, why, sizeof why), 0);
    assert_int_equal(n, 5);
    assert_memory_not_equal(head, zero, 32);
    assert_int_equal(store_audit_append(f->s, "", "x"), BN_EINVAL);
    assert_int_equal(store_audit_append(f->s, "bad event", "x"), BN_EINVAL);

    /* a tampered detail: the first bad entry is named */
    assert_int_equal(sqlite3_exec(store__db(f->s), "UPDATE audit SET detail = 'agent 13' "
                                                   "WHERE seq = 2", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(store_audit_verify(f->s, head2, &n, why, sizeof why), BN_ECORRUPT);
    assert_non_null(strstr(why, "entry 2"));
    assert_int_equal(sqlite3_exec(store__db(f->s), "UPDATE audit SET detail = 'agent 12' "
                                                   "WHERE seq = 2", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(store_audit_verify(f->s, head2, &n, why, sizeof why), 0);
    assert_memory_equal(head, head2, 32);
    /* a tampered time */
    assert_int_equal(sqlite3_exec(store__db(f->s), "UPDATE audit SET time = time + 1 "
                                                   "WHERE seq = 4", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(store_audit_verify(f->s, head2, &n, why, sizeof why), BN_ECORRUPT);
    assert_non_null(strstr(why, "entry 4"));
    assert_int_equal(sqlite3_exec(store__db(f->s), "UPDATE audit SET time = time - 1 "
                                                   "WHERE seq = 4", NULL, NULL, NULL), SQLITE_OK);
    /* a removed entry */
    assert_int_equal(sqlite3_exec(store__db(f->s), "DELETE FROM audit WHERE seq = 3", NULL,
                                  NULL, NULL), SQLITE_OK);
    assert_int_equal(store_audit_verify(f->s, head2, &n, why, sizeof why), BN_ECORRUPT);
    assert_non_null(strstr(why, "entry 4"));
}

/* (STORE-S4) casting never writes the audit log */
static void test_cast_never_audits(void **state)
{
    fixture_t *f = *state;
    int64_t n = -1;
    vote_t v;
    int i;

    assert_int_equal(store_audit_append(f->s, "polls-opened", ""), 0);
    for (i = 0; i < 25; i++) {
        make_vote(&v, CAMPAIGN);
        assert_int_equal(store_cast(f->s, &v.c), 0);
    }
    /* a refused cast does not either */
    v.id[0] ^= 1;
    assert_int_equal(store_cast(f->s, &v.c), BN_EALREADY);
    assert_int_equal(query_int(f->s, "SELECT count(*) FROM audit"), 1);
    assert_int_equal(store_audit_verify(f->s, NULL, &n, NULL, 0), 0);
    assert_int_equal(n, 1);
}

/* --- schema 2: petition signatures -------------------------------------------- */

static void columns(store_t *s, const char *table, char *out, size_t cap);

/* A stand-in for a sealed petition record (opaque to the store but for the
 * canton field at offset 74, which the kiosk's counters read). */
typedef struct sig_s {
    store_sign_t c;
    uint8_t id[16];
    uint8_t rec[555];
} sig_t;

static void make_sig(sig_t *g, const char *campaign, const char *canton)
{
    memset(g, 0, sizeof *g);
    fill_random(g->c.pseudonym, sizeof g->c.pseudonym);
    fill_random(g->id, sizeof g->id);
    fill_random(g->rec, sizeof g->rec);
    memcpy(g->rec, "BRNS", 4);
    memcpy(g->rec + 10, g->id, 16);
    memset(g->rec + 74, 0, 16);
    memcpy(g->rec + 74, canton, strlen(canton));
    g->c.campaign = campaign;
    g->c.day = DAY;
    g->c.offline = 1;
    g->c.sig_id = g->id;
    g->c.record = g->rec;
    g->c.record_len = sizeof g->rec;
}

/* Copies the fixture file src to path; returns its bytes (len in *len;
 * the caller frees them). */
static uint8_t *fixture_copy(const char *src, const char *path, size_t *len)
{
    uint8_t *bytes = tu_read(src, len);

    assert_non_null(bytes);
    assert_int_equal(tu_write(path, bytes, *len), 0);
    return bytes;
}

/* The fixture file src still holds exactly `bytes` (a migration works on
 * the copy). */
static void fixture_untouched(const char *src, const uint8_t *bytes, size_t len)
{
    size_t len2 = 0;
    uint8_t *again = tu_read(src, &len2);

    assert_non_null(again);
    assert_int_equal(len2, len);
    assert_memory_equal(again, bytes, len);
    free(again);
}

/* A copy of tests/vectors/store/v1.db, a store written by the schema-1
 * code (3 ballots of bp-2026, their 6 outbox items, one audit entry), opens
 * with this code: migrated to the current version in place (1 -> 2 -> 3 -> 4), nothing lost, and it
 * takes signatures. */
static void test_migrate_v1_fixture(void **state)
{
    fixture_t *f = *state;
    char *src = tu_vector("store/v1.db"), *path = tu_path(f->dir, "v1.db"), why[256] = "";
    uint8_t *bytes;
    size_t len = 0;
    store_t *s = NULL;
    int64_t reg = -1, box = -1, out = -1, n = -1, nsig = -1, ncan = -1;
    sig_t g;

    bytes = fixture_copy(src, path, &len);
    {
        sqlite3 *db = NULL;
        sqlite3_stmt *st = NULL;

        /* it is a version-1 store, whose outbox refuses kind 3 */
        assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
        assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        assert_int_equal(sqlite3_column_int(st, 0), 1);
        sqlite3_finalize(st);
        sqlite3_close(db);
    }
    assert_int_equal(store_open(path, &s, why, sizeof why), 0);
    assert_int_equal(query_int(s, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
    assert_int_equal(store_check(s, why, sizeof why), 0);
    /* through 2 -> 3 as well: no counter is made up for earlier entries */
    assert_int_equal(query_int(s, "SELECT count(*) FROM turnout"), 0);
    assert_int_equal(store_counts(s, CAMPAIGN, &reg, &box), 0);
    assert_int_equal(store_outbox_count(s, &out), 0);
    assert_int_equal(reg, 3);
    assert_int_equal(box, 3);
    assert_int_equal(out, 6);
    assert_int_equal(store_audit_verify(s, NULL, &n, why, sizeof why), 0);
    assert_int_equal(n, 1);
    /* through 3 -> 4: (STORE-S12) no outbox table left, nor a table of a step */
    assert_int_equal(query_int(s, "SELECT count(*) FROM sqlite_master WHERE name LIKE "
                                  "'outbox%' OR name LIKE '%_v4' OR name LIKE '%_grow'"), 0);
    make_sig(&g, CAMPAIGN, "rennes-1");
    assert_int_equal(store_sign(s, &g.c), 0);
    assert_int_equal(store_petition_counts(s, CAMPAIGN, &nsig, &ncan), 0);
    assert_int_equal(nsig, 1);
    assert_int_equal(ncan, 1);
    assert_int_equal(store_outbox_count(s, &out), 0);
    assert_int_equal(out, 7);
    store_close(s);
    /* reopened: nothing more to migrate */
    assert_int_equal(store_open(path, &s, why, sizeof why), 0);
    assert_int_equal(query_int(s, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
    store_close(s);
    fixture_untouched(src, bytes, len);
    free(bytes);
    free(src);
    free(path);
}

/* One integer that `sql` reads from a store file, with SQLite alone (not
 * store_open, which would migrate it). */
static int file_int(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int v = -1;

    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

static int file_version(const char *path)
{
    return file_int(path, "PRAGMA user_version");
}

/* Writes the fixture's bytes to path, runs `sabotage` on it with SQLite so
 * that a migration step fails, and checks that store_open refuses it. */
static void open_sabotaged(const char *path, const uint8_t *bytes, size_t len,
                           const char *sabotage)
{
    store_t *s = (store_t *)1;
    sqlite3 *db = NULL;
    char why[256] = "";

    assert_int_equal(tu_write(path, bytes, len), 0);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sabotage, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_int_not_equal(store_open(path, &s, why, sizeof why), 0);
    assert_null(s);
}

/* (STORE-D4) A version-1 store on which the step 1 -> 2 fails halfway (a table
 * already named `signature`) stays a whole version-1 store. */
static void test_migration_is_one_transaction(void **state)
{
    fixture_t *f = *state;
    char *src = tu_vector("store/v1.db"), *path = tu_path(f->dir, "v1-bad.db");
    size_t len = 0;
    uint8_t *bytes = fixture_copy(src, path, &len);

    /* fails at the first statement of the step */
    open_sabotaged(path, bytes, len, "CREATE TABLE signature(x)");
    assert_int_equal(file_version(path), 1);
    assert_int_equal(file_int(path, "SELECT count(*) FROM sqlite_master WHERE name IN "
                                    "('outbox_v2') OR sql LIKE '%IN (1, 2, 3)%'"), 0);
    assert_int_equal(file_int(path, "SELECT count(*) FROM outbox"), 6);
    /* and a failure after `signature` was created (outbox_v2 is taken) */
    open_sabotaged(path, bytes, len, "CREATE VIEW outbox_v2 AS SELECT 1");
    assert_int_equal(file_int(path, "SELECT count(*) FROM sqlite_master WHERE name = "
                                    "'signature'"), 0);
    free(bytes);
    free(src);
    free(path);
}

/* Collects the turnout counters as "commune=n," text. */
static int collect_turnout(void *arg, const char *commune, int64_t n)
{
    char *out = arg;
    size_t len = strlen(out);

    snprintf(out + len, 256 - len, "%s=%lld,", commune, (long long)n);
    return 0;
}

static int stop_turnout(void *arg, const char *commune, int64_t n)
{
    (void)arg;
    (void)commune;
    (void)n;
    return 42;
}

/* A copy of tests/vectors/store/v2.db, written by the schema-2 code (3
 * ballots of bp-2026 with their entries, one signature of interp-2026 with
 * its entry, 5 outbox items, one audit entry), is migrated to version 3:
 * every row kept, the register, the box and the outbox exactly as they
 * were (no commune), an empty `turnout` (the communes of the 3 earlier
 * entries were never kept); new casts then count. */
static void test_migrate_v2_fixture(void **state)
{
    fixture_t *f = *state;
    char *src = tu_vector("store/v2.db"), *path = tu_path(f->dir, "v2.db"), why[256] = "";
    char cols[256], got[256] = "";
    uint8_t *bytes;
    size_t len = 0;
    store_t *s = NULL;
    int64_t reg = -1, box = -1, out = -1, n = -1;
    vote_t v;

    bytes = fixture_copy(src, path, &len);
    assert_int_equal(file_version(path), 2);
    assert_int_equal(store_open(path, &s, why, sizeof why), 0);
    assert_int_equal(query_int(s, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
    assert_int_equal(store_check(s, why, sizeof why), 0);
    assert_int_equal(store_counts(s, CAMPAIGN, &reg, &box), 0);
    assert_int_equal(reg, 3);
    assert_int_equal(box, 3);
    assert_int_equal(store_counts(s, "interp-2026", &reg, &box), 0);
    assert_int_equal(reg, 1);
    assert_int_equal(box, 0);
    /* (STORE-S12) everything unsent after the step: 3 ballots, their 3
     * entries, the signature (its record carries its entry) */
    assert_int_equal(store_outbox_count(s, &out), 0);
    assert_int_equal(out, 7);
    assert_int_equal(query_int(s, "SELECT count(*) FROM signature"), 1);
    assert_int_equal(store_audit_verify(s, NULL, &n, why, sizeof why), 0);
    assert_int_equal(n, 1);
    assert_int_equal(entries(s, "register"), 4);
    assert_int_equal(register_days(s, 20785, 0), 1);
    assert_int_equal(register_days(s, 20785, 1), 3);
    /* (STORE-S11) the register and the box became slot tables */
    columns(s, "register", cols, sizeof cols);
    assert_string_equal(cols, "b,cell");
    columns(s, "box", cols, sizeof cols);
    assert_string_equal(cols, "b,cell");
    columns(s, "turnout", cols, sizeof cols);
    assert_string_equal(cols, "campaign,commune,n");
    assert_int_equal(query_int(s, "SELECT count(*) FROM turnout"), 0);
    assert_int_equal(store_turnout_each(s, CAMPAIGN, collect_turnout, got), 0);
    assert_string_equal(got, "");
    /* a new cast counts */
    make_vote(&v, CAMPAIGN);
    v.c.commune = "2A004";
    assert_int_equal(store_cast(s, &v.c), 0);
    assert_int_equal(store_turnout_each(s, CAMPAIGN, collect_turnout, got), 0);
    assert_string_equal(got, "2A004=1,");
    store_close(s);
    /* reopened: nothing more to migrate */
    assert_int_equal(store_open(path, &s, why, sizeof why), 0);
    assert_int_equal(query_int(s, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
    assert_int_equal(entries(s, "register"), 5);
    assert_int_equal(query_int(s, "SELECT n FROM turnout"), 1);
    store_close(s);
    fixture_untouched(src, bytes, len);
    free(bytes);
    free(src);
    free(path);
}

/* (STORE-D4) A version-2 store on which the step 2 -> 3 fails (a table already
 * named `turnout`) stays a whole version-2 store. */
static void test_migration_2_3_is_one_transaction(void **state)
{
    fixture_t *f = *state;
    char *src = tu_vector("store/v2.db"), *path = tu_path(f->dir, "v2-bad.db");
    size_t len = 0;
    uint8_t *bytes = fixture_copy(src, path, &len);

    open_sabotaged(path, bytes, len, "CREATE VIEW turnout AS SELECT 1");
    assert_int_equal(file_version(path), 2);
    assert_int_equal(file_int(path, "SELECT count(*) FROM register"), 4);
    free(bytes);
    free(src);
    free(path);
}

/* The commune of a cast: 5 characters of [0-9AB], or the cast is refused
 * and nothing is written; counted per commune in the cast's transaction;
 * a refused cast (double vote) counts nothing; a petition counts nothing. */
static void test_cast_turnout(void **state)
{
    fixture_t *f = *state;
    static const char *const bad[] = {NULL, "", "3523", "352380", "35 38", "2a004", "2C004",
                                      "3523\xc3", "unkno"};
    static const char *const good[] = {"35360", "35238", "2B033", "35238", "35238", "35360"};
    char got[256] = "";
    size_t i;
    vote_t v, again;
    sig_t g;

    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        make_vote(&v, CAMPAIGN);
        v.c.commune = bad[i];
        assert_int_equal(store_cast(f->s, &v.c), BN_EINVAL);
        assert_int_equal(store_commune_valid(bad[i]), 0);
    }
    assert_int_equal(entries(f->s, "register"), 0);
    assert_int_equal(entries(f->s, "box"), 0);
    assert_counts(f->s, 0, 0, 0);
    assert_int_equal(query_int(f->s, "SELECT count(*) FROM turnout"), 0);
    /* nor can SQL put a bad one there, or a count of 0 */
    assert_int_not_equal(sqlite3_exec(store__db(f->s), "INSERT INTO turnout VALUES "
                                      "('bp-2026', '35 38', 1)", NULL, NULL, NULL), SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(store__db(f->s), "INSERT INTO turnout VALUES "
                                      "('bp-2026', '35238', 0)", NULL, NULL, NULL), SQLITE_OK);
    for (i = 0; i < sizeof good / sizeof good[0]; i++) {
        make_vote(&v, CAMPAIGN);
        v.c.commune = good[i];
        assert_int_equal(store_cast(f->s, &v.c), 0);
    }
    /* the same person again: refused, not counted */
    again = v;
    fill_random(again.id, sizeof again.id);
    again.c.ballot_id = again.id;
    again.c.ballot = again.ballot;
    assert_int_equal(store_cast(f->s, &again.c), BN_EALREADY);
    make_sig(&g, CAMPAIGN, "rennes-1");
    assert_int_equal(store_sign(f->s, &g.c), 0);
    assert_int_equal(store_turnout_each(f->s, CAMPAIGN, collect_turnout, got), 0);
    assert_string_equal(got, "2B033=1,35238=3,35360=2,");
    got[0] = '\0';
    assert_int_equal(store_turnout_each(f->s, "other", collect_turnout, got), 0);
    assert_string_equal(got, "");
    assert_int_equal(store_turnout_each(f->s, CAMPAIGN, stop_turnout, NULL), 42);
    assert_int_equal(store_turnout_each(f->s, NULL, collect_turnout, got), BN_EINVAL);
    assert_int_equal(store_turnout_each(NULL, CAMPAIGN, collect_turnout, got), BN_EINVAL);
    /* a row that breaks the schema (written behind the store's back) */
    assert_int_equal(sqlite3_exec(store__db(f->s), "PRAGMA ignore_check_constraints = ON;"
                                  "UPDATE turnout SET n = 0 WHERE commune = '2B033';"
                                  "PRAGMA ignore_check_constraints = OFF", NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(store_turnout_each(f->s, CAMPAIGN, collect_turnout, got), BN_ECORRUPT);
}

static int collect_sig(void *arg, const uint8_t *rec, size_t len)
{
    uint8_t (*ids)[16] = arg;
    size_t i = 0;

    assert_int_equal(len, 555);
    while (ids[i][0] != 0 || memcmp(ids[i], ids[i] + 1, 15) != 0)
        i++;
    memcpy(ids[i], rec + 10, 16);
    return 0;
}

static void test_sign(void **state)
{
    fixture_t *f = *state;
    sig_t g[6], again;
    uint8_t ids[8][16], *out = NULL;
    size_t len = 0;
    int64_t n = -1, c = -1, o = -1;
    int i;

    for (i = 0; i < 5; i++) {
        make_sig(&g[i], CAMPAIGN, i < 3 ? "rennes-1" : i == 3 ? "betton" : "dol");
        assert_int_equal(store_sign(f->s, &g[i].c), 0);
    }
    assert_int_equal(store_petition_counts(f->s, CAMPAIGN, &n, &c), 0);
    assert_int_equal(n, 5);
    assert_int_equal(c, 3);
    assert_int_equal(store_outbox_count(f->s, &o), 0);
    assert_int_equal(o, 5); /* one item a signature: the record carries the pseudonym */
    assert_int_equal(outbox_kind(f->s, STORE_ITEM_SIGNATURE, 16), 5);
    assert_int_equal(entries(f->s, "register"), 5);
    assert_int_equal(store_has_voted(f->s, CAMPAIGN, g[2].c.pseudonym), 1);
    /* the same person again: refused, nothing written */
    make_sig(&again, CAMPAIGN, "betton");
    memcpy(again.c.pseudonym, g[1].c.pseudonym, PSEUD_LEN);
    assert_int_equal(store_sign(f->s, &again.c), BN_EALREADY);
    /* a signature id already there */
    make_sig(&g[5], CAMPAIGN, "betton");
    memcpy(g[5].id, g[0].id, 16);
    assert_int_equal(store_sign(f->s, &g[5].c), BN_EEXISTS);
    /* a campaign the store does not have */
    make_sig(&again, "unknown", "betton");
    assert_int_equal(store_sign(f->s, &again.c), BN_ENOTFOUND);
    /* a ballot voter cannot sign with the same pseudonym (one register) */
    {
        vote_t v;

        make_vote(&v, CAMPAIGN);
        memcpy(v.c.pseudonym, g[4].c.pseudonym, PSEUD_LEN);
        assert_int_equal(store_cast(f->s, &v.c), BN_EALREADY);
    }
    assert_int_equal(store_petition_counts(f->s, CAMPAIGN, &n, &c), 0);
    assert_int_equal(n, 5);
    assert_int_equal(store_outbox_count(f->s, &o), 0);
    assert_int_equal(o, 5);
    assert_int_equal(entries(f->s, "register"), 5);
    assert_int_equal(entries(f->s, "box"), 0);
    /* read back, in id order */
    assert_int_equal(store_get_signature(f->s, g[3].id, &out, &len), 0);
    assert_int_equal(len, 555);
    assert_memory_equal(out, g[3].rec, 555);
    free(out);
    {
        uint8_t unknown[16] = {0xEE, 1, 2, 3};

        assert_int_equal(store_get_signature(f->s, unknown, &out, &len), BN_ENOTFOUND);
    }
    memset(ids, 0, sizeof ids);
    assert_int_equal(store_each_signature(f->s, CAMPAIGN, collect_sig, ids), 0);
    for (i = 1; i < 5; i++)
        assert_true(memcmp(ids[i - 1], ids[i], 16) < 0);
    memset(ids, 0, sizeof ids);
    assert_int_equal(store_each_signature(f->s, NULL, collect_sig, ids), 0);
    assert_true(memcmp(ids[4], "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16) != 0);
    /* synced: the outbox empties, the records stay */
    for (i = 0; i < 5; i++)
        assert_int_equal(store_outbox_done(f->s, STORE_ITEM_SIGNATURE, g[i].id, 16), 0);
    assert_int_equal(store_outbox_count(f->s, &o), 0);
    assert_int_equal(o, 0);
    assert_int_equal(store_petition_counts(f->s, CAMPAIGN, &n, &c), 0);
    assert_int_equal(n, 5);
}

/* (STORE-S8) what holds for signatures: random key, no rowid, the day only, no
 * audit entry, a record within its page; and what does not: the pseudonym
 * is shared with the register on purpose. */
static void test_s8_signatures(void **state)
{
    fixture_t *f = *state;
    char cols[256];
    sig_t g;
    int i;

    columns(f->s, "signature", cols, sizeof cols);
    assert_string_equal(cols, "sig_id,campaign,record");
    assert_int_equal(query_int(f->s, "SELECT count(*) FROM pragma_table_info('signature') "
                                     "WHERE pk > 0 AND name = 'sig_id'"), 1);
    assert_int_equal(query_int(f->s, "SELECT count(*) FROM sqlite_master WHERE name = "
                                     "'signature' AND upper(sql) LIKE '%WITHOUT ROWID%'"), 1);
    assert_int_equal(store_audit_append(f->s, "polls-opened", ""), 0);
    for (i = 0; i < 20; i++) {
        make_sig(&g, CAMPAIGN, "rennes-1");
        assert_int_equal(store_sign(f->s, &g.c), 0);
    }
    assert_int_equal(query_int(f->s, "SELECT count(*) FROM audit"), 1);
    /* (STORE-S7) no overflow page for a record: a larger one is refused */
    {
        static uint8_t big[3000];

        make_sig(&g, CAMPAIGN, "rennes-1");
        g.c.record = big;
        g.c.record_len = sizeof big;
        assert_int_equal(store_sign(f->s, &g.c), BN_ETOOBIG);
    }
    /* the signatures are read in id order, whatever the insertion order */
    assert_int_equal(query_int(f->s, "SELECT count(*) FROM (SELECT sig_id, lag(sig_id) OVER "
                                     "(ORDER BY sig_id) AS p FROM signature) WHERE p >= sig_id"),
                     0);
}

/* --- secrecy invariants: the schema itself ------------------------------------- */

/* Column names of a table, comma-separated in order. */
static void columns(store_t *s, const char *table, char *out, size_t cap)
{
    sqlite3_stmt *st = NULL;
    char sql[128];

    out[0] = '\0';
    snprintf(sql, sizeof sql, "SELECT name FROM pragma_table_info('%s') ORDER BY cid", table);
    assert_int_equal(sqlite3_prepare_v2(store__db(s), sql, -1, &st, NULL), SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (out[0] != '\0')
            strncat(out, ",", cap - strlen(out) - 1);
        strncat(out, (const char *)sqlite3_column_text(st, 0), cap - strlen(out) - 1);
    }
    sqlite3_finalize(st);
}

/* (STORE-S1) (STORE-S3) (STORE-S11) The register and the box are slot tables
 * (a bucket number, a blob) tied by nothing: no index, view or trigger; a
 * register entry holds its campaign, pseudonym, day and flags, nothing of
 * a ballot (no value of one is in the other's bytes); no time anywhere. */
static void test_s1_no_common_key(void **state)
{
    fixture_t *f = *state;
    char reg[256], box[256], out[256];
    vote_t v;
    uint8_t *file;
    size_t len = 0, i;
    int hits = 0;

    columns(f->s, "register", reg, sizeof reg);
    columns(f->s, "box", box, sizeof box);
    assert_string_equal(reg, "b,cell");
    assert_string_equal(box, "b,cell");
    /* (STORE-S9) the counters: a count per (campaign, commune), no key of the
     * register or the box, no day; no commune anywhere else */
    columns(f->s, "turnout", out, sizeof out);
    assert_string_equal(out, "campaign,commune,n");
    assert_int_equal(query_int(f->s, "SELECT count(*) FROM pragma_table_info('turnout') "
                                     "WHERE pk > 0"), 2);
    assert_int_equal(query_int(f->s, "SELECT count(*) FROM sqlite_master WHERE name <> "
                                     "'turnout' AND sql LIKE '%commune%'"), 0);
    /* no index or view or trigger ties them either */
    assert_int_equal(query_int(f->s, "SELECT count(*) FROM sqlite_master "
                                     "WHERE type IN ('view', 'trigger')"), 0);
    assert_int_equal(query_int(f->s, "SELECT count(*) FROM sqlite_master WHERE type = 'index' "
                                     "AND sql IS NOT NULL"), 0);
    /* a cast: its pseudonym is in the register's bytes only, its ballot id
     * and body in the box's only */
    make_vote(&v, CAMPAIGN);
    assert_int_equal(store_cast(f->s, &v.c), 0);
    assert_int_equal(query_int(f->s, "SELECT count(*) FROM register WHERE instr(cell, "
                                     "(SELECT cell FROM box WHERE b = -1)) > 0"), 0);
    {
        sqlite3_stmt *st = NULL;

        assert_int_equal(sqlite3_prepare_v2(store__db(f->s),
                                            "SELECT (SELECT count(*) FROM register WHERE "
                                            "instr(cell, ?1) > 0), (SELECT count(*) FROM box "
                                            "WHERE instr(cell, ?1) > 0), (SELECT count(*) FROM "
                                            "register WHERE instr(cell, ?2) > 0), (SELECT "
                                            "count(*) FROM box WHERE instr(cell, ?2) > 0)",
                                            -1, &st, NULL), SQLITE_OK);
        sqlite3_bind_blob(st, 1, v.c.pseudonym, PSEUD_LEN, SQLITE_STATIC);
        sqlite3_bind_blob(st, 2, v.id, 16, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        assert_int_equal(sqlite3_column_int(st, 0), 1);
        assert_int_equal(sqlite3_column_int(st, 1), 0);
        assert_int_equal(sqlite3_column_int(st, 2), 0);
        assert_int_equal(sqlite3_column_int(st, 3), 1);
        sqlite3_finalize(st);
    }
    /* (STORE-S3) no time column anywhere in cast data, and no time in the
     * file's bytes beyond the day */
    assert_int_equal(query_int(f->s,
                               "SELECT count(*) FROM pragma_table_info('signature') "
                               "WHERE name LIKE '%time%' OR name LIKE '%stamp%' OR name LIKE '%at'"),
                     0);
    store_close(f->s);
    f->s = NULL;
    file = tu_read(f->path, &len);
    assert_non_null(file);
    {
        uint32_t now = (uint32_t)time(NULL);

        /* the seconds of this minute, big- or little-endian, as 4 bytes */
        for (i = 0; i + 4 <= len; i++) {
            uint32_t be = (uint32_t)file[i] << 24 | (uint32_t)file[i + 1] << 16 |
                          (uint32_t)file[i + 2] << 8 | file[i + 3];
            uint32_t le = (uint32_t)file[i + 3] << 24 | (uint32_t)file[i + 2] << 16 |
                          (uint32_t)file[i + 1] << 8 | file[i];

            hits += (be > now - 120 && be <= now) || (le > now - 120 && le <= now);
        }
    }
    free(file);
    /* the audit log's one entry (made at open? none here) is the only place
     * a time may be: the fixture wrote none */
    assert_int_equal(hits, 0);
    assert_int_equal(store_open(f->path, &f->s, NULL, 0), 0);
}

/* (STORE-S2) (STORE-S11) No AUTOINCREMENT anywhere; the register and the box
 * are rowid tables whose rowids are bucket numbers, all made with the table:
 * a cast adds no row, removes none and moves none (the rowids and the
 * number of pages stay; only the cells of its buckets change, in place);
 * the other tables of cast data are WITHOUT ROWID, keyed by random ids. */
static void test_s2_no_rowid_no_autoincrement(void **state)
{
    fixture_t *f = *state;
    sqlite3_stmt *st = NULL;
    static const char *const keyed[] = {"signature", "turnout"};
    char sql[128];
    size_t i;
    int64_t rows_box, rows_reg, pages;
    vote_t v;

    assert_int_equal(query_int(f->s, "SELECT count(*) FROM sqlite_master "
                                     "WHERE upper(sql) LIKE '%AUTOINCREMENT%'"), 0);
    assert_int_equal(query_int(f->s, "SELECT count(*) FROM sqlite_master "
                                     "WHERE name = 'sqlite_sequence'"), 0);
    for (i = 0; i < sizeof keyed / sizeof keyed[0]; i++) {
        snprintf(sql, sizeof sql, "SELECT count(*) FROM sqlite_master WHERE name = '%s' AND "
                 "upper(sql) LIKE '%%WITHOUT ROWID%%'", keyed[i]);
        assert_int_equal(query_int(f->s, sql), 1);
        snprintf(sql, sizeof sql, "SELECT rowid FROM %s", keyed[i]);
        assert_int_not_equal(sqlite3_prepare_v2(store__db(f->s), sql, -1, &st, NULL), SQLITE_OK);
        sqlite3_finalize(st);
        st = NULL;
    }
    rows_box = query_int(f->s, "SELECT count(*) FROM box");
    rows_reg = query_int(f->s, "SELECT count(*) FROM register");
    pages = query_int(f->s, "PRAGMA page_count");
    assert_true(rows_box > 1 && rows_reg > 1);
    for (i = 0; i < 10; i++) {
        make_vote(&v, CAMPAIGN);
        assert_int_equal(store_cast(f->s, &v.c), 0);
    }
    assert_int_equal(query_int(f->s, "SELECT count(*) FROM box"), rows_box);
    assert_int_equal(query_int(f->s, "SELECT count(*) FROM register"), rows_reg);
    assert_int_equal(query_int(f->s, "SELECT min(b) FROM box"), -1);
    assert_int_equal(query_int(f->s, "SELECT max(b) FROM box"), rows_box - 2);
    /* the turnout row of the one commune is the only new cell: at most a page */
    assert_true(query_int(f->s, "PRAGMA page_count") <= pages + 1);
}

static int file_contains(const char *path, const uint8_t *needle, size_t n)
{
    uint8_t *file;
    size_t len, i;
    int found = 0;

    file = tu_read(path, &len);
    assert_non_null(file);
    for (i = 0; i + n <= len; i++)
        if (memcmp(file + i, needle, n) == 0)
            found++;
    free(file);
    return found;
}

/* (STORE-S6) What is rolled back or dropped does not stay in the file: a
 * cast refused after its register entry was written (a ballot id already
 * there), and the tables left behind when the box and the register grew
 * (40 casts: both grow once). Each ballot id is in the file twice (the
 * slot's key and the ballot body), each pseudonym once. */
static void test_s6_secure_delete(void **state)
{
    fixture_t *f = *state;
    static vote_t v[40];
    vote_t refused;
    int i;

    for (i = 0; i < 40; i++) {
        make_vote(&v[i], CAMPAIGN);
        assert_int_equal(store_cast(f->s, &v[i].c), 0);
    }
    make_vote(&refused, CAMPAIGN);
    memcpy(refused.id, v[0].id, 16);
    assert_int_equal(store_cast(f->s, &refused.c), BN_EEXISTS);
    store_close(f->s);
    f->s = NULL;
    for (i = 0; i < 40; i++) {
        assert_int_equal(file_contains(f->path, v[i].id, 16), 2);
        assert_int_equal(file_contains(f->path, v[i].c.pseudonym, PSEUD_LEN), 1);
    }
    assert_int_equal(file_contains(f->path, refused.c.pseudonym, PSEUD_LEN), 0);
    assert_int_equal(file_contains(f->path, refused.ballot + 40, 32), 0);
    assert_int_equal(store_open(f->path, &f->s, NULL, 0), 0);
}

/* --- speed ------------------------------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

/* The store's part of a cast (a transaction with its fsyncs), measured; the
 * bar for the whole cast is a few ms (DESIGN.md), signing excluded here. */
static void test_cast_time(void **state)
{
    fixture_t *f = *state;
    enum { N = 300 };
    static double t[N];
    struct timespec a, b;
    vote_t v;
    int i;

    for (i = 0; i < N; i++) {
        make_vote(&v, CAMPAIGN);
        clock_gettime(CLOCK_MONOTONIC, &a);
        assert_int_equal(store_cast(f->s, &v.c), 0);
        clock_gettime(CLOCK_MONOTONIC, &b);
        t[i] = (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6;
    }
    qsort(t, N, sizeof t[0], cmp_double);
    printf("store_cast: median %.3f ms, p90 %.3f ms, max %.3f ms (%d casts)\n", t[N / 2],
           t[N * 9 / 10], t[N - 1], N);
    /* loose: a regression by an order of magnitude, not a benchmark */
    assert_true(t[N / 2] < 50.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_fresh_store_is_version_8, setup, teardown),
        cmocka_unit_test_setup_teardown(test_migrate_v1_fixture, setup, teardown),
        cmocka_unit_test_setup_teardown(test_migration_is_one_transaction, setup, teardown),
        cmocka_unit_test_setup_teardown(test_migrate_v2_fixture, setup, teardown),
        cmocka_unit_test_setup_teardown(test_migration_2_3_is_one_transaction, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cast_turnout, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sign, setup, teardown),
        cmocka_unit_test_setup_teardown(test_s8_signatures, setup, teardown),
        cmocka_unit_test_setup_teardown(test_newer_schema_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_s10_file_modes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_not_a_database_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_foreign_database_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cannot_open, setup, teardown),
        cmocka_unit_test_setup_teardown(test_truncated_file_is_corrupt, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pragmas_in_effect, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cast_then_double_cast, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failed_cast_writes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_s7_no_overflow_pages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_full_disk, setup, teardown),
        cmocka_unit_test_setup_teardown(test_each_ballot_order_is_history_free, setup, teardown),
        cmocka_unit_test_setup_teardown(test_outbox, setup, teardown),
        cmocka_unit_test_setup_teardown(test_campaign_put_get, setup, teardown),
        cmocka_unit_test_setup_teardown(test_meta, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_chain, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cast_never_audits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_s1_no_common_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_s2_no_rowid_no_autoincrement, setup, teardown),
        cmocka_unit_test_setup_teardown(test_s13_ideas, setup, teardown),
        cmocka_unit_test_setup_teardown(test_s14_texts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_migrate_7_8_texts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_s6_secure_delete, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cast_time, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
