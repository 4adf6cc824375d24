/* preports.c - borne-tally verify --reports DIR: the zero and closing
 * reports agents printed at the kiosks (firmware/formats/preport.h),
 * checked against what the tally received.
 *
 * (VERIFY-V11) Each DIR/NAME.txt with its NAME.sig: read strictly; its
 *      kiosk is one the bundles came from (by key id) and the signature
 *      verifies with that kiosk's certificate key; it is of the package's
 *      campaign and names the package's digest; a closing report's ballots
 *      (signatures, for a petition) and register entries are those of the
 *      distinct items received from that kiosk, its per-day counts of
 *      ballots those of their days, its set digest report_set_digest of
 *      them. Any difference is a problem naming the file and the field. */
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bn_err.h"
#include "day.h"
#include "hex.h"
#include "pkg.h"
#include "preport.h"
#include "report.h"
#include "verify.h"

static void bad(verify_t *v, const char *kiosk, const char *file, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* One problem line: "PROBLEM kiosk K, FILE, poll report: reason". */
static void bad(verify_t *v, const char *kiosk, const char *file, const char *fmt, ...)
{
    char reason[600];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    v->n_problems++;
    verify_logf(v, "PROBLEM kiosk %s, %s, poll report: %s", kiosk, file, reason);
}

static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    long n;

    if (f == NULL)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && n < (1 << 20) &&
        fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1)) != NULL &&
        fread(buf, 1, (size_t)n, f) == (size_t)n) {
        *len = (size_t)n;
    } else {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    return buf;
}

/* The closing report r of kiosk k against what was received from it. */
static void reconcile(verify_t *v, int k, const preport_t *r, const char *file)
{
    const verify_kiosk_t *ks = &v->kiosks[k];
    int petition = v->pkg->kind == PKG_PETITION, i, d;
    int64_t items = petition ? ks->signatures : ks->ballots, n = 0;
    uint8_t *h = NULL, set[32];

    if ((int64_t)r->items != items)
        bad(v, ks->name, file, "%s: the report says %lld, the tally received %lld",
            petition ? "signatures" : "ballots", (long long)r->items, (long long)items);
    if (!petition && (int64_t)r->registered != ks->registered)
        bad(v, ks->name, file, "register: the report says %lld, the tally received %lld",
            (long long)r->registered, (long long)ks->registered);
    h = malloc(32 * (size_t)(items > 0 ? items : 1) + 32);
    if (h == NULL) {
        bad(v, ks->name, file, "out of memory");
        return;
    }
    if (petition) {
        for (i = 0; i < v->n_sigs && n < items; i++)
            if (v->sigs[i].kiosk == k)
                key_sha256(v->sigs[i].rec, PETITION_LEN, h + 32 * n++);
    } else {
        for (i = 0; i < v->n_ballots && n < items; i++)
            if (v->ballots[i].kiosk == k)
                memcpy(h + 32 * n++, v->ballots[i].hash, 32);
    }
    report_set_digest(h, (size_t)n, set);
    if (memcmp(set, r->set, 32) != 0)
        bad(v, ks->name, file, "set: the report's digest of the set is not that of the %lld items "
            "received", (long long)n);
    /* the ballots of each day (a petition's signatures) */
    for (d = 0; d < r->n_days; d++) {
        int64_t got = 0;
        if (petition) {
            for (i = 0; i < v->n_sigs; i++)
                got += v->sigs[i].kiosk == k && v->sigs[i].day == r->days[d].day;
        } else {
            for (i = 0; i < v->n_ballots; i++)
                got += v->ballots[i].kiosk == k && v->ballots[i].day == r->days[d].day;
        }
        {
            char ds[11];
            day_format(r->days[d].day, ds);
            if ((int64_t)r->days[d].items != got)
                bad(v, ks->name, file, "day %s: the report says %lld, the tally received %lld", ds,
                    (long long)r->days[d].items, (long long)got);
        }
    }
    free(h);
}

int verify_poll_reports(verify_t *v, const char *dir)
{
    struct dirent **names = NULL;
    int n, i, checked = 0;

    if ((n = scandir(dir, &names, NULL, alphasort)) < 0) {
        v->n_problems++;
        verify_logf(v, "PROBLEM --reports %s: cannot be read", dir);
        return 0;
    }
    for (i = 0; i < n; i++) {
        const char *f = names[i]->d_name;
        size_t fl = strlen(f), tl = 0, sl = 0;
        char path[1200], why[300] = "", hex[65];
        uint8_t *text = NULL, *sig = NULL;
        preport_t *r = NULL;
        int k;

        if (fl < 5 || strcmp(f + fl - 4, ".txt") != 0 || f[0] == '.')
            goto next;
        snprintf(path, sizeof path, "%s/%s", dir, f);
        text = slurp(path, &tl);
        snprintf(path, sizeof path, "%s/%.*s.sig", dir, (int)(fl - 4), f);
        sig = slurp(path, &sl);
        r = malloc(sizeof *r);
        checked++;
        if (text == NULL || sig == NULL || r == NULL) {
            bad(v, "?", f, "cannot be read with its .sig");
            goto next;
        }
        if (preport_parse((const char *)text, tl, r, why, sizeof why) != 0) {
            bad(v, "?", f, "%s", why);
            goto next;
        }
        for (k = 0; k < v->n_kiosks; k++)
            if (memcmp(v->kiosks[k].key_id, r->kiosk_key, KEY_ID_LEN) == 0)
                break;
        /* a kiosk's drive holds the reports of all its campaigns: another
         * campaign's are set aside, said so, once their signature verifies
         * (when their kiosk sent this campaign anything); this campaign's
         * with another package digest stay a problem (below) */
        if (strcmp(r->campaign, v->pkg->id) != 0 &&
            (k == v->n_kiosks || preport_verify((const char *)text, tl, sig, sl,
                                                &v->kiosks[k].pub, why, sizeof why) == 0)) {
            verify_logf(v, "poll report %s: of campaign %s, not %s: set aside", f, r->campaign,
                        v->pkg->id);
            checked--;
            goto next;
        }
        if (k == v->n_kiosks) {
            hex_encode(r->kiosk_key, 8, hex);
            bad(v, r->kiosk, f, "a kiosk (key id %s...) from which no bundle verified", hex);
            goto next;
        }
        if (preport_verify((const char *)text, tl, sig, sl, &v->kiosks[k].pub, why,
                           sizeof why) != 0) {
            bad(v, v->kiosks[k].name, f, "%s", why);
            goto next;
        }
        if (strcmp(r->campaign, v->pkg->id) != 0 || memcmp(r->package, v->pkg->digest, 32) != 0) {
            bad(v, v->kiosks[k].name, f, "campaign %s or its package digest is not the package's",
                r->campaign);
            goto next;
        }
        if (r->closing)
            reconcile(v, k, r, f);
        verify_logf(v, "poll report %s: %s report of kiosk %s, agents %s and %s, made %s: %s", f,
                    r->closing ? "closing" : "zero", v->kiosks[k].name, r->agents[0],
                    r->agents[1], r->made, "signature verifies");
    next:
        free(text);
        free(sig);
        free(r);
        free(names[i]);
    }
    free(names);
    verify_logf(v, "poll reports %d", checked);
    return checked;
}
