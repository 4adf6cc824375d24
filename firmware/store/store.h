/* store.h - the kiosk's durable store (SQLite): campaigns, the register, the
 * ballot box, petition signatures, the outbox of what is not yet synced, and
 * the audit log.
 *
 * Durability: synchronous=FULL with a TRUNCATE rollback journal, one
 * transaction per cast: when store_cast() returns 0 the ballot survives a
 * crash or a power cut at any later instant; when it fails nothing of it was
 * written. Secrecy: see the numbered invariants in store.c. */
#ifndef STORE_H
#define STORE_H

#include <stddef.h>
#include <stdint.h>

#include "pseud.h"

#define STORE_SCHEMA_VERSION 8

#define STORE_COMMUNE_LEN 5 /* an INSEE code: 5 characters of [0-9AB] */

typedef struct store_s store_t;

/* Opens (creating if needed) the store at `path` and migrates its schema to
 * STORE_SCHEMA_VERSION. BN_ESCHEMA for a newer schema, BN_ECORRUPT for a file
 * that is not a sound store, BN_EIO; `why` says which and where. */
int store_open(const char *path, store_t **out, char *why, size_t whylen);

/* Closes the store; NULL is accepted. */
void store_close(store_t *s);

/* Runs SQLite's PRAGMA quick_check over the whole file: 0, or BN_ECORRUPT
 * with SQLite's first complaint in `why`. Grows with the file (about 10 ms
 * for 10,000 ballots, 80 ms for 100,000), so store_open() does not run it:
 * the kiosk runs it when the polls open and before the closing report. */
int store_check(store_t *s, char *why, size_t whylen);

/* Rewrites the whole file in key order (VACUUM), which erases the one trace
 * of the cast order that SQLite's in-page cell placement leaves (store.c,
 * (STORE-S6)). Transactional: a crash during it leaves the store as it was. Run
 * when the polls open and close, and at start-up (about 50 ms for 10,000
 * ballots, 300 ms for 100,000). BN_EFULL if the disk lacks room for a copy. */
int store_compact(store_t *s, char *why, size_t whylen);

/* --- campaigns --------------------------------------------------------- */

/* Records a campaign's signed package file and its secret (insert or
 * replace, one transaction). */
int store_put_campaign(store_t *s, const char *campaign, const uint8_t *package, size_t len,
                       const uint8_t secret[32]);

/* Reads them back; *package is malloc'd. BN_ENOTFOUND. */
int store_get_campaign(store_t *s, const char *campaign, uint8_t **package, size_t *len,
                       uint8_t secret[32]);

/* --- small settings (poll state, kiosk configuration) ------------------- */

int store_meta_set(store_t *s, const char *key, const char *value);
/* Copies the value into out (cap bytes with the NUL); BN_ENOTFOUND. */
int store_meta_get(store_t *s, const char *key, char *out, size_t cap);

/* --- casting ----------------------------------------------------------- */

/* A questionnaire's free text, cast with its answers (answers.h). */
typedef struct store_text_s {
    const uint8_t *text_id;      /* 16 bytes, random */
    const uint8_t *record;       /* signed record (answers.h, "BRNT") */
    size_t record_len;           /* 1..STORE_TEXT_MAX */
} store_text_t;

#define STORE_TEXT_MAX 3600      /* bytes of a text record (STORE-S14) */
#define STORE_TEXT_PARTS 4       /* ... in parts of 1,180 bytes at most */

typedef struct store_cast_s {
    const char *campaign;
    uint8_t pseudonym[PSEUD_LEN];
    uint32_t day;                /* the day of the cast, nothing finer */
    int offline;                 /* 1 when the server could not be asked */
    const char *commune;         /* the voter's commune, INSEE code: counted in
                                  * `turnout` only, never kept with the entry
                                  * or the ballot (store.c, (STORE-S9)) */
    const uint8_t *ballot_id;    /* 16 bytes */
    const uint8_t *ballot;       /* signed encoding (ballot.h) */
    size_t ballot_len;
    const store_text_t *texts;   /* a questionnaire's free texts (STORE-S14), or NULL */
    int n_texts;
} store_cast_t;

/* Casts in one transaction: the register entry and the ballot, each in
 * the slot its key gives (STORE-S11), a questionnaire's free texts apart
 * (STORE-S14), and 1 added to the commune's turnout counter; all of it or
 * nothing. BN_EINVAL for a commune that is not 5
 * characters of [0-9AB] or a campaign id longer than PKG_ID_MAX (nothing
 * written), BN_EALREADY if the pseudonym is already in
 * the register for this campaign (nothing written), BN_EEXISTS for a ballot
 * id already in the box, BN_EFULL (disk full), BN_EIO, BN_ECORRUPT. */
int store_cast(store_t *s, const store_cast_t *c);

/* 1 if the pseudonym is in the register of the campaign, 0 if not, or a
 * negative BN_E* code. */
int store_has_voted(store_t *s, const char *campaign, const uint8_t pseudonym[PSEUD_LEN]);

/* 1 if `commune` is an INSEE code as the store keeps it: exactly 5
 * characters of [0-9AB]; 0 otherwise (NULL and "" included). */
int store_commune_valid(const char *commune);

/* Calls fn for each turnout counter of the campaign (schema 3): the commune
 * and its number of register entries (>= 1), in increasing commune order.
 * Only casts count (store_cast); petitions do not. A non-zero return from
 * fn stops the walk and is returned; BN_ECORRUPT for a row that breaks the
 * schema. */
typedef int (*store_turnout_fn)(void *arg, const char *commune, int64_t n);
int store_turnout_each(store_t *s, const char *campaign, store_turnout_fn fn, void *arg);

/* Register entries and ballots of a campaign. */
int store_counts(store_t *s, const char *campaign, int64_t *registered, int64_t *ballots);

/* --- supervised eligibility: voting codes (schema 5, cast.h CAST-C8) ------ */

/* The desk: in one transaction, the register entry (as store_cast writes
 * it), 1 added to the commune's turnout counter, and the issued code
 * (its keyed hash, its day, the person's territory) -- nothing that ties the
 * code to the entry. BN_EALREADY if the pseudonym is in the register
 * (nothing written), BN_EEXISTS for a code hash already issued. */
int store_issue_code(store_t *s, const char *campaign, const uint8_t pseudonym[PSEUD_LEN],
                     uint32_t day, int offline, const char *commune, const uint8_t code_hash[32],
                     int territory);

/* A code's issue: *day and *territory, *used 1 when a ballot was cast with
 * it. BN_ENOTFOUND for a code this kiosk did not issue for the campaign. */
int store_code_get(store_t *s, const char *campaign, const uint8_t code_hash[32], uint32_t *day,
                   int *territory, int *used);

/* The kiosk: in one transaction, the code marked used and the ballot in
 * the box (c->pseudonym and c->commune are not used: the register entry
 * was written at the desk). BN_EALREADY when the code was used. */
int store_cast_code(store_t *s, const store_cast_t *c, const uint8_t code_hash[32]);

/* Calls fn with the day of each register entry of the campaign, in slot
 * order (which says nothing of the order of the casts); for the per-day
 * counts of the poll reports. A non-zero return from fn stops the walk. */
typedef int (*store_day_fn)(void *arg, uint32_t day);
int store_register_days(store_t *s, const char *campaign, store_day_fn fn, void *arg);

/* Calls fn for each ballot of the campaign (NULL: all campaigns), in storage
 * order, which is the order of the random ballot ids. A non-zero return from
 * fn stops the walk and is returned. */
typedef int (*store_ballot_fn)(void *arg, const uint8_t *ballot, size_t len);
int store_each_ballot(store_t *s, const char *campaign, store_ballot_fn fn, void *arg);

/* One ballot by id; *out is malloc'd. BN_ENOTFOUND. */
int store_get_ballot(store_t *s, const uint8_t id[16], uint8_t **out, size_t *len);

/* The register entry of `pseudonym` in `campaign`: its day and offline flag.
 * BN_ENOTFOUND, BN_ECORRUPT for a row out of range. */
int store_get_register(store_t *s, const char *campaign, const uint8_t pseudonym[32],
                       uint32_t *day, int *offline);

/* --- petition signatures (schema 2) -------------------------------------- */

typedef struct store_sign_s {
    const char *campaign;
    uint8_t pseudonym[PSEUD_LEN];
    uint32_t day;                /* the day of the signature, nothing finer */
    int offline;                 /* 1 when the server could not be asked */
    const uint8_t *sig_id;       /* 16 bytes, random */
    const uint8_t *record;       /* sealed record (petition.h) */
    size_t record_len;
} store_sign_t;

/* Signs in one transaction: the register entry (marked a petition's: the
 * record carries the pseudonym and the day, so the outbox lists the
 * record, STORE_ITEM_SIGNATURE, and no register item) and the sealed
 * record in the `signature` table. All of it or nothing. BN_EALREADY if the
 * pseudonym is already in the register of the campaign (nothing written),
 * BN_EEXISTS for a signature id already there, BN_ENOTFOUND for a campaign
 * not recorded, BN_EFULL, BN_EIO, BN_ECORRUPT. */
int store_sign(store_t *s, const store_sign_t *c);

/* Calls fn for each signature record of the campaign (NULL: all), in the
 * order of the random signature ids. A non-zero return from fn stops the
 * walk and is returned. */
typedef int (*store_record_fn)(void *arg, const uint8_t *rec, size_t len);
int store_each_signature(store_t *s, const char *campaign, store_record_fn fn, void *arg);

/* One signature record by id; *out is malloc'd. BN_ENOTFOUND. */
int store_get_signature(store_t *s, const uint8_t id[16], uint8_t **out, size_t *len);

/* The kiosk's own counters for a petition: signature records, and distinct
 * cantons among them (read from the records' canton field). */
int store_petition_counts(store_t *s, const char *campaign, int64_t *signatures,
                          int64_t *cantons);

/* --- ideas of a call for ideas (schema 6, issue 17) ---------------------- */

typedef struct store_idea_s {
    const char *campaign;
    uint8_t pseudonym[PSEUD_LEN];    /* the person in the campaign (pseud.h) */
    const uint8_t *idea_id;          /* 16 bytes, random */
    const uint8_t *record;           /* signed record (idea.h) */
    size_t record_len;               /* 1..STORE_IDEA_MAX */
    int max_per_person;              /* the package's ideas.max_per_person */
} store_idea_t;

#define STORE_IDEA_MAX 7200          /* bytes of a record: 4 parts (STORE-S13) */

/* Keeps an idea in one transaction (STORE-D2): the count of the person's
 * ideas in the campaign is checked and the record written, in parts that
 * each fit a page, under its random id (STORE-S13). BN_EALREADY when the
 * person already proposed max_per_person ideas here (nothing written),
 * BN_EEXISTS for an id already there, BN_ENOTFOUND for a campaign not
 * recorded, BN_ETOOBIG, BN_EFULL, BN_EIO, BN_ECORRUPT. The idea is then in
 * the outbox (STORE_ITEM_IDEA), sent with the participation part. */
int store_propose(store_t *s, const store_idea_t *c);

/* How many ideas the person proposed in the campaign at this kiosk. */
int store_ideas_of(store_t *s, const char *campaign, const uint8_t pseudonym[PSEUD_LEN], int *n);

/* Calls fn for each idea record of the campaign (NULL: all), whole, in the
 * order of the random idea ids. */
int store_each_idea(store_t *s, const char *campaign, store_record_fn fn, void *arg);

/* One idea record by id; *out is malloc'd. BN_ENOTFOUND. */
int store_get_idea(store_t *s, const uint8_t id[16], uint8_t **out, size_t *len);

/* --- a questionnaire's free texts (schema 7) ------------------------------ */

/* Each text record of the campaign (NULL: all), in the order of the random
 * text ids (STORE-S14). */
int store_each_text(store_t *s, const char *campaign, store_record_fn fn, void *arg);
/* One text record by id; *out is malloc'd. BN_ENOTFOUND. */
int store_get_text(store_t *s, const uint8_t id[16], uint8_t **out, size_t *len);

/* --- outbox ------------------------------------------------------------ */

typedef enum {
    STORE_ITEM_BALLOT = 1,       /* key: ballot id (16 bytes) */
    STORE_ITEM_REGISTER = 2,     /* key: pseudonym (32 bytes) */
    STORE_ITEM_SIGNATURE = 3,    /* key: petition signature id (16 bytes) */
    STORE_ITEM_IDEA = 4,         /* key: idea id (16 bytes) */
    STORE_ITEM_TEXT = 5          /* key: free-text id (16 bytes), with the ballots */
} store_item_t;

/* The outbox is this handle's memory, never the file (store_unsent.c,
 * (STORE-S12)): the first read finds every ballot, signature, idea and
 * budget register entry of the store unsent, and each read adds what any handle
 * cast since. So a new process sends everything again (the server skips
 * what it holds), and a copy of the file cannot tell the recent casts.
 *
 * Calls fn for each item not yet synced, in key order (random ids and
 * pseudonyms, never the cast order): key is the ballot id, the pseudonym,
 * the signature id or the idea id (store_item_t). */
typedef int (*store_outbox_fn)(void *arg, store_item_t kind, const char *campaign,
                               const uint8_t *key, size_t keylen);
int store_outbox_each(store_t *s, store_outbox_fn fn, void *arg);

/* Marks an item synced (removes it from this handle's outbox). */
int store_outbox_done(store_t *s, store_item_t kind, const uint8_t *key, size_t keylen);

int store_outbox_count(store_t *s, int64_t *n);

/* Puts every ballot, signature and register entry of a campaign back in the
 * outbox (those still there stay once), so that the next upload sends them
 * all again: the repair when a server was restored from an old copy of its
 * database (uploads are idempotent). *added (may be NULL): items added. */
int store_outbox_requeue(store_t *s, const char *campaign, int64_t *added);

/* --- audit log (store_audit.c) ------------------------------------------ */

#define STORE_AUDIT_HASH_LEN 32

/* Appends an event ("polls-opened", "package-loaded", ...) with a detail
 * text; never a choice, never a per-ballot event. The log is hash-chained:
 * hash = SHA-256(prev hash || seq || time || event || detail). */
int store_audit_append(store_t *s, const char *event, const char *detail);

/* Recomputes the chain; BN_ECORRUPT with the first bad entry in `why`.
 * Gives the head hash and the number of entries. */
int store_audit_verify(store_t *s, uint8_t head[STORE_AUDIT_HASH_LEN], int64_t *n,
                       char *why, size_t whylen);

/* The raw SQLite handle, for tests and the store's own modules only. */
struct sqlite3 *store__db(store_t *s);

/* The BN_E code of an SQLite result code (primary or extended), for the
 * store's own modules (store.c, store_audit.c). */
int store__rc(int rc);

#endif
