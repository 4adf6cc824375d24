/* test_track.c - tracking codes: vectors, the check character's promises
 * (every single substitution, adjacent transpositions), typing tolerance.
 *
 * BORNE_REGEN_VECTORS=1 rewrites tests/vectors/track/codes.txt from the
 * inputs below instead of checking it (then review the diff). */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bn_err.h"
#include "hex.h"
#include "rng.h"
#include "testutil.h"
#include "track.h"

static const char ALPHA[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";


static void unhex(const char *text, uint8_t *out, size_t n)
{
    assert_int_equal(hex_decode(text, strlen(text), out, n), 0);
}

static int regen(void)
{
    const char *e = getenv("BORNE_REGEN_VECTORS");

    return e != NULL && strcmp(e, "1") == 0;
}

/* ---- helpers ---- */

/* The 12 symbols of a canonical code, without dashes. */
static void symbols(const char *code, char sym[TRACK_CHARS + 1])
{
    int i, k = 0;

    assert_int_equal(strlen(code), TRACK_TEXT_LEN);
    for (i = 0; i < TRACK_TEXT_LEN; i++) {
        if (i == 4 || i == 9) {
            assert_int_equal(code[i], '-');
            continue;
        }
        sym[k++] = code[i];
    }
    sym[k] = '\0';
}

/* A valid code whose 11 data symbols are `data`, found by trying all 32 check
 * characters (exactly one must be accepted). */
static void complete(const char data[11], char sym[TRACK_CHARS + 1])
{
    char out[TRACK_TEXT_LEN + 1];
    int c, found = 0;

    memcpy(sym, data, 11);
    sym[12] = '\0';
    for (c = 0; c < 32; c++) {
        sym[11] = ALPHA[c];
        if (track_parse(sym, out) == 0)
            found++;
    }
    assert_int_equal(found, 1);
    for (c = 0; c < 32; c++) {
        sym[11] = ALPHA[c];
        if (track_parse(sym, out) == 0)
            return;
    }
}

static void random_codes(int n, char codes[][TRACK_TEXT_LEN + 1])
{
    static const char seed[] = "borne track test codes";
    uint8_t secret[32], key[32], id[16];
    rng_t *r;
    int i;

    assert_int_equal(rng_open_fixed(&r, (const uint8_t *)seed, sizeof seed - 1), 0);
    assert_int_equal(rng_bytes(r, secret, 32), 0);
    assert_int_equal(track_key(secret, key), 0);
    for (i = 0; i < n; i++) {
        assert_int_equal(rng_bytes(r, id, 16), 0);
        assert_int_equal(track_code(key, id, codes[i]), 0);
    }
    rng_close(r);
}

/* ---- vectors ---- */

static void check_vector(const tu_vec_t *v, void *arg)
{
    uint8_t secret[32], key[32], want_key[32], id[16];
    char code[TRACK_TEXT_LEN + 1], parsed[TRACK_TEXT_LEN + 1];

    (void)arg;
    unhex(tu_vec_get(v, "secret"), secret, 32);
    unhex(tu_vec_get(v, "key"), want_key, 32);
    unhex(tu_vec_get(v, "ballot_id"), id, 16);
    assert_int_equal(track_key(secret, key), 0);
    assert_memory_equal(key, want_key, 32);
    assert_int_equal(track_code(key, id, code), 0);
    assert_string_equal(code, tu_vec_get(v, "code"));
    assert_int_equal(track_parse(code, parsed), 0);
    assert_string_equal(parsed, code);
}

static void write_vectors(void)
{
    static const char seed[] = "borne track vectors v1";
    uint8_t secret[32], key[32], id[16];
    char hs[65], hk[65], hi[33], code[TRACK_TEXT_LEN + 1];
    char *path = tu_vector("track/codes.txt");
    FILE *f = fopen(path, "w");
    rng_t *r;
    int i, j;

    assert_non_null(f);
    assert_int_equal(rng_open_fixed(&r, (const uint8_t *)seed, sizeof seed - 1), 0);
    fprintf(f, "# Tracking code vectors (docs/formats.md, \"Tracking code\").\n"
               "# key  = HKDF-SHA256(salt empty, ikm secret, info \"borne tracking v1\"), 32 bytes\n"
               "# code = first 55 bits of HMAC-SHA256(key, \"borne-track-v1\" || ballot_id),\n"
               "#        11 Crockford base-32 symbols + Luhn mod 32 check, XXXX-XXXX-XXXX\n"
               "# Written by test_track with BORNE_REGEN_VECTORS=1; the last four from\n"
               "# rng_open_fixed(\"%s\").\n", seed);
    for (i = 0; i < 8; i++) {
        for (j = 0; j < 32; j++)
            secret[j] = (uint8_t)(i < 3 ? j : 0xff);
        for (j = 0; j < 16; j++)
            id[j] = (uint8_t)(i == 1 ? 0xff : i == 2 ? 0 : j);
        if (i >= 4) {
            assert_int_equal(rng_bytes(r, secret, 32), 0);
            assert_int_equal(rng_bytes(r, id, 16), 0);
        }
        assert_int_equal(track_key(secret, key), 0);
        assert_int_equal(track_code(key, id, code), 0);
        hex_encode(secret, 32, hs);
        hex_encode(key, 32, hk);
        hex_encode(id, 16, hi);
        fprintf(f, "\nsecret = %s\nkey = %s\nballot_id = %s\ncode = %s\n", hs, hk, hi, code);
    }
    rng_close(r);
    assert_int_equal(fclose(f), 0);
    free(path);
}

static void test_vectors(void **state)
{
    (void)state;
    if (regen())
        write_vectors();
    assert_int_equal(tu_vec_each("track/codes.txt", check_vector, NULL), 8);
}

/* Luhn mod 32 worked by hand (docs): weights 2, 1, 2... from the right of
 * the data; a doubled value of 32 or more counts as 2v - 31. */
static void test_check_by_hand(void **state)
{
    char out[TRACK_TEXT_LEN + 1];

    (void)state;
    assert_int_equal(track_parse("0000-0000-0000", out), 0);
    /* data[0] = 1 has weight 2: sum 2, check 32 - 2 = 30 = 'Y'. */
    assert_int_equal(track_parse("1000-0000-000Y", out), 0);
    /* data[10] = 1 has weight 2 as well (the rightmost data symbol). */
    assert_int_equal(track_parse("0000-0000-001Y", out), 0);
    /* data[9] = 1 has weight 1: check 31 = 'Z'. */
    assert_int_equal(track_parse("0000-0000-010Z", out), 0);
    /* data[10] = Z (31): 62 -> 62 - 31 = 31, check 1. */
    assert_int_equal(track_parse("0000-0000-00Z1", out), 0);
    /* data[9] = Z (31), weight 1: check 1. */
    assert_int_equal(track_parse("0000-0000-0Z01", out), 0);
    /* data[10] = G (16): 32 -> 1 + 0 = 1, check 31 = 'Z'. */
    assert_int_equal(track_parse("0000-0000-00GZ", out), 0);
    assert_int_equal(track_parse("1000-0000-000Z", out), BN_ECHECK);
}

/* ---- the check character ---- */

/* "Catches one mistyped character": every position, every other symbol. */
static void test_every_substitution_caught(void **state)
{
    char codes[50][TRACK_TEXT_LEN + 1], sym[TRACK_CHARS + 1], out[TRACK_TEXT_LEN + 1];
    int c, pos, s, tried = 0;

    (void)state;
    random_codes(50, codes);
    for (c = 0; c < 50; c++) {
        symbols(codes[c], sym);
        assert_int_equal(track_parse(sym, out), 0);
        for (pos = 0; pos < TRACK_CHARS; pos++) {
            char keep = sym[pos];
            for (s = 0; s < 32; s++) {
                if (ALPHA[s] == keep)
                    continue;
                sym[pos] = ALPHA[s];
                if (track_parse(sym, out) != BN_ECHECK)
                    fail_msg("code %s: position %d '%c' -> '%c' not caught", codes[c], pos,
                             keep, ALPHA[s]);
                tried++;
            }
            sym[pos] = keep;
        }
    }
    assert_int_equal(tried, 50 * TRACK_CHARS * 31);
}

/* Adjacent transpositions, measured exhaustively: every pair of neighbouring
 * positions (including the check character and across the dashes), every
 * ordered pair of different symbols. Luhn mod 32 misses exactly the swaps of
 * '0' and 'Z' (values 0 and 31): 22 of 10,912 cases. */
static void test_adjacent_transpositions(void **state)
{
    char data[11], sym[TRACK_CHARS + 1], out[TRACK_TEXT_LEN + 1], t;
    int pos, a, b, j, total = 0, missed = 0, rc;

    (void)state;
    for (pos = 0; pos < TRACK_CHARS - 1; pos++) {
        for (a = 0; a < 32; a++) {
            for (b = 0; b < 32; b++) {
                if (a == b)
                    continue;
                /* A valid code with sym[pos] = a and sym[pos + 1] = b. */
                memcpy(data, "7K3M9QX2R5T", 11);
                data[pos] = ALPHA[a];
                if (pos + 1 < 11) {
                    data[pos + 1] = ALPHA[b];
                    complete(data, sym);
                } else {
                    /* b is the check: vary a free data symbol until it is. */
                    j = pos == 0 ? 1 : 0;
                    for (rc = 0; rc < 32; rc++) {
                        data[j] = ALPHA[rc];
                        complete(data, sym);
                        if (sym[11] == ALPHA[b])
                            break;
                    }
                    assert_int_equal(sym[11], ALPHA[b]);
                }
                t = sym[pos];
                sym[pos] = sym[pos + 1];
                sym[pos + 1] = t;
                rc = track_parse(sym, out);
                total++;
                if (rc == 0) {
                    missed++;
                    if (!((a == 0 && b == 31) || (a == 31 && b == 0)))
                        fail_msg("swap of '%c' and '%c' at %d not caught", ALPHA[a], ALPHA[b], pos);
                } else {
                    assert_int_equal(rc, BN_ECHECK);
                }
            }
        }
    }
    print_message("adjacent transpositions: %d of %d caught, %d missed (all 0<->Z)\n",
                  total - missed, total, missed);
    assert_int_equal(total, 11 * 32 * 31);
    assert_int_equal(missed, 22);
}

/* The same on real codes: every adjacent swap of different symbols that is
 * not 0<->Z is caught. */
static void test_transpositions_real_codes(void **state)
{
    char codes[200][TRACK_TEXT_LEN + 1], sym[TRACK_CHARS + 1], out[TRACK_TEXT_LEN + 1], t;
    int c, pos, zero_z;

    (void)state;
    random_codes(200, codes);
    for (c = 0; c < 200; c++) {
        symbols(codes[c], sym);
        for (pos = 0; pos < TRACK_CHARS - 1; pos++) {
            if (sym[pos] == sym[pos + 1])
                continue;
            zero_z = (sym[pos] == '0' && sym[pos + 1] == 'Z') ||
                     (sym[pos] == 'Z' && sym[pos + 1] == '0');
            t = sym[pos];
            sym[pos] = sym[pos + 1];
            sym[pos + 1] = t;
            assert_int_equal(track_parse(sym, out), zero_z ? 0 : BN_ECHECK);
            sym[pos + 1] = sym[pos];
            sym[pos] = t;
        }
    }
}

/* ---- typing tolerance ---- */

static void test_tolerance(void **state)
{
    char sym[TRACK_CHARS + 1], out[TRACK_TEXT_LEN + 1], want[TRACK_TEXT_LEN + 1], typed[64];

    (void)state;
    complete("01AB1C0DE1F", sym); /* has 0s and 1s to type as O, I, L */
    snprintf(want, sizeof want, "%.4s-%.4s-%.4s", sym, sym + 4, sym + 8);
    assert_int_equal(track_parse(want, out), 0);
    assert_string_equal(out, want);

    assert_int_equal(track_parse(sym, out), 0); /* no dashes */
    assert_string_equal(out, want);
    snprintf(typed, sizeof typed, "  %.4s %.4s\t%.4s\n", sym, sym + 4, sym + 8);
    assert_int_equal(track_parse(typed, out), 0);
    assert_string_equal(out, want);
    snprintf(typed, sizeof typed, "%.2s-%.3s--%.3s - %.4s", sym, sym + 2, sym + 5, sym + 8);
    assert_int_equal(track_parse(typed, out), 0);
    assert_string_equal(out, want);

    /* lowercase, O for 0, I and L for 1 (and their lowercase) */
    snprintf(typed, sizeof typed, "oIab-lcOd-eif%c", (char)tolower((unsigned char)sym[11]));
    assert_int_equal(track_parse(typed, out), 0);
    assert_string_equal(out, want);
    snprintf(typed, sizeof typed, "OiAB-Lc0D-E1F%c", sym[11]);
    assert_int_equal(track_parse(typed, out), 0);
    assert_string_equal(out, want);

    /* Unicode dashes (U+2010..U+2015) and the no-break space */
    snprintf(typed, sizeof typed, "%.4s\xe2\x80\x90%.4s\xe2\x80\x93%.4s", sym, sym + 4, sym + 8);
    assert_int_equal(track_parse(typed, out), 0);
    assert_string_equal(out, want);
    snprintf(typed, sizeof typed, "%.4s\xc2\xa0%.4s\xe2\x80\x95%.4s", sym, sym + 4, sym + 8);
    assert_int_equal(track_parse(typed, out), 0);
    assert_string_equal(out, want);
    /* ... but not other multibyte characters or a truncated dash */
    snprintf(typed, sizeof typed, "%.4s\xe2\x80\x96%.4s-%.4s", sym, sym + 4, sym + 8);
    assert_int_equal(track_parse(typed, out), BN_EFORMAT);
    snprintf(typed, sizeof typed, "%.4s-%.4s-%.4s\xe2\x80", sym, sym + 4, sym + 8);
    assert_int_equal(track_parse(typed, out), BN_EFORMAT);
    snprintf(typed, sizeof typed, "%.4s-%.4s-%.4s\xc2", sym, sym + 4, sym + 8);
    assert_int_equal(track_parse(typed, out), BN_EFORMAT);
}

static void test_refused(void **state)
{
    char sym[TRACK_CHARS + 1], out[TRACK_TEXT_LEN + 1], typed[64];

    (void)state;
    complete("7K3M9QX2R5T", sym);
    assert_int_equal(track_parse(sym, out), 0);

    assert_int_equal(track_parse("", out), BN_EFORMAT);
    assert_int_equal(track_parse(" - - ", out), BN_EFORMAT);
    snprintf(typed, sizeof typed, "%.11s", sym); /* 11 symbols */
    assert_int_equal(track_parse(typed, out), BN_EFORMAT);
    snprintf(typed, sizeof typed, "%s0", sym);  /* 13 symbols */
    assert_int_equal(track_parse(typed, out), BN_EFORMAT);
    snprintf(typed, sizeof typed, "%s%s", sym, sym);
    assert_int_equal(track_parse(typed, out), BN_EFORMAT);
    /* U is not a symbol (nor u), nor punctuation, nor Crockford's check extras */
    snprintf(typed, sizeof typed, "%s", sym);
    typed[3] = 'U';
    assert_int_equal(track_parse(typed, out), BN_EFORMAT);
    typed[3] = 'u';
    assert_int_equal(track_parse(typed, out), BN_EFORMAT);
    typed[3] = '*';
    assert_int_equal(track_parse(typed, out), BN_EFORMAT);
    typed[3] = '_';
    assert_int_equal(track_parse(typed, out), BN_EFORMAT);
    typed[3] = (char)0xC3; /* start of a UTF-8 letter */
    assert_int_equal(track_parse(typed, out), BN_EFORMAT);
    assert_int_equal(track_parse(NULL, out), BN_EINVAL);
}

/* ---- keys and codes ---- */

static void test_format(void **state)
{
    char codes[300][TRACK_TEXT_LEN + 1];
    int c, i;

    (void)state;
    random_codes(300, codes);
    for (c = 0; c < 300; c++) {
        assert_int_equal(strlen(codes[c]), TRACK_TEXT_LEN);
        for (i = 0; i < TRACK_TEXT_LEN; i++) {
            if (i == 4 || i == 9)
                assert_int_equal(codes[c][i], '-');
            else
                assert_non_null(strchr(ALPHA, codes[c][i])); /* never I L O U */
        }
    }
}

static void test_keys_differ(void **state)
{
    static const char seed[] = "borne track keys";
    uint8_t s1[32], s2[32], k1[32], k2[32], id[16], id2[16];
    char c1[TRACK_TEXT_LEN + 1], c2[TRACK_TEXT_LEN + 1];
    rng_t *r;
    int i;

    (void)state;
    assert_int_equal(rng_open_fixed(&r, (const uint8_t *)seed, sizeof seed - 1), 0);
    assert_int_equal(rng_bytes(r, s1, 32), 0);
    memcpy(s2, s1, 32);
    s2[31] ^= 1; /* secrets one bit apart */
    assert_int_equal(track_key(s1, k1), 0);
    assert_int_equal(track_key(s2, k2), 0);
    assert_memory_not_equal(k1, k2, 32);
    assert_memory_not_equal(k1, s1, 32); /* the key is derived, not the secret */
    for (i = 0; i < 100; i++) {
        assert_int_equal(rng_bytes(r, id, 16), 0);
        assert_int_equal(track_code(k1, id, c1), 0);
        assert_int_equal(track_code(k2, id, c2), 0);
        assert_string_not_equal(c1, c2);
        /* deterministic for a key and an id */
        assert_int_equal(track_code(k1, id, c2), 0);
        assert_string_equal(c1, c2);
        /* another id, another code */
        memcpy(id2, id, 16);
        id2[i % 16] ^= (uint8_t)(1u << (i % 8));
        assert_int_equal(track_code(k1, id2, c2), 0);
        assert_string_not_equal(c1, c2);
    }
    rng_close(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vectors),
        cmocka_unit_test(test_check_by_hand),
        cmocka_unit_test(test_every_substitution_caught),
        cmocka_unit_test(test_adjacent_transpositions),
        cmocka_unit_test(test_transpositions_real_codes),
        cmocka_unit_test(test_tolerance),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_keys_differ),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
