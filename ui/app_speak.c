/* app_speak.c - audio mode: what the kiosk says, when, and the curtain.
 *
 * A person who cannot read the screen presses one key (F11, or "+" on the
 * keypad) and the kiosk speaks: each screen's title and instructions when it
 * opens, the focused control when the focus moves (its name, its state, its
 * place "3 sur 12"), each character typed, the communes found, every
 * choice with the money left, every refusal with its reason, the review,
 * the tracking code character by character. It is done by difference:
 * after each frame, app_speak_frame compares what the screen now holds with
 * what was last spoken of (app_t.spk) and says only what changed. The texts
 * come from the catalogs (keys "say.*", or the screen's own texts read in
 * order), in the person's language, normalised for a voice (money in words,
 * no symbols).
 *
 * Audio mode keeps the vote secret from the room:
 *   AUDIO-A1  while audio mode is on, the screen shows only the curtain
 *             ("Mode audio", or black): no text, control or focus ring of
 *             the session is drawn (app_speak_frame, the last step of
 *             app_draw), and taps do nothing (app_speak_tap).
 *   AUDIO-A2  nothing is spoken unless the person turned audio mode on, and
 *             it goes to the voice only (the headphone output, ui/speech.c);
 *             audio mode ends with the session.
 *   AUDIO-A3  what is said is written to a file only with --speech-log, which
 *             the kiosk accepts in headless test runs only (ui/main.c).
 *   AUDIO-A4  what was said (app_t.said, app_t.spk, the voice's queue) is
 *             wiped with the session (app_speak_forget, DESIGN-S3). */
#include <stdio.h>
#include <string.h>

#include <mbedtls/platform_util.h>

#include "app.h"
#include "bn_err.h"
#include "screens/screens.h"

#define SAY_MAX 4096

/* --- a text being built ------------------------------------------------------ */

typedef struct sb_s {
    char *p;
    size_t cap, len;
} sb_t;

/* Appends s, after a full stop when the text so far does not end a
 * sentence (a heading), so that the voice pauses between them. */
static void sb_add(sb_t *b, const char *s)
{
    size_t n;

    if (s == NULL || s[0] == '\0')
        return;
    if (b->len > 0) {
        char last = b->p[b->len - 1];
        const char *sep = (last == '.' || last == '!' || last == '?' || last == ':' ||
                           last == ';' || last == ',')
                              ? " "
                              : ". ";
        n = strlen(sep);
        if (b->len + n < b->cap) {
            memcpy(b->p + b->len, sep, n + 1);
            b->len += n;
        }
    }
    n = strlen(s);
    if (b->len + n >= b->cap)
        n = b->cap - b->len - 1;
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

/* Appends s with no separator. */
static void sb_cat(sb_t *b, const char *s)
{
    size_t n = strlen(s);

    if (b->len + n >= b->cap)
        n = b->cap - b->len - 1;
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

/* The catalog's text of key in the current language, or NULL (no miss
 * counted: optional spoken variants). */
static const char *opt(const app_t *a, const char *key)
{
    return i18n_get(a->cat[a->lang], key);
}

/* --- the spoken form of a text ---------------------------------------------------- */

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* A space-like separator at s (" ", U+00A0, U+202F): its length, or 0. */
static size_t space_at(const char *s)
{
    if (s[0] == ' ')
        return 1;
    if ((unsigned char)s[0] == 0xc2 && (unsigned char)s[1] == 0xa0)
        return 2;
    if ((unsigned char)s[0] == 0xe2 && (unsigned char)s[1] == 0x80 && (unsigned char)s[2] == 0xaf)
        return 3;
    return 0;
}

/* Month m (1..12) from the catalog's "say.months" (twelve names, comma
 * separated); BN_ENOTFOUND without it. */
static int month_name(const app_t *a, int m, char *out, size_t cap)
{
    const char *p = opt(a, "say.months"), *e;
    int i;

    for (i = 1; p != NULL && i < m; i++)
        p = (p = strchr(p, ',')) != NULL ? p + 1 : NULL;
    if (p == NULL)
        return BN_ENOTFOUND;
    while (*p == ' ')
        p++;
    e = strchr(p, ',');
    snprintf(out, cap, "%.*s", (int)(e != NULL ? (size_t)(e - p) : strlen(p)), p);
    return 0;
}

/* "12 500 €" -> "12500 euros" (the voice reads a number whole, not its
 * groups), "31/12/2028" -> "31 décembre 2028", and the symbols a voice
 * would spell dropped (✓ « »). */
static void normalise(const app_t *a, const char *in, char *out, size_t cap)
{
    const char *euros = opt(a, "say.euros");
    size_t o = 0, n;

    if (euros == NULL)
        euros = "euros";
    while (*in != '\0' && o + 1 < cap) {
        n = space_at(in);
        if (n > 0) {
            /* a digit group's separator: dropped when 3 digits follow */
            if (o > 0 && is_digit(out[o - 1]) && is_digit(in[n]) && is_digit(in[n + 1]) &&
                is_digit(in[n + 2]) && !is_digit(in[n + 3])) {
                in += n;
                continue;
            }
            if (o > 0 && out[o - 1] != ' ')
                out[o++] = ' ';
            in += n;
            continue;
        }
        if (is_digit(in[0]) && is_digit(in[1]) && in[2] == '/' && is_digit(in[3]) &&
            is_digit(in[4]) && in[5] == '/' && is_digit(in[6]) && is_digit(in[7]) &&
            is_digit(in[8]) && is_digit(in[9]) && !is_digit(in[10]) &&
            (o == 0 || !is_digit(out[o - 1]))) {
            /* 31/12/2028 -> 31 décembre 2028 (the months from the catalog) */
            int d = (in[0] - '0') * 10 + in[1] - '0', m = (in[3] - '0') * 10 + in[4] - '0';
            char month[32];
            if (m >= 1 && m <= 12 && month_name(a, m, month, sizeof month) == 0) {
                int k = snprintf(out + o, cap - o, "%d %s %.4s", d, month, in + 6);
                if (k > 0 && (size_t)k < cap - o) {
                    o += (size_t)k;
                    in += 10;
                    continue;
                }
            }
        }
        if (strncmp(in, "\xe2\x82\xac", 3) == 0) { /* € */
            size_t k = strlen(euros);
            if (o > 0 && out[o - 1] != ' ' && o + 1 < cap)
                out[o++] = ' ';
            if (o + k < cap) {
                memcpy(out + o, euros, k);
                o += k;
            }
            in += 3;
            continue;
        }
        if (strncmp(in, "\xe2\x9c\x93", 3) == 0) { /* ✓ */
            in += 3;
            while (*in == ' ')
                in++;
            continue;
        }
        if (strncmp(in, "\xc2\xab", 2) == 0 || strncmp(in, "\xc2\xbb", 2) == 0) { /* « » */
            in += 2;
            continue;
        }
        out[o++] = *in++;
    }
    while (o > 0 && out[o - 1] == ' ')
        o--;
    out[o] = '\0';
}

static void say_in(app_t *a, int lang, const char *text, int flush)
{
    char buf[SAY_MAX];
    const char *code = a->lang_code[lang];

    if (text == NULL)
        return;
    {
        int keep = a->lang;
        a->lang = lang; /* the spoken forms of that language */
        normalise(a, text, buf, sizeof buf);
        a->lang = keep;
    }
    if (buf[0] == '\0')
        return;
    if (a->speech_log != NULL) { /* AUDIO-A3: headless test runs only */
        fprintf((FILE *)a->speech_log, "%s\t%s\n", code, buf);
        fflush((FILE *)a->speech_log);
    }
    {
        size_t n = strlen(buf);
        if (a->said_len + n + 2 < sizeof a->said) {
            memcpy(a->said + a->said_len, buf, n);
            a->said_len += n;
            a->said[a->said_len++] = '\n';
            a->said[a->said_len] = '\0';
        }
    }
    if (a->voice.say != NULL) /* AUDIO-A2: the voice, to the headphones */
        a->voice.say(a->voice.ctx, buf, code, flush);
    mbedtls_platform_zeroize(buf, sizeof buf);
}

void app_say(app_t *a, const char *text, int flush)
{
    say_in(a, a->lang, text, flush);
}

/* --- what a screen says when it opens ------------------------------------------------ */

/* 1 if s is the label of a control (read when focused, not with the screen). */
static int is_label(const app_t *a, const char *s)
{
    int i;

    for (i = 0; i < a->dl.nctl; i++)
        if (a->dl.ctls[i].label != NULL && strcmp(a->dl.ctls[i].label, s) == 0)
            return 1;
    return 0;
}

/* The screen's own texts in drawing order, without the top bar, the
 * controls' labels and the texts in skip[] (words for the eyes only). */
static void read_screen(app_t *a, sb_t *b, const char *const *skip)
{
    int i, k;

    for (i = a->top_ntext; i < a->dl.ntext; i++) {
        const char *t = a->dl.texts[i];
        int drop = is_label(a, t) || strcmp(t, "!") == 0;
        for (k = 0; skip != NULL && skip[k] != NULL && !drop; k++)
            drop = strcmp(t, skip[k]) == 0;
        if (!drop)
            sb_add(b, t);
    }
}

static void say_keys_hint(app_t *a, sb_t *b)
{
    /* the switches already pressed: their words, not the keyboard's */
    sb_add(b, tr(a, a->switch_presses > 0 ? "say.keys.switch" : "say.keys"));
}

static int n_of(const app_t *a, int lo, int hi)
{
    int i, n = 0;

    for (i = 0; i < a->dl.nctl; i++)
        if (a->dl.ctls[i].enabled && a->dl.ctls[i].action >= lo && a->dl.ctls[i].action < hi)
            n++;
    return n;
}

/* The communes proposed on the commune step, "Rennes, Saint-Malo". */
static int suggestions(const app_t *a, char *out, size_t cap)
{
    int i, n = 0;
    size_t o = 0;

    out[0] = '\0';
    if (a->pkg == NULL)
        return 0;
    for (i = 0; i < a->dl.nctl; i++) {
        int act = a->dl.ctls[i].action;
        if (act >= ACT_SUGGEST && act < ACT_SUGGEST + a->pkg->n_communes) {
            o += (size_t)snprintf(out + o, o < cap ? cap - o : 0, "%s%s", n > 0 ? ", " : "",
                                  a->pkg->communes[act - ACT_SUGGEST].name);
            n++;
        }
    }
    if (o >= cap && cap > 0)
        out[cap - 1] = '\0';
    return n;
}

static void intro_identity(app_t *a, sb_t *b)
{
    static const char *const step_key[ID__COUNT] = {"last", "first", "birth", "commune"};
    char buf[512], key[48], n[16], total[16];
    const char *kv[] = {"n", n, "total", total, NULL};
    const char *f = a->s.field[a->s.step];

    snprintf(n, sizeof n, "%d", a->s.step + 1);
    snprintf(total, sizeof total, "%d", ID__COUNT);
    sb_add(b, trf(a, buf, sizeof buf, "id.step", kv));
    snprintf(key, sizeof key, "id.q.%s", step_key[a->s.step]);
    sb_add(b, tr(a, key));
    snprintf(key, sizeof key, "say.id.%s", step_key[a->s.step]);
    sb_add(b, tr(a, key));
    if (f[0] != '\0') {
        char spaced[3 * APP_NAME_MAX];
        const char *kv2[] = {"text", f, NULL};
        if (a->s.step == ID_BIRTH) { /* digits one by one, not "twelve million" */
            size_t i, o = 0;
            for (i = 0; f[i] != '\0' && o + 3 < sizeof spaced; i++) {
                spaced[o++] = f[i];
                spaced[o++] = ' ';
            }
            spaced[o > 0 ? o - 1 : 0] = '\0';
            kv2[1] = spaced;
        }
        sb_add(b, trf(a, buf, sizeof buf, "say.typed", kv2));
    }
    if (a->s.field_err != NULL)
        sb_add(b, tr(a, a->s.field_err));
}

/* An idea's field on its step ("" on the theme and review steps). */
static const char *idea_field(const app_t *a)
{
    switch (a->s.idea_step) {
    case IS_TITLE: return a->s.idea_title;
    case IS_TEXT: return a->s.idea_text;
    case IS_PLACE: return a->s.idea_place;
    case IS_CONTACT: return a->s.idea_contact;
    }
    return "";
}

/* An idea's step: where it is, the question, what to do, what is typed
 * already; the review as it reads (the parts in order). */
static void intro_idea(app_t *a, sb_t *b)
{
    static const char *const step_key[IS__COUNT] = {"theme", "title", "text", "place", "contact",
                                                    "review"};
    char buf[1200], key[48];
    const char *f = idea_field(a);

    if (a->s.idea_step == IS_REVIEW) {
        read_screen(a, b, NULL);
        sb_add(b, tr(a, "say.idea.review"));
        return;
    }
    read_screen(a, b, NULL); /* the step, the question, the hint, the field, the count */
    snprintf(key, sizeof key, "say.idea.%s", step_key[a->s.idea_step]);
    sb_add(b, tr(a, key));
    if (f[0] != '\0') {
        const char *kv[] = {"text", f, NULL};
        sb_add(b, trf(a, buf, sizeof buf, "say.typed", kv));
    }
}

/* A question: the step, the question, its ends or count as on screen, then
 * how with keys instead of the touch hint; a text already typed. */
static void intro_question(app_t *a, sb_t *b)
{
    static const char *const type_key[] = {"one", "many", "rank", "scale", "yesno", "text"};
    char buf[1200], hint[600], key[48], mn[16], mx[16], from[16], to[16];
    const char *skip[2] = {NULL, NULL};
    const pkg_question_t *q;

    if (a->s.q < 0 || a->s.q >= a->pkg->questionnaire.n) { /* the review, its title first
                                                            * (not always on screen) */
        skip[0] = tr(a, "quest.review");
        sb_add(b, skip[0]);
        read_screen(a, b, skip);
        sb_add(b, tr(a, "say.q.review"));
        return;
    }
    q = &a->pkg->questionnaire.q[a->s.q];
    skip[0] = quest_hint(a, hint, sizeof hint);
    read_screen(a, b, skip);
    snprintf(mn, sizeof mn, "%d", q->min);
    snprintf(mx, sizeof mx, "%d", q->max);
    snprintf(from, sizeof from, "%d", q->from);
    snprintf(to, sizeof to, "%d", q->to);
    {
        const char *kv[] = {"min", mn, "max", mx, "from", from, "to", to, NULL};
        snprintf(key, sizeof key, "say.q.%s", type_key[q->type < 6 ? q->type : 5]);
        sb_add(b, trf(a, buf, sizeof buf, key, kv));
    }
}

/* A questionnaire's option (or number, yes, no) as the focus finds it. */
static void say_qopt(app_t *a, sb_t *b, const ui_ctl_t *c, int v)
{
    const pkg_question_t *q = &a->pkg->questionnaire.q[a->s.q];
    int st = quest_option_state(a, v), single = q->type == PKG_Q_ONE ||
                                                q->type == PKG_Q_SCALE || q->type == PKG_Q_YESNO;
    char buf[600], r[16];
    const char *kv[] = {"option", c->name != NULL ? c->name : c->label, "n", r, NULL};

    snprintf(r, sizeof r, "%d", st);
    sb_add(b, trf(a, buf, sizeof buf, q->type == PKG_Q_RANK ? (st ? "say.qopt.rank" : "say.qopt.rank.off")
                                      : st ? (single ? "say.qopt.one" : "say.qopt.on")
                                           : "say.qopt.off", kv));
}

static void intro_projects(app_t *a, sb_t *b)
{
    char buf[512], left[256], count[256], n[16], max[16], env[48], page[16], pages[16];
    char points[16], per[16];
    const char *kv[] = {"n", n, "max", max, "envelope", env, "page", page, "pages", pages,
                        "points", points, "per", per, NULL};
    const char *kind = a->pkg->rule.ballot == PKG_BALLOT_CUMULATIVE ? ".cumulative"
                       : a->pkg->rule.ballot == PKG_BALLOT_ORDINAL  ? ".ordinal"
                                                                    : "";
    char key[48];
    const char *kvt[] = {"territory", "", NULL};
    int i, np = 0;

    for (i = 0; i < a->pkg->n_projects; i++)
        np += a->pkg->projects[i].territory == a->s.territory;
    snprintf(n, sizeof n, "%d", np);
    snprintf(max, sizeof max, "%d", a->pkg->rule.max);
    fmt_money(a->pkg->territories[a->s.territory].envelope, env, sizeof env);
    snprintf(page, sizeof page, "%d", a->s.page + 1);
    snprintf(pages, sizeof pages, "%d", a->pages > 0 ? a->pages : 1);
    snprintf(points, sizeof points, "%d", a->pkg->rule.points);
    snprintf(per, sizeof per, "%d", a->pkg->rule.per_project);
    kvt[1] = app_ptext(a, &a->pkg->territories[a->s.territory].name);
    sb_add(b, trf(a, buf, sizeof buf, "proj.title", kvt));
    snprintf(key, sizeof key, "say.projects%s", kind); /* approval, points, ranks */
    sb_add(b, trf(a, buf, sizeof buf, key, kv));
    projects_meter(a, left, count, sizeof left);
    sb_add(b, left);
    sb_add(b, count);
    if (a->pages > 1)
        sb_add(b, trf(a, buf, sizeof buf, "proj.page", kv));
    snprintf(key, sizeof key, "say.projects.how%s", kind);
    sb_add(b, tr(a, key));
}

/* The tracking code one character at a time ("K, 7, F, 3, tiret, ..."),
 * or with a name for each letter ("K comme Kléber"). */
static void spell(app_t *a, sb_t *b, const char *code, int names)
{
    const char *p;
    char one[160], key[24];

    for (p = code; *p != '\0'; p++) {
        if (*p == '-') {
            snprintf(one, sizeof one, "%s, ", tr(a, "say.dash"));
        } else if (names && *p >= 'A' && *p <= 'Z') {
            const char *kv[] = {"letter", "", "name", "", NULL};
            char l[2] = {*p, 0};
            snprintf(key, sizeof key, "say.alpha.%c", *p);
            kv[1] = l;
            kv[3] = tr(a, key);
            trf(a, one, sizeof one - 2, "say.alpha", kv);
            strcat(one, ", ");
        } else {
            snprintf(one, sizeof one, "%c, ", *p);
        }
        sb_cat(b, one);
    }
    if (b->len >= 2 && b->p[b->len - 2] == ',') {
        b->p[b->len - 2] = '.';
        b->p[--b->len] = '\0';
    }
}

static void intro_receipt(app_t *a, sb_t *b)
{
    sb_add(b, tr(a, a->s.signed_petition == APP_RECEIPT_ANSWERS ? "receipt.qtitle"
                    : a->s.signed_petition == APP_RECEIPT_IDEA ? "receipt.ititle"
                    : a->s.signed_petition ? "receipt.ptitle" : "receipt.title"));
    sb_add(b, tr(a, "receipt.code"));
    sb_add(b, "");
    if (b->len > 0 && b->p[b->len - 1] != ' ')
        sb_cat(b, " ");
    spell(a, b, a->s.tracking, 0);
    sb_add(b, tr(a, a->s.signed_petition == APP_RECEIPT_ANSWERS ? "receipt.qsecret"
                    : a->s.signed_petition == APP_RECEIPT_IDEA ? "receipt.isecret"
                    : a->s.signed_petition ? "receipt.psecret" : "receipt.secret"));
    sb_add(b, tr(a, "say.receipt"));
}

static void intro(app_t *a, sb_t *b)
{
    char key[64];
    const char *skip[6] = {NULL};

    if (a->display_open) {
        read_screen(a, b, NULL);
        return;
    }
    switch (a->scr) {
    case SCR_IDENTITY:
        intro_identity(a, b);
        return;
    case SCR_PROJECTS:
        intro_projects(a, b);
        return;
    case SCR_RECEIPT:
        intro_receipt(a, b);
        return;
    case SCR_IDEA:
        intro_idea(a, b);
        return;
    case SCR_QUESTION:
        intro_question(a, b);
        return;
    case SCR_WELCOME:
        /* the words for the eyes ("touch the screen") give way to keys */
        skip[0] = tr(a, "welcome.start");
        skip[1] = tr(a, "welcome.lang_hint");
        skip[2] = tr(a, "welcome.audio");
        read_screen(a, b, skip);
        if (a->n_camp > 1 || a->switch_presses == 0)
            sb_add(b, tr(a, a->n_camp > 1 ? "say.welcome.many" : "say.welcome.start"));
        say_keys_hint(a, b);
        return;
    default:
        read_screen(a, b, NULL);
        break;
    }
    snprintf(key, sizeof key, "say.hint.%s", app_screen_name(a->scr));
    sb_add(b, opt(a, key));
}

/* --- the focused control ------------------------------------------------------------- */

static void describe(app_t *a, sb_t *b)
{
    char buf[512], cost[48], pos[64], k[16], n[16];
    const ui_ctl_t *c;
    int act, order[512], no, i, at = -1;

    if (a->focus < 0 || a->focus >= a->dl.nctl)
        return;
    c = &a->dl.ctls[a->focus];
    act = c->action;
    if (a->focus_group > 0 && a->scr == SCR_PROJECTS) { /* a card, as one item */
        for (i = 0; i < a->dl.nctl; i++) {
            int ca = a->dl.ctls[i].action;
            if (a->dl.ctls[i].group == a->focus_group && ca >= ACT_TOGGLE &&
                ca < ACT_TOGGLE + a->pkg->n_projects) {
                const pkg_project_t *p = &a->pkg->projects[ca - ACT_TOGGLE];
                const char *kv[] = {"title", app_ptext(a, &p->title), "cost", cost, NULL};
                fmt_money(p->cost, cost, sizeof cost);
                sb_add(b, trf(a, buf, sizeof buf,
                              projects_chosen(a, ca - ACT_TOGGLE) ? "say.card.on" : "say.card.off",
                              kv));
            }
        }
        return;
    }
    if (a->focus_group > 0) { /* a row of the on-screen keyboard */
        size_t o = 0;
        char keys[400];
        keys[0] = '\0';
        for (i = 0; i < a->dl.nctl; i++)
            if (a->dl.ctls[i].group == a->focus_group && a->dl.ctls[i].label != NULL)
                o += (size_t)snprintf(keys + o, o < sizeof keys ? sizeof keys - o : 0, "%s%s",
                                      o > 0 ? ", " : "", a->dl.ctls[i].label);
        {
            const char *kv[] = {"keys", keys, NULL};
            sb_add(b, trf(a, buf, sizeof buf, "say.row", kv));
        }
        return;
    }
    if (act >= ACT_TOGGLE && act < ACT_TOGGLE + a->pkg->n_projects) {
        const pkg_project_t *p = &a->pkg->projects[act - ACT_TOGGLE];
        const char *kv[] = {"title", app_ptext(a, &p->title), "cost", cost, NULL};
        fmt_money(p->cost, cost, sizeof cost);
        sb_add(b, trf(a, buf, sizeof buf,
                      projects_chosen(a, act - ACT_TOGGLE) ? "say.toggle.on" : "say.toggle.off",
                      kv));
    } else if (act >= ACT_OPEN && act < ACT_OPEN + a->pkg->n_projects && a->pkg != NULL) {
        const pkg_project_t *p = &a->pkg->projects[act - ACT_OPEN];
        const char *kv[] = {"title", app_ptext(a, &p->title), "cost", cost, NULL};
        fmt_money(p->cost, cost, sizeof cost);
        sb_add(b, trf(a, buf, sizeof buf, "say.open", kv));
    } else if (a->scr == SCR_QUESTION && a->s.q >= 0 && a->s.q < a->pkg->questionnaire.n &&
               act >= ACT_QOPT && act < ACT_QEDIT) {
        say_qopt(a, b, c, act - ACT_QOPT);
    } else if (a->scr == SCR_QUESTION && act >= ACT_QEDIT &&
               act < ACT_QEDIT + a->pkg->questionnaire.n) {
        const char *kv[] = {"question", app_ptext(a, &a->pkg->questionnaire.q[act - ACT_QEDIT].text),
                            NULL};
        sb_add(b, trf(a, buf, sizeof buf, "say.qedit", kv));
    } else if (act >= ACT_LANG && act < ACT_LANG + a->n_langs) {
        sb_add(b, c->name != NULL ? c->name : c->label);
        if (act - ACT_LANG == a->lang)
            sb_add(b, tr(a, "say.current"));
    } else if (act == ACT_NO_PUBLISH) {
        sb_add(b, c->name != NULL ? c->name : c->label);
        sb_add(b, tr(a, a->s.no_publish ? "say.checked" : "say.unchecked"));
    } else {
        sb_add(b, c->name != NULL ? c->name : c->label);
        if (c->primary)
            sb_add(b, tr(a, "say.button"));
    }
    if (act >= ACT_KEY && act < ACT_OPEN)
        return; /* a key, a commune: its name is enough */
    no = app_focus_order(a, order);
    for (i = 0; i < no; i++)
        if (order[i] == a->focus)
            at = i;
    if (at >= 0) {
        const char *kv[] = {"k", k, "n", n, NULL};
        snprintf(k, sizeof k, "%d", at + 1);
        snprintf(n, sizeof n, "%d", no);
        sb_add(b, trf(a, pos, sizeof pos, "say.pos", kv));
    }
}

/* --- what changed --------------------------------------------------------------------- */

static int focus_act(const app_t *a)
{
    return a->focus >= 0 && a->focus < a->dl.nctl ? a->dl.ctls[a->focus].action : -1;
}

/* The characters added to a field (its old value a prefix), or NULL. */
static const char *added(const char *old, const char *cur)
{
    size_t n = strlen(old);

    return strlen(cur) > n && strncmp(old, cur, n) == 0 ? cur + n : NULL;
}

/* A choice made or removed: its title, then the money left and the count. */
static void say_choice(app_t *a, sb_t *b, const app_spk_t *o)
{
    char buf[512], left[256], count[256];
    int i, k, p = -1, on = 0;

    for (i = 0; i < a->s.nsel && p < 0; i++) {
        for (k = 0; k < o->nsel && o->sel[k] != a->s.sel[i]; k++)
            ;
        if (k == o->nsel) {
            p = a->s.sel[i];
            on = 1;
        }
    }
    for (i = 0; i < o->nsel && p < 0; i++) {
        for (k = 0; k < a->s.nsel && a->s.sel[k] != o->sel[i]; k++)
            ;
        if (k == a->s.nsel)
            p = o->sel[i];
    }
    if (p < 0)
        return;
    {
        const char *kv[] = {"title", app_ptext(a, &a->pkg->projects[p].title), NULL};
        sb_add(b, trf(a, buf, sizeof buf, on ? "say.chosen" : "say.removed", kv));
    }
    projects_meter(a, left, count, sizeof left);
    sb_add(b, left);
    sb_add(b, count);
}

/* A cumulative ballot: a point more or less on a project already given
 * some: its points now, then the points given in all. */
static void say_points(app_t *a, sb_t *b, const app_spk_t *o)
{
    char buf[512], left[256], count[256], n[16];
    int i;

    for (i = 0; i < a->s.nsel; i++)
        if (a->s.pts[i] != o->pts[i] && a->s.sel[i] == o->sel[i]) {
            const char *kv[] = {"title", app_ptext(a, &a->pkg->projects[a->s.sel[i]].title), "n",
                                n, NULL};
            snprintf(n, sizeof n, "%d", a->s.pts[i]);
            sb_add(b, trf(a, buf, sizeof buf, a->s.pts[i] == 1 ? "say.points.1" : "say.points",
                          kv));
            break;
        }
    projects_meter(a, left, count, sizeof left);
    sb_add(b, left);
}

static int in_question(const app_t *a)
{
    return a->scr == SCR_QUESTION && a->pkg != NULL && a->s.q >= 0 &&
           a->s.q < a->pkg->questionnaire.n;
}

static void remember(app_t *a)
{
    app_spk_t *o = &a->spk;

    o->valid = 1;
    o->scr = a->scr;
    o->step = a->scr == SCR_IDEA ? a->s.idea_step : a->scr == SCR_QUESTION ? a->s.q : a->s.step;
    o->page = a->s.page;
    o->detail_page = a->s.detail_page;
    o->display = a->display_open;
    o->warning = a->warning;
    o->lang = a->lang;
    o->msg = a->s.msg;
    o->focus_act = focus_act(a);
    o->focus_group = a->focus_group;
    o->nsel = a->s.nsel;
    memcpy(o->sel, a->s.sel, sizeof o->sel);
    memcpy(o->pts, a->s.pts, sizeof o->pts);
    o->notice_seq = a->s.notice_seq;
    o->field_err = a->s.field_err;
    memcpy(o->field, a->s.field[a->s.step], sizeof o->field);
    o->nsugg = a->scr == SCR_IDENTITY && a->pkg != NULL
                   ? n_of(a, ACT_SUGGEST, ACT_SUGGEST + a->pkg->n_communes)
                   : 0;
    o->commune = a->s.commune;
    o->no_publish = a->s.no_publish;
    snprintf(o->digits, sizeof o->digits, "%s", a->s.vcode);
    o->idea_len = a->scr == SCR_IDEA ? strlen(idea_field(a))
                  : quest_typing(a) ? strlen(a->s.qtext[a->s.q]) : 0;
    o->idea_theme = a->s.idea_theme;
    o->qset = in_question(a) ? a->s.qset[a->s.q] : 0;
    if (in_question(a))
        o->qa = a->s.qa[a->s.q];
}

static void curtain(app_t *a)
{
    const ui_theme_t *t = &a->theme;
    int w = a->w - 2 * APP_MARGIN, y;

    /* AUDIO-A1: everything drawn so far goes; the controls stay for the
     * keys, unseen */
    a->dl.n = 0;
    a->dl.ntext = 0;
    a->dl.layer = 0;
    if (a->screen_off) {
        dl_rect(&a->dl, (ui_rect_t){0, 0, a->w, a->h}, (ui_color_t){0, 0, 0, 255});
        return;
    }
    dl_rect(&a->dl, (ui_rect_t){0, 0, a->w, a->h}, t->bg);
    y = a->h / 3;
    y += ui_text(&a->dl, APP_MARGIN, y, w, tr(a, "curtain.title"), app_sz_big(a, 64), 1, t->text,
                 AL_CENTER, 0) + 32;
    y += ui_text(&a->dl, APP_MARGIN, y, w, tr(a, "curtain.body"), app_sz(a, 36), 0, t->text,
                 AL_CENTER, 0) + 24;
    ui_text(&a->dl, APP_MARGIN, y, w, tr(a, "curtain.leave"), app_sz(a, 30), 0, t->muted,
            AL_CENTER, 0);
}

void app_speak_frame(app_t *a)
{
    app_spk_t *o = &a->spk;
    char text[SAY_MAX], buf[1024];
    sb_t b = {text, sizeof text, 0};
    int changed, fa = focus_act(a);

    text[0] = '\0';
    if (!a->audio) {
        o->valid = 0;
        return;
    }
    changed = !o->valid || o->scr != (int)a->scr || o->display != a->display_open ||
              o->lang != a->lang || o->msg != a->s.msg ||
              (a->scr == SCR_IDENTITY && o->step != a->s.step) ||
              (a->scr == SCR_IDEA && o->step != a->s.idea_step) ||
              (a->scr == SCR_QUESTION && (o->step != a->s.q || o->page != a->s.page)) ||
              (a->scr == SCR_PROJECTS && o->page != a->s.page) ||
              (a->scr == SCR_DETAIL && o->detail_page != a->s.detail_page);
    if (!o->valid && o->scr == -1)
        sb_add(&b, tr(a, "say.audio.on"));
    if (changed) {
        intro(a, &b);
        describe(a, &b);
    } else {
        int focus_moved = fa != o->focus_act || a->focus_group != o->focus_group;
        if (a->warning && !o->warning) {
            char n[16];
            const char *kv[] = {"n", n, NULL};
            snprintf(n, sizeof n, "%u", a->warning_shown_s);
            sb_add(&b, tr(a, "idle.title"));
            sb_add(&b, trf(a, buf, sizeof buf, "say.idle", kv));
        }
        if (a->s.notice_seq != o->notice_seq && a->s.notice != NOTICE_NONE)
            sb_add(&b, projects_notice(a, buf, sizeof buf));
        else if (a->pkg != NULL && (a->s.nsel != o->nsel ||
                                    memcmp(a->s.sel, o->sel, sizeof o->sel) != 0))
            say_choice(a, &b, o);
        else if (a->pkg != NULL && memcmp(a->s.pts, o->pts, sizeof o->pts) != 0)
            say_points(a, &b, o);
        if (a->scr == SCR_IDENTITY) {
            const char *f = a->s.field[a->s.step], *more = added(o->field, f);
            int ns = a->pkg != NULL ? n_of(a, ACT_SUGGEST, ACT_SUGGEST + a->pkg->n_communes) : 0;
            if (a->s.commune != o->commune && a->s.commune >= 0) {
                const char *kv[] = {"commune", a->pkg->communes[a->s.commune].name, NULL};
                sb_add(&b, trf(a, buf, sizeof buf, "say.commune.chosen", kv));
            } else if (more != NULL) {
                sb_add(&b, strcmp(more, " ") == 0 ? tr(a, "say.space") : more);
            } else if (strcmp(o->field, f) != 0 && added(f, o->field) != NULL) {
                sb_add(&b, tr(a, "say.erased"));
            }
            if (a->s.step == ID_COMMUNE && a->s.commune < 0 && strcmp(o->field, f) != 0) {
                char list[600];
                if (suggestions(a, list, sizeof list) > 0) {
                    const char *kv[] = {"list", list, NULL};
                    sb_add(&b, trf(a, buf, sizeof buf, "say.suggest", kv));
                } else if (f[0] != '\0' && ns == 0) {
                    sb_add(&b, tr(a, "id.commune.none"));
                }
            }
        }
        if (a->scr == SCR_IDEA && a->s.idea_step != IS_THEME && a->s.idea_step != IS_REVIEW) {
            /* each character typed said, a line feed and an erase in words */
            const char *f = idea_field(a);
            size_t n = strlen(f);
            if (n > o->idea_len) {
                const char *more = f + o->idea_len;
                sb_add(&b, strcmp(more, " ") == 0 ? tr(a, "say.space")
                           : strcmp(more, "\n") == 0 ? tr(a, "say.newline") : more);
            } else if (n < o->idea_len) {
                sb_add(&b, tr(a, "say.erased"));
            }
        }
        if (quest_typing(a)) { /* a text question: as an idea's text */
            const char *f = a->s.qtext[a->s.q];
            size_t n = strlen(f);
            if (n > o->idea_len) {
                const char *more = f + o->idea_len;
                sb_add(&b, strcmp(more, " ") == 0 ? tr(a, "say.space") : more);
            } else if (n < o->idea_len) {
                sb_add(&b, tr(a, "say.erased"));
            }
        } else if (in_question(a) &&
                   (a->s.qset[a->s.q] != o->qset ||
                    memcmp(&a->s.qa[a->s.q], &o->qa, sizeof o->qa) != 0)) {
            /* an answer given, changed or removed: the focused option's state
             * now, and for several answers how many */
            const pkg_question_t *q = &a->pkg->questionnaire.q[a->s.q];
            if (fa >= ACT_QOPT && fa < ACT_QEDIT)
                say_qopt(a, &b, &a->dl.ctls[a->focus], fa - ACT_QOPT);
            else if (!a->s.qset[a->s.q])
                sb_add(&b, tr(a, "say.q.cleared"));
            if ((q->type == PKG_Q_MANY || q->type == PKG_Q_RANK) && a->s.qset[a->s.q]) {
                char c1[8], c2[8];
                const char *kv[] = {"n", c1, "max", c2, NULL};
                snprintf(c1, sizeof c1, "%d", a->s.qa[a->s.q].k);
                snprintf(c2, sizeof c2, "%d", q->max);
                sb_add(&b, trf(a, buf, sizeof buf,
                               q->type == PKG_Q_RANK ? "q.count.rank" : "q.count.many", kv));
            }
        }
        if (a->s.field_err != NULL && a->s.field_err != o->field_err) {
            char mn[16] = "", mx[16] = "";
            const char *kv[] = {"min", mn, "max", mx, NULL};
            if (in_question(a)) { /* "au moins {min}", "maximum : {max}" */
                snprintf(mn, sizeof mn, "%d", a->pkg->questionnaire.q[a->s.q].min);
                snprintf(mx, sizeof mx, "%d", a->pkg->questionnaire.q[a->s.q].max);
            }
            sb_add(&b, trf(a, buf, sizeof buf, a->s.field_err, kv));
        }
        if (a->scr == SCR_CONSENT && a->s.no_publish != o->no_publish)
            sb_add(&b, tr(a, a->s.no_publish ? "consent.status.hidden" : "consent.status.shown"));
        if (a->scr == SCR_VCODE && strcmp(o->digits, a->s.vcode) != 0) {
            const char *more = added(o->digits, a->s.vcode);
            sb_add(&b, more != NULL ? more : tr(a, "say.erased"));
        }
        if (focus_moved)
            describe(a, &b);
    }
    if (b.len > 0)
        app_say(a, text, 1);
    if (changed && a->scr == SCR_WELCOME && !a->display_open) {
        /* the other languages offered, each in its own voice */
        int i;
        for (i = 0; i < a->n_langs; i++)
            if (i != a->lang)
                say_in(a, i, i18n_get(a->cat[i], "say.lang_offer"), 0);
    }
    mbedtls_platform_zeroize(text, sizeof text);
    remember(a);
    curtain(a);
}

/* --- keys ------------------------------------------------------------------------------- */

static int takes_digits(const app_t *a)
{
    return (a->scr == SCR_IDENTITY && a->s.step == ID_BIRTH) || a->scr == SCR_VCODE ||
           a->scr == SCR_PIN;
}

/* Citizens' screens, where audio mode may start. */
static int citizens(const app_t *a)
{
    return !a->desk && a->scr != SCR_OUTOFSERVICE && ((int)a->scr < (int)SCR_PIN || a->scr == SCR_VCODE);
}

static void set_voice(app_t *a, const char *key)
{
    if (a->voice.set != NULL)
        a->voice.set(a->voice.ctx, a->speech_rate, a->speech_volume);
    app_say(a, tr(a, key), 1);
}

void app_audio(app_t *a, int on)
{
    if (on == a->audio)
        return;
    if (on) {
        a->audio = 1;
        a->screen_off = 0;
        a->spk.valid = 0;
        a->spk.scr = -1; /* the first words: "audio mode" */
        if (a->voice.set != NULL)
            a->voice.set(a->voice.ctx, a->speech_rate, a->speech_volume);
    } else {
        app_say(a, tr(a, "say.audio.off"), 1);
        a->audio = 0;
        a->screen_off = 0;
    }
    a->dirty = 1;
}

int app_speak_key(app_t *a, app_key_t *k)
{
    if (*k >= KEY_KP0 && *k <= KEY_KP9 && takes_digits(a)) {
        char d[2] = {(char)('0' + (*k - KEY_KP0)), 0};
        app_char(a, d);
        return 1;
    }
    if (*k == KEY_KP_ENTER) {
        *k = KEY_ENTER;
        return 0;
    }
    if (!a->audio) {
        if ((*k == KEY_F11 || *k == KEY_KP_PLUS) && citizens(a) && a->audio_ok) {
            app_audio(a, 1);
            return 1;
        }
    } else {
        switch (*k) {
        case KEY_F11:
            app_audio(a, 0);
            return 1;
        case KEY_F5:
        case KEY_KP0: /* repeat: the screen and the focus again */
            a->spk.valid = 0;
            a->dirty = 1;
            return 1;
        case KEY_F4:
        case KEY_KP_PERIOD:
            app_say(a, tr(a, "say.help"), 1);
            return 1;
        case KEY_F7:
        case KEY_KP_SLASH:
            a->speech_rate = a->speech_rate - 25 < 80 ? 80 : a->speech_rate - 25;
            set_voice(a, "say.slower");
            return 1;
        case KEY_F8:
        case KEY_KP_STAR:
            a->speech_rate = a->speech_rate + 25 > 450 ? 450 : a->speech_rate + 25;
            set_voice(a, "say.faster");
            return 1;
        case KEY_F9:
        case KEY_KP_MINUS:
            a->speech_volume = a->speech_volume - 10 < 10 ? 10 : a->speech_volume - 10;
            set_voice(a, "say.quieter");
            return 1;
        case KEY_F10:
        case KEY_KP_PLUS:
            a->speech_volume = a->speech_volume + 10 > 100 ? 100 : a->speech_volume + 10;
            set_voice(a, "say.louder");
            return 1;
        case KEY_F3:
        case KEY_KP3:
            app_action(a, ACT_LANG + (a->lang + 1) % a->n_langs);
            return 1;
        case KEY_F12:
        case KEY_KP9:
            a->screen_off = !a->screen_off;
            app_say(a, tr(a, a->screen_off ? "say.screen.off" : "say.screen.on"), 1);
            a->dirty = 1;
            return 1;
        case KEY_F6:
        case KEY_KP1:
            if (a->scr == SCR_RECEIPT) {
                char text[1024];
                sb_t b = {text, sizeof text, 0};
                text[0] = '\0';
                sb_add(&b, tr(a, "receipt.code"));
                sb_cat(&b, " ");
                spell(a, &b, a->s.tracking, 1);
                app_say(a, text, 1);
            }
            return 1;
        default:
            break;
        }
    }
    switch (*k) { /* the keypad's moves, in and out of audio mode */
    case KEY_KP8:
    case KEY_KP4:
        *k = KEY_UP;
        return 0;
    case KEY_KP2:
    case KEY_KP6:
        *k = KEY_DOWN;
        return 0;
    case KEY_KP5:
        *k = KEY_ENTER;
        return 0;
    case KEY_KP7:
        *k = KEY_ESCAPE;
        return 0;
    default:
        break;
    }
    return *k >= KEY_KP0 && *k <= KEY_KP_SLASH; /* another keypad key: nothing */
}

int app_speak_tap(app_t *a)
{
    if (!a->audio)
        return 0;
    app__touched(a);
    app_say(a, tr(a, "say.touch"), 1);
    return 1;
}

void app_speak_forget(app_t *a)
{
    /* AUDIO-A4 (DESIGN-S3): what was said named the choices */
    mbedtls_platform_zeroize(&a->spk, sizeof a->spk);
    mbedtls_platform_zeroize(a->said, sizeof a->said);
    a->said_len = 0;
    if (a->voice.forget != NULL)
        a->voice.forget(a->voice.ctx);
    a->audio = 0;
    a->screen_off = 0;
    a->speech_rate = 175;
    a->speech_volume = 80;
}
