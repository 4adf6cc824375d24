/* render_sdl.c - the SDL replay of draw commands: rectangles, rounded
 * shapes, cached text images, QR modules; software surfaces only. */
#include "render_sdl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL_image.h>
#include <SDL_ttf.h>

#include "bn_err.h"

#define FONT_SLOTS 64
#define TEXT_SLOTS 2048
#define WIDTH_SLOTS 8192

typedef struct font_slot_s {
    int size, bold;
    TTF_Font *f;
} font_slot_t;

/* A measured width: layout measures the same prefixes every frame. */
typedef struct width_slot_s {
    char *text;          /* the measured bytes, NUL-terminated */
    uint32_t hash;
    int size, bold, w;
} width_slot_t;

typedef struct text_slot_s {
    char *text;
    int size, bold;
    uint32_t rgba;
    SDL_Surface *s;
} text_slot_t;

struct render_s {
    char regular[1024], bold[1024];
    font_slot_t fonts[FONT_SLOTS];
    text_slot_t texts[TEXT_SLOTS];
    width_slot_t widths[WIDTH_SLOTS];
    ui_measure_t measure;
    SDL_Surface *pixel; /* 1x1, for blended fills */
    double zoom;        /* canvas pixels per layout pixel */
};

/* A layout coordinate on the canvas. */
static int Z(const render_t *r, int v)
{
    return r->zoom == 1.0 ? v : (int)lround(v * r->zoom);
}

/* A layout rectangle on the canvas: both edges scaled, so that adjacent
 * rectangles stay adjacent. */
static ui_rect_t ZR(const render_t *r, ui_rect_t rc)
{
    ui_rect_t o;

    o.x = Z(r, rc.x);
    o.y = Z(r, rc.y);
    o.w = Z(r, rc.x + rc.w) - o.x;
    o.h = Z(r, rc.y + rc.h) - o.y;
    return o;
}

/* The canvas font size of a layout text size. */
static int ZS(const render_t *r, int size)
{
    int s = Z(r, size);

    return s > 6 ? s : 6;
}

static TTF_Font *font(render_t *r, int size, int bold)
{
    int i;

    for (i = 0; i < FONT_SLOTS; i++) {
        font_slot_t *s = &r->fonts[i];
        if (s->f != NULL && s->size == size && s->bold == bold)
            return s->f;
        if (s->f == NULL) {
            s->f = TTF_OpenFont(bold ? r->bold : r->regular, size);
            if (s->f == NULL)
                return NULL;
            TTF_SetFontHinting(s->f, TTF_HINTING_LIGHT);
            s->size = size;
            s->bold = bold;
            return s->f;
        }
    }
    return r->fonts[0].f; /* full: any font rather than none */
}

static uint32_t hash_bytes(const char *s, size_t len, int size, int bold)
{
    uint32_t h = 2166136261u ^ (uint32_t)size * 131u ^ (uint32_t)bold;
    size_t i;

    for (i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static int measure_w(void *ctx, const char *s, size_t len, int size, int bold)
{
    render_t *r = ctx;
    TTF_Font *f;
    char buf[1024], *copy;
    int w = 0, h = 0;
    uint32_t hv;
    width_slot_t *ws;

    if (len == 0)
        return 0;
    if (len >= sizeof buf)
        len = sizeof buf - 1;
    hv = hash_bytes(s, len, size, bold);
    ws = &r->widths[hv % WIDTH_SLOTS];
    if (ws->text != NULL && ws->hash == hv && ws->size == size && ws->bold == bold &&
        strncmp(ws->text, s, len) == 0 && ws->text[len] == '\0')
        return ws->w;
    if ((f = font(r, ZS(r, size), bold)) == NULL)
        return 0;
    memcpy(buf, s, len);
    buf[len] = '\0';
    if (TTF_SizeUTF8(f, buf, &w, &h) != 0)
        return 0;
    /* in layout pixels, rounded up: a text never grows past its measure */
    if (r->zoom != 1.0)
        w = (int)ceil(w / r->zoom);
    if ((copy = malloc(len + 1)) != NULL) {
        memcpy(copy, buf, len + 1);
        if (ws->text != NULL) {
            memset(ws->text, 0, strlen(ws->text));
            free(ws->text);
        }
        ws->text = copy;
        ws->hash = hv;
        ws->size = size;
        ws->bold = bold;
        ws->w = w;
    }
    return w;
}

int render_open(render_t **out, const char *fontdir, char *why, size_t whylen)
{
    render_t *r = calloc(1, sizeof *r);
    TTF_Font *probe;

    *out = NULL;
    if (r == NULL)
        return BN_ENOMEM;
    snprintf(r->regular, sizeof r->regular, "%s/DejaVuSans.ttf", fontdir);
    snprintf(r->bold, sizeof r->bold, "%s/DejaVuSans-Bold.ttf", fontdir);
    probe = font(r, 20, 0);
    if (probe == NULL || font(r, 20, 1) == NULL) {
        bn_fail(why, whylen, BN_EIO, "fonts in %s: %s", fontdir, TTF_GetError());
        render_close(r);
        return BN_EIO;
    }
    r->pixel = SDL_CreateRGBSurfaceWithFormat(0, 1, 1, 32, SDL_PIXELFORMAT_ARGB8888);
    if (r->pixel == NULL) {
        render_close(r);
        return bn_fail(why, whylen, BN_ENOMEM, "surface: %s", SDL_GetError());
    }
    SDL_SetSurfaceBlendMode(r->pixel, SDL_BLENDMODE_BLEND);
    r->zoom = 1.0;
    r->measure.ctx = r;
    r->measure.text_w = measure_w;
    *out = r;
    return 0;
}

void render_forget(render_t *r)
{
    int i;

    for (i = 0; i < WIDTH_SLOTS; i++) {
        width_slot_t *w = &r->widths[i];
        if (w->text != NULL) {
            memset(w->text, 0, strlen(w->text));
            free(w->text);
        }
        memset(w, 0, sizeof *w);
    }
    for (i = 0; i < TEXT_SLOTS; i++) {
        text_slot_t *t = &r->texts[i];
        if (t->text != NULL) {
            memset(t->text, 0, strlen(t->text));
            free(t->text);
        }
        SDL_FreeSurface(t->s);
        memset(t, 0, sizeof *t);
    }
}

void render_close(render_t *r)
{
    int i;

    if (r == NULL)
        return;
    render_forget(r);
    for (i = 0; i < FONT_SLOTS; i++)
        if (r->fonts[i].f != NULL)
            TTF_CloseFont(r->fonts[i].f);
    SDL_FreeSurface(r->pixel);
    free(r);
}

void render_set_zoom(render_t *r, double zoom)
{
    if (zoom > 0.1 && zoom < 10.0 && zoom != r->zoom) {
        r->zoom = zoom;
        render_forget(r);
    }
}

const ui_measure_t *render_measure(render_t *r)
{
    return &r->measure;
}

static uint32_t map(SDL_Surface *dst, ui_color_t c)
{
    return SDL_MapRGBA(dst->format, c.r, c.g, c.b, c.a);
}

static void fill(SDL_Surface *dst, int x, int y, int w, int h, uint32_t px)
{
    SDL_Rect rr = {x, y, w, h};

    if (w > 0 && h > 0)
        SDL_FillRect(dst, &rr, px);
}

static void rect(render_t *r, SDL_Surface *dst, ui_rect_t rc, ui_color_t c)
{
    if (c.a == 255) {
        fill(dst, rc.x, rc.y, rc.w, rc.h, map(dst, c));
    } else {
        SDL_Rect d = {rc.x, rc.y, rc.w, rc.h};
        *(uint32_t *)r->pixel->pixels = SDL_MapRGBA(r->pixel->format, c.r, c.g, c.b, c.a);
        SDL_BlitScaled(r->pixel, NULL, dst, &d);
    }
}

/* Inset of a rounded rectangle's row yy (0..h-1) from its side. */
static int inset(int yy, int h, int radius)
{
    double dy;

    if (radius <= 0)
        return 0;
    if (radius * 2 > h)
        radius = h / 2;
    if (yy < radius)
        dy = radius - yy - 0.5;
    else if (yy >= h - radius)
        dy = yy - (h - radius) + 0.5;
    else
        return 0;
    return (int)lround(radius - sqrt((double)radius * radius - dy * dy));
}

static void rrect(SDL_Surface *dst, ui_rect_t rc, int radius, uint32_t px)
{
    int yy;

    for (yy = 0; yy < rc.h; yy++) {
        int d = inset(yy, rc.h, radius);
        fill(dst, rc.x + d, rc.y + yy, rc.w - 2 * d, 1, px);
    }
}

static void ring(SDL_Surface *dst, ui_rect_t rc, int radius, int thick, uint32_t px)
{
    int yy, ir = radius > thick ? radius - thick : 0;

    for (yy = 0; yy < rc.h; yy++) {
        int d = inset(yy, rc.h, radius);
        if (yy < thick || yy >= rc.h - thick) {
            fill(dst, rc.x + d, rc.y + yy, rc.w - 2 * d, 1, px);
        } else {
            int di = thick + inset(yy - thick, rc.h - 2 * thick, ir);
            fill(dst, rc.x + d, rc.y + yy, di - d, 1, px);
            fill(dst, rc.x + rc.w - di, rc.y + yy, di - d, 1, px);
        }
    }
}

static uint32_t hash(const char *s, int size, int bold, uint32_t rgba)
{
    uint32_t h = 2166136261u ^ (uint32_t)size * 31u ^ (uint32_t)bold ^ rgba * 16777619u;

    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static void text(render_t *r, SDL_Surface *dst, const dcmd_t *d)
{
    uint32_t rgba = (uint32_t)d->c.r << 24 | (uint32_t)d->c.g << 16 | (uint32_t)d->c.b << 8 | d->c.a;
    int size = ZS(r, d->size);
    text_slot_t *t = &r->texts[hash(d->text, size, d->bold, rgba) % TEXT_SLOTS];
    SDL_Rect at = {Z(r, d->r.x), Z(r, d->r.y), 0, 0};

    if (d->text[0] == '\0')
        return;
    if (t->text == NULL || t->size != size || t->bold != d->bold || t->rgba != rgba ||
        strcmp(t->text, d->text) != 0) {
        TTF_Font *f = font(r, size, d->bold);
        SDL_Color c = {d->c.r, d->c.g, d->c.b, d->c.a};
        SDL_Surface *s;
        char *copy;
        if (f == NULL)
            return;
        s = TTF_RenderUTF8_Blended(f, d->text, c);
        copy = strdup(d->text);
        if (s == NULL || copy == NULL) {
            SDL_FreeSurface(s);
            free(copy);
            return;
        }
        if (t->text != NULL) {
            memset(t->text, 0, strlen(t->text));
            free(t->text);
        }
        SDL_FreeSurface(t->s);
        t->text = copy;
        t->size = size;
        t->bold = d->bold;
        t->rgba = rgba;
        t->s = s;
    }
    SDL_BlitSurface(t->s, NULL, dst, &at);
}

static void qr(render_t *r, SDL_Surface *dst, const dcmd_t *d)
{
    ui_rect_t rc = ZR(r, d->r);
    int mod = d->qr_n > 0 ? rc.w / d->qr_n : 0, i, j;
    uint32_t black = SDL_MapRGBA(dst->format, 0, 0, 0, 255);

    for (i = 0; i < d->qr_n; i++)
        for (j = 0; j < d->qr_n; j++)
            if (d->qr[i * d->qr_n + j])
                fill(dst, rc.x + j * mod, rc.y + i * mod, mod, mod, black);
}

static void image(render_t *r, SDL_Surface *dst, const dcmd_t *d)
{
    SDL_Surface *img = IMG_Load(d->text);
    ui_rect_t rc = ZR(r, d->r);
    SDL_Rect to = {rc.x, rc.y, rc.w, rc.h};

    if (img == NULL)
        return;
    SDL_BlitScaled(img, NULL, dst, &to);
    SDL_FreeSurface(img);
}

void render_draw(render_t *r, const ui_dl_t *dl, SDL_Surface *dst)
{
    int i;

    for (i = 0; i < dl->n; i++) {
        const dcmd_t *d = &dl->cmds[i];
        switch (d->kind) {
        case DC_RECT: rect(r, dst, ZR(r, d->r), d->c); break;
        case DC_RRECT: rrect(dst, ZR(r, d->r), Z(r, d->radius), map(dst, d->c)); break;
        case DC_RING:
            ring(dst, ZR(r, d->r), Z(r, d->radius), d->thick > 1 ? Z(r, d->thick) : 1,
                 map(dst, d->c));
            break;
        case DC_TEXT: text(r, dst, d); break;
        case DC_IMAGE: image(r, dst, d); break;
        case DC_QR: qr(r, dst, d); break;
        }
    }
}

int render_save_png(SDL_Surface *src, const char *path, int width)
{
    SDL_Surface *small;
    int rc;

    if (width <= 0 || width >= src->w)
        return IMG_SavePNG(src, path) == 0 ? 0 : BN_EIO;
    small = SDL_CreateRGBSurfaceWithFormat(0, width, src->h * width / src->w, 32,
                                           SDL_PIXELFORMAT_ARGB8888);
    if (small == NULL)
        return BN_ENOMEM;
    SDL_SetSurfaceBlendMode(src, SDL_BLENDMODE_NONE);
    /* linear filtering of SDL_BlitScaled in software mode is nearest; scale
     * in two halvings when possible for a smoother result */
    if (src->w == 2 * width) {
        SDL_Surface *s = src;
        int x, y;
        SDL_LockSurface(small);
        for (y = 0; y < small->h; y++)
            for (x = 0; x < small->w; x++) {
                const uint8_t *p = (const uint8_t *)s->pixels + (2 * y) * s->pitch + 8 * x;
                const uint8_t *q = p + s->pitch;
                uint8_t *o = (uint8_t *)small->pixels + y * small->pitch + 4 * x;
                int k;
                for (k = 0; k < 4; k++)
                    o[k] = (uint8_t)((p[k] + p[k + 4] + q[k] + q[k + 4] + 2) / 4);
            }
        SDL_UnlockSurface(small);
    } else {
        SDL_BlitScaled(src, NULL, small, NULL);
    }
    rc = IMG_SavePNG(small, path) == 0 ? 0 : BN_EIO;
    SDL_FreeSurface(small);
    return rc;
}

int render_compare_png(const char *path_a, const char *path_b, double *mad, double *off)
{
    SDL_Surface *la = IMG_Load(path_a), *lb = IMG_Load(path_b), *a = NULL, *b = NULL;
    double sum = 0;
    size_t nfar = 0;
    int rc = 0, x, y;

    *mad = *off = 1.0;
    if (la == NULL || lb == NULL) {
        rc = BN_EIO;
        goto out;
    }
    a = SDL_ConvertSurfaceFormat(la, SDL_PIXELFORMAT_ARGB8888, 0);
    b = SDL_ConvertSurfaceFormat(lb, SDL_PIXELFORMAT_ARGB8888, 0);
    if (a == NULL || b == NULL) {
        rc = BN_ENOMEM;
        goto out;
    }
    if (a->w != b->w || a->h != b->h) {
        rc = BN_EINVAL;
        goto out;
    }
    for (y = 0; y < a->h; y++) {
        const uint8_t *p = (const uint8_t *)a->pixels + (size_t)y * (size_t)a->pitch;
        const uint8_t *q = (const uint8_t *)b->pixels + (size_t)y * (size_t)b->pitch;
        for (x = 0; x < a->w; x++) {
            int k, worst = 0;
            for (k = 0; k < 3; k++) { /* B, G, R of ARGB8888 in memory */
                int d = abs((int)p[4 * x + k] - (int)q[4 * x + k]);
                sum += d;
                worst = d > worst ? d : worst;
            }
            nfar += worst > 32;
        }
    }
    *mad = sum / (3.0 * 255.0 * a->w * a->h);
    *off = (double)nfar / ((double)a->w * a->h);
out:
    SDL_FreeSurface(la);
    SDL_FreeSurface(lb);
    SDL_FreeSurface(a);
    SDL_FreeSurface(b);
    return rc;
}
