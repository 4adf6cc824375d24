/* welcome.c - the attract screen: the campaign, "Touch to start", languages. */
#include <stdio.h>

#include "screens.h"

void scr_welcome_draw(app_t *a)
{
    const ui_theme_t *t = &a->theme;
    int top, y, w = a->w - 2 * APP_MARGIN, bw = 900, bh = 140;
    char desc[1024];

    /* the whole screen starts (an unlabelled control: taps only, no focus) */
    dl_control(&a->dl, (ui_rect_t){0, 0, a->w, a->h}, ACT_START, "", NULL, NULL, 1, 0);
    top = app_top_bar(a);
    y = top + (a->h - top) / 8;
    y += ui_text(&a->dl, APP_MARGIN, y, w, tr(a, "welcome.kicker"), app_sz(a, 34), 0, t->muted,
                 AL_CENTER, 0) + 16;
    y += ui_text(&a->dl, APP_MARGIN + 80, y, w - 160, app_ptext(a, &a->pkg->title), app_sz(a, 64),
                 1, t->text, AL_CENTER, 0) + 40;
    snprintf(desc, sizeof desc, "%s", tr(a, "welcome.what"));
    y += ui_text(&a->dl, APP_MARGIN + 200, y, w - 400, desc, app_sz(a, 34), 0, t->text,
                 AL_CENTER, 0) + 72;
    app_button(a, (ui_rect_t){(a->w - bw) / 2, y, bw, bh}, tr(a, "welcome.start"), NULL,
               ACT_START, BTN_PRIMARY, 1);
    y += bh + 40;
    ui_text(&a->dl, APP_MARGIN, y, w, tr(a, "welcome.lang_hint"), app_sz(a, 30), 0, t->muted,
            AL_CENTER, 0);
}

void scr_welcome_act(app_t *a, int act)
{
    if (act == ACT_START)
        app_go(a, SCR_IDENTITY);
}
