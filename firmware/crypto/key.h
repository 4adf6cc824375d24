/* key.h - ECDSA P-256 keys, the signer interface, and signature checking.
 *
 * Signatures are deterministic (RFC 6979, SHA-256) and normalised to the low
 * half of the group order (s <= n/2), so that each message has exactly one
 * valid signature per key: key_verify() refuses the other (high-s) form.
 * On the wire and on disk a signature is 64 bytes: r || s, big-endian. */
#ifndef KEY_H
#define KEY_H

#include <stddef.h>
#include <stdint.h>

#include "rng.h"

#define KEY_PUB_LEN 65 /* uncompressed SEC1 point: 0x04 || X || Y */
#define KEY_ID_LEN 32  /* SHA-256 of the public key's SubjectPublicKeyInfo DER */
#define KEY_SIG_LEN 64 /* r || s */
#define KEY_SIG_DER_MAX 72

/* A public key, as plain bytes (copyable, comparable with memcmp). */
typedef struct key_pub_s {
    uint8_t pub[KEY_PUB_LEN];
    uint8_t id[KEY_ID_LEN];
} key_pub_t;

/* The signer interface: all the cast path and the package tools need from a
 * private key. Today a key file (key_signer); later a TPM or secure element
 * fills the same struct. sign() returns 0 or a BN_E* code. */
typedef struct signer_s {
    void *ctx;
    int (*sign)(void *ctx, const uint8_t digest[32], uint8_t sig[KEY_SIG_LEN]);
    key_pub_t pub;
} signer_t;

/* A private key held in memory. */
typedef struct key_pair_s key_pair_t;

/* Generates a new P-256 key pair. BN_ERNG, BN_ENOMEM, BN_ECRYPTO. */
int key_generate(rng_t *rng, key_pair_t **out);

/* Writes the private key as PEM ("EC PRIVATE KEY") to path: created with
 * mode 0600 through a temporary file, fsync and rename, so that a crash
 * leaves either the old file or the new one. BN_EIO. */
int key_save(const key_pair_t *k, const char *path);

/* The private key as PEM text ("EC PRIVATE KEY", NUL-terminated) in
 * pem[cap] (KEY_PEM_MAX is enough), for a caller that protects it itself
 * (borne-admin encrypts the authority's). Wipe it after use. BN_EKEY. */
#define KEY_PEM_MAX 512
int key_to_pem(const key_pair_t *k, char *pem, size_t cap, size_t *len);

/* A private key from key_to_pem's text. BN_EKEY, BN_ENOMEM. */
int key_from_pem(const char *pem, size_t len, rng_t *rng, key_pair_t **out);

/* Loads a private key written by key_save. Refuses (BN_EPERM) a file that
 * group or others can read or write; BN_EKEY for a file that is not a P-256
 * private key; BN_EIO if it cannot be read. `why` (may be NULL) names the
 * file and the reason. */
int key_load(const char *path, rng_t *rng, key_pair_t **out, char *why, size_t whylen);

/* Frees and wipes the key; NULL is accepted. */
void key_free(key_pair_t *k);

/* The shared secret (the x coordinate, 32 bytes) of the key and a peer's
 * public point (65 bytes), for seals (seal.h). */
typedef int (*key_ecdh_fn)(void *ctx, const uint8_t peer[KEY_PUB_LEN], uint8_t z[32]);

/* A key pair whose private half is elsewhere (a TPM: tpm.h), from its
 * signer and its ECDH (NULL: it cannot open seals), both on s->ctx, which
 * must outlive the key: key_signer gives that signer back, key_pk a context
 * that the certificate request and TLS client authentication sign with
 * through it, key_ecdh goes to `ecdh`; key_to_pem and key_save refuse it
 * (BN_EKEY). BN_EKEY for a public key that is not a P-256 point. */
int key_from_signer(const signer_t *s, key_ecdh_fn ecdh, key_pair_t **out);

/* key_ecdh_fn for any key pair: its own private scalar, or its device's.
 * 0, BN_EFORMAT (the peer is not a P-256 point), BN_EKEY (a device that
 * cannot), BN_ECRYPTO. */
int key_ecdh(key_pair_t *k, const uint8_t peer[KEY_PUB_LEN], uint8_t z[32]);

/* Fills `out` with a signer backed by `k` (which must outlive it). */
void key_signer(key_pair_t *k, signer_t *out);

/* The public half of `k`. */
void key_public(const key_pair_t *k, key_pub_t *out);

/* Public key from PEM text: either a public key ("PUBLIC KEY") or an X.509
 * certificate whose key is P-256. BN_EKEY with the reason in `why`. */
int key_pub_from_pem(const char *pem, size_t len, key_pub_t *out, char *why, size_t whylen);

/* key_pub_from_pem on a file's content. BN_EIO if it cannot be read. */
int key_pub_load(const char *path, key_pub_t *out, char *why, size_t whylen);

/* Public key from its 65-byte uncompressed point (checks it is on the curve,
 * computes the id). BN_EKEY otherwise. */
int key_pub_from_point(const uint8_t pub[KEY_PUB_LEN], key_pub_t *out);

/* Writes the public key as a "PUBLIC KEY" PEM file (mode 0644). BN_EIO. */
int key_pub_save(const key_pub_t *p, const char *path);

/* SHA-256 in one call. */
void key_sha256(const void *data, size_t len, uint8_t out[32]);

/* Puts an ECDSA P-256 signature r || s in the low-s form key_verify wants
 * (s := n - s when s > n/2), for a signer that does not (a TPM). 0 or
 * BN_ECRYPTO. */
int key_sig_low_s(uint8_t sig[KEY_SIG_LEN]);

/* Signs SHA-256(msg) with the signer. */
int key_sign_msg(const signer_t *s, const void *msg, size_t len, uint8_t sig[KEY_SIG_LEN]);

/* Verifies a 64-byte signature over `digest`. 0, or BN_EBADSIG for any
 * signature that is not the valid low-s signature of this key. */
int key_verify(const key_pub_t *p, const uint8_t digest[32], const uint8_t sig[KEY_SIG_LEN]);

/* key_verify over SHA-256(msg). */
int key_verify_msg(const key_pub_t *p, const void *msg, size_t len, const uint8_t sig[KEY_SIG_LEN]);

/* The DER (SEQUENCE { INTEGER r, INTEGER s }) form of a signature, for
 * other tools such as `openssl dgst -verify`. */
int key_sig_to_der(const uint8_t sig[KEY_SIG_LEN], uint8_t *der, size_t cap, size_t *len);

/* The key pair's mbedTLS context, owned by `k`, for what needs the private
 * key inside mbedTLS itself: X.509 writing (cert.c), the ECDH of a petition
 * seal (petition.c), the TLS client key (sync). Never copied out. */
struct mbedtls_pk_context;
struct mbedtls_pk_context *key_pk(key_pair_t *k);

#endif
