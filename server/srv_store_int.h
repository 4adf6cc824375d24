/* srv_store_int.h - what the store's own files share (srv_store_sqlite.c,
 * srv_store_ideas.c); nothing else includes it. */
#ifndef SRV_STORE_INT_H
#define SRV_STORE_INT_H

#include <sqlite3.h>

#include "srv_store.h"

struct srv_store_s {
    sqlite3 *db;
};

/* SQLite result code -> BN_E* (0 for OK, DONE, ROW). */
int srv_store__rc(int rc);

/* Inside put_bundle's transaction: the ideas of a bundle, *n counting the
 * new ones (SRV-D2, SRV-M3). */
int srv_store__put_ideas(srv_store_t *s, const srv_bundle_items_t *b, size_t *n, char *why,
                         size_t whylen);

#endif
