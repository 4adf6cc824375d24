/* cast.h - the cast path: from a confirmed selection to a durable, signed
 * ballot and the tracking code of its receipt; the same for a petition
 * signature (cast_petition).
 *
 *   check rule -> pseudonym -> make ballot -> sign -> store_cast (commit,
 *   fsync) -> tracking code
 *
 * The receipt may be shown only when cast_budget() returned 0: the ballot is
 * then on disk and signed. On any error nothing was written, but for
 * BN_EDOUBT (store.c, STORE-D6): the disk failed to confirm a commit that
 * went through, so all of the cast is written (the person is in the
 * register), no receipt is given, and the kiosk must go out of service. */
#ifndef CAST_H
#define CAST_H

#include <stdint.h>

#include "ballot.h"
#include "key.h"
#include "petition.h"
#include "pkg.h"
#include "rng.h"
#include "store.h"
#include "track.h"
#include "vcode.h"

/* Who the voter is, as typed (normalised inside). */
typedef struct cast_identity_s {
    const char *last_name;
    const char *first_names;
    const char *birth;           /* "YYYY-MM-DD" */
    const char *commune;         /* INSEE code */
} cast_identity_t;

/* Everything the kiosk holds for an open campaign. */
typedef struct cast_ctx_s {
    store_t *store;
    const pkg_t *pkg;
    uint8_t secret[32];          /* campaign secret */
    const signer_t *signer;      /* kiosk key */
    rng_t *rng;
    /* (KSYNC-K1) Reserve-then-cast: called once the cast can no longer be
     * refused here (eligibility, rule, pseudonym), before anything is made
     * or written. Sets *reserved to 1 when the server reserved `pseudonym`
     * for this kiosk (an online entry), 0 for an offline entry; returns 0,
     * BN_EALREADY (the person took part elsewhere: the cast is refused with
     * that bare fact), or another code that refuses the cast (BN_EREVOKED).
     * NULL: no server, every entry offline. ksync.h has the kiosk's. */
    int (*reserve)(void *arg, const char *campaign, const uint8_t pseudonym[32], int *reserved);
    void *reserve_arg;
    /* A cumulative ballot (rule.ballot "cumulative"): points[i] are the
     * points of sel[i] (NULL otherwise). An ordinal ballot's sel is in rank
     * order, and stays so. */
    const int *points;
} cast_ctx_t;

typedef struct cast_receipt_s {
    uint8_t ballot_id[16];       /* the ballot id, or a petition's signature id */
    char tracking[TRACK_TEXT_LEN + 1];
} cast_receipt_t;

/* 1 when `who` is already in this kiosk's register of ctx->pkg (the pseudonym
 * computed here, as the cast computes it), 0 when not; a negative code for
 * an identity that is not valid text or a store error. For the identity
 * step, before the person chooses. */
int cast_has_taken_part(const cast_ctx_t *ctx, const cast_identity_t *who);

/* How many ideas `who` already proposed at this kiosk in call for ideas
 * ctx->pkg (*n), for the identity step: 0 or a negative code. */
int cast_ideas_proposed(const cast_ctx_t *ctx, const cast_identity_t *who, int *n);

/* Checks eligibility (commune in the package, age on `day`), polls open on
 * `day`, the ballot rule for the commune's territory; refuses a person
 * already in the register (BN_EALREADY, nothing else said); then builds,
 * signs and stores the ballot. BN_ERULE, BN_ECLOSED, BN_ERANGE (age),
 * BN_ENOTFOUND (commune), store errors. `why` explains in words. */
int cast_budget(const cast_ctx_t *ctx, const cast_identity_t *who, const int *sel, int n,
                uint32_t day, cast_receipt_t *out, char *why, size_t whylen);

/* Signs petition ctx->pkg for `who` on `day`:
 *   kind (BN_EKIND), polls open (BN_ECLOSED: the polls are the petition's
 *   window), commune in the package (BN_ENOTFOUND), birth date and age
 *   (BN_ERANGE), a data controller key in the package (BN_EKEY) -> pseudonym (BN_EFORMAT
 *   for an identity that is not valid text) -> signature record sealed to
 *   the package's data controller key (petition.controller, CAST-C7) and signed by the kiosk (petition.h; BN_EINVAL for names
 *   too long for it) -> store_sign (register entry, record, outbox item in
 *   one transaction) -> tracking code of the signature id.
 * A person already in the register of the petition is refused with
 * BN_EALREADY and nothing else said. publish_name = 0 sets the record's
 * "do not publish my name" flag. On any error nothing was written and *out
 * holds no code. */
int cast_petition(const cast_ctx_t *ctx, const cast_identity_t *who, int publish_name,
                  uint32_t day, cast_receipt_t *out, char *why, size_t whylen);

/* --- supervised eligibility (CAST-C8; vcode.h) ---------------------------------
 * A campaign with polls.eligibility "supervised" is voted with a code, not
 * an identity typed at the kiosk: cast_budget refuses it (BN_EPERM).
 *
 * cast_issue_code, at the desk (agent mode): eligibility as a cast checks it,
 * BN_EALREADY for a person in the register, the server's reservation (and
 * BN_EOFFLINE, CAST-C6), then the register entry and a fresh code in one
 * transaction; the code (for the citizen, never stored) into `code`.
 * cast_code_check: the typed code (BN_EFORMAT, BN_ECHECK: a mistyped digit),
 * issued here for this campaign (BN_ENOTFOUND), not used (BN_EALREADY),
 * today (BN_EEXPIRED); *territory the ballot's territory. Writes nothing.
 * cast_budget_code: cast_code_check, the ballot rule, then the ballot and
 * the code marked used in one transaction; the receipt as cast_budget's. */
int cast_issue_code(const cast_ctx_t *ctx, const cast_identity_t *who, uint32_t day,
                    char code[VCODE_TEXT_LEN + 1], char *why, size_t whylen);
int cast_code_check(const cast_ctx_t *ctx, const char *typed, uint32_t day, int *territory,
                    char *why, size_t whylen);
int cast_budget_code(const cast_ctx_t *ctx, const char *typed, const int *sel, int n,
                     uint32_t day, cast_receipt_t *out, char *why, size_t whylen);

/* An idea as the person wrote it (idea.h's limits). */
typedef struct cast_idea_s {
    int theme;                   /* index into pkg->ideas.themes */
    int territory;               /* index into pkg->territories; -1: the person's own */
    const char *title, *description, *place; /* place may be NULL or "" */
    const char *contact;         /* NULL or "": none; else sealed (IDEA-I1) */
} cast_idea_t;

/* Proposes an idea in call for ideas ctx->pkg for `who` on `day`:
 *   kind (BN_EKIND), polls open (BN_ECLOSED), commune (BN_ENOTFOUND), age
 *   (BN_ERANGE), theme and territory known (BN_EINVAL), a contact only when
 *   the package asks for one and names its data controller key (BN_EKEY) ->
 *   pseudonym -> the record (idea.h: BN_EINVAL for a title, text, place or
 *   contact out of its limits), signed by the kiosk, the contact sealed to
 *   the controller -> store_propose (the person's limit of ideas,
 *   BN_EALREADY, in the same transaction) -> tracking code of the idea id.
 * On any error nothing was written and *out holds no code. */
int cast_idea(const cast_ctx_t *ctx, const cast_identity_t *who, const cast_idea_t *idea,
              uint32_t day, cast_receipt_t *out, char *why, size_t whylen);

/* A questionnaire's answers as the person gave them (issue 17): answers in
 * increasing question index (ballot.h's kind 4; a text question's answer
 * is a ballot_answer_t of type PKG_Q_TEXT and its words in texts[i], the
 * i-th text question answered, NULL otherwise). */
typedef struct cast_answers_s {
    const ballot_answer_t *a;
    int n;
    const char *const *texts;    /* one per answer of type PKG_Q_TEXT, in their order */
} cast_answers_t;

/* Answers questionnaire ctx->pkg for `who` on `day`, as cast_budget votes:
 *   kind (BN_EKIND), polls open (BN_ECLOSED), commune (BN_ENOTFOUND), age
 *   (BN_ERANGE) -> the answers against the questionnaire (answers_check:
 *   BN_ERULE, the question named) and each text against its question
 *   (BN_ERULE, BN_EINVAL for a text that is not one line of 1..500
 *   characters) -> pseudonym -> the server's reservation (ctx->reserve) ->
 *   the kind-4 ballot and each free text signed by the kiosk -> store_cast
 *   (the register entry, the answers in the box, the texts apart, in one
 *   transaction: BN_EALREADY for a person who already answered) ->
 *   tracking code of the answers' id. On any error nothing was written. */
int cast_answers(const cast_ctx_t *ctx, const cast_identity_t *who, const cast_answers_t *ans,
                 uint32_t day, cast_receipt_t *out, char *why, size_t whylen);

#endif
