/* test_sigverify.c - the two backends of the one verification contract
 * (firmware/crypto/sigverify.h), mbedTLS and OpenSSL's libcrypto, agree with
 * each other and with the reference ballot_verify on valid ballots, on every
 * single-bit change of a ballot, on the high-s twin of a valid signature
 * (which OpenSSL alone would accept: the contract's range check refuses
 * it), on out-of-range r and s, and on another kiosk's key. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "ballot.h"
#include "bn_err.h"
#include "key.h"
#include "pkg.h"
#include "rng.h"
#include "sigverify.h"
#include "sigverify_openssl.h"

static pkg_territory_t territory = {.id = "rennes"};
static pkg_project_t projects[3] = {{.id = "p-bus"}, {.id = "p-parc"}, {.id = "p-velo"}};
static pkg_t campaign = {.id = "bp-2026", .kind = PKG_BUDGET, .n_territories = 1,
                         .territories = &territory, .n_projects = 3, .projects = projects};

static const uint8_t order_n[32] = {
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51};

static rng_t *rng;
static key_pair_t *kiosk, *other;
static signer_t ks, os;
static sigverify_key_t *sk, *sko, *mk, *mko;  /* OpenSSL, mbedTLS */

static int setup(void **state)
{
    static const uint8_t seed[] = "test_sigcheck";  /* the seed of the vectors before */

    (void)state;
    assert_int_equal(rng_open_fixed(&rng, seed, sizeof seed - 1), 0);
    assert_int_equal(key_generate(rng, &kiosk), 0);
    assert_int_equal(key_generate(rng, &other), 0);
    key_signer(kiosk, &ks);
    key_signer(other, &os);
    assert_int_equal(sigverify_key_new(&sigverify_openssl, &ks.pub, &sk), 0);
    assert_int_equal(sigverify_key_new(&sigverify_openssl, &os.pub, &sko), 0);
    assert_int_equal(sigverify_key_new(&sigverify_mbedtls, &ks.pub, &mk), 0);
    assert_int_equal(sigverify_key_new(&sigverify_mbedtls, &os.pub, &mko), 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    sigverify_key_free(sk);
    sigverify_key_free(sko);
    sigverify_key_free(mk);
    sigverify_key_free(mko);
    key_free(kiosk);
    key_free(other);
    rng_close(rng);
    return 0;
}

static size_t make(uint8_t *out, int i)
{
    int sel[2] = {i % 3, (i + 1) % 3};
    ballot_t b;
    size_t len;

    assert_int_equal(ballot_make(&b, &campaign, 0, sel, 1 + i % 2, 20785, ks.pub.id, rng), 0);
    assert_int_equal(ballot_seal(&b, &ks, out, BALLOT_MAX_LEN, &len), 0);
    return len;
}

/* A ballot as a bundle checks it, with key k: strict decoding, the kiosk
 * key id, the signature. */
static int ballot_with(const sigverify_key_t *k, const uint8_t *buf, size_t len)
{
    ballot_t b;

    if (ballot_decode(buf, len, &b, NULL, 0) != 0)
        return BN_EFORMAT;
    if (memcmp(buf + BALLOT_OFF_KIOSK, sigverify_key_pub(k)->id, KEY_ID_LEN) != 0)
        return BN_EWRONGKEY;
    return sigverify_msg(k, buf, len - KEY_SIG_LEN, buf + len - KEY_SIG_LEN);
}

static void agree(const uint8_t *buf, size_t len)
{
    int ref = ballot_verify(buf, len, &ks.pub);

    assert_int_equal(ballot_with(sk, buf, len), ref);
    assert_int_equal(ballot_with(mk, buf, len), ref);
    assert_int_equal(ballot_with(sko, buf, len), ballot_verify(buf, len, &os.pub));
    assert_int_equal(ballot_with(mko, buf, len), ballot_verify(buf, len, &os.pub));
}

static void test_valid(void **state)
{
    uint8_t buf[BALLOT_MAX_LEN];
    int i;

    (void)state;
    for (i = 0; i < 50; i++) {
        size_t len = make(buf, i);

        assert_int_equal(ballot_with(sk, buf, len), 0);
        assert_int_equal(ballot_with(sko, buf, len), BN_EWRONGKEY);
        agree(buf, len);
    }
}

static void test_every_bit(void **state)
{
    uint8_t buf[BALLOT_MAX_LEN];
    size_t len = make(buf, 7), i;
    int bit, refused = 0;

    (void)state;
    for (i = 0; i < len; i++)
        for (bit = 0; bit < 8; bit++) {
            buf[i] ^= (uint8_t)(1u << bit);
            agree(buf, len);
            refused += ballot_with(sk, buf, len) != 0;
            buf[i] ^= (uint8_t)(1u << bit);
        }
    assert_int_equal(refused, (int)len * 8);
    agree(buf, len - 1);  /* truncated */
}

/* s -> n - s: the same signature in its high-s form, valid for plain ECDSA,
 * refused by both (key.h: one signature per message). */
static void test_high_s_and_ranges(void **state)
{
    uint8_t buf[BALLOT_MAX_LEN], digest[32], sig[64];
    size_t len = make(buf, 3);
    int i, borrow = 0;

    (void)state;
    key_sha256(buf, len - 64, digest);
    memcpy(sig, buf + len - 64, 64);
    assert_int_equal(sigverify_digest(sk, digest, sig), 0);
    assert_int_equal(sigverify_digest(mk, digest, sig), 0);
    for (i = 31; i >= 0; i--) {
        int d = order_n[i] - sig[32 + i] - borrow;

        borrow = d < 0;
        sig[32 + i] = (uint8_t)(d + (borrow ? 256 : 0));
    }
    assert_int_equal(key_verify(&ks.pub, digest, sig), BN_EBADSIG);
    assert_int_equal(sigverify_digest(sk, digest, sig), BN_EBADSIG);
    assert_int_equal(sigverify_digest(mk, digest, sig), BN_EBADSIG);
    assert_false(sigverify_in_range(sig));
    /* the contract, not the backend, refuses it: plain ECDSA accepts the twin */
    {
        void *raw = NULL;

        assert_int_equal(sigverify_openssl.key_new(&ks.pub, &raw), 0);
        assert_int_equal(sigverify_openssl.verify(raw, digest, sig), 0);
        sigverify_openssl.key_free(raw);
    }
    memcpy(sig, buf + len - 64, 64);
    memset(sig, 0, 32);  /* r = 0 */
    assert_int_equal(key_verify(&ks.pub, digest, sig), BN_EBADSIG);
    assert_int_equal(sigverify_digest(sk, digest, sig), BN_EBADSIG);
    assert_int_equal(sigverify_digest(mk, digest, sig), BN_EBADSIG);
    memcpy(sig, order_n, 32);  /* r = n */
    assert_int_equal(key_verify(&ks.pub, digest, sig), BN_EBADSIG);
    assert_int_equal(sigverify_digest(sk, digest, sig), BN_EBADSIG);
    assert_int_equal(sigverify_digest(mk, digest, sig), BN_EBADSIG);
    memcpy(sig, buf + len - 64, 64);
    memset(sig + 32, 0, 32);  /* s = 0 */
    assert_int_equal(key_verify(&ks.pub, digest, sig), BN_EBADSIG);
    assert_int_equal(sigverify_digest(sk, digest, sig), BN_EBADSIG);
    assert_int_equal(sigverify_digest(mk, digest, sig), BN_EBADSIG);
    /* the right signature under another key whose id was forged in */
    memcpy(buf + BALLOT_OFF_KIOSK, os.pub.id, KEY_ID_LEN);
    agree(buf, len);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid),
        cmocka_unit_test(test_every_bit),
        cmocka_unit_test(test_high_s_and_ranges),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
