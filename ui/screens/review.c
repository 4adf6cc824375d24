/* review.c - the choices and their total; change, or confirm and cast. */
#include <stdio.h>
#include <string.h>

#include <mbedtls/platform_util.h>

#include "bn_err.h"
#include "day.h"
#include "screens.h"

static void confirm(app_t *a)
{
    cast_ctx_t ctx;
    cast_identity_t who;
    cast_receipt_t rec;
    char birth[DAY_TEXT_LEN + 1], why[256];
    int rc;

    app_cast_inputs(a, &ctx, &who, birth);
    if (a->pkg->supervised) /* (CAST-C8) the code, not an identity */
        rc = cast_budget_code(&ctx, a->s.vcode, a->s.sel, a->s.nsel, app_day(a), &rec, why,
                              sizeof why);
    else
        rc = cast_budget(&ctx, &who, a->s.sel, a->s.nsel, app_day(a), &rec, why, sizeof why);
    if (rc == BN_EREVOKED)
        app_cast_revoked(a, why, sizeof why);
    mbedtls_platform_zeroize(ctx.secret, sizeof ctx.secret);
    mbedtls_platform_zeroize(birth, sizeof birth);
    if (rc == 0) {
        /* the ballot is signed and on disk: the receipt may be shown */
        app_show_receipt(a, &rec, 0);
        return;
    }
    if (rc == BN_EOFFLINE) { /* (CAST-C6) nothing written: come back, or another kiosk */
        a->s.msg = MSG_OFFLINE;
        app_go(a, SCR_MESSAGE);
        return;
    }
    if (rc == BN_ECLOSED) { /* (POLLS-P2) paused, closed, or midnight of the last day */
        a->s.msg = MSG_CLOSED;
        app_go(a, SCR_MESSAGE);
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
    a->s.in_doubt = rc == BN_EDOUBT;
    app_go(a, SCR_MESSAGE);
}

/* A row's right column: the cost, or a cumulative ballot's points. */
static void amount(app_t *a, int i, char *out, size_t cap)
{
    char n[16];
    const char *kv[] = {"n", n, NULL};

    if (a->pkg->rule.ballot != PKG_BALLOT_CUMULATIVE) {
        fmt_money(a->pkg->projects[a->s.sel[i]].cost, out, cap);
        return;
    }
    snprintf(n, sizeof n, "%d", a->s.pts[i]);
    trf(a, out, cap, a->s.pts[i] == 1 ? "proj.points.1" : "proj.points", kv);
}

/* The choices and their total (points for a cumulative ballot; none for a
 * ranking, whose rows say the rank), from y; returns the height. */
static int choices(app_t *a, int x, int y, int w, int draw)
{
    const ui_theme_t *t = &a->theme;
    int fs = app_sz(a, 34), y0 = y, i, mw = 0, rh, rows = a->s.nsel;
    int cumulative = a->pkg->rule.ballot == PKG_BALLOT_CUMULATIVE;
    int ordinal = a->pkg->rule.ballot == PKG_BALLOT_ORDINAL;
    char money[64], label[400], n[16];
    int64_t total = 0;
    const char *kv[] = {"n", n, NULL};

    /* the amounts' column: as wide as the widest of them and the total */
    for (i = 0; i < a->s.nsel; i++) {
        total += cumulative ? a->s.pts[i] : a->pkg->projects[a->s.sel[i]].cost;
        amount(a, i, money, sizeof money);
        if (ui_text_w(&a->dl, money, fs, 1) > mw)
            mw = ui_text_w(&a->dl, money, fs, 1);
    }
    snprintf(n, sizeof n, "%lld", (long long)total);
    if (cumulative)
        trf(a, money, sizeof money, "proj.points", kv);
    else
        fmt_money(total, money, sizeof money);
    if (ui_text_w(&a->dl, money, fs, 1) > mw)
        mw = ui_text_w(&a->dl, money, fs, 1);
    if (!ordinal)
        rows++; /* the total */
    if (draw)
        dl_rect(&a->dl, (ui_rect_t){x, y, w, 2}, t->border);
    for (i = 0; i < rows; i++) {
        int bold = i == a->s.nsel;
        if (i < a->s.nsel) {
            const pkg_project_t *p = &a->pkg->projects[a->s.sel[i]];
            if (ordinal) /* "1. Jardin partagé du Blosne" */
                snprintf(label, sizeof label, "%d. %s", i + 1, app_ptext(a, &p->title));
            else
                snprintf(label, sizeof label, "%s", app_ptext(a, &p->title));
            amount(a, i, money, sizeof money);
        } else {
            snprintf(label, sizeof label, "%s", tr(a, "review.total"));
            snprintf(n, sizeof n, "%lld", (long long)total);
            if (cumulative)
                trf(a, money, sizeof money, "proj.points", kv);
            else
                fmt_money(total, money, sizeof money);
        }
        rh = ui_text_h(&a->dl, label, fs, bold, w - mw - 48, 0) + 20;
        if (draw) {
            ui_text(&a->dl, x + 8, y + 10, w - mw - 48, label, fs, bold, t->text, AL_LEFT, 0);
            ui_text(&a->dl, x + w - 8 - mw, y + 10, mw, money, fs, 1, t->text, AL_RIGHT, 1);
        }
        y += rh;
        if (draw)
            dl_rect(&a->dl, (ui_rect_t){x, y, w, 2}, t->border);
    }
    if (a->s.nsel == 0) {
        const char *none = tr(a, "review.none");
        y += draw ? ui_text(&a->dl, x + 8, y + 10, w - 16, none, fs, 0, t->text, AL_LEFT, 0)
                  : ui_text_h(&a->dl, none, fs, 0, w - 16, 0);
        y += 20;
    }
    return y - y0;
}

/* The meter (unless meter is 0), the final word or the problem, and the
 * buttons (stacked when narrow); returns the height. */
static int decide(app_t *a, int x, int y, int w, const char *problem, int meter, int draw)
{
    const ui_theme_t *t = &a->theme;
    int y0 = y, ms = app_sz(a, 30), bw1, bw2, bh, side;
    char left[256], count[256], buf[512];
    const char *change = tr(a, "review.change"), *conf = tr(a, "review.confirm");

    if (meter) {
        projects_meter(a, left, count, sizeof left);
        y += (draw ? ui_text(&a->dl, x, y, w, left, ms, 0, t->muted, AL_LEFT, 0)
                   : ui_text_h(&a->dl, left, ms, 0, w, 0)) + 4;
        y += (draw ? ui_text(&a->dl, x, y, w, count, ms, 0, t->muted, AL_LEFT, 0)
                   : ui_text_h(&a->dl, count, ms, 0, w, 0)) + 24;
    }
    if (problem != NULL)
        y += (draw ? app_notice(a, x, y, w, problem)
                   : app_notice_h(a, w, problem)) + 24;
    else
        y += (draw ? app_para(a, x, y, w, tr(a, "review.final"))
                   : ui_text_h(&a->dl, tr(a, "review.final"), app_sz(a, 34), 0, w, 0)) + 24;
    if (projects_notice(a, buf, sizeof buf) != NULL)
        y += (draw ? app_notice(a, x, y, w, buf)
                   : app_notice_h(a, w, buf)) + 24;
    bw1 = app_button_w(a, change, BTN_SECONDARY, 480);
    bw2 = app_button_w(a, conf, BTN_PRIMARY, 560);
    side = bw1 + bw2 + 40 <= w;
    if (!side)
        bw1 = bw2 = w;
    bh = app_button_h(a, change, bw1, BTN_SECONDARY, 110);
    bh = app_button_h(a, conf, bw2, BTN_PRIMARY, bh);
    if (draw) {
        if (side) {
            y = y > a->h - 24 - 32 - bh ? y : a->h - 24 - 32 - bh;
            app_button(a, (ui_rect_t){x, y, bw1, bh}, change, NULL, ACT_CHANGE, BTN_SECONDARY, 1);
            app_button(a, (ui_rect_t){x + w - bw2, y, bw2, bh}, conf, NULL, ACT_CONFIRM,
                       BTN_PRIMARY, problem == NULL);
        } else {
            y = y > a->h - 24 - 2 * bh - 24 ? y : a->h - 24 - 2 * bh - 24;
            app_button(a, (ui_rect_t){x, y, w, bh}, conf, NULL, ACT_CONFIRM, BTN_PRIMARY,
                       problem == NULL);
            app_button(a, (ui_rect_t){x, y + bh + 24, w, bh}, change, NULL, ACT_CHANGE,
                       BTN_SECONDARY, 1);
        }
        /* Enter alone never casts a vote: the focus must be on this button */
        {
            int i;
            for (i = 0; i < a->dl.nctl; i++)
                if (a->dl.ctls[i].action == ACT_CONFIRM)
                    a->dl.ctls[i].primary = 0;
        }
    }
    return y - y0 + (side ? bh : 2 * bh + 24);
}

void scr_review_draw(app_t *a)
{
    int top = app_top_bar(a), w, x, y = top + 32, hh, one;
    char buf[512], problem_copy[512];
    const char *problem = projects_problem(a, buf, sizeof buf);

    if (problem != NULL) {
        snprintf(problem_copy, sizeof problem_copy, "%s", problem);
        problem = problem_copy;
    }
    w = a->w - 2 * APP_MARGIN;
    if (w > 1300 && a->theme.scale == 100)
        w = 1300;
    x = (a->w - w) / 2;
    hh = ui_text_h(&a->dl, tr(a, "review.title"), app_sz_big(a, 52), 1, w, 0) + 24;
    one = y + hh + choices(a, x, y, w, 0) + 16 + decide(a, x, y, w, problem, 1, 0) <= a->h - 24;
    y += app_heading(a, x, y, w, tr(a, "review.title")) + 24;
    if (one || a->w < 1600) {
        y += choices(a, x, y, w, 1) + 16;
        decide(a, x, y, w, problem, 1, 1);
    } else {
        /* two columns: the choices, then what to decide; the first split
         * where both fit, with the meter, else without it (with large text:
         * the total is on the left) */
        static const int pct[] = {56, 50, 62, 46};
        int k, lw = 0, meter = 1;
        for (k = 0; k < 8; k++) {
            int ch, dh;
            meter = k < 4;
            lw = w * pct[k % 4] / 100;
            ch = choices(a, x, y, lw, 0);
            dh = decide(a, x + lw + 48, y, w - lw - 48, problem, meter, 0);
            if (y + (ch > dh ? ch : dh) <= a->h - 24)
                break;
        }
        choices(a, x, y, lw, 1);
        decide(a, x + lw + 48, y, w - lw - 48, problem, meter, 1);
    }
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
