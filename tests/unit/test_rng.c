/* test_rng.c - the random generator: OS-seeded streams differ, fixed seeds repeat. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "rng.h"

static void test_fixed_repeats(void **state)
{
    rng_t *a, *b, *c;
    uint8_t x[100000], y[100000], z[64];

    (void)state;
    assert_int_equal(rng_open_fixed(&a, (const uint8_t *)"seed", 4), 0);
    assert_int_equal(rng_open_fixed(&b, (const uint8_t *)"seed", 4), 0);
    assert_int_equal(rng_open_fixed(&c, (const uint8_t *)"seeD", 4), 0);
    /* Larger than one CTR_DRBG request, and crossing reseeds. */
    assert_int_equal(rng_bytes(a, x, sizeof x), 0);
    assert_int_equal(rng_bytes(b, y, sizeof y), 0);
    assert_memory_equal(x, y, sizeof x);
    assert_int_equal(rng_bytes(c, z, sizeof z), 0);
    assert_memory_not_equal(x, z, sizeof z);
    rng_close(a);
    rng_close(b);
    rng_close(c);
    rng_close(NULL);
}

static void test_os_differs(void **state)
{
    rng_t *a, *b;
    uint8_t x[32], y[32];
    int ones = 0, i;
    uint8_t big[4096];

    (void)state;
    assert_int_equal(rng_open(&a), 0);
    assert_int_equal(rng_open(&b), 0);
    assert_int_equal(rng_bytes(a, x, sizeof x), 0);
    assert_int_equal(rng_bytes(b, y, sizeof y), 0);
    assert_memory_not_equal(x, y, sizeof x);
    /* A crude sanity check on the bit balance of 32768 bits (mean 16384, sd 90). */
    assert_int_equal(rng_bytes(a, big, sizeof big), 0);
    for (i = 0; i < (int)sizeof big; i++)
        ones += __builtin_popcount(big[i]);
    assert_in_range(ones, 16384 - 900, 16384 + 900);
    rng_close(a);
    rng_close(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixed_repeats),
        cmocka_unit_test(test_os_differs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
