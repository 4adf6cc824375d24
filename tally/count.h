/* count.h - counting rules for approval ballots, with exact arithmetic.
 *
 * Three rules (docs/counting.md gives the details and the proofs of
 * exactness):
 *   COUNT_GREEDY    projects by approvals, descending; ties: lower cost, then
 *                   id order; fund each one that fits in what is left
 *   COUNT_MES       Method of Equal Shares, cost satisfaction
 *   COUNT_MES_ADD1  MES with the "add one" completion: the per-voter share is
 *                   raised by one currency unit at a time while the outcome
 *                   is not exhaustive, keeping the last outcome that fits
 * MES ties (equal price per unit of satisfaction): lower cost, then more
 * approvals, then id order. No floating point takes part in any decision:
 * amounts are integers and MES prices are exact rationals (mbedtls_mpi). */
#ifndef COUNT_H
#define COUNT_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
    COUNT_GREEDY = 1,
    COUNT_MES,
    COUNT_MES_ADD1
} count_rule_t;

/* An approval profile. Costs are > 0 and <= 2^40, n_voters < 2^22, budget
 * <= 10^15 (the limits of pabulib.h); `rank` gives the id order used to break
 * the last ties (a permutation of 0..n_projects-1; NULL = index order).
 * Ballot i is items[off[i] .. off[i+1]), project indexes without repeats. */
typedef struct count_profile_s {
    int n_projects;
    const int64_t *cost;
    const int *rank;
    int n_voters;
    const int *off;
    const int *items;
    int64_t budget;
} count_profile_t;

typedef struct count_result_s {
    int n_winners;
    int *winners;        /* project indexes, in the order they were chosen */
    int64_t cost;        /* total cost of the winners */
    long add1_steps;     /* add1: how many times the share was raised (0 otherwise) */
    int64_t add1_budget; /* add1: the virtual budget of the kept outcome */
} count_result_t;

/* "greedy", "equalshares", "equalshares/add1" -> rule; BN_EINVAL otherwise. */
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

#endif
