/* srv_ideas.h - the participation team's side of a call for ideas (issue
 * 17): moderation (`borne-server moderate`) and publication
 * (`borne-server publish-ideas`), over what the server holds.
 *
 * An idea is named by its public reference: the first 6 bytes of its random
 * id as 12 lowercase hex digits (PKG_IDEA_REF_LEN); the commands take any
 * unambiguous prefix of at least 4 digits. */
#ifndef SRV_IDEAS_H
#define SRV_IDEAS_H

#include <stdio.h>

#include "srv_core.h"

/* `borne-server moderate SUBCOMMAND ...` (argv[0] is the subcommand):
 *   list [--campaign ID] [--status pending|accepted|rejected|merged|all]
 *   show REF
 *   accept REF --as NAME [--comment TEXT]
 *   reject REF --reason ID --as NAME [--comment TEXT]
 *   merge REF --into REF --as NAME [--comment TEXT]
 *   reopen REF --as NAME [--comment TEXT]
 *   log [--campaign ID]            (and the chain verified)
 * NAME may come from $BORNE_MODERATOR instead. Writes to out, complaints
 * to err; returns the exit status (0, 1 refused or failed, 2 usage). */
int srv_moderate(srv_t *srv, int argc, char **argv, FILE *out, FILE *err);

/* (SRV-M4) Writes the accepted ideas of call for ideas `campaign` into
 * out_dir: ideas.json, ideas.csv, index.html (every idea, by territory
 * then theme), one page per territory (territory-ID.html) and per theme
 * (theme-ID.html), and projects.csv: one line per accepted idea in the
 * columns `borne-admin campaign build` reads, its cost left for the
 * services to fill in, its "ideas" cell holding the references of the idea
 * and of the ideas merged into it. Never a contact, a pseudonym, a kiosk
 * or a day. Each record's kiosk signature is checked first: BN_EBADSIG
 * names one that does not verify. *n (may be NULL): ideas published. */
int srv_publish_ideas(srv_t *srv, const char *campaign, const char *out_dir, int *n, char *why,
                      size_t whylen);

#endif
