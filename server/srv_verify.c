/* srv_verify.c - bundle verification on every core (srv_verify.h): the one
 * core of bundle.h (bundle_open, bundle_items, bundle_item_check) with the
 * OpenSSL backend of sigverify.h, the items spread over threads. */
#include "srv_verify.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "bn_err.h"
#include "sigverify_openssl.h"

typedef struct job_s {
    const key_pub_t *pub;
    const bundle_item_t *items;
    size_t n, first, step;
    size_t bad;         /* index of the first failing item found, or n */
    int rc;
} job_t;

/* Checks items first, first + step, ...: each thread with its own key. */
static void *work(void *arg)
{
    job_t *j = arg;
    sigverify_key_t *k = NULL;
    size_t i;

    j->bad = j->n;
    j->rc = 0;
    if ((j->rc = sigverify_key_new(&sigverify_openssl, j->pub, &k)) != 0) {
        j->bad = j->first;
        return NULL;
    }
    for (i = j->first; i < j->n; i += j->step) {
        int rc = bundle_item_check(&j->items[i], k);

        if (rc != 0) {
            j->rc = rc;
            j->bad = i;
            break;
        }
    }
    sigverify_key_free(k);
    return NULL;
}

#define MAX_THREADS 64

int srv_verify_bundle(const uint8_t *buf, size_t len, const uint8_t *ca_der, size_t ca_len,
                      const cert_revoked_t *revoked, uint32_t today, int threads,
                      bundle_t *out, cert_info_t *kiosk, char *why, size_t whylen)
{
    bundle_trust_t trust = {ca_der, ca_len, revoked, today};
    bundle_item_t *items = NULL;
    job_t jobs[MAX_THREADS];
    pthread_t th[MAX_THREADS];
    bundle_t b;
    cert_info_t ci;
    job_t first;
    size_t n = 0, bad;
    int rc, t, nt, started = 0, brc = 0;

    if ((rc = bundle_open(buf, len, &trust, &b, &ci, why, whylen)) != 0)
        return rc;
    if ((rc = bundle_items(buf, &b, &items, &n)) != 0)
        return rc;
    /* the bundle signature first (item 0), then the rest on every core */
    first = (job_t){.pub = &ci.pub, .items = items, .n = 1, .first = 0, .step = 1};
    work(&first);
    if (first.rc != 0) {
        rc = bundle_item_fail(&items[0], ci.name, first.rc, why, whylen);
        goto out;
    }
    nt = threads < 1 ? 1 : threads > MAX_THREADS ? MAX_THREADS : threads;
    if ((size_t)nt > n / 64 + 1)
        nt = (int)(n / 64 + 1);
    for (t = 0; t < nt; t++) {
        jobs[t] = (job_t){.pub = &ci.pub, .items = items, .n = n, .first = 1 + (size_t)t,
                          .step = (size_t)nt};
        if (t > 0 && pthread_create(&th[t], NULL, work, &jobs[t]) == 0) {
            started = t;
            continue;
        }
        if (t > 0) { /* no thread: do its share here */
            work(&jobs[t]);
            started = t;
        }
    }
    work(&jobs[0]);
    for (t = 1; t <= started; t++)
        pthread_join(th[t], NULL);
    /* the first failing item, as the sequential check would name it */
    bad = n;
    for (t = 0; t < nt; t++)
        if (jobs[t].rc != 0 && jobs[t].bad < bad) {
            bad = jobs[t].bad;
            brc = jobs[t].rc;
        }
    if (bad < n) {
        rc = brc == BN_EWRONGKEY || brc == BN_EBADSIG
                 ? bundle_item_fail(&items[bad], ci.name, brc, why, whylen)
                 : bn_fail(why, whylen, brc, "bundle: kiosk %s: OpenSSL refuses its key", ci.name);
        goto out;
    }
    if (out != NULL)
        *out = b;
    if (kiosk != NULL)
        *kiosk = ci;
    rc = 0;
out:
    free(items);
    return rc;
}
