/* export.c - the export to a removable drive (export.h). */
#include "export.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bn_err.h"
#include "bundle.h"
#include "outbox.h"

int export__fail_errno = 0;

static int io_code(int e)
{
    if (e == ENOSPC || e == EDQUOT)
        return BN_EFULL;
    if (e == EROFS || e == EACCES || e == EPERM)
        return BN_EPERM;
    return BN_EIO;
}

static int make_dir(const char *path, char *why, size_t whylen)
{
    if (mkdir(path, 0755) != 0 && errno != EEXIST)
        return bn_fail(why, whylen, io_code(errno), "%s: %s", path, strerror(errno));
    return 0;
}

static int sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc = 0;

    if (fd < 0)
        return BN_EIO;
    if (fsync(fd) != 0 && errno != EINVAL)
        rc = BN_EIO;
    close(fd);
    return rc;
}

/* (EXPORT-X1) temporary name, fsync, rename, fsync the folder, read back */
int export_write_file(const char *dir, const char *name, const uint8_t *data, size_t len,
                      char *why, size_t whylen)
{
    char tmp[1200], path[1200];
    const uint8_t *p = data;
    uint8_t *back = NULL;
    size_t left = len;
    int fd, rc = 0, e = 0;

    snprintf(tmp, sizeof tmp, "%s/.%s.tmp", dir, name);
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (export__fail_errno != 0)
        return bn_fail(why, whylen, io_code(export__fail_errno), "%s: %s", path,
                       strerror(export__fail_errno));
    if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0)
        return bn_fail(why, whylen, io_code(errno), "%s: %s", tmp, strerror(errno));
    while (left > 0) {
        ssize_t k = write(fd, p, left);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            e = k < 0 ? errno : ENOSPC;
            break;
        }
        p += k;
        left -= (size_t)k;
    }
    if (e == 0 && fsync(fd) != 0)
        e = errno;
    if (close(fd) != 0 && e == 0)
        e = errno;
    if (e == 0 && rename(tmp, path) != 0)
        e = errno;
    if (e != 0) {
        (void)unlink(tmp);
        return bn_fail(why, whylen, io_code(e), "%s: %s", path, strerror(e));
    }
    if (sync_dir(dir) != 0)
        return bn_fail(why, whylen, BN_EIO, "%s: cannot flush the folder", dir);
    /* read back what the drive holds */
    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
        return bn_fail(why, whylen, BN_EIO, "%s: cannot read it back: %s", path, strerror(errno));
    back = malloc(len + 1);
    if (back == NULL) {
        close(fd);
        return bn_fail(why, whylen, BN_ENOMEM, "out of memory");
    }
    {
        size_t got = 0;
        ssize_t k;
        while ((k = read(fd, back + got, len + 1 - got)) > 0)
            got += (size_t)k;
        if (k < 0 || got != len || memcmp(back, data, len) != 0)
            rc = bn_fail(why, whylen, BN_EIO, "%s: read back differs from what was written",
                         path);
    }
    close(fd);
    free(back);
    return rc;
}

static int put_bundle(const char *dir, const char *campaign, uint64_t seq, const char *what,
                      const uint8_t *buf, size_t len, export_result_t *res, char *why,
                      size_t whylen)
{
    char name[160];
    int rc;

    snprintf(name, sizeof name, "%s-%06llu-%s.bundle", campaign, (unsigned long long)seq, what);
    if ((rc = export_write_file(dir, name, buf, len, why, whylen)) == 0) {
        res->bundles++;
        res->files++;
    }
    return rc;
}

/* The closing report of `campaign` (STATE/reports/closing-ID.brnr), alone in a bundle. */
static int report_bundle(const export_src_t *src, const char *dir, const char *campaign,
                         export_result_t *res, char *why, size_t whylen)
{
    char path[800];
    uint8_t *rep = NULL, *buf = NULL;
    size_t rlen = 0, len = 0;
    bundle_builder_t *b = NULL;
    uint64_t seq;
    FILE *f;
    int rc;

    snprintf(path, sizeof path, "%s/reports/closing-%s.brnr", src->state_dir, campaign);
    if ((f = fopen(path, "rb")) == NULL)
        return 0; /* not closed yet */
    rep = malloc(16384);
    rlen = rep != NULL ? fread(rep, 1, 16384, f) : 0;
    fclose(f);
    if ((rc = outbox_next_seq(src->store, &seq)) != 0 ||
        (rc = bundle_new(campaign, seq, src->cert, src->cert_len, &b)) != 0 ||
        (rc = bundle_add_report(b, rep, rlen)) != 0 ||
        (rc = bundle_finish(b, src->signer, &buf, &len)) != 0)
        rc = bn_fail(why, whylen, rc, "closing report of %s: %s", campaign, bn_strerror(rc));
    else
        rc = put_bundle(dir, campaign, seq, "report", buf, len, res, why, whylen);
    bundle_free(b);
    free(buf);
    free(rep);
    return rc;
}

/* The .txt and .sig files of STATE/reports, copied. */
static int copy_reports(const export_src_t *src, const char *dir, export_result_t *res,
                        char *why, size_t whylen)
{
    char from[700];
    struct dirent **names = NULL;
    int n, i, rc = 0;

    snprintf(from, sizeof from, "%s/reports", src->state_dir);
    if ((n = scandir(from, &names, NULL, alphasort)) < 0)
        return 0;
    for (i = 0; i < n; i++) {
        const char *f = names[i]->d_name;
        size_t k = strlen(f);
        if (rc == 0 && k > 4 && (strcmp(f + k - 4, ".txt") == 0 || strcmp(f + k - 4, ".sig") == 0)) {
            char path[1000];
            uint8_t *data = NULL;
            size_t len = 0;
            FILE *fp;
            snprintf(path, sizeof path, "%s/%s", from, f);
            if ((fp = fopen(path, "rb")) != NULL) {
                data = malloc(1 << 16);
                len = data != NULL ? fread(data, 1, 1 << 16, fp) : 0;
                fclose(fp);
                if (data != NULL && (rc = export_write_file(dir, f, data, len, why, whylen)) == 0)
                    res->files++;
                free(data);
            }
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

int export_run(const export_src_t *src, const char *drive, export_result_t *res, char *why,
               size_t whylen)
{
    static const outbox_part_t parts[2] = {OUTBOX_PARTICIPATION, OUTBOX_BALLOTS};
    static const char *const part_names[2] = {"participation", "ballots"};
    char bdir[700], rdir[700];
    int rc, c, k;

    memset(res, 0, sizeof *res);
    if (src->cert == NULL || src->cert_len == 0)
        return bn_fail(why, whylen, BN_EKEY, "this kiosk has no certificate (STATE/kiosk.crt): "
                       "enrol it first");
    snprintf(res->dir, sizeof res->dir, "%s/borne-%s", drive, src->kiosk);
    snprintf(bdir, sizeof bdir, "%s/bundles", res->dir);
    snprintf(rdir, sizeof rdir, "%s/reports", res->dir);
    if ((rc = make_dir(res->dir, why, whylen)) != 0 || (rc = make_dir(bdir, why, whylen)) != 0 ||
        (rc = make_dir(rdir, why, whylen)) != 0)
        return rc;
    for (c = 0; c < src->n_campaigns; c++) {
        for (k = 0; k < 2; k++) {
            /* as many bundles as it takes, each after the last one's items */
            outbox_cursor_t cur;
            size_t n = 1, max = src->max_items > 0 && src->max_items < BUNDLE_MAX_ITEMS
                                    ? src->max_items : BUNDLE_MAX_ITEMS;
            memset(&cur, 0, sizeof cur);
            while (n > 0) {
                uint8_t *buf = NULL;
                size_t len = 0;
                uint64_t seq;
                n = 0;
                if ((rc = outbox_next_seq(src->store, &seq)) != 0 ||
                    (rc = outbox_bundle_after(src->store, src->campaigns[c], parts[k], seq,
                                              src->cert, src->cert_len, src->signer, max, &cur,
                                              &buf, &len, &n)) != 0) {
                    free(buf);
                    return bn_fail(why, whylen, rc, "outbox of %s: %s", src->campaigns[c],
                                   bn_strerror(rc));
                }
                if (n > 0) {
                    rc = put_bundle(bdir, src->campaigns[c], seq, part_names[k], buf, len, res,
                                    why, whylen);
                    res->items += n;
                }
                free(buf);
                if (rc != 0)
                    return rc;
            }
        }
        if ((rc = report_bundle(src, bdir, src->campaigns[c], res, why, whylen)) != 0)
            return rc;
    }
    if ((rc = copy_reports(src, rdir, res, why, whylen)) != 0)
        return rc;
    (void)store_audit_append(src->store, "exported", res->dir);
    return 0;
}
