/* test_http.c - the sync client's strict HTTP/1.1 (http.h): data-driven
 * valid and broken responses, each fed whole, byte by byte and split at
 * every offset (the incremental parser must agree with itself), the body
 * and header limits, and the request writer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bn_err.h"
#include "http.h"

typedef struct tcase_s {
    const char *name;
    const char *resp;
    int rc;                      /* 0, BN_EFORMAT, BN_ETOOBIG */
    int status;
    const char *body;            /* expected body when rc == 0 */
    const char *why;             /* a piece of the reason when rc != 0 */
} tcase_t;

#define MAXB 64

static const tcase_t cases[] = {
    {"content-length", "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5\r\n\r\nhello",
     0, 200, "hello", NULL},
    {"http/1.0", "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok", 0, 200, "ok", NULL},
    {"empty reason", "HTTP/1.1 404 \r\nContent-Length: 0\r\n\r\n", 0, 404, "", NULL},
    {"case-insensitive names", "HTTP/1.1 200 OK\r\ncOnTeNt-LeNgTh:3\r\n\r\nabc", 0, 200, "abc", NULL},
    {"spaces around value", "HTTP/1.1 200 OK\r\nContent-Length: \t3 \t\r\n\r\nabc", 0, 200, "abc", NULL},
    {"same length twice", "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc", 0, 200,
     "abc", NULL},
    {"chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n",
     0, 200, "hello world", NULL},
    {"chunked upper hex", "HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\n\r\nA\r\n0123456789\r\n0\r\n\r\n",
     0, 200, "0123456789", NULL},
    {"chunk extension and trailer",
     "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n0\r\nX-Sum: 1\r\n\r\n", 0, 200,
     "abc", NULL},
    {"chunked empty", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 0, 200, "", NULL},
    {"204 no body", "HTTP/1.1 204 No Content\r\n\r\n", 0, 204, "", NULL},
    {"body at the limit", "HTTP/1.1 200 OK\r\nContent-Length: 64\r\n\r\n"
                          "0123456789012345678901234567890123456789012345678901234567890123",
     0, 200, "0123456789012345678901234567890123456789012345678901234567890123", NULL},
    {"obs-text in reason", "HTTP/1.1 200 \xc3\xa9t\xc3\xa9\r\nContent-Length: 0\r\n\r\n", 0, 200, "", NULL},

    {"empty", "", BN_EFORMAT, 0, NULL, "truncated in the head"},
    {"no status line", "\r\n\r\n", BN_EFORMAT, 0, NULL, "empty status line"},
    {"http/2", "HTTP/2 200 OK\r\nContent-Length: 0\r\n\r\n", BN_EFORMAT, 0, NULL, "not HTTP/1.1"},
    {"lower-case version", "http/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", BN_EFORMAT, 0, NULL, "status line"},
    {"two-digit status", "HTTP/1.1 20 OK\r\nContent-Length: 0\r\n\r\n", BN_EFORMAT, 0, NULL, "status code"},
    {"status without space", "HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n", BN_EFORMAT, 0, NULL, "status code"},
    {"1xx", "HTTP/1.1 100 Continue\r\n\r\n", BN_EFORMAT, 0, NULL, "not accepted"},
    {"status 600", "HTTP/1.1 600 X\r\nContent-Length: 0\r\n\r\n", BN_EFORMAT, 0, NULL, "not accepted"},
    {"bare LF", "HTTP/1.1 200 OK\nContent-Length: 0\n\n", BN_EFORMAT, 0, NULL, "bare LF"},
    {"CR alone", "HTTP/1.1 200 OK\rContent-Length: 0\r\n\r\n", BN_EFORMAT, 0, NULL, "CR without LF"},
    {"NUL in head", "HTTP/1.1 200 O\0K\r\nContent-Length: 0\r\n\r\n", BN_EFORMAT, 0, NULL, "NUL"},
    {"control in reason", "HTTP/1.1 200 O\x01K\r\nContent-Length: 0\r\n\r\n", BN_EFORMAT, 0, NULL, "control"},
    {"obs-fold", "HTTP/1.1 200 OK\r\nX-A: b\r\n c\r\nContent-Length: 0\r\n\r\n", BN_EFORMAT, 0, NULL,
     "obs-fold"},
    {"space before colon", "HTTP/1.1 200 OK\r\nContent-Length : 0\r\n\r\n", BN_EFORMAT, 0, NULL, "in the name"},
    {"no colon", "HTTP/1.1 200 OK\r\nContent-Length\r\n\r\n", BN_EFORMAT, 0, NULL, "in the name"},
    {"empty name", "HTTP/1.1 200 OK\r\n: x\r\nContent-Length: 0\r\n\r\n", BN_EFORMAT, 0, NULL, "without a name"},
    {"control in value", "HTTP/1.1 200 OK\r\nX-A: \x7f\r\nContent-Length: 0\r\n\r\n", BN_EFORMAT, 0, NULL,
     "control"},
    {"no length", "HTTP/1.1 200 OK\r\n\r\nabc", BN_EFORMAT, 0, NULL, "not delimited"},
    {"negative length", "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", BN_EFORMAT, 0, NULL, "decimal"},
    {"plus length", "HTTP/1.1 200 OK\r\nContent-Length: +1\r\n\r\nx", BN_EFORMAT, 0, NULL, "decimal"},
    {"hex length", "HTTP/1.1 200 OK\r\nContent-Length: 0x1\r\n\r\nx", BN_EFORMAT, 0, NULL, "decimal"},
    {"list length", "HTTP/1.1 200 OK\r\nContent-Length: 1, 1\r\n\r\nx", BN_EFORMAT, 0, NULL, "decimal"},
    {"empty length", "HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n", BN_EFORMAT, 0, NULL, "empty"},
    {"two lengths", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nxy", BN_EFORMAT, 0, NULL,
     "repeated"},
    {"huge length", "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\n", BN_ETOOBIG, 0, NULL,
     "too large"},
    {"over the limit", "HTTP/1.1 200 OK\r\nContent-Length: 65\r\n\r\n", BN_ETOOBIG, 0, NULL, "over the limit"},
    {"short body", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nabc", BN_EFORMAT, 0, NULL, "truncated in the body"},
    {"bytes after", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nab", BN_EFORMAT, 0, NULL, "after the end"},
    {"truncated head", "HTTP/1.1 200 OK\r\nContent-Len", BN_EFORMAT, 0, NULL, "truncated in the head"},
    {"204 with body", "HTTP/1.1 204 No\r\nContent-Length: 3\r\n\r\nabc", BN_EFORMAT, 0, NULL, "status 204"},
    {"length and chunked",
     "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", BN_EFORMAT, 0,
     NULL, "both"},
    {"gzip", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", BN_EFORMAT, 0, NULL,
     "only chunked"},
    {"two encodings", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
     BN_EFORMAT, 0, NULL, "repeated"},
    {"chunk size space", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n 3\r\nabc\r\n0\r\n\r\n",
     BN_EFORMAT, 0, NULL, "bad character"},
    {"chunk size sign", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-3\r\nabc\r\n0\r\n\r\n",
     BN_EFORMAT, 0, NULL, "bad character"},
    {"chunk size 0x", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0x3\r\nabc\r\n0\r\n\r\n",
     BN_EFORMAT, 0, NULL, "bad character"},
    {"chunk size empty", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\r\nabc\r\n0\r\n\r\n",
     BN_EFORMAT, 0, NULL, "without a size"},
    {"chunk size 17 digits",
     "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n00000000000000003\r\nabc\r\n0\r\n\r\n", BN_EFORMAT,
     0, NULL, "16 digits"},
    {"chunk over the limit", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n41\r\n", BN_ETOOBIG, 0, NULL,
     "over the limit"},
    {"chunks over the limit",
     "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n20\r\n01234567890123456789012345678901\r\n"
     "20\r\n01234567890123456789012345678901\r\n1\r\n",
     BN_ETOOBIG, 0, NULL, "over the limit"},
    {"chunk huge", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffff\r\n", BN_ETOOBIG, 0,
     NULL, "over the limit"},
    {"chunk longer than said", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n",
     BN_EFORMAT, 0, NULL, "not followed by CRLF"},
    {"chunk bare LF", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\nabc\r\n0\r\n\r\n", BN_EFORMAT,
     0, NULL, "bare LF"},
    {"chunk size line too long",
     "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;"
     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\r\nabc\r\n0\r\n\r\n",
     BN_ETOOBIG, 0, NULL, "line over"},
    {"no last chunk", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n", BN_EFORMAT, 0, NULL,
     "truncated in a chunk size"},
    {"no final CRLF", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n", BN_EFORMAT, 0,
     NULL, "truncated in the trailers"},
    {"bad trailer", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX Y: 1\r\n\r\n", BN_EFORMAT, 0,
     NULL, "in the name"},
    {"folded trailer", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: 1\r\n 2\r\n\r\n",
     BN_EFORMAT, 0, NULL, "obs-fold"},
};

static size_t case_len(const tcase_t *t)
{
    /* "NUL in head" holds a NUL: its length is that of the literal */
    if (strcmp(t->name, "NUL in head") == 0)
        return sizeof "HTTP/1.1 200 O\0K\r\nContent-Length: 0\r\n\r\n" - 1;
    return strlen(t->resp);
}

static void check(const tcase_t *t, int rc, const http_resp_t *r, const char *why, const char *how)
{
    if (rc != t->rc)
        fail_msg("%s (%s): rc %d, expected %d (%s)", t->name, how, rc, t->rc, why);
    if (rc == 0) {
        if (r->status != t->status || r->body_len != strlen(t->body) ||
            (r->body_len > 0 && memcmp(r->body, t->body, r->body_len) != 0))
            fail_msg("%s (%s): status %d body %zu bytes", t->name, how, r->status, r->body_len);
    } else if (strstr(why, t->why) == NULL) {
        fail_msg("%s (%s): reason \"%s\" lacks \"%s\"", t->name, how, why, t->why);
    }
}

/* Feeds in pieces: the first `split` bytes, then the rest in steps of `step`. */
static int feed_split(const uint8_t *d, size_t len, size_t split, size_t step, http_resp_t *r,
                      char *why, size_t whylen)
{
    size_t off = 0, used, n;
    int rc = 0;

    http_resp_init(r, MAXB);
    while (off < len) {
        n = off == 0 ? split : step;
        if (n == 0 || n > len - off)
            n = len - off;
        rc = http_resp_feed(r, d + off, n, &used, why, whylen);
        if (rc < 0)
            return rc;
        if (rc == 1) {
            if (off + used != len)
                return bn_fail(why, whylen, BN_EFORMAT, "%zu bytes after the end", len - off - used);
            return 0;
        }
        assert_int_equal(used, n);
        off += n;
    }
    return http_resp_eof(r, why, whylen);
}

static void test_cases(void **state)
{
    size_t i, split, len;
    char why[256];
    http_resp_t *r = malloc(sizeof *r);
    int rc;

    (void)state;
    assert_non_null(r);
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const tcase_t *t = &cases[i];
        const uint8_t *d = (const uint8_t *)t->resp;
        len = case_len(t);
        why[0] = '\0';
        rc = http_parse(d, len, MAXB, r, why, sizeof why);
        check(t, rc, r, why, "whole");
        http_resp_free(r);
        why[0] = '\0';
        rc = feed_split(d, len, 1, 1, r, why, sizeof why);
        check(t, rc, r, why, "byte by byte");
        http_resp_free(r);
        for (split = 1; split < len; split++) {
            why[0] = '\0';
            rc = feed_split(d, len, split, 0, r, why, sizeof why);
            check(t, rc, r, why, "split");
            http_resp_free(r);
        }
    }
    free(r);
}

static void test_headers(void **state)
{
    const char *resp = "HTTP/1.1 422 Unprocessable\r\nContent-Type: application/json\r\n"
                       "X-Empty:\r\nContent-Length: 2\r\n\r\n{}";
    http_resp_t *r = malloc(sizeof *r);

    (void)state;
    assert_int_equal(http_parse((const uint8_t *)resp, strlen(resp), MAXB, r, NULL, 0), 0);
    assert_int_equal(r->status, 422);
    assert_string_equal(r->reason, "Unprocessable");
    assert_string_equal(http_header(r, "content-type"), "application/json");
    assert_string_equal(http_header(r, "X-EMPTY"), "");
    assert_null(http_header(r, "Content"));
    assert_string_equal((const char *)r->body, "{}");  /* NUL-terminated */
    http_resp_free(r);
    http_resp_free(r);  /* twice is harmless */
    free(r);
}

/* Head and header-count limits; the same error again after a refusal. */
static void test_limits(void **state)
{
    size_t cap = 2 * HTTP_MAX_HEAD, n, used;
    char *big = malloc(cap), why[200];
    http_resp_t *r = malloc(sizeof *r);
    int i;

    (void)state;
    n = (size_t)snprintf(big, cap, "HTTP/1.1 200 OK\r\n");
    for (i = 0; i <= HTTP_MAX_HEADERS; i++)
        n += (size_t)snprintf(big + n, cap - n, "X-%d: v\r\n", i);
    n += (size_t)snprintf(big + n, cap - n, "Content-Length: 0\r\n\r\n");
    assert_int_equal(http_parse((uint8_t *)big, n, MAXB, r, why, sizeof why), BN_ETOOBIG);
    assert_non_null(strstr(why, "headers"));
    n = (size_t)snprintf(big, cap, "HTTP/1.1 200 OK\r\nX-Long: ");
    memset(big + n, 'a', HTTP_MAX_HEAD);
    n += HTTP_MAX_HEAD;
    http_resp_init(r, MAXB);
    assert_int_equal(http_resp_feed(r, (uint8_t *)big, n, &used, why, sizeof why), BN_ETOOBIG);
    assert_non_null(strstr(why, "head over"));
    assert_int_equal(http_resp_feed(r, (uint8_t *)"x", 1, &used, why, sizeof why), BN_ETOOBIG);
    assert_int_equal(http_resp_eof(r, why, sizeof why), BN_EFORMAT);
    http_resp_free(r);
    /* a large body within a large limit arrives whole, in pieces */
    n = (size_t)snprintf(big, cap, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1000\r\n");
    memset(big + n, 'z', 4096);
    n += 4096;
    n += (size_t)snprintf(big + n, cap - n, "\r\n0\r\n\r\n");
    assert_int_equal(http_parse((uint8_t *)big, n, 4096, r, why, sizeof why), 0);
    assert_int_equal(r->body_len, 4096);
    assert_int_equal(r->body[4095], 'z');
    http_resp_free(r);
    assert_int_equal(http_parse((uint8_t *)big, n, 4095, r, why, sizeof why), BN_ETOOBIG);
    free(r);
    free(big);
}

static void test_request(void **state)
{
    char out[512], why[200];
    size_t len;

    (void)state;
    assert_int_equal(http_request(out, sizeof out, &len, "POST", "localhost", 8443, "/v1/bundles",
                                  "application/octet-stream", 1234, why, sizeof why), 0);
    assert_string_equal(out, "POST /v1/bundles HTTP/1.1\r\nHost: localhost:8443\r\n"
                             "Content-Type: application/octet-stream\r\nContent-Length: 1234\r\n"
                             "Connection: close\r\n\r\n");
    assert_int_equal(len, strlen(out));
    assert_int_equal(http_request(out, sizeof out, &len, "GET", "srv.example", 443, "/v1/revocations",
                                  NULL, 0, why, sizeof why), 0);
    assert_string_equal(out, "GET /v1/revocations HTTP/1.1\r\nHost: srv.example\r\n"
                             "Connection: close\r\n\r\n");
    /* refused: what would split a line or the request */
    assert_int_equal(http_request(out, sizeof out, &len, "get", "h", 1, "/", NULL, 0, why, sizeof why),
                     BN_EINVAL);
    assert_int_equal(http_request(out, sizeof out, &len, "GET", "h", 1, "v1", NULL, 0, why, sizeof why),
                     BN_EINVAL);
    assert_int_equal(http_request(out, sizeof out, &len, "GET", "h", 1, "/a b", NULL, 0, why, sizeof why),
                     BN_EINVAL);
    assert_int_equal(http_request(out, sizeof out, &len, "GET", "h\r\nX: y", 1, "/", NULL, 0, why,
                                  sizeof why), BN_EINVAL);
    assert_int_equal(http_request(out, sizeof out, &len, "POST", "h", 1, "/", "text/plain\r\nX: y", 1,
                                  why, sizeof why), BN_EINVAL);
    assert_int_equal(http_request(out, 20, &len, "GET", "h", 1, "/", NULL, 0, why, sizeof why),
                     BN_ETOOBIG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_headers),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_request),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
