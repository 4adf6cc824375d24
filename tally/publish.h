/* publish.h - borne-tally publish and check: the count per territory of the
 * verified ballots, the published files (docs/results.md), and the
 * recomputation of every figure from those files alone.
 *
 * Files written into the output directory:
 *   results.json              every figure (schema: docs/results.md)
 *   results-TERRITORY.csv     one per territory: projects, cost, votes, selected
 *   ballots-TERRITORY.pb      one per territory: the counted ballots, anonymised
 *                             (no ballot id, no kiosk, no day) in a random order,
 *                             a valid approval-ballot Pabulib file
 *   turnout.csv               participants per territory and per commune (turnout.h:
 *                             a commune below 10 is "fewer-than-10", never its count)
 *   tracking-codes.txt        the tracking codes of the counted ballots, sorted
 *                             (only with the campaign's tracking key)
 *   verification.txt          the verification report
 *   index.html                the results page, French and English, no script
 * (PUB-P1) DESIGN-S1 and DESIGN-S2: a published ballot carries its territory
 *      and choices only, in an order drawn from the system's random
 *      generator; the tracking codes are sorted, so nothing pairs a code with
 *      a ballot. Turnout per commune comes from the kiosks' signed closing
 *      reports (counts per commune, turnout.h), never from register entries
 *      or ballots (which carry no commune), and is published
 *      under (TURNOUT-T1) (TURNOUT-T2) of turnout.h: no count of a commune below 10
 *      participants is written, nor can one be worked out from the
 *      published turnout figures. */
#ifndef TALLY_PUBLISH_H
#define TALLY_PUBLISH_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "count.h"
#include "turnout.h"
#include "verify.h"

/* The count of one territory. */
typedef struct tally_terr_s {
    int territory;            /* index into pkg->territories */
    int n_projects;
    int *projects;            /* pkg project indexes, in id order (count.h ranks) */
    int64_t *votes;           /* per local project: the ballots that name it */
    int64_t *score;           /* ... its score: its votes (approval), the points given
                                 (cumulative), L - rank summed (ordinal); what counts */
    int *selected;            /* per local project: 1 if funded */
    int n_ballots;
    count_result_t res;       /* winners as local indexes */
} tally_terr_t;

typedef struct tally_count_s {
    count_rule_t rule;
    int n_terr;
    tally_terr_t *terr;       /* in the package's territory order */
    int64_t ballots;
    turnout_t turnout;        /* from the closing reports (turnout.h) */
} tally_count_t;

/* Counts the valid ballots of `v` per territory with the package's counting
 * rule and the territory envelope as budget, and the turnout of its kiosks'
 * closing reports (turnout_compute). BN_ENOMEM, count_run errors. */
int tally_count(const verify_t *v, tally_count_t *out, char *why, size_t whylen);
void tally_count_free(tally_count_t *c);

typedef struct publish_opts_s {
    int provisional;          /* mark everything provisional */
    const uint8_t *track_key; /* the campaign's tracking key (ID.track, 32 bytes),
                               * or NULL: no tracking codes */
    const char *package_file; /* for the report */
} publish_opts_t;

/* Writes the files above into `dir` (created if absent). BN_EIO with the
 * file in why, BN_ENOMEM, BN_ERNG. */
int publish_write(const verify_t *v, const tally_count_t *c, const publish_opts_t *o,
                  const char *dir, char *why, size_t whylen);

/* A petition (publish_pet.c): results.json ("kind": "petition"),
 * signatures-cantons.csv (persons counted per canton), signatures-days.csv
 * (persons counted per day and canton: the day of their earliest record),
 * tracking-codes.txt of the distinct records (with the tracking key), sorted,
 * verification.txt, index.html (fr/en, a bar per canton). (PUB-P2) Counts only:
 * never a name, pseudonym, signature id nor kiosk beside a signature
 * (DESIGN-S5: the identities stay sealed to the authority). */
int publish_petition(const verify_t *v, const publish_opts_t *o, const char *dir, char *why,
                     size_t whylen);

/* --- a questionnaire (publish_quest.c, issue 17) ---------------------------------- */

#define QUEST_MIN_GROUP 10     /* (PUB-P3) no figure for fewer respondents */

struct qscope_s;
typedef struct quest_count_s {
    int n_scopes;              /* 1 + the territories: overall first */
    struct qscope_s *scopes;
    int64_t respondents;
} quest_count_t;

/* Counts the valid answer sets of `v` per question, overall and per
 * territory: options chosen, first preferences and Borda points of a
 * ranking, a scale's numbers and mean, yes and no; then marks what may be
 * shown (PUB-P3). BN_EKIND, BN_ENOMEM. */
int quest_count(const verify_t *v, quest_count_t *out, char *why, size_t whylen);
void quest_count_free(quest_count_t *c);

/* The free texts for the moderation: path gets "ref;question;text;decision"
 * lines (the decision empty, for the team to fill in: oui / non). */
int quest_texts_csv(const verify_t *v, const char *path, char *why, size_t whylen);

/* Writes into dir: results.json ("kind": "questionnaire"), results.csv,
 * texts.csv (the free texts texts_file accepts; none without it),
 * index.html (French) and index-en.html with a bar chart per question,
 * verification.txt, tracking-codes.txt (with the tracking key). (PUB-P3)
 * (PUB-P4). BN_EIO, BN_EFORMAT (texts_file), BN_ENOMEM. */
int publish_questionnaire(const verify_t *v, const quest_count_t *c, const publish_opts_t *o,
                          const char *texts_file, const char *dir, char *why, size_t whylen);

/* Recomputes every figure of `dir` from its .pb files and results.json;
 * prints one line per check to `log` ("ok ..." or "DISAGREE ..."). Returns 0
 * when all agree, 1 when one does not, a negative BN_E* when the files
 * cannot be read (why). */
int publish_check(const char *dir, FILE *log, char *why, size_t whylen);

/* publish_check for a petition's results.json (root already parsed). */
int publish__check_petition(const char *dir, const void *root, FILE *log);

/* publish_check for a questionnaire's (check_quest.c): the small-count
 * protection (PUB-P3) and the figures against each other and the CSVs. */
int publish__check_questionnaire(const char *dir, const void *root, FILE *log);

#endif
