/* fuzz_ballot.c - libFuzzer target: strict decoding and verification of a
 * ballot. Decoding is canonical (what decodes re-encodes to the same bytes)
 * and nothing verifies that does not decode. Key: tests/vectors/ballot. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ballot.h"

static const uint8_t vector_pub[KEY_PUB_LEN] = {
    0x04, 0x62, 0x8a, 0xc7, 0xcb, 0x30, 0x5d, 0x0c, 0x0d, 0x05, 0x00, 0x10, 0xf0,
    0xf6, 0x34, 0x7d, 0xb1, 0x1b, 0x24, 0xf2, 0x3e, 0x91, 0x43, 0x02, 0xd0, 0xb6,
    0x5d, 0xcd, 0x32, 0xc8, 0x2b, 0x14, 0x4a, 0xc6, 0xc9, 0x07, 0xb0, 0x98, 0xf4,
    0x3c, 0x6f, 0xa0, 0x97, 0x1d, 0x5d, 0xf5, 0x68, 0xf1, 0x08, 0xac, 0x52, 0xca,
    0x7c, 0x2b, 0xe6, 0xd5, 0x44, 0xe9, 0x26, 0xaa, 0x2a, 0xfa, 0xbc, 0x94, 0x22,
};

/* Signs with the decoded signature, so that sealing re-encodes the input. */
static int echo_sign(void *ctx, const uint8_t digest[32], uint8_t sig[KEY_SIG_LEN])
{
    (void)digest;
    memcpy(sig, ctx, KEY_SIG_LEN);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t out[BALLOT_MAX_LEN];
    static key_pub_t kiosk;
    static int ready;
    signer_t echo;
    ballot_t b;
    char why[160];
    size_t len;
    int decoded;

    if (!ready && key_pub_from_point(vector_pub, &kiosk) != 0)
        abort();
    ready = 1;
    decoded = ballot_decode(data, size, &b, why, sizeof why) == 0;
    if (decoded) {
        echo.ctx = b.sig;
        echo.sign = echo_sign;
        echo.pub = kiosk;
        if (ballot_seal(&b, &echo, out, sizeof out, &len) != 0 || len != size ||
            memcmp(out, data, size) != 0)
            abort();
    }
    if (ballot_verify(data, size, &kiosk) == 0 && !decoded)
        abort();
    return 0;
}
