/* prov_campaign.h - a campaign package built from what a participation team has.
 *
 * The source is a small JSON description (docs/provisioning.md, "Campaign
 * description"): the package's own keys (id, kind, texts, dates, age, rule,
 * counting, territories and their envelopes, petition threshold) without its
 * cantons, communes and projects, and a "sources" object naming files beside
 * it:
 *
 *   communes     INSEE's Code officiel géographique commune file as published
 *                (v_commune_YYYY.csv): the TYPECOM=COM rows of the département
 *   cantons      optional: canton names (INSEE's v_canton file, or any table
 *                with a canton code and a name column)
 *   territories  the table that puts communes in territories, by commune,
 *                canton or intercommunality (EPCI)
 *   epci         the commune -> EPCI table, when territories go by EPCI
 *   projects     the projects, as a spreadsheet's CSV (prov_csv.h)
 *   images       optional: the folder of the projects' images (default: the
 *                projects file's folder)
 *
 * The build refuses what would give a wrong campaign, naming the file, line,
 * column and value: a project whose territory does not exist, a cost that
 * does not parse, two projects with one id, a territory whose projects cost
 * less than its minimum spend, an image missing, a commune in no territory,
 * dates in the wrong order, and everything pkg_parse refuses. Its output is
 * the canonical campaign text (pkg.h): the same sources give the same bytes. */
#ifndef PROV_CAMPAIGN_H
#define PROV_CAMPAIGN_H

#include <stddef.h>
#include <stdio.h>

#include "pkg.h"

#define PROV_SOURCE_FORMAT "borne-campaign-source/1"

typedef struct prov_image_s {
    char *src;          /* where the image was found */
    char *file;         /* its name in the package ("images/NAME") */
} prov_image_t;

typedef struct prov_build_s {
    char *json;         /* canonical campaign text, unsigned */
    size_t len;
    pkg_t *pkg;         /* the same, parsed */
    int n_images;
    prov_image_t *images;
    int n_notes;
    char **notes;       /* what the build read and decided, for the user */
} prov_build_t;

/* Builds the campaign described by the file at `src`. 0 and *out, or a BN_E*
 * code with "FILE:LINE:COL: what" in `why` (*out is then NULL). */
int prov_campaign_build(const char *src, prov_build_t **out, char *why, size_t whylen);

void prov_build_free(prov_build_t *b);

/* Copies the build's images into dir/images/ (made if missing). BN_EIO. */
int prov_campaign_copy_images(const prov_build_t *b, const char *dir, char *why, size_t whylen);

/* A readable summary of a package: id, kind, dates, rule, territories with
 * their envelopes, projects per territory with their total cost, cantons and
 * communes per territory, the digest. With `json`, the same as one JSON
 * object. Deterministic: nothing from the clock or the machine. */
int prov_campaign_show(const pkg_t *p, int json, FILE *f);

#endif
