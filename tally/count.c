/* count.c - counting rules: the greedy family, MES, MES with add-one
 * completion, and their comparison with greedy. */
#include "count.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bn_err.h"
#include "count_int.h"

#define COUNT_MAX_THREADS 8

int count_rule_parse(const char *name, count_rule_t *out)
{
    if (name == NULL)
        return BN_EINVAL;
    if (strcmp(name, "greedy") == 0)
        *out = COUNT_GREEDY;
    else if (strcmp(name, "greedy-no-skip") == 0)
        *out = COUNT_GREEDY_NO_SKIP;
    else if (strcmp(name, "greedy-threshold") == 0)
        *out = COUNT_GREEDY_THRESHOLD;
    else if (strcmp(name, "equalshares") == 0)
        *out = COUNT_MES;
    else if (strcmp(name, "equalshares/add1") == 0)
        *out = COUNT_MES_ADD1;
    else if (strcmp(name, "equalshares-comparison") == 0)
        *out = COUNT_MES_CMP;
    else if (strcmp(name, "equalshares/add1-comparison") == 0)
        *out = COUNT_MES_ADD1_CMP;
    else
        return BN_EINVAL;
    return 0;
}

const char *count_rule_name(count_rule_t rule)
{
    switch (rule) {
    case COUNT_GREEDY: return "greedy";
    case COUNT_MES: return "equalshares";
    case COUNT_MES_ADD1: return "equalshares/add1";
    case COUNT_GREEDY_NO_SKIP: return "greedy-no-skip";
    case COUNT_GREEDY_THRESHOLD: return "greedy-threshold";
    case COUNT_MES_CMP: return "equalshares-comparison";
    case COUNT_MES_ADD1_CMP: return "equalshares/add1-comparison";
    }
    return "?";
}

void count_result_free(count_result_t *res)
{
    if (res == NULL)
        return;
    free(res->winners);
    memset(res, 0, sizeof(*res));
}

void count_approvals(const count_profile_t *p, int64_t *out)
{
    int i;

    memset(out, 0, (size_t)p->n_projects * sizeof(int64_t));
    for (i = 0; i < p->off[p->n_voters]; i++)
        out[p->items[i]]++;
}

void count_scores(const count_profile_t *p, int64_t *out)
{
    int i;

    memset(out, 0, (size_t)p->n_projects * sizeof(int64_t));
    for (i = 0; i < p->off[p->n_voters]; i++)
        out[p->items[i]] += p->points != NULL ? p->points[i] : 1;
}

static int check_profile(const count_profile_t *p, char *why, size_t whylen)
{
    int i, j;

    if (p == NULL || p->cost == NULL || p->off == NULL || (p->items == NULL && p->n_voters > 0 && p->off[p->n_voters] > 0))
        return bn_fail(why, whylen, BN_EINVAL, "count: NULL profile");
    if (p->n_projects < 0 || p->n_voters < 0 || p->n_voters >= (1 << 22))
        return bn_fail(why, whylen, BN_EINVAL, "count: %d voters, %d projects", p->n_voters, p->n_projects);
    if (p->budget < 0 || p->budget > 1000000000000000LL)
        return bn_fail(why, whylen, BN_EINVAL, "count: budget %lld out of range", (long long)p->budget);
    for (i = 0; i < p->n_projects; i++)
        if (p->cost[i] <= 0 || p->cost[i] > (1LL << 40))
            return bn_fail(why, whylen, BN_EINVAL, "count: cost[%d] %lld out of range", i, (long long)p->cost[i]);
    if (p->off[0] != 0)
        return bn_fail(why, whylen, BN_EINVAL, "count: off[0] is not 0");
    for (i = 0; i < p->n_voters; i++) {
        if (p->off[i + 1] < p->off[i])
            return bn_fail(why, whylen, BN_EINVAL, "count: ballot %d: bad offsets", i);
        for (j = p->off[i]; j < p->off[i + 1]; j++) {
            if (p->items[j] < 0 || p->items[j] >= p->n_projects)
                return bn_fail(why, whylen, BN_EINVAL, "count: ballot %d: project %d out of range", i, p->items[j]);
            /* a score stays below 2^62: 2^22 voters of 2^39 points at most */
            if (p->points != NULL && (p->points[j] < 0 || p->points[j] > (1LL << 39)))
                return bn_fail(why, whylen, BN_EINVAL, "count: ballot %d: points %lld out of range", i,
                               (long long)p->points[j]);
        }
    }
    return 0;
}

/* ---- greedy ------------------------------------------------------------------ */

typedef struct gkey_s {
    int64_t votes, cost;
    int rank, idx;
} gkey_t;

static int cmp_greedy(const void *x, const void *y)
{
    const gkey_t *a = x, *b = y;

    if (a->votes != b->votes)
        return a->votes > b->votes ? -1 : 1;
    if (a->cost != b->cost)
        return a->cost < b->cost ? -1 : 1;
    return a->rank < b->rank ? -1 : a->rank > b->rank;
}

/* mode: COUNT_GREEDY, COUNT_GREEDY_NO_SKIP or COUNT_GREEDY_THRESHOLD */
static int greedy(const count_profile_t *p, count_rule_t mode, count_result_t *res)
{
    int64_t *score = NULL, left = p->budget;
    gkey_t *k = NULL;
    int i, rc = BN_ENOMEM;

    score = malloc(((size_t)p->n_projects + 1) * sizeof(int64_t));
    k = malloc(((size_t)p->n_projects + 1) * sizeof(gkey_t));
    res->winners = malloc(((size_t)p->n_projects + 1) * sizeof(int));
    if (score == NULL || k == NULL || res->winners == NULL)
        goto out;
    count_scores(p, score);
    for (i = 0; i < p->n_projects; i++) {
        k[i].votes = score[i];
        k[i].cost = p->cost[i];
        k[i].rank = p->rank != NULL ? p->rank[i] : i;
        k[i].idx = i;
    }
    qsort(k, (size_t)p->n_projects, sizeof(gkey_t), cmp_greedy);
    for (i = 0; i < p->n_projects; i++) {
        if (mode == COUNT_GREEDY_THRESHOLD && k[i].votes < p->threshold)
            break;                 /* sorted by score: none after reaches it */
        if (k[i].cost > left) {
            if (mode == COUNT_GREEDY_NO_SKIP)
                break;             /* the first that does not fit ends it */
            continue;              /* does not fit: skip it, go on */
        }
        left -= k[i].cost;
        res->winners[res->n_winners++] = k[i].idx;
        res->cost += k[i].cost;
    }
    /* (COUNT-T1) ties the tie-break decided: a run of equal scores with a
     * project funded and another not; the first is named in the output */
    {
        unsigned char *won = calloc((size_t)p->n_projects + 1, 1);
        int a, b;
        if (won == NULL)
            goto out;
        for (i = 0; i < res->n_winners; i++)
            won[res->winners[i]] = 1;
        for (a = 0; a < p->n_projects; a = b) {
            int w = -1, l = -1;
            /* l: the first left out; w: the last funded before it */
            for (b = a; b < p->n_projects && k[b].votes == k[a].votes; b++) {
                if (won[k[b].idx] && l < 0)
                    w = b;
                if (!won[k[b].idx] && l < 0)
                    l = b;
            }
            if (w >= 0 && l >= 0 && w < l) {
                if (res->ties++ == 0) {
                    res->tie_won = k[w].idx;
                    res->tie_lost = k[l].idx;
                    res->tie_by_cost = k[w].cost != k[l].cost;
                    res->tie_by = res->tie_by_cost ? COUNT_TIE_COST : COUNT_TIE_ID;
                }
            }
        }
        free(won);
    }
    rc = 0;
out:
    free(score);
    free(k);
    return rc;
}

/* (MES-E9) -comparison: each voter prefers the outcome that funds more of
 * the projects they approved; greedy's is taken if more voters prefer it
 * (equalshares.net, "comparison step"). */
static int compare_greedy(const count_profile_t *p, count_result_t *res)
{
    count_result_t g;
    unsigned char *in = NULL;
    int i, j, rc;

    memset(&g, 0, sizeof(g));
    if ((rc = greedy(p, COUNT_GREEDY, &g)) != 0)
        return rc;
    if ((in = calloc((size_t)p->n_projects + 1, 1)) == NULL) {
        count_result_free(&g);
        return BN_ENOMEM;
    }
    for (i = 0; i < res->n_winners; i++)
        in[res->winners[i]] |= 1;
    for (i = 0; i < g.n_winners; i++)
        in[g.winners[i]] |= 2;
    res->compared = 1;
    for (i = 0; i < p->n_voters; i++) {
        int m = 0, gr = 0;
        for (j = p->off[i]; j < p->off[i + 1]; j++) {
            m += (in[p->items[j]] & 1) != 0;
            gr += (in[p->items[j]] & 2) != 0;
        }
        res->prefer_mes += m > gr;
        res->prefer_greedy += gr > m;
    }
    if (res->prefer_greedy > res->prefer_mes) {
        free(res->winners);
        res->winners = g.winners;
        res->n_winners = g.n_winners;
        res->cost = g.cost;
        res->greedy_taken = 1;
        res->ties = g.ties; /* the outcome kept: greedy's, and its ties */
        res->tie_won = g.tie_won;
        res->tie_lost = g.tie_lost;
        res->tie_by = g.tie_by;
        res->tie_by_cost = g.tie_by_cost;
        g.winners = NULL;
    }
    free(in);
    count_result_free(&g);
    return 0;
}

/* ---- MES preparation: groups of identical ballots --------------------------- */

void count__prep_free(count__prep_t *pr)
{
    if (pr == NULL)
        return;
    free(pr->gw);
    free(pr->sup_off);
    free(pr->sup);
    free(pr->appr);
    memset(pr, 0, sizeof(*pr));
}

static uint64_t ballot_hash(const int *v, int n)
{
    uint64_t h = 1469598103934665603ULL ^ (uint64_t)n;
    int i;

    for (i = 0; i < n; i++)
        h = (h ^ (uint64_t)(unsigned)v[i]) * 1099511628211ULL;
    return h ^ (h >> 29);
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;

    return x < y ? -1 : x > y;
}

int count__prep(const count_profile_t *p, count__prep_t *pr)
{
    size_t cap, h, m;
    int *slot = NULL, *rep = NULL, *sorted = NULL, *fill = NULL;
    int i, j, g, n, rc = BN_ENOMEM, tot = p->off[p->n_voters];

    memset(pr, 0, sizeof(*pr));
    pr->p = p;
    pr->n = p->n_voters;
    for (cap = 16; cap < (size_t)p->n_voters * 2; cap *= 2)
        ;
    slot = malloc(cap * sizeof(int));
    rep = malloc(((size_t)p->n_voters + 1) * sizeof(int));     /* group -> a voter */
    sorted = malloc(((size_t)tot + 1) * sizeof(int));           /* each ballot sorted */
    pr->gw = calloc((size_t)p->n_voters + 1, sizeof(int64_t));
    pr->appr = calloc((size_t)p->n_projects + 1, sizeof(int64_t));
    pr->sup_off = calloc((size_t)p->n_projects + 2, sizeof(int));
    if (slot == NULL || rep == NULL || sorted == NULL || pr->gw == NULL || pr->appr == NULL || pr->sup_off == NULL)
        goto out;
    if (tot > 0) /* no vote at all (every one named unknown projects): items is NULL */
        memcpy(sorted, p->items, (size_t)tot * sizeof(int));
    for (i = 0; i < p->n_voters; i++)
        qsort(sorted + p->off[i], (size_t)(p->off[i + 1] - p->off[i]), sizeof(int), cmp_int);
    memset(slot, 0xff, cap * sizeof(int));
    for (i = 0; i < p->n_voters; i++) {
        n = p->off[i + 1] - p->off[i];
        if (n == 0)
            continue;
        for (h = ballot_hash(sorted + p->off[i], n) & (cap - 1);; h = (h + 1) & (cap - 1)) {
            g = slot[h];
            if (g < 0) {
                g = slot[h] = pr->ng++;
                rep[g] = i;
                break;
            }
            j = rep[g];
            if (p->off[j + 1] - p->off[j] == n &&
                memcmp(sorted + p->off[j], sorted + p->off[i], (size_t)n * sizeof(int)) == 0)
                break;
        }
        pr->gw[g]++;
    }
    /* supporters of each project, as groups */
    m = 0;
    for (g = 0; g < pr->ng; g++) {
        j = rep[g];
        for (i = p->off[j]; i < p->off[j + 1]; i++) {
            pr->sup_off[sorted[i] + 1]++;
            pr->appr[sorted[i]] += pr->gw[g];
            m++;
        }
    }
    for (i = 0; i < p->n_projects; i++)
        pr->sup_off[i + 1] += pr->sup_off[i];
    pr->sup = malloc((m + 1) * sizeof(int));
    fill = malloc(((size_t)p->n_projects + 1) * sizeof(int));
    if (pr->sup == NULL || fill == NULL)
        goto out;
    memcpy(fill, pr->sup_off, (size_t)p->n_projects * sizeof(int));
    for (g = 0; g < pr->ng; g++) {
        j = rep[g];
        for (i = p->off[j]; i < p->off[j + 1]; i++)
            pr->sup[fill[sorted[i]]++] = g;
    }
    rc = 0;
out:
    free(slot);
    free(rep);
    free(sorted);
    free(fill);
    if (rc != 0)
        count__prep_free(pr);
    return rc;
}

/* ---- MES and add1 --------------------------------------------------------------- */

/* Complete: every project that someone approved is chosen; raising the
 * shares further can change nothing (unapproved projects can never be
 * bought). */
static int complete(const count__prep_t *pr, const int *win, int nwin, unsigned char *in)
{
    const count_profile_t *p = pr->p;
    int i, all = 1;

    for (i = 0; i < nwin; i++)
        in[win[i]] = 1;
    for (i = 0; i < p->n_projects; i++)
        if (!in[i] && pr->appr[i] > 0)
            all = 0;
    for (i = 0; i < nwin; i++)
        in[win[i]] = 0;
    return all;
}

/* One speculative add1 run (MES-E6). */
typedef struct job_s {
    const count__prep_t *pr;
    count__ws_t *ws;
    int64_t budget;
    int *win, nwin, rc;
    int64_t cost;
    count__ties_t ties;
} job_t;

static void *job_run(void *arg)
{
    job_t *j = arg;

    j->rc = count__mes(j->pr, j->ws, j->budget, j->win, &j->nwin, &j->cost, &j->ties);
    return NULL;
}

/* (MES-E6) add1 runs are independent: with P cores the next P raises are run
 * at once and looked at in order, exactly as if run one by one; the work of
 * at most P - 1 runs past the stopping point is thrown away. The outcome does
 * not depend on P. */
int count__test_threads;

static int cores(void)
{
    long n = count__test_threads > 0 ? count__test_threads : sysconf(_SC_NPROCESSORS_ONLN);

    return n < 1 ? 1 : n > COUNT_MAX_THREADS ? COUNT_MAX_THREADS : (int)n;
}

static int mes(const count_profile_t *p, int add1, count_result_t *res, char *why, size_t whylen)
{
    count__prep_t pr;
    job_t job[COUNT_MAX_THREADS];
    pthread_t th[COUNT_MAX_THREADS];
    int started[COUNT_MAX_THREADS];
    int *cur = NULL, *t, ncur = 0, rc, np = cores(), i, done = 0;
    int64_t ccur = 0;
    unsigned char *in = NULL;
    long step;
    count__ties_t tcur;

    memset(job, 0, sizeof(job));
    memset(&tcur, 0, sizeof tcur);
    if ((rc = count__prep(p, &pr)) != 0)
        return rc;
    cur = malloc(((size_t)p->n_projects + 1) * sizeof(int));
    in = calloc((size_t)p->n_projects + 1, 1);
    if (cur == NULL || in == NULL)
        goto nomem;
    for (i = 0; i < np; i++) {
        job[i].pr = &pr;
        if ((job[i].win = malloc(((size_t)p->n_projects + 1) * sizeof(int))) == NULL)
            goto nomem;
        if ((add1 || i == 0) && (rc = count__ws_new(&pr, &job[i].ws)) != 0)
            goto out;
    }
    if (p->n_voters > 0 &&
        (rc = count__mes(&pr, job[0].ws, p->budget, cur, &ncur, &ccur, &tcur)) != 0)
        goto out;
    res->add1_budget = p->budget;
    for (step = 1; add1 && p->n_voters > 0 && !done; step += np) {
        /* (MES-E8) as the cities ran it (equalshares.net's reference code,
         * Świecie, Wieliczka, Assen): the shares keep rising past an
         * exhaustive outcome, as long as the outcome fits the real budget;
         * the last one that fits is kept (docs/counting.md) */
        if (complete(&pr, cur, ncur, in))
            break;
        if (step > COUNT_ADD1_MAX_STEPS) {
            rc = bn_fail(why, whylen, BN_ERANGE, "add1: still within the budget after %ld raises",
                         COUNT_ADD1_MAX_STEPS);
            goto out;
        }
        for (i = 0; i < np; i++) {
            job[i].budget = p->budget + (int64_t)(step + i) * pr.n;
            started[i] = i > 0 && pthread_create(&th[i], NULL, job_run, &job[i]) == 0;
        }
        job_run(&job[0]);
        for (i = 1; i < np; i++) {
            if (started[i])
                pthread_join(th[i], NULL);
            else
                job_run(&job[i]);
        }
        for (i = 0; i < np; i++)
            if (job[i].rc != 0) {
                rc = job[i].rc;
                goto out;
            }
        for (i = 0; i < np; i++) {
            if (job[i].cost > p->budget) {
                done = 1;          /* over the real budget: keep the last outcome */
                break;
            }
            t = cur, cur = job[i].win, job[i].win = t;
            ncur = job[i].nwin;
            ccur = job[i].cost;
            tcur = job[i].ties;
            res->add1_steps = step + i;
            res->add1_budget = job[i].budget;
            if (complete(&pr, cur, ncur, in)) {
                done = 1;
                break;
            }
        }
    }
    res->winners = cur;
    res->n_winners = ncur;
    res->cost = ccur;
    res->ties = tcur.n; /* (MES-E10) of the outcome kept */
    res->tie_won = tcur.won;
    res->tie_lost = tcur.lost;
    res->tie_by = tcur.by;
    res->tie_by_cost = tcur.by == COUNT_TIE_COST;
    cur = NULL;
    rc = 0;
    goto out;
nomem:
    rc = BN_ENOMEM;
out:
    for (i = 0; i < np; i++) {
        free(job[i].win);
        count__ws_free(job[i].ws);
    }
    free(cur);
    free(in);
    count__prep_free(&pr);
    return rc;
}

int count_run(const count_profile_t *p, count_rule_t rule, count_result_t *res, char *why, size_t whylen)
{
    int rc;

    if (res == NULL)
        return bn_fail(why, whylen, BN_EINVAL, "count: NULL result");
    memset(res, 0, sizeof(*res));
    if ((rc = check_profile(p, why, whylen)) != 0)
        return rc;
    if (p->points != NULL && rule != COUNT_GREEDY && rule != COUNT_GREEDY_NO_SKIP &&
        rule != COUNT_GREEDY_THRESHOLD)
        return bn_fail(why, whylen, BN_EINVAL, "count: %s is defined here for approval ballots only",
                       count_rule_name(rule));
    switch (rule) {
    case COUNT_GREEDY:
    case COUNT_GREEDY_NO_SKIP:
    case COUNT_GREEDY_THRESHOLD:
        rc = greedy(p, rule, res);
        break;
    case COUNT_MES:
    case COUNT_MES_CMP:
        rc = mes(p, 0, res, why, whylen);
        if (rc == 0 && rule == COUNT_MES_CMP)
            rc = compare_greedy(p, res);
        break;
    case COUNT_MES_ADD1:
    case COUNT_MES_ADD1_CMP:
        rc = mes(p, 1, res, why, whylen);
        if (rc == 0 && rule == COUNT_MES_ADD1_CMP)
            rc = compare_greedy(p, res);
        break;
    default:
        return bn_fail(why, whylen, BN_EINVAL, "count: unknown rule %d", (int)rule);
    }
    if (rc != 0)
        count_result_free(res);
    if (rc == BN_ENOMEM)
        bn_fail(why, whylen, rc, "count: out of memory");
    return rc;
}
