/* conf.c - "key = value" lines in "[section]"s: see conf.h. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bn_err.h"
#include "conf.h"

#define CONF_LINE_MAX 512

static char *trim(char *s)
{
    char *e;

    while (*s == ' ' || *s == '\t')
        s++;
    e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
        *--e = '\0';
    return s;
}

/* A whole decimal number in [lo, hi]. */
static int number(const char *v, long long lo, long long hi, long long *out)
{
    char *end;
    long long x;

    if (*v < '0' || *v > '9')
        return -1;
    errno = 0;
    x = strtoll(v, &end, 10);
    if (errno != 0 || *end != '\0' || x < lo || x > hi)
        return -1;
    *out = x;
    return 0;
}

static int host_ok(const char *v)
{
    const char *p;

    for (p = v; *p != '\0'; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '.' || *p == ':'))
            return 0;
    return p > v;
}

static int printable(const char *v)
{
    for (; *v != '\0'; v++)
        if ((unsigned char)*v < 0x20 || *v == 0x7f)
            return 0;
    return 1;
}

static int one_value(const conf_key_t *k, const char *v, const char *name, int lineno,
                     char *why, size_t whylen)
{
    long long x;
    size_t len = strlen(v);

    switch (k->type) {
    case CONF_INT:
        if (number(v, k->lo, k->hi, &x) != 0)
            return bn_fail(why, whylen, BN_EFORMAT,
                           "%s:%d: %s: '%.40s' is not a whole number from %lld to %lld", name,
                           lineno, k->name, v, k->lo, k->hi);
        *(long long *)k->dst = x * (k->unit > 0 ? k->unit : 1);
        return 0;
    case CONF_BOOL:
        if (strcmp(v, "yes") == 0 || strcmp(v, "true") == 0 || strcmp(v, "on") == 0 ||
            strcmp(v, "1") == 0)
            *(int *)k->dst = 1;
        else if (strcmp(v, "no") == 0 || strcmp(v, "false") == 0 || strcmp(v, "off") == 0 ||
                 strcmp(v, "0") == 0)
            *(int *)k->dst = 0;
        else
            return bn_fail(why, whylen, BN_EFORMAT, "%s:%d: %s: '%.40s' is not yes or no", name,
                           lineno, k->name, v);
        return 0;
    case CONF_HOST:
        if (len == 0 && k->lo == 1) { /* lo = 1: may be left empty */
            *(char *)k->dst = '\0';
            return 0;
        }
        if (!host_ok(v) || len >= k->cap)
            return bn_fail(why, whylen, BN_EFORMAT,
                           "%s:%d: %s: '%.60s' is not a host name or address (letters, digits, "
                           "'-', '.', ':'; under %zu bytes)",
                           name, lineno, k->name, v, k->cap);
        memcpy(k->dst, v, len + 1);
        return 0;
    case CONF_TEXT:
        if (!printable(v) || len >= k->cap)
            return bn_fail(why, whylen, BN_EFORMAT,
                           "%s:%d: %s: '%.60s' is not printable text under %zu bytes", name,
                           lineno, k->name, v, k->cap);
        memcpy(k->dst, v, len + 1);
        return 0;
    }
    return bn_fail(why, whylen, BN_EINVAL, "%s: key %s of no known type", name, k->name);
}

static int parse(const char *text, size_t len, const char *name, const conf_key_t *keys,
                 size_t n, const char *const *skip, int *seen, char *why, size_t whylen)
{
    char line[CONF_LINE_MAX], section[64] = "";
    int lineno = 0, skipping = 0, rc;
    size_t pos = 0, i;

    if (seen != NULL)
        memset(seen, 0, n * sizeof *seen);
    while (pos < len) {
        size_t m = 0;
        char *k, *v, *eq, *hash;

        lineno++;
        while (pos < len && text[pos] != '\n') {
            if (text[pos] == '\0')
                return bn_fail(why, whylen, BN_EFORMAT, "%s:%d: a NUL byte", name, lineno);
            if (m + 1 >= sizeof line)
                return bn_fail(why, whylen, BN_EFORMAT, "%s:%d: line longer than %zu bytes",
                               name, lineno, sizeof line - 1);
            line[m++] = text[pos++];
        }
        pos++;
        line[m] = '\0';
        if ((hash = strchr(line, '#')) != NULL)
            *hash = '\0';
        k = trim(line);
        if (*k == '\0')
            continue;
        if (*k == '[') {
            char *end = strchr(k, ']');
            int known = 0;

            if (end == NULL || end[1] != '\0' || end - k - 1 <= 0 ||
                (size_t)(end - k - 1) >= sizeof section)
                return bn_fail(why, whylen, BN_EFORMAT,
                               "%s:%d: expected '[section]', got '%.60s'", name, lineno, k);
            *end = '\0';
            snprintf(section, sizeof section, "%s", trim(k + 1));
            skipping = 0;
            for (i = 0; i < n; i++)
                known |= strcmp(keys[i].section, section) == 0;
            for (i = 0; !known && skip != NULL && skip[i] != NULL; i++)
                known = skipping = strcmp(skip[i], section) == 0;
            if (!known)
                return bn_fail(why, whylen, BN_EFORMAT, "%s:%d: unknown section [%.40s]", name,
                               lineno, section);
            continue;
        }
        if ((eq = strchr(k, '=')) == NULL)
            return bn_fail(why, whylen, BN_EFORMAT, "%s:%d: expected 'key = value', got '%.60s'",
                           name, lineno, k);
        if (skipping)
            continue;
        *eq = '\0';
        v = trim(eq + 1);
        k = trim(k);
        for (i = 0; i < n; i++)
            if (strcmp(keys[i].section, section) == 0 && strcmp(keys[i].name, k) == 0)
                break;
        if (i == n) {
            if (section[0] != '\0')
                return bn_fail(why, whylen, BN_EFORMAT, "%s:%d: unknown key '%.40s' in [%s]",
                               name, lineno, k, section);
            return bn_fail(why, whylen, BN_EFORMAT, "%s:%d: unknown key '%.40s'", name, lineno,
                           k);
        }
        if (seen != NULL && seen[i] != 0)
            return bn_fail(why, whylen, BN_EFORMAT, "%s:%d: %s given twice (first on line %d)",
                           name, lineno, k, seen[i]);
        if ((rc = one_value(&keys[i], v, name, lineno, why, whylen)) != 0)
            return rc;
        if (seen != NULL)
            seen[i] = lineno;
    }
    return 0;
}

int conf_parse(const char *text, size_t len, const char *name, const conf_key_t *keys, size_t n,
               const char *const *skip, int *seen, char *why, size_t whylen)
{
    int *own = NULL, rc;

    /* the lines of the keys, for "given twice", even when the caller
     * does not want them */
    if (seen == NULL && n > 0 && (seen = own = calloc(n, sizeof *own)) == NULL)
        return bn_fail(why, whylen, BN_ENOMEM, "%s", name);
    rc = parse(text, len, name, keys, n, skip, seen, why, whylen);
    free(own);
    return rc;
}

int conf_load(const char *path, const conf_key_t *keys, size_t n, const char *const *skip,
              int *seen, char *why, size_t whylen)
{
    FILE *f = fopen(path, "rb");
    char *text = NULL;
    size_t len = 0, cap = 0;
    int rc;

    if (f == NULL)
        return bn_fail(why, whylen, errno == ENOENT ? BN_ENOTFOUND : BN_EIO, "%s: %s", path,
                       strerror(errno));
    for (;;) {
        size_t got;

        if (len == cap) {
            char *t;
            if (cap >= (1u << 20)) {
                rc = bn_fail(why, whylen, BN_ETOOBIG, "%s: over 1 MiB", path);
                goto out;
            }
            cap = cap ? cap * 2 : 4096;
            if ((t = realloc(text, cap)) == NULL) {
                rc = bn_fail(why, whylen, BN_ENOMEM, "%s", path);
                goto out;
            }
            text = t;
        }
        got = fread(text + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        rc = bn_fail(why, whylen, BN_EIO, "%s: read error", path);
        goto out;
    }
    rc = conf_parse(text, len, path, keys, n, skip, seen, why, whylen);
out:
    free(text);
    fclose(f);
    return rc;
}

static int is_assets(const char *dir)
{
    char p[PATH_MAX + 80];
    struct stat st;

    snprintf(p, sizeof p, "%s/i18n", dir);
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

int conf_assets(const char *given, char *out, size_t cap, char *why, size_t whylen)
{
    const char *env = getenv("BORNE_ASSETS");
    char exe[PATH_MAX], try[PATH_MAX + 64], *slash; /* realpath writes up to PATH_MAX */
    ssize_t n;
    int up;

    if (given == NULL || *given == '\0')
        given = env;
    if (given != NULL && *given != '\0') {
        if (strlen(given) >= cap)
            return bn_fail(why, whylen, BN_ERANGE, "assets folder name too long");
        snprintf(out, cap, "%s", given);
        return 0;
    }
    if ((n = readlink("/proc/self/exe", exe, sizeof exe - 1)) <= 0)
        return bn_fail(why, whylen, BN_ENOTFOUND,
                       "cannot tell where this program is: give --assets DIR or set BORNE_ASSETS");
    exe[n] = '\0';
    if ((slash = strrchr(exe, '/')) != NULL)
        *slash = '\0';
    /* installed: PREFIX/bin/borne and PREFIX/share/borne */
    snprintf(try, sizeof try, "%s/../share/borne", exe);
    for (up = 0; !is_assets(try) && up < 4; up++) {
        /* built: SRC/build/ui/borne and SRC/assets */
        size_t k = strlen(exe);
        snprintf(try, sizeof try, "%s/assets", exe);
        if (is_assets(try))
            break;
        if ((slash = strrchr(exe, '/')) == NULL || slash == exe || k == 0)
            break;
        *slash = '\0';
    }
    if (!is_assets(try))
        return bn_fail(why, whylen, BN_ENOTFOUND,
                       "borne's assets (i18n/, campaigns/) are neither in ../share/borne nor in "
                       "an assets/ folder above the program: give --assets DIR or set "
                       "BORNE_ASSETS");
    if (realpath(try, exe) == NULL || strlen(exe) >= cap)
        return bn_fail(why, whylen, BN_ERANGE, "%s: cannot be resolved", try);
    snprintf(out, cap, "%s", exe);
    return 0;
}
