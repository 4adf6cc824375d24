/* receipt.c - the QR code and the tracking code in large type, where to
 * check it at home. The QR code holds the tracking code alone,
 * "XXXX-XXXX-XXXX" (docs/scripting.md). */
#include <stdio.h>
#include <string.h>

#include <qrencode.h>

#include "screens.h"

void scr_receipt_draw(app_t *a)
{
    const ui_theme_t *t = &a->theme;
    int top = app_top_bar(a), y = top + 40, x = APP_MARGIN + 40, qsize = 540, tx, tw;
    QRcode *qr = QRcode_encodeString(a->s.tracking, 0, QR_ECLEVEL_M, QR_MODE_8, 1);

    y += app_heading(a, x, y, a->w - 2 * x, tr(a, "receipt.title")) + 40;
    if (qr != NULL) {
        int n = qr->width, quiet = 4, total = n + 2 * quiet, mod = qsize / total, i;
        uint8_t m[177 * 177];
        int side = mod * total;
        for (i = 0; i < n * n && i < (int)sizeof m; i++)
            m[i] = qr->data[i] & 1;
        dl_rect(&a->dl, (ui_rect_t){x, y, side, side}, (ui_color_t){255, 255, 255, 255});
        dl_qr(&a->dl, (ui_rect_t){x + quiet * mod, y + quiet * mod, n * mod, n * mod}, m, n);
        QRcode_free(qr);
    }
    tx = x + qsize + 80;
    tw = a->w - APP_MARGIN - tx;
    y += 10;
    y += ui_text(&a->dl, tx, y, tw, tr(a, "receipt.code"), app_sz(a, 34), 0, t->text, AL_LEFT, 0) +
         8;
    y += ui_text(&a->dl, tx, y, tw, a->s.tracking, app_sz(a, 88), 1, t->text, AL_LEFT, 1) + 32;
    y += ui_text(&a->dl, tx, y, tw, tr(a, "receipt.home"), app_sz(a, 34), 0, t->text, AL_LEFT, 0) +
         24;
    y += ui_text(&a->dl, tx, y, tw, tr(a, "receipt.secret"), app_sz(a, 30), 0, t->muted, AL_LEFT,
                 0) + 48;
    app_button(a, (ui_rect_t){tx, y > a->h - 24 - 32 - 110 ? a->h - 24 - 32 - 110 : y, 480, 110},
               tr(a, "receipt.finish"), NULL, ACT_FINISH, BTN_PRIMARY, 1);
}

void scr_receipt_act(app_t *a, int act)
{
    if (act == ACT_FINISH || act == ACT_BACK)
        app_reset_session(a);
}
