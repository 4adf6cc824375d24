/* wire.h - the small pieces every binary format of borne shares: big-endian
 * integers and 16-byte token fields (ids of campaigns, territories, projects,
 * cantons), read strictly. Used by ballot, petition, report, bundle, audit. */
#ifndef WIRE_H
#define WIRE_H

#include <stddef.h>
#include <stdint.h>

#define WIRE_TOKEN_LEN 16

/* Writes v as n bytes (1..8), most significant first. */
void wire_put_be(uint8_t *p, uint64_t v, int n);

/* Reads n bytes (1..8), most significant first. */
uint64_t wire_get_be(const uint8_t *p, int n);

/* 1 when s is a token: 1..16 bytes of [a-z0-9-], the first not '-'. */
int wire_token_ok(const char *s);

/* Writes a token (wire_token_ok) into its field, NUL-padded to 16 bytes. */
void wire_token_put(uint8_t field[WIRE_TOKEN_LEN], const char *s);

/* Reads a token field strictly: a token, then NUL bytes only. Returns NULL
 * and fills out (17 bytes), or a static reason for a message. */
const char *wire_token_get(const uint8_t field[WIRE_TOKEN_LEN], char out[WIRE_TOKEN_LEN + 1]);

/* Text a person typed, as formats carry it: strict UTF-8 (no overlong form,
 * surrogate or code point above U+10FFFF) and no control character (C0, DEL,
 * C1), except line feeds when `newlines`. Returns its number of code points,
 * or -1. */
long wire_text_chars(const uint8_t *s, size_t n, int newlines);

#endif
