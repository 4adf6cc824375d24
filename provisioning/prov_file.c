/* prov_file.c - paths, atomic writes, copies, digests (prov_file.h). */
#include "prov_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bn_err.h"
#include "key.h"

void prov_path_join(const char *dir, const char *rel, char *out, size_t cap)
{
    if (rel[0] == '/' || dir[0] == '\0' || strcmp(dir, ".") == 0)
        snprintf(out, cap, "%s", rel);
    else
        snprintf(out, cap, "%s/%s", dir, rel);
}

void prov_path_dir(const char *path, char *out, size_t cap)
{
    const char *slash = strrchr(path, '/');

    if (slash == NULL)
        snprintf(out, cap, ".");
    else if (slash == path)
        snprintf(out, cap, "/");
    else
        snprintf(out, cap, "%.*s", (int)(slash - path), path);
}

int prov_file_write(const char *path, const void *data, size_t len, int mode)
{
    char tmp[4200];
    int fd, rc = 0;

    snprintf(tmp, sizeof tmp, "%s.tmp%ld", path, (long)getpid());
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0)
        return BN_EIO;
    if (fchmod(fd, (mode_t)mode) != 0 || (len > 0 && write(fd, data, len) != (ssize_t)len) ||
        fsync(fd) != 0)
        rc = BN_EIO;
    if (close(fd) != 0)
        rc = BN_EIO;
    if (rc == 0 && rename(tmp, path) != 0)
        rc = BN_EIO;
    if (rc != 0)
        unlink(tmp);
    return rc;
}

int prov_file_read(const char *path, size_t max, uint8_t **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL, *bigger;
    size_t cap = 0, n = 0, got;
    int rc = 0;

    *out = NULL;
    *len = 0;
    if (f == NULL)
        return BN_EIO;
    for (;;) {
        if (n + 1 >= cap) {
            if (cap > max + 1) {
                rc = BN_ETOOBIG;
                break;
            }
            cap = cap ? 2 * cap : 4096;
            if ((bigger = realloc(buf, cap)) == NULL) {
                rc = BN_ENOMEM;
                break;
            }
            buf = bigger;
        }
        got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    if (rc == 0 && ferror(f))
        rc = BN_EIO;
    if (rc == 0 && n > max)
        rc = BN_ETOOBIG;
    fclose(f);
    if (rc != 0) {
        free(buf);
        return rc;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return 0;
}

int prov_file_sha256(const char *path, uint8_t digest[32])
{
    uint8_t *buf;
    size_t len;
    int rc = prov_file_read(path, 64u << 20, &buf, &len);

    if (rc != 0)
        return rc;
    key_sha256(buf, len, digest);
    free(buf);
    return 0;
}

int prov_file_copy(const char *src, const char *dst, int mode)
{
    uint8_t *buf;
    size_t len;
    int rc = prov_file_read(src, 64u << 20, &buf, &len);

    if (rc != 0)
        return rc;
    rc = prov_file_write(dst, buf, len, mode);
    free(buf);
    return rc;
}

int prov_mkdir(const char *path, int mode)
{
    struct stat st;

    if (mkdir(path, (mode_t)mode) == 0)
        return 0;
    if (errno == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return 0;
    return BN_EIO;
}
