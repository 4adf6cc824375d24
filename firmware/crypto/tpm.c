/* tpm.c - the kiosk's key in a TPM 2.0 through tpm2-tss's ESAPI (tpm.h). */
#include "tpm.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <tss2/tss2_esys.h>
#include <tss2/tss2_rc.h>
#include <tss2/tss2_tctildr.h>

#include <mbedtls/platform_util.h>

#include "bn_err.h"

struct tpm_s {
    TSS2_TCTI_CONTEXT *tcti;
    ESYS_CONTEXT *esys;
    ESYS_TR key;                 /* ESYS_TR_NONE until tpm_key */
    pthread_mutex_t mu;          /* ESAPI is not thread-safe: the cast and the
                                  * link's thread both sign */
};

int tpm_open(const char *tcti, tpm_t **out, char *why, size_t whylen)
{
    tpm_t *t = calloc(1, sizeof *t);
    TSS2_RC r;
    int rc;

    *out = NULL;
    if (t == NULL)
        return bn_fail(why, whylen, BN_ENOMEM, "tpm: out of memory");
    t->key = ESYS_TR_NONE;
    pthread_mutex_init(&t->mu, NULL);
    r = Tss2_TctiLdr_Initialize(tcti, &t->tcti);
    if (r != TSS2_RC_SUCCESS) {
        rc = bn_fail(why, whylen, BN_EIO, "tpm %s: cannot connect: %s", tcti ? tcti : "(default)",
                     Tss2_RC_Decode(r));
        goto fail;
    }
    r = Esys_Initialize(&t->esys, t->tcti, NULL);
    if (r != TSS2_RC_SUCCESS) {
        rc = bn_fail(why, whylen, BN_EIO, "tpm %s: %s", tcti ? tcti : "(default)",
                     Tss2_RC_Decode(r));
        goto fail;
    }
    *out = t;
    return 0;
fail:
    tpm_close(t);
    return rc;
}

void tpm_close(tpm_t *t)
{
    if (t == NULL)
        return;
    if (t->esys != NULL) {
        if (t->key != ESYS_TR_NONE)
            (void)Esys_FlushContext(t->esys, t->key);
        Esys_Finalize(&t->esys);
    }
    if (t->tcti != NULL)
        Tss2_TctiLdr_Finalize(&t->tcti);
    pthread_mutex_destroy(&t->mu);
    free(t);
}

/* (TPM-T2) signer_t.sign: r || s of the TPM's ECDSA signature of `digest`. */
static int tpm_sign(void *ctx, const uint8_t digest[32], uint8_t sig[KEY_SIG_LEN])
{
    tpm_t *t = ctx;
    TPM2B_DIGEST d = {.size = 32};
    TPMT_SIG_SCHEME scheme = {.scheme = TPM2_ALG_ECDSA,
                              .details = {.ecdsa = {.hashAlg = TPM2_ALG_SHA256}}};
    TPMT_TK_HASHCHECK none = {.tag = TPM2_ST_HASHCHECK, .hierarchy = TPM2_RH_NULL};
    TPMT_SIGNATURE *s = NULL;
    const TPM2B_ECC_PARAMETER *rr, *ss;
    TSS2_RC r;
    int rc = BN_ECRYPTO;

    memcpy(d.buffer, digest, 32);
    pthread_mutex_lock(&t->mu);
    r = Esys_Sign(t->esys, t->key, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE, &d, &scheme,
                  &none, &s);
    pthread_mutex_unlock(&t->mu);
    if (r != TSS2_RC_SUCCESS)
        goto out;
    if (s->sigAlg != TPM2_ALG_ECDSA)
        goto out;
    rr = &s->signature.ecdsa.signatureR;
    ss = &s->signature.ecdsa.signatureS;
    if (rr->size == 0 || rr->size > 32 || ss->size == 0 || ss->size > 32)
        goto out;
    /* big-endian integers, right-aligned in 32 bytes */
    memset(sig, 0, KEY_SIG_LEN);
    memcpy(sig + 32 - rr->size, rr->buffer, rr->size);
    memcpy(sig + 64 - ss->size, ss->buffer, ss->size);
    /* a TPM gives either s; the formats take the low one only (key.h) */
    rc = key_sig_low_s(sig);
out:
    Esys_Free(s);
    return rc;
}

int tpm_ecdh(void *ctx, const uint8_t peer[KEY_PUB_LEN], uint8_t z[32])
{
    tpm_t *t = ctx;
    TPM2B_ECC_POINT in = {0};
    TPM2B_ECC_POINT *zp = NULL;
    TSS2_RC r;
    int rc = BN_ECRYPTO;

    if (peer[0] != 0x04)
        return BN_EFORMAT;
    in.point.x.size = 32;
    memcpy(in.point.x.buffer, peer + 1, 32);
    in.point.y.size = 32;
    memcpy(in.point.y.buffer, peer + 33, 32);
    pthread_mutex_lock(&t->mu);
    r = Esys_ECDH_ZGen(t->esys, t->key, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE, &in, &zp);
    pthread_mutex_unlock(&t->mu);
    if (r != TSS2_RC_SUCCESS)
        goto out;
    if (zp->point.x.size == 0 || zp->point.x.size > 32)
        goto out;
    memset(z, 0, 32);
    memcpy(z + 32 - zp->point.x.size, zp->point.x.buffer, zp->point.x.size);
    rc = 0;
out:
    if (zp != NULL) {
        mbedtls_platform_zeroize(zp, sizeof *zp);
        Esys_Free(zp);
    }
    return rc;
}

/* 1 when the TPM refused an authorisation (a format-one TPM code, whatever
 * handle or session it names): here, the owner hierarchy's password. */
static int auth_refused(TSS2_RC r)
{
    TSS2_RC base = r & (TPM2_RC_FMT1 | 0x3F);

    return (r & TSS2_RC_LAYER_MASK) == TSS2_TPM_RC_LAYER && (r & TPM2_RC_FMT1) != 0 &&
           (base == TPM2_RC_AUTH_FAIL || base == TPM2_RC_BAD_AUTH);
}

int tpm_key(tpm_t *t, signer_t *out, char *why, size_t whylen)
{
    static const char unique[] = TPM_UNIQUE;
    TPM2B_SENSITIVE_CREATE sens = {0};
    TPM2B_PUBLIC in = {0};
    TPM2B_DATA outside = {0};
    TPML_PCR_SELECTION pcrs = {0};
    TPM2B_PUBLIC *pub = NULL;
    TPM2B_CREATION_DATA *cdata = NULL;
    TPM2B_DIGEST *chash = NULL;
    TPMT_TK_CREATION *ticket = NULL;
    uint8_t point[KEY_PUB_LEN];
    const TPMS_ECC_POINT *q;
    TSS2_RC r;
    int rc;

    memset(out, 0, sizeof *out);
    /* (TPM-T1) made inside, bound to this TPM, to sign and to agree secrets (ECDH) */
    in.publicArea.type = TPM2_ALG_ECC;
    in.publicArea.nameAlg = TPM2_ALG_SHA256;
    /* sign (ECDSA, the scheme given at each signature) and decrypt (ECDH:
     * the seals of a provisioning bundle), unrestricted, one key as a file
     * key is one */
    in.publicArea.objectAttributes = TPMA_OBJECT_SIGN_ENCRYPT | TPMA_OBJECT_DECRYPT |
                                     TPMA_OBJECT_FIXEDTPM | TPMA_OBJECT_FIXEDPARENT |
                                     TPMA_OBJECT_SENSITIVEDATAORIGIN |
                                     TPMA_OBJECT_USERWITHAUTH | TPMA_OBJECT_NODA;
    in.publicArea.parameters.eccDetail.symmetric.algorithm = TPM2_ALG_NULL;
    in.publicArea.parameters.eccDetail.scheme.scheme = TPM2_ALG_NULL;
    in.publicArea.parameters.eccDetail.curveID = TPM2_ECC_NIST_P256;
    in.publicArea.parameters.eccDetail.kdf.scheme = TPM2_ALG_NULL;
    in.publicArea.unique.ecc.x.size = sizeof unique - 1;
    memcpy(in.publicArea.unique.ecc.x.buffer, unique, sizeof unique - 1);
    if (t->key != ESYS_TR_NONE) {
        (void)Esys_FlushContext(t->esys, t->key);
        t->key = ESYS_TR_NONE;
    }
    r = Esys_CreatePrimary(t->esys, ESYS_TR_RH_OWNER, ESYS_TR_PASSWORD, ESYS_TR_NONE,
                           ESYS_TR_NONE, &sens, &in, &outside, &pcrs, &t->key, &pub, &cdata,
                           &chash, &ticket);
    if (r != TSS2_RC_SUCCESS && auth_refused(r)) {
        /* (TPM-T3) said as such, not as a TPM code */
        t->key = ESYS_TR_NONE;
        rc = bn_fail(why, whylen, BN_ECRYPTO,
                     "tpm: the TPM's owner hierarchy has a password, and borne makes its key "
                     "under the owner hierarchy with none: remove the password "
                     "(tpm2_changeauth -c owner -p OLD), then start again (%s)",
                     Tss2_RC_Decode(r));
        goto out;
    }
    if (r != TSS2_RC_SUCCESS) {
        t->key = ESYS_TR_NONE;
        rc = bn_fail(why, whylen, BN_ECRYPTO, "tpm: the kiosk key cannot be made: %s",
                     Tss2_RC_Decode(r));
        goto out;
    }
    q = &pub->publicArea.unique.ecc;
    if (pub->publicArea.type != TPM2_ALG_ECC || q->x.size == 0 || q->x.size > 32 ||
        q->y.size == 0 || q->y.size > 32) {
        rc = bn_fail(why, whylen, BN_ECRYPTO, "tpm: the kiosk key's public part is not P-256");
        goto out;
    }
    memset(point, 0, sizeof point);
    point[0] = 0x04;
    memcpy(point + 1 + 32 - q->x.size, q->x.buffer, q->x.size);
    memcpy(point + 33 + 32 - q->y.size, q->y.buffer, q->y.size);
    if ((rc = key_pub_from_point(point, &out->pub)) != 0) {
        rc = bn_fail(why, whylen, rc, "tpm: the kiosk key's public part is not on P-256");
        goto out;
    }
    out->ctx = t;
    out->sign = tpm_sign;
    rc = 0;
out:
    Esys_Free(pub);
    Esys_Free(cdata);
    Esys_Free(chash);
    Esys_Free(ticket);
    mbedtls_platform_zeroize(&sens, sizeof sens);
    return rc;
}
