/* receipt.c - the QR code and the tracking code in large type, where to
 * check it at home. The QR code holds the tracking code alone,
 * "XXXX-XXXX-XXXX" (docs/scripting.md). */
#include <stdio.h>
#include <string.h>

#include "screens.h"

void scr_receipt_draw(app_t *a)
{
    const ui_theme_t *t = &a->theme;
    int top = app_top_bar(a), y = top + 40, x = APP_MARGIN, w = a->w - 2 * APP_MARGIN;
    int two = a->w >= 1600, qsize = two && a->theme.scale > 100 ? 420 : 540, tx, tw, cs, bw, bh;
    const char *finish = tr(a, "receipt.finish");
    int pet = a->s.signed_petition != APP_RECEIPT_VOTE;
    const char *k_title = a->s.signed_petition == APP_RECEIPT_ANSWERS ? "receipt.qtitle"
                          : a->s.signed_petition == APP_RECEIPT_IDEA ? "receipt.ititle"
                          : pet ? "receipt.ptitle" : "receipt.title";
    const char *k_home = a->s.signed_petition == APP_RECEIPT_ANSWERS ? "receipt.qhome"
                         : a->s.signed_petition == APP_RECEIPT_IDEA ? "receipt.ihome"
                         : pet ? "receipt.phome" : "receipt.home";
    const char *k_secret = a->s.signed_petition == APP_RECEIPT_ANSWERS ? "receipt.qsecret"
                           : a->s.signed_petition == APP_RECEIPT_IDEA ? "receipt.isecret"
                           : pet ? "receipt.psecret" : "receipt.secret";

    y += app_heading(a, x, y, w, tr(a, k_title)) + 32;
    bw = app_button_w(a, finish, BTN_PRIMARY, 420);
    bh = app_button_h(a, finish, bw, BTN_PRIMARY, 110);
    if (two && pet && a->theme.scale > 100) {
        /* a petition's words are longer: a narrower left column when the
         * text is large */
        qsize = 320;
        bw = app_button_w(a, finish, BTN_PRIMARY, 320);
    }
    if (two) {
        /* the QR code and "Terminer" at the left, the words at the right */
        app_qr(a, a->s.tracking, x, y, qsize);
        if (bw < qsize)
            bw = qsize;
        app_button(a, (ui_rect_t){x, y + qsize + 32, bw, bh}, finish, NULL, ACT_FINISH,
                   BTN_PRIMARY, 1);
        tx = x + (bw > qsize ? bw : qsize) + 64;
        tw = a->w - APP_MARGIN - tx;
    } else {
        /* narrow: the QR code and "Terminer" side by side, the words below
         * (a smaller QR code when they would not fit) */
        int words = ui_text_h(&a->dl, tr(a, "receipt.code"), app_sz(a, 34), 0, w, 0) + 8 +
                    ui_line_h(app_sz_big(a, 88)) + 32 +
                    ui_text_h(&a->dl, tr(a, k_home),
                              app_sz(a, 34), 0, w, 0) + 24 +
                    ui_text_h(&a->dl, tr(a, k_secret),
                              app_sz(a, 30), 0, w, 0);
        if (a->theme.scale > 100)
            qsize = 420;
        while (pet && qsize > 240 && y + qsize + 24 + words > a->h - 16)
            qsize -= 40;
        if (bw > w - qsize - 48)
            bw = w - qsize - 48;
        bh = app_button_h(a, finish, bw, BTN_PRIMARY, 110);
        app_qr(a, a->s.tracking, x, y, qsize);
        app_button(a, (ui_rect_t){x + w - bw, y + (qsize - bh) / 2, bw, bh}, finish, NULL,
                   ACT_FINISH, BTN_PRIMARY, 1);
        y += qsize + 24;
        tx = x;
        tw = w;
    }
    y += ui_text(&a->dl, tx, y, tw, tr(a, "receipt.code"), app_sz(a, 34), 0, t->text, AL_LEFT, 0) +
         8;
    /* the code in large type, on one line: as large as fits */
    for (cs = app_sz_big(a, 88); cs > 40 && ui_text_w(&a->dl, a->s.tracking, cs, 1) > tw; cs -= 4)
        ;
    y += ui_text(&a->dl, tx, y, tw, a->s.tracking, cs, 1, t->text, AL_LEFT, 1) + 32;
    y += ui_text(&a->dl, tx, y, tw, tr(a, k_home), app_sz(a, 34), 0, t->text, AL_LEFT, 0) +
         24;
    y += ui_text(&a->dl, tx, y, tw, tr(a, k_secret), app_sz(a, 30), 0, t->muted, AL_LEFT,
                 0);
}

void scr_receipt_act(app_t *a, int act)
{
    if (act == ACT_FINISH || act == ACT_BACK)
        app_reset_session(a);
}
