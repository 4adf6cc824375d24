/* srv_backup.c - backups of the server directory (srv_backup.h). */
#include "srv_backup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "bn_err.h"
#include "cert.h"
#include "day.h"
#include "hex.h"
#include "key.h"
#include "srv_core.h"
#include "srv_verify.h"

#define BACKUP_MAGIC "borne-server-backup/1"
#define BACKUP_DEPTH 4

static int64_t now_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_REALTIME, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* What is not copied: the live store (copied through the backup API), its
 * journals, the record of backups, half-written files. */
static int skipped(const char *name, int top)
{
    size_t n = strlen(name);

    if (name[0] == '.')
        return 1;
    if (top && (strncmp(name, "server.db", 9) == 0 || strcmp(name, "backup-verified") == 0 ||
                strcmp(name, "port") == 0 || strcmp(name, "log") == 0))
        return 1;
    return n > 4 && strcmp(name + n - 4, ".tmp") == 0;
}

static int sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY), rc = 0;

    if (fd < 0)
        return BN_EIO;
    if (fsync(fd) != 0)
        rc = BN_EIO;
    close(fd);
    return rc;
}

/* Copies one file, flushed to the disk, with the source's permission bits. */
static int copy_file(const char *src, const char *dst, char *why, size_t whylen)
{
    char buf[65536];
    struct stat st;
    int in = -1, out = -1, rc = 0;
    ssize_t n;

    if ((in = open(src, O_RDONLY)) < 0 || fstat(in, &st) != 0) {
        rc = bn_fail(why, whylen, BN_EIO, "%s: %s", src, strerror(errno));
        goto out;
    }
    if ((out = open(dst, O_WRONLY | O_CREAT | O_EXCL, st.st_mode & 0700)) < 0) {
        rc = bn_fail(why, whylen, BN_EIO, "%s: %s", dst, strerror(errno));
        goto out;
    }
    while ((n = read(in, buf, sizeof buf)) > 0)
        if (write(out, buf, (size_t)n) != n) {
            rc = bn_fail(why, whylen, errno == ENOSPC ? BN_EFULL : BN_EIO, "%s: %s", dst,
                         strerror(errno));
            goto out;
        }
    if (n < 0 || fsync(out) != 0)
        rc = bn_fail(why, whylen, BN_EIO, "%s: %s", n < 0 ? src : dst, strerror(errno));
out:
    if (in >= 0)
        close(in);
    if (out >= 0 && close(out) != 0 && rc == 0)
        rc = bn_fail(why, whylen, BN_EIO, "%s: %s", dst, strerror(errno));
    return rc;
}

/* Copies the folder src into dst (made 0700), files and sub-folders. */
static int copy_tree(const char *src, const char *dst, int depth, int (*skip)(const char *, int),
                     char *why, size_t whylen)
{
    struct dirent **names = NULL;
    int n, i, rc = 0;

    if (depth > BACKUP_DEPTH)
        return bn_fail(why, whylen, BN_EFORMAT, "%s: folders nested too deep", src);
    if (mkdir(dst, 0700) != 0 && errno != EEXIST)
        return bn_fail(why, whylen, BN_EIO, "%s: %s", dst, strerror(errno));
    if ((n = scandir(src, &names, NULL, alphasort)) < 0)
        return bn_fail(why, whylen, BN_EIO, "%s: %s", src, strerror(errno));
    for (i = 0; i < n; i++) {
        char a[1200], b[1200];
        struct stat st;

        if (rc == 0 && !skip(names[i]->d_name, depth == 0)) {
            snprintf(a, sizeof a, "%s/%s", src, names[i]->d_name);
            snprintf(b, sizeof b, "%s/%s", dst, names[i]->d_name);
            if (lstat(a, &st) != 0)
                rc = bn_fail(why, whylen, BN_EIO, "%s: %s", a, strerror(errno));
            else if (S_ISDIR(st.st_mode))
                rc = copy_tree(a, b, depth + 1, skip, why, whylen);
            else if (S_ISREG(st.st_mode))
                rc = copy_file(a, b, why, whylen);
        }
        free(names[i]);
    }
    free(names);
    if (rc == 0 && sync_dir(dst) != 0)
        rc = bn_fail(why, whylen, BN_EIO, "%s: cannot be flushed", dst);
    return rc;
}

static int write_text(const char *path, const char *text, char *why, size_t whylen)
{
    char tmp[1200];
    FILE *f;
    int rc = 0;

    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    if ((f = fopen(tmp, "w")) == NULL)
        return bn_fail(why, whylen, BN_EIO, "%s: %s", tmp, strerror(errno));
    if (fputs(text, f) < 0 || fflush(f) != 0 || fsync(fileno(f)) != 0)
        rc = BN_EIO;
    if (fclose(f) != 0)
        rc = BN_EIO;
    if (rc == 0 && rename(tmp, path) != 0)
        rc = BN_EIO;
    if (rc != 0) {
        (void)unlink(tmp);
        return bn_fail(why, whylen, rc, "%s: %s", path, strerror(errno));
    }
    return 0;
}

/* 1. The snapshot: the digests of the acknowledged bundles and the store's
 * copy, both from one read transaction of the live store. */
static int snapshot(const char *dir, const char *into, int64_t *t, int64_t *count, char *why,
                    size_t whylen)
{
    char src_path[1200], dst_path[1200], list_path[1200], hex[65];
    sqlite3 *src = NULL, *dst = NULL;
    sqlite3_stmt *st = NULL;
    sqlite3_backup *b = NULL;
    FILE *list = NULL;
    int rc = 0, s;

    *count = 0;
    snprintf(src_path, sizeof src_path, "%s/server.db", dir);
    snprintf(dst_path, sizeof dst_path, "%s/server.db", into);
    snprintf(list_path, sizeof list_path, "%s/digests", into);
    if (access(src_path, R_OK) != 0) {
        rc = bn_fail(why, whylen, BN_ENOTFOUND, "%s: %s", src_path, strerror(errno));
        goto out;
    }
    if (sqlite3_open_v2(src_path, &src, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
        sqlite3_open_v2(dst_path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
            SQLITE_OK) {
        rc = bn_fail(why, whylen, BN_ESTORE, "%s: %s", src ? dst_path : src_path,
                     sqlite3_errmsg(src && dst ? dst : src));
        goto out;
    }
    sqlite3_busy_timeout(src, 10000);
    if ((list = fopen(list_path, "w")) == NULL) {
        rc = bn_fail(why, whylen, BN_EIO, "%s: %s", list_path, strerror(errno));
        goto out;
    }
    /* (BACKUP-B1) T is read before the transaction begins: a bundle
     * acknowledged before T was committed before T, so it is in the copy */
    *t = now_ms();
    if (sqlite3_exec(src, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(src, "SELECT digest FROM bundles ORDER BY digest", -1, &st, NULL) !=
            SQLITE_OK) {
        rc = bn_fail(why, whylen, BN_ESTORE, "%s: %s", src_path, sqlite3_errmsg(src));
        goto out;
    }
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        if (sqlite3_column_bytes(st, 0) != 32) {
            rc = bn_fail(why, whylen, BN_ECORRUPT, "%s: a bundle digest of %d bytes", src_path,
                         sqlite3_column_bytes(st, 0));
            goto out;
        }
        hex_encode(sqlite3_column_blob(st, 0), 32, hex);
        fprintf(list, "%s\n", hex);
        (*count)++;
    }
    if (s != SQLITE_DONE) {
        rc = bn_fail(why, whylen, BN_ESTORE, "%s: %s", src_path, sqlite3_errmsg(src));
        goto out;
    }
    sqlite3_finalize(st);
    st = NULL;
    /* the copy, in the read transaction still open: the same snapshot */
    if ((b = sqlite3_backup_init(dst, "main", src, "main")) == NULL) {
        rc = bn_fail(why, whylen, BN_ESTORE, "backup: %s", sqlite3_errmsg(dst));
        goto out;
    }
    s = sqlite3_backup_step(b, -1);
    if (sqlite3_backup_finish(b) != SQLITE_OK || s != SQLITE_DONE) {
        b = NULL;
        rc = bn_fail(why, whylen, s == SQLITE_FULL ? BN_EFULL : BN_ESTORE, "backup of %s: %s",
                     src_path, sqlite3_errmsg(dst));
        goto out;
    }
    b = NULL;
    /* one self-contained file: no -wal beside it */
    if (sqlite3_exec(dst, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) != SQLITE_OK) {
        rc = bn_fail(why, whylen, BN_ESTORE, "%s: %s", dst_path, sqlite3_errmsg(dst));
        goto out;
    }
    if (fflush(list) != 0 || fsync(fileno(list)) != 0)
        rc = bn_fail(why, whylen, BN_EIO, "%s: %s", list_path, strerror(errno));
out:
    if (list != NULL && fclose(list) != 0 && rc == 0)
        rc = bn_fail(why, whylen, BN_EIO, "%s: %s", list_path, strerror(errno));
    sqlite3_finalize(st);
    if (src != NULL)
        (void)sqlite3_exec(src, "COMMIT", NULL, NULL, NULL);
    sqlite3_close(src);
    sqlite3_close(dst);
    return rc;
}

static int read_info(const char *backup, srv_backup_info_t *info, char *why, size_t whylen)
{
    char path[1200], line[128];
    long long t = -1, n = -1;
    int magic = 0;
    FILE *f;

    snprintf(path, sizeof path, "%s/BACKUP", backup);
    if ((f = fopen(path, "r")) == NULL)
        return bn_fail(why, whylen, BN_ENOTFOUND, "%s: %s (not a finished backup)", path,
                       strerror(errno));
    while (fgets(line, sizeof line, f) != NULL) {
        line[strcspn(line, "\n")] = '\0';
        if (strcmp(line, BACKUP_MAGIC) == 0)
            magic = 1;
        else if (sscanf(line, "time-ms %lld", &t) != 1 && sscanf(line, "bundles %lld", &n) != 1)
            break;
    }
    fclose(f);
    if (!magic || t < 0 || n < 0)
        return bn_fail(why, whylen, BN_EFORMAT, "%s: expected '%s', 'time-ms T', 'bundles N'",
                       path, BACKUP_MAGIC);
    snprintf(info->path, sizeof info->path, "%.1000s", backup);
    info->time_ms = t;
    info->bundles = n;
    return 0;
}

/* 2. The check (BACKUP-B1) of the folder `backup` whose snapshot listed
 * `expect` bundles. */
static int check(const char *backup, int64_t expect, uint32_t today, char *why, size_t whylen)
{
    char path[1200], line[128], w[512] = "";
    uint8_t *pem = NULL, ca[CERT_DER_MAX], digest[32], got[32];
    size_t ca_len = 0, pem_len = 0;
    int64_t n = 0;
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    FILE *list = NULL, *f;
    long sz;
    int rc = 0;

    snprintf(path, sizeof path, "%s/authority.crt", backup);
    if ((f = fopen(path, "rb")) == NULL || fseek(f, 0, SEEK_END) != 0 || (sz = ftell(f)) <= 0 ||
        sz > 65536 || fseek(f, 0, SEEK_SET) != 0 || (pem = malloc((size_t)sz)) == NULL ||
        fread(pem, 1, (size_t)sz, f) != (size_t)sz) {
        if (f != NULL)
            fclose(f);
        rc = bn_fail(why, whylen, BN_EIO, "%s: cannot be read", path);
        goto out;
    }
    fclose(f);
    pem_len = (size_t)sz;
    if (cert_from_pem((const char *)pem, pem_len, ca, sizeof ca, &ca_len) != 0) {
        rc = bn_fail(why, whylen, BN_EFORMAT, "%s: not a PEM certificate", path);
        goto out;
    }
    snprintf(path, sizeof path, "%s/server.db", backup);
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "PRAGMA integrity_check(1)", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW ||
        strcmp((const char *)sqlite3_column_text(st, 0), "ok") != 0) {
        rc = bn_fail(why, whylen, BN_ECORRUPT, "%s: integrity check: %s", path,
                     st != NULL && sqlite3_column_text(st, 0) != NULL
                         ? (const char *)sqlite3_column_text(st, 0) : sqlite3_errmsg(db));
        goto out;
    }
    sqlite3_finalize(st);
    if (sqlite3_prepare_v2(db, "SELECT bytes FROM bundle_bytes WHERE digest = ?", -1, &st,
                           NULL) != SQLITE_OK) {
        rc = bn_fail(why, whylen, BN_ECORRUPT, "%s: %s", path, sqlite3_errmsg(db));
        goto out;
    }
    snprintf(path, sizeof path, "%s/digests", backup);
    if ((list = fopen(path, "r")) == NULL) {
        rc = bn_fail(why, whylen, BN_ENOTFOUND, "%s: %s", path, strerror(errno));
        goto out;
    }
    while (fgets(line, sizeof line, list) != NULL) {
        const uint8_t *bytes;
        int len;

        line[strcspn(line, "\n")] = '\0';
        if (hex_decode(line, strlen(line), digest, 32) != 0) {
            rc = bn_fail(why, whylen, BN_EFORMAT, "%s:%lld: not a SHA-256 in hex", path,
                         (long long)n + 1);
            goto out;
        }
        n++;
        sqlite3_reset(st);
        sqlite3_bind_blob(st, 1, digest, 32, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_ROW) {
            rc = bn_fail(why, whylen, BN_ENOTFOUND,
                         "bundle %s was acknowledged but is not in the copy", line);
            goto out;
        }
        bytes = sqlite3_column_blob(st, 0);
        len = sqlite3_column_bytes(st, 0);
        key_sha256(bytes, (size_t)len, got);
        if (memcmp(got, digest, 32) != 0) {
            rc = bn_fail(why, whylen, BN_ECORRUPT, "bundle %s: its bytes in the copy hash "
                         "to another digest", line);
            goto out;
        }
        if ((rc = srv_verify_bundle(bytes, (size_t)len, ca, ca_len, NULL, today, 1, NULL, NULL,
                                    w, sizeof w)) != 0) {
            rc = bn_fail(why, whylen, rc, "bundle %s: %s", line, w);
            goto out;
        }
    }
    if (n != expect)
        rc = bn_fail(why, whylen, BN_ECORRUPT, "%s lists %lld bundles, BACKUP says %lld", path,
                     (long long)n, (long long)expect);
out:
    if (list != NULL)
        fclose(list);
    sqlite3_finalize(st);
    sqlite3_close(db);
    free(pem);
    return rc;
}

int srv_backup_verify(const char *backup, uint32_t today, srv_backup_info_t *info, char *why,
                      size_t whylen)
{
    int rc = read_info(backup, info, why, whylen);

    if (rc != 0)
        return rc;
    if (today == 0)
        today = (uint32_t)(info->time_ms / 86400000);
    return check(backup, info->bundles, today, why, whylen);
}

static int older(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int remove_tree(const char *path, int depth)
{
    struct dirent **names = NULL;
    int n, i, rc = 0;

    if (depth > BACKUP_DEPTH + 1)
        return BN_EIO;
    if ((n = scandir(path, &names, NULL, alphasort)) < 0)
        return unlink(path) == 0 ? 0 : BN_EIO;
    for (i = 0; i < n; i++) {
        char p[1200];
        if (strcmp(names[i]->d_name, ".") != 0 && strcmp(names[i]->d_name, "..") != 0) {
            struct stat st;
            snprintf(p, sizeof p, "%s/%s", path, names[i]->d_name);
            if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
                rc |= remove_tree(p, depth + 1);
            else if (unlink(p) != 0)
                rc = BN_EIO;
        }
        free(names[i]);
    }
    free(names);
    return rmdir(path) == 0 && rc == 0 ? 0 : BN_EIO;
}

/* The oldest server-* backups of dest beyond `keep`; never the newest. */
static void prune(const char *dest, int keep)
{
    struct dirent **names = NULL;
    char *list[4096];
    int n, i, k = 0;

    if (keep < 1 || (n = scandir(dest, &names, NULL, alphasort)) < 0)
        return;
    for (i = 0; i < n; i++) {
        if (strncmp(names[i]->d_name, "server-", 7) == 0 && k < 4096)
            list[k++] = strdup(names[i]->d_name);
        free(names[i]);
    }
    free(names);
    qsort(list, (size_t)k, sizeof list[0], older);
    for (i = 0; i < k; i++) {
        if (list[i] != NULL && i < k - keep) {
            char p[1200];
            snprintf(p, sizeof p, "%s/%s", dest, list[i]);
            (void)remove_tree(p, 0);
        }
        free(list[i]);
    }
}

int srv_backup(const char *dir, const char *dest, int keep, uint32_t today,
               srv_backup_info_t *info, char *why, size_t whylen)
{
    char part[1000], final[1200], text[1400], stamp[32];
    struct tm tm;
    time_t now = time(NULL);
    int64_t t = 0, count = 0;
    int rc;

    memset(info, 0, sizeof *info);
    if (strlen(dest) > 900 || strlen(dir) > 900)
        return bn_fail(why, whylen, BN_ERANGE, "folder names over 900 bytes");
    if (mkdir(dest, 0700) != 0 && errno != EEXIST)
        return bn_fail(why, whylen, BN_EIO, "%s: %s", dest, strerror(errno));
    gmtime_r(&now, &tm);
    strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
    snprintf(part, sizeof part, "%s/.server-%s.partial", dest, stamp);
    snprintf(final, sizeof final, "%s/server-%s", dest, stamp);
    if (access(final, F_OK) == 0)
        return bn_fail(why, whylen, BN_EEXISTS, "%s already exists (one backup a second)", final);
    (void)remove_tree(part, 0); /* a backup interrupted in this very second */
    if ((rc = copy_tree(dir, part, 0, skipped, why, whylen)) != 0 ||
        (rc = snapshot(dir, part, &t, &count, why, whylen)) != 0)
        goto fail;
    snprintf(text, sizeof text, "%s\ntime-ms %lld\nbundles %lld\n", BACKUP_MAGIC, (long long)t,
             (long long)count);
    snprintf(final, sizeof final, "%s/BACKUP", part);
    if ((rc = write_text(final, text, why, whylen)) != 0 ||
        (rc = srv_backup_verify(part, today, info, why, whylen)) != 0)
        goto fail;
    snprintf(final, sizeof final, "%s/server-%s", dest, stamp);
    if (rename(part, final) != 0 || sync_dir(dest) != 0) {
        rc = bn_fail(why, whylen, BN_EIO, "%s: %s", final, strerror(errno));
        goto fail;
    }
    snprintf(info->path, sizeof info->path, "%.1000s", final);
    /* (BACKUP-B1) only now, verified, does it count */
    snprintf(text, sizeof text, "time-ms %lld\nbundles %lld\npath %s\n", (long long)t,
             (long long)count, final);
    snprintf(part, sizeof part, "%s/backup-verified", dir);
    if ((rc = write_text(part, text, why, whylen)) != 0)
        return rc;
    prune(dest, keep);
    return 0;
fail:
    (void)remove_tree(part, 0);
    return rc;
}

int srv_restore(const char *backup, const char *dir, uint32_t today, srv_backup_info_t *info,
                char *why, size_t whylen)
{
    char path[1200], text[1400];
    srv_t *srv = NULL;
    int rc;

    if ((rc = srv_backup_verify(backup, today, info, why, whylen)) != 0)
        return rc;
    snprintf(path, sizeof path, "%s/server.db", dir);
    if (access(path, F_OK) == 0)
        return bn_fail(why, whylen, BN_EEXISTS,
                       "%s holds a store already: move the folder aside, then restore", dir);
    if ((rc = copy_tree(backup, dir, 0, skipped, why, whylen)) != 0)
        return rc;
    snprintf(path, sizeof path, "%s/BACKUP", dir);
    (void)unlink(path);
    snprintf(path, sizeof path, "%s/digests", dir);
    (void)unlink(path);
    {
        char a[1200];
        snprintf(a, sizeof a, "%s/server.db", backup);
        snprintf(path, sizeof path, "%s/server.db", dir);
        if ((rc = copy_file(a, path, why, whylen)) != 0)
            return rc;
    }
    if (chmod(dir, 0700) != 0 || sync_dir(dir) != 0)
        return bn_fail(why, whylen, BN_EIO, "%s: %s", dir, strerror(errno));
    /* it opens as a server directory */
    if ((rc = srv_open(dir, today, &srv, why, whylen)) != 0)
        return rc;
    srv_close(srv);
    snprintf(text, sizeof text, "time-ms %lld\nbundles %lld\npath %s\n",
             (long long)info->time_ms, (long long)info->bundles, backup);
    snprintf(path, sizeof path, "%s/backup-verified", dir);
    return write_text(path, text, why, whylen);
}

int64_t srv_backup_last(const char *dir)
{
    char path[1200];
    long long t = 0;
    FILE *f;

    snprintf(path, sizeof path, "%s/backup-verified", dir);
    if ((f = fopen(path, "r")) == NULL)
        return 0;
    if (fscanf(f, "time-ms %lld", &t) != 1 || t < 0)
        t = 0;
    fclose(f);
    return t;
}
