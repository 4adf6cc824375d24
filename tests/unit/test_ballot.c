/* test_ballot.c - the ballot encoding: vectors, strict decoding, tampering,
 * signatures, ballot_make.
 *
 * BORNE_REGEN_VECTORS=1 rewrites tests/vectors/ballot/valid.txt and
 * invalid.txt from the definitions below instead of checking them (then
 * review the diff: a change of bytes is a change of format). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <mbedtls/bignum.h>
#include <mbedtls/ecdsa.h>
#include <mbedtls/ecp.h>

#include "ballot.h"
#include "bn_err.h"
#include "day.h"
#include "hex.h"
#include "key.h"
#include "rng.h"
#include "testutil.h"

#define KIOSK_SEED "borne ballot vectors v1"


/* Hex of any length into a malloc'd buffer. */
static uint8_t *unhex_alloc(const char *text, size_t *n)
{
    size_t len = strlen(text);
    uint8_t *out = malloc(len / 2 + 1);

    assert_non_null(out);
    assert_int_equal(len % 2, 0);
    assert_int_equal(hex_decode(text, len, out, len / 2), 0);
    *n = len / 2;
    return out;
}

static void unhex(const char *text, uint8_t *out, size_t n)
{
    assert_int_equal(hex_decode(text, strlen(text), out, n), 0);
}

static int regen(void)
{
    const char *e = getenv("BORNE_REGEN_VECTORS");

    return e != NULL && strcmp(e, "1") == 0;
}

/* ---- keys ---- */

typedef struct kiosk_s {
    rng_t *rng;
    key_pair_t *key;
    signer_t signer;
} kiosk_t;

static void kiosk_open(kiosk_t *k, const char *seed)
{
    if (seed != NULL)
        assert_int_equal(rng_open_fixed(&k->rng, (const uint8_t *)seed, strlen(seed)), 0);
    else
        assert_int_equal(rng_open(&k->rng), 0);
    assert_int_equal(key_generate(k->rng, &k->key), 0);
    key_signer(k->key, &k->signer);
}

static void kiosk_close(kiosk_t *k)
{
    key_free(k->key);
    rng_close(k->rng);
}

/* A signer that returns a given signature: re-sealing a decoded ballot with
 * it must give back the very bytes that were decoded (canonical form). */
static int echo_sign(void *ctx, const uint8_t digest[32], uint8_t sig[KEY_SIG_LEN])
{
    (void)digest;
    memcpy(sig, ctx, KEY_SIG_LEN);
    return 0;
}

static int failing_sign(void *ctx, const uint8_t digest[32], uint8_t sig[KEY_SIG_LEN])
{
    (void)ctx;
    (void)digest;
    memset(sig, 0xaa, KEY_SIG_LEN);
    return BN_ECRYPTO;
}

/* ---- the valid vectors ---- */

typedef struct def_s {
    const char *name;
    const char *date;
    const char *campaign;
    const char *territory;
    const char *choices[BALLOT_MAX_CHOICES]; /* sorted; NULL-terminated unless 64 */
    int n;
} def_t;

static const def_t DEFS[] = {
    { "three choices", "2025-03-14", "bp-2025", "rennes",
      { "p01-velo", "p07-jardin", "p12-ecole" }, 3 },
    { "no choice", "2025-03-15", "bp-2025", "vitre", { NULL }, 0 },
    { "one choice", "2026-01-01", "bp-2025", "redon-vallons", { "3" }, 1 },
    { "full-width tokens", "2025-12-31", "bp-2025-35-ille1", "broceliande-0001",
      { "0-short", "a-very-long-id-1", "zzzzzzzzzzzzzzzz" }, 3 },
    { "prefix order", "2025-06-30", "bp-2025", "fougeres",
      { "a", "a-z", "a0", "ab", "b" }, 5 },
    { "64 choices", "2025-03-16", "bp-2025", "saint-malo", { NULL }, 64 },
};
#define N_DEFS ((int)(sizeof DEFS / sizeof DEFS[0]))

/* Builds the ballot of definition i; its id comes from a fixed generator. */
static void def_ballot(int i, const uint8_t kiosk_id[KEY_ID_LEN], ballot_t *b)
{
    static const char seed[] = "borne ballot vector ids";
    rng_t *r;
    int j;

    memset(b, 0, sizeof *b);
    b->kind = BALLOT_KIND_BUDGET;
    assert_int_equal(day_parse(DEFS[i].date, &b->day), 0);
    assert_int_equal(rng_open_fixed(&r, (const uint8_t *)seed, sizeof seed - 1), 0);
    for (j = 0; j <= i; j++)
        assert_int_equal(rng_bytes(r, b->id, BALLOT_ID_LEN), 0);
    rng_close(r);
    memcpy(b->kiosk, kiosk_id, KEY_ID_LEN);
    strcpy(b->campaign, DEFS[i].campaign);
    strcpy(b->territory, DEFS[i].territory);
    b->n = DEFS[i].n;
    for (j = 0; j < b->n; j++) {
        if (DEFS[i].n == 64)
            snprintf(b->choices[j], sizeof b->choices[j], "p%02d", j);
        else
            strcpy(b->choices[j], DEFS[i].choices[j]);
    }
}

static void sealed_three(const kiosk_t *k, ballot_t *b, uint8_t *buf, size_t *len)
{
    def_ballot(0, k->signer.pub.id, b);
    assert_int_equal(ballot_seal(b, &k->signer, buf, BALLOT_MAX_LEN, len), 0);
    assert_int_equal(*len, 92 + 3 * 16 + 64);
}

static void assert_same_ballot(const ballot_t *a, const ballot_t *b)
{
    int i;

    assert_int_equal(a->kind, b->kind);
    assert_int_equal(a->day, b->day);
    assert_memory_equal(a->id, b->id, BALLOT_ID_LEN);
    assert_memory_equal(a->kiosk, b->kiosk, KEY_ID_LEN);
    assert_string_equal(a->campaign, b->campaign);
    assert_string_equal(a->territory, b->territory);
    assert_int_equal(a->n, b->n);
    for (i = 0; i < a->n; i++)
        assert_string_equal(a->choices[i], b->choices[i]);
    assert_memory_equal(a->sig, b->sig, KEY_SIG_LEN);
}

static void write_valid(const kiosk_t *k)
{
    char *path = tu_vector("ballot/valid.txt");
    char hex[2 * BALLOT_MAX_LEN + 1], date[DAY_TEXT_LEN + 1];
    uint8_t buf[BALLOT_MAX_LEN], digest[32];
    ballot_t b;
    size_t len;
    FILE *f = fopen(path, "w");
    int i, j;

    assert_non_null(f);
    fprintf(f, "# Ballot vectors, format version 1 (docs/formats.md, \"Ballot\").\n"
               "# Written by test_ballot with BORNE_REGEN_VECTORS=1. The kiosk key is\n"
               "# key_generate(rng_open_fixed(kiosk_seed)); signatures are deterministic\n"
               "# ECDSA P-256 (RFC 6979, SHA-256), low-s. `signed_sha256` is SHA-256 of the\n"
               "# signed part (all bytes but the last 64); `encoded` is the whole ballot.\n"
               "# `choices` is comma-separated, empty for none.\n\n");
    hex_encode(k->signer.pub.pub, KEY_PUB_LEN, hex);
    fprintf(f, "kiosk_seed = %s\nkiosk_pub = %s\n", KIOSK_SEED, hex);
    hex_encode(k->signer.pub.id, KEY_ID_LEN, hex);
    fprintf(f, "kiosk_id = %s\n", hex);
    for (i = 0; i < N_DEFS; i++) {
        def_ballot(i, k->signer.pub.id, &b);
        assert_int_equal(ballot_seal(&b, &k->signer, buf, sizeof buf, &len), 0);
        day_format(b.day, date);
        fprintf(f, "\nname = %s\nday = %s\nday_number = %u\n", DEFS[i].name, date,
                (unsigned)b.day);
        hex_encode(b.id, BALLOT_ID_LEN, hex);
        fprintf(f, "ballot_id = %s\n", hex);
        fprintf(f, "campaign = %s\nterritory = %s\nchoices =", b.campaign, b.territory);
        for (j = 0; j < b.n; j++)
            fprintf(f, "%s%s", j > 0 ? "," : " ", b.choices[j]);
        key_sha256(buf, len - KEY_SIG_LEN, digest);
        hex_encode(digest, 32, hex);
        fprintf(f, "\nsigned_sha256 = %s\n", hex);
        hex_encode(b.sig, KEY_SIG_LEN, hex);
        fprintf(f, "signature = %s\n", hex);
        hex_encode(buf, len, hex);
        fprintf(f, "encoded = %s\n", hex);
    }
    assert_int_equal(fclose(f), 0);
    free(path);
}

typedef struct valid_ctx_s {
    kiosk_t *k;
    int ballots;
} valid_ctx_t;

static void check_valid(const tu_vec_t *v, void *arg)
{
    valid_ctx_t *c = arg;
    uint8_t pub[KEY_PUB_LEN], id[KEY_ID_LEN], digest[32], want_digest[32], sig[KEY_SIG_LEN];
    uint8_t buf[BALLOT_MAX_LEN], *enc;
    char list[BALLOT_MAX_CHOICES * (BALLOT_TOKEN_LEN + 1) + 1], *tok, *save = NULL;
    ballot_t b, d;
    signer_t echo;
    size_t enclen, len;
    uint32_t day;

    if (tu_vec_find(v, "kiosk_seed") != NULL) {
        /* The key record: the fixed generator must still give this key. */
        assert_string_equal(tu_vec_get(v, "kiosk_seed"), KIOSK_SEED);
        unhex(tu_vec_get(v, "kiosk_pub"), pub, KEY_PUB_LEN);
        unhex(tu_vec_get(v, "kiosk_id"), id, KEY_ID_LEN);
        assert_memory_equal(c->k->signer.pub.pub, pub, KEY_PUB_LEN);
        assert_memory_equal(c->k->signer.pub.id, id, KEY_ID_LEN);
        return;
    }
    /* The fields, as written in the file. */
    memset(&b, 0, sizeof b);
    b.kind = BALLOT_KIND_BUDGET;
    assert_int_equal(day_parse(tu_vec_get(v, "day"), &b.day), 0);
    day = (uint32_t)strtoul(tu_vec_get(v, "day_number"), NULL, 10);
    assert_int_equal(b.day, day);
    unhex(tu_vec_get(v, "ballot_id"), b.id, BALLOT_ID_LEN);
    memcpy(b.kiosk, c->k->signer.pub.id, KEY_ID_LEN);
    snprintf(b.campaign, sizeof b.campaign, "%s", tu_vec_get(v, "campaign"));
    snprintf(b.territory, sizeof b.territory, "%s", tu_vec_get(v, "territory"));
    snprintf(list, sizeof list, "%s", tu_vec_get(v, "choices"));
    for (tok = strtok_r(list, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
        assert_true(b.n < BALLOT_MAX_CHOICES);
        snprintf(b.choices[b.n++], sizeof b.choices[0], "%s", tok);
    }
    enc = unhex_alloc(tu_vec_get(v, "encoded"), &enclen);
    unhex(tu_vec_get(v, "signature"), sig, KEY_SIG_LEN);
    unhex(tu_vec_get(v, "signed_sha256"), want_digest, 32);

    /* Encoding the fields gives exactly the vector's bytes, signature included. */
    assert_int_equal(ballot_seal(&b, &c->k->signer, buf, sizeof buf, &len), 0);
    assert_int_equal(len, enclen);
    assert_memory_equal(buf, enc, len);
    assert_memory_equal(b.sig, sig, KEY_SIG_LEN);
    key_sha256(enc, enclen - KEY_SIG_LEN, digest);
    assert_memory_equal(digest, want_digest, 32);

    /* Decoding the bytes gives the fields; re-encoding them the same bytes. */
    assert_int_equal(ballot_decode(enc, enclen, &d, NULL, 0), 0);
    assert_same_ballot(&b, &d);
    echo.ctx = d.sig;
    echo.sign = echo_sign;
    echo.pub = c->k->signer.pub;
    assert_int_equal(ballot_seal(&d, &echo, buf, sizeof buf, &len), 0);
    assert_int_equal(len, enclen);
    assert_memory_equal(buf, enc, len);

    assert_int_equal(ballot_verify(enc, enclen, &c->k->signer.pub), 0);
    free(enc);
    c->ballots++;
}

static void test_vectors_valid(void **state)
{
    kiosk_t k;
    valid_ctx_t c;

    (void)state;
    kiosk_open(&k, KIOSK_SEED);
    if (regen())
        write_valid(&k);
    c.k = &k;
    c.ballots = 0;
    assert_int_equal(tu_vec_each("ballot/valid.txt", check_valid, &c), N_DEFS + 1);
    assert_int_equal(c.ballots, N_DEFS);
    kiosk_close(&k);
}

/* ---- strict decoding: one mutation per rule ---- */

#define CH(i) (BALLOT_HEADER_LEN + 16 * (i)) /* offset of choice i */

typedef struct mutation_s {
    const char *name;
    const char *why;
} mutation_t;

static const mutation_t MUTATIONS[] = {
    { "magic lowercase", "magic must be \"BRNB\"" },
    { "magic other", "magic must be \"BRNB\"" },
    { "version 0", "only version 1 exists" },
    { "version 2", "only version 1 exists" },
    { "kind 0", "kind must be 1 (budget vote)" },
    { "kind 2", "kind must be 1 (budget vote)" },
    { "n 65", "at most 64 choices (length matches 65)" },
    { "n 65535", "at most 64 choices" },
    { "n one less", "length must be 92 + 16n + 64 exactly" },
    { "n one more", "length must be 92 + 16n + 64 exactly" },
    { "length plus 1", "length must be 92 + 16n + 64 exactly" },
    { "length minus 1", "length must be 92 + 16n + 64 exactly" },
    { "shorter than a ballot", "at least 156 bytes" },
    { "day 0", "day must not be 0" },
    { "campaign empty", "token must not be empty" },
    { "campaign uppercase", "token characters are [a-z0-9-]" },
    { "campaign leading dash", "token must start with [a-z0-9]" },
    { "campaign NUL inside", "no non-NUL byte after a NUL" },
    { "campaign space in padding", "padding is NUL bytes only" },
    { "campaign space", "token characters are [a-z0-9-]" },
    { "campaign latin-1 byte", "token characters are [a-z0-9-]" },
    { "campaign underscore", "token characters are [a-z0-9-]" },
    { "territory empty", "token must not be empty" },
    { "territory 0xff padding", "padding is NUL bytes only" },
    { "territory dot", "token characters are [a-z0-9-]" },
    { "choices unsorted", "choices strictly increasing" },
    { "choices descending", "choices strictly increasing" },
    { "choice duplicate first", "choices strictly increasing (distinct)" },
    { "choice duplicate last", "choices strictly increasing (distinct)" },
    { "choice empty", "token must not be empty" },
    { "choice bad padding", "padding is NUL bytes only" },
    { "choice uppercase", "token characters are [a-z0-9-]" },
    { "choice leading dash", "token must start with [a-z0-9]" },
    { "choice NUL first", "token must not be empty; padding is NUL bytes only" },
    { "choice uppercase inside", "token characters are [a-z0-9-]" },
};
#define N_MUTATIONS ((int)(sizeof MUTATIONS / sizeof MUTATIONS[0]))

static void set_token(uint8_t *field, const char *s, size_t len)
{
    memset(field, 0, 16);
    memcpy(field, s, len);
}

/* Applies mutation m to the signed "three choices" ballot in buf (room for
 * BALLOT_MAX_LEN + 1 bytes), then signs the result again with the kiosk key
 * so that only the format can be the reason for refusing it. */
static void mutate(int m, const kiosk_t *k, uint8_t *buf, size_t *len)
{
    size_t body;
    int i;

    assert_int_equal(*len, 204);
    body = *len - 64;
    switch (m) {
    case 0: buf[0] = 'b'; break;
    case 1: buf[3] = 'C'; break;
    case 2: buf[4] = 0; break;
    case 3: buf[4] = 2; break;
    case 4: buf[5] = 0; break;
    case 5: buf[5] = 2; break;
    case 6:
        buf[6] = 0;
        buf[7] = 65;
        for (i = 0; i < 65; i++) {
            char t[8];
            snprintf(t, sizeof t, "c%02d", i);
            set_token(buf + CH(i), t, 3);
        }
        body = (size_t)CH(65);
        break;
    case 7: buf[6] = 0xff; buf[7] = 0xff; break;
    case 8: buf[7] = 2; break;
    case 9: buf[7] = 4; break;
    case 10: buf[body] = 0; body++; break;
    case 11: body--; break;
    case 12: *len = 155; return; /* no room for a signature to redo */
    case 13: memset(buf + 8, 0, 4); break;
    case 14: memset(buf + 60, 0, 16); break;
    case 15: buf[60] = 'B'; break;
    case 16: set_token(buf + 60, "-bp-2025", 8); break;
    case 17: set_token(buf + 60, "bp\0002025", 7); break;
    case 18: buf[60 + 15] = ' '; break;
    case 19: buf[62] = ' '; break;
    case 20: buf[61] = 0xe9; break;
    case 21: buf[62] = '_'; break;
    case 22: memset(buf + 76, 0, 16); break;
    case 23: buf[76 + 15] = 0xff; break;
    case 24: buf[76 + 6] = '.'; break;
    case 25: {
        uint8_t t[16];
        memcpy(t, buf + CH(0), 16);
        memcpy(buf + CH(0), buf + CH(1), 16);
        memcpy(buf + CH(1), t, 16);
        break;
    }
    case 26: {
        uint8_t t[16];
        memcpy(t, buf + CH(0), 16);
        memcpy(buf + CH(0), buf + CH(2), 16);
        memcpy(buf + CH(2), t, 16);
        break;
    }
    case 27: memcpy(buf + CH(1), buf + CH(0), 16); break;
    case 28: memcpy(buf + CH(2), buf + CH(1), 16); break;
    case 29: memset(buf + CH(1), 0, 16); break;
    case 30: buf[CH(2) + 15] = 'x'; break;
    case 31: buf[CH(0)] = 'P'; break;
    case 32: set_token(buf + CH(0), "-p01", 4); break;
    case 33: buf[CH(0)] = 0; break; /* "\0" then "01-velo": NUL first, bytes after */
    case 34: buf[CH(1) + 4] = 'J'; break; /* "p07-Jardin" */
    default: fail_msg("no mutation %d", m);
    }
    assert_int_equal(key_sign_msg(&k->signer, buf, body, buf + body), 0);
    *len = body + 64;
}

static void write_invalid(const kiosk_t *k)
{
    char *path = tu_vector("ballot/invalid.txt");
    char hex[2 * (BALLOT_MAX_LEN + 64) + 1];
    uint8_t buf[BALLOT_MAX_LEN + 64];
    ballot_t b;
    size_t len;
    FILE *f = fopen(path, "w");
    int m;

    assert_non_null(f);
    fprintf(f, "# Ballots that every decoder must refuse (ballot_decode: BN_EFORMAT).\n"
               "# Each is the \"three choices\" vector of valid.txt with one rule broken,\n"
               "# then signed again with the same kiosk key: the last 64 bytes are a valid\n"
               "# signature over the bytes before them (except \"shorter than a ballot\"),\n"
               "# so a verifier that only checks signatures would wrongly accept them.\n"
               "# Written by test_ballot with BORNE_REGEN_VECTORS=1.\n");
    for (m = 0; m < N_MUTATIONS; m++) {
        sealed_three(k, &b, buf, &len);
        mutate(m, k, buf, &len);
        hex_encode(buf, len, hex);
        fprintf(f, "\nname = %s\nrule = %s\nencoded = %s\n", MUTATIONS[m].name,
                MUTATIONS[m].why, hex);
    }
    assert_int_equal(fclose(f), 0);
    free(path);
}

typedef struct invalid_ctx_s {
    kiosk_t *k;
    int count;
} invalid_ctx_t;

static void check_invalid(const tu_vec_t *v, void *arg)
{
    invalid_ctx_t *c = arg;
    uint8_t buf[BALLOT_MAX_LEN + 64], *enc;
    ballot_t b;
    char why[200];
    size_t len, enclen;

    enc = unhex_alloc(tu_vec_get(v, "encoded"), &enclen);
    /* The file and the mutation in this test agree. */
    assert_true(c->count < N_MUTATIONS);
    assert_string_equal(tu_vec_get(v, "name"), MUTATIONS[c->count].name);
    sealed_three(c->k, &b, buf, &len);
    mutate(c->count, c->k, buf, &len);
    assert_int_equal(len, enclen);
    assert_memory_equal(buf, enc, len);

    why[0] = '\0';
    if (ballot_decode(enc, enclen, &b, why, sizeof why) != BN_EFORMAT)
        fail_msg("'%s' was not refused", tu_vec_get(v, "name"));
    assert_true(why[0] != '\0');
    assert_int_equal(ballot_verify(enc, enclen, &c->k->signer.pub), BN_EFORMAT);
    /* ... although its signature is valid: only the format refused it. */
    if (enclen >= 156)
        assert_int_equal(key_verify_msg(&c->k->signer.pub, enc, enclen - 64, enc + enclen - 64), 0);
    free(enc);
    c->count++;
}

static void test_strict_decoding(void **state)
{
    kiosk_t k;
    invalid_ctx_t c;

    (void)state;
    kiosk_open(&k, KIOSK_SEED);
    if (regen())
        write_invalid(&k);
    c.k = &k;
    c.count = 0;
    assert_int_equal(tu_vec_each("ballot/invalid.txt", check_invalid, &c), N_MUTATIONS);
    kiosk_close(&k);
}

/* Every strict prefix and a few extensions of a valid ballot are refused. */
static void test_lengths(void **state)
{
    uint8_t buf[BALLOT_MAX_LEN + 16];
    kiosk_t k;
    ballot_t b;
    size_t len, l;

    (void)state;
    kiosk_open(&k, KIOSK_SEED);
    sealed_three(&k, &b, buf, &len);
    assert_int_equal(ballot_decode(buf, len, &b, NULL, 0), 0);
    for (l = 0; l < len; l++)
        assert_int_equal(ballot_decode(buf, l, &b, NULL, 0), BN_EFORMAT);
    memset(buf + len, 0, 16);
    for (l = len + 1; l <= len + 16; l++)
        assert_int_equal(ballot_decode(buf, l, &b, NULL, 0), BN_EFORMAT);
    assert_int_equal(ballot_decode(NULL, 0, &b, NULL, 0), BN_EINVAL);
    kiosk_close(&k);
}

/* A refused ballot leaves nothing decoded behind. */
static void test_decode_failure_clears(void **state)
{
    uint8_t buf[BALLOT_MAX_LEN];
    ballot_t b, zero;
    kiosk_t k;
    size_t len;

    (void)state;
    kiosk_open(&k, KIOSK_SEED);
    sealed_three(&k, &b, buf, &len);
    buf[CH(2)] = 'A'; /* the last choice is bad, the others were decoded */
    memset(&zero, 0, sizeof zero);
    assert_int_equal(ballot_decode(buf, len, &b, NULL, 0), BN_EFORMAT);
    assert_memory_equal(&b, &zero, sizeof b);
    kiosk_close(&k);
}

/* ---- seal ---- */

static void test_seal_refuses_noncanonical(void **state)
{
    uint8_t buf[BALLOT_MAX_LEN];
    ballot_t b, good;
    kiosk_t k;
    signer_t bad;
    size_t len = 0;

    (void)state;
    kiosk_open(&k, KIOSK_SEED);
    def_ballot(0, k.signer.pub.id, &good);

    b = good;
    assert_int_equal(ballot_seal(&b, &k.signer, buf, 203, &len), BN_ETOOBIG);
    assert_int_equal(ballot_seal(&b, &k.signer, buf, 204, &len), 0);
    assert_int_equal(len, 204);

    b = good;
    strcpy(b.choices[0], "p99"); /* now unsorted */
    assert_int_equal(ballot_seal(&b, &k.signer, buf, sizeof buf, &len), BN_EINVAL);
    b = good;
    strcpy(b.choices[1], b.choices[0]); /* duplicate */
    assert_int_equal(ballot_seal(&b, &k.signer, buf, sizeof buf, &len), BN_EINVAL);
    b = good;
    strcpy(b.choices[2], "P12"); /* bad character */
    assert_int_equal(ballot_seal(&b, &k.signer, buf, sizeof buf, &len), BN_EINVAL);
    b = good;
    b.campaign[0] = '\0';
    assert_int_equal(ballot_seal(&b, &k.signer, buf, sizeof buf, &len), BN_EINVAL);
    b = good;
    memset(b.territory, 'a', sizeof b.territory); /* 17 bytes, no NUL */
    assert_int_equal(ballot_seal(&b, &k.signer, buf, sizeof buf, &len), BN_EINVAL);
    b = good;
    b.day = 0;
    assert_int_equal(ballot_seal(&b, &k.signer, buf, sizeof buf, &len), BN_EINVAL);
    b = good;
    b.kind = 2;
    assert_int_equal(ballot_seal(&b, &k.signer, buf, sizeof buf, &len), BN_EINVAL);
    b = good;
    b.n = 65;
    assert_int_equal(ballot_seal(&b, &k.signer, buf, sizeof buf, &len), BN_ERANGE);
    b.n = -1;
    assert_int_equal(ballot_seal(&b, &k.signer, buf, sizeof buf, &len), BN_ERANGE);

    /* A signer that fails: the error comes back, no signature is kept. */
    b = good;
    bad = k.signer;
    bad.sign = failing_sign;
    assert_int_equal(ballot_seal(&b, &bad, buf, sizeof buf, &len), BN_ECRYPTO);
    assert_memory_equal(b.sig, good.sig, KEY_SIG_LEN);
    kiosk_close(&k);
}

/* ---- signatures ---- */

static void test_round_trip(void **state)
{
    uint8_t buf[BALLOT_MAX_LEN];
    ballot_t b, d;
    kiosk_t k;
    size_t len;
    int i;

    (void)state;
    kiosk_open(&k, NULL); /* a random key this time */
    for (i = 0; i < N_DEFS; i++) {
        def_ballot(i, k.signer.pub.id, &b);
        assert_int_equal(ballot_seal(&b, &k.signer, buf, sizeof buf, &len), 0);
        assert_int_equal(len, 92 + 16 * (size_t)b.n + 64);
        assert_memory_equal(buf, "BRNB\001\001", 6);
        assert_memory_equal(buf + len - 64, b.sig, 64);
        assert_int_equal(key_verify_msg(&k.signer.pub, buf, len - 64, b.sig), 0);
        assert_int_equal(ballot_decode(buf, len, &d, NULL, 0), 0);
        assert_same_ballot(&b, &d);
        assert_int_equal(ballot_verify(buf, len, &k.signer.pub), 0);
    }
    kiosk_close(&k);
}

/* TAMPER: every single bit flipped, anywhere (signature included), fails. */
static void test_tamper_every_bit(void **state)
{
    uint8_t buf[BALLOT_MAX_LEN];
    kiosk_t k;
    ballot_t b;
    size_t len, i;
    int bit, rc, flips = 0, badsig = 0, fmt = 0, wrongkey = 0;

    (void)state;
    kiosk_open(&k, KIOSK_SEED);
    sealed_three(&k, &b, buf, &len);
    assert_int_equal(ballot_verify(buf, len, &k.signer.pub), 0);
    for (i = 0; i < len; i++) {
        for (bit = 0; bit < 8; bit++) {
            buf[i] ^= (uint8_t)(1u << bit);
            rc = ballot_verify(buf, len, &k.signer.pub);
            if (rc == 0)
                fail_msg("flipping bit %d of byte %zu still verifies", bit, i);
            badsig += rc == BN_EBADSIG;
            fmt += rc == BN_EFORMAT;
            wrongkey += rc == BN_EWRONGKEY;
            buf[i] ^= (uint8_t)(1u << bit);
            flips++;
        }
    }
    assert_int_equal(flips, 204 * 8);
    assert_int_equal(wrongkey, 32 * 8); /* exactly the kiosk id's bits */
    assert_int_equal(badsig + fmt + wrongkey, flips);
    assert_true(badsig >= 64 * 8); /* at least every bit of the signature */
    assert_int_equal(ballot_verify(buf, len, &k.signer.pub), 0);
    kiosk_close(&k);
}

/* The high-s twin (r, n - s) is a valid ECDSA signature, but not the one
 * signature per ballot: refused. */
static void test_high_s_refused(void **state)
{
    uint8_t buf[BALLOT_MAX_LEN], digest[32];
    mbedtls_ecp_group grp;
    mbedtls_ecp_point q;
    mbedtls_mpi r, s;
    kiosk_t k;
    ballot_t b;
    size_t len;

    (void)state;
    kiosk_open(&k, KIOSK_SEED);
    sealed_three(&k, &b, buf, &len);
    mbedtls_ecp_group_init(&grp);
    mbedtls_ecp_point_init(&q);
    mbedtls_mpi_init(&r);
    mbedtls_mpi_init(&s);
    assert_int_equal(mbedtls_ecp_group_load(&grp, MBEDTLS_ECP_DP_SECP256R1), 0);
    assert_int_equal(mbedtls_ecp_point_read_binary(&grp, &q, k.signer.pub.pub, KEY_PUB_LEN), 0);
    assert_int_equal(mbedtls_mpi_read_binary(&r, buf + len - 64, 32), 0);
    assert_int_equal(mbedtls_mpi_read_binary(&s, buf + len - 32, 32), 0);
    key_sha256(buf, len - 64, digest);
    assert_int_equal(mbedtls_ecdsa_verify(&grp, digest, 32, &q, &r, &s), 0);

    assert_int_equal(mbedtls_mpi_sub_mpi(&s, &grp.N, &s), 0); /* s := n - s */
    assert_int_equal(mbedtls_mpi_write_binary(&s, buf + len - 32, 32), 0);
    /* mathematically valid ... */
    assert_int_equal(mbedtls_ecdsa_verify(&grp, digest, 32, &q, &r, &s), 0);
    /* ... but refused */
    assert_int_equal(ballot_verify(buf, len, &k.signer.pub), BN_EBADSIG);

    mbedtls_mpi_free(&r);
    mbedtls_mpi_free(&s);
    mbedtls_ecp_point_free(&q);
    mbedtls_ecp_group_free(&grp);
    kiosk_close(&k);
}

static void test_wrong_kiosk_key(void **state)
{
    uint8_t buf[BALLOT_MAX_LEN];
    kiosk_t k1, k2;
    ballot_t b;
    size_t len;

    (void)state;
    kiosk_open(&k1, KIOSK_SEED);
    kiosk_open(&k2, "another kiosk");
    sealed_three(&k1, &b, buf, &len);
    assert_int_equal(ballot_verify(buf, len, &k1.signer.pub), 0);
    /* another kiosk's key */
    assert_int_equal(ballot_verify(buf, len, &k2.signer.pub), BN_EWRONGKEY);
    /* a ballot that claims kiosk 2 but was signed by kiosk 1 */
    memcpy(b.kiosk, k2.signer.pub.id, KEY_ID_LEN);
    assert_int_equal(ballot_seal(&b, &k1.signer, buf, sizeof buf, &len), 0);
    assert_int_equal(ballot_verify(buf, len, &k2.signer.pub), BN_EBADSIG);
    assert_int_equal(ballot_verify(buf, len, &k1.signer.pub), BN_EWRONGKEY);
    /* a ballot that names kiosk 1 but was signed by kiosk 2 */
    memcpy(b.kiosk, k1.signer.pub.id, KEY_ID_LEN);
    assert_int_equal(ballot_seal(&b, &k2.signer, buf, sizeof buf, &len), 0);
    assert_int_equal(ballot_verify(buf, len, &k1.signer.pub), BN_EBADSIG);
    kiosk_close(&k1);
    kiosk_close(&k2);
}

/* ---- ballot_make ---- */

typedef struct fixture_s {
    pkg_t p;
    pkg_territory_t t[2];
    pkg_project_t pr[5 + 66];
} fixture_t;

/* A package by hand: territory 0 "rennes" has projects 0..4 (ids chosen to
 * test byte order), territory 1 "vitre" has projects 5..70 ("v00".."v65"). */
static void fixture(fixture_t *f)
{
    static const char *ids[5] = { "b", "a-z", "a", "ab", "a0" };
    int i;

    memset(f, 0, sizeof *f);
    strcpy(f->p.id, "bp-2025");
    f->p.kind = PKG_BUDGET;
    strcpy(f->t[0].id, "rennes");
    strcpy(f->t[1].id, "vitre");
    f->p.n_territories = 2;
    f->p.territories = f->t;
    for (i = 0; i < 5; i++) {
        strcpy(f->pr[i].id, ids[i]);
        f->pr[i].territory = 0;
        f->pr[i].cost = 1000;
    }
    for (i = 5; i < 5 + 66; i++) {
        snprintf(f->pr[i].id, sizeof f->pr[i].id, "v%02d", i - 5);
        f->pr[i].territory = 1;
        f->pr[i].cost = 1000;
    }
    f->p.n_projects = 5 + 66;
    f->p.projects = f->pr;
}

static void test_make(void **state)
{
    static const int sel[5] = { 0, 1, 2, 3, 4 };
    uint8_t kiosk[KEY_ID_LEN], buf[BALLOT_MAX_LEN];
    fixture_t *f = malloc(sizeof *f);
    ballot_t b, d;
    kiosk_t k;
    size_t len;
    uint32_t day;
    int sel64[64], i;

    (void)state;
    assert_non_null(f);
    fixture(f);
    kiosk_open(&k, KIOSK_SEED);
    memcpy(kiosk, k.signer.pub.id, KEY_ID_LEN);
    assert_int_equal(day_parse("2025-03-14", &day), 0);

    assert_int_equal(ballot_make(&b, &f->p, 0, sel, 5, day, kiosk, k.rng), 0);
    assert_int_equal(b.kind, BALLOT_KIND_BUDGET);
    assert_int_equal(b.day, day);
    assert_memory_equal(b.kiosk, kiosk, KEY_ID_LEN);
    assert_string_equal(b.campaign, "bp-2025");
    assert_string_equal(b.territory, "rennes");
    assert_int_equal(b.n, 5);
    /* sorted by bytes: NUL < '-' < '0' < 'a' */
    assert_string_equal(b.choices[0], "a");
    assert_string_equal(b.choices[1], "a-z");
    assert_string_equal(b.choices[2], "a0");
    assert_string_equal(b.choices[3], "ab");
    assert_string_equal(b.choices[4], "b");
    assert_int_equal(ballot_seal(&b, &k.signer, buf, sizeof buf, &len), 0);
    assert_int_equal(ballot_decode(buf, len, &d, NULL, 0), 0);
    assert_same_ballot(&b, &d);
    assert_int_equal(ballot_verify(buf, len, &k.signer.pub), 0);

    /* empty selection, and 64 projects (the most a ballot holds) */
    assert_int_equal(ballot_make(&b, &f->p, 1, NULL, 0, day, kiosk, k.rng), 0);
    assert_int_equal(b.n, 0);
    for (i = 0; i < 64; i++)
        sel64[i] = 5 + 63 - i; /* reverse order */
    assert_int_equal(ballot_make(&b, &f->p, 1, sel64, 64, day, kiosk, k.rng), 0);
    for (i = 0; i < 64; i++) {
        char want[8];
        snprintf(want, sizeof want, "v%02d", i);
        assert_string_equal(b.choices[i], want);
    }
    assert_int_equal(ballot_seal(&b, &k.signer, buf, sizeof buf, &len), 0);
    assert_int_equal(len, BALLOT_MAX_LEN);
    assert_int_equal(ballot_verify(buf, len, &k.signer.pub), 0);

    kiosk_close(&k);
    free(f);
}

static void test_make_refuses(void **state)
{
    uint8_t kiosk[KEY_ID_LEN] = { 1 };
    fixture_t *f = malloc(sizeof *f);
    int sel[70], i;
    ballot_t b;
    rng_t *r;

    (void)state;
    assert_non_null(f);
    fixture(f);
    assert_int_equal(rng_open_fixed(&r, (const uint8_t *)"x", 1), 0);
    for (i = 0; i < 70; i++)
        sel[i] = 5 + i % 66;

    /* indexes */
    sel[0] = -1;
    assert_int_equal(ballot_make(&b, &f->p, 0, sel, 1, 20000, kiosk, r), BN_EINVAL);
    sel[0] = 71;
    assert_int_equal(ballot_make(&b, &f->p, 0, sel, 1, 20000, kiosk, r), BN_EINVAL);
    sel[0] = 5; /* a project of territory 1 for a voter of territory 0 */
    assert_int_equal(ballot_make(&b, &f->p, 0, sel, 1, 20000, kiosk, r), BN_EINVAL);
    assert_int_equal(ballot_make(&b, &f->p, -1, sel, 1, 20000, kiosk, r), BN_EINVAL);
    assert_int_equal(ballot_make(&b, &f->p, 2, sel, 1, 20000, kiosk, r), BN_EINVAL);
    sel[1] = 5; /* the same project twice */
    assert_int_equal(ballot_make(&b, &f->p, 1, sel, 2, 20000, kiosk, r), BN_EINVAL);
    sel[1] = 6;
    assert_int_equal(ballot_make(&b, &f->p, 1, sel, 2, 20000, kiosk, r), 0);
    /* day 0, not a budget vote, NULL arguments */
    assert_int_equal(ballot_make(&b, &f->p, 1, sel, 2, 0, kiosk, r), BN_EINVAL);
    f->p.kind = PKG_PETITION;
    assert_int_equal(ballot_make(&b, &f->p, 1, sel, 2, 20000, kiosk, r), BN_EINVAL);
    f->p.kind = PKG_BUDGET;
    assert_int_equal(ballot_make(&b, &f->p, 1, NULL, 2, 20000, kiosk, r), BN_EINVAL);
    assert_int_equal(ballot_make(&b, &f->p, 1, sel, 2, 20000, kiosk, NULL), BN_EINVAL);
    /* sizes: more than 64 choices, ids longer than 16 bytes */
    assert_int_equal(ballot_make(&b, &f->p, 1, sel, 65, 20000, kiosk, r), BN_ERANGE);
    assert_int_equal(ballot_make(&b, &f->p, 1, sel, -1, 20000, kiosk, r), BN_ERANGE);
    memset(f->pr[6].id, 'a', sizeof f->pr[6].id); /* 17 bytes, no NUL */
    assert_int_equal(ballot_make(&b, &f->p, 1, sel, 2, 20000, kiosk, r), BN_ERANGE);
    memset(f->t[1].id, 'a', sizeof f->t[1].id);
    assert_int_equal(ballot_make(&b, &f->p, 1, sel, 1, 20000, kiosk, r), BN_ERANGE);
    memset(f->p.id, 'a', sizeof f->p.id);
    assert_int_equal(ballot_make(&b, &f->p, 1, sel, 1, 20000, kiosk, r), BN_ERANGE);
    /* ids that cannot be tokens */
    fixture(f);
    strcpy(f->pr[6].id, "V01");
    assert_int_equal(ballot_make(&b, &f->p, 1, sel, 2, 20000, kiosk, r), BN_EFORMAT);
    strcpy(f->pr[6].id, "");
    assert_int_equal(ballot_make(&b, &f->p, 1, sel, 2, 20000, kiosk, r), BN_EFORMAT);
    strcpy(f->t[1].id, "-vitre");
    assert_int_equal(ballot_make(&b, &f->p, 1, sel, 1, 20000, kiosk, r), BN_EFORMAT);
    rng_close(r);
    free(f);
}

/* (DESIGN-S3) A refused selection leaves no choice in the ballot struct. */
static void test_make_failure_clears_choices_S3(void **state)
{
    uint8_t kiosk[KEY_ID_LEN] = { 1 };
    fixture_t *f = malloc(sizeof *f);
    int sel[3] = { 5, 6, 999 };
    ballot_t b, zero;
    rng_t *r;

    (void)state;
    assert_non_null(f);
    fixture(f);
    memset(&zero, 0, sizeof zero);
    assert_int_equal(rng_open_fixed(&r, (const uint8_t *)"x", 1), 0);
    assert_int_equal(ballot_make(&b, &f->p, 1, sel, 2, 20000, kiosk, r), 0);
    assert_int_equal(ballot_make(&b, &f->p, 1, sel, 3, 20000, kiosk, r), BN_EINVAL);
    assert_memory_equal(&b, &zero, sizeof b);
    sel[2] = 5; /* duplicate found after two choices were sorted in */
    assert_int_equal(ballot_make(&b, &f->p, 1, sel, 3, 20000, kiosk, r), BN_EINVAL);
    assert_memory_equal(&b, &zero, sizeof b);
    rng_close(r);
    free(f);
}

/* ---- cumulative and ordinal ballots (kinds 2 and 3) ---- */

/* Kind 2: 18-byte entries sorted by id with their points; kind 3: ids in
 * rank order. Each round-trips, and the decoder refuses every other
 * spelling: unsorted or zero points (2), a repeated id (3), a length of the
 * wrong kind, a cumulative ballot of 57 entries. */
static void test_kinds(void **state)
{
    static const int sel[3] = {0, 3, 2}, pts[3] = {4, 1, 2}; /* "b", "ab", "a" */
    uint8_t kiosk[KEY_ID_LEN], buf[BALLOT_MAX_LEN], bad[BALLOT_MAX_LEN];
    fixture_t *f = malloc(sizeof *f);
    ballot_t b, d;
    kiosk_t k;
    size_t len;
    uint32_t day;
    char why[200];
    int sel56[57], pts56[57], i;

    (void)state;
    assert_non_null(f);
    fixture(f);
    kiosk_open(&k, KIOSK_SEED);
    memcpy(kiosk, k.signer.pub.id, KEY_ID_LEN);
    assert_int_equal(day_parse("2025-03-14", &day), 0);

    /* cumulative: sorted by id, the points follow their project */
    f->p.rule.ballot = PKG_BALLOT_CUMULATIVE;
    assert_int_equal(ballot_make(&b, &f->p, 0, sel, 3, day, kiosk, k.rng), BN_EINVAL); /* no points */
    assert_int_equal(ballot_make_ex(&b, &f->p, 0, sel, pts, 3, day, kiosk, k.rng), 0);
    assert_int_equal(b.kind, BALLOT_KIND_CUMULATIVE);
    assert_string_equal(b.choices[0], "a");
    assert_int_equal(b.points[0], 2);
    assert_string_equal(b.choices[1], "ab");
    assert_int_equal(b.points[1], 1);
    assert_string_equal(b.choices[2], "b");
    assert_int_equal(b.points[2], 4);
    assert_int_equal(ballot_seal(&b, &k.signer, buf, sizeof buf, &len), 0);
    assert_int_equal(len, 92 + 3 * 18 + 64);
    assert_int_equal(buf[5], 2);
    assert_int_equal(buf[92 + 16] << 8 | buf[92 + 17], 2); /* "a": 2 points */
    assert_int_equal(ballot_decode(buf, len, &d, why, sizeof why), 0);
    assert_same_ballot(&b, &d);
    for (i = 0; i < 3; i++)
        assert_int_equal(d.points[i], b.points[i]);
    assert_int_equal(ballot_verify(buf, len, &k.signer.pub), 0);
    memcpy(bad, buf, len); /* zero points */
    bad[92 + 17] = 0;
    assert_int_equal(ballot_decode(bad, len, &d, why, sizeof why), BN_EFORMAT);
    assert_non_null(strstr(why, "0 points"));
    memcpy(bad, buf, len); /* entries swapped: out of order */
    memcpy(bad + 92, buf + 92 + 18, 18);
    memcpy(bad + 92 + 18, buf + 92, 18);
    assert_int_equal(ballot_decode(bad, len, &d, why, sizeof why), BN_EFORMAT);
    bad[5] = 1; /* the same bytes read as an approval ballot: wrong length */
    memcpy(bad, buf, len);
    bad[5] = 1;
    assert_int_equal(ballot_decode(bad, len, &d, why, sizeof why), BN_EFORMAT);
    assert_non_null(strstr(why, "exactly"));
    for (i = 0; i < 57; i++) { /* 57 entries: more than 56 */
        sel56[i] = 5 + i;
        pts56[i] = 1;
    }
    assert_int_equal(ballot_make_ex(&b, &f->p, 1, sel56, pts56, 57, day, kiosk, k.rng), BN_ERANGE);
    assert_int_equal(ballot_make_ex(&b, &f->p, 1, sel56, pts56, 56, day, kiosk, k.rng), 0);
    assert_int_equal(ballot_seal(&b, &k.signer, buf, sizeof buf, &len), 0);
    assert_true(len <= BALLOT_MAX_LEN);

    /* ordinal: the ranking's order is kept, and signed */
    f->p.rule.ballot = PKG_BALLOT_ORDINAL;
    assert_int_equal(ballot_make(&b, &f->p, 0, sel, 3, day, kiosk, k.rng), 0);
    assert_int_equal(b.kind, BALLOT_KIND_ORDINAL);
    assert_string_equal(b.choices[0], "b");
    assert_string_equal(b.choices[1], "ab");
    assert_string_equal(b.choices[2], "a");
    assert_int_equal(ballot_seal(&b, &k.signer, buf, sizeof buf, &len), 0);
    assert_int_equal(len, 92 + 3 * 16 + 64);
    assert_int_equal(ballot_decode(buf, len, &d, why, sizeof why), 0);
    assert_same_ballot(&b, &d);
    memcpy(bad, buf, len); /* the first choice repeated third */
    memcpy(bad + 92 + 32, buf + 92, 16);
    assert_int_equal(ballot_decode(bad, len, &d, why, sizeof why), BN_EFORMAT);
    assert_non_null(strstr(why, "duplicate"));
    {
        int twice[2] = {1, 1};
        assert_int_equal(ballot_make(&b, &f->p, 0, twice, 2, day, kiosk, k.rng), BN_EINVAL);
    }
    bad[5] = 5; /* an unknown kind */
    assert_int_equal(ballot_decode(bad, len, &d, why, sizeof why), BN_EFORMAT);
    assert_non_null(strstr(why, "kind 5"));
    kiosk_close(&k);
    free(f);
}

static int cmp_id(const void *a, const void *b)
{
    return memcmp(a, b, BALLOT_ID_LEN);
}

/* Ballot ids of 1,000 ballots are distinct (OS-seeded generator). */
static void test_ids_distinct(void **state)
{
    uint8_t kiosk[KEY_ID_LEN] = { 1 }, (*ids)[BALLOT_ID_LEN];
    fixture_t *f = malloc(sizeof *f);
    int sel[1] = { 5 }, i;
    ballot_t b;
    rng_t *r;

    (void)state;
    ids = malloc(1000 * sizeof *ids);
    assert_non_null(f);
    assert_non_null(ids);
    fixture(f);
    assert_int_equal(rng_open(&r), 0);
    for (i = 0; i < 1000; i++) {
        assert_int_equal(ballot_make(&b, &f->p, 1, sel, 1, 20000, kiosk, r), 0);
        memcpy(ids[i], b.id, BALLOT_ID_LEN);
    }
    qsort(ids, 1000, sizeof *ids, cmp_id);
    for (i = 1; i < 1000; i++)
        assert_memory_not_equal(ids[i - 1], ids[i], BALLOT_ID_LEN);
    rng_close(r);
    free(ids);
    free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vectors_valid),
        cmocka_unit_test(test_strict_decoding),
        cmocka_unit_test(test_lengths),
        cmocka_unit_test(test_decode_failure_clears),
        cmocka_unit_test(test_seal_refuses_noncanonical),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_kinds),
        cmocka_unit_test(test_tamper_every_bit),
        cmocka_unit_test(test_high_s_refused),
        cmocka_unit_test(test_wrong_kiosk_key),
        cmocka_unit_test(test_make),
        cmocka_unit_test(test_make_refuses),
        cmocka_unit_test(test_make_failure_clears_choices_S3),
        cmocka_unit_test(test_ids_distinct),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
