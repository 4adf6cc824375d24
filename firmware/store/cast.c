/* cast.c - the cast path: a confirmed selection becomes a signed, durable
 * ballot and a tracking code, or nothing at all.
 *
 * Order of the steps, and why:
 *   (CAST-C1) Everything that can refuse without writing (kind, polls, commune,
 *        age, ballot rule) runs first, so a refusal writes nothing.
 *   (CAST-C2) The ballot is signed before the transaction: store_cast() writes
 *        the register entry and the signed ballot in one transaction, so a
 *        stored ballot always verifies (durability invariants in store.c).
 *   (CAST-C3) The tracking code is derived before the transaction (it needs
 *        only the id and the campaign secret) and handed out only once the
 *        commit returned 0: no receipt for a ballot that is not on disk, and
 *        nothing that can fail comes between the commit and the receipt, so
 *        a ballot on disk always had its receipt shown (test_faults: an
 *        allocation failing at each step of a cast).
 *   (CAST-C4) DESIGN-S3: the choices live only in this stack frame and
 *        the caller's selection; the ballot_t and its encoding are wiped
 *        before returning, on every path. */
#include "cast.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/platform_util.h>

#include "answers.h"
#include "bn_err.h"
#include "day.h"
#include "polls.h"
#include "vcode.h"
#include "pseud.h"
#include "idea.h"
#include "rules.h"

/* Words for the first problem of a verdict, for agents' logs and tests (the
 * kiosk phrases the verdict itself from its catalog). */
static int rule_why(const pkg_t *p, const rules_verdict_t *v, char *why, size_t whylen)
{
    const rules_problem_t *pb = &v->problems[0];
    const char *id = pb->project >= 0 && pb->project < p->n_projects ? p->projects[pb->project].id : "?";

    switch (pb->kind) {
    case RULES_TOO_FEW:
        return bn_fail(why, whylen, BN_ERULE, "%lld more project(s) needed", (long long)pb->amount);
    case RULES_TOO_MANY:
        return bn_fail(why, whylen, BN_ERULE, "%lld project(s) too many", (long long)pb->amount);
    case RULES_OVER_BUDGET:
        return bn_fail(why, whylen, BN_ERULE, "%lld EUR over the envelope", (long long)pb->amount);
    case RULES_UNDER_MIN_SPEND:
        return bn_fail(why, whylen, BN_ERULE, "%lld EUR short of the minimum spend",
                       (long long)pb->amount);
    case RULES_WRONG_TERRITORY:
        return bn_fail(why, whylen, BN_ERULE, "project '%s' is not of the voter's territory", id);
    case RULES_UNKNOWN_PROJECT:
        return bn_fail(why, whylen, BN_ERULE, "unknown project index %d", pb->project);
    case RULES_DUPLICATE:
        return bn_fail(why, whylen, BN_ERULE, "project '%s' chosen twice", id);
    case RULES_TOO_MANY_POINTS:
        return bn_fail(why, whylen, BN_ERULE, "%lld point(s) too many", (long long)pb->amount);
    case RULES_OVER_PER_PROJECT:
        return bn_fail(why, whylen, BN_ERULE, "project '%s' has more points than the rule allows",
                       id);
    case RULES_NO_POINTS:
        return bn_fail(why, whylen, BN_ERULE, "project '%s' has no point", id);
    }
    return bn_fail(why, whylen, BN_ERULE, "selection breaks the ballot rule");
}

/* (KSYNC-K1) The last step before anything is made: the server's
 * reservation, through ctx->reserve. *offline is 0 only when the server
 * reserved this person for this kiosk. (CAST-C6) A campaign that takes
 * part online only (polls.offline "refuse") is refused, writing nothing,
 * when the server did not reserve: BN_EOFFLINE. */
static int reserve(const cast_ctx_t *ctx, const uint8_t pseudonym[PSEUD_LEN], int *offline,
                   char *why, size_t whylen)
{
    int reserved = 0, rc;

    *offline = 1;
    if (ctx->reserve == NULL)
        return ctx->pkg->online_only ? bn_fail(why, whylen, BN_EOFFLINE, "%s (no server is "
                                               "configured)", bn_strerror(BN_EOFFLINE)) : 0;
    rc = ctx->reserve(ctx->reserve_arg, ctx->pkg->id, pseudonym, &reserved);
    if (rc == BN_EALREADY) /* the bare fact, nothing more (DESIGN-S4) */
        return bn_fail(why, whylen, rc, "%s", bn_strerror(rc));
    if (rc != 0)
        return bn_fail(why, whylen, rc, "reservation: %s", bn_strerror(rc));
    *offline = !reserved;
    if (*offline && ctx->pkg->online_only)
        return bn_fail(why, whylen, BN_EOFFLINE, "%s", bn_strerror(BN_EOFFLINE));
    return 0;
}

int cast_has_taken_part(const cast_ctx_t *ctx, const cast_identity_t *who)
{
    uint8_t pseud[PSEUD_LEN];
    int rc;

    rc = pseud_compute(ctx->secret, ctx->pkg->id, who->last_name, who->first_names, who->birth,
                       pseud);
    if (rc == 0)
        rc = store_has_voted(ctx->store, ctx->pkg->id, pseud);
    mbedtls_platform_zeroize(pseud, sizeof pseud);
    return rc;
}

int cast_ideas_proposed(const cast_ctx_t *ctx, const cast_identity_t *who, int *n)
{
    uint8_t pseud[PSEUD_LEN];
    int rc;

    *n = 0;
    rc = pseud_compute(ctx->secret, ctx->pkg->id, who->last_name, who->first_names, who->birth,
                       pseud);
    if (rc == 0)
        rc = store_ideas_of(ctx->store, ctx->pkg->id, pseud, n);
    mbedtls_platform_zeroize(pseud, sizeof pseud);
    return rc;
}

/* (CAST-C1) The refusals common to a vote and a signature, none of which writes:
 * polls open on `day`, commune in the package (its index in *commune), a
 * valid birth date, old enough. `who_word` names the person ("voters"). */
static int eligible(store_t *st, const pkg_t *p, const cast_identity_t *who, uint32_t day,
                    const char *who_word, int *commune, char *why, size_t whylen)
{
    int y, m, d, rc;

    /* (POLLS-P2) nothing is cast unless the agents opened the polls and
     * they are neither paused nor closed: whatever the screens did */
    if (!polls_accepts(st, p, day, why, whylen))
        return BN_ECLOSED;
    if (day < p->opens || day > p->closes) {
        char o[DAY_TEXT_LEN + 1], c[DAY_TEXT_LEN + 1];
        day_format(p->opens, o);
        day_format(p->closes, c);
        return bn_fail(why, whylen, BN_ECLOSED, "polls of '%s' are open from %s to %s", p->id,
                       o, c);
    }
    *commune = who->commune != NULL ? pkg_find_commune(p, who->commune) : -1;
    if (*commune < 0)
        return bn_fail(why, whylen, BN_ENOTFOUND, "commune '%s' does not take part in '%s'",
                       who->commune != NULL ? who->commune : "", p->id);
    rc = day_parse_ymd(who->birth, &y, &m, &d);
    if (rc != 0)
        return bn_fail(why, whylen, rc, "birth date '%s' is not a valid YYYY-MM-DD date",
                       who->birth != NULL ? who->birth : "");
    if (day_age(y, m, d, day) < p->min_age)
        return bn_fail(why, whylen, BN_ERANGE, "%s must be %d or older", who_word, p->min_age);
    return 0;
}

/* (CAST-C3) The receipt's tracking code of item `id`, before the store's
 * transaction. */
static int code_of(const cast_ctx_t *ctx, const uint8_t id[16], char code[TRACK_TEXT_LEN + 1],
                   char *why, size_t whylen)
{
    uint8_t tkey[32];
    int rc = track_key(ctx->secret, tkey);

    if (rc == 0)
        rc = track_code(tkey, id, code);
    mbedtls_platform_zeroize(tkey, sizeof tkey);
    if (rc != 0)
        return bn_fail(why, whylen, rc, "tracking code: %s", bn_strerror(rc));
    return 0;
}

/* What follows the store's transaction (rc is its result): a refusal in
 * words, or (CAST-C3) the receipt, now that the item is durable: only
 * copies, nothing that can fail. An already registered person is told that
 * and nothing more (DESIGN-S4). */
static int receipt(int rc, const char *what, const uint8_t id[16],
                   const char code[TRACK_TEXT_LEN + 1], cast_receipt_t *out, char *why,
                   size_t whylen)
{
    if (rc == BN_EALREADY)
        return bn_fail(why, whylen, rc, "%s", bn_strerror(rc));
    if (rc == BN_EDOUBT) /* (STORE-D6) all of it written, durability not confirmed */
        return bn_fail(why, whylen, rc, "%s written, but the disk did not confirm it: no "
                       "receipt; the disk is failing", what);
    if (rc != 0)
        return bn_fail(why, whylen, rc, "%s not stored: %s", what, bn_strerror(rc));
    memcpy(out->ballot_id, id, sizeof out->ballot_id);
    memcpy(out->tracking, code, sizeof out->tracking);
    return 0;
}

int cast_budget(const cast_ctx_t *ctx, const cast_identity_t *who, const int *sel, int n,
                uint32_t day, cast_receipt_t *out, char *why, size_t whylen)
{
    const pkg_t *p = ctx->pkg;
    char code[TRACK_TEXT_LEN + 1];
    rules_verdict_t verdict;
    store_cast_t sc;
    ballot_t b;
    uint8_t enc[BALLOT_MAX_LEN];
    size_t len = 0;
    int commune, territory, rc;

    memset(&b, 0, sizeof b);
    memset(out, 0, sizeof *out);

    /* (CAST-C1) refusals that write nothing */
    if (p->kind != PKG_BUDGET) {
        rc = bn_fail(why, whylen, BN_EKIND, "campaign '%s' is not a budget vote", p->id);
        goto out;
    }
    if (p->supervised) { /* (CAST-C8) the desk checks identities, not the kiosk */
        rc = bn_fail(why, whylen, BN_EPERM, "campaign '%s' is supervised: one votes with the "
                     "voting code the town hall's desk gives", p->id);
        goto out;
    }
    rc = eligible(ctx->store, p, who, day, "voters", &commune, why, whylen);
    if (rc != 0)
        goto out;
    territory = pkg_commune_territory(p, commune);
    rc = rules_check_points(p, territory, sel, ctx->points, n, &verdict);
    if (rc == BN_ERULE) {
        rc = rule_why(p, &verdict, why, whylen);
        goto out;
    }
    if (rc != 0) {
        rc = bn_fail(why, whylen, rc, "ballot rule cannot be checked: %s", bn_strerror(rc));
        goto out;
    }

    memset(&sc, 0, sizeof sc);
    rc = pseud_compute(ctx->secret, p->id, who->last_name, who->first_names, who->birth,
                       sc.pseudonym);
    if (rc != 0) {
        rc = bn_fail(why, whylen, rc, "identity is incomplete or not valid text");
        goto out;
    }
    if ((rc = reserve(ctx, sc.pseudonym, &sc.offline, why, whylen)) != 0)
        goto out;

    /* (CAST-C2) sign, then one transaction */
    rc = ballot_make_ex(&b, p, territory, sel, ctx->points, n, day, ctx->signer->pub.id, ctx->rng);
    if (rc == 0)
        rc = ballot_seal(&b, ctx->signer, enc, sizeof enc, &len);
    if (rc != 0) {
        rc = bn_fail(why, whylen, rc, "ballot could not be made: %s", bn_strerror(rc));
        goto out;
    }
    sc.campaign = p->id;
    sc.day = day;
    sc.commune = p->communes[commune].insee; /* counted only, store.c (STORE-S9) */
    sc.ballot_id = b.id;
    sc.ballot = enc;
    sc.ballot_len = len;
    if ((rc = code_of(ctx, b.id, code, why, whylen)) != 0)
        goto out;
    rc = receipt(store_cast(ctx->store, &sc), "ballot", b.id, code, out, why, whylen);
out:
    /* (CAST-C4) */
    mbedtls_platform_zeroize(&b, sizeof b);
    mbedtls_platform_zeroize(enc, sizeof enc);
    mbedtls_platform_zeroize(&verdict, sizeof verdict);
    return rc;
}

/* --- supervised eligibility (CAST-C8) --------------------------------------------
 * The desk: identity checked by an agent, the participation registered (the
 * pseudonym, the server's reservation and the offline rules of a cast), a
 * fresh code whose keyed hash is stored with its day and the person's
 * territory, never with the entry. The kiosk: a code of this campaign,
 * issued today and not used, then the ballot of that territory; the code is
 * marked used in the ballot's own transaction. */
int cast_issue_code(const cast_ctx_t *ctx, const cast_identity_t *who, uint32_t day,
                    char code[VCODE_TEXT_LEN + 1], char *why, size_t whylen)
{
    const pkg_t *p = ctx->pkg;
    uint8_t pseud[PSEUD_LEN], h[32];
    int commune, offline = 1, rc;

    code[0] = '\0';
    if (p->kind != PKG_BUDGET || !p->supervised)
        return bn_fail(why, whylen, BN_EKIND, "campaign '%s' is not a supervised budget vote",
                       p->id);
    if ((rc = eligible(ctx->store, p, who, day, "voters", &commune, why, whylen)) != 0)
        return rc;
    rc = pseud_compute(ctx->secret, p->id, who->last_name, who->first_names, who->birth, pseud);
    if (rc != 0) {
        rc = bn_fail(why, whylen, rc, "identity is incomplete or not valid text");
        goto out;
    }
    if ((rc = store_has_voted(ctx->store, p->id, pseud)) != 0) {
        rc = rc == 1 ? bn_fail(why, whylen, BN_EALREADY, "%s", bn_strerror(BN_EALREADY)) : rc;
        goto out;
    }
    if ((rc = reserve(ctx, pseud, &offline, why, whylen)) != 0)
        goto out;
    if ((rc = vcode_make(ctx->rng, code)) != 0 ||
        (rc = vcode_hash(ctx->secret, p->id, code, h)) != 0) {
        rc = bn_fail(why, whylen, rc, "voting code: %s", bn_strerror(rc));
        goto out;
    }
    rc = store_issue_code(ctx->store, p->id, pseud, day, offline, p->communes[commune].insee, h,
                          pkg_commune_territory(p, commune));
    if (rc != 0)
        rc = bn_fail(why, whylen, rc, rc == BN_EALREADY ? "%s" : "not stored: %s",
                     bn_strerror(rc));
out:
    if (rc != 0)
        mbedtls_platform_zeroize(code, VCODE_TEXT_LEN + 1);
    mbedtls_platform_zeroize(pseud, sizeof pseud);
    mbedtls_platform_zeroize(h, sizeof h);
    return rc;
}

int cast_code_check(const cast_ctx_t *ctx, const char *typed, uint32_t day, int *territory,
                    char *why, size_t whylen)
{
    const pkg_t *p = ctx->pkg;
    char code[VCODE_TEXT_LEN + 1];
    uint8_t h[32];
    uint32_t issued = 0;
    int used = 0, rc;

    if (!polls_accepts(ctx->store, p, day, why, whylen))
        return BN_ECLOSED;
    if ((rc = vcode_parse(typed, code)) != 0)
        return bn_fail(why, whylen, rc, rc == BN_ECHECK ? "the code has a mistyped digit"
                                                       : "a code is 12 digits");
    if ((rc = vcode_hash(ctx->secret, p->id, code, h)) != 0)
        return bn_fail(why, whylen, rc, "voting code: %s", bn_strerror(rc));
    rc = store_code_get(ctx->store, p->id, h, &issued, territory, &used);
    mbedtls_platform_zeroize(code, sizeof code);
    mbedtls_platform_zeroize(h, sizeof h);
    if (rc == BN_ENOTFOUND)
        return bn_fail(why, whylen, rc, "this code was not given for this vote at this kiosk");
    if (rc != 0)
        return bn_fail(why, whylen, rc, "store: %s", bn_strerror(rc));
    if (used)
        return bn_fail(why, whylen, BN_EALREADY, "this code was already used");
    if (issued != day)
        return bn_fail(why, whylen, BN_EEXPIRED, "this code was given on another day: a code "
                       "is valid the day it is given");
    if (*territory >= p->n_territories)
        return bn_fail(why, whylen, BN_ECORRUPT, "the code's territory is not the package's");
    return 0;
}

int cast_budget_code(const cast_ctx_t *ctx, const char *typed, const int *sel, int n,
                     uint32_t day, cast_receipt_t *out, char *why, size_t whylen)
{
    const pkg_t *p = ctx->pkg;
    char tcode[TRACK_TEXT_LEN + 1];
    rules_verdict_t verdict;
    store_cast_t sc;
    ballot_t b;
    uint8_t enc[BALLOT_MAX_LEN], h[32];
    char code[VCODE_TEXT_LEN + 1];
    size_t len = 0;
    int territory = -1, rc;

    memset(&b, 0, sizeof b);
    memset(out, 0, sizeof *out);
    if (p->kind != PKG_BUDGET || !p->supervised) {
        rc = bn_fail(why, whylen, BN_EKIND, "campaign '%s' is not a supervised budget vote",
                     p->id);
        goto out;
    }
    if ((rc = cast_code_check(ctx, typed, day, &territory, why, whylen)) != 0)
        goto out;
    rc = rules_check_points(p, territory, sel, ctx->points, n, &verdict);
    if (rc == BN_ERULE) {
        rc = rule_why(p, &verdict, why, whylen);
        goto out;
    }
    if (rc != 0 || (rc = vcode_parse(typed, code)) != 0 ||
        (rc = vcode_hash(ctx->secret, p->id, code, h)) != 0) {
        rc = bn_fail(why, whylen, rc, "ballot rule or code: %s", bn_strerror(rc));
        goto out;
    }
    rc = ballot_make_ex(&b, p, territory, sel, ctx->points, n, day, ctx->signer->pub.id, ctx->rng);
    if (rc == 0)
        rc = ballot_seal(&b, ctx->signer, enc, sizeof enc, &len);
    if (rc != 0) {
        rc = bn_fail(why, whylen, rc, "ballot could not be made: %s", bn_strerror(rc));
        goto out;
    }
    memset(&sc, 0, sizeof sc);
    sc.campaign = p->id;
    sc.day = day;
    sc.ballot_id = b.id;
    sc.ballot = enc;
    sc.ballot_len = len;
    if ((rc = code_of(ctx, b.id, tcode, why, whylen)) != 0)
        goto out;
    rc = store_cast_code(ctx->store, &sc, h);
    if (rc == BN_EALREADY) {
        rc = bn_fail(why, whylen, rc, "this code was already used");
        goto out;
    }
    rc = receipt(rc, "ballot", b.id, tcode, out, why, whylen);
out:
    mbedtls_platform_zeroize(&b, sizeof b);
    mbedtls_platform_zeroize(enc, sizeof enc);
    mbedtls_platform_zeroize(code, sizeof code);
    mbedtls_platform_zeroize(h, sizeof h);
    return rc;
}

/* The same steps for a petition signature:
 *   (CAST-C1) kind, polls, commune, age, controller key: refusals that write nothing;
 *   (CAST-C2) sealed and signed before the one transaction of store_sign();
 *   (CAST-C3) the tracking code after the commit;
 *   (CAST-C5) DESIGN-S5: the identity as typed lives in this frame only long
 *        enough to be sealed; it is wiped on every path, and only the sealed
 *        record reaches the store;
 *   (CAST-C7) sealed to the data controller's key that the signed package
 *        names (petition.controller), never to the authority's signing key:
 *        whoever certifies kiosks and signs packages cannot read who signed;
 *        a package without one is refused before anything is made. */
int cast_petition(const cast_ctx_t *ctx, const cast_identity_t *who, int publish_name,
                  uint32_t day, cast_receipt_t *out, char *why, size_t whylen)
{
    const pkg_t *p = ctx->pkg;
    char code[TRACK_TEXT_LEN + 1];
    petition_identity_t id;
    petition_t rec;
    store_sign_t ss;
    uint8_t enc[PETITION_LEN];
    int commune, rc;

    memset(&id, 0, sizeof id);
    memset(&rec, 0, sizeof rec);
    memset(&ss, 0, sizeof ss);
    memset(enc, 0, sizeof enc);
    memset(out, 0, sizeof *out);

    /* (CAST-C1) */
    if (p->kind != PKG_PETITION) {
        rc = bn_fail(why, whylen, BN_EKIND, "campaign '%s' is not a petition", p->id);
        goto out;
    }
    rc = eligible(ctx->store, p, who, day, "signers", &commune, why, whylen);
    if (rc != 0)
        goto out;
    if (!p->petition.has_controller) { /* (CAST-C7) */
        rc = bn_fail(why, whylen, BN_EKEY, "petition '%s' names no data controller key "
                     "(petition.controller): identities are sealed to it, never to the "
                     "authority's signing key", p->id);
        goto out;
    }
    rc = pseud_compute(ctx->secret, p->id, who->last_name, who->first_names, who->birth,
                       ss.pseudonym);
    if (rc != 0) {
        rc = bn_fail(why, whylen, rc, "identity is incomplete or not valid text");
        goto out;
    }
    if (strlen(who->last_name) > PETITION_NAMES_MAX ||
        strlen(who->first_names) > PETITION_NAMES_MAX ||
        strlen(who->last_name) + strlen(who->first_names) > PETITION_NAMES_MAX) {
        rc = bn_fail(why, whylen, BN_EINVAL, "names longer than %d bytes together",
                     PETITION_NAMES_MAX);
        goto out;
    }
    if ((rc = reserve(ctx, ss.pseudonym, &ss.offline, why, whylen)) != 0)
        goto out;
    strcpy(id.last_name, who->last_name);
    strcpy(id.first_names, who->first_names);
    memcpy(id.birth, who->birth, DAY_TEXT_LEN); /* checked by eligible() */
    strcpy(id.commune, p->communes[commune].insee);

    /* (CAST-C2) seal and sign, then one transaction */
    rc = petition_make(&rec, p, commune, ss.pseudonym, !publish_name, day,
                       ctx->signer->pub.id, ctx->rng);
    if (rc == 0)
        rc = petition_seal(&rec, &id, &p->petition.controller, ctx->signer, ctx->rng, enc);
    if (rc != 0) {
        rc = bn_fail(why, whylen, rc, "signature could not be made: %s", bn_strerror(rc));
        goto out;
    }
    ss.campaign = p->id;
    ss.day = day;
    ss.sig_id = rec.id;
    ss.record = enc;
    ss.record_len = sizeof enc;
    if ((rc = code_of(ctx, rec.id, code, why, whylen)) != 0)
        goto out;
    rc = receipt(store_sign(ctx->store, &ss), "signature", rec.id, code, out, why, whylen);
out:
    /* (CAST-C5) */
    mbedtls_platform_zeroize(&id, sizeof id);
    mbedtls_platform_zeroize(&rec, sizeof rec);
    mbedtls_platform_zeroize(&ss, sizeof ss);
    mbedtls_platform_zeroize(enc, sizeof enc);
    return rc;
}

int cast_idea(const cast_ctx_t *ctx, const cast_identity_t *who, const cast_idea_t *idea,
              uint32_t day, cast_receipt_t *out, char *why, size_t whylen)
{
    const pkg_t *p = ctx->pkg;
    char code[TRACK_TEXT_LEN + 1];
    idea_t *rec = calloc(1, sizeof *rec);
    uint8_t *enc = malloc(IDEA_MAX_LEN);
    store_idea_t si;
    size_t len = 0;
    int commune, territory, rc, contact = idea != NULL && idea->contact != NULL &&
                                          idea->contact[0] != '\0';

    memset(&si, 0, sizeof si);
    memset(out, 0, sizeof *out);
    if (rec == NULL || enc == NULL) {
        rc = bn_fail(why, whylen, BN_ENOMEM, "out of memory");
        goto out;
    }
    /* (CAST-C1) refusals that write nothing */
    if (p->kind != PKG_IDEAS) {
        rc = bn_fail(why, whylen, BN_EKIND, "campaign '%s' is not a call for ideas", p->id);
        goto out;
    }
    if ((rc = eligible(ctx->store, p, who, day, "proposers", &commune, why, whylen)) != 0)
        goto out;
    territory = idea->territory < 0 ? pkg_commune_territory(p, commune) : idea->territory;
    if (idea->theme < 0 || idea->theme >= p->ideas.n_themes || territory < 0 ||
        territory >= p->n_territories) {
        rc = bn_fail(why, whylen, BN_EINVAL, "theme %d or territory %d is not in '%s'",
                     idea->theme, territory, p->id);
        goto out;
    }
    if (contact && (!p->ideas.contact || !p->ideas.has_controller)) { /* (IDEA-I1) */
        rc = bn_fail(why, whylen, BN_EKEY, "call for ideas '%s' asks for no contact, or names no "
                     "data controller key (ideas.controller) to seal it to", p->id);
        goto out;
    }
    if ((rc = pseud_compute(ctx->secret, p->id, who->last_name, who->first_names, who->birth,
                            rec->pseudonym)) != 0) {
        rc = bn_fail(why, whylen, rc, "identity is incomplete or not valid text");
        goto out;
    }
    /* (CAST-C2) the record, signed (the contact sealed), then one transaction */
    rec->day = day;
    memcpy(rec->kiosk, ctx->signer->pub.id, KEY_ID_LEN);
    snprintf(rec->campaign, sizeof rec->campaign, "%s", p->id);
    snprintf(rec->territory, sizeof rec->territory, "%s", p->territories[territory].id);
    snprintf(rec->theme, sizeof rec->theme, "%s", p->ideas.themes[idea->theme].id);
    snprintf(rec->title, sizeof rec->title, "%s", idea->title != NULL ? idea->title : "");
    snprintf(rec->description, sizeof rec->description, "%s",
             idea->description != NULL ? idea->description : "");
    snprintf(rec->place, sizeof rec->place, "%s", idea->place != NULL ? idea->place : "");
    if ((rc = rng_bytes(ctx->rng, rec->id, IDEA_ID_LEN)) != 0 ||
        (rc = idea_seal(rec, contact ? idea->contact : NULL, &p->ideas.controller, ctx->signer,
                        ctx->rng, enc, IDEA_MAX_LEN, &len)) != 0) {
        rc = bn_fail(why, whylen, rc, "idea could not be made: %s", bn_strerror(rc));
        goto out;
    }
    si.campaign = p->id;
    memcpy(si.pseudonym, rec->pseudonym, PSEUD_LEN);
    si.idea_id = rec->id;
    si.record = enc;
    si.record_len = len;
    si.max_per_person = p->ideas.max_per_person;
    if ((rc = code_of(ctx, rec->id, code, why, whylen)) != 0)
        goto out;
    rc = receipt(store_propose(ctx->store, &si), "idea", rec->id, code, out, why, whylen);
out:
    /* (CAST-C5) nothing of the person left behind */
    if (rec != NULL)
        mbedtls_platform_zeroize(rec, sizeof *rec);
    if (enc != NULL)
        mbedtls_platform_zeroize(enc, IDEA_MAX_LEN);
    mbedtls_platform_zeroize(&si, sizeof si);
    free(rec);
    free(enc);
    return rc;
}

/* --- a questionnaire (issue 17) ------------------------------------------------------ */

int cast_answers(const cast_ctx_t *ctx, const cast_identity_t *who, const cast_answers_t *ans,
                 uint32_t day, cast_receipt_t *out, char *why, size_t whylen)
{
    const pkg_t *p = ctx->pkg;
    char code[TRACK_TEXT_LEN + 1];
    store_cast_t sc;
    store_text_t st[PKG_QUESTIONS_MAX];
    ballot_t *b = calloc(1, sizeof *b);
    qtext_t *t = calloc(1, sizeof *t);
    uint8_t enc[BALLOT_MAX_LEN], (*recs)[QTEXT_MAX_LEN] = NULL;
    size_t len = 0;
    int commune, territory, rc, i, nt = 0, ntot = 0;

    memset(&sc, 0, sizeof sc);
    memset(out, 0, sizeof *out);
    if (b == NULL || t == NULL || ans == NULL) {
        rc = bn_fail(why, whylen, ans == NULL ? BN_EINVAL : BN_ENOMEM, "no answers");
        goto out;
    }
    /* (CAST-C1) refusals that write nothing */
    if (p->kind != PKG_QUESTIONNAIRE) {
        rc = bn_fail(why, whylen, BN_EKIND, "campaign '%s' is not a questionnaire", p->id);
        goto out;
    }
    if ((rc = eligible(ctx->store, p, who, day, "respondents", &commune, why, whylen)) != 0)
        goto out;
    territory = pkg_commune_territory(p, commune);
    rc = ballot_make_answers(b, p, territory, ans->a, ans->n, day, ctx->signer->pub.id, ctx->rng);
    if (rc != 0) {
        rc = bn_fail(why, whylen, rc, "answers could not be made: %s", bn_strerror(rc));
        goto out;
    }
    if ((rc = answers_check(p, b, why, whylen)) != 0)
        goto out;
    for (i = 0; i < ans->n; i++)
        ntot += ans->a[i].type == PKG_Q_TEXT;
    if (ntot > 0 && ((recs = calloc((size_t)ntot, sizeof *recs)) == NULL || ans->texts == NULL)) {
        rc = bn_fail(why, whylen, recs == NULL ? BN_ENOMEM : BN_EINVAL, "texts missing");
        goto out;
    }
    /* each free text: its record, checked against its question */
    for (i = 0, nt = 0; i < ans->n; i++) {
        const char *words = ans->a[i].type == PKG_Q_TEXT ? ans->texts[nt] : NULL;

        if (ans->a[i].type != PKG_Q_TEXT)
            continue;
        memset(t, 0, sizeof *t);
        t->day = day;
        memcpy(t->kiosk, ctx->signer->pub.id, KEY_ID_LEN);
        strcpy(t->campaign, p->id);
        strcpy(t->territory, p->territories[territory].id);
        strcpy(t->question, p->questionnaire.q[ans->a[i].q].id);
        if (words == NULL || strlen(words) >= sizeof t->text) {
            rc = bn_fail(why, whylen, BN_EINVAL, "question %s: a text of 1..%d characters",
                         t->question, PKG_TEXT_ANSWER_CHARS);
            goto out;
        }
        strcpy(t->text, words);
        if ((rc = qtext_check(p, t, why, whylen)) != 0)
            goto out;
        if ((rc = rng_bytes(ctx->rng, t->id, QTEXT_ID_LEN)) != 0 ||
            (rc = qtext_seal(t, ctx->signer, recs[nt], QTEXT_MAX_LEN, &st[nt].record_len)) != 0) {
            rc = bn_fail(why, whylen, rc, "question %s: the text is not one line of 1..%d "
                         "characters", t->question, PKG_TEXT_ANSWER_CHARS);
            goto out;
        }
        st[nt].record = recs[nt];
        st[nt].text_id = recs[nt] + QTEXT_OFF_ID;
        nt++;
    }
    rc = pseud_compute(ctx->secret, p->id, who->last_name, who->first_names, who->birth,
                       sc.pseudonym);
    if (rc != 0) {
        rc = bn_fail(why, whylen, rc, "identity is incomplete or not valid text");
        goto out;
    }
    if ((rc = reserve(ctx, sc.pseudonym, &sc.offline, why, whylen)) != 0)
        goto out;
    /* (CAST-C2) sign, then one transaction */
    if ((rc = ballot_seal(b, ctx->signer, enc, sizeof enc, &len)) != 0) {
        rc = bn_fail(why, whylen, rc, "answers could not be signed: %s", bn_strerror(rc));
        goto out;
    }
    sc.campaign = p->id;
    sc.day = day;
    sc.commune = p->communes[commune].insee; /* counted only, store.c (STORE-S9) */
    sc.ballot_id = b->id;
    sc.ballot = enc;
    sc.ballot_len = len;
    sc.texts = st;
    sc.n_texts = nt;
    if ((rc = code_of(ctx, b->id, code, why, whylen)) != 0)
        goto out;
    rc = receipt(store_cast(ctx->store, &sc), "answers", b->id, code, out, why, whylen);
out:
    /* (CAST-C4) */
    if (b != NULL)
        mbedtls_platform_zeroize(b, sizeof *b);
    if (t != NULL)
        mbedtls_platform_zeroize(t, sizeof *t);
    if (recs != NULL)
        mbedtls_platform_zeroize(recs, (size_t)ntot * sizeof *recs);
    mbedtls_platform_zeroize(enc, sizeof enc);
    mbedtls_platform_zeroize(&sc, sizeof sc);
    free(b);
    free(t);
    free(recs);
    return rc;
}
