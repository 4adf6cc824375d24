/* test_interop.c - what we sign and derive, checked by another implementation:
 * the openssl command-line tool verifies ballot signatures and recomputes
 * the tracking key and MAC. An observer can do the same with no borne code.
 * `openssl` must be on PATH (CI installs it): without it the test fails. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "ballot.h"
#include "bn_err.h"
#include "hex.h"
#include "key.h"
#include "rng.h"
#include "testutil.h"
#include "track.h"

/* Runs a shell command, stdout and stderr into out; returns its exit status. */
static int run(const char *cmd, char *out, size_t cap)
{
    char full[4096];
    FILE *p;
    size_t n = 0, r;
    int st;

    snprintf(full, sizeof full, "%s 2>&1", cmd);
    p = popen(full, "r");
    assert_non_null(p);
    while (n + 1 < cap && (r = fread(out + n, 1, cap - 1 - n, p)) > 0)
        n += r;
    out[n] = '\0';
    st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void test_openssl_on_path(void **state)
{
    (void)state;
    if (system("command -v openssl >/dev/null 2>&1") != 0)
        fail_msg("openssl is not on PATH: install it (Debian: apt-get install openssl)");
}

/* One ballot: openssl says "Verified OK" on the signed part, and a
 * verification failure once one byte of it is changed. */
static void openssl_check(const char *dir, const key_pub_t *pub, const uint8_t *buf, size_t len)
{
    char *pem = tu_path(dir, "pub.pem"), *msg = tu_path(dir, "msg.bin");
    char *sig = tu_path(dir, "sig.der"), cmd[2048], out[4096];
    uint8_t der[KEY_SIG_DER_MAX], *body;
    size_t derlen, bodylen = len - KEY_SIG_LEN;
    int st;

    assert_int_equal(key_pub_save(pub, pem), 0);
    assert_int_equal(tu_write(msg, buf, bodylen), 0);
    assert_int_equal(key_sig_to_der(buf + bodylen, der, sizeof der, &derlen), 0);
    assert_int_equal(tu_write(sig, der, derlen), 0);
    snprintf(cmd, sizeof cmd, "openssl dgst -sha256 -verify '%s' -signature '%s' '%s'", pem, sig,
             msg);

    st = run(cmd, out, sizeof out);
    if (st != 0 || strstr(out, "Verified OK") == NULL)
        fail_msg("openssl did not verify the ballot (status %d): %s", st, out);

    body = malloc(bodylen);
    assert_non_null(body);
    memcpy(body, buf, bodylen);
    body[bodylen / 2] ^= 0x01; /* one byte of the signed part */
    assert_int_equal(tu_write(msg, body, bodylen), 0);
    st = run(cmd, out, sizeof out);
    if (st == 0 || strstr(out, "Verified OK") != NULL || strstr(out, "Verification failure") == NULL)
        fail_msg("openssl accepted a changed ballot (status %d): %s", st, out);
    free(body);
    free(pem);
    free(msg);
    free(sig);
}

static void test_ballot_signature_openssl(void **state)
{
    static const char *choices[] = { "p01-velo", "p07-jardin", "p12-ecole" };
    uint8_t buf[BALLOT_MAX_LEN];
    char *dir = tu_tmpdir("interop");
    key_pair_t *key;
    signer_t signer;
    rng_t *rng;
    ballot_t b;
    size_t len;
    int i, n;

    (void)state;
    assert_non_null(dir);
    assert_int_equal(rng_open(&rng), 0);
    assert_int_equal(key_generate(rng, &key), 0);
    key_signer(key, &signer);
    /* 3 choices, none, and the largest ballot */
    for (n = 0; n < 3; n++) {
        memset(&b, 0, sizeof b);
        b.kind = BALLOT_KIND_BUDGET;
        b.day = 20161;
        assert_int_equal(rng_bytes(rng, b.id, BALLOT_ID_LEN), 0);
        memcpy(b.kiosk, signer.pub.id, KEY_ID_LEN);
        strcpy(b.campaign, "bp-2025");
        strcpy(b.territory, "rennes");
        b.n = n == 0 ? 3 : n == 1 ? 0 : BALLOT_MAX_CHOICES;
        for (i = 0; i < b.n; i++) {
            if (b.n == 3)
                strcpy(b.choices[i], choices[i]);
            else
                snprintf(b.choices[i], sizeof b.choices[i], "p%02d", i);
        }
        assert_int_equal(ballot_seal(&b, &signer, buf, sizeof buf, &len), 0);
        assert_int_equal(ballot_verify(buf, len, &signer.pub), 0);
        openssl_check(dir, &signer.pub, buf, len);
    }
    key_free(key);
    rng_close(rng);
    tu_rmtree(dir);
    free(dir);
}

/* "AB:CD:..." or "ABCD..." (any case) into bytes. */
static void openssl_hex(const char *text, uint8_t *out, size_t n)
{
    char clean[256];
    size_t k = 0;

    for (; *text != '\0' && k + 1 < sizeof clean; text++) {
        if (*text == ':' || *text == '\n' || *text == '\r' || *text == ' ')
            continue;
        clean[k++] = (char)(*text >= 'A' && *text <= 'F' ? *text - 'A' + 'a' : *text);
    }
    clean[k] = '\0';
    if (hex_decode(clean, k, out, n) != 0)
        fail_msg("unexpected openssl output: %s", text);
}

/* The tracking key (HKDF) and MAC (HMAC) recomputed by openssl; the code's
 * eleven data symbols are the MAC's first 55 bits in Crockford base 32. */
static void test_tracking_openssl(void **state)
{
    static const char alpha[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    char *dir = tu_tmpdir("interop"), *msg, cmd[2048], out[4096], hs[65], hk[65];
    char code[TRACK_TEXT_LEN + 1], sym[12], parsed[TRACK_TEXT_LEN + 1];
    uint8_t secret[32], key[32], okey[32], mac[32], id[16], m[14 + 16];
    rng_t *rng;
    int t, i, bit, v, st, o;

    (void)state;
    assert_non_null(dir);
    msg = tu_path(dir, "track.bin");
    assert_int_equal(rng_open(&rng), 0);
    for (t = 0; t < 4; t++) {
        assert_int_equal(rng_bytes(rng, secret, 32), 0);
        assert_int_equal(rng_bytes(rng, id, 16), 0);
        assert_int_equal(track_key(secret, key), 0);
        hex_encode(secret, 32, hs);
        snprintf(cmd, sizeof cmd, "openssl kdf -keylen 32 -kdfopt digest:SHA256 "
                 "-kdfopt hexkey:%s -kdfopt 'info:borne tracking v1' HKDF", hs);
        st = run(cmd, out, sizeof out);
        if (st != 0)
            fail_msg("openssl kdf failed (status %d): %s", st, out);
        openssl_hex(out, okey, 32);
        assert_memory_equal(okey, key, 32);

        memcpy(m, "borne-track-v1", 14);
        memcpy(m + 14, id, 16);
        assert_int_equal(tu_write(msg, m, sizeof m), 0);
        hex_encode(key, 32, hk);
        snprintf(cmd, sizeof cmd, "openssl mac -digest SHA256 -macopt hexkey:%s -in '%s' HMAC",
                 hk, msg);
        st = run(cmd, out, sizeof out);
        if (st != 0)
            fail_msg("openssl mac failed (status %d): %s", st, out);
        openssl_hex(out, mac, 32);

        assert_int_equal(track_code(key, id, code), 0);
        for (i = 0, o = 0; i < 11; i++) {
            for (v = 0, bit = 5 * i; bit < 5 * i + 5; bit++)
                v = v << 1 | ((mac[bit / 8] >> (7 - bit % 8)) & 1);
            sym[i] = alpha[v];
            if (o == 4 || o == 9)
                assert_int_equal(code[o++], '-');
            assert_int_equal(code[o++], sym[i]);
        }
        assert_int_equal(track_parse(code, parsed), 0);
    }
    rng_close(rng);
    tu_rmtree(dir);
    free(msg);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_openssl_on_path),
        cmocka_unit_test(test_ballot_signature_openssl),
        cmocka_unit_test(test_tracking_openssl),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
