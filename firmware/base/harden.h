/* harden.h - what a borne process does first, before it reads a key or a
 * secret: (HARDEN-H1) files it creates are 0600 at most (umask 077);
 * (HARDEN-H2) no core dump can hold its keys or a campaign secret (core
 * size limit 0, and not dumpable: no ptrace by another user, no core);
 * (HARDEN-H3) key material kept out of swap where the system allows it
 * (mlockall when RLIMIT_MEMLOCK is unlimited, as the systemd units set it;
 * otherwise said in `note`, and the process goes on). */
#ifndef HARDEN_H
#define HARDEN_H

#include <stddef.h>

#define HARDEN_LOCKED 1 /* harden_process: memory locked (HARDEN-H3) */

/* Returns HARDEN_LOCKED or 0; BN_EIO (with `note`) when the core limit or
 * the dumpable flag cannot be set, which a caller should treat as fatal.
 * `note` (may be NULL) says what could not be done. */
int harden_process(char *note, size_t notelen);

/* (HARDEN-H1) Makes an existing file at most owner-readable and -writable
 * (0600): databases and their journals made by an older version, or under
 * a wider umask. 0, or BN_EIO naming the file. A missing file is 0. */
int harden_file(const char *path, char *why, size_t whylen);

/* (HARDEN-H4) A directory that holds keys, campaign secrets or ballots (a
 * kiosk's state directory, the server's folder): 0 when neither group nor
 * others can read, write or enter it; BN_EPERM otherwise, with the mode and
 * the command that fixes it in `why`; BN_EIO when it cannot be read. It is
 * refused, not narrowed: a folder opened wide by someone is worth a look. */
int harden_dir_private(const char *path, char *why, size_t whylen);

#endif
