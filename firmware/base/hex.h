/* hex.h - strict lowercase hexadecimal, for digests and keys in text formats. */
#ifndef HEX_H
#define HEX_H

#include <stddef.h>
#include <stdint.h>

/* Writes 2*n lowercase hex digits and a NUL into out (2*n + 1 bytes). */
void hex_encode(const uint8_t *in, size_t n, char *out);

/* Decodes exactly 2*n lowercase hex digits from `text` (which must have
 * that length: strlen is not used, the caller gives textlen) into out[n].
 * BN_EFORMAT on a wrong length or any other character, including
 * uppercase: one value, one spelling. */
int hex_decode(const char *text, size_t textlen, uint8_t *out, size_t n);

#endif
