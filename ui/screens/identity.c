/* identity.c - "Who are you": last name, first names, birth date, commune,
 * one question a page, with an on-screen AZERTY keyboard (accents, hyphen,
 * apostrophe), a digit pad for the date and type-ahead for the commune;
 * then the checks: age, commune -> territory, already taken part. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/platform_util.h>

#include "bn_err.h"
#include "day.h"
#include "pseud.h"
#include "screens.h"

#define KEY_SPACE_IDX 99
#define KEY_DIGIT_IDX 100
#define KB_COLS 12
#define KB_ROWS 4

/* The AZERTY keyboard, upper case, 12 columns by 4 rows (so that it fits
 * 1080 px high screens at the largest text size): the letters where AZERTY
 * has them, the apostrophe, the hyphen and the accented capitals at the
 * ends of the rows, then space and backspace (3 columns each) on the last
 * row. NULL ends a row. */
static const char *const kb[KB_ROWS][KB_COLS + 1] = {
    {"A", "Z", "E", "R", "T", "Y", "U", "I", "O", "P", "'", "-", NULL},
    {"Q", "S", "D", "F", "G", "H", "J", "K", "L", "M", "É", "È", NULL},
    {"W", "X", "C", "V", "B", "N", "Ê", "Ë", "À", "Â", "Ç", "Ï", NULL},
    {"Î", "Ô", "Ù", "Û", "Ü", "Œ", NULL},
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
 * returns how many match in all. "St" and "Ste" as a first word stand for
 * "Saint" and "Sainte" ("ST MALO", "Ste-Marie"), as people write them. */
static int suggest(const app_t *a, const char *query, int *out, int max)
{
    char q[APP_NAME_MAX * 2];
    size_t ql;
    int i, n = 0, ab = 0;

    if (pseud_normalise(query, q, sizeof q) != 0)
        return 0;
    ql = strlen(q);
    if (strncmp(q, "st ", 3) == 0 || strcmp(q, "st") == 0)
        ab = 2; /* "st" -> "saint" */
    else if (strncmp(q, "ste ", 4) == 0 || strcmp(q, "ste") == 0)
        ab = 3; /* "ste" -> "sainte" */
    if (ab != 0 && ql + 4 < sizeof q) {
        memmove(q + ab + 3, q + ab, ql - (size_t)ab + 1);
        memcpy(q, ab == 2 ? "saint" : "sainte", (size_t)ab + 3);
        ql += 3;
    }
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

/* Edit distance between a and b (at most 64 bytes each), capped at 9. */
static int edits(const char *a, size_t la, const char *b, size_t lb)
{
    int prev[65], cur[65];
    size_t i, j;

    if (la > 64 || lb > 64)
        return 9;
    for (j = 0; j <= lb; j++)
        prev[j] = (int)j;
    for (i = 1; i <= la; i++) {
        cur[0] = (int)i;
        for (j = 1; j <= lb; j++) {
            int d = prev[j - 1] + (a[i - 1] != b[j - 1]);
            if (prev[j] + 1 < d)
                d = prev[j] + 1;
            if (cur[j - 1] + 1 < d)
                d = cur[j - 1] + 1;
            cur[j] = d;
        }
        memcpy(prev, cur, (lb + 1) * sizeof(int));
    }
    return prev[lb] < 9 ? prev[lb] : 9;
}

/* When nothing starts like the query: up to max communes it nearly spells
 * ("RENES" -> Rennes, "FOUGERE" -> Fougères): one letter wrong, missing or
 * extra (two from 7 letters on), against the whole name or the start of
 * it; the closest first, then in the list's order. Returns how many. */
static int near_misses(const app_t *a, const char *query, int *out, int max)
{
    char q[APP_NAME_MAX * 2];
    size_t ql;
    int i, d, n = 0, best;

    if (pseud_normalise(query, q, sizeof q) != 0 || (ql = strlen(q)) < 3)
        return 0;
    for (best = 1; best <= (ql >= 7 ? 2 : 1) && n < max; best++)
        for (i = 0; i < a->pkg->n_communes && n < max; i++) {
            int c = a->commune_order[i];
            const char *name = a->commune_norm[c];
            size_t nl = strlen(name);
            d = edits(q, ql, name, nl);
            if (nl > ql && edits(q, ql, name, ql) < d)
                d = edits(q, ql, name, ql);
            if (nl > ql + 1 && edits(q, ql, name, ql + 1) < d)
                d = edits(q, ql, name, ql + 1);
            if (d == best)
                out[n++] = c;
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
    day_to_ymd(app_day(a), &ty, &tm, &td);
    if (*y * 10000 + *m * 100 + *d > ty * 10000 + tm * 100 + td)
        return -2; /* born in the future: said so, not "does not exist" */
    return 0;
}

/* Checks the current step; 0 when it may go on, else s.field_err says why. */
static int validate(app_t *a)
{
    char norm[APP_NAME_MAX * 2];
    int y, m, d, rc, list[2];

    switch (a->s.step) {
    case ID_LAST:
    case ID_FIRST:
        if (pseud_normalise(a->s.field[a->s.step], norm, sizeof norm) != 0) {
            a->s.field_err = a->s.step == ID_LAST ? "id.err.last" : "id.err.first";
            return -1;
        }
        return 0;
    case ID_BIRTH:
        if ((rc = birth_ymd(a, &y, &m, &d)) != 0) {
            a->s.field_err = rc == -2 ? "id.err.birth.future" : "id.err.birth";
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
    char birth[DAY_TEXT_LEN + 1], why[160];
    int y, m, d, rc;

    if (birth_ymd(a, &y, &m, &d) != 0)
        return;
    if (day_age(y, m, d, app_day(a)) < a->pkg->min_age) {
        a->s.msg = MSG_TOO_YOUNG;
        app_go(a, SCR_MESSAGE);
        return;
    }
    a->s.territory = pkg_commune_territory(a->pkg, a->s.commune);
    if (a->pkg->kind == PKG_IDEAS) {
        idea_begin(a); /* the limit of ideas per person, then the idea */
        return;
    }
    snprintf(birth, sizeof birth, "%04d-%02d-%02d", y, m, d);
    {
        cast_ctx_t ctx;
        cast_identity_t who;
        char b2[DAY_TEXT_LEN + 1];

        app_cast_inputs(a, &ctx, &who, b2);
        who.birth = birth;
        rc = cast_has_taken_part(&ctx, &who);
        mbedtls_platform_zeroize(ctx.secret, sizeof ctx.secret);
        mbedtls_platform_zeroize(b2, sizeof b2);
    }
    mbedtls_platform_zeroize(birth, sizeof birth);
    if (rc == 1) {
        a->s.msg = MSG_ALREADY; /* and nothing more (DESIGN-S4) */
        app_go(a, SCR_MESSAGE);
    } else if (rc == 0 && a->pkg->kind == PKG_QUESTIONNAIRE) {
        quest_begin(a);
    } else if (rc == 0 && a->pkg->kind == PKG_PETITION) {
        a->s.no_publish = 0;
        app_go(a, SCR_CONSENT);
    } else if (rc == 0 && a->desk) {
        agent_desk_issue(a); /* (CAST-C8) the desk: a voting code, not a ballot */
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
        if (a->focus >= 0) /* chosen with a key: "Continuer" is what comes next */
            a->focus_act = ACT_NEXT;
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
        if (a->s.step == 0 && a->pkg->kind == PKG_PETITION) {
            app_go(a, SCR_PETITION); /* back to its text */
        } else if (a->s.step == 0 && a->pkg->kind == PKG_IDEAS) {
            app_go(a, SCR_IDEAS); /* back to the call */
        } else if (a->s.step == 0 && a->pkg->kind == PKG_QUESTIONNAIRE) {
            app_go(a, SCR_QUEST); /* back to the consultation */
        } else if (a->s.step == 0) {
            app_reset_session(a);
        } else {
            a->s.step--;
            a->scan_home = 1;
            a->focus = -1;
        }
        break;
    case ACT_NEXT:
        if (validate(a) != 0)
            break;
        a->focus = -1;
        if (a->s.step == ID_BIRTH) {
            /* too young: said at once, not after the commune */
            int y, m, d;
            if (birth_ymd(a, &y, &m, &d) == 0 && day_age(y, m, d, app_day(a)) < a->pkg->min_age) {
                a->s.msg = MSG_TOO_YOUNG;
                app_go(a, SCR_MESSAGE);
                break;
            }
        }
        if (a->s.step < ID_COMMUNE) {
            a->s.step++;
            a->scan_home = 1;
        } else
            identity_check(a);
        break;
    }
}

/* --- drawing ------------------------------------------------------------------ */

#define KB_KEY_H 88
#define KB_GAP 8
#define KB_H (KB_ROWS * KB_KEY_H + (KB_ROWS - 1) * KB_GAP)

/* The key pitch: 110 px, less on narrow screens. */
static int key_pitch(const app_t *a)
{
    int p = (a->w - 2 * 24 + KB_GAP) / KB_COLS;

    return p < 110 ? p : 110;
}

static void draw_keyboard(app_t *a, int y)
{
    int pitch = key_pitch(a), kw = pitch - KB_GAP, rowp = KB_KEY_H + KB_GAP;
    int x0 = (a->w - (KB_COLS * pitch - KB_GAP)) / 2, r, c, idx = 0;

    for (r = 0; r < KB_ROWS; r++) {
        int x = x0;
        for (c = 0; kb[r][c] != NULL; c++, idx++) {
            ui_rect_t k = {x, y + r * rowp, kw, KB_KEY_H};
            app_button(a, k, kb[r][c], NULL, ACT_KEY + idx, BTN_KEY, 1);
            a->dl.ctls[a->dl.nctl - 1].ch = a->dl.ctls[a->dl.nctl - 1].label;
            /* scanning: half a row at a time (six keys), then the key */
            a->dl.ctls[a->dl.nctl - 1].group = 1 + 2 * r + (c >= KB_COLS / 2);
            x += pitch;
        }
        if (r == KB_ROWS - 1) {
            app_button(a, (ui_rect_t){x, y + r * rowp, 3 * pitch - KB_GAP, KB_KEY_H},
                       tr(a, "kb.space"), NULL, ACT_KEY + KEY_SPACE_IDX, BTN_SECONDARY, 1);
            a->dl.ctls[a->dl.nctl - 1].ch = " ";
            a->dl.ctls[a->dl.nctl - 1].group = 2 + 2 * r;
            app_button(a, (ui_rect_t){x + 3 * pitch, y + r * rowp, 3 * pitch - KB_GAP, KB_KEY_H},
                       tr(a, "kb.backspace"), NULL, ACT_BACKSPACE, BTN_SECONDARY, 1);
            a->dl.ctls[a->dl.nctl - 1].group = 2 + 2 * r;
        }
    }
}

static void draw_digits(app_t *a, int y)
{
    int kw = app_button_w(a, tr(a, "kb.backspace"), BTN_SECONDARY, 220), kh = KB_KEY_H, gap = 12;
    int x0 = (a->w - (3 * kw + 2 * gap)) / 2, i;
    static const char *const d[10] = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};

    for (i = 1; i <= 9; i++) {
        ui_rect_t k = {x0 + ((i - 1) % 3) * (kw + gap), y + ((i - 1) / 3) * (kh + KB_GAP), kw,
                       kh};
        app_button(a, k, d[i], NULL, ACT_KEY + KEY_DIGIT_IDX + i, BTN_KEY, 1);
        a->dl.ctls[a->dl.nctl - 1].ch = d[i];
        a->dl.ctls[a->dl.nctl - 1].group = 1 + (i - 1) / 3; /* scanning: row by row */
    }
    app_button(a, (ui_rect_t){x0 + (kw + gap), y + 3 * (kh + KB_GAP), kw, kh}, "0", NULL,
               ACT_KEY + KEY_DIGIT_IDX, BTN_KEY, 1);
    a->dl.ctls[a->dl.nctl - 1].ch = d[0];
    a->dl.ctls[a->dl.nctl - 1].group = 4;
    app_button(a, (ui_rect_t){x0 + 2 * (kw + gap), y + 3 * (kh + KB_GAP), kw, kh},
               tr(a, "kb.backspace"), NULL, ACT_BACKSPACE, BTN_SECONDARY, 1);
    a->dl.ctls[a->dl.nctl - 1].group = 4;
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

/* The suggestions that fit on one row (each as wide as its name): how
 * many, their widths and the row's height. */
/* The suggestions, each as wide as its name, placed left to right on one
 * row (two on a portrait screen, which has the room): how many fit, their
 * places (x offset, row) in sx and srow, the height of a row in sh; the
 * height of all the rows is returned in *total_h. */
static int suggest_layout(app_t *a, const int *list, int n, int fw, int *sw, int *sx, int *srow,
                          int *sh, int *total_h)
{
    int max_rows = a->h > a->w ? 2 : 1, shown_n = 0, i, x = 0, row = 0;

    for (i = 0; i < n && i < APP_SUGGEST; i++) {
        sw[i] = app_button_w(a, a->pkg->communes[list[i]].name, BTN_SECONDARY, 240);
        if (sw[i] > fw)
            sw[i] = fw;
        if (x > 0 && x + sw[i] > fw) {
            if (row + 1 >= max_rows)
                break;
            row++;
            x = 0;
        }
        sx[i] = x;
        srow[i] = row;
        x += sw[i] + 16;
        shown_n++;
    }
    *sh = 88;
    for (i = 0; i < shown_n; i++)
        *sh = app_button_h(a, a->pkg->communes[list[i]].name, sw[i], BTN_SECONDARY, *sh);
    *total_h = shown_n > 0 ? (row + 1) * *sh + row * 12 : 0;
    return shown_n;
}

/* Height of what goes under the field (suggestions, chosen commune, hint). */
static int zone_h(app_t *a, const char *val, const int *list, int n, int near, int fw)
{
    static const char *const hint[ID__COUNT] = {"id.hint.last", "id.hint.first",
                                                "id.hint.birth", "id.hint.commune"};
    int sw[APP_SUGGEST], sx[APP_SUGGEST], srow[APP_SUGGEST], sh, th, hs = app_sz(a, 30);

    if (a->s.step == ID_COMMUNE && a->s.commune < 0 && val[0] != '\0') {
        if (n == 0 && near == 0)
            return ui_text_h(&a->dl, tr(a, "id.commune.none"), hs, 0, fw, 0);
        if (n == 0) {
            suggest_layout(a, list, near, fw, sw, sx, srow, &sh, &th);
            return ui_text_h(&a->dl, tr(a, "id.commune.near"), hs, 0, fw, 0) + 8 + th;
        }
        suggest_layout(a, list, n, fw, sw, sx, srow, &sh, &th);
        return th;
    }
    if (a->s.step == ID_COMMUNE && a->s.commune >= 0)
        return ui_line_h(hs) * 2;
    return a->s.field_err != NULL ? 0 : ui_text_h(&a->dl, tr(a, hint[a->s.step]), hs, 0, fw, 0);
}

void scr_identity_draw(app_t *a)
{
    static const char *const q[ID__COUNT] = {"id.q.last", "id.q.first", "id.q.birth",
                                             "id.q.commune"};
    static const char *const hint[ID__COUNT] = {"id.hint.last", "id.hint.first",
                                                "id.hint.birth", "id.hint.commune"};
    const ui_theme_t *t = &a->theme;
    int top = app_top_bar(a), fw = a->w - 2 * APP_MARGIN, fx = APP_MARGIN, y, fs = app_sz_big(a, 48);
    int fh = ui_line_h(fs) + 24, bw_back, bw_next, bar_h, bar_y, kb_y, hs = app_sz(a, 30);
    char buf[256], n1[16], n2[16], shown[64];
    const char *kv[] = {"n", n1, "total", n2, NULL};
    const char *val = a->s.field[a->s.step];
    const char *next = tr(a, a->s.step == ID_COMMUNE ? "btn.continue" : "btn.next");
    int list[APP_SUGGEST], n = 0, near = 0;
    ui_rect_t field;
    int tw, caret_x, show_step, show_q, show_hint = 1;

    /* a long name wraps: the field grows */
    if (a->s.step != ID_BIRTH && val[0] != '\0')
        fh = ui_text_h(&a->dl, val, fs, 1, fw - 56 - 12, 0) + 24;
    if (fh < 96)
        fh = 96;
    /* from the bottom: back and next, then the keyboard or the digit pad */
    bw_back = app_button_w(a, tr(a, "btn.back"), BTN_SECONDARY, 300);
    bw_next = app_button_w(a, next, BTN_PRIMARY, 360);
    bar_h = 96;
    bar_y = a->h - 24 - bar_h;
    kb_y = bar_y - 16 - KB_H;
    if (a->h > a->w) {
        /* portrait: the keyboard under the question, at a fixed place (room
         * for the longest question, a problem and a row of suggestions),
         * the buttons right under it */
        int y0 = top + 16 + ui_line_h(app_sz(a, 28)) * 2 + 4 + 3 * ui_line_h(fs) + 8 + 2 * fh +
                 12 + app_notice_h(a, fw, tr(a, "id.err.birth")) + 12 + 2 * 88 + 16;
        if (y0 < kb_y) {
            kb_y = y0;
            bar_y = kb_y + KB_H + 24;
        }
    }
    app_button(a, (ui_rect_t){APP_MARGIN, bar_y, bw_back, bar_h}, tr(a, "btn.back"), NULL,
               ACT_BACK, BTN_SECONDARY, 1);
    app_button(a, (ui_rect_t){a->w - APP_MARGIN - bw_next, bar_y, bw_next, bar_h}, next, NULL,
               ACT_NEXT, BTN_PRIMARY, 1);
    if (a->s.step == ID_BIRTH)
        draw_digits(a, kb_y);
    else
        draw_keyboard(a, kb_y);

    /* from the top: the step (or how many communes match), the question */
    snprintf(n1, sizeof n1, "%d", a->s.step + 1);
    snprintf(n2, sizeof n2, "%d", ID__COUNT);
    trf(a, buf, sizeof buf, "id.step", kv);
    if (a->s.step == ID_COMMUNE && a->s.commune < 0 && val[0] != '\0') {
        n = suggest(a, val, list, APP_SUGGEST);
        if (n == 0)
            near = near_misses(a, val, list, APP_SUGGEST);
        if (n > APP_SUGGEST) {
            /* more than shown: say so instead of the step */
            const char *mkv[] = {"n", n1, NULL};
            snprintf(n1, sizeof n1, "%d", n);
            trf(a, buf, sizeof buf, "id.commune.more", mkv);
        }
    }
    /* what fits above the keyboard: when the screen is short (a 1080 px
     * high screen at the largest text size), the step line goes first, then
     * the question gives way to the problem, which says what to do */
    {
        const char *err = a->s.field_err != NULL ? tr(a, a->s.field_err) : NULL;
        int sh = ui_text_h(&a->dl, buf, app_sz(a, 28), 0, fw, 0) + 4;
        int qh = ui_text_h(&a->dl, tr(a, q[a->s.step]), fs, 1, fw, 0) + 8;
        int nh = err != NULL ? app_notice_h(a, fw, err) + 12 : 0;
        int zh = zone_h(a, val, list, n, near, fw);
        int room = kb_y - 16 - (top + 16) - fh - 12;
        show_step = 1;
        show_q = 1;
        if (sh + qh + nh + zh > room)
            show_step = 0;
        if (qh + nh + zh > room && (err != NULL || near > 0)) /* the problem says what to do */
            show_q = 0;
        if (!show_q && nh + zh > room)
            show_hint = 0;
    }
    y = top + 16;
    if (show_step)
        y += ui_text(&a->dl, fx, y, fw, buf, app_sz(a, 28), 0, t->muted, AL_LEFT, 0) + 4;
    if (show_q)
        y += ui_text(&a->dl, fx, y, fw, tr(a, q[a->s.step]), fs, 1, t->text, AL_LEFT, 0) + 8;

    /* the field */
    field = (ui_rect_t){fx, y, fw, fh};
    dl_rrect(&a->dl, field, 12, t->surface);
    dl_ring(&a->dl, field, 12, 4, t->accent);
    if (a->s.step == ID_BIRTH) {
        /* what is typed in bold, what is left of the template ("AAAA") in
         * regular weight after it: told apart by more than a colour */
        size_t typed;
        int ty = y + (fh - ui_line_h(fs)) / 2;
        birth_display(a, shown, sizeof shown, &typed);
        memcpy(buf, shown, typed);
        buf[typed] = '\0';
        tw = typed > 0 ? ui_text_w(&a->dl, buf, fs, 1) : 0;
        if (typed > 0)
            ui_text(&a->dl, fx + 28, ty, fw - 56, buf, fs, 1, t->text, AL_LEFT, 1);
        if (shown[typed] != '\0')
            ui_text(&a->dl, fx + 28 + tw + 12, ty, fw - 56 - tw - 12, shown + typed, fs, 0,
                    t->muted, AL_LEFT, 1);
    } else {
        /* the name, wrapped; the caret after its last line */
        size_t st[16], ln[16];
        int nl = ui_wrap(&a->dl, val, fs, 1, fw - 56 - 12, st, ln, 16);
        ui_text(&a->dl, fx + 28, y + 12, fw - 56 - 12, val, fs, 1, t->text, AL_LEFT, 0);
        tw = 0;
        if (val[0] != '\0' && nl > 0 && nl <= 16) {
            char last[APP_NAME_MAX];
            snprintf(last, sizeof last, "%.*s", (int)ln[nl - 1], val + st[nl - 1]);
            tw = ui_text_w(&a->dl, last, fs, 1);
        }
    }
    caret_x = fx + 28 + tw + 4;
    if (caret_x > fx + fw - 20)
        caret_x = fx + fw - 20;
    dl_rect(&a->dl, (ui_rect_t){caret_x, y + fh - 12 - ui_line_h(fs) + 6, 4, ui_line_h(fs) - 12},
            t->text);
    y += fh + 12;

    /* under the field: the problem, then suggestions, the commune chosen, or a hint */
    if (a->s.field_err != NULL)
        y += app_notice(a, fx, y, fw, tr(a, a->s.field_err)) + 12;
    if (a->s.step == ID_COMMUNE && a->s.commune < 0 && val[0] != '\0') {
        int shown_n, i, sw[APP_SUGGEST], sx[APP_SUGGEST], srow[APP_SUGGEST], sh, th;
        if (n == 0 && near == 0)
            ui_text(&a->dl, fx, y, fw, tr(a, "id.commune.none"), hs, 0, t->text, AL_LEFT, 0);
        if (n == 0 && near > 0) {
            /* nothing starts so: what it nearly spells, to touch */
            ui_text(&a->dl, fx, y, fw, tr(a, "id.commune.near"), hs, 0, t->text, AL_LEFT, 0);
            y += ui_text_h(&a->dl, tr(a, "id.commune.near"), hs, 0, fw, 0) + 8;
            n = near;
        }
        /* as many as fit, each as wide as its name */
        shown_n = n > 0 ? suggest_layout(a, list, n, fw, sw, sx, srow, &sh, &th) : 0;
        for (i = 0; i < shown_n; i++)
            app_button(a, (ui_rect_t){fx + sx[i], y + srow[i] * (sh + 12), sw[i], sh},
                       a->pkg->communes[list[i]].name, NULL, ACT_SUGGEST + list[i],
                       BTN_SECONDARY, 1);
    } else if (a->s.step == ID_COMMUNE && a->s.commune >= 0) {
        const char *kv2[] = {"commune", a->pkg->communes[a->s.commune].name, "territory",
                             app_ptext(a, &a->pkg->territories[pkg_commune_territory(
                                 a->pkg, a->s.commune)].name), NULL};
        ui_text(&a->dl, fx, y, fw, trf(a, buf, sizeof buf, "id.commune.chosen", kv2), hs, 1,
                t->text, AL_LEFT, 0);
    } else if (a->s.field_err == NULL && show_hint) {
        ui_text(&a->dl, fx, y, fw, tr(a, hint[a->s.step]), hs, 0, t->muted, AL_LEFT, 0);
    }
}
