/* fuzz_pseud.c - libFuzzer target: name normalisation and pseudonyms on any
 * bytes. Normalising is idempotent, and a normalised name only has
 * lowercase letters, digits, single spaces and non-ASCII UTF-8. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pseud.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t secret[32] = {1};
    char in[1024], once[2048], twice[2048];
    uint8_t p[PSEUD_LEN];
    size_t i;

    if (size > 200) /* typed names; pseud_compute caps a name at 511 bytes */
        return 0;
    memcpy(in, data, size);
    in[size] = '\0';
    if (pseud_normalise(in, once, sizeof once) == 0) {
        if (pseud_normalise(once, twice, sizeof twice) != 0 || strcmp(once, twice) != 0)
            abort();
        for (i = 0; once[i]; i++)
            if ((unsigned char)once[i] < 0x80 && !(once[i] >= 'a' && once[i] <= 'z') &&
                !(once[i] >= '0' && once[i] <= '9') && !(once[i] == ' ' && i > 0 && once[i + 1]))
                abort();
        if (pseud_compute(secret, "c", in, in, "2000-01-01", p) != 0)
            abort();
    }
    return 0;
}
