/* testutil.c - small helpers shared by the test programs. */
#include "testutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *tu_tmpdir(const char *tag)
{
    const char *base = getenv("TMPDIR");
    char *p;
    size_t n;

    if (base == NULL || *base == '\0')
        base = "/tmp";
    n = strlen(base) + strlen(tag) + 32;
    p = malloc(n);
    if (p == NULL)
        return NULL;
    snprintf(p, n, "%s/borne-%s-XXXXXX", base, tag);
    if (mkdtemp(p) == NULL) {
        free(p);
        return NULL;
    }
    return p;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st; (void)flag; (void)ftw;
    return remove(path);
}

void tu_rmtree(const char *path)
{
    if (path != NULL)
        nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

char *tu_path(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);

    if (p != NULL)
        snprintf(p, n, "%s/%s", dir, name);
    return p;
}

uint8_t *tu_read(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    long n;

    if (f == NULL)
        return NULL;
    if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0)
        goto out;
    buf = malloc((size_t)n + 1);
    if (buf == NULL)
        goto out;
    if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
        goto out;
    }
    buf[n] = 0;
    if (len != NULL)
        *len = (size_t)n;
out:
    fclose(f);
    return buf;
}

int tu_write(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    int rc = 0;

    if (f == NULL)
        return -1;
    if (fwrite(data, 1, len, f) != len)
        rc = -1;
    if (fclose(f) != 0)
        rc = -1;
    return rc;
}

char *tu_asset(const char *rel)
{
    const char *base = getenv("BORNE_ASSETS");

    return tu_path(base != NULL ? base : BORNE_ASSETS, rel);
}

char *tu_vector(const char *rel)
{
    const char *base = getenv("BORNE_VECTORS");

    return tu_path(base != NULL ? base : BORNE_VECTORS, rel);
}

const char *tu_vec_find(const tu_vec_t *v, const char *name)
{
    int i;

    for (i = 0; i < v->n; i++)
        if (strcmp(v->name[i], name) == 0)
            return v->value[i];
    return NULL;
}

const char *tu_vec_get(const tu_vec_t *v, const char *name)
{
    const char *s = tu_vec_find(v, name);

    if (s == NULL)
        fail_msg("vector field '%s' missing", name);
    return s;
}

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

int tu_vec_each(const char *rel, void (*fn)(const tu_vec_t *, void *), void *arg)
{
    char *path = tu_vector(rel), *text, *line, *next, *eq;
    tu_vec_t v = {0};
    int count = 0;

    text = (char *)tu_read(path, NULL);
    if (text == NULL)
        fail_msg("cannot read %s", path);
    for (line = text; line != NULL; line = next) {
        next = strchr(line, '\n');
        if (next != NULL)
            *next++ = '\0';
        line = trim(line);
        if (line[0] == '#')
            continue;
        if (line[0] == '\0') {
            if (v.n > 0) {
                fn(&v, arg);
                count++;
            }
            v.n = 0;
            continue;
        }
        eq = strchr(line, '=');
        if (eq == NULL || v.n >= TU_VEC_MAX_FIELDS)
            fail_msg("%s: malformed line '%s'", path, line);
        *eq = '\0';
        v.name[v.n] = trim(line);
        v.value[v.n] = trim(eq + 1);
        v.n++;
    }
    if (v.n > 0) {
        fn(&v, arg);
        count++;
    }
    free(text);
    free(path);
    return count;
}
