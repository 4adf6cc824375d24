/* agent.h - the town hall's agents at the kiosk: who they are (agents.json
 * of the provisioning bundle) and their PINs, with a lockout that survives
 * a restart and a power cut.
 *
 * (AGENT-A1) After AGENT_FREE_TRIES wrong PINs in a row, each further
 * wrong one locks the PIN pad for AGENT_WAIT_S seconds, doubled at each
 * (capped at AGENT_WAIT_MAX_S); the count and the end of the wait are in
 * the store (one value, one transaction, synchronous=FULL), written as a
 * wrong try BEFORE the PIN is checked, so that switching the kiosk off and
 * on, even in the middle of a check, gains nothing. A right PIN clears
 * them (tests/fault/test_pin_kill.c kills the kiosk at random instants). Every
 * failure is in the audit log ("agent-pin-refused", the count, never the
 * digits); every success names the agent ("agent-in", the id). */
#ifndef AGENT_H
#define AGENT_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

#define AGENT_FREE_TRIES 5
#define AGENT_WAIT_S 30
#define AGENT_WAIT_MAX_S 86400
#define AGENT_MAX 64

typedef enum { AGENT_ROLE_AGENT = 1, AGENT_ROLE_TECHNICIAN = 2 } agent_role_t;

typedef struct agent_s {
    char id[33];
    char name[97];
    agent_role_t role;
    char pin[128];              /* the stored hash (pin.h) */
} agent_t;

typedef struct agents_s {
    char commune[6];
    int n;
    agent_t a[AGENT_MAX];
} agents_t;

/* Reads agents.json (format borne-agents/1). BN_EIO, BN_EFORMAT with the
 * field in `why`. */
int agents_load(const char *path, agents_t *out, char *why, size_t whylen);

/* The same on the file's `len` bytes; `name` (the file's path) starts
 * each message. */
int agents_parse(const char *text, size_t len, const char *name, agents_t *out, char *why,
                 size_t whylen);

/* Checks a PIN typed at the kiosk at wall-clock second `now`: 0 and *who
 * (the agent) when it is one of theirs; BN_EBADPIN, with the tries left
 * before the pad locks, or the wait now imposed, in `why`; BN_ELOCKED when
 * the pad is locked, *wait_s the seconds left (nothing is checked). */
int agent_login(store_t *st, const agents_t *ag, const char *pin, int64_t now,
                const agent_t **who, int64_t *wait_s, char *why, size_t whylen);

#endif
