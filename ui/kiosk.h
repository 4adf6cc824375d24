/* kiosk.h - the kiosk's state directory: loading the campaign at start-up,
 * creating a demonstration directory, and checking a store afterwards.
 *
 * State directory (--state DIR):
 *   authority.pub.pem  the pinned authority key
 *   kiosk.key          the kiosk's private key (mode 0600)
 *   kiosk.pub.pem      its public half (for --check-state and observers)
 *   *.bpkg             signed campaign packages
 *   kiosk.db           the store: campaign and its secret, meta
 *                      "polls:<campaign>" = "open" | "closed", register, box
 *   server.conf        (optional) where borne-server is (firmware/net/ksync.h);
 *                      without it the kiosk works alone, every entry offline
 *   authority.crt      with server.conf: the authority's certificate (TLS)
 *   kiosk.crt          with server.conf: this kiosk's certificate */
#ifndef KIOSK_H
#define KIOSK_H

#include <stddef.h>
#include <stdint.h>

#include "app.h"
#include "cert.h"

/* Loads every package of `dir` verified with the pinned key, for the
 * département named by dir/departement, and `today`: the first budget vote, and the petitions; opens and
 * compacts the store; keeps the campaigns that are in the store with their
 * secret and whose polls are open today; checks the clock, loads the kiosk
 * key. On success (one campaign open at least) the app shows the welcome
 * screen, otherwise it is out of service with the reason (also returned
 * in `why`). Returns 0 or a BN_E* code. */
int kiosk_open(app_t *a, const char *dir, uint32_t today, char *why, size_t whylen);

/* Creates a demonstration state directory: fresh authority and kiosk keys,
 * the demo budget package (assets/campaigns/demo-budget.json) and the demo
 * petition (demo-petition.json), as `campaigns` asks (KIOSK_DEMO_*), each
 * signed, stored with its own fresh secret, polls open. The authority's
 * private key is written to DIR/authority.key (demonstration only).
 * kiosk_init_demo() makes the budget vote alone (`borne --init-demo`
 * makes both). */
#define KIOSK_DEMO_BUDGET 1u
#define KIOSK_DEMO_PETITION 2u
#define KIOSK_DEMO_IDEAS 4u       /* a call for ideas (demo-ideas.json) */
#define KIOSK_DEMO_QUEST 8u       /* a questionnaire (demo-questionnaire.json) */
int kiosk_init_demo_with(const char *dir, const char *assets, unsigned campaigns, char *why,
                         size_t whylen);
int kiosk_init_demo(const char *dir, const char *assets, char *why, size_t whylen);

/* A state directory for kiosk number n of a demonstration server
 * directory made by `borne-server init-demo SRV`: its authority, the key
 * and certificate of SRV/kiosks/kiosk-N, the packages bp35-demo and
 * pet35-demo with the secrets the server holds, polls open, and a
 * server.conf for borne-server on 127.0.0.1:port. */
int kiosk_init_from_server(const char *dir, const char *srv, int n, unsigned port, char *why,
                           size_t whylen);

/* Enrolment, on the kiosk (kiosk_prov.c). kiosk_enroll: the kiosk's own
 * key (made in STATE if it has none; it never leaves), and its certificate
 * request written to OUT (a USB stick) for borne-admin kiosk enroll; with
 * `authority` (a CA certificate file), that authority is pinned in STATE
 * and its fingerprint (cert.h) written to fpr (may be NULL; "" without
 * `authority`). */
int kiosk_enroll(const char *state, const char *out, const char *authority, uint32_t today,
                 char fpr[CERT_FPR_LEN], char *why, size_t whylen);

/* (TPM-T1) The kiosk's key in a TPM: STATE/tpm names it (a TCTI, tpm.h:
 * "device:/dev/tpmrm0", "swtpm:port=2321"). kiosk_use_tpm writes that file
 * before the enrolment (refused, BN_EEXISTS, for a kiosk whose key is
 * already a file). kiosk_key opens the kiosk's key, the TPM's when STATE/tpm
 * is there (*tpm set: close it after key_free), else STATE/kiosk.key (made
 * when `create` and it is missing; else BN_ENOTFOUND). */
int kiosk_use_tpm(const char *state, const char *tcti, char *why, size_t whylen);
struct tpm_s;
int kiosk_key(const char *state, rng_t *rng, int create, key_pair_t **k, struct tpm_s **tpm,
              char *why, size_t whylen);

/* Imports a provisioning bundle (provision.h) into STATE: refused whole,
 * nothing written, if it is altered, for another kiosk, expired or of
 * another authority than the pinned one. Polls are not opened. */
int kiosk_provision(const char *bundle, const char *state, uint32_t today, char *why,
                    size_t whylen);

/* Opens the polls of a campaign loaded in STATE's store (audit-logged).
 * A stand-in for the two agents' opening of the agent-mode issue. */
int kiosk_open_polls(const char *state, const char *campaign, char *why, size_t whylen);

/* Wipes a state directory after the campaign (kiosk_prov.c): the store,
 * the agents, the packages, the poll reports are overwritten and removed;
 * the kiosk's key and certificate and the pinned authority stay, so that it
 * can be provisioned again. The caller has closed the store and checked
 * that everything was acknowledged (agent.c). */
int kiosk_wipe(const char *state, char *why, size_t whylen);

/* Prints the counts of every campaign's register and box (petitions:
 * register and signature records) to stdout, and verifies every ballot and
 * every signature record with DIR/kiosk.pub.pem. Returns 0 when all verify
 * and each register count equals its box (or signatures) count. */
int kiosk_check_state(const char *dir, char *why, size_t whylen);

#endif
