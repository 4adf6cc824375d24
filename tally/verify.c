/* verify.c - borne-tally verify: bundles checked, ballots de-duplicated,
 * closing reports reconciled, offline duplicate participations found. */
#include "verify.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <mbedtls/platform_util.h>

#include "bn_err.h"
#include "bundle.h"
#include "day.h"
#include "hex.h"
#include "answers.h"
#include "petition.h"
#include "report.h"
#include "rules.h"
#include "sigverify_openssl.h"

/* A ballot as received (one per bundle it was in). */
typedef struct raw_ballot_s {
    const uint8_t *bytes;     /* into the bundle's buffer */
    size_t len;
    int kiosk, bundle;
} raw_ballot_t;

typedef struct raw_reg_s {
    uint8_t pseudonym[32];
    int kiosk, bundle;
} raw_reg_t;

typedef struct raw_report_s {
    const uint8_t *bytes;
    size_t len;
    int kiosk, bundle;
} raw_report_t;

typedef struct raw_text_s {
    const uint8_t *bytes;     /* into the bundle's buffer */
    size_t len;
    int kiosk, bundle;
} raw_text_t;

typedef struct raw_sig_s {
    const uint8_t *bytes;     /* PETITION_LEN bytes, into the bundle's buffer */
    int kiosk, bundle;
} raw_sig_t;

typedef struct ctx_s {
    verify_t *v;
    const verify_input_t *in;
    const char *const *names;
    raw_ballot_t *rb;
    size_t n_rb, cap_rb;
    raw_reg_t *rr;
    size_t n_rr, cap_rr;
    raw_report_t *rp;
    size_t n_rp, cap_rp;
    raw_sig_t *rs;
    size_t n_rs, cap_rs;
    raw_text_t *rt;
    size_t n_rt, cap_rt;
    int oom;
} ctx_t;

static int collect_texts(ctx_t *c);

void verify_logf(verify_t *v, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (v->log == NULL && v->log_cap == (size_t)-1)
        return;
    for (;;) {
        size_t room = v->log_cap - v->log_len;

        va_start(ap, fmt);
        n = v->log == NULL ? -1 : vsnprintf(v->log + v->log_len, room, fmt, ap);
        va_end(ap);
        if (n >= 0 && (size_t)n + 1 < room) {
            v->log_len += (size_t)n;
            v->log[v->log_len++] = '\n';
            v->log[v->log_len] = '\0';
            return;
        }
        {
            size_t cap = v->log_cap * 2 + (n > 0 ? (size_t)n : 0) + 1024;
            char *p = realloc(v->log, cap);

            if (p == NULL) {  /* out of memory: the report stops growing */
                free(v->log);
                v->log = NULL;
                v->log_cap = (size_t)-1;
                return;
            }
            v->log = p;
            v->log_cap = cap;
            v->log[v->log_len] = '\0';
        }
    }
}

void verify_free(verify_t *v)
{
    if (v == NULL)
        return;
    for (int b = 0; v->ballots != NULL && b < v->n_ballots; b++)
        free(v->ballots[b].ans);
    free(v->ballots);
    for (int t = 0; t < v->n_texts; t++)
        free(v->texts[t].text);
    free(v->texts);
    for (int k = 0; k < v->n_kiosks; k++) {
        free(v->kiosks[k].turnout_commune);
        free(v->kiosks[k].turnout_n);
    }
    free(v->kiosks);
    free(v->sigs);
    free(v->canton_persons);
    free(v->days);
    if (v->log_cap != (size_t)-1)
        free(v->log);
    free(v);
}

static double now_s(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int grow(void **p, size_t *cap, size_t n, size_t size)
{
    void *q;
    size_t c;

    if (n < *cap)
        return 0;
    c = *cap ? *cap * 2 : 64;
    if ((q = realloc(*p, c * size)) == NULL)
        return BN_ENOMEM;
    *p = q;
    *cap = c;
    return 0;
}

static const char *kname(const verify_t *v, int k)
{
    return k >= 0 ? v->kiosks[k].name : "?";
}

static void problem(ctx_t *c, const char *kiosk, int bundle, const char *item, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* One line of the report: "PROBLEM kiosk NAME, FILE, ITEM: reason". */
static void problem(ctx_t *c, const char *kiosk, int bundle, const char *item, const char *fmt, ...)
{
    char reason[768];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    c->v->n_problems++;
    verify_logf(c->v, "PROBLEM kiosk %s, %s, %s: %s", kiosk, bundle >= 0 ? c->names[bundle] : "-",
                item, reason);
}

/* A note of the input (verify_note_t), after every bundle was taken, so
 * that the kiosk can be named as its certificate names it. */
static void note(ctx_t *c, const verify_note_t *nt)
{
    verify_t *v = c->v;
    char who[CERT_NAME_MAX + 40] = "?", hex[2 * KEY_ID_LEN + 1];
    int k;

    if (nt->kiosk != NULL) {
        hex_encode(nt->kiosk, 8, hex);
        snprintf(who, sizeof who, "with key id %s...", hex);
        for (k = 0; k < v->n_kiosks; k++)
            if (memcmp(v->kiosks[k].key_id, nt->kiosk, KEY_ID_LEN) == 0)
                snprintf(who, sizeof who, "%s", v->kiosks[k].name);
    }
    if (nt->unverifiable) {
        v->n_bundles++;
        v->n_bundles_refused++;
    }
    v->n_problems++;
    verify_logf(v, "PROBLEM kiosk %s, %s, bundle: %s", who, nt->name, nt->reason);
}

static int kiosk_index(ctx_t *c, const cert_info_t *ci)
{
    verify_t *v = c->v;
    verify_kiosk_t *k;
    int i;

    for (i = 0; i < v->n_kiosks; i++)
        if (memcmp(v->kiosks[i].key_id, ci->pub.id, KEY_ID_LEN) == 0)
            return i;
    if ((k = realloc(v->kiosks, ((size_t)v->n_kiosks + 1) * sizeof *k)) == NULL)
        return BN_ENOMEM;
    v->kiosks = k;
    k = &v->kiosks[v->n_kiosks];
    memset(k, 0, sizeof *k);
    snprintf(k->name, sizeof k->name, "%s", ci->name);
    memcpy(k->key_id, ci->pub.id, KEY_ID_LEN);
    k->pub = ci->pub;
    return v->n_kiosks++;
}

/* The result of checking one bundle (VERIFY-V1), computed in a worker thread. */
typedef struct bcheck_s {
    int rc;
    char why[512];
    bundle_t b;
    cert_info_t ci;
} bcheck_t;

/* The signature backend of this run: OpenSSL's libcrypto, or mbedTLS (the
 * reference, --mbedtls). Both behind the one contract of sigverify.h. */
static const sigverify_backend_t *backend(const verify_input_t *in)
{
    return in->reference ? &sigverify_mbedtls : &sigverify_openssl;
}

/* (VERIFY-V1) The one core of bundle.h: bundle_open (decode, certificate,
 * revocation), then every signed item in order (bundle_check); a budget-vote
 * bundle holding petition signatures is refused after that. */
static int check_bundle(const verify_input_t *in, const uint8_t *buf, size_t len, bcheck_t *r)
{
    bundle_trust_t trust = {in->ca_der, in->ca_len, in->revoked, in->day};
    sigverify_key_t *k = NULL;
    int rc;

    if ((rc = bundle_open(buf, len, &trust, &r->b, &r->ci, r->why, sizeof r->why)) != 0)
        return rc;
    if ((rc = sigverify_key_new(backend(in), &r->ci.pub, &k)) != 0)
        return bn_fail(r->why, sizeof r->why, rc, "bundle: kiosk %s: unusable key", r->ci.name);
    rc = bundle_check(buf, &r->b, &r->ci, k, r->why, sizeof r->why);
    sigverify_key_free(k);
    if (rc == 0 && r->b.n_signatures > 0 && in->pkg->kind != PKG_PETITION)
        rc = bn_fail(r->why, sizeof r->why, BN_EKIND, "bundle: kiosk %s: %u petition signatures "
                     "in a budget-vote bundle", r->ci.name, (unsigned)r->b.n_signatures);
    return rc;
}

typedef struct pool_s {
    const verify_input_t *in;
    const uint8_t *const *bufs;
    const size_t *lens;
    bcheck_t *res;
    int n, next;
    pthread_mutex_t lock;
} pool_t;

static void *worker(void *arg)
{
    pool_t *p = arg;
    int i;

    for (;;) {
        pthread_mutex_lock(&p->lock);
        i = p->next++;
        pthread_mutex_unlock(&p->lock);
        if (i >= p->n)
            return NULL;
        p->res[i].rc = check_bundle(p->in, p->bufs[i], p->lens[i], &p->res[i]);
    }
}

/* Checks the n bundles on every core; res[i] for bundle i. */
static int check_all(const verify_input_t *in, int n, const uint8_t *const *bufs,
                     const size_t *lens, bcheck_t *res)
{
    pool_t p;
    pthread_t *th;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    int t, nt = in->threads > 0 ? in->threads : cores > 0 ? (int)cores : 1, started = 0;

    memset(&p, 0, sizeof p);
    p.in = in;
    p.bufs = bufs;
    p.lens = lens;
    p.res = res;
    p.n = n;
    if (nt > n)
        nt = n > 0 ? n : 1;
    if (pthread_mutex_init(&p.lock, NULL) != 0)
        return BN_ENOMEM;
    if ((th = calloc((size_t)nt, sizeof *th)) != NULL)
        for (t = 0; t < nt; t++) {
            if (pthread_create(&th[t], NULL, worker, &p) != 0)
                break;
            started++;
        }
    if (started == 0)
        worker(&p);  /* no thread: this one does the work */
    for (t = 0; t < started; t++)
        pthread_join(th[t], NULL);
    free(th);
    pthread_mutex_destroy(&p.lock);
    return 0;
}

/* (VERIFY-V1) A refused bundle: find what in it is wrong, so that the report names
 * the item, not only the bundle. */
static void diagnose(ctx_t *c, int bi, const uint8_t *buf, size_t len, int rc, const char *why)
{
    const verify_input_t *in = c->in;
    char name[CERT_NAME_MAX + 40] = "?", item[64], hex[2 * KEY_ID_LEN + 1];
    sigverify_key_t *sk = NULL;
    bundle_item_t *items = NULL;
    cert_info_t ci;
    key_pub_t pub;
    bundle_t b;
    size_t n = 0, k;
    int have_key = 0;

    if (bundle_decode(buf, len, &b, NULL, 0) != 0) {
        problem(c, "?", bi, "bundle", "refused (%s): %s", bn_strerror(rc), why);
        return;
    }
    if (cert_verify(b.cert, b.cert_len, in->ca_der, in->ca_len, in->day, CERT_KIOSK, NULL, &ci,
                    NULL, 0) == 0) {
        snprintf(name, sizeof name, "%s", ci.name);
        pub = ci.pub;
        have_key = 1;
    } else if (cert_key(b.cert, b.cert_len, &pub) == 0) {
        hex_encode(pub.id, 8, hex);
        snprintf(name, sizeof name, "with key id %s... (certificate refused)", hex);
        have_key = 1;
    }
    problem(c, name, bi, "bundle", "refused (%s): %s; its %u ballots, %u register entries, %u "
            "petition signatures and %u reports are not counted", bn_strerror(rc), why,
            (unsigned)b.n_ballots, (unsigned)b.n_register, (unsigned)b.n_signatures,
            (unsigned)b.n_reports);
    if (!have_key || rc == BN_EREVOKED)
        return;
    /* every item on its own, with the same core (bundle_item_check) */
    if (sigverify_key_new(backend(in), &pub, &sk) != 0 || bundle_items(buf, &b, &items, &n) != 0) {
        sigverify_key_free(sk);
        return;
    }
    for (k = 1; k < n; k++) {  /* item 0, the bundle's own signature, is named above */
        const bundle_item_t *it = &items[k];
        int r = bundle_item_check(it, sk);

        if (r == 0)
            continue;
        if (it->kind == BUNDLE_ITEM_BALLOT) {
            hex_encode(it->p + BALLOT_OFF_ID, BALLOT_LEN_ID, hex);
            snprintf(item, sizeof item, "ballot %.32s", hex);
        } else if (it->kind == BUNDLE_ITEM_SIGNATURE) {
            hex_encode(it->p + PETITION_OFF_ID, PETITION_LEN_ID, hex);
            snprintf(item, sizeof item, "signature %.32s", hex);
        } else {
            snprintf(item, sizeof item, "closing report %u", (unsigned)it->index + 1);
        }
        problem(c, name, bi, item, "%s", bn_strerror(r));
    }
    free(items);
    sigverify_key_free(sk);
}

static void take_bundle(ctx_t *c, int bi, const uint8_t *buf, size_t len, bcheck_t *r)
{
    const verify_input_t *in = c->in;
    const bundle_t *bp = &r->b;
    size_t pos = 0, blen;
    const uint8_t *ballot;
    uint32_t i;
    int k;

    c->v->n_bundles++;
    if (r->rc != 0) {
        c->v->n_bundles_refused++;
        diagnose(c, bi, buf, len, r->rc, r->why);
        return;
    }
    if (strcmp(bp->campaign, in->pkg->id) != 0) {
        c->v->n_bundles_refused++;
        problem(c, r->ci.name, bi, "bundle", "of campaign '%s', not '%s'; not counted", bp->campaign,
                in->pkg->id);
        return;
    }
    if (in->pkg->kind != PKG_PETITION && bp->n_signatures > 0) {  /* the --mbedtls path */
        c->v->n_bundles_refused++;
        problem(c, r->ci.name, bi, "bundle", "%u petition signatures in a budget-vote bundle; not "
                "counted", (unsigned)bp->n_signatures);
        return;
    }
    if (in->pkg->kind != PKG_QUESTIONNAIRE && bp->n_texts > 0) {
        c->v->n_bundles_refused++;
        problem(c, r->ci.name, bi, "bundle", "%u free texts in a bundle of a %s campaign; not "
                "counted", (unsigned)bp->n_texts, pkg_kind_name(in->pkg->kind));
        return;
    }
    if (in->pkg->kind == PKG_PETITION && bp->n_ballots > 0) {
        c->v->n_bundles_refused++;
        problem(c, r->ci.name, bi, "bundle", "%u ballots in a bundle of petition '%s'; not counted",
                (unsigned)bp->n_ballots, in->pkg->id);
        return;
    }
    if ((k = kiosk_index(c, &r->ci)) < 0) {
        c->oom = 1;
        return;
    }
    c->v->kiosks[k].bundles++;
    for (i = 0; i < bp->n_signatures; i++) {
        if (grow((void **)&c->rs, &c->cap_rs, c->n_rs, sizeof *c->rs) != 0) {
            c->oom = 1;
            return;
        }
        c->rs[c->n_rs].bytes = bundle_signature_at(bp, i);
        c->rs[c->n_rs].kiosk = k;
        c->rs[c->n_rs++].bundle = bi;
    }
    while (bundle_next_ballot(bp, &pos, &ballot, &blen)) {
        if (grow((void **)&c->rb, &c->cap_rb, c->n_rb, sizeof *c->rb) != 0) {
            c->oom = 1;
            return;
        }
        c->rb[c->n_rb].bytes = ballot;
        c->rb[c->n_rb].len = blen;
        c->rb[c->n_rb].kiosk = k;
        c->rb[c->n_rb++].bundle = bi;
    }
    for (i = 0; i < bp->n_texts; i++) {
        if (grow((void **)&c->rt, &c->cap_rt, c->n_rt, sizeof *c->rt) != 0) {
            c->oom = 1;
            return;
        }
        c->rt[c->n_rt].bytes = bundle_text_at(bp, i, &c->rt[c->n_rt].len);
        c->rt[c->n_rt].kiosk = k;
        c->rt[c->n_rt++].bundle = bi;
    }
    for (i = 0; i < bp->n_register; i++) {
        bundle_reg_t e;

        if (grow((void **)&c->rr, &c->cap_rr, c->n_rr, sizeof *c->rr) != 0) {
            c->oom = 1;
            return;
        }
        bundle_register_at(bp, i, &e);
        memcpy(c->rr[c->n_rr].pseudonym, e.pseudonym, 32);
        c->rr[c->n_rr].kiosk = k;
        c->rr[c->n_rr++].bundle = bi;
    }
    for (i = 0; i < bp->n_reports; i++) {
        if (grow((void **)&c->rp, &c->cap_rp, c->n_rp, sizeof *c->rp) != 0) {
            c->oom = 1;
            return;
        }
        c->rp[c->n_rp].bytes = bundle_report_at(bp, i, &c->rp[c->n_rp].len);
        c->rp[c->n_rp].kiosk = k;
        c->rp[c->n_rp++].bundle = bi;
    }
}

static int cmp_rb(const void *a, const void *b)
{
    const raw_ballot_t *x = a, *y = b;
    int r = memcmp(x->bytes + BALLOT_OFF_ID, y->bytes + BALLOT_OFF_ID, BALLOT_LEN_ID);

    if (r != 0)
        return r;
    return x->bundle - y->bundle;
}

static int cmp_rr(const void *a, const void *b)
{
    const raw_reg_t *x = a, *y = b;
    int r = memcmp(x->pseudonym, y->pseudonym, 32);

    if (r != 0)
        return r;
    if (x->kiosk != y->kiosk)
        return x->kiosk - y->kiosk;
    return x->bundle - y->bundle;
}

static const char *rules_words(const pkg_t *p, const rules_verdict_t *vd, char *out, size_t cap)
{
    const rules_problem_t *q = &vd->problems[0];

    if (vd->n_problems == 0)
        snprintf(out, cap, "breaks the ballot rule");
    else if (q->kind == RULES_TOO_FEW)
        snprintf(out, cap, "%d projects, fewer than the minimum %d", vd->chosen, vd->min);
    else if (q->kind == RULES_TOO_MANY)
        snprintf(out, cap, "%d projects, more than the maximum %d", vd->chosen, vd->max);
    else if (q->kind == RULES_OVER_BUDGET)
        snprintf(out, cap, "costs %lld EUR, over the envelope %lld EUR", (long long)vd->total,
                 (long long)vd->envelope);
    else if (q->kind == RULES_UNDER_MIN_SPEND)
        snprintf(out, cap, "costs %lld EUR, under the minimum spend %lld EUR",
                 (long long)vd->total, (long long)vd->min_spend);
    else
        snprintf(out, cap, "project '%s' breaks the ballot rule",
                 q->project >= 0 && q->project < p->n_projects ? p->projects[q->project].id : "?");
    return out;
}

/* (VERIFY-V2) The ballot against the package; fills territory and sel. */
static int check_ballot(ctx_t *c, const raw_ballot_t *r, verify_ballot_t *vb, const char *item)
{
    const pkg_t *p = c->in->pkg;
    const char *kn = kname(c->v, r->kiosk);
    char why[256] = "", d1[11], d2[11], d3[11];
    rules_verdict_t vd;
    ballot_t b;
    int i, j;

    if (ballot_decode(r->bytes, r->len, &b, why, sizeof why) != 0) {
        problem(c, kn, r->bundle, item, "malformed: %s", why);
        return -1;
    }
    if (strcmp(b.campaign, p->id) != 0) {
        problem(c, kn, r->bundle, item, "of campaign '%s', not '%s'", b.campaign, p->id);
        return -1;
    }
    if (p->kind == PKG_QUESTIONNAIRE && b.kind == BALLOT_KIND_ANSWERS) {
        /* (VERIFY-V2) a questionnaire's answers: its rules, its days */
        if ((vb->territory = pkg_find_territory(p, b.territory)) < 0 ||
            answers_check(p, &b, why, sizeof why) != 0) {
            problem(c, kn, r->bundle, item, "%s", vb->territory < 0 ? "territory not in the "
                    "package" : why);
            return -1;
        }
        if (b.day < p->opens || b.day > p->closes) {
            day_format(b.day, d1);
            problem(c, kn, r->bundle, item, "answered on %s, outside the polls", d1);
            return -1;
        }
        vb->n_ans = b.n;
        if (b.n > 0 && (vb->ans = malloc((size_t)b.n * sizeof *vb->ans)) == NULL) {
            c->oom = 1;
            return -1;
        }
        if (b.n > 0)
            memcpy(vb->ans, b.answers, (size_t)b.n * sizeof *vb->ans);
        return 0;
    }
    if (p->kind != PKG_BUDGET) {
        problem(c, kn, r->bundle, item, "not a %s", p->kind == PKG_QUESTIONNAIRE
                                                       ? "questionnaire's answers"
                                                       : "budget vote");
        return -1;
    }
    if (b.kind != ballot_kind_of(p)) { /* (VERIFY-V2) the ballot the package asks for */
        problem(c, kn, r->bundle, item, "a ballot of kind %u, where the package's rule.ballot "
                "asks for kind %d", b.kind, ballot_kind_of(p));
        return -1;
    }
    if ((vb->territory = pkg_find_territory(p, b.territory)) < 0) {
        problem(c, kn, r->bundle, item, "territory '%s' is not in the package", b.territory);
        return -1;
    }
    if (b.day < p->opens || b.day > p->closes) {
        day_format(b.day, d1);
        day_format(p->opens, d2);
        day_format(p->closes, d3);
        problem(c, kn, r->bundle, item, "cast on %s, outside the polls (%s to %s)", d1, d2, d3);
        return -1;
    }
    vb->n = b.n;
    for (i = 0; i < b.n; i++) {
        if ((j = pkg_find_project(p, b.choices[i])) < 0) {
            problem(c, kn, r->bundle, item, "project '%s' is not in the package", b.choices[i]);
            return -1;
        }
        if (p->projects[j].territory != vb->territory) {
            problem(c, kn, r->bundle, item, "project '%s' is of territory '%s', not '%s'",
                    b.choices[i], p->territories[p->projects[j].territory].id, b.territory);
            return -1;
        }
        vb->sel[i] = j;
        vb->pts[i] = b.points[i];
    }
    if (rules_check_points(p, vb->territory, vb->sel,
                           b.kind == BALLOT_KIND_CUMULATIVE ? vb->pts : NULL, vb->n, &vd) != 0) {
        problem(c, kn, r->bundle, item, "%s", rules_words(p, &vd, why, sizeof why));
        return -1;
    }
    return 0;
}

/* (VERIFY-V3) Distinct ballots, (VERIFY-V2) checked. */
static int collect_ballots(ctx_t *c)
{
    verify_t *v = c->v;
    size_t i = 0, j;
    char item[64], hex[2 * BALLOT_ID_LEN + 1];

    if (c->n_rb > 0)
        qsort(c->rb, c->n_rb, sizeof *c->rb, cmp_rb);
    if ((v->ballots = calloc(c->n_rb + 1, sizeof *v->ballots)) == NULL)
        return BN_ENOMEM;
    while (i < c->n_rb) {
        const raw_ballot_t *r = &c->rb[i];
        verify_ballot_t *vb = &v->ballots[v->n_ballots++];
        int same = 1;

        hex_encode(r->bytes + BALLOT_OFF_ID, BALLOT_LEN_ID, hex);
        snprintf(item, sizeof item, "ballot %s", hex);
        for (j = i + 1; j < c->n_rb && memcmp(c->rb[j].bytes + BALLOT_OFF_ID, r->bytes + BALLOT_OFF_ID, BALLOT_LEN_ID) == 0;
             j++) {
            const raw_ballot_t *o = &c->rb[j];

            if (o->len != r->len || memcmp(o->bytes, r->bytes, r->len) != 0) {
                problem(c, kname(v, o->kiosk), o->bundle, item,
                        "same ballot id as in kiosk %s, %s, with different bytes; neither is counted",
                        kname(v, r->kiosk), c->names[r->bundle]);
                same = 0;
            }
        }
        memcpy(vb->id, r->bytes + BALLOT_OFF_ID, BALLOT_LEN_ID);
        vb->kiosk = r->kiosk;
        key_sha256(r->bytes, r->len, vb->hash);
        vb->day = (uint32_t)r->bytes[BALLOT_OFF_DAY] << 24 | (uint32_t)r->bytes[BALLOT_OFF_DAY + 1] << 16 |
                  (uint32_t)r->bytes[BALLOT_OFF_DAY + 2] << 8 | r->bytes[BALLOT_OFF_DAY + 3];
        vb->valid = same && check_ballot(c, r, vb, item) == 0;
        i = j;
    }
    return 0;
}

typedef struct kh_s {
    int kiosk;
    uint8_t hash[32];
} kh_t;

static int cmp_kh(const void *a, const void *b)
{
    const kh_t *x = a, *y = b;

    if (x->kiosk != y->kiosk)
        return x->kiosk - y->kiosk;
    return memcmp(x->hash, y->hash, 32);
}

/* (VERIFY-V4) Each kiosk's report against what was received from it: the distinct
 * signed ballots (by their bytes) that came in its accepted bundles. */
/* (VERIFY-V8) The kiosk's turnout per commune, from its closing report: the
 * communes of the package are kept (as package indices), any other is a
 * problem and not counted. 0 or BN_ENOMEM. */
static int kiosk_turnout(ctx_t *c, verify_kiosk_t *ks, int bundle, const report_t *rep)
{
    uint32_t i;
    char item[48];

    ks->turnout_known = rep->n_communes > 0 || rep->registered == 0;
    if (c->v->pkg->kind == PKG_PETITION)
        return 0; /* signatures count nothing per commune (store.c, (STORE-S8) (STORE-S9)) */
    if (rep->n_communes == 0) {
        if (rep->registered > 0)
            verify_logf(c->v, "NOTE kiosk %s: its closing report gives no participants per "
                        "commune (a store migrated from schema 2?): the turnout is incomplete",
                        ks->name);
        return 0;
    }
    ks->turnout_commune = calloc(rep->n_communes, sizeof *ks->turnout_commune);
    ks->turnout_n = calloc(rep->n_communes, sizeof *ks->turnout_n);
    if (ks->turnout_commune == NULL || ks->turnout_n == NULL)
        return BN_ENOMEM;
    for (i = 0; i < rep->n_communes; i++) {
        int ci = pkg_find_commune(c->v->pkg, rep->communes[i].insee);

        if (ci < 0) {
            snprintf(item, sizeof item, "closing report, commune %u", (unsigned)i);
            problem(c, ks->name, bundle, item, "commune \"%s\" (%llu participants) is not in "
                    "the package; not counted in the turnout", rep->communes[i].insee,
                    (unsigned long long)rep->communes[i].n);
            ks->turnout_excluded += (int64_t)rep->communes[i].n;
            continue;
        }
        ks->turnout_commune[ks->n_turnout] = ci;
        ks->turnout_n[ks->n_turnout++] = (int64_t)rep->communes[i].n;
    }
    return 0;
}

static int reconcile(ctx_t *c)
{
    verify_t *v = c->v;
    uint8_t *hashes = NULL, digest[32];
    report_t *rep = NULL;     /* about 16 KB */
    kh_t *kh = NULL;
    size_t i, n, at = 0, n_kh = 0;
    int k, rc = 0;

    hashes = malloc((c->n_rb + 1) * 32);
    kh = malloc((c->n_rb + 1) * sizeof *kh);
    rep = malloc(sizeof *rep);
    if (hashes == NULL || kh == NULL || rep == NULL) {
        free(hashes);
        free(kh);
        free(rep);
        return BN_ENOMEM;
    }
    for (i = 0; i < c->n_rb; i++) {
        kh[i].kiosk = c->rb[i].kiosk;
        key_sha256(c->rb[i].bytes, c->rb[i].len, kh[i].hash);
    }
    qsort(kh, c->n_rb, sizeof *kh, cmp_kh);
    for (i = 0; i < c->n_rb; i++)  /* the same bytes twice (a re-sent bundle) count once */
        if (n_kh == 0 || cmp_kh(&kh[i], &kh[n_kh - 1]) != 0)
            kh[n_kh++] = kh[i];
    for (i = 0; i < c->n_rr; i++)  /* distinct (pseudonym, kiosk) entries */
        if (i == 0 || memcmp(c->rr[i].pseudonym, c->rr[i - 1].pseudonym, 32) != 0 ||
            c->rr[i].kiosk != c->rr[i - 1].kiosk)
            v->kiosks[c->rr[i].kiosk].registered++;
    for (k = 0; k < v->n_kiosks; k++) {
        verify_kiosk_t *ks = &v->kiosks[k];
        const raw_report_t *first = NULL;
        char item[40];

        n = 0;
        for (; at < n_kh && kh[at].kiosk == k; at++)
            memcpy(hashes + 32 * n++, kh[at].hash, 32);
        ks->ballots = (int64_t)n;
        /* (VERIFY-V10) never more ballots than register entries from one
         * kiosk: the others are ballots nobody was registered for (a
         * stolen kiosk's key), and the result is not certified */
        if (v->pkg->kind != PKG_PETITION && ks->ballots > ks->registered)
            problem(c, ks->name, -1, "register", "the bundles hold %lld ballots of this kiosk "
                    "and only %lld register entries: %lld ballots nobody was registered for",
                    (long long)ks->ballots, (long long)ks->registered,
                    (long long)(ks->ballots - ks->registered));
        for (i = 0; i < c->n_rp; i++) {
            if (c->rp[i].kiosk != k)
                continue;
            if (first == NULL)
                first = &c->rp[i];
            else if (first->len != c->rp[i].len ||
                     memcmp(first->bytes, c->rp[i].bytes, first->len) != 0)
                problem(c, ks->name, c->rp[i].bundle, "closing report",
                        "differs from the one in %s; the kiosk closed twice?", c->names[first->bundle]);
        }
        if (first == NULL && v->pkg->kind == PKG_PETITION) {
            verify_logf(v, "NOTE kiosk %s: no closing report (the petition may still run); its "
                        "signatures are counted as received", ks->name);
            continue;
        }
        if (first == NULL) {
            problem(c, ks->name, -1, "closing report", "none received: its %lld ballots and %lld "
                    "register entries cannot be reconciled", (long long)ks->ballots,
                    (long long)ks->registered);
            continue;
        }
        snprintf(item, sizeof item, "closing report");
        if (report_decode(first->bytes, first->len, rep, NULL, 0) != 0) {
            problem(c, ks->name, first->bundle, item, "malformed");
            continue;
        }
        if (kiosk_turnout(c, ks, first->bundle, rep) != 0) {
            rc = BN_ENOMEM;
            break;
        }
        ks->has_report = 1;
        ks->rep_ballots = (int64_t)rep->ballots;
        ks->rep_registered = (int64_t)rep->registered;
        report_set_digest(hashes, n, digest);
        ks->reconciled = 1;
        if ((int64_t)rep->ballots > ks->ballots) {
            problem(c, ks->name, first->bundle, item, "reports %llu ballots, the bundles hold %lld: "
                    "%lld missing", (unsigned long long)rep->ballots, (long long)ks->ballots,
                    (long long)rep->ballots - ks->ballots);
            ks->reconciled = 0;
        } else if ((int64_t)rep->ballots < ks->ballots) {
            problem(c, ks->name, first->bundle, item, "reports %llu ballots, the bundles hold %lld: "
                    "%lld extra", (unsigned long long)rep->ballots, (long long)ks->ballots,
                    ks->ballots - (long long)rep->ballots);
            ks->reconciled = 0;
        } else if (memcmp(digest, rep->ballot_set, 32) != 0) {
            problem(c, ks->name, first->bundle, item, "reports %llu ballots and the bundles hold as "
                    "many, but not the same ones (ballot-set digest differs)",
                    (unsigned long long)rep->ballots);
            ks->reconciled = 0;
        }
        if (v->pkg->kind == PKG_BUDGET && v->pkg->supervised && ks->ballots < ks->registered &&
            (int64_t)rep->ballots == ks->ballots) {
            /* (CAST-C8) a supervised vote: codes given at the desk and never used */
            verify_logf(v, "NOTE kiosk %s: %lld voting codes given at the desk were not used",
                        ks->name, (long long)(ks->registered - ks->ballots));
        } else if (v->pkg->kind != PKG_PETITION && ks->ballots < ks->registered &&
                   (int64_t)rep->ballots == ks->ballots) {
            /* (VERIFY-V10) at the close, as many as registered */
            problem(c, ks->name, first->bundle, item, "closed with %lld register entries and "
                    "%lld ballots: %lld people registered whose ballot is missing",
                    (long long)ks->registered, (long long)ks->ballots,
                    (long long)(ks->registered - ks->ballots));
            ks->reconciled = 0;
        }
        /* a budget's register entries travel in the bundles; a petition's
         * are its signatures (one each: the kiosk refuses a second) */
        if (v->pkg->kind == PKG_PETITION && (int64_t)rep->registered != ks->signatures) {
            problem(c, ks->name, first->bundle, item, "reports %llu register entries, the bundles "
                    "hold %lld signatures", (unsigned long long)rep->registered,
                    (long long)ks->signatures);
            ks->reconciled = 0;
        } else if (v->pkg->kind != PKG_PETITION && (int64_t)rep->registered != ks->registered) {
            problem(c, ks->name, first->bundle, item, "reports %llu register entries, the bundles "
                    "hold %lld", (unsigned long long)rep->registered, (long long)ks->registered);
            ks->reconciled = 0;
        }
    }
    free(hashes);
    free(kh);
    free(rep);
    return rc;
}

/* (VERIFY-V5) Pseudonyms registered by several kiosks. */
static void duplicates(ctx_t *c)
{
    verify_t *v = c->v;
    size_t i = 0, j, a, b;
    char hex[17];

    while (i < c->n_rr) {
        for (j = i + 1; j < c->n_rr && memcmp(c->rr[j].pseudonym, c->rr[i].pseudonym, 32) == 0; j++)
            ;
        for (a = i; a < j; a++) {
            if (a > i && c->rr[a].kiosk == c->rr[a - 1].kiosk)
                continue;
            for (b = a + 1; b < j; b++) {
                if (c->rr[b].kiosk == c->rr[b - 1].kiosk)
                    continue;
                hex_encode(c->rr[i].pseudonym, 8, hex);
                v->n_warnings++;
                verify_logf(v, "DUPLICATE participation %s...: kiosk %s (%s) and kiosk %s (%s)", hex,
                            kname(v, c->rr[a].kiosk), c->names[c->rr[a].bundle],
                            kname(v, c->rr[b].kiosk), c->names[c->rr[b].bundle]);
            }
        }
        i = j;
    }
}

/* (VERIFY-V9) every enrolled kiosk was heard from, and, when a list is
 * given, every kiosk heard from is in it. */
static void enrolled(ctx_t *c)
{
    const verify_input_t *in = c->in;
    int e, k;

    for (k = 0; in->n_enrolled > 0 && k < c->v->n_kiosks; k++) {
        if (c->v->kiosks[k].bundles == 0)
            continue;
        for (e = 0; e < in->n_enrolled; e++)
            if (memcmp(c->v->kiosks[k].key_id, in->enrolled[e].key_id, KEY_ID_LEN) == 0)
                break;
        if (e == in->n_enrolled)
            problem(c, c->v->kiosks[k].name, -1, "-",
                    "sent bundles, but is not in the enrolled list: a kiosk the authority "
                    "certified and nobody enrolled (a second certificate for one kiosk?)");
    }

    for (e = 0; e < in->n_enrolled; e++) {
        const verify_enrolled_t *x = &in->enrolled[e];
        for (k = 0; k < c->v->n_kiosks; k++)
            if (memcmp(c->v->kiosks[k].key_id, x->key_id, KEY_ID_LEN) == 0 &&
                c->v->kiosks[k].bundles > 0)
                break;
        if (k < c->v->n_kiosks)
            continue;
        if (in->pkg->kind == PKG_PETITION)
            verify_logf(c->v, "NOTE kiosk %s (%s): enrolled, nothing received from it yet",
                        x->name, x->file);
        else
            problem(c, x->name, -1, x->file,
                    "enrolled, but no bundle from it verified: nothing received (a lost kiosk "
                    "or a USB stick not imported?)");
    }
}

static int cmp_rs(const void *a, const void *b)
{
    const raw_sig_t *x = a, *y = b;
    int r = memcmp(x->bytes + PETITION_OFF_ID, y->bytes + PETITION_OFF_ID, PETITION_ID_LEN);

    if (r != 0)
        return r;
    return x->bundle - y->bundle;
}

/* Valid records by person, then day, then kiosk, then signature id. */
static int cmp_person(const void *a, const void *b)
{
    const verify_sig_t *x = *(verify_sig_t *const *)a, *y = *(verify_sig_t *const *)b;
    int r = memcmp(x->rec + PETITION_OFF_PSEUDONYM, y->rec + PETITION_OFF_PSEUDONYM, PETITION_LEN_PSEUDONYM);

    if (r != 0)
        return r;
    if (x->day != y->day)
        return x->day < y->day ? -1 : 1;
    if (x->kiosk != y->kiosk)
        return x->kiosk - y->kiosk;
    return memcmp(x->rec + PETITION_OFF_ID, y->rec + PETITION_OFF_ID, PETITION_ID_LEN);
}

static int cmp_day(const void *a, const void *b)
{
    const verify_day_t *x = a, *y = b;

    if (x->day != y->day)
        return x->day < y->day ? -1 : 1;
    return x->canton - y->canton;
}

/* (V6, V7) Distinct petition records, checked against the package, then
 * counted by petition_count and broken down per canton and per day. */
static int collect_signatures(ctx_t *c)
{
    verify_t *v = c->v;
    const pkg_t *p = c->in->pkg;
    petition_item_t *items = NULL;
    verify_sig_t **by = NULL;
    size_t i = 0, j, n_items = 0, k;
    char item[64], hex[2 * PETITION_ID_LEN + 1], d1[11], d2[11], d3[11], ph[17];
    int64_t persons = 0;
    int rc = BN_ENOMEM, cantons = 0, ci;

    if (c->n_rs > 0)
        qsort(c->rs, c->n_rs, sizeof *c->rs, cmp_rs);
    v->sigs = calloc(c->n_rs + 1, sizeof *v->sigs);
    v->canton_persons = calloc((size_t)p->n_cantons + 1, sizeof *v->canton_persons);
    items = calloc(c->n_rs + 1, sizeof *items);
    by = calloc(c->n_rs + 1, sizeof *by);
    v->days = calloc(c->n_rs + 1, sizeof *v->days);
    if (v->sigs == NULL || v->canton_persons == NULL || items == NULL || by == NULL ||
        v->days == NULL)
        goto out;
    while (i < c->n_rs) {
        const raw_sig_t *r = &c->rs[i];
        verify_sig_t *vs = &v->sigs[v->n_sigs++];
        const char *kn = kname(v, r->kiosk);
        petition_t pt;
        int same = 1;

        hex_encode(r->bytes + PETITION_OFF_ID, PETITION_ID_LEN, hex);
        snprintf(item, sizeof item, "signature %s", hex);
        for (j = i + 1; j < c->n_rs && memcmp(c->rs[j].bytes + PETITION_OFF_ID,
                                               r->bytes + PETITION_OFF_ID, PETITION_ID_LEN) == 0; j++)
            if (memcmp(c->rs[j].bytes, r->bytes, PETITION_LEN) != 0) {
                problem(c, kname(v, c->rs[j].kiosk), c->rs[j].bundle, item,
                        "same signature id as in kiosk %s, %s, with different bytes; neither is "
                        "counted", kn, c->names[r->bundle]);
                same = 0;
            }
        memcpy(vs->rec, r->bytes, PETITION_LEN);
        vs->kiosk = r->kiosk;
        vs->canton = -1;
        v->kiosks[r->kiosk].signatures++;
        i = j;
        if (!same)
            continue;
        if (petition_decode(vs->rec, PETITION_LEN, &pt, NULL, 0) != 0) {
            problem(c, kn, r->bundle, item, "malformed");
            continue;
        }
        vs->day = pt.day;
        for (ci = 0; ci < p->n_cantons; ci++)
            if (strcmp(p->cantons[ci].id, pt.canton) == 0)
                break;
        if (strcmp(pt.campaign, p->id) != 0) {
            problem(c, kn, r->bundle, item, "of campaign '%s', not '%s'", pt.campaign, p->id);
            continue;
        }
        if (ci == p->n_cantons) {
            problem(c, kn, r->bundle, item, "canton '%s' is not in the package", pt.canton);
            continue;
        }
        vs->canton = ci;
        /* given to petition_count, which counts it as "outside" if need be */
        items[n_items].rec = vs->rec;
        items[n_items].len = PETITION_LEN;
        items[n_items++].kiosk = &v->kiosks[r->kiosk].pub;
        if (pt.day < p->opens || pt.day > p->closes) {
            day_format(pt.day, d1);
            day_format(p->opens, d2);
            day_format(p->closes, d3);
            verify_logf(v, "OUTSIDE kiosk %s, %s, %s: signed on %s, outside the petition's window "
                        "(%s to %s); not counted", kn, c->names[r->bundle], item, d1, d2, d3);
            continue;
        }
        vs->valid = 1;
    }
    if ((rc = petition_count(p, items, n_items, &v->petition)) != 0)
        goto out;
    /* one person, one signature: the earliest valid record (petition_count's rule) */
    for (i = 0, k = 0; i < (size_t)v->n_sigs; i++)
        if (v->sigs[i].valid)
            by[k++] = &v->sigs[i];
    if (k > 1)
        qsort(by, k, sizeof *by, cmp_person);
    for (i = 0; i < k; i = j) {
        by[i]->counted = 1;
        v->canton_persons[by[i]->canton]++;
        persons++;
        for (j = i + 1; j < k && memcmp(by[j]->rec + PETITION_OFF_PSEUDONYM, by[i]->rec + PETITION_OFF_PSEUDONYM, PETITION_LEN_PSEUDONYM) == 0; j++) {
            hex_encode(by[i]->rec + PETITION_OFF_PSEUDONYM, 8, ph);
            v->n_warnings++;
            verify_logf(v, "DUPLICATE signature of person %s...: kiosk %s (%s) and kiosk %s (%s); "
                        "counted once, on %s", ph, kname(v, by[i]->kiosk),
                        (day_format(by[i]->day, d1), d1), kname(v, by[j]->kiosk),
                        (day_format(by[j]->day, d2), d2), d1);
        }
        /* persons per (day, canton) */
        {
            verify_day_t key = {by[i]->day, by[i]->canton, 0};
            int f;

            for (f = 0; f < v->n_days; f++)
                if (cmp_day(&v->days[f], &key) == 0)
                    break;
            if (f == v->n_days)
                v->days[v->n_days++] = key;
            v->days[f].persons++;
        }
    }
    if (v->n_days > 1)
        qsort(v->days, (size_t)v->n_days, sizeof *v->days, cmp_day);
    for (ci = 0; ci < p->n_cantons; ci++)
        cantons += v->canton_persons[ci] > 0;
    /* the breakdown and petition_count must agree (both from the same records) */
    if (persons != v->petition.valid || cantons != v->petition.cantons || v->petition.invalid != 0)
        problem(c, "-", -1, "petition count", "petition_count says %lld persons, %d cantons, %lld "
                "invalid; the breakdown %lld persons, %d cantons", (long long)v->petition.valid,
                v->petition.cantons, (long long)v->petition.invalid, (long long)persons, cantons);
    rc = 0;
out:
    free(items);
    free(by);
    return rc;
}

int verify_bundles(const verify_input_t *in, int n, const uint8_t *const *bufs,
                   const size_t *lens, const char *const *names, verify_t **out, char *why,
                   size_t whylen)
{
    verify_set_t set;

    memset(&set, 0, sizeof set);
    set.n = n;
    set.bufs = bufs;
    set.lens = lens;
    set.names = names;
    return verify_set(in, &set, out, why, whylen);
}

int verify_set(const verify_input_t *in, const verify_set_t *set, verify_t **out, char *why,
               size_t whylen)
{
    const uint8_t *const *bufs = set->bufs;
    const size_t *lens = set->lens;
    ctx_t c;
    verify_t *v;
    bcheck_t *res = NULL;
    double t0;
    int i, rc = BN_ENOMEM, k, valid = 0, n = set->n, unverifiable = 0;

    *out = NULL;
    if (in->pkg->kind == PKG_IDEAS) /* nothing to count: the server moderates and publishes */
        return bn_fail(why, whylen, BN_EKIND, "campaign '%s' is a call for ideas: its ideas are "
                       "moderated and published by borne-server, not counted", in->pkg->id);
    memset(&c, 0, sizeof c);
    if ((v = calloc(1, sizeof *v)) == NULL)
        return bn_fail(why, whylen, BN_ENOMEM, "out of memory");
    v->pkg = in->pkg;
    c.v = v;
    c.in = in;
    c.names = set->names;
    t0 = now_s();
    if ((res = calloc((size_t)n + 1, sizeof *res)) == NULL || check_all(in, n, bufs, lens, res) != 0)
        goto out;
    v->seconds_parallel = now_s() - t0;
    t0 = now_s();
    for (i = 0; i < n && !c.oom; i++)
        take_bundle(&c, i, bufs[i], lens[i], &res[i]);
    for (i = 0; i < set->n_notes; i++) {
        note(&c, &set->notes[i]);
        unverifiable += set->notes[i].unverifiable;
    }
    if (n == 0 && unverifiable == 0)
        problem(&c, "-", -1, "bundles", "none found: there is nothing to certify");
    if (c.oom)
        goto out;
    if (c.n_rr > 0)
        qsort(c.rr, c.n_rr, sizeof *c.rr, cmp_rr);
    /* the signatures before the closing reports: a petition's report counts
     * one register entry a signature (reconcile) */
    if (collect_ballots(&c) != 0 ||
        (in->pkg->kind == PKG_PETITION && collect_signatures(&c) != 0) ||
        (in->pkg->kind == PKG_QUESTIONNAIRE && collect_texts(&c) != 0) || reconcile(&c) != 0 ||
        c.oom)
        goto out;
    duplicates(&c);
    enrolled(&c);
    for (i = 0; i < v->n_ballots; i++)
        valid += v->ballots[i].valid;
    verify_logf(v, "bundles %d, refused %d", v->n_bundles, v->n_bundles_refused);
    for (k = 0; k < v->n_kiosks; k++) {
        char hex[2 * KEY_ID_LEN + 1];

        hex_encode(v->kiosks[k].key_id, KEY_ID_LEN, hex);
        if (in->pkg->kind == PKG_PETITION)
            verify_logf(v, "kiosk %s (key id %s): %d bundles, %lld signatures; closing report: %s",
                        v->kiosks[k].name, hex, v->kiosks[k].bundles,
                        (long long)v->kiosks[k].signatures,
                        !v->kiosks[k].has_report ? "none" : v->kiosks[k].reconciled ? "agrees"
                                                                                    : "DISAGREES");
        else
            verify_logf(v, "kiosk %s (key id %s): %d bundles, %lld ballots, %lld register entries; "
                        "closing report: %s", v->kiosks[k].name, hex, v->kiosks[k].bundles,
                        (long long)v->kiosks[k].ballots, (long long)v->kiosks[k].registered,
                        !v->kiosks[k].has_report ? "none" : v->kiosks[k].reconciled ? "agrees" : "DISAGREES");
    }
    if (in->pkg->kind == PKG_PETITION) {
        const petition_count_t *pc = &v->petition;
        char d[11] = "";

        if (pc->reached)
            day_format(pc->reached_on, d);
        verify_logf(v, "signatures %d distinct records: %lld persons counted, %lld duplicates, "
                    "%lld outside the window, %d cantons", v->n_sigs, (long long)pc->valid,
                    (long long)pc->duplicates, (long long)pc->outside, pc->cantons);
        verify_logf(v, "threshold %d signatures from %d cantons: %s%s", in->pkg->petition.threshold,
                    in->pkg->petition.min_cantons, pc->reached ? "REACHED on " : "not reached", d);
    } else if (in->pkg->kind == PKG_QUESTIONNAIRE) {
        int kept = 0;

        for (i = 0; i < v->n_texts; i++)
            kept += v->texts[i].valid;
        verify_logf(v, "answer sets %d distinct, %d counted; free texts %d distinct, %d kept",
                    v->n_ballots, valid, v->n_texts, kept);
    } else {
        verify_logf(v, "ballots %d distinct, %d counted", v->n_ballots, valid);
    }
    if (in->reports != NULL)
        (void)verify_poll_reports(v, in->reports);
    verify_logf(v, "duplicate participations %d", v->n_warnings);
    verify_logf(v, "problems %d", v->n_problems);
    if (v->log == NULL)
        goto out;
    v->seconds_serial = now_s() - t0;
    rc = 0;
out:
    free(res);
    free(c.rb);
    free(c.rr);
    free(c.rp);
    free(c.rs);
    free(c.rt);
    if (rc != 0) {
        verify_free(v);
        return bn_fail(why, whylen, rc, "out of memory");
    }
    *out = v;
    return 0;
}

static int cmp_rt(const void *a, const void *b)
{
    const raw_text_t *x = a, *y = b;

    return memcmp(x->bytes + QTEXT_OFF_ID, y->bytes + QTEXT_OFF_ID, QTEXT_ID_LEN);
}

/* (VERIFY-V12) A questionnaire's distinct free texts, each checked. */
static int collect_texts(ctx_t *c)
{
    verify_t *v = c->v;
    const pkg_t *p = c->in->pkg;
    qtext_t *t = malloc(sizeof *t);
    size_t i = 0, j;
    char item[64], hex[33], why[256], d1[11];
    int q;

    if (t == NULL || (v->texts = calloc(c->n_rt + 1, sizeof *v->texts)) == NULL) {
        free(t);
        return BN_ENOMEM;
    }
    if (c->n_rt > 0)
        qsort(c->rt, c->n_rt, sizeof *c->rt, cmp_rt);
    while (i < c->n_rt) {
        const raw_text_t *r = &c->rt[i];
        verify_text_t *vt = &v->texts[v->n_texts++];
        const char *kn = kname(v, r->kiosk);
        int same = 1;

        hex_encode(r->bytes + QTEXT_OFF_ID, QTEXT_ID_LEN, hex);
        snprintf(item, sizeof item, "text %s", hex);
        memcpy(vt->id, r->bytes + QTEXT_OFF_ID, 16);
        vt->kiosk = r->kiosk;
        for (j = i + 1; j < c->n_rt && cmp_rt(r, &c->rt[j]) == 0; j++)
            if (c->rt[j].len != r->len || memcmp(c->rt[j].bytes, r->bytes, r->len) != 0) {
                problem(c, kn, c->rt[j].bundle, item, "differs from the one in %s: neither is "
                        "kept", c->names[r->bundle]);
                same = 0;
            }
        i = j;
        if (!same)
            continue;
        if (qtext_decode(r->bytes, r->len, t, why, sizeof why) != 0) {
            problem(c, kn, r->bundle, item, "malformed: %s", why);
            continue;
        }
        if (qtext_check(p, t, why, sizeof why) != 0) {
            problem(c, kn, r->bundle, item, "%s", why);
            continue;
        }
        if (t->day < p->opens || t->day > p->closes) {
            day_format(t->day, d1);
            problem(c, kn, r->bundle, item, "written on %s, outside the polls", d1);
            continue;
        }
        for (q = 0; q < p->questionnaire.n && strcmp(p->questionnaire.q[q].id, t->question); q++)
            ;
        vt->question = q;
        vt->territory = pkg_find_territory(p, t->territory);
        if ((vt->text = strdup(t->text)) == NULL) {
            free(t);
            return BN_ENOMEM;
        }
        vt->valid = 1;
    }
    mbedtls_platform_zeroize(t, sizeof *t);
    free(t);
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int read_all(const char *path, uint8_t **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    size_t cap = 0, n = 0, r;

    if (f == NULL)
        return BN_EIO;
    for (;;) {
        if (n == cap) {
            uint8_t *p;

            if (cap >= BUNDLE_MAX_LEN + 1) {
                fclose(f);
                free(buf);
                return BN_ETOOBIG;
            }
            cap = cap ? cap * 2 : 65536;
            if ((p = realloc(buf, cap)) == NULL) {
                fclose(f);
                free(buf);
                return BN_ENOMEM;
            }
            buf = p;
        }
        r = fread(buf + n, 1, cap - n, f);
        n += r;
        if (r == 0)
            break;
    }
    if (ferror(f)) {
        fclose(f);
        free(buf);
        return BN_EIO;
    }
    fclose(f);
    *out = buf;
    *len = n;
    return 0;
}

int verify_dir(const verify_input_t *in, const char *dir, verify_t **out, char *why, size_t whylen)
{
    DIR *d = NULL;
    struct dirent *e;
    char **names = NULL, *path = NULL;
    uint8_t **bufs = NULL;
    size_t *lens = NULL, n = 0, cap = 0, i;
    int rc = 0;

    *out = NULL;
    if ((d = opendir(dir)) == NULL)
        return bn_fail(why, whylen, BN_EIO, "%s: %s", dir, strerror(errno));
    while ((e = readdir(d)) != NULL) {
        struct stat st;

        if (e->d_name[0] == '.')
            continue;
        free(path);
        if ((path = malloc(strlen(dir) + strlen(e->d_name) + 2)) == NULL) {
            rc = BN_ENOMEM;
            goto out;
        }
        sprintf(path, "%s/%s", dir, e->d_name);
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        if (grow((void **)&names, &cap, n, sizeof *names) != 0 ||
            (names[n] = strdup(e->d_name)) == NULL) {
            rc = BN_ENOMEM;
            goto out;
        }
        n++;
    }
    if (names != NULL)
        qsort(names, n, sizeof *names, cmp_str);
    bufs = calloc(n + 1, sizeof *bufs);
    lens = calloc(n + 1, sizeof *lens);
    if (bufs == NULL || lens == NULL) {
        rc = BN_ENOMEM;
        goto out;
    }
    for (i = 0; i < n; i++) {
        free(path);
        if ((path = malloc(strlen(dir) + strlen(names[i]) + 2)) == NULL) {
            rc = BN_ENOMEM;
            goto out;
        }
        sprintf(path, "%s/%s", dir, names[i]);
        if ((rc = read_all(path, &bufs[i], &lens[i])) != 0) {
            rc = bn_fail(why, whylen, rc, "%s: %s", path, bn_strerror(rc));
            goto out;
        }
    }
    rc = verify_bundles(in, (int)n, (const uint8_t *const *)bufs, lens,
                        (const char *const *)names, out, why, whylen);
out:
    if (rc == BN_ENOMEM)
        bn_fail(why, whylen, rc, "out of memory");
    if (d != NULL)
        closedir(d);
    for (i = 0; i < n; i++) {
        free(names[i]);
        if (bufs != NULL)
            free(bufs[i]);
    }
    free(names);
    free(bufs);
    free(lens);
    free(path);
    return rc;
}
