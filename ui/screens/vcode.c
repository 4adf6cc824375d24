/* vcode.c - a supervised vote (CAST-C8): the citizen types the voting code
 * the town hall's desk gave them, on a digit pad; checked (cast_code_check)
 * before the projects, taken for good with the ballot (review.c). The
 * refusal says what is wrong with the code and nothing else. */
#include <stdio.h>
#include <string.h>

#include <mbedtls/platform_util.h>

#include "bn_err.h"
#include "cast.h"
#include "day.h"
#include "screens.h"

void scr_vcode_draw(app_t *a)
{
    int top = app_top_bar(a), x = APP_MARGIN, y = top + 32;
    int kw = 200, kh = 112, gap = 20, px, py, i, lw;
    const char *keys[12] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", NULL, "0", NULL};
    int n = (int)strlen(a->s.vcode);

    px = a->w - APP_MARGIN - (3 * kw + 2 * gap);
    lw = px - x - 48;
    y += app_heading(a, x, y, lw, tr(a, "vcode.title")) + 16;
    y += app_para(a, x, y, lw, tr(a, "vcode.body")) + 24;
    dl_rrect(&a->dl, (ui_rect_t){x, y, lw < 720 ? lw : 720, 110}, 12, a->theme.surface);
    dl_ring(&a->dl, (ui_rect_t){x, y, lw < 720 ? lw : 720, 110}, 12, 3, a->theme.border);
    ui_text(&a->dl, x + 24, y + 20, (lw < 720 ? lw : 720) - 48, a->s.vcode, 60, 1,
            a->theme.text, AL_LEFT, 0);
    y += 110 + 24;
    if (a->s.field_err != NULL)
        y += app_notice(a, x, y, lw, tr(a, a->s.field_err)) + 24;
    app_button(a, (ui_rect_t){x, a->h - 40 - 104, 360, 104}, tr(a, "btn.back"), NULL, ACT_BACK,
               BTN_SECONDARY, 1);
    py = top + 32;
    for (i = 0; i < 12; i++) {
        ui_rect_t r = {px + (i % 3) * (kw + gap), py + (i / 3) * (kh + gap), kw, kh};
        if (keys[i] != NULL) {
            app_button(a, r, keys[i], NULL, ACT_PIN_DIGIT + (keys[i][0] - '0'), BTN_KEY, 1);
            a->dl.ctls[a->dl.nctl - 1].ch = keys[i];
        } else if (i == 9) {
            app_button(a, r, tr(a, "pin.erase"), NULL, ACT_BACKSPACE, BTN_SECONDARY, n > 0);
        } else {
            app_button(a, r, tr(a, "vcode.ok"), NULL, ACT_VCODE_OK, BTN_PRIMARY,
                       n == VCODE_TEXT_LEN);
        }
    }
}

void scr_vcode_act(app_t *a, int act)
{
    char *c = a->s.vcode;
    size_t n = strlen(c);

    a->dirty = 1;
    if (act >= ACT_PIN_DIGIT && act <= ACT_PIN_DIGIT + 9) {
        if (n < VCODE_TEXT_LEN) {
            if (n == 4 || n == 9)
                c[n++] = ' ';
            c[n++] = (char)('0' + act - ACT_PIN_DIGIT);
            c[n] = '\0';
        }
        a->s.field_err = NULL;
    } else if (act == ACT_BACKSPACE) {
        if (n > 0)
            c[--n] = '\0';
        if (n > 0 && c[n - 1] == ' ')
            c[--n] = '\0';
        a->s.field_err = NULL;
    } else if (act == ACT_BACK) {
        app_reset_session(a);
    } else if (act == ACT_VCODE_OK) {
        cast_ctx_t ctx;
        cast_identity_t who;
        char birth[DAY_TEXT_LEN + 1], why[200];
        int territory = -1, rc;

        app_cast_inputs(a, &ctx, &who, birth);
        rc = cast_code_check(&ctx, c, app_day(a), &territory, why, sizeof why);
        mbedtls_platform_zeroize(ctx.secret, sizeof ctx.secret);
        switch (rc) {
        case 0:
            a->s.territory = territory;
            a->s.page = 0;
            a->s.field_err = NULL;
            app_go(a, SCR_PROJECTS);
            break;
        case BN_ECHECK:
            a->s.field_err = "vcode.err.check";
            break;
        case BN_EFORMAT:
            a->s.field_err = "vcode.err.format";
            break;
        case BN_ENOTFOUND:
            a->s.field_err = "vcode.err.unknown";
            break;
        case BN_EALREADY:
            a->s.field_err = "vcode.err.used";
            break;
        case BN_EEXPIRED:
            a->s.field_err = "vcode.err.expired";
            break;
        case BN_ECLOSED:
            a->s.msg = MSG_CLOSED;
            app_go(a, SCR_MESSAGE);
            break;
        default:
            a->s.field_err = "vcode.err.other";
            break;
        }
    }
}
