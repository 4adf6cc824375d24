/* main.c - borne-server: the central collector (serve, import, export, init-demo, check). */
#include <signal.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bn_err.h"
#include "conf.h"
#include "day.h"
#include "harden.h"
#include "srv_backup.h"
#include "srv_core.h"
#include "srv_demo.h"
#include "srv_export.h"
#include "srv_http.h"
#include "srv_ideas.h"


/* borne.conf's [server] section (conf.h), with its defaults */
typedef struct server_conf_s {
    char dir[512], listen[80], tls_cert[512], tls_key[512], backup_dir[512];
    long long per_address, idle_s, connections, backup_keep;
    long long request_s, body_max_kib, bodies_mib, reserve_burst, reserve_every_s;
} server_conf_t;

static void usage_to(FILE *f)
{
    fprintf(f,
            "usage: borne-server serve [--dir DIR] [--listen 127.0.0.1:8443] [--port-file FILE]\n"
            "       borne-server import [--dir DIR] SRC_DIR\n"
            "       borne-server export [--dir DIR] [--campaign ID] OUT_DIR\n"
            "       borne-server backup [--dir DIR] [DEST_DIR]\n"
            "       borne-server restore [--dir DIR] BACKUP\n"
            "       borne-server verify-backup [--dir DIR] BACKUP\n"
            "       borne-server init-demo [--kiosks N] DIR\n"
            "       borne-server check [--dir DIR]\n"
            "       borne-server moderate [--dir DIR] list|show|accept|reject|merge|reopen|log ...\n"
            "       borne-server publish-ideas [--dir DIR] --campaign ID OUT_DIR\n"
            "       borne-server --version | --help\n"
            "  --config FILE   the configuration (default " CONF_DEFAULT_PATH ", or\n"
            "                  $BORNE_CONFIG; its [server] section); flags override it\n"
            "  --today YYYY-MM-DD (any command) checks validity as of that day (tests)\n"
            "DIR defaults to [server] dir (/var/lib/borne/server); DEST_DIR to\n"
            "[server] backup-dir (/var/backups/borne). See borne-server(1).\n");
}

static int usage(void)
{
    usage_to(stderr);
    return 2;
}

/* Reads the configuration: --config FILE (must exist), else $BORNE_CONFIG
 * or /etc/borne/borne.conf (may be missing: the defaults). */
static int load_conf(const char *path, server_conf_t *c)
{
    static const char *const others[] = {"kiosk", NULL};
    const conf_key_t keys[] = {
        {"server", "dir", CONF_TEXT, 0, 0, 0, c->dir, sizeof c->dir},
        {"server", "listen", CONF_TEXT, 0, 0, 0, c->listen, sizeof c->listen},
        {"server", "tls-cert", CONF_TEXT, 0, 0, 0, c->tls_cert, sizeof c->tls_cert},
        {"server", "tls-key", CONF_TEXT, 0, 0, 0, c->tls_key, sizeof c->tls_key},
        {"server", "per-address", CONF_INT, 1, 10000, 1, &c->per_address, 0},
        {"server", "idle-s", CONF_INT, 1, 3600, 1, &c->idle_s, 0},
        {"server", "connections", CONF_INT, 1, 100000, 1, &c->connections, 0},
        {"server", "request-s", CONF_INT, 5, 3600, 1, &c->request_s, 0},
        {"server", "body-max-kib", CONF_INT, 64, SRV_BODY_MAX >> 10, 1, &c->body_max_kib, 0},
        {"server", "bodies-mib", CONF_INT, 16, 65536, 1, &c->bodies_mib, 0},
        {"server", "reserve-burst", CONF_INT, 1, 1000, 1, &c->reserve_burst, 0},
        {"server", "reserve-every-s", CONF_INT, 1, 3600, 1, &c->reserve_every_s, 0},
        {"server", "backup-dir", CONF_TEXT, 0, 0, 0, c->backup_dir, sizeof c->backup_dir},
        {"server", "backup-keep", CONF_INT, 1, 100000, 1, &c->backup_keep, 0},
    };
    const char *env = getenv("BORNE_CONFIG");
    char why[600] = "";
    int rc, must = path != NULL;

    memset(c, 0, sizeof *c);
    snprintf(c->dir, sizeof c->dir, "/var/lib/borne/server");
    snprintf(c->listen, sizeof c->listen, "127.0.0.1:8443");
    snprintf(c->backup_dir, sizeof c->backup_dir, "/var/backups/borne");
    c->per_address = SRV_PER_ADDRESS;
    c->idle_s = SRV_IDLE_S;
    c->connections = SRV_CONNECTIONS;
    c->request_s = SRV_REQUEST_S;
    c->body_max_kib = SRV_BODY_MAX >> 10;
    c->bodies_mib = (long long)(SRV_BODIES_BUDGET >> 20);
    c->reserve_burst = SRV_RESERVE_BURST;
    c->reserve_every_s = SRV_RESERVE_EVERY_S;
    c->backup_keep = 48;
    if (path == NULL && env != NULL && *env != '\0')
        path = env, must = 1;
    if (path == NULL)
        path = CONF_DEFAULT_PATH;
    rc = conf_load(path, keys, sizeof keys / sizeof keys[0], others, NULL, why, sizeof why);
    if (rc == BN_ENOTFOUND && !must)
        return 0;
    if (rc != 0)
        return fprintf(stderr, "borne-server: %s\n", why), 2;
    return 0;
}

static int serve(srv_t *srv, const char *listen, const char *port_file,
                 const srv_http_limits_t *lim)
{
    char host[64], why[256] = "", line[32];
    const char *colon = strrchr(listen, ':');
    srv_http_t *h = NULL;
    sigset_t set;
    int sig = 0, rc;
    long port;

    if (colon == NULL || colon == listen || (size_t)(colon - listen) >= sizeof host)
        return fprintf(stderr, "borne-server: --listen %s: expected HOST:PORT\n", listen), 2;
    memcpy(host, listen, (size_t)(colon - listen));
    host[colon - listen] = 0;
    port = strtol(colon + 1, NULL, 10);
    if (port < 0 || port > 65535)
        return fprintf(stderr, "borne-server: --listen %s: bad port\n", listen), 2;
    /* signals are waited for below, in this thread only */
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    rc = srv_http_start(srv, host, (uint16_t)port, lim, &h, why, sizeof why);
    if (rc != 0)
        return fprintf(stderr, "borne-server: %s\n", why), 1;
    fprintf(stderr, "borne-server: listening on https://%s:%u\n", host,
            (unsigned)srv_http_port(h));
    if (port_file != NULL) {
        char tmp[4200];
        FILE *f;

        snprintf(tmp, sizeof tmp, "%s.tmp", port_file);
        snprintf(line, sizeof line, "%u\n", (unsigned)srv_http_port(h));
        f = fopen(tmp, "w");
        if (f == NULL || fputs(line, f) < 0 || fclose(f) != 0 || rename(tmp, port_file) != 0) {
            fprintf(stderr, "borne-server: cannot write %s\n", port_file);
            srv_http_stop(h);
            return 1;
        }
    }
    /* (SRV-V1) the revocation list is read again every SRV_RELOAD_S
     * seconds, and at once on SIGHUP: a new one is in force without a
     * restart */
    for (;;) {
        struct timespec ts = {SRV_RELOAD_S, 0};

        sig = sigtimedwait(&set, NULL, &ts);
        if (sig == SIGINT || sig == SIGTERM)
            break;
        why[0] = '\0';
        if (srv_reload_revocations(srv, why, sizeof why) < 0)
            fprintf(stderr, "borne-server: revocation list not reloaded: %s\n", why);
    }
    fprintf(stderr, "borne-server: signal %d, stopping\n", sig);
    srv_http_stop(h);
    return 0;
}

int main(int argc, char **argv)
{
    const char *cmd, *dir = NULL, *listen = NULL, *port_file = NULL, *arg = NULL;
    const char *campaign = NULL, *config = NULL;
    char why[1024] = "";
    long kiosks = 2;
    uint32_t today = 0;
    server_conf_t conf;
    srv_http_limits_t lim;
    srv_opts_t opts;
    srv_t *srv = NULL;
    int i, rc;

    if (argc < 2)
        return usage();
    cmd = argv[1];
    if (strcmp(cmd, "--version") == 0)
        return printf("borne-server " BORNE_VERSION "\n"), 0;
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0)
        return usage_to(stdout), 0;
    /* (HARDEN-H1..H3) before any key or store is read */
    if ((rc = harden_process(why, sizeof why)) < 0)
        return fprintf(stderr, "borne-server: %s\n", why), 1;
    if (why[0] != '\0' && strcmp(cmd, "serve") == 0)
        fprintf(stderr, "borne-server: note: %s\n", why);
    why[0] = '\0';
    if (strcmp(cmd, "moderate") == 0) {
        /* its own words: --dir, --config, --today here, the rest is moderate's */
        char **rest = calloc((size_t)argc, sizeof *rest);
        int nrest = 0;

        if (rest == NULL)
            return 1;
        for (i = 2; i < argc; i++) {
            if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc)
                dir = argv[++i];
            else if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
                config = argv[++i];
            else if (strcmp(argv[i], "--today") == 0 && i + 1 < argc) {
                if (day_parse(argv[++i], &today) != 0) {
                    free(rest);
                    return fprintf(stderr, "borne-server: --today %s: not YYYY-MM-DD\n",
                                   argv[i]), 2;
                }
            } else
                rest[nrest++] = argv[i];
        }
        if ((rc = load_conf(config, &conf)) == 0 &&
            (rc = srv_open_with(dir ? dir : conf.dir, today, NULL, &srv, why, sizeof why)) != 0) {
            fprintf(stderr, "borne-server: %s: %s\n", bn_strerror(rc), why);
            rc = 1;
        }
        if (rc == 0)
            rc = srv_moderate(srv, nrest, rest, stdout, stderr);
        srv_close(srv);
        free(rest);
        return rc;
    }
    for (i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc)
            dir = argv[++i];
        else if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
            config = argv[++i];
        else if (strcmp(argv[i], "--listen") == 0 && i + 1 < argc)
            listen = argv[++i];
        else if (strcmp(argv[i], "--port-file") == 0 && i + 1 < argc)
            port_file = argv[++i];
        else if (strcmp(argv[i], "--campaign") == 0 && i + 1 < argc && campaign == NULL)
            campaign = argv[++i];
        else if (strcmp(argv[i], "--kiosks") == 0 && i + 1 < argc &&
                 strcmp(cmd, "init-demo") == 0) {
            char *end;

            kiosks = strtol(argv[++i], &end, 10);
            if (*end != '\0' || kiosks < 1 || kiosks > SRV_DEMO_KIOSKS_MAX)
                return fprintf(stderr, "borne-server: --kiosks %s: a number from 1 to %d\n",
                               argv[i], SRV_DEMO_KIOSKS_MAX), 2;
        } else if (strcmp(argv[i], "--today") == 0 && i + 1 < argc) {
            if (day_parse(argv[++i], &today) != 0)
                return fprintf(stderr, "borne-server: --today %s: not YYYY-MM-DD\n", argv[i]), 2;
        } else if (argv[i][0] != '-' && arg == NULL)
            arg = argv[i];
        else
            return usage();
    }
    if ((rc = load_conf(config, &conf)) != 0)
        return rc;
    if (strcmp(cmd, "init-demo") == 0) {
        char assets[1024];

        if (arg == NULL && dir == NULL)
            return usage();
        if ((rc = conf_assets(NULL, assets, sizeof assets, why, sizeof why)) == 0)
            rc = srv_demo_init(arg ? arg : dir, assets, (int)kiosks, why, sizeof why);
        if (rc != 0)
            return fprintf(stderr, "borne-server: init-demo: %s (%s)\n", bn_strerror(rc), why), 1;
        if (kiosks == 2)
            printf("%s: demo authority, server (localhost), kiosks kiosk-35238-01 and -02 "
                   "enrolled, bp35-demo, pet35-demo, idees35-demo and consult35-demo\n",
                   arg ? arg : dir);
        else
            printf("%s: demo authority, server (localhost), kiosks kiosk-35238-01 to -%02ld "
                   "enrolled, bp35-demo, pet35-demo, idees35-demo and consult35-demo\n",
                   arg ? arg : dir, kiosks);
        return 0;
    }
    if (dir == NULL)
        dir = conf.dir;
    if (listen == NULL)
        listen = conf.listen;
    if (strcmp(cmd, "backup") == 0 || strcmp(cmd, "restore") == 0 ||
        strcmp(cmd, "verify-backup") == 0) {
        srv_backup_info_t info;

        if (strcmp(cmd, "backup") == 0) {
            rc = srv_backup(dir, arg ? arg : conf.backup_dir, (int)conf.backup_keep, today, &info,
                            why, sizeof why);
            if (rc == 0)
                printf("backup %s: %lld bundle(s), every one present and verified\n", info.path,
                       (long long)info.bundles);
        } else if (arg == NULL) {
            return usage();
        } else if (strcmp(cmd, "restore") == 0) {
            rc = srv_restore(arg, dir, today, &info, why, sizeof why);
            if (rc == 0)
                printf("restored %s into %s: %lld bundle(s) verified\n", arg, dir,
                       (long long)info.bundles);
        } else {
            rc = srv_backup_verify(arg, today, &info, why, sizeof why);
            if (rc == 0)
                printf("backup %s: %lld bundle(s), every one present and verified\n", arg,
                       (long long)info.bundles);
        }
        if (rc != 0)
            fprintf(stderr, "borne-server: %s: %s: %s\n", cmd, bn_strerror(rc), why);
        return rc != 0;
    }
    if (strcmp(cmd, "serve") != 0 && strcmp(cmd, "import") != 0 && strcmp(cmd, "check") != 0 &&
        strcmp(cmd, "export") != 0 && strcmp(cmd, "publish-ideas") != 0)
        return usage();
    if ((strcmp(cmd, "import") == 0 || strcmp(cmd, "export") == 0 ||
         strcmp(cmd, "publish-ideas") == 0) && arg == NULL)
        return usage();
    if (campaign != NULL && strcmp(cmd, "export") != 0 && strcmp(cmd, "publish-ideas") != 0)
        return usage();
    if (strcmp(cmd, "publish-ideas") == 0 && campaign == NULL)
        return fprintf(stderr, "borne-server: publish-ideas: which call for ideas? "
                       "--campaign ID\n"), 2;
    opts.tls_cert = conf.tls_cert[0] ? conf.tls_cert : NULL;
    opts.tls_key = conf.tls_key[0] ? conf.tls_key : NULL;
    rc = srv_open_with(dir, today, &opts, &srv, why, sizeof why);
    if (rc != 0)
        return fprintf(stderr, "borne-server: %s: %s\n", bn_strerror(rc), why), 1;
    if (strcmp(cmd, "serve") == 0) {
        memset(&lim, 0, sizeof lim);
        lim.per_address = (unsigned)conf.per_address;
        lim.idle_s = (unsigned)conf.idle_s;
        lim.connections = (unsigned)conf.connections;
        lim.request_s = (unsigned)conf.request_s;
        lim.body_max = (size_t)conf.body_max_kib << 10;
        lim.bodies_budget = (size_t)conf.bodies_mib << 20;
        srv_set_reserve_rate(srv, (int)conf.reserve_burst, (int)conf.reserve_every_s);
        rc = serve(srv, listen, port_file, &lim);
    } else if (strcmp(cmd, "import") == 0) {
        rc = srv_import(srv, arg, stdout);
        if (rc < 0)
            fprintf(stderr, "borne-server: import %s: %s\n", arg, bn_strerror(rc));
        else if (rc > 0)
            fprintf(stderr, "borne-server: import: %d file(s) refused\n", rc);
        rc = rc != 0;
    } else if (strcmp(cmd, "export") == 0) {
        srv_export_counts_t n;

        rc = srv_export(srv_store(srv), campaign, arg, stdout, &n, why, sizeof why);
        printf("export: %lld written, %lld already there, %lld held without bytes, %lld failed\n",
               (long long)n.written, (long long)n.present, (long long)n.without_bytes,
               (long long)n.failed);
        if (rc != 0)
            fprintf(stderr, "borne-server: export %s: %s (%s)\n", arg, bn_strerror(rc), why);
        else if (n.without_bytes + n.failed > 0)
            fprintf(stderr, "borne-server: export: %lld bundle(s) not exported\n",
                    (long long)(n.without_bytes + n.failed));
        rc = rc != 0 || n.without_bytes + n.failed > 0;
    } else if (strcmp(cmd, "publish-ideas") == 0) {
        int n = 0;

        rc = srv_publish_ideas(srv, campaign, arg, &n, why, sizeof why);
        if (rc == 0)
            printf("%s: %d accepted idea(s) of %s published (ideas.json, ideas.csv, index.html, "
                   "a page per territory and per theme, projects.csv)\n", arg, n, campaign);
        else
            fprintf(stderr, "borne-server: publish-ideas: %s: %s\n", bn_strerror(rc), why);
        rc = rc != 0;
    } else {
        int64_t b, r, f;

        rc = srv_store_check(srv_store(srv), why, sizeof why);
        if (rc == 0)
            rc = srv_store_totals(srv_store(srv), &b, &r, &f);
        if (rc == 0)
            printf("ok ballots=%lld register=%lld refusals=%lld\n", (long long)b, (long long)r,
                   (long long)f);
        else
            fprintf(stderr, "borne-server: check: %s %s\n", bn_strerror(rc), why);
        rc = rc != 0;
    }
    srv_close(srv);
    return rc;
}
