/* transport.h - the sync client's transport: one HTTP/1.1 request with
 * "Connection: close" over one TLS 1.2 connection (mbedTLS) to
 * borne-server, with timeouts on connect and on every read and write.
 *
 * The server certificate must chain to the pinned authority certificate,
 * be valid now and name the expected host; it is checked again with
 * cert_verify (role: server, EKU serverAuth). The kiosk certificate and key
 * go as the TLS client certificate. A transport failure is BN_EIO with the
 * reason in `why`; a refused server certificate BN_EWRONGKEY, BN_EKEY,
 * BN_EEXPIRED or BN_ENOTYET; an answer that is not strict HTTP BN_EFORMAT
 * or BN_ETOOBIG (http.h). The status is not judged here: sync.c does. */
#ifndef TRANSPORT_H
#define TRANSPORT_H

#include <stddef.h>
#include <stdint.h>

#include "key.h"
#include "rng.h"

/* How to reach the server and who the kiosk is. The pointers must outlive
 * every call that uses the struct. */
typedef struct sync_conf_s {
    const char *host;            /* name in the server certificate; SNI and Host */
    const char *addr;            /* address to connect to; NULL: host */
    unsigned port;               /* 8443 by default in docs/api.md */
    const uint8_t *ca_der;       /* pinned authority certificate */
    size_t ca_len;
    const uint8_t *pin_der;      /* the server's own certificate, pinned at provisioning
                                    (NULL: any the authority issued for `host`) */
    size_t pin_len;
    const uint8_t *cert_der;     /* the kiosk certificate (TLS client, bundles) */
    size_t cert_len;
    key_pair_t *key;             /* the kiosk key (TLS client authentication) */
    const signer_t *signer;      /* signs bundles (the same key) */
    rng_t *rng;
    int connect_ms;              /* 0: 5000 */
    int io_ms;                   /* each read and write; 0: 10000 */
    const char *source;          /* IPv4 address to connect from (NULL: the system's
                                    choice): the load tests' many kiosks on loopback */
} sync_conf_t;

/* One request over a fresh TLS connection: writes the head and the body
 * (may be NULL), reads a strict response of at most max_body bytes.
 * *status and *body (malloc'd, NUL-terminated, may be NULL) on 0. The
 * status is not judged here. */
int sync_request(const sync_conf_t *c, const char *method, const char *path,
                 const char *content_type, const uint8_t *body, size_t body_len,
                 size_t max_body, int *status, uint8_t **out, size_t *out_len,
                 char *why, size_t whylen);

/* The same with explicit timeouts (ms): connect, each read and write,
 * and the whole exchange (0: none). Reservations use it with one short
 * limit for all three. */
int transport_request(const sync_conf_t *c, int connect_ms, int io_ms, int total_ms,
                      const char *method, const char *path, const char *content_type,
                      const uint8_t *body, size_t body_len, size_t max_body, int *status,
                      uint8_t **out, size_t *out_len, char *why, size_t whylen);

#endif /* TRANSPORT_H */
