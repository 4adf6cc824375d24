/* test_ideas_server.c - a call for ideas at the server (issue 17): ideas in
 * bundles stored once, the person's limit across kiosks (SRV-M3), the
 * moderation and its hash-chained log (SRV-M2), receipts that say the
 * status, and publication without contact, pseudonym or kiosk (SRV-M4). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "answers.h"
#include "idea.h"
#include "kit.h"
#include "srv_core.h"
#include "srv_demo.h"
#include "srv_ideas.h"
#include "testutil.h"

#define CAMP "idees35-2027"

static char *dir;
static srv_t *srv;
static kit_t k1, k2;
static pkg_t *calls;            /* the call for ideas */
static uint8_t call_track[32];
static pkg_t *quest;            /* a questionnaire (tests/vectors/pkg/questionnaire.json) */
static uint8_t quest_track[32];
static key_pair_t *controller;  /* the data controller (contacts) */

/* DIR/idees35-2027.bpkg: tests/vectors/pkg/ideas.json with dates around
 * today and our own controller key, signed by the demo authority. */
static void make_call(void)
{
    char *path = tu_vector("pkg/ideas.json"), *out = NULL, *txt, hexs[140], d[11];
    uint8_t *json, secret[32], pt[KEY_PUB_LEN];
    size_t len, outlen;
    cJSON *o, *v;
    key_pair_t *auth = NULL;
    signer_t as;
    key_pub_t ca_pub, cp;
    uint32_t today = day_today();

    json = tu_read(path, &len);
    assert_non_null(json);
    o = cJSON_ParseWithLength((const char *)json, len);
    assert_non_null(o);
    v = cJSON_GetObjectItemCaseSensitive(o, "valid");
    day_format(today - 60, d);
    cJSON_ReplaceItemInObject(v, "from", cJSON_CreateString(d));
    day_format(today + 300, d);
    cJSON_ReplaceItemInObject(v, "until", cJSON_CreateString(d));
    v = cJSON_GetObjectItemCaseSensitive(o, "polls");
    day_format(today - 30, d);
    cJSON_ReplaceItemInObject(v, "opens", cJSON_CreateString(d));
    day_format(today + 30, d);
    cJSON_ReplaceItemInObject(v, "closes", cJSON_CreateString(d));
    assert_int_equal(key_generate(k1.rng, &controller), 0);
    key_public(controller, &cp);
    memcpy(pt, cp.pub, KEY_PUB_LEN);
    hex_encode(pt, KEY_PUB_LEN, hexs);
    cJSON_ReplaceItemInObject(cJSON_GetObjectItemCaseSensitive(o, "ideas"), "controller",
                              cJSON_CreateString(hexs));
    txt = cJSON_Print(o);
    free(path);
    path = tu_path(dir, "demo/authority.key");
    assert_int_equal(key_load(path, k1.rng, &auth, NULL, 0), 0);
    key_signer(auth, &as);
    assert_int_equal(pkg_sign(txt, strlen(txt), &as, &out, &outlen, NULL, 0), 0);
    assert_int_equal(srv_write_file(dir, CAMP ".bpkg", out, outlen, 0644), 0);
    assert_int_equal(cert_key(k1.ca, k1.ca_len, &ca_pub), 0);
    assert_int_equal(pkg_open((const uint8_t *)out, outlen, &ca_pub, NULL, today, &calls, NULL,
                              0), 0);
    assert_int_equal(rng_bytes(k1.rng, secret, 32), 0);
    assert_int_equal(track_key(secret, call_track), 0);
    hex_encode(call_track, 32, hexs);
    assert_int_equal(srv_write_file(dir, CAMP ".track", hexs, 64, 0600), 0);
    free(out);
    free(txt);
    free(json);
    free(path);
    cJSON_Delete(o);
    key_free(auth);
}

/* DIR/mobilite35-2027.bpkg: the questionnaire vector with dates around today. */
static void make_quest(void)
{
    char *path = tu_vector("pkg/questionnaire.json"), *out = NULL, *txt, hexs[70], d[11];
    uint8_t *json, secret[32];
    size_t len, outlen;
    cJSON *o, *v;
    key_pair_t *auth = NULL;
    signer_t as;
    key_pub_t ca_pub;
    uint32_t today = day_today();

    json = tu_read(path, &len);
    assert_non_null(json);
    o = cJSON_ParseWithLength((const char *)json, len);
    assert_non_null(o);
    v = cJSON_GetObjectItemCaseSensitive(o, "valid");
    day_format(today - 60, d);
    cJSON_ReplaceItemInObject(v, "from", cJSON_CreateString(d));
    day_format(today + 300, d);
    cJSON_ReplaceItemInObject(v, "until", cJSON_CreateString(d));
    v = cJSON_GetObjectItemCaseSensitive(o, "polls");
    day_format(today - 30, d);
    cJSON_ReplaceItemInObject(v, "opens", cJSON_CreateString(d));
    day_format(today + 30, d);
    cJSON_ReplaceItemInObject(v, "closes", cJSON_CreateString(d));
    txt = cJSON_Print(o);
    free(path);
    path = tu_path(dir, "demo/authority.key");
    assert_int_equal(key_load(path, k1.rng, &auth, NULL, 0), 0);
    key_signer(auth, &as);
    assert_int_equal(pkg_sign(txt, strlen(txt), &as, &out, &outlen, NULL, 0), 0);
    assert_int_equal(srv_write_file(dir, "mobilite35-2027.bpkg", out, outlen, 0644), 0);
    assert_int_equal(cert_key(k1.ca, k1.ca_len, &ca_pub), 0);
    assert_int_equal(pkg_open((const uint8_t *)out, outlen, &ca_pub, NULL, today, &quest, NULL,
                              0), 0);
    assert_int_equal(rng_bytes(k1.rng, secret, 32), 0);
    assert_int_equal(track_key(secret, quest_track), 0);
    hex_encode(quest_track, 32, hexs);
    assert_int_equal(srv_write_file(dir, "mobilite35-2027.track", hexs, 64, 0600), 0);
    free(out);
    free(txt);
    free(json);
    free(path);
    cJSON_Delete(o);
    key_free(auth);
}

static int setup(void **state)
{
    char why[256] = "", *assets = tu_asset("");

    (void)state;
    dir = tu_tmpdir("ideas-server");
    assert_non_null(dir);
    assert_int_equal(srv_demo_init(dir, assets, 2, why, sizeof why), 0);
    free(assets);
    assert_int_equal(kit_open(&k1, dir, 1), 0);
    assert_int_equal(kit_open(&k2, dir, 2), 0);
    make_call();
    make_quest();
    assert_int_equal(srv_open(dir, 0, &srv, why, sizeof why), 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    srv_close(srv);
    pkg_free(calls);
    pkg_free(quest);
    key_free(controller);
    kit_close(&k1);
    kit_close(&k2);
    tu_rmtree(dir);
    free(dir);
    return 0;
}

/* An idea of person ps by kiosk k; its tracking code into code. */
static size_t idea_rec(kit_t *k, const uint8_t ps[32], const char *theme, const char *title,
                       const char *contact, uint32_t day, uint8_t *out, char code[16])
{
    key_pub_t cp;
    idea_t d;
    size_t len = 0;

    memset(&d, 0, sizeof d);
    d.day = day;
    assert_int_equal(rng_bytes(k->rng, d.id, IDEA_ID_LEN), 0);
    memcpy(d.kiosk, k->ks.pub.id, KEY_ID_LEN);
    strcpy(d.campaign, CAMP);
    strcpy(d.territory, "rennes");
    strcpy(d.theme, theme);
    memcpy(d.pseudonym, ps, PSEUD_LEN);
    snprintf(d.title, sizeof d.title, "%s", title);
    strcpy(d.description, "Planter vingt arbres fruitiers.\nLes habitants les entretiennent.");
    strcpy(d.place, "Parc des Hautes-Ourmes");
    key_public(controller, &cp);
    assert_int_equal(idea_seal(&d, contact, contact ? &cp : NULL, &k->ks, k->rng, out,
                               IDEA_MAX_LEN, &len), 0);
    if (code != NULL)
        assert_int_equal(track_code(call_track, d.id, code), 0);
    return len;
}

static uint8_t *bundle_of(kit_t *k, const char *camp, int n, uint8_t (*recs)[IDEA_MAX_LEN],
                          const size_t *lens, size_t *len)
{
    bundle_builder_t *bb;
    uint8_t *out = NULL;
    int i;

    assert_int_equal(bundle_new(camp, 1, k->cert, k->cert_len, &bb), 0);
    for (i = 0; i < n; i++)
        assert_int_equal(bundle_add_idea(bb, recs[i], lens[i]), 0);
    assert_int_equal(bundle_finish(bb, &k->ks, &out, len), 0);
    bundle_free(bb);
    return out;
}

static int upload(const uint8_t *b, size_t len, int status, const char *error)
{
    srv_result_t res;
    size_t added;

    assert_int_equal(srv_ingest(srv, b, len, &res), status);
    if (error != NULL) {
        if (res.body == NULL || strstr(res.body, error) == NULL)
            fail_msg("expected %s, got %s", error, res.body ? res.body : "(none)");
    }
    added = res.added;
    srv_result_free(&res);
    return (int)added;
}

static void receipt(const char *code, const char *status, const char *reason)
{
    srv_track_info_t *t = calloc(1, sizeof *t);
    char canon[15];

    assert_non_null(t);
    assert_int_equal(srv_receipt_info(srv, code, canon, t), 1);
    assert_int_equal(t->kind, 3);
    assert_string_equal(t->status, status);
    if (reason != NULL)
        assert_string_equal(t->reason, reason);
    free(t);
}

static uint8_t recs[8][IDEA_MAX_LEN];
static size_t lens[8];
static char codes[8][16];
static uint8_t person_a[32], person_b[32];

/* Ideas stored once; the receipt says "received"; refusals: another kind,
 * a theme or a day the call does not have. */
static void test_ideas_upload(void **state)
{
    uint8_t *b, bad[IDEA_MAX_LEN];
    size_t len, bl;
    char why[256];

    (void)state;
    assert_int_equal(rng_bytes(k1.rng, person_a, 32), 0);
    assert_int_equal(rng_bytes(k1.rng, person_b, 32), 0);
    lens[0] = idea_rec(&k1, person_a, "nature", "Un verger partagé au Blosne", NULL, k1.day,
                       recs[0], codes[0]);
    lens[1] = idea_rec(&k1, person_a, "mobilite", "Des arceaux <vélo> & abris", "anne@example.org",
                       k1.day, recs[1], codes[1]);
    lens[2] = idea_rec(&k1, person_b, "nature", "Un verger au Blosne, encore", NULL, k1.day,
                       recs[2], codes[2]);
    b = bundle_of(&k1, CAMP, 3, recs, lens, &len);
    assert_int_equal(upload(b, len, 200, NULL), 3);
    assert_int_equal(upload(b, len, 200, NULL), 0); /* (SRV-D2) idempotent */
    free(b);
    receipt(codes[0], SRV_IDEA_PENDING, NULL);
    receipt(codes[1], SRV_IDEA_PENDING, NULL);
    /* a theme the call does not have */
    bl = idea_rec(&k1, person_b, "culture", "Un théâtre", NULL, k1.day, bad, NULL);
    b = bundle_of(&k1, CAMP, 1, (uint8_t (*)[IDEA_MAX_LEN])bad, &bl, &len);
    upload(b, len, 422, "inconsistent-idea");
    free(b);
    /* a day before the call opened */
    bl = idea_rec(&k1, person_b, "nature", "Trop tôt", NULL, calls->opens - 1, bad, NULL);
    b = bundle_of(&k1, CAMP, 1, (uint8_t (*)[IDEA_MAX_LEN])bad, &bl, &len);
    upload(b, len, 422, "day outside");
    free(b);
    /* ideas for a budget vote: the campaign of the bundle and of the idea
     * must agree, so the bundle cannot even be built; a bundle of another
     * campaign's ideas is refused by kind at the server */
    {
        bundle_builder_t *bb;

        assert_int_equal(bundle_new("bp35-demo", 1, k1.cert, k1.cert_len, &bb), 0);
        assert_int_equal(bundle_add_idea(bb, recs[0], lens[0]), BN_EINVAL);
        bundle_free(bb);
    }
    why[0] = 0;
    (void)why;
}

/* (SRV-M3) max_per_person (3) across kiosks: person A proposed 2 at kiosk
 * 1; 2 more at kiosk 2: the fourth is refused by the server itself, with
 * the reason "limit", logged by "borne-server". */
static void test_ideas_limit(void **state)
{
    uint8_t *b, r2[2][IDEA_MAX_LEN];
    size_t len, l2[2];
    char c2[2][16];
    srv_track_info_t *t = calloc(1, sizeof *t);
    char canon[15];

    (void)state;
    assert_non_null(t);
    l2[0] = idea_rec(&k2, person_a, "solidarite", "Une épicerie solidaire", NULL, k2.day, r2[0],
                     c2[0]);
    l2[1] = idea_rec(&k2, person_a, "solidarite", "Un repair café", NULL, k2.day, r2[1], c2[1]);
    b = bundle_of(&k2, CAMP, 2, r2, l2, &len);
    assert_int_equal(upload(b, len, 200, NULL), 2);
    free(b);
    assert_int_equal(srv_receipt_info(srv, c2[0], canon, t), 1);
    {
        int over0 = strcmp(t->status, SRV_IDEA_REJECTED) == 0;

        assert_int_equal(srv_receipt_info(srv, c2[1], canon, t), 1);
        /* exactly one of the two is past the limit (bundles are in id order) */
        assert_int_equal(over0 + (strcmp(t->status, SRV_IDEA_REJECTED) == 0), 1);
        if (!over0)
            assert_string_equal(t->reason, SRV_REASON_LIMIT);
    }
    assert_non_null(strstr(srv_reason_words(srv, CAMP, SRV_REASON_LIMIT, "en"), "already"));
    free(t);
    memcpy(recs[3], r2[0], l2[0]);
    lens[3] = l2[0];
    memcpy(codes[3], c2[0], 16);
    memcpy(recs[4], r2[1], l2[1]);
    lens[4] = l2[1];
    memcpy(codes[4], c2[1], 16);
}

static char *run_moderate(int expect, const char *a0, const char *a1, const char *a2,
                          const char *a3, const char *a4, const char *a5, const char *a6)
{
    char *argv[8] = {(char *)a0, (char *)a1, (char *)a2, (char *)a3, (char *)a4, (char *)a5,
                     (char *)a6, NULL};
    int argc = 0;
    FILE *out = tmpfile(), *err = tmpfile();
    char *text;
    long n, e;

    while (argc < 7 && argv[argc] != NULL)
        argc++;
    assert_non_null(out);
    assert_non_null(err);
    if (srv_moderate(srv, argc, argv, out, err) != expect) {
        char b[2048] = "";
        size_t k;

        rewind(err);
        k = fread(b, 1, sizeof b - 1, err);
        b[k] = 0;
        fail_msg("moderate %s: not %d: %s", a0, expect, b);
    }
    n = ftell(out);
    e = ftell(err);
    text = malloc((size_t)(n + e) + 2);
    assert_non_null(text);
    rewind(out);
    rewind(err);
    n = (long)fread(text, 1, (size_t)n, out);
    e = (long)fread(text + n, 1, (size_t)e, err);
    text[n + e] = 0;
    fclose(out);
    fclose(err);
    return text;
}

static void ref12(int i, char ref[13])
{
    hex_encode(recs[i] + IDEA_OFF_ID, 6, ref);
    ref[12] = 0;
}

/* (SRV-M2) Moderation: accept, reject with a reason and a comment, merge a
 * duplicate, revise; the history stays whole; the log's chain holds and a
 * row changed behind the server's back shows. */
static void test_ideas_moderation(void **state)
{
    char r0[13], r1[13], r2[13], *o;
    uint8_t head[32];
    int64_t n = 0;
    char why[256] = "";

    (void)state;
    ref12(0, r0);
    ref12(1, r1);
    ref12(2, r2);
    o = run_moderate(0, "list", NULL, NULL, NULL, NULL, NULL, NULL);
    assert_non_null(strstr(o, r0));
    assert_non_null(strstr(o, "Un verger partagé au Blosne"));
    free(o);
    o = run_moderate(0, "show", r1, NULL, NULL, NULL, NULL, NULL);
    assert_non_null(strstr(o, "signature verified"));
    assert_non_null(strstr(o, "contact: given, sealed"));
    assert_null(strstr(o, "anne@example.org")); /* (IDEA-I1) */
    free(o);
    /* who decides, and a reason of the package */
    free(run_moderate(2, "accept", r0, NULL, NULL, NULL, NULL, NULL));
    o = run_moderate(1, "reject", r1, "--reason", "nope", "--as", "marie", NULL);
    assert_non_null(strstr(o, "hors-sujet (Hors sujet)"));
    free(o);
    free(run_moderate(0, "accept", r0, "--as", "marie", NULL, NULL, NULL));
    free(run_moderate(0, "reject", r1, "--reason", "competence", "--as", "marie", NULL));
    free(run_moderate(2, "reject", r1, "--reason", "competence", "--comment", NULL, NULL)); /* usage */
    o = run_moderate(0, "list", "--status", "rejected", NULL, NULL, NULL, NULL);
    free(o);
    /* merge: the duplicate into the kept one; not into itself, not chains */
    o = run_moderate(1, "merge", r2, "--into", r2, "--as", "marie", NULL);
    assert_non_null(strstr(o, "into itself"));
    free(o);
    free(run_moderate(0, "merge", r2, "--into", r0, "--as", "marie", NULL));
    o = run_moderate(1, "merge", r0, "--into", r1, "--as", "marie", NULL);
    assert_non_null(strstr(o, "merged into this one"));
    free(o);
    receipt(codes[2], SRV_IDEA_MERGED, NULL);
    /* a revision: the refusal becomes an acceptance, the history keeps both */
    o = run_moderate(0, "accept", r1, "--as", "paul", "--comment", "Relu : dans nos compétences.", NULL);
    assert_non_null(strstr(o, "revising rejected"));
    free(o);
    receipt(codes[1], SRV_IDEA_ACCEPTED, NULL);
    o = run_moderate(0, "show", r1, NULL, NULL, NULL, NULL, NULL);
    assert_non_null(strstr(o, "by marie: rejected (competence"));
    assert_non_null(strstr(o, "by paul: accepted"));
    free(o);
    o = run_moderate(0, "log", NULL, NULL, NULL, NULL, NULL, NULL);
    assert_non_null(strstr(o, "by borne-server: rejected (limit"));
    assert_non_null(strstr(o, "chain verified"));
    free(o);
    assert_int_equal(srv_store_moderation_verify(srv_store(srv), head, &n, why, sizeof why), 0);
    assert_true(n >= 5);
    /* a decision rewritten behind the server's back */
    {
        sqlite3 *db;
        char *path = tu_path(dir, "server.db");

        assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
        assert_int_equal(sqlite3_exec(db, "UPDATE moderation SET moderator = 'nobody' WHERE seq"
                                      " = 2", NULL, NULL, NULL), SQLITE_OK);
        assert_int_equal(srv_store_moderation_verify(srv_store(srv), head, &n, why, sizeof why),
                         BN_ECORRUPT);
        assert_non_null(strstr(why, "entry 2"));
        assert_int_equal(sqlite3_exec(db, "DELETE FROM moderation WHERE seq = 3", NULL, NULL,
                                      NULL), SQLITE_OK);
        assert_int_equal(srv_store_moderation_verify(srv_store(srv), head, &n, why, sizeof why),
                         BN_ECORRUPT);
        sqlite3_close(db);
        free(path);
    }
}

/* (SRV-M4) Publication: the accepted ideas only, the merged ones named under
 * the kept one, no contact, pseudonym or kiosk anywhere; HTML escaped;
 * projects.csv in borne-admin's columns; a record altered in the store is
 * refused. */
static void test_ideas_publish(void **state)
{
    char *out = tu_path(dir, "pub"), why[256] = "", r0[13], r2[13], ps[65], kid[65], *p;
    uint8_t *t;
    size_t len;
    int n = 0;
    const char *files[] = {"ideas.json", "ideas.csv", "index.html", "projects.csv",
                           "territory-rennes.html", "theme-nature.html"};
    size_t i;

    (void)state;
    ref12(0, r0);
    ref12(2, r2);
    assert_int_equal(srv_publish_ideas(srv, CAMP, out, &n, why, sizeof why), 0);
    assert_int_equal(n, 2); /* r0 and r1 accepted; r2 merged into r0 */
    hex_encode(person_a, 32, ps);
    hex_encode(k1.ks.pub.id, 32, kid);
    for (i = 0; i < sizeof files / sizeof files[0]; i++) {
        p = tu_path(out, files[i]);
        t = tu_read(p, &len);
        assert_non_null(t);
        t = realloc(t, len + 1);
        t[len] = 0;
        assert_null(strstr((char *)t, "anne@example.org"));
        assert_null(strstr((char *)t, ps));
        assert_null(strstr((char *)t, kid));
        assert_null(strstr((char *)t, "Une épicerie")); /* not decided yet */
        if (strstr(files[i], ".html") != NULL && strcmp(files[i], "theme-nature.html") != 0) {
            assert_non_null(strstr((char *)t, "Des arceaux &lt;vélo&gt; &amp; abris"));
            assert_null(strstr((char *)t, "<vélo>"));
        }
        if (strcmp(files[i], "projects.csv") == 0) {
            assert_non_null(strstr((char *)t, "id;territory;cost;theme;title_fr;summary_fr;"));
            assert_non_null(strstr((char *)t, r0));
            assert_non_null(strstr((char *)t, r2)); /* the merged idea's reference kept */
        }
        free(t);
        free(p);
    }
    /* a record altered in the store */
    {
        sqlite3 *db;
        char *path = tu_path(dir, "server.db");

        sqlite3_stmt *st;
        uint8_t bad[IDEA_MAX_LEN];

        memcpy(bad, recs[0], lens[0]);
        bad[IDEA_HEADER_LEN] ^= 0x20; /* a letter of the title */
        assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
        assert_int_equal(sqlite3_prepare_v2(db, "UPDATE ideas SET record = ? WHERE id = ?", -1,
                                            &st, NULL), SQLITE_OK);
        sqlite3_bind_blob(st, 1, bad, (int)lens[0], SQLITE_STATIC);
        sqlite3_bind_blob(st, 2, recs[0] + IDEA_OFF_ID, 16, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(st), SQLITE_DONE);
        sqlite3_finalize(st);
        sqlite3_close(db);
        free(path);
    }
    assert_int_equal(srv_publish_ideas(srv, CAMP, out, &n, why, sizeof why), BN_EBADSIG);
    assert_non_null(strstr(why, "does not verify"));
    /* not a call for ideas */
    assert_int_equal(srv_publish_ideas(srv, "bp35-demo", out, &n, why, sizeof why), BN_EKIND);
    free(out);
}

/* A questionnaire at the server: answers (kind-4 ballots) with their
 * register entries and free texts apart, stored once, receipts counted;
 * answers that break the questionnaire, texts of another kind of campaign,
 * refused. */
static void test_questionnaire_upload(void **state)
{
    ballot_answer_t a[3] = {{0, PKG_Q_ONE, 1, {2}}, {4, PKG_Q_YESNO, 1, {0}},
                            {6, PKG_Q_TEXT, 0, {0}}};
    static uint8_t bal[4][BALLOT_MAX_LEN], txt[QTEXT_MAX_LEN];
    size_t bl[4], tl = 0, len;
    bundle_builder_t *bb;
    uint8_t *out = NULL, ps[32];
    ballot_t b;
    qtext_t t;
    char code[16];
    int i;

    (void)state;
    for (i = 0; i < 3; i++) {
        assert_int_equal(ballot_make_answers(&b, quest, 0, a, 3 - (i == 2), k1.day, k1.ks.pub.id,
                                             k1.rng), 0);
        assert_int_equal(ballot_seal(&b, &k1.ks, bal[i], BALLOT_MAX_LEN, &bl[i]), 0);
        if (i == 0)
            assert_int_equal(track_code(quest_track, b.id, code), 0);
    }
    memset(&t, 0, sizeof t);
    t.day = k1.day;
    assert_int_equal(rng_bytes(k1.rng, t.id, QTEXT_ID_LEN), 0);
    memcpy(t.kiosk, k1.ks.pub.id, KEY_ID_LEN);
    strcpy(t.campaign, "mobilite35-2027");
    strcpy(t.territory, quest->territories[0].id);
    strcpy(t.question, "idee");
    strcpy(t.text, "Des cars le soir.");
    assert_int_equal(qtext_seal(&t, &k1.ks, txt, sizeof txt, &tl), 0);
    /* the ballots part: answers and texts */
    assert_int_equal(bundle_new("mobilite35-2027", 1, k1.cert, k1.cert_len, &bb), 0);
    for (i = 0; i < 3; i++)
        assert_int_equal(bundle_add_ballot(bb, bal[i], bl[i]), 0);
    assert_int_equal(bundle_add_text(bb, txt, tl), 0);
    assert_int_equal(bundle_finish(bb, &k1.ks, &out, &len), 0);
    bundle_free(bb);
    /* (SRV-I1) more ballots than register entries from this kiosk: refused */
    upload(out, len, 422, "ballots-exceed-register");
    /* the participation part first */
    {
        uint8_t *reg = NULL;
        size_t rl = 0;
        assert_int_equal(bundle_new("mobilite35-2027", 2, k1.cert, k1.cert_len, &bb), 0);
        for (i = 0; i < 3; i++) {
            assert_int_equal(rng_bytes(k1.rng, ps, 32), 0);
            assert_int_equal(bundle_add_register(bb, ps, k1.day, 0), 0);
        }
        assert_int_equal(bundle_finish(bb, &k1.ks, &reg, &rl), 0);
        bundle_free(bb);
        assert_int_equal(upload(reg, rl, 200, NULL), 3);
        free(reg);
    }
    assert_int_equal(upload(out, len, 200, NULL), 4);
    assert_int_equal(upload(out, len, 200, NULL), 0);
    free(out);
    {
        char canon[15];
        assert_int_equal(srv_receipt(srv, code, canon), 1);
    }
    /* answers breaking the questionnaire: a follow-up asked without its condition */
    {
        ballot_answer_t bad[2] = {{4, PKG_Q_YESNO, 1, {0}}, {5, PKG_Q_ONE, 1, {0}}};
        assert_int_equal(ballot_make_answers(&b, quest, 0, bad, 2, k1.day, k1.ks.pub.id, k1.rng),
                         0);
        assert_int_equal(ballot_seal(&b, &k1.ks, bal[3], BALLOT_MAX_LEN, &bl[3]), 0);
        assert_int_equal(bundle_new("mobilite35-2027", 3, k1.cert, k1.cert_len, &bb), 0);
        assert_int_equal(bundle_add_ballot(bb, bal[3], bl[3]), 0);
        assert_int_equal(bundle_finish(bb, &k1.ks, &out, &len), 0);
        bundle_free(bb);
        upload(out, len, 422, "inconsistent-ballot");
        free(out);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ideas_upload),
        cmocka_unit_test(test_ideas_limit),
        cmocka_unit_test(test_ideas_moderation),
        cmocka_unit_test(test_ideas_publish),
        cmocka_unit_test(test_questionnaire_upload),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
