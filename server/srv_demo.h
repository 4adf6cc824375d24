/* srv_demo.h - `borne-server init-demo DIR`: a complete server directory for
 * tests and the docs' examples (never for a real campaign: it keeps the
 * authority's private key in DIR/demo/).
 *
 *   DIR/authority.crt          a fresh authority (CA), valid 10 years from yesterday
 *   DIR/demo/authority.key     its private key (demo only: a real one stays offline)
 *   DIR/server.key, server.crt server certificate for host name "localhost"
 *   DIR/bp35-demo.bpkg         assets/campaigns/demo-budget.json, signed
 *   DIR/bp35-demo.track        its tracking key (track_key of the campaign
 *                              secret, 64 hex digits, 0600): all the server
 *                              needs, never the secret itself (SRV-S6)
 *   DIR/pet35-demo.bpkg        assets/campaigns/demo-petition.json, signed
 *   DIR/pet35-demo.track       its tracking key
 *   DIR/kiosks/                what enrolment hands the kiosks (demo only:
 *                              borne-admin will own it), never read by the
 *                              server:
 *   DIR/kiosks/kiosk-N.key     kiosk keys (N = 1, 2), and kiosk-N.crt (PEM)
 *   DIR/kiosks/kiosk-N.crt     issued to "kiosk-35238-0N"
 *   DIR/kiosks/ID.secret       each campaign's pseudonym secret (0600) */
#ifndef SRV_DEMO_H
#define SRV_DEMO_H

#include <stddef.h>

/* Creates the files (DIR is created if missing; existing files are
 * replaced). `assets` is the assets folder. BN_EIO, BN_E* with `why`. */
int srv_demo_init(const char *dir, const char *assets, char *why, size_t whylen);

/* Writes data to dir/name with `mode`, through a temporary file, fsync and
 * rename. BN_EIO. */
int srv_write_file(const char *dir, const char *name, const void *data, size_t len, int mode);

#endif
