/* conf.h - the one configuration format of borne: "key = value" lines,
 * '#' comments, "[section]" headers. /etc/borne/borne.conf (sections
 * [kiosk] and [server]) and a kiosk's STATE/server.conf (no section) are
 * both read by conf_parse, against a table of the keys a program knows.
 *
 * Every refusal names the file, the line, the key and the value:
 *   borne.conf:12: warn-s: '6O' is not a whole number from 5 to 3600 */
#ifndef CONF_H
#define CONF_H

#include <stddef.h>

typedef enum conf_type_e {
    CONF_INT,  /* a whole decimal number in [lo, hi], times unit (0: 1); long long */
    CONF_TEXT, /* any printable text under cap bytes (may be empty); char[cap] */
    CONF_HOST, /* a host name or address: letters, digits, '-', '.', ':'; char[cap];
                  empty only when lo = 1 */
    CONF_BOOL  /* yes/no, true/false, on/off, 1/0; int */
} conf_type_t;

typedef struct conf_key_s {
    const char *section; /* "" : before any [section] header */
    const char *name;
    conf_type_t type;
    long long lo, hi, unit;
    void *dst;
    size_t cap;
} conf_key_t;

/* Parses `text` (`name` for messages) against keys[0..n): each key found
 * is written to its dst and seen[i] set to its line (seen may be NULL).
 * Sections named in `skip` (NULL-terminated, may be NULL) are other
 * programs': their lines are read and ignored. BN_EFORMAT for an unknown
 * section or key, a key given twice, a bad value, a NUL byte or a line
 * over 511 bytes. */
int conf_parse(const char *text, size_t len, const char *name, const conf_key_t *keys, size_t n,
               const char *const *skip, int *seen, char *why, size_t whylen);

/* Reads and parses the file `path`. A missing file is BN_ENOTFOUND (the
 * caller decides whether that matters). */
int conf_load(const char *path, const conf_key_t *keys, size_t n, const char *const *skip,
              int *seen, char *why, size_t whylen);

/* Where borne's assets are (i18n/, campaigns/, data/): `given` (a flag
 * or the configuration) if not NULL or empty, else $BORNE_ASSETS, else
 * found from the program's own place (/proc/self/exe): an installed
 * program's ../share/borne, a built one's source tree (the first
 * assets/ up from the program's folder). No path of the build machine
 * is compiled in. BN_ENOTFOUND with what to do in `why`. */
int conf_assets(const char *given, char *out, size_t cap, char *why, size_t whylen);

/* The default configuration file, and the environment variable that
 * names another one (tests): BORNE_CONFIG. */
#define CONF_DEFAULT_PATH "/etc/borne/borne.conf"

#endif
