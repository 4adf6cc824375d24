/* test_i18n.c - translation catalogs (complete, consistent between
 * languages, well formed) and French money and date formatting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bn_err.h"
#include "i18n.h"
#include "testutil.h"

#define NNBSP "\xe2\x80\xaf" /* U+202F, thousands */
#define NBSP "\xc2\xa0"      /* U+00A0, before the euro sign */
#define EURO "\xe2\x82\xac"

static i18n_t *load(const char *lang)
{
    char rel[64], why[256] = "";
    char *path;
    i18n_t *c = NULL;

    snprintf(rel, sizeof rel, "i18n/%s.txt", lang);
    path = tu_asset(rel);
    assert_non_null(path);
    if (i18n_load(path, &c, why, sizeof why) != 0)
        fail_msg("%s", why);
    free(path);
    return c;
}

/* Every key of one catalog is in the other, with the same placeholders. */
static void same_keys(const i18n_t *a, const char *an, const i18n_t *b, const char *bn)
{
    int i, bad = 0;

    for (i = 0; i < i18n_count(a); i++) {
        const char *k = i18n_key(a, i), *tb = i18n_get(b, k);
        char pa[256], pb[256];
        if (tb == NULL) {
            print_error("key '%s' of %s is missing from %s\n", k, an, bn);
            bad++;
            continue;
        }
        i18n_placeholders(i18n_get(a, k), pa, sizeof pa);
        i18n_placeholders(tb, pb, sizeof pb);
        if (strcmp(pa, pb) != 0) {
            print_error("key '%s': placeholders {%s} in %s but {%s} in %s\n", k, pa, an, pb, bn);
            bad++;
        }
        if (*tb == '\0') {
            print_error("key '%s' is empty in %s\n", k, bn);
            bad++;
        }
    }
    assert_int_equal(bad, 0);
}

static void test_catalogs_complete(void **state)
{
    i18n_t *fr = load("fr"), *en = load("en");

    (void)state;
    assert_true(i18n_count(fr) > 50);
    same_keys(fr, "fr.txt", en, "en.txt");
    same_keys(en, "en.txt", fr, "fr.txt");
    assert_string_equal(i18n_get(fr, "lang.name"), "Français");
    assert_string_equal(i18n_get(en, "lang.name"), "English");
    assert_null(i18n_get(fr, "no.such.key"));
    i18n_free(fr);
    i18n_free(en);
}

/* Any other catalog of assets/i18n (a language added as a file) is complete. */
static void test_other_catalogs(void **state)
{
    char *dir = tu_asset("i18n");
    i18n_t *fr = load("fr");
    DIR *d;
    struct dirent *e;

    (void)state;
    assert_non_null(dir);
    d = opendir(dir);
    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        char lang[3];
        i18n_t *c;
        if (strlen(e->d_name) != 6 || strcmp(e->d_name + 2, ".txt") != 0)
            continue;
        memcpy(lang, e->d_name, 2);
        lang[2] = '\0';
        c = load(lang);
        same_keys(fr, "fr.txt", c, e->d_name);
        same_keys(c, e->d_name, fr, "fr.txt");
        i18n_free(c);
    }
    closedir(d);
    i18n_free(fr);
    free(dir);
}

static void test_catalog_syntax(void **state)
{
    i18n_t *c = NULL;
    char why[256];
    const char *ok = "# comment\n\n  a.b = Texte  avec = signe \r\nc=d\n";

    (void)state;
    assert_int_equal(i18n_parse(ok, strlen(ok), &c, why, sizeof why), 0);
    assert_int_equal(i18n_count(c), 2);
    assert_string_equal(i18n_get(c, "a.b"), "Texte  avec = signe");
    assert_string_equal(i18n_get(c, "c"), "d");
    i18n_free(c);

    assert_int_equal(i18n_parse("a = 1\nno equal sign\n", 20, &c, why, sizeof why), BN_EFORMAT);
    assert_null(c);
    assert_non_null(strstr(why, "line 2"));
    assert_int_equal(i18n_parse("a = 1\na = 2\n", 12, &c, why, sizeof why), BN_EFORMAT);
    assert_non_null(strstr(why, "duplicate key 'a'"));
    assert_int_equal(i18n_parse(" = x\n", 5, &c, why, sizeof why), BN_EFORMAT);
    assert_non_null(strstr(why, "empty key"));
    assert_int_equal(i18n_parse("a = \xc3\x28\n", 7, &c, why, sizeof why), BN_EFORMAT);
    assert_int_equal(i18n_parse("a = \xe2\x82\n", 7, &c, why, sizeof why), BN_EFORMAT);
    assert_int_equal(i18n_load("/nonexistent/xx.txt", &c, why, sizeof why), BN_EIO);
}

static void test_format(void **state)
{
    char out[64];
    const char *kv[] = {"n", "3", "max", "5", NULL};

    (void)state;
    i18n_format(out, sizeof out, "{n} sur {max} ({n})", kv);
    assert_string_equal(out, "3 sur 5 (3)");
    i18n_format(out, sizeof out, "{unknown} {n", kv);
    assert_string_equal(out, "{unknown} {n");
    i18n_format(out, 8, "ééééé", NULL); /* never cuts a character in two */
    assert_string_equal(out, "ééé");
    i18n_placeholders("{n} of {max}, {n}", out, sizeof out);
    assert_string_equal(out, "max,n");
}

static void test_money(void **state)
{
    char out[64];

    (void)state;
    fmt_money(1234567, out, sizeof out);
    assert_string_equal(out, "1" NNBSP "234" NNBSP "567" NBSP EURO);
    fmt_money(333333, out, sizeof out);
    assert_string_equal(out, "333" NNBSP "333" NBSP EURO);
    fmt_money(0, out, sizeof out);
    assert_string_equal(out, "0" NBSP EURO);
    fmt_money(999, out, sizeof out);
    assert_string_equal(out, "999" NBSP EURO);
    fmt_money(1000, out, sizeof out);
    assert_string_equal(out, "1" NNBSP "000" NBSP EURO);
    fmt_money(-1500, out, sizeof out);
    assert_string_equal(out, "-1" NNBSP "500" NBSP EURO);
    fmt_money(INT64_MIN, out, sizeof out);
    assert_string_equal(out, "-9" NNBSP "223" NNBSP "372" NNBSP "036" NNBSP "854" NNBSP "775" NNBSP
                             "808" NBSP EURO);
    fmt_int(12345, out, sizeof out);
    assert_string_equal(out, "12" NNBSP "345");
}

static void test_date(void **state)
{
    char out[16];

    (void)state;
    fmt_date(2024, 3, 31, out, sizeof out);
    assert_string_equal(out, "31/03/2024");
    fmt_date(1987, 4, 2, out, sizeof out);
    assert_string_equal(out, "02/04/1987");
}

/* What citizens tripped on (issue 16): administrative jargon with no plain
 * word beside it, and an English that is not English. The legal terms stay
 * only where a plain explanation comes with them (the same text). */
static void test_plain_words(void **state)
{
    static const struct {
        const char *lang, *word, *unless; /* the word is refused unless `unless` is there too */
    } rules[] = {
        {"fr", "enveloppe", NULL},
        {"fr", "chiffré", NULL},
        {"fr", "ordre du jour", NULL},
        {"fr", "pour qui vous avez voté", NULL},
        {"fr", "droit d'interpellation", "La loi appelle cela"},
        {"fr", "cantons", "parties du département"},
        {"en", "envelope", NULL},
        {"en", "encrypted", NULL},
        {"en", "Everyone can", NULL},
        {"en", "agenda", NULL},
    };
    size_t r;
    int i;

    (void)state;
    for (r = 0; r < sizeof rules / sizeof rules[0]; r++) {
        i18n_t *c = load(rules[r].lang);
        for (i = 0; i < i18n_count(c); i++) {
            const char *key = i18n_key(c, i), *raw = i18n_get(c, key), *p;
            char text[2048];
            size_t o = 0;
            for (p = raw; *p != '\0' && o + 1 < sizeof text; p++) { /* without {placeholders} */
                if (*p == '{' && strchr(p, '}') != NULL) {
                    p = strchr(p, '}');
                    continue;
                }
                text[o++] = *p;
            }
            text[o] = '\0';
            if (strncmp(key, "agent.", 6) == 0 || strncmp(key, "status.", 7) == 0 ||
                strncmp(key, "desk.", 5) == 0 || strncmp(key, "pin.", 4) == 0 ||
                strncmp(key, "report.", 7) == 0 || strncmp(key, "export.", 7) == 0 ||
                strncmp(key, "tech.", 5) == 0 || strncmp(key, "pet.count.cantons", 17) == 0)
                continue; /* the agents' screens; a count under its explanation */
            if (strstr(text, rules[r].word) != NULL &&
                (rules[r].unless == NULL || strstr(text, rules[r].unless) == NULL))
                fail_msg("%s.txt: %s: \"%s\" without a plain explanation: %s", rules[r].lang,
                         key, rules[r].word, text);
        }
        i18n_free(c);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_catalogs_complete),
        cmocka_unit_test(test_other_catalogs),
        cmocka_unit_test(test_catalog_syntax),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_money),
        cmocka_unit_test(test_date),
        cmocka_unit_test(test_plain_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
