/* make-v2.c - wrote tests/vectors/store/v2.db with the schema-version-2 code
 * (commit 370bad1). Kept for the record: it builds only against that
 * firmware (later code writes a newer schema), e.g.
 *   cc -Ifirmware tests/vectors/store/make-v2.c build/libfirmware.a \
 *      -lsqlite3 -lmbedcrypto -o make-v2 && ./make-v2 v2.db */
#include <stdio.h>
#include <string.h>

#include "ballot.h"
#include "key.h"
#include "rng.h"
#include "store.h"

#define DAY 20785u /* 2026-11-28 */

int main(int argc, char **argv)
{
    static const char seed[] = "borne store v2 fixture";
    const char *choices[3][2] = {{"p-bus", "p-velo"}, {"p-parc", ""}, {"p-bus", ""}};
    uint8_t secret[32], rec[555], sig_id[16], pseud[32], buf[BALLOT_MAX_LEN];
    rng_t *rng = NULL;
    key_pair_t *k = NULL;
    signer_t signer;
    store_t *s = NULL;
    store_cast_t c;
    store_sign_t g;
    ballot_t b;
    size_t len;
    char why[256];
    int i;

    if (argc != 2 || rng_open_fixed(&rng, (const uint8_t *)seed, sizeof seed - 1) != 0 ||
        key_generate(rng, &k) != 0 || store_open(argv[1], &s, why, sizeof why) != 0)
        return 1;
    key_signer(k, &signer);
    rng_bytes(rng, secret, sizeof secret);
    if (store_put_campaign(s, "bp-2026", (const uint8_t *)"pkg", 3, secret) != 0 ||
        store_put_campaign(s, "interp-2026", (const uint8_t *)"pkg", 3, secret) != 0 ||
        store_meta_set(s, "polls", "open") != 0 ||
        store_audit_append(s, "polls-opened", "bp-2026") != 0)
        return 1;
    for (i = 0; i < 3; i++) {
        memset(&b, 0, sizeof b);
        b.kind = BALLOT_KIND_BUDGET;
        b.day = DAY;
        rng_bytes(rng, b.id, sizeof b.id);
        memcpy(b.kiosk, signer.pub.id, KEY_ID_LEN);
        strcpy(b.campaign, "bp-2026");
        strcpy(b.territory, "rennes");
        b.n = choices[i][1][0] != '\0' ? 2 : 1;
        strcpy(b.choices[0], choices[i][0]);
        if (b.n == 2)
            strcpy(b.choices[1], choices[i][1]);
        if (ballot_seal(&b, &signer, buf, sizeof buf, &len) != 0)
            return 1;
        memset(&c, 0, sizeof c);
        c.campaign = "bp-2026";
        rng_bytes(rng, c.pseudonym, sizeof c.pseudonym);
        c.day = DAY;
        c.offline = i != 0;
        c.ballot_id = b.id;
        c.ballot = buf;
        c.ballot_len = len;
        if (store_cast(s, &c) != 0)
            return 1;
        if (i == 0 && (store_outbox_done(s, STORE_ITEM_BALLOT, b.id, 16) != 0 ||
                       store_outbox_done(s, STORE_ITEM_REGISTER, c.pseudonym, 32) != 0))
            return 1;
    }
    /* one petition signature: an opaque stand-in record (the store does not
     * decode it), with the record's magic, id and canton in place */
    rng_bytes(rng, rec, sizeof rec);
    rng_bytes(rng, sig_id, sizeof sig_id);
    rng_bytes(rng, pseud, sizeof pseud);
    memcpy(rec, "BRNS", 4);
    memcpy(rec + 10, sig_id, 16);
    memset(rec + 74, 0, 16);
    memcpy(rec + 74, "rennes-1", 8);
    memset(&g, 0, sizeof g);
    g.campaign = "interp-2026";
    memcpy(g.pseudonym, pseud, sizeof pseud);
    g.day = DAY;
    g.offline = 1;
    g.sig_id = sig_id;
    g.record = rec;
    g.record_len = sizeof rec;
    if (store_sign(s, &g) != 0 || store_compact(s, why, sizeof why) != 0)
        return 1;
    store_close(s);
    key_free(k);
    rng_close(rng);
    return 0;
}
