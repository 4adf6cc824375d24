/* prov_demo.c - the demonstration set-up (prov_demo.h). */
#include "prov_demo.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bn_err.h"
#include "pkg.h"
#include "prov_file.h"
#include "prov_kiosk.h"

/* Empties one sub-folder of the authority folder (files only). */
static void empty_dir(const char *authdir, const char *sub)
{
    char dir[4096], path[8200];
    struct dirent *e;
    DIR *d;

    snprintf(dir, sizeof dir, "%s/%s", authdir, sub);
    if ((d = opendir(dir)) == NULL)
        return;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        (void)unlink(path);
    }
    closedir(d);
}

int prov_demo_authority(const char *authdir, rng_t *rng, uint32_t today, prov_auth_t **out,
                        char *why, size_t whylen)
{
    char path[4096], pem[CERT_PEM_MAX];
    size_t len;
    int rc;

    *out = NULL;
    if (prov_mkdir(authdir, 0700) != 0)
        return bn_fail(why, whylen, BN_EIO, "%s: cannot be made", authdir);
    empty_dir(authdir, "campaigns");
    empty_dir(authdir, "kiosks");
    snprintf(path, sizeof path, "%s/agents.json", authdir);
    (void)unlink(path);
    snprintf(path, sizeof path, "%s/revocations.brl", authdir);
    (void)unlink(path);
    if ((rc = prov_auth_new(PROV_DEMO_NAME, rng, today - 1, today - 1 + PROV_DEMO_DAYS, out, why,
                            whylen)) != 0)
        return rc;
    snprintf(path, sizeof path, "%s/authority.key", authdir);
    if ((rc = key_save((*out)->key, path)) != 0 ||
        (rc = cert_to_pem((*out)->ca, (*out)->ca_len, pem, sizeof pem, &len)) != 0 ||
        (snprintf(path, sizeof path, "%s/authority.crt", authdir),
         rc = prov_file_write(path, pem, len, 0644)) != 0) {
        prov_auth_close(*out);
        *out = NULL;
        return bn_fail(why, whylen, rc, "%s: cannot be written", authdir);
    }
    return 0;
}

static const char *demo_rule; /* prov_demo_set_ballot: the budget vote's rule, or NULL */

int prov_demo_set_ballot(const char *ballot)
{
    if (ballot == NULL || strcmp(ballot, "approval") == 0)
        demo_rule = NULL;
    else if (strcmp(ballot, "cumulative") == 0)
        demo_rule = "\"rule\": {\"ballot\": \"cumulative\", \"points\": 10, \"per_project\": 4, "
                    "\"knapsack\": false, \"max\": 5, \"min\": 1, \"min_spend_percent\": 0}";
    else if (strcmp(ballot, "ordinal") == 0)
        demo_rule = "\"rule\": {\"ballot\": \"ordinal\", \"knapsack\": false, \"max\": 3, "
                    "\"min\": 1, \"min_spend_percent\": 0}";
    else
        return BN_EINVAL;
    return 0;
}

/* The package text with its "rule" object replaced by demo_rule (a new
 * buffer, *len updated), or NULL when out of memory or without one. */
static uint8_t *with_rule(const uint8_t *src, size_t *len)
{
    const char *s = (const char *)src, *start = strstr(s, "\"rule\": {"), *end;
    size_t head, tail, rl = strlen(demo_rule);
    uint8_t *out;

    if (start == NULL || (end = strchr(start, '}')) == NULL)
        return NULL;
    head = (size_t)(start - s);
    tail = *len - (size_t)(end + 1 - s);
    if ((out = malloc(head + rl + tail + 1)) == NULL)
        return NULL;
    memcpy(out, s, head);
    memcpy(out + head, demo_rule, rl);
    memcpy(out + head + rl, end + 1, tail);
    *len = head + rl + tail;
    out[*len] = '\0';
    return out;
}

int prov_demo_campaign(prov_auth_t *a, const char *authdir, const char *assets,
                       const char *name, rng_t *rng, char *id, char *why, size_t whylen)
{
    char path[4096], *signed_pkg = NULL;
    uint8_t *src = NULL;
    size_t srclen, slen;
    pkg_t *p = NULL;
    int rc, made;

    snprintf(path, sizeof path, "%s/campaigns/%s.json", assets, name);
    if ((rc = pkg_read_file(path, &src, &srclen, why, whylen)) != 0)
        goto out;
    if (demo_rule != NULL && strcmp(name, "demo-budget") == 0) {
        uint8_t *v = with_rule(src, &srclen);
        free(src);
        if ((src = v) == NULL) {
            rc = bn_fail(why, whylen, BN_EFORMAT, "%s: no rule to replace", path);
            goto out;
        }
    }
    if (
        (rc = pkg_parse((const char *)src, srclen, &p, why, whylen)) != 0 ||
        (rc = pkg_sign((const char *)src, srclen, &a->signer, &signed_pkg, &slen, why,
                       whylen)) != 0 ||
        (rc = prov_campaign_register(a, authdir, path, (const uint8_t *)signed_pkg, slen, rng,
                                     &made, why, whylen)) != 0)
        goto out;
    if (id != NULL)
        strcpy(id, p->id);
out:
    pkg_free(p);
    free(src);
    free(signed_pkg);
    return rc;
}
