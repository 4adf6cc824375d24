/* srv_export.h - `borne-server export`: every bundle the store holds written
 * back as a bundle file, for borne-tally, an observer or a USB stick.
 *
 * Each bundle becomes OUT_DIR/HEX.bundle, HEX its SHA-256 in lowercase (the
 * key it is held under), the bytes exactly as the kiosk signed them:
 *   (EXPORT-E1) a file is written to OUT_DIR/.HEX.bundle.tmp (a dot name: the tally
 *        and `import` skip it), fsync'd, then renamed; the directory is
 *        fsync'd at the end. An interrupted export leaves complete files
 *        and dot files, never a truncated HEX.bundle.
 *   (EXPORT-E2) an existing HEX.bundle with the same bytes is left as it is; one
 *        with other bytes is never overwritten: an error naming it.
 *   (EXPORT-E3) a bundle held without its bytes (accepted before store schema 3)
 *        is named with its kiosk key id and not written. */
#ifndef SRV_EXPORT_H
#define SRV_EXPORT_H

#include <stdint.h>
#include <stdio.h>

#include "srv_store.h"

#define SRV_EXPORT_EXT ".bundle"

typedef struct srv_export_counts_s {
    int64_t written;            /* new files */
    int64_t present;            /* identical files already there */
    int64_t without_bytes;      /* held without their bytes: not written (EXPORT-E3) */
    int64_t failed;             /* a different file in the way (EXPORT-E2), or a write error */
} srv_export_counts_t;

/* Writes every bundle held (of `campaign`, or of every campaign when NULL)
 * into out_dir, which must exist; one line on `out` for each bundle not
 * written, then none. Returns 0 when the walk ran (see *n for what was not
 * written), or BN_EIO (out_dir unusable) / a store error, with `why`. */
int srv_export(srv_store_t *s, const char *campaign, const char *out_dir, FILE *out,
               srv_export_counts_t *n, char *why, size_t whylen);

#endif
