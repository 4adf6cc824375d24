/* app.c - the kiosk's state machine: events, focus, inactivity, chrome. */
#include "app.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/platform_util.h>

#include "bn_err.h"
#include "key.h"
#include "rng.h"
#include "screens/screens.h"

typedef struct screen_s {
    const char *name;
    void (*draw)(app_t *a);
    void (*act)(app_t *a, int act);
} screen_t;

static const screen_t screens[SCR__COUNT] = {
    [SCR_WELCOME] = {"welcome", scr_welcome_draw, scr_welcome_act},
    [SCR_IDENTITY] = {"identity", scr_identity_draw, scr_identity_act},
    [SCR_PROJECTS] = {"projects", scr_projects_draw, scr_projects_act},
    [SCR_DETAIL] = {"detail", scr_detail_draw, scr_detail_act},
    [SCR_REVIEW] = {"review", scr_review_draw, scr_review_act},
    [SCR_RECEIPT] = {"receipt", scr_receipt_draw, scr_receipt_act},
    [SCR_MESSAGE] = {"message", scr_message_draw, scr_message_act},
    [SCR_OUTOFSERVICE] = {"outofservice", scr_outofservice_draw, scr_outofservice_act},
};

static const ui_theme_t theme_default = {
    .bg = {0xf4, 0xf2, 0xed, 255},
    .surface = {0xff, 0xff, 0xff, 255},
    .text = {0x1a, 0x1a, 0x1a, 255},
    .muted = {0x3d, 0x3d, 0x3d, 255},
    .accent = {0x0a, 0x4f, 0x99, 255},
    .on_accent = {0xff, 0xff, 0xff, 255},
    .border = {0x6b, 0x6b, 0x6b, 255},
    .chosen_bg = {0xe3, 0xee, 0xfa, 255},
    .warn_bg = {0xff, 0xf1, 0xdc, 255},
    .warn_border = {0xa8, 0x52, 0x00, 255},
    .focus = {0x00, 0x00, 0x00, 255},
    .dim = {0x1a, 0x1a, 0x1a, 170},
    .disabled = {0xd6, 0xd3, 0xcc, 255},
    .scale = 100,
};

const char *app_screen_name(scr_t s)
{
    return s >= 0 && s < SCR__COUNT ? screens[s].name : "?";
}

int app_init(app_t *a, const char *assets, const ui_measure_t *m, int w, int h, char *why,
             size_t whylen)
{
    static const char *codes[] = {"fr", "en"};
    char path[1024];
    struct dirent **names = NULL;
    int i, n, rc = 0;

    memset(a, 0, sizeof *a);
    a->w = w;
    a->h = h;
    a->warn_ms = 60000;
    a->reset_ms = 90000;
    a->theme = theme_default;
    a->focus = -1;
    a->dirty = 1;
    a->s.commune = -1;
    a->s.territory = -1;
    for (i = 0; i < 2; i++) {
        snprintf(path, sizeof path, "%s/i18n/%s.txt", assets, codes[i]);
        if ((rc = i18n_load(path, &a->cat[i], why, whylen)) != 0)
            goto fail;
        memcpy(a->lang_code[i], codes[i], 3);
    }
    a->n_langs = 2;
    /* Adding a language is adding a file: any other xx.txt, in name order. */
    snprintf(path, sizeof path, "%s/i18n", assets);
    n = scandir(path, &names, NULL, alphasort);
    for (i = 0; i < n; i++) {
        const char *f = names[i]->d_name;
        if (a->n_langs < APP_MAX_LANGS && strlen(f) == 6 && strcmp(f + 2, ".txt") == 0 &&
            strncmp(f, "fr", 2) != 0 && strncmp(f, "en", 2) != 0) {
            snprintf(path, sizeof path, "%s/i18n/%s", assets, f);
            if ((rc = i18n_load(path, &a->cat[a->n_langs], why, whylen)) != 0)
                break;
            memcpy(a->lang_code[a->n_langs], f, 2);
            a->lang_code[a->n_langs][2] = '\0';
            a->n_langs++;
        }
    }
    for (i = 0; i < n; i++)
        free(names[i]);
    free(names);
    if (rc != 0)
        goto fail;
    if ((rc = dl_init(&a->dl, m, w, h)) != 0)
        goto fail;
    app_out_of_service(a, "no campaign loaded");
    return 0;
fail:
    app_free(a);
    return rc;
}

void app_free(app_t *a)
{
    int i;

    for (i = 0; i < APP_MAX_LANGS; i++)
        i18n_free(a->cat[i]);
    if (a->commune_norm != NULL)
        for (i = 0; a->pkg != NULL && i < a->pkg->n_communes; i++)
            free(a->commune_norm[i]);
    free(a->commune_norm);
    free(a->commune_order);
    store_close(a->store);
    pkg_free(a->pkg);
    key_free(a->kiosk);
    rng_close(a->rng);
    mbedtls_platform_zeroize(a->secret, sizeof a->secret);
    mbedtls_platform_zeroize(&a->s, sizeof a->s);
    if (a->dl.arena != NULL)
        dl_free(&a->dl);
    memset(a, 0, sizeof *a);
}

void app_out_of_service(app_t *a, const char *reason)
{
    snprintf(a->oos_reason, sizeof a->oos_reason, "%s", reason);
    app_reset_session(a);
    a->scr = SCR_OUTOFSERVICE;
}

const char *tr(app_t *a, const char *key)
{
    const char *t = i18n_get(a->cat[a->lang], key);
    static char miss[80];

    if (t != NULL)
        return t;
    a->missing_keys++;
    snprintf(a->last_missing, sizeof a->last_missing, "%s", key);
    snprintf(miss, sizeof miss, "[%s]", key);
    return miss;
}

const char *trf(app_t *a, char *buf, size_t cap, const char *key, const char *const *kv)
{
    i18n_format(buf, cap, tr(a, key), kv);
    return buf;
}

const char *app_ptext(const app_t *a, const pkg_text_t *t)
{
    int i = a->pkg != NULL ? pkg_lang(a->pkg, a->lang_code[a->lang]) : 0;

    return t->s[i] != NULL ? t->s[i] : (t->s[0] != NULL ? t->s[0] : "");
}

void app_go(app_t *a, scr_t s)
{
    a->scr = s;
    a->focus = -1;
    a->dirty = 1;
    a->last_input = a->now;
    a->warning = 0;
}

void app_reset_session(app_t *a)
{
    /* Secrecy invariant 3: nothing of the session survives it. */
    mbedtls_platform_zeroize(&a->s, sizeof a->s);
    a->s.commune = -1;
    a->s.territory = -1;
    if (a->dl.arena != NULL)
        dl_wipe(&a->dl);
    a->session_epoch++;
    a->lang = 0;
    app_go(a, a->pkg != NULL && a->scr != SCR_OUTOFSERVICE ? SCR_WELCOME : a->scr);
}

/* --- input ------------------------------------------------------------------ */

static void touched(app_t *a)
{
    a->last_input = a->now;
    if (a->warning) {
        a->warning = 0;
        a->dirty = 1;
    }
}

void app_action(app_t *a, int act)
{
    if (act >= ACT_LANG && act < ACT_LANG + a->n_langs) {
        a->lang = act - ACT_LANG;
        a->dirty = 1;
        return;
    }
    if (act == ACT_STAY) {
        a->warning = 0;
        a->dirty = 1;
        return;
    }
    screens[a->scr].act(a, act);
    a->dirty = 1;
}

void app_tap(app_t *a, int x, int y)
{
    int i, was_warning = a->warning;

    app_draw(a);
    i = dl_hit(&a->dl, x, y);
    touched(a);
    if (was_warning && i < 0)
        return; /* a tap anywhere dismisses the warning, and does nothing else */
    if (i >= 0) {
        a->focus = -1;
        app_action(a, a->dl.ctls[i].action);
    }
}

static int focusable(const ui_ctl_t *c)
{
    return c->enabled && c->label[0] != '\0';
}

static void move_focus(app_t *a, int dir)
{
    int n = a->dl.nctl, i, k;

    if (n == 0)
        return;
    i = a->focus;
    for (k = 0; k < n; k++) {
        if (i < 0)
            i = dir > 0 ? 0 : n - 1;
        else
            i = (i + dir + n) % n;
        if (focusable(&a->dl.ctls[i])) {
            a->focus = i;
            a->dirty = 1;
            return;
        }
    }
}

void app_key(app_t *a, app_key_t k)
{
    int i;

    app_draw(a);
    touched(a);
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
        /* fall through */
    case KEY_ENTER:
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
        app_action(a, ACT_BACK);
        break;
    case KEY_BACKSPACE:
        app_action(a, ACT_BACKSPACE);
        break;
    }
}

void app_char(app_t *a, const char *utf8)
{
    touched(a);
    if (a->scr == SCR_IDENTITY) {
        scr_identity_char(a, utf8);
        a->dirty = 1;
    }
}

void app_tick(app_t *a, uint32_t now)
{
    uint32_t idle;

    a->now = now;
    if (a->scr == SCR_WELCOME || a->scr == SCR_OUTOFSERVICE)
        return;
    idle = now - a->last_input;
    if (a->scr == SCR_RECEIPT) {
        if (idle >= a->warn_ms)
            app_reset_session(a);
        return;
    }
    if (idle >= a->reset_ms) {
        app_reset_session(a);
    } else if (idle >= a->warn_ms) {
        uint32_t left = (a->reset_ms - idle + 999) / 1000;
        if (!a->warning || left != a->warning_shown_s) {
            a->warning = 1;
            a->warning_shown_s = left; /* redraw once a second, for the countdown */
            a->dirty = 1;
        }
    }
}

/* --- drawing ---------------------------------------------------------------- */

int app_sz(const app_t *a, int px)
{
    return px * a->theme.scale / 100;
}

void app_button(app_t *a, ui_rect_t r, const char *label, const char *name, int action,
                btn_style_t style, int enabled)
{
    const ui_theme_t *t = &a->theme;
    ui_color_t fill = t->surface, fg = t->text;
    int size = app_sz(a, style == BTN_KEY ? 40 : 34), th, radius = 14;

    switch (style) {
    case BTN_PRIMARY:
        fill = t->accent;
        fg = t->on_accent;
        break;
    case BTN_CHOSEN:
        fill = t->accent;
        fg = t->on_accent;
        break;
    case BTN_SECONDARY:
    case BTN_KEY:
        break;
    }
    if (!enabled) {
        fill = t->disabled;
        fg = t->muted;
    }
    dl_rrect(&a->dl, r, radius, fill);
    if (style == BTN_SECONDARY || style == BTN_KEY)
        dl_ring(&a->dl, r, radius, 3, t->border);
    th = ui_text_h(&a->dl, label, size, 1, r.w - 24, 2);
    ui_text(&a->dl, r.x + 12, r.y + (r.h - th) / 2, r.w - 24, label, size, 1, fg, AL_CENTER, 2);
    dl_control(&a->dl, r, action, label, name, NULL, enabled, style == BTN_PRIMARY);
}

int app_heading(app_t *a, int x, int y, int w, const char *s)
{
    return ui_text(&a->dl, x, y, w, s, app_sz(a, 52), 1, a->theme.text, AL_LEFT, 0);
}

int app_para(app_t *a, int x, int y, int w, const char *s)
{
    return ui_text(&a->dl, x, y, w, s, app_sz(a, 34), 0, a->theme.text, AL_LEFT, 0);
}

int app_notice(app_t *a, int x, int y, int w, const char *s)
{
    int size = app_sz(a, 32), pad = 20, mark = 56;
    int th = ui_text_h(&a->dl, s, size, 0, w - 2 * pad - mark, 0), h = th + 2 * pad;
    ui_rect_t r = {x, y, w, h};

    dl_rrect(&a->dl, r, 12, a->theme.warn_bg);
    dl_ring(&a->dl, r, 12, 4, a->theme.warn_border);
    dl_rrect(&a->dl, (ui_rect_t){x + pad, y + (h - 40) / 2, 40, 40}, 20, a->theme.warn_border);
    ui_text(&a->dl, x + pad, y + (h - 40) / 2 + 2, 40, "!", app_sz(a, 30), 1,
            a->theme.on_accent, AL_CENTER, 1);
    ui_text(&a->dl, x + pad + mark, y + pad, w - 2 * pad - mark, s, size, 0, a->theme.text,
            AL_LEFT, 0);
    return h;
}

int app_top_bar(app_t *a)
{
    const ui_theme_t *t = &a->theme;
    int bh = 112, bw = 230, i, x;
    const char *title = a->pkg != NULL ? app_ptext(a, &a->pkg->title) : "borne";

    dl_rect(&a->dl, (ui_rect_t){0, 0, a->w, bh}, t->surface);
    dl_rect(&a->dl, (ui_rect_t){0, bh - 3, a->w, 3}, t->border);
    x = a->w - APP_MARGIN - a->n_langs * (bw + 16) + 16;
    ui_text(&a->dl, APP_MARGIN, (bh - ui_line_h(app_sz(a, 30))) / 2, x - APP_MARGIN - 32, title,
            app_sz(a, 30), 1, t->text, AL_LEFT, 1);
    for (i = 0; i < a->n_langs; i++) {
        const char *name = i18n_get(a->cat[i], "lang.name");
        app_button(a, (ui_rect_t){x + i * (bw + 16), 12, bw, 88}, name != NULL ? name : "?", NULL,
                   ACT_LANG + i, i == a->lang ? BTN_CHOSEN : BTN_SECONDARY, 1);
    }
    return bh;
}

static void draw_warning(app_t *a)
{
    const ui_theme_t *t = &a->theme;
    int w = 1100, h, x = (a->w - w) / 2, y, th;
    char buf[256], n[16];
    uint32_t idle = a->now - a->last_input;
    uint32_t left = idle < a->reset_ms ? (a->reset_ms - idle + 999) / 1000 : 0;
    const char *kv[] = {"n", n, NULL};

    snprintf(n, sizeof n, "%u", (unsigned)left);
    dl_clear_controls(&a->dl);
    dl_rect(&a->dl, (ui_rect_t){0, 0, a->w, a->h}, t->dim);
    trf(a, buf, sizeof buf, "idle.body", kv);
    th = ui_text_h(&a->dl, buf, app_sz(a, 34), 0, w - 128, 0);
    h = 64 + ui_line_h(app_sz(a, 52)) + 24 + th + 40 + 104 + 56;
    y = (a->h - h) / 2;
    dl_rrect(&a->dl, (ui_rect_t){x, y, w, h}, 24, t->surface);
    y += 64;
    y += app_heading(a, x + 64, y, w - 128, tr(a, "idle.title")) + 24;
    y += app_para(a, x + 64, y, w - 128, buf) + 40;
    app_button(a, (ui_rect_t){x + 64, y, w - 128, 104}, tr(a, "idle.stay"), NULL, ACT_STAY,
               BTN_PRIMARY, 1);
}

int app_draw(app_t *a)
{
    if (!a->dirty)
        return 0;
    dl_reset(&a->dl);
    dl_rect(&a->dl, (ui_rect_t){0, 0, a->w, a->h}, a->theme.bg);
    screens[a->scr].draw(a);
    if (a->warning)
        draw_warning(a);
    if (a->focus >= a->dl.nctl)
        a->focus = -1;
    if (a->focus >= 0) {
        ui_rect_t r = a->dl.ctls[a->focus].r;
        dl_ring(&a->dl, (ui_rect_t){r.x - 10, r.y - 10, r.w + 20, r.h + 20}, 22, 6,
                a->theme.focus);
    }
    a->dirty = 0;
    return 1;
}
