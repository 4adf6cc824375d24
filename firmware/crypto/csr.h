/* csr.h - the kiosk's certificate request (PKCS #10), made on the kiosk
 * (borne --enroll) and checked by the authority (borne-admin kiosk enroll).
 *
 * The request proves that whoever wrote it holds the private key: it is
 * signed by that key (ECDSA P-256, SHA-256). The kiosk's private key never
 * leaves the kiosk; only the request travels. DER in memory, PEM
 * ("CERTIFICATE REQUEST") at the edges. */
#ifndef CSR_H
#define CSR_H

#include <stddef.h>
#include <stdint.h>

#include "key.h"
#include "rng.h"

#define CSR_DER_MAX 1024
#define CSR_PEM_MAX 1536

/* A request for `k`, subject CN `name` ([A-Za-z0-9.-], 1..64), as PEM in
 * pem[cap]. BN_EINVAL, BN_ETOOBIG, BN_ECRYPTO. */
int csr_make(key_pair_t *k, rng_t *rng, const char *name, char *pem, size_t cap, size_t *len);

/* Checks a PEM request: parses, a P-256 key, SHA-256, and its signature by
 * that key. Fills *pub. BN_EFORMAT, BN_EKEY, BN_EBADSIG, with the reason in
 * `why`. */
int csr_check(const char *pem, size_t len, key_pub_t *pub, char *why, size_t whylen);

#endif
