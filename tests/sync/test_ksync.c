/* test_ksync.c - the kiosk's link (ksync.h) without a borne-server:
 * server.conf (defaults, and every bad line named by file, line, key and
 * value), opening a state directory (no server.conf; an authority
 * certificate of another key; a kiosk certificate of another key), and
 * (KSYNC-K2): after a failed reservation the next one answers offline without
 * connecting, for offline-hold-s. The kiosk program against a real server
 * is tests/ui/sync_kiosk.sh (K1 there: reserved -> online entry, offline
 * -> offline entry). */
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
#include "ksync.h"
#include "rng.h"
#include "testutil.h"

static rng_t *rng;

static int64_t now_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static int setup(void **state)
{
    (void)state;
    return rng_open(&rng);
}

static int teardown(void **state)
{
    (void)state;
    rng_close(rng);
    return 0;
}

/* --- server.conf --------------------------------------------------------------- */

static void conf_defaults(void **state)
{
    static const char text[] = "# a kiosk in Rennes\nhost = srv.example\n\nport=8443  # TLS\n";
    ksync_conf_t c;
    char why[256] = "";

    (void)state;
    assert_int_equal(ksync_conf_parse(text, strlen(text), "server.conf", &c, why, sizeof why), 0);
    assert_string_equal(c.host, "srv.example");
    assert_string_equal(c.addr, "");
    assert_int_equal(c.port, 8443);
    assert_int_equal(c.reserve_ms, 1500);
    assert_int_equal(c.batch_casts, 10);
    assert_int_equal(c.batch_delay_ms, 7200000);
    assert_int_equal(c.offline_ms, 30000);
}

static void conf_every_key(void **state)
{
    static const char text[] =
        "host = localhost\r\naddress = 127.0.0.1\r\nport = 1\r\nconnect-timeout-ms = 10\r\n"
        "io-timeout-ms = 20\r\nreserve-timeout-ms = 30\r\nbatch-casts = 40\r\n"
        "batch-delay-s = 50\r\nround-s = 60\r\npull-s = 70\r\noffline-hold-s = 0\r\n";
    ksync_conf_t c;
    char why[256] = "";

    (void)state;
    assert_int_equal(ksync_conf_parse(text, strlen(text), "f", &c, why, sizeof why), 0);
    assert_string_equal(c.addr, "127.0.0.1");
    assert_int_equal(c.port, 1);
    assert_int_equal(c.connect_ms, 10);
    assert_int_equal(c.io_ms, 20);
    assert_int_equal(c.reserve_ms, 30);
    assert_int_equal(c.batch_casts, 40);
    assert_int_equal(c.batch_delay_ms, 50000);
    assert_int_equal(c.round_ms, 60000);
    assert_int_equal(c.pull_ms, 70000);
    assert_int_equal(c.offline_ms, 0);
}

static void conf_refusals(void **state)
{
    /* each: the text, what the message must name */
    static const struct {
        const char *text, *says;
    } bad[] = {
        {"port = 8443\n", "no 'host = NAME' line"},
        {"host = a\n", "no 'port = N' line"},
        {"host = a\nport = 0\n", "server.conf:2: port: '0' is not a whole number from 1 to 65535"},
        {"host = a\nport = 65536\n", "server.conf:2: port: '65536'"},
        {"host = a\nport = 84x3\n", "server.conf:2: port: '84x3'"},
        {"host = a\nport = -1\n", "server.conf:2: port: '-1'"},
        {"host = a\nport =\n", "server.conf:2: port: ''"},
        {"host = a\nport = 1\nbatch-casts = 0\n", "server.conf:3: batch-casts: '0'"},
        {"host = a\n\nprot = 1\n", "server.conf:3: unknown key 'prot'"},
        {"host = a\nport 8443\n", "server.conf:2: expected 'key = value', got 'port 8443'"},
        {"host = a b\nport = 1\n", "server.conf:1: host: 'a b' is not a host name"},
        {"host = a/b\nport = 1\n", "server.conf:1: host: 'a/b'"},
        {"host = a\nhost = b\nport = 1\n", "server.conf:2: host given twice"},
        {"host = \nport = 1\n", "server.conf:1: host: ''"},
    };
    char why[256];
    ksync_conf_t c;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        why[0] = '\0';
        assert_int_equal(ksync_conf_parse(bad[i].text, strlen(bad[i].text), "server.conf", &c, why,
                                          sizeof why),
                         BN_EFORMAT);
        if (strstr(why, bad[i].says) == NULL)
            fail_msg("case %zu: '%s' does not say '%s'", i, why, bad[i].says);
    }
    {
        static const char nul[] = "host = a\nport = 1\0\n";
        assert_int_equal(ksync_conf_parse(nul, sizeof nul - 1, "f", &c, why, sizeof why),
                         BN_EFORMAT);
        assert_non_null(strstr(why, "f:2: a NUL byte"));
    }
    {
        char longl[700];
        memset(longl, 'x', sizeof longl);
        assert_int_equal(ksync_conf_parse(longl, sizeof longl, "f", &c, why, sizeof why),
                         BN_EFORMAT);
        assert_non_null(strstr(why, "f:1: line longer than"));
    }
}

/* --- a state directory ------------------------------------------------------------- */

typedef struct dir_s {
    char *path;
    key_pub_t auth_pub, kiosk_pub;
} dir_t;

static void write_pem_cert(const char *dir, const char *name, const uint8_t *der, size_t len)
{
    char pem[CERT_PEM_MAX], *p;
    size_t pl;

    assert_int_equal(cert_to_pem(der, len, pem, sizeof pem, &pl), 0);
    p = tu_path(dir, name);
    assert_int_equal(tu_write(p, pem, pl), 0);
    free(p);
}

/* A state directory with an authority, kiosk key and certificate and a
 * server.conf pointing at 127.0.0.1:port; other_ca: authority.crt of
 * another authority; other_kiosk: kiosk.crt of another key. */
static void make_dir(dir_t *d, unsigned port, int hold_s, int other_ca, int other_kiosk)
{
    key_pair_t *auth = NULL, *auth2 = NULL, *kiosk = NULL, *kiosk2 = NULL;
    uint8_t ca[CERT_DER_MAX], ca2[CERT_DER_MAX], der[CERT_DER_MAX];
    size_t ca_len, ca2_len, der_len;
    uint32_t from = day_today() - 1, until = from + 30;
    char conf[256], why[256], *p;
    signer_t s;

    d->path = tu_tmpdir("ksync");
    assert_int_equal(key_generate(rng, &auth), 0);
    assert_int_equal(key_generate(rng, &auth2), 0);
    assert_int_equal(key_generate(rng, &kiosk), 0);
    assert_int_equal(key_generate(rng, &kiosk2), 0);
    assert_int_equal(cert_make_authority(auth, rng, "A", from, until, ca, sizeof ca, &ca_len, why,
                                         sizeof why), 0);
    assert_int_equal(cert_make_authority(auth2, rng, "B", from, until, ca2, sizeof ca2, &ca2_len,
                                         why, sizeof why), 0);
    key_public(auth, &d->auth_pub);
    key_public(kiosk, &d->kiosk_pub);
    key_signer(other_kiosk ? kiosk2 : kiosk, &s);
    assert_int_equal(cert_issue(auth, rng, ca, ca_len, &s.pub, CERT_KIOSK, "kiosk-35238-01", from,
                                until, der, sizeof der, &der_len, why, sizeof why), 0);
    write_pem_cert(d->path, "authority.crt", other_ca ? ca2 : ca, other_ca ? ca2_len : ca_len);
    write_pem_cert(d->path, "kiosk.crt", der, der_len);
    p = tu_path(d->path, "kiosk.key");
    assert_int_equal(key_save(kiosk, p), 0);
    free(p);
    snprintf(conf, sizeof conf,
             "host = localhost\naddress = 127.0.0.1\nport = %u\nreserve-timeout-ms = 300\n"
             "offline-hold-s = %d\nconnect-timeout-ms = 300\nio-timeout-ms = 300\nround-s = 1\n",
             port, hold_s);
    p = tu_path(d->path, KSYNC_CONF_FILE);
    assert_int_equal(tu_write(p, conf, strlen(conf)), 0);
    free(p);
    key_free(auth);
    key_free(auth2);
    key_free(kiosk);
    key_free(kiosk2);
}

static void open_refusals(void **state)
{
    static const ksync_campaign_t camp[1] = {{"bp35-demo", 0, "35"}};
    dir_t d;
    ksync_t *k = NULL;
    char why[512] = "", *p;

    (void)state;
    /* no server.conf: a kiosk that works alone */
    make_dir(&d, 9, 30, 0, 0);
    p = tu_path(d.path, KSYNC_CONF_FILE);
    unlink(p);
    free(p);
    assert_int_equal(ksync_open(d.path, &d.auth_pub, &d.kiosk_pub, camp, 1, day_today(), &k, why,
                                sizeof why), 0);
    assert_null(k);
    tu_rmtree(d.path);
    free(d.path);

    /* the pinned key's certificate, or nothing */
    make_dir(&d, 9, 30, 1, 0);
    assert_int_equal(ksync_open(d.path, &d.auth_pub, &d.kiosk_pub, camp, 1, day_today(), &k, why,
                                sizeof why), BN_EWRONGKEY);
    assert_null(k);
    assert_non_null(strstr(why, "authority.crt: not a certificate of the pinned authority key"));
    tu_rmtree(d.path);
    free(d.path);

    /* a kiosk certificate of another key */
    make_dir(&d, 9, 30, 0, 1);
    assert_int_equal(ksync_open(d.path, &d.auth_pub, &d.kiosk_pub, camp, 1, day_today(), &k, why,
                                sizeof why), BN_EWRONGKEY);
    assert_non_null(strstr(why, "kiosk.crt: certifies another key"));
    tu_rmtree(d.path);
    free(d.path);

    /* a bad server.conf is named */
    make_dir(&d, 9, 30, 0, 0);
    p = tu_path(d.path, KSYNC_CONF_FILE);
    assert_int_equal(tu_write(p, "host = x\nport = 99999\n", 22), 0);
    assert_int_equal(ksync_open(d.path, &d.auth_pub, &d.kiosk_pub, camp, 1, day_today(), &k, why,
                                sizeof why), BN_EFORMAT);
    assert_non_null(strstr(why, "server.conf:2: port: '99999'"));
    free(p);
    tu_rmtree(d.path);
    free(d.path);
}

/* --- (KSYNC-K2) a peer that accepts and never answers ------------------------------------------ */

typedef struct peer_s {
    int fd;
    int accepted;
    int conns[16];
    pthread_mutex_t mu;
} peer_t;

static void *peer_main(void *arg)
{
    peer_t *p = arg;

    for (;;) {
        int c = accept(p->fd, NULL, NULL);
        if (c < 0)
            return NULL;
        pthread_mutex_lock(&p->mu);
        if (p->accepted < 16)
            p->conns[p->accepted] = c; /* kept open, never answered */
        else
            close(c);
        p->accepted++;
        pthread_mutex_unlock(&p->mu);
    }
}

static int accepted(peer_t *p)
{
    int n;

    pthread_mutex_lock(&p->mu);
    n = p->accepted;
    pthread_mutex_unlock(&p->mu);
    return n;
}

static void reserve_hold(void **state)
{
    static const ksync_campaign_t camp[1] = {{"bp35-demo", 0, "35"}};
    struct sockaddr_in a;
    socklen_t al = sizeof a;
    peer_t peer;
    pthread_t th;
    dir_t d, d0;
    ksync_t *k = NULL, *k0 = NULL;
    key_pair_t *key = NULL;
    signer_t s;
    uint8_t pseud[PSEUD_LEN] = {1, 2, 3};
    sync_resv_t r;
    char why[512] = "", *p;
    int64_t t0, took;
    int i;

    (void)state;
    memset(&peer, 0, sizeof peer);
    pthread_mutex_init(&peer.mu, NULL);
    peer.fd = socket(AF_INET, SOCK_STREAM, 0);
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(peer.fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(peer.fd, 16), 0);
    assert_int_equal(getsockname(peer.fd, (struct sockaddr *)&a, &al), 0);
    assert_int_equal(pthread_create(&th, NULL, peer_main, &peer), 0);

    make_dir(&d, ntohs(a.sin_port), 30, 0, 0);
    assert_int_equal(ksync_open(d.path, &d.auth_pub, &d.kiosk_pub, camp, 1, day_today(), &k, why,
                                sizeof why), 0);
    assert_non_null(k);
    p = tu_path(d.path, "kiosk.key");
    assert_int_equal(key_load(p, rng, &key, why, sizeof why), 0);
    free(p);
    key_signer(key, &s);

    /* the first: connects, waits out the timeout, offline */
    t0 = now_ms();
    assert_int_equal(ksync_reserve(k, key, &s, rng, "bp35-demo", pseud, now_ms(), &r, why,
                                   sizeof why), 0);
    took = now_ms() - t0;
    assert_int_equal(r, SYNC_OFFLINE);
    assert_true(took < 5000); /* bounded by reserve-timeout-ms (300), whatever the peer */
    for (i = 0; i < 50 && accepted(&peer) < 1; i++)
        usleep(10000);
    assert_int_equal(accepted(&peer), 1);

    /* (KSYNC-K2) the next ones, within offline-hold-s: offline without connecting */
    for (i = 0; i < 3; i++) {
        assert_int_equal(ksync_reserve(k, key, &s, rng, "bp35-demo", pseud, now_ms(), &r, why,
                                       sizeof why), 0);
        assert_int_equal(r, SYNC_OFFLINE);
        assert_non_null(strstr(why, "offline since a failed exchange"));
    }
    usleep(100000);
    assert_int_equal(accepted(&peer), 1);

    /* ... and after the hold (a clock 31 s later), it asks again */
    assert_int_equal(ksync_reserve(k, key, &s, rng, "bp35-demo", pseud, now_ms() + 31000, &r, why,
                                   sizeof why), 0);
    assert_int_equal(r, SYNC_OFFLINE);
    for (i = 0; i < 50 && accepted(&peer) < 2; i++)
        usleep(10000);
    assert_int_equal(accepted(&peer), 2);

    /* offline-hold-s = 0: every reservation asks */
    make_dir(&d0, ntohs(a.sin_port), 0, 0, 0);
    assert_int_equal(ksync_open(d0.path, &d0.auth_pub, &d0.kiosk_pub, camp, 1, day_today(), &k0,
                                why, sizeof why), 0);
    for (i = 0; i < 2; i++) {
        key_pair_t *k0key = NULL;
        signer_t s0;
        p = tu_path(d0.path, "kiosk.key");
        assert_int_equal(key_load(p, rng, &k0key, why, sizeof why), 0);
        free(p);
        key_signer(k0key, &s0);
        assert_int_equal(ksync_reserve(k0, k0key, &s0, rng, "bp35-demo", pseud, now_ms(), &r, why,
                                       sizeof why), 0);
        assert_int_equal(r, SYNC_OFFLINE);
        key_free(k0key);
    }
    for (i = 0; i < 50 && accepted(&peer) < 4; i++)
        usleep(10000);
    assert_int_equal(accepted(&peer), 4);

    /* the thread: a round soon after a cast is noted, offline with the
     * reason; closing it stops it */
    {
        ksync_status_t st;
        int64_t r0;
        ksync_status(k, &st);
        r0 = st.rounds;
        assert_int_equal(ksync_start(k), 0);
        ksync_note_cast(k, "bp35-demo", now_ms());
        for (i = 0; i < 300; i++) {
            ksync_status(k, &st);
            if (st.rounds > r0 && st.last_error[0] != '\0')
                break;
            usleep(10000);
        }
        assert_true(st.rounds > r0);
        assert_int_equal(st.online, 0);
        assert_true(st.last_error[0] != '\0');
        assert_true(accepted(&peer) > 4); /* the round's pulls reached the peer */
    }

    /* no link at all: offline, nothing asked */
    assert_int_equal(ksync_reserve(NULL, key, &s, rng, "bp35-demo", pseud, 0, &r, why, sizeof why),
                     0);
    assert_int_equal(r, SYNC_OFFLINE);

    ksync_close(k);
    ksync_close(k0);
    key_free(key);
    shutdown(peer.fd, SHUT_RDWR);
    close(peer.fd);
    pthread_join(th, NULL);
    for (i = 0; i < peer.accepted && i < 16; i++)
        close(peer.conns[i]);
    pthread_mutex_destroy(&peer.mu);
    tu_rmtree(d.path);
    tu_rmtree(d0.path);
    free(d.path);
    free(d0.path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(conf_defaults),
        cmocka_unit_test(conf_every_key),
        cmocka_unit_test(conf_refusals),
        cmocka_unit_test(open_refusals),
        cmocka_unit_test(reserve_hold),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
