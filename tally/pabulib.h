/* pabulib.h - a strict reader of Pabulib (.pb) files.
 *
 * Format (pabulib.org/format): three sections, in this order, each a line
 * with its name and then a header line naming the columns:
 *
 *   META      key;value            budget (required), vote_type, rule,
 *                                  min_length, max_length, max_sum_points,
 *                                  min_project_score_threshold; other keys
 *                                  kept out of the model
 *   PROJECTS  project_id;cost;...  votes and selected optional; any order,
 *                                  extra columns ignored
 *   VOTES     voter_id;vote;...    vote: comma-separated project ids;
 *                                  points: as many integers (cumulative,
 *                                  scoring, ordinal)
 *
 * Fields are separated by ';'; a field may be quoted ("a;b", "" for a quote)
 * and a quoted field may span lines. UTF-8 with an optional BOM, LF or CRLF
 * line ends, blank lines ignored. Amounts (budget, cost) are non-negative
 * integers; "1000.0" is accepted as 1000 (some published files write costs so),
 * "1000.5" is refused. vote_type: approval (absent means approval),
 * choose-1 (one project at most), cumulative (a points column, its sum at
 * most max_sum_points), scoring (a points column), ordinal (a ranking, most
 * preferred first; points from the points column, else by position: with
 * L = max_length, or the ballot's length when absent, the k-th project
 * (k = 0, 1, ...) gets L - k: Kraków's scores). Every error names the file
 * and the line: "FILE:12: ...". */
#ifndef PABULIB_H
#define PABULIB_H

#include <stddef.h>
#include <stdint.h>

/* Limits against absurd input (each refused with a clear error). */
#define PB_MAX_FILE      (1024L * 1024 * 1024) /* bytes */
#define PB_MAX_RECORD    (1024 * 1024)         /* bytes in one record */
#define PB_MAX_PROJECTS  10000
#define PB_MAX_VOTERS    4000000               /* < 2^22: keeps count_ products in 64 bits */
#define PB_MAX_COST      1000000000000LL       /* 10^12 < 2^40 */
#define PB_MAX_BUDGET    1000000000000000LL    /* 10^15 */
#define PB_MAX_ID        256                   /* bytes in a project or voter id */
#define PB_MAX_APPROVALS 100000000             /* project ids in all votes together */

typedef enum {
    PB_APPROVAL = 0,
    PB_CHOOSE1,
    PB_CUMULATIVE,
    PB_SCORING,
    PB_ORDINAL
} pb_vote_type_t;

typedef struct pb_project_s {
    char *id;            /* as written in the file (UTF-8, NUL-terminated) */
    int64_t cost;        /* > 0 */
    int64_t votes_col;   /* the file's `votes` column, -1 when absent */
    int selected;        /* the file's `selected` column, -1 when absent */
    int64_t votes;       /* approvals counted from the VOTES section */
    int64_t score;       /* points counted from it (= votes for approval) */
} pb_project_t;

typedef struct pb_s {
    int64_t budget;
    char *rule;          /* META rule, NULL when absent */
    int min_length;      /* 0 when absent */
    int max_length;      /* -1 when absent */
    pb_vote_type_t vote_type;
    int64_t max_sum_points; /* -1 when absent */
    int64_t threshold;   /* min_project_score_threshold, -1 when absent */
    int n_projects;
    pb_project_t *projects;
    int n_voters;
    int *vote_off;       /* n_voters + 1 offsets into vote_items */
    int *vote_items;     /* project indexes, each ballot sorted ascending */
    int64_t *vote_points; /* the points of each item; NULL for approval, choose-1 */
} pb_t;

/* The Pabulib name of a vote type ("approval" ...). */
const char *pb_vote_type_name(pb_vote_type_t t);

/* Parses `len` bytes of `buf` (need not be NUL-terminated); `name` is used in
 * error messages (the file name). On success *out is a new pb_t (pb_free).
 * Errors: BN_EFORMAT (a malformed or inconsistent file, why = "NAME:LINE:
 * what"), BN_ETOOBIG (a limit above), BN_ENOMEM, BN_EINVAL (NULL arguments);
 * *out is then NULL. */
int pb_parse(const char *buf, size_t len, const char *name, pb_t **out,
             char *why, size_t whylen);

/* Reads and parses a file (see pb_parse); BN_EIO when it cannot be read. */
int pb_load(const char *path, pb_t **out, char *why, size_t whylen);

/* Frees a model; NULL is a no-op. */
void pb_free(pb_t *pb);

/* Index of the project whose id is `id`, or -1. */
int pb_find(const pb_t *pb, const char *id);

/* Sorts project indexes `idx[0..n)` in the order used for output and
 * tie-breaking: numerically when every project id of the file is a decimal
 * integer (digits only; equal values then bytewise), else bytewise (strcmp). */
void pb_sort_ids(const pb_t *pb, int *idx, int n);

/* The rank of each project in that order: rank[i] in 0..n_projects-1,
 * written into `rank` (n_projects ints). */
void pb_id_ranks(const pb_t *pb, int *rank);

#endif
