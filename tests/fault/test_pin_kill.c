/* test_pin_kill.c - (AGENT-A1) the PIN lockout holds when the kiosk is
 * switched off between two tries, and in the middle of one.
 *
 * The attack: someone at the kiosk types a PIN, and pulls the plug before
 * the kiosk can count a wrong one, hoping for unlimited free tries. Here a
 * child process makes one try with a wrong PIN and is killed (SIGKILL) at
 * a random instant: before the try, during the PIN's check, or after its
 * result. pin_check is wrapped at link time (-Wl,--wrap=pin_check) to say
 * on a pipe that a PIN was looked at. For every try whose PIN was looked
 * at, the store must hold one more wrong try: an attacker who cuts the
 * power gains no try the lockout does not count. Then the pad is locked
 * for the right PIN too, across a last restart. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "agent.h"
#include "bn_err.h"
#include "pin.h"
#include "rng.h"
#include "store.h"
#include "testutil.h"

#define KILLS 60
#define NOW 1800000000

static int oracle_fd = -1;

int __real_pin_check(const char *stored, const char *pin);
int __wrap_pin_check(const char *stored, const char *pin);

/* The firmware's pin_check, telling the test that a PIN was looked at. */
int __wrap_pin_check(const char *stored, const char *pin)
{
    if (oracle_fd >= 0 && write(oracle_fd, "c", 1) != 1)
        _exit(20);
    return __real_pin_check(stored, pin);
}

static void write_agents(const char *path, rng_t *rng)
{
    char h1[PIN_HASH_MAX], h2[PIN_HASH_MAX], text[1024];

    assert_int_equal(pin_hash("246810", rng, h1), 0);
    assert_int_equal(pin_hash("13579135", rng, h2), 0);
    snprintf(text, sizeof text,
             "{\"format\": \"borne-agents/1\", \"commune\": \"35238\", \"agents\": ["
             "{\"id\": \"marie\", \"name\": \"Marie Le Goff\", \"role\": \"agent\", "
             "\"pin\": \"%s\"},"
             "{\"id\": \"yann\", \"name\": \"Yann Morvan\", \"role\": \"technician\", "
             "\"pin\": \"%s\"}]}", h1, h2);
    assert_int_equal(tu_write(path, text, strlen(text)), 0);
}

/* The number of wrong tries the store counts, from what a try now says:
 * the pad's state is read back through agent_login's own words. */
static int64_t counted(const char *db)
{
    store_t *st = NULL;
    sqlite3_stmt *q = NULL;
    char why[256] = "";
    long long f = 0, u = 0;
    int64_t n = 0;

    assert_int_equal(store_open(db, &st, why, sizeof why), 0);
    assert_int_equal(sqlite3_prepare_v2(store__db(st),
                                        "SELECT value FROM meta WHERE key = 'agent:pin-lock'",
                                        -1, &q, NULL), SQLITE_OK);
    if (sqlite3_step(q) == SQLITE_ROW &&
        sscanf((const char *)sqlite3_column_text(q, 0), "%lld %lld", &f, &u) == 2)
        n = f;
    sqlite3_finalize(q);
    store_close(st);
    return n;
}

static void test_pin_lockout_across_kills(void **state)
{
    char *dir = tu_tmpdir("pinkill"), *agents_path, *db, why[256] = "";
    uint8_t seed[32] = {7};
    agents_t ag;
    const agent_t *who;
    store_t *st = NULL;
    int64_t wait, checked = 0, before, after;
    rng_t *rng;
    int k, early = 0, during = 0, late = 0;

    (void)state;
    srand((unsigned)time(NULL) ^ (unsigned)getpid());
    assert_int_equal(rng_open_fixed(&rng, seed, sizeof seed), 0);
    agents_path = tu_path(dir, "agents.json");
    db = tu_path(dir, "kiosk.db");
    write_agents(agents_path, rng);
    assert_int_equal(agents_load(agents_path, &ag, why, sizeof why), 0);
    assert_int_equal(store_open(db, &st, why, sizeof why), 0);
    store_close(st);

    for (k = 0; k < KILLS; k++) {
        int fds[2], status, looked = 0;
        struct timespec d = {0, (long)(rand() % 40000) * 1000}; /* 0-40 ms */
        pid_t pid;
        char c;

        assert_int_equal(pipe(fds), 0);
        before = counted(db);
        pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            store_t *s = NULL;
            char w[256];

            close(fds[0]);
            oracle_fd = fds[1];
            if (store_open(db, &s, w, sizeof w) != 0)
                _exit(11);
            /* the pad is never locked at this instant: tries are a day apart */
            (void)agent_login(s, &ag, "999999", NOW + (int64_t)k * 2 * AGENT_WAIT_MAX_S, &who,
                              &wait, w, sizeof w);
            if (write(fds[1], "r", 1) != 1) /* the result is on the screen */
                _exit(12);
            for (;;)
                pause();
        }
        close(fds[1]);
        nanosleep(&d, NULL);
        kill(pid, SIGKILL);
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFSIGNALED(status));
        while (read(fds[0], &c, 1) == 1) {
            if (c == 'c')
                looked = 1;
            else if (c == 'r')
                looked = 2;
        }
        close(fds[0]);
        after = counted(db);
        if (looked) {
            checked++;
            /* the PIN was looked at: the try is counted, killed or not */
            if (after != before + 1)
                fail_msg("kill %d: a PIN was checked but the store counts %lld wrong tries, "
                         "%lld before", k, (long long)after, (long long)before);
        } else {
            assert_true(after == before || after == before + 1);
        }
        if (looked == 2)
            late++;
        else if (looked == 1)
            during++;
        else
            early++;
    }
    printf("pin-kill kills %d before-the-check %d during %d after-the-result %d "
           "checked %lld counted %lld\n", KILLS, early, during, late, (long long)checked,
           (long long)counted(db));
    assert_true(counted(db) >= checked);
    /* the attacker's tries locked the pad: one more wrong try, a restart,
     * and even the right PIN is not looked at */
    assert_int_equal(store_open(db, &st, why, sizeof why), 0);
    assert_true(counted(db) >= AGENT_FREE_TRIES);
    assert_int_equal(agent_login(st, &ag, "111111", NOW + (int64_t)KILLS * 2 * AGENT_WAIT_MAX_S,
                                 &who, &wait, why, sizeof why), BN_EBADPIN);
    assert_true(wait > 0);
    store_close(st);
    assert_int_equal(store_open(db, &st, why, sizeof why), 0);
    assert_int_equal(agent_login(st, &ag, "246810",
                                 NOW + (int64_t)KILLS * 2 * AGENT_WAIT_MAX_S + 1, &who, &wait,
                                 why, sizeof why), BN_ELOCKED);
    assert_null(who);
    store_close(st);
    rng_close(rng);
    tu_rmtree(dir);
    free(dir);
    free(agents_path);
    free(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pin_lockout_across_kills),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
