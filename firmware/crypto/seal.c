/* seal.c - ECIES on P-256 with HKDF-SHA256 and AES-256-GCM (seal.h). */
#include "seal.h"

#include <string.h>

#include <mbedtls/ecdh.h>
#include <mbedtls/ecp.h>
#include <mbedtls/gcm.h>
#include <mbedtls/hkdf.h>
#include <mbedtls/pk.h>
#include <mbedtls/platform_util.h>

#include "bn_err.h"

/* key (32) || nonce (12) */
static int derive(const uint8_t z[32], const uint8_t *eph, const uint8_t *to, const char *label,
                  uint8_t okm[44])
{
    uint8_t salt[2 * KEY_PUB_LEN];

    memcpy(salt, eph, KEY_PUB_LEN);
    memcpy(salt + KEY_PUB_LEN, to, KEY_PUB_LEN);
    return mbedtls_hkdf(mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), salt, sizeof salt, z, 32,
                        (const unsigned char *)label, strlen(label), okm, 44) == 0
               ? 0
               : BN_ECRYPTO;
}

int seal_to(const key_pub_t *to, const char *label, const uint8_t *aad, size_t aadlen,
            const uint8_t *pt, size_t len, rng_t *rng, uint8_t *out)
{
    mbedtls_ecp_group grp;
    mbedtls_ecp_point eph, q;
    mbedtls_mpi d, z;
    mbedtls_gcm_context gcm;
    uint8_t zb[32], okm[44];
    size_t olen = 0;
    int rc = 0;

    mbedtls_ecp_group_init(&grp);
    mbedtls_ecp_point_init(&eph);
    mbedtls_ecp_point_init(&q);
    mbedtls_mpi_init(&d);
    mbedtls_mpi_init(&z);
    mbedtls_gcm_init(&gcm);
    if (mbedtls_ecp_group_load(&grp, MBEDTLS_ECP_DP_SECP256R1) != 0 ||
        mbedtls_ecp_point_read_binary(&grp, &q, to->pub, KEY_PUB_LEN) != 0 ||
        mbedtls_ecp_check_pubkey(&grp, &q) != 0) {
        rc = BN_EKEY;
        goto out;
    }
    if (mbedtls_ecp_gen_keypair(&grp, &d, &eph, rng_mbedtls, rng) != 0) {
        rc = BN_ERNG;
        goto out;
    }
    if (mbedtls_ecp_point_write_binary(&grp, &eph, MBEDTLS_ECP_PF_UNCOMPRESSED, &olen, out,
                                       KEY_PUB_LEN) != 0 || olen != KEY_PUB_LEN ||
        mbedtls_ecdh_compute_shared(&grp, &z, &q, &d, rng_mbedtls, rng) != 0 ||
        mbedtls_mpi_write_binary(&z, zb, sizeof zb) != 0 ||
        (rc = derive(zb, out, to->pub, label, okm)) != 0 ||
        mbedtls_gcm_setkey(&gcm, MBEDTLS_CIPHER_ID_AES, okm, 256) != 0 ||
        mbedtls_gcm_crypt_and_tag(&gcm, MBEDTLS_GCM_ENCRYPT, len, okm + 32, 12, aad, aadlen, pt,
                                  out + KEY_PUB_LEN, 16, out + KEY_PUB_LEN + len) != 0)
        rc = rc != 0 ? rc : BN_ECRYPTO;
out:
    if (rc != 0)
        memset(out, 0, len + SEAL_OVERHEAD);
    mbedtls_platform_zeroize(zb, sizeof zb);
    mbedtls_platform_zeroize(okm, sizeof okm);
    mbedtls_gcm_free(&gcm);
    mbedtls_mpi_free(&d);
    mbedtls_mpi_free(&z);
    mbedtls_ecp_point_free(&eph);
    mbedtls_ecp_point_free(&q);
    mbedtls_ecp_group_free(&grp);
    return rc;
}

int seal_open(key_pair_t *k, const char *label, const uint8_t *aad, size_t aadlen,
              const uint8_t *in, size_t inlen, uint8_t *pt)
{
    mbedtls_ecp_keypair *kp = mbedtls_pk_ec(*key_pk(k));
    mbedtls_ecp_point eph;
    mbedtls_gcm_context gcm;
    key_pub_t me;
    uint8_t zb[32], okm[44];
    size_t len;
    int rc = 0;

    if (inlen < SEAL_OVERHEAD)
        return BN_EFORMAT;
    len = inlen - SEAL_OVERHEAD;
    key_public(k, &me);
    mbedtls_ecp_point_init(&eph);
    mbedtls_gcm_init(&gcm);
    if (kp == NULL || mbedtls_ecp_point_read_binary(&kp->grp, &eph, in, KEY_PUB_LEN) != 0 ||
        mbedtls_ecp_check_pubkey(&kp->grp, &eph) != 0) {
        rc = BN_EFORMAT;
        goto out;
    }
    /* the key's own scalar, or its device's ECDH (a TPM: key_from_signer) */
    if ((rc = key_ecdh(k, in, zb)) != 0 ||
        (rc = derive(zb, in, me.pub, label, okm)) != 0 ||
        mbedtls_gcm_setkey(&gcm, MBEDTLS_CIPHER_ID_AES, okm, 256) != 0) {
        rc = rc != 0 ? rc : BN_ECRYPTO;
        goto out;
    }
    if (mbedtls_gcm_auth_decrypt(&gcm, len, okm + 32, 12, aad, aadlen, in + KEY_PUB_LEN + len, 16,
                                 in + KEY_PUB_LEN, pt) != 0)
        rc = BN_EBADSIG;
out:
    if (rc != 0)
        mbedtls_platform_zeroize(pt, len);
    mbedtls_platform_zeroize(zb, sizeof zb);
    mbedtls_platform_zeroize(okm, sizeof okm);
    mbedtls_gcm_free(&gcm);
    mbedtls_ecp_point_free(&eph);
    return rc;
}
