/* serverdb.h - borne-tally --server-db FILE: the bundles a borne-server
 * store holds, read with plain SQL and verified exactly like bundle files.
 *
 * The tally never links or includes server code (DESIGN.md: an observer
 * builds the verifier alone). What it reads is the store's documented
 * interface (docs/architecture.md, "What the tally reads"), nothing else:
 *   bundle_bytes(digest, campaign, kiosk, bytes)  one row per bundle held
 *                                                 with its exact signed bytes
 *   bundles(digest, campaign, kiosk, ...)         one row per bundle
 *                                                 acknowledged (also those
 *                                                 accepted before schema 3,
 *                                                 which have no bytes)
 * Invariants:
 *   (SRVDB-T1) the file is opened with SQLITE_OPEN_READONLY and read in one read
 *        transaction: the tally cannot change the store, and sees one
 *        snapshot of it even while the server runs.
 *   (SRVDB-T2) nothing counts but the signed bytes: each bundle goes through
 *        verify_set like a bundle file; the server's other tables (ballots,
 *        register, reports) are never read.
 *   (SRVDB-T3) a bundle is taken when the store files it under the package's
 *        campaign OR its signed header names that campaign; when the two
 *        disagree, or the bytes do not hash to the digest they are held
 *        under, it is a problem naming it (and the bytes are verified
 *        anyway, so a tampered item is named too).
 *   (SRVDB-T4) a bundle of the campaign held without its bytes (accepted before
 *        store schema 3) is a problem naming its digest and kiosk: the
 *        tally cannot certify what it cannot verify. */
#ifndef TALLY_SERVERDB_H
#define TALLY_SERVERDB_H

#include <stddef.h>

#include "verify.h"

/* Verifies every bundle of in->pkg's campaign held in the server store
 * `path` (in digest order; each named "PATH: bundle HEX"). Returns 0 when
 * the verification ran (even with problems), or, with `why` naming the
 * file: BN_EIO (cannot open or read it), BN_EFORMAT (not a SQLite file, or
 * not a borne-server store of schema 3 or later), BN_ENOMEM. */
int serverdb_verify(const verify_input_t *in, const char *path, verify_t **out, char *why,
                    size_t whylen);

#endif
