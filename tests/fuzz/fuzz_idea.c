/* fuzz_idea.c - libFuzzer target: strict decoding of an idea record (issue
 * 17). What decodes has the length its lengths and flags say, texts within
 * their limits and valid, and re-seals (with the same fields, an echo
 * signer and a known contact key left aside) to the very bytes decoded when
 * it has no contact; a record that does not decode is never verified. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "idea.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int echo(void *ctx, const uint8_t digest[32], uint8_t sig[KEY_SIG_LEN])
{
    (void)digest;
    memcpy(sig, ctx, KEY_SIG_LEN);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t out[IDEA_MAX_LEN];
    static idea_t s;
    key_pub_t k;
    size_t len = 0;

    if (idea_decode(data, size, &s, NULL, 0) != 0) {
        memset(&k, 0, sizeof k);
        if (idea_verify(data, size, &k) == 0)
            abort();
        return 0;
    }
    if (size < IDEA_MIN_LEN || size > IDEA_MAX_LEN || s.day == 0 || s.title[0] == '\0' ||
        s.description[0] == '\0' || strlen(s.title) > IDEA_TITLE_BYTES ||
        memcmp(s.sig, data + size - KEY_SIG_LEN, KEY_SIG_LEN) != 0)
        abort();
    if (!s.has_contact) {
        /* canonical: the same fields sealed again give the same bytes */
        signer_t echo_signer;
        rng_t *rng = NULL;
        memset(&echo_signer, 0, sizeof echo_signer);
        echo_signer.sign = echo;
        echo_signer.ctx = s.sig;
        if (rng_open_fixed(&rng, (const uint8_t *)"fuzz", 4) != 0)
            abort();
        if (idea_seal(&s, NULL, NULL, &echo_signer, rng, out, sizeof out, &len) != 0 ||
            len != size || memcmp(out, data, size) != 0)
            abort();
        rng_close(rng);
    }
    return 0;
}
