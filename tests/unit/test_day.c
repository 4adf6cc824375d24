/* test_day.c - day numbers, ISO dates, ages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "bn_err.h"
#include "day.h"

static void test_known_days(void **state)
{
    uint32_t d;
    char t[DAY_TEXT_LEN + 1];

    (void)state;
    assert_int_equal(day_parse("1970-01-01", &d), 0);
    assert_int_equal(d, 0);
    assert_int_equal(day_parse("2000-03-01", &d), 0);
    assert_int_equal(d, 11017);
    assert_int_equal(day_parse("2026-11-28", &d), 0);
    assert_int_equal(d, 20785);
    day_format(d, t);
    assert_string_equal(t, "2026-11-28");
    assert_int_equal(day_parse("2024-02-29", &d), 0);
    day_format(d + 1, t);
    assert_string_equal(t, "2024-03-01");
}

static void test_round_trip(void **state)
{
    uint32_t d, e;
    char t[DAY_TEXT_LEN + 1];

    (void)state;
    for (d = 0; d < 80 * 366; d++) {
        day_format(d, t);
        assert_int_equal(day_parse(t, &e), 0);
        assert_int_equal(d, e);
    }
}

static void test_bad_dates(void **state)
{
    static const struct { const char *text; int rc; } bad[] = {
        {"2026-02-29", BN_ERANGE}, {"1900-02-29", BN_ERANGE}, {"2026-13-01", BN_ERANGE},
        {"2026-00-10", BN_ERANGE}, {"2026-04-31", BN_ERANGE}, {"2026-01-00", BN_ERANGE},
        {"1969-12-31", BN_ERANGE}, {"2026-1-01", BN_EFORMAT}, {"2026-01-01 ", BN_EFORMAT},
        {"26-01-01", BN_EFORMAT}, {"2026/01/01", BN_EFORMAT}, {"", BN_EFORMAT},
        {"2026-01-0a", BN_EFORMAT},
    };
    uint32_t d;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (day_parse(bad[i].text, &d) != bad[i].rc)
            fail_msg("day_parse(\"%s\") should give %d", bad[i].text, bad[i].rc);
    }
    assert_int_equal(day_parse(NULL, &d), BN_EFORMAT);
}

static void test_ages(void **state)
{
    uint32_t on;
    int y, m, d;

    (void)state;
    assert_int_equal(day_parse("2026-11-28", &on), 0);
    assert_int_equal(day_parse_ymd("2010-11-28", &y, &m, &d), 0);
    assert_int_equal(day_age(y, m, d, on), 16);
    assert_int_equal(day_parse_ymd("2010-11-29", &y, &m, &d), 0);
    assert_int_equal(day_age(y, m, d, on), 15);
    assert_int_equal(day_parse_ymd("1931-05-02", &y, &m, &d), 0); /* before 1970 */
    assert_int_equal(day_age(y, m, d, on), 95);
    assert_int_equal(day_parse_ymd("2030-01-01", &y, &m, &d), 0); /* not born */
    assert_int_equal(day_age(y, m, d, on), 0);
    /* Born 29 February 2008: 16 on 1 March 2024? No: 2024 is a leap year, so on 29 Feb. */
    assert_int_equal(day_parse("2024-02-29", &on), 0);
    assert_int_equal(day_age(2008, 2, 29, on), 16);
    assert_int_equal(day_parse("2025-02-28", &on), 0);
    assert_int_equal(day_age(2008, 2, 29, on), 16);
    assert_int_equal(day_parse("2023-02-28", &on), 0);
    assert_int_equal(day_age(2008, 2, 29, on), 14);
    assert_int_equal(day_parse("2023-03-01", &on), 0);
    assert_int_equal(day_age(2008, 2, 29, on), 15);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_days),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_bad_dates),
        cmocka_unit_test(test_ages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
