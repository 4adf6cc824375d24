/* closed.c - what citizens see when no campaign takes part now: the polls
 * are paused, closed, closed for good, or not open yet today. A calm
 * screen, the reason in words, where to go; nothing to touch. */
#include <stdio.h>

#include "day.h"
#include "polls.h"
#include "screens.h"

void scr_closed_draw(app_t *a)
{
    int top = app_top_bar(a), w = a->w - 2 * APP_MARGIN, x = APP_MARGIN, i;
    int y = top + (a->h - top) / 6, paused = 0, later = 0;
    uint32_t today = app_day(a), next = 0;
    char buf[400], d[DAY_TEXT_LEN + 1];
    const char *kv[] = {"date", d, NULL};
    const char *title = "closed.title", *body = "closed.body";

    for (i = 0; i < a->n_all; i++) {
        const pkg_t *p = a->all[i].pkg;
        polls_state_t s = POLLS_CLOSED;
        (void)polls_get(a->store, p->id, &s);
        paused |= s == POLLS_PAUSED;
        if (s == POLLS_OPEN && today < p->opens && (next == 0 || p->opens < next))
            next = p->opens;
        later |= s == POLLS_OPEN && today < p->opens;
    }
    if (paused) {
        title = "paused.title";
        body = "paused.body";
    } else if (later) {
        title = "later.title";
        body = "later.body";
        day_format(next, d);
    }
    if (w > 1500) {
        x += (w - 1500) / 2;
        w = 1500;
    }
    y += ui_text(&a->dl, x, y, w, trf(a, buf, sizeof buf, title, kv), app_sz_big(a, 60), 1,
                 a->theme.text, AL_CENTER, 0) + 40;
    ui_text(&a->dl, x, y, w, trf(a, buf, sizeof buf, body, kv), app_sz(a, 36), 0, a->theme.text,
            AL_CENTER, 0);
}

void scr_closed_act(app_t *a, int act)
{
    (void)a;
    (void)act;
}
