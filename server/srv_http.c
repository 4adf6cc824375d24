/* srv_http.c - HTTPS routes of borne-server over libmicrohttpd (srv_http.h).
 *
 * No HTTP parsing here: libmicrohttpd parses requests, GnuTLS does TLS. This
 * file routes, bounds request bodies, and turns srv_core results into
 * responses. A thread per connection: bundle verification (ECDSA) runs in
 * parallel on every core; the store is serialised inside srv_core. */
#include "srv_http.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>

#include <cjson/cJSON.h>
#include <gnutls/gnutls.h>
#include <microhttpd.h>

#include "bn_err.h"

/* A connection, as the request clock sees it (SRV-N4). */
typedef struct conn_s {
    struct conn_s *prev, *next;
    int fd;
    int cut;                    /* shut down by the clock */
    struct timespec start;      /* of its current request */
} conn_t;

struct srv_http_s {
    struct MHD_Daemon *d;
    srv_t *srv;
    uint16_t port;
    unsigned request_s;
    size_t body_max, bodies_budget;
    size_t bodies_held;         /* under bodies_mu */
    pthread_mutex_t bodies_mu;
    pthread_mutex_t conns_mu;   /* the list, `stop` */
    pthread_cond_t conns_cv;
    conn_t *conns;
    int stop;
    int clock_started;
    pthread_t clock;
};

/* One request in progress. */
typedef struct req_s {
    struct timespec start;
    int kind;                   /* ROUTE_* of a POST, once known */
    int refused;                /* a response was queued before the end of the body */
    int over;                   /* the body passed the limit: 413 at its end */
    int busy;                   /* the uploads' memory budget is spent: 503 at its end */
    int has_as;                 /* the connection's kiosk is known (SRV-N1) */
    uint8_t as[32];
    uint8_t *body;
    size_t len, cap, max;
    int status;
    size_t out_bytes;
    char kiosk[17];
    char path[96];
    char method[8];
} req_t;

enum { ROUTE_NONE, ROUTE_BUNDLES, ROUTE_RESERVE };

/* (SRV-N3) The bodies being read hold at most h->bodies_budget bytes. */
static int bodies_take(srv_http_t *h, size_t n)
{
    int ok;

    pthread_mutex_lock(&h->bodies_mu);
    ok = h->bodies_held + n <= h->bodies_budget;
    if (ok)
        h->bodies_held += n;
    pthread_mutex_unlock(&h->bodies_mu);
    return ok;
}

static void bodies_give(srv_http_t *h, size_t n)
{
    pthread_mutex_lock(&h->bodies_mu);
    h->bodies_held -= n < h->bodies_held ? n : h->bodies_held;
    pthread_mutex_unlock(&h->bodies_mu);
}

/* (SRV-N4) The request clock: every connection is in h->conns from its
 * accept to its close (libmicrohttpd's notifications; the closing one
 * comes before the descriptor is closed, so a descriptor in the list is
 * still this connection's). Once a second the clock shuts down, for
 * reading and writing, every connection whose request began more than
 * request_s seconds ago: its thread sees the end of the stream and
 * libmicrohttpd closes it. A request that ends sets its connection's
 * clock again (keep-alive). */
static void notify_conn(void *cls, struct MHD_Connection *c, void **socket_context,
                        enum MHD_ConnectionNotificationCode code)
{
    srv_http_t *h = cls;
    conn_t *k = *socket_context;

    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);

        k = calloc(1, sizeof *k);
        if (k == NULL || ci == NULL) {
            free(k); /* not timed: only the idle limit holds it */
            return;
        }
        k->fd = ci->connect_fd;
        clock_gettime(CLOCK_MONOTONIC, &k->start);
        pthread_mutex_lock(&h->conns_mu);
        k->next = h->conns;
        if (h->conns != NULL)
            h->conns->prev = k;
        h->conns = k;
        pthread_mutex_unlock(&h->conns_mu);
        *socket_context = k;
    } else if (k != NULL) {
        pthread_mutex_lock(&h->conns_mu);
        if (k->prev != NULL)
            k->prev->next = k->next;
        else
            h->conns = k->next;
        if (k->next != NULL)
            k->next->prev = k->prev;
        pthread_mutex_unlock(&h->conns_mu);
        free(k);
        *socket_context = NULL;
    }
}

static void conn_restart(srv_http_t *h, struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    conn_t *k = ci != NULL ? ci->socket_context : NULL;

    if (k == NULL)
        return;
    pthread_mutex_lock(&h->conns_mu);
    clock_gettime(CLOCK_MONOTONIC, &k->start);
    pthread_mutex_unlock(&h->conns_mu);
}

static void *request_clock(void *arg)
{
    srv_http_t *h = arg;

    pthread_mutex_lock(&h->conns_mu);
    while (!h->stop) {
        struct timespec now, until;
        unsigned cut = 0;
        conn_t *k;

        clock_gettime(CLOCK_MONOTONIC, &now);
        for (k = h->conns; k != NULL; k = k->next)
            if (!k->cut && now.tv_sec - k->start.tv_sec >= (time_t)h->request_s) {
                (void)shutdown(k->fd, SHUT_RDWR);
                k->cut = 1;
                cut++;
            }
        if (cut > 0)
            fprintf(stderr, "borne-server: %u connection(s) cut: a request took more than "
                    "%u s (request-s)\n", cut, h->request_s);
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += 1;
        (void)pthread_cond_timedwait(&h->conns_cv, &h->conns_mu, &until);
    }
    pthread_mutex_unlock(&h->conns_mu);
    return NULL;
}

static void log_line(const char *method, const req_t *r)
{
    struct timespec now;
    double ms;

    clock_gettime(CLOCK_MONOTONIC, &now);
    ms = (double)(now.tv_sec - r->start.tv_sec) * 1e3 +
         (double)(now.tv_nsec - r->start.tv_nsec) / 1e6;
    fprintf(stderr, "%s %s %d kiosk=%s in=%zu out=%zu %.1fms\n", method, r->path, r->status,
            r->kiosk[0] ? r->kiosk : "-", r->len, r->out_bytes, ms);
}

static enum MHD_Result send_buf(struct MHD_Connection *c, req_t *r, int status,
                                const char *type, const void *data, size_t len)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(len, (void *)data, MHD_RESPMEM_MUST_COPY);
    enum MHD_Result ret;

    if (resp == NULL)
        return MHD_NO;
    MHD_add_response_header(resp, "Content-Type", type);
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    ret = MHD_queue_response(c, (unsigned)status, resp);
    MHD_destroy_response(resp);
    r->status = status;
    r->out_bytes = len;
    return ret;
}

static enum MHD_Result send_json(struct MHD_Connection *c, req_t *r, int status, const char *j)
{
    if (j == NULL)
        return send_buf(c, r, 503, "application/json", "{\"error\":\"out-of-memory\"}", 25);
    return send_buf(c, r, status, "application/json", j, strlen(j));
}

static enum MHD_Result send_result(struct MHD_Connection *c, req_t *r, srv_result_t *res)
{
    enum MHD_Result ret = send_json(c, r, res->status, res->body);

    snprintf(r->kiosk, sizeof r->kiosk, "%s", res->kiosk);
    srv_result_free(res);
    return ret;
}

static enum MHD_Result refuse(struct MHD_Connection *c, req_t *r, srv_t *srv, int status,
                              const char *error, const char *detail)
{
    srv_result_t res;

    memset(&res, 0, sizeof res);
    srv_refuse(srv, &res, status, error, detail, NULL);
    return send_result(c, r, &res);
}

/* The language of the HTML page: ?lang=, else Accept-Language, else French. */
static int lang_en(struct MHD_Connection *c)
{
    const char *l = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "lang");

    if (l == NULL) {
        l = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Language");
        while (l != NULL && *l == ' ')
            l++;
    }
    return l != NULL && strncasecmp(l, "en", 2) == 0;
}

/* t, HTML-escaped, appended to out (cap bytes, always terminated). */
static void html_cat(char *out, size_t cap, const char *t)
{
    size_t n = strlen(out);

    for (; t != NULL && *t && n + 7 < cap; t++) {
        const char *e = *t == '<' ? "&lt;" : *t == '>' ? "&gt;" : *t == '&' ? "&amp;"
                        : *t == '"' ? "&quot;" : *t == '\n' ? "<br>" : NULL;

        if (e != NULL) {
            memcpy(out + n, e, strlen(e));
            n += strlen(e);
        } else {
            out[n++] = *t;
        }
    }
    out[n] = 0;
}

/* What a citizen reads for an idea's tracking code (issue 17), in out. */
static void idea_words(srv_t *srv, const srv_track_info_t *t, int en, char *out, size_t cap)
{
    const char *st = strcmp(t->status, SRV_IDEA_MERGED) == 0 ? t->into_status : t->status;

    out[0] = 0;
    if (strcmp(t->status, SRV_IDEA_MERGED) == 0)
        html_cat(out, cap, en ? "Your idea was grouped with a similar idea. "
                              : "Votre idée a été regroupée avec une idée proche. ");
    if (strcmp(st, SRV_IDEA_ACCEPTED) == 0) {
        html_cat(out, cap, en ? "It was kept: it will be studied for the vote."
                              : "Elle a été retenue : elle sera étudiée pour le vote.");
    } else if (strcmp(st, SRV_IDEA_REJECTED) == 0) {
        html_cat(out, cap, en ? "It was not kept. Reason: " : "Elle n'a pas été retenue. Raison : ");
        html_cat(out, cap, srv_reason_words(srv, t->campaign, t->reason, en ? "en" : "fr"));
        html_cat(out, cap, ".");
    } else {
        html_cat(out, cap, en ? "It was received. The participation team will read it."
                              : "Elle a été reçue. L'équipe de la participation va la lire.");
    }
    if (t->comment[0]) {
        size_t n = strlen(out);

        snprintf(out + n, cap - n, "</strong></p>\n<p>%s",
                 en ? "The team&#39;s comment: " : "Le mot de l&#39;équipe : ");
        html_cat(out, cap, t->comment);
        n = strlen(out);
        snprintf(out + n, cap - n, "<strong>");
    }
}

static enum MHD_Result receipt_html(struct MHD_Connection *c, req_t *r, srv_t *srv,
                                    const char *code)
{
    static const char *const text[2][6] = {
        {"fr", "Vérifier mon reçu", "Code de suivi",
         "Ce bulletin a été compté.", "Aucun bulletin ni aucune idée n'a ce code (pas encore reçu, ou code erroné).",
         "Ce code contient une faute de frappe : vérifiez-le sur votre reçu."},
        {"en", "Check my receipt", "Tracking code",
         "This ballot has been counted.", "No ballot and no idea has this code (not received yet, or a wrong code).",
         "This code has a typing mistake: check it on your receipt."}};
    int en = lang_en(c), status = 200, rc;
    char canon[15] = "", page[8192], words[4096] = "";
    const char *msg = NULL;
    srv_track_info_t *t = calloc(1, sizeof *t);

    if (t == NULL)
        return send_buf(c, r, 503, "text/plain", "out of memory\n", 14);
    if (code != NULL && code[0] != 0) {
        rc = srv_receipt_info(srv, code, canon, t);
        if (rc == 1 && t->kind == 3) {
            idea_words(srv, t, en, words, sizeof words);
            msg = words;
        } else if (rc == 1) {
            msg = text[en][3];
        } else if (rc == 0) {
            msg = text[en][4];
        } else if (rc == BN_ECHECK || rc == BN_EFORMAT) {
            msg = text[en][5];
            canon[0] = 0;
            status = 400;
        } else {
            free(t);
            return send_buf(c, r, 503, "text/plain", "store unavailable\n", 18);
        }
    }
    free(t);
    snprintf(page, sizeof page,
             "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
             "<meta name=\"viewport\" content=\"width=device-width\"><title>%s</title></head>\n"
             "<body><h1>%s</h1>\n<form method=\"get\" action=\"/receipts\">"
             "<label>%s <input name=\"code\" value=\"%s\" autocomplete=\"off\"></label>"
             "<input type=\"hidden\" name=\"lang\" value=\"%s\"> <button>OK</button></form>\n"
             "%s%s%s</body></html>\n",
             text[en][0], text[en][1], text[en][1], text[en][2], canon, text[en][0],
             msg ? "<p><strong>" : "", msg ? msg : "", msg ? "</strong></p>\n" : "");
    return send_buf(c, r, status, "text/html; charset=utf-8", page, strlen(page));
}

/* {"status": ...} for an idea: received, accepted, not kept (with the
 * reason), merged (with the status of the idea kept). */
static char *idea_json(srv_t *srv, const srv_track_info_t *t)
{
    cJSON *o = cJSON_CreateObject();
    const char *st = strcmp(t->status, SRV_IDEA_ACCEPTED) == 0 ? "accepted"
                     : strcmp(t->status, SRV_IDEA_REJECTED) == 0 ? "not kept"
                     : strcmp(t->status, SRV_IDEA_MERGED) == 0   ? "merged"
                                                                 : "received";
    char *j;

    if (o == NULL)
        return NULL;
    cJSON_AddStringToObject(o, "status", st);
    cJSON_AddStringToObject(o, "kind", "idea");
    cJSON_AddStringToObject(o, "campaign", t->campaign);
    if (strcmp(t->status, SRV_IDEA_REJECTED) == 0) {
        cJSON_AddStringToObject(o, "reason", t->reason);
        cJSON_AddStringToObject(o, "reason_fr", srv_reason_words(srv, t->campaign, t->reason, "fr"));
        cJSON_AddStringToObject(o, "reason_en", srv_reason_words(srv, t->campaign, t->reason, "en"));
    }
    if (strcmp(t->status, SRV_IDEA_MERGED) == 0)
        cJSON_AddStringToObject(o, "merged_status",
                                strcmp(t->into_status, SRV_IDEA_ACCEPTED) == 0   ? "accepted"
                                : strcmp(t->into_status, SRV_IDEA_REJECTED) == 0 ? "not kept"
                                                                                 : "received");
    if (t->comment[0])
        cJSON_AddStringToObject(o, "comment", t->comment);
    j = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return j;
}

static enum MHD_Result receipt_json(struct MHD_Connection *c, req_t *r, srv_t *srv,
                                    const char *code)
{
    char canon[15];
    srv_track_info_t *t = calloc(1, sizeof *t);
    int rc = t != NULL ? srv_receipt_info(srv, code, canon, t) : BN_ENOMEM;

    if (rc == 1 && t->kind == 3) {
        char *j = idea_json(srv, t);
        enum MHD_Result ret = send_json(c, r, 200, j);

        free(j);
        free(t);
        return ret;
    }
    free(t);
    if (rc == 1)
        return send_json(c, r, 200, "{\"status\":\"counted\"}");
    if (rc == 0)
        return send_json(c, r, 200, "{\"status\":\"not found\"}");
    if (rc == BN_ECHECK)
        return send_json(c, r, 400, "{\"error\":\"mistyped\",\"detail\":\"the check character "
                                    "does not match: a character of the code was mistyped\"}");
    if (rc == BN_EFORMAT)
        return send_json(c, r, 400, "{\"error\":\"malformed\",\"detail\":\"a tracking code is "
                                    "12 characters of 0-9 A-Z (without I L O U), as XXXX-XXXX-XXXX\"}");
    return send_json(c, r, 503, "{\"error\":\"store\",\"detail\":\"store unavailable\"}");
}

/* The DER of the TLS client certificate, or NULL. */
static const uint8_t *client_cert(struct MHD_Connection *c, size_t *len)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_GNUTLS_SESSION);
    const gnutls_datum_t *peers;
    unsigned n = 0;

    if (ci == NULL || ci->tls_session == NULL)
        return NULL;
    peers = gnutls_certificate_get_peers((gnutls_session_t)ci->tls_session, &n);
    if (peers == NULL || n == 0)
        return NULL;
    *len = peers[0].size;
    return peers[0].data;
}

static enum MHD_Result get_route(struct MHD_Connection *c, req_t *r, srv_t *srv,
                                 const char *url)
{
    const uint8_t *b;
    size_t len = 0;
    char *j;
    enum MHD_Result ret;

    if (strcmp(url, "/v1/health") == 0 || strcmp(url, "/v1/metrics") == 0 ||
        strcmp(url, "/v1/packages") == 0) {
        j = url[4] == 'h' ? srv_health_json(srv)
            : url[4] == 'm' ? srv_metrics_json(srv) : srv_packages_json(srv);
        ret = send_json(c, r, 200, j);
        free(j);
        return ret;
    }
    if (strncmp(url, "/v1/packages/", 13) == 0) {
        b = srv_package_file(srv, url + 13, &len);
        if (b == NULL)
            return send_json(c, r, 404, "{\"error\":\"not-found\",\"detail\":\"no such campaign\"}");
        return send_buf(c, r, 200, "application/octet-stream", b, len);
    }
    if (strcmp(url, "/v1/revocations") == 0) {
        uint8_t *copy = srv_revocations(srv, &len);

        if (copy == NULL)
            return send_json(c, r, 404, "{\"error\":\"not-found\",\"detail\":\"the authority has "
                                        "not published a revocation list\"}");
        ret = send_buf(c, r, 200, "application/octet-stream", copy, len);
        free(copy);
        return ret;
    }
    if (strncmp(url, "/v1/petitions/", 14) == 0) {
        const char *id = url + 14, *slash = strchr(id, '/');
        char cid[32];
        srv_result_t res;

        if (slash == NULL || strcmp(slash, "/counter") != 0 || slash - id < 1 ||
            slash - id >= (ptrdiff_t)sizeof cid)
            return send_json(c, r, 404, "{\"error\":\"not-found\",\"detail\":\"no such route\"}");
        memcpy(cid, id, (size_t)(slash - id));
        cid[slash - id] = 0;
        snprintf(r->path, sizeof r->path, "/v1/petitions/*/counter");
        srv_petition_counter(srv, cid, &res);
        ret = send_json(c, r, res.status, res.body);
        srv_result_free(&res);
        return ret;
    }
    if (strncmp(url, "/v1/receipts/", 13) == 0) {
        snprintf(r->path, sizeof r->path, "/v1/receipts/*");
        return receipt_json(c, r, srv, url + 13);
    }
    if (strncmp(url, "/receipts/", 10) == 0) {
        snprintf(r->path, sizeof r->path, "/receipts/*");
        return receipt_html(c, r, srv, url + 10);
    }
    if (strcmp(url, "/receipts") == 0) {
        const char *code = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "code");

        if (code != NULL)
            snprintf(r->path, sizeof r->path, "/receipts?code=*");
        return receipt_html(c, r, srv, code);
    }
    return send_json(c, r, 404, "{\"error\":\"not-found\",\"detail\":\"no such route\"}");
}

static int type_is(struct MHD_Connection *c, const char *want)
{
    const char *t = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
    size_t n = strlen(want);

    return t != NULL && strncasecmp(t, want, n) == 0 && (t[n] == 0 || t[n] == ';');
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *c, const char *url,
                               const char *method, const char *version, const char *data,
                               size_t *data_size, void **con_cls)
{
    srv_http_t *h = cls;
    req_t *r = *con_cls;
    int post = strcmp(method, "POST") == 0;

    (void)version;
    if (r == NULL) {
        const char *cl;

        r = calloc(1, sizeof *r);
        if (r == NULL)
            return MHD_NO;
        clock_gettime(CLOCK_MONOTONIC, &r->start);
        snprintf(r->path, sizeof r->path, "%s", url);
        snprintf(r->method, sizeof r->method, "%s", method);
        *con_cls = r;
        if (!post)
            return MHD_YES;
        if (strcmp(url, "/v1/bundles") == 0) {
            r->kind = ROUTE_BUNDLES;
            r->max = h->body_max;
        } else if (strcmp(url, "/v1/reservations") == 0) {
            r->kind = ROUTE_RESERVE;
            r->max = SRV_JSON_MAX;
        } else {
            r->refused = 1;
            return send_json(c, r, 404, "{\"error\":\"not-found\",\"detail\":\"no such route\"}");
        }
        /* (SRV-N1) the kiosk's TLS certificate, before a byte of the body */
        {
            size_t cl_len = 0;
            const uint8_t *cert = client_cert(c, &cl_len);
            srv_result_t res;

            if (srv_kiosk_check(h->srv, cert, cl_len, r->as, &res) != 0) {
                r->refused = 1;
                return send_result(c, r, &res);
            }
            srv_result_free(&res);
            r->has_as = 1;
        }
        cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
        if (cl != NULL && strtoull(cl, NULL, 10) > r->max) {
            char d[96];

            r->refused = 1;
            snprintf(d, sizeof d, "Content-Length %s is over the limit of %zu bytes", cl, r->max);
            return refuse(c, r, h->srv, 413, "too-large", d);
        }
        if (!type_is(c, r->kind == ROUTE_BUNDLES ? "application/octet-stream"
                                                 : "application/json")) {
            const char *t = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
            char d[160];

            r->refused = 1;
            snprintf(d, sizeof d, "Content-Type %.60s; expected %s", t ? t : "(none)",
                     r->kind == ROUTE_BUNDLES ? "application/octet-stream" : "application/json");
            return refuse(c, r, h->srv, 415, "unsupported-media-type", d);
        }
        return MHD_YES;
    }
    if (post && *data_size > 0) {
        size_t n = *data_size;

        *data_size = 0;
        if (r->refused)
            return MHD_YES;
        if (r->over || r->len + n > r->max) {
            /* a body without Content-Length (chunked) that passes the limit:
             * read and drop the rest, answer 413 at its end; past 4 times
             * the limit, close the connection */
            r->over = 1;
            r->len += n;
            return r->len > 4 * r->max ? MHD_NO : MHD_YES;
        }
        if (r->len + n > r->cap) {
            size_t cap = r->cap ? r->cap : 65536;
            uint8_t *t;

            while (cap < r->len + n)
                cap *= 2;
            if (cap > r->max)
                cap = r->max;
            if (r->busy || !bodies_take(h, cap - r->cap)) {
                r->busy = 1;
                r->len += n;
                return MHD_YES;
            }
            t = realloc(r->body, cap);
            if (t == NULL) {
                bodies_give(h, cap - r->cap);
                return MHD_NO;
            }
            r->body = t;
            r->cap = cap;
        }
        memcpy(r->body + r->len, data, n);
        r->len += n;
        return MHD_YES;
    }
    if (r->refused)
        return MHD_YES;
    if (r->over)
        return refuse(c, r, h->srv, 413, "too-large", "the body is over the limit");
    if (r->busy)
        return refuse(c, r, h->srv, 503, "busy", "the server is reading too many uploads at "
                      "once; send again later");
    if (post) {
        srv_result_t res;

        memset(&res, 0, sizeof res);
        if (r->kind == ROUTE_BUNDLES) {
            srv_ingest_as(h->srv, r->has_as ? r->as : NULL,
                          r->body ? r->body : (const uint8_t *)"", r->len, &res);
        } else {
            size_t cl = 0;
            const uint8_t *cert = client_cert(c, &cl);

            srv_reserve(h->srv, cert, cl, (const char *)(r->body ? r->body : (uint8_t *)""),
                        r->len, &res);
        }
        return send_result(c, r, &res);
    }
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
        return send_json(c, r, 405, "{\"error\":\"method-not-allowed\",\"detail\":\"GET or POST\"}");
    return get_route(c, r, h->srv, url);
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
    srv_http_t *h = cls;
    req_t *r = *con_cls;

    (void)toe;
    conn_restart(h, c);
    if (r == NULL)
        return;
    log_line(r->method, r);
    bodies_give(h, r->cap);
    free(r->body);
    free(r);
    *con_cls = NULL;
}

/* Stops the clock, then the daemon (which closes every connection). */
static void http_free(srv_http_t *h)
{
    if (h->clock_started) {
        pthread_mutex_lock(&h->conns_mu);
        h->stop = 1;
        pthread_cond_signal(&h->conns_cv);
        pthread_mutex_unlock(&h->conns_mu);
        pthread_join(h->clock, NULL);
    }
    if (h->d != NULL)
        MHD_stop_daemon(h->d);
    pthread_cond_destroy(&h->conns_cv);
    pthread_mutex_destroy(&h->conns_mu);
    pthread_mutex_destroy(&h->bodies_mu);
    free(h);
}

int srv_http_start(srv_t *srv, const char *host, uint16_t port, const srv_http_limits_t *lim,
                   srv_http_t **out, char *why, size_t whylen)
{
    unsigned per_address = lim && lim->per_address ? lim->per_address : SRV_PER_ADDRESS;
    unsigned idle_s = lim && lim->idle_s ? lim->idle_s : SRV_IDLE_S;
    unsigned connections = lim && lim->connections ? lim->connections : SRV_CONNECTIONS;
    struct rlimit nofile;
    struct sockaddr_in sa;
    const union MHD_DaemonInfo *di;
    srv_http_t *h;

    *out = NULL;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    if (inet_pton(AF_INET, host, &sa.sin_addr) != 1)
        return bn_fail(why, whylen, BN_EINVAL, "%s: not an IPv4 address", host);
    /* (SRV-N2) a descriptor for each connection, and some for the store and
     * the logs: the soft limit raised to fit, within the hard one; fewer
     * connections if it cannot be, said in the log */
    if (getrlimit(RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur < connections + 64u) {
        nofile.rlim_cur = nofile.rlim_max == RLIM_INFINITY || nofile.rlim_max > connections + 64u
                              ? connections + 64u
                              : nofile.rlim_max;
        (void)setrlimit(RLIMIT_NOFILE, &nofile);
        if (getrlimit(RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur < connections + 64u) {
            unsigned fit = nofile.rlim_cur > 128 ? (unsigned)nofile.rlim_cur - 64u : 64u;
            fprintf(stderr, "borne-server: %u connections asked, %u fit the open files limit "
                    "(%llu; LimitNOFILE in the unit)\n", connections, fit,
                    (unsigned long long)nofile.rlim_cur);
            connections = fit;
        }
    }
    h = calloc(1, sizeof *h);
    if (h == NULL)
        return BN_ENOMEM;
    h->srv = srv;
    h->request_s = lim && lim->request_s ? lim->request_s : SRV_REQUEST_S;
    h->body_max = lim && lim->body_max && lim->body_max < SRV_BODY_MAX ? lim->body_max
                                                                       : SRV_BODY_MAX;
    h->bodies_budget = lim && lim->bodies_budget ? lim->bodies_budget : SRV_BODIES_BUDGET;
    pthread_mutex_init(&h->bodies_mu, NULL);
    pthread_mutex_init(&h->conns_mu, NULL);
    pthread_cond_init(&h->conns_cv, NULL);
    if (pthread_create(&h->clock, NULL, request_clock, h) != 0) {
        http_free(h);
        return bn_fail(why, whylen, BN_ENOMEM, "cannot start the request clock");
    }
    h->clock_started = 1;
    h->d = MHD_start_daemon(
        MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL |
            MHD_USE_TLS | MHD_USE_ERROR_LOG,
        port, NULL, NULL, handler, h,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
        MHD_OPTION_HTTPS_MEM_KEY, srv_tls_key(srv),
        MHD_OPTION_HTTPS_MEM_CERT, srv_tls_cert(srv),
        MHD_OPTION_HTTPS_MEM_TRUST, srv_tls_ca(srv),
        /* (SRV-N2) TLS 1.2 or later; no address holds more than
         * SRV_PER_ADDRESS connections; an idle connection (headers or body
         * not coming) is closed after SRV_IDLE_S seconds */
        MHD_OPTION_HTTPS_PRIORITIES, "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2",
        MHD_OPTION_CONNECTION_TIMEOUT, idle_s,
        MHD_OPTION_CONNECTION_LIMIT, connections,
        MHD_OPTION_THREAD_STACK_SIZE, SRV_THREAD_STACK,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, per_address,
        MHD_OPTION_NOTIFY_COMPLETED, completed, h,
        MHD_OPTION_NOTIFY_CONNECTION, notify_conn, h,
        MHD_OPTION_END);
    if (h->d == NULL) {
        http_free(h);
        return bn_fail(why, whylen, BN_EIO, "cannot serve HTTPS on %s:%u (address in use, or"
                       " the TLS key or certificate is refused)", host, (unsigned)port);
    }
    di = MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_BIND_PORT);
    h->port = di != NULL ? di->port : port;
    *out = h;
    return 0;
}

uint16_t srv_http_port(const srv_http_t *h)
{
    return h->port;
}

void srv_http_stop(srv_http_t *h)
{
    if (h == NULL)
        return;
    http_free(h);
}
