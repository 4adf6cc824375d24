/* test_idea.c - the idea record (firmware/formats/idea.c, issue 17): a
 * vector, round trips with and without a contact, the contact opened by the
 * authority only and never in clear (IDEA-I1), strict decoding, the limits
 * of the texts, tampering.
 *
 * BORNE_REGEN_VECTORS=1 rewrites tests/vectors/idea/basic.hex (then review
 * the diff: a change of bytes is a change of format). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bn_err.h"
#include "day.h"
#include "hex.h"
#include "idea.h"
#include "key.h"
#include "rng.h"
#include "testutil.h"

#define SEED "borne idea vectors v1"

typedef struct fx_s {
    rng_t *rng;
    key_pair_t *kiosk, *auth, *other;
    signer_t signer;
    key_pub_t kpub, apub, opub;
    idea_t s;
    uint8_t buf[IDEA_MAX_LEN];
    size_t len;
} fx_t;

static int setup(void **state)
{
    fx_t *f = calloc(1, sizeof *f);

    assert_non_null(f);
    assert_int_equal(rng_open_fixed(&f->rng, (const uint8_t *)SEED, strlen(SEED)), 0);
    assert_int_equal(key_generate(f->rng, &f->kiosk), 0);
    assert_int_equal(key_generate(f->rng, &f->auth), 0);
    assert_int_equal(key_generate(f->rng, &f->other), 0);
    key_signer(f->kiosk, &f->signer);
    key_public(f->kiosk, &f->kpub);
    key_public(f->auth, &f->apub);
    key_public(f->other, &f->opub);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx_t *f = *state;

    key_free(f->kiosk);
    key_free(f->auth);
    key_free(f->other);
    rng_close(f->rng);
    free(f);
    return 0;
}

/* A well-formed idea: a title with an accent, a text of two lines, a place. */
static void fill(fx_t *f)
{
    uint32_t day;

    memset(&f->s, 0, sizeof f->s);
    assert_int_equal(day_parse("2027-01-12", &day), 0);
    f->s.day = day;
    memcpy(f->s.kiosk, f->kpub.id, KEY_ID_LEN);
    strcpy(f->s.campaign, "idees35-2027");
    strcpy(f->s.territory, "rennes");
    strcpy(f->s.theme, "nature");
    memset(f->s.pseudonym, 0x5a, PSEUD_LEN);
    strcpy(f->s.title, "Un verger partagé au Blosne");
    strcpy(f->s.description, "Planter vingt arbres fruitiers.\nLes habitants les entretiennent.");
    strcpy(f->s.place, "Parc des Hautes-Ourmes");
}

static void test_vector(void **state)
{
    fx_t *f = *state;
    char path[512], *hex, *want;
    size_t n;
    idea_t d;

    fill(f);
    memset(f->s.id, 0x11, IDEA_ID_LEN); /* fixed: the bytes do not depend on the generator */
    assert_int_equal(idea_seal(&f->s, NULL, NULL, &f->signer, f->rng, f->buf, sizeof f->buf,
                               &f->len), 0);
    assert_int_equal(f->len, 144 + strlen(f->s.title) + strlen(f->s.description) +
                                 strlen(f->s.place) + 64);
    hex = malloc(2 * f->len + 2);
    assert_non_null(hex);
    hex_encode(f->buf, f->len, hex);
    snprintf(path, sizeof path, "%s/idea/basic.hex", BORNE_VECTORS);
    if (getenv("BORNE_REGEN_VECTORS") != NULL && strcmp(getenv("BORNE_REGEN_VECTORS"), "1") == 0) {
        FILE *o = fopen(path, "w");
        assert_non_null(o);
        fprintf(o, "%s\n", hex);
        fclose(o);
    }
    want = (char *)tu_read(path, &n);
    assert_non_null(want);
    assert_true(n >= 2 * f->len);
    assert_memory_equal(want, hex, 2 * f->len); /* deterministic signature (RFC 6979) */
    assert_int_equal(idea_decode(f->buf, f->len, &d, NULL, 0), 0);
    assert_string_equal(d.title, f->s.title);
    assert_string_equal(d.description, f->s.description);
    assert_string_equal(d.place, f->s.place);
    assert_string_equal(d.theme, "nature");
    assert_int_equal(d.has_contact, 0);
    assert_int_equal(idea_verify(f->buf, f->len, &f->kpub), 0);
    assert_int_equal(idea_verify(f->buf, f->len, &f->apub), BN_EWRONGKEY);
    free(hex);
    free(want);
}

/* (IDEA-I1) A contact: sealed, never in clear; the authority opens it,
 * another key does not; any altered byte of the record shows. */
static void test_contact(void **state)
{
    fx_t *f = *state;
    const char *contact = "anne.legall@example.org";
    char got[IDEA_CONTACT_BYTES + 1], why[200];
    idea_t d;
    size_t i;

    fill(f);
    assert_int_equal(idea_seal(&f->s, contact, NULL, &f->signer, f->rng, f->buf, sizeof f->buf,
                               &f->len), BN_EINVAL); /* a contact needs the authority's key */
    assert_int_equal(idea_seal(&f->s, contact, &f->apub, &f->signer, f->rng, f->buf,
                               sizeof f->buf, &f->len), 0);
    for (i = 0; i + strlen(contact) <= f->len; i++)
        if (memcmp(f->buf + i, contact, strlen(contact)) == 0)
            fail_msg("the contact is in clear at offset %zu", i);
    assert_int_equal(idea_decode(f->buf, f->len, &d, why, sizeof why), 0);
    assert_int_equal(d.has_contact, 1);
    assert_memory_equal(d.authority, f->apub.id, KEY_ID_LEN);
    assert_int_equal(idea_verify(f->buf, f->len, &f->kpub), 0);
    assert_int_equal(idea_open_contact(f->buf, f->len, f->auth, got, why, sizeof why), 0);
    assert_string_equal(got, contact);
    assert_int_equal(idea_open_contact(f->buf, f->len, f->other, got, why, sizeof why),
                     BN_EWRONGKEY);
    assert_string_equal(got, "");
    /* every byte: flipped, the signature fails or the record no longer decodes;
     * in the sealed block or its additional data, the contact no longer opens */
    for (i = 0; i < f->len; i++) {
        uint8_t keep = f->buf[i];
        int v, o;
        f->buf[i] ^= 0x01;
        v = idea_verify(f->buf, f->len, &f->kpub);
        o = idea_open_contact(f->buf, f->len, f->auth, got, NULL, 0);
        if (v == 0)
            fail_msg("a flipped bit at offset %zu still verifies", i);
        if (o == 0 && i < f->len - KEY_SIG_LEN)
            fail_msg("a flipped bit at offset %zu still opens the contact", i);
        f->buf[i] = keep;
    }
    /* no contact: said so */
    fill(f);
    assert_int_equal(idea_seal(&f->s, "", &f->apub, &f->signer, f->rng, f->buf, sizeof f->buf,
                               &f->len), 0);
    assert_int_equal(idea_open_contact(f->buf, f->len, f->auth, got, why, sizeof why),
                     BN_ENOTFOUND);
}

/* The limits of the texts, at the encoder. */
static void test_limits(void **state)
{
    fx_t *f = *state;
    char long_contact[IDEA_CONTACT_BYTES + 2];
    int i;

    fill(f);
    for (i = 0; i < IDEA_TITLE_CHARS; i++) /* 80 characters of 2 bytes: fine */
        memcpy(f->s.title + 2 * i, "\xc3\xa9", 2);
    f->s.title[2 * IDEA_TITLE_CHARS] = '\0';
    assert_int_equal(idea_seal(&f->s, NULL, NULL, &f->signer, f->rng, f->buf, sizeof f->buf,
                               &f->len), 0);
    strcat(f->s.title, "x"); /* 81 */
    assert_int_equal(idea_seal(&f->s, NULL, NULL, &f->signer, f->rng, f->buf, sizeof f->buf,
                               &f->len), BN_EINVAL);
    fill(f);
    f->s.title[0] = '\0'; /* empty */
    assert_int_equal(idea_seal(&f->s, NULL, NULL, &f->signer, f->rng, f->buf, sizeof f->buf,
                               &f->len), BN_EINVAL);
    fill(f);
    strcpy(f->s.title, "Deux\nlignes"); /* a title is one line */
    assert_int_equal(idea_seal(&f->s, NULL, NULL, &f->signer, f->rng, f->buf, sizeof f->buf,
                               &f->len), BN_EINVAL);
    fill(f);
    strcpy(f->s.title, "Espace finale ");
    assert_int_equal(idea_seal(&f->s, NULL, NULL, &f->signer, f->rng, f->buf, sizeof f->buf,
                               &f->len), BN_EINVAL);
    fill(f);
    f->s.place[0] = '\0'; /* no place: fine */
    assert_int_equal(idea_seal(&f->s, NULL, NULL, &f->signer, f->rng, f->buf, sizeof f->buf,
                               &f->len), 0);
    memset(long_contact, 'a', sizeof long_contact - 1);
    long_contact[sizeof long_contact - 1] = '\0';
    assert_int_equal(idea_seal(&f->s, long_contact, &f->apub, &f->signer, f->rng, f->buf,
                               sizeof f->buf, &f->len), BN_EINVAL);
    fill(f);
    strcpy(f->s.theme, "Nature"); /* not a token */
    assert_int_equal(idea_seal(&f->s, NULL, NULL, &f->signer, f->rng, f->buf, sizeof f->buf,
                               &f->len), BN_EINVAL);
}

/* Strict decoding: each mutation of a good record is refused, with the
 * offset; none of them names the idea's words. */
static void test_strict(void **state)
{
    fx_t *f = *state;
    uint8_t b[IDEA_MAX_LEN + 2];
    char why[200];
    idea_t d;
    size_t n, t;
    static const struct {
        const char *what, *reason;
    } cases[] = {
        {"magic", "magic"},       {"version", "version 2"}, {"flags", "flags 2"},
        {"day", "day is 0"},      {"token", "offset 90"},   {"extra byte", "need exactly"},
        {"utf8", "not valid text"}, {"control", "not valid text"}, {"newline in title", "title"},
    };
    size_t k;

    fill(f);
    assert_int_equal(idea_seal(&f->s, NULL, NULL, &f->signer, f->rng, f->buf, sizeof f->buf,
                               &f->len), 0);
    t = strlen(f->s.title);
    for (k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        memcpy(b, f->buf, f->len);
        n = f->len;
        switch (k) {
        case 0: b[1] = 'x'; break;
        case 1: b[4] = 2; break;
        case 2: b[5] = 2; break;
        case 3: memset(b + 6, 0, 4); break;
        case 4: b[90] = 'N'; break;
        case 5: b[n++] = 0; break;
        case 6: b[IDEA_HEADER_LEN + 1] = 0xff; break;
        case 7: b[IDEA_HEADER_LEN + 1] = 0x07; break;
        case 8: b[IDEA_HEADER_LEN + t - 2] = '\n'; break;
        }
        why[0] = '\0';
        if (idea_decode(b, n, &d, why, sizeof why) != BN_EFORMAT || strstr(why, cases[k].reason) == NULL)
            fail_msg("%s: not refused as expected: \"%s\"", cases[k].what, why);
        if (strstr(why, "verger") != NULL)
            fail_msg("%s: the reason quotes the idea: %s", cases[k].what, why);
    }
    assert_int_equal(idea_decode(f->buf, 10, &d, why, sizeof why), BN_EFORMAT);
    assert_int_equal(idea_verify(f->buf, f->len - 1, &f->kpub), BN_EFORMAT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_vector, setup, teardown),
        cmocka_unit_test_setup_teardown(test_contact, setup, teardown),
        cmocka_unit_test_setup_teardown(test_limits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_strict, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
