/* test_cert.c - authority, kiosk and server certificates (issue, verify at a
 * given day, every reason for refusal), PEM, OpenSSL interop, and the signed
 * revocation list (round trip, strict decoding, every bit tampered). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/bignum.h>
#include <mbedtls/ecp.h>
#include <mbedtls/pk.h>
#include <mbedtls/x509_crt.h>

#include "bn_err.h"
#include "cert.h"
#include "day.h"
#include "hex.h"
#include "key.h"
#include "rng.h"
#include "testutil.h"

#define FROM 20454u  /* 2026-01-01 */
#define UNTIL 22279u /* 2030-12-31 */
#define TODAY 20785u /* 2026-11-28 */

static rng_t *rng;
static key_pair_t *auth, *auth2, *kiosk, *server;
static uint8_t ca[CERT_DER_MAX], ca2[CERT_DER_MAX];
static size_t ca_len, ca2_len;

static int setup(void **state)
{
    static const uint8_t seed[] = "test_cert";

    (void)state;
    assert_int_equal(rng_open_fixed(&rng, seed, sizeof seed - 1), 0);
    assert_int_equal(key_generate(rng, &auth), 0);
    assert_int_equal(key_generate(rng, &auth2), 0);
    assert_int_equal(key_generate(rng, &kiosk), 0);
    assert_int_equal(key_generate(rng, &server), 0);
    assert_int_equal(cert_make_authority(auth, rng, "Autorite-Ille-et-Vilaine", FROM, UNTIL, ca,
                                         sizeof ca, &ca_len, NULL, 0), 0);
    assert_int_equal(cert_make_authority(auth2, rng, "Autorite-Ille-et-Vilaine", FROM, UNTIL,
                                         ca2, sizeof ca2, &ca2_len, NULL, 0), 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    key_free(auth);
    key_free(auth2);
    key_free(kiosk);
    key_free(server);
    rng_close(rng);
    return 0;
}

static void issue(key_pair_t *subject, cert_role_t role, const char *name, uint32_t nb,
                  uint32_t na, uint8_t *der, size_t *len)
{
    key_pub_t p;
    char why[200] = "";

    key_public(subject, &p);
    assert_int_equal(cert_issue(auth, rng, ca, ca_len, &p, role, name, nb, na, der, CERT_DER_MAX,
                                len, why, sizeof why), 0);
}

static void test_authority(void **state)
{
    cert_info_t ci;
    key_pub_t p, k;
    char why[200];

    (void)state;
    assert_true(ca_len > 200 && ca_len < 1000);
    assert_int_equal(cert_verify(ca, ca_len, ca, ca_len, TODAY, CERT_AUTHORITY, NULL, &ci, why,
                                 sizeof why), 0);
    key_public(auth, &p);
    assert_memory_equal(ci.pub.id, p.id, KEY_ID_LEN);
    assert_string_equal(ci.name, "Autorite-Ille-et-Vilaine");
    assert_int_equal(ci.not_before, FROM);
    assert_int_equal(ci.not_after, UNTIL);
    assert_int_equal(cert_key(ca, ca_len, &k), 0);
    assert_memory_equal(k.id, p.id, KEY_ID_LEN);
    /* the CA is not a kiosk */
    assert_int_equal(cert_verify(ca, ca_len, ca, ca_len, TODAY, CERT_KIOSK, NULL, NULL, why,
                                 sizeof why), BN_EKEY);
    /* another authority's CA is not signed by this one */
    assert_int_equal(cert_verify(ca2, ca2_len, ca, ca_len, TODAY, CERT_AUTHORITY, NULL, NULL, why,
                                 sizeof why), BN_EWRONGKEY);
    /* bad arguments */
    assert_int_equal(cert_make_authority(auth, rng, "bad name", FROM, UNTIL, ca2, sizeof ca2,
                                         &ca2_len, NULL, 0), BN_EINVAL);
    assert_int_equal(cert_make_authority(auth, rng, "a", UNTIL, FROM, ca2, sizeof ca2, &ca2_len,
                                         NULL, 0), BN_EINVAL);
}

static void test_kiosk(void **state)
{
    uint8_t der[CERT_DER_MAX];
    size_t len = 0;
    cert_info_t ci;
    key_pub_t p;
    char why[200] = "";

    (void)state;
    issue(kiosk, CERT_KIOSK, "kiosk-35238-01", FROM, UNTIL, der, &len);
    assert_int_equal(cert_verify(der, len, ca, ca_len, TODAY, CERT_KIOSK, NULL, &ci, why,
                                 sizeof why), 0);
    key_public(kiosk, &p);
    assert_memory_equal(&ci.pub, &p, sizeof p);
    assert_string_equal(ci.name, "kiosk-35238-01");
    assert_int_equal(ci.role, CERT_KIOSK);
    /* first and last valid days, inclusive */
    assert_int_equal(cert_verify(der, len, ca, ca_len, FROM, CERT_KIOSK, NULL, NULL, NULL, 0), 0);
    assert_int_equal(cert_verify(der, len, ca, ca_len, UNTIL, CERT_KIOSK, NULL, NULL, NULL, 0), 0);
    /* a kiosk certificate is not a server certificate, nor an authority */
    assert_int_equal(cert_verify(der, len, ca, ca_len, TODAY, CERT_SERVER, NULL, NULL, why,
                                 sizeof why), BN_EKEY);
    assert_non_null(strstr(why, "not a server certificate"));
    assert_int_equal(cert_verify(der, len, ca, ca_len, TODAY, CERT_AUTHORITY, NULL, NULL, why,
                                 sizeof why), BN_EKEY);
    /* verified against another authority */
    assert_int_equal(cert_verify(der, len, ca2, ca2_len, TODAY, CERT_KIOSK, NULL, NULL, why,
                                 sizeof why), BN_EWRONGKEY);
    assert_non_null(strstr(why, "not signed by the authority"));
    /* a kiosk certificate cannot act as an authority */
    {
        uint8_t d2[CERT_DER_MAX];
        size_t l2 = 0;

        issue(server, CERT_KIOSK, "kiosk-35238-03", FROM, UNTIL, d2, &l2);
        assert_int_equal(cert_verify(d2, l2, der, len, TODAY, CERT_KIOSK, NULL, NULL, why,
                                     sizeof why), BN_EWRONGKEY);
    }
}

static void test_dates(void **state)
{
    uint8_t der[CERT_DER_MAX];
    size_t len = 0;
    char why[200] = "";
    key_pub_t p;

    (void)state;
    issue(kiosk, CERT_KIOSK, "kiosk-35238-02", FROM + 100, FROM + 200, der, &len);
    assert_int_equal(cert_verify(der, len, ca, ca_len, FROM + 99, CERT_KIOSK, NULL, NULL, why,
                                 sizeof why), BN_ENOTYET);
    assert_non_null(strstr(why, "not valid before 2026-04-11"));
    assert_int_equal(cert_verify(der, len, ca, ca_len, FROM + 201, CERT_KIOSK, NULL, NULL, why,
                                 sizeof why), BN_EEXPIRED);
    assert_non_null(strstr(why, "expired after 2026-07-20"));
    assert_int_equal(cert_verify(der, len, ca, ca_len, FROM + 150, CERT_KIOSK, NULL, NULL, NULL, 0),
                     0);
    /* the CA's own dates count too */
    issue(kiosk, CERT_KIOSK, "kiosk-35238-02", FROM, UNTIL, der, &len);
    assert_int_equal(cert_verify(der, len, ca, ca_len, UNTIL + 1, CERT_KIOSK, NULL, NULL, why,
                                 sizeof why), BN_EEXPIRED);
    assert_non_null(strstr(why, "authority certificate: expired"));
    assert_int_equal(cert_verify(der, len, ca, ca_len, FROM - 1, CERT_KIOSK, NULL, NULL, why,
                                 sizeof why), BN_ENOTYET);
    /* the authority does not issue beyond its own validity */
    key_public(kiosk, &p);
    assert_int_equal(cert_issue(auth, rng, ca, ca_len, &p, CERT_KIOSK, "k", FROM, UNTIL + 1, der,
                                sizeof der, &len, why, sizeof why), BN_ERANGE);
    /* nor with a CA certificate that is not its own */
    assert_int_equal(cert_issue(auth, rng, ca2, ca2_len, &p, CERT_KIOSK, "k", FROM, UNTIL, der,
                                sizeof der, &len, why, sizeof why), BN_EWRONGKEY);
    assert_int_equal(cert_issue(auth, rng, ca, ca_len, &p, CERT_KIOSK, "k/1", FROM, UNTIL, der,
                                sizeof der, &len, why, sizeof why), BN_EINVAL);
    assert_int_equal(cert_issue(auth, rng, ca, ca_len, &p, CERT_AUTHORITY, "k", FROM, UNTIL, der,
                                sizeof der, &len, why, sizeof why), BN_EINVAL);
}

static void test_server(void **state)
{
    uint8_t der[CERT_DER_MAX];
    size_t len = 0;
    char why[200] = "";
    mbedtls_x509_crt crt;

    (void)state;
    issue(server, CERT_SERVER, "borne.ille-et-vilaine.fr", FROM, UNTIL, der, &len);
    assert_int_equal(cert_verify(der, len, ca, ca_len, TODAY, CERT_SERVER,
                                 "borne.ille-et-vilaine.fr", NULL, why, sizeof why), 0);
    assert_int_equal(cert_verify(der, len, ca, ca_len, TODAY, CERT_SERVER, "evil.example", NULL,
                                 why, sizeof why), BN_EKEY);
    assert_non_null(strstr(why, "not issued to host evil.example"));
    assert_int_equal(cert_verify(der, len, ca, ca_len, TODAY, CERT_KIOSK, NULL, NULL, why,
                                 sizeof why), BN_EKEY);
    /* the host name is in subjectAltName (dNSName), as TLS clients expect */
    mbedtls_x509_crt_init(&crt);
    assert_int_equal(mbedtls_x509_crt_parse_der(&crt, der, len), 0);
    assert_non_null(crt.subject_alt_names.buf.p);
    assert_int_equal(crt.subject_alt_names.buf.len, strlen("borne.ille-et-vilaine.fr"));
    assert_memory_equal(crt.subject_alt_names.buf.p, "borne.ille-et-vilaine.fr",
                        crt.subject_alt_names.buf.len);
    assert_int_equal(crt.ca_istrue, 0);
    mbedtls_x509_crt_free(&crt);
}

/* A certificate for a P-384 key, signed by the authority: refused for its
 * key type, even though the authority signed it. */
static void test_wrong_key_type(void **state)
{
    mbedtls_pk_context k384;
    mbedtls_x509write_cert w;
    mbedtls_mpi sn;
    uint8_t buf[CERT_DER_MAX];
    char why[200] = "";
    int n;

    (void)state;
    mbedtls_pk_init(&k384);
    mbedtls_x509write_crt_init(&w);
    mbedtls_mpi_init(&sn);
    assert_int_equal(mbedtls_pk_setup(&k384, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY)), 0);
    assert_int_equal(mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP384R1, mbedtls_pk_ec(k384),
                                         rng_mbedtls, rng), 0);
    mbedtls_x509write_crt_set_version(&w, MBEDTLS_X509_CRT_VERSION_3);
    mbedtls_x509write_crt_set_md_alg(&w, MBEDTLS_MD_SHA256);
    assert_int_equal(mbedtls_mpi_lset(&sn, 7), 0);
    assert_int_equal(mbedtls_x509write_crt_set_serial(&w, &sn), 0);
    assert_int_equal(mbedtls_x509write_crt_set_validity(&w, "20260101000000", "20301231235959"), 0);
    assert_int_equal(mbedtls_x509write_crt_set_subject_name(&w, "CN=kiosk-p384"), 0);
    assert_int_equal(mbedtls_x509write_crt_set_issuer_name(&w, "CN=Autorite-Ille-et-Vilaine"), 0);
    mbedtls_x509write_crt_set_subject_key(&w, &k384);
    mbedtls_x509write_crt_set_issuer_key(&w, key_pk(auth));
    n = mbedtls_x509write_crt_der(&w, buf, sizeof buf, rng_mbedtls, rng);
    assert_true(n > 0);
    assert_int_equal(cert_verify(buf + sizeof buf - n, (size_t)n, ca, ca_len, TODAY, CERT_KIOSK,
                                 NULL, NULL, why, sizeof why), BN_EKEY);
    assert_non_null(strstr(why, "wrong key type"));
    mbedtls_mpi_free(&sn);
    mbedtls_x509write_crt_free(&w);
    mbedtls_pk_free(&k384);
}

static void test_malformed(void **state)
{
    uint8_t der[CERT_DER_MAX + 1];
    size_t len = 0, i;
    int refused = 0;

    (void)state;
    issue(kiosk, CERT_KIOSK, "kiosk-35238-01", FROM, UNTIL, der, &len);
    der[len] = 0;
    assert_int_equal(cert_verify(der, len + 1, ca, ca_len, TODAY, CERT_KIOSK, NULL, NULL, NULL, 0),
                     BN_EFORMAT);
    assert_int_equal(cert_verify(der, len - 1, ca, ca_len, TODAY, CERT_KIOSK, NULL, NULL, NULL, 0),
                     BN_EFORMAT);
    assert_int_equal(cert_verify(der, 0, ca, ca_len, TODAY, CERT_KIOSK, NULL, NULL, NULL, 0),
                     BN_EFORMAT);
    assert_int_equal(cert_verify(der, len, ca, ca_len - 1, TODAY, CERT_KIOSK, NULL, NULL, NULL, 0),
                     BN_EFORMAT);
    /* every single-bit change of the kiosk certificate is refused */
    for (i = 0; i < len * 8; i++) {
        der[i / 8] ^= (uint8_t)(1u << (i % 8));
        if (cert_verify(der, len, ca, ca_len, TODAY, CERT_KIOSK, NULL, NULL, NULL, 0) != 0)
            refused++;
        der[i / 8] ^= (uint8_t)(1u << (i % 8));
    }
    printf("  %d of %zu bit flips of a kiosk certificate refused\n", refused, len * 8);
    assert_int_equal((size_t)refused, len * 8);
}

static void test_pem(void **state)
{
    uint8_t der[CERT_DER_MAX], back[CERT_DER_MAX];
    char pem[CERT_PEM_MAX];
    size_t len = 0, plen = 0, blen = 0;
    key_pub_t a, b;

    (void)state;
    issue(kiosk, CERT_KIOSK, "kiosk-35238-01", FROM, UNTIL, der, &len);
    assert_int_equal(cert_to_pem(der, len, pem, sizeof pem, &plen), 0);
    assert_int_equal(plen, strlen(pem));
    assert_non_null(strstr(pem, "-----BEGIN CERTIFICATE-----\n"));
    assert_int_equal(cert_from_pem(pem, plen, back, sizeof back, &blen), 0);
    assert_int_equal(blen, len);
    assert_memory_equal(back, der, len);
    /* key.h reads the same key from the PEM */
    assert_int_equal(key_pub_from_pem(pem, plen, &a, NULL, 0), 0);
    key_public(kiosk, &b);
    assert_memory_equal(&a, &b, sizeof a);
    assert_int_equal(cert_from_pem("junk", 4, back, sizeof back, &blen), BN_EFORMAT);
    /* (fuzz_cert) a PEM whose body is no bytes is no certificate */
    {
        static const char empty[] = "-----BEGIN CERTIFICATE-----\nDC\n-----END CERTIFICATE-----\n";

        assert_int_equal(cert_from_pem(empty, sizeof empty - 1, back, sizeof back, &blen),
                         BN_EFORMAT);
    }
    assert_int_equal(cert_to_pem(der, len, pem, 100, &plen), BN_ETOOBIG);
}

/* OpenSSL agrees: `openssl verify` accepts the chain, and checks the host. */
static void test_openssl(void **state)
{
    char *dir = tu_tmpdir("cert"), *cap = tu_path(dir, "ca.pem"), *kp = tu_path(dir, "k.pem");
    char *sp = tu_path(dir, "s.pem"), cmd[2048], pem[CERT_PEM_MAX];
    uint8_t der[CERT_DER_MAX];
    size_t len = 0, plen = 0;

    (void)state;
    if (system("openssl version > /dev/null 2>&1") != 0) {
        printf("  openssl not found: skipped\n");
        goto out;
    }
    assert_int_equal(cert_to_pem(ca, ca_len, pem, sizeof pem, &plen), 0);
    assert_int_equal(tu_write(cap, pem, plen), 0);
    issue(kiosk, CERT_KIOSK, "kiosk-35238-01", FROM, UNTIL, der, &len);
    assert_int_equal(cert_to_pem(der, len, pem, sizeof pem, &plen), 0);
    assert_int_equal(tu_write(kp, pem, plen), 0);
    issue(server, CERT_SERVER, "borne.ille-et-vilaine.fr", FROM, UNTIL, der, &len);
    assert_int_equal(cert_to_pem(der, len, pem, sizeof pem, &plen), 0);
    assert_int_equal(tu_write(sp, pem, plen), 0);
    /* 1795824000 = 2026-11-28 00:00 UTC */
    snprintf(cmd, sizeof cmd, "openssl verify -attime 1795824000 -CAfile %s -purpose sslclient %s",
             cap, kp);
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "openssl verify -attime 1795824000 -CAfile %s -purpose sslserver "
             "-verify_hostname borne.ille-et-vilaine.fr %s", cap, sp);
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "openssl verify -attime 1795824000 -CAfile %s "
             "-verify_hostname evil.example %s > /dev/null 2>&1", cap, sp);
    assert_int_not_equal(system(cmd), 0);
out:
    tu_rmtree(dir);
    free(cap);
    free(kp);
    free(sp);
    free(dir);
}

/* --- revocation list ----------------------------------------------------- */

static void test_revoke_round_trip(void **state)
{
    uint8_t ids[5 * KEY_ID_LEN], *buf = NULL, probe[KEY_ID_LEN];
    size_t len = 0, i;
    cert_revoked_t r;
    signer_t s, s2;
    char why[200];

    (void)state;
    key_signer(auth, &s);
    key_signer(auth2, &s2);
    assert_int_equal(rng_bytes(rng, ids, sizeof ids), 0);
    assert_int_equal(cert_revoke_sign(&s, TODAY, 3, ids, 5, &buf, &len), 0);
    assert_int_equal(len, CERT_REVOKE_LEN(5));
    assert_int_equal(cert_revoke_open(buf, len, &s.pub, &r, why, sizeof why), 0);
    assert_int_equal(r.day, TODAY);
    assert_int_equal(r.seq, 3);
    assert_int_equal(r.n, 5);
    assert_memory_equal(r.authority, s.pub.id, KEY_ID_LEN);
    for (i = 0; i < 5; i++)
        assert_int_equal(cert_is_revoked(&r, ids + i * KEY_ID_LEN), 1);
    memset(probe, 0, sizeof probe);
    assert_int_equal(cert_is_revoked(&r, probe), 0);
    memset(probe, 0xff, sizeof probe);
    assert_int_equal(cert_is_revoked(&r, probe), 0);
    assert_int_equal(cert_is_revoked(NULL, probe), 0);
    /* another authority's key */
    assert_int_equal(cert_revoke_open(buf, len, &s2.pub, NULL, why, sizeof why), BN_EWRONGKEY);
    /* every bit */
    {
        int refused = 0;
        size_t b;

        for (b = 0; b < len * 8; b++) {
            buf[b / 8] ^= (uint8_t)(1u << (b % 8));
            if (cert_revoke_open(buf, len, &s.pub, NULL, NULL, 0) != 0)
                refused++;
            buf[b / 8] ^= (uint8_t)(1u << (b % 8));
        }
        assert_int_equal((size_t)refused, len * 8);
    }
    free(buf);
    /* a duplicate id is refused by the signer */
    memcpy(ids + KEY_ID_LEN, ids, KEY_ID_LEN);
    assert_int_equal(cert_revoke_sign(&s, TODAY, 3, ids, 5, &buf, &len), BN_EINVAL);
    /* empty list */
    assert_int_equal(cert_revoke_sign(&s, TODAY, 1, NULL, 0, &buf, &len), 0);
    assert_int_equal(cert_revoke_open(buf, len, &s.pub, &r, NULL, 0), 0);
    assert_int_equal(r.n, 0);
    assert_int_equal(cert_is_revoked(&r, probe), 0);
    free(buf);
}

/* (CERT-R1) A version-2 list: each id with the day from which it is
 * revoked; round trip, every bit, a day 0 refused by the signer and by the
 * decoder, a version-1 list reads as "every day". */
static void test_revoke_since(void **state)
{
    uint8_t ids[3 * KEY_ID_LEN], *buf = NULL, *v1 = NULL;
    uint32_t since[3] = {TODAY, TODAY + 5, 1}, got = 99;
    size_t len = 0, len1 = 0, i, b;
    cert_revoked_t r;
    signer_t s;
    char why[200];
    int refused = 0;

    (void)state;
    key_signer(auth, &s);
    assert_int_equal(rng_bytes(rng, ids, sizeof ids), 0);
    assert_int_equal(cert_revoke_sign_since(&s, TODAY, 4, ids, since, 3, &buf, &len), 0);
    assert_int_equal(len, CERT_REVOKE_LEN_SINCE(3));
    assert_int_equal(cert_revoke_open(buf, len, &s.pub, &r, why, sizeof why), 0);
    assert_int_equal(r.version, 2);
    for (i = 0; i < 3; i++) {
        assert_int_equal(cert_revoked_since(&r, ids + i * KEY_ID_LEN, &got), 1);
        assert_int_equal(got, since[i]);
        assert_int_equal(cert_is_revoked(&r, ids + i * KEY_ID_LEN), 1);
    }
    for (i = 1; i < 3; i++)
        assert_true(memcmp(cert_revoked_id(&r, (uint32_t)i - 1), cert_revoked_id(&r, (uint32_t)i),
                           KEY_ID_LEN) < 0);
    for (b = 0; b < len * 8; b++) {
        buf[b / 8] ^= (uint8_t)(1u << (b % 8));
        if (cert_revoke_open(buf, len, &s.pub, NULL, NULL, 0) != 0)
            refused++;
        buf[b / 8] ^= (uint8_t)(1u << (b % 8));
    }
    assert_int_equal((size_t)refused, len * 8);
    /* a day 0 in an entry: refused when decoding, even re-signed */
    buf[CERT_REVOKE_HEADER_LEN + KEY_ID_LEN] = 0;
    buf[CERT_REVOKE_HEADER_LEN + KEY_ID_LEN + 1] = 0;
    buf[CERT_REVOKE_HEADER_LEN + KEY_ID_LEN + 2] = 0;
    buf[CERT_REVOKE_HEADER_LEN + KEY_ID_LEN + 3] = 0;
    assert_int_equal(cert_revoke_decode(buf, len, NULL, why, sizeof why), BN_EFORMAT);
    assert_non_null(strstr(why, "revoked from day 0"));
    free(buf);
    since[1] = 0;
    assert_int_equal(cert_revoke_sign_since(&s, TODAY, 4, ids, since, 3, &buf, &len), BN_EINVAL);
    /* version 1: revoked for every day */
    assert_int_equal(cert_revoke_sign(&s, TODAY, 1, ids, 1, &v1, &len1), 0);
    assert_int_equal(cert_revoke_open(v1, len1, &s.pub, &r, NULL, 0), 0);
    assert_int_equal(cert_revoked_since(&r, ids, &got), 1);
    assert_int_equal(got, 0);
    free(v1);
}

static void test_revoke_strict(void **state)
{
    uint8_t ids[3 * KEY_ID_LEN], *buf = NULL, copy[CERT_REVOKE_LEN(3) + 1];
    size_t len = 0;
    signer_t s;
    char why[200];

    (void)state;
    key_signer(auth, &s);
    memset(ids, 0, sizeof ids);
    ids[0] = 1;
    ids[KEY_ID_LEN] = 2;
    ids[2 * KEY_ID_LEN] = 3;
    assert_int_equal(cert_revoke_sign(&s, TODAY, 9, ids, 3, &buf, &len), 0);
#define RESIGN() assert_int_equal(key_sign_msg(&s, copy, len - KEY_SIG_LEN, copy + len - KEY_SIG_LEN), 0)
    /* each rule, with a valid signature over the changed bytes */
    memcpy(copy, buf, len); copy[0] = 'b'; RESIGN();
    assert_int_equal(cert_revoke_open(copy, len, &s.pub, NULL, why, sizeof why), BN_EFORMAT);
    memcpy(copy, buf, len); copy[4] = 2; RESIGN();
    assert_int_equal(cert_revoke_open(copy, len, &s.pub, NULL, why, sizeof why), BN_EFORMAT);
    memcpy(copy, buf, len); memset(copy + 5, 0, 4); RESIGN();
    assert_int_equal(cert_revoke_open(copy, len, &s.pub, NULL, why, sizeof why), BN_EFORMAT);
    memcpy(copy, buf, len); memset(copy + 9, 0, 4); RESIGN();
    assert_int_equal(cert_revoke_open(copy, len, &s.pub, NULL, why, sizeof why), BN_EFORMAT);
    memcpy(copy, buf, len); copy[48] = 4; RESIGN();  /* n = 4 with 3 ids */
    assert_int_equal(cert_revoke_open(copy, len, &s.pub, NULL, why, sizeof why), BN_EFORMAT);
    memcpy(copy, buf, len); copy[CERT_REVOKE_HEADER_LEN + KEY_ID_LEN] = 1; RESIGN(); /* duplicate */
    assert_int_equal(cert_revoke_open(copy, len, &s.pub, NULL, why, sizeof why), BN_EFORMAT);
    assert_non_null(strstr(why, "is not above"));
    memcpy(copy, buf, len); copy[CERT_REVOKE_HEADER_LEN] = 9; RESIGN(); /* unsorted */
    assert_int_equal(cert_revoke_open(copy, len, &s.pub, NULL, why, sizeof why), BN_EFORMAT);
    /* lengths */
    memcpy(copy, buf, len);
    copy[len] = 0;
    assert_int_equal(cert_revoke_decode(copy, len + 1, NULL, NULL, 0), BN_EFORMAT);
    assert_int_equal(cert_revoke_decode(copy, len - 1, NULL, NULL, 0), BN_EFORMAT);
    assert_int_equal(cert_revoke_decode(copy, 10, NULL, NULL, 0), BN_EFORMAT);
    assert_int_equal(cert_revoke_decode(copy, len, NULL, NULL, 0), 0);
#undef RESIGN
    free(buf);
}

static int regen(void)
{
    const char *e = getenv("BORNE_REGEN_VECTORS");

    return e != NULL && strcmp(e, "1") == 0;
}

/* tests/vectors/bundle/revocation.txt: a list of two kiosks signed by a
 * fixed authority key; with BORNE_REGEN_VECTORS=1 also a fuzz seed. */
static void test_revoke_vector(void **state)
{
    static const uint8_t seed[] = "borne revocation vectors v1";
    char *path = tu_vector("bundle/revocation.txt"), out[2048], hex[2 * CERT_REVOKE_LEN(2) + 1];
    uint8_t ids[2 * KEY_ID_LEN], *buf = NULL, *text;
    size_t len = 0, n = 0, have = 0;
    rng_t *vr = NULL;
    key_pair_t *va = NULL;
    signer_t s;
    cert_revoked_t r;

    (void)state;
    assert_int_equal(rng_open_fixed(&vr, seed, sizeof seed - 1), 0);
    assert_int_equal(key_generate(vr, &va), 0);
    key_signer(va, &s);
    key_sha256("kiosk-35238-01", 14, ids);
    key_sha256("kiosk-35238-02", 14, ids + KEY_ID_LEN);
    assert_int_equal(cert_revoke_sign(&s, TODAY, 1, ids, 2, &buf, &len), 0);
    assert_int_equal(cert_revoke_open(buf, len, &s.pub, &r, NULL, 0), 0);
    n += (size_t)snprintf(out + n, sizeof out - n,
        "# Revocation list vector, format version 1 (docs/formats.md, 'Revocation list').\n"
        "# Written by test_cert with BORNE_REGEN_VECTORS=1. Authority key:\n"
        "# key_generate(rng_open_fixed(seed)). Revoked ids: SHA-256 of the ASCII\n"
        "# strings kiosk-35238-01 and kiosk-35238-02 (stand-ins for key ids).\n"
        "seed = borne revocation vectors v1\nday = 2026-11-28\nseq = 1\n");
    hex_encode(s.pub.pub, KEY_PUB_LEN, hex);
    n += (size_t)snprintf(out + n, sizeof out - n, "authority_pub = %s\n", hex);
    hex_encode(s.pub.id, KEY_ID_LEN, hex);
    n += (size_t)snprintf(out + n, sizeof out - n, "authority_id = %s\n", hex);
    hex_encode(buf, len, hex);
    n += (size_t)snprintf(out + n, sizeof out - n, "encoded = %s\n", hex);
    if (regen()) {
        char *fz = tu_vector("../fuzz/corpus/fuzz_bundle/valid-revocation-list");

        assert_int_equal(tu_write(path, out, n), 0);
        assert_int_equal(tu_write(fz, buf, len), 0);
        free(fz);
    } else {
        text = tu_read(path, &have);
        assert_non_null(text);
        assert_int_equal(have, n);
        assert_memory_equal(text, out, n);
        free(text);
    }
    free(buf);
    key_free(va);
    rng_close(vr);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_authority),
        cmocka_unit_test(test_kiosk),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_server),
        cmocka_unit_test(test_wrong_key_type),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_pem),
        cmocka_unit_test(test_openssl),
        cmocka_unit_test(test_revoke_round_trip),
        cmocka_unit_test(test_revoke_since),
        cmocka_unit_test(test_revoke_strict),
        cmocka_unit_test(test_revoke_vector),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
