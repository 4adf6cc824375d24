/* fuzz_pkg.c - libFuzzer target: campaign texts and signed package files.
 * Besides not crashing or leaking: a text that parses has a canonical form,
 * that form is a fixed point and has the same digest. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pkg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const key_pub_t authority; /* zeros: signed files stop at the key id */
    char why[256], *c1 = NULL, *c2 = NULL;
    size_t n1 = 0, n2 = 0;
    pkg_t *p = NULL, *q = NULL;

    if (pkg_parse((const char *)data, size, &p, why, sizeof why) == 0) {
        if (pkg_canonical((const char *)data, size, &c1, &n1, why, sizeof why) != 0 ||
            pkg_canonical(c1, n1, &c2, &n2, why, sizeof why) != 0 || n1 != n2 ||
            memcmp(c1, c2, n1) != 0 || pkg_parse(c1, n1, &q, why, sizeof why) != 0 ||
            memcmp(p->digest, q->digest, sizeof p->digest) != 0)
            abort();
    }
    pkg_free(p);
    pkg_free(q);
    free(c1);
    free(c2);
    p = NULL;
    pkg_open(data, size, &authority, "35", 20500, &p, why, sizeof why);
    pkg_free(p);
    return 0;
}
