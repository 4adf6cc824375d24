/* script.c - scripted sessions: parser and replay (no SDL: shots go
 * through a callback). */
#include "script.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bn_err.h"
#include "day.h"

/* Reads a "quoted" argument (\" and \\ escapes) at p; returns the end or NULL. */
static const char *quoted(const char *p, char *out, size_t cap)
{
    size_t n = 0;

    if (*p != '"')
        return NULL;
    for (p++; *p && *p != '"'; p++) {
        char ch = *p;

        if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
            ch = *++p;
        else if (*p == '\\' && p[1] == 'n')
            ch = '\n', p++; /* a line feed (an idea's description) */
        if (n + 1 >= cap)
            return NULL;
        out[n++] = ch;
    }
    if (*p != '"')
        return NULL;
    out[n] = '\0';
    return p + 1;
}

/* The on-screen key that types `ch`, or -1. */
static int find_key(const app_t *a, const char *ch)
{
    int j, i = -1;

    for (j = 0; j < a->dl.nctl; j++)
        if (a->dl.ctls[j].ch != NULL && strcmp(a->dl.ctls[j].ch, ch) == 0)
            i = j;
    return i;
}

/* The control of action `act`, or -1. */
static int find_action(const app_t *a, int act)
{
    int j;

    for (j = 0; j < a->dl.nctl; j++)
        if (a->dl.ctls[j].action == act && a->dl.ctls[j].enabled)
            return j;
    return -1;
}

static const char *skip(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

static int word(const char **pp, const char *w)
{
    size_t n = strlen(w);

    if (strncmp(*pp, w, n) == 0 && ((*pp)[n] == ' ' || (*pp)[n] == '\t' || (*pp)[n] == '\0')) {
        *pp = skip(*pp + n);
        return 1;
    }
    return 0;
}

static int parse_line(const char *p, sc_cmd_t *c, char *err, size_t errlen)
{
    const char *e;
    char *end;

    if (word(&p, "tap")) {
        if (*p == '"') {
            c->kind = SC_TAP_LABEL;
            if ((e = quoted(p, c->arg, sizeof c->arg)) == NULL)
                return snprintf(err, errlen, "tap: unterminated or too long label"), -1;
        } else {
            c->kind = SC_TAP_XY;
            c->x = (int)strtol(p, &end, 10);
            if (end == p)
                return snprintf(err, errlen, "tap: expected \"LABEL\" or X Y"), -1;
            p = skip(end);
            c->y = (int)strtol(p, &end, 10);
            if (end == p)
                return snprintf(err, errlen, "tap: expected Y after X"), -1;
            e = end;
        }
    } else if (word(&p, "key")) {
        size_t n = strcspn(p, " \t");
        c->kind = SC_KEY;
        if (n == 0 || n >= sizeof c->arg)
            return snprintf(err, errlen, "key: expected a key name"), -1;
        memcpy(c->arg, p, n);
        c->arg[n] = '\0';
        e = p + n;
        c->key = (int)app_key_named(c->arg);
        if (c->key == 0 && !(n == 1 && isalnum((unsigned char)c->arg[0])))
            return snprintf(err, errlen, "key: unknown key '%.40s'", c->arg), -1;
    } else if (word(&p, "write")) {
        c->kind = SC_WRITE;
        if ((e = quoted(p, c->arg, sizeof c->arg)) == NULL)
            return snprintf(err, errlen, "write: expected \"TEXT\""), -1;
    } else if (word(&p, "type")) {
        c->kind = SC_TYPE;
        if ((e = quoted(p, c->arg, sizeof c->arg)) == NULL)
            return snprintf(err, errlen, "type: expected \"TEXT\""), -1;
    } else if (word(&p, "wait")) {
        c->kind = SC_WAIT;
        c->ms = strtol(p, &end, 10);
        if (end == p || c->ms < 0)
            return snprintf(err, errlen, "wait: expected milliseconds"), -1;
        e = end;
    } else if (word(&p, "hold")) {
        c->kind = SC_HOLD;
        c->x = (int)strtol(p, &end, 10);
        if (end == p)
            return snprintf(err, errlen, "hold: expected X Y MS"), -1;
        p = skip(end);
        c->y = (int)strtol(p, &end, 10);
        if (end == p)
            return snprintf(err, errlen, "hold: expected Y after X"), -1;
        p = skip(end);
        c->ms = strtol(p, &end, 10);
        if (end == p || c->ms < 0)
            return snprintf(err, errlen, "hold: expected milliseconds after X Y"), -1;
        e = end;
    } else if (word(&p, "clock")) {
        char d[16];
        int hh, mm, k = 0;
        uint32_t day;
        c->kind = SC_CLOCK;
        if (sscanf(p, "%15s %d:%d%n", d, &hh, &mm, &k) != 3 || day_parse(d, &day) != 0 ||
            hh < 0 || hh > 23 || mm < 0 || mm > 59)
            return snprintf(err, errlen, "clock: expected YYYY-MM-DD HH:MM"), -1;
        c->ms = (long)((int64_t)day * 1440 + hh * 60 + mm); /* minutes since 1970 */
        e = p + k;
    } else if (word(&p, "sync")) {
        c->kind = SC_SYNC;
        c->ms = word(&p, "close") ? 1 : 0; /* close: everything goes */
        e = p;
    } else if (word(&p, "shot")) {
        size_t n = strcspn(p, " \t");
        c->kind = SC_SHOT;
        if (n == 0 || n >= 128 || strchr(p, '/') != NULL)
            return snprintf(err, errlen, "shot: expected a file name without '/'"), -1;
        memcpy(c->arg, p, n);
        c->arg[n] = '\0';
        e = p + n;
    } else if (word(&p, "scan")) {
        c->kind = SC_SCAN;
        if ((e = quoted(p, c->arg, sizeof c->arg)) == NULL)
            return snprintf(err, errlen, "scan: expected \"LABEL\""), -1;
    } else if (word(&p, "expect")) {
        if (word(&p, "presses")) {
            char *num_end;
            c->kind = SC_EXPECT_PRESSES;
            if (!word(&p, "at") || !word(&p, "most"))
                return snprintf(err, errlen, "expect presses: expected 'at most N'"), -1;
            c->ms = strtol(p, &num_end, 10);
            if (num_end == p || c->ms < 0)
                return snprintf(err, errlen, "expect presses at most: expected a number"), -1;
            e = num_end;
        } else if (word(&p, "screen")) {
            size_t n = strcspn(p, " \t");
            c->kind = SC_EXPECT_SCREEN;
            if (n == 0 || n >= sizeof c->arg)
                return snprintf(err, errlen, "expect screen: expected a screen name"), -1;
            memcpy(c->arg, p, n);
            c->arg[n] = '\0';
            e = p + n;
        } else if (word(&p, "no")) {
            c->kind = word(&p, "speech") ? SC_EXPECT_NO_SPEECH : SC_EXPECT_NO_TEXT;
            if ((c->kind == SC_EXPECT_NO_TEXT && !word(&p, "text")) ||
                (e = quoted(p, c->arg, sizeof c->arg)) == NULL)
                return snprintf(err, errlen, "expect no text|speech: expected \"TEXT\""), -1;
        } else if (word(&p, "speech")) {
            c->kind = SC_EXPECT_SPEECH;
            if ((e = quoted(p, c->arg, sizeof c->arg)) == NULL)
                return snprintf(err, errlen, "expect speech: expected \"TEXT\""), -1;
        } else if (word(&p, "focus")) {
            c->kind = SC_EXPECT_FOCUS;
            if ((e = quoted(p, c->arg, sizeof c->arg)) == NULL)
                return snprintf(err, errlen, "expect focus: expected \"LABEL\""), -1;
        } else if (word(&p, "text")) {
            c->kind = SC_EXPECT_TEXT;
            if ((e = quoted(p, c->arg, sizeof c->arg)) == NULL)
                return snprintf(err, errlen, "expect text: expected \"TEXT\""), -1;
        } else {
            return snprintf(err, errlen, "expect: expected 'screen NAME', 'text \"TEXT\"', 'no text \"TEXT\"', 'focus \"LABEL\"', 'speech \"TEXT\"' or 'presses at most N'"), -1;
        }
    } else {
        return snprintf(err, errlen, "unknown command '%.20s'", p), -1;
    }
    e = skip(e);
    if (*e != '\0' && *e != '#')
        return snprintf(err, errlen, "unexpected '%.20s' at the end", e), -1;
    return 0;
}

int script_parse(const char *text, script_t *out, char *why, size_t whylen)
{
    const char *p = text;
    int line = 0, cap = 0;

    memset(out, 0, sizeof *out);
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl != NULL ? (size_t)(nl - p) : strlen(p);
        char buf[1024], err[160];
        const char *q;
        sc_cmd_t c;

        line++;
        if (n >= sizeof buf) {
            script_free(out);
            return bn_fail(why, whylen, BN_EFORMAT, "line %d: too long", line);
        }
        memcpy(buf, p, n);
        buf[n] = '\0';
        if (n > 0 && buf[n - 1] == '\r')
            buf[n - 1] = '\0';
        p += n + (nl != NULL);
        q = skip(buf);
        if (*q == '\0' || *q == '#')
            continue;
        memset(&c, 0, sizeof c);
        c.line = line;
        if (parse_line(q, &c, err, sizeof err) != 0) {
            script_free(out);
            return bn_fail(why, whylen, BN_EFORMAT, "line %d: %s", line, err);
        }
        if (out->n == cap) {
            sc_cmd_t *nc;
            cap = cap ? cap * 2 : 32;
            nc = realloc(out->cmds, (size_t)cap * sizeof *nc);
            if (nc == NULL) {
                script_free(out);
                return BN_ENOMEM;
            }
            out->cmds = nc;
        }
        out->cmds[out->n++] = c;
    }
    return 0;
}

void script_free(script_t *s)
{
    free(s->cmds);
    memset(s, 0, sizeof *s);
}

/* What is on screen, for a failing line. */
static void describe(const app_t *a, char *out, size_t cap)
{
    size_t at;
    int i;

    at = (size_t)snprintf(out, cap, "  screen: %s\n  texts:", app_screen_name(a->scr));
    for (i = 0; i < a->dl.ntext && at < cap; i++)
        at += (size_t)snprintf(out + at, cap - at, " \"%s\"", a->dl.texts[i]);
    if (at < cap && a->focus >= 0 && a->focus < a->dl.nctl)
        at += (size_t)snprintf(out + at, cap - at, "\n  focus: [%s]%s", a->dl.ctls[a->focus].label,
                               a->focus_group > 0 ? " (its row)" : "");
    if (at < cap)
        at += (size_t)snprintf(out + at, cap - at, "\n  controls:");
    for (i = 0; i < a->dl.nctl && at < cap; i++)
        if (a->dl.ctls[i].label[0] != '\0')
            at += (size_t)snprintf(out + at, cap - at, " [%s]", a->dl.ctls[i].label);
}

/* Upper case of a Latin-1 letter in UTF-8 (é -> É, œ -> Œ), ASCII too. */
static void upper_utf8(const char *in, char *out)
{
    unsigned char c0 = (unsigned char)in[0], c1 = (unsigned char)in[1];

    strcpy(out, in);
    if (c0 >= 'a' && c0 <= 'z')
        out[0] = (char)(c0 - 32);
    else if (c0 == 0xc3 && c1 >= 0xa0 && c1 <= 0xbe && c1 != 0xb7)
        out[1] = (char)(c1 - 0x20);
    else if (c0 == 0xc5 && c1 == 0x93)
        out[1] = (char)0x92;
}

/* A copy of s with no-break spaces (U+00A0, U+202F) as plain spaces, so
 * that scripts write "28 500 €" with ordinary spaces. */
static void plain_spaces(const char *s, char *out, size_t cap)
{
    size_t o = 0;

    while (*s && o + 1 < cap) {
        if ((unsigned char)s[0] == 0xc2 && (unsigned char)s[1] == 0xa0) {
            out[o++] = ' ';
            s += 2;
        } else if ((unsigned char)s[0] == 0xe2 && (unsigned char)s[1] == 0x80 &&
                   (unsigned char)s[2] == 0xaf) {
            out[o++] = ' ';
            s += 3;
        } else {
            out[o++] = *s++;
        }
    }
    out[o] = '\0';
}

static int same(const char *shown, const char *wanted)
{
    char a[1024], b[1024];

    plain_spaces(shown, a, sizeof a);
    plain_spaces(wanted, b, sizeof b);
    return strcmp(a, b) == 0;
}

static int has_text(const app_t *a, const char *wanted)
{
    char t[4096], w[1024];
    int i;

    plain_spaces(wanted, w, sizeof w);
    for (i = 0; i < a->dl.ntext; i++) {
        plain_spaces(a->dl.texts[i], t, sizeof t);
        if (strstr(t, w) != NULL)
            return 1;
    }
    return 0;
}

static int find_label(const app_t *a, const char *label, int *found)
{
    int i, n = 0;

    for (i = 0; i < a->dl.nctl; i++) {
        const ui_ctl_t *c = &a->dl.ctls[i];
        if (same(c->label, label) || (c->name != NULL && same(c->name, label))) {
            if (n == 0)
                *found = i;
            n++;
        }
    }
    return n;
}

/* The focused control is the one labelled (or named) label. */
static int focused_is(const app_t *a, const char *label)
{
    return a->focus >= 0 && a->focus < a->dl.nctl &&
           (same(a->dl.ctls[a->focus].label, label) ||
            (a->dl.ctls[a->focus].name != NULL && same(a->dl.ctls[a->focus].name, label)));
}

/* scan "LABEL": the two switches as a person uses them. "Next" until the
 * control is focused (for a key: until its row is, then "select" enters
 * the row and "next" goes to the key), then "select". */
static void scan_to(app_t *a, const char *label, char *err, size_t errlen)
{
    int i = -1, n = find_label(a, label, &i), g, k;

    if (n != 1) {
        snprintf(err, errlen, n == 0 ? "no visible control labelled \"%s\""
                                     : "several controls labelled \"%s\"", label);
        return;
    }
    g = a->dl.ctls[i].group;
    for (k = 0; k < 400; k++) {
        app_draw(a);
        if (g > 0 && a->scan_group == 0 && a->focus_group == g) {
            app_key(a, a->sw_select); /* into the row */
            app_draw(a);
            g = 0;
        }
        if (focused_is(a, label) && a->focus_group == 0) {
            app_key(a, a->sw_select);
            return;
        }
        app_key(a, a->sw_next);
    }
    snprintf(err, errlen, "scan: 400 presses and \"%s\" never had the focus", label);
}

static void tap_ctl(app_t *a, int i)
{
    ui_rect_t r = a->dl.ctls[i].r;

    app_tap(a, r.x + r.w / 2, r.y + r.h / 2);
}

int script_run(const script_t *s, app_t *a, script_shot_fn shot, void *arg, char *why,
               size_t whylen)
{
    char err[3072], scr[6000];
    int k;
    long taps = 0, keys = 0;
    const char *trace = getenv("BORNE_SCRIPT_TRACE");

    for (k = 0; k < s->n; k++) {
        const sc_cmd_t *c = &s->cmds[k];
        int i = -1, n;
        int check = c->kind == SC_EXPECT_SCREEN || c->kind == SC_EXPECT_TEXT ||
                    c->kind == SC_EXPECT_NO_TEXT || c->kind == SC_EXPECT_FOCUS ||
                    c->kind == SC_EXPECT_PRESSES || c->kind == SC_EXPECT_SPEECH ||
                    c->kind == SC_EXPECT_NO_SPEECH || c->kind == SC_SHOT;

        err[0] = '\0';
        app_draw(a);
        if (!check) { /* expect speech: what this line made the kiosk say */
            a->said_len = 0;
            a->said[0] = '\0';
        }
        switch (c->kind) {
        case SC_TAP_LABEL:
            n = find_label(a, c->arg, &i);
            if (n == 0)
                snprintf(err, sizeof err, "no visible control labelled \"%s\"", c->arg);
            else if (n > 1)
                snprintf(err, sizeof err, "%d controls labelled \"%s\"", n, c->arg);
            else if (!a->dl.ctls[i].enabled)
                snprintf(err, sizeof err, "the control \"%s\" is disabled", c->arg);
            else
                tap_ctl(a, i), taps++;
            break;
        case SC_TAP_XY:
            taps++;
            app_tap(a, c->x, c->y);
            break;
        case SC_SCAN:
            scan_to(a, c->arg, err, sizeof err);
            break;
        case SC_EXPECT_PRESSES:
            if (a->switch_presses > c->ms)
                snprintf(err, sizeof err, "%ld switch presses, more than %ld", a->switch_presses,
                         c->ms);
            break;
        case SC_SYNC: {
            char w[300] = "";
            if (app_sync_round(a, (int)c->ms, w, sizeof w) != 0) {
                printf("sync failed: %s\n", w);
                fflush(stdout);
            }
            break;
        }
        case SC_KEY:
            keys += c->key == 0 || (c->key != (int)a->sw_next && c->key != (int)a->sw_select);
            if (c->key != 0) {
                app_key(a, (app_key_t)c->key);
            } else {
                char ch[2] = {c->arg[0], 0};
                app_char(a, ch);
            }
            break;
        case SC_WRITE: {
            /* a physical keyboard: each character as typed, a line feed
             * as the Enter key */
            const char *p = c->arg;
            while (*p) {
                char one[8];
                size_t len = 1;
                while (((unsigned char)p[len] & 0xc0) == 0x80)
                    len++;
                if (len >= sizeof one)
                    len = sizeof one - 1;
                memcpy(one, p, len);
                one[len] = '\0';
                app_draw(a);
                if (one[0] == '\n')
                    app_key(a, KEY_ENTER);
                else
                    app_char(a, one);
                keys++;
                p += len;
            }
            break;
        }
        case SC_TYPE: {
            const char *p = c->arg;
            while (*p && err[0] == '\0') {
                char one[8], up[8];
                size_t len = 1;
                int j, textkb;
                while (((unsigned char)p[len] & 0xc0) == 0x80)
                    len++;
                if (len >= sizeof one)
                    len = sizeof one - 1;
                memcpy(one, p, len);
                one[len] = '\0';
                upper_utf8(one, up);
                app_draw(a);
                textkb = find_action(a, ACT_IDEA_LAYER) >= 0;
                i = find_key(a, one);
                if (i < 0 && !textkb)
                    i = find_key(a, up); /* the identity's keyboard is upper case */
                /* the free-text keyboard (an idea, a questionnaire's text):
                 * the other case, or the signs, as a person would switch */
                for (j = 0; i < 0 && textkb && j < 4; j++) {
                    int t = find_action(a, j % 2 == 0 ? ACT_IDEA_SHIFT : ACT_IDEA_LAYER);

                    if (t < 0)
                        continue;
                    tap_ctl(a, t), taps++;
                    app_draw(a);
                    i = find_key(a, one);
                }
                if (i < 0)
                    snprintf(err, sizeof err, "no on-screen key for '%s'", one);
                else
                    tap_ctl(a, i), taps++;
                p += len;
            }
            break;
        }
        case SC_WAIT: {
            long left = c->ms;
            while (left > 0) {
                long step = left < 100 ? left : 100;
                app_tick(a, a->now + (uint32_t)step);
                app_draw(a);
                left -= step;
            }
            break;
        }
        case SC_HOLD: {
            long left = c->ms;
            taps++;
            app_press(a, c->x, c->y);
            while (left > 0 && a->pressing) {
                long step = left < 100 ? left : 100;
                app_tick(a, a->now + (uint32_t)step);
                left -= step;
            }
            app_release(a, -1, -1); /* a hold acts by its time, not on release */
            app_draw(a);
            break;
        }
        case SC_CLOCK:
            /* the wall clock jumps (the kiosk left on overnight): now stays */
            a->wall0_ms = (int64_t)c->ms * 60000 - (int64_t)a->now;
            app_tick(a, a->now + 100);
            app_tick(a, a->now + 100);
            app_draw(a);
            break;
        case SC_SHOT:
            app_draw(a);
            if (shot != NULL && shot(arg, a, c->arg) != 0)
                snprintf(err, sizeof err, "shot %s: not saved, or unlike its reference", c->arg);
            break;
        case SC_EXPECT_SCREEN:
            if (strcmp(app_screen_name(a->scr), c->arg) != 0)
                snprintf(err, sizeof err, "expected screen %s", c->arg);
            break;
        case SC_EXPECT_NO_TEXT:
            if (has_text(a, c->arg))
                snprintf(err, sizeof err, "did not expect text \"%s\"", c->arg);
            break;
        case SC_EXPECT_FOCUS:
            if (a->focus < 0 || a->focus >= a->dl.nctl ||
                !(same(a->dl.ctls[a->focus].label, c->arg) ||
                  (a->dl.ctls[a->focus].name != NULL && same(a->dl.ctls[a->focus].name, c->arg))))
                snprintf(err, sizeof err, "expected the focus on \"%s\"", c->arg);
            break;
        case SC_EXPECT_TEXT:
            if (!has_text(a, c->arg))
                snprintf(err, sizeof err, "expected text \"%s\"", c->arg);
            break;
        case SC_EXPECT_SPEECH:
        case SC_EXPECT_NO_SPEECH:
            if ((strstr(a->said, c->arg) != NULL) != (c->kind == SC_EXPECT_SPEECH))
                snprintf(err, sizeof err, "%s \"%.300s\"; said since the last line:\n%.1400s",
                         c->kind == SC_EXPECT_SPEECH ? "expected speech" : "did not expect speech",
                         c->arg, a->said_len > 0 ? a->said : "(nothing)\n");
            break;
        }
        app_draw(a);
        if (trace != NULL && *trace != '\0')
            fprintf(stderr, "line %d: taps %ld keys %ld switches %ld\n", c->line, taps, keys,
                    a->switch_presses);
        if (err[0] != '\0') {
            describe(a, scr, sizeof scr);
            return bn_fail(why, whylen, BN_EINVAL, "line %d: %s\n%s", c->line, err, scr);
        }
        for (i = 0; i < a->dl.ntext; i++) {
            const char *open = strchr(a->dl.texts[i], '{');
            if (open != NULL && strchr(open, '}') != NULL)
                return bn_fail(why, whylen, BN_EINVAL, "line %d: unfilled placeholder in \"%s\"",
                               c->line, a->dl.texts[i]);
        }
        if (a->missing_keys > 0)
            return bn_fail(why, whylen, BN_EINVAL, "line %d: catalog key '%s' is missing",
                           c->line, a->last_missing);
        {
            const char *open = strchr(a->said, '{');
            if (open != NULL && strchr(open, '}') != NULL)
                return bn_fail(why, whylen, BN_EINVAL, "line %d: unfilled placeholder in speech \"%.300s\"",
                               c->line, a->said);
        }
        /* layout rules of every frame (cut or overlapping texts, controls);
         * audio mode shows only its curtain over controls no one sees */
        if (!a->audio && dl_check(&a->dl, 88, err, sizeof err) != 0) {
            describe(a, scr, sizeof scr);
            return bn_fail(why, whylen, BN_EINVAL, "line %d: layout: %s\n%s", c->line, err, scr);
        }
    }
    if (a->print_receipts) { /* presses per task (docs/accessibility.md) */
        printf("presses taps=%ld keys=%ld switches=%ld\n", taps, keys, a->switch_presses);
        fflush(stdout);
    }
    return 0;
}
