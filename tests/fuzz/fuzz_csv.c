/* fuzz_csv.c - libFuzzer target: spreadsheets as borne-admin reads them
 * (provisioning/prov_csv.h: INSEE's commune file, the projects, the
 * cantons; UTF-8 with or without BOM or Windows-1252, ; , or tab, quoted
 * fields with line breaks). What parses has every cell (and the header) as
 * valid UTF-8 without NUL inside, at a line and column of 1 or more, rows in
 * order, as many fields as the header; what does not parse says where. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "prov_csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* 1 when s is UTF-8 (no overlong form, no surrogate, up to U+10FFFF). */
static int utf8_ok(const unsigned char *s)
{
    while (*s) {
        unsigned c = *s, n, cp, i;

        if (c < 0x80) {
            s++;
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf)
            n = 1, cp = c & 0x1f;
        else if (c >= 0xe0 && c <= 0xef)
            n = 2, cp = c & 0x0f;
        else if (c >= 0xf0 && c <= 0xf4)
            n = 3, cp = c & 0x07;
        else
            return 0;
        for (i = 1; i <= n; i++) {
            if ((s[i] & 0xc0) != 0x80)
                return 0;
            cp = (cp << 6) | (s[i] & 0x3f);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
            (cp >= 0xd800 && cp <= 0xdfff))
            return 0;
        s += n + 1;
    }
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    prov_csv_t *t = NULL;
    char why[512] = "";
    int r, c, last = 0;

    if (prov_csv_parse(data, size, "fuzz.csv", &t, why, sizeof why) != 0) {
        if (why[0] == '\0' || t != NULL)
            abort();
        return 0;
    }
    if (t->n_cols < 1 || t->n_rows < 0 || (t->sep != ';' && t->sep != ',' && t->sep != '\t'))
        abort();
    for (c = 0; c < t->n_cols; c++)
        if (t->head[c].s == NULL || !utf8_ok((const unsigned char *)t->head[c].s) ||
            t->head[c].line < 1 || t->head[c].col < 1)
            abort();
    for (r = 0; r < t->n_rows; r++)
        for (c = 0; c < t->n_cols; c++) {
            const prov_csv_cell_t *x = prov_csv_at(t, r, c);

            if (x == NULL || x->s == NULL || !utf8_ok((const unsigned char *)x->s) ||
                x->line < last || x->col < 1)
                abort();
            last = x->line;
        }
    prov_csv_free(t);
    return 0;
}
