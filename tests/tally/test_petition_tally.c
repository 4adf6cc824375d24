/* test_petition_tally.c - borne-tally verify, publish and check on a small
 * petition built here: an authority, three kiosks with certificates,
 * signature records sealed to the authority, bundles written to a folder.
 * The threshold (5 signatures from 3 cantons) is reached on the right day;
 * the same records with 4 cantons required do not reach it; the same person
 * at two kiosks counts once and is reported as a pair of kiosks; a record
 * outside the window is noted and not counted; a tampered record refuses
 * certification naming the kiosk and the item; check agrees on the
 * published folder and disagrees once a figure is edited; no name is ever
 * published (DESIGN-S5). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <cjson/cJSON.h>

#include "bn_err.h"
#include "bundle.h"
#include "cert.h"
#include "day.h"
#include "hex.h"
#include "key.h"
#include "petition.h"
#include "pkg.h"
#include "publish.h"
#include "report.h"
#include "rng.h"
#include "testutil.h"
#include "verify.h"

#define FROM 20454u  /* 2026-01-01 */
#define UNTIL 22279u /* 2030-12-31 */
#define N_KIOSKS 3
#define MAX_SIGS 8

typedef struct sig_s {
    int person;               /* index into persons */
    int canton;               /* index into pkg->cantons */
    int day;                  /* days after the opening (may be negative) */
} sig_t_;

typedef struct kiosk_s {
    const char *name;
    key_pair_t *key;
    signer_t signer;
    uint8_t cert[CERT_DER_MAX];
    size_t cert_len;
    int n;
    sig_t_ sigs[MAX_SIGS];
    uint8_t recs[MAX_SIGS][PETITION_LEN];
} kiosk_t;

static rng_t *rng;
static key_pair_t *auth;
static signer_t auth_signer;
static key_pub_t auth_pub;
static uint8_t ca[CERT_DER_MAX];
static size_t ca_len;
static pkg_t *pkg, *pkg4;     /* threshold 5 from 3 cantons; the same from 4 */
static char *pkg_file, *pkg4_file;
static size_t pkg_len, pkg4_len;
static uint8_t persons[8][32];
static char *work;

/* Persons 0..5. Kiosk 0: persons 0, 1 (canton 0) on day 1; kiosk 1: person 2
 * (canton 1) and person 0 again (offline duplicate) on day 2, person 3
 * (canton 1) on day 3; kiosk 2: person 4 (canton 2) on day 5 (the fifth
 * person, the third canton: reached on day 5), person 5 on the day before
 * the opening (outside the window). */
static kiosk_t kiosks[N_KIOSKS] = {
    {.name = "kiosk-35238-01", .n = 2, .sigs = {{0, 0, 1}, {1, 0, 1}}},
    {.name = "kiosk-35047-01", .n = 3, .sigs = {{2, 1, 2}, {0, 0, 2}, {3, 1, 3}}},
    {.name = "kiosk-35288-01", .n = 2, .sigs = {{4, 2, 5}, {5, 2, -1}}}};

static char *make_pkg(const char *json, size_t len, int min_cantons, size_t *out_len)
{
    cJSON *o = cJSON_ParseWithLength(json, len), *pt;
    char *txt, *out = NULL, why[256] = "";

    assert_non_null(o);
    pt = cJSON_GetObjectItemCaseSensitive(o, "petition");
    cJSON_ReplaceItemInObject(pt, "threshold", cJSON_CreateNumber(5));
    cJSON_ReplaceItemInObject(pt, "min_cantons", cJSON_CreateNumber(min_cantons));
    txt = cJSON_Print(o);
    assert_int_equal(pkg_sign(txt, strlen(txt), &auth_signer, &out, out_len, why, sizeof why), 0);
    free(txt);
    cJSON_Delete(o);
    return out;
}

static void seal(kiosk_t *k, int i)
{
    const sig_t_ *s = &k->sigs[i];
    petition_identity_t who;
    petition_t r;
    int c;

    for (c = 0; c < pkg->n_communes && pkg->communes[c].canton != s->canton; c++)
        ;
    assert_true(c < pkg->n_communes);
    memset(&who, 0, sizeof who);
    snprintf(who.last_name, sizeof who.last_name, "Kervella-%d", s->person);
    snprintf(who.first_names, sizeof who.first_names, "Yannick");
    snprintf(who.birth, sizeof who.birth, "1970-05-06");
    snprintf(who.commune, sizeof who.commune, "%s", pkg->communes[c].insee);
    assert_int_equal(petition_make(&r, pkg, c, persons[s->person], s->person == 1,
                                   (uint32_t)((int)pkg->opens + s->day), k->signer.pub.id, rng), 0);
    assert_int_equal(petition_seal(&r, &who, &auth_pub, &k->signer, rng, k->recs[i]), 0);
}

static int setup(void **state)
{
    static const uint8_t seed[] = "test_petition_tally";
    char *path = tu_vector("pkg/petition.json"), why[256] = "", pem[CERT_PEM_MAX];
    uint8_t *json;
    size_t len, pem_len;
    int i, j;

    (void)state;
    work = tu_tmpdir("ptally");
    assert_non_null(work);
    assert_int_equal(rng_open_fixed(&rng, seed, sizeof seed - 1), 0);
    assert_int_equal(key_generate(rng, &auth), 0);
    key_signer(auth, &auth_signer);
    key_public(auth, &auth_pub);
    assert_int_equal(cert_make_authority(auth, rng, "Autorite-35", FROM, UNTIL, ca, sizeof ca,
                                         &ca_len, NULL, 0), 0);
    json = tu_read(path, &len);
    assert_non_null(json);
    pkg_file = make_pkg((const char *)json, len, 3, &pkg_len);
    pkg4_file = make_pkg((const char *)json, len, 4, &pkg4_len);
    free(json);
    free(path);
    assert_int_equal(pkg_parse(pkg_file, pkg_len - PKG_TRAILER_LEN, &pkg, why, sizeof why), 0);
    assert_int_equal(pkg_parse(pkg4_file, pkg4_len - PKG_TRAILER_LEN, &pkg4, why, sizeof why), 0);
    assert_int_equal(pkg->kind, PKG_PETITION);
    assert_int_equal(rng_bytes(rng, persons[0], sizeof persons), 0);
    for (i = 0; i < N_KIOSKS; i++) {
        kiosk_t *k = &kiosks[i];
        key_pub_t pub;

        assert_int_equal(key_generate(rng, &k->key), 0);
        key_signer(k->key, &k->signer);
        key_public(k->key, &pub);
        assert_int_equal(cert_issue(auth, rng, ca, ca_len, &pub, CERT_KIOSK, k->name, FROM, UNTIL,
                                    k->cert, sizeof k->cert, &k->cert_len, why, sizeof why), 0);
        for (j = 0; j < k->n; j++)
            seal(k, j);
    }
    assert_int_equal(cert_to_pem(ca, ca_len, pem, sizeof pem, &pem_len), 0);
    path = tu_path(work, "CA.pem");
    assert_int_equal(tu_write(path, pem, pem_len), 0);
    free(path);
    path = tu_path(work, "petition.bpkg");
    assert_int_equal(tu_write(path, pkg_file, pkg_len), 0);
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
    pkg_free(pkg4);
    free(pkg_file);
    free(pkg4_file);
    rng_close(rng);
    tu_rmtree(work);
    free(work);
    return 0;
}

static void put(const char *dir, const char *name, uint8_t *buf, size_t len)
{
    char *path = tu_path(dir, name);

    assert_int_equal(tu_write(path, buf, len), 0);
    free(path);
    free(buf);
}

/* A folder with one bundle per kiosk (kiosk 0's sent twice, with its closing
 * report: 0 ballots, a register entry a signature, `extra` more). tamper:
 * flip a bit of kiosk 1's second record (its sealed identity) before the
 * kiosk signs the bundle. */
static char *petition_dir_x(const char *tag, int tamper, int extra)
{
    char *dir = tu_tmpdir(tag);
    int i, j;

    assert_non_null(dir);
    for (i = 0; i < N_KIOSKS; i++) {
        kiosk_t *k = &kiosks[i];
        bundle_builder_t *b = NULL;
        uint8_t *out, rec[PETITION_LEN];
        char name[32];
        size_t len;

        assert_int_equal(bundle_new(pkg->id, 1, k->cert, k->cert_len, &b), 0);
        for (j = 0; j < k->n; j++) {
            memcpy(rec, k->recs[j], PETITION_LEN);
            if (tamper && i == 1 && j == 1)
                rec[400] ^= 0x10;
            assert_int_equal(bundle_add_signature(b, rec, PETITION_LEN), 0);
        }
        if (i == 0) {
            report_t r;
            uint8_t rep[REPORT_MAX_LEN];
            size_t rep_len = 0;

            memset(&r, 0, sizeof r);
            snprintf(r.campaign, sizeof r.campaign, "%s", pkg->id);
            memcpy(r.kiosk, k->signer.pub.id, KEY_ID_LEN);
            r.opened = pkg->opens;
            r.closed = pkg->opens + 10;
            r.registered = (uint64_t)(k->n + extra);
            report_set_digest(NULL, 0, r.ballot_set);
            assert_int_equal(report_seal(&r, &k->signer, rep, sizeof rep, &rep_len), 0);
            assert_int_equal(bundle_add_report(b, rep, rep_len), 0);
        }
        assert_int_equal(bundle_finish(b, &k->signer, &out, &len), 0);
        bundle_free(b);
        if (i == 0) {
            uint8_t *copy = malloc(len);

            memcpy(copy, out, len);
            put(dir, "k0-again.bnu", copy, len);
        }
        snprintf(name, sizeof name, "k%d.bnu", i);
        put(dir, name, out, len);
    }
    return dir;
}

static char *petition_dir(const char *tag, int tamper)
{
    return petition_dir_x(tag, tamper, 0);
}

/* libcrypto on 3 threads and mbedTLS (bundle_verify) on one: the same report. */
static verify_t *run_verify(const char *dir, const pkg_t *p)
{
    verify_input_t in = {ca, ca_len, NULL, p, 0, 3, 0, 0, NULL, NULL};
    verify_t *v = NULL, *ref = NULL;
    char why[256] = "";

    in.day = p->closes;
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
    return hay != NULL && strstr(hay, needle) != NULL;
}

static void test_reached(void **state)
{
    char *dir = petition_dir("ptally-ok", 0), d[11], line[128];
    verify_t *v;

    (void)state;
    v = run_verify(dir, pkg);
    if (v->n_problems != 0)
        fail_msg("%s", v->log);
    assert_int_equal(v->n_sigs, 7);                 /* (VERIFY-V6) distinct records (k0 sent twice) */
    assert_int_equal(v->petition.valid, 5);         /* persons 0..4 */
    assert_int_equal(v->petition.duplicates, 1);    /* (VERIFY-V7) person 0 again at kiosk 1: once */
    assert_int_equal(v->petition.outside, 1);       /* person 5 */
    assert_int_equal(v->petition.cantons, 3);
    assert_int_equal(v->petition.reached, 1);
    assert_int_equal(v->petition.reached_on, pkg->opens + 5);
    assert_int_equal(v->canton_persons[0], 2);
    assert_int_equal(v->canton_persons[1], 2);
    assert_int_equal(v->canton_persons[2], 1);
    assert_int_equal(v->canton_persons[3], 0);
    /* the duplicate is named as a pair of kiosks */
    assert_true(has(v->log, "DUPLICATE signature of person"));
    assert_true(has(v->log, "kiosk kiosk-35238-01 (") && has(v->log, "and kiosk kiosk-35047-01 ("));
    assert_true(has(v->log, "OUTSIDE kiosk kiosk-35288-01, k2.bnu, signature "));
    assert_true(has(v->log, "kiosk kiosk-35238-01 (key id "));
    assert_true(has(v->log, "2 signatures; closing report: agrees"));
    assert_true(has(v->log, "NOTE kiosk kiosk-35047-01: no closing report"));
    day_format(pkg->opens + 5, d);
    snprintf(line, sizeof line, "threshold 5 signatures from 3 cantons: REACHED on %s", d);
    assert_true(has(v->log, line));
    verify_free(v);
    tu_rmtree(dir);
    free(dir);
}

/* A petition's closing report counts a register entry a signature: one
 * more than the signatures received from its kiosk is a problem. */
static void test_closing_counts(void **state)
{
    char *dir = petition_dir_x("ptally-count", 0, 1), line[160];
    verify_t *v;

    (void)state;
    v = run_verify(dir, pkg);
    snprintf(line, sizeof line, "closing report: reports %d register entries, the bundles hold %d "
             "signatures", kiosks[0].n + 1, kiosks[0].n);
    if (!has(v->log, line))
        fail_msg("no '%s' in:\n%s", line, v->log);
    assert_int_equal(v->n_problems, 1);
    verify_free(v);
    tu_rmtree(dir);
    free(dir);
}

static void test_too_few_cantons(void **state)
{
    char *dir = petition_dir("ptally-4", 0);
    verify_t *v;

    (void)state;
    v = run_verify(dir, pkg4);
    assert_int_equal(v->n_problems, 0);
    assert_int_equal(v->petition.valid, 5);         /* enough signatures ... */
    assert_int_equal(v->petition.cantons, 3);       /* ... from 3 cantons, not 4 */
    assert_int_equal(v->petition.reached, 0);
    assert_int_equal(v->petition.reached_on, 0);
    assert_true(has(v->log, "threshold 5 signatures from 4 cantons: not reached"));
    verify_free(v);
    tu_rmtree(dir);
    free(dir);
}

static void test_tampered(void **state)
{
    char *dir = petition_dir("ptally-bad", 1), hex[33], item[160];
    verify_t *v;
    petition_t r;

    (void)state;
    v = run_verify(dir, pkg);
    assert_true(v->n_problems > 0);
    assert_int_equal(v->n_bundles_refused, 1);
    assert_int_equal(petition_decode(kiosks[1].recs[1], PETITION_LEN, &r, NULL, 0), 0);
    hex_encode(r.id, PETITION_ID_LEN, hex);
    snprintf(item, sizeof item, "PROBLEM kiosk kiosk-35047-01, k1.bnu, signature %s:", hex);
    if (!has(v->log, item))
        fail_msg("no '%s' in:\n%s", item, v->log);
    assert_true(has(v->log, "PROBLEM kiosk kiosk-35047-01, k1.bnu, bundle: refused"));
    /* kiosk 1's bundle contributes nothing: persons 0, 1, 4 */
    assert_int_equal(v->petition.valid, 3);
    assert_int_equal(v->petition.reached, 0);
    verify_free(v);
    tu_rmtree(dir);
    free(dir);
}

static char *slurp(const char *dir, const char *name)
{
    char *path = tu_path(dir, name), *s;
    size_t len;

    s = (char *)tu_read(path, &len);
    free(path);
    return s;
}

static void edit(const char *dir, const char *name, const char *from, const char *to)
{
    char *s = slurp(dir, name), *p, *path = tu_path(dir, name), *out;

    assert_non_null(s);
    p = strstr(s, from);
    assert_non_null(p);
    out = malloc(strlen(s) + strlen(to) + 1);
    memcpy(out, s, (size_t)(p - s));
    strcpy(out + (p - s), to);
    strcat(out, p + strlen(from));
    assert_int_equal(tu_write(path, out, strlen(out)), 0);
    free(out);
    free(path);
    free(s);
}

static void test_publish_check(void **state)
{
    static const char *files[] = {"results.json", "signatures-cantons.csv", "signatures-days.csv",
                                  "verification.txt", "index.html", "tracking-codes.txt"};
    char *dir = petition_dir("ptally-pub", 0), *out = tu_path(dir, "out"), why[256] = "", d[11];
    uint8_t secret[32];
    publish_opts_t po = {0, secret, "petition.bpkg"};
    FILE *log = tmpfile();
    verify_t *v;
    cJSON *root;
    char *s;
    size_t i;

    (void)state;
    memset(secret, 7, sizeof secret);
    v = run_verify(dir, pkg);
    assert_int_equal(publish_petition(v, &po, out, why, sizeof why), 0);
    s = slurp(out, "results.json");
    root = cJSON_Parse(s);
    assert_non_null(root);
    assert_string_equal(cJSON_GetObjectItem(root, "kind")->valuestring, "petition");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(root, "reached")));
    day_format(pkg->opens + 5, d);
    assert_string_equal(cJSON_GetObjectItem(root, "reached_on")->valuestring, d);
    assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(root, "signatures"), "valid")->valueint, 5);
    assert_int_equal(cJSON_GetObjectItem(root, "cantons_reached")->valueint, 3);
    cJSON_Delete(root);
    free(s);
    /* (PUB-P2) no name, no pseudonym in any published file */
    for (i = 0; i < sizeof files / sizeof files[0]; i++) {
        char hex[65];

        s = slurp(out, files[i]);
        assert_non_null(s);
        assert_null(strstr(s, "Kervella"));
        assert_null(strstr(s, "Yannick"));
        hex_encode(persons[0], 8, hex);
        if (strcmp(files[i], "verification.txt") != 0) /* the report names duplicates by prefix */
            assert_null(strstr(s, hex));
        free(s);
    }
    s = slurp(out, "index.html");
    assert_true(has(s, "<svg") && has(s, "lang=\"fr\"") && has(s, "lang=\"en\""));
    assert_null(strstr(s, "<script"));
    free(s);
    assert_int_equal(publish_check(out, log, why, sizeof why), 0);
    /* a figure edited: check disagrees */
    edit(out, "signatures-cantons.csv", ",rennes,2\n", ",rennes,3\n");
    assert_int_equal(publish_check(out, log, why, sizeof why), 1);
    edit(out, "signatures-cantons.csv", ",rennes,3\n", ",rennes,2\n");
    assert_int_equal(publish_check(out, log, why, sizeof why), 0);
    edit(out, "results.json", "\"reached_on\":\t\"", "\"reached_on\":\t\"1");
    assert_int_equal(publish_check(out, log, why, sizeof why), 1);
    fclose(log);
    verify_free(v);
    free(out);
    tu_rmtree(dir);
    free(dir);
}

static int run(const char *args, const char *outfile)
{
    char cmd[4096];
    int st;

    snprintf(cmd, sizeof cmd, "'%s' %s >'%s' 2>&1", BORNE_TALLY, args, outfile);
    st = system(cmd);
    assert_true(WIFEXITED(st));
    return WEXITSTATUS(st);
}

/* The command line: verify certifies, publish writes, check agrees; a
 * tampered record: exit 1, the kiosk and the item named, nothing published. */
static void test_cli(void **state)
{
    char *dir = petition_dir("ptally-cli", 0), *bad = petition_dir("ptally-cli-bad", 1);
    char *log = tu_path(work, "cli.log"), *out = tu_path(work, "cli-out"), args[4096], *s;

    (void)state;
    snprintf(args, sizeof args, "verify --authority '%s/CA.pem' --package '%s/petition.bpkg' '%s'",
             work, work, dir);
    assert_int_equal(run(args, log), 0);
    s = slurp(work, "cli.log");
    assert_true(has(s, "certified: no problem found") && has(s, "REACHED on"));
    free(s);
    snprintf(args, sizeof args, "publish --authority '%s/CA.pem' --package '%s/petition.bpkg' "
             "-o '%s' '%s'", work, work, out, dir);
    assert_int_equal(run(args, log), 0);
    s = slurp(work, "cli.log");
    assert_true(has(s, "certified: 5 signatures counted (3 cantons), threshold reached"));
    free(s);
    snprintf(args, sizeof args, "check '%s'", out);
    assert_int_equal(run(args, log), 0);
    s = slurp(work, "cli.log");
    assert_true(has(s, "check: every published figure agrees"));
    free(s);
    tu_rmtree(out);
    snprintf(args, sizeof args, "publish --authority '%s/CA.pem' --package '%s/petition.bpkg' "
             "-o '%s' '%s'", work, work, out, bad);
    assert_int_equal(run(args, log), 1);
    s = slurp(work, "cli.log");
    assert_true(has(s, "PROBLEM kiosk kiosk-35047-01, k1.bnu, signature "));
    assert_true(has(s, "NOT CERTIFIED, nothing published"));
    free(s);
    s = slurp(out, "results.json");
    assert_null(s);
    tu_rmtree(dir);
    tu_rmtree(bad);
    free(dir);
    free(bad);
    free(log);
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reached),
        cmocka_unit_test(test_closing_counts),
        cmocka_unit_test(test_too_few_cantons),
        cmocka_unit_test(test_tampered),
        cmocka_unit_test(test_publish_check),
        cmocka_unit_test(test_cli),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
