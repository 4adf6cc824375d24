/* test_report.c - the kiosk's closing report: encoding, strict decoding,
 * signature (every bit), and the counts, ballot-set digest and audit head
 * taken from a real store; the digest does not depend on the cast order.
 *
 * BORNE_REGEN_VECTORS=1 rewrites tests/vectors/report/vectors.txt. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "ballot.h"
#include "bn_err.h"
#include "day.h"
#include "hex.h"
#include "key.h"
#include "pkg.h"
#include "report.h"
#include "rng.h"
#include "store.h"
#include "testutil.h"

#define CAMPAIGN "bp-2026"
#define DAY 20785u
#define N_VOTERS 60

static pkg_territory_t territory = {.id = "rennes"};
static pkg_project_t projects[4] = {{.id = "p-bus"}, {.id = "p-parc"}, {.id = "p-velo"},
                                    {.id = "p-ecole"}};
static pkg_t campaign = {
    .id = CAMPAIGN, .kind = PKG_BUDGET, .n_territories = 1, .territories = &territory,
    .n_projects = 4, .projects = projects,
};

typedef struct voter_s {
    uint8_t pseudonym[32];
    uint8_t id[BALLOT_ID_LEN];
    uint8_t ballot[BALLOT_MAX_LEN];
    size_t len;
} voter_t;

static voter_t voters[N_VOTERS];
static rng_t *rng;
static key_pair_t *kiosk, *other;
static signer_t signer, other_signer;

static int regen(void)
{
    const char *e = getenv("BORNE_REGEN_VECTORS");

    return e != NULL && strcmp(e, "1") == 0;
}

static int setup(void **state)
{
    static const uint8_t seed[] = "test_report";
    int i, sel[2];

    (void)state;
    assert_int_equal(rng_open_fixed(&rng, seed, sizeof seed - 1), 0);
    assert_int_equal(key_generate(rng, &kiosk), 0);
    assert_int_equal(key_generate(rng, &other), 0);
    key_signer(kiosk, &signer);
    key_signer(other, &other_signer);
    for (i = 0; i < N_VOTERS; i++) {
        ballot_t b;

        sel[0] = i % 4;
        sel[1] = (i / 4) % 4;
        assert_int_equal(ballot_make(&b, &campaign, 0, sel, sel[0] == sel[1] ? 1 : 2, DAY,
                                     signer.pub.id, rng), 0);
        assert_int_equal(ballot_seal(&b, &signer, voters[i].ballot, sizeof voters[i].ballot,
                                     &voters[i].len), 0);
        memcpy(voters[i].id, b.id, BALLOT_ID_LEN);
        assert_int_equal(rng_bytes(rng, voters[i].pseudonym, 32), 0);
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    key_free(kiosk);
    key_free(other);
    rng_close(rng);
    return 0;
}

/* A fresh store with the campaign and the voters order[0..n) cast in that order. */
static store_t *filled_store(const char *dir, const char *name, const int *order, int n)
{
    char *path = tu_path(dir, name), why[256] = "";
    uint8_t secret[32] = {1};
    store_t *s = NULL;
    int i;

    assert_int_equal(store_open(path, &s, why, sizeof why), 0);
    assert_int_equal(store_put_campaign(s, CAMPAIGN, (const uint8_t *)"pkg", 3, secret), 0);
    for (i = 0; i < n; i++) {
        voter_t *v = &voters[order[i]];
        store_cast_t c;

        memset(&c, 0, sizeof c);
        c.campaign = CAMPAIGN;
        memcpy(c.pseudonym, v->pseudonym, 32);
        c.day = DAY;
        c.offline = i % 2;
        c.ballot_id = v->id;
        c.ballot = v->ballot;
        c.ballot_len = v->len;
        c.commune = i % 3 == 0 ? "35360" : "35238";
        assert_int_equal(store_cast(s, &c), 0);
    }
    free(path);
    return s;
}

static void sample(report_t *r)
{
    memset(r, 0, sizeof *r);
    strcpy(r->campaign, CAMPAIGN);
    r->opened = DAY;
    r->closed = DAY + 20;
    r->registered = 1234;
    r->ballots = 1230;
    memset(r->ballot_set, 0xab, 32);
    memset(r->audit_head, 0xcd, 32);
    r->audit_entries = 17;
    /* 1234 participants: 34 + 1000 + 200, codes in increasing order */
    r->n_communes = 3;
    strcpy(r->communes[0].insee, "2A004");
    r->communes[0].n = 34;
    strcpy(r->communes[1].insee, "35238");
    r->communes[1].n = 1000;
    strcpy(r->communes[2].insee, "35360");
    r->communes[2].n = 200;
}

/* Seals r into buf (REPORT_MAX_LEN bytes): the length. */
static size_t seal(report_t *r, const signer_t *by, uint8_t *buf)
{
    size_t len = 0;

    assert_int_equal(report_seal(r, by, buf, REPORT_MAX_LEN, &len), 0);
    assert_int_equal(len, REPORT_LEN_OF(r->n_communes));
    return len;
}

static uint8_t buf_a[REPORT_MAX_LEN + 1], buf_b[REPORT_MAX_LEN + 1];
static report_t rep_a, rep_b;

static void test_round_trip(void **state)
{
    uint8_t *buf = buf_a;
    report_t *r = &rep_a, *d = &rep_b;
    size_t len;

    (void)state;
    sample(r);
    len = seal(r, &signer, buf);
    assert_int_equal(len, 215 + 3 * 13);
    assert_int_equal(report_length(buf, len), len);
    assert_int_equal(report_length(buf, 150), 0);
    assert_memory_equal(r->kiosk, signer.pub.id, KEY_ID_LEN);
    assert_int_equal(report_decode(buf, len, d, NULL, 0), 0);
    assert_memory_equal(d, r, sizeof *r);
    assert_int_equal(report_verify(buf, len, &signer.pub, NULL, 0), 0);
    assert_int_equal(report_verify(buf, len, &other_signer.pub, NULL, 0), BN_EWRONGKEY);
    /* the layout of report.h */
    assert_memory_equal(buf, "BRNR\x02" "bp-2026\0\0\0\0\0\0\0\0\0", 21);
    assert_memory_equal(buf + 21, signer.pub.id, 32);
    assert_int_equal(buf[56], DAY & 0xff);
    assert_int_equal(buf[60], (DAY + 20) & 0xff);
    assert_int_equal(buf[68], 1234 & 0xff);
    assert_int_equal(buf[76], 1230 & 0xff);
    assert_int_equal(buf[148], 17);
    assert_int_equal(buf[149], 0);
    assert_int_equal(buf[150], 3);
    assert_memory_equal(buf + 151, "2A004\0\0\0\0\0\0\0\x22", 13);
    assert_memory_equal(buf + 164, "35238\0\0\0\0\0\0\x03\xe8", 13);
    assert_memory_equal(buf + 177, "35360\0\0\0\0\0\0\0\xc8", 13);
    /* no commune (a petition, a migrated store): 215 bytes */
    sample(r);
    r->n_communes = 0;
    len = seal(r, &signer, buf);
    assert_int_equal(len, 215);
    assert_int_equal(report_decode(buf, len, d, NULL, 0), 0);
    assert_int_equal(d->n_communes, 0);
    assert_int_equal(report_verify(buf, len, &signer.pub, NULL, 0), 0);
    /* the most communes */
    sample(r);
    r->n_communes = REPORT_MAX_COMMUNES;
    r->registered = 0;
    for (int i = 0; i < REPORT_MAX_COMMUNES; i++) {
        snprintf(r->communes[i].insee, sizeof r->communes[i].insee, "%05d", 10000 + i);
        r->communes[i].n = 1;
        r->registered++;
    }
    len = seal(r, &signer, buf);
    assert_int_equal(len, REPORT_MAX_LEN);
    assert_int_equal(report_verify(buf, len, &signer.pub, NULL, 0), 0);
    r->n_communes = REPORT_MAX_COMMUNES + 1;
    assert_int_equal(report_seal(r, &signer, buf, REPORT_MAX_LEN + 1, &len), BN_EINVAL);
    /* a buffer too short */
    sample(r);
    assert_int_equal(report_seal(r, &signer, buf, REPORT_LEN_OF(3) - 1, &len), BN_ETOOBIG);
}

/* Every single-bit change of a signed report is refused (with communes:
 * the codes, the counts and m too). */
static void test_tamper_every_bit(void **state)
{
    uint8_t *buf = buf_a;
    size_t i, len;
    int bit, refused = 0;

    (void)state;
    sample(&rep_a);
    len = seal(&rep_a, &signer, buf);
    for (i = 0; i < len; i++)
        for (bit = 0; bit < 8; bit++) {
            buf[i] ^= (uint8_t)(1u << bit);
            if (report_verify(buf, len, &signer.pub, NULL, 0) != 0)
                refused++;
            buf[i] ^= (uint8_t)(1u << bit);
        }
    assert_int_equal(refused, (int)len * 8);
    assert_int_equal(report_verify(buf, len, &signer.pub, NULL, 0), 0);
}

/* Re-signs buf (len bytes) after a change, so that only a rule can refuse it. */
static void resign(uint8_t *buf, size_t len)
{
    assert_int_equal(key_sign_msg(&signer, buf, len - KEY_SIG_LEN, buf + len - KEY_SIG_LEN), 0);
}

/* Each rule of the strict decoder, on a report re-signed after the change
 * (so that only the rule can refuse it). */
static void test_strict(void **state)
{
    static const struct {
        size_t off;
        uint8_t val;
        const char *why;
    } cases[] = {
        {0, 'b', "magic"},
        {4, 1, "version 1"},
        {4, 3, "version"},
        {4, 0, "version"},
        {5, 0, "campaign"},          /* empty token */
        {5, 'B', "campaign"},        /* uppercase */
        {5, '-', "campaign"},        /* '-' first */
        {13, 'x', "campaign"},       /* NUL inside: "bp-2026\0x" */
        {20, 1, "campaign"},         /* junk in the padding */
        {56, 0, "opened"},           /* with 53..55 zero: day 0 */
        {61, 0x01, "above 2^53"},    /* registered >= 2^56 */
        {69, 0x01, "above 2^53"},
        {141, 0x01, "above 2^53"},
        {150, 2, "bytes, not"},      /* m = 2: the length does not match */
        {150, 4, "bytes, not"},
        {149, 0x04, "more than"},    /* m = 1027 */
        {151, 'a', "[0-9AB]"},       /* "aA004" */
        {152, 'C', "[0-9AB]"},       /* "2C004" */
        {155, 0, "[0-9AB]"},         /* "2A00\0" */
        {155, ' ', "[0-9AB]"},
        {164, '4', "does not follow"},       /* "45238" after "35360" */
        {164, '2', "does not follow"},       /* "25238" before "2A004" */
        {177, '2', "does not follow"},       /* "25360" before "35238" */
        {176, 0, "participants"},    /* 35238: 1000 -> 0x0300 = 768: the sum is off */
        {163, 0, "counts 0"},        /* 2A004: 34 -> 0 */
        {156, 0x01, "above 2^53"},   /* 2A004: >= 2^56 */
        {189, 0xc9, "register entries 1234"}, /* 35360: 201: sum 1235 */
    };
    uint8_t *buf = buf_a, *base = buf_b;
    char why[300];
    report_t *r = &rep_a;
    size_t i, len;
    int rc;

    (void)state;
    sample(r);
    len = seal(r, &signer, base);
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        memcpy(buf, base, len);
        if (cases[i].off == 56)
            memset(buf + 53, 0, 3);
        buf[cases[i].off] = cases[i].val;
        resign(buf, len);
        why[0] = '\0';
        rc = report_decode(buf, len, NULL, why, sizeof why);
        if (rc != BN_EFORMAT)
            fail_msg("case %zu (offset %zu): %s", i, cases[i].off, bn_strerror(rc));
        if (strstr(why, cases[i].why) == NULL)
            fail_msg("case %zu (offset %zu): \"%s\" lacks \"%s\"", i, cases[i].off, why,
                     cases[i].why);
        assert_int_equal(report_verify(buf, len, &signer.pub, NULL, 0), BN_EFORMAT);
    }
    /* the rules on communes, from the fields */
    sample(r); /* unsorted */
    strcpy(r->communes[1].insee, "35360");
    strcpy(r->communes[2].insee, "35238");
    assert_int_equal(report_seal(r, &signer, buf, REPORT_MAX_LEN, &len), BN_EINVAL);
    sample(r); /* twice */
    strcpy(r->communes[2].insee, "35238");
    assert_int_equal(report_seal(r, &signer, buf, REPORT_MAX_LEN, &len), BN_EINVAL);
    sample(r); /* a zero count, the sum kept */
    r->communes[0].n = 0;
    r->registered -= 34;
    assert_int_equal(report_seal(r, &signer, buf, REPORT_MAX_LEN, &len), BN_EINVAL);
    sample(r); /* sum above the register */
    r->registered--;
    assert_int_equal(report_seal(r, &signer, buf, REPORT_MAX_LEN, &len), BN_EINVAL);
    sample(r); /* sum below */
    r->registered++;
    assert_int_equal(report_seal(r, &signer, buf, REPORT_MAX_LEN, &len), BN_EINVAL);
    sample(r); /* a bad code */
    strcpy(r->communes[0].insee, "2a004");
    assert_int_equal(report_seal(r, &signer, buf, REPORT_MAX_LEN, &len), BN_EINVAL);
    sample(r);
    strcpy(r->communes[0].insee, "2A04");
    assert_int_equal(report_seal(r, &signer, buf, REPORT_MAX_LEN, &len), BN_EINVAL);
    /* and the decoder says so: re-encode by hand a report whose sum is off */
    sample(r);
    len = seal(r, &signer, buf);
    buf[68] = (uint8_t)(1235 & 0xff); /* registered 1235 */
    resign(buf, len);
    assert_int_equal(report_decode(buf, len, NULL, why, sizeof why), BN_EFORMAT);
    assert_non_null(strstr(why, "communes count 1234 participants, register entries 1235"));
    /* closed before opened */
    memcpy(buf, base, REPORT_LEN_OF(3));
    len = REPORT_LEN_OF(3);
    buf[60] = 0; buf[59] = 0; buf[58] = 0; buf[57] = 0;
    assert_int_equal(report_decode(buf, len, NULL, why, sizeof why), BN_EFORMAT);
    assert_non_null(strstr(why, "closed before"));
    /* lengths */
    memcpy(buf, base, len);
    buf[len] = 0;
    assert_int_equal(report_decode(buf, len + 1, NULL, NULL, 0), BN_EFORMAT);
    assert_int_equal(report_decode(buf, len - 1, NULL, NULL, 0), BN_EFORMAT);
    assert_int_equal(report_decode(buf, len - 13, NULL, NULL, 0), BN_EFORMAT);
    assert_int_equal(report_decode(buf, 213, NULL, NULL, 0), BN_EFORMAT);
    assert_int_equal(report_decode(buf, 0, NULL, NULL, 0), BN_EFORMAT);
    /* version 1: refused with what to do */
    memcpy(buf, base, len);
    buf[4] = 1;
    assert_int_equal(report_decode(buf, 213, NULL, why, sizeof why), BN_EFORMAT);
    assert_int_equal(report_decode(buf, len, NULL, why, sizeof why), BN_EFORMAT);
    assert_non_null(strstr(why, "close the polls again"));
    /* the encoder refuses what the decoder refuses */
    sample(r);
    r->closed = r->opened - 1;
    assert_int_equal(report_seal(r, &signer, buf, REPORT_MAX_LEN, &len), BN_EINVAL);
    sample(r);
    strcpy(r->campaign, "BP");
    assert_int_equal(report_seal(r, &signer, buf, REPORT_MAX_LEN, &len), BN_EINVAL);
    sample(r);
    r->ballots = REPORT_COUNT_MAX + 1;
    assert_int_equal(report_seal(r, &signer, buf, REPORT_MAX_LEN, &len), BN_EINVAL);
}

/* Counts, ballot-set digest, audit head and turnout from a real store. */
static void test_make_from_store(void **state)
{
    char *dir = tu_tmpdir("report"), why[256] = "";
    int order[N_VOTERS], i;
    uint8_t *buf = buf_a, hashes[N_VOTERS * 32], digest[32], head[32];
    int64_t entries = 0;
    report_t *r = &rep_a, *d = &rep_b;
    size_t len = 0;
    store_t *s;

    (void)state;
    for (i = 0; i < N_VOTERS; i++)
        order[i] = i;
    s = filled_store(dir, "a.db", order, N_VOTERS);
    assert_int_equal(store_audit_append(s, "package-loaded", "bp-2026"), 0);
    assert_int_equal(store_audit_append(s, "polls-opened", ""), 0);
    assert_int_equal(store_audit_append(s, "polls-closed", ""), 0);
    assert_int_equal(report_make(s, CAMPAIGN, DAY, DAY + 3, &signer, buf, REPORT_MAX_LEN, &len, r,
                                 why, sizeof why), 0);
    assert_int_equal(len, REPORT_LEN_OF(2));
    assert_int_equal(report_verify(buf, len, &signer.pub, NULL, 0), 0);
    assert_int_equal(report_decode(buf, len, d, NULL, 0), 0);
    assert_memory_equal(d, r, sizeof *r);
    assert_int_equal(d->registered, N_VOTERS);
    assert_int_equal(d->ballots, N_VOTERS);
    assert_int_equal(d->audit_entries, 3);
    assert_int_equal(d->opened, DAY);
    assert_int_equal(d->closed, DAY + 3);
    /* the turnout counters: every third voter of 35360, the others of 35238 */
    assert_int_equal(d->n_communes, 2);
    assert_string_equal(d->communes[0].insee, "35238");
    assert_int_equal(d->communes[0].n, N_VOTERS - N_VOTERS / 3);
    assert_string_equal(d->communes[1].insee, "35360");
    assert_int_equal(d->communes[1].n, N_VOTERS / 3);
    assert_int_equal(store_audit_verify(s, head, &entries, NULL, 0), 0);
    assert_memory_equal(d->audit_head, head, 32);
    /* the digest, recomputed by hand from the ballots as cast */
    for (i = 0; i < N_VOTERS; i++)
        key_sha256(voters[i].ballot, voters[i].len, hashes + 32 * i);
    report_set_digest(hashes, N_VOTERS, digest);
    assert_memory_equal(d->ballot_set, digest, 32);
    /* another campaign, unknown to the store: zero counts, the empty set */
    assert_int_equal(report_make(s, "other", DAY, DAY, &signer, buf, REPORT_MAX_LEN, &len, r, why,
                                 sizeof why), 0);
    assert_int_equal(r->ballots, 0);
    assert_int_equal(r->n_communes, 0);
    report_set_digest(NULL, 0, digest);
    assert_memory_equal(r->ballot_set, digest, 32);
    /* bad arguments */
    assert_int_equal(report_make(s, "Bad", DAY, DAY, &signer, buf, REPORT_MAX_LEN, &len, NULL,
                                 NULL, 0), BN_EINVAL);
    assert_int_equal(report_make(s, CAMPAIGN, DAY, DAY - 1, &signer, buf, REPORT_MAX_LEN, &len,
                                 NULL, NULL, 0), BN_EINVAL);
    assert_int_equal(report_make(s, CAMPAIGN, DAY, DAY, &signer, buf, REPORT_LEN_OF(2) - 1, &len,
                                 NULL, NULL, 0), BN_ETOOBIG);
    /* counters short of the register (entries cast before schema 3): no
     * communes at all, never a partial list */
    assert_int_equal(sqlite3_exec(store__db(s), "UPDATE turnout SET n = n - 1 WHERE commune = "
                                  "'35238'", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(report_make(s, CAMPAIGN, DAY, DAY + 3, &signer, buf, REPORT_MAX_LEN, &len, r,
                                 why, sizeof why), 0);
    assert_int_equal(len, REPORT_MIN_LEN);
    assert_int_equal(r->n_communes, 0);
    assert_int_equal(r->registered, N_VOTERS);
    /* counters above the register: the store is not sound, no report */
    assert_int_equal(sqlite3_exec(store__db(s), "UPDATE turnout SET n = n + 2 WHERE commune = "
                                  "'35238'", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(report_make(s, CAMPAIGN, DAY, DAY + 3, &signer, buf, REPORT_MAX_LEN, &len,
                                 NULL, why, sizeof why), BN_ECORRUPT);
    assert_non_null(strstr(why, "turnout"));
    assert_int_equal(sqlite3_exec(store__db(s), "UPDATE turnout SET n = n - 1 WHERE commune = "
                                  "'35238'", NULL, NULL, NULL), SQLITE_OK);
    /* a broken audit chain gives no report */
    assert_int_equal(sqlite3_exec(store__db(s), "UPDATE audit SET detail = 'x' WHERE seq = 2",
                                  NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(report_make(s, CAMPAIGN, DAY, DAY + 3, &signer, buf, REPORT_MAX_LEN, &len,
                                 NULL, why, sizeof why), BN_ECORRUPT);
    store_close(s);
    tu_rmtree(dir);
    free(dir);
}

/* A store migrated from schema 2 (tests/vectors/store/v2.db: 3 entries of
 * bp-2026 cast before the counters existed): its report gives no communes
 * (never a partial list), before and after a new cast; it still decodes,
 * verifies and reconciles its counts. */
static void test_make_migrated_store(void **state)
{
    char *dir = tu_tmpdir("report-v2"), *src = tu_vector("store/v2.db"), why[256] = "";
    char *path = tu_path(dir, "v2.db");
    uint8_t *bytes, *buf = buf_a;
    size_t len = 0, n = 0;
    store_t *s = NULL;
    report_t *r = &rep_a;
    voter_t *v = &voters[0];
    store_cast_t c;

    (void)state;
    bytes = tu_read(src, &n);
    assert_non_null(bytes);
    assert_int_equal(tu_write(path, bytes, n), 0);
    free(bytes);
    assert_int_equal(store_open(path, &s, why, sizeof why), 0);
    assert_int_equal(report_make(s, CAMPAIGN, DAY, DAY, &signer, buf, REPORT_MAX_LEN, &len, r,
                                 why, sizeof why), 0);
    assert_int_equal(len, REPORT_MIN_LEN);
    assert_int_equal(r->registered, 3);
    assert_int_equal(r->ballots, 3);
    assert_int_equal(r->n_communes, 0);
    assert_int_equal(report_verify(buf, len, &signer.pub, NULL, 0), 0);
    /* one more cast, with its commune: 1 counted of 4, still no list */
    memset(&c, 0, sizeof c);
    c.campaign = CAMPAIGN;
    memcpy(c.pseudonym, v->pseudonym, 32);
    c.day = DAY;
    c.ballot_id = v->id;
    c.ballot = v->ballot;
    c.ballot_len = v->len;
    c.commune = "35238";
    assert_int_equal(store_cast(s, &c), 0);
    assert_int_equal(report_make(s, CAMPAIGN, DAY, DAY, &signer, buf, REPORT_MAX_LEN, &len, r,
                                 why, sizeof why), 0);
    assert_int_equal(r->registered, 4);
    assert_int_equal(r->n_communes, 0);
    store_close(s);
    tu_rmtree(dir);
    free(path);
    free(src);
    free(dir);
}

/* The ballot-set digest does not depend on the cast order: two stores, the
 * same ballots cast in opposite orders, the same digest; one ballot less,
 * another digest. */
static void test_digest_order_free(void **state)
{
    char *dir = tu_tmpdir("report-order");
    int fwd[N_VOTERS], back[N_VOTERS], i;
    uint8_t d1[32], d2[32], d3[32], hashes[N_VOTERS * 32];
    uint64_t n1 = 0, n2 = 0;
    store_t *a, *b, *c;

    (void)state;
    for (i = 0; i < N_VOTERS; i++) {
        fwd[i] = i;
        back[i] = N_VOTERS - 1 - i;
    }
    a = filled_store(dir, "a.db", fwd, N_VOTERS);
    b = filled_store(dir, "b.db", back, N_VOTERS);
    c = filled_store(dir, "c.db", fwd, N_VOTERS - 1);
    assert_int_equal(report_set_digest_store(a, CAMPAIGN, d1, &n1), 0);
    assert_int_equal(report_set_digest_store(b, CAMPAIGN, d2, &n2), 0);
    assert_int_equal(n1, N_VOTERS);
    assert_int_equal(n2, N_VOTERS);
    assert_memory_equal(d1, d2, 32);
    assert_int_equal(report_set_digest_store(c, CAMPAIGN, d3, NULL), 0);
    assert_memory_not_equal(d1, d3, 32);
    /* and from arrays in any order */
    for (i = 0; i < N_VOTERS; i++)
        key_sha256(voters[back[i]].ballot, voters[back[i]].len, hashes + 32 * i);
    report_set_digest(hashes, N_VOTERS, d3);
    assert_memory_equal(d1, d3, 32);
    store_close(a);
    store_close(b);
    store_close(c);
    tu_rmtree(dir);
    free(dir);
}

/* tests/vectors/report/vectors.txt: a fixed report signed by a fixed key,
 * and the ballot-set digest of the empty set and of a two-ballot set. */
static void test_vectors(void **state)
{
    static const uint8_t seed[] = "borne report vectors v1";
    char *path = tu_vector("report/vectors.txt"), *text, hex[2 * REPORT_LEN_OF(3) + 1];
    char out[4096];
    uint8_t buf[REPORT_LEN_OF(3)], hashes[64], digest[32];
    size_t n = 0, have = 0, len = 0;
    rng_t *vr = NULL;
    key_pair_t *vk = NULL;
    signer_t vs;
    static report_t r;

    (void)state;
    assert_int_equal(rng_open_fixed(&vr, seed, sizeof seed - 1), 0);
    assert_int_equal(key_generate(vr, &vk), 0);
    key_signer(vk, &vs);
    sample(&r);
    r.opened = 20161; /* 2025-03-14 */
    r.closed = 20180; /* 2025-04-02 */
    strcpy(r.campaign, "bp-2025");
    assert_int_equal(report_seal(&r, &vs, buf, sizeof buf, &len), 0);
    assert_int_equal(len, sizeof buf);
    n += (size_t)snprintf(out + n, sizeof out - n,
                          "# Closing report vectors, format version 2 (docs/formats.md).\n"
                          "# Written by test_report with BORNE_REGEN_VECTORS=1. Kiosk key:\n"
                          "# key_generate(rng_open_fixed(kiosk_seed)); deterministic low-s ECDSA.\n"
                          "kiosk_seed = borne report vectors v1\n");
    hex_encode(vs.pub.pub, KEY_PUB_LEN, hex);
    n += (size_t)snprintf(out + n, sizeof out - n, "kiosk_pub = %s\n", hex);
    hex_encode(vs.pub.id, KEY_ID_LEN, hex);
    n += (size_t)snprintf(out + n, sizeof out - n, "kiosk_id = %s\n"
                          "campaign = bp-2025\nopened = 2025-03-14\nclosed = 2025-04-02\n"
                          "registered = 1234\nballots = 1230\nballot_set = ab * 32\n"
                          "audit_head = cd * 32\naudit_entries = 17\n"
                          "communes = 2A004:34 35238:1000 35360:200\n", hex);
    hex_encode(buf, len, hex);
    n += (size_t)snprintf(out + n, sizeof out - n, "encoded = %s\n", hex);
    report_set_digest(NULL, 0, digest);
    hex_encode(digest, 32, hex);
    n += (size_t)snprintf(out + n, sizeof out - n,
                          "# ballot_set of no ballot: SHA-256(\"borne-ballot-set-v1\")\n"
                          "ballot_set_empty = %s\n", hex);
    /* the two ballots of tests/vectors/ballot/valid.txt would do as well; any
     * two byte strings show the rule: hashes sorted, then hashed with the tag */
    key_sha256("ballot one", 10, hashes);
    key_sha256("ballot two", 10, hashes + 32);
    report_set_digest(hashes, 2, digest);
    hex_encode(digest, 32, hex);
    n += (size_t)snprintf(out + n, sizeof out - n,
                          "# ballot_set of the two byte strings \"ballot one\", \"ballot two\"\n"
                          "ballot_set_two = %s\n", hex);
    if (regen()) {
        assert_int_equal(tu_write(path, out, n), 0);
    } else {
        text = (char *)tu_read(path, &have);
        assert_non_null(text);
        assert_int_equal(have, n);
        assert_memory_equal(text, out, n);
        free(text);
    }
    key_free(vk);
    rng_close(vr);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_tamper_every_bit),
        cmocka_unit_test(test_strict),
        cmocka_unit_test(test_make_from_store),
        cmocka_unit_test(test_make_migrated_store),
        cmocka_unit_test(test_digest_order_free),
        cmocka_unit_test(test_vectors),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
