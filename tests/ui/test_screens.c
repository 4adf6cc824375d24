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
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "app.h"
#include "bn_err.h"
#include "day.h"
#include "kiosk.h"
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

/* Layout rules of the frame on screen. */
static void check_frame(app_t *a)
{
    int i;

    app_draw(a);
    assert_int_equal(a->dl.overflow, 0);
    assert_int_equal(a->missing_keys, 0);
    for (i = 0; i < a->dl.nctl; i++) {
        const ui_ctl_t *c = &a->dl.ctls[i];
        if (c->r.h < 88)
            fail_msg("%s: control '%s' is %d px high (< 88)", app_screen_name(a->scr), c->label,
                     c->r.h);
        if (c->r.x < 0 || c->r.y < 0 || c->r.x + c->r.w > a->w || c->r.y + c->r.h > a->h)
            fail_msg("%s: control '%s' leaves the screen", app_screen_name(a->scr), c->label);
    }
    for (i = 0; i < a->dl.n; i++) {
        const dcmd_t *d = &a->dl.cmds[i];
        if (d->kind == DC_TEXT && (d->r.x < 0 || d->r.x + d->r.w > a->w || d->r.y < 0 ||
                                   d->r.y + d->r.h > a->h))
            fail_msg("%s: text '%s' leaves the screen", app_screen_name(a->scr), d->text);
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

/* Secrecy invariant 3: the end of a session leaves nothing of it. */
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
    app_reset_session(a);
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
    run(a, "type \"01012030\"\n tap \"Suivant\"\n expect text \"n'existe pas\"\n");
    a->s.field[ID_BIRTH][0] = '\0';
    /* 15 on the day: too young (16) */
    run(a, "type \"16032011\"\n tap \"Suivant\"\n type \"zzz\"\n"
           "expect text \"Aucune commune\"\n tap \"Continuer\"\n"
           "expect text \"Touchez le nom de votre commune\"\n");
    run(a, "key Backspace\n key Backspace\n key Backspace\n type \"saint-m\"\n"
           "expect text \"communes commencent ainsi\"\n type \"alo\"\n tap \"Saint-Malo\"\n"
           "tap \"Continuer\"\n expect screen message\n expect text \"16 ans\"\n");
    check_frame(a);
    app_action(a, ACT_FINISH);
    /* 16 the day before: may vote */
    run(a, "tap \"Touchez l'écran pour commencer\"\n type \"Hamon\"\n tap \"Suivant\"\n"
           "type \"Lou\"\n tap \"Suivant\"\n type \"14032011\"\n tap \"Suivant\"\n"
           "type \"saint-malo\"\n tap \"Continuer\"\n expect screen projects\n");
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
    run(a, "expect text \"Choisissez au moins 1 projet\"\n");
    for (i = 0; i < a->dl.nctl; i++)
        if (a->dl.ctls[i].action == ACT_CONFIRM)
            assert_int_equal(a->dl.ctls[i].enabled, 0);
    check_frame(a);
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

static void test_keyboard_focus(void **state)
{
    fixture_t *f = *state;
    app_t *a = &f->app;

    app_draw(a);
    assert_int_equal(a->focus, -1);
    app_key(a, KEY_TAB);
    assert_string_equal(a->dl.ctls[a->focus].label, "Français");
    app_key(a, KEY_TAB);
    app_key(a, KEY_ENTER); /* English */
    assert_int_equal(a->lang, 1);
    app_draw(a);
    app_key(a, KEY_TAB);   /* skips the unlabelled whole-screen control */
    assert_string_equal(a->dl.ctls[a->focus].label, "Touch the screen to start");
    app_key(a, KEY_SHIFT_TAB);
    assert_string_equal(a->dl.ctls[a->focus].label, "English");
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
    assert_int_equal(store_meta_set(a->store, "polls:bp35-demo", "closed"), 0);
    assert_int_equal(app_init(&b, assets, &fake, 1920, 1080, why, sizeof why), 0);
    assert_int_equal(kiosk_open(&b, f->dir, today(), why, sizeof why), BN_ECLOSED);
    assert_int_equal(b.scr, SCR_OUTOFSERVICE);
    assert_non_null(strstr(b.oos_reason, "not open"));
    check_frame(&b);
    run(&b, "expect text \"Borne momentanément hors service\"\n"
            "expect text \"Pour les agents : polls of 'bp35-demo' are not open\"\n");
    app_action(&b, ACT_START); /* nothing happens */
    assert_int_equal(b.scr, SCR_OUTOFSERVICE);
    app_free(&b);
    assert_int_equal(store_meta_set(a->store, "polls:bp35-demo", "open"), 0);

    /* a clock in 2001 */
    assert_int_equal(app_init(&b, assets, &fake, 1920, 1080, why, sizeof why), 0);
    assert_int_equal(kiosk_open(&b, f->dir, 11323, why, sizeof why), BN_ERANGE);
    assert_non_null(strstr(why, "clock"));
    app_free(&b);

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_vote_flow, setup, teardown),
        cmocka_unit_test_setup_teardown(test_session_wiped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_inactivity, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_already_voted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keyboard_focus, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cast_fails, setup, teardown),
        cmocka_unit_test_setup_teardown(test_out_of_service, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
