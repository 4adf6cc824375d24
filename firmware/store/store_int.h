/* store_int.h - the store's insides, shared by its own files only (store.c,
 * store_slot.c, store_unsent.c, store_audit.c); never included elsewhere. */
#ifndef STORE_INT_H
#define STORE_INT_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "ballot.h"
#include "pkg.h"
#include "pseud.h"
#include "store.h"

/* --- hashed slot tables (store_slot.c): the box and the register -------- */

/* A table of fixed-size buckets, each a blob of 1 + per_bucket * entry_len
 * bytes: a count, then that many entries sorted by their first key_len
 * bytes, then zeros. Row -1 holds the header (number of buckets and of
 * entries, 8 bytes each, big-endian). An entry's home bucket is 4 bytes of
 * it (at home_off, random to anyone) modulo the number of buckets. */
typedef struct slot_spec_s {
    const char *table;
    size_t entry_len, key_len, home_off;
    int per_bucket;
    int64_t first_buckets;
} slot_spec_t;

typedef struct slot_tab_s {
    const slot_spec_t *spec;
    const char *name;            /* the table this handle's statements name */
    sqlite3_stmt *get, *put;
} slot_tab_t;

#define SLOT_MAX_ENTRY 1216
#define SLOT_MAX_CELL 2048

/* Box entry: ballot id, campaign (NUL-padded), length (2 bytes BE), ballot. */
#define BOX_OFF_ID 0
#define BOX_OFF_CAMPAIGN 16
#define BOX_OFF_LEN 32
#define BOX_OFF_BALLOT 34
#define BOX_ENTRY_LEN (BOX_OFF_BALLOT + BALLOT_MAX_LEN)
/* Register entry: campaign (NUL-padded), pseudonym, day (4 bytes BE), flags. */
#define REG_OFF_CAMPAIGN 0
#define REG_OFF_PSEUDONYM 16
#define REG_OFF_DAY 48
#define REG_OFF_FLAGS 52
#define REG_ENTRY_LEN 53
#define REG_FLAG_OFFLINE 1
#define REG_FLAG_PETITION 2      /* a petition signer: the record carries the entry */

/* Voting codes (schema 5, CAST-C8): issued (campaign, code hash, day (4 BE),
 * territory (2 BE)) and used (campaign, code hash), keyed by the hash. */
#define VC_OFF_CAMPAIGN 0
#define VC_OFF_HASH 16
#define VC_OFF_DAY 48
#define VC_OFF_TERRITORY 52
#define VC_ISSUED_LEN 54
#define VC_USED_LEN 48

/* A questionnaire's free text (schema 8, STORE-S14), in parts: text id,
 * part number, number of parts, campaign (NUL-padded), length (2 bytes
 * BE), bytes; keyed by (id, part), homed by the id. */
#define QT_OFF_ID 0
#define QT_OFF_PART 16
#define QT_OFF_PARTS 17
#define QT_OFF_CAMPAIGN 18
#define QT_OFF_LEN 34
#define QT_OFF_BYTES 36
#define QT_PART_LEN 1180
#define QT_ENTRY_LEN (QT_OFF_BYTES + QT_PART_LEN)

extern const slot_spec_t store_box_spec, store_reg_spec, store_vci_spec, store_vcu_spec,
    store_qt_spec;

/* Creates table `name` (spec's layout) with nb empty buckets. */
int slot_create(sqlite3 *db, const slot_spec_t *spec, const char *name, int64_t nb);
int slot_open(sqlite3 *db, const slot_spec_t *spec, const char *name, slot_tab_t *t);
void slot_close(slot_tab_t *t);
/* 1 and the entry (if out != NULL) when an entry with key's first key_len
 * bytes is there, 0 if not, or a BN_E code. */
int slot_find(slot_tab_t *t, const uint8_t *key, uint8_t *out);
/* Adds an entry (BN_EALREADY when its key is there), growing the table
 * when it would pass half full. Inside the caller's transaction. */
int slot_add(sqlite3 *db, slot_tab_t *t, const uint8_t *entry);
/* Calls fn for each entry, in bucket order. */
typedef int (*slot_fn)(void *arg, const uint8_t *entry);
int slot_each(slot_tab_t *t, sqlite3 *db, slot_fn fn, void *arg);
/* Number of entries and of buckets (the header). */
int slot_header(slot_tab_t *t, int64_t *nb, int64_t *count);

/* --- what is not yet synced (store_unsent.c) ------------------------------ */

typedef struct unsent_s unsent_t;
void unsent_free(unsent_t *u);

/* --- the handle ----------------------------------------------------------- */

struct store_s {
    sqlite3 *db;
    int max_local;               /* (STORE-S7) largest payload kept in a b-tree page */
    /* cached for the cast path */
    sqlite3_stmt *begin, *commit, *rollback;
    sqlite3_stmt *campaign_known, *sig_insert, *turnout_add;
    slot_tab_t box, reg;         /* (STORE-S11) */
    slot_tab_t vci, vcu;         /* voting codes issued and used (CAST-C8) */
    slot_tab_t qt;               /* a questionnaire's free texts (STORE-S14) */
    unsent_t *unsent;            /* (STORE-S12) in memory only */
};

/* The campaign id as a 16-byte NUL-padded field; BN_EINVAL if longer. */
int store__campaign_field(const char *campaign, uint8_t out[PKG_ID_MAX]);

#endif
