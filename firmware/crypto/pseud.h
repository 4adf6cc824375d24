/* pseud.h - pseudonyms for the register: who took part, without a name.
 *
 * A pseudonym is HMAC-SHA256 under a key derived from the campaign secret,
 * over the campaign id and the identity parts (last name, first names,
 * pseud_identity_part, and birth date). The same person typed differently
 * ("Éloïse  Le-Gall", "ELOISE LEGALL") gets the same pseudonym; nobody without the secret can
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

/* What of a name the pseudonym keeps, so that what people vary without
 * meaning to gives the same pseudonym, and two real people never one more
 * often than their exact homonyms do:
 * (PSEUD-N1) the normalised words run together: spaces, hyphens and
 *      apostrophes do not count ("Le Gall" = "LEGALL" = "Le-Gall";
 *      "Jean-François" = "Jean François" = "Jeanfrançois");
 * (PSEUD-N2) a last name's leading particles that stand apart (de, d', du,
 *      des, van, von, der, den, di, da, del, della, do, dos, das) are
 *      dropped ("de Gaulle" = "Gaulle"), never its last word; "Le" and "La"
 *      are part of the name.
 * An extra first name is NOT folded ("Marie" and "Marie Anne" could be
 * twins), nor a typo or another birth date: the kiosk asks for the first
 * names as on the identity card; an agent's check (supervised mode) covers
 * the rest. Vectors: tests/vectors/pseud/identity.txt. BN_EFORMAT,
 * BN_ETOOBIG as pseud_normalise. */
typedef enum { PSEUD_LAST = 1, PSEUD_FIRST = 2 } pseud_part_t;
int pseud_identity_part(pseud_part_t part, const char *name, char *out, size_t cap);

/* The pseudonym of an identity in a campaign. `birth` is "YYYY-MM-DD".
 * BN_EFORMAT for an empty name or a bad date. */
int pseud_compute(const uint8_t secret[32], const char *campaign,
                  const char *last_name, const char *first_names, const char *birth,
                  uint8_t out[PSEUD_LEN]);

#endif
