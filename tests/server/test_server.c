/* test_server.c - borne-server's core without HTTP (srv_core.h): upload and
 * acknowledgement, idempotence, two kiosks, receipts, every refusal storing
 * nothing, conflicts, revocation, atomic reservations under concurrency,
 * import of a directory. The HTTP layer is tested by server_http.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <sqlite3.h>

#include "kit.h"
#include "srv_core.h"
#include "srv_demo.h"
#include "srv_verify.h"
#include "testutil.h"

static char *dir;
static srv_t *srv;
static kit_t k1, k2;

static int setup(void **state)
{
    char why[256] = "", *assets = tu_asset("");

    (void)state;
    dir = tu_tmpdir("server");
    assert_non_null(dir);
    assert_int_equal(srv_demo_init(dir, assets, why, sizeof why), 0);
    free(assets);
    assert_int_equal(srv_open(dir, 0, &srv, why, sizeof why), 0);
    assert_int_equal(kit_open(&k1, dir, 1), 0);
    assert_int_equal(kit_open(&k2, dir, 2), 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    srv_close(srv);
    kit_close(&k1);
    kit_close(&k2);
    tu_rmtree(dir);
    free(dir);
    return 0;
}

static void totals(int64_t *b, int64_t *r, int64_t *f)
{
    assert_int_equal(srv_store_totals(srv_store(srv), b, r, f), 0);
}

static int64_t json_num(const char *j, const char *key)
{
    cJSON *o = cJSON_Parse(j), *v = cJSON_GetObjectItemCaseSensitive(o, key);
    int64_t n;

    assert_true(cJSON_IsNumber(v));
    n = (int64_t)v->valuedouble;
    cJSON_Delete(o);
    return n;
}

static void json_str(const char *j, const char *key, char *out, size_t cap)
{
    cJSON *o = cJSON_Parse(j), *v = cJSON_GetObjectItemCaseSensitive(o, key);

    assert_true(cJSON_IsString(v));
    snprintf(out, cap, "%s", v->valuestring);
    cJSON_Delete(o);
}

/* Uploads and expects `status`; returns the body (malloc'd). */
static char *upload(const uint8_t *b, size_t len, int status)
{
    srv_result_t res;
    char *body;

    assert_int_equal(srv_ingest(srv, b, len, &res), status);
    assert_non_null(res.body);
    body = strdup(res.body);
    srv_result_free(&res);
    return body;
}

/* A refusal stores nothing and logs exactly one refusal with `error`. */
static void expect_refusal(const uint8_t *b, size_t len, int status, const char *error)
{
    int64_t b0, r0, f0, b1, r1, f1;
    char *body, e[64];

    totals(&b0, &r0, &f0);
    body = upload(b, len, status);
    json_str(body, "error", e, sizeof e);
    assert_string_equal(e, error);
    json_str(body, "detail", e, sizeof e);
    assert_true(strlen(e) > 0);
    free(body);
    totals(&b1, &r1, &f1);
    assert_int_equal(b1, b0);
    assert_int_equal(r1, r0);
    assert_int_equal(f1, f0 + 1);
}

static void test_upload_ack_idempotent_receipts(void **state)
{
    uint8_t *b, *b2, ids[30 * 16];
    size_t len, len2;
    char codes[30][16], *ack, *again, hex[65], got[65], canon[15];
    int64_t nb, nr, nf;
    int i;

    (void)state;
    assert_int_equal(kit_bundle(&k1, NULL, 1, 30, 25, &b, &len, codes, ids), 0);
    ack = upload(b, len, 200);
    assert_int_equal(json_num(ack, "ballots"), 30);
    assert_int_equal(json_num(ack, "register"), 25);
    assert_int_equal(json_num(ack, "reports"), 0);
    kit_ids_digest(ids, 30, hex);
    json_str(ack, "ballot_ids_digest", got, sizeof got);
    assert_string_equal(got, hex);
    /* (D2) the same bundle again: same acknowledgement, nothing changed */
    totals(&nb, &nr, &nf);
    again = upload(b, len, 200);
    assert_string_equal(again, ack);
    {
        int64_t x, y, z;

        totals(&x, &y, &z);
        assert_int_equal(x, nb);
        assert_int_equal(y, nr);
        assert_int_equal(z, nf);
    }
    /* a second bundle of kiosk 1 adds to its count */
    assert_int_equal(kit_bundle(&k1, NULL, 2, 10, 10, &b2, &len2, NULL, NULL), 0);
    free(again);
    again = upload(b2, len2, 200);
    assert_int_equal(json_num(again, "ballots"), 40);
    assert_int_equal(json_num(again, "register"), 35);
    free(again);
    /* every receipt is found, in any spelling the voter may type */
    for (i = 0; i < 30; i++) {
        char typed[32];
        int j, o = 0;

        assert_int_equal(srv_receipt(srv, codes[i], canon), 1);
        for (j = 0; codes[i][j]; j++)
            if (codes[i][j] != '-') {
                typed[o++] = (char)(codes[i][j] >= 'A' && codes[i][j] <= 'Z' ? codes[i][j] + 32
                                                                               : codes[i][j]);
                if (j % 3 == 0)
                    typed[o++] = ' ';
            }
        typed[o] = 0;
        assert_int_equal(srv_receipt(srv, typed, canon), 1);
        assert_string_equal(canon, codes[i]);
    }
    /* a code nobody holds, and a mistyped one */
    {
        uint8_t rid[16], rkey[32];
        char c[16];

        assert_int_equal(rng_bytes(k1.rng, rid, 16), 0);
        assert_int_equal(rng_bytes(k1.rng, rkey, 32), 0);
        assert_int_equal(track_code(rkey, rid, c), 0);
        assert_int_equal(srv_receipt(srv, c, canon), 0);
        snprintf(c, sizeof c, "%s", codes[0]);
        c[0] = c[0] == '7' ? '8' : '7';
        assert_int_equal(srv_receipt(srv, c, canon), BN_ECHECK);
        assert_int_equal(srv_receipt(srv, "hello", canon), BN_EFORMAT);
    }
    free(ack);
    free(b);
    free(b2);
}

static void test_two_kiosks(void **state)
{
    uint8_t *b;
    size_t len;
    char *ack;

    (void)state;
    assert_int_equal(kit_bundle(&k2, NULL, 1, 12, 12, &b, &len, NULL, NULL), 0);
    ack = upload(b, len, 200);
    /* kiosk 2's acknowledgement counts kiosk 2 only */
    assert_int_equal(json_num(ack, "ballots"), 12);
    assert_int_equal(json_num(ack, "register"), 12);
    free(ack);
    free(b);
}

static void test_refusals(void **state)
{
    uint8_t *b, *t;
    size_t len, i;
    pkg_t other;

    (void)state;
    assert_int_equal(kit_bundle(&k1, NULL, 9, 4, 4, &b, &len, NULL, NULL), 0);
    /* malformed: empty, truncated, garbage */
    expect_refusal(b, 0, 400, "malformed");
    expect_refusal(b, len - 1, 400, "malformed");
    expect_refusal((const uint8_t *)"hello world", 11, 400, "malformed");
    /* tampered: a flipped bit in the signed bytes */
    t = malloc(len);
    for (i = 43 + k1.cert_len + 40; i < len; i += 97) {
        srv_result_t res;

        memcpy(t, b, len);
        t[i] ^= 0x10;
        assert_int_not_equal(srv_ingest(srv, t, len, &res), 200);
        srv_result_free(&res);
    }
    memcpy(t, b, len);
    t[len - 1] ^= 1;
    expect_refusal(t, len, 422, "bad-signature");
    /* oversized */
    expect_refusal(b, SRV_BODY_MAX + 1, 413, "too-large");
    free(t);
    free(b);
    /* unknown campaign (a real, signed bundle of a campaign not served) */
    other = *k1.pkg;
    snprintf(other.id, sizeof other.id, "other-2026");
    assert_int_equal(kit_bundle(&k1, &other, 10, 3, 0, &b, &len, NULL, NULL), 0);
    expect_refusal(b, len, 422, "unknown-campaign");
    free(b);
}

static void test_unknown_kiosk(void **state)
{
    kit_t f;
    key_pair_t *auth, *kiosk;
    key_pub_t pub;
    uint8_t *b;
    size_t len;

    (void)state;
    /* a kiosk certificate from another authority, same names */
    assert_int_equal(kit_open(&f, dir, 1), 0);
    assert_int_equal(key_generate(f.rng, &auth), 0);
    assert_int_equal(key_generate(f.rng, &kiosk), 0);
    assert_int_equal(cert_make_authority(auth, f.rng, "Autorite-demo-35", f.day - 1, f.day + 9,
                                         f.ca, sizeof f.ca, &f.ca_len, NULL, 0), 0);
    key_public(kiosk, &pub);
    assert_int_equal(cert_issue(auth, f.rng, f.ca, f.ca_len, &pub, CERT_KIOSK, "kiosk-35238-01",
                                f.day - 1, f.day + 9, f.cert, sizeof f.cert, &f.cert_len, NULL,
                                0), 0);
    key_free(f.kiosk);
    f.kiosk = kiosk;
    key_signer(kiosk, &f.ks);
    assert_int_equal(kit_bundle(&f, NULL, 1, 3, 3, &b, &len, NULL, NULL), 0);
    expect_refusal(b, len, 403, "unknown-kiosk");
    free(b);
    key_free(auth);
    kit_close(&f);
}

static void test_conflicts(void **state)
{
    uint8_t *b, id[16], ballot[BALLOT_MAX_LEN], ps[32];
    size_t len, bl;
    bundle_builder_t *bb;
    ballot_t x;
    int sel[1] = {0};
    char *ack;

    (void)state;
    /* a held ballot id with other bytes (another choice): refused, logged */
    assert_int_equal(kit_bundle(&k1, NULL, 20, 1, 1, &b, &len, NULL, id), 0);
    ack = upload(b, len, 200);
    free(ack);
    free(b);
    /* no choice at all: kit ballots always hold one, so the bytes differ */
    assert_int_equal(ballot_make(&x, k1.pkg, 0, sel, 0, k1.day, k1.ks.pub.id, k1.rng), 0);
    memcpy(x.id, id, 16);
    assert_int_equal(ballot_seal(&x, &k1.ks, ballot, sizeof ballot, &bl), 0);
    assert_int_equal(bundle_new(k1.pkg->id, 21, k1.cert, k1.cert_len, &bb), 0);
    assert_int_equal(bundle_add_ballot(bb, ballot, bl), 0);
    assert_int_equal(bundle_finish(bb, &k1.ks, &b, &len), 0);
    bundle_free(bb);
    expect_refusal(b, len, 409, "conflict");
    free(b);
    /* a register entry held from this kiosk with another day */
    assert_int_equal(rng_bytes(k1.rng, ps, 32), 0);
    assert_int_equal(bundle_new(k1.pkg->id, 22, k1.cert, k1.cert_len, &bb), 0);
    assert_int_equal(bundle_add_register(bb, ps, k1.day, 0), 0);
    assert_int_equal(bundle_finish(bb, &k1.ks, &b, &len), 0);
    bundle_free(bb);
    ack = upload(b, len, 200);
    free(ack);
    free(b);
    assert_int_equal(bundle_new(k1.pkg->id, 23, k1.cert, k1.cert_len, &bb), 0);
    assert_int_equal(bundle_add_register(bb, ps, k1.day - 1, 0), 0);
    assert_int_equal(kit_ballot(&k1, k1.pkg, ballot, &bl, id), 0);
    assert_int_equal(bundle_add_ballot(bb, ballot, bl), 0);
    assert_int_equal(bundle_finish(bb, &k1.ks, &b, &len), 0);
    bundle_free(bb);
    expect_refusal(b, len, 409, "conflict");
    /* all or nothing: the bundle's valid ballot was not stored either */
    {
        char code[16], canon[15];

        assert_int_equal(track_code(k1.track_key, id, code), 0);
        assert_int_equal(srv_receipt(srv, code, canon), 0);
    }
    free(b);
    /* the same pseudonym from kiosk 2 (offline duplicate) is held, for the tally */
    assert_int_equal(bundle_new(k2.pkg->id, 24, k2.cert, k2.cert_len, &bb), 0);
    assert_int_equal(bundle_add_register(bb, ps, k2.day, 1), 0);
    assert_int_equal(bundle_finish(bb, &k2.ks, &b, &len), 0);
    bundle_free(bb);
    ack = upload(b, len, 200);
    free(ack);
    free(b);
}

typedef struct race_s {
    kit_t *k;
    int status;
    char answer[64];
} race_t;

static pthread_barrier_t barrier;
static uint8_t race_ps[32];

static void *race(void *arg)
{
    race_t *r = arg;
    srv_result_t res;
    char body[200], hex[65];

    hex_encode(race_ps, 32, hex);
    snprintf(body, sizeof body, "{\"campaign\":\"bp35-demo\",\"pseudonym\":\"%s\"}", hex);
    pthread_barrier_wait(&barrier);
    r->status = srv_reserve(srv, r->k->cert, r->k->cert_len, body, strlen(body), &res);
    snprintf(r->answer, sizeof r->answer, "%s", res.body ? res.body : "");
    srv_result_free(&res);
    return NULL;
}

/* (R1) two kiosks asking for the same pseudonym at once: exactly one "reserved" */
static void test_reservation_race(void **state)
{
    enum { N = 8 };
    pthread_t th[N];
    race_t r[N];
    int round, i, yes1, yes2;

    (void)state;
    for (round = 0; round < 20; round++) {
        assert_int_equal(rng_bytes(k1.rng, race_ps, 32), 0);
        assert_int_equal(pthread_barrier_init(&barrier, NULL, N), 0);
        for (i = 0; i < N; i++) {
            r[i].k = i % 2 ? &k2 : &k1;
            assert_int_equal(pthread_create(&th[i], NULL, race, &r[i]), 0);
        }
        yes1 = yes2 = 0;
        for (i = 0; i < N; i++) {
            pthread_join(th[i], NULL);
            assert_int_equal(r[i].status, 200);
            if (strcmp(r[i].answer, "{\"status\":\"reserved\"}") == 0)
                *(i % 2 ? &yes2 : &yes1) += 1;
            else
                assert_string_equal(r[i].answer, "{\"status\":\"already\"}");
        }
        pthread_barrier_destroy(&barrier);
        /* one kiosk got it (its retries too), the other never */
        assert_true((yes1 == N / 2 && yes2 == 0) || (yes2 == N / 2 && yes1 == 0));
    }
    /* refusals: no certificate, a bad body, an unknown campaign */
    {
        srv_result_t res;

        assert_int_equal(srv_reserve(srv, NULL, 0, "{}", 2, &res), 401);
        srv_result_free(&res);
        assert_int_equal(srv_reserve(srv, k1.cert, k1.cert_len, "{}", 2, &res), 400);
        srv_result_free(&res);
        const char *nope = "{\"campaign\":\"nope\",\"pseudonym\":\"0000000000000000"
                           "000000000000000000000000000000000000000000000000\"}";

        assert_int_equal(srv_reserve(srv, k1.cert, k1.cert_len, nope, strlen(nope), &res), 422);
        srv_result_free(&res);
    }
}

/* A pseudonym already in the register (uploaded) cannot be reserved. */
static void test_reservation_register(void **state)
{
    bundle_builder_t *bb;
    uint8_t ps[32], *b;
    size_t len;
    char body[200], hex[65], *ack;
    srv_result_t res;

    (void)state;
    assert_int_equal(rng_bytes(k1.rng, ps, 32), 0);
    assert_int_equal(bundle_new(k1.pkg->id, 30, k1.cert, k1.cert_len, &bb), 0);
    assert_int_equal(bundle_add_register(bb, ps, k1.day, 1), 0);
    assert_int_equal(bundle_finish(bb, &k1.ks, &b, &len), 0);
    bundle_free(bb);
    ack = upload(b, len, 200);
    free(ack);
    free(b);
    hex_encode(ps, 32, hex);
    snprintf(body, sizeof body, "{\"campaign\":\"bp35-demo\",\"pseudonym\":\"%s\"}", hex);
    assert_int_equal(srv_reserve(srv, k1.cert, k1.cert_len, body, strlen(body), &res), 200);
    assert_string_equal(res.body, "{\"status\":\"already\"}");
    srv_result_free(&res);
}

static void test_import(void **state)
{
    char *src = tu_tmpdir("import"), path[4096];
    uint8_t *b;
    size_t len;
    FILE *out = tmpfile();
    int64_t b0, r0, f0, b1, r1, f1;
    int i;

    (void)state;
    for (i = 0; i < 3; i++) {
        assert_int_equal(kit_bundle(&k2, NULL, 100 + (uint64_t)i, 5, 5, &b, &len, NULL, NULL), 0);
        snprintf(path, sizeof path, "%s/b%d.bundle", src, i);
        assert_int_equal(tu_write(path, b, len), 0);
        free(b);
    }
    snprintf(path, sizeof path, "%s/junk.txt", src);
    assert_int_equal(tu_write(path, "not a bundle", 12), 0);
    totals(&b0, &r0, &f0);
    assert_int_equal(srv_import(srv, src, out), 1);
    totals(&b1, &r1, &f1);
    assert_int_equal(b1, b0 + 15);
    assert_int_equal(r1, r0 + 15);
    /* again: everything already held, the junk refused again */
    assert_int_equal(srv_import(srv, src, out), 1);
    totals(&b0, &r0, &f0);
    assert_int_equal(b1, b0);
    fclose(out);
    tu_rmtree(src);
    free(src);
}

/* Revoked: reopen the server with a revocation list naming kiosk 2. */
static void test_revoked(void **state)
{
    key_pair_t *auth;
    signer_t as;
    uint8_t *list, *b;
    size_t len;
    char path[4096], why[256] = "";

    (void)state;
    snprintf(path, sizeof path, "%s/demo/authority.key", dir);
    assert_int_equal(key_load(path, k1.rng, &auth, NULL, 0), 0);
    key_signer(auth, &as);
    assert_int_equal(cert_revoke_sign(&as, k1.day, 1, k2.ks.pub.id, 1, &list, &len), 0);
    snprintf(path, sizeof path, "%s/revocations.brl", dir);
    assert_int_equal(tu_write(path, list, len), 0);
    srv_close(srv);
    assert_int_equal(srv_open(dir, 0, &srv, why, sizeof why), 0);
    {
        size_t rl;

        assert_non_null(srv_revocations(srv, &rl));
        assert_int_equal(rl, len);
    }
    assert_int_equal(kit_bundle(&k2, NULL, 200, 3, 3, &b, &len, NULL, NULL), 0);
    expect_refusal(b, len, 403, "revoked-kiosk");
    free(b);
    /* kiosk 1 still accepted */
    assert_int_equal(kit_bundle(&k1, NULL, 201, 3, 3, &b, &len, NULL, NULL), 0);
    free(upload(b, len, 200));
    free(b);
    free(list);
    key_free(auth);
    assert_int_equal(srv_store_check(srv_store(srv), why, sizeof why), 0);
}

/* (V1) srv_verify_bundle (OpenSSL, threads) accepts and refuses exactly what
 * bundle_verify (mbedTLS) does, with the same code: every byte of a bundle
 * with ballots, register entries and a report flipped in turn; bundles
 * signed correctly around a bad ballot (first, middle, last), a ballot of
 * another kiosk, a report of another kiosk. */
static void check_same(const uint8_t *b, size_t len, int threads)
{
    int r1 = bundle_verify(b, len, k1.ca, k1.ca_len, NULL, k1.day, NULL, NULL, NULL, 0);
    int r2 = srv_verify_bundle(b, len, k1.ca, k1.ca_len, NULL, k1.day, threads, NULL, NULL,
                               NULL, 0);

    assert_int_equal(r2, r1);
}

static uint8_t *signed_with(int bad_at, int n, int foreign_report, size_t *len)
{
    bundle_builder_t *bb;
    uint8_t ballot[BALLOT_MAX_LEN], id[16], rep[REPORT_LEN], *out;
    size_t bl;
    report_t r;
    int i;

    assert_int_equal(bundle_new(k1.pkg->id, 77, k1.cert, k1.cert_len, &bb), 0);
    for (i = 0; i < n; i++) {
        kit_t *k = bad_at >= 1000 && i == bad_at - 1000 ? &k2 : &k1;

        assert_int_equal(kit_ballot(k, k1.pkg, ballot, &bl, id), 0);
        if (i == bad_at)
            ballot[bl - 1] ^= 1;
        assert_int_equal(bundle_add_ballot(bb, ballot, bl), 0);
    }
    memset(&r, 0, sizeof r);
    snprintf(r.campaign, sizeof r.campaign, "%s", k1.pkg->id);
    r.opened = k1.day - 1;
    r.closed = k1.day;
    r.registered = r.ballots = (uint64_t)n;
    assert_int_equal(report_seal(&r, foreign_report ? &k2.ks : &k1.ks, rep), 0);
    assert_int_equal(bundle_add_report(bb, rep, REPORT_LEN), 0);
    assert_int_equal(bundle_finish(bb, &k1.ks, &out, len), 0);
    bundle_free(bb);
    return out;
}

static void test_verify_equivalence(void **state)
{
    uint8_t *b, *t;
    size_t len, i;
    int bad;

    (void)state;
    b = signed_with(-1, 3, 0, &len);
    check_same(b, len, 2);
    assert_int_equal(srv_verify_bundle(b, len, k1.ca, k1.ca_len, NULL, k1.day, 2, NULL, NULL,
                                       NULL, 0), 0);
    t = malloc(len);
    for (i = 0; i < len; i++) {
        memcpy(t, b, len);
        t[i] ^= (uint8_t)(1u << (i % 8));
        check_same(t, len, 2);
    }
    free(t);
    free(b);
    /* one bad ballot among 300, found by whichever thread holds it */
    for (bad = 0; bad < 300; bad += 149) {
        b = signed_with(bad, 300, 0, &len);
        check_same(b, len, 4);
        assert_int_equal(srv_verify_bundle(b, len, k1.ca, k1.ca_len, NULL, k1.day, 4, NULL,
                                           NULL, NULL, 0), BN_EBADSIG);
        free(b);
    }
    b = signed_with(1000 + 1, 5, 0, &len); /* ballot 1 signed by kiosk 2 */
    check_same(b, len, 2);
    assert_int_equal(srv_verify_bundle(b, len, k1.ca, k1.ca_len, NULL, k1.day, 2, NULL, NULL,
                                       NULL, 0), BN_EWRONGKEY);
    free(b);
    b = signed_with(-1, 2, 1, &len); /* a report of kiosk 2 */
    check_same(b, len, 2);
    assert_int_not_equal(srv_verify_bundle(b, len, k1.ca, k1.ca_len, NULL, k1.day, 2, NULL, NULL,
                                           NULL, 0), 0);
    free(b);
}

/* A closing report is stored once and counted in the acknowledgement. */
static void test_report_upload(void **state)
{
    uint8_t *b;
    size_t len;
    char *ack, *again;

    (void)state;
    b = signed_with(-1, 2, 0, &len);
    ack = upload(b, len, 200);
    assert_int_equal(json_num(ack, "reports"), 1);
    again = upload(b, len, 200);
    assert_string_equal(again, ack);
    free(ack);
    free(again);
    free(b);
}

/* A kiosk certificate of our authority that expired yesterday. */
static void test_expired_kiosk(void **state)
{
    kit_t f;
    key_pair_t *auth;
    char path[4096];
    uint8_t *b;
    size_t len;

    (void)state;
    assert_int_equal(kit_open(&f, dir, 1), 0);
    snprintf(path, sizeof path, "%s/demo/authority.key", dir);
    assert_int_equal(key_load(path, f.rng, &auth, NULL, 0), 0);
    assert_int_equal(cert_issue(auth, f.rng, f.ca, f.ca_len, &f.ks.pub, CERT_KIOSK,
                                "kiosk-35238-01", f.day - 1, f.day - 1, f.cert, sizeof f.cert,
                                &f.cert_len, NULL, 0), 0);
    assert_int_equal(kit_bundle(&f, NULL, 1, 2, 2, &b, &len, NULL, NULL), 0);
    expect_refusal(b, len, 403, "kiosk-certificate-expired");
    free(b);
    key_free(auth);
    kit_close(&f);
}

/* (S1, S2) The schema: ballots and register share no column but the
 * campaign and the kiosk, both are WITHOUT ROWID (key order, not arrival
 * order), and neither has a time column. */
static void test_schema_secrecy(void **state)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    char path[4096];
    const char *tables[2] = {"ballots", "register"};
    char cols[2][16][32];
    int n[2] = {0, 0}, t, i, j;

    (void)state;
    snprintf(path, sizeof path, "%s/server.db", dir);
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    for (t = 0; t < 2; t++) {
        char sql[128];

        snprintf(sql, sizeof sql, "SELECT sql FROM sqlite_master WHERE name = '%s'", tables[t]);
        assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        assert_non_null(strstr((const char *)sqlite3_column_text(st, 0), "WITHOUT ROWID"));
        sqlite3_finalize(st);
        snprintf(sql, sizeof sql, "SELECT name, type FROM pragma_table_info('%s')", tables[t]);
        assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
        while (sqlite3_step(st) == SQLITE_ROW && n[t] < 16) {
            const char *c = (const char *)sqlite3_column_text(st, 0);

            assert_null(strstr(c, "time"));
            snprintf(cols[t][n[t]++], 32, "%s", c);
        }
        sqlite3_finalize(st);
    }
    for (i = 0; i < n[0]; i++)
        for (j = 0; j < n[1]; j++)
            if (strcmp(cols[0][i], cols[1][j]) == 0)
                assert_true(strcmp(cols[0][i], "campaign") == 0 ||
                            strcmp(cols[0][i], "kiosk") == 0);
    /* (S3) the refusals log holds no pseudonym: none of the register's */
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM refusals f, register r WHERE"
                                        " instr(f.detail, hex(r.pseudonym)) > 0 OR instr(f.detail,"
                                        " lower(hex(r.pseudonym))) > 0", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_upload_ack_idempotent_receipts),
        cmocka_unit_test(test_two_kiosks),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_unknown_kiosk),
        cmocka_unit_test(test_conflicts),
        cmocka_unit_test(test_reservation_race),
        cmocka_unit_test(test_reservation_register),
        cmocka_unit_test(test_import),
        cmocka_unit_test(test_revoked),
        cmocka_unit_test(test_verify_equivalence),
        cmocka_unit_test(test_report_upload),
        cmocka_unit_test(test_expired_kiosk),
        cmocka_unit_test(test_schema_secrecy),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
