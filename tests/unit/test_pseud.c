/* test_pseud.c - name normalisation (vectors in tests/vectors/pseud/) and pseudonyms. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bn_err.h"
#include "hex.h"
#include "pseud.h"
#include "testutil.h"

#define FIELD_MAX 512
#define MAX_FIELDS 6

/* Reads one double-quoted string with the escapes of normalise.txt into out
 * (NUL-terminated). Returns the position after the closing quote, or NULL. */
static const char *read_quoted(const char *p, char *out, size_t cap)
{
    size_t n = 0;

    while (*p == ' ')
        p++;
    if (*p++ != '"')
        return NULL;
    while (*p != '"') {
        unsigned long v;
        char *end;

        if (*p == '\0' || n + 5 >= cap)
            return NULL;
        if (*p != '\\') {
            out[n++] = *p++;
            continue;
        }
        p++;
        switch (*p) {
        case '\\': out[n++] = '\\'; p++; break;
        case '"': out[n++] = '"'; p++; break;
        case 't': out[n++] = '\t'; p++; break;
        case 'n': out[n++] = '\n'; p++; break;
        case 'x':
            v = strtoul(p + 1, &end, 16);
            if (end != p + 3 || v == 0)
                return NULL;
            out[n++] = (char)v;
            p = end;
            break;
        case 'u':
            if (p[1] != '{')
                return NULL;
            v = strtoul(p + 2, &end, 16);
            if (*end != '}' || v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
                return NULL;
            if (v < 0x80) {
                out[n++] = (char)v;
            } else if (v < 0x800) {
                out[n++] = (char)(0xC0 | (v >> 6));
                out[n++] = (char)(0x80 | (v & 0x3F));
            } else if (v < 0x10000) {
                out[n++] = (char)(0xE0 | (v >> 12));
                out[n++] = (char)(0x80 | ((v >> 6) & 0x3F));
                out[n++] = (char)(0x80 | (v & 0x3F));
            } else {
                out[n++] = (char)(0xF0 | (v >> 18));
                out[n++] = (char)(0x80 | ((v >> 12) & 0x3F));
                out[n++] = (char)(0x80 | ((v >> 6) & 0x3F));
                out[n++] = (char)(0x80 | (v & 0x3F));
            }
            p = end + 1;
            break;
        default:
            return NULL;
        }
    }
    out[n] = '\0';
    return p + 1;
}

/* One vector line: quoted fields, "=>", then a quoted field or ERROR.
 * Returns the number of fields before "=>" (the expected value is the last
 * one, empty with *error set for ERROR), 0 for a line to skip, -1 if bad. */
static int parse_line(const char *line, char f[MAX_FIELDS + 1][FIELD_MAX], int *error)
{
    const char *p = line;
    int n = 0;

    while (*p == ' ')
        p++;
    if (*p == '#' || *p == '\n' || *p == '\0')
        return 0;
    *error = 0;
    while (n < MAX_FIELDS) {
        while (*p == ' ')
            p++;
        if (strncmp(p, "=>", 2) == 0)
            break;
        p = read_quoted(p, f[n], FIELD_MAX);
        if (p == NULL)
            return -1;
        n++;
    }
    if (strncmp(p, "=>", 2) != 0)
        return -1;
    p += 2;
    while (*p == ' ')
        p++;
    if (strncmp(p, "ERROR", 5) == 0) {
        *error = 1;
        f[n][0] = '\0';
        p += 5;
    } else if ((p = read_quoted(p, f[n], FIELD_MAX)) == NULL) {
        return -1;
    }
    while (*p == ' ' || *p == '\r')
        p++;
    return *p == '\n' || *p == '\0' ? n : -1;
}

static FILE *open_vectors(const char *rel)
{
    char *path = tu_vector(rel);
    FILE *f;

    assert_non_null(path);
    f = fopen(path, "r");
    if (f == NULL)
        fail_msg("cannot open %s", path);
    free(path);
    return f;
}

static void test_normalise_vectors(void **state)
{
    char f[MAX_FIELDS + 1][FIELD_MAX], out[FIELD_MAX], again[FIELD_MAX], line[4096];
    FILE *fp = open_vectors("pseud/normalise.txt");
    int lineno = 0, cases = 0, errors = 0, failures = 0, n, error, rc;

    (void)state;
    while (fgets(line, sizeof line, fp) != NULL) {
        lineno++;
        n = parse_line(line, f, &error);
        if (n == 0)
            continue;
        if (n != 1)
            fail_msg("normalise.txt:%d: malformed line", lineno);
        cases++;
        rc = pseud_normalise(f[0], out, sizeof out);
        if (error) {
            errors++;
            if (rc != BN_EFORMAT) {
                printf("normalise.txt:%d: expected EFORMAT, got %d \"%s\"\n", lineno, rc, out);
                failures++;
            }
            continue;
        }
        if (rc != 0 || strcmp(out, f[1]) != 0) {
            printf("normalise.txt:%d: got %d \"%s\", expected \"%s\"\n", lineno, rc, out, f[1]);
            failures++;
            continue;
        }
        /* normalising twice changes nothing */
        if (pseud_normalise(out, again, sizeof again) != 0 || strcmp(out, again) != 0) {
            printf("normalise.txt:%d: not idempotent: \"%s\" -> \"%s\"\n", lineno, out, again);
            failures++;
        }
    }
    fclose(fp);
    printf("normalise.txt: %d cases (%d refusals), %d failures\n", cases, errors, failures);
    assert_true(cases >= 150);
    assert_true(errors >= 20);
    assert_int_equal(failures, 0);
}

static void test_normalise_limits(void **state)
{
    char out[16], big[2000];

    (void)state;
    assert_int_equal(pseud_normalise("abc", out, 4), 0);
    assert_string_equal(out, "abc");
    assert_int_equal(pseud_normalise("abcd", out, 4), BN_ETOOBIG);
    assert_string_equal(out, "");
    /* the trailing separator is trimmed, so it does not need room */
    assert_int_equal(pseud_normalise("abc - ", out, 4), 0);
    assert_string_equal(out, "abc");
    assert_int_equal(pseud_normalise("ab c", out, 4), BN_ETOOBIG);
    assert_int_equal(pseud_normalise("Œ", out, 3), 0);
    assert_string_equal(out, "oe");
    assert_int_equal(pseud_normalise("Œ", out, 2), BN_ETOOBIG);
    assert_int_equal(pseud_normalise(NULL, out, sizeof out), BN_EINVAL);
    assert_int_equal(pseud_normalise("a", NULL, 4), BN_EINVAL);
    assert_int_equal(pseud_normalise("a", out, 0), BN_EINVAL);
    /* a name longer than pseud_compute's buffers */
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    {
        uint8_t secret[32] = {0}, p[PSEUD_LEN];

        assert_int_equal(pseud_compute(secret, "c", big, "x", "2000-01-01", p), BN_ETOOBIG);
    }
}

static size_t put_utf8(uint32_t v, char *o)
{
    if (v < 0x80) {
        o[0] = (char)v;
        return 1;
    }
    if (v < 0x800) {
        o[0] = (char)(0xC0 | (v >> 6));
        o[1] = (char)(0x80 | (v & 0x3F));
        return 2;
    }
    if (v < 0x10000) {
        o[0] = (char)(0xE0 | (v >> 12));
        o[1] = (char)(0x80 | ((v >> 6) & 0x3F));
        o[2] = (char)(0x80 | (v & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (v >> 18));
    o[1] = (char)(0x80 | ((v >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((v >> 6) & 0x3F));
    o[3] = (char)(0x80 | (v & 0x3F));
    return 4;
}

/* Every code point, between two letters: accepted, output is valid UTF-8
 * without uppercase ASCII, double or edge spaces, and normalising the output
 * again gives the same bytes (the fold table is closed under itself). */
static void test_every_code_point(void **state)
{
    char in[16], out[64], again[64];
    uint32_t cp;
    size_t k, n;
    int rc;

    (void)state;
    for (cp = 1; cp <= 0x10FFFF; cp++) {
        if (cp >= 0xD800 && cp <= 0xDFFF)
            continue;
        in[0] = 'a';
        k = 1 + put_utf8(cp, in + 1);
        in[k++] = 'b';
        in[k] = '\0';
        rc = pseud_normalise(in, out, sizeof out);
        if (rc != 0)
            fail_msg("U+%04X refused: %d", (unsigned)cp, rc);
        n = strlen(out);
        if (out[0] != 'a' || out[n - 1] != 'b' || strstr(out, "  ") != NULL)
            fail_msg("U+%04X: \"%s\"", (unsigned)cp, out);
        for (k = 0; k < n; k++)
            if (out[k] >= 'A' && out[k] <= 'Z')
                fail_msg("U+%04X: uppercase in \"%s\"", (unsigned)cp, out);
        if (pseud_normalise(out, again, sizeof again) != 0 || strcmp(out, again) != 0)
            fail_msg("U+%04X: \"%s\" then \"%s\"", (unsigned)cp, out, again);
    }
}

/* Every letter of Latin-1, Latin Extended-A and Latin Extended Additional
 * (but the few with no base letter: Ŋ ŋ, ẟ) folds to one or two lowercase
 * ASCII letters. */
static void test_latin_ranges_ascii(void **state)
{
    static const uint32_t ranges[][2] = {{0x00C0, 0x00D6}, {0x00D8, 0x00F6}, {0x00F8, 0x0149},
                                         {0x014C, 0x017F}, {0x1E00, 0x1E99}, {0x1EA0, 0x1EF9}};
    char in[8], out[16];
    size_t r, k;
    uint32_t cp;

    (void)state;
    for (r = 0; r < sizeof ranges / sizeof ranges[0]; r++) {
        for (cp = ranges[r][0]; cp <= ranges[r][1]; cp++) {
            in[put_utf8(cp, in)] = '\0';
            assert_int_equal(pseud_normalise(in, out, sizeof out), 0);
            for (k = 0; out[k] != '\0'; k++)
                if (!(out[k] >= 'a' && out[k] <= 'z'))
                    fail_msg("U+%04X -> \"%s\" is not ASCII lowercase", (unsigned)cp, out);
            if (k == 0 || k > 2)
                fail_msg("U+%04X -> \"%s\"", (unsigned)cp, out);
        }
    }
}

static void test_pseudonym_vectors(void **state)
{
    char f[MAX_FIELDS + 1][FIELD_MAX], line[4096], hex[2 * PSEUD_LEN + 1];
    FILE *fp = open_vectors("pseud/pseudonym.txt");
    uint8_t secret[32], p[PSEUD_LEN];
    int lineno = 0, cases = 0, n, error;

    (void)state;
    while (fgets(line, sizeof line, fp) != NULL) {
        lineno++;
        n = parse_line(line, f, &error);
        if (n == 0)
            continue;
        if (n != 5 || error)
            fail_msg("pseudonym.txt:%d: malformed line", lineno);
        assert_int_equal(hex_decode(f[0], strlen(f[0]), secret, sizeof secret), 0);
        assert_int_equal(pseud_compute(secret, f[1], f[2], f[3], f[4], p), 0);
        hex_encode(p, sizeof p, hex);
        if (strcmp(hex, f[5]) != 0)
            fail_msg("pseudonym.txt:%d: got %s, expected %s", lineno, hex, f[5]);
        cases++;
    }
    fclose(fp);
    assert_true(cases >= 5);
}

/* (PSEUD-N1) (PSEUD-N2) identity.txt: what of a name the pseudonym keeps */
static void test_identity_vectors(void **state)
{
    char f[MAX_FIELDS + 1][FIELD_MAX], out[FIELD_MAX], line[4096];
    FILE *fp = open_vectors("pseud/identity.txt");
    int lineno = 0, cases = 0, n, error, rc;

    (void)state;
    while (fgets(line, sizeof line, fp) != NULL) {
        lineno++;
        n = parse_line(line, f, &error);
        if (n == 0)
            continue;
        if (n != 2 || (strcmp(f[0], "last") != 0 && strcmp(f[0], "first") != 0))
            fail_msg("identity.txt:%d: malformed line", lineno);
        rc = pseud_identity_part(f[0][0] == 'l' ? PSEUD_LAST : PSEUD_FIRST, f[1], out,
                                 sizeof out);
        if (error && rc == 0)
            fail_msg("identity.txt:%d: \"%s\" gave \"%s\", expected an error", lineno, f[1], out);
        if (!error && (rc != 0 || strcmp(out, f[2]) != 0))
            fail_msg("identity.txt:%d: \"%s\" gave \"%s\" (%d), expected \"%s\"", lineno, f[1],
                     out, rc, f[2]);
        cases++;
    }
    fclose(fp);
    assert_true(cases >= 30);
}

static void test_pseudonym_equivalence(void **state)
{
    static const struct { const char *last, *first; } same[] = {
        {"Éloïse  Le-Gall", "Marie-Hélène"},
        {"ELOISE LE GALL", "MARIE HELENE"},
        {"eloise le gall", "marie helene"},
        {"  E\xcc\x81loi\xcc\x88se\xc2\xa0Le\xe2\x80\x90Gall ", "Marie\xe2\x80\x93H\xc3\xa9l\xc3\xa8ne"},
        {"Eloise-Le-Gall", "Marie.Helene"},
        {"ELOISELEGALL", "MARIEHELENE"},       /* (PSEUD-N1) */
    };
    uint8_t secret[32], other[32], ref[PSEUD_LEN], p[PSEUD_LEN];
    size_t i;

    (void)state;
    memset(secret, 0x42, sizeof secret);
    memset(other, 0x42, sizeof other);
    other[31] ^= 1;
    assert_int_equal(pseud_compute(secret, "bp-2026", same[0].last, same[0].first, "1990-05-17", ref), 0);
    for (i = 1; i < sizeof same / sizeof same[0]; i++) {
        assert_int_equal(pseud_compute(secret, "bp-2026", same[i].last, same[i].first, "1990-05-17", p), 0);
        assert_memory_equal(p, ref, PSEUD_LEN);
    }
    /* another birth date, campaign, secret: another pseudonym */
    assert_int_equal(pseud_compute(secret, "bp-2026", same[0].last, same[0].first, "1990-05-18", p), 0);
    assert_memory_not_equal(p, ref, PSEUD_LEN);
    assert_int_equal(pseud_compute(secret, "bp-2027", same[0].last, same[0].first, "1990-05-17", p), 0);
    assert_memory_not_equal(p, ref, PSEUD_LEN);
    assert_int_equal(pseud_compute(other, "bp-2026", same[0].last, same[0].first, "1990-05-17", p), 0);
    assert_memory_not_equal(p, ref, PSEUD_LEN);
    /* the parts do not run into each other: names swapped, or a word moved
     * from one name to the other, give another pseudonym */
    assert_int_equal(pseud_compute(secret, "bp-2026", same[0].first, same[0].last, "1990-05-17", p), 0);
    assert_memory_not_equal(p, ref, PSEUD_LEN);
    assert_int_equal(pseud_compute(secret, "bp-2026", "Eloise Le", "Gall Marie Helene", "1990-05-17", p), 0);
    assert_memory_not_equal(p, ref, PSEUD_LEN);
}

static void test_pseudonym_refusals(void **state)
{
    uint8_t secret[32] = {1}, p[PSEUD_LEN];

    (void)state;
    assert_int_equal(pseud_compute(secret, "c", "Dupont", "Jean", "1990-02-30", p), BN_EFORMAT);
    assert_int_equal(pseud_compute(secret, "c", "Dupont", "Jean", "1990-2-3", p), BN_EFORMAT);
    assert_int_equal(pseud_compute(secret, "c", "Dupont", "Jean", "", p), BN_EFORMAT);
    assert_int_equal(pseud_compute(secret, "c", "Dupont", "Jean", NULL, p), BN_EFORMAT);
    assert_int_equal(pseud_compute(secret, "c", "", "Jean", "1990-02-03", p), BN_EFORMAT);
    assert_int_equal(pseud_compute(secret, "c", "Dupont", " - ", "1990-02-03", p), BN_EFORMAT);
    assert_int_equal(pseud_compute(secret, "c", NULL, "Jean", "1990-02-03", p), BN_EFORMAT);
    assert_int_equal(pseud_compute(secret, "c", "Dup\xc3", "Jean", "1990-02-03", p), BN_EFORMAT);
    assert_int_equal(pseud_compute(secret, "", "Dupont", "Jean", "1990-02-03", p), BN_EINVAL);
    assert_int_equal(pseud_compute(NULL, "c", "Dupont", "Jean", "1990-02-03", p), BN_EINVAL);
    assert_int_equal(pseud_compute(secret, "c", "Dupont", "Jean", "1990-02-03", p), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_normalise_vectors),
        cmocka_unit_test(test_normalise_limits),
        cmocka_unit_test(test_every_code_point),
        cmocka_unit_test(test_latin_ranges_ascii),
        cmocka_unit_test(test_pseudonym_vectors),
        cmocka_unit_test(test_identity_vectors),
        cmocka_unit_test(test_pseudonym_equivalence),
        cmocka_unit_test(test_pseudonym_refusals),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
