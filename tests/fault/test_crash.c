/* test_crash.c - durability: a kiosk killed at any instant loses no reported ballot.
 *
 * A child process opens the store and casts signed ballots in a loop,
 * writing each ballot id to a pipe right after store_cast() returned 0 (the
 * moment the kiosk would show the receipt). The parent kills it with SIGKILL
 * after a random 0-30 ms, KILLS times in a row on the same store file, and
 * after each kill checks (store.c invariants in brackets):
 *   - store_open() succeeds and PRAGMA integrity_check says "ok"      (STORE-D1)
 *   - every reported ballot id is in the box, and its ballot verifies
 *     with the kiosk's public key                         (STORE-D1, STORE-D2, CAST-C2)
 *   - register count == box count, outbox == 2 x box: no cast is half
 *     written                                                        (STORE-D2, STORE-D3)
 * SIGKILL keeps the operating system's page cache, so this checks the
 * transaction logic at every instant, not the fsyncs against a power cut
 * (those are (STORE-D1): synchronous=FULL, read back by test_store). */
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
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "ballot.h"
#include "bn_err.h"
#include "key.h"
#include "pkg.h"
#include "rng.h"
#include "store.h"
#include "testutil.h"

#define KILLS_DEFAULT 200
#define DELAY_MAX_US 30000
#define CAMPAIGN "bp-2026"
#define DAY 20785u

static pkg_territory_t territory = {.id = "rennes"};
static pkg_project_t projects[4] = {{.id = "p-bus"}, {.id = "p-parc"}, {.id = "p-velo"},
                                    {.id = "p-ecole"}};
static pkg_t campaign = {
    .id = CAMPAIGN, .kind = PKG_BUDGET, .n_territories = 1, .territories = &territory,
    .n_projects = 4, .projects = projects,
};

/* The child: cast until killed. Exit codes say where it stopped on its own. */
static void child(const char *path, key_pair_t *key, int fd)
{
    rng_t *rng = NULL;
    store_t *s = NULL;
    signer_t signer;
    uint8_t enc[BALLOT_MAX_LEN];
    uint8_t pseudonym[PSEUD_LEN];
    size_t len;
    ballot_t b;
    int i, rc;

    if (rng_open(&rng) != 0) /* fresh entropy: not the parent's DRBG state */
        _exit(10);
    if (store_open(path, &s, NULL, 0) != 0)
        _exit(11);
    key_signer(key, &signer);
    for (i = 0;; i++) {
        int sel[2] = {i % 4, (i + 1) % 4};
        store_cast_t c;

        if (rng_bytes(rng, pseudonym, sizeof pseudonym) != 0)
            _exit(12);
        if (ballot_make(&b, &campaign, 0, sel, 1 + i % 2, DAY, signer.pub.id, rng) != 0 ||
            ballot_seal(&b, &signer, enc, sizeof enc, &len) != 0)
            _exit(13);
        memset(&c, 0, sizeof c);
        c.campaign = CAMPAIGN;
        memcpy(c.pseudonym, pseudonym, PSEUD_LEN);
        c.day = DAY;
        c.offline = 1;
        c.ballot_id = b.id;
        c.ballot = enc;
        c.ballot_len = len;
        c.commune = "35238";
        rc = store_cast(s, &c);
        if (rc != 0)
            _exit(14);
        /* the receipt would be shown now */
        if (write(fd, b.id, BALLOT_ID_LEN) != BALLOT_ID_LEN)
            _exit(15);
    }
}

typedef struct ids_s {
    uint8_t (*id)[BALLOT_ID_LEN];
    size_t n, cap;
} ids_t;

/* Reads whole ids from the pipe into ids; returns 0 at EOF, 1 if more may
 * come, -1 on error. 16-byte writes to a pipe are atomic (< PIPE_BUF). */
static int drain(int fd, ids_t *ids, int block)
{
    uint8_t buf[BALLOT_ID_LEN * 64];
    ssize_t n;
    size_t i;

    for (;;) {
        if (!block) {
            struct pollfd p = {.fd = fd, .events = POLLIN};

            if (poll(&p, 1, 0) <= 0)
                return 1;
        }
        n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            return 0;
        assert_int_equal(n % BALLOT_ID_LEN, 0);
        for (i = 0; i < (size_t)n / BALLOT_ID_LEN; i++) {
            if (ids->n == ids->cap) {
                ids->cap = ids->cap ? ids->cap * 2 : 1024;
                ids->id = realloc(ids->id, ids->cap * sizeof *ids->id);
                assert_non_null(ids->id);
            }
            memcpy(ids->id[ids->n++], buf + i * BALLOT_ID_LEN, BALLOT_ID_LEN);
        }
    }
}

static int count_ballot(void *arg, const uint8_t *ballot, size_t len)
{
    (void)ballot;
    (void)len;
    ++*(int64_t *)arg;
    return 0;
}

static int64_t query_int(store_t *s, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int64_t v = -1;

    assert_int_equal(sqlite3_prepare_v2(store__db(s), sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* The checks after a kill. Returns the number of reported ballots missing
 * or not verifying among ids[from..n). */
static int check_store(const char *path, const ids_t *ids, size_t from, const key_pub_t *pub,
                       int *corrupt)
{
    store_t *s = NULL;
    sqlite3_stmt *st = NULL;
    char why[256] = "";
    const char *ok;
    int64_t reg = -1, box = -1, out = -1;
    size_t i;
    int lost = 0;

    if (store_open(path, &s, why, sizeof why) != 0) {
        printf("store_open after a kill: %s\n", why);
        (*corrupt)++;
        return 0;
    }
    assert_int_equal(sqlite3_prepare_v2(store__db(s), "PRAGMA integrity_check", -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    ok = (const char *)sqlite3_column_text(st, 0);
    if (ok == NULL || strcmp(ok, "ok") != 0) {
        printf("(STORE-D1) integrity_check after a kill: %s\n", ok != NULL ? ok : "?");
        (*corrupt)++;
    }
    sqlite3_finalize(st);
    for (i = from; i < ids->n; i++) {
        uint8_t *b = NULL;
        size_t len = 0;
        int rc = store_get_ballot(s, ids->id[i], &b, &len);

        if (rc != 0) {
            printf("(STORE-D1) (STORE-D2) reported ballot %zu is not in the box: %s\n", i, bn_strerror(rc));
            lost++;
        } else if (ballot_verify(b, len, pub) != 0) {
            printf("(STORE-D2) reported ballot %zu does not verify\n", i);
            (*corrupt)++;
        }
        free(b);
    }
    assert_int_equal(store_counts(s, CAMPAIGN, &reg, &box), 0);
    assert_int_equal(store_outbox_count(s, &out), 0);
    if (reg != box || out != 2 * box || box < (int64_t)ids->n) {
        printf("(STORE-D2) (STORE-D3) half a cast: register %lld, box %lld, outbox %lld, reported %zu\n",
               (long long)reg, (long long)box, (long long)out, ids->n);
        (*corrupt)++;
    }
    {
        int64_t all = 0;

        /* no ballot of another campaign: every ballot of the box is CAMPAIGN's */
        assert_int_equal(store_each_ballot(s, NULL, count_ballot, &all), 0);
        assert_int_equal(all, box);
    }
    /* (STORE-D2) (STORE-S9) the turnout counter is in the cast's transaction: it
     * counts the register, no more, no less, after any kill */
    if (query_int(s, "SELECT coalesce(sum(n), 0) FROM turnout WHERE campaign = '" CAMPAIGN "'") !=
        reg) {
        printf("(STORE-D2) turnout counts %lld, the register holds %lld\n",
               (long long)query_int(s, "SELECT coalesce(sum(n), 0) FROM turnout"), (long long)reg);
        (*corrupt)++;
    }
    store_close(s);
    return lost;
}

static void test_kill_while_casting(void **state)
{
    char *dir = tu_tmpdir("crash"), *path, *journal;
    const char *env = getenv("BORNE_CRASH_KILLS");
    int kills = env != NULL ? atoi(env) : KILLS_DEFAULT;
    rng_t *rng = NULL;
    key_pair_t *key = NULL;
    key_pub_t pub;
    store_t *s = NULL;
    uint8_t secret[32] = {0}, r[4];
    ids_t ids = {0};
    char why[256];
    int k, lost = 0, corrupt = 0, hot = 0, on_its_own = 0;
    size_t before;
    struct timespec t0, t1;

    (void)state;
    if (kills <= 0)
        kills = KILLS_DEFAULT;
    assert_non_null(dir);
    path = tu_path(dir, "kiosk.db");
    journal = tu_path(dir, "kiosk.db-journal");
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(rng_open(&rng), 0);
    assert_int_equal(key_generate(rng, &key), 0);
    key_public(key, &pub);
    /* the campaign is recorded once, as when its package is loaded */
    assert_int_equal(store_open(path, &s, why, sizeof why), 0);
    assert_int_equal(store_put_campaign(s, CAMPAIGN, (const uint8_t *)"pkg", 3, secret), 0);
    store_close(s);

    for (k = 0; k < kills; k++) {
        int fds[2], status, more = 1;
        struct stat sb;
        struct timespec start, now;
        long delay_us, waited;
        pid_t pid;

        assert_int_equal(pipe(fds), 0);
        fflush(stdout);
        pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            close(fds[0]);
            child(path, key, fds[1]);
            _exit(20);
        }
        close(fds[1]);
        assert_int_equal(rng_bytes(rng, r, sizeof r), 0);
        delay_us = (long)(((uint32_t)r[0] << 24 | (uint32_t)r[1] << 16 | (uint32_t)r[2] << 8 |
                           r[3]) % (DELAY_MAX_US + 1));
        before = ids.n;
        /* read the ids as they come until the moment of the kill */
        clock_gettime(CLOCK_MONOTONIC, &start);
        for (;;) {
            struct pollfd p = {.fd = fds[0], .events = POLLIN};

            clock_gettime(CLOCK_MONOTONIC, &now);
            waited = (now.tv_sec - start.tv_sec) * 1000000L + (now.tv_nsec - start.tv_nsec) / 1000;
            if (waited >= delay_us || !more)
                break;
            if (poll(&p, 1, (int)((delay_us - waited + 999) / 1000)) > 0)
                more = drain(fds[0], &ids, 0) > 0;
        }
        kill(pid, SIGKILL);
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(drain(fds[0], &ids, 1) == 0);
        close(fds[0]);
        if (!WIFSIGNALED(status)) {
            on_its_own++;
            printf("child stopped on its own, exit %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
        }
        if (stat(journal, &sb) == 0 && sb.st_size > 0)
            hot++; /* killed inside a transaction: the next open rolls it back */
        lost += check_store(path, &ids, before, &pub, &corrupt);
    }

    /* all of them, once more, at the end */
    lost += check_store(path, &ids, 0, &pub, &corrupt) > 0;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("crash test: %d kills (%d inside a transaction, hot journal), %zu ballots reported, "
           "lost = %d, corrupt = %d, %.1f s\n", kills, hot, ids.n, lost, corrupt,
           (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    assert_int_equal(on_its_own, 0);
    assert_int_equal(lost, 0);
    assert_int_equal(corrupt, 0);
    assert_true(ids.n > 0);

    free(ids.id);
    key_free(key);
    rng_close(rng);
    tu_rmtree(dir);
    free(journal);
    free(path);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kill_while_casting),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
