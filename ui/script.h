/* script.h - scripted sessions: parse a script, replay it on the app.
 *
 * One command a line, `#` comments (format in docs/scripting.md):
 *   tap "LABEL" | tap X Y | key NAME | type "TEXT" | wait MS | shot NAME |
 *   expect screen NAME | expect text "TEXT" | expect no text "TEXT" |
 *   expect focus "LABEL" | sync [close] | hold X Y MS (a long press) |
 *   clock YYYY-MM-DD HH:MM (the wall clock jumps there) |
 *   scan "LABEL" (with the two switches, as a person would: "next" until
 *   the control, or its row then the key, is focused, then "select") |
 *   expect presses at most N (switch presses since the start) |
 *   expect speech "TEXT" | expect no speech "TEXT" (what audio mode said
 *   since the last line that was not an expect line) */
#ifndef SCRIPT_H
#define SCRIPT_H

#include <stddef.h>

#include "app.h"

typedef enum {
    SC_TAP_LABEL = 1, SC_TAP_XY, SC_KEY, SC_TYPE, SC_WAIT, SC_SHOT, SC_EXPECT_SCREEN,
    SC_EXPECT_TEXT, SC_EXPECT_NO_TEXT, SC_EXPECT_FOCUS, SC_SYNC, SC_HOLD, SC_CLOCK,
    SC_SCAN, SC_EXPECT_PRESSES, SC_EXPECT_SPEECH, SC_EXPECT_NO_SPEECH, SC_WRITE
} sc_kind_t;

typedef struct sc_cmd_s {
    sc_kind_t kind;
    int line;
    char arg[1024];        /* a text to type may be a whole free text (500 characters) */
    int x, y;
    long ms;
    int key;               /* SC_KEY: app_key_t, or 0 for a character in arg */
} sc_cmd_t;

typedef struct script_s {
    sc_cmd_t *cmds;
    int n;
} script_t;

/* Parses script text. BN_EFORMAT with "line N: ..." in `why`. */
int script_parse(const char *text, script_t *out, char *why, size_t whylen);
void script_free(script_t *s);

/* Saves a screenshot of the current frame as NAME.png; 0 or an error. */
typedef int (*script_shot_fn)(void *arg, app_t *a, const char *name);

/* Replays the script; the clock advances only with `wait` (in 100 ms steps,
 * so countdowns are drawn). On a failing line returns BN_EINVAL with the
 * line, the command and what was on screen (screen name, visible texts,
 * controls) in `why`. */
int script_run(const script_t *s, app_t *a, script_shot_fn shot, void *arg, char *why,
               size_t whylen);

#endif
