/* rules.c - the ballot rule of a budget vote: approval count, knapsack, minimum spend.
 *
 * Pure functions over a parsed package: no allocation, no I/O, no state.
 *
 * How a selection is read (sel[0..n-1], indexes into p->projects):
 *   (RULES-R1) Entries are taken as given: `chosen` is n, and `total` is the sum
 *        of the costs of every entry whose index is known (a duplicate counts
 *        twice, a project of another territory counts too), so that the
 *        meter never hides what the selection would spend.
 *   (RULES-R2) Sums never overflow: costs are at most 2^53 in a package, but the
 *        total saturates at INT64_MAX whatever the selection; the envelope is
 *        never negative, so `remaining` = envelope - total stays in range.
 *   (RULES-R3) min_spend = ceil(envelope * min_spend_percent / 100), computed as
 *        q * pct + ceil(r * pct / 100) with envelope = 100 q + r, so that it
 *        is exact for every envelope up to INT64_MAX.
 *   (RULES-R4) Problems are listed in a fixed order: first the ones about the whole
 *        selection (too few or too many; then over the envelope or under the
 *        minimum spend), which are never dropped, then one problem per bad
 *        entry in the selection's order (unknown index; else a later copy of
 *        an index already listed: duplicate; else another territory), as many
 *        as fit in RULES_MAX_PROBLEMS.
 */
#include "rules.h"

#include <string.h>

#include "bn_err.h"

/* A package that rules can reason about: a budget vote with a consistent
 * rule, and a voter territory that exists. */
static int check_args(const pkg_t *p, int territory, const int *sel, int n)
{
    if (p == NULL || p->kind != PKG_BUDGET)
        return BN_EINVAL;
    if (territory < 0 || territory >= p->n_territories || p->territories == NULL)
        return BN_EINVAL;
    if (n < 0 || (n > 0 && sel == NULL))
        return BN_EINVAL;
    if (p->rule.min < 0 || p->rule.max < p->rule.min ||
        p->rule.min_spend_percent < 0 || p->rule.min_spend_percent > 100)
        return BN_EINVAL;
    if (p->territories[territory].envelope < 0)
        return BN_EINVAL;
    if (p->n_projects < 0 || (p->n_projects > 0 && p->projects == NULL))
        return BN_EINVAL;
    return 0;
}

static int known(const pkg_t *p, int project)
{
    return project >= 0 && project < p->n_projects;
}

/* (RULES-R2) total + cost, saturated at INT64_MAX; both are >= 0. */
static int64_t add_sat(int64_t total, int64_t cost)
{
    return cost > INT64_MAX - total ? INT64_MAX : total + cost;
}

/* (RULES-R1) The sum of the costs of the known entries of sel into *total; or
 * BN_EINVAL when a cost is negative: not a package that pkg_parse gives. */
static int sum_costs(const pkg_t *p, const int *sel, int n, int64_t *total)
{
    int64_t t = 0, c;
    int i;

    for (i = 0; i < n; i++) {
        if (!known(p, sel[i]))
            continue;
        c = p->projects[sel[i]].cost;
        if (c < 0)
            return BN_EINVAL;
        t = add_sat(t, c);
    }
    *total = t;
    return 0;
}

/* (RULES-R3) ceil(envelope * pct / 100), exact, envelope >= 0, 0 <= pct <= 100. */
static int64_t min_spend(int64_t envelope, int pct)
{
    int64_t q = envelope / 100, r = envelope % 100;

    return q * pct + (r * pct + 99) / 100;
}

static void push(rules_verdict_t *v, rules_problem_kind_t kind, int64_t amount, int project)
{
    if (v->n_problems >= RULES_MAX_PROBLEMS)
        return;
    v->problems[v->n_problems].kind = kind;
    v->problems[v->n_problems].amount = amount;
    v->problems[v->n_problems].project = project;
    v->n_problems++;
}

/* Whether sel[i] already appears in sel[0..i-1]. Quadratic, but a ballot
 * holds a handful of projects and this must not allocate. */
static int seen_before(const int *sel, int i)
{
    int j;

    for (j = 0; j < i; j++)
        if (sel[j] == sel[i])
            return 1;
    return 0;
}

int rules_check(const pkg_t *p, int territory, const int *sel, int n, rules_verdict_t *out)
{
    int rc, i, pr;
    int64_t total;

    if (out == NULL)
        return BN_EINVAL;
    memset(out, 0, sizeof(*out));
    rc = check_args(p, territory, sel, n);
    if (rc != 0)
        return rc;
    rc = sum_costs(p, sel, n, &total);
    if (rc != 0)
        return rc;

    out->chosen = n;
    out->min = p->rule.min;
    out->max = p->rule.max;
    out->total = total;
    out->envelope = p->territories[territory].envelope;
    out->remaining = out->envelope - total; /* (RULES-R2) envelope >= 0: no overflow */
    out->min_spend = min_spend(out->envelope, p->rule.min_spend_percent);

    /* (RULES-R4) whole-selection problems first: at most two, never dropped. */
    if (n < p->rule.min)
        push(out, RULES_TOO_FEW, (int64_t)p->rule.min - n, -1);
    else if (n > p->rule.max)
        push(out, RULES_TOO_MANY, (int64_t)n - p->rule.max, -1);
    if (p->rule.knapsack && total > out->envelope)
        push(out, RULES_OVER_BUDGET, total - out->envelope, -1);
    else if (total < out->min_spend)
        push(out, RULES_UNDER_MIN_SPEND, out->min_spend - total, -1);

    /* (RULES-R4) then one problem per bad entry, in the selection's order. */
    for (i = 0; i < n; i++) {
        pr = sel[i];
        if (!known(p, pr))
            push(out, RULES_UNKNOWN_PROJECT, 0, pr);
        else if (seen_before(sel, i))
            push(out, RULES_DUPLICATE, 0, pr);
        else if (p->projects[pr].territory != territory)
            push(out, RULES_WRONG_TERRITORY, 0, pr);
    }

    out->valid = out->n_problems == 0;
    return out->valid ? 0 : BN_ERULE;
}

static int refuse(rules_problem_t *why, rules_problem_kind_t kind, int64_t amount, int project)
{
    if (why != NULL) {
        why->kind = kind;
        why->amount = amount;
        why->project = project;
    }
    return BN_ERULE;
}

int rules_can_add(const pkg_t *p, int territory, const int *sel, int n, int project,
                  rules_problem_t *why)
{
    int rc, i;
    int64_t total, cost, after;

    if (why != NULL) {
        memset(why, 0, sizeof(*why));
        why->project = -1;
    }
    rc = check_args(p, territory, sel, n);
    if (rc != 0)
        return rc;
    rc = sum_costs(p, sel, n, &total);
    if (rc != 0)
        return rc;

    if (!known(p, project))
        return refuse(why, RULES_UNKNOWN_PROJECT, 0, project);
    for (i = 0; i < n; i++)
        if (sel[i] == project)
            return refuse(why, RULES_DUPLICATE, 0, project);
    if (p->projects[project].territory != territory)
        return refuse(why, RULES_WRONG_TERRITORY, 0, project);
    if (n >= p->rule.max)
        return refuse(why, RULES_TOO_MANY, (int64_t)n + 1 - p->rule.max, -1);
    cost = p->projects[project].cost;
    if (cost < 0)
        return BN_EINVAL;
    after = add_sat(total, cost);
    if (p->rule.knapsack && after > p->territories[territory].envelope)
        return refuse(why, RULES_OVER_BUDGET, after - p->territories[territory].envelope, -1);
    return 0;
}

/* --- cumulative ballots ------------------------------------------------------ */

int rules_check_points(const pkg_t *p, int territory, const int *sel, const int *pts, int n,
                       rules_verdict_t *out)
{
    int rc = rules_check(p, territory, sel, n, out), i;
    int64_t sum = 0;

    if (rc != 0 && rc != BN_ERULE)
        return rc;
    if (pts == NULL || p->rule.ballot != PKG_BALLOT_CUMULATIVE)
        return rc;
    for (i = 0; i < n; i++) {
        if (pts[i] < 1)
            push(out, RULES_NO_POINTS, 0, sel[i]);
        else if (pts[i] > p->rule.per_project)
            push(out, RULES_OVER_PER_PROJECT, pts[i] - p->rule.per_project, sel[i]);
        sum += pts[i] > 0 ? pts[i] : 0;
    }
    if (sum > p->rule.points)
        push(out, RULES_TOO_MANY_POINTS, sum - p->rule.points, -1);
    out->points = (int)(sum > INT32_MAX ? INT32_MAX : sum);
    out->max_points = p->rule.points;
    out->valid = out->n_problems == 0;
    return out->valid ? 0 : BN_ERULE;
}

int rules_can_add_point(const pkg_t *p, int territory, const int *sel, const int *pts, int n,
                        int project, rules_problem_t *why)
{
    int i, at = -1, rc;
    int64_t sum = 0;

    if (why != NULL) {
        memset(why, 0, sizeof(*why));
        why->project = -1;
    }
    if ((rc = check_args(p, territory, sel, n)) != 0)
        return rc;
    if (pts == NULL || p->rule.ballot != PKG_BALLOT_CUMULATIVE)
        return BN_EINVAL;
    for (i = 0; i < n; i++) {
        sum += pts[i];
        if (sel[i] == project)
            at = i;
    }
    if (at < 0) { /* a new project: the count, the territory, a point left */
        if (sum >= p->rule.points)
            return refuse(why, RULES_TOO_MANY_POINTS, sum + 1 - p->rule.points, -1);
        return rules_can_add(p, territory, sel, n, project, why);
    }
    if (pts[at] >= p->rule.per_project)
        return refuse(why, RULES_OVER_PER_PROJECT, 1, project);
    if (sum >= p->rule.points)
        return refuse(why, RULES_TOO_MANY_POINTS, sum + 1 - p->rule.points, -1);
    return 0;
}
