/* publish_quest.c - borne-tally for a questionnaire (issue 17): the count
 * per question, per territory and overall, and its publication
 * (docs/results.md, "Questionnaires").
 *
 * (PUB-P3) Small counts: no figure is ever given for a group of fewer than
 *      QUEST_MIN_GROUP respondents. A territory with fewer respondents is not
 *      shown, nor a question answered by fewer in a territory (or overall);
 *      and when the hidden groups of one level add up to fewer than
 *      QUEST_MIN_GROUP while the total is shown, the smallest shown group is
 *      hidden too, until they do not, so that no hidden figure can be worked
 *      out by subtracting shown ones from the total.
 * (PUB-P4) DESIGN-S1, S2: the answers are published as counts only; no
 *      answer set, no id, no kiosk, no day. The free texts are published
 *      only when the moderation accepted them (a decision per text,
 *      `--texts FILE`), by question, without their territory, in the order
 *      of their random ids; the tracking codes are sorted. */
#include "publish.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "answers.h"
#include "bn_err.h"
#include "hex.h"
#include "track.h"

/* The count of one group (overall, or one territory). */
typedef struct qscope_s {
    int64_t respondents;
    int shown;
    int64_t answered[PKG_QUESTIONS_MAX];
    int qshown[PKG_QUESTIONS_MAX];
    int64_t count[PKG_QUESTIONS_MAX][PKG_OPTIONS_MAX + 1]; /* options; scale values 0..10;
                                                               yes (1) and no (0) */
    int64_t first[PKG_QUESTIONS_MAX][PKG_OPTIONS_MAX];     /* rank: first preferences */
    int64_t borda[PKG_QUESTIONS_MAX][PKG_OPTIONS_MAX];     /* rank: Borda points */
    int64_t sum[PKG_QUESTIONS_MAX];                        /* scale: the sum of the numbers */
} qscope_t;

/* (PUB-P3) shown[i] for n groups of counts c[i]: each of QUEST_MIN_GROUP or
 * more, and the hidden ones adding up to QUEST_MIN_GROUP or more (or none). */
static void protect(const int64_t *c, int *shown, int n)
{
    int64_t hidden = 0;
    int i, any = 0;

    for (i = 0; i < n; i++) {
        shown[i] = c[i] >= QUEST_MIN_GROUP;
        if (!shown[i]) {
            hidden += c[i];
            any |= c[i] > 0;
        }
    }
    while (any && hidden < QUEST_MIN_GROUP) {
        int s = -1;

        for (i = 0; i < n; i++)
            if (shown[i] && (s < 0 || c[i] < c[s]))
                s = i;
        if (s < 0)
            break;
        shown[s] = 0;
        hidden += c[s];
    }
}

int quest_count(const verify_t *v, quest_count_t *out, char *why, size_t whylen)
{
    const pkg_t *p = v->pkg;
    int nt = p->n_territories, i, k, q, t;
    qscope_t *s;

    memset(out, 0, sizeof *out);
    if (p->kind != PKG_QUESTIONNAIRE)
        return bn_fail(why, whylen, BN_EKIND, "campaign '%s' is not a questionnaire", p->id);
    if ((s = calloc((size_t)nt + 1, sizeof *s)) == NULL)
        return bn_fail(why, whylen, BN_ENOMEM, "out of memory");
    out->scopes = s;
    out->n_scopes = nt + 1;
    for (i = 0; i < v->n_ballots; i++) {
        const verify_ballot_t *b = &v->ballots[i];
        int sc[2] = {0, b->territory + 1};

        if (!b->valid)
            continue;
        for (k = 0; k < 2; k++) {
            qscope_t *g = &s[sc[k]];

            g->respondents++;
            for (q = 0; q < b->n_ans; q++) {
                const ballot_answer_t *a = &b->ans[q];
                const pkg_question_t *pq = &p->questionnaire.q[a->q];
                int j;

                g->answered[a->q]++;
                switch (pq->type) {
                case PKG_Q_ONE:
                case PKG_Q_MANY:
                    for (j = 0; j < a->k; j++)
                        g->count[a->q][a->v[j]]++;
                    break;
                case PKG_Q_RANK:
                    /* Borda: the first of n options gets n - 1 points, the
                     * next n - 2 ..., an option not ranked none */
                    for (j = 0; j < a->k; j++) {
                        g->count[a->q][a->v[j]]++;
                        g->borda[a->q][a->v[j]] += pq->n_options - 1 - j;
                    }
                    if (a->k > 0)
                        g->first[a->q][a->v[0]]++;
                    break;
                case PKG_Q_SCALE:
                case PKG_Q_YESNO:
                    g->count[a->q][a->v[0]]++;
                    g->sum[a->q] += a->v[0];
                    break;
                default:
                    break;
                }
            }
        }
    }
    out->respondents = s[0].respondents;
    /* (PUB-P3) the territories, then each question in each of them */
    {
        int64_t c[256] = {0};
        int shown[256] = {0};

        if (nt > 256)
            nt = 256;
        for (t = 0; t < nt; t++)
            c[t] = s[t + 1].respondents;
        protect(c, shown, nt);
        s[0].shown = s[0].respondents >= QUEST_MIN_GROUP;
        for (t = 0; t < nt; t++)
            s[t + 1].shown = s[0].shown && shown[t];
        for (q = 0; q < p->questionnaire.n; q++) {
            s[0].qshown[q] = s[0].shown && s[0].answered[q] >= QUEST_MIN_GROUP;
            for (t = 0; t < nt; t++)
                c[t] = s[t + 1].shown ? s[t + 1].answered[q] : 0;
            protect(c, shown, nt);
            for (t = 0; t < nt; t++)
                s[t + 1].qshown[q] = s[t + 1].shown && s[0].qshown[q] && shown[t];
        }
    }
    return 0;
}

void quest_count_free(quest_count_t *c)
{
    free(c->scopes);
    memset(c, 0, sizeof *c);
}

/* --- moderation of the free texts ----------------------------------------------- */

static void ref_of(const uint8_t *id, char ref[13])
{
    hex_encode(id, 6, ref);
    ref[12] = '\0';
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

int quest_texts_csv(const verify_t *v, const char *path, char *why, size_t whylen)
{
    const pkg_t *p = v->pkg;
    FILE *f = fopen(path, "wb");
    int i, bad;

    if (f == NULL)
        return bn_fail(why, whylen, BN_EIO, "%s: %s", path, strerror(errno));
    fputs("ref;question;text;decision\r\n", f);
    for (i = 0; i < v->n_texts; i++) {
        const verify_text_t *t = &v->texts[i];
        char ref[13];

        if (!t->valid)
            continue;
        ref_of(t->id, ref);
        fprintf(f, "%s;%s;", ref, p->questionnaire.q[t->question].id);
        csv_str(f, t->text);
        fputs(";\r\n", f);
    }
    bad = ferror(f) != 0;
    if (fclose(f) != 0 || bad)
        return bn_fail(why, whylen, BN_EIO, "%s: write failed", path);
    return 0;
}

/* The decisions file: a line "REF;...;DECISION" per text (the CSV
 * quest_texts_csv wrote, the last field filled in: oui, yes, 1, publier,
 * accepted). *ok gets, per text of v, 1 when accepted. */
static int read_decisions(const verify_t *v, const char *path, int *ok, int *n_ok, char *why,
                          size_t whylen)
{
    FILE *f = fopen(path, "rb");
    char line[8192];
    int lineno = 0, i;

    *n_ok = 0;
    if (f == NULL)
        return bn_fail(why, whylen, BN_EIO, "--texts %s: %s", path, strerror(errno));
    while (fgets(line, sizeof line, f) != NULL) {
        char *last, ref[13];
        size_t n = strlen(line);

        lineno++;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r' || line[n - 1] == ' '))
            line[--n] = '\0';
        if (lineno == 1 && strncmp(line, "ref;", 4) == 0)
            continue;
        if (n == 0)
            continue;
        if (n < 13 || line[12] != ';' || strspn(line, "0123456789abcdef") != 12) {
            fclose(f);
            return bn_fail(why, whylen, BN_EFORMAT, "--texts %s:%d: a line starts with a text's "
                           "reference (12 hex digits) and a ';'", path, lineno);
        }
        memcpy(ref, line, 12);
        ref[12] = '\0';
        last = strrchr(line, ';') + 1;
        for (i = 0; i < v->n_texts; i++) {
            char r[13];

            ref_of(v->texts[i].id, r);
            if (strcmp(r, ref) == 0 && v->texts[i].valid &&
                (strcasecmp(last, "oui") == 0 || strcasecmp(last, "yes") == 0 ||
                 strcmp(last, "1") == 0 || strcasecmp(last, "publier") == 0 ||
                 strcasecmp(last, "accepted") == 0) && !ok[i]) {
                ok[i] = 1;
                (*n_ok)++;
            }
        }
    }
    fclose(f);
    return 0;
}

/* --- the files -------------------------------------------------------------------- */

typedef struct buf_s {
    char *s;
    size_t n, cap;
    int oom;
} buf_t;

static void bput(buf_t *b, const char *t)
{
    size_t n = strlen(t);

    if (b->oom)
        return;
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 16384;
        char *g;

        while (cap < b->n + n + 1)
            cap *= 2;
        if ((g = realloc(b->s, cap)) == NULL) {
            b->oom = 1;
            return;
        }
        b->s = g;
        b->cap = cap;
    }
    memcpy(b->s + b->n, t, n + 1);
    b->n += n;
}

static void bprintf(buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void bprintf(buf_t *b, const char *fmt, ...)
{
    char tmp[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    bput(b, tmp);
}

static void bhtml(buf_t *b, const char *t)
{
    char one[2] = {0, 0};

    for (; *t; t++) {
        if (*t == '<')
            bput(b, "&lt;");
        else if (*t == '>')
            bput(b, "&gt;");
        else if (*t == '&')
            bput(b, "&amp;");
        else if (*t == '"')
            bput(b, "&quot;");
        else {
            one[0] = *t;
            bput(b, one);
        }
    }
}

static int write_buf(const char *dir, const char *name, const buf_t *b, char *why, size_t whylen)
{
    char path[4096];
    FILE *f;
    int bad;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    if ((f = fopen(path, "wb")) == NULL)
        return bn_fail(why, whylen, BN_EIO, "%s: %s", path, strerror(errno));
    bad = fwrite(b->s != NULL ? b->s : "", 1, b->n, f) != b->n;
    bad |= fclose(f) != 0;
    return bad ? bn_fail(why, whylen, BN_EIO, "%s: write failed", path) : 0;
}

static const char *ptext(const pkg_t *p, const pkg_text_t *t, int lang)
{
    return lang < p->n_langs && t->s[lang] != NULL ? t->s[lang] : t->s[0] != NULL ? t->s[0] : "";
}

static const char *const types[] = {"one", "many", "rank", "scale", "yesno", "text"};

/* The answers one can give to question q, as (label, count) rows. */
static int rows_of(const pkg_t *p, const qscope_t *g, int q, int lang, const char **label,
                   int64_t *count, char (*num)[8])
{
    const pkg_question_t *pq = &p->questionnaire.q[q];
    int n = 0, j;

    switch (pq->type) {
    case PKG_Q_ONE:
    case PKG_Q_MANY:
    case PKG_Q_RANK:
        for (j = 0; j < pq->n_options; j++) {
            label[n] = ptext(p, &pq->options[j].name, lang);
            count[n++] = pq->type == PKG_Q_RANK ? g->first[q][j] : g->count[q][j];
        }
        break;
    case PKG_Q_SCALE:
        for (j = pq->from; j <= pq->to; j++) {
            snprintf(num[n], sizeof num[n], "%d", j);
            label[n] = num[n];
            count[n++] = g->count[q][j];
        }
        break;
    case PKG_Q_YESNO:
        label[n] = lang == 1 ? "Yes" : "Oui";
        count[n++] = g->count[q][1];
        label[n] = lang == 1 ? "No" : "Non";
        count[n++] = g->count[q][0];
        break;
    default:
        break;
    }
    return n;
}

static void json_scope(cJSON *arr, const pkg_t *p, const qscope_t *g, const char *id,
                       const char *name)
{
    cJSON *o = cJSON_CreateObject(), *qs;
    int q, j;

    cJSON_AddItemToArray(arr, o);
    cJSON_AddStringToObject(o, "id", id);
    cJSON_AddStringToObject(o, "name", name);
    cJSON_AddBoolToObject(o, "shown", g->shown);
    if (!g->shown) {
        cJSON_AddStringToObject(o, "respondents", "fewer-than-10-or-hidden");
        return;
    }
    cJSON_AddNumberToObject(o, "respondents", (double)g->respondents);
    qs = cJSON_AddArrayToObject(o, "questions");
    for (q = 0; q < p->questionnaire.n; q++) {
        const pkg_question_t *pq = &p->questionnaire.q[q];
        cJSON *x = cJSON_CreateObject(), *opts;

        cJSON_AddItemToArray(qs, x);
        cJSON_AddStringToObject(x, "id", pq->id);
        cJSON_AddStringToObject(x, "type", types[pq->type]);
        cJSON_AddBoolToObject(x, "shown", g->qshown[q]);
        if (!g->qshown[q])
            continue;
        cJSON_AddNumberToObject(x, "answered", (double)g->answered[q]);
        opts = cJSON_AddArrayToObject(x, "answers");
        if (pq->type == PKG_Q_ONE || pq->type == PKG_Q_MANY || pq->type == PKG_Q_RANK) {
            for (j = 0; j < pq->n_options; j++) {
                cJSON *a = cJSON_CreateObject();

                cJSON_AddItemToArray(opts, a);
                cJSON_AddStringToObject(a, "id", pq->options[j].id);
                cJSON_AddNumberToObject(a, "count", (double)g->count[q][j]);
                if (pq->type == PKG_Q_RANK) {
                    cJSON_AddNumberToObject(a, "first", (double)g->first[q][j]);
                    cJSON_AddNumberToObject(a, "borda", (double)g->borda[q][j]);
                }
            }
        } else if (pq->type == PKG_Q_SCALE) {
            for (j = pq->from; j <= pq->to; j++) {
                cJSON *a = cJSON_CreateObject();

                cJSON_AddItemToArray(opts, a);
                cJSON_AddNumberToObject(a, "value", j);
                cJSON_AddNumberToObject(a, "count", (double)g->count[q][j]);
            }
            cJSON_AddNumberToObject(x, "mean", g->answered[q] > 0
                                                   ? (double)(g->sum[q] * 100 / g->answered[q]) /
                                                         100.0
                                                   : 0.0);
        } else if (pq->type == PKG_Q_YESNO) {
            cJSON *a = cJSON_CreateObject(), *b = cJSON_CreateObject();

            cJSON_AddItemToArray(opts, a);
            cJSON_AddStringToObject(a, "id", "yes");
            cJSON_AddNumberToObject(a, "count", (double)g->count[q][1]);
            cJSON_AddItemToArray(opts, b);
            cJSON_AddStringToObject(b, "id", "no");
            cJSON_AddNumberToObject(b, "count", (double)g->count[q][0]);
        }
    }
}

static void csv_scope(buf_t *b, const pkg_t *p, const qscope_t *g, const char *id)
{
    int q, j;

    if (!g->shown) {
        bprintf(b, "%s;;;hidden;\r\n", id);
        return;
    }
    bprintf(b, "%s;;respondents;%lld;\r\n", id, (long long)g->respondents);
    for (q = 0; q < p->questionnaire.n; q++) {
        const pkg_question_t *pq = &p->questionnaire.q[q];

        if (!g->qshown[q]) {
            bprintf(b, "%s;%s;;hidden;\r\n", id, pq->id);
            continue;
        }
        bprintf(b, "%s;%s;answered;%lld;\r\n", id, pq->id, (long long)g->answered[q]);
        if (pq->type == PKG_Q_ONE || pq->type == PKG_Q_MANY || pq->type == PKG_Q_RANK)
            for (j = 0; j < pq->n_options; j++) {
                bprintf(b, "%s;%s;%s;%lld;", id, pq->id, pq->options[j].id,
                        (long long)g->count[q][j]);
                if (pq->type == PKG_Q_RANK)
                    bprintf(b, "first %lld borda %lld", (long long)g->first[q][j],
                            (long long)g->borda[q][j]);
                bput(b, "\r\n");
            }
        else if (pq->type == PKG_Q_SCALE)
            for (j = pq->from; j <= pq->to; j++)
                bprintf(b, "%s;%s;%d;%lld;\r\n", id, pq->id, j, (long long)g->count[q][j]);
        else if (pq->type == PKG_Q_YESNO)
            bprintf(b, "%s;%s;yes;%lld;\r\n%s;%s;no;%lld;\r\n", id, pq->id,
                    (long long)g->count[q][1], id, pq->id, (long long)g->count[q][0]);
    }
}

/* One question's block of the page: its words, then a bar per answer (the
 * figures written beside each bar: the chart is read, not guessed). */
static void html_question(buf_t *b, const pkg_t *p, const qscope_t *g, int q, int lang)
{
    const pkg_question_t *pq = &p->questionnaire.q[q];
    const char *label[PKG_OPTIONS_MAX + 2];
    int64_t count[PKG_OPTIONS_MAX + 2], max = 1;
    char num[PKG_OPTIONS_MAX + 2][8];
    int n, j;

    bput(b, "<section class=\"q\"><h3>");
    bhtml(b, ptext(p, &pq->text, lang));
    bput(b, "</h3>\n");
    if (!g->qshown[q]) {
        bput(b, lang == 1 ? "<p class=\"note\">Fewer than 10 answers here: not shown.</p>"
                          : "<p class=\"note\">Moins de 10 réponses ici : non affiché.</p>");
        bput(b, "</section>\n");
        return;
    }
    bprintf(b, lang == 1 ? "<p class=\"note\">%lld answers" : "<p class=\"note\">%lld réponses",
            (long long)g->answered[q]);
    if (pq->type == PKG_Q_RANK)
        bput(b, lang == 1 ? " — bars: first choices; Borda points in brackets"
                          : " — barres : premiers choix ; points Borda entre parenthèses");
    if (pq->type == PKG_Q_SCALE)
        bprintf(b, lang == 1 ? " — mean %.2f (%s %d, %s %d)" : " — moyenne %.2f (%s %d, %s %d)",
                g->answered[q] > 0 ? (double)g->sum[q] / (double)g->answered[q] : 0.0,
                ptext(p, &pq->low, lang), pq->from, ptext(p, &pq->high, lang), pq->to);
    if (pq->type == PKG_Q_MANY)
        bput(b, lang == 1 ? " — several answers per person" : " — plusieurs réponses par personne");
    bput(b, "</p>\n");
    if (pq->type == PKG_Q_TEXT) {
        bput(b, "</section>\n");
        return;
    }
    n = rows_of(p, g, q, lang, label, count, num);
    for (j = 0; j < n; j++)
        if (count[j] > max)
            max = count[j];
    bput(b, "<table class=\"bars\">\n");
    for (j = 0; j < n; j++) {
        int pct = g->answered[q] > 0 ? (int)(count[j] * 1000 / g->answered[q]) : 0;

        bput(b, "<tr><th scope=\"row\">");
        bhtml(b, label[j]);
        bprintf(b, "</th><td><div class=\"bar\" style=\"width:%d%%\"></div></td>"
                   "<td class=\"n\">%lld (%d,%d %%)",
                (int)(count[j] * 100 / max), (long long)count[j], pct / 10, pct % 10);
        if (pq->type == PKG_Q_RANK)
            bprintf(b, " (%lld)", (long long)g->borda[q][j]);
        bput(b, "</td></tr>\n");
    }
    bput(b, "</table></section>\n");
}

static void html_page(buf_t *b, const verify_t *v, const quest_count_t *c,
                      const publish_opts_t *o, const int *ok, int lang)
{
    const pkg_t *p = v->pkg;
    int t, q, i;

    bprintf(b, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
               "<meta name=\"viewport\" content=\"width=device-width\"><title>",
            lang == 1 ? "en" : "fr");
    bhtml(b, ptext(p, &p->title, lang));
    bput(b, "</title>\n<style>body{font-family:DejaVu Sans,Arial,sans-serif;max-width:62em;"
            "margin:1em auto;padding:0 1em;color:#1a1a1a;line-height:1.4}"
            "h2{border-bottom:2px solid #0a4f99;color:#0a4f99;margin-top:2em}"
            ".q{margin:1.2em 0}.q h3{font-size:1.1em;margin:.2em 0}"
            ".note{color:#3d3d3d;font-size:.95em;margin:.2em 0}"
            "table.bars{border-collapse:collapse;width:100%}"
            "table.bars th{text-align:left;font-weight:normal;width:40%;padding:.15em .5em .15em 0}"
            "table.bars td{padding:.15em 0}td.n{width:9em;text-align:right;white-space:nowrap}"
            ".bar{background:#0a4f99;height:1.1em;min-width:2px}"
            ".prov{background:#fff1dc;border:2px solid #7a3b00;padding:.5em}"
            "blockquote{border-left:4px solid #0a4f99;margin:.5em 0;padding:.2em .8em}"
            "</style></head>\n<body>\n<h1>");
    bhtml(b, ptext(p, &p->title, lang));
    bput(b, "</h1>\n");
    if (o->provisional)
        bput(b, lang == 1 ? "<p class=\"prov\">PROVISIONAL: not certified.</p>\n"
                          : "<p class=\"prov\">PROVISOIRE : non certifié.</p>\n");
    bprintf(b, lang == 1 ? "<p>%lld people answered. Figures for fewer than 10 people are never "
                           "shown (a territory, or a question in it).</p>\n"
                         : "<p>%lld personnes ont répondu. Les chiffres de moins de 10 personnes "
                           "ne sont jamais affichés (un territoire, ou une question dans un "
                           "territoire).</p>\n",
            (long long)c->respondents);
    bput(b, lang == 1 ? "<p><a href=\"index.html\">Français</a></p>\n"
                      : "<p><a href=\"index-en.html\">English</a></p>\n");
    for (t = 0; t < c->n_scopes; t++) {
        const qscope_t *g = &c->scopes[t];

        bput(b, "<h2>");
        if (t == 0)
            bput(b, lang == 1 ? "All respondents" : "Ensemble des répondants");
        else
            bhtml(b, ptext(p, &p->territories[t - 1].name, lang));
        bput(b, "</h2>\n");
        if (!g->shown) {
            bput(b, lang == 1 ? "<p class=\"note\">Fewer than 10 respondents, or hidden so that "
                                "no small group can be worked out: not shown.</p>\n"
                              : "<p class=\"note\">Moins de 10 répondants, ou masqué pour qu'aucun "
                                "petit groupe ne puisse être déduit : non affiché.</p>\n");
            continue;
        }
        bprintf(b, lang == 1 ? "<p class=\"note\">%lld respondents</p>\n"
                             : "<p class=\"note\">%lld répondants</p>\n",
                (long long)g->respondents);
        for (q = 0; q < p->questionnaire.n; q++)
            html_question(b, p, g, q, lang);
    }
    /* the free texts the moderation accepted, by question */
    bput(b, lang == 1 ? "<h2>Free answers (after moderation)</h2>\n"
                      : "<h2>Réponses libres (après modération)</h2>\n");
    for (q = 0; q < p->questionnaire.n; q++) {
        int any = 0;

        if (p->questionnaire.q[q].type != PKG_Q_TEXT)
            continue;
        bput(b, "<section class=\"q\"><h3>");
        bhtml(b, ptext(p, &p->questionnaire.q[q].text, lang));
        bput(b, "</h3>\n");
        for (i = 0; i < v->n_texts; i++)
            if (ok[i] && v->texts[i].question == q) {
                bput(b, "<blockquote>");
                bhtml(b, v->texts[i].text);
                bput(b, "</blockquote>\n");
                any = 1;
            }
        if (!any)
            bput(b, lang == 1 ? "<p class=\"note\">None published.</p>\n"
                              : "<p class=\"note\">Aucune publiée.</p>\n");
        bput(b, "</section>\n");
    }
    bput(b, "</body></html>\n");
}

static int cmp_code(const void *a, const void *b)
{
    return memcmp(a, b, TRACK_TEXT_LEN);
}

int publish_questionnaire(const verify_t *v, const quest_count_t *c, const publish_opts_t *o,
                          const char *texts_file, const char *dir, char *why, size_t whylen)
{
    const pkg_t *p = v->pkg;
    buf_t b = {NULL, 0, 0, 0};
    cJSON *root = NULL, *arr;
    char *json = NULL, (*codes)[TRACK_TEXT_LEN + 1] = NULL;
    int *ok = calloc((size_t)v->n_texts + 1, sizeof *ok), n_ok = 0, rc, t, i, nc = 0;

    if (ok == NULL)
        return bn_fail(why, whylen, BN_ENOMEM, "out of memory");
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
        rc = bn_fail(why, whylen, BN_EIO, "%s: %s", dir, strerror(errno));
        goto out;
    }
    if (texts_file != NULL && (rc = read_decisions(v, texts_file, ok, &n_ok, why, whylen)) != 0)
        goto out;
    /* results.json */
    root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "format", "borne-results/1");
    cJSON_AddStringToObject(root, "kind", "questionnaire");
    cJSON_AddStringToObject(root, "status", o->provisional ? "provisional" : "certified");
    cJSON_AddStringToObject(root, "campaign", p->id);
    cJSON_AddStringToObject(root, "title", ptext(p, &p->title, 0));
    cJSON_AddBoolToObject(root, "provisional", o->provisional);
    cJSON_AddNumberToObject(root, "min_group", QUEST_MIN_GROUP);
    cJSON_AddNumberToObject(root, "respondents", (double)c->respondents);
    if (o->track_key != NULL) {
        cJSON *tc = cJSON_AddObjectToObject(root, "tracking_codes");

        cJSON_AddStringToObject(tc, "file", "tracking-codes.txt");
        cJSON_AddNumberToObject(tc, "count", (double)c->respondents);
    } else {
        cJSON_AddNullToObject(root, "tracking_codes");
    }
    arr = cJSON_AddArrayToObject(root, "scopes");
    for (t = 0; t < c->n_scopes; t++)
        json_scope(arr, p, &c->scopes[t], t == 0 ? "all" : p->territories[t - 1].id,
                   t == 0 ? "all" : ptext(p, &p->territories[t - 1].name, 0));
    arr = cJSON_AddArrayToObject(root, "texts");
    for (i = 0; i < v->n_texts; i++)
        if (ok[i]) {
            cJSON *x = cJSON_CreateObject();

            cJSON_AddItemToArray(arr, x);
            cJSON_AddStringToObject(x, "question", p->questionnaire.q[v->texts[i].question].id);
            cJSON_AddStringToObject(x, "text", v->texts[i].text);
        }
    if (root == NULL || (json = cJSON_Print(root)) == NULL) {
        rc = bn_fail(why, whylen, BN_ENOMEM, "out of memory");
        goto out;
    }
    b.n = 0;
    bput(&b, json);
    bput(&b, "\n");
    if ((rc = write_buf(dir, "results.json", &b, why, whylen)) != 0)
        goto out;
    /* results.csv */
    b.n = 0;
    bput(&b, "scope;question;answer;count;rank\r\n");
    for (t = 0; t < c->n_scopes; t++)
        csv_scope(&b, p, &c->scopes[t], t == 0 ? "all" : p->territories[t - 1].id);
    if (b.oom || (rc = write_buf(dir, "results.csv", &b, why, whylen)) != 0)
        goto out;
    /* texts.csv: the accepted free texts */
    b.n = 0;
    bput(&b, "question;text\r\n");
    for (i = 0; i < v->n_texts; i++)
        if (ok[i]) {
            char *q = NULL;
            size_t qn = 0;
            FILE *m = open_memstream(&q, &qn);

            if (m == NULL)
                continue;
            fprintf(m, "%s;", p->questionnaire.q[v->texts[i].question].id);
            csv_str(m, v->texts[i].text);
            fputs("\r\n", m);
            fclose(m);
            bput(&b, q);
            free(q);
        }
    if (b.oom || (rc = write_buf(dir, "texts.csv", &b, why, whylen)) != 0)
        goto out;
    /* the pages */
    for (i = 0; i < 2 && i < p->n_langs + 1; i++) {
        b.n = 0;
        html_page(&b, v, c, o, ok, i);
        if (b.oom || (rc = write_buf(dir, i == 0 ? "index.html" : "index-en.html", &b, why,
                                     whylen)) != 0)
            goto out;
    }
    /* verification.txt, tracking-codes.txt */
    b.n = 0;
    bput(&b, v->log != NULL ? v->log : "");
    if ((rc = write_buf(dir, "verification.txt", &b, why, whylen)) != 0)
        goto out;
    if (o->track_key != NULL) {
        if ((codes = malloc(((size_t)v->n_ballots + 1) * sizeof *codes)) == NULL) {
            rc = bn_fail(why, whylen, BN_ENOMEM, "out of memory");
            goto out;
        }
        for (i = 0; i < v->n_ballots; i++)
            if (v->ballots[i].valid && track_code(o->track_key, v->ballots[i].id, codes[nc++]) != 0) {
                rc = bn_fail(why, whylen, BN_ECRYPTO, "tracking code failed");
                goto out;
            }
        qsort(codes, (size_t)nc, sizeof *codes, cmp_code); /* (PUB-P4) */
        b.n = 0;
        bprintf(&b, "# %s: tracking codes of the %d answer sets counted, sorted\n",
                o->provisional ? "PROVISIONAL" : "certified", nc);
        for (i = 0; i < nc; i++) {
            bput(&b, codes[i]);
            bput(&b, "\n");
        }
        if ((rc = write_buf(dir, "tracking-codes.txt", &b, why, whylen)) != 0)
            goto out;
    }
    rc = b.oom ? bn_fail(why, whylen, BN_ENOMEM, "out of memory") : 0;
out:
    free(ok);
    free(codes);
    free(b.s);
    cJSON_free(json);
    cJSON_Delete(root);
    (void)n_ok;
    return rc;
}
