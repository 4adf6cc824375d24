/* textkb.c - the free-text keyboard of an idea's steps and of a
 * questionnaire's text question (screens.h, textkb_*): lower and upper case
 * (a capital by itself at the start of the field or of a sentence, "⇧" to
 * change it), accents, a layer of digits and signs ("123"), space, a line
 * feed where the field takes one, erase; a field that is full says so
 * (s.field_err "idea.err.full") rather than drop a key silently. The state
 * (s.idea_caps, s.idea_symbols) lives in the session. */
#include <stdio.h>
#include <string.h>

#include "screens.h"

#define KB_COLS 12
#define KB_ROWS 3
#define KB_KEY_H 88
#define KB_GAP 8
#define KEY_SPACE_IDX 99
_Static_assert(TEXTKB_H == (KB_ROWS + 1) * KB_KEY_H + KB_ROWS * KB_GAP, "textkb height");

/* The keyboard's three rows of characters, per layer (12 keys each). */
static const char *const lower[KB_ROWS][KB_COLS] = {
    {"a", "z", "e", "r", "t", "y", "u", "i", "o", "p", "é", "è"},
    {"q", "s", "d", "f", "g", "h", "j", "k", "l", "m", "à", "ù"},
    {"w", "x", "c", "v", "b", "n", "ç", "ê", "ô", "'", ",", "."},
};
static const char *const upper[KB_ROWS][KB_COLS] = {
    {"A", "Z", "E", "R", "T", "Y", "U", "I", "O", "P", "É", "È"},
    {"Q", "S", "D", "F", "G", "H", "J", "K", "L", "M", "À", "Ù"},
    {"W", "X", "C", "V", "B", "N", "Ç", "Ê", "Ô", "'", ",", "."},
};
static const char *const signs[KB_ROWS][KB_COLS] = {
    {"1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "€", "%"},
    {"!", "?", ";", ":", "(", ")", "«", "»", "\"", "/", "&", "+"},
    {"@", "-", "_", "#", "*", "=", "î", "ï", "â", "û", "ë", "œ"},
};

int textkb_chars(const char *s)
{
    int n = 0;

    for (; *s; s++)
        n += ((unsigned char)*s & 0xc0) != 0x80;
    return n;
}

/* One whole code point, printable: not a control character (C0, DEL, C1),
 * strict UTF-8. Returns its length, 0 if not. */
static size_t one_char(const char *u)
{
    const unsigned char *p = (const unsigned char *)u;
    size_t n = p[0] < 0x80 ? 1 : (p[0] & 0xe0) == 0xc0 ? 2 : (p[0] & 0xf0) == 0xe0 ? 3
               : (p[0] & 0xf8) == 0xf0 ? 4 : 0, i;
    uint32_t cp;

    if (n == 0 || strlen(u) != n)
        return 0;
    for (i = 1; i < n; i++)
        if ((p[i] & 0xc0) != 0x80)
            return 0;
    cp = n == 1 ? p[0] : n == 2 ? (p[0] & 0x1fu) : n == 3 ? (p[0] & 0x0fu) : (p[0] & 0x07u);
    for (i = 1; i < n; i++)
        cp = cp << 6 | (p[i] & 0x3fu);
    if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
        cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) || cp == 0x2028 || cp == 0x2029)
        return 0;
    return n;
}

int textkb_caps(const app_t *a, const textkb_t *t)
{
    size_t n;

    if (a->s.idea_caps >= 0)
        return a->s.idea_caps;
    if (t->no_auto_caps)
        return 0;
    n = strlen(t->f);
    while (n > 0 && t->f[n - 1] == ' ')
        n--;
    return n == 0 || t->f[n - 1] == '.' || t->f[n - 1] == '!' || t->f[n - 1] == '?' ||
           t->f[n - 1] == '\n';
}

void textkb_char(app_t *a, const textkb_t *t, const char *utf8)
{
    size_t n, k;
    int nl = strcmp(utf8, "\n") == 0;

    a->s.field_err = NULL;
    k = nl ? 1 : one_char(utf8);
    if (k == 0 || (nl && !t->newline))
        return;
    n = strlen(t->f);
    /* nothing blank at the start; no run of spaces */
    if ((n == 0 && (utf8[0] == ' ' || nl)) || (utf8[0] == ' ' && n > 0 && t->f[n - 1] == ' '))
        return;
    if (textkb_chars(t->f) >= t->max || n + k >= t->cap || (t->bytes && n + k > (size_t)t->max)) {
        a->s.field_err = "idea.err.full"; /* said, never dropped silently */
        return;
    }
    memcpy(t->f + n, utf8, k);
    t->f[n + k] = '\0';
    a->s.idea_caps = -1; /* after a character, capitals follow the sentence again */
}

int textkb_act(app_t *a, const textkb_t *t, int act)
{
    if (act >= ACT_KEY && act < ACT_KEY + KB_ROWS * KB_COLS) {
        int idx = act - ACT_KEY, r = idx / KB_COLS, c = idx % KB_COLS;

        textkb_char(a, t, a->s.idea_symbols ? signs[r][c]
                          : textkb_caps(a, t) ? upper[r][c] : lower[r][c]);
        return 1;
    }
    switch (act) {
    case ACT_KEY + KEY_SPACE_IDX:
        textkb_char(a, t, " ");
        return 1;
    case ACT_IDEA_SHIFT:
        a->s.idea_caps = !textkb_caps(a, t);
        return 1;
    case ACT_IDEA_LAYER:
        a->s.idea_symbols = !a->s.idea_symbols;
        return 1;
    case ACT_IDEA_NEWLINE:
        textkb_char(a, t, "\n");
        return 1;
    case ACT_BACKSPACE: {
        size_t n = strlen(t->f);

        if (n > 0) {
            n--;
            while (n > 0 && ((unsigned char)t->f[n] & 0xc0) == 0x80)
                n--;
            t->f[n] = '\0';
        }
        a->s.field_err = NULL;
        return 1;
    }
    }
    return 0;
}

static int key_pitch(const app_t *a)
{
    int p = (a->w - 2 * 24 + KB_GAP) / KB_COLS;

    return p < 110 ? p : 110;
}

/* A key of the last row: its words, or its sign when the words do not fit
 * (the largest text); the words stay its name (scripts, audio mode). */
static void special_key(app_t *a, ui_rect_t r, const char *words, const char *sign, int act,
                        int group)
{
    const char *label = app_button_w(a, words, BTN_SECONDARY, 0) <= r.w ? words : sign;

    app_button(a, r, label, label == words ? NULL : words, act, BTN_SECONDARY, 1);
    a->dl.ctls[a->dl.nctl - 1].group = group;
}

void textkb_draw(app_t *a, const textkb_t *t, int y)
{
    int pitch = key_pitch(a), kw = pitch - KB_GAP, rowp = KB_KEY_H + KB_GAP;
    int caps = textkb_caps(a, t), x0 = (a->w - (KB_COLS * pitch - KB_GAP)) / 2, r, c, x, sp;
    int sy = y + KB_ROWS * rowp, g = 2 * KB_ROWS + 1;

    for (r = 0; r < KB_ROWS; r++)
        for (c = 0; c < KB_COLS; c++) {
            const char *ch = a->s.idea_symbols ? signs[r][c] : caps ? upper[r][c] : lower[r][c];
            ui_rect_t k = {x0 + c * pitch, y + r * rowp, kw, KB_KEY_H};

            app_button(a, k, ch, NULL, ACT_KEY + r * KB_COLS + c, BTN_KEY, 1);
            a->dl.ctls[a->dl.nctl - 1].ch = a->dl.ctls[a->dl.nctl - 1].label;
            /* scanning: half a row at a time (six keys), then the key */
            a->dl.ctls[a->dl.nctl - 1].group = 1 + 2 * r + (c >= KB_COLS / 2);
        }
    /* the last row: capitals, the signs, space, line feed, erase */
    x = x0;
    if (!a->s.idea_symbols) {
        app_button(a, (ui_rect_t){x, sy, 2 * pitch - KB_GAP, KB_KEY_H}, "\xe2\x87\xa7",
                   tr(a, "kb.caps"), ACT_IDEA_SHIFT, caps ? BTN_CHOSEN : BTN_SECONDARY, 1);
        a->dl.ctls[a->dl.nctl - 1].group = g;
        x += 2 * pitch;
    }
    app_button(a, (ui_rect_t){x, sy, (a->s.idea_symbols ? 4 : 2) * pitch - KB_GAP, KB_KEY_H},
               a->s.idea_symbols ? "abc" : "123", tr(a, a->s.idea_symbols ? "kb.letters"
                                                                          : "kb.signs"),
               ACT_IDEA_LAYER, BTN_SECONDARY, 1);
    a->dl.ctls[a->dl.nctl - 1].group = g;
    x += (a->s.idea_symbols ? 4 : 2) * pitch;
    sp = t->newline ? 3 : 6;
    app_button(a, (ui_rect_t){x, sy, sp * pitch - KB_GAP, KB_KEY_H}, tr(a, "kb.space"), NULL,
               ACT_KEY + KEY_SPACE_IDX, BTN_SECONDARY, 1);
    a->dl.ctls[a->dl.nctl - 1].ch = " ";
    a->dl.ctls[a->dl.nctl - 1].group = g + 1;
    x += sp * pitch;
    if (t->newline) {
        special_key(a, (ui_rect_t){x, sy, 3 * pitch - KB_GAP, KB_KEY_H}, tr(a, "kb.newline"),
                    "\xe2\x86\xb5", ACT_IDEA_NEWLINE, g + 1);
        a->dl.ctls[a->dl.nctl - 1].ch = "\n";
        x += 3 * pitch;
    }
    special_key(a, (ui_rect_t){x, sy, 2 * pitch - KB_GAP, KB_KEY_H}, tr(a, "kb.backspace"),
                "\xe2\x8c\xab", ACT_BACKSPACE, g + 1);
}

int textkb_lines(app_t *a, const char *val, int x, int y, int w, int fs, int rows, int *last_w)
{
    static size_t st[TEXTKB_LINES_MAX], ln[TEXTKB_LINES_MAX];
    int n = ui_wrap(&a->dl, val, fs, 0, w, st, ln, TEXTKB_LINES_MAX), i, first,
        lh = ui_line_h(fs);
    size_t len = strlen(val);
    char line[1200];

    if (n > TEXTKB_LINES_MAX)
        n = TEXTKB_LINES_MAX;
    /* a line feed at the end opens an empty line for the caret */
    if (len > 0 && val[len - 1] == '\n' && n < TEXTKB_LINES_MAX) {
        st[n] = len;
        ln[n] = 0;
        n++;
    }
    first = n > rows ? n - rows : 0;
    *last_w = 0;
    for (i = first; i < n; i++) {
        size_t l = ln[i] < sizeof line - 1 ? ln[i] : sizeof line - 1;

        memcpy(line, val + st[i], l);
        line[l] = '\0';
        if (l > 0)
            ui_text(&a->dl, x, y + (i - first) * lh, w, line, fs, 0, a->theme.text, AL_LEFT, 1);
        if (i == n - 1)
            *last_w = l > 0 ? ui_text_w(&a->dl, line, fs, 0) : 0;
    }
    return n;
}
