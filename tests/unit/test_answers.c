/* test_answers.c - a questionnaire's answers (ballot kind 4) and free texts
 * (firmware/formats/answers.c, issue 17): vectors, round trips, strict
 * decoding, every bit of a signed answer set, the questionnaire's rules
 * (types, options, bounds, show_if), the free-text record and its limits.
 *
 * BORNE_REGEN_VECTORS=1 rewrites tests/vectors/answers/ (then review the
 * diff: a change of bytes is a change of format). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "answers.h"
#include "ballot.h"
#include "bn_err.h"
#include "day.h"
#include "hex.h"
#include "key.h"
#include "pkg.h"
#include "rng.h"
#include "testutil.h"

#define SEED "borne answers vectors v1"

typedef struct fx_s {
    rng_t *rng;
    key_pair_t *kiosk, *other;
    signer_t signer, osigner;
    key_pub_t kpub, opub;
    pkg_t *p;
    uint32_t day;
} fx_t;

static int setup(void **state)
{
    fx_t *f = calloc(1, sizeof *f);
    char *path = tu_vector("pkg/questionnaire.json"), why[256] = "";
    uint8_t *json;
    size_t n;

    assert_non_null(f);
    assert_int_equal(rng_open_fixed(&f->rng, (const uint8_t *)SEED, strlen(SEED)), 0);
    assert_int_equal(key_generate(f->rng, &f->kiosk), 0);
    assert_int_equal(key_generate(f->rng, &f->other), 0);
    key_signer(f->kiosk, &f->signer);
    key_signer(f->other, &f->osigner);
    key_public(f->kiosk, &f->kpub);
    key_public(f->other, &f->opub);
    json = tu_read(path, &n);
    assert_non_null(json);
    assert_int_equal(pkg_parse((const char *)json, n, &f->p, why, sizeof why), 0);
    assert_int_equal(day_parse("2026-12-04", &f->day), 0);
    free(json);
    free(path);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx_t *f = *state;

    pkg_free(f->p);
    key_free(f->kiosk);
    key_free(f->other);
    rng_close(f->rng);
    free(f);
    return 0;
}

/* A full set of answers to questionnaire.json: car; evening coaches and
 * cycle paths; greenway then coach line; 4 out of 5; a bike: yes; the
 * weather stops me; a text given. */
static int full(ballot_answer_t *a)
{
    memset(a, 0, PKG_QUESTIONS_MAX * sizeof *a);
    a[0] = (ballot_answer_t){0, PKG_Q_ONE, 1, {0}};
    a[1] = (ballot_answer_t){1, PKG_Q_MANY, 2, {0, 1}};
    a[2] = (ballot_answer_t){2, PKG_Q_RANK, 2, {1, 0}};
    a[3] = (ballot_answer_t){3, PKG_Q_SCALE, 1, {4}};
    a[4] = (ballot_answer_t){4, PKG_Q_YESNO, 1, {1}};
    a[5] = (ballot_answer_t){5, PKG_Q_ONE, 1, {2}};
    a[6] = (ballot_answer_t){6, PKG_Q_TEXT, 0, {0}};
    return 7;
}

static size_t seal(fx_t *f, const ballot_answer_t *a, int n, uint8_t *out, ballot_t *b)
{
    size_t len = 0;

    assert_int_equal(ballot_make_answers(b, f->p, 0, a, n, f->day, f->kpub.id, f->rng), 0);
    assert_int_equal(ballot_seal(b, &f->signer, out, BALLOT_MAX_LEN, &len), 0);
    return len;
}

static void put_vector(const char *name, const uint8_t *b, size_t n)
{
    char *path, *hex = malloc(2 * n + 2), *want;
    size_t have;

    assert_non_null(hex);
    hex_encode(b, n, hex);
    path = tu_vector(name);
    if (getenv("BORNE_REGEN_VECTORS") != NULL && strcmp(getenv("BORNE_REGEN_VECTORS"), "1") == 0) {
        hex[2 * n] = '\n';
        assert_int_equal(tu_write(path, hex, 2 * n + 1), 0);
    }
    want = (char *)tu_read(path, &have);
    assert_non_null(want);
    assert_true(have >= 2 * n);
    assert_memory_equal(want, hex, 2 * n); /* deterministic signature (RFC 6979) */
    free(want);
    free(hex);
    free(path);
}

/* A full answer set: the vector, decoded as it was made, within the rules. */
static void test_round_trip(void **state)
{
    fx_t *f = *state;
    ballot_answer_t a[PKG_QUESTIONS_MAX];
    uint8_t buf[BALLOT_MAX_LEN];
    ballot_t b, d;
    char why[256] = "";
    int n = full(a);
    size_t len;

    assert_int_equal(ballot_make_answers(&b, f->p, 0, a, n, f->day, f->kpub.id, f->rng), 0);
    memset(b.id, 0x22, BALLOT_ID_LEN); /* fixed: the bytes do not depend on the generator */
    assert_int_equal(ballot_seal(&b, &f->signer, buf, sizeof buf, &len), 0);
    /* header, 7 answers of 3, 5, 5, 3, 3, 3 and 2 bytes, signature */
    assert_int_equal(len, BALLOT_HEADER_LEN + 3 + 5 + 5 + 3 + 3 + 3 + 2 + KEY_SIG_LEN);
    put_vector("answers/full.hex", buf, len);
    assert_int_equal(ballot_decode(buf, len, &d, why, sizeof why), 0);
    assert_int_equal(d.kind, BALLOT_KIND_ANSWERS);
    assert_int_equal(d.n, n);
    assert_memory_equal(d.answers, a, (size_t)n * sizeof *a);
    assert_int_equal(ballot_verify(buf, len, &f->kpub), 0);
    assert_int_equal(ballot_verify(buf, len, &f->opub), BN_EWRONGKEY);
    assert_int_equal(answers_check(f->p, &d, why, sizeof why), 0);
    /* nothing answered at all is an answer set too (the person took part) */
    len = seal(f, a, 0, buf, &b);
    assert_int_equal(len, BALLOT_HEADER_LEN + KEY_SIG_LEN);
    assert_int_equal(ballot_decode(buf, len, &d, why, sizeof why), 0);
    assert_int_equal(answers_check(f->p, &d, why, sizeof why), 0);
}

/* Every single-bit change of a signed answer set is refused: by the
 * decoder, or by the signature. */
static void test_every_bit(void **state)
{
    fx_t *f = *state;
    ballot_answer_t a[PKG_QUESTIONS_MAX];
    uint8_t buf[BALLOT_MAX_LEN];
    ballot_t b;
    size_t len = seal(f, a, full(a), buf, &b), bit, refused = 0;

    for (bit = 0; bit < 8 * len; bit++) {
        buf[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        refused += ballot_verify(buf, len, &f->kpub) != 0;
        buf[bit / 8] ^= (uint8_t)(1u << (bit % 8));
    }
    assert_int_equal(refused, 8 * len);
}

/* Bytes the decoder refuses, each re-signed so that only the rule fails. */
static void test_strict(void **state)
{
    fx_t *f = *state;
    ballot_answer_t a[PKG_QUESTIONS_MAX];
    uint8_t buf[BALLOT_MAX_LEN], c[BALLOT_MAX_LEN + 1];
    ballot_t b, d;
    char why[256];
    size_t len = seal(f, a, full(a), buf, &b), at = BALLOT_HEADER_LEN;
    /* offsets: [92] q0 type one v; [95] q1 many k v v; [100] q2 rank k v v;
     * [105] q3 scale v; [108] q4 yesno v; [111] q5 one v; [114] q6 text */
#define BAD(mutate, what)                                                               \
    do {                                                                                \
        size_t l = len;                                                                 \
        memcpy(c, buf, len);                                                            \
        mutate;                                                                         \
        assert_int_equal(key_sign_msg(&f->signer, c, l - 64, c + l - 64), 0);           \
        assert_int_equal(ballot_decode(c, l, &d, why, sizeof why), BN_EFORMAT);         \
        assert_non_null(strstr(why, what));                                             \
        assert_int_equal(d.n, 0);                                                       \
    } while (0)
    BAD(c[at + 1] = 6, "type 6 is not 0..5");
    BAD(c[at + 2] = 12, "out of its range");                     /* option 12 */
    BAD((c[at + 3 + 3] = 1, c[at + 3 + 4] = 0), "out of its range"); /* many unsorted */
    BAD(c[at + 3 + 2] = 13, "13 values");                        /* many k > 12 */
    BAD(c[at + 8 + 4] = 1, "out of its range");                  /* rank twice */
    BAD(c[at + 8 + 2] = 0, "out of its range");                  /* rank of none */
    BAD(c[at + 13 + 2] = 11, "out of its range");                /* scale 11 */
    BAD(c[at + 16 + 2] = 2, "out of its range");                 /* yes/no 2 */
    BAD(c[at + 3] = 0, "question not above");                    /* q1 -> q0 */
    BAD(c[7] = 8, "answers[7] truncated");
    BAD(c[7] = 6, "bytes between the answers and the signature");
    BAD(c[7] = 31, "31 answers");
#undef BAD
    /* ballot_make_answers refuses what the decoder would */
    a[1].v[0] = 3; /* many, unsorted */
    assert_int_equal(ballot_make_answers(&b, f->p, 0, a, 7, f->day, f->kpub.id, f->rng),
                     BN_EINVAL);
    full(a);
    assert_int_equal(ballot_make_answers(&b, f->p, 0, a + 1, 1, f->day, f->kpub.id, f->rng), 0);
    a[0].q = 2; /* out of order */
    assert_int_equal(ballot_make_answers(&b, f->p, 0, a, 2, f->day, f->kpub.id, f->rng),
                     BN_EINVAL);
}

/* The questionnaire's rules, each refusal naming the question. */
static void test_rules(void **state)
{
    fx_t *f = *state;
    ballot_answer_t a[PKG_QUESTIONS_MAX];
    uint8_t buf[BALLOT_MAX_LEN];
    ballot_t b;
    char why[256];
    int n;

#define CHECK(mutate, count, code, what)                                                 \
    do {                                                                                 \
        n = full(a);                                                                     \
        mutate;                                                                          \
        seal(f, a, count, buf, &b);                                                      \
        why[0] = '\0';                                                                   \
        assert_int_equal(answers_check(f->p, &b, why, sizeof why), code);                \
        assert_non_null(strstr(why, what));                                              \
    } while (0)
    CHECK((void)0, n, 0, "");
    CHECK(a[0].v[0] = 4, n, BN_ERULE, "question mode: an option it does not offer");
    CHECK(a[0].type = PKG_Q_SCALE, n, BN_ERULE, "question mode: an answer of another type");
    CHECK((a[1].k = 4, a[1].v[2] = 2, a[1].v[3] = 3), n, BN_ERULE,
          "question manque: 4 options, not 1 to 3");
    CHECK(a[1].k = 0, n, BN_ERULE, "question manque: 0 options, not 1 to 3");
    CHECK((a[2].k = 4, a[2].v[2] = 2, a[2].v[3] = 3), n, BN_ERULE,
          "question priorites: 4 options, not 1 to 3");
    CHECK(a[3].v[0] = 0, n, BN_ERULE, "question satisfait: a number outside 1..5");
    CHECK(a[3].v[0] = 6, n, BN_ERULE, "question satisfait: a number outside 1..5");
    /* no bike: the question about what stops using it is not asked */
    CHECK(a[4].v[0] = 0, n, BN_ERULE, "question velo-freins answered, but its condition");
    CHECK((a[4].v[0] = 0, a[5] = a[6]), 6, 0, "");
    /* the bike question unanswered: its follow-up is not asked either */
    CHECK((a[4] = a[5], a[5] = a[6]), 6, BN_ERULE, "question velo-freins answered");
    CHECK(a[6].q = 7, n, BN_ERULE, "question 7 is not in");
#undef CHECK
    /* answers_asked: the follow-up hangs on "yes" */
    n = full(a);
    assert_int_equal(answers_asked(f->p, 5, a, n), 1);
    a[4].v[0] = 0;
    assert_int_equal(answers_asked(f->p, 5, a, n), 0);
    assert_int_equal(answers_asked(f->p, 5, a, 4), 0);
    assert_int_equal(answers_asked(f->p, 0, a, 0), 1);
}

/* The free-text record: a vector, round trip, refusals, its rules. */
static void test_text(void **state)
{
    fx_t *f = *state;
    qtext_t t, d;
    uint8_t buf[QTEXT_MAX_LEN], c[QTEXT_MAX_LEN];
    size_t len = 0, bit, refused = 0;
    char why[256], long_text[QTEXT_MAX_BYTES + 8];
    int i;

    memset(&t, 0, sizeof t);
    t.day = f->day;
    memset(t.id, 0x33, QTEXT_ID_LEN);
    memcpy(t.kiosk, f->kpub.id, KEY_ID_LEN);
    strcpy(t.campaign, "mobilite35-2027");
    strcpy(t.territory, "rennes");
    strcpy(t.question, "idee");
    strcpy(t.text, "Des cars après 21 heures, même le dimanche. Et un arrêt à l'hôpital !");
    assert_int_equal(qtext_seal(&t, &f->signer, buf, sizeof buf, &len), 0);
    assert_int_equal(len, QTEXT_HEADER_LEN + strlen(t.text) + KEY_SIG_LEN);
    put_vector("answers/text.hex", buf, len);
    assert_int_equal(qtext_decode(buf, len, &d, why, sizeof why), 0);
    assert_string_equal(d.text, t.text);
    assert_string_equal(d.question, "idee");
    assert_int_equal(qtext_verify(buf, len, &f->kpub), 0);
    assert_int_equal(qtext_verify(buf, len, &f->opub), BN_EWRONGKEY);
    assert_int_equal(qtext_check(f->p, &d, why, sizeof why), 0);
    for (bit = 0; bit < 8 * len; bit++) {
        buf[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        refused += qtext_verify(buf, len, &f->kpub) != 0;
        buf[bit / 8] ^= (uint8_t)(1u << (bit % 8));
    }
    assert_int_equal(refused, 8 * len);
    /* what is never sealed: a line feed, nothing, too long, a bad token */
    strcpy(t.text, "deux\nlignes");
    assert_int_equal(qtext_seal(&t, &f->signer, c, sizeof c, &len), BN_EINVAL);
    t.text[0] = '\0';
    assert_int_equal(qtext_seal(&t, &f->signer, c, sizeof c, &len), BN_EINVAL);
    for (i = 0; i < PKG_TEXT_ANSWER_CHARS + 1; i++)
        long_text[i] = 'a';
    long_text[i] = '\0';
    memcpy(t.text, long_text, sizeof long_text < sizeof t.text ? sizeof long_text : sizeof t.text);
    t.text[PKG_TEXT_ANSWER_CHARS + 1] = '\0';
    assert_int_equal(qtext_seal(&t, &f->signer, c, sizeof c, &len), BN_EINVAL);
    t.text[PKG_TEXT_ANSWER_CHARS] = '\0'; /* 500: the most */
    assert_int_equal(qtext_seal(&t, &f->signer, c, sizeof c, &len), 0);
    assert_int_equal(qtext_decode(c, len, &d, why, sizeof why), 0);
    /* bytes refused by the decoder */
    memcpy(c, buf, sizeof buf);
    len = QTEXT_HEADER_LEN + strlen("Des cars après 21 heures, même le dimanche. Et un arrêt à "
                                    "l'hôpital !") + KEY_SIG_LEN;
    c[QTEXT_HEADER_LEN + 3] = '\n';
    assert_int_equal(qtext_decode(c, len, &d, why, sizeof why), BN_EFORMAT);
    assert_non_null(strstr(why, "offset 107"));
    assert_null(strstr(why, "cars")); /* never the text in the reason */
    memcpy(c, buf, sizeof buf);
    c[QTEXT_OFF_LEN + 1] ^= 1;
    assert_int_equal(qtext_decode(c, len, &d, why, sizeof why), BN_EFORMAT);
    assert_int_equal(qtext_decode(buf, len - 1, &d, why, sizeof why), BN_EFORMAT);
    memcpy(c, buf, sizeof buf);
    c[QTEXT_OFF_QUESTION] = 'I';
    assert_int_equal(qtext_decode(c, len, &d, why, sizeof why), BN_EFORMAT);
    /* its rules: a text question of the questionnaire, within its max_chars */
    assert_int_equal(qtext_decode(buf, len, &d, why, sizeof why), 0);
    strcpy(d.question, "mode");
    assert_int_equal(qtext_check(f->p, &d, why, sizeof why), BN_ERULE);
    assert_non_null(strstr(why, "question mode does not take a text"));
    strcpy(d.question, "nope");
    assert_int_equal(qtext_check(f->p, &d, why, sizeof why), BN_ERULE);
    strcpy(d.question, "idee");
    strcpy(d.territory, "brest");
    assert_int_equal(qtext_check(f->p, &d, why, sizeof why), BN_ERULE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_every_bit),
        cmocka_unit_test(test_strict),
        cmocka_unit_test(test_rules),
        cmocka_unit_test(test_text),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
