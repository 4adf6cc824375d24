/* test_turnout.c - turnout per territory and per commune (tally/turnout.h):
 * sums of the kiosks' closing reports, and (TURNOUT-T1) (TURNOUT-T2), the rule that keeps
 * the count of a commune below 10 participants from being published or
 * worked out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "turnout.h"

/* Territory 0: communes 0, 1, 2; territory 1: communes 3, 4; territory 2:
 * commune 5 alone, as their cantons say. */
static pkg_territory_t territories[3] = {{.id = "rennes"}, {.id = "vitre"}, {.id = "redon"}};
static pkg_canton_t cantons[3] = {{.id = "c-rennes", .territory = 0},
                                  {.id = "c-vitre", .territory = 1},
                                  {.id = "c-redon", .territory = 2}};
static pkg_commune_t communes[6] = {
    {.insee = "35024", .canton = 0, .territory = 0}, {.insee = "35047", .canton = 0, .territory = 0},
    {.insee = "35238", .canton = 0, .territory = 0}, {.insee = "35001", .canton = 1, .territory = 1},
    {.insee = "35360", .canton = 1, .territory = 1}, {.insee = "35236", .canton = 2, .territory = 2}};
static pkg_t pkg = {
    .id = "bp", .kind = PKG_BUDGET, .n_territories = 3, .territories = territories,
    .n_cantons = 3, .cantons = cantons, .n_communes = 6, .communes = communes,
};

/* Up to 4 kiosks, each with the communes of its closing report (verify.h,
 * (VERIFY-V8)): what turnout_compute reads. */
#define N_K 4
static verify_kiosk_t kiosks[N_K];
static int kc[N_K][8];
static int64_t kn[N_K][8];
static verify_t v = {.pkg = &pkg, .n_kiosks = N_K, .kiosks = kiosks};

static void reset(void)
{
    int k;

    memset(kiosks, 0, sizeof kiosks);
    for (k = 0; k < N_K; k++) {
        kiosks[k].turnout_commune = kc[k];
        kiosks[k].turnout_n = kn[k];
        kiosks[k].has_report = 1;
        kiosks[k].turnout_known = 1;
    }
}

/* Kiosk k's report counts n participants of commune c. */
static void count(int k, int c, int64_t n)
{
    verify_kiosk_t *ks = &kiosks[k];

    kc[k][ks->n_turnout] = c;
    kn[k][ks->n_turnout++] = n;
    ks->rep_registered += n;
    ks->registered += n;
}

/* `n` participants of commune c, at kiosk 0; returns first + n. */
static int people(int first, int n, int c)
{
    count(0, c, n);
    return first + n;
}

/* (TURNOUT-T2) turnout_disclosed on hand-made tables. */
static void test_disclosed(void **state)
{
    const int64_t s12[1] = {12}, s15_20[2] = {15, 20}, s9[1] = {9};

    (void)state;
    /* nothing hidden: nothing to work out */
    assert_int_equal(turnout_disclosed(12, s12, 1, 0, 0), 0);
    /* one commune "fewer than 10": always pinned by the total */
    assert_int_equal(turnout_disclosed(15, s12, 1, 1, 0), 1);
    /* two: 3 between them could be 0+3, 1+2 ... */
    assert_int_equal(turnout_disclosed(15, s12, 1, 2, 0), 0);
    /* two adding up to 0 or to 18: each is 0, or 9 */
    assert_int_equal(turnout_disclosed(12, s12, 1, 2, 0), 1);
    assert_int_equal(turnout_disclosed(30, s12, 1, 2, 0), 1);
    /* one fewer (0..9) and one hidden (10..12): 15 = 3+12 ... 5+10 */
    assert_int_equal(turnout_disclosed(15, NULL, 0, 1, 1), 0);
    /* hidden at most the smallest shown (15): 10 + 15 = 25 needs the hidden
     * one at 15 and the fewer one at 9 + 1? no: 25 - 15 = 10 > 9, impossible */
    assert_int_equal(turnout_disclosed(15 + 20 + 25, s15_20, 2, 1, 1), -1);
    /* 24 = 9 + 15: the hidden one at 15 (its maximum) and the fewer at 9 */
    assert_int_equal(turnout_disclosed(15 + 20 + 24, s15_20, 2, 1, 1), 1);
    assert_int_equal(turnout_disclosed(15 + 20 + 23, s15_20, 2, 1, 1), 0);
    /* impossible tables: a count below 10 shown, more than 9 per fewer one */
    assert_int_equal(turnout_disclosed(9, s9, 1, 0, 0), -1);
    assert_int_equal(turnout_disclosed(12 + 10, s12, 1, 1, 0), -1);
    assert_int_equal(turnout_disclosed(11, s12, 1, 0, 0), -1);
}

/* (TURNOUT-T1) 12 and 3 in a territory of 3 communes: 12 shown, 3 and 0 "fewer than
 * 10"; 12 and 3 in one of 2: the 3 would be 15 - 12, so the 12 is hidden
 * too (TURNOUT-T2); a territory of one commune shows... nothing more than its
 * total. */
static void test_twelve_and_three(void **state)
{
    turnout_t t;
    int next;

    (void)state;
    reset();
    next = people(0, 12, 2);      /* Rennes 35238: 12 */
    next = people(next, 3, 1);    /* Bruz 35047: 3; Betton 35024: 0 */
    next = people(next, 12, 4);   /* Vitré 35360: 12 */
    next = people(next, 3, 3);    /* Acigné 35001: 3 */
    next = people(next, 4, 5);    /* Redon: 4, alone in its territory */
    assert_int_equal(turnout_compute(&pkg, &v, &t), 0);
    assert_int_equal(t.participants, next);
    assert_int_equal(t.terr[0].participants, 15);
    assert_int_equal(t.communes[2].shown, TURNOUT_SHOWN);
    assert_int_equal(t.communes[2].participants, 12);
    assert_int_equal(t.communes[1].shown, TURNOUT_FEWER);
    assert_int_equal(t.communes[0].shown, TURNOUT_FEWER);
    assert_int_equal(t.communes[0].participants, 0);
    assert_int_equal(t.terr[1].participants, 15);
    assert_int_equal(t.communes[3].shown, TURNOUT_FEWER);
    assert_int_equal(t.communes[4].shown, TURNOUT_HIDDEN);  /* (TURNOUT-T2) */
    assert_int_equal(t.terr[2].participants, 4);
    assert_int_equal(t.communes[5].shown, TURNOUT_FEWER);   /* pinned, but nothing left to hide */
    turnout_free(&t);
}

/* (TURNOUT-T2) repeats. 9 + 9 + 10: the two nines are pinned by the total (18 left
 * for two communes of at most 9), so the 10 is hidden. 0 + 10 + 10: Betton
 * (0) is pinned; Bruz (10, first of the smallest) is hidden; then Betton is
 * still pinned (20 - 10 shown, and the hidden one is at most 10), so Rennes
 * is hidden too; nothing is left to hide (the total says the rest). */
static void test_secondary_repeats(void **state)
{
    turnout_t t;
    int next;

    (void)state;
    reset();
    next = people(0, 9, 0);
    next = people(next, 9, 1);
    people(next, 10, 2);
    assert_int_equal(turnout_compute(&pkg, &v, &t), 0);
    assert_int_equal(t.terr[0].participants, 28);
    assert_int_equal(t.communes[0].shown, TURNOUT_FEWER);
    assert_int_equal(t.communes[1].shown, TURNOUT_FEWER);
    assert_int_equal(t.communes[2].shown, TURNOUT_HIDDEN);
    turnout_free(&t);
    reset();
    next = people(0, 10, 1);
    people(next, 10, 2);
    assert_int_equal(turnout_compute(&pkg, &v, &t), 0);
    assert_int_equal(t.communes[0].shown, TURNOUT_FEWER);
    assert_int_equal(t.communes[1].shown, TURNOUT_HIDDEN);
    assert_int_equal(t.communes[2].shown, TURNOUT_HIDDEN);
    turnout_free(&t);
}

/* Where the figures come from: the sum over kiosks of their reports'
 * counts; a territory is the sum of its communes; a kiosk without a report,
 * or whose report gives no communes, counts apart (unknown) and makes the
 * turnout incomplete, as do counts of a commune outside the package. */
static void test_sums_over_kiosks(void **state)
{
    turnout_t t;

    (void)state;
    reset();
    count(0, 2, 5);               /* kiosk 0: Rennes 5, Bruz 1 */
    count(0, 1, 1);
    count(1, 2, 7);               /* kiosk 1: Rennes 7, Vitre 2 */
    count(1, 4, 2);
    assert_int_equal(turnout_compute(&pkg, &v, &t), 0);
    assert_int_equal(t.communes[2].participants, 12);
    assert_int_equal(t.communes[1].participants, 1);
    assert_int_equal(t.communes[4].participants, 2);
    assert_int_equal(t.terr[0].participants, 13);
    assert_int_equal(t.terr[1].participants, 2);
    assert_int_equal(t.terr[2].participants, 0);
    assert_int_equal(t.participants, 15);
    assert_int_equal(t.unknown_entries, 0);
    assert_int_equal(t.excluded_entries, 0);
    assert_true(t.complete);
    /* 12 shown; Bruz 1 and Betton 0 fewer than 10 (13 - 12 = 1 between
     * them: 0+1 or 1+0, not pinned) */
    assert_int_equal(t.communes[2].shown, TURNOUT_SHOWN);
    assert_int_equal(t.communes[1].shown, TURNOUT_FEWER);
    assert_int_equal(t.communes[0].shown, TURNOUT_FEWER);
    turnout_free(&t);
    /* kiosk 2: a report without communes (6 registered); kiosk 3: no
     * report (4 entries received); 3 counted in a commune outside the
     * package at kiosk 1 (verify left it out, V8) */
    kiosks[2].turnout_known = 0;
    kiosks[2].rep_registered = 6;
    kiosks[3].turnout_known = 0;
    kiosks[3].has_report = 0;
    kiosks[3].registered = 4;
    kiosks[1].turnout_excluded = 3;
    assert_int_equal(turnout_compute(&pkg, &v, &t), 0);
    assert_int_equal(t.participants, 15);
    assert_int_equal(t.unknown_entries, 10);
    assert_int_equal(t.excluded_entries, 3);
    assert_false(t.complete);
    turnout_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_disclosed),
        cmocka_unit_test(test_twelve_and_three),
        cmocka_unit_test(test_secondary_repeats),
        cmocka_unit_test(test_sums_over_kiosks),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
