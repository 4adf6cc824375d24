/* bench.c - borne-bench: the project's own measurements, one figure a line
 * as "name value unit". Built by CI, never run by it (docs/benchmarks.md).
 *
 *   cast_median_ms, cast_p99_ms     cast_budget(): rule + pseudonym + ballot +
 *                                    ECDSA sign + SQLite commit with fsync,
 *                                    over --casts casts into a file on disk
 *   idea_cast_*, answers_cast_*      cast_idea(), cast_answers(): the same path
 *                                    for an idea and a questionnaire's answers
 *   verify_per_s_1core               ballot_verify() on one thread
 *   verify_per_s_allcores            ballot_verify() on one thread per core
 *   openssl_verify_per_s_allcores    `openssl speed -multi N ecdsap256`, same run */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ballot.h"
#include "bn_err.h"
#include "cast.h"
#include "day.h"
#include "key.h"
#include "pkg.h"
#include "rng.h"
#include "rules.h"
#include "store.h"

/* bench_tally.c: counting benchmarks (greedy_seconds, mes_add1_seconds). */
int bench_tally(void);

/* bench_server.c: server_verify_per_s (bulk verification on every core). */
int bench_server(double *per_s);

/* bench_sync.c: sync_ballots_per_s (uploads to borne-server over TLS). */
int bench_sync(void);

/* bench_kiosk.c: kiosk benchmarks (frames, first frame, memory, idle CPU). */
int bench_kiosk(void);

#ifndef BORNE_ASSETS
#define BORNE_ASSETS "assets"
#endif

static double now_s(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

typedef struct ballots_s {
    uint8_t (*buf)[BALLOT_MAX_LEN];
    size_t *len;
    int n, cap;
} ballots_t;

static int collect(void *arg, const uint8_t *b, size_t len)
{
    ballots_t *bs = arg;

    if (bs->n < bs->cap && len <= BALLOT_MAX_LEN) {
        memcpy(bs->buf[bs->n], b, len);
        bs->len[bs->n++] = len;
    }
    return 0;
}

typedef struct worker_s {
    const ballots_t *bs;
    const key_pub_t *pub;
    double seconds;
    long done;
    int failed;
} worker_t;

static void *verify_loop(void *arg)
{
    worker_t *w = arg;
    double t0 = now_s();
    int i = 0;

    do {
        if (ballot_verify(w->bs->buf[i], w->bs->len[i], w->pub) != 0)
            w->failed++;
        w->done++;
        i = (i + 1) % w->bs->n;
    } while ((w->done & 15) != 0 || now_s() - t0 < w->seconds);
    w->seconds = now_s() - t0;
    return NULL;
}

static double verify_rate(const ballots_t *bs, const key_pub_t *pub, int threads, double secs)
{
    pthread_t th[256];
    worker_t w[256];
    double rate = 0;
    int i;

    for (i = 0; i < threads; i++) {
        w[i].bs = bs;
        w[i].pub = pub;
        w[i].seconds = secs;
        w[i].done = 0;
        w[i].failed = 0;
        pthread_create(&th[i], NULL, verify_loop, &w[i]);
    }
    for (i = 0; i < threads; i++) {
        pthread_join(th[i], NULL);
        if (w[i].failed)
            fprintf(stderr, "borne-bench: %d ballots failed to verify\n", w[i].failed);
        rate += (double)w[i].done / w[i].seconds;
    }
    return rate;
}

static double openssl_verify(int cores, int secs)
{
    char cmd[256], line[512];
    double sign = 0, verify = -1;
    FILE *p;

    snprintf(cmd, sizeof cmd, "openssl speed -mr -multi %d -seconds %d ecdsap256 2>/dev/null",
             cores, secs);
    p = popen(cmd, "r");
    if (p == NULL)
        return -1;
    /* The summed figures: "+F4:<n>:256:<sign/s>:<verify/s>" (no " from "). */
    while (fgets(line, sizeof line, p) != NULL)
        if (strncmp(line, "+F4:", 4) == 0 && strstr(line, "from") == NULL)
            sscanf(line, "+F4:%*d:%*d:%lf:%lf", &sign, &verify);
    pclose(p);
    return verify;
}

/* Ideas of the demo call for ideas cast into a store of their own (issue
 * 17): the same path and targets as a ballot, half of them with a contact
 * sealed to the data controller. */
static int bench_ideas(const char *assets, const char *dir, rng_t *rng, const signer_t *as,
                       const signer_t *ks, int casts)
{
    char path[1200], why[256] = "", last[64];
    uint8_t *src = NULL, secret[32];
    char *signed_pkg = NULL;
    size_t srclen, signedlen;
    pkg_t *draft = NULL, *p = NULL;
    store_t *st = NULL;
    double *ms = calloc((size_t)casts, sizeof *ms), t0;
    cast_ctx_t ctx;
    cast_receipt_t rec;
    int rc = BN_ENOMEM, i;

    snprintf(path, sizeof path, "%s/campaigns/demo-ideas.json", assets);
    if (ms == NULL || (rc = pkg_read_file(path, &src, &srclen, why, sizeof why)) != 0 ||
        (rc = pkg_parse((char *)src, srclen, &draft, why, sizeof why)) != 0 ||
        (rc = pkg_sign((char *)src, srclen, as, &signed_pkg, &signedlen, why, sizeof why)) != 0 ||
        (rc = pkg_open((uint8_t *)signed_pkg, signedlen, &as->pub, "35", draft->opens, &p, why,
                       sizeof why)) != 0)
        goto out;
    snprintf(path, sizeof path, "%s/bench-ideas.db", dir);
    (void)unlink(path);
    if ((rc = store_open(path, &st, why, sizeof why)) != 0 ||
        (rc = rng_bytes(rng, secret, sizeof secret)) != 0 ||
        (rc = store_put_campaign(st, p->id, (uint8_t *)signed_pkg, signedlen, secret)) != 0 ||
        (rc = store_meta_set(st, "polls:idees35-demo", "open")) != 0)
        goto out;
    memset(&ctx, 0, sizeof ctx);
    ctx.store = st;
    ctx.pkg = p;
    memcpy(ctx.secret, secret, sizeof secret);
    ctx.signer = ks;
    ctx.rng = rng;
    for (i = 0; i < casts; i++) {
        int cm = i % p->n_communes;
        cast_identity_t who = {last, "Bench", "1980-01-01", p->communes[cm].insee};
        cast_idea_t idea = {i % p->ideas.n_themes, -1, "Un verger partagé au bord de la Vilaine",
                            "Planter vingt arbres fruitiers près des immeubles.\nLes habitants "
                            "les entretiennent ensemble, et les écoles viennent cueillir.",
                            "Parc des Hautes-Ourmes", i % 2 ? "anne.kerjean@exemple.fr" : NULL};

        snprintf(last, sizeof last, "proposer %d", i);
        t0 = now_s();
        rc = cast_idea(&ctx, &who, &idea, p->opens, &rec, why, sizeof why);
        ms[i] = (now_s() - t0) * 1e3;
        if (rc != 0)
            goto out;
    }
    qsort(ms, (size_t)casts, sizeof *ms, cmp_double);
    printf("idea_cast_median_ms %.3f ms\n", ms[casts / 2]);
    printf("idea_cast_p99_ms %.3f ms\n", ms[(int)(casts * 0.99)]);
    printf("idea_cast_max_ms %.3f ms\n", ms[casts - 1]);
    fflush(stdout);
out:
    if (rc != 0)
        fprintf(stderr, "borne-bench: ideas: %s%s%s\n", bn_strerror(rc), *why ? ": " : "", why);
    store_close(st);
    pkg_free(p);
    pkg_free(draft);
    free(src);
    free(signed_pkg);
    free(ms);
    return rc;
}

/* Answer sets of the demo consultation cast into a store of their own
 * (issue 17): the same path and targets as a ballot; every question
 * answered, a free text every other person (signed apart, STORE-S14). */
static int bench_answers(const char *assets, const char *dir, rng_t *rng, const signer_t *as,
                         const signer_t *ks, int casts)
{
    char path[1200], why[256] = "", last[64];
    uint8_t *src = NULL, secret[32];
    char *signed_pkg = NULL;
    size_t srclen, signedlen;
    pkg_t *draft = NULL, *p = NULL;
    store_t *st = NULL;
    double *ms = calloc((size_t)casts, sizeof *ms), t0;
    cast_ctx_t ctx;
    cast_receipt_t rec;
    int rc = BN_ENOMEM, i;

    snprintf(path, sizeof path, "%s/campaigns/demo-questionnaire.json", assets);
    if (ms == NULL || (rc = pkg_read_file(path, &src, &srclen, why, sizeof why)) != 0 ||
        (rc = pkg_parse((char *)src, srclen, &draft, why, sizeof why)) != 0 ||
        (rc = pkg_sign((char *)src, srclen, as, &signed_pkg, &signedlen, why, sizeof why)) != 0 ||
        (rc = pkg_open((uint8_t *)signed_pkg, signedlen, &as->pub, "35", draft->opens, &p, why,
                       sizeof why)) != 0)
        goto out;
    snprintf(path, sizeof path, "%s/bench-answers.db", dir);
    (void)unlink(path);
    if ((rc = store_open(path, &st, why, sizeof why)) != 0 ||
        (rc = rng_bytes(rng, secret, sizeof secret)) != 0 ||
        (rc = store_put_campaign(st, p->id, (uint8_t *)signed_pkg, signedlen, secret)) != 0 ||
        (rc = store_meta_set(st, "polls:consult35-demo", "open")) != 0)
        goto out;
    memset(&ctx, 0, sizeof ctx);
    ctx.store = st;
    ctx.pkg = p;
    memcpy(ctx.secret, secret, sizeof secret);
    ctx.signer = ks;
    ctx.rng = rng;
    for (i = 0; i < casts; i++) {
        int cm = i % p->n_communes;
        cast_identity_t who = {last, "Bench", "1980-01-01", p->communes[cm].insee};
        ballot_answer_t a[7] = {
            {0, PKG_Q_ONE, 1, {(uint8_t)(i % 4)}}, {1, PKG_Q_MANY, 2, {0, 3}},
            {2, PKG_Q_RANK, 3, {1, 2, 0}}, {3, PKG_Q_SCALE, 1, {(uint8_t)(1 + i % 5)}},
            {4, PKG_Q_YESNO, 1, {1}}, {5, PKG_Q_ONE, 1, {(uint8_t)(i % 4)}},
            {6, PKG_Q_TEXT, 0, {0}}};
        const char *texts[1] = {"Des cars le soir et le dimanche, et des pistes "
                                "cyclables séparées de la route jusqu'au collège."};
        cast_answers_t ans = {a, i % 2 ? 7 : 6, texts};

        snprintf(last, sizeof last, "respondent %d", i);
        t0 = now_s();
        rc = cast_answers(&ctx, &who, &ans, p->opens, &rec, why, sizeof why);
        ms[i] = (now_s() - t0) * 1e3;
        if (rc != 0)
            goto out;
    }
    qsort(ms, (size_t)casts, sizeof *ms, cmp_double);
    printf("answers_cast_median_ms %.3f ms\n", ms[casts / 2]);
    printf("answers_cast_p99_ms %.3f ms\n", ms[(int)(casts * 0.99)]);
    printf("answers_cast_max_ms %.3f ms\n", ms[casts - 1]);
    fflush(stdout);
out:
    if (rc != 0)
        fprintf(stderr, "borne-bench: answers: %s%s%s\n", bn_strerror(rc), *why ? ": " : "", why);
    store_close(st);
    pkg_free(p);
    pkg_free(draft);
    free(src);
    free(signed_pkg);
    free(ms);
    return rc;
}

int main(int argc, char **argv)
{
    const char *dir = NULL, *assets = BORNE_ASSETS;
    int casts = 2000, cores = (int)sysconf(_SC_NPROCESSORS_ONLN), i, rc, opt;
    double secs = 3.0, *ms, t0;
    char path[4096], tmpl[4096], why[512] = "", last[32];
    rng_t *rng = NULL;
    key_pair_t *auth = NULL, *kiosk = NULL;
    signer_t as, ks;
    uint8_t *src = NULL, secret[32];
    char *signed_pkg = NULL;
    size_t srclen, signedlen;
    pkg_t *draft = NULL, *p = NULL;
    store_t *st = NULL;
    cast_ctx_t ctx;
    cast_receipt_t rec;
    ballots_t bs = {0};
    int sel[BALLOT_MAX_CHOICES], n, status = 1;

    while ((opt = getopt(argc, argv, "n:d:a:s:h")) != -1) {
        switch (opt) {
        case 'n': casts = atoi(optarg); break;
        case 'd': dir = optarg; break;
        case 'a': assets = optarg; break;
        case 's': secs = atof(optarg); break;
        default:
            fprintf(stderr, "usage: borne-bench [-n CASTS] [-d DIR] [-a ASSETS] [-s SECONDS]\n"
                            "Casts go to a store in DIR (default: a new directory in $TMPDIR or /tmp).\n");
            return 2;
        }
    }
    if (casts < 100 || cores < 1 || cores > 256) {
        fprintf(stderr, "borne-bench: -n must be at least 100\n");
        return 2;
    }
    if (dir == NULL) {
        snprintf(tmpl, sizeof tmpl, "%s/borne-bench-XXXXXX",
                 getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
        dir = mkdtemp(tmpl);
        if (dir == NULL) {
            perror("borne-bench: mkdtemp");
            return 1;
        }
    }
    ms = calloc((size_t)casts, sizeof *ms);
    bs.buf = calloc((size_t)casts, sizeof *bs.buf);
    bs.len = calloc((size_t)casts, sizeof *bs.len);
    bs.cap = casts;
    if (ms == NULL || bs.buf == NULL || bs.len == NULL)
        goto out;

    snprintf(path, sizeof path, "%s/campaigns/demo-budget.json", assets);
    if ((rc = rng_open(&rng)) != 0 || (rc = key_generate(rng, &auth)) != 0 ||
        (rc = key_generate(rng, &kiosk)) != 0 ||
        (rc = pkg_read_file(path, &src, &srclen, why, sizeof why)) != 0 ||
        (rc = pkg_parse((char *)src, srclen, &draft, why, sizeof why)) != 0)
        goto fail;
    key_signer(auth, &as);
    key_signer(kiosk, &ks);
    if ((rc = pkg_sign((char *)src, srclen, &as, &signed_pkg, &signedlen, why, sizeof why)) != 0 ||
        (rc = pkg_open((uint8_t *)signed_pkg, signedlen, &as.pub, "35", draft->opens, &p, why,
                       sizeof why)) != 0)
        goto fail;
    snprintf(path, sizeof path, "%s/bench.db", dir);
    (void)unlink(path);
    if ((rc = store_open(path, &st, why, sizeof why)) != 0 ||
        (rc = rng_bytes(rng, secret, sizeof secret)) != 0 ||
        (rc = store_put_campaign(st, p->id, (uint8_t *)signed_pkg, signedlen, secret)) != 0)
        goto fail;
    {
        char key[64];
        snprintf(key, sizeof key, "polls:%s", p->id);
        if ((rc = store_meta_set(st, key, "open")) != 0)
            goto fail;
    }

    memset(&ctx, 0, sizeof ctx);
    ctx.store = st;
    ctx.pkg = p;
    memcpy(ctx.secret, secret, sizeof secret);
    ctx.signer = &ks;
    ctx.rng = rng;
    for (i = 0; i < casts; i++) {
        int cm = i % p->n_communes, t = pkg_commune_territory(p, cm), k;
        cast_identity_t who = {last, "Bench", "1980-01-01", p->communes[cm].insee};

        snprintf(last, sizeof last, "voter %d", i);
        n = 0;
        for (k = 0; k < p->n_projects && n < p->rule.max; k++) {
            int j = (k + i) % p->n_projects;
            if (p->projects[j].territory == t && rules_can_add(p, t, sel, n, j, NULL) == 0)
                sel[n++] = j;
        }
        t0 = now_s();
        rc = cast_budget(&ctx, &who, sel, n, p->opens, &rec, why, sizeof why);
        ms[i] = (now_s() - t0) * 1e3;
        if (rc != 0)
            goto fail;
    }
    qsort(ms, (size_t)casts, sizeof *ms, cmp_double);
    printf("cast_median_ms %.3f ms\n", ms[casts / 2]);
    printf("cast_p99_ms %.3f ms\n", ms[(int)(casts * 0.99)]);
    printf("cast_max_ms %.3f ms\n", ms[casts - 1]);
    fflush(stdout);
    if (bench_ideas(assets, dir, rng, &as, &ks, casts) != 0 ||
        bench_answers(assets, dir, rng, &as, &ks, casts) != 0)
        goto out;

    if ((rc = store_each_ballot(st, p->id, collect, &bs)) != 0)
        goto fail;
    printf("verify_per_s_1core %.0f ballots/s\n", verify_rate(&bs, &ks.pub, 1, secs));
    fflush(stdout);
    printf("verify_per_s_allcores %.0f ballots/s\n", verify_rate(&bs, &ks.pub, cores, secs));
    fflush(stdout);
    printf("openssl_verify_per_s_allcores %.0f verifies/s\n", openssl_verify(cores, (int)secs));
    printf("cores %d cores\n", cores);
    fflush(stdout);
    if (getenv("BORNE_BENCH_KIOSK") != NULL) { /* the kiosk's figures alone */
        status = bench_kiosk() != 0;
        goto out;
    }
    if (bench_tally() != 0)
        goto out;
    {
        double server = 0, osl;

        if (bench_server(&server) != 0)
            goto out;
        osl = openssl_verify(cores, (int)secs); /* again: the load of this moment */
        printf("openssl_verify_per_s_allcores_server_run %.0f verifies/s\n", osl);
        printf("server_verify_ratio_to_openssl %.2f ratio\n", osl > 0 ? server / osl : 0.0);
        fflush(stdout);
    }
    if (bench_sync() != 0)
        goto out;
    if (bench_kiosk() != 0)
        goto out;
    status = 0;
    goto out;
fail:
    fprintf(stderr, "borne-bench: %s%s%s\n", bn_strerror(rc), *why ? ": " : "", why);
out:
    store_close(st);
    pkg_free(p);
    pkg_free(draft);
    free(src);
    free(signed_pkg);
    key_free(auth);
    key_free(kiosk);
    rng_close(rng);
    free(ms);
    free(bs.buf);
    free(bs.len);
    return status;
}
