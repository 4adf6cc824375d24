/* sigverify_openssl.c - the OpenSSL backend of sigverify.h (EVP, no
 * deprecated API): the curve arithmetic only, the ranges are sigverify.c's. */
#include "sigverify_openssl.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "bn_err.h"

typedef struct ossl_s {
    EVP_PKEY *pkey;
    EVP_PKEY_CTX *ctx;        /* initialised once for verification with SHA-256 */
} ossl_t;

/* SubjectPublicKeyInfo of a P-256 key, before the 65-byte point. */
static const uint8_t spki_prefix[26] = {
    0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01,
    0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00};

static void ossl_free(void *state)
{
    ossl_t *o = state;

    if (o == NULL)
        return;
    EVP_PKEY_CTX_free(o->ctx);
    EVP_PKEY_free(o->pkey);
    free(o);
}

static int ossl_new(const key_pub_t *pub, void **state)
{
    uint8_t der[sizeof spki_prefix + KEY_PUB_LEN];
    const unsigned char *p = der;
    ossl_t *o;

    *state = NULL;
    if ((o = calloc(1, sizeof *o)) == NULL)
        return BN_ENOMEM;
    memcpy(der, spki_prefix, sizeof spki_prefix);
    memcpy(der + sizeof spki_prefix, pub->pub, KEY_PUB_LEN);
    if ((o->pkey = d2i_PUBKEY(NULL, &p, (long)sizeof der)) == NULL || p != der + sizeof der ||
        EVP_PKEY_get_base_id(o->pkey) != EVP_PKEY_EC) {
        ossl_free(o);
        return BN_EKEY;
    }
    /* One context for every verification with this key: making one per
     * signature costs a provider fetch, a third of the time of a verify. */
    if ((o->ctx = EVP_PKEY_CTX_new(o->pkey, NULL)) == NULL || EVP_PKEY_verify_init(o->ctx) != 1 ||
        EVP_PKEY_CTX_set_signature_md(o->ctx, EVP_sha256()) != 1) {
        ossl_free(o);
        return BN_ENOMEM;
    }
    *state = o;
    return 0;
}

static int ossl_verify(void *state, const uint8_t digest[32], const uint8_t sig[KEY_SIG_LEN])
{
    ossl_t *o = state;
    uint8_t der[KEY_SIG_DER_MAX];
    size_t dl;

    if (key_sig_to_der(sig, der, sizeof der, &dl) != 0)
        return BN_EBADSIG;
    return EVP_PKEY_verify(o->ctx, der, dl, digest, 32) == 1 ? 0 : BN_EBADSIG;
}

const sigverify_backend_t sigverify_openssl = {"openssl", ossl_new, ossl_free, ossl_verify};
