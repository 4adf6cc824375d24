/* publish_int.h - internals shared by publish.c, publish_html.c and check.c. */
#ifndef TALLY_PUBLISH_INT_H
#define TALLY_PUBLISH_INT_H

#include "publish.h"

/* Project id order of pabulib.h (pb_sort_ids): numeric when `numeric`
 * (every id of the territory is digits only), else bytewise. */
int publish__id_cmp(const char *a, const char *b, int numeric);

/* "count", "fewer-than-10" or "hidden": turnout.csv and results.json. */
const char *publish__shown_word(turnout_shown_t s);

/* Writes index.html into dir (publish_html.c). */
int publish__html(const char *dir, const verify_t *v, const tally_count_t *c,
                  const publish_opts_t *po, char *why, size_t whylen);

#endif
