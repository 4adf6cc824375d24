/* test_pkg.c - campaign packages: strict parsing, canonical form, signed files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "bn_err.h"
#include "day.h"
#include "hex.h"
#include "key.h"
#include "pkg.h"
#include "rng.h"
#include "testutil.h"

/* --- helpers ------------------------------------------------------------------------ */

/* A file of tests/vectors/pkg/, NUL-terminated; fails the test if absent. */
static char *vec(const char *name, size_t *len)
{
    char rel[128], *path;
    uint8_t *buf;

    snprintf(rel, sizeof rel, "pkg/%s", name);
    path = tu_vector(rel);
    assert_non_null(path);
    buf = tu_read(path, len);
    if (buf == NULL)
        fail_msg("cannot read %s", path);
    free(path);
    return (char *)buf;
}

static uint32_t day(const char *text)
{
    uint32_t d = 0;

    assert_int_equal(day_parse(text, &d), 0);
    return d;
}

static char *canonical(const char *json, size_t len, size_t *outlen)
{
    char why[256] = "", *out = NULL;
    int rc = pkg_canonical(json, len, &out, outlen, why, sizeof why);

    if (rc != 0)
        fail_msg("pkg_canonical: %s: %s", bn_strerror(rc), why);
    return out;
}

static pkg_t *parse_vec(const char *name)
{
    char why[256] = "", *json;
    size_t len;
    pkg_t *p = NULL;
    int rc;

    json = vec(name, &len);
    rc = pkg_parse(json, len, &p, why, sizeof why);
    if (rc != 0)
        fail_msg("%s: %s: %s", name, bn_strerror(rc), why);
    free(json);
    return p;
}

/* --- valid packages ---------------------------------------------------------------------- */

static void test_budget(void **state)
{
    pkg_t *p = parse_vec("budget.json");
    char *json, *canon, hexd[65];
    size_t len, clen;
    uint8_t digest[32];
    int i, c, r;

    (void)state;
    assert_string_equal(p->id, "bp-2026");
    assert_int_equal(p->kind, PKG_BUDGET);
    assert_string_equal(p->departement, "35");
    assert_int_equal(p->n_langs, 2);
    assert_string_equal(p->langs[0], "fr");
    assert_string_equal(p->langs[1], "en");
    assert_string_equal(p->title.s[0], "Budget participatif 2026");
    assert_string_equal(p->title.s[1], "Participatory budget 2026");
    assert_null(p->title.s[2]);
    /* "\u2013" and "\u00e0" in the file are decoded */
    assert_string_equal(p->description.s[0],
                        "Votez pour les projets de votre territoire \xe2\x80\x93 jusqu'\xc3\xa0 trois.");
    assert_int_equal(p->valid_from, day("2026-03-01"));
    assert_int_equal(p->valid_until, day("2026-12-31"));
    assert_int_equal(p->opens, day("2026-04-01"));
    assert_int_equal(p->closes, day("2026-05-31"));
    assert_int_equal(p->min_age, 16);
    assert_int_equal(p->rule.min, 1);
    assert_int_equal(p->rule.max, 3);
    assert_int_equal(p->rule.knapsack, 1);
    assert_int_equal(p->rule.min_spend_percent, 0);
    assert_int_equal(p->counting, PKG_COUNT_GREEDY);

    assert_int_equal(p->n_territories, 2);
    assert_string_equal(p->territories[1].id, "vitre");
    assert_string_equal(p->territories[1].name.s[0], "Vitr\xc3\xa9");
    assert_int_equal(p->territories[0].envelope, 340000);
    assert_int_equal(p->territories[1].envelope, 250000);
    assert_int_equal(pkg_find_territory(p, "vitre"), 1);
    assert_int_equal(pkg_find_territory(p, "redon"), -1);

    assert_int_equal(p->n_cantons, 3);
    assert_string_equal(p->cantons[1].id, "bruz");
    assert_string_equal(p->cantons[1].name, "Bruz");
    assert_int_equal(p->cantons[2].territory, 1);

    /* communes sorted by INSEE code, whatever the file's order */
    assert_int_equal(p->n_communes, 5);
    for (i = 1; i < p->n_communes; i++)
        assert_true(strcmp(p->communes[i - 1].insee, p->communes[i].insee) < 0);
    assert_string_equal(p->communes[0].insee, "35047");
    assert_string_equal(p->communes[4].insee, "35360");
    for (i = 0; i < p->n_communes; i++)
        assert_int_equal(pkg_find_commune(p, p->communes[i].insee), i);
    c = pkg_find_commune(p, "35051");
    assert_true(c >= 0);
    assert_string_equal(p->communes[c].name, "Cesson-S\xc3\xa9vign\xc3\xa9");
    assert_string_equal(p->cantons[p->communes[c].canton].id, "rennes-1");
    assert_int_equal(pkg_commune_territory(p, c), 0);
    assert_int_equal(pkg_commune_territory(p, pkg_find_commune(p, "35125")), 1);
    assert_int_equal(pkg_find_commune(p, "35000"), -1);
    assert_int_equal(pkg_find_commune(p, "99999"), -1);
    assert_int_equal(pkg_find_commune(p, "0"), -1);
    assert_int_equal(pkg_commune_territory(p, -1), -1);
    assert_int_equal(pkg_commune_territory(p, 5), -1);

    assert_int_equal(p->n_projects, 4);
    assert_string_equal(p->projects[3].id, "boites-livres");
    assert_int_equal(p->projects[3].cost, 15000);
    assert_int_equal(p->projects[3].territory, 1);
    assert_string_equal(p->projects[2].title.s[1], "A \"third place\" in Vitr\xc3\xa9");
    assert_string_equal(p->projects[2].summary.s[0], "Caf\xc3\xa9, ateliers \xf0\x9f\x8e\xa8 et r\xc3\xa9paration.");
    assert_string_equal(p->projects[0].description.s[0], "Bacs, outils et compost/r\xc3\xa9" "cup\xc3\xa9rateurs d'eau.");
    assert_string_equal(p->projects[0].image, "img/jardins.jpg");
    hex_encode(p->projects[0].image_sha256, 32, hexd);
    assert_string_equal(hexd, "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
    assert_null(p->projects[1].image);
    assert_int_equal(pkg_find_project(p, "velo"), 1);
    assert_int_equal(pkg_find_project(p, "tram"), -1);

    assert_int_equal(pkg_lang(p, "fr"), 0);
    assert_int_equal(pkg_lang(p, "en"), 1);
    assert_int_equal(pkg_lang(p, "de"), 0);
    assert_int_equal(pkg_lang(p, NULL), 0);

    /* the digest is the SHA-256 of the canonical bytes */
    json = vec("budget.json", &len);
    canon = canonical(json, len, &clen);
    key_sha256(canon, clen, digest);
    assert_memory_equal(p->digest, digest, 32);
    r = memcmp(p->digest, (uint8_t[32]){0}, 32);
    assert_int_not_equal(r, 0);
    free(canon);
    pkg_free(p);

    /* 2^53 is the largest integer taken (errors.txt: 2^53 + 1 is refused) */
    memcpy(strstr(json, "340000"), "999999", 6);
    assert_int_equal(pkg_parse(json, len, &p, NULL, 0), 0);
    assert_int_equal(p->territories[0].envelope, 999999);
    pkg_free(p);
    {
        const char *big = "9007199254740992";
        size_t at = (size_t)(strstr(json, "999999") - json), blen = strlen(big);
        char *json2 = malloc(len + blen);

        memcpy(json2, json, at);
        memcpy(json2 + at, big, blen);
        memcpy(json2 + at + blen, json + at + 6, len - at - 6);
        assert_int_equal(pkg_parse(json2, len - 6 + blen, &p, NULL, 0), 0);
        assert_int_equal(p->territories[0].envelope, 9007199254740992LL);
        pkg_free(p);
        free(json2);
    }
    free(json);
}

static void test_petition(void **state)
{
    pkg_t *p = parse_vec("petition.json");

    (void)state;
    assert_string_equal(p->id, "interp-2026");
    assert_int_equal(p->kind, PKG_PETITION);
    assert_int_equal(p->n_langs, 3);
    assert_string_equal(p->langs[2], "br");
    assert_string_equal(p->title.s[2], "Gwir da interpella\xc3\xb1");
    assert_int_equal(pkg_lang(p, "br"), 2);
    assert_int_equal(p->petition.threshold, 1000);
    assert_int_equal(p->petition.min_cantons, 3);
    assert_int_equal(p->n_territories, 2);
    assert_int_equal(p->territories[0].envelope, 0);
    assert_string_equal(p->territories[1].name.s[2], "Sant-Malo\xc3\xb9");
    assert_int_equal(p->n_projects, 0);
    assert_null(p->projects);
    assert_int_equal(p->n_cantons, 4);
    assert_int_equal(p->n_communes, 4);
    assert_string_equal(p->communes[0].insee, "35024");
    assert_int_equal(pkg_commune_territory(p, pkg_find_commune(p, "35095")), 1);
    assert_int_equal(pkg_commune_territory(p, pkg_find_commune(p, "35024")), 0);
    pkg_free(p);

    /* a call for ideas (issue 17): themes, moderation reasons, limits */
    p = parse_vec("ideas.json");
    assert_int_equal(p->kind, PKG_IDEAS);
    assert_string_equal(pkg_kind_name(p->kind), "ideas");
    assert_int_equal(p->ideas.n_themes, 3);
    assert_string_equal(p->ideas.themes[1].id, "mobilite");
    assert_string_equal(p->ideas.themes[1].name.s[0], "Se d\xc3\xa9placer");
    assert_int_equal(p->ideas.n_reasons, 5);
    assert_string_equal(p->ideas.reasons[4].name.s[1], "Too costly");
    assert_int_equal(p->ideas.max_per_person, 3);
    assert_int_equal(p->ideas.contact, 1);
    assert_int_equal(p->ideas.place, 1);
    assert_int_equal(p->ideas.has_controller, 1);
    assert_int_equal(p->ideas.controller.pub[0], 0x04);
    assert_int_equal(p->n_projects, 0);
    pkg_free(p);

    p = parse_vec("tiny-budget.json");
    assert_int_equal(p->counting, PKG_COUNT_MES_ADD1);
    assert_int_equal(p->rule.knapsack, 0);
    assert_int_equal(p->rule.min, 0);
    pkg_free(p);

    pkg_free(NULL);
    assert_int_equal(pkg_find_territory(NULL, "x"), -1);
    assert_int_equal(pkg_find_commune(NULL, "35238"), -1);
    assert_int_equal(pkg_lang(NULL, "fr"), 0);
}

/* --- errors.txt --------------------------------------------------------------------------- */

static const struct {
    const char *name;
    int code;
} codes[] = {
#define CODE_ROW(name, code, text) {#name, code},
    BN_ERR_MAP(CODE_ROW)
#undef CODE_ROW
};

static int code_of(const char *name)
{
    size_t i;

    for (i = 0; i < sizeof codes / sizeof codes[0]; i++)
        if (strcmp(codes[i].name, name) == 0)
            return codes[i].code;
    return 1; /* no such code: the case fails */
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Unescapes \n \t \\ \xHH; returns the length (the output may hold NULs). */
static size_t unescape(const char *in, size_t len, char *out)
{
    size_t i, o = 0;

    for (i = 0; i < len; i++) {
        if (in[i] != '\\' || i + 1 >= len) {
            out[o++] = in[i];
            continue;
        }
        i++;
        if (in[i] == 'n')
            out[o++] = '\n';
        else if (in[i] == 't')
            out[o++] = '\t';
        else if (in[i] == 'x' && i + 2 < len && hexval(in[i + 1]) >= 0 && hexval(in[i + 2]) >= 0) {
            out[o++] = (char)(hexval(in[i + 1]) << 4 | hexval(in[i + 2]));
            i += 2;
        } else
            out[o++] = in[i]; /* \\ and anything else: the character itself */
    }
    out[o] = '\0';
    return o;
}

static size_t count_in(const char *hay, size_t n, const char *needle, size_t k, const char **first)
{
    size_t i, found = 0;

    *first = NULL;
    for (i = 0; k > 0 && i + k <= n; i++) {
        if (memcmp(hay + i, needle, k) == 0) {
            if (found++ == 0)
                *first = hay + i;
        }
    }
    return found;
}

static int run_case(int lineno, char *line)
{
    char *f[5], *sep, *base = NULL, *text = NULL, old[4096], nw[4096], msg[1024];
    char why[512], why2[512], name[64], *canon = NULL;
    const char *at;
    size_t n_old, n_new, blen = 0, tlen, clen;
    pkg_t *p = (pkg_t *)1;
    int i, code, rc, rc2, ok = 0;

    for (i = 0; i < 4; i++) {
        f[i] = line;
        sep = strstr(line, " | ");
        if (sep == NULL) {
            print_error("errors.txt:%d: fewer than 5 fields\n", lineno);
            return 0;
        }
        *sep = '\0';
        line = sep + 3;
    }
    f[4] = line;
    n_old = unescape(f[1], strlen(f[1]), old);
    n_new = unescape(f[2], strlen(f[2]), nw);
    unescape(f[4], strlen(f[4]), msg);
    code = code_of(f[3]);
    if (strcmp(f[0], "-") == 0) {
        text = malloc(n_new + 1);
        memcpy(text, nw, n_new);
        tlen = n_new;
    } else {
        snprintf(name, sizeof name, "%s.json", f[0]);
        base = vec(name, &blen);
        if (count_in(base, blen, old, n_old, &at) != 1) {
            print_error("errors.txt:%d: OLD must occur exactly once in %s\n", lineno, name);
            goto out;
        }
        tlen = blen - n_old + n_new;
        text = malloc(tlen + 1);
        memcpy(text, base, (size_t)(at - base));
        memcpy(text + (at - base), nw, n_new);
        memcpy(text + (at - base) + n_new, at + n_old, blen - (size_t)(at - base) - n_old);
    }
    why[0] = why2[0] = '\0';
    rc = pkg_parse(text, tlen, &p, why, sizeof why);
    rc2 = pkg_canonical(text, tlen, &canon, &clen, why2, sizeof why2);
    if (rc != code || strstr(why, msg) == NULL) {
        print_error("errors.txt:%d: expected %s \"%s\"\n    got %s \"%s\"\n", lineno, f[3], msg,
                    rc == 0 ? "success" : bn_strerror(rc), why);
        goto out;
    }
    if (p != NULL || rc2 != rc || strcmp(why, why2) != 0 || canon != NULL) {
        print_error("errors.txt:%d: pkg_canonical disagrees: %s \"%s\"\n", lineno,
                    bn_strerror(rc2), why2);
        goto out;
    }
    ok = 1;
out:
    if (p != (pkg_t *)1)
        pkg_free(p);
    free(canon);
    free(text);
    free(base);
    return ok;
}

static void test_error_cases(void **state)
{
    char *all, *line, *next;
    size_t len;
    int lineno = 0, cases = 0, failed = 0;

    (void)state;
    all = vec("errors.txt", &len);
    for (line = all; line != NULL && *line != '\0'; line = next) {
        next = strchr(line, '\n');
        if (next != NULL)
            *next++ = '\0';
        lineno++;
        if (*line == '\0' || *line == '#')
            continue;
        cases++;
        if (!run_case(lineno, line))
            failed++;
    }
    free(all);
    if (failed > 0)
        fail_msg("%d of %d cases of errors.txt failed", failed, cases);
    assert_true(cases >= 30);
}

/* A canton that lies across two territories (cantons do not nest in
 * intercommunalities): the canton names none, its communes name theirs; a
 * commune that names an unknown territory is refused. */
static void test_canton_across_territories(void **state)
{
    static const char *fmt =
        "{\"format\":\"borne-campaign/1\",\"id\":\"demo\",\"kind\":\"petition\","
        "\"departement\":\"35\",\"languages\":[\"fr\"],\"title\":{\"fr\":\"T\"},"
        "\"description\":{\"fr\":\"D\"},\"valid\":{\"from\":\"2026-01-01\","
        "\"until\":\"2026-12-31\"},\"polls\":{\"opens\":\"2026-01-01\","
        "\"closes\":\"2026-06-30\"},\"eligibility\":{\"min_age\":16},"
        "\"territories\":[{\"id\":\"vitre\",\"name\":{\"fr\":\"V\"}},"
        "{\"id\":\"rennes\",\"name\":{\"fr\":\"R\"}}],"
        "\"cantons\":[{\"id\":\"3505\",\"name\":\"Ch\u00e2teaugiron\"}],"
        "\"communes\":[{\"insee\":\"35069\",\"name\":\"Ch\u00e2teaugiron\","
        "\"canton\":\"3505\",\"territory\":\"vitre\"},{\"insee\":\"35204\","
        "\"name\":\"Nouvoitou\",\"canton\":\"3505\",\"territory\":\"%s\"}],"
        "\"petition\":{\"threshold\":10,\"min_cantons\":1}}";
    char json[2048], why[256] = "";
    pkg_t *p = NULL;

    (void)state;
    snprintf(json, sizeof json, fmt, "rennes");
    assert_int_equal(pkg_parse(json, strlen(json), &p, why, sizeof why), 0);
    assert_int_equal(p->cantons[0].territory, -1);
    assert_int_equal(pkg_commune_territory(p, pkg_find_commune(p, "35069")), 0);
    assert_int_equal(pkg_commune_territory(p, pkg_find_commune(p, "35204")), 1);
    pkg_free(p);
    p = NULL;
    snprintf(json, sizeof json, fmt, "redon");
    assert_int_equal(pkg_parse(json, strlen(json), &p, why, sizeof why), BN_EFORMAT);
    assert_null(p);
    assert_string_equal(why, "communes[1].territory: unknown territory \"redon\"");
}

/* Messages: `why` may be NULL or short, the code is the same. */
static void test_why_buffer(void **state)
{
    const char bad[] = "{\"format\": \"borne-campaign/1\", \"kind\": \"budget\", \"colour\": 1}";
    char small[8];
    pkg_t *p = NULL;

    (void)state;
    assert_int_equal(pkg_parse(bad, strlen(bad), &p, NULL, 0), BN_EFORMAT);
    assert_null(p);
    assert_int_equal(pkg_parse(bad, strlen(bad), &p, small, sizeof small), BN_EFORMAT);
    assert_string_equal(small, "colour:");
    assert_int_equal(pkg_parse(NULL, 5, &p, NULL, 0), BN_EINVAL);
    assert_int_equal(pkg_parse(bad, strlen(bad), NULL, NULL, 0), BN_EINVAL);
    assert_int_equal(pkg_parse(bad, PKG_MAX_BYTES + 1u, &p, NULL, 0), BN_ETOOBIG);
}

/* --- canonical form ------------------------------------------------------------------------ */

static void reverse_members(cJSON *v)
{
    cJSON *c, *next, *rev = NULL, *last = NULL;

    if (!cJSON_IsObject(v) && !cJSON_IsArray(v))
        return;
    for (c = v->child; c != NULL; c = c->next)
        reverse_members(c);
    if (!cJSON_IsObject(v))
        return; /* arrays keep their order: it is meaningful */
    for (c = v->child; c != NULL; c = next) {
        next = c->next;
        c->next = rev;
        c->prev = NULL;
        if (rev != NULL)
            rev->prev = c;
        else
            last = c;
        rev = c;
    }
    v->child = rev;
    if (rev != NULL)
        rev->prev = last; /* cJSON: the first child's prev is the last child */
}

static void test_canonical_same_bytes(void **state)
{
    static const char *const names[] = {"budget.json", "petition.json", "tiny.json",
                                        "tiny-budget.json"};
    char *json, *canon, *again, *printed, *other;
    size_t len, clen, alen, olen, i;
    cJSON *tree;

    (void)state;
    for (i = 0; i < sizeof names / sizeof names[0]; i++) {
        json = vec(names[i], &len);
        canon = canonical(json, len, &clen);
        /* idempotent */
        again = canonical(canon, clen, &alen);
        assert_int_equal(alen, clen);
        assert_memory_equal(again, canon, clen);
        free(again);
        /* the same campaign, otherwise spaced and ordered, gives the same bytes */
        tree = cJSON_ParseWithLength(json, len);
        assert_non_null(tree);
        printed = cJSON_PrintUnformatted(tree);
        other = canonical(printed, strlen(printed), &olen);
        assert_int_equal(olen, clen);
        assert_memory_equal(other, canon, clen);
        free(other);
        free(printed);
        reverse_members(tree);
        printed = cJSON_Print(tree); /* tabs, other key order */
        assert_non_null(strchr(printed, '\t'));
        other = canonical(printed, strlen(printed), &olen);
        assert_int_equal(olen, clen);
        assert_memory_equal(other, canon, clen);
        free(other);
        free(printed);
        cJSON_Delete(tree);
        /* the shape of the text */
        assert_true(clen > 2 && canon[0] == '{' && memcmp(canon + clen - 2, "}\n", 2) == 0);
        assert_null(memchr(canon, '\r', clen));
        assert_null(memchr(canon, '\t', clen));
        assert_null(strstr(canon, "\\u"));
        assert_null(strstr(canon, "\\/"));
        assert_null(strstr(canon, " \n"));
        free(canon);
        free(json);
    }
}

static void test_canonical_layout(void **state)
{
    /* Keys sorted, two spaces per level, escapes only where JSON requires
     * them ("\/" and "\u00e9" are written raw), integers in plain decimal. */
    const char in[] = "{\"title\":{\"fr\":\"\\\"A\\\\b\\/c\\u00e9\"},\"polls\":{\"opens\":\"2026-01-01\","
                      "\"closes\":\"2026-06-30\"},\"languages\":[\"fr\"],\"kind\":\"petition\","
                      "\"id\":\"x\",\"format\":\"borne-campaign/1\",\"departement\":\"2A\","
                      "\"description\":{\"fr\":\"d\"},\"valid\":{\"from\":\"2026-01-01\","
                      "\"until\":\"2026-12-31\"},\"eligibility\":{\"min_age\":-0},"
                      "\"territories\":[{\"id\":\"t\",\"name\":{\"fr\":\"T\"}}],"
                      "\"cantons\":[{\"id\":\"c\",\"name\":\"C\",\"territory\":\"t\"}],"
                      "\"communes\":[{\"insee\":\"2A004\",\"name\":\"Ajaccio\",\"canton\":\"c\"}],"
                      "\"petition\":{\"threshold\":2147483647,\"min_cantons\":1}}";
    const char want[] =
        "{\n"
        "  \"cantons\": [\n"
        "    {\n"
        "      \"id\": \"c\",\n"
        "      \"name\": \"C\",\n"
        "      \"territory\": \"t\"\n"
        "    }\n"
        "  ],\n"
        "  \"communes\": [\n"
        "    {\n"
        "      \"canton\": \"c\",\n"
        "      \"insee\": \"2A004\",\n"
        "      \"name\": \"Ajaccio\"\n"
        "    }\n"
        "  ],\n"
        "  \"departement\": \"2A\",\n"
        "  \"description\": {\n"
        "    \"fr\": \"d\"\n"
        "  },\n"
        "  \"eligibility\": {\n"
        "    \"min_age\": 0\n"
        "  },\n"
        "  \"format\": \"borne-campaign/1\",\n"
        "  \"id\": \"x\",\n"
        "  \"kind\": \"petition\",\n"
        "  \"languages\": [\n"
        "    \"fr\"\n"
        "  ],\n"
        "  \"petition\": {\n"
        "    \"min_cantons\": 1,\n"
        "    \"threshold\": 2147483647\n"
        "  },\n"
        "  \"polls\": {\n"
        "    \"closes\": \"2026-06-30\",\n"
        "    \"opens\": \"2026-01-01\"\n"
        "  },\n"
        "  \"territories\": [\n"
        "    {\n"
        "      \"id\": \"t\",\n"
        "      \"name\": {\n"
        "        \"fr\": \"T\"\n"
        "      }\n"
        "    }\n"
        "  ],\n"
        "  \"title\": {\n"
        "    \"fr\": \"\\\"A\\\\b/c\xc3\xa9\"\n"
        "  },\n"
        "  \"valid\": {\n"
        "    \"from\": \"2026-01-01\",\n"
        "    \"until\": \"2026-12-31\"\n"
        "  }\n"
        "}\n";
    char *canon;
    size_t clen;

    (void)state;
    canon = canonical(in, strlen(in), &clen);
    assert_int_equal(clen, strlen(want));
    assert_string_equal(canon, want);
    free(canon);
}

/* The test vector of docs/formats.md: tiny.json -> tiny.canonical.json, whose
 * SHA-256 is in tiny.sha256. */
static void test_canonical_vector(void **state)
{
    char *json, *want, *sha, *canon, hexd[65];
    size_t len, wlen, slen, clen;
    pkg_t *p;

    (void)state;
    json = vec("tiny.json", &len);
    want = vec("tiny.canonical.json", &wlen);
    sha = vec("tiny.sha256", &slen);
    canon = canonical(json, len, &clen);
    assert_int_equal(clen, wlen);
    assert_memory_equal(canon, want, wlen);
    p = parse_vec("tiny.json");
    hex_encode(p->digest, 32, hexd);
    assert_true(slen >= 64);
    assert_memory_equal(hexd, sha, 64);
    pkg_free(p);
    free(canon);
    free(sha);
    free(want);
    free(json);
}

/* --- signed files ------------------------------------------------------------------------ */

typedef struct fx_s {
    rng_t *rng;
    key_pair_t *auth, *other;
    signer_t auth_s, other_s;
    char *dir;
} fx_t;

static int setup(void **state)
{
    static const uint8_t seed[] = "test_pkg";
    fx_t *f = calloc(1, sizeof *f);

    assert_non_null(f);
    assert_int_equal(rng_open_fixed(&f->rng, seed, sizeof seed), 0);
    assert_int_equal(key_generate(f->rng, &f->auth), 0);
    assert_int_equal(key_generate(f->rng, &f->other), 0);
    key_signer(f->auth, &f->auth_s);
    key_signer(f->other, &f->other_s);
    f->dir = tu_tmpdir("pkg");
    assert_non_null(f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx_t *f = *state;

    key_free(f->auth);
    key_free(f->other);
    rng_close(f->rng);
    tu_rmtree(f->dir);
    free(f->dir);
    free(f);
    return 0;
}

static char *sign_vec(fx_t *f, const char *name, const signer_t *s, size_t *len)
{
    char why[256] = "", *json, *out = NULL;
    size_t jlen;
    int rc;

    json = vec(name, &jlen);
    rc = pkg_sign(json, jlen, s, &out, len, why, sizeof why);
    if (rc != 0)
        fail_msg("pkg_sign %s: %s: %s", name, bn_strerror(rc), why);
    (void)f;
    free(json);
    return out;
}

static int open_why(fx_t *f, const void *file, size_t len, const char *dept, const char *today,
                    char *why, size_t whylen)
{
    pkg_t *p = (pkg_t *)1;
    int rc;

    why[0] = '\0';
    rc = pkg_open(file, len, &f->auth_s.pub, dept, day(today), &p, why, whylen);
    if (rc != 0)
        assert_null(p);
    pkg_free(p);
    return rc;
}

static void test_sign_open(void **state)
{
    fx_t *f = *state;
    char why[256], *file, *json, *canon, *t, kid[65];
    size_t len, jlen, clen;
    pkg_t *p = NULL, *q = NULL;

    file = sign_vec(f, "budget.json", &f->auth_s, &len);
    json = vec("budget.json", &jlen);
    canon = canonical(json, jlen, &clen);
    /* the file is the canonical text and the trailer */
    assert_int_equal(len, clen + PKG_TRAILER_LEN);
    assert_memory_equal(file, canon, clen);
    t = file + clen;
    hex_encode(f->auth_s.pub.id, KEY_ID_LEN, kid);
    assert_memory_equal(t, "-----BEGIN BORNE SIGNATURE-----\nkey-id: ", 40);
    assert_memory_equal(t + 40, kid, 64);
    assert_memory_equal(t + 104, "\nsignature: ", 12);
    assert_memory_equal(t + 244, "\n-----END BORNE SIGNATURE-----\n", 31);

    assert_int_equal(pkg_open((uint8_t *)file, len, &f->auth_s.pub, "35", day("2026-04-15"), &p,
                              why, sizeof why), 0);
    assert_non_null(p);
    assert_int_equal(pkg_parse(json, jlen, &q, why, sizeof why), 0);
    assert_memory_equal(p->digest, q->digest, 32);
    assert_string_equal(p->projects[2].id, "tiers-lieu");
    pkg_free(p);
    pkg_free(q);
    /* validity is inclusive at both ends; NULL skips the departement */
    assert_int_equal(open_why(f, file, len, "35", "2026-03-01", why, sizeof why), 0);
    assert_int_equal(open_why(f, file, len, "35", "2026-12-31", why, sizeof why), 0);
    assert_int_equal(open_why(f, file, len, NULL, "2026-12-31", why, sizeof why), 0);

    /* refusals, each with its code and words */
    assert_int_equal(open_why(f, file, len, "35", "2027-01-01", why, sizeof why), BN_EEXPIRED);
    assert_string_equal(why, "expired on 2027-01-01 (valid until 2026-12-31)");
    assert_int_equal(open_why(f, file, len, "35", "2026-02-28", why, sizeof why), BN_ENOTYET);
    assert_string_equal(why, "valid from 2026-03-01");
    assert_int_equal(open_why(f, file, len, "22", "2026-04-15", why, sizeof why), BN_EDEPT);
    assert_string_equal(why, "package is for departement 35, not 22");
    assert_int_equal(open_why(f, json, jlen, "35", "2026-04-15", why, sizeof why), BN_EUNSIGNED);
    assert_non_null(strstr(why, "no signature trailer"));
    assert_int_equal(open_why(f, canon, clen, "35", "2026-04-15", why, sizeof why), BN_EUNSIGNED);
    assert_int_equal(open_why(f, file, len - 1, "35", "2026-04-15", why, sizeof why), BN_EUNSIGNED);
    assert_int_equal(open_why(f, file, PKG_TRAILER_LEN - 1, "35", "2026-04-15", why, sizeof why),
                     BN_EUNSIGNED);
    assert_int_equal(open_why(f, "", 0, "35", "2026-04-15", why, sizeof why), BN_EUNSIGNED);
    assert_int_equal(open_why(f, file + clen, PKG_TRAILER_LEN, "35", "2026-04-15", why, sizeof why),
                     BN_EBADSIG); /* a trailer alone signs the empty text: not this one */
    t[40] = 'A'; /* uppercase hex: one value, one spelling */
    assert_int_equal(open_why(f, file, len, "35", "2026-04-15", why, sizeof why), BN_EUNSIGNED);
    assert_non_null(strstr(why, "key-id"));
    t[40] = kid[0];
    free(file);

    /* signed by another key */
    file = sign_vec(f, "budget.json", &f->other_s, &len);
    assert_int_equal(open_why(f, file, len, "35", "2026-04-15", why, sizeof why), BN_EWRONGKEY);
    hex_encode(f->other_s.pub.id, KEY_ID_LEN, kid);
    assert_non_null(strstr(why, "signed by key "));
    assert_non_null(strstr(why, "not by the authority "));
    assert_memory_equal(strstr(why, "signed by key ") + 14, kid, 16);
    free(file);
    free(canon);
    free(json);
}

/* A text signed as it is, but not in canonical form, is refused: the
 * signature covers one byte string per campaign. */
static void test_open_not_canonical(void **state)
{
    fx_t *f = *state;
    char why[256], *json, *file, hexs[2 * KEY_SIG_LEN + 1], kid[65];
    uint8_t sig[KEY_SIG_LEN];
    size_t jlen;
    int n;

    json = vec("tiny.json", &jlen);
    assert_int_equal(key_sign_msg(&f->auth_s, json, jlen, sig), 0);
    hex_encode(sig, KEY_SIG_LEN, hexs);
    hex_encode(f->auth_s.pub.id, KEY_ID_LEN, kid);
    file = malloc(jlen + PKG_TRAILER_LEN + 1);
    memcpy(file, json, jlen);
    n = snprintf(file + jlen, PKG_TRAILER_LEN + 1,
                 "-----BEGIN BORNE SIGNATURE-----\nkey-id: %s\nsignature: %s\n"
                 "-----END BORNE SIGNATURE-----\n", kid, hexs);
    assert_int_equal(n, PKG_TRAILER_LEN);
    assert_int_equal(open_why(f, file, jlen + PKG_TRAILER_LEN, "35", "2026-02-01", why, sizeof why),
                     BN_EFORMAT);
    assert_non_null(strstr(why, "not in canonical form"));
    free(file);
    free(json);

    /* pkg_sign refuses what pkg_parse refuses */
    assert_int_equal(pkg_sign("{}", 2, &f->auth_s, &file, &jlen, why, sizeof why), BN_EFORMAT);
    assert_non_null(strstr(why, "format: missing"));
    assert_null(file);
}

/* Every bit of a small signed file, flipped alone, makes pkg_open fail. */
static void test_tamper_every_bit(void **state)
{
    fx_t *f = *state;
    char why[256], *file;
    size_t len, jlen, byte;
    int bit, rc, badsig = 0, other = 0;
    pkg_t *p = NULL;
    uint32_t today = day("2026-02-01");

    file = sign_vec(f, "tiny.json", &f->auth_s, &len);
    assert_true(len < 1200);
    jlen = len - PKG_TRAILER_LEN;
    assert_int_equal(pkg_open((uint8_t *)file, len, &f->auth_s.pub, "35", today, &p, why,
                              sizeof why), 0);
    pkg_free(p);
    for (byte = 0; byte < len; byte++) {
        for (bit = 0; bit < 8; bit++) {
            file[byte] ^= (char)(1 << bit);
            p = NULL;
            rc = pkg_open((uint8_t *)file, len, &f->auth_s.pub, "35", today, &p, NULL, 0);
            if (rc == 0 || p != NULL)
                fail_msg("byte %zu bit %d flipped: pkg_open accepted the file", byte, bit);
            if (byte < jlen && rc != BN_EBADSIG)
                fail_msg("byte %zu bit %d flipped in the text: %s, not BN_EBADSIG", byte, bit,
                         bn_strerror(rc));
            if (rc == BN_EBADSIG)
                badsig++;
            else
                other++;
            file[byte] ^= (char)(1 << bit);
        }
    }
    assert_int_equal(badsig + other, (int)len * 8);
    assert_true(other > 0);
    free(file);
}

static void test_read_file(void **state)
{
    fx_t *f = *state;
    char why[512], *file, *path, *big, *missing;
    uint8_t *got = NULL;
    size_t len, glen = 0;
    FILE *fp;
    pkg_t *p = NULL;

    file = sign_vec(f, "petition.json", &f->auth_s, &len);
    path = tu_path(f->dir, "petition.bpkg");
    assert_int_equal(tu_write(path, file, len), 0);
    assert_int_equal(pkg_read_file(path, &got, &glen, why, sizeof why), 0);
    assert_int_equal(glen, len);
    assert_memory_equal(got, file, len);
    assert_int_equal(got[glen], 0);
    assert_int_equal(pkg_open(got, glen, &f->auth_s.pub, "35", day("2026-01-15"), &p, why,
                              sizeof why), 0);
    assert_int_equal(p->kind, PKG_PETITION);
    pkg_free(p);
    free(got);

    missing = tu_path(f->dir, "missing.bpkg");
    assert_int_equal(pkg_read_file(missing, &got, &glen, why, sizeof why), BN_EIO);
    assert_non_null(strstr(why, "missing.bpkg"));
    assert_null(got);
    assert_int_equal(pkg_read_file(f->dir, &got, &glen, why, sizeof why), BN_EIO);

    big = tu_path(f->dir, "big.bpkg");
    fp = fopen(big, "wb");
    assert_non_null(fp);
    assert_int_equal(ftruncate(fileno(fp), (off_t)PKG_MAX_BYTES + 1), 0);
    fclose(fp);
    assert_int_equal(pkg_read_file(big, &got, &glen, why, sizeof why), BN_ETOOBIG);
    assert_non_null(strstr(why, "big.bpkg"));
    free(big);
    free(missing);
    free(path);
    free(file);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_budget),
        cmocka_unit_test(test_petition),
        cmocka_unit_test(test_error_cases),
        cmocka_unit_test(test_why_buffer),
        cmocka_unit_test(test_canton_across_territories),
        cmocka_unit_test(test_canonical_same_bytes),
        cmocka_unit_test(test_canonical_layout),
        cmocka_unit_test(test_canonical_vector),
        cmocka_unit_test_setup_teardown(test_sign_open, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_not_canonical, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tamper_every_bit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_file, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
