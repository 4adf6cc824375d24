/* cert.h - X.509 certificates of the authority, kiosks and the server, and
 * the authority's signed revocation list.
 *
 * The authority's self-signed CA certificate is pinned in every kiosk, the
 * server and the tally; it issues one certificate per kiosk (the key that
 * signs ballots, reports and bundles) and one for the server (TLS). All keys
 * are ECDSA P-256, all signatures ECDSA with SHA-256 (docs/formats.md,
 * "Certificates" and "Revocation list").
 *
 * Certificates are DER bytes in memory (PEM only at the edges). Validity is
 * checked against a day number given by the caller (day.h), never against
 * the system clock, so that tests and the tally can verify "as of" a day. */
#ifndef CERT_H
#define CERT_H

#include <stddef.h>
#include <stdint.h>

#include "key.h"
#include "rng.h"

#define CERT_DER_MAX 2048   /* largest certificate accepted anywhere */
#define CERT_PEM_MAX 3072
#define CERT_NAME_MAX 64    /* common name: [A-Za-z0-9.-], 1..64 bytes */

typedef enum {
    CERT_AUTHORITY = 1,     /* self-signed CA:TRUE, keyCertSign */
    CERT_KIOSK = 2,         /* CA:FALSE, digitalSignature, EKU clientAuth */
    CERT_SERVER = 3         /* CA:FALSE, digitalSignature, EKU serverAuth, SAN dNSName */
} cert_role_t;

/* What cert_verify() found in a certificate it accepted. */
typedef struct cert_info_s {
    cert_role_t role;
    char name[CERT_NAME_MAX + 1];   /* subject CN */
    uint32_t not_before, not_after; /* days, inclusive */
    key_pub_t pub;                  /* the subject's key; pub.id is the kiosk key id */
} cert_info_t;

/* Writes the authority's self-signed CA certificate for `authority` (CN
 * `name`, valid from day not_before to day not_after inclusive, random
 * 128-bit serial from rng) as DER into der[cap] (CERT_DER_MAX is enough).
 * BN_EINVAL for a bad name or dates, BN_ETOOBIG, BN_ECRYPTO. */
int cert_make_authority(key_pair_t *authority, rng_t *rng, const char *name,
                        uint32_t not_before, uint32_t not_after,
                        uint8_t *der, size_t cap, size_t *len, char *why, size_t whylen);

/* Issues a kiosk or server certificate (role CERT_KIOSK or CERT_SERVER) to
 * `subject`, CN `name` (a kiosk id "kiosk-35238-01" or a host name; a
 * server certificate also carries it as subjectAltName dNSName), signed by
 * `authority`, whose CA certificate ca_der is (its key must be authority's:
 * BN_EWRONGKEY otherwise; the issuer name is copied from it). The validity
 * must lie within the CA's (BN_ERANGE). DER into der[cap]. */
int cert_issue(key_pair_t *authority, rng_t *rng, const uint8_t *ca_der, size_t ca_len,
               const key_pub_t *subject, cert_role_t role, const char *name,
               uint32_t not_before, uint32_t not_after,
               uint8_t *der, size_t cap, size_t *len, char *why, size_t whylen);

/* Verifies that `der` (exactly one DER certificate, nothing after it) was
 * issued by the pinned authority certificate ca_der, is valid on day `today`
 * (and so is the CA), has the role `role` (CERT_KIOSK, CERT_SERVER, or
 * CERT_AUTHORITY to check the CA certificate itself), a P-256 key, and, when
 * `host` is not NULL, that it was issued to that host name (SAN dNSName,
 * else CN). Fills *out (may be NULL). Errors, with the reason in `why`:
 *   BN_EFORMAT    not a DER certificate, or bytes after it
 *   BN_EKEY       not a P-256 ECDSA key / not SHA-256, wrong role or host
 *   BN_EWRONGKEY  not signed by the authority (or the CA is not a CA)
 *   BN_ENOTYET    not yet valid on `today` (certificate or CA)
 *   BN_EEXPIRED   expired on `today` (certificate or CA) */
int cert_verify(const uint8_t *der, size_t len, const uint8_t *ca_der, size_t ca_len,
                uint32_t today, cert_role_t role, const char *host, cert_info_t *out,
                char *why, size_t whylen);

/* The public key of a certificate, without verifying anything. BN_EFORMAT,
 * BN_EKEY (not P-256). */
int cert_key(const uint8_t *der, size_t len, key_pub_t *out);

/* DER -> PEM ("CERTIFICATE", NUL-terminated, *pemlen without the NUL). */
int cert_to_pem(const uint8_t *der, size_t len, char *pem, size_t cap, size_t *pemlen);

/* PEM (one "CERTIFICATE" block) -> DER. BN_EFORMAT, BN_ETOOBIG. */
int cert_from_pem(const char *pem, size_t pemlen, uint8_t *der, size_t cap, size_t *len);

/* The fingerprint two people read to each other on the phone: the first 160
 * bits of SHA-256 of a certificate's DER, in Crockford's base 32 (digits and
 * letters without I, L, O, U), 8 groups of 4: "KSS1-XTYA-...". borne-admin
 * authority show and borne --enroll print the authority's. */
#define CERT_FPR_LEN 40
void cert_fingerprint(const uint8_t *der, size_t len, char out[CERT_FPR_LEN]);

/* --- revocation list ------------------------------------------------------
 *
 *   OFFSET   SIZE  FIELD
 *   0        4     magic "BRNL"
 *   4        1     format version (1, or 2: each id with a day)
 *   5        4     issue day (day.h), not 0
 *   9        4     sequence number, >= 1 (a newer list has a larger one)
 *   13       32    authority key id
 *   45       4     n, revoked kiosks (0..CERT_REVOKE_MAX)
 *   49       E*n   entries, by strictly increasing key id (memcmp):
 *                  version 1: the kiosk key id (E = 32), revoked for every day;
 *                  version 2: the key id, then the day from which it is
 *                  revoked (4 bytes, not 0; E = 36): what the kiosk made
 *                  before that day stays trusted (CERT-R1)
 *   49+E*n   64    authority signature r || s over SHA-256(bytes 0..49+E*n)
 *
 * Big-endian; exactly one byte string per list (docs/formats.md, "Revocation list"). */

#define CERT_REVOKE_MAGIC "BRNL"
#define CERT_REVOKE_VERSION 1
#define CERT_REVOKE_VERSION_SINCE 2
#define CERT_REVOKE_ENTRY_SINCE (KEY_ID_LEN + 4)
#define CERT_REVOKE_HEADER_LEN 49
#define CERT_REVOKE_MAX 100000
#define CERT_REVOKE_LEN(n) (CERT_REVOKE_HEADER_LEN + (size_t)KEY_ID_LEN * (n) + KEY_SIG_LEN)
#define CERT_REVOKE_LEN_SINCE(n) \
    (CERT_REVOKE_HEADER_LEN + (size_t)CERT_REVOKE_ENTRY_SINCE * (n) + KEY_SIG_LEN)

/* A decoded list; ids points into the bytes it was decoded from. */
typedef struct cert_revoked_s {
    uint32_t day;
    uint32_t seq;
    uint8_t authority[KEY_ID_LEN];
    uint32_t n;
    uint8_t version;                /* 1 or 2 */
    size_t stride;                  /* bytes an entry: 32 (v1), 36 (v2) */
    const uint8_t *ids;             /* n entries of `stride` bytes, sorted by id */
    const uint8_t *sig;
} cert_revoked_t;

/* Builds and signs a list: the ids (n of them, any order) are sorted; a
 * duplicate is BN_EINVAL. *out is malloc'd (CERT_REVOKE_LEN(n) bytes). */
int cert_revoke_sign(const signer_t *authority, uint32_t day, uint32_t seq,
                     const uint8_t *ids, size_t n, uint8_t **out, size_t *len);

/* The same as a version-2 list: ids[i] revoked from day since[i] (>= 1)
 * on. BN_EINVAL for a day 0 or a duplicate id. */
int cert_revoke_sign_since(const signer_t *authority, uint32_t day, uint32_t seq,
                           const uint8_t *ids, const uint32_t *since, size_t n, uint8_t **out,
                           size_t *len);

/* Decodes strictly, without checking the signature. BN_EFORMAT + why. */
int cert_revoke_decode(const uint8_t *buf, size_t len, cert_revoked_t *out,
                       char *why, size_t whylen);

/* Decodes and verifies with the authority's key: BN_EFORMAT, BN_EWRONGKEY
 * (signed by another key id), BN_EBADSIG. */
int cert_revoke_open(const uint8_t *buf, size_t len, const key_pub_t *authority,
                     cert_revoked_t *out, char *why, size_t whylen);

/* 1 if the kiosk key id is in the list, 0 if not (binary search). */
int cert_is_revoked(const cert_revoked_t *r, const uint8_t id[KEY_ID_LEN]);

/* (CERT-R1) 1 if the kiosk key id is in the list, with the day from which
 * it is revoked in *since (0: every day, a version-1 list); 0 if not. */
int cert_revoked_since(const cert_revoked_t *r, const uint8_t id[KEY_ID_LEN], uint32_t *since);

/* The key id of entry i (< r->n). */
const uint8_t *cert_revoked_id(const cert_revoked_t *r, uint32_t i);

#endif
