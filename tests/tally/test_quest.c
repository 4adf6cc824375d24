/* test_quest.c - the tally of a questionnaire (tally/publish_quest.c, issue
 * 17): counts per question overall and per territory, first preferences and
 * Borda points of a ranking, a scale's mean; (PUB-P3) no group under 10
 * respondents, nor one that subtraction would give away; (PUB-P4) the
 * published files: counts only, the free texts the moderation accepted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "answers.h"
#include "bn_err.h"
#include "bundle.h"
#include "cert.h"
#include "day.h"
#include "key.h"
#include "rng.h"
#include "publish.h"
#include "testutil.h"
#include "verify.h"

typedef struct fx_s {
    pkg_t *p;
    verify_t v;
    ballot_answer_t ans[200][PKG_QUESTIONS_MAX];
    verify_ballot_t b[200];
    verify_text_t texts[3];
} fx_t;

static int setup(void **state)
{
    fx_t *f = calloc(1, sizeof *f);
    char *path = tu_vector("pkg/questionnaire.json"), why[256] = "";
    uint8_t *json;
    size_t n;

    assert_non_null(f);
    json = tu_read(path, &n);
    assert_non_null(json);
    assert_int_equal(pkg_parse((const char *)json, n, &f->p, why, sizeof why), 0);
    free(json);
    free(path);
    f->v.pkg = f->p;
    f->v.ballots = f->b;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx_t *f = *state;

    pkg_free(f->p);
    free(f);
    return 0;
}

/* n respondents of territory t answering `mode` option m, ranking
 * (2, 0), scale s, bike yes. */
static void add(fx_t *f, int n, int t, int m, int s)
{
    int i;

    for (i = 0; i < n; i++) {
        verify_ballot_t *b = &f->b[f->v.n_ballots];
        ballot_answer_t *a = f->ans[f->v.n_ballots++];

        a[0] = (ballot_answer_t){0, PKG_Q_ONE, 1, {(uint8_t)m}};
        a[1] = (ballot_answer_t){2, PKG_Q_RANK, 2, {2, 0}};
        a[2] = (ballot_answer_t){3, PKG_Q_SCALE, 1, {(uint8_t)s}};
        a[3] = (ballot_answer_t){4, PKG_Q_YESNO, 1, {1}};
        b->valid = 1;
        b->territory = t;
        b->n_ans = 4;
        b->ans = a;
    }
}

/* The counts, and (PUB-P3): 25 in Rennes, 4 in Saint-Malo: Saint-Malo is
 * hidden, and Rennes too (the total less Rennes would give Saint-Malo). */
static void test_counts_and_small_groups(void **state)
{
    fx_t *f = *state;
    quest_count_t c;
    char why[256];

    add(f, 20, 0, 1, 4);
    add(f, 5, 0, 3, 2);
    add(f, 4, 1, 0, 5);
    assert_int_equal(quest_count(&f->v, &c, why, sizeof why), 0);
    assert_int_equal(c.respondents, 29);
    assert_int_equal(c.n_scopes, 3);
    /* overall: shown; both territories hidden */
    {
        const char *dir = NULL;
        char *d = tu_tmpdir("quest"), *p, *t;
        size_t len;
        publish_opts_t o = {0, NULL, NULL};

        dir = d;
        assert_int_equal(publish_questionnaire(&f->v, &c, &o, NULL, dir, why, sizeof why), 0);
        p = tu_path(dir, "results.json");
        t = (char *)tu_read(p, &len);
        assert_non_null(t);
        t = realloc(t, len + 1);
        t[len] = '\0';
        /* overall: mode counts 4 / 20 / 0 / 5; the ranking: first choices
         * all for option 2, Borda 3 each (4 options: 3, 2 ...) and 2 for option 0 */
        assert_non_null(strstr(t, "\"respondents\":\t29"));
        assert_non_null(strstr(t, "\"id\":\t\"car\",\n\t\t\t\t\t\t\t\"count\":\t20"));
        assert_non_null(strstr(t, "\"first\":\t29,\n\t\t\t\t\t\t\t\"borda\":\t87"));
        assert_non_null(strstr(t, "\"mean\":\t3.79"));
        /* (PUB-P3) neither territory */
        assert_non_null(strstr(t, "\"id\":\t\"rennes\",\n\t\t\t\"name\":\t\"Pays de Rennes\",\n"
                                  "\t\t\t\"shown\":\tfalse"));
        assert_non_null(strstr(t, "\"id\":\t\"saint-malo\",\n\t\t\t\"name\":\t\"Pays de Saint-Malo\","
                                  "\n\t\t\t\"shown\":\tfalse"));
        assert_null(strstr(t, "\"respondents\":\t25"));
        assert_null(strstr(t, "\"respondents\":\t4"));
        free(t);
        free(p);
        p = tu_path(dir, "index.html");
        t = (char *)tu_read(p, &len);
        assert_non_null(t);
        t = realloc(t, len + 1);
        t[len] = '\0';
        assert_non_null(strstr(t, "29 personnes ont répondu"));
        assert_non_null(strstr(t, "class=\"bar\""));
        assert_non_null(strstr(t, "Moins de 10 répondants"));
        /* the follow-up question: nobody answered it, so it is not shown */
        assert_non_null(strstr(t, "Moins de 10 réponses ici"));
        free(t);
        free(p);
        tu_rmtree(d);
        free(d);
    }
    quest_count_free(&c);
    /* 12 more in Saint-Malo: both shown now */
    add(f, 12, 1, 2, 1);
    assert_int_equal(quest_count(&f->v, &c, why, sizeof why), 0);
    assert_int_equal(c.respondents, 41);
    {
        char *d = tu_tmpdir("quest2"), *p, *t;
        size_t len;
        publish_opts_t o = {1, NULL, NULL};

        assert_int_equal(publish_questionnaire(&f->v, &c, &o, NULL, d, why, sizeof why), 0);
        p = tu_path(d, "results.csv");
        t = (char *)tu_read(p, &len);
        assert_non_null(t);
        t = realloc(t, len + 1);
        t[len] = '\0';
        assert_non_null(strstr(t, "rennes;;respondents;25;"));
        assert_non_null(strstr(t, "saint-malo;;respondents;16;"));
        assert_non_null(strstr(t, "saint-malo;satisfait;1;12;"));
        assert_non_null(strstr(t, "all;velo;yes;41;"));
        assert_non_null(strstr(t, "all;velo-freins;;hidden;")); /* not answered */
        free(t);
        free(p);
        tu_rmtree(d);
        free(d);
    }
    quest_count_free(&c);
}

/* (PUB-P4) Free texts: only those the decisions file accepts, by question. */
static void test_texts_moderated(void **state)
{
    fx_t *f = *state;
    quest_count_t c;
    char why[256], *d = tu_tmpdir("quest3"), *p, *t, *mod;
    size_t len;
    publish_opts_t o = {0, NULL, NULL};
    FILE *m;
    int i;

    add(f, 12, 0, 0, 3);
    for (i = 0; i < 3; i++) {
        memset(f->texts[i].id, 0x10 * (i + 1), 16);
        f->texts[i].question = 6;
        f->texts[i].territory = 0;
        f->texts[i].valid = 1;
    }
    f->texts[0].text = "Des cars le soir.";
    f->texts[1].text = "Un texte <injurieux> à ne pas publier.";
    f->texts[2].text = "Une piste le long du canal.";
    f->v.texts = f->texts;
    f->v.n_texts = 3;
    mod = tu_path(d, "moderation.csv");
    assert_int_equal(quest_texts_csv(&f->v, mod, why, sizeof why), 0);
    t = (char *)tu_read(mod, &len);
    assert_non_null(t);
    assert_int_equal(memcmp(t, "ref;question;text;decision\r\n101010101010;idee;\"Des cars le "
                               "soir.\";\r\n", 63), 0);
    free(t);
    /* the team's decisions */
    m = fopen(mod, "wb");
    assert_non_null(m);
    fputs("ref;question;text;decision\n101010101010;idee;\"Des cars le soir.\";oui\n"
          "202020202020;idee;\"...\";non\n303030303030;idee;\"Une piste\";Oui\n", m);
    fclose(m);
    assert_int_equal(quest_count(&f->v, &c, why, sizeof why), 0);
    assert_int_equal(publish_questionnaire(&f->v, &c, &o, mod, d, why, sizeof why), 0);
    p = tu_path(d, "texts.csv");
    t = (char *)tu_read(p, &len);
    assert_non_null(t);
    t = realloc(t, len + 1);
    t[len] = '\0';
    assert_non_null(strstr(t, "Des cars le soir."));
    assert_non_null(strstr(t, "Une piste le long du canal."));
    assert_null(strstr(t, "injurieux"));
    free(t);
    free(p);
    p = tu_path(d, "index.html");
    t = (char *)tu_read(p, &len);
    assert_non_null(t);
    t = realloc(t, len + 1);
    t[len] = '\0';
    assert_non_null(strstr(t, "<blockquote>Des cars le soir.</blockquote>"));
    assert_null(strstr(t, "injurieux"));
    free(t);
    free(p);
    /* a decisions file that is not one */
    m = fopen(mod, "wb");
    assert_non_null(m);
    fputs("ref;question;text;decision\nnot a reference;oui\n", m);
    fclose(m);
    assert_int_equal(publish_questionnaire(&f->v, &c, &o, mod, d, why, sizeof why), BN_EFORMAT);
    assert_non_null(strstr(why, ":2: a line starts with a text's reference"));
    quest_count_free(&c);
    f->v.n_texts = 0;
    tu_rmtree(d);
    free(d);
    free(mod);
}

/* borne-tally check DIR on a questionnaire: 0 and "agrees" on what
 * publish wrote; 1 and the figure named when one was changed. */
static int check_dir(const char *dir, char **log)
{
    size_t n = 0;
    FILE *m = open_memstream(log, &n);
    char why[256] = "";
    int rc;

    assert_non_null(m);
    rc = publish_check(dir, m, why, sizeof why);
    fclose(m);
    return rc;
}

static void edit(const char *dir, const char *name, const char *from, const char *to)
{
    char *p = tu_path(dir, name), *t, *at, *out;
    size_t len;

    t = (char *)tu_read(p, &len);
    assert_non_null(t);
    t = realloc(t, len + 1);
    t[len] = '\0';
    at = strstr(t, from);
    assert_non_null(at);
    out = malloc(len + strlen(to) + 1);
    assert_non_null(out);
    memcpy(out, t, (size_t)(at - t));
    strcpy(out + (at - t), to);
    strcat(out, at + strlen(from));
    assert_int_equal(tu_write(p, out, strlen(out)), 0);
    free(out);
    free(t);
    free(p);
}

static void test_check_published(void **state)
{
    fx_t *f = *state;
    quest_count_t c;
    char why[256], *d = tu_tmpdir("quest4"), *log = NULL, *p;
    uint8_t tk[32];
    publish_opts_t o = {0, tk, NULL};
    int i;

    memset(tk, 0x5a, sizeof tk);
    add(f, 25, 0, 1, 4);
    add(f, 16, 1, 2, 1);
    for (i = 0; i < f->v.n_ballots; i++)
        memset(f->b[i].id, i + 1, BALLOT_ID_LEN);
    assert_int_equal(quest_count(&f->v, &c, why, sizeof why), 0);
    assert_int_equal(publish_questionnaire(&f->v, &c, &o, NULL, d, why, sizeof why), 0);
    quest_count_free(&c);
    assert_int_equal(check_dir(d, &log), 0);
    assert_non_null(strstr(log, "checked results.csv: as results.json says"));
    assert_non_null(strstr(log, "checked tracking-codes.txt: 41 codes, sorted"));
    assert_non_null(strstr(log, "check: every published figure agrees"));
    free(log);
    /* a CSV line changed */
    edit(d, "results.csv", "saint-malo;;respondents;16;", "saint-malo;;respondents;17;");
    assert_int_equal(check_dir(d, &log), 1);
    assert_non_null(strstr(log, "DISAGREE results.csv: line"));
    free(log);
    /* (PUB-P3) a territory of 6 shown: refused, and the total no longer adds up */
    edit(d, "results.json", "\"respondents\":\t16", "\"respondents\":\t6");
    assert_int_equal(check_dir(d, &log), 1);
    assert_non_null(strstr(log, "scope saint-malo: 6 respondents shown, fewer than 10"));
    free(log);
    edit(d, "results.json", "\"respondents\":\t6", "\"respondents\":\t16");
    /* a ranking's first preferences that do not add up */
    edit(d, "results.json", "\"first\":\t41", "\"first\":\t40");
    assert_int_equal(check_dir(d, &log), 1);
    assert_non_null(strstr(log, "40 first preferences for 41 rankings"));
    free(log);
    tu_rmtree(d);
    /* (PUB-P3) 25 and 4: both hidden, which check accepts; shown 25 beside
     * a total of 29 would give the 4 away, which check refuses */
    f->v.n_ballots = 0;
    add(f, 25, 0, 1, 4);
    add(f, 4, 1, 2, 1);
    o.track_key = NULL;
    assert_int_equal(quest_count(&f->v, &c, why, sizeof why), 0);
    assert_int_equal(publish_questionnaire(&f->v, &c, &o, NULL, d, why, sizeof why), 0);
    quest_count_free(&c);
    assert_int_equal(check_dir(d, &log), 0);
    free(log);
    {
        char *t;
        size_t len;
        cJSON *root, *sc, *all, *r;

        p = tu_path(d, "results.json");
        t = (char *)tu_read(p, &len);
        assert_non_null(t);
        root = cJSON_ParseWithLength(t, len);
        free(t);
        assert_non_null(root);
        sc = cJSON_GetObjectItem(root, "scopes");
        all = cJSON_GetArrayItem(sc, 0);
        r = cJSON_GetArrayItem(sc, 1);
        cJSON_ReplaceItemInObject(r, "shown", cJSON_CreateTrue());
        cJSON_ReplaceItemInObject(r, "respondents", cJSON_CreateNumber(25));
        cJSON_AddItemToObject(r, "questions",
                              cJSON_Duplicate(cJSON_GetObjectItem(all, "questions"), 1));
        t = cJSON_Print(root);
        assert_int_equal(tu_write(p, t, strlen(t)), 0);
        cJSON_free(t);
        cJSON_Delete(root);
        free(p);
    }
    assert_int_equal(check_dir(d, &log), 1);
    assert_non_null(strstr(log, "the total less the territories shown gives 4 respondents"));
    free(log);
    tu_rmtree(d);
    free(d);
}

static size_t text_rec(rng_t *rng, const signer_t *ks, uint32_t day, const char *question,
                       const char *words, const uint8_t *id, uint8_t *out)
{
    qtext_t t;
    size_t len = 0;

    memset(&t, 0, sizeof t);
    t.day = day;
    if (id != NULL)
        memcpy(t.id, id, 16);
    else
        assert_int_equal(rng_bytes(rng, t.id, 16), 0);
    memcpy(t.kiosk, ks->pub.id, KEY_ID_LEN);
    strcpy(t.campaign, "mobilite35-2027");
    strcpy(t.territory, "rennes");
    strcpy(t.question, question);
    strcpy(t.text, words);
    assert_int_equal(qtext_seal(&t, ks, out, QTEXT_MAX_LEN, &len), 0);
    return len;
}

/* (VERIFY-V12) Free texts through the tally's one verification: the same
 * text in two bundles counts once; one id with two different texts keeps
 * neither (a problem); a text of a question that takes none, or written
 * after the polls, is a problem and is not kept; answers of kind 4 counted. */
static void test_verify_texts(void **state)
{
    fx_t *f = *state;
    rng_t *rng = NULL;
    key_pair_t *auth = NULL, *kiosk = NULL;
    signer_t ks;
    key_pub_t kp;
    uint8_t ca[CERT_DER_MAX], cert[CERT_DER_MAX], t[5][QTEXT_MAX_LEN], bal[BALLOT_MAX_LEN],
        id[16];
    size_t ca_len = 0, cert_len = 0, tl[5], bl = 0, len[2];
    uint8_t *buf[2] = {NULL, NULL};
    const char *names[2] = {"a.bundle", "b.bundle"};
    ballot_answer_t a[2] = {{0, PKG_Q_ONE, 1, {1}}, {6, PKG_Q_TEXT, 0, {0}}};
    verify_input_t in;
    verify_t *v = NULL;
    ballot_t b;
    char why[300] = "";
    uint32_t day = f->p->opens + 3;
    int i, kept = 0;

    assert_int_equal(rng_open_fixed(&rng, (const uint8_t *)"test_quest", 10), 0);
    assert_int_equal(key_generate(rng, &auth), 0);
    assert_int_equal(key_generate(rng, &kiosk), 0);
    key_signer(kiosk, &ks);
    key_public(kiosk, &kp);
    assert_int_equal(cert_make_authority(auth, rng, "Autorite-35", f->p->opens - 30,
                                         f->p->closes + 300, ca, sizeof ca, &ca_len, NULL, 0), 0);
    assert_int_equal(cert_issue(auth, rng, ca, ca_len, &kp, CERT_KIOSK, "kiosk-35238-01",
                                f->p->opens - 30, f->p->closes + 300, cert, sizeof cert,
                                &cert_len, why, sizeof why), 0);
    tl[0] = text_rec(rng, &ks, day, "idee", "Des cars le soir.", NULL, t[0]);
    memset(id, 0x77, 16);
    tl[1] = text_rec(rng, &ks, day, "idee", "Premier texte.", id, t[1]);
    tl[2] = text_rec(rng, &ks, day, "idee", "Autre texte, même id.", id, t[2]);
    tl[3] = text_rec(rng, &ks, day, "mode", "Une question sans texte.", NULL, t[3]);
    tl[4] = text_rec(rng, &ks, f->p->closes + 1, "idee", "Trop tard.", NULL, t[4]);
    assert_int_equal(ballot_make_answers(&b, f->p, 0, a, 2, day, kp.id, rng), 0);
    assert_int_equal(ballot_seal(&b, &ks, bal, sizeof bal, &bl), 0);
    for (i = 0; i < 2; i++) {
        bundle_builder_t *bb = NULL;
        uint8_t ps[32];

        assert_int_equal(bundle_new("mobilite35-2027", (uint64_t)i + 1, cert, cert_len, &bb), 0);
        assert_int_equal(bundle_add_text(bb, t[0], tl[0]), 0);
        assert_int_equal(bundle_add_text(bb, t[1 + i], tl[1 + i]), 0);
        if (i == 0) {
            assert_int_equal(bundle_add_text(bb, t[3], tl[3]), 0);
            assert_int_equal(bundle_add_text(bb, t[4], tl[4]), 0);
            assert_int_equal(bundle_add_ballot(bb, bal, bl), 0);
            memset(ps, 0x42, 32);
            assert_int_equal(bundle_add_register(bb, ps, day, 0), 0);
        }
        assert_int_equal(bundle_finish(bb, &ks, &buf[i], &len[i]), 0);
        bundle_free(bb);
    }
    memset(&in, 0, sizeof in);
    in.ca_der = ca;
    in.ca_len = ca_len;
    in.pkg = f->p;
    in.day = f->p->closes;
    in.threads = 1;
    assert_int_equal(verify_bundles(&in, 2, (const uint8_t *const *)buf, len, names, &v, why,
                                    sizeof why), 0);
    assert_int_equal(v->n_texts, 4);
    for (i = 0; i < v->n_texts; i++)
        kept += v->texts[i].valid;
    assert_int_equal(kept, 1); /* "Des cars le soir." once */
    assert_non_null(strstr(v->log, "differs from the one in a.bundle: neither is kept"));
    assert_non_null(strstr(v->log, "question mode does not take a text"));
    assert_non_null(strstr(v->log, "outside the polls"));
    assert_non_null(strstr(v->log, "answer sets 1 distinct, 1 counted; free texts 4 distinct, "
                                   "1 kept"));
    assert_int_equal(v->ballots[0].n_ans, 2);
    verify_free(v);
    free(buf[0]);
    free(buf[1]);
    key_free(auth);
    key_free(kiosk);
    rng_close(rng);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_counts_and_small_groups, setup, teardown),
        cmocka_unit_test_setup_teardown(test_texts_moderated, setup, teardown),
        cmocka_unit_test_setup_teardown(test_check_published, setup, teardown),
        cmocka_unit_test_setup_teardown(test_verify_texts, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
