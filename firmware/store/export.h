/* export.h - a kiosk's export to a removable drive: everything the server
 * has not acknowledged, as signed bundles that `borne-server import` takes
 * as it takes any bundle, and the poll reports.
 *
 *   DRIVE/borne-KIOSK/bundles/CAMPAIGN-SEQ-participation.bundle  (as many as it takes)
 *   DRIVE/borne-KIOSK/bundles/CAMPAIGN-SEQ-ballots.bundle
 *   DRIVE/borne-KIOSK/bundles/CAMPAIGN-SEQ-report.bundle   (the closing report)
 *   DRIVE/borne-KIOSK/reports/zero-CAMPAIGN.txt .sig, closing-CAMPAIGN.txt .sig
 *
 * (EXPORT-X1) A file is written under a temporary name, flushed (fsync),
 * renamed, its folder flushed, then read back and compared byte for byte;
 * "done" is said only when every file read back equal. A drive that is
 * full or read-only is said so (BN_EFULL, BN_EPERM) and the temporary file
 * removed. Exporting twice is safe: bundles carry new sequence numbers and
 * the server keeps one copy of each item. Nothing is marked synced: only
 * the server's acknowledgement does that. */
#ifndef EXPORT_H
#define EXPORT_H

#include <stddef.h>
#include <stdint.h>

#include "key.h"
#include "store.h"

typedef struct export_src_s {
    store_t *store;
    const char *state_dir;         /* STATE: its reports/ folder is copied */
    const char *kiosk;             /* the kiosk's name (the drive's folder) */
    const uint8_t *cert;           /* the kiosk's certificate, DER */
    size_t cert_len;
    const signer_t *signer;
    const char *const *campaigns;
    int n_campaigns;
    size_t max_items;              /* items a bundle (0: BUNDLE_MAX_ITEMS); tests use few */
} export_src_t;

typedef struct export_result_s {
    size_t bundles, items, files;  /* bundles and items written, all files */
    char dir[600];                 /* DRIVE/borne-KIOSK */
} export_result_t;

/* Exports to the drive mounted at `drive`. 0, or BN_EFULL, BN_EPERM (read
 * only), BN_EIO (what failed in why), store errors. */
int export_run(const export_src_t *src, const char *drive, export_result_t *res, char *why,
               size_t whylen);

/* Writes DIR/NAME as (EXPORT-X1) says and reads it back. */
int export_write_file(const char *dir, const char *name, const uint8_t *data, size_t len,
                      char *why, size_t whylen);

/* Tests only: when not 0, every file write fails with this errno (a full
 * drive: ENOSPC; a read-only one: EROFS), as a drive would. */
extern int export__fail_errno;

#endif
