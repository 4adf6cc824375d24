/* cert.c - X.509 certificates (mbedTLS x509write/x509_crt) and the revocation list. */
#include "cert.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/base64.h>
#include <mbedtls/bignum.h>
#include <mbedtls/ecp.h>
#include <mbedtls/oid.h>
#include <mbedtls/pem.h>
#include <mbedtls/pk.h>
#include <mbedtls/x509_crt.h>

#include "bn_err.h"
#include "day.h"

/* Only ECDSA P-256 with SHA-256, for every certificate of a chain. */
static const mbedtls_x509_crt_profile profile = {
    MBEDTLS_X509_ID_FLAG(MBEDTLS_MD_SHA256),
    MBEDTLS_X509_ID_FLAG(MBEDTLS_PK_ECKEY) | MBEDTLS_X509_ID_FLAG(MBEDTLS_PK_ECDSA),
    MBEDTLS_X509_ID_FLAG(MBEDTLS_ECP_DP_SECP256R1),
    0,
};

/* id-kp-clientAuth / id-kp-serverAuth, as an ExtKeyUsageSyntax value */
static const uint8_t eku_client[] = {0x30, 0x0a, 0x06, 0x08, 0x2b, 0x06, 0x01,
                                     0x05, 0x05, 0x07, 0x03, 0x02};
static const uint8_t eku_server[] = {0x30, 0x0a, 0x06, 0x08, 0x2b, 0x06, 0x01,
                                     0x05, 0x05, 0x07, 0x03, 0x01};

static int name_ok(const char *s)
{
    size_t i, n;

    if (s == NULL)
        return 0;
    n = strlen(s);
    if (n == 0 || n > CERT_NAME_MAX)
        return 0;
    for (i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '.'))
            return 0;
    }
    return 1;
}

/* "YYYYMMDDhhmmss" for the start (00:00:00) or end (23:59:59) of a day, UTC. */
static void x509_day(uint32_t d, int end, char out[16])
{
    int y, m, md;

    day_to_ymd(d, &y, &m, &md);
    snprintf(out, 16, "%04d%02d%02d%s", y, m, md, end ? "235959" : "000000");
}

static uint32_t day_of(const mbedtls_x509_time *t)
{
    uint32_t d = 0;

    if (day_from_ymd(t->year, t->mon, t->day, &d) != 0)
        return 0;
    return d;
}

/* Parses exactly one DER certificate occupying all of der[len]. */
static int parse_one(mbedtls_x509_crt *crt, const uint8_t *der, size_t len)
{
    if (der == NULL || len == 0 || len > CERT_DER_MAX)
        return BN_EFORMAT;
    if (mbedtls_x509_crt_parse_der(crt, der, len) != 0 || crt->raw.len != len ||
        crt->next != NULL)
        return BN_EFORMAT;
    return 0;
}

static int pub_of(mbedtls_x509_crt *crt, key_pub_t *out)
{
    uint8_t pt[KEY_PUB_LEN];
    size_t olen = 0;
    mbedtls_ecp_keypair *ec;

    if (mbedtls_pk_get_type(&crt->pk) != MBEDTLS_PK_ECKEY)
        return BN_EKEY;
    ec = mbedtls_pk_ec(crt->pk);
    if (ec->grp.id != MBEDTLS_ECP_DP_SECP256R1 ||
        mbedtls_ecp_point_write_binary(&ec->grp, &ec->Q, MBEDTLS_ECP_PF_UNCOMPRESSED, &olen, pt,
                                       sizeof pt) != 0 ||
        olen != KEY_PUB_LEN)
        return BN_EKEY;
    return key_pub_from_point(pt, out);
}

static void cn_of(const mbedtls_x509_crt *crt, char out[CERT_NAME_MAX + 1])
{
    const mbedtls_x509_name *n;

    out[0] = 0;
    for (n = &crt->subject; n != NULL; n = n->next)
        if (n->oid.p != NULL && MBEDTLS_OID_CMP(MBEDTLS_OID_AT_CN, &n->oid) == 0) {
            size_t l = n->val.len < CERT_NAME_MAX ? n->val.len : CERT_NAME_MAX;
            memcpy(out, n->val.p, l);
            out[l] = 0;
            return;
        }
}

/* Writes the certificate described by w, signed by the issuer key, as DER at
 * the start of der[cap]. */
static int write_der(mbedtls_x509write_cert *w, rng_t *rng, uint8_t *der, size_t cap,
                     size_t *len)
{
    uint8_t *tmp = malloc(CERT_DER_MAX);
    int n, rc = 0;

    if (tmp == NULL)
        return BN_ENOMEM;
    n = mbedtls_x509write_crt_der(w, tmp, CERT_DER_MAX, rng_mbedtls, rng);
    if (n < 0) {
        rc = n == MBEDTLS_ERR_ASN1_BUF_TOO_SMALL ? BN_ETOOBIG : BN_ECRYPTO;
    } else if ((size_t)n > cap) {
        rc = BN_ETOOBIG;
    } else {
        memcpy(der, tmp + CERT_DER_MAX - n, (size_t)n);
        *len = (size_t)n;
    }
    free(tmp);
    return rc;
}

/* Common part: version 3, random positive 128-bit serial, validity, SHA-256. */
static int setup(mbedtls_x509write_cert *w, rng_t *rng, uint32_t nb, uint32_t na)
{
    uint8_t serial[16];
    char from[16], to[16];
    mbedtls_mpi sn;
    int rc;

    mbedtls_x509write_crt_set_version(w, MBEDTLS_X509_CRT_VERSION_3);
    mbedtls_x509write_crt_set_md_alg(w, MBEDTLS_MD_SHA256);
    if (rng_bytes(rng, serial, sizeof serial) != 0)
        return BN_ERNG;
    serial[0] = (uint8_t)((serial[0] & 0x7f) | 0x40); /* positive, 16 bytes, not 0 */
    mbedtls_mpi_init(&sn);
    rc = mbedtls_mpi_read_binary(&sn, serial, sizeof serial) == 0 &&
                 mbedtls_x509write_crt_set_serial(w, &sn) == 0
             ? 0
             : BN_ECRYPTO;
    mbedtls_mpi_free(&sn);
    if (rc != 0)
        return rc;
    x509_day(nb, 0, from);
    x509_day(na, 1, to);
    if (mbedtls_x509write_crt_set_validity(w, from, to) != 0)
        return BN_EINVAL;
    return 0;
}

int cert_make_authority(key_pair_t *authority, rng_t *rng, const char *name,
                        uint32_t not_before, uint32_t not_after,
                        uint8_t *der, size_t cap, size_t *len, char *why, size_t whylen)
{
    mbedtls_x509write_cert w;
    char dn[CERT_NAME_MAX + 4];
    int rc;

    if (authority == NULL || rng == NULL || der == NULL || len == NULL)
        return BN_EINVAL;
    if (!name_ok(name))
        return bn_fail(why, whylen, BN_EINVAL, "name: not 1..64 of [A-Za-z0-9.-]");
    if (not_before == 0 || not_after < not_before)
        return bn_fail(why, whylen, BN_EINVAL, "validity: %u..%u", not_before, not_after);
    mbedtls_x509write_crt_init(&w);
    rc = setup(&w, rng, not_before, not_after);
    if (rc != 0)
        goto out;
    snprintf(dn, sizeof dn, "CN=%s", name);
    mbedtls_x509write_crt_set_subject_key(&w, key_pk(authority));
    mbedtls_x509write_crt_set_issuer_key(&w, key_pk(authority));
    if (mbedtls_x509write_crt_set_subject_name(&w, dn) != 0 ||
        mbedtls_x509write_crt_set_issuer_name(&w, dn) != 0 ||
        mbedtls_x509write_crt_set_basic_constraints(&w, 1, 0) != 0 ||
        mbedtls_x509write_crt_set_key_usage(&w, MBEDTLS_X509_KU_KEY_CERT_SIGN |
                                                    MBEDTLS_X509_KU_CRL_SIGN) != 0 ||
        mbedtls_x509write_crt_set_subject_key_identifier(&w) != 0 ||
        mbedtls_x509write_crt_set_authority_key_identifier(&w) != 0) {
        rc = BN_ECRYPTO;
        goto out;
    }
    rc = write_der(&w, rng, der, cap, len);
out:
    mbedtls_x509write_crt_free(&w);
    return rc;
}

/* A public-key-only mbedTLS context for a P-256 point. */
static int pk_from_pub(mbedtls_pk_context *pk, const key_pub_t *p)
{
    mbedtls_ecp_keypair *ec;

    if (mbedtls_pk_setup(pk, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY)) != 0)
        return BN_ENOMEM;
    ec = mbedtls_pk_ec(*pk);
    if (mbedtls_ecp_group_load(&ec->grp, MBEDTLS_ECP_DP_SECP256R1) != 0 ||
        mbedtls_ecp_point_read_binary(&ec->grp, &ec->Q, p->pub, KEY_PUB_LEN) != 0 ||
        mbedtls_ecp_check_pubkey(&ec->grp, &ec->Q) != 0)
        return BN_EKEY;
    return 0;
}

int cert_issue(key_pair_t *authority, rng_t *rng, const uint8_t *ca_der, size_t ca_len,
               const key_pub_t *subject, cert_role_t role, const char *name,
               uint32_t not_before, uint32_t not_after,
               uint8_t *der, size_t cap, size_t *len, char *why, size_t whylen)
{
    mbedtls_x509write_cert w;
    mbedtls_x509_crt ca;
    mbedtls_pk_context spk;
    key_pub_t ca_pub, auth_pub;
    char dn[CERT_NAME_MAX + 4], ca_cn[CERT_NAME_MAX + 1];
    uint8_t san[CERT_NAME_MAX + 4];
    size_t nl;
    int rc;

    if (authority == NULL || rng == NULL || subject == NULL || der == NULL || len == NULL)
        return BN_EINVAL;
    if (role != CERT_KIOSK && role != CERT_SERVER)
        return bn_fail(why, whylen, BN_EINVAL, "role: %d is neither kiosk nor server", role);
    if (!name_ok(name))
        return bn_fail(why, whylen, BN_EINVAL, "name: not 1..64 of [A-Za-z0-9.-]");
    if (not_before == 0 || not_after < not_before)
        return bn_fail(why, whylen, BN_EINVAL, "validity: %u..%u", not_before, not_after);
    mbedtls_x509write_crt_init(&w);
    mbedtls_x509_crt_init(&ca);
    mbedtls_pk_init(&spk);
    if (parse_one(&ca, ca_der, ca_len) != 0 || !ca.ca_istrue) {
        rc = bn_fail(why, whylen, BN_EFORMAT, "authority certificate: not a DER CA certificate");
        goto out;
    }
    key_public(authority, &auth_pub);
    if (pub_of(&ca, &ca_pub) != 0 || memcmp(ca_pub.id, auth_pub.id, KEY_ID_LEN) != 0) {
        rc = bn_fail(why, whylen, BN_EWRONGKEY,
                     "the authority certificate is not for the signing key");
        goto out;
    }
    if (not_before < day_of(&ca.valid_from) || not_after > day_of(&ca.valid_to)) {
        rc = bn_fail(why, whylen, BN_ERANGE, "validity: outside the authority's");
        goto out;
    }
    cn_of(&ca, ca_cn);
    rc = pk_from_pub(&spk, subject);
    if (rc != 0)
        goto out;
    rc = setup(&w, rng, not_before, not_after);
    if (rc != 0)
        goto out;
    mbedtls_x509write_crt_set_subject_key(&w, &spk);
    mbedtls_x509write_crt_set_issuer_key(&w, key_pk(authority));
    rc = BN_ECRYPTO;
    snprintf(dn, sizeof dn, "CN=%s", ca_cn);
    if (mbedtls_x509write_crt_set_issuer_name(&w, dn) != 0)
        goto out;
    snprintf(dn, sizeof dn, "CN=%s", name);
    if (mbedtls_x509write_crt_set_subject_name(&w, dn) != 0 ||
        mbedtls_x509write_crt_set_basic_constraints(&w, 0, -1) != 0 ||
        mbedtls_x509write_crt_set_key_usage(&w, MBEDTLS_X509_KU_DIGITAL_SIGNATURE) != 0 ||
        mbedtls_x509write_crt_set_subject_key_identifier(&w) != 0 ||
        mbedtls_x509write_crt_set_authority_key_identifier(&w) != 0)
        goto out;
    if (role == CERT_KIOSK) {
        if (mbedtls_x509write_crt_set_extension(&w, MBEDTLS_OID_EXTENDED_KEY_USAGE,
                                                MBEDTLS_OID_SIZE(MBEDTLS_OID_EXTENDED_KEY_USAGE),
                                                0, eku_client, sizeof eku_client) != 0)
            goto out;
    } else {
        /* mbedTLS 2.28 has no subjectAltName writer: GeneralNames with one
         * dNSName [2] IA5String, written by hand (name <= 64 bytes). */
        nl = strlen(name);
        san[0] = 0x30;
        san[1] = (uint8_t)(nl + 2);
        san[2] = 0x82;
        san[3] = (uint8_t)nl;
        memcpy(san + 4, name, nl);
        if (mbedtls_x509write_crt_set_extension(&w, MBEDTLS_OID_EXTENDED_KEY_USAGE,
                                                MBEDTLS_OID_SIZE(MBEDTLS_OID_EXTENDED_KEY_USAGE),
                                                0, eku_server, sizeof eku_server) != 0 ||
            mbedtls_x509write_crt_set_extension(&w, MBEDTLS_OID_SUBJECT_ALT_NAME,
                                                MBEDTLS_OID_SIZE(MBEDTLS_OID_SUBJECT_ALT_NAME),
                                                0, san, nl + 4) != 0)
            goto out;
    }
    rc = write_der(&w, rng, der, cap, len);
out:
    mbedtls_pk_free(&spk);
    mbedtls_x509_crt_free(&ca);
    mbedtls_x509write_crt_free(&w);
    return rc;
}

/* Dates are checked against the caller's day, not the system clock. */
static int ignore_dates(void *arg, mbedtls_x509_crt *crt, int depth, uint32_t *flags)
{
    (void)arg;
    (void)crt;
    (void)depth;
    *flags &= ~(uint32_t)(MBEDTLS_X509_BADCERT_EXPIRED | MBEDTLS_X509_BADCERT_FUTURE);
    return 0;
}

static int check_dates(const mbedtls_x509_crt *c, const char *what, uint32_t today, char *why,
                       size_t whylen)
{
    char a[DAY_TEXT_LEN + 1], b[DAY_TEXT_LEN + 1], t[DAY_TEXT_LEN + 1];
    uint32_t nb = day_of(&c->valid_from), na = day_of(&c->valid_to);

    day_format(nb, a);
    day_format(na, b);
    day_format(today, t);
    if (nb == 0 || na == 0)
        return bn_fail(why, whylen, BN_EFORMAT, "%s: validity dates out of range", what);
    if (today < nb)
        return bn_fail(why, whylen, BN_ENOTYET, "%s: not valid before %s (today is %s)", what,
                       a, t);
    if (today > na)
        return bn_fail(why, whylen, BN_EEXPIRED, "%s: expired after %s (today is %s)", what, b,
                       t);
    return 0;
}

int cert_verify(const uint8_t *der, size_t len, const uint8_t *ca_der, size_t ca_len,
                uint32_t today, cert_role_t role, const char *host, cert_info_t *out,
                char *why, size_t whylen)
{
    mbedtls_x509_crt crt, ca;
    cert_info_t info;
    uint32_t flags = 0;
    int rc;

    mbedtls_x509_crt_init(&crt);
    mbedtls_x509_crt_init(&ca);
    memset(&info, 0, sizeof info);
    if (parse_one(&ca, ca_der, ca_len) != 0) {
        rc = bn_fail(why, whylen, BN_EFORMAT, "authority certificate: not one DER certificate");
        goto out;
    }
    if (parse_one(&crt, der, len) != 0) {
        rc = bn_fail(why, whylen, BN_EFORMAT, "certificate: not one DER certificate (%zu bytes)",
                     len);
        goto out;
    }
    rc = mbedtls_x509_crt_verify_with_profile(&crt, &ca, NULL, &profile, host, &flags,
                                              ignore_dates, NULL);
    if (rc != 0 || flags != 0) {
        if (flags & (MBEDTLS_X509_BADCERT_BAD_MD | MBEDTLS_X509_BADCERT_BAD_PK |
                     MBEDTLS_X509_BADCERT_BAD_KEY))
            rc = bn_fail(why, whylen, BN_EKEY,
                         "certificate: wrong key type (only ECDSA P-256 with SHA-256)");
        else if (flags & MBEDTLS_X509_BADCERT_CN_MISMATCH)
            rc = bn_fail(why, whylen, BN_EKEY, "certificate: not issued to host %s", host);
        else if (flags & MBEDTLS_X509_BADCERT_NOT_TRUSTED)
            rc = bn_fail(why, whylen, BN_EWRONGKEY, "certificate: not signed by the authority");
        else
            rc = bn_fail(why, whylen, BN_EWRONGKEY,
                         "certificate: does not chain to the authority (flags 0x%x)",
                         (unsigned)flags);
        goto out;
    }
    if (pub_of(&crt, &info.pub) != 0) {
        rc = bn_fail(why, whylen, BN_EKEY, "certificate: wrong key type (not ECDSA P-256)");
        goto out;
    }
    if (role == CERT_AUTHORITY) {
        if (!crt.ca_istrue || crt.raw.len != ca.raw.len ||
            memcmp(crt.raw.p, ca.raw.p, ca.raw.len) != 0) {
            rc = bn_fail(why, whylen, BN_EKEY, "certificate: not the authority certificate");
            goto out;
        }
    } else {
        const char *oid = role == CERT_KIOSK ? MBEDTLS_OID_CLIENT_AUTH : MBEDTLS_OID_SERVER_AUTH;

        if (crt.ca_istrue ||
            !(crt.ext_types & MBEDTLS_X509_EXT_EXTENDED_KEY_USAGE) ||
            mbedtls_x509_crt_check_extended_key_usage(&crt, oid, MBEDTLS_OID_SIZE(
                                                                    MBEDTLS_OID_CLIENT_AUTH)) != 0 ||
            mbedtls_x509_crt_check_key_usage(&crt, MBEDTLS_X509_KU_DIGITAL_SIGNATURE) != 0) {
            rc = bn_fail(why, whylen, BN_EKEY, "certificate: not a %s certificate",
                         role == CERT_KIOSK ? "kiosk" : "server");
            goto out;
        }
    }
    rc = check_dates(&ca, "authority certificate", today, why, whylen);
    if (rc == 0)
        rc = check_dates(&crt, "certificate", today, why, whylen);
    if (rc != 0)
        goto out;
    info.role = role;
    cn_of(&crt, info.name);
    info.not_before = day_of(&crt.valid_from);
    info.not_after = day_of(&crt.valid_to);
    if (out != NULL)
        *out = info;
out:
    mbedtls_x509_crt_free(&crt);
    mbedtls_x509_crt_free(&ca);
    return rc;
}

int cert_key(const uint8_t *der, size_t len, key_pub_t *out)
{
    mbedtls_x509_crt crt;
    int rc;

    mbedtls_x509_crt_init(&crt);
    rc = parse_one(&crt, der, len);
    if (rc == 0)
        rc = pub_of(&crt, out);
    mbedtls_x509_crt_free(&crt);
    return rc;
}

#define PEM_BEGIN "-----BEGIN CERTIFICATE-----\n"
#define PEM_END "-----END CERTIFICATE-----\n"

int cert_to_pem(const uint8_t *der, size_t len, char *pem, size_t cap, size_t *pemlen)
{
    size_t olen = 0;
    int rc;

    rc = mbedtls_pem_write_buffer(PEM_BEGIN, PEM_END, der, len, (unsigned char *)pem, cap, &olen);
    if (rc == MBEDTLS_ERR_BASE64_BUFFER_TOO_SMALL)
        return BN_ETOOBIG;
    if (rc != 0 || olen == 0)
        return BN_ECRYPTO;
    if (pemlen != NULL)
        *pemlen = olen - 1; /* olen counts the NUL */
    return 0;
}

int cert_from_pem(const char *pem, size_t pemlen, uint8_t *der, size_t cap, size_t *len)
{
    mbedtls_pem_context ctx;
    size_t used = 0, blen = 0;
    const unsigned char *b;
    char *z;
    int rc;

    if (pem == NULL || pemlen > CERT_PEM_MAX * 4)
        return BN_EFORMAT;
    z = malloc(pemlen + 1);
    if (z == NULL)
        return BN_ENOMEM;
    memcpy(z, pem, pemlen);
    z[pemlen] = 0;
    mbedtls_pem_init(&ctx);
    rc = mbedtls_pem_read_buffer(&ctx, "-----BEGIN CERTIFICATE-----", "-----END CERTIFICATE-----",
                                 (unsigned char *)z, NULL, 0, &used);
    if (rc != 0) {
        rc = BN_EFORMAT;
        goto out;
    }
    b = ctx.buf;
    blen = ctx.buflen;
    if (b == NULL || blen == 0) { /* found by fuzz_cert: a body of no bytes read as one */
        rc = BN_EFORMAT;
        goto out;
    }
    if (blen > cap) {
        rc = BN_ETOOBIG;
        goto out;
    }
    memcpy(der, b, blen);
    *len = blen;
    rc = 0;
out:
    mbedtls_pem_free(&ctx);
    free(z);
    return rc;
}

/* --- revocation list ---------------------------------------------------- */

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int cmp_id(const void *a, const void *b)
{
    return memcmp(a, b, KEY_ID_LEN);
}

/* Builds and signs a list of version `version` (entries of `stride` bytes:
 * the id, then for version 2 its day). */
static int revoke_sign(const signer_t *authority, uint32_t day, uint32_t seq, int version,
                       const uint8_t *ids, const uint32_t *since, size_t n, uint8_t **out,
                       size_t *len)
{
    size_t stride = version == CERT_REVOKE_VERSION ? KEY_ID_LEN : CERT_REVOKE_ENTRY_SINCE;
    uint8_t *buf;
    size_t i, total;
    int rc;

    if (authority == NULL || out == NULL || len == NULL || (n > 0 && ids == NULL) ||
        (version == CERT_REVOKE_VERSION_SINCE && n > 0 && since == NULL))
        return BN_EINVAL;
    *out = NULL;
    if (day == 0 || seq == 0)
        return BN_EINVAL;
    if (n > CERT_REVOKE_MAX)
        return BN_ETOOBIG;
    total = CERT_REVOKE_HEADER_LEN + stride * n + KEY_SIG_LEN;
    buf = malloc(total);
    if (buf == NULL)
        return BN_ENOMEM;
    memcpy(buf, CERT_REVOKE_MAGIC, 4);
    buf[4] = (uint8_t)version;
    put32(buf + 5, day);
    put32(buf + 9, seq);
    memcpy(buf + 13, authority->pub.id, KEY_ID_LEN);
    put32(buf + 45, (uint32_t)n);
    for (i = 0; i < n; i++) {
        uint8_t *e = buf + CERT_REVOKE_HEADER_LEN + i * stride;

        memcpy(e, ids + i * KEY_ID_LEN, KEY_ID_LEN);
        if (version == CERT_REVOKE_VERSION_SINCE) {
            if (since[i] == 0) {
                free(buf);
                return BN_EINVAL;
            }
            put32(e + KEY_ID_LEN, since[i]);
        }
    }
    qsort(buf + CERT_REVOKE_HEADER_LEN, n, stride, cmp_id);
    for (i = 1; i < n; i++)
        if (cmp_id(buf + CERT_REVOKE_HEADER_LEN + (i - 1) * stride,
                   buf + CERT_REVOKE_HEADER_LEN + i * stride) == 0) {
            free(buf);
            return BN_EINVAL;
        }
    rc = key_sign_msg(authority, buf, total - KEY_SIG_LEN, buf + total - KEY_SIG_LEN);
    if (rc != 0) {
        free(buf);
        return rc;
    }
    *out = buf;
    *len = total;
    return 0;
}

int cert_revoke_sign(const signer_t *authority, uint32_t day, uint32_t seq,
                     const uint8_t *ids, size_t n, uint8_t **out, size_t *len)
{
    return revoke_sign(authority, day, seq, CERT_REVOKE_VERSION, ids, NULL, n, out, len);
}

int cert_revoke_sign_since(const signer_t *authority, uint32_t day, uint32_t seq,
                           const uint8_t *ids, const uint32_t *since, size_t n, uint8_t **out,
                           size_t *len)
{
    return revoke_sign(authority, day, seq, CERT_REVOKE_VERSION_SINCE, ids, since, n, out, len);
}

int cert_revoke_decode(const uint8_t *buf, size_t len, cert_revoked_t *out,
                       char *why, size_t whylen)
{
    uint32_t n, i;
    size_t stride;

    if (buf == NULL || len < CERT_REVOKE_LEN(0))
        return bn_fail(why, whylen, BN_EFORMAT, "revocation list: %zu bytes, shorter than %zu",
                       len, CERT_REVOKE_LEN(0));
    if (memcmp(buf, CERT_REVOKE_MAGIC, 4) != 0)
        return bn_fail(why, whylen, BN_EFORMAT, "revocation list: offset 0: magic is not BRNL");
    if (buf[4] != CERT_REVOKE_VERSION && buf[4] != CERT_REVOKE_VERSION_SINCE)
        return bn_fail(why, whylen, BN_EFORMAT,
                       "revocation list: offset 4: version %u is not 1 or 2", buf[4]);
    stride = buf[4] == CERT_REVOKE_VERSION ? KEY_ID_LEN : CERT_REVOKE_ENTRY_SINCE;
    if (get32(buf + 5) == 0)
        return bn_fail(why, whylen, BN_EFORMAT, "revocation list: offset 5: day is 0");
    if (get32(buf + 9) == 0)
        return bn_fail(why, whylen, BN_EFORMAT, "revocation list: offset 9: sequence is 0");
    n = get32(buf + 45);
    if (n > CERT_REVOKE_MAX)
        return bn_fail(why, whylen, BN_EFORMAT, "revocation list: offset 45: %u ids, more than %d",
                       n, CERT_REVOKE_MAX);
    if (len != CERT_REVOKE_HEADER_LEN + stride * n + KEY_SIG_LEN)
        return bn_fail(why, whylen, BN_EFORMAT, "revocation list: %zu bytes, expected %zu for %u ids",
                       len, CERT_REVOKE_HEADER_LEN + stride * n + KEY_SIG_LEN, n);
    for (i = 0; i < n; i++) {
        const uint8_t *e = buf + CERT_REVOKE_HEADER_LEN + (size_t)i * stride;

        if (i > 0 && cmp_id(e - stride, e) >= 0)
            return bn_fail(why, whylen, BN_EFORMAT,
                           "revocation list: offset %zu: id %u is not above id %u",
                           CERT_REVOKE_HEADER_LEN + (size_t)i * stride, i, i - 1);
        if (stride == CERT_REVOKE_ENTRY_SINCE && get32(e + KEY_ID_LEN) == 0)
            return bn_fail(why, whylen, BN_EFORMAT, "revocation list: offset %zu: id %u is "
                           "revoked from day 0", CERT_REVOKE_HEADER_LEN + (size_t)i * stride +
                           KEY_ID_LEN, i);
    }
    if (out != NULL) {
        out->day = get32(buf + 5);
        out->seq = get32(buf + 9);
        memcpy(out->authority, buf + 13, KEY_ID_LEN);
        out->n = n;
        out->version = buf[4];
        out->stride = stride;
        out->ids = buf + CERT_REVOKE_HEADER_LEN;
        out->sig = buf + len - KEY_SIG_LEN;
    }
    return 0;
}

int cert_revoke_open(const uint8_t *buf, size_t len, const key_pub_t *authority,
                     cert_revoked_t *out, char *why, size_t whylen)
{
    cert_revoked_t r;
    int rc;

    if (authority == NULL)
        return BN_EINVAL;
    rc = cert_revoke_decode(buf, len, &r, why, whylen);
    if (rc != 0)
        return rc;
    if (memcmp(r.authority, authority->id, KEY_ID_LEN) != 0)
        return bn_fail(why, whylen, BN_EWRONGKEY,
                       "revocation list: signed by another key than the authority's");
    if (key_verify_msg(authority, buf, len - KEY_SIG_LEN, r.sig) != 0)
        return bn_fail(why, whylen, BN_EBADSIG, "revocation list: signature does not match");
    if (out != NULL)
        *out = r;
    return 0;
}

int cert_is_revoked(const cert_revoked_t *r, const uint8_t id[KEY_ID_LEN])
{
    uint32_t since;

    return cert_revoked_since(r, id, &since);
}

/* (CERT-R1) */
int cert_revoked_since(const cert_revoked_t *r, const uint8_t id[KEY_ID_LEN], uint32_t *since)
{
    const uint8_t *e;

    *since = 0;
    if (r == NULL || r->n == 0)
        return 0;
    e = bsearch(id, r->ids, r->n, r->stride ? r->stride : KEY_ID_LEN, cmp_id);
    if (e == NULL)
        return 0;
    if (r->stride == CERT_REVOKE_ENTRY_SINCE)
        *since = get32(e + KEY_ID_LEN);
    return 1;
}

const uint8_t *cert_revoked_id(const cert_revoked_t *r, uint32_t i)
{
    return r->ids + (size_t)i * (r->stride ? r->stride : KEY_ID_LEN);
}

void cert_fingerprint(const uint8_t *der, size_t len, char out[CERT_FPR_LEN])
{
    static const char b32[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    uint8_t d[32];
    int i, o = 0;

    key_sha256(der, len, d);
    for (i = 0; i < 32; i++) { /* 160 bits = 32 symbols of 5 bits */
        int bit = i * 5, byte = bit / 8, shift = bit % 8;
        unsigned v = ((unsigned)d[byte] << 8 | d[byte + 1]) >> (11 - shift) & 31;

        if (i > 0 && i % 4 == 0)
            out[o++] = '-';
        out[o++] = b32[v];
    }
    out[o] = '\0';
}
