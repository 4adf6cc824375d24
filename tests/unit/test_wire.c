/* test_wire.c - big-endian integers and strict token fields. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "wire.h"

static void test_be(void **state)
{
    uint8_t b[8];

    (void)state;
    wire_put_be(b, 0x0102030405060708ull, 8);
    assert_int_equal(b[0], 1);
    assert_int_equal(b[7], 8);
    assert_true(wire_get_be(b, 8) == 0x0102030405060708ull);
    wire_put_be(b, 0xabcd, 2);
    assert_int_equal(b[0], 0xab);
    assert_int_equal(wire_get_be(b, 2), 0xabcd);
    wire_put_be(b, 0x1ffff, 2); /* truncated to the low bytes */
    assert_int_equal(wire_get_be(b, 2), 0xffff);
}

static void test_tokens(void **state)
{
    static const char *good[] = {"a", "0", "bp35-demo", "ren-jardin", "abcdefghijklmnop", "a-"};
    static const char *bad[] = {"", "-a", "A", "a b", "a_b", "é", "abcdefghijklmnopq", "a.b"};
    uint8_t f[WIRE_TOKEN_LEN];
    char out[WIRE_TOKEN_LEN + 1];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof good / sizeof good[0]; i++) {
        if (!wire_token_ok(good[i]))
            fail_msg("'%s' should be a token", good[i]);
        wire_token_put(f, good[i]);
        assert_null(wire_token_get(f, out));
        assert_string_equal(out, good[i]);
    }
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (wire_token_ok(bad[i]))
            fail_msg("'%s' should not be a token", bad[i]);
    /* fields: one spelling only */
    memset(f, 0, sizeof f);
    assert_non_null(wire_token_get(f, out));          /* empty */
    memcpy(f, "ab\0c", 4);
    assert_non_null(wire_token_get(f, out));          /* junk after the padding */
    memset(f, 0, sizeof f);
    memcpy(f, "-ab", 3);
    assert_non_null(wire_token_get(f, out));          /* '-' first */
    memset(f, 0, sizeof f);
    memcpy(f, "aB", 2);
    assert_non_null(wire_token_get(f, out));          /* uppercase */
    memcpy(f, "abcdefghijklmnop", 16);
    assert_null(wire_token_get(f, out));              /* 16 bytes, no NUL */
    assert_string_equal(out, "abcdefghijklmnop");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_be),
        cmocka_unit_test(test_tokens),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
