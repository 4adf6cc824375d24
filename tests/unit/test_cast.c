/* test_cast.c - the cast path: what is refused writes nothing; what is cast
 * is signed, stored, and has the receipt's tracking code. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ballot.h"
#include "answers.h"
#include "bn_err.h"
#include "cast.h"
#include "day.h"
#include "key.h"
#include "petition.h"
#include "idea.h"
#include "pkg.h"
#include "rng.h"
#include "store.h"
#include "testutil.h"
#include "track.h"

#if defined(__has_include)
#if __has_include(<valgrind/memcheck.h>)
#include <valgrind/memcheck.h>
#define HAVE_MEMCHECK_H 1
#endif
#endif

#include <sqlite3.h>

typedef struct fx_s {
    char *dir;
    rng_t *rng;
    key_pair_t *kiosk;
    signer_t signer;
    pkg_t *pkg;
    store_t *store;
    cast_ctx_t ctx;
    uint32_t day;              /* a day within the demo's polls */
} fx_t;

static int setup(void **state)
{
    static const uint8_t seed[] = "test_cast";
    fx_t *f = calloc(1, sizeof *f);
    char *path, *db, why[256] = "";
    uint8_t *json;
    size_t len;

    assert_non_null(f);
    f->dir = tu_tmpdir("cast");
    assert_int_equal(rng_open_fixed(&f->rng, seed, sizeof seed - 1), 0);
    assert_int_equal(key_generate(f->rng, &f->kiosk), 0);
    key_signer(f->kiosk, &f->signer);
    path = tu_asset("campaigns/demo-budget.json");
    json = tu_read(path, &len);
    assert_non_null(json);
    if (pkg_parse((char *)json, len, &f->pkg, why, sizeof why) != 0)
        fail_msg("demo-budget.json: %s", why);
    db = tu_path(f->dir, "kiosk.db");
    assert_int_equal(store_open(db, &f->store, why, sizeof why), 0);
    f->ctx.store = f->store;
    f->ctx.pkg = f->pkg;
    assert_int_equal(rng_bytes(f->rng, f->ctx.secret, 32), 0);
    f->ctx.signer = &f->signer;
    f->ctx.rng = f->rng;
    assert_int_equal(store_put_campaign(f->store, f->pkg->id, (const uint8_t *)"pkg", 3,
                                        f->ctx.secret), 0);
    assert_int_equal(store_meta_set(f->store, "polls:bp35-demo", "open"), 0);
    assert_int_equal(day_parse("2026-11-28", &f->day), 0);
    free(json);
    free(path);
    free(db);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx_t *f = *state;

    store_close(f->store);
    pkg_free(f->pkg);
    key_free(f->kiosk);
    rng_close(f->rng);
    tu_rmtree(f->dir);
    free(f->dir);
    free(f);
    return 0;
}

static int proj(const fx_t *f, const char *id)
{
    int i = pkg_find_project(f->pkg, id);

    if (i < 0)
        fail_msg("demo package has no project '%s'", id);
    return i;
}

/* (STORE-S9) the turnout counter of one commune, 0 if it has none */
typedef struct turnout_q_s {
    const char *commune;
    int64_t n;
} turnout_q_t;

static int on_turnout(void *arg, const char *commune, int64_t n)
{
    turnout_q_t *q = arg;

    if (strcmp(commune, q->commune) == 0)
        q->n = n;
    return 0;
}

static int64_t turnout_of(const fx_t *f, const char *commune)
{
    turnout_q_t q = {commune, 0};

    assert_int_equal(store_turnout_each(f->store, f->pkg->id, on_turnout, &q), 0);
    return q.n;
}

/* (CAST-C1) Register, box and outbox sizes: a refusal must leave all three as they were. */
static void counts(const fx_t *f, int64_t *reg, int64_t *box, int64_t *out)
{
    assert_int_equal(store_counts(f->store, f->pkg->id, reg, box), 0);
    assert_int_equal(store_outbox_count(f->store, out), 0);
}

static void expect_refused(fx_t *f, const cast_identity_t *who, const int *sel, int n,
                           uint32_t day, int code, const char *words)
{
    int64_t r0, b0, o0, r1, b1, o1, t0 = 0;
    cast_receipt_t rec;
    char why[256] = "";
    int rc;

    counts(f, &r0, &b0, &o0);
    if (who->commune != NULL && strlen(who->commune) == 5)
        t0 = turnout_of(f, who->commune);
    rc = cast_budget(&f->ctx, who, sel, n, day, &rec, why, sizeof why);
    if (rc != code)
        fail_msg("expected %s, got %s (%s)", bn_strerror(code), bn_strerror(rc), why);
    if (words != NULL && strstr(why, words) == NULL)
        fail_msg("reason \"%s\" lacks \"%s\"", why, words);
    counts(f, &r1, &b1, &o1);
    if (who->commune != NULL && strlen(who->commune) == 5)
        assert_int_equal(turnout_of(f, who->commune), t0); /* (STORE-S9) nothing counted */
    assert_int_equal(r0, r1);
    assert_int_equal(b0, b1);
    assert_int_equal(o0, o1);
    assert_string_equal(rec.tracking, ""); /* no receipt */
}

static void test_cast_stores_a_signed_ballot(void **state)
{
    fx_t *f = *state;
    cast_identity_t who = {"Le Gall", "Éloïse", "1987-04-12", "35238"};
    int sel[2] = {proj(f, "ren-velo"), proj(f, "ren-jardin")};
    cast_receipt_t rec;
    char why[256] = "", typed[32], code[TRACK_TEXT_LEN + 1], again[TRACK_TEXT_LEN + 1];
    uint8_t *enc = NULL, tkey[32];
    size_t len = 0;
    ballot_t b;
    int64_t reg, box, out;

    assert_int_equal(cast_budget(&f->ctx, &who, sel, 2, f->day, &rec, why, sizeof why), 0);
    /* (CAST-C2) the ballot is in the box, signed by the kiosk, with the selection sorted */
    assert_int_equal(store_get_ballot(f->store, rec.ballot_id, &enc, &len), 0);
    assert_int_equal(ballot_verify(enc, len, &f->signer.pub), 0);
    assert_int_equal(ballot_decode(enc, len, &b, why, sizeof why), 0);
    assert_string_equal(b.campaign, "bp35-demo");
    assert_string_equal(b.territory, "rennes");
    assert_int_equal(b.n, 2);
    assert_string_equal(b.choices[0], "ren-jardin");
    assert_string_equal(b.choices[1], "ren-velo");
    assert_int_equal(b.day, f->day);
    free(enc);
    counts(f, &reg, &box, &out);
    assert_int_equal(reg, 1);
    assert_int_equal(box, 1);
    assert_int_equal(out, 2);
    /* (STORE-S9) the voter's commune is counted, with the cast */
    assert_int_equal(turnout_of(f, "35238"), 1);
    /* the receipt's code is the ballot's, and reads back when typed sloppily */
    assert_int_equal(track_key(f->ctx.secret, tkey), 0);
    assert_int_equal(track_code(tkey, rec.ballot_id, code), 0);
    assert_string_equal(rec.tracking, code);
    snprintf(typed, sizeof typed, " %.4s %.4s %.4s ", code, code + 5, code + 10);
    for (char *c = typed; *c; c++)
        if (*c >= 'A' && *c <= 'Z')
            *c = (char)(*c - 'A' + 'a');
    assert_int_equal(track_parse(typed, again), 0);
    assert_string_equal(again, code);
}

static void test_second_vote_refused_saying_nothing_more(void **state)
{
    fx_t *f = *state;
    cast_identity_t who = {"Le Gall", "Éloïse", "1987-04-12", "35238"};
    cast_identity_t same = {"LE-GALL", "eloise", "1987-04-12", "35238"};
    cast_identity_t moved = {"Le Gall", "Eloise", "1987-04-12", "35288"}; /* other commune */
    cast_identity_t twin = {"Le Gall", "Éloïse", "1987-04-13", "35238"};  /* other person */
    int sel[1] = {proj(f, "ren-jardin")}, sel2[1] = {proj(f, "stm-dune")};
    cast_receipt_t rec;
    char why[256] = "";

    assert_int_equal(cast_budget(&f->ctx, &who, sel, 1, f->day, &rec, why, sizeof why), 0);
    expect_refused(f, &same, sel, 1, f->day, BN_EALREADY, NULL);
    expect_refused(f, &moved, sel2, 1, f->day, BN_EALREADY, NULL);
    /* the reason is the bare fact: no day, no kiosk, no choice */
    assert_int_equal(cast_budget(&f->ctx, &same, sel, 1, f->day, &rec, why, sizeof why),
                     BN_EALREADY);
    assert_string_equal(why, bn_strerror(BN_EALREADY));
    assert_int_equal(cast_budget(&f->ctx, &twin, sel, 1, f->day, &rec, why, sizeof why), 0);
}

/* A reservation hook that answers as told. */
static int hook_answer;  /* 1 reserved, 0 offline */
static int fake_reserve(void *arg, const char *campaign, const uint8_t pseudonym[PSEUD_LEN],
                        int *reserved)
{
    (void)arg;
    (void)campaign;
    (void)pseudonym;
    *reserved = hook_answer;
    return 0;
}

/* (CAST-C6) The server unreachable: a campaign that allows it takes an
 * offline entry (counted, reported); one that takes part online only
 * (polls.offline "refuse") refuses, writing nothing, and takes the vote
 * once the server answers. */
static void test_offline_policy(void **state)
{
    fx_t *f = *state;
    cast_identity_t a = {"Morel", "Jeanne", "1950-03-03", "35238"};
    cast_identity_t b = {"Morel", "Paul", "1951-03-03", "35238"};
    int sel[1] = {proj(f, "ren-jardin")};
    cast_receipt_t rec;
    char why[256] = "";

    f->ctx.reserve = fake_reserve;
    hook_answer = 0;
    f->pkg->online_only = 0;
    assert_int_equal(cast_budget(&f->ctx, &a, sel, 1, f->day, &rec, why, sizeof why), 0);
    f->pkg->online_only = 1;
    expect_refused(f, &b, sel, 1, f->day, BN_EOFFLINE, "online only");
    f->ctx.reserve = NULL;       /* no server configured at all */
    expect_refused(f, &b, sel, 1, f->day, BN_EOFFLINE, "no server");
    f->ctx.reserve = fake_reserve;
    hook_answer = 1;
    assert_int_equal(cast_budget(&f->ctx, &b, sel, 1, f->day, &rec, why, sizeof why), 0);
    f->pkg->online_only = 0;
    f->ctx.reserve = NULL;
}

/* (PSEUD-N1) (PSEUD-N2) The repeat voter: one person typing their name the
 * ways people do (the attack gave 7 ballots at one kiosk) gets one. */
static void test_repeat_voter_variants(void **state)
{
    static const cast_identity_t variants[] = {
        {"Le Gall", "Jean-François", "1987-04-12", "35238"},
        {"LEGALL", "Jean François", "1987-04-12", "35238"},
        {"Le-Gall", "JEANFRANCOIS", "1987-04-12", "35238"},
        {"le  gall", "Jean–François", "1987-04-12", "35238"},
        {"LE GALL", "jean francois", "1987-04-12", "35238"},
        {"de Le Gall", "Jean-François", "1987-04-12", "35238"},
        {"Le’Gall", "Jean.François", "1987-04-12", "35238"},
    };
    static const cast_identity_t dupond = {"Du Pond", "Anne", "1990-01-01", "35238"};
    static const cast_identity_t pond = {"Pond", "Anne", "1990-01-01", "35238"};
    static const cast_identity_t marie = {"Le Gall", "Marie", "2001-06-01", "35238"};
    static const cast_identity_t marie_anne = {"Le Gall", "Marie Anne", "2001-06-01", "35238"};
    fx_t *f = *state;
    int sel[1] = {proj(f, "ren-jardin")}, ok = 0;
    cast_receipt_t rec;
    char why[256] = "";
    size_t i;

    for (i = 0; i < sizeof variants / sizeof variants[0]; i++)
        ok += cast_budget(&f->ctx, &variants[i], sel, 1, f->day, &rec, why, sizeof why) == 0;
    assert_int_equal(ok, 1);
    /* a dropped particle */
    assert_int_equal(cast_budget(&f->ctx, &dupond, sel, 1, f->day, &rec, why, sizeof why), 0);
    assert_int_equal(cast_budget(&f->ctx, &pond, sel, 1, f->day, &rec, why, sizeof why),
                     BN_EALREADY);
    /* twins Marie and Marie Anne are two people */
    assert_int_equal(cast_budget(&f->ctx, &marie, sel, 1, f->day, &rec, why, sizeof why), 0);
    assert_int_equal(cast_budget(&f->ctx, &marie_anne, sel, 1, f->day, &rec, why, sizeof why), 0);
}

static void test_eligibility(void **state)
{
    fx_t *f = *state;
    int sel[1] = {proj(f, "ren-jardin")};
    uint32_t before, after;
    cast_identity_t young = {"Hamon", "Lou", "2010-11-29", "35238"};   /* 16 tomorrow */
    cast_identity_t sixteen = {"Hamon", "Léa", "2010-11-28", "35238"}; /* 16 today */
    cast_identity_t away = {"Martin", "Paul", "1980-01-01", "22278"};
    cast_identity_t nodate = {"Martin", "Paul", "1980-02-30", "35238"};
    cast_identity_t noname = {"  -- ", "Paul", "1980-02-03", "35238"};
    cast_identity_t ok = {"Martin", "Paul", "1980-02-03", "35238"};
    cast_receipt_t rec;
    char why[256];

    expect_refused(f, &young, sel, 1, f->day, BN_ERANGE, "16 or older");
    assert_int_equal(cast_budget(&f->ctx, &sixteen, sel, 1, f->day, &rec, why, sizeof why), 0);
    expect_refused(f, &away, sel, 1, f->day, BN_ENOTFOUND, "22278");
    expect_refused(f, &nodate, sel, 1, f->day, BN_ERANGE, "1980-02-30");
    expect_refused(f, &noname, sel, 1, f->day, BN_EFORMAT, "identity");
    before = f->pkg->opens - 1;
    after = f->pkg->closes + 1;
    expect_refused(f, &ok, sel, 1, before, BN_ECLOSED, "are from 2026-11-01 to 2028-12-31");
    expect_refused(f, &ok, sel, 1, after, BN_ECLOSED, NULL);
    /* (POLLS-P2) whatever the screens do, nothing is cast unless the
     * agents opened the polls, nor while they are paused or closed */
    {
        static const char *const states[] = {"closed", "paused", "final"};
        int k;
        for (k = 0; k < 3; k++) {
            assert_int_equal(store_meta_set(f->store, "polls:bp35-demo", states[k]), 0);
            expect_refused(f, &ok, sel, 1, f->day, BN_ECLOSED, "the polls of bp35-demo are");
        }
        assert_int_equal(store_meta_set(f->store, "polls:bp35-demo", "open"), 0);
    }
    assert_int_equal(cast_budget(&f->ctx, &ok, sel, 1, f->pkg->closes, &rec, why, sizeof why), 0);
}

static void test_ballot_rule(void **state)
{
    fx_t *f = *state;
    cast_identity_t who = {"Perrin", "Lucie", "1990-02-02", "35238"};
    int over[3] = {proj(f, "ren-velo"), proj(f, "ren-aire-jeux"), proj(f, "ren-arbres-ecole")};
    int other[1] = {proj(f, "stm-dune")};
    int twice[2] = {proj(f, "ren-jardin"), proj(f, "ren-jardin")};
    int bad[1] = {999};

    /* 148000 + 95000 + 82000 = 325000 fits 333333; add 36000: 27667 over */
    int five[4] = {over[0], over[1], over[2], proj(f, "ren-reparation")};

    expect_refused(f, &who, five, 4, f->day, BN_ERULE, "27667 EUR over the envelope");
    expect_refused(f, &who, NULL, 0, f->day, BN_ERULE, "1 more project");
    expect_refused(f, &who, other, 1, f->day, BN_ERULE, "stm-dune");
    expect_refused(f, &who, twice, 2, f->day, BN_ERULE, "twice");
    expect_refused(f, &who, bad, 1, f->day, BN_ERULE, "unknown");
}

/* (CAST-C3) A store that fails inside the cast's transaction (here a trigger
 * another connection put on the turnout counters, the last write before
 * COMMIT) gives no receipt: the error, no tracking code, and nothing of the
 * cast left in the register, the box or the outbox (STORE-D3). */
static void test_failed_write_gives_no_receipt(void **state)
{
    fx_t *f = *state;
    cast_identity_t who = {"Le Gall", "Éloïse", "1987-04-12", "35238"};
    int sel[1] = {proj(f, "ren-jardin")};
    char *db = tu_path(f->dir, "kiosk.db"), why[256] = "";
    cast_receipt_t rec;
    sqlite3 *other;
    int64_t r0, b0, o0, r1, b1, o1;
    int rc;

    assert_int_equal(sqlite3_open(db, &other), SQLITE_OK);
    assert_int_equal(sqlite3_exec(other, "CREATE TRIGGER refuse BEFORE UPDATE ON turnout BEGIN"
                                  " SELECT RAISE(ABORT, 'disk says no'); END;"
                                  "CREATE TRIGGER refuse2 BEFORE INSERT ON turnout BEGIN"
                                  " SELECT RAISE(ABORT, 'disk says no'); END;",
                                  NULL, NULL, NULL), SQLITE_OK);
    counts(f, &r0, &b0, &o0);
    memset(&rec, 'x', sizeof rec);
    rc = cast_budget(&f->ctx, &who, sel, 1, f->day, &rec, why, sizeof why);
    assert_int_not_equal(rc, 0);
    assert_string_equal(rec.tracking, "");
    counts(f, &r1, &b1, &o1);
    assert_int_equal(r0, r1);
    assert_int_equal(b0, b1);
    assert_int_equal(o0, o1);
    /* the store works again once the fault is gone, and the person can vote */
    assert_int_equal(sqlite3_exec(other, "DROP TRIGGER refuse; DROP TRIGGER refuse2;", NULL, NULL,
                                  NULL), SQLITE_OK);
    sqlite3_close(other);
    assert_int_equal(cast_budget(&f->ctx, &who, sel, 1, f->day, &rec, why, sizeof why), 0);
    assert_int_equal(strlen(rec.tracking), TRACK_TEXT_LEN);
    free(db);
}

/* Searches the dead stack below the caller for `needle`: what the frames of
 * the call just made (cast_budget and all it called) left behind. The area
 * is read without being written, on purpose. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
static __attribute__((noinline)) int stack_holds(const char *needle)
{
    volatile unsigned char area[65536];
    size_t n = strlen(needle), i, j;
    int hits = 0;

#ifdef HAVE_MEMCHECK_H
    /* under valgrind: this read of dead bytes is the test, not a bug */
    VALGRIND_MAKE_MEM_DEFINED((void *)area, sizeof area);
#endif
    for (i = 0; i + n <= sizeof area; i++) {
        for (j = 0; j < n && area[i + j] == (unsigned char)needle[j]; j++)
            ;
        if (j == n)
            hits++;
    }
    return hits;
}
#pragma GCC diagnostic pop

static __attribute__((noinline)) int cast_then(const cast_ctx_t *ctx, uint32_t day,
                                               const cast_identity_t *who, const int *sel,
                                               int n, int budget)
{
    cast_receipt_t rec;
    char why[256];

    if (budget)
        return cast_budget(ctx, who, sel, n, day, &rec, why, sizeof why);
    return cast_petition(ctx, who, 1, day, &rec, why, sizeof why);
}

/* (CAST-C4) DESIGN-S3: after a cast, the chosen projects' ids are nowhere in
 * the stack the cast used (ballot_t, its encoding, the rule's verdict are
 * wiped on every path), whether it was stored or refused. */
static void test_choices_do_not_outlive_the_cast(void **state)
{
    fx_t *f = *state;
    cast_identity_t who = {"Perrin", "Lucie", "1990-02-02", "35238"};
    int sel[2] = {proj(f, "ren-arbres-ecole"), proj(f, "ren-reparation")};
    int over[4] = {proj(f, "ren-velo"), proj(f, "ren-aire-jeux"), proj(f, "ren-arbres-ecole"),
                   proj(f, "ren-reparation")};

#if defined(__SANITIZE_ADDRESS__)
    skip(); /* ASan moves frames to a fake stack and fills redzones: plain build only */
#endif
    assert_int_equal(cast_then(&f->ctx, f->day, &who, sel, 2, 1), 0);
    assert_int_equal(stack_holds("ren-arbres-ecole"), 0);
    assert_int_equal(stack_holds("ren-reparation"), 0);
    who.birth = "1990-02-03";
    assert_int_equal(cast_then(&f->ctx, f->day, &who, over, 4, 1), BN_ERULE);
    assert_int_equal(stack_holds("ren-aire-jeux"), 0);
    assert_int_equal(stack_holds("ren-arbres-ecole"), 0);
}

static void test_wrong_kind_and_unknown_campaign(void **state)
{
    fx_t *f = *state;
    cast_identity_t who = {"Perrin", "Lucie", "1990-02-02", "35238"};
    int sel[1] = {proj(f, "ren-jardin")};
    store_t *other = NULL;
    char *db = tu_path(f->dir, "other.db"), why[256];

    f->pkg->kind = PKG_PETITION;
    expect_refused(f, &who, sel, 1, f->day, BN_EKIND, "not a budget vote");
    f->pkg->kind = PKG_BUDGET;
    /* a store that never received the campaign: the cast is refused whole */
    assert_int_equal(store_open(db, &other, why, sizeof why), 0);
    f->ctx.store = other;
    {
        cast_receipt_t rec;
        int64_t reg = -1, box = -1;

        assert_int_not_equal(cast_budget(&f->ctx, &who, sel, 1, f->day, &rec, why, sizeof why), 0);
        assert_int_equal(store_counts(other, f->pkg->id, &reg, &box), 0);
        assert_int_equal(reg, 0);
        assert_int_equal(box, 0);
        assert_string_equal(rec.tracking, "");
    }
    f->ctx.store = f->store;
    store_close(other);
    free(db);
}

/* --- petitions ----------------------------------------------------------------- */

typedef struct pfx_s {
    fx_t f;                    /* the budget fixture, its store and keys */
    pkg_t *pet;
    key_pair_t *auth;            /* the authority (signs packages, certifies kiosks) */
    key_pair_t *controller;      /* the data controller: demo-controller.key */
    cast_ctx_t pctx;
} pfx_t;

static int psetup(void **state)
{
    pfx_t *p = calloc(1, sizeof *p);
    fx_t *f;
    char *path, why[256] = "";
    uint8_t *json;
    size_t len;
    void *inner = NULL;

    assert_non_null(p);
    setup(&inner);
    f = inner;
    p->f = *f;
    p->f.ctx.signer = &p->f.signer; /* pointed into the copied-from fixture */
    free(f);
    path = tu_asset("campaigns/demo-petition.json");
    json = tu_read(path, &len);
    assert_non_null(json);
    if (pkg_parse((char *)json, len, &p->pet, why, sizeof why) != 0)
        fail_msg("demo-petition.json: %s", why);
    assert_int_equal(key_generate(p->f.rng, &p->auth), 0);
    free(path);
    /* a copy made 0600: git keeps no file mode, and key_load wants one */
    path = tu_asset("campaigns/demo-controller.key");
    {
        size_t klen = 0;
        uint8_t *pem = tu_read(path, &klen);
        char *dir = tu_tmpdir("controller"), *copy = tu_path(dir, "controller.key");

        assert_non_null(pem);
        assert_int_equal(tu_write(copy, pem, klen), 0);
        assert_int_equal(chmod(copy, 0600), 0);
        if (key_load(copy, p->f.rng, &p->controller, why, sizeof why) != 0)
            fail_msg("demo-controller.key: %s", why);
        tu_rmtree(dir);
        free(copy);
        free(dir);
        free(pem);
    }
    p->pctx = p->f.ctx;
    p->pctx.pkg = p->pet;
    assert_int_equal(store_put_campaign(p->f.store, p->pet->id, (const uint8_t *)"pkg", 3,
                                        p->pctx.secret), 0);
    {
        char key[64];
        snprintf(key, sizeof key, "polls:%s", p->pet->id);
        assert_int_equal(store_meta_set(p->f.store, key, "open"), 0);
    }
    free(json);
    free(path);
    *state = p;
    return 0;
}

static int pteardown(void **state)
{
    pfx_t *p = *state;
    fx_t *f = malloc(sizeof *f);
    void *inner;

    assert_non_null(f);
    *f = p->f;
    inner = f;
    pkg_free(p->pet);
    key_free(p->auth);
    key_free(p->controller);
    free(p);
    return teardown(&inner);
}

/* Register, signatures and outbox of the petition. */
static void pcounts(const pfx_t *p, int64_t *reg, int64_t *sig, int64_t *out)
{
    int64_t box, cantons;

    assert_int_equal(store_counts(p->f.store, p->pet->id, reg, &box), 0);
    assert_int_equal(box, 0); /* a petition never writes the ballot box */
    assert_int_equal(store_petition_counts(p->f.store, p->pet->id, sig, &cantons), 0);
    assert_int_equal(store_outbox_count(p->f.store, out), 0);
}

static void expect_sign_refused(pfx_t *p, const cast_identity_t *who, uint32_t day, int code,
                                const char *words)
{
    int64_t r0, s0, o0, r1, s1, o1;
    cast_receipt_t rec;
    char why[256] = "";
    int rc;

    pcounts(p, &r0, &s0, &o0);
    rc = cast_petition(&p->pctx, who, 1, day, &rec, why, sizeof why);
    if (rc != code)
        fail_msg("expected %s, got %s (%s)", bn_strerror(code), bn_strerror(rc), why);
    if (words != NULL && strstr(why, words) == NULL)
        fail_msg("reason \"%s\" lacks \"%s\"", why, words);
    pcounts(p, &r1, &s1, &o1);
    assert_int_equal(r0, r1);
    assert_int_equal(s0, s1);
    assert_int_equal(o0, o1);
    assert_string_equal(rec.tracking, "");
}

/* (CAST-C5) DESIGN-S5: after a signature, the names as typed are nowhere in
 * the stack the cast used: sealed, then wiped on every path. */
static void test_identity_does_not_outlive_the_signature(void **state)
{
    pfx_t *p = *state;
    cast_identity_t who = {"Quéméner-Tanguy", "Rozenn-Gwenaëlle", "1975-09-30", "35238"};
    cast_identity_t young = {"Quéméner-Tanguy", "Rozenn-Gwenaëlle", "2020-09-30", "35238"};

#if defined(__SANITIZE_ADDRESS__)
    skip(); /* ASan moves frames to a fake stack and fills redzones: plain build only */
#endif
    assert_int_equal(cast_then(&p->pctx, p->f.day, &who, NULL, 0, 0), 0);
    assert_int_equal(stack_holds("Tanguy"), 0);
    assert_int_equal(stack_holds("Gwena"), 0);
    assert_int_equal(stack_holds("1975-09-30"), 0);
    assert_int_equal(cast_then(&p->pctx, p->f.day, &young, NULL, 0, 0), BN_ERANGE);
    assert_int_equal(stack_holds("Tanguy"), 0);
}

static int holds(const uint8_t *b, size_t len, const char *s)
{
    size_t n = strlen(s), i;

    for (i = 0; i + n <= len; i++)
        if (memcmp(b + i, s, n) == 0)
            return 1;
    return 0;
}

/* DESIGN-S4: the register holds a pseudonym, never a name: after casts,
 * neither the database file nor its journal holds any part of the identity
 * as typed or normalised. */
static void test_register_holds_no_name(void **state)
{
    fx_t *f = *state;
    cast_identity_t who = {"Le Gall", "Éloïse", "1987-04-12", "35238"};
    int sel[1] = {proj(f, "ren-jardin")};
    static const char *never[] = {"Gall", "GALL", "gall", "Elo", "ELO", "elo", "1987-04-12",
                                  "19870412", "LE GALL", "LEGALL"};
    char *db = tu_path(f->dir, "kiosk.db"), *jr = tu_path(f->dir, "kiosk.db-journal");
    char why[256];
    cast_receipt_t rec;
    uint8_t *bytes;
    size_t len, i, k;

    assert_int_equal(cast_budget(&f->ctx, &who, sel, 1, f->day, &rec, why, sizeof why), 0);
    for (k = 0; k < 2; k++) {
        bytes = tu_read(k == 0 ? db : jr, &len);
        if (bytes == NULL)
            continue; /* no journal left: nothing to search */
        for (i = 0; i < sizeof never / sizeof never[0]; i++)
            if (holds(bytes, len, never[i]))
                fail_msg("(DESIGN-S4) '%s' is in %s", never[i], k == 0 ? db : jr);
        free(bytes);
    }
    free(db);
    free(jr);
}

static void test_petition_signed_sealed_stored(void **state)
{
    pfx_t *p = *state;
    cast_identity_t who = {"Le Gall", "Éloïse", "1987-04-12", "35238"};
    cast_identity_t other = {"Perrin", "Lucie", "1990-02-02", "35288"};
    cast_receipt_t rec, rec2;
    petition_identity_t back;
    petition_t dec;
    char why[256] = "", code[TRACK_TEXT_LEN + 1];
    uint8_t *enc = NULL, tkey[32], ps[PSEUD_LEN];
    size_t len = 0;
    int64_t reg, sig, out, cantons;

    assert_int_equal(cast_petition(&p->pctx, &who, 0, p->f.day, &rec, why, sizeof why), 0);
    assert_int_equal(store_get_signature(p->f.store, rec.ballot_id, &enc, &len), 0);
    assert_int_equal(len, PETITION_LEN);
    assert_int_equal(petition_verify(enc, len, &p->f.signer.pub), 0);
    assert_int_equal(petition_decode(enc, len, &dec, why, sizeof why), 0);
    assert_string_equal(dec.campaign, "pet35-demo");
    assert_string_equal(dec.canton, p->pet->cantons[p->pet->communes[pkg_find_commune(p->pet,
                                        "35238")].canton].id);
    assert_int_equal(dec.day, p->f.day);
    assert_int_equal(dec.no_publish, 1); /* publish_name = 0 */
    assert_int_equal(pseud_compute(p->pctx.secret, "pet35-demo", "LE GALL", "eloise",
                                   "1987-04-12", ps), 0);
    assert_memory_equal(dec.pseudonym, ps, PSEUD_LEN);
    /* (CAST-C7) the authority, which signs packages and certifies kiosks,
     * cannot read it: it is sealed to the data controller's key */
    assert_int_equal(petition_decrypt(enc, len, p->auth, &back, why, sizeof why), BN_EWRONGKEY);
    assert_int_equal(petition_decrypt(enc, len, p->controller, &back, why, sizeof why), 0);
    assert_string_equal(back.last_name, "Le Gall");
    assert_string_equal(back.first_names, "Éloïse");
    assert_string_equal(back.birth, "1987-04-12");
    assert_string_equal(back.commune, "35238");
    free(enc);
    /* the receipt's code is the signature id's */
    assert_int_equal(track_key(p->pctx.secret, tkey), 0);
    assert_int_equal(track_code(tkey, rec.ballot_id, code), 0);
    assert_string_equal(rec.tracking, code);
    /* a second person, name published */
    assert_int_equal(cast_petition(&p->pctx, &other, 1, p->f.day, &rec2, why, sizeof why), 0);
    assert_int_equal(store_get_signature(p->f.store, rec2.ballot_id, &enc, &len), 0);
    assert_int_equal(petition_decode(enc, len, &dec, why, sizeof why), 0);
    assert_int_equal(dec.no_publish, 0);
    free(enc);
    pcounts(p, &reg, &sig, &out);
    assert_int_equal(reg, 2);
    assert_int_equal(sig, 2);
    assert_int_equal(out, 2);
    assert_int_equal(store_petition_counts(p->f.store, p->pet->id, &sig, &cantons), 0);
    assert_int_equal(cantons, 2); /* Rennes and Saint-Malo are in two cantons */
}

static void test_petition_second_signature_refused(void **state)
{
    pfx_t *p = *state;
    cast_identity_t who = {"Le Gall", "Éloïse", "1987-04-12", "35238"};
    cast_identity_t same = {"LE-GALL", "eloise", "1987-04-12", "35238"};
    cast_identity_t moved = {"Le Gall", "Eloise", "1987-04-12", "35288"};
    cast_receipt_t rec;
    char why[256] = "";

    assert_int_equal(cast_petition(&p->pctx, &who, 1, p->f.day, &rec, why, sizeof why), 0);
    expect_sign_refused(p, &same, p->f.day, BN_EALREADY, NULL);
    expect_sign_refused(p, &moved, p->f.day + 1, BN_EALREADY, NULL);
    assert_int_equal(cast_petition(&p->pctx, &same, 0, p->f.day, &rec, why, sizeof why),
                     BN_EALREADY);
    assert_string_equal(why, bn_strerror(BN_EALREADY)); /* nothing more */
    /* signing the petition does not count as voting the budget, nor the reverse:
     * each campaign has its own register and pseudonyms */
    {
        int sel[1] = {proj(&p->f, "ren-jardin")};

        assert_int_equal(cast_budget(&p->f.ctx, &same, sel, 1, p->f.day, &rec, why, sizeof why),
                         0);
    }
}

static void test_petition_refusals(void **state)
{
    pfx_t *p = *state;
    cast_identity_t young = {"Hamon", "Lou", "2010-11-29", "35238"};   /* 16 tomorrow */
    cast_identity_t sixteen = {"Hamon", "Léa", "2010-11-28", "35238"}; /* 16 today */
    cast_identity_t away = {"Martin", "Paul", "1980-01-01", "22278"};
    cast_identity_t nodate = {"Martin", "Paul", "1980-02-30", "35238"};
    cast_identity_t noname = {"  -- ", "Paul", "1980-02-03", "35238"};
    cast_identity_t ok = {"Martin", "Paul", "1980-02-03", "35238"};
    cast_receipt_t rec;
    char why[256] = "", longname[300];

    expect_sign_refused(p, &young, p->f.day, BN_ERANGE, "signers must be 16 or older");
    assert_int_equal(cast_petition(&p->pctx, &sixteen, 1, p->f.day, &rec, why, sizeof why), 0);
    expect_sign_refused(p, &away, p->f.day, BN_ENOTFOUND, "22278");
    expect_sign_refused(p, &nodate, p->f.day, BN_ERANGE, "1980-02-30");
    expect_sign_refused(p, &noname, p->f.day, BN_EFORMAT, "identity");
    /* the window: the polls of the petition */
    expect_sign_refused(p, &ok, p->pet->opens - 1, BN_ECLOSED, "are from 2026-11-01 to 2028-12-31");
    expect_sign_refused(p, &ok, p->pet->closes + 1, BN_ECLOSED, NULL);
    /* names that do not fit the sealed identity */
    memset(longname, 'a', 250);
    longname[250] = '\0';
    {
        cast_identity_t lng = {longname, "Paul", "1980-02-03", "35238"};

        expect_sign_refused(p, &lng, p->f.day, BN_EINVAL, "longer than");
    }
    /* (CAST-C7) a package with no data controller key: nothing is sealed */
    p->pet->petition.has_controller = 0;
    expect_sign_refused(p, &ok, p->f.day, BN_EKEY, "petition.controller");
    p->pet->petition.has_controller = 1;
    /* kinds: a budget is not signed, a petition is not voted */
    p->pctx.pkg = p->f.pkg;
    {
        int64_t r0, b0, o0;

        counts(&p->f, &r0, &b0, &o0);
        assert_int_equal(cast_petition(&p->pctx, &ok, 1, p->f.day, &rec, why, sizeof why),
                         BN_EKIND);
        assert_non_null(strstr(why, "not a petition"));
        assert_string_equal(rec.tracking, "");
    }
    p->pctx.pkg = p->pet;
    {
        int sel[1] = {0};

        p->f.ctx.pkg = p->pet;
        assert_int_equal(cast_budget(&p->f.ctx, &ok, sel, 1, p->f.day, &rec, why, sizeof why),
                         BN_EKIND);
        p->f.ctx.pkg = p->f.pkg;
    }
    assert_int_equal(cast_petition(&p->pctx, &ok, 1, p->pet->closes, &rec, why, sizeof why), 0);
}

/* --- ideas (issue 17) ---------------------------------------------------------- */

typedef struct ifx_s {
    pfx_t p;                     /* the petition fixture: keys, controller, store */
    pkg_t *ideas;
    cast_ctx_t ictx;
} ifx_t;

static int isetup(void **state)
{
    ifx_t *x = calloc(1, sizeof *x);
    void *inner = NULL;
    char *path, why[256] = "";
    uint8_t *json;
    size_t len;

    assert_non_null(x);
    psetup(&inner);
    x->p = *(pfx_t *)inner;
    x->p.f.ctx.signer = &x->p.f.signer;
    free(inner);
    path = tu_vector("pkg/ideas.json");
    json = tu_read(path, &len);
    assert_non_null(json);
    if (pkg_parse((char *)json, len, &x->ideas, why, sizeof why) != 0)
        fail_msg("ideas.json: %s", why);
    x->ictx = x->p.f.ctx;
    x->ictx.signer = &x->p.f.signer;
    x->ictx.pkg = x->ideas;
    assert_int_equal(store_put_campaign(x->p.f.store, x->ideas->id, (const uint8_t *)"pkg", 3,
                                        x->ictx.secret), 0);
    assert_int_equal(store_meta_set(x->p.f.store, "polls:idees35-2027", "open"), 0);
    free(json);
    free(path);
    *state = x;
    return 0;
}

static int iteardown(void **state)
{
    ifx_t *x = *state;
    pfx_t *p = malloc(sizeof *p);

    assert_non_null(p);
    *p = x->p;
    pkg_free(x->ideas);
    free(x);
    *state = p;
    return pteardown(state);
}

typedef struct seen_s {
    int n, with_contact;
    char contact[IDEA_CONTACT_BYTES + 1];
    key_pair_t *controller;
} seen_t;

static int on_idea(void *arg, const uint8_t *rec, size_t len)
{
    seen_t *s = arg;
    idea_t *d = malloc(sizeof *d);

    assert_non_null(d);
    assert_int_equal(idea_decode(rec, len, d, NULL, 0), 0);
    s->n++;
    if (d->has_contact) {
        s->with_contact++;
        assert_int_equal(idea_open_contact(rec, len, s->controller, s->contact, NULL, 0), 0);
    }
    free(d);
    return 0;
}

/* An idea proposed: signed, kept, a tracking code; the person's limit
 * (3 in the package); the contact sealed to the data controller, nowhere in
 * clear in the store's file (IDEA-I1); refusals that write nothing. */
static void test_ideas_proposed(void **state)
{
    ifx_t *x = *state;
    cast_identity_t who = {"LE GALL", "ANNE", "1987-04-12", "35238"};
    cast_idea_t idea = {1, -1, "Un verger partag\xc3\xa9 au Blosne",
                        "Planter vingt arbres fruitiers.\nLes habitants les entretiennent.",
                        "Parc des Hautes-Ourmes", NULL};
    cast_receipt_t rec;
    char why[300];
    uint32_t day;
    seen_t seen;
    int i;

    assert_int_equal(day_parse("2026-11-15", &day), 0);
    for (i = 0; i < 3; i++) {
        idea.contact = i == 0 ? "anne.legall@example.org" : NULL;
        if (cast_idea(&x->ictx, &who, &idea, day, &rec, why, sizeof why) != 0)
            fail_msg("idea %d: %s", i, why);
        assert_int_equal(strlen(rec.tracking), TRACK_TEXT_LEN);
    }
    assert_int_equal(cast_idea(&x->ictx, &who, &idea, day, &rec, why, sizeof why), BN_EALREADY);
    assert_string_equal(rec.tracking, "");
    memset(&seen, 0, sizeof seen);
    seen.controller = x->p.controller;
    assert_int_equal(store_each_idea(x->p.f.store, x->ideas->id, on_idea, &seen), 0);
    assert_int_equal(seen.n, 3);
    assert_int_equal(seen.with_contact, 1);
    assert_string_equal(seen.contact, "anne.legall@example.org");
    {
        char *db = tu_path(x->p.f.dir, "kiosk.db");
        size_t len = 0;
        uint8_t *file = tu_read(db, &len);
        assert_non_null(file);
        assert_false(holds(file, len, "anne.legall@example.org")); /* (IDEA-I1) */
        assert_false(holds(file, len, "LE GALL"));
        free(file);
        free(db);
    }
    /* refusals, nothing written */
    who.last_name = "MORVAN";
    idea.theme = 9;
    assert_int_equal(cast_idea(&x->ictx, &who, &idea, day, &rec, why, sizeof why), BN_EINVAL);
    idea.theme = 0;
    idea.title = "";
    assert_int_equal(cast_idea(&x->ictx, &who, &idea, day, &rec, why, sizeof why), BN_EINVAL);
    idea.title = "Un titre";
    x->ideas->ideas.contact = 0;
    idea.contact = "06 12 34 56 78";
    assert_int_equal(cast_idea(&x->ictx, &who, &idea, day, &rec, why, sizeof why), BN_EKEY);
    x->ideas->ideas.contact = 1;
    idea.contact = NULL;
    assert_int_equal(cast_idea(&x->p.f.ctx, &who, &idea, day, &rec, why, sizeof why), BN_EKIND);
    assert_int_equal(day_parse("2027-02-01", &day), 0); /* after the call closed */
    assert_int_equal(cast_idea(&x->ictx, &who, &idea, day, &rec, why, sizeof why), BN_ECLOSED);
    memset(&seen, 0, sizeof seen);
    seen.controller = x->p.controller;
    assert_int_equal(store_each_idea(x->p.f.store, NULL, on_idea, &seen), 0);
    assert_int_equal(seen.n, 3);
}

/* The same fixture with the questionnaire of tests/vectors/pkg. */
static int qsetup(void **state)
{
    ifx_t *x;
    char *path, why[256] = "";
    uint8_t *json;
    size_t len;

    isetup(state);
    x = *state;
    pkg_free(x->ideas);
    path = tu_vector("pkg/questionnaire.json");
    json = tu_read(path, &len);
    assert_non_null(json);
    if (pkg_parse((char *)json, len, &x->ideas, why, sizeof why) != 0)
        fail_msg("questionnaire.json: %s", why);
    x->ictx.pkg = x->ideas;
    assert_int_equal(store_put_campaign(x->p.f.store, x->ideas->id, (const uint8_t *)"pkg", 3,
                                        x->ictx.secret), 0);
    assert_int_equal(store_meta_set(x->p.f.store, "polls:mobilite35-2027", "open"), 0);
    free(json);
    free(path);
    return 0;
}

static int count_rec(void *arg, const uint8_t *rec, size_t len)
{
    int *n = arg;
    qtext_t *t = malloc(sizeof *t);

    assert_non_null(t);
    if (len > 4 && memcmp(rec, "BRNT", 4) == 0)
        assert_int_equal(qtext_decode(rec, len, t, NULL, 0), 0);
    free(t);
    (*n)++;
    return 0;
}

/* A questionnaire answered: the answers a signed kind-4 ballot in the box,
 * the person in the register, the free text a record of its own (nothing in
 * the ballot of its words), a tracking code; once a person; refusals (a
 * rule, a text of two lines, another kind, after the dates) write nothing. */
static void test_answers_cast(void **state)
{
    ifx_t *x = *state;
    cast_identity_t who = {"LE GALL", "ANNE", "1987-04-12", "35238"};
    ballot_answer_t a[7] = {
        {0, PKG_Q_ONE, 1, {1}}, {1, PKG_Q_MANY, 2, {0, 3}}, {2, PKG_Q_RANK, 3, {1, 2, 0}},
        {3, PKG_Q_SCALE, 1, {2}}, {4, PKG_Q_YESNO, 1, {1}}, {5, PKG_Q_ONE, 1, {0}},
        {6, PKG_Q_TEXT, 0, {0}}};
    const char *texts[1] = {"Des cars le soir, m\xc3\xaame le dimanche."};
    cast_answers_t ans = {a, 7, texts};
    cast_receipt_t rec;
    char why[300];
    uint32_t day;
    int64_t reg = 0, box = 0;
    int n = 0;

    assert_int_equal(day_parse("2026-11-15", &day), 0);
    if (cast_answers(&x->ictx, &who, &ans, day, &rec, why, sizeof why) != 0)
        fail_msg("answers: %s", why);
    assert_int_equal(strlen(rec.tracking), TRACK_TEXT_LEN);
    assert_int_equal(store_counts(x->p.f.store, x->ideas->id, &reg, &box), 0);
    assert_int_equal(reg, 1);
    assert_int_equal(box, 1);
    assert_int_equal(store_each_text(x->p.f.store, x->ideas->id, count_rec, &n), 0);
    assert_int_equal(n, 1);
    {
        uint8_t *b = NULL;
        size_t len = 0;
        ballot_t d;
        assert_int_equal(store_get_ballot(x->p.f.store, rec.ballot_id, &b, &len), 0);
        assert_int_equal(ballot_decode(b, len, &d, why, sizeof why), 0);
        assert_int_equal(d.kind, BALLOT_KIND_ANSWERS);
        assert_int_equal(d.n, 7);
        assert_int_equal(answers_check(x->ideas, &d, why, sizeof why), 0);
        assert_false(holds(b, len, "cars le soir")); /* the words are apart */
        free(b);
    }
    /* once */
    assert_int_equal(cast_answers(&x->ictx, &who, &ans, day, &rec, why, sizeof why), BN_EALREADY);
    assert_string_equal(rec.tracking, "");
    /* refusals, nothing written */
    who.last_name = "MORVAN";
    a[4].v[0] = 0; /* no bike, yet what stops using it answered */
    assert_int_equal(cast_answers(&x->ictx, &who, &ans, day, &rec, why, sizeof why), BN_ERULE);
    assert_non_null(strstr(why, "velo-freins"));
    a[4].v[0] = 1;
    texts[0] = "deux\nlignes";
    assert_int_equal(cast_answers(&x->ictx, &who, &ans, day, &rec, why, sizeof why), BN_EINVAL);
    texts[0] = "";
    assert_int_equal(cast_answers(&x->ictx, &who, &ans, day, &rec, why, sizeof why), BN_EINVAL);
    texts[0] = "Une ligne.";
    assert_int_equal(cast_answers(&x->p.f.ctx, &who, &ans, day, &rec, why, sizeof why),
                     BN_EKIND);
    assert_int_equal(day_parse("2027-02-01", &day), 0);
    assert_int_equal(cast_answers(&x->ictx, &who, &ans, day, &rec, why, sizeof why), BN_ECLOSED);
    assert_int_equal(store_counts(x->p.f.store, x->ideas->id, &reg, &box), 0);
    assert_int_equal(reg, 1);
    assert_int_equal(box, 1);
    n = 0;
    assert_int_equal(store_each_text(x->p.f.store, NULL, count_rec, &n), 0);
    assert_int_equal(n, 1);
    /* nothing answered is an answer too: the person took part */
    assert_int_equal(day_parse("2026-11-15", &day), 0);
    ans.n = 0;
    assert_int_equal(cast_answers(&x->ictx, &who, &ans, day, &rec, why, sizeof why), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_cast_stores_a_signed_ballot, setup, teardown),
        cmocka_unit_test_setup_teardown(test_second_vote_refused_saying_nothing_more, setup, teardown),
        cmocka_unit_test_setup_teardown(test_repeat_voter_variants, setup, teardown),
        cmocka_unit_test_setup_teardown(test_offline_policy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_eligibility, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ballot_rule, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrong_kind_and_unknown_campaign, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failed_write_gives_no_receipt, setup, teardown),
        cmocka_unit_test_setup_teardown(test_choices_do_not_outlive_the_cast, setup, teardown),
        cmocka_unit_test_setup_teardown(test_register_holds_no_name, setup, teardown),
        cmocka_unit_test_setup_teardown(test_identity_does_not_outlive_the_signature, psetup, pteardown),
        cmocka_unit_test_setup_teardown(test_ideas_proposed, isetup, iteardown),
        cmocka_unit_test_setup_teardown(test_answers_cast, qsetup, iteardown),
        cmocka_unit_test_setup_teardown(test_petition_signed_sealed_stored, psetup, pteardown),
        cmocka_unit_test_setup_teardown(test_petition_second_signature_refused, psetup, pteardown),
        cmocka_unit_test_setup_teardown(test_petition_refusals, psetup, pteardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
