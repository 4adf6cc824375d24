/* testutil.h - small helpers shared by the test programs. */
#ifndef TESTUTIL_H
#define TESTUTIL_H

#include <stddef.h>
#include <stdint.h>

/* A fresh private directory under $TMPDIR (or /tmp); removed by tu_rmtree. */
char *tu_tmpdir(const char *tag);

/* Removes a directory tree (best effort). */
void tu_rmtree(const char *path);

/* path = dir "/" name, malloc'd. */
char *tu_path(const char *dir, const char *name);

/* Reads a whole file (NUL-terminated); NULL on error. */
uint8_t *tu_read(const char *path, size_t *len);

/* Writes a whole file; 0 or -1. */
int tu_write(const char *path, const void *data, size_t len);

/* A path under the assets folder (BORNE_ASSETS), malloc'd. */
char *tu_asset(const char *rel);

/* A path under tests/vectors (BORNE_VECTORS), malloc'd. */
char *tu_vector(const char *rel);

/* Test vector files: "name = value" lines, records separated by blank
 * lines, '#' comments. */
#define TU_VEC_MAX_FIELDS 16

typedef struct tu_vec_s {
    int n;
    char *name[TU_VEC_MAX_FIELDS];
    char *value[TU_VEC_MAX_FIELDS];
} tu_vec_t;

/* The value of a field, or NULL. */
const char *tu_vec_find(const tu_vec_t *v, const char *name);

/* The value of a field; fails the test when it is missing. */
const char *tu_vec_get(const tu_vec_t *v, const char *name);

/* Calls fn on each record of tests/vectors/REL; the number of records.
 * Fails the test if the file cannot be read or a line is malformed. */
int tu_vec_each(const char *rel, void (*fn)(const tu_vec_t *, void *), void *arg);

#endif
