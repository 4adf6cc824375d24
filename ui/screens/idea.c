/* idea.c - a call for ideas at the kiosk (issue 17).
 *
 *   SCR_IDEAS   what the call is and how an idea goes on (read by the
 *               team, studied, put to the vote), how many one may propose
 *   -> IDENTITY (who proposes: the limit per person, the territory)
 *   SCR_IDEA    one question a page: the theme (buttons), the title, the
 *               description (line feeds), the place and the contact (both
 *               optional, and asked only when the package asks), then the
 *               review (each part with "Modifier"), then the send
 *               (cast_idea) -> RECEIPT with the tracking code that tells,
 *               at home, where the idea stands.
 *
 * The text steps have a keyboard of their own: lower and upper case (a
 * capital by itself at the start of a sentence, "⇧" to change it),
 * accents, digits and signs ("123"), space, line feed (the description
 * only), erase; a physical keyboard types as well. A live count says how
 * many characters are left; a full field says so rather than drop a key
 * silently. Everything typed lives in app_t.s and goes with the session
 * (DESIGN-S3); the contact is sealed to the data controller by cast_idea
 * and never shown back after the review (IDEA-I1). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/platform_util.h>

#include "bn_err.h"
#include "day.h"
#include "screens.h"


/* --- the steps -------------------------------------------------------------- */

static int has_contact(const app_t *a)
{
    return a->pkg->ideas.contact && a->pkg->ideas.has_controller;
}

/* 1 when the package asks this step. */
static int asked(const app_t *a, int step)
{
    if (step == IS_PLACE)
        return a->pkg->ideas.place;
    if (step == IS_CONTACT)
        return has_contact(a);
    return step >= 0 && step < IS__COUNT;
}

/* "Étape n sur total": the questions asked (the review is not one). */
static void step_count(const app_t *a, int *n, int *total)
{
    int s;

    *n = *total = 0;
    for (s = 0; s < IS_REVIEW; s++)
        if (asked(a, s)) {
            (*total)++;
            if (s <= a->s.idea_step)
                (*n)++;
        }
}

static char *field_of(app_t *a, int step, size_t *cap, int *max_chars);

/* The keyboard's target on a text step. */
static textkb_t target(app_t *a)
{
    textkb_t t;

    memset(&t, 0, sizeof t);
    t.f = field_of(a, a->s.idea_step, &t.cap, &t.max);
    t.newline = a->s.idea_step == IS_TEXT;
    t.no_auto_caps = a->s.idea_step == IS_CONTACT; /* e-mail addresses are in lower case */
    t.bytes = a->s.idea_step == IS_CONTACT;
    return t;
}

int idea_typing(const app_t *a)
{
    return a->scr == SCR_IDEA && a->s.idea_step >= IS_TITLE && a->s.idea_step <= IS_CONTACT;
}

/* The field of a text step, its size in bytes and in characters. */
static char *field_of(app_t *a, int step, size_t *cap, int *max_chars)
{
    switch (step) {
    case IS_TITLE:
        *cap = sizeof a->s.idea_title;
        *max_chars = IDEA_TITLE_CHARS;
        return a->s.idea_title;
    case IS_TEXT:
        *cap = sizeof a->s.idea_text;
        *max_chars = IDEA_TEXT_CHARS;
        return a->s.idea_text;
    case IS_PLACE:
        *cap = sizeof a->s.idea_place;
        *max_chars = IDEA_PLACE_CHARS;
        return a->s.idea_place;
    case IS_CONTACT:
        *cap = sizeof a->s.idea_contact;
        *max_chars = IDEA_CONTACT_BYTES;
        return a->s.idea_contact;
    }
    *cap = 0;
    *max_chars = 0;
    return NULL;
}

/* Trailing spaces and line feeds go (the person does not see them). */
static void trim(char *f)
{
    size_t n = strlen(f);

    while (n > 0 && (f[n - 1] == ' ' || f[n - 1] == '\n'))
        f[--n] = '\0';
}

/* An e-mail address (something@something.something) or a phone number
 * (10 digits or more, with spaces, dots, dashes or a leading +). */
static int contact_ok(const char *c)
{
    const char *at = strchr(c, '@'), *p;
    int digits = 0, other = 0;

    if (at != NULL)
        return at > c && strchr(at + 1, '@') == NULL && strchr(at + 1, '.') != NULL &&
               at[1] != '.' && c[strlen(c) - 1] != '.' && strchr(c, ' ') == NULL;
    for (p = c; *p; p++) {
        if (*p >= '0' && *p <= '9')
            digits++;
        else if (!(*p == ' ' || *p == '.' || *p == '-' || (*p == '+' && p == c)))
            other++;
    }
    return digits >= 10 && digits <= 15 && other == 0;
}

/* The step's problem, or 0 when it may go on. */
static int validate(app_t *a)
{
    switch (a->s.idea_step) {
    case IS_THEME:
        if (a->s.idea_theme < 0) {
            a->s.field_err = "idea.err.theme";
            return -1;
        }
        return 0;
    case IS_TITLE:
        trim(a->s.idea_title);
        if (a->s.idea_title[0] == '\0') {
            a->s.field_err = "idea.err.title";
            return -1;
        }
        return 0;
    case IS_TEXT:
        trim(a->s.idea_text);
        if (a->s.idea_text[0] == '\0') {
            a->s.field_err = "idea.err.text";
            return -1;
        }
        return 0;
    case IS_PLACE:
        trim(a->s.idea_place);
        return 0;
    case IS_CONTACT:
        trim(a->s.idea_contact);
        if (a->s.idea_contact[0] != '\0' && !contact_ok(a->s.idea_contact)) {
            a->s.field_err = "idea.err.contact";
            return -1;
        }
        return 0;
    }
    return 0;
}

static void go_step(app_t *a, int step)
{
    a->s.idea_step = step;
    a->s.field_err = NULL;
    a->s.idea_caps = -1;
    a->s.idea_symbols = 0;
    a->scan_home = 1;
    a->focus = -1;
    a->dirty = 1;
}

static int next_asked(const app_t *a, int step)
{
    do
        step++;
    while (step < IS_REVIEW && !asked(a, step));
    return step;
}

static int prev_asked(const app_t *a, int step)
{
    do
        step--;
    while (step > IS_THEME && !asked(a, step));
    return step;
}

void idea_begin(app_t *a)
{
    cast_ctx_t ctx;
    cast_identity_t who;
    char birth[DAY_TEXT_LEN + 1], why[160];
    int n = 0, rc;

    app_cast_inputs(a, &ctx, &who, birth);
    rc = cast_ideas_proposed(&ctx, &who, &n);
    mbedtls_platform_zeroize(ctx.secret, sizeof ctx.secret);
    mbedtls_platform_zeroize(birth, sizeof birth);
    if (rc != 0) {
        snprintf(why, sizeof why, "store: %s", bn_strerror(rc));
        app_out_of_service(a, why);
        return;
    }
    if (n >= a->pkg->ideas.max_per_person) {
        a->s.msg = MSG_IDEAS_LIMIT;
        app_go(a, SCR_MESSAGE);
        return;
    }
    a->s.idea_theme = -1;
    app_go(a, SCR_IDEA);
    go_step(a, IS_THEME);
}

/* The send: cast_idea, then the receipt, or a message that says why not. */
static void send(app_t *a)
{
    cast_ctx_t ctx;
    cast_identity_t who;
    cast_receipt_t rec;
    cast_idea_t idea;
    char birth[DAY_TEXT_LEN + 1], why[256];
    int rc;

    memset(&idea, 0, sizeof idea);
    idea.theme = a->s.idea_theme;
    idea.territory = -1; /* the person's own */
    idea.title = a->s.idea_title;
    idea.description = a->s.idea_text;
    idea.place = a->s.idea_place;
    idea.contact = has_contact(a) ? a->s.idea_contact : NULL;
    app_cast_inputs(a, &ctx, &who, birth);
    rc = cast_idea(&ctx, &who, &idea, app_day(a), &rec, why, sizeof why);
    if (rc == BN_EREVOKED)
        app_cast_revoked(a, why, sizeof why);
    mbedtls_platform_zeroize(ctx.secret, sizeof ctx.secret);
    mbedtls_platform_zeroize(birth, sizeof birth);
    if (rc == 0) {
        /* signed and on disk: the receipt may be shown (the session, the
         * idea and its contact with it, is wiped there) */
        app_show_receipt(a, &rec, APP_RECEIPT_IDEA);
        return;
    }
    a->s.msg = rc == BN_EALREADY ? MSG_IDEAS_LIMIT
               : rc == BN_ECLOSED ? MSG_CLOSED
               : rc == BN_ERANGE  ? MSG_TOO_YOUNG
                                  : MSG_NOT_STORED;
    if (a->s.msg == MSG_NOT_STORED) /* not stored: said, then out of service */
        snprintf(a->oos_reason, sizeof a->oos_reason, "idea: %s", why);
    a->s.in_doubt = rc == BN_EDOUBT;
    app_go(a, SCR_MESSAGE);
}

void scr_idea_char(app_t *a, const char *utf8)
{
    textkb_t t = target(a);

    if (t.f != NULL)
        textkb_char(a, &t, utf8);
}

void scr_idea_act(app_t *a, int act)
{
    textkb_t t = target(a);

    a->dirty = 1;
    if (t.f != NULL && textkb_act(a, &t, act))
        return;
    if (act >= ACT_THEME && act < ACT_THEME + a->pkg->ideas.n_themes &&
        a->s.idea_step == IS_THEME) {
        a->s.idea_theme = act - ACT_THEME;
        a->s.field_err = NULL;
        go_step(a, a->s.idea_from_review ? IS_REVIEW : next_asked(a, IS_THEME));
        a->s.idea_from_review = 0;
        return;
    }
    if (act >= ACT_IDEA_EDIT && act < ACT_IDEA_EDIT + IS_REVIEW && asked(a, act - ACT_IDEA_EDIT)) {
        a->s.idea_from_review = 1;
        go_step(a, act - ACT_IDEA_EDIT);
        return;
    }
    switch (act) {
    case ACT_NEXT:
    case ACT_IDEA_SKIP:
        if (validate(a) != 0)
            break;
        if (a->s.idea_step == IS_REVIEW)
            break;
        go_step(a, a->s.idea_from_review ? IS_REVIEW : next_asked(a, a->s.idea_step));
        a->s.idea_from_review = 0;
        break;
    case ACT_BACK:
        if (a->s.idea_from_review) {
            /* back to the review, the change kept if it holds */
            if (validate(a) != 0)
                break;
            a->s.idea_from_review = 0;
            go_step(a, IS_REVIEW);
        } else if (a->s.idea_step == IS_THEME) {
            a->s.field_err = NULL;
            app_go(a, SCR_IDENTITY); /* the commune step */
        } else {
            go_step(a, prev_asked(a, a->s.idea_step));
        }
        break;
    case ACT_IDEA_SEND:
        if (a->s.idea_step == IS_REVIEW)
            send(a);
        break;
    }
}

/* --- the call --------------------------------------------------------------- */

void scr_ideas_act(app_t *a, int act)
{
    if (act == ACT_IDEA_START) {
        a->s.step = ID_LAST;
        app_go(a, SCR_IDENTITY);
    } else if (act == ACT_BACK) {
        app_reset_session(a);
    }
}

void scr_ideas_draw(app_t *a)
{
    const ui_theme_t *t = &a->theme;
    int top = app_top_bar(a), w = a->w - 2 * APP_MARGIN, x = APP_MARGIN, y, bw1, bw2, bh, bar_y;
    int side, ps = app_sz(a, 32), level, h;
    const char *back = tr(a, "btn.back"), *go = tr(a, "ideas.go");
    char buf[512], n[16];
    const char *kv[] = {"n", n, NULL};

    if (w > 1500 && a->theme.scale == 100) {
        x += (w - 1500) / 2;
        w = 1500;
    }
    snprintf(n, sizeof n, "%d", a->pkg->ideas.max_per_person);
    bw1 = app_button_w(a, back, BTN_SECONDARY, 300);
    bw2 = app_button_w(a, go, BTN_PRIMARY, 520);
    side = bw1 + bw2 + 40 <= w;
    if (!side)
        bw1 = bw2 = w;
    bh = app_button_h(a, back, bw1, BTN_SECONDARY, 110);
    bh = app_button_h(a, go, bw2, BTN_PRIMARY, bh);
    bar_y = a->h - 24 - (side ? bh : 2 * bh + 24);
    /* what fits: the call's text, then the three steps, then the limit;
     * on a short screen the call's own text goes first (it is long), then
     * the steps' smaller lines */
    trf(a, buf, sizeof buf, a->pkg->ideas.max_per_person == 1 ? "ideas.limit.1" : "ideas.limit",
        kv);
    for (level = 0; level < 3; level++) {
        h = ui_text_h(&a->dl, app_ptext(a, &a->pkg->title), app_sz_big(a, 52), 1, w, 0) + 16;
        if (level < 1)
            h += ui_text_h(&a->dl, app_ptext(a, &a->pkg->description), ps, 0, w, 0) + 24;
        if (level < 2)
            h += ui_text_h(&a->dl, tr(a, "ideas.how"), ps, 1, w, 0) + 8 +
                 ui_text_h(&a->dl, tr(a, "ideas.steps"), ps, 0, w, 0) + 24;
        h += ui_text_h(&a->dl, buf, ps, 1, w, 0);
        if (top + 24 + h <= bar_y - 24)
            break;
    }
    y = top + 24;
    y += app_heading(a, x, y, w, app_ptext(a, &a->pkg->title)) + 16;
    if (level < 1)
        y += ui_text(&a->dl, x, y, w, app_ptext(a, &a->pkg->description), ps, 0, t->text, AL_LEFT,
                     0) + 24;
    if (level < 2) {
        y += ui_text(&a->dl, x, y, w, tr(a, "ideas.how"), ps, 1, t->text, AL_LEFT, 0) + 8;
        y += ui_text(&a->dl, x, y, w, tr(a, "ideas.steps"), ps, 0, t->text, AL_LEFT, 0) + 24;
    }
    ui_text(&a->dl, x, y, w, buf, ps, 1, t->text, AL_LEFT, 0);
    if (side) {
        app_button(a, (ui_rect_t){x, bar_y, bw1, bh}, back, NULL, ACT_BACK, BTN_SECONDARY, 1);
        app_button(a, (ui_rect_t){x + w - bw2, bar_y, bw2, bh}, go, NULL, ACT_IDEA_START,
                   BTN_PRIMARY, 1);
    } else {
        app_button(a, (ui_rect_t){x, bar_y, w, bh}, go, NULL, ACT_IDEA_START, BTN_PRIMARY, 1);
        app_button(a, (ui_rect_t){x, bar_y + bh + 24, w, bh}, back, NULL, ACT_BACK,
                   BTN_SECONDARY, 1);
    }
}

/* --- drawing the steps ----------------------------------------------------------- */

static const char *const questions[IS__COUNT] = {"idea.q.theme", "idea.q.title", "idea.q.text",
                                                 "idea.q.place", "idea.q.contact", ""};
static const char *const hints[IS__COUNT] = {"idea.hint.theme", "idea.hint.title",
                                             "idea.hint.text", "idea.hint.place",
                                             "idea.hint.contact", ""};

/* The bar at the bottom (or at bar_y, >= 0): back, and next (or "skip"
 * when an optional step is empty). Returns its y. */
static int bottom_bar(app_t *a, int optional_empty, int at)
{
    const char *next = tr(a, optional_empty ? "idea.skip" : a->s.idea_from_review ? "idea.done"
                                                                                : "btn.next");
    int bw_back = app_button_w(a, tr(a, "btn.back"), BTN_SECONDARY, 300),
        bw_next = app_button_w(a, next, BTN_PRIMARY, 360), bar_y = at >= 0 ? at : a->h - 24 - 96;

    app_button(a, (ui_rect_t){APP_MARGIN, bar_y, bw_back, 96}, tr(a, "btn.back"), NULL, ACT_BACK,
               BTN_SECONDARY, 1);
    if (a->s.idea_step != IS_THEME || a->s.idea_theme >= 0)
        app_button(a, (ui_rect_t){a->w - APP_MARGIN - bw_next, bar_y, bw_next, 96}, next, NULL,
                   optional_empty ? ACT_IDEA_SKIP : ACT_NEXT, BTN_PRIMARY, 1);
    return bar_y;
}

static void draw_theme(app_t *a, int top)
{
    const ui_theme_t *t = &a->theme;
    int fw = a->w - 2 * APP_MARGIN, x = APP_MARGIN, y = top + 16, bar_y, i, cols, bw, bh, nt,
        gap = 16, rows;
    char buf[128], n1[8], n2[8];
    const char *kv[] = {"n", n1, "total", n2, NULL};
    int n, total;

    bar_y = bottom_bar(a, 0, -1);
    step_count(a, &n, &total);
    snprintf(n1, sizeof n1, "%d", n);
    snprintf(n2, sizeof n2, "%d", total);
    y += ui_text(&a->dl, x, y, fw, trf(a, buf, sizeof buf, "idea.step", kv), app_sz(a, 28), 0,
                 t->muted, AL_LEFT, 0) + 4;
    y += ui_text(&a->dl, x, y, fw, tr(a, questions[IS_THEME]), app_sz_big(a, 48), 1, t->text,
                 AL_LEFT, 0) + 8;
    if (a->s.field_err != NULL)
        y += app_notice(a, x, y, fw, tr(a, a->s.field_err)) + 12;
    else
        y += ui_text(&a->dl, x, y, fw, tr(a, hints[IS_THEME]), app_sz(a, 30), 0, t->muted,
                     AL_LEFT, 0) + 16;
    nt = a->pkg->ideas.n_themes;
    cols = a->w > a->h && a->theme.scale < 150 ? 2 : 1;
    bw = (fw - (cols - 1) * gap) / cols;
    bh = 96;
    for (i = 0; i < nt; i++)
        bh = app_button_h(a, app_ptext(a, &a->pkg->ideas.themes[i].name), bw, BTN_SECONDARY, bh);
    rows = (nt + cols - 1) / cols;
    while (rows > 1 && y + rows * bh + (rows - 1) * gap > bar_y - 16 && gap > 8)
        gap -= 4;
    for (i = 0; i < nt; i++) {
        char label[200];
        int chosen = i == a->s.idea_theme;

        snprintf(label, sizeof label, "%s%s", chosen ? "\xe2\x9c\x93 " : "",
                 app_ptext(a, &a->pkg->ideas.themes[i].name));
        app_button(a, (ui_rect_t){x + (i % cols) * (bw + gap), y + (i / cols) * (bh + gap), bw, bh},
                   label, app_ptext(a, &a->pkg->ideas.themes[i].name), ACT_THEME + i,
                   chosen ? BTN_CHOSEN : BTN_SECONDARY, 1);
    }
}

static void draw_text_step(app_t *a, int top)
{
    const ui_theme_t *t = &a->theme;
    int step = a->s.idea_step, fw = a->w - 2 * APP_MARGIN, fx = APP_MARGIN, y = top + 16;
    int fs = app_sz(a, step == IS_TEXT ? 32 : 40), lh = ui_line_h(fs), hs = app_sz(a, 28);
    int bar_y, kb_y, rows, fh, room, last_w, nlines, caret_x, caret_y, max, left;
    int n, total, opt = step == IS_PLACE || step == IS_CONTACT;
    size_t cap;
    char *val = field_of(a, step, &cap, &max), buf[300], n1[16], n2[16], count[160];
    const char *kv[] = {"n", n1, "total", n2, NULL};
    const char *err = a->s.field_err != NULL ? tr(a, a->s.field_err) : NULL;
    int show_step = 1, show_hint = 1, qh, sh, nh, ch, hh;

    bar_y = a->h - 24 - 96;
    kb_y = bar_y - 16 - TEXTKB_H;
    if (a->h > a->w && kb_y > top + 16 + 900) {
        /* portrait: the keyboard under the field, the buttons under it */
        kb_y = top + 16 + 900;
        bar_y = kb_y + TEXTKB_H + 24;
    }
    bottom_bar(a, opt && val[0] == '\0', bar_y);
    {
        textkb_t tk = target(a);
        textkb_draw(a, &tk, kb_y);
    }
    /* the count: how many characters are left */
    left = max - textkb_chars(val);
    snprintf(n1, sizeof n1, "%d", left);
    snprintf(n2, sizeof n2, "%d", max);
    trf(a, count, sizeof count, left == 0 ? "idea.left.0" : left == 1 ? "idea.left.1" : "idea.left",
        kv);
    /* what fits above the keyboard: the step line goes first, then the hint */
    step_count(a, &n, &total);
    snprintf(n1, sizeof n1, "%d", n);
    snprintf(n2, sizeof n2, "%d", total);
    trf(a, buf, sizeof buf, "idea.step", kv);
    sh = ui_text_h(&a->dl, buf, hs, 0, fw, 0) + 4;
    qh = ui_text_h(&a->dl, tr(a, questions[step]), app_sz_big(a, 44), 1, fw, 0) + 8;
    nh = err != NULL ? app_notice_h(a, fw, err) + 8 : 0;
    ch = ui_line_h(hs) + 8;
    hh = ui_text_h(&a->dl, tr(a, hints[step]), hs, 0, fw, 0) + 8;
    room = kb_y - 16 - (top + 16);
    /* the field's lines give way first (down to 4 for a description),
     * then the hint, then the step line, then more lines */
    rows = step == IS_TEXT ? 6 : 2;
    while (rows > (step == IS_TEXT ? 4 : 1) && sh + qh + nh + ch + hh + rows * lh + 24 > room)
        rows--;
    if (sh + qh + nh + ch + hh + rows * lh + 24 > room)
        show_hint = 0, hh = 0;
    if (sh + qh + nh + ch + rows * lh + 24 > room)
        show_step = 0, sh = 0;
    while (rows > 1 && qh + sh + nh + ch + hh + rows * lh + 24 > room)
        rows--;
    if (show_step)
        y += ui_text(&a->dl, fx, y, fw, buf, hs, 0, t->muted, AL_LEFT, 0) + 4;
    y += ui_text(&a->dl, fx, y, fw, tr(a, questions[step]), app_sz_big(a, 44), 1, t->text,
                 AL_LEFT, 0) + 8;
    if (show_hint)
        y += ui_text(&a->dl, fx, y, fw, tr(a, hints[step]), hs, 0, t->muted, AL_LEFT, 0) + 8;
    /* the field, its last lines, the caret after the last character */
    fh = rows * lh + 24;
    dl_rrect(&a->dl, (ui_rect_t){fx, y, fw, fh}, 12, t->surface);
    dl_ring(&a->dl, (ui_rect_t){fx, y, fw, fh}, 12, 4, t->accent);
    nlines = textkb_lines(a, val, fx + 24, y + 12, fw - 48 - 12, fs, rows, &last_w);
    caret_x = fx + 24 + last_w + 4;
    caret_y = y + 12 + ((nlines > rows ? rows : nlines > 0 ? nlines : 1) - 1) * lh;
    if (caret_x > fx + fw - 20)
        caret_x = fx + fw - 20;
    dl_rect(&a->dl, (ui_rect_t){caret_x, caret_y + 6, 4, lh - 12}, t->text);
    y += fh + 8;
    ui_text(&a->dl, fx, y, fw, count, hs, left <= max / 10, t->text, AL_LEFT, 0);
    y += ch;
    if (err != NULL)
        app_notice(a, fx, y, fw, err);
}

/* One part of the review: its name, its text (the description's first
 * lines when it is long: whole lines, "N lignes de plus"), "Modifier". */
static int review_part(app_t *a, int x, int y, int w, const char *name, const char *text,
                       int step, int max_lines, int draw)
{
    const ui_theme_t *t = &a->theme;
    const char *edit = tr(a, "idea.edit");
    int bw = app_button_w(a, edit, BTN_SECONDARY, 220), tw = w - bw - 24, ns = app_sz(a, 26),
        ts = app_sz(a, 30), h, n, lh = ui_line_h(ts), shown;
    char more[128], k[16], ename[300];
    const char *kv[] = {"n", k, NULL};
    static size_t st[TEXTKB_LINES_MAX], ln[TEXTKB_LINES_MAX];

    n = ui_wrap(&a->dl, text, ts, 0, tw, st, ln, TEXTKB_LINES_MAX);
    if (n > TEXTKB_LINES_MAX)
        n = TEXTKB_LINES_MAX;
    shown = max_lines > 0 && n > max_lines ? max_lines - 1 : n;
    h = ui_line_h(ns) + 4 + (shown > 0 ? shown : 1) * lh;
    if (shown < n) {
        snprintf(k, sizeof k, "%d", n - shown);
        trf(a, more, sizeof more, n - shown == 1 ? "idea.more.1" : "idea.more", kv);
        h += lh;
    }
    if (h < 96)
        h = 96;
    if (!draw)
        return h;
    ui_text(&a->dl, x, y, tw, name, ns, 1, t->muted, AL_LEFT, 0);
    {
        int i, yy = y + ui_line_h(ns) + 4;
        char line[1200];

        for (i = 0; i < shown; i++) {
            size_t l = ln[i] < sizeof line - 1 ? ln[i] : sizeof line - 1;

            memcpy(line, text + st[i], l);
            line[l] = '\0';
            if (l > 0)
                ui_text(&a->dl, x, yy + i * lh, tw, line, ts, 0, t->text, AL_LEFT, 1);
        }
        if (shown < n)
            ui_text(&a->dl, x, yy + shown * lh, tw, more, ts, 0, t->muted, AL_LEFT, 1);
    }
    snprintf(ename, sizeof ename, "%s : %s", edit, name);
    app_button(a, (ui_rect_t){x + w - bw, y + (h - 96) / 2, bw, 96}, edit, ename,
               ACT_IDEA_EDIT + step, BTN_SECONDARY, 1);
    return h;
}

static int review_layout(app_t *a, int x, int y0, int w, int text_lines, int draw)
{
    const ui_theme_t *t = &a->theme;
    int y = y0, gap = 16, terr = a->s.territory;
    char buf[300];
    const char *kv[] = {"territory", terr >= 0 ? app_ptext(a, &a->pkg->territories[terr].name)
                                              : "", NULL};

    y += (draw ? ui_text(&a->dl, x, y, w, trf(a, buf, sizeof buf, "idea.review.for", kv),
                         app_sz(a, 30), 1, t->text, AL_LEFT, 0)
               : ui_text_h(&a->dl, trf(a, buf, sizeof buf, "idea.review.for", kv), app_sz(a, 30),
                           1, w, 0)) + gap;
    y += review_part(a, x, y, w, tr(a, "idea.part.theme"),
                     app_ptext(a, &a->pkg->ideas.themes[a->s.idea_theme].name), IS_THEME, 0,
                     draw) + gap;
    y += review_part(a, x, y, w, tr(a, "idea.part.title"), a->s.idea_title, IS_TITLE, 0, draw) +
         gap;
    y += review_part(a, x, y, w, tr(a, "idea.part.text"), a->s.idea_text, IS_TEXT, text_lines,
                     draw) + gap;
    if (asked(a, IS_PLACE))
        y += review_part(a, x, y, w, tr(a, "idea.part.place"),
                         a->s.idea_place[0] ? a->s.idea_place : tr(a, "idea.none"), IS_PLACE, 0,
                         draw) + gap;
    if (asked(a, IS_CONTACT))
        y += review_part(a, x, y, w, tr(a, "idea.part.contact"),
                         a->s.idea_contact[0] ? a->s.idea_contact : tr(a, "idea.none"),
                         IS_CONTACT, 0, draw) + gap;
    return y - y0;
}

static void draw_review(app_t *a, int top)
{
    int w = a->w - 2 * APP_MARGIN, x = APP_MARGIN, y = top + 16, lines, i;
    const char *send_l = tr(a, "idea.send"), *back = tr(a, "btn.back");
    int bw1 = app_button_w(a, back, BTN_SECONDARY, 300), bw2 = app_button_w(a, send_l, BTN_PRIMARY,
                                                                             420);
    int bh = 110, bar_y = a->h - 24 - bh, heading = 1, hh;

    hh = ui_text_h(&a->dl, tr(a, "idea.review.title"), app_sz_big(a, 52), 1, w, 0) + 16;
    /* the description's lines that fit; the heading gives way first */
    for (lines = 8; lines > 2; lines--)
        if (y + hh + review_layout(a, x, 0, w, lines, 0) <= bar_y - 16)
            break;
    if (y + hh + review_layout(a, x, 0, w, lines, 0) > bar_y - 16)
        heading = 0;
    if (heading)
        y += app_heading(a, x, y, w, tr(a, "idea.review.title")) + 16;
    review_layout(a, x, y, w, lines, 1);
    app_button(a, (ui_rect_t){x, bar_y, bw1, bh}, back, NULL, ACT_BACK, BTN_SECONDARY, 1);
    app_button(a, (ui_rect_t){a->w - APP_MARGIN - bw2, bar_y, bw2, bh}, send_l, NULL,
               ACT_IDEA_SEND, BTN_PRIMARY, 1);
    /* Enter alone never sends: the focus must be on "Envoyer" */
    for (i = 0; i < a->dl.nctl; i++)
        if (a->dl.ctls[i].action == ACT_IDEA_SEND)
            a->dl.ctls[i].primary = 0;
}

void scr_idea_draw(app_t *a)
{
    int top = app_top_bar(a);

    if (a->s.idea_step == IS_THEME)
        draw_theme(a, top);
    else if (a->s.idea_step == IS_REVIEW)
        draw_review(a, top);
    else
        draw_text_step(a, top);
}
