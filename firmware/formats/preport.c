/* preport.c - zero and closing reports as signed text (preport.h). */
#include "preport.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mbedtls/asn1.h>
#include <mbedtls/bignum.h>

#include "ballot.h"
#include "bn_err.h"
#include "day.h"
#include "hex.h"
#include "petition.h"
#include "report.h"

/* --- the text, grown as it is written ---------------------------------- */

typedef struct buf_s {
    char *p;
    size_t n, cap;
    int oom;
} buf_t;

static void put(buf_t *b, const char *fmt, ...)
{
    va_list ap;
    int k;

    for (;;) {
        size_t room = b->cap - b->n;
        va_start(ap, fmt);
        k = vsnprintf(b->p != NULL ? b->p + b->n : NULL, b->p != NULL ? room : 0, fmt, ap);
        va_end(ap);
        if (k < 0) {
            b->oom = 1;
            return;
        }
        if (b->p != NULL && (size_t)k < room) {
            b->n += (size_t)k;
            return;
        }
        {
            size_t cap = b->cap ? b->cap * 2 : 1024;
            char *p;
            while (cap - b->n <= (size_t)k)
                cap *= 2;
            if ((p = realloc(b->p, cap)) == NULL) {
                b->oom = 1;
                return;
            }
            b->p = p;
            b->cap = cap;
        }
    }
}

static void put_hex(buf_t *b, const char *name, const uint8_t *v, size_t n)
{
    char h[2 * 64 + 1];

    hex_encode(v, n, h);
    put(b, "%s: %s\n", name, h);
}

/* --- counting from the store -------------------------------------------- */

typedef struct acc_s {
    const pkg_t *p;
    int petition;
    uint8_t *h;                    /* item hashes, for the set digest */
    size_t n, cap;
    uint64_t reg[PREPORT_MAX_DAYS], items[PREPORT_MAX_DAYS];
    int bad;                       /* an item or entry outside the polls, or undecodable */
} acc_t;

static int day_index(const acc_t *c, uint32_t day)
{
    if (day < c->p->opens || day > c->p->closes || day - c->p->opens >= PREPORT_MAX_DAYS)
        return -1;
    return (int)(day - c->p->opens);
}

static int on_reg(void *arg, uint32_t day)
{
    acc_t *c = arg;
    int i = day_index(c, day);

    if (i < 0)
        c->bad = 1;
    else
        c->reg[i]++;
    return 0;
}

static int on_item(void *arg, const uint8_t *item, size_t len)
{
    acc_t *c = arg;
    uint32_t day = 0;
    int i;

    if (c->petition) {
        petition_t r;
        if (petition_decode(item, len, &r, NULL, 0) == 0)
            day = r.day;
    } else {
        ballot_t b;
        if (ballot_decode(item, len, &b, NULL, 0) == 0)
            day = b.day;
    }
    if ((i = day_index(c, day)) < 0)
        c->bad = 1;
    else
        c->items[i]++;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 1024;
        uint8_t *h = realloc(c->h, cap * 32);
        if (h == NULL)
            return BN_ENOMEM;
        c->h = h;
        c->cap = cap;
    }
    key_sha256(item, len, c->h + 32 * c->n++);
    return 0;
}

static void fmt_time(int64_t s, char out[20])
{
    char d[DAY_TEXT_LEN + 1];
    int64_t sec = s % 86400;

    if (sec < 0)
        sec += 86400;
    day_format((uint32_t)((s - sec) / 86400), d);
    snprintf(out, 20, "%sT%02d:%02d:%02d", d, (int)(sec / 3600), (int)(sec / 60 % 60),
             (int)(sec % 60));
}

int preport_make(store_t *s, const preport_in_t *in, char **text, size_t *len,
                 uint8_t sig[PREPORT_SIG_MAX], size_t *siglen, uint8_t digest[32], char *why,
                 size_t whylen)
{
    acc_t *c = NULL;
    buf_t b = {NULL, 0, 0, 0};
    uint8_t set[32], head[32], raw[KEY_SIG_LEN];
    int64_t entries = 0;
    uint64_t reg = 0, items = 0;
    char d0[DAY_TEXT_LEN + 1], d1[DAY_TEXT_LEN + 1], made[20];
    const char *noun;
    int rc, i;

    *text = NULL;
    if (s == NULL || in == NULL || in->pkg == NULL || in->signer == NULL || in->kiosk == NULL ||
        in->commune == NULL || in->agent1 == NULL || in->agent2 == NULL)
        return BN_EINVAL;
    if ((c = calloc(1, sizeof *c)) == NULL)
        return bn_fail(why, whylen, BN_ENOMEM, "report: out of memory");
    c->p = in->pkg;
    c->petition = in->pkg->kind == PKG_PETITION;
    noun = c->petition ? "signatures" : "ballots";
    /* (PREPORT-R1) the store alone: entries, items, the audit chain */
    rc = store_register_days(s, in->pkg->id, on_reg, c);
    if (rc == 0)
        rc = c->petition ? store_each_signature(s, in->pkg->id, on_item, c)
                         : store_each_ballot(s, in->pkg->id, on_item, c);
    if (rc != 0) {
        rc = bn_fail(why, whylen, rc, "store: %s", bn_strerror(rc));
        goto out;
    }
    if (c->bad) {
        rc = bn_fail(why, whylen, BN_ECORRUPT, "the store holds an entry or a %s dated outside "
                     "the polls, or one that does not decode", noun);
        goto out;
    }
    for (i = 0; i < PREPORT_MAX_DAYS; i++) {
        reg += c->reg[i];
        items += c->items[i];
    }
    if (!in->closing && (reg != 0 || items != 0)) {
        rc = bn_fail(why, whylen, BN_EEXISTS, "a zero report certifies an empty box: %s holds "
                     "%llu register entries and %llu %s", in->pkg->id, (unsigned long long)reg,
                     (unsigned long long)items, noun);
        goto out;
    }
    report_set_digest(c->h, c->n, set);
    if ((rc = store_audit_verify(s, head, &entries, why, whylen)) != 0)
        goto out;

    day_format(in->pkg->opens, d0);
    day_format(in->pkg->closes, d1);
    fmt_time(in->made_s, made);
    put(&b, "%s\n", PREPORT_MAGIC);
    put(&b, "kind: %s\n", in->closing ? "closing" : "zero");
    put(&b, "kiosk: %s\n", in->kiosk);
    put_hex(&b, "kiosk-key", in->signer->pub.id, KEY_ID_LEN);
    put(&b, "commune: %s\n", in->commune);
    put(&b, "campaign: %s\n", in->pkg->id);
    put_hex(&b, "package", in->pkg->digest, 32);
    put(&b, "polls: %s %s\n", d0, d1);
    put(&b, "made: %s\n", made);
    put(&b, "agents: %s %s\n", in->agent1, in->agent2);
    put(&b, "register: %llu\n", (unsigned long long)reg);
    put(&b, "%s: %llu\n", noun, (unsigned long long)items);
    for (i = 0; in->closing && i < PREPORT_MAX_DAYS; i++) {
        char d[DAY_TEXT_LEN + 1];
        if (c->reg[i] == 0 && c->items[i] == 0)
            continue;
        day_format(in->pkg->opens + (uint32_t)i, d);
        put(&b, "day: %s register %llu %s %llu\n", d, (unsigned long long)c->reg[i], noun,
            (unsigned long long)c->items[i]);
    }
    put_hex(&b, "set", set, 32);
    put_hex(&b, "audit-head", head, 32);
    put(&b, "audit-entries: %lld\n", (long long)entries);
    if (b.oom) {
        rc = bn_fail(why, whylen, BN_ENOMEM, "report: out of memory");
        goto out;
    }
    key_sha256(b.p, b.n, digest);
    if ((rc = in->signer->sign(in->signer->ctx, digest, raw)) != 0 ||
        (rc = key_sig_to_der(raw, sig, PREPORT_SIG_MAX, siglen)) != 0) {
        rc = bn_fail(why, whylen, rc, "signing: %s", bn_strerror(rc));
        goto out;
    }
    *text = b.p;
    *len = b.n;
    b.p = NULL;
out:
    free(b.p);
    if (c != NULL)
        free(c->h);
    free(c);
    return rc;
}

/* --- reading back --------------------------------------------------------- */

/* The next line of text (without its LF) into line; 0 at the end. */
static int next_line(const char **p, const char *end, char *line, size_t cap)
{
    const char *nl;
    size_t n;

    if (*p >= end)
        return 0;
    nl = memchr(*p, '\n', (size_t)(end - *p));
    if (nl == NULL)
        return -1; /* every line ends with LF */
    n = (size_t)(nl - *p);
    if (n >= cap)
        return -1;
    memcpy(line, *p, n);
    line[n] = '\0';
    *p = nl + 1;
    return 1;
}

static int parse_u64(const char *s, uint64_t *out)
{
    char *end;
    unsigned long long v;

    if (*s < '0' || *s > '9' || (s[0] == '0' && s[1] != '\0'))
        return -1;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno != 0 || *end != '\0' || v > REPORT_COUNT_MAX)
        return -1;
    *out = v;
    return 0;
}

static int parse_hex32(const char *s, uint8_t *out)
{
    return strlen(s) == 64 && hex_decode(s, 64, out, 32) == 0 ? 0 : -1;
}

static int token_ok(const char *s, size_t max)
{
    size_t n = strlen(s), i;

    if (n == 0 || n > max)
        return 0;
    for (i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-' ||
              s[i] == '_' || s[i] == '.' || (s[i] >= 'A' && s[i] <= 'Z')))
            return 0;
    return 1;
}

int preport_parse(const char *text, size_t len, preport_t *out, char *why, size_t whylen)
{
    static const char *const names[] = {"kind", "kiosk", "kiosk-key", "commune", "campaign",
                                        "package", "polls", "made", "agents", "register",
                                        NULL};
    const char *p = text, *end = text + len;
    char line[512], *v;
    uint64_t reg = 0, items = 0;
    int n = 1, i, r;

    memset(out, 0, sizeof *out);
    if (next_line(&p, end, line, sizeof line) != 1 || strcmp(line, PREPORT_MAGIC) != 0)
        return bn_fail(why, whylen, BN_EFORMAT, "line 1: expected \"%s\"", PREPORT_MAGIC);
    for (i = 0; names[i] != NULL; i++) {
        size_t k = strlen(names[i]);
        n++;
        if (next_line(&p, end, line, sizeof line) != 1 || strncmp(line, names[i], k) != 0 ||
            line[k] != ':' || line[k + 1] != ' ')
            return bn_fail(why, whylen, BN_EFORMAT, "line %d: expected \"%s: \"", n, names[i]);
        v = line + k + 2;
        r = 0;
        switch (i) {
        case 0:
            r = strcmp(v, "zero") == 0 ? 0 : strcmp(v, "closing") == 0 ? 1 : -1;
            out->closing = r == 1;
            r = r < 0 ? -1 : 0;
            break;
        case 1:
            r = token_ok(v, sizeof out->kiosk - 1) ? 0 : -1;
            snprintf(out->kiosk, sizeof out->kiosk, "%.*s", (int)sizeof out->kiosk - 1, v);
            break;
        case 2:
            r = parse_hex32(v, out->kiosk_key);
            break;
        case 3:
            r = strlen(v) == 5 ? 0 : -1;
            snprintf(out->commune, sizeof out->commune, "%.5s", v);
            break;
        case 4:
            r = token_ok(v, PKG_ID_MAX) ? 0 : -1;
            snprintf(out->campaign, sizeof out->campaign, "%.*s", (int)sizeof out->campaign - 1, v);
            break;
        case 5:
            r = parse_hex32(v, out->package);
            break;
        case 6: {
            char a[16], b[16];
            r = sscanf(v, "%15s %15s", a, b) == 2 && strlen(v) == 21 &&
                        day_parse(a, &out->opens) == 0 && day_parse(b, &out->closes) == 0 &&
                        out->opens <= out->closes
                    ? 0
                    : -1;
            break;
        }
        case 7:
            r = strlen(v) == 19 && v[10] == 'T' ? 0 : -1;
            if (r == 0)
                memcpy(out->made, v, 20);
            break;
        case 8: {
            char *sp = strchr(v, ' ');
            r = -1;
            if (sp != NULL) {
                *sp = '\0';
                if (token_ok(v, 32) && token_ok(sp + 1, 32) && strcmp(v, sp + 1) != 0) {
                    snprintf(out->agents[0], sizeof out->agents[0], "%s", v);
                    snprintf(out->agents[1], sizeof out->agents[1], "%s", sp + 1);
                    r = 0;
                }
            }
            break;
        }
        case 9:
            r = parse_u64(v, &out->registered);
            break;
        }
        if (r != 0)
            return bn_fail(why, whylen, BN_EFORMAT, "line %d: %s: bad value \"%.64s\"", n,
                           names[i], v);
    }
    n++;
    if (next_line(&p, end, line, sizeof line) != 1)
        return bn_fail(why, whylen, BN_EFORMAT, "line %d: expected \"ballots: \"", n);
    if (strncmp(line, "ballots: ", 9) == 0) {
        r = parse_u64(line + 9, &out->items);
    } else if (strncmp(line, "signatures: ", 12) == 0) {
        out->petition = 1;
        r = parse_u64(line + 12, &out->items);
    } else {
        r = -1;
    }
    if (r != 0)
        return bn_fail(why, whylen, BN_EFORMAT, "line %d: expected \"ballots: N\" or "
                       "\"signatures: N\"", n);
    for (;;) {
        n++;
        if (next_line(&p, end, line, sizeof line) != 1)
            return bn_fail(why, whylen, BN_EFORMAT, "line %d: expected \"set: \"", n);
        if (strncmp(line, "day: ", 5) != 0)
            break;
        {
            preport_day_t *d = &out->days[out->n_days];
            char ds[16], rs[24], is[24], noun[16];
            if (!out->closing || out->n_days >= PREPORT_MAX_DAYS ||
                sscanf(line + 5, "%15s register %23s %15s %23s", ds, rs, noun, is) != 4 ||
                day_parse(ds, &d->day) != 0 || parse_u64(rs, &d->registered) != 0 ||
                parse_u64(is, &d->items) != 0 ||
                strcmp(noun, out->petition ? "signatures" : "ballots") != 0 ||
                d->day < out->opens || d->day > out->closes ||
                (out->n_days > 0 && d->day <= out->days[out->n_days - 1].day))
                return bn_fail(why, whylen, BN_EFORMAT, "line %d: bad day line \"%.80s\"", n,
                               line);
            reg += d->registered;
            items += d->items;
            out->n_days++;
        }
    }
    if (out->closing && (reg != out->registered || items != out->items))
        return bn_fail(why, whylen, BN_EFORMAT, "line %d: the days sum to %llu entries and "
                       "%llu items, the totals say %llu and %llu", n, (unsigned long long)reg,
                       (unsigned long long)items, (unsigned long long)out->registered,
                       (unsigned long long)out->items);
    if (!out->closing && (out->registered != 0 || out->items != 0))
        return bn_fail(why, whylen, BN_EFORMAT, "a zero report with entries");
    if (strncmp(line, "set: ", 5) != 0 || parse_hex32(line + 5, out->set) != 0)
        return bn_fail(why, whylen, BN_EFORMAT, "line %d: expected \"set: HEX\"", n);
    n++;
    if (next_line(&p, end, line, sizeof line) != 1 || strncmp(line, "audit-head: ", 12) != 0 ||
        parse_hex32(line + 12, out->audit_head) != 0)
        return bn_fail(why, whylen, BN_EFORMAT, "line %d: expected \"audit-head: HEX\"", n);
    n++;
    if (next_line(&p, end, line, sizeof line) != 1 || strncmp(line, "audit-entries: ", 15) != 0 ||
        parse_u64(line + 15, &out->audit_entries) != 0)
        return bn_fail(why, whylen, BN_EFORMAT, "line %d: expected \"audit-entries: N\"", n);
    if (p != end)
        return bn_fail(why, whylen, BN_EFORMAT, "line %d: text after the last line", n + 1);
    return 0;
}

/* DER SEQUENCE { INTEGER r, INTEGER s } -> r || s; -1 if it is not that. */
static int der_to_raw(const uint8_t *der, size_t len, uint8_t raw[KEY_SIG_LEN])
{
    unsigned char *p = (unsigned char *)der, *end = p + len;
    size_t n;
    mbedtls_mpi r, s;
    int rc = -1;

    mbedtls_mpi_init(&r);
    mbedtls_mpi_init(&s);
    if (mbedtls_asn1_get_tag(&p, end, &n, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE) ==
            0 &&
        p + n == end && mbedtls_asn1_get_mpi(&p, end, &r) == 0 &&
        mbedtls_asn1_get_mpi(&p, end, &s) == 0 && p == end &&
        mbedtls_mpi_write_binary(&r, raw, 32) == 0 && mbedtls_mpi_write_binary(&s, raw + 32, 32) == 0)
        rc = 0;
    mbedtls_mpi_free(&r);
    mbedtls_mpi_free(&s);
    return rc;
}

int preport_verify(const char *text, size_t len, const uint8_t *sig, size_t siglen,
                   const key_pub_t *kiosk, char *why, size_t whylen)
{
    preport_t *r = malloc(sizeof *r);
    uint8_t raw[KEY_SIG_LEN];
    int rc;

    if (r == NULL)
        return bn_fail(why, whylen, BN_ENOMEM, "out of memory");
    if ((rc = preport_parse(text, len, r, why, whylen)) == 0) {
        if (memcmp(r->kiosk_key, kiosk->id, KEY_ID_LEN) != 0)
            rc = bn_fail(why, whylen, BN_EWRONGKEY, "the report names another kiosk key");
        else if (der_to_raw(sig, siglen, raw) != 0 || key_verify_msg(kiosk, text, len, raw) != 0)
            rc = bn_fail(why, whylen, BN_EBADSIG, "the signature does not verify");
    }
    free(r);
    return rc;
}

static int write_file(const char *path, const void *data, size_t len, char *why, size_t whylen)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644), rc = 0;
    const uint8_t *p = data;

    if (fd < 0)
        return bn_fail(why, whylen, BN_EIO, "%s: %s", path, strerror(errno));
    while (len > 0) {
        ssize_t k = write(fd, p, len);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            rc = bn_fail(why, whylen, errno == ENOSPC ? BN_EFULL : BN_EIO, "%s: %s", path,
                         strerror(k < 0 ? errno : EIO));
            break;
        }
        p += k;
        len -= (size_t)k;
    }
    if (rc == 0 && fsync(fd) != 0)
        rc = bn_fail(why, whylen, errno == ENOSPC ? BN_EFULL : BN_EIO, "%s: %s", path,
                     strerror(errno));
    if (close(fd) != 0 && rc == 0)
        rc = bn_fail(why, whylen, BN_EIO, "%s: %s", path, strerror(errno));
    return rc;
}

int preport_write(const char *dir, const char *name, const char *text, size_t len,
                  const uint8_t *sig, size_t siglen, char *why, size_t whylen)
{
    char path[1200];
    int rc;

    snprintf(path, sizeof path, "%s/%s.txt", dir, name);
    if ((rc = write_file(path, text, len, why, whylen)) != 0)
        return rc;
    snprintf(path, sizeof path, "%s/%s.sig", dir, name);
    return write_file(path, sig, siglen, why, whylen);
}
