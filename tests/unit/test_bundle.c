/* test_bundle.c - signed bundles: round trip, (BUNDLE-B1) sorted items, every bit
 * tampered, another kiosk's ballot or report, revoked / expired / foreign
 * kiosks, duplicates, unsorted and truncated bundles, and a bundle built
 * from a real store's outbox.
 *
 * BORNE_REGEN_VECTORS=1 rewrites tests/vectors/bundle/ and the seeds of
 * tests/fuzz/corpus/fuzz_bundle/. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ballot.h"
#include "bn_err.h"
#include "bundle.h"
#include "outbox.h"
#include "cert.h"
#include "day.h"
#include "hex.h"
#include "answers.h"
#include "idea.h"
#include "key.h"
#include "petition.h"
#include "pkg.h"
#include "report.h"
#include "rng.h"
#include "store.h"
#include "testutil.h"

#define CAMPAIGN "bp-2026"
#define FROM 20454u  /* 2026-01-01 */
#define UNTIL 22279u /* 2030-12-31 */
#define TODAY 20785u /* 2026-11-28 */
#define N_VOTERS 40

static pkg_territory_t territory = {.id = "rennes"};
static pkg_project_t projects[4] = {{.id = "p-bus"}, {.id = "p-parc"}, {.id = "p-velo"},
                                    {.id = "p-ecole"}};
static pkg_t campaign = {
    .id = CAMPAIGN, .kind = PKG_BUDGET, .n_territories = 1, .territories = &territory,
    .n_projects = 4, .projects = projects,
};
static pkg_t other_campaign = {
    .id = "other", .kind = PKG_BUDGET, .n_territories = 1, .territories = &territory,
    .n_projects = 4, .projects = projects,
};

/* A petition with the same id, so that its signatures may share bundles with
 * the ballots above (the bundle format does not look at campaign kinds). */
static pkg_canton_t pet_cantons[2] = {{.id = "rennes-1"}, {.id = "betton"}};
static pkg_commune_t pet_communes[2] = {{.insee = "35024", .canton = 1},
                                        {.insee = "35238", .canton = 0}};
static pkg_t petition = {
    .id = CAMPAIGN, .kind = PKG_PETITION, .n_territories = 1, .territories = &territory,
    .n_cantons = 2, .cantons = pet_cantons, .n_communes = 2, .communes = pet_communes,
};
static pkg_t other_petition = {
    .id = "other", .kind = PKG_PETITION, .n_territories = 1, .territories = &territory,
    .n_cantons = 2, .cantons = pet_cantons, .n_communes = 2, .communes = pet_communes,
};
#define N_SIGNERS 12

typedef struct signer_rec_s {
    uint8_t pseudonym[32];
    uint8_t rec[PETITION_LEN];
} signer_rec_t;

static signer_rec_t signers[N_SIGNERS];

#define N_IDEAS 9
typedef struct idea_rec_s {
    uint8_t rec[IDEA_MAX_LEN];
    size_t len;
} idea_rec_t;
static idea_rec_t ideas[N_IDEAS];

typedef struct voter_s {
    uint8_t pseudonym[32];
    uint8_t id[BALLOT_ID_LEN];
    uint8_t ballot[BALLOT_MAX_LEN];
    size_t len;
} voter_t;

static voter_t voters[N_VOTERS];
static rng_t *rng;
static key_pair_t *auth, *auth2, *kiosk, *kiosk2;
static signer_t ks, ks2, as;
static uint8_t ca[CERT_DER_MAX], ca2[CERT_DER_MAX], kcert[CERT_DER_MAX], k2cert[CERT_DER_MAX];
static size_t ca_len, ca2_len, kcert_len, k2cert_len;
static uint8_t report[REPORT_MAX_LEN], report2[REPORT_MAX_LEN];
static size_t report_len, report2_len;

/* A sealed petition signature of `p`, signed by s (naming kid). */
static void make_signature(const pkg_t *p, int i, const signer_t *s, const uint8_t *kid,
                           uint8_t *pseudonym, uint8_t out[PETITION_LEN])
{
    petition_identity_t who;
    petition_t r;
    key_pub_t a;

    memset(&who, 0, sizeof who);
    snprintf(who.last_name, sizeof who.last_name, "Signataire %d", i);
    strcpy(who.first_names, "Anne");
    strcpy(who.birth, "1970-01-01");
    strcpy(who.commune, p->communes[i % 2].insee);
    key_public(auth, &a);
    assert_int_equal(rng_bytes(rng, pseudonym, 32), 0);
    assert_int_equal(petition_make(&r, p, i % 2, pseudonym, i % 3 == 0, TODAY - (uint32_t)i % 5,
                                   kid, rng), 0);
    assert_int_equal(petition_seal(&r, &who, &a, s, rng, out), 0);
}

/* An idea of campaign `camp`, signed by s (naming kid), with a contact
 * sealed to the authority when i is odd. */
static void make_idea(const char *camp, int i, const signer_t *s, const uint8_t *kid,
                      uint8_t *out, size_t *len)
{
    key_pub_t a;
    idea_t d;

    memset(&d, 0, sizeof d);
    d.day = TODAY - (uint32_t)i % 4;
    assert_int_equal(rng_bytes(rng, d.id, IDEA_ID_LEN), 0);
    memcpy(d.kiosk, kid, KEY_ID_LEN);
    strcpy(d.campaign, camp);
    strcpy(d.territory, "rennes");
    strcpy(d.theme, i % 2 ? "nature" : "mobilite");
    assert_int_equal(rng_bytes(rng, d.pseudonym, PSEUD_LEN), 0);
    snprintf(d.title, sizeof d.title, "Idée numéro %d", i);
    snprintf(d.description, sizeof d.description, "Planter %d arbres.\nLes entretenir.", i);
    key_public(auth, &a);
    assert_int_equal(idea_seal(&d, i % 2 ? "anne@example.org" : NULL, &a, s, rng, out,
                               IDEA_MAX_LEN, len), 0);
}

static int regen(void)
{
    const char *e = getenv("BORNE_REGEN_VECTORS");

    return e != NULL && strcmp(e, "1") == 0;
}

static void make_ballot(const pkg_t *p, int i, const signer_t *s, const uint8_t *kid,
                        uint8_t *out, size_t *len, uint8_t *id)
{
    int sel[2] = {i % 4, (i / 4) % 4};
    ballot_t b;

    assert_int_equal(ballot_make(&b, p, 0, sel, sel[0] == sel[1] ? 1 : 2, TODAY, kid, rng), 0);
    assert_int_equal(ballot_seal(&b, s, out, BALLOT_MAX_LEN, len), 0);
    if (id != NULL)
        memcpy(id, b.id, BALLOT_ID_LEN);
}

/* A closing report of N_VOTERS participants: 3 of 35360, the rest of 35238. */
static void sign_report(const signer_t *s, uint8_t *out, size_t *len)
{
    static report_t r;

    memset(&r, 0, sizeof r);
    strcpy(r.campaign, CAMPAIGN);
    r.opened = TODAY - 10;
    r.closed = TODAY;
    r.registered = r.ballots = N_VOTERS;
    r.n_communes = 2;
    strcpy(r.communes[0].insee, "35238");
    r.communes[0].n = N_VOTERS - 3;
    strcpy(r.communes[1].insee, "35360");
    r.communes[1].n = 3;
    assert_int_equal(report_seal(&r, s, out, REPORT_MAX_LEN, len), 0);
}

static void issue(key_pair_t *issuer, const uint8_t *cad, size_t cal, key_pair_t *subject,
                  cert_role_t role, const char *name, uint32_t nb, uint32_t na, uint8_t *der,
                  size_t *len)
{
    key_pub_t p;
    char why[200] = "";

    key_public(subject, &p);
    assert_int_equal(cert_issue(issuer, rng, cad, cal, &p, role, name, nb, na, der, CERT_DER_MAX,
                                len, why, sizeof why), 0);
}

static int setup(void **state)
{
    static const uint8_t seed[] = "test_bundle";
    int i;

    (void)state;
    assert_int_equal(rng_open_fixed(&rng, seed, sizeof seed - 1), 0);
    assert_int_equal(key_generate(rng, &auth), 0);
    assert_int_equal(key_generate(rng, &auth2), 0);
    assert_int_equal(key_generate(rng, &kiosk), 0);
    assert_int_equal(key_generate(rng, &kiosk2), 0);
    key_signer(kiosk, &ks);
    key_signer(kiosk2, &ks2);
    key_signer(auth, &as);
    assert_int_equal(cert_make_authority(auth, rng, "Autorite-35", FROM, UNTIL, ca, sizeof ca,
                                         &ca_len, NULL, 0), 0);
    assert_int_equal(cert_make_authority(auth2, rng, "Autorite-35", FROM, UNTIL, ca2, sizeof ca2,
                                         &ca2_len, NULL, 0), 0);
    issue(auth, ca, ca_len, kiosk, CERT_KIOSK, "kiosk-35238-01", FROM, UNTIL, kcert, &kcert_len);
    issue(auth, ca, ca_len, kiosk2, CERT_KIOSK, "kiosk-35238-02", FROM, UNTIL, k2cert,
          &k2cert_len);
    for (i = 0; i < N_VOTERS; i++) {
        make_ballot(&campaign, i, &ks, ks.pub.id, voters[i].ballot, &voters[i].len, voters[i].id);
        assert_int_equal(rng_bytes(rng, voters[i].pseudonym, 32), 0);
    }
    sign_report(&ks, report, &report_len);
    sign_report(&ks2, report2, &report2_len);
    for (i = 0; i < N_SIGNERS; i++)
        make_signature(&petition, i, &ks, ks.pub.id, signers[i].pseudonym, signers[i].rec);
    for (i = 0; i < N_IDEAS; i++)
        make_idea(CAMPAIGN, i, &ks, ks.pub.id, ideas[i].rec, &ideas[i].len);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    key_free(auth);
    key_free(auth2);
    key_free(kiosk);
    key_free(kiosk2);
    rng_close(rng);
    return 0;
}

/* A bundle of voters [0, nb), register entries [0, nr) and signatures
 * [0, ns), plus the report if with_report, signed by the kiosk. */
static uint8_t *small_s(int nb, int nr, int ns, int with_report, size_t *len)
{
    bundle_builder_t *b = NULL;
    uint8_t *out = NULL;
    int i;

    assert_int_equal(bundle_new(CAMPAIGN, 7, kcert, kcert_len, &b), 0);
    for (i = 0; i < nb; i++)
        assert_int_equal(bundle_add_ballot(b, voters[i].ballot, voters[i].len), 0);
    for (i = 0; i < nr; i++)
        assert_int_equal(bundle_add_register(b, voters[i].pseudonym, TODAY - (uint32_t)i % 3,
                                             i % 2), 0);
    for (i = ns - 1; i >= 0; i--)
        assert_int_equal(bundle_add_signature(b, signers[i].rec, PETITION_LEN), 0);
    if (with_report)
        assert_int_equal(bundle_add_report(b, report, report_len), 0);
    assert_int_equal(bundle_finish(b, &ks, &out, len), 0);
    bundle_free(b);
    return out;
}

static uint8_t *small(int nb, int nr, int with_report, size_t *len)
{
    return small_s(nb, nr, 0, with_report, len);
}

static int voter_of_id(const uint8_t *id)
{
    int i;

    for (i = 0; i < N_VOTERS; i++)
        if (memcmp(voters[i].id, id, BALLOT_ID_LEN) == 0)
            return i;
    return -1;
}

static int voter_of_pseudonym(const uint8_t *p)
{
    int i;

    for (i = 0; i < N_VOTERS; i++)
        if (memcmp(voters[i].pseudonym, p, 32) == 0)
            return i;
    return -1;
}

/* (BUNDLE-B1) (BUNDLE-B2) Round trip of every voter's ballot and register entry: each is
 * found once, in the order of its random key, not in the order it was added,
 * and the two sections are not aligned by voter. */
static void test_round_trip(void **state)
{
    size_t len = 0, pos = 0, blen;
    const uint8_t *ballot, *prev = NULL;
    uint8_t *buf = small(N_VOTERS, N_VOTERS, 1, &len);
    int seen[N_VOTERS] = {0}, order[N_VOTERS], i, v, inversions = 0;
    bundle_t b;
    cert_info_t ci;
    bundle_reg_t e;
    char why[256] = "";

    (void)state;
    assert_int_equal(bundle_verify(buf, len, ca, ca_len, NULL, TODAY, &b, &ci, why, sizeof why), 0);
    assert_string_equal(b.campaign, CAMPAIGN);
    assert_int_equal(b.seq, 7);
    assert_int_equal(b.n_ballots, N_VOTERS);
    assert_int_equal(b.n_register, N_VOTERS);
    assert_int_equal(b.n_reports, 1);
    assert_int_equal(b.cert_len, kcert_len);
    assert_memory_equal(b.cert, kcert, kcert_len);
    assert_string_equal(ci.name, "kiosk-35238-01");
    assert_memory_equal(ci.pub.id, ks.pub.id, KEY_ID_LEN);
    for (i = 0; bundle_next_ballot(&b, &pos, &ballot, &blen); i++) {
        v = voter_of_id(ballot + BALLOT_OFF_ID);
        assert_true(v >= 0 && !seen[v]);
        seen[v] = 1;
        order[i] = v;
        assert_int_equal(blen, voters[v].len);
        assert_memory_equal(ballot, voters[v].ballot, blen);
        if (prev != NULL)
            assert_true(memcmp(prev, ballot + 12, BALLOT_ID_LEN) < 0);
        prev = ballot + 12;
    }
    assert_int_equal(i, N_VOTERS);
    for (i = 1; i < N_VOTERS; i++)
        inversions += order[i] < order[i - 1];
    printf("  (BUNDLE-B1) %d of %d neighbours out of insertion order\n", inversions, N_VOTERS - 1);
    assert_true(inversions > 0);
    memset(seen, 0, sizeof seen);
    for (i = 0; i < N_VOTERS; i++) {
        bundle_register_at(&b, (uint32_t)i, &e);
        v = voter_of_pseudonym(e.pseudonym);
        assert_true(v >= 0 && !seen[v]);
        seen[v] = 1;
        assert_int_equal(e.day, TODAY - (uint32_t)v % 3);
        assert_int_equal(e.offline, v % 2);
        if (i > 0)
            assert_true(memcmp(b.registers + (i - 1) * BUNDLE_REGISTER_LEN, e.pseudonym, 32) < 0);
    }
    {
        size_t rl = 0;
        const uint8_t *rp = bundle_report_at(&b, 0, &rl);

        assert_int_equal(rl, report_len);
        assert_memory_equal(rp, report, rl);
    }
    /* (BUNDLE-B2) the i-th ballot and the i-th register entry are not the same
     * voter's, beyond chance (about one match expected among 40) */
    {
        int matches = 0;

        pos = 0;
        for (i = 0; bundle_next_ballot(&b, &pos, &ballot, &blen); i++) {
            bundle_register_at(&b, (uint32_t)i, &e);
            matches += voter_of_id(ballot + 12) == voter_of_pseudonym(e.pseudonym);
        }
        printf("  (BUNDLE-B2) %d of %d positions hold the same voter's ballot and entry\n", matches,
               N_VOTERS);
        assert_true(matches < 6);
    }
    /* deterministic: the same items in another order give the same bytes */
    {
        bundle_builder_t *bb = NULL;
        uint8_t *again = NULL;
        size_t alen = 0;

        assert_int_equal(bundle_new(CAMPAIGN, 7, kcert, kcert_len, &bb), 0);
        assert_int_equal(bundle_add_report(bb, report, report_len), 0);
        for (i = N_VOTERS - 1; i >= 0; i--) {
            assert_int_equal(bundle_add_register(bb, voters[i].pseudonym,
                                                 TODAY - (uint32_t)i % 3, i % 2), 0);
            assert_int_equal(bundle_add_ballot(bb, voters[i].ballot, voters[i].len), 0);
        }
        assert_int_equal(bundle_finish(bb, &ks, &again, &alen), 0);
        assert_int_equal(alen, len);
        assert_memory_equal(again, buf, len);
        free(again);
        bundle_free(bb);
    }
    free(buf);
}

/* Every single-bit change of a small bundle fails verification. */
static void test_tamper_every_bit(void **state)
{
    size_t len = 0, i;
    uint8_t *buf = small(1, 1, 1, &len);
    int bit, refused = 0;

    (void)state;
    assert_int_equal(bundle_verify(buf, len, ca, ca_len, NULL, TODAY, NULL, NULL, NULL, 0), 0);
    for (i = 0; i < len; i++)
        for (bit = 0; bit < 8; bit++) {
            buf[i] ^= (uint8_t)(1u << bit);
            if (bundle_verify(buf, len, ca, ca_len, NULL, TODAY, NULL, NULL, NULL, 0) != 0)
                refused++;
            buf[i] ^= (uint8_t)(1u << bit);
        }
    printf("  %d of %zu bit flips of a %zu-byte bundle refused\n", refused, len * 8, len);
    assert_int_equal((size_t)refused, len * 8);
    free(buf);
    /* the same bundle with a petition signature: one bit of every byte of the
     * signature section (every bit of a record: test_petition) */
    buf = small_s(1, 1, 1, 1, &len);
    refused = 0;
    for (i = len - KEY_SIG_LEN - (2 + report_len) - PETITION_LEN;
         i < len - KEY_SIG_LEN - (2 + report_len); i++) {
        buf[i] ^= (uint8_t)(1u << (i % 8));
        if (bundle_verify(buf, len, ca, ca_len, NULL, TODAY, NULL, NULL, NULL, 0) != 0)
            refused++;
        buf[i] ^= (uint8_t)(1u << (i % 8));
    }
    assert_int_equal(refused, PETITION_LEN);
    assert_int_equal(bundle_verify(buf, len, ca, ca_len, NULL, TODAY, NULL, NULL, NULL, 0), 0);
    free(buf);
}

/* Every proper prefix, and the bundle with a byte more, is refused. */
static void test_truncated(void **state)
{
    size_t len = 0, i;
    uint8_t *buf = small_s(3, 3, 2, 1, &len), *longer;
    char why[256];

    (void)state;
    for (i = 0; i < len; i++)
        assert_int_not_equal(bundle_verify(buf, i, ca, ca_len, NULL, TODAY, NULL, NULL, why,
                                           sizeof why), 0);
    longer = malloc(len + 1);
    assert_non_null(longer);
    memcpy(longer, buf, len);
    longer[len] = 0;
    assert_int_equal(bundle_decode(longer, len + 1, NULL, why, sizeof why), BN_EFORMAT);
    free(longer);
    free(buf);
}

/* Builds a bundle by hand around the kiosk certificate: ballots given in
 * this exact order, register entries as given, then signs it. */
static uint8_t *raw_bundle(const uint8_t *const *ballots, const size_t *blens, int nb,
                           const uint8_t *regs, int nr, size_t *len)
{
    size_t total = BUNDLE_HEADER_LEN + kcert_len + (size_t)nr * BUNDLE_REGISTER_LEN + KEY_SIG_LEN;
    uint8_t *buf, *p;
    int i;

    for (i = 0; i < nb; i++)
        total += 2 + blens[i];
    buf = calloc(1, total);
    assert_non_null(buf);
    memcpy(buf, "BRNU\x02" CAMPAIGN, 5 + strlen(CAMPAIGN));
    buf[28] = 7;
    buf[29] = (uint8_t)(kcert_len >> 8);
    buf[30] = (uint8_t)kcert_len;
    buf[34] = (uint8_t)nb;
    buf[38] = (uint8_t)nr;
    p = buf + BUNDLE_HEADER_LEN;
    memcpy(p, kcert, kcert_len);
    p += kcert_len;
    for (i = 0; i < nb; i++) {
        p[0] = (uint8_t)(blens[i] >> 8);
        p[1] = (uint8_t)blens[i];
        memcpy(p + 2, ballots[i], blens[i]);
        p += 2 + blens[i];
    }
    if (nr > 0)
        memcpy(p, regs, (size_t)nr * BUNDLE_REGISTER_LEN);
    p += (size_t)nr * BUNDLE_REGISTER_LEN;
    assert_int_equal(key_sign_msg(&ks, buf, (size_t)(p - buf), p), 0);
    *len = total;
    return buf;
}

static void expect_refused(uint8_t *buf, size_t len, int code, const char *text)
{
    char why[256] = "";
    int rc = bundle_verify(buf, len, ca, ca_len, NULL, TODAY, NULL, NULL, why, sizeof why);

    if (rc != code)
        fail_msg("got %d (%s), expected %d", rc, why, code);
    if (text != NULL && strstr(why, text) == NULL)
        fail_msg("\"%s\" does not say \"%s\"", why, text);
    free(buf);
}

/* raw_bundle() sets len: call it before reading len */
#define REFUSED(call, code, text)                                                 \
    do {                                                                          \
        uint8_t *b_ = (call);                                                     \
        expect_refused(b_, len, code, text);                                      \
    } while (0)

/* Unsorted and duplicate items are refused even when correctly signed. */
static void test_unsorted_duplicates(void **state)
{
    const uint8_t *bl[2];
    size_t bls[2], len = 0;
    uint8_t regs[2 * BUNDLE_REGISTER_LEN];
    int lo = 0, hi = 1;

    (void)state;
    if (memcmp(voters[0].id, voters[1].id, BALLOT_ID_LEN) > 0) {
        lo = 1;
        hi = 0;
    }
    /* sorted: accepted */
    bl[0] = voters[lo].ballot; bls[0] = voters[lo].len;
    bl[1] = voters[hi].ballot; bls[1] = voters[hi].len;
    REFUSED(raw_bundle(bl, bls, 2, NULL, 0, &len), 0, NULL);
    /* unsorted */
    bl[0] = voters[hi].ballot; bls[0] = voters[hi].len;
    bl[1] = voters[lo].ballot; bls[1] = voters[lo].len;
    REFUSED(raw_bundle(bl, bls, 2, NULL, 0, &len), BN_EFORMAT, "unsorted or duplicate");
    /* duplicate */
    bl[1] = voters[hi].ballot; bls[1] = voters[hi].len;
    REFUSED(raw_bundle(bl, bls, 2, NULL, 0, &len), BN_EFORMAT, "unsorted or duplicate");
    /* register entries: sorted, unsorted, duplicate, bad day, bad flag */
    memset(regs, 0, sizeof regs);
    regs[0] = 1;
    regs[BUNDLE_REGISTER_LEN] = 2;
    regs[35] = regs[BUNDLE_REGISTER_LEN + 35] = 5;
    REFUSED(raw_bundle(NULL, NULL, 0, regs, 2, &len), 0, NULL);
    regs[0] = 3;
    REFUSED(raw_bundle(NULL, NULL, 0, regs, 2, &len), BN_EFORMAT, "unsorted or duplicate");
    regs[0] = 2;
    REFUSED(raw_bundle(NULL, NULL, 0, regs, 2, &len), BN_EFORMAT, "unsorted or duplicate");
    regs[0] = 1;
    regs[35] = 0;
    REFUSED(raw_bundle(NULL, NULL, 0, regs, 2, &len), BN_EFORMAT, "day is 0");
    regs[35] = 5;
    regs[36] = 2;
    REFUSED(raw_bundle(NULL, NULL, 0, regs, 2, &len), BN_EFORMAT, "offline flag");
}

/* Closing reports of version 2 have a length each: two reports of one
 * kiosk, 215 and 241 bytes, travel in one bundle, in byte order; a bundle
 * of version 1 is refused with what to do. */
static void test_reports_variable_length(void **state)
{
    static report_t r;
    static uint8_t shortrep[REPORT_MAX_LEN];
    bundle_builder_t *b = NULL;
    uint8_t *out = NULL;
    size_t len = 0, shortlen = 0, l0 = 0, l1 = 0;
    const uint8_t *r0, *r1;
    char why[300] = "";
    bundle_t d;

    (void)state;
    memset(&r, 0, sizeof r);
    strcpy(r.campaign, CAMPAIGN);
    r.opened = TODAY - 10;
    r.closed = TODAY;
    r.registered = r.ballots = N_VOTERS; /* no communes: a store migrated from schema 2 */
    assert_int_equal(report_seal(&r, &ks, shortrep, sizeof shortrep, &shortlen), 0);
    assert_int_equal(shortlen, REPORT_MIN_LEN);
    assert_int_equal(report_len, REPORT_LEN_OF(2));
    assert_int_equal(bundle_new(CAMPAIGN, 3, kcert, kcert_len, &b), 0);
    assert_int_equal(bundle_add_report(b, report, report_len), 0);
    assert_int_equal(bundle_add_report(b, shortrep, shortlen), 0);
    assert_int_equal(bundle_finish(b, &ks, &out, &len), 0);
    bundle_free(b);
    assert_int_equal(len, BUNDLE_HEADER_LEN + kcert_len + 2 + shortlen + 2 + report_len +
                     KEY_SIG_LEN);
    assert_int_equal(bundle_verify(out, len, ca, ca_len, NULL, TODAY, &d, NULL, why, sizeof why),
                     0);
    assert_int_equal(d.n_reports, 2);
    r0 = bundle_report_at(&d, 0, &l0);
    r1 = bundle_report_at(&d, 1, &l1);
    /* byte order: they differ first at m (offset 150), 0 before 2 */
    assert_int_equal(l0, shortlen);
    assert_memory_equal(r0, shortrep, l0);
    assert_int_equal(l1, report_len);
    assert_memory_equal(r1, report, l1);
    /* the report section's lengths are checked */
    out[BUNDLE_HEADER_LEN + kcert_len + 1] ^= 0x01; /* 215 -> 214 */
    assert_int_equal(bundle_decode(out, len, NULL, why, sizeof why), BN_EFORMAT);
    assert_non_null(strstr(why, "report 0 length 214"));
    out[BUNDLE_HEADER_LEN + kcert_len + 1] ^= 0x01;
    out[BUNDLE_HEADER_LEN + kcert_len + 1] ^= 0x02; /* 215 -> 213, version 1's length */
    assert_int_equal(bundle_decode(out, len, NULL, why, sizeof why), BN_EFORMAT);
    out[BUNDLE_HEADER_LEN + kcert_len + 1] ^= 0x02;
    /* version 1: refused, saying what to do */
    out[4] = 1;
    assert_int_equal(bundle_decode(out, len, NULL, why, sizeof why), BN_EFORMAT);
    assert_non_null(strstr(why, "version 1"));
    assert_non_null(strstr(why, "send its outbox again"));
    free(out);
}

/* The builder refuses duplicates, foreign and malformed items, another key. */
static void test_builder(void **state)
{
    bundle_builder_t *b = NULL;
    uint8_t *out = NULL, other[BALLOT_MAX_LEN], bad[REPORT_MAX_LEN];
    size_t len = 0, olen = 0;

    (void)state;
    assert_int_equal(bundle_new(CAMPAIGN, 1, kcert, kcert_len, &b), 0);
    assert_int_equal(bundle_add_ballot(b, voters[0].ballot, voters[0].len), 0);
    assert_int_equal(bundle_add_ballot(b, voters[0].ballot, voters[0].len), 0);
    assert_int_equal(bundle_finish(b, &ks, &out, &len), BN_EEXISTS);
    assert_null(out);
    bundle_free(b);

    assert_int_equal(bundle_new(CAMPAIGN, 1, kcert, kcert_len, &b), 0);
    assert_int_equal(bundle_add_register(b, voters[0].pseudonym, TODAY, 0), 0);
    assert_int_equal(bundle_add_register(b, voters[0].pseudonym, TODAY, 1), 0);
    assert_int_equal(bundle_finish(b, &ks, &out, &len), BN_EEXISTS);
    bundle_free(b);

    assert_int_equal(bundle_new(CAMPAIGN, 1, kcert, kcert_len, &b), 0);
    assert_int_equal(bundle_add_report(b, report, report_len), 0);
    assert_int_equal(bundle_add_report(b, report, report_len), 0);
    assert_int_equal(bundle_finish(b, &ks, &out, &len), BN_EEXISTS);
    bundle_free(b);

    assert_int_equal(bundle_new(CAMPAIGN, 1, kcert, kcert_len, &b), 0);
    make_ballot(&other_campaign, 0, &ks, ks.pub.id, other, &olen, NULL);
    assert_int_equal(bundle_add_ballot(b, other, olen), BN_EINVAL);
    assert_int_equal(bundle_add_ballot(b, voters[0].ballot, voters[0].len - 1), BN_EFORMAT);
    memcpy(bad, report, report_len);
    bad[0] = 'x';
    assert_int_equal(bundle_add_report(b, bad, report_len), BN_EFORMAT);
    assert_int_equal(bundle_add_report(b, report, report_len - 1), BN_EFORMAT);
    assert_int_equal(bundle_add_register(b, voters[0].pseudonym, 0, 0), BN_EINVAL);
    assert_int_equal(bundle_add_register(b, voters[0].pseudonym, TODAY, 2), BN_EINVAL);
    /* signed by a key that is not the certificate's */
    assert_int_equal(bundle_finish(b, &ks2, &out, &len), BN_EWRONGKEY);
    /* an empty bundle is valid */
    assert_int_equal(bundle_finish(b, &ks, &out, &len), 0);
    assert_int_equal(bundle_verify(out, len, ca, ca_len, NULL, TODAY, NULL, NULL, NULL, 0), 0);
    free(out);
    bundle_free(b);

    assert_int_equal(bundle_new("Bad", 1, kcert, kcert_len, &b), BN_EINVAL);
    assert_int_equal(bundle_new("much-too-long-campaign", 1, kcert, kcert_len, &b), BN_EINVAL);
    assert_int_equal(bundle_new(CAMPAIGN, 1, kcert, 0, &b), BN_EINVAL);
    bundle_free(NULL);
}

/* A ballot of another kiosk, a forged ballot, another kiosk's report, and a
 * ballot of another campaign inside an otherwise valid bundle. */
static void test_foreign_items(void **state)
{
    uint8_t other[BALLOT_MAX_LEN], *out = NULL;
    const uint8_t *bl[1];
    size_t olen = 0, len = 0;
    bundle_builder_t *b = NULL;
    char why[256] = "";

    (void)state;
    /* a ballot signed by kiosk 2 */
    make_ballot(&campaign, 1, &ks2, ks2.pub.id, other, &olen, NULL);
    assert_int_equal(bundle_new(CAMPAIGN, 1, kcert, kcert_len, &b), 0);
    assert_int_equal(bundle_add_ballot(b, voters[0].ballot, voters[0].len), 0);
    assert_int_equal(bundle_add_ballot(b, other, olen), 0);
    assert_int_equal(bundle_finish(b, &ks, &out, &len), 0);
    bundle_free(b);
    assert_int_equal(bundle_verify(out, len, ca, ca_len, NULL, TODAY, NULL, NULL, why, sizeof why),
                     BN_EWRONGKEY);
    assert_non_null(strstr(why, "signed by another kiosk"));
    free(out);
    /* a ballot that names kiosk 1 but was signed by kiosk 2 */
    make_ballot(&campaign, 2, &ks2, ks.pub.id, other, &olen, NULL);
    assert_int_equal(bundle_new(CAMPAIGN, 1, kcert, kcert_len, &b), 0);
    assert_int_equal(bundle_add_ballot(b, other, olen), 0);
    assert_int_equal(bundle_finish(b, &ks, &out, &len), 0);
    bundle_free(b);
    assert_int_equal(bundle_verify(out, len, ca, ca_len, NULL, TODAY, NULL, NULL, why, sizeof why),
                     BN_EBADSIG);
    assert_non_null(strstr(why, "ballot 0"));
    free(out);
    /* another kiosk's report */
    assert_int_equal(bundle_new(CAMPAIGN, 1, kcert, kcert_len, &b), 0);
    assert_int_equal(bundle_add_report(b, report2, report2_len), 0);
    assert_int_equal(bundle_finish(b, &ks, &out, &len), 0);
    bundle_free(b);
    assert_int_equal(bundle_verify(out, len, ca, ca_len, NULL, TODAY, NULL, NULL, why, sizeof why),
                     BN_EWRONGKEY);
    assert_non_null(strstr(why, "report 0"));
    free(out);
    /* a ballot of another campaign, put in by hand */
    make_ballot(&other_campaign, 0, &ks, ks.pub.id, other, &olen, NULL);
    bl[0] = other;
    out = raw_bundle(bl, &olen, 1, NULL, 0, &len);
    expect_refused(out, len, BN_EFORMAT, "is of campaign other, not bp-2026");
}

/* --- petition signatures ------------------------------------------------------ */

static int signer_of_id(const uint8_t *id)
{
    int i;

    for (i = 0; i < N_SIGNERS; i++)
        if (memcmp(signers[i].rec + PETITION_OFF_ID, id, PETITION_ID_LEN) == 0)
            return i;
    return -1;
}

/* (BUNDLE-B3) Round trip with signatures: each once, sorted by signature id, each
 * verifying with the certificate's key and opening with the authority's. */
static void test_signatures_round_trip(void **state)
{
    size_t len = 0;
    uint8_t *buf = small_s(3, 3, N_SIGNERS, 1, &len);
    int seen[N_SIGNERS] = {0}, v, order_kept = 1;
    petition_identity_t who;
    uint32_t i;
    bundle_t b;
    char why[256] = "";

    (void)state;
    assert_int_equal(bundle_verify(buf, len, ca, ca_len, NULL, TODAY, &b, NULL, why, sizeof why),
                     0);
    assert_int_equal(b.n_ballots, 3);
    assert_int_equal(b.n_register, 3);
    assert_int_equal(b.n_signatures, N_SIGNERS);
    assert_int_equal(b.n_reports, 1);
    assert_int_equal(len, BUNDLE_HEADER_LEN + kcert_len + 3 * 2 + voters[0].len + voters[1].len +
                     voters[2].len + 3 * BUNDLE_REGISTER_LEN + N_SIGNERS * PETITION_LEN +
                     2 + report_len + KEY_SIG_LEN);
    for (i = 0; i < b.n_signatures; i++) {
        const uint8_t *r = bundle_signature_at(&b, i);

        v = signer_of_id(r + PETITION_OFF_ID);
        assert_true(v >= 0 && !seen[v]);
        seen[v] = 1;
        order_kept &= v == (int)(N_SIGNERS - 1 - i); /* added in reverse */
        assert_memory_equal(r, signers[v].rec, PETITION_LEN);
        assert_int_equal(petition_verify(r, PETITION_LEN, &ks.pub), 0);
        if (i > 0)
            assert_true(memcmp(r - PETITION_LEN + PETITION_OFF_ID, r + PETITION_OFF_ID,
                               PETITION_ID_LEN) < 0);
    }
    assert_false(order_kept);
    assert_int_equal(petition_decrypt(bundle_signature_at(&b, 0), PETITION_LEN, auth, &who, why,
                                      sizeof why), 0);
    assert_memory_equal(who.last_name, "Signataire ", 11);
    {
        size_t rl = 0;
        const uint8_t *rp = bundle_report_at(&b, 0, &rl);

        assert_int_equal(rl, report_len);
        assert_memory_equal(rp, report, rl);
    }
    free(buf);
}

static void test_signatures_refused(void **state)
{
    bundle_builder_t *b = NULL;
    uint8_t *out = NULL, other[PETITION_LEN], ps[32], bad[PETITION_LEN];
    size_t len = 0;
    char why[256] = "";

    (void)state;
    /* builder: duplicate, another campaign, malformed */
    assert_int_equal(bundle_new(CAMPAIGN, 1, kcert, kcert_len, &b), 0);
    assert_int_equal(bundle_add_signature(b, signers[0].rec, PETITION_LEN), 0);
    assert_int_equal(bundle_add_signature(b, signers[0].rec, PETITION_LEN), 0);
    assert_int_equal(bundle_finish(b, &ks, &out, &len), BN_EEXISTS);
    assert_null(out);
    bundle_free(b);
    make_signature(&other_petition, 0, &ks, ks.pub.id, ps, other);
    assert_int_equal(bundle_new(CAMPAIGN, 1, kcert, kcert_len, &b), 0);
    assert_int_equal(bundle_add_signature(b, other, PETITION_LEN), BN_EINVAL);
    assert_int_equal(bundle_add_signature(b, signers[0].rec, PETITION_LEN - 1), BN_EFORMAT);
    memcpy(bad, signers[0].rec, PETITION_LEN);
    bad[5] = 7;
    assert_int_equal(bundle_add_signature(b, bad, PETITION_LEN), BN_EFORMAT);
    bundle_free(b);
    /* a signature of kiosk 2 in kiosk 1's bundle */
    make_signature(&petition, 1, &ks2, ks2.pub.id, ps, other);
    assert_int_equal(bundle_new(CAMPAIGN, 1, kcert, kcert_len, &b), 0);
    assert_int_equal(bundle_add_signature(b, other, PETITION_LEN), 0);
    assert_int_equal(bundle_finish(b, &ks, &out, &len), 0);
    bundle_free(b);
    assert_int_equal(bundle_verify(out, len, ca, ca_len, NULL, TODAY, NULL, NULL, why, sizeof why),
                     BN_EWRONGKEY);
    assert_non_null(strstr(why, "signature 0"));
    assert_non_null(strstr(why, "signed by another kiosk"));
    free(out);
    /* one naming kiosk 1, signed by kiosk 2 */
    make_signature(&petition, 2, &ks2, ks.pub.id, ps, other);
    assert_int_equal(bundle_new(CAMPAIGN, 1, kcert, kcert_len, &b), 0);
    assert_int_equal(bundle_add_signature(b, signers[1].rec, PETITION_LEN), 0);
    assert_int_equal(bundle_add_signature(b, other, PETITION_LEN), 0);
    assert_int_equal(bundle_finish(b, &ks, &out, &len), 0);
    bundle_free(b);
    assert_int_equal(bundle_verify(out, len, ca, ca_len, NULL, TODAY, NULL, NULL, why, sizeof why),
                     BN_EBADSIG);
    assert_non_null(strstr(why, "signature does not match"));
    free(out);
    /* unsorted and duplicate signatures, correctly signed, are refused */
    out = small_s(0, 0, 2, 0, &len);
    {
        uint8_t *s0 = out + len - KEY_SIG_LEN - 2 * PETITION_LEN, tmp[PETITION_LEN];

        memcpy(tmp, s0, PETITION_LEN);
        memcpy(s0, s0 + PETITION_LEN, PETITION_LEN);
        memcpy(s0 + PETITION_LEN, tmp, PETITION_LEN);
        assert_int_equal(key_sign_msg(&ks, out, len - KEY_SIG_LEN, out + len - KEY_SIG_LEN), 0);
        assert_int_equal(bundle_decode(out, len, NULL, why, sizeof why), BN_EFORMAT);
        assert_non_null(strstr(why, "unsorted or duplicate"));
        memcpy(s0, s0 + PETITION_LEN, PETITION_LEN);
        assert_int_equal(key_sign_msg(&ks, out, len - KEY_SIG_LEN, out + len - KEY_SIG_LEN), 0);
        assert_int_equal(bundle_decode(out, len, NULL, why, sizeof why), BN_EFORMAT);
        assert_non_null(strstr(why, "unsorted or duplicate"));
        /* a count that does not match the bytes */
        memcpy(s0, tmp, PETITION_LEN);
        out[46] = 3;
        assert_int_equal(bundle_decode(out, len, NULL, why, sizeof why), BN_EFORMAT);
        out[46] = 1;
        assert_int_equal(bundle_decode(out, len, NULL, why, sizeof why), BN_EFORMAT);
    }
    free(out);
}

/* A store's outbox with ballots and signatures of one campaign: every item
 * travels once, and is marked synced by outbox_done. */
static void test_outbox_signatures(void **state)
{
    char *dir = tu_tmpdir("bundle-sig"), *path = tu_path(dir, "kiosk.db"), why[256] = "";
    uint8_t secret[32] = {7}, *buf = NULL;
    int seen[N_SIGNERS] = {0}, i, total = 0;
    store_t *s = NULL;
    size_t len = 0, n = 0;
    int64_t left = -1;
    uint32_t k;
    bundle_t b;

    (void)state;
    assert_int_equal(store_open(path, &s, why, sizeof why), 0);
    assert_int_equal(store_put_campaign(s, CAMPAIGN, (const uint8_t *)"pkg", 3, secret), 0);
    for (i = 0; i < N_SIGNERS; i++) {
        store_sign_t c;

        memset(&c, 0, sizeof c);
        c.campaign = CAMPAIGN;
        memcpy(c.pseudonym, signers[i].pseudonym, 32);
        c.day = TODAY;
        c.offline = 1;
        c.sig_id = signers[i].rec + PETITION_OFF_ID;
        c.record = signers[i].rec;
        c.record_len = PETITION_LEN;
        assert_int_equal(store_sign(s, &c), 0);
    }
    for (i = 0;; i++) {
        assert_int_equal(outbox_bundle(s, CAMPAIGN, OUTBOX_PARTICIPATION, 1 + (uint64_t)i, kcert,
                                       kcert_len, &ks, 5, &buf, &len, &n), 0);
        if (n == 0) {
            free(buf);
            break;
        }
        assert_int_equal(bundle_verify(buf, len, ca, ca_len, NULL, TODAY, &b, NULL, why,
                                       sizeof why), 0);
        assert_int_equal(b.n_signatures, n);
        assert_int_equal(b.n_ballots + b.n_register, 0);
        for (k = 0; k < b.n_signatures; k++) {
            int v = signer_of_id(bundle_signature_at(&b, k) + PETITION_OFF_ID);

            assert_true(v >= 0 && !seen[v]);
            seen[v] = 1;
            total++;
        }
        assert_int_equal(outbox_done(s, &b), 0);
        free(buf);
    }
    assert_int_equal(total, N_SIGNERS);
    assert_int_equal(i, (N_SIGNERS + 4) / 5);
    assert_int_equal(store_outbox_count(s, &left), 0);
    assert_int_equal(left, 0);
    store_close(s);
    tu_rmtree(dir);
    free(path);
    free(dir);
}

/* The kiosk: revoked, expired, not yet valid, of another authority, a server. */
static void test_kiosk_refused(void **state)
{
    uint8_t *buf, *list = NULL, ids[2 * KEY_ID_LEN], cert[CERT_DER_MAX], *out = NULL;
    size_t len = 0, llen = 0, clen = 0;
    cert_revoked_t r;
    bundle_builder_t *b = NULL;
    char why[256] = "";

    (void)state;
    buf = small(2, 2, 0, &len);
    /* revoked */
    memcpy(ids, ks2.pub.id, KEY_ID_LEN);
    memcpy(ids + KEY_ID_LEN, ks.pub.id, KEY_ID_LEN);
    assert_int_equal(cert_revoke_sign(&as, TODAY, 1, ids, 1, &list, &llen), 0);
    assert_int_equal(cert_revoke_open(list, llen, &as.pub, &r, NULL, 0), 0);
    assert_int_equal(bundle_verify(buf, len, ca, ca_len, &r, TODAY, NULL, NULL, why, sizeof why), 0);
    free(list);
    assert_int_equal(cert_revoke_sign(&as, TODAY, 2, ids, 2, &list, &llen), 0);
    assert_int_equal(cert_revoke_open(list, llen, &as.pub, &r, NULL, 0), 0);
    assert_int_equal(bundle_verify(buf, len, ca, ca_len, &r, TODAY, NULL, NULL, why, sizeof why),
                     BN_EREVOKED);
    assert_non_null(strstr(why, "kiosk-35238-01"));
    assert_non_null(strstr(why, "is revoked"));
    free(list);
    /* a list of another authority is not taken for this one's */
    {
        signer_t as2;

        key_signer(auth2, &as2);
        assert_int_equal(cert_revoke_sign(&as2, TODAY, 1, ids, 1, &list, &llen), 0);
        assert_int_equal(cert_revoke_open(list, llen, &as2.pub, &r, NULL, 0), 0);
        assert_int_equal(bundle_verify(buf, len, ca, ca_len, &r, TODAY, NULL, NULL, why,
                                       sizeof why), BN_EINVAL);
        free(list);
    }
    /* the kiosk's certificate, checked on another day */
    assert_int_equal(bundle_verify(buf, len, ca, ca_len, NULL, UNTIL + 1, NULL, NULL, why,
                                   sizeof why), BN_EEXPIRED);
    assert_int_equal(bundle_verify(buf, len, ca, ca_len, NULL, FROM - 1, NULL, NULL, why,
                                   sizeof why), BN_ENOTYET);
    /* another authority */
    assert_int_equal(bundle_verify(buf, len, ca2, ca2_len, NULL, TODAY, NULL, NULL, why,
                                   sizeof why), BN_EWRONGKEY);
    free(buf);
    /* an expired certificate (valid 2026-01-01 .. 2026-01-31) */
    issue(auth, ca, ca_len, kiosk, CERT_KIOSK, "kiosk-35238-01", FROM, FROM + 30, cert, &clen);
    assert_int_equal(bundle_new(CAMPAIGN, 1, cert, clen, &b), 0);
    assert_int_equal(bundle_add_ballot(b, voters[0].ballot, voters[0].len), 0);
    assert_int_equal(bundle_finish(b, &ks, &out, &len), 0);
    bundle_free(b);
    assert_int_equal(bundle_verify(out, len, ca, ca_len, NULL, TODAY, NULL, NULL, why, sizeof why),
                     BN_EEXPIRED);
    assert_non_null(strstr(why, "expired after 2026-01-31"));
    assert_int_equal(bundle_verify(out, len, ca, ca_len, NULL, FROM + 30, NULL, NULL, why,
                                   sizeof why), 0);
    free(out);
    /* a server certificate cannot sign bundles */
    issue(auth, ca, ca_len, kiosk, CERT_SERVER, "borne.example", FROM, UNTIL, cert, &clen);
    assert_int_equal(bundle_new(CAMPAIGN, 1, cert, clen, &b), 0);
    assert_int_equal(bundle_finish(b, &ks, &out, &len), 0);
    bundle_free(b);
    assert_int_equal(bundle_verify(out, len, ca, ca_len, NULL, TODAY, NULL, NULL, why, sizeof why),
                     BN_EKEY);
    free(out);
}

/* Header rules of the decoder. */
static void test_header(void **state)
{
    size_t len = 0;
    uint8_t *buf = small(1, 1, 0, &len), *c = malloc(len);
    char why[256];

    (void)state;
    assert_non_null(c);
#define CASE(off, val, code)                                                      \
    do {                                                                          \
        memcpy(c, buf, len);                                                      \
        c[off] = (uint8_t)(val);                                                  \
        assert_int_equal(key_sign_msg(&ks, c, len - 64, c + len - 64), 0);        \
        assert_int_equal(bundle_decode(c, len, NULL, why, sizeof why), code);     \
    } while (0)
    CASE(0, 'b', BN_EFORMAT);        /* magic */
    CASE(4, 1, BN_EFORMAT);          /* version 1: reports without lengths */
    CASE(4, 3, BN_ETOOBIG);          /* version 3: the count of ideas is the DER certificate's 30 82.. */
    CASE(4, 4, BN_EFORMAT);          /* version */
    CASE(5, 'B', BN_EFORMAT);        /* campaign token */
    CASE(20, 1, BN_EFORMAT);         /* campaign padding */
    CASE(29, 0x10, BN_EFORMAT);      /* certificate length > 2048 */
    CASE(31, 1, BN_ETOOBIG);         /* 2^24 ballots */
    CASE(42, BUNDLE_MAX_REPORTS + 1, BN_ETOOBIG);
    CASE(34, 2, BN_EFORMAT);         /* two ballots announced, one there */
    CASE(38, 0, BN_EFORMAT);         /* no register entry announced: 37 bytes left over */
#undef CASE
    memcpy(c, buf, len);
    c[29] = c[30] = 0;
    assert_int_equal(bundle_decode(c, len, NULL, why, sizeof why), BN_EFORMAT);
    free(c);
    free(buf);
}

/* --- the outbox of a real store -------------------------------------------- */

static store_t *cast_all(const char *dir)
{
    char *path = tu_path(dir, "kiosk.db"), why[256] = "";
    uint8_t secret[32] = {7}, ob[BALLOT_MAX_LEN], oid[BALLOT_ID_LEN], op[32];
    size_t olen = 0;
    store_t *s = NULL;
    store_cast_t c;
    int i;

    assert_int_equal(store_open(path, &s, why, sizeof why), 0);
    assert_int_equal(store_put_campaign(s, CAMPAIGN, (const uint8_t *)"pkg", 3, secret), 0);
    assert_int_equal(store_put_campaign(s, "other", (const uint8_t *)"pkg", 3, secret), 0);
    for (i = 0; i < N_VOTERS; i++) {
        memset(&c, 0, sizeof c);
        c.campaign = CAMPAIGN;
        memcpy(c.pseudonym, voters[i].pseudonym, 32);
        c.day = TODAY - (uint32_t)i % 3;
        c.offline = i % 2;
        c.ballot_id = voters[i].id;
        c.ballot = voters[i].ballot;
        c.ballot_len = voters[i].len;
        c.commune = "35238";
        assert_int_equal(store_cast(s, &c), 0);
    }
    /* three casts in another campaign, which no bundle of CAMPAIGN carries */
    for (i = 0; i < 3; i++) {
        make_ballot(&other_campaign, i, &ks, ks.pub.id, ob, &olen, oid);
        assert_int_equal(rng_bytes(rng, op, 32), 0);
        memset(&c, 0, sizeof c);
        c.campaign = "other";
        memcpy(c.pseudonym, op, 32);
        c.day = TODAY;
        c.ballot_id = oid;
        c.ballot = ob;
        c.ballot_len = olen;
        c.commune = "35238";
        assert_int_equal(store_cast(s, &c), 0);
    }
    free(path);
    return s;
}

static void check_outbox_bundle(const uint8_t *buf, size_t len, int *seen_b, int *seen_r,
                                bundle_t *b)
{
    const uint8_t *ballot;
    size_t pos = 0, blen;
    bundle_reg_t e;
    uint32_t i;
    int v;
    char why[256] = "";

    assert_int_equal(bundle_verify(buf, len, ca, ca_len, NULL, TODAY, b, NULL, why, sizeof why), 0);
    while (bundle_next_ballot(b, &pos, &ballot, &blen)) {
        v = voter_of_id(ballot + BALLOT_OFF_ID);
        assert_true(v >= 0);
        assert_int_equal(seen_b[v], 0);
        seen_b[v] = 1;
        assert_int_equal(blen, voters[v].len);
        assert_memory_equal(ballot, voters[v].ballot, blen);
    }
    for (i = 0; i < b->n_register; i++) {
        bundle_register_at(b, i, &e);
        v = voter_of_pseudonym(e.pseudonym);
        assert_true(v >= 0);
        assert_int_equal(seen_r[v], 0);
        seen_r[v] = 1;
        assert_int_equal(e.day, TODAY - (uint32_t)v % 3);
        assert_int_equal(e.offline, v % 2);
    }
}

static void test_outbox(void **state)
{
    char *dir = tu_tmpdir("bundle");
    store_t *s = cast_all(dir);
    int seen_b[N_VOTERS] = {0}, seen_r[N_VOTERS] = {0}, i;
    uint8_t *buf = NULL;
    size_t len = 0, n = 0;
    int64_t left = 0;
    bundle_t b;

    (void)state;
    /* (SYNC-Y4) all of it at once, in two bundles: who took part, then the
     * ballots; never a register entry and a ballot in one bundle */
    assert_int_equal(outbox_bundle(s, CAMPAIGN, OUTBOX_PARTICIPATION, 1, kcert, kcert_len, &ks,
                                   1000, &buf, &len, &n), 0);
    assert_int_equal(n, N_VOTERS);
    check_outbox_bundle(buf, len, seen_b, seen_r, &b);
    assert_int_equal(b.n_ballots, 0);
    assert_int_equal(b.n_register, N_VOTERS);
    assert_int_equal(b.seq, 1);
    /* (STORE-S9) the voters' commune (35238, counted in the store's turnout) is in
     * no register entry of the bundle: pseudonym, day, offline flag only */
    assert_int_equal(BUNDLE_REGISTER_LEN, 32 + 4 + 1);
    for (i = 0; i < N_VOTERS; i++) {
        const uint8_t *e = b.registers + (size_t)i * BUNDLE_REGISTER_LEN;
        size_t k;

        for (k = 0; k + 5 <= BUNDLE_REGISTER_LEN; k++)
            if (memcmp(e + k, "35238", 5) == 0)
                fail_msg("(STORE-S9) register entry %d of the bundle holds the commune", i);
    }
    free(buf);
    assert_int_equal(outbox_bundle(s, CAMPAIGN, OUTBOX_BALLOTS, 2, kcert, kcert_len, &ks, 1000,
                                   &buf, &len, &n), 0);
    assert_int_equal(n, N_VOTERS);
    check_outbox_bundle(buf, len, seen_b, seen_r, &b);
    assert_int_equal(b.n_ballots, N_VOTERS);
    assert_int_equal(b.n_register, 0);
    for (i = 0; i < N_VOTERS; i++)
        assert_true(seen_b[i] && seen_r[i]);
    free(buf);
    assert_int_equal(outbox_bundle(s, CAMPAIGN, 3, 2, kcert, kcert_len, &ks, 1000, &buf, &len,
                                   &n), BN_EINVAL);

    /* in batches of 25, marked synced after each: every item exactly once,
     * each bundle of one part */
    memset(seen_b, 0, sizeof seen_b);
    memset(seen_r, 0, sizeof seen_r);
    {
        int part, bundles = 0;

        for (part = OUTBOX_PARTICIPATION; part <= OUTBOX_BALLOTS; part++)
            for (i = 0;; i++) {
                assert_int_equal(outbox_bundle(s, CAMPAIGN, (outbox_part_t)part,
                                               10 + (uint64_t)bundles, kcert, kcert_len, &ks, 25,
                                               &buf, &len, &n), 0);
                if (n == 0) {
                    /* still a valid, empty bundle */
                    assert_int_equal(bundle_verify(buf, len, ca, ca_len, NULL, TODAY, &b, NULL,
                                                   NULL, 0), 0);
                    assert_int_equal(b.n_ballots + b.n_register, 0);
                    free(buf);
                    break;
                }
                assert_true(n <= 25);
                check_outbox_bundle(buf, len, seen_b, seen_r, &b);
                assert_int_equal(b.n_ballots + b.n_register, n);
                assert_int_equal(part == OUTBOX_BALLOTS ? b.n_register : b.n_ballots, 0);
                assert_int_equal(outbox_done(s, &b), 0);
                free(buf);
                bundles++;
            }
        assert_int_equal(bundles, 2 * ((N_VOTERS + 24) / 25));
    }
    for (i = 0; i < N_VOTERS; i++)
        assert_true(seen_b[i] && seen_r[i]);
    /* the other campaign's six items are still waiting */
    assert_int_equal(store_outbox_count(s, &left), 0);
    assert_int_equal(left, 6);
    assert_int_equal(outbox_bundle(s, "other", OUTBOX_PARTICIPATION, 1, kcert, kcert_len, &ks,
                                   100, &buf, &len, &n), 0);
    assert_int_equal(n, 3);
    free(buf);
    assert_int_equal(outbox_bundle(s, "other", OUTBOX_BALLOTS, 1, kcert, kcert_len, &ks, 100,
                                   &buf, &len, &n), 0);
    assert_int_equal(n, 3);
    free(buf);
    /* a signer that is not the certificate's */
    assert_int_equal(outbox_bundle(s, "other", OUTBOX_BALLOTS, 1, kcert, kcert_len, &ks2, 100,
                                   &buf, &len, &n), BN_EWRONGKEY);
    store_close(s);
    tu_rmtree(dir);
    free(dir);
}

/* --- vectors and fuzz seeds --------------------------------------------------- */

static void put_seed(const char *name, const uint8_t *data, size_t len)
{
    char rel[128];
    char *path;

    snprintf(rel, sizeof rel, "../fuzz/corpus/fuzz_bundle/%s", name);
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

/* tests/vectors/bundle/vectors.txt: an authority, a kiosk certificate and a
 * small bundle (one ballot, one register entry, one report), all from fixed
 * seeds, so another implementation can check its decoder and verifier. */
static int idea_of_id(const uint8_t *id)
{
    int i;

    for (i = 0; i < N_IDEAS; i++)
        if (memcmp(ideas[i].rec + IDEA_OFF_ID, id, IDEA_ID_LEN) == 0)
            return i;
    return -1;
}

/* A bundle of signatures [0, ns) and ideas [0, ni), added in reverse. */
static uint8_t *small_i(int ns, int ni, size_t *len)
{
    bundle_builder_t *b = NULL;
    uint8_t *out = NULL;
    int i;

    assert_int_equal(bundle_new(CAMPAIGN, 9, kcert, kcert_len, &b), 0);
    for (i = ns - 1; i >= 0; i--)
        assert_int_equal(bundle_add_signature(b, signers[i].rec, PETITION_LEN), 0);
    for (i = ni - 1; i >= 0; i--)
        assert_int_equal(bundle_add_idea(b, ideas[i].rec, ideas[i].len), 0);
    assert_int_equal(bundle_finish(b, &ks, &out, len), 0);
    bundle_free(b);
    return out;
}

/* (BUNDLE-B4) Version 3: ideas travel once each, in the order of their random
 * ids, each verifying with the kiosk's key; a bundle without ideas stays
 * version 2, byte for byte; every bit of a small version 3 bundle counts. */
static void test_ideas_round_trip(void **state)
{
    size_t len = 0, l2 = 0, total = 0, il;
    uint8_t *buf = small_i(2, N_IDEAS, &len), *v2 = small_i(2, 0, &l2);
    int seen[N_IDEAS] = {0}, order_kept = 1, v;
    uint32_t i;
    bundle_t b;
    char why[256] = "";
    size_t bit, refused = 0;

    (void)state;
    assert_int_equal(buf[4], BUNDLE_VERSION_IDEAS);
    assert_int_equal(v2[4], BUNDLE_VERSION);
    assert_int_equal(bundle_verify(v2, l2, ca, ca_len, NULL, TODAY, &b, NULL, why, sizeof why), 0);
    assert_int_equal(b.version, 2);
    assert_int_equal(b.n_ideas, 0);
    assert_int_equal(bundle_verify(buf, len, ca, ca_len, NULL, TODAY, &b, NULL, why, sizeof why),
                     0);
    assert_int_equal(b.version, 3);
    assert_int_equal(b.n_signatures, 2);
    assert_int_equal(b.n_ideas, N_IDEAS);
    for (i = 0; i < N_IDEAS; i++)
        total += 2 + ideas[i].len;
    assert_int_equal(len, BUNDLE_HEADER_LEN_V3 + kcert_len + 2 * PETITION_LEN + total +
                     KEY_SIG_LEN);
    for (i = 0; i < b.n_ideas; i++) {
        const uint8_t *r = bundle_idea_at(&b, i, &il);

        v = idea_of_id(r + IDEA_OFF_ID);
        assert_true(v >= 0 && !seen[v]);
        seen[v] = 1;
        order_kept &= v == (int)(N_IDEAS - 1 - i);
        assert_int_equal(il, ideas[v].len);
        assert_memory_equal(r, ideas[v].rec, il);
        assert_int_equal(idea_verify(r, il, &ks.pub), 0);
        if (i > 0) {
            size_t pl;
            const uint8_t *q = bundle_idea_at(&b, i - 1, &pl);

            assert_true(memcmp(q + IDEA_OFF_ID, r + IDEA_OFF_ID, IDEA_ID_LEN) < 0);
        }
    }
    assert_false(order_kept);
    free(buf);
    /* every single-bit change of a one-idea version 3 bundle is refused */
    buf = small_i(0, 1, &len);
    for (bit = 0; bit < len * 8; bit++) {
        buf[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        refused += bundle_verify(buf, len, ca, ca_len, NULL, TODAY, NULL, NULL, why,
                                 sizeof why) != 0;
        buf[bit / 8] ^= (uint8_t)(1u << (bit % 8));
    }
    assert_int_equal(refused, len * 8);
    free(buf);
    free(v2);
}

/* Ideas that do not belong: another campaign, another kiosk, a duplicate,
 * unsorted, a version 3 header with no idea, counts that lie. */
static void test_ideas_refused(void **state)
{
    bundle_builder_t *b = NULL;
    uint8_t *out = NULL, other[IDEA_MAX_LEN];
    size_t len = 0, olen = 0;
    char why[256] = "";

    (void)state;
    assert_int_equal(bundle_new(CAMPAIGN, 1, kcert, kcert_len, &b), 0);
    assert_int_equal(bundle_add_idea(b, ideas[0].rec, ideas[0].len), 0);
    assert_int_equal(bundle_add_idea(b, ideas[0].rec, ideas[0].len), 0);
    assert_int_equal(bundle_finish(b, &ks, &out, &len), BN_EEXISTS);
    assert_null(out);
    bundle_free(b);
    make_idea("other", 0, &ks, ks.pub.id, other, &olen);
    assert_int_equal(bundle_new(CAMPAIGN, 1, kcert, kcert_len, &b), 0);
    assert_int_equal(bundle_add_idea(b, other, olen), BN_EINVAL);
    assert_int_equal(bundle_add_idea(b, ideas[0].rec, ideas[0].len - 1), BN_EFORMAT);
    bundle_free(b);
    /* an idea of kiosk 2 in kiosk 1's bundle; one naming kiosk 1 signed by kiosk 2 */
    make_idea(CAMPAIGN, 3, &ks2, ks2.pub.id, other, &olen);
    assert_int_equal(bundle_new(CAMPAIGN, 1, kcert, kcert_len, &b), 0);
    assert_int_equal(bundle_add_idea(b, other, olen), 0);
    assert_int_equal(bundle_finish(b, &ks, &out, &len), 0);
    bundle_free(b);
    assert_int_equal(bundle_verify(out, len, ca, ca_len, NULL, TODAY, NULL, NULL, why, sizeof why),
                     BN_EWRONGKEY);
    assert_non_null(strstr(why, "idea 0 (id "));
    free(out);
    make_idea(CAMPAIGN, 4, &ks2, ks.pub.id, other, &olen);
    assert_int_equal(bundle_new(CAMPAIGN, 1, kcert, kcert_len, &b), 0);
    assert_int_equal(bundle_add_idea(b, other, olen), 0);
    assert_int_equal(bundle_finish(b, &ks, &out, &len), 0);
    bundle_free(b);
    assert_int_equal(bundle_verify(out, len, ca, ca_len, NULL, TODAY, NULL, NULL, why, sizeof why),
                     BN_EBADSIG);
    assert_non_null(strstr(why, "signature does not match"));
    free(out);
    /* two ideas swapped, correctly signed */
    {
        uint8_t *p0, *tmp;
        size_t l0, l1;
        bundle_t d;

        out = small_i(0, 2, &len);
        assert_int_equal(bundle_decode(out, len, &d, why, sizeof why), 0);
        p0 = (uint8_t *)bundle_idea_at(&d, 0, &l0) - 2;
        bundle_idea_at(&d, 1, &l1);
        tmp = malloc(4 + l0 + l1);
        assert_non_null(tmp);
        memcpy(tmp, p0 + 2 + l0, 2 + l1);
        memcpy(tmp + 2 + l1, p0, 2 + l0);
        memcpy(p0, tmp, 4 + l0 + l1);
        free(tmp);
        assert_int_equal(key_sign_msg(&ks, out, len - KEY_SIG_LEN, out + len - KEY_SIG_LEN), 0);
        assert_int_equal(bundle_decode(out, len, NULL, why, sizeof why), BN_EFORMAT);
        assert_non_null(strstr(why, "idea 1: id not above"));
        /* counts that lie */
        out[50] = 3;
        assert_int_equal(key_sign_msg(&ks, out, len - KEY_SIG_LEN, out + len - KEY_SIG_LEN), 0);
        assert_int_equal(bundle_decode(out, len, NULL, why, sizeof why), BN_EFORMAT);
        out[50] = 0;
        assert_int_equal(key_sign_msg(&ks, out, len - KEY_SIG_LEN, out + len - KEY_SIG_LEN), 0);
        assert_int_equal(bundle_decode(out, len, NULL, why, sizeof why), BN_EFORMAT);
        assert_non_null(strstr(why, "version 3 with no idea"));
        free(out);
    }
}

/* A store's ideas go with the participation part (BUNDLE-B4, SYNC-Y4), never
 * with ballots; each once; marked synced by outbox_done; all again after a
 * restart (STORE-S12). */
static void test_outbox_ideas(void **state)
{
    char *dir = tu_tmpdir("bundle-idea"), *path = tu_path(dir, "kiosk.db"), why[256] = "";
    uint8_t secret[32] = {7}, *buf = NULL;
    int seen[N_IDEAS] = {0}, i, total = 0;
    store_t *s = NULL;
    size_t len = 0, n = 0;
    int64_t left = -1;
    uint32_t k;
    bundle_t b;

    (void)state;
    assert_int_equal(store_open(path, &s, why, sizeof why), 0);
    assert_int_equal(store_put_campaign(s, CAMPAIGN, (const uint8_t *)"pkg", 3, secret), 0);
    for (i = 0; i < N_IDEAS; i++) {
        store_idea_t c;

        memset(&c, 0, sizeof c);
        c.campaign = CAMPAIGN;
        memcpy(c.pseudonym, ideas[i].rec + IDEA_OFF_PSEUDONYM, PSEUD_LEN);
        c.idea_id = ideas[i].rec + IDEA_OFF_ID;
        c.record = ideas[i].rec;
        c.record_len = ideas[i].len;
        c.max_per_person = 3;
        assert_int_equal(store_propose(s, &c), 0);
    }
    assert_int_equal(outbox_bundle(s, CAMPAIGN, OUTBOX_BALLOTS, 1, kcert, kcert_len, &ks, 100,
                                   &buf, &len, &n), 0);
    assert_int_equal(n, 0);
    free(buf);
    for (i = 0;; i++) {
        assert_int_equal(outbox_bundle(s, CAMPAIGN, OUTBOX_PARTICIPATION, 2 + (uint64_t)i, kcert,
                                       kcert_len, &ks, 4, &buf, &len, &n), 0);
        if (n == 0) {
            free(buf);
            break;
        }
        assert_int_equal(bundle_verify(buf, len, ca, ca_len, NULL, TODAY, &b, NULL, why,
                                       sizeof why), 0);
        assert_int_equal(b.n_ideas, n);
        for (k = 0; k < b.n_ideas; k++) {
            int v = idea_of_id(bundle_idea_at(&b, k, NULL) + IDEA_OFF_ID);

            assert_true(v >= 0 && !seen[v]);
            seen[v] = 1;
            total++;
        }
        assert_int_equal(outbox_done(s, &b), 0);
        free(buf);
    }
    assert_int_equal(total, N_IDEAS);
    assert_int_equal(store_outbox_count(s, &left), 0);
    assert_int_equal(left, 0);
    store_close(s);
    assert_int_equal(store_open(path, &s, why, sizeof why), 0);
    assert_int_equal(store_outbox_count(s, &left), 0);
    assert_int_equal(left, N_IDEAS);
    store_close(s);
    tu_rmtree(dir);
    free(path);
    free(dir);
}

/* A free text of the test campaign, signed by s (naming kid). */
static size_t make_text(int i, const signer_t *s, const uint8_t *kid, uint8_t *out)
{
    qtext_t t;
    size_t len = 0;

    memset(&t, 0, sizeof t);
    t.day = TODAY;
    assert_int_equal(rng_bytes(rng, t.id, QTEXT_ID_LEN), 0);
    memcpy(t.kiosk, kid, KEY_ID_LEN);
    strcpy(t.campaign, CAMPAIGN);
    strcpy(t.territory, "rennes");
    strcpy(t.question, "idee");
    snprintf(t.text, sizeof t.text, "Texte libre numéro %d : des cars le soir.", i);
    assert_int_equal(qtext_seal(&t, s, out, QTEXT_MAX_LEN, &len), 0);
    return len;
}

/* (BUNDLE-B4) Free texts: version 3, in the order of their random ids, each
 * verified; one of another kiosk, or altered, refused; in a store's outbox
 * they go with the ballots, never with who took part. */
static void test_texts(void **state)
{
    static uint8_t t[4][QTEXT_MAX_LEN];
    size_t tl[4], len = 0, k;
    bundle_builder_t *b = NULL;
    uint8_t *out = NULL;
    bundle_t d;
    char why[256] = "";
    int i;

    (void)state;
    for (i = 0; i < 3; i++)
        tl[i] = make_text(i, &ks, ks.pub.id, t[i]);
    assert_int_equal(bundle_new(CAMPAIGN, 3, kcert, kcert_len, &b), 0);
    assert_int_equal(bundle_add_ballot(b, voters[0].ballot, voters[0].len), 0);
    for (i = 2; i >= 0; i--)
        assert_int_equal(bundle_add_text(b, t[i], tl[i]), 0);
    assert_int_equal(bundle_finish(b, &ks, &out, &len), 0);
    bundle_free(b);
    assert_int_equal(out[4], BUNDLE_VERSION_IDEAS);
    assert_int_equal(bundle_verify(out, len, ca, ca_len, NULL, TODAY, &d, NULL, why, sizeof why),
                     0);
    assert_int_equal(d.n_texts, 3);
    assert_int_equal(d.n_ideas, 0);
    assert_int_equal(d.n_ballots, 1);
    if (regen()) /* a fuzz seed: a ballot and three free texts */
        put_seed("valid-v3-texts", out, len);
    for (k = 1; k < 3; k++)
        assert_true(memcmp(bundle_text_at(&d, (uint32_t)k - 1, NULL) + QTEXT_OFF_ID,
                           bundle_text_at(&d, (uint32_t)k, NULL) + QTEXT_OFF_ID, QTEXT_ID_LEN) < 0);
    /* a letter of a text changed: the text's signature */
    out[len - KEY_SIG_LEN - 70] ^= 1;
    assert_int_equal(key_sign_msg(&ks, out, len - KEY_SIG_LEN, out + len - KEY_SIG_LEN), 0);
    assert_int_equal(bundle_verify(out, len, ca, ca_len, NULL, TODAY, NULL, NULL, why, sizeof why),
                     BN_EBADSIG);
    assert_non_null(strstr(why, "text 2 (id"));
    free(out);
    /* one of kiosk 2 */
    tl[3] = make_text(3, &ks2, ks2.pub.id, t[3]);
    assert_int_equal(bundle_new(CAMPAIGN, 3, kcert, kcert_len, &b), 0);
    assert_int_equal(bundle_add_text(b, t[3], tl[3]), 0);
    assert_int_equal(bundle_add_text(b, t[3], tl[3] - 1), BN_EFORMAT);
    assert_int_equal(bundle_finish(b, &ks, &out, &len), 0);
    bundle_free(b);
    assert_int_equal(bundle_verify(out, len, ca, ca_len, NULL, TODAY, NULL, NULL, why, sizeof why),
                     BN_EWRONGKEY);
    free(out);
    /* the outbox: with the ballots */
    {
        char *dir = tu_tmpdir("bundle-text"), *path = tu_path(dir, "kiosk.db");
        uint8_t secret[32] = {9}, *buf = NULL;
        store_t *s = NULL;
        store_cast_t c;
        store_text_t st[2];
        size_t n = 0;

        assert_int_equal(store_open(path, &s, why, sizeof why), 0);
        assert_int_equal(store_put_campaign(s, CAMPAIGN, (const uint8_t *)"pkg", 3, secret), 0);
        memset(&c, 0, sizeof c);
        c.campaign = CAMPAIGN;
        memcpy(c.pseudonym, voters[1].pseudonym, 32);
        c.day = TODAY;
        c.commune = "35238";
        c.ballot_id = voters[1].id;
        c.ballot = voters[1].ballot;
        c.ballot_len = voters[1].len;
        st[0] = (store_text_t){t[0] + QTEXT_OFF_ID, t[0], tl[0]};
        st[1] = (store_text_t){t[1] + QTEXT_OFF_ID, t[1], tl[1]};
        c.texts = st;
        c.n_texts = 2;
        assert_int_equal(store_cast(s, &c), 0);
        assert_int_equal(outbox_bundle(s, CAMPAIGN, OUTBOX_PARTICIPATION, 1, kcert, kcert_len,
                                       &ks, 100, &buf, &len, &n), 0);
        assert_int_equal(bundle_decode(buf, len, &d, why, sizeof why), 0);
        assert_int_equal(d.n_texts, 0);
        assert_int_equal(d.n_register, 1);
        free(buf);
        assert_int_equal(outbox_bundle(s, CAMPAIGN, OUTBOX_BALLOTS, 2, kcert, kcert_len, &ks, 100,
                                       &buf, &len, &n), 0);
        assert_int_equal(n, 3);
        assert_int_equal(bundle_verify(buf, len, ca, ca_len, NULL, TODAY, &d, NULL, why,
                                       sizeof why), 0);
        assert_int_equal(d.n_texts, 2);
        assert_int_equal(d.n_ballots, 1);
        assert_int_equal(outbox_done(s, &d), 0);
        free(buf);
        {
            int64_t left = -1;
            assert_int_equal(store_outbox_count(s, &left), 0);
            assert_int_equal(left, 1); /* the register entry */
        }
        /* a text id already held: nothing of the cast is written */
        c.ballot_id = voters[2].id;
        c.ballot = voters[2].ballot;
        c.ballot_len = voters[2].len;
        memcpy(c.pseudonym, voters[2].pseudonym, 32);
        assert_int_equal(store_cast(s, &c), BN_EEXISTS);
        assert_int_equal(store_has_voted(s, CAMPAIGN, voters[2].pseudonym), 0);
        store_close(s);
        tu_rmtree(dir);
        free(path);
        free(dir);
    }
}

static void test_vectors(void **state)
{
    static const uint8_t seed[] = "borne bundle vectors v1";
    rng_t *vr = NULL;
    key_pair_t *va = NULL, *vk = NULL;
    signer_t vs;
    uint8_t vca[CERT_DER_MAX], vcert[CERT_DER_MAX], bal[BALLOT_MAX_LEN], rep[REPORT_MAX_LEN], pseud[32];
    size_t rep_len = 0;
    uint8_t sigrec[PETITION_LEN], spseud[32];
    petition_identity_t who;
    petition_t pr;
    key_pub_t vap;
    uint8_t *bytes = NULL, *text;
    size_t vca_len = 0, vcert_len = 0, blen = 0, len = 0, n = 0, have = 0;
    bundle_builder_t *b = NULL;
    key_pub_t p;
    report_t r;
    ballot_t bt;
    int sel[2] = {0, 2};
    char *out = malloc(65536), *path = tu_vector("bundle/vectors.txt"), why[256] = "";

    (void)state;
    assert_non_null(out);
    assert_int_equal(rng_open_fixed(&vr, seed, sizeof seed - 1), 0);
    assert_int_equal(key_generate(vr, &va), 0);
    assert_int_equal(key_generate(vr, &vk), 0);
    key_signer(vk, &vs);
    key_public(vk, &p);
    assert_int_equal(cert_make_authority(va, vr, "Autorite-35", FROM, UNTIL, vca, sizeof vca,
                                         &vca_len, NULL, 0), 0);
    assert_int_equal(cert_issue(va, vr, vca, vca_len, &p, CERT_KIOSK, "kiosk-35238-01", FROM,
                                UNTIL, vcert, sizeof vcert, &vcert_len, why, sizeof why), 0);
    assert_int_equal(ballot_make(&bt, &campaign, 0, sel, 2, TODAY, p.id, vr), 0);
    assert_int_equal(ballot_seal(&bt, &vs, bal, sizeof bal, &blen), 0);
    memset(pseud, 0x5a, sizeof pseud);
    memset(&r, 0, sizeof r);
    strcpy(r.campaign, CAMPAIGN);
    r.opened = TODAY - 1;
    r.closed = TODAY;
    r.registered = r.ballots = 1;
    r.n_communes = 1;
    strcpy(r.communes[0].insee, "35238");
    r.communes[0].n = 1;
    assert_int_equal(report_seal(&r, &vs, rep, sizeof rep, &rep_len), 0);
    /* a petition signature (canton rennes-1, do not publish), sealed to the authority */
    key_public(va, &vap);
    memset(spseud, 0x5b, sizeof spseud);
    memset(&who, 0, sizeof who);
    strcpy(who.last_name, "Le Gall");
    strcpy(who.first_names, "Éloïse");
    strcpy(who.birth, "1987-04-12");
    strcpy(who.commune, "35238");
    assert_int_equal(petition_make(&pr, &petition, 1, spseud, 1, TODAY, p.id, vr), 0);
    assert_int_equal(petition_seal(&pr, &who, &vap, &vs, vr, sigrec), 0);
    assert_int_equal(bundle_new(CAMPAIGN, 1, vcert, vcert_len, &b), 0);
    assert_int_equal(bundle_add_signature(b, sigrec, PETITION_LEN), 0);
    assert_int_equal(bundle_add_ballot(b, bal, blen), 0);
    assert_int_equal(bundle_add_register(b, pseud, TODAY, 1), 0);
    assert_int_equal(bundle_add_report(b, rep, rep_len), 0);
    assert_int_equal(bundle_finish(b, &vs, &bytes, &len), 0);
    assert_int_equal(bundle_verify(bytes, len, vca, vca_len, NULL, TODAY, NULL, NULL, why,
                                   sizeof why), 0);
    n += (size_t)snprintf(out + n, 65536 - n,
        "# Bundle vectors, format version 2 (docs/formats.md).\n"
        "# Written by test_bundle with BORNE_REGEN_VECTORS=1. From rng_open_fixed(seed):\n"
        "# key_generate (authority), key_generate (kiosk), cert_make_authority(\"Autorite-35\",\n"
        "# 2026-01-01..2030-12-31), cert_issue(kiosk, \"kiosk-35238-01\", same dates), one\n"
        "# ballot (campaign bp-2026, territory rennes, p-bus + p-velo, day 2026-11-28), one\n"
        "# register entry (pseudonym 5a * 32, day 2026-11-28, offline), one petition\n"
        "# signature (petition_make + petition_seal: canton rennes-1, pseudonym 5b * 32, day\n"
        "# 2026-11-28, do not publish, Le Gall / Éloïse / 1987-04-12 / 35238 sealed to the\n"
        "# authority key), one closing report (version 2: 1 participant, of 35238).\n"
        "# The bundle verifies on 2026-11-28 against `authority_cert`.\n"
        "seed = borne bundle vectors v1\nverify_day = 2026-11-28\n");
    n += put_hex(out + n, 65536 - n, "authority_cert", vca, vca_len);
    n += put_hex(out + n, 65536 - n, "kiosk_cert", vcert, vcert_len);
    n += put_hex(out + n, 65536 - n, "kiosk_id", p.id, KEY_ID_LEN);
    n += put_hex(out + n, 65536 - n, "ballot", bal, blen);
    n += put_hex(out + n, 65536 - n, "signature", sigrec, PETITION_LEN);
    n += put_hex(out + n, 65536 - n, "report", rep, rep_len);
    n += put_hex(out + n, 65536 - n, "bundle", bytes, len);
    if (regen()) {
        assert_int_equal(tu_write(path, out, n), 0);
        /* fuzz seeds: the vector, and one broken copy per decoding rule */
        {
            uint8_t *c = malloc(len + 1), *big = NULL;
            size_t blen2 = 0;

            assert_non_null(c);
            put_seed("valid-vector", bytes, len);
            put_seed("invalid-header-only", bytes, BUNDLE_HEADER_LEN);
            put_seed("empty", bytes, 0);
            memcpy(c, bytes, len); c[0] = 'b';
            put_seed("invalid-magic", c, len);
            memcpy(c, bytes, len); c[4] = 1;
            put_seed("invalid-version", c, len);
            memcpy(c, bytes, len); c[len - 64 - rep_len - 1] ^= 0x40;
            put_seed("invalid-report-length", c, len);
            memcpy(c, bytes, len); c[len - 64 - rep_len + 151] = 'x';
            put_seed("invalid-report-commune", c, len);
            memcpy(c, bytes, len); c[20] = 1;
            put_seed("invalid-campaign-padding", c, len);
            memcpy(c, bytes, len); c[30] ^= 1;
            put_seed("invalid-cert-length", c, len);
            memcpy(c, bytes, len); c[34] = 2;
            put_seed("invalid-ballot-count", c, len);
            memcpy(c, bytes, len); c[len] = 0;
            put_seed("invalid-trailing-byte", c, len + 1);
            put_seed("invalid-truncated-signature", bytes, len - 1);
            memcpy(c, bytes, len); c[len - 64 - (2 + rep_len) - PETITION_LEN - 1] = 2;
            put_seed("invalid-offline-flag", c, len);
            memcpy(c, bytes, len); c[len - 64 - (2 + rep_len) - PETITION_LEN + 5] = 2;
            put_seed("invalid-signature-flags", c, len);
            memcpy(c, bytes, len); c[46] = 2;
            put_seed("invalid-signature-count", c, len);
            memcpy(c, bytes, len); c[len - 1] ^= 0x80;
            put_seed("invalid-signature-bit", c, len);
            free(c);
            /* a larger valid bundle of the test kiosk */
            big = small(5, 5, 1, &blen2);
            put_seed("valid-five-five-one", big, blen2);
            free(big);
        }
    } else {
        text = tu_read(path, &have);
        assert_non_null(text);
        assert_int_equal(have, n);
        assert_memory_equal(text, out, n);
        free(text);
    }
    free(bytes);
    bundle_free(b);
    /* version 3: one idea (fixed id 11 * 16, pseudonym 5c * 32, no contact) */
    {
        idea_t d;
        uint8_t irec[IDEA_MAX_LEN];
        size_t ilen = 0;
        char *path3 = tu_vector("bundle/vectors_v3.txt");

        memset(&d, 0, sizeof d);
        d.day = TODAY;
        memset(d.id, 0x11, IDEA_ID_LEN);
        memcpy(d.kiosk, p.id, KEY_ID_LEN);
        strcpy(d.campaign, CAMPAIGN);
        strcpy(d.territory, "rennes");
        strcpy(d.theme, "nature");
        memset(d.pseudonym, 0x5c, PSEUD_LEN);
        strcpy(d.title, "Un verger partagé");
        strcpy(d.description, "Planter vingt arbres fruitiers.\nLes habitants les entretiennent.");
        assert_int_equal(idea_seal(&d, NULL, NULL, &vs, vr, irec, sizeof irec, &ilen), 0);
        assert_int_equal(bundle_new(CAMPAIGN, 2, vcert, vcert_len, &b), 0);
        assert_int_equal(bundle_add_idea(b, irec, ilen), 0);
        assert_int_equal(bundle_finish(b, &vs, &bytes, &len), 0);
        assert_int_equal(bytes[4], 3);
        assert_int_equal(bundle_verify(bytes, len, vca, vca_len, NULL, TODAY, NULL, NULL, why,
                                       sizeof why), 0);
        n = (size_t)snprintf(out, 65536,
            "# Bundle vector, format version 3 (a section of ideas; docs/formats.md).\n"
            "# Written by test_bundle with BORNE_REGEN_VECTORS=1, after vectors.txt from the\n"
            "# same generator: one idea (campaign bp-2026, territory rennes, theme nature, id\n"
            "# 11 * 16, pseudonym 5c * 32, day 2026-11-28, no contact), sequence 2.\n"
            "# The bundle verifies on 2026-11-28 against vectors.txt's `authority_cert`.\n");
        n += put_hex(out + n, 65536 - n, "idea", irec, ilen);
        n += put_hex(out + n, 65536 - n, "bundle", bytes, len);
        if (regen()) {
            assert_int_equal(tu_write(path3, out, n), 0);
            put_seed("valid-v3-ideas", bytes, len);
            bytes[len - 64 - ilen + 5] = 7;
            put_seed("invalid-v3-idea-flags", bytes, len);
        } else {
            text = tu_read(path3, &have);
            assert_non_null(text);
            assert_int_equal(have, n);
            assert_memory_equal(text, out, n);
            free(text);
        }
        free(bytes);
        bundle_free(b);
        free(path3);
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
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_unsorted_duplicates),
        cmocka_unit_test(test_builder),
        cmocka_unit_test(test_reports_variable_length),
        cmocka_unit_test(test_foreign_items),
        cmocka_unit_test(test_kiosk_refused),
        cmocka_unit_test(test_header),
        cmocka_unit_test(test_outbox),
        cmocka_unit_test(test_signatures_round_trip),
        cmocka_unit_test(test_signatures_refused),
        cmocka_unit_test(test_outbox_signatures),
        cmocka_unit_test(test_ideas_round_trip),
        cmocka_unit_test(test_ideas_refused),
        cmocka_unit_test(test_outbox_ideas),
        cmocka_unit_test(test_texts),
        cmocka_unit_test(test_vectors),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
