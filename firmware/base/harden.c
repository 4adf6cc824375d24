/* harden.c - process and file hardening (harden.h). */
#include "harden.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "bn_err.h"

int harden_process(char *note, size_t notelen)
{
    struct rlimit core = {0, 0}, lock;

    if (note != NULL && notelen > 0)
        note[0] = '\0';
    (void)umask(077);                                            /* (HARDEN-H1) */
    if (setrlimit(RLIMIT_CORE, &core) != 0 ||                    /* (HARDEN-H2) */
        prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
        return bn_fail(note, notelen, BN_EIO, "core dumps cannot be disabled: %s",
                       strerror(errno));
    /* (HARDEN-H3) with a bounded limit, MCL_FUTURE would make allocations
     * fail once the limit is reached: lock only when unlimited */
    if (getrlimit(RLIMIT_MEMLOCK, &lock) == 0 && lock.rlim_cur == RLIM_INFINITY &&
        mlockall(MCL_CURRENT | MCL_FUTURE) == 0)
        return HARDEN_LOCKED;
    if (note != NULL)
        snprintf(note, notelen, "memory not locked (RLIMIT_MEMLOCK is not unlimited: "
                 "LimitMEMLOCK=infinity in the unit): keys may reach swap");
    return 0;
}

int harden_dir_private(const char *path, char *why, size_t whylen)
{
    struct stat sb;

    if (stat(path, &sb) != 0)
        return bn_fail(why, whylen, BN_EIO, "%s: %s", path, strerror(errno));
    if (!S_ISDIR(sb.st_mode))
        return bn_fail(why, whylen, BN_EIO, "%s: not a directory", path);
    if ((sb.st_mode & 077) != 0) /* (HARDEN-H4) */
        return bn_fail(why, whylen, BN_EPERM, "%s is mode %04o: group or others can reach the "
                       "keys and ballots in it; run: chmod 700 %s", path,
                       (unsigned)(sb.st_mode & 07777), path);
    return 0;
}

int harden_file(const char *path, char *why, size_t whylen)
{
    struct stat sb;

    if (stat(path, &sb) != 0)
        return errno == ENOENT ? 0 : bn_fail(why, whylen, BN_EIO, "%s: %s", path,
                                             strerror(errno));
    if ((sb.st_mode & 077) == 0)
        return 0;
    if (chmod(path, sb.st_mode & 0700) != 0)
        return bn_fail(why, whylen, BN_EIO, "%s: mode %04o, and it cannot be made 0600: %s",
                       path, (unsigned)(sb.st_mode & 07777), strerror(errno));
    return 0;
}
