/* draw.c - the draw command list, the control list and text layout. */
#include "draw.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bn_err.h"

#define DL_CMDS 8192
#define DL_CTLS 512
#define DL_TEXTS 1024
#define DL_ARENA (512u * 1024u)

int dl_init(ui_dl_t *dl, const ui_measure_t *m, int w, int h)
{
    memset(dl, 0, sizeof *dl);
    dl->cmds = calloc(DL_CMDS, sizeof *dl->cmds);
    dl->ctls = calloc(DL_CTLS, sizeof *dl->ctls);
    dl->texts = calloc(DL_TEXTS, sizeof *dl->texts);
    dl->arena = calloc(1, DL_ARENA);
    if (dl->cmds == NULL || dl->ctls == NULL || dl->texts == NULL || dl->arena == NULL) {
        dl_free(dl);
        return BN_ENOMEM;
    }
    dl->cap = DL_CMDS;
    dl->capctl = DL_CTLS;
    dl->captext = DL_TEXTS;
    dl->arenacap = DL_ARENA;
    dl->m = m;
    dl->w = w;
    dl->h = h;
    return 0;
}

void dl_free(ui_dl_t *dl)
{
    if (dl->arena != NULL)
        memset(dl->arena, 0, dl->arenacap);
    free(dl->cmds);
    free(dl->ctls);
    free(dl->texts);
    free(dl->arena);
    memset(dl, 0, sizeof *dl);
}

void dl_reset(ui_dl_t *dl)
{
    dl->n = dl->nctl = dl->ntext = 0;
    dl->used = 0;
    dl->overflow = 0;
    dl->ncut = 0;
    dl->cut[0] = '\0';
    dl->layer = 0;
}

void dl_cut(ui_dl_t *dl, const char *s)
{
    if (dl->ncut++ == 0)
        snprintf(dl->cut, sizeof dl->cut, "%s", s);
}

void dl_wipe(ui_dl_t *dl)
{
    /* volatile: the compiler must not drop a wipe of memory read again later */
    volatile char *p = dl->arena;
    size_t i;

    for (i = 0; i < dl->arenacap; i++)
        p[i] = 0;
    dl_reset(dl);
}

void dl_clear_controls(ui_dl_t *dl)
{
    dl->nctl = 0;
    dl->layer = dl->n;
}

const char *dl_str(ui_dl_t *dl, const char *s)
{
    size_t n = strlen(s) + 1;
    char *p;

    if (dl->used + n > dl->arenacap) {
        dl->overflow = 1;
        return "";
    }
    p = dl->arena + dl->used;
    memcpy(p, s, n);
    dl->used += n;
    return p;
}

static dcmd_t *push(ui_dl_t *dl, dc_kind_t kind, ui_rect_t r, ui_color_t c)
{
    dcmd_t *d;

    if (dl->n == dl->cap) {
        dl->overflow = 1;
        return NULL;
    }
    d = &dl->cmds[dl->n++];
    memset(d, 0, sizeof *d);
    d->kind = kind;
    d->r = r;
    d->c = c;
    return d;
}

void dl_rect(ui_dl_t *dl, ui_rect_t r, ui_color_t c)
{
    push(dl, DC_RECT, r, c);
}

void dl_rrect(ui_dl_t *dl, ui_rect_t r, int radius, ui_color_t c)
{
    dcmd_t *d = push(dl, DC_RRECT, r, c);
    if (d != NULL)
        d->radius = radius;
}

void dl_ring(ui_dl_t *dl, ui_rect_t r, int radius, int thick, ui_color_t c)
{
    dcmd_t *d = push(dl, DC_RING, r, c);
    if (d != NULL) {
        d->radius = radius;
        d->thick = thick;
    }
}

void dl_qr(ui_dl_t *dl, ui_rect_t r, const uint8_t *modules, int n)
{
    ui_color_t black = {0, 0, 0, 255};
    dcmd_t *d;
    uint8_t *copy;
    size_t sz = (size_t)n * (size_t)n;

    if (dl->used + sz > dl->arenacap) {
        dl->overflow = 1;
        return;
    }
    copy = (uint8_t *)dl->arena + dl->used;
    memcpy(copy, modules, sz);
    dl->used += sz;
    d = push(dl, DC_QR, r, black);
    if (d != NULL) {
        d->qr = copy;
        d->qr_n = n;
    }
}

int dl_control(ui_dl_t *dl, ui_rect_t r, int action, const char *label, const char *name,
               const char *ch, int enabled, int primary)
{
    ui_ctl_t *c;

    if (dl->nctl == dl->capctl) {
        dl->overflow = 1;
        return -1;
    }
    c = &dl->ctls[dl->nctl];
    c->r = r;
    c->action = action;
    c->label = dl_str(dl, label != NULL ? label : "");
    c->name = name != NULL ? dl_str(dl, name) : NULL;
    c->ch = ch != NULL ? dl_str(dl, ch) : NULL;
    c->enabled = enabled;
    c->primary = primary;
    c->group = 0;
    return dl->nctl++;
}

int ui_line_h(int size)
{
    return size * 13 / 10;
}

int ui_text_w(const ui_dl_t *dl, const char *s, int size, int bold)
{
    return dl->m->text_w(dl->m->ctx, s, strlen(s), size, bold);
}

static size_t utf8_next(const char *s, size_t i)
{
    i++;
    while (((unsigned char)s[i] & 0xc0) == 0x80)
        i++;
    return i;
}

/* French typography: no line break at the space before : ; ! ? » or after «
 * (texts often have a plain space where a no-break space belongs). */
static int glued(const char *s, size_t i, size_t start)
{
    const unsigned char *u = (const unsigned char *)s;

    if (u[i + 1] == ':' || u[i + 1] == ';' || u[i + 1] == '!' || u[i + 1] == '?')
        return 1;
    if (u[i + 1] == 0xc2 && u[i + 2] == 0xbb) /* » */
        return 1;
    return i >= start + 2 && u[i - 2] == 0xc2 && u[i - 1] == 0xab; /* « */
}

static int wrap(const ui_dl_t *dl, const char *s, int size, int bold, int w, size_t *starts,
                size_t *lens, int max, int *broken)
{
    size_t len = strlen(s), start = 0;
    int n = 0;

    while (start < len) {
        size_t end = start, best = 0, i;
        int found = 0;

        /* a line break in the text ends the line */
        const char *nl = memchr(s + start, '\n', len - start);
        size_t limit = nl != NULL ? (size_t)(nl - s) : len;

        /* the longest prefix ending at a space (or the end) that fits */
        for (i = start; i <= limit; i = (i < limit ? utf8_next(s, i) : limit + 1)) {
            /* a line may end before a space, or after a hyphen ("Saint-Aubin-") */
            if (i == limit || (s[i] == ' ' && !glued(s, i, start)) ||
                (i > start + 1 && s[i - 1] == '-')) {
                if (dl->m->text_w(dl->m->ctx, s + start, i - start, size, bold) <= w) {
                    best = i;
                    found = 1;
                } else {
                    break;
                }
            }
        }
        if (found) {
            end = best;
        } else {
            /* one word wider than the line: cut it between characters */
            *broken = 1;
            end = utf8_next(s, start);
            while (end < limit) {
                size_t nx = utf8_next(s, end);
                if (dl->m->text_w(dl->m->ctx, s + start, nx - start, size, bold) > w)
                    break;
                end = nx;
            }
        }
        if (n < max) {
            starts[n] = start;
            lens[n] = end - start;
        }
        n++;
        start = end;
        while (start < len && s[start] == ' ')
            start++;
        if (start < len && s[start] == '\n')
            start++;
    }
    return n;
}

int ui_wrap(const ui_dl_t *dl, const char *s, int size, int bold, int w, size_t *starts,
            size_t *lens, int max)
{
    int broken = 0;

    return wrap(dl, s, size, bold, w, starts, lens, max, &broken);
}

#define WRAP_MAX 64

int ui_text_h(const ui_dl_t *dl, const char *s, int size, int bold, int w, int max_lines)
{
    size_t st[WRAP_MAX], ln[WRAP_MAX];
    int n = ui_wrap(dl, s, size, bold, w, st, ln, WRAP_MAX);

    if (max_lines > 0 && n > max_lines)
        n = max_lines;
    return n * ui_line_h(size);
}

int ui_text(ui_dl_t *dl, int x, int y, int w, const char *s, int size, int bold,
            ui_color_t c, ui_align_t al, int max_lines)
{
    size_t st[WRAP_MAX], ln[WRAP_MAX];
    int broken = 0, n = wrap(dl, s, size, bold, w, st, ln, WRAP_MAX, &broken), i;
    int lh = ui_line_h(size), shown = n > WRAP_MAX ? WRAP_MAX : n;

    if (max_lines > 0 && shown > max_lines)
        shown = max_lines;
    if (broken || shown < n)
        dl_cut(dl, s);
    if (dl->ntext < dl->captext)
        dl->texts[dl->ntext++] = dl_str(dl, s);
    else
        dl->overflow = 1;
    for (i = 0; i < shown; i++) {
        char line[1024];
        size_t l = ln[i] < sizeof line - 4 ? ln[i] : sizeof line - 4;
        int tw, tx = x;
        dcmd_t *d;

        memcpy(line, s + st[i], l);
        line[l] = '\0';
        if (i == shown - 1 && shown < n) {
            /* cut: end with an ellipsis that fits */
            while (l > 0) {
                memcpy(line + l, "\xe2\x80\xa6", 4);
                if (ui_text_w(dl, line, size, bold) <= w)
                    break;
                do
                    l--;
                while (l > 0 && ((unsigned char)line[l] & 0xc0) == 0x80);
            }
        }
        tw = ui_text_w(dl, line, size, bold);
        if (al == AL_CENTER)
            tx = x + (w - tw) / 2;
        else if (al == AL_RIGHT)
            tx = x + w - tw;
        d = push(dl, DC_TEXT, (ui_rect_t){tx, y + i * lh, tw, lh}, c);
        if (d != NULL) {
            d->text = dl_str(dl, line);
            d->size = size;
            d->bold = bold;
        }
    }
    return shown * lh;
}

/* Reading order: a before b (< 0), after (> 0). */
static int reading_cmp(const ui_ctl_t *a, const ui_ctl_t *b)
{
    int ca = a->r.y + a->r.h / 2, cb = b->r.y + b->r.h / 2;
    int h = a->r.h < b->r.h ? a->r.h : b->r.h, d = ca - cb;

    if (2 * (d < 0 ? -d : d) < h)
        return a->r.x - b->r.x; /* one row */
    return d;
}

int dl_reading_order(const ui_dl_t *dl, int *order)
{
    int i, j, n = 0;

    for (i = 0; i < dl->nctl; i++) {
        const ui_ctl_t *c = &dl->ctls[i];
        if (!c->enabled || c->label[0] == '\0')
            continue;
        /* insertion sort: stable, and the lists are short */
        for (j = n; j > 0 && reading_cmp(&dl->ctls[order[j - 1]], c) > 0; j--)
            order[j] = order[j - 1];
        order[j] = i;
        n++;
    }
    return n;
}

int ui_in(ui_rect_t r, int x, int y)
{
    return x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h;
}

int dl_hit(const ui_dl_t *dl, int x, int y)
{
    int i;

    for (i = dl->nctl - 1; i >= 0; i--)
        if (ui_in(dl->ctls[i].r, x, y))
            return dl->ctls[i].enabled ? i : -1;
    return -1;
}

int dl_has_text(const ui_dl_t *dl, const char *s)
{
    int i;

    for (i = 0; i < dl->ntext; i++)
        if (strstr(dl->texts[i], s) != NULL)
            return 1;
    return 0;
}

static int overlap(ui_rect_t a, ui_rect_t b)
{
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

static int inside(ui_rect_t in, ui_rect_t out)
{
    return in.x >= out.x && in.y >= out.y && in.x + in.w <= out.x + out.w &&
           in.y + in.h <= out.y + out.h;
}

static int off_canvas(const ui_dl_t *dl, ui_rect_t r)
{
    return r.x < 0 || r.y < 0 || r.x + r.w > dl->w || r.y + r.h > dl->h;
}

int dl_check(const ui_dl_t *dl, int min_h, char *why, size_t whylen)
{
    int i, j;

    if (dl->overflow)
        return snprintf(why, whylen, "draw list overflow"), -1;
    if (dl->ncut > 0)
        return snprintf(why, whylen, "%d text(s) cut, the first: '%s'", dl->ncut, dl->cut), -1;
    for (i = 0; i < dl->nctl; i++) {
        const ui_ctl_t *c = &dl->ctls[i];
        if (c->label[0] == '\0')
            continue; /* a tap-anywhere area */
        if (c->r.h < min_h)
            return snprintf(why, whylen, "control '%s' is %d px high (< %d)", c->label, c->r.h,
                            min_h), -1;
        if (off_canvas(dl, c->r))
            return snprintf(why, whylen, "control '%s' leaves the screen", c->label), -1;
        for (j = i + 1; j < dl->nctl; j++)
            if (dl->ctls[j].label[0] != '\0' && overlap(c->r, dl->ctls[j].r))
                return snprintf(why, whylen, "controls '%s' (%d,%d %dx%d) and '%s' (%d,%d %dx%d) overlap",
                                c->label, c->r.x, c->r.y, c->r.w, c->r.h, dl->ctls[j].label,
                                dl->ctls[j].r.x, dl->ctls[j].r.y, dl->ctls[j].r.w,
                                dl->ctls[j].r.h), -1;
    }
    for (i = dl->layer; i < dl->n; i++) {
        const dcmd_t *d = &dl->cmds[i];
        if (d->kind != DC_TEXT || d->text[0] == '\0')
            continue;
        if (off_canvas(dl, d->r))
            return snprintf(why, whylen, "text '%s' leaves the screen", d->text), -1;
        for (j = i + 1; j < dl->n; j++) {
            const dcmd_t *e = &dl->cmds[j];
            if (e->kind == DC_TEXT && e->text[0] != '\0' && overlap(d->r, e->r) &&
                !(d->r.x == e->r.x && d->r.y == e->r.y))
                return snprintf(why, whylen, "texts '%s' and '%s' overlap", d->text, e->text),
                       -1;
        }
        for (j = 0; j < dl->nctl; j++) {
            const ui_ctl_t *c = &dl->ctls[j];
            if (c->label[0] != '\0' && overlap(d->r, c->r) && !inside(d->r, c->r))
                return snprintf(why, whylen, "text '%s' crosses the edge of control '%s'",
                                d->text, c->label), -1;
        }
    }
    return 0;
}
