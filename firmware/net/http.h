/* http.h - the sync client's HTTP/1.1: a strict response parser (whole
 * buffer or incremental feed) and a request head writer.
 *
 * The kiosk talks to one server (borne-server) and accepts only what a
 * well-behaved HTTP/1.1 server sends; anything else is refused with
 * BN_EFORMAT (or BN_ETOOBIG past a limit) and the reason in `why`:
 *   - status line "HTTP/1.1 DDD reason" or "HTTP/1.0 ...", CRLF line ends
 *     only (a bare LF is refused), status 200..599 (1xx is refused: the
 *     client never sends Expect);
 *   - header lines "name: value", name a token directly followed by ':',
 *     value of visible characters, spaces and tabs; no obs-fold (a line
 *     starting with a space or tab); at most HTTP_MAX_HEADERS headers and
 *     HTTP_MAX_HEAD bytes of status line and headers; names compared
 *     case-insensitively;
 *   - the body is delimited by Content-Length (digits only; repeated only
 *     with the same value) or by "Transfer-Encoding: chunked" (the only
 *     coding accepted), never both, never by closing the connection (204
 *     and 304 have no body);
 *   - chunk sizes are 1..16 hex digits without sign or spaces, optional
 *     chunk extensions within the line limit, each chunk followed by CRLF;
 *     trailers are read and dropped, at most HTTP_MAX_TRAILER bytes;
 *   - the body is at most the caller's max_body bytes (BN_ETOOBIG as soon
 *     as Content-Length or a chunk size says it would be more). */
#ifndef HTTP_H
#define HTTP_H

#include <stddef.h>
#include <stdint.h>

#define HTTP_MAX_HEAD 16384      /* status line + headers, with the CRLFs */
#define HTTP_MAX_HEADERS 64
#define HTTP_MAX_CHUNK_LINE 256  /* chunk-size line, extensions included */
#define HTTP_MAX_TRAILER 4096

typedef struct http_header_s {
    const char *name;            /* NUL-terminated, into the response's head */
    const char *value;           /* without leading and trailing spaces */
} http_header_t;

typedef struct http_resp_s {
    /* results, valid once http_resp_feed returned 1 (status and headers as
     * soon as the head is complete) */
    int status;
    const char *reason;
    http_header_t headers[HTTP_MAX_HEADERS];
    int n_headers;
    uint8_t *body;               /* malloc'd, NUL after its end; owned */
    size_t body_len;
    /* parser state (private) */
    size_t max_body;
    int state;
    char head[HTTP_MAX_HEAD + 1];
    size_t head_len;
    int chunked;
    uint64_t remaining;          /* bytes left of the body or of this chunk */
    char line[HTTP_MAX_CHUNK_LINE + 1];
    size_t line_len;
    size_t trailer_len;
    size_t body_cap;
    int err;                     /* the error once refused */
} http_resp_t;

/* Prepares r for a response whose body is at most max_body bytes. */
void http_resp_init(http_resp_t *r, size_t max_body);

/* Feeds the next len bytes: returns 1 when the response is complete (*used
 * says how many bytes of this call it took; the rest belongs to nobody),
 * 0 when it needs more (all bytes used), or BN_EFORMAT / BN_ETOOBIG /
 * BN_ENOMEM with the reason in `why`. After an error or completion, further
 * calls return the same result. */
int http_resp_feed(http_resp_t *r, const uint8_t *data, size_t len, size_t *used,
                   char *why, size_t whylen);

/* The connection ended: 0 if the response was complete, else BN_EFORMAT
 * ("truncated ..."). */
int http_resp_eof(const http_resp_t *r, char *why, size_t whylen);

/* Parses one complete response held in buf (nothing may follow it). */
int http_parse(const uint8_t *buf, size_t len, size_t max_body, http_resp_t *r,
               char *why, size_t whylen);

/* The value of the first header called `name` (any case), or NULL. */
const char *http_header(const http_resp_t *r, const char *name);

/* Frees the body; the struct may be reused after http_resp_init. */
void http_resp_free(http_resp_t *r);

/* Writes a request head into out[cap] (NUL-terminated, *len without it):
 *   METHOD PATH HTTP/1.1, Host (host, and ":port" unless port is 0 or 443),
 *   Content-Type (when not NULL), Content-Length (when content_type is not
 *   NULL or body_len > 0), Connection: close, then the empty line.
 * Method: upper-case letters; path: starts with '/', visible ASCII only;
 * host and content type: visible ASCII. BN_EINVAL otherwise, BN_ETOOBIG if
 * it does not fit. */
int http_request(char *out, size_t cap, size_t *len, const char *method, const char *host,
                 unsigned port, const char *path, const char *content_type, size_t body_len,
                 char *why, size_t whylen);

#endif
