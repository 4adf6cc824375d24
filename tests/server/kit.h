/* kit.h - a simulated kiosk for the server tests: loads a kiosk key and
 * certificate from a server directory made by `borne-server init-demo`, and
 * builds signed bundles of random ballots and register entries with the
 * core library (ballot_make, ballot_seal, bundle_*). Header-only, shared by
 * test_server.c and gen_bundles.c. */
#ifndef KIT_H
#define KIT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ballot.h"
#include "bn_err.h"
#include "bundle.h"
#include "cert.h"
#include "day.h"
#include "hex.h"
#include "key.h"
#include "pkg.h"
#include "report.h"
#include "rng.h"
#include "track.h"

#define KIT_UNUSED __attribute__((unused))

typedef struct kit_s {
    rng_t *rng;
    pkg_t *pkg;
    uint8_t track_key[32];
    key_pair_t *kiosk;
    signer_t ks;
    uint8_t cert[CERT_DER_MAX];
    size_t cert_len;
    uint8_t ca[CERT_DER_MAX];
    size_t ca_len;
    uint32_t day;
} kit_t;

static KIT_UNUSED uint8_t *kit_read(const char *dir, const char *name, size_t *len)
{
    char path[4096];
    uint8_t *b = NULL;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (pkg_read_file(path, &b, len, NULL, 0) != 0)
        return NULL;
    return b;
}

static KIT_UNUSED int kit_pem(const char *dir, const char *name, uint8_t *der, size_t *len)
{
    size_t n;
    uint8_t *t = kit_read(dir, name, &n);
    int rc;

    if (t == NULL)
        return BN_EIO;
    rc = cert_from_pem((const char *)t, n, der, CERT_DER_MAX, len);
    free(t);
    return rc;
}

/* Opens kiosk number `n` (DIR/kiosks/kiosk-35238-0N.*) of the server directory. */
static KIT_UNUSED int kit_open(kit_t *k, const char *dir, int n)
{
    char name[64], path[4096];
    uint8_t *pkg = NULL, *sec = NULL, secret[32];
    size_t len, slen;
    key_pub_t ca_pub;
    int rc;

    memset(k, 0, sizeof *k);
    if ((rc = rng_open(&k->rng)) != 0)
        return rc;
    if ((rc = kit_pem(dir, "authority.crt", k->ca, &k->ca_len)) != 0 ||
        (rc = cert_key(k->ca, k->ca_len, &ca_pub)) != 0)
        return rc;
    snprintf(name, sizeof name, "kiosks/kiosk-35238-%02d.crt", n);
    if ((rc = kit_pem(dir, name, k->cert, &k->cert_len)) != 0)
        return rc;
    snprintf(path, sizeof path, "%s/kiosks/kiosk-35238-%02d.key", dir, n);
    if ((rc = key_load(path, k->rng, &k->kiosk, NULL, 0)) != 0)
        return rc;
    key_signer(k->kiosk, &k->ks);
    pkg = kit_read(dir, "bp35-demo.bpkg", &len);
    if (pkg == NULL)
        return BN_EIO;
    rc = pkg_open(pkg, len, &ca_pub, NULL, day_today(), &k->pkg, NULL, 0);
    free(pkg);
    if (rc != 0)
        return rc;
    sec = kit_read(dir, "kiosks/bp35-demo.secret", &slen);
    if (sec == NULL || slen < 64 || hex_decode((const char *)sec, 64, secret, 32) != 0) {
        free(sec);
        return BN_EIO;
    }
    free(sec);
    k->day = day_today();
    return track_key(secret, k->track_key);
}

static KIT_UNUSED void kit_close(kit_t *k)
{
    key_free(k->kiosk);
    pkg_free(k->pkg);
    rng_close(k->rng);
    memset(k, 0, sizeof *k);
}

/* One valid signed ballot of campaign p (its first territory-consistent
 * choice set picked at random); the id goes to id[16]. */
static KIT_UNUSED int kit_ballot(kit_t *k, const pkg_t *p, uint8_t *out, size_t *len,
                                 uint8_t id[16])
{
    uint8_t r[2];
    int t, sel[1], j, rc;
    ballot_t b;

    if ((rc = rng_bytes(k->rng, r, 2)) != 0)
        return rc;
    t = r[0] % p->n_territories;
    sel[0] = -1;
    for (j = 0; j < p->n_projects; j++) {
        int jj = (j + r[1]) % p->n_projects;

        if (p->projects[jj].territory == t) {
            sel[0] = jj;
            break;
        }
    }
    if (sel[0] < 0)
        return BN_EINVAL;
    if ((rc = ballot_make(&b, p, t, sel, 1, k->day, k->ks.pub.id, k->rng)) != 0 ||
        (rc = ballot_seal(&b, &k->ks, out, BALLOT_MAX_LEN, len)) != 0)
        return rc;
    memcpy(id, b.id, 16);
    return 0;
}

/* A bundle of nb fresh ballots and nr fresh register entries of campaign p
 * (NULL: the demo campaign). codes (may be NULL) gets the nb tracking codes,
 * ids (may be NULL) the nb ballot ids (16 bytes each). */
static KIT_UNUSED int kit_bundle(kit_t *k, const pkg_t *p, uint64_t seq, int nb, int nr,
                                 uint8_t **out, size_t *len, char (*codes)[16], uint8_t *ids)
{
    bundle_builder_t *bb = NULL;
    uint8_t ballot[BALLOT_MAX_LEN], id[16], ps[32];
    size_t bl;
    int i, rc;

    if (p == NULL)
        p = k->pkg;
    if ((rc = bundle_new(p->id, seq, k->cert, k->cert_len, &bb)) != 0)
        return rc;
    for (i = 0; i < nb && rc == 0; i++) {
        rc = kit_ballot(k, p, ballot, &bl, id);
        if (rc == 0)
            rc = bundle_add_ballot(bb, ballot, bl);
        if (rc == 0 && codes != NULL)
            rc = track_code(k->track_key, id, codes[i]);
        if (rc == 0 && ids != NULL)
            memcpy(ids + 16 * i, id, 16);
    }
    for (i = 0; i < nr && rc == 0; i++) {
        rc = rng_bytes(k->rng, ps, 32);
        if (rc == 0)
            rc = bundle_add_register(bb, ps, k->day, 0);
    }
    if (rc == 0)
        rc = bundle_finish(bb, &k->ks, out, len);
    bundle_free(bb);
    return rc;
}

static KIT_UNUSED int kit_cmp16(const void *a, const void *b)
{
    return memcmp(a, b, 16);
}

/* The acknowledgement's ballot_ids_digest of n ids (sorted in place). */
static KIT_UNUSED void kit_ids_digest(uint8_t *ids, size_t n, char hex[65])
{
    uint8_t d[32];

    ballot_ids_digest(ids, n, d);
    hex_encode(d, 32, hex);
}

#endif
