/* petition.c - petition signature records: encoding, identity sealed to the
 * authority (ECIES: P-256 ECDH, HKDF-SHA256, AES-256-GCM), strict decoding,
 * verification, decryption, and the threshold counters.
 *
 * DESIGN-S5, as this file keeps it:
 * (PET-P1) The identity (names, birth date, commune) leaves petition_seal() only
 *      encrypted to the authority key; the plaintext buffer and the derived
 *      keys are wiped on every path, and the plaintext has one length for
 *      everybody (PETITION_PT_LEN), so the record does not leak the length
 *      of a name either.
 * (PET-P2) In clear, a record holds what de-duplication and counting need and
 *      nothing more: campaign, canton (not the commune), day (not the time),
 *      pseudonym (not the name), the no-publish flag.
 * (PET-P3) The GCM additional data is the whole clear header (bytes 0..219): the
 *      ciphertext cannot be moved to another record, nor the flag changed,
 *      without the authority noticing, even where the kiosk signature was
 *      not checked. */
#include "petition.h"

#include <stdlib.h>
#include <string.h>

#include <mbedtls/ecdh.h>
#include <mbedtls/ecp.h>
#include <mbedtls/gcm.h>
#include <mbedtls/hkdf.h>
#include <mbedtls/md.h>
#include <mbedtls/pk.h>
#include <mbedtls/platform_util.h>

#include "bn_err.h"
#include "wire.h"
#include "day.h"

/* Offsets (petition.h). */
#define OFF_MAGIC 0
#define OFF_VERSION 4
#define OFF_FLAGS 5
#define OFF_DAY 6
#define OFF_ID PETITION_OFF_ID
#define OFF_KIOSK 26
#define OFF_CAMPAIGN 58
#define OFF_CANTON PETITION_OFF_CANTON
#define OFF_PSEUD 90
#define OFF_AUTH 122
#define OFF_EPH 154
#define OFF_CT 219
#define OFF_TAG (OFF_CT + PETITION_PT_LEN)       /* 475 */
#define OFF_SIG PETITION_SIGNED_LEN              /* 491 */

/* --- small helpers ------------------------------------------------------------ */

static void put_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static uint32_t get_u32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Valid UTF-8 (shortest form, no surrogates, <= U+10FFFF) without C0/C1
 * controls or DEL, n bytes. */
static int utf8_text_ok(const uint8_t *s, size_t n)
{
    return wire_text_chars(s, n, 0) >= 0;
}

/* An INSEE commune code: 5 of [0-9], or "2A"/"2B" followed by 3 digits. */
static int insee_ok(const char *s)
{
    int i;

    if (strnlen(s, 6) != 5)
        return 0;
    for (i = 0; i < 5; i++) {
        if (s[i] >= '0' && s[i] <= '9')
            continue;
        if (i == 1 && s[0] == '2' && (s[1] == 'A' || s[1] == 'B'))
            continue;
        return 0;
    }
    return 1;
}

static int birth_ok(const char *s)
{
    int y, m, d;

    return strnlen(s, 11) == 10 && day_parse_ymd(s, &y, &m, &d) == 0;
}

/* Writes the canonical plaintext of `who` (PETITION_PT_LEN bytes). */
static int pt_encode(const petition_identity_t *who, uint8_t pt[PETITION_PT_LEN])
{
    size_t a = strnlen(who->last_name, sizeof who->last_name);
    size_t b = strnlen(who->first_names, sizeof who->first_names);

    if (a == 0 || b == 0 || a > 255 || b > 255 || a + b > PETITION_NAMES_MAX ||
        !utf8_text_ok((const uint8_t *)who->last_name, a) ||
        !utf8_text_ok((const uint8_t *)who->first_names, b) || !birth_ok(who->birth) ||
        !insee_ok(who->commune))
        return BN_EINVAL;
    memset(pt, 0, PETITION_PT_LEN);
    pt[0] = 1;
    pt[1] = (uint8_t)a;
    pt[2] = (uint8_t)b;
    memcpy(pt + 3, who->birth, 10);
    memcpy(pt + 13, who->commune, 5);
    memcpy(pt + PETITION_PT_HEAD, who->last_name, a);
    memcpy(pt + PETITION_PT_HEAD + a, who->first_names, b);
    return 0;
}

/* Reads a plaintext strictly; NULL or a static reason. */
static const char *pt_decode(const uint8_t pt[PETITION_PT_LEN], petition_identity_t *who)
{
    size_t a = pt[1], b = pt[2], i;

    memset(who, 0, sizeof *who);
    if (pt[0] != 1)
        return "identity version is not 1";
    if (a == 0 || b == 0 || a + b > PETITION_NAMES_MAX)
        return "name lengths out of range";
    memcpy(who->birth, pt + 3, 10);
    memcpy(who->commune, pt + 13, 5);
    if (memchr(pt + 3, 0, 15) != NULL || !birth_ok(who->birth))
        return "birth date is not a valid YYYY-MM-DD date";
    if (!insee_ok(who->commune))
        return "commune is not an INSEE code";
    if (!utf8_text_ok(pt + PETITION_PT_HEAD, a) || !utf8_text_ok(pt + PETITION_PT_HEAD + a, b))
        return "a name is not UTF-8 text";
    for (i = PETITION_PT_HEAD + a + b; i < PETITION_PT_LEN; i++)
        if (pt[i] != 0)
            return "non-zero padding";
    memcpy(who->last_name, pt + PETITION_PT_HEAD, a);
    memcpy(who->first_names, pt + PETITION_PT_HEAD + a, b);
    return NULL;
}

/* key || nonce from the shared secret and the two points. */
static int derive(const uint8_t z[32], const uint8_t eph[PETITION_EPH_LEN],
                  const uint8_t auth[KEY_PUB_LEN], uint8_t okm[44])
{
    const mbedtls_md_info_t *md = mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);
    uint8_t salt[PETITION_EPH_LEN + KEY_PUB_LEN];

    memcpy(salt, eph, PETITION_EPH_LEN);
    memcpy(salt + PETITION_EPH_LEN, auth, KEY_PUB_LEN);
    if (md == NULL || mbedtls_hkdf(md, salt, sizeof salt, z, 32,
                                   (const unsigned char *)PETITION_HKDF_INFO,
                                   sizeof PETITION_HKDF_INFO - 1, okm, 44) != 0)
        return BN_ECRYPTO;
    return 0;
}

/* --- making and sealing -------------------------------------------------------- */

int petition_make(petition_t *s, const pkg_t *p, int commune, const uint8_t pseudonym[PSEUD_LEN],
                  int no_publish, uint32_t day, const uint8_t kiosk[KEY_ID_LEN], rng_t *rng)
{
    int canton, rc;

    if (s == NULL)
        return BN_EINVAL;
    memset(s, 0, sizeof *s);
    if (p == NULL || pseudonym == NULL || kiosk == NULL || rng == NULL || day == 0 ||
        p->kind != PKG_PETITION || commune < 0 || commune >= p->n_communes)
        return BN_EINVAL;
    canton = p->communes[commune].canton;
    if (canton < 0 || canton >= p->n_cantons || !wire_token_ok(p->id) ||
        !wire_token_ok(p->cantons[canton].id))
        return BN_EINVAL;
    s->no_publish = no_publish != 0;
    s->day = day;
    memcpy(s->kiosk, kiosk, KEY_ID_LEN);
    strcpy(s->campaign, p->id);
    strcpy(s->canton, p->cantons[canton].id);
    memcpy(s->pseudonym, pseudonym, PSEUD_LEN);
    rc = rng_bytes(rng, s->id, PETITION_ID_LEN);
    if (rc != 0)
        memset(s, 0, sizeof *s);
    return rc;
}

int petition_seal(petition_t *s, const petition_identity_t *who, const key_pub_t *authority,
                  const signer_t *signer, rng_t *rng, uint8_t out[PETITION_LEN])
{
    mbedtls_ecp_group grp;
    mbedtls_ecp_point eph, auth;
    mbedtls_mpi d, z;
    mbedtls_gcm_context gcm;
    uint8_t pt[PETITION_PT_LEN], zb[32], okm[44];
    size_t olen = 0;
    int rc;

    if (s == NULL || who == NULL || authority == NULL || signer == NULL || rng == NULL ||
        out == NULL)
        return BN_EINVAL;
    mbedtls_ecp_group_init(&grp);
    mbedtls_ecp_point_init(&eph);
    mbedtls_ecp_point_init(&auth);
    mbedtls_mpi_init(&d);
    mbedtls_mpi_init(&z);
    mbedtls_gcm_init(&gcm);
    memset(out, 0, PETITION_LEN);
    if (s->day == 0 || !wire_token_ok(s->campaign) || !wire_token_ok(s->canton) ||
        (s->no_publish != 0 && s->no_publish != 1)) {
        rc = BN_EINVAL;
        goto out;
    }
    rc = pt_encode(who, pt);
    if (rc != 0)
        goto out;
    memcpy(s->authority, authority->id, KEY_ID_LEN);

    /* the clear header */
    memcpy(out + OFF_MAGIC, PETITION_MAGIC, 4);
    out[OFF_VERSION] = PETITION_VERSION;
    out[OFF_FLAGS] = s->no_publish ? PETITION_FLAG_NO_PUBLISH : 0;
    put_u32(out + OFF_DAY, s->day);
    memcpy(out + OFF_ID, s->id, PETITION_ID_LEN);
    memcpy(out + OFF_KIOSK, s->kiosk, KEY_ID_LEN);
    wire_token_put(out + OFF_CAMPAIGN, s->campaign);
    wire_token_put(out + OFF_CANTON, s->canton);
    memcpy(out + OFF_PSEUD, s->pseudonym, PSEUD_LEN);
    memcpy(out + OFF_AUTH, authority->id, KEY_ID_LEN);

    /* (PET-P1) ECIES: ephemeral key, ECDH with the authority key, HKDF, GCM */
    if (mbedtls_ecp_group_load(&grp, MBEDTLS_ECP_DP_SECP256R1) != 0 ||
        mbedtls_ecp_point_read_binary(&grp, &auth, authority->pub, KEY_PUB_LEN) != 0 ||
        mbedtls_ecp_check_pubkey(&grp, &auth) != 0) {
        rc = BN_EKEY;
        goto out;
    }
    rc = mbedtls_ecp_gen_keypair(&grp, &d, &eph, rng_mbedtls, rng);
    if (rc != 0) {
        rc = rc == MBEDTLS_ERR_ECP_RANDOM_FAILED ? BN_ERNG : BN_ECRYPTO;
        goto out;
    }
    if (mbedtls_ecp_point_write_binary(&grp, &eph, MBEDTLS_ECP_PF_UNCOMPRESSED, &olen,
                                       out + OFF_EPH, PETITION_EPH_LEN) != 0 ||
        olen != PETITION_EPH_LEN ||
        mbedtls_ecdh_compute_shared(&grp, &z, &auth, &d, rng_mbedtls, rng) != 0 ||
        mbedtls_mpi_write_binary(&z, zb, sizeof zb) != 0) {
        rc = BN_ECRYPTO;
        goto out;
    }
    rc = derive(zb, out + OFF_EPH, authority->pub, okm);
    if (rc != 0)
        goto out;
    /* (PET-P3) the whole clear header is authenticated */
    if (mbedtls_gcm_setkey(&gcm, MBEDTLS_CIPHER_ID_AES, okm, 256) != 0 ||
        mbedtls_gcm_crypt_and_tag(&gcm, MBEDTLS_GCM_ENCRYPT, PETITION_PT_LEN, okm + 32, 12, out,
                                  OFF_CT, pt, out + OFF_CT, PETITION_TAG_LEN,
                                  out + OFF_TAG) != 0) {
        rc = BN_ECRYPTO;
        goto out;
    }
    rc = key_sign_msg(signer, out, PETITION_SIGNED_LEN, out + OFF_SIG);
    if (rc == 0)
        memcpy(s->sig, out + OFF_SIG, KEY_SIG_LEN);
out:
    if (rc != 0)
        memset(out, 0, PETITION_LEN);
    /* (PET-P1) */
    mbedtls_platform_zeroize(pt, sizeof pt);
    mbedtls_platform_zeroize(zb, sizeof zb);
    mbedtls_platform_zeroize(okm, sizeof okm);
    mbedtls_gcm_free(&gcm);
    mbedtls_mpi_free(&d);
    mbedtls_mpi_free(&z);
    mbedtls_ecp_point_free(&eph);
    mbedtls_ecp_point_free(&auth);
    mbedtls_ecp_group_free(&grp);
    return rc;
}

/* --- decoding and verifying ------------------------------------------------------ */

int petition_decode(const uint8_t *buf, size_t len, petition_t *out, char *why, size_t whylen)
{
    petition_t s;
    key_pub_t eph;
    const char *bad;
    uint32_t day;

    memset(&s, 0, sizeof s);
    if (out != NULL)
        memset(out, 0, sizeof *out);
    if (buf == NULL)
        return BN_EINVAL;
    if (len != PETITION_LEN)
        return bn_fail(why, whylen, BN_EFORMAT, "length %zu: a signature record is %d bytes",
                       len, PETITION_LEN);
    if (memcmp(buf + OFF_MAGIC, PETITION_MAGIC, 4) != 0)
        return bn_fail(why, whylen, BN_EFORMAT, "offset 0: magic is not \"BRNS\"");
    if (buf[OFF_VERSION] != PETITION_VERSION)
        return bn_fail(why, whylen, BN_EFORMAT, "offset 4: version %u, this firmware reads 1",
                       buf[OFF_VERSION]);
    if (buf[OFF_FLAGS] > PETITION_FLAG_NO_PUBLISH)
        return bn_fail(why, whylen, BN_EFORMAT, "offset 5: flags %u, not 0 or 1",
                       buf[OFF_FLAGS]);
    day = get_u32(buf + OFF_DAY);
    if (day == 0)
        return bn_fail(why, whylen, BN_EFORMAT, "offset 6: day is 0");
    if ((bad = wire_token_get(buf + OFF_CAMPAIGN, s.campaign)) != NULL)
        return bn_fail(why, whylen, BN_EFORMAT, "offset %d: campaign: %s", OFF_CAMPAIGN, bad);
    if ((bad = wire_token_get(buf + OFF_CANTON, s.canton)) != NULL)
        return bn_fail(why, whylen, BN_EFORMAT, "offset %d: canton: %s", OFF_CANTON, bad);
    /* one encoding of the ephemeral point: uncompressed, on the curve */
    if (buf[OFF_EPH] != 0x04 || key_pub_from_point(buf + OFF_EPH, &eph) != 0)
        return bn_fail(why, whylen, BN_EFORMAT, "offset %d: ephemeral key is not an "
                       "uncompressed P-256 point", OFF_EPH);
    s.no_publish = buf[OFF_FLAGS];
    s.day = day;
    memcpy(s.id, buf + OFF_ID, PETITION_ID_LEN);
    memcpy(s.kiosk, buf + OFF_KIOSK, KEY_ID_LEN);
    memcpy(s.pseudonym, buf + OFF_PSEUD, PSEUD_LEN);
    memcpy(s.authority, buf + OFF_AUTH, KEY_ID_LEN);
    memcpy(s.sig, buf + OFF_SIG, KEY_SIG_LEN);
    if (out != NULL)
        *out = s;
    return 0;
}

int petition_verify(const uint8_t *buf, size_t len, const key_pub_t *kiosk)
{
    petition_t s;
    int rc;

    if (kiosk == NULL)
        return BN_EINVAL;
    rc = petition_decode(buf, len, &s, NULL, 0);
    if (rc != 0)
        return rc;
    if (memcmp(s.kiosk, kiosk->id, KEY_ID_LEN) != 0)
        return BN_EWRONGKEY;
    return key_verify_msg(kiosk, buf, PETITION_SIGNED_LEN, buf + OFF_SIG);
}

int petition_decrypt(const uint8_t *buf, size_t len, key_pair_t *authority,
                     petition_identity_t *out, char *why, size_t whylen)
{
    mbedtls_ecp_point eph;
    mbedtls_mpi z;
    mbedtls_gcm_context gcm;
    mbedtls_ecp_keypair *kp;
    key_pub_t apub;
    petition_t s;
    uint8_t pt[PETITION_PT_LEN], zb[32], okm[44];
    const char *bad;
    int rc;

    if (buf == NULL || authority == NULL || out == NULL)
        return BN_EINVAL;
    memset(out, 0, sizeof *out);
    mbedtls_ecp_point_init(&eph);
    mbedtls_mpi_init(&z);
    mbedtls_gcm_init(&gcm);
    rc = petition_decode(buf, len, &s, why, whylen);
    if (rc != 0)
        goto out;
    key_public(authority, &apub);
    if (memcmp(s.authority, apub.id, KEY_ID_LEN) != 0) {
        rc = bn_fail(why, whylen, BN_EWRONGKEY, "offset %d: identity sealed to another "
                     "authority key", OFF_AUTH);
        goto out;
    }
    kp = mbedtls_pk_ec(*key_pk(authority));
    if (kp == NULL || mbedtls_ecp_point_read_binary(&kp->grp, &eph, buf + OFF_EPH,
                                                    PETITION_EPH_LEN) != 0 ||
        mbedtls_ecp_check_pubkey(&kp->grp, &eph) != 0 ||
        mbedtls_ecdh_compute_shared(&kp->grp, &z, &eph, &kp->d, NULL, NULL) != 0 ||
        mbedtls_mpi_write_binary(&z, zb, sizeof zb) != 0) {
        rc = bn_fail(why, whylen, BN_ECRYPTO, "ECDH with the authority key failed");
        goto out;
    }
    rc = derive(zb, buf + OFF_EPH, apub.pub, okm);
    if (rc != 0)
        goto out;
    if (mbedtls_gcm_setkey(&gcm, MBEDTLS_CIPHER_ID_AES, okm, 256) != 0) {
        rc = bn_fail(why, whylen, BN_ECRYPTO, "AES-GCM key setup failed");
        goto out;
    }
    if (mbedtls_gcm_auth_decrypt(&gcm, PETITION_PT_LEN, okm + 32, 12, buf, OFF_CT,
                                 buf + OFF_TAG, PETITION_TAG_LEN, buf + OFF_CT, pt) != 0) {
        rc = bn_fail(why, whylen, BN_EBADSIG, "identity does not authenticate (record "
                     "altered)");
        goto out;
    }
    if ((bad = pt_decode(pt, out)) != NULL) {
        rc = bn_fail(why, whylen, BN_EFORMAT, "identity: %s", bad);
        goto out;
    }
    rc = 0;
out:
    if (rc != 0)
        mbedtls_platform_zeroize(out, sizeof *out);
    mbedtls_platform_zeroize(pt, sizeof pt);
    mbedtls_platform_zeroize(zb, sizeof zb);
    mbedtls_platform_zeroize(okm, sizeof okm);
    mbedtls_gcm_free(&gcm);
    mbedtls_mpi_free(&z);
    mbedtls_ecp_point_free(&eph);
    return rc;
}

/* --- counters ------------------------------------------------------------------- */

typedef struct entry_s {
    uint32_t day;
    int canton;
    uint8_t pseudonym[PSEUD_LEN];
} entry_t;

static int by_person_then_day(const void *x, const void *y)
{
    const entry_t *a = x, *b = y;
    int c = memcmp(a->pseudonym, b->pseudonym, PSEUD_LEN);

    if (c != 0)
        return c;
    return a->day < b->day ? -1 : a->day > b->day;
}

static int by_day(const void *x, const void *y)
{
    const entry_t *a = x, *b = y;

    return a->day < b->day ? -1 : a->day > b->day;
}

static int canton_index(const pkg_t *p, const char *id)
{
    int i;

    for (i = 0; i < p->n_cantons; i++)
        if (strcmp(p->cantons[i].id, id) == 0)
            return i;
    return -1;
}

static int count(const pkg_t *p, const petition_item_t *items, size_t n, int verify,
                 petition_count_t *out);

int petition_count(const pkg_t *p, const petition_item_t *items, size_t n,
                   petition_count_t *out)
{
    return count(p, items, n, 1, out);
}

int petition_count_verified(const pkg_t *p, const petition_item_t *items, size_t n,
                            petition_count_t *out)
{
    return count(p, items, n, 0, out);
}

struct petition_acc_s {
    entry_t *e;                  /* the valid records in the window, one entry each */
    size_t m, cap;
    int64_t added;               /* records added, valid or not */
    petition_count_t refused;    /* invalid, outside, unknown_canton so far */
};

/* Checks records and adds the valid ones (petition_count's rules) to a. */
static int classify(petition_acc_t *a, const pkg_t *p, const petition_item_t *items, size_t n,
                    int verify)
{
    petition_t s;
    size_t i;

    if (a->m + n > a->cap) {
        size_t cap = a->cap ? a->cap : 64;
        entry_t *g;

        while (cap < a->m + n)
            cap *= 2;
        if ((g = realloc(a->e, cap * sizeof *g)) == NULL)
            return BN_ENOMEM;
        a->e = g;
        a->cap = cap;
    }
    a->added += (int64_t)n;
    for (i = 0; i < n; i++) {
        int c;

        /* petition_verify, without decoding twice */
        if (items[i].kiosk == NULL ||
            petition_decode(items[i].rec, items[i].len, &s, NULL, 0) != 0 ||
            memcmp(s.kiosk, items[i].kiosk->id, KEY_ID_LEN) != 0 ||
            strcmp(s.campaign, p->id) != 0 ||
            (verify && key_verify_msg(items[i].kiosk, items[i].rec, PETITION_SIGNED_LEN,
                                      items[i].rec + OFF_SIG) != 0)) {
            a->refused.invalid++;
            continue;
        }
        if (s.day < p->opens || s.day > p->closes) {
            a->refused.outside++;
            continue;
        }
        c = canton_index(p, s.canton);
        if (c < 0) {
            a->refused.unknown_canton++;
            continue;
        }
        a->e[a->m].day = s.day;
        a->e[a->m].canton = c;
        memcpy(a->e[a->m].pseudonym, s.pseudonym, PSEUD_LEN);
        a->m++;
    }
    return 0;
}

/* The count of everything classified into a (a is left as it was). */
static int finish(const petition_acc_t *a, const pkg_t *p, petition_count_t *out)
{
    entry_t *e = NULL;
    uint8_t *seen = NULL;
    size_t i, m = a->m, k;
    int64_t persons = 0;
    int cantons = 0, rc;

    *out = a->refused;
    e = malloc((m > 0 ? m : 1) * sizeof *e);
    seen = calloc(p->n_cantons > 0 ? (size_t)p->n_cantons : 1, 1);
    if (e == NULL || seen == NULL) {
        rc = BN_ENOMEM;
        goto out;
    }
    if (m > 0)
        memcpy(e, a->e, m * sizeof *e);
    /* one person, one signature: the earliest valid record counts */
    if (m > 1)
        qsort(e, m, sizeof *e, by_person_then_day);
    for (i = 0, k = 0; i < m; i++) {
        if (k > 0 && memcmp(e[k - 1].pseudonym, e[i].pseudonym, PSEUD_LEN) == 0) {
            out->duplicates++;
            continue;
        }
        e[k++] = e[i];
    }
    m = k;
    out->valid = (int64_t)m;
    /* the day the threshold was reached: at the end of the first day on which
     * both the persons and their cantons sufficed */
    if (m > 1)
        qsort(e, m, sizeof *e, by_day);
    for (i = 0; i < m; i++) {
        persons++;
        if (!seen[e[i].canton]) {
            seen[e[i].canton] = 1;
            cantons++;
        }
        if (!out->reached && (i + 1 == m || e[i + 1].day != e[i].day) &&
            persons >= p->petition.threshold && cantons >= p->petition.min_cantons) {
            out->reached = 1;
            out->reached_on = e[i].day;
        }
    }
    out->cantons = cantons;
    rc = 0;
out:
    free(e);
    free(seen);
    return rc;
}

static int count(const pkg_t *p, const petition_item_t *items, size_t n, int verify,
                 petition_count_t *out)
{
    petition_acc_t a;
    int rc;

    if (out != NULL)
        memset(out, 0, sizeof *out);
    if (p == NULL || out == NULL || (items == NULL && n > 0) || p->kind != PKG_PETITION)
        return BN_EINVAL;
    memset(&a, 0, sizeof a);
    rc = classify(&a, p, items, n, verify);
    if (rc == 0)
        rc = finish(&a, p, out);
    free(a.e);
    return rc;
}

int petition_acc_new(petition_acc_t **out)
{
    *out = calloc(1, sizeof **out);
    return *out != NULL ? 0 : BN_ENOMEM;
}

void petition_acc_free(petition_acc_t *a)
{
    if (a == NULL)
        return;
    free(a->e);
    free(a);
}

int64_t petition_acc_records(const petition_acc_t *a)
{
    return a != NULL ? a->added : 0;
}

int petition_acc_add(petition_acc_t *a, const pkg_t *p, const petition_item_t *items, size_t n)
{
    if (a == NULL || p == NULL || (items == NULL && n > 0) || p->kind != PKG_PETITION)
        return BN_EINVAL;
    return classify(a, p, items, n, 0);
}

int petition_acc_result(const petition_acc_t *a, const pkg_t *p, petition_count_t *out)
{
    if (out != NULL)
        memset(out, 0, sizeof *out);
    if (a == NULL || p == NULL || out == NULL || p->kind != PKG_PETITION)
        return BN_EINVAL;
    return finish(a, p, out);
}
