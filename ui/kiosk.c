/* kiosk.c - the state directory: start-up checks, demo set-up, store check. */
#include "kiosk.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ballot.h"
#include "bn_err.h"
#include "day.h"
#include "key.h"
#include "pseud.h"
#include "rng.h"
#include "store.h"

/* The first day a kiosk clock can be right: before it, the clock was reset. */
#define KIOSK_CLOCK_MIN_YEAR 2025

static int cmp_commune(const void *x, const void *y, void *ctx);

static app_t *sort_app; /* qsort has no context argument in C11 */

static int cmp_order(const void *x, const void *y)
{
    return cmp_commune(x, y, sort_app);
}

static int cmp_commune(const void *x, const void *y, void *ctx)
{
    const app_t *a = ctx;
    int i = *(const int *)x, j = *(const int *)y, c = strcmp(a->commune_norm[i], a->commune_norm[j]);

    return c != 0 ? c : i - j;
}

static int index_communes(app_t *a, char *why, size_t whylen)
{
    int i, n = a->pkg->n_communes;

    a->commune_norm = calloc((size_t)n, sizeof *a->commune_norm);
    a->commune_order = calloc((size_t)n, sizeof *a->commune_order);
    if (a->commune_norm == NULL || a->commune_order == NULL)
        return bn_fail(why, whylen, BN_ENOMEM, "commune index");
    for (i = 0; i < n; i++) {
        char buf[256];
        if (pseud_normalise(a->pkg->communes[i].name, buf, sizeof buf) != 0)
            buf[0] = '\0';
        a->commune_norm[i] = strdup(buf);
        if (a->commune_norm[i] == NULL)
            return bn_fail(why, whylen, BN_ENOMEM, "commune index");
        a->commune_order[i] = i;
    }
    sort_app = a;
    qsort(a->commune_order, (size_t)n, sizeof *a->commune_order, cmp_order);
    return 0;
}

static int has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), k = strlen(suf);
    return n >= k && strcmp(s + n - k, suf) == 0;
}

int kiosk_open(app_t *a, const char *dir, uint32_t today, char *why, size_t whylen)
{
    char path[1024], w[400] = "", state[32];
    key_pub_t auth;
    DIR *d = NULL;
    struct dirent *e;
    uint8_t *file = NULL, *stored = NULL, secret[32];
    size_t len = 0, slen = 0;
    int rc, y, m, dd;

    day_to_ymd(today, &y, &m, &dd);
    if (y < KIOSK_CLOCK_MIN_YEAR) {
        rc = bn_fail(w, sizeof w, BN_ERANGE, "clock is wrong: today is %04d-%02d-%02d", y, m, dd);
        goto out;
    }
    a->today = today;
    snprintf(path, sizeof path, "%s/authority.pub.pem", dir);
    if ((rc = key_pub_load(path, &auth, w, sizeof w)) != 0)
        goto out;
    if ((d = opendir(dir)) == NULL) {
        rc = bn_fail(w, sizeof w, BN_EIO, "%s: %s", dir, strerror(errno));
        goto out;
    }
    rc = bn_fail(w, sizeof w, BN_ENOTFOUND, "no budget package (*.bpkg) in %s", dir);
    while ((e = readdir(d)) != NULL && a->pkg == NULL) {
        pkg_t *p = NULL;
        char pw[300] = "";
        if (!has_suffix(e->d_name, ".bpkg"))
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        free(file);
        file = NULL;
        if ((rc = pkg_read_file(path, &file, &len, w, sizeof w)) != 0)
            continue;
        rc = pkg_open(file, len, &auth, "35", today, &p, pw, sizeof pw);
        if (rc != 0) {
            bn_fail(w, sizeof w, rc, "%s: %s", e->d_name, pw);
            continue;
        }
        if (p->kind != PKG_BUDGET) {
            rc = bn_fail(w, sizeof w, BN_EKIND, "%s is not a budget vote", e->d_name);
            pkg_free(p);
            continue;
        }
        a->pkg = p;
    }
    if (a->pkg == NULL)
        goto out;

    snprintf(path, sizeof path, "%s/kiosk.db", dir);
    if ((rc = store_open(path, &a->store, w, sizeof w)) != 0)
        goto out;
    /* Secrecy (store.c, S6): no trace of a cast order survives a restart. */
    if ((rc = store_compact(a->store, w, sizeof w)) != 0)
        goto out;
    if ((rc = store_get_campaign(a->store, a->pkg->id, &stored, &slen, secret)) != 0) {
        rc = bn_fail(w, sizeof w, rc, "campaign '%s' is not in the store", a->pkg->id);
        goto out;
    }
    memcpy(a->secret, secret, sizeof secret);
    snprintf(path, sizeof path, "polls:%s", a->pkg->id);
    if (store_meta_get(a->store, path, state, sizeof state) != 0 || strcmp(state, "open") != 0) {
        rc = bn_fail(w, sizeof w, BN_ECLOSED, "polls of '%s' are not open", a->pkg->id);
        goto out;
    }
    if (today < a->pkg->opens || today > a->pkg->closes) {
        rc = bn_fail(w, sizeof w, BN_ECLOSED, "polls of '%s' are not open today", a->pkg->id);
        goto out;
    }
    if ((rc = rng_open(&a->rng)) != 0) {
        bn_fail(w, sizeof w, rc, "random generator");
        goto out;
    }
    snprintf(path, sizeof path, "%s/kiosk.key", dir);
    if ((rc = key_load(path, a->rng, &a->kiosk, w, sizeof w)) != 0)
        goto out;
    key_signer(a->kiosk, &a->signer);
    if ((rc = index_communes(a, w, sizeof w)) != 0)
        goto out;
    (void)store_audit_append(a->store, "kiosk-started", a->pkg->id);
    a->scr = SCR_WELCOME;
    app_reset_session(a);
out:
    if (d != NULL)
        closedir(d);
    free(file);
    free(stored);
    memset(secret, 0, sizeof secret);
    if (rc != 0) {
        app_out_of_service(a, w);
        if (why != NULL)
            snprintf(why, whylen, "%s", w);
    }
    return rc;
}

static int write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    int ok = f != NULL && fwrite(data, 1, len, f) == len;

    if (f != NULL && fclose(f) != 0)
        ok = 0;
    return ok ? 0 : BN_EIO;
}

int kiosk_init_demo(const char *dir, const char *assets, char *why, size_t whylen)
{
    char path[1024], key[64];
    rng_t *rng = NULL;
    key_pair_t *auth = NULL, *kiosk = NULL;
    signer_t as, ks;
    uint8_t *src = NULL, secret[32];
    char *signed_pkg = NULL;
    size_t srclen = 0, signedlen = 0;
    pkg_t *draft = NULL;
    store_t *st = NULL;
    int rc;

    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return bn_fail(why, whylen, BN_EIO, "cannot create %s: %s", dir, strerror(errno));
    snprintf(path, sizeof path, "%s/kiosk.db", dir);
    (void)unlink(path);
    if ((rc = rng_open(&rng)) != 0 || (rc = key_generate(rng, &auth)) != 0 ||
        (rc = key_generate(rng, &kiosk)) != 0) {
        bn_fail(why, whylen, rc, "key generation");
        goto out;
    }
    key_signer(auth, &as);
    key_signer(kiosk, &ks);
    snprintf(path, sizeof path, "%s/authority.key", dir);
    rc = key_save(auth, path);
    snprintf(path, sizeof path, "%s/authority.pub.pem", dir);
    if (rc == 0)
        rc = key_pub_save(&as.pub, path);
    snprintf(path, sizeof path, "%s/kiosk.key", dir);
    if (rc == 0)
        rc = key_save(kiosk, path);
    snprintf(path, sizeof path, "%s/kiosk.pub.pem", dir);
    if (rc == 0)
        rc = key_pub_save(&ks.pub, path);
    if (rc != 0) {
        bn_fail(why, whylen, rc, "saving keys in %s", dir);
        goto out;
    }
    snprintf(path, sizeof path, "%s/campaigns/demo-budget.json", assets);
    if ((rc = pkg_read_file(path, &src, &srclen, why, whylen)) != 0 ||
        (rc = pkg_parse((char *)src, srclen, &draft, why, whylen)) != 0 ||
        (rc = pkg_sign((char *)src, srclen, &as, &signed_pkg, &signedlen, why, whylen)) != 0)
        goto out;
    snprintf(path, sizeof path, "%s/%s.bpkg", dir, draft->id);
    if ((rc = write_file(path, signed_pkg, signedlen)) != 0) {
        bn_fail(why, whylen, rc, "cannot write %s", path);
        goto out;
    }
    snprintf(path, sizeof path, "%s/kiosk.db", dir);
    if ((rc = store_open(path, &st, why, whylen)) != 0)
        goto out;
    snprintf(key, sizeof key, "polls:%s", draft->id);
    if ((rc = rng_bytes(rng, secret, sizeof secret)) != 0 ||
        (rc = store_put_campaign(st, draft->id, (uint8_t *)signed_pkg, signedlen, secret)) != 0 ||
        (rc = store_audit_append(st, "package-loaded", draft->id)) != 0 ||
        (rc = store_meta_set(st, key, "open")) != 0 ||
        (rc = store_audit_append(st, "polls-opened", draft->id)) != 0) {
        bn_fail(why, whylen, rc, "store %s", path);
        goto out;
    }
out:
    memset(secret, 0, sizeof secret);
    store_close(st);
    pkg_free(draft);
    free(src);
    free(signed_pkg);
    key_free(auth);
    key_free(kiosk);
    rng_close(rng);
    return rc;
}

typedef struct check_s {
    key_pub_t pub;
    int64_t n, ok;
} check_t;

static int check_one(void *arg, const uint8_t *ballot, size_t len)
{
    check_t *c = arg;

    c->n++;
    if (ballot_verify(ballot, len, &c->pub) == 0)
        c->ok++;
    return 0;
}

int kiosk_check_state(const char *dir, char *why, size_t whylen)
{
    char path[1024];
    store_t *st = NULL;
    check_t c;
    DIR *d = NULL;
    struct dirent *e;
    int rc, bad = 0;

    memset(&c, 0, sizeof c);
    snprintf(path, sizeof path, "%s/kiosk.pub.pem", dir);
    if ((rc = key_pub_load(path, &c.pub, why, whylen)) != 0)
        return rc;
    snprintf(path, sizeof path, "%s/kiosk.db", dir);
    if ((rc = store_open(path, &st, why, whylen)) != 0)
        return rc;
    if ((rc = store_check(st, why, whylen)) != 0)
        goto out;
    if ((rc = store_each_ballot(st, NULL, check_one, &c)) != 0) {
        bn_fail(why, whylen, rc, "reading the box");
        goto out;
    }
    printf("ballots %lld\nverified %lld\n", (long long)c.n, (long long)c.ok);
    if (c.ok != c.n)
        bad = 1;
    /* per campaign: the packages of the directory name them */
    if ((d = opendir(dir)) != NULL) {
        while ((e = readdir(d)) != NULL) {
            char id[64];
            size_t n = strlen(e->d_name);
            int64_t reg = 0, box = 0;
            if (!has_suffix(e->d_name, ".bpkg") || n - 5 >= sizeof id)
                continue;
            memcpy(id, e->d_name, n - 5);
            id[n - 5] = '\0';
            if (store_counts(st, id, &reg, &box) != 0)
                continue;
            printf("campaign %s registered %lld ballots %lld\n", id, (long long)reg,
                   (long long)box);
            if (reg != box)
                bad = 1;
        }
        closedir(d);
    }
    if (bad)
        rc = bn_fail(why, whylen, BN_ECORRUPT, "a ballot does not verify or counts differ");
out:
    store_close(st);
    return rc;
}
