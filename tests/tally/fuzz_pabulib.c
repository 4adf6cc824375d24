/* fuzz_pabulib.c - libFuzzer target: the Pabulib reader on any bytes; what it
 * accepts is counted by the greedy rules and MES (approval), whose outcomes
 * must fit the budget.
 * (add1 is left out: a hostile file can ask for millions of raises.) */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "count.h"
#include "pabulib.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pb_t *pb = NULL;
    count_profile_t p;
    count_result_t r;
    int64_t *cost;
    int i, rule;

    if (pb_parse((const char *)data, size, "fuzz", &pb, NULL, 0) != 0)
        return 0;
    if (pb == NULL || (cost = malloc(((size_t)pb->n_projects + 1) * sizeof(int64_t))) == NULL)
        abort();
    for (i = 0; i < pb->n_projects; i++)
        cost[i] = pb->projects[i].cost;
    p.n_projects = pb->n_projects;
    p.cost = cost;
    p.rank = NULL;
    p.n_voters = pb->n_voters;
    p.off = pb->vote_off;
    p.items = pb->vote_items;
    p.budget = pb->budget;
    p.points = pb->vote_points;
    p.threshold = pb->threshold;
    for (rule = COUNT_GREEDY; rule <= COUNT_MES_ADD1_CMP; rule++) {
        if (rule == COUNT_MES_ADD1 || rule == COUNT_MES_ADD1_CMP)
            continue;
        if (p.points != NULL && rule != COUNT_GREEDY && rule != COUNT_GREEDY_NO_SKIP &&
            rule != COUNT_GREEDY_THRESHOLD)
            continue;   /* MES: approval ballots only (refused otherwise) */
        if (count_run(&p, (count_rule_t)rule, &r, NULL, 0) != 0)
            abort();
        if (r.cost > p.budget || r.n_winners > p.n_projects)
            abort();
        count_result_free(&r);
    }
    free(cost);
    pb_free(pb);
    return 0;
}
