/* polls.c - a campaign's polls at one kiosk (polls.h). */
#include "polls.h"

#include <stdio.h>
#include <string.h>

#include "bn_err.h"
#include "day.h"

static const char *const value[4] = {"closed", "open", "paused", "final"};

const char *polls_name(polls_state_t s)
{
    static const char *const names[4] = {"closed", "open", "paused", "closed for good"};
    return (unsigned)s < 4 ? names[s] : "?";
}

int polls_get(store_t *st, const char *campaign, polls_state_t *out)
{
    char key[64], v[16];
    int i, rc;

    snprintf(key, sizeof key, "polls:%s", campaign);
    *out = POLLS_CLOSED;
    if ((rc = store_meta_get(st, key, v, sizeof v)) == BN_ENOTFOUND)
        return 0;
    if (rc != 0)
        return rc;
    for (i = 0; i < 4; i++)
        if (strcmp(v, value[i]) == 0)
            *out = (polls_state_t)i;
    return 0;
}

/* Sets the state and writes the audit line (one transaction each; the
 * state first: an audit line never claims a change that did not happen). */
static int set(store_t *st, const pkg_t *p, polls_state_t s, const char *event,
               const char *who, char *why, size_t whylen)
{
    char key[64], detail[128];
    int rc;

    snprintf(key, sizeof key, "polls:%s", p->id);
    snprintf(detail, sizeof detail, "%s by %s", p->id, who);
    if ((rc = store_meta_set(st, key, value[s])) != 0 ||
        (rc = store_audit_append(st, event, detail)) != 0)
        return bn_fail(why, whylen, rc, "store: %s", bn_strerror(rc));
    return 0;
}

static int agent_may(const agent_t *a, char *why, size_t whylen)
{
    if (a == NULL)
        return bn_fail(why, whylen, BN_EPERM, "an agent's PIN is needed");
    if (a->role != AGENT_ROLE_AGENT)
        return bn_fail(why, whylen, BN_EPERM, "%s is a technician: opening, pausing and closing "
                       "are for the town hall's agents", a->id);
    return 0;
}

/* (POLLS-P1) two keys, two people */
static int two_agents(const agent_t *a1, const agent_t *a2, char *why, size_t whylen)
{
    int rc;

    if ((rc = agent_may(a1, why, whylen)) != 0 || (rc = agent_may(a2, why, whylen)) != 0)
        return rc;
    if (strcmp(a1->id, a2->id) == 0)
        return bn_fail(why, whylen, BN_EPERM, "the same agent (%s) twice: a second agent must "
                       "type their own PIN", a1->id);
    return 0;
}

static int within(const pkg_t *p, uint32_t today, const char *what, char *why, size_t whylen)
{
    char d0[11], d1[11], d2[11];

    if (today >= p->opens && today <= p->closes)
        return 0;
    day_format(today, d0);
    day_format(p->opens, d1);
    day_format(p->closes, d2);
    return bn_fail(why, whylen, BN_ECLOSED, "%s refused on %s: the polls of %s are from %s to %s",
                   what, d0, p->id, d1, d2);
}

/* Opening: any day the package is valid up to the polls' last day, so that
 * agents may open the evening before (the kiosk then takes ballots from the
 * first day, following its clock); never after the last day. */
static int may_open(const pkg_t *p, uint32_t today, char *why, size_t whylen)
{
    char d0[11], d1[11], d2[11];

    if (today >= p->valid_from && today <= p->closes && today <= p->valid_until)
        return 0;
    day_format(today, d0);
    day_format(today < p->valid_from ? p->valid_from : p->opens, d1);
    day_format(p->closes, d2);
    return bn_fail(why, whylen, BN_ECLOSED, "opening refused on %s: the polls of %s may be "
                   "opened from %s, and close on %s", d0, p->id, d1, d2);
}

int polls_open(store_t *st, const pkg_t *p, const agent_t *a1, const agent_t *a2,
               uint32_t today, char *why, size_t whylen)
{
    polls_state_t s;
    int64_t reg = 0, box = 0;
    char who[80];
    int rc;

    if ((rc = polls_get(st, p->id, &s)) != 0)
        return bn_fail(why, whylen, rc, "store");
    if (s != POLLS_CLOSED)
        return bn_fail(why, whylen, s == POLLS_FINAL ? BN_ECLOSED : BN_EEXISTS,
                       "the polls of %s are %s: %s", p->id, polls_name(s),
                       s == POLLS_FINAL ? "they never open again" : "nothing to open");
    if ((rc = two_agents(a1, a2, why, whylen)) != 0 ||
        (rc = may_open(p, today, why, whylen)) != 0)
        return rc;
    if ((rc = store_counts(st, p->id, &reg, &box)) != 0)
        return bn_fail(why, whylen, rc, "store");
    if (reg != 0 || box != 0)
        return bn_fail(why, whylen, BN_EEXISTS, "the box of %s is not empty (%lld register "
                       "entries, %lld ballots): a box is opened empty", p->id, (long long)reg,
                       (long long)box);
    snprintf(who, sizeof who, "%s+%s", a1->id, a2->id);
    return set(st, p, POLLS_OPEN, "polls-opened", who, why, whylen);
}

int polls_pause(store_t *st, const pkg_t *p, const agent_t *a, char *why, size_t whylen)
{
    polls_state_t s;
    int rc;

    if ((rc = polls_get(st, p->id, &s)) != 0)
        return bn_fail(why, whylen, rc, "store");
    if (s != POLLS_OPEN)
        return bn_fail(why, whylen, BN_ECLOSED, "the polls of %s are %s: only open polls pause",
                       p->id, polls_name(s));
    if ((rc = agent_may(a, why, whylen)) != 0)
        return rc;
    return set(st, p, POLLS_PAUSED, "polls-paused", a->id, why, whylen);
}

int polls_resume(store_t *st, const pkg_t *p, const agent_t *a, uint32_t today, char *why,
                 size_t whylen)
{
    polls_state_t s;
    int rc;

    if ((rc = polls_get(st, p->id, &s)) != 0)
        return bn_fail(why, whylen, rc, "store");
    if (s != POLLS_PAUSED)
        return bn_fail(why, whylen, BN_ECLOSED, "the polls of %s are %s: only paused polls "
                       "resume", p->id, polls_name(s));
    if ((rc = agent_may(a, why, whylen)) != 0 ||
        (rc = within(p, today, "resuming", why, whylen)) != 0)
        return rc;
    return set(st, p, POLLS_OPEN, "polls-resumed", a->id, why, whylen);
}

int polls_close(store_t *st, const pkg_t *p, const agent_t *a1, const agent_t *a2, char *why,
                size_t whylen)
{
    polls_state_t s;
    char who[80];
    int rc;

    if ((rc = polls_get(st, p->id, &s)) != 0)
        return bn_fail(why, whylen, rc, "store");
    if (s != POLLS_OPEN && s != POLLS_PAUSED)
        return bn_fail(why, whylen, BN_ECLOSED, "the polls of %s are %s: only open or paused "
                       "polls close for good", p->id, polls_name(s));
    if ((rc = two_agents(a1, a2, why, whylen)) != 0)
        return rc;
    snprintf(who, sizeof who, "%s+%s", a1->id, a2->id);
    return set(st, p, POLLS_FINAL, "polls-closed-final", who, why, whylen);
}

int polls_accepts(store_t *st, const pkg_t *p, uint32_t today, char *why, size_t whylen)
{
    polls_state_t s;

    if (polls_get(st, p->id, &s) != 0 || s != POLLS_OPEN) {
        bn_fail(why, whylen, BN_ECLOSED, "the polls of %s are %s", p->id, polls_name(s));
        return 0;
    }
    return within(p, today, "casting", why, whylen) == 0;
}
