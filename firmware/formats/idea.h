/* idea.h - an idea proposed at a kiosk in a call for ideas (issue 17): the
 * signed record, and the contact sealed to the authority.
 *
 * A call for ideas opens a participatory budget: residents propose projects,
 * the participation team moderates them, the accepted ones become the
 * projects of the vote. An idea is public once accepted (its title, text,
 * theme, territory and place); who proposed it is not: the record carries a
 * pseudonym (pseud.h, to hold the package's limit of ideas per person) and,
 * when the person gave one, a contact (an e-mail address or a phone number)
 * sealed to the authority's key (seal.h, as provisioning seals secrets), so
 * that only the participation team can answer them, and publication never
 * carries it (IDEA-I1). Layout (docs/formats.md, "Idea"), big-endian:
 *
 *   OFFSET  SIZE  FIELD
 *   0       4     magic "BRNI"
 *   4       1     format version (1)
 *   5       1     flags: 0, or 1 = a contact is sealed
 *   6       4     day: days since 1970-01-01 (day.h), not 0; no time of day
 *   10      16    idea id, random (CTR_DRBG)
 *   26      32    kiosk key id (key.h)
 *   58      16    campaign id, token
 *   74      16    territory id, token
 *   90      16    theme id, token
 *   106     32    pseudonym of the person in the campaign (pseud.h)
 *   138     2     t: title length in bytes, 1..320 (1..80 characters)
 *   140     2     d: description length, 1..4000 (1..1000 characters)
 *   142     2     l: place length, 0..480 (0..120 characters)
 *   144     t+d+l title, description, place: UTF-8 text (wire_text_chars;
 *                 line feeds in the description only)
 *   then, with flag 1:
 *           32    authority key id: the key the contact is sealed to
 *           209   the contact sealed (seal.h: ephemeral point 65, ciphertext
 *                 128, tag 16; label "borne idea contact v1", additional
 *                 data: every byte before the sealed block)
 *   last    64    kiosk ECDSA P-256 signature r || s over SHA-256(all before)
 *
 * The contact plaintext (128 bytes, the same length for every contact):
 * version (1), n = its length, n bytes of UTF-8 (1..120), zero bytes.
 *
 * A decoder accepts exactly one byte string per record: BN_EFORMAT for any
 * other (with the offset; never the text of the idea in the reason). */
#ifndef IDEA_H
#define IDEA_H

#include <stddef.h>
#include <stdint.h>

#include "key.h"
#include "pseud.h"
#include "rng.h"
#include "seal.h"

#define IDEA_MAGIC "BRNI"
#define IDEA_VERSION 1
#define IDEA_FLAG_CONTACT 1
#define IDEA_ID_LEN 16
#define IDEA_TOKEN_LEN 16
#define IDEA_HEADER_LEN 144
#define IDEA_TITLE_CHARS 80
#define IDEA_TEXT_CHARS 1000
#define IDEA_PLACE_CHARS 120
#define IDEA_TITLE_BYTES (4 * IDEA_TITLE_CHARS)
#define IDEA_TEXT_BYTES (4 * IDEA_TEXT_CHARS)
#define IDEA_PLACE_BYTES (4 * IDEA_PLACE_CHARS)
#define IDEA_CONTACT_BYTES 120
#define IDEA_CONTACT_PT 128
#define IDEA_SEALED_LEN (IDEA_CONTACT_PT + SEAL_OVERHEAD)   /* 209 */
#define IDEA_CONTACT_LABEL "borne idea contact v1"
#define IDEA_MIN_LEN (IDEA_HEADER_LEN + 2 + KEY_SIG_LEN)
#define IDEA_MAX_LEN                                                                           \
    (IDEA_HEADER_LEN + IDEA_TITLE_BYTES + IDEA_TEXT_BYTES + IDEA_PLACE_BYTES + KEY_ID_LEN +   \
     IDEA_SEALED_LEN + KEY_SIG_LEN)

#define IDEA_OFF_FLAGS 5
#define IDEA_OFF_DAY 6
#define IDEA_OFF_ID 10
#define IDEA_OFF_KIOSK 26
#define IDEA_OFF_CAMPAIGN 58
#define IDEA_OFF_TERRITORY 74
#define IDEA_OFF_THEME 90
#define IDEA_OFF_PSEUDONYM 106
#define IDEA_OFF_LENGTHS 138
_Static_assert(IDEA_OFF_PSEUDONYM + PSEUD_LEN == IDEA_OFF_LENGTHS, "idea layout: PSEUDONYM then LENGTHS");
_Static_assert(IDEA_OFF_LENGTHS + 6 == IDEA_HEADER_LEN, "idea layout: the three lengths end the header");

/* The clear fields of an idea record. */
typedef struct idea_s {
    uint32_t day;
    uint8_t id[IDEA_ID_LEN];
    uint8_t kiosk[KEY_ID_LEN];
    char campaign[IDEA_TOKEN_LEN + 1];
    char territory[IDEA_TOKEN_LEN + 1];
    char theme[IDEA_TOKEN_LEN + 1];
    uint8_t pseudonym[PSEUD_LEN];
    char title[IDEA_TITLE_BYTES + 1];
    char description[IDEA_TEXT_BYTES + 1];
    char place[IDEA_PLACE_BYTES + 1];     /* "" when none */
    int has_contact;
    uint8_t authority[KEY_ID_LEN];        /* with a contact: the key it is sealed to */
    uint8_t sig[KEY_SIG_LEN];
} idea_t;

/* Encodes and signs s (the caller draws s->id, rng_bytes), sealing `contact`
 * (NULL or "": none) to `authority` with an ephemeral key from rng: writes
 * the record to out (cap bytes,
 * IDEA_MAX_LEN always enough), sets *len, s->sig. BN_EINVAL for a field the
 * decoder would refuse (a title, text or place empty where it may not be,
 * too long, not valid text; a bad token; day 0; a contact without an
 * authority), BN_ERNG, BN_ECRYPTO, BN_EKEY. On error out is zeroed. */
int idea_seal(idea_t *s, const char *contact, const key_pub_t *authority, const signer_t *signer,
              rng_t *rng, uint8_t *out, size_t cap, size_t *len);

/* Decodes strictly (does not verify the signature). BN_EFORMAT with the
 * offset in why. */
int idea_decode(const uint8_t *buf, size_t len, idea_t *out, char *why, size_t whylen);

/* Verifies the kiosk's signature (and that the record names that kiosk's
 * key): 0, BN_EWRONGKEY, BN_EBADSIG, BN_EFORMAT. */
int idea_verify(const uint8_t *buf, size_t len, const key_pub_t *kiosk);

/* The participation team: opens the sealed contact with the authority key
 * into contact (IDEA_CONTACT_BYTES + 1). BN_ENOTFOUND (no contact),
 * BN_EWRONGKEY (sealed to another key), BN_EBADSIG (altered), BN_EFORMAT. */
int idea_open_contact(const uint8_t *buf, size_t len, key_pair_t *authority, char *contact,
                      char *why, size_t whylen);

#endif
