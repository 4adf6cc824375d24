/* test_agent.c - agents and their PINs at the kiosk: the right PIN names its
 * agent; wrong ones lock the pad after five, the wait doubling, across a
 * restart; the digits are never stored (AGENT-A1). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "bn_err.h"
#include "pin.h"
#include "rng.h"
#include "store.h"
#include "testutil.h"

static void write_agents(const char *path, rng_t *rng)
{
    char h1[PIN_HASH_MAX], h2[PIN_HASH_MAX], text[1024];
    FILE *f;

    assert_int_equal(pin_hash("246810", rng, h1), 0);
    assert_int_equal(pin_hash("13579135", rng, h2), 0);
    snprintf(text, sizeof text,
             "{\"format\": \"borne-agents/1\", \"commune\": \"35238\", \"agents\": ["
             "{\"id\": \"marie\", \"name\": \"Marie Le Goff\", \"commune\": \"35238\", "
             "\"role\": \"agent\", \"pin\": \"%s\"},"
             "{\"id\": \"yann\", \"name\": \"Yann Morvan\", \"commune\": \"35238\", "
             "\"role\": \"technician\", \"pin\": \"%s\"}]}", h1, h2);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_pins(void **state)
{
    uint8_t seed[32] = {3};
    char h[PIN_HASH_MAX];
    rng_t *rng;

    (void)state;
    assert_int_equal(rng_open_fixed(&rng, seed, sizeof seed), 0);
    assert_true(pin_valid("123456"));
    assert_false(pin_valid("12345"));
    assert_false(pin_valid("1234567890123"));
    assert_false(pin_valid("12345a"));
    assert_int_equal(pin_hash("12345", rng, h), BN_EINVAL);
    assert_int_equal(pin_hash("123456", rng, h), 0);
    assert_non_null(strstr(h, "pbkdf2-sha256$20000$"));
    assert_null(strstr(h, "123456$"));
    assert_true(pin_check(h, "123456"));
    assert_false(pin_check(h, "123457"));
    assert_false(pin_check("pbkdf2-sha256$10$00$00", "123456"));
    h[strlen(h) - 1] ^= 1;
    assert_false(pin_check(h, "123456"));
    rng_close(rng);
}

/* (AGENT-A1) */
static void test_lockout(void **state)
{
    char *dir = tu_tmpdir("agent"), why[256], path[512];
    uint8_t seed[32] = {4}, *raw;
    agents_t ag;
    const agent_t *who;
    store_t *st = NULL;
    int64_t now = 1800000000, wait;
    size_t len, i;
    rng_t *rng;
    int k;

    (void)state;
    assert_int_equal(rng_open_fixed(&rng, seed, sizeof seed), 0);
    snprintf(path, sizeof path, "%s/agents.json", dir);
    write_agents(path, rng);
    assert_int_equal(agents_load(path, &ag, why, sizeof why), 0);
    assert_int_equal(ag.n, 2);
    assert_int_equal(ag.a[1].role, AGENT_ROLE_TECHNICIAN);
    snprintf(path, sizeof path, "%s/kiosk.db", dir);
    assert_int_equal(store_open(path, &st, why, sizeof why), 0);

    assert_int_equal(agent_login(st, &ag, "13579135", now, &who, &wait, why, sizeof why), 0);
    assert_string_equal(who->id, "yann");
    /* four wrong: a word about the tries left, no wait */
    for (k = 1; k <= 4; k++) {
        assert_int_equal(agent_login(st, &ag, "111111", now, &who, &wait, why, sizeof why),
                         BN_EBADPIN);
        assert_null(who);
        assert_int_equal(wait, 0);
    }
    assert_string_equal(why, "wrong PIN: 1 try left before a wait");
    /* the fifth: 30 s */
    assert_int_equal(agent_login(st, &ag, "111111", now, &who, &wait, why, sizeof why),
                     BN_EBADPIN);
    assert_int_equal(wait, 30);
    /* locked: even the right PIN is not looked at */
    assert_int_equal(agent_login(st, &ag, "246810", now + 10, &who, &wait, why, sizeof why),
                     BN_ELOCKED);
    assert_int_equal(wait, 20);
    assert_null(who);
    /* a restart (a power cut) changes nothing */
    store_close(st);
    st = NULL;
    assert_int_equal(store_open(path, &st, why, sizeof why), 0);
    assert_int_equal(agent_login(st, &ag, "246810", now + 29, &who, &wait, why, sizeof why),
                     BN_ELOCKED);
    /* the sixth wrong one doubles the wait, the seventh again */
    assert_int_equal(agent_login(st, &ag, "222222", now + 31, &who, &wait, why, sizeof why),
                     BN_EBADPIN);
    assert_int_equal(wait, 60);
    assert_int_equal(agent_login(st, &ag, "222222", now + 92, &who, &wait, why, sizeof why),
                     BN_EBADPIN);
    assert_int_equal(wait, 120);
    /* the right PIN after the wait: in, and the count cleared */
    assert_int_equal(agent_login(st, &ag, "246810", now + 213, &who, &wait, why, sizeof why), 0);
    assert_string_equal(who->id, "marie");
    assert_int_equal(agent_login(st, &ag, "333333", now + 214, &who, &wait, why, sizeof why),
                     BN_EBADPIN);
    assert_int_equal(wait, 0);
    store_close(st);
    /* never the digits, in any file of the state */
    raw = tu_read(path, &len);
    assert_non_null(raw);
    for (i = 0; i + 6 <= len; i++) {
        assert_false(memcmp(raw + i, "111111", 6) == 0);
        assert_false(memcmp(raw + i, "222222", 6) == 0);
        assert_false(memcmp(raw + i, "246810", 6) == 0);
    }
    free(raw);
    rng_close(rng);
    tu_rmtree(dir);
    free(dir);
}

static void test_bad_files(void **state)
{
    char *dir = tu_tmpdir("agent"), why[256], path[512];
    agents_t ag;

    (void)state;
    snprintf(path, sizeof path, "%s/agents.json", dir);
    assert_int_equal(agents_load(path, &ag, why, sizeof why), BN_EIO);
    assert_int_equal(tu_write(path, "{\"format\": \"x\"}", 15), 0);
    assert_int_equal(agents_load(path, &ag, why, sizeof why), BN_EFORMAT);
    assert_non_null(strstr(why, "not an agents file"));
    {
        static const char bad[] = "{\"format\": \"borne-agents/1\", \"commune\": \"35238\", "
                                  "\"agents\": [{\"id\": \"a\", \"name\": \"A\", \"role\": "
                                  "\"mayor\", \"pin\": \"x\"}]}";
        assert_int_equal(tu_write(path, bad, strlen(bad)), 0);
    }
    assert_int_equal(agents_load(path, &ag, why, sizeof why), BN_EFORMAT);
    assert_non_null(strstr(why, "agents[0]: id, name, role (agent or technician)"));
    tu_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pins),
        cmocka_unit_test(test_lockout),
        cmocka_unit_test(test_bad_files),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
