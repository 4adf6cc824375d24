/* petition.c - the droit d'interpellation: the open petitions with this
 * kiosk's counters, a petition's full text (paged when long), and the
 * consent step (a plain personal-data notice, "do not publish my name",
 * sign -> cast_petition -> receipt). The identity steps are identity.c's.
 *
 * Personal data (DESIGN-S5): the session holds the identity
 * until the signature is stored or the session ends; cast_petition seals it
 * to the authority's key; the session forgets it before the receipt. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <mbedtls/platform_util.h>

#include "bn_err.h"
#include "day.h"
#include "screens.h"

#define WRAP_LINES 128

/* --- counters ----------------------------------------------------------------- */

/* The counters of petition campaign i in words: signatures out of the
 * threshold, cantons out of the minimum, days left (cap bytes each). They
 * are the département's, from borne-server's last answer, when the kiosk
 * has one (*national = 1, *here: this kiosk's own signatures), else this
 * kiosk's. */
static void counters(app_t *a, int i, char *sigs, char *cantons, char *days, char *here,
                     int *national, size_t cap)
{
    const pkg_t *p = a->camp[i].pkg;
    int64_t ns = 0, nc = 0, mine;
    char n[32], max[32], left[32], until[32];
    const char *kv[] = {"n", n, "max", max, "days", left, "until", until, NULL};
    sync_counter_t sc;
    int y, m, d;

    if (store_petition_counts(a->store, p->id, &ns, &nc) != 0)
        ns = nc = 0;
    mine = ns;
    here[0] = '\0';
    *national = ksync_counter(a->sync, p->id, &sc, NULL) == 0;
    if (*national) {
        ns = sc.signatures;
        nc = sc.cantons;
        fmt_int(mine, n, sizeof n);
        trf(a, here, cap, "pet.count.mine", kv);
    }
    fmt_int(ns, n, sizeof n);
    fmt_int(p->petition.threshold, max, sizeof max);
    trf(a, sigs, cap, ns == 0 ? "pet.count.sigs.0" : ns == 1 ? "pet.count.sigs.1" : "pet.count.sigs",
        kv);
    fmt_int(nc, n, sizeof n);
    fmt_int(p->petition.min_cantons, max, sizeof max);
    trf(a, cantons, cap,
        nc == 0 ? "pet.count.cantons.0" : nc == 1 ? "pet.count.cantons.1" : "pet.count.cantons", kv);
    /* days left, today included: 1 on the last day */
    fmt_int(p->closes >= app_day(a) ? (int64_t)p->closes - app_day(a) + 1 : 0, left, sizeof left);
    day_to_ymd(p->closes, &y, &m, &d);
    fmt_date(y, m, d, until, sizeof until);
    trf(a, days, cap, p->closes == app_day(a) ? "pet.count.last_day" : "pet.count.days", kv);
}

/* The counters' box: its heading ("On this kiosk", or the département's
 * as of a time), then the lines. Returns its height; draws it when draw. */
static int counters_box(app_t *a, int i, int x, int y, int w, int draw)
{
    const ui_theme_t *t = &a->theme;
    char sigs[256], cantons[256], days[256], here[256], head[256];
    const char *lines[5];
    int size[5] = {app_sz(a, 28), app_sz(a, 32), app_sz(a, 32), app_sz(a, 28), app_sz(a, 32)};
    int bold[5] = {0, 1, 1, 0, 1}, k, h = 16, national = 0, n = 0;

    counters(a, i, sigs, cantons, days, here, &national, sizeof sigs);
    if (national) {
        int64_t when = 0;
        sync_counter_t sc;
        char hh[8], mm[8];
        const char *kv[] = {"hh", hh, "mm", mm, NULL};
        time_t tt;
        struct tm tm;
        (void)ksync_counter(a->sync, a->camp[i].pkg->id, &sc, &when);
        tt = (time_t)when;
        localtime_r(&tt, &tm);
        snprintf(hh, sizeof hh, "%d", tm.tm_hour);
        snprintf(mm, sizeof mm, "%02d", tm.tm_min);
        lines[n] = trf(a, head, sizeof head, "pet.count.all", kv);
    } else {
        lines[n] = tr(a, "pet.count.here");
    }
    n++;
    lines[n++] = sigs;
    lines[n++] = cantons;
    if (national)
        lines[n++] = here;
    else
        size[3] = size[4], bold[3] = bold[4];
    lines[n++] = days;
    for (k = 0; k < n; k++)
        h += ui_text_h(&a->dl, lines[k], size[k], bold[k], w - 48, 0) + 4;
    h += 12;
    if (!draw)
        return h;
    dl_rrect(&a->dl, (ui_rect_t){x, y, w, h}, 12, t->surface);
    dl_ring(&a->dl, (ui_rect_t){x, y, w, h}, 12, 2, t->border);
    y += 16;
    for (k = 0; k < n; k++)
        y += ui_text(&a->dl, x + 24, y, w - 48, lines[k], size[k], bold[k],
                     k == 0 || (national && k == 3) ? t->muted : t->text, AL_LEFT, 0) + 4;
    return h;
}

/* --- the list -------------------------------------------------------------------- */

/* The petitions, in camp[] order. */
static int petitions(const app_t *a, int *out)
{
    int i, n = 0;

    for (i = 0; i < a->n_camp; i++)
        if (a->camp[i].pkg->kind == PKG_PETITION)
            out[n++] = i;
    return n;
}

/* One petition's card: title, counters, "Lire la pétition". Returns its
 * height; draws it when draw. */
static int petition_card(app_t *a, int i, int x, int y, int w, int draw)
{
    const ui_theme_t *t = &a->theme;
    const char *title = app_ptext(a, &a->camp[i].pkg->title), *read = tr(a, "pet.read");
    char name[400];
    const char *kv[] = {"title", title, NULL};
    int ts = app_sz(a, 36), bw = app_button_w(a, read, BTN_PRIMARY, 420), bh, h, y0 = y;
    int side = w - 48 - bw - 32 >= 700, tw = side ? w - 48 - bw - 32 : w - 48;

    if (bw > w - 48)
        bw = w - 48;
    bh = app_button_h(a, read, bw, BTN_PRIMARY, 96);
    h = 20 + ui_text_h(&a->dl, title, ts, 1, tw, 0) + 16 + counters_box(a, i, 0, 0, tw, 0) + 20;
    if (!side)
        h += bh + 20;
    else if (h < bh + 40)
        h = bh + 40;
    if (!draw)
        return h;
    dl_rrect(&a->dl, (ui_rect_t){x, y, w, h}, 16, t->surface);
    dl_ring(&a->dl, (ui_rect_t){x, y, w, h}, 16, 2, t->border);
    y += 20;
    y += ui_text(&a->dl, x + 24, y, tw, title, ts, 1, t->text, AL_LEFT, 0) + 16;
    y += counters_box(a, i, x + 24, y, tw, 1) + 20;
    trf(a, name, sizeof name, "pet.read.name", kv);
    if (side)
        app_button(a, (ui_rect_t){x + w - 24 - bw, y0 + (h - bh) / 2, bw, bh}, read, name,
                   ACT_READ + i, BTN_PRIMARY, 1);
    else
        app_button(a, (ui_rect_t){x + 24, y, bw, bh}, read, name, ACT_READ + i, BTN_PRIMARY, 1);
    return h;
}

void scr_petitions_draw(app_t *a)
{
    const ui_theme_t *t = &a->theme;
    int top = app_top_bar(a), w = a->w - 2 * APP_MARGIN, x = APP_MARGIN, y = top + 24;
    int list[APP_MAX_CAMPAIGNS], n = petitions(a, list), k, bw, bh, ch, hs = app_sz(a, 30);
    const char *back = tr(a, "btn.back");

    if (w > 1500) {
        x += (w - 1500) / 2;
        w = 1500;
    }
    bw = app_button_w(a, back, BTN_SECONDARY, 300);
    bh = app_button_h(a, back, bw, BTN_SECONDARY, 96);
    if (a->s.page >= n)
        a->s.page = 0;
    {
        /* when the first card would not fit (large text), the explanation
         * gives way, then the heading */
        const char *head = tr(a, n == 1 ? "pet.list.title.1" : "pet.list.title");
        int hh = ui_text_h(&a->dl, head, app_sz_big(a, 52), 1, w, 0) + 12;
        int eh = ui_text_h(&a->dl, tr(a, "pet.list.what"), hs, 0, w, 0) + 20;
        int room = a->h - 24 - bh - 24 - y - (n > 0 ? petition_card(a, list[a->s.page], x, y, w, 0)
                                                     : 0);
        if (hh + eh <= room || hh > room) {
            if (hh <= room)
                y += app_heading(a, x, y, w, head) + 12;
            if (hh + eh <= room)
                y += ui_text(&a->dl, x, y, w, tr(a, "pet.list.what"), hs, 0, t->text, AL_LEFT, 0) +
                     20;
        } else {
            y += app_heading(a, x, y, w, head) + 12;
        }
    }
    /* as many cards as fit above "Retour", the page first (s.page) */
    for (k = a->s.page; k < n; k++) {
        ch = petition_card(a, list[k], x, y, w, 0);
        if (k > a->s.page && y + ch > a->h - 24 - bh - 24)
            break;
        y += petition_card(a, list[k], x, y, w, 1) + 16;
    }
    app_button(a, (ui_rect_t){x, a->h - 24 - bh, bw, bh}, back, NULL, ACT_BACK, BTN_SECONDARY, 1);
    if (k < n || a->s.page > 0) {
        const char *more = tr(a, "pet.list.more");
        int mw = app_button_w(a, more, BTN_SECONDARY, 300);
        app_button(a, (ui_rect_t){x + w - mw, a->h - 24 - bh, mw, bh}, more, NULL,
                   ACT_PAGE_NEXT, BTN_SECONDARY, 1);
        if (k < n)
            a->s.detail_page = k; /* where the next page starts */
        else
            a->s.detail_page = 0;
    }
}

void scr_petitions_act(app_t *a, int act)
{
    if (act >= ACT_READ && act < ACT_READ + a->n_camp &&
        a->camp[act - ACT_READ].pkg->kind == PKG_PETITION) {
        app_use_campaign(a, act - ACT_READ);
        a->s.detail_page = 0;
        app_go(a, SCR_PETITION);
    } else if (act == ACT_PAGE_NEXT) {
        a->s.page = a->s.detail_page;
        a->focus = -1;
    } else if (act == ACT_BACK) {
        app_reset_session(a);
    }
}

/* --- the full text --------------------------------------------------------------- */

void scr_petition_draw(app_t *a)
{
    const ui_theme_t *t = &a->theme;
    int top = app_top_bar(a), w = a->w - 2 * APP_MARGIN, x = APP_MARGIN, y = top + 24;
    const char *title = app_ptext(a, &a->pkg->title), *text = app_ptext(a, &a->pkg->description);
    const char *back = tr(a, "btn.back"), *sign = tr(a, "pet.sign");
    const char *more = tr(a, "detail.more"), *prev = tr(a, "detail.prev");
    int fs = app_sz(a, 34), lh = ui_line_h(fs), bw1, bw2, bh, side, two = a->w >= 1600;
    int cw, cx, boxw, room, per, pages, nl, k, bar_y, pbh = 0, pbw;
    size_t st[WRAP_LINES], ln[WRAP_LINES];
    char page[4096];

    if (w > 1700) {
        x += (w - 1700) / 2;
        w = 1700;
    }
    /* the buttons at the bottom: "Retour" and "Signer cette pétition" */
    bw1 = app_button_w(a, back, BTN_SECONDARY, 300);
    bw2 = app_button_w(a, sign, BTN_PRIMARY, 520);
    side = bw1 + bw2 + 40 <= w;
    if (!side)
        bw1 = bw2 = w;
    bh = app_button_h(a, back, bw1, BTN_SECONDARY, 110);
    bh = app_button_h(a, sign, bw2, BTN_PRIMARY, bh);
    bar_y = a->h - 24 - (side ? bh : 2 * bh + 24);
    if (side) {
        app_button(a, (ui_rect_t){x, bar_y, bw1, bh}, back, NULL, ACT_BACK, BTN_SECONDARY, 1);
        app_button(a, (ui_rect_t){x + w - bw2, bar_y, bw2, bh}, sign, NULL, ACT_SIGN,
                   BTN_PRIMARY, 1);
    } else {
        app_button(a, (ui_rect_t){x, bar_y, w, bh}, sign, NULL, ACT_SIGN, BTN_PRIMARY, 1);
        app_button(a, (ui_rect_t){x, bar_y + bh + 24, w, bh}, back, NULL, ACT_BACK,
                   BTN_SECONDARY, 1);
    }
    y += app_heading(a, x, y, w, title) + 20;
    /* the counters beside the text (wide screens), or above it */
    boxw = w * 36 / 100;
    if (two && y + counters_box(a, a->cur, 0, 0, boxw, 0) > bar_y - 24)
        two = 0; /* large text: the counters above the text */
    if (two) {
        cw = w - boxw - 48;
        cx = x;
        counters_box(a, a->cur, x + w - boxw, y, boxw, 1);
    } else {
        cw = w;
        cx = x;
        /* the counters above the text, unless they would leave it fewer
         * than five lines a page (they were on the list just before) */
        if (bar_y - 24 - y - counters_box(a, a->cur, x, y, w, 0) - 20 - 96 - 16 >= 5 * lh)
            y += counters_box(a, a->cur, x, y, w, 1) + 20;
    }
    /* the text, in pages of whole lines when it is long */
    nl = ui_wrap(&a->dl, text, fs, 0, cw, st, ln, WRAP_LINES);
    if (nl > WRAP_LINES)
        nl = WRAP_LINES;
    room = bar_y - 24 - y;
    per = room / lh;
    pbw = (cw - 24) / 2;
    if (nl > per) {
        pbh = app_button_h(a, more, pbw, BTN_SECONDARY, 96);
        pbh = app_button_h(a, prev, pbw, BTN_SECONDARY, pbh);
        per = (room - pbh - 16) / lh;
    }
    if (per < 1)
        per = 1;
    pages = (nl + per - 1) / per;
    if (pages < 1)
        pages = 1;
    if (a->s.detail_page >= pages)
        a->s.detail_page = pages - 1;
    k = a->s.detail_page * per;
    page[0] = '\0';
    if (k < nl) {
        int last = k + per < nl ? k + per : nl;
        size_t from = st[k], to = st[last - 1] + ln[last - 1];
        if (to - from >= sizeof page)
            to = from + sizeof page - 1;
        memcpy(page, text + from, to - from);
        page[to - from] = '\0';
    }
    ui_text(&a->dl, cx, y, cw, page, fs, 0, t->text, AL_LEFT, 0);
    if (pages > 1) {
        int py = bar_y - 24 - pbh;
        app_button(a, (ui_rect_t){cx, py, pbw, pbh}, prev, NULL, ACT_TEXT_PREV, BTN_SECONDARY,
                   a->s.detail_page > 0);
        app_button(a, (ui_rect_t){cx + pbw + 24, py, pbw, pbh}, more, NULL, ACT_TEXT_MORE,
                   BTN_SECONDARY, a->s.detail_page < pages - 1);
    }
}

void scr_petition_act(app_t *a, int act)
{
    switch (act) {
    case ACT_TEXT_MORE:
        a->s.detail_page++;
        break;
    case ACT_TEXT_PREV:
        if (a->s.detail_page > 0)
            a->s.detail_page--;
        break;
    case ACT_SIGN:
        a->s.step = ID_LAST;
        app_go(a, SCR_IDENTITY);
        break;
    case ACT_BACK:
        a->s.page = 0;
        app_go(a, SCR_PETITIONS);
        break;
    }
}

/* --- consent and signature --------------------------------------------------------- */

static void sign(app_t *a)
{
    cast_ctx_t ctx;
    cast_identity_t who;
    cast_receipt_t rec;
    char birth[DAY_TEXT_LEN + 1], why[256];
    int rc;

    app_cast_inputs(a, &ctx, &who, birth);
    rc = cast_petition(&ctx, &who, !a->s.no_publish, app_day(a), &rec, why, sizeof why);
    if (rc == BN_EREVOKED)
        app_cast_revoked(a, why, sizeof why);
    mbedtls_platform_zeroize(ctx.secret, sizeof ctx.secret);
    mbedtls_platform_zeroize(birth, sizeof birth);
    if (rc == 0) {
        /* signed and on disk: the receipt may be shown */
        app_show_receipt(a, &rec, 1);
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
        a->s.msg = MSG_ALREADY; /* and nothing more */
        app_go(a, SCR_MESSAGE);
        return;
    }
    if (rc == BN_ERANGE) {
        a->s.msg = MSG_TOO_YOUNG;
        app_go(a, SCR_MESSAGE);
        return;
    }
    /* Not stored: say so, then go out of service rather than pretend. */
    snprintf(a->oos_reason, sizeof a->oos_reason, "sign: %s", why);
    a->s.msg = MSG_NOT_STORED;
    a->s.in_doubt = rc == BN_EDOUBT;
    app_go(a, SCR_MESSAGE);
}

/* Lays out the consent screen from y; draws when draw; returns the y
 * after the status line. `notice_size` is the notice's text size. */
static int consent_body(app_t *a, int x, int y, int w, int heading, int notice_size, int draw)
{
    const ui_theme_t *t = &a->theme;
    const char *toggle_name = tr(a, "consent.no_publish");
    char label[256];
    const char *status = tr(a, a->s.no_publish ? "consent.status.hidden" : "consent.status.shown");
    int th, ss = app_sz(a, 32);

    snprintf(label, sizeof label, "%s%s", a->s.no_publish ? "\xe2\x9c\x93 " : "", toggle_name);
    if (heading)
        y += (draw ? app_heading(a, x, y, w, tr(a, "consent.title"))
                   : ui_text_h(&a->dl, tr(a, "consent.title"), app_sz_big(a, 52), 1, w, 0)) + 16;
    y += (draw ? ui_text(&a->dl, x, y, w, tr(a, "consent.notice"), notice_size, 0, t->text,
                         AL_LEFT, 0)
               : ui_text_h(&a->dl, tr(a, "consent.notice"), notice_size, 0, w, 0)) + 24;
    th = app_button_h(a, label, w, BTN_SECONDARY, 96);
    if (draw)
        app_button(a, (ui_rect_t){x, y, w, th}, label, toggle_name, ACT_NO_PUBLISH,
                   a->s.no_publish ? BTN_CHOSEN : BTN_SECONDARY, 1);
    y += th + 16;
    y += draw ? ui_text(&a->dl, x, y, w, status, ss, 1, t->text, AL_LEFT, 0)
              : ui_text_h(&a->dl, status, ss, 1, w, 0);
    return y;
}

void scr_consent_draw(app_t *a)
{
    int top = app_top_bar(a), w = a->w - 2 * APP_MARGIN, x = APP_MARGIN, y = top + 24, i;
    const char *back = tr(a, "btn.back"), *sign_l = tr(a, "consent.sign");
    int bw1, bw2, bh, side, bar_y, heading = 1, ns = app_sz(a, 32);

    if (w > 1500 && a->theme.scale == 100) {
        x += (w - 1500) / 2;
        w = 1500;
    }
    bw1 = app_button_w(a, back, BTN_SECONDARY, 300);
    bw2 = app_button_w(a, sign_l, BTN_PRIMARY, 520);
    side = bw1 + bw2 + 40 <= w;
    if (!side)
        bw1 = bw2 = w;
    bh = app_button_h(a, back, bw1, BTN_SECONDARY, 110);
    bh = app_button_h(a, sign_l, bw2, BTN_PRIMARY, bh);
    bar_y = a->h - 24 - (side ? bh : 2 * bh + 24);
    /* when the screen is short (large text), the heading gives way, then
     * the notice's text gets a little smaller */
    if (consent_body(a, x, y, w, 1, ns, 0) > bar_y - 24) {
        heading = 0;
        if (consent_body(a, x, y, w, 0, ns, 0) > bar_y - 24)
            ns = app_sz(a, 28);
    }
    consent_body(a, x, y, w, heading, ns, 1);
    if (side) {
        app_button(a, (ui_rect_t){x, bar_y, bw1, bh}, back, NULL, ACT_BACK, BTN_SECONDARY, 1);
        app_button(a, (ui_rect_t){x + w - bw2, bar_y, bw2, bh}, sign_l, NULL, ACT_SIGN_CONFIRM,
                   BTN_PRIMARY, 1);
    } else {
        app_button(a, (ui_rect_t){x, bar_y, w, bh}, sign_l, NULL, ACT_SIGN_CONFIRM, BTN_PRIMARY,
                   1);
        app_button(a, (ui_rect_t){x, bar_y + bh + 24, w, bh}, back, NULL, ACT_BACK,
                   BTN_SECONDARY, 1);
    }
    /* Enter alone never signs: the focus must be on "Signer" */
    for (i = 0; i < a->dl.nctl; i++)
        if (a->dl.ctls[i].action == ACT_SIGN_CONFIRM)
            a->dl.ctls[i].primary = 0;
}

void scr_consent_act(app_t *a, int act)
{
    switch (act) {
    case ACT_NO_PUBLISH:
        a->s.no_publish = !a->s.no_publish;
        break;
    case ACT_SIGN_CONFIRM:
        sign(a);
        break;
    case ACT_BACK:
        a->s.no_publish = 0;
        app_go(a, SCR_IDENTITY); /* the commune step */
        break;
    }
}
