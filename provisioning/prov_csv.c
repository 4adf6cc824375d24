/* prov_csv.c - tables as spreadsheets export them (prov_csv.h). */
#include "prov_csv.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bn_err.h"

#define EUROS_MAX 10000000000000LL /* 10^13: beyond any public budget */

/* --- encodings ------------------------------------------------------------------ */

/* Windows-1252 0x80..0x9F; 0 where the code page defines nothing. */
static const uint16_t cp1252_high[32] = {
    0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
    0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
    0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
    0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178};

/* Length of the valid UTF-8 sequence at s[0..n), or 0. */
static size_t utf8_len(const uint8_t *s, size_t n)
{
    uint32_t cp;
    size_t len, i;

    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xc2 && s[0] <= 0xdf)
        len = 2, cp = s[0] & 0x1f;
    else if (s[0] >= 0xe0 && s[0] <= 0xef)
        len = 3, cp = s[0] & 0x0f;
    else if (s[0] >= 0xf0 && s[0] <= 0xf4)
        len = 4, cp = s[0] & 0x07;
    else
        return 0;
    if (n < len)
        return 0;
    for (i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return len;
}

static int is_utf8(const uint8_t *s, size_t n)
{
    size_t i = 0, k;

    while (i < n) {
        if ((k = utf8_len(s + i, n - i)) == 0)
            return 0;
        i += k;
    }
    return 1;
}

static size_t put_utf8(uint32_t cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xc0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    out[0] = (char)(0xe0 | (cp >> 12));
    out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
    out[2] = (char)(0x80 | (cp & 0x3f));
    return 3;
}

/* Where byte `at` of buf is: 1-based line and column (characters, each
 * CR, LF or CRLF ending a line). */
static void locate(const char *buf, size_t at, int *line, int *col)
{
    size_t i;

    *line = 1;
    *col = 1;
    for (i = 0; i < at; i++) {
        if (buf[i] == '\n' || (buf[i] == '\r' && buf[i + 1] != '\n')) {
            (*line)++;
            *col = 1;
        } else if (buf[i] != '\r' && ((unsigned char)buf[i] & 0xc0) != 0x80) {
            (*col)++;
        }
    }
}

/* Decodes the file into a NUL-terminated UTF-8 text. */
static int decode(const uint8_t *buf, size_t len, const char *name, prov_csv_t *t,
                  char **out, char *why, size_t whylen)
{
    char *text;
    size_t i, o = 0;

    if (len >= 3 && buf[0] == 0xef && buf[1] == 0xbb && buf[2] == 0xbf) {
        buf += 3;
        len -= 3;
        t->enc = PROV_CSV_UTF8_BOM;
    } else {
        t->enc = PROV_CSV_UTF8;
    }
    if (memchr(buf, 0, len) != NULL) {
        int line, col;
        size_t at = (size_t)((const uint8_t *)memchr(buf, 0, len) - buf);
        char *tmp = malloc(at + 1);

        if (tmp == NULL)
            return bn_fail(why, whylen, BN_ENOMEM, "%s: out of memory", name);
        memcpy(tmp, buf, at);
        tmp[at] = '\0';
        locate(tmp, at, &line, &col);
        free(tmp);
        return bn_fail(why, whylen, BN_EFORMAT, "%s:%d:%d: a NUL byte: this is not a text file "
                       "(save the spreadsheet as CSV)", name, line, col);
    }
    if (t->enc == PROV_CSV_UTF8_BOM || is_utf8(buf, len)) {
        if (t->enc == PROV_CSV_UTF8_BOM && !is_utf8(buf, len))
            return bn_fail(why, whylen, BN_EFORMAT, "%s: starts with a UTF-8 byte order mark "
                           "but is not UTF-8 text", name);
        if ((text = malloc(len + 1)) == NULL)
            return bn_fail(why, whylen, BN_ENOMEM, "%s: out of memory", name);
        memcpy(text, buf, len);
        text[len] = '\0';
        *out = text;
        return 0;
    }
    /* not UTF-8: Windows-1252, as Excel saves "CSV (separator: semicolon)" */
    t->enc = PROV_CSV_CP1252;
    if ((text = malloc(3 * len + 1)) == NULL)
        return bn_fail(why, whylen, BN_ENOMEM, "%s: out of memory", name);
    for (i = 0; i < len; i++) {
        uint32_t cp = buf[i];

        if (cp >= 0x80 && cp < 0xa0 && (cp = cp1252_high[cp - 0x80]) == 0) {
            int line, col;

            text[o] = '\0';
            locate(text, o, &line, &col);
            free(text);
            return bn_fail(why, whylen, BN_EFORMAT, "%s:%d:%d: byte 0x%02x is neither UTF-8 nor "
                           "Windows-1252 text", name, line, col, buf[i]);
        }
        o += put_utf8(cp, text + o);
    }
    text[o] = '\0';
    *out = text;
    return 0;
}

/* --- fields ---------------------------------------------------------------------- */

typedef struct scan_s {
    const char *name;
    const char *p;          /* next byte */
    int line, col;          /* of *p */
    char *why;
    size_t whylen;
} scan_t;

static void advance(scan_t *s)
{
    if (*s->p == '\n' || (*s->p == '\r' && s->p[1] != '\n')) {
        s->line++;
        s->col = 1;
    } else if (*s->p != '\r' && ((unsigned char)*s->p & 0xc0) != 0x80) {
        s->col++;
    }
    s->p++;
}

static int at_eol(const char *p)
{
    return *p == '\n' || *p == '\r' || *p == '\0';
}

static void skip_eol(scan_t *s)
{
    if (*s->p == '\r' && s->p[1] == '\n')
        advance(s);
    if (*s->p == '\r' || *s->p == '\n')
        advance(s);
}

/* Reads one field into a malloc'd string; leaves s->p on the separator, an
 * end of line or the end. */
static int field(scan_t *s, char sep, prov_csv_cell_t *cell)
{
    size_t cap = 64, n = 0;
    char *o = malloc(cap);
    int rc = 0;

    cell->line = s->line;
    cell->col = s->col;
    if (o == NULL)
        return bn_fail(s->why, s->whylen, BN_ENOMEM, "%s: out of memory", s->name);
    if (*s->p == '"') {
        advance(s);
        for (;;) {
            if (*s->p == '\0') {
                rc = bn_fail(s->why, s->whylen, BN_EFORMAT, "%s:%d:%d: this quoted field is "
                             "never closed (a '\"' is missing)", s->name, cell->line, cell->col);
                goto out;
            }
            if (*s->p == '"') {
                if (s->p[1] != '"')
                    break;
                advance(s);
            }
            if (n + 2 > cap) {
                char *bigger = realloc(o, cap *= 2);
                if (bigger == NULL) {
                    rc = bn_fail(s->why, s->whylen, BN_ENOMEM, "%s: out of memory", s->name);
                    goto out;
                }
                o = bigger;
            }
            o[n++] = *s->p;
            advance(s);
        }
        advance(s); /* the closing quote */
        if (*s->p != sep && !at_eol(s->p)) {
            rc = bn_fail(s->why, s->whylen, BN_EFORMAT, "%s:%d:%d: text after the closing quote "
                         "of a field (a quote inside a quoted field is written \"\")", s->name,
                         s->line, s->col);
            goto out;
        }
    } else {
        while (*s->p != sep && !at_eol(s->p)) {
            if (*s->p == '"') {
                rc = bn_fail(s->why, s->whylen, BN_EFORMAT, "%s:%d:%d: a quote inside a field that "
                             "does not start with one (quote the whole field, and write the "
                             "quote \"\")", s->name, s->line, s->col);
                goto out;
            }
            if (n + 2 > cap) {
                char *bigger = realloc(o, cap *= 2);
                if (bigger == NULL) {
                    rc = bn_fail(s->why, s->whylen, BN_ENOMEM, "%s: out of memory", s->name);
                    goto out;
                }
                o = bigger;
            }
            o[n++] = *s->p;
            advance(s);
        }
    }
    o[n] = '\0';
    cell->s = o;
    o = NULL;
out:
    free(o);
    return rc;
}

/* The separator: whichever of ; , tab the header holds most of, outside quotes. */
static int detect_sep(const char *text, const char *name, char *sep, char *why, size_t whylen)
{
    int n_semi = 0, n_comma = 0, n_tab = 0, quoted = 0;
    const char *p;

    for (p = text; *p != '\0' && (quoted || (*p != '\n' && *p != '\r')); p++) {
        if (*p == '"')
            quoted = !quoted;
        else if (!quoted && *p == ';')
            n_semi++;
        else if (!quoted && *p == ',')
            n_comma++;
        else if (!quoted && *p == '\t')
            n_tab++;
    }
    if (n_semi == 0 && n_comma == 0 && n_tab == 0)
        return bn_fail(why, whylen, BN_EFORMAT, "%s:1:1: the first line (the header) has no "
                       "separator: ';', ',' or tab between column names", name);
    *sep = n_semi >= n_comma && n_semi >= n_tab ? ';' : n_comma >= n_tab ? ',' : '\t';
    return 0;
}

static int blank_line(const char *p)
{
    return *p == '\n' || *p == '\r';
}

int prov_csv_parse(const uint8_t *buf, size_t len, const char *name, prov_csv_t **out,
                   char *why, size_t whylen)
{
    prov_csv_t *t = NULL;
    prov_csv_cell_t *row = NULL;
    char *text = NULL;
    size_t cap_cells = 0, n_cells = 0;
    scan_t s;
    int rc, n;

    *out = NULL;
    if (len > PROV_CSV_MAX_BYTES)
        return bn_fail(why, whylen, BN_ETOOBIG, "%s: %zu bytes, more than the %u accepted", name,
                       len, PROV_CSV_MAX_BYTES);
    if ((t = calloc(1, sizeof *t)) == NULL || (t->name = strdup(name)) == NULL) {
        rc = bn_fail(why, whylen, BN_ENOMEM, "%s: out of memory", name);
        goto out;
    }
    if ((rc = decode(buf, len, name, t, &text, why, whylen)) != 0)
        goto out;
    memset(&s, 0, sizeof s);
    s.name = name;
    s.p = text;
    s.line = s.col = 1;
    s.why = why;
    s.whylen = whylen;
    while (blank_line(s.p))
        advance(&s);
    if (*s.p == '\0') {
        rc = bn_fail(why, whylen, BN_EFORMAT, "%s: empty: a header line is expected", name);
        goto out;
    }
    if ((rc = detect_sep(s.p, name, &t->sep, why, whylen)) != 0)
        goto out;
    for (;;) {
        int line = s.line, cap = 0;

        n = 0;
        for (;;) {
            if (n == cap) {
                prov_csv_cell_t *bigger = realloc(row, (size_t)(cap = cap ? 2 * cap : 16) *
                                                  sizeof *row);
                if (bigger == NULL) {
                    rc = bn_fail(why, whylen, BN_ENOMEM, "%s: out of memory", name);
                    while (n > 0)
                        free(row[--n].s);
                    goto out;
                }
                row = bigger;
            }
            if ((rc = field(&s, t->sep, &row[n])) != 0) {
                while (n > 0) /* the row's fields read so far */
                    free(row[--n].s);
                goto out;
            }
            n++;
            if (*s.p != t->sep)
                break;
            advance(&s);
        }
        if (t->head == NULL) {
            t->head = row;
            t->n_cols = n;
            row = NULL;
        } else if (n != t->n_cols) {
            rc = bn_fail(why, whylen, BN_EFORMAT, "%s:%d: %d field%s where the header has %d "
                         "(a '%c' inside a field needs quotes)", name, line, n,
                         n > 1 ? "s" : "", t->n_cols, t->sep);
            while (n > 0)
                free(row[--n].s);
            goto out;
        } else {
            if (n_cells + (size_t)n > cap_cells) {
                size_t nc = cap_cells ? 2 * cap_cells : 1024;
                prov_csv_cell_t *bigger;

                while (nc < n_cells + (size_t)n)
                    nc *= 2;
                if ((bigger = realloc(t->cells, nc * sizeof *bigger)) == NULL) {
                    rc = bn_fail(why, whylen, BN_ENOMEM, "%s: out of memory", name);
                    while (n > 0)
                        free(row[--n].s);
                    goto out;
                }
                t->cells = bigger;
                cap_cells = nc;
            }
            memcpy(t->cells + n_cells, row, (size_t)n * sizeof *row);
            n_cells += (size_t)n;
            t->n_rows++;
        }
        skip_eol(&s);
        while (blank_line(s.p))
            advance(&s);
        if (*s.p == '\0')
            break;
    }
    *out = t;
    t = NULL;
    rc = 0;
out:
    free(row);
    free(text);
    if (t != NULL) {
        size_t i;

        for (i = 0; i < n_cells; i++)
            free(t->cells[i].s);
        t->n_rows = 0;
        t->cells = (free(t->cells), NULL);
        prov_csv_free(t);
    }
    return rc;
}

int prov_csv_read(const char *path, prov_csv_t **out, char *why, size_t whylen)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    size_t cap = 0, len = 0, got;
    int rc;

    *out = NULL;
    if (f == NULL)
        return bn_fail(why, whylen, BN_EIO, "%s: cannot be read", path);
    for (;;) {
        if (len == cap) {
            uint8_t *bigger;

            if (cap >= PROV_CSV_MAX_BYTES + 1) {
                rc = bn_fail(why, whylen, BN_ETOOBIG, "%s: more than %u bytes", path,
                             PROV_CSV_MAX_BYTES);
                goto out;
            }
            cap = cap ? 2 * cap : 65536;
            if ((bigger = realloc(buf, cap)) == NULL) {
                rc = bn_fail(why, whylen, BN_ENOMEM, "%s: out of memory", path);
                goto out;
            }
            buf = bigger;
        }
        got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        rc = bn_fail(why, whylen, BN_EIO, "%s: cannot be read", path);
        goto out;
    }
    rc = prov_csv_parse(buf != NULL ? buf : (const uint8_t *)"", len, path, out, why, whylen);
out:
    free(buf);
    fclose(f);
    return rc;
}

void prov_csv_free(prov_csv_t *t)
{
    int i;

    if (t == NULL)
        return;
    for (i = 0; t->head != NULL && i < t->n_cols; i++)
        free(t->head[i].s);
    for (i = 0; t->cells != NULL && i < t->n_rows * t->n_cols; i++)
        free(t->cells[i].s);
    free(t->head);
    free(t->cells);
    free(t->name);
    free(t);
}

const prov_csv_cell_t *prov_csv_at(const prov_csv_t *t, int r, int c)
{
    return &t->cells[(size_t)r * (size_t)t->n_cols + (size_t)c];
}

/* --- headers -------------------------------------------------------------------- */

/* Latin-1 letters U+00C0..U+00FF without their accents, lower case. */
static const char *const latin1_fold[64] = {
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    "d", "n", "o", "o", "o", "o", "o", NULL, "o", "u", "u", "u", "u", "y", "th", "ss",
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    "d", "n", "o", "o", "o", "o", "o", NULL, "o", "u", "u", "u", "u", "y", "th", "y"};

void prov_csv_fold(const char *s, char *out, size_t cap)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = 0;
    int gap = 0;

    if (cap == 0)
        return;
    while (*p != '\0') {
        const char *add = NULL;
        char one[2] = {0, 0};
        size_t k;

        if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')) {
            one[0] = (char)*p++;
            add = one;
        } else if (*p >= 'A' && *p <= 'Z') {
            one[0] = (char)(*p++ - 'A' + 'a');
            add = one;
        } else if (*p == 0xc3 && p[1] >= 0x80 && p[1] <= 0xbf) {
            add = latin1_fold[p[1] - 0x80];
            p += 2;
        } else if (*p == 0xc5 && (p[1] == 0x92 || p[1] == 0x93)) {
            add = "oe";
            p += 2;
        } else {
            p++;
            while ((*p & 0xc0) == 0x80)
                p++;
        }
        if (add == NULL) {
            gap = 1;
            continue;
        }
        if (gap && n > 0 && n + 1 < cap)
            out[n++] = '_';
        gap = 0;
        for (k = 0; add[k] != '\0' && n + 1 < cap; k++)
            out[n++] = add[k];
    }
    out[n] = '\0';
}

int prov_csv_column(const prov_csv_t *t, const char *const *names)
{
    char folded[128];
    int c, i;

    /* names in order of preference: INSEE's file has NCCENR ("Rheu")
     * before LIBELLE ("Le Rheu"), and the name a citizen types is LIBELLE */
    for (i = 0; names[i] != NULL; i++)
        for (c = 0; c < t->n_cols; c++) {
            prov_csv_fold(t->head[c].s, folded, sizeof folded);
            if (strcmp(folded, names[i]) == 0)
                return c;
        }
    return -1;
}

/* --- amounts --------------------------------------------------------------------- */

int prov_parse_euros(const char *s, int64_t *out, char *why, size_t whylen)
{
    char d[64];
    size_t n = 0, i, last = (size_t)-1, nd;
    const unsigned char *p = (const unsigned char *)s;
    int64_t v = 0;
    char dec = 0;

    /* keep digits and . , and the spaces between digits (one ' ' each,
     * checked below like any group separator); drop the currency */
    while (*p != '\0') {
        size_t skip = 0;

        if (*p == ' ' || *p == '\t' || *p == '\'')
            skip = 1;
        else if (p[0] == 0xc2 && p[1] == 0xa0)                         /* U+00A0 */
            skip = 2;
        else if (p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0xaf || p[2] == 0x89 ||
                                                  p[2] == 0x99))       /* U+202F U+2009 U+2019 */
            skip = 3;
        if (skip > 0) {
            if (n > 0 && d[n - 1] >= '0' && d[n - 1] <= '9') {
                if (n + 1 >= sizeof d)
                    return bn_fail(why, whylen, BN_EFORMAT, "\"%s\" is too long for an amount", s);
                d[n++] = ' ';
            }
            p += skip;
        } else if (p[0] == 0xe2 && p[1] == 0x82 && p[2] == 0xac) {     /* € */
            p += 3;
        } else if ((p[0] == 'E' || p[0] == 'e') && (p[1] == 'U' || p[1] == 'u') &&
                   (p[2] == 'R' || p[2] == 'r')) {
            p += 3;
        } else if ((*p >= '0' && *p <= '9') || *p == '.' || *p == ',') {
            if (n + 1 >= sizeof d)
                return bn_fail(why, whylen, BN_EFORMAT, "\"%s\" is too long for an amount", s);
            d[n++] = (char)*p++;
        } else if (*p == '-') {
            return bn_fail(why, whylen, BN_EFORMAT, "\"%s\" is negative", s);
        } else {
            return bn_fail(why, whylen, BN_EFORMAT, "\"%s\" is not an amount in euros (e.g. "
                           "12500, 12 500 or 12 500,00 \xe2\x82\xac)", s);
        }
    }
    while (n > 0 && d[n - 1] == ' ')
        n--;
    d[n] = '\0';
    if (n == 0 || d[0] == '.' || d[0] == ',')
        return bn_fail(why, whylen, BN_EFORMAT, "\"%s\" is not an amount in euros (e.g. 12500, "
                       "12 500 or 12 500,00 \xe2\x82\xac)", s);
    for (i = 0; i < n; i++)
        if (d[i] == '.' || d[i] == ',')
            last = i;
    if (last != (size_t)-1 && (nd = n - last - 1) >= 1 && nd <= 2) {
        dec = d[last]; /* "12 500,00", "12500.5": decimals */
        for (i = last + 1; i < n; i++)
            if (d[i] < '0' || d[i] > '9')
                return bn_fail(why, whylen, BN_EFORMAT, "\"%s\" is not an amount", s);
        for (i = last + 1; i < n; i++)
            if (d[i] != '0')
                return bn_fail(why, whylen, BN_EFORMAT, "\"%s\" has cents: amounts are whole "
                               "euros", s);
        n = last;
        d[n] = '\0';
    }
    /* what is left: digits, grouped by three with one separator other than
     * the decimal one */
    {
        char grp = 0;
        size_t run = 0, first = 1;

        for (i = 0; i < n; i++) {
            if (d[i] >= '0' && d[i] <= '9') {
                run++;
                if (v > EUROS_MAX / 10)
                    return bn_fail(why, whylen, BN_EFORMAT, "\"%s\" is too large", s);
                v = v * 10 + (d[i] - '0');
                continue;
            }
            if (d[i] == dec || (grp != 0 && d[i] != grp) || run == 0 || run > 3 ||
                (!first && run != 3))
                return bn_fail(why, whylen, BN_EFORMAT, "\"%s\" is not an amount: its separators "
                               "do not group digits by three", s);
            grp = d[i];
            first = 0;
            run = 0;
        }
        if (grp != 0 && run != 3)
            return bn_fail(why, whylen, BN_EFORMAT, "\"%s\" is not an amount: its separators do "
                           "not group digits by three", s);
    }
    if (v > EUROS_MAX)
        return bn_fail(why, whylen, BN_EFORMAT, "\"%s\" is too large", s);
    *out = v;
    return 0;
}
