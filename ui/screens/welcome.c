/* welcome.c - the attract screen: the campaign, "Touch to start", languages. */
#include <stdio.h>

#include "screens.h"

void scr_welcome_draw(app_t *a)
{
    const ui_theme_t *t = &a->theme;
    int top, y, w = a->w - 2 * APP_MARGIN, tw, dw, bw, bh, content, gap, pass;
    const char *title = app_ptext(a, &a->pkg->title), *start = tr(a, "welcome.start");

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
    /* measure, then centre what fits in the room left (gaps shrink first) */
    content = 0;
    for (pass = 0; pass < 2; pass++) {
        int draw = pass == 1;
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
        y += draw ? ui_text(&a->dl, (a->w - dw) / 2, y, dw, tr(a, "welcome.what"), app_sz(a, 34),
                            0, t->text, AL_CENTER, 0)
                  : ui_text_h(&a->dl, tr(a, "welcome.what"), app_sz(a, 34), 0, dw, 0);
        y += gap;
        if (draw)
            app_button(a, (ui_rect_t){(a->w - bw) / 2, y, bw, bh}, start, NULL, ACT_START,
                       BTN_PRIMARY, 1);
        y += bh + gap / 2;
        y += draw ? ui_text(&a->dl, APP_MARGIN, y, w, tr(a, "welcome.lang_hint"), app_sz(a, 30),
                            0, t->muted, AL_CENTER, 0)
                  : ui_text_h(&a->dl, tr(a, "welcome.lang_hint"), app_sz(a, 30), 0, w, 0);
        if (!draw)
            content = y;
    }
}

void scr_welcome_act(app_t *a, int act)
{
    if (act == ACT_START)
        app_go(a, SCR_IDENTITY);
}
