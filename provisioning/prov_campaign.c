/* prov_campaign.c - a campaign package built from a description, spreadsheets
 * and INSEE's files (prov_campaign.h). */
#include "prov_campaign.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "bn_err.h"
#include "day.h"
#include "hex.h"
#include "key.h"
#include "prov_csv.h"
#include "prov_file.h"

#define MAX_TERR 64

/* The build's state. */
typedef struct bld_s {
    const char *src;            /* the description's path */
    char dir[4096];             /* its folder, for the sources' relative paths */
    char communes_path[4096];   /* the INSEE file, for messages */
    cJSON *desc;                /* the description, then the campaign */
    char dept[4];
    int n_langs;
    char langs[PKG_LANG_MAX][3];
    int n_terr;
    const cJSON *terr[MAX_TERR];/* the description's territories */
    char terr_id[MAX_TERR][PKG_ID_MAX + 1];
    int is_budget;
    int n_communes;
    struct commune_s {
        char insee[6];
        char *name;
        char canton[PKG_ID_MAX + 1];
        int line;
        int terr;
        char epci[16];
    } *communes;
    prov_build_t *out;
    char *why;
    size_t whylen;
} bld_t;

static int note(bld_t *b, const char *fmt, ...)
{
    char buf[512], **bigger, *s;
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    bigger = realloc(b->out->notes, (size_t)(b->out->n_notes + 1) * sizeof *bigger);
    if (bigger == NULL)
        return BN_ENOMEM;
    b->out->notes = bigger;
    if ((s = strdup(buf)) == NULL)
        return BN_ENOMEM;
    b->out->notes[b->out->n_notes++] = s;
    return 0;
}

static const char *enc_name(prov_csv_enc_t e)
{
    return e == PROV_CSV_CP1252 ? "Windows-1252" : e == PROV_CSV_UTF8_BOM ? "UTF-8 with BOM"
                                                                          : "UTF-8";
}

static int read_table(bld_t *b, const char *key, prov_csv_t **t, char *path, size_t cap)
{
    const cJSON *srcs = cJSON_GetObjectItemCaseSensitive(b->desc, "sources");
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(srcs, key);
    int rc;

    if (!cJSON_IsString(v) || v->valuestring[0] == '\0')
        return bn_fail(b->why, b->whylen, BN_EFORMAT, "%s: sources.%s: a file name is expected",
                       b->src, key);
    prov_path_join(b->dir, v->valuestring, path, cap);
    if ((rc = prov_csv_read(path, t, b->why, b->whylen)) != 0)
        return rc;
    return note(b, "%s: %s, '%s'-separated, %d rows", path, enc_name((*t)->enc),
                (*t)->sep == '\t' ? "tab" : (char[]){(*t)->sep, 0}, (*t)->n_rows);
}

/* The column named one of `names`, or a message naming what was expected. */
static int need_column(bld_t *b, const prov_csv_t *t, const char *const *names, const char *what,
                       int *col)
{
    if ((*col = prov_csv_column(t, names)) >= 0)
        return 0;
    return bn_fail(b->why, b->whylen, BN_EFORMAT, "%s:1: no column for %s (a header such as "
                   "\"%s\")", t->name, what, names[0]);
}

/* --- territories ------------------------------------------------------------------ */

/* The description's territory that `v` names: by id, by the id its words
 * make ("Pays de Brocéliande" -> "pays-de-broceliande"), or by a name in any
 * language, accents and case aside. -1 if none. */
static int find_terr(const bld_t *b, const char *v)
{
    char fv[256], fn[256];
    int t, l;

    prov_csv_fold(v, fv, sizeof fv);
    for (t = 0; t < b->n_terr; t++) {
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(b->terr[t], "name");
        char fid[64];

        if (strcmp(v, b->terr_id[t]) == 0)
            return t;
        prov_csv_fold(b->terr_id[t], fid, sizeof fid);
        if (strcmp(fv, fid) == 0)
            return t;
        for (l = 0; l < b->n_langs; l++) {
            const cJSON *s = cJSON_GetObjectItemCaseSensitive(name, b->langs[l]);
            if (cJSON_IsString(s)) {
                prov_csv_fold(s->valuestring, fn, sizeof fn);
                if (strcmp(fv, fn) == 0)
                    return t;
            }
        }
    }
    return -1;
}

static int bad_terr(bld_t *b, const prov_csv_t *t, const prov_csv_cell_t *c)
{
    char list[512] = "";
    int i;

    for (i = 0; i < b->n_terr; i++) {
        strncat(list, i ? ", " : "", sizeof list - strlen(list) - 1);
        strncat(list, b->terr_id[i], sizeof list - strlen(list) - 1);
    }
    return bn_fail(b->why, b->whylen, BN_EFORMAT, "%s:%d:%d: territory \"%s\" is not one of the "
                   "campaign's (%s)", t->name, c->line, c->col, c->s, list);
}

/* The description: its languages, département, territories. */
static int read_description(bld_t *b)
{
    const cJSON *v, *it;
    const char *msg;
    uint8_t *text = NULL;
    size_t len;
    int rc;

    if ((rc = pkg_read_file(b->src, &text, &len, b->why, b->whylen)) != 0)
        return rc;
    b->desc = cJSON_ParseWithLengthOpts((const char *)text, len, &msg, 0);
    if (b->desc == NULL) {
        size_t at = msg != NULL ? (size_t)(msg - (const char *)text) : 0, i;
        int line = 1, col = 1;

        for (i = 0; i < at && i < len; i++) {
            if (text[i] == '\n')
                line++, col = 1;
            else if ((text[i] & 0xc0) != 0x80)
                col++;
        }
        free(text);
        return bn_fail(b->why, b->whylen, BN_EFORMAT, "%s:%d:%d: not valid JSON here", b->src,
                       line, col);
    }
    free(text);
    if (!cJSON_IsObject(b->desc))
        return bn_fail(b->why, b->whylen, BN_EFORMAT, "%s: a JSON object is expected", b->src);
    v = cJSON_GetObjectItemCaseSensitive(b->desc, "format");
    if (!cJSON_IsString(v) || strcmp(v->valuestring, PROV_SOURCE_FORMAT) != 0)
        return bn_fail(b->why, b->whylen, BN_EFORMAT, "%s: format: \"%s\" is expected", b->src,
                       PROV_SOURCE_FORMAT);
    v = cJSON_GetObjectItemCaseSensitive(b->desc, "sources");
    if (!cJSON_IsObject(v))
        return bn_fail(b->why, b->whylen, BN_EFORMAT, "%s: sources: missing (an object naming "
                       "the communes, territories and projects files)", b->src);
    cJSON_ArrayForEach(it, v) {
        static const char *const known[] = {"communes", "cantons", "territories", "epci",
                                            "projects", "pabulib", "images", NULL};
        int k;

        for (k = 0; known[k] != NULL && strcmp(known[k], it->string) != 0; k++)
            ;
        if (known[k] == NULL)
            return bn_fail(b->why, b->whylen, BN_EFORMAT, "%s: sources.%s: unknown key (known: "
                           "communes, cantons, territories, epci, projects, pabulib, images)", b->src,
                           it->string);
    }
    for (it = b->desc->child; it != NULL; it = it->next)
        if (strcmp(it->string, "cantons") == 0 || strcmp(it->string, "communes") == 0 ||
            strcmp(it->string, "projects") == 0)
            return bn_fail(b->why, b->whylen, BN_EFORMAT, "%s: %s: not in a description (the "
                           "build makes them from sources)", b->src, it->string);
    v = cJSON_GetObjectItemCaseSensitive(b->desc, "departement");
    if (!cJSON_IsString(v) || strlen(v->valuestring) < 2 || strlen(v->valuestring) > 3)
        return bn_fail(b->why, b->whylen, BN_EFORMAT, "%s: departement: a code such as \"35\" is "
                       "expected", b->src);
    strcpy(b->dept, v->valuestring);
    v = cJSON_GetObjectItemCaseSensitive(b->desc, "kind");
    b->is_budget = cJSON_IsString(v) && strcmp(v->valuestring, "budget") == 0;
    v = cJSON_GetObjectItemCaseSensitive(b->desc, "languages");
    cJSON_ArrayForEach(it, v) {
        if (b->n_langs == PKG_LANG_MAX || !cJSON_IsString(it) || strlen(it->valuestring) != 2)
            return bn_fail(b->why, b->whylen, BN_EFORMAT, "%s: languages: up to %d codes such as "
                           "\"fr\" are expected", b->src, PKG_LANG_MAX);
        strcpy(b->langs[b->n_langs++], it->valuestring);
    }
    if (b->n_langs == 0)
        return bn_fail(b->why, b->whylen, BN_EFORMAT, "%s: languages: missing", b->src);
    v = cJSON_GetObjectItemCaseSensitive(b->desc, "territories");
    cJSON_ArrayForEach(it, v) {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(it, "id");

        if (b->n_terr == MAX_TERR)
            return bn_fail(b->why, b->whylen, BN_ERANGE, "%s: territories: more than %d", b->src,
                           MAX_TERR);
        if (!cJSON_IsString(id) || strlen(id->valuestring) > PKG_ID_MAX)
            return bn_fail(b->why, b->whylen, BN_EFORMAT, "%s: territories[%d].id: an id is "
                           "expected", b->src, b->n_terr);
        b->terr[b->n_terr] = it;
        strcpy(b->terr_id[b->n_terr++], id->valuestring);
    }
    if (b->n_terr == 0)
        return bn_fail(b->why, b->whylen, BN_EFORMAT, "%s: territories: missing", b->src);
    return 0;
}

/* --- communes, cantons ------------------------------------------------------------ */

static int read_communes(bld_t *b)
{
    static const char *const c_type[] = {"typecom", NULL}, *const c_com[] = {"com", NULL},
                      *const c_dep[] = {"dep", NULL}, *const c_can[] = {"can", NULL},
                      *const c_name[] = {"libelle", "nccenr", NULL};
    prov_csv_t *t = NULL;
    char path[4096];
    int ct, cc, cd, ck, cn, r, rc;

    if ((rc = read_table(b, "communes", &t, path, sizeof path)) != 0)
        goto out;
    if ((rc = need_column(b, t, c_type, "TYPECOM (INSEE's commune file)", &ct)) != 0 ||
        (rc = need_column(b, t, c_com, "COM, the INSEE code", &cc)) != 0 ||
        (rc = need_column(b, t, c_dep, "DEP, the département", &cd)) != 0 ||
        (rc = need_column(b, t, c_can, "CAN, the canton", &ck)) != 0 ||
        (rc = need_column(b, t, c_name, "LIBELLE, the name", &cn)) != 0)
        goto out;
    if ((b->communes = calloc((size_t)t->n_rows + 1, sizeof *b->communes)) == NULL) {
        rc = bn_fail(b->why, b->whylen, BN_ENOMEM, "out of memory");
        goto out;
    }
    for (r = 0; r < t->n_rows; r++) {
        const prov_csv_cell_t *com = prov_csv_at(t, r, cc), *can = prov_csv_at(t, r, ck);
        struct commune_s *m = &b->communes[b->n_communes];
        size_t i;

        if (strcmp(prov_csv_at(t, r, ct)->s, "COM") != 0 ||
            strcmp(prov_csv_at(t, r, cd)->s, b->dept) != 0)
            continue;
        if (strlen(com->s) != 5 || strspn(com->s, "0123456789AB") != 5) {
            rc = bn_fail(b->why, b->whylen, BN_EFORMAT, "%s:%d:%d: \"%s\" is not an INSEE code",
                         path, com->line, com->col, com->s);
            goto out;
        }
        if (b->n_communes > 0 && strcmp(b->communes[b->n_communes - 1].insee, com->s) >= 0) {
            rc = bn_fail(b->why, b->whylen, BN_EFORMAT, "%s:%d:%d: commune %s is out of order or "
                         "twice (INSEE's file is sorted by code)", path, com->line, com->col,
                         com->s);
            goto out;
        }
        if (can->s[0] == '\0' || strlen(can->s) > PKG_ID_MAX) {
            rc = bn_fail(b->why, b->whylen, BN_EFORMAT, "%s:%d:%d: commune %s has no canton",
                         path, can->line, can->col, com->s);
            goto out;
        }
        strcpy(m->insee, com->s);
        for (i = 0; can->s[i] != '\0'; i++)
            m->canton[i] = (char)(can->s[i] >= 'A' && can->s[i] <= 'Z' ? can->s[i] - 'A' + 'a'
                                                                       : can->s[i]);
        m->line = com->line;
        m->terr = -1;
        if ((m->name = strdup(prov_csv_at(t, r, cn)->s)) == NULL) {
            rc = bn_fail(b->why, b->whylen, BN_ENOMEM, "out of memory");
            goto out;
        }
        b->n_communes++;
    }
    if (b->n_communes == 0) {
        rc = bn_fail(b->why, b->whylen, BN_EFORMAT, "%s: no commune (TYPECOM COM) of "
                     "département %s", path, b->dept);
        goto out;
    }
    snprintf(b->communes_path, sizeof b->communes_path, "%s", path);
    rc = note(b, "%d communes of d\xc3\xa9partement %s", b->n_communes, b->dept);
out:
    prov_csv_free(t);
    return rc;
}

static int find_commune(const bld_t *b, const char *insee)
{
    int lo = 0, hi = b->n_communes - 1;

    while (lo <= hi) {
        int mid = (lo + hi) / 2, c = strcmp(b->communes[mid].insee, insee);
        if (c == 0)
            return mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}

/* The commune -> EPCI table, for territories given by intercommunality. */
static int read_epci(bld_t *b)
{
    static const char *const c_com[] = {"insee", "codgeo", "com", "code_insee", NULL},
                      *const c_epci[] = {"epci", "epci_siren", "siren_epci", "code_epci", NULL};
    prov_csv_t *t = NULL;
    char path[4096];
    int ci, ce, r, rc;

    if ((rc = read_table(b, "epci", &t, path, sizeof path)) != 0 ||
        (rc = need_column(b, t, c_com, "the commune's INSEE code", &ci)) != 0 ||
        (rc = need_column(b, t, c_epci, "the EPCI's SIREN", &ce)) != 0)
        goto out;
    for (r = 0; r < t->n_rows; r++) {
        int m = find_commune(b, prov_csv_at(t, r, ci)->s);
        const prov_csv_cell_t *e = prov_csv_at(t, r, ce);

        if (m < 0)
            continue; /* another département's */
        if (strlen(e->s) == 0 || strlen(e->s) >= sizeof b->communes[m].epci) {
            rc = bn_fail(b->why, b->whylen, BN_EFORMAT, "%s:%d:%d: \"%s\" is not an EPCI code",
                         path, e->line, e->col, e->s);
            goto out;
        }
        strcpy(b->communes[m].epci, e->s);
    }
out:
    prov_csv_free(t);
    return rc;
}

/* The territory table: one row per commune, canton or EPCI. */
static int read_territories(bld_t *b)
{
    static const char *const c_terr[] = {"territory", "territoire", NULL},
                      *const c_com[] = {"insee", "codgeo", "com", "code_insee", NULL},
                      *const c_can[] = {"canton", "can", "canton_code", NULL},
                      *const c_epci[] = {"epci", "epci_siren", "siren_epci", "code_epci", NULL};
    prov_csv_t *t = NULL;
    char path[4096];
    int cterr, ckey, kind, r, m, rc;

    if ((rc = read_table(b, "territories", &t, path, sizeof path)) != 0 ||
        (rc = need_column(b, t, c_terr, "the territory", &cterr)) != 0)
        goto out;
    if ((ckey = prov_csv_column(t, c_com)) >= 0)
        kind = 0;
    else if ((ckey = prov_csv_column(t, c_can)) >= 0)
        kind = 1;
    else if ((ckey = prov_csv_column(t, c_epci)) >= 0)
        kind = 2;
    else {
        rc = bn_fail(b->why, b->whylen, BN_EFORMAT, "%s:1: no column for what is put in a "
                     "territory: \"insee\" (communes), \"canton\" or \"epci\"", path);
        goto out;
    }
    if (kind == 2 && (rc = read_epci(b)) != 0)
        goto out;
    for (r = 0; r < t->n_rows; r++) {
        const prov_csv_cell_t *k = prov_csv_at(t, r, ckey), *tc = prov_csv_at(t, r, cterr);
        int terr = find_terr(b, tc->s), hits = 0;

        if (terr < 0) {
            rc = bad_terr(b, t, tc);
            goto out;
        }
        for (m = 0; m < b->n_communes; m++) {
            struct commune_s *c = &b->communes[m];
            char folded[PKG_ID_MAX + 1];
            size_t i;

            for (i = 0; k->s[i] != '\0' && i < PKG_ID_MAX; i++)
                folded[i] = (char)(k->s[i] >= 'A' && k->s[i] <= 'Z' ? k->s[i] - 'A' + 'a'
                                                                     : k->s[i]);
            folded[i] = '\0';
            if ((kind == 0 && strcmp(c->insee, k->s) != 0) ||
                (kind == 1 && strcmp(c->canton, folded) != 0) ||
                (kind == 2 && strcmp(c->epci, k->s) != 0))
                continue;
            if (c->terr >= 0 && c->terr != terr) {
                rc = bn_fail(b->why, b->whylen, BN_EFORMAT, "%s:%d:%d: commune %s %s is put in "
                             "territory %s here and in %s above", path, tc->line, tc->col,
                             c->insee, c->name, b->terr_id[terr], b->terr_id[c->terr]);
                goto out;
            }
            c->terr = terr;
            hits++;
        }
        (void)hits; /* a row for another département's commune is no error */
    }
    for (m = 0; m < b->n_communes; m++) {
        const struct commune_s *c = &b->communes[m];

        if (c->terr >= 0)
            continue;
        rc = bn_fail(b->why, b->whylen, BN_EFORMAT, "%s:%d: commune %s %s is in no territory: "
                     "%s names neither it%s%s%s", b->communes_path, c->line, c->insee,
                     c->name, path, kind == 1 ? " nor its canton " : "",
                     kind == 1 ? c->canton : kind == 2 ? " nor its EPCI " : "",
                     kind == 2 ? (c->epci[0] ? c->epci : "(none in the epci table)") : "");
        goto out;
    }
    rc = note(b, "territories by %s, from %s", kind == 0 ? "commune" : kind == 1 ? "canton" : "EPCI",
              path);
out:
    prov_csv_free(t);
    return rc;
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* cantons[] and communes[] of the package: a canton names its territory
 * when all its communes share one; otherwise each of its communes does. */
static int add_places(bld_t *b)
{
    static const char *const c_code[] = {"can", "canton", "canton_code", "code", NULL},
                      *const c_name[] = {"libelle", "nccenr", "canton_name", "name", "nom", NULL};
    const cJSON *srcs = cJSON_GetObjectItemCaseSensitive(b->desc, "sources");
    prov_csv_t *t = NULL;
    cJSON *cantons = NULL, *communes = NULL;
    char **ids = NULL, path[4096];
    static const char *const c_type[] = {"typect", "type", NULL};
    int n_ids = 0, i, m, rc = BN_ENOMEM, cc = -1, cn = -1, ctype = -1;

    if (cJSON_GetObjectItemCaseSensitive(srcs, "cantons") != NULL &&
        ((rc = read_table(b, "cantons", &t, path, sizeof path)) != 0 ||
         (rc = need_column(b, t, c_code, "the canton's code", &cc)) != 0 ||
         (rc = need_column(b, t, c_name, "the canton's name", &cn)) != 0))
        goto out;
    if (t != NULL)
        ctype = prov_csv_column(t, c_type);
    rc = BN_ENOMEM;
    if ((ids = calloc((size_t)b->n_communes, sizeof *ids)) == NULL)
        goto out;
    for (m = 0; m < b->n_communes; m++) {
        for (i = 0; i < n_ids && strcmp(ids[i], b->communes[m].canton) != 0; i++)
            ;
        if (i == n_ids)
            ids[n_ids++] = b->communes[m].canton;
    }
    qsort(ids, (size_t)n_ids, sizeof *ids, cmp_str);
    if ((cantons = cJSON_AddArrayToObject(b->desc, "cantons")) == NULL ||
        (communes = cJSON_AddArrayToObject(b->desc, "communes")) == NULL)
        goto out;
    for (i = 0; i < n_ids; i++) {
        cJSON *k = cJSON_CreateObject();
        char name[256];
        int terr = -2, r, pseudo = 0;

        if (k == NULL)
            goto out;
        cJSON_AddItemToArray(cantons, k);
        snprintf(name, sizeof name, "Canton %s", ids[i]);
        for (r = 0; t != NULL && r < t->n_rows; r++) {
            char folded[PKG_ID_MAX + 2];
            const char *s = prov_csv_at(t, r, cc)->s;
            size_t j;

            for (j = 0; s[j] != '\0' && j <= PKG_ID_MAX; j++)
                folded[j] = (char)(s[j] >= 'A' && s[j] <= 'Z' ? s[j] - 'A' + 'a' : s[j]);
            folded[j] = '\0';
            if (strcmp(folded, ids[i]) == 0 && prov_csv_at(t, r, cn)->s[0] != '\0') {
                char ty[64] = "";

                if (ctype >= 0)
                    prov_csv_fold(prov_csv_at(t, r, ctype)->s, ty, sizeof ty);
                /* INSEE's "canton-ville" of a town split between cantons:
                 * the town counts as one canton (assets/data/README.md) */
                pseudo = strstr(ty, "pseudo") != NULL || strcmp(ty, "v") == 0;
                snprintf(name, sizeof name, "%s%s", prov_csv_at(t, r, cn)->s,
                         pseudo ? " (pseudo-canton)" : "");
                break;
            }
        }
        for (m = 0; m < b->n_communes; m++)
            if (strcmp(b->communes[m].canton, ids[i]) == 0)
                terr = terr == -2 || terr == b->communes[m].terr ? b->communes[m].terr : -1;
        if (cJSON_AddStringToObject(k, "id", ids[i]) == NULL ||
            cJSON_AddStringToObject(k, "name", name) == NULL ||
            (terr >= 0 && cJSON_AddStringToObject(k, "territory", b->terr_id[terr]) == NULL))
            goto out;
        for (m = 0; m < b->n_communes; m++) {
            const struct commune_s *c = &b->communes[m];
            cJSON *o;

            if (strcmp(c->canton, ids[i]) != 0)
                continue;
            if ((o = cJSON_CreateObject()) == NULL)
                goto out;
            cJSON_AddItemToArray(communes, o);
            if (cJSON_AddStringToObject(o, "insee", c->insee) == NULL ||
                cJSON_AddStringToObject(o, "name", c->name) == NULL ||
                cJSON_AddStringToObject(o, "canton", c->canton) == NULL ||
                (terr < 0 && cJSON_AddStringToObject(o, "territory", b->terr_id[c->terr]) == NULL))
                goto out;
        }
        if (terr < 0 && (rc = note(b, "canton %s (%s) lies across territories: its communes name "
                                   "theirs", ids[i], name)) != 0)
            goto out;
        if (pseudo && (rc = note(b, "canton %s: %s, a town split between cantons, counts as one "
                                 "canton", ids[i], name)) != 0)
            goto out;
    }
    rc = note(b, "%d cantons", n_ids);
out:
    free(ids);
    prov_csv_free(t);
    return rc == BN_ENOMEM ? bn_fail(b->why, b->whylen, BN_ENOMEM, "out of memory") : rc;
}

/* --- projects ---------------------------------------------------------------------- */

/* A cell's text for the package: line breaks and tabs become one space,
 * spaces at both ends dropped. */
static char *clean_text(const char *s)
{
    size_t n = strlen(s), i, o = 0;
    char *out = malloc(n + 1);

    if (out == NULL)
        return NULL;
    for (i = 0; i < n; i++) {
        char ch = s[i];
        if (ch == '\r' || ch == '\n' || ch == '\t')
            ch = ' ';
        if (ch == ' ' && (o == 0 || out[o - 1] == ' '))
            continue;
        out[o++] = ch;
    }
    while (o > 0 && out[o - 1] == ' ')
        o--;
    out[o] = '\0';
    return out;
}

static int is_id(const char *s)
{
    size_t i, n = strlen(s);

    if (n == 0 || n > PKG_ID_MAX || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= '0' && s[0] <= '9')))
        return 0;
    for (i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
            return 0;
    return 1;
}

/* A text column per language: "titre_fr", "title_fr"; the bare name
 * ("titre") for the first language when there is only that. */
static int text_columns(bld_t *b, const prov_csv_t *t, const char *en, const char *fr,
                        const char *fr2, int *cols, const char *what)
{
    int l;

    for (l = 0; l < b->n_langs; l++) {
        char n1[32], n2[32], n3[32];
        const char *names[5] = {n1, n2, n3, NULL, NULL};

        snprintf(n1, sizeof n1, "%s_%s", en, b->langs[l]);
        snprintf(n2, sizeof n2, "%s_%s", fr, b->langs[l]);
        snprintf(n3, sizeof n3, "%s_%s", fr2, b->langs[l]);
        if (l == 0 && b->n_langs == 1)
            names[3] = fr;
        if ((cols[l] = prov_csv_column(t, names)) < 0)
            return bn_fail(b->why, b->whylen, BN_EFORMAT, "%s:1: no column for the %s in "
                           "language '%s' (a header such as \"%s\"; the campaign's languages "
                           "are given in its description)", t->name, what, b->langs[l], n2);
    }
    return 0;
}

static int add_image(bld_t *b, const prov_csv_t *t, const prov_csv_cell_t *c, cJSON *proj)
{
    const cJSON *srcs = cJSON_GetObjectItemCaseSensitive(b->desc, "sources");
    const cJSON *dir = cJSON_GetObjectItemCaseSensitive(srcs, "images");
    char base[4096], path[8192], file[PKG_ID_MAX * 8], hexd[65];
    uint8_t digest[32];
    prov_image_t *bigger;
    cJSON *img;
    int rc;

    if (strchr(c->s, '/') != NULL || strchr(c->s, '\\') != NULL || c->s[0] == '.' ||
        strlen(c->s) > 100)
        return bn_fail(b->why, b->whylen, BN_EFORMAT, "%s:%d:%d: image \"%s\": a plain file name "
                       "is expected (no folder)", t->name, c->line, c->col, c->s);
    if (cJSON_IsString(dir))
        prov_path_join(b->dir, dir->valuestring, base, sizeof base);
    else
        prov_path_dir(t->name, base, sizeof base);
    snprintf(path, sizeof path, "%s/%s", base, c->s);
    if ((rc = prov_file_sha256(path, digest)) != 0)
        return bn_fail(b->why, b->whylen, BN_EFORMAT, "%s:%d:%d: image \"%s\" not found in %s",
                       t->name, c->line, c->col, c->s, base);
    hex_encode(digest, 32, hexd);
    snprintf(file, sizeof file, "images/%s", c->s);
    if ((img = cJSON_AddObjectToObject(proj, "image")) == NULL ||
        cJSON_AddStringToObject(img, "file", file) == NULL ||
        cJSON_AddStringToObject(img, "sha256", hexd) == NULL ||
        (bigger = realloc(b->out->images, (size_t)(b->out->n_images + 1) * sizeof *bigger)) == NULL)
        return bn_fail(b->why, b->whylen, BN_ENOMEM, "out of memory");
    b->out->images = bigger;
    bigger[b->out->n_images].src = strdup(path);
    bigger[b->out->n_images].file = strdup(file);
    if (bigger[b->out->n_images].src == NULL || bigger[b->out->n_images].file == NULL) {
        free(bigger[b->out->n_images].src);
        free(bigger[b->out->n_images].file);
        return bn_fail(b->why, b->whylen, BN_ENOMEM, "out of memory");
    }
    b->out->n_images++;
    return 0;
}

static int add_text(cJSON *proj, const char *key, bld_t *b, const prov_csv_t *t, int r,
                    const int *cols, const char *what)
{
    cJSON *o = cJSON_AddObjectToObject(proj, key);
    int l;

    if (o == NULL)
        return bn_fail(b->why, b->whylen, BN_ENOMEM, "out of memory");
    for (l = 0; l < b->n_langs; l++) {
        const prov_csv_cell_t *c = prov_csv_at(t, r, cols[l]);
        char *s = clean_text(c->s);

        if (s == NULL)
            return bn_fail(b->why, b->whylen, BN_ENOMEM, "out of memory");
        if (s[0] == '\0') {
            free(s);
            return bn_fail(b->why, b->whylen, BN_EFORMAT, "%s:%d:%d: the %s in '%s' is empty",
                           t->name, c->line, c->col, what, b->langs[l]);
        }
        if (cJSON_AddStringToObject(o, b->langs[l], s) == NULL) {
            free(s);
            return bn_fail(b->why, b->whylen, BN_ENOMEM, "out of memory");
        }
        free(s);
    }
    return 0;
}

/* The "ideas" cell of a project (borne-server publish-ideas writes it): the
 * references of the ideas it came from, separated by spaces, commas or
 * semicolons; empty: none. */
static int add_idea_refs(bld_t *b, const prov_csv_cell_t *cell, const char *path, cJSON *proj)
{
    const char *p = cell->s;
    cJSON *arr = NULL;
    int n = 0;

    while (*p) {
        char ref[PKG_IDEA_REF_LEN + 2];
        size_t len;

        p += strspn(p, " ,;");
        len = strcspn(p, " ,;");
        if (len == 0)
            break;
        if (len != PKG_IDEA_REF_LEN || strspn(p, "0123456789abcdef") < len)
            return bn_fail(b->why, b->whylen, BN_EFORMAT, "%s:%d:%d: ideas: \"%.*s\" is not an "
                           "idea reference (%d lowercase hex digits, as borne-server "
                           "publish-ideas writes them)", path, cell->line, cell->col,
                           (int)(len > 40 ? 40 : len), p, PKG_IDEA_REF_LEN);
        if (++n > PKG_IDEAS_PER_PROJECT)
            return bn_fail(b->why, b->whylen, BN_EFORMAT, "%s:%d:%d: ideas: more than %d",
                           path, cell->line, cell->col, PKG_IDEAS_PER_PROJECT);
        memcpy(ref, p, len);
        ref[len] = 0;
        if (arr == NULL && (arr = cJSON_AddArrayToObject(proj, "ideas")) == NULL)
            return bn_fail(b->why, b->whylen, BN_ENOMEM, "out of memory");
        cJSON_AddItemToArray(arr, cJSON_CreateString(ref));
        p += len;
    }
    return 0;
}

static int csv_projects(bld_t *b, cJSON *arr, int64_t *spent)
{
    static const char *const c_id[] = {"id", "identifiant", "code", "project_id", NULL},
                      *const c_terr[] = {"territory", "territoire", NULL},
                      *const c_cost[] = {"cost", "cout", "montant", "budget", "cout_eur",
                                         "cout_euros", "montant_eur", NULL},
                      *const c_img[] = {"image", "photo", "illustration", NULL},
                      *const c_ideas[] = {"ideas", "idees", "idea_ids", NULL};
    prov_csv_t *t = NULL;
    char path[4096];
    int ci, ct, cc, cim, cid, ctitle[PKG_LANG_MAX], csum[PKG_LANG_MAX], cdesc[PKG_LANG_MAX], r, q,
        rc;

    if ((rc = read_table(b, "projects", &t, path, sizeof path)) != 0)
        goto out;
    if ((rc = need_column(b, t, c_id, "the project's id", &ci)) != 0 ||
        (rc = need_column(b, t, c_terr, "the territory", &ct)) != 0 ||
        (rc = need_column(b, t, c_cost, "the cost", &cc)) != 0 ||
        (rc = text_columns(b, t, "title", "titre", "intitule", ctitle, "title")) != 0 ||
        (rc = text_columns(b, t, "summary", "resume", "chapeau", csum, "summary")) != 0 ||
        (rc = text_columns(b, t, "description", "description", "texte", cdesc,
                           "description")) != 0)
        goto out;
    cim = prov_csv_column(t, c_img);
    cid = prov_csv_column(t, c_ideas);
    if (t->n_rows == 0) {
        rc = bn_fail(b->why, b->whylen, BN_EFORMAT, "%s: no project below the header", path);
        goto out;
    }
    for (r = 0; r < t->n_rows; r++) {
        const prov_csv_cell_t *id = prov_csv_at(t, r, ci), *tc = prov_csv_at(t, r, ct),
                              *cost = prov_csv_at(t, r, cc);
        cJSON *proj = cJSON_CreateObject();
        char reason[256];
        int64_t euros;
        int terr;

        if (proj == NULL) {
            rc = bn_fail(b->why, b->whylen, BN_ENOMEM, "out of memory");
            goto out;
        }
        cJSON_AddItemToArray(arr, proj);
        if (!is_id(id->s)) {
            rc = bn_fail(b->why, b->whylen, BN_EFORMAT, "%s:%d:%d: project id \"%s\": 1 to %d "
                         "characters of a-z, 0-9 and '-', starting with a letter or digit", path,
                         id->line, id->col, id->s, PKG_ID_MAX);
            goto out;
        }
        for (q = 0; q < r; q++) {
            if (strcmp(prov_csv_at(t, q, ci)->s, id->s) == 0) {
                rc = bn_fail(b->why, b->whylen, BN_EFORMAT, "%s:%d:%d: project id \"%s\" is "
                             "already used on line %d", path, id->line, id->col, id->s,
                             prov_csv_at(t, q, ci)->line);
                goto out;
            }
        }
        if ((terr = find_terr(b, tc->s)) < 0) {
            rc = bad_terr(b, t, tc);
            goto out;
        }
        if (prov_parse_euros(cost->s, &euros, reason, sizeof reason) != 0) {
            rc = bn_fail(b->why, b->whylen, BN_EFORMAT, "%s:%d:%d: cost: %s", path, cost->line,
                         cost->col, reason);
            goto out;
        }
        if (euros <= 0) {
            rc = bn_fail(b->why, b->whylen, BN_EFORMAT, "%s:%d:%d: cost \"%s\" is zero", path,
                         cost->line, cost->col, cost->s);
            goto out;
        }
        spent[terr] += euros;
        if (cJSON_AddStringToObject(proj, "id", id->s) == NULL ||
            cJSON_AddStringToObject(proj, "territory", b->terr_id[terr]) == NULL ||
            cJSON_AddNumberToObject(proj, "cost", (double)euros) == NULL) {
            rc = bn_fail(b->why, b->whylen, BN_ENOMEM, "out of memory");
            goto out;
        }
        if ((rc = add_text(proj, "title", b, t, r, ctitle, "title")) != 0 ||
            (rc = add_text(proj, "summary", b, t, r, csum, "summary")) != 0 ||
            (rc = add_text(proj, "description", b, t, r, cdesc, "description")) != 0)
            goto out;
        if (cim >= 0 && prov_csv_at(t, r, cim)->s[0] != '\0' &&
            (rc = add_image(b, t, prov_csv_at(t, r, cim), proj)) != 0)
            goto out;
        if (cid >= 0 && (rc = add_idea_refs(b, prov_csv_at(t, r, cid), path, proj)) != 0)
            goto out;
    }
    rc = note(b, "%d projects from %s", t->n_rows, path);
out:
    prov_csv_free(t);
    return rc;
}

/* A Pabulib file's PROJECTS section (reusing an earlier edition): sources
 * "pabulib": {"file": "X.pb", "territory": "ID"}. Each project gets the id
 * "pb-" and its project_id, its name as title and summary in every
 * language, its description when the file has one, and its territory from
 * a "district" or "territory" column that names one of the campaign's, else
 * the one given. */
static int pb_projects(bld_t *b, cJSON *arr, int64_t *spent)
{
    static const char *const c_id[] = {"project_id", NULL}, *const c_cost[] = {"cost", NULL},
                      *const c_name[] = {"name", NULL},
                      *const c_desc[] = {"description", NULL},
                      *const c_terr[] = {"territory", "district", NULL};
    const cJSON *srcs = cJSON_GetObjectItemCaseSensitive(b->desc, "sources");
    const cJSON *pb = cJSON_GetObjectItemCaseSensitive(srcs, "pabulib");
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(pb, "file"),
                *dt = cJSON_GetObjectItemCaseSensitive(pb, "territory");
    prov_csv_t *t = NULL;
    uint8_t *text = NULL;
    char path[4096], *start, *end;
    size_t len;
    int ci, cc, cn, cd, ct, r, l, rc, deflt = -1, line0 = 1;

    if (!cJSON_IsString(f))
        return bn_fail(b->why, b->whylen, BN_EFORMAT, "%s: sources.pabulib: {\"file\": "
                       "\"X.pb\", \"territory\": \"ID\"} is expected", b->src);
    if (cJSON_IsString(dt) && (deflt = find_terr(b, dt->valuestring)) < 0)
        return bn_fail(b->why, b->whylen, BN_EFORMAT, "%s: sources.pabulib.territory: \"%s\" is "
                       "not one of the campaign's territories", b->src, dt->valuestring);
    prov_path_join(b->dir, f->valuestring, path, sizeof path);
    if ((rc = prov_file_read(path, 64u << 20, &text, &len)) != 0)
        return bn_fail(b->why, b->whylen, rc, "%s: cannot be read", path);
    /* the section between the lines PROJECTS and VOTES */
    start = strstr((char *)text, "\nPROJECTS");
    if (start == NULL || (start[9] != '\n' && start[9] != '\r')) {
        rc = bn_fail(b->why, b->whylen, BN_EFORMAT, "%s: no PROJECTS section (is it a Pabulib "
                     "file?)", path);
        goto out;
    }
    for (char *p = (char *)text; p <= start; p++)
        line0 += *p == '\n';
    start = strchr(start + 1, '\n') + 1;
    if ((end = strstr(start, "\nVOTES")) != NULL)
        end[1] = '\0';
    if ((rc = prov_csv_parse((const uint8_t *)start, strlen(start), path, &t, b->why,
                             b->whylen)) != 0)
        goto out;
    if ((rc = need_column(b, t, c_id, "project_id", &ci)) != 0 ||
        (rc = need_column(b, t, c_cost, "cost", &cc)) != 0 ||
        (rc = need_column(b, t, c_name, "name", &cn)) != 0)
        goto out;
    cd = prov_csv_column(t, c_desc);
    ct = prov_csv_column(t, c_terr);
    for (r = 0; r < t->n_rows; r++) {
        const prov_csv_cell_t *id = prov_csv_at(t, r, ci), *cost = prov_csv_at(t, r, cc),
                              *name = prov_csv_at(t, r, cn);
        cJSON *proj = cJSON_CreateObject(), *o;
        const char *texts[3];
        char pid[PKG_ID_MAX + 1], reason[256], *clean = NULL, *dclean = NULL;
        int64_t euros;
        int terr = ct >= 0 ? find_terr(b, prov_csv_at(t, r, ct)->s) : -1, k, q, n = 0;
        const cJSON *it;

        if (proj == NULL) {
            rc = bn_fail(b->why, b->whylen, BN_ENOMEM, "out of memory");
            goto out;
        }
        cJSON_AddItemToArray(arr, proj);
        n = snprintf(pid, sizeof pid, "pb-");
        for (k = 0; id->s[k] != '\0' && n < PKG_ID_MAX; k++) {
            char ch = id->s[k];
            ch = ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
            pid[n++] = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ? ch : '-';
        }
        pid[n] = '\0';
        cJSON_ArrayForEach(it, arr) {
            const cJSON *x = cJSON_GetObjectItemCaseSensitive(it, "id");
            if (it != proj && cJSON_IsString(x) && strcmp(x->valuestring, pid) == 0) {
                rc = bn_fail(b->why, b->whylen, BN_EFORMAT, "%s:%d:%d: project_id \"%s\" gives "
                             "the id %s, which another project has", path, id->line + line0,
                             id->col, id->s, pid);
                goto out;
            }
        }
        if (terr < 0)
            terr = deflt;
        if (terr < 0) {
            rc = bn_fail(b->why, b->whylen, BN_EFORMAT, "%s:%d: project %s has no territory of "
                         "the campaign: give sources.pabulib.territory", path, id->line + line0,
                         id->s);
            goto out;
        }
        if (prov_parse_euros(cost->s, &euros, reason, sizeof reason) != 0 || euros <= 0) {
            rc = bn_fail(b->why, b->whylen, BN_EFORMAT, "%s:%d:%d: cost: %s", path,
                         cost->line + line0, cost->col, euros <= 0 ? "zero" : reason);
            goto out;
        }
        spent[terr] += euros;
        clean = clean_text(name->s);
        dclean = cd >= 0 ? clean_text(prov_csv_at(t, r, cd)->s) : NULL;
        texts[0] = texts[1] = clean;
        texts[2] = dclean != NULL && dclean[0] != '\0' ? dclean : clean;
        rc = clean == NULL || clean[0] == '\0' ||
                     cJSON_AddStringToObject(proj, "id", pid) == NULL ||
                     cJSON_AddStringToObject(proj, "territory", b->terr_id[terr]) == NULL ||
                     cJSON_AddNumberToObject(proj, "cost", (double)euros) == NULL
                 ? BN_EFORMAT : 0;
        for (q = 0; rc == 0 && q < 3; q++) {
            static const char *const keys[3] = {"title", "summary", "description"};
            if ((o = cJSON_AddObjectToObject(proj, keys[q])) == NULL)
                rc = BN_ENOMEM;
            for (l = 0; rc == 0 && l < b->n_langs; l++)
                if (cJSON_AddStringToObject(o, b->langs[l], texts[q]) == NULL)
                    rc = BN_ENOMEM;
        }
        free(clean);
        free(dclean);
        if (rc != 0) {
            rc = bn_fail(b->why, b->whylen, rc, "%s:%d: project %s: no name", path,
                         id->line + line0, id->s);
            goto out;
        }
    }
    rc = note(b, "%d projects from %s (Pabulib; texts in its one language)", t->n_rows, path);
out:
    prov_csv_free(t);
    free(text);
    return rc;
}

static int add_projects(bld_t *b)
{
    const cJSON *srcs = cJSON_GetObjectItemCaseSensitive(b->desc, "sources");
    int has_csv = cJSON_GetObjectItemCaseSensitive(srcs, "projects") != NULL,
        has_pb = cJSON_GetObjectItemCaseSensitive(srcs, "pabulib") != NULL, rc = 0;
    int64_t *spent = calloc((size_t)b->n_terr, sizeof *spent);
    cJSON *arr = cJSON_AddArrayToObject(b->desc, "projects");

    if (spent == NULL || arr == NULL) {
        free(spent);
        return bn_fail(b->why, b->whylen, BN_ENOMEM, "out of memory");
    }
    if (!has_csv && !has_pb)
        rc = bn_fail(b->why, b->whylen, BN_EFORMAT, "%s: sources: a budget vote needs its "
                     "projects (\"projects\": a spreadsheet, or \"pabulib\": an earlier "
                     "edition)", b->src);
    if (rc == 0 && has_csv)
        rc = csv_projects(b, arr, spent);
    if (rc == 0 && has_pb)
        rc = pb_projects(b, arr, spent);
    if (rc != 0)
        goto out;
    /* a territory whose projects together cost less than its minimum spend:
     * no ballot could be valid there */
    {
        const cJSON *rule = cJSON_GetObjectItemCaseSensitive(b->desc, "rule");
        const cJSON *pct = cJSON_GetObjectItemCaseSensitive(rule, "min_spend_percent");
        int x;

        for (x = 0; cJSON_IsNumber(pct) && x < b->n_terr; x++) {
            const cJSON *env = cJSON_GetObjectItemCaseSensitive(b->terr[x], "envelope");
            int64_t need;

            if (!cJSON_IsNumber(env))
                continue;
            need = ((int64_t)env->valuedouble * (int64_t)pct->valuedouble + 99) / 100;
            if (spent[x] < need) {
                rc = bn_fail(b->why, b->whylen, BN_ERANGE, "%s: territory %s: its projects "
                             "cost %lld EUR in all, less than the minimum spend of %d%% of its "
                             "envelope (%lld EUR): no ballot there could be valid", b->src,
                             b->terr_id[x], (long long)spent[x], pct->valueint,
                             (long long)need);
                goto out;
            }
        }
    }
    rc = 0;
out:
    free(spent);
    return rc;
}

/* --- the build ---------------------------------------------------------------------- */

void prov_build_free(prov_build_t *b)
{
    int i;

    if (b == NULL)
        return;
    free(b->json);
    pkg_free(b->pkg);
    for (i = 0; i < b->n_images; i++) {
        free(b->images[i].src);
        free(b->images[i].file);
    }
    free(b->images);
    for (i = 0; i < b->n_notes; i++)
        free(b->notes[i]);
    free(b->notes);
    free(b);
}

/* (PROV-C1) Every commune in one territory (read_territories), every
 * project checked with its place (add_projects), then the package's own
 * checks; cJSON's text goes through pkg_canonical, so that the same sources
 * give the same bytes. */
int prov_campaign_build(const char *src, prov_build_t **out, char *why, size_t whylen)
{
    bld_t b;
    char *text = NULL, inner[768];
    int rc, i;

    *out = NULL;
    memset(&b, 0, sizeof b);
    b.src = src;
    b.why = why;
    b.whylen = whylen;
    prov_path_dir(src, b.dir, sizeof b.dir);
    if ((b.out = calloc(1, sizeof *b.out)) == NULL) {
        rc = bn_fail(why, whylen, BN_ENOMEM, "out of memory");
        goto out;
    }
    if ((rc = read_description(&b)) != 0 || (rc = read_communes(&b)) != 0 ||
        (rc = read_territories(&b)) != 0 || (rc = add_places(&b)) != 0)
        goto out;
    if (b.is_budget)
        if ((rc = add_projects(&b)) != 0)
            goto out;
    cJSON_DeleteItemFromObjectCaseSensitive(b.desc, "sources");
    cJSON_ReplaceItemInObjectCaseSensitive(b.desc, "format", cJSON_CreateString("borne-campaign/1"));
    if ((text = cJSON_PrintUnformatted(b.desc)) == NULL) {
        rc = bn_fail(why, whylen, BN_ENOMEM, "out of memory");
        goto out;
    }
    /* the package's own checks: dates in order, rule, texts in every
     * language...; said with the description's name */
    inner[0] = '\0';
    if ((rc = pkg_canonical(text, strlen(text), &b.out->json, &b.out->len, inner,
                            sizeof inner)) != 0 ||
        (rc = pkg_parse(b.out->json, b.out->len, &b.out->pkg, inner, sizeof inner)) != 0) {
        rc = bn_fail(why, whylen, rc, "%s: %s", src, inner);
        goto out;
    }
    *out = b.out;
    b.out = NULL;
out:
    free(text);
    cJSON_Delete(b.desc);
    for (i = 0; i < b.n_communes; i++)
        free(b.communes[i].name);
    free(b.communes);
    prov_build_free(b.out);
    return rc;
}

int prov_campaign_copy_images(const prov_build_t *b, const char *dir, char *why, size_t whylen)
{
    char path[8192];
    int i, rc;

    if (b->n_images == 0)
        return 0;
    snprintf(path, sizeof path, "%s/images", dir);
    if (mkdir(path, 0755) != 0 && errno != EEXIST)
        return bn_fail(why, whylen, BN_EIO, "%s: cannot be made", path);
    for (i = 0; i < b->n_images; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, b->images[i].file);
        if ((rc = prov_file_copy(b->images[i].src, path, 0644)) != 0)
            return bn_fail(why, whylen, rc, "%s: cannot be copied to %s", b->images[i].src, path);
    }
    return 0;
}

/* --- show ---------------------------------------------------------------------------- */

/* 1234567 -> "1 234 567" */
static const char *euros(int64_t v, char *buf)
{
    char digits[32];
    int n = snprintf(digits, sizeof digits, "%lld", (long long)v), i, o = 0;

    for (i = 0; i < n; i++) {
        if (i > 0 && digits[i - 1] != '-' && (n - i) % 3 == 0)
            buf[o++] = ' ';
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
    return buf;
}

static const char *counting_name(pkg_counting_t c)
{
    return c == PKG_COUNT_MES ? "equalshares" : c == PKG_COUNT_MES_ADD1 ? "equalshares/add1"
                                                                        : "greedy";
}

static int show_json(const pkg_t *p, FILE *f)
{
    cJSON *root = cJSON_CreateObject(), *arr, *o;
    char d1[11], d2[11], d3[11], d4[11], dig[65], *s = NULL;
    int t, i, rc = BN_ENOMEM;

    if (root == NULL)
        return BN_ENOMEM;
    day_format(p->valid_from, d1);
    day_format(p->valid_until, d2);
    day_format(p->opens, d3);
    day_format(p->closes, d4);
    hex_encode(p->digest, 32, dig);
    cJSON_AddStringToObject(root, "id", p->id);
    cJSON_AddStringToObject(root, "kind", pkg_kind_name(p->kind));
    cJSON_AddStringToObject(root, "departement", p->departement);
    cJSON_AddStringToObject(root, "title", p->title.s[0]);
    cJSON_AddStringToObject(root, "valid_from", d1);
    cJSON_AddStringToObject(root, "valid_until", d2);
    cJSON_AddStringToObject(root, "opens", d3);
    cJSON_AddStringToObject(root, "closes", d4);
    cJSON_AddNumberToObject(root, "min_age", p->min_age);
    cJSON_AddStringToObject(root, "digest", dig);
    if (p->kind == PKG_BUDGET) {
        cJSON_AddStringToObject(root, "counting", counting_name(p->counting));
        cJSON_AddNumberToObject(root, "rule_min", p->rule.min);
        cJSON_AddNumberToObject(root, "rule_max", p->rule.max);
        cJSON_AddNumberToObject(root, "min_spend_percent", p->rule.min_spend_percent);
    } else if (p->kind == PKG_QUESTIONNAIRE) {
        cJSON_AddNumberToObject(root, "questions", p->questionnaire.n);
    } else if (p->kind == PKG_IDEAS) {
        cJSON_AddNumberToObject(root, "themes", p->ideas.n_themes);
        cJSON_AddNumberToObject(root, "reasons", p->ideas.n_reasons);
        cJSON_AddNumberToObject(root, "max_per_person", p->ideas.max_per_person);
        cJSON_AddBoolToObject(root, "contact", p->ideas.contact && p->ideas.has_controller);
        cJSON_AddBoolToObject(root, "place", p->ideas.place);
    } else {
        cJSON_AddNumberToObject(root, "threshold", p->petition.threshold);
        cJSON_AddNumberToObject(root, "min_cantons", p->petition.min_cantons);
    }
    if ((arr = cJSON_AddArrayToObject(root, "territories")) == NULL)
        goto out;
    for (t = 0; t < p->n_territories; t++) {
        int64_t total = 0;
        int np = 0, nc = 0;

        for (i = 0; i < p->n_projects; i++)
            if (p->projects[i].territory == t)
                total += p->projects[i].cost, np++;
        for (i = 0; i < p->n_communes; i++)
            nc += p->communes[i].territory == t;
        if ((o = cJSON_CreateObject()) == NULL)
            goto out;
        cJSON_AddItemToArray(arr, o);
        cJSON_AddStringToObject(o, "id", p->territories[t].id);
        cJSON_AddStringToObject(o, "name", p->territories[t].name.s[0]);
        cJSON_AddNumberToObject(o, "envelope", (double)p->territories[t].envelope);
        cJSON_AddNumberToObject(o, "projects", np);
        cJSON_AddNumberToObject(o, "projects_cost", (double)total);
        cJSON_AddNumberToObject(o, "communes", nc);
    }
    if ((arr = cJSON_AddArrayToObject(root, "cantons")) == NULL)
        goto out;
    for (t = 0; t < p->n_cantons; t++) {
        int nc = 0;

        for (i = 0; i < p->n_communes; i++)
            nc += p->communes[i].canton == t;
        if ((o = cJSON_CreateObject()) == NULL)
            goto out;
        cJSON_AddItemToArray(arr, o);
        cJSON_AddStringToObject(o, "id", p->cantons[t].id);
        cJSON_AddStringToObject(o, "name", p->cantons[t].name);
        cJSON_AddNumberToObject(o, "communes", nc);
    }
    if ((s = cJSON_Print(root)) == NULL)
        goto out;
    rc = fprintf(f, "%s\n", s) < 0 ? BN_EIO : 0;
out:
    free(s);
    cJSON_Delete(root);
    return rc;
}

int prov_campaign_show(const pkg_t *p, int json, FILE *f)
{
    char d1[11], d2[11], dig[65], e1[32], e2[32];
    int t, i, k;

    if (json)
        return show_json(p, f);
    hex_encode(p->digest, 32, dig);
    fprintf(f, "campaign   %s (%s), d\xc3\xa9partement %s, languages", p->id,
            p->kind == PKG_BUDGET     ? "participatory budget"
            : p->kind == PKG_PETITION ? "petition"
            : p->kind == PKG_IDEAS    ? "call for ideas"
                                      : "questionnaire",
            p->departement);
    for (i = 0; i < p->n_langs; i++)
        fprintf(f, "%s%s", i ? ", " : " ", p->langs[i]);
    fprintf(f, "\ntitle      %s\n", p->title.s[0]);
    day_format(p->valid_from, d1);
    day_format(p->valid_until, d2);
    fprintf(f, "package    valid from %s to %s\n", d1, d2);
    day_format(p->opens, d1);
    day_format(p->closes, d2);
    fprintf(f, "polls      open from %s to %s; %s\n", d1, d2,
            p->online_only ? "no casting while the server cannot be reached"
                           : "casting allowed while the server cannot be reached");
    fprintf(f, "who        residents of the %d communes, aged %d or more%s\n", p->n_communes,
            p->min_age, p->supervised ? "; identity checked at the town hall's desk, "
                                        "single-use voting codes" : "");
    if (p->kind == PKG_BUDGET) {
        fprintf(f, "ballot     %d to %d projects of the voter's territory", p->rule.min,
                p->rule.max);
        if (p->rule.knapsack)
            fprintf(f, ", costing no more than its envelope");
        if (p->rule.min_spend_percent > 0)
            fprintf(f, " and at least %d%% of it", p->rule.min_spend_percent);
        fprintf(f, "\ncounting   %s\n", counting_name(p->counting));
    } else if (p->kind == PKG_QUESTIONNAIRE) {
        fprintf(f, "questions  %d (each may be left unanswered)\n", p->questionnaire.n);
    } else if (p->kind == PKG_IDEAS) {
        fprintf(f, "ideas      up to %d a person, %d themes, %d reasons to refuse; a place %s, "
                "a contact %s\n", p->ideas.max_per_person, p->ideas.n_themes,
                p->ideas.n_reasons, p->ideas.place ? "asked" : "not asked",
                p->ideas.contact && p->ideas.has_controller ? "asked (sealed to the data "
                                                              "controller)" : "not asked");
    } else {
        fprintf(f, "threshold  %d signatures from at least %d cantons\n", p->petition.threshold,
                p->petition.min_cantons);
    }
    fprintf(f, "digest     %.16s %.16s\n           %.16s %.16s\n", dig, dig + 16, dig + 32,
            dig + 48);
    for (t = 0; t < p->n_territories; t++) {
        int64_t total = 0;
        int np = 0, nc = 0, nk = 0;

        for (i = 0; i < p->n_projects; i++)
            if (p->projects[i].territory == t)
                total += p->projects[i].cost, np++;
        for (i = 0; i < p->n_communes; i++)
            nc += p->communes[i].territory == t;
        for (k = 0; k < p->n_cantons; k++) {
            for (i = 0; i < p->n_communes; i++)
                if (p->communes[i].canton == k && p->communes[i].territory == t)
                    break;
            nk += i < p->n_communes;
        }
        fprintf(f, "\nterritory  %s: %s\n", p->territories[t].id, p->territories[t].name.s[0]);
        fprintf(f, "           %d communes in %d cantons\n", nc, nk);
        if (p->kind != PKG_BUDGET)
            continue;
        fprintf(f, "           envelope %s EUR; %d projects costing %s EUR in all\n",
                euros(p->territories[t].envelope, e1), np, euros(total, e2));
        for (i = 0; i < p->n_projects; i++)
            if (p->projects[i].territory == t)
                fprintf(f, "           %-16s %11s EUR  %s\n", p->projects[i].id,
                        euros(p->projects[i].cost, e1), p->projects[i].title.s[0]);
    }
    fprintf(f, "\ncantons    %d\n", p->n_cantons);
    for (k = 0; k < p->n_cantons; k++) {
        int nc = 0, first = 1;

        for (i = 0; i < p->n_communes; i++)
            nc += p->communes[i].canton == k;
        fprintf(f, "           %-6s %s: %d commune%s", p->cantons[k].id, p->cantons[k].name, nc,
                nc > 1 ? "s" : "");
        if (p->cantons[k].territory >= 0) {
            fprintf(f, ", territory %s\n", p->territories[p->cantons[k].territory].id);
            continue;
        }
        for (t = 0; t < p->n_territories; t++) {
            int n = 0;

            for (i = 0; i < p->n_communes; i++)
                n += p->communes[i].canton == k && p->communes[i].territory == t;
            if (n > 0)
                fprintf(f, "%s%s %d", first ? ", across territories: " : ", ",
                        p->territories[t].id, n);
            first = first && n == 0;
        }
        fputc('\n', f);
    }
    return ferror(f) ? BN_EIO : 0;
}
