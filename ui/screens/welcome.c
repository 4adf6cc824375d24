/* welcome.c - the attract screen: the campaign, "Touch to start", languages;
 * with several campaigns open, a block and a big button each (the budget
 * vote; the petitions, whose list comes next). */
#include <stdio.h>

#include "screens.h"

/* One block of the choice: a kind line, a title, a text, the button
 * (beside the words when there is room, else below). Returns its height;
 * draws it when draw. */
static int choice(app_t *a, int x, int y, int w, const char *kind, const char *title,
                  const char *what, const char *label, const char *name, int act, int draw)
{
    const ui_theme_t *t = &a->theme;
    int bw = app_button_w(a, label, BTN_PRIMARY, 440), bh, side, tw, h, y0 = y, ks = app_sz(a, 28);
    int ts = app_sz_big(a, 40), ws = app_sz(a, 30);

    side = w - 48 - bw - 32 >= 760;
    if (bw > w - 48)
        bw = w - 48;
    tw = side ? w - 48 - bw - 32 : w - 48;
    bh = app_button_h(a, label, bw, BTN_PRIMARY, 120);
    h = 20 + (kind[0] != '\0' ? ui_text_h(&a->dl, kind, ks, 0, tw, 0) + 4 : 0) +
        ui_text_h(&a->dl, title, ts, 1, tw, 0) +
        (what[0] != '\0' ? 8 + ui_text_h(&a->dl, what, ws, 0, tw, 0) : 0) + 20;
    if (!side)
        h += bh + 20;
    else if (h < bh + 40)
        h = bh + 40;
    if (!draw)
        return h;
    dl_rrect(&a->dl, (ui_rect_t){x, y, w, h}, 16, t->surface);
    dl_ring(&a->dl, (ui_rect_t){x, y, w, h}, 16, 2, t->border);
    y += 20;
    if (kind[0] != '\0')
        y += ui_text(&a->dl, x + 24, y, tw, kind, ks, 0, t->muted, AL_LEFT, 0) + 4;
    y += ui_text(&a->dl, x + 24, y, tw, title, ts, 1, t->text, AL_LEFT, 0);
    if (what[0] != '\0')
        y += 8 + ui_text(&a->dl, x + 24, y + 8, tw, what, ws, 0, t->text, AL_LEFT, 0);
    y += 20;
    if (side)
        app_button(a, (ui_rect_t){x + w - 24 - bw, y0 + (h - bh) / 2, bw, bh}, label, name, act,
                   BTN_PRIMARY, 1);
    else
        app_button(a, (ui_rect_t){x + 24, y, bw, bh}, label, name, act, BTN_PRIMARY, 1);
    /* several buttons: Enter alone starts none of them */
    a->dl.ctls[a->dl.nctl - 1].primary = 0;
    return h;
}

/* Several campaigns open: what would you like to do? When the screen is
 * short (large text), the welcome word and the language hint (the
 * languages are at the top anyway) give way first, then the blocks' texts,
 * their kind lines, and the question. */
static int welcome_many_layout(app_t *a, int x, int y0, int w, int level, int draw)
{
    const ui_theme_t *t = &a->theme;
    int gap = level > 0 ? 16 : 24, b = app_budget_index(a), np = app_n_petitions(a), i, pi = -1;
    int id = app_ideas_index(a), qi = app_quest_index(a);
    int y = y0;
    char what[512], n[16];
    const char *kv[] = {"n", n, NULL};

    for (i = 0; i < a->n_camp; i++)
        if (a->camp[i].pkg->kind == PKG_PETITION && pi < 0)
            pi = i;
    snprintf(n, sizeof n, "%d", np);
    trf(a, what, sizeof what, np == 1 ? "welcome.pet.what.1" : "welcome.pet.what", kv);
    if (level < 1)
        y += (draw ? ui_text(&a->dl, x, y, w, tr(a, "welcome.kicker"), app_sz(a, 34), 0, t->muted,
                             AL_CENTER, 0)
                   : ui_text_h(&a->dl, tr(a, "welcome.kicker"), app_sz(a, 34), 0, w, 0)) + 8;
    if (level < 5) /* four campaigns at the largest size: the blocks speak for themselves */
        y += (draw ? ui_text(&a->dl, x, y, w, tr(a, "welcome.many.title"), app_sz_big(a, 56), 1,
                             t->text, AL_CENTER, 0)
                   : ui_text_h(&a->dl, tr(a, "welcome.many.title"), app_sz_big(a, 56), 1, w, 0)) +
             gap;
    if (b >= 0)
        y += choice(a, x, y, w, level < 4 ? tr(a, "welcome.budget.kind") : "",
                    app_ptext(a, &a->camp[b].pkg->title),
                    level < 3 ? tr(a, "welcome.budget.what") : "", tr(a, "welcome.budget.go"),
                    NULL, ACT_CAMPAIGN + b, draw) + gap;
    if (id >= 0)
        y += choice(a, x, y, w, level < 4 ? tr(a, "welcome.ideas.kind") : "",
                    app_ptext(a, &a->camp[id].pkg->title),
                    level < 3 ? tr(a, "welcome.ideas.what") : "", tr(a, "welcome.ideas.go"),
                    NULL, ACT_IDEAS + id, draw) + gap;
    if (qi >= 0)
        y += choice(a, x, y, w, level < 4 ? tr(a, "welcome.quest.kind") : "",
                    app_ptext(a, &a->camp[qi].pkg->title),
                    level < 3 ? tr(a, "welcome.quest.what") : "", tr(a, "welcome.quest.go"),
                    NULL, ACT_QUEST + qi, draw) + gap;
    if (np > 0)
        y += choice(a, x, y, w, level < 4 ? tr(a, "welcome.pet.kind") : "",
                    np == 1 ? app_ptext(a, &a->camp[pi].pkg->title) : tr(a, "welcome.pet.many"),
                    level < 3 ? what : "", tr(a, "welcome.pet.go"), NULL, ACT_PETITIONS, draw) +
             gap;
    if (level < 2)
        y += draw ? ui_text(&a->dl, x, y, w, tr(a, "welcome.lang_hint"), app_sz(a, 30), 0,
                            t->muted, AL_CENTER, 0)
                  : ui_text_h(&a->dl, tr(a, "welcome.lang_hint"), app_sz(a, 30), 0, w, 0);
    /* audio mode, for those who cannot read this (and whoever helps them) */
    y += draw ? ui_text(&a->dl, x, y, w, tr(a, "welcome.audio"), app_sz(a, 30), 0, t->muted,
                        AL_CENTER, 0)
              : ui_text_h(&a->dl, tr(a, "welcome.audio"), app_sz(a, 30), 0, w, 0);
    return y - y0;
}

static void welcome_many(app_t *a)
{
    int top = app_top_bar(a), w = a->w - 2 * APP_MARGIN, x = APP_MARGIN, y, level, h = 0;

    if (w > 1600) {
        x += (w - 1600) / 2;
        w = 1600;
    }
    /* with three campaigns at the largest size, the kind lines go; with
     * four, the question above them */
    for (level = 0; level < 5; level++)
        if ((h = welcome_many_layout(a, x, 0, w, level, 0)) <= a->h - top - 32)
            break;
    y = top + (a->h - top - h) / 2;
    if (y < top + 16)
        y = top + 16;
    welcome_many_layout(a, x, y, w, level, 1);
}

void scr_welcome_draw(app_t *a)
{
    const ui_theme_t *t = &a->theme;
    int top, y, w = a->w - 2 * APP_MARGIN, tw, dw, bw, bh, content, gap, pass, lang_hint = 1;
    const char *title = app_ptext(a, &a->pkg->title), *start = tr(a, "welcome.start");
    const char *what = tr(a, a->pkg->kind == PKG_PETITION ? "welcome.pet.single"
                             : a->pkg->kind == PKG_IDEAS ? "welcome.ideas.single"
                             : a->pkg->kind == PKG_QUESTIONNAIRE ? "welcome.quest.single"
                                                         : "welcome.what");

    if (a->n_camp > 1) {
        welcome_many(a);
        return;
    }
    /* the whole screen starts (an unlabelled control: taps only, no focus) */
    dl_control(&a->dl, (ui_rect_t){0, 0, a->w, a->h}, ACT_START, "", NULL, NULL, 1, 0);
    top = app_top_bar(a);
    /* narrower lines read better, while the text is not large */
    tw = w > 1400 && t->scale == 100 ? w - 160 : w;
    dw = w > 1400 && t->scale == 100 ? w - 400 : w;
    bw = app_button_w(a, start, BTN_PRIMARY, 900);
    if (bw > w)
        bw = w;
    bh = app_button_h(a, start, bw, BTN_PRIMARY, t->scale == 100 ? 140 : 112);
    /* measure, then centre what fits in the room left (gaps shrink first;
     * then the language hint goes: the languages are at the top anyway) */
    content = 0;
    for (pass = 0; pass < 3; pass++) {
        int draw = pass == 2;
        if (pass == 1 && content + 4 * 16 + 16 <= a->h - top)
            continue; /* everything fits */
        if (pass == 1)
            lang_hint = 0;
        if (draw) {
            gap = (a->h - top - content) / 6;
            if (gap > 72)
                gap = 72;
            if (gap < 16)
                gap = 16;
            y = top + (a->h - top - content - 4 * gap) / 2;
            if (y < top + 16)
                y = top + 16;
        } else {
            gap = 0;
            y = 0;
        }
        y += draw ? ui_text(&a->dl, APP_MARGIN, y, w, tr(a, "welcome.kicker"), app_sz(a, 34), 0,
                            t->muted, AL_CENTER, 0)
                  : ui_text_h(&a->dl, tr(a, "welcome.kicker"), app_sz(a, 34), 0, w, 0);
        y += gap / 2;
        y += draw ? ui_text(&a->dl, (a->w - tw) / 2, y, tw, title, app_sz_big(a, 64), 1, t->text,
                            AL_CENTER, 0)
                  : ui_text_h(&a->dl, title, app_sz_big(a, 64), 1, tw, 0);
        y += gap;
        y += draw ? ui_text(&a->dl, (a->w - dw) / 2, y, dw, what, app_sz(a, 34),
                            0, t->text, AL_CENTER, 0)
                  : ui_text_h(&a->dl, what, app_sz(a, 34), 0, dw, 0);
        y += gap;
        if (draw)
            app_button(a, (ui_rect_t){(a->w - bw) / 2, y, bw, bh}, start, NULL, ACT_START,
                       BTN_PRIMARY, 1);
        y += bh + gap / 2;
        if (lang_hint)
            y += draw ? ui_text(&a->dl, APP_MARGIN, y, w, tr(a, "welcome.lang_hint"),
                                app_sz(a, 30), 0, t->muted, AL_CENTER, 0)
                      : ui_text_h(&a->dl, tr(a, "welcome.lang_hint"), app_sz(a, 30), 0, w, 0);
        /* audio mode, for those who cannot read this (and whoever helps them) */
        y += draw ? ui_text(&a->dl, APP_MARGIN, y, w, tr(a, "welcome.audio"), app_sz(a, 30), 0,
                            t->muted, AL_CENTER, 0)
                  : ui_text_h(&a->dl, tr(a, "welcome.audio"), app_sz(a, 30), 0, w, 0);
        if (!draw)
            content = y;
    }
}

void scr_welcome_act(app_t *a, int act)
{
    if (act == ACT_START && a->n_camp == 1 && a->pkg->kind == PKG_PETITION) {
        a->s.page = 0;
        app_go(a, SCR_PETITIONS);
    } else if (act == ACT_START && a->n_camp == 1 && a->pkg->kind == PKG_IDEAS) {
        app_go(a, SCR_IDEAS);
    } else if (act == ACT_START && a->n_camp == 1 && a->pkg->kind == PKG_QUESTIONNAIRE) {
        app_go(a, SCR_QUEST);
    } else if (act >= ACT_QUEST && act < ACT_QUEST + a->n_camp &&
               a->camp[act - ACT_QUEST].pkg->kind == PKG_QUESTIONNAIRE) {
        app_use_campaign(a, act - ACT_QUEST);
        app_go(a, SCR_QUEST);
    } else if (act >= ACT_IDEAS && act < ACT_IDEAS + a->n_camp &&
               a->camp[act - ACT_IDEAS].pkg->kind == PKG_IDEAS) {
        app_use_campaign(a, act - ACT_IDEAS);
        app_go(a, SCR_IDEAS);
    } else if (act == ACT_START && a->n_camp == 1) {
        app_start_budget(a);
    } else if (act >= ACT_CAMPAIGN && act < ACT_CAMPAIGN + a->n_camp) {
        app_use_campaign(a, act - ACT_CAMPAIGN);
        app_start_budget(a);
    } else if (act == ACT_PETITIONS && app_n_petitions(a) > 0) {
        a->s.page = 0;
        app_go(a, SCR_PETITIONS);
    }
}
