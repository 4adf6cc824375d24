/* publish_pet.c - borne-tally publish and check for a petition
 * (publish.h, publish_petition; docs/results.md, "Petitions").
 *
 * (PUB-P2) DESIGN-S5: the files hold counts only, per canton and per
 *      day; no name (the identities stay sealed to the authority: publishing
 *      the signers who did not object is the authority's separate tool), no
 *      pseudonym, no signature id, no kiosk beside a signature. The tracking
 *      codes are sorted, so nothing pairs a code with a canton or a day. */
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
#include "petition.h"
#include "track.h"

static FILE *open_in(const char *dir, const char *name, const char *mode, char **path)
{
    if ((*path = malloc(strlen(dir) + strlen(name) + 2)) == NULL)
        return NULL;
    sprintf(*path, "%s/%s", dir, name);
    return fopen(*path, mode);
}

static int finish(FILE *f, char *path, char *why, size_t whylen)
{
    int bad = ferror(f);

    if (fclose(f) != 0)
        bad = 1;
    if (bad)
        bn_fail(why, whylen, BN_EIO, "%s: write failed", path);
    free(path);
    return bad ? BN_EIO : 0;
}

/* Opens dir/name for writing; NULL with why filled. */
static FILE *out_file(const char *dir, const char *name, char **path, char *why, size_t whylen)
{
    FILE *f = open_in(dir, name, "wb", path);

    if (f == NULL)
        bn_fail(why, whylen, *path == NULL ? BN_ENOMEM : BN_EIO, "%s/%s: %s", dir, name,
                strerror(errno));
    return f;
}

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

static const char *tname(const pkg_t *p, const pkg_text_t *t, int lang)
{
    const char *s = lang < p->n_langs ? t->s[lang] : NULL;

    return s != NULL ? s : t->s[0] != NULL ? t->s[0] : "";
}

static int cmp_code(const void *a, const void *b)
{
    return memcmp(a, b, TRACK_TEXT_LEN);
}

/* Tracking codes of the distinct records that count or were given to the
 * count (valid), sorted. */
static int write_codes(const verify_t *v, const publish_opts_t *o, const char *dir,
                       int64_t *n_codes, char *why, size_t whylen)
{
    const uint8_t *key = o->track_key;
    char (*codes)[TRACK_TEXT_LEN + 1] = NULL, *path = NULL;
    int i, n = 0;
    FILE *f;

    if ((codes = malloc(((size_t)v->n_sigs + 1) * sizeof *codes)) == NULL)
        return bn_fail(why, whylen, BN_ENOMEM, "out of memory");
    for (i = 0; i < v->n_sigs; i++)
        if (v->sigs[i].valid &&
            track_code(key, v->sigs[i].rec + PETITION_OFF_ID, codes[n++]) != 0) {
            free(codes);
            return bn_fail(why, whylen, BN_ECRYPTO, "tracking code failed");
        }
    qsort(codes, (size_t)n, sizeof *codes, cmp_code);
    if ((f = out_file(dir, "tracking-codes.txt", &path, why, whylen)) == NULL) {
        free(codes);
        free(path);
        return BN_EIO;
    }
    fprintf(f, "# %s: tracking codes of the %d valid signatures, sorted\n",
            o->provisional ? "PROVISIONAL" : "certified", n);
    for (i = 0; i < n; i++)
        fprintf(f, "%s\n", codes[i]);
    free(codes);
    *n_codes = n;
    return finish(f, path, why, whylen);
}

static int write_csvs(const verify_t *v, const publish_opts_t *o, const char *dir, char *why,
                      size_t whylen)
{
    const pkg_t *p = v->pkg;
    char *path = NULL, d[11];
    FILE *f;
    int i, rc;

    if ((f = out_file(dir, "signatures-cantons.csv", &path, why, whylen)) == NULL) {
        free(path);
        return BN_EIO;
    }
    if (o->provisional)
        fputs("# PROVISIONAL: not certified\n", f);
    fputs("canton,name,territory,signatures\n", f);
    for (i = 0; i < p->n_cantons; i++) {
        fprintf(f, "%s,", p->cantons[i].id);
        csv_str(f, p->cantons[i].name != NULL ? p->cantons[i].name : "");
        fprintf(f, ",%s,%lld\n",
                p->cantons[i].territory >= 0 ? p->territories[p->cantons[i].territory].id : "",
                (long long)v->canton_persons[i]);
    }
    if ((rc = finish(f, path, why, whylen)) != 0)
        return rc;
    if ((f = out_file(dir, "signatures-days.csv", &path, why, whylen)) == NULL) {
        free(path);
        return BN_EIO;
    }
    if (o->provisional)
        fputs("# PROVISIONAL: not certified\n", f);
    fputs("day,canton,signatures\n", f);
    for (i = 0; i < v->n_days; i++) {
        day_format(v->days[i].day, d);
        fprintf(f, "%s,%s,%lld\n", d, p->cantons[v->days[i].canton].id,
                (long long)v->days[i].persons);
    }
    return finish(f, path, why, whylen);
}

static int write_report(const verify_t *v, const publish_opts_t *o, const char *dir, char *why,
                        size_t whylen)
{
    char *path = NULL, hex[65];
    FILE *f;

    if ((f = out_file(dir, "verification.txt", &path, why, whylen)) == NULL) {
        free(path);
        return BN_EIO;
    }
    hex_encode(v->pkg->digest, 32, hex);
    fprintf(f, "borne-tally verification report\n");
    fprintf(f, "status: %s\n", o->provisional ? "PROVISIONAL (not certified)" :
            v->n_problems ? "NOT CERTIFIED" : "certified");
    fprintf(f, "petition: %s, package sha256 %s%s%s\n", v->pkg->id, hex,
            o->package_file ? ", file " : "", o->package_file ? o->package_file : "");
    fputs(v->log != NULL ? v->log : "(report lost: out of memory)\n", f);
    return finish(f, path, why, whylen);
}

static cJSON *text_json(const pkg_t *p, const pkg_text_t *t)
{
    cJSON *o = cJSON_CreateObject();
    int i;

    for (i = 0; o != NULL && i < p->n_langs; i++)
        cJSON_AddStringToObject(o, p->langs[i], t->s[i] != NULL ? t->s[i] : "");
    return o;
}

static int write_json(const verify_t *v, const publish_opts_t *o, const char *dir,
                      int64_t n_codes, char *why, size_t whylen)
{
    const pkg_t *p = v->pkg;
    const petition_count_t *pc = &v->petition;
    cJSON *root = cJSON_CreateObject(), *camp, *ver, *sig, *cant, *x;
    char hex[65], d[11], *s = NULL, *path = NULL;
    FILE *f;
    int i, rc = BN_ENOMEM;

    if (root == NULL)
        goto out;
    cJSON_AddStringToObject(root, "format", "borne-results/1");
    cJSON_AddStringToObject(root, "kind", "petition");
    cJSON_AddStringToObject(root, "status", o->provisional ? "provisional" : "certified");
    cJSON_AddBoolToObject(root, "provisional", o->provisional != 0);
    if ((camp = cJSON_AddObjectToObject(root, "campaign")) == NULL)
        goto out;
    hex_encode(p->digest, 32, hex);
    cJSON_AddStringToObject(camp, "id", p->id);
    cJSON_AddItemToObject(camp, "title", text_json(p, &p->title));
    cJSON_AddStringToObject(camp, "package_sha256", hex);
    day_format(p->opens, d);
    cJSON_AddStringToObject(camp, "opens", d);
    day_format(p->closes, d);
    cJSON_AddStringToObject(camp, "closes", d);
    cJSON_AddNumberToObject(camp, "threshold", p->petition.threshold);
    cJSON_AddNumberToObject(camp, "min_cantons", p->petition.min_cantons);
    cJSON_AddNumberToObject(camp, "min_age", p->min_age);
    if ((ver = cJSON_AddObjectToObject(root, "verification")) == NULL)
        goto out;
    cJSON_AddNumberToObject(ver, "bundles", v->n_bundles);
    cJSON_AddNumberToObject(ver, "bundles_refused", v->n_bundles_refused);
    cJSON_AddNumberToObject(ver, "kiosks", v->n_kiosks);
    cJSON_AddNumberToObject(ver, "problems", v->n_problems);
    cJSON_AddNumberToObject(ver, "duplicate_signatures", (double)pc->duplicates);
    cJSON_AddStringToObject(ver, "report", "verification.txt");
    if ((sig = cJSON_AddObjectToObject(root, "signatures")) == NULL)
        goto out;
    cJSON_AddNumberToObject(sig, "records", v->n_sigs);
    cJSON_AddNumberToObject(sig, "valid", (double)pc->valid);
    cJSON_AddNumberToObject(sig, "duplicates", (double)pc->duplicates);
    cJSON_AddNumberToObject(sig, "outside_window", (double)pc->outside);
    cJSON_AddNumberToObject(sig, "invalid", (double)(pc->invalid + pc->unknown_canton));
    cJSON_AddNumberToObject(root, "cantons_reached", pc->cantons);
    cJSON_AddBoolToObject(root, "reached", pc->reached != 0);
    if (pc->reached) {
        day_format(pc->reached_on, d);
        cJSON_AddStringToObject(root, "reached_on", d);
    } else {
        cJSON_AddNullToObject(root, "reached_on");
    }
    cJSON_AddStringToObject(root, "cantons_csv", "signatures-cantons.csv");
    cJSON_AddStringToObject(root, "days_csv", "signatures-days.csv");
    if (o->track_key != NULL) {
        x = cJSON_AddObjectToObject(root, "tracking_codes");
        cJSON_AddStringToObject(x, "file", "tracking-codes.txt");
        cJSON_AddNumberToObject(x, "count", (double)n_codes);
    } else {
        cJSON_AddNullToObject(root, "tracking_codes");
    }
    if ((cant = cJSON_AddArrayToObject(root, "cantons")) == NULL)
        goto out;
    for (i = 0; i < p->n_cantons; i++) {
        cJSON *jc = cJSON_CreateObject();

        if (jc == NULL)
            goto out;
        cJSON_AddItemToArray(cant, jc);
        cJSON_AddStringToObject(jc, "id", p->cantons[i].id);
        cJSON_AddStringToObject(jc, "name", p->cantons[i].name ? p->cantons[i].name : "");
        if (p->cantons[i].territory >= 0)
            cJSON_AddStringToObject(jc, "territory", p->territories[p->cantons[i].territory].id);
        cJSON_AddNumberToObject(jc, "signatures", (double)v->canton_persons[i]);
    }
    if ((s = cJSON_Print(root)) == NULL)
        goto out;
    if ((f = out_file(dir, "results.json", &path, why, whylen)) == NULL) {
        rc = BN_EIO;
        goto out;
    }
    fputs(s, f);
    fputc('\n', f);
    rc = finish(f, path, why, whylen);
    path = NULL;
out:
    if (rc == BN_ENOMEM)
        bn_fail(why, whylen, rc, "out of memory");
    free(path);
    cJSON_free(s);
    cJSON_Delete(root);
    return rc;
}

static void esc(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '<')
            fputs("&lt;", f);
        else if (*s == '>')
            fputs("&gt;", f);
        else if (*s == '&')
            fputs("&amp;", f);
        else if (*s == '"')
            fputs("&quot;", f);
        else
            fputc(*s, f);
    }
}

static void num(FILE *f, int64_t n, int fr)
{
    char b[32];
    int len, i;

    len = snprintf(b, sizeof b, "%lld", (long long)n);
    for (i = 0; i < len; i++) {
        if (i > 0 && (len - i) % 3 == 0 && b[i - 1] != '-')
            fputs(fr ? "&#8239;" : ",", f);
        fputc(b[i], f);
    }
}

static void lang_section(FILE *f, const verify_t *v, const publish_opts_t *o, int fr)
{
    const pkg_t *p = v->pkg;
    const petition_count_t *pc = &v->petition;
    int lang = pkg_lang(p, fr ? "fr" : "en"), i;
    int64_t max = 1;
    char d[11];

    fprintf(f, "<section lang=\"%s\">\n<h1>", fr ? "fr" : "en");
    esc(f, tname(p, &p->title, lang));
    fputs("</h1>\n", f);
    if (o->provisional || v->n_problems > 0)
        fprintf(f, "<p class=\"prov\">%s</p>\n", fr ? "RÉSULTATS PROVISOIRES : non certifiés"
                                                    : "PROVISIONAL RESULTS: not certified");
    fprintf(f, "<p class=\"big\">");
    num(f, pc->valid, fr);
    fprintf(f, fr ? " signatures sur " : " signatures of ");
    num(f, p->petition.threshold, fr);
    fprintf(f, fr ? " nécessaires ; %d cantons sur %d nécessaires</p>\n"
                  : " needed; %d cantons of %d needed</p>\n", pc->cantons, p->petition.min_cantons);
    if (pc->reached) {
        day_format(pc->reached_on, d);
        fprintf(f, "<p class=\"ok\">%s %s</p>\n", fr ? "Seuil atteint le" : "Threshold reached on",
                d);
    } else {
        fprintf(f, "<p>%s</p>\n", fr ? "Seuil non atteint." : "Threshold not reached.");
    }
    day_format(p->opens, d);
    fprintf(f, "<p>%s %s ", fr ? "Période de signature : du" : "Signing window: from", d);
    day_format(p->closes, d);
    fprintf(f, "%s %s. ", fr ? "au" : "to", d);
    fprintf(f, fr ? "Signatures en double (même personne) : %lld ; hors période : %lld.</p>\n"
                  : "Duplicate signatures (same person): %lld; outside the window: %lld.</p>\n",
            (long long)pc->duplicates, (long long)pc->outside);
    for (i = 0; i < p->n_cantons; i++)
        if (v->canton_persons[i] > max)
            max = v->canton_persons[i];
    fprintf(f, "<h2>%s</h2>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"760\" height=\"%d\" "
            "role=\"img\" aria-label=\"%s\">\n", fr ? "Signatures par canton" : "Signatures per canton",
            22 * p->n_cantons + 4, fr ? "Signatures par canton" : "Signatures per canton");
    for (i = 0; i < p->n_cantons; i++) {
        int w = (int)(v->canton_persons[i] * 400 / max), y = 22 * i + 2;

        fprintf(f, "<text x=\"0\" y=\"%d\" font-size=\"13\">", y + 14);
        esc(f, p->cantons[i].name ? p->cantons[i].name : p->cantons[i].id);
        fprintf(f, "</text><rect x=\"300\" y=\"%d\" width=\"%d\" height=\"16\" fill=\"#1f5fa8\"/>"
                "<text x=\"%d\" y=\"%d\" font-size=\"13\">%lld</text>\n", y, w, 306 + w, y + 14,
                (long long)v->canton_persons[i]);
    }
    fputs("</svg>\n", f);
    fprintf(f, "<h2>%s</h2>\n<p>%s</p>\n</section>\n", fr ? "Vérifier" : "How to verify",
            fr ? "Les fichiers results.json, signatures-cantons.csv et signatures-days.csv "
                 "donnent tous les chiffres ; <code>borne-tally check</code> les recalcule. "
                 "Aucun nom n'est publié ici."
               : "results.json, signatures-cantons.csv and signatures-days.csv hold every "
                 "figure; <code>borne-tally check</code> recomputes them. No name is published "
                 "here.");
}

static int write_html(const verify_t *v, const publish_opts_t *o, const char *dir, char *why,
                      size_t whylen)
{
    char *path = NULL;
    FILE *f = out_file(dir, "index.html", &path, why, whylen);

    if (f == NULL) {
        free(path);
        return BN_EIO;
    }
    fputs("<!DOCTYPE html>\n<html lang=\"fr\">\n<head><meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>", f);
    esc(f, tname(v->pkg, &v->pkg->title, 0));
    fputs("</title>\n<style>body{font-family:sans-serif;max-width:800px;margin:auto;padding:1em}"
          ".big{font-size:1.4em}.ok{color:#0a6b2d;font-weight:bold}.prov{color:#a00;"
          "font-weight:bold}</style>\n</head>\n<body>\n", f);
    lang_section(f, v, o, 1);
    fputs("<hr>\n", f);
    lang_section(f, v, o, 0);
    fputs("</body>\n</html>\n", f);
    return finish(f, path, why, whylen);
}

int publish_petition(const verify_t *v, const publish_opts_t *o, const char *dir, char *why,
                     size_t whylen)
{
    int64_t n_codes = 0;
    int rc;

    if (v->pkg->kind != PKG_PETITION)
        return bn_fail(why, whylen, BN_EINVAL, "%s is not a petition", v->pkg->id);
    if (mkdir(dir, 0755) != 0 && errno != EEXIST)
        return bn_fail(why, whylen, BN_EIO, "%s: %s", dir, strerror(errno));
    if (o->track_key != NULL && (rc = write_codes(v, o, dir, &n_codes, why, whylen)) != 0)
        return rc;
    if ((rc = write_csvs(v, o, dir, why, whylen)) != 0 ||
        (rc = write_report(v, o, dir, why, whylen)) != 0 ||
        (rc = write_json(v, o, dir, n_codes, why, whylen)) != 0 ||
        (rc = write_html(v, o, dir, why, whylen)) != 0)
        return rc;
    return 0;
}

/* --- check --------------------------------------------------------------------- */

typedef struct pchk_s {
    FILE *log;
    int bad;
} pchk_t;

static void disagree(pchk_t *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void disagree(pchk_t *c, const char *fmt, ...)
{
    va_list ap;

    fputs("DISAGREE ", c->log);
    va_start(ap, fmt);
    vfprintf(c->log, fmt, ap);
    va_end(ap);
    fputc('\n', c->log);
    c->bad = 1;
}

static int jint(pchk_t *c, const cJSON *o, const char *key, int64_t *out)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, key);

    if (!cJSON_IsNumber(x) || x->valuedouble < 0 || x->valuedouble > 9e15 ||
        x->valuedouble != (double)(int64_t)x->valuedouble) {
        disagree(c, "results.json: '%s' is not a count", key);
        return 0;
    }
    *out = (int64_t)x->valuedouble;
    return 1;
}

typedef struct ccount_s {
    char id[PKG_ID_MAX + 1];
    int64_t persons, from_days;
    int seen;
} ccount_t;

static int find_canton(ccount_t *cc, int n, const char *id)
{
    int i;

    for (i = 0; i < n; i++)
        if (strcmp(cc[i].id, id) == 0)
            return i;
    return -1;
}

/* Splits a CSV line of plain fields (the name field may be quoted: skipped). */
static int fields(char *line, char **f, int max)
{
    int n = 0;
    char *p = line;

    while (n < max) {
        f[n++] = p;
        if (*p == '"') {
            p++;
            while (*p && !(p[0] == '"' && p[1] != '"'))
                p += p[0] == '"' ? 2 : 1;
            if (*p == '"')
                p++;
        }
        p += strcspn(p, ",");
        if (*p != ',')
            break;
        *p++ = '\0';
    }
    return n;
}

int publish__check_petition(const char *dir, const void *rootp, FILE *log)
{
    const cJSON *root = rootp, *camp, *cant, *jc, *sig, *tc;
    pchk_t c = {log, 0};
    ccount_t *cc = NULL;
    int n_cc = 0, i, reached = 0, cantons = 0, seen_c = 0;
    int64_t threshold = 0, min_cantons = 0, valid = 0, jcantons = 0, persons = 0, cum = 0;
    char *path = NULL, line[512], reached_on[11] = "", prev_day[11] = "", day_now[11] = "";
    const cJSON *jr, *jro;
    FILE *f;

    camp = cJSON_GetObjectItemCaseSensitive(root, "campaign");
    sig = cJSON_GetObjectItemCaseSensitive(root, "signatures");
    cant = cJSON_GetObjectItemCaseSensitive(root, "cantons");
    jr = cJSON_GetObjectItemCaseSensitive(root, "reached");
    jro = cJSON_GetObjectItemCaseSensitive(root, "reached_on");
    if (!cJSON_IsObject(camp) || !cJSON_IsObject(sig) || !cJSON_IsArray(cant) || !cJSON_IsBool(jr) ||
        !jint(&c, camp, "threshold", &threshold) || !jint(&c, camp, "min_cantons", &min_cantons) ||
        !jint(&c, sig, "valid", &valid) || !jint(&c, root, "cantons_reached", &jcantons)) {
        disagree(&c, "results.json: campaign, signatures, cantons or reached missing");
        goto out;
    }
    if ((cc = calloc((size_t)cJSON_GetArraySize(cant) + 1, sizeof *cc)) == NULL) {
        disagree(&c, "out of memory");
        goto out;
    }
    cJSON_ArrayForEach(jc, cant) {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(jc, "id");

        if (!cJSON_IsString(id) || strlen(id->valuestring) > PKG_ID_MAX ||
            !jint(&c, jc, "signatures", &cc[n_cc].persons)) {
            disagree(&c, "results.json: cantons[%d] malformed", n_cc);
            goto out;
        }
        snprintf(cc[n_cc++].id, sizeof cc[0].id, "%s", id->valuestring);
    }
    /* signatures-days.csv: recompute everything, in day order */
    if ((f = open_in(dir, "signatures-days.csv", "rb", &path)) == NULL) {
        disagree(&c, "signatures-days.csv: cannot be read");
        goto out;
    }
    while (fgets(line, sizeof line, f) != NULL) {
        char *fl[4];
        int k;
        long long n;

        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '#' || line[0] == '\0' || strcmp(line, "day,canton,signatures") == 0)
            continue;
        if (fields(line, fl, 4) != 3 || strlen(fl[0]) != 10 || sscanf(fl[2], "%lld", &n) != 1 ||
            n < 1 || (k = find_canton(cc, n_cc, fl[1])) < 0) {
            disagree(&c, "signatures-days.csv: bad line '%s'", line);
            continue;
        }
        if (strcmp(fl[0], prev_day) < 0)
            disagree(&c, "signatures-days.csv: days not in order at %s", fl[0]);
        /* the end of the previous day: was the threshold reached then? */
        if (day_now[0] && strcmp(fl[0], day_now) != 0 && !reached && cum >= threshold &&
            seen_c >= min_cantons) {
            reached = 1;
            snprintf(reached_on, sizeof reached_on, "%s", day_now);
        }
        snprintf(day_now, sizeof day_now, "%s", fl[0]);
        snprintf(prev_day, sizeof prev_day, "%s", fl[0]);
        cum += n;
        cc[k].from_days += n;
        if (!cc[k].seen) {
            cc[k].seen = 1;
            seen_c++;
        }
    }
    fclose(f);
    free(path);
    path = NULL;
    if (day_now[0] && !reached && cum >= threshold && seen_c >= min_cantons) {
        reached = 1;
        snprintf(reached_on, sizeof reached_on, "%s", day_now);
    }
    for (i = 0; i < n_cc; i++) {
        persons += cc[i].from_days;
        cantons += cc[i].from_days > 0;
        if (cc[i].from_days != cc[i].persons)
            disagree(&c, "canton %s: results.json says %lld signatures, signatures-days.csv %lld",
                     cc[i].id, (long long)cc[i].persons, (long long)cc[i].from_days);
    }
    if (persons != valid)
        disagree(&c, "results.json: %lld valid signatures, signatures-days.csv adds up to %lld",
                 (long long)valid, (long long)persons);
    else
        fprintf(log, "checked signatures: %lld persons\n", (long long)persons);
    if (cantons != jcantons)
        disagree(&c, "results.json: %lld cantons reached, the recount %d", (long long)jcantons,
                 cantons);
    else
        fprintf(log, "checked cantons reached: %d\n", cantons);
    if (reached != cJSON_IsTrue(jr) ||
        (reached && (!cJSON_IsString(jro) || strcmp(jro->valuestring, reached_on) != 0)) ||
        (!reached && !cJSON_IsNull(jro)))
        disagree(&c, "results.json: reached %s on %s; the recount: %s%s",
                 cJSON_IsTrue(jr) ? "true" : "false",
                 cJSON_IsString(jro) ? jro->valuestring : "-", reached ? "reached on " : "not reached",
                 reached_on);
    else
        fprintf(log, "checked threshold (%lld from %lld cantons): %s%s\n", (long long)threshold,
                (long long)min_cantons, reached ? "reached on " : "not reached", reached_on);
    /* signatures-cantons.csv against the recount */
    if ((f = open_in(dir, "signatures-cantons.csv", "rb", &path)) == NULL) {
        disagree(&c, "signatures-cantons.csv: cannot be read");
        goto out;
    }
    i = 0;
    while (fgets(line, sizeof line, f) != NULL) {
        char *fl[5];
        long long n;
        int k;

        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '#' || line[0] == '\0' || strncmp(line, "canton,", 7) == 0)
            continue;
        if (fields(line, fl, 5) != 4 || sscanf(fl[3], "%lld", &n) != 1 ||
            (k = find_canton(cc, n_cc, fl[0])) < 0) {
            disagree(&c, "signatures-cantons.csv: bad line '%s'", line);
            continue;
        }
        i++;
        if (n != cc[k].from_days)
            disagree(&c, "signatures-cantons.csv: canton %s has %lld, the recount %lld", fl[0], n,
                     (long long)cc[k].from_days);
    }
    fclose(f);
    if (i != n_cc)
        disagree(&c, "signatures-cantons.csv: %d cantons, results.json %d", i, n_cc);
    else
        fprintf(log, "checked signatures-cantons.csv: %d cantons\n", i);
    /* tracking codes: sorted, as many as results.json says */
    tc = cJSON_GetObjectItemCaseSensitive(root, "tracking_codes");
    if (cJSON_IsObject(tc)) {
        int64_t n = 0, lines = 0;
        char prev[32] = "";

        free(path);
        path = NULL;
        if (!jint(&c, tc, "count", &n) || (f = open_in(dir, "tracking-codes.txt", "rb", &path)) == NULL) {
            disagree(&c, "tracking-codes.txt: cannot be read");
            goto out;
        }
        while (fgets(line, sizeof line, f) != NULL) {
            line[strcspn(line, "\r\n")] = '\0';
            if (line[0] == '#' || line[0] == '\0')
                continue;
            if (strlen(line) != 14 || strcmp(line, prev) <= 0)
                disagree(&c, "tracking-codes.txt: '%s' is not a code in sorted order", line);
            snprintf(prev, sizeof prev, "%.31s", line);
            lines++;
        }
        fclose(f);
        if (lines != n)
            disagree(&c, "tracking-codes.txt: %lld codes, results.json says %lld", (long long)lines,
                     (long long)n);
        else
            fprintf(log, "checked tracking-codes.txt: %lld codes, sorted\n", (long long)lines);
    }
out:
    free(path);
    free(cc);
    {
        const cJSON *st = cJSON_GetObjectItemCaseSensitive(root, "status");

        fprintf(log, "status in results.json: %s\n", cJSON_IsString(st) ? st->valuestring : "(none)");
    }
    fprintf(log, "%s\n", c.bad ? "check: the published figures DISAGREE with the recount" :
            "check: every published figure agrees with the recount");
    return c.bad ? 1 : 0;
}
