/* report.h - the closing report of a kiosk for a campaign, signed by the kiosk.
 *
 * When the polls close, the kiosk signs what it holds: how many register
 * entries and ballots, a digest of the set of ballots that does not depend
 * on their order, and the head of its audit log. The tally reconciles it
 * with the ballots it received from that kiosk (docs/formats-bundle.md,
 * "Closing report"). Fixed width, big-endian:
 *
 *   OFFSET  SIZE  FIELD
 *   0       4     magic "BRNR"
 *   4       1     format version (1)
 *   5       16    campaign id, token (as in a ballot: [a-z0-9][a-z0-9-]*, NUL-padded)
 *   21      32    kiosk key id (SHA-256 of its SubjectPublicKeyInfo DER, key.h)
 *   53      4     day the polls opened on this kiosk (day.h), not 0
 *   57      4     day they closed, >= the day they opened
 *   61      8     register entries of the campaign
 *   69      8     ballots of the campaign
 *   77      32    ballot-set digest (report_set_digest)
 *   109     32    audit log head hash (store_audit_verify; zeros if empty)
 *   141     8     audit log entries
 *   149     64    ECDSA P-256 signature r || s over SHA-256(bytes 0..149)
 *
 * 213 bytes, always. Counts are at most 2^53. */
#ifndef REPORT_H
#define REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "key.h"
#include "store.h"

#define REPORT_MAGIC "BRNR"
#define REPORT_VERSION 1
#define REPORT_SIGNED_LEN 149
#define REPORT_LEN (REPORT_SIGNED_LEN + KEY_SIG_LEN) /* 213 */
#define REPORT_TOKEN_LEN 16
#define REPORT_COUNT_MAX (UINT64_C(1) << 53)
#define REPORT_SET_TAG "borne-ballot-set-v1" /* 19 bytes, no NUL */

typedef struct report_s {
    char campaign[REPORT_TOKEN_LEN + 1];
    uint8_t kiosk[KEY_ID_LEN];
    uint32_t opened, closed;
    uint64_t registered, ballots;
    uint8_t ballot_set[32];
    uint8_t audit_head[32];
    uint64_t audit_entries;
    uint8_t sig[KEY_SIG_LEN];
} report_t;

/* The ballot-set digest:
 *   SHA-256("borne-ballot-set-v1" || h_1 || ... || h_n)
 * where h_i = SHA-256(signed ballot encoding i) and h_1 < ... < h_n sorted
 * by bytes (a ballot given twice counts twice: de-duplicate first). The
 * order in which ballots are given does not matter. Sorts `hashes` (n * 32
 * bytes) in place. */
void report_set_digest(uint8_t *hashes, size_t n, uint8_t out[32]);

/* The ballot-set digest of the campaign's ballots in the store; *n (may be
 * NULL) gets their number. BN_ENOMEM, store errors. */
int report_set_digest_store(store_t *s, const char *campaign, uint8_t out[32], uint64_t *n);

/* Encodes and signs r: sets r->kiosk to the signer's key id and r->sig;
 * writes REPORT_LEN bytes. BN_EINVAL for fields the decoder would refuse. */
int report_seal(report_t *r, const signer_t *s, uint8_t out[REPORT_LEN]);

/* Decodes strictly (does not verify the signature). BN_EFORMAT + why. */
int report_decode(const uint8_t *buf, size_t len, report_t *out, char *why, size_t whylen);

/* Decodes, checks that the kiosk key id is kiosk's (BN_EWRONGKEY) and the
 * signature (BN_EBADSIG). */
int report_verify(const uint8_t *buf, size_t len, const key_pub_t *kiosk, char *why,
                  size_t whylen);

/* Makes the closing report of `campaign` from the store: counts
 * (store_counts), ballot-set digest, audit head and length (store_audit_verify:
 * a broken chain is BN_ECORRUPT and no report), the days given, signed by
 * `signer`. Fills out[REPORT_LEN] and *r (may be NULL). */
int report_make(store_t *s, const char *campaign, uint32_t opened, uint32_t closed,
                const signer_t *signer, uint8_t out[REPORT_LEN], report_t *r, char *why,
                size_t whylen);

#endif
