/* ballot.h - the canonical, versioned, signed binary encoding of a ballot.
 *
 * The layout (docs/formats.md, "Ballot") is fixed-width, big-endian:
 *
 *   OFFSET  SIZE  FIELD
 *   0       4     magic "BRNB"
 *   4       1     format version (1)
 *   5       1     kind (1 = budget vote)
 *   6       2     n, number of chosen projects (0..BALLOT_MAX_CHOICES)
 *   8       4     day: days since 1970-01-01 (day.h); no time of day
 *   12      16    ballot id, random (CTR_DRBG)
 *   28      32    kiosk key id (SHA-256 of its public key, key.h)
 *   60      16    campaign id, ASCII, NUL-padded
 *   76      16    territory id, ASCII, NUL-padded
 *   92      16*n  chosen project ids, ASCII, NUL-padded, sorted, distinct
 *   92+16n  64    ECDSA P-256 signature r || s over SHA-256(bytes 0..92+16n)
 *
 * Kind 2 (cumulative, rule.ballot "cumulative"): each of the n entries is
 * 18 bytes, the project id then its points (2 bytes, >= 1), sorted by id,
 * distinct. Kind 3 (ordinal, rule.ballot "ordinal"): the n ids of 16 bytes
 * in rank order (the first is the voter's first choice), distinct. Whether
 * the points or ranks keep the package's rule is the rules' business
 * (rules.h), as for kind 1.
 *
 * Kind 4 (a questionnaire's answers, issue 17): n answers (0..30), each of
 * variable length, in increasing question index:
 *   question index (1, < PKG_QUESTIONS_MAX), type (1: pkg_qtype_t), then
 *     one:   the option's index (1)
 *     many:  k (1, 0..12), then k option indices, strictly increasing
 *     rank:  k (1, 1..12), then k option indices in rank order, distinct
 *     scale: the number (1, 0..10)
 *     yesno: 1 yes, 0 no (1)
 *     text:  nothing (the text travels apart, unlinked: answers.h)
 * then the signature. At most 30 * 15 bytes: every kind fits BALLOT_MAX_LEN.
 * Whether the answers keep the questionnaire's rules is answers_check's
 * business (answers.h), as the ballot rule is the rules'.
 *
 * A decoder accepts exactly one byte string per ballot: any other padding,
 * order, length or character is BN_EFORMAT. */
#ifndef BALLOT_H
#define BALLOT_H

#include <stddef.h>
#include <stdint.h>

#include "key.h"
#include "pkg.h"
#include "rng.h"

#define BALLOT_MAGIC "BRNB"
#define BALLOT_VERSION 1
#define BALLOT_KIND_BUDGET 1      /* approval: the projects chosen */
#define BALLOT_KIND_CUMULATIVE 2  /* points given to projects */
#define BALLOT_KIND_ORDINAL 3     /* projects ranked */
#define BALLOT_KIND_ANSWERS 4     /* a questionnaire's answers (issue 17) */
#define BALLOT_POINTS_LEN 2
#define BALLOT_ID_LEN 16
#define BALLOT_TOKEN_LEN 16       /* campaign, territory and project ids */
#define BALLOT_MAX_CHOICES 64
#define BALLOT_HEADER_LEN 92
#define BALLOT_MAX_LEN (BALLOT_HEADER_LEN + BALLOT_TOKEN_LEN * BALLOT_MAX_CHOICES + KEY_SIG_LEN)
/* A cumulative ballot's entries are 18 bytes: at most 56 of them, so that
 * every kind fits in BALLOT_MAX_LEN (the store's fixed box entries). */
#define BALLOT_MAX_CUMULATIVE (BALLOT_TOKEN_LEN * BALLOT_MAX_CHOICES / (BALLOT_TOKEN_LEN + BALLOT_POINTS_LEN))

/* The table above as code: each field's offset and length, chained. */
#define BALLOT_OFF_MAGIC 0
#define BALLOT_LEN_MAGIC 4
#define BALLOT_OFF_VERSION 4
#define BALLOT_LEN_VERSION 1
#define BALLOT_OFF_KIND 5
#define BALLOT_LEN_KIND 1
#define BALLOT_OFF_N 6
#define BALLOT_LEN_N 2
#define BALLOT_OFF_DAY 8
#define BALLOT_LEN_DAY 4
#define BALLOT_OFF_ID 12
#define BALLOT_LEN_ID BALLOT_ID_LEN
#define BALLOT_OFF_KIOSK 28
#define BALLOT_LEN_KIOSK KEY_ID_LEN
#define BALLOT_OFF_CAMPAIGN 60
#define BALLOT_LEN_CAMPAIGN BALLOT_TOKEN_LEN
#define BALLOT_OFF_TERRITORY 76
#define BALLOT_LEN_TERRITORY BALLOT_TOKEN_LEN
_Static_assert(BALLOT_OFF_MAGIC + BALLOT_LEN_MAGIC == BALLOT_OFF_VERSION, "ballot layout: MAGIC then VERSION");
_Static_assert(BALLOT_OFF_VERSION + BALLOT_LEN_VERSION == BALLOT_OFF_KIND, "ballot layout: VERSION then KIND");
_Static_assert(BALLOT_OFF_KIND + BALLOT_LEN_KIND == BALLOT_OFF_N, "ballot layout: KIND then N");
_Static_assert(BALLOT_OFF_N + BALLOT_LEN_N == BALLOT_OFF_DAY, "ballot layout: N then DAY");
_Static_assert(BALLOT_OFF_DAY + BALLOT_LEN_DAY == BALLOT_OFF_ID, "ballot layout: DAY then ID");
_Static_assert(BALLOT_OFF_ID + BALLOT_LEN_ID == BALLOT_OFF_KIOSK, "ballot layout: ID then KIOSK");
_Static_assert(BALLOT_OFF_KIOSK + BALLOT_LEN_KIOSK == BALLOT_OFF_CAMPAIGN, "ballot layout: KIOSK then CAMPAIGN");
_Static_assert(BALLOT_OFF_CAMPAIGN + BALLOT_LEN_CAMPAIGN == BALLOT_OFF_TERRITORY, "ballot layout: CAMPAIGN then TERRITORY");
_Static_assert(BALLOT_OFF_TERRITORY + BALLOT_LEN_TERRITORY == BALLOT_HEADER_LEN, "ballot layout: TERRITORY ends the header");
#define BALLOT_OFF_CHOICES BALLOT_HEADER_LEN           /* n ids of BALLOT_TOKEN_LEN, then the signature */

/* One answer of a kind-4 ballot. */
typedef struct ballot_answer_s {
    uint8_t q;                  /* question index */
    uint8_t type;               /* pkg_qtype_t */
    uint8_t k;                  /* values in v: 1 (one, scale, yesno), k (many, rank), 0 (text) */
    uint8_t v[PKG_OPTIONS_MAX]; /* option indices, the number, 1/0 */
} ballot_answer_t;

typedef struct ballot_s {
    uint8_t kind;
    uint32_t day;
    uint8_t id[BALLOT_ID_LEN];
    uint8_t kiosk[KEY_ID_LEN];
    char campaign[BALLOT_TOKEN_LEN + 1];
    char territory[BALLOT_TOKEN_LEN + 1];
    int n;
    char choices[BALLOT_MAX_CHOICES][BALLOT_TOKEN_LEN + 1]; /* sorted by bytes; ordinal: in
                                                               rank order */
    int points[BALLOT_MAX_CHOICES];                         /* cumulative: each one's points */
    ballot_answer_t answers[PKG_QUESTIONS_MAX];             /* kind 4: n answers */
    uint8_t sig[KEY_SIG_LEN];
} ballot_t;

/* Fills a ballot for `p`, `territory` and the selection `sel` (indexes into
 * p->projects): random id from `rng`, day `day`, choices sorted. Does not
 * check the ballot rule (rules.h does). BN_EINVAL, BN_ERANGE, BN_ERNG. */
int ballot_make(ballot_t *b, const pkg_t *p, int territory, const int *sel, int n,
                uint32_t day, const uint8_t kiosk[KEY_ID_LEN], rng_t *rng);
/* The same for any rule.ballot: sel in rank order for an ordinal ballot (kept
 * so), pts[i] the points of sel[i] for a cumulative one (NULL otherwise). */
int ballot_make_ex(ballot_t *b, const pkg_t *p, int territory, const int *sel, const int *pts,
                   int n, uint32_t day, const uint8_t kiosk[KEY_ID_LEN], rng_t *rng);
/* A questionnaire's answers (kind 4) for `p` (PKG_QUESTIONNAIRE) and
 * `territory`: the n answers copied (in increasing question index: BN_EINVAL
 * otherwise; their rules are answers_check's), random id, day. */
int ballot_make_answers(ballot_t *b, const pkg_t *p, int territory, const ballot_answer_t *a,
                        int n, uint32_t day, const uint8_t kiosk[KEY_ID_LEN], rng_t *rng);
/* The kind of ballot a package's rule asks for (BALLOT_KIND_*). */
int ballot_kind_of(const pkg_t *p);

/* Encodes and signs: writes the whole signed ballot to out (cap bytes, at
 * least BALLOT_MAX_LEN is always enough), sets *len, and copies the signature
 * into b->sig. */
int ballot_seal(ballot_t *b, const signer_t *s, uint8_t *out, size_t cap, size_t *len);

/* Decodes a signed ballot strictly (does not verify the signature).
 * BN_EFORMAT with the offset and reason in `why`. */
int ballot_decode(const uint8_t *buf, size_t len, ballot_t *out, char *why, size_t whylen);

/* Verifies the signature of an encoded ballot with the kiosk's public key
 * (and that the kiosk key id in the ballot is that key's id: BN_EWRONGKEY).
 * 0 or BN_EBADSIG / BN_EFORMAT. */
int ballot_verify(const uint8_t *buf, size_t len, const key_pub_t *kiosk);

/* The digest of a set of ballot ids, as the server's acknowledgement gives it
 * (docs/api.md, ballot_ids_digest): SHA-256(BALLOT_IDS_TAG || id_1 || ... ||
 * id_n), the n ids of BALLOT_ID_LEN bytes in byte order (sorted here, in
 * place). n = 0 is the digest of the tag alone. */
#define BALLOT_IDS_TAG "borne-ballot-ids-v1"
void ballot_ids_digest(uint8_t *ids, size_t n, uint8_t out[32]);

#endif
