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
