/* csr.c - PKCS #10 certificate requests (csr.h). */
#include "csr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/ecp.h>
#include <mbedtls/md.h>
#include <mbedtls/pk.h>
#include <mbedtls/x509_csr.h>
#include <mbedtls/base64.h>

#include "bn_err.h"

static int name_ok(const char *s)
{
    size_t n = s != NULL ? strlen(s) : 0, i;

    if (n == 0 || n > 64)
        return 0;
    for (i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
              (s[i] >= '0' && s[i] <= '9') || s[i] == '.' || s[i] == '-'))
            return 0;
    return 1;
}

int csr_make(key_pair_t *k, rng_t *rng, const char *name, char *pem, size_t cap, size_t *len)
{
    mbedtls_x509write_csr w;
    char dn[80];
    int rc = 0;

    if (k == NULL || rng == NULL || pem == NULL || !name_ok(name))
        return BN_EINVAL;
    mbedtls_x509write_csr_init(&w);
    snprintf(dn, sizeof dn, "CN=%s", name);
    mbedtls_x509write_csr_set_md_alg(&w, MBEDTLS_MD_SHA256);
    mbedtls_x509write_csr_set_key(&w, key_pk(k));
    if (mbedtls_x509write_csr_set_subject_name(&w, dn) != 0)
        rc = BN_EINVAL;
    else if ((rc = mbedtls_x509write_csr_pem(&w, (unsigned char *)pem, cap, rng_mbedtls, rng)) != 0)
        rc = rc == MBEDTLS_ERR_BASE64_BUFFER_TOO_SMALL ? BN_ETOOBIG : BN_ECRYPTO;
    else
        *len = strlen(pem);
    mbedtls_x509write_csr_free(&w);
    return rc;
}

int csr_check(const char *pem, size_t len, key_pub_t *pub, char *why, size_t whylen)
{
    mbedtls_x509_csr req;
    unsigned char *z = malloc(len + 1), hash[32], point[KEY_PUB_LEN];
    size_t plen = 0;
    int rc = 0;

    if (z == NULL)
        return BN_ENOMEM;
    memcpy(z, pem, len);
    z[len] = '\0';
    mbedtls_x509_csr_init(&req);
    if (mbedtls_x509_csr_parse(&req, z, len + 1) != 0) {
        rc = bn_fail(why, whylen, BN_EFORMAT, "not a PEM certificate request");
        goto out;
    }
    if (mbedtls_pk_get_type(&req.pk) != MBEDTLS_PK_ECKEY ||
        mbedtls_pk_ec(req.pk)->grp.id != MBEDTLS_ECP_DP_SECP256R1 ||
        req.sig_md != MBEDTLS_MD_SHA256) {
        rc = bn_fail(why, whylen, BN_EKEY, "the request is not for an ECDSA P-256 key with "
                     "SHA-256");
        goto out;
    }
    if (mbedtls_md(mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), req.cri.p, req.cri.len,
                   hash) != 0 ||
        mbedtls_pk_verify(&req.pk, MBEDTLS_MD_SHA256, hash, sizeof hash, req.sig.p,
                          req.sig.len) != 0) {
        rc = bn_fail(why, whylen, BN_EBADSIG, "the request's signature does not verify with "
                     "its key (altered, or not made by the kiosk holding the key)");
        goto out;
    }
    if (mbedtls_ecp_point_write_binary(&mbedtls_pk_ec(req.pk)->grp, &mbedtls_pk_ec(req.pk)->Q,
                                       MBEDTLS_ECP_PF_UNCOMPRESSED, &plen, point,
                                       sizeof point) != 0 ||
        plen != KEY_PUB_LEN || key_pub_from_point(point, pub) != 0)
        rc = bn_fail(why, whylen, BN_EKEY, "the request's key is not usable");
out:
    mbedtls_x509_csr_free(&req);
    free(z);
    return rc;
}
