/* test_sync.c - the sync client without a borne-server (sync.h): backoff
 * with jitter (times driven by the test), the batching rule (DESIGN-S2) and its
 * in-memory "first unsent" time, reservations that answer "offline" fast
 * (connection refused; a peer that never answers, within the timeout), and
 * transport faults from a fake peer (closed at once, not TLS). The
 * end-to-end part against a real server is sync_e2e.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "bn_err.h"
#include "cert.h"
#include "day.h"
#include "key.h"
#include "rng.h"
#include "store.h"
#include "sync.h"
#include "testutil.h"

static rng_t *rng;
static key_pair_t *auth;
static uint8_t ca[CERT_DER_MAX];
static size_t ca_len;

static int64_t now_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static int setup(void **state)
{
    (void)state;
    assert_int_equal(rng_open(&rng), 0);
    assert_int_equal(key_generate(rng, &auth), 0);
    assert_int_equal(cert_make_authority(auth, rng, "Autorite-35", day_today() - 1,
                                         day_today() + 10, ca, sizeof ca, &ca_len, NULL, 0), 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    key_free(auth);
    rng_close(rng);
    return 0;
}

static void conf(sync_conf_t *c, unsigned port)
{
    memset(c, 0, sizeof *c);
    c->host = "localhost";
    c->addr = "127.0.0.1";
    c->port = port;
    c->ca_der = ca;
    c->ca_len = ca_len;
    c->rng = rng;
}

/* A listening socket on 127.0.0.1 with a free port. */
static int listener(unsigned *port)
{
    struct sockaddr_in a;
    socklen_t al = sizeof a;
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    assert_true(fd >= 0);
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(fd, 4), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &al), 0);
    *port = ntohs(a.sin_port);
    return fd;
}

static void test_backoff(void **state)
{
    sync_backoff_t b;
    int64_t d, want[] = {1000, 2000, 4000, 8000, 8000, 8000};
    int i, k;

    (void)state;
    memset(&b, 0, sizeof b);
    b.base_ms = 1000;
    b.max_ms = 8000;
    assert_true(sync_backoff_ready(&b, 0));
    for (i = 0; i < 6; i++) {  /* without jitter: exactly the doubling, capped */
        sync_backoff_fail(&b, 100000, NULL);
        assert_int_equal(b.next_ms - 100000, want[i]);
        assert_false(sync_backoff_ready(&b, b.next_ms - 1));
        assert_true(sync_backoff_ready(&b, b.next_ms));
    }
    sync_backoff_ok(&b);
    assert_true(sync_backoff_ready(&b, 0));
    assert_int_equal(b.failures, 0);
    for (k = 0; k < 200; k++) {  /* with jitter: in [d/2, d], not always the same */
        memset(&b, 0, sizeof b);
        b.base_ms = 1000;
        b.max_ms = 8000;
        for (i = 0; i < 6; i++) {
            sync_backoff_fail(&b, 0, rng);
            d = b.next_ms;
            assert_true(d >= want[i] / 2 && d <= want[i]);
        }
    }
    /* defaults: 2 s, capped at 15 minutes, and no overflow after many */
    memset(&b, 0, sizeof b);
    for (i = 0; i < 100; i++)
        sync_backoff_fail(&b, 0, NULL);
    assert_int_equal(b.next_ms, 900000);
}

/* (SYNC-Y1) A batch is not due with fewer than min_casts casts before the
 * maximum delay; the delay counts from the first unsent cast, known only in
 * memory; a running backoff holds even a due batch. Nothing here may touch
 * the network: the server address is a closed port. */
static void test_batch_rule(void **state)
{
    char *dir = tu_tmpdir("sync"), *path = tu_path(dir, "kiosk.db"), why[256] = "";
    uint8_t secret[32] = {1}, id[16], fake[200];
    store_t *s = NULL;
    store_cast_t c;
    sync_conf_t cf;
    sync_batch_t b;
    sync_upload_res_t res;
    key_pair_t *kiosk = NULL;
    signer_t ks;
    int i;

    (void)state;
    assert_int_equal(key_generate(rng, &kiosk), 0);
    key_signer(kiosk, &ks);
    conf(&cf, 1);
    cf.cert_der = ca;  /* never sent: the test stops before any bundle */
    cf.cert_len = ca_len;
    cf.signer = &ks;
    assert_int_equal(store_open(path, &s, why, sizeof why), 0);
    assert_int_equal(store_put_campaign(s, "bp35-demo", (const uint8_t *)"pkg", 3, secret), 0);
    memset(&b, 0, sizeof b);
    b.min_casts = 5;
    b.max_delay_ms = 60000;
    /* empty outbox: nothing due, no time kept */
    assert_int_equal(sync_upload(&cf, s, "bp35-demo", &b, 0, 1000, &res, why, sizeof why), 0);
    assert_int_equal(res.due, 0);
    assert_int_equal(b.first_unsent_ms, 0);
    memset(fake, 0x5a, sizeof fake);
    for (i = 0; i < 3; i++) {
        memset(&c, 0, sizeof c);
        c.campaign = "bp35-demo";
        assert_int_equal(rng_bytes(rng, c.pseudonym, 32), 0);
        assert_int_equal(rng_bytes(rng, id, 16), 0);
        c.day = day_today();
        c.ballot_id = id;
        c.ballot = fake;
        c.ballot_len = sizeof fake;
        c.commune = "35238";
        assert_int_equal(store_cast(s, &c), 0);
        sync_note_cast(&b, 5000 + i);
    }
    assert_int_equal(b.first_unsent_ms, 5000);  /* the first, not the last */
    assert_int_equal(sync_upload(&cf, s, "bp35-demo", &b, 0, 6000, &res, why, sizeof why), 0);
    assert_int_equal(res.due, 0);
    assert_int_equal(res.left, 3);
    assert_int_equal(sync_upload(&cf, s, "bp35-demo", &b, 0, 65000, &res, why, sizeof why), 0);
    assert_int_equal(res.due, 0);  /* waited exactly the delay: not more */
    /* a restart forgets the time: the wait starts again at the first call */
    b.first_unsent_ms = 0;
    assert_int_equal(sync_upload(&cf, s, "bp35-demo", &b, 0, 70000, &res, why, sizeof why), 0);
    assert_int_equal(res.due, 0);
    assert_int_equal(b.first_unsent_ms, 70000);
    /* due (delay, or closing), but the backoff holds: no attempt */
    b.backoff.failures = 1;
    b.backoff.next_ms = 1000000;
    assert_int_equal(sync_upload(&cf, s, "bp35-demo", &b, 0, 130001, &res, why, sizeof why), 0);
    assert_int_equal(res.due, 1);
    assert_int_equal(res.bundles, 0);
    assert_int_equal(sync_upload(&cf, s, "bp35-demo", &b, 1, 7000, &res, why, sizeof why), 0);
    assert_int_equal(res.due, 1);
    assert_int_equal(res.bundles, 0);
    /* another campaign's casts do not count for this one */
    assert_int_equal(sync_upload(&cf, s, "other", &b, 0, 7000, &res, why, sizeof why), 0);
    assert_int_equal(res.due, 0);
    /* closing with nothing to send: an empty bundle is due all the same, to
     * ask the server what it holds (SYNC-Y3); the backoff holds it here */
    assert_int_equal(sync_upload(&cf, s, "other", &b, 1, 7000, &res, why, sizeof why), 0);
    assert_int_equal(res.due, 1);
    assert_int_equal(res.bundles, 0);
    assert_int_equal(res.probed, 0);
    store_close(s);
    key_free(kiosk);
    tu_rmtree(dir);
    free(path);
    free(dir);
}

static void test_reserve_refused(void **state)
{
    sync_conf_t c;
    sync_resv_t r;
    uint8_t ps[32] = {3};
    char why[256] = "";
    unsigned port;
    int64_t t0;
    int fd = listener(&port);

    (void)state;
    close(fd);  /* nobody listens there any more */
    conf(&c, port);
    t0 = now_ms();
    assert_int_equal(sync_reserve(&c, "bp35-demo", ps, 500, &r, why, sizeof why), 0);
    assert_int_equal(r, SYNC_OFFLINE);
    assert_true(now_ms() - t0 < 500);
    assert_non_null(strstr(why, "refused"));
}

/* The kernel accepts the connection, nobody ever answers the ClientHello. */
static void test_reserve_silent(void **state)
{
    sync_conf_t c;
    sync_resv_t r;
    uint8_t ps[32] = {4};
    char why[256] = "";
    unsigned port;
    int64_t t0, dt;
    int fd = listener(&port);

    (void)state;
    conf(&c, port);
    t0 = now_ms();
    assert_int_equal(sync_reserve(&c, "bp35-demo", ps, 300, &r, why, sizeof why), 0);
    dt = now_ms() - t0;
    assert_int_equal(r, SYNC_OFFLINE);
    assert_true(dt >= 250 && dt < 1500);
    assert_non_null(strstr(why, "timed out"));
    close(fd);
}

typedef struct peer_s {
    int fd;
    const char *send;            /* what to write after accepting, or NULL */
} peer_t;

static void *peer_run(void *arg)
{
    peer_t *p = arg;
    char buf[4096];
    int c = accept(p->fd, NULL, NULL);

    if (c >= 0) {
        if (p->send != NULL) {
            (void)!read(c, buf, sizeof buf);
            (void)!write(c, p->send, strlen(p->send));
        }
        close(c);
    }
    return NULL;
}

static int with_peer(const char *send, char *why, size_t whylen)
{
    peer_t p;
    pthread_t t;
    sync_conf_t c;
    unsigned port;
    uint8_t *out = NULL;
    int status = 0, rc;

    p.fd = listener(&port);
    p.send = send;
    assert_int_equal(pthread_create(&t, NULL, peer_run, &p), 0);
    conf(&c, port);
    c.io_ms = 2000;
    rc = sync_request(&c, "GET", "/v1/health", NULL, NULL, 0, 1024, &status, &out, NULL, why,
                      whylen);
    pthread_join(t, NULL);
    close(p.fd);
    free(out);
    return rc;
}

static void test_faulty_peers(void **state)
{
    char why[256] = "";

    (void)state;
    assert_int_equal(with_peer(NULL, why, sizeof why), BN_EIO);  /* closed at once */
    assert_non_null(strstr(why, "TLS handshake"));
    why[0] = '\0';
    assert_int_equal(with_peer("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", why, sizeof why),
                     BN_ECRYPTO);  /* plain HTTP where TLS was expected */
    assert_non_null(strstr(why, "TLS handshake"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_backoff),
        cmocka_unit_test(test_batch_rule),
        cmocka_unit_test(test_reserve_refused),
        cmocka_unit_test(test_reserve_silent),
        cmocka_unit_test(test_faulty_peers),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
