/* srv_core.c - verify and store bundles, receipts, reservations (srv_core.h).
 *
 * The upload path, in order (each step refuses with its own error):
 *   1. bundle_decode                      400 malformed
 *   2. kiosk certificate of our authority 403 unknown-kiosk / kiosk-expired
 *   3. not revoked                        403 revoked-kiosk
 *   4. every signature (srv_verify.h:     422 bad-signature
 *      bundle_verify's checks, OpenSSL,
 *      every core)
 *   5. campaign is one of our packages,   422 unknown-campaign
 *      each ballot's territory, projects  422 inconsistent-ballot
 *      and day fit the package; each      422 inconsistent-signature
 *      petition record's canton and day   422 unsupported-item (ballots
 *      fit it                                 for a petition, signatures
 *                                             for a budget vote)
 *   6. one store transaction              409 conflict / 507 / 503
 * Nothing is stored before step 6, and step 6 is all or nothing (SRV-D1).
 * (SRV-S3) Logs and refusal details name kiosks, bundles, ballot ids and item
 *      indexes, never a choice and never a pseudonym. */
#include "srv_core.h"
#include "srv_backup.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "ballot.h"
#include "bn_err.h"
#include "bundle.h"
#include "cert.h"
#include "day.h"
#include "hex.h"
#include "answers.h"
#include "idea.h"
#include "key.h"
#include "petition.h"
#include "pkg.h"
#include "report.h"
#include "srv_verify.h"
#include "track.h"

#define SRV_MAX_CAMPAIGNS 32

typedef struct srv_campaign_s {
    pkg_t *pkg;
    uint8_t *file;
    size_t file_len;
    uint8_t file_sha[32];
    uint8_t track_key[32];
    /* (SRV-P1) the petition's running count: every record held, each added
     * once (at its upload, or by one full read when the server starts or
     * finds the count off); under reader_mu */
    petition_acc_t *acc;
} srv_campaign_t;

/* (SRV-V1) A revocation list as loaded: shared by the requests that use it
 * (refs), replaced whole by a reload, freed by the last user. */
typedef struct revset_s {
    int refs;
    uint8_t *file;
    size_t len;
    cert_revoked_t list;
} revset_t;

/* (SRV-R3) A kiosk's reservation budget: a token bucket. */
typedef struct bucket_s {
    uint8_t kiosk[32];
    int used;
    double tokens;
    int64_t last_ms;
} bucket_t;

#define SRV_RATE_KIOSKS 4096

/* (SRV-N5) Kiosk certificates verified today, by the SHA-256 of their
 * bytes: a kiosk's every request (TLS, then the upload or reservation)
 * presents the same certificate, and verifying it again (an ECDSA
 * verification) was half of the server's work (server_fleet, perf). The
 * same bytes against the same authority on the same day verify the same
 * way, so only successes are kept, with their day; revocation and
 * enrolment are checked after, every time, not cached. */
#define SRV_CERT_CACHE 1024
typedef struct cert_cached_s {
    uint8_t digest[32];
    uint32_t day;               /* 0: empty */
    cert_info_t info;
} cert_cached_t;

struct srv_s {
    pthread_mutex_t lock;
    srv_store_t *store;
    srv_store_t *reader;        /* (SRV-P1) public reads, under reader_mu */
    pthread_mutex_t reader_mu;
    int64_t counter_rebuilds;   /* (SRV-P1) full reads of a petition's records */
    uint32_t fixed_today;       /* --today (tests), or 0: the clock's day */
    int threads;                /* for bulk verification: the online cores */
    uint8_t *ca_der;
    size_t ca_len;
    key_pub_t ca_pub;
    char *ca_pem, *key_pem, *cert_pem;
    char *dir;                  /* for reloads of the revocation list */
    pthread_mutex_t rev_mu;     /* guards rev (the pointer, not what it points to) */
    revset_t *rev;              /* the revocation list in force, or NULL */
    uint8_t *enrolled;          /* (SRV-E1) key ids of DIR/kiosks/ *.crt, sorted; under rev_mu */
    size_t n_enrolled;
    bucket_t buckets[SRV_RATE_KIOSKS]; /* (SRV-R3) under lock */
    pthread_mutex_t cache_mu;
    cert_cached_t cache[SRV_CERT_CACHE]; /* (SRV-N5) under cache_mu */
    int rate_burst, rate_every_s;
    int n_campaigns;
    srv_campaign_t campaigns[SRV_MAX_CAMPAIGNS];
};

/* dir/name, or name itself when it is an absolute path */
static char *path_join(const char *dir, const char *name)
{
    size_t n;

    if (name[0] == '/')
        return strdup(name);
    n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);

    if (p != NULL)
        snprintf(p, n, "%s/%s", dir, name);
    return p;
}

static uint32_t srv_day(const srv_t *s);

/* (SRV-N5) cert_verify of a kiosk certificate on today's day, through the
 * cache of those that verified. */
static int kiosk_verify(srv_t *s, const uint8_t *der, size_t len, cert_info_t *out, char *why,
                        size_t whylen)
{
    uint8_t d[32];
    uint32_t day = srv_day(s);
    cert_cached_t *c;
    int rc, hit;

    key_sha256(der, len, d);
    c = &s->cache[(((unsigned)d[0] << 8) | d[1]) % SRV_CERT_CACHE];
    pthread_mutex_lock(&s->cache_mu);
    hit = c->day == day && memcmp(c->digest, d, 32) == 0;
    if (hit)
        *out = c->info;
    pthread_mutex_unlock(&s->cache_mu);
    if (hit)
        return 0;
    rc = cert_verify(der, len, s->ca_der, s->ca_len, day, CERT_KIOSK, NULL, out, why, whylen);
    if (rc == 0) {
        pthread_mutex_lock(&s->cache_mu);
        memcpy(c->digest, d, 32);
        c->day = day;
        c->info = *out;
        pthread_mutex_unlock(&s->cache_mu);
    }
    return rc;
}

static revset_t *rev_get(srv_t *s)
{
    revset_t *r;

    pthread_mutex_lock(&s->rev_mu);
    r = s->rev;
    if (r != NULL)
        r->refs++;
    pthread_mutex_unlock(&s->rev_mu);
    return r;
}

static void rev_put(srv_t *s, revset_t *r)
{
    int last;

    if (r == NULL)
        return;
    pthread_mutex_lock(&s->rev_mu);
    last = --r->refs == 0;
    pthread_mutex_unlock(&s->rev_mu);
    if (last) {
        free(r->file);
        free(r);
    }
}

/* 1 if the kiosk is in the list in force. */
/* The day, as the clock says now (a server runs across midnights), or the
 * one --today fixed. */
static uint32_t srv_day(const srv_t *s)
{
    return s->fixed_today != 0 ? s->fixed_today : day_today();
}

static int is_revoked(srv_t *s, const uint8_t id[32])
{
    revset_t *r = rev_get(s);
    int x = r != NULL && cert_is_revoked(&r->list, id) == 1;

    rev_put(s, r);
    return x;
}

static int cmp_id(const void *a, const void *b)
{
    return memcmp(a, b, KEY_ID_LEN);
}

/* (SRV-E1) Whether a kiosk is in the enrolled list (DIR/kiosks/ *.crt,
 * which borne-admin kiosk enroll fills). A server folder without any lists
 * no kiosk by name: every kiosk the authority certified is taken (said at
 * start). */
static int is_enrolled(srv_t *s, const uint8_t id[KEY_ID_LEN])
{
    int x;

    pthread_mutex_lock(&s->rev_mu);
    x = s->n_enrolled == 0 ||
        bsearch(id, s->enrolled, s->n_enrolled, KEY_ID_LEN, cmp_id) != NULL;
    pthread_mutex_unlock(&s->rev_mu);
    return x;
}

static int read_all(const char *path, size_t max, uint8_t **out, size_t *len);

/* Reads DIR/kiosks/ *.crt into the enrolled list (a certificate that is not
 * the authority's is skipped and said). */
static void load_enrolled(srv_t *s)
{
    char *dir = path_join(s->dir, "kiosks");
    struct dirent **names = NULL;
    uint8_t *ids = NULL, *old;
    size_t n = 0;
    int k, i;

    if (dir == NULL || (k = scandir(dir, &names, NULL, alphasort)) < 0) {
        free(dir);
        return;
    }
    ids = malloc((size_t)(k > 0 ? k : 1) * KEY_ID_LEN);
    for (i = 0; i < k; i++) {
        const char *f = names[i]->d_name;
        size_t l = strlen(f);
        char *p;
        uint8_t *pem = NULL, der[CERT_DER_MAX];
        size_t plen, dlen;
        cert_info_t info;
        char w[200];

        int rc;

        if (ids != NULL && l > 4 && strcmp(f + l - 4, ".crt") == 0 &&
            (p = path_join(dir, f)) != NULL) {
            /* the authority's kiosk certificate, whatever its dates (day 0:
             * the signature and role are checked before the dates) */
            if (read_all(p, CERT_PEM_MAX, &pem, &plen) == 0 &&
                cert_from_pem((const char *)pem, plen, der, sizeof der, &dlen) == 0 &&
                ((rc = cert_verify(der, dlen, s->ca_der, s->ca_len, 0, CERT_KIOSK, NULL, NULL, w,
                                   sizeof w)) == 0 || rc == BN_ENOTYET || rc == BN_EEXPIRED) &&
                cert_key(der, dlen, &info.pub) == 0)
                memcpy(ids + KEY_ID_LEN * n++, info.pub.id, KEY_ID_LEN);
            else
                fprintf(stderr, "borne-server: %s: not a kiosk certificate of this authority: "
                        "not enrolled\n", p);
            free(pem);
            free(p);
        }
        free(names[i]);
    }
    free(names);
    free(dir);
    if (ids == NULL)
        return;
    qsort(ids, n, KEY_ID_LEN, cmp_id);
    pthread_mutex_lock(&s->rev_mu);
    old = s->enrolled;
    s->enrolled = ids;
    s->n_enrolled = n;
    pthread_mutex_unlock(&s->rev_mu);
    free(old);
}

/* Reads a whole file; NUL-terminated. BN_EIO / BN_ENOTFOUND / BN_ETOOBIG. */
static int read_all(const char *path, size_t max, uint8_t **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *b = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;

    *out = NULL;
    if (f == NULL)
        return errno == ENOENT ? BN_ENOTFOUND : BN_EIO;
    for (;;) {
        size_t got;

        if (n + 4096 + 1 > cap) {
            uint8_t *t = realloc(b, cap ? cap * 2 : 8192);

            if (t == NULL) {
                rc = BN_ENOMEM;
                goto out;
            }
            b = t;
            cap = cap ? cap * 2 : 8192;
        }
        got = fread(b + n, 1, cap - n - 1, f);
        n += got;
        if (n > max) {
            rc = BN_ETOOBIG;
            goto out;
        }
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        rc = BN_EIO;
        goto out;
    }
    b[n] = 0;
    *out = b;
    *len = n;
    b = NULL;
out:
    free(b);
    fclose(f);
    return rc;
}

static int load_pem_cert(const char *dir, const char *name, char **pem, uint8_t **der,
                         size_t *der_len, char *why, size_t whylen)
{
    char *p = path_join(dir, name);
    uint8_t *text = NULL;
    size_t len = 0;
    int rc;

    if (p == NULL)
        return BN_ENOMEM;
    rc = read_all(p, CERT_PEM_MAX * 4, &text, &len);
    if (rc != 0) {
        rc = bn_fail(why, whylen, rc, "%s: %s", p, bn_strerror(rc));
        goto out;
    }
    if (der != NULL) {
        *der = malloc(CERT_DER_MAX);
        if (*der == NULL) {
            rc = BN_ENOMEM;
            goto out;
        }
        rc = cert_from_pem((const char *)text, len, *der, CERT_DER_MAX, der_len);
        if (rc != 0) {
            rc = bn_fail(why, whylen, rc, "%s: not a PEM certificate", p);
            goto out;
        }
    }
    *pem = (char *)text;
    text = NULL;
out:
    free(text);
    free(p);
    return rc;
}

static int load_campaign(srv_t *s, const char *dir, const char *name, char *why, size_t whylen)
{
    char *p = path_join(dir, name), *sp = NULL, idsecret[PKG_ID_MAX + 8];
    srv_campaign_t *c = &s->campaigns[s->n_campaigns];
    uint8_t *sec = NULL;
    size_t slen = 0;
    int rc, i;

    if (p == NULL)
        return BN_ENOMEM;
    if (s->n_campaigns == SRV_MAX_CAMPAIGNS) {
        rc = bn_fail(why, whylen, BN_ETOOBIG, "%s: more than %d campaigns", p, SRV_MAX_CAMPAIGNS);
        goto out;
    }
    rc = pkg_read_file(p, &c->file, &c->file_len, why, whylen);
    if (rc != 0)
        goto out;
    rc = pkg_open(c->file, c->file_len, &s->ca_pub, NULL, srv_day(s), &c->pkg, why, whylen);
    if ((rc == BN_ENOTYET || rc == BN_EEXPIRED) && c->file_len > PKG_TRAILER_LEN) {
        /* (SRV-T1) dates are a rule for ballots, not for starting: a package
         * outside its validity is checked whole as of its first day and
         * served; reservations are refused outside its polls, bundles cast
         * within them are taken, lookups and exports answer */
        pkg_t *draft = NULL;

        if (pkg_parse((const char *)c->file, c->file_len - PKG_TRAILER_LEN, &draft, NULL, 0) == 0)
            rc = pkg_open(c->file, c->file_len, &s->ca_pub, NULL, draft->valid_from, &c->pkg,
                          why, whylen);
        if (rc == 0) {
            char d1[11], d2[11];

            day_format(draft->opens, d1);
            day_format(draft->closes, d2);
            fprintf(stderr, "borne-server: campaign %s: polls from %s to %s, not today: no "
                    "reservation is taken; bundles cast within those days are, and receipts "
                    "and exports answer\n", draft->id, d1, d2);
        }
        pkg_free(draft);
    }
    if (rc != 0) {
        char w[256];

        snprintf(w, sizeof w, "%s", why ? why : "");
        rc = bn_fail(why, whylen, rc, "%s: %s (%s)", p, bn_strerror(rc), w);
        goto out;
    }
    for (i = 0; i < s->n_campaigns; i++)
        if (strcmp(s->campaigns[i].pkg->id, c->pkg->id) == 0) {
            rc = bn_fail(why, whylen, BN_EEXISTS, "%s: campaign %s given twice", p, c->pkg->id);
            goto out;
        }
    key_sha256(c->file, c->file_len, c->file_sha);
    /* (SRV-S6) the tracking key: from ID.track if present (copied into the
     * store), else the store. The pseudonym secret stays with the kiosks:
     * a server directory holding ID.secret is refused. */
    snprintf(idsecret, sizeof idsecret, "%s.secret", c->pkg->id);
    sp = path_join(dir, idsecret);
    if (sp == NULL) {
        rc = BN_ENOMEM;
        goto out;
    }
    if (access(sp, F_OK) == 0) {
        rc = bn_fail(why, whylen, BN_EKEY, "%s: the server must not hold a campaign's pseudonym "
                     "secret (it could test identities against the register); remove it and "
                     "give the server %s.track (borne-server init-demo writes it)", sp,
                     c->pkg->id);
        goto out;
    }
    free(sp);
    snprintf(idsecret, sizeof idsecret, "%s.track", c->pkg->id);
    sp = path_join(dir, idsecret);
    if (sp == NULL) {
        rc = BN_ENOMEM;
        goto out;
    }
    rc = read_all(sp, 256, &sec, &slen);
    if (rc == 0) {
        while (slen > 0 && (sec[slen - 1] == '\n' || sec[slen - 1] == '\r' || sec[slen - 1] == ' '))
            slen--;
        if (hex_decode((const char *)sec, slen, c->track_key, 32) != 0) {
            rc = bn_fail(why, whylen, BN_EFORMAT, "%s: not 64 lowercase hex digits", sp);
            goto out;
        }
        rc = srv_store_put_track_key(s->store, c->pkg->id, c->track_key);
    } else if (rc == BN_ENOTFOUND) {
        rc = srv_store_get_track_key(s->store, c->pkg->id, c->track_key);
        if (rc == BN_ENOTFOUND)
            rc = bn_fail(why, whylen, rc, "campaign %s: no tracking key (%s) and none in the "
                         "store", c->pkg->id, sp);
    }
    if (rc != 0) {
        if (why != NULL && why[0] == 0)
            bn_fail(why, whylen, rc, "%s: %s", sp, bn_strerror(rc));
        goto out;
    }
    s->n_campaigns++;
out:
    if (rc != 0) {
        pkg_free(c->pkg);
        free(c->file);
        memset(c, 0, sizeof *c);
    }
    free(sec);
    free(sp);
    free(p);
    return rc;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names of the regular files of dir (malloc'd array of malloc'd). */
static int list_dir(const char *dir, char ***names, size_t *n)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char **v = NULL;
    size_t k = 0, cap = 0;

    *names = NULL;
    *n = 0;
    if (d == NULL)
        return BN_EIO;
    while ((e = readdir(d)) != NULL) {
        struct stat st;
        char *p;

        if (e->d_name[0] == '.')
            continue;
        p = path_join(dir, e->d_name);
        if (p == NULL || stat(p, &st) != 0 || !S_ISREG(st.st_mode)) {
            free(p);
            continue;
        }
        free(p);
        if (k == cap) {
            char **t = realloc(v, (cap ? cap * 2 : 16) * sizeof *v);

            if (t == NULL)
                break;
            v = t;
            cap = cap ? cap * 2 : 16;
        }
        v[k] = strdup(e->d_name);
        if (v[k] != NULL)
            k++;
    }
    closedir(d);
    qsort(v, k, sizeof *v, cmp_names);
    *names = v;
    *n = k;
    return 0;
}

static void free_names(char **v, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

int srv_open(const char *dir, uint32_t today, srv_t **out, char *why, size_t whylen)
{
    return srv_open_with(dir, today, NULL, out, why, whylen);
}

int srv_open_with(const char *dir, uint32_t today, const srv_opts_t *opts, srv_t **out,
                  char *why, size_t whylen)
{
    srv_t *s;
    char *p = NULL, **names = NULL;
    size_t n = 0, i;
    int rc;

    *out = NULL;
    s = calloc(1, sizeof *s);
    if (s == NULL)
        return BN_ENOMEM;
    pthread_mutex_init(&s->lock, NULL);
    pthread_mutex_init(&s->rev_mu, NULL);
    pthread_mutex_init(&s->reader_mu, NULL);
    pthread_mutex_init(&s->cache_mu, NULL);
    s->rate_burst = SRV_RESERVE_BURST;
    s->rate_every_s = SRV_RESERVE_EVERY_S;
    s->fixed_today = today;
    if ((s->dir = strdup(dir)) == NULL) {
        rc = BN_ENOMEM;
        goto out;
    }
    s->threads = (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (s->threads < 1)
        s->threads = 1;
    if ((rc = load_pem_cert(dir, "authority.crt", &s->ca_pem, &s->ca_der, &s->ca_len, why,
                            whylen)) != 0 ||
        (rc = load_pem_cert(dir, opts && opts->tls_cert ? opts->tls_cert : "server.crt",
                            &s->cert_pem, NULL, NULL, why, whylen)) != 0 ||
        (rc = load_pem_cert(dir, opts && opts->tls_key ? opts->tls_key : "server.key",
                            &s->key_pem, NULL, NULL, why, whylen)) != 0)
        goto out;
    rc = cert_verify(s->ca_der, s->ca_len, s->ca_der, s->ca_len, srv_day(s), CERT_AUTHORITY, NULL,
                     NULL, why, whylen);
    if (rc == 0)
        rc = cert_key(s->ca_der, s->ca_len, &s->ca_pub);
    if (rc != 0)
        goto out;
    p = path_join(dir, "server.db");
    if (p == NULL) {
        rc = BN_ENOMEM;
        goto out;
    }
    if ((rc = srv_store_open(p, &s->store, why, whylen)) != 0 ||
        (rc = srv_store_open_reader(p, &s->reader, why, whylen)) != 0)
        goto out;
    if ((rc = srv_reload_revocations(s, why, whylen)) < 0)
        goto out;
    if (s->n_enrolled == 0)
        fprintf(stderr, "borne-server: no kiosk certificate in %s/kiosks: every kiosk the "
                "authority certified is taken (borne-admin kiosk enroll lists them)\n", dir);
    rc = 0;
    if ((rc = list_dir(dir, &names, &n)) != 0) {
        rc = bn_fail(why, whylen, rc, "%s: cannot list", dir);
        goto out;
    }
    for (i = 0; i < n; i++) {
        size_t l = strlen(names[i]);

        if (l > 5 && strcmp(names[i] + l - 5, ".bpkg") == 0 &&
            (rc = load_campaign(s, dir, names[i], why, whylen)) != 0)
            goto out;
    }
    *out = s;
    s = NULL;
out:
    free_names(names, n);
    free(p);
    srv_close(s);
    return rc;
}

void srv_close(srv_t *s)
{
    int i;

    if (s == NULL)
        return;
    for (i = 0; i < s->n_campaigns; i++) {
        pkg_free(s->campaigns[i].pkg);
        free(s->campaigns[i].file);
        petition_acc_free(s->campaigns[i].acc);
    }
    memset(s->campaigns, 0, sizeof s->campaigns);
    srv_store_close(s->reader);
    srv_store_close(s->store);
    free(s->ca_der);
    free(s->ca_pem);
    free(s->cert_pem);
    if (s->key_pem != NULL) {
        memset(s->key_pem, 0, strlen(s->key_pem));
        free(s->key_pem);
    }
    rev_put(s, s->rev);
    free(s->enrolled);
    free(s->dir);
    pthread_mutex_destroy(&s->rev_mu);
    pthread_mutex_destroy(&s->reader_mu);
    pthread_mutex_destroy(&s->cache_mu);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

int srv_reload_revocations(srv_t *s, char *why, size_t whylen)
{
    char *p = path_join(s->dir, "revocations.brl");
    revset_t *r = calloc(1, sizeof *r), *old;
    size_t purged = 0;
    int rc;

    load_enrolled(s); /* (SRV-E1) a kiosk enrolled since is taken without a restart */

    if (p == NULL || r == NULL) {
        rc = BN_ENOMEM;
        goto out;
    }
    rc = read_all(p, CERT_REVOKE_LEN(CERT_REVOKE_MAX), &r->file, &r->len);
    if (rc == BN_ENOTFOUND) {
        rc = 0;                 /* no list, or not yet: nothing changes */
        goto out;
    }
    if (rc != 0) {
        rc = bn_fail(why, whylen, rc, "%s: %s", p, bn_strerror(rc));
        goto out;
    }
    if ((rc = cert_revoke_open(r->file, r->len, &s->ca_pub, &r->list, why, whylen)) != 0)
        goto out;
    old = rev_get(s);
    if (old != NULL && r->list.seq <= old->list.seq) {
        /* the same list, or an older one (a replay): keep the one in force */
        rc = r->list.seq < old->list.seq
                 ? bn_fail(why, whylen, BN_ERANGE, "%s: list %u is older than the one in force "
                           "(%u): kept the newer", p, (unsigned)r->list.seq,
                           (unsigned)old->list.seq) : 0;
        rev_put(s, old);
        goto out;
    }
    rev_put(s, old);
    /* (SRV-V1) in force from now on for every new request; the previous
     * list is freed by its last user */
    r->refs = 1;
    pthread_mutex_lock(&s->rev_mu);
    old = s->rev;
    s->rev = r;
    pthread_mutex_unlock(&s->rev_mu);
    rev_put(s, old);
    /* (SRV-R2) a revoked kiosk's reservations that no register entry
     * followed block nobody any more */
    pthread_mutex_lock(&s->lock);
    (void)srv_store_release_reservations(s->store, r->list.ids, r->list.stride, r->list.n,
                                         &purged);
    pthread_mutex_unlock(&s->lock);
    fprintf(stderr, "borne-server: revocation list %u in force: %u kiosk(s) revoked, %zu "
            "reservation(s) released\n", (unsigned)r->list.seq, (unsigned)r->list.n, purged);
    r = NULL;
    rc = 1;
out:
    if (r != NULL) {
        free(r->file);
        free(r);
    }
    free(p);
    return rc;
}

void srv_result_free(srv_result_t *res)
{
    if (res == NULL)
        return;
    free(res->body);
    res->body = NULL;
}

static char *error_json(const char *error, const char *detail)
{
    cJSON *o = cJSON_CreateObject();
    char *t;

    if (o == NULL)
        return NULL;
    cJSON_AddStringToObject(o, "error", error);
    cJSON_AddStringToObject(o, "detail", detail);
    t = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return t;
}

static int64_t now_s(void)
{
    return (int64_t)time(NULL);
}

static void set_kiosk(srv_result_t *res, const uint8_t *kiosk)
{
    char hex[65];

    if (kiosk == NULL) {
        strcpy(res->kiosk, "-");
        return;
    }
    hex_encode(kiosk, 32, hex);
    memcpy(res->kiosk, hex, 16);
    res->kiosk[16] = 0;
}

int srv_refuse(srv_t *s, srv_result_t *res, int status, const char *error, const char *detail,
               const uint8_t *kiosk)
{
    set_kiosk(res, kiosk);
    res->status = status;
    free(res->body);
    res->body = error_json(error, detail);
    pthread_mutex_lock(&s->lock);
    (void)srv_store_refusal(s->store, now_s(), error, kiosk, detail);
    pthread_mutex_unlock(&s->lock);
    return status;
}

static srv_campaign_t *find_campaign(srv_t *s, const char *id)
{
    int i;

    for (i = 0; i < s->n_campaigns; i++)
        if (strcmp(s->campaigns[i].pkg->id, id) == 0)
            return &s->campaigns[i];
    return NULL;
}

/* The id of canton `id` as the package spells it (owned by p), or NULL. */
static const char *canton_of(const pkg_t *p, const char *id)
{
    int i;

    for (i = 0; i < p->n_cantons; i++)
        if (strcmp(p->cantons[i].id, id) == 0)
            return p->cantons[i].id;
    return NULL;
}

/* Step 5: the ballot fits the campaign's package (territory, projects of
 * that territory, day within the polls). */
static int ballot_fits(const pkg_t *p, const ballot_t *b, char *why, size_t whylen)
{
    int t = pkg_find_territory(p, b->territory), i;

    if (b->kind != ballot_kind_of(p))
        return bn_fail(why, whylen, BN_EINVAL, "a ballot of kind %u, the campaign takes kind %d",
                       b->kind, ballot_kind_of(p));
    if (p->kind == PKG_QUESTIONNAIRE) {
        int rc = answers_check(p, b, why, whylen);

        if (rc != 0)
            return rc;
        if (b->day < p->opens || b->day > p->closes)
            return bn_fail(why, whylen, BN_ECLOSED, "day %u is outside the polls",
                           (unsigned)b->day);
        return 0;
    }
    if (t < 0)
        return bn_fail(why, whylen, BN_EINVAL, "territory %s is not in the package", b->territory);
    for (i = 0; i < b->n; i++) {
        int j = pkg_find_project(p, b->choices[i]);

        if (j < 0 || p->projects[j].territory != t)
            return bn_fail(why, whylen, BN_EINVAL, "choice %d is not a project of territory %s",
                           i, b->territory);
    }
    if (b->day < p->opens || b->day > p->closes)
        return bn_fail(why, whylen, BN_ECLOSED, "day %u is outside the polls", (unsigned)b->day);
    return 0;
}

static char *ack_json(const uint8_t digest[32], const char *campaign, const uint8_t kiosk[32],
                      const srv_held_t *h, size_t added)
{
    cJSON *o = cJSON_CreateObject();
    char hex[65], *t;

    if (o == NULL)
        return NULL;
    hex_encode(digest, 32, hex);
    cJSON_AddStringToObject(o, "bundle", hex);
    cJSON_AddStringToObject(o, "campaign", campaign);
    hex_encode(kiosk, 32, hex);
    cJSON_AddStringToObject(o, "kiosk", hex);
    cJSON_AddNumberToObject(o, "ballots", (double)h->ballots);
    cJSON_AddNumberToObject(o, "register", (double)h->registers);
    cJSON_AddNumberToObject(o, "reports", (double)h->reports);
    hex_encode(h->ids_digest, 32, hex);
    cJSON_AddStringToObject(o, "ballot_ids_digest", hex);
    cJSON_AddNumberToObject(o, "signatures", (double)h->signatures);
    cJSON_AddNumberToObject(o, "added", (double)added);
    {
        /* (BACKUP-B2) the server's clock after the commit: a backup whose
         * snapshot began later holds this bundle */
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        cJSON_AddNumberToObject(o, "time_ms",
                                (double)((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000));
    }
    t = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return t;
}

/* One upload on its way through srv_ingest's steps. Each step returns 0,
 * or the HTTP status of the refusal it has already written in res. */
typedef struct ingest_s {
    srv_t *s;
    srv_result_t *res;
    const uint8_t *as;          /* the TLS connection's kiosk, or NULL */
    const uint8_t *buf;
    size_t len;
    bundle_t b;
    cert_info_t kiosk;
    srv_campaign_t *c;
    srv_ballot_t *ballots;
    srv_reg_t *regs;
    const uint8_t **reports;
    size_t *report_lens;
    srv_sig_t *sigs;
    uint8_t *sig_added;         /* per signature: stored by this upload (SRV-P1) */
    srv_idea_t *ideas;
    int64_t ideas_over;         /* (SRV-M3) */
    srv_text_t *texts;
    char why[512];
    char detail[600];
} ingest_t;

/* 1. Decode the bundle. */
static int ingest_decode(ingest_t *g)
{
    if (g->len > SRV_BODY_MAX) {
        snprintf(g->detail, sizeof g->detail, "%zu bytes, the limit is %u", g->len, SRV_BODY_MAX);
        return srv_refuse(g->s, g->res, 413, "too-large", g->detail, NULL);
    }
    if (bundle_decode(g->buf, g->len, &g->b, g->why, sizeof g->why) != 0) {
        snprintf(g->detail, sizeof g->detail, "not a bundle: %s", g->why);
        return srv_refuse(g->s, g->res, 400, "malformed", g->detail, NULL);
    }
    return 0;
}

/* 2, 3. The kiosk: its certificate chains to the authority, is valid
 * today, and is not revoked. */
static int ingest_kiosk(ingest_t *g)
{
    srv_t *s = g->s;
    int rc = kiosk_verify(s, g->b.cert, g->b.cert_len, &g->kiosk, g->why, sizeof g->why);

    if (rc != 0) {
        key_pub_t pub;
        const uint8_t *kid = cert_key(g->b.cert, g->b.cert_len, &pub) == 0 ? pub.id : NULL;

        snprintf(g->detail, sizeof g->detail, "kiosk certificate: %s (%s)", bn_strerror(rc),
                 g->why);
        return srv_refuse(s, g->res, 403,
                          rc == BN_EEXPIRED || rc == BN_ENOTYET ? "kiosk-certificate-expired"
                                                                 : "unknown-kiosk",
                          g->detail, kid);
    }
    if (!is_enrolled(s, g->kiosk.pub.id)) {
        snprintf(g->detail, sizeof g->detail, "kiosk %s is not in the enrolled list (kiosks/ "
                 "of the server's folder)", g->kiosk.name);
        return srv_refuse(s, g->res, 403, "not-enrolled", g->detail, g->kiosk.pub.id);
    }
    if (is_revoked(s, g->kiosk.pub.id)) {
        snprintf(g->detail, sizeof g->detail, "kiosk %s is in the revocation list",
                 g->kiosk.name);
        return srv_refuse(s, g->res, 403, "revoked-kiosk", g->detail, g->kiosk.pub.id);
    }
    /* (SRV-N1) a connection speaks for one kiosk only */
    if (g->as != NULL && memcmp(g->as, g->kiosk.pub.id, 32) != 0) {
        snprintf(g->detail, sizeof g->detail, "the bundle is signed by kiosk %s, the connection "
                 "is another kiosk's", g->kiosk.name);
        return srv_refuse(s, g->res, 403, "kiosk-mismatch", g->detail, g->as);
    }
    return 0;
}

/* 4. Every signature of the bundle (bundle_verify.c, on threads). */
static int ingest_signatures(ingest_t *g)
{
    srv_t *s = g->s;
    revset_t *r = rev_get(s);
    int rc = srv_verify_bundle(g->buf, g->len, s->ca_der, s->ca_len, r ? &r->list : NULL,
                               srv_day(s), s->threads, &g->b, &g->kiosk, g->why, sizeof g->why);

    rev_put(s, r);

    if (rc != 0) {
        snprintf(g->detail, sizeof g->detail, "%s: %s", bn_strerror(rc), g->why);
        return srv_refuse(s, g->res, 422, rc == BN_EREVOKED ? "revoked-kiosk" : "bad-signature",
                          g->detail, g->kiosk.pub.id);
    }
    set_kiosk(g->res, g->kiosk.pub.id);
    return 0;
}

/* 5. The campaign is served here and takes these kinds of items. */
static int ingest_campaign(ingest_t *g)
{
    const bundle_t *b = &g->b;

    g->c = find_campaign(g->s, b->campaign);
    if (g->c == NULL) {
        snprintf(g->detail, sizeof g->detail, "campaign %s is not served here", b->campaign);
        return srv_refuse(g->s, g->res, 422, "unknown-campaign", g->detail, g->kiosk.pub.id);
    }
    if (b->n_signatures > 0 && g->c->pkg->kind != PKG_PETITION) {
        snprintf(g->detail, sizeof g->detail, "%u petition signature records for campaign %s, a"
                 " %s campaign", (unsigned)b->n_signatures, g->c->pkg->id,
                 pkg_kind_name(g->c->pkg->kind));
        return srv_refuse(g->s, g->res, 422, "unsupported-item", g->detail, g->kiosk.pub.id);
    }
    if ((b->n_ballots > 0 || b->n_register > 0) && g->c->pkg->kind != PKG_BUDGET &&
        g->c->pkg->kind != PKG_QUESTIONNAIRE) {
        snprintf(g->detail, sizeof g->detail, "%u ballots and %u register entries for campaign "
                 "%s, a %s campaign", (unsigned)b->n_ballots, (unsigned)b->n_register,
                 g->c->pkg->id, pkg_kind_name(g->c->pkg->kind));
        return srv_refuse(g->s, g->res, 422, "unsupported-item", g->detail, g->kiosk.pub.id);
    }
    if (b->n_texts > 0 && g->c->pkg->kind != PKG_QUESTIONNAIRE) {
        snprintf(g->detail, sizeof g->detail, "%u free texts for campaign %s, a %s campaign",
                 (unsigned)b->n_texts, g->c->pkg->id, pkg_kind_name(g->c->pkg->kind));
        return srv_refuse(g->s, g->res, 422, "unsupported-item", g->detail, g->kiosk.pub.id);
    }
    if (b->n_ideas > 0 && g->c->pkg->kind != PKG_IDEAS) {
        snprintf(g->detail, sizeof g->detail, "%u ideas for campaign %s, a %s campaign",
                 (unsigned)b->n_ideas, g->c->pkg->id, pkg_kind_name(g->c->pkg->kind));
        return srv_refuse(g->s, g->res, 422, "unsupported-item", g->detail, g->kiosk.pub.id);
    }
    g->ballots = calloc(b->n_ballots ? b->n_ballots : 1, sizeof *g->ballots);
    g->regs = calloc(b->n_register ? b->n_register : 1, sizeof *g->regs);
    g->reports = calloc(b->n_reports ? b->n_reports : 1, sizeof *g->reports);
    g->report_lens = calloc(b->n_reports ? b->n_reports : 1, sizeof *g->report_lens);
    g->sigs = calloc(b->n_signatures ? b->n_signatures : 1, sizeof *g->sigs);
    g->sig_added = calloc(b->n_signatures ? b->n_signatures : 1, 1);
    g->ideas = calloc(b->n_ideas ? b->n_ideas : 1, sizeof *g->ideas);
    g->texts = calloc(b->n_texts ? b->n_texts : 1, sizeof *g->texts);
    if (g->ballots == NULL || g->regs == NULL || g->reports == NULL || g->report_lens == NULL ||
        g->sigs == NULL || g->sig_added == NULL || g->ideas == NULL || g->texts == NULL)
        return srv_refuse(g->s, g->res, 503, "out-of-memory", "the server is out of memory",
                          g->kiosk.pub.id);
    return 0;
}

/* 5a. Each ballot fits the package; its tracking code. */
static int ingest_ballots(ingest_t *g)
{
    size_t pos = 0, i;

    for (i = 0; i < g->b.n_ballots; i++) {
        const uint8_t *bb;
        size_t bl;
        ballot_t bt;

        if (bundle_next_ballot(&g->b, &pos, &bb, &bl) != 1 ||
            ballot_decode(bb, bl, &bt, g->why, sizeof g->why) != 0)
            return srv_refuse(g->s, g->res, 400, "malformed", "ballot section", g->kiosk.pub.id);
        if (ballot_fits(g->c->pkg, &bt, g->why, sizeof g->why) != 0) {
            char hex[33];

            hex_encode(bt.id, 16, hex);
            memset(&bt, 0, sizeof bt);
            snprintf(g->detail, sizeof g->detail, "ballot %s: %s", hex, g->why);
            return srv_refuse(g->s, g->res, 422, "inconsistent-ballot", g->detail,
                              g->kiosk.pub.id);
        }
        g->ballots[i].id = bb + BALLOT_OFF_ID;
        g->ballots[i].bytes = bb;
        g->ballots[i].len = bl;
        if (track_code(g->c->track_key, bt.id, g->ballots[i].track) != 0)
            return srv_refuse(g->s, g->res, 503, "crypto", "tracking code", g->kiosk.pub.id);
        memset(&bt, 0, sizeof bt); /* (DESIGN-S3) choices do not outlive the check */
    }
    return 0;
}

/* 5b. Register entries and closing reports, as they are. */
static void ingest_registers(ingest_t *g)
{
    size_t i;

    for (i = 0; i < g->b.n_register; i++) {
        bundle_reg_t r;

        bundle_register_at(&g->b, (uint32_t)i, &r);
        g->regs[i].pseudonym = r.pseudonym;
        g->regs[i].day = r.day;
        g->regs[i].offline = r.offline;
    }
    for (i = 0; i < g->b.n_reports; i++)
        g->reports[i] = bundle_report_at(&g->b, (uint32_t)i, &g->report_lens[i]);
}

/* 5c. Each petition signature fits the package; its tracking code. */
static int ingest_petition(ingest_t *g)
{
    const pkg_t *p = g->c->pkg;
    size_t i;

    for (i = 0; i < g->b.n_signatures; i++) {
        const uint8_t *rec = bundle_signature_at(&g->b, (uint32_t)i);
        petition_t pt;
        char hex[33];

        hex_encode(rec + PETITION_OFF_ID, PETITION_ID_LEN, hex);
        if (petition_decode(rec, PETITION_LEN, &pt, g->why, sizeof g->why) != 0)
            return srv_refuse(g->s, g->res, 400, "malformed", "signature section",
                              g->kiosk.pub.id);
        if (strcmp(pt.campaign, p->id) != 0 || pt.day < p->opens || pt.day > p->closes ||
            canton_of(p, pt.canton) == NULL) {
            snprintf(g->detail, sizeof g->detail, "signature %s: %s", hex,
                     strcmp(pt.campaign, p->id) != 0     ? "of another campaign"
                     : canton_of(p, pt.canton) == NULL ? "canton not in the package"
                                                       : "day outside the polls");
            return srv_refuse(g->s, g->res, 422, "inconsistent-signature", g->detail,
                              g->kiosk.pub.id);
        }
        g->sigs[i].id = rec + PETITION_OFF_ID;
        g->sigs[i].bytes = rec;
        g->sigs[i].pseudonym = rec + PETITION_OFF_PSEUDONYM;
        g->sigs[i].canton = canton_of(p, pt.canton);
        g->sigs[i].day = pt.day;
        if (track_code(g->c->track_key, pt.id, g->sigs[i].track) != 0)
            return srv_refuse(g->s, g->res, 503, "crypto", "tracking code", g->kiosk.pub.id);
    }
    return 0;
}

/* 5d. Each idea fits the call for ideas (theme, territory, days); its
 * tracking code. */
static int ingest_ideas(ingest_t *g)
{
    const pkg_t *p = g->c->pkg;
    size_t i;
    int k, theme, terr;

    for (i = 0; i < g->b.n_ideas; i++) {
        size_t len = 0;
        const uint8_t *rec = bundle_idea_at(&g->b, (uint32_t)i, &len);
        idea_t *d = malloc(sizeof *d);
        char hex[33];
        const char *bad = NULL;

        if (d == NULL)
            return srv_refuse(g->s, g->res, 503, "out-of-memory", "the server is out of memory",
                              g->kiosk.pub.id);
        hex_encode(rec + IDEA_OFF_ID, IDEA_ID_LEN, hex);
        if (idea_decode(rec, len, d, g->why, sizeof g->why) != 0) {
            free(d);
            return srv_refuse(g->s, g->res, 400, "malformed", "idea section", g->kiosk.pub.id);
        }
        for (theme = -1, k = 0; k < p->ideas.n_themes; k++)
            if (strcmp(p->ideas.themes[k].id, d->theme) == 0)
                theme = k;
        for (terr = -1, k = 0; k < p->n_territories; k++)
            if (strcmp(p->territories[k].id, d->territory) == 0)
                terr = k;
        bad = strcmp(d->campaign, p->id) != 0       ? "of another campaign"
              : theme < 0                            ? "theme not in the package"
              : terr < 0                             ? "territory not in the package"
              : d->day < p->opens || d->day > p->closes ? "day outside the call's dates"
              : d->has_contact && !p->ideas.contact  ? "a contact the call does not ask for"
              : d->place[0] && !p->ideas.place       ? "a place the call does not ask for"
                                                     : NULL;
        g->ideas[i].day = d->day;
        free(d);
        if (bad != NULL) {
            snprintf(g->detail, sizeof g->detail, "idea %s: %s", hex, bad);
            return srv_refuse(g->s, g->res, 422, "inconsistent-idea", g->detail,
                              g->kiosk.pub.id);
        }
        g->ideas[i].id = rec + IDEA_OFF_ID;
        g->ideas[i].bytes = rec;
        g->ideas[i].len = len;
        g->ideas[i].pseudonym = rec + IDEA_OFF_PSEUDONYM;
        if (track_code(g->c->track_key, rec + IDEA_OFF_ID, g->ideas[i].track) != 0)
            return srv_refuse(g->s, g->res, 503, "crypto", "tracking code", g->kiosk.pub.id);
    }
    return 0;
}

/* 5e. Each free text fits the questionnaire (its question, length, days). */
static int ingest_texts(ingest_t *g)
{
    const pkg_t *p = g->c->pkg;
    qtext_t *t = g->b.n_texts > 0 ? malloc(sizeof *t) : NULL;
    size_t i;
    int rc = 0;

    if (g->b.n_texts > 0 && t == NULL)
        return srv_refuse(g->s, g->res, 503, "out-of-memory", "the server is out of memory",
                          g->kiosk.pub.id);
    for (i = 0; i < g->b.n_texts && rc == 0; i++) {
        size_t len = 0;
        const uint8_t *rec = bundle_text_at(&g->b, (uint32_t)i, &len);
        char hex[33];

        hex_encode(rec + QTEXT_OFF_ID, QTEXT_ID_LEN, hex);
        if (qtext_decode(rec, len, t, g->why, sizeof g->why) != 0) {
            rc = srv_refuse(g->s, g->res, 400, "malformed", "text section", g->kiosk.pub.id);
        } else if (qtext_check(p, t, g->why, sizeof g->why) != 0 || t->day < p->opens ||
                   t->day > p->closes) {
            snprintf(g->detail, sizeof g->detail, "text %s: %s", hex,
                     t->day < p->opens || t->day > p->closes ? "day outside the polls" : g->why);
            rc = srv_refuse(g->s, g->res, 422, "inconsistent-text", g->detail, g->kiosk.pub.id);
        } else {
            g->texts[i].id = rec + QTEXT_OFF_ID;
            g->texts[i].bytes = rec;
            g->texts[i].len = len;
        }
    }
    free(t);
    return rc;
}

static void count_added(srv_t *s, srv_campaign_t *c, const srv_sig_t *sigs,
                        const uint8_t *added, size_t n, const key_pub_t *kiosk);

/* 6. One transaction: the items, the bundle's bytes, the acknowledgement. */
static int ingest_store(ingest_t *g)
{
    srv_t *s = g->s;
    srv_bundle_items_t items;
    srv_held_t held;
    uint8_t digest[32];
    int rc;

    key_sha256(g->buf, g->len, digest);
    memset(&items, 0, sizeof items);
    items.campaign = g->c->pkg->id;
    items.kiosk = g->kiosk.pub.id;
    items.digest = digest;
    items.today = srv_day(s);
    items.now = now_s();
    items.n_ballots = g->b.n_ballots;
    items.n_register = g->b.n_register;
    items.n_reports = g->b.n_reports;
    items.ballots = g->ballots;
    items.registers = g->regs;
    items.reports = g->reports;
    items.report_lens = g->report_lens;
    items.n_signatures = g->b.n_signatures;
    items.signatures = g->sigs;
    items.kiosk_pub = g->kiosk.pub.pub;
    items.bytes = g->buf;       /* (SRV-D1) kept with the items, in their transaction */
    items.len = g->len;
    items.sig_added = g->sig_added;
    items.n_ideas = g->b.n_ideas;
    items.ideas = g->ideas;
    items.idea_limit = g->c->pkg->kind == PKG_IDEAS ? g->c->pkg->ideas.max_per_person : 0;
    items.ideas_over = &g->ideas_over;
    items.n_texts = g->b.n_texts;
    items.texts = g->texts;
    pthread_mutex_lock(&s->lock);
    rc = srv_store_put_bundle(s->store, &items, &g->res->added, g->why, sizeof g->why);
    if (rc == 0 && items.n_signatures > 0) /* (SRV-P1) committed: counted once */
        count_added(s, g->c, g->sigs, g->sig_added, items.n_signatures, &g->kiosk.pub);
    if (rc == 0)
        rc = srv_store_held(s->store, items.campaign, items.kiosk, &held);
    if (rc == 0) {
        g->res->body = ack_json(digest, items.campaign, items.kiosk, &held, g->res->added);
        if (g->res->body == NULL)
            rc = BN_ENOMEM;
        else
            (void)srv_store_put_ack(s->store, digest, items.campaign, items.kiosk, srv_day(s),
                                    g->res->body);
    }
    pthread_mutex_unlock(&s->lock);
    if (rc == 0) {
        g->res->status = 200;
        return 0;
    }
    if (rc == BN_EEXISTS)
        return srv_refuse(s, g->res, 409, "conflict", g->why, items.kiosk);
    if (rc == BN_ERULE) /* (SRV-I1) */
        return srv_refuse(s, g->res, 422, "ballots-exceed-register", g->why, items.kiosk);
    if (rc == BN_EFULL)
        return srv_refuse(s, g->res, 507, "store-full", "the server's disk is full", items.kiosk);
    snprintf(g->detail, sizeof g->detail, "%s: %s", bn_strerror(rc), g->why);
    return srv_refuse(s, g->res, 503, "store", g->detail, items.kiosk);
}

int srv_ingest(srv_t *s, const uint8_t *buf, size_t len, srv_result_t *res)
{
    return srv_ingest_as(s, NULL, buf, len, res);
}

int srv_ingest_as(srv_t *s, const uint8_t *as, const uint8_t *buf, size_t len,
                  srv_result_t *res)
{
    ingest_t *g = calloc(1, sizeof *g);

    memset(res, 0, sizeof *res);
    set_kiosk(res, NULL);
    if (g == NULL)
        return srv_refuse(s, res, 503, "out-of-memory", "the server is out of memory", NULL);
    g->s = s;
    g->res = res;
    g->as = as;
    g->buf = buf;
    g->len = len;
    if (ingest_decode(g) == 0 && ingest_kiosk(g) == 0 && ingest_signatures(g) == 0 &&
        ingest_campaign(g) == 0 && ingest_ballots(g) == 0 && ingest_petition(g) == 0 &&
        ingest_ideas(g) == 0 && ingest_texts(g) == 0) {
        ingest_registers(g);
        (void)ingest_store(g);
    }
    free(g->ballots);
    free(g->regs);
    free(g->reports);
    free(g->report_lens);
    free(g->sigs);
    free(g->sig_added);
    free(g->ideas);
    free(g->texts);
    free(g);
    return res->status;
}

/* --- petition counters ----------------------------------------------------- */

typedef struct collect_s {
    petition_item_t *items;
    uint8_t *recs;
    size_t *key_of;             /* items[i]'s kiosk: keys[key_of[i]] */
    size_t n, cap;
    key_pub_t *keys;
    size_t n_keys, cap_keys;
} collect_t;

static int collect_row(void *arg, const uint8_t *rec, size_t len, const uint8_t *pub,
                       size_t pub_len)
{
    collect_t *c = arg;
    key_pub_t k;
    size_t i;

    if (len != PETITION_LEN || pub_len != KEY_PUB_LEN)
        return BN_ECORRUPT;
    for (i = 0; i < c->n_keys; i++)
        if (memcmp(c->keys[i].pub, pub, KEY_PUB_LEN) == 0)
            break;
    if (i == c->n_keys) {
        /* a kiosk key not seen yet: parsed (and its point checked) once */
        if (key_pub_from_point(pub, &k) != 0)
            return BN_ECORRUPT;
        if (c->n_keys == c->cap_keys) {
            size_t cap = c->cap_keys ? 2 * c->cap_keys : 16;
            key_pub_t *t = realloc(c->keys, cap * sizeof *t);

            if (t == NULL)
                return BN_ENOMEM;
            c->keys = t;
            c->cap_keys = cap;
        }
        c->keys[c->n_keys++] = k;
    }
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 256;
        petition_item_t *t = realloc(c->items, cap * sizeof *t);
        uint8_t *r;

        if (t == NULL)
            return BN_ENOMEM;
        c->items = t;
        r = realloc(c->recs, cap * PETITION_LEN);
        if (r == NULL)
            return BN_ENOMEM;
        c->recs = r;
        {
            size_t *ko = realloc(c->key_of, cap * sizeof *ko);

            if (ko == NULL)
                return BN_ENOMEM;
            c->key_of = ko;
        }
        c->cap = cap;
    }
    memcpy(c->recs + c->n * PETITION_LEN, rec, PETITION_LEN);
    c->items[c->n].len = PETITION_LEN;
    c->key_of[c->n] = i; /* keys may still move (realloc): pointers at the end */
    c->n++;
    return 0;
}

static void pair_row(void *arg, const uint8_t *a, const uint8_t *b, int64_t persons)
{
    cJSON *o = cJSON_CreateObject();
    char hex[65];

    hex_encode(a, 32, hex);
    cJSON_AddStringToObject(o, "kiosk_a", hex);
    hex_encode(b, 32, hex);
    cJSON_AddStringToObject(o, "kiosk_b", hex);
    cJSON_AddNumberToObject(o, "persons", (double)persons);
    cJSON_AddItemToArray(arg, o);
}

/* (SRV-P1) The counter of petition c (under s->reader_mu): the running count,
 * which each upload extends with the records it stored (count_added). It
 * is built by one full read of the records when there is none yet, or when
 * the number of records it holds is not the store's (an upload that
 * committed while it was being built): never a recount per request. */
static int counter_of(srv_t *s, srv_campaign_t *c, petition_count_t *out)
{
    collect_t col;
    petition_acc_t *acc = NULL;
    int64_t n;
    size_t i;
    int rc;

    memset(&col, 0, sizeof col);
    rc = srv_store_petition_total(s->reader, c->pkg->id, &n);
    if (rc != 0)
        return rc;
    if (c->acc != NULL && petition_acc_records(c->acc) == n)
        return petition_acc_result(c->acc, c->pkg, out);
    s->counter_rebuilds++;
    rc = srv_store_petition_each(s->reader, c->pkg->id, collect_row, &col);
    if (rc == 0)
        rc = petition_acc_new(&acc);
    if (rc == 0) {
        for (i = 0; i < col.n; i++) {
            col.items[i].rec = col.recs + i * PETITION_LEN;
            col.items[i].kiosk = &col.keys[col.key_of[i]];
        }
        /* every stored record was verified at its upload */
        rc = petition_acc_add(acc, c->pkg, col.items, col.n);
    }
    if (rc == 0) {
        petition_acc_free(c->acc);
        c->acc = acc;
        acc = NULL;
        rc = petition_acc_result(c->acc, c->pkg, out);
    }
    petition_acc_free(acc);
    free(col.items);
    free(col.recs);
    free(col.key_of);
    free(col.keys);
    return rc;
}

int64_t srv_counter_rebuilds(srv_t *s)
{
    int64_t n;

    pthread_mutex_lock(&s->reader_mu);
    n = s->counter_rebuilds;
    pthread_mutex_unlock(&s->reader_mu);
    return n;
}

/* (SRV-P1) After an upload committed: the records it stored go into the
 * petition's running count, once. A failure drops the count, which the
 * next request builds again. */
static void count_added(srv_t *s, srv_campaign_t *c, const srv_sig_t *sigs,
                        const uint8_t *added, size_t n, const key_pub_t *kiosk)
{
    petition_item_t it;
    size_t i;

    pthread_mutex_lock(&s->reader_mu);
    for (i = 0; c->acc != NULL && i < n; i++) {
        if (!added[i])
            continue;
        it.rec = sigs[i].bytes;
        it.len = PETITION_LEN;
        it.kiosk = kiosk;
        if (petition_acc_add(c->acc, c->pkg, &it, 1) != 0) {
            petition_acc_free(c->acc);
            c->acc = NULL;
        }
    }
    pthread_mutex_unlock(&s->reader_mu);
}

int srv_petition_counter(srv_t *s, const char *id, srv_result_t *res)
{
    srv_campaign_t *c = find_campaign(s, id);
    petition_count_t pc;
    cJSON *o = NULL, *pairs;
    char d[DAY_TEXT_LEN + 1];
    int rc;

    memset(res, 0, sizeof *res);
    set_kiosk(res, NULL);
    if (c == NULL || c->pkg->kind != PKG_PETITION) {
        res->status = 404;
        res->body = error_json("not-found", c == NULL ? "no such campaign here"
                                                      : "this campaign is not a petition");
        return res->status;
    }
    o = cJSON_CreateObject();
    pairs = cJSON_CreateArray();
    /* (SRV-P1) the reader, never the store's write lock */
    pthread_mutex_lock(&s->reader_mu);
    rc = counter_of(s, c, &pc);
    if (rc == 0)
        rc = srv_store_petition_pairs(s->reader, c->pkg->id, pair_row, pairs);
    pthread_mutex_unlock(&s->reader_mu);
    if (rc != 0 || o == NULL || pairs == NULL) {
        cJSON_Delete(o);
        cJSON_Delete(pairs);
        res->status = 503;
        res->body = error_json("store", bn_strerror(rc ? rc : BN_ENOMEM));
        return res->status;
    }
    cJSON_AddStringToObject(o, "campaign", c->pkg->id);
    cJSON_AddNumberToObject(o, "signatures", (double)pc.valid);
    cJSON_AddNumberToObject(o, "cantons", pc.cantons);
    cJSON_AddNumberToObject(o, "threshold", c->pkg->petition.threshold);
    cJSON_AddNumberToObject(o, "min_cantons", c->pkg->petition.min_cantons);
    day_format(c->pkg->opens, d);
    cJSON_AddStringToObject(o, "opens", d);
    day_format(c->pkg->closes, d);
    cJSON_AddStringToObject(o, "closes", d);
    cJSON_AddBoolToObject(o, "reached", pc.reached);
    if (pc.reached) {
        day_format(pc.reached_on, d);
        cJSON_AddStringToObject(o, "reached_on", d);
    } else {
        cJSON_AddNullToObject(o, "reached_on");
    }
    cJSON_AddNumberToObject(o, "days_left", srv_day(s) > c->pkg->closes ? 0
                            : (double)(c->pkg->closes - (srv_day(s) > c->pkg->opens
                                                         ? srv_day(s) : c->pkg->opens) + 1));
    cJSON_AddNumberToObject(o, "duplicates", (double)pc.duplicates);
    cJSON_AddItemToObject(o, "duplicate_kiosk_pairs", pairs);
    cJSON_AddNumberToObject(o, "invalid", (double)(pc.invalid + pc.outside + pc.unknown_canton));
    res->body = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    res->status = res->body != NULL ? 200 : 503;
    return res->status;
}

int srv_receipt(srv_t *s, const char *typed, char canon[15])
{
    int rc = track_parse(typed, canon);

    if (rc != 0)
        return rc;
    pthread_mutex_lock(&s->reader_mu);   /* (SRV-P1) */
    rc = srv_store_has_track(s->reader, canon);
    pthread_mutex_unlock(&s->reader_mu);
    return rc;
}

int srv_receipt_info(srv_t *s, const char *typed, char canon[15], srv_track_info_t *info)
{
    int rc = track_parse(typed, canon);

    if (rc != 0)
        return rc;
    pthread_mutex_lock(&s->reader_mu);   /* (SRV-P1) */
    rc = srv_store_track_info(s->reader, canon, info);
    pthread_mutex_unlock(&s->reader_mu);
    return rc;
}

const pkg_t *srv_campaign_pkg(srv_t *s, const char *id)
{
    srv_campaign_t *c = id != NULL ? find_campaign(s, id) : NULL;

    return c != NULL ? c->pkg : NULL;
}

const char *srv_reason_words(srv_t *s, const char *id, const char *reason, const char *lang)
{
    const pkg_t *p = srv_campaign_pkg(s, id);
    int en = lang != NULL && strcmp(lang, "en") == 0, i, l;

    if (strcmp(reason, SRV_REASON_LIMIT) == 0)
        return en ? "you had already proposed as many ideas as one person may"
                  : "vous aviez déjà proposé autant d'idées qu'une personne le peut";
    if (p == NULL || p->kind != PKG_IDEAS)
        return reason;
    l = pkg_lang(p, en ? "en" : "fr");
    for (i = 0; i < p->ideas.n_reasons; i++)
        if (strcmp(p->ideas.reasons[i].id, reason) == 0)
            return p->ideas.reasons[i].name.s[l] ? p->ideas.reasons[i].name.s[l]
                                                  : p->ideas.reasons[i].name.s[0];
    return reason;
}

int srv_kiosk_check(srv_t *s, const uint8_t *cert_der, size_t cert_len, uint8_t id[32],
                    srv_result_t *res)
{
    char why[256] = "", detail[400];
    cert_info_t kiosk;
    int rc;

    memset(res, 0, sizeof *res);
    set_kiosk(res, NULL);
    if (cert_der == NULL)
        return srv_refuse(s, res, 401, "no-client-certificate",
                          "uploads and reservations need the kiosk's TLS client certificate",
                          NULL);
    rc = kiosk_verify(s, cert_der, cert_len, &kiosk, why, sizeof why);
    if (rc != 0) {
        snprintf(detail, sizeof detail, "kiosk certificate: %s (%s)", bn_strerror(rc), why);
        return srv_refuse(s, res, 403, rc == BN_EEXPIRED || rc == BN_ENOTYET
                                           ? "kiosk-certificate-expired" : "unknown-kiosk",
                          detail, NULL);
    }
    if (is_revoked(s, kiosk.pub.id)) {
        snprintf(detail, sizeof detail, "kiosk %s is in the revocation list", kiosk.name);
        return srv_refuse(s, res, 403, "revoked-kiosk", detail, kiosk.pub.id);
    }
    if (!is_enrolled(s, kiosk.pub.id)) {
        snprintf(detail, sizeof detail, "kiosk %s is not in the enrolled list (kiosks/ of the "
                 "server's folder: borne-admin kiosk enroll adds it)", kiosk.name);
        return srv_refuse(s, res, 403, "not-enrolled", detail, kiosk.pub.id);
    }
    memcpy(id, kiosk.pub.id, 32);
    return 0;
}

void srv_set_today(srv_t *s, uint32_t today)
{
    s->fixed_today = today;
}

void srv_set_reserve_rate(srv_t *s, int burst, int every_s)
{
    pthread_mutex_lock(&s->lock);
    s->rate_burst = burst;
    s->rate_every_s = every_s > 0 ? every_s : 1;
    memset(s->buckets, 0, sizeof s->buckets);
    pthread_mutex_unlock(&s->lock);
}

static int64_t mono_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* (SRV-R3) Takes one reservation from the kiosk's bucket (SRV_RESERVE_BURST
 * at most, one more every SRV_RESERVE_EVERY_S seconds): 1, or 0 when it is
 * empty. With s->lock held. */
static int rate_take(srv_t *s, const uint8_t kiosk[32], int64_t now_ms)
{
    uint32_t h = (uint32_t)kiosk[0] << 8 | kiosk[1], i;
    bucket_t *b = NULL;

    for (i = 0; i < SRV_RATE_KIOSKS; i++) {
        bucket_t *x = &s->buckets[(h + i) % SRV_RATE_KIOSKS];

        if (!x->used || memcmp(x->kiosk, kiosk, 32) == 0) {
            b = x;
            break;
        }
    }
    if (b == NULL || s->rate_burst <= 0)
        return 1;                 /* more kiosks than the table, or no limit */
    if (!b->used) {
        b->used = 1;
        memcpy(b->kiosk, kiosk, 32);
        b->tokens = s->rate_burst;
        b->last_ms = now_ms;
    }
    b->tokens += (double)(now_ms - b->last_ms) / (1000.0 * s->rate_every_s);
    if (b->tokens > s->rate_burst)
        b->tokens = s->rate_burst;
    b->last_ms = now_ms;
    if (b->tokens < 1.0)
        return 0;
    b->tokens -= 1.0;
    return 1;
}

int srv_reserve(srv_t *s, const uint8_t *cert_der, size_t cert_len, const char *body,
                size_t len, srv_result_t *res)
{
    char detail[400];
    cert_info_t kiosk;
    cJSON *j = NULL, *jc, *jp;
    const srv_campaign_t *camp;
    uint8_t ps[32];
    int rc;

    memset(res, 0, sizeof *res);
    set_kiosk(res, NULL);
    if (srv_kiosk_check(s, cert_der, cert_len, kiosk.pub.id, res) != 0)
        return res->status;
    set_kiosk(res, kiosk.pub.id);
    j = cJSON_ParseWithLength(body, len);
    jc = cJSON_GetObjectItemCaseSensitive(j, "campaign");
    jp = cJSON_GetObjectItemCaseSensitive(j, "pseudonym");
    if (j == NULL || !cJSON_IsObject(j) || cJSON_GetArraySize(j) != 2 || !cJSON_IsString(jc) ||
        !cJSON_IsString(jp) ||
        hex_decode(jp->valuestring, strlen(jp->valuestring), ps, sizeof ps) != 0) {
        cJSON_Delete(j);
        return srv_refuse(s, res, 400, "malformed",
                          "expected {\"campaign\": \"ID\", \"pseudonym\": \"64 lowercase hex\"}",
                          kiosk.pub.id);
    }
    if ((camp = find_campaign(s, jc->valuestring)) == NULL) {
        snprintf(detail, sizeof detail, "campaign %.32s is not served here", jc->valuestring);
        cJSON_Delete(j);
        return srv_refuse(s, res, 422, "unknown-campaign", detail, kiosk.pub.id);
    }
    if (srv_day(s) < camp->pkg->opens || srv_day(s) > camp->pkg->closes) {
        /* (SRV-T1) no reservation outside the polls */
        char d0[11], d1[11], d2[11];

        day_format(srv_day(s), d0);
        day_format(camp->pkg->opens, d1);
        day_format(camp->pkg->closes, d2);
        snprintf(detail, sizeof detail, "the polls of %s are closed on %s (open from %s to %s)",
                 camp->pkg->id, d0, d1, d2);
        cJSON_Delete(j);
        return srv_refuse(s, res, 422, "polls-closed", detail, kiosk.pub.id);
    }
    pthread_mutex_lock(&s->lock);
    if (!rate_take(s, kiosk.pub.id, mono_ms())) {
        pthread_mutex_unlock(&s->lock);
        cJSON_Delete(j);
        snprintf(detail, sizeof detail, "more than %d reservations within %d seconds from this "
                 "kiosk: a person takes tens of seconds to vote", s->rate_burst,
                 s->rate_burst * s->rate_every_s);
        return srv_refuse(s, res, 429, "rate-limited", detail, kiosk.pub.id);
    }
    rc = srv_store_reserve(s->store, jc->valuestring, ps, kiosk.pub.id, srv_day(s), now_s(),
                           now_s() + SRV_RESERVE_LAPSE_S);
    pthread_mutex_unlock(&s->lock);
    cJSON_Delete(j);
    if (rc < 0)
        return srv_refuse(s, res, 503, "store", bn_strerror(rc), kiosk.pub.id);
    res->status = 200;
    res->body = strdup(rc == 1 ? "{\"status\":\"reserved\"}" : "{\"status\":\"already\"}");
    if (res->body == NULL)
        res->status = 503;
    return res->status;
}

char *srv_packages_json(srv_t *s)
{
    cJSON *a = cJSON_CreateArray();
    char hex[65], d[DAY_TEXT_LEN + 1], *t;
    int i;

    if (a == NULL)
        return NULL;
    for (i = 0; i < s->n_campaigns; i++) {
        cJSON *o = cJSON_CreateObject();
        const pkg_t *p = s->campaigns[i].pkg;

        cJSON_AddStringToObject(o, "id", p->id);
        cJSON_AddStringToObject(o, "kind", pkg_kind_name(p->kind));
        hex_encode(p->digest, 32, hex);
        cJSON_AddStringToObject(o, "campaign_digest", hex);
        hex_encode(s->campaigns[i].file_sha, 32, hex);
        cJSON_AddStringToObject(o, "file_sha256", hex);
        cJSON_AddNumberToObject(o, "bytes", (double)s->campaigns[i].file_len);
        day_format(p->valid_until, d);
        cJSON_AddStringToObject(o, "valid_until", d);
        cJSON_AddItemToArray(a, o);
    }
    t = cJSON_PrintUnformatted(a);
    cJSON_Delete(a);
    return t;
}

const uint8_t *srv_package_file(srv_t *s, const char *id, size_t *len)
{
    srv_campaign_t *c = find_campaign(s, id);

    if (c == NULL)
        return NULL;
    *len = c->file_len;
    return c->file;
}

uint8_t *srv_revocations(srv_t *s, size_t *len)
{
    revset_t *r = rev_get(s);
    uint8_t *copy = r != NULL ? malloc(r->len) : NULL;

    if (copy != NULL) {
        memcpy(copy, r->file, r->len);
        *len = r->len;
    }
    rev_put(s, r);
    return copy;
}

char *srv_metrics_json(srv_t *s)
{
    char *t = NULL;

    pthread_mutex_lock(&s->reader_mu);   /* (SRV-P1) */
    (void)srv_store_metrics(s->reader, &t);
    pthread_mutex_unlock(&s->reader_mu);
    return t;
}

char *srv_health_json(srv_t *s)
{
    cJSON *o = cJSON_CreateObject();
    char d[DAY_TEXT_LEN + 1], *t;

    if (o == NULL)
        return NULL;
    day_format(srv_day(s), d);
    cJSON_AddStringToObject(o, "status", "ok");
    cJSON_AddStringToObject(o, "today", d);
    cJSON_AddNumberToObject(o, "campaigns", s->n_campaigns);
    {
        revset_t *r = rev_get(s);

        cJSON_AddBoolToObject(o, "revocation_list", r != NULL);
        if (r != NULL)
            cJSON_AddNumberToObject(o, "revocation_seq", r->list.seq);
        rev_put(s, r);
    }
    /* (BACKUP-B2) the last verified backup, for the kiosks' wipe */
    cJSON_AddNumberToObject(o, "backup_verified_ms", (double)srv_backup_last(s->dir));
    t = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return t;
}

srv_store_t *srv_store(srv_t *s)
{
    return s->store;
}

const char *srv_tls_key(srv_t *s)
{
    return s->key_pem;
}

const char *srv_tls_cert(srv_t *s)
{
    return s->cert_pem;
}

const char *srv_tls_ca(srv_t *s)
{
    return s->ca_pem;
}

int srv_import(srv_t *s, const char *src, FILE *out)
{
    char **names = NULL;
    size_t n = 0, i;
    int refused = 0, rc;

    rc = list_dir(src, &names, &n);
    if (rc != 0)
        return rc;
    for (i = 0; i < n; i++) {
        char *p = path_join(src, names[i]);
        uint8_t *buf = NULL;
        size_t len = 0;
        srv_result_t res;

        memset(&res, 0, sizeof res);
        rc = p ? read_all(p, SRV_BODY_MAX, &buf, &len) : BN_ENOMEM;
        if (rc == BN_ETOOBIG) {
            srv_refuse(s, &res, 413, "too-large", "the file is larger than 16 MiB", NULL);
        } else if (rc != 0) {
            fprintf(out, "%s: refused: cannot read: %s\n", names[i], bn_strerror(rc));
            refused++;
            free(p);
            continue;
        } else {
            srv_ingest(s, buf, len, &res);
        }
        if (res.status == 200) {
            fprintf(out, "%s: %s (%zu new items) %s\n", names[i],
                    res.added ? "accepted" : "already held", res.added, res.body);
        } else {
            fprintf(out, "%s: refused: %s\n", names[i], res.body ? res.body : "?");
            refused++;
        }
        srv_result_free(&res);
        free(buf);
        free(p);
    }
    free_names(names, n);
    return refused;
}
