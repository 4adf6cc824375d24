/* review.c - the choices and their total; change, or confirm and cast. */
#include <stdio.h>
#include <string.h>

#include <mbedtls/platform_util.h>

#include "bn_err.h"
#include "day.h"
#include "screens.h"

static void confirm(app_t *a)
{
    cast_identity_t who;
    cast_receipt_t rec;
    char birth[DAY_TEXT_LEN + 1], why[256];
    const char *f = a->s.field[ID_BIRTH];
    int rc;

    snprintf(birth, sizeof birth, "%.4s-%.2s-%.2s", f + 4, f + 2, f);
    who.last_name = a->s.field[ID_LAST];
    who.first_names = a->s.field[ID_FIRST];
    who.birth = birth;
    who.commune = a->pkg->communes[a->s.commune].insee;
    {
        cast_ctx_t ctx = {a->store, a->pkg, {0}, &a->signer, a->rng};
        memcpy(ctx.secret, a->secret, sizeof ctx.secret);
        rc = cast_budget(&ctx, &who, a->s.sel, a->s.nsel, a->today, &rec, why, sizeof why);
        mbedtls_platform_zeroize(ctx.secret, sizeof ctx.secret);
    }
    mbedtls_platform_zeroize(birth, sizeof birth);
    if (rc == 0) {
        /* The ballot is signed and on disk: the receipt may be shown. The
         * session forgets the identity and the choices now (invariant 3). */
        char code[sizeof rec.tracking];
        memcpy(code, rec.tracking, sizeof code);
        mbedtls_platform_zeroize(&rec, sizeof rec);
        mbedtls_platform_zeroize(&a->s, sizeof a->s);
        a->s.commune = -1;
        a->s.territory = -1;
        memcpy(a->s.tracking, code, sizeof code);
        if (a->print_receipts) {
            printf("receipt %s\n", code);
            fflush(stdout);
        }
        app_go(a, SCR_RECEIPT);
        return;
    }
    if (rc == BN_EALREADY) {
        a->s.msg = MSG_ALREADY;
        app_go(a, SCR_MESSAGE);
        return;
    }
    if (rc == BN_ERULE) {
        a->s.notice = NOTICE_OTHER; /* not expected: the review checked the rule */
        a->s.notice_project = a->s.nsel > 0 ? a->s.sel[0] : 0;
        return;
    }
    /* Not stored: say so, then go out of service rather than pretend. */
    snprintf(a->oos_reason, sizeof a->oos_reason, "cast: %s", why);
    a->s.msg = MSG_NOT_STORED;
    app_go(a, SCR_MESSAGE);
}

void scr_review_draw(app_t *a)
{
    const ui_theme_t *t = &a->theme;
    int top = app_top_bar(a), w = 1300, x = (a->w - w) / 2, y = top + 32, i, fs = app_sz(a, 34);
    int rowh = ui_line_h(fs) + 28, valid;
    char buf[512], money[48];
    int64_t total = 0;
    const char *problem = projects_problem(a, buf, sizeof buf);
    char problem_copy[512];

    valid = problem == NULL;
    if (problem != NULL)
        snprintf(problem_copy, sizeof problem_copy, "%s", problem);
    y += app_heading(a, x, y, w, tr(a, "review.title")) + 24;
    dl_rect(&a->dl, (ui_rect_t){x, y, w, 2}, t->border);
    for (i = 0; i < a->s.nsel; i++) {
        const pkg_project_t *p = &a->pkg->projects[a->s.sel[i]];
        fmt_money(p->cost, money, sizeof money);
        ui_text(&a->dl, x + 8, y + 14, w - 340, app_ptext(a, &p->title), fs, 0, t->text, AL_LEFT, 1);
        ui_text(&a->dl, x + w - 308, y + 14, 300, money, fs, 1, t->text, AL_RIGHT, 1);
        y += rowh;
        dl_rect(&a->dl, (ui_rect_t){x, y, w, 2}, t->border);
        total += p->cost;
    }
    if (a->s.nsel == 0) {
        ui_text(&a->dl, x + 8, y + 14, w, tr(a, "review.none"), fs, 0, t->text, AL_LEFT, 1);
        y += rowh;
    }
    fmt_money(total, money, sizeof money);
    ui_text(&a->dl, x + 8, y + 14, w - 340, tr(a, "review.total"), fs, 1, t->text, AL_LEFT, 1);
    ui_text(&a->dl, x + w - 308, y + 14, 300, money, fs, 1, t->text, AL_RIGHT, 1);
    y += rowh + 16;
    {
        char left[256], count[256];
        projects_meter(a, left, count, sizeof left);
        y += ui_text(&a->dl, x, y, w, left, app_sz(a, 30), 0, t->muted, AL_LEFT, 0) + 4;
        y += ui_text(&a->dl, x, y, w, count, app_sz(a, 30), 0, t->muted, AL_LEFT, 0) + 24;
    }
    if (!valid)
        y += app_notice(a, x, y, w, problem_copy) + 24;
    else
        y += app_para(a, x, y, w, tr(a, "review.final")) + 24;
    if (projects_notice(a, buf, sizeof buf) != NULL)
        y += app_notice(a, x, y, w, buf) + 24;
    y = y > a->h - 24 - 32 - 110 ? y : a->h - 24 - 32 - 110;
    app_button(a, (ui_rect_t){x, y, 560, 110}, tr(a, "review.change"), NULL, ACT_CHANGE,
               BTN_SECONDARY, 1);
    app_button(a, (ui_rect_t){x + w - 620, y, 620, 110}, tr(a, "review.confirm"), NULL,
               ACT_CONFIRM, BTN_PRIMARY, valid);
    /* Enter alone never casts a vote: the focus must be on this button */
    a->dl.ctls[a->dl.nctl - 1].primary = 0;
}

void scr_review_act(app_t *a, int act)
{
    if (act == ACT_CHANGE || act == ACT_BACK) {
        a->s.notice = NOTICE_NONE;
        app_go(a, SCR_PROJECTS);
    } else if (act == ACT_CONFIRM) {
        confirm(a);
    }
}
