/* prov_kiosk.h - what the authority does for kiosks, the server and agents:
 * campaign secrets, the server's folder, enrolment bundles, revocation,
 * agents and their PINs.
 *
 * The authority folder (prov_auth.h) also keeps:
 *   campaigns/ID.bpkg    every campaign it signed
 *   campaigns/ID.secret  its pseudonym secret, sealed to the authority's own
 *                        key (seal.h): opened only with the passphrase
 *   kiosks/ID.crt        every kiosk certificate it issued
 *   agents.json          the agents, by commune, with their PIN hashes
 *   revocations.brl      the last signed revocation list (cert.h)
 * (docs/provisioning.md, "Where each secret lives"). */
#ifndef PROV_KIOSK_H
#define PROV_KIOSK_H

#include <stddef.h>
#include <stdint.h>

#include "prov_auth.h"


/* Keeps a signed package in the authority folder and gives its campaign a
 * pseudonym secret if it has none yet (a package signed again keeps it).
 * *made is 1 when the secret is new. */
int prov_campaign_register(prov_auth_t *a, const char *authdir, const char *pkg_file,
                           const uint8_t *signed_pkg, size_t len, rng_t *rng, int *made,
                           char *why, size_t whylen);

/* Campaign `id`'s secret. BN_ENOTFOUND, BN_EBADSIG. */
int prov_campaign_secret(prov_auth_t *a, const char *authdir, const char *id,
                         uint8_t secret[32], char *why, size_t whylen);

/* Makes (or brings up to date) a server folder: its own key (kept if there
 * is one), a TLS certificate for `host` issued by the authority, the
 * authority's certificate, server.json (host, address, port), every signed
 * campaign with its tracking key (never the pseudonym secret), kiosks/ for
 * the enrolled kiosks, the revocation list. */
int prov_server_init(prov_auth_t *a, const char *authdir, const char *srvdir, const char *host,
                     const char *address, unsigned port, uint32_t today, rng_t *rng,
                     char *why, size_t whylen);

/* Enrols a kiosk: checks its certificate request (reqdir/kiosk.csr), issues
 * its certificate (CN `id`, "kiosk-INSEE-NN" of a commune of the campaigns),
 * adds it to the authority's and the server's lists, and writes the
 * provisioning bundle (provision.h) to outdir, valid `days` days. */
int prov_kiosk_enroll(prov_auth_t *a, const char *authdir, const char *reqdir,
                      const char *srvdir, const char *id, const char *outdir, uint32_t today,
                      uint32_t days, rng_t *rng, char *why, size_t whylen);

/* Adds kiosk `id` to the revocation list, revoked from day `since` (0:
 * every day), signs the list, writes it to the authority folder and, when
 * srvdir is not NULL, the server's (which reloads it by itself). */
int prov_kiosk_revoke(prov_auth_t *a, const char *authdir, const char *srvdir, const char *id,
                      uint32_t since, uint32_t today, char *why, size_t whylen);

/* Agents. Roles: "agent" (open, pause, close, sync, export) and
 * "technician" (enrol, load a package, wipe). A PIN is 6 to 12 digits, and
 * no two agents of one commune share one. Stored as a salted PBKDF2 hash
 * (pin.h). */
int prov_agent_add(const char *authdir, const char *commune, const char *id, const char *name,
                   const char *role, const char *pin, rng_t *rng, char *why, size_t whylen);
int prov_agent_remove(const char *authdir, const char *id, char *why, size_t whylen);
/* Writes the agents (of `commune`, or all when NULL) as text or JSON, never
 * a hash. */
int prov_agent_list(const char *authdir, const char *commune, int json, char *why,
                    size_t whylen);

#endif
