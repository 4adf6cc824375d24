/* fuzz_bundle.c - libFuzzer target: strict decoding of a bundle (and of a
 * revocation list, the other signed format of the sync). What decodes walks
 * to exactly the end of its sections; verification never accepts what does
 * not decode (the carried certificate serves as its own "authority", so the
 * X.509 parser and the chain check run too); a version 3 bundle's ideas and
 * free texts each lie inside it. */
#include <stdint.h>
#include <stdlib.h>

#include "bundle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *ballot;
    bundle_reg_t e;
    bundle_t b;
    size_t pos = 0, len;
    uint32_t i, n = 0;
    int decoded;

    (void)cert_revoke_decode(data, size, NULL, NULL, 0);
    decoded = bundle_decode(data, size, &b, NULL, 0) == 0;
    if (!decoded) {
        if (bundle_verify(data, size, data, size, NULL, 20785, NULL, NULL, NULL, 0) == 0)
            abort();
        return 0;
    }
    while (bundle_next_ballot(&b, &pos, &ballot, &len))
        n++;
    if (n != b.n_ballots || b.ballots + pos != b.registers)
        abort();
    for (i = 0; i < b.n_register; i++)
        bundle_register_at(&b, i, &e);
    /* version 3: every idea and free text inside the bundle, in bounds */
    for (i = 0; i < b.n_ideas; i++)
        if ((ballot = bundle_idea_at(&b, i, &len)) == NULL || ballot < data ||
            ballot + len > data + size)
            abort();
    for (i = 0; i < b.n_texts; i++)
        if ((ballot = bundle_text_at(&b, i, &len)) == NULL || ballot < data ||
            ballot + len > data + size)
            abort();
    (void)bundle_verify(data, size, b.cert, b.cert_len, NULL, 20785, NULL, NULL, NULL, 0);
    return 0;
}
