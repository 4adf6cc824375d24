/* test_faults.c - the kiosk's store under faults (issue 18, section 2): the
 * disk fills up, reads and writes fail, fsync fails, an allocation fails,
 * the file is truncated or has a flipped byte before start, the clock
 * jumps, the state directory turns read-only; the same I/O and allocation
 * faults inside the VACUUM of every start (test_compact_faults) and inside
 * the migration of a store written by old firmware (test_migrate_faults).
 * For each, along the whole
 * cast path (cast_budget, cast_petition: rule, pseudonym, ballot, signature,
 * store_cast, COMMIT):
 *   - no crash;
 *   - a refusal with a BN_E code and words (no receipt: rec.tracking "");
 *   - nothing half written: register, box, outbox and turnout move together
 *     by one cast or not at all, in the open store and after a reopen;
 *   - no receipt for a ballot that is not stored: rc 0 means the ballot is
 *     in the box after a reopen, and verifies;
 *   - recovery once the fault is gone: the same person casts again in the
 *     same running store, then the file passes PRAGMA integrity_check.
 *
 * Faults come from a VFS shim registered as SQLite's default VFS (it wraps
 * "unix"; SQLite is not modified) and from a countdown on allocations: SQLite's
 * through SQLITE_CONFIG_MALLOC, every other one (the project's, mbedTLS's)
 * through malloc/calloc/realloc interposed in this program over glibc's
 * (not under a sanitizer, which owns malloc: that part is skipped there).
 * Each case is counted and printed as "fault <name> cases <n> refused <r>
 * cast <c>"; docs/security.md's table comes from this output. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "ballot.h"
#include "bn_err.h"
#include "cast.h"
#include "day.h"
#include "key.h"
#include "petition.h"
#include "pkg.h"
#include "rng.h"
#include "store.h"
#include "testutil.h"

/* ---- the fault plan ------------------------------------------------------ */

enum { OP_READ, OP_WRITE, OP_SYNC, OP_TRUNC, OP_ALLOC, OP_N };
static const char *const op_name[OP_N] = {"read", "write", "fsync", "truncate", "alloc"};

typedef struct plan_s {
    int armed;
    int op;              /* which operation fails */
    long at;             /* the at-th one from arming (1-based) */
    int sticky;          /* keeps failing after the first (a full disk) */
    int err;             /* the SQLite code returned */
    long count[OP_N];    /* operations seen since arming */
    int fired;           /* the fault happened */
    int readonly;        /* opens read-only, as a read-only state directory */
} plan_t;

static plan_t plan;

static void plan_arm(int op, long at, int sticky, int err)
{
    memset(&plan, 0, sizeof plan);
    plan.op = op;
    plan.at = at;
    plan.sticky = sticky;
    plan.err = err;
    plan.armed = 1;
}

/* Counting only: how many operations of each kind a clean cast makes. */
static void plan_count(void)
{
    memset(&plan, 0, sizeof plan);
    plan.op = -1;
    plan.armed = 1;
}

static void plan_off(void)
{
    plan.armed = 0;
}

/* 1 when this operation must fail. */
static int plan_hit(int op)
{
    if (!plan.armed)
        return 0;
    plan.count[op]++;
    if (op != plan.op)
        return 0;
    if (plan.count[op] == plan.at || (plan.sticky && plan.count[op] > plan.at)) {
        plan.fired = 1;
        return 1;
    }
    return 0;
}

/* ---- the VFS shim ---------------------------------------------------------- */

typedef struct shim_file_s {
    sqlite3_file base;
    sqlite3_file *real;  /* the unix VFS's file, allocated after this struct */
} shim_file_t;

static sqlite3_vfs *unix_vfs;

static int sh_close(sqlite3_file *f)
{
    shim_file_t *p = (shim_file_t *)f;

    return p->real->pMethods != NULL ? p->real->pMethods->xClose(p->real) : SQLITE_OK;
}

static int sh_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
    shim_file_t *p = (shim_file_t *)f;

    if (plan_hit(OP_READ))
        return plan.err ? plan.err : SQLITE_IOERR_READ;
    return p->real->pMethods->xRead(p->real, buf, n, off);
}

static int sh_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
    shim_file_t *p = (shim_file_t *)f;

    if (plan_hit(OP_WRITE))
        return plan.err ? plan.err : SQLITE_IOERR_WRITE;
    return p->real->pMethods->xWrite(p->real, buf, n, off);
}

static int sh_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    shim_file_t *p = (shim_file_t *)f;

    if (plan_hit(OP_TRUNC))
        return SQLITE_IOERR_TRUNCATE;
    return p->real->pMethods->xTruncate(p->real, size);
}

static int sh_sync(sqlite3_file *f, int flags)
{
    shim_file_t *p = (shim_file_t *)f;

    if (plan_hit(OP_SYNC))
        return SQLITE_IOERR_FSYNC;
    return p->real->pMethods->xSync(p->real, flags);
}

static int sh_size(sqlite3_file *f, sqlite3_int64 *size)
{
    shim_file_t *p = (shim_file_t *)f;

    return p->real->pMethods->xFileSize(p->real, size);
}

static int sh_lock(sqlite3_file *f, int l)
{
    shim_file_t *p = (shim_file_t *)f;

    return p->real->pMethods->xLock(p->real, l);
}

static int sh_unlock(sqlite3_file *f, int l)
{
    shim_file_t *p = (shim_file_t *)f;

    return p->real->pMethods->xUnlock(p->real, l);
}

static int sh_check_lock(sqlite3_file *f, int *out)
{
    shim_file_t *p = (shim_file_t *)f;

    return p->real->pMethods->xCheckReservedLock(p->real, out);
}

static int sh_fcntl(sqlite3_file *f, int op, void *arg)
{
    shim_file_t *p = (shim_file_t *)f;

    return p->real->pMethods->xFileControl(p->real, op, arg);
}

static int sh_sector(sqlite3_file *f)
{
    shim_file_t *p = (shim_file_t *)f;

    return p->real->pMethods->xSectorSize(p->real);
}

static int sh_dev(sqlite3_file *f)
{
    shim_file_t *p = (shim_file_t *)f;

    return p->real->pMethods->xDeviceCharacteristics(p->real);
}

/* Version 1: no shared memory, no memory map (the store is a rollback
 * journal store, STORE-D1), so every page goes through xRead and xWrite. */
static const sqlite3_io_methods shim_io = {
    1, sh_close, sh_read, sh_write, sh_truncate, sh_sync, sh_size, sh_lock, sh_unlock,
    sh_check_lock, sh_fcntl, sh_sector, sh_dev, NULL, NULL, NULL, NULL, NULL, NULL,
};

static int sh_open(sqlite3_vfs *v, const char *name, sqlite3_file *f, int flags, int *out)
{
    shim_file_t *p = (shim_file_t *)f;
    int rc;

    (void)v;
    p->real = (sqlite3_file *)(p + 1);
    memset(p->real, 0, (size_t)unix_vfs->szOsFile);
    if (plan.readonly && (flags & SQLITE_OPEN_READWRITE)) {
        /* what the unix VFS does when open(O_RDWR) fails with EROFS or EACCES */
        if (flags & SQLITE_OPEN_MAIN_DB) {
            flags &= ~(SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
            flags |= SQLITE_OPEN_READONLY;
        } else {
            return SQLITE_CANTOPEN;
        }
    }
    rc = unix_vfs->xOpen(unix_vfs, name, p->real, flags, out);
    p->base.pMethods = rc == SQLITE_OK ? &shim_io : NULL;
    return rc;
}

static int sh_delete(sqlite3_vfs *v, const char *name, int sync)
{
    (void)v;
    if (plan.readonly)
        return SQLITE_IOERR_DELETE;
    return unix_vfs->xDelete(unix_vfs, name, sync);
}

static int sh_access(sqlite3_vfs *v, const char *name, int flags, int *out)
{
    (void)v;
    return unix_vfs->xAccess(unix_vfs, name, flags, out);
}

static int sh_fullpath(sqlite3_vfs *v, const char *name, int n, char *out)
{
    (void)v;
    return unix_vfs->xFullPathname(unix_vfs, name, n, out);
}

static int sh_random(sqlite3_vfs *v, int n, char *out)
{
    (void)v;
    return unix_vfs->xRandomness(unix_vfs, n, out);
}

static int sh_sleep(sqlite3_vfs *v, int us)
{
    (void)v;
    return unix_vfs->xSleep(unix_vfs, us);
}

static int sh_time(sqlite3_vfs *v, double *out)
{
    (void)v;
    return unix_vfs->xCurrentTime(unix_vfs, out);
}

static int sh_lasterr(sqlite3_vfs *v, int n, char *out)
{
    (void)v;
    return unix_vfs->xGetLastError(unix_vfs, n, out);
}

static sqlite3_vfs shim_vfs = {
    1, 0, 512, NULL, "borne-faults", NULL, sh_open, sh_delete, sh_access, sh_fullpath,
    NULL, NULL, NULL, NULL, sh_random, sh_sleep, sh_time, sh_lasterr,
    NULL, NULL, NULL, NULL,
};

/* ---- allocations ------------------------------------------------------------- */

static sqlite3_mem_methods sqlite_mem;

static int in_sqlite; /* SQLite's allocations are counted once, here */

static void *mem_malloc(int n)
{
    void *p;

    if (plan_hit(OP_ALLOC))
        return NULL;
    in_sqlite = 1;
    p = sqlite_mem.xMalloc(n);
    in_sqlite = 0;
    return p;
}

static void *mem_realloc(void *q, int n)
{
    void *p;

    if (plan_hit(OP_ALLOC))
        return NULL;
    in_sqlite = 1;
    p = sqlite_mem.xRealloc(q, n);
    in_sqlite = 0;
    return p;
}

#if defined(__SANITIZE_ADDRESS__)
#define FAULTS_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#define FAULTS_SANITIZED 1
#endif
#endif

#ifndef FAULTS_SANITIZED
/* Every other allocation of this program (the firmware's, mbedTLS's, the
 * C library's own callers through the PLT) fails on the same countdown. */
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);


void *malloc(size_t n)
{
    if (!in_sqlite && plan_hit(OP_ALLOC))
        return NULL;
    return __libc_malloc(n);
}

void *calloc(size_t a, size_t b)
{
    if (!in_sqlite && plan_hit(OP_ALLOC))
        return NULL;
    return __libc_calloc(a, b);
}

void *realloc(void *p, size_t n)
{
    if (!in_sqlite && plan_hit(OP_ALLOC))
        return NULL;
    return __libc_realloc(p, n);
}

void free(void *p)
{
    __libc_free(p);
}

#endif

/* ---- the fixture ------------------------------------------------------------- */

typedef struct fx_s {
    char *dir, *db;
    rng_t *rng;
    key_pair_t *kiosk;
    signer_t signer;
    pkg_t *budget, *petition;
    uint8_t secret[32], psecret[32];
    store_t *store;
    uint32_t day, pday;
    int serial;          /* a new person for each attempt */
    int sel[2];
} fx_t;

static pkg_t *load_pkg(const char *rel)
{
    char *path = tu_asset(rel), why[256] = "";
    size_t len;
    uint8_t *json = tu_read(path, &len);
    pkg_t *p = NULL;

    assert_non_null(json);
    if (pkg_parse((char *)json, len, &p, why, sizeof why) != 0)
        fail_msg("%s: %s", rel, why);
    free(json);
    free(path);
    return p;
}

static void fx_open(fx_t *f)
{
    char why[256] = "";

    if (store_open(f->db, &f->store, why, sizeof why) != 0)
        fail_msg("store_open %s: %s", f->db, why);
}

static void open_polls(fx_t *f)
{
    char key[96];

    snprintf(key, sizeof key, "polls:%s", f->budget->id);
    assert_int_equal(store_meta_set(f->store, key, "open"), 0);
    snprintf(key, sizeof key, "polls:%s", f->petition->id);
    assert_int_equal(store_meta_set(f->store, key, "open"), 0);
}

static int setup(void **state)
{
    static const uint8_t seed[] = "test_faults";
    fx_t *f = calloc(1, sizeof *f);
    int i;

    assert_non_null(f);
    f->dir = tu_tmpdir("faults");
    f->db = tu_path(f->dir, "kiosk.db");
    assert_int_equal(rng_open_fixed(&f->rng, seed, sizeof seed - 1), 0);
    assert_int_equal(key_generate(f->rng, &f->kiosk), 0);
    key_signer(f->kiosk, &f->signer);
    f->budget = load_pkg("campaigns/demo-budget.json");
    f->petition = load_pkg("campaigns/demo-petition.json");
    assert_int_equal(rng_bytes(f->rng, f->secret, 32), 0);
    assert_int_equal(rng_bytes(f->rng, f->psecret, 32), 0);
    fx_open(f);
    assert_int_equal(store_put_campaign(f->store, f->budget->id, (const uint8_t *)"pkg", 3,
                                        f->secret), 0);
    assert_int_equal(store_put_campaign(f->store, f->petition->id, (const uint8_t *)"pkg", 3,
                                        f->psecret), 0);
    open_polls(f);
    assert_int_equal(day_parse("2026-11-28", &f->day), 0);
    f->pday = f->petition->opens;
    i = pkg_find_project(f->budget, "ren-velo");
    assert_true(i >= 0);
    f->sel[0] = i;
    i = pkg_find_project(f->budget, "ren-jardin");
    assert_true(i >= 0);
    f->sel[1] = i;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx_t *f = *state;

    plan_off();
    store_close(f->store);
    pkg_free(f->budget);
    pkg_free(f->petition);
    key_free(f->kiosk);
    rng_close(f->rng);
    tu_rmtree(f->dir);
    free(f->dir);
    free(f->db);
    free(f);
    return 0;
}

/* ---- one cast, and the checks around it ------------------------------------- */

typedef struct snap_s {
    int64_t reg, box, out, sig, turnout;
} snap_t;

static int on_turnout(void *arg, const char *commune, int64_t n)
{
    if (strcmp(commune, "35238") == 0)
        *(int64_t *)arg = n;
    return 0;
}

static void snap(fx_t *f, snap_t *s)
{
    int64_t pcantons;

    memset(s, 0, sizeof *s);
    assert_int_equal(store_counts(f->store, f->budget->id, &s->reg, &s->box), 0);
    assert_int_equal(store_outbox_count(f->store, &s->out), 0);
    assert_int_equal(store_petition_counts(f->store, f->petition->id, &s->sig, &pcantons), 0);
    assert_int_equal(store_turnout_each(f->store, f->budget->id, on_turnout, &s->turnout), 0);
}

/* A vote (kind 0) or a petition signature (kind 1) by person number `who`. */
static int cast_one(fx_t *f, int kind, int who, uint32_t day, cast_receipt_t *rec, char *why,
                    size_t whylen)
{
    char last[32];
    cast_identity_t id = {last, "Camille", "1980-02-03", "35238"};
    cast_ctx_t ctx;

    snprintf(last, sizeof last, "Faute-%d", who);
    memset(&ctx, 0, sizeof ctx);
    memset(rec, 0, sizeof *rec);
    ctx.store = f->store;
    ctx.signer = &f->signer;
    ctx.rng = f->rng;
    if (kind == 0) {
        ctx.pkg = f->budget;
        memcpy(ctx.secret, f->secret, 32);
        return cast_budget(&ctx, &id, f->sel, 2, day, rec, why, whylen);
    }
    ctx.pkg = f->petition;
    memcpy(ctx.secret, f->psecret, 32);
    return cast_petition(&ctx, &id, 1, day, rec, why, whylen);
}

static int integrity_ok(fx_t *f)
{
    sqlite3_stmt *st = NULL;
    int ok;

    assert_int_equal(sqlite3_prepare_v2(store__db(f->store), "PRAGMA integrity_check", -1, &st,
                                        NULL), SQLITE_OK);
    ok = sqlite3_step(st) == SQLITE_ROW &&
         strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0;
    sqlite3_finalize(st);
    return ok;
}

/* The stored item of a receipt is there and verifies. */
static void expect_stored(fx_t *f, int kind, const cast_receipt_t *rec)
{
    uint8_t *b = NULL;
    size_t len = 0;

    if (kind == 0) {
        assert_int_equal(store_get_ballot(f->store, rec->ballot_id, &b, &len), 0);
        assert_int_equal(ballot_verify(b, len, &f->signer.pub), 0);
    } else {
        assert_int_equal(store_get_signature(f->store, rec->ballot_id, &b, &len), 0);
        assert_true(len > 0);
    }
    free(b);
}

/* 1 when register, box, turnout and outbox moved together by `by` casts of
 * `kind` (nothing else moved), else 0. */
static int moved(const snap_t *a, const snap_t *b, int kind, int by)
{
    if (kind == 0)
        return b->reg == a->reg + by && b->box == a->box + by &&
               b->turnout == a->turnout + by && b->out == a->out + 2 * by && b->sig == a->sig;
    return b->sig == a->sig + by && b->out == a->out + by && b->reg == a->reg &&
           b->box == a->box;
}

static void expect_moved(const snap_t *a, const snap_t *b, int kind, int by)
{
    if (!moved(a, b, kind, by))
        fail_msg("expected %d cast(s) of kind %d: register %lld -> %lld, box %lld -> %lld, "
                 "outbox %lld -> %lld, signatures %lld -> %lld", by, kind, (long long)a->reg,
                 (long long)b->reg, (long long)a->box, (long long)b->box, (long long)a->out,
                 (long long)b->out, (long long)a->sig, (long long)b->sig);
}

typedef struct tally_s {
    int cases, refused, cast, doubt;
} tally_t;

/* One case: the fault armed around a cast by a new person; then the
 * checks; then the same person again with the fault gone. */
static void one_case(fx_t *f, int kind, int op, long at, int sticky, int err, tally_t *t)
{
    cast_receipt_t rec, again;
    char why[256] = "";
    snap_t s0, s1, s2;
    int who = ++f->serial, rc, rc2, fired;

    snap(f, &s0);
    plan_arm(op, at, sticky, err);
    rc = cast_one(f, kind, who, kind == 0 ? f->day : f->pday, &rec, why, sizeof why);
    fired = plan.fired;
    plan_off();
    t->cases++;
    if (rc == 0) {
        t->cast++;
        assert_true(rec.tracking[0] != '\0');
    } else {
        if (rc == BN_EDOUBT)
            t->doubt++;
        else
            t->refused++;
        assert_string_equal(rec.tracking, "");   /* no receipt */
        assert_true(why[0] != '\0');             /* words for the screen and the log */
        assert_true(fired);                      /* refused because of the fault only */
    }
    /* nothing half written, in the running store (which may need to roll
     * back a journal left by the failure: the snapshot's reads do); all of
     * it for a commit in doubt (STORE-D6) */
    snap(f, &s1);
    if (!moved(&s0, &s1, kind, rc == 0 || rc == BN_EDOUBT))
        fail_msg("%s fault at %ld (%s), kind %d: the cast returned %d (%s) but %s",
                 op_name[op], at, sticky ? "sticky" : "once", kind, rc, rc ? why : "",
                 rc == 0 ? "is not all in the store" : "something of it is in the store");
    if (rc == 0)
        expect_stored(f, kind, &rec);
    /* recovery in the same running store: the person casts now, or is told
     * they already did */
    rc2 = cast_one(f, kind, who, kind == 0 ? f->day : f->pday, &again, why, sizeof why);
    if (rc == 0 || rc == BN_EDOUBT) {
        assert_int_equal(rc2, BN_EALREADY);
    } else {
        if (rc2 != 0)
            fail_msg("%s fault at %ld (%s): cast refused again after the fault: %s",
                     op_name[op], at, sticky ? "sticky" : "once", why);
        expect_stored(f, kind, &again);
    }
    snap(f, &s2);
    expect_moved(&s0, &s2, kind, 1);
}

/* Reopens the store: what was acknowledged is there, the file is sound. */
static void reopen_and_check(fx_t *f)
{
    snap_t a, b;
    char why[256] = "";

    snap(f, &a);
    store_close(f->store);
    f->store = NULL;
    fx_open(f);
    snap(f, &b);
    assert_memory_equal(&a, &b, sizeof a);
    assert_true(integrity_ok(f));
    assert_int_equal(store_check(f->store, why, sizeof why), 0);
}

static long clean_count(fx_t *f, int kind, int op)
{
    cast_receipt_t rec;
    char why[256] = "";
    long n;

    plan_count();
    if (cast_one(f, kind, ++f->serial, kind == 0 ? f->day : f->pday, &rec, why, sizeof why) != 0)
        fail_msg("a clean cast: %s", why);
    n = plan.count[op];
    plan_off();
    return n;
}

static void sweep(fx_t *f, const char *name, int op, int sticky, int err)
{
    static const char *const kinds[2] = {"vote", "petition"};
    int kind;

    for (kind = 0; kind < 2; kind++) {
        tally_t t = {0, 0, 0, 0};
        long n = clean_count(f, kind, op), at;

        assert_true(n > 0);
        /* every N; past the first 500 allocations every 7th, unless
         * BORNE_FAULTS_FULL=1 (a petition's 9,865 cost minutes, not CI's) */
        for (at = 1; at <= n; at += at < 500 || getenv("BORNE_FAULTS_FULL") != NULL ? 1 : 7)
            one_case(f, kind, op, at, sticky, err, &t);
        reopen_and_check(f);
        printf("fault %s-%s ops %ld cases %d refused %d cast %d in-doubt %d\n", name,
               kinds[kind], n, t.cases, t.refused, t.cast, t.doubt);
        assert_true(t.refused + t.doubt > 0);
    }
}

/* Disk full at each write of the cast path in turn, and from then on. */
static void test_disk_full(void **state)
{
    sweep(*state, "disk-full", OP_WRITE, 1, SQLITE_FULL);
}

/* One write fails (an I/O error), the next ones work. */
static void test_write_error(void **state)
{
    sweep(*state, "write-error", OP_WRITE, 0, SQLITE_IOERR_WRITE);
}

static void test_read_error(void **state)
{
    sweep(*state, "read-error", OP_READ, 0, SQLITE_IOERR_READ);
}

/* fsync fails: the commit must not be acknowledged (STORE-D1). */
static void test_fsync_error(void **state)
{
    sweep(*state, "fsync-error", OP_SYNC, 0, 0);
    sweep(*state, "fsync-failing", OP_SYNC, 1, 0);
}

/* The journal's truncation is the commit point of TRUNCATE mode. */
static void test_truncate_error(void **state)
{
    sweep(*state, "truncate-error", OP_TRUNC, 0, 0);
}

/* A failing allocation for every N along a cast. (CAST-C3) nothing that
 * can fail comes after the commit: an allocation failing after it (the
 * tracking code's HMAC) once left a stored ballot without a receipt. */
static void test_alloc_countdown(void **state)
{
#ifdef FAULTS_SANITIZED
    printf("fault alloc: SQLite's allocations only (a sanitizer owns malloc here)\n");
#endif
    sweep(*state, "alloc", OP_ALLOC, 0, 0);
}

/* The clock jumps ten years back or forward while running: the polls are
 * closed for that day, nothing is written, and the cast goes through again
 * once the clock is right. */
static void test_clock_jumps(void **state)
{
    fx_t *f = *state;
    int i, n = 0;

    for (i = 0; i < 6; i++) {
        int kind;

        for (kind = 0; kind < 2; kind++) {
            const pkg_t *p = kind == 0 ? f->budget : f->petition;
            /* ten years and a year back, the day before the polls open, the
             * day after they close, a year and ten years forward */
            const int64_t days[6] = {(int64_t)p->opens - 3650, (int64_t)p->opens - 365,
                                     (int64_t)p->opens - 1, (int64_t)p->closes + 1,
                                     (int64_t)p->closes + 365, (int64_t)p->closes + 3650};
            cast_receipt_t rec;
            char why[256] = "";
            snap_t a, b;
            int who = ++f->serial, rc;

            snap(f, &a);
            rc = cast_one(f, kind, who, (uint32_t)days[i], &rec, why, sizeof why);
            assert_int_equal(rc, BN_ECLOSED);
            assert_string_equal(rec.tracking, "");
            snap(f, &b);
            expect_moved(&a, &b, kind, 0);
            /* the clock right again: the same person casts */
            assert_int_equal(cast_one(f, kind, who, kind == 0 ? f->day : f->pday, &rec, why,
                                      sizeof why), 0);
            n++;
        }
    }
    printf("fault clock-jumps cases %d refused %d cast 0\n", n, n);
}

/* The state directory turns read-only (a remount after a disk error): the
 * store opens read-only or not at all, every cast is refused with words,
 * and casting works again once the directory is writable. (As root,
 * chmod does not stop writes: the shim answers as the kernel would.) */
static void test_readonly_state(void **state)
{
    fx_t *f = *state;
    cast_receipt_t rec;
    char why[256] = "";
    snap_t a, b;
    int rc, kind, refused = 0;

    store_close(f->store);
    f->store = NULL;
    plan.readonly = 1;
    rc = store_open(f->db, &f->store, why, sizeof why);
    if (rc != 0) {
        /* refused at start, with the path */
        assert_non_null(strstr(why, "kiosk.db"));
        refused = 2;
    } else {
        for (kind = 0; kind < 2; kind++) {
            snap(f, &a);
            rc = cast_one(f, kind, ++f->serial, kind == 0 ? f->day : f->pday, &rec, why,
                          sizeof why);
            assert_true(rc != 0);
            assert_string_equal(rec.tracking, "");
            assert_true(why[0] != '\0');
            snap(f, &b);
            expect_moved(&a, &b, kind, 0);
            refused++;
        }
        store_close(f->store);
        f->store = NULL;
    }
    plan.readonly = 0;
    fx_open(f);
    for (kind = 0; kind < 2; kind++) {
        assert_int_equal(cast_one(f, kind, ++f->serial, kind == 0 ? f->day : f->pday, &rec, why,
                                  sizeof why), 0);
        expect_stored(f, kind, &rec);
    }
    printf("fault read-only-state cases 2 refused %d cast 0\n", refused);
}

/* ---- store_compact (VACUUM, at every start) under faults ----------------------- */

typedef struct sum_s {
    int64_t n;
    uint64_t sum;        /* of each ballot's first 8 digest bytes: order-free */
} sum_t;

static int on_sum(void *arg, const uint8_t *b, size_t len)
{
    sum_t *m = arg;
    uint8_t d[32];
    uint64_t v;

    key_sha256(b, len, d);
    memcpy(&v, d, sizeof v);
    m->n++;
    m->sum += v;
    return 0;
}

static void box_sum(fx_t *f, sum_t *m)
{
    memset(m, 0, sizeof *m);
    assert_int_equal(store_each_ballot(f->store, NULL, on_sum, m), 0);
}

/* A fault at each operation of store_compact in turn: it fails with words
 * or succeeds, and the store holds exactly what it held (counts and every
 * ballot's bytes), sound after a reopen; then a cast goes through. */
static void compact_sweep(fx_t *f, const char *name, int op, int sticky, int err)
{
    cast_receipt_t rec;
    char why[256] = "";
    snap_t a, b;
    sum_t x, y;
    long n, at;
    int cases = 0, failed = 0, rc;

    plan_count();
    assert_int_equal(store_compact(f->store, why, sizeof why), 0);
    n = plan.count[op];
    plan_off();
    snap(f, &a);
    box_sum(f, &x);
    for (at = 1; at <= n; at += at < 300 || getenv("BORNE_FAULTS_FULL") != NULL ? 1 : 7) {
        plan_arm(op, at, sticky, err);
        why[0] = '\0';
        rc = store_compact(f->store, why, sizeof why);
        plan_off();
        cases++;
        if (rc != 0) {
            failed++;
            assert_true(why[0] != '\0');
        }
        snap(f, &b);
        box_sum(f, &y);
        if (memcmp(&a, &b, sizeof a) != 0 || memcmp(&x, &y, sizeof x) != 0)
            fail_msg("compact with a %s fault at %ld (%s): returned %d (%s) and the store "
                     "changed: ballots %lld -> %lld, register %lld -> %lld", op_name[op], at,
                     sticky ? "sticky" : "once", rc, why, (long long)x.n, (long long)y.n,
                     (long long)a.reg, (long long)b.reg);
    }
    reopen_and_check(f);
    box_sum(f, &y);
    assert_memory_equal(&x, &y, sizeof x);
    assert_int_equal(cast_one(f, 0, ++f->serial, f->day, &rec, why, sizeof why), 0);
    expect_stored(f, 0, &rec);
    printf("fault compact-%s ops %ld cases %d failed %d ballots %lld unchanged\n", name, n,
           cases, failed, (long long)x.n);
}

static void test_compact_faults(void **state)
{
    compact_sweep(*state, "disk-full", OP_WRITE, 1, SQLITE_FULL);
    compact_sweep(*state, "write-error", OP_WRITE, 0, SQLITE_IOERR_WRITE);
    compact_sweep(*state, "read-error", OP_READ, 0, SQLITE_IOERR_READ);
    compact_sweep(*state, "fsync-error", OP_SYNC, 0, 0);
    compact_sweep(*state, "truncate-error", OP_TRUNC, 0, 0);
    compact_sweep(*state, "alloc", OP_ALLOC, 0, 0);
}

/* ---- schema migrations (at the first start of a new firmware) under faults ---- */

typedef struct shape_s {
    int64_t reg[2], box[2], out, audit;
    sum_t sum;
} shape_t;

/* What a store holds, as the kiosk reads it: the register and the box of
 * both fixture campaigns, the outbox, the audit chain (verified) and every
 * ballot's bytes. */
static void store_shape(store_t *s, shape_t *m)
{
    static const char *const ids[2] = {"bp-2026", "interp-2026"};
    char why[256] = "";
    int i;

    memset(m, 0, sizeof *m);
    for (i = 0; i < 2; i++)
        assert_int_equal(store_counts(s, ids[i], &m->reg[i], &m->box[i]), 0);
    assert_int_equal(store_outbox_count(s, &m->out), 0);
    if (store_audit_verify(s, NULL, &m->audit, why, sizeof why) != 0)
        fail_msg("audit chain: %s", why);
    assert_int_equal(store_each_ballot(s, NULL, on_sum, &m->sum), 0);
}

/* The schema version of a store file, read with SQLite alone (a hot
 * journal left by the fault is rolled back first, as any opener does). */
static int file_version(const char *path)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int v = -1;

    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

static void fresh_copy(const char *path, const uint8_t *bytes, size_t len)
{
    char journal[512];

    snprintf(journal, sizeof journal, "%s-journal", path);
    unlink(journal);
    unlink(path);
    assert_int_equal(tu_write(path, bytes, len), 0);
}

/* (STORE-D4) A store written by old firmware (tests/vectors/store/vN.db,
 * schema `from`) opened by this one under a fault at each operation of
 * store_open in turn -- every migration step up to STORE_SCHEMA_VERSION:
 * store_open fails with words (and no handle) or succeeds; the file is
 * then a whole store of some version between `from` and the current one
 * (one transaction a step, never half a step); and once the fault is gone
 * it opens, migrates the rest, passes store_check and holds exactly what a
 * clean migration gives: the same counts, audit chain and ballot bytes. */
static void migrate_sweep(fx_t *f, const char *fixture, int from, const char *name, int op,
                          int sticky, int err)
{
    char *src = tu_vector(fixture), *path = tu_path(f->dir, "old.db"), why[256] = "";
    uint8_t *bytes;
    size_t len = 0;
    store_t *s = NULL;
    shape_t want, got;
    long n, at;
    int cases = 0, failed = 0, rc, v;
    int at_version[STORE_SCHEMA_VERSION + 1] = {0};

    bytes = tu_read(src, &len);
    assert_non_null(bytes);
    fresh_copy(path, bytes, len);
    assert_int_equal(file_version(path), from);
    plan_count();
    rc = store_open(path, &s, why, sizeof why);
    n = plan.count[op];
    plan_off();
    if (rc != 0)
        fail_msg("%s: a clean migration fails: %s", fixture, why);
    store_shape(s, &want);
    store_close(s);
    assert_true(want.box[0] > 0);
    /* every operation up to the 300th, then one in 7 (one allocation in 31:
     * thousands of them); all of them with BORNE_FAULTS_FULL */
    for (at = 1; at <= n;
         at += at < 300 || getenv("BORNE_FAULTS_FULL") != NULL ? 1 : op == OP_ALLOC ? 31 : 7) {
        fresh_copy(path, bytes, len);
        s = NULL;
        why[0] = '\0';
        plan_arm(op, at, sticky, err);
        rc = store_open(path, &s, why, sizeof why);
        plan_off();
        cases++;
        if (rc != 0) {
            failed++;
            if (why[0] == '\0' || s != NULL)
                fail_msg("%s: opening with a %s fault at %ld: returned %d with %s and %s",
                         fixture, op_name[op], at, rc, why[0] ? "words" : "no words",
                         s ? "a handle" : "no handle");
        } else {
            store_close(s);
        }
        v = file_version(path);
        if (v < from || v > STORE_SCHEMA_VERSION || (rc == 0 && v != STORE_SCHEMA_VERSION))
            fail_msg("%s: a %s fault at %ld (%s): returned %d (%s), the file says version %d",
                     fixture, op_name[op], at, sticky ? "sticky" : "once", rc, why, v);
        at_version[v]++;
        s = NULL;
        if (store_open(path, &s, why, sizeof why) != 0)
            fail_msg("%s: after a %s fault at %ld (version %d left), the store does not open "
                     "once the fault is gone: %s", fixture, op_name[op], at, v, why);
        if (store_check(s, why, sizeof why) != 0)
            fail_msg("%s: after a %s fault at %ld: %s", fixture, op_name[op], at, why);
        store_shape(s, &got);
        store_close(s);
        if (memcmp(&want, &got, sizeof want) != 0)
            fail_msg("%s: after a %s fault at %ld (%s) and a clean reopen, the store differs "
                     "from a clean migration: ballots %lld -> %lld, register %lld -> %lld, "
                     "outbox %lld -> %lld, audit %lld -> %lld", fixture, op_name[op], at,
                     sticky ? "sticky" : "once", (long long)want.sum.n, (long long)got.sum.n,
                     (long long)want.reg[0], (long long)got.reg[0], (long long)want.out,
                     (long long)got.out, (long long)want.audit, (long long)got.audit);
    }
    printf("fault migrate-v%d-%s ops %ld cases %d failed %d left-at", from, name, n, cases,
           failed);
    for (v = from; v <= STORE_SCHEMA_VERSION; v++)
        if (at_version[v] > 0)
            printf(" v%d:%d", v, at_version[v]);
    printf(" ballots %lld unchanged\n", (long long)want.sum.n);
    unlink(path);
    free(bytes);
    free(src);
    free(path);
}

static void test_migrate_faults(void **state)
{
    static const char *const fixtures[2] = {"store/v1.db", "store/v2.db"};
    int i;

    for (i = 0; i < 2; i++) {
        migrate_sweep(*state, fixtures[i], i + 1, "disk-full", OP_WRITE, 1, SQLITE_FULL);
        migrate_sweep(*state, fixtures[i], i + 1, "write-error", OP_WRITE, 0,
                      SQLITE_IOERR_WRITE);
        migrate_sweep(*state, fixtures[i], i + 1, "read-error", OP_READ, 0, SQLITE_IOERR_READ);
        migrate_sweep(*state, fixtures[i], i + 1, "fsync-error", OP_SYNC, 0, 0);
        migrate_sweep(*state, fixtures[i], i + 1, "truncate-error", OP_TRUNC, 0, 0);
        migrate_sweep(*state, fixtures[i], i + 1, "alloc", OP_ALLOC, 0, 0);
    }
}

/* ---- a damaged file before start ---------------------------------------------- */

typedef struct walk_s {
    const key_pub_t *pub;
    int bad;
    int64_t n;
} walk_t;

static int on_ballot(void *arg, const uint8_t *b, size_t len)
{
    walk_t *w = arg;

    w->n++;
    if (ballot_verify(b, len, w->pub) != 0)
        w->bad++;
    return 0;
}

/* Opens a damaged copy: refused at open (BN_ECORRUPT, BN_EIO, with words),
 * or by store_check, or it opens and checks sound: then every ballot it
 * holds still verifies or is reported as not verifying -- never a crash,
 * never a ballot silently changed. Returns 0 refused at open, 1 refused by
 * the check, 2 sound with every ballot verifying, 3 sound with a ballot
 * that does not verify (the export refuses it: bundle_verify). */
static int open_damaged(fx_t *f, const char *path)
{
    store_t *s = NULL;
    char why[256] = "";
    walk_t w = {&f->signer.pub, 0, 0};
    int rc = store_open(path, &s, why, sizeof why), out;

    if (rc != 0) {
        assert_true(rc == BN_ECORRUPT || rc == BN_EIO || rc == BN_ESCHEMA || rc == BN_ESTORE);
        assert_true(why[0] != '\0');
        return 0;
    }
    rc = store_check(s, why, sizeof why);
    if (rc != 0) {
        assert_true(why[0] != '\0');
        out = 1;
    } else {
        rc = store_each_ballot(s, NULL, on_ballot, &w);
        out = rc != 0 ? 1 : w.bad ? 3 : 2;
    }
    store_close(s);
    return out;
}

static void test_damaged_file(void **state)
{
    fx_t *f = *state;
    char *copy = tu_path(f->dir, "damaged.db"), *journal;
    cast_receipt_t rec;
    char why[256] = "";
    uint8_t *orig;
    size_t len, cut, page = 4096, off;
    int i, outcome[4] = {0, 0, 0, 0}, n = 0;

    char *kiosk_db = f->db;

    /* a store of its own, of 40 casts: small enough to damage every page */
    store_close(f->store);
    f->store = NULL;
    f->db = tu_path(f->dir, "small.db");
    fx_open(f);
    assert_int_equal(store_put_campaign(f->store, f->budget->id, (const uint8_t *)"pkg", 3,
                                        f->secret), 0);
    assert_int_equal(store_put_campaign(f->store, f->petition->id, (const uint8_t *)"pkg", 3,
                                        f->psecret), 0);
    open_polls(f);
    for (i = 0; i < 40; i++)
        assert_int_equal(cast_one(f, i % 2, ++f->serial, i % 2 == 0 ? f->day : f->pday, &rec,
                                  why, sizeof why), 0);
    store_close(f->store);
    f->store = NULL;
    orig = tu_read(f->db, &len);
    assert_non_null(orig);
    journal = malloc(strlen(copy) + 16);
    assert_non_null(journal);
    sprintf(journal, "%s-journal", copy);
    /* (STORE-D5) cut to nothing: refused, never a new empty store */
    assert_int_equal(tu_write(copy, orig, 0), 0);
    {
        store_t *s = NULL;

        assert_int_equal(store_open(copy, &s, why, sizeof why), BN_ECORRUPT);
        assert_non_null(strstr(why, "empty"));
        assert_null(s);
    }
    /* truncated at page boundaries and in the middle of pages */
    for (cut = 0; cut < len; cut += len / 64 > page / 2 ? (len / 64) & ~(page / 2 - 1) : page / 2) {
        assert_int_equal(tu_write(copy, orig, cut), 0);
        unlink(journal);
        outcome[open_damaged(f, copy)]++;
        n++;
    }
    printf("fault truncated-file cases %d refused-at-open %d refused-by-check %d sound %d "
           "bad-ballot %d\n", n, outcome[0], outcome[1], outcome[2], outcome[3]);
    /* a flipped byte in each page, at a few places in the page */
    memset(outcome, 0, sizeof outcome);
    n = 0;
    for (off = 0; off < len; off += len / 256 > 997 ? len / 256 + 1 : 997) {
        orig[off] ^= 0x5A;
        assert_int_equal(tu_write(copy, orig, len), 0);
        orig[off] ^= 0x5A;
        unlink(journal);
        outcome[open_damaged(f, copy)]++;
        n++;
    }
    printf("fault flipped-byte cases %d refused-at-open %d refused-by-check %d sound %d "
           "bad-ballot %d\n", n, outcome[0], outcome[1], outcome[2], outcome[3]);
    /* the kiosk's own file was never touched */
    free(f->db);
    f->db = kiosk_db;
    fx_open(f);
    assert_true(integrity_ok(f));
    free(orig);
    free(journal);
    free(copy);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_disk_full),
        cmocka_unit_test(test_write_error),
        cmocka_unit_test(test_read_error),
        cmocka_unit_test(test_fsync_error),
        cmocka_unit_test(test_truncate_error),
        cmocka_unit_test(test_alloc_countdown),
        cmocka_unit_test(test_clock_jumps),
        cmocka_unit_test(test_readonly_state),
        cmocka_unit_test(test_compact_faults),
        cmocka_unit_test(test_migrate_faults),
        cmocka_unit_test(test_damaged_file),
    };
    sqlite3_mem_methods mine;

    /* before SQLite initialises: allocations, then the VFS */
    if (sqlite3_config(SQLITE_CONFIG_GETMALLOC, &sqlite_mem) != SQLITE_OK)
        return 1;
    mine = sqlite_mem;
    mine.xMalloc = mem_malloc;
    mine.xRealloc = mem_realloc;
    if (sqlite3_config(SQLITE_CONFIG_MALLOC, &mine) != SQLITE_OK)
        return 1;
    if (sqlite3_initialize() != SQLITE_OK)
        return 1;
    unix_vfs = sqlite3_vfs_find("unix");
    if (unix_vfs == NULL)
        return 1;
    shim_vfs.szOsFile = (int)sizeof(shim_file_t) + unix_vfs->szOsFile;
    shim_vfs.mxPathname = unix_vfs->mxPathname;
    if (sqlite3_vfs_register(&shim_vfs, 1) != SQLITE_OK)
        return 1;
    setvbuf(stdout, NULL, _IONBF, 0);
    if (getenv("FAULTS_ONLY") != NULL) /* e.g. FAULTS_ONLY=test_migrate_faults */
        cmocka_set_test_filter(getenv("FAULTS_ONLY"));
    return cmocka_run_group_tests(tests, setup, teardown);
}
