/* outbox.h - the kiosk's outbox as signed bundles (the sync client's and the
 * USB export's source): the store's unsynced items of a campaign, in key
 * order, into a bundle; and the items of an acknowledged bundle marked synced. */
#ifndef OUTBOX_H
#define OUTBOX_H

#include <stddef.h>
#include <stdint.h>

#include "bundle.h"
#include "key.h"
#include "store.h"

/* (SYNC-Y4) What a bundle carries: who took part (register entries,
 * petition signature records and ideas, which carry a pseudonym), or ballots; never both, so that no bundle
 * pairs a person with a choice. */
typedef enum {
    OUTBOX_PARTICIPATION = 1,
    OUTBOX_BALLOTS = 2
} outbox_part_t;

/* Builds and signs a bundle of at most max_items of the store's outbox items
 * of `campaign` of one part (in the outbox's key order: random ballot ids;
 * register entries by pseudonym, then petition signatures by random id),
 * sets *n_items to the number it holds (0: *out is still a valid, empty
 * bundle). BN_ECORRUPT if an outbox item has no ballot or register row. */
int outbox_bundle(store_t *s, const char *campaign, outbox_part_t part, uint64_t seq,
                  const uint8_t *cert, size_t cert_len, const signer_t *signer,
                  size_t max_items, uint8_t **out, size_t *len, size_t *n_items);

/* A walk over the outbox in several bundles without marking anything (the
 * USB export): each call takes the items after the last one the cursor
 * holds, in the outbox's key order, and moves the cursor. Zero it to start. */
typedef struct outbox_cursor_s {
    int set, kind;
    uint8_t key[32];
} outbox_cursor_t;
int outbox_bundle_after(store_t *s, const char *campaign, outbox_part_t part, uint64_t seq,
                        const uint8_t *cert, size_t cert_len, const signer_t *signer,
                        size_t max_items, outbox_cursor_t *cur, uint8_t **out, size_t *len,
                        size_t *n_items);

/* The next bundle sequence number of this kiosk (meta "sync.seq"), for
 * the link and the export alike. */
int outbox_next_seq(store_t *s, uint64_t *seq);

/* Marks every ballot, register entry, signature and idea of a decoded bundle synced
 * (store_outbox_done): call it once the server acknowledged the bundle. */
int outbox_done(store_t *s, const bundle_t *b);

#endif
