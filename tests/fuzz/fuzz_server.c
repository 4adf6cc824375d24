/* fuzz_server.c - libFuzzer target: what borne-server reads from the
 * network once TLS is done (srv_core.h), on a demo server folder made once
 * (srv_demo_init, on /dev/shm when there is one: every refusal is written
 * to the store, and fsync there is cheap). The first byte chooses:
 *   0  the body of POST /v1/bundles (srv_ingest: the server's own
 *      verification with libcrypto, then the store)
 *   1  the body of POST /v1/reservations from an enrolled kiosk
 *   2  the code of GET /v1/receipts/CODE (srv_receipt_info)
 *   3  a TLS client certificate (srv_kiosk_check)
 * Whatever the bytes: a status in 200..599 with a JSON body for 0, 1 and 3,
 * never a crash, a leak or a read past the input. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cert.h"
#include "day.h"
#include "srv_core.h"
#include "srv_demo.h"

#ifndef FUZZ_ASSETS
#define FUZZ_ASSETS "assets"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static srv_t *srv;
static uint8_t kcert[CERT_DER_MAX];
static size_t kcert_len;
static char dir[128];

static void cleanup(void)
{
    char cmd[200];

    srv_close(srv);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "fuzz_server: %s left behind\n", dir);
}

static void setup(void)
{
    char why[512] = "", path[256], pem[8192];
    uint32_t today;
    FILE *f;
    size_t n;
    struct stat st;

    snprintf(dir, sizeof dir, "%s/fuzz_server.%ld",
             stat("/dev/shm", &st) == 0 ? "/dev/shm" : "/tmp", (long)getpid());
    if (srv_demo_init(dir, FUZZ_ASSETS, 2, why, sizeof why) != 0 ||
        day_parse("2027-03-15", &today) != 0 ||
        srv_open(dir, today, &srv, why, sizeof why) != 0) {
        fprintf(stderr, "fuzz_server: %s: %s\n", dir, why);
        abort();
    }
    atexit(cleanup);
    snprintf(path, sizeof path, "%s/kiosks/kiosk-35238-01.crt", dir);
    if ((f = fopen(path, "rb")) == NULL)
        abort();
    n = fread(pem, 1, sizeof pem, f);
    fclose(f);
    if (cert_from_pem(pem, n, kcert, sizeof kcert, &kcert_len) != 0)
        abort();
}

static void check(const srv_result_t *res, int rc)
{
    if (rc != res->status || res->status < 200 || res->status > 599 || res->body == NULL)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    srv_result_t res;
    uint8_t id[32];
    char canon[15], *code;
    srv_track_info_t info;
    int rc;

    if (srv == NULL)
        setup();
    if (size == 0)
        return 0;
    memset(&res, 0, sizeof res);
    switch (data[0] % 4) {
    case 0:
        check(&res, srv_ingest(srv, data + 1, size - 1, &res));
        break;
    case 1:
        check(&res, srv_reserve(srv, kcert, kcert_len, (const char *)data + 1, size - 1, &res));
        break;
    case 2:
        if ((code = malloc(size)) == NULL)
            return 0;
        memcpy(code, data + 1, size - 1);
        code[size - 1] = '\0';
        (void)srv_receipt_info(srv, code, canon, &info);
        free(code);
        return 0;
    default:
        rc = srv_kiosk_check(srv, data + 1, size - 1, id, &res);
        if (rc != 0)
            check(&res, rc);
        break;
    }
    srv_result_free(&res);
    return 0;
}
