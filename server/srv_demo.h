/* srv_demo.h - `borne-server init-demo DIR`: a complete server folder for
 * tests and the docs' examples, made with borne-admin's functions
 * (provisioning/prov_demo.h) as `borne-admin server init` and `kiosk enroll`
 * make a real one; never for a real campaign: it keeps a demo authority's
 * private key in clear in DIR/demo/.
 *
 *   DIR/authority.crt          a fresh demo authority (CA), valid 10 years from yesterday
 *   DIR/demo/                  its folder (prov_kiosk.h): authority.key in clear
 *                              (demo only), campaigns/, kiosks/; and per demo
 *                              kiosk ID: ID/kiosk.csr, its request, and ID/bundle,
 *                              its provisioning bundle (borne --init-demo
 *                              --demo-server imports it)
 *   DIR/server.key, server.crt server certificate for host name "localhost"
 *   DIR/server.json            host, address, port (8443)
 *   DIR/bp35-demo.bpkg         assets/campaigns/demo-budget.json, signed
 *   DIR/bp35-demo.track        its tracking key (track_key of the campaign
 *                              secret, 64 hex digits, 0600): all the server
 *                              needs, never the secret itself (SRV-S6)
 *   DIR/pet35-demo.bpkg        assets/campaigns/demo-petition.json, signed
 *   DIR/pet35-demo.track       its tracking key
 *   DIR/kiosks/ID.crt          the enrolled kiosks, kiosk-35238-01 and -02 (or
 *                              -01 to -NN: --kiosks N)
 *   DIR/kiosks/ID.key          their keys (demo only, for the tests' clients: a
 *                              real kiosk's key never leaves it)
 *   DIR/kiosks/CAMPAIGN.secret each campaign's pseudonym secret (demo only,
 *                              0600; never read by the server) */
#ifndef SRV_DEMO_H
#define SRV_DEMO_H

#include <stddef.h>

/* Creates the files (DIR is created if missing; existing files are
 * replaced), with `kiosks` demo kiosks (1 to SRV_DEMO_KIOSKS_MAX; the load
 * tests enrol hundreds). `assets` is the assets folder. BN_EIO, BN_E* with `why`. */
#define SRV_DEMO_KIOSKS_MAX 999
int srv_demo_init(const char *dir, const char *assets, int kiosks, char *why, size_t whylen);

/* Writes data to dir/name with `mode`, through a temporary file, fsync and
 * rename. BN_EIO. */
int srv_write_file(const char *dir, const char *name, const void *data, size_t len, int mode);

#endif
