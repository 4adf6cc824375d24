/* prov_auth.h - the authority: the département's signing key, encrypted at
 * rest, and its self-signed CA certificate.
 *
 * An authority folder holds two files, both mode 0600, the folder 0700:
 *
 *   authority.key.enc  the ECDSA P-256 private key, encrypted with a
 *                      passphrase (docs/provisioning.md, "Authority key
 *                      file"): PBKDF2-HMAC-SHA256, PROV_KDF_ITER iterations
 *                      or more, 16-byte random salt -> AES-256-GCM key;
 *                      12-byte random nonce; the header is authenticated
 *   authority.crt      the CA certificate (PEM), pinned by every kiosk, the
 *                      server and the tally
 *
 * (PROV-A1) The private key exists in clear only in this process's memory
 * (locked out of swap, no core dump: harden.h), never in a file nor on a
 * command line. */
#ifndef PROV_AUTH_H
#define PROV_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "cert.h"
#include "key.h"
#include "rng.h"

#define PROV_KDF_ITER 600000u
#define PROV_PASS_MIN 10          /* characters of a passphrase, at least */

typedef struct prov_auth_s {
    key_pair_t *key;
    signer_t signer;
    uint8_t ca[CERT_DER_MAX];
    size_t ca_len;
    cert_info_t info;
} prov_auth_t;

/* Makes a new authority in `dir` (created 0700; refused with BN_EEXISTS if
 * it already holds an authority): a key, its certificate named `name`, valid
 * from day `from` to day `until`, the key encrypted with the passphrase.
 * BN_EINVAL for a passphrase shorter than PROV_PASS_MIN characters. */
int prov_auth_init(const char *dir, const char *name, const char *pass, rng_t *rng,
                   uint32_t from, uint32_t until, char *why, size_t whylen);

/* The two halves of prov_auth_init: a new authority in memory (key and CA
 * certificate), and its folder written with the key encrypted. The
 * demonstration (prov_demo.h) uses the first alone. */
int prov_auth_new(const char *name, rng_t *rng, uint32_t from, uint32_t until,
                  prov_auth_t **out, char *why, size_t whylen);
int prov_auth_save(const prov_auth_t *a, const char *dir, const char *pass, rng_t *rng,
                   char *why, size_t whylen);

/* Opens the authority of `dir` with its passphrase: BN_EKEY "wrong
 * passphrase" (or a file altered), BN_EIO, BN_EFORMAT. The CA certificate
 * is checked to be the key's. */
int prov_auth_open(const char *dir, const char *pass, rng_t *rng, prov_auth_t **out,
                   char *why, size_t whylen);

void prov_auth_close(prov_auth_t *a);

/* Reads only the CA certificate of `dir` (no passphrase needed). */
int prov_auth_cert(const char *dir, uint8_t *der, size_t cap, size_t *len, char *why,
                   size_t whylen);

/* Encrypts / decrypts a secret with a passphrase in the authority key file
 * format (exposed for the tests' vectors). */
int prov_seal_pass(const char *pass, rng_t *rng, uint32_t iter, const uint8_t *plain,
                   size_t len, uint8_t **out, size_t *outlen);
int prov_open_pass(const char *pass, const uint8_t *file, size_t len, uint8_t **plain,
                   size_t *plainlen, char *why, size_t whylen);

#endif
