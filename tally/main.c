/* main.c - borne-tally: counts participatory-budget votes.
 *
 *   borne-tally pabulib FILE [--rule greedy|equalshares|equalshares/add1]
 *
 * prints the winning project ids on stdout, one a line, sorted (numerically
 * when every project id of the file is an integer, else bytewise), and
 * nothing else; statistics go to stderr. Exit: 0 done, 1 bad file or failed
 * count, 2 usage error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bn_err.h"
#include "count.h"
#include "pabulib.h"

static void usage(FILE *f)
{
    fputs("usage: borne-tally pabulib FILE [--rule greedy|equalshares|equalshares/add1]\n"
          "       borne-tally --help\n"
          "\n"
          "pabulib  reads an approval-ballot Pabulib file (pabulib.org/format) and prints\n"
          "         the winning project ids on stdout, one per line, sorted (numerically\n"
          "         when every project id is an integer, else bytewise). Statistics\n"
          "         (voters, projects, budget, rule, cost of the winners, time) go to stderr.\n"
          "  --rule   greedy            by approvals, fund each project that still fits\n"
          "           equalshares       Method of Equal Shares, cost satisfaction\n"
          "           equalshares/add1  MES, share raised one unit per voter while it fits\n"
          "         default: the file's own META rule.\n"
          "Exact arithmetic throughout (no floating point decides a winner); see\n"
          "docs/counting.md for the rules and their tie-breaking.\n"
          "Exit status: 0 done, 1 bad file or failed count, 2 usage error.\n", f);
}

static double now_s(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int cmd_pabulib(int argc, char **argv)
{
    const char *file = NULL, *rule_name = NULL;
    char why[512] = "";
    pb_t *pb = NULL;
    count_rule_t rule;
    count_result_t res;
    count_profile_t prof;
    int64_t *cost = NULL;
    int *rank = NULL, i, rc, status = 1;
    double t0, t1;

    memset(&res, 0, sizeof(res));
    for (i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--rule") == 0 && i + 1 < argc && rule_name == NULL) {
            rule_name = argv[++i];
        } else if (strncmp(argv[i], "--rule=", 7) == 0 && rule_name == NULL) {
            rule_name = argv[i] + 7;
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "borne-tally: unknown or repeated option '%s'\n", argv[i]);
            usage(stderr);
            return 2;
        } else if (file == NULL) {
            file = argv[i];
        } else {
            fprintf(stderr, "borne-tally: one FILE only ('%s')\n", argv[i]);
            usage(stderr);
            return 2;
        }
    }
    if (file == NULL) {
        fputs("borne-tally: pabulib needs a FILE\n", stderr);
        usage(stderr);
        return 2;
    }
    if (rule_name != NULL && count_rule_parse(rule_name, &rule) != 0) {
        fprintf(stderr, "borne-tally: unknown rule '%s' (greedy, equalshares or equalshares/add1)\n", rule_name);
        return 2;
    }
    t0 = now_s();
    if ((rc = pb_load(file, &pb, why, sizeof(why))) != 0) {
        fprintf(stderr, "borne-tally: %s%s%s\n", why[0] ? why : file, ": ", bn_strerror(rc));
        goto out;
    }
    if (rule_name == NULL) {
        if (pb->rule == NULL) {
            fprintf(stderr, "borne-tally: %s: META has no rule; give --rule\n", file);
            goto out;
        }
        if (count_rule_parse(pb->rule, &rule) != 0) {
            fprintf(stderr, "borne-tally: %s: rule '%s' is not supported (greedy, equalshares, "
                    "equalshares/add1); give --rule\n", file, pb->rule);
            goto out;
        }
    }
    cost = malloc(((size_t)pb->n_projects + 1) * sizeof(int64_t));
    rank = malloc(((size_t)pb->n_projects + 1) * sizeof(int));
    if (cost == NULL || rank == NULL) {
        fputs("borne-tally: out of memory\n", stderr);
        goto out;
    }
    for (i = 0; i < pb->n_projects; i++) {
        cost[i] = pb->projects[i].cost;
        if (pb->projects[i].votes_col >= 0 && pb->projects[i].votes_col != pb->projects[i].votes)
            fprintf(stderr, "borne-tally: note: project '%s': votes column says %lld, ballots give %lld "
                    "(the ballots are counted)\n", pb->projects[i].id,
                    (long long)pb->projects[i].votes_col, (long long)pb->projects[i].votes);
    }
    pb_id_ranks(pb, rank);
    prof.n_projects = pb->n_projects;
    prof.cost = cost;
    prof.rank = rank;
    prof.n_voters = pb->n_voters;
    prof.off = pb->vote_off;
    prof.items = pb->vote_items;
    prof.budget = pb->budget;
    t1 = now_s();
    if ((rc = count_run(&prof, rule, &res, why, sizeof(why))) != 0) {
        fprintf(stderr, "borne-tally: %s: %s%s%s\n", file, bn_strerror(rc), why[0] ? ": " : "", why);
        goto out;
    }
    pb_sort_ids(pb, res.winners, res.n_winners);
    for (i = 0; i < res.n_winners; i++)
        printf("%s\n", pb->projects[res.winners[i]].id);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fputs("borne-tally: cannot write the winners\n", stderr);
        goto out;
    }
    fprintf(stderr, "voters %d\nprojects %d\nbudget %lld\nrule %s\nwinners %d\ncost %lld\n",
            pb->n_voters, pb->n_projects, (long long)pb->budget, count_rule_name(rule), res.n_winners,
            (long long)res.cost);
    if (rule == COUNT_MES_ADD1)
        fprintf(stderr, "add1_steps %ld\nadd1_virtual_budget %lld\n", res.add1_steps,
                (long long)res.add1_budget);
    fprintf(stderr, "read_seconds %.3f\ncount_seconds %.3f\n", t1 - t0, now_s() - t1);
    status = 0;
out:
    count_result_free(&res);
    free(cost);
    free(rank);
    pb_free(pb);
    return status;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
                      strcmp(argv[1], "help") == 0)) {
        usage(stdout);
        return 0;
    }
    if (argc >= 2 && strcmp(argv[1], "pabulib") == 0)
        return cmd_pabulib(argc - 2, argv + 2);
    if (argc < 2)
        fputs("borne-tally: a command is needed\n", stderr);
    else
        fprintf(stderr, "borne-tally: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}
