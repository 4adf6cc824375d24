/* admin.c - borne-admin: the département's provisioning tool.
 *
 * One program, commands grouped by what they act on (authority, campaign,
 * ...). Each command explains itself (--help), prints what it did in words
 * (or JSON with --json), and on a refusal says what is wrong and where, on
 * standard error, with one of the exit codes below. Secrets never come from
 * the command line: the passphrase is asked on the terminal, or read from a
 * file descriptor or a file for scripts. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <dirent.h>

#include <cjson/cJSON.h>
#include <mbedtls/platform_util.h>

#include "bn_err.h"
#include "bundle.h"
#include "cert.h"
#include "day.h"
#include "harden.h"
#include "hex.h"
#include "idea.h"
#include "pkg.h"
#include "prov_auth.h"
#include "prov_campaign.h"
#include "prov_file.h"
#include "prov_kiosk.h"
#include "rng.h"

/* Exit codes (every command's --help lists them). */
#define EX_OK 0
#define EX_REFUSED 1   /* the input is wrong: the message says what and where */
#define EX_USAGE 2     /* the command line is wrong */
#define EX_SYSTEM 3    /* a file cannot be read or written, memory, randomness */

#define EXIT_CODES                                                                    \
    "exit codes: 0 done; 1 refused (the message says what is wrong and where);\n"     \
    "            2 wrong command line; 3 a file could not be read or written\n"

#define PASS_HELP                                                                     \
    "  --passphrase-fd N     read the passphrase from file descriptor N (scripts)\n"  \
    "  --passphrase-file F   read it from the first line of file F\n"                 \
    "  (otherwise it is asked on the terminal, without echo)\n"

typedef struct opts_s {
    int json;
    int pass_fd;
    const char *pass_file;
    const char *out;
    const char *name;
    const char *auth;
    const char *host, *address, *server, *id, *commune, *role, *controller;
    long port, days;
    int pin_fd;
    uint32_t today, from, until, since;
} opts_t;

static int code_of(int rc)
{
    return rc == BN_EIO || rc == BN_ENOMEM || rc == BN_ERNG ? EX_SYSTEM : EX_REFUSED;
}

static int fail(int rc, const char *fmt, ...)
{
    va_list ap;

    fputs("borne-admin: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return code_of(rc);
}

/* --- passphrases ------------------------------------------------------------------- */

static int read_line_fd(int fd, char *buf, size_t cap)
{
    size_t n = 0;
    char ch;

    for (;;) {
        ssize_t r = read(fd, &ch, 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0 || ch == '\n')
            break;
        if (n + 1 < cap)
            buf[n++] = ch;
    }
    if (n > 0 && buf[n - 1] == '\r')
        n--;
    buf[n] = '\0';
    return n > 0 ? 0 : -1;
}

static int ask_tty(const char *prompt, char *buf, size_t cap)
{
    struct termios old, quiet;
    int fd = open("/dev/tty", O_RDWR | O_CLOEXEC), rc;

    if (fd < 0)
        return -1;
    if (tcgetattr(fd, &old) != 0) {
        close(fd);
        return -1;
    }
    quiet = old;
    quiet.c_lflag &= ~(tcflag_t)ECHO;
    (void)!write(fd, prompt, strlen(prompt));
    tcsetattr(fd, TCSANOW, &quiet);
    rc = read_line_fd(fd, buf, cap);
    tcsetattr(fd, TCSANOW, &old);
    (void)!write(fd, "\n", 1);
    close(fd);
    return rc;
}

/* The passphrase, from --passphrase-fd, --passphrase-file or the terminal
 * (asked twice when `confirm`). 0, or an exit code after a message. */
static int get_pass(const opts_t *o, int confirm, char *buf, size_t cap)
{
    char again[256];
    int rc = 0;

    if (o->pass_fd >= 0) {
        if (read_line_fd(o->pass_fd, buf, cap) != 0)
            return fail(BN_EINVAL, "no passphrase on file descriptor %d", o->pass_fd);
        return 0;
    }
    if (o->pass_file != NULL) {
        int fd = open(o->pass_file, O_RDONLY | O_CLOEXEC);

        if (fd < 0)
            return fail(BN_EIO, "%s: cannot be read (%s)", o->pass_file, strerror(errno));
        rc = read_line_fd(fd, buf, cap);
        close(fd);
        return rc == 0 ? 0 : fail(BN_EINVAL, "%s: no passphrase on its first line", o->pass_file);
    }
    if (ask_tty("Authority passphrase: ", buf, cap) != 0)
        return fail(BN_EINVAL, "no passphrase: run this on a terminal, or give "
                               "--passphrase-fd N or --passphrase-file F");
    if (confirm) {
        if (ask_tty("The same passphrase again: ", again, sizeof again) != 0 ||
            strcmp(again, buf) != 0)
            rc = fail(BN_EINVAL, "the two passphrases differ: nothing was made");
        mbedtls_platform_zeroize(again, sizeof again);
    }
    return rc;
}

/* --- options ------------------------------------------------------------------------- */

enum { O_JSON = 256, O_PASS_FD, O_PASS_FILE, O_TODAY, O_FROM, O_UNTIL, O_NAME, O_AUTH, O_OUT,
       O_HOST, O_ADDRESS, O_PORT, O_SERVER, O_ID, O_DAYS, O_COMMUNE, O_ROLE, O_PIN_FD, O_SINCE,
       O_CONTROLLER };

static const struct option long_opts[] = {
    {"json", no_argument, NULL, O_JSON},
    {"passphrase-fd", required_argument, NULL, O_PASS_FD},
    {"passphrase-file", required_argument, NULL, O_PASS_FILE},
    {"today", required_argument, NULL, O_TODAY},
    {"from", required_argument, NULL, O_FROM},
    {"until", required_argument, NULL, O_UNTIL},
    {"name", required_argument, NULL, O_NAME},
    {"authority", required_argument, NULL, O_AUTH},
    {"out", required_argument, NULL, O_OUT},
    {"host", required_argument, NULL, O_HOST},
    {"address", required_argument, NULL, O_ADDRESS},
    {"port", required_argument, NULL, O_PORT},
    {"server", required_argument, NULL, O_SERVER},
    {"id", required_argument, NULL, O_ID},
    {"days", required_argument, NULL, O_DAYS},
    {"commune", required_argument, NULL, O_COMMUNE},
    {"role", required_argument, NULL, O_ROLE},
    {"pin-fd", required_argument, NULL, O_PIN_FD},
    {"since", required_argument, NULL, O_SINCE},
    {"controller", required_argument, NULL, O_CONTROLLER},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static int parse_day(const char *opt, const char *v, uint32_t *out)
{
    if (day_parse(v, out) != 0) {
        fprintf(stderr, "borne-admin: %s: \"%s\" is not a date YYYY-MM-DD\n", opt, v);
        return -1;
    }
    return 0;
}

/* Parses the options after "GROUP COMMAND"; leaves the operands at
 * argv[optind..]. 0, 1 for --help, or -1 after a message. */
static int parse_opts(int argc, char **argv, opts_t *o)
{
    int c;

    memset(o, 0, sizeof *o);
    o->pass_fd = -1;
    o->pin_fd = -1;
    o->today = day_today();
    optind = 1;
    while ((c = getopt_long(argc, argv, "ho:", long_opts, NULL)) != -1) {
        switch (c) {
        case O_JSON: o->json = 1; break;
        case O_PASS_FD: {
            char *end;
            long fd = strtol(optarg, &end, 10);
            if (*end != '\0' || fd < 0 || fd > 1024) {
                fprintf(stderr, "borne-admin: --passphrase-fd: \"%s\" is not a file "
                                "descriptor\n", optarg);
                return -1;
            }
            o->pass_fd = (int)fd;
            break;
        }
        case O_PASS_FILE: o->pass_file = optarg; break;
        case O_TODAY: if (parse_day("--today", optarg, &o->today) != 0) return -1; break;
        case O_FROM: if (parse_day("--from", optarg, &o->from) != 0) return -1; break;
        case O_UNTIL: if (parse_day("--until", optarg, &o->until) != 0) return -1; break;
        case O_NAME: o->name = optarg; break;
        case O_AUTH: o->auth = optarg; break;
        case 'o': case O_OUT: o->out = optarg; break;
        case O_HOST: o->host = optarg; break;
        case O_ADDRESS: o->address = optarg; break;
        case O_SERVER: o->server = optarg; break;
        case O_ID: o->id = optarg; break;
        case O_COMMUNE: o->commune = optarg; break;
        case O_ROLE: o->role = optarg; break;
        case O_SINCE: if (parse_day("--since", optarg, &o->since) != 0) return -1; break;
        case O_CONTROLLER: o->controller = optarg; break;
        case O_PORT: case O_DAYS: case O_PIN_FD: {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end != '\0' || v < 0 || v > 65535) {
                fprintf(stderr, "borne-admin: %s: \"%s\" is not a number from 0 to 65535\n",
                        c == O_PORT ? "--port" : c == O_DAYS ? "--days" : "--pin-fd", optarg);
                return -1;
            }
            if (c == O_PORT) o->port = v; else if (c == O_DAYS) o->days = v; else o->pin_fd = (int)v;
            break;
        }
        case 'h': return 1;
        default: return -1;
        }
    }
    return 0;
}

/* --- authority ----------------------------------------------------------------------- */

static const char help_auth_init[] =
    "usage: borne-admin authority init DIR [--name NAME] [--from DATE] [--until DATE]\n"
    "                                      [--passphrase-fd N | --passphrase-file F]\n"
    "Makes the authority of a campaign's département in DIR (created, mode 0700): an\n"
    "ECDSA P-256 key encrypted with a passphrase (PBKDF2-HMAC-SHA256, 600,000\n"
    "iterations; AES-256-GCM) and its self-signed CA certificate, files mode 0600.\n"
    "Keep DIR on an offline machine or a removable disk; keep the passphrase apart.\n"
    "  --name NAME    the certificate's name (default: borne-authority)\n"
    "  --from DATE    first day of validity (default: today)\n"
    "  --until DATE   last day (default: five years on)\n"
    PASS_HELP EXIT_CODES;

static const char help_auth_show[] =
    "usage: borne-admin authority show DIR [--json]\n"
    "Prints the authority's name, validity and fingerprint: read the fingerprint\n"
    "aloud to whoever installs a kiosk, and have them compare it with the one the\n"
    "kiosk prints when it pins the authority (borne --enroll --authority FILE).\n" EXIT_CODES;

static void print_authority(const char *dir, const uint8_t *der, size_t len, int json)
{
    char fpr[CERT_FPR_LEN], hexd[65], d1[11] = "?", d2[11] = "?";
    uint8_t digest[32];
    cert_info_t info;
    char inner[128];

    memset(&info, 0, sizeof info);
    cert_fingerprint(der, len, fpr);
    key_sha256(der, len, digest);
    hex_encode(digest, 32, hexd);
    if (cert_verify(der, len, der, len, day_today(), CERT_AUTHORITY, NULL, &info, inner,
                    sizeof inner) == 0) {
        day_format(info.not_before, d1);
        day_format(info.not_after, d2);
    }
    if (json) {
        printf("{\"dir\": \"%s\", \"name\": \"%s\", \"valid_from\": \"%s\", \"valid_until\": "
               "\"%s\", \"fingerprint\": \"%s\", \"sha256\": \"%s\"}\n",
               dir, info.name, d1, d2, fpr, hexd);
        return;
    }
    printf("authority    %s (%s)\n", info.name[0] ? info.name : "?", dir);
    printf("valid        %s to %s\n", d1, d2);
    printf("fingerprint  %s\n", fpr);
    printf("sha256       %s\n", hexd);
}

static int cmd_auth_init(int argc, char **argv)
{
    opts_t o;
    rng_t *rng = NULL;
    char pass[256], why[512] = "";
    uint8_t der[CERT_DER_MAX];
    size_t len;
    int rc, ex;

    if ((rc = parse_opts(argc, argv, &o)) != 0 || argc - optind != 1) {
        fputs(help_auth_init, rc == 1 ? stdout : stderr);
        return rc == 1 ? EX_OK : EX_USAGE;
    }
    if (o.from == 0)
        o.from = o.today;
    if (o.until == 0)
        o.until = o.from + 5 * 365;
    if ((ex = get_pass(&o, 1, pass, sizeof pass)) != 0)
        return ex;
    if ((rc = rng_open(&rng)) != 0) {
        ex = fail(rc, "no random generator");
        goto out;
    }
    rc = prov_auth_init(argv[optind], o.name != NULL ? o.name : "borne-authority", pass, rng,
                        o.from, o.until, why, sizeof why);
    if (rc != 0) {
        ex = fail(rc, "authority init: %s", why);
        goto out;
    }
    if ((rc = prov_auth_cert(argv[optind], der, sizeof der, &len, why, sizeof why)) != 0) {
        ex = fail(rc, "%s", why);
        goto out;
    }
    if (!o.json)
        printf("made a new authority in %s (authority.key.enc, authority.crt)\n", argv[optind]);
    print_authority(argv[optind], der, len, o.json);
    ex = EX_OK;
out:
    mbedtls_platform_zeroize(pass, sizeof pass);
    rng_close(rng);
    return ex;
}

static int cmd_auth_show(int argc, char **argv)
{
    opts_t o;
    uint8_t der[CERT_DER_MAX];
    size_t len;
    char why[512] = "";
    int rc;

    if ((rc = parse_opts(argc, argv, &o)) != 0 || argc - optind != 1) {
        fputs(help_auth_show, rc == 1 ? stdout : stderr);
        return rc == 1 ? EX_OK : EX_USAGE;
    }
    if ((rc = prov_auth_cert(argv[optind], der, sizeof der, &len, why, sizeof why)) != 0)
        return fail(rc, "%s", why);
    print_authority(argv[optind], der, len, o.json);
    return EX_OK;
}

/* --- campaign ------------------------------------------------------------------------ */

static const char help_camp_build[] =
    "usage: borne-admin campaign build SRC -o PACKAGE.json [--json]\n"
    "Builds a campaign from its description SRC (JSON, format borne-campaign-source/1)\n"
    "and the files it names: INSEE's commune file, the territory table, the projects\n"
    "spreadsheet (CSV; UTF-8 or Windows-1252; ';' or ','), images. Writes the campaign\n"
    "text, not yet signed (borne-admin campaign sign signs it), and copies the images\n"
    "into images/ beside it. Refuses, naming the file, line and column, whatever would\n"
    "give a wrong campaign. See docs/provisioning.md, \"Campaign description\".\n" EXIT_CODES;

static const char help_camp_sign[] =
    "usage: borne-admin campaign sign PACKAGE.json --authority DIR -o PACKAGE.bpkg\n"
    "                                 [--passphrase-fd N | --passphrase-file F]\n"
    "Signs a built campaign with the authority's key: the signed package that kiosks\n"
    "and the server load. The authority folder keeps a copy, and the campaign's\n"
    "pseudonym secret (made at the first signature, sealed to the authority's key).\n"
    PASS_HELP EXIT_CODES;

static const char help_camp_verify[] =
    "usage: borne-admin campaign verify PACKAGE.bpkg --authority DIR [--today DATE] [--json]\n"
    "Checks a signed package against the authority's certificate: signature, form,\n"
    "fields, and whether DATE (default today) is within its validity.\n" EXIT_CODES;

static const char help_camp_show[] =
    "usage: borne-admin campaign show PACKAGE [--json]\n"
    "A readable summary of a campaign (built or signed; a signature is not checked:\n"
    "campaign verify does that): dates, rule, territories with their envelopes and\n"
    "projects, cantons and communes, the digest.\n" EXIT_CODES;

static int cmd_camp_build(int argc, char **argv)
{
    opts_t o;
    prov_build_t *b = NULL;
    char why[1024] = "", dir[4096];
    int rc, i, ex = EX_OK;

    if ((rc = parse_opts(argc, argv, &o)) != 0 || argc - optind != 1 || o.out == NULL) {
        fputs(help_camp_build, rc == 1 ? stdout : stderr);
        return rc == 1 ? EX_OK : EX_USAGE;
    }
    if ((rc = prov_campaign_build(argv[optind], &b, why, sizeof why)) != 0)
        return fail(rc, "campaign build: %s", why);
    prov_path_dir(o.out, dir, sizeof dir);
    if ((rc = prov_file_write(o.out, b->json, b->len, 0644)) != 0) {
        ex = fail(rc, "%s: cannot be written", o.out);
        goto out;
    }
    if ((rc = prov_campaign_copy_images(b, dir, why, sizeof why)) != 0) {
        ex = fail(rc, "%s", why);
        goto out;
    }
    if (o.json) {
        char dig[65];

        hex_encode(b->pkg->digest, 32, dig);
        printf("{\"package\": \"%s\", \"id\": \"%s\", \"digest\": \"%s\", \"projects\": %d, "
               "\"communes\": %d, \"cantons\": %d, \"images\": %d}\n", o.out, b->pkg->id, dig,
               b->pkg->n_projects, b->pkg->n_communes, b->pkg->n_cantons, b->n_images);
        goto out;
    }
    for (i = 0; i < b->n_notes; i++)
        printf("  %s\n", b->notes[i]);
    printf("built %s: campaign %s, %d projects, %d communes, %d cantons%s (not yet signed)\n",
           o.out, b->pkg->id, b->pkg->n_projects, b->pkg->n_communes, b->pkg->n_cantons,
           b->n_images ? ", images in images/" : "");
out:
    prov_build_free(b);
    return ex;
}

static int cmd_camp_sign(int argc, char **argv)
{
    opts_t o;
    prov_auth_t *a = NULL;
    rng_t *rng = NULL;
    uint8_t *json = NULL;
    char *signed_pkg = NULL, pass[256], why[1024] = "", dig[65];
    size_t len, slen;
    pkg_t *p = NULL;
    int rc, ex;

    if ((rc = parse_opts(argc, argv, &o)) != 0 || argc - optind != 1 || o.out == NULL ||
        o.auth == NULL) {
        fputs(help_camp_sign, rc == 1 ? stdout : stderr);
        return rc == 1 ? EX_OK : EX_USAGE;
    }
    if ((rc = pkg_read_file(argv[optind], &json, &len, why, sizeof why)) != 0)
        return fail(rc, "%s", why);
    if ((rc = pkg_parse((const char *)json, len, &p, why, sizeof why)) != 0) {
        ex = fail(rc, "%s: %s", argv[optind], why);
        goto out;
    }
    if ((ex = get_pass(&o, 0, pass, sizeof pass)) != 0)
        goto out;
    if ((rc = rng_open(&rng)) != 0 ||
        (rc = prov_auth_open(o.auth, pass, rng, &a, why, sizeof why)) != 0) {
        ex = fail(rc, "%s", why);
        goto out;
    }
    if ((rc = pkg_sign((const char *)json, len, &a->signer, &signed_pkg, &slen, why,
                       sizeof why)) != 0) {
        ex = fail(rc, "%s: %s", argv[optind], why);
        goto out;
    }
    if ((rc = prov_file_write(o.out, signed_pkg, slen, 0644)) != 0) {
        ex = fail(rc, "%s: cannot be written", o.out);
        goto out;
    }
    {
        int made = 0;

        if ((rc = prov_campaign_register(a, o.auth, o.out, (const uint8_t *)signed_pkg, slen, rng,
                                         &made, why, sizeof why)) != 0) {
            ex = fail(rc, "%s", why);
            goto out;
        }
        hex_encode(p->digest, 32, dig);
        if (o.json)
            printf("{\"package\": \"%s\", \"id\": \"%s\", \"digest\": \"%s\", "
                   "\"new_secret\": %s}\n", o.out, p->id, dig, made ? "true" : "false");
        else
            printf("signed %s: campaign %s, digest %.16s...\n%s", o.out, p->id, dig,
                   made ? "a new pseudonym secret was made for it in the authority folder\n"
                        : "");
    }
    ex = EX_OK;
out:
    mbedtls_platform_zeroize(pass, sizeof pass);
    prov_auth_close(a);
    rng_close(rng);
    pkg_free(p);
    free(json);
    free(signed_pkg);
    return ex;
}

static int cmd_camp_verify(int argc, char **argv)
{
    opts_t o;
    uint8_t der[CERT_DER_MAX], *file = NULL;
    size_t dlen, len;
    key_pub_t pub;
    pkg_t *p = NULL;
    char why[1024] = "", dig[65];
    int rc, ex = EX_OK;

    if ((rc = parse_opts(argc, argv, &o)) != 0 || argc - optind != 1 || o.auth == NULL) {
        fputs(help_camp_verify, rc == 1 ? stdout : stderr);
        return rc == 1 ? EX_OK : EX_USAGE;
    }
    if ((rc = prov_auth_cert(o.auth, der, sizeof der, &dlen, why, sizeof why)) != 0)
        return fail(rc, "%s", why);
    if ((rc = cert_key(der, dlen, &pub)) != 0)
        return fail(rc, "%s/authority.crt: no P-256 key", o.auth);
    if ((rc = pkg_read_file(argv[optind], &file, &len, why, sizeof why)) != 0)
        return fail(rc, "%s", why);
    if ((rc = pkg_open(file, len, &pub, NULL, o.today, &p, why, sizeof why)) != 0) {
        ex = fail(rc, "%s: refused: %s: %s", argv[optind], bn_strerror(rc), why);
        goto out;
    }
    hex_encode(p->digest, 32, dig);
    if (o.json)
        printf("{\"package\": \"%s\", \"id\": \"%s\", \"digest\": \"%s\", \"verified\": true}\n",
               argv[optind], p->id, dig);
    else
        printf("%s: signed by the authority of %s, campaign %s, digest %.16s...: verified\n",
               argv[optind], o.auth, p->id, dig);
out:
    pkg_free(p);
    free(file);
    return ex;
}

static int cmd_camp_show(int argc, char **argv)
{
    opts_t o;
    uint8_t *file = NULL;
    size_t len;
    pkg_t *p = NULL;
    char why[1024] = "";
    int rc, ex = EX_OK;

    if ((rc = parse_opts(argc, argv, &o)) != 0 || argc - optind != 1) {
        fputs(help_camp_show, rc == 1 ? stdout : stderr);
        return rc == 1 ? EX_OK : EX_USAGE;
    }
    if ((rc = pkg_read_file(argv[optind], &file, &len, why, sizeof why)) != 0)
        return fail(rc, "%s", why);
    /* a signed package: the campaign text is before its trailer */
    if (len > PKG_TRAILER_LEN && memchr(file, 0, len) == NULL &&
        pkg_parse((const char *)file, len, &p, why, sizeof why) != 0)
        len -= PKG_TRAILER_LEN;
    if (p == NULL && (rc = pkg_parse((const char *)file, len, &p, why, sizeof why)) != 0) {
        ex = fail(rc, "%s: %s", argv[optind], why);
        goto out;
    }
    if ((rc = prov_campaign_show(p, o.json, stdout)) != 0)
        ex = fail(rc, "cannot write the summary");
out:
    pkg_free(p);
    free(file);
    return ex;
}

/* --- the server, kiosks, agents ---------------------------------------------------------- */

/* The passphrase, then the authority of --authority. 0 or an exit code. */
static int open_authority(const opts_t *o, rng_t **rng, prov_auth_t **a)
{
    char pass[256], why[1024] = "";
    int rc, ex;

    *rng = NULL;
    *a = NULL;
    if ((ex = get_pass(o, 0, pass, sizeof pass)) != 0)
        return ex;
    if ((rc = rng_open(rng)) != 0)
        ex = fail(rc, "no random generator");
    else if ((rc = prov_auth_open(o->auth, pass, *rng, a, why, sizeof why)) != 0)
        ex = fail(rc, "%s", why);
    mbedtls_platform_zeroize(pass, sizeof pass);
    return ex;
}

static const char help_server_init[] =
    "usage: borne-admin server init DIR --authority AUTH --host NAME [--address IP]\n"
    "                               [--port N] [--passphrase-fd N | --passphrase-file F]\n"
    "Makes the folder borne-server serves (or brings it up to date: run it again after\n"
    "signing a campaign): the server's key (kept if it has one) and its TLS certificate\n"
    "for NAME issued by the authority, the authority's certificate, every signed\n"
    "campaign with its tracking key (never the pseudonym secret), kiosks/ (the\n"
    "enrolled kiosks, filled by kiosk enroll), the revocation list. Then:\n"
    "  borne-server serve --dir DIR\n"
    "  --address IP   where kiosks connect (default 127.0.0.1)\n"
    "  --port N       (default 8443)\n" PASS_HELP EXIT_CODES;

static int cmd_server_init(int argc, char **argv)
{
    opts_t o;
    rng_t *rng = NULL;
    prov_auth_t *a = NULL;
    char why[1024] = "";
    int rc, ex;

    if ((rc = parse_opts(argc, argv, &o)) != 0 || argc - optind != 1 || o.auth == NULL ||
        o.host == NULL) {
        fputs(help_server_init, rc == 1 ? stdout : stderr);
        return rc == 1 ? EX_OK : EX_USAGE;
    }
    if ((ex = open_authority(&o, &rng, &a)) != 0)
        goto out;
    if ((rc = prov_server_init(a, o.auth, argv[optind], o.host,
                               o.address != NULL ? o.address : "127.0.0.1",
                               o.port > 0 ? (unsigned)o.port : 8443, o.today, rng, why,
                               sizeof why)) != 0) {
        ex = fail(rc, "server init: %s", why);
        goto out;
    }
    if (o.json)
        printf("{\"server\": \"%s\", \"host\": \"%s\"}\n", argv[optind], o.host);
    else
        printf("server folder %s ready for %s: borne-server serve --dir %s\n", argv[optind],
               o.host, argv[optind]);
out:
    prov_auth_close(a);
    rng_close(rng);
    return ex;
}

static const char help_kiosk_enroll[] =
    "usage: borne-admin kiosk enroll REQUEST_DIR --authority AUTH --server SRV_DIR\n"
    "                                --id kiosk-INSEE-NN -o BUNDLE_DIR [--days N]\n"
    "                                [--passphrase-fd N | --passphrase-file F]\n"
    "Enrols a kiosk. REQUEST_DIR holds the request the kiosk wrote (borne --enroll):\n"
    "its key stays on the kiosk. Issues its certificate (id kiosk-INSEE-NN: the\n"
    "commune's INSEE code and a number), adds it to the server's enrolled kiosks, and\n"
    "writes the provisioning bundle to BUNDLE_DIR: certificates, the server's address,\n"
    "the campaigns, their secrets sealed to this kiosk's key, the commune's agents,\n"
    "all signed. Import it on the kiosk within N days (default 30):\n"
    "  borne --provision BUNDLE_DIR --state STATE_DIR\n" PASS_HELP EXIT_CODES;

static int cmd_kiosk_enroll(int argc, char **argv)
{
    opts_t o;
    rng_t *rng = NULL;
    prov_auth_t *a = NULL;
    char why[1024] = "";
    int rc, ex;

    if ((rc = parse_opts(argc, argv, &o)) != 0 || argc - optind != 1 || o.auth == NULL ||
        o.server == NULL || o.id == NULL || o.out == NULL) {
        fputs(help_kiosk_enroll, rc == 1 ? stdout : stderr);
        return rc == 1 ? EX_OK : EX_USAGE;
    }
    if ((ex = open_authority(&o, &rng, &a)) != 0)
        goto out;
    if ((rc = prov_kiosk_enroll(a, o.auth, argv[optind], o.server, o.id, o.out, o.today,
                                o.days > 0 ? (uint32_t)o.days : 30, rng, why, sizeof why)) != 0) {
        ex = fail(rc, "kiosk enroll: %s", why);
        goto out;
    }
    if (o.json)
        printf("{\"kiosk\": \"%s\", \"bundle\": \"%s\"}\n", o.id, o.out);
    else
        printf("enrolled %s; its provisioning bundle is in %s\n"
               "on the kiosk: borne --provision %s --state STATE_DIR\n", o.id, o.out, o.out);
out:
    prov_auth_close(a);
    rng_close(rng);
    return ex;
}

static const char help_kiosk_revoke[] =
    "usage: borne-admin kiosk revoke ID --authority AUTH [--server SRV_DIR] [--since DATE]\n"
    "                                [--passphrase-fd N | --passphrase-file F]\n"
    "Revokes a kiosk (stolen, broken): signs a new revocation list naming it. What it\n"
    "sent before DATE (default: every day) stays counted; anything of DATE or later is\n"
    "refused. With --server, the list is written into the server's folder too: a\n"
    "running borne-server takes it within a minute, without a restart.\n"
    PASS_HELP EXIT_CODES;

static int cmd_kiosk_revoke(int argc, char **argv)
{
    opts_t o;
    rng_t *rng = NULL;
    prov_auth_t *a = NULL;
    char why[1024] = "";
    int rc, ex;

    if ((rc = parse_opts(argc, argv, &o)) != 0 || argc - optind != 1 || o.auth == NULL) {
        fputs(help_kiosk_revoke, rc == 1 ? stdout : stderr);
        return rc == 1 ? EX_OK : EX_USAGE;
    }
    if ((ex = open_authority(&o, &rng, &a)) != 0)
        goto out;
    if ((rc = prov_kiosk_revoke(a, o.auth, o.server, argv[optind], o.since, o.today, why,
                                sizeof why)) != 0) {
        ex = fail(rc, "kiosk revoke: %s", why);
        goto out;
    }
    if (o.json)
        printf("{\"kiosk\": \"%s\", \"revoked\": true, \"list\": \"%s/revocations.brl\"}\n",
               argv[optind], o.auth);
    else
        printf("%s revoked%s; revocation list in %s/revocations.brl%s%s\n", argv[optind],
               o.since ? " from the date given" : "", o.auth, o.server ? " and " : "",
               o.server ? o.server : "");
out:
    prov_auth_close(a);
    rng_close(rng);
    return ex;
}

static const char help_agent_add[] =
    "usage: borne-admin agent add --authority AUTH --commune INSEE --id ID --name NAME\n"
    "                             --role agent|technician [--pin-fd N]\n"
    "Adds an agent of a town hall. Roles: agent (open, pause, close, sync, export) and\n"
    "technician (enrol, load a package, wipe). The PIN (6 to 12 digits, not one another\n"
    "agent of the commune has) is asked twice on the terminal, or read from file\n"
    "descriptor N; only its salted PBKDF2 hash is kept. Kiosks enrolled afterwards\n"
    "carry the agents of their commune.\n" EXIT_CODES;

static int cmd_agent_add(int argc, char **argv)
{
    opts_t o;
    rng_t *rng = NULL;
    char pin[64] = "", again[64] = "", why[1024] = "";
    int rc, ex = EX_OK;

    if ((rc = parse_opts(argc, argv, &o)) != 0 || argc != optind || o.auth == NULL ||
        o.commune == NULL || o.id == NULL || o.name == NULL || o.role == NULL) {
        fputs(help_agent_add, rc == 1 ? stdout : stderr);
        return rc == 1 ? EX_OK : EX_USAGE;
    }
    if (o.pin_fd >= 0) {
        if (read_line_fd(o.pin_fd, pin, sizeof pin) != 0)
            return fail(BN_EINVAL, "no PIN on file descriptor %d", o.pin_fd);
    } else if (ask_tty("PIN of the agent: ", pin, sizeof pin) != 0 ||
               ask_tty("The same PIN again: ", again, sizeof again) != 0) {
        return fail(BN_EINVAL, "no PIN: run this on a terminal, or give --pin-fd N");
    } else if (strcmp(pin, again) != 0) {
        ex = fail(BN_EINVAL, "the two PINs differ: no agent was added");
        goto out;
    }
    if ((rc = rng_open(&rng)) != 0 ||
        (rc = prov_agent_add(o.auth, o.commune, o.id, o.name, o.role, pin, rng, why,
                             sizeof why)) != 0) {
        ex = fail(rc, "agent add: %s", why);
        goto out;
    }
    if (o.json)
        printf("{\"agent\": \"%s\", \"role\": \"%s\", \"commune\": \"%s\"}\n", o.id,
               o.role, o.commune);
    else
        printf("agent %s (%s) added to commune %s\n", o.id, o.role, o.commune);
out:
    mbedtls_platform_zeroize(pin, sizeof pin);
    mbedtls_platform_zeroize(again, sizeof again);
    rng_close(rng);
    return ex;
}

static const char help_agent_remove[] =
    "usage: borne-admin agent remove ID --authority AUTH\n"
    "Removes an agent. Kiosks learn it from their next provisioning bundle.\n" EXIT_CODES;

static int cmd_agent_remove(int argc, char **argv)
{
    opts_t o;
    char why[1024] = "";
    int rc;

    if ((rc = parse_opts(argc, argv, &o)) != 0 || argc - optind != 1 || o.auth == NULL) {
        fputs(help_agent_remove, rc == 1 ? stdout : stderr);
        return rc == 1 ? EX_OK : EX_USAGE;
    }
    if ((rc = prov_agent_remove(o.auth, argv[optind], why, sizeof why)) != 0)
        return fail(rc, "agent remove: %s", why);
    if (o.json)
        printf("{\"agent\": \"%s\", \"removed\": true}\n", argv[optind]);
    else
        printf("agent %s removed\n", argv[optind]);
    return EX_OK;
}

static const char help_agent_list[] =
    "usage: borne-admin agent list --authority AUTH [--commune INSEE] [--json]\n"
    "Lists the agents (never their PINs).\n" EXIT_CODES;

static int cmd_agent_list(int argc, char **argv)
{
    opts_t o;
    char why[1024] = "";
    int rc;

    if ((rc = parse_opts(argc, argv, &o)) != 0 || argc != optind || o.auth == NULL) {
        fputs(help_agent_list, rc == 1 ? stdout : stderr);
        return rc == 1 ? EX_OK : EX_USAGE;
    }
    if ((rc = prov_agent_list(o.auth, o.commune, o.json, why, sizeof why)) != 0)
        return fail(rc, "agent list: %s", why);
    return EX_OK;
}

/* --- ideas: the contacts, for the data controller ------------------------------------------ */

static const char help_ideas_contacts[] =
    "usage: borne-admin ideas contacts BUNDLES_DIR --controller KEY [--id CAMPAIGN]\n"
    "The contacts people left with their ideas (a call for ideas), for the\n"
    "participation team to answer them: each idea's reference (as borne-server\n"
    "moderate shows it), a tab, the contact. They are sealed to the data\n"
    "controller's key (the package's ideas.controller): only KEY (a PEM private key,\n"
    "kept by the controller, never on the server) opens them. BUNDLES_DIR holds the\n"
    "bundles `borne-server export` wrote (or a kiosk's USB export). Keep what this\n"
    "prints as personal data: never publish it.\n"
    "  --id CAMPAIGN   only this call for ideas\n" EXIT_CODES;

static int cmd_ideas_contacts(int argc, char **argv)
{
    opts_t o;
    struct dirent **names = NULL;
    key_pair_t *k = NULL;
    rng_t *rng = NULL;
    char why[1024] = "", path[4096];
    uint8_t (*seen)[IDEA_ID_LEN] = NULL; /* an idea sent in several bundles: once */
    size_t nseen = 0, capseen = 0, q;
    int rc, n = 0, i, ex = EX_OK, found = 0, sealed_other = 0;

    if ((rc = parse_opts(argc, argv, &o)) != 0 || argc - optind != 1 || o.controller == NULL) {
        fputs(help_ideas_contacts, rc == 1 ? stdout : stderr);
        return rc == 1 ? EX_OK : EX_USAGE;
    }
    if ((rc = rng_open(&rng)) != 0)
        return fail(rc, "no random generator");
    if ((rc = key_load(o.controller, rng, &k, why, sizeof why)) != 0) {
        ex = fail(rc, "--controller %s: %s", o.controller, why);
        goto out;
    }
    if ((n = scandir(argv[optind], &names, NULL, alphasort)) < 0) {
        ex = fail(BN_EIO, "%s: cannot be read", argv[optind]);
        goto out;
    }
    for (i = 0; i < n; i++) {
        const char *f = names[i]->d_name;
        size_t fl = strlen(f), len = 0;
        uint8_t *buf = NULL;
        bundle_t b;
        uint32_t j;

        if (f[0] == '.' || fl < 7 || strcmp(f + fl - 7, ".bundle") != 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", argv[optind], f);
        if (pkg_read_file(path, &buf, &len, why, sizeof why) != 0 ||
            bundle_decode(buf, len, &b, why, sizeof why) != 0) {
            ex = fail(BN_EFORMAT, "%s: %s", path, why);
            free(buf);
            continue;
        }
        for (j = 0; j < b.n_ideas && (o.id == NULL || strcmp(o.id, b.campaign) == 0); j++) {
            size_t il = 0;
            const uint8_t *rec = bundle_idea_at(&b, j, &il);
            char contact[IDEA_CONTACT_BYTES + 1], ref[13];

            for (q = 0; q < nseen && memcmp(seen[q], rec + IDEA_OFF_ID, IDEA_ID_LEN) != 0; q++)
                ;
            if (q < nseen)
                continue;
            if (nseen == capseen) {
                size_t cap = capseen ? 2 * capseen : 256;
                void *g = realloc(seen, cap * sizeof *seen);
                if (g == NULL) {
                    ex = fail(BN_ENOMEM, "out of memory");
                    break;
                }
                seen = g;
                capseen = cap;
            }
            memcpy(seen[nseen++], rec + IDEA_OFF_ID, IDEA_ID_LEN);
            rc = idea_open_contact(rec, il, k, contact, why, sizeof why);
            if (rc == BN_ENOTFOUND)
                continue;
            hex_encode(rec + IDEA_OFF_ID, 6, ref);
            ref[12] = '\0';
            if (rc == BN_EWRONGKEY) {
                sealed_other++;
                continue;
            }
            if (rc != 0) {
                ex = fail(rc, "%s: idea %s: %s", path, ref, why);
                continue;
            }
            printf("%s\t%s\n", ref, contact);
            mbedtls_platform_zeroize(contact, sizeof contact);
            found++;
        }
        free(buf);
    }
    fprintf(stderr, "borne-admin: %d contact(s)%s\n", found,
            sealed_other ? ", others sealed to another controller's key" : "");
out:
    for (i = 0; names != NULL && i < n; i++)
        free(names[i]);
    free(names);
    free(seen);
    key_free(k);
    rng_close(rng);
    return ex;
}

/* --- dispatch -------------------------------------------------------------------------- */

typedef struct cmd_s {
    const char *group, *name;
    int (*run)(int argc, char **argv);
    const char *what;
} cmd_t;

static const cmd_t cmds[] = {
    {"authority", "init", cmd_auth_init, "make the département's authority (key, CA certificate)"},
    {"authority", "show", cmd_auth_show, "print its name, validity and fingerprint"},
    {"campaign", "build", cmd_camp_build, "build a campaign from a description and spreadsheets"},
    {"campaign", "sign", cmd_camp_sign, "sign a built campaign with the authority"},
    {"campaign", "verify", cmd_camp_verify, "check a signed package"},
    {"campaign", "show", cmd_camp_show, "a readable summary of a campaign"},
    {"server", "init", cmd_server_init, "make the folder borne-server serves"},
    {"kiosk", "enroll", cmd_kiosk_enroll, "enrol a kiosk: its certificate and provisioning bundle"},
    {"kiosk", "revoke", cmd_kiosk_revoke, "revoke a kiosk (signed revocation list)"},
    {"agent", "add", cmd_agent_add, "add an agent of a town hall, with a PIN"},
    {"agent", "remove", cmd_agent_remove, "remove an agent"},
    {"agent", "list", cmd_agent_list, "list the agents"},
    {"ideas", "contacts", cmd_ideas_contacts, "the contacts left with ideas (data controller)"},
};

static int usage(FILE *f)
{
    size_t i;

    fputs("usage: borne-admin GROUP COMMAND [ARGS] [--help]\n"
          "The provisioning tool of borne: the authority, campaigns, kiosks, the server.\n\n",
          f);
    for (i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        fprintf(f, "  %-9s %-7s %s\n", cmds[i].group, cmds[i].name, cmds[i].what);
    fputs("\n'borne-admin GROUP COMMAND --help' explains a command.\n" EXIT_CODES, f);
    return f == stdout ? EX_OK : EX_USAGE;
}

int main(int argc, char **argv)
{
    char note[256];
    size_t i;

    if (harden_process(note, sizeof note) < 0) /* (PROV-A1) (HARDEN-H1..H3) */
        return fail(BN_EIO, "cannot protect this process's memory: %s", note);
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
                      strcmp(argv[1], "help") == 0))
        return usage(stdout);
    if (argc >= 2 && strcmp(argv[1], "--version") == 0)
        return printf("borne-admin " BORNE_VERSION "\n"), 0;
    if (argc < 3)
        return usage(stderr);
    for (i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        if (strcmp(argv[1], cmds[i].group) == 0 && strcmp(argv[2], cmds[i].name) == 0)
            return cmds[i].run(argc - 2, argv + 2);
    fprintf(stderr, "borne-admin: unknown command \"%s %s\"\n", argv[1], argv[2]);
    return usage(stderr);
}
