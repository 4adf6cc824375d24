/* fuzz_report.c - libFuzzer target: a kiosk's closing (or zero) report
 * (report.h), as it travels in a bundle and on a USB stick. Decoding is
 * strict and canonical: what decodes has the length report_length gives
 * and re-seals (an echo signer) to the very bytes decoded; nothing
 * verifies that does not decode. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int echo(void *ctx, const uint8_t digest[32], uint8_t sig[KEY_SIG_LEN])
{
    (void)digest;
    memcpy(sig, ctx, KEY_SIG_LEN);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static report_t r;
    static uint8_t out[REPORT_MAX_LEN];
    signer_t s;
    key_pub_t k;
    size_t len = 0;
    char why[160] = "";

    if (report_decode(data, size, &r, why, sizeof why) != 0) {
        if (why[0] == '\0')
            abort();
        memset(&k, 0, sizeof k);
        if (report_verify(data, size, &k, NULL, 0) == 0)
            abort();
        return 0;
    }
    if (report_length(data, size) != size || size != REPORT_LEN_OF(r.n_communes))
        abort();
    memset(&s, 0, sizeof s);
    s.sign = echo;
    s.ctx = r.sig;
    memcpy(s.pub.id, r.kiosk, KEY_ID_LEN);
    if (report_seal(&r, &s, out, sizeof out, &len) != 0 || len != size ||
        memcmp(out, data, size) != 0)
        abort();
    return 0;
}
