/* detail.c - one project in full, with the large toggle and the meter. */
#include <stdio.h>
#include <string.h>

#include "screens.h"

/* The panel: meter, the large toggle, what happened, back. Returns its
 * height; draws it when draw. */
static int panel(app_t *a, int px, int py, int pw, int min_h, int draw)
{
    const ui_theme_t *t = &a->theme;
    int chosen = projects_chosen(a, a->s.detail), y = py + 24, th, bh, ms = app_sz(a, 32);
    char buf[512], left[256], count[256];
    const char *toggle = tr(a, chosen ? "detail.remove" : "detail.choose");
    const char *back = tr(a, "detail.back");

    projects_meter(a, left, count, sizeof left);
    if (draw)
        dl_rrect(&a->dl, (ui_rect_t){px, py, pw, min_h}, 20, t->surface);
    px += 32;
    pw -= 64;
    /* the meter, unless a refused choice is explained (the notice says
     * what is left) and the text is large */
    if (a->s.notice == NOTICE_NONE || a->theme.scale == 100) {
        y += (draw ? ui_text(&a->dl, px, y, pw, left, ms, 1, t->text, AL_LEFT, 0)
                   : ui_text_h(&a->dl, left, ms, 1, pw, 0)) + 12;
        y += (draw ? ui_text(&a->dl, px, y, pw, count, ms, 0, t->text, AL_LEFT, 0)
                   : ui_text_h(&a->dl, count, ms, 0, pw, 0)) + 32;
    }
    if (a->pkg->rule.ballot == PKG_BALLOT_CUMULATIVE) {
        /* one point more, one point less */
        const char *add = tr(a, "detail.point.add"), *sub = tr(a, "detail.point.sub");
        th = app_button_h(a, add, pw, BTN_PRIMARY, 110);
        th = app_button_h(a, sub, pw, BTN_SECONDARY, th);
        if (draw) {
            app_button(a, (ui_rect_t){px, y, pw, th}, add, NULL, ACT_POINT_ADD + a->s.detail,
                       BTN_PRIMARY, 1);
            app_button(a, (ui_rect_t){px, y + th + 16, pw, th}, sub, NULL,
                       ACT_POINT_SUB + a->s.detail, BTN_SECONDARY, chosen);
        }
        y += 2 * th + 16 + 24;
        toggle = NULL;
    } else {
        if (a->pkg->rule.ballot == PKG_BALLOT_ORDINAL)
            toggle = tr(a, chosen ? "detail.rank.remove" : "detail.rank.add");
        th = app_button_h(a, toggle, pw, BTN_PRIMARY, 120);
        if (draw)
            app_button(a, (ui_rect_t){px, y, pw, th}, toggle, NULL, ACT_TOGGLE + a->s.detail,
                       chosen ? BTN_SECONDARY : BTN_PRIMARY, 1);
        y += th + 24;
    }
    if (chosen) {
        /* "✓ Vous avez choisi ce projet.", "... 3 points", "... votre 2e choix" */
        char is[160], n[16];
        const char *kv[] = {"n", n, "rank", n, NULL};
        int v = a->pkg->rule.ballot == PKG_BALLOT_CUMULATIVE ? projects_points(a, a->s.detail)
                                                             : projects_rank(a, a->s.detail);
        snprintf(n, sizeof n, "%d", v);
        trf(a, is, sizeof is,
            a->pkg->rule.ballot == PKG_BALLOT_CUMULATIVE ? (v == 1 ? "detail.has_points.1"
                                                                   : "detail.has_points")
            : a->pkg->rule.ballot == PKG_BALLOT_ORDINAL ? "detail.is_ranked"
                                                        : "detail.is_chosen",
            kv);
        y += (draw ? ui_text(&a->dl, px, y, pw, is, ms, 1, t->text, AL_LEFT, 0)
                   : ui_text_h(&a->dl, is, ms, 1, pw, 0)) + 24;
    }
    if (projects_notice(a, buf, sizeof buf) != NULL) {
        if (draw)
            y += app_notice(a, px, y, pw, buf) + 24;
        else
            y += app_notice_h(a, pw, buf) + 24;
    }
    bh = app_button_h(a, back, pw, BTN_SECONDARY, 96);
    if (y < py + min_h - 32 - bh)
        y = py + min_h - 32 - bh; /* at the bottom when there is room */
    if (draw)
        app_button(a, (ui_rect_t){px, y, pw, bh}, back, NULL, ACT_BACK, BTN_SECONDARY, 1);
    return y + bh + 32 - py;
}

/* The text of the project: the title on every page, then the cost, the
 * summary and the description, split into pages of whole lines of the
 * description when it is too long (the largest text sizes): the first page
 * is filled before the next begins; "Suite du texte" and "Début du texte"
 * turn them, "Texte : page 1 sur 2" counts them. */
#define DETAIL_LINES 256
static void text_column(app_t *a, int x, int y0, int y1, int cw)
{
    const pkg_project_t *p = &a->pkg->projects[a->s.detail];
    const ui_theme_t *t = &a->theme;
    char buf[512], cost[48], pbuf[96], n1[12], n2[12], part[4096];
    const char *kv[] = {"cost", cost, NULL}, *pkv[] = {"page", n1, "pages", n2, NULL};
    const char *text[4];
    int size[4] = {app_sz_big(a, 52), app_sz(a, 36), app_sz(a, 34), app_sz(a, 34)};
    int bold[4] = {1, 1, 1, 0}, gap[4] = {16, 28, 24, 24}, h[4], i, y, pages = 1;
    int bh = 0, ih = 0, is = app_sz(a, 30), lh = ui_line_h(size[3]), nl, per0, per, from, upto;
    size_t st[DETAIL_LINES], ln[DETAIL_LINES];

    fmt_money(p->cost, cost, sizeof cost);
    text[0] = app_ptext(a, &p->title);
    text[1] = trf(a, buf, sizeof buf, "detail.cost", kv);
    text[2] = app_ptext(a, &p->summary);
    text[3] = app_ptext(a, &p->description);
    for (i = 0; i < 4; i++)
        h[i] = ui_text_h(&a->dl, text[i], size[i], bold[i], cw, 0) + gap[i];
    nl = ui_wrap(&a->dl, text[3], size[3], 0, cw, st, ln, DETAIL_LINES);
    if (nl > DETAIL_LINES)
        nl = DETAIL_LINES;
    per0 = nl;
    per = nl > 0 ? nl : 1;
    if (h[0] + h[1] + h[2] + h[3] > y1 - y0 && nl > 0) {
        const char *more = tr(a, "detail.more"), *prev = tr(a, "detail.prev");
        int bw = (cw - 24) / 2, reserve;
        bh = app_button_h(a, more, bw, BTN_SECONDARY, 96);
        bh = app_button_h(a, prev, bw, BTN_SECONDARY, bh);
        ih = ui_line_h(is) + 12; /* "Texte : page 1 sur 2" above the buttons */
        reserve = bh + 24 + ih;
        per0 = (y1 - y0 - h[0] - h[1] - h[2] - reserve) / lh;
        per0 = per0 < 0 ? 0 : per0 > nl ? nl : per0;
        per = (y1 - y0 - h[0] - reserve) / lh;
        per = per < 1 ? 1 : per;
        pages = 1 + (nl - per0 + per - 1) / per;
    }
    if (a->s.detail_page >= pages)
        a->s.detail_page = pages - 1;
    y = y0 + ui_text(&a->dl, x, y0, cw, text[0], size[0], bold[0], t->text, AL_LEFT, 0) + gap[0];
    if (a->s.detail_page == 0) {
        for (i = 1; i <= 2; i++)
            y += ui_text(&a->dl, x, y, cw, text[i], size[i], bold[i], t->text, AL_LEFT, 0) + gap[i];
        from = 0;
        upto = per0;
    } else {
        from = per0 + (a->s.detail_page - 1) * per;
        upto = from + per < nl ? from + per : nl;
    }
    if (pages == 1) {
        ui_text(&a->dl, x, y, cw, text[3], size[3], bold[3], t->text, AL_LEFT, 0);
    } else if (from < upto) {
        size_t b0 = st[from], b1 = st[upto - 1] + ln[upto - 1];
        if (b1 - b0 >= sizeof part)
            b1 = b0 + sizeof part - 1;
        memcpy(part, text[3] + b0, b1 - b0);
        part[b1 - b0] = '\0';
        ui_text(&a->dl, x, y, cw, part, size[3], bold[3], t->text, AL_LEFT, 0);
    }
    if (pages > 1) {
        int bw = (cw - 24) / 2;
        snprintf(n1, sizeof n1, "%d", a->s.detail_page + 1);
        snprintf(n2, sizeof n2, "%d", pages);
        ui_text(&a->dl, x, y1 - bh - ih, cw, trf(a, pbuf, sizeof pbuf, "detail.page", pkv), is, 0,
                t->muted, AL_LEFT, 0);
        app_button(a, (ui_rect_t){x, y1 - bh, bw, bh}, tr(a, "detail.prev"), NULL,
                   ACT_TEXT_PREV, BTN_SECONDARY, a->s.detail_page > 0);
        app_button(a, (ui_rect_t){x + bw + 24, y1 - bh, bw, bh}, tr(a, "detail.more"), NULL,
                   ACT_TEXT_MORE, BTN_SECONDARY, a->s.detail_page < pages - 1);
    }
}

void scr_detail_draw(app_t *a)
{
    int top = app_top_bar(a), x = APP_MARGIN, w = a->w - 2 * APP_MARGIN;
    int pw = a->theme.scale > 100 ? w * 45 / 100 : 620, two = a->w >= 1600, ph, y;

    if (two) {
        /* two columns: the text, the panel */
        text_column(a, x, top + 32, a->h - 24, w - pw - 48);
        panel(a, a->w - APP_MARGIN - pw, top + 16, pw, a->h - top - 16 - 24, 1);
    } else {
        /* the panel below the text */
        ph = panel(a, x, 0, w, 0, 0);
        y = a->h - 24 - ph;
        text_column(a, x, top + 32, y - 24, w);
        panel(a, x, y, w, ph, 1);
    }
}

void scr_detail_act(app_t *a, int act)
{
    if (act == ACT_TOGGLE + a->s.detail) {
        projects_toggle(a, a->s.detail);
    } else if (act == ACT_POINT_ADD + a->s.detail || act == ACT_POINT_SUB + a->s.detail) {
        projects_point(a, a->s.detail, act == ACT_POINT_ADD + a->s.detail ? 1 : -1);
    } else if (act == ACT_TEXT_MORE) {
        a->s.detail_page++;
    } else if (act == ACT_TEXT_PREV) {
        if (a->s.detail_page > 0)
            a->s.detail_page--;
    } else if (act == ACT_BACK) {
        a->s.notice = NOTICE_NONE;
        app_go(a, SCR_PROJECTS);
    }
}
