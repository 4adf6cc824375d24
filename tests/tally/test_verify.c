/* test_verify.c - borne-tally verify, publish and check on a small election
 * built here: an authority, three kiosks with certificates, ballots cast in
 * real stores, closing reports made from them, bundles written to a folder.
 * Then each failure the issue names (a tampered ballot, a missing ballot, a
 * revoked kiosk) and a few more must refuse certification, naming the kiosk
 * and the item; --provisional marks every output; check agrees on the
 * published folder and disagrees once a figure is edited. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <sqlite3.h>

#include "ballot.h"
#include "bn_err.h"
#include "bundle.h"
#include "cert.h"
#include "count.h"
#include "hex.h"
#include "key.h"
#include "pabulib.h"
#include "pkg.h"
#include "publish.h"
#include "report.h"
#include "rng.h"
#include "serverdb.h"
#include "store.h"
#include "testutil.h"
#include "track.h"
#include "verify.h"

#define CAMPAIGN "bp-test"
#define FROM 20454u  /* 2026-01-01 */
#define UNTIL 22279u /* 2030-12-31 */
#define TODAY 20785u /* 2026-11-28 */
#define N_KIOSKS 3
#define MAX_VOTERS 16

static const char campaign_json[] =
    "{\"format\": \"borne-campaign/1\", \"id\": \"" CAMPAIGN "\", \"kind\": \"budget\","
    " \"departement\": \"35\", \"languages\": [\"fr\", \"en\"],"
    " \"title\": {\"fr\": \"Budget test\", \"en\": \"Test budget\"},"
    " \"description\": {\"fr\": \"Essai\", \"en\": \"Trial\"},"
    " \"valid\": {\"from\": \"2026-01-01\", \"until\": \"2027-12-31\"},"
    " \"polls\": {\"opens\": \"2026-11-01\", \"closes\": \"2026-12-31\"},"
    " \"eligibility\": {\"min_age\": 16},"
    " \"territories\": [{\"id\": \"rennes\", \"name\": {\"fr\": \"Pays de Rennes\", \"en\": \"Rennes area\"}, \"envelope\": 300000},"
    "   {\"id\": \"vitre\", \"name\": {\"fr\": \"Pays de Vitr\xc3\xa9\", \"en\": \"Vitr\xc3\xa9 area\"}, \"envelope\": 200000}],"
    " \"cantons\": [{\"id\": \"rennes-1\", \"name\": \"Rennes 1\", \"territory\": \"rennes\"},"
    "   {\"id\": \"vitre\", \"name\": \"Vitr\xc3\xa9\", \"territory\": \"vitre\"}],"
    " \"communes\": [{\"insee\": \"35238\", \"name\": \"Rennes\", \"canton\": \"rennes-1\"},"
    "   {\"insee\": \"35047\", \"name\": \"Bruz\", \"canton\": \"rennes-1\"},"
    "   {\"insee\": \"35024\", \"name\": \"Betton\", \"canton\": \"rennes-1\"},"
    "   {\"insee\": \"35360\", \"name\": \"Vitr\xc3\xa9\", \"canton\": \"vitre\"},"
    "   {\"insee\": \"35001\", \"name\": \"Acign\xc3\xa9\", \"canton\": \"vitre\"}],"
    " \"rule\": {\"min\": 1, \"max\": 3, \"knapsack\": true, \"min_spend_percent\": 0},"
    " \"counting\": \"greedy\","
    " \"projects\": ["
    "  {\"id\": \"r-bus\", \"territory\": \"rennes\", \"cost\": 100000, \"title\": {\"fr\": \"Bus & <navette>\", \"en\": \"Shuttle bus\"}, \"summary\": {\"fr\": \"s\", \"en\": \"s\"}, \"description\": {\"fr\": \"d\", \"en\": \"d\"}},"
    "  {\"id\": \"r-parc\", \"territory\": \"rennes\", \"cost\": 150000, \"title\": {\"fr\": \"Parc \\\"vert\\\"; ombrag\xc3\xa9\", \"en\": \"Park\"}, \"summary\": {\"fr\": \"s\", \"en\": \"s\"}, \"description\": {\"fr\": \"d\", \"en\": \"d\"}},"
    "  {\"id\": \"r-velo\", \"territory\": \"rennes\", \"cost\": 80000, \"title\": {\"fr\": \"Pistes cyclables\", \"en\": \"Cycle lanes\"}, \"summary\": {\"fr\": \"s\", \"en\": \"s\"}, \"description\": {\"fr\": \"d\", \"en\": \"d\"}},"
    "  {\"id\": \"r-ecole\", \"territory\": \"rennes\", \"cost\": 200000, \"title\": {\"fr\": \"\xc3\x89\x63ole\", \"en\": \"School\"}, \"summary\": {\"fr\": \"s\", \"en\": \"s\"}, \"description\": {\"fr\": \"d\", \"en\": \"d\"}},"
    "  {\"id\": \"v-jardin\", \"territory\": \"vitre\", \"cost\": 50000, \"title\": {\"fr\": \"Jardin\", \"en\": \"Garden\"}, \"summary\": {\"fr\": \"s\", \"en\": \"s\"}, \"description\": {\"fr\": \"d\", \"en\": \"d\"}},"
    "  {\"id\": \"v-salle\", \"territory\": \"vitre\", \"cost\": 120000, \"title\": {\"fr\": \"Salle\", \"en\": \"Hall\"}, \"summary\": {\"fr\": \"s\", \"en\": \"s\"}, \"description\": {\"fr\": \"d\", \"en\": \"d\"}},"
    "  {\"id\": \"v-pont\", \"territory\": \"vitre\", \"cost\": 90000, \"title\": {\"fr\": \"Passerelle\", \"en\": \"Footbridge\"}, \"summary\": {\"fr\": \"s\", \"en\": \"s\"}, \"description\": {\"fr\": \"d\", \"en\": \"d\"}}"
    " ]}";

typedef struct voter_s {
    uint8_t pseudonym[32];
    uint8_t id[BALLOT_ID_LEN];
    uint8_t ballot[BALLOT_MAX_LEN];
    size_t len;
} voter_t;

typedef struct kiosk_s {
    const char *name;
    key_pair_t *key;
    signer_t signer;
    uint8_t cert[CERT_DER_MAX];
    size_t cert_len;
    int n;
    voter_t voters[MAX_VOTERS];
    uint8_t report[REPORT_MAX_LEN];
    size_t report_len;
} kiosk_t;

static rng_t *rng;
static key_pair_t *auth;
static signer_t auth_signer;
static uint8_t ca[CERT_DER_MAX];
static size_t ca_len;
static pkg_t *pkg;
static char *pkg_file;
static size_t pkg_len;
static uint8_t secret[32], tkey[32];
static kiosk_t kiosks[N_KIOSKS] = {{.name = "kiosk-35238-01", .n = 12},
                                   {.name = "kiosk-35238-02", .n = 10},
                                   {.name = "kiosk-35360-01", .n = 8}};
static char *work;  /* a temporary folder: CA.pem, campaign.bpkg, track.hex */

/* Selections, as project indexes of the package (0-3 Rennes, 4-6 Vitre),
 * each within the ballot rule. */
static const int rennes_sel[][3] = {{0, 2, -1}, {1, 2, -1}, {0, -1, -1}, {3, 2, -1}, {0, 1, -1},
                                    {2, -1, -1}, {1, -1, -1}};
static const int vitre_sel[][3] = {{4, 6, -1}, {5, -1, -1}, {4, 5, -1}, {6, -1, -1}, {4, -1, -1}};

static void cast_all(kiosk_t *k, int ki, const char *dir)
{
    char *path, why[256] = "", name[32];
    store_t *s = NULL;
    int i;

    snprintf(name, sizeof name, "store-%d.db", ki);
    path = tu_path(dir, name);
    assert_int_equal(store_open(path, &s, why, sizeof why), 0);
    assert_int_equal(store_put_campaign(s, CAMPAIGN, (const uint8_t *)pkg_file, pkg_len, secret), 0);
    for (i = 0; i < k->n; i++) {
        voter_t *v = &k->voters[i];
        int vitre = ki == 2 || (ki == 1 && i % 3 == 0);
        const int *row = vitre ? vitre_sel[(i + ki) % 5] : rennes_sel[(i + ki) % 7];
        int sel[3], n = 0;
        store_cast_t c;
        ballot_t b;

        while (n < 3 && row[n] >= 0) {
            sel[n] = row[n];
            n++;
        }
        assert_int_equal(ballot_make(&b, pkg, vitre ? 1 : 0, sel, n, TODAY, k->signer.pub.id, rng), 0);
        assert_int_equal(ballot_seal(&b, &k->signer, v->ballot, sizeof v->ballot, &v->len), 0);
        memcpy(v->id, b.id, BALLOT_ID_LEN);
        if (ki == 2 && i == 0)  /* (VERIFY-V5) the same person voted offline at kiosk 0 too */
            memcpy(v->pseudonym, kiosks[0].voters[3].pseudonym, 32);
        else
            assert_int_equal(rng_bytes(rng, v->pseudonym, 32), 0);
        memset(&c, 0, sizeof c);
        c.campaign = CAMPAIGN;
        memcpy(c.pseudonym, v->pseudonym, 32);
        c.day = TODAY;
        c.offline = 1;
        c.ballot_id = v->id;
        c.ballot = v->ballot;
        c.ballot_len = v->len;
        /* turnout (the store's counters, then the closing report): Rennes 12
         * (kiosk 0) + Bruz 3 + Betton 3 (kiosk 1), Vitre 12, Acigne 0 */
        c.commune = vitre ? "35360" : ki == 0 ? "35238" : i % 2 ? "35047" : "35024";
        assert_int_equal(store_cast(s, &c), 0);
    }
    assert_int_equal(report_make(s, CAMPAIGN, TODAY - 27, TODAY, &k->signer, k->report, sizeof k->report,
                                 &k->report_len, NULL, why,
                                 sizeof why), 0);
    store_close(s);
    free(path);
}

static int setup(void **state)
{
    static const uint8_t seed[] = "test_verify";
    char why[256] = "", pem[CERT_PEM_MAX], hex[65], *path;
    size_t pem_len;
    int i;

    (void)state;
    work = tu_tmpdir("tally");
    assert_non_null(work);
    assert_int_equal(rng_open_fixed(&rng, seed, sizeof seed - 1), 0);
    assert_int_equal(key_generate(rng, &auth), 0);
    key_signer(auth, &auth_signer);
    assert_int_equal(cert_make_authority(auth, rng, "Autorite-35", FROM, UNTIL, ca, sizeof ca,
                                         &ca_len, NULL, 0), 0);
    assert_int_equal(pkg_sign(campaign_json, strlen(campaign_json), &auth_signer, &pkg_file,
                              &pkg_len, why, sizeof why), 0);
    assert_int_equal(pkg_parse(pkg_file, pkg_len - PKG_TRAILER_LEN, &pkg, why, sizeof why), 0);
    assert_int_equal(rng_bytes(rng, secret, 32), 0);
    for (i = 0; i < N_KIOSKS; i++) {
        kiosk_t *k = &kiosks[i];
        key_pub_t pub;

        assert_int_equal(key_generate(rng, &k->key), 0);
        key_signer(k->key, &k->signer);
        key_public(k->key, &pub);
        assert_int_equal(cert_issue(auth, rng, ca, ca_len, &pub, CERT_KIOSK, k->name, FROM, UNTIL,
                                    k->cert, sizeof k->cert, &k->cert_len, why, sizeof why), 0);
        cast_all(k, i, work);
    }
    assert_int_equal(cert_to_pem(ca, ca_len, pem, sizeof pem, &pem_len), 0);
    path = tu_path(work, "CA.pem");
    assert_int_equal(tu_write(path, pem, pem_len), 0);
    free(path);
    path = tu_path(work, "campaign.bpkg");
    assert_int_equal(tu_write(path, pkg_file, pkg_len), 0);
    free(path);
    /* the tally gets the tracking key (ID.track), never the secret */
    assert_int_equal(track_key(secret, tkey), 0);
    hex_encode(tkey, 32, hex);
    hex[64] = '\n';
    path = tu_path(work, "track.hex");
    assert_int_equal(tu_write(path, hex, 65), 0);
    free(path);
    return 0;
}

static int teardown(void **state)
{
    int i;

    (void)state;
    for (i = 0; i < N_KIOSKS; i++)
        key_free(kiosks[i].key);
    key_free(auth);
    pkg_free(pkg);
    free(pkg_file);
    rng_close(rng);
    tu_rmtree(work);
    free(work);
    return 0;
}

/* When set, kiosk 1's closing report is this one instead (re-signed by it). */
static uint8_t alt_report[REPORT_MAX_LEN];
static size_t alt_report_len;
static int use_alt_report;

/* A bundle of kiosk k's voters [from, to), its register entries [from, to),
 * and its report when with_report. */
static uint8_t *bundle_of(int k, int from, int to, int with_report, uint64_t seq, size_t *len)
{
    kiosk_t *ks = &kiosks[k];
    bundle_builder_t *b = NULL;
    uint8_t *out = NULL;
    int i;

    assert_int_equal(bundle_new(CAMPAIGN, seq, ks->cert, ks->cert_len, &b), 0);
    for (i = from; i < to; i++) {
        assert_int_equal(bundle_add_ballot(b, ks->voters[i].ballot, ks->voters[i].len), 0);
        assert_int_equal(bundle_add_register(b, ks->voters[i].pseudonym, TODAY, 1), 0);
    }
    if (with_report && k == 1 && use_alt_report)
        assert_int_equal(bundle_add_report(b, alt_report, alt_report_len), 0);
    else if (with_report)
        assert_int_equal(bundle_add_report(b, ks->report, ks->report_len), 0);
    assert_int_equal(bundle_finish(b, &ks->signer, &out, len), 0);
    bundle_free(b);
    return out;
}

static void put(const char *dir, const char *name, uint8_t *buf, size_t len)
{
    char *path = tu_path(dir, name);

    assert_int_equal(tu_write(path, buf, len), 0);
    free(path);
    free(buf);
}

enum { F_TAMPER = 1, F_MISSING = 2, F_DUPBYTES = 4, F_BADRULE = 8, F_NOREPORT = 16, F_JUNK = 32,
       F_NOCOMMUNES = 64, F_FOREIGN = 128, F_STUFF = 256 };

/* Kiosk 1's report made again: without communes (F_NOCOMMUNES: a store
 * migrated from schema 2), or with Betton's 3 counted as "35999", a
 * commune the package does not list (F_FOREIGN). */
static void alt_report_of(int flags)
{
    static report_t r;

    assert_int_equal(report_decode(kiosks[1].report, kiosks[1].report_len, &r, NULL, 0), 0);
    assert_int_equal(r.n_communes, 3); /* 35024:3 35047:3 35360:4 */
    if (flags & F_NOCOMMUNES) {
        r.n_communes = 0;
    } else {
        r.communes[0] = r.communes[1];
        r.communes[1] = r.communes[2];
        strcpy(r.communes[2].insee, "35999");
        r.communes[2].n = 3;
    }
    assert_int_equal(report_seal(&r, &kiosks[1].signer, alt_report, sizeof alt_report,
                                 &alt_report_len), 0);
}

/* A folder of bundles: kiosk 0 in one bundle; kiosk 1 in two, the first
 * sent twice (a USB re-export); kiosk 2 in one. Flags spoil it. */
static char *election_dir(const char *tag, int flags)
{
    char *dir = tu_tmpdir(tag);
    size_t len;
    uint8_t *buf;

    assert_non_null(dir);
    use_alt_report = (flags & (F_NOCOMMUNES | F_FOREIGN)) != 0;
    if (use_alt_report)
        alt_report_of(flags);
    buf = bundle_of(0, 0, kiosks[0].n, 1, 1, &len);
    put(dir, "k0-1.bnu", buf, len);
    buf = bundle_of(1, 0, 5, 0, 1, &len);
    if (flags & F_TAMPER) {
        /* one bit of the first ballot's signature: the bundle signature
         * fails, and the ballot is named */
        bundle_t b;
        size_t pos = 0, bl;
        const uint8_t *ballot;

        assert_int_equal(bundle_decode(buf, len, &b, NULL, 0), 0);
        assert_true(bundle_next_ballot(&b, &pos, &ballot, &bl));
        buf[(size_t)(ballot - buf) + bl - 10] ^= 0x04;
    }
    {
        uint8_t *copy = malloc(len);

        memcpy(copy, buf, len);
        put(dir, "k1-1-again.bnu", copy, len);
    }
    put(dir, "k1-1.bnu", buf, len);
    if (!(flags & F_NOREPORT)) {  /* F_NOREPORT: kiosk 1's second bundle never arrives */
        buf = bundle_of(1, 5, kiosks[1].n, 1, 2, &len);
        put(dir, "k1-2.bnu", buf, len);
    }
    use_alt_report = 0;
    if (flags & F_JUNK) {
        char *path = tu_path(dir, "notes.txt");

        assert_int_equal(tu_write(path, "not a bundle\n", 13), 0);
        free(path);
    }
    /* F_MISSING: the last ballot of kiosk 2 never arrives */
    buf = bundle_of(2, 0, kiosks[2].n - ((flags & F_MISSING) ? 1 : 0), 1, 1, &len);
    put(dir, "k2-1.bnu", buf, len);
    if (flags & (F_DUPBYTES | F_BADRULE)) {
        /* kiosk 2 signs, in a later bundle, a ballot with the id of one of
         * kiosk 0 (F_DUPBYTES), or one of 4 projects (F_BADRULE) */
        kiosk_t *k = &kiosks[2];
        bundle_builder_t *bb = NULL;
        uint8_t out[BALLOT_MAX_LEN];
        int sel[4] = {0, 1, 2, 3};
        ballot_t b;
        size_t ol;

        assert_int_equal(ballot_make(&b, pkg, 0, sel, (flags & F_BADRULE) ? 4 : 1, TODAY,
                                     k->signer.pub.id, rng), 0);
        if (flags & F_DUPBYTES)
            memcpy(b.id, kiosks[0].voters[0].id, BALLOT_ID_LEN);
        assert_int_equal(ballot_seal(&b, &k->signer, out, sizeof out, &ol), 0);
        assert_int_equal(bundle_new(CAMPAIGN, 9, k->cert, k->cert_len, &bb), 0);
        assert_int_equal(bundle_add_ballot(bb, out, ol), 0);
        assert_int_equal(bundle_finish(bb, &k->signer, &buf, &len), 0);
        bundle_free(bb);
        put(dir, "k2-9.bnu", buf, len);
    }
    if (flags & F_STUFF) {
        /* kiosk 0's key, stolen: 3 more valid ballots, nobody registered */
        kiosk_t *k = &kiosks[0];
        bundle_builder_t *bb = NULL;
        uint8_t out[BALLOT_MAX_LEN];
        int sel[1] = {0}, i;
        ballot_t b;
        size_t ol;

        assert_int_equal(bundle_new(CAMPAIGN, 7, k->cert, k->cert_len, &bb), 0);
        for (i = 0; i < 3; i++) {
            assert_int_equal(ballot_make(&b, pkg, 0, sel, 1, TODAY, k->signer.pub.id, rng), 0);
            assert_int_equal(ballot_seal(&b, &k->signer, out, sizeof out, &ol), 0);
            assert_int_equal(bundle_add_ballot(bb, out, ol), 0);
        }
        assert_int_equal(bundle_finish(bb, &k->signer, &buf, &len), 0);
        bundle_free(bb);
        put(dir, "k0-7.bnu", buf, len);
    }
    return dir;
}

/* Verifies with libcrypto on 3 threads, and with bundle_verify (mbedTLS) on
 * one: both must write the same report, word for word. */
static verify_t *run_verify(const char *dir, const cert_revoked_t *rev)
{
    verify_input_t in = {ca, ca_len, rev, pkg, 0, 3, 0, 0, NULL, NULL};
    verify_t *v = NULL, *ref = NULL;
    char why[256] = "";

    in.day = pkg->closes;
    assert_int_equal(verify_dir(&in, dir, &v, why, sizeof why), 0);
    in.threads = 1;
    in.reference = 1;
    assert_int_equal(verify_dir(&in, dir, &ref, why, sizeof why), 0);
    assert_string_equal(v->log, ref->log);
    assert_int_equal(v->n_problems, ref->n_problems);
    verify_free(ref);
    return v;
}

static int has(const char *hay, const char *needle)
{
    if (strstr(hay, needle) == NULL) {
        print_error("'%s' not found in:\n%s\n", needle, hay);
        return 0;
    }
    return 1;
}

/* A line of the report that holds all of a, b and c. */
static int line_with(const char *log, const char *a, const char *b, const char *c)
{
    const char *s = log;

    while (s != NULL && *s) {
        const char *e = strchr(s, '\n');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        char line[2048];

        snprintf(line, sizeof line, "%.*s", (int)n, s);
        if (strstr(line, a) && strstr(line, b) && (c == NULL || strstr(line, c)))
            return 1;
        s = e ? e + 1 : NULL;
    }
    print_error("no line with '%s', '%s', '%s' in:\n%s\n", a, b, c ? c : "", log);
    return 0;
}

static void test_clean(void **state)
{
    char *dir = election_dir("clean", 0);
    verify_t *v = run_verify(dir, NULL);
    int i, counted = 0;

    (void)state;
    assert_int_equal(v->n_problems, 0);
    assert_int_equal(v->n_bundles, 5);
    assert_int_equal(v->n_kiosks, 3);
    /* (VERIFY-V3) the re-sent bundle counts once */
    assert_int_equal(v->n_ballots, 12 + 10 + 8);
    for (i = 0; i < v->n_ballots; i++)
        counted += v->ballots[i].valid;
    assert_int_equal(counted, 30);
    for (i = 0; i < 3; i++)
        assert_true(v->kiosks[i].reconciled);
    /* (VERIFY-V5) the offline duplicate, as a pair naming both kiosks */
    assert_int_equal(v->n_warnings, 1);
    assert_true(line_with(v->log, "DUPLICATE", "kiosk-35238-01", "kiosk-35360-01"));
    verify_free(v);
    tu_rmtree(dir);
    free(dir);
}

static void test_tampered(void **state)
{
    char *dir = election_dir("tamper", F_TAMPER), hex[33];
    verify_t *v = run_verify(dir, NULL);
    bundle_t b;
    size_t len, pos = 0, bl;
    const uint8_t *ballot;
    uint8_t *buf;
    char *path = tu_path(dir, "k1-1.bnu");

    (void)state;
    buf = tu_read(path, &len);
    assert_int_equal(bundle_decode(buf, len, &b, NULL, 0), 0);
    assert_true(bundle_next_ballot(&b, &pos, &ballot, &bl));
    hex_encode(ballot + 12, 16, hex);
    assert_true(v->n_problems > 0);
    /* the kiosk, the file and the ballot */
    assert_true(line_with(v->log, "kiosk-35238-02", "k1-1.bnu", hex));
    assert_true(line_with(v->log, "kiosk-35238-02", "k1-1-again.bnu", hex));
    assert_true(line_with(v->log, "k1-1.bnu", "bundle", "signature does not verify"));
    /* and so its closing report no longer agrees */
    assert_true(line_with(v->log, "kiosk-35238-02", "closing report", "missing"));
    free(buf);
    free(path);
    verify_free(v);
    tu_rmtree(dir);
    free(dir);
}

static void test_missing(void **state)
{
    char *dir = election_dir("missing", F_MISSING);
    verify_t *v = run_verify(dir, NULL);

    (void)state;
    assert_int_equal(v->n_problems, 2);  /* ballots and register entries */
    assert_true(line_with(v->log, "kiosk kiosk-35360-01, k2-1.bnu, closing report",
                          "reports 8 ballots, the bundles hold 7: 1 missing", NULL));
    assert_true(line_with(v->log, "kiosk-35360-01", "reports 8 register entries", "hold 7"));
    assert_false(v->kiosks[2].reconciled);
    verify_free(v);
    tu_rmtree(dir);
    free(dir);
}

/* (VERIFY-V10) A stolen kiosk key stuffs the box with valid ballots and no
 * register entries: not certified, the kiosk named. */
static void test_stuffed(void **state)
{
    char *dir = election_dir("stuffed", F_STUFF);
    verify_t *v = run_verify(dir, NULL);

    (void)state;
    assert_true(v->n_problems > 0);
    assert_true(line_with(v->log, "kiosk kiosk-35238-01", "register",
                          "15 ballots of this kiosk and only 12 register entries: 3 ballots nobody"));
    verify_free(v);
    tu_rmtree(dir);
    free(dir);
}

/* (CERT-R1) Revoked from a day on: what the kiosk made before that day is
 * counted, a bundle holding anything of that day or later is not. Its
 * bundles are all of TODAY: revoked from the next day, all of them count;
 * revoked from TODAY, none does. */
static void test_revoked_since(void **state)
{
    char *dir = election_dir("revoked-since", 0);
    uint8_t *list = NULL;
    size_t len;
    uint32_t since = TODAY + 1;
    cert_revoked_t rev;
    verify_t *v;

    (void)state;
    assert_int_equal(cert_revoke_sign_since(&auth_signer, TODAY + 1, 2, kiosks[1].signer.pub.id,
                                            &since, 1, &list, &len), 0);
    assert_int_equal(cert_revoke_open(list, len, &auth_signer.pub, &rev, NULL, 0), 0);
    v = run_verify(dir, &rev);
    assert_int_equal(v->n_problems, 0);
    assert_int_equal(v->n_kiosks, 3);
    verify_free(v);
    free(list);
    since = TODAY;
    assert_int_equal(cert_revoke_sign_since(&auth_signer, TODAY + 1, 3, kiosks[1].signer.pub.id,
                                            &since, 1, &list, &len), 0);
    assert_int_equal(cert_revoke_open(list, len, &auth_signer.pub, &rev, NULL, 0), 0);
    v = run_verify(dir, &rev);
    assert_int_equal(v->n_problems, 3);
    assert_true(line_with(v->log, "kiosk-35238-02", "revoked from 2026-11-28",
                          "an item of 2026-11-28"));
    assert_int_equal(v->n_kiosks, 2);
    verify_free(v);
    free(list);
    tu_rmtree(dir);
    free(dir);
}

static void test_revoked(void **state)
{
    char *dir = election_dir("revoked", 0);
    uint8_t *list = NULL;
    size_t len;
    cert_revoked_t rev;
    verify_t *v;

    (void)state;
    assert_int_equal(cert_revoke_sign(&auth_signer, TODAY, 1, kiosks[1].signer.pub.id, 1, &list,
                                      &len), 0);
    assert_int_equal(cert_revoke_open(list, len, &auth_signer.pub, &rev, NULL, 0), 0);
    v = run_verify(dir, &rev);
    assert_int_equal(v->n_problems, 3);  /* its three bundles */
    assert_true(line_with(v->log, "kiosk kiosk-35238-02, k1-2.bnu, bundle", "revoked",
                          "5 ballots"));
    assert_true(line_with(v->log, "kiosk-35238-02", "k1-1.bnu", "revoked"));
    assert_int_equal(v->n_kiosks, 2);  /* none of its ballots counted */
    assert_int_equal(v->n_ballots, 20);
    verify_free(v);
    free(list);
    tu_rmtree(dir);
    free(dir);
}

static void test_dup_and_rule(void **state)
{
    char *dir = election_dir("dup", F_DUPBYTES), *dir2 = election_dir("rule", F_BADRULE), hex[33];
    verify_t *v = run_verify(dir, NULL), *v2 = run_verify(dir2, NULL);

    (void)state;
    hex_encode(kiosks[0].voters[0].id, 16, hex);
    assert_true(line_with(v->log, "kiosk kiosk-35360-01, k2-9.bnu", hex,
                          "same ballot id as in kiosk kiosk-35238-01, k0-1.bnu"));
    assert_true(line_with(v->log, "kiosk-35360-01", "closing report", "1 extra"));
    /* (VERIFY-V2) a ballot that breaks the rule is named */
    assert_true(line_with(v2->log, "kiosk kiosk-35360-01, k2-9.bnu, ballot",
                          "4 projects, more than the maximum 3", NULL));
    verify_free(v);
    verify_free(v2);
    tu_rmtree(dir);
    tu_rmtree(dir2);
    free(dir);
    free(dir2);
}

/* (VERIFY-V4) No closing report from a kiosk, a file that is not a bundle, an empty
 * folder: each is a problem. */
static void test_noreport_junk_empty(void **state)
{
    char *dir = election_dir("norep", F_NOREPORT | F_JUNK), *empty = tu_tmpdir("empty");
    verify_t *v = run_verify(dir, NULL), *e = run_verify(empty, NULL);

    (void)state;
    assert_true(line_with(v->log, "PROBLEM kiosk kiosk-35238-02, -, closing report",
                          "none received: its 5 ballots", NULL));
    assert_true(line_with(v->log, "PROBLEM kiosk ?, notes.txt, bundle", "malformed data", NULL));
    assert_int_equal(v->n_problems, 2);
    assert_int_equal(e->n_problems, 1);
    assert_true(line_with(e->log, "PROBLEM", "bundles", "none found"));
    verify_free(v);
    verify_free(e);
    tu_rmtree(dir);
    tu_rmtree(empty);
    free(dir);
    free(empty);
}

/* The published .pb files read back with our own reader give the same
 * votes and winners as the count. */
static void test_publish_pb_round_trip(void **state)
{
    char *dir = election_dir("pub", 0), *out = tu_path(dir, "out"), why[256] = "", name[64];
    verify_t *v = run_verify(dir, NULL);
    tally_count_t c;
    publish_opts_t po = {0, tkey, "campaign.bpkg"};
    int t, i, j;

    (void)state;
    assert_int_equal(tally_count(v, &c, why, sizeof why), 0);
    assert_int_equal(c.ballots, 30);
    assert_int_equal(publish_write(v, &c, &po, out, why, sizeof why), 0);
    for (t = 0; t < c.n_terr; t++) {
        tally_terr_t *tt = &c.terr[t];
        pb_t *pb = NULL;
        char *path;
        int64_t cost[16];
        int rank[16], sel[16] = {0};
        count_profile_t prof;
        count_result_t res;

        snprintf(name, sizeof name, "ballots-%s.pb", pkg->territories[tt->territory].id);
        path = tu_path(out, name);
        assert_int_equal(pb_load(path, &pb, why, sizeof why), 0);
        free(path);
        assert_int_equal(pb->n_voters, tt->n_ballots);
        assert_int_equal(pb->budget, pkg->territories[tt->territory].envelope);
        assert_string_equal(pb->rule, "greedy");
        assert_int_equal(pb->n_projects, tt->n_projects);
        for (i = 0; i < pb->n_projects; i++)
            cost[i] = pb->projects[i].cost;
        pb_id_ranks(pb, rank);
        prof = (count_profile_t){pb->n_projects, cost, rank, pb->n_voters, pb->vote_off,
                                 pb->vote_items, pb->budget, NULL, 0};
        assert_int_equal(count_run(&prof, COUNT_GREEDY, &res, why, sizeof why), 0);
        for (i = 0; i < res.n_winners; i++)
            sel[res.winners[i]] = 1;
        assert_int_equal(res.n_winners, tt->res.n_winners);
        assert_true(res.n_winners > 0);
        for (i = 0; i < tt->n_projects; i++) {
            j = pb_find(pb, pkg->projects[tt->projects[i]].id);
            assert_true(j >= 0);
            assert_int_equal(pb->projects[j].votes, tt->votes[i]);
            assert_int_equal(sel[j], tt->selected[i]);
        }
        count_result_free(&res);
        pb_free(pb);
    }
    /* the expected figures, by hand: Rennes, 12 + 7 ballots */
    assert_string_equal(pkg->territories[c.terr[0].territory].id, "rennes");
    assert_int_equal(c.terr[0].n_ballots, 12 + 6);
    assert_int_equal(c.terr[1].n_ballots, 4 + 8);
    /* turnout: the closing reports' communes, summed over kiosks. Rennes
     * 18 = Rennes 12 (kiosk 0, shown) + Bruz 3 + Betton 3 (kiosk 1: fewer
     * than 10, "3" written nowhere for them); Vitre 12 = Vitre 12 (kiosks 1
     * and 2) + Acigne 0: Acigne is fewer than 10, and Vitre is hidden too
     * (TURNOUT-T2), else Acigne's 0 would be 12 - 12. 30 participants: the person
     * who took part at kiosks 0 and 2 (VERIFY-V5) counts at both (counts carry no
     * pseudonym). Complete: each territory's participants are its ballots. */
    {
        /* Rennes shown; Bruz and Betton fewer than 10 (TURNOUT-T1); Vitré hidden,
         * or Acigné's 0 would be Vitré's total less its count (TURNOUT-T2) */
        static const struct {
            const char *insee;
            int64_t participants;
            int shown;
        } want[] = {{"35238", 12, TURNOUT_SHOWN}, {"35047", 3, TURNOUT_FEWER},
                    {"35024", 3, TURNOUT_FEWER},  {"35360", 12, TURNOUT_HIDDEN},
                    {"35001", 0, TURNOUT_FEWER}};
        const turnout_t *tu = &c.turnout;
        int k;

        assert_int_equal(tu->participants, 30);
        assert_int_equal(tu->unknown_entries, 0);
        assert_int_equal(tu->excluded_entries, 0);
        assert_true(tu->complete);
        assert_int_equal(tu->terr[0].participants, 18);
        assert_int_equal(tu->terr[0].participants, c.terr[0].n_ballots);
        assert_int_equal(tu->terr[1].participants, 12);
        assert_int_equal(tu->terr[1].participants, c.terr[1].n_ballots);
        for (k = 0; k < (int)(sizeof want / sizeof want[0]); k++) {
            int at = pkg_find_commune(pkg, want[k].insee);
            assert_true(at >= 0);
            assert_int_equal(tu->communes[at].participants, want[k].participants);
            assert_int_equal(tu->communes[at].shown, want[k].shown);
        }
    }
    /* (TURNOUT-T1) a hidden commune's count is written nowhere: its JSON object,
     * its CSV row and its page rows carry no number */
    {
        static const char *const hidden[] = {"35047", "35024", "35001", "35360"};
        char *jp = tu_path(out, "results.json"), *cp = tu_path(out, "turnout.csv");
        char *hp = tu_path(out, "index.html"), *js = (char *)tu_read(jp, NULL);
        char *cs = (char *)tu_read(cp, NULL), *hs = (char *)tu_read(hp, NULL), *at, *end;
        size_t h;

        assert_non_null(js);
        assert_non_null(cs);
        assert_non_null(hs);
        for (h = 0; h < sizeof hidden / sizeof hidden[0]; h++) {
            char want[32];

            /* results.json: {"insee": X, "name", "shown", "participants": null} */
            snprintf(want, sizeof want, "\"insee\":\t\"%s\"", hidden[h]);
            assert_non_null(at = strstr(js, want));
            assert_non_null(end = strchr(at, '}'));
            assert_non_null(strstr(at, "\"participants\":\tnull"));
            assert_true(strstr(at, "\"participants\":\tnull") < end);
            /* turnout.csv */
            snprintf(want, sizeof want, ",%s,", hidden[h]);
            assert_non_null(at = strstr(cs, want));
            end = strchr(at, '\r');
            assert_non_null(end);
            assert_true(strncmp(at + strlen(want), "fewer-than-10,", 14) == 0 ||
                        strncmp(at + strlen(want), "hidden,", 7) == 0);
            /* the page, both languages: the cell after the INSEE code */
            snprintf(want, sizeof want, "<code>%s</code></td>", hidden[h]);
            for (at = strstr(hs, want); at != NULL; at = strstr(at + 1, want)) {
                const char *cell = at + strlen(want);

#define STARTS(lit) (strncmp(cell, lit, strlen(lit)) == 0)
                assert_true(STARTS("<td class=\"n hid\">moins de 10</td>") ||
                            STARTS("<td class=\"n hid\">fewer than 10</td>") ||
                            STARTS("<td class=\"n hid\">masqué</td>") ||
                            STARTS("<td class=\"n hid\">hidden</td>"));
#undef STARTS
            }
        }
        assert_true(has(cs, "certified,commune,rennes,35238,12,\"Rennes\"\r\n"));
        assert_true(has(cs, "certified,territory,rennes,,18,\"Pays de Rennes\"\r\n"));
        assert_true(has(cs, "certified,commune,rennes,35047,fewer-than-10,\"Bruz\"\r\n"));
        assert_true(has(cs, "certified,commune,vitre,35360,hidden,\"Vitr\xc3\xa9\"\r\n"));
        assert_true(has(hs, "<code>35238</code></td><td class=\"n\">12</td>"));
        /* Bruz and Betton hold 3 each: no "3" in their rows anywhere */
        assert_null(strstr(cs, "35047,3"));
        assert_null(strstr(cs, "35024,3"));
        free(js);
        free(cs);
        free(hs);
        free(jp);
        free(cp);
        free(hp);
    }
    /* (PUB-P1) every counted ballot's tracking code is in the sorted list */
    {
        uint8_t key[32];
        char code[TRACK_TEXT_LEN + 1], *path = tu_path(out, "tracking-codes.txt");
        char *codes = (char *)tu_read(path, NULL);
        int k;

        assert_non_null(codes);
        assert_int_equal(track_key(secret, key), 0);
        for (k = 0; k < N_KIOSKS; k++)
            for (i = 0; i < kiosks[k].n; i++) {
                assert_int_equal(track_code(key, kiosks[k].voters[i].id, code), 0);
                assert_true(has(codes, code));
            }
        free(codes);
        free(path);
    }
    assert_int_equal(publish_check(out, stderr, why, sizeof why), 0);
    tally_count_free(&c);
    verify_free(v);
    free(out);
    tu_rmtree(dir);
    free(dir);
}

/* (VERIFY-V8) A kiosk whose closing report gives no communes (a store migrated
 * from schema 2) is certified, its 10 participants counted apart (unknown
 * commune), the turnout incomplete; each territory's ballots exceed its
 * communes' participants by that kiosk's, and check agrees. A report
 * counting a commune the package does not list is a problem naming the
 * kiosk and the value, and that count is excluded. */
static void test_turnout_unknown_and_foreign(void **state)
{
    char *dir = election_dir("unk", F_NOCOMMUNES), *bad = election_dir("foreign", F_FOREIGN);
    char *out = tu_path(dir, "out"), why[256] = "";
    verify_t *v = run_verify(dir, NULL), *w = run_verify(bad, NULL);
    publish_opts_t po = {0, NULL, "campaign.bpkg"};
    tally_count_t c;
    FILE *log = tmpfile();

    (void)state;
    assert_int_equal(v->n_problems, 0);
    assert_true(line_with(v->log, "NOTE kiosk kiosk-35238-02", "no participants per commune",
                          "incomplete"));
    assert_int_equal(tally_count(v, &c, why, sizeof why), 0);
    assert_int_equal(c.turnout.unknown_entries, 10);
    assert_false(c.turnout.complete);
    assert_int_equal(c.turnout.terr[0].participants, 12);
    assert_int_equal(c.turnout.terr[1].participants, 8);
    assert_int_equal(c.turnout.participants, 20);
    assert_int_equal(c.terr[0].n_ballots, 18);
    assert_int_equal(publish_write(v, &c, &po, out, why, sizeof why), 0);
    assert_non_null(log);
    assert_int_equal(publish_check(out, log, why, sizeof why), 0);
    fclose(log);
    {
        char *hp = tu_path(out, "index.html"), *hs = (char *)tu_read(hp, NULL);

        assert_non_null(hs);
        assert_true(has(hs, "Participation incompl"));
        assert_true(has(hs, "Turnout incomplete"));
        free(hs);
        free(hp);
    }
    tally_count_free(&c);
    /* the foreign commune: one problem, naming the kiosk and the value */
    assert_int_equal(w->n_problems, 1);
    assert_true(line_with(w->log, "PROBLEM kiosk kiosk-35238-02, k1-2.bnu, closing report",
                          "commune \"35999\" (3 participants)", "is not in the package"));
    assert_int_equal(tally_count(w, &c, why, sizeof why), 0);
    assert_int_equal(c.turnout.excluded_entries, 3);
    assert_false(c.turnout.complete);
    tally_count_free(&c);
    verify_free(v);
    verify_free(w);
    tu_rmtree(dir);
    tu_rmtree(bad);
    free(out);
    free(dir);
    free(bad);
}

/* --- the command line ----------------------------------------------------- */

static int run(const char *args, const char *outfile)
{
    char cmd[4096];
    int st;

    snprintf(cmd, sizeof cmd, "'%s' %s >'%s' 2>&1", BORNE_TALLY, args, outfile);
    st = system(cmd);
    assert_true(WIFEXITED(st));
    return WEXITSTATUS(st);
}

static char *cli_args(char *buf, size_t cap, const char *cmd, const char *extra, const char *dir)
{
    snprintf(buf, cap, "%s --authority '%s/CA.pem' --package '%s/campaign.bpkg' %s '%s'", cmd,
             work, work, extra, dir);
    return buf;
}

static char *slurp(const char *path)
{
    char *s = (char *)tu_read(path, NULL);

    assert_non_null(s);
    return s;
}

static void edit(const char *path, const char *from, const char *to)
{
    char *s = slurp(path), *p = strstr(s, from), *t;
    size_t n;

    assert_non_null(p);
    n = strlen(s) - strlen(from) + strlen(to);
    t = malloc(n + 1);
    sprintf(t, "%.*s%s%s", (int)(p - s), s, to, p + strlen(from));
    assert_int_equal(tu_write(path, t, n), 0);
    free(s);
    free(t);
}

static void test_cli(void **state)
{
    char *dir = election_dir("cli", 0), *bad = election_dir("clibad", F_MISSING);
    char *log = tu_path(work, "log.txt"), *out = tu_path(dir, "pub"), *pout = tu_path(bad, "pub");
    char args[4096], extra[1024], *s, *json;

    (void)state;
    assert_int_equal(run(cli_args(args, sizeof args, "verify", "", dir), log), 0);
    s = slurp(log);
    assert_true(has(s, "certified: no problem found"));
    free(s);
    assert_int_equal(run(cli_args(args, sizeof args, "verify", "--mbedtls --threads 1", dir), log), 0);
    s = slurp(log);
    assert_true(has(s, "certified: no problem found"));
    free(s);
    snprintf(extra, sizeof extra, "--track-key '%s/track.hex' -o '%s'", work, out);
    assert_int_equal(run(cli_args(args, sizeof args, "publish", extra, dir), log), 0);
    snprintf(args, sizeof args, "check '%s'", out);
    assert_int_equal(run(args, log), 0);
    s = slurp(log);
    assert_true(has(s, "every published figure agrees"));
    free(s);
    json = tu_path(out, "results.json");
    s = slurp(json);
    assert_true(has(s, "\"status\":\t\"certified\""));
    assert_true(has(s, "\"votes\":\t"));
    free(s);
    if (getenv("BORNE_TALLY_KEEP") != NULL) {  /* the certified folder, before the edit below */
        snprintf(args, sizeof args, "cp -r '%s' '%s/certified'", out, getenv("BORNE_TALLY_KEEP"));
        assert_int_equal(system(args), 0);
    }
    /* one turnout figure edited, on a fresh copy each time: check disagrees
     * and says why */
    {
        static const char *const cases[][4] = {
            /* file, from, to, what check says */
            {"results.json", "\"participants\":\t12", "\"participants\":\t13",
             "turnout.csv: row"},
            {"results.json", "\"shown\":\t\"fewer-than-10\",\n\t\t\t\t\t\t\"participants\":\tnull",
             "\"shown\":\t\"fewer-than-10\",\n\t\t\t\t\t\t\"participants\":\t3",
             "is 'fewer-than-10' but its participants are written"},
            {"results.json", "\"shown\":\t\"fewer-than-10\",\n\t\t\t\t\t\t\"participants\":\tnull",
             "\"shown\":\t\"count\",\n\t\t\t\t\t\t\"participants\":\t3",
             "shows 3 participants: fewer than 10 must be hidden"},
            {"results.json", "\"participants\":\t18", "\"participants\":\t40",
             "cannot add up to 28"},
            {"results.json", "\"shown\":\t\"hidden\",\n\t\t\t\t\t\t\"participants\":\tnull",
             "\"shown\":\t\"count\",\n\t\t\t\t\t\t\"participants\":\t12",
             "a hidden commune's count can be worked out"},
            {"turnout.csv", "35047,fewer-than-10", "35047,3", "turnout.csv: row"},
            {"turnout.csv", "rennes,,18", "rennes,,17", "turnout.csv: row"},
            {"results.json", "\"participants\":\t18", "\"participants\":\t19",
             "19 participants of its communes but 18 ballots"},
            {"results.json", "\"participants\":\t30", "\"participants\":\t31",
             "31 participants in all, the territories add up to 30"},
            {"results.json", "\"complete\":\ttrue", "\"complete\":\tfalse",
             "complete is false with 0 entries"},
        };
        size_t k;
        char *copy = tu_path(dir, "pub-edit"), *path;

        for (k = 0; k < sizeof cases / sizeof cases[0]; k++) {
            snprintf(args, sizeof args, "rm -rf '%s' && cp -r '%s' '%s'", copy, out, copy);
            assert_int_equal(system(args), 0);
            path = tu_path(copy, cases[k][0]);
            edit(path, cases[k][1], cases[k][2]);
            free(path);
            snprintf(args, sizeof args, "check '%s'", copy);
            if (run(args, log) != 1) {
                s = slurp(log);
                fail_msg("edit %zu of %s: check agreed:\n%s", k, cases[k][0], s);
            }
            s = slurp(log);
            if (!has(s, "DISAGREE") || !has(s, cases[k][3]))
                fail_msg("edit %zu: no \"%s\" in:\n%s", k, cases[k][3], s);
            free(s);
        }
        free(copy);
    }
    /* a figure edited in results.json: check disagrees */
    edit(json, "\"votes\":\t", "\"votes\":\t1");
    snprintf(args, sizeof args, "check '%s'", out);
    assert_int_equal(run(args, log), 1);
    s = slurp(log);
    assert_true(has(s, "DISAGREE"));
    free(s);
    free(json);

    /* a missing ballot: verify and publish refuse, naming kiosk and item */
    assert_int_equal(run(cli_args(args, sizeof args, "verify", "", bad), log), 1);
    s = slurp(log);
    assert_true(has(s, "PROBLEM kiosk kiosk-35360-01, k2-1.bnu, closing report: reports 8 ballots"));
    assert_true(has(s, "NOT CERTIFIED"));
    free(s);
    snprintf(extra, sizeof extra, "-o '%s'", pout);
    assert_int_equal(run(cli_args(args, sizeof args, "publish", extra, bad), log), 1);
    /* --provisional: published, marked provisional everywhere */
    snprintf(extra, sizeof extra, "--provisional --track-key '%s/track.hex' -o '%s'", work, pout);
    assert_int_equal(run(cli_args(args, sizeof args, "publish", extra, bad), log), 0);
    {
        static const char *const files[][2] = {
            {"results.json", "\"provisional\":\ttrue"}, {"results-rennes.csv", "provisional,rennes"},
            {"ballots-vitre.pb", "status;provisional"}, {"tracking-codes.txt", "# PROVISIONAL"},
            {"verification.txt", "PROVISIONAL"}, {"index.html", "PROVISOIRES"},
            {"index.html", "PROVISIONAL RESULTS"}};
        size_t i;

        for (i = 0; i < sizeof files / sizeof files[0]; i++) {
            char *p = tu_path(pout, files[i][0]);

            s = slurp(p);
            assert_true(has(s, files[i][1]));
            free(s);
            free(p);
        }
    }
    snprintf(args, sizeof args, "check '%s'", pout);
    assert_int_equal(run(args, log), 0);
    /* the page: no script, no external resource, both languages, charts */
    {
        char *p = tu_path(out, "index.html");

        s = slurp(p);
        assert_null(strstr(s, "<script"));
        assert_null(strstr(s, "src="));
        assert_null(strstr(s, "http://") != NULL && strstr(s, "http://www.w3.org/2000/svg") == NULL
                        ? s : NULL);
        assert_null(strstr(s, "https://"));
        assert_true(has(s, "<svg"));
        assert_true(has(s, "lang=\"en\""));
        assert_true(has(s, "Bus &amp; &lt;navette&gt;"));
        assert_true(has(s, "Turnout per territory"));
        assert_true(has(s, "Turnout per commune"));
        assert_true(has(s, "Participation par commune"));
        assert_true(has(s, ">moins de 10<"));
        assert_true(has(s, ">fewer than 10<"));
        free(s);
        free(p);
    }
    /* BORNE_TALLY_KEEP=DIR keeps the published folders (to look at the page) */
    if (getenv("BORNE_TALLY_KEEP") != NULL) {
        snprintf(args, sizeof args, "cp -r '%s' '%s/provisional' && "
                 "cp -r '%s' '%s/bundles' && cp '%s/CA.pem' '%s/campaign.bpkg' '%s/track.hex' '%s'",
                 pout, getenv("BORNE_TALLY_KEEP"), bad, getenv("BORNE_TALLY_KEEP"), work, work, work,
                 getenv("BORNE_TALLY_KEEP"));
        assert_int_equal(system(args), 0);
    }
    /* usage errors */
    assert_int_equal(run("verify", log), 2);
    assert_int_equal(run("check", log), 2);
    free(log);
    free(out);
    free(pout);
    tu_rmtree(dir);
    tu_rmtree(bad);
    free(dir);
    free(bad);
}

/* --- --server-db ----------------------------------------------------------- */

static void sql_ok(sqlite3 *db, const char *sql)
{
    char *err = NULL;

    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
        print_error("%s: %s\n", sql, err ? err : "?");
    assert_null(err);
}

/* A store as borne-server documents the tables the tally reads
 * (docs/architecture.md, "What the tally reads"), written here with plain
 * SQL from every bundle file of dir: the tally is held to that interface,
 * not to the server's code. Returns the path (malloc'd). */
static char *store_of(const char *dir, const char *tag)
{
    char *tmp = tu_tmpdir(tag), *path = tu_path(tmp, "server.db");
    sqlite3 *db = NULL;
    sqlite3_stmt *a = NULL, *b = NULL;
    struct dirent *e;
    DIR *d = opendir(dir);

    assert_non_null(d);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sql_ok(db, "CREATE TABLE bundle_bytes (digest BLOB PRIMARY KEY, campaign TEXT NOT NULL,"
               " kiosk BLOB NOT NULL, bytes BLOB NOT NULL) WITHOUT ROWID;"
               "CREATE TABLE bundles (digest BLOB PRIMARY KEY, campaign TEXT NOT NULL,"
               " kiosk BLOB NOT NULL, day INTEGER NOT NULL, ack TEXT NOT NULL) WITHOUT ROWID;"
               "PRAGMA user_version = 3");
    assert_int_equal(sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO bundle_bytes VALUES (?1, ?2, ?3, ?4)",
                                        -1, &a, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO bundles VALUES (?1, ?2, ?3, 1, '{}')",
                                        -1, &b, NULL), SQLITE_OK);
    while ((e = readdir(d)) != NULL) {
        char *f;
        uint8_t *buf, sha[32];
        size_t len;
        bundle_t bd;
        key_pub_t pub;

        if (e->d_name[0] == '.' || strstr(e->d_name, ".bnu") == NULL)
            continue;
        f = tu_path(dir, e->d_name);
        buf = tu_read(f, &len);
        assert_non_null(buf);
        key_sha256(buf, len, sha);
        assert_int_equal(bundle_decode(buf, len, &bd, NULL, 0), 0);
        assert_int_equal(cert_key(bd.cert, bd.cert_len, &pub), 0);
        sqlite3_bind_blob(a, 1, sha, 32, SQLITE_TRANSIENT);
        sqlite3_bind_text(a, 2, bd.campaign, -1, SQLITE_TRANSIENT);
        sqlite3_bind_blob(a, 3, pub.id, KEY_ID_LEN, SQLITE_TRANSIENT);
        sqlite3_bind_blob(a, 4, buf, (int)len, SQLITE_TRANSIENT);
        assert_int_equal(sqlite3_step(a), SQLITE_DONE);
        sqlite3_reset(a);
        sqlite3_bind_blob(b, 1, sha, 32, SQLITE_TRANSIENT);
        sqlite3_bind_text(b, 2, bd.campaign, -1, SQLITE_TRANSIENT);
        sqlite3_bind_blob(b, 3, pub.id, KEY_ID_LEN, SQLITE_TRANSIENT);
        assert_int_equal(sqlite3_step(b), SQLITE_DONE);
        sqlite3_reset(b);
        free(buf);
        free(f);
    }
    closedir(d);
    sqlite3_finalize(a);
    sqlite3_finalize(b);
    sqlite3_close(db);
    free(tmp);
    return path;
}

static void store_sql(const char *path, const char *sql)
{
    sqlite3 *db = NULL;

    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    sql_ok(db, sql);
    sqlite3_close(db);
}

static verify_t *run_db(const char *path)
{
    verify_input_t in = {ca, ca_len, NULL, pkg, 0, 3, 0, 0, NULL, NULL};
    verify_t *v = NULL;
    char why[256] = "";

    in.day = pkg->closes;
    assert_int_equal(serverdb_verify(&in, path, &v, why, sizeof why), 0);
    return v;
}

static void rm_store(char *path)
{
    char *slash = strrchr(path, '/');

    *slash = '\0';
    tu_rmtree(path);
    free(path);
}

/* (SRVDB-T2) The bundles of a store verify exactly as the same bundles in files:
 * the same ballots, each counted or not alike, the same kiosks reconciled;
 * (T3, T4) what only a store can get wrong is named. */
static void test_server_db(void **state)
{
    char *dir = election_dir("sdb", 0), *bad = election_dir("sdbt", F_TAMPER), *db, *dbt,
         line[400], hex[65], bid[33];
    verify_t *v = run_verify(dir, NULL), *w, *t;
    uint8_t *buf, sha[32];
    size_t len, pos = 0, bl;
    bundle_t b;
    const uint8_t *ballot;
    char *path;
    int i;

    (void)state;
    db = store_of(dir, "sdb-store");
    w = run_db(db);
    assert_int_equal(w->n_problems, 0);
    assert_int_equal(w->n_bundles, 4);   /* k1-1-again.bnu is k1-1.bnu: one row */
    assert_int_equal(w->n_ballots, v->n_ballots);
    for (i = 0; i < v->n_ballots; i++) {
        assert_memory_equal(w->ballots[i].id, v->ballots[i].id, BALLOT_ID_LEN);
        assert_int_equal(w->ballots[i].valid, v->ballots[i].valid);
        assert_int_equal(w->ballots[i].territory, v->ballots[i].territory);
        assert_memory_equal(w->ballots[i].hash, v->ballots[i].hash, 32);
    }
    assert_int_equal(w->n_kiosks, v->n_kiosks);
    for (i = 0; i < v->n_kiosks; i++)
        assert_true(w->kiosks[i].reconciled);
    assert_int_equal(w->n_warnings, v->n_warnings);
    verify_free(w);
    /* (SRVDB-T4) a bundle held without bytes, with its kiosk's name; another
     * campaign's is none of this tally's business */
    store_sql(db, "INSERT INTO bundles SELECT CAST(zeroblob(31) || x'ee' AS BLOB), 'bp-test', kiosk, 1, '{}'"
                  " FROM bundles LIMIT 1;"
                  "INSERT INTO bundles VALUES (CAST(zeroblob(31) || x'ef' AS BLOB), 'other-2026', zeroblob(32), 1, '{}')");
    w = run_db(db);
    assert_int_equal(w->n_problems, 1);
    assert_int_equal(w->n_bundles, 5);
    assert_int_equal(w->n_bundles_refused, 1);
    snprintf(line, sizeof line, "%s: bundle %064d", db, 0);
    memcpy(line + strlen(line) - 2, "ee", 2);
    assert_true(line_with(w->log, "PROBLEM kiosk kiosk-", line,
                          "bundle: held by the server without its bytes"));
    assert_null(strstr(w->log, "00ef"));
    verify_free(w);
    /* (SRVDB-T3) filed under another campaign but signed for this one: taken, named */
    path = tu_path(dir, "k0-1.bnu");
    buf = tu_read(path, &len);
    key_sha256(buf, len, sha);
    hex_encode(sha, 32, hex);
    snprintf(line, sizeof line, "UPDATE bundle_bytes SET campaign = 'other-2026' WHERE digest = x'%s'", hex);
    store_sql(db, line);
    w = run_db(db);
    assert_int_equal(w->n_problems, 2);
    assert_int_equal(w->n_ballots, v->n_ballots);
    snprintf(line, sizeof line, "%s: bundle %s, bundle", db, hex);
    assert_true(line_with(w->log, "PROBLEM kiosk kiosk-35238-01", line,
                          "the store files it under campaign 'other-2026' but its signed bytes name 'bp-test'"));
    verify_free(w);
    /* (SRVDB-T3) held under a digest its bytes do not hash to: named, still verified */
    snprintf(line, sizeof line, "UPDATE bundle_bytes SET digest = CAST(zeroblob(31) || x'01' AS BLOB) WHERE digest = x'%s'", hex);
    store_sql(db, line);
    w = run_db(db);
    assert_int_equal(w->n_problems, 4);
    assert_int_equal(w->n_ballots, v->n_ballots);
    snprintf(line, sizeof line, "its bytes hash to %s, not to the digest it is held under", hex);
    assert_true(line_with(w->log, "PROBLEM kiosk kiosk-35238-01", "bundle 000000", line));
    /* and its `bundles` row, under the true digest, now has no bytes */
    snprintf(line, sizeof line, "%s: bundle %s, bundle: held by the server without its bytes", db, hex);
    assert_true(line_with(w->log, "PROBLEM kiosk kiosk-35238-01", line, NULL));
    verify_free(w);
    free(buf);
    free(path);
    /* a tampered ballot: the kiosk, the store's bundle and the ballot named */
    dbt = store_of(bad, "sdbt-store");
    t = run_db(dbt);
    path = tu_path(bad, "k1-1.bnu");
    buf = tu_read(path, &len);
    key_sha256(buf, len, sha);
    hex_encode(sha, 32, hex);
    assert_int_equal(bundle_decode(buf, len, &b, NULL, 0), 0);
    assert_true(bundle_next_ballot(&b, &pos, &ballot, &bl));
    hex_encode(ballot + 12, 16, bid);
    snprintf(line, sizeof line, "%s: bundle %s, ballot %s", dbt, hex, bid);
    assert_true(line_with(t->log, "PROBLEM kiosk kiosk-35238-02", line, "signature does not verify"));
    assert_true(line_with(t->log, "kiosk-35238-02", "closing report", "missing"));
    verify_free(t);
    free(buf);
    free(path);
    verify_free(v);
    rm_store(db);
    rm_store(dbt);
    tu_rmtree(dir);
    tu_rmtree(bad);
    free(dir);
    free(bad);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean),
        cmocka_unit_test(test_tampered),
        cmocka_unit_test(test_missing),
        cmocka_unit_test(test_stuffed),
        cmocka_unit_test(test_revoked),
        cmocka_unit_test(test_revoked_since),
        cmocka_unit_test(test_dup_and_rule),
        cmocka_unit_test(test_noreport_junk_empty),
        cmocka_unit_test(test_publish_pb_round_trip),
        cmocka_unit_test(test_turnout_unknown_and_foreign),
        cmocka_unit_test(test_cli),
        cmocka_unit_test(test_server_db),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
