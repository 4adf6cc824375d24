/* i18n.c - translation catalogs and French number and date formatting. */
#include "i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bn_err.h"

typedef struct entry_s {
    char *key, *text;
} entry_t;

struct i18n_s {
    int n, cap;
    entry_t *e;
};

void i18n_free(i18n_t *c)
{
    int i;

    if (c == NULL)
        return;
    for (i = 0; i < c->n; i++) {
        free(c->e[i].key);
        free(c->e[i].text);
    }
    free(c->e);
    free(c);
}

/* 1 if s[0..len) is valid UTF-8 (no overlongs, no surrogates). */
static int utf8_valid(const unsigned char *s, size_t len)
{
    size_t i = 0;

    while (i < len) {
        unsigned c = s[i], need, cp, k;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf) { need = 1; cp = c & 0x1f; }
        else if (c >= 0xe0 && c <= 0xef) { need = 2; cp = c & 0x0f; }
        else if (c >= 0xf0 && c <= 0xf4) { need = 3; cp = c & 0x07; }
        else return 0;
        if (i + need >= len)
            return 0;
        for (k = 1; k <= need; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return 0;
            cp = (cp << 6) | (s[i + k] & 0x3f);
        }
        if ((need == 2 && cp < 0x800) || (need == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
            (cp >= 0xd800 && cp <= 0xdfff))
            return 0;
        i += need + 1;
    }
    return 1;
}

static char *dup_trim(const char *s, size_t n)
{
    char *r;

    while (n > 0 && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    r = malloc(n + 1);
    if (r != NULL) {
        memcpy(r, s, n);
        r[n] = '\0';
    }
    return r;
}

int i18n_parse(const char *text, size_t len, i18n_t **out, char *why, size_t whylen)
{
    i18n_t *c;
    size_t pos = 0;
    int line = 0, rc = 0;

    *out = NULL;
    if (!utf8_valid((const unsigned char *)text, len))
        return bn_fail(why, whylen, BN_EFORMAT, "catalog is not valid UTF-8");
    c = calloc(1, sizeof *c);
    if (c == NULL)
        return BN_ENOMEM;
    while (pos < len) {
        const char *ln = text + pos, *eq, *nl = memchr(ln, '\n', len - pos);
        size_t n = nl != NULL ? (size_t)(nl - ln) : len - pos;
        size_t k = 0;
        char *key, *val;
        int i;

        pos += n + (nl != NULL);
        line++;
        while (k < n && (ln[k] == ' ' || ln[k] == '\t' || ln[k] == '\r'))
            k++;
        if (k == n || ln[k] == '#')
            continue;
        eq = memchr(ln, '=', n);
        if (eq == NULL) {
            rc = bn_fail(why, whylen, BN_EFORMAT, "line %d: no '=' in \"%.*s\"", line,
                         (int)(n > 40 ? 40 : n), ln);
            goto out;
        }
        key = dup_trim(ln, (size_t)(eq - ln));
        val = dup_trim(eq + 1, n - (size_t)(eq - ln) - 1);
        if (key == NULL || val == NULL) {
            free(key);
            free(val);
            rc = BN_ENOMEM;
            goto out;
        }
        if (*key == '\0') {
            free(key);
            free(val);
            rc = bn_fail(why, whylen, BN_EFORMAT, "line %d: empty key", line);
            goto out;
        }
        {
            /* "\n" in a text is a line break (lists of steps) */
            char *r = val, *w = val;

            while (*r) {
                if (r[0] == '\\' && r[1] == 'n') {
                    *w++ = '\n';
                    r += 2;
                } else {
                    *w++ = *r++;
                }
            }
            *w = '\0';
        }
        for (i = 0; i < c->n; i++)
            if (strcmp(c->e[i].key, key) == 0) {
                rc = bn_fail(why, whylen, BN_EFORMAT, "line %d: duplicate key '%s'", line, key);
                free(key);
                free(val);
                goto out;
            }
        if (c->n == c->cap) {
            int ncap = c->cap ? c->cap * 2 : 64;
            entry_t *ne = realloc(c->e, (size_t)ncap * sizeof *ne);
            if (ne == NULL) {
                free(key);
                free(val);
                rc = BN_ENOMEM;
                goto out;
            }
            c->e = ne;
            c->cap = ncap;
        }
        c->e[c->n].key = key;
        c->e[c->n].text = val;
        c->n++;
    }
out:
    if (rc != 0)
        i18n_free(c);
    else
        *out = c;
    return rc;
}

int i18n_load(const char *path, i18n_t **out, char *why, size_t whylen)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long sz;
    int rc;

    *out = NULL;
    if (f == NULL)
        return bn_fail(why, whylen, BN_EIO, "%s: cannot open", path);
    if (fseek(f, 0, SEEK_END) != 0 || (sz = ftell(f)) < 0 || sz > (1 << 20) ||
        fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return bn_fail(why, whylen, BN_EIO, "%s: cannot read", path);
    }
    buf = malloc((size_t)sz + 1);
    if (buf == NULL) {
        fclose(f);
        return BN_ENOMEM;
    }
    if (fread(buf, 1, (size_t)sz, f) != (size_t)sz) {
        fclose(f);
        free(buf);
        return bn_fail(why, whylen, BN_EIO, "%s: cannot read", path);
    }
    fclose(f);
    buf[sz] = '\0';
    rc = i18n_parse(buf, (size_t)sz, out, why, whylen);
    free(buf);
    if (rc != 0 && why != NULL && whylen > 0) {
        char tmp[512];
        snprintf(tmp, sizeof tmp, "%s: %s", path, why);
        snprintf(why, whylen, "%s", tmp);
    }
    return rc;
}

const char *i18n_get(const i18n_t *c, const char *key)
{
    int i;

    if (c == NULL)
        return NULL;
    for (i = 0; i < c->n; i++)
        if (strcmp(c->e[i].key, key) == 0)
            return c->e[i].text;
    return NULL;
}

int i18n_count(const i18n_t *c)
{
    return c != NULL ? c->n : 0;
}

const char *i18n_key(const i18n_t *c, int i)
{
    return c != NULL && i >= 0 && i < c->n ? c->e[i].key : NULL;
}

/* Appends n bytes, never splitting a UTF-8 character; returns new length. */
static size_t put(char *out, size_t cap, size_t at, const char *s, size_t n)
{
    if (cap == 0)
        return at;
    if (at + n >= cap) {
        n = at < cap - 1 ? cap - 1 - at : 0;
        while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
            n--;
    }
    memcpy(out + at, s, n);
    out[at + n] = '\0';
    return at + n;
}

size_t i18n_format(char *out, size_t cap, const char *tmpl, const char *const *kv)
{
    size_t at = 0;
    const char *p = tmpl;

    if (cap > 0)
        out[0] = '\0';
    while (*p) {
        const char *open = strchr(p, '{'), *close;
        int i, done = 0;

        if (open == NULL) {
            at = put(out, cap, at, p, strlen(p));
            break;
        }
        at = put(out, cap, at, p, (size_t)(open - p));
        close = strchr(open, '}');
        if (close == NULL) {
            at = put(out, cap, at, open, strlen(open));
            break;
        }
        for (i = 0; kv != NULL && kv[i] != NULL && kv[i + 1] != NULL; i += 2)
            if (strlen(kv[i]) == (size_t)(close - open - 1) &&
                memcmp(kv[i], open + 1, (size_t)(close - open - 1)) == 0) {
                at = put(out, cap, at, kv[i + 1], strlen(kv[i + 1]));
                done = 1;
                break;
            }
        if (!done)
            at = put(out, cap, at, open, (size_t)(close - open + 1));
        p = close + 1;
    }
    return at;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void i18n_placeholders(const char *text, char *out, size_t cap)
{
    char names[16][32];
    char *ptr[16];
    int n = 0, i;
    size_t at = 0;
    const char *p = text;

    if (cap > 0)
        out[0] = '\0';
    while ((p = strchr(p, '{')) != NULL && n < 16) {
        const char *close = strchr(p, '}');
        size_t len;
        if (close == NULL)
            break;
        len = (size_t)(close - p - 1);
        if (len < sizeof names[0]) {
            memcpy(names[n], p + 1, len);
            names[n][len] = '\0';
            ptr[n] = names[n];
            n++;
        }
        p = close + 1;
    }
    qsort(ptr, (size_t)n, sizeof ptr[0], cmp_str);
    for (i = 0; i < n; i++) {
        if (i > 0 && strcmp(ptr[i], ptr[i - 1]) == 0)
            continue;
        if (at > 0)
            at = put(out, cap, at, ",", 1);
        at = put(out, cap, at, ptr[i], strlen(ptr[i]));
    }
}

void fmt_int(int64_t n, char *out, size_t cap)
{
    char digits[32], buf[96];
    uint64_t u = n < 0 ? (uint64_t)(-(n + 1)) + 1 : (uint64_t)n;
    int nd = 0, i;
    size_t at = 0;

    do {
        digits[nd++] = (char)('0' + u % 10);
        u /= 10;
    } while (u > 0);
    if (n < 0)
        buf[at++] = '-';
    for (i = nd - 1; i >= 0; i--) {
        buf[at++] = digits[i];
        if (i > 0 && i % 3 == 0) {
            memcpy(buf + at, "\xe2\x80\xaf", 3); /* U+202F */
            at += 3;
        }
    }
    buf[at] = '\0';
    snprintf(out, cap, "%s", buf);
}

void fmt_money(int64_t euros, char *out, size_t cap)
{
    char num[96];

    fmt_int(euros, num, sizeof num);
    snprintf(out, cap, "%s\xc2\xa0\xe2\x82\xac", num); /* U+00A0 then the euro sign */
}

void fmt_date(int year, int month, int mday, char *out, size_t cap)
{
    snprintf(out, cap, "%02d/%02d/%04d", mday, month, year);
}
