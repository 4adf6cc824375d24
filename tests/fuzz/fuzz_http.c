/* fuzz_http.c - libFuzzer target: the sync client's strict HTTP response
 * parser (http.h). The whole input parsed at once and fed in two pieces
 * (split by the first byte) must agree; an accepted body stays within the
 * limit and is NUL-terminated. */
#include <stdint.h>
#include <stdlib.h>

#include "http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static http_resp_t a, b;
    size_t split = size > 0 ? data[0] % (size + 1) : 0, used = 0, used2 = 0;
    int ra, rb;

    ra = http_parse(data, size, 1024, &a, NULL, 0);
    if (ra == 0 && (a.body_len > 1024 || (a.body != NULL && a.body[a.body_len] != 0)))
        abort();
    http_resp_init(&b, 1024);
    rb = http_resp_feed(&b, data, split, &used, NULL, 0);
    if (rb == 0)
        rb = http_resp_feed(&b, data + split, size - split, &used2, NULL, 0);
    if (rb == 0)
        rb = http_resp_eof(&b, NULL, 0);
    else if (rb == 1)
        rb = used + used2 == size ? 0 : -4;
    if ((ra == 0) != (rb == 0) || (ra == 0 && (a.body_len != b.body_len || a.status != b.status)))
        abort();
    http_resp_free(&a);
    http_resp_free(&b);
    return 0;
}
