/* sigverify.c - the verification contract (ranges of r and s) and its
 * mbedTLS backend (sigverify.h). */
#include "sigverify.h"

#include <stdlib.h>
#include <string.h>

#include <mbedtls/ecdsa.h>
#include <mbedtls/ecp.h>
#include <mbedtls/platform_util.h>

#include "bn_err.h"

struct sigverify_key_s {
    const sigverify_backend_t *be;
    void *state;
    key_pub_t pub;
};

/* The group order n of P-256, and n/2 rounded down, big-endian. */
static const uint8_t order_n[32] = {
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51};
static const uint8_t half_n[32] = {
    0x7f, 0xff, 0xff, 0xff, 0x80, 0x00, 0x00, 0x00, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xde, 0x73, 0x7d, 0x56, 0xd3, 0x8b, 0xcf, 0x42, 0x79, 0xdc, 0xe5, 0x61, 0x7e, 0x31, 0x92, 0xa8};

static int is_zero(const uint8_t *x)
{
    uint8_t acc = 0;
    int i;

    for (i = 0; i < 32; i++)
        acc |= x[i];
    return acc == 0;
}

int sigverify_in_range(const uint8_t sig[KEY_SIG_LEN])
{
    return !is_zero(sig) && memcmp(sig, order_n, 32) < 0 && !is_zero(sig + 32) &&
           memcmp(sig + 32, half_n, 32) <= 0;
}

int sigverify_key_new(const sigverify_backend_t *be, const key_pub_t *pub, sigverify_key_t **out)
{
    sigverify_key_t *k;
    int rc;

    if (out == NULL)
        return BN_EINVAL;
    *out = NULL;
    if (be == NULL || pub == NULL)
        return BN_EINVAL;
    if ((k = calloc(1, sizeof *k)) == NULL)
        return BN_ENOMEM;
    k->be = be;
    k->pub = *pub;
    if ((rc = be->key_new(pub, &k->state)) != 0) {
        free(k);
        return rc;
    }
    *out = k;
    return 0;
}

void sigverify_key_free(sigverify_key_t *k)
{
    if (k == NULL)
        return;
    k->be->key_free(k->state);
    free(k);
}

const key_pub_t *sigverify_key_pub(const sigverify_key_t *k)
{
    return &k->pub;
}

int sigverify_digest(const sigverify_key_t *k, const uint8_t digest[32],
                     const uint8_t sig[KEY_SIG_LEN])
{
    if (!sigverify_in_range(sig))
        return BN_EBADSIG;
    return k->be->verify(k->state, digest, sig) == 0 ? 0 : BN_EBADSIG;
}

int sigverify_msg(const sigverify_key_t *k, const void *msg, size_t len,
                  const uint8_t sig[KEY_SIG_LEN])
{
    uint8_t digest[32];

    key_sha256(msg, len, digest);
    return sigverify_digest(k, digest, sig);
}

/* --- the mbedTLS backend -------------------------------------------------- */

typedef struct mbed_s {
    mbedtls_ecp_group grp;
    mbedtls_ecp_point q;
} mbed_t;

static void mbed_free(void *state)
{
    mbed_t *m = state;

    if (m == NULL)
        return;
    mbedtls_ecp_point_free(&m->q);
    mbedtls_ecp_group_free(&m->grp);
    free(m);
}

static int mbed_new(const key_pub_t *pub, void **state)
{
    mbed_t *m = calloc(1, sizeof *m);

    *state = NULL;
    if (m == NULL)
        return BN_ENOMEM;
    mbedtls_ecp_group_init(&m->grp);
    mbedtls_ecp_point_init(&m->q);
    if (mbedtls_ecp_group_load(&m->grp, MBEDTLS_ECP_DP_SECP256R1) != 0 ||
        mbedtls_ecp_point_read_binary(&m->grp, &m->q, pub->pub, KEY_PUB_LEN) != 0 ||
        mbedtls_ecp_check_pubkey(&m->grp, &m->q) != 0) {
        mbed_free(m);
        return BN_EKEY;
    }
    *state = m;
    return 0;
}

static int mbed_verify(void *state, const uint8_t digest[32], const uint8_t sig[KEY_SIG_LEN])
{
    mbed_t *m = state;
    mbedtls_mpi r, s;
    int rc = BN_EBADSIG;

    mbedtls_mpi_init(&r);
    mbedtls_mpi_init(&s);
    if (mbedtls_mpi_read_binary(&r, sig, 32) == 0 && mbedtls_mpi_read_binary(&s, sig + 32, 32) == 0 &&
        mbedtls_ecdsa_verify(&m->grp, digest, 32, &m->q, &r, &s) == 0)
        rc = 0;
    mbedtls_mpi_free(&r);
    mbedtls_mpi_free(&s);
    return rc;
}

const sigverify_backend_t sigverify_mbedtls = {"mbedtls", mbed_new, mbed_free, mbed_verify};
