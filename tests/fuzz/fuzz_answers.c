/* fuzz_answers.c - libFuzzer target: a questionnaire's answers (issue 17),
 * decoded as a ballot of kind 4 and held to the questionnaire of
 * tests/vectors/pkg/questionnaire.json by answers_check. What answers_check
 * accepts is checked again here, rule by rule, by a plain reading of
 * docs/formats.md §1.10c: each answer's question exists, in increasing
 * order, of its type; one and yes/no one value, a scale within its ends,
 * several and a ranking within min..max distinct options, a text no value;
 * a follow-up only where its condition holds. Any disagreement aborts. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answers.h"
#include "ballot.h"
#include "pkg.h"

#ifndef FUZZ_QUESTIONNAIRE
#define FUZZ_QUESTIONNAIRE "tests/vectors/pkg/questionnaire.json"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static pkg_t *load(void)
{
    static char buf[65536];
    char why[256] = "";
    pkg_t *p = NULL;
    FILE *f = fopen(FUZZ_QUESTIONNAIRE, "rb");
    size_t n;

    if (f == NULL) {
        fprintf(stderr, "fuzz_answers: %s: cannot open\n", FUZZ_QUESTIONNAIRE);
        abort();
    }
    n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    if (pkg_parse(buf, n, &p, why, sizeof why) != 0 || p->kind != PKG_QUESTIONNAIRE) {
        fprintf(stderr, "fuzz_answers: %s: %s\n", FUZZ_QUESTIONNAIRE, why);
        abort();
    }
    return p;
}

/* The plain reading: 1 when every answer keeps its question's rule. */
static int keeps_rules(const pkg_t *p, const ballot_t *b)
{
    int i, j, k, prev = -1;

    for (i = 0; i < b->n; i++) {
        const ballot_answer_t *a = &b->answers[i];
        const pkg_question_t *q;
        int seen[PKG_OPTIONS_MAX] = {0};

        if (a->q >= p->questionnaire.n || (int)a->q <= prev)
            return 0;
        prev = a->q;
        q = &p->questionnaire.q[a->q];
        if ((int)a->type != (int)q->type)
            return 0;
        switch (q->type) {
        case PKG_Q_ONE:
            if (a->k != 1 || a->v[0] >= q->n_options)
                return 0;
            break;
        case PKG_Q_YESNO:
            if (a->k != 1 || a->v[0] > 1)
                return 0;
            break;
        case PKG_Q_SCALE:
            if (a->k != 1 || a->v[0] < q->from || a->v[0] > q->to)
                return 0;
            break;
        case PKG_Q_MANY:
        case PKG_Q_RANK:
            if (a->k < q->min || a->k > q->max)
                return 0;
            for (j = 0; j < a->k; j++) {
                if (a->v[j] >= q->n_options || seen[a->v[j]])
                    return 0;
                seen[a->v[j]] = 1;
            }
            break;
        case PKG_Q_TEXT:
            if (a->k != 0)
                return 0;
            break;
        default:
            return 0;
        }
        /* a follow-up: its condition among the answers before it */
        if (q->if_question >= 0) {
            int met = 0;

            for (j = 0; j < i; j++) {
                const ballot_answer_t *c = &b->answers[j];

                if (c->q != q->if_question)
                    continue;
                for (k = 0; k < c->k; k++)
                    met |= c->v[k] == q->if_answer;
            }
            if (!met)
                return 0;
        }
    }
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static pkg_t *p;
    ballot_t b;
    char why[256];
    int ok;

    if (p == NULL)
        p = load();
    if (ballot_decode(data, size, &b, why, sizeof why) != 0 || b.kind != BALLOT_KIND_ANSWERS)
        return 0;
    ok = answers_check(p, &b, why, sizeof why) == 0;
    /* the campaign and territory are answers_check's too */
    if (ok && (strcmp(b.campaign, p->id) != 0 || !keeps_rules(p, &b)))
        abort();
    if (!ok && strcmp(b.campaign, p->id) == 0 && keeps_rules(p, &b)) {
        int t, known = 0;

        for (t = 0; t < p->n_territories; t++)
            known |= strcmp(b.territory, p->territories[t].id) == 0;
        if (known) {
            fprintf(stderr, "fuzz_answers: refused, yet keeps every rule: %s\n", why);
            abort();
        }
    }
    return 0;
}
