/* store_audit.c - the store's append-only, hash-chained audit log.
 *
 * Each entry's hash covers the previous entry's hash, so that changing,
 * removing or inserting an entry breaks every hash after it; the head hash
 * goes into the signed closing report, which pins the whole log.
 *
 * The hashed bytes of entry `seq` (all integers big-endian):
 *
 *   OFFSET  SIZE  FIELD
 *   0       32    hash of entry seq - 1 (32 zero bytes for seq 1)
 *   32      8     seq (1, 2, 3 ... without gaps)
 *   40      8     time: seconds since 1970-01-01 UTC (two's complement)
 *   48      4     e, length of event in bytes
 *   52      e     event, ASCII ("polls-opened")
 *   52+e    4     d, length of detail in bytes
 *   56+e    d     detail, UTF-8 text
 *
 *   hash = SHA-256(those bytes)
 *
 * (STORE-S4) The log records events of the kiosk, never a cast nor a choice: it
 * has a time and a sequence number, which would order the ballots. */
#include "store.h"

#include <string.h>
#include <time.h>

#include <mbedtls/sha256.h>
#include <sqlite3.h>

#include "bn_err.h"
#include "wire.h"

#define EVENT_MAX 64
#define DETAIL_MAX 4096

static int entry_hash(const uint8_t prev[STORE_AUDIT_HASH_LEN], int64_t seq, int64_t t,
                      const char *event, size_t elen, const char *detail, size_t dlen,
                      uint8_t out[STORE_AUDIT_HASH_LEN])
{
    mbedtls_sha256_context c;
    uint8_t head[52], len[4];
    int rc;

    memcpy(head, prev, STORE_AUDIT_HASH_LEN);
    wire_put_be(head + 32, (uint64_t)seq, 8);
    wire_put_be(head + 40, (uint64_t)t, 8);
    wire_put_be(head + 48, elen, 4);
    wire_put_be(len, dlen, 4);
    mbedtls_sha256_init(&c);
    rc = mbedtls_sha256_starts_ret(&c, 0) != 0 ||
         mbedtls_sha256_update_ret(&c, head, sizeof head) != 0 ||
         mbedtls_sha256_update_ret(&c, (const unsigned char *)event, elen) != 0 ||
         mbedtls_sha256_update_ret(&c, len, sizeof len) != 0 ||
         mbedtls_sha256_update_ret(&c, (const unsigned char *)detail, dlen) != 0 ||
         mbedtls_sha256_finish_ret(&c, out) != 0
             ? BN_ECRYPTO
             : 0;
    mbedtls_sha256_free(&c);
    return rc;
}

/* An event is a short name: letters, digits and "-_.:". */
static int event_ok(const char *e)
{
    size_t i, n = strlen(e);

    if (n == 0 || n > EVENT_MAX)
        return 0;
    for (i = 0; i < n; i++) {
        char c = e[i];

        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.' || c == ':'))
            return 0;
    }
    return 1;
}

int store_audit_append(store_t *s, const char *event, const char *detail)
{
    sqlite3 *db;
    sqlite3_stmt *st = NULL;
    uint8_t prev[STORE_AUDIT_HASH_LEN], hash[STORE_AUDIT_HASH_LEN];
    int64_t seq = 1, t = (int64_t)time(NULL);
    size_t dlen;
    int rc;

    if (s == NULL || event == NULL || !event_ok(event))
        return BN_EINVAL;
    if (detail == NULL)
        detail = "";
    dlen = strlen(detail);
    if (dlen > DETAIL_MAX)
        return BN_ETOOBIG;
    db = store__db(s);
    memset(prev, 0, sizeof prev);

    rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return store__rc(rc);
    rc = sqlite3_prepare_v2(db, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", -1,
                            &st, NULL);
    if (rc != SQLITE_OK)
        goto out;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        if (sqlite3_column_bytes(st, 1) != STORE_AUDIT_HASH_LEN) {
            rc = SQLITE_CORRUPT;
            goto out;
        }
        seq = sqlite3_column_int64(st, 0) + 1;
        memcpy(prev, sqlite3_column_blob(st, 1), STORE_AUDIT_HASH_LEN);
    } else if (rc != SQLITE_DONE) {
        goto out;
    }
    sqlite3_finalize(st);
    st = NULL;
    if (entry_hash(prev, seq, t, event, strlen(event), detail, dlen, hash) != 0) {
        rc = SQLITE_ERROR;
        goto out;
    }
    rc = sqlite3_prepare_v2(db,
                            "INSERT INTO audit(seq, time, event, detail, hash) "
                            "VALUES (?1, ?2, ?3, ?4, ?5)", -1, &st, NULL);
    if (rc != SQLITE_OK)
        goto out;
    sqlite3_bind_int64(st, 1, seq);
    sqlite3_bind_int64(st, 2, t);
    sqlite3_bind_text(st, 3, event, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, detail, (int)dlen, SQLITE_STATIC);
    sqlite3_bind_blob(st, 5, hash, sizeof hash, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc != SQLITE_DONE)
        goto out;
    sqlite3_finalize(st);
    st = NULL;
    rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
out:
    sqlite3_finalize(st);
    if (rc != SQLITE_OK && !sqlite3_get_autocommit(db))
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return store__rc(rc);
}

int store_audit_verify(store_t *s, uint8_t head[STORE_AUDIT_HASH_LEN], int64_t *n,
                       char *why, size_t whylen)
{
    sqlite3_stmt *st = NULL;
    uint8_t prev[STORE_AUDIT_HASH_LEN], hash[STORE_AUDIT_HASH_LEN];
    int64_t want = 1, seq;
    int rc;

    if (s == NULL)
        return BN_EINVAL;
    memset(prev, 0, sizeof prev);
    rc = sqlite3_prepare_v2(store__db(s),
                            "SELECT seq, time, event, detail, hash FROM audit ORDER BY seq", -1,
                            &st, NULL);
    if (rc != SQLITE_OK) {
        rc = bn_fail(why, whylen, store__rc(rc), "audit: %s", sqlite3_errmsg(store__db(s)));
        goto out;
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *event = (const char *)sqlite3_column_text(st, 2);
        int elen = sqlite3_column_bytes(st, 2);
        const char *detail = (const char *)sqlite3_column_text(st, 3);
        int dlen = sqlite3_column_bytes(st, 3);

        seq = sqlite3_column_int64(st, 0);
        if (seq != want) {
            rc = bn_fail(why, whylen, BN_ECORRUPT, "audit entry %lld: expected entry %lld "
                         "(an entry was removed or inserted)", (long long)seq, (long long)want);
            goto out;
        }
        if (event == NULL || detail == NULL || sqlite3_column_type(st, 4) != SQLITE_BLOB ||
            sqlite3_column_bytes(st, 4) != STORE_AUDIT_HASH_LEN) {
            rc = bn_fail(why, whylen, BN_ECORRUPT, "audit entry %lld: malformed", (long long)seq);
            goto out;
        }
        if (entry_hash(prev, seq, sqlite3_column_int64(st, 1), event, (size_t)elen, detail,
                       (size_t)dlen, hash) != 0) {
            rc = bn_fail(why, whylen, BN_ECRYPTO, "audit entry %lld: cannot hash",
                         (long long)seq);
            goto out;
        }
        if (memcmp(hash, sqlite3_column_blob(st, 4), sizeof hash) != 0) {
            rc = bn_fail(why, whylen, BN_ECORRUPT,
                         "audit entry %lld: hash does not match its content and the chain",
                         (long long)seq);
            goto out;
        }
        memcpy(prev, hash, sizeof prev);
        want++;
    }
    if (rc != SQLITE_DONE) {
        rc = bn_fail(why, whylen, store__rc(rc), "audit: %s", sqlite3_errmsg(store__db(s)));
        goto out;
    }
    if (head != NULL)
        memcpy(head, prev, STORE_AUDIT_HASH_LEN);
    if (n != NULL)
        *n = want - 1;
    rc = 0;
out:
    sqlite3_finalize(st);
    return rc;
}
