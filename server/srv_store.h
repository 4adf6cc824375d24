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
 *   ideas      (schema 5) idea records of a call for ideas: idea id (PK),
 *              campaign, kiosk key id, pseudonym (the limit per person
 *              across kiosks), day, tracking code, the signed record (its
 *              contact sealed to the authority, IDEA-I1), and the current
 *              moderation: status, reason, comment, merged into; WITHOUT
 *              ROWID (random id order).
 *   texts      (schema 5) a questionnaire's free texts: text id (PK), campaign,
 *              kiosk key id, the signed record; nothing of who wrote it or of
 *              their other answers; WITHOUT ROWID.
 *   moderation (schema 5) every moderation decision, in order, with the
 *              moderator's name, hash-chained (SRV-M2): the audit log of
 *              the participation team; never rewritten.
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

/* An idea of a bundle (idea.h), as handed to srv_store_put_bundle. */
typedef struct srv_idea_s {
    const uint8_t *id;          /* 16 bytes */
    const uint8_t *bytes;       /* the signed record */
    size_t len;
    const uint8_t *pseudonym;   /* 32 bytes */
    uint32_t day;
    char track[16];
} srv_idea_t;

/* A questionnaire's free text (answers.h), as handed to srv_store_put_bundle. */
typedef struct srv_text_s {
    const uint8_t *id;          /* 16 bytes */
    const uint8_t *bytes;
    size_t len;
} srv_text_t;

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
    size_t n_ideas;             /* ideas of a call for ideas (schema 5) */
    const srv_idea_t *ideas;
    int idea_limit;             /* the package's ideas.max_per_person */
    int64_t *ideas_over;        /* out (may be NULL): new ideas past the limit (SRV-M3) */
    size_t n_texts;             /* a questionnaire's free texts (schema 5) */
    const srv_text_t *texts;
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

/* Each free text of `campaign` (NULL: all), in id order: fn(arg, record,
 * len, kiosk public key or NULL, its length). */
int srv_store_text_each(srv_store_t *s, const char *campaign,
                        int (*fn)(void *arg, const uint8_t *rec, size_t len, const uint8_t *pub,
                                  size_t pub_len),
                        void *arg);

/* 1 if a ballot, a petition signature or an idea with this tracking code
 * is held, 0 if not, or BN_E*. */
int srv_store_has_track(srv_store_t *s, const char *track);

/* --- ideas and their moderation (schema 5, srv_store_ideas.c) ------------- */

#define SRV_IDEA_PENDING "pending"
#define SRV_IDEA_ACCEPTED "accepted"
#define SRV_IDEA_REJECTED "rejected"
#define SRV_IDEA_MERGED "merged"
#define SRV_REASON_LIMIT "limit"          /* set by the server itself (SRV-M3) */
#define SRV_MODERATOR_MAX 64
#define SRV_COMMENT_MAX 2000              /* bytes of a moderator's comment */

/* An idea held, as the walks give it (pointers live until the callback
 * returns). reason and comment are "" when none; merged_into NULL. */
typedef struct srv_idea_row_s {
    const uint8_t *id;          /* 16 bytes */
    const char *campaign;
    const uint8_t *kiosk;       /* key id, 32 bytes */
    const uint8_t *kiosk_pub;   /* KEY_PUB_LEN bytes, or NULL */
    uint32_t day;
    const char *track;
    const uint8_t *record;
    size_t len;
    const char *status, *reason, *comment;
    const uint8_t *merged_into; /* 16 bytes, or NULL */
    int64_t decisions;          /* moderation decisions taken on it */
} srv_idea_row_t;
typedef int (*srv_idea_fn)(void *arg, const srv_idea_row_t *r);

/* Every idea of `campaign` (NULL: all) with `status` (NULL: any), in idea
 * id order; a non-zero return from fn stops the walk and is returned. */
int srv_store_idea_each(srv_store_t *s, const char *campaign, const char *status,
                        srv_idea_fn fn, void *arg);
/* One idea: fn called once, or BN_ENOTFOUND. */
int srv_store_idea_get(srv_store_t *s, const uint8_t id[16], srv_idea_fn fn, void *arg);
/* The idea whose id starts with `hex` (at least 4 hex digits, any case):
 * BN_EINVAL (not hex, too short), BN_ENOTFOUND, BN_EEXISTS (ambiguous). */
int srv_store_idea_find(srv_store_t *s, const char *hex, uint8_t id[16]);

/* A moderation decision. */
typedef struct srv_decision_s {
    const uint8_t *id;          /* the idea, 16 bytes */
    const char *status;         /* SRV_IDEA_*: pending reopens it */
    const char *reason;         /* rejected: the package's reason id; else NULL */
    const char *comment;        /* NULL or "": none */
    const uint8_t *into;        /* merged: the idea kept (16 bytes); else NULL */
    const char *moderator;      /* who decides, 1..SRV_MODERATOR_MAX bytes */
    int64_t now;                /* seconds */
} srv_decision_t;

/* (SRV-M2) In one transaction: the decision appended to the moderation log
 * (hash-chained) and the idea's current moderation set. A decision on an
 * idea already decided is a revision: the log keeps every one. BN_ENOTFOUND
 * (the idea or the one merged into), BN_EINVAL (a merge into itself, into
 * an idea of another campaign, into an idea itself merged, of an idea that
 * others were merged into; a bad field), named in `why`. *seq (may be
 * NULL): the log entry's number. */
int srv_store_idea_decide(srv_store_t *s, const srv_decision_t *d, int64_t *seq, char *why,
                          size_t whylen);

/* A moderation log entry. */
typedef struct srv_mod_row_s {
    int64_t seq, time;
    const char *moderator, *campaign, *status, *reason, *comment;
    const uint8_t *idea;        /* 16 bytes */
    const uint8_t *into;        /* 16 bytes or NULL */
    const uint8_t *hash;        /* 32 bytes */
} srv_mod_row_t;

/* The log in order, of `campaign` (NULL: all) and of idea `id` (NULL: all). */
int srv_store_moderation_each(srv_store_t *s, const char *campaign, const uint8_t *id,
                              int (*fn)(void *arg, const srv_mod_row_t *r), void *arg);
/* (SRV-M2) Recomputes the chain: 0 with the head hash and the number of
 * entries, or BN_ECORRUPT naming the first entry that does not hold. */
int srv_store_moderation_verify(srv_store_t *s, uint8_t head[32], int64_t *n, char *why,
                                size_t whylen);

/* What a tracking code names: kind 0 nothing, 1 a ballot, 2 a petition
 * signature, 3 an idea (with its moderation; for a merged idea, the status
 * of the idea it was merged into in into_status). */
typedef struct srv_track_info_s {
    int kind;
    char campaign[17];
    char status[16], reason[17], into_status[16];
    char comment[SRV_COMMENT_MAX + 1];
    uint8_t id[16], into[16];
} srv_track_info_t;
int srv_store_track_info(srv_store_t *s, const char *track, srv_track_info_t *out);

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
