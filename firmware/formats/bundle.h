/* bundle.h - the signed bundle: the unit of exchange between a kiosk and the
 * server or the tally, over HTTPS or on a USB stick.
 *
 * A bundle verifies on its own: it carries the kiosk's certificate, and
 * everything in it is signed by that kiosk's key. Layout (format version 2,
 * big-endian; docs/formats.md, "Bundle"; version 1, whose reports were 213
 * bytes each without lengths, is refused):
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
 *      register section (bundle_from_outbox queues none for it).
 */
#ifndef BUNDLE_H
#define BUNDLE_H

#include <stddef.h>
#include <stdint.h>

#include "cert.h"
#include "key.h"
#include "rng.h"
#include "store.h"

#define BUNDLE_MAGIC "BRNU"
#define BUNDLE_VERSION 2
#define BUNDLE_HEADER_LEN 47
#define BUNDLE_REGISTER_LEN 37
#define BUNDLE_MAX_ITEMS 10000                 /* ballots + entries + signatures + reports */
#define BUNDLE_MAX_REPORTS 16
#define BUNDLE_MAX_LEN (16u << 20)             /* 16 MiB */

/* A decoded bundle: pointers into the bytes it was decoded from (no copy). */
typedef struct bundle_s {
    char campaign[17];
    uint64_t seq;
    const uint8_t *cert;        /* DER */
    size_t cert_len;
    uint32_t n_ballots, n_register, n_reports, n_signatures;
    const uint8_t *ballots;     /* section: (length, ballot) * n_ballots */
    const uint8_t *registers;   /* section: BUNDLE_REGISTER_LEN * n_register */
    const uint8_t *signatures;  /* section: PETITION_LEN * n_signatures */
    const uint8_t *reports;     /* section: (length, report) * n_reports */
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
 * docs/formats-bundle.md, including that each ballot and report decodes
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

/* Decodes and verifies everything, in this order, stopping at the first
 * failure (the kiosk and the item are named in `why`):
 *   1. bundle_decode                                          BN_EFORMAT
 *   2. the certificate is a kiosk certificate of the authority
 *      ca_der, valid on `today` (cert_verify)     BN_EWRONGKEY, BN_EEXPIRED ...
 *   3. its key id is not in `revoked` (may be NULL; opened with
 *      cert_revoke_open, of this authority: BN_EINVAL otherwise) BN_EREVOKED
 *   4. the bundle signature, with the certificate's key       BN_EBADSIG
 *   5. every ballot: kiosk key id and signature (ballot_verify)
 *                                                  BN_EWRONGKEY, BN_EBADSIG
 *   6. every petition signature: kiosk key id and signature (petition_verify)
 *                                                  BN_EWRONGKEY, BN_EBADSIG
 *   7. every report: kiosk key id and signature (report_verify)
 * Fills *out (may be NULL) and *kiosk (may be NULL) with the certificate. */
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

/* Sorts the items (BUNDLE-B1), refuses duplicates (BN_EEXISTS: two ballots with
 * one id, one pseudonym twice, two signatures with one id, one report twice), checks that the signer's
 * key is the certificate's (BN_EWRONGKEY), encodes and signs. *out is
 * malloc'd. The builder may be freed or finished again afterwards. */
int bundle_finish(bundle_builder_t *b, const signer_t *s, uint8_t **out, size_t *len);

/* Frees the builder; NULL is accepted. */
void bundle_free(bundle_builder_t *b);

/* --- the kiosk's outbox ---------------------------------------------------- */

/* Builds and signs a bundle of at most max_items of the store's outbox items
 * of `campaign` (in the outbox's key order: ballots, register entries, then
 * petition signatures),
 * sets *n_items to the number it holds (0: *out is still a valid, empty
 * bundle). BN_ECORRUPT if an outbox item has no ballot or register row. */
int bundle_from_outbox(store_t *s, const char *campaign, uint64_t seq, const uint8_t *cert,
                       size_t cert_len, const signer_t *signer, size_t max_items,
                       uint8_t **out, size_t *len, size_t *n_items);

/* Marks every ballot, register entry and signature of a decoded bundle synced
 * (store_outbox_done): call it once the server acknowledged the bundle. */
int bundle_outbox_done(store_t *s, const bundle_t *b);

#endif
