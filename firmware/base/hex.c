/* hex.c - strict lowercase hexadecimal. */
#include "hex.h"

#include "bn_err.h"

void hex_encode(const uint8_t *in, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    size_t i;

    for (i = 0; i < n; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * n] = '\0';
}

static int nibble(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

int hex_decode(const char *text, size_t textlen, uint8_t *out, size_t n)
{
    size_t i;
    int hi, lo;

    if (textlen != 2 * n)
        return BN_EFORMAT;
    for (i = 0; i < n; i++) {
        hi = nibble(text[2 * i]);
        lo = nibble(text[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return BN_EFORMAT;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return 0;
}
