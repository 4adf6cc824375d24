/* bench_tally.c - counting benchmarks for borne-bench: greedy_seconds and
 * mes_add1_seconds on a generated approval profile.
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
    return rc;
}
