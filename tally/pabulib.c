/* pabulib.c - a strict reader of Pabulib (.pb) files. */
#include "pabulib.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bn_err.h"

/* ---- a string -> int map (open addressing, FNV-1a) ------------------------ */

typedef struct smap_s {
    char **keys;      /* owned copies, NULL = empty slot */
    int *vals;
    size_t cap, n;
} smap_t;

static uint64_t fnv(const char *s)
{
    uint64_t h = 1469598103934665603ULL;

    for (; *s != '\0'; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static void smap_free(smap_t *m)
{
    size_t i;

    if (m->keys != NULL)
        for (i = 0; i < m->cap; i++)
            free(m->keys[i]);
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof(*m));
}

static int smap_get(const smap_t *m, const char *k)
{
    size_t i;

    if (m->cap == 0)
        return -1;
    for (i = fnv(k) & (m->cap - 1); m->keys[i] != NULL; i = (i + 1) & (m->cap - 1))
        if (strcmp(m->keys[i], k) == 0)
            return m->vals[i];
    return -1;
}

/* Inserts k -> v; 1 when k was already there (nothing changed), 0, or BN_ENOMEM. */
static int smap_put(smap_t *m, const char *k, int v)
{
    size_t i, j, len;

    if (smap_get(m, k) >= 0)
        return 1;
    if ((m->n + 1) * 2 > m->cap) {
        smap_t g;

        g.cap = m->cap == 0 ? 64 : m->cap * 2;
        g.n = m->n;
        g.keys = calloc(g.cap, sizeof(char *));
        g.vals = calloc(g.cap, sizeof(int));
        if (g.keys == NULL || g.vals == NULL) {
            free(g.keys);
            free(g.vals);
            return BN_ENOMEM;
        }
        for (j = 0; j < m->cap; j++) {
            if (m->keys[j] == NULL)
                continue;
            for (i = fnv(m->keys[j]) & (g.cap - 1); g.keys[i] != NULL; i = (i + 1) & (g.cap - 1))
                ;
            g.keys[i] = m->keys[j];
            g.vals[i] = m->vals[j];
        }
        free(m->keys);
        free(m->vals);
        *m = g;
    }
    for (i = fnv(k) & (m->cap - 1); m->keys[i] != NULL; i = (i + 1) & (m->cap - 1))
        ;
    len = strlen(k) + 1;
    if ((m->keys[i] = malloc(len)) == NULL)
        return BN_ENOMEM;
    memcpy(m->keys[i], k, len);
    m->vals[i] = v;
    m->n++;
    return 0;
}

/* ---- records: ';'-separated fields, quotes, CRLF -------------------------- */

typedef struct reader_s {
    const char *buf;
    size_t len, pos;
    long line;            /* line of the next byte */
    const char *name;
    char *scratch;        /* the fields of the current record, NUL-separated */
    size_t scap;
    size_t *fld;          /* offsets of fields in scratch */
    int nfld, fcap;
    long rec_line;        /* first line of the current record */
    char *why;
    size_t whylen;
} reader_t;

static int rd_fail(reader_t *r, long line, int code, const char *what, const char *arg)
{
    if (arg != NULL)
        return bn_fail(r->why, r->whylen, code, "%s:%ld: %s '%.80s'", r->name, line, what, arg);
    return bn_fail(r->why, r->whylen, code, "%s:%ld: %s", r->name, line, what);
}

static int sc_put(reader_t *r, size_t *n, char c)
{
    if (*n >= PB_MAX_RECORD)
        return rd_fail(r, r->rec_line, BN_ETOOBIG, "record longer than 1 MiB", NULL);
    if (*n + 1 >= r->scap) {
        size_t cap = r->scap == 0 ? 256 : r->scap * 2;
        char *p = realloc(r->scratch, cap);

        if (p == NULL)
            return BN_ENOMEM;
        r->scratch = p;
        r->scap = cap;
    }
    r->scratch[(*n)++] = c;
    return 0;
}

static int fld_start(reader_t *r, size_t at)
{
    if (r->nfld == r->fcap) {
        int cap = r->fcap == 0 ? 16 : r->fcap * 2;
        size_t *p;

        if (cap > 100000)
            return rd_fail(r, r->rec_line, BN_ETOOBIG, "more than 100000 fields", NULL);
        if ((p = realloc(r->fld, (size_t)cap * sizeof(size_t))) == NULL)
            return BN_ENOMEM;
        r->fld = p;
        r->fcap = cap;
    }
    r->fld[r->nfld++] = at;
    return 0;
}

static const char *F(const reader_t *r, int i)
{
    return r->scratch + r->fld[i];
}

/* Reads the next non-blank record: 1 when one was read, 0 at end, or an error. */
static int rd_next(reader_t *r)
{
    size_t n;
    int rc, quoted;
    char c;

    for (;;) {
        if (r->pos >= r->len)
            return 0;
        r->rec_line = r->line;
        r->nfld = 0;
        n = 0;
        if ((rc = fld_start(r, 0)) != 0)
            return rc;
        quoted = 0;
        /* state: 0 = start of field, 1 = in unquoted field, 2 = in quotes, 3 = after closing quote */
        for (;;) {
            if (r->pos >= r->len) {
                if (quoted == 2)
                    return rd_fail(r, r->rec_line, BN_EFORMAT, "quoted field not closed", NULL);
                break;
            }
            c = r->buf[r->pos++];
            if (c == '\0')
                return rd_fail(r, r->line, BN_EFORMAT, "NUL byte", NULL);
            if (quoted == 2) {
                if (c == '"') {
                    if (r->pos < r->len && r->buf[r->pos] == '"') {
                        r->pos++;
                        if ((rc = sc_put(r, &n, '"')) != 0)
                            return rc;
                    } else {
                        quoted = 3;
                    }
                    continue;
                }
                if (c == '\n')
                    r->line++;
                if ((rc = sc_put(r, &n, c)) != 0)
                    return rc;
                continue;
            }
            if (c == '\r' && r->pos < r->len && r->buf[r->pos] == '\n')
                continue; /* CRLF: the LF ends the record */
            if (c == '\n') {
                r->line++;
                break;
            }
            if (c == ';') {
                if ((rc = sc_put(r, &n, '\0')) != 0 || (rc = fld_start(r, n)) != 0)
                    return rc;
                quoted = 0;
                continue;
            }
            if (quoted == 3)
                return rd_fail(r, r->rec_line, BN_EFORMAT, "text after a closing quote", NULL);
            if (c == '"' && quoted == 0 && n == r->fld[r->nfld - 1]) {
                quoted = 2;
                continue;
            }
            quoted = 1;
            if ((rc = sc_put(r, &n, c)) != 0)
                return rc;
        }
        if ((rc = sc_put(r, &n, '\0')) != 0)
            return rc;
        if (r->nfld == 1 && quoted == 0) {
            const char *s = F(r, 0);

            while (*s == ' ' || *s == '\t' || *s == '\r')
                s++;
            if (*s == '\0')
                continue; /* blank line */
        }
        return 1;
    }
}

/* Trims ASCII blanks in place (fields live in the scratch buffer). */
static char *trim(char *s)
{
    size_t n;

    while (*s == ' ' || *s == '\t')
        s++;
    n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

static char *FT(reader_t *r, int i)
{
    return trim(r->scratch + r->fld[i]);
}

/* A non-negative integer, optionally written with a zero fraction ("1000.0"). */
static int parse_amount(reader_t *r, const char *field, const char *s, int64_t max, int64_t *out)
{
    int64_t v = 0;
    const char *p = s;

    if (*p == '\0')
        return bn_fail(r->why, r->whylen, BN_EFORMAT, "%s:%ld: %s: empty", r->name, r->rec_line, field);
    for (; *p >= '0' && *p <= '9'; p++) {
        if (v > (max - (*p - '0')) / 10)
            return bn_fail(r->why, r->whylen, BN_ETOOBIG, "%s:%ld: %s: '%.40s' is above %lld",
                           r->name, r->rec_line, field, s, (long long)max);
        v = v * 10 + (*p - '0');
    }
    if (p == s)
        goto bad;
    if (*p == '.') {
        p++;
        if (*p == '\0')
            goto bad;
        while (*p == '0')
            p++;
        if (*p >= '1' && *p <= '9')
            return bn_fail(r->why, r->whylen, BN_EFORMAT, "%s:%ld: %s: '%.40s' is not a whole amount",
                           r->name, r->rec_line, field, s);
    }
    if (*p != '\0')
        goto bad;
    *out = v;
    return 0;
bad:
    return bn_fail(r->why, r->whylen, BN_EFORMAT, "%s:%ld: %s: '%.40s' is not an integer",
                   r->name, r->rec_line, field, s);
}

/* ---- the model ------------------------------------------------------------ */

void pb_free(pb_t *pb)
{
    int i;

    if (pb == NULL)
        return;
    for (i = 0; i < pb->n_projects; i++)
        free(pb->projects[i].id);
    free(pb->projects);
    free(pb->rule);
    free(pb->vote_off);
    free(pb->vote_items);
    free(pb->vote_points);
    free(pb);
}

int pb_find(const pb_t *pb, const char *id)
{
    int i;

    for (i = 0; i < pb->n_projects; i++)
        if (strcmp(pb->projects[i].id, id) == 0)
            return i;
    return -1;
}

static int all_numeric(const pb_t *pb)
{
    int i;
    const char *s;

    for (i = 0; i < pb->n_projects; i++) {
        s = pb->projects[i].id;
        if (*s == '\0')
            return 0;
        for (; *s != '\0'; s++)
            if (*s < '0' || *s > '9')
                return 0;
    }
    return 1;
}

static int cmp_numeric(const char *a, const char *b)
{
    size_t la, lb;

    while (*a == '0' && a[1] != '\0')
        a++;
    while (*b == '0' && b[1] != '\0')
        b++;
    la = strlen(a);
    lb = strlen(b);
    if (la != lb)
        return la < lb ? -1 : 1;
    return strcmp(a, b);
}

static int cmp_ids(const pb_t *pb, int num, int x, int y)
{
    const char *a = pb->projects[x].id, *b = pb->projects[y].id;
    int c = num ? cmp_numeric(a, b) : 0;

    return c != 0 ? c : strcmp(a, b);
}

/* Merge sort with the model as context (qsort has none; this stays reentrant). */
static void msort(const pb_t *pb, int num, int *v, int *tmp, int n)
{
    int h = n / 2, i = 0, j = h, k = 0;

    if (n < 2)
        return;
    msort(pb, num, v, tmp, h);
    msort(pb, num, v + h, tmp, n - h);
    while (i < h && j < n)
        tmp[k++] = cmp_ids(pb, num, v[j], v[i]) < 0 ? v[j++] : v[i++];
    while (i < h)
        tmp[k++] = v[i++];
    while (j < n)
        tmp[k++] = v[j++];
    memcpy(v, tmp, (size_t)n * sizeof(int));
}

void pb_sort_ids(const pb_t *pb, int *idx, int n)
{
    int num = all_numeric(pb), *tmp = malloc(((size_t)n + 1) * sizeof(int)), i, j, t;

    if (tmp != NULL) {
        msort(pb, num, idx, tmp, n);
        free(tmp);
        return;
    }
    for (i = 1; i < n; i++) {          /* no memory: insertion sort */
        t = idx[i];
        for (j = i; j > 0 && cmp_ids(pb, num, t, idx[j - 1]) < 0; j--)
            idx[j] = idx[j - 1];
        idx[j] = t;
    }
}

void pb_id_ranks(const pb_t *pb, int *rank)
{
    int i, *idx = malloc(((size_t)pb->n_projects + 1) * sizeof(int));

    if (idx == NULL) { /* fall back to file order */
        for (i = 0; i < pb->n_projects; i++)
            rank[i] = i;
        return;
    }
    for (i = 0; i < pb->n_projects; i++)
        idx[i] = i;
    pb_sort_ids(pb, idx, pb->n_projects);
    for (i = 0; i < pb->n_projects; i++)
        rank[idx[i]] = i;
    free(idx);
}

/* ---- sections ------------------------------------------------------------- */

enum { SEC_NONE, SEC_META, SEC_PROJECTS, SEC_VOTES };

typedef struct parse_s {
    reader_t r;
    pb_t *pb;
    smap_t pmap, vmap, meta;
    int pcap, icap, vcap;
    int c_id, c_cost, c_votes, c_sel, c_need;   /* PROJECTS columns */
    int c_vid, c_vote, c_points;                /* VOTES columns */
    int c_key, c_val;                           /* META columns */
    int have_budget;
    int *ballot;                                /* scratch, n_projects */
    int64_t *pts;                               /* scratch, n_projects */
    unsigned char *seen;                        /* scratch, n_projects */
} parse_t;

static int find_col(reader_t *r, const char *name)
{
    int i;

    for (i = 0; i < r->nfld; i++)
        if (strcmp(FT(r, i), name) == 0)
            return i;
    return -1;
}

static int header(parse_t *ps, int sec)
{
    reader_t *r = &ps->r;
    int i, j;

    for (i = 0; i < r->nfld; i++)
        for (j = 0; j < i; j++)
            if (F(r, i)[0] != '\0' && strcmp(F(r, i), F(r, j)) == 0)
                return rd_fail(r, r->rec_line, BN_EFORMAT, "column named twice:", F(r, i));
    if (sec == SEC_META) {
        ps->c_key = find_col(r, "key");
        ps->c_val = find_col(r, "value");
        if (ps->c_key < 0 || ps->c_val < 0)
            return rd_fail(r, r->rec_line, BN_EFORMAT, "META header needs columns 'key' and 'value'", NULL);
    } else if (sec == SEC_PROJECTS) {
        ps->c_id = find_col(r, "project_id");
        ps->c_cost = find_col(r, "cost");
        ps->c_votes = find_col(r, "votes");
        ps->c_sel = find_col(r, "selected");
        if (ps->c_id < 0 || ps->c_cost < 0)
            return rd_fail(r, r->rec_line, BN_EFORMAT,
                           "PROJECTS header needs columns 'project_id' and 'cost'", NULL);
        ps->c_need = ps->c_id > ps->c_cost ? ps->c_id : ps->c_cost;
        if (ps->c_votes > ps->c_need)
            ps->c_need = ps->c_votes;
        if (ps->c_sel > ps->c_need)
            ps->c_need = ps->c_sel;
    } else {
        ps->c_vid = find_col(r, "voter_id");
        ps->c_vote = find_col(r, "vote");
        ps->c_points = find_col(r, "points");
        if (ps->c_vid < 0 || ps->c_vote < 0)
            return rd_fail(r, r->rec_line, BN_EFORMAT, "VOTES header needs columns 'voter_id' and 'vote'", NULL);
        if (ps->c_points < 0 && (ps->pb->vote_type == PB_CUMULATIVE || ps->pb->vote_type == PB_SCORING))
            return bn_fail(r->why, r->whylen, BN_EFORMAT, "%s:%ld: vote_type %s needs a 'points' column",
                           r->name, r->rec_line, pb_vote_type_name(ps->pb->vote_type));
    }
    return 0;
}

static int meta_int(parse_t *ps, const char *key, const char *v, int64_t max, int64_t *out)
{
    return parse_amount(&ps->r, key, v, max, out);
}

static int meta_row(parse_t *ps)
{
    reader_t *r = &ps->r;
    pb_t *pb = ps->pb;
    const char *k, *v;
    int64_t x;
    int rc, need = ps->c_key > ps->c_val ? ps->c_key : ps->c_val;

    if (r->nfld <= need)
        return rd_fail(r, r->rec_line, BN_EFORMAT, "META row has too few fields", NULL);
    k = FT(r, ps->c_key);
    v = FT(r, ps->c_val);
    if ((rc = smap_put(&ps->meta, k, 0)) < 0)
        return rc;
    if (rc == 1)
        return rd_fail(r, r->rec_line, BN_EFORMAT, "META key given twice:", k);
    if (strcmp(k, "budget") == 0) {
        if ((rc = meta_int(ps, "budget", v, PB_MAX_BUDGET, &pb->budget)) != 0)
            return rc;
        ps->have_budget = 1;
    } else if (strcmp(k, "vote_type") == 0) {
        static const pb_vote_type_t all[] = {PB_APPROVAL, PB_CHOOSE1, PB_CUMULATIVE, PB_SCORING,
                                             PB_ORDINAL};
        size_t i;
        for (i = 0; i < sizeof all / sizeof all[0]; i++)
            if (strcmp(v, pb_vote_type_name(all[i])) == 0)
                break;
        if (i == sizeof all / sizeof all[0])
            return bn_fail(r->why, r->whylen, BN_EFORMAT,
                           "%s:%ld: vote_type '%.40s' is not one of approval, choose-1, cumulative, "
                           "scoring, ordinal", r->name, r->rec_line, v);
        pb->vote_type = all[i];
    } else if (strcmp(k, "max_sum_points") == 0) {
        if ((rc = meta_int(ps, k, v, 1LL << 39, &pb->max_sum_points)) != 0)
            return rc;
    } else if (strcmp(k, "min_project_score_threshold") == 0) {
        if ((rc = meta_int(ps, k, v, 1LL << 60, &pb->threshold)) != 0)
            return rc;
    } else if (strcmp(k, "rule") == 0) {
        if ((pb->rule = malloc(strlen(v) + 1)) == NULL)
            return BN_ENOMEM;
        strcpy(pb->rule, v);
    } else if (strcmp(k, "min_length") == 0 || strcmp(k, "max_length") == 0) {
        if ((rc = meta_int(ps, k, v, PB_MAX_PROJECTS, &x)) != 0)
            return rc;
        if (k[1] == 'i')
            pb->min_length = (int)x;
        else
            pb->max_length = (int)x;
    }
    return 0;
}

static int project_row(parse_t *ps)
{
    reader_t *r = &ps->r;
    pb_t *pb = ps->pb;
    pb_project_t *p;
    const char *id;
    int rc;
    size_t len;

    if (r->nfld <= ps->c_need)
        return rd_fail(r, r->rec_line, BN_EFORMAT, "PROJECTS row has too few fields", NULL);
    id = FT(r, ps->c_id);
    len = strlen(id);
    if (len == 0)
        return rd_fail(r, r->rec_line, BN_EFORMAT, "empty project_id", NULL);
    if (len > PB_MAX_ID)
        return rd_fail(r, r->rec_line, BN_ETOOBIG, "project_id longer than 256 bytes", NULL);
    if (strchr(id, ',') != NULL)
        return rd_fail(r, r->rec_line, BN_EFORMAT, "project_id contains a comma:", id);
    if (pb->n_projects >= PB_MAX_PROJECTS)
        return rd_fail(r, r->rec_line, BN_ETOOBIG, "more than 10000 projects", NULL);
    if ((rc = smap_put(&ps->pmap, id, pb->n_projects)) < 0)
        return rc;
    if (rc == 1)
        return rd_fail(r, r->rec_line, BN_EFORMAT, "duplicate project_id", id);
    if (pb->n_projects == ps->pcap) {
        int cap = ps->pcap == 0 ? 32 : ps->pcap * 2;
        pb_project_t *np = realloc(pb->projects, (size_t)cap * sizeof(*np));

        if (np == NULL)
            return BN_ENOMEM;
        pb->projects = np;
        ps->pcap = cap;
    }
    p = &pb->projects[pb->n_projects];
    memset(p, 0, sizeof(*p));
    if ((p->id = malloc(len + 1)) == NULL)
        return BN_ENOMEM;
    memcpy(p->id, id, len + 1);
    pb->n_projects++;
    p->votes_col = -1;
    p->selected = -1;
    if ((rc = parse_amount(r, "cost", FT(r, ps->c_cost), PB_MAX_COST, &p->cost)) != 0)
        return rc;
    if (p->cost == 0)
        return rd_fail(r, r->rec_line, BN_EFORMAT, "cost of project is zero:", id);
    if (ps->c_votes >= 0 && (rc = parse_amount(r, "votes", FT(r, ps->c_votes), PB_MAX_VOTERS * 10LL,
                                               &p->votes_col)) != 0)
        return rc;
    if (ps->c_sel >= 0) {
        int64_t s;

        if ((rc = parse_amount(r, "selected", FT(r, ps->c_sel), 1000, &s)) != 0)
            return rc;
        p->selected = (int)s;
    }
    return 0;
}

const char *pb_vote_type_name(pb_vote_type_t t)
{
    switch (t) {
    case PB_APPROVAL: return "approval";
    case PB_CHOOSE1: return "choose-1";
    case PB_CUMULATIVE: return "cumulative";
    case PB_SCORING: return "scoring";
    case PB_ORDINAL: return "ordinal";
    }
    return "?";
}

/* The points of the k projects of ps->ballot (in the vote's order) into
 * ps->pts: 1 each (approval, choose-1), the points column, or by position
 * (ordinal without one). */
static int vote_points(parse_t *ps, int k)
{
    reader_t *r = &ps->r;
    pb_t *pb = ps->pb;
    char *s, *tok, *next;
    int64_t sum = 0;
    int i, n = 0, rc;

    if (pb->vote_type == PB_APPROVAL || pb->vote_type == PB_CHOOSE1) {
        for (i = 0; i < k; i++)
            ps->pts[i] = 1;
        return 0;
    }
    if (ps->c_points < 0) { /* ordinal: by position */
        int L = pb->max_length >= 0 ? pb->max_length : k;
        for (i = 0; i < k; i++)
            ps->pts[i] = L - i > 0 ? L - i : 0;
        return 0;
    }
    s = FT(r, ps->c_points);
    if (*s != '\0')
        for (tok = s;; tok = next) {
            next = strchr(tok, ',');
            if (next != NULL)
                *next++ = '\0';
            tok = trim(tok);
            if (n < k) {
                if ((rc = parse_amount(r, "points", tok, 1LL << 39, &ps->pts[n])) != 0)
                    return rc;
                sum += ps->pts[n];
            }
            n++;
            if (next == NULL)
                break;
        }
    if (n != k)
        return bn_fail(r->why, r->whylen, BN_EFORMAT, "%s:%ld: %d projects in vote and %d points",
                       r->name, r->rec_line, k, n);
    if (pb->vote_type == PB_CUMULATIVE && pb->max_sum_points >= 0 && sum > pb->max_sum_points)
        return bn_fail(r->why, r->whylen, BN_EFORMAT, "%s:%ld: %lld points, above max_sum_points %lld",
                       r->name, r->rec_line, (long long)sum, (long long)pb->max_sum_points);
    return 0;
}

/* Sorts ps->ballot[0..k) ascending, ps->pts with it (insertion: k is small). */
static void sort_ballot(parse_t *ps, int k)
{
    int i, j;

    for (i = 1; i < k; i++) {
        int b = ps->ballot[i];
        int64_t q = ps->pts[i];
        for (j = i; j > 0 && ps->ballot[j - 1] > b; j--) {
            ps->ballot[j] = ps->ballot[j - 1];
            ps->pts[j] = ps->pts[j - 1];
        }
        ps->ballot[j] = b;
        ps->pts[j] = q;
    }
}

static int vote_row(parse_t *ps)
{
    reader_t *r = &ps->r;
    pb_t *pb = ps->pb;
    const char *vid;
    char *s, *tok, *next;
    int rc, k = 0, i, need = ps->c_vid > ps->c_vote ? ps->c_vid : ps->c_vote;

    if (r->nfld <= need)
        return rd_fail(r, r->rec_line, BN_EFORMAT, "VOTES row has too few fields", NULL);
    vid = FT(r, ps->c_vid);
    if (*vid == '\0')
        return rd_fail(r, r->rec_line, BN_EFORMAT, "empty voter_id", NULL);
    if (strlen(vid) > PB_MAX_ID)
        return rd_fail(r, r->rec_line, BN_ETOOBIG, "voter_id longer than 256 bytes", NULL);
    if (pb->n_voters >= PB_MAX_VOTERS)
        return rd_fail(r, r->rec_line, BN_ETOOBIG, "more than 4000000 voters", NULL);
    if ((rc = smap_put(&ps->vmap, vid, 0)) < 0)
        return rc;
    if (rc == 1)
        return rd_fail(r, r->rec_line, BN_EFORMAT, "duplicate voter_id", vid);
    if (ps->c_points > need)
        need = ps->c_points;
    if (r->nfld <= need)
        return rd_fail(r, r->rec_line, BN_EFORMAT, "VOTES row has too few fields", NULL);
    s = FT(r, ps->c_vote);
    for (tok = s; *s != '\0'; tok = next) {
        next = strchr(tok, ',');
        if (next != NULL)
            *next++ = '\0';
        tok = trim(tok);
        if (*tok == '\0')
            return rd_fail(r, r->rec_line, BN_EFORMAT, "empty project id in vote", NULL);
        if ((i = smap_get(&ps->pmap, tok)) < 0)
            return bn_fail(r->why, r->whylen, BN_EFORMAT, "%s:%ld: project '%.80s' in vote is unknown",
                           r->name, r->rec_line, tok);
        if (ps->seen[i])
            return bn_fail(r->why, r->whylen, BN_EFORMAT, "%s:%ld: project '%.80s' twice in one vote",
                           r->name, r->rec_line, tok);
        ps->seen[i] = 1;
        ps->ballot[k++] = i;
        if (next == NULL)
            break;
    }
    for (i = 0; i < k; i++)
        ps->seen[ps->ballot[i]] = 0;
    if (pb->vote_type == PB_CHOOSE1 && k > 1)
        return bn_fail(r->why, r->whylen, BN_EFORMAT, "%s:%ld: choose-1 vote of %d projects",
                       r->name, r->rec_line, k);
    if ((rc = vote_points(ps, k)) != 0)
        return rc;
    if (k < pb->min_length)
        return bn_fail(r->why, r->whylen, BN_EFORMAT, "%s:%ld: vote of %d projects, below min_length %d",
                       r->name, r->rec_line, k, pb->min_length);
    if (pb->max_length >= 0 && k > pb->max_length)
        return bn_fail(r->why, r->whylen, BN_EFORMAT, "%s:%ld: vote of %d projects, above max_length %d",
                       r->name, r->rec_line, k, pb->max_length);
    sort_ballot(ps, k);
    if (pb->vote_off[pb->n_voters] > PB_MAX_APPROVALS - k)
        return rd_fail(r, r->rec_line, BN_ETOOBIG, "more than 100000000 approvals in all", NULL);
    if (pb->vote_off[pb->n_voters] + k > ps->icap) {
        int cap = ps->icap * 2 + k + 1024;
        int *p = realloc(pb->vote_items, (size_t)cap * sizeof(int));

        if (p == NULL)
            return BN_ENOMEM;
        pb->vote_items = p;
        if (pb->vote_type != PB_APPROVAL && pb->vote_type != PB_CHOOSE1) {
            int64_t *q = realloc(pb->vote_points, (size_t)cap * sizeof(int64_t));
            if (q == NULL)
                return BN_ENOMEM;
            pb->vote_points = q;
        }
        ps->icap = cap;
    }
    if (pb->n_voters + 2 > ps->vcap) {      /* vote_off[n_voters + 1] is written */
        int cap = ps->vcap * 2 + 1024;
        int *p = realloc(pb->vote_off, (size_t)cap * sizeof(int));

        if (p == NULL)
            return BN_ENOMEM;
        pb->vote_off = p;
        ps->vcap = cap;
    }
    for (i = 0; i < k; i++) {
        pb->vote_items[pb->vote_off[pb->n_voters] + i] = ps->ballot[i];
        if (pb->vote_points != NULL)
            pb->vote_points[pb->vote_off[pb->n_voters] + i] = ps->pts[i];
        pb->projects[ps->ballot[i]].votes++;
        pb->projects[ps->ballot[i]].score += ps->pts[i];
    }
    pb->vote_off[pb->n_voters + 1] = pb->vote_off[pb->n_voters] + k;
    pb->n_voters++;
    return 0;
}

/* The line of a UTF-8 error, or 0 when `buf` is valid UTF-8. */
static long bad_utf8(const unsigned char *s, size_t len)
{
    size_t i = 0;
    long line = 1;
    int n, j;
    unsigned c;

    while (i < len) {
        c = s[i];
        if (c == '\n')
            line++;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF)
            n = 1;
        else if (c >= 0xE0 && c <= 0xEF)
            n = 2;
        else if (c >= 0xF0 && c <= 0xF4)
            n = 3;
        else
            return line;
        for (j = 1; j <= n; j++)
            if (i + (size_t)j >= len || (s[i + (size_t)j] & 0xC0) != 0x80)
                return line;
        if ((c == 0xE0 && s[i + 1] < 0xA0) || (c == 0xED && s[i + 1] > 0x9F) ||
            (c == 0xF0 && s[i + 1] < 0x90) || (c == 0xF4 && s[i + 1] > 0x8F))
            return line;
        i += (size_t)n + 1;
    }
    return 0;
}

int pb_parse(const char *buf, size_t len, const char *name, pb_t **out, char *why, size_t whylen)
{
    parse_t ps;
    int rc, sec = SEC_NONE, want_header = 0, got;
    long bad;
    const char *sname;

    if (out != NULL)
        *out = NULL;
    if (buf == NULL || out == NULL)
        return bn_fail(why, whylen, BN_EINVAL, "pb_parse: NULL argument");
    if (name == NULL)
        name = "<input>";
    if (len > (size_t)PB_MAX_FILE)
        return bn_fail(why, whylen, BN_ETOOBIG, "%s: larger than 1 GiB", name);
    memset(&ps, 0, sizeof(ps));
    ps.r.buf = buf;
    ps.r.len = len;
    ps.r.line = 1;
    ps.r.name = name;
    ps.r.why = why;
    ps.r.whylen = whylen;
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        ps.r.pos = 3;
    if ((bad = bad_utf8((const unsigned char *)buf, len)) != 0) {
        rc = bn_fail(why, whylen, BN_EFORMAT, "%s:%ld: not valid UTF-8", name, bad);
        goto out;
    }
    if ((ps.pb = calloc(1, sizeof(pb_t))) == NULL) {
        rc = BN_ENOMEM;
        goto out;
    }
    ps.pb->max_length = -1;
    ps.pb->max_sum_points = -1;
    ps.pb->threshold = -1;
    while ((got = rd_next(&ps.r)) == 1) {
        sname = ps.r.nfld == 1 ? FT(&ps.r, 0) : "";
        if (strcmp(sname, "META") == 0 || strcmp(sname, "PROJECTS") == 0 || strcmp(sname, "VOTES") == 0) {
            int next = sname[0] == 'M' ? SEC_META : sname[0] == 'P' ? SEC_PROJECTS : SEC_VOTES;

            if (want_header) {
                rc = rd_fail(&ps.r, ps.r.rec_line, BN_EFORMAT, "section header line missing before", sname);
                goto out;
            }
            if (next != sec + 1) {
                rc = rd_fail(&ps.r, ps.r.rec_line, BN_EFORMAT,
                             "sections must come in the order META, PROJECTS, VOTES, once each; unexpected",
                             sname);
                goto out;
            }
            if (next == SEC_PROJECTS && !ps.have_budget) {
                rc = rd_fail(&ps.r, ps.r.rec_line, BN_EFORMAT, "META has no budget", NULL);
                goto out;
            }
            if (next == SEC_VOTES) {
                if (ps.pb->n_projects == 0) {
                    rc = rd_fail(&ps.r, ps.r.rec_line, BN_EFORMAT, "PROJECTS section is empty", NULL);
                    goto out;
                }
                ps.ballot = malloc((size_t)ps.pb->n_projects * sizeof(int));
                ps.seen = calloc((size_t)ps.pb->n_projects, 1);
                ps.pts = calloc((size_t)ps.pb->n_projects + 1, sizeof(int64_t));
                ps.pb->vote_off = calloc(1026, sizeof(int));
                ps.vcap = 1026;
                if (ps.ballot == NULL || ps.seen == NULL || ps.pts == NULL || ps.pb->vote_off == NULL) {
                    rc = BN_ENOMEM;
                    goto out;
                }
            }
            sec = next;
            want_header = 1;
            continue;
        }
        if (sec == SEC_NONE) {
            rc = rd_fail(&ps.r, ps.r.rec_line, BN_EFORMAT, "file must start with the META section", NULL);
            goto out;
        }
        if (want_header) {
            if ((rc = header(&ps, sec)) != 0)
                goto out;
            want_header = 0;
            continue;
        }
        rc = sec == SEC_META ? meta_row(&ps) : sec == SEC_PROJECTS ? project_row(&ps) : vote_row(&ps);
        if (rc != 0)
            goto out;
    }
    if (got < 0) {
        rc = got;
        goto out;
    }
    if (sec != SEC_VOTES || want_header) {
        rc = bn_fail(why, whylen, BN_EFORMAT, "%s:%ld: missing section %s%s", name, ps.r.line,
                     sec < SEC_META ? "META" : sec < SEC_PROJECTS ? "PROJECTS" : "VOTES",
                     want_header ? " header line" : "");
        if (want_header)
            bn_fail(why, whylen, BN_EFORMAT, "%s:%ld: missing header line of section %s", name, ps.r.line,
                    sec == SEC_META ? "META" : sec == SEC_PROJECTS ? "PROJECTS" : "VOTES");
        goto out;
    }
    *out = ps.pb;
    ps.pb = NULL;
    rc = 0;
out:
    pb_free(ps.pb);
    smap_free(&ps.pmap);
    smap_free(&ps.vmap);
    smap_free(&ps.meta);
    free(ps.r.scratch);
    free(ps.r.fld);
    free(ps.ballot);
    free(ps.pts);
    free(ps.seen);
    return rc;
}

int pb_load(const char *path, pb_t **out, char *why, size_t whylen)
{
    FILE *f = NULL;
    char *buf = NULL;
    size_t cap = 0, n = 0, got;
    int rc;

    if (out != NULL)
        *out = NULL;
    if (path == NULL || out == NULL)
        return bn_fail(why, whylen, BN_EINVAL, "pb_load: NULL argument");
    if ((f = fopen(path, "rb")) == NULL)
        return bn_fail(why, whylen, BN_EIO, "%s: %s", path, strerror(errno));
    for (;;) {
        if (n == cap) {
            char *p;

            if (cap > (size_t)PB_MAX_FILE) {
                rc = bn_fail(why, whylen, BN_ETOOBIG, "%s: larger than 1 GiB", path);
                goto out;
            }
            cap = cap == 0 ? 65536 : cap * 2;
            if ((p = realloc(buf, cap)) == NULL) {
                rc = BN_ENOMEM;
                goto out;
            }
            buf = p;
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        rc = bn_fail(why, whylen, BN_EIO, "%s: read error", path);
        goto out;
    }
    rc = pb_parse(buf, n, path, out, why, whylen);
out:
    if (f != NULL)
        fclose(f);
    free(buf);
    return rc;
}
