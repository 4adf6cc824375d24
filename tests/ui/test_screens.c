/* test_screens.c - the screens as logic, without SDL: transitions, checks,
 * refusals explained, the cast, the session wipe, inactivity, out of
 * service, and layout rules (touch targets, no missing catalog keys, no
 * unfilled placeholders, nothing outside the screen) in both languages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "app.h"
#include "bn_err.h"
#include "day.h"
#include "kiosk.h"
#include "petition.h"
#include "screens/screens.h"
#include "script.h"
#include "store.h"
#include "testutil.h"

/* A font-less measurer: every character 0.55 em wide. */
static int fake_w(void *ctx, const char *s, size_t len, int size, int bold)
{
    size_t i, chars = 0;

    (void)ctx;
    for (i = 0; i < len; i++)
        chars += ((unsigned char)s[i] & 0xc0) != 0x80;
    return (int)(chars * (size_t)size * (bold ? 60 : 55) / 100);
}

static const ui_measure_t fake = {NULL, fake_w};

typedef struct fixture_s {
    char *dir;
    app_t app;
} fixture_t;

static uint32_t today(void)
{
    uint32_t d;
    assert_int_equal(day_parse("2027-03-15", &d), 0);
    return d;
}

static int setup(void **state)
{
    fixture_t *f = calloc(1, sizeof *f);
    char why[512] = "", *assets = tu_asset("");

    assert_non_null(f);
    f->dir = tu_tmpdir("ui");
    assert_non_null(f->dir);
    if (kiosk_init_demo(f->dir, assets, why, sizeof why) != 0)
        fail_msg("init demo: %s", why);
    if (app_init(&f->app, assets, &fake, 1920, 1080, why, sizeof why) != 0)
        fail_msg("app_init: %s", why);
    if (kiosk_open(&f->app, f->dir, today(), why, sizeof why) != 0)
        fail_msg("kiosk_open: %s", why);
    free(assets);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture_t *f = *state;

    app_free(&f->app);
    tu_rmtree(f->dir);
    free(f->dir);
    free(f);
    return 0;
}

/* Runs script text on the app; fails the test with the script's message. */
static void run(app_t *a, const char *text)
{
    script_t s;
    char why[8192] = "";

    if (script_parse(text, &s, why, sizeof why) != 0)
        fail_msg("parse: %s", why);
    if (script_run(&s, a, NULL, NULL, why, sizeof why) != 0)
        fail_msg("%s", why);
    script_free(&s);
}

/* WCAG 2 relative luminance and contrast ratio. */
static double lum(ui_color_t c)
{
    double v[3] = {c.r / 255.0, c.g / 255.0, c.b / 255.0};
    int i;

    for (i = 0; i < 3; i++)
        v[i] = v[i] <= 0.04045 ? v[i] / 12.92 : pow((v[i] + 0.055) / 1.055, 2.4);
    return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2];
}

static double contrast(ui_color_t a, ui_color_t b)
{
    double la = lum(a), lb = lum(b);

    return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}

/* Layout rules of the frame on screen: dl_check (controls >= 88 px high,
 * on screen, not overlapping; texts on screen, not cut, not overlapping),
 * no placeholder left, and every text line at least 7:1 against the
 * opaque fill under it. */
static void check_frame(app_t *a)
{
    char why[512];
    int i, j;

    app_draw(a);
    assert_int_equal(a->missing_keys, 0);
    if (dl_check(&a->dl, 88, why, sizeof why) != 0)
        fail_msg("%s (%dx%d, size %d, theme %d, %s): %s", app_screen_name(a->scr), a->w, a->h,
                 a->text_size, a->contrast, a->lang_code[a->lang], why);
    for (i = a->dl.layer; i < a->dl.n; i++) {
        const dcmd_t *d = &a->dl.cmds[i];
        int cx = d->r.x + d->r.w / 2, cy = d->r.y + d->r.h / 2;
        if (d->kind != DC_TEXT || d->text[0] == '\0')
            continue;
        for (j = i - 1; j >= 0; j--) {
            const dcmd_t *e = &a->dl.cmds[j];
            if ((e->kind == DC_RECT || e->kind == DC_RRECT) && e->c.a == 255 &&
                ui_in(e->r, cx, cy)) {
                double cr = contrast(d->c, e->c);
                if (cr < 7.0)
                    fail_msg("%s (theme %d): text '%s' has a contrast of %.2f:1 (< 7:1)",
                             app_screen_name(a->scr), a->contrast, d->text, cr);
                break;
            }
        }
        assert_true(j >= 0); /* every text is on some fill */
    }
    for (i = 0; i < a->dl.ntext; i++)
        if (strchr(a->dl.texts[i], '{') != NULL)
            fail_msg("%s: unfilled placeholder in '%s'", app_screen_name(a->scr), a->dl.texts[i]);
}

static const char *identity_fr = "tap \"Touchez l'écran pour commencer\"\n"
                                 "type \"Le Gall\"\n tap \"Suivant\"\n"
                                 "type \"Éloïse\"\n tap \"Suivant\"\n"
                                 "type \"12041987\"\n tap \"Suivant\"\n"
                                 "type \"ren\"\n tap \"Rennes\"\n tap \"Continuer\"\n";

static void test_vote_flow(void **state)
{
    fixture_t *f = *state;
    app_t *a = &f->app;
    int64_t reg = -1, box = -1;
    int lang;

    for (lang = 0; lang < 2; lang++) {
        assert_int_equal(a->scr, SCR_WELCOME);
        a->lang = lang;
        a->dirty = 1;
        check_frame(a);
        a->lang = 0;
        a->dirty = 1;
    }
    app_action(a, ACT_START);
    assert_int_equal(a->scr, SCR_IDENTITY);
    check_frame(a);
    /* an empty name is explained, and we stay */
    app_action(a, ACT_NEXT);
    assert_int_equal(a->s.step, ID_LAST);
    assert_string_equal(tr(a, a->s.field_err), "Écrivez votre nom de famille pour continuer.");
    check_frame(a);
    app_action(a, ACT_BACK);
    assert_int_equal(a->scr, SCR_WELCOME);

    run(a, identity_fr);
    assert_int_equal(a->scr, SCR_PROJECTS);
    assert_int_equal(a->s.territory, pkg_find_territory(a->pkg, "rennes"));
    assert_string_equal(a->pkg->communes[a->s.commune].insee, "35238");
    for (lang = 1; lang >= 0; lang--) {
        a->lang = lang;
        a->dirty = 1;
        check_frame(a);
    }
    run(a, "tap \"Choisir : Jardin partagé du Blosne\"\n"
           "expect text \"Il reste 304 833 € sur 333 333 €\"\n"
           "tap \"Repair café itinérant\"\n expect screen detail\n");
    check_frame(a);
    run(a, "tap \"Choisir ce projet\"\n tap \"Retour à la liste\"\n tap \"Voir mon choix\"\n"
           "expect screen review\n expect text \"64 500 €\"\n");
    check_frame(a);
    /* Enter with nothing focused does not confirm the vote */
    app_key(a, KEY_ENTER);
    assert_int_equal(a->scr, SCR_REVIEW);
    app_action(a, ACT_CONFIRM);
    assert_int_equal(a->scr, SCR_RECEIPT);
    assert_int_equal(strlen(a->s.tracking), TRACK_TEXT_LEN);
    /* the receipt holds the code only: identity and choices are gone */
    assert_int_equal(a->s.nsel, 0);
    assert_string_equal(a->s.field[ID_LAST], "");
    check_frame(a);
    assert_int_equal(store_counts(a->store, a->pkg->id, &reg, &box), 0);
    assert_int_equal(reg, 1);
    assert_int_equal(box, 1);
    app_action(a, ACT_FINISH);
    assert_int_equal(a->scr, SCR_WELCOME);
}

/* DESIGN-S3: the end of a session leaves nothing of it. */
static void test_session_wiped(void **state)
{
    fixture_t *f = *state;
    app_t *a = &f->app;
    app_session_t empty;
    size_t i;
    unsigned epoch = a->session_epoch;

    run(a, identity_fr);
    run(a, "tap \"Choisir : Jardin partagé du Blosne\"\n");
    assert_int_equal(a->s.nsel, 1);
    app_action(a, ACT_SIZE + APP_SIZE_LARGEST);
    app_action(a, ACT_CONTRAST + APP_THEME_CONTRAST);
    assert_int_equal(a->theme.scale, 150);
    app_reset_session(a);
    /* the next citizen gets the usual display */
    assert_int_equal(a->text_size, APP_SIZE_NORMAL);
    assert_int_equal(a->contrast, APP_THEME_NORMAL);
    assert_int_equal(a->theme.scale, 100);
    memset(&empty, 0, sizeof empty);
    empty.commune = -1;
    empty.territory = -1;
    assert_memory_equal(&a->s, &empty, sizeof empty);
    assert_true(a->session_epoch != epoch); /* the renderer drops its text cache */
    for (i = 0; i < a->dl.arenacap; i++)
        if (a->dl.arena[i] != 0)
            fail_msg("draw arena byte %zu not wiped", i);
    assert_int_equal(a->scr, SCR_WELCOME);
    assert_int_equal(a->lang, 0);
}

static void test_inactivity(void **state)
{
    fixture_t *f = *state;
    app_t *a = &f->app;
    uint32_t t0;

    a->now = 1000;
    app_action(a, ACT_START);
    t0 = a->now;
    app_char(a, "L");
    app_tick(a, t0 + 59999);
    assert_int_equal(a->warning, 0);
    app_tick(a, t0 + 60000);
    assert_int_equal(a->warning, 1);
    check_frame(a);
    assert_int_equal(a->dl.nctl, 1); /* only "Je continue" under the dialog */
    assert_string_equal(a->dl.ctls[0].label, "Je continue");
    app_tap(a, 5, 5); /* any touch dismisses it, and does nothing else */
    assert_int_equal(a->warning, 0);
    assert_int_equal(a->scr, SCR_IDENTITY);
    assert_string_equal(a->s.field[ID_LAST], "L");
    app_tick(a, t0 + 60000 + 89999);
    assert_int_equal(a->scr, SCR_IDENTITY);
    app_tick(a, t0 + 60000 + 90000);
    assert_int_equal(a->scr, SCR_WELCOME);
    assert_string_equal(a->s.field[ID_LAST], "");
    /* the welcome screen never times out */
    app_tick(a, t0 + 10000000);
    assert_int_equal(a->scr, SCR_WELCOME);
}

static void test_refusals(void **state)
{
    fixture_t *f = *state;
    app_t *a = &f->app;
    int i, n, last = -1;
    char noticed[400];

    /* impossible and future dates */
    run(a, "tap \"Touchez l'écran pour commencer\"\n type \"Hamon\"\n tap \"Suivant\"\n"
           "type \"Lou\"\n tap \"Suivant\"\n type \"31022010\"\n tap \"Suivant\"\n"
           "expect text \"n'existe pas\"\n");
    assert_int_equal(a->s.step, ID_BIRTH);
    a->s.field[ID_BIRTH][0] = '\0';
    run(a, "type \"01012030\"\n tap \"Suivant\"\n expect text \"n'est pas encore passée\"\n");
    a->s.field[ID_BIRTH][0] = '\0';
    /* 15 on the day: too young (16), said at once, before the commune */
    run(a, "type \"16032011\"\n tap \"Suivant\"\n expect screen message\n"
           "expect text \"16 ans\"\n");
    check_frame(a);
    app_action(a, ACT_FINISH);
    /* 16 the day before: may vote; the commune's refusals first */
    run(a, "tap \"Touchez l'écran pour commencer\"\n type \"Hamon\"\n tap \"Suivant\"\n"
           "type \"Lou\"\n tap \"Suivant\"\n type \"14032011\"\n tap \"Suivant\"\n"
           "type \"zzz\"\n expect text \"Aucune commune\"\n tap \"Continuer\"\n"
           "expect text \"Touchez le nom de votre commune\"\n");
    run(a, "key Backspace\n key Backspace\n key Backspace\n type \"saint-m\"\n"
           "expect text \"communes commencent ainsi\"\n type \"alo\"\n tap \"Saint-Malo\"\n"
           "tap \"Continuer\"\n expect screen projects\n");
    /* too many: choose every project of the territory in turn */
    n = 0;
    for (i = 0; i < a->pkg->n_projects; i++) {
        if (a->pkg->projects[i].territory != a->s.territory)
            continue;
        app_action(a, ACT_TOGGLE + i);
        if (a->s.notice != NOTICE_NONE) {
            last = i;
            projects_notice(a, noticed, sizeof noticed);
        }
        n++;
    }
    assert_true(last >= 0); /* never silently ignored */
    assert_false(strstr(noticed, "coûte") == NULL && strstr(noticed, "maximum") == NULL);
    assert_int_equal(projects_chosen(a, last), 0);
    check_frame(a);
    app_action(a, ACT_OPEN + last);
    app_action(a, ACT_TOGGLE + last);
    assert_true(a->s.notice != NOTICE_NONE);
    /* the explanation follows the language */
    app_action(a, ACT_LANG + 1);
    run(a, "expect text \"first remove another project\"\n");
    app_action(a, ACT_LANG + 0);
    check_frame(a);
    /* nothing chosen: the review says what is missing, confirm is disabled */
    app_action(a, ACT_BACK);
    while (a->s.nsel > 0)
        app_action(a, ACT_TOGGLE + a->s.sel[0]);
    app_action(a, ACT_REVIEW);
    app_draw(a);
    run(a, "expect text \"Choisissez au moins 1 projet pour voter.\"\n");
    for (i = 0; i < a->dl.nctl; i++)
        if (a->dl.ctls[i].action == ACT_CONFIRM)
            assert_int_equal(a->dl.ctls[i].enabled, 0);
    check_frame(a);
    /* a campaign asking for 2 projects, or allowing only 1: the plurals hold */
    {
        int min = a->pkg->rule.min, max = a->pkg->rule.max, first = -1, second = -1;
        a->pkg->rule.min = 2;
        a->dirty = 1;
        app_draw(a);
        run(a, "expect text \"Choisissez au moins 2 projets pour voter. Il en manque 2.\"\n");
        a->pkg->rule.min = 1;
        a->pkg->rule.max = 1;
        app_action(a, ACT_CHANGE);
        for (i = 0; i < a->pkg->n_projects; i++)
            if (a->pkg->projects[i].territory == a->s.territory)
                first < 0 ? (void)(first = i) : second < 0 ? (void)(second = i) : (void)0;
        app_action(a, ACT_TOGGLE + first);
        app_action(a, ACT_TOGGLE + second);
        run(a, "expect text \"Vous avez déjà choisi un projet. On ne peut en choisir qu'un.\"\n");
        run(a, "expect no text \"1 projets\"\n");
        a->pkg->rule.min = min;
        a->pkg->rule.max = max;
    }
}

/* (CAST-C6) A campaign online only, and no server: the citizen is told,
 * nothing is stored, the kiosk stays in service. */
static void test_online_only(void **state)
{
    fixture_t *f = *state;
    app_t *a = &f->app;
    pkg_t *p = (pkg_t *)a->camp[0].pkg;
    int64_t reg = -1, box = -1;

    p->online_only = 1;
    run(a, identity_fr);
    run(a, "tap \"Choisir : Jardin partagé du Blosne\"\n tap \"Voir mon choix\"\n"
           "tap \"Valider mon vote\"\n expect screen message\n"
           "expect text \"La borne ne peut pas joindre le serveur\"\n");
    assert_int_equal(a->s.msg, MSG_OFFLINE);
    check_frame(a);
    assert_int_equal(store_counts(a->store, p->id, &reg, &box), 0);
    assert_int_equal(reg, 0);
    assert_int_equal(box, 0);
    run(a, "tap \"Retour à l'accueil\"\n expect screen welcome\n");
    p->online_only = 0;
}

static void test_already_voted(void **state)
{
    fixture_t *f = *state;
    app_t *a = &f->app;

    run(a, identity_fr);
    run(a, "tap \"Choisir : Jardin partagé du Blosne\"\n tap \"Voir mon choix\"\n"
           "tap \"Valider mon vote\"\n expect screen receipt\n");
    /* nobody touches the receipt: back to the welcome screen after warn_ms */
    app_tick(a, a->now + a->warn_ms - 1);
    assert_int_equal(a->scr, SCR_RECEIPT);
    app_tick(a, a->now + 1);
    assert_int_equal(a->scr, SCR_WELCOME);
    assert_string_equal(a->s.tracking, "");
    run(a, "tap \"Touchez l'écran pour commencer\"\n type \"le gall\"\n tap \"Suivant\"\n"
           "type \"ELOISE\"\n tap \"Suivant\"\n type \"12041987\"\n tap \"Suivant\"\n"
           "type \"rennes\"\n tap \"Continuer\"\n expect screen message\n"
           "expect text \"Vous avez déjà participé\"\n");
    assert_int_equal(a->s.msg, MSG_ALREADY);
    check_frame(a);
}

/* The index of the enabled control whose action is act, or -1. */
static int ctl_of(app_t *a, int act)
{
    int i;

    app_draw(a);
    for (i = 0; i < a->dl.nctl; i++)
        if (a->dl.ctls[i].action == act && a->dl.ctls[i].enabled)
            return i;
    return -1;
}

/* Touch acts on release, on the control still under the finger; a tremor's
 * second tap on the same project within APP_REPEAT_MS is ignored; sliding
 * off cancels. And by keyboard, paging keeps the focus (never lost). */
static void test_touch_and_paging(void **state)
{
    fixture_t *f = *state;
    app_t *a = &f->app;
    int i, x, y, p, order[512], n, k;

    run(a, "tap \"Touchez l'écran pour commencer\"\n type \"Hamon\"\n tap \"Suivant\"\n"
           "type \"Lou\"\n tap \"Suivant\"\n type \"14031990\"\n tap \"Suivant\"\n"
           "type \"rennes\"\n tap \"Rennes\"\n tap \"Continuer\"\n expect screen projects\n");
    p = -1;
    for (i = 0; i < a->pkg->n_projects && p < 0; i++)
        if (ctl_of(a, ACT_TOGGLE + i) >= 0)
            p = i;
    assert_true(p >= 0);
    i = ctl_of(a, ACT_TOGGLE + p);
    x = a->dl.ctls[i].r.x + a->dl.ctls[i].r.w / 2;
    y = a->dl.ctls[i].r.y + a->dl.ctls[i].r.h / 2;
    /* pressed, nothing yet; released on it: chosen */
    app_press(a, x, y);
    assert_int_equal(a->s.nsel, 0);
    app_release(a, x, y);
    assert_int_equal(a->s.nsel, 1);
    /* a tremor: a second tap 150 ms later is ignored, the choice stays */
    app_tick(a, a->now + 150);
    app_press(a, x, y);
    app_release(a, x, y);
    assert_int_equal(a->s.nsel, 1);
    /* a deliberate tap later removes it */
    app_tick(a, a->now + APP_REPEAT_MS + 100);
    app_press(a, x, y);
    app_release(a, x, y);
    assert_int_equal(a->s.nsel, 0);
    /* pressed on it, slid off and released elsewhere: nothing */
    app_tick(a, a->now + APP_REPEAT_MS + 100);
    app_press(a, x, y);
    app_release(a, 5, a->h / 2);
    assert_int_equal(a->s.nsel, 0);
    assert_int_equal(a->scr, SCR_PROJECTS);

    /* by keyboard: Tab to "Page suivante", Enter: page 2, the focus stays on
     * a paging control, and Enter again does not open the review (the
     * largest text: the list has pages) */
    app_set_display(a, APP_SIZE_LARGEST, APP_THEME_NORMAL);
    a->dirty = 1;
    assert_int_equal(a->s.page, 0);
    for (k = 0; k < 200 && (a->focus < 0 || a->dl.ctls[a->focus].action != ACT_PAGE_NEXT); k++) {
        app_key(a, KEY_TAB);
        app_draw(a);
    }
    assert_true(a->focus >= 0 && a->dl.ctls[a->focus].action == ACT_PAGE_NEXT);
    app_key(a, KEY_ENTER);
    app_draw(a);
    assert_int_equal(a->s.page, 1);
    assert_true(a->focus >= 0);
    assert_true(a->dl.ctls[a->focus].action == ACT_PAGE_NEXT ||
                a->dl.ctls[a->focus].action == ACT_PAGE_PREV);
    app_key(a, KEY_ENTER);
    app_draw(a);
    assert_int_equal(a->scr, SCR_PROJECTS);
    n = dl_reading_order(&a->dl, order);
    assert_true(n > 0);
    /* by touch, paging leaves no focus ring */
    i = ctl_of(a, a->s.page > 0 ? ACT_PAGE_PREV : ACT_PAGE_NEXT);
    assert_true(i >= 0);
    app_tap(a, a->dl.ctls[i].r.x + 4, a->dl.ctls[i].r.y + 4);
    app_draw(a);
    assert_int_equal(a->focus, -1);
    /* Escape all the way back: at the first step, a notice first; any
     * other key keeps the session; a second Escape erases it */
    for (k = 0; k < 5; k++) /* projects, commune, birth, first name, then armed */
        app_key(a, KEY_ESCAPE);
    app_draw(a);
    assert_int_equal(a->scr, SCR_IDENTITY);
    assert_int_equal(a->s.step, 0);
    assert_int_equal(a->s.esc_armed, 1);
    assert_string_equal(a->s.field_err, "id.err.escape");
    assert_string_equal(a->s.field[ID_LAST], "HAMON");
    app_key(a, KEY_TAB);
    assert_int_equal(a->s.esc_armed, 0);
    app_key(a, KEY_ESCAPE);
    assert_int_equal(a->scr, SCR_IDENTITY);
    app_key(a, KEY_ESCAPE);
    assert_int_equal(a->scr, SCR_WELCOME);
    assert_string_equal(a->s.field[ID_LAST], "");
}

static void test_keyboard_focus(void **state)
{
    fixture_t *f = *state;
    app_t *a = &f->app;

    app_draw(a);
    assert_int_equal(a->focus, -1);
    app_key(a, KEY_TAB);
    assert_string_equal(a->dl.ctls[a->focus].label, "Affichage");
    app_key(a, KEY_TAB);
    /* the current language: a check mark, not only a colour */
    assert_string_equal(a->dl.ctls[a->focus].label, "\xe2\x9c\x93 Français");
    assert_string_equal(a->dl.ctls[a->focus].name, "Français");
    app_key(a, KEY_TAB);
    app_key(a, KEY_ENTER); /* English */
    assert_int_equal(a->lang, 1);
    app_draw(a);
    app_key(a, KEY_TAB);   /* skips the unlabelled whole-screen control */
    assert_string_equal(a->dl.ctls[a->focus].label, "Touch the screen to start");
    app_key(a, KEY_SHIFT_TAB);
    assert_string_equal(a->dl.ctls[a->focus].label, "\xe2\x9c\x93 English");
    app_key(a, KEY_ESCAPE); /* nothing to go back to */
    assert_int_equal(a->scr, SCR_WELCOME);
    app_key(a, KEY_TAB);
    app_key(a, KEY_ENTER);
    assert_int_equal(a->scr, SCR_IDENTITY);
    app_key(a, KEY_ESCAPE);
    assert_int_equal(a->scr, SCR_WELCOME);
}

/* A ballot that cannot be stored: said so, no receipt, out of service. */
static void test_cast_fails(void **state)
{
    fixture_t *f = *state;
    app_t *a = &f->app;
    int64_t reg = -1, box = -1;

    run(a, identity_fr);
    run(a, "tap \"Choisir : Jardin partagé du Blosne\"\n tap \"Voir mon choix\"\n");
    /* the store refuses every write from now on */
    assert_int_equal(sqlite3_exec(store__db(a->store), "PRAGMA query_only=1", NULL, NULL, NULL),
                     SQLITE_OK);
    run(a, "tap \"Valider mon vote\"\n expect screen message\n"
           "expect text \"Votre vote n'a pas pu être enregistré\"\n");
    assert_int_equal(a->s.msg, MSG_NOT_STORED);
    assert_string_equal(a->s.tracking, "");
    check_frame(a);
    run(a, "tap \"Retour à l'accueil\"\n expect screen outofservice\n"
           "expect text \"Pour les agents : cast: ballot not stored\"\n");
    assert_int_equal(sqlite3_exec(store__db(a->store), "PRAGMA query_only=0", NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(store_counts(a->store, a->pkg->id, &reg, &box), 0);
    assert_int_equal(reg, 0);
    assert_int_equal(box, 0);
    /* (STORE-D6) a commit the disk did not confirm: neither "not counted"
     * nor a receipt (test_faults makes the fault; here its words) */
    a->s.msg = MSG_NOT_STORED;
    a->s.in_doubt = 1;
    app_go(a, SCR_MESSAGE);
    run(a, "expect text \"Votre participation n'a peut-être pas été enregistrée\"\n");
    check_frame(a);
    app_set_display(a, APP_SIZE_LARGEST, APP_THEME_CONTRAST);
    check_frame(a);
}

/* (issue 18, section 2) The package deleted while the kiosk runs: it was
 * read and verified once, at start, so the citizen votes and gets a receipt
 * for a ballot that is in the box; a restart without it is out of service
 * and loses nothing; put back, the kiosk knows who voted. */
static void test_package_deleted_running(void **state)
{
    fixture_t *f = *state;
    app_t *a = &f->app, b;
    char why[512], path[1024], keep[1100], *assets = tu_asset("");
    int64_t reg = -1, box = -1;

    snprintf(path, sizeof path, "%s/bp35-demo.bpkg", f->dir);
    snprintf(keep, sizeof keep, "%s.keep", f->dir);
    assert_int_equal(rename(path, keep), 0);
    run(a, identity_fr);
    run(a, "tap \"Choisir : Jardin partagé du Blosne\"\n tap \"Voir mon choix\"\n"
           "tap \"Valider mon vote\"\n expect screen receipt\n");
    assert_int_equal(strlen(a->s.tracking), TRACK_TEXT_LEN);
    assert_int_equal(store_counts(a->store, a->pkg->id, &reg, &box), 0);
    assert_int_equal(reg, 1);
    assert_int_equal(box, 1);
    app_action(a, ACT_FINISH);
    assert_int_equal(a->scr, SCR_WELCOME);
    /* restarted without it: out of service, saying which, nothing lost */
    assert_int_equal(app_init(&b, assets, &fake, 1920, 1080, why, sizeof why), 0);
    assert_int_equal(kiosk_open(&b, f->dir, today(), why, sizeof why), BN_ENOTFOUND);
    assert_int_equal(b.scr, SCR_OUTOFSERVICE);
    assert_non_null(strstr(why, "no budget package"));
    app_free(&b);
    assert_int_equal(store_counts(a->store, "bp35-demo", &reg, &box), 0);
    assert_int_equal(box, 1);
    /* put back: the same person is known to have voted */
    assert_int_equal(rename(keep, path), 0);
    assert_int_equal(app_init(&b, assets, &fake, 1920, 1080, why, sizeof why), 0);
    assert_int_equal(kiosk_open(&b, f->dir, today(), why, sizeof why), 0);
    run(&b, "tap \"Touchez l'écran pour commencer\"\n type \"Le Gall\"\n tap \"Suivant\"\n"
            "type \"Éloïse\"\n tap \"Suivant\"\n type \"12041987\"\n tap \"Suivant\"\n"
            "type \"ren\"\n tap \"Rennes\"\n tap \"Continuer\"\n expect screen message\n"
            "expect text \"Vous avez déjà participé\"\n");
    app_free(&b);
    free(assets);
}

/* Out of service: polls closed, package tampered, no package, clock wrong. */
static void test_out_of_service(void **state)
{
    fixture_t *f = *state;
    app_t *a = &f->app;
    char why[512], path[1024], *assets = tu_asset("");
    uint8_t *pkg;
    size_t len;
    app_t b;

    (void)a;
    /* polls not opened, then paused: the citizens' closed screen, not out
     * of service; it follows the state without a restart (POLLS-P1) */
    assert_int_equal(store_meta_set(a->store, "polls:bp35-demo", "closed"), 0);
    assert_int_equal(app_init(&b, assets, &fake, 1920, 1080, why, sizeof why), 0);
    assert_int_equal(kiosk_open(&b, f->dir, today(), why, sizeof why), 0);
    assert_int_equal(b.scr, SCR_CLOSED);
    check_frame(&b);
    run(&b, "expect text \"Le vote n'est pas ouvert sur cette borne\"\n");
    app_action(&b, ACT_START); /* nothing happens */
    assert_int_equal(b.scr, SCR_CLOSED);
    assert_int_equal(store_meta_set(a->store, "polls:bp35-demo", "paused"), 0);
    run(&b, "wait 1000\n expect screen closed\n expect text \"Le vote est suspendu quelques instants\"\n");
    assert_int_equal(store_meta_set(a->store, "polls:bp35-demo", "open"), 0);
    run(&b, "wait 1000\n expect screen welcome\n");
    /* midnight of the last day: closed, without a restart */
    run(&b, "clock 2028-12-31 23:59\n expect screen welcome\n"
            "clock 2029-01-01 00:00\n expect screen closed\n");
    app_free(&b);

    /* (HARDEN-H4) a state directory others can read: out of service, saying how */
    assert_int_equal(chmod(f->dir, 0755), 0);
    assert_int_equal(app_init(&b, assets, &fake, 1920, 1080, why, sizeof why), 0);
    assert_int_equal(kiosk_open(&b, f->dir, today(), why, sizeof why), BN_EPERM);
    assert_non_null(strstr(why, "chmod 700"));
    assert_int_equal(b.scr, SCR_OUTOFSERVICE);
    app_free(&b);
    assert_int_equal(chmod(f->dir, 0700), 0);

    /* a clock in 2001 */
    assert_int_equal(app_init(&b, assets, &fake, 1920, 1080, why, sizeof why), 0);
    assert_int_equal(kiosk_open(&b, f->dir, 11323, why, sizeof why), BN_ERANGE);
    assert_non_null(strstr(why, "clock"));
    app_free(&b);

    /* STATE/departement: missing, malformed (file, line, value named), or
     * another département than the packages' (they are refused) */
    snprintf(path, sizeof path, "%s/departement", f->dir);
    assert_int_equal(unlink(path), 0);
    assert_int_equal(app_init(&b, assets, &fake, 1920, 1080, why, sizeof why), 0);
    assert_int_equal(kiosk_open(&b, f->dir, today(), why, sizeof why), BN_ENOTFOUND);
    assert_int_equal(b.scr, SCR_OUTOFSERVICE);
    assert_non_null(strstr(why, "/departement"));
    app_free(&b);
    assert_int_equal(tu_write(path, (const uint8_t *)"Ille-et-Vilaine\n", 16), 0);
    assert_int_equal(app_init(&b, assets, &fake, 1920, 1080, why, sizeof why), 0);
    assert_int_equal(kiosk_open(&b, f->dir, today(), why, sizeof why), BN_EFORMAT);
    assert_int_equal(b.scr, SCR_OUTOFSERVICE);
    assert_non_null(strstr(why, "/departement:1:"));
    assert_non_null(strstr(why, "'Ille-et-V"));
    app_free(&b);
    assert_int_equal(tu_write(path, (const uint8_t *)"22\n", 3), 0);
    assert_int_equal(app_init(&b, assets, &fake, 1920, 1080, why, sizeof why), 0);
    assert_true(kiosk_open(&b, f->dir, today(), why, sizeof why) != 0);
    assert_int_equal(b.scr, SCR_OUTOFSERVICE);
    assert_int_equal(b.n_camp, 0);
    assert_non_null(strstr(why, "22"));
    app_free(&b);
    assert_int_equal(tu_write(path, (const uint8_t *)"35\n", 3), 0);

    /* one flipped bit in the package */
    snprintf(path, sizeof path, "%s/bp35-demo.bpkg", f->dir);
    pkg = tu_read(path, &len);
    assert_non_null(pkg);
    pkg[len / 3] ^= 1;
    assert_int_equal(tu_write(path, pkg, len), 0);
    assert_int_equal(app_init(&b, assets, &fake, 1920, 1080, why, sizeof why), 0);
    assert_true(kiosk_open(&b, f->dir, today(), why, sizeof why) != 0);
    assert_int_equal(b.scr, SCR_OUTOFSERVICE);
    app_free(&b);
    unlink(path);
    assert_int_equal(app_init(&b, assets, &fake, 1920, 1080, why, sizeof why), 0);
    assert_int_equal(kiosk_open(&b, f->dir, today(), why, sizeof why), BN_ENOTFOUND);
    assert_non_null(strstr(why, "no budget package"));
    app_free(&b);
    free(pkg);
    free(assets);
}

/* Two-switch scanning: the keys, rows of keys entered and left. */
static void test_switch_scanning(void **state)
{
    fixture_t *f = *state;
    app_t *a = &f->app;
    char why[256];
    int i;

    assert_int_equal(app_set_switch_keys(a, "Space", why, sizeof why), BN_EINVAL);
    assert_int_equal(app_set_switch_keys(a, "F1,F1", why, sizeof why), BN_EINVAL);
    assert_int_equal(app_set_switch_keys(a, "Tab,Enter", why, sizeof why), BN_EINVAL);
    assert_int_equal(app_set_switch_keys(a, "F1,Nope", why, sizeof why), BN_EINVAL);
    assert_non_null(strstr(why, "Nope"));
    assert_int_equal(app_set_switch_keys(a, "Space,Return", why, sizeof why), 0);
    assert_int_equal(a->sw_next, KEY_SPACE);
    assert_int_equal(a->sw_select, KEY_ENTER);
    /* welcome: the screen's own item first, the top bar (Affichage,
     * Français, English) at the end of the cycle; wrapping */
    app_key(a, KEY_SPACE);
    assert_string_equal(a->dl.ctls[a->focus].label, "Touchez l'écran pour commencer");
    app_key(a, KEY_SPACE);
    app_draw(a);
    assert_string_equal(a->dl.ctls[a->focus].label, "Affichage");
    for (i = 0; i < 3; i++)
        app_key(a, KEY_SPACE);
    assert_string_equal(a->dl.ctls[a->focus].label, "Touchez l'écran pour commencer");
    app_key(a, KEY_ENTER);
    assert_int_equal(a->scr, SCR_IDENTITY);
    /* a new step: the switch user's focus is already on the first item,
     * the first group of keys (half a row: A Z E R T Y); entering it, then
     * leaving it */
    app_draw(a);
    assert_int_equal(a->focus_group, 1);
    check_frame(a); /* the ring around the group */
    app_key(a, KEY_ENTER);
    assert_int_equal(a->scan_group, 1);
    assert_string_equal(a->dl.ctls[a->focus].label, "A");
    app_key(a, KEY_SPACE);
    app_key(a, KEY_ENTER); /* Z typed: "Suivant" has the focus, first of the cycle */
    assert_string_equal(a->s.field[ID_LAST], "Z");
    assert_string_equal(a->dl.ctls[a->focus].label, "Suivant");
    assert_int_equal(a->focus_group, 0);
    assert_int_equal(a->scan_group, 0);
    app_key(a, KEY_SPACE); /* not done: to the keys */
    assert_int_equal(a->focus_group, 1);
    app_key(a, KEY_ENTER);
    for (i = 0; i < 6; i++)
        app_key(a, KEY_SPACE); /* past the last key: back to the group */
    assert_int_equal(a->scan_group, 0);
    assert_int_equal(a->focus_group, 1);
    app_key(a, KEY_SPACE);
    assert_int_equal(a->focus_group, 2);
    app_key(a, KEY_ENTER);
    assert_string_equal(a->dl.ctls[a->focus].label, "U"); /* the second half of the row */
    /* Tab still moves key by key */
    app_key(a, KEY_TAB);
    assert_int_equal(a->focus_group, 0);
}

/* Both themes: every text/background pair of the theme is at least 7:1. */
static void test_theme_contrast(void **state)
{
    ui_color_t pairs[32][2];
    int t, i, n;

    (void)state;
    for (t = 0; t < APP_THEME__COUNT; t++) {
        n = app_theme_pairs(&app_themes[t], pairs, 32);
        assert_true(n > 5 && n <= 32);
        for (i = 0; i < n; i++) {
            double cr = contrast(pairs[i][0], pairs[i][1]);
            if (cr < 7.0)
                fail_msg("theme %d, pair %d: %.2f:1 (< 7:1)", t, i, cr);
        }
    }
}

/* Reopens a fresh kiosk at w x h (the fixture's state directory). */
static void reopen(fixture_t *f, int w, int h)
{
    char why[512] = "", *assets = tu_asset("");

    app_free(&f->app);
    if (app_init(&f->app, assets, &fake, w, h, why, sizeof why) != 0)
        fail_msg("app_init: %s", why);
    if (kiosk_open(&f->app, f->dir, today(), why, sizeof why) != 0)
        fail_msg("kiosk_open: %s", why);
    free(assets);
}

static void display(app_t *a, int size, int theme)
{
    app_set_display(a, size, theme);
    check_frame(a);
}

/* Every screen, in both languages where the text differs most, checked
 * with check_frame at one screen size, text size and theme. `n` makes the
 * voter unique (birth day). */
static void tour(app_t *a, int size, int theme, int n)
{
    char buf[512];
    int lang;

    display(a, size, theme);
    for (lang = 1; lang >= 0; lang--) {
        app_action(a, ACT_LANG + lang);
        check_frame(a);
        app_action(a, ACT_DISPLAY); /* the display options dialog */
        check_frame(a);
        app_action(a, ACT_DISPLAY_CLOSE);
    }
    run(a, "tap \"Touchez l'écran pour commencer\"\n");
    check_frame(a);
    app_action(a, ACT_NEXT); /* an empty name is explained */
    check_frame(a);
    run(a, "type \"Le Gall-Kerhervé de la Villemarqué\"\n");
    check_frame(a);
    app_action(a, ACT_LANG + 1);
    check_frame(a);
    app_action(a, ACT_LANG + 0);
    run(a, "tap \"Suivant\"\n type \"Éloïse Marie-Thérèse\"\n");
    check_frame(a);
    snprintf(buf, sizeof buf, "tap \"Suivant\"\n type \"%02d04\"\n", n);
    run(a, buf);
    check_frame(a);
    app_action(a, ACT_NEXT); /* incomplete date explained */
    check_frame(a);
    run(a, "type \"1987\"\n tap \"Suivant\"\n type \"saint\"\n");
    check_frame(a);                 /* suggestions and "n communes" */
    app_action(a, ACT_NEXT);        /* no commune picked: explained */
    check_frame(a);
    run(a, "type \"zzz\"\n");
    check_frame(a);                 /* none */
    app_action(a, ACT_LANG + 1);
    check_frame(a);
    app_action(a, ACT_LANG + 0);
    run(a, "key Backspace\n key Backspace\n key Backspace\n key Backspace\n key Backspace\n"
           "key Backspace\n key Backspace\n key Backspace\n type \"noyal-ch\"\n");
    check_frame(a);
    run(a, "tap \"Noyal-Châtillon-sur-Seiche\"\n");
    check_frame(a);                 /* chosen */
    run(a, "tap \"Continuer\"\n expect screen projects\n");
    check_frame(a);
    /* choose until a choice is refused, then the detail and the review */
    {
        int i, refused = -1;
        for (i = 0; i < a->pkg->n_projects && refused < 0; i++)
            if (a->pkg->projects[i].territory == a->s.territory) {
                app_action(a, ACT_TOGGLE + i);
                if (a->s.notice != NOTICE_NONE)
                    refused = i;
                check_frame(a);
            }
        assert_true(refused >= 0);
        /* a chosen card says so in words and with a check mark, not by
         * its colour alone */
        run(a, "expect text \"\xe2\x9c\x93 Choisi\"\n");
        for (lang = 1; lang >= 0; lang--) {
            app_action(a, ACT_LANG + lang);
            check_frame(a);
        }
        app_action(a, ACT_PAGE_NEXT);
        check_frame(a);
        app_action(a, ACT_PAGE_PREV);
        app_action(a, ACT_OPEN + refused);
        check_frame(a);
        app_action(a, ACT_TOGGLE + refused); /* refused again, in the detail */
        check_frame(a);
        app_action(a, ACT_OPEN + a->s.sel[0]);
        app_action(a, ACT_BACK);
        app_action(a, ACT_OPEN + a->s.sel[0]);
        check_frame(a);                      /* a chosen project */
        run(a, "expect text \"\xe2\x9c\x93 Vous avez choisi ce projet.\"\n");
        app_action(a, ACT_BACK);
    }
    app_action(a, ACT_REVIEW);
    check_frame(a);
    app_action(a, ACT_LANG + 1);
    check_frame(a);
    app_action(a, ACT_LANG + 0);
    /* the focus ring on the last control */
    app_key(a, KEY_SHIFT_TAB);
    check_frame(a);
    app_tick(a, a->now + a->warn_ms);     /* the inactivity warning */
    check_frame(a);
    app_action(a, ACT_STAY);
    app_action(a, ACT_CONFIRM);
    assert_int_equal(a->scr, SCR_RECEIPT);
    display(a, size, theme);
    check_frame(a);
    app_action(a, ACT_FINISH);
    /* already taken part, too young */
    display(a, size, theme);
    snprintf(buf, sizeof buf,
             "tap \"Touchez l'écran pour commencer\"\n type \"le gall-kerherve de la villemarque\"\n"
             "tap \"Suivant\"\n type \"eloise marie-therese\"\n tap \"Suivant\"\n"
             "type \"%02d041987\"\n tap \"Suivant\"\n type \"noyal-chatillon-sur-seiche\"\n"
             "tap \"Continuer\"\n expect screen message\n", n);
    run(a, buf);
    check_frame(a);
    app_action(a, ACT_FINISH);
    display(a, size, theme);
    run(a, "tap \"Touchez l'écran pour commencer\"\n type \"Hamon\"\n tap \"Suivant\"\n"
           "type \"Lou\"\n tap \"Suivant\"\n type \"01052014\"\n tap \"Suivant\"\n"
           "expect screen message\n");
    check_frame(a);
    app_action(a, ACT_LANG + 1);
    check_frame(a);
    app_action(a, ACT_FINISH);
    /* out of service, with a long reason for agents */
    app_out_of_service(a, "polls of 'bp35-demo' are not open in the store of this kiosk");
    display(a, size, theme);
}

/* Every screen at every text size and in both themes, on the three
 * screens: 1920x1080, 1280x800 (laid out as 1728x1080, drawn at 74 %:
 * ui/main.c) and portrait 1080x1920. */
/* A refused choice of a project with a very long title, at the largest
 * text on a short screen: the notice takes its brief form, and a card and
 * the pager still fit (no overlap). */
static void test_long_title_notice(void **state)
{
    fixture_t *f = *state;
    app_t *a;
    static char longt[] = "Réaménagement de la place centrale, de ses abords et des rues qui y "
                          "mènent";
    char *old;
    int j;

    reopen(f, 1728, 1080);
    a = &f->app;
    app_set_display(a, APP_SIZE_LARGEST, APP_THEME_NORMAL);
    run(a, "tap \"Touchez l'écran pour commencer\"\n type \"Hamon\"\n tap \"Suivant\"\n"
           "type \"Lou\"\n tap \"Suivant\"\n type \"14031990\"\n tap \"Suivant\"\n"
           "type \"rennes\"\n tap \"Rennes\"\n tap \"Continuer\"\n expect screen projects\n");
    j = pkg_find_project(a->pkg, "ren-jardin");
    assert_true(j >= 0);
    old = a->pkg->projects[j].title.s[0];
    a->pkg->projects[j].title.s[0] = longt;
    /* 148 000 + 95 000 + 82 000 chosen: 8 333 left; the garden (28 500) refused */
    app_action(a, ACT_TOGGLE + pkg_find_project(a->pkg, "ren-velo"));
    app_action(a, ACT_TOGGLE + pkg_find_project(a->pkg, "ren-aire-jeux"));
    app_action(a, ACT_TOGGLE + pkg_find_project(a->pkg, "ren-arbres-ecole"));
    app_action(a, ACT_TOGGLE + j);
    a->dirty = 1;
    app_draw(a);
    check_frame(a);
    run(a, "expect text \"Ce projet coûte 28 500 €. Il ne reste que 8 333 €.\"\n");
    a->pkg->projects[j].title.s[0] = old;
}

/* A project's long text at the largest size: pages of whole lines, the
 * first filled under the summary (no empty space), counted ("Texte : page 1
 * sur N"); every page keeps the layout rules (no text over the buttons). */
static void test_detail_page_count(void **state)
{
    fixture_t *f = *state;
    app_t *a = &f->app;
    int j, i;
    char *saved, *longer;
    size_t n;

    app_set_display(a, APP_SIZE_LARGEST, APP_THEME_NORMAL);
    run(a, "tap \"Touchez l'écran pour commencer\"\n type \"Hamon\"\n tap \"Suivant\"\n"
           "type \"Lou\"\n tap \"Suivant\"\n type \"14031990\"\n tap \"Suivant\"\n"
           "type \"rennes\"\n tap \"Rennes\"\n tap \"Continuer\"\n expect screen projects\n");
    j = pkg_find_project(a->pkg, "ren-jardin");
    saved = a->pkg->projects[j].description.s[0];
    n = strlen(saved);
    longer = malloc(4 * (n + 1) + 1);
    assert_non_null(longer);
    longer[0] = '\0';
    for (i = 0; i < 4; i++) {
        strcat(longer, saved);
        strcat(longer, " ");
    }
    a->pkg->projects[j].description.s[0] = longer;
    app_action(a, ACT_OPEN + j);
    a->dirty = 1;
    app_draw(a);
    check_frame(a);
    run(a, "expect screen detail\n expect text \"Texte : page 1 sur \"\n"
           "expect text \"Des parcelles et un composteur\"\n"   /* the summary, */
           "expect text \"Une pelouse peu utilisée\"\n");        /* the text begins at once */
    for (i = 2; i < 40; i++) {
        char want[64];
        int more = -1, k;
        for (k = 0; k < a->dl.nctl; k++)
            if (a->dl.ctls[k].action == ACT_TEXT_MORE)
                more = a->dl.ctls[k].enabled;
        assert_true(more >= 0);
        if (!more)
            break;
        app_action(a, ACT_TEXT_MORE);
        app_draw(a);
        check_frame(a);
        snprintf(want, sizeof want, "expect text \"Texte : page %d sur \"\n", i);
        run(a, want);
    }
    assert_true(i > 2);
    run(a, "expect text \"anime le jardin. \"\n");   /* the last page ends the text */
    a->pkg->projects[j].description.s[0] = saved;
    free(longer);
}

/* The largest text used to show one card a page (5 pages for 5 projects):
 * its cards hold the title and the cost, and the hint gives way when it
 * would cost a page. */
static void test_largest_pages(void **state)
{
    fixture_t *f = *state;
    static const int sizes[][3] = {{1920, 1080, 2}, {1080, 1920, 2}, {1728, 1080, 3}};
    int k;

    for (k = 0; k < 3; k++) {
        app_t *a = &f->app;
        char script[600];
        reopen(f, sizes[k][0], sizes[k][1]);
        a = &f->app;
        app_set_display(a, APP_SIZE_LARGEST, APP_THEME_NORMAL);
        snprintf(script, sizeof script,
                 "tap \"Touchez l'écran pour commencer\"\n type \"Hamon\"\n tap \"Suivant\"\n"
                 "type \"Lou\"\n tap \"Suivant\"\n type \"1403199%d\"\n tap \"Suivant\"\n"
                 "type \"rennes\"\n tap \"Rennes\"\n tap \"Continuer\"\n expect screen projects\n",
                 k);
        run(a, script);
        check_frame(a);
        if (a->pages > sizes[k][2])
            fail_msg("%dx%d, largest text: 5 projects on %d pages (at most %d)", sizes[k][0],
                     sizes[k][1], a->pages, sizes[k][2]);
    }
}

/* A voice that keeps what it was given (the headphones, in a test). */
typedef struct heard_s {
    char text[8192];
    int says, forgets;
} heard_t;

static void heard_say(void *ctx, const char *text, const char *lang, int flush)
{
    heard_t *h = ctx;
    (void)lang;
    (void)flush;
    h->says++;
    snprintf(h->text + strlen(h->text), sizeof h->text - strlen(h->text), "%s\n", text);
}

static void heard_forget(void *ctx)
{
    heard_t *h = ctx;
    h->forgets++;
    memset(h->text, 0, sizeof h->text);
}

/* Audio mode: nothing spoken until asked (AUDIO-A2); the screen is only
 * the curtain, taps do nothing (AUDIO-A1); the session's end wipes what
 * was said, here and in the voice, and ends audio mode (AUDIO-A4). */
static void test_audio_session(void **state)
{
    fixture_t *f = *state;
    app_t *a = &f->app;
    heard_t h;
    app_spk_t zero;
    int i;

    memset(&h, 0, sizeof h);
    a->voice = (app_voice_t){&h, heard_say, NULL, heard_forget};
    a->audio_ok = 1;
    run(a, identity_fr);
    assert_int_equal(a->scr, SCR_PROJECTS);
    assert_int_equal(h.says, 0); /* AUDIO-A2: not asked, not said */
    app_key(a, KEY_KP_PLUS);
    app_draw(a);
    assert_int_equal(a->audio, 1);
    assert_non_null(strstr(h.text, "Mode audio. Projets pour : Pays de Rennes."));
    /* AUDIO-A1: the frame shows the curtain alone, and no focus ring */
    assert_true(dl_has_text(&a->dl, "Mode audio"));
    assert_false(dl_has_text(&a->dl, "Jardin partagé du Blosne"));
    for (i = 0; i < a->dl.n; i++)
        assert_true(a->dl.cmds[i].kind == DC_RECT || a->dl.cmds[i].kind == DC_TEXT);
    /* a choice by keys: said with the money left */
    for (i = 0; i < 2; i++) /* the first card, then its toggle */
        app_key(a, KEY_KP2);
    app_key(a, KEY_KP5);
    app_draw(a);
    assert_int_equal(a->s.nsel, 1);
    assert_non_null(strstr(a->said, "Vous avez choisi : Jardin partagé du Blosne. Il reste 304833 euros"));
    /* a tap, even on the toggle's place, changes nothing */
    {
        int before = a->s.nsel;
        app_tap(a, a->w / 2, a->h / 2);
        app_press(a, 10, 10);
        app_release(a, 10, 10);
        app_draw(a);
        assert_int_equal(a->s.nsel, before);
        assert_non_null(strstr(a->said, "L'écran tactile ne répond pas"));
    }
    /* the screen off: black, no text at all */
    app_key(a, KEY_KP9);
    app_draw(a);
    assert_int_equal(a->dl.ntext, 0);
    app_key(a, KEY_KP9);
    app_draw(a);
    /* AUDIO-A4: the session ends (inactivity, or the next person) */
    app_reset_session(a);
    app_draw(a);
    assert_int_equal(a->audio, 0);
    assert_int_equal(a->screen_off, 0);
    assert_int_equal(h.forgets, 1);
    assert_int_equal(h.text[0], 0);
    assert_int_equal(a->said_len, 0);
    for (i = 0; i < (int)sizeof a->said; i++)
        if (a->said[i] != 0)
            fail_msg("said byte %d not wiped", i);
    memset(&zero, 0, sizeof zero);
    assert_memory_equal(&a->spk, &zero, sizeof zero);
    assert_true(dl_has_text(&a->dl, "Touchez l'écran pour commencer"));
    a->voice = (app_voice_t){NULL, NULL, NULL, NULL};
}

/* Without a voice (no audio device), the audio key does nothing: no
 * curtain over a screen that would then say nothing. */
static void test_audio_needs_voice(void **state)
{
    fixture_t *f = *state;
    app_t *a = &f->app;

    a->audio_ok = 0;
    app_draw(a);
    app_key(a, KEY_KP_PLUS);
    app_key(a, KEY_F11);
    app_draw(a);
    assert_int_equal(a->audio, 0);
    assert_true(dl_has_text(&a->dl, "Touchez l'écran pour commencer"));
}

static void test_every_size(void **state)
{
    static const int sizes[][2] = {{1920, 1080}, {1728, 1080}, {1080, 1920}};
    fixture_t *f = *state;
    int k, size, theme, n = 1;

    for (k = 0; k < 3; k++)
        for (size = 0; size < APP_SIZE__COUNT; size++)
            for (theme = 0; theme < APP_THEME__COUNT; theme++) {
                reopen(f, sizes[k][0], sizes[k][1]);
                tour(&f->app, size, theme, n++);
            }
}

/* --- petitions ------------------------------------------------------------------ */

/* A fixture with both demo campaigns open: the budget vote and the petition. */
static int setup_both(void **state)
{
    fixture_t *f = calloc(1, sizeof *f);
    char why[512] = "", *assets = tu_asset("");

    assert_non_null(f);
    f->dir = tu_tmpdir("ui");
    assert_non_null(f->dir);
    if (kiosk_init_demo_with(f->dir, assets, KIOSK_DEMO_BUDGET | KIOSK_DEMO_PETITION, why,
                             sizeof why) != 0)
        fail_msg("init demo: %s", why);
    if (app_init(&f->app, assets, &fake, 1920, 1080, why, sizeof why) != 0)
        fail_msg("app_init: %s", why);
    if (kiosk_open(&f->app, f->dir, today(), why, sizeof why) != 0)
        fail_msg("kiosk_open: %s", why);
    free(assets);
    *state = f;
    return 0;
}

static int pet_index(const app_t *a)
{
    int i;

    for (i = 0; i < a->n_camp; i++)
        if (a->camp[i].pkg->kind == PKG_PETITION)
            return i;
    return -1;
}

typedef struct flags_s {
    int n, no_publish;
} flags_t;

static int count_flags(void *arg, const uint8_t *rec, size_t len)
{
    flags_t *fl = arg;
    petition_t p;

    assert_int_equal(petition_decode(rec, len, &p, NULL, 0), 0);
    fl->n++;
    fl->no_publish += p.no_publish;
    return 0;
}

static const char *sign_identity = "type \"Le Gall\"\n tap \"Suivant\"\n"
                                   "type \"Éloïse\"\n tap \"Suivant\"\n"
                                   "type \"12041987\"\n tap \"Suivant\"\n"
                                   "type \"ren\"\n tap \"Rennes\"\n tap \"Continuer\"\n";

/* A signature: the welcome screen offers both, the counters move, the
 * record is stored with the "do not publish" flag asked for, the session
 * forgets the identity, a second signature is refused. */
static void test_petition_flow(void **state)
{
    fixture_t *f = *state;
    app_t *a = &f->app;
    int p = pet_index(a);
    int64_t sigs = -1, cantons = -1, reg = -1, box = -1;
    flags_t fl = {0, 0};

    assert_int_equal(a->n_camp, 2);
    assert_true(p >= 0);
    assert_int_equal(app_budget_index(a), 0);
    check_frame(a);
    app_key(a, KEY_ENTER); /* two campaigns: Enter alone starts neither */
    assert_int_equal(a->scr, SCR_WELCOME);
    run(a, "expect text \"Que souhaitez-vous faire ?\"\n tap \"Lire et signer\"\n"
           "expect screen petitions\n expect text \"Aucune signature pour l'instant : il en faut 1 000\"\n"
           "tap \"Lire : Des bus le soir et la nuit entre les bourgs et les villes\"\n"
           "expect screen petition\n tap \"Signer cette pétition\"\n");
    assert_int_equal(a->scr, SCR_IDENTITY);
    assert_ptr_equal(a->pkg, a->camp[p].pkg);
    run(a, sign_identity);
    assert_int_equal(a->scr, SCR_CONSENT);
    check_frame(a);
    app_key(a, KEY_ENTER); /* Enter alone never signs */
    assert_int_equal(a->scr, SCR_CONSENT);
    run(a, "tap \"Ne pas publier mon nom\"\n expect text \"\xe2\x9c\x93 Ne pas publier mon nom\"\n");
    assert_int_equal(a->s.no_publish, 1);
    check_frame(a);
    run(a, "tap \"Signer\"\n expect screen receipt\n expect text \"Votre signature est enregistrée\"\n");
    assert_int_equal(strlen(a->s.tracking), TRACK_TEXT_LEN);
    assert_string_equal(a->s.field[ID_LAST], ""); /* forgotten before the receipt */
    assert_int_equal(a->s.commune, -1);
    check_frame(a);
    assert_int_equal(store_petition_counts(a->store, "pet35-demo", &sigs, &cantons), 0);
    assert_int_equal(sigs, 1);
    assert_int_equal(cantons, 1);
    assert_int_equal(store_each_signature(a->store, "pet35-demo", count_flags, &fl), 0);
    assert_int_equal(fl.n, 1);
    assert_int_equal(fl.no_publish, 1);
    assert_int_equal(store_counts(a->store, "bp35-demo", &reg, &box), 0);
    assert_int_equal(reg, 0); /* the vote's register is another one */
    app_action(a, ACT_FINISH);
    assert_int_equal(a->scr, SCR_WELCOME);
    run(a, "tap \"Lire et signer\"\n expect text \"1 signature sur les 1 000 nécessaires\"\n"
           "expect text \"1 canton représenté : il en faut au moins 3\"\n"
           "tap \"Lire la pétition\"\n tap \"Signer cette pétition\"\n");
    run(a, sign_identity);
    run(a, "expect screen message\n expect text \"Vous avez déjà signé cette pétition\"\n");
    check_frame(a);
    app_action(a, ACT_FINISH);
    /* the same person may still vote: another campaign, another register */
    run(a, "tap \"Voter\"\n");
    run(a, sign_identity);
    run(a, "expect screen projects\n");
}

/* A kiosk with the petition alone keeps the single "Touch to start". */
static void test_petition_alone(void **state)
{
    fixture_t *f = *state;
    char why[512] = "", path[1024], *assets = tu_asset("");

    snprintf(path, sizeof path, "%s/bp35-demo.bpkg", f->dir);
    assert_int_equal(unlink(path), 0);
    app_free(&f->app);
    assert_int_equal(app_init(&f->app, assets, &fake, 1920, 1080, why, sizeof why), 0);
    if (kiosk_open(&f->app, f->dir, today(), why, sizeof why) != 0)
        fail_msg("kiosk_open: %s", why);
    free(assets);
    assert_int_equal(f->app.n_camp, 1);
    check_frame(&f->app);
    run(&f->app, "expect text \"Des bus le soir\"\n tap \"Touchez l'écran pour commencer\"\n"
                 "expect screen petitions\n expect text \"La pétition en cours\"\n");
    check_frame(&f->app);
    /* petition polls closed too: out of service */
    assert_int_equal(store_meta_set(f->app.store, "polls:pet35-demo", "closed"), 0);
    app_free(&f->app);
    assets = tu_asset("");
    assert_int_equal(app_init(&f->app, assets, &fake, 1920, 1080, why, sizeof why), 0);
    assert_int_equal(kiosk_open(&f->app, f->dir, today(), why, sizeof why), 0);
    assert_int_equal(f->app.scr, SCR_CLOSED);
    free(assets);
}

/* Every petition screen at every text size, both themes, both languages,
 * the three screen sizes. */
static void pet_tour(app_t *a, int size, int theme, int n)
{
    char buf[512];
    int lang, p = pet_index(a);

    display(a, size, theme);
    for (lang = 1; lang >= 0; lang--) {
        app_action(a, ACT_LANG + lang);
        check_frame(a);
    }
    app_action(a, ACT_PETITIONS);
    for (lang = 1; lang >= 0; lang--) {
        app_action(a, ACT_LANG + lang);
        check_frame(a);
    }
    app_action(a, ACT_READ + p);
    assert_int_equal(a->scr, SCR_PETITION);
    for (lang = 1; lang >= 0; lang--) {
        app_action(a, ACT_LANG + lang);
        check_frame(a);
        app_action(a, ACT_TEXT_MORE); /* the next page, when there is one */
        check_frame(a);
        app_action(a, ACT_TEXT_MORE);
        check_frame(a);
        app_action(a, ACT_TEXT_PREV);
        app_action(a, ACT_TEXT_PREV);
    }
    app_action(a, ACT_SIGN);
    snprintf(buf, sizeof buf,
             "type \"Le Gall\"\n tap \"Suivant\"\n type \"Éloïse\"\n tap \"Suivant\"\n"
             "type \"%02d041987\"\n tap \"Suivant\"\n type \"rennes\"\n tap \"Continuer\"\n"
             "expect screen consent\n", n);
    run(a, buf);
    for (lang = 1; lang >= 0; lang--) {
        app_action(a, ACT_LANG + lang);
        check_frame(a);
        app_action(a, ACT_NO_PUBLISH);
        check_frame(a);
        app_action(a, ACT_NO_PUBLISH);
    }
    app_key(a, KEY_SHIFT_TAB); /* the focus ring on "Signer" */
    check_frame(a);
    app_action(a, ACT_SIGN_CONFIRM);
    assert_int_equal(a->scr, SCR_RECEIPT);
    for (lang = 1; lang >= 0; lang--) {
        app_action(a, ACT_LANG + lang);
        check_frame(a);
    }
    app_action(a, ACT_FINISH);
    /* already signed, too young */
    display(a, size, theme);
    app_action(a, ACT_PETITIONS);
    app_action(a, ACT_READ + p);
    app_action(a, ACT_SIGN);
    *strstr(buf, "expect screen consent") = '\0';
    run(a, buf); /* refused at the identity step, as in the vote */
    assert_int_equal(a->scr, SCR_MESSAGE);
    assert_int_equal(a->s.msg, MSG_ALREADY);
    check_frame(a);
    app_action(a, ACT_FINISH);
    display(a, size, theme);
    app_action(a, ACT_PETITIONS);
    app_action(a, ACT_READ + p);
    app_action(a, ACT_SIGN);
    run(a, "type \"Hamon\"\n tap \"Suivant\"\n type \"Lou\"\n tap \"Suivant\"\n"
           "type \"01052014\"\n tap \"Suivant\"\n"
           "expect screen message\n expect text \"16 ans\"\n");
    for (lang = 1; lang >= 0; lang--) {
        app_action(a, ACT_LANG + lang);
        check_frame(a);
    }
    app_action(a, ACT_FINISH);
}

/* A long petition text is split into pages of whole lines, turned with
 * "Suite du texte" and "Début du texte", at every text size. */
static void test_petition_long_text(void **state)
{
    fixture_t *f = *state;
    app_t *a = &f->app;
    int p = pet_index(a), size, i, pages;
    char *saved = a->camp[p].pkg->description.s[0], *longer;
    size_t n = strlen(saved);

    longer = malloc(6 * (n + 1) + 1);
    assert_non_null(longer);
    longer[0] = '\0';
    for (i = 0; i < 6; i++) {
        strcat(longer, saved);
        strcat(longer, " ");
    }
    a->camp[p].pkg->description.s[0] = longer;
    for (size = 0; size < APP_SIZE__COUNT; size++) {
        app_reset_session(a);
        app_set_display(a, size, APP_THEME_NORMAL);
        app_action(a, ACT_PETITIONS);
        app_action(a, ACT_READ + p);
        check_frame(a);
        run(a, "expect text \"Après 20 heures\"\n");
        for (pages = 1; pages < 20; pages++) {
            int more = -1;
            for (i = 0; i < a->dl.nctl; i++)
                if (a->dl.ctls[i].action == ACT_TEXT_MORE)
                    more = a->dl.ctls[i].enabled;
            assert_true(more >= 0); /* the text does not fit one page */
            if (!more)
                break;
            app_action(a, ACT_TEXT_MORE);
            check_frame(a);
        }
        assert_true(pages > 1);
        run(a, "expect text \"minuit.\"\n tap \"Début du texte\"\n");
        check_frame(a);
    }
    a->camp[p].pkg->description.s[0] = saved;
    free(longer);
}

static void test_petition_every_size(void **state)
{
    static const int sizes[][2] = {{1920, 1080}, {1728, 1080}, {1080, 1920}};
    fixture_t *f = *state;
    int k, size, theme, n = 1;

    for (k = 0; k < 3; k++)
        for (size = 0; size < APP_SIZE__COUNT; size++)
            for (theme = 0; theme < APP_THEME__COUNT; theme++) {
                reopen(f, sizes[k][0], sizes[k][1]);
                assert_int_equal(f->app.n_camp, 2);
                pet_tour(&f->app, size, theme, n++);
            }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_vote_flow, setup, teardown),
        cmocka_unit_test_setup_teardown(test_session_wiped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_inactivity, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_already_voted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_online_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keyboard_focus, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cast_fails, setup, teardown),
        cmocka_unit_test_setup_teardown(test_out_of_service, setup, teardown),
        cmocka_unit_test_setup_teardown(test_package_deleted_running, setup, teardown),
        cmocka_unit_test(test_theme_contrast),
        cmocka_unit_test_setup_teardown(test_switch_scanning, setup, teardown),
        cmocka_unit_test_setup_teardown(test_every_size, setup, teardown),
        cmocka_unit_test_setup_teardown(test_touch_and_paging, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_title_notice, setup, teardown),
        cmocka_unit_test_setup_teardown(test_detail_page_count, setup, teardown),
        cmocka_unit_test_setup_teardown(test_largest_pages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audio_session, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audio_needs_voice, setup, teardown),
        cmocka_unit_test_setup_teardown(test_petition_flow, setup_both, teardown),
        cmocka_unit_test_setup_teardown(test_petition_alone, setup_both, teardown),
        cmocka_unit_test_setup_teardown(test_petition_long_text, setup_both, teardown),
        cmocka_unit_test_setup_teardown(test_petition_every_size, setup_both, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
