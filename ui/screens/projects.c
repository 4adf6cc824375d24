/* projects.c - the projects of the voter's territory as cards, the toggle,
 * and the live meter: remaining budget, projects chosen out of the maximum,
 * and every refused choice explained in words (rules_can_add/rules_check). */
#include <stdio.h>
#include <string.h>

#include "rules.h"
#include "screens.h"

#define CARD_H 108
#define CARD_GAP 10
#define NOTICE_H 118
#define METER_H 64

int projects_chosen(const app_t *a, int project)
{
    int i;

    for (i = 0; i < a->s.nsel; i++)
        if (a->s.sel[i] == project)
            return 1;
    return 0;
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
    a->s.notice = pb.kind == RULES_TOO_MANY      ? NOTICE_TOO_MANY
                  : pb.kind == RULES_OVER_BUDGET ? NOTICE_OVER_BUDGET
                                                 : NOTICE_OTHER;
    a->s.notice_project = project;
}

const char *projects_notice(app_t *a, char *buf, size_t cap)
{
    const pkg_project_t *p;
    rules_verdict_t v;
    char cost[48], left[48], max[16];
    const char *kv[] = {"title", "", "cost", cost, "left", left, "max", max, NULL};

    if (a->s.notice == NOTICE_NONE)
        return NULL;
    p = &a->pkg->projects[a->s.notice_project];
    kv[1] = app_ptext(a, &p->title);
    (void)rules_check(a->pkg, a->s.territory, a->s.sel, a->s.nsel, &v);
    fmt_money(p->cost, cost, sizeof cost);
    fmt_money(v.remaining, left, sizeof left);
    snprintf(max, sizeof max, "%d", a->pkg->rule.max);
    return trf(a, buf, cap,
               a->s.notice == NOTICE_TOO_MANY      ? "rule.add.too_many"
               : a->s.notice == NOTICE_OVER_BUDGET ? "rule.add.over_budget"
                                                   : "rule.add.other",
               kv);
}

void projects_meter(app_t *a, char *left_out, char *count_out, size_t cap)
{
    rules_verdict_t v;
    char left[48], env[48], n[16], max[16];
    const char *kv[] = {"left", left, "envelope", env, "n", n, "max", max, NULL};

    (void)rules_check(a->pkg, a->s.territory, a->s.sel, a->s.nsel, &v);
    fmt_money(v.remaining, left, sizeof left);
    fmt_money(v.envelope, env, sizeof env);
    snprintf(n, sizeof n, "%d", v.chosen);
    snprintf(max, sizeof max, "%d", v.max);
    trf(a, left_out, cap, "meter.left", kv);
    trf(a, count_out, cap, "meter.count", kv);
}

const char *projects_problem(app_t *a, char *buf, size_t cap)
{
    rules_verdict_t v;
    char amount[48], min[16];
    const char *kv[] = {"amount", amount, "n", amount, "min", min, NULL};
    const char *key;

    if (rules_check(a->pkg, a->s.territory, a->s.sel, a->s.nsel, &v) == 0 || v.n_problems == 0)
        return NULL;
    snprintf(min, sizeof min, "%d", v.min);
    switch (v.problems[0].kind) {
    case RULES_TOO_FEW:
        key = "rule.too_few";
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

static void draw_card(app_t *a, ui_rect_t r, int i)
{
    const ui_theme_t *t = &a->theme;
    const pkg_project_t *p = &a->pkg->projects[i];
    int chosen = projects_chosen(a, i), tw = 280, cw, x = r.x + 28;
    char cost[48], name[256];
    const char *title = app_ptext(a, &p->title);

    dl_control(&a->dl, r, ACT_OPEN + i, title, NULL, NULL, 1, 0);
    dl_rrect(&a->dl, r, 16, chosen ? t->chosen_bg : t->surface);
    dl_ring(&a->dl, r, 16, chosen ? 5 : 2, chosen ? t->accent : t->border);
    fmt_money(p->cost, cost, sizeof cost);
    cw = ui_text_w(&a->dl, cost, app_sz(a, 34), 1);
    ui_text(&a->dl, r.x + r.w - tw - 40 - cw, r.y + 12, cw, cost, app_sz(a, 34), 1, t->text,
            AL_RIGHT, 1);
    ui_text(&a->dl, x, r.y + 12, r.w - tw - 96 - cw - 28, title, app_sz(a, 34), 1, t->text,
            AL_LEFT, 1);
    ui_text(&a->dl, x, r.y + 12 + ui_line_h(app_sz(a, 34)), r.w - tw - 28 - 40,
            app_ptext(a, &p->summary), app_sz(a, 28), 0, t->muted, AL_LEFT, 1);
    {
        const char *kv[] = {"action", tr(a, chosen ? "proj.remove" : "proj.choose"), "title", title,
                            NULL};
        trf(a, name, sizeof name, "proj.name", kv);
    }
    app_button(a, (ui_rect_t){r.x + r.w - tw - 16, r.y + (r.h - 88) / 2, tw, 88},
               tr(a, chosen ? "proj.chosen" : "proj.choose"), name, ACT_TOGGLE + i,
               chosen ? BTN_CHOSEN : BTN_SECONDARY, 1);
}

/* Cards that fit on a page at this size, and whether a pager is needed. */
static int page_size(const app_t *a, int y_cards, int n, int *pager)
{
    int room = a->h - 24 - y_cards + CARD_GAP, per = room / (CARD_H + CARD_GAP);

    *pager = 0;
    if (per < 1)
        per = 1;
    if (n > per) {
        *pager = 1;
        per = (room - 96 - 16) / (CARD_H + CARD_GAP);
        if (per < 1)
            per = 1;
    }
    return per;
}

#define BAND_RIGHT 740 /* room for the two buttons of the band */

static int y_cards_of(app_t *a, int top)
{
    (void)a; /* fixed heights today; the text sizes will scale them */
    return top + 20 + 96 + 12 + METER_H + 12 + NOTICE_H + 12;
}

void scr_projects_draw(app_t *a)
{
    const ui_theme_t *t = &a->theme;
    int top = app_top_bar(a), list[PROJECTS_MAX], n = territory_projects(a, list), pager, per, pages, i;
    int y = top + 20, w = a->w - 2 * APP_MARGIN, y_cards = y_cards_of(a, top);
    char buf[512], p1[16], p2[16];
    const char *kv[] = {"territory", app_ptext(a, &a->pkg->territories[a->s.territory].name),
                        "page", p1, "pages", p2, NULL};

    per = page_size(a, y_cards, n, &pager);
    pages = (n + per - 1) / per;
    if (a->s.page >= pages)
        a->s.page = pages - 1;
    if (a->s.page < 0)
        a->s.page = 0;
    ui_text(&a->dl, APP_MARGIN, y + (96 - ui_line_h(app_sz(a, 44))) / 2, w - BAND_RIGHT,
            trf(a, buf, sizeof buf, "proj.title", kv), app_sz(a, 44), 1, t->text, AL_LEFT, 1);
    app_button(a, (ui_rect_t){a->w - APP_MARGIN - 720, y, 300, 96}, tr(a, "btn.back"), NULL,
               ACT_BACK, BTN_SECONDARY, 1);
    app_button(a, (ui_rect_t){a->w - APP_MARGIN - 400, y, 400, 96}, tr(a, "proj.review"), NULL,
               ACT_REVIEW, BTN_PRIMARY, 1);
    y += 96 + 12;
    {
        char left[256], count[256];
        int ms = app_sz(a, 32), ty = y + (METER_H - ui_line_h(ms)) / 2;
        projects_meter(a, left, count, sizeof left);
        dl_rrect(&a->dl, (ui_rect_t){APP_MARGIN, y, w, METER_H}, 12, t->surface);
        ui_text(&a->dl, APP_MARGIN + 24, ty, w / 2 - 24, left, ms, 1, t->text, AL_LEFT, 1);
        ui_text(&a->dl, APP_MARGIN + w / 2, ty, w / 2 - 24, count, ms, 1, t->text, AL_RIGHT, 1);
    }
    y = y_cards - NOTICE_H - 12;
    if (projects_notice(a, buf, sizeof buf) != NULL)
        app_notice(a, APP_MARGIN, y, w, buf);
    else
        ui_text(&a->dl, APP_MARGIN, y + (NOTICE_H - ui_text_h(&a->dl, tr(a, "proj.hint"),
                                                                 app_sz(a, 30), 0, w, 2)) / 2,
                w, tr(a, "proj.hint"), app_sz(a, 30), 0, t->muted, AL_LEFT, 2);

    for (i = a->s.page * per; i < n && i < (a->s.page + 1) * per; i++)
        draw_card(a, (ui_rect_t){APP_MARGIN, y_cards + (i - a->s.page * per) * (CARD_H + CARD_GAP),
                                 w, CARD_H},
                  list[i]);
    if (pager) {
        int py = a->h - 24 - 96;
        snprintf(p1, sizeof p1, "%d", a->s.page + 1);
        snprintf(p2, sizeof p2, "%d", pages);
        app_button(a, (ui_rect_t){APP_MARGIN, py, 420, 96}, tr(a, "proj.prev"), NULL,
                   ACT_PAGE_PREV, BTN_SECONDARY, a->s.page > 0);
        ui_text(&a->dl, APP_MARGIN + 440, py + 28, w - 880, trf(a, buf, sizeof buf, "proj.page",
                                                                 kv),
                app_sz(a, 32), 0, t->text, AL_CENTER, 1);
        app_button(a, (ui_rect_t){a->w - APP_MARGIN - 420, py, 420, 96}, tr(a, "proj.next"),
                   NULL, ACT_PAGE_NEXT, BTN_SECONDARY, a->s.page < pages - 1);
    }
}

void scr_projects_act(app_t *a, int act)
{
    if (act >= ACT_TOGGLE && act < ACT_TOGGLE + a->pkg->n_projects) {
        projects_toggle(a, act - ACT_TOGGLE);
        return;
    }
    if (act >= ACT_OPEN && act < ACT_OPEN + a->pkg->n_projects) {
        a->s.detail = act - ACT_OPEN;
        a->s.notice = NOTICE_NONE;
        app_go(a, SCR_DETAIL);
        return;
    }
    switch (act) {
    case ACT_PAGE_PREV:
        a->s.page--;
        a->focus = -1;
        break;
    case ACT_PAGE_NEXT:
        a->s.page++;
        a->focus = -1;
        break;
    case ACT_REVIEW:
        a->s.notice = NOTICE_NONE;
        app_go(a, SCR_REVIEW);
        break;
    case ACT_BACK:
        a->s.notice = NOTICE_NONE;
        app_go(a, SCR_IDENTITY);
        break;
    }
}
