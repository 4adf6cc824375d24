/* srv_ideas.c - moderation and publication of a call for ideas (srv_ideas.h).
 *
 * Reads and writes the store through srv_store.h only; the package (themes,
 * territories, reasons, limit) through srv_campaign_pkg. */
#include "srv_ideas.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "bn_err.h"
#include "day.h"
#include "hex.h"
#include "idea.h"
#include "key.h"
#include "pkg.h"

/* --- shared ------------------------------------------------------------------ */

static void ref_of(const uint8_t id[16], char ref[PKG_IDEA_REF_LEN + 1])
{
    hex_encode(id, PKG_IDEA_REF_LEN / 2, ref);
    ref[PKG_IDEA_REF_LEN] = 0;
}

static const char *label_words(const pkg_t *p, const pkg_label_t *v, int n, const char *id,
                               int lang)
{
    int i;

    for (i = 0; p != NULL && i < n; i++)
        if (strcmp(v[i].id, id) == 0)
            return v[i].name.s[lang] ? v[i].name.s[lang] : v[i].name.s[0];
    return id;
}

static const char *terr_words(const pkg_t *p, const char *id, int lang)
{
    int t = p != NULL ? pkg_find_territory(p, id) : -1;

    if (t < 0)
        return id;
    return p->territories[t].name.s[lang] ? p->territories[t].name.s[lang]
                                           : p->territories[t].name.s[0];
}

/* The record of a row, decoded and its kiosk signature checked. */
static int open_row(const srv_idea_row_t *r, idea_t *d, char *why, size_t whylen)
{
    key_pub_t k;
    char ref[PKG_IDEA_REF_LEN + 1], inner[160] = "";
    int rc;

    ref_of(r->id, ref);
    if ((rc = idea_decode(r->record, r->len, d, inner, sizeof inner)) != 0)
        return bn_fail(why, whylen, rc, "idea %s: the record held does not decode: %s", ref,
                       inner);
    if (r->kiosk_pub == NULL || key_pub_from_point(r->kiosk_pub, &k) != 0)
        return bn_fail(why, whylen, BN_EKEY, "idea %s: its kiosk's key is not held", ref);
    if ((rc = idea_verify(r->record, r->len, &k)) != 0)
        return bn_fail(why, whylen, BN_EBADSIG, "idea %s: the kiosk's signature does not "
                       "verify (%s): the store was altered", ref, bn_strerror(rc));
    return 0;
}

/* --- moderation ----------------------------------------------------------------- */

typedef struct mod_s {
    srv_t *srv;
    FILE *out, *err;
    int n, bad;
    char why[512];
} mod_t;

static void put_time(FILE *f, int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    char b[32];

    gmtime_r(&tt, &tm);
    strftime(b, sizeof b, "%Y-%m-%d %H:%M:%S UTC", &tm);
    fputs(b, f);
}

static int list_row(void *arg, const srv_idea_row_t *r)
{
    mod_t *m = arg;
    idea_t *d = malloc(sizeof *d);
    char ref[PKG_IDEA_REF_LEN + 1], day[DAY_TEXT_LEN + 1];

    if (d == NULL)
        return BN_ENOMEM;
    ref_of(r->id, ref);
    if (open_row(r, d, m->why, sizeof m->why) != 0) {
        fprintf(m->err, "borne-server: moderate: %s\n", m->why);
        m->bad++;
    } else {
        day_format(d->day, day);
        fprintf(m->out, "%-12s  %-8s  %-10s  %-16s  %-16s  %s\n", ref, r->status, day,
                d->territory, d->theme, d->title);
        m->n++;
    }
    free(d);
    return 0;
}

static int hist_row(void *arg, const srv_mod_row_t *r)
{
    mod_t *m = arg;
    char into[PKG_IDEA_REF_LEN + 1], ref[PKG_IDEA_REF_LEN + 1];

    ref_of(r->idea, ref);
    fprintf(m->out, "  #%lld  ", (long long)r->seq);
    put_time(m->out, r->time);
    fprintf(m->out, "  %s  by %s: %s", ref, r->moderator, r->status);
    if (r->reason[0])
        fprintf(m->out, " (%s: %s)", r->reason,
                srv_reason_words(m->srv, r->campaign, r->reason, "fr"));
    if (r->into != NULL) {
        ref_of(r->into, into);
        fprintf(m->out, " into %s", into);
    }
    if (r->comment[0])
        fprintf(m->out, " - \"%s\"", r->comment);
    fputc('\n', m->out);
    m->n++;
    return 0;
}

static int show_row(void *arg, const srv_idea_row_t *r)
{
    mod_t *m = arg;
    const pkg_t *p = srv_campaign_pkg(m->srv, r->campaign);
    idea_t *d = malloc(sizeof *d);
    char ref[PKG_IDEA_REF_LEN + 1], day[DAY_TEXT_LEN + 1], kid[17];
    const char *line;
    int rc;

    if (d == NULL)
        return BN_ENOMEM;
    ref_of(r->id, ref);
    if ((rc = open_row(r, d, m->why, sizeof m->why)) != 0) {
        free(d);
        return rc;
    }
    day_format(d->day, day);
    hex_encode(r->kiosk, 8, kid);
    fprintf(m->out, "idea %s of %s, proposed on %s at kiosk %s... (signature verified)\n", ref,
            r->campaign, day, kid);
    fprintf(m->out, "status: %s", r->status);
    if (r->reason[0])
        fprintf(m->out, " (%s: %s)", r->reason,
                srv_reason_words(m->srv, r->campaign, r->reason, "fr"));
    if (r->merged_into != NULL) {
        char into[PKG_IDEA_REF_LEN + 1];

        ref_of(r->merged_into, into);
        fprintf(m->out, " into %s", into);
    }
    fprintf(m->out, "\ntracking code: %s\n", r->track);
    fprintf(m->out, "territory: %s (%s)\n", d->territory, terr_words(p, d->territory, 0));
    fprintf(m->out, "theme: %s (%s)\n", d->theme,
            p ? label_words(p, p->ideas.themes, p->ideas.n_themes, d->theme, 0) : d->theme);
    fprintf(m->out, "title: %s\n", d->title);
    if (d->place[0])
        fprintf(m->out, "place: %s\n", d->place);
    fprintf(m->out, "description:\n");
    for (line = d->description; *line;) {
        size_t n = strcspn(line, "\n");

        fprintf(m->out, "  %.*s\n", (int)n, line);
        line += n + (line[n] == '\n');
    }
    /* (IDEA-I1) the contact stays sealed: the server cannot read it */
    fprintf(m->out, "contact: %s\n", d->has_contact ? "given, sealed to the data controller "
            "(only its key opens it: borne-admin ideas contacts)" : "none");
    free(d);
    fprintf(m->out, "decisions: %lld\n", (long long)r->decisions);
    return 0;
}

static int find_ref(mod_t *m, const char *ref, uint8_t id[16])
{
    int rc = srv_store_idea_find(srv_store(m->srv), ref, id);

    if (rc == BN_EINVAL)
        fprintf(m->err, "borne-server: moderate: \"%s\" is not an idea reference (4 to 32 hex "
                "digits, as `moderate list` shows them)\n", ref);
    else if (rc == BN_ENOTFOUND)
        fprintf(m->err, "borne-server: moderate: no idea %s is held\n", ref);
    else if (rc == BN_EEXISTS)
        fprintf(m->err, "borne-server: moderate: %s names more than one idea: give more "
                "digits\n", ref);
    else if (rc != 0)
        fprintf(m->err, "borne-server: moderate: %s\n", bn_strerror(rc));
    return rc;
}

typedef struct cur_s {
    char campaign[PKG_ID_MAX + 1];
    char status[16];
} cur_t;

static int cur_row(void *arg, const srv_idea_row_t *r)
{
    cur_t *c = arg;

    snprintf(c->campaign, sizeof c->campaign, "%s", r->campaign);
    snprintf(c->status, sizeof c->status, "%s", r->status);
    return 0;
}

static int mod_usage(FILE *err)
{
    fprintf(err,
            "usage: borne-server moderate [--dir DIR] list [--campaign ID] [--status STATUS|all]\n"
            "       borne-server moderate [--dir DIR] show REF\n"
            "       borne-server moderate [--dir DIR] accept REF --as NAME [--comment TEXT]\n"
            "       borne-server moderate [--dir DIR] reject REF --reason ID --as NAME "
            "[--comment TEXT]\n"
            "       borne-server moderate [--dir DIR] merge REF --into REF --as NAME "
            "[--comment TEXT]\n"
            "       borne-server moderate [--dir DIR] reopen REF --as NAME [--comment TEXT]\n"
            "       borne-server moderate [--dir DIR] log [--campaign ID]\n"
            "REF: an idea's reference as `list` shows it (at least 4 of its hex digits).\n"
            "NAME: who decides (or $BORNE_MODERATOR); every decision is logged with it.\n");
    return 2;
}

int srv_moderate(srv_t *srv, int argc, char **argv, FILE *out, FILE *err)
{
    const char *sub, *campaign = NULL, *status = SRV_IDEA_PENDING, *as = NULL,
                     *reason = NULL, *comment = NULL, *into_ref = NULL, *ref = NULL;
    uint8_t id[16], into[16];
    mod_t m;
    cur_t cur;
    int i, rc;

    memset(&m, 0, sizeof m);
    m.srv = srv;
    m.out = out;
    m.err = err;
    if (argc < 1)
        return mod_usage(err);
    sub = argv[0];
    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

        if (strcmp(a, "--campaign") == 0 && v)
            campaign = v, i++;
        else if (strcmp(a, "--status") == 0 && v)
            status = strcmp(v, "all") == 0 ? NULL : v, i++;
        else if (strcmp(a, "--as") == 0 && v)
            as = v, i++;
        else if (strcmp(a, "--reason") == 0 && v)
            reason = v, i++;
        else if (strcmp(a, "--comment") == 0 && v)
            comment = v, i++;
        else if (strcmp(a, "--into") == 0 && v)
            into_ref = v, i++;
        else if (a[0] != '-' && ref == NULL)
            ref = a;
        else
            return mod_usage(err);
    }
    if (as == NULL)
        as = getenv("BORNE_MODERATOR");
    if (strcmp(sub, "list") == 0) {
        if (ref != NULL)
            return mod_usage(err);
        if (status != NULL && strcmp(status, SRV_IDEA_PENDING) != 0 &&
            strcmp(status, SRV_IDEA_ACCEPTED) != 0 && strcmp(status, SRV_IDEA_REJECTED) != 0 &&
            strcmp(status, SRV_IDEA_MERGED) != 0) {
            fprintf(err, "borne-server: moderate list: --status %s: pending, accepted, rejected, "
                    "merged or all\n", status);
            return 2;
        }
        fprintf(out, "%-12s  %-8s  %-10s  %-16s  %-16s  %s\n", "REF", "STATUS", "PROPOSED",
                "TERRITORY", "THEME", "TITLE");
        rc = srv_store_idea_each(srv_store(srv), campaign, status, list_row, &m);
        if (rc != 0)
            return fprintf(err, "borne-server: moderate list: %s\n", bn_strerror(rc)), 1;
        fprintf(out, "%d idea(s)%s%s\n", m.n, status ? " " : "", status ? status : "");
        return m.bad > 0;
    }
    if (strcmp(sub, "log") == 0) {
        uint8_t head[32];
        char hh[65];
        int64_t n = 0;

        if (ref != NULL)
            return mod_usage(err);
        rc = srv_store_moderation_each(srv_store(srv), campaign, NULL, hist_row, &m);
        if (rc == 0)
            rc = srv_store_moderation_verify(srv_store(srv), head, &n, m.why, sizeof m.why);
        if (rc != 0)
            return fprintf(err, "borne-server: moderate log: %s: %s\n", bn_strerror(rc), m.why),
                   1;
        hex_encode(head, 32, hh);
        fprintf(out, "moderation log: %lld decision(s), chain verified, head %s\n",
                (long long)n, hh);
        return 0;
    }
    if (ref == NULL)
        return mod_usage(err);
    if (find_ref(&m, ref, id) != 0)
        return 1;
    if (strcmp(sub, "show") == 0) {
        rc = srv_store_idea_get(srv_store(srv), id, show_row, &m);
        if (rc == 0) {
            fprintf(out, "history:\n");
            rc = srv_store_moderation_each(srv_store(srv), NULL, id, hist_row, &m);
        }
        if (rc != 0)
            return fprintf(err, "borne-server: moderate show: %s\n", m.why[0] ? m.why
                           : bn_strerror(rc)), 1;
        return 0;
    }
    {
        srv_decision_t d;
        const pkg_t *p;
        int64_t seq = 0;
        char r12[PKG_IDEA_REF_LEN + 1];

        memset(&d, 0, sizeof d);
        if (strcmp(sub, "accept") == 0)
            d.status = SRV_IDEA_ACCEPTED;
        else if (strcmp(sub, "reject") == 0)
            d.status = SRV_IDEA_REJECTED;
        else if (strcmp(sub, "merge") == 0)
            d.status = SRV_IDEA_MERGED;
        else if (strcmp(sub, "reopen") == 0)
            d.status = SRV_IDEA_PENDING;
        else
            return mod_usage(err);
        if (as == NULL || as[0] == 0) {
            fprintf(err, "borne-server: moderate %s: who decides? --as NAME (or "
                    "$BORNE_MODERATOR): every decision is logged with its moderator\n", sub);
            return 2;
        }
        if ((reason != NULL) != (strcmp(sub, "reject") == 0) ||
            (into_ref != NULL) != (strcmp(sub, "merge") == 0))
            return mod_usage(err);
        if (srv_store_idea_get(srv_store(srv), id, cur_row, &cur) != 0)
            return fprintf(err, "borne-server: moderate: the idea is not held\n"), 1;
        p = srv_campaign_pkg(srv, cur.campaign);
        if (reason != NULL) {
            int k, ok = 0;

            for (k = 0; p != NULL && k < p->ideas.n_reasons; k++)
                ok |= strcmp(p->ideas.reasons[k].id, reason) == 0;
            if (!ok) {
                fprintf(err, "borne-server: moderate reject: --reason %s is not one of the "
                        "reasons of campaign %s:", reason, cur.campaign);
                for (k = 0; p != NULL && k < p->ideas.n_reasons; k++)
                    fprintf(err, " %s (%s)", p->ideas.reasons[k].id,
                            p->ideas.reasons[k].name.s[0]);
                fputc('\n', err);
                return 1;
            }
        }
        if (into_ref != NULL && find_ref(&m, into_ref, into) != 0)
            return 1;
        d.id = id;
        d.reason = reason;
        d.comment = comment;
        d.into = into_ref != NULL ? into : NULL;
        d.moderator = as;
        d.now = (int64_t)time(NULL);
        rc = srv_store_idea_decide(srv_store(srv), &d, &seq, m.why, sizeof m.why);
        ref_of(id, r12);
        if (rc != 0)
            return fprintf(err, "borne-server: moderate %s %s: %s\n", sub, r12, m.why[0] ? m.why
                           : bn_strerror(rc)), 1;
        fprintf(out, "idea %s: %s%s%s (decision #%lld by %s%s%s)\n", r12, d.status,
                reason ? ", " : "", reason ? reason : "", (long long)seq, as,
                strcmp(cur.status, SRV_IDEA_PENDING) != 0 ? ", revising " : "",
                strcmp(cur.status, SRV_IDEA_PENDING) != 0 ? cur.status : "");
        return 0;
    }
}

/* --- publication ------------------------------------------------------------------ */

typedef struct pub_idea_s {
    char ref[PKG_IDEA_REF_LEN + 1];
    uint8_t id[16];
    idea_t *d;
    char merged[PKG_IDEAS_PER_PROJECT][PKG_IDEA_REF_LEN + 1];
    int n_merged;
} pub_idea_t;

typedef struct pub_s {
    const pkg_t *p;
    pub_idea_t *v;
    int n, cap, rc;
    char *why;
    size_t whylen;
} pub_t;

static int pub_accepted(void *arg, const srv_idea_row_t *r)
{
    pub_t *b = arg;
    pub_idea_t *x;
    int rc;

    if (b->n == b->cap) {
        int cap = b->cap ? 2 * b->cap : 64;
        pub_idea_t *g = realloc(b->v, (size_t)cap * sizeof *g);

        if (g == NULL)
            return BN_ENOMEM;
        b->v = g;
        b->cap = cap;
    }
    x = &b->v[b->n];
    memset(x, 0, sizeof *x);
    if ((x->d = malloc(sizeof *x->d)) == NULL)
        return BN_ENOMEM;
    b->n++;
    memcpy(x->id, r->id, 16);
    ref_of(r->id, x->ref);
    rc = open_row(r, x->d, b->why, b->whylen);
    return rc;
}

static int pub_merged(void *arg, const srv_idea_row_t *r)
{
    pub_t *b = arg;
    int i;

    if (r->merged_into == NULL)
        return 0;
    for (i = 0; i < b->n; i++)
        if (memcmp(b->v[i].id, r->merged_into, 16) == 0 &&
            b->v[i].n_merged < PKG_IDEAS_PER_PROJECT - 1)
            ref_of(r->id, b->v[i].merged[b->v[i].n_merged++]);
    return 0;
}

/* Territory, then theme (in the package's order), then title: the order
 * every published file gives. */
static const pkg_t *sort_pkg;

static int pkg_index(const pkg_t *p, const char *terr, const char *theme)
{
    int t = pkg_find_territory(p, terr), k;

    for (k = 0; k < p->ideas.n_themes; k++)
        if (strcmp(p->ideas.themes[k].id, theme) == 0)
            break;
    return t * 64 + k;
}

static int by_place(const void *a, const void *b)
{
    const pub_idea_t *x = a, *y = b;
    int i = pkg_index(sort_pkg, x->d->territory, x->d->theme),
        j = pkg_index(sort_pkg, y->d->territory, y->d->theme);

    if (i != j)
        return i < j ? -1 : 1;
    i = strcmp(x->d->title, y->d->title);
    return i != 0 ? i : strcmp(x->ref, y->ref);
}

/* Written whole under a temporary name, then renamed. */
static int write_file(const char *dir, const char *name, const char *text, size_t len,
                      char *why, size_t whylen)
{
    char path[4096], tmp[4200];
    FILE *f;
    int ok;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    if ((f = fopen(tmp, "wb")) == NULL)
        return bn_fail(why, whylen, BN_EIO, "%s: %s", tmp, strerror(errno));
    ok = fwrite(text, 1, len, f) == len;
    ok &= fflush(f) == 0;
    ok &= fclose(f) == 0;
    if (!ok || rename(tmp, path) != 0) {
        remove(tmp);
        return bn_fail(why, whylen, BN_EIO, "%s: cannot write", path);
    }
    return 0;
}

/* A growing text. */
typedef struct buf_s {
    char *s;
    size_t n, cap;
    int oom;
} buf_t;

static void bput(buf_t *b, const char *t, size_t n)
{
    if (b->oom)
        return;
    if (b->n + n + 1 > b->cap) {
        size_t cap = (b->cap ? b->cap : 4096) * 2;
        char *g;

        while (cap < b->n + n + 1)
            cap *= 2;
        if ((g = realloc(b->s, cap)) == NULL) {
            b->oom = 1;
            return;
        }
        b->s = g;
        b->cap = cap;
    }
    memcpy(b->s + b->n, t, n);
    b->n += n;
    b->s[b->n] = 0;
}

static void bstr(buf_t *b, const char *t)
{
    bput(b, t, strlen(t));
}

static void bhtml(buf_t *b, const char *t)
{
    for (; *t; t++) {
        switch (*t) {
        case '<': bstr(b, "&lt;"); break;
        case '>': bstr(b, "&gt;"); break;
        case '&': bstr(b, "&amp;"); break;
        case '"': bstr(b, "&quot;"); break;
        case '\n': bstr(b, "<br>"); break;
        default: bput(b, t, 1);
        }
    }
}

/* A CSV field, quoted when it must be (';' separated). */
static void bcsv(buf_t *b, const char *t)
{
    if (strpbrk(t, ";\"\n\r") == NULL) {
        bstr(b, t);
        return;
    }
    bput(b, "\"", 1);
    for (; *t; t++) {
        if (*t == '"')
            bput(b, "\"", 1);
        bput(b, t, 1);
    }
    bput(b, "\"", 1);
}

static const char *const words[2][9] = {
    {"fr", "Idées retenues", "idée(s) retenue(s)", "Territoire", "Thème", "Lieu",
     "Idées regroupées", "Toutes les idées", "Aucune idée retenue ici."},
    {"en", "Ideas kept", "idea(s) kept", "Territory", "Theme", "Place", "Ideas grouped",
     "Every idea", "No idea kept here."}};

/* One page: the ideas of territory `terr` (NULL: all) and theme `theme`
 * (NULL: all), by territory then theme. */
static void html_page(buf_t *b, const pub_t *pb, const char *terr, const char *theme, int en)
{
    const pkg_t *p = pb->p;
    int l = pkg_lang(p, en ? "en" : "fr"), i, n = 0, t, k;
    const char *last_t = "", *last_k = "";
    char num[32];

    for (i = 0; i < pb->n; i++)
        n += (terr == NULL || strcmp(pb->v[i].d->territory, terr) == 0) &&
             (theme == NULL || strcmp(pb->v[i].d->theme, theme) == 0);
    bstr(b, "<!DOCTYPE html>\n<html lang=\"");
    bstr(b, words[en][0]);
    bstr(b, "\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
            "content=\"width=device-width\">\n<title>");
    bhtml(b, p->title.s[l] ? p->title.s[l] : p->title.s[0]);
    bstr(b, "</title>\n<style>body{font-family:DejaVu Sans,Arial,sans-serif;max-width:60em;"
            "margin:1em auto;padding:0 1em;color:#1a1a1a;line-height:1.45}h1{font-size:1.6em}"
            "h2{border-bottom:2px solid #2a5d8f;color:#2a5d8f;margin-top:2em}h3{color:#444}"
            "article{border:1px solid #ccc;border-radius:6px;padding:.6em 1em;margin:.8em 0}"
            "article h4{margin:.2em 0;font-size:1.15em}.ref,.meta{color:#555;font-size:.9em}"
            "nav a{margin-right:1em}</style></head>\n<body>\n<h1>");
    bhtml(b, p->title.s[l] ? p->title.s[l] : p->title.s[0]);
    bstr(b, "</h1>\n<p>");
    snprintf(num, sizeof num, "%d ", n);
    bstr(b, num);
    bstr(b, words[en][2]);
    if (terr != NULL) {
        bstr(b, " — ");
        bstr(b, words[en][3]);
        bstr(b, " : ");
        bhtml(b, terr_words(p, terr, l));
    }
    if (theme != NULL) {
        bstr(b, " — ");
        bstr(b, words[en][4]);
        bstr(b, " : ");
        bhtml(b, label_words(p, p->ideas.themes, p->ideas.n_themes, theme, l));
    }
    bstr(b, "</p>\n<nav><a href=\"index.html\">");
    bstr(b, words[en][7]);
    bstr(b, "</a>");
    for (t = 0; t < p->n_territories; t++) {
        bstr(b, "<a href=\"territory-");
        bhtml(b, p->territories[t].id);
        bstr(b, ".html\">");
        bhtml(b, terr_words(p, p->territories[t].id, l));
        bstr(b, "</a>");
    }
    for (k = 0; k < p->ideas.n_themes; k++) {
        bstr(b, "<a href=\"theme-");
        bhtml(b, p->ideas.themes[k].id);
        bstr(b, ".html\">");
        bhtml(b, label_words(p, p->ideas.themes, p->ideas.n_themes, p->ideas.themes[k].id, l));
        bstr(b, "</a>");
    }
    bstr(b, "</nav>\n");
    if (n == 0) {
        bstr(b, "<p>");
        bstr(b, words[en][8]);
        bstr(b, "</p>\n");
    }
    for (i = 0; i < pb->n; i++) {
        const pub_idea_t *x = &pb->v[i];
        int j;

        if ((terr != NULL && strcmp(x->d->territory, terr) != 0) ||
            (theme != NULL && strcmp(x->d->theme, theme) != 0))
            continue;
        if (strcmp(last_t, x->d->territory) != 0) {
            bstr(b, "<h2>");
            bhtml(b, terr_words(p, x->d->territory, l));
            bstr(b, "</h2>\n");
            last_t = x->d->territory;
            last_k = "";
        }
        if (strcmp(last_k, x->d->theme) != 0) {
            bstr(b, "<h3>");
            bhtml(b, label_words(p, p->ideas.themes, p->ideas.n_themes, x->d->theme, l));
            bstr(b, "</h3>\n");
            last_k = x->d->theme;
        }
        bstr(b, "<article id=\"");
        bstr(b, x->ref);
        bstr(b, "\"><h4>");
        bhtml(b, x->d->title);
        bstr(b, "</h4>\n<p>");
        bhtml(b, x->d->description);
        bstr(b, "</p>\n");
        if (x->d->place[0]) {
            bstr(b, "<p class=\"meta\">");
            bstr(b, words[en][5]);
            bstr(b, en ? ": " : " : ");
            bhtml(b, x->d->place);
            bstr(b, "</p>\n");
        }
        bstr(b, "<p class=\"ref\">");
        bstr(b, x->ref);
        if (x->n_merged > 0) {
            bstr(b, " — ");
            bstr(b, words[en][6]);
            bstr(b, en ? ": " : " : ");
            for (j = 0; j < x->n_merged; j++) {
                bstr(b, j ? ", " : "");
                bstr(b, x->merged[j]);
            }
        }
        bstr(b, "</p></article>\n");
    }
    bstr(b, "</body></html>\n");
}

/* The summary a project line starts with: the description's first line,
 * cut at a word before 200 bytes. */
static void summary_of(const char *desc, char *out, size_t cap)
{
    size_t n = strcspn(desc, "\n");

    if (n >= cap)
        n = cap - 1;
    if (n > 200) {
        n = 200;
        while (n > 0 && desc[n] != ' ')
            n--;
        if (n == 0)
            n = 200;
        while (n > 0 && ((unsigned char)desc[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(out, desc, n);
    out[n] = 0;
}

int srv_publish_ideas(srv_t *srv, const char *campaign, const char *out_dir, int *np, char *why,
                      size_t whylen)
{
    pub_t pb;
    buf_t b = {NULL, 0, 0, 0};
    cJSON *root = NULL, *arr;
    char *json = NULL, name[PKG_ID_MAX + 32];
    const pkg_t *p = srv_campaign_pkg(srv, campaign);
    int rc, i, l, t, en;

    memset(&pb, 0, sizeof pb);
    pb.why = why;
    pb.whylen = whylen;
    if (p == NULL)
        return bn_fail(why, whylen, BN_ENOTFOUND, "campaign %s is not served here (no %s.bpkg "
                       "in the server's folder)", campaign, campaign);
    if (p->kind != PKG_IDEAS)
        return bn_fail(why, whylen, BN_EKIND, "campaign %s is a %s campaign, not a call for "
                       "ideas", campaign, pkg_kind_name(p->kind));
    if (mkdir(out_dir, 0755) != 0 && errno != EEXIST)
        return bn_fail(why, whylen, BN_EIO, "%s: %s", out_dir, strerror(errno));
    pb.p = p;
    if ((rc = srv_store_idea_each(srv_store(srv), campaign, SRV_IDEA_ACCEPTED, pub_accepted,
                                  &pb)) != 0 ||
        (rc = srv_store_idea_each(srv_store(srv), campaign, SRV_IDEA_MERGED, pub_merged, &pb)) !=
            0)
        goto out;
    sort_pkg = p;
    if (pb.n > 1)
        qsort(pb.v, (size_t)pb.n, sizeof *pb.v, by_place);
    l = 0;
    /* ideas.json */
    if ((root = cJSON_CreateObject()) == NULL)
        goto oom;
    cJSON_AddStringToObject(root, "campaign", p->id);
    cJSON_AddStringToObject(root, "title", p->title.s[0]);
    cJSON_AddNumberToObject(root, "accepted", pb.n);
    if ((arr = cJSON_AddArrayToObject(root, "ideas")) == NULL)
        goto oom;
    for (i = 0; i < pb.n; i++) {
        const pub_idea_t *x = &pb.v[i];
        cJSON *o = cJSON_CreateObject(), *m;
        int j;

        if (o == NULL)
            goto oom;
        cJSON_AddItemToArray(arr, o);
        cJSON_AddStringToObject(o, "ref", x->ref);
        cJSON_AddStringToObject(o, "territory", x->d->territory);
        cJSON_AddStringToObject(o, "territory_name", terr_words(p, x->d->territory, l));
        cJSON_AddStringToObject(o, "theme", x->d->theme);
        cJSON_AddStringToObject(o, "theme_name", label_words(p, p->ideas.themes,
                                                             p->ideas.n_themes, x->d->theme, l));
        cJSON_AddStringToObject(o, "title", x->d->title);
        cJSON_AddStringToObject(o, "description", x->d->description);
        if (x->d->place[0])
            cJSON_AddStringToObject(o, "place", x->d->place);
        if ((m = cJSON_AddArrayToObject(o, "merged")) == NULL)
            goto oom;
        for (j = 0; j < x->n_merged; j++)
            cJSON_AddItemToArray(m, cJSON_CreateString(x->merged[j]));
    }
    if ((json = cJSON_Print(root)) == NULL)
        goto oom;
    if ((rc = write_file(out_dir, "ideas.json", json, strlen(json), why, whylen)) != 0)
        goto out;
    /* ideas.csv */
    bstr(&b, "ref;territory;theme;title;description;place;merged\r\n");
    for (i = 0; i < pb.n; i++) {
        const pub_idea_t *x = &pb.v[i];
        int j;

        bcsv(&b, x->ref);
        bstr(&b, ";");
        bcsv(&b, x->d->territory);
        bstr(&b, ";");
        bcsv(&b, x->d->theme);
        bstr(&b, ";");
        bcsv(&b, x->d->title);
        bstr(&b, ";");
        bcsv(&b, x->d->description);
        bstr(&b, ";");
        bcsv(&b, x->d->place);
        bstr(&b, ";");
        for (j = 0; j < x->n_merged; j++) {
            bstr(&b, j ? " " : "");
            bstr(&b, x->merged[j]);
        }
        bstr(&b, "\r\n");
    }
    if (b.oom)
        goto oom;
    if ((rc = write_file(out_dir, "ideas.csv", b.s, b.n, why, whylen)) != 0)
        goto out;
    /* projects.csv: the columns borne-admin campaign build reads */
    b.n = 0;
    bstr(&b, "id;territory;cost;theme");
    for (l = 0; l < p->n_langs; l++) {
        static const char *const cols[3] = {"title", "summary", "description"};
        int c;

        for (c = 0; c < 3; c++) {
            bstr(&b, ";");
            bstr(&b, cols[c]);
            bstr(&b, "_");
            bstr(&b, p->langs[l]);
        }
    }
    bstr(&b, ";ideas\r\n");
    for (i = 0; i < pb.n; i++) {
        const pub_idea_t *x = &pb.v[i];
        char sum[IDEA_TEXT_BYTES + 1];
        int j;

        summary_of(x->d->description, sum, sizeof sum);
        bstr(&b, "i-"); /* 14 characters: a project id has at most 16 */
        bstr(&b, x->ref);
        bstr(&b, ";");
        bcsv(&b, x->d->territory);
        bstr(&b, ";;");
        bcsv(&b, x->d->theme);
        for (l = 0; l < p->n_langs; l++) {
            bstr(&b, ";");
            bcsv(&b, x->d->title);
            bstr(&b, ";");
            bcsv(&b, sum);
            bstr(&b, ";");
            bcsv(&b, x->d->description);
        }
        bstr(&b, ";");
        bstr(&b, x->ref);
        for (j = 0; j < x->n_merged; j++) {
            bstr(&b, " ");
            bstr(&b, x->merged[j]);
        }
        bstr(&b, "\r\n");
    }
    if (b.oom)
        goto oom;
    if ((rc = write_file(out_dir, "projects.csv", b.s, b.n, why, whylen)) != 0)
        goto out;
    /* the pages, in the package's first language */
    en = strcmp(p->langs[0], "en") == 0;
    b.n = 0;
    html_page(&b, &pb, NULL, NULL, en);
    if (b.oom)
        goto oom;
    if ((rc = write_file(out_dir, "index.html", b.s, b.n, why, whylen)) != 0)
        goto out;
    for (t = 0; t < p->n_territories + p->ideas.n_themes; t++) {
        int is_t = t < p->n_territories;
        const char *id = is_t ? p->territories[t].id : p->ideas.themes[t - p->n_territories].id;

        b.n = 0;
        html_page(&b, &pb, is_t ? id : NULL, is_t ? NULL : id, en);
        if (b.oom)
            goto oom;
        snprintf(name, sizeof name, "%s-%s.html", is_t ? "territory" : "theme", id);
        if ((rc = write_file(out_dir, name, b.s, b.n, why, whylen)) != 0)
            goto out;
    }
    if (np != NULL)
        *np = pb.n;
    rc = 0;
    goto out;
oom:
    rc = bn_fail(why, whylen, BN_ENOMEM, "out of memory");
out:
    for (i = 0; i < pb.n; i++)
        free(pb.v[i].d);
    free(pb.v);
    free(b.s);
    cJSON_free(json);
    cJSON_Delete(root);
    return rc;
}
