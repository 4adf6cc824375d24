/* test_vcode.c - supervised eligibility (CAST-C8): the desk registers a
 * person and hands a single-use voting code; the kiosk takes it once, the
 * day it was given, for its campaign; nothing in the store ties the code to
 * the register entry or to the ballot. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bn_err.h"
#include "cast.h"
#include "day.h"
#include "key.h"
#include "pkg.h"
#include "polls.h"
#include "rng.h"
#include "store.h"
#include "testutil.h"
#include "vcode.h"

typedef struct fx_s {
    char *dir, db[600];
    pkg_t *p;
    store_t *st;
    rng_t *rng;
    key_pair_t *key;
    signer_t signer;
    cast_ctx_t ctx;
    uint32_t day;
} fx_t;

static int setup(void **state)
{
    fx_t *f = calloc(1, sizeof *f);
    char *path = tu_asset("campaigns/demo-budget.json"), why[256];
    uint8_t *text;
    size_t len;

    f->dir = tu_tmpdir("vcode");
    text = tu_read(path, &len);
    if (pkg_parse((const char *)text, len, &f->p, why, sizeof why) != 0)
        fail_msg("%s: %s", path, why);
    free(text);
    free(path);
    f->p->supervised = 1;
    snprintf(f->db, sizeof f->db, "%s/kiosk.db", f->dir);
    assert_int_equal(store_open(f->db, &f->st, why, sizeof why), 0);
    assert_int_equal(rng_open(&f->rng), 0);
    assert_int_equal(key_generate(f->rng, &f->key), 0);
    key_signer(f->key, &f->signer);
    f->ctx.store = f->st;
    f->ctx.pkg = f->p;
    f->ctx.signer = &f->signer;
    f->ctx.rng = f->rng;
    assert_int_equal(rng_bytes(f->rng, f->ctx.secret, 32), 0);
    assert_int_equal(store_put_campaign(f->st, f->p->id, (const uint8_t *)"pkg", 3,
                                        f->ctx.secret), 0);
    assert_int_equal(store_meta_set(f->st, "polls:bp35-demo", "open"), 0);
    assert_int_equal(day_parse("2027-03-02", &f->day), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx_t *f = *state;

    store_close(f->st);
    key_free(f->key);
    rng_close(f->rng);
    pkg_free(f->p);
    tu_rmtree(f->dir);
    free(f->dir);
    free(f);
    return 0;
}

static void test_code_text(void **state)
{
    char c[VCODE_TEXT_LEN + 1], out[VCODE_TEXT_LEN + 1], typo[VCODE_TEXT_LEN + 1];
    rng_t *rng = NULL;
    int i, caught = 0;

    (void)state;
    assert_int_equal(rng_open(&rng), 0);
    assert_int_equal(vcode_make(rng, c), 0);
    assert_int_equal(strlen(c), VCODE_TEXT_LEN);
    assert_int_equal(vcode_parse(c, out), 0);
    assert_string_equal(c, out);
    assert_int_equal(vcode_parse("1234-5678", out), BN_EFORMAT);
    assert_int_equal(vcode_parse("1234 5678 901a", out), BN_EFORMAT);
    /* every single mistyped digit is caught */
    for (i = 0; i < VCODE_TEXT_LEN; i++) {
        int d;
        if (c[i] == ' ')
            continue;
        for (d = 0; d < 10; d++) {
            memcpy(typo, c, sizeof typo);
            if (typo[i] == '0' + d)
                continue;
            typo[i] = (char)('0' + d);
            caught += vcode_parse(typo, out) == BN_ECHECK;
        }
    }
    assert_int_equal(caught, 12 * 9);
    rng_close(rng);
}

/* (CAST-C8) */
static void test_desk_then_kiosk(void **state)
{
    fx_t *f = *state;
    cast_identity_t anne = {"Martin", "Anne", "1980-02-03", "35238"};
    cast_identity_t young = {"Martin", "Léa", "2020-02-03", "35238"};
    char code[VCODE_TEXT_LEN + 1], code2[VCODE_TEXT_LEN + 1], why[300], bad[VCODE_TEXT_LEN + 1];
    int sel[1] = {0}, territory = -1;
    cast_receipt_t rec;
    int64_t reg = 0, box = 0;

    /* an identity typed at the kiosk is refused for a supervised campaign */
    assert_int_equal(cast_budget(&f->ctx, &anne, sel, 1, f->day, &rec, why, sizeof why),
                     BN_EPERM);
    assert_non_null(strstr(why, "supervised"));
    /* the desk: eligibility as a cast, once per person */
    assert_int_equal(cast_issue_code(&f->ctx, &young, f->day, code, why, sizeof why), BN_ERANGE);
    assert_int_equal(cast_issue_code(&f->ctx, &anne, f->day, code, why, sizeof why), 0);
    assert_int_equal(cast_issue_code(&f->ctx, &anne, f->day, code2, why, sizeof why),
                     BN_EALREADY);
    assert_int_equal(code2[0], '\0');
    assert_int_equal(store_counts(f->st, f->p->id, &reg, &box), 0);
    assert_true(reg == 1 && box == 0);
    /* the kiosk: the code, once, that day */
    assert_int_equal(cast_code_check(&f->ctx, code, f->day, &territory, why, sizeof why), 0);
    assert_int_equal(territory, pkg_commune_territory(f->p, pkg_find_commune(f->p, "35238")));
    assert_int_equal(cast_code_check(&f->ctx, code, f->day + 1, &territory, why, sizeof why),
                     BN_EEXPIRED);
    memcpy(bad, code, sizeof bad);
    bad[0] = bad[0] == '9' ? '0' : (char)(bad[0] + 1);
    assert_int_equal(cast_code_check(&f->ctx, bad, f->day, &territory, why, sizeof why),
                     BN_ECHECK);
    assert_int_equal(cast_budget_code(&f->ctx, code, sel, 1, f->day, &rec, why, sizeof why), 0);
    assert_int_equal(strlen(rec.tracking), TRACK_TEXT_LEN);
    assert_int_equal(cast_budget_code(&f->ctx, code, sel, 1, f->day, &rec, why, sizeof why),
                     BN_EALREADY);
    assert_non_null(strstr(why, "already used"));
    assert_int_equal(store_counts(f->st, f->p->id, &reg, &box), 0);
    assert_true(reg == 1 && box == 1);
    /* a code of this kiosk is useless on another campaign */
    {
        const char *id = f->p->id;
        char other[] = "bp35-other";
        uint8_t secret[32] = {9};
        assert_int_equal(store_put_campaign(f->st, other, (const uint8_t *)"pkg", 3, secret), 0);
        assert_int_equal(store_meta_set(f->st, "polls:bp35-other", "open"), 0);
        snprintf(f->p->id, sizeof f->p->id, "%s", other);
        memcpy(f->ctx.secret, secret, 32);
        assert_int_equal(cast_code_check(&f->ctx, code, f->day, &territory, why, sizeof why),
                         BN_ENOTFOUND);
        (void)id;
        snprintf(f->p->id, sizeof f->p->id, "bp35-demo");
    }
    /* paused: no code is taken */
    assert_int_equal(store_meta_set(f->st, "polls:bp35-demo", "paused"), 0);
    assert_int_equal(cast_code_check(&f->ctx, code, f->day, &territory, why, sizeof why),
                     BN_ECLOSED);
}

/* (CAST-C8) the store keeps no code text, and the issued code is not kept
 * with the register entry: the file never holds the code's digits. */
static void test_code_not_stored(void **state)
{
    fx_t *f = *state;
    cast_identity_t anne = {"Martin", "Anne", "1980-02-03", "35238"};
    char code[VCODE_TEXT_LEN + 1], why[300], digits[VCODE_DIGITS + 1];
    size_t len, i, k = 0;
    uint8_t *file;

    assert_int_equal(cast_issue_code(&f->ctx, &anne, f->day, code, why, sizeof why), 0);
    for (i = 0; code[i]; i++)
        if (code[i] != ' ')
            digits[k++] = code[i];
    digits[k] = '\0';
    store_close(f->st);
    f->st = NULL;
    file = tu_read(f->db, &len);
    assert_non_null(file);
    assert_null(memmem(file, len, code, strlen(code)));
    assert_null(memmem(file, len, digits, strlen(digits)));
    free(file);
    assert_int_equal(store_open(f->db, &f->st, why, sizeof why), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_code_text),
        cmocka_unit_test_setup_teardown(test_desk_then_kiosk, setup, teardown),
        cmocka_unit_test_setup_teardown(test_code_not_stored, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
