/* fuzz_check.c - libFuzzer target: `borne-tally check` on a published
 * folder made of any bytes. The input is a folder packed as text: each
 * file starts with a line "@@@ NAME" (NAME of [A-Za-z0-9._-], at most 64
 * bytes), its bytes follow up to the next such line. The files go into a
 * private folder (emptied first) and publish_check reads them: it must
 * answer (0 agrees, 1 disagrees, or a negative code with a reason),
 * whatever results.json, the CSV files, the Pabulib files, the tracking
 * codes or the petition files hold. Seeds: real published folders
 * (tests/tally/corpus/fuzz_check/, packed by pack_check.sh); the budget's
 * turnout trimmed to two communes a territory, in results.json and
 * turnout.csv alike (check agrees on it): 20 KB instead of 80, so that
 * the runs go 1.5 times as fast and reach further. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "publish.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[256];

static void empty_dir(void)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[600];

    if (d == NULL)
        return;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        unlink(path);
    }
    closedir(d);
}

static int name_ok(const char *s, size_t n)
{
    size_t i;

    if (n == 0 || n > 64 || s[0] == '.')
        return 0;
    for (i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
              (s[i] >= '0' && s[i] <= '9') || s[i] == '.' || s[i] == '_' || s[i] == '-'))
            return 0;
    return 1;
}

/* The next "@@@ " at the start of a line at or after p (p > the input's
 * start), or NULL. */
static const uint8_t *next_header(const uint8_t *p, const uint8_t *end)
{
    for (; p + 4 <= end; p++)
        if (p[-1] == '\n' && memcmp(p, "@@@ ", 4) == 0)
            return p;
    return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *end = data + size, *p = data;
    char why[512];
    FILE *devnull;
    int rc;

    if (dir[0] == '\0') {
        const char *t = getenv("TMPDIR");
        snprintf(dir, sizeof dir, "%s/fuzz_check.XXXXXX", t != NULL ? t : "/tmp");
        if (mkdtemp(dir) == NULL)
            abort();
    }
    empty_dir();
    if (size < 4 || memcmp(data, "@@@ ", 4) != 0)
        return 0;
    while (p != NULL && p < end) {
        const uint8_t *nl = memchr(p, '\n', (size_t)(end - p)), *body, *next;
        char name[65], path[600];
        size_t n;
        FILE *f;

        if (nl == NULL)
            break;
        n = (size_t)(nl - (p + 4));
        body = nl + 1;
        next = body < end ? next_header(body, end) : NULL;
        if (name_ok((const char *)p + 4, n)) {
            memcpy(name, p + 4, n);
            name[n] = '\0';
            snprintf(path, sizeof path, "%s/%s", dir, name);
            if ((f = fopen(path, "wb")) != NULL) {
                size_t len = (size_t)((next != NULL ? next : end) - body);
                if (fwrite(body, 1, len, f) != len)
                    abort();
                fclose(f);
            }
        }
        p = next;
    }
    if ((devnull = fopen("/dev/null", "w")) == NULL)
        abort();
    why[0] = '\0';
    rc = publish_check(dir, devnull, why, sizeof why);
    fclose(devnull);
    if (rc != 0 && rc != 1 && (rc > 0 || why[0] == '\0'))
        abort();
    return 0;
}
