/* message.c - kind refusals: already taken part, too young, not stored.
 * Each says what it must and nothing more (DESIGN-S4). */
#include <stdio.h>

#include "screens.h"

void scr_message_draw(app_t *a)
{
    int top = app_top_bar(a), w = a->w - 2 * APP_MARGIN, x, y, h, bw, bh;
    const char *title = "msg.already.title", *body = "msg.already.body";
    char buf[512], age[16], n[16];
    const char *kv[] = {"age", age, "n", n, NULL};
    int pet = a->pkg != NULL && a->pkg->kind == PKG_PETITION;
    int ideas = a->pkg != NULL && a->pkg->kind == PKG_IDEAS;

    snprintf(age, sizeof age, "%d", a->pkg != NULL ? a->pkg->min_age : 0);
    snprintf(n, sizeof n, "%d", ideas ? a->pkg->ideas.max_per_person : 0);
    if (pet) {
        title = "msg.signed.title";
        body = "msg.signed.body";
    }
    if (a->s.msg == MSG_TOO_YOUNG) {
        title = pet ? "msg.pyoung.title" : "msg.young.title";
        body = pet ? "msg.pyoung.body" : "msg.young.body";
    } else if (a->s.msg == MSG_OFFLINE) {
        title = pet ? "msg.poffline.title" : "msg.offline.title";
        body = pet ? "msg.poffline.body" : "msg.offline.body";
    } else if (a->s.msg == MSG_CLOSED) {
        title = pet ? "msg.pclosed.title" : "msg.closed.title";
        body = pet ? "msg.pclosed.body" : "msg.closed.body";
    } else if (a->s.msg == MSG_NOT_STORED) {
        title = pet ? "msg.pfailed.title" : "msg.failed.title";
        body = pet ? "msg.pfailed.body" : "msg.failed.body";
    }
    if (a->pkg != NULL && a->pkg->kind == PKG_QUESTIONNAIRE) {
        static const char *const k[][2] = {
            [MSG_ALREADY] = {"msg.qalready.title", "msg.qalready.body"},
            [MSG_TOO_YOUNG] = {"msg.qyoung.title", "msg.qyoung.body"},
            [MSG_CLOSED] = {"msg.qclosed.title", "msg.qclosed.body"},
            [MSG_NOT_STORED] = {"msg.qfailed.title", "msg.qfailed.body"},
            [MSG_OFFLINE] = {"msg.qoffline.title", "msg.qoffline.body"},
        };
        if (a->s.msg > 0 && a->s.msg <= MSG_OFFLINE && k[a->s.msg][0] != NULL) {
            title = k[a->s.msg][0];
            body = k[a->s.msg][1];
        }
    }
    if (ideas) {
        static const char *const k[][2] = {
            [MSG_IDEAS_LIMIT] = {"msg.ilimit.title", "msg.ilimit.body"},
            [MSG_ALREADY] = {"msg.ilimit.title", "msg.ilimit.body"},
            [MSG_TOO_YOUNG] = {"msg.iyoung.title", "msg.iyoung.body"},
            [MSG_CLOSED] = {"msg.iclosed.title", "msg.iclosed.body"},
            [MSG_NOT_STORED] = {"msg.ifailed.title", "msg.ifailed.body"},
            [MSG_OFFLINE] = {"msg.ifailed.title", "msg.ifailed.body"},
        };
        if (a->s.msg > 0 && a->s.msg <= MSG_IDEAS_LIMIT && k[a->s.msg][0] != NULL) {
            title = k[a->s.msg][0];
            body = k[a->s.msg][1];
        }
    }
    /* (STORE-D6) written, but the disk did not confirm it: neither "not
     * counted" nor a receipt */
    if (a->s.msg == MSG_NOT_STORED && a->s.in_doubt) {
        title = "msg.doubt.title";
        body = "msg.doubt.body";
    }
    if (w > 1200)
        w = 1200;
    x = (a->w - w) / 2;
    bw = app_button_w(a, tr(a, "btn.home"), BTN_PRIMARY, 640);
    if (bw > w)
        bw = w;
    bh = app_button_h(a, tr(a, "btn.home"), bw, BTN_PRIMARY, 110);
    /* centred in the room below the bar, a little above the middle */
    h = ui_text_h(&a->dl, trf(a, buf, sizeof buf, title, kv), app_sz_big(a, 52), 1, w, 0) + 32 +
        ui_text_h(&a->dl, trf(a, buf, sizeof buf, body, kv), app_sz(a, 34), 0, w, 0) + 64 + bh;
    y = top + (a->h - top - h) / 3;
    if (y < top + 24)
        y = top + 24;
    y += app_heading(a, x, y, w, trf(a, buf, sizeof buf, title, kv)) + 32;
    y += app_para(a, x, y, w, trf(a, buf, sizeof buf, body, kv)) + 64;
    app_button(a, (ui_rect_t){x, y, bw, bh}, tr(a, "btn.home"), NULL, ACT_FINISH, BTN_PRIMARY, 1);
}

void scr_message_act(app_t *a, int act)
{
    if (act != ACT_FINISH && act != ACT_BACK)
        return;
    if (a->s.msg == MSG_NOT_STORED) {
        char reason[sizeof a->oos_reason];
        snprintf(reason, sizeof reason, "%s", a->oos_reason);
        app_out_of_service(a, reason);
        return;
    }
    app_reset_session(a);
}
