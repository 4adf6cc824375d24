/* fuzz_petition.c - libFuzzer target: strict decoding of a petition signature
 * record. What decodes has exactly PETITION_LEN bytes and its fields where
 * the layout says; a record that does not decode is never verified as
 * signed; the counters never count what does not verify. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "petition.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    petition_count_t c;
    petition_item_t it;
    petition_t s;
    key_pub_t k;

    if (petition_decode(data, size, &s, NULL, 0) != 0) {
        memset(&k, 0, sizeof k);
        if (petition_verify(data, size, &k) == 0)
            abort();
        return 0;
    }
    if (size != PETITION_LEN || memcmp(s.id, data + PETITION_OFF_ID, PETITION_ID_LEN) != 0 ||
        memcmp(s.sig, data + PETITION_SIGNED_LEN, KEY_SIG_LEN) != 0 || s.day == 0 ||
        (s.no_publish != 0 && s.no_publish != 1))
        abort();
    /* the record's own ephemeral point is a valid key, but not its signer */
    if (key_pub_from_point(data + 154, &k) != 0)
        abort();
    it.rec = data;
    it.len = size;
    it.kiosk = &k;
    {
        pkg_t p;

        memset(&p, 0, sizeof p);
        strcpy(p.id, s.campaign);
        p.kind = PKG_PETITION;
        p.opens = 1;
        p.closes = UINT32_MAX;
        p.petition.threshold = 1;
        p.petition.min_cantons = 1;
        if (petition_count(&p, &it, 1, &c) != 0 ||
            c.valid + c.invalid + c.outside + c.unknown_canton != 1 || c.valid != 0)
            abort();
    }
    return 0;
}
