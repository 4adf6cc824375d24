/* app.c - the kiosk's state machine: events, focus, inactivity, chrome. */
#include "app.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/platform_util.h>
#include <qrencode.h>

#include "bn_err.h"
#include "day.h"
#include "key.h"
#include "polls.h"
#include "pseud.h"
#include "rng.h"
#include "tpm.h"
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
    [SCR_PETITIONS] = {"petitions", scr_petitions_draw, scr_petitions_act},
    [SCR_PETITION] = {"petition", scr_petition_draw, scr_petition_act},
    [SCR_CONSENT] = {"consent", scr_consent_draw, scr_consent_act},
    [SCR_CLOSED] = {"closed", scr_closed_draw, scr_closed_act},
    [SCR_PIN] = {"pin", scr_pin_draw, agent_act},
    [SCR_AGENT] = {"agent", scr_agent_draw, agent_act},
    [SCR_REPORT] = {"report", scr_report_draw, agent_act},
    [SCR_STATUS] = {"status", scr_status_draw, agent_act},
    [SCR_EXPORT] = {"export", scr_export_draw, agent_act},
    [SCR_DESKCODE] = {"deskcode", scr_deskcode_draw, agent_act},
    [SCR_VCODE] = {"vcode", scr_vcode_draw, scr_vcode_act},
    [SCR_IDEAS] = {"ideas", scr_ideas_draw, scr_ideas_act},
    [SCR_IDEA] = {"idea", scr_idea_draw, scr_idea_act},
    [SCR_QUEST] = {"quest", scr_quest_draw, scr_quest_act},
    [SCR_QUESTION] = {"question", scr_question_draw, scr_question_act},
};

const int app_size_pct[APP_SIZE__COUNT] = {100, 125, 150};

const ui_theme_t app_themes[APP_THEME__COUNT] = {
    [APP_THEME_NORMAL] = {
        .bg = {0xf4, 0xf2, 0xed, 255},
        .surface = {0xff, 0xff, 0xff, 255},
        .text = {0x1a, 0x1a, 0x1a, 255},
        .muted = {0x3d, 0x3d, 0x3d, 255},
        .accent = {0x0a, 0x4f, 0x99, 255},
        .on_accent = {0xff, 0xff, 0xff, 255},
        .border = {0x6b, 0x6b, 0x6b, 255},
        .chosen_bg = {0xe3, 0xee, 0xfa, 255},
        .warn_bg = {0xff, 0xf1, 0xdc, 255},
        .warn_border = {0x7a, 0x3b, 0x00, 255}, /* white "!" on it: 8.6:1 */
        .focus = {0x00, 0x00, 0x00, 255},
        .dim = {0x1a, 0x1a, 0x1a, 170},
        .disabled = {0xd6, 0xd3, 0xcc, 255},
        .scale = 100,
    },
    /* white and yellow on black; the focus ring cyan */
    [APP_THEME_CONTRAST] = {
        .bg = {0x00, 0x00, 0x00, 255},
        .surface = {0x14, 0x14, 0x14, 255},
        .text = {0xff, 0xff, 0xff, 255},
        .muted = {0xe6, 0xe6, 0xe6, 255},
        .accent = {0xff, 0xe0, 0x00, 255},
        .on_accent = {0x00, 0x00, 0x00, 255},
        .border = {0xff, 0xff, 0xff, 255},
        .chosen_bg = {0x00, 0x24, 0x5a, 255},
        .warn_bg = {0x2a, 0x18, 0x00, 255},
        .warn_border = {0xff, 0xb0, 0x00, 255},
        .focus = {0x00, 0xff, 0xff, 255},
        .dim = {0x00, 0x00, 0x00, 200},
        .disabled = {0x40, 0x40, 0x40, 255},
        .scale = 100,
    },
};

int app_theme_pairs(const ui_theme_t *t, ui_color_t (*pairs)[2], int max)
{
    const ui_color_t p[][2] = {
        {t->text, t->bg},          {t->text, t->surface},      {t->muted, t->bg},
        {t->muted, t->surface},    {t->on_accent, t->accent},  {t->text, t->chosen_bg},
        {t->muted, t->chosen_bg},  {t->text, t->warn_bg},      {t->on_accent, t->warn_border},
        {t->muted, t->disabled},
    };
    int n = (int)(sizeof p / sizeof p[0]), i;

    for (i = 0; i < n && i < max; i++) {
        pairs[i][0] = p[i][0];
        pairs[i][1] = p[i][1];
    }
    return n;
}

void app_set_display(app_t *a, int text_size, int contrast)
{
    if (text_size < 0 || text_size >= APP_SIZE__COUNT)
        text_size = APP_SIZE_NORMAL;
    if (contrast < 0 || contrast >= APP_THEME__COUNT)
        contrast = APP_THEME_NORMAL;
    a->text_size = text_size;
    a->contrast = contrast;
    a->theme = app_themes[contrast];
    a->theme.scale = app_size_pct[text_size];
    a->dirty = 1;
}

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
    a->speech_rate = 175;
    a->speech_volume = 80;
    app_set_display(a, APP_SIZE_NORMAL, APP_THEME_NORMAL);
    a->focus = -1;
    a->press_act = -1;
    a->sw_next = KEY_F1;
    a->sw_select = KEY_F2;
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

void app_unload(app_t *a)
{
    int i;

    for (i = 0; i < a->n_all; i++) {
        app_campaign_t *c = &a->all[i];
        int k;
        if (c->commune_norm != NULL)
            for (k = 0; c->pkg != NULL && k < c->pkg->n_communes; k++)
                free(c->commune_norm[k]);
        free(c->commune_norm);
        free(c->commune_order);
        pkg_free(c->pkg);
        mbedtls_platform_zeroize(c->secret, sizeof c->secret);
    }
    mbedtls_platform_zeroize(a->all, sizeof a->all);
    mbedtls_platform_zeroize(a->camp, sizeof a->camp);
    a->n_all = a->n_camp = a->cur = 0;
    a->pkg = NULL;
    a->commune_norm = NULL;
    a->commune_order = NULL;
    ksync_close(a->sync);
    a->sync = NULL;
    a->sync_thread = 0;
    store_close(a->store);
    a->store = NULL;
    key_free(a->kiosk);
    a->kiosk = NULL;
    tpm_close(a->tpm);
    a->tpm = NULL;
    rng_close(a->rng);
    a->rng = NULL;
    mbedtls_platform_zeroize(a->secret, sizeof a->secret);
}

void app_free(app_t *a)
{
    int i;

    agent_free(a);
    app_unload(a);
    for (i = 0; i < APP_MAX_LANGS; i++)
        i18n_free(a->cat[i]);
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
    a->scan_home = 1;
    a->focus = -1;
    a->focus_group = 0;
    a->scan_group = 0;
    a->dirty = 1;
    a->last_input = a->now;
    a->warning = 0;
}

void app_start_budget(app_t *a)
{
    if (a->pkg != NULL && a->pkg->supervised && !a->desk)
        app_go(a, SCR_VCODE);
    else
        app_go(a, SCR_IDENTITY);
}

void app_use_campaign(app_t *a, int i)
{
    if (i < 0 || i >= a->n_camp) {
        a->pkg = NULL;
        return;
    }
    a->cur = i;
    a->pkg = a->camp[i].pkg;
    memcpy(a->secret, a->camp[i].secret, sizeof a->secret);
    a->commune_norm = a->camp[i].commune_norm;
    a->commune_order = a->camp[i].commune_order;
}

int app_n_petitions(const app_t *a)
{
    int i, n = 0;

    for (i = 0; i < a->n_camp; i++)
        n += a->camp[i].pkg->kind == PKG_PETITION;
    return n;
}

int app_ideas_index(const app_t *a)
{
    int i;

    for (i = 0; i < a->n_camp; i++)
        if (a->camp[i].pkg->kind == PKG_IDEAS)
            return i;
    return -1;
}

int app_quest_index(const app_t *a)
{
    int i;

    for (i = 0; i < a->n_camp; i++)
        if (a->camp[i].pkg->kind == PKG_QUESTIONNAIRE)
            return i;
    return -1;
}

int app_budget_index(const app_t *a)
{
    int i;

    for (i = 0; i < a->n_camp; i++)
        if (a->camp[i].pkg->kind == PKG_BUDGET)
            return i;
    return -1;
}

static int rebuild_camp(app_t *a);

void app_reset_session(app_t *a)
{
    /* DESIGN-S3: nothing of the session survives it. */
    mbedtls_platform_zeroize(&a->s, sizeof a->s);
    app_speak_forget(a);
    a->s.commune = -1;
    a->s.territory = -1;
    if (a->dl.arena != NULL)
        dl_wipe(&a->dl);
    a->session_epoch++;
    a->lang = 0;
    /* the next citizen starts with the default display too */
    a->display_open = 0;
    app_set_display(a, APP_SIZE_NORMAL, APP_THEME_NORMAL);
    /* between two citizens: the campaigns that take part now (POLLS-P2) */
    if (a->store != NULL && a->n_all > 0 && a->scr != SCR_OUTOFSERVICE)
        (void)rebuild_camp(a);
    app_use_campaign(a, 0); /* the first campaign until someone picks one */
    if (a->desk) { /* the desk's person is gone: back to the agent */
        a->desk = 0;
        if (a->ag.who != NULL) {
            app_go(a, SCR_AGENT);
            return;
        }
    }
    if (a->scr == SCR_OUTOFSERVICE || a->n_all == 0)
        app_go(a, a->scr);
    else
        app_go(a, a->n_camp > 0 ? SCR_WELCOME : SCR_CLOSED);
}

int64_t app_wall_ms(const app_t *a)
{
    return a->wall0_ms + (int64_t)a->now;
}

uint32_t app_day(const app_t *a)
{
    int64_t ms = app_wall_ms(a);

    return ms > 0 ? (uint32_t)(ms / 86400000) : 0;
}

/* camp[] := the entries of all[] whose polls accept a cast now; 1 if it changed. */
static int rebuild_camp(app_t *a)
{
    app_campaign_t keep[APP_MAX_CAMPAIGNS];
    uint32_t day = app_day(a);
    char why[256];
    int i, n = 0, changed;

    for (i = 0; i < a->n_all; i++)
        if (polls_accepts(a->store, a->all[i].pkg, day, why, sizeof why))
            keep[n++] = a->all[i];
    changed = n != a->n_camp;
    for (i = 0; !changed && i < n; i++)
        changed = keep[i].pkg != a->camp[i].pkg;
    if (changed) {
        memset(a->camp, 0, sizeof a->camp);
        memcpy(a->camp, keep, (size_t)n * sizeof keep[0]);
        a->n_camp = n;
    }
    mbedtls_platform_zeroize(keep, sizeof keep);
    return changed;
}

void app_refresh_polls(app_t *a, int force)
{
    if (a->store == NULL || a->n_all == 0 || a->scr == SCR_OUTOFSERVICE)
        return;
    if (!force && a->scr != SCR_WELCOME && a->scr != SCR_CLOSED)
        return; /* never under a citizen's feet, nor an agent's */
    if (!rebuild_camp(a) && !force)
        return;
    if (a->scr == SCR_WELCOME || a->scr == SCR_CLOSED)
        app_reset_session(a);
    a->dirty = 1;
}

void app_press(app_t *a, int x, int y)
{
    int i;

    if (a->audio) { /* AUDIO-A1: the curtain hides the controls */
        a->pressing = 0;
        a->press_act = -1;
        (void)app_speak_tap(a);
        return;
    }
    a->pressing = x >= 0 && y >= 0 && x < APP_HOLD_ZONE && y < APP_HOLD_ZONE;
    a->press_start = a->now;
    app_draw(a);
    i = dl_hit(&a->dl, x, y);
    a->press_act = i >= 0 && a->dl.ctls[i].enabled ? a->dl.ctls[i].action : -1;
}

void app_release(app_t *a, int x, int y)
{
    int i, act = a->press_act;

    a->pressing = 0;
    a->press_act = -1;
    if (x < 0 || y < 0 || a->audio)
        return;
    app_draw(a);
    i = dl_hit(&a->dl, x, y);
    if (act < 0 && i < 0) {
        app_tap(a, x, y); /* on nothing: dismisses a warning, does nothing else */
        return;
    }
    app__touched(a);
    if (i < 0 || a->dl.ctls[i].action != act)
        return; /* slid off the control, or pressed on nothing: no action */
    if ((act >= ACT_TOGGLE && act < ACT_CAMPAIGN) || act >= ACT_POINT_ADD) {
        /* choose / remove a project, a point more or less */
        if (act == a->last_toggle && a->now - a->last_toggle_at < APP_REPEAT_MS)
            return; /* a tremor's second tap: the choice stays */
        a->last_toggle = act;
        a->last_toggle_at = a->now;
    }
    app_tap(a, x, y);
}

/* --- input ------------------------------------------------------------------ */

void app__touched(app_t *a)
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
    if (act == ACT_DISPLAY || act == ACT_DISPLAY_CLOSE) {
        a->display_open = act == ACT_DISPLAY;
        a->focus = -1;
        a->focus_group = 0;
        a->scan_group = 0;
        a->dirty = 1;
        return;
    }
    if (act >= ACT_SIZE && act < ACT_SIZE + APP_SIZE__COUNT) {
        app_set_display(a, act - ACT_SIZE, a->contrast);
        return;
    }
    if (act >= ACT_CONTRAST && act < ACT_CONTRAST + APP_THEME__COUNT) {
        app_set_display(a, a->text_size, act - ACT_CONTRAST);
        return;
    }
    if (a->display_open) {
        if (act == ACT_BACK) {
            a->display_open = 0;
            a->focus = -1;
            a->dirty = 1;
        }
        return;
    }
    screens[a->scr].act(a, act);
    a->dirty = 1;
}

void app_tap(app_t *a, int x, int y)
{
    int i, was_warning = a->warning;

    if (app_speak_tap(a))
        return;
    app_draw(a);
    i = dl_hit(&a->dl, x, y);
    app__touched(a);
    if (was_warning && i < 0)
        return; /* a tap anywhere dismisses the warning, and does nothing else */
    if (i >= 0) {
        a->focus = -1;
        a->focus_group = 0;
        a->scan_group = 0;
        app_action(a, a->dl.ctls[i].action);
    }
}

void app_char(app_t *a, const char *utf8)
{
    app__touched(a);
    if (a->scr == SCR_IDENTITY) {
        scr_identity_char(a, utf8);
        a->dirty = 1;
    } else if (a->scr == SCR_IDEA && idea_typing(a)) {
        scr_idea_char(a, utf8);
        a->dirty = 1;
    } else if (a->scr == SCR_QUESTION && quest_typing(a)) {
        scr_question_char(a, utf8);
        a->dirty = 1;
    } else if (a->scr == SCR_PIN && utf8[0] >= '0' && utf8[0] <= '9' && utf8[1] == '\0') {
        agent_act(a, ACT_PIN_DIGIT + (utf8[0] - '0'));
        a->dirty = 1;
    } else if (a->scr == SCR_VCODE && utf8[0] >= '0' && utf8[0] <= '9' && utf8[1] == '\0') {
        scr_vcode_act(a, ACT_PIN_DIGIT + (utf8[0] - '0'));
        a->dirty = 1;
    }
}

void app_tick(app_t *a, uint32_t now)
{
    uint32_t idle;

    a->now = now;
    if (a->pressing && now - a->press_start >= APP_HOLD_MS) {
        a->pressing = 0;
        agent_enter(a);
        return;
    }
    if (a->scr >= SCR_PIN && a->scr <= SCR_DESKCODE) {
        if (now - a->last_input >= APP_AGENT_IDLE_MS)
            agent_leave(a);
        return;
    }
    /* the clock moves on: midnight of the last day closes, the first day
     * opens (when the agents opened beforehand), a pause takes effect */
    if (a->scr == SCR_WELCOME || a->scr == SCR_CLOSED)
        app_refresh_polls(a, 0);
    if (a->scr == SCR_WELCOME && a->sync != NULL && !a->sync_revoked_seen) {
        ksync_status_t st;
        ksync_status(a->sync, &st);
        if (st.revoked) {
            /* a lost or stolen kiosk: its ballots would not be counted */
            a->sync_revoked_seen = 1;
            app_out_of_service(a, "this kiosk's certificate was revoked by the authority");
            return;
        }
        if (st.package_mismatch) {
            /* (KSYNC-K3) the server runs another campaign under this id */
            a->sync_revoked_seen = 1;
            app_out_of_service(a, "the server's campaign package differs from this kiosk's");
            return;
        }
    }
    if (a->scr == SCR_WELCOME || a->scr == SCR_OUTOFSERVICE || a->scr == SCR_CLOSED)
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

int app_sz_big(const app_t *a, int px)
{
    return px * (100 + (a->theme.scale - 100) / 2) / 100;
}

static int btn_size(const app_t *a, btn_style_t style)
{
    return app_sz(a, style == BTN_KEY ? 40 : 34);
}

int app_button_h(app_t *a, const char *label, int w, btn_style_t style, int min_h)
{
    int h = ui_text_h(&a->dl, label, btn_size(a, style), 1, w - 24, 0) + 16;

    return h > min_h ? h : min_h;
}

int app_button_w(app_t *a, const char *label, btn_style_t style, int min_w)
{
    int w = ui_text_w(&a->dl, label, btn_size(a, style), 1) + 48;

    return w > min_w ? w : min_w;
}

void app_button(app_t *a, ui_rect_t r, const char *label, const char *name, int action,
                btn_style_t style, int enabled)
{
    const ui_theme_t *t = &a->theme;
    ui_color_t fill = t->surface, fg = t->text;
    int size = btn_size(a, style), th, radius = 14, pad;

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
    if (style == BTN_SECONDARY || style == BTN_KEY || a->contrast)
        dl_ring(&a->dl, r, radius, 3, t->border);
    pad = style == BTN_KEY ? 4 : 12; /* a key's letter may use its whole width */
    th = ui_text_h(&a->dl, label, size, 1, r.w - 2 * pad, 0);
    if (th > r.h)
        dl_cut(&a->dl, label); /* the label does not fit its button */
    ui_text(&a->dl, r.x + pad, r.y + (r.h - th) / 2, r.w - 2 * pad, label, size, 1, fg,
            AL_CENTER, 0);
    dl_control(&a->dl, r, action, label, name, NULL, enabled, style == BTN_PRIMARY);
}

void app_qr(app_t *a, const char *text, int x, int y, int qsize)
{
    QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);

    if (qr != NULL) {
        int n = qr->width, quiet = 4, total = n + 2 * quiet, mod = qsize / total, i;
        uint8_t m[177 * 177];
        int side = mod * total;
        for (i = 0; i < n * n && i < (int)sizeof m; i++)
            m[i] = qr->data[i] & 1;
        dl_rect(&a->dl, (ui_rect_t){x, y, side, side}, (ui_color_t){255, 255, 255, 255});
        dl_qr(&a->dl, (ui_rect_t){x + quiet * mod, y + quiet * mod, n * mod, n * mod}, m, n);
        QRcode_free(qr);
    }
}

int app_heading(app_t *a, int x, int y, int w, const char *s)
{
    return ui_text(&a->dl, x, y, w, s, app_sz_big(a, 52), 1, a->theme.text, AL_LEFT, 0);
}

int app_para(app_t *a, int x, int y, int w, const char *s)
{
    return ui_text(&a->dl, x, y, w, s, app_sz(a, 34), 0, a->theme.text, AL_LEFT, 0);
}

/* The "!" mark's diameter, and the text's width in a notice w wide. */
static int notice_mark(const app_t *a)
{
    return ui_line_h(app_sz(a, 30)) + 4;
}

int app_notice_h(app_t *a, int w, const char *s)
{
    int pad = 20, mark = notice_mark(a) + 16;

    return ui_text_h(&a->dl, s, app_sz(a, 32), 0, w - 2 * pad - mark, 0) + 2 * pad;
}

int app_notice(app_t *a, int x, int y, int w, const char *s)
{
    int size = app_sz(a, 32), pad = 20, d = notice_mark(a), mark = d + 16;
    int h = app_notice_h(a, w, s);
    ui_rect_t r = {x, y, w, h};

    dl_rrect(&a->dl, r, 12, a->theme.warn_bg);
    dl_ring(&a->dl, r, 12, 4, a->theme.warn_border);
    dl_rrect(&a->dl, (ui_rect_t){x + pad, y + pad, d, d}, d / 2, a->theme.warn_border);
    ui_text(&a->dl, x + pad, y + pad + (d - ui_line_h(app_sz(a, 30))) / 2, d, "!", app_sz(a, 30),
            1, a->theme.on_accent, AL_CENTER, 1);
    ui_text(&a->dl, x + pad + mark, y + pad, w - 2 * pad - mark, s, size, 0, a->theme.text,
            AL_LEFT, 0);
    return h;
}

/* The buttons of the top bar: display options, then the languages (the
 * current one says so with a check mark, not by its colour alone: its
 * label is written into current, its plain name stays in names). */
static int top_buttons(app_t *a, int *bw, const char **labels, const char **names,
                       char *current, size_t cap)
{
    int i, n = 0, total = 0;

    names[n] = NULL;
    labels[n++] = tr(a, "display.open");
    for (i = 0; i < a->n_langs; i++) {
        const char *name = i18n_get(a->cat[i], "lang.name");
        names[n] = name != NULL ? name : "?";
        if (i == a->lang) {
            snprintf(current, cap, "\xe2\x9c\x93 %s", names[n]);
            labels[n++] = current;
        } else {
            labels[n] = names[n];
            n++;
        }
    }
    for (i = 0; i < n; i++) {
        bw[i] = app_button_w(a, labels[i], BTN_SECONDARY, 200);
        total += bw[i] + (i > 0 ? 16 : 0);
    }
    return total;
}

int app_top_bar(app_t *a)
{
    const ui_theme_t *t = &a->theme;
    const char *labels[APP_MAX_LANGS + 1], *names[APP_MAX_LANGS + 1];
    char current[64];
    int bw[APP_MAX_LANGS + 1], nb = a->n_langs + 1, bh = 112, i, x, by = 12;
    int ts = app_sz_big(a, 30);
    int total = top_buttons(a, bw, labels, names, current, sizeof current);
    int room = a->w - 2 * APP_MARGIN - total - 32, th;
    const char *title = a->pkg != NULL ? app_ptext(a, &a->pkg->title) : "borne";

    /* several campaigns: the welcome screen and the list of petitions
     * belong to none of them */
    if (a->n_camp > 1 && (a->scr == SCR_WELCOME || a->scr == SCR_PETITIONS))
        title = tr(a, "welcome.many.bar");
    if ((a->scr >= SCR_PIN && a->scr <= SCR_DESKCODE) || a->desk)
        title = tr(a, "agent.bar");
    else if (a->pkg == NULL && a->n_all > 0)
        title = tr(a, "welcome.many.bar");

    th = room > 200 ? ui_text_h(&a->dl, title, ts, 1, room, 0) : 1 << 20;
    if (th <= 3 * ui_line_h(ts)) {
        /* the title beside the buttons, on up to three lines */
        if (th + 24 > bh)
            bh = th + 24;
        by = (bh - 88) / 2;
        dl_rect(&a->dl, (ui_rect_t){0, 0, a->w, bh}, t->surface);
        ui_text(&a->dl, APP_MARGIN, (bh - th) / 2, room, title, ts, 1, t->text, AL_LEFT, 0);
    } else {
        /* too narrow for both: the title on its own lines, the buttons below */
        th = ui_text_h(&a->dl, title, ts, 1, a->w - 2 * APP_MARGIN, 0);
        by = 12 + th + 8;
        bh = by + 88 + 12;
        dl_rect(&a->dl, (ui_rect_t){0, 0, a->w, bh}, t->surface);
        ui_text(&a->dl, APP_MARGIN, 12, a->w - 2 * APP_MARGIN, title, ts, 1, t->text, AL_LEFT, 0);
    }
    dl_rect(&a->dl, (ui_rect_t){0, bh - 3, a->w, 3}, t->border);
    x = a->w - APP_MARGIN - total;
    for (i = 0; i < nb; i++) {
        if (i == 0)
            app_button(a, (ui_rect_t){x, by, bw[i], 88}, labels[i], NULL, ACT_DISPLAY,
                       BTN_SECONDARY, 1);
        else
            app_button(a, (ui_rect_t){x, by, bw[i], 88}, labels[i], names[i], ACT_LANG + i - 1,
                       i - 1 == a->lang ? BTN_CHOSEN : BTN_SECONDARY, 1);
        x += bw[i] + 16;
    }
    a->top_ntext = a->dl.ntext; /* audio mode reads the screen from here */
    return bh;
}

/* A row of n option buttons (the chosen one says so with a check mark, not
 * by its colour alone); returns its height. draw = 0 only measures. */
static int option_row(app_t *a, int x, int y, int w, const char *const *keys, int n, int chosen,
                      int act, int draw)
{
    char label[128];
    int i, bw = (w - (n - 1) * 16) / n, h = 88;

    for (i = 0; i < n; i++) {
        snprintf(label, sizeof label, "%s%s", i == chosen ? "\xe2\x9c\x93 " : "", tr(a, keys[i]));
        h = app_button_h(a, label, bw, BTN_SECONDARY, h);
    }
    for (i = 0; draw && i < n; i++) {
        const char *plain = tr(a, keys[i]);
        snprintf(label, sizeof label, "%s%s", i == chosen ? "\xe2\x9c\x93 " : "", plain);
        app_button(a, (ui_rect_t){x + i * (bw + 16), y, bw, h}, label, plain, act + i,
                   i == chosen ? BTN_CHOSEN : BTN_SECONDARY, 1);
    }
    return h;
}

/* The display options, over the current screen: text size and contrast,
 * applied at once. */
static void draw_display(app_t *a)
{
    static const char *const sizes[] = {"display.size.0", "display.size.1", "display.size.2"};
    static const char *const themes[] = {"display.contrast.0", "display.contrast.1"};
    const ui_theme_t *t = &a->theme;
    int w = a->w - 64 < 1300 ? a->w - 64 : 1300, x = (a->w - w) / 2, pad = 48, iw = w - 2 * pad;
    int lh = app_sz(a, 34), hh, h, y, pass;

    dl_clear_controls(&a->dl);
    dl_rect(&a->dl, (ui_rect_t){0, 0, a->w, a->h}, t->dim);
    for (pass = 0; pass < 2; pass++) {
        int draw = pass == 1;
        if (draw) {
            y = (a->h - h) / 2;
            if (y < 8)
                y = 8;
            dl_rrect(&a->dl, (ui_rect_t){x, y, w, h}, 24, t->surface);
            if (a->contrast)
                dl_ring(&a->dl, (ui_rect_t){x, y, w, h}, 24, 3, t->border);
        } else {
            y = 0;
        }
        h = y;
        y += pad - 8;
        hh = draw ? app_heading(a, x + pad, y, iw, tr(a, "display.title"))
                  : ui_text_h(&a->dl, tr(a, "display.title"), app_sz_big(a, 52), 1, iw, 0);
        y += hh + 12;
        y += (draw ? app_para(a, x + pad, y, iw, tr(a, "display.size"))
                   : ui_text_h(&a->dl, tr(a, "display.size"), lh, 0, iw, 0)) + 8;
        y += option_row(a, x + pad, y, iw, sizes, APP_SIZE__COUNT, a->text_size, ACT_SIZE, draw) +
             24;
        y += (draw ? app_para(a, x + pad, y, iw, tr(a, "display.contrast"))
                   : ui_text_h(&a->dl, tr(a, "display.contrast"), lh, 0, iw, 0)) + 8;
        y += option_row(a, x + pad, y, iw, themes, APP_THEME__COUNT, a->contrast, ACT_CONTRAST,
                        draw) + 32;
        {
            const char *close = tr(a, "display.close");
            int cw = app_button_w(a, close, BTN_PRIMARY, 360), ch;
            if (cw > iw)
                cw = iw;
            ch = app_button_h(a, close, cw, BTN_PRIMARY, 96);
            if (draw)
                app_button(a, (ui_rect_t){x + w - pad - cw, y, cw, ch}, close, NULL,
                           ACT_DISPLAY_CLOSE, BTN_PRIMARY, 1);
            y += ch + pad - 8;
        }
        h = y - h;
    }
}

static void draw_warning(app_t *a)
{
    const ui_theme_t *t = &a->theme;
    int w = a->w - 64 < 1100 ? a->w - 64 : 1100, h, x = (a->w - w) / 2, y, th, pad = 56, bh;
    char buf[256], n[16];
    uint32_t idle = a->now - a->last_input;
    uint32_t left = idle < a->reset_ms ? (a->reset_ms - idle + 999) / 1000 : 0;
    const char *kv[] = {"n", n, NULL};

    snprintf(n, sizeof n, "%u", (unsigned)left);
    dl_clear_controls(&a->dl);
    dl_rect(&a->dl, (ui_rect_t){0, 0, a->w, a->h}, t->dim);
    trf(a, buf, sizeof buf, "idle.body", kv);
    th = ui_text_h(&a->dl, buf, app_sz(a, 34), 0, w - 2 * pad, 0);
    bh = app_button_h(a, tr(a, "idle.stay"), w - 2 * pad, BTN_PRIMARY, 104);
    h = pad + ui_text_h(&a->dl, tr(a, "idle.title"), app_sz_big(a, 52), 1, w - 2 * pad, 0) + 24 + th +
        40 + bh + pad;
    y = (a->h - h) / 2;
    dl_rrect(&a->dl, (ui_rect_t){x, y, w, h}, 24, t->surface);
    if (a->contrast)
        dl_ring(&a->dl, (ui_rect_t){x, y, w, h}, 24, 3, t->border);
    y += pad;
    y += app_heading(a, x + pad, y, w - 2 * pad, tr(a, "idle.title")) + 24;
    y += app_para(a, x + pad, y, w - 2 * pad, buf) + 40;
    app_button(a, (ui_rect_t){x + pad, y, w - 2 * pad, bh}, tr(a, "idle.stay"), NULL, ACT_STAY,
               BTN_PRIMARY, 1);
}

int app_draw(app_t *a)
{
    if (!a->dirty)
        return 0;
    dl_reset(&a->dl);
    a->top_ntext = 0;
    dl_rect(&a->dl, (ui_rect_t){0, 0, a->w, a->h}, a->theme.bg);
    screens[a->scr].draw(a);
    if (a->display_open)
        draw_display(a);
    if (a->warning)
        draw_warning(a);
    if (a->focus_act != 0) {
        /* the focus stays where the keyboard or switch user was (paging) */
        int i, pick = -1, pass;
        for (pass = 0; pass < 2 && pick < 0; pass++)
            for (i = 0; i < a->dl.nctl && pick < 0; i++)
                if (a->dl.ctls[i].enabled &&
                    a->dl.ctls[i].action == (pass == 0 ? a->focus_act : a->focus_alt))
                    pick = i;
        a->focus = pick;
        a->focus_act = a->focus_alt = 0;
    }
    if (a->focus >= a->dl.nctl)
        a->focus = -1;
    if (a->scan_home) {
        a->scan_home = 0;
        if (a->s.switching && a->focus < 0 && !a->display_open && !a->warning)
            app_scan_home(a); /* a press saved on every screen */
    }
    if (a->focus < 0)
        a->focus_group = a->scan_group = 0;
    app_speak_frame(a); /* audio mode: says what changed, then the curtain */
    if (a->audio) {
        a->dirty = 0;
        return 1; /* AUDIO-A1: no focus ring either */
    }
    if (a->focus_group > 0) {
        /* the ring around a whole row of keys */
        int i, x0 = a->w, y0 = a->h, x1 = 0, y1 = 0;
        for (i = 0; i < a->dl.nctl; i++) {
            ui_rect_t r = a->dl.ctls[i].r;
            if (a->dl.ctls[i].group != a->focus_group)
                continue;
            x0 = r.x < x0 ? r.x : x0;
            y0 = r.y < y0 ? r.y : y0;
            x1 = r.x + r.w > x1 ? r.x + r.w : x1;
            y1 = r.y + r.h > y1 ? r.y + r.h : y1;
        }
        if (x1 > x0)
            dl_ring(&a->dl, (ui_rect_t){x0 - 8, y0 - 8, x1 - x0 + 16, y1 - y0 + 16}, 20, 6,
                    a->theme.focus);
    } else if (a->focus >= 0) {
        ui_rect_t r = a->dl.ctls[a->focus].r;
        dl_ring(&a->dl, (ui_rect_t){r.x - 10, r.y - 10, r.w + 20, r.h + 20}, 22, 6,
                a->theme.focus);
    }
    a->dirty = 0;
    return 1;
}

void app_cast_inputs(app_t *a, cast_ctx_t *ctx, cast_identity_t *who, char *birth)
{
    const char *f = a->s.field[ID_BIRTH]; /* DDMMYYYY as typed */

    snprintf(birth, DAY_TEXT_LEN + 1, "%.4s-%.2s-%.2s", f + 4, f + 2, f);
    who->last_name = a->s.field[ID_LAST];
    who->first_names = a->s.field[ID_FIRST];
    who->birth = birth;
    who->commune = a->s.commune >= 0 ? a->pkg->communes[a->s.commune].insee : NULL;
    memset(ctx, 0, sizeof *ctx);
    ctx->store = a->store;
    ctx->pkg = a->pkg;
    ctx->signer = &a->signer;
    ctx->rng = a->rng;
    ctx->points = a->pkg->rule.ballot == PKG_BALLOT_CUMULATIVE ? a->s.pts : NULL;
    memcpy(ctx->secret, a->secret, sizeof ctx->secret);
    if (a->sync != NULL) { /* reserve-then-cast, in the cast path (cast.h) */
        a->hook = (ksync_hook_t){a->sync, a->kiosk, &a->signer, a->rng, a->now, ""};
        ctx->reserve = ksync_reserve_hook;
        ctx->reserve_arg = &a->hook;
    }
}

void app_cast_revoked(app_t *a, char *why, size_t whylen)
{
    a->sync_revoked_seen = 1;
    snprintf(a->oos_reason, sizeof a->oos_reason, "reservation: %.200s", a->hook.why);
    snprintf(why, whylen, "%.200s", a->oos_reason);
}

int app_sync_round(app_t *a, int closing, char *why, size_t whylen)
{
    ksync_round_t res;
    ksync_status_t st;
    int rc;

    if (a->sync == NULL) {
        printf("sync none\n");
        fflush(stdout);
        return 0;
    }
    rc = ksync_round(a->sync, a->now, closing, 1, &res, why, whylen);
    ksync_status(a->sync, &st);
    printf("sync bundles=%zu items=%zu left=%lld online=%d%s\n", res.bundles, res.items,
           (long long)res.left, st.online, res.mismatch ? " mismatch" : "");
    fflush(stdout);
    a->dirty = 1; /* the counters may have changed */
    return rc;
}

void app_show_receipt(app_t *a, cast_receipt_t *rec, int signed_petition)
{
    char code[sizeof rec->tracking];

    memcpy(code, rec->tracking, sizeof code);
    mbedtls_platform_zeroize(rec, sizeof *rec);
    mbedtls_platform_zeroize(&a->s, sizeof a->s);
    a->s.commune = -1;
    a->s.territory = -1;
    a->s.signed_petition = signed_petition;
    memcpy(a->s.tracking, code, sizeof code);
    ksync_note_cast(a->sync, a->pkg->id, a->now); /* a batch may now be due */
    if (a->print_receipts) {
        printf("receipt %s\n", code);
        fflush(stdout);
    }
    app_go(a, SCR_RECEIPT);
}
