/* identity.c - "Who are you": last name, first names, birth date, commune,
 * one question a page, with an on-screen AZERTY keyboard (accents, hyphen,
 * apostrophe), a digit pad for the date and type-ahead for the commune;
 * then the checks: age, commune -> territory, already taken part. */
#include <stdio.h>
#include <string.h>

#include <mbedtls/platform_util.h>

#include "bn_err.h"
#include "day.h"
#include "pseud.h"
#include "screens.h"

#define KEY_SPACE_IDX 99
#define KEY_DIGIT_IDX 100
#define KB_COLS 11
#define KB_ROWS 5

/* The AZERTY keyboard, upper case; NULL ends a row. */
static const char *const kb[KB_ROWS][KB_COLS + 1] = {
    {"A", "Z", "E", "R", "T", "Y", "U", "I", "O", "P", NULL},
    {"Q", "S", "D", "F", "G", "H", "J", "K", "L", "M", NULL},
    {"W", "X", "C", "V", "B", "N", "'", "-", NULL},
    {"É", "È", "Ê", "Ë", "À", "Â", "Ç", "Ï", "Î", "Ô", "Ù", NULL},
    {"Û", "Ü", "Œ", NULL},
};

static const char *key_ch(int idx)
{
    int r, c, i = 0;

    for (r = 0; r < KB_ROWS; r++)
        for (c = 0; kb[r][c] != NULL; c++, i++)
            if (i == idx)
                return kb[r][c];
    return NULL;
}

/* --- text editing --------------------------------------------------------- */

static void field_pop(char *f)
{
    size_t n = strlen(f);

    if (n == 0)
        return;
    n--;
    while (n > 0 && ((unsigned char)f[n] & 0xc0) == 0x80)
        n--;
    f[n] = '\0';
}

void scr_identity_char(app_t *a, const char *utf8)
{
    char *f = a->s.field[a->s.step];
    size_t n = strlen(f), k = strlen(utf8);
    char up[8];

    a->s.field_err = NULL;
    if (k == 0 || k >= sizeof up)
        return;
    memcpy(up, utf8, k + 1);
    if (a->s.step == ID_BIRTH) {
        if (k != 1 || up[0] < '0' || up[0] > '9' || n >= 8)
            return;
    } else {
        if (k == 1 && up[0] >= 'a' && up[0] <= 'z')
            up[0] = (char)(up[0] - 'a' + 'A');
        if (k == 1 && !(up[0] >= 'A' && up[0] <= 'Z') && up[0] != ' ' && up[0] != '-' &&
            up[0] != '\'')
            return;
        if (n + k >= APP_NAME_MAX - 4 || (up[0] == ' ' && (n == 0 || f[n - 1] == ' ')))
            return;
    }
    memcpy(f + n, up, k + 1);
    if (a->s.step == ID_COMMUNE)
        a->s.commune = -1;
}

/* --- commune type-ahead ------------------------------------------------------- */

/* Up to max communes whose normalised name starts with the normalised query;
 * returns how many match in all. */
static int suggest(const app_t *a, const char *query, int *out, int max)
{
    char q[APP_NAME_MAX * 2];
    size_t ql;
    int i, n = 0;

    if (pseud_normalise(query, q, sizeof q) != 0)
        return 0;
    ql = strlen(q);
    for (i = 0; i < a->pkg->n_communes; i++) {
        int c = a->commune_order[i];
        if (strncmp(a->commune_norm[c], q, ql) == 0) {
            if (n < max)
                out[n] = c;
            n++;
        }
    }
    return n;
}

/* --- checks ----------------------------------------------------------------- */

static int birth_ymd(const app_t *a, int *y, int *m, int *d)
{
    const char *f = a->s.field[ID_BIRTH];
    char iso[DAY_TEXT_LEN + 1];
    int ty, tm, td;

    if (strlen(f) != 8)
        return -1;
    snprintf(iso, sizeof iso, "%.4s-%.2s-%.2s", f + 4, f + 2, f);
    /* day_parse_ymd, not day_from_ymd: birth dates before 1970 are fine */
    if (day_parse_ymd(iso, y, m, d) != 0)
        return -1;
    day_to_ymd(a->today, &ty, &tm, &td);
    if (*y * 10000 + *m * 100 + *d > ty * 10000 + tm * 100 + td)
        return -1; /* born in the future */
    return 0;
}

/* Checks the current step; 0 when it may go on, else s.field_err says why. */
static int validate(app_t *a)
{
    char norm[APP_NAME_MAX * 2];
    int y, m, d, list[2];

    switch (a->s.step) {
    case ID_LAST:
    case ID_FIRST:
        if (pseud_normalise(a->s.field[a->s.step], norm, sizeof norm) != 0) {
            a->s.field_err = a->s.step == ID_LAST ? "id.err.last" : "id.err.first";
            return -1;
        }
        return 0;
    case ID_BIRTH:
        if (birth_ymd(a, &y, &m, &d) != 0) {
            a->s.field_err = "id.err.birth";
            return -1;
        }
        return 0;
    case ID_COMMUNE:
        if (a->s.commune < 0 && suggest(a, a->s.field[ID_COMMUNE], list, 2) >= 1 &&
            pseud_normalise(a->s.field[ID_COMMUNE], norm, sizeof norm) == 0 &&
            strcmp(a->commune_norm[list[0]], norm) == 0)
            a->s.commune = list[0]; /* typed in full: no need to pick it */
        if (a->s.commune < 0) {
            a->s.field_err = "id.err.commune";
            return -1;
        }
        return 0;
    }
    return -1;
}

/* Age, territory, already taken part: to the projects or to a message. */
static void identity_check(app_t *a)
{
    uint8_t pseud[PSEUD_LEN];
    char birth[DAY_TEXT_LEN + 1], why[160];
    int y, m, d, rc;

    if (birth_ymd(a, &y, &m, &d) != 0)
        return;
    if (day_age(y, m, d, a->today) < a->pkg->min_age) {
        a->s.msg = MSG_TOO_YOUNG;
        app_go(a, SCR_MESSAGE);
        return;
    }
    a->s.territory = pkg_commune_territory(a->pkg, a->s.commune);
    snprintf(birth, sizeof birth, "%04d-%02d-%02d", y, m, d);
    rc = pseud_compute(a->secret, a->pkg->id, a->s.field[ID_LAST], a->s.field[ID_FIRST], birth,
                       pseud);
    if (rc == 0)
        rc = store_has_voted(a->store, a->pkg->id, pseud);
    mbedtls_platform_zeroize(pseud, sizeof pseud);
    mbedtls_platform_zeroize(birth, sizeof birth);
    if (rc == 1) {
        a->s.msg = MSG_ALREADY; /* and nothing more (invariant 4) */
        app_go(a, SCR_MESSAGE);
    } else if (rc == 0) {
        a->s.page = 0;
        app_go(a, SCR_PROJECTS);
    } else {
        snprintf(why, sizeof why, "store: %s", bn_strerror(rc));
        app_out_of_service(a, why);
    }
}

void scr_identity_act(app_t *a, int act)
{
    a->dirty = 1;
    if (act >= ACT_KEY && act < ACT_KEY + KEY_DIGIT_IDX + 10) {
        int idx = act - ACT_KEY;
        char digit[2] = {0, 0};
        if (idx == KEY_SPACE_IDX) {
            scr_identity_char(a, " ");
        } else if (idx >= KEY_DIGIT_IDX) {
            digit[0] = (char)('0' + idx - KEY_DIGIT_IDX);
            scr_identity_char(a, digit);
        } else if (key_ch(idx) != NULL) {
            scr_identity_char(a, key_ch(idx));
        }
        return;
    }
    if (act >= ACT_SUGGEST && act < ACT_SUGGEST + a->pkg->n_communes) {
        a->s.commune = act - ACT_SUGGEST;
        snprintf(a->s.field[ID_COMMUNE], APP_NAME_MAX, "%s", a->pkg->communes[a->s.commune].name);
        a->s.field_err = NULL;
        return;
    }
    switch (act) {
    case ACT_BACKSPACE:
        field_pop(a->s.field[a->s.step]);
        if (a->s.step == ID_COMMUNE)
            a->s.commune = -1;
        a->s.field_err = NULL;
        break;
    case ACT_BACK:
        a->s.field_err = NULL;
        if (a->s.step == 0) {
            app_reset_session(a);
        } else {
            a->s.step--;
            a->focus = -1;
        }
        break;
    case ACT_NEXT:
        if (validate(a) != 0)
            break;
        a->focus = -1;
        if (a->s.step < ID_COMMUNE)
            a->s.step++;
        else
            identity_check(a);
        break;
    }
}

/* --- drawing ------------------------------------------------------------------ */

static void draw_keyboard(app_t *a, int y)
{
    int pitch = 110, kw = 100, kh = 88, rowp = 98, x0 = (a->w - (KB_COLS * pitch - 10)) / 2;
    int r, c, idx = 0;

    for (r = 0; r < KB_ROWS; r++) {
        int x = x0;
        for (c = 0; kb[r][c] != NULL; c++, idx++) {
            ui_rect_t k = {x, y + r * rowp, kw, kh};
            app_button(a, k, kb[r][c], NULL, ACT_KEY + idx, BTN_KEY, 1);
            a->dl.ctls[a->dl.nctl - 1].ch = a->dl.ctls[a->dl.nctl - 1].label;
            x += pitch;
        }
        if (r == 2)
            app_button(a, (ui_rect_t){x, y + r * rowp, 3 * pitch - 10, kh}, tr(a, "kb.backspace"),
                       NULL, ACT_BACKSPACE, BTN_KEY, 1);
        if (r == 4) {
            app_button(a, (ui_rect_t){x, y + r * rowp, 8 * pitch - 10, kh}, tr(a, "kb.space"),
                       NULL, ACT_KEY + KEY_SPACE_IDX, BTN_KEY, 1);
            a->dl.ctls[a->dl.nctl - 1].ch = " ";
        }
    }
}

static void draw_digits(app_t *a, int y)
{
    int kw = 220, kh = 88, gap = 12, x0 = (a->w - (3 * kw + 2 * gap)) / 2, i;
    static const char *const d[10] = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};

    for (i = 1; i <= 9; i++) {
        ui_rect_t k = {x0 + ((i - 1) % 3) * (kw + gap), y + ((i - 1) / 3) * (kh + 10), kw, kh};
        app_button(a, k, d[i], NULL, ACT_KEY + KEY_DIGIT_IDX + i, BTN_KEY, 1);
        a->dl.ctls[a->dl.nctl - 1].ch = d[i];
    }
    app_button(a, (ui_rect_t){x0 + (kw + gap), y + 3 * (kh + 10), kw, kh}, "0", NULL,
               ACT_KEY + KEY_DIGIT_IDX, BTN_KEY, 1);
    a->dl.ctls[a->dl.nctl - 1].ch = d[0];
    app_button(a, (ui_rect_t){x0 + 2 * (kw + gap), y + 3 * (kh + 10), kw, kh},
               tr(a, "kb.backspace"), NULL, ACT_BACKSPACE, BTN_KEY, 1);
}

/* The date as typed into its template: "12/04/AAAA". */
static void birth_display(app_t *a, char *out, size_t cap, size_t *typed_len)
{
    const char *tmpl = tr(a, "id.birth.template"), *f = a->s.field[ID_BIRTH];
    size_t i, k = 0, n = strlen(f), o = 0;

    *typed_len = 0;
    for (i = 0; tmpl[i] != '\0' && o + 1 < cap; i++) {
        if (tmpl[i] != '/' && k < n) {
            out[o++] = f[k++];
            *typed_len = o;
        } else {
            out[o++] = tmpl[i];
            if (tmpl[i] == '/' && k < n)
                *typed_len = o;
        }
    }
    out[o] = '\0';
    if (k == 0)
        *typed_len = 0;
}

void scr_identity_draw(app_t *a)
{
    static const char *const q[ID__COUNT] = {"id.q.last", "id.q.first", "id.q.birth",
                                             "id.q.commune"};
    static const char *const hint[ID__COUNT] = {"id.hint.last", "id.hint.first",
                                                "id.hint.birth", "id.hint.commune"};
    const ui_theme_t *t = &a->theme;
    int top = app_top_bar(a), fw = 1200, fx = (a->w - fw) / 2, y, fs = app_sz(a, 48);
    int kb_y = a->h - 24 - 96 - 24 - (KB_ROWS - 1) * 98 - 88, bar_y = a->h - 24 - 96;
    char buf[256], n1[16], n2[16], shown[64];
    const char *kv[] = {"n", n1, "total", n2, NULL};
    const char *val = a->s.field[a->s.step];
    ui_rect_t field;
    int tw, caret_x;

    snprintf(n1, sizeof n1, "%d", a->s.step + 1);
    snprintf(n2, sizeof n2, "%d", ID__COUNT);
    y = top + 24;
    y += ui_text(&a->dl, fx, y, fw, trf(a, buf, sizeof buf, "id.step", kv), app_sz(a, 28), 0,
                 t->muted, AL_LEFT, 1) + 4;
    y += ui_text(&a->dl, fx, y, fw, tr(a, q[a->s.step]), app_sz(a, 48), 1, t->text, AL_LEFT, 1) +
         8;

    /* the field */
    field = (ui_rect_t){fx, y, fw, 96};
    dl_rrect(&a->dl, field, 12, t->surface);
    dl_ring(&a->dl, field, 12, 4, t->accent);
    if (a->s.step == ID_BIRTH) {
        size_t typed;
        birth_display(a, shown, sizeof shown, &typed);
        ui_text(&a->dl, fx + 28, y + (96 - ui_line_h(fs)) / 2, fw - 56, shown, fs, 1, t->muted,
                AL_LEFT, 1);
        memcpy(buf, shown, typed);
        buf[typed] = '\0';
        if (typed > 0)
            ui_text(&a->dl, fx + 28, y + (96 - ui_line_h(fs)) / 2, fw - 56, buf, fs, 1, t->text,
                    AL_LEFT, 1);
        tw = typed > 0 ? ui_text_w(&a->dl, buf, fs, 1) : 0;
    } else {
        ui_text(&a->dl, fx + 28, y + (96 - ui_line_h(fs)) / 2, fw - 56, val, fs, 1, t->text,
                AL_LEFT, 1);
        tw = val[0] != '\0' ? ui_text_w(&a->dl, val, fs, 1) : 0;
    }
    caret_x = fx + 28 + tw + 4;
    if (caret_x > fx + fw - 20)
        caret_x = fx + fw - 20;
    dl_rect(&a->dl, (ui_rect_t){caret_x, y + 18, 4, 60}, t->text);
    y += 96 + 12;

    /* under the field: commune suggestions, or a hint */
    if (a->s.step == ID_COMMUNE && a->s.commune < 0 && val[0] != '\0') {
        int list[APP_SUGGEST], n = suggest(a, val, list, APP_SUGGEST), i;
        /* the whole width: the longest names ("Noyal-Châtillon-sur-Seiche") fit */
        int sx = APP_MARGIN, sw = (a->w - 2 * APP_MARGIN - 2 * 16) / 3;
        int shown_n = n < APP_SUGGEST ? n : APP_SUGGEST;
        sx = (a->w - shown_n * sw - (shown_n - 1) * 16) / 2; /* centred under the field */
        if (n == 0)
            ui_text(&a->dl, fx, y + 24, fw, tr(a, "id.commune.none"), app_sz(a, 30), 0, t->text,
                    AL_LEFT, 2);
        for (i = 0; i < n && i < APP_SUGGEST; i++)
            app_button(a, (ui_rect_t){sx + i * (sw + 16), y, sw, 88},
                       a->pkg->communes[list[i]].name, NULL, ACT_SUGGEST + list[i],
                       BTN_SECONDARY, 1);
        if (n > APP_SUGGEST) {
            /* more than shown: say so at the end of the question line */
            char more[16];
            const char *mkv[] = {"n", more, NULL};
            snprintf(more, sizeof more, "%d", n);
            ui_text(&a->dl, fx, top + 24, fw, trf(a, buf, sizeof buf, "id.commune.more", mkv),
                    app_sz(a, 28), 0, t->muted, AL_RIGHT, 1);
        }
    } else if (a->s.step == ID_COMMUNE && a->s.commune >= 0) {
        const char *kv2[] = {"commune", a->pkg->communes[a->s.commune].name, "territory",
                             app_ptext(a, &a->pkg->territories[pkg_commune_territory(
                                 a->pkg, a->s.commune)].name), NULL};
        ui_text(&a->dl, fx, y + 24, fw, trf(a, buf, sizeof buf, "id.commune.chosen", kv2),
                app_sz(a, 30), 1, t->text, AL_LEFT, 2);
    } else {
        ui_text(&a->dl, fx, y + 24, fw, tr(a, hint[a->s.step]), app_sz(a, 30), 0, t->muted,
                AL_LEFT, 2);
    }

    if (a->s.step == ID_BIRTH)
        draw_digits(a, kb_y + 98);
    else
        draw_keyboard(a, kb_y);

    /* bottom bar: back, the problem if any, next */
    app_button(a, (ui_rect_t){APP_MARGIN, bar_y, 360, 96}, tr(a, "btn.back"), NULL, ACT_BACK,
               BTN_SECONDARY, 1);
    app_button(a, (ui_rect_t){a->w - APP_MARGIN - 360, bar_y, 360, 96},
               tr(a, a->s.step == ID_COMMUNE ? "btn.continue" : "btn.next"), NULL, ACT_NEXT,
               BTN_PRIMARY, 1);
    if (a->s.field_err != NULL) {
        const char *err = tr(a, a->s.field_err);
        int nw = a->w - 2 * APP_MARGIN - 2 * 360 - 64;
        int nh = ui_text_h(&a->dl, err, app_sz(a, 32), 0, nw - 96, 0) + 40;
        app_notice(a, APP_MARGIN + 360 + 32, bar_y + 48 - nh / 2, nw, err);
    }
}
