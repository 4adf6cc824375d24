/* srv_http.h - the HTTPS front of borne-server (libmicrohttpd over GnuTLS).
 *
 * Routes (docs/api.md):
 *   POST /v1/bundles            application/octet-stream, at most 16 MiB
 *   POST /v1/reservations       application/json
 *     both: the TLS client certificate of a kiosk, checked before the body
 *     is read (SRV-N1); a bundle from the kiosk of the connection only
 *   GET  /v1/packages, /v1/packages/ID, /v1/revocations
 *   GET  /v1/receipts/CODE      JSON; /receipts/CODE, /receipts?code= HTML (fr, en)
 *   GET  /v1/health, /v1/metrics
 * One log line per request on stderr: method, path, status, kiosk, bytes, ms
 * (SRV-S3: a receipt path is logged without its code). */
#ifndef SRV_HTTP_H
#define SRV_HTTP_H

#include <stdint.h>

#include "srv_core.h"

/* (SRV-N2) Connections: TLS 1.2 or 1.3 only; at most SRV_PER_ADDRESS at
 * once from one address (kiosks behind one NAT share it); closed after
 * SRV_IDLE_S seconds without a byte. */
#define SRV_PER_ADDRESS 32
#define SRV_IDLE_S 15
/* (SRV-N2) connections in all: far more than SRV_PER_ADDRESS times the
 * addresses an attacker is likely to hold (10,000 idle connections from 20
 * addresses took the 512 of before: server_abuse); each is a thread with a
 * stack of SRV_THREAD_STACK, and a file descriptor (the soft limit is
 * raised to fit, within the hard one) */
#define SRV_CONNECTIONS 4096
#define SRV_THREAD_STACK ((size_t)512 << 10)
/* (SRV-N4) A request (its TLS handshake, head and body, from the
 * connection's first byte or the end of the request before it) is cut
 * after SRV_REQUEST_S seconds in all, however steadily it trickles: a
 * 16 MiB bundle at 1 Mbit/s takes 130 s. */
#define SRV_REQUEST_S 300
/* (SRV-N3) The request bodies being read, all connections together, never
 * hold more than this: past it, an upload is read and dropped, and answered
 * 503 busy (the kiosk tries again later). */
#define SRV_BODIES_BUDGET ((size_t)128 << 20)

typedef struct srv_http_s srv_http_t;

/* The limits borne.conf's [server] may change (0: the default above). */
typedef struct srv_http_limits_s {
    unsigned per_address, idle_s, connections; /* connections: SRV_CONNECTIONS */
    unsigned request_s;                        /* SRV_REQUEST_S */
    size_t body_max;                           /* a bundle's body: SRV_BODY_MAX, at most */
    size_t bodies_budget;                      /* SRV_BODIES_BUDGET */
} srv_http_limits_t;

/* Starts serving srv over HTTPS on host:port (port 0: any free port;
 * srv_http_port tells which). BN_EINVAL for a bad address, BN_EIO if the
 * daemon cannot start. */
int srv_http_start(srv_t *srv, const char *host, uint16_t port, const srv_http_limits_t *lim,
                   srv_http_t **out, char *why, size_t whylen);
uint16_t srv_http_port(const srv_http_t *h);
void srv_http_stop(srv_http_t *h);

#endif
