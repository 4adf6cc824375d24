/* cast.h - the cast path: from a confirmed selection to a durable, signed
 * ballot and the tracking code of its receipt.
 *
 *   check rule -> pseudonym -> make ballot -> sign -> store_cast (commit,
 *   fsync) -> tracking code
 *
 * The receipt may be shown only when cast_budget() returned 0: the ballot is
 * then on disk and signed. On any error nothing was written. */
#ifndef CAST_H
#define CAST_H

#include <stdint.h>

#include "ballot.h"
#include "key.h"
#include "pkg.h"
#include "rng.h"
#include "store.h"
#include "track.h"

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
} cast_ctx_t;

typedef struct cast_receipt_s {
    uint8_t ballot_id[16];
    char tracking[TRACK_TEXT_LEN + 1];
} cast_receipt_t;

/* Checks eligibility (commune in the package, age on `day`), polls open on
 * `day`, the ballot rule for the commune's territory; refuses a person
 * already in the register (BN_EALREADY, nothing else said); then builds,
 * signs and stores the ballot. BN_ERULE, BN_ECLOSED, BN_ERANGE (age),
 * BN_ENOTFOUND (commune), store errors. `why` explains in words. */
int cast_budget(const cast_ctx_t *ctx, const cast_identity_t *who, const int *sel, int n,
                uint32_t day, cast_receipt_t *out, char *why, size_t whylen);

#endif
