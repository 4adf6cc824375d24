/* preport.h - the zero report and the closing report an agent prints at a
 * kiosk (format "borne-poll-report/1", docs/formats.md, "Poll reports").
 *
 * A poll report is a short UTF-8 text, one "name: value" a line, signed by
 * the kiosk with a detached DER ECDSA signature (NAME.txt and NAME.sig), so
 * that anyone can check it with the openssl command-line tool:
 *
 *   openssl dgst -sha256 -verify kiosk.pub.pem -signature NAME.sig NAME.txt
 *
 * The zero report is made when two agents open the polls, and only with an
 * empty box; the closing report when two agents close them for good. They
 * hold counts and digests, never a choice and never a partial result:
 *
 *   borne-poll-report/1
 *   kind: zero | closing
 *   kiosk: ID                      (STATE/kiosk-id)
 *   kiosk-key: HEX64               (the kiosk's key id, as in its ballots)
 *   commune: INSEE                 (the agents' commune)
 *   campaign: ID
 *   package: HEX64                 (the package's digest, pkg.h)
 *   polls: YYYY-MM-DD YYYY-MM-DD   (the package's first and last day)
 *   made: YYYY-MM-DDTHH:MM:SS      (the kiosk's clock, local time)
 *   agents: ID1 ID2
 *   register: N                    (register entries)
 *   ballots: N                     (a petition: "signatures: N")
 *   day: YYYY-MM-DD register N ballots N      (closing only: each day with
 *                                  entries, in order; a petition "signatures")
 *   set: HEX64                     (report_set_digest of the ballots, or of
 *                                  the signature records)
 *   audit-head: HEX64
 *   audit-entries: N
 *
 * (PREPORT-R1) Made from the store alone, in one pass, with nothing of the
 * session or of a choice: a report's bytes depend only on the store, the
 * package, the agents and the clock, so the same inputs give the same bytes
 * (deterministic signature). The digest shown as a QR code is SHA-256 of
 * the text. */
#ifndef PREPORT_H
#define PREPORT_H

#include <stddef.h>
#include <stdint.h>

#include "key.h"
#include "pkg.h"
#include "store.h"

#define PREPORT_MAGIC "borne-poll-report/1"
#define PREPORT_MAX_DAYS 400
#define PREPORT_SIG_MAX 80         /* a DER ECDSA P-256 signature is at most 72 */

typedef struct preport_in_s {
    int closing;                   /* 0: zero report, 1: closing report */
    const char *kiosk;             /* the kiosk's name */
    const char *commune;           /* INSEE code */
    const pkg_t *pkg;
    int64_t made_s;                /* local seconds since 1970-01-01 */
    const char *agent1, *agent2;
    const signer_t *signer;
} preport_in_t;

typedef struct preport_day_s {
    uint32_t day;
    uint64_t registered, items;
} preport_day_t;

/* A report as read back (preport_parse). */
typedef struct preport_s {
    int closing, petition;
    char kiosk[64], commune[6], campaign[PKG_ID_MAX + 1], agents[2][33], made[20];
    uint8_t kiosk_key[KEY_ID_LEN], package[32], set[32], audit_head[32];
    uint32_t opens, closes;
    uint64_t registered, items, audit_entries;
    int n_days;
    preport_day_t days[PREPORT_MAX_DAYS];
} preport_t;

/* Makes a report from the store: *text (malloc'd, *len bytes, no NUL
 * counted), its detached signature (DER, *siglen bytes) and SHA-256 of the
 * text (digest). A zero report of a non-empty box is BN_EEXISTS; a broken
 * audit chain BN_ECORRUPT; store errors. */
int preport_make(store_t *s, const preport_in_t *in, char **text, size_t *len,
                 uint8_t sig[PREPORT_SIG_MAX], size_t *siglen, uint8_t digest[32], char *why,
                 size_t whylen);

/* Reads a report strictly: every line in order, known names only, values
 * of the right form, the per-day counts summing to the totals. BN_EFORMAT
 * with "line N: ..." in why. */
int preport_parse(const char *text, size_t len, preport_t *out, char *why, size_t whylen);

/* Checks the detached DER signature of `text` with `kiosk` (BN_EBADSIG) and
 * that the report names that key (BN_EWRONGKEY). */
int preport_verify(const char *text, size_t len, const uint8_t *sig, size_t siglen,
                   const key_pub_t *kiosk, char *why, size_t whylen);

/* Writes DIR/NAME.txt and DIR/NAME.sig (NAME: "zero-CAMPAIGN" or
 * "closing-CAMPAIGN"), each flushed to disk (fsync) before it returns. */
int preport_write(const char *dir, const char *name, const char *text, size_t len,
                  const uint8_t *sig, size_t siglen, char *why, size_t whylen);

#endif
