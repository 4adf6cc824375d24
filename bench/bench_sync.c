/* bench_sync.c - sync_ballots_per_s (issue 4, section 4): ballots from 50
 * simulated kiosks uploaded to a real borne-server over TLS on loopback
 * (sync_request, POST /v1/bundles), verified and stored by the server.
 *
 * The server is borne-server (env BORNE_SERVER_BIN, else server/borne-server
 * next to the directory of this program), run on a fresh `init-demo`
 * directory in $TMPDIR (or /tmp) and port 0. The kiosk keys and
 * certificates are issued here with the demo authority's key; the ballots of
 * the demo package are signed before the clock starts (2 threads) and packed
 * into bundles of 500. Timed: the uploads alone, from 4 client threads (one
 * kiosk at a time per thread, its bundles in order), each answer 200. The
 * server's /v1/metrics must then hold every ballot.
 * BORNE_BENCH_SYNC_BALLOTS: the number of ballots (default 100,000). */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ballot.h"
#include "bn_err.h"
#include "bundle.h"
#include "cert.h"
#include "day.h"
#include "key.h"
#include "pkg.h"
#include "rng.h"
#include "sync.h"

int bench_sync(void);

#define BS_KIOSKS 50
#define BS_PER_BUNDLE 500
#define BS_GEN_THREADS 2
#define BS_UP_THREADS 4

typedef struct bs_kiosk_s {
    key_pair_t *key;
    signer_t ks;
    uint8_t cert[CERT_DER_MAX];
    size_t cert_len;
    int nballots;
    int nbundles;
    uint8_t **bundle;
    size_t *bundle_len;
} bs_kiosk_t;

typedef struct bs_s {
    bs_kiosk_t k[BS_KIOSKS];
    const pkg_t *pkg;
    uint8_t ca[CERT_DER_MAX];
    size_t ca_len;
    uint32_t day;
    unsigned port;
    pthread_mutex_t lock;
    int next;                    /* next kiosk to take */
    int failed;
    long long uploaded;          /* ballots acknowledged */
    char why[512];
} bs_t;

static double bs_now(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int bs_take(bs_t *b)
{
    int i;

    pthread_mutex_lock(&b->lock);
    i = b->failed ? BS_KIOSKS : b->next++;
    pthread_mutex_unlock(&b->lock);
    return i;
}

static void bs_fail(bs_t *b, const char *msg)
{
    pthread_mutex_lock(&b->lock);
    if (!b->failed)
        snprintf(b->why, sizeof b->why, "%.500s", msg);
    b->failed = 1;
    pthread_mutex_unlock(&b->lock);
}

/* One kiosk's ballots, in bundles of BS_PER_BUNDLE, each after a bundle
 * of as many register entries, as the sync client sends them (SYNC-Y4):
 * the server takes no more ballots than entries from a kiosk (SRV-I1). */
static int bs_gen_kiosk(bs_t *b, bs_kiosk_t *k, rng_t *rng)
{
    const pkg_t *p = b->pkg;
    uint8_t ballot[BALLOT_MAX_LEN], r[2];
    size_t bl;
    int i, n, j, t, sel[1], rc = 0;

    k->nbundles = 2 * ((k->nballots + BS_PER_BUNDLE - 1) / BS_PER_BUNDLE);
    k->bundle = calloc((size_t)k->nbundles + 1, sizeof *k->bundle);
    k->bundle_len = calloc((size_t)k->nbundles + 1, sizeof *k->bundle_len);
    if (k->bundle == NULL || k->bundle_len == NULL)
        return BN_ENOMEM;
    for (i = 0; 2 * i < k->nbundles && rc == 0; i++) {
        bundle_builder_t *bb = NULL;
        uint8_t ps[32];
        int nb = k->nballots - i * BS_PER_BUNDLE;

        if (nb > BS_PER_BUNDLE)
            nb = BS_PER_BUNDLE;
        /* who took part, first */
        if ((rc = bundle_new(p->id, 2 * (uint64_t)i + 1, k->cert, k->cert_len, &bb)) != 0)
            break;
        for (n = 0; n < nb && rc == 0; n++)
            if ((rc = rng_bytes(rng, ps, sizeof ps)) == 0)
                rc = bundle_add_register(bb, ps, b->day, 0);
        if (rc == 0)
            rc = bundle_finish(bb, &k->ks, &k->bundle[2 * i], &k->bundle_len[2 * i]);
        bundle_free(bb);
        bb = NULL;
        if (rc != 0 ||
            (rc = bundle_new(p->id, 2 * (uint64_t)i + 2, k->cert, k->cert_len, &bb)) != 0)
            break;
        for (n = 0; n < nb && rc == 0; n++) {
            ballot_t bt;

            if ((rc = rng_bytes(rng, r, 2)) != 0)
                break;
            t = r[0] % p->n_territories;
            sel[0] = -1;
            for (j = 0; j < p->n_projects; j++) {
                int jj = (j + r[1]) % p->n_projects;

                if (p->projects[jj].territory == t) {
                    sel[0] = jj;
                    break;
                }
            }
            if (sel[0] < 0) {
                n--; /* a territory without projects: draw again */
                continue;
            }
            if ((rc = ballot_make(&bt, p, t, sel, 1, b->day, k->ks.pub.id, rng)) == 0 &&
                (rc = ballot_seal(&bt, &k->ks, ballot, sizeof ballot, &bl)) == 0)
                rc = bundle_add_ballot(bb, ballot, bl);
        }
        if (rc == 0)
            rc = bundle_finish(bb, &k->ks, &k->bundle[2 * i + 1], &k->bundle_len[2 * i + 1]);
        bundle_free(bb);
    }
    return rc;
}

static void *bs_gen(void *arg)
{
    bs_t *b = arg;
    rng_t *rng = NULL;
    int i, rc;

    if ((rc = rng_open(&rng)) != 0) {
        bs_fail(b, "rng_open failed");
        return NULL;
    }
    while ((i = bs_take(b)) < BS_KIOSKS)
        if ((rc = bs_gen_kiosk(b, &b->k[i], rng)) != 0)
            bs_fail(b, bn_strerror(rc));
    rng_close(rng);
    return NULL;
}

static void bs_conf(bs_t *b, bs_kiosk_t *k, rng_t *rng, sync_conf_t *c)
{
    memset(c, 0, sizeof *c);
    c->host = "localhost";
    c->addr = "127.0.0.1";
    c->port = b->port;
    c->ca_der = b->ca;
    c->ca_len = b->ca_len;
    c->cert_der = k->cert;
    c->cert_len = k->cert_len;
    c->key = k->key;
    c->signer = &k->ks;
    c->rng = rng;
    c->connect_ms = 10000;
    c->io_ms = 60000;
}

static void *bs_upload(void *arg)
{
    bs_t *b = arg;
    rng_t *rng = NULL;
    sync_conf_t c;
    char why[512];
    int i, j, rc, status;

    if ((rc = rng_open(&rng)) != 0) {
        bs_fail(b, "rng_open failed");
        return NULL;
    }
    while ((i = bs_take(b)) < BS_KIOSKS) {
        bs_kiosk_t *k = &b->k[i];

        bs_conf(b, k, rng, &c);
        for (j = 0; j < k->nbundles; j++) {
            uint8_t *ans = NULL;

            why[0] = 0;
            rc = sync_request(&c, "POST", "/v1/bundles", "application/octet-stream",
                              k->bundle[j], k->bundle_len[j], SYNC_MAX_ANSWER, &status, &ans,
                              NULL, why, sizeof why);
            if (rc != 0 || status != 200) {
                char msg[700];

                if (rc != 0)
                    snprintf(msg, sizeof msg, "upload: %s: %s", bn_strerror(rc), why);
                else
                    snprintf(msg, sizeof msg, "upload: status %d: %.600s", status,
                             ans != NULL ? (const char *)ans : "");
                bs_fail(b, msg);
            }
            free(ans);
            if (rc != 0 || status != 200)
                break;
            if (j % 2 == 0)
                continue; /* a register bundle: its ballots follow */
            pthread_mutex_lock(&b->lock);
            b->uploaded += j + 1 < k->nbundles ? BS_PER_BUNDLE
                                                : k->nballots - (j / 2) * BS_PER_BUNDLE;
            pthread_mutex_unlock(&b->lock);
        }
    }
    rng_close(rng);
    return NULL;
}

/* Runs argv (stderr to `log`, may be NULL) and waits for it: its exit status. */
static int bs_run(char *const argv[], const char *log)
{
    pid_t pid = fork();
    int st;

    if (pid < 0)
        return -1;
    if (pid == 0) {
        if (log != NULL) {
            int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);

            if (fd >= 0) {
                dup2(fd, 1); /* init-demo's summary is not a figure */
                dup2(fd, 2);
            }
        }
        execv(argv[0], argv);
        _exit(127);
    }
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int bs_pem(const char *path, uint8_t *der, size_t *len)
{
    uint8_t *t = NULL;
    size_t n;
    int rc;

    if ((rc = pkg_read_file(path, &t, &n, NULL, 0)) != 0)
        return rc;
    rc = cert_from_pem((const char *)t, n, der, CERT_DER_MAX, len);
    free(t);
    return rc;
}

/* The ballots of campaign bp35-demo held by the server (/v1/metrics), or -1. */
static long long bs_held(bs_t *b, bs_kiosk_t *k, rng_t *rng)
{
    sync_conf_t c;
    uint8_t *ans = NULL;
    char why[256], *p;
    int status = 0;
    long long n = -1;

    bs_conf(b, k, rng, &c);
    if (sync_request(&c, "GET", "/v1/metrics", NULL, NULL, 0, 4u << 20, &status, &ans, NULL,
                     why, sizeof why) == 0 &&
        status == 200 && ans != NULL && (p = strstr((char *)ans, "\"bp35-demo\"")) != NULL &&
        (p = strstr(p, "\"ballots\"")) != NULL) {
        p += strlen("\"ballots\"");
        while (*p == ' ' || *p == '\t' || *p == ':' || *p == '\n')
            p++;
        n = strtoll(p, NULL, 10);
    }
    free(ans);
    return n;
}

int bench_sync(void)
{
    bs_t *b = calloc(1, sizeof *b);
    const char *env = getenv("BORNE_BENCH_SYNC_BALLOTS"), *tmp = getenv("TMPDIR");
    char bin[4096], dir[4096], path[4200], portf[4200], logf[4200], lst[4300];
    char *av[12];
    key_pair_t *auth = NULL;
    key_pub_t ca_pub;
    pkg_t *pkg = NULL;
    rng_t *rng = NULL;
    uint8_t *file = NULL;
    size_t len;
    pthread_t th[BS_UP_THREADS];
    pid_t srv = -1;
    long total = env != NULL ? strtol(env, NULL, 10) : 100000;
    long long held;
    double t0, t1;
    int i, rc, status = 1, nth;

    if (b == NULL)
        return 1;
    pthread_mutex_init(&b->lock, NULL);
    dir[0] = 0;
    if (total < BS_KIOSKS || total > 10000000L)
        total = 100000;
    /* the server binary */
    if (getenv("BORNE_SERVER_BIN") != NULL)
        snprintf(bin, sizeof bin, "%s", getenv("BORNE_SERVER_BIN"));
    else {
        ssize_t n = readlink("/proc/self/exe", bin, sizeof bin - 32);
        char *slash;

        if (n <= 0)
            n = 0;
        bin[n] = 0;
        slash = strrchr(bin, '/');
        if (slash == NULL)
            snprintf(bin, sizeof bin, "server/borne-server");
        else
            snprintf(slash, sizeof bin - (size_t)(slash - bin), "/server/borne-server");
    }
    if (access(bin, X_OK) != 0) {
        fprintf(stderr, "bench_sync: no borne-server at %s (set BORNE_SERVER_BIN)\n", bin);
        goto out;
    }
    snprintf(dir, sizeof dir, "%s/borne-bench-sync-XXXXXX", tmp != NULL && *tmp ? tmp : "/tmp");
    if (mkdtemp(dir) == NULL) {
        fprintf(stderr, "bench_sync: mkdtemp %s: %s\n", dir, strerror(errno));
        dir[0] = 0;
        goto out;
    }
    snprintf(path, sizeof path, "%s/srv", dir);
    snprintf(portf, sizeof portf, "%s/port", dir);
    snprintf(logf, sizeof logf, "%s/log", dir);
    av[0] = bin;
    av[1] = "init-demo";
    av[2] = path;
    av[3] = NULL;
    if (bs_run(av, logf) != 0) {
        fprintf(stderr, "bench_sync: %s init-demo failed (%s)\n", bin, logf);
        goto keep;
    }
    /* the authority, the package, the kiosks */
    b->day = day_today();
    snprintf(lst, sizeof lst, "%s/authority.crt", path);
    if ((rc = rng_open(&rng)) != 0 || (rc = bs_pem(lst, b->ca, &b->ca_len)) != 0 ||
        (rc = cert_key(b->ca, b->ca_len, &ca_pub)) != 0)
        goto fail;
    snprintf(lst, sizeof lst, "%s/demo/authority.key", path);
    if ((rc = key_load(lst, rng, &auth, NULL, 0)) != 0)
        goto fail;
    snprintf(lst, sizeof lst, "%s/bp35-demo.bpkg", path);
    if ((rc = pkg_read_file(lst, &file, &len, NULL, 0)) != 0 ||
        (rc = pkg_open(file, len, &ca_pub, NULL, b->day, &pkg, NULL, 0)) != 0)
        goto fail;
    b->pkg = pkg;
    for (i = 0; i < BS_KIOSKS; i++) {
        bs_kiosk_t *k = &b->k[i];
        key_pub_t pub;
        char cn[32];

        snprintf(cn, sizeof cn, "kiosk-35238-%02d", i + 11);
        if ((rc = key_generate(rng, &k->key)) != 0)
            goto fail;
        key_public(k->key, &pub);
        key_signer(k->key, &k->ks);
        if ((rc = cert_issue(auth, rng, b->ca, b->ca_len, &pub, CERT_KIOSK, cn, b->day - 1,
                             b->day + 100, k->cert, sizeof k->cert, &k->cert_len, NULL, 0)) != 0)
            goto fail;
        /* enrolled: in the server's list (SRV-E1), as borne-admin kiosk enroll adds it */
        {
            char pem[CERT_PEM_MAX], crt[4400];
            size_t plen;
            FILE *f;

            snprintf(crt, sizeof crt, "%s/kiosks/%s.crt", path, cn);
            if ((rc = cert_to_pem(k->cert, k->cert_len, pem, sizeof pem, &plen)) != 0 ||
                (f = fopen(crt, "w")) == NULL)
                goto fail;
            rc = fwrite(pem, 1, plen, f) == plen ? 0 : BN_EIO;
            if (fclose(f) != 0 || rc != 0)
                goto fail;
        }
        k->nballots = (int)(total / BS_KIOSKS) + (i < total % BS_KIOSKS);
    }
    /* the ballots, signed before the clock starts */
    b->next = 0;
    for (nth = 0; nth < BS_GEN_THREADS; nth++)
        if (pthread_create(&th[nth], NULL, bs_gen, b) != 0)
            break;
    for (i = 0; i < nth; i++)
        pthread_join(th[i], NULL);
    if (nth < BS_GEN_THREADS || b->failed) {
        fprintf(stderr, "bench_sync: %s\n", b->failed ? b->why : "pthread_create");
        goto out;
    }
    /* the server */
    srv = fork();
    if (srv < 0)
        goto out;
    if (srv == 0) {
        int fd = open(logf, O_WRONLY | O_CREAT | O_APPEND, 0600);

        if (fd >= 0)
            dup2(fd, 2);
        execl(bin, bin, "serve", "--dir", path, "--listen", "127.0.0.1:0", "--port-file", portf,
              (char *)NULL);
        _exit(127);
    }
    for (i = 0; i < 400; i++) {
        FILE *f = fopen(portf, "r");
        unsigned p = 0;
        int st;

        if (f != NULL) {
            if (fscanf(f, "%u", &p) != 1)
                p = 0;
            fclose(f);
        }
        if (p != 0) {
            b->port = p;
            break;
        }
        if (waitpid(srv, &st, WNOHANG) == srv) {
            srv = -1;
            break;
        }
        usleep(50000);
    }
    if (b->port == 0) {
        fprintf(stderr, "bench_sync: the server did not start (%s)\n", logf);
        goto keep;
    }
    /* timed: the uploads */
    b->next = 0;
    t0 = bs_now();
    for (nth = 0; nth < BS_UP_THREADS; nth++)
        if (pthread_create(&th[nth], NULL, bs_upload, b) != 0)
            break;
    for (i = 0; i < nth; i++)
        pthread_join(th[i], NULL);
    t1 = bs_now();
    if (nth < BS_UP_THREADS || b->failed) {
        fprintf(stderr, "bench_sync: %s (after %lld ballots; %s)\n",
                b->failed ? b->why : "pthread_create", b->uploaded, logf);
        goto keep;
    }
    printf("sync_ballots_per_s %.0f ballots/s\n", (double)total / (t1 - t0));
    fflush(stdout);
    held = bs_held(b, &b->k[0], rng);
    if (held != total) {
        fprintf(stderr, "bench_sync: the server holds %lld ballots of bp35-demo, not %ld\n", held,
                total);
        goto out;
    }
    status = 0;
    goto out;
fail:
    fprintf(stderr, "bench_sync: %s (%d)\n", bn_strerror(rc), rc);
    goto out;
keep:
    {
        FILE *f = fopen(logf, "r");
        char line[512];

        while (f != NULL && fgets(line, sizeof line, f) != NULL)
            fprintf(stderr, "  server: %s", line);
        if (f != NULL)
            fclose(f);
    }
out:
    if (srv > 0) {
        int st;

        kill(srv, SIGTERM);
        while (waitpid(srv, &st, 0) < 0 && errno == EINTR)
            ;
    }
    if (dir[0] != 0) {
        av[0] = "/bin/rm";
        av[1] = "-rf";
        av[2] = dir;
        av[3] = NULL;
        (void)bs_run(av, NULL);
    }
    for (i = 0; i < BS_KIOSKS; i++) {
        bs_kiosk_t *k = &b->k[i];
        int j;

        for (j = 0; k->bundle != NULL && j < k->nbundles; j++)
            free(k->bundle[j]);
        free(k->bundle);
        free(k->bundle_len);
        key_free(k->key);
    }
    pthread_mutex_destroy(&b->lock);
    free(b);
    free(file);
    pkg_free(pkg);
    key_free(auth);
    rng_close(rng);
    return status;
}
