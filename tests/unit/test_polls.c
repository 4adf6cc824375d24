/* test_polls.c - a campaign's polls at one kiosk: closed -> open <-> paused ->
 * closed for good, two agents to open and to close, one to pause and
 * resume, the dates, an empty box at opening, a state that survives a
 * restart (POLLS-P1). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bn_err.h"
#include "day.h"
#include "pkg.h"
#include "polls.h"
#include "store.h"
#include "testutil.h"

static const agent_t marie = {.id = "marie", .name = "Marie", .role = AGENT_ROLE_AGENT};
static const agent_t paul = {.id = "paul", .name = "Paul", .role = AGENT_ROLE_AGENT};
static const agent_t yann = {.id = "yann", .name = "Yann", .role = AGENT_ROLE_TECHNICIAN};

static pkg_t *demo(void)
{
    char *path = tu_asset("campaigns/demo-budget.json"), why[256];
    uint8_t *text;
    size_t len;
    pkg_t *p = NULL;

    text = tu_read(path, &len);
    assert_non_null(text);
    if (pkg_parse((const char *)text, len, &p, why, sizeof why) != 0)
        fail_msg("%s: %s", path, why);
    free(text);
    free(path);
    return p;
}

static uint32_t day(const char *s)
{
    uint32_t d = 0;

    assert_int_equal(day_parse(s, &d), 0);
    return d;
}

#define REFUSED(call, code, msg)                                                          \
    do {                                                                                  \
        why[0] = '\0';                                                                    \
        assert_int_equal((call), (code));                                                 \
        if (strstr(why, (msg)) == NULL)                                                   \
            fail_msg("\"%s\" does not say \"%s\"", why, (msg));                           \
    } while (0)

/* (POLLS-P1) */
static void test_states(void **state)
{
    char *dir = tu_tmpdir("polls"), path[512], why[400];
    pkg_t *p = demo();
    store_t *st = NULL;
    polls_state_t s;
    uint32_t today = day("2027-03-02");

    (void)state;
    snprintf(path, sizeof path, "%s/kiosk.db", dir);
    assert_int_equal(store_open(path, &st, why, sizeof why), 0);
    assert_int_equal(polls_get(st, p->id, &s), 0);
    assert_int_equal(s, POLLS_CLOSED);
    assert_int_equal(polls_accepts(st, p, today, why, sizeof why), 0);
    assert_non_null(strstr(why, "are closed"));

    /* two keys, two people, agents both */
    REFUSED(polls_open(st, p, &marie, &marie, today, why, sizeof why), BN_EPERM,
            "the same agent (marie) twice");
    REFUSED(polls_open(st, p, &marie, &yann, today, why, sizeof why), BN_EPERM,
            "yann is a technician");
    REFUSED(polls_open(st, p, &marie, NULL, today, why, sizeof why), BN_EPERM,
            "an agent's PIN is needed");
    REFUSED(polls_open(st, p, &marie, &paul, day("2026-08-31"), why, sizeof why), BN_ECLOSED,
            "opening refused on 2026-08-31: the polls of bp35-demo may be opened from "
            "2026-09-01, and close on 2028-12-31");
    REFUSED(polls_open(st, p, &marie, &paul, day("2029-01-01"), why, sizeof why), BN_ECLOSED,
            "opening refused on 2029-01-01: the polls of bp35-demo may be opened from "
            "2026-11-01, and close on 2028-12-31");
    assert_int_equal(polls_get(st, p->id, &s), 0);
    assert_int_equal(s, POLLS_CLOSED);

    assert_int_equal(polls_open(st, p, &marie, &paul, today, why, sizeof why), 0);
    assert_int_equal(polls_accepts(st, p, today, why, sizeof why), 1);
    /* the day after the last: nothing more, without a restart */
    assert_int_equal(polls_accepts(st, p, day("2029-01-01"), why, sizeof why), 0);
    assert_non_null(strstr(why, "casting refused on 2029-01-01"));
    REFUSED(polls_open(st, p, &marie, &paul, today, why, sizeof why), BN_EEXISTS,
            "are open: nothing to open");

    REFUSED(polls_pause(st, p, &yann, why, sizeof why), BN_EPERM, "technician");
    assert_int_equal(polls_pause(st, p, &paul, why, sizeof why), 0);
    assert_int_equal(polls_accepts(st, p, today, why, sizeof why), 0);
    assert_non_null(strstr(why, "are paused"));
    REFUSED(polls_pause(st, p, &paul, why, sizeof why), BN_ECLOSED, "only open polls pause");
    /* a restart keeps the state */
    store_close(st);
    st = NULL;
    assert_int_equal(store_open(path, &st, why, sizeof why), 0);
    assert_int_equal(polls_get(st, p->id, &s), 0);
    assert_int_equal(s, POLLS_PAUSED);
    REFUSED(polls_resume(st, p, &marie, day("2029-01-01"), why, sizeof why), BN_ECLOSED,
            "resuming refused on 2029-01-01");
    assert_int_equal(polls_resume(st, p, &marie, today, why, sizeof why), 0);
    assert_int_equal(polls_accepts(st, p, today, why, sizeof why), 1);

    REFUSED(polls_close(st, p, &paul, &paul, why, sizeof why), BN_EPERM, "the same agent");
    assert_int_equal(polls_close(st, p, &paul, &marie, why, sizeof why), 0);
    assert_int_equal(polls_accepts(st, p, today, why, sizeof why), 0);
    assert_non_null(strstr(why, "are closed for good"));
    REFUSED(polls_open(st, p, &marie, &paul, today, why, sizeof why), BN_ECLOSED,
            "they never open again");
    REFUSED(polls_resume(st, p, &marie, today, why, sizeof why), BN_ECLOSED,
            "only paused polls resume");
    REFUSED(polls_close(st, p, &paul, &marie, why, sizeof why), BN_ECLOSED,
            "only open or paused polls close for good");
    store_close(st);
    pkg_free(p);
    tu_rmtree(dir);
    free(dir);
}

/* (POLLS-P1) Opened the evening before: nothing is taken until the first
 * day, then everything, following the clock. */
static void test_open_the_day_before(void **state)
{
    char *dir = tu_tmpdir("polls"), path[512], why[400];
    pkg_t *p = demo();
    store_t *st = NULL;

    (void)state;
    snprintf(path, sizeof path, "%s/kiosk.db", dir);
    assert_int_equal(store_open(path, &st, why, sizeof why), 0);
    assert_int_equal(polls_open(st, p, &marie, &paul, day("2026-10-31"), why, sizeof why), 0);
    assert_int_equal(polls_accepts(st, p, day("2026-10-31"), why, sizeof why), 0);
    assert_int_equal(polls_accepts(st, p, day("2026-11-01"), why, sizeof why), 1);
    store_close(st);
    pkg_free(p);
    tu_rmtree(dir);
    free(dir);
}

/* A box is opened empty: a store holding a ballot of the campaign is refused. */
static void test_open_non_empty(void **state)
{
    char *dir = tu_tmpdir("polls"), path[512], why[400];
    uint8_t id[16] = {1}, ballot[64] = {2};
    store_cast_t c;
    pkg_t *p = demo();
    store_t *st = NULL;

    (void)state;
    snprintf(path, sizeof path, "%s/kiosk.db", dir);
    assert_int_equal(store_open(path, &st, why, sizeof why), 0);
    {
        uint8_t secret[32] = {5};
        assert_int_equal(store_put_campaign(st, p->id, (const uint8_t *)"pkg", 3, secret), 0);
    }
    memset(&c, 0, sizeof c);
    c.campaign = p->id;
    c.pseudonym[0] = 7;
    c.day = day("2027-03-02");
    c.commune = "35238";
    c.ballot_id = id;
    c.ballot = ballot;
    c.ballot_len = sizeof ballot;
    assert_int_equal(store_cast(st, &c), 0);
    REFUSED(polls_open(st, p, &marie, &paul, day("2027-03-02"), why, sizeof why), BN_EEXISTS,
            "the box of bp35-demo is not empty (1 register entries, 1 ballots)");
    store_close(st);
    pkg_free(p);
    tu_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_states),
        cmocka_unit_test(test_open_non_empty),
        cmocka_unit_test(test_open_the_day_before),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
