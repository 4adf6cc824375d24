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
#include "turnout.h"

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
    memset(&prof, 0, sizeof prof);
    prof.n_projects = pb->n_projects;
    prof.cost = cost;
    prof.rank = rank;
    prof.n_voters = pb->n_voters;
    prof.off = pb->vote_off;
    prof.items = pb->vote_items;
    prof.budget = pb->budget;
    prof.points = pb->vote_points; /* cumulative, ordinal: the scores decide */
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

/* --- turnout (turnout.h) ---------------------------------------------------- */

/* What the turnout of the territories adds up to, and the lines that
 * turnout.csv must hold, rebuilt from results.json. */
typedef struct chk_turnout_s {
    int64_t gap, participants; /* sums of B_T - P_T, P_T */
    char **lines;
    int n_lines, cap_lines;
    int oom;
} chk_turnout_t;

static void expect_line(chk_turnout_t *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void expect_line(chk_turnout_t *t, const char *fmt, ...)
{
    va_list ap;
    char **g, *l;
    int n;

    if (t->n_lines == t->cap_lines) {
        t->cap_lines = t->cap_lines ? 2 * t->cap_lines : 64;
        if ((g = realloc(t->lines, (size_t)t->cap_lines * sizeof *g)) == NULL) {
            t->oom = 1;
            return;
        }
        t->lines = g;
    }
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || (l = malloc((size_t)n + 1)) == NULL) {
        t->oom = 1;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(l, (size_t)n + 1, fmt, ap);
    va_end(ap);
    t->lines[t->n_lines++] = l;
}

/* A CSV field as publish.c quotes it: "..." with "" for a quote. */
static char *csv_quoted(const char *s)
{
    size_t n = 3, i = 0;
    const char *p;
    char *q;

    for (p = s; *p; p++)
        n += *p == '"' ? 2 : 1;
    if ((q = malloc(n)) == NULL)
        return NULL;
    q[i++] = '"';
    for (p = s; *p; p++) {
        if (*p == '"')
            q[i++] = '"';
        q[i++] = *p;
    }
    q[i++] = '"';
    q[i] = '\0';
    return q;
}

/* The territory's turnout against its own rules and its ballots (B_T, the
 * lines of its .pb): (TURNOUT-T1) no count below 10 shown, none written for a
 * hidden commune; (TURNOUT-T2) the hidden ones add up to territory - shown within
 * their bounds, and none can be worked out while a count is still shown;
 * in certified results B_T >= P_T (each participant counted in a commune
 * of T cast one ballot of T), and B_T = P_T when the turnout is complete.
 * The per-commune counts themselves cannot be recomputed here: the closing
 * reports are not published (verify, with the bundles, recomputes them). */
static void check_turnout_territory(chk_t *c, chk_turnout_t *t, const cJSON *jt, const char *tid,
                                    const char *status, int certified, int complete,
                                    int64_t ballots)
{
    const cJSON *tu = cJSON_GetObjectItemCaseSensitive(jt, "turnout"), *communes, *x, *nm;
    int64_t total, *shown = NULL, sum = 0;
    int n_shown = 0, n_fewer = 0, n_hidden = 0, n = 0, d;
    char where[64], *q;

    snprintf(where, sizeof where, "territory %s: turnout", tid);
    communes = cJSON_GetObjectItemCaseSensitive(tu, "communes");
    if (!cJSON_IsObject(tu) || !cJSON_IsArray(communes) ||
        !get_int(c, tu, "participants", where, &total)) {
        disagree(c, "%s: missing or incomplete in results.json", where);
        return;
    }
    nm = cJSON_GetObjectItemCaseSensitive(jt, "name");
    nm = cJSON_IsObject(nm) ? nm->child : NULL;
    q = csv_quoted(cJSON_IsString(nm) ? nm->valuestring : "");
    expect_line(t, "%s,territory,%s,,%lld,%s", status, tid, (long long)total, q ? q : "");
    free(q);
    if ((shown = calloc((size_t)cJSON_GetArraySize(communes) + 1, sizeof *shown)) == NULL) {
        t->oom = 1;
        return;
    }
    cJSON_ArrayForEach(x, communes) {
        const char *insee = get_str(c, x, "insee", where), *name = get_str(c, x, "name", where);
        const char *how = get_str(c, x, "shown", where);
        const cJSON *pj = cJSON_GetObjectItemCaseSensitive(x, "participants");
        int64_t v = -1;

        n++;
        if (insee == NULL || name == NULL || how == NULL)
            continue;
        q = csv_quoted(name);
        if (strcmp(how, "count") == 0) {
            if (!get_int(c, x, "participants", where, &v)) {
                free(q);
                continue;
            }
            if (v < TURNOUT_MIN) /* (TURNOUT-T1) */
                disagree(c, "%s: commune %s shows %lld participants: fewer than %d must be "
                         "hidden", where, insee, (long long)v, TURNOUT_MIN);
            shown[n_shown++] = v;
            sum += v;
            expect_line(t, "%s,commune,%s,%s,%lld,%s", status, tid, insee, (long long)v,
                        q ? q : "");
        } else if (strcmp(how, "fewer-than-10") == 0 || strcmp(how, "hidden") == 0) {
            if (pj == NULL || !cJSON_IsNull(pj)) /* (TURNOUT-T1) (TURNOUT-T2) never the count */
                disagree(c, "%s: commune %s is '%s' but its participants are written", where,
                         insee, how);
            if (how[0] == 'f')
                n_fewer++;
            else
                n_hidden++;
            expect_line(t, "%s,commune,%s,%s,%s,%s", status, tid, insee, how, q ? q : "");
        } else {
            disagree(c, "%s: commune %s: shown '%s' is not count, fewer-than-10 or hidden", where,
                     insee, how);
        }
        free(q);
    }
    d = turnout_disclosed(total, shown, n_shown, n_fewer, n_hidden);
    if (d < 0)
        disagree(c, "%s: %lld participants, %lld shown: the %d communes 'fewer-than-10' (0..9 "
                 "each) and %d 'hidden' (10 up to the smallest shown) cannot add up to %lld",
                 where, (long long)total, (long long)sum, n_fewer, n_hidden,
                 (long long)(total - sum));
    else if (d > 0 && n_shown > 0) /* (TURNOUT-T2) */
        disagree(c, "%s: a hidden commune's count can be worked out from the total (%lld) and "
                 "the %d shown (%lld): one more must be hidden", where, (long long)total, n_shown,
                 (long long)sum);
    if (certified && ballots < total)
        disagree(c, "%s: %lld participants of its communes but %lld ballots in its Pabulib "
                 "file", where, (long long)total, (long long)ballots);
    else if (certified && complete && ballots != total)
        disagree(c, "%s: %lld participants of its communes, complete, but %lld ballots in its "
                 "Pabulib file", where, (long long)total, (long long)ballots);
    t->gap += ballots - total;
    t->participants += total;
    fprintf(c->log, "checked turnout of territory %s: %lld participants (%lld ballots), %d "
            "communes: %d shown, %d fewer than %d, %d hidden\n", tid, (long long)total,
            (long long)ballots, n, n_shown, n_fewer, TURNOUT_MIN, n_hidden);
    free(shown);
}

/* The campaign's turnout figures against the territories', and turnout.csv
 * line for line against results.json. */
static void check_turnout(chk_t *c, const char *dir, const cJSON *root, chk_turnout_t *t,
                          const char *status, int certified)
{
    const cJSON *tu = cJSON_GetObjectItemCaseSensitive(root, "turnout");
    const char *csv = get_str(c, tu, "csv", "turnout");
    const cJSON *cj = cJSON_GetObjectItemCaseSensitive(tu, "complete");
    int64_t all, ue, ex;
    char *path, line[4096], *q;
    FILE *f;
    int i = 0;

    if (!cJSON_IsObject(tu) || csv == NULL || !plain_name(csv) || !cJSON_IsBool(cj) ||
        !get_int(c, tu, "participants", "turnout", &all) ||
        !get_int(c, tu, "unknown_commune_entries", "turnout", &ue) ||
        !get_int(c, tu, "excluded_entries", "turnout", &ex)) {
        disagree(c, "turnout: missing or incomplete in results.json");
        return;
    }
    q = csv_quoted("unknown commune");
    expect_line(t, "%s,unknown,,,%lld,%s", status, (long long)ue, q ? q : "");
    free(q);
    if (t->oom) {
        disagree(c, "turnout: out of memory");
        return;
    }
    if (all != t->participants)
        disagree(c, "turnout: %lld participants in all, the territories add up to %lld",
                 (long long)all, (long long)t->participants);
    if (cJSON_IsTrue(cj) != (ue == 0 && ex == 0))
        disagree(c, "turnout: complete is %s with %lld entries of an unknown commune and %lld "
                 "excluded", cJSON_IsTrue(cj) ? "true" : "false", (long long)ue, (long long)ex);
    if (certified && t->gap != ue)
        disagree(c, "turnout: the Pabulib files hold %lld ballots more than the participants "
                 "of the territories' communes, but %lld entries are of an unknown commune",
                 (long long)t->gap, (long long)ue);
    if ((path = join(dir, csv)) == NULL || (f = fopen(path, "rb")) == NULL) {
        disagree(c, "%s: cannot be read", csv);
        free(path);
        return;
    }
    if (fgets(line, sizeof line, f) == NULL ||
        strcmp(line, "status,level,territory,insee,participants,name\r\n") != 0)
        disagree(c, "%s: not the turnout header", csv);
    while (fgets(line, sizeof line, f) != NULL) {
        line[strcspn(line, "\r\n")] = '\0';
        if (i >= t->n_lines || strcmp(line, t->lines[i]) != 0)
            disagree(c, "%s: row %d '%s' is not '%s' of results.json", csv, i + 2, line,
                     i < t->n_lines ? t->lines[i] : "(no more rows)");
        i++;
    }
    if (i != t->n_lines)
        disagree(c, "%s: %d rows, results.json gives %d", csv, i, t->n_lines);
    fclose(f);
    free(path);
    fprintf(c->log, "checked turnout: %lld participants (%lld entries of an unknown commune), %s "
            "against results.json\n", (long long)all, (long long)ue, csv);
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
    chk_turnout_t tu;
    int rc, i, certified, complete;

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
        if (cJSON_IsString(kind) && strcmp(kind->valuestring, "questionnaire") == 0) {
            rc = publish__check_questionnaire(dir, root, log);
            cJSON_Delete(root);
            return rc;
        }
    }
    memset(&tu, 0, sizeof tu);
    status = get_str(&c, root, "status", "results.json");
    certified = status != NULL && strcmp(status, "certified") == 0;
    camp = cJSON_GetObjectItemCaseSensitive(root, "campaign");
    if (camp != NULL)
        rule = get_str(&c, camp, "counting", "campaign");
    terrs = cJSON_GetObjectItemCaseSensitive(root, "territories");
    complete = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(root, "turnout"), "complete"));
    if (rule == NULL || !cJSON_IsArray(terrs) || !get_int(&c, root, "ballots", "results.json", &ballots)) {
        disagree(&c, "results.json: campaign.counting, territories or ballots missing");
    } else {
        cJSON_ArrayForEach(jt, terrs) {
            const char *r = get_str(&c, jt, "rule", "territory");
            const char *tid = get_str(&c, jt, "id", "territory");
            int64_t before = total;

            if (r != NULL && strcmp(r, rule) != 0)
                disagree(&c, "territory rule '%s' is not the campaign's '%s'", r, rule);
            check_territory(&c, dir, jt, rule, &total);
            if (tid != NULL)
                check_turnout_territory(&c, &tu, jt, tid, status ? status : "", certified,
                                        complete, total - before);
        }
        check_turnout(&c, dir, root, &tu, status ? status : "", certified);
        if (total != ballots)
            disagree(&c, "results.json: %lld ballots in all, the Pabulib files hold %lld",
                     (long long)ballots, (long long)total);
        check_codes(&c, dir, root);
    }
    for (i = 0; i < tu.n_lines; i++)
        free(tu.lines[i]);
    free(tu.lines);
    fprintf(log, "status in results.json: %s\n", status ? status : "(none)");
    fprintf(log, "%s\n", c.bad ? "check: the published figures DISAGREE with the recount" :
            "check: every published figure agrees with the recount");
    cJSON_Delete(root);
    return c.bad ? 1 : 0;
}
