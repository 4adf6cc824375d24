/* report.h - the closing report of a kiosk for a campaign, signed by the kiosk.
 *
 * When the polls close, the kiosk signs what it holds: how many register
 * entries and ballots, a digest of the set of ballots that does not depend
 * on their order, the head of its audit log, and how many participants of
 * each commune took part at this kiosk (counts only: store.c, (STORE-S9)). The
 * tally reconciles it with the ballots it received from that kiosk and sums
 * the commune counts into the published turnout (docs/formats.md, "Closing
 * report"). Format version 2, big-endian:
 *
 *   OFFSET   SIZE  FIELD
 *   0        4     magic "BRNR"
 *   4        1     format version (2)
 *   5        16    campaign id, token (as in a ballot: [a-z0-9][a-z0-9-]*, NUL-padded)
 *   21       32    kiosk key id (SHA-256 of its SubjectPublicKeyInfo DER, key.h)
 *   53       4     day the polls opened on this kiosk (day.h), not 0
 *   57       4     day they closed, >= the day they opened
 *   61       8     register entries of the campaign
 *   69       8     ballots of the campaign
 *   77       32    ballot-set digest (report_set_digest)
 *   109      32    audit log head hash (store_audit_verify; zeros if empty)
 *   141      8     audit log entries
 *   149      2     m, communes (0..REPORT_MAX_COMMUNES)
 *   151      13*m  per commune: INSEE code (5 bytes of [0-9AB]), participants
 *                  (8, >= 1); codes strictly increasing; when m > 0 the
 *                  participants sum to the register entries (m = 0: the
 *                  kiosk does not know its turnout per commune: a petition,
 *                  or a store migrated from schema 2 with entries in it)
 *   151+13m  64    ECDSA P-256 signature r || s over SHA-256(bytes 0..151+13m)
 *
 * 215 + 13 m bytes. Counts are at most 2^53. Version 1 (213 bytes, no
 * communes) is refused. */
#ifndef REPORT_H
#define REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "key.h"
#include "store.h"

#define REPORT_MAGIC "BRNR"
#define REPORT_VERSION 2
#define REPORT_FIXED_LEN 151                          /* up to the first commune */
#define REPORT_COMMUNE_LEN 13                         /* INSEE code 5, count 8 */
#define REPORT_MAX_COMMUNES 1000                      /* a departement has < 900 */
#define REPORT_MIN_LEN (REPORT_FIXED_LEN + KEY_SIG_LEN) /* 215, m = 0 */
#define REPORT_MAX_LEN (REPORT_MIN_LEN + REPORT_COMMUNE_LEN * REPORT_MAX_COMMUNES)
#define REPORT_LEN_OF(m) (REPORT_MIN_LEN + REPORT_COMMUNE_LEN * (size_t)(m))
#define REPORT_TOKEN_LEN 16
#define REPORT_COUNT_MAX (UINT64_C(1) << 53)
#define REPORT_SET_TAG "borne-ballot-set-v1" /* 19 bytes, no NUL */

/* The table above as code: each field's offset and length, chained. */
#define REPORT_OFF_MAGIC 0
#define REPORT_LEN_MAGIC 4
#define REPORT_OFF_VERSION 4
#define REPORT_LEN_VERSION 1
#define REPORT_OFF_CAMPAIGN 5
#define REPORT_LEN_CAMPAIGN REPORT_TOKEN_LEN
#define REPORT_OFF_KIOSK 21
#define REPORT_LEN_KIOSK KEY_ID_LEN
#define REPORT_OFF_OPENED 53
#define REPORT_LEN_OPENED 4
#define REPORT_OFF_CLOSED 57
#define REPORT_LEN_CLOSED 4
#define REPORT_OFF_REGISTER 61
#define REPORT_LEN_REGISTER 8
#define REPORT_OFF_BALLOTS 69
#define REPORT_LEN_BALLOTS 8
#define REPORT_OFF_SET 77
#define REPORT_LEN_SET 32
#define REPORT_OFF_LOG_HEAD 109
#define REPORT_LEN_LOG_HEAD 32
#define REPORT_OFF_LOG_N 141
#define REPORT_LEN_LOG_N 8
#define REPORT_OFF_M 149
#define REPORT_LEN_M 2
_Static_assert(REPORT_OFF_MAGIC + REPORT_LEN_MAGIC == REPORT_OFF_VERSION, "report layout: MAGIC then VERSION");
_Static_assert(REPORT_OFF_VERSION + REPORT_LEN_VERSION == REPORT_OFF_CAMPAIGN, "report layout: VERSION then CAMPAIGN");
_Static_assert(REPORT_OFF_CAMPAIGN + REPORT_LEN_CAMPAIGN == REPORT_OFF_KIOSK, "report layout: CAMPAIGN then KIOSK");
_Static_assert(REPORT_OFF_KIOSK + REPORT_LEN_KIOSK == REPORT_OFF_OPENED, "report layout: KIOSK then OPENED");
_Static_assert(REPORT_OFF_OPENED + REPORT_LEN_OPENED == REPORT_OFF_CLOSED, "report layout: OPENED then CLOSED");
_Static_assert(REPORT_OFF_CLOSED + REPORT_LEN_CLOSED == REPORT_OFF_REGISTER, "report layout: CLOSED then REGISTER");
_Static_assert(REPORT_OFF_REGISTER + REPORT_LEN_REGISTER == REPORT_OFF_BALLOTS, "report layout: REGISTER then BALLOTS");
_Static_assert(REPORT_OFF_BALLOTS + REPORT_LEN_BALLOTS == REPORT_OFF_SET, "report layout: BALLOTS then SET");
_Static_assert(REPORT_OFF_SET + REPORT_LEN_SET == REPORT_OFF_LOG_HEAD, "report layout: SET then LOG_HEAD");
_Static_assert(REPORT_OFF_LOG_HEAD + REPORT_LEN_LOG_HEAD == REPORT_OFF_LOG_N, "report layout: LOG_HEAD then LOG_N");
_Static_assert(REPORT_OFF_LOG_N + REPORT_LEN_LOG_N == REPORT_OFF_M, "report layout: LOG_N then M");
_Static_assert(REPORT_OFF_M + REPORT_LEN_M == REPORT_FIXED_LEN, "report layout: M ends the fixed part");

typedef struct report_commune_s {
    char insee[6];               /* 5 characters of [0-9AB] */
    uint64_t n;                  /* participants of that commune, >= 1 */
} report_commune_t;

typedef struct report_s {
    char campaign[REPORT_TOKEN_LEN + 1];
    uint8_t kiosk[KEY_ID_LEN];
    uint32_t opened, closed;
    uint64_t registered, ballots;
    uint8_t ballot_set[32];
    uint8_t audit_head[32];
    uint64_t audit_entries;
    uint32_t n_communes;         /* 0..REPORT_MAX_COMMUNES */
    report_commune_t communes[REPORT_MAX_COMMUNES]; /* increasing insee */
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
 * writes REPORT_LEN_OF(r->n_communes) bytes into out (cap bytes: BN_ETOOBIG
 * if short) and their number into *len. BN_EINVAL for fields the decoder
 * would refuse. */
int report_seal(report_t *r, const signer_t *s, uint8_t *out, size_t cap, size_t *len);

/* Decodes strictly (does not verify the signature): every rule above, in
 * order. BN_EFORMAT + why (the offset and the rule). out may be NULL. */
int report_decode(const uint8_t *buf, size_t len, report_t *out, char *why, size_t whylen);

/* The length of the report at the start of buf (len bytes there), from m at
 * offset 149: 0 if fewer than REPORT_FIXED_LEN bytes are there or m is
 * above the limit. Decodes nothing else. */
size_t report_length(const uint8_t *buf, size_t len);

/* Decodes, checks that the kiosk key id is kiosk's (BN_EWRONGKEY) and the
 * signature (BN_EBADSIG). */
int report_verify(const uint8_t *buf, size_t len, const key_pub_t *kiosk, char *why,
                  size_t whylen);

/* Makes the closing report of `campaign` from the store: counts
 * (store_counts), ballot-set digest, audit head and length (store_audit_verify:
 * a broken chain is BN_ECORRUPT and no report), the turnout counters
 * (store_turnout_each: when they do not sum to the register entries, because
 * entries were cast before schema 3 or are petition signatures, none are
 * given, m = 0; a sum above the register is BN_ECORRUPT), the days given,
 * signed by `signer`. Fills out (cap bytes; REPORT_MAX_LEN always suffices),
 * *len and *r (may be NULL; a report_t is about 16 KB). */
int report_make(store_t *s, const char *campaign, uint32_t opened, uint32_t closed,
                const signer_t *signer, uint8_t *out, size_t cap, size_t *len, report_t *r,
                char *why, size_t whylen);

#endif
