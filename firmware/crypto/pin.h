/* pin.h - agents' PINs: salted PBKDF2 hashes, made by borne-admin (agent
 * add) and checked by the kiosk (agent mode).
 *
 * A stored hash is the text "pbkdf2-sha256$ITER$SALT$HASH": ITER the
 * iterations in decimal (PIN_ITER when made; 1,000 to 10,000,000 accepted),
 * SALT 16 random bytes and HASH the 32-byte PBKDF2-HMAC-SHA256 output, in
 * lowercase hex (docs/formats.md, "Provisioning bundle"). A PIN is 6 to 12
 * digits. The kiosk's lockout after wrong PINs is what protects a PIN
 * (10^6 values), not the hash alone. */
#ifndef PIN_H
#define PIN_H

#include <stddef.h>

#include "rng.h"

#define PIN_MIN 6
#define PIN_MAX 12
#define PIN_ITER 20000u
#define PIN_HASH_MAX 128     /* bytes of a stored hash, with its NUL */

/* 1 if `pin` is 6 to 12 digits, else 0. */
int pin_valid(const char *pin);

/* A new stored hash of `pin` into out[PIN_HASH_MAX]. BN_EINVAL (not a
 * valid PIN), BN_ERNG, BN_ECRYPTO. */
int pin_hash(const char *pin, rng_t *rng, char out[PIN_HASH_MAX]);

/* 1 if `pin` matches the stored hash, 0 if not or if the hash is
 * malformed. Compares in constant time. */
int pin_check(const char *stored, const char *pin);

#endif
