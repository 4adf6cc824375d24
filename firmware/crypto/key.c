/* key.c - ECDSA P-256 keys (mbedTLS), the file-backed signer, verification. */
#include "key.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <mbedtls/base64.h>
#include <mbedtls/ecdh.h>
#include <mbedtls/ecdsa.h>
#include <mbedtls/ecp.h>
#include <mbedtls/pk.h>
#include <mbedtls/pk_internal.h>
#include <mbedtls/platform_util.h>
#include <mbedtls/sha256.h>
#include <mbedtls/x509_crt.h>

#include "bn_err.h"
#include "sigverify.h"

struct key_pair_s {
    mbedtls_pk_context pk;
    rng_t *rng;        /* blinding for signatures; not owned */
    key_pub_t pub;
    int external;      /* key_from_signer: the private key is elsewhere (a TPM) */
    signer_t ext;
    key_ecdh_fn ext_ecdh;
};

/* SubjectPublicKeyInfo DER for a P-256 uncompressed point, up to the point:
 * SEQUENCE { SEQUENCE { id-ecPublicKey, prime256v1 }, BIT STRING { 0x00 ... } } */
static const uint8_t spki_prefix[26] = {
    0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01,
    0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
};

void key_sha256(const void *data, size_t len, uint8_t out[32])
{
    mbedtls_sha256_ret(data, len, out, 0);
}

static void pub_id(key_pub_t *p)
{
    mbedtls_sha256_context c;

    mbedtls_sha256_init(&c);
    mbedtls_sha256_starts_ret(&c, 0);
    mbedtls_sha256_update_ret(&c, spki_prefix, sizeof spki_prefix);
    mbedtls_sha256_update_ret(&c, p->pub, KEY_PUB_LEN);
    mbedtls_sha256_finish_ret(&c, p->id);
    mbedtls_sha256_free(&c);
}

/* Fills a key_pub_t from an mbedTLS EC key; BN_EKEY if it is not P-256. */
static int pub_from_ec(const mbedtls_ecp_keypair *ec, key_pub_t *out)
{
    size_t olen = 0;

    if (ec->grp.id != MBEDTLS_ECP_DP_SECP256R1)
        return BN_EKEY;
    if (mbedtls_ecp_point_write_binary(&ec->grp, &ec->Q, MBEDTLS_ECP_PF_UNCOMPRESSED, &olen,
                                       out->pub, KEY_PUB_LEN) != 0 ||
        olen != KEY_PUB_LEN)
        return BN_EKEY;
    pub_id(out);
    return 0;
}

int key_generate(rng_t *rng, key_pair_t **out)
{
    key_pair_t *k;
    int rc;

    *out = NULL;
    k = calloc(1, sizeof *k);
    if (k == NULL)
        return BN_ENOMEM;
    mbedtls_pk_init(&k->pk);
    k->rng = rng;
    if (mbedtls_pk_setup(&k->pk, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY)) != 0) {
        rc = BN_ENOMEM;
        goto fail;
    }
    if (mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP256R1, mbedtls_pk_ec(k->pk), rng_mbedtls, rng) != 0) {
        rc = BN_ERNG;
        goto fail;
    }
    rc = pub_from_ec(mbedtls_pk_ec(k->pk), &k->pub);
    if (rc != 0)
        goto fail;
    *out = k;
    return 0;
fail:
    key_free(k);
    return rc;
}

void key_free(key_pair_t *k)
{
    if (k == NULL)
        return;
    mbedtls_pk_free(&k->pk);
    mbedtls_platform_zeroize(k, sizeof *k);
    free(k);
}

/* Writes `len` bytes to `path` atomically: a temporary file created with
 * `mode`, fsync, rename over path, fsync of the directory. */
static int write_atomic(const char *path, const void *data, size_t len, mode_t mode)
{
    char tmp[4096], dir[4096];
    const uint8_t *p = data;
    int fd = -1, dfd, rc = BN_EIO;
    ssize_t w;

    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp)
        return BN_EINVAL;
    (void)unlink(tmp);
    fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0)
        return BN_EIO;
    if (fchmod(fd, mode) != 0)
        goto out;
    while (len > 0) {
        w = write(fd, p, len);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            goto out;
        }
        p += w;
        len -= (size_t)w;
    }
    if (fsync(fd) != 0)
        goto out;
    if (close(fd) != 0) {
        fd = -1;
        goto out;
    }
    fd = -1;
    if (rename(tmp, path) != 0)
        goto out;
    snprintf(dir, sizeof dir, "%s", path);
    dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        (void)fsync(dfd);
        close(dfd);
    }
    rc = 0;
out:
    if (fd >= 0)
        close(fd);
    if (rc != 0)
        (void)unlink(tmp);
    return rc;
}

int key_to_pem(const key_pair_t *k, char *pem, size_t cap, size_t *len)
{
    if (k->external) /* nothing to write: the private key never leaves its device */
        return BN_EKEY;
    /* mbedtls_pk_write_key_pem takes a non-const context but only reads it. */
    if (mbedtls_pk_write_key_pem((mbedtls_pk_context *)&k->pk, (unsigned char *)pem, cap) != 0)
        return BN_EKEY;
    *len = strlen(pem);
    return 0;
}

int key_save(const key_pair_t *k, const char *path)
{
    char pem[KEY_PEM_MAX];
    size_t len = 0;
    int rc;

    if ((rc = key_to_pem(k, pem, sizeof pem, &len)) == 0)
        rc = write_atomic(path, pem, len, 0600);
    mbedtls_platform_zeroize(pem, sizeof pem);
    return rc;
}

int key_from_pem(const char *pem, size_t len, rng_t *rng, key_pair_t **out)
{
    key_pair_t *k = calloc(1, sizeof *k);
    unsigned char *buf = malloc(len + 1);
    int rc = 0;

    *out = NULL;
    if (k == NULL || buf == NULL) {
        free(k);
        free(buf);
        return BN_ENOMEM;
    }
    memcpy(buf, pem, len);
    buf[len] = '\0';
    mbedtls_pk_init(&k->pk);
    k->rng = rng;
    if (mbedtls_pk_parse_key(&k->pk, buf, len + 1, NULL, 0) != 0 ||
        mbedtls_pk_get_type(&k->pk) != MBEDTLS_PK_ECKEY ||
        pub_from_ec(mbedtls_pk_ec(k->pk), &k->pub) != 0)
        rc = BN_EKEY;
    mbedtls_platform_zeroize(buf, len + 1);
    free(buf);
    if (rc != 0)
        key_free(k);
    else
        *out = k;
    return rc;
}

/* Reads a whole small file (keys, certificates) with a NUL after it. */
static int read_small(const char *path, int fd_in, uint8_t **out, size_t *len,
                      char *why, size_t whylen)
{
    FILE *f;
    uint8_t *buf = NULL;
    size_t n = 0, cap = 0, r;
    int rc = BN_EIO;

    f = fd_in >= 0 ? fdopen(fd_in, "rb") : fopen(path, "rb");
    if (f == NULL)
        return bn_fail(why, whylen, BN_EIO, "%s: %s", path, strerror(errno));
    for (;;) {
        if (n + 1 >= cap) {
            uint8_t *nb;
            if (cap >= 1u << 20) {
                rc = bn_fail(why, whylen, BN_ETOOBIG, "%s: larger than 1 MiB", path);
                goto out;
            }
            cap = cap ? cap * 2 : 4096;
            nb = realloc(buf, cap);
            if (nb == NULL) {
                rc = BN_ENOMEM;
                goto out;
            }
            buf = nb;
        }
        r = fread(buf + n, 1, cap - n - 1, f);
        n += r;
        if (r == 0)
            break;
    }
    if (ferror(f)) {
        rc = bn_fail(why, whylen, BN_EIO, "%s: read error", path);
        goto out;
    }
    buf[n] = 0;
    *out = buf;
    *len = n;
    buf = NULL;
    rc = 0;
out:
    if (buf != NULL) {
        mbedtls_platform_zeroize(buf, cap);
        free(buf);
    }
    fclose(f);
    return rc;
}

int key_load(const char *path, rng_t *rng, key_pair_t **out, char *why, size_t whylen)
{
    struct stat st;
    key_pair_t *k = NULL;
    uint8_t *buf = NULL;
    size_t len = 0;
    int fd, rc;

    *out = NULL;
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return bn_fail(why, whylen, BN_EIO, "%s: %s", path, strerror(errno));
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return bn_fail(why, whylen, BN_EIO, "%s: not a regular file", path);
    }
    if ((st.st_mode & 077) != 0) {
        close(fd);
        return bn_fail(why, whylen, BN_EPERM,
                       "%s: private key is accessible to others (mode %04o); "
                       "it must be 0600 (chmod 600)", path, (unsigned)(st.st_mode & 07777));
    }
    rc = read_small(path, fd, &buf, &len, why, whylen); /* closes fd */
    if (rc != 0)
        return rc;
    if ((rc = key_from_pem((const char *)buf, len, rng, &k)) != 0) {
        rc = rc == BN_ENOMEM ? BN_ENOMEM
                             : bn_fail(why, whylen, BN_EKEY, "%s: not an ECDSA P-256 private key",
                                       path);
        goto out;
    }
    *out = k;
    k = NULL;
out:
    key_free(k);
    mbedtls_platform_zeroize(buf, len);
    free(buf);
    return rc;
}

struct mbedtls_pk_context *key_pk(key_pair_t *k)
{
    return &k->pk;
}

void key_public(const key_pair_t *k, key_pub_t *out)
{
    *out = k->pub;
}

/* Deterministic ECDSA (RFC 6979) over a SHA-256 digest, then s := n - s
 * when s > n/2 so that every message has a single valid signature. */
static int file_sign(void *ctx, const uint8_t digest[32], uint8_t sig[KEY_SIG_LEN])
{
    key_pair_t *k = ctx;
    mbedtls_ecp_keypair *ec = mbedtls_pk_ec(k->pk);
    mbedtls_mpi r, s, half;
    int rc = BN_ECRYPTO;

    mbedtls_mpi_init(&r);
    mbedtls_mpi_init(&s);
    mbedtls_mpi_init(&half);
    if (mbedtls_ecdsa_sign_det_ext(&ec->grp, &r, &s, &ec->d, digest, 32, MBEDTLS_MD_SHA256,
                                   rng_mbedtls, k->rng) != 0)
        goto out;
    if (mbedtls_mpi_copy(&half, &ec->grp.N) != 0 || mbedtls_mpi_shift_r(&half, 1) != 0)
        goto out;
    if (mbedtls_mpi_cmp_mpi(&s, &half) > 0 && mbedtls_mpi_sub_mpi(&s, &ec->grp.N, &s) != 0)
        goto out;
    if (mbedtls_mpi_write_binary(&r, sig, 32) != 0 || mbedtls_mpi_write_binary(&s, sig + 32, 32) != 0)
        goto out;
    rc = 0;
out:
    mbedtls_mpi_free(&r);
    mbedtls_mpi_free(&s);
    mbedtls_mpi_free(&half);
    return rc;
}

int key_sig_low_s(uint8_t sig[KEY_SIG_LEN])
{
    mbedtls_ecp_group grp;
    mbedtls_mpi s, half;
    int rc = BN_ECRYPTO;

    mbedtls_ecp_group_init(&grp);
    mbedtls_mpi_init(&s);
    mbedtls_mpi_init(&half);
    if (mbedtls_ecp_group_load(&grp, MBEDTLS_ECP_DP_SECP256R1) != 0 ||
        mbedtls_mpi_read_binary(&s, sig + 32, 32) != 0 ||
        mbedtls_mpi_copy(&half, &grp.N) != 0 || mbedtls_mpi_shift_r(&half, 1) != 0)
        goto out;
    if (mbedtls_mpi_cmp_mpi(&s, &half) > 0 &&
        (mbedtls_mpi_sub_mpi(&s, &grp.N, &s) != 0 || mbedtls_mpi_write_binary(&s, sig + 32, 32) != 0))
        goto out;
    rc = 0;
out:
    mbedtls_ecp_group_free(&grp);
    mbedtls_mpi_free(&s);
    mbedtls_mpi_free(&half);
    return rc;
}

/* --- a key whose private half is elsewhere (key_from_signer) ---------------
 * An mbedTLS key context of a type of our own: its context starts with an
 * ecp_keypair holding the public point (mbedtls_pk_ec() casts it so; d
 * stays 0), and its signatures come from the signer. So the certificate
 * request and TLS client authentication use a key in a TPM as they use a
 * key in a file. */
typedef struct ext_pk_s {
    mbedtls_ecp_keypair ec;      /* first */
    signer_t s;
} ext_pk_t;

static size_t ext_bitlen(const void *c)
{
    (void)c;
    return 256;
}

static int ext_can_do(mbedtls_pk_type_t t)
{
    return t == MBEDTLS_PK_ECKEY || t == MBEDTLS_PK_ECDSA;
}

static int ext_verify(void *c, mbedtls_md_type_t md, const unsigned char *hash, size_t hlen,
                      const unsigned char *sig, size_t slen)
{
    (void)md;
    return mbedtls_ecdsa_read_signature((mbedtls_ecdsa_context *)&((ext_pk_t *)c)->ec, hash,
                                        hlen, sig, slen);
}

/* ECDSA on P-256 signs the leftmost 256 bits of any hash: a SHA-384 one
 * (a TLS 1.2 suite's) is cut to 32 bytes, as the algorithm does itself */
static int ext_sign(void *c, mbedtls_md_type_t md, const unsigned char *hash, size_t hlen,
                    unsigned char *sig, size_t *slen, int (*f_rng)(void *, unsigned char *, size_t),
                    void *p_rng)
{
    ext_pk_t *x = c;
    uint8_t rs[KEY_SIG_LEN];
    int rc;

    (void)md;
    (void)f_rng;
    (void)p_rng;
    if (hlen < 32)
        return MBEDTLS_ERR_PK_BAD_INPUT_DATA;
    if (x->s.sign(x->s.ctx, hash, rs) != 0)
        return MBEDTLS_ERR_ECP_HW_ACCEL_FAILED;
    rc = key_sig_to_der(rs, sig, KEY_SIG_DER_MAX, slen);
    return rc == 0 ? 0 : MBEDTLS_ERR_PK_BAD_INPUT_DATA;
}

static int ext_check_pair(const void *pub, const void *prv)
{
    (void)pub;
    (void)prv;
    return 0;
}

static void *ext_alloc(void)
{
    ext_pk_t *x = calloc(1, sizeof *x);

    if (x != NULL)
        mbedtls_ecp_keypair_init(&x->ec);
    return x;
}

static void ext_free(void *c)
{
    ext_pk_t *x = c;

    mbedtls_ecp_keypair_free(&x->ec);
    free(x);
}

static const mbedtls_pk_info_t ext_info = {
    .type = MBEDTLS_PK_ECKEY,
    .name = "EC (signer)",
    .get_bitlen = ext_bitlen,
    .can_do = ext_can_do,
    .verify_func = ext_verify,
    .sign_func = ext_sign,
    .check_pair_func = ext_check_pair,
    .ctx_alloc_func = ext_alloc,
    .ctx_free_func = ext_free,
};

int key_from_signer(const signer_t *s, key_ecdh_fn ecdh, key_pair_t **out)
{
    key_pair_t *k = calloc(1, sizeof *k);
    ext_pk_t *x;
    int rc = BN_EKEY;

    *out = NULL;
    if (k == NULL)
        return BN_ENOMEM;
    mbedtls_pk_init(&k->pk);
    if (mbedtls_pk_setup(&k->pk, &ext_info) != 0)
        goto fail;
    x = k->pk.pk_ctx;
    x->s = *s;
    if (mbedtls_ecp_group_load(&x->ec.grp, MBEDTLS_ECP_DP_SECP256R1) != 0 ||
        mbedtls_ecp_point_read_binary(&x->ec.grp, &x->ec.Q, s->pub.pub, KEY_PUB_LEN) != 0 ||
        mbedtls_ecp_check_pubkey(&x->ec.grp, &x->ec.Q) != 0)
        goto fail;
    k->pub = s->pub;
    k->external = 1;
    k->ext = *s;
    k->ext_ecdh = ecdh;
    *out = k;
    return 0;
fail:
    key_free(k);
    return rc;
}

int key_ecdh(key_pair_t *k, const uint8_t peer[KEY_PUB_LEN], uint8_t z[32])
{
    mbedtls_ecp_keypair *kp = mbedtls_pk_ec(k->pk);
    mbedtls_ecp_point q;
    mbedtls_mpi x;
    int rc = 0;

    mbedtls_ecp_point_init(&q);
    mbedtls_mpi_init(&x);
    if (kp == NULL || mbedtls_ecp_point_read_binary(&kp->grp, &q, peer, KEY_PUB_LEN) != 0 ||
        mbedtls_ecp_check_pubkey(&kp->grp, &q) != 0) {
        rc = BN_EFORMAT;
        goto out;
    }
    if (k->external) {
        rc = k->ext_ecdh == NULL ? BN_EKEY : k->ext_ecdh(k->ext.ctx, peer, z) != 0 ? BN_ECRYPTO : 0;
        goto out;
    }
    if (mbedtls_ecdh_compute_shared(&kp->grp, &x, &q, &kp->d, NULL, NULL) != 0 ||
        mbedtls_mpi_write_binary(&x, z, 32) != 0)
        rc = BN_ECRYPTO;
out:
    mbedtls_mpi_free(&x);
    mbedtls_ecp_point_free(&q);
    return rc;
}

void key_signer(key_pair_t *k, signer_t *out)
{
    if (k->external) {
        *out = k->ext;
        return;
    }
    out->ctx = k;
    out->sign = file_sign;
    out->pub = k->pub;
}

int key_sign_msg(const signer_t *s, const void *msg, size_t len, uint8_t sig[KEY_SIG_LEN])
{
    uint8_t digest[32];

    key_sha256(msg, len, digest);
    return s->sign(s->ctx, digest, sig);
}

int key_pub_from_point(const uint8_t pub[KEY_PUB_LEN], key_pub_t *out)
{
    mbedtls_ecp_group grp;
    mbedtls_ecp_point q;
    int rc = BN_EKEY;

    mbedtls_ecp_group_init(&grp);
    mbedtls_ecp_point_init(&q);
    if (pub[0] != 0x04 || mbedtls_ecp_group_load(&grp, MBEDTLS_ECP_DP_SECP256R1) != 0 ||
        mbedtls_ecp_point_read_binary(&grp, &q, pub, KEY_PUB_LEN) != 0 ||
        mbedtls_ecp_check_pubkey(&grp, &q) != 0)
        goto out;
    memcpy(out->pub, pub, KEY_PUB_LEN);
    pub_id(out);
    rc = 0;
out:
    mbedtls_ecp_point_free(&q);
    mbedtls_ecp_group_free(&grp);
    return rc;
}

int key_pub_from_pem(const char *pem, size_t len, key_pub_t *out, char *why, size_t whylen)
{
    mbedtls_pk_context pk;
    mbedtls_x509_crt crt;
    char *z;
    int rc = BN_EKEY;

    z = malloc(len + 1);
    if (z == NULL)
        return BN_ENOMEM;
    memcpy(z, pem, len);
    z[len] = 0;
    mbedtls_pk_init(&pk);
    mbedtls_x509_crt_init(&crt);
    if (strstr(z, "-----BEGIN PUBLIC KEY-----") != NULL) {
        if (mbedtls_pk_parse_public_key(&pk, (unsigned char *)z, len + 1) != 0) {
            rc = bn_fail(why, whylen, BN_EKEY, "public key PEM does not parse");
            goto out;
        }
        if (mbedtls_pk_get_type(&pk) != MBEDTLS_PK_ECKEY ||
            pub_from_ec(mbedtls_pk_ec(pk), out) != 0) {
            rc = bn_fail(why, whylen, BN_EKEY, "public key is not ECDSA P-256");
            goto out;
        }
    } else if (strstr(z, "-----BEGIN CERTIFICATE-----") != NULL) {
        if (mbedtls_x509_crt_parse(&crt, (unsigned char *)z, len + 1) != 0) {
            rc = bn_fail(why, whylen, BN_EKEY, "certificate does not parse");
            goto out;
        }
        if (mbedtls_pk_get_type(&crt.pk) != MBEDTLS_PK_ECKEY ||
            pub_from_ec(mbedtls_pk_ec(crt.pk), out) != 0) {
            rc = bn_fail(why, whylen, BN_EKEY, "certificate key is not ECDSA P-256");
            goto out;
        }
    } else {
        rc = bn_fail(why, whylen, BN_EKEY, "neither a PUBLIC KEY nor a CERTIFICATE PEM");
        goto out;
    }
    rc = 0;
out:
    mbedtls_x509_crt_free(&crt);
    mbedtls_pk_free(&pk);
    free(z);
    return rc;
}

int key_pub_load(const char *path, key_pub_t *out, char *why, size_t whylen)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    char inner[200];
    int rc;

    rc = read_small(path, -1, &buf, &len, why, whylen);
    if (rc != 0)
        return rc;
    rc = key_pub_from_pem((char *)buf, len, out, inner, sizeof inner);
    if (rc != 0)
        bn_fail(why, whylen, rc, "%s: %s", path, inner);
    free(buf);
    return rc;
}

int key_pub_save(const key_pub_t *p, const char *path)
{
    uint8_t der[sizeof spki_prefix + KEY_PUB_LEN];
    unsigned char b64[200];
    char pem[300];
    size_t olen = 0, i, n = 0;

    memcpy(der, spki_prefix, sizeof spki_prefix);
    memcpy(der + sizeof spki_prefix, p->pub, KEY_PUB_LEN);
    if (mbedtls_base64_encode(b64, sizeof b64, &olen, der, sizeof der) != 0)
        return BN_ECRYPTO;
    n += (size_t)snprintf(pem + n, sizeof pem - n, "-----BEGIN PUBLIC KEY-----\n");
    for (i = 0; i < olen; i += 64)
        n += (size_t)snprintf(pem + n, sizeof pem - n, "%.*s\n",
                              (int)(olen - i < 64 ? olen - i : 64), (char *)b64 + i);
    n += (size_t)snprintf(pem + n, sizeof pem - n, "-----END PUBLIC KEY-----\n");
    return write_atomic(path, pem, n, 0644);
}

int key_verify(const key_pub_t *p, const uint8_t digest[32], const uint8_t sig[KEY_SIG_LEN])
{
    sigverify_key_t *k = NULL;
    int rc = BN_EBADSIG;

    /* the one verification contract (sigverify.h), with its mbedTLS backend */
    if (sigverify_key_new(&sigverify_mbedtls, p, &k) == 0)
        rc = sigverify_digest(k, digest, sig);
    sigverify_key_free(k);
    return rc == 0 ? 0 : BN_EBADSIG;
}

int key_verify_msg(const key_pub_t *p, const void *msg, size_t len, const uint8_t sig[KEY_SIG_LEN])
{
    uint8_t digest[32];

    key_sha256(msg, len, digest);
    return key_verify(p, digest, sig);
}

/* DER INTEGER for a 32-byte big-endian unsigned value: minimal length, a
 * leading 0x00 when the high bit is set. */
static size_t der_int(const uint8_t v[32], uint8_t *out)
{
    size_t i = 0, n;

    while (i < 31 && v[i] == 0)
        i++;
    n = 32 - i;
    out[0] = 0x02;
    if (v[i] & 0x80) {
        out[1] = (uint8_t)(n + 1);
        out[2] = 0;
        memcpy(out + 3, v + i, n);
        return n + 3;
    }
    out[1] = (uint8_t)n;
    memcpy(out + 2, v + i, n);
    return n + 2;
}

int key_sig_to_der(const uint8_t sig[KEY_SIG_LEN], uint8_t *der, size_t cap, size_t *len)
{
    uint8_t tmp[KEY_SIG_DER_MAX];
    size_t n;

    n = der_int(sig, tmp + 2);
    n += der_int(sig + 32, tmp + 2 + n);
    tmp[0] = 0x30;
    tmp[1] = (uint8_t)n;
    if (n + 2 > cap)
        return BN_ETOOBIG;
    memcpy(der, tmp, n + 2);
    *len = n + 2;
    return 0;
}
