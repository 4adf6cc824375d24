/* check_quest.c - borne-tally check DIR for a questionnaire (issue 17):
 * what an observer can hold the published files to without the ballots
 * (docs/results.md, "Questionnaires").
 *
 * A questionnaire publishes counts only (PUB-P4): no answer set to recount
 * from. What can be checked from outside is checked:
 *   - (PUB-P3) the small-count protection itself: no figure for a group of
 *     fewer than min_group respondents, and no territory (or question in a
 *     territory) that the total less the shown ones would give away;
 *   - every question's figures against each other: one answer, a scale,
 *     yes/no and a ranking's first preferences add up to those who answered;
 *     several answers and rankings stay within them; Borda points within
 *     count x (options - 1); a scale's mean from its counts;
 *   - the territories within the total, option by option;
 *   - results.csv and texts.csv say what results.json says, line for line;
 *   - the tracking codes sorted, as many as the respondents.
 * The de-duplication and the verification need the bundles: run verify. */
#include "publish.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

typedef struct qchk_s {
    FILE *log;
    int bad;
} qchk_t;

static void disagree(qchk_t *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void disagree(qchk_t *c, const char *fmt, ...)
{
    va_list ap;

    fputs("DISAGREE ", c->log);
    va_start(ap, fmt);
    vfprintf(c->log, fmt, ap);
    va_end(ap);
    fputc('\n', c->log);
    c->bad = 1;
}

/* A count: a whole number from 0 to 9e15, else -1. */
static int64_t num(const cJSON *o, const char *key)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, key);

    if (!cJSON_IsNumber(x) || x->valuedouble < 0 || x->valuedouble > 9e15 ||
        x->valuedouble != (double)(int64_t)x->valuedouble)
        return -1;
    return (int64_t)x->valuedouble;
}

static const char *str(const cJSON *o, const char *key)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, key);

    return cJSON_IsString(x) ? x->valuestring : NULL;
}

static const cJSON *question_in(const cJSON *scope, const char *id)
{
    const cJSON *q;

    cJSON_ArrayForEach(q, cJSON_GetObjectItemCaseSensitive(scope, "questions")) {
        const char *qid = str(q, "id");

        if (qid != NULL && strcmp(qid, id) == 0)
            return q;
    }
    return NULL;
}

static int64_t answer_count(const cJSON *q, const char *key, const char *id, int value)
{
    const cJSON *a;

    cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(q, "answers")) {
        const char *aid = str(a, "id");

        if (id != NULL ? aid != NULL && strcmp(aid, id) == 0 : num(a, "value") == value)
            return num(a, key);
    }
    return -1;
}

/* One shown question of one shown scope: its figures against each other. */
static void check_question(qchk_t *c, const char *scope, const cJSON *q, int64_t respondents,
                           int64_t min_group)
{
    const char *id = str(q, "id"), *type = str(q, "type");
    int64_t answered = num(q, "answered"), sum = 0, first = 0, wsum = 0, n = 0, k, b, f;
    const cJSON *a, *answers = cJSON_GetObjectItemCaseSensitive(q, "answers");

    if (id == NULL || type == NULL || answered < 0 || !cJSON_IsArray(answers)) {
        disagree(c, "results.json: scope %s: a question without id, type, answered or answers",
                 scope);
        return;
    }
    if (answered < min_group) /* (PUB-P3) */
        disagree(c, "scope %s, question %s: %lld answers shown, fewer than %lld", scope, id,
                 (long long)answered, (long long)min_group);
    if (answered > respondents)
        disagree(c, "scope %s, question %s: %lld answers of %lld respondents", scope, id,
                 (long long)answered, (long long)respondents);
    cJSON_ArrayForEach(a, answers) {
        if ((k = num(a, "count")) < 0) {
            disagree(c, "scope %s, question %s: an answer without a count", scope, id);
            return;
        }
        if (k > answered)
            disagree(c, "scope %s, question %s: an answer counted %lld times of %lld answers",
                     scope, id, (long long)k, (long long)answered);
        sum += k;
        wsum += k * num(a, "value");
        n++;
    }
    if (strcmp(type, "one") == 0 || strcmp(type, "scale") == 0 || strcmp(type, "yesno") == 0) {
        if (sum != answered)
            disagree(c, "scope %s, question %s (%s): the answers add up to %lld, not %lld", scope,
                     id, type, (long long)sum, (long long)answered);
    } else if ((strcmp(type, "many") == 0 || strcmp(type, "rank") == 0) && sum < answered) {
        disagree(c, "scope %s, question %s (%s): %lld choices for %lld answers", scope, id, type,
                 (long long)sum, (long long)answered);
    }
    if (strcmp(type, "rank") == 0) {
        cJSON_ArrayForEach(a, answers) {
            k = num(a, "count");
            b = num(a, "borda");
            f = num(a, "first");
            if (b < 0 || f < 0 || b > k * (n - 1) || f > k)
                disagree(c, "scope %s, question %s: option %s: %lld first, %lld Borda points for "
                         "%lld rankings", scope, id, str(a, "id") ? str(a, "id") : "?",
                         (long long)f, (long long)b, (long long)k);
            first += f < 0 ? 0 : f;
        }
        if (first != answered)
            disagree(c, "scope %s, question %s: %lld first preferences for %lld rankings", scope,
                     id, (long long)first, (long long)answered);
    }
    if (strcmp(type, "scale") == 0 && answered > 0) {
        const cJSON *m = cJSON_GetObjectItemCaseSensitive(q, "mean");
        double want = (double)(wsum * 100 / answered) / 100.0;

        if (!cJSON_IsNumber(m) || m->valuedouble != want)
            disagree(c, "scope %s, question %s: mean %s, the counts give %.2f", scope, id,
                     cJSON_IsNumber(m) ? "given" : "missing", want);
    }
}

/* results.csv as publish_questionnaire writes it, from results.json alone. */
static void csv_of(FILE *m, const cJSON *scopes)
{
    const cJSON *s, *q, *a;

    cJSON_ArrayForEach(s, scopes) {
        const char *id = str(s, "id") ? str(s, "id") : "";

        if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(s, "shown"))) {
            fprintf(m, "%s;;;hidden;\r\n", id);
            continue;
        }
        fprintf(m, "%s;;respondents;%lld;\r\n", id, (long long)num(s, "respondents"));
        cJSON_ArrayForEach(q, cJSON_GetObjectItemCaseSensitive(s, "questions")) {
            const char *qid = str(q, "id") ? str(q, "id") : "", *type = str(q, "type");

            if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(q, "shown"))) {
                fprintf(m, "%s;%s;;hidden;\r\n", id, qid);
                continue;
            }
            fprintf(m, "%s;%s;answered;%lld;\r\n", id, qid, (long long)num(q, "answered"));
            cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(q, "answers")) {
                if (str(a, "id") != NULL)
                    fprintf(m, "%s;%s;%s;%lld;", id, qid, str(a, "id"), (long long)num(a, "count"));
                else
                    fprintf(m, "%s;%s;%lld;%lld;", id, qid, (long long)num(a, "value"),
                            (long long)num(a, "count"));
                if (type != NULL && strcmp(type, "rank") == 0)
                    fprintf(m, "first %lld borda %lld", (long long)num(a, "first"),
                            (long long)num(a, "borda"));
                fputs("\r\n", m);
            }
        }
    }
}

static void texts_of(FILE *m, const cJSON *texts)
{
    const cJSON *t;

    fputs("question;text\r\n", m);
    cJSON_ArrayForEach(t, texts) {
        const char *s = str(t, "text");

        fprintf(m, "%s;\"", str(t, "question") ? str(t, "question") : "");
        for (; s != NULL && *s; s++) {
            if (*s == '"')
                fputc('"', m);
            fputc(*s, m);
        }
        fputs("\"\r\n", m);
    }
}

/* A file of dir against the bytes it should hold. */
static void same_file(qchk_t *c, const char *dir, const char *name, const char *want, size_t n)
{
    char path[4096];
    FILE *f;
    char *got;
    size_t len;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    if ((f = fopen(path, "rb")) == NULL) {
        disagree(c, "%s: cannot be read", name);
        return;
    }
    got = malloc(n + 2);
    len = got != NULL ? fread(got, 1, n + 1, f) : 0;
    fclose(f);
    if (got == NULL) {
        disagree(c, "out of memory");
        return;
    }
    if (len != n || memcmp(got, want, n) != 0) {
        size_t i = 0, line = 1;

        while (i < len && i < n && got[i] == want[i])
            line += got[i++] == '\n';
        disagree(c, "%s: line %zu differs from results.json", name, line);
    } else {
        fprintf(c->log, "checked %s: as results.json says\n", name);
    }
    free(got);
}

int publish__check_questionnaire(const char *dir, const void *rootp, FILE *log)
{
    const cJSON *root = rootp, *scopes, *all = NULL, *s, *q, *a, *tc;
    qchk_t c = {log, 0};
    int64_t min_group = num(root, "min_group"), respondents = num(root, "respondents");
    int64_t shown_sum = 0, n_scopes = 0, hidden_terr = 0;
    char *buf = NULL;
    size_t len = 0;
    FILE *m;

    scopes = cJSON_GetObjectItemCaseSensitive(root, "scopes");
    if (min_group < 1 || respondents < 0 || !cJSON_IsArray(scopes) ||
        (all = cJSON_GetArrayItem(scopes, 0)) == NULL || str(all, "id") == NULL ||
        strcmp(str(all, "id"), "all") != 0) {
        disagree(&c, "results.json: min_group, respondents or scopes (the first 'all') missing");
        goto out;
    }
    /* (PUB-P3) each group shown, and what subtraction would give */
    cJSON_ArrayForEach(s, scopes) {
        const char *id = str(s, "id") ? str(s, "id") : "?";
        int shown = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(s, "shown"));
        int64_t r = num(s, "respondents");

        n_scopes++;
        if (!shown) {
            hidden_terr += s != all;
            if (cJSON_GetObjectItemCaseSensitive(s, "questions") != NULL)
                disagree(&c, "scope %s: hidden, yet its questions are given", id);
            continue;
        }
        if (r < 0) {
            disagree(&c, "results.json: scope %s: shown without its respondents", id);
            continue;
        }
        if (r < min_group)
            disagree(&c, "scope %s: %lld respondents shown, fewer than %lld (PUB-P3)", id,
                     (long long)r, (long long)min_group);
        if (s != all) {
            if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(all, "shown")))
                disagree(&c, "scope %s: shown while the whole is hidden", id);
            shown_sum += r;
        }
        cJSON_ArrayForEach(q, cJSON_GetObjectItemCaseSensitive(s, "questions"))
            if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(q, "shown")))
                check_question(&c, id, q, r, min_group);
    }
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(all, "shown"))) {
        int64_t left = respondents - shown_sum;

        if (num(all, "respondents") != respondents)
            disagree(&c, "results.json: %lld respondents, the scope 'all' %lld",
                     (long long)respondents, (long long)num(all, "respondents"));
        if (left < 0 || (left > 0 && left < min_group))
            disagree(&c, "the total less the territories shown gives %lld respondents (PUB-P3)",
                     (long long)left);
        /* each question, each answer: the territories within the total; a
         * question hidden in some territory only: the rest not given away */
        cJSON_ArrayForEach(q, cJSON_GetObjectItemCaseSensitive(all, "questions")) {
            const char *qid = str(q, "id");
            int64_t qleft = num(q, "answered");

            if (qid == NULL || !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(q, "shown")))
                continue;
            cJSON_ArrayForEach(s, scopes) {
                const cJSON *tq = s != all ? question_in(s, qid) : NULL;

                if (tq == NULL || !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(tq, "shown")))
                    continue;
                qleft -= num(tq, "answered");
                cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(tq, "answers")) {
                    const char *aid = str(a, "id");
                    int64_t whole = answer_count(q, "count", aid, (int)num(a, "value"));

                    if (whole < num(a, "count"))
                        disagree(&c, "question %s: territory %s counts %lld for %s, the whole "
                                 "%lld", qid, str(s, "id"), (long long)num(a, "count"),
                                 aid != NULL ? aid : "a value", (long long)whole);
                }
            }
            if (qleft < 0 || (hidden_terr == 0 && qleft > 0 && qleft < min_group))
                disagree(&c, "question %s: the total less the territories shown gives %lld "
                         "answers (PUB-P3)", qid, (long long)qleft);
        }
    } else if (respondents >= min_group) {
        disagree(&c, "results.json: %lld respondents, yet the whole is hidden",
                 (long long)respondents);
    }
    fprintf(log, "checked %lld scopes: no group under %lld shown, none given away by "
            "subtraction%s\n", (long long)n_scopes, (long long)min_group,
            c.bad ? " (but see above)" : "");
    /* results.csv and texts.csv: what results.json says */
    if ((m = open_memstream(&buf, &len)) == NULL) {
        disagree(&c, "out of memory");
        goto out;
    }
    fputs("scope;question;answer;count;rank\r\n", m);
    csv_of(m, scopes);
    fclose(m);
    same_file(&c, dir, "results.csv", buf, len);
    free(buf);
    buf = NULL;
    if ((m = open_memstream(&buf, &len)) == NULL) {
        disagree(&c, "out of memory");
        goto out;
    }
    texts_of(m, cJSON_GetObjectItemCaseSensitive(root, "texts"));
    fclose(m);
    same_file(&c, dir, "texts.csv", buf, len);
    /* the tracking codes: sorted, one per respondent */
    tc = cJSON_GetObjectItemCaseSensitive(root, "tracking_codes");
    if (cJSON_IsObject(tc)) {
        char path[4096], line[128], prev[32] = "";
        int64_t lines = 0;
        FILE *f;

        snprintf(path, sizeof path, "%s/tracking-codes.txt", dir);
        if ((f = fopen(path, "rb")) == NULL) {
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
        if (lines != num(tc, "count") || lines != respondents)
            disagree(&c, "tracking-codes.txt: %lld codes, results.json says %lld and %lld "
                     "respondents", (long long)lines, (long long)num(tc, "count"),
                     (long long)respondents);
        else
            fprintf(log, "checked tracking-codes.txt: %lld codes, sorted\n", (long long)lines);
    }
out:
    free(buf);
    fprintf(log, "status in results.json: %s\n", str(root, "status") ? str(root, "status") : "(none)");
    fprintf(log, "%s\n", c.bad ? "check: the published figures DISAGREE with each other"
                               : "check: every published figure agrees (a questionnaire "
                                 "publishes counts only: verify recounts from the bundles)");
    return c.bad ? 1 : 0;
}
