/* test_hex.c - strict lowercase hexadecimal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "bn_err.h"
#include "hex.h"

static void test_hex(void **state)
{
    const uint8_t in[4] = {0x00, 0x9f, 0xa0, 0xff};
    uint8_t out[4];
    char t[9];

    (void)state;
    hex_encode(in, 4, t);
    assert_string_equal(t, "009fa0ff");
    assert_int_equal(hex_decode(t, 8, out, 4), 0);
    assert_memory_equal(in, out, 4);
    assert_int_equal(hex_decode("009FA0FF", 8, out, 4), BN_EFORMAT);
    assert_int_equal(hex_decode("009fa0f", 7, out, 4), BN_EFORMAT);
    assert_int_equal(hex_decode("009fa0fg", 8, out, 4), BN_EFORMAT);
    assert_int_equal(hex_decode("009fa0ff00", 10, out, 4), BN_EFORMAT);
    assert_string_equal(bn_strerror(BN_EALREADY), "this person has already taken part");
    assert_string_equal(bn_strerror(1234), "unknown error");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hex),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
