/* answers.c - a questionnaire's rules over kind-4 ballots, and the free-text
 * record (answers.h). */
#include "answers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/platform_util.h>

#include "bn_err.h"
#include "wire.h"

/* The answer to question q in a[0..n), or NULL. */
static const ballot_answer_t *answer_to(const ballot_answer_t *a, int n, int q)
{
    int i;

    for (i = 0; i < n; i++)
        if (a[i].q == q)
            return &a[i];
    return NULL;
}

int answers_asked(const pkg_t *p, int q, const ballot_answer_t *a, int n)
{
    const pkg_question_t *x;
    const ballot_answer_t *e;
    int i;

    if (q < 0 || q >= p->questionnaire.n)
        return 0;
    x = &p->questionnaire.q[q];
    if (x->if_question < 0)
        return 1;
    /* the condition's question must itself have been asked and answered */
    if (!answers_asked(p, x->if_question, a, n) ||
        (e = answer_to(a, n, x->if_question)) == NULL)
        return 0;
    for (i = 0; i < e->k; i++)
        if (e->v[i] == x->if_answer)
            return 1;
    return 0;
}

int answers_check(const pkg_t *p, const ballot_t *b, char *why, size_t whylen)
{
    int i, j;

    if (p == NULL || b == NULL || p->kind != PKG_QUESTIONNAIRE || b->kind != BALLOT_KIND_ANSWERS)
        return bn_fail(why, whylen, BN_EINVAL, "not a questionnaire's answers");
    if (strcmp(b->campaign, p->id) != 0)
        return bn_fail(why, whylen, BN_ERULE, "answers of campaign %s, not %s", b->campaign,
                       p->id);
    if (pkg_find_territory(p, b->territory) < 0)
        return bn_fail(why, whylen, BN_ERULE, "territory %s is not in %s", b->territory, p->id);
    for (i = 0; i < b->n; i++) {
        const ballot_answer_t *a = &b->answers[i];
        const pkg_question_t *q;

        if (a->q >= p->questionnaire.n)
            return bn_fail(why, whylen, BN_ERULE, "answer %d: question %u is not in %s", i,
                           a->q, p->id);
        q = &p->questionnaire.q[a->q];
        if (a->type != q->type)
            return bn_fail(why, whylen, BN_ERULE, "question %s: an answer of another type",
                           q->id);
        switch (q->type) {
        case PKG_Q_ONE:
        case PKG_Q_MANY:
        case PKG_Q_RANK:
            for (j = 0; j < a->k; j++)
                if (a->v[j] >= q->n_options)
                    return bn_fail(why, whylen, BN_ERULE, "question %s: an option it does "
                                   "not offer", q->id);
            if (q->type != PKG_Q_ONE && (a->k < q->min || a->k > q->max))
                return bn_fail(why, whylen, BN_ERULE, "question %s: %u options, not %d to %d",
                               q->id, a->k, q->min, q->max);
            break;
        case PKG_Q_SCALE:
            if (a->v[0] < q->from || a->v[0] > q->to)
                return bn_fail(why, whylen, BN_ERULE, "question %s: a number outside %d..%d",
                               q->id, q->from, q->to);
            break;
        default:
            break;
        }
        if (!answers_asked(p, a->q, b->answers, b->n))
            return bn_fail(why, whylen, BN_ERULE, "question %s answered, but its condition "
                           "(show_if) was not met", q->id);
    }
    return 0;
}

/* --- the free-text record ------------------------------------------------------ */

int qtext_seal(qtext_t *t, const signer_t *signer, uint8_t *out, size_t cap, size_t *len)
{
    size_t n, total;
    int rc;

    if (t == NULL || signer == NULL || out == NULL || len == NULL)
        return BN_EINVAL;
    n = strnlen(t->text, sizeof t->text);
    total = QTEXT_HEADER_LEN + n + KEY_SIG_LEN;
    if (t->day == 0 || n == 0 || n > QTEXT_MAX_BYTES ||
        wire_text_chars((const uint8_t *)t->text, n, 0) < 1 ||
        wire_text_chars((const uint8_t *)t->text, n, 0) > PKG_TEXT_ANSWER_CHARS ||
        !wire_token_ok(t->campaign) || !wire_token_ok(t->territory) ||
        !wire_token_ok(t->question))
        return BN_EINVAL;
    if (cap < total)
        return BN_ETOOBIG;
    memcpy(out, QTEXT_MAGIC, 4);
    out[4] = QTEXT_VERSION;
    wire_put_be(out + QTEXT_OFF_DAY, t->day, 4);
    memcpy(out + QTEXT_OFF_ID, t->id, QTEXT_ID_LEN);
    memcpy(out + QTEXT_OFF_KIOSK, t->kiosk, KEY_ID_LEN);
    wire_token_put(out + QTEXT_OFF_CAMPAIGN, t->campaign);
    wire_token_put(out + QTEXT_OFF_TERRITORY, t->territory);
    wire_token_put(out + QTEXT_OFF_QUESTION, t->question);
    wire_put_be(out + QTEXT_OFF_LEN, n, 2);
    memcpy(out + QTEXT_HEADER_LEN, t->text, n);
    if ((rc = key_sign_msg(signer, out, total - KEY_SIG_LEN, out + total - KEY_SIG_LEN)) != 0) {
        mbedtls_platform_zeroize(out, total);
        return rc;
    }
    memcpy(t->sig, out + total - KEY_SIG_LEN, KEY_SIG_LEN);
    *len = total;
    return 0;
}

int qtext_decode(const uint8_t *buf, size_t len, qtext_t *out, char *why, size_t whylen)
{
    const char *bad;
    size_t n;
    long c;

    if (buf == NULL || out == NULL)
        return BN_EINVAL;
    memset(out, 0, sizeof *out);
    if (len < QTEXT_MIN_LEN || len > QTEXT_MAX_LEN)
        return bn_fail(why, whylen, BN_EFORMAT, "length %zu: not %d..%d", len, QTEXT_MIN_LEN,
                       QTEXT_MAX_LEN);
    if (memcmp(buf, QTEXT_MAGIC, 4) != 0)
        return bn_fail(why, whylen, BN_EFORMAT, "offset 0: magic is not \"BRNT\"");
    if (buf[4] != QTEXT_VERSION)
        return bn_fail(why, whylen, BN_EFORMAT, "offset 4: version %u is not 1", buf[4]);
    if ((out->day = (uint32_t)wire_get_be(buf + QTEXT_OFF_DAY, 4)) == 0)
        return bn_fail(why, whylen, BN_EFORMAT, "offset 5: day is 0");
    memcpy(out->id, buf + QTEXT_OFF_ID, QTEXT_ID_LEN);
    memcpy(out->kiosk, buf + QTEXT_OFF_KIOSK, KEY_ID_LEN);
    if ((bad = wire_token_get(buf + QTEXT_OFF_CAMPAIGN, out->campaign)) != NULL ||
        (bad = wire_token_get(buf + QTEXT_OFF_TERRITORY, out->territory)) != NULL ||
        (bad = wire_token_get(buf + QTEXT_OFF_QUESTION, out->question)) != NULL) {
        memset(out, 0, sizeof *out);
        return bn_fail(why, whylen, BN_EFORMAT, "offset 57..104: a token field: %s", bad);
    }
    n = (size_t)wire_get_be(buf + QTEXT_OFF_LEN, 2);
    if (n < 1 || n > QTEXT_MAX_BYTES || QTEXT_HEADER_LEN + n + KEY_SIG_LEN != len) {
        memset(out, 0, sizeof *out);
        return bn_fail(why, whylen, BN_EFORMAT, "offset 105: text length %zu does not fit the "
                       "record's %zu bytes", n, len);
    }
    c = wire_text_chars(buf + QTEXT_HEADER_LEN, n, 0);
    if (c < 1 || c > PKG_TEXT_ANSWER_CHARS) {
        memset(out, 0, sizeof *out);
        return bn_fail(why, whylen, BN_EFORMAT, "offset 107: the text is not 1..%d characters "
                       "of text on one line", PKG_TEXT_ANSWER_CHARS);
    }
    memcpy(out->text, buf + QTEXT_HEADER_LEN, n);
    out->text[n] = '\0';
    memcpy(out->sig, buf + len - KEY_SIG_LEN, KEY_SIG_LEN);
    return 0;
}

int qtext_verify(const uint8_t *buf, size_t len, const key_pub_t *kiosk)
{
    qtext_t *t;
    int rc;

    if (kiosk == NULL || (t = malloc(sizeof *t)) == NULL)
        return kiosk == NULL ? BN_EINVAL : BN_ENOMEM;
    rc = qtext_decode(buf, len, t, NULL, 0);
    if (rc == 0)
        rc = memcmp(t->kiosk, kiosk->id, KEY_ID_LEN) != 0
                 ? BN_EWRONGKEY
                 : key_verify_msg(kiosk, buf, len - KEY_SIG_LEN, buf + len - KEY_SIG_LEN);
    free(t);
    return rc;
}

int qtext_check(const pkg_t *p, const qtext_t *t, char *why, size_t whylen)
{
    int i;

    if (p == NULL || t == NULL || p->kind != PKG_QUESTIONNAIRE)
        return bn_fail(why, whylen, BN_EINVAL, "not a questionnaire's text");
    if (strcmp(t->campaign, p->id) != 0 || pkg_find_territory(p, t->territory) < 0)
        return bn_fail(why, whylen, BN_ERULE, "a text of campaign %s, territory %s", t->campaign,
                       t->territory);
    for (i = 0; i < p->questionnaire.n; i++)
        if (strcmp(p->questionnaire.q[i].id, t->question) == 0) {
            const pkg_question_t *q = &p->questionnaire.q[i];

            if (q->type != PKG_Q_TEXT)
                return bn_fail(why, whylen, BN_ERULE, "question %s does not take a text",
                               q->id);
            if (wire_text_chars((const uint8_t *)t->text, strlen(t->text), 0) > q->max_chars)
                return bn_fail(why, whylen, BN_ERULE, "question %s: more than %d characters",
                               q->id, q->max_chars);
            return 0;
        }
    return bn_fail(why, whylen, BN_ERULE, "question %s is not in %s", t->question, p->id);
}
