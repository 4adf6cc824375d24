/* test_prov.c - borne-admin's library: spreadsheets, amounts, the campaign
 * build from INSEE's files, the authority's key at rest. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bn_err.h"
#include "cert.h"
#include "day.h"
#include "pkg.h"
#include "prov_auth.h"
#include "prov_campaign.h"
#include "prov_csv.h"
#include "rng.h"
#include "seal.h"
#include "csr.h"
#include "testutil.h"

#ifndef BORNE_PROV_SRC
#define BORNE_PROV_SRC "tests/provisioning/src"
#endif

/* --- spreadsheets ----------------------------------------------------------------- */

static prov_csv_t *csv(const char *text, size_t len)
{
    prov_csv_t *t = NULL;
    char why[256] = "";

    if (prov_csv_parse((const uint8_t *)text, len, "t.csv", &t, why, sizeof why) != 0)
        fail_msg("prov_csv_parse: %s", why);
    return t;
}

static void test_csv_forms(void **state)
{
    /* the same table written five ways */
    static const struct {
        const char *text;
        size_t len;
        prov_csv_enc_t enc;
        char sep;
    } forms[] = {
        {"id;titre\r\np1;\"Caf\xc3\xa9; \"\"bio\"\"\r\nsur 2 lignes\"\r\n", 0, PROV_CSV_UTF8, ';'},
        {"\xef\xbb\xbfid;titre\np1;\"Caf\xc3\xa9; \"\"bio\"\"\r\nsur 2 lignes\"\n", 0,
         PROV_CSV_UTF8_BOM, ';'},
        {"id;titre\rp1;\"Caf\xe9; \"\"bio\"\"\r\nsur 2 lignes\"\r", 0, PROV_CSV_CP1252, ';'},
        {"id,titre\n\np1,\"Caf\xc3\xa9; \"\"bio\"\"\r\nsur 2 lignes\"", 0, PROV_CSV_UTF8, ','},
        {"id\ttitre\np1\t\"Caf\xc3\xa9; \"\"bio\"\"\r\nsur 2 lignes\"\n\n\n", 0, PROV_CSV_UTF8,
         '\t'},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        prov_csv_t *t = csv(forms[i].text, strlen(forms[i].text));

        assert_int_equal(t->enc, forms[i].enc);
        assert_int_equal(t->sep, forms[i].sep);
        assert_int_equal(t->n_cols, 2);
        assert_int_equal(t->n_rows, 1);
        assert_string_equal(t->head[1].s, "titre");
        assert_string_equal(prov_csv_at(t, 0, 0)->s, "p1");
        assert_string_equal(prov_csv_at(t, 0, 1)->s, "Caf\xc3\xa9; \"bio\"\r\nsur 2 lignes");
        assert_int_equal(prov_csv_at(t, 0, 1)->col, 4);
        prov_csv_free(t);
    }
    /* Windows-1252's own characters: euro sign, curly quote, oe */
    {
        prov_csv_t *t = csv("a;b\n\x80;\x92\x9c\n", 9);
        assert_string_equal(prov_csv_at(t, 0, 0)->s, "\xe2\x82\xac");
        assert_string_equal(prov_csv_at(t, 0, 1)->s, "\xe2\x80\x99\xc5\x93");
        prov_csv_free(t);
    }
}

static void test_csv_errors(void **state)
{
    static const struct {
        const char *text, *msg;
    } cases[] = {
        {"", "t.csv: empty: a header line is expected"},
        {"\n\r\n", "t.csv: empty"},
        {"id titre\n", "t.csv:1:1: the first line (the header) has no separator"},
        {"id;titre\np1;\"Caf\xc3\xa9\n", "t.csv:2:4: this quoted field is never closed"},
        {"id;titre\np1;\"Caf\" bio\n", "t.csv:2:9: text after the closing quote"},
        {"id;titre\np1;Caf\"bio\n", "t.csv:2:7: a quote inside a field that does not start with one"},
        {"id;titre\np1;a;b\n", "t.csv:2: 3 fields where the header has 2 (a ';' inside a field "
                                 "needs quotes)"},
        {"id;titre\np1\n", "t.csv:2: 1 field where the header has 2"},
        {"id;titre\np1;\"a\nb\"\np2;x;y\n", "t.csv:4: 3 fields"},
        {"id;titre\np1;Caf\xe9\x81\n", "t.csv:2:8: byte 0x81 is neither UTF-8 nor Windows-1252"},
        {"\xef\xbb\xbfid;titre\np1;Caf\xe9\n", "starts with a UTF-8 byte order mark but is not "
                                                "UTF-8"},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        prov_csv_t *t = NULL;
        char why[256] = "";
        int rc = prov_csv_parse((const uint8_t *)cases[i].text, strlen(cases[i].text), "t.csv",
                                &t, why, sizeof why);

        if (rc != BN_EFORMAT || strstr(why, cases[i].msg) == NULL)
            fail_msg("case %zu: %s \"%s\", expected \"%s\"", i, bn_strerror(rc), why,
                     cases[i].msg);
        assert_null(t);
    }
    {
        prov_csv_t *t = NULL;
        char why[256] = "";
        assert_int_equal(prov_csv_parse((const uint8_t *)"id;x\np\0;y\n", 10, "t.csv", &t, why,
                                        sizeof why), BN_EFORMAT);
        assert_non_null(strstr(why, "t.csv:2:2: a NUL byte"));
    }
}

static void test_fold(void **state)
{
    static const char *const cases[][2] = {
        {"Co\xc3\xbbt (\xe2\x82\xac)", "cout"},
        {"Titre FR", "titre_fr"},
        {"  R\xc3\xa9sum\xc3\xa9-EN ", "resume_en"},
        {"\xc5\x92uvre", "oeuvre"},
        {"ID", "id"},
        {"", ""},
    };
    char out[64];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        prov_csv_fold(cases[i][0], out, sizeof out);
        assert_string_equal(out, cases[i][1]);
    }
}

static void test_euros(void **state)
{
    static const struct {
        const char *s;
        int64_t v;
    } ok[] = {
        {"12500", 12500}, {"12 500", 12500}, {"12 500,00 \xe2\x82\xac", 12500},
        {"12\xc2\xa0" "500 \xe2\x82\xac", 12500}, {"12\xe2\x80\xaf" "500,00\xc2\xa0\xe2\x82\xac", 12500},
        {"12.500,00", 12500}, {"12,500.00", 12500}, {"\xe2\x82\xac" "12,500", 12500},
        {"12500 EUR", 12500}, {"1 234 567", 1234567}, {"7,0", 7}, {"0", 0},
    };
    static const struct {
        const char *s, *msg;
    } bad[] = {
        {"12 500,50 \xe2\x82\xac", "has cents: amounts are whole euros"},
        {"1,5", "has cents"},
        {"-300", "is negative"},
        {"douze mille", "is not an amount in euros"},
        {"", "is not an amount in euros"},
        {"\xe2\x82\xac", "is not an amount in euros"},
        {"12.50.00", "do not group digits by three"},
        {"1,23,456", "do not group digits by three"},
        {"12 5000,00", "do not group digits by three"},
        {"1 2 3", "do not group digits by three"},
        {"1.234,567", "do not group digits by three"},
        {"99999999999999999", "too large"},
    };
    char why[256];
    int64_t v;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        v = -1;
        why[0] = '\0';
        if (prov_parse_euros(ok[i].s, &v, why, sizeof why) != 0 || v != ok[i].v)
            fail_msg("\"%s\": %lld (%s), expected %lld", ok[i].s, (long long)v, why,
                     (long long)ok[i].v);
    }
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        why[0] = '\0';
        if (prov_parse_euros(bad[i].s, &v, why, sizeof why) != BN_EFORMAT ||
            strstr(why, bad[i].msg) == NULL)
            fail_msg("\"%s\": \"%s\", expected \"%s\"", bad[i].s, why, bad[i].msg);
    }
}

/* --- the campaign build -------------------------------------------------------------- */

/* Replaces the single occurrence of `old` in a malloc'd text; fails if not once. */
static char *replace(char *text, const char *old, const char *nw)
{
    char *at = strstr(text, old), *out;
    size_t n;

    if (at == NULL || strstr(at + 1, old) != NULL)
        fail_msg("\"%s\" is not in the fixture exactly once", old);
    n = strlen(text) - strlen(old) + strlen(nw);
    out = malloc(n + 1);
    assert_non_null(out);
    memcpy(out, text, (size_t)(at - text));
    strcpy(out + (at - text), nw);
    strcat(out, at + strlen(old));
    free(text);
    return out;
}

/* A copy of the fixture in `dir`, with one change in one of its files
 * (`file` NULL: none). The INSEE files stay those of assets/data. */
static void fixture(const char *dir, const char *file, const char *old, const char *nw)
{
    static const char *const files[] = {"campaign.json", "projets.csv", "images/jardin.png",
                                        "images/sentier.png", "territories.csv", NULL};
    char src[512], dst[512], *text;
    size_t len, i;

    snprintf(dst, sizeof dst, "%s/images", dir);
    mkdir(dst, 0700);
    for (i = 0; files[i] != NULL; i++) {
        if (strcmp(files[i], "territories.csv") == 0) {
            snprintf(src, sizeof src, "%s/data/territories-35.csv", BORNE_ASSETS);
        } else {
            snprintf(src, sizeof src, "%s/%s", BORNE_PROV_SRC, files[i]);
        }
        text = (char *)tu_read(src, &len);
        assert_non_null(text);
        if (strcmp(files[i], "campaign.json") == 0) {
            char abs[512];

            snprintf(abs, sizeof abs, "\"%s/data/v_commune_2026_dep35.csv\"", BORNE_ASSETS);
            text = replace(text, "\"../../../assets/data/v_commune_2026_dep35.csv\"", abs);
            snprintf(abs, sizeof abs, "\"%s/data/cantons-35.csv\"", BORNE_ASSETS);
            text = replace(text, "\"../../../assets/data/cantons-35.csv\"", abs);
            snprintf(abs, sizeof abs, "\"%s/data/communes-35-cantons.csv\"", BORNE_ASSETS);
            text = replace(text, "\"../../../assets/data/communes-35-cantons.csv\"", abs);
            text = replace(text, "\"../../../assets/data/territories-35.csv\"",
                           "\"territories.csv\"");
        }
        if (file != NULL && strcmp(file, files[i]) == 0)
            text = replace(text, old, nw);
        snprintf(dst, sizeof dst, "%s/%s", dir, files[i]);
        if (strstr(files[i], ".png") == NULL) /* text: replaced above, maybe */
            len = strlen(text);
        assert_int_equal(tu_write(dst, text, len), 0);
        free(text);
    }
}

static prov_build_t *build_in(const char *dir, char *why, size_t whylen, int *rc)
{
    prov_build_t *b = NULL;
    char path[512];

    snprintf(path, sizeof path, "%s/campaign.json", dir);
    *rc = prov_campaign_build(path, &b, why, whylen);
    return b;
}

/* (PROV-C1) The fixture builds; twice the same bytes; `campaign show` is the committed
 * text (tests/provisioning/show.txt) byte for byte. */
static void test_build_fixture(void **state)
{
    char *dir = tu_tmpdir("prov"), why[1024] = "", *shown, *expected, path[512];
    prov_build_t *b1, *b2;
    size_t len, elen;
    FILE *f;
    int rc, t, c;

    (void)state;
    fixture(dir, NULL, NULL, NULL);
    b1 = build_in(dir, why, sizeof why, &rc);
    if (rc != 0)
        fail_msg("build: %s", why);
    b2 = build_in(dir, why, sizeof why, &rc);
    assert_int_equal(rc, 0);
    assert_int_equal(b1->len, b2->len);
    assert_memory_equal(b1->json, b2->json, b1->len);
    /* what a kiosk will read */
    assert_string_equal(b1->pkg->id, "bp35-essai");
    assert_int_equal(b1->pkg->n_communes, 332);
    assert_int_equal(b1->pkg->n_projects, 12);
    assert_int_equal(b1->n_images, 2);
    c = pkg_find_commune(b1->pkg, "35238");
    assert_true(c >= 0);
    assert_string_equal(b1->pkg->cantons[b1->pkg->communes[c].canton].id, "3598");
    assert_string_equal(b1->pkg->cantons[b1->pkg->communes[c].canton].name,
                        "Rennes (pseudo-canton)");
    t = pkg_commune_territory(b1->pkg, c);
    assert_string_equal(b1->pkg->territories[t].id, "rennes");
    /* Châteaugiron's canton spans Rennes Métropole and Vitré's side */
    c = pkg_find_commune(b1->pkg, "35068"); /* Châteaubourg */
    assert_string_equal(b1->pkg->cantons[b1->pkg->communes[c].canton].id, "3505");
    assert_int_equal(b1->pkg->cantons[b1->pkg->communes[c].canton].territory, -1);
    t = pkg_commune_territory(b1->pkg, c);
    assert_string_equal(b1->pkg->territories[t].id, "vitre");
    t = pkg_commune_territory(b1->pkg, pkg_find_commune(b1->pkg, "35207")); /* Noyal */
    assert_string_equal(b1->pkg->territories[t].id, "rennes");
    /* the name citizens type, with its article: INSEE's LIBELLE, not
     * NCCENR, which comes first in the file ("Rheu") */
    assert_string_equal(b1->pkg->communes[pkg_find_commune(b1->pkg, "35240")].name, "Le Rheu");
    assert_string_equal(b1->pkg->communes[pkg_find_commune(b1->pkg, "35131")].name, "L'Hermitage");
    t = pkg_find_project(b1->pkg, "ren-jardin");
    assert_int_equal(b1->pkg->projects[t].cost, 28500);
    assert_string_equal(b1->pkg->projects[t].image, "images/jardin.png");
    assert_string_equal(b1->pkg->projects[t].summary.s[0],
                        "Des parcelles et un composteur; au pied des immeubles.");
    assert_string_equal(b1->pkg->projects[t].description.s[0],
                        "Une pelouse devient un jardin de 40 parcelles. L'association de "
                        "quartier l'anime.");
    t = pkg_find_project(b1->pkg, "bro-voie-verte");
    assert_int_equal(b1->pkg->projects[t].cost, 150000);

    snprintf(path, sizeof path, "%s/show.txt", dir);
    f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(prov_campaign_show(b1->pkg, 0, f), 0);
    fclose(f);
    shown = (char *)tu_read(path, &len);
    snprintf(path, sizeof path, "%s/../show.txt", BORNE_PROV_SRC);
    expected = (char *)tu_read(path, &elen);
    assert_non_null(shown);
    if (expected == NULL || len != elen || memcmp(shown, expected, len) != 0) {
        fputs(shown, stderr);
        fail_msg("campaign show differs from %s (printed above)", path);
    }
    free(shown);
    free(expected);
    prov_build_free(b1);
    prov_build_free(b2);
    tu_rmtree(dir);
    free(dir);
}

/* (PROV-C1) What would give a wrong campaign is refused, naming the place. */
static void test_build_refusals(void **state)
{
    static const struct {
        const char *file, *old, *nw, *msg;
    } cases[] = {
        {"projets.csv", "Vitr\xe9;140000", "Vitry;140000",
         "projets.csv:9:10: territory \"Vitry\" is not one of the campaign's (rennes, broceliande"},
        {"projets.csv", "148 000,00", "148 000,50",
         "projets.csv:8:23: cost: \"148 000,50\" has cents: amounts are whole euros"},
        {"projets.csv", "68000;", "soixante;", "projets.csv:10:18: cost: \"soixante\" is not an "
                                               "amount"},
        {"projets.csv", "vit-ponton", "vit-velo",
         "projets.csv:10:1: project id \"vit-velo\" is already used on line 9"},
        {"projets.csv", "Rennes;148000", "Rennes;14800",
         "campaign.json: territory rennes: its projects cost 43300 EUR in all, less than the "
         "minimum spend of 50% of its envelope (166667 EUR)"},
        {"projets.csv", "sentier.png", "sentier.jpg",
         "projets.csv:5:233: image \"sentier.jpg\" not found in "},
        {"projets.csv", "ren-jardin", "Ren Jardin", "projets.csv:2:1: project id \"Ren Jardin\": 1 "
                                                     "to 16 characters"},
        {"territories.csv", "243500139,Rennes M\xc3\xa9tropole,Rennes\r\n", "",
         "v_commune_2026_dep35.csv:2: commune 35001 Acign\xc3\xa9 is in no territory: "},
        {"territories.csv", "Rennes M\xc3\xa9tropole,Rennes", "Rennes M\xc3\xa9tropole,Renne",
         "territories.csv:2:28: territory \"Renne\" is not one of the campaign's"},
        {"campaign.json", "\"closes\": \"2027-04-30\"", "\"closes\": \"2027-02-01\"",
         "campaign.json: polls.closes 2027-02-01 is before polls.opens 2027-03-01"},
        {"campaign.json", "\"projects\": \"projets.csv\"", "\"projects\": \"projects.csv\"",
         "projects.csv: cannot be read"},
        {"campaign.json", "\"min_age\": 16", "\"min_age\": 16,", "campaign.json:28:4: not valid JSON here"},
        {"campaign.json", "\"images\": \"images\"", "\"pictures\": \"images\"",
         "campaign.json: sources.pictures: unknown key"},
    };
    size_t i;
    int failed = 0;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *dir = tu_tmpdir("prov"), why[1024] = "";
        prov_build_t *b;
        int rc;

        fixture(dir, cases[i].file, cases[i].old, cases[i].nw);
        b = build_in(dir, why, sizeof why, &rc);
        if (rc == 0 || b != NULL || strstr(why, cases[i].msg) == NULL) {
            print_error("case %zu: %s \"%s\"\n    expected \"%s\"\n", i, bn_strerror(rc), why,
                        cases[i].msg);
            failed++;
        }
        prov_build_free(b);
        tu_rmtree(dir);
        free(dir);
    }
    if (failed)
        fail_msg("%d of %zu refusals wrong", failed, sizeof cases / sizeof cases[0]);
}

/* (PROV-C1) Projects reused from an earlier edition's Pabulib file, beside
 * the spreadsheet's: ids pb-N, the file's names as texts, the territory
 * given. */
static void test_build_pabulib(void **state)
{
    char *dir = tu_tmpdir("prov"), why[1024] = "", nw[512], *pb = tu_vector("pabulib/France_Toulouse_2022_Capitole.pb");
    prov_build_t *b;
    int rc, i;

    (void)state;
    snprintf(nw, sizeof nw, "\"pabulib\": {\"file\": \"%s\", \"territory\": \"Pays de Vitr\u00e9\"},\n"
             "    \"projects\": \"projets.csv\"", pb);
    fixture(dir, "campaign.json", "\"projects\": \"projets.csv\"", nw);
    b = build_in(dir, why, sizeof why, &rc);
    if (rc != 0)
        fail_msg("build: %s", why);
    assert_int_equal(b->pkg->n_projects, 12 + 10);
    i = pkg_find_project(b->pkg, "pb-13");
    assert_true(i >= 0);
    assert_int_equal(b->pkg->projects[i].cost, 4000);
    assert_string_equal(b->pkg->territories[b->pkg->projects[i].territory].id, "vitre");
    assert_string_equal(b->pkg->projects[i].title.s[0], "Esth\xc3\xa9tique des conteneurs de recyclage");
    assert_string_equal(b->pkg->projects[i].title.s[1], "Esth\xc3\xa9tique des conteneurs de recyclage");
    prov_build_free(b);
    tu_rmtree(dir);
    free(dir);
    /* a territory that is not the campaign's: refused in words */
    dir = tu_tmpdir("prov");
    snprintf(nw, sizeof nw, "\"pabulib\": {\"file\": \"%s\", \"territory\": \"toulouse\"},\n"
             "    \"projects\": \"projets.csv\"", pb);
    fixture(dir, "campaign.json", "\"projects\": \"projets.csv\"", nw);
    b = build_in(dir, why, sizeof why, &rc);
    assert_int_equal(rc, BN_EFORMAT);
    assert_non_null(strstr(why, "sources.pabulib.territory: \"toulouse\" is not one of the "
                                "campaign's territories"));
    prov_build_free(b);
    tu_rmtree(dir);
    free(dir);
    free(pb);
}

/* --- the authority --------------------------------------------------------------------- */

/* (PROV-A1) */
static void test_authority(void **state)
{
    char *dir = tu_tmpdir("auth"), why[512] = "", path[512];
    uint8_t seed[32] = {7}, *file, *plain = NULL;
    prov_auth_t *a = NULL;
    struct stat st;
    rng_t *rng;
    size_t len, plen;
    uint32_t iter;

    (void)state;
    assert_int_equal(rng_open_fixed(&rng, seed, sizeof seed), 0);
    snprintf(path, sizeof path, "%s/a", dir);
    /* a passphrase too short makes nothing */
    assert_int_equal(prov_auth_init(path, "Autorite-35", "court", rng, 20000, 21000, why,
                                    sizeof why), BN_EINVAL);
    assert_non_null(strstr(why, "fewer than 10 characters"));
    assert_int_equal(prov_auth_init(path, "Autorite-35", "une phrase de passe", rng, 20000,
                                    21000, why, sizeof why), 0);
    /* (PROV-A1) the files are the owner's only; the key is not in clear */
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    snprintf(path, sizeof path, "%s/a/authority.key.enc", dir);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    file = tu_read(path, &len);
    assert_non_null(file);
    {
        size_t i;

        for (i = 0; i + 7 <= len; i++)
            assert_false(memcmp(file + i, "PRIVATE", 7) == 0);
    }
    iter = (uint32_t)file[6] << 24 | (uint32_t)file[7] << 16 | (uint32_t)file[8] << 8 | file[9];
    assert_true(iter >= 600000);
    snprintf(path, sizeof path, "%s/a/authority.crt", dir);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    /* made once */
    snprintf(path, sizeof path, "%s/a", dir);
    assert_int_equal(prov_auth_init(path, "Autorite-35", "une phrase de passe", rng, 20000,
                                    21000, why, sizeof why), BN_EEXISTS);
    /* a wrong passphrase is refused in words */
    assert_int_equal(prov_auth_open(path, "une phrase de passf", rng, &a, why, sizeof why),
                     BN_EKEY);
    assert_non_null(strstr(why, "wrong passphrase"));
    assert_null(a);
    assert_int_equal(prov_auth_open(path, "une phrase de passe", rng, &a, why, sizeof why), 0);
    assert_string_equal(a->info.name, "Autorite-35");
    prov_auth_close(a);
    a = NULL;
    /* a flipped bit in each field of the file: refused (magic, KDF, salt,
     * nonce, length, secret, tag; each try costs a key derivation) */
    {
        const size_t at[] = {0, 5, 12, 30, 39, 45, len - 1};
        size_t i;

        for (i = 0; i < sizeof at / sizeof at[0]; i++) {
            uint8_t *copy = malloc(len);

            memcpy(copy, file, len);
            copy[at[i]] ^= 0x10;
            assert_int_not_equal(prov_open_pass("une phrase de passe", copy, len, &plain, &plen,
                                                why, sizeof why), 0);
            assert_null(plain);
            free(copy);
        }
    }
    /* fewer iterations than the floor: refused even with the right passphrase */
    {
        uint8_t *weak = NULL;
        size_t wlen;

        assert_int_equal(prov_seal_pass("une phrase de passe", rng, 1000, (const uint8_t *)"k", 1,
                                        &weak, &wlen), 0);
        assert_int_equal(prov_open_pass("une phrase de passe", weak, wlen, &plain, &plen, why,
                                        sizeof why), BN_EFORMAT);
        assert_non_null(strstr(why, "1000 iterations"));
        free(weak);
    }
    free(file);
    rng_close(rng);
    tu_rmtree(dir);
    free(dir);
}

static void test_fingerprint(void **state)
{
    char fpr[CERT_FPR_LEN];
    size_t i;

    (void)state;
    /* SHA-256("") = e3b0c442 98fc1c14 ...: 11100 01110 11000 01100 ... */
    cert_fingerprint((const uint8_t *)"", 0, fpr);
    assert_int_equal(strlen(fpr), 39);
    assert_memory_equal(fpr, "WERC-", 5);
    for (i = 0; i < strlen(fpr); i++)
        assert_true(strchr("0123456789ABCDEFGHJKMNPQRSTVWXYZ-", fpr[i]) != NULL);
}

/* (PROV-B1) a secret sealed to a kiosk's key opens with that key, that
 * label and that additional data only; a request proves its key */
static void test_seal_csr(void **state)
{
    uint8_t seed[32] = {9}, pt[32], out[32 + SEAL_OVERHEAD], back[32];
    key_pair_t *k1 = NULL, *k2 = NULL;
    key_pub_t p1, got;
    char pem[CSR_PEM_MAX], why[256];
    size_t len, i;
    rng_t *rng;

    (void)state;
    assert_int_equal(rng_open_fixed(&rng, seed, sizeof seed), 0);
    assert_int_equal(key_generate(rng, &k1), 0);
    assert_int_equal(key_generate(rng, &k2), 0);
    key_public(k1, &p1);
    memset(pt, 0x5a, sizeof pt);
    assert_int_equal(seal_to(&p1, "label", (const uint8_t *)"k/c", 3, pt, 32, rng, out), 0);
    assert_int_equal(seal_open(k1, "label", (const uint8_t *)"k/c", 3, out, sizeof out, back), 0);
    assert_memory_equal(back, pt, 32);
    assert_int_equal(seal_open(k2, "label", (const uint8_t *)"k/c", 3, out, sizeof out, back),
                     BN_EBADSIG);
    assert_int_equal(seal_open(k1, "other", (const uint8_t *)"k/c", 3, out, sizeof out, back),
                     BN_EBADSIG);
    assert_int_equal(seal_open(k1, "label", (const uint8_t *)"k/d", 3, out, sizeof out, back),
                     BN_EBADSIG);
    for (i = KEY_PUB_LEN; i < sizeof out; i += 9) {
        out[i] ^= 1;
        assert_int_not_equal(seal_open(k1, "label", (const uint8_t *)"k/c", 3, out, sizeof out,
                                       back), 0);
        out[i] ^= 1;
    }
    assert_int_equal(csr_make(k1, rng, "borne-kiosk", pem, sizeof pem, &len), 0);
    assert_int_equal(csr_check(pem, len, &got, why, sizeof why), 0);
    assert_memory_equal(got.id, p1.id, KEY_ID_LEN);
    /* one changed character of the request's body: refused */
    pem[100] = pem[100] == 'A' ? 'B' : 'A';
    assert_int_not_equal(csr_check(pem, len, &got, why, sizeof why), 0);
    key_free(k1);
    key_free(k2);
    rng_close(rng);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_forms),
        cmocka_unit_test(test_csv_errors),
        cmocka_unit_test(test_fold),
        cmocka_unit_test(test_euros),
        cmocka_unit_test(test_build_fixture),
        cmocka_unit_test(test_build_refusals),
        cmocka_unit_test(test_build_pabulib),
        cmocka_unit_test(test_authority),
        cmocka_unit_test(test_fingerprint),
        cmocka_unit_test(test_seal_csr),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
