/* ksync.h - the kiosk's link to borne-server: its configuration
 * (STATE/server.conf with STATE/authority.crt and STATE/kiosk.crt), one
 * round of uploads and pulls (ksync_round), a background thread running
 * rounds (ksync_start), and the reservation asked before every cast
 * (ksync_reserve). Built on sync.h; docs/architecture.md, "The kiosk's
 * link".
 *
 * Threads: the thread has its own store connection, its own copy of the
 * kiosk key and its own random generator; what it shares with the kiosk's
 * thread (batch times, counters, status) sits behind one mutex, never held
 * during network I/O. ksync_reserve runs in the caller's thread with the
 * caller's key and generator.
 *
 * (KSYNC-K1) An entry is marked online (register offline = 0) only when the
 *      server answered "reserved" for this kiosk; every other outcome
 *      (no server configured, no route, timeout, an answer that is not one
 *      of the documented ones) casts it offline, so that the tally reports
 *      it if the same person took part elsewhere (DESIGN-S4).
 * (KSYNC-K2) After a failed exchange, reservations answer offline at once for
 *      offline_ms without asking (a citizen never waits for a timeout
 *      twice in a row); the thread's backoff decides when uploads retry.
 * (KSYNC-K3) The first pull of a round compares the server's package of each
 *      campaign with the one in the kiosk's store, byte for byte: a
 *      difference (the server and the kiosk do not run the same campaign,
 *      and its ballots would be refused) is logged ("package-mismatch") and
 *      reported in ksync_status, and the kiosk goes out of service. */
#ifndef KSYNC_H
#define KSYNC_H

#include <stddef.h>
#include <stdint.h>

#include "key.h"
#include "rng.h"
#include "sync.h"

#define KSYNC_CONF_FILE "server.conf"
#define KSYNC_MAX_CAMPAIGNS 8

/* STATE/server.conf: one "key = value" a line, '#' comments, every key
 * optional but host and port:
 *   host = localhost           name in the server certificate (SNI, Host)
 *   address = 127.0.0.1        where to connect (default: host)
 *   port = 8443
 *   connect-timeout-ms = 5000  io-timeout-ms = 10000
 *   reserve-timeout-ms = 1500  the whole reservation, at most
 *   batch-casts = 10           a batch goes with at least this many casts ...
 *   batch-delay-s = 7200       ... or when its oldest cast waited this long
 *   round-s = 60               how often the thread looks at the outbox
 *   pull-s = 300               how often it pulls revocations and counters
 *   offline-hold-s = 30        (KSYNC-K2) */
typedef struct ksync_conf_s {
    char host[128];
    char addr[64];
    unsigned port;
    int connect_ms, io_ms, reserve_ms;
    size_t batch_casts;
    int64_t batch_delay_ms, round_ms, pull_ms, offline_ms;
} ksync_conf_t;

/* Parses the text of server.conf (`name` for messages). BN_EFORMAT with
 * "NAME:LINE: ..." naming the key and the value in `why`. */
int ksync_conf_parse(const char *text, size_t len, const char *name, ksync_conf_t *out,
                     char *why, size_t whylen);

typedef struct ksync_s ksync_t;

/* The campaigns the link carries: id and whether it is a petition. */
typedef struct ksync_campaign_s {
    const char *id;
    int petition;
    const char *departement;     /* the kiosk's; the server's package must be of it
                                    (NULL: not checked, the bytes still are, KSYNC-K3) */
} ksync_campaign_t;

/* Opens the link of state directory `dir`. No dir/server.conf: *out = NULL
 * and 0 (a kiosk without a server: every entry offline, (KSYNC-K1)). Otherwise
 * reads server.conf, authority.crt (PEM: a certificate of the pinned
 * `authority` key), kiosk.crt (PEM: a kiosk certificate of `kiosk`'s key,
 * issued by it), loads dir/kiosk.key again for the thread, opens its own
 * connection to dir/kiosk.db. Any problem is an error naming the file and
 * what is wrong: the kiosk goes out of service rather than cast entries
 * it believes synced. */
int ksync_open(const char *dir, const key_pub_t *authority, const key_pub_t *kiosk,
               const ksync_campaign_t *camps, int n, uint32_t today, ksync_t **out,
               char *why, size_t whylen);

/* ksync_open with the kiosk's key given (borrowed: it must outlive the
 * link, and be usable from the link's thread) instead of dir/kiosk.key:
 * a key inside a TPM (tpm.h, key_from_signer). */
int ksync_open_key(const char *dir, const key_pub_t *authority, key_pair_t *key,
                   const ksync_campaign_t *camps, int n, uint32_t today, ksync_t **out,
                   char *why, size_t whylen);

/* Where to connect instead of server.conf's address (borne.conf's
 * [kiosk] server-address); call before ksync_start. */
void ksync_set_address(ksync_t *k, const char *address);

/* Stops the thread if it runs (waits for its round to end), closes. NULL
 * is accepted. */
void ksync_close(ksync_t *k);

/* Starts the background thread: a round every round_ms, and sooner after
 * ksync_note_cast. BN_EIO if the thread cannot be made. */
int ksync_start(ksync_t *k);

typedef struct ksync_round_s {
    size_t bundles, items;       /* acknowledged and marked synced */
    int64_t left;                /* casts still in the outbox, all campaigns */
    int failed;                  /* an exchange failed (why says which) */
    int mismatch;                /* a server held less than it should: requeued */
    int pulled;                  /* counters and revocations were pulled */
} ksync_round_t;

/* One round, as the thread runs it: sync_upload for each campaign
 * (closing: everything, whatever the batch policy), then, every pull_ms
 * or when force_pull, the revocation list, each campaign's package until
 * it was compared once (KSYNC-K3), and each petition's counter.
 * Logs "sync-done", "sync-offline", "sync-online" and "sync-mismatch" in
 * the audit log (never per ballot). 0 when every exchange succeeded;
 * otherwise the first error, with `why`. Not to be called while the
 * thread runs (headless runs call it, window runs start the thread). */
int ksync_round(ksync_t *k, int64_t now_ms, int closing, int force_pull, ksync_round_t *res,
                char *why, size_t whylen);

/* After each cast of `campaign` (the batch's first unsent time, in memory
 * only, sync.h (SYNC-Y1)); wakes the thread. NULL k is accepted. */
void ksync_note_cast(ksync_t *k, const char *campaign, int64_t now_ms);

/* Asks the server to reserve `pseudonym` for `campaign`, within
 * reserve_ms. *out: SYNC_RESERVED, SYNC_ALREADY or SYNC_OFFLINE (K1, K2);
 * 0 is returned for these. BN_EREVOKED when the server says this kiosk
 * is revoked (*out = SYNC_OFFLINE). k == NULL: SYNC_OFFLINE. `key`,
 * `signer` and `rng` are the caller's (the kiosk thread's). */
int ksync_reserve(ksync_t *k, key_pair_t *key, const signer_t *signer, rng_t *rng,
                  const char *campaign, const uint8_t pseudonym[PSEUD_LEN], int64_t now_ms,
                  sync_resv_t *out, char *why, size_t whylen);

/* The cast path's reservation (cast.h, cast_ctx_t.reserve, arg a
 * ksync_hook_t filled by the caller): ksync_reserve, then *reserved = 1 only
 * for SYNC_RESERVED (KSYNC-K1); BN_EALREADY for SYNC_ALREADY; BN_EREVOKED
 * (the reason in hook->why) when the server says this kiosk is revoked;
 * every other outcome 0, an offline entry. */
typedef struct ksync_hook_s {
    ksync_t *k;
    key_pair_t *key;
    const signer_t *signer;
    rng_t *rng;
    int64_t now_ms;
    char why[256];
} ksync_hook_t;

int ksync_reserve_hook(void *arg, const char *campaign, const uint8_t pseudonym[PSEUD_LEN],
                       int *reserved);

/* The petition's counter from the server's last answer, and the wall
 * clock time (time(NULL)) it came. BN_ENOTFOUND when none came yet. */
int ksync_counter(ksync_t *k, const char *campaign, sync_counter_t *out, int64_t *when);

typedef struct ksync_status_s {
    int online;                  /* the last exchange succeeded */
    int revoked;                 /* the authority's list names this kiosk */
    int package_mismatch;        /* (KSYNC-K3) the server serves another package for a campaign */
    int64_t rounds;              /* rounds run */
    int64_t last_ok_s;           /* time(NULL) of the last exchange that succeeded, 0: none */
    int64_t left;                /* items (casts, register entries) not yet acknowledged,
                                    as of the last round; -1 before the first. The
                                    outbox lives in each store handle's memory
                                    (STORE-S12): the link's handle is the one that knows */
    char last_error[256];
} ksync_status_t;

void ksync_status(ksync_t *k, ksync_status_t *out);

#endif
