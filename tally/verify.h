/* verify.h - borne-tally verify: every bundle of a campaign checked, the
 * ballots de-duplicated and reconciled with each kiosk's closing report.
 *
 * Input: the authority's CA certificate, the signed campaign package, an
 * optional signed revocation list, and the bundles: a directory of bundle
 * files (the USB-export case: every regular file whose name does not start
 * with '.', verify_dir), or the bundles a borne-server store holds
 * (serverdb.h), both through verify_set, so through the same checks.
 * Checks, for each bundle (docs/counting.md, "Verification"):
 *   (VERIFY-V1) the checks of bundle_verify, in its order: strict decoding,
 *        certificate chain to the authority, revocation, bundle signature,
 *        each ballot's and report's signature (a budget-vote bundle holding
 *        petition signatures is refused); when it fails, each item is checked
 *        on its own so that the bad one is named; a bundle that fails
 *        contributes nothing to the count. Bundles are checked in parallel,
 *        one thread per core; signatures with OpenSSL's libcrypto
 *        (sigcheck.h), or with bundle_verify itself (mbedTLS) when
 *        `reference` is set
 *   (VERIFY-V2) campaign: the bundle's and every ballot's campaign is the package's,
 *        the territory exists, every project exists and is of that territory,
 *        the selection keeps the ballot rule (rules_check), the day is within
 *        the polls
 *   (VERIFY-V3) a ballot id met twice with identical bytes counts once; with
 *        different bytes it is a problem naming both places
 *   (VERIFY-V4) each kiosk that sent ballots or entries has a closing report; the
 *        report's ballot count and ballot-set digest (report_set_digest) are
 *        those of the distinct ballots received from it, its register count
 *        that of the distinct entries
 *   (VERIFY-V5) a pseudonym in the register of two kiosks (a duplicate participation
 *        made offline) is reported as a pair; it is a warning, not a problem
 *        (the ballots cannot be told apart, by design: DESIGN-S1)
 *   (VERIFY-V8) the turnout of each kiosk is the per-commune counts of its closing
 *        report (the one (VERIFY-V4) reconciles; counts only, firmware/store/store.c (STORE-S9)):
 *        a commune that is not the package's is a problem naming the kiosk
 *        and the value, and is not counted; a report with no communes while
 *        the kiosk registered participants (a store migrated from schema 2)
 *        leaves that kiosk's turnout unknown (turnout_known = 0), as does a
 *        missing report: the tally then marks the turnout incomplete
 *   (VERIFY-V9) with a list of enrolled kiosks: each one sent at least one bundle
 *        that verified (for a budget vote, its closing report too, V4);
 *        one that sent nothing is a problem naming it (a lost kiosk, a
 *        forgotten USB stick); for a petition, which is counted while it
 *        runs, a note
 * For a petition package (docs/results.md, "Petitions"): each bundle's
 * petition signature records are checked like ballots (kiosk key id and
 * signature, by libcrypto or mbedTLS); a bundle with ballots is refused;
 *   (VERIFY-V6) a signature id met twice with identical bytes counts once, with
 *        different bytes neither counts (a problem); a record of a canton the
 *        package does not list is a problem; one dated outside the window is
 *        noted and not counted
 *   (VERIFY-V7) petition_count over the distinct records: one person (pseudonym)
 *        counts once, on the day of their earliest record; further records
 *        of the same person are reported as pairs of kiosks (warnings);
 *        persons per canton and per day; the threshold reached or not, and
 *        the day. Closing reports count ballots and register entries only:
 *        they are reconciled (both must be 0 for a petition kiosk), but a
 *        missing report is a note, not a problem (a petition is counted
 *        while it runs); nothing reconciles the number of signatures.
 * For a questionnaire package (issue 17): its answers are ballots of kind 4,
 * checked by answers_check in place of the ballot rule (VERIFY-V2) and
 * reconciled like a vote's (V3, V4, V10); its free texts are checked like
 * ballots (kiosk key id and signature), then:
 *   (VERIFY-V12) a text id met twice with identical bytes counts once, with
 *        different bytes neither counts (a problem); a text that is not of a
 *        text question of the package, too long for it, or dated outside the
 *        polls is a problem and is not kept.
 * Every problem is one line: "kiosk NAME, FILE, ITEM: reason". */
#ifndef TALLY_VERIFY_H
#define TALLY_VERIFY_H

#include <stddef.h>
#include <stdint.h>

#include "ballot.h"
#include "cert.h"
#include "petition.h"
#include "pkg.h"

/* A verified ballot, kept for the count and the publication. */
typedef struct verify_ballot_s {
    uint8_t id[BALLOT_ID_LEN];
    int kiosk;                /* index into verify_t.kiosks */
    int territory;            /* index into pkg->territories */
    int n;                    /* chosen projects */
    int sel[BALLOT_MAX_CHOICES]; /* indexes into pkg->projects, sorted by id; an ordinal
                                    ballot's in rank order */
    int pts[BALLOT_MAX_CHOICES]; /* a cumulative ballot: the points of sel[i] */
    uint8_t hash[32];         /* SHA-256 of the signed encoding */
    uint32_t day;             /* the day it was cast (for the poll reports, VERIFY-V11) */
    int valid;                /* 1: counted; 0: refused (a problem names it) */
    int n_ans;                /* a questionnaire's answers (kind 4), in ans */
    ballot_answer_t *ans;     /* malloc'd, NULL for a vote's ballot */
} verify_ballot_t;

/* A questionnaire's free text, verified (answers.h). */
typedef struct verify_text_s {
    uint8_t id[16];
    int kiosk;
    int territory;            /* index into pkg->territories */
    int question;             /* index into pkg->questionnaire.q */
    char *text;               /* malloc'd */
    int valid;                /* 1: kept; 0: refused (a problem names it) */
} verify_text_t;

/* A verified petition signature record (a copy). */
typedef struct verify_sig_s {
    uint8_t rec[PETITION_LEN];
    int kiosk;                /* index into verify_t.kiosks */
    int canton;               /* index into pkg->cantons, or -1 */
    uint32_t day;
    int valid;                /* 1: given to petition_count; 0: a problem or a note names it */
    int counted;              /* 1: the person's earliest record (counted) */
} verify_sig_t;

/* Persons counted on one day in one canton (their earliest record). */
typedef struct verify_day_s {
    uint32_t day;
    int canton;
    int64_t persons;
} verify_day_t;

typedef struct verify_kiosk_s {
    char name[CERT_NAME_MAX + 1];
    uint8_t key_id[KEY_ID_LEN];
    key_pub_t pub;            /* from its certificate */
    int64_t signatures;       /* distinct petition records received */
    int bundles;              /* bundles accepted from it */
    int64_t ballots;          /* distinct ballots received */
    int64_t registered;       /* distinct register entries received */
    int has_report;
    int64_t rep_ballots, rep_registered;
    int reconciled;           /* 1 when the report agrees with what was received */
    int turnout_known;        /* (VERIFY-V8) its report gives its participants per commune */
    int n_turnout;            /* (VERIFY-V8) communes of its report that are the package's */
    int *turnout_commune;     /* index into pkg->communes, increasing */
    int64_t *turnout_n;       /* participants of that commune at this kiosk */
    int64_t turnout_excluded; /* (VERIFY-V8) counts of communes outside the package */
} verify_kiosk_t;

typedef struct verify_s {
    const pkg_t *pkg;         /* not owned */
    int n_bundles, n_bundles_refused;
    int n_ballots;            /* distinct ballot ids, valid or not */
    verify_ballot_t *ballots; /* sorted by id */
    int n_kiosks;
    verify_kiosk_t *kiosks;
    int n_texts;              /* a questionnaire's distinct free texts */
    verify_text_t *texts;     /* sorted by text id */
    int n_sigs;               /* distinct petition records (a petition package) */
    verify_sig_t *sigs;       /* sorted by signature id */
    petition_count_t petition;/* petition_count over the valid records */
    int64_t *canton_persons;  /* persons counted per canton (pkg->n_cantons) */
    int n_days;
    verify_day_t *days;       /* by day, then canton */
    int n_problems;           /* refuse to certify when > 0 */
    int n_warnings;           /* duplicate participations */
    double seconds_parallel;  /* wall time of the bundle checks (every core) */
    double seconds_serial;    /* wall time of the rest (one thread) */
    char *log;                /* the verification report, text, NUL-terminated */
    size_t log_len, log_cap;
} verify_t;

/* An enrolled kiosk (borne-tally --enrolled DIR): one the tally expects
 * to hear from. */
typedef struct verify_enrolled_s {
    char name[CERT_NAME_MAX + 1];  /* its certificate's CN */
    uint8_t key_id[KEY_ID_LEN];
    char file[256];                /* where its certificate came from */
} verify_enrolled_t;

/* What to verify against. */
typedef struct verify_input_s {
    const uint8_t *ca_der;
    size_t ca_len;
    const cert_revoked_t *revoked; /* may be NULL */
    const pkg_t *pkg;
    uint32_t day;                  /* certificates must be valid on it (the polls' close) */
    int threads;                   /* 0: one per online core */
    int reference;                 /* 1: bundle_verify (mbedTLS) instead of libcrypto */
    int n_enrolled;                /* (VERIFY-V9) the kiosks expected; 0: not checked */
    const verify_enrolled_t *enrolled;
    const char *reports;           /* (VERIFY-V11) poll reports' folder (preports.c), or NULL */
} verify_input_t;

/* A remark of the input about one bundle, reported as a problem
 * "PROBLEM kiosk K, NAME, bundle: REASON"; K is the name of the kiosk's
 * certificate when a bundle verified here carries its key id, else the key
 * id, else "?". */
typedef struct verify_note_s {
    const char *name;              /* where, e.g. "server.db: bundle HEX" */
    const uint8_t *kiosk;          /* KEY_ID_LEN bytes, or NULL when unknown */
    const char *reason;
    int unverifiable;              /* 1: a bundle the input holds but cannot give: counted
                                    * as a bundle, refused (none of its items counts) */
} verify_note_t;

/* The bundles to verify: n buffers with their names (used in messages),
 * and the input's notes. */
typedef struct verify_set_s {
    int n;
    const uint8_t *const *bufs;
    const size_t *lens;
    const char *const *names;
    int n_notes;
    const verify_note_t *notes;
} verify_set_t;

/* Verifies a set of bundles: the one verification of the tally, whatever
 * the input. Returns 0 when the verification ran (even with problems: see
 * v->n_problems), or BN_ENOMEM. *out: verify_free. */
int verify_set(const verify_input_t *in, const verify_set_t *set, verify_t **out, char *why,
               size_t whylen);

/* Verifies every bundle file in `dir` (sorted by name). Returns 0 when the
 * verification ran (even with problems: see v->n_problems), or BN_EIO /
 * BN_ENOMEM when it could not (why says which file). *out: verify_free. */
int verify_dir(const verify_input_t *in, const char *dir, verify_t **out, char *why,
               size_t whylen);

/* Verifies bundles given as bytes (names are used in messages): verify_set
 * without notes. */
int verify_bundles(const verify_input_t *in, int n, const uint8_t *const *bufs,
                   const size_t *lens, const char *const *names, verify_t **out, char *why,
                   size_t whylen);

/* Appends a line to the report (printf format). */
void verify_logf(verify_t *v, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

void verify_free(verify_t *v);

/* (VERIFY-V11, preports.c) Checks the poll reports of `dir` against v
 * (after the bundles): problems are counted in v->n_problems. Returns how
 * many reports it read. */
int verify_poll_reports(verify_t *v, const char *dir);

#endif
