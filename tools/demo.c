/* demo.c - borne-demo: the whole foundation in one run, on the command line.
 *
 * Creates a demonstration authority and a kiosk key, signs the demonstration
 * campaign with the authority, has the "kiosk" verify and load it, casts a
 * few ballots into a fresh store, shows what is refused and why, and prints
 * the tracking codes a voter would take home. Until the kiosk screen exists
 * (ui/), this is the main job of the README's first command. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ballot.h"
#include "bn_err.h"
#include "cast.h"
#include "day.h"
#include "hex.h"
#include "key.h"
#include "pkg.h"
#include "rng.h"
#include "rules.h"
#include "store.h"

#ifndef BORNE_ASSETS
#define BORNE_ASSETS "assets"
#endif

typedef struct voter_s {
    const char *last, *first, *birth, *commune;
} voter_t;

/* Fictional voters. The last one comes back typed differently. */
static const voter_t voters[] = {
    {"Le Gall", "Éloïse", "1987-04-12", "35238"},          /* Rennes */
    {"Morvan", "Yann", "1952-09-30", "35288"},             /* Saint-Malo */
    {"Diallo", "Aïssatou", "2001-01-15", "35115"},         /* Fougères */
    {"Rouault", "Jean-François", "1969-06-02", "35360"},   /* Vitré */
    {"Nguyễn", "Thị Lan", "1995-11-23", "35236"},          /* Redon */
    {"Hamon", "Maëlle", "2008-03-08", "35188"},            /* Montfort-sur-Meu, 18 */
};

static void usage(FILE *f)
{
    fprintf(f, "usage: borne-demo [--dir DIR] [--assets DIR]\n"
               "Runs the borne foundation demonstration into DIR (default: demo-out),\n"
               "which is emptied of a previous run's store first.\n");
}

static int die(const char *what, int rc, const char *why)
{
    fprintf(stderr, "borne-demo: %s: %s%s%s\n", what, bn_strerror(rc),
            why != NULL && *why ? ": " : "", why != NULL ? why : "");
    return 1;
}

/* A varied valid selection for a territory: walk the territory's projects
 * from a voter-dependent start and keep each one the rule still allows. */
static int pick(const pkg_t *p, int territory, int seed, int *sel)
{
    int n = 0, k, i, j;
    rules_verdict_t v;

    for (k = 0; k < p->n_projects && n < p->rule.max; k++) {
        i = (k + seed * 3) % p->n_projects;
        if (p->projects[i].territory != territory)
            continue;
        if (rules_can_add(p, territory, sel, n, i, NULL) == 0)
            sel[n++] = i;
    }
    /* Take projects out until the rule holds (min spend, min count). */
    for (j = n; j > 0; j--)
        if (rules_check(p, territory, sel, j, &v) == 0)
            return j;
    return n;
}

/* Characters (not bytes) of a UTF-8 string, for column alignment. */
static int width(const char *s)
{
    int w = 0;

    for (; *s; s++)
        w += ((unsigned char)*s & 0xc0) != 0x80;
    return w;
}

static void print_selection(const pkg_t *p, const int *sel, int n)
{
    int i, pad;
    int64_t total = 0;

    for (i = 0; i < n; i++) {
        const char *title = p->projects[sel[i]].title.s[0];
        total += p->projects[sel[i]].cost;
        pad = 50 - width(title);
        printf("      - %s%*s %7lld EUR\n", title, pad > 0 ? pad : 0, "",
               (long long)p->projects[sel[i]].cost);
    }
    printf("        %-50s %7lld EUR\n", "total", (long long)total);
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"dir", required_argument, NULL, 'd'},
        {"assets", required_argument, NULL, 'a'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *dir = "demo-out", *assets = BORNE_ASSETS;
    char path[4096], why[512] = "", idhex[2 * KEY_ID_LEN + 1], dig[65];
    rng_t *rng = NULL;
    key_pair_t *authority = NULL, *kiosk = NULL;
    signer_t auth_signer, kiosk_signer;
    key_pub_t auth_pub;
    uint8_t *src = NULL, *tampered = NULL, secret[32], head[32];
    char *signed_pkg = NULL;
    size_t srclen = 0, signedlen = 0;
    pkg_t *draft = NULL, *p = NULL;
    store_t *st = NULL;
    cast_ctx_t ctx;
    cast_receipt_t rec;
    int sel[BALLOT_MAX_CHOICES], n, i, c, rc, status = 1;
    uint32_t today;
    int64_t reg = 0, box = 0, nlog = 0;

    while ((c = getopt_long(argc, argv, "d:a:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': dir = optarg; break;
        case 'a': assets = optarg; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind != argc) {
        usage(stderr);
        return 2;
    }
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        fprintf(stderr, "borne-demo: cannot create %s: %s\n", dir, strerror(errno));
        return 1;
    }

    printf("borne foundation demo (output in %s/)\n\n", dir);
    if ((rc = rng_open(&rng)) != 0)
        return die("random generator", rc, NULL);

    /* 1. Keys: the participation team's authority, and one kiosk. */
    if ((rc = key_generate(rng, &authority)) != 0 || (rc = key_generate(rng, &kiosk)) != 0) {
        status = die("key generation", rc, NULL);
        goto out;
    }
    key_signer(authority, &auth_signer);
    key_signer(kiosk, &kiosk_signer);
    snprintf(path, sizeof path, "%s/authority.key", dir);
    rc = key_save(authority, path);
    snprintf(path, sizeof path, "%s/authority.pub.pem", dir);
    if (rc == 0)
        rc = key_pub_save(&auth_signer.pub, path);
    snprintf(path, sizeof path, "%s/kiosk.key", dir);
    if (rc == 0)
        rc = key_save(kiosk, path);
    snprintf(path, sizeof path, "%s/kiosk.pub.pem", dir);
    if (rc == 0)
        rc = key_pub_save(&kiosk_signer.pub, path);
    if (rc != 0) {
        status = die("saving keys", rc, dir);
        goto out;
    }
    hex_encode(auth_signer.pub.id, KEY_ID_LEN, idhex);
    printf("1. authority key  %.16s...  (authority.key, mode 0600)\n", idhex);
    hex_encode(kiosk_signer.pub.id, KEY_ID_LEN, idhex);
    printf("   kiosk key      %.16s...  (kiosk.key, mode 0600)\n\n", idhex);

    /* 2. The authority signs the demonstration campaign. */
    snprintf(path, sizeof path, "%s/campaigns/demo-budget.json", assets);
    if ((rc = pkg_read_file(path, &src, &srclen, why, sizeof why)) != 0 ||
        (rc = pkg_parse((char *)src, srclen, &draft, why, sizeof why)) != 0 ||
        (rc = pkg_sign((char *)src, srclen, &auth_signer, &signed_pkg, &signedlen, why,
                       sizeof why)) != 0) {
        status = die(path, rc, why);
        goto out;
    }
    snprintf(path, sizeof path, "%s/demo-budget.bpkg", dir);
    {
        FILE *f = fopen(path, "wb");
        if (f == NULL || fwrite(signed_pkg, 1, signedlen, f) != signedlen || fclose(f) != 0) {
            status = die(path, BN_EIO, strerror(errno));
            goto out;
        }
    }
    printf("2. campaign '%s' signed by the authority -> demo-budget.bpkg (%zu bytes)\n\n",
           draft->id, signedlen);

    /* 3. The kiosk verifies the package against its pinned authority key. */
    today = day_today();
    if (today < draft->opens || today > draft->closes)
        today = draft->opens; /* the demo's own clock stays within the polls */
    auth_pub = auth_signer.pub;
    tampered = malloc(signedlen);
    if (tampered == NULL) {
        status = die("memory", BN_ENOMEM, NULL);
        goto out;
    }
    memcpy(tampered, signed_pkg, signedlen);
    tampered[signedlen / 2] ^= 0x01;
    rc = pkg_open(tampered, signedlen, &auth_pub, "35", today, &p, why, sizeof why);
    printf("3. kiosk checks a copy with one bit flipped: refused (%s)\n", why);
    pkg_free(p);
    p = NULL;
    rc = pkg_open((uint8_t *)signed_pkg, signedlen, &auth_pub, "37", today, &p, why, sizeof why);
    printf("   kiosk of another departement (37): refused (%s)\n", why);
    pkg_free(p);
    p = NULL;
    if ((rc = pkg_open((uint8_t *)signed_pkg, signedlen, &auth_pub, "35", today, &p, why,
                       sizeof why)) != 0) {
        status = die("opening the signed package", rc, why);
        goto out;
    }
    hex_encode(p->digest, 32, dig);
    printf("   kiosk in Ille-et-Vilaine: package verified, digest %.16s...\n", dig);
    printf("   %d territories, %d cantons, %d communes, %d projects; "
           "rule: %d to %d projects within the envelope\n\n",
           p->n_territories, p->n_cantons, p->n_communes, p->n_projects, p->rule.min,
           p->rule.max);

    /* 4. A fresh store. */
    snprintf(path, sizeof path, "%s/kiosk.db", dir);
    (void)unlink(path);
    if ((rc = store_open(path, &st, why, sizeof why)) != 0) {
        status = die(path, rc, why);
        goto out;
    }
    if ((rc = rng_bytes(rng, secret, sizeof secret)) != 0 ||
        (rc = store_put_campaign(st, p->id, (uint8_t *)signed_pkg, signedlen, secret)) != 0 ||
        (rc = store_audit_append(st, "package-loaded", p->id)) != 0 ||
        (rc = store_compact(st, why, sizeof why)) != 0 ||
        (rc = store_audit_append(st, "polls-opened", p->id)) != 0) {
        status = die("store", rc, NULL);
        goto out;
    }
    printf("4. fresh store %s: campaign loaded, polls opened\n\n", path);

    /* 5. Voters. */
    memset(&ctx, 0, sizeof ctx);
    ctx.store = st;
    ctx.pkg = p;
    memcpy(ctx.secret, secret, sizeof secret);
    ctx.signer = &kiosk_signer;
    ctx.rng = rng;
    printf("5. voters\n");
    for (i = 0; i < (int)(sizeof voters / sizeof voters[0]); i++) {
        const voter_t *v = &voters[i];
        cast_identity_t who = {v->last, v->first, v->birth, v->commune};
        int cm = pkg_find_commune(p, v->commune), t;

        if (cm < 0) {
            printf("   %s %s: commune %s not in the package\n", v->first, v->last, v->commune);
            continue;
        }
        t = pkg_commune_territory(p, cm);
        n = pick(p, t, i, sel);
        printf("   %s %s, %s (territory %s) chooses:\n", v->first, v->last,
               p->communes[cm].name, p->territories[t].id);
        print_selection(p, sel, n);
        rc = cast_budget(&ctx, &who, sel, n, today, &rec, why, sizeof why);
        if (rc != 0) {
            printf("      refused: %s\n", why);
            continue;
        }
        printf("      ballot stored and signed; tracking code  %s\n", rec.tracking);
    }

    printf("\n6. what the kiosk refuses\n");
    {
        cast_identity_t again = {"LE GALL", "eloise", "1987-04-12", "35238"};
        cast_identity_t young = {"Hamon", "Lou", "2013-05-01", "35188"};
        cast_identity_t elsewhere = {"Martin", "Paul", "1980-01-01", "22278"};
        int t = pkg_commune_territory(p, pkg_find_commune(p, "35238"));
        int all[BALLOT_MAX_CHOICES], k = 0;

        n = pick(p, t, 0, sel);
        rc = cast_budget(&ctx, &again, sel, n, today, &rec, why, sizeof why);
        printf("   'LE GALL eloise' again (typed differently): %s\n", why);
        rc = cast_budget(&ctx, &young, sel, n, today, &rec, why, sizeof why);
        printf("   a 13-year-old: %s\n", why);
        rc = cast_budget(&ctx, &elsewhere, sel, n, today, &rec, why, sizeof why);
        printf("   a resident of Saint-Brieuc (22278): %s\n", why);
        for (i = 0; i < p->n_projects && k < p->rule.max; i++)
            if (p->projects[i].territory == t)
                all[k++] = i;
        {
            cast_identity_t greedy = {"Perrin", "Lucie", "1990-02-02", "35238"};
            rc = cast_budget(&ctx, &greedy, all, k, today, &rec, why, sizeof why);
            printf("   %d projects of Rennes at once: %s\n", k, why);
        }
        (void)rc;
    }

    /* 7. What the store holds. */
    if ((rc = store_audit_append(st, "polls-closed", p->id)) != 0 ||
        (rc = store_compact(st, why, sizeof why)) != 0 ||
        (rc = store_check(st, why, sizeof why)) != 0 ||
        (rc = store_counts(st, p->id, &reg, &box)) != 0 ||
        (rc = store_audit_verify(st, head, &nlog, why, sizeof why)) != 0) {
        status = die("store check", rc, why);
        goto out;
    }
    hex_encode(head, 32, dig);
    printf("\n7. polls closed; store compacted and checked: %lld in the register, %lld ballots in the box "
           "(no link between the two); audit log %lld events, head %.16s...\n",
           (long long)reg, (long long)box, (long long)nlog, dig);
    printf("   files: %s/{authority.key,authority.pub.pem,kiosk.key,kiosk.pub.pem,"
           "demo-budget.bpkg,kiosk.db}\n", dir);
    status = reg == box ? 0 : 1;
out:
    store_close(st);
    pkg_free(p);
    pkg_free(draft);
    free(src);
    free(tampered);
    free(signed_pkg);
    key_free(authority);
    key_free(kiosk);
    rng_close(rng);
    return status;
}
