/* main.c - borne-server: the central collector (serve, import, export, init-demo, check). */
#include <signal.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bn_err.h"
#include "day.h"
#include "harden.h"
#include "srv_core.h"
#include "srv_demo.h"
#include "srv_export.h"
#include "srv_http.h"

#ifndef BORNE_ASSETS
#define BORNE_ASSETS "assets"
#endif

static int usage(void)
{
    fprintf(stderr,
            "usage: borne-server serve --dir DIR [--listen 127.0.0.1:8443] [--port-file FILE]\n"
            "       borne-server import --dir DIR SRC_DIR\n"
            "       borne-server export --dir DIR [--campaign ID] OUT_DIR\n"
            "       borne-server init-demo DIR\n"
            "       borne-server check --dir DIR\n"
            "  --today YYYY-MM-DD (any command) checks validity as of that day (tests)\n");
    return 2;
}

static int serve(srv_t *srv, const char *listen, const char *port_file)
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
    rc = srv_http_start(srv, host, (uint16_t)port, &h, why, sizeof why);
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
    const char *cmd, *dir = NULL, *listen = "127.0.0.1:8443", *port_file = NULL, *arg = NULL;
    const char *campaign = NULL;
    char why[512] = "";
    uint32_t today = 0;
    srv_t *srv = NULL;
    int i, rc;

    if (argc < 2)
        return usage();
    /* (HARDEN-H1..H3) before any key or store is read */
    if ((rc = harden_process(why, sizeof why)) < 0)
        return fprintf(stderr, "borne-server: %s\n", why), 1;
    cmd = argv[1];
    if (why[0] != '\0' && strcmp(cmd, "serve") == 0)
        fprintf(stderr, "borne-server: note: %s\n", why);
    why[0] = '\0';
    for (i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc)
            dir = argv[++i];
        else if (strcmp(argv[i], "--listen") == 0 && i + 1 < argc)
            listen = argv[++i];
        else if (strcmp(argv[i], "--port-file") == 0 && i + 1 < argc)
            port_file = argv[++i];
        else if (strcmp(argv[i], "--campaign") == 0 && i + 1 < argc && campaign == NULL)
            campaign = argv[++i];
        else if (strcmp(argv[i], "--today") == 0 && i + 1 < argc) {
            if (day_parse(argv[++i], &today) != 0)
                return fprintf(stderr, "borne-server: --today %s: not YYYY-MM-DD\n", argv[i]), 2;
        } else if (argv[i][0] != '-' && arg == NULL)
            arg = argv[i];
        else
            return usage();
    }
    if (strcmp(cmd, "init-demo") == 0) {
        const char *assets = getenv("BORNE_ASSETS");

        if (arg == NULL && dir == NULL)
            return usage();
        rc = srv_demo_init(arg ? arg : dir, assets ? assets : BORNE_ASSETS, why, sizeof why);
        if (rc != 0)
            return fprintf(stderr, "borne-server: init-demo: %s (%s)\n", bn_strerror(rc), why), 1;
        printf("%s: demo authority, server (localhost), kiosks kiosk-35238-01 and -02 enrolled, "
               "bp35-demo and pet35-demo\n",
               arg ? arg : dir);
        return 0;
    }
    if (dir == NULL)
        return usage();
    if (strcmp(cmd, "serve") != 0 && strcmp(cmd, "import") != 0 && strcmp(cmd, "check") != 0 &&
        strcmp(cmd, "export") != 0)
        return usage();
    if ((strcmp(cmd, "import") == 0 || strcmp(cmd, "export") == 0) && arg == NULL)
        return usage();
    if (campaign != NULL && strcmp(cmd, "export") != 0)
        return usage();
    rc = srv_open(dir, today, &srv, why, sizeof why);
    if (rc != 0)
        return fprintf(stderr, "borne-server: %s: %s\n", bn_strerror(rc), why), 1;
    if (strcmp(cmd, "serve") == 0) {
        rc = serve(srv, listen, port_file);
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
