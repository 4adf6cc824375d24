/* store_slot.c - the box and the register as hashed slot tables, whose
 * layout in the file depends on what they hold, never on when it came.
 *
 * A slot table is a rowid table of fixed-size buckets (store_int.h):
 * bucket b is row b, a blob of 1 + K * E bytes (a count, K entries of E
 * bytes sorted by key, zeros). All buckets exist, empty, from the moment
 * the table is made, and a cast rewrites a bucket with a blob of exactly
 * the same size, which SQLite writes over the old one where it lies
 * (btree.c, "overwrite"): no cell is added, moved or freed by a cast.
 *
 * (STORE-S11) History independence. An entry goes to its home bucket (4
 *      random bytes of it: the ballot's random id, the pseudonym's HMAC
 *      output, modulo the number of buckets) or, when that bucket is full,
 *      on along the next buckets (linear probing); inside a bucket the
 *      entries are sorted by key, and a full bucket keeps its K smallest
 *      keys and passes the largest on (ordered hashing, Amble and Knuth
 *      1974). The table that results is the same whatever the order the
 *      entries came in: a function of the set of entries and of the
 *      number of buckets, which itself depends only on how many entries
 *      there are (doubled when an entry would make the table more than
 *      half full, by adding every entry again to a new table). So no
 *      byte of the file, no page, no cell offset tells which entry came
 *      first, and the ballots lie in the order of their random ids' hash.
 *      Tested by tests/fault/test_secrecy.c (linking attack after every
 *      cast; the same set cast in two orders gives the same bytes).
 *
 * Lookups follow the same probe: from the home bucket while buckets are
 * full. A bucket never loses an entry, so every bucket an entry passed is
 * still full, and a lookup that meets a bucket with room stops there. */
#include "store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/platform_util.h>

#include "bn_err.h"

const slot_spec_t store_box_spec = {
    .table = "box", .entry_len = BOX_ENTRY_LEN, .key_len = 16, .home_off = BOX_OFF_ID,
    .per_bucket = 1, .first_buckets = 64,
};

const slot_spec_t store_reg_spec = {
    .table = "register", .entry_len = REG_ENTRY_LEN, .key_len = REG_OFF_DAY,
    .home_off = REG_OFF_PSEUDONYM, .per_bucket = 16, .first_buckets = 16,
};

/* (STORE-S14) free texts: one part a bucket, homed by the text's random id */
const slot_spec_t store_qt_spec = {
    .table = "qtext_box", .entry_len = QT_ENTRY_LEN, .key_len = QT_OFF_PARTS,
    .home_off = QT_OFF_ID, .per_bucket = 1, .first_buckets = 32,
};

/* voting codes: the home bucket from the keyed hash of the code */
const slot_spec_t store_vci_spec = {
    .table = "vcode_issued", .entry_len = VC_ISSUED_LEN, .key_len = VC_OFF_DAY,
    .home_off = VC_OFF_HASH, .per_bucket = 16, .first_buckets = 16,
};

const slot_spec_t store_vcu_spec = {
    .table = "vcode_used", .entry_len = VC_USED_LEN, .key_len = VC_USED_LEN,
    .home_off = VC_OFF_HASH, .per_bucket = 16, .first_buckets = 16,
};

_Static_assert(1 + 16 * VC_ISSUED_LEN <= SLOT_MAX_CELL, "a voting code bucket fits");
_Static_assert(1 + BOX_ENTRY_LEN <= SLOT_MAX_CELL, "a box bucket fits in a cell buffer");
_Static_assert(1 + 16 * REG_ENTRY_LEN <= SLOT_MAX_CELL, "a register bucket fits");
_Static_assert(BOX_ENTRY_LEN <= SLOT_MAX_ENTRY, "a box entry fits");

#define HEADER_ROW (-1)

static size_t cell_len(const slot_spec_t *sp)
{
    return 1 + (size_t)sp->per_bucket * sp->entry_len;
}

static void put64(uint8_t *p, int64_t v)
{
    int i;

    for (i = 7; i >= 0; i--, v >>= 8)
        p[i] = (uint8_t)(v & 0xFF);
}

static int64_t get64(const uint8_t *p)
{
    uint64_t v = 0;
    int i;

    for (i = 0; i < 8; i++)
        v = v << 8 | p[i];
    return (int64_t)v;
}

static int64_t home(const slot_spec_t *sp, const uint8_t *entry, int64_t nb)
{
    const uint8_t *h = entry + sp->home_off;
    uint32_t v = (uint32_t)h[0] << 24 | (uint32_t)h[1] << 16 | (uint32_t)h[2] << 8 | h[3];

    return (int64_t)(v % (uint64_t)nb);
}

static int step_done(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);

    sqlite3_reset(st);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int slot_create(sqlite3 *db, const slot_spec_t *sp, const char *name, int64_t nb)
{
    char sql[160];
    sqlite3_stmt *st = NULL;
    uint8_t hdr[16];
    int64_t b;
    int rc;

    snprintf(sql, sizeof sql, "CREATE TABLE \"%s\"(b INTEGER PRIMARY KEY, cell BLOB NOT NULL)",
             name);
    if ((rc = sqlite3_exec(db, sql, NULL, NULL, NULL)) != SQLITE_OK)
        return store__rc(rc);
    snprintf(sql, sizeof sql, "INSERT INTO \"%s\"(b, cell) VALUES (?1, zeroblob(?2))", name);
    if ((rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL)) != SQLITE_OK)
        return store__rc(rc);
    /* every bucket now, in bucket order: later casts only overwrite them */
    for (b = 0; b < nb && rc == SQLITE_OK; b++) {
        sqlite3_bind_int64(st, 1, b);
        sqlite3_bind_int(st, 2, (int)cell_len(sp));
        rc = step_done(st);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_OK)
        return store__rc(rc);
    snprintf(sql, sizeof sql, "INSERT INTO \"%s\"(b, cell) VALUES (%d, ?1)", name, HEADER_ROW);
    if ((rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL)) != SQLITE_OK)
        return store__rc(rc);
    put64(hdr, nb);
    put64(hdr + 8, 0);
    sqlite3_bind_blob(st, 1, hdr, sizeof hdr, SQLITE_STATIC);
    rc = step_done(st);
    sqlite3_finalize(st);
    return store__rc(rc);
}

int slot_open(sqlite3 *db, const slot_spec_t *sp, const char *name, slot_tab_t *t)
{
    char sql[128];
    int rc;

    memset(t, 0, sizeof *t);
    t->spec = sp;
    t->name = name;
    snprintf(sql, sizeof sql, "SELECT cell FROM \"%s\" WHERE b = ?1", name);
    rc = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &t->get, NULL);
    if (rc == SQLITE_OK) {
        snprintf(sql, sizeof sql, "UPDATE \"%s\" SET cell = ?2 WHERE b = ?1", name);
        rc = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &t->put, NULL);
    }
    if (rc != SQLITE_OK) {
        slot_close(t);
        return store__rc(rc);
    }
    return 0;
}

void slot_close(slot_tab_t *t)
{
    sqlite3_finalize(t->get);
    sqlite3_finalize(t->put);
    t->get = t->put = NULL;
}

/* Reads row b into buf (len bytes exactly, or BN_ECORRUPT). */
static int read_row(slot_tab_t *t, int64_t b, uint8_t *buf, size_t len)
{
    int rc;

    sqlite3_bind_int64(t->get, 1, b);
    rc = sqlite3_step(t->get);
    if (rc == SQLITE_ROW) {
        const void *p = sqlite3_column_blob(t->get, 0);

        if (p != NULL && (size_t)sqlite3_column_bytes(t->get, 0) == len) {
            memcpy(buf, p, len);
            rc = 0;
        } else {
            rc = BN_ECORRUPT;
        }
    } else {
        rc = rc == SQLITE_DONE ? BN_ECORRUPT : store__rc(rc);
    }
    sqlite3_reset(t->get);
    return rc;
}

/* Writes row b: the same size as before, so SQLite overwrites it in place. */
static int write_row(slot_tab_t *t, int64_t b, const uint8_t *buf, size_t len)
{
    int rc;

    sqlite3_bind_int64(t->put, 1, b);
    sqlite3_bind_blob(t->put, 2, buf, (int)len, SQLITE_STATIC);
    rc = step_done(t->put);
    sqlite3_clear_bindings(t->put);
    if (rc == SQLITE_OK && sqlite3_changes(sqlite3_db_handle(t->put)) != 1)
        return BN_ECORRUPT;
    return store__rc(rc);
}

int slot_header(slot_tab_t *t, int64_t *nb, int64_t *count)
{
    uint8_t hdr[16];
    int rc = read_row(t, HEADER_ROW, hdr, sizeof hdr);

    if (rc != 0)
        return rc;
    *nb = get64(hdr);
    *count = get64(hdr + 8);
    if (*nb < 1 || *count < 0 || *count > *nb * t->spec->per_bucket)
        return BN_ECORRUPT;
    return 0;
}

static int set_header(slot_tab_t *t, int64_t nb, int64_t count)
{
    uint8_t hdr[16];

    put64(hdr, nb);
    put64(hdr + 8, count);
    return write_row(t, HEADER_ROW, hdr, sizeof hdr);
}

int slot_find(slot_tab_t *t, const uint8_t *key, uint8_t *out)
{
    const slot_spec_t *sp = t->spec;
    uint8_t cell[SLOT_MAX_CELL];
    int64_t nb, count, b, steps;
    int rc, i, n;

    if ((rc = slot_header(t, &nb, &count)) != 0)
        return rc;
    /* key is an entry's first key_len bytes: its home bytes lie within */
    b = home(sp, key, nb);
    for (steps = 0, rc = 0; steps < nb; steps++, b = (b + 1) % nb) {
        if ((rc = read_row(t, b, cell, cell_len(sp))) != 0)
            goto out;
        n = cell[0];
        if (n > sp->per_bucket) {
            rc = BN_ECORRUPT;
            goto out;
        }
        for (i = 0; i < n; i++) {
            const uint8_t *e = cell + 1 + (size_t)i * sp->entry_len;
            int c = memcmp(e, key, sp->key_len);

            if (c == 0) {
                if (out != NULL)
                    memcpy(out, e, sp->entry_len);
                rc = 1;
                goto out;
            }
            if (c > 0)
                break;
        }
        if (n < sp->per_bucket)
            break;
    }
out:
    /* (CAST-C4) a bucket of the box holds a ballot's choices */
    mbedtls_platform_zeroize(cell, sizeof cell);
    return rc;
}

/* Places an entry in a table of nb buckets (its key known absent): the
 * ordered probe of (STORE-S11). */
static int place(slot_tab_t *t, int64_t nb, const uint8_t *entry)
{
    const slot_spec_t *sp = t->spec;
    size_t E = sp->entry_len, len = cell_len(sp);
    uint8_t cell[SLOT_MAX_CELL], carry[SLOT_MAX_ENTRY], out[SLOT_MAX_ENTRY];
    int64_t b = home(sp, entry, nb), steps;
    int rc = BN_ECORRUPT, n, pos, K = sp->per_bucket;

    memcpy(carry, entry, E);
    for (steps = 0; steps < nb; steps++, b = (b + 1) % nb) {
        if ((rc = read_row(t, b, cell, len)) != 0)
            goto out;
        n = cell[0];
        rc = BN_ECORRUPT;
        if (n > K)
            goto out;
        for (pos = 0; pos < n; pos++) {
            int c = memcmp(cell + 1 + (size_t)pos * E, carry, sp->key_len);

            if (c == 0) {
                rc = BN_EALREADY;
                goto out;
            }
            if (c > 0)
                break;
        }
        if (n < K) {
            memmove(cell + 1 + (size_t)(pos + 1) * E, cell + 1 + (size_t)pos * E,
                    (size_t)(n - pos) * E);
            memcpy(cell + 1 + (size_t)pos * E, carry, E);
            cell[0] = (uint8_t)(n + 1);
            rc = write_row(t, b, cell, len);
            goto out;
        }
        if (pos == K)
            continue; /* the largest key: it moves on */
        /* it takes its place here, and the bucket's largest moves on */
        memcpy(out, cell + 1 + (size_t)(K - 1) * E, E);
        memmove(cell + 1 + (size_t)(pos + 1) * E, cell + 1 + (size_t)pos * E,
                (size_t)(K - 1 - pos) * E);
        memcpy(cell + 1 + (size_t)pos * E, carry, E);
        if ((rc = write_row(t, b, cell, len)) != 0)
            goto out;
        memcpy(carry, out, E);
        rc = BN_ECORRUPT; /* no room anywhere: the header lies */
    }
out:
    /* (CAST-C4) buckets of the box hold choices */
    mbedtls_platform_zeroize(cell, sizeof cell);
    mbedtls_platform_zeroize(carry, sizeof carry);
    mbedtls_platform_zeroize(out, sizeof out);
    return rc;
}

typedef struct regrow_s {
    slot_tab_t *to;
    int64_t nb;
} regrow_t;

static int regrow_one(void *arg, const uint8_t *entry)
{
    regrow_t *g = arg;

    return place(g->to, g->nb, entry);
}

/* (STORE-S11) Doubles the table: a new one, every entry added to it (the
 * result does not depend on the order), the old one dropped (its pages
 * zeroed, secure_delete) and the new one renamed. Inside the caller's
 * transaction. */
static int grow(sqlite3 *db, slot_tab_t *t, int64_t nb, int64_t count)
{
    char tmp[64], sql[160];
    slot_tab_t g;
    regrow_t r;
    int rc;

    snprintf(tmp, sizeof tmp, "%s_grow", t->spec->table);
    memset(&g, 0, sizeof g);
    if ((rc = slot_create(db, t->spec, tmp, nb * 2)) != 0 ||
        (rc = slot_open(db, t->spec, tmp, &g)) != 0)
        goto out;
    r.to = &g;
    r.nb = nb * 2;
    if ((rc = slot_each(t, db, regrow_one, &r)) != 0 ||
        (rc = set_header(&g, nb * 2, count)) != 0)
        goto out;
    slot_close(&g);
    snprintf(sql, sizeof sql, "DROP TABLE \"%s\"; ALTER TABLE \"%s\" RENAME TO \"%s\"", t->name,
             tmp, t->name);
    rc = store__rc(sqlite3_exec(db, sql, NULL, NULL, NULL));
out:
    slot_close(&g);
    return rc;
}

int slot_add(sqlite3 *db, slot_tab_t *t, const uint8_t *entry)
{
    int64_t nb, count;
    int rc;

    if ((rc = slot_header(t, &nb, &count)) != 0)
        return rc;
    if ((rc = slot_find(t, entry, NULL)) != 0)
        return rc == 1 ? BN_EALREADY : rc;
    if (2 * (count + 1) > nb * t->spec->per_bucket) {
        if ((rc = grow(db, t, nb, count)) != 0)
            return rc;
        nb *= 2;
    }
    if ((rc = place(t, nb, entry)) != 0)
        return rc;
    return set_header(t, nb, count + 1);
}

int slot_each(slot_tab_t *t, sqlite3 *db, slot_fn fn, void *arg)
{
    const slot_spec_t *sp = t->spec;
    char sql[128];
    sqlite3_stmt *st = NULL;
    int rc, i, n;

    snprintf(sql, sizeof sql, "SELECT cell FROM \"%s\" WHERE b >= 0 ORDER BY b", t->name);
    if ((rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL)) != SQLITE_OK)
        return store__rc(rc);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const uint8_t *cell = sqlite3_column_blob(st, 0);

        if (cell == NULL || (size_t)sqlite3_column_bytes(st, 0) != cell_len(sp) ||
            (n = cell[0]) > sp->per_bucket) {
            rc = BN_ECORRUPT;
            goto out;
        }
        for (i = 0; i < n; i++)
            if ((rc = fn(arg, cell + 1 + (size_t)i * sp->entry_len)) != 0)
                goto out;
    }
    rc = store__rc(rc);
out:
    sqlite3_finalize(st);
    return rc;
}
