/* gen_bundles.c - test helper for the shell-driven server tests: signed
 * bundles from the demo kiosks of a server directory, a bundle from a kiosk
 * of another authority, a revocation list, a tampered copy.
 *
 *   server_gen bundles DIR N OUTDIR COUNT BALLOTS REGS
 *       COUNT bundles from kiosk N: OUTDIR/kN-0001.bundle ...; the tracking
 *       codes in OUTDIR/kN.codes, the expected acknowledgement (ballots and
 *       ballot_ids_digest) in OUTDIR/kN.expect
 *   server_gen foreign DIR OUT      a bundle from a kiosk of another authority
 *   server_gen revoke DIR N         DIR/revocations.brl revoking kiosk N
 *   server_gen tamper IN OUT        IN with the last byte flipped
 *   server_gen election DIR N OUTDIR COUNT BALLOTS
 *       COUNT bundles of BALLOTS ballots and BALLOTS register entries from
 *       kiosk N (OUTDIR/kN-0001.bundle ...), then OUTDIR/kN-close.bundle
 *       holding only kiosk N's closing report for all of them (counts and
 *       ballot-set digest), so that borne-tally can certify them
 *   server_gen petition DIR N OUTDIR COUNT
 *       one bundle of COUNT signatures of the demo petition (pet35-demo) by
 *       COUNT different persons from kiosk N, dated today:
 *       OUTDIR/kN-petition.bundle, their tracking codes in
 *       OUTDIR/kN-petition.codes */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kit.h"
#include "petition.h"

static int write_file(const char *path, const void *d, size_t n)
{
    FILE *f = fopen(path, "wb");
    int ok = f != NULL && fwrite(d, 1, n, f) == n;

    if (f != NULL && fclose(f) != 0)
        ok = 0;
    return ok ? 0 : -1;
}

static int bundles(const char *dir, int n, const char *outdir, int count, int nb, int nr)
{
    kit_t k;
    char path[4096], (*codes)[16] = calloc((size_t)nb + 1, 16), hex[65];
    uint8_t *ids = malloc((size_t)count * nb * 16 + 16), *b;
    size_t len;
    FILE *fc;
    int i, j;

    if (kit_open(&k, dir, n) != 0)
        return fprintf(stderr, "cannot open kiosk %d of %s\n", n, dir), 1;
    snprintf(path, sizeof path, "%s/k%d.codes", outdir, n);
    fc = fopen(path, "w");
    if (fc == NULL || codes == NULL || ids == NULL)
        return 1;
    for (i = 0; i < count; i++) {
        if (kit_bundle(&k, NULL, (uint64_t)i + 1, nb, nr, &b, &len, codes,
                       ids + (size_t)i * nb * 16) != 0)
            return fprintf(stderr, "bundle %d failed\n", i), 1;
        snprintf(path, sizeof path, "%s/k%d-%04d.bundle", outdir, n, i + 1);
        if (write_file(path, b, len) != 0)
            return 1;
        free(b);
        for (j = 0; j < nb; j++)
            fprintf(fc, "%s\n", codes[j]);
    }
    fclose(fc);
    kit_ids_digest(ids, (size_t)count * nb, hex);
    snprintf(path, sizeof path, "%s/k%d.expect", outdir, n);
    fc = fopen(path, "w");
    if (fc == NULL)
        return 1;
    fprintf(fc, "\"ballots\":%d,\"register\":%d,\"reports\":0,\"ballot_ids_digest\":\"%s\"\n",
            count * nb, count * nr, hex);
    fclose(fc);
    free(codes);
    free(ids);
    kit_close(&k);
    return 0;
}

static int election(const char *dir, int n, const char *outdir, int count, int nb)
{
    kit_t k;
    bundle_builder_t *bb = NULL;
    uint8_t ballot[BALLOT_MAX_LEN], id[16], ps[32], rep[REPORT_MAX_LEN], *b,
            *hashes = malloc((size_t)count * nb * 32 + 32);
    char path[4096];
    size_t bl, len, h = 0, rep_len = 0;
    report_t r;
    int i, j;

    if (hashes == NULL || kit_open(&k, dir, n) != 0)
        return fprintf(stderr, "cannot open kiosk %d of %s\n", n, dir), 1;
    for (i = 0; i < count; i++) {
        if (bundle_new(k.pkg->id, (uint64_t)i + 1, k.cert, k.cert_len, &bb) != 0)
            return 1;
        for (j = 0; j < nb; j++) {
            if (kit_ballot(&k, k.pkg, ballot, &bl, id) != 0 ||
                bundle_add_ballot(bb, ballot, bl) != 0 || rng_bytes(k.rng, ps, 32) != 0 ||
                bundle_add_register(bb, ps, k.day, 0) != 0)
                return fprintf(stderr, "ballot %d of bundle %d failed\n", j, i), 1;
            key_sha256(ballot, bl, hashes + 32 * h++);
        }
        if (bundle_finish(bb, &k.ks, &b, &len) != 0)
            return 1;
        bundle_free(bb);
        snprintf(path, sizeof path, "%s/k%d-%04d.bundle", outdir, n, i + 1);
        if (write_file(path, b, len) != 0)
            return 1;
        free(b);
    }
    /* the closing report: what the kiosk holds, signed */
    memset(&r, 0, sizeof r);
    snprintf(r.campaign, sizeof r.campaign, "%s", k.pkg->id);
    r.opened = k.day;
    r.closed = k.day;
    r.registered = (uint64_t)h;
    r.ballots = (uint64_t)h;
    report_set_digest(hashes, h, r.ballot_set);
    if (report_seal(&r, &k.ks, rep, sizeof rep, &rep_len) != 0 ||
        bundle_new(k.pkg->id, (uint64_t)count + 1, k.cert, k.cert_len, &bb) != 0 ||
        bundle_add_report(bb, rep, rep_len) != 0 || bundle_finish(bb, &k.ks, &b, &len) != 0)
        return fprintf(stderr, "closing report failed\n"), 1;
    bundle_free(bb);
    snprintf(path, sizeof path, "%s/k%d-close.bundle", outdir, n);
    if (write_file(path, b, len) != 0)
        return 1;
    free(b);
    free(hashes);
    kit_close(&k);
    return 0;
}

static int foreign(const char *dir, const char *out)
{
    kit_t k;
    key_pair_t *auth = NULL, *kiosk = NULL;
    key_pub_t pub;
    uint8_t *b;
    size_t len;

    if (kit_open(&k, dir, 1) != 0 || key_generate(k.rng, &auth) != 0 ||
        key_generate(k.rng, &kiosk) != 0 ||
        cert_make_authority(auth, k.rng, "Autorite-35", k.day - 1, k.day + 100, k.ca,
                            sizeof k.ca, &k.ca_len, NULL, 0) != 0)
        return 1;
    key_public(kiosk, &pub);
    if (cert_issue(auth, k.rng, k.ca, k.ca_len, &pub, CERT_KIOSK, "kiosk-35238-01", k.day - 1,
                   k.day + 100, k.cert, sizeof k.cert, &k.cert_len, NULL, 0) != 0)
        return 1;
    key_free(k.kiosk);
    k.kiosk = kiosk;
    key_signer(kiosk, &k.ks);
    if (kit_bundle(&k, NULL, 1, 5, 5, &b, &len, NULL, NULL) != 0 || write_file(out, b, len) != 0)
        return 1;
    free(b);
    key_free(auth);
    kit_close(&k);
    return 0;
}

static int revoke(const char *dir, int n)
{
    kit_t k;
    key_pair_t *auth = NULL;
    signer_t as;
    char path[4096];
    uint8_t *list;
    size_t len;

    snprintf(path, sizeof path, "%s/demo/authority.key", dir);
    if (kit_open(&k, dir, n) != 0 || key_load(path, k.rng, &auth, NULL, 0) != 0)
        return 1;
    key_signer(auth, &as);
    if (cert_revoke_sign(&as, k.day, 1, k.ks.pub.id, 1, &list, &len) != 0)
        return 1;
    snprintf(path, sizeof path, "%s/revocations.brl", dir);
    if (write_file(path, list, len) != 0)
        return 1;
    free(list);
    key_free(auth);
    kit_close(&k);
    return 0;
}

static int petitions(const char *dir, int n, const char *outdir, int count)
{
    kit_t k;
    pkg_t *p = NULL;
    key_pub_t ca_pub;
    bundle_builder_t *bb = NULL;
    uint8_t *file, *sec, secret[32], tkey[32], rec[PETITION_LEN], ps[32], *b;
    char path[4096], code[16];
    size_t len, slen;
    FILE *fc;
    int i;

    if (kit_open(&k, dir, n) != 0 || cert_key(k.ca, k.ca_len, &ca_pub) != 0)
        return fprintf(stderr, "cannot open kiosk %d of %s\n", n, dir), 1;
    if ((file = kit_read(dir, "pet35-demo.bpkg", &len)) == NULL ||
        pkg_open(file, len, &ca_pub, NULL, k.day, &p, NULL, 0) != 0)
        return fprintf(stderr, "cannot open pet35-demo.bpkg\n"), 1;
    free(file);
    sec = kit_read(dir, "kiosks/pet35-demo.secret", &slen);
    if (sec == NULL || slen < 64 || hex_decode((const char *)sec, 64, secret, 32) != 0 ||
        track_key(secret, tkey) != 0)
        return 1;
    free(sec);
    snprintf(path, sizeof path, "%s/k%d-petition.codes", outdir, n);
    if ((fc = fopen(path, "w")) == NULL || bundle_new(p->id, 1000, k.cert, k.cert_len, &bb) != 0)
        return 1;
    for (i = 0; i < count; i++) {
        petition_identity_t who;
        petition_t r;
        int c = (i * 37) % p->n_communes;

        memset(&who, 0, sizeof who);
        snprintf(who.last_name, sizeof who.last_name, "Demo");
        snprintf(who.first_names, sizeof who.first_names, "Personne %d", i + 1);
        snprintf(who.birth, sizeof who.birth, "1980-01-01");
        snprintf(who.commune, sizeof who.commune, "%s", p->communes[c].insee);
        if (rng_bytes(k.rng, ps, 32) != 0 ||
            petition_make(&r, p, c, ps, 0, k.day, k.ks.pub.id, k.rng) != 0 ||
            petition_seal(&r, &who, &ca_pub, &k.ks, k.rng, rec) != 0 ||
            bundle_add_signature(bb, rec, PETITION_LEN) != 0 || track_code(tkey, r.id, code) != 0)
            return fprintf(stderr, "signature %d failed\n", i), 1;
        fprintf(fc, "%s\n", code);
    }
    fclose(fc);
    if (bundle_finish(bb, &k.ks, &b, &len) != 0)
        return 1;
    snprintf(path, sizeof path, "%s/k%d-petition.bundle", outdir, n);
    if (write_file(path, b, len) != 0)
        return 1;
    free(b);
    bundle_free(bb);
    pkg_free(p);
    kit_close(&k);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 6 && strcmp(argv[1], "petition") == 0)
        return petitions(argv[2], atoi(argv[3]), argv[4], atoi(argv[5]));
    if (argc == 8 && strcmp(argv[1], "bundles") == 0)
        return bundles(argv[2], atoi(argv[3]), argv[4], atoi(argv[5]), atoi(argv[6]),
                       atoi(argv[7]));
    if (argc == 7 && strcmp(argv[1], "election") == 0)
        return election(argv[2], atoi(argv[3]), argv[4], atoi(argv[5]), atoi(argv[6]));
    if (argc == 4 && strcmp(argv[1], "foreign") == 0)
        return foreign(argv[2], argv[3]);
    if (argc == 4 && strcmp(argv[1], "revoke") == 0)
        return revoke(argv[2], atoi(argv[3]));
    if (argc == 4 && strcmp(argv[1], "tamper") == 0) {
        size_t len;
        uint8_t *b = NULL;

        if (pkg_read_file(argv[2], &b, &len, NULL, 0) != 0 || len == 0)
            return 1;
        b[len - 1] ^= 1;
        return write_file(argv[3], b, len) != 0;
    }
    fprintf(stderr, "usage: see gen_bundles.c\n");
    return 2;
}
