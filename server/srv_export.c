/* srv_export.c - every held bundle back to a bundle file (srv_export.h). */
#include "srv_export.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bn_err.h"
#include "hex.h"

typedef struct walk_s {
    const char *dir;
    FILE *out;
    srv_export_counts_t *n;
} walk_t;

/* 1: path holds exactly bytes[0..len), 0: other bytes, BN_EIO: unreadable. */
static int same_file(const char *path, const uint8_t *bytes, size_t len)
{
    uint8_t buf[65536];
    size_t off = 0, got;
    FILE *f = fopen(path, "rb");
    int rc = 1;

    if (f == NULL)
        return BN_EIO;
    while ((got = fread(buf, 1, sizeof buf, f)) > 0) {
        if (got > len - off || memcmp(buf, bytes + off, got) != 0) {
            rc = 0;
            break;
        }
        off += got;
    }
    if (rc == 1 && ferror(f))
        rc = BN_EIO;
    else if (rc == 1 && off != len)
        rc = 0;
    fclose(f);
    return rc;
}

/* (EXPORT-E1) tmp, write all, fsync, close, rename. errno is kept for the caller. */
static int write_new(const char *tmp, const char *path, const uint8_t *bytes, size_t len)
{
    size_t off = 0;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644), e;

    if (fd < 0)
        return BN_EIO;
    while (off < len) {
        ssize_t w = write(fd, bytes + off, len - off);

        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            goto fail;
        off += (size_t)w;
    }
    if (fsync(fd) != 0)
        goto fail;
    if (close(fd) != 0) {
        fd = -1;
        goto fail;
    }
    fd = -1;
    if (rename(tmp, path) != 0)
        goto fail;
    return 0;
fail:
    e = errno;
    if (fd >= 0)
        close(fd);
    unlink(tmp);
    errno = e;
    return BN_EIO;
}

static int one(void *arg, const srv_bundle_row_t *r)
{
    walk_t *w = arg;
    char hex[65], kid[65], *path = NULL, *tmp = NULL;
    size_t n = strlen(w->dir) + 64 + sizeof SRV_EXPORT_EXT + 8;
    struct stat st;
    int rc;

    hex_encode(r->digest, 32, hex);
    hex_encode(r->kiosk, 32, kid);
    if (r->bytes == NULL) { /* (EXPORT-E3) */
        w->n->without_bytes++;
        fprintf(w->out, "%s%s: held without its bytes (accepted before store schema 3), "
                "campaign %s, kiosk %s: not exported\n", hex, SRV_EXPORT_EXT, r->campaign, kid);
        return 0;
    }
    path = malloc(n);
    tmp = malloc(n);
    if (path == NULL || tmp == NULL) {
        free(path);
        free(tmp);
        return BN_ENOMEM;
    }
    snprintf(path, n, "%s/%s%s", w->dir, hex, SRV_EXPORT_EXT);
    snprintf(tmp, n, "%s/.%s%s.tmp", w->dir, hex, SRV_EXPORT_EXT);
    if (lstat(path, &st) == 0) { /* (EXPORT-E2) */
        rc = S_ISREG(st.st_mode) ? same_file(path, r->bytes, r->len) : 0;
        if (rc == 1) {
            w->n->present++;
        } else {
            w->n->failed++;
            fprintf(w->out, "%s: %s; not overwritten\n", path,
                    rc == 0 ? "already there with other bytes than the bundle held under this "
                              "digest" : "already there and unreadable");
        }
    } else if (write_new(tmp, path, r->bytes, r->len) == 0) {
        w->n->written++;
    } else {
        w->n->failed++;
        fprintf(w->out, "%s: cannot write: %s\n", path, strerror(errno));
    }
    free(path);
    free(tmp);
    return 0;
}

int srv_export(srv_store_t *s, const char *campaign, const char *out_dir, FILE *out,
               srv_export_counts_t *n, char *why, size_t whylen)
{
    walk_t w;
    struct stat st;
    int rc, fd;

    memset(n, 0, sizeof *n);
    if (stat(out_dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return bn_fail(why, whylen, BN_EIO, "%s: not a directory", out_dir);
    w.dir = out_dir;
    w.out = out;
    w.n = n;
    rc = srv_store_bundle_each(s, campaign, one, &w);
    if (rc != 0)
        return bn_fail(why, whylen, rc, "reading the store: %s", bn_strerror(rc));
    /* (EXPORT-E1) the renames themselves, durable */
    if (n->written > 0) {
        fd = open(out_dir, O_RDONLY | O_DIRECTORY);
        if (fd < 0 || fsync(fd) != 0)
            rc = bn_fail(why, whylen, BN_EIO, "%s: fsync: %s", out_dir, strerror(errno));
        if (fd >= 0)
            close(fd);
    }
    return rc;
}
