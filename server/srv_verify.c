/* srv_verify.c - bundle verification with OpenSSL on every core (srv_verify.h). */
#include "srv_verify.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include "ballot.h"
#include "bn_err.h"
#include "hex.h"
#include "key.h"
#include "petition.h"
#include "report.h"

/* n/2 for P-256: a signature with s above it is the high-s twin, refused (key.h). */
static const uint8_t half_n[32] = {
    0x7f, 0xff, 0xff, 0xff, 0x80, 0x00, 0x00, 0x00, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xde, 0x73, 0x7d, 0x56, 0xd3, 0x8b, 0xcf, 0x42, 0x79, 0xdc, 0xe5, 0x61, 0x7e, 0x31, 0x92, 0xa8};

static EVP_PKEY *pkey_of(const key_pub_t *p)
{
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    OSSL_PARAM *params = NULL;
    EVP_PKEY_CTX *ctx = NULL;
    EVP_PKEY *k = NULL;

    if (bld == NULL ||
        !OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) ||
        !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, p->pub, KEY_PUB_LEN) ||
        (params = OSSL_PARAM_BLD_to_param(bld)) == NULL ||
        (ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL)) == NULL ||
        EVP_PKEY_fromdata_init(ctx) != 1 ||
        EVP_PKEY_fromdata(ctx, &k, EVP_PKEY_PUBLIC_KEY, params) != 1)
        k = NULL;
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    return k;
}

/* Verifies with a context made by EVP_PKEY_verify_init. */
static int verify_ctx(EVP_PKEY_CTX *ctx, const uint8_t *msg, size_t len, const uint8_t sig[64])
{
    uint8_t digest[32], der[KEY_SIG_DER_MAX];
    size_t dl;

    if (memcmp(sig + 32, half_n, 32) > 0)
        return BN_EBADSIG;
    if (key_sig_to_der(sig, der, sizeof der, &dl) != 0)
        return BN_EBADSIG;
    key_sha256(msg, len, digest);
    return EVP_PKEY_verify(ctx, der, dl, digest, 32) == 1 ? 0 : BN_EBADSIG;
}

int srv_verify_msg(const key_pub_t *p, const uint8_t *msg, size_t len, const uint8_t sig[64])
{
    EVP_PKEY *k = pkey_of(p);
    EVP_PKEY_CTX *ctx = k ? EVP_PKEY_CTX_new(k, NULL) : NULL;
    int rc = BN_EBADSIG;

    if (ctx != NULL && EVP_PKEY_verify_init(ctx) == 1)
        rc = verify_ctx(ctx, msg, len, sig);
    EVP_PKEY_CTX_free(ctx);
    EVP_PKEY_free(k);
    return rc;
}

/* A ballot or a petition signature record: where its kiosk key id sits and
 * how many bytes the kiosk signed (the signature follows them). */
typedef struct item_s {
    const uint8_t *p;
    size_t len;
    size_t kid_off, signed_len;
} item_t;

typedef struct job_s {
    EVP_PKEY *key;
    const uint8_t *kiosk_id;
    const item_t *items;
    size_t n, first, step;
    size_t bad;         /* index of the first failing item found, or n */
    int rc;
} job_t;

/* Verifies items first, step, first + step, ...: kiosk id and signature. */
static void *work(void *arg)
{
    job_t *j = arg;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(j->key, NULL);
    size_t i;

    j->bad = j->n;
    j->rc = 0;
    if (ctx == NULL || EVP_PKEY_verify_init(ctx) != 1) {
        j->rc = BN_ECRYPTO;
        j->bad = j->first;
        goto out;
    }
    for (i = j->first; i < j->n; i += j->step) {
        const item_t *it = &j->items[i];
        int rc;

        /* bundle_decode already decoded every ballot and record strictly */
        if (memcmp(it->p + it->kid_off, j->kiosk_id, KEY_ID_LEN) != 0)
            rc = BN_EWRONGKEY;
        else
            rc = verify_ctx(ctx, it->p, it->signed_len, it->p + it->signed_len);
        if (rc != 0) {
            j->rc = rc;
            j->bad = i;
            break;
        }
    }
out:
    EVP_PKEY_CTX_free(ctx);
    return NULL;
}

#define MAX_THREADS 64

int srv_verify_bundle(const uint8_t *buf, size_t len, const uint8_t *ca_der, size_t ca_len,
                      const cert_revoked_t *revoked, uint32_t today, int threads,
                      bundle_t *out, cert_info_t *kiosk, char *why, size_t whylen)
{
    bundle_t b;
    cert_info_t ci;
    char inner[200], kid[2 * KEY_ID_LEN + 1], bid[2 * BALLOT_ID_LEN + 1];
    item_t *items = NULL;
    job_t jobs[MAX_THREADS];
    pthread_t th[MAX_THREADS];
    EVP_PKEY *key = NULL;
    size_t pos = 0, i, bad, n_items;
    int rc, t, nt, started = 0, brc = 0;

    rc = bundle_decode(buf, len, &b, why, whylen);
    if (rc != 0)
        return rc;
    rc = cert_verify(b.cert, b.cert_len, ca_der, ca_len, today, CERT_KIOSK, NULL, &ci, inner,
                     sizeof inner);
    if (rc != 0)
        return bn_fail(why, whylen, rc, "bundle: kiosk %s", inner);
    hex_encode(ci.pub.id, 8, kid);
    if (revoked != NULL) {
        key_pub_t ca_key;

        if (cert_key(ca_der, ca_len, &ca_key) != 0 ||
            memcmp(revoked->authority, ca_key.id, KEY_ID_LEN) != 0)
            return bn_fail(why, whylen, BN_EINVAL, "bundle: the revocation list is not the "
                           "authority's");
        if (cert_is_revoked(revoked, ci.pub.id))
            return bn_fail(why, whylen, BN_EREVOKED, "bundle: kiosk %s (key %s...) is revoked",
                           ci.name, kid);
    }
    key = pkey_of(&ci.pub);
    if (key == NULL)
        return bn_fail(why, whylen, BN_ECRYPTO, "bundle: kiosk %s: OpenSSL refuses its key",
                       ci.name);
    if (srv_verify_msg(&ci.pub, buf, b.signed_len, b.sig) != 0) {
        rc = bn_fail(why, whylen, BN_EBADSIG, "bundle: kiosk %s: bundle signature does not "
                     "match", ci.name);
        goto out;
    }
    /* ballots, then petition records (bundle_verify's order, steps 5 and 6) */
    n_items = (size_t)b.n_ballots + b.n_signatures;
    items = calloc(n_items ? n_items : 1, sizeof *items);
    if (items == NULL) {
        rc = BN_ENOMEM;
        goto out;
    }
    for (i = 0; bundle_next_ballot(&b, &pos, &items[i].p, &items[i].len); i++) {
        items[i].kid_off = 28;
        items[i].signed_len = items[i].len - KEY_SIG_LEN;
    }
    for (i = 0; i < b.n_signatures; i++) {
        item_t *it = &items[b.n_ballots + i];

        it->p = bundle_signature_at(&b, (uint32_t)i);
        it->len = PETITION_LEN;
        it->kid_off = 26;
        it->signed_len = PETITION_SIGNED_LEN;
    }
    nt = threads < 1 ? 1 : threads > MAX_THREADS ? MAX_THREADS : threads;
    if ((size_t)nt > n_items / 64 + 1)
        nt = (int)(n_items / 64 + 1);
    for (t = 0; t < nt; t++) {
        jobs[t] = (job_t){.key = key, .kiosk_id = ci.pub.id, .items = items, .n = n_items,
                          .first = (size_t)t, .step = (size_t)nt};
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
    bad = n_items;
    for (t = 0; t < nt; t++)
        if (jobs[t].rc != 0 && jobs[t].bad < bad) {
            bad = jobs[t].bad;
            brc = jobs[t].rc;
        }
    if (bad < n_items && bad >= b.n_ballots) {
        hex_encode(items[bad].p + PETITION_OFF_ID, PETITION_ID_LEN, bid);
        rc = bn_fail(why, whylen, brc, "bundle: kiosk %s: signature %zu (id %s): %s", ci.name,
                     bad - b.n_ballots, bid, brc == BN_EWRONGKEY ? "signed by another kiosk"
                                                                 : "signature does not match");
        goto out;
    }
    if (bad < n_items) {
        hex_encode(items[bad].p + 12, BALLOT_ID_LEN, bid);
        rc = bn_fail(why, whylen, brc, "bundle: kiosk %s: ballot %zu (id %s): %s", ci.name, bad,
                     bid, brc == BN_EWRONGKEY ? "signed by another kiosk"
                                              : "signature does not match");
        goto out;
    }
    for (i = 0; i < b.n_reports; i++) {
        size_t rl;
        const uint8_t *r = bundle_report_at(&b, (uint32_t)i, &rl);

        if (memcmp(r + 21, ci.pub.id, KEY_ID_LEN) != 0) {
            rc = bn_fail(why, whylen, BN_EWRONGKEY, "bundle: kiosk %s: report %zu: signed by"
                         " another kiosk", ci.name, i);
            goto out;
        }
        if (srv_verify_msg(&ci.pub, r, rl - KEY_SIG_LEN, r + rl - KEY_SIG_LEN) != 0) {
            rc = bn_fail(why, whylen, BN_EBADSIG, "bundle: kiosk %s: report %zu: signature does"
                         " not match", ci.name, i);
            goto out;
        }
    }
    if (out != NULL)
        *out = b;
    if (kiosk != NULL)
        *kiosk = ci;
    rc = 0;
out:
    free(items);
    EVP_PKEY_free(key);
    return rc;
}
