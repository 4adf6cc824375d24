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

#endif
