/* count.h - counting rules, with exact arithmetic.
 *
 * The rules of Pabulib's files (docs/counting.md gives their exact
 * definitions, their sources and the proofs of exactness). A project's
 * score is the sum of the points its ballots give it (1 a ballot for
 * approval and choose-1):
 *   COUNT_GREEDY           projects by score, descending; ties: lower cost,
 *                          then id order; fund each one that fits in what is
 *                          left, skip one that does not
 *   COUNT_GREEDY_NO_SKIP   the same, stopping at the first that does not fit
 *   COUNT_GREEDY_THRESHOLD greedy among the projects whose score reaches
 *                          `threshold`
 *   COUNT_MES              Method of Equal Shares, cost satisfaction (approval)
 *   COUNT_MES_ADD1         MES with the "add one" completion as the cities ran
 *                          it: the per-voter share rises by one currency unit
 *                          at a time, past exhaustive outcomes, while the
 *                          outcome fits the budget; the last that fits is kept
 *   COUNT_MES_CMP, COUNT_MES_ADD1_CMP  the same, then compared with greedy:
 *                          each voter prefers the outcome that funds more of
 *                          the projects they approved; greedy's outcome is
 *                          taken if more voters prefer it
 * MES ties (equal price per unit of satisfaction): lower cost, then more
 * approvals, then id order. No floating point takes part in any decision:
 * amounts are integers and MES prices are exact rationals (mbedtls_mpi). */
#ifndef COUNT_H
#define COUNT_H

#include <stddef.h>
#include <stdint.h>

enum { COUNT_TIE_COST = 1, COUNT_TIE_APPROVALS, COUNT_TIE_ID };

typedef enum {
    COUNT_GREEDY = 1,
    COUNT_MES,
    COUNT_MES_ADD1,
    COUNT_GREEDY_NO_SKIP,
    COUNT_GREEDY_THRESHOLD,
    COUNT_MES_CMP,
    COUNT_MES_ADD1_CMP
} count_rule_t;

/* An approval profile. Costs are > 0 and <= 2^40, n_voters < 2^22, budget
 * <= 10^15 (the limits of pabulib.h); `rank` gives the id order used to break
 * the last ties (a permutation of 0..n_projects-1; NULL = index order).
 * Ballot i is items[off[i] .. off[i+1]), project indexes without repeats;
 * points[j] (>= 0) is what it gives items[j] (NULL: 1 each, approval). The
 * MES rules take approval profiles only (points NULL). threshold: the
 * least score of a project greedy-threshold may fund. */
typedef struct count_profile_s {
    int n_projects;
    const int64_t *cost;
    const int *rank;
    int n_voters;
    const int *off;
    const int *items;
    int64_t budget;
    const int64_t *points;
    int64_t threshold;
} count_profile_t;

typedef struct count_result_s {
    int n_winners;
    int *winners;        /* project indexes, in the order they were chosen */
    int64_t cost;        /* total cost of the winners */
    long add1_steps;     /* add1: how many times the share was raised (0 otherwise) */
    int64_t add1_budget; /* add1: the virtual budget of the kept outcome */
    int compared;        /* -comparison: 1 when the comparison was made */
    int64_t prefer_mes, prefer_greedy; /* ... the voters preferring each */
    int greedy_taken;    /* ... 1 when greedy's outcome is the result */
    int ties;            /* greedy rules: runs of equal scores that the tie-break
                            decided (one funded, another not) */
    int tie_won, tie_lost; /* ... the first: a project funded, one not */
    int tie_by_cost;     /* ... 1: their costs differ (lower first), 0: id order */
    int tie_by;          /* ... how: COUNT_TIE_COST, COUNT_TIE_APPROVALS (MES: more
                            approvals first), COUNT_TIE_ID; greedy and MES alike */
} count_result_t;

/* A rule's Pabulib name ("greedy", "greedy-no-skip", "greedy-threshold",
 * "equalshares", "equalshares/add1", "equalshares-comparison",
 * "equalshares/add1-comparison") -> rule; BN_EINVAL otherwise. */
int count_rule_parse(const char *name, count_rule_t *out);

/* The Pabulib name of a rule ("greedy" ...). */
const char *count_rule_name(count_rule_t rule);

/* Counts `p` by `rule` into *res (count_result_free). Errors: BN_EINVAL (bad
 * profile or rule, why says which), BN_ENOMEM, BN_ERANGE (add1 needed more
 * than COUNT_ADD1_MAX_STEPS raises); *res is then empty. */
#define COUNT_ADD1_MAX_STEPS 10000000L
int count_run(const count_profile_t *p, count_rule_t rule, count_result_t *res,
              char *why, size_t whylen);

/* Frees the winners of a result (the struct itself is the caller's); NULL ok. */
void count_result_free(count_result_t *res);

/* Approvals of each project (out: n_projects int64). */
void count_approvals(const count_profile_t *p, int64_t *out);

/* Score of each project: the sum of its points (out: n_projects int64). */
void count_scores(const count_profile_t *p, int64_t *out);

#endif
