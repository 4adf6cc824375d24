/* test_preport.c - the zero and closing reports (PREPORT-R1) and the export
 * to a removable drive (EXPORT-X1): a report made from the store alone, the
 * same bytes from the same inputs, a zero report only of an empty box,
 * per-day counts that sum to the totals, a signature that breaks when one
 * byte changes; an export read back, a full or read-only drive said so with
 * nothing left half-written, an export twice. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bn_err.h"
#include "bundle.h"
#include "cast.h"
#include "cert.h"
#include "report.h"
#include "day.h"
#include "export.h"
#include "key.h"
#include "pkg.h"
#include "polls.h"
#include "preport.h"
#include "rng.h"
#include "store.h"
#include "testutil.h"

static const agent_t marie = {.id = "marie", .name = "Marie", .role = AGENT_ROLE_AGENT};
static const agent_t paul = {.id = "paul", .name = "Paul", .role = AGENT_ROLE_AGENT};

typedef struct fx_s {
    char *dir;
    pkg_t *p;
    store_t *st;
    rng_t *rng;
    key_pair_t *key;
    signer_t signer;
    cast_ctx_t ctx;
    uint32_t d1, d2;
} fx_t;

static int setup(void **state)
{
    fx_t *f = calloc(1, sizeof *f);
    char *path = tu_asset("campaigns/demo-budget.json"), why[256], db[600];
    uint8_t *text;
    size_t len;

    f->dir = tu_tmpdir("preport");
    text = tu_read(path, &len);
    assert_non_null(text);
    if (pkg_parse((const char *)text, len, &f->p, why, sizeof why) != 0)
        fail_msg("%s: %s", path, why);
    free(text);
    free(path);
    snprintf(db, sizeof db, "%s/kiosk.db", f->dir);
    assert_int_equal(store_open(db, &f->st, why, sizeof why), 0);
    assert_int_equal(rng_open(&f->rng), 0);
    assert_int_equal(key_generate(f->rng, &f->key), 0);
    key_signer(f->key, &f->signer);
    f->ctx.store = f->st;
    f->ctx.pkg = f->p;
    f->ctx.signer = &f->signer;
    f->ctx.rng = f->rng;
    assert_int_equal(rng_bytes(f->rng, f->ctx.secret, 32), 0);
    assert_int_equal(store_put_campaign(f->st, f->p->id, (const uint8_t *)"pkg", 3,
                                        f->ctx.secret), 0);
    assert_int_equal(day_parse("2027-03-02", &f->d1), 0);
    f->d2 = f->d1 + 1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx_t *f = *state;

    store_close(f->st);
    key_free(f->key);
    rng_close(f->rng);
    pkg_free(f->p);
    tu_rmtree(f->dir);
    free(f->dir);
    free(f);
    return 0;
}

static void vote(fx_t *f, const char *last, uint32_t day)
{
    cast_identity_t who = {last, "Anne", "1980-02-03", "35238"};
    int sel[1] = {0};
    cast_receipt_t rec;
    char why[256];

    if (cast_budget(&f->ctx, &who, sel, 1, day, &rec, why, sizeof why) != 0)
        fail_msg("cast: %s", why);
}

static preport_in_t input(fx_t *f, int closing, int64_t made)
{
    preport_in_t in = {closing, "kiosk-35238-01", "35238", f->p, made, "marie", "paul",
                       &f->signer};
    return in;
}

/* (PREPORT-R1) */
static void test_zero_and_closing(void **state)
{
    fx_t *f = *state;
    preport_in_t in = input(f, 0, (int64_t)f->d1 * 86400 + 9 * 3600);
    char *t1 = NULL, *t2 = NULL, why[400];
    size_t l1, l2, s1len, s2len;
    uint8_t s1[PREPORT_SIG_MAX], s2[PREPORT_SIG_MAX], d1[32], d2[32];
    preport_t *r = malloc(sizeof *r);
    key_pub_t other;

    assert_non_null(r);
    assert_int_equal(polls_open(f->st, f->p, &marie, &paul, f->d1, why, sizeof why), 0);
    /* the same inputs, the same bytes */
    assert_int_equal(preport_make(f->st, &in, &t1, &l1, s1, &s1len, d1, why, sizeof why), 0);
    assert_int_equal(preport_make(f->st, &in, &t2, &l2, s2, &s2len, d2, why, sizeof why), 0);
    assert_int_equal(l1, l2);
    assert_memory_equal(t1, t2, l1);
    assert_memory_equal(s1, s2, s1len);
    assert_memory_equal(d1, d2, 32);
    assert_non_null(strstr(t1, "kind: zero\n"));
    assert_non_null(strstr(t1, "register: 0\nballots: 0\n"));
    assert_non_null(strstr(t1, "made: 2027-03-02T09:00:00\n"));
    assert_non_null(strstr(t1, "agents: marie paul\n"));
    assert_int_equal(preport_parse(t1, l1, r, why, sizeof why), 0);
    assert_int_equal(preport_verify(t1, l1, s1, s1len, &f->signer.pub, why, sizeof why), 0);
    /* one byte changed: the signature breaks */
    t1[l1 - 2] ^= 1;
    assert_int_equal(preport_verify(t1, l1, s1, s1len, &f->signer.pub, why, sizeof why),
                     BN_EBADSIG);
    t1[l1 - 2] ^= 1;
    memset(&other, 0, sizeof other);
    assert_int_equal(preport_verify(t1, l1, s1, s1len, &other, why, sizeof why), BN_EWRONGKEY);
    free(t1);
    free(t2);

    /* votes on two days: a zero report is refused, the closing one counts */
    vote(f, "Martin", f->d1);
    vote(f, "Durand", f->d1);
    vote(f, "Leroy", f->d2);
    assert_int_equal(preport_make(f->st, &in, &t1, &l1, s1, &s1len, d1, why, sizeof why),
                     BN_EEXISTS);
    assert_non_null(strstr(why, "a zero report certifies an empty box"));
    in = input(f, 1, (int64_t)f->d2 * 86400 + 19 * 3600);
    assert_int_equal(polls_close(f->st, f->p, &paul, &marie, why, sizeof why), 0);
    assert_int_equal(preport_make(f->st, &in, &t1, &l1, s1, &s1len, d1, why, sizeof why), 0);
    assert_non_null(strstr(t1, "register: 3\nballots: 3\n"));
    assert_non_null(strstr(t1, "day: 2027-03-02 register 2 ballots 2\n"
                               "day: 2027-03-03 register 1 ballots 1\n"));
    assert_int_equal(preport_parse(t1, l1, r, why, sizeof why), 0);
    assert_int_equal(r->closing, 1);
    assert_int_equal(r->n_days, 2);
    assert_int_equal((int)r->items, 3);
    {
        uint8_t set[32];
        uint64_t n = 0;
        assert_int_equal(report_set_digest_store(f->st, f->p->id, set, &n), 0);
        assert_memory_equal(set, r->set, 32);
    }
    /* a day line that does not add up is refused by a reader */
    {
        char *bad = strdup(t1), *at = strstr(bad, "register 1 ballots 1");
        at[9] = '2';
        assert_int_equal(preport_parse(bad, l1, r, why, sizeof why), BN_EFORMAT);
        assert_non_null(strstr(why, "the days sum to"));
        free(bad);
    }
    free(t1);
    free(r);
}

static int count_files(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;

    if (d == NULL)
        return -1;
    while ((e = readdir(d)) != NULL)
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

/* (EXPORT-X1) */
static void test_export(void **state)
{
    fx_t *f = *state;
    char drive[600], why[400], path[900];
    const char *ids[1] = {f->p->id};
    export_src_t src = {f->st, f->dir, "kiosk-35238-01", NULL, 0, &f->signer, ids, 1, 0};
    export_result_t res;
    uint8_t *cert = NULL;
    size_t cert_len = 0;
    key_pair_t *ca = NULL;

    /* a certificate for the kiosk, as enrolment gives it */
    assert_int_equal(key_generate(f->rng, &ca), 0);
    {
        uint8_t ca_der[2048];
        size_t ca_len = 0;
        key_pub_t kp;
        key_public(f->key, &kp);
        assert_int_equal(cert_make_authority(ca, f->rng, "test-authority", f->d1, f->d1 + 400,
                                             ca_der, sizeof ca_der, &ca_len, why, sizeof why),
                         0);
        cert = malloc(2048);
        assert_int_equal(cert_issue(ca, f->rng, ca_der, ca_len, &kp, CERT_KIOSK, "kiosk-35238-01",
                                    f->d1, f->d1 + 400, cert, 2048, &cert_len, why, sizeof why),
                         0);
    }
    key_free(ca);
    src.cert = cert;
    src.cert_len = cert_len;

    assert_int_equal(polls_open(f->st, f->p, &marie, &paul, f->d1, why, sizeof why), 0);
    vote(f, "Martin", f->d1);
    vote(f, "Durand", f->d1);
    snprintf(drive, sizeof drive, "%s/usb", f->dir);
    assert_int_equal(mkdir(drive, 0755), 0);

    /* a full drive, then a read-only one: said so, nothing half-written */
    export__fail_errno = 28; /* ENOSPC */
    assert_int_equal(export_run(&src, drive, &res, why, sizeof why), BN_EFULL);
    snprintf(path, sizeof path, "%s/borne-kiosk-35238-01/bundles", drive);
    assert_int_equal(count_files(path), 0);
    export__fail_errno = 30; /* EROFS */
    assert_int_equal(export_run(&src, drive, &res, why, sizeof why), BN_EPERM);
    assert_int_equal(count_files(path), 0);
    export__fail_errno = 0;

    assert_int_equal(export_run(&src, drive, &res, why, sizeof why), 0);
    assert_int_equal((int)res.bundles, 2); /* who took part; the ballots: never together */
    assert_int_equal((int)res.items, 4);
    assert_int_equal(count_files(path), 2);
    /* twice: new bundles of the same items, the server keeps one copy */
    assert_int_equal(export_run(&src, drive, &res, why, sizeof why), 0);
    assert_int_equal(count_files(path), 4);
    /* more items than a bundle holds: as many bundles as it takes, each
     * item in exactly one of them */
    vote(f, "Leroy", f->d1);
    src.max_items = 2;
    assert_int_equal(export_run(&src, drive, &res, why, sizeof why), 0);
    assert_int_equal((int)res.items, 6);
    assert_int_equal((int)res.bundles, 4); /* 2 + 1 entries, 2 + 1 ballots */
    assert_int_equal(count_files(path), 8);
    free(cert);
}

/* tests/vectors/preport: reports a kiosk made, as the agent's USB drive
 * carries them (docs/formats.md, "Poll reports"). */
static void test_vectors(void **state)
{
    const char *base = getenv("BORNE_VECTORS");
    char path[600], why[400];
    key_pub_t pub;
    preport_t *r = malloc(sizeof *r);
    const char *names[2] = {"zero-bp35-essai", "closing-bp35-essai"};
    int i;

    (void)state;
    assert_non_null(base);
    assert_non_null(r);
    snprintf(path, sizeof path, "%s/preport/kiosk.pub.pem", base);
    if (key_pub_load(path, &pub, why, sizeof why) != 0)
        fail_msg("%s: %s", path, why);
    for (i = 0; i < 2; i++) {
        size_t tl, sl;
        uint8_t *text, *sig;
        snprintf(path, sizeof path, "%s/preport/%s.txt", base, names[i]);
        text = tu_read(path, &tl);
        snprintf(path, sizeof path, "%s/preport/%s.sig", base, names[i]);
        sig = tu_read(path, &sl);
        assert_non_null(text);
        assert_non_null(sig);
        assert_int_equal(preport_parse((const char *)text, tl, r, why, sizeof why), 0);
        assert_int_equal(r->closing, i);
        if (preport_verify((const char *)text, tl, sig, sl, &pub, why, sizeof why) != 0)
            fail_msg("%s: %s", names[i], why);
        text[tl / 2] ^= 0x20; /* one letter's case */
        assert_int_not_equal(preport_verify((const char *)text, tl, sig, sl, &pub, why,
                                            sizeof why), 0);
        free(text);
        free(sig);
    }
    assert_int_equal((int)r->items, 3);
    assert_int_equal(r->n_days, 1);
    free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_zero_and_closing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_export, setup, teardown),
        cmocka_unit_test(test_vectors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
