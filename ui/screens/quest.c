/* quest.c - a questionnaire at the kiosk (issue 17).
 *
 *   SCR_QUEST     what the consultation is; the answers are secret
 *   -> IDENTITY   (who answers: once a person, the territory)
 *   SCR_QUESTION  one question a page (s.q): one option, several (min..max),
 *                 a ranking (tap in order of preference), a scale, yes or
 *                 no, a short free text (the keyboard of textkb.c); every
 *                 question may be left unanswered ("Passer"); a question
 *                 whose condition (show_if) is not met is not asked
 *   -> the review (s.q == APP_QREVIEW): each question asked with its answer
 *                 and "Modifier", then "Envoyer mes réponses" (cast_answers)
 *   -> RECEIPT.
 * The answers live in app_t.s and go with the session (DESIGN-S3). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/platform_util.h>

#include "bn_err.h"
#include "day.h"
#include "screens.h"

static const pkg_question_t *question(const app_t *a, int q)
{
    return &a->pkg->questionnaire.q[q];
}

/* The answers given so far, in question order, of the questions asked
 * (a condition no longer met drops the answer that hung on it). */
static int answers(const app_t *a, ballot_answer_t *out)
{
    int q, n = 0;

    for (q = 0; q < a->pkg->questionnaire.n; q++)
        if (a->s.qset[q] && answers_asked(a->pkg, q, out, n))
            out[n++] = a->s.qa[q];
    return n;
}

static int asked(const app_t *a, int q)
{
    ballot_answer_t got[PKG_QUESTIONS_MAX];
    int n = answers(a, got);

    return answers_asked(a->pkg, q, got, n);
}

static int next_asked(const app_t *a, int q)
{
    for (q++; q < a->pkg->questionnaire.n; q++)
        if (asked(a, q))
            return q;
    return APP_QREVIEW;
}

static int prev_asked(const app_t *a, int q)
{
    for (q--; q >= 0; q--)
        if (asked(a, q))
            return q;
    return -1;
}

int quest_typing(const app_t *a)
{
    return a->scr == SCR_QUESTION && a->s.q >= 0 && a->s.q < a->pkg->questionnaire.n &&
           question(a, a->s.q)->type == PKG_Q_TEXT;
}

static textkb_t target(app_t *a)
{
    textkb_t t;

    memset(&t, 0, sizeof t);
    t.f = a->s.qtext[a->s.q];
    t.cap = sizeof a->s.qtext[a->s.q];
    t.max = question(a, a->s.q)->max_chars;
    return t;
}

static void go(app_t *a, int q)
{
    a->s.q = q;
    a->s.page = 0;
    a->s.field_err = NULL;
    a->s.idea_caps = -1;
    a->s.idea_symbols = 0;
    a->scan_home = 1;
    a->focus = -1;
    a->dirty = 1;
}

void quest_begin(app_t *a)
{
    app_go(a, SCR_QUESTION);
    go(a, asked(a, 0) ? 0 : next_asked(a, 0));
}

void scr_question_char(app_t *a, const char *utf8)
{
    textkb_t t = target(a);

    textkb_char(a, &t, utf8);
}

/* A choice on the question's page: one, many (within max, else said),
 * rank (in order; again removes it), scale, yes or no. */
static void choose(app_t *a, int v)
{
    const pkg_question_t *q = question(a, a->s.q);
    ballot_answer_t *x = &a->s.qa[a->s.q];
    int j, k;

    a->s.field_err = NULL;
    x->q = (uint8_t)a->s.q;
    x->type = (uint8_t)q->type;
    switch (q->type) {
    case PKG_Q_ONE:
    case PKG_Q_SCALE:
    case PKG_Q_YESNO:
        x->k = 1;
        x->v[0] = (uint8_t)v;
        a->s.qset[a->s.q] = 1;
        break;
    case PKG_Q_MANY:
        if (!a->s.qset[a->s.q])
            x->k = 0;
        for (j = 0; j < x->k && x->v[j] != v; j++)
            ;
        if (j < x->k) { /* again: removed */
            memmove(x->v + j, x->v + j + 1, (size_t)(x->k - j - 1));
            x->k--;
        } else if (x->k >= q->max) {
            a->s.field_err = "q.err.max";
            return;
        } else { /* in increasing order */
            for (k = x->k; k > 0 && x->v[k - 1] > v; k--)
                x->v[k] = x->v[k - 1];
            x->v[k] = (uint8_t)v;
            x->k++;
        }
        a->s.qset[a->s.q] = x->k > 0;
        break;
    case PKG_Q_RANK:
        if (!a->s.qset[a->s.q])
            x->k = 0;
        for (j = 0; j < x->k && x->v[j] != v; j++)
            ;
        if (j < x->k) {
            memmove(x->v + j, x->v + j + 1, (size_t)(x->k - j - 1));
            x->k--;
        } else if (x->k >= q->max) {
            a->s.field_err = "q.err.max";
            return;
        } else {
            x->v[x->k++] = (uint8_t)v;
        }
        a->s.qset[a->s.q] = x->k > 0;
        break;
    default:
        break;
    }
}

/* The page may be left: a "many" or "rank" answer within its minimum. */
static int page_ok(app_t *a)
{
    const pkg_question_t *q;
    size_t n;

    if (a->s.q < 0 || a->s.q >= a->pkg->questionnaire.n)
        return 1;
    q = question(a, a->s.q);
    if (q->type == PKG_Q_TEXT) {
        char *f = a->s.qtext[a->s.q];

        n = strlen(f);
        while (n > 0 && f[n - 1] == ' ')
            f[--n] = '\0';
        a->s.qset[a->s.q] = n > 0;
        a->s.qa[a->s.q] = (ballot_answer_t){(uint8_t)a->s.q, PKG_Q_TEXT, 0, {0}};
        return 1;
    }
    if ((q->type == PKG_Q_MANY || q->type == PKG_Q_RANK) && a->s.qset[a->s.q] &&
        a->s.qa[a->s.q].k < q->min) {
        a->s.field_err = "q.err.min";
        return 0;
    }
    return 1;
}

static void send(app_t *a)
{
    ballot_answer_t got[PKG_QUESTIONS_MAX];
    const char *texts[PKG_QUESTIONS_MAX];
    cast_ctx_t ctx;
    cast_identity_t who;
    cast_receipt_t rec;
    cast_answers_t ans;
    char birth[DAY_TEXT_LEN + 1], why[256];
    int n = answers(a, got), i, nt = 0, rc;

    for (i = 0; i < n; i++)
        if (got[i].type == PKG_Q_TEXT)
            texts[nt++] = a->s.qtext[got[i].q];
    ans.a = got;
    ans.n = n;
    ans.texts = texts;
    app_cast_inputs(a, &ctx, &who, birth);
    rc = cast_answers(&ctx, &who, &ans, app_day(a), &rec, why, sizeof why);
    if (rc == BN_EREVOKED)
        app_cast_revoked(a, why, sizeof why);
    mbedtls_platform_zeroize(ctx.secret, sizeof ctx.secret);
    mbedtls_platform_zeroize(birth, sizeof birth);
    mbedtls_platform_zeroize(got, sizeof got);
    if (rc == 0) {
        app_show_receipt(a, &rec, APP_RECEIPT_ANSWERS); /* the session is wiped there */
        return;
    }
    a->s.msg = rc == BN_EALREADY ? MSG_ALREADY
               : rc == BN_ECLOSED ? MSG_CLOSED
               : rc == BN_EOFFLINE ? MSG_OFFLINE
               : rc == BN_ERANGE  ? MSG_TOO_YOUNG
                                  : MSG_NOT_STORED;
    if (a->s.msg == MSG_NOT_STORED)
        snprintf(a->oos_reason, sizeof a->oos_reason, "answers: %s", why);
    a->s.in_doubt = rc == BN_EDOUBT;
    app_go(a, SCR_MESSAGE);
}

void scr_question_act(app_t *a, int act)
{
    a->dirty = 1;
    if (quest_typing(a)) {
        textkb_t t = target(a);

        if (textkb_act(a, &t, act))
            return;
    }
    if (act >= ACT_QOPT && act < ACT_QOPT + 11 && a->s.q < a->pkg->questionnaire.n) {
        choose(a, act - ACT_QOPT);
        return;
    }
    if (act >= ACT_QEDIT && act < ACT_QEDIT + a->pkg->questionnaire.n && a->s.q == APP_QREVIEW) {
        a->s.q_from_review = 1;
        go(a, act - ACT_QEDIT);
        return;
    }
    switch (act) {
    case ACT_PAGE_PREV:
        if (a->s.page > 0)
            a->s.page--;
        break;
    case ACT_PAGE_NEXT:
        a->s.page++; /* bounded when drawn */
        break;
    case ACT_QCLEAR:
        a->s.qset[a->s.q] = 0;
        memset(&a->s.qa[a->s.q], 0, sizeof a->s.qa[a->s.q]);
        a->s.field_err = NULL;
        break;
    case ACT_NEXT:
        if (!page_ok(a))
            break;
        go(a, a->s.q_from_review ? APP_QREVIEW : next_asked(a, a->s.q));
        a->s.q_from_review = 0;
        break;
    case ACT_BACK:
        if (a->s.q != APP_QREVIEW && !page_ok(a))
            break;
        if (a->s.q_from_review) {
            a->s.q_from_review = 0;
            go(a, APP_QREVIEW);
        } else if (prev_asked(a, a->s.q == APP_QREVIEW ? a->pkg->questionnaire.n : a->s.q) < 0) {
            a->s.field_err = NULL;
            app_go(a, SCR_IDENTITY); /* the commune step */
        } else {
            go(a, prev_asked(a, a->s.q == APP_QREVIEW ? a->pkg->questionnaire.n : a->s.q));
        }
        break;
    case ACT_QSEND:
        if (a->s.q == APP_QREVIEW)
            send(a);
        break;
    }
}

/* --- the consultation ----------------------------------------------------------- */

void scr_quest_act(app_t *a, int act)
{
    if (act == ACT_QUEST_START) {
        a->s.step = ID_LAST;
        app_go(a, SCR_IDENTITY);
    } else if (act == ACT_BACK) {
        app_reset_session(a);
    }
}

void scr_quest_draw(app_t *a)
{
    const ui_theme_t *t = &a->theme;
    int top = app_top_bar(a), w = a->w - 2 * APP_MARGIN, x = APP_MARGIN, y, bw1, bw2, bh, bar_y;
    int side, ps = app_sz(a, 32), level, h;
    const char *back = tr(a, "btn.back"), *go_l = tr(a, "quest.go");
    char buf[512], n[16];
    const char *kv[] = {"n", n, NULL};

    if (w > 1500 && a->theme.scale == 100) {
        x += (w - 1500) / 2;
        w = 1500;
    }
    snprintf(n, sizeof n, "%d", a->pkg->questionnaire.n);
    trf(a, buf, sizeof buf, a->pkg->questionnaire.n == 1 ? "quest.count.1" : "quest.count", kv);
    bw1 = app_button_w(a, back, BTN_SECONDARY, 300);
    bw2 = app_button_w(a, go_l, BTN_PRIMARY, 520);
    side = bw1 + bw2 + 40 <= w;
    if (!side)
        bw1 = bw2 = w;
    bh = app_button_h(a, back, bw1, BTN_SECONDARY, 110);
    bh = app_button_h(a, go_l, bw2, BTN_PRIMARY, bh);
    bar_y = a->h - 24 - (side ? bh : 2 * bh + 24);
    for (level = 0; level < 2; level++) {
        h = ui_text_h(&a->dl, app_ptext(a, &a->pkg->title), app_sz_big(a, 52), 1, w, 0) + 16 +
            ui_text_h(&a->dl, buf, ps, 1, w, 0) + 16 +
            ui_text_h(&a->dl, tr(a, "quest.secret"), ps, 0, w, 0);
        if (level < 1)
            h += ui_text_h(&a->dl, app_ptext(a, &a->pkg->description), ps, 0, w, 0) + 24;
        if (top + 24 + h <= bar_y - 24)
            break;
    }
    y = top + 24;
    y += app_heading(a, x, y, w, app_ptext(a, &a->pkg->title)) + 16;
    if (level < 1)
        y += ui_text(&a->dl, x, y, w, app_ptext(a, &a->pkg->description), ps, 0, t->text, AL_LEFT,
                     0) + 24;
    y += ui_text(&a->dl, x, y, w, buf, ps, 1, t->text, AL_LEFT, 0) + 16;
    ui_text(&a->dl, x, y, w, tr(a, "quest.secret"), ps, 0, t->text, AL_LEFT, 0);
    if (side) {
        app_button(a, (ui_rect_t){x, bar_y, bw1, bh}, back, NULL, ACT_BACK, BTN_SECONDARY, 1);
        app_button(a, (ui_rect_t){x + w - bw2, bar_y, bw2, bh}, go_l, NULL, ACT_QUEST_START,
                   BTN_PRIMARY, 1);
    } else {
        app_button(a, (ui_rect_t){x, bar_y, w, bh}, go_l, NULL, ACT_QUEST_START, BTN_PRIMARY, 1);
        app_button(a, (ui_rect_t){x, bar_y + bh + 24, w, bh}, back, NULL, ACT_BACK,
                   BTN_SECONDARY, 1);
    }
}

/* --- a question's page ---------------------------------------------------------------- */

/* The answer to question q in words ("À vélo", "1. ... 2. ...", "4 sur 5",
 * "Oui", the text), into buf; "" when unanswered. */
static const char *answer_words(app_t *a, int q, char *buf, size_t cap)
{
    const pkg_question_t *pq = question(a, q);
    const ballot_answer_t *x = &a->s.qa[q];
    size_t o = 0;
    int j;

    buf[0] = '\0';
    if (!a->s.qset[q])
        return buf;
    switch (pq->type) {
    case PKG_Q_ONE:
    case PKG_Q_MANY:
    case PKG_Q_RANK:
        for (j = 0; j < x->k && o + 1 < cap; j++) {
            if (pq->type == PKG_Q_RANK)
                o += (size_t)snprintf(buf + o, cap - o, "%s%d. %s", j ? "  " : "", j + 1,
                                      app_ptext(a, &pq->options[x->v[j]].name));
            else
                o += (size_t)snprintf(buf + o, cap - o, "%s%s", j ? ", " : "",
                                      app_ptext(a, &pq->options[x->v[j]].name));
        }
        break;
    case PKG_Q_SCALE: {
        char n1[8], n2[8];
        const char *kv[] = {"n", n1, "to", n2, NULL};
        snprintf(n1, sizeof n1, "%d", x->v[0]);
        snprintf(n2, sizeof n2, "%d", pq->to);
        trf(a, buf, cap, "q.scale.value", kv);
        break;
    }
    case PKG_Q_YESNO:
        snprintf(buf, cap, "%s", tr(a, x->v[0] ? "q.yes" : "q.no"));
        break;
    default:
        snprintf(buf, cap, "%s", a->s.qtext[q]);
        break;
    }
    return buf;
}

/* The label of option j on the page: "✓ X" when chosen, "2e : X" ranked. */
static const char *option_label(app_t *a, int j, char *buf, size_t cap)
{
    const pkg_question_t *pq = question(a, a->s.q);
    const ballot_answer_t *x = &a->s.qa[a->s.q];
    const char *name = app_ptext(a, &pq->options[j].name);
    int k;

    for (k = 0; a->s.qset[a->s.q] && k < x->k; k++)
        if (x->v[k] == j) {
            if (pq->type == PKG_Q_RANK) {
                char r[8];
                const char *kv[] = {"n", r, "option", name, NULL};
                char key[16];

                snprintf(key, sizeof key, k < 3 ? "q.rank.%d" : "q.rank.n", k + 1);
                snprintf(r, sizeof r, "%d", k + 1);
                return trf(a, buf, cap, key, kv);
            }
            snprintf(buf, cap, "\xe2\x9c\x93 %s", name);
            return buf;
        }
    snprintf(buf, cap, "%s", name);
    return buf;
}

static int chosen(const app_t *a, int v)
{
    const ballot_answer_t *x = &a->s.qa[a->s.q];
    int k;

    for (k = 0; a->s.qset[a->s.q] && k < x->k; k++)
        if (x->v[k] == v)
            return 1;
    return 0;
}

static const char *hint_key(const pkg_question_t *q)
{
    static const char *const k[] = {"q.hint.one", "q.hint.many", "q.hint.rank", "q.hint.scale",
                                    "q.hint.yesno", "q.hint.text"};
    if (q->type == PKG_Q_RANK && q->min > 1)
        return "q.hint.rank.min";
    return k[q->type];
}

/* Audio mode (app_speak.c): the hint as on screen, which the reader leaves
 * out (it says "touch") for the words of the keys. */
const char *quest_hint(app_t *a, char *buf, size_t cap)
{
    const pkg_question_t *q = question(a, a->s.q);
    char mn[16], mx[16];
    const char *kv[] = {"min", mn, "max", mx, NULL};

    snprintf(mn, sizeof mn, "%d", q->min);
    snprintf(mx, sizeof mx, "%d", q->max);
    return trf(a, buf, cap, hint_key(q), kv);
}

int quest_option_state(const app_t *a, int v)
{
    const ballot_answer_t *x = &a->s.qa[a->s.q];
    int k;

    for (k = 0; a->s.qset[a->s.q] && k < x->k; k++)
        if (x->v[k] == v)
            return question(a, a->s.q)->type == PKG_Q_RANK ? k + 1 : 1;
    return 0;
}

static void draw_page(app_t *a, int top)
{
    const ui_theme_t *t = &a->theme;
    const pkg_question_t *q = question(a, a->s.q);
    int fw = a->w - 2 * APP_MARGIN, x = APP_MARGIN, y = top + 16, bar_y = a->h - 24 - 96, i;
    int hs = app_sz(a, 28), nopt, cols, bw, bh, gap = 16, rows, number = 0, total = 0, limit;
    int cw, in_bar;
    char buf[600], n1[16], n2[16], n3[16], lab[300];
    const char *kv[] = {"n", n1, "total", n2, "min", n3, "max", n2, NULL};
    const char *next = tr(a, a->s.q_from_review ? "idea.done"
                             : a->s.qset[a->s.q] || (q->type == PKG_Q_TEXT &&
                                                     a->s.qtext[a->s.q][0] != '\0')
                                 ? "btn.next"
                                 : "idea.skip");
    int bw_back = app_button_w(a, tr(a, "btn.back"), BTN_SECONDARY, 300),
        bw_next = app_button_w(a, next, BTN_PRIMARY, 360);

    for (i = 0; i < a->pkg->questionnaire.n; i++)
        if (asked(a, i)) {
            total++;
            if (i <= a->s.q)
                number = total;
        }
    if (q->type == PKG_Q_TEXT) {
        bar_y = a->h - 24 - 96;
        if (a->h > a->w)
            bar_y = top + 16 + 700 + TEXTKB_H + 24;
    }
    app_button(a, (ui_rect_t){APP_MARGIN, bar_y, bw_back, 96}, tr(a, "btn.back"), NULL, ACT_BACK,
               BTN_SECONDARY, 1);
    app_button(a, (ui_rect_t){a->w - APP_MARGIN - bw_next, bar_y, bw_next, 96}, next, NULL,
               ACT_NEXT, BTN_PRIMARY, 1);
    snprintf(n1, sizeof n1, "%d", number);
    snprintf(n2, sizeof n2, "%d", total);
    y += ui_text(&a->dl, x, y, fw, trf(a, buf, sizeof buf, "q.step", kv), hs, 0, t->muted, AL_LEFT,
                 0) + 4;
    y += ui_text(&a->dl, x, y, fw, app_ptext(a, &q->text), app_sz_big(a, 44), 1, t->text, AL_LEFT,
                 0) + 8;
    snprintf(n2, sizeof n2, "%d", q->max);
    snprintf(n3, sizeof n3, "%d", q->min);
    if (a->s.field_err != NULL)
        y += app_notice(a, x, y, fw, trf(a, buf, sizeof buf, a->s.field_err, kv)) + 12;
    else
        y += ui_text(&a->dl, x, y, fw, trf(a, buf, sizeof buf, hint_key(q), kv), hs, 0, t->muted,
                     AL_LEFT, 0) + 16;
    switch (q->type) {
    case PKG_Q_ONE:
    case PKG_Q_MANY:
    case PKG_Q_RANK:
        nopt = q->n_options;
        cols = nopt > 4 && a->w > a->h && a->theme.scale < 150 ? 2 : 1;
        bw = (fw - (cols - 1) * gap) / cols;
        bh = 96;
        for (i = 0; i < nopt; i++)
            bh = app_button_h(a, option_label(a, i, lab, sizeof lab), bw, BTN_SECONDARY, bh);
        rows = (nopt + cols - 1) / cols;
        /* several answers or a ranking: room kept under the options for the
         * count and "Tout effacer", so the page does not move at the first */
        limit = bar_y - 16 - (q->type != PKG_Q_ONE ? 96 + 8 : 0);
        while (gap > 8 && y + rows * bh + (rows - 1) * gap > limit)
            gap -= 4;
        if (cols == 1 && y + rows * bh + (rows - 1) * gap > limit && a->w > a->h) {
            cols = 2;
            bw = (fw - gap) / 2;
            rows = (nopt + 1) / 2;
            bh = 96; /* half as wide: a label may take a line more */
            for (i = 0; i < nopt; i++)
                bh = app_button_h(a, option_label(a, i, lab, sizeof lab), bw, BTN_SECONDARY, bh);
        }
        /* still too tall (large text on a small screen): "Tout effacer" goes
         * in the bar between Retour and Suivant, without the count (the
         * options show it: ✓, 1er, 2e) */
        cw = app_button_w(a, tr(a, "q.clear"), BTN_SECONDARY, 300);
        in_bar = q->type != PKG_Q_ONE && y + rows * bh + (rows - 1) * gap > limit &&
                 bw_back + bw_next + cw + 96 <= fw;
        for (i = 0; i < nopt; i++)
            app_button(a, (ui_rect_t){x + (i % cols) * (bw + gap), y + (i / cols) * (bh + gap), bw,
                                      bh},
                       option_label(a, i, lab, sizeof lab), app_ptext(a, &q->options[i].name),
                       ACT_QOPT + i, chosen(a, i) ? BTN_CHOSEN : BTN_SECONDARY, 1);
        y += rows * (bh + gap);
        if (q->type != PKG_Q_ONE && a->s.qset[a->s.q] && in_bar) {
            app_button(a, (ui_rect_t){x + bw_back + (fw - bw_back - bw_next - cw) / 2, bar_y, cw,
                                      96},
                       tr(a, "q.clear"), NULL, ACT_QCLEAR, BTN_SECONDARY, 1);
        } else if (q->type != PKG_Q_ONE && a->s.qset[a->s.q]) {
            char c1[8], c2[8];
            const char *kv2[] = {"n", c1, "max", c2, NULL};

            snprintf(c1, sizeof c1, "%d", a->s.qa[a->s.q].k);
            snprintf(c2, sizeof c2, "%d", q->max);
            ui_text(&a->dl, x, y, fw - cw - 24, trf(a, buf, sizeof buf, q->type == PKG_Q_RANK
                                                                            ? "q.count.rank"
                                                                            : "q.count.many",
                                                    kv2),
                    hs, 1, t->text, AL_LEFT, 0);
            app_button(a, (ui_rect_t){x + fw - cw, y - 8, cw, 96}, tr(a, "q.clear"), NULL,
                       ACT_QCLEAR, BTN_SECONDARY, 1);
        }
        break;
    case PKG_Q_SCALE: {
        int n = q->to - q->from + 1, kw = (fw - (n - 1) * 12) / n, row;

        if (kw > 200)
            kw = 200;
        row = n * (kw + 12) - 12;
        for (i = 0; i < n; i++) {
            char num[8], lab2[16];
            int on = chosen(a, q->from + i);
            snprintf(num, sizeof num, "%d", q->from + i);
            snprintf(lab2, sizeof lab2, "%s%s", on ? "\xe2\x9c\x93 " : "", num);
            app_button(a, (ui_rect_t){x + i * (kw + 12), y, kw, 110}, lab2, num,
                       ACT_QOPT + q->from + i, on ? BTN_CHOSEN : BTN_SECONDARY, 1);
        }
        y += 110 + 12;
        { /* "1 : Pas du tout", "1: Not at all" */
            char end[12];
            const char *ekv[] = {"n", end, "label", app_ptext(a, &q->low), NULL};

            snprintf(end, sizeof end, "%d", q->from);
            trf(a, buf, sizeof buf, "q.scale.end", ekv);
            ui_text(&a->dl, x, y, row / 2 - 8, buf, hs, 0, t->text, AL_LEFT, 0);
            snprintf(end, sizeof end, "%d", q->to);
            ekv[3] = app_ptext(a, &q->high);
            trf(a, buf, sizeof buf, "q.scale.end", ekv);
        }
        ui_text(&a->dl, x + row / 2 + 8, y, row / 2 - 8, buf, hs, 0, t->text, AL_RIGHT, 0);
        break;
    }
    case PKG_Q_YESNO:
        bw = (fw - gap) / 2;
        if (bw > 500)
            bw = 500;
        for (i = 1; i >= 0; i--) {
            const char *w = tr(a, i ? "q.yes" : "q.no");
            snprintf(lab, sizeof lab, "%s%s", chosen(a, i) ? "\xe2\x9c\x93 " : "", w);
            app_button(a, (ui_rect_t){x + (1 - i) * (bw + gap), y, bw, 120}, lab, w, ACT_QOPT + i,
                       chosen(a, i) ? BTN_CHOSEN : BTN_SECONDARY, 1);
        }
        break;
    default: {
        textkb_t tk = target(a);
        int kb_y = bar_y - 16 - TEXTKB_H, fs = app_sz(a, 32), lh = ui_line_h(fs), last_w = 0;
        int nl, rows_f = 3, left = q->max_chars - textkb_chars(a->s.qtext[a->s.q]);
        char c1[8], c2[8];
        const char *kv2[] = {"n", c1, "total", c2, NULL};

        while (rows_f > 1 && y + rows_f * lh + 24 + ui_line_h(hs) + 8 > kb_y - 8)
            rows_f--;
        dl_rrect(&a->dl, (ui_rect_t){x, y, fw, rows_f * lh + 24}, 12, t->surface);
        dl_ring(&a->dl, (ui_rect_t){x, y, fw, rows_f * lh + 24}, 12, 4, t->accent);
        nl = textkb_lines(a, a->s.qtext[a->s.q], x + 24, y + 12, fw - 60, fs, rows_f, &last_w);
        dl_rect(&a->dl, (ui_rect_t){x + 24 + last_w + 4,
                                    y + 12 + ((nl > rows_f ? rows_f : nl > 0 ? nl : 1) - 1) * lh + 6,
                                    4, lh - 12}, t->text);
        y += rows_f * lh + 24 + 8;
        snprintf(c1, sizeof c1, "%d", left);
        snprintf(c2, sizeof c2, "%d", q->max_chars);
        ui_text(&a->dl, x, y, fw, trf(a, buf, sizeof buf, left == 0 ? "idea.left.0"
                                                          : left == 1 ? "idea.left.1"
                                                                      : "idea.left", kv2),
                hs, left <= q->max_chars / 10, t->text, AL_LEFT, 0);
        textkb_draw(a, &tk, kb_y);
        break;
    }
    }
}

/* An answer on the review: wrapped, whole up to this many lines (a free
 * text of 500 characters at the largest size would take a page; its whole
 * is under "Modifier"). */
#define REVIEW_ANSWER_LINES 6

/* The height of question q's row on the review. */
static int row_h(app_t *a, int q, int w)
{
    char buf[1200];
    int h;

    answer_words(a, q, buf, sizeof buf);
    h = ui_text_h(&a->dl, app_ptext(a, &question(a, q)->text), app_sz(a, 26), 1, w, 0) +
        ui_text_h(&a->dl, buf[0] ? buf : tr(a, "q.none"), app_sz(a, 28), 0, w,
                  REVIEW_ANSWER_LINES);

    return h < 96 ? 96 : h;
}

static void draw_review(app_t *a, int top)
{
    const ui_theme_t *t = &a->theme;
    int w = a->w - 2 * APP_MARGIN, x = APP_MARGIN, y = top + 16, q, bar_y = a->h - 24 - 110, i;
    const char *send_l = tr(a, "quest.send"), *edit = tr(a, "idea.edit");
    int bw1 = app_button_w(a, tr(a, "btn.back"), BTN_SECONDARY, 300);
    int bw2 = app_button_w(a, send_l, BTN_PRIMARY, 420);
    int ew = app_button_w(a, edit, BTN_SECONDARY, 200), tw = w - ew - 24, gap = 16, total = 0;
    int qs = app_sz(a, 26), as = app_sz(a, 28), asked_q[PKG_QUESTIONS_MAX], n = 0, k;
    int page_start[PKG_QUESTIONS_MAX + 1], pages = 0, room, pager_h = 0, y0, send_y = bar_y;
    int pw, plab_h;
    char buf[1200], name[64], p1[16], p2[16], pl[80];
    const char *pkv[] = {"n", p1, "total", p2, NULL};

    /* narrow and large: "Envoyer mes réponses" across the screen at the
     * bottom, "Retour" on the row above it */
    if (bw1 + bw2 + 24 > w) {
        bw2 = w;
        bar_y -= 110 + 16;
    }

    for (q = 0; q < a->pkg->questionnaire.n; q++)
        if (asked(a, q)) {
            asked_q[n++] = q;
            total += row_h(a, q, tw) + gap;
        }
    /* the heading gives way when without it everything fits on one page */
    if (y + ui_line_h(app_sz_big(a, 52)) + 16 + total <= bar_y - 16 || y + total > bar_y - 16)
        y += app_heading(a, x, y, w, tr(a, "quest.review")) + 16;
    y0 = y;
    pw = app_button_w(a, tr(a, "q.page.next"), BTN_SECONDARY, 260);
    if (app_button_w(a, tr(a, "q.page.prev"), BTN_SECONDARY, 260) > pw)
        pw = app_button_w(a, tr(a, "q.page.prev"), BTN_SECONDARY, 260);
    snprintf(p1, sizeof p1, "%d", PKG_QUESTIONS_MAX);
    snprintf(p2, sizeof p2, "%d", PKG_QUESTIONS_MAX);
    trf(a, pl, sizeof pl, "q.page", pkv);
    /* "Page 1 sur 2" on a line of its own above the pager when narrow */
    plab_h = ui_text_h(&a->dl, pl, qs, 0, w - 2 * pw - 48, 0) > ui_line_h(qs) ? ui_line_h(qs) + 8
                                                                              : 0;
    /* pages of whole rows; a pager above the buttons when more than one */
    for (k = 0; k < 2; k++) {
        int h = 0;

        room = bar_y - 16 - pager_h - y0;
        pages = 0;
        page_start[pages++] = 0;
        for (i = 0; i < n; i++) {
            int rh = row_h(a, asked_q[i], tw) + gap;
            if (h + rh > room && h > 0) {
                page_start[pages++] = i;
                h = 0;
            }
            h += rh;
        }
        if (pages == 1)
            break;
        pager_h = 96 + 16 + plab_h;
    }
    page_start[pages] = n;
    if (a->s.page >= pages)
        a->s.page = pages - 1;
    if (a->s.page < 0)
        a->s.page = 0;
    for (i = page_start[a->s.page]; i < page_start[a->s.page + 1]; i++) {
        int h0 = y, rh;

        q = asked_q[i];
        rh = row_h(a, q, tw);
        y += ui_text(&a->dl, x, y, tw, app_ptext(a, &question(a, q)->text), qs, 1, t->muted,
                     AL_LEFT, 0);
        answer_words(a, q, buf, sizeof buf);
        ui_text(&a->dl, x, y, tw, buf[0] ? buf : tr(a, "q.none"), as, 0, t->text, AL_LEFT,
                REVIEW_ANSWER_LINES);
        snprintf(name, sizeof name, "%s %d", edit, q + 1);
        app_button(a, (ui_rect_t){x + w - ew, h0 + (rh - 88) / 2, ew, 88}, edit, name,
                   ACT_QEDIT + q, BTN_SECONDARY, 1);
        y = h0 + rh + gap;
    }
    if (pages > 1) {
        int py = bar_y - pager_h + plab_h;

        snprintf(p1, sizeof p1, "%d", a->s.page + 1);
        snprintf(p2, sizeof p2, "%d", pages);
        trf(a, pl, sizeof pl, "q.page", pkv);
        if (plab_h > 0)
            ui_text(&a->dl, x + w - 2 * pw - 16, bar_y - pager_h, 2 * pw + 16, pl, qs, 0,
                    t->muted, AL_LEFT, 0);
        else
            ui_text(&a->dl, x, py + 28, w - 2 * pw - 48, pl, qs, 0, t->muted, AL_LEFT, 0);
        app_button(a, (ui_rect_t){x + w - 2 * pw - 16, py, pw, 96}, tr(a, "q.page.prev"), NULL,
                   ACT_PAGE_PREV, BTN_SECONDARY, a->s.page > 0);
        app_button(a, (ui_rect_t){x + w - pw, py, pw, 96}, tr(a, "q.page.next"), NULL,
                   ACT_PAGE_NEXT, BTN_SECONDARY, a->s.page + 1 < pages);
    }
    app_button(a, (ui_rect_t){x, bar_y, bw1, 110}, tr(a, "btn.back"), NULL, ACT_BACK,
               BTN_SECONDARY, 1);
    app_button(a, (ui_rect_t){a->w - APP_MARGIN - bw2, send_y, bw2, 110}, send_l, NULL,
               ACT_QSEND, BTN_PRIMARY, 1);
    for (i = 0; i < a->dl.nctl; i++) /* Enter alone never sends */
        if (a->dl.ctls[i].action == ACT_QSEND)
            a->dl.ctls[i].primary = 0;
}

void scr_question_draw(app_t *a)
{
    int top = app_top_bar(a);

    if (a->s.q == APP_QREVIEW)
        draw_review(a, top);
    else
        draw_page(a, top);
}
