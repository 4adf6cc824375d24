/* fuzz_ksync_conf.c - libFuzzer target: a kiosk's server.conf (ksync.h).
 * Whatever the bytes: 0 with a host and a port in range, or BN_EFORMAT
 * with a message; never a read past the input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bn_err.h"
#include "ksync.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1), why[300] = "";
    ksync_conf_t c;
    int rc;

    if (text == NULL)
        return 0;
    memcpy(text, data, size); /* exactly size bytes are read: no NUL after them */
    rc = ksync_conf_parse(text, size, "server.conf", &c, why, sizeof why);
    if (rc == 0 && (c.host[0] == '\0' || c.port < 1 || c.port > 65535 || c.batch_casts < 1))
        abort();
    if (rc != 0 && (rc != BN_EFORMAT || why[0] == '\0'))
        abort();
    free(text);
    return 0;
}
