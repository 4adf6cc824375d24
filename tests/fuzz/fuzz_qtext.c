/* fuzz_qtext.c - libFuzzer target: strict decoding of a questionnaire's
 * free-text record (issue 17). What decodes is canonical (sealed again with
 * the same fields and an echo signer, the very bytes decoded); a record that
 * does not decode is never verified. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "answers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int echo(void *ctx, const uint8_t digest[32], uint8_t sig[KEY_SIG_LEN])
{
    (void)digest;
    memcpy(sig, ctx, KEY_SIG_LEN);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t out[QTEXT_MAX_LEN];
    static qtext_t t;
    signer_t s;
    key_pub_t k;
    size_t len = 0;

    if (qtext_decode(data, size, &t, NULL, 0) != 0) {
        memset(&k, 0, sizeof k);
        if (qtext_verify(data, size, &k) == 0)
            abort();
        return 0;
    }
    if (size < QTEXT_MIN_LEN || size > QTEXT_MAX_LEN || t.day == 0 || t.text[0] == '\0' ||
        memcmp(t.sig, data + size - KEY_SIG_LEN, KEY_SIG_LEN) != 0)
        abort();
    memset(&s, 0, sizeof s);
    s.sign = echo;
    s.ctx = t.sig;
    if (qtext_seal(&t, &s, out, sizeof out, &len) != 0 || len != size ||
        memcmp(out, data, size) != 0)
        abort();
    return 0;
}
