/* fuzz_provision.c - libFuzzer target: a provisioning bundle's manifest
 * (provision.json, provision.h), the part of a bundle on a USB stick that
 * is read as text. What reads has every string within its field and
 * NUL-terminated, the port in 1..65535, at most PROVISION_MAX_FILES files
 * whose names hold no '/' and do not start with '.', at most
 * PROVISION_MAX_SECRETS secrets; what does not read says why. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "provision.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int bounded(const char *s, size_t cap)
{
    return memchr(s, '\0', cap) != NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static provision_t m;
    char why[256] = "";
    int i;

    if (provision__parse_manifest((const char *)data, size, &m, why, sizeof why) != 0) {
        if (why[0] == '\0')
            abort();
        return 0;
    }
    if (!bounded(m.kiosk, sizeof m.kiosk) || strlen(m.commune) != 5 ||
        strlen(m.departement) < 2 || strlen(m.departement) > 3 ||
        !bounded(m.host, sizeof m.host) || !bounded(m.address, sizeof m.address) ||
        m.port < 1 || m.port > 65535 || m.n_files < 0 || m.n_files > PROVISION_MAX_FILES ||
        m.n_secrets < 0 || m.n_secrets > PROVISION_MAX_SECRETS)
        abort();
    for (i = 0; i < m.n_files; i++)
        if (!bounded(m.files[i].name, sizeof m.files[i].name) ||
            strchr(m.files[i].name, '/') != NULL || m.files[i].name[0] == '.')
            abort();
    for (i = 0; i < m.n_secrets; i++)
        if (!bounded(m.secrets[i].campaign, sizeof m.secrets[i].campaign))
            abort();
    return 0;
}
