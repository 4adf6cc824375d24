/* fuzz_i18n.c - libFuzzer target: a translation catalog (ui/i18n.h), a
 * file anyone adding a language writes. What parses has every key found
 * again by i18n_get, to a text that is NUL-terminated; every text formats
 * (i18n_format) within its buffer whatever its placeholders, filled or not;
 * what does not parse says why. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const kv[] = {"n", "12", "name", "Éloïse", "total", "3", NULL};
    i18n_t *c = NULL;
    char why[256] = "", out[64], ph[64];
    int i, n;

    if (i18n_parse((const char *)data, size, &c, why, sizeof why) != 0) {
        if (why[0] == '\0' || c != NULL)
            abort();
        return 0;
    }
    n = i18n_count(c);
    for (i = 0; i < n; i++) {
        const char *k = i18n_key(c, i), *t = i18n_get(c, k);

        if (k == NULL || t == NULL)
            abort();
        (void)i18n_format(out, sizeof out, t, kv);
        if (memchr(out, '\0', sizeof out) == NULL)
            abort();
        i18n_placeholders(t, ph, sizeof ph);
        if (memchr(ph, '\0', sizeof ph) == NULL)
            abort();
    }
    i18n_free(c);
    return 0;
}
