/* app_input.c - the kiosk's keys: keyboard focus in reading order, and
 * two-switch scanning (row then key on the on-screen keyboard). */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "bn_err.h"
#include "screens/screens.h"

static const struct {
    const char *name;
    app_key_t key;
} key_names[] = {
    {"Tab", KEY_TAB},       {"Shift+Tab", KEY_SHIFT_TAB}, {"Enter", KEY_ENTER},
    {"Return", KEY_ENTER},  {"Escape", KEY_ESCAPE},       {"Left", KEY_LEFT},
    {"Right", KEY_RIGHT},   {"Up", KEY_UP},               {"Down", KEY_DOWN},
    {"Space", KEY_SPACE},   {"Backspace", KEY_BACKSPACE}, {"F1", KEY_F1},
    {"F2", KEY_F2},         {"F3", KEY_F3},               {"F4", KEY_F4},
    {"F5", KEY_F5},         {"F6", KEY_F6},               {"F7", KEY_F7},
    {"F8", KEY_F8},         {"F9", KEY_F9},               {"F10", KEY_F10},
    {"F11", KEY_F11},       {"F12", KEY_F12},             {"Ctrl+Alt+A", KEY_AGENT},
    {"KP0", KEY_KP0},       {"KP1", KEY_KP1},             {"KP2", KEY_KP2},
    {"KP3", KEY_KP3},       {"KP4", KEY_KP4},             {"KP5", KEY_KP5},
    {"KP6", KEY_KP6},       {"KP7", KEY_KP7},             {"KP8", KEY_KP8},
    {"KP9", KEY_KP9},       {"KP.", KEY_KP_PERIOD},       {"KP+", KEY_KP_PLUS},
    {"KP-", KEY_KP_MINUS},  {"KP*", KEY_KP_STAR},         {"KP/", KEY_KP_SLASH},
    {"KPEnter", KEY_KP_ENTER},
};

app_key_t app_key_named(const char *name)
{
    size_t i;

    for (i = 0; i < sizeof key_names / sizeof key_names[0]; i++)
        if (strcmp(name, key_names[i].name) == 0)
            return key_names[i].key;
    return (app_key_t)0;
}

int app_set_switch_keys(app_t *a, const char *spec, char *why, size_t whylen)
{
    char one[32], two[32];
    const char *comma = strchr(spec, ',');
    app_key_t k1, k2;

    if (comma == NULL || (size_t)(comma - spec) >= sizeof one || strlen(comma + 1) >= sizeof two)
        return bn_fail(why, whylen, BN_EINVAL, "switch keys '%.40s': expected NEXT,SELECT", spec);
    memcpy(one, spec, (size_t)(comma - spec));
    one[comma - spec] = '\0';
    snprintf(two, sizeof two, "%s", comma + 1);
    k1 = app_key_named(one);
    k2 = app_key_named(two);
    if (k1 == 0 || k2 == 0)
        return bn_fail(why, whylen, BN_EINVAL, "switch keys: unknown key '%s'",
                       k1 == 0 ? one : two);
    if (k1 == k2 || k1 == KEY_TAB || k2 == KEY_TAB || k1 == KEY_SHIFT_TAB ||
        k2 == KEY_SHIFT_TAB || k1 == KEY_ESCAPE || k2 == KEY_ESCAPE)
        return bn_fail(why, whylen, BN_EINVAL,
                       "switch keys '%s,%s': two different keys other than Tab, Shift+Tab, Escape",
                       one, two);
    a->sw_next = k1;
    a->sw_select = k2;
    return 0;
}

static int scan_order(const app_t *a, int *order);

int app_focus_order(const app_t *a, int *order)
{
    return a->audio ? scan_order(a, order) : dl_reading_order(&a->dl, order);
}

/* Keyboard focus: the next or previous control in reading order (in audio
 * mode, the top bar last), wrapping. */
static void move_focus(app_t *a, int dir)
{
    int order[512], n = app_focus_order(a, order), k, at = -1;

    a->focus_group = 0;
    a->scan_group = 0;
    if (n == 0)
        return;
    for (k = 0; k < n; k++)
        if (order[k] == a->focus)
            at = k;
    if (at < 0)
        at = dir > 0 ? 0 : n - 1;
    else
        at = (at + dir + n) % n;
    a->focus = order[at];
    a->dirty = 1;
}

/* Two-switch scanning. "Next" moves the focus to the next item in reading
 * order, wrapping; an item is a control, or a whole row of keys (a group).
 * "Select" activates the control, or enters the row: "next" then goes
 * through its keys, and back to the rows after the last one; selecting a
 * key types it and puts the focus back on the first row (row-column
 * scanning). With nothing focused, either switch starts at the first item. */
/* The scanning order: reading order, with the top bar (the display options
 * and the languages) moved to the end of the cycle, so that the screen's own
 * items come first after every step. */
/* A name being typed: "Suivant" comes first in the cycle, and a key typed
 * puts the focus on it (done? select; else next, to the keys). */
static int name_typed(const app_t *a)
{
    return a->scr == SCR_IDENTITY && !a->display_open &&
           (a->s.step == ID_LAST || a->s.step == ID_FIRST) && a->s.field[a->s.step][0] != '\0';
}

/* An idea's text step (what goes on: "Suivant", or "Passer" for an empty
 * optional step, comes first, as for a name) or its review ("Envoyer mon
 * idée" first: the parts' "Modifier" come after it); a questionnaire's text
 * question and its review likewise. */
static int idea_head(const app_t *a, int act)
{
    if (a->scr == SCR_QUESTION && !a->display_open)
        return a->s.q == APP_QREVIEW ? act == ACT_QSEND : quest_typing(a) && act == ACT_NEXT;
    if (a->scr != SCR_IDEA || a->display_open)
        return 0;
    if (a->s.idea_step == IS_REVIEW)
        return act == ACT_IDEA_SEND;
    return idea_typing(a) && (act == ACT_NEXT || act == ACT_IDEA_SKIP);
}

static int scan_order(const app_t *a, int *order)
{
    int n = dl_reading_order(&a->dl, order), k, m = 0, head = -1, tail[512], t = 0, bar[8], nb = 0;

    for (k = 0; k < n; k++) {
        int act = a->dl.ctls[order[k]].action;
        int top = !a->display_open && (act == ACT_DISPLAY || (act >= ACT_LANG && act < ACT_LANG + a->n_langs));
        if (top)
            tail[t++] = order[k];
        else if ((act == ACT_NEXT && name_typed(a)) || idea_head(a, act))
            head = order[k];
        else if (act == ACT_REVIEW && a->scr == SCR_PROJECTS && !a->display_open &&
                 a->s.switching && a->s.nsel > 0)
            head = order[k]; /* a project chosen: "Voir mon choix" first */
        else if (a->scr == SCR_PROJECTS && !a->display_open && nb < 8 &&
                 (act == ACT_BACK || act == ACT_REVIEW))
            bar[nb++] = order[k]; /* after the cards: what comes once they are chosen */
        else
            order[m++] = order[k];
    }
    if (head >= 0) {
        memmove(order + 1, order, (size_t)m * sizeof(int));
        order[0] = head;
        m++;
    }
    for (k = nb - 1; k >= 0; k--) /* "Voir mon choix" before "Retour" */
        order[m++] = bar[k];
    memcpy(order + m, tail, (size_t)t * sizeof(int));
    return n;
}

/* The first control whose action is in [lo, hi), or -1. */
static int ctl_in(const app_t *a, int lo, int hi)
{
    int i;

    for (i = 0; i < a->dl.nctl; i++)
        if (a->dl.ctls[i].enabled && a->dl.ctls[i].action >= lo && a->dl.ctls[i].action < hi)
            return i;
    return -1;
}

static int group_first(const app_t *a, const int *order, int n, int g)
{
    int k;

    for (k = 0; k < n; k++)
        if (a->dl.ctls[order[k]].group == g)
            return order[k];
    return -1;
}

void app_scan_home(app_t *a)
{
    int order[512], n = scan_order(a, order);

    if (n == 0)
        return;
    a->focus = order[0];
    a->focus_group = a->dl.ctls[order[0]].group;
    a->scan_group = 0;
    a->dirty = 1;
}

static void scan_next(app_t *a)
{
    int order[512], n = scan_order(a, order), k, at = -1, g, step;

    a->dirty = 1;
    if (n == 0)
        return;
    for (k = 0; k < n; k++)
        if (order[k] == a->focus)
            at = k;
    if (a->scan_group > 0 && at >= 0) {
        /* within a row: the next key, or back to the row after the last */
        for (k = at + 1; k < n; k++)
            if (a->dl.ctls[order[k]].group == a->scan_group) {
                a->focus = order[k];
                return;
            }
        a->focus_group = a->scan_group;
        a->focus = group_first(a, order, n, a->scan_group);
        a->scan_group = 0;
        return;
    }
    a->scan_group = 0;
    g = a->focus_group;
    for (step = 1; step <= n; step++) {
        int i = order[(at < 0 ? step - 1 : at + step) % n];
        int gi = a->dl.ctls[i].group;
        if (gi > 0 && (gi == g || group_first(a, order, n, gi) != i))
            continue; /* inside the row that had the focus, or not its first key */
        a->focus = i;
        a->focus_group = gi;
        return;
    }
}

static void scan_select(app_t *a)
{
    int order[512], n, g, act;

    if (a->focus < 0 || a->focus >= a->dl.nctl || !a->dl.ctls[a->focus].enabled) {
        a->focus = -1;
        a->focus_group = 0;
        a->scan_group = 0;
        scan_next(a);
        return;
    }
    if (a->focus_group > 0) {
        a->scan_group = a->focus_group; /* enter the row */
        a->focus_group = 0;
        a->dirty = 1;
        return;
    }
    g = a->scan_group;
    act = a->dl.ctls[a->focus].action;
    app_action(a, act);
    if (a->scr == SCR_PROJECTS && act >= ACT_TOGGLE && act < ACT_TOGGLE + a->pkg->n_projects &&
        a->s.nsel > 0 && a->s.notice == NOTICE_NONE) {
        /* a project chosen: "Voir mon choix" (first in the cycle) has the focus */
        app_draw(a);
        a->scan_group = a->focus_group = 0;
        a->focus = ctl_in(a, ACT_REVIEW, ACT_REVIEW + 1);
        a->dirty = 1;
        return;
    }
    if (a->scr == SCR_QUESTION && act >= ACT_QOPT && act < ACT_QOPT + 100 && a->s.q >= 0 &&
        a->s.q < a->pkg->questionnaire.n && a->s.qset[a->s.q] &&
        (a->pkg->questionnaire.q[a->s.q].type == PKG_Q_ONE ||
         a->pkg->questionnaire.q[a->s.q].type == PKG_Q_SCALE ||
         a->pkg->questionnaire.q[a->s.q].type == PKG_Q_YESNO)) {
        /* one answer given where one is the answer: "Suivant" comes next */
        app_draw(a);
        a->scan_group = a->focus_group = 0;
        a->focus = ctl_in(a, ACT_NEXT, ACT_NEXT + 1);
        a->dirty = 1;
        return;
    }
    if (a->scr == SCR_IDENTITY && act >= ACT_SUGGEST && act < ACT_SUGGEST + a->pkg->n_communes) {
        /* a commune chosen: "Continuer" is what comes next */
        app_draw(a);
        a->scan_group = a->focus_group = 0;
        a->focus = ctl_in(a, ACT_NEXT, ACT_NEXT + 1);
        a->dirty = 1;
    } else if (g > 0 && ((a->scr == SCR_IDEA && idea_typing(a)) ||
                         (a->scr == SCR_QUESTION && quest_typing(a)))) {
        /* a key typed into an idea: "Suivant" (done? select; else next,
         * to the rows) */
        app_draw(a);
        a->scan_group = 0;
        a->focus_group = 0;
        a->focus = ctl_in(a, ACT_NEXT, ACT_NEXT + 1);
        if (a->focus < 0)
            a->focus = ctl_in(a, ACT_IDEA_SKIP, ACT_IDEA_SKIP + 1);
        a->dirty = 1;
    } else if (g > 0 && a->scr == SCR_IDENTITY && a->focus >= 0) {
        /* a key was typed: to a commune suggested, to "Suivant" once the
         * date is whole, else back to the rows, from the first one */
        int k, sug;
        app_draw(a);
        n = scan_order(a, order);
        a->scan_group = 0;
        a->focus = -1;
        a->focus_group = 0;
        sug = a->s.step == ID_COMMUNE ? ctl_in(a, ACT_SUGGEST, ACT_SUGGEST + a->pkg->n_communes) : -1;
        if (sug >= 0)
            a->focus = sug;
        else if (name_typed(a))
            a->focus = ctl_in(a, ACT_NEXT, ACT_NEXT + 1);
        else if (a->s.step == ID_BIRTH && strlen(a->s.field[ID_BIRTH]) == 8)
            a->focus = ctl_in(a, ACT_NEXT, ACT_NEXT + 1);
        else
            for (k = 0; k < n; k++)
                if (a->dl.ctls[order[k]].group > 0) {
                    a->focus = order[k];
                    a->focus_group = a->dl.ctls[order[k]].group;
                    break;
                }
        a->dirty = 1;
    }
}

void app_key(app_t *a, app_key_t k)
{
    int i;

    app_draw(a);
    app__touched(a);
    if (k != KEY_ESCAPE && a->s.esc_armed) {
        a->s.esc_armed = 0; /* anything else: the notice goes */
        if (a->s.field_err != NULL && strcmp(a->s.field_err, "id.err.escape") == 0)
            a->s.field_err = NULL;
        a->dirty = 1;
    }
    if (k == KEY_AGENT) {
        agent_enter(a);
        return;
    }
    if (k == a->sw_next || k == a->sw_select)
        a->s.switching = 1;
    if (k == a->sw_next) {
        a->switch_presses++;
        scan_next(a);
        return;
    }
    if (k == a->sw_select) {
        a->switch_presses++;
        scan_select(a);
        return;
    }
    if (app_speak_key(a, &k))
        return;
    switch (k) {
    case KEY_TAB:
    case KEY_DOWN:
    case KEY_RIGHT:
        move_focus(a, 1);
        break;
    case KEY_SHIFT_TAB:
    case KEY_UP:
    case KEY_LEFT:
        move_focus(a, -1);
        break;
    case KEY_SPACE:
        if (a->focus < 0 && a->scr == SCR_IDENTITY) {
            scr_identity_char(a, " ");
            a->dirty = 1;
            break;
        }
        if (a->focus < 0 && a->scr == SCR_IDEA && idea_typing(a)) {
            scr_idea_char(a, " ");
            a->dirty = 1;
            break;
        }
        if (a->focus < 0 && a->scr == SCR_QUESTION && quest_typing(a)) {
            scr_question_char(a, " ");
            a->dirty = 1;
            break;
        }
        /* fall through */
    case KEY_ENTER:
        /* the description takes line feeds, as a text box does (Tab
         * reaches "Suivant") */
        if (k == KEY_ENTER && a->focus < 0 && a->scr == SCR_IDEA && a->s.idea_step == IS_TEXT) {
            scr_idea_char(a, "\n");
            a->dirty = 1;
            break;
        }
        if (a->focus >= 0 && a->focus < a->dl.nctl && a->dl.ctls[a->focus].enabled) {
            app_action(a, a->dl.ctls[a->focus].action);
            break;
        }
        for (i = 0; i < a->dl.nctl; i++)
            if (a->dl.ctls[i].primary && a->dl.ctls[i].enabled) {
                app_action(a, a->dl.ctls[i].action);
                break;
            }
        break;
    case KEY_ESCAPE:
        /* at the first step, going back leaves and erases what was typed:
         * a second Escape, after a notice, and never by a stray one */
        if (a->scr == SCR_IDENTITY && a->s.step == 0 && !a->s.esc_armed) {
            int typed = 0, f;
            for (f = 0; f < ID__COUNT; f++)
                typed |= a->s.field[f][0] != '\0';
            if (typed) {
                a->s.esc_armed = 1;
                a->s.field_err = "id.err.escape";
                a->dirty = 1;
                break;
            }
        }
        app_action(a, ACT_BACK);
        break;
    case KEY_BACKSPACE:
        app_action(a, ACT_BACKSPACE);
        break;
    default:
        break;
    }
}

