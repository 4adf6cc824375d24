/* turnout.c - turnout per territory and per commune from the closing
 * reports, and (TURNOUT-T1) (TURNOUT-T2): which communes' counts are published (turnout.h). */
#include "turnout.h"

#include <stdlib.h>
#include <string.h>

#include "bn_err.h"

/* "Unbounded" for the upper bound of a hidden commune when no count is
 * shown; sums saturate at it. */
#define INF (INT64_MAX / 8)

static int64_t add_sat(int64_t a, int64_t b)
{
    return a >= INF - b ? INF : a + b;
}

static int64_t mul_sat(int64_t a, int64_t n)
{
    if (n == 0 || a == 0)
        return 0;
    return a >= INF / n ? INF : a * n;
}

static int64_t max64(int64_t a, int64_t b)
{
    return a > b ? a : b;
}

static int64_t min64(int64_t a, int64_t b)
{
    return a < b ? a : b;
}

int turnout_disclosed(int64_t total, const int64_t *shown, int n_shown, int n_fewer,
                      int n_hidden)
{
    const int64_t lo_f = 0, hi_f = TURNOUT_MIN - 1, lo_h = TURNOUT_MIN;
    int64_t sum = 0, rest, hi_h = INF, lo, hi;
    int i;

    if (total < 0 || n_shown < 0 || n_fewer < 0 || n_hidden < 0)
        return -1;
    for (i = 0; i < n_shown; i++) {
        if (shown[i] < TURNOUT_MIN)
            return -1;
        sum = add_sat(sum, shown[i]);
        hi_h = min64(hi_h, shown[i]); /* (TURNOUT-T2) a hidden one is at most the smallest shown */
    }
    rest = total - sum;
    if (rest < mul_sat(lo_h, n_hidden) ||
        rest > add_sat(mul_sat(hi_f, n_fewer), mul_sat(hi_h, n_hidden)))
        return -1;
    if (n_fewer > 0) {
        /* one "fewer than 10" commune, given the others' bounds */
        lo = max64(lo_f, rest - add_sat(mul_sat(hi_f, n_fewer - 1), mul_sat(hi_h, n_hidden)));
        hi = min64(hi_f, rest - mul_sat(lo_h, n_hidden));
        if (lo == hi)
            return 1;
    }
    if (n_hidden > 0) {
        lo = max64(lo_h, rest - add_sat(mul_sat(hi_f, n_fewer), mul_sat(hi_h, n_hidden - 1)));
        hi = min64(hi_h, rest - mul_sat(lo_h, n_hidden - 1));
        if (lo == hi)
            return 1;
    }
    return 0;
}

/* (TURNOUT-T1) (TURNOUT-T2) for territory t. */
static int suppress(const pkg_t *p, turnout_t *t, int terr, int64_t *shown)
{
    int c, n_shown, n_fewer, n_hidden, best;

    for (c = 0; c < p->n_communes; c++)
        if (pkg_commune_territory(p, c) == terr)
            t->communes[c].shown = t->communes[c].participants < TURNOUT_MIN ? TURNOUT_FEWER
                                                                             : TURNOUT_SHOWN;
    for (;;) {
        n_shown = n_fewer = n_hidden = 0;
        best = -1;
        for (c = 0; c < p->n_communes; c++) {
            if (pkg_commune_territory(p, c) != terr)
                continue;
            if (t->communes[c].shown == TURNOUT_FEWER) {
                n_fewer++;
            } else if (t->communes[c].shown == TURNOUT_HIDDEN) {
                n_hidden++;
            } else {
                shown[n_shown++] = t->communes[c].participants;
                if (best < 0 || t->communes[c].participants < t->communes[best].participants)
                    best = c;
            }
        }
        c = turnout_disclosed(t->terr[terr].participants, shown, n_shown, n_fewer, n_hidden);
        if (c < 0)
            return BN_EINVAL; /* figures that cannot be: a bug upstream */
        if (c == 0 || best < 0)
            return 0;
        t->communes[best].shown = TURNOUT_HIDDEN;
    }
}

int turnout_compute(const pkg_t *p, const verify_t *v, turnout_t *out)
{
    int64_t *shown = NULL;
    int k, i, terr, rc = BN_ENOMEM;

    memset(out, 0, sizeof *out);
    out->n_communes = p->n_communes;
    out->n_terr = p->n_territories;
    out->communes = calloc((size_t)p->n_communes + 1, sizeof *out->communes);
    out->terr = calloc((size_t)p->n_territories + 1, sizeof *out->terr);
    shown = calloc((size_t)p->n_communes + 1, sizeof *shown);
    if (out->communes == NULL || out->terr == NULL || shown == NULL)
        goto out;
    for (k = 0; k < v->n_kiosks; k++) {
        const verify_kiosk_t *ks = &v->kiosks[k];

        for (i = 0; i < ks->n_turnout; i++) {
            int c = ks->turnout_commune[i];

            out->communes[c].participants += ks->turnout_n[i];
            out->terr[pkg_commune_territory(p, c)].participants += ks->turnout_n[i];
        }
        out->excluded_entries += ks->turnout_excluded;
        /* no report, or one without communes: what its report (else its
         * bundles) registered is not counted by commune */
        if (!ks->turnout_known)
            out->unknown_entries += ks->has_report ? ks->rep_registered : ks->registered;
    }
    for (terr = 0; terr < p->n_territories; terr++)
        out->participants += out->terr[terr].participants;
    out->complete = out->unknown_entries == 0 && out->excluded_entries == 0;
    for (terr = 0; terr < p->n_territories; terr++)
        if ((rc = suppress(p, out, terr, shown)) != 0)
            goto out;
    rc = 0;
out:
    free(shown);
    if (rc != 0)
        turnout_free(out);
    return rc;
}

void turnout_free(turnout_t *t)
{
    if (t == NULL)
        return;
    free(t->communes);
    free(t->terr);
    memset(t, 0, sizeof *t);
}
