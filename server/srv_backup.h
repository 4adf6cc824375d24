/* srv_backup.h - backups of the server directory, their check, a restore.
 *
 * Once the kiosks are wiped the server holds every ballot: a dead disk
 * must lose nothing (docs/operations.md, "Back up and restore").
 *
 * A backup is a folder DEST/server-YYYYMMDD-HHMMSS/ holding a copy of the
 * server directory (certificates, key, packages, kiosks/, revocation list)
 * and of its store made with SQLite's online backup API (consistent while
 * borne-server serves and writes), plus two files of its own:
 *   digests   the SHA-256 of every bundle acknowledged when the copy was
 *             taken (read in the same read transaction as the copy)
 *   BACKUP    "borne-server-backup/1", "time-ms T" (the server's clock when
 *             the copy's snapshot began), "bundles N"; written last: a
 *             folder without it is not a backup.
 * (BACKUP-B1) A backup counts only once verified: every bundle of
 *      `digests` is in the copy with its bytes, those bytes hash to the
 *      digest and verify (signatures, certificate chain), and the copy
 *      passes PRAGMA integrity_check. Then DIR/backup-verified records T,
 *      and GET /v1/health gives it to the kiosks as backup_verified_ms.
 * (BACKUP-B2) A kiosk's acknowledgement carries the server's time
 *      (time_ms, taken after the bundle's commit); a kiosk refuses its
 *      wipe until its last acknowledgement is older than the last verified
 *      backup: everything it relies on is then on two disks. */
#ifndef SRV_BACKUP_H
#define SRV_BACKUP_H

#include <stddef.h>
#include <stdint.h>

typedef struct srv_backup_info_s {
    char path[1024];    /* the backup folder */
    int64_t time_ms;    /* its snapshot time (server clock, Unix ms) */
    int64_t bundles;    /* bundles acknowledged then, all present and verified */
} srv_backup_info_t;

/* Backs up server directory `dir` into a new folder of `dest` (made 0700
 * if missing), verifies it (BACKUP-B1), records it in dir/backup-verified,
 * and removes the oldest server-* folders of dest beyond `keep`.
 * `today` (0: the clock's) is the day certificates are checked at. */
int srv_backup(const char *dir, const char *dest, int keep, uint32_t today,
               srv_backup_info_t *info, char *why, size_t whylen);

/* Verifies a backup folder (BACKUP-B1). `today` 0: the backup's day. */
int srv_backup_verify(const char *backup, uint32_t today, srv_backup_info_t *info, char *why,
                      size_t whylen);

/* Verifies `backup` and copies it into `dir`, which must not hold a store
 * yet (move a damaged one aside first). */
int srv_restore(const char *backup, const char *dir, uint32_t today, srv_backup_info_t *info,
                char *why, size_t whylen);

/* The time of the last verified backup of `dir` (dir/backup-verified),
 * or 0 when there is none. */
int64_t srv_backup_last(const char *dir);

#endif
