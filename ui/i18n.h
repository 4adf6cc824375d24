/* i18n.h - translation catalogs (`key = text` files) and the French way of
 * writing money and dates, in every language.
 *
 * A catalog is UTF-8 text, one `key = text` a line, `#` starts a comment
 * line, blank lines are ignored. Texts may hold placeholders `{name}` filled
 * by i18n_format(). Adding a language is adding a file. */
#ifndef I18N_H
#define I18N_H

#include <stddef.h>
#include <stdint.h>

typedef struct i18n_s i18n_t;

/* Loads a catalog file. BN_EIO, BN_EFORMAT (with the line in `why`: a line
 * without `=`, an empty key, a duplicate key, invalid UTF-8), BN_ENOMEM. */
int i18n_load(const char *path, i18n_t **out, char *why, size_t whylen);

/* Parses catalog text (len bytes). Same errors as i18n_load. */
int i18n_parse(const char *text, size_t len, i18n_t **out, char *why, size_t whylen);

void i18n_free(i18n_t *c);

/* The text of `key`, or NULL when the catalog lacks it. */
const char *i18n_get(const i18n_t *c, const char *key);

/* Number of entries, and the key of entry i (file order). */
int i18n_count(const i18n_t *c);
const char *i18n_key(const i18n_t *c, int i);

/* Copies `tmpl` into out (cap bytes with the NUL), replacing each `{name}`
 * by the value paired with name in kv = {name1, value1, name2, value2, ...,
 * NULL}. An unknown placeholder is copied as is. Truncates on a UTF-8
 * character boundary. Returns the length written. */
size_t i18n_format(char *out, size_t cap, const char *tmpl, const char *const *kv);

/* The placeholder names of a text, sorted and joined with ',' into out:
 * "{n} of {max}" gives "max,n". For catalog consistency checks. */
void i18n_placeholders(const char *text, char *out, size_t cap);

/* Money in euros the French way, in every language: "1 234 567 €", groups
 * of three digits separated by U+202F (narrow no-break space), U+00A0
 * (no-break space) before the sign; "-1 500 €" when negative. */
void fmt_money(int64_t euros, char *out, size_t cap);

/* A count with the same grouping ("12 345"). */
void fmt_int(int64_t n, char *out, size_t cap);

/* A date as "31/03/2024". */
void fmt_date(int year, int month, int mday, char *out, size_t cap);

#endif
