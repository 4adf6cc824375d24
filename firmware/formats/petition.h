/* petition.h - petition signatures: the signed record, the identity sealed to
 * the authority, and the counters (signatures, cantons, threshold).
 *
 * Petition signatures are not secret to the authority, but they are personal
 * data (DESIGN-S5). A record therefore carries in clear
 * only what the server and the tally need to de-duplicate and count (the
 * campaign, the signer's canton, the day, the pseudonym, the "do not publish
 * my name" flag) and carries the identity itself (names, birth date,
 * commune) encrypted to the authority's public key, so that only the
 * participation team can read it. Layout (docs/formats.md, "Petition signature"), fixed
 * width, big-endian, PETITION_LEN bytes:
 *
 *   OFFSET  SIZE  FIELD
 *   0       4     magic "BRNS"
 *   4       1     format version (1)
 *   5       1     flags: 0, or 1 = "do not publish my name"
 *   6       4     day: days since 1970-01-01 (day.h), not 0; no time of day
 *   10      16    signature id, random (CTR_DRBG)
 *   26      32    kiosk key id (key.h)
 *   58      16    campaign id, token ([a-z0-9][a-z0-9-]*, NUL-padded)
 *   74      16    canton id of the signer's commune, token
 *   90      32    pseudonym (pseud.h) of the signer in the campaign
 *   122     32    authority key id: the key the identity is sealed to
 *   154     65    ephemeral P-256 public key, uncompressed (0x04 || X || Y)
 *   219     256   identity, AES-256-GCM ciphertext of PETITION_PT_LEN bytes
 *   475     16    GCM tag
 *   491     64    kiosk ECDSA P-256 signature r || s over SHA-256(bytes 0..491)
 *
 * Sealing the identity (ECIES): an ephemeral P-256 key e per record;
 *   z    = x-coordinate of e * A (A: the authority's public key), 32 bytes
 *   okm  = HKDF-SHA256(ikm = z, salt = ephemeral point (65) || A (65),
 *                      info = "borne petition identity v1"), 44 bytes
 *   key  = okm[0..32), nonce = okm[32..44)
 *   ciphertext || tag = AES-256-GCM(key, nonce, aad = bytes 0..219, plaintext)
 * The plaintext (PETITION_PT_LEN bytes, the same length for every person):
 *   0 version (1) | 1 a = length of the last name | 2 b = length of the first
 *   names | 3..12 birth "YYYY-MM-DD" | 13..17 commune INSEE code | 18.. last
 *   name (a bytes, UTF-8) | first names (b bytes, UTF-8) | zero bytes.
 *
 * A decoder accepts exactly one byte string per record: BN_EFORMAT for any
 * other. */
#ifndef PETITION_H
#define PETITION_H

#include <stddef.h>
#include <stdint.h>

#include "key.h"
#include "pkg.h"
#include "pseud.h"
#include "rng.h"

#define PETITION_MAGIC "BRNS"
#define PETITION_VERSION 1
#define PETITION_FLAG_NO_PUBLISH 1
#define PETITION_ID_LEN 16
#define PETITION_TOKEN_LEN 16
#define PETITION_EPH_LEN 65
#define PETITION_PT_LEN 256              /* identity plaintext, padded */
#define PETITION_PT_HEAD 18              /* version, two lengths, birth, INSEE */
#define PETITION_NAMES_MAX (PETITION_PT_LEN - PETITION_PT_HEAD) /* a + b <= 238 */
#define PETITION_TAG_LEN 16
#define PETITION_SIGNED_LEN 491
#define PETITION_LEN (PETITION_SIGNED_LEN + KEY_SIG_LEN) /* 555 */
#define PETITION_HKDF_INFO "borne petition identity v1"

/* The table above as code: each field's offset and length, chained. */
#define PETITION_OFF_MAGIC 0
#define PETITION_LEN_MAGIC 4
#define PETITION_OFF_VERSION 4
#define PETITION_LEN_VERSION 1
#define PETITION_OFF_FLAGS 5
#define PETITION_LEN_FLAGS 1
#define PETITION_OFF_DAY 6
#define PETITION_LEN_DAY 4
#define PETITION_OFF_ID 10
#define PETITION_LEN_ID PETITION_ID_LEN
#define PETITION_OFF_KIOSK 26
#define PETITION_LEN_KIOSK KEY_ID_LEN
#define PETITION_OFF_CAMPAIGN 58
#define PETITION_LEN_CAMPAIGN PETITION_TOKEN_LEN
#define PETITION_OFF_CANTON 74
#define PETITION_LEN_CANTON PETITION_TOKEN_LEN
#define PETITION_OFF_PSEUDONYM 90
#define PETITION_LEN_PSEUDONYM 32
#define PETITION_OFF_AUTHORITY 122
#define PETITION_LEN_AUTHORITY KEY_ID_LEN
#define PETITION_OFF_EPH 154
#define PETITION_LEN_EPH PETITION_EPH_LEN
#define PETITION_OFF_CT 219
#define PETITION_LEN_CT PETITION_PT_LEN
#define PETITION_OFF_TAG 475
#define PETITION_LEN_TAG PETITION_TAG_LEN
_Static_assert(PETITION_OFF_MAGIC + PETITION_LEN_MAGIC == PETITION_OFF_VERSION, "petition layout: MAGIC then VERSION");
_Static_assert(PETITION_OFF_VERSION + PETITION_LEN_VERSION == PETITION_OFF_FLAGS, "petition layout: VERSION then FLAGS");
_Static_assert(PETITION_OFF_FLAGS + PETITION_LEN_FLAGS == PETITION_OFF_DAY, "petition layout: FLAGS then DAY");
_Static_assert(PETITION_OFF_DAY + PETITION_LEN_DAY == PETITION_OFF_ID, "petition layout: DAY then ID");
_Static_assert(PETITION_OFF_ID + PETITION_LEN_ID == PETITION_OFF_KIOSK, "petition layout: ID then KIOSK");
_Static_assert(PETITION_OFF_KIOSK + PETITION_LEN_KIOSK == PETITION_OFF_CAMPAIGN, "petition layout: KIOSK then CAMPAIGN");
_Static_assert(PETITION_OFF_CAMPAIGN + PETITION_LEN_CAMPAIGN == PETITION_OFF_CANTON, "petition layout: CAMPAIGN then CANTON");
_Static_assert(PETITION_OFF_CANTON + PETITION_LEN_CANTON == PETITION_OFF_PSEUDONYM, "petition layout: CANTON then PSEUDONYM");
_Static_assert(PETITION_OFF_PSEUDONYM + PETITION_LEN_PSEUDONYM == PETITION_OFF_AUTHORITY, "petition layout: PSEUDONYM then AUTHORITY");
_Static_assert(PETITION_OFF_AUTHORITY + PETITION_LEN_AUTHORITY == PETITION_OFF_EPH, "petition layout: AUTHORITY then EPH");
_Static_assert(PETITION_OFF_EPH + PETITION_LEN_EPH == PETITION_OFF_CT, "petition layout: EPH then CT");
_Static_assert(PETITION_OFF_CT + PETITION_LEN_CT == PETITION_OFF_TAG, "petition layout: CT then TAG");
_Static_assert(PETITION_OFF_TAG + PETITION_LEN_TAG == PETITION_SIGNED_LEN, "petition layout: TAG ends the signed part");

/* The clear fields of a signature record. */
typedef struct petition_s {
    int no_publish;                      /* 1: "do not publish my name" */
    uint32_t day;
    uint8_t id[PETITION_ID_LEN];
    uint8_t kiosk[KEY_ID_LEN];
    char campaign[PETITION_TOKEN_LEN + 1];
    char canton[PETITION_TOKEN_LEN + 1];
    uint8_t pseudonym[PSEUD_LEN];
    uint8_t authority[KEY_ID_LEN];
    uint8_t sig[KEY_SIG_LEN];
} petition_t;

/* The identity as typed (UTF-8, not normalised: the authority publishes the
 * names as the person wrote them). */
typedef struct petition_identity_s {
    char last_name[PETITION_NAMES_MAX + 1];
    char first_names[PETITION_NAMES_MAX + 1];
    char birth[11];                      /* "YYYY-MM-DD" */
    char commune[6];                     /* INSEE code */
} petition_identity_t;

/* Fills the clear fields for a signer living in commune index `commune` of
 * petition package `p`: canton from the package, random id from `rng`.
 * BN_EINVAL (not a petition, bad commune, day 0), BN_ERNG. */
int petition_make(petition_t *s, const pkg_t *p, int commune, const uint8_t pseudonym[PSEUD_LEN],
                  int no_publish, uint32_t day, const uint8_t kiosk[KEY_ID_LEN], rng_t *rng);

/* Seals: encrypts `who` to `authority` (a fresh ephemeral key from `rng`),
 * sets s->authority and s->sig, writes PETITION_LEN bytes to out. BN_EINVAL
 * for an identity that does not fit the plaintext (empty or too long names,
 * invalid UTF-8 or control characters, a bad date or INSEE code) or fields
 * the decoder would refuse; BN_ERNG, BN_ECRYPTO. On error out is zeroed. */
int petition_seal(petition_t *s, const petition_identity_t *who, const key_pub_t *authority,
                  const signer_t *signer, rng_t *rng, uint8_t out[PETITION_LEN]);

/* Decodes strictly (does not verify the signature nor decrypt).
 * BN_EFORMAT with the offset and reason in `why`. */
int petition_decode(const uint8_t *buf, size_t len, petition_t *out, char *why, size_t whylen);

/* Decodes and checks the kiosk key id (BN_EWRONGKEY) and the signature
 * (BN_EBADSIG) with the kiosk's public key. */
int petition_verify(const uint8_t *buf, size_t len, const key_pub_t *kiosk);

/* Decrypts the identity with the authority's private key: BN_EFORMAT (does
 * not decode), BN_EWRONGKEY (sealed to another authority key), BN_EBADSIG
 * (the ciphertext, its header or the tag was altered), BN_EFORMAT (the
 * plaintext is not canonical). Does not check the kiosk signature. The
 * identity is wiped from *out on error. */
int petition_decrypt(const uint8_t *buf, size_t len, key_pair_t *authority,
                     petition_identity_t *out, char *why, size_t whylen);

/* --- counters --------------------------------------------------------------- */

/* One record to count, with the public key of the kiosk that signed it
 * (from its bundle's certificate). */
typedef struct petition_item_s {
    const uint8_t *rec;
    size_t len;
    const key_pub_t *kiosk;
} petition_item_t;

typedef struct petition_count_s {
    int64_t valid;        /* distinct persons with a valid signature in the window */
    int64_t duplicates;   /* further valid records of a person already counted */
    int64_t invalid;      /* does not decode, bad signature, another campaign */
    int64_t outside;      /* valid but dated outside the polls (the window) */
    int64_t unknown_canton; /* valid but of a canton the package does not list */
    int cantons;          /* distinct cantons of the persons counted */
    int reached;          /* 1: threshold signatures from min_cantons cantons */
    uint32_t reached_on;  /* the first day at whose end both held, or 0 */
} petition_count_t;

/* Counts a set of records for petition `p` (in any order, the result does
 * not depend on it): a record counts when it decodes, its kiosk key id and
 * signature are those of item.kiosk, it is of p's campaign, its day is
 * within the polls (p->opens..p->closes, the petition's window) and its
 * canton is in the package. A person (pseudonym) counts once, on the day of
 * their earliest valid record. The threshold is reached on the first day D
 * such that the persons counted on days <= D are at least
 * p->petition.threshold and come from at least p->petition.min_cantons
 * cantons. BN_EINVAL (not a petition), BN_ENOMEM. */
int petition_count(const pkg_t *p, const petition_item_t *items, size_t n,
                   petition_count_t *out);

/* The same for records whose signatures the caller verified when it took
 * them in (the server, at each upload: SRV-P1): everything but the
 * signature is checked again; no ECDSA, so a count of 100,000 records is a
 * matter of milliseconds. The tally never uses it. */
int petition_count_verified(const pkg_t *p, const petition_item_t *items, size_t n,
                            petition_count_t *out);

/* A running count (the server's public counter, SRV-P1): records verified
 * at their upload are added once, as they arrive; the result is what
 * petition_count_verified gives over everything added, without reading or
 * decoding a record twice. petition_acc_records: how many were added. */
typedef struct petition_acc_s petition_acc_t;
int petition_acc_new(petition_acc_t **out);
void petition_acc_free(petition_acc_t *a);
int petition_acc_add(petition_acc_t *a, const pkg_t *p, const petition_item_t *items, size_t n);
int petition_acc_result(const petition_acc_t *a, const pkg_t *p, petition_count_t *out);
int64_t petition_acc_records(const petition_acc_t *a);

#endif
