/* check.c - borne-tally check: every figure of a published folder
 * recomputed from its Pabulib files and results.json alone (no package, no
 * bundle, no key), so that an observer can run it on what was published. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "bn_err.h"
#include "pabulib.h"
#include "publish_int.h"

typedef struct chk_s {
    FILE *log;
    int bad;
} chk_t;

static void disagree(chk_t *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void disagree(chk_t *c, const char *fmt, ...)
{
    va_list ap;

    c->bad = 1;
    fputs("DISAGREE ", c->log);
    va_start(ap, fmt);
    vfprintf(c->log, fmt, ap);
    va_end(ap);
    fputc('\n', c->log);
}

/* An integer member: 1 and *out, or 0 (and a disagreement) when absent or
 * not a whole number. */
static int get_int(chk_t *c, const cJSON *o, const char *key, const char *where, int64_t *out)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, key);
    double d;

    d = cJSON_IsNumber(x) ? x->valuedouble : -1;
    if (d < 0 || d > 9e15 || d != (double)(int64_t)d) {
        disagree(c, "%s: '%s' is missing or not a whole number", where, key);
        return 0;
    }
    *out = (int64_t)d;
    return 1;
}

static const char *get_str(chk_t *c, const cJSON *o, const char *key, const char *where)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, key);

    if (!cJSON_IsString(x)) {
        disagree(c, "%s: '%s' is missing or not a string", where, key);
        return NULL;
    }
    return x->valuestring;
}

static char *join(const char *dir, const char *name)
{
    char *p = malloc(strlen(dir) + strlen(name) + 2);

    if (p != NULL)
        sprintf(p, "%s/%s", dir, name);
    return p;
}

/* A published file name: no directory part. */
static int plain_name(const char *s)
{
    return s[0] != '\0' && s[0] != '.' && strchr(s, '/') == NULL && strchr(s, '\\') == NULL;
}

static void check_csv(chk_t *c, const char *dir, const char *name, const char *tid, const pb_t *pb,
                      const int *selected)
{
    char *path = join(dir, name), line[4096];
    FILE *f = path != NULL ? fopen(path, "rb") : NULL;
    int rows = 0;

    if (f == NULL) {
        disagree(c, "%s: cannot be read", name);
        free(path);
        return;
    }
    if (fgets(line, sizeof line, f) == NULL) {
        disagree(c, "%s: empty", name);
        goto out;
    }
    while (fgets(line, sizeof line, f) != NULL) {
        char *fld[6], *s = line;
        long long cost, votes;
        int i, sel, k;

        for (i = 0; i < 6; i++) {
            fld[i] = s;
            if (i < 5) {
                if ((s = strchr(s, ',')) == NULL)
                    break;
                *s++ = '\0';
            }
        }
        if (i < 6 || sscanf(fld[3], "%lld", &cost) != 1 || sscanf(fld[4], "%lld", &votes) != 1 ||
            sscanf(fld[5], "%d", &sel) != 1) {
            disagree(c, "%s: row %d is malformed", name, rows + 2);
            continue;
        }
        rows++;
        if (strcmp(fld[1], tid) != 0)
            disagree(c, "%s: row %d: territory '%s', not '%s'", name, rows + 1, fld[1], tid);
        if ((k = pb_find(pb, fld[2])) < 0) {
            disagree(c, "%s: project '%s' is not in the Pabulib file", name, fld[2]);
            continue;
        }
        if (pb->projects[k].cost != cost || pb->projects[k].votes != votes || selected[k] != sel)
            disagree(c, "%s: project '%s': cost %lld, votes %lld, selected %d; recomputed: %lld, "
                     "%lld, %d", name, fld[2], cost, votes, sel, (long long)pb->projects[k].cost,
                     (long long)pb->projects[k].votes, selected[k]);
    }
    if (rows != pb->n_projects)
        disagree(c, "%s: %d projects, the Pabulib file has %d", name, rows, pb->n_projects);
out:
    fclose(f);
    free(path);
}

static void check_territory(chk_t *c, const char *dir, const cJSON *jt, const char *rule_name,
                            int64_t *total)
{
    const char *tid = get_str(c, jt, "id", "territory"), *pbname, *csv;
    const cJSON *projects, *winners, *x;
    char why[512] = "", where[64];
    int64_t envelope, ballots, cost_w, v;
    pb_t *pb = NULL;
    count_rule_t rule;
    count_profile_t prof;
    count_result_t res;
    int64_t *cost = NULL;
    int *rank = NULL, *sel = NULL, *jsel = NULL, i, k, n_jp = 0, rc;
    char *path = NULL;

    memset(&res, 0, sizeof res);
    if (tid == NULL)
        return;
    snprintf(where, sizeof where, "territory %s", tid);
    pbname = get_str(c, jt, "pabulib", where);
    csv = get_str(c, jt, "csv", where);
    projects = cJSON_GetObjectItemCaseSensitive(jt, "projects");
    winners = cJSON_GetObjectItemCaseSensitive(jt, "winners");
    if (pbname == NULL || csv == NULL || !plain_name(pbname) || !plain_name(csv) ||
        !get_int(c, jt, "envelope", where, &envelope) || !get_int(c, jt, "ballots", where, &ballots) ||
        !get_int(c, jt, "cost_of_winners", where, &cost_w) || !cJSON_IsArray(projects) ||
        !cJSON_IsArray(winners)) {
        disagree(c, "%s: incomplete in results.json", where);
        return;
    }
    if ((path = join(dir, pbname)) == NULL || (rc = pb_load(path, &pb, why, sizeof why)) != 0) {
        disagree(c, "%s: %s", where, why[0] ? why : "out of memory");
        goto out;
    }
    if (count_rule_parse(rule_name, &rule) != 0) {
        disagree(c, "%s: rule '%s' unknown", where, rule_name);
        goto out;
    }
    if (pb->rule == NULL || strcmp(pb->rule, rule_name) != 0)
        disagree(c, "%s: %s says rule '%s', results.json '%s'", where, pbname,
                 pb->rule ? pb->rule : "(none)", rule_name);
    if (pb->budget != envelope)
        disagree(c, "%s: %s says budget %lld, results.json envelope %lld", where, pbname,
                 (long long)pb->budget, (long long)envelope);
    if (pb->n_voters != ballots)
        disagree(c, "%s: %s holds %d ballots, results.json says %lld", where, pbname, pb->n_voters,
                 (long long)ballots);
    *total += pb->n_voters;
    cost = malloc(((size_t)pb->n_projects + 1) * sizeof *cost);
    rank = malloc(((size_t)pb->n_projects + 1) * sizeof *rank);
    sel = calloc((size_t)pb->n_projects + 1, sizeof *sel);
    jsel = calloc((size_t)pb->n_projects + 1, sizeof *jsel);
    if (cost == NULL || rank == NULL || sel == NULL || jsel == NULL) {
        disagree(c, "%s: out of memory", where);
        goto out;
    }
    for (i = 0; i < pb->n_projects; i++)
        cost[i] = pb->projects[i].cost;
    pb_id_ranks(pb, rank);
    prof.n_projects = pb->n_projects;
    prof.cost = cost;
    prof.rank = rank;
    prof.n_voters = pb->n_voters;
    prof.off = pb->vote_off;
    prof.items = pb->vote_items;
    prof.budget = pb->budget;
    if ((rc = count_run(&prof, rule, &res, why, sizeof why)) != 0) {
        disagree(c, "%s: the count of %s failed: %s", where, pbname, why);
        goto out;
    }
    for (i = 0; i < res.n_winners; i++)
        sel[res.winners[i]] = 1;
    if (res.cost != cost_w)
        disagree(c, "%s: cost of the winners %lld, recomputed %lld", where, (long long)cost_w,
                 (long long)res.cost);
    cJSON_ArrayForEach(x, projects) {
        const char *pid = get_str(c, x, "id", where);
        const cJSON *s = cJSON_GetObjectItemCaseSensitive(x, "selected");
        int64_t pc;

        n_jp++;
        if (pid == NULL)
            continue;
        if ((k = pb_find(pb, pid)) < 0) {
            disagree(c, "%s: project '%s' of results.json is not in %s", where, pid, pbname);
            continue;
        }
        if (get_int(c, x, "votes", where, &v) && v != pb->projects[k].votes)
            disagree(c, "%s: project '%s': %lld votes in results.json, %lld in %s", where, pid,
                     (long long)v, (long long)pb->projects[k].votes, pbname);
        if (get_int(c, x, "cost", where, &pc) && pc != pb->projects[k].cost)
            disagree(c, "%s: project '%s': cost %lld in results.json, %lld in %s", where, pid,
                     (long long)pc, (long long)pb->projects[k].cost, pbname);
        if (!cJSON_IsBool(s) || cJSON_IsTrue(s) != sel[k])
            disagree(c, "%s: project '%s': selected %s in results.json, %s by the recount", where,
                     pid, cJSON_IsTrue(s) ? "true" : "false", sel[k] ? "true" : "false");
        if (pb->projects[k].selected >= 0 && pb->projects[k].selected != sel[k])
            disagree(c, "%s: project '%s': selected %d in %s, %d by the recount", where, pid,
                     pb->projects[k].selected, pbname, sel[k]);
    }
    if (n_jp != pb->n_projects)
        disagree(c, "%s: %d projects in results.json, %d in %s", where, n_jp, pb->n_projects, pbname);
    k = 0;
    cJSON_ArrayForEach(x, winners) {
        int j = cJSON_IsString(x) ? pb_find(pb, x->valuestring) : -1;

        if (j < 0 || !sel[j] || jsel[j]) {
            disagree(c, "%s: winner '%s' of results.json is not a winner of the recount", where,
                     cJSON_IsString(x) ? x->valuestring : "?");
            continue;
        }
        jsel[j] = 1;
        k++;
    }
    if (k != res.n_winners)
        disagree(c, "%s: %d winners in results.json, %d by the recount", where, k, res.n_winners);
    check_csv(c, dir, csv, tid, pb, sel);
    fprintf(c->log, "checked territory %s: %d ballots, %d projects, %d winners (%s), cost %lld\n",
            tid, pb->n_voters, pb->n_projects, res.n_winners, rule_name, (long long)res.cost);
out:
    count_result_free(&res);
    free(path);
    free(cost);
    free(rank);
    free(sel);
    free(jsel);
    pb_free(pb);
}

static void check_codes(chk_t *c, const char *dir, const cJSON *root)
{
    const cJSON *tc = cJSON_GetObjectItemCaseSensitive(root, "tracking_codes");
    const char *name;
    char *path, line[128], prev[32] = "";
    int64_t n, lines = 0;
    FILE *f;

    if (tc == NULL || cJSON_IsNull(tc))
        return;
    if ((name = get_str(c, tc, "file", "tracking_codes")) == NULL || !plain_name(name) ||
        !get_int(c, tc, "count", "tracking_codes", &n))
        return;
    if ((path = join(dir, name)) == NULL || (f = fopen(path, "rb")) == NULL) {
        disagree(c, "%s: cannot be read", name);
        free(path);
        return;
    }
    while (fgets(line, sizeof line, f) != NULL) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '#' || line[0] == '\0')
            continue;
        if (strlen(line) != 14 || strcmp(line, prev) <= 0)
            disagree(c, "%s: '%s' is not a code in sorted order", name, line);
        snprintf(prev, sizeof prev, "%.31s", line);
        lines++;
    }
    fclose(f);
    free(path);
    if (lines != n)
        disagree(c, "%s: %lld codes, results.json says %lld", name, (long long)lines, (long long)n);
    else
        fprintf(c->log, "checked %s: %lld codes, sorted\n", name, (long long)lines);
}

int publish_check(const char *dir, FILE *log, char *why, size_t whylen)
{
    char *path = join(dir, "results.json"), w[512] = "";
    uint8_t *buf = NULL;
    size_t len = 0;
    cJSON *root = NULL;
    const cJSON *terrs, *jt, *camp;
    const char *rule = NULL, *status;
    int64_t ballots = 0, total = 0;
    chk_t c = {log, 0};
    int rc;

    if (path == NULL)
        return bn_fail(why, whylen, BN_ENOMEM, "out of memory");
    rc = pkg_read_file(path, &buf, &len, w, sizeof w);
    free(path);
    if (rc != 0)
        return bn_fail(why, whylen, rc, "%s", w);
    if ((root = cJSON_ParseWithLength((const char *)buf, len)) == NULL) {
        free(buf);
        return bn_fail(why, whylen, BN_EFORMAT, "results.json is not JSON");
    }
    free(buf);
    {
        const cJSON *kind = cJSON_GetObjectItemCaseSensitive(root, "kind");

        if (cJSON_IsString(kind) && strcmp(kind->valuestring, "petition") == 0) {
            rc = publish__check_petition(dir, root, log);
            cJSON_Delete(root);
            return rc;
        }
    }
    status = get_str(&c, root, "status", "results.json");
    camp = cJSON_GetObjectItemCaseSensitive(root, "campaign");
    if (camp != NULL)
        rule = get_str(&c, camp, "counting", "campaign");
    terrs = cJSON_GetObjectItemCaseSensitive(root, "territories");
    if (rule == NULL || !cJSON_IsArray(terrs) || !get_int(&c, root, "ballots", "results.json", &ballots)) {
        disagree(&c, "results.json: campaign.counting, territories or ballots missing");
    } else {
        cJSON_ArrayForEach(jt, terrs) {
            const char *r = get_str(&c, jt, "rule", "territory");

            if (r != NULL && strcmp(r, rule) != 0)
                disagree(&c, "territory rule '%s' is not the campaign's '%s'", r, rule);
            check_territory(&c, dir, jt, rule, &total);
        }
        if (total != ballots)
            disagree(&c, "results.json: %lld ballots in all, the Pabulib files hold %lld",
                     (long long)ballots, (long long)total);
        check_codes(&c, dir, root);
    }
    fprintf(log, "status in results.json: %s\n", status ? status : "(none)");
    fprintf(log, "%s\n", c.bad ? "check: the published figures DISAGREE with the recount" :
            "check: every published figure agrees with the recount");
    cJSON_Delete(root);
    return c.bad ? 1 : 0;
}
