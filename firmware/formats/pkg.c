/* pkg.c - campaign packages: the typed checks and the lookups.
 *
 * The JSON text itself (UTF-8, syntax, duplicate keys, integers) is checked
 * by pkg_canon.c; this file checks what the fields mean, field by field, in
 * the order of docs/formats.md, and names the field and the value of the
 * first thing that is wrong. A package either passes every check or is not
 * built at all: there are no defaults and no repairs. Signing and opening
 * signed package files: pkg_file.c. */
#include "pkg.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bn_err.h"
#include "day.h"
#include "hex.h"
#include "pkg_int.h"

#define FORMAT_NAME "borne-campaign/1"
#define TERRITORIES_MAX 64
#define CANTONS_MAX 200
#define COMMUNES_MAX 2000
#define PROJECTS_MAX 1000
#define CHOICES_MAX 64      /* BALLOT_MAX_CHOICES (ballot.h): projects on one ballot */
#define INT_FIELD_MAX 2147483647LL /* fields held in an int */
#define IMAGE_PATH_MAX 200

/* --- the checking context --------------------------------------------------------- */

/* The package being built and the path of the field being checked. Each
 * check pushes its key or index and pops it when the field is good; on the
 * first error the message is written and every caller returns at once, so
 * the path is left as it was at the error. */
typedef struct ck_s {
    pkg_t *p;
    pkg__path_t path;
    char *why;
    size_t whylen;
} ck_t;

static int bad(ck_t *c, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Fails with "PATH: message" for the field being checked. */
static int bad(ck_t *c, int code, const char *fmt, ...)
{
    char msg[200];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return bn_fail(c->why, c->whylen, code, "%s: %s", c->path.n > 0 ? c->path.s : "(top level)",
                   msg);
}

static int in_list(const char *key, const char *const *list)
{
    for (; list != NULL && *list != NULL; list++)
        if (strcmp(key, *list) == 0)
            return 1;
    return 0;
}

/* Every key of req must be in the object v (at the current path). */
static int want_keys(ck_t *c, const cJSON *v, const char *const *req)
{
    int rc;

    for (; *req != NULL; req++) {
        if (cJSON_GetObjectItemCaseSensitive(v, *req) == NULL) {
            size_t mark = pkg__path_key(&c->path, *req);
            rc = bad(c, BN_EFORMAT, "missing");
            pkg__path_pop(&c->path, mark);
            return rc;
        }
    }
    return 0;
}

/* v (at the current path) must be an object whose keys are all in req or
 * opt, with every key of req present. */
static int want_object(ck_t *c, const cJSON *v, const char *const *req, const char *const *opt)
{
    char shown[PKG__SHOW_BUF];
    const cJSON *m;
    int rc = 0;

    if (!cJSON_IsObject(v))
        return bad(c, BN_EFORMAT, "%s is not an object", pkg__show(v, shown));
    cJSON_ArrayForEach(m, v) {
        if (!in_list(m->string, req) && !in_list(m->string, opt)) {
            size_t mark = pkg__path_key(&c->path, m->string);
            rc = bad(c, BN_EFORMAT, "unknown key");
            pkg__path_pop(&c->path, mark);
            return rc;
        }
    }
    return want_keys(c, v, req);
}

/* --- typed fields: each pushes its key, checks, pops --------------------------- */

static int str_at(ck_t *c, const cJSON *v, const char **out)
{
    char shown[PKG__SHOW_BUF];

    if (v == NULL)
        return bad(c, BN_EFORMAT, "missing");
    if (!cJSON_IsString(v))
        return bad(c, BN_EFORMAT, "%s is not a string", pkg__show(v, shown));
    if (v->valuestring[0] == '\0')
        return bad(c, BN_EFORMAT, "empty string");
    *out = v->valuestring;
    return 0;
}

static int get_str(ck_t *c, const cJSON *obj, const char *key, const char **out)
{
    size_t mark = pkg__path_key(&c->path, key);
    int rc = str_at(c, cJSON_GetObjectItemCaseSensitive(obj, key), out);
    if (rc == 0)
        pkg__path_pop(&c->path, mark);
    return rc;
}

static int int_at(ck_t *c, const cJSON *v, int64_t min, int64_t max, int64_t *out)
{
    char shown[PKG__SHOW_BUF];
    int64_t x;

    if (v == NULL)
        return bad(c, BN_EFORMAT, "missing");
    if (!cJSON_IsNumber(v))
        return bad(c, BN_EFORMAT, "%s is not an integer", pkg__show(v, shown));
    x = (int64_t)v->valuedouble; /* pkg__load: an integer of at most 2^53 */
    if (x < min && x < 0 && min >= 0)
        return bad(c, BN_ERANGE, "%lld is negative", (long long)x);
    if (x < min)
        return bad(c, BN_ERANGE, "%lld is less than %lld", (long long)x, (long long)min);
    if (x > max)
        return bad(c, BN_ERANGE, "%lld is more than %lld", (long long)x, (long long)max);
    *out = x;
    return 0;
}

static int get_int(ck_t *c, const cJSON *obj, const char *key, int64_t min, int64_t max,
                   int64_t *out)
{
    size_t mark = pkg__path_key(&c->path, key);
    int rc = int_at(c, cJSON_GetObjectItemCaseSensitive(obj, key), min, max, out);
    if (rc == 0)
        pkg__path_pop(&c->path, mark);
    return rc;
}

static int get_int32(ck_t *c, const cJSON *obj, const char *key, int64_t min, int64_t max,
                     int *out)
{
    int64_t v = 0;
    int rc = get_int(c, obj, key, min, max, &v);

    *out = (int)v;
    return rc;
}

static int get_bool(ck_t *c, const cJSON *obj, const char *key, int *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    char shown[PKG__SHOW_BUF];
    size_t mark = pkg__path_key(&c->path, key);

    if (!cJSON_IsBool(v))
        return bad(c, BN_EFORMAT, "%s is not true or false", pkg__show(v, shown));
    *out = cJSON_IsTrue(v);
    pkg__path_pop(&c->path, mark);
    return 0;
}

/* [a-z0-9][a-z0-9-]*, 1..PKG_ID_MAX bytes */
static int is_id(const char *s)
{
    size_t i;

    for (i = 0; s[i] != '\0'; i++) {
        if (i >= PKG_ID_MAX)
            return 0;
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
              (s[i] == '-' && i > 0)))
            return 0;
    }
    return i > 0;
}

static int get_id(ck_t *c, const cJSON *obj, const char *key, char out[PKG_ID_MAX + 1])
{
    const char *s = NULL;
    char shown[PKG__SHOW_BUF];
    int rc;
    size_t mark = pkg__path_key(&c->path, key);

    if ((rc = str_at(c, cJSON_GetObjectItemCaseSensitive(obj, key), &s)) != 0)
        return rc;
    if (!is_id(s))
        return bad(c, BN_EFORMAT, "%s is not an id ([a-z0-9][a-z0-9-]*, at most %d bytes)",
                   pkg__show_str(s, shown), PKG_ID_MAX);
    strcpy(out, s);
    pkg__path_pop(&c->path, mark);
    return 0;
}

static int get_date(ck_t *c, const cJSON *obj, const char *key, uint32_t *out)
{
    const char *s = NULL;
    char shown[PKG__SHOW_BUF];
    int rc;
    size_t mark = pkg__path_key(&c->path, key);

    if ((rc = str_at(c, cJSON_GetObjectItemCaseSensitive(obj, key), &s)) != 0)
        return rc;
    rc = day_parse(s, out);
    if (rc == BN_EFORMAT)
        return bad(c, BN_EFORMAT, "%s is not a date (YYYY-MM-DD)", pkg__show_str(s, shown));
    if (rc != 0)
        return bad(c, BN_ERANGE, "%s is not a valid date (1970-01-01 to 9999-12-31)",
                   pkg__show_str(s, shown));
    pkg__path_pop(&c->path, mark);
    return 0;
}

/* An array of min..max elements. */
static int get_array(ck_t *c, const cJSON *obj, const char *key, int min, int max,
                     const cJSON **out, int *n)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    char shown[PKG__SHOW_BUF];
    int k;
    size_t mark = pkg__path_key(&c->path, key);

    if (!cJSON_IsArray(v))
        return bad(c, BN_EFORMAT, "%s is not an array", pkg__show(v, shown));
    k = cJSON_GetArraySize(v);
    if (k < min || k > max)
        return bad(c, BN_ERANGE, "%d entries, expected %d to %d", k, min, max);
    *out = v;
    *n = k;
    pkg__path_pop(&c->path, mark);
    return 0;
}

/* A text object: exactly the package's languages as keys, non-empty strings. */
static int get_text(ck_t *c, const cJSON *obj, const char *key, pkg_text_t *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key), *m;
    const char *s = NULL;
    pkg_t *p = c->p;
    char shown[PKG__SHOW_BUF];
    int i, rc;
    size_t mark = pkg__path_key(&c->path, key);

    if (!cJSON_IsObject(v))
        return bad(c, BN_EFORMAT, "%s is not a text object ({\"%s\": \"...\", ...})",
                   pkg__show(v, shown), p->langs[0]);
    cJSON_ArrayForEach(m, v) {
        for (i = 0; i < p->n_langs && strcmp(m->string, p->langs[i]) != 0; i++)
            ;
        if (i == p->n_langs) {
            pkg__path_key(&c->path, m->string);
            return bad(c, BN_EFORMAT, "unknown key (not a language of the package)");
        }
    }
    for (i = 0; i < p->n_langs; i++) {
        size_t item = pkg__path_key(&c->path, p->langs[i]);
        if ((rc = str_at(c, cJSON_GetObjectItemCaseSensitive(v, p->langs[i]), &s)) != 0)
            return rc;
        out->s[i] = strdup(s);
        if (out->s[i] == NULL)
            return bn_fail(c->why, c->whylen, BN_ENOMEM, "out of memory");
        pkg__path_pop(&c->path, item);
    }
    pkg__path_pop(&c->path, mark);
    return 0;
}

static void text_free(pkg_text_t *t)
{
    int i;

    for (i = 0; i < PKG_LANG_MAX; i++) {
        free(t->s[i]);
        t->s[i] = NULL;
    }
}

/* --- the sections of a campaign --------------------------------------------------- */

static const char *const common_keys[] = {
    "format", "id", "kind", "departement", "languages", "title", "description", "valid",
    "polls", "eligibility", "territories", "cantons", "communes", NULL};
static const char *const budget_keys[] = {"rule", "counting", "projects", NULL};
static const char *const petition_keys[] = {"petition", NULL};
static const char *const ideas_keys[] = {"ideas", NULL};
static const char *const questionnaire_keys[] = {"questionnaire", NULL};

const char *pkg_kind_name(pkg_kind_t kind)
{
    return kind == PKG_BUDGET ? "budget" : kind == PKG_PETITION ? "petition"
           : kind == PKG_IDEAS  ? "ideas"
           : kind == PKG_QUESTIONNAIRE ? "questionnaire"
                                : "?";
}

/* The keys of a kind's own section(s). */
static const char *const *kind_keys(pkg_kind_t kind)
{
    return kind == PKG_BUDGET     ? budget_keys
           : kind == PKG_PETITION ? petition_keys
           : kind == PKG_IDEAS    ? ideas_keys
                                  : questionnaire_keys;
}

static int check_top_keys(ck_t *c, const cJSON *root)
{
    const char *const *own = kind_keys(c->p->kind);
    const cJSON *m;
    int rc;

    cJSON_ArrayForEach(m, root) {
        if (in_list(m->string, common_keys) || in_list(m->string, own))
            continue;
        size_t mark = pkg__path_key(&c->path, m->string);
        if (in_list(m->string, budget_keys) || in_list(m->string, petition_keys) ||
            in_list(m->string, ideas_keys) || in_list(m->string, questionnaire_keys))
            rc = bad(c, BN_EFORMAT, "not allowed in a %s",
                     c->p->kind == PKG_BUDGET     ? "budget vote"
                     : c->p->kind == PKG_PETITION ? "petition"
                     : c->p->kind == PKG_IDEAS    ? "call for ideas"
                                                  : "questionnaire");
        else
            rc = bad(c, BN_EFORMAT, "unknown key");
        pkg__path_pop(&c->path, mark);
        return rc;
    }
    return 0;
}

static int check_head(ck_t *c, const cJSON *root)
{
    pkg_t *p = c->p;
    const cJSON *v;
    const char *s = NULL;
    char shown[PKG__SHOW_BUF];
    int rc;

    /* The format first: a text of another format fails here, not on a key. */
    v = cJSON_GetObjectItemCaseSensitive(root, "format");
    {
        size_t mark = pkg__path_key(&c->path, "format");
        if (v == NULL)
            return bad(c, BN_EFORMAT, "missing (a campaign starts with \"format\": \"%s\")",
                       FORMAT_NAME);
        if (!cJSON_IsString(v) || strcmp(v->valuestring, FORMAT_NAME) != 0)
            return bad(c, BN_EFORMAT, "%s is not \"%s\"", pkg__show(v, shown), FORMAT_NAME);
        pkg__path_pop(&c->path, mark);
    }
    if ((rc = get_str(c, root, "kind", &s)) != 0)
        return rc;
    if (strcmp(s, "budget") == 0) {
        p->kind = PKG_BUDGET;
    } else if (strcmp(s, "petition") == 0) {
        p->kind = PKG_PETITION;
    } else if (strcmp(s, "ideas") == 0) {
        p->kind = PKG_IDEAS;
    } else if (strcmp(s, "questionnaire") == 0) {
        p->kind = PKG_QUESTIONNAIRE;
    } else {
        pkg__path_key(&c->path, "kind");
        return bad(c, BN_EFORMAT, "%s is not \"budget\", \"petition\", \"ideas\" or "
                   "\"questionnaire\"", pkg__show_str(s, shown));
    }
    if ((rc = check_top_keys(c, root)) != 0)
        return rc;
    if ((rc = want_keys(c, root, common_keys)) != 0 ||
        (rc = want_keys(c, root, kind_keys(p->kind))) != 0)
        return rc;
    if ((rc = get_id(c, root, "id", p->id)) != 0)
        return rc;
    if ((rc = get_str(c, root, "departement", &s)) != 0)
        return rc;
    if (!((strlen(s) <= 3 && strspn(s, "0123456789") == strlen(s)) || strcmp(s, "2A") == 0 ||
          strcmp(s, "2B") == 0)) {
        pkg__path_key(&c->path, "departement");
        return bad(c, BN_EFORMAT, "%s is not a departement code (1 to 3 digits, 2A or 2B)",
                   pkg__show_str(s, shown));
    }
    strcpy(p->departement, s);
    return 0;
}

static int check_languages(ck_t *c, const cJSON *root)
{
    pkg_t *p = c->p;
    const cJSON *arr, *v;
    const char *s = NULL;
    char shown[PKG__SHOW_BUF];
    int n, i = 0, j, rc;

    if ((rc = get_array(c, root, "languages", 1, PKG_LANG_MAX, &arr, &n)) != 0)
        return rc;
    size_t mark = pkg__path_key(&c->path, "languages");
    cJSON_ArrayForEach(v, arr) {
        size_t item = pkg__path_index(&c->path, i);
        if ((rc = str_at(c, v, &s)) != 0)
            return rc;
        if (strlen(s) != 2 || s[0] < 'a' || s[0] > 'z' || s[1] < 'a' || s[1] > 'z')
            return bad(c, BN_EFORMAT, "%s is not a two-letter lowercase language code",
                       pkg__show_str(s, shown));
        for (j = 0; j < i; j++)
            if (strcmp(p->langs[j], s) == 0)
                return bad(c, BN_EFORMAT, "%s is listed twice", pkg__show_str(s, shown));
        strcpy(p->langs[i++], s);
        pkg__path_pop(&c->path, item);
    }
    p->n_langs = n;
    pkg__path_pop(&c->path, mark);
    return 0;
}

static int check_dates(ck_t *c, const cJSON *root)
{
    static const char *const valid_keys[] = {"from", "until", NULL};
    static const char *const polls_keys[] = {"opens", "closes", NULL};
    static const char *const polls_opt[] = {"offline", "eligibility", NULL};
    pkg_t *p = c->p;
    const cJSON *v;
    char a[DAY_TEXT_LEN + 1], b[DAY_TEXT_LEN + 1];
    int rc;

    v = cJSON_GetObjectItemCaseSensitive(root, "valid");
    {
        size_t mark = pkg__path_key(&c->path, "valid");
        if ((rc = want_object(c, v, valid_keys, NULL)) != 0 ||
            (rc = get_date(c, v, "from", &p->valid_from)) != 0 ||
            (rc = get_date(c, v, "until", &p->valid_until)) != 0)
            return rc;
        pkg__path_pop(&c->path, mark);
    }
    v = cJSON_GetObjectItemCaseSensitive(root, "polls");
    {
        size_t mark = pkg__path_key(&c->path, "polls");
        const cJSON *off;

        if ((rc = want_object(c, v, polls_keys, polls_opt)) != 0 ||
            (rc = get_date(c, v, "opens", &p->opens)) != 0 ||
            (rc = get_date(c, v, "closes", &p->closes)) != 0)
            return rc;
        off = cJSON_GetObjectItemCaseSensitive(v, "offline");
        if (off != NULL) {
            const char *s = NULL;
            size_t m2 = pkg__path_key(&c->path, "offline");

            if ((rc = str_at(c, off, &s)) != 0)
                return rc;
            if (strcmp(s, "allow") != 0 && strcmp(s, "refuse") != 0) {
                char shown[PKG__SHOW_BUF];

                return bad(c, BN_EFORMAT, "%s is neither \"allow\" nor \"refuse\"",
                           pkg__show(off, shown));
            }
            p->online_only = strcmp(s, "refuse") == 0;
            pkg__path_pop(&c->path, m2);
        }
        off = cJSON_GetObjectItemCaseSensitive(v, "eligibility");
        if (off != NULL) {
            const char *s = NULL;
            size_t m2 = pkg__path_key(&c->path, "eligibility");

            if ((rc = str_at(c, off, &s)) != 0)
                return rc;
            if (strcmp(s, "declared") != 0 && strcmp(s, "supervised") != 0) {
                char shown[PKG__SHOW_BUF];

                return bad(c, BN_EFORMAT, "%s is neither \"declared\" nor \"supervised\"",
                           pkg__show(off, shown));
            }
            p->supervised = strcmp(s, "supervised") == 0;
            if (p->supervised && p->kind != PKG_BUDGET)
                return bad(c, BN_EFORMAT, "\"supervised\" is for a budget vote: a %s is "
                           "signed with the person's own identity",
                           p->kind == PKG_PETITION ? "petition" : "proposed idea");
            pkg__path_pop(&c->path, m2);
        }
        pkg__path_pop(&c->path, mark);
    }
    /* valid.from <= polls.opens <= polls.closes <= valid.until */
    if (p->opens < p->valid_from) {
        day_format(p->opens, a);
        day_format(p->valid_from, b);
        return bn_fail(c->why, c->whylen, BN_ERANGE, "polls.opens %s is before valid.from %s", a, b);
    }
    if (p->closes < p->opens) {
        day_format(p->closes, a);
        day_format(p->opens, b);
        return bn_fail(c->why, c->whylen, BN_ERANGE, "polls.closes %s is before polls.opens %s", a, b);
    }
    if (p->valid_until < p->closes) {
        day_format(p->valid_until, a);
        day_format(p->closes, b);
        return bn_fail(c->why, c->whylen, BN_ERANGE, "valid.until %s is before polls.closes %s", a,
                       b);
    }
    return 0;
}

static int check_eligibility(ck_t *c, const cJSON *root)
{
    static const char *const keys[] = {"min_age", NULL};
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, "eligibility");
    int rc;
    size_t mark = pkg__path_key(&c->path, "eligibility");

    if ((rc = want_object(c, v, keys, NULL)) != 0 ||
        (rc = get_int32(c, v, "min_age", 0, 120, &c->p->min_age)) != 0)
        return rc;
    pkg__path_pop(&c->path, mark);
    return 0;
}

static int check_territories(ck_t *c, const cJSON *root)
{
    static const char *const req[] = {"id", "name", NULL};
    static const char *const opt[] = {"envelope", NULL};
    pkg_t *p = c->p;
    const cJSON *arr, *v;
    pkg_territory_t *t;
    char shown[PKG__SHOW_BUF];
    int n, i = 0, j, rc;

    if ((rc = get_array(c, root, "territories", 1, TERRITORIES_MAX, &arr, &n)) != 0)
        return rc;
    p->territories = calloc((size_t)n, sizeof *p->territories);
    if (p->territories == NULL)
        return bn_fail(c->why, c->whylen, BN_ENOMEM, "out of memory");
    p->n_territories = n;
    size_t mark = pkg__path_key(&c->path, "territories");
    cJSON_ArrayForEach(v, arr) {
        size_t item = pkg__path_index(&c->path, i);
        t = &p->territories[i];
        if ((rc = want_object(c, v, req, opt)) != 0 || (rc = get_id(c, v, "id", t->id)) != 0)
            return rc;
        for (j = 0; j < i; j++) {
            if (strcmp(p->territories[j].id, t->id) == 0) {
                pkg__path_key(&c->path, "id");
                return bad(c, BN_EFORMAT, "duplicate id %s", pkg__show_str(t->id, shown));
            }
        }
        if ((rc = get_text(c, v, "name", &t->name)) != 0)
            return rc;
        if (p->kind == PKG_BUDGET) {
            if (cJSON_GetObjectItemCaseSensitive(v, "envelope") == NULL)
                return bad(c, BN_EFORMAT, "territory '%s' has no envelope", t->id);
            if ((rc = get_int(c, v, "envelope", 1, PKG__SAFE_INT, &t->envelope)) != 0)
                return rc;
        } else if (cJSON_GetObjectItemCaseSensitive(v, "envelope") != NULL) {
            pkg__path_key(&c->path, "envelope");
            return bad(c, BN_EFORMAT, "not allowed in a %s",
                       p->kind == PKG_PETITION ? "petition" : "call for ideas");
        }
        pkg__path_pop(&c->path, item);
        i++;
    }
    pkg__path_pop(&c->path, mark);
    return 0;
}

static int check_cantons(ck_t *c, const cJSON *root)
{
    static const char *const req[] = {"id", "name", NULL};
    static const char *const opt[] = {"territory", NULL};
    pkg_t *p = c->p;
    const cJSON *arr, *v;
    pkg_canton_t *k;
    const char *s = NULL;
    char ref[PKG_ID_MAX + 1], shown[PKG__SHOW_BUF];
    int n, i = 0, j, rc;

    if ((rc = get_array(c, root, "cantons", 1, CANTONS_MAX, &arr, &n)) != 0)
        return rc;
    p->cantons = calloc((size_t)n, sizeof *p->cantons);
    if (p->cantons == NULL)
        return bn_fail(c->why, c->whylen, BN_ENOMEM, "out of memory");
    p->n_cantons = n;
    size_t mark = pkg__path_key(&c->path, "cantons");
    cJSON_ArrayForEach(v, arr) {
        size_t item = pkg__path_index(&c->path, i);
        k = &p->cantons[i];
        if ((rc = want_object(c, v, req, opt)) != 0 || (rc = get_id(c, v, "id", k->id)) != 0)
            return rc;
        for (j = 0; j < i; j++) {
            if (strcmp(p->cantons[j].id, k->id) == 0) {
                pkg__path_key(&c->path, "id");
                return bad(c, BN_EFORMAT, "duplicate id %s", pkg__show_str(k->id, shown));
            }
        }
        if ((rc = get_str(c, v, "name", &s)) != 0)
            return rc;
        if ((k->name = strdup(s)) == NULL)
            return bn_fail(c->why, c->whylen, BN_ENOMEM, "out of memory");
        k->territory = -1; /* a canton may lie across territories: its communes say */
        if (cJSON_GetObjectItemCaseSensitive(v, "territory") != NULL) {
            if ((rc = get_id(c, v, "territory", ref)) != 0)
                return rc;
            k->territory = pkg_find_territory(p, ref);
            if (k->territory < 0) {
                pkg__path_key(&c->path, "territory");
                return bad(c, BN_EFORMAT, "unknown territory %s", pkg__show_str(ref, shown));
            }
        }
        pkg__path_pop(&c->path, item);
        i++;
    }
    pkg__path_pop(&c->path, mark);
    return 0;
}

static int is_insee(const char *s)
{
    return strlen(s) == 5 && strspn(s, "0123456789AB") == 5;
}

static int cmp_commune(const void *a, const void *b)
{
    return strcmp(((const pkg_commune_t *)a)->insee, ((const pkg_commune_t *)b)->insee);
}

static int check_communes(ck_t *c, const cJSON *root)
{
    static const char *const req[] = {"insee", "name", "canton", NULL};
    static const char *const opt[] = {"territory", NULL};
    pkg_t *p = c->p;
    const cJSON *arr, *v;
    pkg_commune_t *m;
    const char *s = NULL;
    char ref[PKG_ID_MAX + 1], shown[PKG__SHOW_BUF];
    int n, i = 0, j, rc;

    if ((rc = get_array(c, root, "communes", 1, COMMUNES_MAX, &arr, &n)) != 0)
        return rc;
    p->communes = calloc((size_t)n, sizeof *p->communes);
    if (p->communes == NULL)
        return bn_fail(c->why, c->whylen, BN_ENOMEM, "out of memory");
    p->n_communes = n;
    size_t mark = pkg__path_key(&c->path, "communes");
    cJSON_ArrayForEach(v, arr) {
        size_t item = pkg__path_index(&c->path, i);
        m = &p->communes[i];
        if ((rc = want_object(c, v, req, opt)) != 0 || (rc = get_str(c, v, "insee", &s)) != 0)
            return rc;
        size_t mark2 = pkg__path_key(&c->path, "insee");
        if (!is_insee(s))
            return bad(c, BN_EFORMAT, "%s is not an INSEE code (5 characters of 0-9, A, B)",
                       pkg__show_str(s, shown));
        for (j = 0; j < i; j++)
            if (strcmp(p->communes[j].insee, s) == 0)
                return bad(c, BN_EFORMAT, "duplicate INSEE code %s", pkg__show_str(s, shown));
        strcpy(m->insee, s);
        pkg__path_pop(&c->path, mark2);
        if ((rc = get_str(c, v, "name", &s)) != 0)
            return rc;
        if ((m->name = strdup(s)) == NULL)
            return bn_fail(c->why, c->whylen, BN_ENOMEM, "out of memory");
        if ((rc = get_id(c, v, "canton", ref)) != 0)
            return rc;
        for (m->canton = 0; m->canton < p->n_cantons; m->canton++)
            if (strcmp(p->cantons[m->canton].id, ref) == 0)
                break;
        if (m->canton == p->n_cantons) {
            pkg__path_key(&c->path, "canton");
            return bad(c, BN_EFORMAT, "unknown canton %s", pkg__show_str(ref, shown));
        }
        /* its own territory, else its canton's (one of the two, and one only) */
        m->territory = p->cantons[m->canton].territory;
        if (cJSON_GetObjectItemCaseSensitive(v, "territory") != NULL) {
            if ((rc = get_id(c, v, "territory", ref)) != 0)
                return rc;
            pkg__path_key(&c->path, "territory");
            if (m->territory >= 0)
                return bad(c, BN_EFORMAT, "the commune's canton %s already names its territory",
                           p->cantons[m->canton].id);
            m->territory = pkg_find_territory(p, ref);
            if (m->territory < 0)
                return bad(c, BN_EFORMAT, "unknown territory %s", pkg__show_str(ref, shown));
        } else if (m->territory < 0) {
            return bad(c, BN_EFORMAT, "commune %s is in no territory: neither it nor its canton "
                       "%s names one", m->insee, p->cantons[m->canton].id);
        }
        pkg__path_pop(&c->path, item);
        i++;
    }
    pkg__path_pop(&c->path, mark);
    /* (pkg_find_commune searches by halves) */
    qsort(p->communes, (size_t)n, sizeof *p->communes, cmp_commune);
    return 0;
}

/* rule.ballot and its points: approval (absent), cumulative (points,
 * per_project), ordinal. Counted by greedy only, without a knapsack. */
static int check_ballot_kind(ck_t *c, const cJSON *v)
{
    pkg_t *p = c->p;
    const char *s = NULL;
    char shown[PKG__SHOW_BUF];
    int rc, has_points = cJSON_GetObjectItemCaseSensitive(v, "points") != NULL ||
                         cJSON_GetObjectItemCaseSensitive(v, "per_project") != NULL;

    p->rule.ballot = PKG_BALLOT_APPROVAL;
    if (cJSON_GetObjectItemCaseSensitive(v, "ballot") != NULL) {
        if ((rc = get_str(c, v, "ballot", &s)) != 0)
            return rc;
        if (strcmp(s, "cumulative") == 0) {
            p->rule.ballot = PKG_BALLOT_CUMULATIVE;
        } else if (strcmp(s, "ordinal") == 0) {
            p->rule.ballot = PKG_BALLOT_ORDINAL;
        } else if (strcmp(s, "approval") != 0) {
            pkg__path_key(&c->path, "ballot");
            return bad(c, BN_EFORMAT, "%s is not \"approval\", \"cumulative\" or \"ordinal\"",
                       pkg__show_str(s, shown));
        }
    }
    if (p->rule.ballot != PKG_BALLOT_CUMULATIVE) {
        if (has_points)
            return bad(c, BN_EFORMAT, "points and per_project belong to a cumulative ballot");
        return 0;
    }
    if ((rc = get_int32(c, v, "points", 1, 1000, &p->rule.points)) != 0 ||
        (rc = get_int32(c, v, "per_project", 1, 1000, &p->rule.per_project)) != 0)
        return rc;
    if (p->rule.max > 56) /* BALLOT_MAX_CUMULATIVE (ballot.h) */
        return bad(c, BN_ERANGE, "max %d is more than 56, the most projects a cumulative "
                   "ballot can carry", p->rule.max);
    if (p->rule.per_project > p->rule.points)
        return bad(c, BN_ERANGE, "per_project %d is more than points %d", p->rule.per_project,
                   p->rule.points);
    return 0;
}

static int check_rule(ck_t *c, const cJSON *root)
{
    static const char *const keys[] = {"min", "max", "knapsack", "min_spend_percent", NULL};
    static const char *const opt[] = {"ballot", "points", "per_project", NULL};
    pkg_t *p = c->p;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, "rule");
    const char *s = NULL;
    char shown[PKG__SHOW_BUF];
    int rc;

    {
        size_t mark = pkg__path_key(&c->path, "rule");
        if ((rc = want_object(c, v, keys, opt)) != 0 ||
            (rc = get_int32(c, v, "min", 0, INT_FIELD_MAX, &p->rule.min)) != 0 ||
            (rc = get_int32(c, v, "max", 1, INT_FIELD_MAX, &p->rule.max)) != 0 ||
            (rc = get_bool(c, v, "knapsack", &p->rule.knapsack)) != 0 ||
            (rc = get_int32(c, v, "min_spend_percent", 0, 100, &p->rule.min_spend_percent)) != 0 ||
            (rc = check_ballot_kind(c, v)) != 0)
            return rc;
        if (p->rule.ballot != PKG_BALLOT_APPROVAL &&
            (p->rule.knapsack || p->rule.min_spend_percent != 0))
            return bad(c, BN_EFORMAT, "%s ballot has no knapsack and no min_spend_percent: "
                       "the points, not the costs, are what a voter shares",
                       p->rule.ballot == PKG_BALLOT_CUMULATIVE ? "a cumulative" : "an ordinal");
        pkg__path_pop(&c->path, mark);
    }
    if (p->rule.max < p->rule.min)
        return bn_fail(c->why, c->whylen, BN_ERANGE, "rule.max %d < rule.min %d", p->rule.max,
                       p->rule.min);
    if (p->rule.max > CHOICES_MAX)
        return bn_fail(c->why, c->whylen, BN_ERANGE,
                       "rule.max %d is more than %d, the most projects a ballot can carry",
                       p->rule.max, CHOICES_MAX);
    if ((rc = get_str(c, root, "counting", &s)) != 0)
        return rc;
    if (strcmp(s, "greedy") == 0) {
        p->counting = PKG_COUNT_GREEDY;
    } else if (strcmp(s, "equalshares") == 0) {
        p->counting = PKG_COUNT_MES;
    } else if (strcmp(s, "equalshares/add1") == 0) {
        p->counting = PKG_COUNT_MES_ADD1;
    } else {
        pkg__path_key(&c->path, "counting");
        return bad(c, BN_EFORMAT, "%s is not \"greedy\", \"equalshares\" or \"equalshares/add1\"",
                   pkg__show_str(s, shown));
    }
    if (p->rule.ballot != PKG_BALLOT_APPROVAL && p->counting != PKG_COUNT_GREEDY) {
        pkg__path_key(&c->path, "counting");
        return bad(c, BN_EFORMAT, "%s: the Method of Equal Shares counts approval ballots only; "
                   "%s ballot is counted by \"greedy\"", pkg__show_str(s, shown),
                   p->rule.ballot == PKG_BALLOT_CUMULATIVE ? "a cumulative" : "an ordinal");
    }
    return 0;
}

/* A relative path inside the package: not empty, no leading '/', no ".."
 * component, no backslash. */
static int is_rel_path(const char *s)
{
    const char *seg = s;

    if (s[0] == '/' || strlen(s) > IMAGE_PATH_MAX || strchr(s, '\\') != NULL)
        return 0;
    for (;;) {
        size_t len = strcspn(seg, "/");
        if (len == 0 || (len == 2 && seg[0] == '.' && seg[1] == '.'))
            return 0;
        if (seg[len] == '\0')
            return 1;
        seg += len + 1;
    }
}

static int check_image(ck_t *c, const cJSON *proj, pkg_project_t *pr)
{
    static const char *const keys[] = {"file", "sha256", NULL};
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(proj, "image");
    const char *s = NULL;
    char shown[PKG__SHOW_BUF];
    int rc;
    size_t mark = pkg__path_key(&c->path, "image");

    if ((rc = want_object(c, v, keys, NULL)) != 0 || (rc = get_str(c, v, "file", &s)) != 0)
        return rc;
    if (!is_rel_path(s)) {
        pkg__path_key(&c->path, "file");
        return bad(c, BN_EFORMAT, "%s is not a relative path inside the package (no \"..\", no "
                   "leading \"/\")", pkg__show_str(s, shown));
    }
    if ((pr->image = strdup(s)) == NULL)
        return bn_fail(c->why, c->whylen, BN_ENOMEM, "out of memory");
    if ((rc = get_str(c, v, "sha256", &s)) != 0)
        return rc;
    if (hex_decode(s, strlen(s), pr->image_sha256, 32) != 0) {
        pkg__path_key(&c->path, "sha256");
        return bad(c, BN_EFORMAT, "%s is not 64 lowercase hex digits", pkg__show_str(s, shown));
    }
    pkg__path_pop(&c->path, mark);
    return 0;
}

/* A project's "ideas": the public references of the ideas it came from
 * (borne-server publish-ideas, docs/formats.md §1.7). */
static int check_idea_refs(ck_t *c, const cJSON *proj, pkg_project_t *pr)
{
    const cJSON *arr, *v;
    const char *s = NULL;
    char shown[PKG__SHOW_BUF];
    int n, i = 0, j, rc;
    size_t mark;

    if ((rc = get_array(c, proj, "ideas", 1, PKG_IDEAS_PER_PROJECT, &arr, &n)) != 0)
        return rc;
    if ((pr->ideas = calloc((size_t)n, sizeof *pr->ideas)) == NULL)
        return bn_fail(c->why, c->whylen, BN_ENOMEM, "out of memory");
    mark = pkg__path_key(&c->path, "ideas");
    cJSON_ArrayForEach(v, arr) {
        size_t item = pkg__path_index(&c->path, i);

        if ((rc = str_at(c, v, &s)) != 0)
            return rc;
        if (strlen(s) != PKG_IDEA_REF_LEN || strspn(s, "0123456789abcdef") != PKG_IDEA_REF_LEN)
            return bad(c, BN_EFORMAT, "%s is not an idea reference (%d lowercase hex digits)",
                       pkg__show_str(s, shown), PKG_IDEA_REF_LEN);
        for (j = 0; j < i; j++)
            if (strcmp(pr->ideas[j], s) == 0)
                return bad(c, BN_EFORMAT, "%s is listed twice", pkg__show_str(s, shown));
        memcpy(pr->ideas[i], s, PKG_IDEA_REF_LEN + 1);
        pr->n_ideas = ++i;
        pkg__path_pop(&c->path, item);
    }
    pkg__path_pop(&c->path, mark);
    return 0;
}

static int check_projects(ck_t *c, const cJSON *root)
{
    static const char *const req[] = {"id", "territory", "cost", "title", "summary",
                                      "description", NULL};
    static const char *const opt[] = {"image", "ideas", NULL};
    pkg_t *p = c->p;
    const cJSON *arr, *v;
    pkg_project_t *pr;
    char ref[PKG_ID_MAX + 1], shown[PKG__SHOW_BUF];
    int n, i = 0, j, rc, *count = NULL;

    if ((rc = get_array(c, root, "projects", 1, PROJECTS_MAX, &arr, &n)) != 0)
        return rc;
    p->projects = calloc((size_t)n, sizeof *p->projects);
    count = calloc((size_t)p->n_territories, sizeof *count);
    if (p->projects == NULL || count == NULL) {
        rc = bn_fail(c->why, c->whylen, BN_ENOMEM, "out of memory");
        goto out;
    }
    p->n_projects = n;
    {
        size_t mark = pkg__path_key(&c->path, "projects");
        cJSON_ArrayForEach(v, arr) {
            size_t item = pkg__path_index(&c->path, i);
            pr = &p->projects[i];
            if ((rc = want_object(c, v, req, opt)) != 0 || (rc = get_id(c, v, "id", pr->id)) != 0)
                goto out;
            for (j = 0; j < i; j++) {
                if (strcmp(p->projects[j].id, pr->id) == 0) {
                    pkg__path_key(&c->path, "id");
                    rc = bad(c, BN_EFORMAT, "duplicate id %s", pkg__show_str(pr->id, shown));
                    goto out;
                }
            }
            if ((rc = get_id(c, v, "territory", ref)) != 0)
                goto out;
            pr->territory = pkg_find_territory(p, ref);
            if (pr->territory < 0) {
                pkg__path_key(&c->path, "territory");
                rc = bad(c, BN_EFORMAT, "unknown territory %s", pkg__show_str(ref, shown));
                goto out;
            }
            count[pr->territory]++;
            if ((rc = get_int(c, v, "cost", 1, PKG__SAFE_INT, &pr->cost)) != 0 ||
                (rc = get_text(c, v, "title", &pr->title)) != 0 ||
                (rc = get_text(c, v, "summary", &pr->summary)) != 0 ||
                (rc = get_text(c, v, "description", &pr->description)) != 0)
                goto out;
            if (cJSON_GetObjectItemCaseSensitive(v, "image") != NULL &&
                (rc = check_image(c, v, pr)) != 0)
                goto out;
            if (cJSON_GetObjectItemCaseSensitive(v, "ideas") != NULL &&
                (rc = check_idea_refs(c, v, pr)) != 0)
                goto out;
            pkg__path_pop(&c->path, item);
            i++;
        }
        pkg__path_pop(&c->path, mark);
    }
    for (i = 0; i < p->n_territories; i++) {
        if (count[i] == 0) {
            rc = bn_fail(c->why, c->whylen, BN_EFORMAT, "territories[%d]: territory '%s' has no "
                         "project", i, p->territories[i].id);
            goto out;
        }
    }
out:
    free(count);
    return rc;
}

/* petition.controller: the data controller's public key, an uncompressed
 * P-256 point in 130 lowercase hex digits (04 || X || Y). */
static int get_controller(ck_t *c, const cJSON *v, int *has, key_pub_t *out)
{
    const cJSON *k = cJSON_GetObjectItemCaseSensitive(v, "controller");
    uint8_t point[KEY_PUB_LEN];
    const char *s = NULL;
    char shown[PKG__SHOW_BUF];
    size_t mark;
    int rc;

    if (k == NULL)
        return 0;
    mark = pkg__path_key(&c->path, "controller");
    if ((rc = str_at(c, k, &s)) != 0)
        return rc;
    if (strlen(s) != 2 * KEY_PUB_LEN || strspn(s, "0123456789abcdef") != 2 * KEY_PUB_LEN ||
        hex_decode(s, strlen(s), point, KEY_PUB_LEN) != 0)
        return bad(c, BN_EFORMAT, "%s is not a public key (130 lowercase hex digits, 04 || X || Y)",
                   pkg__show(k, shown));
    if (key_pub_from_point(point, out) != 0)
        return bad(c, BN_EFORMAT, "%s is not a point of P-256", pkg__show(k, shown));
    *has = 1;
    pkg__path_pop(&c->path, mark);
    return 0;
}

static int check_petition(ck_t *c, const cJSON *root)
{
    static const char *const keys[] = {"threshold", "min_cantons", NULL};
    static const char *const opt[] = {"controller", NULL};
    pkg_t *p = c->p;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, "petition");
    int rc;
    size_t mark = pkg__path_key(&c->path, "petition");

    if ((rc = want_object(c, v, keys, opt)) != 0 ||
        (rc = get_int32(c, v, "threshold", 1, INT_FIELD_MAX, &p->petition.threshold)) != 0 ||
        (rc = get_int32(c, v, "min_cantons", 1, INT_FIELD_MAX, &p->petition.min_cantons)) != 0 ||
        (rc = get_controller(c, v, &p->petition.has_controller, &p->petition.controller)) != 0)
        return rc;
    if (p->petition.min_cantons > p->n_cantons)
        return bn_fail(c->why, c->whylen, BN_ERANGE,
                       "petition.min_cantons %d is more than the %d cantons of the package",
                       p->petition.min_cantons, p->n_cantons);
    pkg__path_pop(&c->path, mark);
    return 0;
}

/* A list of labels (themes, reasons): ids unique, words in every language. */
static int check_labels(ck_t *c, const cJSON *obj, const char *key, int max, pkg_label_t **out,
                        int *nout)
{
    static const char *const req[] = {"id", "name", NULL};
    const cJSON *arr, *v;
    char shown[PKG__SHOW_BUF];
    int n, i = 0, j, rc;
    size_t mark;

    if ((rc = get_array(c, obj, key, 1, max, &arr, &n)) != 0)
        return rc;
    if ((*out = calloc((size_t)n, sizeof **out)) == NULL)
        return bn_fail(c->why, c->whylen, BN_ENOMEM, "out of memory");
    *nout = n;
    mark = pkg__path_key(&c->path, key);
    cJSON_ArrayForEach(v, arr) {
        size_t item = pkg__path_index(&c->path, i);
        pkg_label_t *l = &(*out)[i];
        if ((rc = want_object(c, v, req, NULL)) != 0 || (rc = get_id(c, v, "id", l->id)) != 0)
            return rc;
        for (j = 0; j < i; j++)
            if (strcmp((*out)[j].id, l->id) == 0) {
                pkg__path_key(&c->path, "id");
                return bad(c, BN_EFORMAT, "duplicate id %s", pkg__show_str(l->id, shown));
            }
        if ((rc = get_text(c, v, "name", &l->name)) != 0)
            return rc;
        pkg__path_pop(&c->path, item);
        i++;
    }
    pkg__path_pop(&c->path, mark);
    return 0;
}

/* The "ideas" section of a call for ideas (docs/formats.md §1.11). */
static int check_ideas(ck_t *c, const cJSON *root)
{
    static const char *const keys[] = {"themes", "reasons", "max_per_person", "contact", "place",
                                       NULL};
    static const char *const opt[] = {"controller", NULL};
    pkg_t *p = c->p;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, "ideas");
    size_t mark = pkg__path_key(&c->path, "ideas");
    int rc;

    if ((rc = want_object(c, v, keys, opt)) != 0 ||
        (rc = check_labels(c, v, "themes", 32, &p->ideas.themes, &p->ideas.n_themes)) != 0 ||
        (rc = check_labels(c, v, "reasons", 16, &p->ideas.reasons, &p->ideas.n_reasons)) != 0 ||
        (rc = get_int32(c, v, "max_per_person", 1, 20, &p->ideas.max_per_person)) != 0 ||
        (rc = get_bool(c, v, "contact", &p->ideas.contact)) != 0 ||
        (rc = get_bool(c, v, "place", &p->ideas.place)) != 0 ||
        (rc = get_controller(c, v, &p->ideas.has_controller, &p->ideas.controller)) != 0)
        return rc;
    pkg__path_pop(&c->path, mark);
    return 0;
}

/* One question of a questionnaire (index i; the earlier ones parsed). */
static int check_question(ck_t *c, const cJSON *v, int i)
{
    static const char *const req[] = {"id", "type", "text", NULL};
    static const char *const opt[] = {"options", "min", "max", "scale", "max_chars", "show_if",
                                      NULL};
    static const char *const types[] = {"one", "many", "rank", "scale", "yesno", "text", NULL};
    static const char *const scale_keys[] = {"from", "to", "low", "high", NULL};
    static const char *const if_keys[] = {"question", "answer", NULL};
    pkg_t *p = c->p;
    pkg_question_t *q = &p->questionnaire.q[i];
    const cJSON *m;
    const char *s = NULL;
    char shown[PKG__SHOW_BUF], ref[PKG_ID_MAX + 1];
    int rc, j, t, has_opts;

    q->if_question = -1;
    if ((rc = want_object(c, v, req, opt)) != 0 || (rc = get_id(c, v, "id", q->id)) != 0)
        return rc;
    for (j = 0; j < i; j++)
        if (strcmp(p->questionnaire.q[j].id, q->id) == 0) {
            pkg__path_key(&c->path, "id");
            return bad(c, BN_EFORMAT, "duplicate id %s", pkg__show_str(q->id, shown));
        }
    if ((rc = get_str(c, v, "type", &s)) != 0)
        return rc;
    for (t = 0; types[t] != NULL && strcmp(types[t], s) != 0; t++)
        ;
    if (types[t] == NULL) {
        pkg__path_key(&c->path, "type");
        return bad(c, BN_EFORMAT, "%s is not one, many, rank, scale, yesno or text",
                   pkg__show_str(s, shown));
    }
    q->type = (pkg_qtype_t)t;
    if ((rc = get_text(c, v, "text", &q->text)) != 0)
        return rc;
    /* the keys of its type, and only those */
    has_opts = q->type == PKG_Q_ONE || q->type == PKG_Q_MANY || q->type == PKG_Q_RANK;
    cJSON_ArrayForEach(m, v) {
        int ok = strcmp(m->string, "options") == 0   ? has_opts
                 : strcmp(m->string, "min") == 0 ||
                           strcmp(m->string, "max") == 0 ? q->type == PKG_Q_MANY ||
                                                                q->type == PKG_Q_RANK
                 : strcmp(m->string, "scale") == 0     ? q->type == PKG_Q_SCALE
                 : strcmp(m->string, "max_chars") == 0 ? q->type == PKG_Q_TEXT
                                                       : 1;
        if (!ok) {
            pkg__path_key(&c->path, m->string);
            return bad(c, BN_EFORMAT, "not allowed in a question of type %s", types[t]);
        }
    }
    if (has_opts) {
        if ((rc = check_labels(c, v, "options", PKG_OPTIONS_MAX, &q->options, &q->n_options)) != 0)
            return rc;
        if (q->n_options < 2) {
            pkg__path_key(&c->path, "options");
            return bad(c, BN_ERANGE, "1 option: a question offers at least 2");
        }
    }
    if (q->type == PKG_Q_MANY || q->type == PKG_Q_RANK) {
        int lo = q->type == PKG_Q_MANY ? 0 : 1;

        q->min = lo;
        q->max = q->n_options;
        if (cJSON_GetObjectItemCaseSensitive(v, "min") != NULL &&
            (rc = get_int32(c, v, "min", lo, q->n_options, &q->min)) != 0)
            return rc;
        if (cJSON_GetObjectItemCaseSensitive(v, "max") != NULL &&
            (rc = get_int32(c, v, "max", q->min > 1 ? q->min : 1, q->n_options, &q->max)) != 0)
            return rc;
        if (q->max < q->min) {
            pkg__path_key(&c->path, "max");
            return bad(c, BN_ERANGE, "%d is less than min %d", q->max, q->min);
        }
    }
    if (q->type == PKG_Q_SCALE) {
        const cJSON *sc = cJSON_GetObjectItemCaseSensitive(v, "scale");
        size_t mark = pkg__path_key(&c->path, "scale");

        if ((rc = want_object(c, sc, scale_keys, NULL)) != 0 ||
            (rc = get_int32(c, sc, "from", 0, 1, &q->from)) != 0 ||
            (rc = get_int32(c, sc, "to", 5, 10, &q->to)) != 0 ||
            (rc = get_text(c, sc, "low", &q->low)) != 0 ||
            (rc = get_text(c, sc, "high", &q->high)) != 0)
            return rc;
        if (q->to != 5 && q->to != 10) {
            pkg__path_key(&c->path, "to");
            return bad(c, BN_ERANGE, "%d is not 5 or 10", q->to);
        }
        pkg__path_pop(&c->path, mark);
    }
    if (q->type == PKG_Q_TEXT) {
        q->max_chars = PKG_TEXT_ANSWER_CHARS;
        if (cJSON_GetObjectItemCaseSensitive(v, "max_chars") != NULL &&
            (rc = get_int32(c, v, "max_chars", 1, PKG_TEXT_ANSWER_CHARS, &q->max_chars)) != 0)
            return rc;
    }
    if ((m = cJSON_GetObjectItemCaseSensitive(v, "show_if")) != NULL) {
        size_t mark = pkg__path_key(&c->path, "show_if");
        const pkg_question_t *e = NULL;

        if ((rc = want_object(c, m, if_keys, NULL)) != 0 ||
            (rc = get_id(c, m, "question", ref)) != 0)
            return rc;
        for (j = 0; j < i; j++)
            if (strcmp(p->questionnaire.q[j].id, ref) == 0)
                e = &p->questionnaire.q[j];
        if (e == NULL) {
            pkg__path_key(&c->path, "question");
            return bad(c, BN_EFORMAT, "%s is not an earlier question", pkg__show_str(ref, shown));
        }
        if (e->type != PKG_Q_ONE && e->type != PKG_Q_MANY && e->type != PKG_Q_YESNO) {
            pkg__path_key(&c->path, "question");
            return bad(c, BN_EFORMAT, "%s is a question of type %s: show_if follows a one, "
                       "many or yesno question", pkg__show_str(ref, shown), types[e->type]);
        }
        q->if_question = (int)(e - p->questionnaire.q);
        if ((rc = get_id(c, m, "answer", ref)) != 0)
            return rc;
        q->if_answer = -1;
        if (e->type == PKG_Q_YESNO)
            q->if_answer = strcmp(ref, "yes") == 0 ? 1 : strcmp(ref, "no") == 0 ? 0 : -1;
        for (j = 0; e->type != PKG_Q_YESNO && j < e->n_options; j++)
            if (strcmp(e->options[j].id, ref) == 0)
                q->if_answer = j;
        if (q->if_answer < 0) {
            pkg__path_key(&c->path, "answer");
            return bad(c, BN_EFORMAT, "%s is not an answer of question %s%s",
                       pkg__show_str(ref, shown), e->id,
                       e->type == PKG_Q_YESNO ? " (yes or no)" : "");
        }
        pkg__path_pop(&c->path, mark);
    }
    return 0;
}

/* The "questionnaire" section of a consultation (docs/formats.md §1.10c). */
static int check_questionnaire(ck_t *c, const cJSON *root)
{
    static const char *const keys[] = {"questions", NULL};
    pkg_t *p = c->p;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, "questionnaire"), *arr, *q;
    size_t mark = pkg__path_key(&c->path, "questionnaire"), m2;
    int rc, n, i = 0;

    if ((rc = want_object(c, v, keys, NULL)) != 0 ||
        (rc = get_array(c, v, "questions", 1, PKG_QUESTIONS_MAX, &arr, &n)) != 0)
        return rc;
    if ((p->questionnaire.q = calloc((size_t)n, sizeof *p->questionnaire.q)) == NULL)
        return bn_fail(c->why, c->whylen, BN_ENOMEM, "out of memory");
    p->questionnaire.n = n;
    m2 = pkg__path_key(&c->path, "questions");
    cJSON_ArrayForEach(q, arr) {
        size_t item = pkg__path_index(&c->path, i);

        if ((rc = check_question(c, q, i)) != 0)
            return rc;
        pkg__path_pop(&c->path, item);
        i++;
    }
    pkg__path_pop(&c->path, m2);
    pkg__path_pop(&c->path, mark);
    return 0;
}

int pkg__build(const cJSON *root, pkg_t **out, char *why, size_t whylen)
{
    ck_t c;
    char shown[PKG__SHOW_BUF];
    int rc;

    *out = NULL;
    memset(&c, 0, sizeof c);
    c.why = why;
    c.whylen = whylen;
    if (!cJSON_IsObject(root))
        return bn_fail(why, whylen, BN_EFORMAT, "the campaign is %s, not a JSON object",
                       pkg__show(root, shown));
    c.p = calloc(1, sizeof *c.p);
    if (c.p == NULL)
        return bn_fail(why, whylen, BN_ENOMEM, "out of memory");
    if ((rc = check_head(&c, root)) != 0 || (rc = check_languages(&c, root)) != 0 ||
        (rc = get_text(&c, root, "title", &c.p->title)) != 0 ||
        (rc = get_text(&c, root, "description", &c.p->description)) != 0 ||
        (rc = check_dates(&c, root)) != 0 || (rc = check_eligibility(&c, root)) != 0 ||
        (rc = check_territories(&c, root)) != 0 || (rc = check_cantons(&c, root)) != 0 ||
        (rc = check_communes(&c, root)) != 0)
        goto out;
    if (c.p->kind == PKG_BUDGET) {
        if ((rc = check_rule(&c, root)) == 0)
            rc = check_projects(&c, root);
    } else if (c.p->kind == PKG_PETITION) {
        rc = check_petition(&c, root);
    } else if (c.p->kind == PKG_IDEAS) {
        rc = check_ideas(&c, root);
    } else {
        rc = check_questionnaire(&c, root);
    }
out:
    if (rc != 0) {
        pkg_free(c.p);
        return rc;
    }
    *out = c.p;
    return 0;
}

/* --- parse, free, lookups ---------------------------------------------------------- */

int pkg__parse_full(const char *json, size_t len, pkg_t **out, char **canon, size_t *canonlen,
                    char *why, size_t whylen)
{
    cJSON *root = NULL;
    pkg_t *p = NULL;
    char *text = NULL;
    size_t tlen = 0;
    int rc;

    if ((rc = pkg__load(json, len, &root, why, whylen)) != 0 ||
        (rc = pkg__build(root, &p, why, whylen)) != 0)
        goto out;
    if ((rc = pkg__write(root, &text, &tlen)) != 0) {
        rc = bn_fail(why, whylen, rc, "out of memory writing the canonical form");
        goto out;
    }
    key_sha256(text, tlen, p->digest);
    if (out != NULL) {
        *out = p;
        p = NULL;
    }
    if (canon != NULL) {
        *canon = text;
        *canonlen = tlen;
        text = NULL;
    }
out:
    cJSON_Delete(root);
    pkg_free(p);
    free(text);
    return rc;
}

int pkg_parse(const char *json, size_t len, pkg_t **out, char *why, size_t whylen)
{
    if (out == NULL || (json == NULL && len > 0))
        return bn_fail(why, whylen, BN_EINVAL, "invalid argument");
    *out = NULL;
    return pkg__parse_full(json != NULL ? json : "", len, out, NULL, NULL, why, whylen);
}

void pkg_free(pkg_t *p)
{
    int i;

    if (p == NULL)
        return;
    text_free(&p->title);
    text_free(&p->description);
    for (i = 0; p->territories != NULL && i < p->n_territories; i++)
        text_free(&p->territories[i].name);
    for (i = 0; p->cantons != NULL && i < p->n_cantons; i++)
        free(p->cantons[i].name);
    for (i = 0; p->communes != NULL && i < p->n_communes; i++)
        free(p->communes[i].name);
    for (i = 0; p->projects != NULL && i < p->n_projects; i++) {
        text_free(&p->projects[i].title);
        text_free(&p->projects[i].summary);
        text_free(&p->projects[i].description);
        free(p->projects[i].image);
        free(p->projects[i].ideas);
    }
    for (i = 0; p->ideas.themes != NULL && i < p->ideas.n_themes; i++)
        text_free(&p->ideas.themes[i].name);
    for (i = 0; p->ideas.reasons != NULL && i < p->ideas.n_reasons; i++)
        text_free(&p->ideas.reasons[i].name);
    free(p->ideas.themes);
    free(p->ideas.reasons);
    for (i = 0; p->questionnaire.q != NULL && i < p->questionnaire.n; i++) {
        pkg_question_t *q = &p->questionnaire.q[i];
        int k;

        text_free(&q->text);
        text_free(&q->low);
        text_free(&q->high);
        for (k = 0; q->options != NULL && k < q->n_options; k++)
            text_free(&q->options[k].name);
        free(q->options);
    }
    free(p->questionnaire.q);
    free(p->territories);
    free(p->cantons);
    free(p->communes);
    free(p->projects);
    free(p);
}

int pkg_find_territory(const pkg_t *p, const char *id)
{
    int i;

    for (i = 0; p != NULL && id != NULL && i < p->n_territories; i++)
        if (strcmp(p->territories[i].id, id) == 0)
            return i;
    return -1;
}

int pkg_find_project(const pkg_t *p, const char *id)
{
    int i;

    for (i = 0; p != NULL && id != NULL && i < p->n_projects; i++)
        if (strcmp(p->projects[i].id, id) == 0)
            return i;
    return -1;
}

int pkg_find_commune(const pkg_t *p, const char *insee)
{
    int lo = 0, hi, mid, cmp;

    if (p == NULL || insee == NULL)
        return -1;
    hi = p->n_communes - 1;
    while (lo <= hi) {
        mid = lo + (hi - lo) / 2;
        cmp = strcmp(p->communes[mid].insee, insee);
        if (cmp == 0)
            return mid;
        if (cmp < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}

int pkg_commune_territory(const pkg_t *p, int commune)
{
    if (p == NULL || commune < 0 || commune >= p->n_communes)
        return -1;
    return p->communes[commune].territory;
}

int pkg_lang(const pkg_t *p, const char *lang)
{
    int i;

    for (i = 0; p != NULL && lang != NULL && i < p->n_langs; i++)
        if (strcmp(p->langs[i], lang) == 0)
            return i;
    return 0;
}
