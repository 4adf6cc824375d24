/* pkg.h - campaign packages: strict parsing, canonical bytes, authority signature.
 *
 * A campaign package defines one budget vote or one petition: its dates,
 * eligibility, texts in each language, territories and their envelopes,
 * projects, the commune -> canton -> territory table, the ballot rule and
 * the counting rule. The format is documented in docs/formats.md.
 *
 * A signed package file is the campaign's canonical JSON text followed by a
 * fixed-size signature trailer (docs/formats.md, "Signed package file"). The
 * signature covers exactly the JSON bytes, which must be canonical: one
 * campaign, one byte string, one digest. */
#ifndef PKG_H
#define PKG_H

#include <stddef.h>
#include <stdint.h>

#include "key.h"

#define PKG_ID_MAX 16     /* ids: [a-z0-9][a-z0-9-]*, 1..16 bytes */
#define PKG_LANG_MAX 4    /* languages a package may carry */
#define PKG_MAX_BYTES (8u << 20) /* largest package file accepted */
#define PKG_TRAILER_LEN 275 /* bytes of the signature trailer of a signed file */

typedef enum { PKG_BUDGET = 1, PKG_PETITION = 2, PKG_IDEAS = 3, PKG_QUESTIONNAIRE = 4 } pkg_kind_t;

/* "budget", "petition", "ideas" (a call for ideas), "questionnaire" (a
 * consultation). */
const char *pkg_kind_name(pkg_kind_t kind);


typedef enum {
    PKG_COUNT_GREEDY = 1,   /* "greedy" */
    PKG_COUNT_MES = 2,      /* "equalshares" */
    PKG_COUNT_MES_ADD1 = 3  /* "equalshares/add1" */
} pkg_counting_t;

/* A text in every language of the package, in the order of pkg_t.langs. */
typedef struct pkg_text_s {
    char *s[PKG_LANG_MAX];
} pkg_text_t;

/* A theme of a call for ideas, or a moderation reason: an id and its words. */
typedef struct pkg_label_s {
    char id[PKG_ID_MAX + 1];
    pkg_text_t name;
} pkg_label_t;

/* A question of a questionnaire (docs/formats.md §1.10c). */
typedef enum {
    PKG_Q_ONE = 0,              /* "one": one option */
    PKG_Q_MANY,                 /* "many": min..max options */
    PKG_Q_RANK,                 /* "rank": min..max options, in order */
    PKG_Q_SCALE,                /* "scale": a number from..to, ends labelled */
    PKG_Q_YESNO,                /* "yesno" */
    PKG_Q_TEXT                  /* "text": up to max_chars characters, published after moderation */
} pkg_qtype_t;
#define PKG_QUESTIONS_MAX 30
#define PKG_OPTIONS_MAX 12
#define PKG_TEXT_ANSWER_CHARS 500

typedef struct pkg_question_s {
    char id[PKG_ID_MAX + 1];
    pkg_qtype_t type;
    pkg_text_t text;
    int n_options;              /* one, many, rank: 2..PKG_OPTIONS_MAX */
    pkg_label_t *options;
    int min, max;               /* many: options chosen; rank: options ranked */
    int from, to;               /* scale: 0 or 1 .. 5 or 10 */
    pkg_text_t low, high;       /* scale: the words of its ends */
    int max_chars;              /* text: 1..PKG_TEXT_ANSWER_CHARS */
    int if_question;            /* show_if: an earlier question's index, or -1 (always) */
    int if_answer;              /* ... shown when that answer was given: an option's
                                   index (one, many), 1 yes or 0 no (yesno) */
} pkg_question_t;

typedef struct pkg_territory_s {
    char id[PKG_ID_MAX + 1];
    pkg_text_t name;
    int64_t envelope;           /* euros; 0 in a petition */
} pkg_territory_t;

typedef struct pkg_canton_s {
    char id[PKG_ID_MAX + 1];
    char *name;
    int territory;              /* index into pkg_t.territories, or -1 when the
                                   canton lies across territories (its communes
                                   then name theirs) */
} pkg_canton_t;

typedef struct pkg_commune_s {
    char insee[6];              /* INSEE code, 5 characters */
    char *name;
    int canton;                 /* index into pkg_t.cantons */
    int territory;              /* index into pkg_t.territories: the commune's
                                   own, else its canton's */
} pkg_commune_t;

#define PKG_IDEA_REF_LEN 12     /* an idea's public reference: the first 6 bytes of its id, hex */
#define PKG_IDEAS_PER_PROJECT 32

typedef struct pkg_project_s {
    char id[PKG_ID_MAX + 1];
    int territory;              /* index into pkg_t.territories */
    int64_t cost;               /* euros, > 0 */
    pkg_text_t title, summary, description;
    char *image;                /* file name relative to the package, or NULL */
    uint8_t image_sha256[32];   /* valid when image != NULL */
    int n_ideas;                /* the ideas of a call for ideas it came from (issue 17) */
    char (*ideas)[PKG_IDEA_REF_LEN + 1]; /* each PKG_IDEA_REF_LEN lowercase hex digits */
} pkg_project_t;

/* The ballot of a budget vote (rule.ballot): choose projects (approval),
 * share points among them (cumulative), or rank them (ordinal). */
typedef enum {
    PKG_BALLOT_APPROVAL = 0,
    PKG_BALLOT_CUMULATIVE,
    PKG_BALLOT_ORDINAL
} pkg_ballot_t;

typedef struct pkg_s {
    char id[PKG_ID_MAX + 1];
    pkg_kind_t kind;
    char departement[4];        /* "35", "2A", "971" */
    int n_langs;
    char langs[PKG_LANG_MAX][3];/* ISO 639-1, first is the default */
    pkg_text_t title, description;
    uint32_t valid_from, valid_until; /* days (day.h), inclusive: package validity */
    uint32_t opens, closes;           /* days, inclusive: polls */
    int online_only;            /* polls.offline "refuse": no cast without the server's
                                   reservation (CAST-C6); "allow" (default): offline
                                   entries, counted and reported */
    int supervised;             /* polls.eligibility "supervised": an agent checks the
                                   identity at the desk and hands a single-use voting
                                   code (vcode.h, CAST-C8); "declared" (default): the
                                   citizen types their identity at the kiosk */
    int min_age;
    struct {
        pkg_ballot_t ballot;    /* rule.ballot: approval (default), cumulative, ordinal */
        int points;             /* cumulative: the points a voter gives in all (P) */
        int per_project;        /* cumulative: at most this many to one project (Q) */
        int min, max;           /* number of projects on a ballot (ordinal: ranked) */
        int knapsack;           /* total cost within the territory's envelope */
        int min_spend_percent;  /* 0..100 of the envelope, 0 = none */
    } rule;
    pkg_counting_t counting;
    struct {
        int threshold;          /* signatures */
        int min_cantons;        /* distinct cantons */
        int has_controller;     /* petition.controller given */
        key_pub_t controller;   /* the data controller's key: signers' identities
                                   are sealed to it (CAST-C7), never to the
                                   authority's signing key */
    } petition;
    struct {                    /* kind "ideas" (a call for ideas, docs/formats.md §1.11) */
        int n_themes;
        pkg_label_t *themes;
        int n_reasons;
        pkg_label_t *reasons;   /* why the moderation does not keep an idea */
        int max_per_person;     /* ideas one person may propose */
        int contact;            /* a contact is asked (optional for the person) */
        int place;              /* a place is asked (optional) */
        int has_controller;     /* ideas.controller given: contacts are sealed to it (IDEA-I1);
                                   a kiosk asks for no contact without it */
        key_pub_t controller;
    } ideas;
    struct {                    /* kind "questionnaire" (docs/formats.md §1.10c) */
        int n;
        struct pkg_question_s *q;
    } questionnaire;
    int n_territories;
    pkg_territory_t *territories;
    int n_cantons;
    pkg_canton_t *cantons;
    int n_communes;
    pkg_commune_t *communes;    /* sorted by INSEE code */
    int n_projects;
    pkg_project_t *projects;    /* in the package's order */
    uint8_t digest[32];         /* SHA-256 of the canonical campaign bytes */
} pkg_t;

/* Parses a campaign JSON text strictly: valid UTF-8, known keys only, no
 * duplicate keys or ids, right types, integers where numbers are expected,
 * every reference resolved, every text in every language, rule and dates
 * consistent. Does not require canonical form nor check any signature.
 * On error returns BN_EFORMAT / BN_ERANGE / BN_ETOOBIG / BN_ENOMEM with the
 * field and value in `why`, e.g. "projects[3].cost: -5 is negative". */
int pkg_parse(const char *json, size_t len, pkg_t **out, char *why, size_t whylen);

/* Frees a package; NULL is accepted. */
void pkg_free(pkg_t *p);

/* The canonical bytes of a campaign JSON text (see docs/formats.md): parses
 * strictly, then writes it back with sorted keys, two-space indentation, LF
 * line ends and a final LF. *out is malloc'd, owned by the caller. */
int pkg_canonical(const char *json, size_t len, char **out, size_t *outlen,
                  char *why, size_t whylen);

/* Builds a signed package file from a campaign JSON text: canonicalises it
 * and appends the trailer signed by `authority`. *out is malloc'd. */
int pkg_sign(const char *json, size_t len, const signer_t *authority,
             char **out, size_t *outlen, char *why, size_t whylen);

/* Opens a signed package file: checks the trailer (BN_EUNSIGNED if absent or
 * malformed), the key id (BN_EWRONGKEY if not `authority`), the signature
 * (BN_EBADSIG: tampered), canonical form and strict parse (BN_EFORMAT...),
 * the departement (BN_EDEPT unless it equals `departement`; NULL skips the
 * check) and `today` against the validity window (BN_EEXPIRED, BN_ENOTYET).
 * The reason, in words, goes to `why`. */
int pkg_open(const uint8_t *file, size_t len, const key_pub_t *authority,
             const char *departement, uint32_t today, pkg_t **out,
             char *why, size_t whylen);

/* Reads a whole file (at most PKG_MAX_BYTES) into a malloc'd buffer with a
 * NUL after its end. BN_EIO / BN_ETOOBIG with the path in `why`. */
int pkg_read_file(const char *path, uint8_t **out, size_t *len, char *why, size_t whylen);

/* Lookups: the index, or -1. */
int pkg_find_territory(const pkg_t *p, const char *id);
int pkg_find_project(const pkg_t *p, const char *id);
int pkg_find_commune(const pkg_t *p, const char *insee); /* binary search */

/* The territory index of a commune index. */
int pkg_commune_territory(const pkg_t *p, int commune);

/* The index of language `lang` in p->langs, or 0 (the default language). */
int pkg_lang(const pkg_t *p, const char *lang);

#endif
