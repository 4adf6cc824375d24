/* test_script.c - the script parser: every command, and errors that name
 * the line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "bn_err.h"
#include "script.h"

static void test_parse_all(void **state)
{
    const char *text = "# a comment\n"
                       "\n"
                       "tap \"Touchez l'écran pour commencer\"\n"
                       "  tap 100 200   # a point\n"
                       "key Tab\n"
                       "key Shift+Tab\n"
                       "key A\n"
                       "key 7\n"
                       "type \"Le Gall \\\"dit\\\" Éloïse\"\n"
                       "wait 60000\n"
                       "shot receipt\n"
                       "expect screen projects\n"
                       "expect text \"Il reste\"\n"
                       "expect no text \"LE GALL\"\r\n";
    script_t s;
    char why[256] = "";

    (void)state;
    assert_int_equal(script_parse(text, &s, why, sizeof why), 0);
    assert_int_equal(s.n, 12);
    assert_int_equal(s.cmds[0].kind, SC_TAP_LABEL);
    assert_int_equal(s.cmds[0].line, 3);
    assert_string_equal(s.cmds[0].arg, "Touchez l'écran pour commencer");
    assert_int_equal(s.cmds[1].kind, SC_TAP_XY);
    assert_int_equal(s.cmds[1].x, 100);
    assert_int_equal(s.cmds[1].y, 200);
    assert_int_equal(s.cmds[2].key, KEY_TAB);
    assert_int_equal(s.cmds[3].key, KEY_SHIFT_TAB);
    assert_int_equal(s.cmds[4].key, 0);
    assert_string_equal(s.cmds[4].arg, "A");
    assert_string_equal(s.cmds[5].arg, "7");
    assert_int_equal(s.cmds[6].kind, SC_TYPE);
    assert_string_equal(s.cmds[6].arg, "Le Gall \"dit\" Éloïse");
    assert_int_equal(s.cmds[7].kind, SC_WAIT);
    assert_int_equal(s.cmds[7].ms, 60000);
    assert_int_equal(s.cmds[8].kind, SC_SHOT);
    assert_string_equal(s.cmds[8].arg, "receipt");
    assert_int_equal(s.cmds[9].kind, SC_EXPECT_SCREEN);
    assert_string_equal(s.cmds[9].arg, "projects");
    assert_int_equal(s.cmds[10].kind, SC_EXPECT_TEXT);
    assert_int_equal(s.cmds[11].kind, SC_EXPECT_NO_TEXT);
    assert_string_equal(s.cmds[11].arg, "LE GALL");
    script_free(&s);
}

static void bad(const char *text, const char *want)
{
    script_t s;
    char why[256] = "";

    assert_int_equal(script_parse(text, &s, why, sizeof why), BN_EFORMAT);
    assert_null(s.cmds);
    if (strstr(why, want) == NULL)
        fail_msg("'%s' gave '%s', expected '%s'", text, why, want);
}

static void test_errors(void **state)
{
    (void)state;
    bad("tap \"A\"\nfrobnicate\n", "line 2: unknown command 'frobnicate'");
    bad("tap \"unterminated\n", "line 1: tap: unterminated");
    bad("tap 12\n", "line 1: tap: expected Y");
    bad("tap\n", "line 1: tap: expected \"LABEL\" or X Y");
    bad("\n\nkey Hyper\n", "line 3: key: unknown key 'Hyper'");
    bad("key\n", "line 1: key: expected a key name");
    bad("type Le Gall\n", "line 1: type: expected \"TEXT\"");
    bad("wait soon\n", "line 1: wait: expected milliseconds");
    bad("wait -5\n", "line 1: wait: expected milliseconds");
    bad("shot ../etc/x\n", "line 1: shot: expected a file name");
    bad("expect\n", "line 1: expect: expected");
    bad("expect screen\n", "line 1: expect screen: expected a screen name");
    bad("expect no thing\n", "line 1: expect no text");
    bad("tap \"A\" extra\n", "line 1: unexpected 'extra' at the end");
    bad("wait 100 200\n", "line 1: unexpected '200'");
    bad("expect focus Suivant\n", "line 1: expect focus: expected \"LABEL\"");
    bad("key F13\n", "line 1: key: unknown key 'F13'");
}

/* The switch keys and the scanning check. */
static void test_switch_commands(void **state)
{
    script_t s;
    char why[256] = "";

    (void)state;
    assert_int_equal(script_parse("key F1\nkey F12\nkey Return\nexpect focus \"Suivant\"\n", &s,
                                  why, sizeof why), 0);
    assert_int_equal(s.n, 4);
    assert_int_equal(s.cmds[0].key, KEY_F1);
    assert_int_equal(s.cmds[1].key, KEY_F12);
    assert_int_equal(s.cmds[2].key, KEY_ENTER);
    assert_int_equal(s.cmds[3].kind, SC_EXPECT_FOCUS);
    assert_string_equal(s.cmds[3].arg, "Suivant");
    script_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_all),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_switch_commands),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
