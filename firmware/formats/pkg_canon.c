/* pkg_canon.c - campaign JSON: strict UTF-8 and syntax checks, and the canonical writer.
 *
 * cJSON is lenient (it takes "01", "1.", a byte order mark, "\u0000",
 * invalid UTF-8 and duplicate keys) and its printer may change between
 * versions, so the text is checked here before cJSON reads it, the tree is
 * checked after, and the canonical form is written by our own code:
 *
 *   (1) bytes:  valid UTF-8 (RFC 3629: no overlong form, no surrogate,
 *               nothing above U+10FFFF), no NUL byte, no byte order mark;
 *   (2) syntax: exactly one RFC 8259 value and nothing after it but
 *               whitespace; no "\u0000" escape, no unpaired surrogate escape;
 *               at most DEPTH_MAX levels and VALUES_MAX values;
 *   (3) tree:   no key twice in one object, no control character (U+0000-
 *               U+001F, U+007F-U+009F) in a key or a string, every number
 *               written as an integer (-?(0|[1-9][0-9]*)) of at most 2^53.
 *
 * Errors in (1) and (2) name a line and column, errors in (3) a field path. */
#include "pkg_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bn_err.h"

#define DEPTH_MAX 16        /* a campaign nests 4 levels deep */
#define VALUES_MAX 200000   /* bounds the memory cJSON may take */
#define NUMBER_MAX 24       /* characters of a number token */

/* --- paths and quoted values for messages ----------------------------------- */

static void path_put(pkg__path_t *p, const char *s, size_t len)
{
    size_t room = sizeof p->s - 1 - p->n;

    if (len > room)
        len = room;
    memcpy(p->s + p->n, s, len);
    p->n += len;
    p->s[p->n] = '\0';
}

/* How many bytes of s (a valid UTF-8 string) to keep so as to keep at most
 * max bytes without cutting a character. */
static size_t cut_utf8(const char *s, size_t len, size_t max)
{
    if (len <= max)
        return len;
    while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
        max--;
    return max;
}

size_t pkg__path_key(pkg__path_t *p, const char *key)
{
    size_t mark = p->n, len = strlen(key), keep = cut_utf8(key, len, PKG__SHOW_MAX);

    if (p->n > 0)
        path_put(p, ".", 1);
    path_put(p, key, keep);
    if (keep < len)
        path_put(p, "...", 3);
    return mark;
}

size_t pkg__path_index(pkg__path_t *p, int i)
{
    size_t mark = p->n;
    char tmp[16];
    int n = snprintf(tmp, sizeof tmp, "[%d]", i);

    path_put(p, tmp, (size_t)n);
    return mark;
}

void pkg__path_pop(pkg__path_t *p, size_t mark)
{
    p->n = mark;
    p->s[mark] = '\0';
}

const char *pkg__show_str(const char *s, char *buf)
{
    size_t o = 0, i = 0, len = strlen(s), keep = cut_utf8(s, len, PKG__SHOW_MAX);
    unsigned char c;

    buf[o++] = '"';
    /* Many escapes may make 40 bytes print as 240: stop before the end. */
    for (i = 0; i < keep && o <= PKG__SHOW_BUF - 12; i++) {
        c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            buf[o++] = '\\';
            buf[o++] = (char)c;
        } else if (c < 0x20 || c == 0x7f) {
            o += (size_t)snprintf(buf + o, 7, "\\u%04x", c);
        } else {
            buf[o++] = (char)c;
        }
    }
    if (i < len) {
        memcpy(buf + o, "...", 3);
        o += 3;
    }
    buf[o++] = '"';
    buf[o] = '\0';
    return buf;
}

const char *pkg__show(const cJSON *v, char *buf)
{
    double d;

    if (cJSON_IsString(v))
        return pkg__show_str(v->valuestring, buf);
    if (cJSON_IsNumber(v)) {
        d = v->valuedouble;
        if (d >= -(double)PKG__SAFE_INT && d <= (double)PKG__SAFE_INT && d == (double)(long long)d)
            snprintf(buf, PKG__SHOW_BUF, "%lld", (long long)d);
        else
            snprintf(buf, PKG__SHOW_BUF, "%.17g", d);
        return buf;
    }
    if (cJSON_IsTrue(v))
        return strcpy(buf, "true");
    if (cJSON_IsFalse(v))
        return strcpy(buf, "false");
    if (cJSON_IsObject(v))
        return strcpy(buf, v->child != NULL ? "{...}" : "{}");
    if (cJSON_IsArray(v))
        return strcpy(buf, v->child != NULL ? "[...]" : "[]");
    return strcpy(buf, "null");
}

/* --- (1) bytes ----------------------------------------------------------------- */

static int is_cont(uint8_t c)
{
    return (c & 0xc0) == 0x80;
}

/* Length of the valid UTF-8 sequence at s[0..n), n >= 1; 0 if invalid. */
static size_t utf8_len(const uint8_t *s, size_t n)
{
    uint8_t c = s[0], lo = 0x80, hi = 0xbf;

    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf)
        return n >= 2 && is_cont(s[1]) ? 2 : 0;
    if (c >= 0xe0 && c <= 0xef) {
        if (c == 0xe0)
            lo = 0xa0; /* overlong */
        if (c == 0xed)
            hi = 0x9f; /* U+D800..U+DFFF: surrogates */
        return n >= 3 && s[1] >= lo && s[1] <= hi && is_cont(s[2]) ? 3 : 0;
    }
    if (c >= 0xf0 && c <= 0xf4) {
        if (c == 0xf0)
            lo = 0x90; /* overlong */
        if (c == 0xf4)
            hi = 0x8f; /* above U+10FFFF */
        return n >= 4 && s[1] >= lo && s[1] <= hi && is_cont(s[2]) && is_cont(s[3]) ? 4 : 0;
    }
    return 0; /* 0x80..0xc1: continuation or overlong lead; 0xf5..0xff */
}

/* Fails with "line L, column C: ..." for byte offset `off` of s. */
static int fail_at(const uint8_t *s, size_t off, char *why, size_t whylen, int code,
                   const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

static int fail_at(const uint8_t *s, size_t off, char *why, size_t whylen, int code,
                   const char *fmt, ...)
{
    size_t line = 1, col = 1, i;
    char msg[160];
    va_list ap;

    for (i = 0; i < off; i++) {
        if (s[i] == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
    }
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return bn_fail(why, whylen, code, "line %zu, column %zu: %s", line, col, msg);
}

static int check_bytes(const uint8_t *s, size_t n, char *why, size_t whylen)
{
    size_t i = 0, k;

    if (n >= 3 && s[0] == 0xef && s[1] == 0xbb && s[2] == 0xbf)
        return fail_at(s, 0, why, whylen, BN_EFORMAT,
                       "byte order mark (save the text as UTF-8 without BOM)");
    while (i < n) {
        if (s[i] == 0)
            return fail_at(s, i, why, whylen, BN_EFORMAT, "NUL byte");
        k = utf8_len(s + i, n - i);
        if (k == 0)
            return fail_at(s, i, why, whylen, BN_EFORMAT, "invalid UTF-8 (byte 0x%02x)", s[i]);
        i += k;
    }
    return 0;
}

/* --- (2) syntax ---------------------------------------------------------------- */

typedef struct sx_s {
    const uint8_t *s;
    size_t n, i;
    size_t values;
    uint32_t *nums;          /* offsets of the number tokens, in text order */
    size_t n_nums, cap_nums;
    char *why;
    size_t whylen;
} sx_t;

#define SX_FAIL(x, off, ...) fail_at((x)->s, (off), (x)->why, (x)->whylen, BN_EFORMAT, __VA_ARGS__)

static void sx_ws(sx_t *x)
{
    while (x->i < x->n && (x->s[x->i] == ' ' || x->s[x->i] == '\t' || x->s[x->i] == '\n' ||
                           x->s[x->i] == '\r'))
        x->i++;
}

static int sx_unexpected(sx_t *x, const char *expected)
{
    uint8_t c;

    if (x->i >= x->n)
        return SX_FAIL(x, x->i, "unexpected end of text, expected %s", expected);
    c = x->s[x->i];
    if (c > 0x20 && c < 0x7f)
        return SX_FAIL(x, x->i, "unexpected '%c', expected %s", c, expected);
    return SX_FAIL(x, x->i, "unexpected byte 0x%02x, expected %s", c, expected);
}

static int hex4(const uint8_t *s, unsigned *out)
{
    unsigned v = 0;
    int i;

    for (i = 0; i < 4; i++) {
        v <<= 4;
        if (s[i] >= '0' && s[i] <= '9')
            v |= (unsigned)(s[i] - '0');
        else if (s[i] >= 'a' && s[i] <= 'f')
            v |= (unsigned)(s[i] - 'a' + 10);
        else if (s[i] >= 'A' && s[i] <= 'F')
            v |= (unsigned)(s[i] - 'A' + 10);
        else
            return -1;
    }
    *out = v;
    return 0;
}

static int sx_string(sx_t *x)
{
    size_t start = x->i;
    unsigned cp, lo;
    uint8_t c;

    x->i++; /* the opening quote */
    for (;;) {
        if (x->i >= x->n)
            return SX_FAIL(x, start, "string not terminated");
        c = x->s[x->i];
        if (c == '"') {
            x->i++;
            return 0;
        }
        if (c < 0x20)
            return SX_FAIL(x, x->i, "control character 0x%02x in a string", c);
        if (c != '\\') {
            x->i++; /* UTF-8 already checked: step over any byte */
            continue;
        }
        if (x->i + 1 >= x->n)
            return SX_FAIL(x, start, "string not terminated");
        c = x->s[x->i + 1];
        if (c == '"' || c == '\\' || c == '/' || c == 'b' || c == 'f' || c == 'n' || c == 'r' ||
            c == 't') {
            x->i += 2;
            continue;
        }
        if (c != 'u')
            return SX_FAIL(x, x->i, "invalid escape in a string");
        if (x->i + 6 > x->n || hex4(x->s + x->i + 2, &cp) != 0)
            return SX_FAIL(x, x->i, "invalid \\u escape in a string");
        if (cp == 0)
            return SX_FAIL(x, x->i, "\\u0000 (NUL) in a string");
        if (cp >= 0xdc00 && cp <= 0xdfff)
            return SX_FAIL(x, x->i, "unpaired surrogate \\u%04x in a string", cp);
        if (cp >= 0xd800 && cp <= 0xdbff) {
            if (x->i + 12 > x->n || x->s[x->i + 6] != '\\' || x->s[x->i + 7] != 'u' ||
                hex4(x->s + x->i + 8, &lo) != 0 || lo < 0xdc00 || lo > 0xdfff)
                return SX_FAIL(x, x->i, "unpaired surrogate \\u%04x in a string", cp);
            x->i += 6;
        }
        x->i += 6;
    }
}

static int is_digit(uint8_t c)
{
    return c >= '0' && c <= '9';
}

static int sx_number(sx_t *x)
{
    size_t start = x->i;
    uint32_t *grown;
    size_t cap;

    if (x->s[x->i] == '-')
        x->i++;
    if (x->i >= x->n || !is_digit(x->s[x->i]))
        return SX_FAIL(x, start, "invalid number");
    if (x->s[x->i] == '0') {
        x->i++;
        if (x->i < x->n && is_digit(x->s[x->i]))
            return SX_FAIL(x, start, "number with a leading zero");
    }
    while (x->i < x->n && is_digit(x->s[x->i]))
        x->i++;
    if (x->i < x->n && x->s[x->i] == '.') {
        x->i++;
        if (x->i >= x->n || !is_digit(x->s[x->i]))
            return SX_FAIL(x, start, "invalid number");
        while (x->i < x->n && is_digit(x->s[x->i]))
            x->i++;
    }
    if (x->i < x->n && (x->s[x->i] == 'e' || x->s[x->i] == 'E')) {
        x->i++;
        if (x->i < x->n && (x->s[x->i] == '+' || x->s[x->i] == '-'))
            x->i++;
        if (x->i >= x->n || !is_digit(x->s[x->i]))
            return SX_FAIL(x, start, "invalid number");
        while (x->i < x->n && is_digit(x->s[x->i]))
            x->i++;
    }
    if (x->i - start > NUMBER_MAX)
        return fail_at(x->s, start, x->why, x->whylen, BN_ERANGE,
                       "number of more than %d characters", NUMBER_MAX);
    if (x->n_nums == x->cap_nums) {
        cap = x->cap_nums ? 2 * x->cap_nums : 64;
        grown = realloc(x->nums, cap * sizeof *grown);
        if (grown == NULL)
            return bn_fail(x->why, x->whylen, BN_ENOMEM, "out of memory");
        x->nums = grown;
        x->cap_nums = cap;
    }
    x->nums[x->n_nums++] = (uint32_t)start;
    return 0;
}

static int sx_literal(sx_t *x, const char *word)
{
    size_t len = strlen(word);

    if (x->n - x->i < len || memcmp(x->s + x->i, word, len) != 0)
        return sx_unexpected(x, "a value");
    x->i += len;
    return 0;
}

static int sx_value(sx_t *x, int depth);

/* An object or an array; x->i is on its opening bracket. */
static int sx_container(sx_t *x, int depth)
{
    int object = x->s[x->i] == '{', rc;
    uint8_t close = object ? '}' : ']';

    if (depth > DEPTH_MAX)
        return SX_FAIL(x, x->i, "nested more than %d levels deep", DEPTH_MAX);
    x->i++;
    sx_ws(x);
    if (x->i < x->n && x->s[x->i] == close) {
        x->i++;
        return 0;
    }
    for (;;) {
        if (object) {
            sx_ws(x);
            if (x->i >= x->n || x->s[x->i] != '"')
                return sx_unexpected(x, "a key in double quotes");
            if ((rc = sx_string(x)) != 0)
                return rc;
            sx_ws(x);
            if (x->i >= x->n || x->s[x->i] != ':')
                return sx_unexpected(x, "':'");
            x->i++;
        }
        if ((rc = sx_value(x, depth)) != 0)
            return rc;
        sx_ws(x);
        if (x->i < x->n && x->s[x->i] == ',') {
            x->i++;
            continue;
        }
        if (x->i < x->n && x->s[x->i] == close) {
            x->i++;
            return 0;
        }
        return sx_unexpected(x, object ? "',' or '}'" : "',' or ']'");
    }
}

static int sx_value(sx_t *x, int depth)
{
    uint8_t c;

    if (++x->values > VALUES_MAX)
        return fail_at(x->s, x->i, x->why, x->whylen, BN_ETOOBIG,
                       "more than %d JSON values", VALUES_MAX);
    sx_ws(x);
    if (x->i >= x->n)
        return sx_unexpected(x, "a value");
    c = x->s[x->i];
    if (c == '{' || c == '[')
        return sx_container(x, depth + 1);
    if (c == '"')
        return sx_string(x);
    if (c == '-' || is_digit(c))
        return sx_number(x);
    if (c == 't')
        return sx_literal(x, "true");
    if (c == 'f')
        return sx_literal(x, "false");
    if (c == 'n')
        return sx_literal(x, "null");
    return sx_unexpected(x, "a value");
}

/* --- (3) tree -------------------------------------------------------------------- */

typedef struct walk_s {
    const uint8_t *s;
    size_t n;
    const uint32_t *nums;
    size_t n_nums, k;
    pkg__path_t path;
    char *why;
    size_t whylen;
} walk_t;

/* The first control character of a UTF-8 string (C0, DEL, C1), or 0. */
static unsigned control_char(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;

    for (; *u != 0; u++) {
        if (*u < 0x20 || *u == 0x7f)
            return *u;
        if (u[0] == 0xc2 && u[1] >= 0x80 && u[1] <= 0x9f)
            return u[1];
    }
    return 0;
}

static int walk_fail(walk_t *w, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static int walk_fail(walk_t *w, int code, const char *fmt, ...)
{
    char msg[160];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return bn_fail(w->why, w->whylen, code, "%s: %s", w->path.n > 0 ? w->path.s : "(top level)",
                   msg);
}

static int cmp_keys(const void *a, const void *b)
{
    const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;

    return strcmp(x->string, y->string); /* bytewise: strcmp compares unsigned chars */
}

/* The members of an object sorted by key, malloc'd (NULL and *n = 0 when
 * empty). BN_ENOMEM. */
static int sorted_members(const cJSON *obj, const cJSON ***out, size_t *n)
{
    const cJSON *c;
    const cJSON **v;
    size_t k = 0;

    *out = NULL;
    *n = 0;
    for (c = obj->child; c != NULL; c = c->next)
        k++;
    if (k == 0)
        return 0;
    v = malloc(k * sizeof *v);
    if (v == NULL)
        return BN_ENOMEM;
    k = 0;
    for (c = obj->child; c != NULL; c = c->next)
        v[k++] = c;
    qsort(v, k, sizeof *v, cmp_keys);
    *out = v;
    *n = k;
    return 0;
}

/* A number token must read -?(0|[1-9][0-9]*) and be at most 2^53 in size. */
static int walk_number(walk_t *w, const cJSON *v)
{
    const uint8_t *t;
    char tok[NUMBER_MAX + 1];
    size_t len = 0, i, end;
    long long mag = 0;

    if (w->k >= w->n_nums)
        return walk_fail(w, BN_EFORMAT, "internal error: number not found in the text");
    t = w->s + w->nums[w->k];
    end = w->n - w->nums[w->k++];
    while (len < NUMBER_MAX && len < end && (is_digit(t[len]) || t[len] == '-' || t[len] == '+' ||
                                t[len] == '.' || t[len] == 'e' || t[len] == 'E')) {
        tok[len] = (char)t[len];
        len++;
    }
    tok[len] = '\0';
    for (i = tok[0] == '-'; i < len; i++) {
        if (!is_digit((uint8_t)tok[i]))
            return walk_fail(w, BN_EFORMAT, "%s is not an integer", tok);
        if (mag <= PKG__SAFE_INT)
            mag = mag * 10 + (tok[i] - '0');
    }
    if (mag > PKG__SAFE_INT)
        return walk_fail(w, BN_ERANGE, "%s is out of range (at most 2^53 in size)", tok);
    if (v->valuedouble != (double)(tok[0] == '-' ? -mag : mag))
        return walk_fail(w, BN_EFORMAT, "internal error: number %s read as %.17g", tok,
                         v->valuedouble);
    return 0;
}

static int walk(walk_t *w, const cJSON *v)
{
    const cJSON **m = NULL;
    const cJSON *c;
    char shown[PKG__SHOW_BUF];
    size_t n, i, mark;
    unsigned cc;
    int rc = 0;

    if (cJSON_IsObject(v)) {
        if (sorted_members(v, &m, &n) != 0)
            return bn_fail(w->why, w->whylen, BN_ENOMEM, "out of memory");
        for (i = 0; i < n; i++) {
            if ((cc = control_char(m[i]->string)) != 0) {
                rc = walk_fail(w, BN_EFORMAT, "key %s contains the control character U+%04X",
                               pkg__show_str(m[i]->string, shown), cc);
                goto out;
            }
            if (i > 0 && strcmp(m[i - 1]->string, m[i]->string) == 0) {
                mark = pkg__path_key(&w->path, m[i]->string);
                rc = walk_fail(w, BN_EFORMAT, "duplicate key");
                pkg__path_pop(&w->path, mark);
                goto out;
            }
        }
        /* Numbers are matched to their tokens in text order: cJSON keeps it. */
        for (c = v->child; c != NULL && rc == 0; c = c->next) {
            mark = pkg__path_key(&w->path, c->string);
            rc = walk(w, c);
            if (rc == 0)
                pkg__path_pop(&w->path, mark);
        }
    } else if (cJSON_IsArray(v)) {
        i = 0;
        for (c = v->child; c != NULL && rc == 0; c = c->next) {
            mark = pkg__path_index(&w->path, (int)i++);
            rc = walk(w, c);
            if (rc == 0)
                pkg__path_pop(&w->path, mark);
        }
    } else if (cJSON_IsString(v)) {
        if ((cc = control_char(v->valuestring)) != 0)
            rc = walk_fail(w, BN_EFORMAT, "%s contains the control character U+%04X",
                           pkg__show(v, shown), cc);
    } else if (cJSON_IsNumber(v)) {
        rc = walk_number(w, v);
    }
out:
    free(m);
    return rc;
}

int pkg__load(const char *json, size_t len, cJSON **root, char *why, size_t whylen)
{
    const uint8_t *s = (const uint8_t *)json;
    sx_t x;
    walk_t w;
    cJSON *tree = NULL;
    int rc;

    *root = NULL;
    memset(&x, 0, sizeof x);
    if (len > PKG_MAX_BYTES)
        return bn_fail(why, whylen, BN_ETOOBIG, "%zu bytes, more than the %u a package may have",
                       len, PKG_MAX_BYTES);
    if ((rc = check_bytes(s, len, why, whylen)) != 0)
        return rc;
    x.s = s;
    x.n = len;
    x.why = why;
    x.whylen = whylen;
    if ((rc = sx_value(&x, 0)) != 0)
        goto out;
    sx_ws(&x);
    if (x.i != x.n) {
        rc = SX_FAIL(&x, x.i, "text after the end of the JSON value");
        goto out;
    }
    /* The syntax is checked: cJSON fails only when out of memory. */
    tree = cJSON_ParseWithLengthOpts(json, len, NULL, 0);
    if (tree == NULL) {
        rc = bn_fail(why, whylen, BN_ENOMEM, "out of memory reading the JSON text");
        goto out;
    }
    memset(&w, 0, sizeof w);
    w.s = s;
    w.n = len;
    w.nums = x.nums;
    w.n_nums = x.n_nums;
    w.why = why;
    w.whylen = whylen;
    if ((rc = walk(&w, tree)) != 0)
        goto out;
    if (w.k != w.n_nums) {
        rc = bn_fail(why, whylen, BN_EFORMAT, "internal error: %zu numbers in the text, %zu read",
                     w.n_nums, w.k);
        goto out;
    }
    *root = tree;
    tree = NULL;
out:
    cJSON_Delete(tree);
    free(x.nums);
    return rc;
}

/* --- the canonical writer ------------------------------------------------------- */

typedef struct buf_s {
    char *p;
    size_t n, cap;
    int oom;
} buf_t;

static void put(buf_t *b, const char *s, size_t n)
{
    size_t cap;
    char *grown;

    if (b->oom)
        return;
    if (b->n + n + 1 > b->cap) {
        cap = b->cap ? b->cap : 1024;
        while (b->n + n + 1 > cap)
            cap *= 2;
        grown = realloc(b->p, cap);
        if (grown == NULL) {
            b->oom = 1;
            return;
        }
        b->p = grown;
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

static void put_indent(buf_t *b, int depth)
{
    static const char spaces[] = "                                ";
    int i;

    for (i = 0; i < depth; i++)
        put(b, spaces, 2);
}

/* A string with only the escapes JSON requires; everything else raw UTF-8. */
static void put_string(buf_t *b, const char *s)
{
    const char *run = s;
    char esc[8];
    unsigned char c;

    put(b, "\"", 1);
    for (; *s != '\0'; s++) {
        c = (unsigned char)*s;
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        put(b, run, (size_t)(s - run));
        run = s + 1;
        switch (c) {
        case '"': put(b, "\\\"", 2); break;
        case '\\': put(b, "\\\\", 2); break;
        case '\b': put(b, "\\b", 2); break;
        case '\f': put(b, "\\f", 2); break;
        case '\n': put(b, "\\n", 2); break;
        case '\r': put(b, "\\r", 2); break;
        case '\t': put(b, "\\t", 2); break;
        default:
            snprintf(esc, sizeof esc, "\\u%04x", c);
            put(b, esc, 6);
        }
    }
    put(b, run, (size_t)(s - run));
    put(b, "\"", 1);
}

static void put_value(buf_t *b, const cJSON *v, int depth)
{
    const cJSON **m = NULL;
    const cJSON *c;
    char num[32];
    size_t n, i;

    if (cJSON_IsObject(v)) {
        if (sorted_members(v, &m, &n) != 0) {
            b->oom = 1;
            return;
        }
        if (n == 0) {
            put(b, "{}", 2);
            return;
        }
        put(b, "{\n", 2);
        for (i = 0; i < n; i++) {
            put_indent(b, depth + 1);
            put_string(b, m[i]->string);
            put(b, ": ", 2);
            put_value(b, m[i], depth + 1);
            put(b, i + 1 < n ? ",\n" : "\n", i + 1 < n ? 2 : 1);
        }
        free(m);
        put_indent(b, depth);
        put(b, "}", 1);
    } else if (cJSON_IsArray(v)) {
        if (v->child == NULL) {
            put(b, "[]", 2);
            return;
        }
        put(b, "[\n", 2);
        for (c = v->child; c != NULL; c = c->next) {
            put_indent(b, depth + 1);
            put_value(b, c, depth + 1);
            put(b, c->next != NULL ? ",\n" : "\n", c->next != NULL ? 2 : 1);
        }
        put_indent(b, depth);
        put(b, "]", 1);
    } else if (cJSON_IsString(v)) {
        put_string(b, v->valuestring);
    } else if (cJSON_IsNumber(v)) {
        /* pkg__load made it an integer of at most 2^53: exact in a double. */
        n = (size_t)snprintf(num, sizeof num, "%lld", (long long)v->valuedouble);
        put(b, num, n);
    } else if (cJSON_IsTrue(v)) {
        put(b, "true", 4);
    } else if (cJSON_IsFalse(v)) {
        put(b, "false", 5);
    } else {
        put(b, "null", 4);
    }
}

int pkg__write(const cJSON *root, char **out, size_t *outlen)
{
    buf_t b = {NULL, 0, 0, 0};

    *out = NULL;
    *outlen = 0;
    put_value(&b, root, 0);
    put(&b, "\n", 1);
    if (b.oom) {
        free(b.p);
        return BN_ENOMEM;
    }
    *out = b.p;
    *outlen = b.n;
    return 0;
}

int pkg_canonical(const char *json, size_t len, char **out, size_t *outlen, char *why,
                  size_t whylen)
{
    if (out == NULL || outlen == NULL || (json == NULL && len > 0))
        return bn_fail(why, whylen, BN_EINVAL, "invalid argument");
    *out = NULL;
    *outlen = 0;
    return pkg__parse_full(json != NULL ? json : "", len, NULL, out, outlen, why, whylen);
}
