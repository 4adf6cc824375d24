/* srv_core.h - the server's logic, without HTTP: verify and store bundles,
 * receipts, reservations, packages, metrics. Used by the HTTP layer
 * (srv_http.c) and by `borne-server import`, so that a bundle from a USB
 * stick goes through exactly the same path as one sent over HTTPS.
 *
 * A server directory holds (docs/architecture.md, "Server"):
 *   authority.crt       pinned authority certificate (PEM)
 *   server.key          the server's TLS key (key_save, mode 0600)
 *   server.crt          its certificate, issued by the authority (PEM)
 *   *.bpkg              signed campaign packages (pkg_open, authority key)
 *   ID.secret           campaign secrets, 64 hex digits, copied into the store
 *   revocations.brl     the authority's signed revocation list (optional)
 *   server.db           the store (srv_store.h)
 * Thread-safe: verification runs in the caller's thread, store calls are
 * serialised by a mutex inside srv_t. */
#ifndef SRV_CORE_H
#define SRV_CORE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "srv_store.h"

#define SRV_BODY_MAX (16u << 20) /* largest bundle accepted: 16 MiB */
#define SRV_JSON_MAX 4096        /* largest JSON request body */

typedef struct srv_s srv_t;

/* The answer to a request: an HTTP status and a malloc'd JSON body. */
typedef struct srv_result_s {
    int status;
    char *body;                /* JSON text, malloc'd (srv_result_free) */
    char kiosk[17];            /* first 16 hex digits of the kiosk key id, or "-" */
    size_t added;              /* items newly stored by an upload */
} srv_result_t;

/* Opens the server directory: CA, packages, secrets, revocation list,
 * store. `today` is the day used for every validity check (0: day_today()).
 * Errors with the file and reason in `why`. */
int srv_open(const char *dir, uint32_t today, srv_t **out, char *why, size_t whylen);

/* What /etc/borne/borne.conf's [server] may change: the TLS files (NULL:
 * DIR/server.crt and DIR/server.key). */
typedef struct srv_opts_s {
    const char *tls_cert, *tls_key;
} srv_opts_t;

/* srv_open with options (opts may be NULL). */
int srv_open_with(const char *dir, uint32_t today, const srv_opts_t *opts, srv_t **out,
                  char *why, size_t whylen);
void srv_close(srv_t *s);

/* Verifies and stores a bundle (the whole of POST /v1/bundles after the
 * transport checks). Fills *res: 200 and the acknowledgement, or the
 * refusal (logged in the store). Returns res->status. */
int srv_ingest(srv_t *s, const uint8_t *buf, size_t len, srv_result_t *res);

/* The same for a bundle that came over a TLS connection authenticated as
 * kiosk `as` (its key id, srv_kiosk_check): a bundle signed by another
 * kiosk is refused (403 kiosk-mismatch). srv_ingest is srv_ingest_as(NULL):
 * for `borne-server import` (USB), where no connection speaks for a kiosk. */
int srv_ingest_as(srv_t *s, const uint8_t *as, const uint8_t *buf, size_t len,
                  srv_result_t *res);

/* (SRV-N1) The TLS client certificate of a connection, checked before any
 * body is read: a kiosk certificate of the authority, valid today, not
 * revoked. 0 and its key id in id[32]; otherwise the refusal in *res
 * (401 no-client-certificate, 403 unknown-kiosk, kiosk-certificate-expired
 * or revoked-kiosk) and its status returned. */
int srv_kiosk_check(srv_t *s, const uint8_t *cert_der, size_t cert_len, uint8_t id[32],
                    srv_result_t *res);

/* A refusal decided by the transport (413, 415 ...): logged, *res filled. */
int srv_refuse(srv_t *s, srv_result_t *res, int status, const char *error,
               const char *detail, const uint8_t *kiosk);

/* Tracking code lookup (ballots and petition signatures): 1 counted, 0 not found, BN_ECHECK (mistyped: the
 * check character does not match), BN_EFORMAT (not a code). canon gets the
 * canonical form when the code parses. */
int srv_receipt(srv_t *s, const char *typed, char canon[15]);

/* The same with what the code names (srv_store_track_info): for an idea,
 * its moderation. 1 found (info filled), 0 not found, BN_ECHECK, BN_EFORMAT. */
int srv_receipt_info(srv_t *s, const char *typed, char canon[15], srv_track_info_t *info);

/* The package of campaign `id` served here, or NULL (owned by s). */
const struct pkg_s *srv_campaign_pkg(srv_t *s, const char *id);

/* The words a citizen reads for moderation reason `reason` of campaign
 * `id` in `lang` ("fr", "en"): the package's, or the server's own for
 * SRV_REASON_LIMIT; `reason` itself when the package does not name it. */
const char *srv_reason_words(srv_t *s, const char *id, const char *reason, const char *lang);

/* (SRV-P1) How many times a petition's records were all read to build its
 * running count (at the first counter request, or when it was found off):
 * uploads extend the count, requests never recount. */
int64_t srv_counter_rebuilds(srv_t *s);

/* GET /v1/petitions/ID/counter: 200 and the counter JSON (docs/api.md),
 * from petition_count over every record held; 404 if ID is not a petition
 * served here. Returns res->status. */
int srv_petition_counter(srv_t *s, const char *id, srv_result_t *res);

/* Pseudonym reservation by the kiosk whose TLS client certificate is
 * cert_der (NULL: none was presented); body is JSON
 * {"campaign": "...", "pseudonym": "64 hex digits"}. (SRV-R3) A kiosk gets
 * SRV_RESERVE_BURST reservations at once, then one every
 * SRV_RESERVE_EVERY_S seconds (429 rate-limited, logged as an anomaly);
 * (SRV-R2) a reservation lapses after SRV_RESERVE_LAPSE_S seconds unless a
 * register entry followed it. */
#define SRV_RESERVE_BURST 6
#define SRV_RESERVE_EVERY_S 10
#define SRV_RESERVE_LAPSE_S (15 * 60)

/* The reservation rate (SRV-R3) of every kiosk: burst, then one every
 * every_s seconds; burst 0: no limit (load tests). Buckets start full. */
void srv_set_reserve_rate(srv_t *s, int burst, int every_s);
/* The day the server takes for today (0: the clock's), as --today sets it
 * at open; tests move it while nothing else runs. */
void srv_set_today(srv_t *s, uint32_t today);
int srv_reserve(srv_t *s, const uint8_t *cert_der, size_t cert_len, const char *body,
                size_t len, srv_result_t *res);

/* GET /v1/packages: a malloc'd JSON list. */
char *srv_packages_json(srv_t *s);
/* The signed package file of campaign `id`, or NULL (owned by s). */
const uint8_t *srv_package_file(srv_t *s, const char *id, size_t *len);
/* A copy of the signed revocation list in force (malloc'd: the caller
 * frees it), or NULL if there is none. */
uint8_t *srv_revocations(srv_t *s, size_t *len);

/* (SRV-V1) Reads DIR/revocations.brl again: a list signed by the authority
 * with a greater sequence number than the one in force replaces it for
 * every request from now on, without a restart, and (SRV-R2) releases the
 * revoked kiosks' reservations that no register entry followed. 1: a new
 * list is in force; 0: nothing changed (no file, the same list); BN_ERANGE
 * (an older list: kept the newer, said in `why`) or another BN_E code for a
 * file that is not a valid list (the one in force stays). srv_open calls
 * it; `borne-server serve` every SRV_RELOAD_S seconds and on SIGHUP. */
int srv_reload_revocations(srv_t *s, char *why, size_t whylen);
#define SRV_RELOAD_S 10

/* GET /v1/metrics, GET /v1/health: malloc'd JSON (NULL on failure). */
char *srv_metrics_json(srv_t *s);
char *srv_health_json(srv_t *s);

/* Direct store access for tests and tools (take no lock: single thread). */
srv_store_t *srv_store(srv_t *s);
/* PEM of the server key, server certificate and CA, for TLS (owned by s). */
const char *srv_tls_key(srv_t *s);
const char *srv_tls_cert(srv_t *s);
const char *srv_tls_ca(srv_t *s);

void srv_result_free(srv_result_t *res);

/* `borne-server import`: every regular file of src (sorted by name) through
 * srv_ingest; one line per file on `out`. Returns the number refused, or a
 * negative BN_E* if src cannot be read. */
int srv_import(srv_t *s, const char *src, FILE *out);

#endif
