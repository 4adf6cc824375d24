/* test_petition.c - petition signature records: round trip, every bit
 * tampered, strict decoding, the identity sealed to the authority (another
 * authority key cannot open it), identity limits, and the counters
 * (threshold reached on the day of the 1000th signature from 3 cantons, not
 * with 2 cantons, whatever the order).
 *
 * BORNE_REGEN_VECTORS=1 rewrites tests/vectors/petition/vectors.txt and the
 * seeds of tests/fuzz/corpus/fuzz_petition/. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/ecdh.h>
#include <mbedtls/hkdf.h>
#include <mbedtls/pk.h>

#include "bn_err.h"
#include "day.h"
#include "hex.h"
#include "key.h"
#include "petition.h"
#include "pkg.h"
#include "pseud.h"
#include "rng.h"
#include "testutil.h"

static rng_t *rng;
static key_pair_t *auth, *auth2, *kiosk, *kiosk2;
static signer_t ks, ks2;
static key_pub_t apub, apub2;
static pkg_t *pkg;
static uint32_t opens;

/* 1 if needle occurs in hay. */
static int contains(const uint8_t *hay, size_t n, const char *needle)
{
    size_t k = strlen(needle), i;

    for (i = 0; i + k <= n; i++)
        if (memcmp(hay + i, needle, k) == 0)
            return 1;
    return 0;
}

static int regen(void)
{
    const char *e = getenv("BORNE_REGEN_VECTORS");

    return e != NULL && strcmp(e, "1") == 0;
}

static int setup(void **state)
{
    static const uint8_t seed[] = "test_petition";
    char *path = tu_vector("pkg/petition.json"), why[256] = "";
    uint8_t *json;
    size_t len;

    (void)state;
    assert_int_equal(rng_open_fixed(&rng, seed, sizeof seed - 1), 0);
    assert_int_equal(key_generate(rng, &auth), 0);
    assert_int_equal(key_generate(rng, &auth2), 0);
    assert_int_equal(key_generate(rng, &kiosk), 0);
    assert_int_equal(key_generate(rng, &kiosk2), 0);
    key_signer(kiosk, &ks);
    key_signer(kiosk2, &ks2);
    key_public(auth, &apub);
    key_public(auth2, &apub2);
    json = tu_read(path, &len);
    assert_non_null(json);
    if (pkg_parse((char *)json, len, &pkg, why, sizeof why) != 0)
        fail_msg("petition.json: %s", why);
    assert_int_equal(pkg->kind, PKG_PETITION);
    assert_int_equal(pkg->petition.threshold, 1000);
    assert_int_equal(pkg->petition.min_cantons, 3);
    opens = pkg->opens;
    free(json);
    free(path);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    pkg_free(pkg);
    key_free(auth);
    key_free(auth2);
    key_free(kiosk);
    key_free(kiosk2);
    rng_close(rng);
    return 0;
}

static void ident(petition_identity_t *id, const char *last, const char *first,
                  const char *birth, const char *insee)
{
    memset(id, 0, sizeof *id);
    strcpy(id->last_name, last);
    strcpy(id->first_names, first);
    strcpy(id->birth, birth);
    strcpy(id->commune, insee);
}

/* A sealed record of `who` living in `insee`, signed by `s`. */
static void seal(const petition_identity_t *who, int no_publish, uint32_t day, const signer_t *s,
                 const key_pub_t *authority, uint8_t out[PETITION_LEN], petition_t *rec)
{
    static const uint8_t secret[32] = {42};
    petition_t r;
    uint8_t ps[PSEUD_LEN];
    int c = pkg_find_commune(pkg, who->commune);

    assert_true(c >= 0);
    assert_int_equal(pseud_compute(secret, pkg->id, who->last_name, who->first_names, who->birth,
                                   ps), 0);
    assert_int_equal(petition_make(&r, pkg, c, ps, no_publish, day, s->pub.id, rng), 0);
    assert_int_equal(petition_seal(&r, who, authority, s, rng, out), 0);
    if (rec != NULL)
        *rec = r;
}

static void test_round_trip(void **state)
{
    petition_identity_t who, back;
    petition_t made, dec;
    uint8_t rec[PETITION_LEN];
    char why[256] = "";

    (void)state;
    ident(&who, "Le Gall", "Éloïse Marie", "1987-04-12", "35288");
    seal(&who, 1, opens + 3, &ks, &apub, rec, &made);
    assert_memory_equal(rec, PETITION_MAGIC, 4);
    assert_int_equal(petition_decode(rec, sizeof rec, &dec, why, sizeof why), 0);
    assert_int_equal(dec.no_publish, 1);
    assert_int_equal(dec.day, opens + 3);
    assert_string_equal(dec.campaign, "interp-2026");
    assert_string_equal(dec.canton, "saint-malo-1"); /* (PET-P2) the canton, not the commune */
    assert_memory_equal(dec.id, made.id, PETITION_ID_LEN);
    assert_memory_equal(dec.pseudonym, made.pseudonym, PSEUD_LEN);
    assert_memory_equal(dec.kiosk, ks.pub.id, KEY_ID_LEN);
    assert_memory_equal(dec.authority, apub.id, KEY_ID_LEN);
    assert_memory_equal(dec.sig, made.sig, KEY_SIG_LEN);
    assert_int_equal(petition_verify(rec, sizeof rec, &ks.pub), 0);
    assert_int_equal(petition_verify(rec, sizeof rec, &ks2.pub), BN_EWRONGKEY);
    /* the authority reads the identity as typed */
    assert_int_equal(petition_decrypt(rec, sizeof rec, auth, &back, why, sizeof why), 0);
    assert_string_equal(back.last_name, "Le Gall");
    assert_string_equal(back.first_names, "Éloïse Marie");
    assert_string_equal(back.birth, "1987-04-12");
    assert_string_equal(back.commune, "35288");
    /* (PET-P1) nothing of the name is in clear */
    assert_false(contains(rec, sizeof rec, "Gall"));
    assert_false(contains(rec, sizeof rec, "1987"));
    assert_false(contains(rec, sizeof rec, "35288"));
    /* publish allowed: flag 0; two seals of one person differ (random id, ephemeral key) */
    {
        uint8_t rec2[PETITION_LEN];

        seal(&who, 0, opens + 3, &ks, &apub, rec2, NULL);
        assert_int_equal(petition_decode(rec2, sizeof rec2, &dec, NULL, 0), 0);
        assert_int_equal(dec.no_publish, 0);
        assert_int_equal(rec2[5], 0);
        assert_memory_not_equal(rec2 + 10, rec + 10, 16);
        assert_memory_not_equal(rec2 + 154, rec + 154, 65);
        assert_memory_equal(rec2 + 90, rec + 90, PSEUD_LEN); /* same person, same pseudonym */
    }
}

/* Every single-bit change is refused by the kiosk signature check; every
 * change of the signed part (header, ephemeral key, ciphertext, tag) is
 * refused by decryption too (PET-P3: the whole clear header is GCM's additional data), without the kiosk key (one bit of each byte). */
static void test_tamper_every_bit(void **state)
{
    petition_identity_t who, back;
    uint8_t rec[PETITION_LEN];
    size_t i;
    int bit, refused = 0, undecrypted = 0, rc;

    (void)state;
    ident(&who, "Martin", "Paul", "1980-02-03", "35238");
    seal(&who, 0, opens, &ks, &apub, rec, NULL);
    for (i = 0; i < PETITION_LEN; i++)
        for (bit = 0; bit < 8; bit++) {
            rec[i] ^= (uint8_t)(1u << bit);
            if (petition_verify(rec, sizeof rec, &ks.pub) != 0)
                refused++;
            /* decryption: one bit a byte (ECDH is slow under the sanitizers) */
            if (i < PETITION_SIGNED_LEN && bit == (int)(i % 8)) {
                rc = petition_decrypt(rec, sizeof rec, auth, &back, NULL, 0);
                if (rc != 0)
                    undecrypted++;
                else
                    fail_msg("bit %d of byte %zu: decrypted", bit, i);
            }
            rec[i] ^= (uint8_t)(1u << bit);
        }
    printf("  %d of %d bit flips refused by verify, %d of %d by decrypt\n", refused,
           PETITION_LEN * 8, undecrypted, PETITION_SIGNED_LEN);
    assert_int_equal(refused, PETITION_LEN * 8);
    assert_int_equal(undecrypted, PETITION_SIGNED_LEN);
    assert_int_equal(petition_verify(rec, sizeof rec, &ks.pub), 0);
    assert_int_equal(petition_decrypt(rec, sizeof rec, auth, &back, NULL, 0), 0);
}

/* Sealed to one authority key: another key cannot open it, whether the
 * record names the first key (BN_EWRONGKEY) or is relabelled and re-signed
 * to name the second (BN_EBADSIG: the shared secret differs). */
static void test_other_authority_refused(void **state)
{
    petition_identity_t who, back;
    uint8_t rec[PETITION_LEN];
    char why[256] = "";

    (void)state;
    ident(&who, "Hamon", "Léa", "2000-01-01", "35095");
    seal(&who, 0, opens, &ks, &apub, rec, NULL);
    assert_int_equal(petition_decrypt(rec, sizeof rec, auth2, &back, why, sizeof why),
                     BN_EWRONGKEY);
    assert_non_null(strstr(why, "another authority key"));
    assert_string_equal(back.last_name, "");
    memcpy(rec + 122, apub2.id, KEY_ID_LEN);
    assert_int_equal(key_sign_msg(&ks, rec, PETITION_SIGNED_LEN, rec + PETITION_SIGNED_LEN), 0);
    assert_int_equal(petition_verify(rec, sizeof rec, &ks.pub), 0);
    assert_int_equal(petition_decrypt(rec, sizeof rec, auth2, &back, why, sizeof why),
                     BN_EBADSIG);
    assert_string_equal(back.last_name, "");
    /* and sealed to the second key, the first cannot open it */
    seal(&who, 0, opens, &ks, &apub2, rec, NULL);
    assert_int_equal(petition_decrypt(rec, sizeof rec, auth2, &back, NULL, 0), 0);
    assert_int_equal(petition_decrypt(rec, sizeof rec, auth, &back, NULL, 0), BN_EWRONGKEY);
}

static void test_strict_decode(void **state)
{
    petition_identity_t who;
    uint8_t rec[PETITION_LEN], c[PETITION_LEN + 1];
    char why[256];

    (void)state;
    ident(&who, "Martin", "Paul", "1980-02-03", "35238");
    seal(&who, 0, opens, &ks, &apub, rec, NULL);
#define BAD(off, val, text)                                                            \
    do {                                                                               \
        memcpy(c, rec, PETITION_LEN);                                                  \
        c[off] = (uint8_t)(val);                                                       \
        why[0] = '\0';                                                                 \
        assert_int_equal(petition_decode(c, PETITION_LEN, NULL, why, sizeof why),      \
                         BN_EFORMAT);                                                  \
        if (strstr(why, text) == NULL)                                                 \
            fail_msg("\"%s\" lacks \"%s\"", why, text);                                \
    } while (0)
    BAD(0, 'b', "magic");
    BAD(4, 2, "version");
    BAD(5, 2, "flags");
    BAD(5, 0x81, "flags");
    memcpy(c, rec, PETITION_LEN);
    memset(c + 6, 0, 4);
    assert_int_equal(petition_decode(c, PETITION_LEN, NULL, why, sizeof why), BN_EFORMAT);
    assert_non_null(strstr(why, "day is 0"));
    BAD(58, 'I', "campaign");
    BAD(58, '-', "campaign");
    BAD(58, 0, "campaign");
    BAD(73, 'x', "campaign");  /* after the NUL padding */
    BAD(74, 'R', "canton");
    BAD(89, 1, "canton");
    BAD(154, 0x02, "ephemeral");                      /* compressed form */
    BAD(154 + 64, rec[154 + 64] ^ 1, "ephemeral");    /* off the curve */
#undef BAD
    assert_int_equal(petition_decode(rec, PETITION_LEN - 1, NULL, why, sizeof why), BN_EFORMAT);
    assert_non_null(strstr(why, "555 bytes"));
    memcpy(c, rec, PETITION_LEN);
    c[PETITION_LEN] = 0;
    assert_int_equal(petition_decode(c, PETITION_LEN + 1, NULL, why, sizeof why), BN_EFORMAT);
    assert_int_equal(petition_decode(rec, 0, NULL, why, sizeof why), BN_EFORMAT);
    assert_int_equal(petition_decode(NULL, 0, NULL, why, sizeof why), BN_EINVAL);
}

static void test_identity_limits(void **state)
{
    petition_identity_t who, back;
    petition_t r;
    uint8_t rec[PETITION_LEN], ps[PSEUD_LEN] = {1};
    char longname[PETITION_NAMES_MAX + 1];
    int c = pkg_find_commune(pkg, "35238");

    (void)state;
#define REFUSED(last, first, birth, insee)                                             \
    do {                                                                               \
        ident(&who, last, first, birth, insee);                                        \
        assert_int_equal(petition_make(&r, pkg, c, ps, 0, opens, ks.pub.id, rng), 0);  \
        assert_int_equal(petition_seal(&r, &who, &apub, &ks, rng, rec), BN_EINVAL);    \
        for (size_t i_ = 0; i_ < PETITION_LEN; i_++)                                   \
            assert_int_equal(rec[i_], 0);                                              \
    } while (0)
    REFUSED("", "Paul", "1980-02-03", "35238");
    REFUSED("Martin", "", "1980-02-03", "35238");
    REFUSED("Mar\ttin", "Paul", "1980-02-03", "35238");
    REFUSED("Martin\x7f", "Paul", "1980-02-03", "35238");
    REFUSED("Mart\xc3", "Paul", "1980-02-03", "35238");       /* truncated UTF-8 */
    REFUSED("Mart\xc0\xae", "Paul", "1980-02-03", "35238");   /* overlong */
    REFUSED("Mart\xed\xa0\x80", "Paul", "1980-02-03", "35238"); /* surrogate */
    REFUSED("Martin", "Paul", "1980-02-30", "35238");
    REFUSED("Martin", "Paul", "1980-2-3", "35238");
    REFUSED("Martin", "Paul", "1980-02-03", "3523");
    REFUSED("Martin", "Paul", "1980-02-03", "3A238");
    memset(longname, 'a', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    REFUSED(longname, "P", "1980-02-03", "35238"); /* 238 + 1 bytes */
#undef REFUSED
    /* the longest names that fit, Corsican INSEE codes, scripts beyond Latin */
    longname[PETITION_NAMES_MAX - 1] = '\0';
    ident(&who, longname, "P", "1980-02-03", "2A004");
    assert_int_equal(petition_make(&r, pkg, c, ps, 0, opens, ks.pub.id, rng), 0);
    assert_int_equal(petition_seal(&r, &who, &apub, &ks, rng, rec), 0);
    assert_int_equal(petition_decrypt(rec, sizeof rec, auth, &back, NULL, 0), 0);
    assert_string_equal(back.last_name, longname);
    assert_string_equal(back.commune, "2A004");
    ident(&who, "Ντόβας", "Αλέξανδρος Ж", "1999-12-31", "35238");
    assert_int_equal(petition_make(&r, pkg, c, ps, 1, opens, ks.pub.id, rng), 0);
    assert_int_equal(petition_seal(&r, &who, &apub, &ks, rng, rec), 0);
    assert_int_equal(petition_decrypt(rec, sizeof rec, auth, &back, NULL, 0), 0);
    assert_string_equal(back.last_name, "Ντόβας");
    assert_string_equal(back.first_names, "Αλέξανδρος Ж");
    /* petition_make refuses what is not a petition, a bad commune, day 0 */
    assert_int_equal(petition_make(&r, pkg, -1, ps, 0, opens, ks.pub.id, rng), BN_EINVAL);
    assert_int_equal(petition_make(&r, pkg, pkg->n_communes, ps, 0, opens, ks.pub.id, rng),
                     BN_EINVAL);
    assert_int_equal(petition_make(&r, pkg, c, ps, 0, 0, ks.pub.id, rng), BN_EINVAL);
    pkg->kind = PKG_BUDGET;
    assert_int_equal(petition_make(&r, pkg, c, ps, 0, opens, ks.pub.id, rng), BN_EINVAL);
    pkg->kind = PKG_PETITION;
}

/* --- counters ---------------------------------------------------------------- */

#define N_BASE 1000
#define MAX_ITEMS 1100

typedef struct set_s {
    uint8_t (*rec)[PETITION_LEN];
    petition_item_t items[MAX_ITEMS];
    size_t n;
} set_t;

static uint8_t base_rec[PETITION_LEN];

/* A copy of base_rec with another person, canton, day and id, re-signed by
 * `s` (counting checks the kiosk signature, not the sealed identity). */
static void forge(set_t *set, const char *canton, uint32_t day, uint32_t person,
                  const char *campaign, const signer_t *s, const key_pub_t *given)
{
    uint8_t *r = set->rec[set->n];

    assert_true(set->n < MAX_ITEMS);
    memcpy(r, base_rec, PETITION_LEN);
    r[6] = (uint8_t)(day >> 24), r[7] = (uint8_t)(day >> 16);
    r[8] = (uint8_t)(day >> 8), r[9] = (uint8_t)day;
    assert_int_equal(rng_bytes(rng, r + 10, 16), 0);
    memcpy(r + 26, s->pub.id, KEY_ID_LEN);
    memset(r + 58, 0, 16);
    memcpy(r + 58, campaign, strlen(campaign));
    memset(r + 74, 0, 16);
    memcpy(r + 74, canton, strlen(canton));
    memset(r + 90, 0, 32);
    r[90] = (uint8_t)(person >> 8), r[91] = (uint8_t)person, r[92] = 0x77;
    assert_int_equal(key_sign_msg(s, r, PETITION_SIGNED_LEN, r + PETITION_SIGNED_LEN), 0);
    set->items[set->n].rec = r;
    set->items[set->n].len = PETITION_LEN;
    set->items[set->n].kiosk = given;
    set->n++;
}

static void count(const set_t *set, petition_count_t *c)
{
    assert_int_equal(petition_count(pkg, set->items, set->n, c), 0);
}

static void test_counts(void **state)
{
    static const char *const two[2] = {"rennes-1", "betton"};
    set_t *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
    petition_identity_t who;
    petition_count_t c, c2;
    uint32_t d = opens + 45, i;
    char dd[DAY_TEXT_LEN + 1];

    (void)state;
    assert_non_null(a);
    assert_non_null(b);
    a->rec = malloc(MAX_ITEMS * PETITION_LEN);
    b->rec = malloc(MAX_ITEMS * PETITION_LEN);
    assert_non_null(a->rec);
    assert_non_null(b->rec);
    ident(&who, "Martin", "Paul", "1980-02-03", "35238");
    seal(&who, 0, opens, &ks, &apub, base_rec, NULL);

    /* A: 998 persons from two cantons over the first 40 days, one from Dol
     * on day 10: 999 persons, 3 cantons. The 1000th arrives on day 45, from
     * another kiosk. */
    for (i = 0; i < N_BASE - 2; i++)
        forge(a, two[i % 2], opens + i % 40, i, "interp-2026", &ks, &ks.pub);
    forge(a, "dol", opens + 10, 998, "interp-2026", &ks, &ks.pub);
    forge(a, "rennes-1", d, 999, "interp-2026", &ks2, &ks2.pub);
    /* what does not count: a second signature of a person (later, and one
     * earlier, which moves that person's day but not the count), a forged
     * signature, another campaign, another kiosk's record under this kiosk's
     * key, dated outside the window, a canton the package does not have */
    forge(a, "betton", opens + 50, 7, "interp-2026", &ks, &ks.pub);
    forge(a, "betton", opens, 5, "interp-2026", &ks, &ks.pub);
    forge(a, "betton", opens + 3, 2000, "interp-2026", &ks, &ks.pub);
    a->rec[a->n - 1][PETITION_LEN - 1] ^= 1;
    forge(a, "betton", opens + 3, 2001, "other-2026", &ks, &ks.pub);
    forge(a, "betton", opens + 3, 2002, "interp-2026", &ks2, &ks.pub);
    forge(a, "betton", opens - 1, 2003, "interp-2026", &ks, &ks.pub);
    forge(a, "betton", pkg->closes + 1, 2004, "interp-2026", &ks, &ks.pub);
    forge(a, "vitre", opens + 3, 2005, "interp-2026", &ks, &ks.pub);
    count(a, &c);
    day_format(c.reached_on, dd);
    printf("  1000 persons, 3 cantons: reached on %s\n", dd);
    assert_int_equal(c.valid, 1000);
    assert_int_equal(c.duplicates, 2);
    assert_int_equal(c.invalid, 3);
    assert_int_equal(c.outside, 2);
    assert_int_equal(c.unknown_canton, 1);
    assert_int_equal(c.cantons, 3);
    assert_int_equal(c.reached, 1);
    /* the day of the 1000th, not before: reached_on is the first such day,
     * and on day 44 there were 999 persons */
    assert_int_equal(c.reached_on, d);

    /* the order of the records does not matter */
    for (i = a->n - 1; i > 0; i--) {
        uint32_t j = (uint32_t)((i * 2654435761u) % (i + 1));
        petition_item_t t = a->items[i];

        a->items[i] = a->items[j];
        a->items[j] = t;
    }
    count(a, &c2);
    assert_memory_equal(&c, &c2, sizeof c);

    /* B: 1000 persons, all from two cantons (A's first 998, a Betton signer
     * instead of the Dol one, A's 1000th): not reached. Then a Dol signer on
     * day 60 makes it: the day the third canton arrives. */
    for (i = 0; i < N_BASE - 2; i++) {
        b->items[b->n].rec = a->rec[i]; /* the records, not the shuffled items */
        b->items[b->n].len = PETITION_LEN;
        b->items[b->n].kiosk = &ks.pub;
        b->n++;
    }
    forge(b, "betton", opens + 10, 998, "interp-2026", &ks, &ks.pub);
    forge(b, "rennes-1", d, 999, "interp-2026", &ks2, &ks2.pub);
    count(b, &c);
    assert_int_equal(c.valid, 1000);
    assert_int_equal(c.cantons, 2);
    assert_int_equal(c.reached, 0);
    assert_int_equal(c.reached_on, 0);
    forge(b, "dol", opens + 60, 5000, "interp-2026", &ks, &ks.pub);
    count(b, &c);
    assert_int_equal(c.valid, 1001);
    assert_int_equal(c.cantons, 3);
    assert_int_equal(c.reached, 1);
    assert_int_equal(c.reached_on, opens + 60);

    /* arguments */
    assert_int_equal(petition_count(pkg, NULL, 0, &c), 0);
    assert_int_equal(c.valid, 0);
    assert_int_equal(c.reached, 0);
    assert_int_equal(petition_count(pkg, NULL, 1, &c), BN_EINVAL);
    pkg->kind = PKG_BUDGET;
    assert_int_equal(petition_count(pkg, a->items, a->n, &c), BN_EINVAL);
    pkg->kind = PKG_PETITION;
    free(a->rec);
    free(b->rec);
    free(a);
    free(b);
}

/* --- vectors and fuzz seeds --------------------------------------------------- */

static void put_seed(const char *name, const uint8_t *data, size_t len)
{
    char rel[128];
    char *path;

    snprintf(rel, sizeof rel, "../fuzz/corpus/fuzz_petition/%s", name);
    path = tu_vector(rel);
    assert_int_equal(tu_write(path, data, len), 0);
    free(path);
}

static size_t put_hex(char *out, size_t cap, const char *key, const uint8_t *d, size_t n)
{
    char *hex = malloc(2 * n + 1);
    size_t w;

    assert_non_null(hex);
    hex_encode(d, n, hex);
    w = (size_t)snprintf(out, cap, "%s = %s\n", key, hex);
    free(hex);
    return w;
}

/* tests/vectors/petition/vectors.txt: from fixed seeds, an authority key
 * (its private scalar too: a test key), a kiosk key, one record, and every
 * intermediate value of the ECIES construction. */
static void test_vectors(void **state)
{
    static const uint8_t seed[] = "borne petition vectors v1";
    static const uint8_t secret[32] = {0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11,
                                       0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11,
                                       0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11,
                                       0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11};
    rng_t *vr = NULL;
    key_pair_t *va = NULL, *vk = NULL;
    signer_t vs;
    key_pub_t vap;
    petition_identity_t who, back;
    petition_t r;
    mbedtls_ecp_keypair *kp;
    mbedtls_ecp_point q;
    mbedtls_mpi z;
    uint8_t rec[PETITION_LEN], ps[PSEUD_LEN], d[32], zb[32], okm[44], salt[130];
    uint8_t pt[PETITION_PT_LEN], *text;
    uint32_t day;
    size_t n = 0, have = 0;
    char *out = malloc(65536), *path = tu_vector("petition/vectors.txt"), why[256] = "";
    int c;

    (void)state;
    assert_non_null(out);
    assert_int_equal(rng_open_fixed(&vr, seed, sizeof seed - 1), 0);
    assert_int_equal(key_generate(vr, &va), 0);
    assert_int_equal(key_generate(vr, &vk), 0);
    key_signer(vk, &vs);
    key_public(va, &vap);
    ident(&who, "Le Gall", "Éloïse Marie", "1987-04-12", "35238");
    assert_int_equal(day_parse("2026-03-02", &day), 0);
    assert_int_equal(pseud_compute(secret, "interp-2026", who.last_name, who.first_names,
                                   who.birth, ps), 0);
    c = pkg_find_commune(pkg, "35238");
    assert_int_equal(petition_make(&r, pkg, c, ps, 1, day, vs.pub.id, vr), 0);
    assert_int_equal(petition_seal(&r, &who, &vap, &vs, vr, rec), 0);
    assert_int_equal(petition_verify(rec, sizeof rec, &vs.pub), 0);
    assert_int_equal(petition_decrypt(rec, sizeof rec, va, &back, why, sizeof why), 0);

    /* the intermediate values, recomputed from the authority's scalar */
    kp = mbedtls_pk_ec(*key_pk(va));
    mbedtls_ecp_point_init(&q);
    mbedtls_mpi_init(&z);
    assert_int_equal(mbedtls_mpi_write_binary(&kp->d, d, sizeof d), 0);
    assert_int_equal(mbedtls_ecp_point_read_binary(&kp->grp, &q, rec + 154, 65), 0);
    assert_int_equal(mbedtls_ecdh_compute_shared(&kp->grp, &z, &q, &kp->d, NULL, NULL), 0);
    assert_int_equal(mbedtls_mpi_write_binary(&z, zb, sizeof zb), 0);
    memcpy(salt, rec + 154, 65);
    memcpy(salt + 65, vap.pub, 65);
    assert_int_equal(mbedtls_hkdf(mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), salt,
                                  sizeof salt, zb, 32,
                                  (const unsigned char *)PETITION_HKDF_INFO,
                                  strlen(PETITION_HKDF_INFO), okm, sizeof okm), 0);
    memset(pt, 0, sizeof pt);
    pt[0] = 1;
    pt[1] = (uint8_t)strlen(who.last_name);
    pt[2] = (uint8_t)strlen(who.first_names);
    memcpy(pt + 3, who.birth, 10);
    memcpy(pt + 13, who.commune, 5);
    memcpy(pt + 18, who.last_name, pt[1]);
    memcpy(pt + 18 + pt[1], who.first_names, pt[2]);
    mbedtls_ecp_point_free(&q);
    mbedtls_mpi_free(&z);

    n += (size_t)snprintf(out + n, 65536 - n,
        "# Petition signature record vectors, format version 1 (docs/formats.md, 'Petition signature').\n"
        "# Written by test_petition with BORNE_REGEN_VECTORS=1. From rng_open_fixed(seed):\n"
        "# key_generate (authority), key_generate (kiosk), petition_make (signature id),\n"
        "# petition_seal (ephemeral key). Campaign interp-2026 (tests/vectors/pkg/petition.json),\n"
        "# commune 35238 -> canton rennes-1, day 2026-03-02, \"do not publish my name\",\n"
        "# pseudonym with the campaign secret 11 * 32, identity as below.\n"
        "seed = borne petition vectors v1\n"
        "campaign_secret = 1111111111111111111111111111111111111111111111111111111111111111\n"
        "last_name = %s\nfirst_names = %s\nbirth = %s\ncommune = %s\nday = 2026-03-02\n",
        who.last_name, who.first_names, who.birth, who.commune);
    n += put_hex(out + n, 65536 - n, "authority_private", d, sizeof d);
    n += put_hex(out + n, 65536 - n, "authority_public", vap.pub, KEY_PUB_LEN);
    n += put_hex(out + n, 65536 - n, "authority_id", vap.id, KEY_ID_LEN);
    n += put_hex(out + n, 65536 - n, "kiosk_public", vs.pub.pub, KEY_PUB_LEN);
    n += put_hex(out + n, 65536 - n, "kiosk_id", vs.pub.id, KEY_ID_LEN);
    n += put_hex(out + n, 65536 - n, "pseudonym", ps, PSEUD_LEN);
    n += put_hex(out + n, 65536 - n, "ephemeral_public", rec + 154, 65);
    n += put_hex(out + n, 65536 - n, "shared_x", zb, sizeof zb);
    n += put_hex(out + n, 65536 - n, "aes_key", okm, 32);
    n += put_hex(out + n, 65536 - n, "gcm_nonce", okm + 32, 12);
    n += put_hex(out + n, 65536 - n, "plaintext", pt, sizeof pt);
    n += put_hex(out + n, 65536 - n, "record", rec, sizeof rec);
    if (regen()) {
        uint8_t cpy[PETITION_LEN + 1];

        assert_int_equal(tu_write(path, out, n), 0);
        put_seed("valid-vector", rec, sizeof rec);
        put_seed("empty", rec, 0);
        put_seed("invalid-truncated", rec, sizeof rec - 1);
        memcpy(cpy, rec, sizeof rec);
        cpy[sizeof rec] = 0;
        put_seed("invalid-trailing-byte", cpy, sizeof rec + 1);
        memcpy(cpy, rec, sizeof rec); cpy[0] = 'b';
        put_seed("invalid-magic", cpy, sizeof rec);
        memcpy(cpy, rec, sizeof rec); cpy[5] = 2;
        put_seed("invalid-flags", cpy, sizeof rec);
        memcpy(cpy, rec, sizeof rec); cpy[73] = 1;
        put_seed("invalid-campaign-padding", cpy, sizeof rec);
        memcpy(cpy, rec, sizeof rec); cpy[154] = 2;
        put_seed("invalid-ephemeral-compressed", cpy, sizeof rec);
        memcpy(cpy, rec, sizeof rec); cpy[300] ^= 1;
        put_seed("invalid-ciphertext-bit", cpy, sizeof rec);
    } else {
        text = tu_read(path, &have);
        assert_non_null(text);
        assert_int_equal(have, n);
        assert_memory_equal(text, out, n);
        free(text);
    }
    key_free(va);
    key_free(vk);
    rng_close(vr);
    free(path);
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_tamper_every_bit),
        cmocka_unit_test(test_other_authority_refused),
        cmocka_unit_test(test_strict_decode),
        cmocka_unit_test(test_identity_limits),
        cmocka_unit_test(test_counts),
        cmocka_unit_test(test_vectors),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
