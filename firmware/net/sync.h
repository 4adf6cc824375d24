/* sync.h - the kiosk's sync protocol with borne-server: uploads of the
 * outbox in batches, pseudonym reservations, packages and revocation lists
 * (docs/api.md; docs/architecture.md, "Sync client"). Each exchange is one
 * request over transport.h (TLS, timeouts); this module decides what to
 * send and judges the answers.
 *
 * Results: transport failures and refused server certificates as in
 * transport.h; a server refusal has the status and the server's
 * {"error","detail"} in `why`, and a code after its "error"
 * (docs/api.md): malformed BN_EFORMAT, too-large BN_ETOOBIG, unknown-kiosk
 * BN_EWRONGKEY, kiosk-certificate-expired BN_EEXPIRED, revoked-kiosk
 * BN_EREVOKED, conflict BN_EEXISTS, bad-signature BN_EBADSIG,
 * unknown-campaign and 404 BN_ENOTFOUND, inconsistent-ballot BN_ERULE,
 * no-client-certificate BN_EKEY; 5xx and anything else BN_EIO (try again
 * later). */
#ifndef SYNC_H
#define SYNC_H

#include <stddef.h>
#include <stdint.h>

#include "cert.h"
#include "transport.h"
#include "key.h"
#include "pkg.h"
#include "rng.h"
#include "store.h"

#define SYNC_MAX_ANSWER (64u << 10)  /* JSON answers */
#define SYNC_MAX_FILE (16u << 20)     /* package and revocation files */

/* --- backoff --------------------------------------------------------------
 * Exponential backoff with jitter between failed attempts; times are the
 * caller's (milliseconds of a monotonic clock), so tests drive them. */
typedef struct sync_backoff_s {
    int64_t base_ms;             /* first delay (0: 2000) */
    int64_t max_ms;              /* cap (0: 15 minutes) */
    uint32_t failures;           /* consecutive */
    int64_t next_ms;             /* no attempt before this */
} sync_backoff_t;

/* 1 if an attempt may be made at now_ms. */
int sync_backoff_ready(const sync_backoff_t *b, int64_t now_ms);
/* After a failure: the delay is d = min(max, base * 2^failures), and the
 * next attempt comes after a uniform random time in [d/2, d] (rng; NULL:
 * d). */
void sync_backoff_fail(sync_backoff_t *b, int64_t now_ms, rng_t *rng);
/* After a success: back to no delay. */
void sync_backoff_ok(sync_backoff_t *b);

/* --- uploads -------------------------------------------------------------- */

/* The batching policy and its memory. (SYNC-Y1) (DESIGN-S2) A batch goes only when the
 * outbox of the campaign holds at least min_casts casts (ballots and
 * petition signatures), or when the first unsent cast has waited more than
 * max_delay_ms, or at poll close: never a lone ballot right after its cast.
 * "First unsent" is first_unsent_ms, a time kept in this struct, in memory
 * only (sync_note_cast sets it; nothing finer than the day is stored): after
 * a restart it is unknown, and the delay counts from the first
 * sync_upload that finds the outbox non-empty, so it only grows. */
typedef struct sync_batch_s {
    size_t min_casts;            /* 0: 10 */
    size_t max_items;            /* items per bundle (ballots + entries ...); 0: 2000,
                                    at most BUNDLE_MAX_ITEMS */
    int64_t max_delay_ms;        /* 0: 2 hours */
    int64_t first_unsent_ms;     /* 0: none known */
    sync_backoff_t backoff;
} sync_batch_t;

/* (SYNC-Y4) Ballots travel apart from who took part: register entries and
 * petition signatures go in bundles of their own, first; ballots in
 * bundles of ballots only, of at least SYNC_MIN_BALLOTS (in their random id
 * order), or whatever is left at poll close. A batch due by max_delay_ms
 * with fewer ballots sends the register entries and keeps the ballots. */
#define SYNC_MIN_BALLOTS 10

/* The kiosk calls it after each cast (or signature) of the campaign. */
void sync_note_cast(sync_batch_t *b, int64_t now_ms);

typedef struct sync_upload_res_s {
    int due;                     /* 1 if a batch was due (or closing) */
    size_t bundles;              /* bundles acknowledged */
    size_t items;                /* items marked synced */
    int64_t server_ballots;      /* the last acknowledgement: all held from this kiosk */
    int64_t server_register;
    int64_t server_signatures;   /* petition records held from this kiosk (-1: not said) */
    int64_t left;                /* casts of the campaign still in the outbox */
    char server_digest[65];      /* the last acknowledgement's ballot_ids_digest */
    int mismatch;                /* 1: the server does not hold exactly the ballots
                                    this kiosk marked synced (why says so, rc 0) */
    int64_t requeued;            /* on a mismatch: items put back in the outbox */
    int probed;                  /* closing with nothing to send: an empty bundle asked
                                    the server what it holds (SYNC-Y3) */
    int64_t ack_ms;              /* the last acknowledgement's time_ms (server clock),
                                    SYNC_ACK_UNTIMED if it gave none */
    int64_t ack_added;           /* its "added": items newly stored (-1: not said) */
} sync_upload_res_t;

/* (BACKUP-B2) Store meta keys: the latest acknowledgement's server time
 * (an acknowledgement without one counts as SYNC_ACK_UNTIMED: never older
 * than a backup), and the server's last verified backup (GET /v1/health's
 * backup_verified_ms). A wipe that relies on the server needs the first
 * older than the second. */
#define SYNC_META_ACK_MS "ack-time-ms"
#define SYNC_META_BACKUP_MS "server-backup-ms"
#define SYNC_META_INFLIGHT "upload-inflight"
#define SYNC_ACK_UNTIMED INT64_MAX

/* Uploads the outbox of `campaign` when a batch is due (see sync_batch_t;
 * closing = 1 at poll close sends everything), in bundles of at most
 * max_items items, until the outbox of the campaign is empty; also waits
 * for b->backoff (returns 0 with res->due = 0 while it runs). Each bundle
 * is built by outbox_bundle (items in key order, (BUNDLE-B1)) and its items
 * are marked synced (outbox_done) only after a 200 acknowledgement
 * that names this bundle's SHA-256, the campaign and this kiosk, and holds
 * at least this bundle's ballots and register entries (SYNC-Y2). Any failure
 * stops the upload, arms the backoff, and marks nothing of that bundle: the
 * next call sends it again (uploads are idempotent on the server). After
 * the last bundle, the ballots of the campaign not in the outbox are
 * digested as the server does and compared with the acknowledgement
 * (count and ballot_ids_digest), and the signature records this kiosk
 * marked synced with the acknowledgement's "signatures": a server that lost some (an old copy of
 * its database) sets res->mismatch, with 0 returned and the counts in
 * `why`, and puts every item of the campaign back in the outbox
 * (store_outbox_requeue, res->requeued): the next call sends them all
 * again and the server, idempotent, ends up holding each exactly once.
 * At poll close (closing = 1) with nothing to send, one empty bundle is
 * sent all the same (res->probed), so that the comparison is made before
 * the close. The bundle sequence
 * number is kept in the store's meta "sync.seq". */
int sync_upload(const sync_conf_t *c, store_t *s, const char *campaign, sync_batch_t *b,
                int closing, int64_t now_ms, sync_upload_res_t *res, char *why, size_t whylen);

/* --- reservations --------------------------------------------------------- */
typedef enum {
    SYNC_RESERVED = 1,           /* the server reserved it for this kiosk */
    SYNC_ALREADY = 2,            /* someone took part already: refuse */
    SYNC_OFFLINE = 3             /* the server could not be asked: cast with offline = 1 */
} sync_resv_t;

/* Asks the server to reserve `pseudonym` for `campaign` with a short
 * timeout: timeout_ms (0: 3000) bounds the connect and the whole exchange,
 * however slowly a peer answers. The
 * answer is in *out: RESERVED, ALREADY, or OFFLINE on a transport failure
 * (BN_EIO inside: no route, refused, timeout), then 0 is returned and `why`
 * says what failed. A TLS refusal or an answer that is not one of the
 * documented ones is a negative BN_E* (and *out = SYNC_OFFLINE): the caller
 * may still record the entry as offline, and should log the reason. */
int sync_reserve(const sync_conf_t *c, const char *campaign,
                 const uint8_t pseudonym[PSEUD_LEN], int timeout_ms, sync_resv_t *out,
                 char *why, size_t whylen);

/* --- downloads ------------------------------------------------------------ */

/* GET /v1/packages/ID, then pkg_open with the authority's key (from the
 * pinned certificate), `departement` (may be NULL) and `today`: only a
 * package that verifies is returned. *file (malloc'd) is the signed file,
 * for store_put_campaign. BN_ENOTFOUND for 404. */
int sync_fetch_package(const sync_conf_t *c, const char *id, const char *departement,
                       uint32_t today, pkg_t **pkg, uint8_t **file, size_t *file_len,
                       char *why, size_t whylen);

/* GET /v1/revocations, then cert_revoke_open with the authority's key:
 * *list (malloc'd) holds the signed bytes and *out points into them.
 * BN_ENOTFOUND when the authority has published none (404). */
int sync_fetch_revocations(const sync_conf_t *c, uint8_t **list, size_t *len,
                           cert_revoked_t *out, char *why, size_t whylen);

/* --- petition counters ---------------------------------------------------- */
typedef struct sync_counter_s {
    int64_t signatures;          /* distinct persons with a valid signature */
    int64_t cantons;             /* distinct cantons of those persons */
    int64_t threshold, min_cantons;
    int reached;                 /* both thresholds met */
    int64_t days_left;
} sync_counter_t;

/* GET /v1/petitions/ID/counter (docs/api.md): the server's live counter of
 * a petition, for the kiosk's screen. BN_ENOTFOUND if the campaign is not
 * a petition served there; BN_EFORMAT for an answer without these fields. */
/* GET /v1/health: the time of the server's last verified backup (0: none;
 * BN_ENOTFOUND from a server that does not say). */
int sync_fetch_backup_ms(const sync_conf_t *c, int64_t *out, char *why, size_t whylen);

int sync_fetch_counter(const sync_conf_t *c, const char *id, sync_counter_t *out,
                       char *why, size_t whylen);

#endif
