/* srv_store.h - the server's durable store, behind one small interface.
 *
 * The embedded implementation is SQLite (srv_store_sqlite.c, synchronous=FULL);
 * PostgreSQL could take its place by implementing these functions. All the
 * items of one bundle go in through ONE call (srv_store_put_bundle) that is
 * one transaction: all of it is held afterwards, or none of it.
 *
 * What it holds (and what it never holds):
 *   ballots    ballot id (PK), campaign, kiosk key id, tracking code, the
 *              signed ballot; key-ordered (WITHOUT ROWID), no time at all.
 *   register   (campaign, pseudonym, kiosk) PK, day, offline flag; no link
 *              to any ballot (DESIGN-S1).
 *   reports    closing reports (campaign, kiosk, SHA-256 of the report) PK.
 *   bundles    bundle digest (PK) -> campaign, kiosk, day, acknowledgement.
 *   bundle_bytes  bundle digest (PK) -> campaign, kiosk, the bundle's exact
 *              signed bytes, stored in the bundle's own transaction (schema
 *              3; bundles accepted under schema 2 have a `bundles` row and
 *              no bytes). The interface that borne-tally --server-db reads
 *              with plain SQL (docs/architecture.md, "Bundle bytes").
 *   petitions  petition signature records: signature id (PK), campaign, kiosk
 *              key id, pseudonym (de-duplication across kiosks), canton,
 *              day, tracking code, the signed record (identity sealed to
 *              the authority, DESIGN-S5); WITHOUT ROWID.
 *   kiosk_keys kiosk key id (PK) -> public key, to re-verify and count the
 *              petition records (petition_count).
 *   reserve    pseudonym reservations (campaign, pseudonym) PK, kiosk, day.
 *   kiosks     (kiosk, campaign) -> last upload time (seconds).
 *   refusals   time, reason, kiosk (if known), detail; never a choice.
 *   track_keys campaign id -> tracking key (track_key of the campaign
 *              secret); never served. The server never holds the pseudonym
 *              secret itself (SRV-S6).
 *
 * Thread safety: a store is used by one thread at a time (the HTTP layer
 * holds a mutex around every call). Errors are BN_E* codes. */
#ifndef SRV_STORE_H
#define SRV_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "key.h"

typedef struct srv_store_s srv_store_t;

/* Opens (creating) the store at path. BN_ECORRUPT, BN_EIO, BN_ESCHEMA. */
int srv_store_open(const char *path, srv_store_t **out, char *why, size_t whylen);
void srv_store_close(srv_store_t *s);

/* (SRV-P1) A second connection to the same store, read-only, for the
 * public endpoints (receipts, counters, metrics): in WAL mode its reads
 * never wait for the writer nor hold it up. Creates nothing; the store
 * must exist (srv_store_open first). */
int srv_store_open_reader(const char *path, srv_store_t **out, char *why, size_t whylen);

/* PRAGMA integrity_check: 0 or BN_ECORRUPT with the first complaint. */
int srv_store_check(srv_store_t *s, char *why, size_t whylen);

/* Tracking keys (insert or replace) and lookups. BN_ENOTFOUND. */
int srv_store_put_track_key(srv_store_t *s, const char *campaign, const uint8_t key[32]);
int srv_store_get_track_key(srv_store_t *s, const char *campaign, uint8_t key[32]);

/* One item of a bundle, as handed to srv_store_put_bundle. */
typedef struct srv_ballot_s {
    const uint8_t *id;          /* 16 bytes */
    const uint8_t *bytes;       /* signed ballot */
    size_t len;
    char track[16];             /* "XXXX-XXXX-XXXX" */
} srv_ballot_t;

typedef struct srv_reg_s {
    const uint8_t *pseudonym;   /* 32 bytes */
    uint32_t day;
    int offline;
} srv_reg_t;

typedef struct srv_sig_s {
    const uint8_t *id;          /* 16 bytes: the signature id */
    const uint8_t *bytes;       /* PETITION_LEN bytes */
    const uint8_t *pseudonym;   /* 32 bytes */
    const char *canton;
    uint32_t day;
    char track[16];
} srv_sig_t;

typedef struct srv_bundle_items_s {
    const char *campaign;
    const uint8_t *kiosk;       /* key id, 32 bytes */
    const uint8_t *digest;      /* SHA-256 of the whole bundle */
    uint32_t today;
    int64_t now;                /* seconds, for the kiosk's last upload only */
    size_t n_ballots, n_register, n_reports;
    const srv_ballot_t *ballots;
    const srv_reg_t *registers;
    const uint8_t *const *reports; /* closing reports (report.h), report_lens[i] bytes */
    const size_t *report_lens;
    size_t n_signatures;
    const srv_sig_t *signatures;
    const uint8_t *kiosk_pub;   /* KEY_PUB_LEN bytes, kept when n_signatures > 0 */
    uint8_t *sig_added;         /* out (may be NULL): per signature, 1 when this call
                                   stored it, 0 when it was held already */
    const uint8_t *bytes;       /* the whole signed bundle (digest is its SHA-256) */
    size_t len;
} srv_bundle_items_t;

/* What the store holds from one kiosk for one campaign. */
typedef struct srv_held_s {
    int64_t ballots, registers, reports, signatures;
    uint8_t ids_digest[32];     /* ballot_ids_digest (ballot.h) */ /* */
} srv_held_t;

/* Stores every item, and the bundle's bytes under its digest, in one
 * transaction. Items already held identically are skipped, bytes already
 * held under the digest too; *added (may be NULL) gets the number of new
 * items (the bytes are not an item: a bundle held before schema 3 and sent
 * again gets its bytes stored and *added 0). bytes NULL: BN_EINVAL. A ballot id
 * held with other bytes, or a register entry of this kiosk held with
 * another day or offline flag: BN_EEXISTS, nothing stored, the item named
 * in `why`. BN_EFULL, BN_EIO, BN_ESTORE. */
int srv_store_put_bundle(srv_store_t *s, const srv_bundle_items_t *b, size_t *added,
                         char *why, size_t whylen);

/* A bundle held, as srv_store_bundle_each gives it. */
typedef struct srv_bundle_row_s {
    const uint8_t *digest;      /* 32 bytes */
    const char *campaign;
    const uint8_t *kiosk;       /* key id, 32 bytes */
    const uint8_t *bytes;       /* NULL: held without its bytes (accepted under schema 2) */
    size_t len;
} srv_bundle_row_t;

/* Every bundle held (`campaign` NULL: of every campaign), in digest order,
 * from one consistent snapshot: row(arg, r) for each; a non-zero return
 * stops the walk and is returned. The row's pointers live until row returns. */
int srv_store_bundle_each(srv_store_t *s, const char *campaign,
                          int (*row)(void *arg, const srv_bundle_row_t *r), void *arg);

/* Records the acknowledgement of a bundle (insert or ignore). */
int srv_store_put_ack(srv_store_t *s, const uint8_t digest[32], const char *campaign,
                      const uint8_t kiosk[32], uint32_t day, const char *ack);

/* Counts and ballot-id digest of (campaign, kiosk). */
int srv_store_held(srv_store_t *s, const char *campaign, const uint8_t kiosk[32],
                   srv_held_t *out);

/* Every petition record held for `campaign`, with its kiosk's public key:
 * row(arg, record, len, kiosk_pub) for each, in signature-id order. */
int srv_store_petition_each(srv_store_t *s, const char *campaign,
                            int (*row)(void *arg, const uint8_t *rec, size_t len,
                                       const uint8_t *pub, size_t pub_len),
                            void *arg);

/* Number of petition records held for `campaign` (all kiosks). */
int srv_store_petition_total(srv_store_t *s, const char *campaign, int64_t *n);

/* Persons (pseudonyms) who signed `campaign` at more than one kiosk, as
 * pairs of kiosks: pair(arg, kiosk_a, kiosk_b, persons), kiosk_a < kiosk_b. */
int srv_store_petition_pairs(srv_store_t *s, const char *campaign,
                             void (*pair)(void *arg, const uint8_t *a, const uint8_t *b,
                                          int64_t persons),
                             void *arg);

/* 1 if a ballot or a petition signature with this tracking code is held,
 * 0 if not, or BN_E*. */
int srv_store_has_track(srv_store_t *s, const char *track);

/* Atomic reservation: 1 if reserved for this kiosk (now, or already by the
 * same kiosk and not yet in the register), 0 if another kiosk holds a
 * reservation that has not lapsed, or a register entry or a petition
 * signature holds the pseudonym, or BN_E*. (SRV-R2) A reservation lapses
 * at `until` (seconds; 0: a reservation made before schema 4, which does
 * not): one no register entry followed blocks nobody for good. */
int srv_store_reserve(srv_store_t *s, const char *campaign, const uint8_t pseudonym[32],
                      const uint8_t kiosk[32], uint32_t day, int64_t now, int64_t until);

/* (SRV-R2) Drops the reservations of these kiosks (n key ids, each at the
 * start of a `stride`-byte entry: a revocation list's) that no register
 * entry followed; *released (may be NULL) counts them. */
int srv_store_release_reservations(srv_store_t *s, const uint8_t *ids, size_t stride,
                                   uint32_t n, size_t *released);

/* Appends to the refusals log. kiosk may be NULL. */
int srv_store_refusal(srv_store_t *s, int64_t now, const char *reason, const uint8_t *kiosk,
                      const char *detail);

/* Metrics as a malloc'd JSON text (cJSON printed): per campaign, per kiosk,
 * refusals by reason. */
int srv_store_metrics(srv_store_t *s, char **json);

/* Total ballots held (all campaigns) and refusals logged, for tests. */
int srv_store_totals(srv_store_t *s, int64_t *ballots, int64_t *registers, int64_t *refusals);

#endif
