/* test_rules.c - the ballot rule: data-driven cases from tests/vectors/rules/cases.txt,
 * plus the edges a line cannot express (NULL arguments, overflow, a full problem list).
 *
 * Packages are built by hand here: rules.c must not need the parser. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bn_err.h"
#include "rules.h"
#include "testutil.h"

#define MAX_PROJ 32
#define MAX_TERR 8
#define MAX_SEL 32

/* A hand-built package: NUL-free, no texts, only what rules.c reads. */
typedef struct fixture_s {
    pkg_t p;
    pkg_territory_t terr[MAX_TERR];
    pkg_project_t proj[MAX_PROJ];
} fixture_t;

static void fixture_init(fixture_t *f, int n_terr, int64_t envelope)
{
    int i;

    memset(f, 0, sizeof(*f));
    strcpy(f->p.id, "test");
    f->p.kind = PKG_BUDGET;
    f->p.rule.min = 0;
    f->p.rule.max = 10;
    f->p.rule.knapsack = 1;
    f->p.rule.min_spend_percent = 0;
    f->p.counting = PKG_COUNT_GREEDY;
    f->p.n_territories = n_terr;
    f->p.territories = f->terr;
    f->p.projects = f->proj;
    for (i = 0; i < MAX_TERR; i++) {
        snprintf(f->terr[i].id, sizeof(f->terr[i].id), "t%d", i);
        f->terr[i].envelope = envelope;
    }
}

static void fixture_add(fixture_t *f, int64_t cost, int territory)
{
    pkg_project_t *pr = &f->proj[f->p.n_projects];

    snprintf(pr->id, sizeof(pr->id), "p%d", f->p.n_projects);
    pr->cost = cost;
    pr->territory = territory;
    f->p.n_projects++;
}

/* ---- the case file ------------------------------------------------------- */

typedef struct expect_s {
    int einval;                 /* expects BN_EINVAL */
    int n_problems;
    rules_problem_t problems[RULES_MAX_PROBLEMS + 4];
    int has_total, has_remaining, has_min_spend, has_chosen;
    int64_t total, remaining, min_spend;
    int chosen;
} expect_t;

typedef struct case_s {
    int is_add;
    fixture_t f;
    int voter;
    int sel[MAX_SEL];
    int n_sel;
    int add;
    expect_t want;
} case_t;

static const struct {
    const char *name;
    rules_problem_kind_t kind;
} kinds[] = {
    {"too_few", RULES_TOO_FEW},
    {"too_many", RULES_TOO_MANY},
    {"over_budget", RULES_OVER_BUDGET},
    {"under_min_spend", RULES_UNDER_MIN_SPEND},
    {"wrong_territory", RULES_WRONG_TERRITORY},
    {"unknown", RULES_UNKNOWN_PROJECT},
    {"duplicate", RULES_DUPLICATE},
};

static const char *kind_name(rules_problem_kind_t k)
{
    size_t i;

    for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if (kinds[i].kind == k)
            return kinds[i].name;
    return "none";
}

/* A whole decimal int64 in s (may be negative); 0 or -1. */
static int parse_i64(const char *s, int64_t *out)
{
    char *end;
    long long v;

    if (*s == '\0')
        return -1;
    v = strtoll(s, &end, 10);
    if (*end != '\0')
        return -1;
    *out = v;
    return 0;
}

static int parse_int(const char *s, int *out)
{
    int64_t v;

    if (parse_i64(s, &v) != 0 || v < -1000000 || v > 1000000)
        return -1;
    *out = (int)v;
    return 0;
}

/* "1,2,3" or "-" into a[]; 0 or -1. */
static int parse_list(char *s, int *a, int *n)
{
    char *tok, *save = NULL;

    *n = 0;
    if (strcmp(s, "-") == 0)
        return 0;
    for (tok = strtok_r(s, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
        if (*n >= MAX_SEL || parse_int(tok, &a[*n]) != 0)
            return -1;
        (*n)++;
    }
    return 0;
}

static int parse_costs(char *s, fixture_t *f)
{
    char *tok, *save = NULL, *at;
    int64_t cost;
    int terr;

    if (strcmp(s, "-") == 0)
        return 0;
    for (tok = strtok_r(s, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
        terr = 0;
        at = strchr(tok, '@');
        if (at != NULL) {
            *at = '\0';
            if (parse_int(at + 1, &terr) != 0)
                return -1;
        }
        if (f->p.n_projects >= MAX_PROJ || parse_i64(tok, &cost) != 0)
            return -1;
        fixture_add(f, cost, terr);
    }
    return 0;
}

static int parse_setting(case_t *c, const char *key, char *val)
{
    pkg_t *p = &c->f.p;
    int64_t v;
    int i;

    if (strcmp(key, "costs") == 0)
        return parse_costs(val, &c->f);
    if (strcmp(key, "sel") == 0)
        return parse_list(val, c->sel, &c->n_sel);
    if (strcmp(key, "kind") == 0) {
        if (strcmp(val, "budget") == 0)
            p->kind = PKG_BUDGET;
        else if (strcmp(val, "petition") == 0)
            p->kind = PKG_PETITION;
        else
            return -1;
        return 0;
    }
    if (strcmp(key, "env") == 0) {
        if (parse_i64(val, &v) != 0)
            return -1;
        for (i = 0; i < MAX_TERR; i++)
            c->f.terr[i].envelope = v;
        return 0;
    }
    if (strcmp(key, "min") == 0)
        return parse_int(val, &p->rule.min);
    if (strcmp(key, "max") == 0)
        return parse_int(val, &p->rule.max);
    if (strcmp(key, "knapsack") == 0)
        return parse_int(val, &p->rule.knapsack);
    if (strcmp(key, "spend") == 0)
        return parse_int(val, &p->rule.min_spend_percent);
    if (strcmp(key, "voter") == 0)
        return parse_int(val, &c->voter);
    if (strcmp(key, "add") == 0)
        return parse_int(val, &c->add);
    if (strcmp(key, "territories") == 0) {
        if (parse_int(val, &p->n_territories) != 0 || p->n_territories < 1 ||
            p->n_territories > MAX_TERR)
            return -1;
        return 0;
    }
    return -1;
}

static int parse_expect(expect_t *w, char *tok)
{
    char *sep;
    size_t i, klen;
    rules_problem_t *pb;

    if (strcmp(tok, "ok") == 0)
        return 0;
    if (strcmp(tok, "einval") == 0) {
        w->einval = 1;
        return 0;
    }
    sep = strchr(tok, '=');
    if (sep != NULL) {
        *sep++ = '\0';
        if (strcmp(tok, "total") == 0) {
            w->has_total = 1;
            return parse_i64(sep, &w->total);
        }
        if (strcmp(tok, "remaining") == 0) {
            w->has_remaining = 1;
            return parse_i64(sep, &w->remaining);
        }
        if (strcmp(tok, "min_spend") == 0) {
            w->has_min_spend = 1;
            return parse_i64(sep, &w->min_spend);
        }
        if (strcmp(tok, "chosen") == 0) {
            w->has_chosen = 1;
            return parse_int(sep, &w->chosen);
        }
        return -1;
    }
    sep = strpbrk(tok, ":@");
    if (sep == NULL || w->n_problems >= (int)(sizeof(w->problems) / sizeof(w->problems[0])))
        return -1;
    klen = (size_t)(sep - tok);
    pb = &w->problems[w->n_problems];
    for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        if (strlen(kinds[i].name) != klen || strncmp(tok, kinds[i].name, klen) != 0)
            continue;
        pb->kind = kinds[i].kind;
        if (*sep == ':') {      /* whole-selection problem and its amount */
            pb->project = -1;
            if (pb->kind >= RULES_WRONG_TERRITORY)
                return -1;
            if (parse_i64(sep + 1, &pb->amount) != 0)
                return -1;
        } else {                /* problem about one project */
            pb->amount = 0;
            if (pb->kind < RULES_WRONG_TERRITORY)
                return -1;
            if (parse_int(sep + 1, &pb->project) != 0)
                return -1;
        }
        w->n_problems++;
        return 0;
    }
    return -1;
}

/* Parses one non-blank, non-comment line; 0, or -1 for a malformed case. */
static int parse_case(char *line, case_t *c)
{
    char *tok, *save = NULL, *eq;
    int expecting = 0, seen_op = 0;

    memset(c, 0, sizeof(*c));
    fixture_init(&c->f, 2, 100000);
    for (tok = strtok_r(line, " \t", &save); tok != NULL; tok = strtok_r(NULL, " \t", &save)) {
        if (!seen_op) {
            if (strcmp(tok, "check") == 0)
                c->is_add = 0;
            else if (strcmp(tok, "add") == 0)
                c->is_add = 1;
            else
                return -1;
            seen_op = 1;
        } else if (strcmp(tok, "=>") == 0) {
            expecting = 1;
        } else if (expecting) {
            if (parse_expect(&c->want, tok) != 0)
                return -1;
        } else {
            eq = strchr(tok, '=');
            if (eq == NULL)
                return -1;
            *eq = '\0';
            if (parse_setting(c, tok, eq + 1) != 0)
                return -1;
        }
    }
    if (!seen_op || !expecting)
        return -1;
    if (c->is_add && (c->want.n_problems > 1 || c->want.has_total || c->want.has_remaining ||
                      c->want.has_min_spend || c->want.has_chosen))
        return -1;
    return 0;
}

/* Runs one case; 0 when it holds, or -1 after saying why on stderr. */
static int run_case(const char *file, int lineno, case_t *c)
{
    rules_verdict_t v;
    rules_problem_t why;
    const expect_t *w = &c->want;
    int rc, want_rc, i, bad = 0;

    want_rc = w->einval ? BN_EINVAL : w->n_problems > 0 ? BN_ERULE : 0;

#define BAD(...) do { \
        fprintf(stderr, "%s:%d: ", file, lineno); \
        fprintf(stderr, __VA_ARGS__); \
        fputc('\n', stderr); \
        bad = 1; \
    } while (0)

    if (c->is_add) {
        rc = rules_can_add(&c->f.p, c->voter, c->sel, c->n_sel, c->add, &why);
        if (rc != want_rc)
            BAD("rules_can_add returned %d (%s), expected %d (%s)", rc, bn_strerror(rc),
                want_rc, bn_strerror(want_rc));
        else if (rc == BN_ERULE && (why.kind != w->problems[0].kind ||
                                    why.amount != w->problems[0].amount ||
                                    why.project != w->problems[0].project))
            BAD("rules_can_add says %s amount %lld project %d, expected %s amount %lld project %d",
                kind_name(why.kind), (long long)why.amount, why.project,
                kind_name(w->problems[0].kind), (long long)w->problems[0].amount,
                w->problems[0].project);
        return bad ? -1 : 0;
    }

    rc = rules_check(&c->f.p, c->voter, c->sel, c->n_sel, &v);
    if (rc != want_rc) {
        BAD("rules_check returned %d (%s), expected %d (%s)", rc, bn_strerror(rc), want_rc,
            bn_strerror(want_rc));
        for (i = 0; rc != BN_EINVAL && i < v.n_problems; i++)
            fprintf(stderr, "%s:%d:   got problem %d: %s amount %lld project %d\n", file,
                    lineno, i, kind_name(v.problems[i].kind), (long long)v.problems[i].amount,
                    v.problems[i].project);
        return -1;
    }
    if (rc == BN_EINVAL)
        return 0;
    if (v.valid != (rc == 0))
        BAD("valid is %d but rules_check returned %d", v.valid, rc);
    if (v.min != c->f.p.rule.min || v.max != c->f.p.rule.max)
        BAD("min/max %d/%d, expected the rule's %d/%d", v.min, v.max, c->f.p.rule.min,
            c->f.p.rule.max);
    if (v.envelope != c->f.terr[c->voter].envelope)
        BAD("envelope %lld, expected %lld", (long long)v.envelope,
            (long long)c->f.terr[c->voter].envelope);
    if (v.remaining != v.envelope - v.total)
        BAD("remaining %lld is not envelope - total", (long long)v.remaining);
    if (v.chosen != c->n_sel)
        BAD("chosen %d, expected %d", v.chosen, c->n_sel);
    if (w->has_chosen && v.chosen != w->chosen)
        BAD("chosen %d, expected %d", v.chosen, w->chosen);
    if (w->has_total && v.total != w->total)
        BAD("total %lld, expected %lld", (long long)v.total, (long long)w->total);
    if (w->has_remaining && v.remaining != w->remaining)
        BAD("remaining %lld, expected %lld", (long long)v.remaining, (long long)w->remaining);
    if (w->has_min_spend && v.min_spend != w->min_spend)
        BAD("min_spend %lld, expected %lld", (long long)v.min_spend, (long long)w->min_spend);
    if (v.n_problems != w->n_problems)
        BAD("%d problems, expected %d", v.n_problems, w->n_problems);
    for (i = 0; i < v.n_problems || i < w->n_problems; i++) {
        const rules_problem_t *g = i < v.n_problems ? &v.problems[i] : NULL;
        const rules_problem_t *e = i < w->n_problems ? &w->problems[i] : NULL;

        if (g != NULL && e != NULL && g->kind == e->kind && g->amount == e->amount &&
            g->project == e->project)
            continue;
        BAD("problem %d: got %s amount %lld project %d, expected %s amount %lld project %d", i,
            g ? kind_name(g->kind) : "(none)", g ? (long long)g->amount : 0LL,
            g ? g->project : 0, e ? kind_name(e->kind) : "(none)",
            e ? (long long)e->amount : 0LL, e ? e->project : 0);
    }
#undef BAD
    return bad ? -1 : 0;
}

/* tests/vectors/rules/cases.txt: (RULES-R1) chosen and total as given,
 * (RULES-R3) min_spend = ceil(envelope * percent / 100) exactly, (RULES-R4)
 * the problems in order. */
static void test_case_file(void **state)
{
    char *path = tu_vector("rules/cases.txt");
    FILE *f;
    char line[1024], copy[1024];
    int lineno = 0, checks = 0, adds = 0, failed = 0;
    size_t len;
    case_t *c = malloc(sizeof(*c));
    char *s;

    (void)state;
    assert_non_null(path);
    assert_non_null(c);
    f = fopen(path, "r");
    if (f == NULL)
        fail_msg("cannot open %s", path);
    while (fgets(line, sizeof(line), f) != NULL) {
        lineno++;
        len = strlen(line);
        if (len > 0 && line[len - 1] != '\n' && !feof(f))
            fail_msg("%s:%d: line too long", path, lineno);
        line[strcspn(line, "\r\n")] = '\0';
        for (s = line; *s == ' ' || *s == '\t'; s++)
            ;
        if (*s == '\0' || *s == '#')
            continue;
        snprintf(copy, sizeof(copy), "%s", s);
        if (parse_case(s, c) != 0) {
            fprintf(stderr, "%s:%d: malformed case: %s\n", path, lineno, copy);
            failed++;
            continue;
        }
        if (c->is_add)
            adds++;
        else
            checks++;
        if (run_case(path, lineno, c) != 0) {
            fprintf(stderr, "%s:%d: FAILED: %s\n", path, lineno, copy);
            failed++;
        }
    }
    fclose(f);
    print_message("%s: %d rules_check cases, %d rules_can_add cases, %d failed\n", path,
                  checks, adds, failed);
    if (failed > 0)
        fail_msg("%d case(s) of %s failed (see the lines above)", failed, path);
    if (checks < 25 || adds < 10)
        fail_msg("%s: only %d check / %d add cases", path, checks, adds);
    free(c);
    free(path);
}

/* ---- edges the case file cannot express ------------------------------------ */

static void test_null_arguments(void **state)
{
    fixture_t f;
    rules_verdict_t v;
    rules_problem_t why;
    int sel[1] = {0};

    (void)state;
    fixture_init(&f, 1, 1000);
    fixture_add(&f, 10, 0);
    memset(&v, 0x5a, sizeof(v));
    assert_int_equal(rules_check(NULL, 0, sel, 1, &v), BN_EINVAL);
    assert_int_equal(v.valid, 0);
    assert_int_equal(v.n_problems, 0);
    assert_int_equal(rules_check(&f.p, 0, sel, 1, NULL), BN_EINVAL);
    assert_int_equal(rules_check(&f.p, 0, NULL, 1, &v), BN_EINVAL);
    assert_int_equal(rules_check(&f.p, 0, sel, -1, &v), BN_EINVAL);
    assert_int_equal(rules_check(&f.p, 0, NULL, 0, &v), 0); /* empty: no array needed */
    assert_int_equal(rules_can_add(NULL, 0, sel, 0, 0, &why), BN_EINVAL);
    assert_int_equal(rules_can_add(&f.p, 0, NULL, 1, 0, &why), BN_EINVAL);
    assert_int_equal(rules_can_add(&f.p, 0, NULL, 0, 0, NULL), 0);
    assert_int_equal(rules_can_add(&f.p, 0, sel, 1, 0, NULL), BN_ERULE); /* why may be NULL */
    f.p.territories[0].envelope = -1;
    assert_int_equal(rules_check(&f.p, 0, sel, 1, &v), BN_EINVAL);
}

/* (RULES-R2) 2,000 copies of a 2^53-euro project: 2^64 euros, more than int64 holds. */
static void test_total_saturates(void **state)
{
    fixture_t f;
    rules_verdict_t v;
    rules_problem_t why;
    static int sel[2000];
    int i;

    (void)state;
    fixture_init(&f, 1, INT64_C(1) << 53);
    f.p.rule.max = 5;
    fixture_add(&f, INT64_C(1) << 53, 0);
    fixture_add(&f, INT64_C(1) << 53, 0);
    for (i = 0; i < 2000; i++)
        sel[i] = 0;
    assert_int_equal(rules_check(&f.p, 0, sel, 2000, &v), BN_ERULE);
    assert_true(v.total == INT64_MAX);
    assert_true(v.remaining == (INT64_C(1) << 53) - INT64_MAX);
    assert_int_equal(v.n_problems, RULES_MAX_PROBLEMS);
    assert_int_equal(v.problems[0].kind, RULES_TOO_MANY);
    assert_true(v.problems[0].amount == 1995);
    assert_int_equal(v.problems[1].kind, RULES_OVER_BUDGET);
    assert_true(v.problems[1].amount == INT64_MAX - (INT64_C(1) << 53));
    for (i = 2; i < RULES_MAX_PROBLEMS; i++)
        assert_int_equal(v.problems[i].kind, RULES_DUPLICATE);

    /* adding to a saturated selection: still an exact, positive overshoot */
    f.p.rule.max = 3000;
    assert_int_equal(rules_can_add(&f.p, 0, sel, 2000, 1, &why), BN_ERULE);
    assert_int_equal(why.kind, RULES_OVER_BUDGET);
    assert_true(why.amount == INT64_MAX - (INT64_C(1) << 53));
}

/* (RULES-R4) a long list of bad entries never pushes out the whole-selection problems. */
static void test_problem_list_full(void **state)
{
    fixture_t f;
    rules_verdict_t v;
    int sel[12], i;

    (void)state;
    fixture_init(&f, 1, 100);
    f.p.rule.max = 3;
    fixture_add(&f, 150, 0);
    sel[0] = 0;
    for (i = 1; i < 12; i++)
        sel[i] = 100 + i;
    assert_int_equal(rules_check(&f.p, 0, sel, 12, &v), BN_ERULE);
    assert_int_equal(v.valid, 0);
    assert_int_equal(v.n_problems, RULES_MAX_PROBLEMS);
    assert_int_equal(v.problems[0].kind, RULES_TOO_MANY);
    assert_true(v.problems[0].amount == 9);
    assert_int_equal(v.problems[1].kind, RULES_OVER_BUDGET);
    assert_true(v.problems[1].amount == 50);
    for (i = 2; i < RULES_MAX_PROBLEMS; i++) {
        assert_int_equal(v.problems[i].kind, RULES_UNKNOWN_PROJECT);
        assert_int_equal(v.problems[i].project, 100 + i - 1);
    }
}

/* rules_can_add agrees with rules_check: from every valid-so-far selection
 * of small random packages, adding a project is allowed exactly when the
 * longer selection has no problem other than too few / under min spend. */
static uint32_t lcg(uint32_t *s)
{
    *s = *s * 1664525u + 1013904223u;
    return *s >> 8;
}

static void test_can_add_agrees_with_check(void **state)
{
    fixture_t f;
    rules_verdict_t v;
    rules_problem_t why;
    uint32_t seed = 35;
    int round, i, j, n, sel[MAX_SEL], rc, blocking, tried = 0;

    (void)state;
    for (round = 0; round < 300; round++) {
        fixture_init(&f, 2, 1000 + (int64_t)(lcg(&seed) % 2000));
        f.p.rule.min = (int)(lcg(&seed) % 3);
        f.p.rule.max = f.p.rule.min + (int)(lcg(&seed) % 4);
        f.p.rule.knapsack = (int)(lcg(&seed) % 4 != 0);
        f.p.rule.min_spend_percent = (int)(lcg(&seed) % 3) * 30;
        for (i = 0; i < 8; i++)
            fixture_add(&f, 1 + (int64_t)(lcg(&seed) % 900), (int)(lcg(&seed) % 4 == 0));
        /* grow a selection of territory 0 while it stays valid-so-far */
        n = 0;
        for (j = 0; j < 12; j++) {
            int cand = (int)(lcg(&seed) % 10) - 1; /* -1..8: some unknown */

            rc = rules_can_add(&f.p, 0, sel, n, cand, &why);
            sel[n] = cand;
            assert_int_not_equal(rules_check(&f.p, 0, sel, n + 1, &v), BN_EINVAL);
            blocking = 0;
            for (i = 0; i < v.n_problems; i++)
                if (v.problems[i].kind != RULES_TOO_FEW &&
                    v.problems[i].kind != RULES_UNDER_MIN_SPEND)
                    blocking = 1;
            tried++;
            if (rc == 0) {
                assert_false(blocking);
                n++;
            } else {
                assert_int_equal(rc, BN_ERULE);
                assert_true(blocking);
                /* the problem named is one rules_check lists for the longer selection */
                for (i = 0; i < v.n_problems; i++)
                    if (v.problems[i].kind == why.kind)
                        break;
                assert_true(i < v.n_problems);
            }
        }
    }
    assert_true(tried == 300 * 12);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_case_file),
        cmocka_unit_test(test_null_arguments),
        cmocka_unit_test(test_total_saturates),
        cmocka_unit_test(test_problem_list_full),
        cmocka_unit_test(test_can_add_agrees_with_check),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
