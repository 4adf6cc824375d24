/* fuzz_preport.c - libFuzzer target: reading a poll report (a file that
 * comes back on a USB drive, preport.h) and a typed voting code (vcode.h).
 * A report that reads has its per-day counts summing to its totals; a code
 * that reads comes back canonical and reads back as itself. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "preport.h"
#include "vcode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    preport_t *r = malloc(sizeof *r);
    char *typed = malloc(size + 1), out[VCODE_TEXT_LEN + 1], again[VCODE_TEXT_LEN + 1];
    char why[300];

    if (r == NULL || typed == NULL)
        goto out;
    if (preport_parse((const char *)data, size, r, why, sizeof why) == 0) {
        uint64_t reg = 0, items = 0;
        int i;
        if (r->n_days < 0 || r->n_days > PREPORT_MAX_DAYS)
            abort();
        for (i = 0; i < r->n_days; i++) {
            reg += r->days[i].registered;
            items += r->days[i].items;
        }
        if (r->closing && (reg != r->registered || items != r->items))
            abort();
        if (!r->closing && (r->registered != 0 || r->items != 0 || r->n_days != 0))
            abort();
    }
    memcpy(typed, data, size);
    typed[size] = '\0';
    if (vcode_parse(typed, out) == 0 &&
        (strlen(out) != VCODE_TEXT_LEN || vcode_parse(out, again) != 0 || strcmp(out, again) != 0))
        abort();
out:
    free(r);
    free(typed);
    return 0;
}
