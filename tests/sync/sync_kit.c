/* sync_kit.c - a kiosk for the shell-driven sync tests (sync_e2e.sh): a
 * store of its own, ballots cast into it, and the sync client (sync.h)
 * against a real borne-server. Uses the server tests' simulated kiosk
 * (tests/server/kit.h, read-only) for keys, certificates and ballots.
 *
 *   sync_kit cast DIR N STORE COUNT        casts COUNT ballots with kiosk N;
 *                                          prints their tracking codes
 *   sync_kit upload DIR N STORE PORT [opts] sync_upload once; prints
 *        "bundles=B items=I left=L ballots=S due=D" or "error CODE: why"
 *        opts: host=NAME ca=FILE min=M max=X closing delay=MS io=MS lose-ack
 *              wait=FILE (after the upload, wait until FILE holds the
 *              server's port, then upload again in the same process: the
 *              outbox is this process's memory, STORE-S12)
 *        (lose-ack: the server receives and stores the bundle, the answer
 *         is thrown away, nothing is marked: a lost acknowledgement)
 *   sync_kit outbox STORE                  prints the outbox count
 *   sync_kit unsent-ballots STORE          prints the ballots in the outbox
 *   sync_kit reserve DIR N PORT HEX MS     prints reserved|already|offline
 *                                          (and the time taken in ms)
 *   sync_kit fetch DIR PORT                package, revocation list, and the
 *                                          counter of the demo petition
 *   sync_kit expire DIR                    DIR/server.crt replaced by one
 *                                          that expired yesterday
 *   sync_kit revoke DIR N                  DIR/revocations.brl revoking kiosk N */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>
#include <time.h>

#include "kit.h"
#include "outbox.h"
#include "store.h"
#include "sync.h"

static int64_t now_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* what the error paths free (the program exits right after) */
static kit_t *g_kit;
static store_t *g_store;

static int die(int rc, const char *what, const char *why)
{
    printf("error %d %s: %s: %s\n", rc, bn_strerror(rc), what, why);
    fflush(stdout);
    store_close(g_store);
    if (g_kit != NULL)
        kit_close(g_kit);
    g_store = NULL;
    g_kit = NULL;
    return 1;
}

static int cast(const char *dir, int n, const char *path, int count)
{
    kit_t k;
    store_t *s = NULL;
    uint8_t ballot[BALLOT_MAX_LEN], id[16], *pkg;
    size_t bl, plen, slen;
    char why[256], code[TRACK_TEXT_LEN + 1], *sec;
    uint8_t secret[32];
    store_cast_t c;
    int i, rc;

    g_kit = &k;
    if ((rc = kit_open(&k, dir, n)) != 0)
        return die(rc, "kit_open", "");
    if ((rc = store_open(path, &s, why, sizeof why)) != 0)
        return die(rc, "store_open", why);
    g_store = s;
    pkg = kit_read(dir, "bp35-demo.bpkg", &plen);
    sec = (char *)kit_read(dir, "kiosks/bp35-demo.secret", &slen);
    if (pkg == NULL || sec == NULL || hex_decode(sec, 64, secret, 32) != 0 ||
        (rc = store_put_campaign(s, "bp35-demo", pkg, plen, secret)) != 0)
        return die(BN_EIO, "campaign", "");
    for (i = 0; i < count; i++) {
        memset(&c, 0, sizeof c);
        if ((rc = kit_ballot(&k, k.pkg, ballot, &bl, id)) != 0 ||
            (rc = rng_bytes(k.rng, c.pseudonym, sizeof c.pseudonym)) != 0)
            return die(rc, "ballot", "");
        c.campaign = "bp35-demo";
        c.day = k.day;
        c.ballot_id = id;
        c.ballot = ballot;
        c.ballot_len = bl;
        c.commune = "35238";
        if ((rc = store_cast(s, &c)) != 0 || (rc = track_code(k.track_key, id, code)) != 0)
            return die(rc, "store_cast", "");
        printf("%s\n", code);
    }
    free(pkg);
    free(sec);
    store_close(s);
    kit_close(&k);
    return 0;
}

static void conf_init(sync_conf_t *c, kit_t *k, unsigned port)
{
    memset(c, 0, sizeof *c);
    c->host = "localhost";
    c->addr = "127.0.0.1";
    c->port = port;
    c->ca_der = k->ca;
    c->ca_len = k->ca_len;
    c->cert_der = k->cert;
    c->cert_len = k->cert_len;
    c->key = k->kiosk;
    c->signer = &k->ks;
    c->rng = k->rng;
    c->connect_ms = 3000;
    c->io_ms = 20000;
}

static int upload(const char *dir, int n, const char *path, unsigned port, int argc, char **argv)
{
    kit_t k;
    store_t *s = NULL;
    sync_conf_t c;
    sync_batch_t b;
    sync_upload_res_t res;
    char why[512];
    uint8_t ca2[CERT_DER_MAX];
    size_t ca2_len, items;
    int i, rc, closing = 0, lose = 0, round;
    const char *wait = NULL;

    memset(&b, 0, sizeof b);
    g_kit = &k;
    if ((rc = kit_open(&k, dir, n)) != 0)
        return die(rc, "kit_open", "");
    conf_init(&c, &k, port);
    for (i = 0; i < argc; i++) {
        if (strncmp(argv[i], "host=", 5) == 0)
            c.host = argv[i] + 5;
        else if (strncmp(argv[i], "ca=", 3) == 0) {
            uint8_t *pem = NULL;
            size_t pl;
            if (pkg_read_file(argv[i] + 3, &pem, &pl, NULL, 0) != 0 ||
                cert_from_pem((const char *)pem, pl, ca2, sizeof ca2, &ca2_len) != 0)
                return die(BN_EIO, "ca", argv[i]);
            free(pem);
            c.ca_der = ca2;
            c.ca_len = ca2_len;
        } else if (strncmp(argv[i], "min=", 4) == 0)
            b.min_casts = (size_t)atoi(argv[i] + 4);
        else if (strncmp(argv[i], "max=", 4) == 0)
            b.max_items = (size_t)atoi(argv[i] + 4);
        else if (strncmp(argv[i], "delay=", 6) == 0)
            b.max_delay_ms = atoi(argv[i] + 6);
        else if (strncmp(argv[i], "io=", 3) == 0)
            c.io_ms = c.connect_ms = atoi(argv[i] + 3);
        else if (strcmp(argv[i], "closing") == 0)
            closing = 1;
        else if (strcmp(argv[i], "lose-ack") == 0)
            lose = 1;
        else if (strncmp(argv[i], "wait=", 5) == 0)
            wait = argv[i] + 5;
        else
            return die(BN_EINVAL, "option", argv[i]);
    }
    if ((rc = store_open(path, &s, why, sizeof why)) != 0)
        return die(rc, "store_open", why);
    g_store = s;
    if (lose) {
        /* both parts, who took part then the ballots (SYNC-Y4), each
         * stored by the server and its answer thrown away */
        uint8_t *buf = NULL, *ack = NULL;
        size_t len, got, sent = 0;
        int status = 0, part;

        for (part = OUTBOX_PARTICIPATION; part <= OUTBOX_BALLOTS; part++) {
            if ((rc = outbox_bundle(s, "bp35-demo", (outbox_part_t)part, 999990 + (uint64_t)part,
                                    k.cert, k.cert_len, &k.ks, b.max_items ? b.max_items : 2000,
                                    &buf, &len, &got)) != 0)
                return die(rc, "outbox_bundle", "");
            rc = sync_request(&c, "POST", "/v1/bundles", "application/octet-stream", buf, len,
                              SYNC_MAX_ANSWER, &status, &ack, NULL, why, sizeof why);
            free(buf);
            free(ack);
            ack = NULL;
            if (rc != 0)
                return die(rc, "lose-ack upload", why);
            if (status != 200)
                break;
            sent += got;
        }
        items = sent;
        printf("sent %zu items, status %d, answer thrown away\n", items, status);
    } else {
        for (round = 0; round < (wait != NULL ? 2 : 1); round++) {
            if (round == 1) {
                struct timespec ts = {0, 50 * 1000000L};
                struct stat sb;
                int tries;

                for (tries = 0; tries < 600 && (stat(wait, &sb) != 0 || sb.st_size == 0); tries++)
                    nanosleep(&ts, NULL);
                /* the file holds the server's port now (a restarted server) */
                {
                    FILE *f = fopen(wait, "r");
                    unsigned p = 0;

                    if (f != NULL && fscanf(f, "%u", &p) == 1 && p > 0 && p < 65536)
                        c.port = p;
                    if (f != NULL)
                        fclose(f);
                }
            }
            /* the first call only notes the time: a delay test runs it twice */
            rc = sync_upload(&c, s, "bp35-demo", &b, closing, now_ms(), &res, why, sizeof why);
            if (rc == 0 && !res.due && b.max_delay_ms > 0) {
                struct timespec ts = {0, (long)(b.max_delay_ms + 50) * 1000000L};
                nanosleep(&ts, NULL);
                rc = sync_upload(&c, s, "bp35-demo", &b, closing, now_ms(), &res, why, sizeof why);
            }
            if (rc != 0)
                return die(rc, "sync_upload", why);
            printf("bundles=%zu items=%zu left=%lld ballots=%lld due=%d%s%s\n", res.bundles, res.items,
                   (long long)res.left, (long long)res.server_ballots, res.due,
                   res.mismatch ? " mismatch: " : "", res.mismatch ? why : "");
            fflush(stdout);
        }
    }
    store_close(s);
    kit_close(&k);
    return 0;
}

static int outbox(const char *path)
{
    store_t *s = NULL;
    int64_t n = -1;
    char why[256];
    int rc;

    if ((rc = store_open(path, &s, why, sizeof why)) != 0 || (rc = store_outbox_count(s, &n)) != 0)
        return die(rc, "outbox", why);
    printf("%lld\n", (long long)n);
    store_close(s);
    return 0;
}

static int count_ballot(void *arg, store_item_t kind, const char *campaign, const uint8_t *key,
                        size_t keylen)
{
    (void)campaign;
    (void)key;
    (void)keylen;
    *(int64_t *)arg += kind == STORE_ITEM_BALLOT;
    return 0;
}

/* The ballots still in the outbox (register entries travel apart). */
static int unsent_ballots(const char *path)
{
    store_t *s = NULL;
    int64_t n = 0;
    char why[256];
    int rc;

    if ((rc = store_open(path, &s, why, sizeof why)) != 0 ||
        (rc = store_outbox_each(s, count_ballot, &n)) != 0)
        return die(rc, "unsent-ballots", why);
    printf("%lld\n", (long long)n);
    store_close(s);
    return 0;
}

static int reserve(const char *dir, int n, unsigned port, const char *hex, int ms)
{
    kit_t k;
    sync_conf_t c;
    sync_resv_t r;
    uint8_t ps[32];
    char why[512] = "";
    int64_t t0;
    int rc;

    g_kit = &k;
    if ((rc = kit_open(&k, dir, n)) != 0 || hex_decode(hex, 64, ps, 32) != 0)
        return die(BN_EINVAL, "reserve", "");
    conf_init(&c, &k, port);
    t0 = now_ms();
    rc = sync_reserve(&c, "bp35-demo", ps, ms, &r, why, sizeof why);
    if (rc != 0)
        return die(rc, "sync_reserve", why);
    printf("%s %lld %s\n", r == SYNC_RESERVED ? "reserved" : r == SYNC_ALREADY ? "already" : "offline",
           (long long)(now_ms() - t0), why);
    kit_close(&k);
    return 0;
}

static int fetch(const char *dir, unsigned port)
{
    kit_t k;
    sync_conf_t c;
    pkg_t *p = NULL;
    uint8_t *file = NULL, *list = NULL;
    size_t flen, llen;
    cert_revoked_t rev;
    sync_counter_t cnt;
    char why[512] = "";
    int rc;

    g_kit = &k;
    if ((rc = kit_open(&k, dir, 1)) != 0)
        return die(rc, "kit_open", "");
    conf_init(&c, &k, port);
    if ((rc = sync_fetch_package(&c, "bp35-demo", NULL, k.day, &p, &file, &flen, why, sizeof why)) != 0)
        return die(rc, "sync_fetch_package", why);
    printf("package %s %zu bytes\n", p->id, flen);
    rc = sync_fetch_revocations(&c, &list, &llen, &rev, why, sizeof why);
    if (rc == 0)
        printf("revocations seq %u, %u kiosks\n", (unsigned)rev.seq, (unsigned)rev.n);
    else if (rc == BN_ENOTFOUND)
        printf("revocations none\n");
    else
        return die(rc, "sync_fetch_revocations", why);
    rc = sync_fetch_counter(&c, "pet35-demo", &cnt, why, sizeof why);
    if (rc != 0)
        return die(rc, "sync_fetch_counter", why);
    printf("counter signatures=%lld cantons=%lld threshold=%lld min_cantons=%lld reached=%d\n",
           (long long)cnt.signatures, (long long)cnt.cantons, (long long)cnt.threshold,
           (long long)cnt.min_cantons, cnt.reached);
    rc = sync_fetch_counter(&c, "bp35-demo", &cnt, why, sizeof why);
    printf("counter of a budget: %d %s\n", rc, bn_strerror(rc));
    pkg_free(p);
    free(file);
    free(list);
    kit_close(&k);
    return 0;
}

static int expire(const char *dir)
{
    kit_t k;
    key_pair_t *auth = NULL;
    key_pub_t pub;
    uint8_t der[CERT_DER_MAX];
    char path[4096], pem[CERT_PEM_MAX], why[256];
    size_t len, pl;
    FILE *f;
    int rc;

    snprintf(path, sizeof path, "%s/demo/authority.key", dir);
    if ((rc = kit_open(&k, dir, 1)) != 0 || (rc = key_load(path, k.rng, &auth, why, sizeof why)) != 0 ||
        (rc = kit_pem(dir, "server.crt", der, &len)) != 0 || (rc = cert_key(der, len, &pub)) != 0)
        return die(rc, "expire", "");
    /* the CA is valid from yesterday: a certificate of yesterday only */
    if ((rc = cert_issue(auth, k.rng, k.ca, k.ca_len, &pub, CERT_SERVER, "localhost", k.day - 1,
                         k.day - 1, der, sizeof der, &len, why, sizeof why)) != 0 ||
        (rc = cert_to_pem(der, len, pem, sizeof pem, &pl)) != 0)
        return die(rc, "cert_issue", why);
    snprintf(path, sizeof path, "%s/server.crt", dir);
    f = fopen(path, "w");
    if (f == NULL || fwrite(pem, 1, pl, f) != pl || fclose(f) != 0)
        return die(BN_EIO, "write", path);
    key_free(auth);
    kit_close(&k);
    return 0;
}

static int revoke(const char *dir, int n)
{
    kit_t k;
    key_pair_t *auth = NULL;
    signer_t as;
    char path[4096];
    uint8_t *list = NULL;
    size_t len;
    FILE *f;
    int rc;

    snprintf(path, sizeof path, "%s/demo/authority.key", dir);
    if ((rc = kit_open(&k, dir, n)) != 0 || (rc = key_load(path, k.rng, &auth, NULL, 0)) != 0)
        return die(rc, "revoke", "");
    key_signer(auth, &as);
    if ((rc = cert_revoke_sign(&as, k.day, 1, k.ks.pub.id, 1, &list, &len)) != 0)
        return die(rc, "cert_revoke_sign", "");
    snprintf(path, sizeof path, "%s/revocations.brl", dir);
    f = fopen(path, "wb");
    if (f == NULL || fwrite(list, 1, len, f) != len || fclose(f) != 0)
        return die(BN_EIO, "write", path);
    free(list);
    key_free(auth);
    kit_close(&k);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "revoke") == 0)
        return revoke(argv[2], atoi(argv[3]));
    if (argc == 6 && strcmp(argv[1], "cast") == 0)
        return cast(argv[2], atoi(argv[3]), argv[4], atoi(argv[5]));
    if (argc >= 6 && strcmp(argv[1], "upload") == 0)
        return upload(argv[2], atoi(argv[3]), argv[4], (unsigned)atoi(argv[5]), argc - 6, argv + 6);
    if (argc == 3 && strcmp(argv[1], "outbox") == 0)
        return outbox(argv[2]);
    if (argc == 3 && strcmp(argv[1], "unsent-ballots") == 0)
        return unsent_ballots(argv[2]);
    if (argc == 7 && strcmp(argv[1], "reserve") == 0)
        return reserve(argv[2], atoi(argv[3]), (unsigned)atoi(argv[4]), argv[5], atoi(argv[6]));
    if (argc == 4 && strcmp(argv[1], "fetch") == 0)
        return fetch(argv[2], (unsigned)atoi(argv[3]));
    if (argc == 3 && strcmp(argv[1], "expire") == 0)
        return expire(argv[2]);
    fprintf(stderr, "usage: see sync_kit.c\n");
    return 2;
}
