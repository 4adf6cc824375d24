/* fuzz_cert.c - libFuzzer target: certificates and keys as the programs
 * load them (cert.h, key.h): the input read as a PEM certificate, as DER
 * (its key; checked against itself as the authority, so that the X.509
 * parser and the chain check run), as a PEM private key and as a PEM
 * public key. Whatever the bytes: an answer, never a read past them; a
 * certificate that reads from PEM has a DER within the buffer. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cert.h"
#include "key.h"
#include "rng.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t der[CERT_DER_MAX];
    static rng_t *rng;
    key_pair_t *kp = NULL;
    key_pub_t pub;
    size_t len = 0;
    char why[160];

    if (rng == NULL && rng_open_fixed(&rng, (const uint8_t *)"fuzz_cert", 9) != 0)
        abort();
    if (cert_from_pem((const char *)data, size, der, sizeof der, &len) == 0) {
        if (len == 0 || len > sizeof der)
            abort();
        (void)cert_key(der, len, &pub);
        (void)cert_verify(der, len, der, len, 20785, CERT_AUTHORITY, NULL, NULL, NULL, 0);
    }
    (void)cert_key(data, size, &pub);
    (void)cert_verify(data, size, data, size, 20785, CERT_KIOSK, "kiosk", NULL, NULL, 0);
    if (key_from_pem((const char *)data, size, rng, &kp) == 0)
        key_free(kp);
    (void)key_pub_from_pem((const char *)data, size, &pub, why, sizeof why);
    return 0;
}
