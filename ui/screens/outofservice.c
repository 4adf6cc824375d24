/* outofservice.c - a calm screen for citizens, the reason for agents. */
#include <stdio.h>

#include "screens.h"

void scr_outofservice_draw(app_t *a)
{
    int top = app_top_bar(a), w = a->w - 2 * APP_MARGIN, x = APP_MARGIN;
    int y = top + (a->h - top) / 8;
    char buf[512];
    const char *kv[] = {"reason", a->oos_reason, NULL};

    if (w > 1500) {
        x += (w - 1500) / 2;
        w = 1500;
    }
    y += ui_text(&a->dl, x, y, w, tr(a, "oos.title"), app_sz_big(a, 60), 1, a->theme.text,
                 AL_CENTER, 0) + 40;
    y += ui_text(&a->dl, x, y, w, tr(a, "oos.body"), app_sz(a, 36), 0, a->theme.text, AL_CENTER,
                 0) + 120;
    ui_text(&a->dl, x, y, w, trf(a, buf, sizeof buf, "oos.agents", kv), app_sz(a, 26), 0,
            a->theme.muted, AL_CENTER, 0);
}

void scr_outofservice_act(app_t *a, int act)
{
    (void)a;
    (void)act;
}
