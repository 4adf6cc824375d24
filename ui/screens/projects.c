/* projects.c - the projects of the voter's territory as cards, the toggle,
 * and the live meter: remaining budget, projects chosen out of the maximum,
 * and every refused choice explained in words (rules_can_add/rules_check). */
#include <stdio.h>
#include <string.h>

#include "rules.h"
#include "screens.h"

#define CARD_GAP 10

int projects_chosen(const app_t *a, int project)
{
    int i;

    for (i = 0; i < a->s.nsel; i++)
        if (a->s.sel[i] == project)
            return 1;
    return 0;
}

int projects_points(const app_t *a, int project)
{
    int i;

    for (i = 0; i < a->s.nsel; i++)
        if (a->s.sel[i] == project)
            return a->s.pts[i];
    return 0;
}

int projects_rank(const app_t *a, int project)
{
    int i;

    for (i = 0; i < a->s.nsel; i++)
        if (a->s.sel[i] == project)
            return i + 1;
    return 0;
}

void projects_point(app_t *a, int project, int delta)
{
    rules_problem_t pb;
    int i;

    a->s.notice = NOTICE_NONE;
    for (i = 0; i < a->s.nsel && a->s.sel[i] != project; i++)
        ;
    if (delta < 0) {
        if (i == a->s.nsel)
            return;
        if (--a->s.pts[i] == 0) { /* no point left: out of the ballot */
            memmove(&a->s.sel[i], &a->s.sel[i + 1], (size_t)(a->s.nsel - i - 1) * sizeof(int));
            memmove(&a->s.pts[i], &a->s.pts[i + 1], (size_t)(a->s.nsel - i - 1) * sizeof(int));
            a->s.nsel--;
            a->s.pts[a->s.nsel] = 0;
        }
        return;
    }
    if (rules_can_add_point(a->pkg, a->s.territory, a->s.sel, a->s.pts, a->s.nsel, project,
                            &pb) == 0) {
        if (i == a->s.nsel) {
            if (a->s.nsel >= BALLOT_MAX_CHOICES)
                return;
            a->s.sel[a->s.nsel] = project;
            a->s.pts[a->s.nsel++] = 0;
        }
        a->s.pts[i]++;
        return;
    }
    a->s.notice_seq++;
    a->s.notice = pb.kind == RULES_TOO_MANY_POINTS    ? NOTICE_POINTS
                  : pb.kind == RULES_OVER_PER_PROJECT ? NOTICE_PER_PROJECT
                  : pb.kind == RULES_TOO_MANY         ? NOTICE_TOO_MANY
                                                      : NOTICE_OTHER;
    a->s.notice_project = project;
}

const char *projects_toggle_label(app_t *a, int project, char *buf, size_t cap)
{
    int r = a->pkg->rule.ballot == PKG_BALLOT_ORDINAL ? projects_rank(a, project) : 0;
    char n[16], key[24];
    const char *kv[] = {"rank", n, NULL};

    if (r > 0) { /* "✓ 1er choix", "✓ 2e choix" */
        snprintf(n, sizeof n, "%d", r);
        snprintf(key, sizeof key, r <= 3 ? "proj.rank.%d" : "proj.rank", r);
        return trf(a, buf, cap, key, kv);
    }
    snprintf(buf, cap, "%s",
             tr(a, projects_chosen(a, project) ? "proj.chosen"
                   : a->pkg->rule.ballot == PKG_BALLOT_ORDINAL ? "proj.rank.add"
                                                               : "proj.choose"));
    return buf;
}

void projects_toggle(app_t *a, int project)
{
    const pkg_project_t *p = &a->pkg->projects[project];
    rules_problem_t pb;
    int i;

    a->s.notice = NOTICE_NONE;
    for (i = 0; i < a->s.nsel; i++)
        if (a->s.sel[i] == project) {
            memmove(&a->s.sel[i], &a->s.sel[i + 1], (size_t)(a->s.nsel - i - 1) * sizeof(int));
            a->s.nsel--;
            return;
        }
    if (p->territory != a->s.territory || a->s.nsel >= BALLOT_MAX_CHOICES)
        return;
    if (rules_can_add(a->pkg, a->s.territory, a->s.sel, a->s.nsel, project, &pb) == 0) {
        a->s.sel[a->s.nsel++] = project;
        return;
    }
    /* never silently ignored: say why (phrased at draw time, projects_notice) */
    a->s.notice_seq++;
    a->s.notice = pb.kind == RULES_TOO_MANY      ? NOTICE_TOO_MANY
                  : pb.kind == RULES_OVER_BUDGET ? NOTICE_OVER_BUDGET
                                                 : NOTICE_OTHER;
    a->s.notice_project = project;
}

static const char *notice_text(app_t *a, char *buf, size_t cap, int brief);

const char *projects_notice(app_t *a, char *buf, size_t cap)
{
    return notice_text(a, buf, cap, 0);
}

const char *projects_notice_brief(app_t *a, char *buf, size_t cap)
{
    return notice_text(a, buf, cap, 1);
}

static const char *notice_text(app_t *a, char *buf, size_t cap, int brief)
{
    const pkg_project_t *p;
    rules_verdict_t v;
    char cost[48], left[48], max[16], pts[16], per[16];
    const char *kv[] = {"title", "", "cost", cost, "left", left, "max", max, "points", pts,
                        "per", per, NULL};

    if (a->s.notice == NOTICE_NONE)
        return NULL;
    snprintf(pts, sizeof pts, "%d", a->pkg->rule.points);
    snprintf(per, sizeof per, "%d", a->pkg->rule.per_project);
    p = &a->pkg->projects[a->s.notice_project];
    kv[1] = app_ptext(a, &p->title);
    (void)rules_check(a->pkg, a->s.territory, a->s.sel, a->s.nsel, &v);
    fmt_money(p->cost, cost, sizeof cost);
    fmt_money(v.remaining, left, sizeof left);
    snprintf(max, sizeof max, "%d", a->pkg->rule.max);
    return trf(a, buf, cap,
               a->s.notice == NOTICE_POINTS ? (brief ? "rule.add.points.brief" : "rule.add.points")
               : a->s.notice == NOTICE_PER_PROJECT
                   ? (brief ? "rule.add.per_project.brief" : "rule.add.per_project")
               : a->s.notice == NOTICE_TOO_MANY && a->pkg->rule.max == 1
                   ? (brief ? "rule.add.too_many.1.brief" : "rule.add.too_many.1")
               : a->s.notice == NOTICE_TOO_MANY ? (brief ? "rule.add.too_many.brief"
                                                         : "rule.add.too_many")
               : a->s.notice == NOTICE_OVER_BUDGET ? (brief ? "rule.add.over_budget.brief"
                                                            : "rule.add.over_budget")
                                                   : "rule.add.other",
               kv);
}

void projects_meter(app_t *a, char *left_out, char *count_out, size_t cap)
{
    rules_verdict_t v;
    char left[48], env[48], n[16], max[16];
    const char *kv[] = {"left", left, "envelope", env, "n", n, "max", max, NULL};

    (void)rules_check_points(a->pkg, a->s.territory, a->s.sel,
                             a->pkg->rule.ballot == PKG_BALLOT_CUMULATIVE ? a->s.pts : NULL,
                             a->s.nsel, &v);
    fmt_money(v.remaining, left, sizeof left);
    fmt_money(v.envelope, env, sizeof env);
    snprintf(n, sizeof n, "%d", v.chosen);
    snprintf(max, sizeof max, "%d", v.max);
    if (a->pkg->rule.ballot == PKG_BALLOT_CUMULATIVE) {
        /* "Points donnés : 4 sur 10", "5 points au plus par projet" */
        const char *kp[] = {"n", n, "max", max, NULL};
        char per[16];
        snprintf(n, sizeof n, "%d", v.points);
        snprintf(max, sizeof max, "%d", a->pkg->rule.points);
        snprintf(per, sizeof per, "%d", a->pkg->rule.per_project);
        trf(a, left_out, cap, "meter.points", kp);
        kp[3] = per;
        trf(a, count_out, cap, "meter.per_project", kp);
        return;
    }
    trf(a, left_out, cap,
        a->pkg->rule.ballot == PKG_BALLOT_ORDINAL ? "meter.rank.how" : "meter.left", kv);
    trf(a, count_out, cap,
        a->pkg->rule.ballot == PKG_BALLOT_ORDINAL ? "meter.ranked" : "meter.count", kv);
}

const char *projects_problem(app_t *a, char *buf, size_t cap)
{
    rules_verdict_t v;
    char amount[48], min[16];
    const char *kv[] = {"amount", amount, "n", amount, "min", min, NULL};
    const char *key;

    if (rules_check_points(a->pkg, a->s.territory, a->s.sel,
                           a->pkg->rule.ballot == PKG_BALLOT_CUMULATIVE ? a->s.pts : NULL,
                           a->s.nsel, &v) == 0 ||
        v.n_problems == 0)
        return NULL;
    snprintf(min, sizeof min, "%d", v.min);
    switch (v.problems[0].kind) {
    case RULES_TOO_FEW: /* "au moins 1 projet", "au moins 2 projets" */
        key = v.min == 1 ? "rule.too_few.1" : "rule.too_few";
        snprintf(amount, sizeof amount, "%lld", (long long)v.problems[0].amount);
        break;
    case RULES_TOO_MANY:
        key = "rule.too_many";
        snprintf(amount, sizeof amount, "%lld", (long long)v.problems[0].amount);
        break;
    case RULES_OVER_BUDGET:
        key = "rule.over_budget";
        fmt_money(v.problems[0].amount, amount, sizeof amount);
        break;
    case RULES_UNDER_MIN_SPEND:
        key = "rule.min_spend";
        fmt_money(v.problems[0].amount, amount, sizeof amount);
        break;
    default:
        key = "rule.add.other";
        amount[0] = '\0';
        break;
    }
    return trf(a, buf, cap, key, kv);
}

/* The hint under the meter, for the ballot of the campaign. */
static const char *hint_key(const app_t *a)
{
    return a->pkg->rule.ballot == PKG_BALLOT_CUMULATIVE ? "proj.hint.cumulative"
           : a->pkg->rule.ballot == PKG_BALLOT_ORDINAL  ? "proj.hint.ordinal"
                                                        : "proj.hint";
}

/* The projects of the voter's territory, in package order. */
#define PROJECTS_MAX 256 /* projects of one territory shown (pages of cards) */

static int territory_projects(const app_t *a, int *out)
{
    int i, n = 0;

    for (i = 0; i < a->pkg->n_projects && n < PROJECTS_MAX; i++)
        if (a->pkg->projects[i].territory == a->s.territory)
            out[n++] = i;
    return n;
}

/* The toggle's width: its longest label on one line (a cumulative
 * ballot: "−", the points, "+"). */
static int toggle_w(app_t *a)
{
    int w = app_button_w(a, tr(a, "proj.choose"), BTN_SECONDARY, 280);
    char buf[64];

    if (a->pkg->rule.ballot == PKG_BALLOT_CUMULATIVE) {
        const char *kv[] = {"n", "99", NULL};
        trf(a, buf, sizeof buf, "proj.points", kv);
        return 2 * 96 + 24 + ui_text_w(&a->dl, buf, app_sz(a, 30), 1) + 24;
    }
    if (a->pkg->rule.ballot == PKG_BALLOT_ORDINAL) {
        const char *kv[] = {"rank", "99", NULL};
        w = app_button_w(a, tr(a, "proj.rank.add"), BTN_SECONDARY, w);
        w = app_button_w(a, trf(a, buf, sizeof buf, "proj.rank", kv), BTN_SECONDARY, w);
        return app_button_w(a, trf(a, buf, sizeof buf, "proj.rank.1", kv), BTN_SECONDARY, w);
    }
    return app_button_w(a, tr(a, "proj.chosen"), BTN_SECONDARY, w);
}

/* A cumulative ballot's controls at r: "−", the points given, "+". */
static void point_buttons(app_t *a, ui_rect_t r, int i, const char *title)
{
    char name[300], pts[48], n[16];
    const char *kv[] = {"title", title, "n", n, NULL};
    int p = projects_points(a, i), tw;

    snprintf(n, sizeof n, "%d", p);
    trf(a, pts, sizeof pts, p == 0 ? "proj.points.0" : p == 1 ? "proj.points.1" : "proj.points", kv);
    trf(a, name, sizeof name, "proj.point.sub", kv);
    app_button(a, (ui_rect_t){r.x, r.y, 96, r.h}, "\xe2\x88\x92", name, ACT_POINT_SUB + i,
               BTN_SECONDARY, p > 0);
    a->dl.ctls[a->dl.nctl - 1].group = 1 + i;
    tw = r.w - 2 * 96;
    ui_text(&a->dl, r.x + 96, r.y + (r.h - ui_line_h(app_sz(a, 30))) / 2, tw, pts, app_sz(a, 30), 1,
            a->theme.text, AL_CENTER, 1);
    trf(a, name, sizeof name, "proj.point.add", kv);
    app_button(a, (ui_rect_t){r.x + r.w - 96, r.y, 96, r.h}, "+", name, ACT_POINT_ADD + i,
               BTN_SECONDARY, 1);
    a->dl.ctls[a->dl.nctl - 1].group = 1 + i;
}

/* A card: the title (wrapped) and its cost, the summary (wrapped) below,
 * the toggle at the right. Returns its height; draws it when draw. */
static int card(app_t *a, ui_rect_t r, int i, int tw, int draw)
{
    const ui_theme_t *t = &a->theme;
    const pkg_project_t *p = &a->pkg->projects[i];
    int chosen = projects_chosen(a, i), x = r.x + 28, ts = app_sz(a, 34), ss = app_sz(a, 28);
    int text_w = r.w - 28 - 24 - tw - 24, cw, title_w, h, th, sh;
    /* narrow (portrait, large text): title and summary over the whole
     * width, the cost and the toggle on a row below them */
    int narrow = text_w < 760;
    char cost[48], name[256];
    const char *title = app_ptext(a, &p->title), *summary = app_ptext(a, &p->summary);

    fmt_money(p->cost, cost, sizeof cost);
    cw = ui_text_w(&a->dl, cost, ts, 1);
    if (narrow)
        text_w = r.w - 2 * 28;
    title_w = narrow ? text_w : text_w - cw - 32;
    /* the largest text: the title and the cost only, so that a page holds
     * more than one card; the summary is in the detail view */
    if (a->text_size == APP_SIZE_LARGEST)
        summary = "";
    th = ui_text_h(&a->dl, title, ts, 1, title_w, 0);
    sh = summary[0] != '\0' ? ui_text_h(&a->dl, summary, ss, 0, text_w, 0) : 0;
    h = 12 + th + (sh > 0 ? 4 + sh : 0) + 12;
    if (narrow)
        h += 88 + 12;
    if (h < 88 + 20)
        h = 88 + 20;
    if (narrow && h < 2 * 88 + 16)
        h = 2 * 88 + 16; /* the card's own control stays 88 px high */
    if (!draw)
        return h;
    r.h = h;
    /* the card (minus its toggle) opens the detail view */
    dl_control(&a->dl,
               narrow ? (ui_rect_t){r.x, r.y, r.w, h - 88 - 16}
                      : (ui_rect_t){r.x, r.y, r.w - tw - 24, r.h},
               ACT_OPEN + i, title, NULL, NULL, 1, 0);
    /* two switches: a card is one item (its description, its toggle inside) */
    if (a->dl.nctl > 0)
        a->dl.ctls[a->dl.nctl - 1].group = 1 + i;
    dl_rrect(&a->dl, r, 16, chosen ? t->chosen_bg : t->surface);
    dl_ring(&a->dl, r, 16, chosen ? 5 : 2, chosen ? t->accent : t->border);
    {
        /* a title alone (no summary) is centred in its card */
        int ty = sh == 0 && !narrow ? r.y + (h - th) / 2 : r.y + 12;
        if (narrow)
            ui_text(&a->dl, x, r.y + h - 12 - 88 + (88 - ui_line_h(ts)) / 2, cw, cost, ts, 1,
                    t->text, AL_LEFT, 1);
        else
            ui_text(&a->dl, x + text_w - cw, ty, cw, cost, ts, 1, t->text, AL_RIGHT, 1);
        ui_text(&a->dl, x, ty, title_w, title, ts, 1, t->text, AL_LEFT, 0);
    }
    if (sh > 0)
        ui_text(&a->dl, x, r.y + 12 + th + 4, text_w, summary, ss, 0, t->muted, AL_LEFT, 0);
    {
        const char *kv[] = {"action",
                            tr(a, chosen ? "proj.remove"
                                  : a->pkg->rule.ballot == PKG_BALLOT_ORDINAL ? "proj.rank.add"
                                                                              : "proj.choose"),
                            "title", title, NULL};
        trf(a, name, sizeof name, "proj.name", kv);
    }
    if (a->pkg->rule.ballot == PKG_BALLOT_CUMULATIVE) {
        point_buttons(a,
                      (ui_rect_t){r.x + r.w - tw - 16,
                                  narrow ? r.y + h - 12 - 88 : r.y + (r.h - 88) / 2, tw, 88},
                      i, title);
        return h;
    }
    {
        char label[64];
        app_button(a,
                   (ui_rect_t){r.x + r.w - tw - 16, narrow ? r.y + h - 12 - 88 : r.y + (r.h - 88) / 2,
                               tw, 88},
                   projects_toggle_label(a, i, label, sizeof label), name, ACT_TOGGLE + i,
                   chosen ? BTN_CHOSEN : BTN_SECONDARY, 1);
    }
    a->dl.ctls[a->dl.nctl - 1].group = 1 + i;
    return h;
}

/* The pager under the cards: "previous", "page n of m", "next" on one row,
 * or, when narrow, the page number above two half-width buttons. Returns
 * its height (with the gap above); draws it when draw. */
static int pager(app_t *a, int w, int page, int pages, int draw)
{
    const char *prev = tr(a, "proj.prev"), *next = tr(a, "proj.next");
    int three = app_button_w(a, prev, BTN_SECONDARY, 0) <= (w - 48) / 3 &&
                app_button_w(a, next, BTN_SECONDARY, 0) <= (w - 48) / 3;
    int bw = three ? (w - 48) / 3 : (w - 24) / 2, bh, th, ps = app_sz(a, 32), y;
    char buf[128], p1[16], p2[16];
    const char *kv[] = {"page", p1, "pages", p2, NULL};

    snprintf(p1, sizeof p1, "%d", page + 1);
    snprintf(p2, sizeof p2, "%d", pages);
    trf(a, buf, sizeof buf, "proj.page", kv);
    bh = app_button_h(a, prev, bw, BTN_SECONDARY, 96);
    bh = app_button_h(a, next, bw, BTN_SECONDARY, bh);
    th = ui_text_h(&a->dl, buf, ps, 0, three ? bw : w, 0);
    if (draw) {
        y = a->h - 24 - bh;
        if (three) {
            ui_text(&a->dl, APP_MARGIN + bw + 24, y + (bh - th) / 2, bw, buf, ps, 0,
                    a->theme.text, AL_CENTER, 0);
        } else {
            ui_text(&a->dl, APP_MARGIN, y - 12 - th, w, buf, ps, 0, a->theme.text, AL_CENTER, 0);
        }
        app_button(a, (ui_rect_t){APP_MARGIN, y, bw, bh}, prev, NULL, ACT_PAGE_PREV,
                   BTN_SECONDARY, page > 0);
        app_button(a, (ui_rect_t){a->w - APP_MARGIN - bw, y, bw, bh}, next, NULL,
                   ACT_PAGE_NEXT, BTN_SECONDARY, page < pages - 1);
    }
    return 16 + bh + (three ? 0 : th + 12);
}

/* Splits the cards into pages that fit between y0 and y1 (pager below
 * when more than one page); starts[k] is the first card of page k.
 * Returns the number of pages. */
static int paginate(app_t *a, const int *list, int n, int y0, int y1, int w, int tw, int *starts,
                    int *pager_h)
{
    int pages, k, i, room, y;

    *pager_h = 0;
    for (k = 0; k < 2; k++) {
        room = y1 - y0 - *pager_h;
        pages = 0;
        y = room; /* forces a new page at the first card */
        for (i = 0; i < n; i++) {
            int h = card(a, (ui_rect_t){0, 0, w, 0}, list[i], tw, 0) + CARD_GAP;
            if (y + h > room + CARD_GAP && !(y == 0)) {
                starts[pages++] = i;
                y = 0;
            }
            y += h;
        }
        if (pages <= 1)
            break;
        *pager_h = pager(a, w, 0, 2, 0);
    }
    if (pages == 0)
        starts[pages++] = 0;
    starts[pages] = n;
    return pages;
}

void scr_projects_draw(app_t *a)
{
    const ui_theme_t *t = &a->theme;
    int top = app_top_bar(a), list[PROJECTS_MAX], n = territory_projects(a, list), pages, i;
    int y = top + 20, w = a->w - 2 * APP_MARGIN, starts[PROJECTS_MAX + 1], pager_h, tw;
    int ts = app_sz(a, 44), bw1, bw2, bh, ms = app_sz(a, 32), card_max, hint_h, yc;
    char buf[512], p1[16], p2[16], left[256], count[256];
    const char *kv[] = {"territory", app_ptext(a, &a->pkg->territories[a->s.territory].name),
                        "page", p1, "pages", p2, NULL};
    const char *title = trf(a, buf, sizeof buf, "proj.title", kv);
    char title_copy[256];

    snprintf(title_copy, sizeof title_copy, "%s", title);
    /* the band: title, then "Retour" and "Voir mon choix" (below the title
     * when the screen is too narrow for both) */
    bw1 = app_button_w(a, tr(a, "btn.back"), BTN_SECONDARY, 300);
    bw2 = app_button_w(a, tr(a, "proj.review"), BTN_PRIMARY, 400);
    bh = 96;
    if (ui_text_w(&a->dl, title_copy, ts, 1) <= w - bw1 - bw2 - 40) {
        ui_text(&a->dl, APP_MARGIN, y + (bh - ui_line_h(ts)) / 2, w - bw1 - bw2 - 40, title_copy,
                ts, 1, t->text, AL_LEFT, 1);
    } else {
        y += ui_text(&a->dl, APP_MARGIN, y, w, title_copy, ts, 1, t->text, AL_LEFT, 0) + 12;
    }
    app_button(a, (ui_rect_t){a->w - APP_MARGIN - bw2 - 20 - bw1, y, bw1, bh}, tr(a, "btn.back"),
               NULL, ACT_BACK, BTN_SECONDARY, 1);
    app_button(a, (ui_rect_t){a->w - APP_MARGIN - bw2, y, bw2, bh}, tr(a, "proj.review"), NULL,
               ACT_REVIEW, BTN_PRIMARY, 1);
    y += bh + 12;

    /* the meter: money left and count, side by side or one above the other */
    projects_meter(a, left, count, sizeof left);
    /* (with large text, a refused choice's explanation takes the meter's
     * place: it says what is left, or the maximum) */
    if (a->s.notice == NOTICE_NONE || t->scale == 100) {
        int h1 = ui_text_h(&a->dl, left, ms, 1, w / 2 - 48, 0);
        int h2 = ui_text_h(&a->dl, count, ms, 1, w / 2 - 48, 0), mh = (h1 > h2 ? h1 : h2) + 24;
        if (h1 > ui_line_h(ms) || h2 > ui_line_h(ms)) {
            /* narrow: one above the other, over the whole width */
            h1 = ui_text_h(&a->dl, left, ms, 1, w - 48, 0);
            h2 = ui_text_h(&a->dl, count, ms, 1, w - 48, 0);
            dl_rrect(&a->dl, (ui_rect_t){APP_MARGIN, y, w, h1 + h2 + 32}, 12, t->surface);
            ui_text(&a->dl, APP_MARGIN + 24, y + 12, w - 48, left, ms, 1, t->text, AL_LEFT, 0);
            ui_text(&a->dl, APP_MARGIN + 24, y + 20 + h1, w - 48, count, ms, 1, t->text, AL_LEFT,
                    0);
            y += h1 + h2 + 32 + 12;
        } else {
            dl_rrect(&a->dl, (ui_rect_t){APP_MARGIN, y, w, mh}, 12, t->surface);
            ui_text(&a->dl, APP_MARGIN + 24, y + 12, w / 2 - 48, left, ms, 1, t->text, AL_LEFT,
                    0);
            ui_text(&a->dl, APP_MARGIN + w / 2 + 24, y + 12, w / 2 - 48, count, ms, 1, t->text,
                    AL_RIGHT, 0);
            y += mh + 12;
        }
    }

    /* the reason of a refused choice, or the hint (unless the hint would
     * leave no room for a card: large text on a short screen) */
    tw = toggle_w(a);
    hint_h = ui_text_h(&a->dl, tr(a, hint_key(a)), app_sz(a, 30), 0, w, 0) + 16;
    for (i = 0, card_max = 0; i < n; i++) {
        int ch = card(a, (ui_rect_t){0, 0, w, 0}, list[i], tw, 0);
        card_max = ch > card_max ? ch : card_max;
    }
    if (projects_notice(a, buf, sizeof buf) != NULL) {
        /* a long title on a short screen: the brief form, when the
         * full one would cost a page */
        char brief[512];
        projects_notice_brief(a, brief, sizeof brief);
        if (y + app_notice_h(a, w, buf) + 16 + card_max + pager(a, w, 0, 2, 0) > a->h - 24 ||
            paginate(a, list, n, y + app_notice_h(a, w, buf) + 16, a->h - 24, w, tw, starts,
                     &pager_h) >
                paginate(a, list, n, y + app_notice_h(a, w, brief) + 16, a->h - 24, w, tw,
                         starts, &pager_h))
            snprintf(buf, sizeof buf, "%s", brief); /* it would cost a page */
        y += app_notice(a, APP_MARGIN, y, w, buf) + 16;
    } else if (n == 0 || (y + hint_h + card_max + pager(a, w, 0, 2, 0) <= a->h - 24 &&
                          paginate(a, list, n, y + hint_h, a->h - 24, w, tw, starts, &pager_h) <=
                              paginate(a, list, n, y, a->h - 24, w, tw, starts, &pager_h))) {
        /* (only when it costs no page: large text on a short screen) */
        y += ui_text(&a->dl, APP_MARGIN, y, w, tr(a, hint_key(a)), app_sz(a, 30), 0, t->muted,
                     AL_LEFT, 0) + 16;
    }

    /* the cards, page by page */
    pages = paginate(a, list, n, y, a->h - 24, w, tw, starts, &pager_h);
    a->pages = pages; /* audio mode says "page 1 of 3" */
    if (a->s.page >= pages)
        a->s.page = pages - 1;
    if (a->s.page < 0)
        a->s.page = 0;
    yc = y;
    for (i = starts[a->s.page]; i < starts[a->s.page + 1]; i++)
        yc += card(a, (ui_rect_t){APP_MARGIN, yc, w, 0}, list[i], tw, 1) + CARD_GAP;
    if (pages > 1)
        pager(a, w, a->s.page, pages, 1);
}

void scr_projects_act(app_t *a, int act)
{
    if (act >= ACT_TOGGLE && act < ACT_TOGGLE + a->pkg->n_projects) {
        projects_toggle(a, act - ACT_TOGGLE);
        return;
    }
    if (act >= ACT_POINT_ADD && act < ACT_POINT_ADD + a->pkg->n_projects) {
        projects_point(a, act - ACT_POINT_ADD, 1);
        return;
    }
    if (act >= ACT_POINT_SUB && act < ACT_POINT_SUB + a->pkg->n_projects) {
        projects_point(a, act - ACT_POINT_SUB, -1);
        return;
    }
    if (act >= ACT_OPEN && act < ACT_OPEN + a->pkg->n_projects) {
        a->s.detail = act - ACT_OPEN;
        a->s.detail_page = 0;
        a->s.notice = NOTICE_NONE;
        app_go(a, SCR_DETAIL);
        return;
    }
    switch (act) {
    case ACT_PAGE_PREV:
    case ACT_PAGE_NEXT:
        /* by keyboard or switches, the focus stays on the paging control
         * (or the other one, at the first or last page): never lost, so
         * that the next Enter does not open the review (WCAG 2.4.3) */
        if (a->focus >= 0) {
            a->focus_act = act;
            a->focus_alt = act == ACT_PAGE_NEXT ? ACT_PAGE_PREV : ACT_PAGE_NEXT;
        }
        a->s.page += act == ACT_PAGE_NEXT ? 1 : -1;
        a->focus = -1;
        break;
    case ACT_REVIEW:
        a->s.notice = NOTICE_NONE;
        app_go(a, SCR_REVIEW);
        break;
    case ACT_BACK:
        a->s.notice = NOTICE_NONE;
        app_go(a, a->pkg->supervised ? SCR_VCODE : SCR_IDENTITY);
        break;
    }
}
