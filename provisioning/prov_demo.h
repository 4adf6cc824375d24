/* prov_demo.h - the demonstration set-up, made with borne-admin's own
 * functions, the way a technician makes a real one: what `borne-demo`,
 * `borne --init-demo` and `borne-server init-demo` build, and the tests'
 * fixtures with them.
 *
 * Demonstration only: the authority is not encrypted (no passphrase to
 * type), and its private key is written in clear to AUTHDIR/authority.key
 * so that test tools can sign revocation lists; a real authority is made by
 * `borne-admin authority init` and never leaves its folder. */
#ifndef PROV_DEMO_H
#define PROV_DEMO_H

#include <stddef.h>
#include <stdint.h>

#include "prov_auth.h"

#define PROV_DEMO_NAME "Autorite-demo-35"
#define PROV_DEMO_DAYS 3650u       /* the demo authority's certificates, and bundles */

/* A fresh demo authority in `authdir` (emptied of an earlier one's
 * campaigns, kiosks and agents): authority.crt, authority.key (clear),
 * valid from `today` - 1 for PROV_DEMO_DAYS days. */
int prov_demo_authority(const char *authdir, rng_t *rng, uint32_t today, prov_auth_t **out,
                        char *why, size_t whylen);

/* Signs ASSETS/campaigns/NAME.json (demo-budget, demo-petition) and keeps it
 * in the authority folder with a fresh secret (prov_campaign_register); its
 * id in id[PKG_ID_MAX + 1] when id is not NULL. */
int prov_demo_campaign(prov_auth_t *a, const char *authdir, const char *assets,
                       const char *name, rng_t *rng, char *id, char *why, size_t whylen);

/* The demo budget vote's ballot from now on: NULL or "approval" (its own),
 * "cumulative" (10 points, at most 4 a project, 1 to 5 projects) or
 * "ordinal" (rank 1 to 3 projects); both counted by greedy. BN_EINVAL for
 * another word. */
int prov_demo_set_ballot(const char *ballot);

#endif
