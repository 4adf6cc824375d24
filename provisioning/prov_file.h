/* prov_file.h - the files borne-admin reads and writes: paths, atomic
 * writes with their mode, copies, digests. */
#ifndef PROV_FILE_H
#define PROV_FILE_H

#include <stddef.h>
#include <stdint.h>

/* "dir/rel", or rel alone when it is absolute or dir is empty or ".". */
void prov_path_join(const char *dir, const char *rel, char *out, size_t cap);

/* The folder of a path ("." when it has none). */
void prov_path_dir(const char *path, char *out, size_t cap);

/* Writes len bytes to path through a temporary file in the same folder,
 * with mode `mode` from its creation, fsync, then rename: a crash leaves the
 * old file or the new one. BN_EIO. */
int prov_file_write(const char *path, const void *data, size_t len, int mode);

/* Reads a whole file (at most `max` bytes) into a malloc'd buffer with a NUL
 * after its end. BN_EIO, BN_ETOOBIG, BN_ENOMEM. */
int prov_file_read(const char *path, size_t max, uint8_t **out, size_t *len);

/* SHA-256 of a file's content. BN_EIO. */
int prov_file_sha256(const char *path, uint8_t digest[32]);

/* Copies a file (prov_file_write on the destination). */
int prov_file_copy(const char *src, const char *dst, int mode);

/* mkdir with `mode`; an existing folder is accepted. BN_EIO. */
int prov_mkdir(const char *path, int mode);

#endif
