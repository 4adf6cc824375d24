/* track.h - the tracking code printed on a receipt.
 *
 * XXXX-XXXX-XXXX: 11 data characters (55 bits) and one check character, in
 * Crockford's base 32 (0-9 A-Z without I L O U). The data is
 * HMAC-SHA256(tracking key, "borne-track-v1" || ballot id), truncated: the
 * tracking key derives from the campaign secret that kiosks, the server and
 * the tally hold and the public does not, so nobody else can compute a
 * ballot's code from the published ballot, and a receipt proves nothing
 * about the choices to anyone who could buy or force a vote. The check
 * character (Luhn mod 32) catches any single mistyped character and every
 * swap of two adjacent characters except 0 <-> Z (99.8 % of them; measured
 * in tests/unit/test_track.c). */
#ifndef TRACK_H
#define TRACK_H

#include <stdint.h>

#define TRACK_CHARS 12     /* data + check */
#define TRACK_TEXT_LEN 14  /* with the two dashes, without the NUL */

/* The tracking key of a campaign: HKDF-SHA256(secret, info "borne tracking v1"). */
int track_key(const uint8_t secret[32], uint8_t key[32]);

/* The code of a ballot id, "XXXX-XXXX-XXXX" and a NUL in out. */
int track_code(const uint8_t key[32], const uint8_t ballot_id[16], char out[TRACK_TEXT_LEN + 1]);

/* Reads a typed code: case, spaces and dashes do not matter, O reads as 0,
 * I and L as 1. Writes the canonical "XXXX-XXXX-XXXX" form. BN_EFORMAT for a
 * wrong length or character, BN_ECHECK when the check character does not
 * match (a mistyped character). */
int track_parse(const char *typed, char out[TRACK_TEXT_LEN + 1]);

#endif
