/* main.c - borne-tally: verifies, counts and publishes participatory-budget
 * votes and petitions (docs/results.md).
 *
 *   borne-tally verify  --authority CA.pem --package FILE.bpkg [--track-key HEX_OR_FILE]
 *                       [--revocations FILE] [--provisional] BUNDLE_DIR | --server-db FILE
 *   borne-tally publish (the same options) -o DIR BUNDLE_DIR | --server-db FILE
 *   borne-tally check   DIR
 *   borne-tally pabulib FILE [--rule RULE] [--check]
 *
 * pabulib prints the winning project ids on stdout, one a line, sorted
 * (numerically when every project id of the file is an integer, else
 * bytewise), and nothing else; statistics go to stderr. Exit: 0 done, 1 bad
 * file or failed count (verify, publish: problems found and not
 * --provisional; check: a figure disagrees), 2 usage error. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bn_err.h"
#include "cert.h"
#include "count.h"
#include "hex.h"
#include "pabulib.h"
#include "pkg.h"
#include "publish.h"
#include "serverdb.h"
#include "verify.h"

static void usage(FILE *f)
{
    fputs("usage: borne-tally verify --authority CA.pem --package FILE.bpkg [--track-key HEX_OR_FILE]\n"
          "                          [--revocations FILE] [--enrolled DIR] [--reports DIR]\n"
          "                          [--provisional]\n"
          "                          [--threads N] [--mbedtls]\n"
          "                          BUNDLE_DIR | --server-db FILE\n"
          "       borne-tally publish (the options of verify) -o DIR BUNDLE_DIR | --server-db FILE\n"
          "       borne-tally texts (the options of verify) -o FILE BUNDLE_DIR | --server-db FILE\n"
          "       borne-tally check DIR\n"
          "       borne-tally pabulib FILE [--rule RULE] [--check]\n"
          "       borne-tally --help\n"
          "\n"
          "verify   checks every bundle file of BUNDLE_DIR: certificate chain to the authority,\n"
          "         revocation list, bundle and ballot and report signatures, each ballot\n"
          "         against the campaign package and its ballot rule, duplicate ballot ids,\n"
          "         each kiosk's closing report against the ballots received from it, and\n"
          "         pseudonyms registered by several kiosks (offline duplicates). Prints the\n"
          "         verification report; any problem refuses certification (exit 1) unless\n"
          "         --provisional, which marks everything produced provisional.\n"
          "         --threads N: N threads (default: one per core); --mbedtls: verify the\n"
          "         signatures with the firmware's mbedTLS code instead of libcrypto.\n"
          "         --server-db FILE instead of BUNDLE_DIR: the bundles of the package's\n"
          "         campaign that a borne-server store (its server.db, opened read-only)\n"
          "         holds, verified exactly like bundle files; a bundle it holds without\n"
          "         its bytes (received before store schema 3) refuses certification.\n"
          "         --enrolled DIR: the certificates (*.crt, PEM) of every kiosk enrolled;\n"
          "         one that sent nothing that verified refuses certification (a\n"
          "         petition: a note). A revoked one is not expected.\n"
          "         --reports DIR: the zero and closing reports agents printed at the\n"
          "         kiosks (NAME.txt with NAME.sig, as exported on a USB drive): each\n"
          "         signature verified with its kiosk's certificate, each closing report's\n"
          "         counts, per-day ballots and set digest checked against what was\n"
          "         received from that kiosk (docs/operations.md); reports of the\n"
          "         kiosk's other campaigns are set aside, and said so.\n"
          "publish  verifies, counts each territory by the campaign's counting rule and\n"
          "         writes into DIR: results.json, results-TERRITORY.csv,\n"
          "         ballots-TERRITORY.pb (anonymised, shuffled), turnout.csv (participants\n"
          "         per territory and commune from the closing reports; a commune below 10\n"
          "         is never given a count), tracking-codes.txt (needs\n"
          "         --track-key: the campaign's tracking key, ID.track: 64 hex digits,\n"
          "         or a file of 32 bytes or 64 hex digits; never the pseudonym secret),\n"
          "         verification.txt, index.html (docs/results.md).\n"
          "         For a petition package: the signature records are verified the same way,\n"
          "         then counted (persons, duplicates, window, cantons, threshold and the\n"
          "         day it was reached); publish writes results.json,\n"
          "         signatures-cantons.csv, signatures-days.csv, tracking-codes.txt (with\n"
          "         --track-key), verification.txt, index.html. Never a name.\n"
          "         For a questionnaire: the answers (ballots of kind 4) and free texts are\n"
          "         verified the same way, then counted per question, overall and per\n"
          "         territory (a group of fewer than 10 respondents never shown); publish\n"
          "         writes results.json, results.csv, texts.csv (the free texts the\n"
          "         moderation accepted: --texts FILE), index.html and index-en.html (a bar\n"
          "         chart per question), verification.txt, tracking-codes.txt.\n"
          "texts    a questionnaire's free texts, verified, into FILE for the moderation:\n"
          "         ref;question;text;decision (fill in oui or non, then publish --texts FILE).\n"
          "check    recomputes every figure of a published DIR from its .pb files (or, for\n"
          "         a petition, its CSV files) and results.json alone; for a questionnaire\n"
          "         (counts only) holds the figures to each other, to the CSV files and to\n"
          "         the small-count protection; exit 0 when all agree, 1 when one does not.\n"
          "\n"
          "pabulib  reads a Pabulib file (pabulib.org/format; vote_type approval, choose-1,\n"
          "         cumulative, scoring or ordinal) and prints the winning project ids on\n"
          "         stdout, one per line, sorted (numerically when every project id is an\n"
          "         integer, else bytewise). Statistics (voters, projects, budget, vote type,\n"
          "         rule, cost of the winners, time) go to stderr.\n"
          "  --rule   greedy            by score, fund each project that still fits\n"
          "           greedy-no-skip    the same, stopping at the first that does not fit\n"
          "           greedy-threshold  greedy among the projects whose score reaches\n"
          "                             min_project_score_threshold\n"
          "           equalshares       Method of Equal Shares, cost satisfaction (approval)\n"
          "           equalshares/add1  MES, shares raised one unit per voter while it fits\n"
          "           equalshares-comparison, equalshares/add1-comparison: then compared\n"
          "                             with greedy, which wins if more voters prefer it\n"
          "         default: the file's own META rule (greedy-exclusive, greedy-custom and\n"
          "         unknown are counted with greedy and marked NOT THE OFFICIAL RULE).\n"
          "  --check  prints instead one line against the file's selected column: ok,\n"
          "         differs (exit 3), no official result, not the official rule.\n"
          "Exact arithmetic throughout (no floating point decides a winner); see\n"
          "docs/counting.md for the rules and their tie-breaking.\n"
          "Exit status: 0 done, 1 bad file or failed count, 2 usage error, 3 --check\n"
          "found a difference.\n", f);
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
    int *rank = NULL, i, rc, status = 1, check = 0, unofficial = 0, differs = 0;
    double t0, t1;

    memset(&res, 0, sizeof(res));
    for (i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--check") == 0 && !check) {
            check = 1;
        } else if (strcmp(argv[i], "--rule") == 0 && i + 1 < argc && rule_name == NULL) {
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
        fprintf(stderr, "borne-tally: unknown rule '%s' (greedy, greedy-no-skip, greedy-threshold, "
                "equalshares, equalshares/add1, equalshares-comparison, "
                "equalshares/add1-comparison)\n", rule_name);
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
        if (strcmp(pb->rule, "greedy-exclusive") == 0 || strcmp(pb->rule, "greedy-custom") == 0 ||
            strcmp(pb->rule, "unknown") == 0) {
            /* described in words only: the closest defined rule, said so */
            rule = COUNT_GREEDY;
            unofficial = 1;
            fprintf(stderr, "borne-tally: %s: rule '%s' is described only in words: counted with "
                    "greedy, NOT THE OFFICIAL RULE\n", file, pb->rule);
        } else if (count_rule_parse(pb->rule, &rule) != 0) {
            fprintf(stderr, "borne-tally: %s: rule '%s' is not a rule borne knows (greedy, "
                    "greedy-no-skip, greedy-threshold, equalshares, equalshares/add1, and their "
                    "-comparison variants); give --rule\n", file, pb->rule);
            goto out;
        }
    }
    if (rule == COUNT_GREEDY_THRESHOLD && pb->threshold < 0) {
        fprintf(stderr, "borne-tally: %s: greedy-threshold needs META min_project_score_threshold\n",
                file);
        goto out;
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
    prof.points = pb->vote_points;
    prof.threshold = pb->threshold;
    t1 = now_s();
    if ((rc = count_run(&prof, rule, &res, why, sizeof(why))) != 0) {
        fprintf(stderr, "borne-tally: %s: %s%s%s\n", file, bn_strerror(rc), why[0] ? ": " : "", why);
        goto out;
    }
    pb_sort_ids(pb, res.winners, res.n_winners);
    if (check) {
        /* --check: the winners against the file's `selected` column */
        int official = 0, differ = 0, w;
        for (i = 0; i < pb->n_projects; i++)
            official |= pb->projects[i].selected >= 0;
        if (!official)
            printf("no official result %s\n", file);
        else if (unofficial)
            printf("not the official rule %s (%s)\n", file, pb->rule);
        else {
            for (i = 0; i < pb->n_projects; i++) {
                int won = 0;
                for (w = 0; w < res.n_winners; w++)
                    won |= res.winners[w] == i;
                differ += won != (pb->projects[i].selected == 1);
            }
            printf("%s %s\n", differ ? "differs" : "ok", file);
            differs = differ != 0;
        }
    } else
        for (i = 0; i < res.n_winners; i++)
            printf("%s\n", pb->projects[res.winners[i]].id);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fputs("borne-tally: cannot write the winners\n", stderr);
        goto out;
    }
    fprintf(stderr, "voters %d\nprojects %d\nbudget %lld\nvote_type %s\nrule %s%s\nwinners %d\n"
            "cost %lld\n", pb->n_voters, pb->n_projects, (long long)pb->budget,
            pb_vote_type_name(pb->vote_type), count_rule_name(rule),
            unofficial ? " (NOT THE OFFICIAL RULE)" : "", res.n_winners, (long long)res.cost);
    if (res.ties > 0)
        fprintf(stderr, "ties_broken %d (the first: %s funded before %s, equal %s: %s)\n",
                res.ties, pb->projects[res.tie_won].id, pb->projects[res.tie_lost].id,
                rule == COUNT_GREEDY || rule == COUNT_GREEDY_NO_SKIP ||
                        rule == COUNT_GREEDY_THRESHOLD || res.greedy_taken
                    ? "scores"
                    : "prices per unit of satisfaction",
                res.tie_by == COUNT_TIE_COST        ? "the lower cost first"
                : res.tie_by == COUNT_TIE_APPROVALS ? "equal costs: more approvals first"
                : rule == COUNT_GREEDY || rule == COUNT_GREEDY_NO_SKIP ||
                        rule == COUNT_GREEDY_THRESHOLD || res.greedy_taken
                    ? "equal costs: id order"
                    : "equal costs and approvals: id order");
    if (res.compared)
        fprintf(stderr, "comparison prefer_mes %lld prefer_greedy %lld: %s's outcome\n",
                (long long)res.prefer_mes, (long long)res.prefer_greedy,
                res.greedy_taken ? "greedy" : "the equal shares");
    if (rule == COUNT_MES_ADD1 || rule == COUNT_MES_ADD1_CMP)
        fprintf(stderr, "add1_steps %ld\nadd1_virtual_budget %lld\n", res.add1_steps,
                (long long)res.add1_budget);
    fprintf(stderr, "read_seconds %.3f\ncount_seconds %.3f\n", t1 - t0, now_s() - t1);
    status = differs ? 3 : 0;
out:
    count_result_free(&res);
    free(cost);
    free(rank);
    pb_free(pb);
    return status;
}

/* --- verify, publish, check ------------------------------------------------- */

typedef struct inputs_s {
    uint8_t *ca_file, *pkg_file, *rev_file, *tkey_file;
    uint8_t ca[CERT_DER_MAX];
    size_t ca_len;
    key_pub_t authority;
    pkg_t *pkg;
    cert_revoked_t revoked;
    int have_revoked;
    uint8_t track_key[32];
    int have_track_key;
} inputs_t;

static void inputs_free(inputs_t *in)
{
    free(in->ca_file);
    free(in->pkg_file);
    free(in->rev_file);
    free(in->tkey_file);
    pkg_free(in->pkg);
    memset(in->track_key, 0, sizeof in->track_key);
}

/* The tracking key: 64 hex digits on the command line, or a file holding 32 raw
 * bytes or 64 hex digits (and an optional line end). */
static int load_track_key(inputs_t *in, const char *arg)
{
    char why[256] = "";
    size_t len = strlen(arg);

    if (len == 64 && hex_decode(arg, 64, in->track_key, 32) == 0)
        return 0;
    if (pkg_read_file(arg, &in->tkey_file, &len, why, sizeof why) != 0) {
        fprintf(stderr, "borne-tally: --track-key: neither 64 hex digits nor a readable file: %s\n", why);
        return -1;
    }
    if (len == 32) {
        memcpy(in->track_key, in->tkey_file, 32);
        return 0;
    }
    while (len > 0 && (in->tkey_file[len - 1] == '\n' || in->tkey_file[len - 1] == '\r'))
        len--;
    if (len == 64 && hex_decode((const char *)in->tkey_file, 64, in->track_key, 32) == 0)
        return 0;
    fprintf(stderr, "borne-tally: --track-key %s: not 32 bytes nor 64 lowercase hex digits\n", arg);
    return -1;
}

static int load_inputs(inputs_t *in, const char *ca, const char *pkgf, const char *rev,
                       const char *tkey)
{
    char why[512] = "";
    size_t len;
    int rc;

    if ((rc = pkg_read_file(ca, &in->ca_file, &len, why, sizeof why)) != 0) {
        fprintf(stderr, "borne-tally: --authority: %s\n", why);
        return -1;
    }
    if (len >= 10 && memcmp(in->ca_file, "-----BEGIN", 10) == 0) {
        if (cert_from_pem((const char *)in->ca_file, len, in->ca, sizeof in->ca, &in->ca_len) != 0) {
            fprintf(stderr, "borne-tally: --authority %s: not a PEM certificate\n", ca);
            return -1;
        }
    } else if (len <= sizeof in->ca) {
        memcpy(in->ca, in->ca_file, len);
        in->ca_len = len;
    }
    if (cert_key(in->ca, in->ca_len, &in->authority) != 0) {
        fprintf(stderr, "borne-tally: --authority %s: not a P-256 certificate\n", ca);
        return -1;
    }
    if ((rc = pkg_read_file(pkgf, &in->pkg_file, &len, why, sizeof why)) != 0) {
        fprintf(stderr, "borne-tally: --package: %s\n", why);
        return -1;
    }
    /* Every check of pkg_open but the validity window: the tally runs after
     * it, on any day. Day 0 is before every package, so BN_ENOTYET is the
     * answer for an authentic, well-formed package, and nothing else is. */
    rc = pkg_open(in->pkg_file, len, &in->authority, NULL, 0, &in->pkg, why, sizeof why);
    if (rc != BN_ENOTYET) {
        fprintf(stderr, "borne-tally: --package %s: %s%s%s\n", pkgf, bn_strerror(rc == 0 ? BN_EINVAL : rc),
                why[0] ? ": " : "", why);
        return -1;
    }
    pkg_free(in->pkg);
    in->pkg = NULL;
    if ((rc = pkg_parse((const char *)in->pkg_file, len - PKG_TRAILER_LEN, &in->pkg, why,
                        sizeof why)) != 0) {
        fprintf(stderr, "borne-tally: --package %s: %s\n", pkgf, why);
        return -1;
    }
    if ((rc = cert_verify(in->ca, in->ca_len, in->ca, in->ca_len, in->pkg->closes, CERT_AUTHORITY,
                          NULL, NULL, why, sizeof why)) != 0) {
        fprintf(stderr, "borne-tally: --authority %s: %s: %s\n", ca, bn_strerror(rc), why);
        return -1;
    }
    if (rev != NULL) {
        if ((rc = pkg_read_file(rev, &in->rev_file, &len, why, sizeof why)) != 0 ||
            (rc = cert_revoke_open(in->rev_file, len, &in->authority, &in->revoked, why,
                                   sizeof why)) != 0) {
            fprintf(stderr, "borne-tally: --revocations %s: %s: %s\n", rev, bn_strerror(rc), why);
            return -1;
        }
        in->have_revoked = 1;
    }
    if (tkey != NULL) {
        if (load_track_key(in, tkey) != 0)
            return -1;
        in->have_track_key = 1;
    }
    return 0;
}

static int cert_file(const struct dirent *d)
{
    size_t n = strlen(d->d_name);

    return d->d_name[0] != '.' && n > 4 && strcmp(d->d_name + n - 4, ".crt") == 0;
}

/* --enrolled DIR: every DIR/NAME.crt, a kiosk certificate of the authority
 * valid on `day` (else an error naming the file); revoked ones are left
 * out, said on stderr. *out is malloc'd. 0, or -1 after a message. */
static int load_enrolled(const char *dir, const inputs_t *in, uint32_t day,
                         verify_enrolled_t **out, int *n_out)
{
    struct dirent **names = NULL;
    verify_enrolled_t *e = NULL;
    int n, i, k = 0, rc = -1;

    *out = NULL;
    *n_out = 0;
    if ((n = scandir(dir, &names, cert_file, alphasort)) < 0) {
        fprintf(stderr, "borne-tally: --enrolled %s: cannot read the directory\n", dir);
        return -1;
    }
    if (n == 0) {
        fprintf(stderr, "borne-tally: --enrolled %s: no kiosk certificate (*.crt) in it\n", dir);
        goto out;
    }
    if ((e = calloc((size_t)n, sizeof *e)) == NULL) {
        fprintf(stderr, "borne-tally: out of memory\n");
        goto out;
    }
    for (i = 0; i < n; i++) {
        char path[4096], w[300] = "";
        uint8_t *pem = NULL, der[CERT_DER_MAX];
        size_t pl = 0, dl = 0;
        cert_info_t ci;
        int r;

        snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
        r = pkg_read_file(path, &pem, &pl, w, sizeof w);
        if (r == 0 && (r = cert_from_pem((const char *)pem, pl, der, sizeof der, &dl)) != 0)
            snprintf(w, sizeof w, "not one PEM certificate");
        free(pem);
        if (r == 0)
            r = cert_verify(der, dl, in->ca, in->ca_len, day, CERT_KIOSK, NULL, &ci, w, sizeof w);
        if (r != 0) {
            fprintf(stderr, "borne-tally: --enrolled %s: %s: %s\n", path, bn_strerror(r), w);
            goto out;
        }
        if (in->have_revoked && cert_is_revoked(&in->revoked, ci.pub.id) == 1) {
            fprintf(stderr, "borne-tally: --enrolled: %s (%s) is revoked: not expected\n",
                    ci.name, path);
            continue;
        }
        snprintf(e[k].name, sizeof e[k].name, "%s", ci.name);
        memcpy(e[k].key_id, ci.pub.id, KEY_ID_LEN);
        snprintf(e[k].file, sizeof e[k].file, "%.200s", path);
        k++;
    }
    *out = e;
    *n_out = k;
    e = NULL;
    rc = 0;
out:
    for (i = 0; i < n; i++)
        free(names[i]);
    free(names);
    free(e);
    return rc;
}

/* verify (publish 0), publish (1: out is the directory) and texts (2: out
 * is the moderation file of a questionnaire's free texts). */
static int cmd_verify(int argc, char **argv, int publish)
{
    const char *ca = NULL, *pkgf = NULL, *rev = NULL, *tkey = NULL, *dir = NULL, *out = NULL;
    const char *texts = NULL;
    const char *threads = NULL, *db = NULL, *enrolled_dir = NULL, *reports_dir = NULL;
    verify_enrolled_t *enrolled = NULL;
    int provisional = 0, reference = 0, i, status = 1, rc, n_enrolled = 0;
    char why[512] = "";
    inputs_t in;
    verify_input_t vi;
    verify_t *v = NULL;
    tally_count_t cnt;
    quest_count_t qc;
    publish_opts_t po;

    memset(&in, 0, sizeof in);
    memset(&cnt, 0, sizeof cnt);
    memset(&qc, 0, sizeof qc);
    for (i = 0; i < argc; i++) {
        const char **opt = NULL;

        if (strcmp(argv[i], "--authority") == 0)
            opt = &ca;
        else if (strcmp(argv[i], "--package") == 0)
            opt = &pkgf;
        else if (strcmp(argv[i], "--revocations") == 0)
            opt = &rev;
        else if (strcmp(argv[i], "--track-key") == 0)
            opt = &tkey;
        else if (publish && strcmp(argv[i], "-o") == 0)
            opt = &out;
        else if (publish == 1 && strcmp(argv[i], "--texts") == 0)
            opt = &texts;
        else if (strcmp(argv[i], "--threads") == 0)
            opt = &threads;
        else if (strcmp(argv[i], "--server-db") == 0)
            opt = &db;
        else if (strcmp(argv[i], "--enrolled") == 0)
            opt = &enrolled_dir;
        else if (strcmp(argv[i], "--reports") == 0)
            opt = &reports_dir;
        else if (strcmp(argv[i], "--mbedtls") == 0 && !reference) {
            reference = 1;
            continue;
        }
        else if (strcmp(argv[i], "--provisional") == 0 && !provisional) {
            provisional = 1;
            continue;
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (argv[i][0] == '-' || dir != NULL) {
            fprintf(stderr, "borne-tally: unknown or repeated argument '%s'\n", argv[i]);
            usage(stderr);
            return 2;
        } else {
            dir = argv[i];
            continue;
        }
        if (*opt != NULL || i + 1 >= argc) {
            fprintf(stderr, "borne-tally: %s needs one value, once\n", argv[i]);
            return 2;
        }
        *opt = argv[++i];
    }
    if (ca == NULL || pkgf == NULL || (dir == NULL) == (db == NULL) || (publish && out == NULL)) {
        fprintf(stderr, "borne-tally: %s needs --authority, --package%s and BUNDLE_DIR or "
                "--server-db FILE (one of them)\n",
                publish == 2 ? "texts" : publish ? "publish" : "verify",
                publish == 2 ? ", -o FILE" : publish ? ", -o DIR" : "");
        usage(stderr);
        return 2;
    }
    if (threads != NULL && (atoi(threads) < 1 || atoi(threads) > 1024)) {
        fprintf(stderr, "borne-tally: --threads %s: 1 to 1024\n", threads);
        return 2;
    }
    if (load_inputs(&in, ca, pkgf, rev, tkey) != 0)
        goto out;
    memset(&vi, 0, sizeof vi);
    vi.ca_der = in.ca;
    vi.ca_len = in.ca_len;
    vi.revoked = in.have_revoked ? &in.revoked : NULL;
    vi.pkg = in.pkg;
    vi.day = in.pkg->closes;
    vi.threads = threads != NULL ? atoi(threads) : 0;
    vi.reference = reference;
    if (enrolled_dir != NULL) {
        if (load_enrolled(enrolled_dir, &in, vi.day, &enrolled, &n_enrolled) != 0) {
            status = 2;
            goto out;
        }
        vi.enrolled = enrolled;
        vi.n_enrolled = n_enrolled;
    }
    vi.reports = reports_dir;
    rc = db != NULL ? serverdb_verify(&vi, db, &v, why, sizeof why)
                    : verify_dir(&vi, dir, &v, why, sizeof why);
    if (rc != 0) {
        fprintf(stderr, "borne-tally: %s: %s\n", bn_strerror(rc), why);
        goto out;
    }
    if (v->n_problems > 0 && !provisional) {
        fputs(v->log, stderr);
        fprintf(stderr, "borne-tally: %d problem%s: NOT CERTIFIED%s (--provisional publishes "
                "results marked provisional)\n", v->n_problems, v->n_problems > 1 ? "s" : "",
                publish ? ", nothing published" : "");
        goto out;
    }
    if (!publish) {
        fputs(v->log, stdout);
        printf("%s\n", provisional ? "PROVISIONAL: not certified" : "certified: no problem found");
        status = 0;
        goto out;
    }
    if (publish == 2 || in.pkg->kind == PKG_QUESTIONNAIRE) {
        if (in.pkg->kind != PKG_QUESTIONNAIRE) {
            fprintf(stderr, "borne-tally: texts: campaign %s is not a questionnaire\n",
                    in.pkg->id);
            goto out;
        }
        if (publish == 2) {
            if ((rc = quest_texts_csv(v, out, why, sizeof why)) != 0) {
                fprintf(stderr, "borne-tally: texts: %s: %s\n", bn_strerror(rc), why);
                goto out;
            }
            printf("%s: %d free text(s) to moderate (fill in the last column: oui or non, then "
                   "publish --texts %s)\n", out, v->n_texts, out);
            status = 0;
            goto out;
        }
        if ((rc = quest_count(v, &qc, why, sizeof why)) != 0) {
            fprintf(stderr, "borne-tally: count: %s: %s\n", bn_strerror(rc), why);
            goto out;
        }
        po.provisional = provisional;
        po.track_key = in.have_track_key ? in.track_key : NULL;
        po.package_file = pkgf;
        if ((rc = publish_questionnaire(v, &qc, &po, texts, out, why, sizeof why)) != 0) {
            fprintf(stderr, "borne-tally: publish: %s: %s\n", bn_strerror(rc), why);
            goto out;
        }
        fputs(v->log, stderr);
        printf("%s: %lld answer sets counted, results in %s%s\n",
               provisional ? "PROVISIONAL" : "certified", (long long)qc.respondents, out,
               texts == NULL ? " (no free text published: --texts FILE gives the moderation's "
                               "decisions)" : "");
        status = 0;
        goto out;
    }
    if (in.pkg->kind == PKG_PETITION) {
        po.provisional = provisional;
        po.track_key = in.have_track_key ? in.track_key : NULL;
        po.package_file = pkgf;
        if ((rc = publish_petition(v, &po, out, why, sizeof why)) != 0) {
            fprintf(stderr, "borne-tally: publish: %s: %s\n", bn_strerror(rc), why);
            goto out;
        }
        fputs(v->log, stderr);
        printf("%s: %lld signatures counted (%d cantons), threshold %s, results in %s\n",
               provisional ? "PROVISIONAL" : "certified", (long long)v->petition.valid,
               v->petition.cantons, v->petition.reached ? "reached" : "not reached", out);
        status = 0;
        goto out;
    }
    if ((rc = tally_count(v, &cnt, why, sizeof why)) != 0) {
        fprintf(stderr, "borne-tally: count: %s: %s\n", bn_strerror(rc), why);
        goto out;
    }
    po.provisional = provisional;
    po.track_key = in.have_track_key ? in.track_key : NULL;
    po.package_file = pkgf;
    if ((rc = publish_write(v, &cnt, &po, out, why, sizeof why)) != 0) {
        fprintf(stderr, "borne-tally: publish: %s: %s\n", bn_strerror(rc), why);
        goto out;
    }
    if (!in.have_track_key)
        fputs("borne-tally: note: no --track-key, so no tracking-codes.txt\n", stderr);
    fputs(v->log, stderr);
    printf("%s: %lld ballots counted, results in %s\n", provisional ? "PROVISIONAL" : "certified",
           (long long)cnt.ballots, out);
    status = 0;
out:
    tally_count_free(&cnt);
    quest_count_free(&qc);
    verify_free(v);
    inputs_free(&in);
    free(enrolled);
    return status;
}

static int cmd_check(int argc, char **argv)
{
    char why[512] = "";
    int rc;

    if (argc != 1 || argv[0][0] == '-') {
        fputs("borne-tally: check needs one DIR\n", stderr);
        usage(stderr);
        return 2;
    }
    rc = publish_check(argv[0], stdout, why, sizeof why);
    if (rc < 0) {
        fprintf(stderr, "borne-tally: check %s: %s: %s\n", argv[0], bn_strerror(rc), why);
        return 1;
    }
    return rc;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
        printf("borne-tally " BORNE_VERSION "\n");
        return 0;
    }
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
                      strcmp(argv[1], "help") == 0)) {
        usage(stdout);
        return 0;
    }
    if (argc >= 2 && strcmp(argv[1], "pabulib") == 0)
        return cmd_pabulib(argc - 2, argv + 2);
    if (argc >= 2 && strcmp(argv[1], "verify") == 0)
        return cmd_verify(argc - 2, argv + 2, 0);
    if (argc >= 2 && strcmp(argv[1], "publish") == 0)
        return cmd_verify(argc - 2, argv + 2, 1);
    if (argc >= 2 && strcmp(argv[1], "texts") == 0)
        return cmd_verify(argc - 2, argv + 2, 2);
    if (argc >= 2 && strcmp(argv[1], "check") == 0)
        return cmd_check(argc - 2, argv + 2);
    if (argc < 2)
        fputs("borne-tally: a command is needed\n", stderr);
    else
        fprintf(stderr, "borne-tally: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}
