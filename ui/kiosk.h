/* kiosk.h - the kiosk's state directory: loading the campaign at start-up,
 * creating a demonstration directory, and checking a store afterwards.
 *
 * State directory (--state DIR):
 *   authority.pub.pem  the pinned authority key
 *   kiosk.key          the kiosk's private key (mode 0600)
 *   kiosk.pub.pem      its public half (for --check-state and observers)
 *   *.bpkg             signed campaign packages
 *   kiosk.db           the store: campaign and its secret, meta
 *                      "polls:<campaign>" = "open" | "closed", register, box */
#ifndef KIOSK_H
#define KIOSK_H

#include <stddef.h>
#include <stdint.h>

#include "app.h"

/* Loads the first budget package of `dir` verified with the pinned key
 * (departement "35", `today`), opens and compacts the store, checks the
 * poll state and the clock, loads the kiosk key; on success the app shows
 * the welcome screen, otherwise it is out of service with the reason
 * (also returned in `why`). Returns 0 or a BN_E* code. */
int kiosk_open(app_t *a, const char *dir, uint32_t today, char *why, size_t whylen);

/* Creates a demonstration state directory: fresh authority and kiosk keys,
 * the demo budget package (assets/campaigns/demo-budget.json) signed,
 * stored with a fresh secret, polls open. The authority's private key is
 * written to DIR/authority.key (demonstration only). */
int kiosk_init_demo(const char *dir, const char *assets, char *why, size_t whylen);

/* Prints the counts of every campaign's register and box to `out`, and
 * verifies every ballot with DIR/kiosk.pub.pem. Returns 0 when all ballots
 * verify and each register count equals its box count. */
int kiosk_check_state(const char *dir, char *why, size_t whylen);

#endif
