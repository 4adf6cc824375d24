/* http.c - strict HTTP/1.1 responses and request heads (http.h). */
#include "http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bn_err.h"

enum { ST_HEAD, ST_BODY, ST_CHUNK_SIZE, ST_CHUNK_DATA, ST_CHUNK_CRLF, ST_TRAILER, ST_DONE, ST_ERR };

static int is_tchar(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/* field-value / reason-phrase characters: HTAB, SP, VCHAR, obs-text */
static int is_vchar(int c)
{
    return c == '\t' || (c >= 0x20 && c != 0x7f);
}

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int ieq(const char *a, const char *b)
{
    while (*a != '\0' && lower((unsigned char)*a) == lower((unsigned char)*b)) {
        a++;
        b++;
    }
    return *a == '\0' && *b == '\0';
}

void http_resp_init(http_resp_t *r, size_t max_body)
{
    memset(r, 0, sizeof *r);
    r->max_body = max_body;
    r->state = ST_HEAD;
}

void http_resp_free(http_resp_t *r)
{
    if (r == NULL)
        return;
    free(r->body);
    r->body = NULL;
    r->body_len = 0;
    r->body_cap = 0;
}

const char *http_header(const http_resp_t *r, const char *name)
{
    int i;

    for (i = 0; i < r->n_headers; i++)
        if (ieq(r->headers[i].name, name))
            return r->headers[i].value;
    return NULL;
}

/* Grows the body buffer to hold `more` bytes (and a NUL). */
static int body_reserve(http_resp_t *r, size_t more)
{
    size_t need = r->body_len + more + 1, cap = r->body_cap * 2;
    uint8_t *nb;

    if (need <= r->body_cap)
        return 0;
    if (cap > r->max_body + 1)
        cap = r->max_body + 1;
    if (cap < need)
        cap = need;
    nb = realloc(r->body, cap);
    if (nb == NULL)
        return BN_ENOMEM;
    r->body = nb;
    r->body_cap = cap;
    return 0;
}

/* Checks "name: value" in place (NUL-terminated line); fills *h. */
static int header_line(char *line, http_header_t *h, char *why, size_t whylen)
{
    char *p = line, *v, *end;

    if (*p == ' ' || *p == '\t')
        return bn_fail(why, whylen, BN_EFORMAT, "header line folded (obs-fold)");
    while (is_tchar((unsigned char)*p))
        p++;
    if (p == line)
        return bn_fail(why, whylen, BN_EFORMAT, "header line without a name");
    if (*p != ':')
        return bn_fail(why, whylen, BN_EFORMAT, "header %.40s: bad character 0x%02x in the name",
                       line, (unsigned char)*p);
    *p = '\0';
    v = p + 1;
    for (p = v; *p != '\0'; p++)
        if (!is_vchar((unsigned char)*p))
            return bn_fail(why, whylen, BN_EFORMAT, "header %.40s: control character 0x%02x",
                           line, (unsigned char)*p);
    while (*v == ' ' || *v == '\t')
        v++;
    end = v + strlen(v);
    while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
        *--end = '\0';
    if (h != NULL) {
        h->name = line;
        h->value = v;
    }
    return 0;
}

/* Parses the complete head (r->head, ending with CRLF CRLF). */
static int parse_head(http_resp_t *r, char *why, size_t whylen)
{
    char *p = r->head, *eol, *s;
    const char *cl = NULL, *te = NULL;
    uint64_t n = 0;
    int i, rc;

    /* status line */
    eol = strstr(p, "\r\n");
    *eol = '\0';
    if (strncmp(p, "HTTP/1.1 ", 9) != 0 && strncmp(p, "HTTP/1.0 ", 9) != 0)
        return bn_fail(why, whylen, BN_EFORMAT, "status line: not HTTP/1.1 or HTTP/1.0: %.40s", p);
    s = p + 9;
    if (s[0] < '1' || s[0] > '9' || s[1] < '0' || s[1] > '9' || s[2] < '0' || s[2] > '9' ||
        s[3] != ' ')
        return bn_fail(why, whylen, BN_EFORMAT, "status line: bad status code: %.40s", p);
    r->status = (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
    if (r->status < 200 || r->status > 599)
        return bn_fail(why, whylen, BN_EFORMAT, "status line: status %d not accepted", r->status);
    r->reason = s + 4;
    for (s += 4; *s != '\0'; s++)
        if (!is_vchar((unsigned char)*s))
            return bn_fail(why, whylen, BN_EFORMAT, "status line: control character 0x%02x",
                           (unsigned char)*s);
    /* header lines, up to the empty line */
    for (p = eol + 2; *p != '\r'; p = eol + 2) {
        eol = strstr(p, "\r\n");
        *eol = '\0';
        if (r->n_headers == HTTP_MAX_HEADERS)
            return bn_fail(why, whylen, BN_ETOOBIG, "more than %d headers", HTTP_MAX_HEADERS);
        if ((rc = header_line(p, &r->headers[r->n_headers], why, whylen)) != 0)
            return rc;
        r->n_headers++;
    }
    for (i = 0; i < r->n_headers; i++) {
        const char *name = r->headers[i].name, *v = r->headers[i].value;
        if (ieq(name, "content-length")) {
            if (cl != NULL && strcmp(cl, v) != 0)
                return bn_fail(why, whylen, BN_EFORMAT,
                               "Content-Length repeated with %.20s and %.20s",
                               cl, v);
            cl = v;
        } else if (ieq(name, "transfer-encoding")) {
            if (te != NULL)
                return bn_fail(why, whylen, BN_EFORMAT, "Transfer-Encoding repeated");
            te = v;
        }
    }
    if (cl != NULL && te != NULL)
        return bn_fail(why, whylen, BN_EFORMAT, "both Content-Length and Transfer-Encoding");
    if (te != NULL) {
        if (!ieq(te, "chunked"))
            return bn_fail(why, whylen, BN_EFORMAT,
                           "Transfer-Encoding %.40s: only chunked is accepted",
                           te);
        r->chunked = 1;
        r->state = ST_CHUNK_SIZE;
        return 0;
    }
    if (r->status == 204 || r->status == 304) {
        if (cl != NULL && strcmp(cl, "0") != 0)
            return bn_fail(why, whylen, BN_EFORMAT,
                           "status %d with Content-Length %.20s", r->status, cl);
        r->state = ST_DONE;
        return 0;
    }
    if (cl == NULL)
        return bn_fail(why, whylen, BN_EFORMAT,
                       "neither Content-Length nor chunked: body not delimited");
    if (*cl == '\0')
        return bn_fail(why, whylen, BN_EFORMAT, "Content-Length is empty");
    for (s = (char *)cl; *s != '\0'; s++) {
        if (*s < '0' || *s > '9')
            return bn_fail(why, whylen, BN_EFORMAT,
                           "Content-Length %.20s: not a decimal number", cl);
        if (n > (UINT64_MAX - 9) / 10)
            return bn_fail(why, whylen, BN_ETOOBIG, "Content-Length %.20s: too large", cl);
        n = n * 10 + (uint64_t)(*s - '0');
    }
    if (n > r->max_body)
        return bn_fail(why, whylen, BN_ETOOBIG, "Content-Length %llu over the limit of %zu bytes",
                       (unsigned long long)n, r->max_body);
    if ((rc = body_reserve(r, (size_t)n)) != 0)
        return rc;
    r->remaining = n;
    r->state = n == 0 ? ST_DONE : ST_BODY;
    return 0;
}

/* Parses a complete chunk-size line (NUL-terminated, without CRLF). */
static int chunk_size(http_resp_t *r, char *why, size_t whylen)
{
    const char *p = r->line;
    uint64_t n = 0;
    int d = 0;

    for (; *p != '\0' && *p != ';'; p++, d++) {
        int c = lower((unsigned char)*p), v;
        if (c >= '0' && c <= '9')
            v = c - '0';
        else if (c >= 'a' && c <= 'f')
            v = c - 'a' + 10;
        else
            return bn_fail(why, whylen, BN_EFORMAT,
                           "chunk size %.40s: bad character 0x%02x", r->line,
                           (unsigned char)*p);
        if (d == 16)
            return bn_fail(why, whylen, BN_EFORMAT,
                           "chunk size %.40s: more than 16 digits", r->line);
        n = n * 16 + (uint64_t)v;
    }
    if (d == 0)
        return bn_fail(why, whylen, BN_EFORMAT, "chunk size line without a size: %.40s", r->line);
    for (; *p != '\0'; p++)
        if (!is_vchar((unsigned char)*p))
            return bn_fail(why, whylen, BN_EFORMAT, "chunk extension: control character 0x%02x",
                           (unsigned char)*p);
    if (n == 0) {
        r->state = ST_TRAILER;
        return 0;
    }
    if (n > r->max_body - r->body_len)
        return bn_fail(why, whylen, BN_ETOOBIG,
                       "chunk of %llu bytes: body over the limit of %zu bytes",
                       (unsigned long long)n, r->max_body);
    r->remaining = n;
    r->state = ST_CHUNK_DATA;
    return body_reserve(r, (size_t)n);
}

/* Accumulates a CRLF-terminated line into r->line; 1 when complete. */
static int line_byte(http_resp_t *r, uint8_t c, const char *what, char *why, size_t whylen)
{
    if (r->line_len > 0 && r->line[r->line_len - 1] == '\r') {
        if (c != '\n')
            return bn_fail(why, whylen, BN_EFORMAT, "%s: CR without LF", what);
        r->line[r->line_len - 1] = '\0';
        r->line_len--;
        return 1;
    }
    if (c == '\n')
        return bn_fail(why, whylen, BN_EFORMAT, "%s: bare LF line end", what);
    if (c == '\0')
        return bn_fail(why, whylen, BN_EFORMAT, "%s: NUL byte", what);
    if (r->line_len == HTTP_MAX_CHUNK_LINE)
        return bn_fail(why, whylen, BN_ETOOBIG,
                       "%s: line over %d bytes", what, HTTP_MAX_CHUNK_LINE);
    r->line[r->line_len++] = (char)c;
    return 0;
}

static int feed(http_resp_t *r, const uint8_t *d, size_t len, size_t *used, char *why,
                size_t whylen)
{
    size_t i = 0;
    int rc;

    while (i < len && r->state != ST_DONE) {
        uint8_t c = d[i];
        switch (r->state) {
        case ST_HEAD:
            if (c == '\n' && (r->head_len == 0 || r->head[r->head_len - 1] != '\r'))
                return bn_fail(why, whylen, BN_EFORMAT, "bare LF line end in the head");
            if (r->head_len > 0 && r->head[r->head_len - 1] == '\r' && c != '\n')
                return bn_fail(why, whylen, BN_EFORMAT, "CR without LF in the head");
            if (c == '\0')
                return bn_fail(why, whylen, BN_EFORMAT, "NUL byte in the head");
            if (r->head_len == HTTP_MAX_HEAD)
                return bn_fail(why, whylen, BN_ETOOBIG, "head over %d bytes", HTTP_MAX_HEAD);
            r->head[r->head_len++] = (char)c;
            i++;
            if (r->head_len == 2 && memcmp(r->head, "\r\n", 2) == 0)
                return bn_fail(why, whylen, BN_EFORMAT, "empty status line");
            if (r->head_len >= 4 && memcmp(r->head + r->head_len - 4, "\r\n\r\n", 4) == 0) {
                r->head[r->head_len] = '\0';
                if ((rc = parse_head(r, why, whylen)) != 0)
                    return rc;
            }
            break;
        case ST_BODY:
        case ST_CHUNK_DATA: {
            size_t n = len - i;
            if (n > r->remaining)
                n = (size_t)r->remaining;
            memcpy(r->body + r->body_len, d + i, n);
            r->body_len += n;
            r->remaining -= n;
            i += n;
            if (r->remaining == 0) {
                r->state = r->state == ST_BODY ? ST_DONE : ST_CHUNK_CRLF;
                r->line_len = 0;
            }
            break;
        }
        case ST_CHUNK_SIZE:
            rc = line_byte(r, c, "chunk size line", why, whylen);
            i++;
            if (rc < 0)
                return rc;
            if (rc == 1) {
                r->line_len = 0;
                if ((rc = chunk_size(r, why, whylen)) != 0)
                    return rc;
            }
            break;
        case ST_CHUNK_CRLF:
            if (c != (r->line_len == 0 ? '\r' : '\n'))
                return bn_fail(why, whylen, BN_EFORMAT, "chunk data not followed by CRLF");
            i++;
            if (++r->line_len == 2) {
                r->line_len = 0;
                r->state = ST_CHUNK_SIZE;
            }
            break;
        case ST_TRAILER:
            if (++r->trailer_len > HTTP_MAX_TRAILER)
                return bn_fail(why, whylen, BN_ETOOBIG, "trailers over %d bytes", HTTP_MAX_TRAILER);
            rc = line_byte(r, c, "trailer", why, whylen);
            i++;
            if (rc < 0)
                return rc;
            if (rc == 1) {
                if (r->line_len == 0) {
                    r->state = ST_DONE;
                } else if ((rc = header_line(r->line, NULL, why, whylen)) != 0) {
                    return rc;
                }
                r->line_len = 0;
            }
            break;
        default:
            return BN_EINVAL;
        }
    }
    *used = i;
    if (r->state == ST_DONE) {
        if (r->body != NULL)
            r->body[r->body_len] = 0;
        return 1;
    }
    return 0;
}

int http_resp_feed(http_resp_t *r, const uint8_t *data, size_t len, size_t *used,
                   char *why, size_t whylen)
{
    size_t u = 0;
    int rc;

    if (r->state == ST_ERR)
        return bn_fail(why, whylen, r->err, "response already refused");
    rc = feed(r, data, len, &u, why, whylen);
    if (used != NULL)
        *used = u;
    if (rc < 0) {
        r->state = ST_ERR;
        r->err = rc;  /* for later calls */
    }
    return rc;
}

int http_resp_eof(const http_resp_t *r, char *why, size_t whylen)
{
    static const char *const where[] = {"in the head", "in the body", "in a chunk size",
                                        "in a chunk", "after a chunk", "in the trailers"};

    if (r->state == ST_DONE)
        return 0;
    if (r->state == ST_ERR)
        return bn_fail(why, whylen, BN_EFORMAT, "response was refused");
    return bn_fail(why, whylen, BN_EFORMAT, "truncated %s (connection closed)", where[r->state]);
}

int http_parse(const uint8_t *buf, size_t len, size_t max_body, http_resp_t *r,
               char *why, size_t whylen)
{
    size_t used = 0;
    int rc;

    http_resp_init(r, max_body);
    rc = http_resp_feed(r, buf, len, &used, why, whylen);
    if (rc == 0)
        rc = http_resp_eof(r, why, whylen);
    else if (rc == 1 && used != len)
        rc = bn_fail(why, whylen, BN_EFORMAT,
                     "%zu bytes after the end of the response", len - used);
    else if (rc == 1)
        rc = 0;
    if (rc != 0)
        http_resp_free(r);
    return rc;
}

static int visible(const char *s, int allow_empty)
{
    if (*s == '\0')
        return allow_empty;
    for (; *s != '\0'; s++)
        if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f)
            return 0;
    return 1;
}

int http_request(char *out, size_t cap, size_t *len, const char *method, const char *host,
                 unsigned port, const char *path, const char *content_type, size_t body_len,
                 char *why, size_t whylen)
{
    char hostport[300], extra[200] = "";
    const char *m;
    int n;

    if (method == NULL || *method == '\0')
        return bn_fail(why, whylen, BN_EINVAL, "method is empty");
    for (m = method; *m != '\0'; m++)
        if (*m < 'A' || *m > 'Z')
            return bn_fail(why, whylen, BN_EINVAL, "method %.20s: upper-case letters only", method);
    if (path == NULL || path[0] != '/' || !visible(path, 0))
        return bn_fail(why, whylen, BN_EINVAL, "path must start with / and be visible ASCII");
    if (host == NULL || !visible(host, 0) || strlen(host) > 253 || port > 65535)
        return bn_fail(why, whylen, BN_EINVAL, "bad host name or port");
    if (content_type != NULL && (!visible(content_type, 0) || strlen(content_type) > 100))
        return bn_fail(why, whylen, BN_EINVAL, "bad content type");
    if (port == 0 || port == 443)
        snprintf(hostport, sizeof hostport, "%s", host);
    else
        snprintf(hostport, sizeof hostport, "%s:%u", host, port);
    if (content_type != NULL || body_len > 0) {
        n = snprintf(extra, sizeof extra, "%s%s%sContent-Length: %zu\r\n",
                     content_type ? "Content-Type: " : "", content_type ? content_type : "",
                     content_type ? "\r\n" : "", body_len);
        if (n < 0 || (size_t)n >= sizeof extra)
            return bn_fail(why, whylen, BN_EINVAL, "content type too long");
    }
    n = snprintf(out, cap, "%s %s HTTP/1.1\r\nHost: %s\r\n%sConnection: close\r\n\r\n", method,
                 path, hostport, extra);
    if (n < 0 || (size_t)n >= cap)
        return bn_fail(why, whylen, BN_ETOOBIG, "request head over %zu bytes", cap);
    *len = (size_t)n;
    return 0;
}
