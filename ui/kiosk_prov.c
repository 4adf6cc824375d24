/* kiosk_prov.c - a kiosk's side of enrolment: its key and certificate
 * request (borne --enroll), the provisioning bundle imported (borne
 * --provision), polls opened (borne --open-polls). No SDL here. */
#include "kiosk.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <mbedtls/platform_util.h>

#include "bn_err.h"
#include "cert.h"
#include "csr.h"
#include "day.h"
#include "key.h"
#include "ksync.h"
#include "pkg.h"
#include "prov_demo.h"
#include "prov_kiosk.h"
#include "provision.h"
#include "rng.h"
#include "tpm.h"
#include "store.h"

static int put_file(const char *dir, const char *name, const void *data, size_t len, int mode)
{
    char path[1200], tmp[1300];
    FILE *f;
    int ok;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    f = fopen(tmp, "wb");
    ok = f != NULL && fwrite(data, 1, len, f) == len;
    if (f != NULL && (fflush(f) != 0 || fsync(fileno(f)) != 0 || fclose(f) != 0))
        ok = 0;
    if (ok && (chmod(tmp, (mode_t)mode) != 0 || rename(tmp, path) != 0))
        ok = 0;
    if (!ok)
        unlink(tmp);
    return ok ? 0 : BN_EIO;
}

static int copy_in(const char *from, const char *to, const char *name, int mode, char *why,
                   size_t whylen)
{
    char path[1200];
    uint8_t *b = NULL;
    size_t len;
    int rc;

    snprintf(path, sizeof path, "%s/%s", from, name);
    if ((rc = pkg_read_file(path, &b, &len, why, whylen)) != 0)
        return rc;
    rc = put_file(to, name, b, len, mode);
    free(b);
    return rc != 0 ? bn_fail(why, whylen, rc, "%s/%s: cannot be written", to, name) : 0;
}

/* The CA certificate pinned in the state directory, if any: 1, 0, or <0. */
static int pinned_ca(const char *state, uint8_t *der, size_t *len)
{
    char path[1200];
    uint8_t *pem = NULL;
    size_t pl;
    int rc;

    snprintf(path, sizeof path, "%s/authority.crt", state);
    if (access(path, F_OK) != 0)
        return 0;
    if (pkg_read_file(path, &pem, &pl, NULL, 0) != 0)
        return BN_EIO;
    rc = cert_from_pem((const char *)pem, pl, der, CERT_DER_MAX, len) == 0 ? 1 : BN_EFORMAT;
    free(pem);
    return rc;
}

int kiosk_use_tpm(const char *state, const char *tcti, char *why, size_t whylen)
{
    char path[1200], line[300];
    int n;

    if (mkdir(state, 0700) != 0 && errno != EEXIST)
        return bn_fail(why, whylen, BN_EIO, "%s: cannot be made: %s", state, strerror(errno));
    snprintf(path, sizeof path, "%s/kiosk.key", state);
    if (access(path, F_OK) == 0)
        return bn_fail(why, whylen, BN_EEXISTS, "%s: this kiosk's key is already a file; a "
                       "kiosk changes key only by a new enrolment in a new state folder", path);
    if (strlen(tcti) >= sizeof line - 1 || strchr(tcti, '\n') != NULL)
        return bn_fail(why, whylen, BN_EINVAL, "--tpm %s: not a TCTI", tcti);
    n = snprintf(line, sizeof line, "%s\n", tcti);
    return put_file(state, "tpm", line, (size_t)n, 0600) == 0
               ? 0
               : bn_fail(why, whylen, BN_EIO, "%s/tpm: cannot be written", state);
}

int kiosk_key(const char *state, rng_t *rng, int create, key_pair_t **k, tpm_t **tpm,
              char *why, size_t whylen)
{
    char path[1200], tcti[300];
    uint8_t *text = NULL;
    size_t len = 0;
    signer_t s;
    int rc;

    *k = NULL;
    *tpm = NULL;
    snprintf(path, sizeof path, "%s/tpm", state);
    if (access(path, F_OK) == 0) {
        /* (TPM-T1) the key is in the TPM that STATE/tpm names */
        if ((rc = pkg_read_file(path, &text, &len, why, whylen)) != 0)
            return rc;
        snprintf(tcti, sizeof tcti, "%.*s", (int)(len < sizeof tcti ? len : sizeof tcti - 1),
                 (const char *)text);
        free(text);
        tcti[strcspn(tcti, "\r\n")] = '\0';
        if ((rc = tpm_open(tcti[0] != '\0' ? tcti : NULL, tpm, why, whylen)) != 0 ||
            (rc = tpm_key(*tpm, &s, why, whylen)) != 0 ||
            (rc = key_from_signer(&s, tpm_ecdh, k)) != 0) {
            tpm_close(*tpm);
            *tpm = NULL;
            return rc;
        }
        return 0;
    }
    snprintf(path, sizeof path, "%s/kiosk.key", state);
    if (access(path, F_OK) == 0)
        return key_load(path, rng, k, why, whylen);
    if (!create)
        return bn_fail(why, whylen, BN_ENOTFOUND, "%s: no kiosk key: run borne --enroll first",
                       state);
    if ((rc = key_generate(rng, k)) != 0 || (rc = key_save(*k, path)) != 0) {
        key_free(*k);
        *k = NULL;
        return bn_fail(why, whylen, rc, "%s: cannot be made", path);
    }
    return 0;
}

int kiosk_enroll(const char *state, const char *out, const char *authority, uint32_t today,
                 char fpr[CERT_FPR_LEN], char *why, size_t whylen)
{
    char path[1200], pem[CSR_PEM_MAX];
    uint8_t der[CERT_DER_MAX], *cpem = NULL;
    size_t len = 0, der_len = 0, cl = 0;
    key_pair_t *k = NULL;
    tpm_t *tpm = NULL;
    key_pub_t pub;
    rng_t *rng = NULL;
    int rc;

    if ((mkdir(state, 0700) != 0 && errno != EEXIST) || (mkdir(out, 0700) != 0 && errno != EEXIST))
        return bn_fail(why, whylen, BN_EIO, "%s or %s: cannot be made: %s", state, out,
                       strerror(errno));
    if ((rc = rng_open(&rng)) != 0)
        return bn_fail(why, whylen, rc, "random generator");
    /* the authority to trust, pinned now: bundles of any other are refused */
    if (authority != NULL) {
        cert_info_t info;
        char w[256];

        if ((rc = pkg_read_file(authority, &cpem, &cl, why, whylen)) != 0)
            goto out;
        if (cert_from_pem((const char *)cpem, cl, der, sizeof der, &der_len) != 0 ||
            (rc = cert_verify(der, der_len, der, der_len, today, CERT_AUTHORITY, NULL, &info, w,
                              sizeof w)) != 0) {
            rc = bn_fail(why, whylen, rc != 0 ? rc : BN_EFORMAT, "%s: not the authority's "
                         "certificate: %s", authority, rc != 0 ? w : "not PEM");
            goto out;
        }
        if ((rc = put_file(state, "authority.crt", cpem, cl, 0644)) != 0) {
            rc = bn_fail(why, whylen, rc, "%s/authority.crt: cannot be written", state);
            goto out;
        }
        snprintf(path, sizeof path, "%s/authority.pub.pem", state);
        if ((rc = key_pub_save(&info.pub, path)) != 0)
            goto out;
        if (fpr != NULL)
            cert_fingerprint(der, der_len, fpr);
    } else if (fpr != NULL) {
        fpr[0] = '\0';
    }
    /* its own key: made here (or in its TPM), never leaves (kept if the
     * kiosk has one) */
    if ((rc = kiosk_key(state, rng, 1, &k, &tpm, why, whylen)) != 0)
        goto out;
    key_public(k, &pub);
    snprintf(path, sizeof path, "%s/kiosk.pub.pem", state);
    if ((rc = key_pub_save(&pub, path)) != 0 ||
        (rc = csr_make(k, rng, "borne-kiosk", pem, sizeof pem, &len)) != 0 ||
        (rc = put_file(out, "kiosk.csr", pem, len, 0644)) != 0) {
        rc = bn_fail(why, whylen, rc, "the request cannot be written to %s", out);
        goto out;
    }
out:
    free(cpem);
    key_free(k);
    tpm_close(tpm);
    rng_close(rng);
    return rc;
}

int kiosk_provision(const char *bundle, const char *state, uint32_t today, char *why,
                    size_t whylen)
{
    provision_t *m = calloc(1, sizeof *m);
    uint8_t pinned[CERT_DER_MAX], ca[CERT_DER_MAX], secret[32], *pkg = NULL;
    size_t pinned_len = 0, ca_len = 0, plen;
    char path[1200], conf[600], dept[8];
    key_pair_t *k = NULL;
    tpm_t *tpm = NULL;
    rng_t *rng = NULL;
    store_t *st = NULL;
    int rc, has_pin, i;

    if (m == NULL)
        return BN_ENOMEM;
    if ((rc = rng_open(&rng)) != 0)
        goto out;
    if ((rc = kiosk_key(state, rng, 0, &k, &tpm, why, whylen)) != 0)
        goto out;
    if ((has_pin = pinned_ca(state, pinned, &pinned_len)) < 0) {
        rc = bn_fail(why, whylen, has_pin, "%s/authority.crt: unreadable", state);
        goto out;
    }
    /* (PROV-B1) everything checked before anything is taken */
    if ((rc = provision_open(bundle, has_pin ? pinned : NULL, pinned_len, k, today, m, ca,
                             &ca_len, why, whylen)) != 0)
        goto out;
    for (i = 0; i < m->n_files; i++)
        if ((rc = copy_in(bundle, state, m->files[i].name, 0644, why, whylen)) != 0)
            goto out;
    {
        key_pub_t kpub;

        key_public(k, &kpub);
        snprintf(path, sizeof path, "%s/kiosk.pub.pem", state);
        if ((rc = key_pub_save(&kpub, path)) != 0)
            goto out;
    }
    {
        key_pub_t apub;

        if ((rc = cert_key(ca, ca_len, &apub)) != 0)
            goto out;
        snprintf(path, sizeof path, "%s/authority.pub.pem", state);
        if ((rc = key_pub_save(&apub, path)) != 0)
            goto out;
    }
    snprintf(dept, sizeof dept, "%s\n", m->departement);
    snprintf(conf, sizeof conf,
             "# server.conf - written by borne --provision from the bundle of %s\n"
             "# (firmware/net/ksync.h lists every key)\n"
             "host = %s\naddress = %s\nport = %u\n", m->kiosk, m->host, m->address, m->port);
    if ((rc = put_file(state, "departement", dept, strlen(dept), 0644)) != 0 ||
        (rc = put_file(state, KSYNC_CONF_FILE, conf, strlen(conf), 0644)) != 0 ||
        (rc = put_file(state, "kiosk-id", m->kiosk, strlen(m->kiosk), 0644)) != 0) {
        rc = bn_fail(why, whylen, rc, "%s: cannot be written", state);
        goto out;
    }
    /* the campaigns with their secrets; polls stay as they are (closed for a
     * new campaign: agents open them) */
    snprintf(path, sizeof path, "%s/kiosk.db", state);
    if ((rc = store_open(path, &st, why, whylen)) != 0)
        goto out;
    for (i = 0; i < m->n_secrets; i++) {
        free(pkg);
        pkg = NULL;
        snprintf(path, sizeof path, "%s/%s.bpkg", state, m->secrets[i].campaign);
        if ((rc = pkg_read_file(path, &pkg, &plen, why, whylen)) != 0)
            goto out;
        if ((rc = provision_secret(m, k, m->secrets[i].campaign, secret)) != 0) {
            rc = bn_fail(why, whylen, rc, "campaign %s: its secret does not open with this "
                         "kiosk's key", m->secrets[i].campaign);
            goto out;
        }
        rc = store_put_campaign(st, m->secrets[i].campaign, pkg, plen, secret);
        mbedtls_platform_zeroize(secret, sizeof secret);
        if (rc != 0 || (rc = store_audit_append(st, "package-loaded", m->secrets[i].campaign)) != 0) {
            rc = bn_fail(why, whylen, rc, "store: campaign %s", m->secrets[i].campaign);
            goto out;
        }
    }
out:
    store_close(st);
    free(pkg);
    key_free(k);
    tpm_close(tpm);
    rng_close(rng);
    mbedtls_platform_zeroize(m, sizeof *m);
    free(m);
    return rc;
}

int kiosk_open_polls(const char *state, const char *campaign, char *why, size_t whylen)
{
    char path[1200], key[64];
    uint8_t *pkg = NULL, secret[32];
    size_t len;
    store_t *st = NULL;
    int rc;

    snprintf(path, sizeof path, "%s/kiosk.db", state);
    if ((rc = store_open(path, &st, why, whylen)) != 0)
        return rc;
    if ((rc = store_get_campaign(st, campaign, &pkg, &len, secret)) != 0) {
        rc = bn_fail(why, whylen, rc, "campaign %s is not on this kiosk", campaign);
        goto out;
    }
    snprintf(key, sizeof key, "polls:%s", campaign);
    if ((rc = store_meta_set(st, key, "open")) != 0 ||
        (rc = store_audit_append(st, "polls-opened", campaign)) != 0)
        rc = bn_fail(why, whylen, rc, "store");
out:
    mbedtls_platform_zeroize(secret, sizeof secret);
    free(pkg);
    store_close(st);
    return rc;
}

/* --- the demonstration, set up as a technician would (prov_demo.h) --------------- */

static const char *const demo_names[4] = {"demo-budget", "demo-petition", "demo-ideas",
                                          "demo-questionnaire"};
static const unsigned demo_bits[4] = {KIOSK_DEMO_BUDGET, KIOSK_DEMO_PETITION, KIOSK_DEMO_IDEAS,
                                      KIOSK_DEMO_QUEST};

static void unlink_in(const char *dir, const char *name)
{
    char path[1200];

    snprintf(path, sizeof path, "%s/%s", dir, name);
    (void)unlink(path);
}

/* A fresh store and no campaign files left by an earlier set-up. */
static void fresh_state(const char *dir)
{
    static const char *const old[] = {"kiosk.db", "kiosk.db-journal", "kiosk.db-wal",
                                      "bp35-demo.bpkg", "pet35-demo.bpkg", "idees35-demo.bpkg",
                                      "consult35-demo.bpkg", KSYNC_CONF_FILE,
                                      "authority.crt", NULL};
    int i;

    for (i = 0; old[i] != NULL; i++)
        unlink_in(dir, old[i]);
}

int kiosk_init_demo(const char *dir, const char *assets, char *why, size_t whylen)
{
    return kiosk_init_demo_with(dir, assets, KIOSK_DEMO_BUDGET, why, whylen);
}

int kiosk_init_demo_with(const char *dir, const char *assets, unsigned campaigns, char *why,
                         size_t whylen)
{
    char authdir[1100], srvdir[1100], usb[1100], bundle[1200], crt[1200];
    char ids[4][PKG_ID_MAX + 1] = {"", "", "", ""};
    prov_auth_t *a = NULL;
    rng_t *rng = NULL;
    uint32_t today = day_today();
    int rc, i;

    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return bn_fail(why, whylen, BN_EIO, "cannot create %s: %s", dir, strerror(errno));
    fresh_state(dir);
    snprintf(authdir, sizeof authdir, "%s/demo", dir);
    if (mkdir(authdir, 0700) != 0 && errno != EEXIST)
        return bn_fail(why, whylen, BN_EIO, "cannot create %s: %s", authdir, strerror(errno));
    snprintf(authdir, sizeof authdir, "%s/demo/authority", dir);
    snprintf(srvdir, sizeof srvdir, "%s/demo/server", dir);
    snprintf(usb, sizeof usb, "%s/demo/usb", dir);
    snprintf(bundle, sizeof bundle, "%s/bundle", usb);
    snprintf(crt, sizeof crt, "%s/authority.crt", authdir);
    /* the authority signs the campaigns; a server folder for the bundle's
     * server address (this kiosk runs alone: its server.conf is dropped) */
    if ((rc = rng_open(&rng)) != 0 ||
        (rc = prov_demo_authority(authdir, rng, today, &a, why, whylen)) != 0)
        goto out;
    for (i = 0; i < 4; i++)
        if ((campaigns & demo_bits[i]) &&
            (rc = prov_demo_campaign(a, authdir, assets, demo_names[i], rng, ids[i], why,
                                     whylen)) != 0)
            goto out;
    if ((rc = prov_server_init(a, authdir, srvdir, "localhost", "127.0.0.1", 8443, today - 1, rng,
                               why, whylen)) != 0 ||
        (rc = kiosk_enroll(dir, usb, crt, today, NULL, why, whylen)) != 0 ||
        (rc = prov_kiosk_enroll(a, authdir, usb, srvdir, "kiosk-35238-01", bundle, today - 1,
                                PROV_DEMO_DAYS, rng, why, whylen)) != 0 ||
        (rc = kiosk_provision(bundle, dir, today, why, whylen)) != 0)
        goto out;
    unlink_in(dir, KSYNC_CONF_FILE);
    for (i = 0; i < 4; i++)
        if (ids[i][0] != '\0' && (rc = kiosk_open_polls(dir, ids[i], why, whylen)) != 0)
            goto out;
out:
    prov_auth_close(a);
    rng_close(rng);
    return rc;
}

int kiosk_init_from_server(const char *dir, const char *srv, int n, unsigned port, char *why,
                           size_t whylen)
{
    char id[32], src[1200], bundle[1200], conf[600];
    uint8_t *key = NULL;
    size_t len;
    int rc, i;

    if (n < 1 || n > 99 || port == 0 || port > 65535)
        return bn_fail(why, whylen, BN_EINVAL, "kiosk number 1..99 and port 1..65535");
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return bn_fail(why, whylen, BN_EIO, "cannot create %s: %s", dir, strerror(errno));
    fresh_state(dir);
    snprintf(id, sizeof id, "kiosk-35238-%02d", n);
    /* demo only: the key `borne-server init-demo` made for this kiosk */
    snprintf(src, sizeof src, "%s/kiosks/%s.key", srv, id);
    if ((rc = pkg_read_file(src, &key, &len, why, whylen)) != 0)
        return rc;
    unlink_in(dir, "kiosk.key");
    rc = put_file(dir, "kiosk.key", key, len, 0600);
    mbedtls_platform_zeroize(key, len);
    free(key);
    if (rc != 0)
        return bn_fail(why, whylen, rc, "%s/kiosk.key: cannot be written", dir);
    snprintf(bundle, sizeof bundle, "%s/demo/%s/bundle", srv, id);
    if ((rc = kiosk_provision(bundle, dir, day_today(), why, whylen)) != 0)
        return rc;
    snprintf(conf, sizeof conf,
             "# server.conf - where borne-server is (firmware/net/ksync.h lists every key)\n"
             "host = localhost\naddress = 127.0.0.1\nport = %u\n"
             "batch-casts = 10\nbatch-delay-s = 7200\nreserve-timeout-ms = 1500\n", port);
    if ((rc = put_file(dir, KSYNC_CONF_FILE, conf, strlen(conf), 0644)) != 0)
        return bn_fail(why, whylen, rc, "%s/%s: cannot be written", dir, KSYNC_CONF_FILE);
    for (i = 0; i < 2; i++)
        if ((rc = kiosk_open_polls(dir, i == 0 ? "bp35-demo" : "pet35-demo", why, whylen)) != 0)
            return rc;
    return 0;
}

/* Overwrites a file with zeros, flushes, removes it. */
static int shred(const char *path)
{
    FILE *f = fopen(path, "r+b");
    static const uint8_t zero[4096];
    long n;
    int rc = 0;

    if (f == NULL)
        return errno == ENOENT ? 0 : BN_EIO;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0) {
        while (n > 0 && rc == 0) {
            size_t k = n > (long)sizeof zero ? sizeof zero : (size_t)n;
            if (fwrite(zero, 1, k, f) != k)
                rc = BN_EIO;
            n -= (long)k;
        }
    }
    if (fflush(f) != 0 || fsync(fileno(f)) != 0)
        rc = BN_EIO;
    fclose(f);
    if (unlink(path) != 0)
        rc = BN_EIO;
    return rc;
}

int kiosk_wipe(const char *state, char *why, size_t whylen)
{
    static const char *const files[] = {"kiosk.db", "kiosk.db-journal", "kiosk.db-wal",
                                        "kiosk.db-shm", "agents.json", "provision.json",
                                        "provision.sig", NULL};
    char path[1200];
    struct dirent **names = NULL;
    int i, n, rc = 0;

    /* (KIOSK-W1) the store (register, box, outbox, audit, secrets), the
     * agents, the packages and the reports: overwritten, flushed, removed */
    for (i = 0; files[i] != NULL && rc == 0; i++) {
        snprintf(path, sizeof path, "%s/%s", state, files[i]);
        rc = shred(path);
    }
    if (rc == 0 && (n = scandir(state, &names, NULL, alphasort)) >= 0) {
        for (i = 0; i < n; i++) {
            size_t k = strlen(names[i]->d_name);
            if (rc == 0 && k > 5 && strcmp(names[i]->d_name + k - 5, ".bpkg") == 0) {
                snprintf(path, sizeof path, "%s/%s", state, names[i]->d_name);
                rc = shred(path);
            }
            free(names[i]);
        }
        free(names);
    }
    snprintf(path, sizeof path, "%s/reports", state);
    if (rc == 0 && (n = scandir(path, &names, NULL, alphasort)) >= 0) {
        for (i = 0; i < n; i++) {
            if (rc == 0 && names[i]->d_name[0] != '.') {
                char f[1500];
                snprintf(f, sizeof f, "%s/%s", path, names[i]->d_name);
                rc = shred(f);
            }
            free(names[i]);
        }
        free(names);
        if (rc == 0 && rmdir(path) != 0)
            rc = BN_EIO;
    }
    if (rc != 0)
        return bn_fail(why, whylen, rc, "%s: could not be wiped: %s", state, strerror(errno));
    return 0;
}
