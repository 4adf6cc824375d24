/* sigcheck.c - ECDSA P-256 verification with OpenSSL's libcrypto (EVP, no
 * deprecated API), same contract as key_verify. */
#include "sigcheck.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "ballot.h"
#include "bn_err.h"

struct sigcheck_key_s {
    EVP_PKEY *pkey;
    EVP_PKEY_CTX *ctx;        /* initialised once for verification with SHA-256 */
    uint8_t id[KEY_ID_LEN];
};

/* SubjectPublicKeyInfo of a P-256 key, before the 65-byte point. */
static const uint8_t spki_prefix[26] = {
    0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01,
    0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00};

/* The group order n of P-256, and n/2 (rounded down), big-endian. */
static const uint8_t order_n[32] = {
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51};
static const uint8_t half_n[32] = {
    0x7f, 0xff, 0xff, 0xff, 0x80, 0x00, 0x00, 0x00, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xde, 0x73, 0x7d, 0x56, 0xd3, 0x8b, 0xcf, 0x42, 0x79, 0xdc, 0xe5, 0x61, 0x7e, 0x31, 0x92, 0xa8};

int sigcheck_key(const key_pub_t *pub, sigcheck_key_t **out)
{
    uint8_t der[sizeof spki_prefix + KEY_PUB_LEN];
    const unsigned char *p = der;
    sigcheck_key_t *k;

    *out = NULL;
    if ((k = calloc(1, sizeof *k)) == NULL)
        return BN_ENOMEM;
    memcpy(der, spki_prefix, sizeof spki_prefix);
    memcpy(der + sizeof spki_prefix, pub->pub, KEY_PUB_LEN);
    if ((k->pkey = d2i_PUBKEY(NULL, &p, (long)sizeof der)) == NULL ||
        p != der + sizeof der || EVP_PKEY_get_base_id(k->pkey) != EVP_PKEY_EC) {
        sigcheck_key_free(k);
        return BN_EKEY;
    }
    /* One context for every verification with this key: making one per
     * signature costs a provider fetch, a third of the time of a verify. */
    if ((k->ctx = EVP_PKEY_CTX_new(k->pkey, NULL)) == NULL || EVP_PKEY_verify_init(k->ctx) != 1 ||
        EVP_PKEY_CTX_set_signature_md(k->ctx, EVP_sha256()) != 1) {
        sigcheck_key_free(k);
        return BN_ENOMEM;
    }
    memcpy(k->id, pub->id, KEY_ID_LEN);
    *out = k;
    return 0;
}

void sigcheck_key_free(sigcheck_key_t *k)
{
    if (k == NULL)
        return;
    EVP_PKEY_CTX_free(k->ctx);
    EVP_PKEY_free(k->pkey);
    free(k);
}

static int is_zero(const uint8_t *x)
{
    int i;

    for (i = 0; i < 32; i++)
        if (x[i] != 0)
            return 0;
    return 1;
}

int sigcheck_digest(const sigcheck_key_t *k, const uint8_t digest[32], const uint8_t sig[KEY_SIG_LEN])
{
    ECDSA_SIG *es = NULL;
    BIGNUM *r = NULL, *s = NULL;
    unsigned char der[80], *p = der;
    int len, rc = BN_EBADSIG;

    /* 1 <= r < n, 1 <= s <= n/2: the one low-s signature (key.h) */
    if (is_zero(sig) || memcmp(sig, order_n, 32) >= 0 || is_zero(sig + 32) ||
        memcmp(sig + 32, half_n, 32) > 0)
        return BN_EBADSIG;
    if ((es = ECDSA_SIG_new()) == NULL || (r = BN_bin2bn(sig, 32, NULL)) == NULL ||
        (s = BN_bin2bn(sig + 32, 32, NULL)) == NULL || ECDSA_SIG_set0(es, r, s) != 1) {
        BN_free(r);
        BN_free(s);
        rc = BN_ENOMEM;
        goto out;
    }
    if ((len = i2d_ECDSA_SIG(es, NULL)) <= 0 || len > (int)sizeof der || i2d_ECDSA_SIG(es, &p) != len)
        goto out;
    if (EVP_PKEY_verify(k->ctx, der, (size_t)len, digest, 32) == 1)
        rc = 0;
out:
    ECDSA_SIG_free(es);
    return rc;
}

int sigcheck_msg(const sigcheck_key_t *k, const void *msg, size_t len, const uint8_t sig[KEY_SIG_LEN])
{
    uint8_t digest[32];

    key_sha256(msg, len, digest);
    return sigcheck_digest(k, digest, sig);
}

int sigcheck_ballot(const sigcheck_key_t *k, const uint8_t *buf, size_t len)
{
    ballot_t b;
    int rc;

    if ((rc = ballot_decode(buf, len, &b, NULL, 0)) != 0)
        return rc;
    if (memcmp(b.kiosk, k->id, KEY_ID_LEN) != 0)
        rc = BN_EWRONGKEY;
    else
        rc = sigcheck_msg(k, buf, len - KEY_SIG_LEN, buf + len - KEY_SIG_LEN);
    OPENSSL_cleanse(&b, sizeof b);  /* (DESIGN-S3) the choices do not outlive the check */
    return rc;
}
