/* polls.h - a campaign's polls at one kiosk, and who may change them.
 *
 *   closed --open (2 agents)--> open --pause (1)--> paused --resume (1)--> open
 *   open | paused --close for good (2 agents)--> final
 *
 * (POLLS-P1) Opening and closing for good need two different agents (role
 * "agent") of the kiosk's commune, one PIN after the other, as a ballot box
 * has two keys; pausing and resuming need one. A final state is never left.
 * Opening is refused before the package is valid and after the polls' last
 * day (agents may open the day before: the kiosk takes ballots from the
 * first day, following its clock), and, the first time, with
 * anything in the register or the box (the zero report certifies an empty
 * box). Every change is one store transaction and one audit-log line naming
 * the agents. The state is in the store (key "polls:ID"), so a restart
 * keeps it; polls_accepts() is what the cast path asks, with the day of the
 * cast: a kiosk left on past the last day takes nothing more. */
#ifndef POLLS_H
#define POLLS_H

#include <stddef.h>
#include <stdint.h>

#include "agent.h"
#include "pkg.h"
#include "store.h"

typedef enum {
    POLLS_CLOSED = 0,   /* never opened */
    POLLS_OPEN = 1,
    POLLS_PAUSED = 2,
    POLLS_FINAL = 3     /* closed for good */
} polls_state_t;

/* The state of a campaign's polls (POLLS_CLOSED when never set). */
int polls_get(store_t *st, const char *campaign, polls_state_t *out);

/* Its name for people: "closed", "open", "paused", "closed for good". */
const char *polls_name(polls_state_t s);

/* The changes. Each refusal is BN_ECLOSED, BN_EPERM or BN_EEXISTS with the
 * reason in words in `why`; nothing is written then. */
int polls_open(store_t *st, const pkg_t *p, const agent_t *a1, const agent_t *a2,
               uint32_t today, char *why, size_t whylen);
int polls_pause(store_t *st, const pkg_t *p, const agent_t *a, char *why, size_t whylen);
int polls_resume(store_t *st, const pkg_t *p, const agent_t *a, uint32_t today, char *why,
                 size_t whylen);
int polls_close(store_t *st, const pkg_t *p, const agent_t *a1, const agent_t *a2, char *why,
                size_t whylen);

/* 1 when a ballot or signature of day `today` may be cast: open, and
 * `today` within the package's polls; else 0 with the reason in `why`. */
int polls_accepts(store_t *st, const pkg_t *p, uint32_t today, char *why, size_t whylen);

#endif
