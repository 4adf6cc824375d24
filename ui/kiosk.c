/* kiosk.c - the state directory: start-up checks, demo set-up, store check. */
#include "kiosk.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ballot.h"
#include "cert.h"
#include "harden.h"
#include "hex.h"
#include "ksync.h"
#include "petition.h"
#include "answers.h"
#include "bn_err.h"
#include "idea.h"
#include "day.h"
#include "key.h"
#include "pseud.h"
#include "rng.h"
#include "store.h"

/* The first day a kiosk clock can be right: before it, the clock was reset. */
#define KIOSK_CLOCK_MIN_YEAR 2025

static char **sort_norm; /* qsort has no context argument in C11 */

static int cmp_order(const void *x, const void *y)
{
    int i = *(const int *)x, j = *(const int *)y, c = strcmp(sort_norm[i], sort_norm[j]);

    return c != 0 ? c : i - j;
}

static int index_communes(app_campaign_t *k, char *why, size_t whylen)
{
    int i, n = k->pkg->n_communes;

    k->commune_norm = calloc((size_t)n, sizeof *k->commune_norm);
    k->commune_order = calloc((size_t)n, sizeof *k->commune_order);
    if (k->commune_norm == NULL || k->commune_order == NULL)
        return bn_fail(why, whylen, BN_ENOMEM, "commune index");
    for (i = 0; i < n; i++) {
        char buf[256];
        if (pseud_normalise(k->pkg->communes[i].name, buf, sizeof buf) != 0)
            buf[0] = '\0';
        k->commune_norm[i] = strdup(buf);
        if (k->commune_norm[i] == NULL)
            return bn_fail(why, whylen, BN_ENOMEM, "commune index");
        k->commune_order[i] = i;
    }
    sort_norm = k->commune_norm;
    qsort(k->commune_order, (size_t)n, sizeof *k->commune_order, cmp_order);
    return 0;
}

/* STATE/departement: the kiosk's département, one line ("35", "2A", "971");
 * packages for any other are refused (pkg_open, BN_EDEPT). */
#define KIOSK_DEPT_FILE "departement"
#define KIOSK_DEMO_DEPT "35\n" /* the demonstration's: Ille-et-Vilaine */

static int read_departement(const char *dir, char out[4], char *why, size_t whylen)
{
    char path[1024], line[16] = "";
    size_t n, i;
    FILE *f;

    snprintf(path, sizeof path, "%s/" KIOSK_DEPT_FILE, dir);
    if ((f = fopen(path, "r")) == NULL)
        return bn_fail(why, whylen, BN_ENOTFOUND, "%s: %s (it names the kiosk's departement, "
                       "e.g. 35)", path, strerror(errno));
    if (fgets(line, sizeof line, f) == NULL)
        line[0] = '\0';
    fclose(f);
    n = strcspn(line, "\r\n");
    line[n] = '\0';
    for (i = 0; i < n; i++)
        if (!((line[i] >= '0' && line[i] <= '9') || line[i] == 'A' || line[i] == 'B'))
            break;
    if (n < 2 || n > 3 || i != n)
        return bn_fail(why, whylen, BN_EFORMAT, "%s:1: departement '%.10s' is not a code of "
                       "2 or 3 characters (35, 2A, 971)", path, line);
    memcpy(out, line, n + 1);
    return 0;
}

static int has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), k = strlen(suf);
    return n >= k && strcmp(s + n - k, suf) == 0;
}

/* Drops campaign i of a->camp (not open). */
/* The first line of DIR/NAME into out, or `dflt`. */
static void read_line(const char *dir, const char *name, char *out, size_t cap, const char *dflt)
{
    char path[1100];
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    snprintf(out, cap, "%s", dflt);
    if ((f = fopen(path, "r")) != NULL) {
        if (fgets(out, (int)cap, f) == NULL)
            snprintf(out, cap, "%s", dflt);
        fclose(f);
    }
    out[strcspn(out, "\r\n")] = '\0';
}

static void drop_campaign(app_t *a, int i)
{
    pkg_free(a->all[i].pkg);
    memset(a->all[i].secret, 0, sizeof a->all[i].secret);
    memmove(&a->all[i], &a->all[i + 1], (size_t)(a->n_all - i - 1) * sizeof a->all[0]);
    a->n_all--;
    memset(&a->all[a->n_all], 0, sizeof a->all[0]);
}

int kiosk_open(app_t *a, const char *dir, uint32_t today, char *why, size_t whylen)
{
    char path[1024], w[400] = "";
    struct dirent **names = NULL;
    uint8_t *file = NULL, *stored = NULL, secret[32];
    size_t len = 0, slen = 0;
    int rc, y, m, dd, n = 0, i, have_budget = 0;

    day_to_ymd(today, &y, &m, &dd);
    if (y < KIOSK_CLOCK_MIN_YEAR) {
        rc = bn_fail(w, sizeof w, BN_ERANGE, "clock is wrong: today is %04d-%02d-%02d", y, m, dd);
        goto out;
    }
    /* (HARDEN-H4) the kiosk's key, secrets and ballots: for its user only */
    if ((rc = harden_dir_private(dir, w, sizeof w)) != 0)
        goto out;
    a->today = today;
    if (a->wall0_ms == 0) /* a caller that sets no clock: 09:00 of `today` */
        a->wall0_ms = (int64_t)today * 86400000 + 9 * 3600000 - (int64_t)a->now;
    snprintf(a->state_dir, sizeof a->state_dir, "%s", dir);
    read_line(dir, "kiosk-id", a->kiosk_name, sizeof a->kiosk_name, "kiosk");
    read_line(dir, "printer", a->printer, sizeof a->printer, "");
    read_line(dir, "media", a->media, sizeof a->media, "");
    if ((rc = read_departement(dir, a->departement, w, sizeof w)) != 0)
        goto out;
    snprintf(path, sizeof path, "%s/authority.pub.pem", dir);
    if ((rc = key_pub_load(path, &a->authority, w, sizeof w)) != 0)
        goto out;
    if ((n = scandir(dir, &names, NULL, alphasort)) < 0) {
        rc = bn_fail(w, sizeof w, BN_EIO, "%s: %s", dir, strerror(errno));
        goto out;
    }
    /* every package that verifies: the first budget vote, the petitions */
    rc = bn_fail(w, sizeof w, BN_ENOTFOUND, "no budget package (*.bpkg) in %s", dir);
    for (i = 0; i < n && a->n_all < APP_MAX_CAMPAIGNS; i++) {
        pkg_t *p = NULL;
        char pw[300] = "";
        const char *f = names[i]->d_name;
        if (!has_suffix(f, ".bpkg"))
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, f);
        free(file);
        file = NULL;
        if ((rc = pkg_read_file(path, &file, &len, w, sizeof w)) != 0) {
            fprintf(stderr, "borne: campaign not loaded: %s\n", w);
            continue;
        }
        rc = pkg_open(file, len, &a->authority, a->departement, today, &p, pw, sizeof pw);
        if (rc != 0) {
            /* the others still run; the agents' log says which and why */
            bn_fail(w, sizeof w, rc, "%s: %s", f, pw);
            fprintf(stderr, "borne: campaign not loaded: %s\n", w);
            continue;
        }
        if (p->kind == PKG_BUDGET && have_budget) {
            /* one budget vote */
            pkg_free(p);
            continue;
        }
        if (p->kind == PKG_BUDGET) {
            /* the budget vote first */
            memmove(&a->all[1], &a->all[0], (size_t)a->n_all * sizeof a->all[0]);
            memset(&a->all[0], 0, sizeof a->all[0]);
            a->all[0].pkg = p;
            have_budget = 1;
        } else {
            a->all[a->n_all].pkg = p;
        }
        a->n_all++;
    }
    if (a->n_all == 0)
        goto out;

    snprintf(path, sizeof path, "%s/kiosk.db", dir);
    if ((rc = store_open(path, &a->store, w, sizeof w)) != 0)
        goto out;
    /* Secrecy (STORE-S6): no trace of a cast order survives a restart. */
    if ((rc = store_compact(a->store, w, sizeof w)) != 0)
        goto out;
    /* each campaign in the store with its secret; whether its polls take a
     * cast now is app_refresh_polls's, as the clock and the agents go */
    for (i = 0; i < a->n_all;) {
        const pkg_t *p = a->all[i].pkg;
        free(stored);
        stored = NULL;
        if ((rc = store_get_campaign(a->store, p->id, &stored, &slen, secret)) != 0) {
            rc = bn_fail(w, sizeof w, rc, "campaign '%s' is not in the store", p->id);
        }
        if (rc != 0) {
            fprintf(stderr, "borne: campaign not loaded: %s\n", w);
            drop_campaign(a, i);
            continue;
        }
        memcpy(a->all[i].secret, secret, sizeof secret);
        i++;
    }
    if (a->n_all == 0)
        goto out;
    if ((rc = rng_open(&a->rng)) != 0) {
        bn_fail(w, sizeof w, rc, "random generator");
        goto out;
    }
    /* the kiosk's key: in its TPM (STATE/tpm) or STATE/kiosk.key */
    if ((rc = kiosk_key(dir, a->rng, 0, &a->kiosk, &a->tpm, w, sizeof w)) != 0)
        goto out;
    key_signer(a->kiosk, &a->signer);
    for (i = 0; i < a->n_all; i++)
        if ((rc = index_communes(&a->all[i], w, sizeof w)) != 0)
            goto out;
    /* the link to borne-server, when server.conf says where it is */
    {
        ksync_campaign_t kc[APP_MAX_CAMPAIGNS];
        for (i = 0; i < a->n_all; i++) {
            kc[i].id = a->all[i].pkg->id;
            kc[i].petition = a->all[i].pkg->kind == PKG_PETITION;
            kc[i].departement = a->departement;
        }
        /* the link's thread signs with the same key: the TPM's (its calls
         * serialised in tpm.c), or its own copy of kiosk.key */
        rc = a->tpm != NULL
                 ? ksync_open_key(dir, &a->authority, a->kiosk, kc, a->n_all, today, &a->sync, w,
                                  sizeof w)
                 : ksync_open(dir, &a->authority, &a->signer.pub, kc, a->n_all, today, &a->sync,
                              w, sizeof w);
        if (rc != 0)
            goto out;
    }
    for (i = 0; i < a->n_all; i++)
        (void)store_audit_append(a->store, "kiosk-started", a->all[i].pkg->id);
    a->scr = SCR_WELCOME;
    app_refresh_polls(a, 1);
out:
    for (i = 0; i < n; i++)
        free(names[i]);
    free(names);
    free(file);
    free(stored);
    memset(secret, 0, sizeof secret);
    if (rc != 0) {
        app_out_of_service(a, w);
        if (why != NULL)
            snprintf(why, whylen, "%s", w);
    }
    return rc;
}

typedef struct check_s {
    key_pub_t pub;
    int64_t n, ok;
} check_t;

static int check_one(void *arg, const uint8_t *ballot, size_t len)
{
    check_t *c = arg;

    c->n++;
    if (ballot_verify(ballot, len, &c->pub) == 0)
        c->ok++;
    return 0;
}

static int check_signature(void *arg, const uint8_t *rec, size_t len)
{
    check_t *c = arg;

    c->n++;
    if (petition_verify(rec, len, &c->pub) == 0)
        c->ok++;
    return 0;
}

static int check_text(void *arg, const uint8_t *rec, size_t len)
{
    check_t *c = arg;

    c->n++;
    if (qtext_verify(rec, len, &c->pub) == 0)
        c->ok++;
    return 0;
}

static int check_idea(void *arg, const uint8_t *rec, size_t len)
{
    check_t *c = arg;

    c->n++;
    if (idea_verify(rec, len, &c->pub) == 0)
        c->ok++;
    return 0;
}

/* The kind of a signed package file (its JSON, parsed without the
 * signature check: the kiosk checked it when it loaded it), or 0. */
/* The kind of a package file (PKG_BUDGET, PKG_PETITION, 0 unreadable); a
 * supervised budget vote is PKG_BUDGET | 0x100. */
static int package_kind(const char *path)
{
    uint8_t *file = NULL;
    size_t len = 0;
    pkg_t *p = NULL;
    int kind = 0;

    if (pkg_read_file(path, &file, &len, NULL, 0) == 0 && len > PKG_TRAILER_LEN &&
        pkg_parse((const char *)file, len - PKG_TRAILER_LEN, &p, NULL, 0) == 0)
        kind = (int)p->kind | (p->supervised ? 0x100 : 0);
    pkg_free(p);
    free(file);
    return kind;
}

int kiosk_check_state(const char *dir, char *why, size_t whylen)
{
    char path[1024];
    store_t *st = NULL;
    check_t c;
    struct dirent **names = NULL;
    int rc, bad = 0, n, i, kind;

    memset(&c, 0, sizeof c);
    snprintf(path, sizeof path, "%s/kiosk.pub.pem", dir);
    if ((rc = key_pub_load(path, &c.pub, why, whylen)) != 0)
        return rc;
    snprintf(path, sizeof path, "%s/kiosk.db", dir);
    if ((rc = store_open(path, &st, why, whylen)) != 0)
        return rc;
    if ((rc = store_check(st, why, whylen)) != 0)
        goto out;
    if ((rc = store_each_ballot(st, NULL, check_one, &c)) != 0) {
        bn_fail(why, whylen, rc, "reading the box");
        goto out;
    }
    printf("ballots %lld\nverified %lld\n", (long long)c.n, (long long)c.ok);
    if (c.ok != c.n)
        bad = 1;
    /* per campaign: the packages of the directory name them */
    n = scandir(dir, &names, NULL, alphasort);
    for (i = 0; i < n; i++) {
        char id[64];
        const char *f = names[i]->d_name;
        size_t len = strlen(f);
        int64_t reg = 0, box = 0;
        if (!has_suffix(f, ".bpkg") || len - 5 >= sizeof id)
            continue;
        memcpy(id, f, len - 5);
        id[len - 5] = '\0';
        snprintf(path, sizeof path, "%s/%s", dir, f);
        kind = package_kind(path);
        if (kind == PKG_PETITION) {
            /* every signature record verifies with the kiosk key, and the
             * register holds one entry for each */
            check_t s;
            memset(&s, 0, sizeof s);
            s.pub = c.pub;
            if (store_counts(st, id, &reg, &box) != 0 ||
                store_each_signature(st, id, check_signature, &s) != 0)
                continue;
            printf("campaign %s registered %lld signatures %lld verified %lld\n", id,
                   (long long)reg, (long long)s.n, (long long)s.ok);
            if (reg != s.n || s.ok != s.n || box != 0)
                bad = 1;
            continue;
        }
        if (kind == PKG_IDEAS) {
            /* every idea record verifies with the kiosk key; no register, no box */
            check_t s;
            memset(&s, 0, sizeof s);
            s.pub = c.pub;
            if (store_counts(st, id, &reg, &box) != 0 ||
                store_each_idea(st, id, check_idea, &s) != 0)
                continue;
            printf("campaign %s ideas %lld verified %lld\n", id, (long long)s.n,
                   (long long)s.ok);
            if (s.ok != s.n || reg != 0 || box != 0)
                bad = 1;
            continue;
        }
        if (kind == PKG_QUESTIONNAIRE) {
            /* answers in the box (verified with the ballots above), texts apart */
            check_t s;
            memset(&s, 0, sizeof s);
            s.pub = c.pub;
            if (store_counts(st, id, &reg, &box) != 0 ||
                store_each_text(st, id, check_text, &s) != 0)
                continue;
            printf("campaign %s registered %lld answers %lld texts %lld verified %lld\n", id,
                   (long long)reg, (long long)box, (long long)s.n, (long long)s.ok);
            if (reg != box || s.ok != s.n)
                bad = 1;
            continue;
        }
        if (store_counts(st, id, &reg, &box) != 0)
            continue;
        printf("campaign %s registered %lld ballots %lld\n", id, (long long)reg, (long long)box);
        /* a supervised vote: codes given at the desk may go unused (CAST-C8) */
        if ((kind & 0x100) ? box > reg : reg != box)
            bad = 1;
    }
    for (i = 0; i < n; i++)
        free(names[i]);
    free(names);
    if (bad)
        rc = bn_fail(why, whylen, BN_ECORRUPT,
                     "a ballot or signature does not verify or counts differ");
out:
    store_close(st);
    return rc;
}
