/* srv_demo.c - `borne-server init-demo`: a demonstration server folder,
 * made with borne-admin's functions as a technician makes a real one
 * (provisioning/prov_demo.h), plus what the tests need (srv_demo.h). */
#include "srv_demo.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <mbedtls/platform_util.h>

#include "bn_err.h"
#include "csr.h"
#include "day.h"
#include "hex.h"
#include "key.h"
#include "pkg.h"
#include "prov_demo.h"
#include "prov_file.h"
#include "prov_kiosk.h"
#include "rng.h"

int srv_write_file(const char *dir, const char *name, const void *data, size_t len, int mode)
{
    char path[4096];

    snprintf(path, sizeof path, "%s/%s", dir, name);
    return prov_file_write(path, data, len, mode);
}

/* Demo kiosk n: its key beside the server (kiosks/ID.key: demo only, for
 * the tests' clients), its request, its enrolment and bundle. */
static int demo_kiosk(prov_auth_t *a, const char *dir, int n, uint32_t day, rng_t *rng,
                      char *why, size_t whylen)
{
    char id[32], path[4300], req[4200], pem[CSR_PEM_MAX];
    key_pair_t *k = NULL;
    size_t len;
    int rc;

    snprintf(id, sizeof id, "kiosk-35238-%02d", n);
    snprintf(req, sizeof req, "%s/demo/%s", dir, id);
    snprintf(path, sizeof path, "%s/kiosks/%s.key", dir, id);
    if (prov_mkdir(req, 0700) != 0)
        return bn_fail(why, whylen, BN_EIO, "%s: cannot be made", req);
    if ((rc = key_generate(rng, &k)) != 0 || (rc = key_save(k, path)) != 0 ||
        (rc = csr_make(k, rng, "borne-kiosk", pem, sizeof pem, &len)) != 0 ||
        (snprintf(path, sizeof path, "%s/kiosk.csr", req),
         rc = prov_file_write(path, pem, len, 0644)) != 0) {
        rc = bn_fail(why, whylen, rc, "%s: its key or request cannot be made", id);
        goto out;
    }
    snprintf(path, sizeof path, "%s/bundle", req);
    {
        char authdir[4200], reqdir[4200];

        snprintf(authdir, sizeof authdir, "%s/demo", dir);
        snprintf(reqdir, sizeof reqdir, "%s/demo/%s", dir, id);
        rc = prov_kiosk_enroll(a, authdir, reqdir, dir, id, path, day, PROV_DEMO_DAYS, rng, why,
                               whylen);
    }
out:
    key_free(k);
    return rc;
}

int srv_demo_init(const char *dir, const char *assets, int kiosks, char *why, size_t whylen)
{
    static const char *const names[4] = {"demo-budget", "demo-petition", "demo-ideas",
                                         "demo-questionnaire"};
    prov_auth_t *a = NULL;
    rng_t *rng = NULL;
    char authdir[4096], path[4200], id[PKG_ID_MAX + 1], hexs[66];
    uint8_t secret[32];
    uint32_t day = day_today() - 1;
    int rc, i;

    snprintf(authdir, sizeof authdir, "%s/demo", dir);
    snprintf(path, sizeof path, "%s/kiosks", dir);
    if (prov_mkdir(dir, 0700) != 0 || prov_mkdir(path, 0700) != 0)
        return bn_fail(why, whylen, BN_EIO, "%s: cannot create", dir);
    if ((rc = rng_open(&rng)) != 0 ||
        (rc = prov_demo_authority(authdir, rng, day + 1, &a, why, whylen)) != 0)
        goto out;
    for (i = 0; i < 4; i++) {
        if ((rc = prov_demo_campaign(a, authdir, assets, names[i], rng, id, why, whylen)) != 0)
            goto out;
        /* demo only: the secret in clear beside the kiosks' keys, for the
         * tests' tools that compute pseudonyms; never read by the server */
        if ((rc = prov_campaign_secret(a, authdir, id, secret, why, whylen)) != 0)
            goto out;
        hex_encode(secret, 32, hexs);
        strcat(hexs, "\n");
        snprintf(path, sizeof path, "%s/kiosks/%s.secret", dir, id);
        rc = prov_file_write(path, hexs, 65, 0600);
        mbedtls_platform_zeroize(secret, sizeof secret);
        mbedtls_platform_zeroize(hexs, sizeof hexs);
        if (rc != 0) {
            rc = bn_fail(why, whylen, rc, "%s: cannot be written", path);
            goto out;
        }
    }
    if ((rc = prov_server_init(a, authdir, dir, "localhost", "127.0.0.1", 8443, day, rng, why,
                               whylen)) != 0)
        goto out;
    if (kiosks < 1 || kiosks > SRV_DEMO_KIOSKS_MAX) {
        rc = bn_fail(why, whylen, BN_EINVAL, "%d kiosks: from 1 to %d", kiosks,
                     SRV_DEMO_KIOSKS_MAX);
        goto out;
    }
    for (i = 1; i <= kiosks; i++)
        if ((rc = demo_kiosk(a, dir, i, day, rng, why, whylen)) != 0)
            goto out;
out:
    prov_auth_close(a);
    rng_close(rng);
    return rc;
}
