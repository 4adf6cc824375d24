/* count_mes.c - one run of the Method of Equal Shares (cost satisfaction), exactly.
 *
 * Money is kept as integers over one common denominator D (an mbedtls_mpi):
 * a budget b is stored as N = b * D. At the start D = n (voters) and every
 * N = budget. Buying project w at per-voter payment q = X / (k D) (X, k
 * integers, k = supporters paying q in full) multiplies D by k' = k / gcd(X, k)
 * so that q D stays an integer, and every N by k' alongside.
 *
 * (MES-E1) Voters whose budgets are equal share a "class"; a class holds one N
 *      and a weight. Classes only split (on a purchase, supporters leave their
 *      class) or empty; voters who pay all they have join class 0 (N = 0).
 * (MES-E2) rho_c = X / (k cost_c D) is compared across projects by
 *      cross-multiplication of integers; nothing is rounded.
 * (MES-E3) A project's rho never decreases during a run (budgets only fall), so
 *      its last rho is a lower bound; a project whose bound exceeds the best
 *      rho found in this round is skipped. The comparison is exact, or made
 *      on doubles only when they show a gap far wider than their error.
 * (MES-E4) Classes are scanned in an order given by doubles; only where the scan
 *      stops must the order be exact, and that is checked (eval()).
 * (MES-E5) Classes are rescaled to the current D only when next looked at.
 * (MES-E6) add1 runs in parallel (count.c); the outcome does not depend on it.
 * (MES-E7) "pays all" / "stops here" are decided on doubles only with a margin a
 *      million times their error bound; X itself is always summed exactly.
 * No double ever decides alone when the exact values could differ; see
 * docs/counting.md for the error bounds. */
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include <mbedtls/bignum.h>

#include "bn_err.h"
#include "count_int.h"

int count__test_scramble;

#define CHK(x) do { if ((x) != 0) { rc = BN_ENOMEM; goto out; } } while (0)

typedef struct hk_s {
    double d;
    int cl;
} hk_t;

typedef struct ws_s {
    const count__prep_t *pr;
    int np;
    /* classes */
    int ccap, nclass;
    mbedtls_mpi *N;
    double *dval;           /* N / D, approximately (MES-E4) */
    int *ep;                /* N is over the D of purchase ep[cl] (MES-E5) */
    int64_t *kp;            /* kp[e]: the factor D took at purchase e (1-based) */
    int nbuy;
    int exact;              /* scan w->touched, sorted exactly */
    int sure_stop;          /* the scan stopped on a decision of E7 */
    int64_t *W;
    int *freel, nfree;
    int *map;
    unsigned char *payall;
    /* groups */
    int *cls_of;
    /* aggregation scratch */
    unsigned *stamp;
    unsigned tick;
    int64_t *agg;
    int *touched, nt;
    hk_t *heap;
    int nh;
    /* projects */
    mbedtls_mpi *pn, *pd;   /* last rho of each project: pn / pd (MES-E3) */
    double *pdbl;
    unsigned char *alive;
    int *order;
    /* the tie of this round (MES-E10): set by better() at equal prices */
    int tp_set, tp_won, tp_lost, tp_by;
    /* numbers */
    mbedtls_mpi D, T1, T2, paid, R, X, bX, bd, G;
} ws_t;

/* ---- helpers ------------------------------------------------------------- */

/* a ~ m 2^e with m < 2^62 (top bits, truncated: relative error < 2^-61). */
static int top_bits(const mbedtls_mpi *a, mbedtls_mpi *tmp, uint64_t *m, long *e)
{
    size_t bits = mbedtls_mpi_bitlen(a), i, shift = bits > 62 ? bits - 62 : 0;

    *m = 0;
    *e = (long)shift;
    if (mbedtls_mpi_copy(tmp, a) != 0 || mbedtls_mpi_shift_r(tmp, shift) != 0)
        return -1;
    for (i = 0; i < tmp->n && i * sizeof(mbedtls_mpi_uint) < 8; i++)
        *m |= (uint64_t)tmp->p[i] << (i * 8 * sizeof(mbedtls_mpi_uint));
    return 0;
}

/* a / b as a double, relative error below 2^-50 (a >= 0, b > 0); used only to
 * order work or to skip work when a gap far wider than the error is seen
 * (E3, E4); HUGE_VAL when it cannot say. */
static int ratio(const mbedtls_mpi *a, const mbedtls_mpi *b, mbedtls_mpi *tmp, double *out)
{
    uint64_t ma, mb;
    long ea, eb;

    if (top_bits(a, tmp, &ma, &ea) != 0 || top_bits(b, tmp, &mb, &eb) != 0 || mb == 0)
        return BN_ENOMEM;
    *out = count__test_scramble ? 0.0 : ldexp((double)ma / (double)mb, (int)(ea - eb));
    return 0;
}

/* Relative gap between two doubles beyond which their order is certainly the
 * order of the exact values they approximate (errors < 2^-50 each, for
 * values above TINY; below it doubles lose precision, so comparisons add
 * TINY as an absolute margin). */
#define GAP 1e-12
#define TINY 0x1p-800

/* Heap sort of the touched classes by N, exactly, ascending (thread-safe). */
static int cls_less(const ws_t *w, int a, int b)
{
    return mbedtls_mpi_cmp_mpi(&w->N[a], &w->N[b]) < 0;
}

static void sift(const ws_t *w, int *v, int i, int n)
{
    int c, t;

    for (;;) {
        c = 2 * i + 1;
        if (c >= n)
            return;
        if (c + 1 < n && cls_less(w, v[c], v[c + 1]))
            c++;
        if (!cls_less(w, v[i], v[c]))
            return;
        t = v[i];
        v[i] = v[c];
        v[c] = t;
        i = c;
    }
}

static void sort_touched(ws_t *w)
{
    int i, t, n = w->nt, *v = w->touched;

    for (i = n / 2 - 1; i >= 0; i--)
        sift(w, v, i, n);
    for (i = n - 1; i > 0; i--) {
        t = v[0];
        v[0] = v[i];
        v[i] = t;
        sift(w, v, 0, i);
    }
}

/* (MES-E5) Brings N[cl] over the current D: classes are rescaled only when they
 * are next looked at, not at every purchase. 0 or BN_ENOMEM. */
static int fresh(ws_t *w, int cl)
{
    uint64_t f;
    int e;

    if (cl == 0) {
        w->ep[0] = w->nbuy;
        return 0;
    }
    for (e = w->ep[cl]; e < w->nbuy;) {
        f = (uint64_t)w->kp[++e];
        while (e < w->nbuy && f <= (uint64_t)(mbedtls_mpi_uint)-1 / (uint64_t)w->kp[e + 1])
            f *= (uint64_t)w->kp[++e];
        if (f == 1)
            continue;
        if (mbedtls_mpi_mul_int(&w->T1, &w->N[cl], (mbedtls_mpi_uint)f) != 0)
            return BN_ENOMEM;
        mbedtls_mpi_swap(&w->T1, &w->N[cl]);
    }
    w->ep[cl] = w->nbuy;
    return 0;
}

/* X = A * b for b < 2^63, also where mbedtls_mpi_uint has 32 bits (X != A). */
static int mul64(mbedtls_mpi *X, const mbedtls_mpi *A, uint64_t b, mbedtls_mpi *tmp)
{
    if (b <= (uint64_t)(mbedtls_mpi_uint)-1)
        return mbedtls_mpi_mul_int(X, A, (mbedtls_mpi_uint)b);
    if (mbedtls_mpi_mul_int(X, A, (mbedtls_mpi_uint)(b >> 32)) != 0 ||
        mbedtls_mpi_shift_l(X, 32) != 0 ||
        mbedtls_mpi_mul_int(tmp, A, (mbedtls_mpi_uint)(b & 0xFFFFFFFFu)) != 0 ||
        mbedtls_mpi_add_mpi(X, X, tmp) != 0)
        return BN_ENOMEM;
    return 0;
}

static void aggregate(ws_t *w, int c)
{
    const count__prep_t *pr = w->pr;
    int i, g, cl;

    w->tick++;
    w->nt = 0;
    for (i = pr->sup_off[c]; i < pr->sup_off[c + 1]; i++) {
        g = pr->sup[i];
        cl = w->cls_of[g];
        if (w->stamp[cl] != w->tick) {
            w->stamp[cl] = w->tick;
            w->agg[cl] = 0;
            w->touched[w->nt++] = cl;
        }
        w->agg[cl] += pr->gw[g];
    }
}

/* A min-heap of (dval, class) over the touched classes: eval() pops them in
 * increasing order only as far as its scan goes. */
static void hsift(hk_t *h, int i, int n)
{
    int c;
    hk_t t;

    for (;;) {
        c = 2 * i + 1;
        if (c >= n)
            return;
        if (c + 1 < n && h[c + 1].d < h[c].d)
            c++;
        if (!(h[c].d < h[i].d))
            return;
        t = h[i];
        h[i] = h[c];
        h[c] = t;
        i = c;
    }
}

static int hpop(ws_t *w)
{
    int cl;

    if (w->nh == 0)
        return -1;
    cl = w->heap[0].cl;
    w->heap[0] = w->heap[--w->nh];
    hsift(w->heap, 0, w->nh);
    return cl;
}

/* The scan of eval(): classes in increasing order (popped from the heap, or
 * from w->touched when w->exact). 1 and w->X, *k set, 0 when unaffordable, or
 * BN_ENOMEM; *stop = the class where it stopped (-1: none). */
static int scan(ws_t *w, int c, int64_t *k, int *stop)
{
    int rc = 0, i, cl, fast = !w->exact && !count__test_scramble;
    int64_t kk = w->pr->appr[c];
    double cd = (double)w->pr->p->cost[c], paid_d = 0, lhs, rhs, m;

    *stop = -1;
    w->sure_stop = 0;
    CHK(mul64(&w->R, &w->D, (uint64_t)w->pr->p->cost[c], &w->T1));
    CHK(mbedtls_mpi_lset(&w->paid, 0));
    for (i = 0;; i++) {
        cl = w->exact ? (i < w->nt ? w->touched[i] : -1) : hpop(w);
        if (cl < 0)
            break;
        if (fast) {
            /* (MES-E7) b < q decided in doubles when the gap is far above their
             * error (< 5e-10 cost + 1e-15 lhs, docs/counting.md), else exactly */
            lhs = w->dval[cl] * (double)kk;
            rhs = cd - paid_d;
            m = 1e-9 * (cd + lhs);
            if (lhs > rhs + m) {
                *stop = cl;
                w->sure_stop = 1;
                break;
            }
            if (lhs < rhs - m)
                goto take;
        }
        if ((rc = fresh(w, cl)) != 0)
            goto out;
        /* b < q  <=>  N k < cost D - paid */
        CHK(mbedtls_mpi_mul_int(&w->T1, &w->N[cl], (mbedtls_mpi_uint)kk));
        CHK(mbedtls_mpi_sub_mpi(&w->T2, &w->R, &w->paid));
        if (mbedtls_mpi_cmp_mpi(&w->T1, &w->T2) >= 0) {
            *stop = cl;
            break;
        }
take:
        if ((rc = fresh(w, cl)) != 0)
            goto out;
        CHK(mbedtls_mpi_mul_int(&w->T1, &w->N[cl], (mbedtls_mpi_uint)w->agg[cl]));
        CHK(mbedtls_mpi_add_mpi(&w->paid, &w->paid, &w->T1));
        paid_d += w->dval[cl] * (double)w->agg[cl];
        kk -= w->agg[cl];
        if (kk == 0)
            return 0;
    }
    CHK(mbedtls_mpi_sub_mpi(&w->X, &w->R, &w->paid));
    *k = kk;
    return 1;
out:
    return rc;
}

/* rho of project c now: 1 and w->X, *k set (rho = X / (k cost D)), 0 when its
 * supporters cannot afford it, or BN_ENOMEM.
 *
 * (MES-E4) The supporters' classes are scanned by increasing budget; those below
 * the running payment q pay all they have (q only rises as they are taken
 * out, so every one taken satisfies b < q at the end). The order comes from
 * doubles; it only has to be exact where the scan stops: the classes after
 * the stop must all have b >= q. Beyond a relative gap GAP the double order
 * is the exact order, so only the classes within GAP of the stopping one
 * are tested exactly; if one of them also has b < q, the classes are sorted
 * exactly and the scan is done again. */
static int eval(ws_t *w, int c, int64_t *k)
{
    int rc, r, i, cl, stop = 0;
    double lim;

    aggregate(w, c);
    w->exact = 0;
    for (i = 0; i < w->nt; i++) {
        w->heap[i].d = w->dval[w->touched[i]];
        w->heap[i].cl = w->touched[i];
    }
    w->nh = w->nt;
    for (i = w->nh / 2 - 1; i >= 0; i--)
        hsift(w->heap, i, w->nh);
    r = scan(w, c, k, &stop);
    if (r <= 0 || stop < 0 || w->sure_stop)
        return r;       /* a sure stop (MES-E7) vouches for every class after it */
    lim = w->dval[stop] * (1 + GAP) + TINY;
    CHK(mbedtls_mpi_sub_mpi(&w->T2, &w->R, &w->paid));
    while (w->nh > 0 && w->heap[0].d <= lim) {
        cl = hpop(w);
        if ((rc = fresh(w, cl)) != 0)
            goto out;
        CHK(mbedtls_mpi_mul_int(&w->T1, &w->N[cl], (mbedtls_mpi_uint)*k));
        if (mbedtls_mpi_cmp_mpi(&w->T1, &w->T2) < 0) {
            w->exact = 1;
            for (i = 0; i < w->nt; i++)
                if ((rc = fresh(w, w->touched[i])) != 0)
                    goto out;
            sort_touched(w);
            return scan(w, c, k, &stop);
        }
    }
    return 1;
out:
    return rc;
}

static int new_class(ws_t *w)
{
    if (w->nfree > 0)
        return w->freel[--w->nfree];
    return w->nclass++;   /* capacity: classes <= groups + 2 (MES-E1) */
}

/* ---- the run --------------------------------------------------------------- */

static void ws_free(ws_t *w)
{
    int i;

    if (w->N != NULL)
        for (i = 0; i < w->ccap; i++)
            mbedtls_mpi_free(&w->N[i]);
    if (w->pn != NULL)
        for (i = 0; i < w->np; i++) {
            mbedtls_mpi_free(&w->pn[i]);
            mbedtls_mpi_free(&w->pd[i]);
        }
    free(w->N);
    free(w->dval);
    free(w->ep);
    free(w->kp);
    free(w->W);
    free(w->freel);
    free(w->map);
    free(w->payall);
    free(w->cls_of);
    free(w->stamp);
    free(w->agg);
    free(w->touched);
    free(w->heap);
    free(w->pn);
    free(w->pd);
    free(w->pdbl);
    free(w->alive);
    free(w->order);
    mbedtls_mpi_free(&w->D);
    mbedtls_mpi_free(&w->T1);
    mbedtls_mpi_free(&w->T2);
    mbedtls_mpi_free(&w->paid);
    mbedtls_mpi_free(&w->R);
    mbedtls_mpi_free(&w->X);
    mbedtls_mpi_free(&w->bX);
    mbedtls_mpi_free(&w->bd);
    mbedtls_mpi_free(&w->G);
}

static int ws_init(ws_t *w, const count__prep_t *pr)
{
    int i;
    size_t cc = (size_t)pr->ng + 2, np = (size_t)pr->p->n_projects;

    memset(w, 0, sizeof(*w));
    w->pr = pr;
    w->ccap = (int)cc;
    w->N = calloc(cc, sizeof(mbedtls_mpi));
    w->dval = calloc(cc, sizeof(double));
    w->ep = calloc(cc, sizeof(int));
    w->kp = calloc(np + 2, sizeof(int64_t));
    w->W = calloc(cc, sizeof(int64_t));
    w->freel = calloc(cc, sizeof(int));
    w->map = calloc(cc, sizeof(int));
    w->payall = calloc(cc, 1);
    w->stamp = calloc(cc, sizeof(unsigned));
    w->agg = calloc(cc, sizeof(int64_t));
    w->touched = calloc(cc, sizeof(int));
    w->heap = calloc(cc, sizeof(hk_t));
    w->cls_of = calloc((size_t)pr->ng + 1, sizeof(int));
    w->pn = calloc(np, sizeof(mbedtls_mpi));
    w->pd = calloc(np, sizeof(mbedtls_mpi));
    w->pdbl = calloc(np, sizeof(double));
    w->alive = calloc(np, 1);
    w->order = calloc(np, sizeof(int));
    if (w->N == NULL || w->dval == NULL || w->ep == NULL || w->kp == NULL || w->W == NULL || w->freel == NULL || w->map == NULL || w->payall == NULL ||
        w->stamp == NULL || w->agg == NULL || w->touched == NULL || w->heap == NULL || w->cls_of == NULL ||
        w->pn == NULL || w->pd == NULL || w->pdbl == NULL || w->alive == NULL || w->order == NULL) {
        ws_free(w);
        return BN_ENOMEM;
    }
    for (i = 0; i < (int)cc; i++)
        mbedtls_mpi_init(&w->N[i]);
    w->np = (int)np;
    for (i = 0; i < (int)np; i++) {
        mbedtls_mpi_init(&w->pn[i]);
        mbedtls_mpi_init(&w->pd[i]);
    }
    mbedtls_mpi_init(&w->D);
    mbedtls_mpi_init(&w->T1);
    mbedtls_mpi_init(&w->T2);
    mbedtls_mpi_init(&w->paid);
    mbedtls_mpi_init(&w->R);
    mbedtls_mpi_init(&w->X);
    mbedtls_mpi_init(&w->bX);
    mbedtls_mpi_init(&w->bd);
    mbedtls_mpi_init(&w->G);
    return 0;
}

int count__ws_new(const count__prep_t *pr, count__ws_t **out)
{
    ws_t *w = malloc(sizeof(ws_t));
    int rc;

    *out = NULL;
    if (w == NULL)
        return BN_ENOMEM;
    if ((rc = ws_init(w, pr)) != 0) {
        free(w);
        return rc;
    }
    *out = w;
    return 0;
}

void count__ws_free(count__ws_t *w)
{
    if (w == NULL)
        return;
    ws_free(w);
    free(w);
}

/* Back to the state of a fresh workspace; the numbers keep their memory. */
static int ws_reset(ws_t *w)
{
    int i;

    for (i = 0; i < w->nclass; i++) {      /* limbs only grow: start small again */
        mbedtls_mpi_free(&w->N[i]);
        mbedtls_mpi_init(&w->N[i]);
    }
    memset(w->W, 0, (size_t)w->ccap * sizeof(int64_t));
    memset(w->ep, 0, (size_t)w->ccap * sizeof(int));
    w->nclass = 0;
    w->nfree = 0;
    w->nbuy = 0;
    w->nt = 0;
    w->nh = 0;
    w->exact = 0;
    if (++w->tick == 0 || w->tick > 0x7FFFFFFFu) {   /* stamps restart */
        memset(w->stamp, 0, (size_t)w->ccap * sizeof(unsigned));
        w->tick = 1;
    }
    return 0;
}

/* Is rho_c (X / (k cost_c D)) better than the best so far (bX / (bk cost_b D))?
 * Ties: lower cost, then more approvals, then lower rank. 1, 0 or BN_ENOMEM. */
static int better(ws_t *w, int c, int64_t k, int b, int64_t bk)
{
    const count_profile_t *p = w->pr->p;
    int rc, s;

    CHK(mul64(&w->T1, &w->X, (uint64_t)bk * (uint64_t)p->cost[b], &w->G));
    CHK(mul64(&w->T2, &w->bX, (uint64_t)k * (uint64_t)p->cost[c], &w->G));
    s = mbedtls_mpi_cmp_mpi(&w->T1, &w->T2);
    if (s != 0)
        return s < 0;
    /* (MES-E10) equal prices: the tie-break decides, and it is said */
    if (p->cost[c] != p->cost[b]) {
        s = p->cost[c] < p->cost[b];
        w->tp_by = COUNT_TIE_COST;
    } else if (w->pr->appr[c] != w->pr->appr[b]) {
        s = w->pr->appr[c] > w->pr->appr[b];
        w->tp_by = COUNT_TIE_APPROVALS;
    } else {
        s = p->rank != NULL ? p->rank[c] < p->rank[b] : c < b;
        w->tp_by = COUNT_TIE_ID;
    }
    w->tp_set = 1;
    w->tp_won = s ? c : b;
    w->tp_lost = s ? b : c;
    return s;
out:
    return rc;
}

static int64_t gcd64(int64_t a, int64_t b)
{
    while (b != 0) {
        int64_t t = a % b;

        a = b;
        b = t;
    }
    return a;
}

/* Buys project b: payment q = bX / (bk D). */
static int buy(ws_t *w, int b, int64_t bk)
{
    const count__prep_t *pr = w->pr;
    int rc = 0, i, cl, nc;
    mbedtls_mpi_uint r;
    int64_t g, k2;

    aggregate(w, b);
    for (i = 0; i < w->nt; i++) {
        cl = w->touched[i];
        if ((rc = fresh(w, cl)) != 0)
            goto out;
        CHK(mbedtls_mpi_mul_int(&w->T1, &w->N[cl], (mbedtls_mpi_uint)bk));
        w->payall[cl] = mbedtls_mpi_cmp_mpi(&w->T1, &w->bX) < 0;
    }
    CHK(mbedtls_mpi_mod_int(&r, &w->bX, (mbedtls_mpi_sint)bk));
    g = gcd64(bk, (int64_t)r);
    k2 = bk / g;
    if (g > 1)
        CHK(mbedtls_mpi_div_int(&w->bX, NULL, &w->bX, (mbedtls_mpi_sint)g));
    if (k2 > 1) {
        CHK(mbedtls_mpi_mul_int(&w->T1, &w->D, (mbedtls_mpi_uint)k2));
        mbedtls_mpi_swap(&w->T1, &w->D);
    }
    w->kp[++w->nbuy] = k2;
    /* the paying classes now (the others follow when next looked at, E5) */
    for (i = 0; i < w->nt; i++)
        if (!w->payall[w->touched[i]] && (rc = fresh(w, w->touched[i])) != 0)
            goto out;
    for (i = 0; i < w->nt; i++) {
        cl = w->touched[i];
        if (cl == 0) {
            w->map[0] = 0;
            continue;
        }
        if (w->agg[cl] == w->W[cl]) {          /* the whole class pays */
            if (w->payall[cl]) {
                w->W[0] += w->W[cl];
                w->W[cl] = 0;
                w->freel[w->nfree++] = cl;
                w->map[cl] = 0;
            } else {
                CHK(mbedtls_mpi_sub_mpi(&w->N[cl], &w->N[cl], &w->bX));
                if ((rc = ratio(&w->N[cl], &w->D, &w->T1, &w->dval[cl])) != 0)
                    goto out;
                w->map[cl] = cl;
            }
            continue;
        }
        w->W[cl] -= w->agg[cl];                 /* the class splits (MES-E1) */
        if (w->payall[cl]) {
            w->W[0] += w->agg[cl];
            w->map[cl] = 0;
        } else {
            nc = new_class(w);
            CHK(mbedtls_mpi_sub_mpi(&w->N[nc], &w->N[cl], &w->bX));
            w->ep[nc] = w->nbuy;
            if ((rc = ratio(&w->N[nc], &w->D, &w->T1, &w->dval[nc])) != 0)
                goto out;
            w->W[nc] = w->agg[cl];
            w->map[cl] = nc;
        }
    }
    for (i = pr->sup_off[b]; i < pr->sup_off[b + 1]; i++)
        w->cls_of[pr->sup[i]] = w->map[w->cls_of[pr->sup[i]]];
out:
    return rc;
}

static int cmp_dbl_idx(const ws_t *w, int a, int b)
{
    return w->pdbl[a] < w->pdbl[b] || (w->pdbl[a] == w->pdbl[b] && a < b);
}

int count__mes(const count__prep_t *pr, count__ws_t *ws, int64_t budget, int *win, int *nwin,
               int64_t *cost, count__ties_t *ties)
{
    ws_t *w = ws, *own = NULL;
    const count_profile_t *p = pr->p;
    int rc, i, j, c, t, b, no, r, s;
    int64_t k, bk = 0;
    double bdbl = 0;

    *nwin = 0;
    *cost = 0;
    if (ties != NULL)
        memset(ties, 0, sizeof *ties);
    if (w == NULL) {
        if ((rc = count__ws_new(pr, &own)) != 0)
            return rc;
        w = own;
    }
    if ((rc = ws_reset(w)) != 0)
        goto out;
    CHK(mbedtls_mpi_lset(&w->D, (mbedtls_mpi_sint)pr->n));
    w->nclass = 2;
    CHK(mbedtls_mpi_lset(&w->N[0], 0));
    CHK(mbedtls_mpi_lset(&w->T2, 1));             /* budget may exceed a 32-bit limb */
    CHK(mul64(&w->N[1], &w->T2, (uint64_t)budget, &w->T1));
    w->dval[0] = 0;
    if ((rc = ratio(&w->N[1], &w->D, &w->T1, &w->dval[1])) != 0)
        goto out;
    for (i = 0; i < pr->ng; i++) {
        w->cls_of[i] = 1;
        w->W[1] += pr->gw[i];
    }
    for (c = 0; c < p->n_projects; c++) {
        w->alive[c] = pr->appr[c] > 0;
        CHK(mbedtls_mpi_lset(&w->pn[c], 1));        /* rho >= 1 / approvals */
        CHK(mbedtls_mpi_lset(&w->pd[c], (mbedtls_mpi_sint)(pr->appr[c] > 0 ? pr->appr[c] : 1)));
        w->pdbl[c] = count__test_scramble ? 0.0 : pr->appr[c] > 0 ? 1.0 / (double)pr->appr[c] : HUGE_VAL;
    }
    for (;;) {
        /* the live projects, by last rho (approximately: order only, E3) */
        no = 0;
        for (c = 0; c < p->n_projects; c++)
            if (w->alive[c])
                w->order[no++] = c;
        for (i = 1; i < no; i++) {           /* insertion sort: few, nearly sorted */
            t = w->order[i];
            for (j = i; j > 0 && cmp_dbl_idx(w, t, w->order[j - 1]); j--)
                w->order[j] = w->order[j - 1];
            w->order[j] = t;
        }
        b = -1;
        w->tp_set = 0;
        for (i = 0; i < no; i++) {
            c = w->order[i];
            if (b >= 0) {
                /* skip c when its lower bound pn/pd > best bX/bd (MES-E3) */
                if (w->pdbl[c] > bdbl * (1 + GAP) + TINY)
                    break;      /* and so are all the next ones (sorted by pdbl) */
                CHK(mbedtls_mpi_mul_mpi(&w->T1, &w->pn[c], &w->bd));
                CHK(mbedtls_mpi_mul_mpi(&w->T2, &w->bX, &w->pd[c]));
                if (mbedtls_mpi_cmp_mpi(&w->T1, &w->T2) > 0)
                    continue;
            }
            r = eval(w, c, &k);
            if (r < 0) {
                rc = r;
                goto out;
            }
            if (r == 0) {
                w->alive[c] = 0;
                continue;
            }
            CHK(mbedtls_mpi_copy(&w->pn[c], &w->X));
            CHK(mul64(&w->pd[c], &w->D, (uint64_t)k * (uint64_t)p->cost[c], &w->T1));
            if ((rc = ratio(&w->pn[c], &w->pd[c], &w->T1, &w->pdbl[c])) != 0)
                goto out;
            s = b < 0 ? 1 : better(w, c, k, b, bk);
            if (s < 0) {
                rc = s;
                goto out;
            }
            if (s) {
                b = c;
                bk = k;
                CHK(mbedtls_mpi_copy(&w->bX, &w->X));
                CHK(mbedtls_mpi_copy(&w->bd, &w->pd[c]));
                bdbl = w->pdbl[c];
            }
        }
        if (b < 0)
            break;
        if (ties != NULL && w->tp_set && w->tp_won == b && ties->n++ == 0) {
            ties->won = b; /* (MES-E10) the first tie of the run, as it was broken */
            ties->lost = w->tp_lost;
            ties->by = w->tp_by;
        }
        if ((rc = buy(w, b, bk)) != 0)
            goto out;
        w->alive[b] = 0;
        win[(*nwin)++] = b;
        *cost += p->cost[b];
    }
    rc = 0;
out:
    count__ws_free(own);
    return rc;
}
