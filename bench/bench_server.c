/* bench_server.c - borne-server's bulk verification path (srv_verify.h):
 * a bundle of 10,000 signed ballots verified on every online core, as an
 * upload is, best of 3 runs. Prints `server_verify_per_s N ballots/s`.
 * Wired into borne-bench with BORNE_BENCH_SERVER and server_core. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ballot.h"
#include "bn_err.h"
#include "bundle.h"
#include "cert.h"
#include "day.h"
#include "key.h"
#include "pkg.h"
#include "rng.h"
#include "srv_verify.h"

#ifndef BORNE_ASSETS
#define BORNE_ASSETS "assets"
#endif

int bench_server(double *per_s);

#define BS_BALLOTS 10000

static double bs_now(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int bench_server(double *per_s)
{
    rng_t *rng = NULL;
    key_pair_t *auth = NULL, *kiosk = NULL;
    signer_t ks;
    key_pub_t pub;
    pkg_t *pkg = NULL;
    bundle_builder_t *bb = NULL;
    uint8_t ca[CERT_DER_MAX], cert[CERT_DER_MAX], ballot[BALLOT_MAX_LEN], *json = NULL,
        *bundle = NULL;
    size_t ca_len, cert_len, json_len, bl, len;
    uint32_t today = day_today();
    double best = 0;
    int i, rc = 1, threads = (int)sysconf(_SC_NPROCESSORS_ONLN);
    const char *assets = getenv("BORNE_ASSETS");
    char path[4096];

    snprintf(path, sizeof path, "%s/campaigns/demo-budget.json", assets ? assets : BORNE_ASSETS);
    if (rng_open(&rng) != 0 || key_generate(rng, &auth) != 0 || key_generate(rng, &kiosk) != 0 ||
        pkg_read_file(path, &json, &json_len, NULL, 0) != 0 ||
        pkg_parse((const char *)json, json_len, &pkg, NULL, 0) != 0 ||
        cert_make_authority(auth, rng, "Autorite-bench", today - 1, today + 30, ca, sizeof ca,
                            &ca_len, NULL, 0) != 0)
        goto out;
    key_public(kiosk, &pub);
    key_signer(kiosk, &ks);
    if (cert_issue(auth, rng, ca, ca_len, &pub, CERT_KIOSK, "kiosk-bench", today - 1, today + 30,
                   cert, sizeof cert, &cert_len, NULL, 0) != 0 ||
        bundle_new(pkg->id, 1, cert, cert_len, &bb) != 0)
        goto out;
    for (i = 0; i < BS_BALLOTS; i++) {
        ballot_t b;
        int sel[1] = {i % pkg->n_projects};

        if (ballot_make(&b, pkg, pkg->projects[sel[0]].territory, sel, 1, today, pub.id, rng) != 0 ||
            ballot_seal(&b, &ks, ballot, sizeof ballot, &bl) != 0 ||
            bundle_add_ballot(bb, ballot, bl) != 0)
            goto out;
    }
    if (bundle_finish(bb, &ks, &bundle, &len) != 0)
        goto out;
    for (i = 0; i < 3; i++) {
        double t0 = bs_now(), rate;

        if (srv_verify_bundle(bundle, len, ca, ca_len, NULL, today, threads, NULL, NULL, NULL,
                              0) != 0)
            goto out;
        rate = BS_BALLOTS / (bs_now() - t0);
        if (rate > best)
            best = rate;
    }
    printf("server_verify_per_s %.0f ballots/s\n", best);
    fflush(stdout);
    if (per_s != NULL)
        *per_s = best;
    rc = 0;
out:
    if (rc != 0)
        fprintf(stderr, "bench_server: setup failed\n");
    free(bundle);
    free(json);
    bundle_free(bb);
    pkg_free(pkg);
    key_free(auth);
    key_free(kiosk);
    rng_close(rng);
    return rc;
}

#ifdef BENCH_SERVER_MAIN
int main(void)
{
    return bench_server(NULL);
}
#endif
