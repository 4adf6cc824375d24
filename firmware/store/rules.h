/* rules.h - the ballot rule of a budget vote, as pure functions.
 *
 * The kiosk asks these functions, at every tap, whether a selection may be
 * cast and, if not yet, why, in data it can phrase: "2 projects too many",
 * "34 500 EUR over the envelope". Nothing here allocates or fails at random. */
#ifndef RULES_H
#define RULES_H

#include <stdint.h>

#include "pkg.h"

#define RULES_MAX_PROBLEMS 8

typedef enum {
    RULES_TOO_FEW = 1,        /* amount: how many more projects are needed */
    RULES_TOO_MANY,           /* amount: how many projects too many */
    RULES_OVER_BUDGET,        /* amount: euros over the envelope */
    RULES_UNDER_MIN_SPEND,    /* amount: euros still to spend to reach the minimum */
    RULES_WRONG_TERRITORY,    /* project: index of a project of another territory */
    RULES_UNKNOWN_PROJECT,    /* project: the bad index */
    RULES_DUPLICATE,          /* project: index chosen twice */
    RULES_TOO_MANY_POINTS,    /* cumulative: amount: points given beyond rule.points */
    RULES_OVER_PER_PROJECT,   /* cumulative: project: more than rule.per_project points */
    RULES_NO_POINTS           /* cumulative: project: an entry with no point */
} rules_problem_kind_t;

typedef struct rules_problem_s {
    rules_problem_kind_t kind;
    int64_t amount;
    int project;              /* -1 when not about one project */
} rules_problem_t;

/* The state of a selection: what the live meter shows, and what is wrong. */
typedef struct rules_verdict_s {
    int chosen;               /* projects in the selection */
    int min, max;             /* from the rule */
    int64_t total;            /* euros, sum of chosen costs */
    int64_t envelope;         /* the territory's envelope */
    int64_t remaining;        /* envelope - total (negative when over) */
    int64_t min_spend;        /* euros, 0 when the rule has none */
    int n_problems;
    rules_problem_t problems[RULES_MAX_PROBLEMS];
    int valid;                /* 1 when the selection may be cast */
    int points, max_points;   /* cumulative: points given, rule.points (0 otherwise) */
} rules_verdict_t;

/* Checks a selection (indexes into p->projects) for a voter of `territory`.
 * Fills *out and returns 0 when valid, BN_ERULE when not (out says why),
 * BN_EINVAL for a package that is not a budget vote or a bad territory. */
int rules_check(const pkg_t *p, int territory, const int *sel, int n, rules_verdict_t *out);

/* Whether `project` may be added to a valid-so-far selection without
 * breaking the maximum count or the envelope: 0, or BN_ERULE with the
 * problem that adding it would cause in *why (may be NULL). */
int rules_can_add(const pkg_t *p, int territory, const int *sel, int n, int project,
                  rules_problem_t *why);

/* A cumulative ballot (rule.ballot "cumulative"): rules_check, then the
 * points: pts[i] > 0 points to sel[i], at most rule.per_project each, at
 * most rule.points in all. pts NULL (another ballot): rules_check alone. */
int rules_check_points(const pkg_t *p, int territory, const int *sel, const int *pts, int n,
                       rules_verdict_t *out);

/* Whether one more point may go to `project` (in the selection or not): 0,
 * or BN_ERULE with the problem (too many projects, per project, in all). */
int rules_can_add_point(const pkg_t *p, int territory, const int *sel, const int *pts, int n,
                        int project, rules_problem_t *why);

#endif
