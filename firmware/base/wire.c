/* wire.c - big-endian integers and strict 16-byte token fields. */
#include "wire.h"

#include <string.h>

void wire_put_be(uint8_t *p, uint64_t v, int n)
{
    int i;

    for (i = n - 1; i >= 0; i--) {
        p[i] = (uint8_t)v;
        v >>= 8;
    }
}

uint64_t wire_get_be(const uint8_t *p, int n)
{
    uint64_t v = 0;
    int i;

    for (i = 0; i < n; i++)
        v = v << 8 | p[i];
    return v;
}

static int tok_char(unsigned char c, int first)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (!first && c == '-');
}

int wire_token_ok(const char *s)
{
    size_t i, n = strnlen(s, WIRE_TOKEN_LEN + 1);

    if (n == 0 || n > WIRE_TOKEN_LEN)
        return 0;
    for (i = 0; i < n; i++)
        if (!tok_char((unsigned char)s[i], i == 0))
            return 0;
    return 1;
}

void wire_token_put(uint8_t field[WIRE_TOKEN_LEN], const char *s)
{
    memset(field, 0, WIRE_TOKEN_LEN);
    memcpy(field, s, strnlen(s, WIRE_TOKEN_LEN));
}

const char *wire_token_get(const uint8_t field[WIRE_TOKEN_LEN], char out[WIRE_TOKEN_LEN + 1])
{
    size_t i, n = 0;

    while (n < WIRE_TOKEN_LEN && field[n] != 0)
        n++;
    if (n == 0)
        return "empty token";
    if (!tok_char(field[0], 1))
        return "token does not start with [a-z0-9]";
    for (i = 1; i < n; i++)
        if (!tok_char(field[i], 0))
            return "character outside [a-z0-9-] in a token";
    for (i = n; i < WIRE_TOKEN_LEN; i++)
        if (field[i] != 0)
            return "non-NUL byte after the NUL padding of a token";
    memcpy(out, field, n);
    out[n] = '\0';
    return NULL;
}

long wire_text_chars(const uint8_t *s, size_t n, int newlines)
{
    size_t i = 0;
    long chars = 0;

    while (i < n) {
        uint32_t c = s[i], min;
        size_t k, more;

        chars++;
        if (c < 0x80) {
            if ((c < 0x20 && !(c == '\n' && newlines)) || c == 0x7F)
                return -1;
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) {
            more = 1, min = 0x80, c &= 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            more = 2, min = 0x800, c &= 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            more = 3, min = 0x10000, c &= 0x07;
        } else {
            return -1;
        }
        if (n - i - 1 < more)
            return -1;
        for (k = 1; k <= more; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return -1;
            c = c << 6 | (s[i + k] & 0x3F);
        }
        if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF) || (c >= 0x80 && c < 0xA0))
            return -1;
        i += more + 1;
    }
    return chars;
}
