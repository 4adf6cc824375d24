/* fuzz_conf.c - libFuzzer target: borne's one configuration format
 * (conf.h): /etc/borne/borne.conf, which an installer or a technician
 * edits by hand, read against a table like the kiosk's and the server's
 * (every type: text, whole numbers with a unit, a host, yes/no; sections
 * and a skipped one). What parses has every text NUL-terminated within its
 * field, every number within its bounds times its unit, yes/no 0 or 1, a
 * host of its characters only, and the line each was on; what does not
 * parse names the line. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const skip[] = {"tally", NULL};
    char state[256], size_s[32], host[128], listen[64], why[512] = "";
    long long warn = -1, body = -1, port = -1;
    int audio = -1, seen[7], i;
    conf_key_t keys[7] = {
        {"kiosk", "state", CONF_TEXT, 0, 0, 0, state, sizeof state},
        {"kiosk", "size", CONF_TEXT, 0, 0, 0, size_s, sizeof size_s},
        {"kiosk", "warn-s", CONF_INT, 5, 3600, 1, &warn, 0},
        {"kiosk", "audio", CONF_BOOL, 0, 0, 0, &audio, 0},
        {"kiosk", "server-address", CONF_HOST, 1, 0, 0, host, sizeof host},
        {"server", "max-body-mib", CONF_INT, 1, 4096, 1048576, &body, 0},
        {"server", "listen", CONF_TEXT, 0, 0, 0, listen, sizeof listen},
    };

    (void)port;
    memset(state, 'x', sizeof state);
    memset(size_s, 'x', sizeof size_s);
    memset(host, 'x', sizeof host);
    memset(listen, 'x', sizeof listen);
    memset(seen, 0, sizeof seen);
    if (conf_parse((const char *)data, size, "borne.conf", keys, 7, skip, seen, why,
                   sizeof why) != 0) {
        if (strncmp(why, "borne.conf", 10) != 0)
            abort();
        return 0;
    }
    for (i = 0; i < 7; i++)
        if (seen[i] < 0)
            abort();
    if ((seen[0] && memchr(state, '\0', sizeof state) == NULL) ||
        (seen[1] && memchr(size_s, '\0', sizeof size_s) == NULL) ||
        (seen[6] && memchr(listen, '\0', sizeof listen) == NULL) ||
        (seen[2] && (warn < 5 || warn > 3600)) ||
        (seen[5] && (body < 1048576 || body > 4096LL * 1048576 || body % 1048576 != 0)) ||
        (seen[3] && audio != 0 && audio != 1))
        abort();
    /* lo = 1: an empty host is allowed (a value that is all comment) */
    if (seen[4] && (memchr(host, '\0', sizeof host) == NULL ||
                    strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                                 "-.:") != strlen(host)))
        abort();
    return 0;
}
