/* publish.c - borne-tally publish: the count per territory and the files
 * anyone can recompute it from (docs/results.md). */
#include "publish.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "bn_err.h"
#include "day.h"
#include "hex.h"
#include "publish_int.h"
#include "rng.h"
#include "track.h"

/* --- ids in the order of pabulib.h (pb_sort_ids), so that a recount of the
 * published .pb breaks ties exactly as the count did ----------------------- */

static int all_digits(const char *s)
{
    if (*s == '\0')
        return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return 0;
    return 1;
}

static int numeric_cmp(const char *a, const char *b)
{
    const char *x = a, *y = b;
    size_t lx, ly;
    int r;

    while (*x == '0' && x[1] != '\0')
        x++;
    while (*y == '0' && y[1] != '\0')
        y++;
    lx = strlen(x);
    ly = strlen(y);
    if (lx != ly)
        return lx < ly ? -1 : 1;
    if ((r = strcmp(x, y)) != 0)
        return r;
    return strcmp(a, b);
}

int publish__id_cmp(const char *a, const char *b, int numeric)
{
    return numeric ? numeric_cmp(a, b) : strcmp(a, b);
}

static const pkg_t *sort_pkg;
static int sort_numeric;

static int cmp_proj(const void *a, const void *b)
{
    return publish__id_cmp(sort_pkg->projects[*(const int *)a].id,
                           sort_pkg->projects[*(const int *)b].id, sort_numeric);
}

static count_rule_t rule_of(pkg_counting_t c)
{
    return c == PKG_COUNT_GREEDY ? COUNT_GREEDY : c == PKG_COUNT_MES ? COUNT_MES : COUNT_MES_ADD1;
}

void tally_count_free(tally_count_t *c)
{
    int t;

    if (c == NULL || c->terr == NULL)
        return;
    for (t = 0; t < c->n_terr; t++) {
        free(c->terr[t].projects);
        free(c->terr[t].votes);
        free(c->terr[t].score);
        free(c->terr[t].selected);
        count_result_free(&c->terr[t].res);
    }
    free(c->terr);
    c->terr = NULL;
    turnout_free(&c->turnout);
}

static int count_one(const verify_t *v, tally_terr_t *tt, count_rule_t rule, char *why,
                     size_t whylen)
{
    const pkg_t *p = v->pkg;
    int *local = NULL, *off = NULL, *items = NULL, i, j, n = 0, n_items = 0, rc = BN_ENOMEM;
    int64_t *cost = NULL, *points = NULL;
    count_profile_t prof;

    for (i = 0; i < p->n_projects; i++)
        n += p->projects[i].territory == tt->territory;
    tt->projects = malloc(((size_t)n + 1) * sizeof(int));
    tt->votes = calloc((size_t)n + 1, sizeof(int64_t));
    tt->score = calloc((size_t)n + 1, sizeof(int64_t));
    tt->selected = calloc((size_t)n + 1, sizeof(int));
    local = malloc(((size_t)p->n_projects + 1) * sizeof(int));
    cost = malloc(((size_t)n + 1) * sizeof(int64_t));
    if (tt->projects == NULL || tt->votes == NULL || tt->score == NULL || tt->selected == NULL ||
        local == NULL ||
        cost == NULL)
        goto out;
    tt->n_projects = 0;
    sort_numeric = 1;
    for (i = 0; i < p->n_projects; i++)
        if (p->projects[i].territory == tt->territory) {
            tt->projects[tt->n_projects++] = i;
            sort_numeric &= all_digits(p->projects[i].id);
        }
    sort_pkg = p;
    qsort(tt->projects, (size_t)n, sizeof(int), cmp_proj);
    for (i = 0; i < p->n_projects; i++)
        local[i] = -1;
    for (i = 0; i < n; i++) {
        local[tt->projects[i]] = i;
        cost[i] = p->projects[tt->projects[i]].cost;
    }
    tt->n_ballots = 0;
    for (i = 0; i < v->n_ballots; i++)
        if (v->ballots[i].valid && v->ballots[i].territory == tt->territory) {
            tt->n_ballots++;
            n_items += v->ballots[i].n;
        }
    off = malloc(((size_t)tt->n_ballots + 1) * sizeof(int));
    items = malloc(((size_t)n_items + 1) * sizeof(int));
    points = malloc(((size_t)n_items + 1) * sizeof(int64_t));
    if (off == NULL || items == NULL || points == NULL)
        goto out;
    off[0] = 0;
    for (i = 0, j = 0; i < v->n_ballots; i++) {
        const verify_ballot_t *b = &v->ballots[i];
        int k;

        if (!b->valid || b->territory != tt->territory)
            continue;
        off[j + 1] = off[j];
        for (k = 0; k < b->n; k++) {
            /* a score: a cumulative ballot's points; a ranking's L - k as
             * Pabulib reads an ordinal vote (L = max_length = rule.max) */
            points[off[j + 1]] = p->rule.ballot == PKG_BALLOT_CUMULATIVE ? b->pts[k]
                                 : p->rule.ballot == PKG_BALLOT_ORDINAL ? p->rule.max - k
                                                                        : 1;
            items[off[j + 1]++] = local[b->sel[k]];
        }
        j++;
    }
    memset(&prof, 0, sizeof prof);
    prof.n_projects = n;
    prof.cost = cost;
    prof.rank = NULL;           /* local order is id order */
    prof.n_voters = tt->n_ballots;
    prof.off = off;
    prof.items = items;
    prof.budget = p->territories[tt->territory].envelope;
    prof.points = p->rule.ballot == PKG_BALLOT_APPROVAL ? NULL : points;
    count_approvals(&prof, tt->votes);
    count_scores(&prof, tt->score);
    if ((rc = count_run(&prof, rule, &tt->res, why, whylen)) != 0)
        goto out;
    for (i = 0; i < tt->res.n_winners; i++)
        tt->selected[tt->res.winners[i]] = 1;
out:
    if (rc == BN_ENOMEM)
        bn_fail(why, whylen, rc, "out of memory");
    free(local);
    free(cost);
    free(off);
    free(items);
    free(points);
    return rc;
}

int tally_count(const verify_t *v, tally_count_t *out, char *why, size_t whylen)
{
    const pkg_t *p = v->pkg;
    int t, rc;

    memset(out, 0, sizeof *out);
    out->rule = rule_of(p->counting);
    if ((out->terr = calloc((size_t)p->n_territories + 1, sizeof *out->terr)) == NULL)
        return bn_fail(why, whylen, BN_ENOMEM, "out of memory");
    out->n_terr = p->n_territories;
    for (t = 0; t < p->n_territories; t++) {
        out->terr[t].territory = t;
        if ((rc = count_one(v, &out->terr[t], out->rule, why, whylen)) != 0) {
            tally_count_free(out);
            return rc;
        }
        out->ballots += out->terr[t].n_ballots;
    }
    if ((rc = turnout_compute(p, v, &out->turnout)) != 0) {
        tally_count_free(out);
        return bn_fail(why, whylen, rc, "turnout: %s", bn_strerror(rc));
    }
    return 0;
}

/* --- writing ----------------------------------------------------------------- */

typedef struct out_s {
    const char *dir;
    char *why;
    size_t whylen;
} out_t;

static FILE *open_out(const out_t *o, const char *name, char **path)
{
    FILE *f;

    if ((*path = malloc(strlen(o->dir) + strlen(name) + 2)) == NULL)
        return NULL;
    sprintf(*path, "%s/%s", o->dir, name);
    if ((f = fopen(*path, "wb")) == NULL)
        bn_fail(o->why, o->whylen, BN_EIO, "%s: %s", *path, strerror(errno));
    return f;
}

static int close_out(const out_t *o, FILE *f, char *path)
{
    int bad = ferror(f);

    if (fclose(f) != 0)
        bad = 1;
    if (bad)
        bn_fail(o->why, o->whylen, BN_EIO, "%s: write failed", path);
    free(path);
    return bad ? BN_EIO : 0;
}

static const char *text(const pkg_t *p, const pkg_text_t *t, const char *lang)
{
    const char *s = t->s[pkg_lang(p, lang)];

    return s != NULL ? s : "";
}

/* A CSV field, quoted (RFC 4180). */
static void csv_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static int write_csv(const out_t *o, const verify_t *v, const tally_terr_t *tt, int provisional)
{
    const pkg_t *p = v->pkg;
    char name[64], *path = NULL;
    FILE *f;
    int i;

    snprintf(name, sizeof name, "results-%s.csv", p->territories[tt->territory].id);
    if ((f = open_out(o, name, &path)) == NULL) {
        free(path);
        return path == NULL ? BN_ENOMEM : BN_EIO;
    }
    fputs("status,territory,project,cost,votes,selected,title\r\n", f);
    for (i = 0; i < tt->n_projects; i++) {
        const pkg_project_t *pr = &p->projects[tt->projects[i]];

        fprintf(f, "%s,%s,%s,%lld,%lld,%d,", provisional ? "provisional" : "certified",
                p->territories[tt->territory].id, pr->id, (long long)pr->cost,
                (long long)tt->votes[i], tt->selected[i]);
        csv_str(f, text(p, &pr->title, p->langs[0]));
        fputs("\r\n", f);
    }
    return close_out(o, f, path);
}

/* The words of turnout.csv and results.json for what is published of a
 * commune (turnout.h). */
const char *publish__shown_word(turnout_shown_t s)
{
    return s == TURNOUT_SHOWN ? "count" : s == TURNOUT_FEWER ? "fewer-than-10" : "hidden";
}

/* turnout.csv: a row per territory, then its communes (package order: by
 * INSEE code), then the row of the register entries whose commune is not
 * known (kiosks without a report, or whose report gives no communes).
 * (TURNOUT-T1) (TURNOUT-T2): a commune that is not shown has the word in place of its
 * count. */
static int write_turnout_csv(const out_t *o, const verify_t *v, const tally_count_t *c,
                             int provisional)
{
    const pkg_t *p = v->pkg;
    const turnout_t *tu = &c->turnout;
    const char *st = provisional ? "provisional" : "certified";
    char *path = NULL;
    FILE *f;
    int t, k;

    if ((f = open_out(o, "turnout.csv", &path)) == NULL) {
        free(path);
        return path == NULL ? BN_ENOMEM : BN_EIO;
    }
    fputs("status,level,territory,insee,participants,name\r\n", f);
    for (t = 0; t < p->n_territories; t++) {
        fprintf(f, "%s,territory,%s,,%lld,", st, p->territories[t].id,
                (long long)tu->terr[t].participants);
        csv_str(f, text(p, &p->territories[t].name, p->langs[0]));
        fputs("\r\n", f);
        for (k = 0; k < p->n_communes; k++) {
            const turnout_commune_t *tc = &tu->communes[k];

            if (pkg_commune_territory(p, k) != t)
                continue;
            fprintf(f, "%s,commune,%s,%s,", st, p->territories[t].id, p->communes[k].insee);
            if (tc->shown == TURNOUT_SHOWN)
                fprintf(f, "%lld,", (long long)tc->participants);
            else
                fprintf(f, "%s,", publish__shown_word(tc->shown)); /* (TURNOUT-T1) (TURNOUT-T2) */
            csv_str(f, p->communes[k].name);
            fputs("\r\n", f);
        }
    }
    fprintf(f, "%s,unknown,,,%lld,", st, (long long)tu->unknown_entries);
    csv_str(f, "unknown commune");
    fputs("\r\n", f);
    return close_out(o, f, path);
}

/* The turnout of territory t in results.json. */
static cJSON *turnout_json(const pkg_t *p, const turnout_t *tu, int t)
{
    cJSON *o = cJSON_CreateObject(), *a;
    int k;

    if (o == NULL)
        return NULL;
    cJSON_AddNumberToObject(o, "participants", (double)tu->terr[t].participants);
    if ((a = cJSON_AddArrayToObject(o, "communes")) == NULL) {
        cJSON_Delete(o);
        return NULL;
    }
    for (k = 0; k < p->n_communes; k++) {
        const turnout_commune_t *tc = &tu->communes[k];
        cJSON *jc;

        if (pkg_commune_territory(p, k) != t)
            continue;
        if ((jc = cJSON_CreateObject()) == NULL) {
            cJSON_Delete(o);
            return NULL;
        }
        cJSON_AddItemToArray(a, jc);
        cJSON_AddStringToObject(jc, "insee", p->communes[k].insee);
        cJSON_AddStringToObject(jc, "name", p->communes[k].name);
        cJSON_AddStringToObject(jc, "shown", publish__shown_word(tc->shown));
        if (tc->shown == TURNOUT_SHOWN)
            cJSON_AddNumberToObject(jc, "participants", (double)tc->participants);
        else
            cJSON_AddNullToObject(jc, "participants"); /* (TURNOUT-T1) (TURNOUT-T2) never the count */
    }
    return o;
}

/* A Pabulib field: quoted when it holds ';', '"' or a line break. */
static void pb_str(FILE *f, const char *s)
{
    if (strpbrk(s, ";\"\r\n") == NULL) {
        fputs(s, f);
        return;
    }
    csv_str(f, s);
}

static int write_pb(const out_t *o, const verify_t *v, const tally_terr_t *tt, rng_t *rng,
                    int provisional, count_rule_t rule)
{
    const pkg_t *p = v->pkg;
    char name[64], *path = NULL;
    int *order = NULL, i, j, n = 0, rc;
    FILE *f;

    if ((order = malloc(((size_t)tt->n_ballots + 1) * sizeof(int))) == NULL)
        return bn_fail(o->why, o->whylen, BN_ENOMEM, "out of memory");
    for (i = 0; i < v->n_ballots; i++)
        if (v->ballots[i].valid && v->ballots[i].territory == tt->territory)
            order[n++] = i;
    /* (PUB-P1) Fisher-Yates with the system's generator, rejection sampling so
     * that every order is equally likely. */
    for (i = n - 1; i > 0; i--) {
        uint32_t r, lim = UINT32_MAX - UINT32_MAX % (uint32_t)(i + 1);
        uint8_t b4[4];
        int t;

        do {
            if ((rc = rng_bytes(rng, b4, 4)) != 0) {
                free(order);
                return bn_fail(o->why, o->whylen, BN_ERNG, "random generator failed");
            }
            r = (uint32_t)b4[0] << 24 | (uint32_t)b4[1] << 16 | (uint32_t)b4[2] << 8 | b4[3];
        } while (r >= lim);
        j = (int)(r % (uint32_t)(i + 1));
        t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    snprintf(name, sizeof name, "ballots-%s.pb", p->territories[tt->territory].id);
    if ((f = open_out(o, name, &path)) == NULL) {
        free(order);
        free(path);
        return path == NULL ? BN_ENOMEM : BN_EIO;
    }
    fputs("META\nkey;value\n", f);
    fputs("description;", f);
    pb_str(f, text(p, &p->title, p->langs[0]));
    fputc('\n', f);
    fprintf(f, "country;France\nunit;%s\ninstance;%s\n", p->territories[tt->territory].id, p->id);
    fprintf(f, "num_projects;%d\nnum_votes;%d\nbudget;%lld\nvote_type;%s\nrule;%s\n",
            tt->n_projects, n, (long long)p->territories[tt->territory].envelope,
            p->rule.ballot == PKG_BALLOT_CUMULATIVE ? "cumulative"
            : p->rule.ballot == PKG_BALLOT_ORDINAL  ? "ordinal"
                                                    : "approval",
            count_rule_name(rule));
    fprintf(f, "min_length;%d\nmax_length;%d\n", p->rule.min, p->rule.max);
    if (p->rule.ballot == PKG_BALLOT_CUMULATIVE)
        fprintf(f, "max_sum_points;%d\nmax_points;%d\n", p->rule.points, p->rule.per_project);
    fprintf(f, "status;%s\n", provisional ? "provisional" : "certified");
    fputs(p->rule.ballot == PKG_BALLOT_APPROVAL ? "PROJECTS\nproject_id;cost;votes;selected;name\n"
                                                : "PROJECTS\nproject_id;cost;votes;score;selected;name\n",
          f);
    for (i = 0; i < tt->n_projects; i++) {
        const pkg_project_t *pr = &p->projects[tt->projects[i]];

        fprintf(f, "%s;%lld;%lld;", pr->id, (long long)pr->cost, (long long)tt->votes[i]);
        if (p->rule.ballot != PKG_BALLOT_APPROVAL)
            fprintf(f, "%lld;", (long long)tt->score[i]);
        fprintf(f, "%d;", tt->selected[i]);
        pb_str(f, text(p, &pr->title, p->langs[0]));
        fputc('\n', f);
    }
    fputs(p->rule.ballot == PKG_BALLOT_CUMULATIVE ? "VOTES\nvoter_id;vote;points\n"
                                                   : "VOTES\nvoter_id;vote\n",
          f);
    for (i = 0; i < n; i++) {
        const verify_ballot_t *b = &v->ballots[order[i]];
        int k;

        fprintf(f, "%d;", i + 1);
        for (k = 0; k < b->n; k++) /* an ordinal vote: most preferred first */
            fprintf(f, "%s%s", k ? "," : "", p->projects[b->sel[k]].id);
        if (p->rule.ballot == PKG_BALLOT_CUMULATIVE) {
            fputc(';', f);
            for (k = 0; k < b->n; k++)
                fprintf(f, "%s%d", k ? "," : "", b->pts[k]);
        }
        fputc('\n', f);
    }
    free(order);
    return close_out(o, f, path);
}

static int cmp_code(const void *a, const void *b)
{
    return memcmp(a, b, TRACK_TEXT_LEN);
}

static int write_codes(const out_t *o, const verify_t *v, const uint8_t *key, int provisional,
                       int64_t *n_codes)
{
    char (*codes)[TRACK_TEXT_LEN + 1] = NULL, *path = NULL;
    int i, n = 0;
    FILE *f;

    if ((codes = malloc(((size_t)v->n_ballots + 1) * sizeof *codes)) == NULL)
        return bn_fail(o->why, o->whylen, BN_ENOMEM, "out of memory");
    for (i = 0; i < v->n_ballots; i++)
        if (v->ballots[i].valid && track_code(key, v->ballots[i].id, codes[n++]) != 0) {
            free(codes);
            return bn_fail(o->why, o->whylen, BN_ECRYPTO, "tracking code failed");
        }
    qsort(codes, (size_t)n, sizeof *codes, cmp_code);  /* (PUB-P1) sorted, not in ballot order */
    if ((f = open_out(o, "tracking-codes.txt", &path)) == NULL) {
        free(codes);
        free(path);
        return path == NULL ? BN_ENOMEM : BN_EIO;
    }
    fprintf(f, "# %s: tracking codes of the %d counted ballots, sorted\n",
            provisional ? "PROVISIONAL" : "certified", n);
    for (i = 0; i < n; i++)
        fprintf(f, "%s\n", codes[i]);
    free(codes);
    *n_codes = n;
    return close_out(o, f, path);
}

static int write_report(const out_t *o, const verify_t *v, const publish_opts_t *po)
{
    char *path = NULL, hex[65];
    FILE *f;

    if ((f = open_out(o, "verification.txt", &path)) == NULL) {
        free(path);
        return path == NULL ? BN_ENOMEM : BN_EIO;
    }
    hex_encode(v->pkg->digest, 32, hex);
    fprintf(f, "borne-tally verification report\n");
    fprintf(f, "status: %s\n", po->provisional ? "PROVISIONAL (not certified)" :
            v->n_problems ? "NOT CERTIFIED" : "certified");
    fprintf(f, "campaign: %s, package sha256 %s%s%s\n", v->pkg->id, hex,
            po->package_file ? ", file " : "", po->package_file ? po->package_file : "");
    fputs(v->log != NULL ? v->log : "(report lost: out of memory)\n", f);
    return close_out(o, f, path);
}

static cJSON *text_json(const pkg_t *p, const pkg_text_t *t)
{
    cJSON *o = cJSON_CreateObject();
    int i;

    for (i = 0; o != NULL && i < p->n_langs; i++)
        cJSON_AddStringToObject(o, p->langs[i], t->s[i] != NULL ? t->s[i] : "");
    return o;
}

static int write_json(const out_t *o, const verify_t *v, const tally_count_t *c,
                      const publish_opts_t *po, int64_t n_codes)
{
    const pkg_t *p = v->pkg;
    cJSON *root = cJSON_CreateObject(), *camp, *ver, *terrs, *x;
    char hex[65], d1[11], d2[11], *s = NULL, *path = NULL, name[64];
    FILE *f;
    int t, i, rc = BN_ENOMEM;

    if (root == NULL)
        goto out;
    hex_encode(p->digest, 32, hex);
    day_format(p->opens, d1);
    day_format(p->closes, d2);
    cJSON_AddStringToObject(root, "format", "borne-results/1");
    cJSON_AddStringToObject(root, "status", po->provisional ? "provisional" : "certified");
    cJSON_AddBoolToObject(root, "provisional", po->provisional != 0);
    camp = cJSON_AddObjectToObject(root, "campaign");
    if (camp == NULL)
        goto out;
    cJSON_AddStringToObject(camp, "id", p->id);
    cJSON_AddItemToObject(camp, "title", text_json(p, &p->title));
    cJSON_AddStringToObject(camp, "package_sha256", hex);
    cJSON_AddStringToObject(camp, "counting", count_rule_name(c->rule));
    cJSON_AddStringToObject(camp, "polls_opens", d1);
    cJSON_AddStringToObject(camp, "polls_closes", d2);
    ver = cJSON_AddObjectToObject(root, "verification");
    if (ver == NULL)
        goto out;
    cJSON_AddNumberToObject(ver, "bundles", v->n_bundles);
    cJSON_AddNumberToObject(ver, "bundles_refused", v->n_bundles_refused);
    cJSON_AddNumberToObject(ver, "kiosks", v->n_kiosks);
    cJSON_AddNumberToObject(ver, "problems", v->n_problems);
    cJSON_AddNumberToObject(ver, "duplicate_participations", v->n_warnings);
    cJSON_AddStringToObject(ver, "report", "verification.txt");
    cJSON_AddNumberToObject(root, "ballots", (double)c->ballots);
    x = cJSON_AddObjectToObject(root, "turnout");
    if (x == NULL)
        goto out;
    cJSON_AddStringToObject(x, "csv", "turnout.csv");
    cJSON_AddNumberToObject(x, "min_shown", TURNOUT_MIN);
    cJSON_AddStringToObject(x, "source", "closing reports");
    cJSON_AddNumberToObject(x, "participants", (double)c->turnout.participants);
    cJSON_AddNumberToObject(x, "unknown_commune_entries", (double)c->turnout.unknown_entries);
    cJSON_AddNumberToObject(x, "excluded_entries", (double)c->turnout.excluded_entries);
    cJSON_AddBoolToObject(x, "complete", c->turnout.complete);
    if (po->track_key != NULL) {
        x = cJSON_AddObjectToObject(root, "tracking_codes");
        cJSON_AddStringToObject(x, "file", "tracking-codes.txt");
        cJSON_AddNumberToObject(x, "count", (double)n_codes);
    } else {
        cJSON_AddNullToObject(root, "tracking_codes");
    }
    terrs = cJSON_AddArrayToObject(root, "territories");
    if (terrs == NULL)
        goto out;
    for (t = 0; t < c->n_terr; t++) {
        const tally_terr_t *tt = &c->terr[t];
        const pkg_territory_t *pt = &p->territories[tt->territory];
        cJSON *jt = cJSON_CreateObject(), *pr, *w;

        if (jt == NULL)
            goto out;
        cJSON_AddItemToArray(terrs, jt);
        cJSON_AddStringToObject(jt, "id", pt->id);
        cJSON_AddItemToObject(jt, "name", text_json(p, &pt->name));
        cJSON_AddNumberToObject(jt, "envelope", (double)pt->envelope);
        cJSON_AddStringToObject(jt, "rule", count_rule_name(c->rule));
        cJSON_AddNumberToObject(jt, "ballots", tt->n_ballots);
        if ((x = turnout_json(p, &c->turnout, tt->territory)) == NULL)
            goto out;
        cJSON_AddItemToObject(jt, "turnout", x);
        snprintf(name, sizeof name, "ballots-%s.pb", pt->id);
        cJSON_AddStringToObject(jt, "pabulib", name);
        snprintf(name, sizeof name, "results-%s.csv", pt->id);
        cJSON_AddStringToObject(jt, "csv", name);
        cJSON_AddNumberToObject(jt, "cost_of_winners", (double)tt->res.cost);
        w = cJSON_AddArrayToObject(jt, "winners");
        pr = cJSON_AddArrayToObject(jt, "projects");
        if (w == NULL || pr == NULL)
            goto out;
        for (i = 0; i < tt->n_projects; i++) {
            const pkg_project_t *pp = &p->projects[tt->projects[i]];
            cJSON *jp = cJSON_CreateObject();

            if (jp == NULL)
                goto out;
            cJSON_AddItemToArray(pr, jp);
            cJSON_AddStringToObject(jp, "id", pp->id);
            cJSON_AddItemToObject(jp, "title", text_json(p, &pp->title));
            cJSON_AddNumberToObject(jp, "cost", (double)pp->cost);
            cJSON_AddNumberToObject(jp, "votes", (double)tt->votes[i]);
            if (p->rule.ballot != PKG_BALLOT_APPROVAL) /* points, or ranks as points */
                cJSON_AddNumberToObject(jp, "score", (double)tt->score[i]);
            cJSON_AddBoolToObject(jp, "selected", tt->selected[i] != 0);
            if (tt->selected[i])
                cJSON_AddItemToArray(w, cJSON_CreateString(pp->id));
        }
    }
    if ((s = cJSON_Print(root)) == NULL)
        goto out;
    if ((f = open_out(o, "results.json", &path)) == NULL) {
        rc = path == NULL ? BN_ENOMEM : BN_EIO;
        goto out;
    }
    fputs(s, f);
    fputc('\n', f);
    rc = close_out(o, f, path);
    path = NULL;
out:
    if (rc == BN_ENOMEM)
        bn_fail(o->why, o->whylen, rc, "out of memory");
    free(path);
    cJSON_free(s);
    cJSON_Delete(root);
    return rc;
}

int publish_write(const verify_t *v, const tally_count_t *c, const publish_opts_t *po,
                  const char *dir, char *why, size_t whylen)
{
    out_t o = {dir, why, whylen};
    rng_t *rng = NULL;
    int64_t n_codes = 0;
    int t, rc;

    if (mkdir(dir, 0755) != 0 && errno != EEXIST)
        return bn_fail(why, whylen, BN_EIO, "%s: %s", dir, strerror(errno));
    if ((rc = rng_open(&rng)) != 0)
        return bn_fail(why, whylen, BN_ERNG, "cannot open the random generator");
    for (t = 0; t < c->n_terr; t++) {
        if ((rc = write_csv(&o, v, &c->terr[t], po->provisional)) != 0 ||
            (rc = write_pb(&o, v, &c->terr[t], rng, po->provisional, c->rule)) != 0)
            goto out;
    }
    if ((rc = write_turnout_csv(&o, v, c, po->provisional)) != 0)
        goto out;
    if (po->track_key != NULL && (rc = write_codes(&o, v, po->track_key, po->provisional, &n_codes)) != 0)
        goto out;
    if ((rc = write_report(&o, v, po)) != 0 || (rc = write_json(&o, v, c, po, n_codes)) != 0 ||
        (rc = publish__html(dir, v, c, po, why, whylen)) != 0)
        goto out;
out:
    rng_close(rng);
    return rc;
}
