/* prov_kiosk.c - campaign secrets, the server's folder, enrolment, revocation,
 * agents (prov_kiosk.h). */
#include "prov_kiosk.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <mbedtls/md.h>
#include <mbedtls/pkcs5.h>
#include <mbedtls/platform_util.h>

#include "bn_err.h"
#include "csr.h"
#include "day.h"
#include "hex.h"
#include "pin.h"
#include "pkg.h"
#include "prov_file.h"
#include "provision.h"
#include "seal.h"
#include "track.h"

#define SECRET_LABEL "borne authority campaign secret v1"

static int write_pem_cert(const char *path, const uint8_t *der, size_t len, int mode)
{
    char pem[CERT_PEM_MAX];
    size_t pl;
    int rc = cert_to_pem(der, len, pem, sizeof pem, &pl);

    return rc != 0 ? rc : prov_file_write(path, pem, pl, mode);
}

static int read_pem_cert(const char *path, uint8_t *der, size_t *len)
{
    uint8_t *pem;
    size_t pl;
    int rc = prov_file_read(path, CERT_PEM_MAX, &pem, &pl);

    if (rc != 0)
        return rc;
    rc = cert_from_pem((const char *)pem, pl, der, CERT_DER_MAX, len) == 0 ? 0 : BN_EFORMAT;
    free(pem);
    return rc;
}

/* --- campaigns ------------------------------------------------------------------------ */

int prov_campaign_register(prov_auth_t *a, const char *authdir, const char *pkg_file,
                           const uint8_t *signed_pkg, size_t len, rng_t *rng, int *made,
                           char *why, size_t whylen)
{
    char path[4200], dir[4096];
    uint8_t secret[32], sealed[32 + SEAL_OVERHEAD];
    pkg_t *p = NULL;
    struct stat st;
    int rc;

    *made = 0;
    if ((rc = pkg_open(signed_pkg, len, &a->signer.pub, NULL, 0, &p, why, whylen)) != 0 &&
        rc != BN_ENOTYET)
        return bn_fail(why, whylen, rc, "%s: %s", pkg_file, why);
    pkg_free(p);
    p = NULL;
    /* the id, without the dates: parse the text before the trailer */
    if ((rc = pkg_parse((const char *)signed_pkg, len - PKG_TRAILER_LEN, &p, why, whylen)) != 0)
        return rc;
    snprintf(dir, sizeof dir, "%s/campaigns", authdir);
    if (prov_mkdir(dir, 0700) != 0) {
        rc = bn_fail(why, whylen, BN_EIO, "%s: cannot be made", dir);
        goto out;
    }
    snprintf(path, sizeof path, "%s/%s.bpkg", dir, p->id);
    if ((rc = prov_file_write(path, signed_pkg, len, 0600)) != 0) {
        rc = bn_fail(why, whylen, rc, "%s: cannot be written", path);
        goto out;
    }
    snprintf(path, sizeof path, "%s/%s.secret", dir, p->id);
    if (stat(path, &st) == 0)
        goto out;
    if ((rc = rng_bytes(rng, secret, sizeof secret)) != 0 ||
        (rc = seal_to(&a->signer.pub, SECRET_LABEL, (const uint8_t *)p->id, strlen(p->id),
                      secret, 32, rng, sealed)) != 0 ||
        (rc = prov_file_write(path, sealed, sizeof sealed, 0600)) != 0) {
        rc = bn_fail(why, whylen, rc, "%s: the campaign's secret cannot be made", path);
        goto out;
    }
    *made = 1;
out:
    mbedtls_platform_zeroize(secret, sizeof secret);
    pkg_free(p);
    return rc;
}

int prov_campaign_secret(prov_auth_t *a, const char *authdir, const char *id,
                         uint8_t secret[32], char *why, size_t whylen)
{
    char path[4096];
    uint8_t *sealed;
    size_t len;
    int rc;

    snprintf(path, sizeof path, "%s/campaigns/%s.secret", authdir, id);
    if ((rc = prov_file_read(path, 1024, &sealed, &len)) != 0)
        return bn_fail(why, whylen, BN_ENOTFOUND, "%s: no secret for campaign %s (sign it with "
                       "borne-admin campaign sign first)", path, id);
    rc = len == 32 + SEAL_OVERHEAD
             ? seal_open(a->key, SECRET_LABEL, (const uint8_t *)id, strlen(id), sealed, len, secret)
             : BN_EFORMAT;
    free(sealed);
    if (rc != 0)
        return bn_fail(why, whylen, BN_EBADSIG, "%s: does not open with this authority's key",
                       path);
    return 0;
}

/* The signed packages of the authority folder: names (ID), malloc'd. */
static int list_campaigns(const char *authdir, char ***ids, int *n)
{
    char dir[4096];
    struct dirent **names = NULL;
    int k, i;

    *ids = NULL;
    *n = 0;
    snprintf(dir, sizeof dir, "%s/campaigns", authdir);
    if ((k = scandir(dir, &names, NULL, alphasort)) < 0)
        return 0;
    *ids = calloc((size_t)k + 1, sizeof **ids);
    for (i = 0; i < k; i++) {
        size_t l = strlen(names[i]->d_name);

        if (*ids != NULL && l > 5 && strcmp(names[i]->d_name + l - 5, ".bpkg") == 0) {
            (*ids)[*n] = strndup(names[i]->d_name, l - 5);
            if ((*ids)[*n] != NULL)
                (*n)++;
        }
        free(names[i]);
    }
    free(names);
    return *ids == NULL ? BN_ENOMEM : 0;
}

static void free_list(char **ids, int n)
{
    while (n > 0)
        free(ids[--n]);
    free(ids);
}

/* --- the server's folder ----------------------------------------------------------------- */

int prov_server_init(prov_auth_t *a, const char *authdir, const char *srvdir, const char *host,
                     const char *address, unsigned port, uint32_t today, rng_t *rng,
                     char *why, size_t whylen)
{
    char path[4096], src[4096], text[512], **ids = NULL;
    uint8_t der[CERT_DER_MAX], secret[32], tkey[32];
    size_t len;
    key_pair_t *k = NULL;
    key_pub_t pub;
    int rc, n = 0, i;

    if (prov_mkdir(srvdir, 0700) != 0 || chmod(srvdir, 0700) != 0) {
        rc = bn_fail(why, whylen, BN_EIO, "%s: cannot be made", srvdir);
        goto out;
    }
    snprintf(path, sizeof path, "%s/kiosks", srvdir);
    if (prov_mkdir(path, 0700) != 0) {
        rc = bn_fail(why, whylen, BN_EIO, "%s: cannot be made", path);
        goto out;
    }
    /* its key: kept when there is one */
    snprintf(path, sizeof path, "%s/server.key", srvdir);
    if (access(path, F_OK) == 0) {
        if ((rc = key_load(path, rng, &k, why, whylen)) != 0)
            goto out;
    } else if ((rc = key_generate(rng, &k)) != 0 || (rc = key_save(k, path)) != 0) {
        rc = bn_fail(why, whylen, rc, "%s: cannot be made", path);
        goto out;
    }
    key_public(k, &pub);
    /* its certificate: kept when it is this authority's, for this host and
     * key, still valid (kiosks pin it: KSYNC-K4); issued otherwise */
    snprintf(path, sizeof path, "%s/server.crt", srvdir);
    {
        cert_info_t info;
        char w[200];

        if (read_pem_cert(path, der, &len) != 0 ||
            cert_verify(der, len, a->ca, a->ca_len, today, CERT_SERVER, host, &info, w,
                        sizeof w) != 0 ||
            memcmp(info.pub.id, pub.id, KEY_ID_LEN) != 0) {
            if ((rc = cert_issue(a->key, rng, a->ca, a->ca_len, &pub, CERT_SERVER, host, today,
                                 a->info.not_after, der, sizeof der, &len, why, whylen)) != 0)
                goto out;
            if ((rc = write_pem_cert(path, der, len, 0644)) != 0)
                goto io;
        }
    }
    snprintf(path, sizeof path, "%s/authority.crt", srvdir);
    if ((rc = write_pem_cert(path, a->ca, a->ca_len, 0644)) != 0)
        goto io;
    snprintf(text, sizeof text, "{\"host\": \"%s\", \"address\": \"%s\", \"port\": %u}\n", host,
             address, port);
    snprintf(path, sizeof path, "%s/server.json", srvdir);
    if ((rc = prov_file_write(path, text, strlen(text), 0644)) != 0)
        goto io;
    /* every campaign, with its tracking key only (SRV-S6) */
    if ((rc = list_campaigns(authdir, &ids, &n)) != 0)
        goto out;
    for (i = 0; i < n; i++) {
        char hexs[66];

        snprintf(src, sizeof src, "%s/campaigns/%s.bpkg", authdir, ids[i]);
        snprintf(path, sizeof path, "%s/%s.bpkg", srvdir, ids[i]);
        if ((rc = prov_file_copy(src, path, 0644)) != 0)
            goto io;
        if ((rc = prov_campaign_secret(a, authdir, ids[i], secret, why, whylen)) != 0)
            goto out;
        rc = track_key(secret, tkey);
        mbedtls_platform_zeroize(secret, sizeof secret);
        if (rc != 0)
            goto out;
        hex_encode(tkey, 32, hexs);
        strcat(hexs, "\n");
        mbedtls_platform_zeroize(tkey, sizeof tkey);
        snprintf(path, sizeof path, "%s/%s.track", srvdir, ids[i]);
        rc = prov_file_write(path, hexs, 65, 0600);
        mbedtls_platform_zeroize(hexs, sizeof hexs);
        if (rc != 0)
            goto io;
    }
    snprintf(src, sizeof src, "%s/revocations.brl", authdir);
    snprintf(path, sizeof path, "%s/revocations.brl", srvdir);
    if (access(src, F_OK) == 0 && (rc = prov_file_copy(src, path, 0644)) != 0)
        goto io;
    rc = 0;
    goto out;
io:
    rc = bn_fail(why, whylen, rc, "%s: cannot be written", path);
out:
    free_list(ids, n);
    key_free(k);
    return rc;
}

/* --- enrolment --------------------------------------------------------------------------- */

/* "kiosk-INSEE-NN": the commune's INSEE code into commune[6]. */
static int kiosk_id_ok(const char *id, char commune[6])
{
    size_t n = strlen(id), i;

    if (n < 14 || n > 20 || strncmp(id, "kiosk-", 6) != 0 || id[11] != '-')
        return 0;
    for (i = 6; i < 11; i++)
        if (!((id[i] >= '0' && id[i] <= '9') || id[i] == 'A' || id[i] == 'B'))
            return 0;
    for (i = 12; i < n; i++)
        if (id[i] < '0' || id[i] > '9')
            return 0;
    memcpy(commune, id + 6, 5);
    commune[5] = '\0';
    return 1;
}

/* The agents of one commune, as the kiosk reads them (agents.json). */
static int agents_for(const char *authdir, const char *commune, char **out)
{
    char path[4096];
    uint8_t *text = NULL;
    size_t len;
    cJSON *root = NULL, *arr, *all, *it;
    int rc = BN_ENOMEM;

    *out = NULL;
    if ((root = cJSON_CreateObject()) == NULL ||
        cJSON_AddStringToObject(root, "format", "borne-agents/1") == NULL ||
        cJSON_AddStringToObject(root, "commune", commune) == NULL ||
        (arr = cJSON_AddArrayToObject(root, "agents")) == NULL)
        goto out;
    snprintf(path, sizeof path, "%s/agents.json", authdir);
    if (prov_file_read(path, 1u << 20, &text, &len) == 0 &&
        (all = cJSON_ParseWithLength((const char *)text, len)) != NULL) {
        cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(all, "agents")) {
            const cJSON *c = cJSON_GetObjectItemCaseSensitive(it, "commune");

            if (cJSON_IsString(c) && strcmp(c->valuestring, commune) == 0)
                cJSON_AddItemToArray(arr, cJSON_Duplicate(it, 1));
        }
        cJSON_Delete(all);
    }
    if ((*out = cJSON_Print(root)) != NULL)
        rc = 0;
out:
    free(text);
    cJSON_Delete(root);
    return rc;
}

int prov_kiosk_enroll(prov_auth_t *a, const char *authdir, const char *reqdir,
                      const char *srvdir, const char *id, const char *outdir, uint32_t today,
                      uint32_t days, rng_t *rng, char *why, size_t whylen)
{
    provision_t *m = NULL;
    char path[4096], src[4096], w[512] = "", commune[6], **ids = NULL, *agents = NULL;
    uint8_t *csr = NULL, *sj = NULL, der[CERT_DER_MAX], secret[32];
    size_t len, der_len;
    key_pub_t kpub;
    cJSON *srv = NULL;
    int rc, n = 0, i, known = 0;

    if (!kiosk_id_ok(id, commune))
        return bn_fail(why, whylen, BN_EINVAL, "kiosk id \"%s\": kiosk-INSEE-NN is expected, "
                       "e.g. kiosk-35238-01 (the commune's INSEE code, a number)", id);
    /* the request: the key the kiosk holds, proven by its signature */
    snprintf(path, sizeof path, "%s/kiosk.csr", reqdir);
    if ((rc = prov_file_read(path, CSR_PEM_MAX, &csr, &len)) != 0) {
        rc = bn_fail(why, whylen, rc, "%s: cannot be read (borne --enroll writes it)", path);
        goto out;
    }
    if ((rc = csr_check((const char *)csr, len, &kpub, w, sizeof w)) != 0) {
        rc = bn_fail(why, whylen, rc, "%s: %s", path, w);
        goto out;
    }
    /* the server it will talk to */
    snprintf(path, sizeof path, "%s/server.json", srvdir);
    if ((rc = prov_file_read(path, 4096, &sj, &len)) != 0 ||
        (srv = cJSON_ParseWithLength((const char *)sj, len)) == NULL) {
        rc = bn_fail(why, whylen, rc != 0 ? rc : BN_EFORMAT, "%s: cannot be read (borne-admin "
                     "server init makes it)", path);
        goto out;
    }
    if ((m = calloc(1, sizeof *m)) == NULL) {
        rc = BN_ENOMEM;
        goto out;
    }
    snprintf(m->kiosk, sizeof m->kiosk, "%s", id);
    strcpy(m->commune, commune);
    memcpy(m->kiosk_key, kpub.id, KEY_ID_LEN);
    m->issued = today;
    m->expires = today + days;
    {
        const cJSON *h = cJSON_GetObjectItemCaseSensitive(srv, "host"),
                    *ad = cJSON_GetObjectItemCaseSensitive(srv, "address"),
                    *p = cJSON_GetObjectItemCaseSensitive(srv, "port");
        if (!cJSON_IsString(h) || !cJSON_IsString(ad) || !cJSON_IsNumber(p)) {
            rc = bn_fail(why, whylen, BN_EFORMAT, "%s: host, address and port expected", path);
            goto out;
        }
        snprintf(m->host, sizeof m->host, "%s", h->valuestring);
        snprintf(m->address, sizeof m->address, "%s", ad->valuestring);
        m->port = (unsigned)p->valuedouble;
    }
    if (prov_mkdir(outdir, 0700) != 0) {
        rc = bn_fail(why, whylen, BN_EIO, "%s: cannot be made", outdir);
        goto out;
    }
    /* the campaigns: each package, its secret sealed to this kiosk's key */
    if ((rc = list_campaigns(authdir, &ids, &n)) != 0)
        goto out;
    if (n == 0) {
        rc = bn_fail(why, whylen, BN_ENOTFOUND, "%s/campaigns: no signed campaign (borne-admin "
                     "campaign sign first)", authdir);
        goto out;
    }
    for (i = 0; i < n; i++) {
        uint8_t *file = NULL;
        size_t flen;
        pkg_t *p = NULL;

        snprintf(src, sizeof src, "%s/campaigns/%s.bpkg", authdir, ids[i]);
        if (prov_file_read(src, PKG_MAX_BYTES, &file, &flen) == 0 && flen > PKG_TRAILER_LEN &&
            pkg_parse((const char *)file, flen - PKG_TRAILER_LEN, &p, NULL, 0) == 0) {
            m->departement[0] = '\0';
            snprintf(m->departement, sizeof m->departement, "%s", p->departement);
            known |= pkg_find_commune(p, commune) >= 0;
        }
        pkg_free(p);
        free(file);
        snprintf(path, sizeof path, "%s/%s.bpkg", outdir, ids[i]);
        if ((rc = prov_file_copy(src, path, 0644)) != 0) {
            rc = bn_fail(why, whylen, rc, "%s: cannot be written", path);
            goto out;
        }
        snprintf(m->files[m->n_files++].name, sizeof m->files[0].name, "%s.bpkg", ids[i]);
        if ((rc = prov_campaign_secret(a, authdir, ids[i], secret, why, whylen)) != 0)
            goto out;
        rc = provision_add_secret(m, &kpub, ids[i], secret, rng);
        mbedtls_platform_zeroize(secret, sizeof secret);
        if (rc != 0)
            goto out;
    }
    if (!known) {
        rc = bn_fail(why, whylen, BN_EINVAL, "kiosk %s: commune %s is in none of the campaigns",
                     id, commune);
        goto out;
    }
    /* its certificate, in the authority's list and the server's */
    if ((rc = cert_issue(a->key, rng, a->ca, a->ca_len, &kpub, CERT_KIOSK, id, today,
                         a->info.not_after, der, sizeof der, &der_len, why, whylen)) != 0)
        goto out;
    snprintf(path, sizeof path, "%s/kiosks", authdir);
    prov_mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/kiosks/%s.crt", authdir, id);
    if ((rc = write_pem_cert(path, der, der_len, 0600)) != 0)
        goto io;
    snprintf(path, sizeof path, "%s/kiosks/%s.crt", srvdir, id);
    if ((rc = write_pem_cert(path, der, der_len, 0644)) != 0)
        goto io;
    snprintf(path, sizeof path, "%s/kiosk.crt", outdir);
    if ((rc = write_pem_cert(path, der, der_len, 0644)) != 0)
        goto io;
    snprintf(path, sizeof path, "%s/authority.crt", outdir);
    if ((rc = write_pem_cert(path, a->ca, a->ca_len, 0644)) != 0)
        goto io;
    snprintf(src, sizeof src, "%s/server.crt", srvdir);
    snprintf(path, sizeof path, "%s/server.crt", outdir);
    if ((rc = prov_file_copy(src, path, 0644)) != 0)
        goto io;
    if ((rc = agents_for(authdir, commune, &agents)) != 0)
        goto out;
    snprintf(path, sizeof path, "%s/agents.json", outdir);
    if ((rc = prov_file_write(path, agents, strlen(agents), 0644)) != 0)
        goto io;
    strcpy(m->files[m->n_files++].name, "kiosk.crt");
    strcpy(m->files[m->n_files++].name, "authority.crt");
    strcpy(m->files[m->n_files++].name, "server.crt");
    strcpy(m->files[m->n_files++].name, "agents.json");
    rc = provision_sign(m, outdir, &a->signer, why, whylen);
    goto out;
io:
    rc = bn_fail(why, whylen, rc, "%s: cannot be written", path);
out:
    free_list(ids, n);
    free(agents);
    free(csr);
    free(sj);
    cJSON_Delete(srv);
    if (m != NULL)
        mbedtls_platform_zeroize(m, sizeof *m);
    free(m);
    return rc;
}

/* --- revocation --------------------------------------------------------------------------- */

int prov_kiosk_revoke(prov_auth_t *a, const char *authdir, const char *srvdir, const char *id,
                      uint32_t since, uint32_t today, char *why, size_t whylen)
{
    char path[4096];
    uint8_t der[CERT_DER_MAX], *old = NULL, *ids = NULL, *list = NULL;
    uint32_t *days = NULL, seq = 1, n = 0, i;
    size_t der_len, olen = 0, llen = 0;
    cert_revoked_t r;
    key_pub_t pub;
    int rc;

    snprintf(path, sizeof path, "%s/kiosks/%s.crt", authdir, id);
    if (read_pem_cert(path, der, &der_len) != 0 || cert_key(der, der_len, &pub) != 0)
        return bn_fail(why, whylen, BN_ENOTFOUND, "kiosk %s: this authority never enrolled it "
                       "(no %s)", id, path);
    snprintf(path, sizeof path, "%s/revocations.brl", authdir);
    memset(&r, 0, sizeof r);
    if (prov_file_read(path, CERT_REVOKE_LEN_SINCE(CERT_REVOKE_MAX), &old, &olen) == 0 &&
        (rc = cert_revoke_open(old, olen, &a->signer.pub, &r, why, whylen)) != 0) {
        rc = bn_fail(why, whylen, rc, "%s: %s", path, why);
        goto out;
    }
    if ((ids = malloc(((size_t)r.n + 1) * KEY_ID_LEN)) == NULL ||
        (days = malloc(((size_t)r.n + 1) * sizeof *days)) == NULL) {
        rc = BN_ENOMEM;
        goto out;
    }
    for (i = 0; i < r.n; i++) {
        uint32_t d = 0;

        (void)cert_revoked_since(&r, cert_revoked_id(&r, i), &d);
        if (memcmp(cert_revoked_id(&r, i), pub.id, KEY_ID_LEN) == 0)
            continue; /* listed again with the new day */
        memcpy(ids + (size_t)n * KEY_ID_LEN, cert_revoked_id(&r, i), KEY_ID_LEN);
        days[n++] = d == 0 ? 1 : d;
    }
    memcpy(ids + (size_t)n * KEY_ID_LEN, pub.id, KEY_ID_LEN);
    days[n++] = since == 0 ? 1 : since;
    if (olen > 0)
        seq = r.seq + 1;
    if ((rc = cert_revoke_sign_since(&a->signer, today, seq, ids, days, n, &list, &llen)) != 0 ||
        (rc = prov_file_write(path, list, llen, 0600)) != 0) {
        rc = bn_fail(why, whylen, rc, "%s: cannot be written", path);
        goto out;
    }
    if (srvdir != NULL) {
        snprintf(path, sizeof path, "%s/revocations.brl", srvdir);
        if ((rc = prov_file_write(path, list, llen, 0644)) != 0) {
            rc = bn_fail(why, whylen, rc, "%s: cannot be written", path);
            goto out;
        }
    }
    rc = 0;
out:
    free(old);
    free(ids);
    free(days);
    free(list);
    return rc;
}

/* --- agents ------------------------------------------------------------------------------ */

static cJSON *agents_load(const char *authdir, char *why, size_t whylen)
{
    char path[4096];
    uint8_t *text = NULL;
    size_t len;
    cJSON *root;

    snprintf(path, sizeof path, "%s/agents.json", authdir);
    if (prov_file_read(path, 1u << 20, &text, &len) != 0) {
        root = cJSON_CreateObject();
        if (root != NULL) {
            cJSON_AddStringToObject(root, "format", "borne-agents/1");
            cJSON_AddArrayToObject(root, "agents");
        }
        return root;
    }
    root = cJSON_ParseWithLength((const char *)text, len);
    free(text);
    if (root == NULL || !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(root, "agents"))) {
        bn_fail(why, whylen, BN_EFORMAT, "%s: not an agents file", path);
        cJSON_Delete(root);
        return NULL;
    }
    return root;
}

static int agents_save(const char *authdir, cJSON *root, char *why, size_t whylen)
{
    char path[4096], *text = cJSON_Print(root);
    int rc;

    if (text == NULL)
        return BN_ENOMEM;
    snprintf(path, sizeof path, "%s/agents.json", authdir);
    rc = prov_file_write(path, text, strlen(text), 0600);
    free(text);
    return rc != 0 ? bn_fail(why, whylen, rc, "%s: cannot be written", path) : 0;
}

static const char *field(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : "";
}

int prov_agent_add(const char *authdir, const char *commune, const char *id, const char *name,
                   const char *role, const char *pin, rng_t *rng, char *why, size_t whylen)
{
    cJSON *root = NULL, *arr, *it, *o;
    char stored[PIN_HASH_MAX];
    size_t n = strlen(pin), i;
    int rc;

    if (strlen(commune) != 5 || strspn(commune, "0123456789AB") != 5)
        return bn_fail(why, whylen, BN_EINVAL, "commune \"%s\": an INSEE code of 5 characters "
                       "is expected (35238 for Rennes)", commune);
    if (id[0] == '\0' || strlen(id) > 32 || strspn(id, "abcdefghijklmnopqrstuvwxyz0123456789-") !=
                                                strlen(id))
        return bn_fail(why, whylen, BN_EINVAL, "agent id \"%s\": 1 to 32 of a-z, 0-9, '-'", id);
    if (strcmp(role, "agent") != 0 && strcmp(role, "technician") != 0)
        return bn_fail(why, whylen, BN_EINVAL, "role \"%s\": \"agent\" (open, pause, close, "
                       "sync, export) or \"technician\" (enrol, load a package, wipe)", role);
    for (i = 0; i < n && pin[i] >= '0' && pin[i] <= '9'; i++)
        ;
    if (!pin_valid(pin))
        return bn_fail(why, whylen, BN_EINVAL, "the PIN must be %d to %d digits (it has %zu "
                       "character%s%s)", PIN_MIN, PIN_MAX, n, n == 1 ? "" : "s",
                       i != n ? ", not all digits" : "");
    if ((root = agents_load(authdir, why, whylen)) == NULL)
        return BN_EFORMAT;
    arr = cJSON_GetObjectItemCaseSensitive(root, "agents");
    cJSON_ArrayForEach(it, arr) {
        if (strcmp(field(it, "id"), id) == 0) {
            rc = bn_fail(why, whylen, BN_EEXISTS, "agent %s already exists (remove it first to "
                         "change it)", id);
            goto out;
        }
        /* never two agents of one commune with the same PIN: the PIN alone
         * names the agent at the kiosk */
        if (strcmp(field(it, "commune"), commune) == 0 &&
            pin_check(field(it, "pin"), pin)) {
            rc = bn_fail(why, whylen, BN_EEXISTS, "agent %s of commune %s already has this PIN: "
                         "choose another", field(it, "id"), commune);
            goto out;
        }
    }
    if ((rc = pin_hash(pin, rng, stored)) != 0)
        goto out;
    rc = BN_ENOMEM;
    if ((o = cJSON_CreateObject()) == NULL)
        goto out;
    cJSON_AddItemToArray(arr, o);
    if (cJSON_AddStringToObject(o, "id", id) == NULL ||
        cJSON_AddStringToObject(o, "name", name) == NULL ||
        cJSON_AddStringToObject(o, "commune", commune) == NULL ||
        cJSON_AddStringToObject(o, "role", role) == NULL ||
        cJSON_AddStringToObject(o, "pin", stored) == NULL)
        goto out;
    rc = agents_save(authdir, root, why, whylen);
out:
    cJSON_Delete(root);
    return rc;
}

int prov_agent_remove(const char *authdir, const char *id, char *why, size_t whylen)
{
    cJSON *root = agents_load(authdir, why, whylen), *arr;
    int i = 0, rc;

    if (root == NULL)
        return BN_EFORMAT;
    arr = cJSON_GetObjectItemCaseSensitive(root, "agents");
    for (i = 0; i < cJSON_GetArraySize(arr); i++)
        if (strcmp(field(cJSON_GetArrayItem(arr, i), "id"), id) == 0)
            break;
    if (i == cJSON_GetArraySize(arr)) {
        cJSON_Delete(root);
        return bn_fail(why, whylen, BN_ENOTFOUND, "no agent %s", id);
    }
    cJSON_DeleteItemFromArray(arr, i);
    rc = agents_save(authdir, root, why, whylen);
    cJSON_Delete(root);
    return rc;
}

int prov_agent_list(const char *authdir, const char *commune, int json, char *why, size_t whylen)
{
    cJSON *root = agents_load(authdir, why, whylen), *it, *out = cJSON_CreateArray();
    int n = 0;

    if (root == NULL || out == NULL) {
        cJSON_Delete(root);
        cJSON_Delete(out);
        return BN_EFORMAT;
    }
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(root, "agents")) {
        if (commune != NULL && strcmp(field(it, "commune"), commune) != 0)
            continue;
        n++;
        if (json) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "id", field(it, "id"));
            cJSON_AddStringToObject(o, "name", field(it, "name"));
            cJSON_AddStringToObject(o, "commune", field(it, "commune"));
            cJSON_AddStringToObject(o, "role", field(it, "role"));
            cJSON_AddItemToArray(out, o);
        } else {
            printf("%-20s %-10s %-5s %s\n", field(it, "id"), field(it, "role"),
                   field(it, "commune"), field(it, "name"));
        }
    }
    if (json) {
        char *s = cJSON_Print(out);
        if (s != NULL)
            printf("%s\n", s);
        free(s);
    } else if (n == 0) {
        printf("no agent%s%s\n", commune ? " of commune " : "", commune ? commune : "");
    }
    cJSON_Delete(out);
    cJSON_Delete(root);
    return 0;
}
