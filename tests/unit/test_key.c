/* test_key.c - keys: generation, files and their permissions, signatures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bn_err.h"
#include "key.h"
#include "rng.h"
#include "testutil.h"

typedef struct {
    rng_t *rng;
    key_pair_t *key;
    signer_t signer;
    char *dir;
} fx_t;

static int setup(void **state)
{
    static const uint8_t seed[] = "test_key";
    fx_t *f = calloc(1, sizeof *f);

    assert_non_null(f);
    assert_int_equal(rng_open_fixed(&f->rng, seed, sizeof seed), 0);
    assert_int_equal(key_generate(f->rng, &f->key), 0);
    key_signer(f->key, &f->signer);
    f->dir = tu_tmpdir("key");
    assert_non_null(f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx_t *f = *state;

    key_free(f->key);
    rng_close(f->rng);
    tu_rmtree(f->dir);
    free(f->dir);
    free(f);
    return 0;
}

static void test_sign_verify(void **state)
{
    fx_t *f = *state;
    uint8_t sig[KEY_SIG_LEN], sig2[KEY_SIG_LEN];
    const char msg[] = "borne";

    assert_int_equal(key_sign_msg(&f->signer, msg, sizeof msg, sig), 0);
    assert_int_equal(key_verify_msg(&f->signer.pub, msg, sizeof msg, sig), 0);
    /* RFC 6979: the same message gives the same signature. */
    assert_int_equal(key_sign_msg(&f->signer, msg, sizeof msg, sig2), 0);
    assert_memory_equal(sig, sig2, KEY_SIG_LEN);
    /* Another message does not verify. */
    assert_int_equal(key_verify_msg(&f->signer.pub, "borne!", 6, sig), BN_EBADSIG);
}

static void test_low_s_only(void **state)
{
    /* n, the order of P-256 */
    static const uint8_t n[32] = {
        0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
    };
    fx_t *f = *state;
    uint8_t sig[KEY_SIG_LEN], high[KEY_SIG_LEN];
    char msg[32];
    int i, j, borrow, v;

    for (i = 0; i < 20; i++) {
        snprintf(msg, sizeof msg, "message %d", i);
        assert_int_equal(key_sign_msg(&f->signer, msg, strlen(msg), sig), 0);
        assert_true(sig[32] < 0x80); /* s <= n/2 implies the top bit is clear */
        /* The twin (r, n - s) is a valid ECDSA signature, refused here. */
        memcpy(high, sig, 32);
        borrow = 0;
        for (j = 31; j >= 0; j--) {
            v = n[j] - sig[32 + j] - borrow;
            borrow = v < 0;
            high[32 + j] = (uint8_t)(v + (borrow ? 256 : 0));
        }
        assert_int_equal(key_verify_msg(&f->signer.pub, msg, strlen(msg), high), BN_EBADSIG);
    }
}

static void test_tamper_signature(void **state)
{
    fx_t *f = *state;
    uint8_t sig[KEY_SIG_LEN];
    const char msg[] = "tamper";
    int byte, bit;

    assert_int_equal(key_sign_msg(&f->signer, msg, sizeof msg, sig), 0);
    for (byte = 0; byte < KEY_SIG_LEN; byte++) {
        for (bit = 0; bit < 8; bit++) {
            sig[byte] ^= (uint8_t)(1 << bit);
            assert_int_not_equal(key_verify_msg(&f->signer.pub, msg, sizeof msg, sig), 0);
            sig[byte] ^= (uint8_t)(1 << bit);
        }
    }
    assert_int_equal(key_verify_msg(&f->signer.pub, msg, sizeof msg, sig), 0);
}

static void test_save_load(void **state)
{
    fx_t *f = *state;
    char *path = tu_path(f->dir, "kiosk.key");
    key_pair_t *k2 = NULL;
    key_pub_t p;
    signer_t s2;
    struct stat st;
    uint8_t sig[KEY_SIG_LEN];
    char why[256];

    assert_int_equal(key_save(f->key, path), 0);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(key_load(path, f->rng, &k2, why, sizeof why), 0);
    key_public(k2, &p);
    assert_memory_equal(&p, &f->signer.pub, sizeof p);
    key_signer(k2, &s2);
    assert_int_equal(key_sign_msg(&s2, "x", 1, sig), 0);
    assert_int_equal(key_verify_msg(&f->signer.pub, "x", 1, sig), 0);
    key_free(k2);
    k2 = NULL;

    /* A key readable by others is refused, and the message says why. */
    assert_int_equal(chmod(path, 0644), 0);
    assert_int_equal(key_load(path, f->rng, &k2, why, sizeof why), BN_EPERM);
    assert_null(k2);
    assert_non_null(strstr(why, "0644"));
    assert_int_equal(chmod(path, 0640), 0);
    assert_int_equal(key_load(path, f->rng, &k2, why, sizeof why), BN_EPERM);
    free(path);
}

static void test_load_errors(void **state)
{
    fx_t *f = *state;
    char *path = tu_path(f->dir, "junk.key");
    key_pair_t *k = NULL;
    char why[256];

    assert_int_equal(tu_write(path, "not a key\n", 10), 0);
    assert_int_equal(chmod(path, 0600), 0);
    assert_int_equal(key_load(path, f->rng, &k, why, sizeof why), BN_EKEY);
    assert_non_null(strstr(why, "junk.key"));
    assert_int_equal(key_load("/nonexistent/k.key", f->rng, &k, why, sizeof why), BN_EIO);
    assert_null(k);
    free(path);
}

static void test_public_files(void **state)
{
    fx_t *f = *state;
    char *pub = tu_path(f->dir, "pub.pem");
    char *keyp = tu_path(f->dir, "a.key");
    char *crt = tu_path(f->dir, "a.crt");
    char cmd[2048], why[256];
    key_pub_t p, q;
    uint8_t point[KEY_PUB_LEN];

    assert_int_equal(key_pub_save(&f->signer.pub, pub), 0);
    assert_int_equal(key_pub_load(pub, &p, why, sizeof why), 0);
    assert_memory_equal(&p, &f->signer.pub, sizeof p);

    /* A certificate made by openssl from our key file gives the same key. */
    assert_int_equal(key_save(f->key, keyp), 0);
    snprintf(cmd, sizeof cmd,
             "openssl req -new -x509 -key '%s' -out '%s' -subj /CN=test -days 1 2>/dev/null",
             keyp, crt);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(key_pub_load(crt, &q, why, sizeof why), 0);
    assert_memory_equal(q.id, f->signer.pub.id, KEY_ID_LEN);

    /* The id is SHA-256 of the SubjectPublicKeyInfo, as openssl writes it. */
    snprintf(cmd, sizeof cmd, "openssl pkey -pubin -in '%s' -outform DER | sha256sum", pub);
    {
        FILE *pp = popen(cmd, "r");
        char hex[65] = {0}, mine[65];
        int i;
        assert_non_null(pp);
        assert_int_equal(fread(hex, 1, 64, pp), 64);
        pclose(pp);
        for (i = 0; i < 32; i++)
            snprintf(mine + 2 * i, 3, "%02x", f->signer.pub.id[i]);
        assert_string_equal(hex, mine);
    }

    memcpy(point, f->signer.pub.pub, KEY_PUB_LEN);
    assert_int_equal(key_pub_from_point(point, &q), 0);
    assert_memory_equal(q.id, f->signer.pub.id, KEY_ID_LEN);
    point[40] ^= 1; /* off the curve */
    assert_int_equal(key_pub_from_point(point, &q), BN_EKEY);
    assert_int_equal(key_pub_from_pem("garbage", 7, &q, why, sizeof why), BN_EKEY);
    free(pub);
    free(keyp);
    free(crt);
}

static void test_der(void **state)
{
    fx_t *f = *state;
    uint8_t sig[KEY_SIG_LEN], der[KEY_SIG_DER_MAX];
    size_t len;

    memset(sig, 0, sizeof sig);
    sig[31] = 1;
    sig[32] = 0x80;
    assert_int_equal(key_sig_to_der(sig, der, sizeof der, &len), 0);
    /* 30 len 02 01 01 02 21 00 80 ... */
    assert_int_equal(der[0], 0x30);
    assert_int_equal(der[2], 0x02);
    assert_int_equal(der[3], 1);
    assert_int_equal(der[4], 1);
    assert_int_equal(der[5], 0x02);
    assert_int_equal(der[6], 33);
    assert_int_equal(der[7], 0);
    assert_int_equal(der[8], 0x80);
    assert_int_equal(len, 2 + 3 + 35);
    (void)f;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_sign_verify, setup, teardown),
        cmocka_unit_test_setup_teardown(test_low_s_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tamper_signature, setup, teardown),
        cmocka_unit_test_setup_teardown(test_save_load, setup, teardown),
        cmocka_unit_test_setup_teardown(test_load_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_public_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_der, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
