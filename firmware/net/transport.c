/* transport.c - one HTTP request over one TLS connection, with timeouts
 * (transport.h): the sockets and mbedTLS half of the sync client. The
 * protocol (what to send, how to read the server's answers) is sync.c. */
#include "transport.h"

#include <errno.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "mbedtls/error.h"
#include "mbedtls/net_sockets.h"
#include "mbedtls/pk.h"
#include "mbedtls/ssl.h"
#include "mbedtls/x509_crt.h"

#include "bn_err.h"
#include "cert.h"
#include "day.h"
#include "http.h"

/* --- transport: a socket with timeouts ------------------------------------ */

typedef struct conn_s {
    int fd;
    int io_ms;
    int64_t deadline;            /* of the whole exchange (monotonic ms), 0: none */
    const char *failed;          /* what the transport last failed at, or NULL */
    int err;                     /* its errno, 0 for a timeout */
} conn_t;

static int64_t mono_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Waits for `ev` on fd for at most ms: 1 ready, 0 timeout, -1 error. */
static int wait_fd(int fd, short ev, int ms)
{
    struct pollfd p;
    int64_t end = mono_ms() + ms, left = ms;
    int rc;

    for (;;) {
        p.fd = fd;
        p.events = ev;
        p.revents = 0;
        rc = poll(&p, 1, (int)left);
        if (rc >= 0)
            return rc > 0 ? 1 : 0;
        if (errno != EINTR)
            return -1;
        left = end - mono_ms();
        if (left <= 0)
            return 0;
    }
}

/* Non-blocking connect to each address of addr:port in turn, within ms. */
static int connect_to(const char *addr, const char *source, unsigned port, int ms,
                      int *fd_out, char *why, size_t whylen)
{
    struct sockaddr_in src;
    struct addrinfo hints, *res = NULL, *ai;
    char service[16];
    int64_t end = mono_ms() + ms;
    int fd = -1, rc, err = 0, timed_out = 0;

    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    snprintf(service, sizeof service, "%u", port);
    memset(&src, 0, sizeof src);
    src.sin_family = AF_INET;
    if (source != NULL) {
        if (inet_pton(AF_INET, source, &src.sin_addr) != 1)
            return bn_fail(why, whylen, BN_EINVAL, "source %s: not an IPv4 address", source);
        hints.ai_family = AF_INET;
    }
    rc = getaddrinfo(addr, service, &hints, &res);
    if (rc != 0)
        return bn_fail(why, whylen, BN_EIO, "cannot resolve %s: %s", addr, gai_strerror(rc));
    for (ai = res; ai != NULL; ai = ai->ai_next) {
        int64_t left = end - mono_ms();
        socklen_t sl = sizeof err;
        if (left <= 0) {
            timed_out = 1;
            break;
        }
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0) {
            err = errno;
            continue;
        }
        if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) != 0) {
            err = errno;
        } else if (source != NULL && bind(fd, (struct sockaddr *)&src, sizeof src) != 0) {
            err = errno;
        } else if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
            break;
        } else if (errno != EINPROGRESS) {
            err = errno;
        } else if ((rc = wait_fd(fd, POLLOUT, (int)left)) == 0) {
            timed_out = 1;
        } else if (rc < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &sl) != 0) {
            err = errno;
        } else if (err == 0) {
            break;
        }
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd >= 0) {
        /* the request's head and body go as two TLS records: without this,
         * the second waits for the server's delayed acknowledgement of the
         * first (Nagle), 40 ms on Linux, every request (server_fleet) */
        int one = 1;

        (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    if (fd < 0) {
        if (timed_out)
            return bn_fail(why, whylen, BN_EIO,
                           "connect to %s:%u: timed out after %d ms", addr, port,
                           ms);
        return bn_fail(why, whylen, BN_EIO, "connect to %s:%u: %s", addr, port, strerror(err));
    }
    *fd_out = fd;
    return 0;
}

/* The wait for one read or write: io_ms, or less before the deadline. */
static int io_wait(const conn_t *c, int ms)
{
    int64_t left;

    if (c->deadline == 0)
        return ms;
    left = c->deadline - mono_ms();
    if (left <= 0)
        return 0;
    return left < ms ? (int)left : ms;
}

static int conn_send(void *ctx, const unsigned char *buf, size_t len)
{
    conn_t *c = ctx;
    ssize_t n;
    int rc;

    for (;;) {
        rc = wait_fd(c->fd, POLLOUT, io_wait(c, c->io_ms));
        if (rc <= 0) {
            c->failed = "write";
            c->err = rc == 0 ? 0 : errno;
            return MBEDTLS_ERR_NET_SEND_FAILED;
        }
        n = send(c->fd, buf, len, MSG_NOSIGNAL);
        if (n >= 0)
            return (int)n;
        if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
            continue;
        c->failed = "write";
        c->err = errno;
        return errno == EPIPE || errno == ECONNRESET ? MBEDTLS_ERR_NET_CONN_RESET
                                                     : MBEDTLS_ERR_NET_SEND_FAILED;
    }
}

static int conn_recv(void *ctx, unsigned char *buf, size_t len, uint32_t timeout)
{
    conn_t *c = ctx;
    ssize_t n;
    int rc;

    for (;;) {
        rc = wait_fd(c->fd, POLLIN, io_wait(c, timeout ? (int)timeout : c->io_ms));
        if (rc <= 0) {
            c->failed = "read";
            c->err = rc == 0 ? 0 : errno;
            return rc == 0 ? MBEDTLS_ERR_SSL_TIMEOUT : MBEDTLS_ERR_NET_RECV_FAILED;
        }
        n = recv(c->fd, buf, len, 0);
        if (n >= 0)
            return (int)n;
        if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
            continue;
        c->failed = "read";
        c->err = errno;
        return errno == ECONNRESET ? MBEDTLS_ERR_NET_CONN_RESET : MBEDTLS_ERR_NET_RECV_FAILED;
    }
}

/* --- TLS ------------------------------------------------------------------- */

typedef struct tls_s {
    conn_t conn;
    mbedtls_ssl_config conf;
    mbedtls_ssl_context ssl;
    mbedtls_x509_crt ca, own;
} tls_t;

static void tls_free(tls_t *t)
{
    if (t->conn.fd >= 0)
        close(t->conn.fd);
    t->conn.fd = -1;
    mbedtls_ssl_free(&t->ssl);
    mbedtls_ssl_config_free(&t->conf);
    mbedtls_x509_crt_free(&t->ca);
    mbedtls_x509_crt_free(&t->own);
}

/* A TLS failure in words: the transport's, or mbedTLS's. */
static int tls_fail(tls_t *t, int ret, const char *what, char *why, size_t whylen)
{
    char buf[160];

    if (t->conn.failed != NULL && t->conn.err == 0)
        return bn_fail(why, whylen, BN_EIO, "%s: %s timed out (%d ms per read or write%s)", what,
                       t->conn.failed, t->conn.io_ms,
                       t->conn.deadline ? ", or the whole exchange" : "");
    if (t->conn.failed != NULL)
        return bn_fail(why, whylen, BN_EIO, "%s: %s: %s", what, t->conn.failed,
                       strerror(t->conn.err));
    if (ret == MBEDTLS_ERR_SSL_CONN_EOF || ret == MBEDTLS_ERR_NET_CONN_RESET ||
        ret == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY)
        return bn_fail(why, whylen, BN_EIO, "%s: connection closed by the server", what);
    mbedtls_strerror(ret, buf, sizeof buf);
    return bn_fail(why, whylen, BN_ECRYPTO, "%s: %s", what, buf);
}

/* The verification flags of a refused server certificate -> BN_E*. */
static int verify_fail(uint32_t flags, const char *host, char *why, size_t whylen)
{
    char info[256];
    int code = BN_ECRYPTO;
    size_t n;

    if (flags & MBEDTLS_X509_BADCERT_NOT_TRUSTED)
        code = BN_EWRONGKEY;
    else if (flags & MBEDTLS_X509_BADCERT_CN_MISMATCH)
        code = BN_EKEY;
    else if (flags & MBEDTLS_X509_BADCERT_EXPIRED)
        code = BN_EEXPIRED;
    else if (flags & MBEDTLS_X509_BADCERT_FUTURE)
        code = BN_ENOTYET;
    info[0] = '\0';
    mbedtls_x509_crt_verify_info(info, sizeof info, "", flags);
    for (n = strlen(info); n > 0 && (info[n - 1] == '\n' || info[n - 1] == ' '); n--)
        info[n - 1] = '\0';
    for (n = 0; info[n] != '\0'; n++)
        if (info[n] == '\n')
            info[n] = ';';
    return bn_fail(why, whylen, code, "server certificate for %s refused: %s", host, info);
}

static int tls_open(tls_t *t, const sync_conf_t *c, int connect_ms, int io_ms, int total_ms,
                    char *why, size_t whylen)
{
    static const int suites[] = {MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
                                 MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
                                 MBEDTLS_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, 0};
    /* the key exchange on P-256, the curve of every key and certificate:
     * mbedTLS offers the largest curves first by default, and a server
     * that follows the client's order then spends a P-521 exchange on each
     * side of every connection (server_fleet measured it) */
    static const mbedtls_ecp_group_id curves[] = {MBEDTLS_ECP_DP_SECP256R1,
                                                  MBEDTLS_ECP_DP_SECP384R1,
                                                  MBEDTLS_ECP_DP_NONE};
    const mbedtls_x509_crt *peer;
    int ret, rc;

    memset(t, 0, sizeof *t);
    t->conn.fd = -1;
    t->conn.io_ms = io_ms;
    t->conn.deadline = total_ms > 0 ? mono_ms() + total_ms : 0;
    mbedtls_ssl_init(&t->ssl);
    mbedtls_ssl_config_init(&t->conf);
    mbedtls_x509_crt_init(&t->ca);
    mbedtls_x509_crt_init(&t->own);
    if (c->host == NULL || c->ca_der == NULL || c->rng == NULL || c->port == 0 || c->port > 65535)
        return bn_fail(why, whylen, BN_EINVAL,
                       "sync configuration: host, port, authority and rng needed");
    if (mbedtls_x509_crt_parse_der(&t->ca, c->ca_der, c->ca_len) != 0)
        return bn_fail(why, whylen, BN_EFORMAT, "pinned authority certificate does not parse");
    if (mbedtls_ssl_config_defaults(&t->conf, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_STREAM,
                                    MBEDTLS_SSL_PRESET_DEFAULT) != 0)
        return bn_fail(why, whylen, BN_ECRYPTO, "TLS configuration");
    /* TLS 1.2 only (3.3) */
    mbedtls_ssl_conf_min_version(&t->conf, MBEDTLS_SSL_MAJOR_VERSION_3,
                                 MBEDTLS_SSL_MINOR_VERSION_3);
    mbedtls_ssl_conf_max_version(&t->conf, MBEDTLS_SSL_MAJOR_VERSION_3,
                                 MBEDTLS_SSL_MINOR_VERSION_3);
    mbedtls_ssl_conf_ciphersuites(&t->conf, suites);
    mbedtls_ssl_conf_curves(&t->conf, curves);
    mbedtls_ssl_conf_authmode(&t->conf, MBEDTLS_SSL_VERIFY_REQUIRED);
    mbedtls_ssl_conf_ca_chain(&t->conf, &t->ca, NULL);
    mbedtls_ssl_conf_rng(&t->conf, rng_mbedtls, c->rng);
    mbedtls_ssl_conf_read_timeout(&t->conf, (uint32_t)io_ms);
    if (c->cert_der != NULL && c->key != NULL) {
        if (mbedtls_x509_crt_parse_der(&t->own, c->cert_der, c->cert_len) != 0)
            return bn_fail(why, whylen, BN_EFORMAT, "kiosk certificate does not parse");
        if (mbedtls_ssl_conf_own_cert(&t->conf, &t->own, key_pk(c->key)) != 0)
            return bn_fail(why, whylen, BN_EKEY, "kiosk certificate and key rejected by TLS");
    }
    if (mbedtls_ssl_setup(&t->ssl, &t->conf) != 0 ||
        mbedtls_ssl_set_hostname(&t->ssl, c->host) != 0)
        return bn_fail(why, whylen, BN_ENOMEM, "TLS context");
    if ((rc = connect_to(c->addr != NULL ? c->addr : c->host, c->source, c->port, connect_ms, &t->conn.fd, why,
                         whylen)) != 0)
        return rc;
    mbedtls_ssl_set_bio(&t->ssl, &t->conn, conn_send, NULL, conn_recv);
    while ((ret = mbedtls_ssl_handshake(&t->ssl)) != 0) {
        if (ret == MBEDTLS_ERR_SSL_WANT_READ || ret == MBEDTLS_ERR_SSL_WANT_WRITE)
            continue;
        if (ret == MBEDTLS_ERR_X509_CERT_VERIFY_FAILED)
            return verify_fail(mbedtls_ssl_get_verify_result(&t->ssl), c->host, why, whylen);
        return tls_fail(t, ret, "TLS handshake", why, whylen);
    }
    /* the role (EKU serverAuth), P-256 and the host once more, by the rules
     * of the core library (cert.h) */
    peer = mbedtls_ssl_get_peer_cert(&t->ssl);
    if (peer == NULL)
        return bn_fail(why, whylen, BN_EKEY, "server sent no certificate");
    rc = cert_verify(peer->raw.p, peer->raw.len, c->ca_der, c->ca_len, day_today(), CERT_SERVER,
                     c->host, NULL, why, whylen);
    if (rc == 0 && c->pin_der != NULL &&
        (peer->raw.len != c->pin_len || memcmp(peer->raw.p, c->pin_der, c->pin_len) != 0))
        rc = bn_fail(why, whylen, BN_EWRONGKEY, "the server's certificate is not the one "
                     "pinned at provisioning (server.crt): another server for %s", c->host);
    return rc;
}

static int tls_write_all(tls_t *t, const uint8_t *d, size_t len, char *why, size_t whylen)
{
    int ret;

    while (len > 0) {
        ret = mbedtls_ssl_write(&t->ssl, d, len);
        if (ret == MBEDTLS_ERR_SSL_WANT_READ || ret == MBEDTLS_ERR_SSL_WANT_WRITE)
            continue;
        if (ret <= 0)
            return tls_fail(t, ret, "sending the request", why, whylen);
        d += ret;
        len -= (size_t)ret;
    }
    return 0;
}

int transport_request(const sync_conf_t *c, int connect_ms, int io_ms, int total_ms,
                   const char *method, const char *path, const char *content_type,
                   const uint8_t *body, size_t body_len, size_t max_body, int *status,
                   uint8_t **out, size_t *out_len, char *why, size_t whylen)
{
    tls_t t;
    http_resp_t *r = malloc(sizeof *r);
    char head[1024];
    uint8_t buf[4096];
    size_t hl, used;
    int rc, ret;

    if (r == NULL)
        return BN_ENOMEM;
    http_resp_init(r, max_body);
    rc = http_request(head, sizeof head, &hl, method, c->host, c->port, path, content_type,
                      body_len, why, whylen);
    if (rc == 0)
        rc = tls_open(&t, c, connect_ms, io_ms, total_ms, why, whylen);
    else
        memset(&t, 0, sizeof t), t.conn.fd = -1;
    if (rc == 0)
        rc = tls_write_all(&t, (const uint8_t *)head, hl, why, whylen);
    if (rc == 0 && body_len > 0)
        rc = tls_write_all(&t, body, body_len, why, whylen);
    while (rc == 0) {
        ret = mbedtls_ssl_read(&t.ssl, buf, sizeof buf);
        if (ret == MBEDTLS_ERR_SSL_WANT_READ || ret == MBEDTLS_ERR_SSL_WANT_WRITE)
            continue;
        if (ret == 0 || ret == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY ||
            (ret == MBEDTLS_ERR_SSL_CONN_EOF && t.conn.failed == NULL)) {
            rc = http_resp_eof(r, why, whylen);
            if (rc != 0)
                rc = BN_EIO;  /* a truncated answer is a transport failure */
            break;
        }
        if (ret < 0) {
            rc = tls_fail(&t, ret, "reading the answer", why, whylen);
            break;
        }
        rc = http_resp_feed(r, buf, (size_t)ret, &used, why, whylen);
        if (rc == 1) {
            rc = 0;
            break;
        }
    }
    if (rc == 0) {
        (void)mbedtls_ssl_close_notify(&t.ssl);
        *status = r->status;
        if (out != NULL) {
            *out = r->body;
            r->body = NULL;
        }
        if (out_len != NULL)
            *out_len = r->body_len;
    }
    http_resp_free(r);
    free(r);
    tls_free(&t);
    return rc;
}

int sync_request(const sync_conf_t *c, const char *method, const char *path,
                 const char *content_type, const uint8_t *body, size_t body_len,
                 size_t max_body, int *status, uint8_t **out, size_t *out_len,
                 char *why, size_t whylen)
{
    return transport_request(c, c->connect_ms > 0 ? c->connect_ms : 5000, c->io_ms > 0 ? c->io_ms : 10000, 0,
                   method, path, content_type, body, body_len, max_body, status, out, out_len, why,
                   whylen);
}
