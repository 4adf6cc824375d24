/* escpos.c - a poll report as an ESC/POS job (escpos.h). */
#include "escpos.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bn_err.h"

int escpos_print(const char *device, const char *text, size_t len, const char *qr, char *why,
                 size_t whylen)
{
    size_t qlen = strlen(qr), n = 0, i, cap = len + qlen + 64;
    uint8_t *job = malloc(cap), *p;
    int fd, rc = 0;

    if (job == NULL)
        return bn_fail(why, whylen, BN_ENOMEM, "out of memory");
    p = job;
    *p++ = 0x1b; *p++ = '@';                               /* reset */
    *p++ = 0x1b; *p++ = 'a'; *p++ = 0;                     /* left */
    for (i = 0; i < len; i++)
        *p++ = text[i] == '\n' || (text[i] >= 0x20 && text[i] < 0x7f) ? (uint8_t)text[i] : '?';
    *p++ = '\n';
    *p++ = 0x1b; *p++ = 'a'; *p++ = 1;                     /* centre */
    {
        static const uint8_t model[] = {0x1d, '(', 'k', 4, 0, '1', 'A', '2', 0};
        static const uint8_t size[] = {0x1d, '(', 'k', 3, 0, '1', 'C', 6};
        static const uint8_t ec[] = {0x1d, '(', 'k', 3, 0, '1', 'E', '1'};
        static const uint8_t print[] = {0x1d, '(', 'k', 3, 0, '1', 'Q', '0'};
        size_t k = qlen + 3;
        memcpy(p, model, sizeof model);
        p += sizeof model;
        memcpy(p, size, sizeof size);
        p += sizeof size;
        memcpy(p, ec, sizeof ec);
        p += sizeof ec;
        *p++ = 0x1d; *p++ = '('; *p++ = 'k'; *p++ = (uint8_t)(k & 0xff); *p++ = (uint8_t)(k >> 8);
        *p++ = '1'; *p++ = 'P'; *p++ = '0';
        memcpy(p, qr, qlen);
        p += qlen;
        memcpy(p, print, sizeof print);
        p += sizeof print;
    }
    *p++ = '\n'; *p++ = '\n'; *p++ = '\n';
    *p++ = 0x1d; *p++ = 'V'; *p++ = 66; *p++ = 0;          /* feed and cut */
    n = (size_t)(p - job);
    if ((fd = open(device, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0644)) < 0) {
        rc = bn_fail(why, whylen, BN_EIO, "%s: %s", device, strerror(errno));
        goto out;
    }
    for (i = 0; i < n;) {
        ssize_t k = write(fd, job + i, n - i);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            rc = bn_fail(why, whylen, BN_EIO, "%s: %s", device, strerror(k < 0 ? errno : EIO));
            break;
        }
        i += (size_t)k;
    }
    if (close(fd) != 0 && rc == 0)
        rc = bn_fail(why, whylen, BN_EIO, "%s: %s", device, strerror(errno));
out:
    free(job);
    return rc;
}
