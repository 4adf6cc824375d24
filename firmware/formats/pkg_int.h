/* pkg_int.h - internals shared by pkg.c and pkg_canon.c; not part of the API.
 *
 * A campaign text goes through three steps, in this order, and every public
 * entry point (pkg_parse, pkg_canonical, pkg_sign, pkg_open) runs all three:
 *
 *   pkg__load   (pkg_canon.c)  bytes -> cJSON tree: strict UTF-8, strict
 *                              RFC 8259 syntax, then over the tree: no
 *                              duplicate key, no control character, every
 *                              number an integer of at most 2^53.
 *   pkg__build  (pkg.c)        tree -> pkg_t: known keys only, types,
 *                              ranges, ids, references, dates, texts.
 *   pkg__write  (pkg_canon.c)  tree -> canonical bytes (what is signed).
 */
#ifndef PKG_INT_H
#define PKG_INT_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "pkg.h"

#define PKG__SHOW_MAX 40        /* bytes of a value or key quoted in a message */
#define PKG__SHOW_BUF 64        /* room for a quoted, truncated value */
#define PKG__SAFE_INT 9007199254740992LL /* 2^53: larger numbers are refused */

/* The path of the field being checked, for messages:
 * "projects[2].image.sha256" ("" at the top level). */
typedef struct pkg__path_s {
    char s[160];
    size_t n;
} pkg__path_t;

/* Append ".key" (or "key" at the top level) or "[i]"; each returns a mark
 * for pkg__path_pop. A long key is cut to PKG__SHOW_MAX bytes and "...". */
size_t pkg__path_key(pkg__path_t *p, const char *key);
size_t pkg__path_index(pkg__path_t *p, int i);
void pkg__path_pop(pkg__path_t *p, size_t mark);

/* A value as an error message quotes it: a string in double quotes (JSON
 * escapes, cut after PKG__SHOW_MAX bytes with "..."), an integer in decimal,
 * true, false, null, {...} or [...]. Writes into buf (PKG__SHOW_BUF bytes). */
const char *pkg__show(const cJSON *v, char *buf);

/* The same quoting for a C string. */
const char *pkg__show_str(const char *s, char *buf);

/* Step 1: strict load (see above). BN_EFORMAT, BN_ERANGE, BN_ETOOBIG,
 * BN_ENOMEM with the place in `why`. On success *root is the caller's
 * (cJSON_Delete). */
int pkg__load(const char *json, size_t len, cJSON **root, char *why, size_t whylen);

/* Step 2 (pkg.c): builds a package from a loaded tree. */
int pkg__build(const cJSON *root, pkg_t **out, char *why, size_t whylen);

/* Step 3: the canonical text of a loaded tree, malloc'd and NUL-terminated
 * (the NUL is not counted in *outlen). BN_ENOMEM. */
int pkg__write(const cJSON *root, char **out, size_t *outlen);

/* The three steps and the digest (pkg.c). `out`, `canon` may be NULL when
 * the caller does not want them. */
int pkg__parse_full(const char *json, size_t len, pkg_t **out, char **canon,
                    size_t *canonlen, char *why, size_t whylen);

#endif
