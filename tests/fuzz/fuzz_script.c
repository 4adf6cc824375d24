/* fuzz_script.c - libFuzzer target: the kiosk's script format (ui/script.h,
 * docs/scripting.md), read from a file given on the command line. What
 * parses has commands of known kinds, in increasing line order, each
 * argument NUL-terminated within its field; what does not parse says which
 * line and why. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "script.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    script_t s;
    char why[3072] = "", *text = malloc(size + 1);
    int i, last = 0;

    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    memset(&s, 0, sizeof s);
    if (script_parse(text, &s, why, sizeof why) != 0) {
        if (why[0] == '\0')
            abort();
        free(text);
        return 0;
    }
    for (i = 0; i < s.n; i++) {
        const sc_cmd_t *c = &s.cmds[i];

        if (c->kind < SC_TAP_LABEL || c->kind > SC_WRITE || c->line < last ||
            memchr(c->arg, '\0', sizeof c->arg) == NULL)
            abort();
        last = c->line;
    }
    script_free(&s);
    free(text);
    return 0;
}
