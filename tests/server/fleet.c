/* fleet.c - many kiosks at once against one borne-server (issue 18,
 * section 3): kiosks FIRST to FIRST+N-1 of a server folder made by
 * `borne-server init-demo --kiosks M`, each with its own key and
 * certificate, each from its own loopback address (127.0.X.Y: the server
 * holds at most 32 connections per address), all starting at the same
 * instant. Each reserves R fresh pseudonyms, then uploads a bundle of B
 * register entries and a bundle of B ballots, as the sync client does
 * (SYNC-Y4), each over its own TLS connection (sync_request).
 *
 * Prints one line per kind of request and one in all:
 *   fleet: KIND: N requests, failed F; p50 X ms p99 Y ms max Z ms
 *   fleet: N kiosks, W s, Q requests/s, ballots acknowledged A
 * Exit 0 when every request got its expected answer (200 reserved, 200
 * acknowledgements holding the bundle), 1 otherwise (the first failures
 * said on stderr).
 *
 * Usage: server_fleet DIR PORT FIRST N [B [R]]   (B 10, R 3) */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kit.h"
#include "sync.h"

#define FLEET_MAX 999

typedef struct fleet_kiosk_s {
    kit_t kit;
    uint8_t *bundle[2];
    size_t bundle_len[2];
    char source[20];
} fleet_kiosk_t;

typedef struct fleet_s {
    fleet_kiosk_t *k;
    int first, n, per, reserves;
    unsigned port;
    pthread_barrier_t go;
    pthread_mutex_t mu;
    double *ms[3];              /* reservations, register bundles, ballot bundles */
    int count[3], failed[3];
    long long acked;            /* ballots acknowledged */
    int said;                   /* failures printed */
} fleet_t;

static const char *const kinds[3] = {"reservations", "register bundles", "ballot bundles"};

static double now_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static void note(fleet_t *f, int kind, double ms, int ok, int kiosk, const char *what)
{
    pthread_mutex_lock(&f->mu);
    f->ms[kind][f->count[kind]++] = ms;
    if (!ok) {
        f->failed[kind]++;
        if (f->said++ < 10)
            fprintf(stderr, "fleet: kiosk %d, %s: %.300s\n", kiosk, kinds[kind], what);
    }
    pthread_mutex_unlock(&f->mu);
}

/* One request; ok when the status is 200 and the answer holds `want`. */
static void request(fleet_t *f, fleet_kiosk_t *k, int i, int kind, const char *path,
                    const char *type, const uint8_t *body, size_t len, const char *want)
{
    sync_conf_t c;
    uint8_t *ans = NULL;
    char why[512] = "", what[700];
    int status = 0, rc, ok;
    double t0;

    memset(&c, 0, sizeof c);
    c.host = "localhost";
    c.addr = "127.0.0.1";
    c.source = k->source;
    c.port = f->port;
    c.ca_der = k->kit.ca;
    c.ca_len = k->kit.ca_len;
    c.cert_der = k->kit.cert;
    c.cert_len = k->kit.cert_len;
    c.key = k->kit.kiosk;
    c.signer = &k->kit.ks;
    c.rng = k->kit.rng;
    c.connect_ms = 60000;
    c.io_ms = 60000;
    t0 = now_ms();
    rc = sync_request(&c, "POST", path, type, body, len, SYNC_MAX_ANSWER, &status, &ans, NULL,
                      why, sizeof why);
    ok = rc == 0 && status == 200 && ans != NULL && strstr((char *)ans, want) != NULL;
    if (rc != 0)
        snprintf(what, sizeof what, "%s: %s", bn_strerror(rc), why);
    else
        snprintf(what, sizeof what, "status %d: %.500s", status, ans ? (char *)ans : "");
    note(f, kind, now_ms() - t0, ok, f->first + i, what);
    free(ans);
}

typedef struct arg_s {
    fleet_t *f;
    int i;
} arg_t;

static void *kiosk(void *p)
{
    arg_t *a = p;
    fleet_t *f = a->f;
    fleet_kiosk_t *k = &f->k[a->i];
    char json[160], hexs[65], want[32];
    uint8_t ps[32];
    int r;

    pthread_barrier_wait(&f->go);
    for (r = 0; r < f->reserves; r++) {
        if (rng_bytes(k->kit.rng, ps, 32) != 0)
            continue;
        hex_encode(ps, 32, hexs);
        snprintf(json, sizeof json, "{\"campaign\":\"bp35-demo\",\"pseudonym\":\"%s\"}", hexs);
        request(f, k, a->i, 0, "/v1/reservations", "application/json", (uint8_t *)json,
                strlen(json), "\"reserved\"");
    }
    snprintf(want, sizeof want, "\"register\":%d", f->per);
    request(f, k, a->i, 1, "/v1/bundles", "application/octet-stream", k->bundle[0],
            k->bundle_len[0], want);
    snprintf(want, sizeof want, "\"ballots\":%d", f->per);
    request(f, k, a->i, 2, "/v1/bundles", "application/octet-stream", k->bundle[1],
            k->bundle_len[1], want);
    return NULL;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

static void figures(const char *name, double *v, int n, int failed)
{
    int i50, i99;

    if (n == 0) {
        printf("fleet: %s: none\n", name);
        return;
    }
    qsort(v, (size_t)n, sizeof *v, cmp_d);
    i50 = n / 2;
    i99 = (int)((double)n * 0.99 + 0.999) - 1;
    if (i99 >= n)
        i99 = n - 1;
    if (i99 < 0)
        i99 = 0;
    printf("fleet: %s: %d requests, failed %d; p50 %.0f ms p99 %.0f ms max %.0f ms\n", name, n,
           failed, v[i50], v[i99], v[n - 1]);
}

int main(int argc, char **argv)
{
    fleet_t f;
    pthread_t *th = NULL;
    pthread_attr_t attr;
    arg_t *args = NULL;
    double t0, t1, *all = NULL;
    int i, j, rc, started = 0, status = 1, nall = 0, nfail = 0;

    memset(&f, 0, sizeof f);
    if (argc < 5 || argc > 7) {
        fprintf(stderr, "usage: server_fleet DIR PORT FIRST N [BALLOTS [RESERVATIONS]]\n");
        return 2;
    }
    f.port = (unsigned)atoi(argv[2]);
    f.first = atoi(argv[3]);
    f.n = atoi(argv[4]);
    f.per = argc > 5 ? atoi(argv[5]) : 10;
    f.reserves = argc > 6 ? atoi(argv[6]) : 3;
    if (f.first < 1 || f.n < 1 || f.n > FLEET_MAX || f.per < 1 || f.per > 1000 || f.reserves < 0 ||
        f.reserves > 6) {
        fprintf(stderr, "server_fleet: N 1 to %d, BALLOTS 1 to 1000, RESERVATIONS 0 to 6\n",
                FLEET_MAX);
        return 2;
    }
    f.k = calloc((size_t)f.n, sizeof *f.k);
    th = calloc((size_t)f.n, sizeof *th);
    args = calloc((size_t)f.n, sizeof *args);
    for (j = 0; j < 3; j++)
        f.ms[j] = calloc((size_t)f.n * (size_t)(f.reserves + 1), sizeof(double));
    all = calloc((size_t)f.n * (size_t)(f.reserves + 2), sizeof(double));
    if (f.k == NULL || th == NULL || args == NULL || f.ms[0] == NULL || f.ms[1] == NULL ||
        f.ms[2] == NULL || all == NULL)
        goto out;
    pthread_mutex_init(&f.mu, NULL);
    /* the kiosks and their bundles, before the clock starts */
    for (i = 0; i < f.n; i++) {
        fleet_kiosk_t *k = &f.k[i];

        if ((rc = kit_open(&k->kit, argv[1], f.first + i)) != 0 ||
            (rc = kit_bundle(&k->kit, NULL, 1, 0, f.per, &k->bundle[0], &k->bundle_len[0], NULL,
                             NULL)) != 0 ||
            (rc = kit_bundle(&k->kit, NULL, 2, f.per, 0, &k->bundle[1], &k->bundle_len[1], NULL,
                             NULL)) != 0) {
            fprintf(stderr, "server_fleet: kiosk %d of %s: %s\n", f.first + i, argv[1],
                    bn_strerror(rc));
            goto out;
        }
        snprintf(k->source, sizeof k->source, "127.0.%d.%d", 1 + i / 200, 1 + i % 200);
    }
    /* all at once */
    pthread_barrier_init(&f.go, NULL, (unsigned)f.n + 1);
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, (size_t)1 << 20);
    for (i = 0; i < f.n; i++) {
        args[i].f = &f;
        args[i].i = i;
        if (pthread_create(&th[i], &attr, kiosk, &args[i]) != 0) {
            fprintf(stderr, "server_fleet: thread %d cannot start\n", i);
            exit(1); /* the others wait at the barrier */
        }
        started++;
    }
    pthread_attr_destroy(&attr);
    t0 = now_ms();
    pthread_barrier_wait(&f.go);
    for (i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    t1 = now_ms();
    for (j = 0; j < 3; j++) {
        memcpy(all + nall, f.ms[j], (size_t)f.count[j] * sizeof(double));
        nall += f.count[j];
        nfail += f.failed[j];
        figures(kinds[j], f.ms[j], f.count[j], f.failed[j]);
    }
    figures("all", all, nall, nfail);
    printf("fleet: %d kiosks at once, %.1f s, %.0f requests/s, %d failed\n", f.n,
           (t1 - t0) / 1e3, (double)nall * 1e3 / (t1 - t0), nfail);
    status = nfail == 0 && nall == f.n * (f.reserves + 2) ? 0 : 1;
out:
    for (i = 0; f.k != NULL && i < f.n; i++) {
        free(f.k[i].bundle[0]);
        free(f.k[i].bundle[1]);
        kit_close(&f.k[i].kit);
    }
    for (j = 0; j < 3; j++)
        free(f.ms[j]);
    free(all);
    free(f.k);
    free(th);
    free(args);
    return status;
}
