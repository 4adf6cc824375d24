/* bundle.h - the signed bundle: the unit of exchange between a kiosk and the
 * server or the tally, over HTTPS or on a USB stick.
 *
 * A bundle verifies on its own: it carries the kiosk's certificate, and
 * everything in it is signed by that kiosk's key. Layout (format version 2,
 * big-endian; docs/formats.md, "Bundle"; version 1, whose reports were 213
 * bytes each without lengths, is refused; version 3 is version 2 with a
 * section of ideas, below):
 *
 *   OFFSET        SIZE      FIELD
 *   0             4         magic "BRNU"
 *   4             1         format version (2)
 *   5             16        campaign id, token (as in a ballot)
 *   21            8         sequence number of the bundle, chosen by the kiosk
 *   29            2         c, certificate length (1..CERT_DER_MAX)
 *   31            4         nb, ballots
 *   35            4         nr, register entries
 *   39            4         np, closing reports
 *   43            4         ns, petition signatures
 *   47            c         kiosk certificate, DER
 *   47+c          ...       nb ballots: 2-byte length L (156..1180), then L bytes
 *                           (a signed ballot, ballot.h); strictly increasing
 *                           ballot id (bytes 12..27 of the ballot)
 *   ...           37*nr     register entries: pseudonym (32), day (4), offline
 *                           (1: 0 or 1); strictly increasing pseudonym
 *   ...           555*ns    petition signature records (petition.h), strictly
 *                           increasing signature id (bytes 10..25)
 *   ...           ...       np closing reports: 2-byte length L (215..13215), then L
 *                           bytes (a closing report, report.h, version 2); strictly
 *                           increasing as byte strings (a prefix first)
 *   L-64          64        kiosk signature r || s over SHA-256(bytes 0..L-64)
 *
 * Version 3 (issue 17: calls for ideas, questionnaires) inserts at offset 47
 * a 4-byte count ni of ideas and at 51 a 4-byte count nt of free texts (the
 * certificate then starts at 55), and after the closing reports ni ideas:
 * 2-byte length L (IDEA_MIN_LEN..IDEA_MAX_LEN), then L bytes (a signed idea
 * record, idea.h), strictly increasing idea id (bytes 10..25); then nt free
 * texts: 2-byte length L (QTEXT_MIN_LEN..QTEXT_MAX_LEN), then the record
 * (answers.h), strictly increasing text id (bytes 9..24). A bundle with
 * neither is written as version 2, byte for byte as before, so a server or
 * a tally that reads version 2 reads it still.
 *
 * (BUNDLE-B1) DESIGN-S2: items of a kind are sorted by their
 *      key, a random ballot id or a pseudonym (an HMAC), so the order in a
 *      bundle is a shuffle of the cast order, never the cast order itself;
 *      the decoder refuses any other order, so no kiosk can leak it either.
 * (BUNDLE-B2) DESIGN-S1: ballots and register entries sit in two separate
 *      sections, each in its own key order; nothing pairs the i-th ballot
 *      with the i-th entry. (A bundle holding ONE ballot and ONE entry pairs
 *      them by itself: the sync client sends batches, DESIGN.md "Transport".)
 * (BUNDLE-B3) Petition signatures (DESIGN-S5, not secret to the authority) are
 *      sorted by their random signature id, so a bundle does not give their
 *      order either; each carries its own pseudonym, so a petition needs no
 *      register section (outbox_bundle queues none for it).
 * (BUNDLE-B4) Ideas (issue 17) are sorted by their random idea id and travel
 *      with the participation part (they carry the person's pseudonym, for
 *      the limit per person), never with ballots (SYNC-Y4). A questionnaire's
 *      free texts are sorted by their random text id and travel with the
 *      ballots, never with who took part.
 */
#ifndef BUNDLE_H
#define BUNDLE_H

#include <stddef.h>
#include <stdint.h>

#include "cert.h"
#include "key.h"
#include "rng.h"
#include "sigverify.h"

#define BUNDLE_MAGIC "BRNU"
#define BUNDLE_VERSION 2
#define BUNDLE_VERSION_IDEAS 3                 /* version 2 + a section of ideas */
#define BUNDLE_HEADER_LEN 47
#define BUNDLE_HEADER_LEN_V3 55
#define BUNDLE_REGISTER_LEN 37
#define BUNDLE_MAX_ITEMS 10000                 /* ballots + entries + signatures + reports */
#define BUNDLE_MAX_REPORTS 16
#define BUNDLE_MAX_LEN (16u << 20)             /* 16 MiB */

/* The table above as code: each field's offset and length, chained. */
#define BUNDLE_OFF_MAGIC 0
#define BUNDLE_LEN_MAGIC 4
#define BUNDLE_OFF_VERSION 4
#define BUNDLE_LEN_VERSION 1
#define BUNDLE_OFF_CAMPAIGN 5
#define BUNDLE_LEN_CAMPAIGN 16
#define BUNDLE_OFF_SEQ 21
#define BUNDLE_LEN_SEQ 8
#define BUNDLE_OFF_CERT_LEN 29
#define BUNDLE_LEN_CERT_LEN 2
#define BUNDLE_OFF_N_BALLOTS 31
#define BUNDLE_LEN_N_BALLOTS 4
#define BUNDLE_OFF_N_REGISTER 35
#define BUNDLE_LEN_N_REGISTER 4
#define BUNDLE_OFF_N_REPORTS 39
#define BUNDLE_LEN_N_REPORTS 4
#define BUNDLE_OFF_N_SIGNATURES 43
#define BUNDLE_LEN_N_SIGNATURES 4
#define BUNDLE_OFF_N_IDEAS 47                  /* version 3 only */
#define BUNDLE_LEN_N_IDEAS 4
#define BUNDLE_OFF_N_TEXTS 51                  /* version 3 only */
#define BUNDLE_LEN_N_TEXTS 4
_Static_assert(BUNDLE_OFF_MAGIC + BUNDLE_LEN_MAGIC == BUNDLE_OFF_VERSION, "bundle layout: MAGIC then VERSION");
_Static_assert(BUNDLE_OFF_VERSION + BUNDLE_LEN_VERSION == BUNDLE_OFF_CAMPAIGN, "bundle layout: VERSION then CAMPAIGN");
_Static_assert(BUNDLE_OFF_CAMPAIGN + BUNDLE_LEN_CAMPAIGN == BUNDLE_OFF_SEQ, "bundle layout: CAMPAIGN then SEQ");
_Static_assert(BUNDLE_OFF_SEQ + BUNDLE_LEN_SEQ == BUNDLE_OFF_CERT_LEN, "bundle layout: SEQ then CERT_LEN");
_Static_assert(BUNDLE_OFF_CERT_LEN + BUNDLE_LEN_CERT_LEN == BUNDLE_OFF_N_BALLOTS, "bundle layout: CERT_LEN then N_BALLOTS");
_Static_assert(BUNDLE_OFF_N_BALLOTS + BUNDLE_LEN_N_BALLOTS == BUNDLE_OFF_N_REGISTER, "bundle layout: N_BALLOTS then N_REGISTER");
_Static_assert(BUNDLE_OFF_N_REGISTER + BUNDLE_LEN_N_REGISTER == BUNDLE_OFF_N_REPORTS, "bundle layout: N_REGISTER then N_REPORTS");
_Static_assert(BUNDLE_OFF_N_REPORTS + BUNDLE_LEN_N_REPORTS == BUNDLE_OFF_N_SIGNATURES, "bundle layout: N_REPORTS then N_SIGNATURES");
_Static_assert(BUNDLE_OFF_N_SIGNATURES + BUNDLE_LEN_N_SIGNATURES == BUNDLE_HEADER_LEN, "bundle layout: N_SIGNATURES ends the header");
_Static_assert(BUNDLE_OFF_N_IDEAS + BUNDLE_LEN_N_IDEAS == BUNDLE_OFF_N_TEXTS, "bundle layout: N_IDEAS then N_TEXTS");
_Static_assert(BUNDLE_OFF_N_TEXTS + BUNDLE_LEN_N_TEXTS == BUNDLE_HEADER_LEN_V3, "bundle layout: N_TEXTS ends a version 3 header");
/* The table above as code: each field's offset and length, chained. */
#define BUNDLE_REG_OFF_PSEUDONYM 0
#define BUNDLE_REG_LEN_PSEUDONYM 32
#define BUNDLE_REG_OFF_DAY 32
#define BUNDLE_REG_LEN_DAY 4
#define BUNDLE_REG_OFF_OFFLINE 36
#define BUNDLE_REG_LEN_OFFLINE 1
_Static_assert(BUNDLE_REG_OFF_PSEUDONYM + BUNDLE_REG_LEN_PSEUDONYM == BUNDLE_REG_OFF_DAY, "bundle_reg layout: PSEUDONYM then DAY");
_Static_assert(BUNDLE_REG_OFF_DAY + BUNDLE_REG_LEN_DAY == BUNDLE_REG_OFF_OFFLINE, "bundle_reg layout: DAY then OFFLINE");
_Static_assert(BUNDLE_REG_OFF_OFFLINE + BUNDLE_REG_LEN_OFFLINE == BUNDLE_REGISTER_LEN, "bundle_reg layout: OFFLINE ends an entry");

/* A decoded bundle: pointers into the bytes it was decoded from (no copy). */
typedef struct bundle_s {
    int version;                /* 2, or 3 with ideas */
    char campaign[17];
    uint64_t seq;
    const uint8_t *cert;        /* DER */
    size_t cert_len;
    uint32_t n_ballots, n_register, n_reports, n_signatures, n_ideas, n_texts;
    const uint8_t *ballots;     /* section: (length, ballot) * n_ballots */
    const uint8_t *registers;   /* section: BUNDLE_REGISTER_LEN * n_register */
    const uint8_t *signatures;  /* section: PETITION_LEN * n_signatures */
    const uint8_t *reports;     /* section: (length, report) * n_reports */
    const uint8_t *ideas;       /* section: (length, idea) * n_ideas (version 3) */
    const uint8_t *texts;       /* section: (length, free text) * n_texts (version 3) */
    const uint8_t *sig;         /* 64 bytes */
    size_t signed_len;          /* bytes covered by sig */
} bundle_t;

/* A register entry as carried by a bundle. */
typedef struct bundle_reg_s {
    const uint8_t *pseudonym;   /* 32 bytes */
    uint32_t day;
    int offline;
} bundle_reg_t;

/* Decodes strictly (signatures are not checked): every rule of
 * docs/formats.md ("Bundle"), including that each ballot and report decodes
 * strictly (ballot_decode, report_decode) and is of the bundle's campaign.
 * BN_EFORMAT with the offset and rule in `why`; BN_ETOOBIG over the limits. */
int bundle_decode(const uint8_t *buf, size_t len, bundle_t *out, char *why, size_t whylen);

/* Walks the ballots: start with *pos = 0; returns 1 and the next ballot, or
 * 0 at the end. Only on a bundle that bundle_decode accepted. */
int bundle_next_ballot(const bundle_t *b, size_t *pos, const uint8_t **ballot, size_t *len);

/* The i-th register entry (i < n_register); the i-th closing report
 * (i < n_reports), its length in *len (may be NULL). */
void bundle_register_at(const bundle_t *b, uint32_t i, bundle_reg_t *out);
const uint8_t *bundle_report_at(const bundle_t *b, uint32_t i, size_t *len);
/* The i-th petition signature record (i < n_signatures), PETITION_LEN bytes. */
const uint8_t *bundle_signature_at(const bundle_t *b, uint32_t i);
/* The i-th idea record (i < n_ideas), its length in *len (may be NULL). */
const uint8_t *bundle_idea_at(const bundle_t *b, uint32_t i, size_t *len);
/* The i-th free text (i < n_texts), its length in *len (may be NULL). */
const uint8_t *bundle_text_at(const bundle_t *b, uint32_t i, size_t *len);

/* --- verification: one core, any signature backend (sigverify.h) ----------
 *
 * Everything is checked in this order, stopping at the first failure (the
 * kiosk and the item are named in `why`):
 *   1. bundle_decode                                          BN_EFORMAT
 *   2. the certificate is a kiosk certificate of the authority
 *      ca_der, valid on `today` (cert_verify)     BN_EWRONGKEY, BN_EEXPIRED ...
 *   3. its key id is not in `revoked` (may be NULL; opened with
 *      cert_revoke_open, of this authority: BN_EINVAL otherwise) BN_EREVOKED
 *   4. the bundle signature, with the certificate's key       BN_EBADSIG
 *   5. every ballot: kiosk key id and signature    BN_EWRONGKEY, BN_EBADSIG
 *   6. every petition signature: kiosk key id and signature
 *   7. every report: kiosk key id and signature
 *   8. every idea: kiosk key id and signature
 *   9. every free text: kiosk key id and signature
 * Steps 1-3 are bundle_open (the prologue, one function for the kiosk's
 * tests, the server and the tally); steps 4-9 are the items of bundle_items,
 * each checked by bundle_item_check with a sigverify key of any backend:
 * mbedTLS in bundle_verify, OpenSSL's libcrypto in the server and the tally,
 * which may spread the items over threads and report the first failing one
 * with bundle_item_fail, as the sequential check would. */

/* What a bundle is verified against. */
typedef struct bundle_trust_s {
    const uint8_t *ca_der;          /* the authority's certificate */
    size_t ca_len;
    const cert_revoked_t *revoked;  /* may be NULL */
    uint32_t today;                 /* certificates must be valid on this day */
} bundle_trust_t;

/* Steps 1-3: fills *b and *kiosk (the certificate's name and key). */
int bundle_open(const uint8_t *buf, size_t len, const bundle_trust_t *t, bundle_t *b,
                cert_info_t *kiosk, char *why, size_t whylen);

typedef enum bundle_item_kind_e {
    BUNDLE_ITEM_BUNDLE = 0,         /* the bundle's own signature (step 4) */
    BUNDLE_ITEM_BALLOT,             /* step 5 */
    BUNDLE_ITEM_SIGNATURE,          /* step 6: a petition signature record */
    BUNDLE_ITEM_REPORT,             /* step 7 */
    BUNDLE_ITEM_IDEA,               /* step 8 */
    BUNDLE_ITEM_TEXT                /* step 9 */
} bundle_item_kind_t;

/* A signed thing in a bundle: `signed_len` bytes at p, then the signature;
 * the kiosk key id at p + kid_off (none for the bundle itself). */
typedef struct bundle_item_s {
    bundle_item_kind_t kind;
    uint32_t index;                 /* among the items of its kind */
    const uint8_t *p;
    size_t len, signed_len, kid_off;
} bundle_item_t;

/* Every item of an opened bundle, in the order of steps 4-9, into a new
 * array (free() it). BN_ENOMEM. */
int bundle_items(const uint8_t *buf, const bundle_t *b, bundle_item_t **items, size_t *n);

/* One item: its kiosk key id is the key's (BN_EWRONGKEY), and its signature
 * verifies (BN_EBADSIG). The item was decoded strictly by bundle_decode. */
int bundle_item_check(const bundle_item_t *it, const sigverify_key_t *k);

/* The message of a failing item, as bundle_verify gives it; returns rc. */
int bundle_item_fail(const bundle_item_t *it, const char *kiosk, int rc, char *why,
                     size_t whylen);

/* Steps 4-9 in order with key k, stopping at the first failure. */
int bundle_check(const uint8_t *buf, const bundle_t *b, const cert_info_t *kiosk,
                 const sigverify_key_t *k, char *why, size_t whylen);

/* Steps 1-9 with mbedTLS. Fills *out (may be NULL) and *kiosk (may be NULL)
 * with the certificate. */
int bundle_verify(const uint8_t *buf, size_t len, const uint8_t *ca_der, size_t ca_len,
                  const cert_revoked_t *revoked, uint32_t today, bundle_t *out,
                  cert_info_t *kiosk, char *why, size_t whylen);

/* --- building --------------------------------------------------------------- */

typedef struct bundle_builder_s bundle_builder_t;

/* A new, empty bundle for `campaign`, carrying the kiosk certificate. */
int bundle_new(const char *campaign, uint64_t seq, const uint8_t *cert, size_t cert_len,
               bundle_builder_t **out);

/* Adds a signed ballot (copied; must decode strictly and be of the
 * campaign: BN_EFORMAT, BN_EINVAL), a register entry, a closing report.
 * Past the limits: BN_ETOOBIG. Duplicates are found by bundle_finish. */
int bundle_add_ballot(bundle_builder_t *b, const uint8_t *ballot, size_t len);
int bundle_add_register(bundle_builder_t *b, const uint8_t pseudonym[32], uint32_t day,
                        int offline);
int bundle_add_report(bundle_builder_t *b, const uint8_t *report, size_t len);
/* Adds a petition signature record (copied; must decode strictly and be of
 * the campaign: BN_EFORMAT, BN_EINVAL). */
int bundle_add_signature(bundle_builder_t *b, const uint8_t *rec, size_t len);
/* Adds an idea record (copied; must decode strictly and be of the campaign:
 * BN_EFORMAT, BN_EINVAL). A bundle with an idea is written as version 3. */
int bundle_add_idea(bundle_builder_t *b, const uint8_t *rec, size_t len);
/* Adds a questionnaire's free text (answers.h; copied, decoded strictly, of
 * the campaign). A bundle with a text is written as version 3. */
int bundle_add_text(bundle_builder_t *b, const uint8_t *rec, size_t len);

/* Sorts the items (BUNDLE-B1), refuses duplicates (BN_EEXISTS: two ballots with
 * one id, one pseudonym twice, two signatures or two ideas with one id, one
 * report twice), checks that the signer's
 * key is the certificate's (BN_EWRONGKEY), encodes and signs. *out is
 * malloc'd. The builder may be freed or finished again afterwards. */
int bundle_finish(bundle_builder_t *b, const signer_t *s, uint8_t **out, size_t *len);

/* Frees the builder; NULL is accepted. */
void bundle_free(bundle_builder_t *b);

#endif
