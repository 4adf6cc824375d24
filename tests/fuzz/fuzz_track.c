/* fuzz_track.c - libFuzzer target: reading a typed tracking code. What is
 * accepted comes back in the canonical form, which reads back as itself. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "track.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *typed = malloc(size + 1), out[TRACK_TEXT_LEN + 1], again[TRACK_TEXT_LEN + 1];

    if (typed == NULL)
        return 0;
    memcpy(typed, data, size);
    typed[size] = '\0';
    if (track_parse(typed, out) == 0) {
        if (strlen(out) != TRACK_TEXT_LEN || out[4] != '-' || out[9] != '-' ||
            track_parse(out, again) != 0 || strcmp(out, again) != 0)
            abort();
    }
    free(typed);
    return 0;
}
