/* draw.h - the draw command list that screens fill and a renderer replays,
 * the list of controls (for taps, focus and scripts), and layout helpers.
 *
 * Screens never touch SDL: they lay out text through a ui_measure_t and emit
 * plain tagged commands (rectangles, rounded rectangles, rings, text lines,
 * images, QR module grids). ui/render_sdl.c replays them. Everything lives in
 * buffers allocated once by dl_init; a frame only resets counters, and a
 * list that overflows drops commands and sets `overflow` (tests check it). */
#ifndef DRAW_H
#define DRAW_H

#include <stddef.h>
#include <stdint.h>

typedef struct ui_rect_s {
    int x, y, w, h;
} ui_rect_t;

typedef struct ui_color_s {
    uint8_t r, g, b, a;
} ui_color_t;

/* Text measurement, the only thing layout needs from a font engine. */
typedef struct ui_measure_s {
    void *ctx;
    /* width in pixels of the first `len` bytes of UTF-8 `s` at `size` px */
    int (*text_w)(void *ctx, const char *s, size_t len, int size, int bold);
} ui_measure_t;

typedef enum {
    DC_RECT = 1,  /* filled rectangle */
    DC_RRECT,     /* filled rounded rectangle (radius) */
    DC_RING,      /* rounded outline (radius, thick): borders, focus ring */
    DC_TEXT,      /* one line of text, top-left at r.x, r.y */
    DC_IMAGE,     /* an image file scaled into r (text = path) */
    DC_QR         /* QR modules: qr[qr_n * qr_n], 1 = dark, drawn into r */
} dc_kind_t;

typedef struct dcmd_s {
    dc_kind_t kind;
    ui_rect_t r;
    ui_color_t c;
    int radius, thick;
    const char *text; /* DC_TEXT, DC_IMAGE: in the list's arena */
    int size, bold;
    const uint8_t *qr;
    int qr_n;
} dcmd_t;

/* A control: a rectangle that reacts to taps, Tab focus and Enter.
 * `label` is what it shows; `name` (may be NULL) is a longer accessible
 * name ("Choisir : Jardin partagé") that scripts may use too. */
typedef struct ui_ctl_s {
    ui_rect_t r;
    int action;
    const char *label, *name;
    const char *ch;   /* on-screen keyboard key: the text it types, else NULL */
    int enabled, primary;
    int group;        /* > 0: a row of keys that switch scanning enters as one item */
} ui_ctl_t;

typedef struct ui_dl_s {
    dcmd_t *cmds;
    int n, cap;
    ui_ctl_t *ctls;
    int nctl, capctl;
    const char **texts; /* visible texts, whole (before wrapping) */
    int ntext, captext;
    char *arena;
    size_t used, arenacap;
    int overflow;
    int ncut;           /* texts cut (ellipsis, a word broken, a label taller than its box) */
    char cut[96];       /* the first one, for messages */
    int layer;          /* first command of the top layer (a modal dialog) */
    const ui_measure_t *m;
    int w, h;           /* canvas size */
} ui_dl_t;

int dl_init(ui_dl_t *dl, const ui_measure_t *m, int w, int h);
void dl_free(ui_dl_t *dl);
/* Starts a new frame (keeps the buffers). */
void dl_reset(ui_dl_t *dl);
/* Zeroes the arena (texts of a finished session), then resets. */
void dl_wipe(ui_dl_t *dl);
/* Forgets the controls registered so far (a modal dialog covers them);
 * the commands after this one are the top layer that dl_check checks. */
void dl_clear_controls(ui_dl_t *dl);
/* Counts s as a cut text (dl_check reports it). */
void dl_cut(ui_dl_t *dl, const char *s);

/* Layout rules of a frame: no overflow, no cut text, every labelled
 * control at least min_h px high and inside the canvas, no two labelled
 * controls overlapping, every text line inside the canvas, not overlapping
 * another text line (an overlay drawn at the same origin excepted), and
 * either inside a control or clear of all controls. Returns 0, or -1 with
 * the first problem in why. */
int dl_check(const ui_dl_t *dl, int min_h, char *why, size_t whylen);

/* A copy of s in the arena ("" on overflow). */
const char *dl_str(ui_dl_t *dl, const char *s);

void dl_rect(ui_dl_t *dl, ui_rect_t r, ui_color_t c);
void dl_rrect(ui_dl_t *dl, ui_rect_t r, int radius, ui_color_t c);
void dl_ring(ui_dl_t *dl, ui_rect_t r, int radius, int thick, ui_color_t c);
void dl_qr(ui_dl_t *dl, ui_rect_t r, const uint8_t *modules, int n);
/* Registers a control; returns its index or -1. */
int dl_control(ui_dl_t *dl, ui_rect_t r, int action, const char *label, const char *name,
               const char *ch, int enabled, int primary);

/* --- text layout ---------------------------------------------------------- */

typedef enum { AL_LEFT = 0, AL_CENTER, AL_RIGHT } ui_align_t;

/* Line height of a text size (pixels). */
int ui_line_h(int size);

/* Text width, through the measurer. */
int ui_text_w(const ui_dl_t *dl, const char *s, int size, int bold);

/* Breaks s into lines no wider than w (at spaces; a longer word is cut
 * between characters). Writes up to max line (start, length) pairs and
 * returns the number of lines needed (which may exceed max). */
int ui_wrap(const ui_dl_t *dl, const char *s, int size, int bold, int w,
            size_t *starts, size_t *lens, int max);

/* Height that ui_text would use. */
int ui_text_h(const ui_dl_t *dl, const char *s, int size, int bold, int w, int max_lines);

/* Emits s wrapped into width w at (x, y), at most max_lines lines (0: no
 * limit; the last kept line then ends with "…"). Returns the height used.
 * Records s as visible text. */
int ui_text(ui_dl_t *dl, int x, int y, int w, const char *s, int size, int bold,
            ui_color_t c, ui_align_t al, int max_lines);

/* Centre of a rectangle; whether a point is in it. */
int ui_in(ui_rect_t r, int x, int y);

/* The focusable controls (enabled, labelled) in reading order: by rows
 * from top to bottom (two controls whose vertical centres are less than
 * half the lower one's height apart share a row), left to right in a row.
 * Writes their indices to order (dl->nctl entries at most), returns how
 * many. */
int dl_reading_order(const ui_dl_t *dl, int *order);

/* The topmost enabled control at (x, y), or -1. */
int dl_hit(const ui_dl_t *dl, int x, int y);

/* 1 if some visible text contains `s`. */
int dl_has_text(const ui_dl_t *dl, const char *s);

#endif
