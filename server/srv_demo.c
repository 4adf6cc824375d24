/* srv_demo.c - `borne-server init-demo`: a fresh authority, server, kiosks,
 * signed demo package and secret in one directory (srv_demo.h). */
#include "srv_demo.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bn_err.h"
#include "cert.h"
#include "day.h"
#include "hex.h"
#include "key.h"
#include "pkg.h"
#include "rng.h"
#include "track.h"

int srv_write_file(const char *dir, const char *name, const void *data, size_t len, int mode)
{
    char path[4096], tmp[4200];
    int fd, rc = 0;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    snprintf(tmp, sizeof tmp, "%s.tmp%ld", path, (long)getpid());
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, mode);
    if (fd < 0)
        return BN_EIO;
    if (fchmod(fd, (mode_t)mode) != 0 || write(fd, data, len) != (ssize_t)len || fsync(fd) != 0)
        rc = BN_EIO;
    if (close(fd) != 0)
        rc = BN_EIO;
    if (rc == 0 && rename(tmp, path) != 0)
        rc = BN_EIO;
    if (rc != 0)
        unlink(tmp);
    return rc;
}

static int mkdir_p(const char *dir)
{
    return mkdir(dir, 0700) == 0 || errno == EEXIST ? 0 : BN_EIO;
}

static int write_pem(const char *dir, const char *name, const uint8_t *der, size_t len)
{
    char pem[CERT_PEM_MAX];
    size_t pl;
    int rc = cert_to_pem(der, len, pem, sizeof pem, &pl);

    return rc != 0 ? rc : srv_write_file(dir, name, pem, pl, 0644);
}

int srv_demo_init(const char *dir, const char *assets, char *why, size_t whylen)
{
    rng_t *rng = NULL;
    key_pair_t *auth = NULL, *server = NULL, *kiosk = NULL;
    signer_t as;
    key_pub_t pub;
    uint8_t ca[CERT_DER_MAX], der[CERT_DER_MAX], secret[32], tkey[32], *json = NULL;
    char path[4096], *signed_pkg = NULL, hexs[66];
    size_t ca_len, der_len, json_len, signed_len;
    uint32_t from = day_today() - 1, until = from + 3650;
    int rc, i;

    if ((rc = mkdir_p(dir)) != 0) {
        rc = bn_fail(why, whylen, rc, "%s: cannot create", dir);
        goto out;
    }
    snprintf(path, sizeof path, "%s/demo", dir);
    if ((rc = mkdir_p(path)) != 0)
        goto io;
    snprintf(path, sizeof path, "%s/kiosks", dir);
    if ((rc = mkdir_p(path)) != 0)
        goto io;
    if ((rc = rng_open(&rng)) != 0 || (rc = key_generate(rng, &auth)) != 0 ||
        (rc = key_generate(rng, &server)) != 0)
        goto out;
    key_signer(auth, &as);
    rc = cert_make_authority(auth, rng, "Autorite-demo-35", from, until, ca, sizeof ca, &ca_len,
                             why, whylen);
    if (rc != 0)
        goto out;
    key_public(server, &pub);
    rc = cert_issue(auth, rng, ca, ca_len, &pub, CERT_SERVER, "localhost", from, until, der,
                    sizeof der, &der_len, why, whylen);
    if (rc != 0)
        goto out;
    if ((rc = write_pem(dir, "authority.crt", ca, ca_len)) != 0 ||
        (rc = write_pem(dir, "server.crt", der, der_len)) != 0)
        goto io;
    snprintf(path, sizeof path, "%s/server.key", dir);
    if ((rc = key_save(server, path)) != 0)
        goto io;
    snprintf(path, sizeof path, "%s/demo/authority.key", dir);
    if ((rc = key_save(auth, path)) != 0)
        goto io;
    for (i = 1; i <= 2; i++) {
        char name[64], cn[32];

        key_free(kiosk);
        kiosk = NULL;
        if ((rc = key_generate(rng, &kiosk)) != 0)
            goto out;
        key_public(kiosk, &pub);
        snprintf(cn, sizeof cn, "kiosk-35238-%02d", i);
        rc = cert_issue(auth, rng, ca, ca_len, &pub, CERT_KIOSK, cn, from, until, der, sizeof der,
                        &der_len, why, whylen);
        if (rc != 0)
            goto out;
        snprintf(name, sizeof name, "kiosks/kiosk-%d.crt", i);
        if ((rc = write_pem(dir, name, der, der_len)) != 0)
            goto io;
        snprintf(path, sizeof path, "%s/kiosks/kiosk-%d.key", dir, i);
        if ((rc = key_save(kiosk, path)) != 0)
            goto io;
    }
    for (i = 0; i < 2; i++) {
        static const char *const json_name[2] = {"demo-budget.json", "demo-petition.json"};
        static const char *const id[2] = {"bp35-demo", "pet35-demo"};
        char name[64];

        free(json);
        free(signed_pkg);
        json = NULL;
        signed_pkg = NULL;
        snprintf(path, sizeof path, "%s/campaigns/%s", assets, json_name[i]);
        if ((rc = pkg_read_file(path, &json, &json_len, why, whylen)) != 0 ||
            (rc = pkg_sign((const char *)json, json_len, &as, &signed_pkg, &signed_len, why,
                           whylen)) != 0)
            goto out;
        snprintf(name, sizeof name, "%s.bpkg", id[i]);
        if ((rc = srv_write_file(dir, name, signed_pkg, signed_len, 0644)) != 0)
            goto io;
        /* (SRV-S6) the pseudonym secret goes with the kiosks' enrolment
         * material (kiosks/), the server gets only its tracking key */
        if ((rc = rng_bytes(rng, secret, sizeof secret)) != 0)
            goto out;
        hex_encode(secret, 32, hexs);
        strcat(hexs, "\n");
        snprintf(name, sizeof name, "kiosks/%s.secret", id[i]);
        rc = srv_write_file(dir, name, hexs, 65, 0600);
        if (rc == 0 && (rc = track_key(secret, tkey)) == 0) {
            hex_encode(tkey, 32, hexs);
            strcat(hexs, "\n");
            snprintf(name, sizeof name, "%s.track", id[i]);
            rc = srv_write_file(dir, name, hexs, 65, 0600);
        }
        memset(secret, 0, sizeof secret);
        memset(tkey, 0, sizeof tkey);
        memset(hexs, 0, sizeof hexs);
        if (rc != 0)
            goto io;
    }
    goto out;
io:
    rc = bn_fail(why, whylen, rc, "%s: cannot write its files", dir);
out:
    free(json);
    free(signed_pkg);
    key_free(auth);
    key_free(server);
    key_free(kiosk);
    rng_close(rng);
    return rc;
}
