/* bench_tally.c - tally benchmarks for borne-bench: greedy_seconds and
 * mes_add1_seconds on a generated approval profile; tally_verify_per_s and
 * tally_verify_ratio_to_openssl on generated signed bundles (below).
 *
 * The profile is deterministic (splitmix64, fixed seed) and meant to look like
 * a large real vote: 100,000 voters, 150 projects, costs log-uniform in
 * 5,000 .. 500,000, Zipf-like popularity (weight 1 / rank^0.9, ranks shuffled
 * against costs), ballots of 1..10 projects (mean 4.0, mostly 1..5), budget = 20 % of
 * the total cost of all projects. Details of the run go to stderr. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bn_err.h"
#include "count.h"

int bench_tally(void);
static int bench_tally_verify(void);

#define BT_VOTERS   100000
#define BT_PROJECTS 150

static uint64_t bt_state;

static uint64_t bt_next(void)
{
    uint64_t z = (bt_state += 0x9E3779B97F4A7C15ULL);

    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static double bt_unit(void)
{
    return (double)(bt_next() >> 11) / 9007199254740992.0;
}

static double bt_now(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Ballot sizes 1..10: P(size) proportional to these weights (mean 3.98). */
static const double bt_size_w[10] = { 14, 18, 18, 15, 11, 8, 6, 4, 3, 3 };

int bench_tally(void)
{
    int64_t cost[BT_PROJECTS], total = 0;
    double cum[BT_PROJECTS], wsum = 0, x, sw = 0;
    int perm[BT_PROJECTS], *off = NULL, *items = NULL, i, j, k, s, t, n_items = 0, rc = 1;
    unsigned char chosen[BT_PROJECTS];
    count_profile_t p;
    count_result_t res;
    char why[256] = "";
    double t0, tg, tm;

    memset(&res, 0, sizeof(res));
    bt_state = 20261128;
    for (i = 0; i < BT_PROJECTS; i++) {
        cost[i] = (int64_t)(5000.0 * exp(log(100.0) * bt_unit()));
        total += cost[i];
        perm[i] = i;
    }
    for (i = BT_PROJECTS - 1; i > 0; i--) {
        j = (int)(bt_next() % (uint64_t)(i + 1));
        t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
    }
    for (i = 0; i < BT_PROJECTS; i++) {     /* project perm[i] has popularity rank i */
        wsum += 1.0 / pow((double)(i + 1), 0.9);
        cum[i] = wsum;
    }
    for (i = 0; i < 10; i++)
        sw += bt_size_w[i];
    off = malloc((BT_VOTERS + 1) * sizeof(int));
    items = malloc((size_t)BT_VOTERS * 10 * sizeof(int));
    if (off == NULL || items == NULL)
        goto out;
    memset(chosen, 0, sizeof(chosen));
    off[0] = 0;
    for (i = 0; i < BT_VOTERS; i++) {
        x = bt_unit() * sw;
        for (s = 0; s < 9 && x >= bt_size_w[s]; s++)
            x -= bt_size_w[s];
        s++;
        for (k = 0; k < s;) {
            x = bt_unit() * wsum;
            for (j = 0; j < BT_PROJECTS - 1 && cum[j] <= x; j++)
                ;
            if (chosen[perm[j]])
                continue;
            chosen[perm[j]] = 1;
            items[n_items + k++] = perm[j];
        }
        for (k = 0; k < s; k++)
            chosen[items[n_items + k]] = 0;
        n_items += s;
        off[i + 1] = n_items;
    }
    memset(&p, 0, sizeof p);
    p.n_projects = BT_PROJECTS;
    p.cost = cost;
    p.rank = NULL;
    p.n_voters = BT_VOTERS;
    p.off = off;
    p.items = items;
    p.budget = total / 5;

    t0 = bt_now();
    if (count_run(&p, COUNT_GREEDY, &res, why, sizeof(why)) != 0)
        goto fail;
    tg = bt_now() - t0;
    fprintf(stderr, "bench_tally: %d voters, %d projects, %d approvals, budget %lld; greedy: %d winners, cost %lld\n",
            BT_VOTERS, BT_PROJECTS, n_items, (long long)p.budget, res.n_winners, (long long)res.cost);
    count_result_free(&res);
    t0 = bt_now();
    if (count_run(&p, COUNT_MES_ADD1, &res, why, sizeof(why)) != 0)
        goto fail;
    tm = bt_now() - t0;
    fprintf(stderr, "bench_tally: equalshares/add1: %d winners, cost %lld, %ld raises, virtual budget %lld\n",
            res.n_winners, (long long)res.cost, res.add1_steps, (long long)res.add1_budget);
    printf("greedy_seconds %.3f s\n", tg);
    printf("mes_add1_seconds %.3f s\n", tm);
    fflush(stdout);
    rc = 0;
    goto out;
fail:
    fprintf(stderr, "bench_tally: count failed: %s\n", why);
out:
    count_result_free(&res);
    free(off);
    free(items);
    if (rc == 0)
        rc = bench_tally_verify();
    return rc;
}

/* --- verification -------------------------------------------------------------
 *
 * A generated election: a test authority, BV_KIOSKS kiosks with certificates,
 * BORNE_BENCH_TALLY_BALLOTS ballots (default BV_BALLOTS) spread over them,
 * in bundles of at most BV_PER_BUNDLE ballots (+ as many register entries),
 * each kiosk's closing report in its last bundle. Kiosk keys are made and
 * used with OpenSSL (the generator signs ~50x faster than with mbedTLS; the
 * signatures are the same low-s ECDSA P-256, verified by the same code).
 * tally_verify_per_s is ballots / the wall time of verify_bundles() on every
 * core: all of (VERIFY-V1)..(VERIFY-V5) (bundle, certificate, every ballot signature,
 * package checks, de-duplication, reconciliation). */
#include <pthread.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>

#include "ballot.h"
#include "bundle.h"
#include "cert.h"
#include "key.h"
#include "pkg.h"
#include "report.h"
#include "rng.h"
#include "verify.h"

#define BV_KIOSKS 300
#define BV_BALLOTS 200000
#define BV_PER_BUNDLE 5000

static const char bv_json[] =
    "{\"format\": \"borne-campaign/1\", \"id\": \"bench\", \"kind\": \"budget\", \"departement\": \"35\","
    " \"languages\": [\"fr\"], \"title\": {\"fr\": \"Banc\"}, \"description\": {\"fr\": \"Banc\"},"
    " \"valid\": {\"from\": \"2026-01-01\", \"until\": \"2027-12-31\"},"
    " \"polls\": {\"opens\": \"2026-11-01\", \"closes\": \"2026-12-31\"}, \"eligibility\": {\"min_age\": 16},"
    " \"territories\": [{\"id\": \"rennes\", \"name\": {\"fr\": \"Rennes\"}, \"envelope\": 1000000}],"
    " \"cantons\": [{\"id\": \"r1\", \"name\": \"R1\", \"territory\": \"rennes\"}],"
    " \"communes\": [{\"insee\": \"35238\", \"name\": \"Rennes\", \"canton\": \"r1\"}],"
    " \"rule\": {\"min\": 1, \"max\": 5, \"knapsack\": false, \"min_spend_percent\": 0},"
    " \"counting\": \"greedy\", \"projects\": ["
    "{\"id\": \"p0\", \"territory\": \"rennes\", \"cost\": 100000, \"title\": {\"fr\": \"0\"}, \"summary\": {\"fr\": \"s\"}, \"description\": {\"fr\": \"d\"}},"
    "{\"id\": \"p1\", \"territory\": \"rennes\", \"cost\": 200000, \"title\": {\"fr\": \"1\"}, \"summary\": {\"fr\": \"s\"}, \"description\": {\"fr\": \"d\"}},"
    "{\"id\": \"p2\", \"territory\": \"rennes\", \"cost\": 300000, \"title\": {\"fr\": \"2\"}, \"summary\": {\"fr\": \"s\"}, \"description\": {\"fr\": \"d\"}},"
    "{\"id\": \"p3\", \"territory\": \"rennes\", \"cost\": 400000, \"title\": {\"fr\": \"3\"}, \"summary\": {\"fr\": \"s\"}, \"description\": {\"fr\": \"d\"}},"
    "{\"id\": \"p4\", \"territory\": \"rennes\", \"cost\": 500000, \"title\": {\"fr\": \"4\"}, \"summary\": {\"fr\": \"s\"}, \"description\": {\"fr\": \"d\"}},"
    "{\"id\": \"p5\", \"territory\": \"rennes\", \"cost\": 600000, \"title\": {\"fr\": \"5\"}, \"summary\": {\"fr\": \"s\"}, \"description\": {\"fr\": \"d\"}}]}";

static const uint8_t bv_half_n[32] = {
    0x7f, 0xff, 0xff, 0xff, 0x80, 0x00, 0x00, 0x00, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xde, 0x73, 0x7d, 0x56, 0xd3, 0x8b, 0xcf, 0x42, 0x79, 0xdc, 0xe5, 0x61, 0x7e, 0x31, 0x92, 0xa8};
static const uint8_t bv_n[32] = {
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51};

/* A signer_t over an OpenSSL key: ECDSA, then s normalised to low-s (key.h). */
static int bv_sign(void *ctx, const uint8_t digest[32], uint8_t sig[KEY_SIG_LEN])
{
    EVP_PKEY_CTX *c = EVP_PKEY_CTX_new((EVP_PKEY *)ctx, NULL);
    unsigned char der[80];
    const unsigned char *p = der;
    size_t len = sizeof der;
    ECDSA_SIG *es = NULL;
    const BIGNUM *r, *s;
    int rc = BN_ECRYPTO, i, borrow = 0;

    if (c == NULL || EVP_PKEY_sign_init(c) != 1 || EVP_PKEY_sign(c, der, &len, digest, 32) != 1 ||
        (es = d2i_ECDSA_SIG(NULL, &p, (long)len)) == NULL)
        goto out;
    ECDSA_SIG_get0(es, &r, &s);
    if (BN_bn2binpad(r, sig, 32) != 32 || BN_bn2binpad(s, sig + 32, 32) != 32)
        goto out;
    if (memcmp(sig + 32, bv_half_n, 32) > 0)
        for (i = 31; i >= 0; i--) {
            int d = bv_n[i] - sig[32 + i] - borrow;

            borrow = d < 0;
            sig[32 + i] = (uint8_t)(d + (borrow ? 256 : 0));
        }
    rc = 0;
out:
    ECDSA_SIG_free(es);
    EVP_PKEY_CTX_free(c);
    return rc;
}

typedef struct bv_kiosk_s {
    EVP_PKEY *pkey;
    signer_t signer;
    uint8_t cert[CERT_DER_MAX];
    size_t cert_len;
    int first, n;             /* ballots [first, first + n) of the election */
    int first_bundle;
} bv_kiosk_t;

typedef struct bv_gen_s {
    const pkg_t *pkg;
    bv_kiosk_t *k;
    uint8_t **bufs;
    size_t *lens;
    int next;
    int failed;
    pthread_mutex_t lock;
} bv_gen_t;

static int bv_make_kiosk(bv_gen_t *g, int i)
{
    bv_kiosk_t *k = &g->k[i];
    bundle_builder_t *b = NULL;
    uint8_t *hashes = NULL, seed[16], report[REPORT_MAX_LEN];
    size_t report_len = 0;
    rng_t *rng = NULL;
    report_t r;
    int j, done = 0, bi = k->first_bundle, rc = -1;

    memcpy(seed, "bench-kiosk", 11);
    memcpy(seed + 11, &i, sizeof i);
    if (rng_open_fixed(&rng, seed, 11 + sizeof i) != 0 ||
        (hashes = malloc((size_t)k->n * 32 + 32)) == NULL)
        goto out;
    memset(&r, 0, sizeof r);
    while (done < k->n || bi == k->first_bundle) {
        int upto = done + BV_PER_BUNDLE < k->n ? done + BV_PER_BUNDLE : k->n;

        if (bundle_new("bench", (uint64_t)(bi - k->first_bundle + 1), k->cert, k->cert_len, &b) != 0)
            goto out;
        for (j = done; j < upto; j++) {
            uint8_t ballot[BALLOT_MAX_LEN], ps[32];
            int sel[3], n = 1 + j % 3, q;
            size_t len;
            ballot_t bb;

            for (q = 0; q < n; q++)   /* distinct: j, j+2, j+4 mod 6 */
                sel[q] = (j + q * 2) % 6;
            if (ballot_make(&bb, g->pkg, 0, sel, n, 20785, k->signer.pub.id, rng) != 0 ||
                ballot_seal(&bb, &k->signer, ballot, sizeof ballot, &len) != 0 ||
                bundle_add_ballot(b, ballot, len) != 0 || rng_bytes(rng, ps, 32) != 0 ||
                bundle_add_register(b, ps, 20785, 0) != 0)
                goto out;
            key_sha256(ballot, len, hashes + 32 * j);
        }
        done = upto;
        if (done == k->n) {
            strcpy(r.campaign, "bench");
            r.opened = 20760;
            r.closed = 20785;
            r.registered = r.ballots = (uint64_t)k->n;
            report_set_digest(hashes, (size_t)k->n, r.ballot_set);
            if (report_seal(&r, &k->signer, report, sizeof report, &report_len) != 0 ||
                bundle_add_report(b, report, report_len) != 0)
                goto out;
        }
        if (bundle_finish(b, &k->signer, &g->bufs[bi], &g->lens[bi]) != 0)
            goto out;
        bundle_free(b);
        b = NULL;
        bi++;
    }
    rc = 0;
out:
    bundle_free(b);
    free(hashes);
    rng_close(rng);
    return rc;
}

static void *bv_gen_worker(void *arg)
{
    bv_gen_t *g = arg;
    int i;

    for (;;) {
        pthread_mutex_lock(&g->lock);
        i = g->next++;
        pthread_mutex_unlock(&g->lock);
        if (i >= BV_KIOSKS)
            return NULL;
        if (bv_make_kiosk(g, i) != 0) {
            pthread_mutex_lock(&g->lock);
            g->failed = 1;
            pthread_mutex_unlock(&g->lock);
        }
    }
}

/* `openssl speed -mr -multi CORES -seconds 3 ecdsap256`: verify/s, all cores,
 * from the final "+F4:idx:256:sign/s:verify/s" line; 0 when unavailable. */
static double bv_openssl(int cores)
{
    char cmd[128], line[512];
    double sign = 0, verify = 0;
    FILE *f;

    snprintf(cmd, sizeof cmd, "openssl speed -mr -multi %d -seconds 3 ecdsap256 2>/dev/null", cores);
    if ((f = popen(cmd, "r")) == NULL)
        return 0;
    while (fgets(line, sizeof line, f) != NULL) {
        int idx, bits;

        if (strncmp(line, "+F4:", 4) == 0 &&
            sscanf(line, "+F4:%d:%d:%lf:%lf", &idx, &bits, &sign, &verify) != 4)
            verify = 0;
    }
    pclose(f);
    return verify;
}

static int bench_tally_verify(void)
{
    const char *env = getenv("BORNE_BENCH_TALLY_BALLOTS");
    long total = env != NULL ? strtol(env, NULL, 10) : BV_BALLOTS;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    key_pair_t *auth = NULL;
    rng_t *rng = NULL;
    pkg_t *pkg = NULL;
    bv_gen_t g;
    pthread_t th[64];
    uint8_t ca[CERT_DER_MAX];
    size_t ca_len, n_bundles = 0;
    char **names = NULL, why[512] = "";
    verify_t *v = NULL, *ref = NULL;
    verify_input_t in;
    double t0, tgen, tver, tref, osl, osl0;
    int i, nt, started = 0, rc = 1, ref_bundles = 0;
    long ref_ballots = 0;

    memset(&g, 0, sizeof g);
    if (total < BV_KIOSKS)
        total = BV_KIOSKS;
    if (cores < 1)
        cores = 1;
    if (rng_open_fixed(&rng, (const uint8_t *)"bench-tally", 11) != 0 || key_generate(rng, &auth) != 0 ||
        cert_make_authority(auth, rng, "Bench-CA", 20454, 22279, ca, sizeof ca, &ca_len, why,
                            sizeof why) != 0 ||
        pkg_parse(bv_json, sizeof bv_json - 1, &pkg, why, sizeof why) != 0)
        goto out;
    g.pkg = pkg;
    /* openssl speed before and after; the larger figure is the machine's
     * limit (other load on the machine only lowers it), so the ratio is
     * conservative */
    osl0 = bv_openssl((int)cores);
    if ((g.k = calloc(BV_KIOSKS, sizeof *g.k)) == NULL)
        goto out;
    for (i = 0; i < BV_KIOSKS; i++) {
        bv_kiosk_t *k = &g.k[i];
        uint8_t point[KEY_PUB_LEN];
        size_t plen = 0;
        char name[32];

        k->first = (int)(total * i / BV_KIOSKS);
        k->n = (int)(total * (i + 1) / BV_KIOSKS) - k->first;
        k->first_bundle = (int)n_bundles;
        n_bundles += (size_t)((k->n + BV_PER_BUNDLE - 1) / BV_PER_BUNDLE);
        snprintf(name, sizeof name, "kiosk-bench-%03d", i);
        if ((k->pkey = EVP_EC_gen("P-256")) == NULL ||
            EVP_PKEY_get_octet_string_param(k->pkey, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, point,
                                            sizeof point, &plen) != 1 || plen != KEY_PUB_LEN ||
            key_pub_from_point(point, &k->signer.pub) != 0)
            goto out;
        k->signer.ctx = k->pkey;
        k->signer.sign = bv_sign;
        if (cert_issue(auth, rng, ca, ca_len, &k->signer.pub, CERT_KIOSK, name, 20454, 22279,
                       k->cert, sizeof k->cert, &k->cert_len, why, sizeof why) != 0)
            goto out;
    }
    g.bufs = calloc(n_bundles, sizeof *g.bufs);
    g.lens = calloc(n_bundles, sizeof *g.lens);
    names = calloc(n_bundles, sizeof *names);
    if (g.bufs == NULL || g.lens == NULL || names == NULL || pthread_mutex_init(&g.lock, NULL) != 0)
        goto out;
    nt = cores < 64 ? (int)cores : 64;
    t0 = bt_now();
    for (i = 0; i < nt; i++)
        if (pthread_create(&th[i], NULL, bv_gen_worker, &g) == 0)
            started++;
    if (started == 0)
        bv_gen_worker(&g);
    for (i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    tgen = bt_now() - t0;
    pthread_mutex_destroy(&g.lock);
    if (g.failed) {
        fprintf(stderr, "bench_tally: generating the bundles failed\n");
        goto out;
    }
    for (i = 0; i < (int)n_bundles; i++) {
        if ((names[i] = malloc(32)) == NULL)
            goto out;
        snprintf(names[i], 32, "bundle-%05d", i);
    }
    memset(&in, 0, sizeof in);
    in.ca_der = ca;
    in.ca_len = ca_len;
    in.pkg = pkg;
    in.day = pkg->closes;
    t0 = bt_now();
    if (verify_bundles(&in, (int)n_bundles, (const uint8_t *const *)g.bufs, g.lens,
                       (const char *const *)names, &v, why, sizeof why) != 0)
        goto out;
    tver = bt_now() - t0;
    fprintf(stderr, "bench_tally: verification: %.2f s in the bundle checks (%ld threads), %.2f s "
            "in the single-threaded rest\n", v->seconds_parallel, cores, v->seconds_serial);
    if (v->n_problems != 0 || v->n_ballots != total) {
        fprintf(stderr, "bench_tally: verification found %d problems, %d ballots of %ld:\n%s",
                v->n_problems, v->n_ballots, total, v->log);
        goto out;
    }
    /* the reference path (mbedTLS, bundle_verify) on the first kiosks only:
     * it is ~30 times slower */
    in.reference = 1;
    for (i = 0; i < BV_KIOSKS && ref_ballots < 4000; i++) {
        ref_ballots += g.k[i].n;
        ref_bundles = g.k[i].first_bundle + (g.k[i].n + BV_PER_BUNDLE - 1) / BV_PER_BUNDLE;
    }
    t0 = bt_now();
    if (verify_bundles(&in, ref_bundles, (const uint8_t *const *)g.bufs, g.lens,
                       (const char *const *)names, &ref, why, sizeof why) != 0 || ref->n_problems != 0)
        goto out;
    tref = bt_now() - t0;
    osl = bv_openssl((int)cores);
    fprintf(stderr, "bench_tally: openssl speed ecdsap256 verify/s before %.0f, after %.0f\n", osl0, osl);
    if (osl0 > osl)
        osl = osl0;
    fprintf(stderr, "bench_tally: %ld ballots from %d kiosks in %zu bundles, generated in %.1f s; "
            "verified on %ld cores in %.2f s; reference (mbedTLS) %ld ballots in %.2f s; "
            "openssl speed ecdsap256 verify %.0f/s on %ld cores\n", total, BV_KIOSKS, n_bundles,
            tgen, cores, tver, ref_ballots, tref, osl, cores);
    printf("tally_verify_ballots %ld ballots\n", total);
    printf("tally_verify_per_s %.0f ballots/s\n", (double)total / tver);
    printf("tally_verify_mbedtls_per_s %.0f ballots/s\n", (double)ref_ballots / tref);
    if (osl > 0)
        printf("tally_verify_ratio_to_openssl %.3f\n", (double)total / tver / osl);
    else
        fprintf(stderr, "bench_tally: openssl speed did not run: no ratio\n");
    fflush(stdout);
    rc = 0;
out:
    if (rc != 0 && why[0])
        fprintf(stderr, "bench_tally: %s\n", why);
    verify_free(v);
    verify_free(ref);
    for (i = 0; g.bufs != NULL && i < (int)n_bundles; i++) {
        free(g.bufs[i]);
        free(names[i]);
    }
    free(g.bufs);
    free(g.lens);
    free(names);
    if (g.k != NULL)
        for (i = 0; i < BV_KIOSKS; i++)
            EVP_PKEY_free(g.k[i].pkey);
    free(g.k);
    pkg_free(pkg);
    key_free(auth);
    rng_close(rng);
    return rc;
}
