/* pkg_file.c - signed package files: signing, opening, reading from disk.
 *
 * A signed package file is the canonical campaign text followed by a
 * fixed-size trailer (docs/formats.md, "Signed package file"). Opening
 * checks, in this order: trailer, key id, signature, canonical form, fields,
 * departement, validity window; the first failure is the reason given. */
#include "pkg.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bn_err.h"
#include "day.h"
#include "hex.h"
#include "pkg_int.h"

/* The signature trailer (docs/formats.md, "Signed package file"). */
#define TR_BEGIN "-----BEGIN BORNE SIGNATURE-----\n"
#define TR_KEYID "key-id: "
#define TR_SIG "signature: "
#define TR_END "-----END BORNE SIGNATURE-----\n"
enum {
    TR_KEYID_OFF = sizeof TR_BEGIN - 1 + sizeof TR_KEYID - 1,          /* 40 */
    TR_SIG_OFF = TR_KEYID_OFF + 2 * KEY_ID_LEN + 1 + sizeof TR_SIG - 1, /* 116 */
    TR_END_OFF = TR_SIG_OFF + 2 * KEY_SIG_LEN + 1                       /* 245 */
};
_Static_assert(TR_END_OFF + sizeof TR_END - 1 == PKG_TRAILER_LEN, "trailer length");

/* --- the signed package file ---------------------------------------------------------- */

int pkg_sign(const char *json, size_t len, const signer_t *authority, char **out,
             size_t *outlen, char *why, size_t whylen)
{
    char *canon = NULL, *file = NULL, *t;
    size_t clen = 0;
    uint8_t sig[KEY_SIG_LEN];
    int rc;

    if (out == NULL || outlen == NULL || authority == NULL || (json == NULL && len > 0))
        return bn_fail(why, whylen, BN_EINVAL, "invalid argument");
    *out = NULL;
    *outlen = 0;
    if ((rc = pkg__parse_full(json != NULL ? json : "", len, NULL, &canon, &clen, why,
                              whylen)) != 0)
        goto out;
    if ((rc = key_sign_msg(authority, canon, clen, sig)) != 0) {
        rc = bn_fail(why, whylen, rc, "signing failed: %s", bn_strerror(rc));
        goto out;
    }
    /* A faulty signer must not yield a package that every kiosk refuses. */
    if ((rc = key_verify_msg(&authority->pub, canon, clen, sig)) != 0) {
        rc = bn_fail(why, whylen, BN_ECRYPTO, "the signer made a signature that does not verify");
        goto out;
    }
    file = malloc(clen + PKG_TRAILER_LEN + 1);
    if (file == NULL) {
        rc = bn_fail(why, whylen, BN_ENOMEM, "out of memory");
        goto out;
    }
    memcpy(file, canon, clen);
    t = file + clen;
    memcpy(t, TR_BEGIN TR_KEYID, TR_KEYID_OFF);
    hex_encode(authority->pub.id, KEY_ID_LEN, t + TR_KEYID_OFF);
    memcpy(t + TR_KEYID_OFF + 2 * KEY_ID_LEN, "\n" TR_SIG, TR_SIG_OFF - TR_KEYID_OFF - 2 * KEY_ID_LEN);
    hex_encode(sig, KEY_SIG_LEN, t + TR_SIG_OFF);
    memcpy(t + TR_SIG_OFF + 2 * KEY_SIG_LEN, "\n" TR_END, sizeof TR_END + 1); /* and a NUL */
    *out = file;
    *outlen = clen + PKG_TRAILER_LEN;
out:
    free(canon);
    return rc;
}

/* Whether the fixed parts of a trailer are in place (the hex is checked when
 * decoded). */
static int trailer_frame(const uint8_t *t)
{
    return memcmp(t, TR_BEGIN TR_KEYID, TR_KEYID_OFF) == 0 &&
           memcmp(t + TR_KEYID_OFF + 2 * KEY_ID_LEN, "\n" TR_SIG,
                  TR_SIG_OFF - TR_KEYID_OFF - 2 * KEY_ID_LEN) == 0 &&
           memcmp(t + TR_END_OFF - 1, "\n" TR_END, sizeof TR_END) == 0;
}

int pkg_open(const uint8_t *file, size_t len, const key_pub_t *authority,
             const char *departement, uint32_t today, pkg_t **out, char *why, size_t whylen)
{
    const uint8_t *t;
    uint8_t kid[KEY_ID_LEN], sig[KEY_SIG_LEN];
    char a[2 * KEY_ID_LEN + 1], b[2 * KEY_ID_LEN + 1], d1[DAY_TEXT_LEN + 1], d2[DAY_TEXT_LEN + 1];
    char *canon = NULL;
    size_t jlen, clen = 0, i;
    pkg_t *p = NULL;
    int rc;

    if (out == NULL || authority == NULL || (file == NULL && len > 0))
        return bn_fail(why, whylen, BN_EINVAL, "invalid argument");
    *out = NULL;
    if (len < PKG_TRAILER_LEN || !trailer_frame(file + len - PKG_TRAILER_LEN))
        return bn_fail(why, whylen, BN_EUNSIGNED, "no signature trailer at the end of the file");
    t = file + len - PKG_TRAILER_LEN;
    jlen = len - PKG_TRAILER_LEN;
    if (hex_decode((const char *)t + TR_KEYID_OFF, 2 * KEY_ID_LEN, kid, KEY_ID_LEN) != 0)
        return bn_fail(why, whylen, BN_EUNSIGNED,
                       "malformed signature trailer: key-id is not 64 lowercase hex digits");
    if (hex_decode((const char *)t + TR_SIG_OFF, 2 * KEY_SIG_LEN, sig, KEY_SIG_LEN) != 0)
        return bn_fail(why, whylen, BN_EUNSIGNED,
                       "malformed signature trailer: signature is not 128 lowercase hex digits");
    if (memcmp(kid, authority->id, KEY_ID_LEN) != 0) {
        hex_encode(kid, KEY_ID_LEN, a);
        hex_encode(authority->id, KEY_ID_LEN, b);
        return bn_fail(why, whylen, BN_EWRONGKEY,
                       "signed by key %.16s..., not by the authority %.16s...", a, b);
    }
    rc = key_verify_msg(authority, file, jlen, sig);
    if (rc == BN_EBADSIG)
        return bn_fail(why, whylen, rc, "signature does not match: the package was modified");
    if (rc != 0)
        return bn_fail(why, whylen, rc, "cannot check the signature: %s", bn_strerror(rc));
    /* Signed by the authority: now the content. */
    if ((rc = pkg__parse_full((const char *)file, jlen, &p, &canon, &clen, why, whylen)) != 0)
        goto out;
    if (clen != jlen || memcmp(canon, file, jlen) != 0) {
        for (i = 0; i < clen && i < jlen && (uint8_t)canon[i] == file[i]; i++)
            ;
        rc = bn_fail(why, whylen, BN_EFORMAT, "not in canonical form (first difference at byte %zu)",
                     i);
        goto out;
    }
    if (departement != NULL && strcmp(p->departement, departement) != 0) {
        rc = bn_fail(why, whylen, BN_EDEPT, "package is for departement %s, not %s",
                     p->departement, departement);
        goto out;
    }
    if (today < p->valid_from) {
        day_format(p->valid_from, d1);
        rc = bn_fail(why, whylen, BN_ENOTYET, "valid from %s", d1);
        goto out;
    }
    if (today > p->valid_until) {
        day_format(p->valid_until + 1, d1);
        day_format(p->valid_until, d2);
        rc = bn_fail(why, whylen, BN_EEXPIRED, "expired on %s (valid until %s)", d1, d2);
        goto out;
    }
    *out = p;
    p = NULL;
out:
    pkg_free(p);
    free(canon);
    return rc;
}

int pkg_read_file(const char *path, uint8_t **out, size_t *len, char *why, size_t whylen)
{
    struct stat st;
    uint8_t *buf = NULL;
    size_t got = 0;
    ssize_t r;
    int fd, rc = 0;

    if (path == NULL || out == NULL || len == NULL)
        return bn_fail(why, whylen, BN_EINVAL, "invalid argument");
    *out = NULL;
    *len = 0;
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return bn_fail(why, whylen, BN_EIO, "%s: %s", path, strerror(errno));
    if (fstat(fd, &st) != 0) {
        rc = bn_fail(why, whylen, BN_EIO, "%s: %s", path, strerror(errno));
        goto out;
    }
    if (!S_ISREG(st.st_mode)) {
        rc = bn_fail(why, whylen, BN_EIO, "%s: not a regular file", path);
        goto out;
    }
    if (st.st_size > (off_t)PKG_MAX_BYTES) {
        rc = bn_fail(why, whylen, BN_ETOOBIG, "%s: %lld bytes, more than the %u a package may have",
                     path, (long long)st.st_size, PKG_MAX_BYTES);
        goto out;
    }
    buf = malloc((size_t)st.st_size + 1);
    if (buf == NULL) {
        rc = bn_fail(why, whylen, BN_ENOMEM, "out of memory");
        goto out;
    }
    while (got < (size_t)st.st_size) {
        r = read(fd, buf + got, (size_t)st.st_size - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            rc = bn_fail(why, whylen, BN_EIO, "%s: %s", path, strerror(errno));
            goto out;
        }
        if (r == 0)
            break; /* shrank while read: take what is there */
        got += (size_t)r;
    }
    buf[got] = 0;
    *out = buf;
    *len = got;
    buf = NULL;
out:
    free(buf);
    close(fd);
    return rc;
}
