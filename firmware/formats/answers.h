/* answers.h - a questionnaire's rules, and the free-text record (issue 17).
 *
 * A person's answers to a questionnaire are a ballot of kind 4 (ballot.h):
 * secret like a ballot, in the box, counted by the tally, the person in the
 * register apart (the same invariants, DESIGN-S1..S4). answers_check holds
 * them to the package: each answer of its question's type, its values within
 * the question's options and bounds, a conditional question answered only
 * when its condition was met.
 *
 * A free text (a "text" question) travels apart from the answers, in a record
 * of its own, so that what a person wrote in words (which may say who they
 * are) is never tied to the rest of their answers; its kind-4 ballot only
 * says that the question was answered. Layout (docs/formats.md, "Free text"),
 * big-endian:
 *
 *   OFFSET  SIZE  FIELD
 *   0       4     magic "BRNT"
 *   4       1     format version (1)
 *   5       4     day (not 0)
 *   9       16    text id, random
 *   25      32    kiosk key id
 *   57      16    campaign id, token
 *   73      16    territory id, token
 *   89      16    question id, token
 *   105     2     L: text length in bytes, 1..2000 (1..500 characters)
 *   107     L     the text: UTF-8 (wire_text_chars), no line feed
 *   107+L   64    kiosk ECDSA P-256 signature r || s over SHA-256(all before)
 *
 * A decoder accepts exactly one byte string per record (BN_EFORMAT, with the
 * offset; never the text in the reason). */
#ifndef ANSWERS_H
#define ANSWERS_H

#include <stddef.h>
#include <stdint.h>

#include "ballot.h"
#include "key.h"
#include "pkg.h"
#include "rng.h"

/* Checks a decoded kind-4 ballot against questionnaire p: campaign and
 * territory of p; each answer's question exists and has its type; one: an
 * option; many: min..max options; rank: min..max options; scale: from..to;
 * yesno; text: the question is a text one; a question with show_if is
 * answered only when that earlier answer was given (as this ballot gives
 * it). 0, or BN_ERULE with the question's id (never an answer) in why. */
int answers_check(const pkg_t *p, const ballot_t *b, char *why, size_t whylen);

/* 1 when question q of p is asked, given the answers a[0..n) (its show_if
 * holds, or it has none), 0 when not. */
int answers_asked(const pkg_t *p, int q, const ballot_answer_t *a, int n);

#define QTEXT_MAGIC "BRNT"
#define QTEXT_VERSION 1
#define QTEXT_ID_LEN 16
#define QTEXT_HEADER_LEN 107
#define QTEXT_MAX_BYTES (4 * PKG_TEXT_ANSWER_CHARS)
#define QTEXT_MIN_LEN (QTEXT_HEADER_LEN + 1 + KEY_SIG_LEN)
#define QTEXT_MAX_LEN (QTEXT_HEADER_LEN + QTEXT_MAX_BYTES + KEY_SIG_LEN)
#define QTEXT_OFF_DAY 5
#define QTEXT_OFF_ID 9
#define QTEXT_OFF_KIOSK 25
#define QTEXT_OFF_CAMPAIGN 57
#define QTEXT_OFF_TERRITORY 73
#define QTEXT_OFF_QUESTION 89
#define QTEXT_OFF_LEN 105
_Static_assert(QTEXT_OFF_LEN + 2 == QTEXT_HEADER_LEN, "qtext layout: LEN ends the header");

typedef struct qtext_s {
    uint32_t day;
    uint8_t id[QTEXT_ID_LEN];
    uint8_t kiosk[KEY_ID_LEN];
    char campaign[17], territory[17], question[17];
    char text[QTEXT_MAX_BYTES + 1];
    uint8_t sig[KEY_SIG_LEN];
} qtext_t;

/* Encodes and signs t (the caller draws t->id): out has cap bytes
 * (QTEXT_MAX_LEN always enough). BN_EINVAL for a field the decoder would
 * refuse (an empty or too long text, a line feed, a bad token, day 0). */
int qtext_seal(qtext_t *t, const signer_t *signer, uint8_t *out, size_t cap, size_t *len);

/* Decodes strictly (the signature is not checked). */
int qtext_decode(const uint8_t *buf, size_t len, qtext_t *out, char *why, size_t whylen);

/* The record's kiosk key id is kiosk's and its signature verifies: 0,
 * BN_EWRONGKEY, BN_EBADSIG, BN_EFORMAT. */
int qtext_verify(const uint8_t *buf, size_t len, const key_pub_t *kiosk);

/* A decoded text against questionnaire p: its campaign, its territory, its
 * question a text one, at most that question's max_chars. 0 or BN_ERULE. */
int qtext_check(const pkg_t *p, const qtext_t *t, char *why, size_t whylen);

#endif
