/* pseud.h - pseudonyms for the register: who took part, without a name.
 *
 * A pseudonym is HMAC-SHA256 under a key derived from the campaign secret,
 * over the campaign id and the normalised identity (last name, first names,
 * birth date). The same person typed differently ("Éloïse  Le-Gall",
 * "ELOISE LE GALL") gets the same pseudonym; nobody without the secret can
 * compute or reverse it. See DESIGN-S4. */
#ifndef PSEUD_H
#define PSEUD_H

#include <stddef.h>
#include <stdint.h>

#define PSEUD_LEN 32

/* Normalises a name: decodes UTF-8, folds case, removes accents (Latin-1,
 * Latin Extended-A and B, with ligatures: œ -> oe, ß -> ss), turns hyphens,
 * apostrophes, dots and other punctuation into spaces, collapses runs of
 * spaces and trims. Letters outside the Latin scripts are kept, lowercased
 * where Unicode's simple folding is known. BN_EFORMAT for invalid UTF-8 or an
 * empty result, BN_ETOOBIG if it does not fit in cap (with the NUL). */
int pseud_normalise(const char *name, char *out, size_t cap);

/* The pseudonym of an identity in a campaign. `birth` is "YYYY-MM-DD".
 * BN_EFORMAT for an empty name or a bad date. */
int pseud_compute(const uint8_t secret[32], const char *campaign,
                  const char *last_name, const char *first_names, const char *birth,
                  uint8_t out[PSEUD_LEN]);

#endif
