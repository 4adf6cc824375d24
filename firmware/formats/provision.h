/* provision.h - the provisioning bundle: what makes a kiosk a kiosk of a
 * campaign, written by the authority (borne-admin kiosk enroll) and checked
 * by the kiosk (borne --provision) before it takes anything from it.
 *
 * A bundle is a folder (a USB stick): the files below, a manifest
 * provision.json naming each of them with its SHA-256, and provision.sig,
 * the authority's signature over the manifest's bytes (docs/formats.md,
 * "Provisioning bundle"):
 *
 *   authority.crt   the authority's CA certificate (PEM)
 *   kiosk.crt       the kiosk's certificate: its key, its id (CN
 *                   kiosk-INSEE-NN, the commune in it)
 *   server.crt      the server's TLS certificate, to pin
 *   ID.bpkg         the campaign packages
 *   agents.json     the agents of the kiosk's commune: ids, roles, PIN hashes
 *
 * and, in the manifest, each campaign's pseudonym secret sealed to the
 * kiosk's key (seal.h): only that kiosk opens it; the private key never
 * left the kiosk (the authority saw its certificate request only). */
#ifndef PROVISION_H
#define PROVISION_H

#include <stddef.h>
#include <stdint.h>

#include "cert.h"
#include "key.h"
#include "pkg.h"
#include "seal.h"

#define PROVISION_FORMAT "borne-provision/1"
#define PROVISION_MAX_FILES 16
#define PROVISION_MAX_SECRETS 8
#define PROVISION_SECRET_LABEL "borne provision secret v1"
#define PROVISION_SEALED_LEN (32 + SEAL_OVERHEAD)

typedef struct provision_s {
    char kiosk[CERT_NAME_MAX + 1];   /* "kiosk-35238-01" */
    char commune[6];                  /* "35238" */
    char departement[4];              /* "35" */
    uint8_t kiosk_key[KEY_ID_LEN];    /* the key the bundle is for */
    uint32_t issued, expires;         /* days: the bundle is imported within them */
    char host[128];                   /* the server: TLS name, address, port */
    char address[64];
    unsigned port;
    int n_files;
    struct {
        char name[64];
        uint8_t sha256[32];
    } files[PROVISION_MAX_FILES];
    int n_secrets;
    struct {
        char campaign[PKG_ID_MAX + 1];
        uint8_t sealed[PROVISION_SEALED_LEN];
    } secrets[PROVISION_MAX_SECRETS];
} provision_t;

/* Seals `secret` for campaign `campaign` to the kiosk key `to`, into
 * m->secrets (the additional data binds it to m->kiosk and the campaign). */
int provision_add_secret(provision_t *m, const key_pub_t *to, const char *campaign,
                         const uint8_t secret[32], rng_t *rng);

/* Writes dir/provision.json (the manifest of m, with the SHA-256 of each
 * file m->files names, read from dir) and dir/provision.sig (signed by
 * `authority`). BN_EIO, BN_EINVAL. */
int provision_sign(provision_t *m, const char *dir, const signer_t *authority, char *why,
                   size_t whylen);

/* Checks the bundle in `dir` for the kiosk holding `kiosk` on day `today`:
 *   - its authority.crt is a CA certificate, and the one pinned (`pinned`,
 *     when the kiosk already has one): BN_EWRONGKEY "from another authority"
 *   - provision.sig verifies over provision.json with it: BN_EBADSIG
 *   - the manifest is well formed (BN_EFORMAT), for this kiosk's key
 *     (BN_EWRONGKEY "for another kiosk"), issued <= today <= expires
 *     (BN_ENOTYET, BN_EEXPIRED)
 *   - every file has the SHA-256 the manifest gives: BN_EBADSIG "altered"
 *   - kiosk.crt is the authority's, for this key and id, valid today
 * Fills *m and the authority's certificate (ca[CERT_DER_MAX]). */
int provision_open(const char *dir, const uint8_t *pinned, size_t pinned_len, key_pair_t *kiosk,
                   uint32_t today, provision_t *m, uint8_t *ca, size_t *ca_len, char *why,
                   size_t whylen);

/* Opens campaign `campaign`'s secret with the kiosk's key. BN_ENOTFOUND,
 * BN_EBADSIG. */
int provision_secret(const provision_t *m, key_pair_t *kiosk, const char *campaign,
                     uint8_t secret[32]);

/* The manifest's reading alone (provision_open does it once the signature
 * verified): for tests/fuzz/fuzz_provision.c. BN_EFORMAT + why. */
int provision__parse_manifest(const char *text, size_t len, provision_t *m, char *why,
                              size_t whylen);

#endif
