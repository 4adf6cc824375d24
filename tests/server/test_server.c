/* test_server.c - borne-server's core without HTTP (srv_core.h): upload and
 * acknowledgement, idempotence, two kiosks, receipts, every refusal storing
 * nothing, conflicts, revocation, atomic reservations under concurrency,
 * import of a directory. The HTTP layer is tested by server_http.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <sqlite3.h>

#include "hex.h"
#include "kit.h"
#include "petition.h"
#include "srv_core.h"
#include "srv_demo.h"
#include "srv_verify.h"
#include "testutil.h"

/* (SRV-D2) Two acknowledgements of the same bundle: equal but for "added"
 * and "time_ms" (BACKUP-B2), which come last. */
static void assert_ack_same(const char *a, const char *b)
{
    const char *ea = strstr(a, ",\"added\":"), *eb = strstr(b, ",\"added\":");

    assert_non_null(ea);
    assert_non_null(eb);
    assert_int_equal(ea - a, eb - b);
    assert_memory_equal(a, b, (size_t)(ea - a));
    assert_non_null(strstr(a, ",\"added\":0,\"time_ms\":"));
}

static char *dir;
static srv_t *srv;
static kit_t k1, k2;
static pkg_t *small;          /* pet35-small: the demo petition, threshold 3 from 2 cantons */
static uint8_t small_track[32];

/* Writes DIR/pet35-small.bpkg (the demo petition with threshold 3 and 2
 * cantons, signed by the demo authority) and its secret. */
static void make_small_petition(void)
{
    char *path = tu_asset("campaigns/demo-petition.json"), *out = NULL, *txt, hexs[66];
    uint8_t *json, secret[32];
    size_t len, outlen;
    cJSON *o, *pt;
    key_pair_t *auth = NULL;
    signer_t as;
    rng_t *rng = NULL;
    key_pub_t ca_pub;

    json = tu_read(path, &len);
    assert_non_null(json);
    o = cJSON_ParseWithLength((const char *)json, len);
    assert_non_null(o);
    cJSON_ReplaceItemInObject(o, "id", cJSON_CreateString("pet35-small"));
    pt = cJSON_GetObjectItemCaseSensitive(o, "petition");
    cJSON_ReplaceItemInObject(pt, "threshold", cJSON_CreateNumber(3));
    cJSON_ReplaceItemInObject(pt, "min_cantons", cJSON_CreateNumber(2));
    txt = cJSON_Print(o);
    assert_int_equal(rng_open(&rng), 0);
    free(path);
    path = tu_path(dir, "demo/authority.key");
    assert_int_equal(key_load(path, rng, &auth, NULL, 0), 0);
    key_signer(auth, &as);
    assert_int_equal(pkg_sign(txt, strlen(txt), &as, &out, &outlen, NULL, 0), 0);
    assert_int_equal(srv_write_file(dir, "pet35-small.bpkg", out, outlen, 0644), 0);
    assert_int_equal(cert_key(k1.ca, k1.ca_len, &ca_pub), 0);
    assert_int_equal(pkg_open((const uint8_t *)out, outlen, &ca_pub, NULL, day_today(), &small,
                              NULL, 0), 0);
    assert_int_equal(rng_bytes(rng, secret, 32), 0);
    hex_encode(secret, 32, hexs);
    assert_int_equal(track_key(secret, small_track), 0);
    hex_encode(small_track, 32, hexs);
    assert_int_equal(srv_write_file(dir, "pet35-small.track", hexs, 64, 0600), 0);
    free(out);
    free(txt);
    free(json);
    free(path);
    cJSON_Delete(o);
    key_free(auth);
    rng_close(rng);
}

static int setup(void **state)
{
    char why[256] = "", *assets = tu_asset("");

    (void)state;
    dir = tu_tmpdir("server");
    assert_non_null(dir);
    assert_int_equal(srv_demo_init(dir, assets, 2, why, sizeof why), 0);
    free(assets);
    assert_int_equal(kit_open(&k1, dir, 1), 0);
    assert_int_equal(kit_open(&k2, dir, 2), 0);
    make_small_petition();
    assert_int_equal(srv_open(dir, 0, &srv, why, sizeof why), 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    srv_close(srv);
    pkg_free(small);
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

static int64_t sql_count(const char *sql);

static void test_upload_ack_idempotent_receipts(void **state)
{
    uint8_t *b, *b2, ids[30 * 16];
    size_t len, len2;
    char codes[30][16], *ack, *again, hex[65], got[65], canon[15];
    int64_t nb, nr, nf;
    int i;

    (void)state;
    assert_int_equal(kit_bundle(&k1, NULL, 1, 30, 30, &b, &len, codes, ids), 0);
    ack = upload(b, len, 200);
    assert_int_equal(json_num(ack, "ballots"), 30);
    assert_int_equal(json_num(ack, "register"), 30);
    assert_int_equal(json_num(ack, "reports"), 0);
    kit_ids_digest(ids, 30, hex);
    json_str(ack, "ballot_ids_digest", got, sizeof got);
    assert_string_equal(got, hex);
    /* (SRV-D2) the same bundle again: same acknowledgement, nothing changed */
    totals(&nb, &nr, &nf);
    again = upload(b, len, 200);
    assert_ack_same(again, ack);
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
    assert_int_equal(json_num(again, "register"), 40);
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

/* (SRV-R1) two kiosks asking for the same pseudonym at once: exactly one "reserved" */
static void test_reservation_race(void **state)
{
    enum { N = 8 };
    pthread_t th[N];
    race_t r[N];
    int round, i, yes1, yes2;

    (void)state;
    srv_set_reserve_rate(srv, 0, 1); /* the race, not the rate (SRV-R3) */
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
    srv_set_reserve_rate(srv, SRV_RESERVE_BURST, SRV_RESERVE_EVERY_S);
}

static int reserve_as(kit_t *k, const uint8_t ps[32], const char **answer)
{
    static char last[64];
    char body[200], hex[65];
    srv_result_t res;
    int st;

    hex_encode(ps, 32, hex);
    snprintf(body, sizeof body, "{\"campaign\":\"bp35-demo\",\"pseudonym\":\"%s\"}", hex);
    st = srv_reserve(srv, k->cert, k->cert_len, body, strlen(body), &res);
    snprintf(last, sizeof last, "%s", res.body ? res.body : "");
    srv_result_free(&res);
    if (answer != NULL)
        *answer = last;
    return st;
}

/* (SRV-R3) A stolen kiosk's key reserves chosen citizens' pseudonyms so
 * that they are refused everywhere: after SRV_RESERVE_BURST at once, the
 * kiosk is refused (429 rate-limited, logged), the other kiosks are not. */
static void test_reservation_rate(void **state)
{
    uint8_t ps[32];
    const char *a;
    int i, limited = 0;

    (void)state;
    srv_set_reserve_rate(srv, SRV_RESERVE_BURST, SRV_RESERVE_EVERY_S);
    for (i = 0; i < 130; i++) {
        assert_int_equal(rng_bytes(k1.rng, ps, 32), 0);
        if (reserve_as(&k1, ps, &a) == 429) {
            limited++;
            assert_non_null(strstr(a, "rate-limited"));
        }
    }
    /* 130 tries in well under a second: the burst and nothing more */
    assert_true(130 - limited >= SRV_RESERVE_BURST && 130 - limited <= SRV_RESERVE_BURST + 1);
    /* another kiosk is not held back */
    assert_int_equal(rng_bytes(k1.rng, ps, 32), 0);
    assert_int_equal(reserve_as(&k2, ps, &a), 200);
    assert_string_equal(a, "{\"status\":\"reserved\"}");
    srv_set_reserve_rate(srv, SRV_RESERVE_BURST, SRV_RESERVE_EVERY_S);
}

/* (SRV-R2) A reservation no register entry followed lapses: the person can
 * vote elsewhere after SRV_RESERVE_LAPSE_S, never before. */
static void test_reservation_lapse(void **state)
{
    srv_store_t *st = srv_store(srv);
    uint8_t ps[32];

    (void)state;
    assert_int_equal(rng_bytes(k1.rng, ps, 32), 0);
    assert_int_equal(srv_store_reserve(st, "bp35-demo", ps, k1.ks.pub.id, k1.day, 1000, 1900), 1);
    assert_int_equal(srv_store_reserve(st, "bp35-demo", ps, k2.ks.pub.id, k1.day, 1899, 2799), 0);
    /* the holder asking again renews it */
    assert_int_equal(srv_store_reserve(st, "bp35-demo", ps, k1.ks.pub.id, k1.day, 1500, 2400), 1);
    assert_int_equal(srv_store_reserve(st, "bp35-demo", ps, k2.ks.pub.id, k1.day, 2000, 2900), 0);
    /* lapsed: another kiosk may take it, and then holds it */
    assert_int_equal(srv_store_reserve(st, "bp35-demo", ps, k2.ks.pub.id, k1.day, 2400, 3300), 1);
    assert_int_equal(srv_store_reserve(st, "bp35-demo", ps, k1.ks.pub.id, k1.day, 2500, 3400), 0);
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
/* (SRV-V1) (SRV-R2) A stolen kiosk revoked: the new list is in force
 * without a restart; what it sent before stays; its uploads and
 * reservations from then on are refused; the reservations it made (to
 * block chosen citizens) are released; an older list does not undo it. */
/* (SRV-N5) A kiosk certificate that verified is kept by its digest and
 * the day: the same certificate with one byte of its signature changed is
 * verified afresh and refused, before and after the good one is cached;
 * the good one, cached, is refused on the day after it expires and the day
 * before it begins. */
static void test_cert_cache(void **state)
{
    uint8_t id[32], bad[CERT_DER_MAX];
    srv_result_t res;
    cert_info_t info;
    size_t i;
    int round;

    (void)state;
    assert_int_equal(cert_verify(k1.cert, k1.cert_len, k1.ca, k1.ca_len, k1.day, CERT_KIOSK,
                                 NULL, &info, NULL, 0), 0);
    for (round = 0; round < 2; round++) {
        assert_int_equal(srv_kiosk_check(srv, k1.cert, k1.cert_len, id, &res), 0);
        srv_result_free(&res);
        assert_memory_equal(id, k1.ks.pub.id, 32);
        for (i = k1.cert_len - 72; i < k1.cert_len; i++) { /* the signature */
            memcpy(bad, k1.cert, k1.cert_len);
            bad[i] ^= 0x01;
            assert_int_not_equal(srv_kiosk_check(srv, bad, k1.cert_len, id, &res), 0);
            assert_true(res.status == 403 || res.status == 401);
            srv_result_free(&res);
        }
    }
    srv_set_today(srv, info.not_after + 1);
    assert_int_equal(srv_kiosk_check(srv, k1.cert, k1.cert_len, id, &res), 403);
    assert_non_null(strstr(res.body, "kiosk-certificate-expired"));
    srv_result_free(&res);
    srv_set_today(srv, info.not_before - 1);
    assert_int_equal(srv_kiosk_check(srv, k1.cert, k1.cert_len, id, &res), 403);
    srv_result_free(&res);
    srv_set_today(srv, 0);
    assert_int_equal(srv_kiosk_check(srv, k1.cert, k1.cert_len, id, &res), 0);
    srv_result_free(&res);
}

static void test_revoked(void **state)
{
    key_pair_t *auth;
    signer_t as;
    uint8_t *list, *old, *b, *copy, blocked[32];
    size_t len, listlen, oldlen;
    char path[4096], why[256] = "";
    const char *a;
    int64_t before, after;

    (void)state;
    srv_set_reserve_rate(srv, 0, 1);
    snprintf(path, sizeof path, "%s/demo/authority.key", dir);
    assert_int_equal(key_load(path, k1.rng, &auth, NULL, 0), 0);
    key_signer(auth, &as);
    /* the thief reserves a citizen's pseudonym: refused at kiosk 1 */
    assert_int_equal(rng_bytes(k1.rng, blocked, 32), 0);
    assert_int_equal(reserve_as(&k2, blocked, &a), 200);
    assert_string_equal(a, "{\"status\":\"reserved\"}");
    assert_int_equal(reserve_as(&k1, blocked, &a), 200);
    assert_string_equal(a, "{\"status\":\"already\"}");
    before = sql_count("SELECT count(*) FROM ballots");
    /* list 2 revokes kiosk 2; the running server picks it up (SRV-N5: its
     * certificate verified and cached above, it is refused all the same) */
    assert_int_equal(cert_revoke_sign(&as, k1.day, 2, k2.ks.pub.id, 1, &list, &listlen), 0);
    snprintf(path, sizeof path, "%s/revocations.brl", dir);
    assert_int_equal(tu_write(path, list, listlen), 0);
    assert_int_equal(srv_reload_revocations(srv, why, sizeof why), 1);
    assert_int_equal(srv_reload_revocations(srv, why, sizeof why), 0); /* the same list */
    {
        size_t rl;

        assert_non_null(copy = srv_revocations(srv, &rl));
        assert_int_equal(rl, listlen);
        assert_memory_equal(copy, list, listlen);
        free(copy);
    }
    assert_int_equal(kit_bundle(&k2, NULL, 200, 3, 3, &b, &len, NULL, NULL), 0);
    expect_refusal(b, len, 403, "revoked-kiosk");
    free(b);
    assert_int_equal(reserve_as(&k2, blocked, &a), 403);
    /* what it sent before stays */
    after = sql_count("SELECT count(*) FROM ballots");
    assert_int_equal(after, before);
    /* the citizen it blocked can vote at kiosk 1 */
    assert_int_equal(reserve_as(&k1, blocked, &a), 200);
    assert_string_equal(a, "{\"status\":\"reserved\"}");
    /* kiosk 1 still accepted */
    assert_int_equal(kit_bundle(&k1, NULL, 201, 3, 3, &b, &len, NULL, NULL), 0);
    free(upload(b, len, 200));
    free(b);
    /* an older list (seq 1, revoking nobody) does not undo list 2 */
    assert_int_equal(cert_revoke_sign(&as, k1.day, 1, NULL, 0, &old, &oldlen), 0);
    assert_int_equal(tu_write(path, old, oldlen), 0);
    assert_int_equal(srv_reload_revocations(srv, why, sizeof why), BN_ERANGE);
    assert_non_null(strstr(why, "older"));
    assert_int_equal(reserve_as(&k2, blocked, &a), 403);
    assert_int_equal(tu_write(path, list, listlen), 0);
    free(old);
    free(list);
    key_free(auth);
    srv_set_reserve_rate(srv, SRV_RESERVE_BURST, SRV_RESERVE_EVERY_S);
    assert_int_equal(srv_store_check(srv_store(srv), why, sizeof why), 0);
}

/* (VERIFY-V1) srv_verify_bundle (OpenSSL, threads) accepts and refuses exactly what
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
    uint8_t ballot[BALLOT_MAX_LEN], id[16], rep[REPORT_MAX_LEN], *out;
    size_t bl, rep_len = 0;
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
    if (n > 0) { /* report format 2: the participants per commune, a blob to the server */
        r.n_communes = 1;
        snprintf(r.communes[0].insee, sizeof r.communes[0].insee, "%s", k1.pkg->communes[0].insee);
        r.communes[0].n = (uint64_t)n;
    }
    assert_int_equal(report_seal(&r, foreign_report ? &k2.ks : &k1.ks, rep, sizeof rep,
                                 &rep_len), 0);
    assert_int_equal(bundle_add_report(bb, rep, rep_len), 0);
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
    assert_ack_same(again, ack);
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

/* (SRV-S1, SRV-S2) The schema: ballots and register share no column but the
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
    /* (SRV-S5) the bundles' bytes: key order, no time, keyed by the digest alone */
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT sql FROM sqlite_master WHERE name ="
                                        " 'bundle_bytes'", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_non_null(strstr((const char *)sqlite3_column_text(st, 0), "WITHOUT ROWID"));
    sqlite3_finalize(st);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT name, pk FROM pragma_table_info("
                                        "'bundle_bytes')", -1, &st, NULL), SQLITE_OK);
    i = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *c = (const char *)sqlite3_column_text(st, 0);

        assert_null(strstr(c, "time"));
        assert_null(strstr(c, "day"));
        assert_int_equal(sqlite3_column_int(st, 1) != 0, strcmp(c, "digest") == 0);
        i++;
    }
    assert_int_equal(i, 4);
    sqlite3_finalize(st);
    /* (SRV-S4) petition records: key order (random signature ids), the day only */
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT sql FROM sqlite_master WHERE name ="
                                        " 'petitions'", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_non_null(strstr((const char *)sqlite3_column_text(st, 0), "WITHOUT ROWID"));
    sqlite3_finalize(st);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT name FROM pragma_table_info('petitions')",
                                        -1, &st, NULL), SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *c = (const char *)sqlite3_column_text(st, 0);

        assert_null(strstr(c, "time"));
        assert_null(strstr(c, "name"));
    }
    sqlite3_finalize(st);
    /* (SRV-S3) the refusals log holds no pseudonym: none of the register's */
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM refusals f, register r WHERE"
                                        " instr(f.detail, hex(r.pseudonym)) > 0 OR instr(f.detail,"
                                        " lower(hex(r.pseudonym))) > 0", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
}

/* --- petitions ------------------------------------------------------------- */

/* One signature record of petition p by kiosk k: the person `ps` of a
 * commune of canton `canton`, on `day`; the signature id to id[16]. */
static void pet_record(kit_t *k, const pkg_t *p, const uint8_t ps[32], const char *canton,
                       uint32_t day, uint8_t out[PETITION_LEN], uint8_t id[16])
{
    petition_identity_t who;
    petition_t r;
    key_pub_t ca_pub;
    int c, i, ci = -1;

    for (i = 0; i < p->n_cantons; i++)
        if (strcmp(p->cantons[i].id, canton) == 0)
            ci = i;
    assert_true(ci >= 0);
    for (c = 0; c < p->n_communes && p->communes[c].canton != ci; c++)
        ;
    assert_true(c < p->n_communes);
    memset(&who, 0, sizeof who);
    snprintf(who.last_name, sizeof who.last_name, "Le Goff");
    snprintf(who.first_names, sizeof who.first_names, "Anne");
    snprintf(who.birth, sizeof who.birth, "1980-03-04");
    snprintf(who.commune, sizeof who.commune, "%s", p->communes[c].insee);
    assert_int_equal(cert_key(k->ca, k->ca_len, &ca_pub), 0);
    assert_int_equal(petition_make(&r, p, c, ps, 0, day, k->ks.pub.id, k->rng), 0);
    assert_int_equal(petition_seal(&r, &who, &ca_pub, &k->ks, k->rng, out), 0);
    if (id != NULL)
        memcpy(id, r.id, 16);
}

/* A signed bundle of n records (tamper: flip a byte of record `tamper`'s
 * sealed identity before it goes in, -1 none). */
static uint8_t *pet_bundle(kit_t *k, const pkg_t *p, uint64_t seq, int n,
                           const uint8_t (*ps)[32], const char *const *canton,
                           const uint32_t *day, int tamper, char (*codes)[16], size_t *len)
{
    bundle_builder_t *bb;
    uint8_t rec[PETITION_LEN], id[16], *out;
    int i;

    assert_int_equal(bundle_new(p->id, seq, k->cert, k->cert_len, &bb), 0);
    for (i = 0; i < n; i++) {
        pet_record(k, p, ps[i], canton[i], day[i], rec, id);
        if (i == tamper)
            rec[300] ^= 0x20;
        if (codes != NULL)
            assert_int_equal(track_code(small_track, id, codes[i]), 0);
        assert_int_equal(bundle_add_signature(bb, rec, PETITION_LEN), 0);
    }
    assert_int_equal(bundle_finish(bb, &k->ks, &out, len), 0);
    bundle_free(bb);
    return out;
}

/* A third kiosk, enrolled now (kiosk 2 is revoked by test_revoked). */
static void fresh_kiosk(kit_t *f, const char *cn)
{
    key_pair_t *auth;
    char path[4096];

    assert_int_equal(kit_open(f, dir, 1), 0);
    snprintf(path, sizeof path, "%s/demo/authority.key", dir);
    assert_int_equal(key_load(path, f->rng, &auth, NULL, 0), 0);
    key_free(f->kiosk);
    assert_int_equal(key_generate(f->rng, &f->kiosk), 0);
    key_signer(f->kiosk, &f->ks);
    assert_int_equal(cert_issue(auth, f->rng, f->ca, f->ca_len, &f->ks.pub, CERT_KIOSK, cn,
                                f->day - 1, f->day + 30, f->cert, sizeof f->cert, &f->cert_len,
                                NULL, 0), 0);
    key_free(auth);
    /* (SRV-E1) enrolled: in the server's list, read again without a restart */
    {
        char pem[CERT_PEM_MAX], name[128], why[256];
        size_t len;

        assert_int_equal(cert_to_pem(f->cert, f->cert_len, pem, sizeof pem, &len), 0);
        snprintf(name, sizeof name, "kiosks/%s.crt", cn);
        assert_int_equal(srv_write_file(dir, name, pem, len, 0644), 0);
        assert_true(srv_reload_revocations(srv, why, sizeof why) >= 0);
    }
}

static int64_t pet_total(void)
{
    int64_t n;

    assert_int_equal(srv_store_petition_total(srv_store(srv), "pet35-small", &n), 0);
    return n;
}

static cJSON *counter(const char *id, int status)
{
    srv_result_t res;
    cJSON *o;

    assert_int_equal(srv_petition_counter(srv, id, &res), status);
    o = cJSON_Parse(res.body);
    assert_non_null(o);
    srv_result_free(&res);
    return o;
}

static int64_t jnum(cJSON *o, const char *key)
{
    cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

    assert_true(cJSON_IsNumber(v));
    return (int64_t)v->valuedouble;
}

static const char *jstr(cJSON *o, const char *key)
{
    cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

    assert_true(cJSON_IsString(v));
    return v->valuestring;
}

/* Signatures from two kiosks: accepted, stored once (idempotent), found by
 * their tracking codes, the same person at two kiosks counted once and
 * reported as a pair of kiosks, the threshold reached on the right day. */
static void test_petition_upload_counter(void **state)
{
    uint8_t ps[3][32], psb[2][32], *b, *b2;
    const char *cant1[2] = {"3513", "3513"}, *cant2[2] = {"3513", "3505"};
    uint32_t o = small->opens, day1[2] = {o + 1, o + 2}, day2[2] = {o + 3, o + 4};
    char codes[2][16], canon[15], d[DAY_TEXT_LEN + 1], *a1, *a2, k1hex[65], k2hex[65];
    size_t len, len2;
    srv_result_t res;
    cJSON *c, *pairs, *pr;
    kit_t k3;
    int64_t rebuilds;

    (void)state;
    fresh_kiosk(&k3, "kiosk-35238-03");
    assert_int_equal(rng_bytes(k1.rng, ps[0], sizeof ps), 0);
    /* before anything: zero, not reached, the package's threshold and window */
    c = counter("pet35-small", 200);
    assert_int_equal(jnum(c, "signatures"), 0);
    assert_int_equal(jnum(c, "threshold"), 3);
    assert_int_equal(jnum(c, "min_cantons"), 2);
    assert_true(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(c, "reached")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(c, "reached_on")));
    day_format(small->opens, d);
    assert_string_equal(jstr(c, "opens"), d);
    day_format(small->closes, d);
    assert_string_equal(jstr(c, "closes"), d);
    assert_true(jnum(c, "days_left") > 0);
    cJSON_Delete(c);
    rebuilds = srv_counter_rebuilds(srv);
    /* kiosk 1: persons 0 and 1, canton c01 */
    b = pet_bundle(&k1, small, 500, 2, (const uint8_t(*)[32])ps, cant1, day1, -1, codes, &len);
    a1 = upload(b, len, 200);
    assert_int_equal(json_num(a1, "signatures"), 2);
    assert_int_equal(json_num(a1, "ballots"), 0);
    assert_int_equal(pet_total(), 2);
    /* idempotent: the same acknowledgement, nothing added */
    assert_int_equal(srv_ingest(srv, b, len, &res), 200);
    assert_ack_same(res.body, a1);
    assert_int_equal(res.added, 0);
    srv_result_free(&res);
    assert_int_equal(pet_total(), 2);
    /* receipts find the signatures, in any case and with spaces */
    assert_int_equal(srv_receipt(srv, codes[0], canon), 1);
    assert_int_equal(srv_receipt(srv, codes[1], canon), 1);
    c = counter("pet35-small", 200);
    assert_int_equal(jnum(c, "signatures"), 2);
    assert_int_equal(jnum(c, "cantons"), 1);
    assert_true(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(c, "reached")));
    cJSON_Delete(c);
    /* kiosk 3: person 0 again (offline at both), and person 2 of canton c05 */
    memcpy(psb[0], ps[0], 32);
    memcpy(psb[1], ps[2], 32);
    b2 = pet_bundle(&k3, small, 501, 2, (const uint8_t(*)[32])psb, cant2, day2, -1, NULL,
                    &len2);
    a2 = upload(b2, len2, 200);
    assert_int_equal(json_num(a2, "signatures"), 2); /* what the server holds from kiosk 3 */
    assert_int_equal(pet_total(), 4);
    c = counter("pet35-small", 200);
    assert_int_equal(jnum(c, "signatures"), 3);     /* persons, not records */
    assert_int_equal(jnum(c, "duplicates"), 1);
    assert_int_equal(jnum(c, "cantons"), 2);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c, "reached")));
    day_format(o + 4, d);                           /* the day person 2 signed */
    assert_string_equal(jstr(c, "reached_on"), d);
    pairs = cJSON_GetObjectItemCaseSensitive(c, "duplicate_kiosk_pairs");
    assert_int_equal(cJSON_GetArraySize(pairs), 1);
    pr = cJSON_GetArrayItem(pairs, 0);
    hex_encode(k1.ks.pub.id, 32, k1hex);
    hex_encode(k3.ks.pub.id, 32, k2hex);
    assert_string_equal(jstr(pr, strcmp(k1hex, k2hex) < 0 ? "kiosk_a" : "kiosk_b"), k1hex);
    assert_string_equal(jstr(pr, strcmp(k1hex, k2hex) < 0 ? "kiosk_b" : "kiosk_a"), k2hex);
    assert_int_equal(jnum(pr, "persons"), 1);
    cJSON_Delete(c);
    /* the first kiosk's acknowledgement has not changed */
    assert_int_equal(srv_ingest(srv, b, len, &res), 200);
    assert_ack_same(res.body, a1);
    srv_result_free(&res);
    /* metrics count the records per campaign and per kiosk */
    {
        char *m = srv_metrics_json(srv);
        cJSON *mj = cJSON_Parse(m), *it;
        int found = 0;

        assert_non_null(mj);
        cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(mj, "campaigns"))
            if (strcmp(jstr(it, "campaign"), "pet35-small") == 0) {
                assert_int_equal(jnum(it, "signatures"), 4);
                found = 1;
            }
        assert_true(found);
        cJSON_Delete(mj);
        free(m);
    }
    /* a person who signed cannot reserve again (pseudonym reservation) */
    {
        char body[200], hex[65];

        hex_encode(ps[2], 32, hex);
        snprintf(body, sizeof body, "{\"campaign\":\"pet35-small\",\"pseudonym\":\"%s\"}", hex);
        assert_int_equal(srv_reserve(srv, k1.cert, k1.cert_len, body, strlen(body), &res), 200);
        assert_string_equal(res.body, "{\"status\":\"already\"}");
        srv_result_free(&res);
        hex_encode(ps[1] + 0, 32, hex);
        hex[0] = hex[0] == 'a' ? 'b' : 'a';         /* someone else */
        snprintf(body, sizeof body, "{\"campaign\":\"pet35-small\",\"pseudonym\":\"%s\"}", hex);
        assert_int_equal(srv_reserve(srv, k1.cert, k1.cert_len, body, strlen(body), &res), 200);
        assert_string_equal(res.body, "{\"status\":\"reserved\"}");
        srv_result_free(&res);
    }
    /* (SRV-P1) the counter was kept as the uploads came: no request after the
     * first read all the records again */
    assert_int_equal(srv_counter_rebuilds(srv), rebuilds);
    /* not a petition, or not served: 404 */
    cJSON_Delete(counter("bp35-demo", 404));
    cJSON_Delete(counter("nope", 404));
    /* the demo petition is served, empty */
    c = counter("pet35-demo", 200);
    assert_int_equal(jnum(c, "threshold"), 1000);
    assert_int_equal(jnum(c, "min_cantons"), 3);
    cJSON_Delete(c);
    free(a1);
    free(a2);
    free(b);
    free(b2);
    kit_close(&k3);
}

/* A tampered record (its sealed identity altered after the kiosk signed
 * it) is refused, nothing of its bundle is stored; both verification paths
 * (mbedTLS, OpenSSL) agree on every bit of a petition bundle. */
static void test_petition_refusals(void **state)
{
    uint8_t ps[3][32], *b, *t;
    const char *cant[3] = {"3503", "3504", "3506"};
    uint32_t o = small->opens, day[3] = {o, o, o + 1};
    int64_t before;
    size_t len, i;

    (void)state;
    assert_int_equal(rng_bytes(k1.rng, ps[0], sizeof ps), 0);
    before = pet_total();
    b = pet_bundle(&k1, small, 600, 3, (const uint8_t(*)[32])ps, cant, day, 1, NULL, &len);
    expect_refusal(b, len, 422, "bad-signature");
    assert_int_equal(pet_total(), before);
    assert_int_equal(srv_verify_bundle(b, len, k1.ca, k1.ca_len, NULL, k1.day, 2, NULL, NULL,
                                       NULL, 0), BN_EBADSIG);
    check_same(b, len, 2);
    free(b);
    /* every bit of a good petition bundle: both paths accept or both refuse */
    b = pet_bundle(&k1, small, 601, 2, (const uint8_t(*)[32])ps, cant, day, -1, NULL, &len);
    check_same(b, len, 2);
    t = malloc(len);
    for (i = 0; i < len; i += 3) {
        memcpy(t, b, len);
        t[i] ^= (uint8_t)(1u << (i % 8));
        check_same(t, len, 2);
    }
    free(t);
    free(b);
    /* a day outside the petition's window */
    day[0] = small->opens - 1;
    b = pet_bundle(&k1, small, 602, 1, (const uint8_t(*)[32])ps, cant, day, -1, NULL, &len);
    expect_refusal(b, len, 422, "inconsistent-signature");
    free(b);
    assert_int_equal(pet_total(), before);
}

/* --- bundle bytes (schema 3) ------------------------------------------------ */

typedef struct find_s {
    uint8_t digest[32];
    uint8_t *bytes;             /* a copy, when found with bytes */
    size_t len;
    int found, with_bytes, rows;
    uint8_t last[32];
    int ordered;
} find_t;

static int find_row(void *arg, const srv_bundle_row_t *r)
{
    find_t *f = arg;

    if (f->rows > 0 && memcmp(f->last, r->digest, 32) >= 0)
        f->ordered = 0;
    memcpy(f->last, r->digest, 32);
    f->rows++;
    if (memcmp(r->digest, f->digest, 32) == 0) {
        f->found++;
        if (r->bytes != NULL) {
            f->with_bytes = 1;
            f->bytes = malloc(r->len + 1);
            assert_non_null(f->bytes);
            memcpy(f->bytes, r->bytes, r->len);
            f->len = r->len;
        }
    }
    return 0;
}

/* The bundle held under SHA-256(b) (f->found 0 if none). */
static void find_bundle(srv_store_t *st, const uint8_t *b, size_t len, find_t *f)
{
    memset(f, 0, sizeof *f);
    f->ordered = 1;
    key_sha256(b, len, f->digest);
    assert_int_equal(srv_store_bundle_each(st, NULL, find_row, f), 0);
}

static int64_t sql_count(const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    char path[4096];
    int64_t n;

    snprintf(path, sizeof path, "%s/server.db", dir);
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

static void sql_exec(const char *sql)
{
    sqlite3 *db;
    char path[4096];

    snprintf(path, sizeof path, "%s/server.db", dir);
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

/* (SRV-D1, SRV-D2, SRV-S5) An accepted bundle's exact bytes are held under its digest;
 * sent again: the same acknowledgement, nothing changes; a refused bundle
 * leaves no bytes. */
static void test_bundle_bytes(void **state)
{
    uint8_t *b, *c;
    size_t len, clen;
    char *ack, *again;
    int64_t n0, n1;
    find_t f;

    (void)state;
    assert_int_equal(kit_bundle(&k1, NULL, 300, 7, 7, &b, &len, NULL, NULL), 0);
    n0 = sql_count("SELECT count(*) FROM bundle_bytes");
    ack = upload(b, len, 200);
    assert_int_equal(sql_count("SELECT count(*) FROM bundle_bytes"), n0 + 1);
    find_bundle(srv_store(srv), b, len, &f);
    assert_int_equal(f.found, 1);
    assert_true(f.with_bytes);
    assert_int_equal(f.len, len);
    assert_memory_equal(f.bytes, b, len);
    assert_true(f.ordered); /* (SRV-S5) digest order, whatever the arrival order */
    free(f.bytes);
    again = upload(b, len, 200);
    assert_ack_same(again, ack);
    assert_int_equal(sql_count("SELECT count(*) FROM bundle_bytes"), n0 + 1);
    find_bundle(srv_store(srv), b, len, &f);
    assert_int_equal(f.found, 1);
    assert_memory_equal(f.bytes, b, len);
    free(f.bytes);
    /* (SRV-M1) a bundle held without its bytes (as if accepted under schema 2)
     * gets them back when sent again; nothing else changes */
    {
        char sql[200], hex[65];
        int64_t x0, y0, z0, x1, y1, z1;

        key_sha256(b, len, f.digest);
        hex_encode(f.digest, 32, hex);
        snprintf(sql, sizeof sql, "DELETE FROM bundle_bytes WHERE digest = x'%s'", hex);
        sql_exec(sql);
        find_bundle(srv_store(srv), b, len, &f);
        assert_int_equal(f.found, 1);
        assert_false(f.with_bytes);
        totals(&x0, &y0, &z0);
        free(again);
        again = upload(b, len, 200);
        assert_ack_same(again, ack);
        totals(&x1, &y1, &z1);
        assert_int_equal(x1, x0);
        assert_int_equal(y1, y0);
        find_bundle(srv_store(srv), b, len, &f);
        assert_int_equal(f.found, 1);
        assert_true(f.with_bytes);
        assert_memory_equal(f.bytes, b, len);
        free(f.bytes);
    }
    /* refused (a bad signature): no bytes kept */
    c = malloc(len);
    assert_non_null(c);
    memcpy(c, b, len);
    c[len - 1] ^= 1;
    clen = len;
    n1 = sql_count("SELECT count(*) FROM bundle_bytes");
    expect_refusal(c, clen, 422, "bad-signature");
    assert_int_equal(sql_count("SELECT count(*) FROM bundle_bytes"), n1);
    find_bundle(srv_store(srv), c, clen, &f);
    assert_int_equal(f.found, 0);
    free(c);
    free(again);
    free(ack);
    free(b);
}

/* (SRV-D1) The bytes and the items are one transaction: when storing the bytes
 * fails, no item of the bundle is held; when storing an item fails, no
 * bytes are held. Each half fails if the bytes were written in a
 * transaction of their own. */
static void test_bundle_bytes_one_transaction(void **state)
{
    uint8_t *b;
    size_t len;
    int64_t b0, r0, f0, b1, r1, f1, n0;
    find_t f;
    char *ack;

    (void)state;
    assert_int_equal(kit_bundle(&k1, NULL, 310, 4, 4, &b, &len, NULL, NULL), 0);
    sql_exec("CREATE TRIGGER t_fail BEFORE INSERT ON bundle_bytes"
             " BEGIN SELECT RAISE(ABORT, 'test: no bytes'); END");
    totals(&b0, &r0, &f0);
    expect_refusal(b, len, 503, "store");
    totals(&b1, &r1, &f1);
    assert_int_equal(b1, b0);
    assert_int_equal(r1, r0);
    sql_exec("DROP TRIGGER t_fail");
    sql_exec("CREATE TRIGGER t_fail BEFORE INSERT ON register"
             " BEGIN SELECT RAISE(ABORT, 'test: no register'); END");
    n0 = sql_count("SELECT count(*) FROM bundle_bytes");
    expect_refusal(b, len, 503, "store");
    assert_int_equal(sql_count("SELECT count(*) FROM bundle_bytes"), n0);
    find_bundle(srv_store(srv), b, len, &f);
    assert_int_equal(f.found, 0);
    sql_exec("DROP TRIGGER t_fail");
    /* and without a fault, all of it */
    ack = upload(b, len, 200);
    find_bundle(srv_store(srv), b, len, &f);
    assert_true(f.with_bytes);
    free(f.bytes);
    totals(&b1, &r1, &f1);
    assert_int_equal(b1, b0 + 4);
    free(ack);
    free(b);
}

static int count_rows(void *arg, const srv_bundle_row_t *r)
{
    char hex[65];
    size_t *n = arg;

    hex_encode(r->digest, 32, hex);
    /* (SRV-M1) the four bundles of the fixture, held without their bytes */
    assert_null(r->bytes);
    assert_true(strcmp(hex, "001df1327162936623e5e6d01fd4b192e267f178db19e32925a87ce7b6fc39f1") == 0 ||
                strcmp(hex, "388eef98bc486c42915374324d59d6e93d9f5aa2f6e46f4dd263405e9538848e") == 0 ||
                strcmp(hex, "8cda397cd18eaaa7f240e5b91d71fe8825b76b7259f3e0c6077c0adfade5d977") == 0 ||
                strcmp(hex, "fcafd2a084e3360e30719aa2666a3f74d67e31a7d4437b4de70a17af1fd547f4") == 0);
    (*n)++;
    return 0;
}

/* (SRV-M1) A real schema-2 store (tests/vectors/server/v2.db, on a copy) opens
 * as schema 3, keeps every ballot and receipt, and lists its bundles as
 * held without bytes; opening it again changes nothing. */
/* (SRV-P1) The public endpoints (counter, receipts, metrics) read through
 * their own read-only connection: hammered by two threads over thousands
 * of petition records, they never hold up a kiosk's reservation. */
static volatile int public_stop;

static void *public_reader(void *arg)
{
    char canon[15];
    long *n = arg;

    while (!public_stop) {
        srv_result_t res;
        char *m;

        srv_petition_counter(srv, "pet35-small", &res);
        srv_result_free(&res);
        (void)srv_receipt(srv, "0000-0000-0000", canon);
        m = srv_metrics_json(srv);
        free(m);
        (*n)++;
    }
    return NULL;
}

static double ms_since(const struct timespec *t0)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) * 1e3 + (double)(t.tv_nsec - t0->tv_nsec) / 1e6;
}

static void test_public_reads_never_block(void **state)
{
    enum { PER = 500, BUNDLES = 4 };
    static uint8_t ps[PER][32];
    static const char *cant[PER];
    static uint32_t day[PER];
    pthread_t th[2];
    long reads[2] = {0, 0};
    struct timespec t0;
    double worst = 0, recount;
    uint8_t *b, p[32];
    size_t len;
    int i, k;

    (void)state;
    srv_set_reserve_rate(srv, 0, 1);
    for (k = 0; k < BUNDLES; k++) {
        for (i = 0; i < PER; i++) {
            assert_int_equal(rng_bytes(k1.rng, ps[i], 32), 0);
            cant[i] = i % 2 ? "3513" : "3505";
            day[i] = small->opens + (uint32_t)(i % 5);
        }
        b = pet_bundle(&k1, small, 900 + (uint64_t)k, PER, (const uint8_t(*)[32])ps, cant, day,
                       -1, NULL, &len);
        free(upload(b, len, 200));
        free(b);
    }
    clock_gettime(CLOCK_MONOTONIC, &t0);
    cJSON_Delete(counter("pet35-small", 200)); /* a full count of every record held */
    recount = ms_since(&t0);
    public_stop = 0;
    for (i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&th[i], NULL, public_reader, &reads[i]), 0);
    for (i = 0; i < 30; i++) {
        const char *a;

        assert_int_equal(rng_bytes(k1.rng, p, 32), 0);
        clock_gettime(CLOCK_MONOTONIC, &t0);
        assert_int_equal(reserve_as(&k1, p, &a), 200);
        if (ms_since(&t0) > worst)
            worst = ms_since(&t0);
    }
    public_stop = 1;
    for (i = 0; i < 2; i++)
        pthread_join(th[i], NULL);
    print_message("public reads: counter over %d records %.1f ms; %ld public reads meanwhile;"
                  " slowest of 30 reservations %.1f ms\n", PER * BUNDLES, recount,
                  reads[0] + reads[1], worst);
    assert_true(worst < 1500.0);
    assert_true(reads[0] + reads[1] > 0);
    srv_set_reserve_rate(srv, SRV_RESERVE_BURST, SRV_RESERVE_EVERY_S);
}

/* (SRV-S7) The server's store holds every register entry and the
 * tracking keys: 0600, with its WAL and shared memory, whatever the umask. */
static void test_store_modes(void **state)
{
    char path[4096], p[4200], why[256] = "";
    static const char *const suffix[3] = {"", "-wal", "-shm"};
    srv_store_t *st = NULL;
    struct stat sb;
    mode_t old = umask(022);
    int i;

    (void)state;
    snprintf(path, sizeof path, "%s/modes.db", dir);
    assert_int_equal(srv_store_open(path, &st, why, sizeof why), 0);
    for (i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s%s", path, suffix[i]);
        if (stat(p, &sb) == 0)
            assert_int_equal(sb.st_mode & 0777, 0600);
    }
    srv_store_close(st);
    assert_int_equal(chmod(path, 0644), 0);
    assert_int_equal(srv_store_open(path, &st, why, sizeof why), 0);
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    srv_store_close(st);
    umask(old);
}

/* (SRV-I1) A stolen kiosk's key stuffs the box: ballots with no register
 * entry are refused, whole, and the kiosk is named in the refusal log;
 * a bundle that brings as many entries as ballots is still accepted, and
 * entries sent ahead of their ballots (as the sync client does) too. */
static void test_ballot_stuffing(void **state)
{
    uint8_t *b;
    size_t len;
    srv_result_t res;
    srv_held_t h0, h1;

    (void)state;
    assert_int_equal(srv_store_held(srv_store(srv), "bp35-demo", k1.ks.pub.id, &h0), 0);
    /* 5 ballots, no register entry */
    assert_int_equal(kit_bundle(&k1, NULL, 700, 5, 0, &b, &len, NULL, NULL), 0);
    expect_refusal(b, len, 422, "ballots-exceed-register");
    free(b);
    /* 5 ballots, 4 entries: still one too many */
    assert_int_equal(kit_bundle(&k1, NULL, 701, 5, 4, &b, &len, NULL, NULL), 0);
    expect_refusal(b, len, 422, "ballots-exceed-register");
    free(b);
    assert_int_equal(srv_store_held(srv_store(srv), "bp35-demo", k1.ks.pub.id, &h1), 0);
    assert_int_equal(h1.ballots, h0.ballots);
    assert_int_equal(h1.registers, h0.registers);
    /* entries first, their ballots in a later bundle: accepted */
    assert_int_equal(kit_bundle(&k1, NULL, 702, 0, 3, &b, &len, NULL, NULL), 0);
    assert_int_equal(srv_ingest(srv, b, len, &res), 200);
    srv_result_free(&res);
    free(b);
    assert_int_equal(kit_bundle(&k1, NULL, 703, 3, 0, &b, &len, NULL, NULL), 0);
    assert_int_equal(srv_ingest(srv, b, len, &res), 200);
    srv_result_free(&res);
    free(b);
}

/* (SRV-S6) The server's operator holds no pseudonym secret: with the
 * server's whole directory and store, the register cannot be tested
 * against a list of identities. A directory holding ID.secret is refused
 * at start, naming the file; nothing the server keeps holds the secret. */
static void test_no_pseudonym_secret(void **state)
{
    char why[512] = "", path[4096];
    uint8_t *sec, secret[32], *raw;
    size_t slen, n, k;
    srv_t *s2 = NULL;
    DIR *d;
    struct dirent *e;

    (void)state;
    sec = kit_read(dir, "kiosks/bp35-demo.secret", &slen);
    assert_non_null(sec);
    assert_int_equal(hex_decode((const char *)sec, 64, secret, 32), 0);
    /* every file the server reads or writes: its directory, not kiosks/ */
    assert_non_null(d = opendir(dir));
    while ((e = readdir(d)) != NULL) {
        struct stat sb;

        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
            continue;
        raw = tu_read(path, &n);
        assert_non_null(raw);
        for (k = 0; k + 32 <= n; k++)
            assert_true(memcmp(raw + k, secret, 32) != 0);
        for (k = 0; k + 64 <= n; k++)
            assert_true(memcmp(raw + k, sec, 64) != 0);
        free(raw);
    }
    closedir(d);
    /* given the secret anyway, the server refuses to start */
    snprintf(path, sizeof path, "%s/bp35-demo.secret", dir);
    assert_int_equal(tu_write(path, sec, slen), 0);
    assert_int_equal(srv_open(dir, 0, &s2, why, sizeof why), BN_EKEY);
    assert_null(s2);
    assert_non_null(strstr(why, "bp35-demo.secret"));
    assert_non_null(strstr(why, "bp35-demo.track"));
    assert_int_equal(unlink(path), 0);
    memset(secret, 0, sizeof secret);
    free(sec);
}

static void test_migrate_v2(void **state)
{
    char *src = tu_vector("server/v2.db"), *cp = tu_vector("server/v2.codes"), *tmp,
         *path, why[256] = "", line[64];
    uint8_t *data;
    size_t len, n = 0;
    srv_store_t *st;
    int64_t b, r, f;
    sqlite3 *db;
    sqlite3_stmt *q;
    FILE *codes;
    int pass, found = 0;

    (void)state;
    tmp = tu_tmpdir("migrate");
    path = tu_path(tmp, "server.db");
    data = tu_read(src, &len);
    assert_non_null(data);
    assert_int_equal(tu_write(path, data, len), 0);
    for (pass = 0; pass < 2; pass++) {
        assert_int_equal(srv_store_open(path, &st, why, sizeof why), 0);
        assert_int_equal(srv_store_check(st, why, sizeof why), 0);
        assert_int_equal(srv_store_totals(st, &b, &r, &f), 0);
        assert_int_equal(b, 8);
        assert_int_equal(r, 8);
        n = 0;
        assert_int_equal(srv_store_bundle_each(st, NULL, count_rows, &n), 0);
        assert_int_equal(n, 4);
        n = 0;
        assert_int_equal(srv_store_bundle_each(st, "pet35-demo", count_rows, &n), 0);
        assert_int_equal(n, 1);
        codes = fopen(cp, "r");
        assert_non_null(codes);
        found = 0;
        while (fgets(line, sizeof line, codes) != NULL) {
            line[strcspn(line, "\n")] = 0;
            assert_int_equal(srv_store_has_track(st, line), 1);
            found++;
        }
        fclose(codes);
        assert_int_equal(found, 10);
        srv_store_close(st);
        assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &q, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_step(q), SQLITE_ROW);
        assert_int_equal(sqlite3_column_int(q, 0), 5);
        sqlite3_finalize(q);
        /* (SRV-S6) the campaign secrets of schema 3 are gone, their
         * tracking keys kept, and no page of the file holds a secret */
        assert_int_equal(sqlite3_prepare_v2(db, "SELECT (SELECT count(*) FROM sqlite_schema"
                                            " WHERE name = 'secrets'), (SELECT count(*) FROM"
                                            " track_keys)", -1, &q, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_step(q), SQLITE_ROW);
        assert_int_equal(sqlite3_column_int(q, 0), 0);
        assert_int_equal(sqlite3_column_int(q, 1), 2);
        sqlite3_finalize(q);
        sqlite3_close(db);
        {
            static const uint8_t bp_secret_head[8] = {0xd9, 0xdc, 0xa0, 0x31,
                                                      0x9a, 0x5a, 0x75, 0x50};
            uint8_t *raw = tu_read(path, &n);
            size_t k;

            assert_non_null(raw);
            for (k = 0; k + 8 <= n; k++)
                assert_true(memcmp(raw + k, bp_secret_head, 8) != 0);
            free(raw);
        }
    }
    free(data);
    free(path);
    tu_rmtree(tmp);
    free(tmp);
    free(src);
    free(cp);
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
        cmocka_unit_test(test_reservation_rate),
        cmocka_unit_test(test_reservation_lapse),
        cmocka_unit_test(test_import),
        cmocka_unit_test(test_cert_cache),
        cmocka_unit_test(test_revoked),
        cmocka_unit_test(test_verify_equivalence),
        cmocka_unit_test(test_report_upload),
        cmocka_unit_test(test_expired_kiosk),
        cmocka_unit_test(test_schema_secrecy),
        cmocka_unit_test(test_petition_upload_counter),
        cmocka_unit_test(test_petition_refusals),
        cmocka_unit_test(test_bundle_bytes),
        cmocka_unit_test(test_bundle_bytes_one_transaction),
        cmocka_unit_test(test_public_reads_never_block),
        cmocka_unit_test(test_store_modes),
        cmocka_unit_test(test_ballot_stuffing),
        cmocka_unit_test(test_no_pseudonym_secret),
        cmocka_unit_test(test_migrate_v2),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
