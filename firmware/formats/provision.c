/* provision.c - the provisioning bundle (provision.h). */
#include "provision.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "bn_err.h"
#include "day.h"
#include "hex.h"

#define MANIFEST "provision.json"
#define SIGFILE "provision.sig"
#define MANIFEST_MAX (64u << 10)

/* The additional data of a sealed secret: kiosk id, '/', campaign id. */
static size_t secret_aad(const char *kiosk, const char *campaign, uint8_t *out, size_t cap)
{
    int n = snprintf((char *)out, cap, "%s/%s", kiosk, campaign);
    return n > 0 && (size_t)n < cap ? (size_t)n : 0;
}

int provision_add_secret(provision_t *m, const key_pub_t *to, const char *campaign,
                         const uint8_t secret[32], rng_t *rng)
{
    uint8_t aad[128];
    size_t alen = secret_aad(m->kiosk, campaign, aad, sizeof aad);
    int rc;

    if (m->n_secrets == PROVISION_MAX_SECRETS || alen == 0 || strlen(campaign) > PKG_ID_MAX)
        return BN_EINVAL;
    if ((rc = seal_to(to, PROVISION_SECRET_LABEL, aad, alen, secret, 32, rng,
                      m->secrets[m->n_secrets].sealed)) != 0)
        return rc;
    strcpy(m->secrets[m->n_secrets].campaign, campaign);
    m->n_secrets++;
    return 0;
}

int provision_secret(const provision_t *m, key_pair_t *kiosk, const char *campaign,
                     uint8_t secret[32])
{
    uint8_t aad[128];
    size_t alen = secret_aad(m->kiosk, campaign, aad, sizeof aad);
    int i;

    for (i = 0; i < m->n_secrets; i++)
        if (strcmp(m->secrets[i].campaign, campaign) == 0)
            return seal_open(kiosk, PROVISION_SECRET_LABEL, aad, alen, m->secrets[i].sealed,
                             PROVISION_SEALED_LEN, secret) == 0 ? 0 : BN_EBADSIG;
    return BN_ENOTFOUND;
}

static int read_in(const char *dir, const char *name, uint8_t **buf, size_t *len, char *why,
                   size_t whylen)
{
    char path[4096];

    snprintf(path, sizeof path, "%s/%s", dir, name);
    return pkg_read_file(path, buf, len, why, whylen);
}

static int write_in(const char *dir, const char *name, const void *data, size_t len)
{
    char path[4096], tmp[4200];
    int fd, rc = 0;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0)
        return BN_EIO;
    if (write(fd, data, len) != (ssize_t)len || fsync(fd) != 0)
        rc = BN_EIO;
    if (close(fd) != 0)
        rc = BN_EIO;
    if (rc == 0 && rename(tmp, path) != 0)
        rc = BN_EIO;
    if (rc != 0)
        unlink(tmp);
    return rc;
}

int provision_sign(provision_t *m, const char *dir, const signer_t *authority, char *why,
                   size_t whylen)
{
    cJSON *root = cJSON_CreateObject(), *o;
    char d1[11], d2[11], hexs[2 * PROVISION_SEALED_LEN + 1], *text = NULL, sigline[256];
    uint8_t *buf = NULL, sig[KEY_SIG_LEN];
    size_t len;
    int rc = BN_ENOMEM, i;

    if (root == NULL)
        return BN_ENOMEM;
    day_format(m->issued, d1);
    day_format(m->expires, d2);
    hex_encode(m->kiosk_key, KEY_ID_LEN, hexs);
    if (cJSON_AddStringToObject(root, "format", PROVISION_FORMAT) == NULL ||
        cJSON_AddStringToObject(root, "kiosk", m->kiosk) == NULL ||
        cJSON_AddStringToObject(root, "commune", m->commune) == NULL ||
        cJSON_AddStringToObject(root, "departement", m->departement) == NULL ||
        cJSON_AddStringToObject(root, "kiosk_key", hexs) == NULL ||
        cJSON_AddStringToObject(root, "issued", d1) == NULL ||
        cJSON_AddStringToObject(root, "expires", d2) == NULL ||
        (o = cJSON_AddObjectToObject(root, "server")) == NULL ||
        cJSON_AddStringToObject(o, "host", m->host) == NULL ||
        cJSON_AddStringToObject(o, "address", m->address) == NULL ||
        cJSON_AddNumberToObject(o, "port", m->port) == NULL ||
        (o = cJSON_AddObjectToObject(root, "files")) == NULL)
        goto out;
    for (i = 0; i < m->n_files; i++) {
        free(buf);
        buf = NULL;
        if ((rc = read_in(dir, m->files[i].name, &buf, &len, why, whylen)) != 0)
            goto out;
        key_sha256(buf, len, m->files[i].sha256);
        hex_encode(m->files[i].sha256, 32, hexs);
        rc = BN_ENOMEM;
        if (cJSON_AddStringToObject(o, m->files[i].name, hexs) == NULL)
            goto out;
    }
    if ((o = cJSON_AddObjectToObject(root, "secrets")) == NULL)
        goto out;
    for (i = 0; i < m->n_secrets; i++) {
        hex_encode(m->secrets[i].sealed, PROVISION_SEALED_LEN, hexs);
        if (cJSON_AddStringToObject(o, m->secrets[i].campaign, hexs) == NULL)
            goto out;
    }
    if ((text = cJSON_Print(root)) == NULL)
        goto out;
    len = strlen(text);
    if ((rc = key_sign_msg(authority, text, len, sig)) != 0)
        goto out;
    hex_encode(authority->pub.id, KEY_ID_LEN, hexs);
    i = snprintf(sigline, sizeof sigline, "key-id: %s\nsignature: ", hexs);
    hex_encode(sig, KEY_SIG_LEN, sigline + i);
    strcat(sigline, "\n");
    if ((rc = write_in(dir, MANIFEST, text, len)) != 0 ||
        (rc = write_in(dir, SIGFILE, sigline, strlen(sigline))) != 0)
        rc = bn_fail(why, whylen, rc, "%s: cannot write the manifest", dir);
out:
    free(buf);
    free(text);
    cJSON_Delete(root);
    return rc;
}

static const char *str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* The manifest's fields into m (provision__parse_manifest: the fuzz
 * target's way in, past the signature). */
static int parse_manifest(const char *text, size_t len, provision_t *m, char *why, size_t whylen)
{
    cJSON *root = cJSON_ParseWithLength(text, len), *it;
    const cJSON *srv, *files, *secrets;
    const char *s;
    int rc = BN_EFORMAT;

    memset(m, 0, sizeof *m);
    if (root == NULL || !cJSON_IsObject(root)) {
        rc = bn_fail(why, whylen, BN_EFORMAT, MANIFEST ": not a JSON object");
        goto out;
    }
#define NEED(cond, ...) do { if (!(cond)) { rc = bn_fail(why, whylen, BN_EFORMAT, __VA_ARGS__); goto out; } } while (0)
    NEED((s = str(root, "format")) != NULL && strcmp(s, PROVISION_FORMAT) == 0,
         MANIFEST ": format: \"%s\" expected", PROVISION_FORMAT);
    NEED((s = str(root, "kiosk")) != NULL && strlen(s) <= CERT_NAME_MAX, MANIFEST ": kiosk");
    strcpy(m->kiosk, s);
    NEED((s = str(root, "commune")) != NULL && strlen(s) == 5, MANIFEST ": commune");
    strcpy(m->commune, s);
    NEED((s = str(root, "departement")) != NULL && strlen(s) >= 2 && strlen(s) <= 3,
         MANIFEST ": departement");
    strcpy(m->departement, s);
    NEED((s = str(root, "kiosk_key")) != NULL && strlen(s) == 64 &&
             hex_decode(s, 64, m->kiosk_key, KEY_ID_LEN) == 0, MANIFEST ": kiosk_key");
    NEED((s = str(root, "issued")) != NULL && day_parse(s, &m->issued) == 0, MANIFEST ": issued");
    NEED((s = str(root, "expires")) != NULL && day_parse(s, &m->expires) == 0,
         MANIFEST ": expires");
    srv = cJSON_GetObjectItemCaseSensitive(root, "server");
    NEED((s = str(srv, "host")) != NULL && strlen(s) < sizeof m->host, MANIFEST ": server.host");
    strcpy(m->host, s);
    NEED((s = str(srv, "address")) != NULL && strlen(s) < sizeof m->address,
         MANIFEST ": server.address");
    strcpy(m->address, s);
    it = cJSON_GetObjectItemCaseSensitive(srv, "port");
    NEED(cJSON_IsNumber(it) && it->valuedouble >= 1 && it->valuedouble <= 65535,
         MANIFEST ": server.port");
    m->port = (unsigned)it->valuedouble;
    files = cJSON_GetObjectItemCaseSensitive(root, "files");
    NEED(cJSON_IsObject(files), MANIFEST ": files");
    cJSON_ArrayForEach(it, files) {
        NEED(m->n_files < PROVISION_MAX_FILES, MANIFEST ": more than %d files", PROVISION_MAX_FILES);
        NEED(strlen(it->string) < sizeof m->files[0].name && strchr(it->string, '/') == NULL &&
                 it->string[0] != '.' && cJSON_IsString(it) && strlen(it->valuestring) == 64 &&
                 hex_decode(it->valuestring, 64, m->files[m->n_files].sha256, 32) == 0,
             MANIFEST ": files.%s", it->string);
        strcpy(m->files[m->n_files++].name, it->string);
    }
    secrets = cJSON_GetObjectItemCaseSensitive(root, "secrets");
    NEED(cJSON_IsObject(secrets), MANIFEST ": secrets");
    cJSON_ArrayForEach(it, secrets) {
        NEED(m->n_secrets < PROVISION_MAX_SECRETS && strlen(it->string) <= PKG_ID_MAX &&
                 cJSON_IsString(it) && strlen(it->valuestring) == 2 * PROVISION_SEALED_LEN &&
                 hex_decode(it->valuestring, 2 * PROVISION_SEALED_LEN,
                            m->secrets[m->n_secrets].sealed, PROVISION_SEALED_LEN) == 0,
             MANIFEST ": secrets.%s", it->string);
        strcpy(m->secrets[m->n_secrets++].campaign, it->string);
    }
#undef NEED
    rc = 0;
out:
    cJSON_Delete(root);
    return rc;
}

int provision_open(const char *dir, const uint8_t *pinned, size_t pinned_len, key_pair_t *kiosk,
                   uint32_t today, provision_t *m, uint8_t *ca, size_t *ca_len, char *why,
                   size_t whylen)
{
    uint8_t *text = NULL, *sigf = NULL, *buf = NULL, sig[KEY_SIG_LEN], digest[32],
            der[CERT_DER_MAX];
    size_t tlen, slen, len, der_len;
    key_pub_t me;
    cert_info_t info;
    char w[256], d1[11], d2[11];
    const char *p;
    int rc, i;

    key_public(kiosk, &me);
    /* the authority: a CA certificate, the pinned one if there is one */
    if ((rc = read_in(dir, "authority.crt", &buf, &len, why, whylen)) != 0)
        goto out;
    if (cert_from_pem((const char *)buf, len, ca, CERT_DER_MAX, ca_len) != 0) {
        rc = bn_fail(why, whylen, BN_EFORMAT, "%s/authority.crt: not a PEM certificate", dir);
        goto out;
    }
    if (pinned != NULL && (pinned_len != *ca_len || memcmp(pinned, ca, pinned_len) != 0)) {
        rc = bn_fail(why, whylen, BN_EWRONGKEY, "%s: from another authority than the one this "
                     "kiosk was enrolled with", dir);
        goto out;
    }
    if ((rc = cert_verify(ca, *ca_len, ca, *ca_len, today, CERT_AUTHORITY, NULL, &info, w,
                          sizeof w)) != 0) {
        rc = bn_fail(why, whylen, rc, "%s/authority.crt: %s", dir, w);
        goto out;
    }
    /* (PROV-B1) the signature over the manifest's bytes, before reading them */
    if ((rc = read_in(dir, MANIFEST, &text, &tlen, why, whylen)) != 0 ||
        (rc = read_in(dir, SIGFILE, &sigf, &slen, why, whylen)) != 0)
        goto out;
    if (tlen > MANIFEST_MAX || (p = strstr((const char *)sigf, "signature: ")) == NULL ||
        strlen(p + 11) < 2 * KEY_SIG_LEN || hex_decode(p + 11, 2 * KEY_SIG_LEN, sig, KEY_SIG_LEN) != 0) {
        rc = bn_fail(why, whylen, BN_EFORMAT, "%s/" SIGFILE ": no signature line", dir);
        goto out;
    }
    if (key_verify_msg(&info.pub, text, tlen, sig) != 0) {
        rc = bn_fail(why, whylen, BN_EBADSIG, "%s: the authority's signature does not verify: "
                     "the bundle was altered (or signed by another authority)", dir);
        goto out;
    }
    if ((rc = parse_manifest((const char *)text, tlen, m, why, whylen)) != 0)
        goto out;
    if (memcmp(m->kiosk_key, me.id, KEY_ID_LEN) != 0) {
        rc = bn_fail(why, whylen, BN_EWRONGKEY, "%s: made for another kiosk (%s), not for this "
                     "one: its key differs", dir, m->kiosk);
        goto out;
    }
    day_format(m->issued, d1);
    day_format(m->expires, d2);
    if (today < m->issued) {
        rc = bn_fail(why, whylen, BN_ENOTYET, "%s: issued on %s, after today: is the kiosk's "
                     "clock right?", dir, d1);
        goto out;
    }
    if (today > m->expires) {
        rc = bn_fail(why, whylen, BN_EEXPIRED, "%s: expired on %s: ask the authority for a new "
                     "one", dir, d2);
        goto out;
    }
    /* every file as signed */
    for (i = 0; i < m->n_files; i++) {
        free(buf);
        buf = NULL;
        if ((rc = read_in(dir, m->files[i].name, &buf, &len, why, whylen)) != 0)
            goto out;
        key_sha256(buf, len, digest);
        if (memcmp(digest, m->files[i].sha256, 32) != 0) {
            rc = bn_fail(why, whylen, BN_EBADSIG, "%s/%s: altered since the authority signed "
                         "the bundle", dir, m->files[i].name);
            goto out;
        }
    }
    /* the kiosk's certificate: this key, this id */
    free(buf);
    buf = NULL;
    for (i = 0; i < m->n_files && strcmp(m->files[i].name, "kiosk.crt") != 0; i++)
        ;
    if (i == m->n_files) {
        rc = bn_fail(why, whylen, BN_EFORMAT, "%s: no kiosk.crt in the manifest", dir);
        goto out;
    }
    if ((rc = read_in(dir, "kiosk.crt", &buf, &len, why, whylen)) != 0)
        goto out;
    if (cert_from_pem((const char *)buf, len, der, sizeof der, &der_len) != 0 ||
        (rc = cert_verify(der, der_len, ca, *ca_len, today, CERT_KIOSK, NULL, &info, w,
                          sizeof w)) != 0) {
        rc = bn_fail(why, whylen, rc != 0 ? rc : BN_EFORMAT, "%s/kiosk.crt: %s", dir,
                     rc != 0 ? w : "not a PEM certificate");
        goto out;
    }
    if (memcmp(info.pub.id, me.id, KEY_ID_LEN) != 0 || strcmp(info.name, m->kiosk) != 0) {
        rc = bn_fail(why, whylen, BN_EWRONGKEY, "%s/kiosk.crt: certifies %s, another key or "
                     "kiosk than this one", dir, info.name);
        goto out;
    }
    rc = 0;
out:
    free(text);
    free(sigf);
    free(buf);
    return rc;
}

int provision__parse_manifest(const char *text, size_t len, provision_t *m, char *why,
                              size_t whylen)
{
    return parse_manifest(text, len, m, why, whylen);
}
