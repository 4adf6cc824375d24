/* render_sdl.h - replays a draw command list onto an SDL_Surface with
 * SDL2_ttf (software only), measures text for layout, saves PNGs. */
#ifndef RENDER_SDL_H
#define RENDER_SDL_H

#include <SDL.h>

#include "draw.h"

typedef struct render_s render_t;

/* Opens the fonts DejaVuSans.ttf and DejaVuSans-Bold.ttf of `fontdir`
 * (TTF_Init must have been called). BN_EIO with `why`. */
int render_open(render_t **out, const char *fontdir, char *why, size_t whylen);
void render_close(render_t *r);

/* Canvas pixels per layout pixel (default 1): screens lay out for a
 * canvas whose shorter side is 1080 px, the renderer scales (fonts are
 * rendered at the scaled size, not stretched). Drops the text cache. */
void render_set_zoom(render_t *r, double zoom);

/* The text measurer backed by TTF_SizeUTF8, in layout pixels (valid while
 * r lives). */
const ui_measure_t *render_measure(render_t *r);

/* Draws the whole list onto dst (ARGB8888). */
void render_draw(render_t *r, const ui_dl_t *dl, SDL_Surface *dst);

/* Drops cached text images and measured widths (their keys hold the
 * texts of a session), wiping the copies. */
void render_forget(render_t *r);

/* Saves src as PNG; scaled down to `width` pixels wide when 0 < width < src->w. */
int render_save_png(SDL_Surface *src, const char *path, int width);

/* Compares two PNG files pixel by pixel (RGB): the mean absolute
 * difference over all channels, as a fraction of 255, and the fraction of
 * pixels with a channel off by more than 32. BN_EIO if either cannot be
 * read, BN_EINVAL if their sizes differ. */
int render_compare_png(const char *path_a, const char *path_b, double *mad, double *off);

#endif
