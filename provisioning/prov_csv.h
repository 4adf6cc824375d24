/* prov_csv.h - tables as spreadsheets export them, for borne-admin.
 *
 * A participation team's files come out of LibreOffice or Excel, set to
 * French: UTF-8 with or without a byte order mark, or Windows-1252; fields
 * separated by ';' (a French Excel's default), ',' or a tab; fields quoted
 * with '"' ("" for a quote) that may hold separators and line breaks; lines
 * ending in CRLF, LF or CR. prov_csv_parse reads all of these into UTF-8
 * text, with the line and column where each field starts, so that every
 * later message can say "projets.csv:12:31: ..." (docs/provisioning.md,
 * "Spreadsheets").
 *
 * The first row is the header. Every row must have as many fields as the
 * header; blank lines are skipped. */
#ifndef PROV_CSV_H
#define PROV_CSV_H

#include <stddef.h>
#include <stdint.h>

#define PROV_CSV_MAX_BYTES (256u << 20) /* largest file read */

typedef enum {
    PROV_CSV_UTF8 = 1,
    PROV_CSV_UTF8_BOM = 2,
    PROV_CSV_CP1252 = 3    /* converted to UTF-8 */
} prov_csv_enc_t;

typedef struct prov_csv_cell_s {
    char *s;               /* UTF-8, NUL-terminated */
    int line, col;         /* where the field starts: 1-based; col in characters */
} prov_csv_cell_t;

typedef struct prov_csv_s {
    char *name;            /* as given, for messages */
    prov_csv_enc_t enc;
    char sep;
    int n_cols;            /* fields of the header */
    int n_rows;            /* rows after the header */
    prov_csv_cell_t *head; /* n_cols */
    prov_csv_cell_t *cells;/* n_rows * n_cols, row by row */
} prov_csv_t;

/* Parses `len` bytes (need not be NUL-terminated); `name` goes into the
 * messages. BN_EFORMAT with "NAME:LINE:COL: what" in `why` for: an empty
 * file, a separator that cannot be told (the header has none of ; , tab), a
 * quote left open (at the opening quote), text after a closing quote, a
 * quote inside an unquoted field, a NUL byte or a byte Windows-1252 does not
 * define, a row with another number of fields than the header. BN_ETOOBIG,
 * BN_ENOMEM. */
int prov_csv_parse(const uint8_t *buf, size_t len, const char *name, prov_csv_t **out,
                   char *why, size_t whylen);

/* prov_csv_parse on a file's content. BN_EIO names the file. */
int prov_csv_read(const char *path, prov_csv_t **out, char *why, size_t whylen);

void prov_csv_free(prov_csv_t *t);

/* The cell of row r (0 = first after the header), column c. */
const prov_csv_cell_t *prov_csv_at(const prov_csv_t *t, int r, int c);

/* The column whose header, folded (prov_csv_fold), equals one of `names`
 * (folded forms, NULL-terminated, in order of preference: the first name
 * that a header has wins, wherever its column is), or -1. */
int prov_csv_column(const prov_csv_t *t, const char *const *names);

/* Folds a header for matching: lower case, accents of Latin letters
 * dropped, every run of other characters made one '_', none at either end:
 * "Coût (€)" -> "cout", "Titre FR" -> "titre_fr". */
void prov_csv_fold(const char *s, char *out, size_t cap);

/* Parses an amount of euros as spreadsheets write it: "12500", "12 500",
 * "12 500,00 €", "12.500,00", "12,500.00", "€12,500", "12500 EUR", with
 * normal, non-breaking or narrow non-breaking spaces. The cents, if written,
 * must be zero (amounts are whole euros). 0 and *out, or BN_EFORMAT with the
 * reason (without a place) in `why`. */
int prov_parse_euros(const char *s, int64_t *out, char *why, size_t whylen);

#endif
