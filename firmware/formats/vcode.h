/* vcode.h - the single-use voting code of a supervised campaign
 * (polls.eligibility "supervised", pkg.h).
 *
 * An agent at the town-hall desk checks the identity document and records
 * the participation in the register (cast_issue_code, cast.h); the citizen
 * gets a voting code, which the kiosk accepts once, that day, for that
 * campaign (cast_budget_code). A code is 12 digits, "1234 5678 9012": 11
 * random digits from the kiosk's generator and a Luhn check digit (any
 * single mistyped digit and most swaps of two neighbours are caught). The
 * store keeps only vcode_hash of it, a keyed hash: someone holding a copy of
 * the store cannot try all 10^11 codes without the campaign secret. */
#ifndef VCODE_H
#define VCODE_H

#include <stdint.h>

#include "rng.h"

#define VCODE_DIGITS 12
#define VCODE_TEXT_LEN 14          /* "1234 5678 9012" without the NUL */

/* A fresh code, canonical "1234 5678 9012" and a NUL in out. BN_ERNG. */
int vcode_make(rng_t *rng, char out[VCODE_TEXT_LEN + 1]);

/* Reads a typed code: spaces and dashes do not matter. Writes the canonical
 * form. BN_EFORMAT for a wrong length or a character that is not a digit,
 * BN_ECHECK when the check digit does not match (a mistyped digit). */
int vcode_parse(const char *typed, char out[VCODE_TEXT_LEN + 1]);

/* HMAC-SHA256(HKDF-SHA256(secret, info "borne voting code v1"),
 * campaign || 0 || canonical code). */
int vcode_hash(const uint8_t secret[32], const char *campaign, const char *canonical,
               uint8_t out[32]);

#endif
