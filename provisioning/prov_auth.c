/* prov_auth.c - the authority's key encrypted at rest, its CA certificate
 * (prov_auth.h). */
#include "prov_auth.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <mbedtls/gcm.h>
#include <mbedtls/md.h>
#include <mbedtls/pkcs5.h>
#include <mbedtls/platform_util.h>

#include "bn_err.h"
#include "day.h"
#include "prov_file.h"

/* Authority key file:
 *   OFFSET SIZE FIELD
 *   0      4    magic "BRNA"
 *   4      1    version 1
 *   5      1    KDF 1 = PBKDF2-HMAC-SHA256
 *   6      4    iterations, big-endian (>= PROV_KDF_ITER)
 *   10     16   salt
 *   26     12   GCM nonce
 *   38     2    length L of the secret, big-endian
 *   40     L    the secret encrypted with AES-256-GCM (the first 40 bytes
 *               are its additional data)
 *   40+L   16   GCM tag */
#define HDR 40
#define TAG 16
#define SECRET_MAX 4096

static int derive(const char *pass, const uint8_t salt[16], uint32_t iter, uint8_t key[32])
{
    mbedtls_md_context_t md;
    int rc;

    mbedtls_md_init(&md);
    rc = mbedtls_md_setup(&md, mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), 1) != 0 ||
                 mbedtls_pkcs5_pbkdf2_hmac(&md, (const unsigned char *)pass, strlen(pass), salt,
                                           16, iter, 32, key) != 0
             ? BN_ECRYPTO
             : 0;
    mbedtls_md_free(&md);
    return rc;
}

int prov_seal_pass(const char *pass, rng_t *rng, uint32_t iter, const uint8_t *plain,
                   size_t len, uint8_t **out, size_t *outlen)
{
    mbedtls_gcm_context gcm;
    uint8_t key[32], *f;
    int rc;

    *out = NULL;
    if (len == 0 || len > SECRET_MAX || iter < 1)
        return BN_EINVAL;
    if ((f = malloc(HDR + len + TAG)) == NULL)
        return BN_ENOMEM;
    memcpy(f, "BRNA", 4);
    f[4] = 1;
    f[5] = 1;
    f[6] = (uint8_t)(iter >> 24);
    f[7] = (uint8_t)(iter >> 16);
    f[8] = (uint8_t)(iter >> 8);
    f[9] = (uint8_t)iter;
    f[38] = (uint8_t)(len >> 8);
    f[39] = (uint8_t)len;
    mbedtls_gcm_init(&gcm);
    if ((rc = rng_bytes(rng, f + 10, 16 + 12)) != 0 || (rc = derive(pass, f + 10, iter, key)) != 0)
        goto out;
    if (mbedtls_gcm_setkey(&gcm, MBEDTLS_CIPHER_ID_AES, key, 256) != 0 ||
        mbedtls_gcm_crypt_and_tag(&gcm, MBEDTLS_GCM_ENCRYPT, len, f + 26, 12, f, HDR, plain,
                                  f + HDR, TAG, f + HDR + len) != 0) {
        rc = BN_ECRYPTO;
        goto out;
    }
    *out = f;
    *outlen = HDR + len + TAG;
    f = NULL;
out:
    mbedtls_gcm_free(&gcm);
    mbedtls_platform_zeroize(key, sizeof key);
    free(f);
    return rc;
}

int prov_open_pass(const char *pass, const uint8_t *f, size_t len, uint8_t **plain,
                   size_t *plainlen, char *why, size_t whylen)
{
    mbedtls_gcm_context gcm;
    uint8_t key[32], *p = NULL;
    uint32_t iter;
    size_t n;
    int rc;

    *plain = NULL;
    if (len < HDR + TAG || memcmp(f, "BRNA", 4) != 0 || f[4] != 1 || f[5] != 1)
        return bn_fail(why, whylen, BN_EFORMAT, "not an authority key file of version 1");
    iter = (uint32_t)f[6] << 24 | (uint32_t)f[7] << 16 | (uint32_t)f[8] << 8 | f[9];
    n = (size_t)f[38] << 8 | f[39];
    if (n == 0 || len != HDR + n + TAG)
        return bn_fail(why, whylen, BN_EFORMAT, "a key file of %zu bytes, %zu expected", len,
                       HDR + n + TAG);
    if (iter < PROV_KDF_ITER)
        return bn_fail(why, whylen, BN_EFORMAT, "%u iterations of PBKDF2, fewer than the %u "
                       "required", iter, PROV_KDF_ITER);
    if ((p = malloc(n + 1)) == NULL)
        return BN_ENOMEM;
    mbedtls_gcm_init(&gcm);
    if ((rc = derive(pass, f + 10, iter, key)) != 0)
        goto out;
    if (mbedtls_gcm_setkey(&gcm, MBEDTLS_CIPHER_ID_AES, key, 256) != 0) {
        rc = BN_ECRYPTO;
        goto out;
    }
    if (mbedtls_gcm_auth_decrypt(&gcm, n, f + 26, 12, f, HDR, f + HDR + n, TAG, f + HDR, p) != 0) {
        rc = bn_fail(why, whylen, BN_EKEY, "wrong passphrase (or the key file was altered)");
        goto out;
    }
    p[n] = '\0';
    *plain = p;
    *plainlen = n;
    p = NULL;
out:
    mbedtls_gcm_free(&gcm);
    mbedtls_platform_zeroize(key, sizeof key);
    if (p != NULL)
        mbedtls_platform_zeroize(p, n + 1);
    free(p);
    return rc;
}

int prov_auth_new(const char *name, rng_t *rng, uint32_t from, uint32_t until,
                  prov_auth_t **out, char *why, size_t whylen)
{
    prov_auth_t *a = calloc(1, sizeof *a);
    char inner[256];
    int rc;

    *out = NULL;
    if (a == NULL)
        return BN_ENOMEM;
    if ((rc = key_generate(rng, &a->key)) != 0 ||
        (rc = cert_make_authority(a->key, rng, name, from, until, a->ca, sizeof a->ca, &a->ca_len,
                                  why, whylen)) != 0)
        goto out;
    key_signer(a->key, &a->signer);
    if ((rc = cert_verify(a->ca, a->ca_len, a->ca, a->ca_len, from, CERT_AUTHORITY, NULL, &a->info,
                          inner, sizeof inner)) != 0) {
        rc = bn_fail(why, whylen, rc, "the new certificate: %s", inner);
        goto out;
    }
    *out = a;
    a = NULL;
out:
    prov_auth_close(a);
    return rc;
}

int prov_auth_save(const prov_auth_t *a, const char *dir, const char *pass, rng_t *rng,
                   char *why, size_t whylen)
{
    uint8_t *sealed = NULL;
    char path[4096], pem[KEY_PEM_MAX], cpem[CERT_PEM_MAX];
    size_t pem_len = 0, sealed_len = 0, cpem_len;
    struct stat st;
    int rc;

    if (strlen(pass) < PROV_PASS_MIN)
        return bn_fail(why, whylen, BN_EINVAL, "the passphrase has fewer than %d characters",
                       PROV_PASS_MIN);
    snprintf(path, sizeof path, "%s/authority.key.enc", dir);
    if (stat(path, &st) == 0)
        return bn_fail(why, whylen, BN_EEXISTS, "%s already holds an authority (%s): an "
                       "authority is made once", dir, path);
    if (prov_mkdir(dir, 0700) != 0 || chmod(dir, 0700) != 0)
        return bn_fail(why, whylen, BN_EIO, "%s: cannot be made (%s)", dir, strerror(errno));
    if ((rc = key_to_pem(a->key, pem, sizeof pem, &pem_len)) != 0 ||
        (rc = prov_seal_pass(pass, rng, PROV_KDF_ITER, (const uint8_t *)pem, pem_len, &sealed,
                             &sealed_len)) != 0) {
        rc = bn_fail(why, whylen, rc, "the key cannot be encrypted");
        goto out;
    }
    if ((rc = cert_to_pem(a->ca, a->ca_len, cpem, sizeof cpem, &cpem_len)) != 0)
        goto out;
    snprintf(path, sizeof path, "%s/authority.crt", dir);
    if ((rc = prov_file_write(path, cpem, cpem_len, 0600)) != 0) {
        rc = bn_fail(why, whylen, rc, "%s: cannot be written", path);
        goto out;
    }
    snprintf(path, sizeof path, "%s/authority.key.enc", dir);
    if ((rc = prov_file_write(path, sealed, sealed_len, 0600)) != 0)
        rc = bn_fail(why, whylen, rc, "%s: cannot be written", path);
out:
    mbedtls_platform_zeroize(pem, sizeof pem);
    free(sealed);
    return rc;
}

int prov_auth_init(const char *dir, const char *name, const char *pass, rng_t *rng,
                   uint32_t from, uint32_t until, char *why, size_t whylen)
{
    prov_auth_t *a = NULL;
    char path[4096];
    struct stat st;
    int rc;

    if (strlen(pass) < PROV_PASS_MIN)
        return bn_fail(why, whylen, BN_EINVAL, "the passphrase has fewer than %d characters",
                       PROV_PASS_MIN);
    snprintf(path, sizeof path, "%s/authority.key.enc", dir);
    if (stat(path, &st) == 0)
        return bn_fail(why, whylen, BN_EEXISTS, "%s already holds an authority (%s): an "
                       "authority is made once", dir, path);
    if ((rc = prov_auth_new(name, rng, from, until, &a, why, whylen)) == 0)
        rc = prov_auth_save(a, dir, pass, rng, why, whylen);
    prov_auth_close(a);
    return rc;
}

int prov_auth_cert(const char *dir, uint8_t *der, size_t cap, size_t *len, char *why,
                   size_t whylen)
{
    char path[4096];
    uint8_t *pem = NULL;
    size_t pem_len;
    int rc;

    snprintf(path, sizeof path, "%s/authority.crt", dir);
    if ((rc = prov_file_read(path, CERT_PEM_MAX, &pem, &pem_len)) != 0)
        return bn_fail(why, whylen, rc, "%s: cannot be read (is %s an authority folder? "
                       "borne-admin authority init makes one)", path, dir);
    rc = cert_from_pem((const char *)pem, pem_len, der, cap, len);
    free(pem);
    if (rc != 0)
        return bn_fail(why, whylen, rc, "%s: not a PEM certificate", path);
    return 0;
}

int prov_auth_open(const char *dir, const char *pass, rng_t *rng, prov_auth_t **out,
                   char *why, size_t whylen)
{
    prov_auth_t *a = NULL;
    uint8_t *file = NULL, *plain = NULL;
    size_t flen = 0, plen = 0;
    char path[4096], inner[256];
    key_pub_t pub;
    int rc;

    *out = NULL;
    if ((a = calloc(1, sizeof *a)) == NULL)
        return BN_ENOMEM;
    if ((rc = prov_auth_cert(dir, a->ca, sizeof a->ca, &a->ca_len, why, whylen)) != 0)
        goto out;
    snprintf(path, sizeof path, "%s/authority.key.enc", dir);
    if ((rc = prov_file_read(path, HDR + SECRET_MAX + TAG, &file, &flen)) != 0) {
        rc = bn_fail(why, whylen, rc, "%s: cannot be read", path);
        goto out;
    }
    if ((rc = prov_open_pass(pass, file, flen, &plain, &plen, inner, sizeof inner)) != 0) {
        rc = bn_fail(why, whylen, rc, "%s: %s", path, inner);
        goto out;
    }
    if ((rc = key_from_pem((const char *)plain, plen, rng, &a->key)) != 0) {
        rc = bn_fail(why, whylen, rc, "%s: the decrypted key is not a P-256 key", path);
        goto out;
    }
    key_signer(a->key, &a->signer);
    if (cert_key(a->ca, a->ca_len, &pub) != 0 ||
        memcmp(pub.id, a->signer.pub.id, KEY_ID_LEN) != 0) {
        rc = bn_fail(why, whylen, BN_EWRONGKEY, "%s/authority.crt is not the certificate of "
                     "this authority's key", dir);
        goto out;
    }
    /* an authority whose certificate has expired still opens (to revoke, to
     * read); its dates are then unknown to the caller (info.not_after 0) */
    rc = cert_verify(a->ca, a->ca_len, a->ca, a->ca_len, day_today(), CERT_AUTHORITY, NULL,
                     &a->info, inner, sizeof inner);
    if (rc != 0 && rc != BN_ENOTYET && rc != BN_EEXPIRED) {
        rc = bn_fail(why, whylen, rc, "%s/authority.crt: %s", dir, inner);
        goto out;
    }
    *out = a;
    a = NULL;
    rc = 0;
out:
    if (plain != NULL)
        mbedtls_platform_zeroize(plain, plen);
    free(plain);
    free(file);
    prov_auth_close(a);
    return rc;
}

void prov_auth_close(prov_auth_t *a)
{
    if (a == NULL)
        return;
    key_free(a->key);
    mbedtls_platform_zeroize(a, sizeof *a);
    free(a);
}
