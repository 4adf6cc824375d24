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
#include "conf.h"
#include "cast.h"
#include "day.h"
#include "harden.h"
#include "hex.h"
#include "key.h"
#include "cert.h"
#include "prov_demo.h"
#include "prov_kiosk.h"
#include "pkg.h"
#include "rng.h"
#include "rules.h"
#include "store.h"


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

/* The walkthrough opens the polls itself (the kiosk's agents do it with
 * two PINs: polls.h). */
static int open_polls(store_t *st, const char *campaign)
{
    char key[64];

    snprintf(key, sizeof key, "polls:%s", campaign);
    return store_meta_set(st, key, "open");
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

/* The run's state, through main's numbered steps. Each step prints what
 * it did and returns 0, or 1 after saying on stderr what failed. */
typedef struct demo_s {
    const char *dir, *assets;
    char assets_dir[1024];
    char path[4096], why[512];
    rng_t *rng;
    prov_auth_t *authority;
    key_pair_t *kiosk;
    signer_t kiosk_signer;
    char authdir[4000];
    uint8_t secret[32];
    char *signed_pkg;
    size_t signedlen;
    pkg_t *draft, *p;
    store_t *st;
    cast_ctx_t ctx;
    uint32_t today;
} demo_t;

/* 1. Keys: the participation team's authority (made as borne-admin makes
 * one: provisioning/prov_demo.h), and one kiosk's own key. */
static int step_keys(demo_t *d)
{
    char idhex[2 * KEY_ID_LEN + 1], fpr[CERT_FPR_LEN];
    int rc;

    snprintf(d->authdir, sizeof d->authdir, "%s/authority", d->dir);
    if ((rc = prov_demo_authority(d->authdir, d->rng, day_today(), &d->authority, d->why,
                                  sizeof d->why)) != 0)
        return die("authority", rc, d->why);
    if ((rc = key_generate(d->rng, &d->kiosk)) != 0)
        return die("key generation", rc, NULL);
    key_signer(d->kiosk, &d->kiosk_signer);
    snprintf(d->path, sizeof d->path, "%s/kiosk.key", d->dir);
    rc = key_save(d->kiosk, d->path);
    snprintf(d->path, sizeof d->path, "%s/kiosk.pub.pem", d->dir);
    if (rc == 0)
        rc = key_pub_save(&d->kiosk_signer.pub, d->path);
    if (rc != 0)
        return die("saving keys", rc, d->dir);
    cert_fingerprint(d->authority->ca, d->authority->ca_len, fpr);
    printf("1. authority        %s  (authority/: certificate and key, as borne-admin makes them)\n",
           fpr);
    hex_encode(d->kiosk_signer.pub.id, KEY_ID_LEN, idhex);
    printf("   kiosk key        %.16s...  (kiosk.key, mode 0600)\n\n", idhex);
    return 0;
}

/* 2. The authority signs the demonstration campaign (borne-admin campaign
 * sign: the signed package and its pseudonym secret in the authority's
 * folder). */
static int step_sign(demo_t *d)
{
    char id[PKG_ID_MAX + 1];
    int rc;

    if ((rc = prov_demo_campaign(d->authority, d->authdir, d->assets, "demo-budget", d->rng, id,
                                 d->why, sizeof d->why)) != 0)
        return die("signing the campaign", rc, d->why);
    snprintf(d->path, sizeof d->path, "%s/campaigns/%s.bpkg", d->authdir, id);
    if ((rc = pkg_read_file(d->path, (uint8_t **)&d->signed_pkg, &d->signedlen, d->why,
                            sizeof d->why)) != 0 ||
        (rc = pkg_parse(d->signed_pkg, d->signedlen - PKG_TRAILER_LEN, &d->draft, d->why,
                        sizeof d->why)) != 0)
        return die(d->path, rc, d->why);
    printf("2. campaign '%s' signed by the authority -> authority/campaigns/%s.bpkg "
           "(%zu bytes)\n\n", d->draft->id, id, d->signedlen);
    return 0;
}

/* 3. The kiosk verifies the package against its pinned authority key:
 * a flipped bit and another département are refused. */
static int step_verify(demo_t *d)
{
    key_pub_t auth_pub = d->authority->signer.pub;
    uint8_t *tampered;
    pkg_t *p = NULL;
    char dig[65];
    int rc;

    d->today = day_today();
    if (d->today < d->draft->opens || d->today > d->draft->closes)
        d->today = d->draft->opens; /* the demo's own clock stays within the polls */
    tampered = malloc(d->signedlen);
    if (tampered == NULL)
        return die("memory", BN_ENOMEM, NULL);
    memcpy(tampered, d->signed_pkg, d->signedlen);
    tampered[d->signedlen / 2] ^= 0x01;
    (void)pkg_open(tampered, d->signedlen, &auth_pub, "35", d->today, &p, d->why, sizeof d->why);
    printf("3. kiosk checks a copy with one bit flipped: refused (%s)\n", d->why);
    pkg_free(p);
    free(tampered);
    p = NULL;
    (void)pkg_open((uint8_t *)d->signed_pkg, d->signedlen, &auth_pub, "37", d->today, &p,
                   d->why, sizeof d->why);
    printf("   kiosk of another departement (37): refused (%s)\n", d->why);
    pkg_free(p);
    if ((rc = pkg_open((uint8_t *)d->signed_pkg, d->signedlen, &auth_pub, "35", d->today,
                       &d->p, d->why, sizeof d->why)) != 0)
        return die("opening the signed package", rc, d->why);
    p = d->p;
    hex_encode(p->digest, 32, dig);
    printf("   kiosk in Ille-et-Vilaine: package verified, digest %.16s...\n", dig);
    printf("   %d territories, %d cantons, %d communes, %d projects; "
           "rule: %d to %d projects within the envelope\n\n",
           p->n_territories, p->n_cantons, p->n_communes, p->n_projects, p->rule.min,
           p->rule.max);
    return 0;
}

/* 4. A fresh store, the campaign loaded, the polls open. */
static int step_store(demo_t *d)
{
    int rc;

    snprintf(d->path, sizeof d->path, "%s/kiosk.db", d->dir);
    (void)unlink(d->path);
    if ((rc = store_open(d->path, &d->st, d->why, sizeof d->why)) != 0)
        return die(d->path, rc, d->why);
    /* the campaign's pseudonym secret, as the authority made it (a real
     * kiosk gets it sealed to its key in its provisioning bundle) */
    if ((rc = prov_campaign_secret(d->authority, d->authdir, d->p->id, d->secret, d->why,
                                   sizeof d->why)) != 0 ||
        (rc = store_put_campaign(d->st, d->p->id, (uint8_t *)d->signed_pkg, d->signedlen,
                                 d->secret)) != 0 ||
        (rc = store_audit_append(d->st, "package-loaded", d->p->id)) != 0 ||
        (rc = store_compact(d->st, d->why, sizeof d->why)) != 0 ||
        (rc = store_audit_append(d->st, "polls-opened", d->p->id)) != 0 ||
        (rc = open_polls(d->st, d->p->id)) != 0)
        return die("store", rc, NULL);
    printf("4. fresh store %s: campaign loaded, polls opened\n\n", d->path);
    memset(&d->ctx, 0, sizeof d->ctx);
    d->ctx.store = d->st;
    d->ctx.pkg = d->p;
    memcpy(d->ctx.secret, d->secret, sizeof d->secret);
    d->ctx.signer = &d->kiosk_signer;
    d->ctx.rng = d->rng;
    return 0;
}

/* 5. Voters choose and cast. */
static void step_voters(demo_t *d)
{
    const pkg_t *p = d->p;
    cast_receipt_t rec;
    int sel[BALLOT_MAX_CHOICES], n, i;

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
        if (cast_budget(&d->ctx, &who, sel, n, d->today, &rec, d->why, sizeof d->why) != 0) {
            printf("      refused: %s\n", d->why);
            continue;
        }
        printf("      ballot stored and signed; tracking code  %s\n", rec.tracking);
    }
}

/* 6. What the kiosk refuses, and why. */
static void step_refusals(demo_t *d)
{
    static const cast_identity_t again = {"LEGALL", "eloise", "1987-04-12", "35238"};
    static const cast_identity_t young = {"Hamon", "Lou", "2013-05-01", "35188"};
    static const cast_identity_t elsewhere = {"Martin", "Paul", "1980-01-01", "22278"};
    static const cast_identity_t greedy = {"Perrin", "Lucie", "1990-02-02", "35238"};
    const pkg_t *p = d->p;
    int t = pkg_commune_territory(p, pkg_find_commune(p, "35238"));
    int sel[BALLOT_MAX_CHOICES], all[BALLOT_MAX_CHOICES], n, k = 0, i;
    cast_receipt_t rec;

    printf("\n6. what the kiosk refuses\n");
    n = pick(p, t, 0, sel);
    (void)cast_budget(&d->ctx, &again, sel, n, d->today, &rec, d->why, sizeof d->why);
    printf("   'LEGALL eloise' again (typed differently): %s\n", d->why);
    (void)cast_budget(&d->ctx, &young, sel, n, d->today, &rec, d->why, sizeof d->why);
    printf("   a 13-year-old: %s\n", d->why);
    (void)cast_budget(&d->ctx, &elsewhere, sel, n, d->today, &rec, d->why, sizeof d->why);
    printf("   a resident of Saint-Brieuc (22278): %s\n", d->why);
    for (i = 0; i < p->n_projects && k < p->rule.max; i++)
        if (p->projects[i].territory == t)
            all[k++] = i;
    (void)cast_budget(&d->ctx, &greedy, all, k, d->today, &rec, d->why, sizeof d->why);
    printf("   %d projects of Rennes at once: %s\n", k, d->why);
}

/* 7. The polls close: what the store holds. Fails unless the register and
 * the box hold as many. */
static int step_close(demo_t *d)
{
    uint8_t head[32];
    char dig[65];
    int64_t reg = 0, box = 0, nlog = 0;
    int rc;

    if ((rc = store_audit_append(d->st, "polls-closed", d->p->id)) != 0 ||
        (rc = store_compact(d->st, d->why, sizeof d->why)) != 0 ||
        (rc = store_check(d->st, d->why, sizeof d->why)) != 0 ||
        (rc = store_counts(d->st, d->p->id, &reg, &box)) != 0 ||
        (rc = store_audit_verify(d->st, head, &nlog, d->why, sizeof d->why)) != 0)
        return die("store check", rc, d->why);
    hex_encode(head, 32, dig);
    printf("\n7. polls closed; store compacted and checked: %lld in the register, %lld ballots in the box "
           "(no link between the two); audit log %lld events, head %.16s...\n",
           (long long)reg, (long long)box, (long long)nlog, dig);
    printf("   files: %s/{authority/,kiosk.key,kiosk.pub.pem,kiosk.db}\n", d->dir);
    return reg == box ? 0 : 1;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"dir", required_argument, NULL, 'd'},
        {"assets", required_argument, NULL, 'a'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    demo_t *d = calloc(1, sizeof *d);
    int c, rc, status = 1;

    if (d == NULL)
        return die("memory", BN_ENOMEM, NULL);
    if ((rc = harden_process(d->why, sizeof d->why)) < 0) { /* (HARDEN-H1..H3) */
        free(d);
        return die("hardening", rc, NULL);
    }
    d->dir = "demo-out";
    d->assets = NULL;
    while ((c = getopt_long(argc, argv, "d:a:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': d->dir = optarg; break;
        case 'a': d->assets = optarg; break;
        case 'h': usage(stdout); free(d); return 0;
        default: usage(stderr); free(d); return 2;
        }
    }
    if (optind != argc) {
        usage(stderr);
        free(d);
        return 2;
    }
    if ((rc = conf_assets(d->assets, d->assets_dir, sizeof d->assets_dir, d->why,
                          sizeof d->why)) != 0) {
        fprintf(stderr, "borne-demo: %s\n", d->why);
        free(d);
        return 1;
    }
    d->assets = d->assets_dir;
    if (mkdir(d->dir, 0700) != 0 && errno != EEXIST) {
        fprintf(stderr, "borne-demo: cannot create %s: %s\n", d->dir, strerror(errno));
        free(d);
        return 1;
    }
    printf("borne foundation demo (output in %s/)\n\n", d->dir);
    if ((rc = rng_open(&d->rng)) != 0) {
        free(d);
        return die("random generator", rc, NULL);
    }
    if (step_keys(d) == 0 && step_sign(d) == 0 && step_verify(d) == 0 && step_store(d) == 0) {
        step_voters(d);
        step_refusals(d);
        status = step_close(d);
    }
    memset(d->secret, 0, sizeof d->secret);
    memset(&d->ctx, 0, sizeof d->ctx);
    store_close(d->st);
    pkg_free(d->p);
    pkg_free(d->draft);
    free(d->signed_pkg);
    prov_auth_close(d->authority);
    key_free(d->kiosk);
    rng_close(d->rng);
    free(d);
    return status;
}
