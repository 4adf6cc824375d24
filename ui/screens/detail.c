/* detail.c - one project in full, with the large toggle and the meter. */
#include <stdio.h>
#include <string.h>

#include "screens.h"

void scr_detail_draw(app_t *a)
{
    const ui_theme_t *t = &a->theme;
    const pkg_project_t *p = &a->pkg->projects[a->s.detail];
    int top = app_top_bar(a), x = APP_MARGIN, y = top + 32, cw = a->w - 2 * APP_MARGIN - 720;
    int px = a->w - APP_MARGIN - 620, pw = 620, py = top + 32, chosen = projects_chosen(a, a->s.detail);
    char buf[512], cost[48];
    const char *kv[] = {"cost", cost, NULL};
    ui_rect_t panel;

    fmt_money(p->cost, cost, sizeof cost);
    y += app_heading(a, x, y, cw, app_ptext(a, &p->title)) + 16;
    y += ui_text(&a->dl, x, y, cw, trf(a, buf, sizeof buf, "detail.cost", kv), app_sz(a, 36), 1,
                 t->text, AL_LEFT, 0) + 28;
    y += ui_text(&a->dl, x, y, cw, app_ptext(a, &p->summary), app_sz(a, 34), 1, t->text, AL_LEFT,
                 0) + 24;
    ui_text(&a->dl, x, y, cw, app_ptext(a, &p->description), app_sz(a, 34), 0, t->text, AL_LEFT,
            0);

    /* the panel: meter, toggle, what happened, back */
    panel = (ui_rect_t){px - 32, py - 16, pw + 64, a->h - py - 24};
    dl_rrect(&a->dl, panel, 20, t->surface);
    py += 16;
    {
        char left[256], count[256];
        projects_meter(a, left, count, sizeof left);
        py += ui_text(&a->dl, px, py, pw, left, app_sz(a, 32), 1, t->text, AL_LEFT, 0) + 12;
        py += ui_text(&a->dl, px, py, pw, count, app_sz(a, 32), 0, t->text, AL_LEFT, 0) + 32;
    }
    app_button(a, (ui_rect_t){px, py, pw, 120}, tr(a, chosen ? "detail.remove" : "detail.choose"),
               NULL, ACT_TOGGLE + a->s.detail, chosen ? BTN_SECONDARY : BTN_PRIMARY, 1);
    py += 120 + 24;
    if (chosen)
        py += ui_text(&a->dl, px, py, pw, tr(a, "detail.is_chosen"), app_sz(a, 32), 1, t->text,
                      AL_LEFT, 0) + 24;
    if (projects_notice(a, buf, sizeof buf) != NULL)
        app_notice(a, px, py, pw, buf);
    app_button(a, (ui_rect_t){px, a->h - 24 - 32 - 96, pw, 96}, tr(a, "detail.back"), NULL,
               ACT_BACK, BTN_SECONDARY, 1);
}

void scr_detail_act(app_t *a, int act)
{
    if (act == ACT_TOGGLE + a->s.detail) {
        projects_toggle(a, a->s.detail);
    } else if (act == ACT_BACK) {
        a->s.notice = NOTICE_NONE;
        app_go(a, SCR_PROJECTS);
    }
}
