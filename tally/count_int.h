/* count_int.h - internals shared by count.c and count_mes.c (not public). */
#ifndef COUNT_INT_H
#define COUNT_INT_H

#include <stdint.h>

#include "count.h"

/* A profile prepared for MES: voters with identical ballots form one group
 * (they always hold identical budgets), each project lists its groups. */
typedef struct count__prep_s {
    const count_profile_t *p;
    int64_t n;              /* voters, empty ballots included: the share is budget / n */
    int ng;                 /* groups (distinct non-empty ballots) */
    int64_t *gw;            /* weight of each group */
    int *sup_off, *sup;     /* groups supporting project c: sup[sup_off[c] .. sup_off[c+1]) */
    int64_t *appr;          /* approvals of each project */
} count__prep_t;

int count__prep(const count_profile_t *p, count__prep_t *pr);
void count__prep_free(count__prep_t *pr);

/* The working memory of MES runs on one prepared profile (one per thread),
 * kept from run to run so that a run allocates (almost) nothing. */
typedef struct ws_s count__ws_t;
int count__ws_new(const count__prep_t *pr, count__ws_t **out);
void count__ws_free(count__ws_t *ws);   /* NULL is a no-op */

/* One MES run with the virtual budget `budget` (the share is budget / n),
 * using `ws` (from count__ws_new for this `pr`; NULL: a temporary one).
 * Writes the winners (in order) to `win` (n_projects ints), their number to
 * *nwin and their cost to *cost. 0 or BN_ENOMEM. Thread-safe as long as each
 * thread has its own ws. */
/* (MES-E10) The ties a run's tie-break decided: rounds where the project
 * bought had the same price per unit of satisfaction as another; the first
 * pair and how it was broken (COUNT_TIE_*). */
typedef struct count__ties_s {
    int n, won, lost, by;
} count__ties_t;
int count__mes(const count__prep_t *pr, count__ws_t *ws, int64_t budget, int *win, int *nwin,
               int64_t *cost, count__ties_t *ties);

/* Test hook: when non-zero, every double approximation reads 0, so that the
 * exact paths of (E3, E4) alone decide; results must not change. */
extern int count__test_scramble;

/* Test hook: when > 0, the number of add1 runs made at once (MES-E6) instead of
 * the online cores (at most 8). */
extern int count__test_threads;

#endif
