/* ksync.c - the kiosk's link to borne-server: server.conf, rounds of
 * uploads and pulls, the background thread, reservations (ksync.h). */
#include "ksync.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>

#include "bn_err.h"
#include "cert.h"
#include "conf.h"
#include "pkg.h"
#include "store.h"

typedef struct camp_s {
    char id[65];
    int petition;
    char departement[4];         /* "" when not given */
    sync_batch_t batch;          /* the thread's (copied out and back under the lock) */
    int64_t noted_ms;            /* a cast noted while a round ran (0: none) */
    int package_checked;         /* the server's package was compared with ours */
    int have_counter;
    sync_counter_t counter;
    int64_t counter_when;        /* wall clock */
} camp_t;

struct ksync_s {
    ksync_conf_t conf;
    uint8_t ca[CERT_DER_MAX], cert[CERT_DER_MAX], pin[CERT_DER_MAX];
    size_t ca_len, cert_len, pin_len;   /* pin_len 0: no server.crt pinned */
    uint8_t kiosk_id[KEY_ID_LEN];
    key_pub_t authority;

    /* the thread's own */
    store_t *store;
    key_pair_t *key;
    int key_borrowed;            /* ksync_open_key: the caller's (a TPM's) */
    signer_t signer;
    rng_t *rng;
    int64_t last_pull_ms;        /* 0: never */

    /* shared, behind mu */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    camp_t camp[KSYNC_MAX_CAMPAIGNS];
    int n_camp;
    int online;                  /* -1 unknown, 0 offline, 1 online */
    int64_t failed_ms;           /* monotonic time of the last failure (0: none) */
    int revoked;
    int package_mismatch;
    uint32_t today;
    int64_t rounds;
    int64_t left;               /* store_outbox_count of the last round, -1: none yet */
    int64_t last_ok_s;           /* wall clock (time(NULL)) of the last exchange that succeeded */
    char last_error[256];
    int wake, stop, running;
    pthread_t th;
};

/* --- server.conf ------------------------------------------------------------------ */

int ksync_conf_parse(const char *text, size_t len, const char *name, ksync_conf_t *out,
                     char *why, size_t whylen)
{
    long long port = 0, conn = 5000, io = 10000, reserve = 1500, batch = 10;
    long long delay = 2 * 3600 * 1000, round = 60 * 1000, pull = 300 * 1000, hold = 30 * 1000;
    /* the keys, their bounds, where they go and in what unit (conf.h) */
    const conf_key_t keys[] = {
        {"", "host", CONF_HOST, 0, 0, 0, out->host, sizeof out->host},
        {"", "address", CONF_HOST, 0, 0, 0, out->addr, sizeof out->addr},
        {"", "port", CONF_INT, 1, 65535, 1, &port, 0},
        {"", "connect-timeout-ms", CONF_INT, 1, 600000, 1, &conn, 0},
        {"", "io-timeout-ms", CONF_INT, 1, 600000, 1, &io, 0},
        {"", "reserve-timeout-ms", CONF_INT, 1, 60000, 1, &reserve, 0},
        {"", "batch-casts", CONF_INT, 1, 100000, 1, &batch, 0},
        {"", "batch-delay-s", CONF_INT, 1, 30LL * 86400, 1000, &delay, 0},
        {"", "round-s", CONF_INT, 1, 86400, 1000, &round, 0},
        {"", "pull-s", CONF_INT, 1, 86400, 1000, &pull, 0},
        {"", "offline-hold-s", CONF_INT, 0, 86400, 1000, &hold, 0},
    };
    int seen[sizeof keys / sizeof keys[0]], rc;

    memset(out, 0, sizeof *out);
    if ((rc = conf_parse(text, len, name, keys, sizeof keys / sizeof keys[0], NULL, seen, why,
                         whylen)) != 0)
        return rc;
    if (!seen[0])
        return bn_fail(why, whylen, BN_EFORMAT, "%s: no 'host = NAME' line", name);
    if (!seen[2])
        return bn_fail(why, whylen, BN_EFORMAT, "%s: no 'port = N' line", name);
    out->port = (unsigned)port;
    out->connect_ms = (int)conn;
    out->io_ms = (int)io;
    out->reserve_ms = (int)reserve;
    out->batch_casts = (size_t)batch;
    out->batch_delay_ms = delay;
    out->round_ms = round;
    out->pull_ms = pull;
    out->offline_ms = hold;
    return 0;
}

/* --- opening ---------------------------------------------------------------------- */

static int read_pem_cert(const char *dir, const char *name, uint8_t *der, size_t *len,
                         char *why, size_t whylen)
{
    char path[1200];
    uint8_t *pem = NULL;
    size_t pl = 0;
    int rc;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    if ((rc = pkg_read_file(path, &pem, &pl, why, whylen)) != 0)
        return rc;
    rc = cert_from_pem((const char *)pem, pl, der, CERT_DER_MAX, len);
    free(pem);
    if (rc != 0)
        return bn_fail(why, whylen, rc, "%s: not one PEM certificate", path);
    return 0;
}

static int64_t mono_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static int open_common(const char *dir, const key_pub_t *authority, const key_pub_t *kiosk,
                       key_pair_t *key, const ksync_campaign_t *camps, int n, uint32_t today,
                       ksync_t **out, char *why, size_t whylen);

int ksync_open(const char *dir, const key_pub_t *authority, const key_pub_t *kiosk,
               const ksync_campaign_t *camps, int n, uint32_t today, ksync_t **out,
               char *why, size_t whylen)
{
    return open_common(dir, authority, kiosk, NULL, camps, n, today, out, why, whylen);
}

int ksync_open_key(const char *dir, const key_pub_t *authority, key_pair_t *key,
                   const ksync_campaign_t *camps, int n, uint32_t today, ksync_t **out,
                   char *why, size_t whylen)
{
    key_pub_t pub;

    key_public(key, &pub);
    return open_common(dir, authority, &pub, key, camps, n, today, out, why, whylen);
}

static int open_common(const char *dir, const key_pub_t *authority, const key_pub_t *kiosk,
                       key_pair_t *key, const ksync_campaign_t *camps, int n, uint32_t today,
                       ksync_t **out, char *why, size_t whylen)
{
    char path[1200], w[300] = "";
    uint8_t *text = NULL;
    size_t len = 0;
    ksync_t *k = NULL;
    key_pub_t ca_pub;
    cert_info_t info;
    FILE *f;
    int rc, i;

    *out = NULL;
    snprintf(path, sizeof path, "%s/%s", dir, KSYNC_CONF_FILE);
    if ((f = fopen(path, "rb")) == NULL && errno == ENOENT)
        return 0; /* no server: (KSYNC-K1) every entry offline */
    if (f != NULL)
        fclose(f);
    if (n < 0 || n > KSYNC_MAX_CAMPAIGNS)
        return bn_fail(why, whylen, BN_EINVAL, "ksync_open: %d campaigns", n);
    if ((k = calloc(1, sizeof *k)) == NULL)
        return bn_fail(why, whylen, BN_ENOMEM, "ksync_open");
    pthread_mutex_init(&k->mu, NULL);
    pthread_cond_init(&k->cv, NULL);
    k->online = -1;
    k->left = -1;
    if ((rc = pkg_read_file(path, &text, &len, why, whylen)) != 0)
        goto out;
    if ((rc = ksync_conf_parse((const char *)text, len, path, &k->conf, why, whylen)) != 0)
        goto out;
    if ((rc = read_pem_cert(dir, "authority.crt", k->ca, &k->ca_len, why, whylen)) != 0 ||
        (rc = read_pem_cert(dir, "kiosk.crt", k->cert, &k->cert_len, why, whylen)) != 0)
        goto out;
    /* (KSYNC-K4) the server's own certificate, when provisioning pinned it */
    {
        char sp[1200];

        snprintf(sp, sizeof sp, "%s/server.crt", dir);
        if (access(sp, F_OK) == 0 &&
            (rc = read_pem_cert(dir, "server.crt", k->pin, &k->pin_len, why, whylen)) != 0)
            goto out;
    }
    if ((rc = cert_key(k->ca, k->ca_len, &ca_pub)) != 0 ||
        memcmp(ca_pub.pub, authority->pub, KEY_PUB_LEN) != 0) {
        rc = bn_fail(why, whylen, BN_EWRONGKEY,
                     "%s/authority.crt: not a certificate of the pinned authority key "
                     "(authority.pub.pem)", dir);
        goto out;
    }
    if ((rc = cert_verify(k->cert, k->cert_len, k->ca, k->ca_len, today, CERT_KIOSK, NULL, &info,
                          w, sizeof w)) != 0) {
        rc = bn_fail(why, whylen, rc, "%s/kiosk.crt: %s", dir, w);
        goto out;
    }
    if (memcmp(info.pub.pub, kiosk->pub, KEY_PUB_LEN) != 0) {
        rc = bn_fail(why, whylen, BN_EWRONGKEY, "%s/kiosk.crt: certifies another key than "
                     "kiosk.key's", dir);
        goto out;
    }
    memcpy(k->kiosk_id, kiosk->id, KEY_ID_LEN);
    k->authority = *authority;
    if ((rc = rng_open(&k->rng)) != 0) {
        rc = bn_fail(why, whylen, rc, "random generator");
        goto out;
    }
    if (key != NULL) {
        k->key = key;
        k->key_borrowed = 1;
    } else {
        snprintf(path, sizeof path, "%s/kiosk.key", dir);
        if ((rc = key_load(path, k->rng, &k->key, why, whylen)) != 0)
            goto out;
    }
    key_signer(k->key, &k->signer);
    snprintf(path, sizeof path, "%s/kiosk.db", dir);
    if ((rc = store_open(path, &k->store, why, whylen)) != 0)
        goto out;
    for (i = 0; i < n; i++) {
        if (strlen(camps[i].id) >= sizeof k->camp[i].id) {
            rc = bn_fail(why, whylen, BN_EINVAL, "campaign id '%.64s' too long", camps[i].id);
            goto out;
        }
        strcpy(k->camp[i].id, camps[i].id);
        k->camp[i].petition = camps[i].petition;
        if (camps[i].departement != NULL)
            snprintf(k->camp[i].departement, sizeof k->camp[i].departement, "%s",
                     camps[i].departement);
        k->camp[i].batch.min_casts = k->conf.batch_casts;
        k->camp[i].batch.max_delay_ms = k->conf.batch_delay_ms;
    }
    k->n_camp = n;
    k->today = today;
    *out = k;
    k = NULL;
out:
    free(text);
    ksync_close(k);
    return rc;
}

void ksync_close(ksync_t *k)
{
    if (k == NULL)
        return;
    if (k->running) {
        pthread_mutex_lock(&k->mu);
        k->stop = 1;
        pthread_cond_signal(&k->cv);
        pthread_mutex_unlock(&k->mu);
        pthread_join(k->th, NULL);
    }
    store_close(k->store);
    if (!k->key_borrowed)
        key_free(k->key);
    rng_close(k->rng);
    pthread_cond_destroy(&k->cv);
    pthread_mutex_destroy(&k->mu);
    free(k);
}

/* --- rounds ------------------------------------------------------------------------ */

static void conf_for(const ksync_t *k, sync_conf_t *c, key_pair_t *key, const signer_t *signer,
                     rng_t *rng)
{
    memset(c, 0, sizeof *c);
    c->host = k->conf.host;
    c->addr = k->conf.addr[0] != '\0' ? k->conf.addr : NULL;
    c->port = k->conf.port;
    c->ca_der = k->ca;
    c->ca_len = k->ca_len;
    c->pin_der = k->pin_len > 0 ? k->pin : NULL;
    c->pin_len = k->pin_len;
    c->cert_der = k->cert;
    c->cert_len = k->cert_len;
    c->key = key;
    c->signer = signer;
    c->rng = rng;
    c->connect_ms = k->conf.connect_ms;
    c->io_ms = k->conf.io_ms;
}

/* Records the outcome of an exchange; logs a change online <-> offline.
 * Called with mu held; the audit append goes through the thread's store
 * only from the round (audit = 1). */
static void outcome(ksync_t *k, int ok, const char *why, int64_t now_ms, int audit)
{
    int was = k->online;

    k->online = ok;
    if (ok) {
        k->failed_ms = 0;
        k->last_ok_s = (int64_t)time(NULL);
    } else {
        k->failed_ms = now_ms > 0 ? now_ms : 1;
        snprintf(k->last_error, sizeof k->last_error, "%.*s", (int)sizeof k->last_error - 1, why);
    }
    if (audit && was != ok)
        (void)store_audit_append(k->store, ok ? "sync-online" : "sync-offline",
                                 ok ? k->conf.host : why);
}

/* One round on its way through ksync_round's steps; the first failure
 * is the round's result, the others are in the audit log. */
typedef struct round_s {
    ksync_t *k;
    sync_conf_t c;
    int64_t now_ms;
    ksync_round_t *res;
    char w[400];
    char detail[200];
    int rc;
    char *why;
    size_t whylen;
} round_t;

static void round_failed(round_t *r, int code, const char *what, const char *id)
{
    r->res->failed = 1;
    if (r->rc == 0)
        r->rc = bn_fail(r->why, r->whylen, code, "%s%s%s: %s", what, id ? " " : "",
                        id ? id : "", r->w);
}

/* 1. Upload campaign i's outbox (batches, SYNC-Y1), and send everything
 * again if the server lost some (SYNC-Y3). */
static void round_upload(round_t *r, int i, int closing)
{
    ksync_t *k = r->k;
    sync_batch_t b;
    sync_upload_res_t u;
    int e;

    pthread_mutex_lock(&k->mu);
    b = k->camp[i].batch;
    if (k->camp[i].noted_ms != 0 && b.first_unsent_ms == 0)
        b.first_unsent_ms = k->camp[i].noted_ms;
    k->camp[i].noted_ms = 0;
    pthread_mutex_unlock(&k->mu);

    e = sync_upload(&r->c, k->store, k->camp[i].id, &b, closing, r->now_ms, &u, r->w,
                    sizeof r->w);
    if (e == 0 && u.mismatch) {
        /* (SYNC-Y3) the server lost items: they were queued again, send them now */
        sync_upload_res_t again;

        snprintf(r->detail, sizeof r->detail, "%s: %.150s", k->camp[i].id, r->w);
        (void)store_audit_append(k->store, "sync-mismatch", r->detail);
        r->res->mismatch = 1;
        e = sync_upload(&r->c, k->store, k->camp[i].id, &b, 1, r->now_ms, &again, r->w,
                        sizeof r->w);
        again.bundles += u.bundles;
        again.items += u.items;
        u = again;
    }

    pthread_mutex_lock(&k->mu);
    if (k->camp[i].noted_ms != 0 && b.first_unsent_ms == 0)
        b.first_unsent_ms = k->camp[i].noted_ms;
    k->camp[i].noted_ms = 0;
    k->camp[i].batch = b;
    if (e == BN_EREVOKED)
        k->revoked = 1;
    if (e != 0 || u.bundles > 0 || u.probed)
        outcome(k, e == 0, r->w, r->now_ms, 1);
    pthread_mutex_unlock(&k->mu);

    r->res->bundles += u.bundles;
    r->res->items += u.items;
    r->res->left += u.left;
    if (u.mismatch) { /* still, after the repair */
        r->res->mismatch = 1;
        snprintf(r->detail, sizeof r->detail, "%s: %.150s", k->camp[i].id, r->w);
        (void)store_audit_append(k->store, "sync-mismatch", r->detail);
    }
    if (u.bundles > 0) {
        snprintf(r->detail, sizeof r->detail, "%s: %zu bundles, %zu items", k->camp[i].id,
                 u.bundles, u.items);
        (void)store_audit_append(k->store, "sync-done", r->detail);
    }
    if (e != 0)
        round_failed(r, e, "upload of", k->camp[i].id);
}

/* 2. The revocation list: is this kiosk in it? */
static void round_revocations(round_t *r)
{
    ksync_t *k = r->k;
    uint8_t *list = NULL;
    size_t len = 0;
    cert_revoked_t rv;
    int e = sync_fetch_revocations(&r->c, &list, &len, &rv, r->w, sizeof r->w);

    pthread_mutex_lock(&k->mu);
    if (e == 0)
        k->revoked = cert_is_revoked(&rv, k->kiosk_id) == 1;
    if (e != BN_ENOTFOUND)
        outcome(k, e == 0, r->w, r->now_ms, 1);
    pthread_mutex_unlock(&k->mu);
    free(list);
    if (e != 0 && e != BN_ENOTFOUND)
        round_failed(r, e, "revocation list", NULL);
}

/* 3. (KSYNC-K3) The server's package of campaign i must be this kiosk's,
 * byte for byte, or its ballots would not count. Checked once. */
static void round_package(round_t *r, int i)
{
    ksync_t *k = r->k;
    uint8_t *mine = NULL, *theirs = NULL, secret[32];
    size_t ml = 0, tl = 0;
    pkg_t *p = NULL;
    int e;

    if (k->camp[i].package_checked)
        return;
    e = sync_fetch_package(&r->c, k->camp[i].id,
                           k->camp[i].departement[0] ? k->camp[i].departement : NULL, k->today,
                           &p, &theirs, &tl, r->w, sizeof r->w);
    if (e == 0 && store_get_campaign(k->store, k->camp[i].id, &mine, &ml, secret) == 0) {
        k->camp[i].package_checked = 1;
        if (ml != tl || memcmp(mine, theirs, ml) != 0) {
            snprintf(r->detail, sizeof r->detail, "%s: the server's package differs",
                     k->camp[i].id);
            (void)store_audit_append(k->store, "package-mismatch", r->detail);
            pthread_mutex_lock(&k->mu);
            k->package_mismatch = 1;
            pthread_mutex_unlock(&k->mu);
        }
    }
    memset(secret, 0, sizeof secret);
    pkg_free(p);
    free(mine);
    free(theirs);
    if (e != 0 && e != BN_ENOTFOUND)
        round_failed(r, e, "package", k->camp[i].id);
}

/* 4. A petition's public counter, for the welcome screen. */
static void round_counter(round_t *r, int i)
{
    ksync_t *k = r->k;
    sync_counter_t sc;
    int e;

    if (!k->camp[i].petition)
        return;
    e = sync_fetch_counter(&r->c, k->camp[i].id, &sc, r->w, sizeof r->w);
    pthread_mutex_lock(&k->mu);
    if (e == 0) {
        k->camp[i].counter = sc;
        k->camp[i].have_counter = 1;
        k->camp[i].counter_when = (int64_t)time(NULL);
    }
    if (e != BN_ENOTFOUND)
        outcome(k, e == 0, r->w, r->now_ms, 1);
    pthread_mutex_unlock(&k->mu);
    if (e != 0 && e != BN_ENOTFOUND)
        round_failed(r, e, "counter of", k->camp[i].id);
}

/* (BACKUP-B2) the server's last verified backup, kept for the wipe */
static void round_backup(round_t *r)
{
    ksync_t *k = r->k;
    int64_t t = 0;
    char v[32];

    if (sync_fetch_backup_ms(&r->c, &t, r->w, sizeof r->w) != 0)
        return; /* an older server, or none now: the wipe keeps waiting */
    snprintf(v, sizeof v, "%lld", (long long)t);
    (void)store_meta_set(k->store, SYNC_META_BACKUP_MS, v);
}

/* The thread's clock is the monotonic one; a headless run passes its own
 * (simulated) time, which only orders the batches. Uploads every round;
 * the pulls (steps 2 to 4) every pull_ms, or when forced. */
int ksync_round(ksync_t *k, int64_t now_ms, int closing, int force_pull, ksync_round_t *res,
                char *why, size_t whylen)
{
    round_t *r = calloc(1, sizeof *r);
    int i, rc;

    memset(res, 0, sizeof *res);
    if (r == NULL)
        return bn_fail(why, whylen, BN_ENOMEM, "sync round: out of memory");
    r->k = k;
    r->now_ms = now_ms;
    r->res = res;
    r->why = why;
    r->whylen = whylen;
    conf_for(k, &r->c, k->key, &k->signer, k->rng);
    for (i = 0; i < k->n_camp; i++)
        round_upload(r, i, closing);
    if (force_pull || k->last_pull_ms == 0 || now_ms - k->last_pull_ms >= k->conf.pull_ms) {
        k->last_pull_ms = now_ms > 0 ? now_ms : 1;
        res->pulled = 1;
        round_revocations(r);
        for (i = 0; i < k->n_camp; i++)
            round_package(r, i);
        for (i = 0; i < k->n_camp; i++)
            round_counter(r, i);
        round_backup(r);
    }
    {
        int64_t left = -1;
        if (store_outbox_count(k->store, &left) != 0)
            left = -1;
        pthread_mutex_lock(&k->mu);
        k->rounds++;
        k->left = left;
        pthread_mutex_unlock(&k->mu);
    }
    rc = r->rc;
    free(r);
    return rc;
}

static void *thread_main(void *arg)
{
    ksync_t *k = arg;
    char why[400];

    for (;;) {
        struct timespec until;
        ksync_round_t res;

        (void)ksync_round(k, mono_ms(), 0, 0, &res, why, sizeof why);
        pthread_mutex_lock(&k->mu);
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += (time_t)(k->conf.round_ms / 1000);
        until.tv_nsec += (long)(k->conf.round_ms % 1000) * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        while (!k->stop && !k->wake)
            if (pthread_cond_timedwait(&k->cv, &k->mu, &until) == ETIMEDOUT)
                break;
        k->wake = 0;
        if (k->stop) {
            pthread_mutex_unlock(&k->mu);
            return NULL;
        }
        pthread_mutex_unlock(&k->mu);
    }
}

int ksync_start(ksync_t *k)
{
    if (k->running)
        return 0;
    if (pthread_create(&k->th, NULL, thread_main, k) != 0)
        return BN_EIO;
    k->running = 1;
    return 0;
}

void ksync_note_cast(ksync_t *k, const char *campaign, int64_t now_ms)
{
    int i;

    if (k == NULL)
        return;
    pthread_mutex_lock(&k->mu);
    for (i = 0; i < k->n_camp; i++)
        if (strcmp(k->camp[i].id, campaign) == 0 && k->camp[i].noted_ms == 0)
            k->camp[i].noted_ms = now_ms > 0 ? now_ms : 1;
    k->wake = 1;
    pthread_cond_signal(&k->cv);
    pthread_mutex_unlock(&k->mu);
}

/* --- reservations and status ------------------------------------------------------- */

int ksync_reserve(ksync_t *k, key_pair_t *key, const signer_t *signer, rng_t *rng,
                  const char *campaign, const uint8_t pseudonym[PSEUD_LEN], int64_t now_ms,
                  sync_resv_t *out, char *why, size_t whylen)
{
    sync_conf_t c;
    char w[400] = "";
    int rc, hold;

    *out = SYNC_OFFLINE;
    if (k == NULL)
        return bn_fail(why, whylen, 0, "no server configured");
    pthread_mutex_lock(&k->mu);
    /* (KSYNC-K2) a failure a moment ago: do not make this citizen wait for it */
    hold = k->failed_ms != 0 && now_ms - k->failed_ms < k->conf.offline_ms &&
           now_ms >= k->failed_ms;
    if (hold)
        snprintf(w, sizeof w, "offline since a failed exchange: %.300s", k->last_error);
    pthread_mutex_unlock(&k->mu);
    if (hold)
        return bn_fail(why, whylen, 0, "%s", w);
    conf_for(k, &c, key, signer, rng);
    rc = sync_reserve(&c, campaign, pseudonym, k->conf.reserve_ms, out, w, sizeof w);
    pthread_mutex_lock(&k->mu);
    if (rc == BN_EREVOKED)
        k->revoked = 1;
    /* (KSYNC-K1) only "reserved" and "already" are answers; the rest is offline */
    outcome(k, (rc == 0 && *out != SYNC_OFFLINE) || rc == BN_ECLOSED, w, now_ms, 0);
    pthread_mutex_unlock(&k->mu);
    if (rc != 0)
        *out = SYNC_OFFLINE;
    /* refused, not offline: a kiosk the server will never take, or polls
     * the server says are closed (SRV-T1) */
    if (rc == BN_EREVOKED || rc == BN_ECLOSED)
        return bn_fail(why, whylen, rc, "%s", w);
    return bn_fail(why, whylen, 0, "%s", w);
}

int ksync_counter(ksync_t *k, const char *campaign, sync_counter_t *out, int64_t *when)
{
    int i, rc = BN_ENOTFOUND;

    if (k == NULL)
        return BN_ENOTFOUND;
    pthread_mutex_lock(&k->mu);
    for (i = 0; i < k->n_camp; i++)
        if (strcmp(k->camp[i].id, campaign) == 0 && k->camp[i].have_counter) {
            *out = k->camp[i].counter;
            if (when != NULL)
                *when = k->camp[i].counter_when;
            rc = 0;
        }
    pthread_mutex_unlock(&k->mu);
    return rc;
}

void ksync_set_address(ksync_t *k, const char *address)
{
    if (k == NULL || address == NULL || strlen(address) >= sizeof k->conf.addr)
        return;
    pthread_mutex_lock(&k->mu);
    snprintf(k->conf.addr, sizeof k->conf.addr, "%s", address);
    pthread_mutex_unlock(&k->mu);
}

void ksync_status(ksync_t *k, ksync_status_t *out)
{
    memset(out, 0, sizeof *out);
    if (k == NULL)
        return;
    pthread_mutex_lock(&k->mu);
    out->online = k->online == 1;
    out->revoked = k->revoked;
    out->package_mismatch = k->package_mismatch;
    out->rounds = k->rounds;
    out->last_ok_s = k->last_ok_s;
    out->left = k->left;
    snprintf(out->last_error, sizeof out->last_error, "%s", k->last_error);
    pthread_mutex_unlock(&k->mu);
}

int ksync_reserve_hook(void *arg, const char *campaign, const uint8_t pseudonym[PSEUD_LEN],
                       int *reserved)
{
    ksync_hook_t *h = arg;
    sync_resv_t r = SYNC_OFFLINE;
    int rc;

    *reserved = 0;
    h->why[0] = '\0';
    rc = ksync_reserve(h->k, h->key, h->signer, h->rng, campaign, pseudonym, h->now_ms, &r,
                       h->why, sizeof h->why);
    if (rc == BN_EREVOKED)
        return rc;
    if (r == SYNC_ALREADY)
        return BN_EALREADY;
    /* (KSYNC-K1) anything else than "reserved": an offline entry */
    *reserved = rc == 0 && r == SYNC_RESERVED;
    return 0;
}
