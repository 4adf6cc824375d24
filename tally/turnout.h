/* turnout.h - turnout per territory and per commune from the kiosks' signed
 * closing reports (issue 5), and the rule that keeps small communes' counts
 * unpublished.
 *
 * Where the figures come from: each kiosk's closing report (report.h,
 * version 2) gives how many of its register entries declared each commune
 * (counts only: firmware/store/store.c (STORE-S9); no register entry, bundle or ballot
 * holds a commune). verify picks one report per kiosk (VERIFY-V4) and keeps the
 * communes of the package (VERIFY-V8). Then
 *   - per commune: the sum over the kiosks of their reports' counts;
 *   - per territory T: the sum of T's communes (commune -> canton ->
 *     territory from the package). Each register entry went with one ballot
 *     of its commune's territory (cast_budget), so in a certified tally
 *     whose turnout is complete, T's participants are T's counted ballots.
 *   - a person who took part at two kiosks (V5, a duplicate participation
 *     made offline) counts twice: the counts are per kiosk and carry no
 *     pseudonym, so they cannot be de-duplicated (nor should they be).
 *   - kiosks whose turnout per commune is not known (no closing report, or
 *     a report without communes: a store migrated from schema 2) count
 *     apart, as their register entries (unknown_entries); counts of a
 *     commune outside the package (a problem, V8) are excluded_entries.
 *     Either makes the turnout incomplete (complete = 0).
 *
 * What is published (turnout_suppress), numbered as in the code:
 *   (TURNOUT-T1) A commune with fewer than TURNOUT_MIN (10) participants, 0
 *        included, is published as "fewer than 10", its count nowhere.
 *        (0 too: "nobody from X took part" is a statement about every
 *        resident of X; every commune of the package is listed.)
 *   (TURNOUT-T2) The territory's participants are always published, so the sum of
 *        its hidden communes is public: territory - shown. If that sum and
 *        the bounds a reader knows (a "fewer than 10" commune holds 0..9, a
 *        commune hidden by this rule at least 10 and at most the smallest
 *        count still shown) leave any hidden commune only one possible
 *        value (one hidden commune; or their sum is 0, or 9 each ...), the
 *        commune with the fewest participants among those shown (ties: the
 *        package's order) is hidden too, marked "hidden", and the test is
 *        made again. It stops when no hidden count can be worked out, or
 *        when every commune of the territory is hidden (a territory of one
 *        commune: its count is the territory's, public anyway through its
 *        ballots).
 *   What this does not cover: a reader who knows more than the published
 *   files (who voted, from outside), and narrow ranges that are not one
 *   value (two hidden communes summing to 1 are "0 and 1" in some order).
 * turnout_disclosed is the test of (TURNOUT-T2), used by publish and by check. */
#ifndef TALLY_TURNOUT_H
#define TALLY_TURNOUT_H

#include <stdint.h>

#include "pkg.h"
#include "verify.h"

#define TURNOUT_MIN 10

typedef enum {
    TURNOUT_SHOWN = 0,        /* its count is published */
    TURNOUT_FEWER = 1,        /* (TURNOUT-T1) fewer than TURNOUT_MIN: "fewer than 10" */
    TURNOUT_HIDDEN = 2        /* (TURNOUT-T2) at least TURNOUT_MIN, hidden so that (TURNOUT-T1) holds */
} turnout_shown_t;

typedef struct turnout_commune_s {
    int64_t participants;     /* never published unless shown == TURNOUT_SHOWN */
    turnout_shown_t shown;
} turnout_commune_t;

typedef struct turnout_terr_s {
    int64_t participants;     /* the sum of its communes: always published */
} turnout_terr_t;

typedef struct turnout_s {
    int n_communes;
    turnout_commune_t *communes; /* pkg->communes order */
    int n_terr;
    turnout_terr_t *terr;        /* pkg->territories order */
    int64_t participants;        /* the sum of the territories */
    int64_t unknown_entries;     /* register entries of kiosks whose turnout is not known */
    int64_t excluded_entries;    /* counts of communes outside the package (a problem, V8) */
    int complete;                /* 1 when both are 0 */
} turnout_t;

/* Sums the turnout of the kiosks of v (their closing reports' communes,
 * verify.h (VERIFY-V8)) and applies (TURNOUT-T1) (TURNOUT-T2). BN_ENOMEM, BN_EINVAL for figures
 * that cannot be (a bug upstream). */
int turnout_compute(const pkg_t *p, const verify_t *v, turnout_t *out);
void turnout_free(turnout_t *t);

/* (TURNOUT-T2) 1 if, in a territory of `total` participants whose published counts
 * are shown[0..n_shown), n_fewer communes "fewer than 10" and n_hidden
 * communes "hidden", some hidden count has a single possible value given
 * those figures and bounds; 0 if none has; -1 if the figures are
 * impossible (total - shown outside [10 n_hidden, 9 n_fewer + min(shown)
 * n_hidden], or a shown count below 10). */
int turnout_disclosed(int64_t total, const int64_t *shown, int n_shown, int n_fewer,
                      int n_hidden);

#endif
