/* agent.c - agent mode as logic: entering and leaving, the PIN pad, the
 * polls' changes with one or two agents, the zero and closing reports,
 * sync now, and the export to a removable drive. The screens that show it
 * are screens/agent.c.
 *
 * Secrecy: entering wipes a citizen's session first (app_reset_session),
 * and nothing here reads a choice: counts, digests and states only. */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <mbedtls/platform_util.h>

#include "app.h"
#include "bn_err.h"
#include "cast.h"
#include "cert.h"
#include "hex.h"
#include "kiosk.h"
#include "day.h"
#include "escpos.h"
#include "export.h"
#include "polls.h"
#include "preport.h"
#include "sync.h"
#include "report.h"
#include "screens/screens.h"

static void say(app_t *a, int bad, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(a->ag.msg, sizeof a->ag.msg, fmt, ap);
    va_end(ap);
    a->ag.msg_bad = bad;
    a->dirty = 1;
}

static void clear_pin(app_t *a)
{
    mbedtls_platform_zeroize(a->ag.pin, sizeof a->ag.pin);
    a->ag.pin_len = 0;
}

void agent_free(app_t *a)
{
    clear_pin(a);
    mbedtls_platform_zeroize(a->desk_code, sizeof a->desk_code);
    free(a->ag.list);
    free(a->ag.report_text);
    memset(&a->ag, 0, sizeof a->ag);
}

void agent_enter(app_t *a)
{
    char path[700], why[300] = "";
    int from_oos = a->scr == SCR_OUTOFSERVICE;

    if (a->scr >= SCR_PIN && a->scr <= SCR_EXPORT)
        return;
    /* a citizen's session is never seen by an agent: it ends here */
    if (!from_oos)
        app_reset_session(a);
    free(a->ag.report_text);
    free(a->ag.list);
    memset(&a->ag, 0, sizeof a->ag);
    a->ag.from_oos = from_oos;
    if ((a->ag.list = calloc(1, sizeof *a->ag.list)) != NULL) {
        snprintf(path, sizeof path, "%s/agents.json", a->state_dir);
        if (agents_load(path, a->ag.list, why, sizeof why) != 0) {
            free(a->ag.list);
            a->ag.list = NULL;
            say(a, 1, "%s", tr(a, "pin.noagents"));
        }
    }
    if (a->store == NULL && a->ag.list != NULL)
        say(a, 1, "%s", tr(a, "pin.nostore"));
    app_go(a, SCR_PIN);
}

void agent_leave(app_t *a)
{
    int from_oos = a->ag.from_oos;

    agent_free(a);
    if (from_oos || a->n_all == 0) {
        a->scr = SCR_OUTOFSERVICE;
        app_reset_session(a);
        return;
    }
    a->scr = SCR_WELCOME;
    app_refresh_polls(a, 1); /* the state may have changed: welcome or closed */
    app_reset_session(a);
}

/* --- reports ------------------------------------------------------------- */

static int reports_dir(app_t *a, char *dir, size_t cap)
{
    snprintf(dir, cap, "%s/reports", a->state_dir);
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return BN_EIO;
    return 0;
}

/* Prints the report on screen to the receipt printer, when one is set. */
static void print_report(app_t *a)
{
    char why[300] = "", hex[65];
    int rc;

    if (a->printer[0] == '\0') {
        say(a, 1, "%s", tr(a, "report.noprinter"));
        return;
    }
    hex_encode(a->ag.report_digest, 32, hex);
    rc = escpos_print(a->printer, a->ag.report_text, a->ag.report_len, hex, why, sizeof why);
    if (rc != 0)
        say(a, 1, "%s (%s)", tr(a, "report.printfail"), why);
    else
        say(a, 0, "%s", tr(a, "report.printed"));
}

/* Makes, writes, shows (and prints) campaign ci's zero or closing report. */
static int make_report(app_t *a, int ci, int closing, const agent_t *a1, const agent_t *a2)
{
    const pkg_t *p = a->all[ci].pkg;
    preport_in_t in = {closing, a->kiosk_name, a->ag.list->commune, p, app_wall_ms(a) / 1000,
                       a1->id, a2->id, &a->signer};
    char dir[700], name[96], why[400] = "";
    uint8_t sig[PREPORT_SIG_MAX];
    size_t siglen = 0;
    int rc;

    free(a->ag.report_text);
    a->ag.report_text = NULL;
    if ((rc = reports_dir(a, dir, sizeof dir)) != 0) {
        say(a, 1, "%s: %s", dir, strerror(errno));
        return rc;
    }
    rc = preport_make(a->store, &in, &a->ag.report_text, &a->ag.report_len, sig, &siglen,
                      a->ag.report_digest, why, sizeof why);
    snprintf(name, sizeof name, "%s-%s", closing ? "closing" : "zero", p->id);
    if (rc == 0)
        rc = preport_write(dir, name, a->ag.report_text, a->ag.report_len, sig, siglen, why,
                           sizeof why);
    if (rc == 0 && closing) {
        /* the closing report the tally reconciles (report.h), for the export */
        uint8_t *bin = malloc(REPORT_MAX_LEN);
        size_t blen = 0;
        char v[32] = "";
        uint32_t opened = app_day(a);
        char key[64];

        snprintf(key, sizeof key, "polls-opened-day:%s", p->id);
        if (store_meta_get(a->store, key, v, sizeof v) == 0)
            opened = (uint32_t)strtoul(v, NULL, 10);
        if (opened > app_day(a))
            opened = app_day(a);
        rc = bin == NULL ? BN_ENOMEM
                         : report_make(a->store, p->id, opened, app_day(a), &a->signer, bin,
                                       REPORT_MAX_LEN, &blen, NULL, why, sizeof why);
        if (rc == 0) {
            snprintf(name, sizeof name, "closing-%s.brnr", p->id);
            rc = export_write_file(dir, name, bin, blen, why, sizeof why);
        }
        if (rc == 0) { /* (SYNC-Y5) the link sends it to the server */
            char *hex = malloc(2 * blen + 1);
            char rkey[96];
            snprintf(rkey, sizeof rkey, "report:%s", p->id);
            if (hex == NULL)
                rc = BN_ENOMEM;
            else {
                hex_encode(bin, blen, hex);
                rc = store_meta_set(a->store, rkey, hex);
            }
            free(hex);
        }
        free(bin);
    }
    if (rc != 0) {
        say(a, 1, "%s: %s", tr(a, "report.failed"), why);
        return rc;
    }
    a->ag.report_camp = ci;
    a->ag.report_closing = closing;
    app_go(a, SCR_REPORT);
    if (a->printer[0] != '\0')
        print_report(a);
    return 0;
}

/* Shows the last report written for campaign ci, if any. */
static void show_report(app_t *a, int ci)
{
    const char *id = a->all[ci].pkg->id;
    char path[800];
    int closing;

    for (closing = 1; closing >= 0; closing--) {
        uint8_t *text = NULL;
        size_t len = 0;
        char why[200];
        snprintf(path, sizeof path, "%s/reports/%s-%s.txt", a->state_dir,
                 closing ? "closing" : "zero", id);
        if (pkg_read_file(path, &text, &len, why, sizeof why) != 0)
            continue;
        free(a->ag.report_text);
        a->ag.report_text = (char *)text;
        a->ag.report_len = len;
        key_sha256(text, len, a->ag.report_digest);
        a->ag.report_camp = ci;
        a->ag.report_closing = closing;
        a->ag.msg[0] = '\0';
        app_go(a, SCR_REPORT);
        return;
    }
    say(a, 1, "%s", tr(a, "report.none"));
}

/* --- the polls' changes --------------------------------------------------- */

/* A refusal of polls_*, in the agent's language, with the detail. */
static void refused(app_t *a, int rc, const char *why)
{
    const char *key = "agent.err.other";

    if (rc == BN_EEXISTS && strstr(why, "not empty") != NULL)
        key = "agent.err.notempty";
    else if (rc == BN_ECLOSED && strstr(why, "never open again") != NULL)
        key = "agent.err.final";
    else if (rc == BN_ECLOSED && strstr(why, "refused on") != NULL)
        key = "agent.err.dates";
    else if (rc == BN_EPERM && strstr(why, "twice") != NULL)
        key = "agent.err.same";
    else if (rc == BN_EPERM && strstr(why, "technician") != NULL)
        key = "agent.err.role";
    else if (rc == BN_ECLOSED || rc == BN_EEXISTS)
        key = "agent.err.state";
    say(a, 1, "%s (%s)", tr(a, key), why);
}

/* Runs the change `op` on campaign ci with one agent (a2 NULL) or two. */
static void change(app_t *a, int op, int ci, const agent_t *a1, const agent_t *a2)
{
    const pkg_t *p = a->all[ci].pkg;
    char why[400] = "";
    int rc;

    switch (op) {
    case ACT_POLLS_OPEN:
        rc = polls_open(a->store, p, a1, a2, app_day(a), why, sizeof why);
        if (rc == 0) {
            char key[64], v[16];
            snprintf(key, sizeof key, "polls-opened-day:%s", p->id);
            snprintf(v, sizeof v, "%u", (unsigned)app_day(a));
            (void)store_meta_set(a->store, key, v);
        }
        break;
    case ACT_POLLS_PAUSE:
        rc = polls_pause(a->store, p, a1, why, sizeof why);
        break;
    case ACT_POLLS_RESUME:
        rc = polls_resume(a->store, p, a1, app_day(a), why, sizeof why);
        break;
    default:
        rc = polls_close(a->store, p, a1, a2, why, sizeof why);
        break;
    }
    a->ag.op = 0;
    a->ag.first = NULL;
    if (rc != 0) {
        refused(a, rc, why);
        app_go(a, SCR_AGENT);
        return;
    }
    {
        polls_state_t s = POLLS_CLOSED;
        const char *kv[] = {"campaign", app_ptext(a, &p->title), "state", NULL, NULL};
        char buf[400];
        (void)polls_get(a->store, p->id, &s);
        kv[3] = tr(a, s == POLLS_OPEN ? "state.open" : s == POLLS_PAUSED ? "state.paused"
                      : s == POLLS_FINAL ? "state.final" : "state.closed");
        say(a, 0, "%s", trf(a, buf, sizeof buf, "agent.done", kv));
    }
    if (op == ACT_POLLS_OPEN || op == ACT_POLLS_CLOSE) {
        if (make_report(a, ci, op == ACT_POLLS_CLOSE, a1, a2) == 0)
            return;
    }
    app_go(a, SCR_AGENT);
}

static void pin_ok(app_t *a)
{
    const agent_t *who = NULL;
    int64_t wait = 0;
    char why[300] = "", n[24];
    const char *kv[] = {"s", n, NULL};
    char buf[300];
    int rc;

    if (a->ag.list == NULL || a->store == NULL) {
        clear_pin(a);
        return;
    }
    rc = agent_login(a->store, a->ag.list, a->ag.pin, app_wall_ms(a) / 1000, &who, &wait, why,
                     sizeof why);
    clear_pin(a);
    if (rc != 0) {
        snprintf(n, sizeof n, "%lld", (long long)wait);
        if (rc == BN_ELOCKED)
            say(a, 1, "%s", trf(a, buf, sizeof buf, "pin.locked", kv));
        else if (rc == BN_EBADPIN && wait > 0)
            say(a, 1, "%s %s", tr(a, "pin.wrong"), trf(a, buf, sizeof buf, "pin.locked", kv));
        else if (rc == BN_EBADPIN)
            say(a, 1, "%s", tr(a, "pin.wrong"));
        else
            say(a, 1, "%s (%s)", tr(a, "agent.err.other"), why);
        return;
    }
    if (a->ag.op != 0) {
        /* the second key of a two-agent change */
        if (strcmp(who->id, a->ag.first->id) == 0) {
            say(a, 1, "%s", tr(a, "agent.err.same"));
            a->ag.op = 0;
            a->ag.first = NULL;
            app_go(a, SCR_AGENT);
            return;
        }
        change(a, a->ag.op, a->ag.op_camp, a->ag.first, who);
        return;
    }
    a->ag.who = who;
    a->ag.msg[0] = '\0';
    app_go(a, SCR_AGENT);
}

/* --- export, sync ---------------------------------------------------------- */

/* The drives: subfolders of STATE/media's folder, or mounts under /media
 * and /run/media (one and two levels down: /media/usb0, /run/media/USER/X). */
static void find_mounts(app_t *a)
{
    const char *roots[2] = {a->media[0] ? a->media : "/media", a->media[0] ? NULL : "/run/media"};
    int r;

    a->ag.n_mounts = 0;
    for (r = 0; r < 2 && roots[r] != NULL; r++) {
        struct dirent **names = NULL;
        struct stat root, st;
        int n, i;
        if (stat(roots[r], &root) != 0 || (n = scandir(roots[r], &names, NULL, alphasort)) < 0)
            continue;
        for (i = 0; i < n; i++) {
            char p[600];
            if (names[i]->d_name[0] != '.' && a->ag.n_mounts < APP_MOUNTS) {
                snprintf(p, sizeof p, "%s/%s", roots[r], names[i]->d_name);
                /* configured: every folder; else only what is mounted there */
                if (stat(p, &st) == 0 && S_ISDIR(st.st_mode) &&
                    (a->media[0] != '\0' || st.st_dev != root.st_dev))
                    snprintf(a->ag.mounts[a->ag.n_mounts++], sizeof a->ag.mounts[0], "%.255s", p);
                else if (stat(p, &st) == 0 && S_ISDIR(st.st_mode) && r == 1) {
                    /* /run/media/USER/DRIVE */
                    struct dirent **sub = NULL;
                    int m = scandir(p, &sub, NULL, alphasort), k;
                    for (k = 0; k < m; k++) {
                        char q[900];
                        struct stat sq;
                        snprintf(q, sizeof q, "%s/%s", p, sub[k]->d_name);
                        if (sub[k]->d_name[0] != '.' && a->ag.n_mounts < APP_MOUNTS &&
                            stat(q, &sq) == 0 && S_ISDIR(sq.st_mode) && sq.st_dev != st.st_dev)
                            snprintf(a->ag.mounts[a->ag.n_mounts++], sizeof a->ag.mounts[0],
                                     "%.255s", q);
                        free(sub[k]);
                    }
                    free(sub);
                }
            }
            free(names[i]);
        }
        free(names);
    }
}

/* 1 when every campaign's polls are closed for good. */
static int all_final(app_t *a)
{
    int i;

    for (i = 0; i < a->n_all; i++) {
        polls_state_t s = POLLS_CLOSED;
        if (polls_get(a->store, a->all[i].pkg->id, &s) != 0 || s != POLLS_FINAL)
            return 0;
    }
    return a->n_all > 0;
}

/* (KIOSK-W1) A wipe is allowed once every campaign is closed for good and
 * everything is safe elsewhere: acknowledged by the server (the outbox is
 * empty: the closing reports too) or exported to a drive, read back, after
 * the close. Otherwise the reason in words. */
static int wipe_allowed(app_t *a, char *why, size_t whylen)
{
    int64_t out = -1;
    char v[8] = "";
    int i;

    if (a->store == NULL)
        return snprintf(why, whylen, "%s", tr(a, "tech.wipe.nostore")), 0;
    for (i = 0; i < a->n_all; i++) {
        polls_state_t s = POLLS_CLOSED;
        (void)polls_get(a->store, a->all[i].pkg->id, &s);
        if (s != POLLS_FINAL) {
            const char *kv[] = {"campaign", app_ptext(a, &a->all[i].pkg->title), NULL};
            trf(a, why, whylen, "tech.wipe.notclosed", kv);
            return 0;
        }
    }
    (void)store_outbox_count(a->store, &out);
    if (a->sync != NULL) { /* the link's handle knows what was acknowledged (STORE-S12) */
        ksync_status_t st;
        ksync_status(a->sync, &st);
        out = st.left >= 0 ? st.left : out;
    }
    for (i = 0; out == 0 && i < a->n_all; i++) { /* the closing reports too (SYNC-Y5) */
        char key[96], sent[4] = "";
        snprintf(key, sizeof key, "report-sent:%s", a->all[i].pkg->id);
        if (store_meta_get(a->store, key, sent, sizeof sent) != 0 || strcmp(sent, "1") != 0)
            out = 1;
    }
    if (store_meta_get(a->store, "wipe:exported", v, sizeof v) == 0 && strcmp(v, "1") == 0)
        return 1;
    if (out != 0) {
        char n[24];
        const char *kv[] = {"n", n, NULL};
        snprintf(n, sizeof n, "%lld", (long long)out);
        trf(a, why, whylen, "tech.wipe.unsafe", kv);
        return 0;
    }
    /* (BACKUP-B2) acknowledged is not enough: the server's copy must be on
     * a second disk, in a verified backup taken after the last of them */
    {
        char ack[32] = "", bak[32] = "";
        long long t_ack = 0, t_bak = 0;

        if (store_meta_get(a->store, SYNC_META_ACK_MS, ack, sizeof ack) == 0)
            t_ack = strtoll(ack, NULL, 10);
        if (store_meta_get(a->store, SYNC_META_BACKUP_MS, bak, sizeof bak) == 0)
            t_bak = strtoll(bak, NULL, 10);
        if (t_ack > 0 && t_bak <= t_ack) {
            snprintf(why, whylen, "%s", tr(a, "tech.wipe.nobackup"));
            return 0;
        }
    }
    return 1;
}

static void wipe(app_t *a)
{
    char why[400] = "", state[sizeof a->state_dir];
    int rc;

    (void)store_audit_append(a->store, "wiped", a->ag.who->id);
    snprintf(state, sizeof state, "%s", a->state_dir);
    app_unload(a); /* the store closed before its file goes */
    rc = kiosk_wipe(state, why, sizeof why);
    agent_free(a);
    app_out_of_service(a, rc == 0 ? "wiped after the campaign: provision it again" : why);
}

/* The technician's drive operations: the certificate request onto the
 * drive (borne-admin kiosk enroll reads it), a provisioning bundle from it
 * (what borne-admin kiosk enroll -o wrote: DRIVE/borne-provision). */
static void tech_drive(app_t *a, int i)
{
    char dir[700], why[400] = "", fpr[CERT_FPR_LEN] = "", buf[700];
    const char *slash = strrchr(a->ag.mounts[i], '/');
    const char *drive = slash != NULL && slash[1] ? slash + 1 : a->ag.mounts[i];
    int rc;

    if (a->ag.drive_op == ACT_TECH_ENROL) {
        const char *kv[] = {"dir", dir, NULL};
        snprintf(dir, sizeof dir, "%s/borne-enrol", a->ag.mounts[i]);
        if (mkdir(dir, 0755) != 0 && errno != EEXIST)
            rc = bn_fail(why, sizeof why, BN_EIO, "%s: %s", dir, strerror(errno));
        else
            rc = kiosk_enroll(a->state_dir, dir, NULL, app_day(a), fpr, why, sizeof why);
        snprintf(dir, sizeof dir, "%s/borne-enrol", drive);
        if (rc == 0)
            say(a, 0, "%s", trf(a, buf, sizeof buf, "tech.enrolled", kv));
        else
            say(a, 1, "%s (%s)", tr(a, "tech.failed"), why);
        return;
    }
    snprintf(dir, sizeof dir, "%s/borne-provision", a->ag.mounts[i]);
    rc = kiosk_provision(dir, a->state_dir, app_day(a), why, sizeof why);
    if (rc != 0) {
        say(a, 1, "%s (%s)", tr(a, "tech.failed"), why);
        return;
    }
    /* the new packages and agents, at once: the kiosk loads its state again */
    {
        char state[sizeof a->state_dir];
        snprintf(state, sizeof state, "%s", a->state_dir);
        app_unload(a);
        agent_free(a);
        a->scr = SCR_WELCOME;
        if (kiosk_open(a, state, app_day(a), why, sizeof why) != 0)
            fprintf(stderr, "borne: out of service: %s\n", why);
    }
}

static void export_to(app_t *a, int i)
{
    export_result_t res;
    export_src_t src;
    const char *ids[APP_MAX_CAMPAIGNS];
    char why[500] = "", buf[700], nb[24], ni[24], path[700], shown[400];
    const char *kv[] = {"bundles", nb, "items", ni, "dir", shown, NULL};
    uint8_t *pem = NULL, der[4096];
    size_t pemlen = 0, derlen = 0;
    int rc, k;

    memset(&res, 0, sizeof res);
    memset(&src, 0, sizeof src);
    snprintf(path, sizeof path, "%s/kiosk.crt", a->state_dir);
    if (pkg_read_file(path, &pem, &pemlen, why, sizeof why) == 0 &&
        cert_from_pem((const char *)pem, pemlen, der, sizeof der, &derlen) == 0) {
        src.cert = der;
        src.cert_len = derlen;
    }
    free(pem);
    for (k = 0; k < a->n_all; k++)
        ids[k] = a->all[k].pkg->id;
    src.store = a->store;
    src.state_dir = a->state_dir;
    src.kiosk = a->kiosk_name;
    src.signer = &a->signer;
    src.campaigns = ids;
    src.n_campaigns = a->n_all;
    rc = export_run(&src, a->ag.mounts[i], &res, why, sizeof why);
    if (rc != 0) {
        const char *key = rc == BN_EFULL ? "export.full" : rc == BN_EPERM ? "export.readonly"
                          : rc == BN_EKEY ? "export.nocert" : "export.failed";
        say(a, 1, "%s (%s)", tr(a, key), why);
        return;
    }
    snprintf(nb, sizeof nb, "%zu", res.bundles);
    snprintf(ni, sizeof ni, "%zu", res.items);
    if (all_final(a)) /* (KIOSK-W1) an export of everything, after the close */
        (void)store_meta_set(a->store, "wipe:exported", "1");
    {
        /* DRIVE/borne-KIOSK, said as the drive's name and the folder */
        const char *slash = strrchr(a->ag.mounts[i], '/');
        snprintf(shown, sizeof shown, "%s/borne-%s",
                 slash != NULL && slash[1] ? slash + 1 : a->ag.mounts[i], a->kiosk_name);
    }
    say(a, 0, "%s", trf(a, buf, sizeof buf, "export.done", kv));
    printf("export %s bundles=%zu items=%zu files=%zu\n", res.dir, res.bundles, res.items,
           res.files);
    fflush(stdout);
}

static void sync_now(app_t *a)
{
    char why[300] = "";
    ksync_round_t res;
    int rc;

    if (a->sync == NULL) {
        say(a, 1, "%s", tr(a, "sync.none"));
        return;
    }
    if (a->sync_thread) {
        /* the thread does the exchanges: wake it, it says how it went */
        ksync_note_cast(a->sync, a->n_all > 0 ? a->all[0].pkg->id : "", (int64_t)a->now);
        say(a, 0, "%s", tr(a, "sync.asked"));
        return;
    }
    rc = ksync_round(a->sync, (int64_t)a->now, 1, 1, &res, why, sizeof why);
    {
        char n[24], l[24], buf[300];
        const char *kv[] = {"n", n, "left", l, NULL};
        snprintf(n, sizeof n, "%zu", res.items);
        snprintf(l, sizeof l, "%lld", (long long)res.left);
        if (rc == 0)
            say(a, 0, "%s", trf(a, buf, sizeof buf, "sync.done", kv));
        else
            say(a, 1, "%s (%s)", trf(a, buf, sizeof buf, "sync.failed", kv), why);
    }
}

/* --- the desk (CAST-C8) ------------------------------------------------------- */

/* The desk's identity screens for campaign ci (in all[]): a person's
 * session, the agent staying signed in. */
static void desk_start(app_t *a, int ci)
{
    int k;

    app_refresh_polls(a, 1); /* camp[]: what takes part now, opened a moment ago too */
    for (k = 0; k < a->n_camp; k++)
        if (a->camp[k].pkg == a->all[ci].pkg)
            break;
    if (k == a->n_camp || !a->all[ci].pkg->supervised) {
        say(a, 1, "%s", tr(a, "desk.closed"));
        return;
    }
    mbedtls_platform_zeroize(&a->s, sizeof a->s);
    a->s.commune = -1;
    a->s.territory = -1;
    app_use_campaign(a, k);
    a->desk = 1;
    a->ag.msg[0] = '\0';
    app_go(a, SCR_IDENTITY);
}

void agent_desk_issue(app_t *a)
{
    cast_ctx_t ctx;
    cast_identity_t who;
    char birth[DAY_TEXT_LEN + 1], why[300] = "";
    int rc;

    app_cast_inputs(a, &ctx, &who, birth);
    rc = cast_issue_code(&ctx, &who, app_day(a), a->desk_code, why, sizeof why);
    mbedtls_platform_zeroize(ctx.secret, sizeof ctx.secret);
    mbedtls_platform_zeroize(birth, sizeof birth);
    /* the identity goes now: the code is all the citizen takes away */
    mbedtls_platform_zeroize(&a->s, sizeof a->s);
    a->s.commune = -1;
    a->s.territory = -1;
    a->desk = 0;
    if (a->dl.arena != NULL)
        dl_wipe(&a->dl);
    a->session_epoch++;
    if (rc == BN_EALREADY) {
        say(a, 1, "%s", tr(a, "desk.already"));
        app_go(a, SCR_AGENT);
        return;
    }
    if (rc != 0) {
        say(a, 1, "%s (%s)", tr(a, "desk.failed"), why);
        app_go(a, SCR_AGENT);
        return;
    }
    if (a->print_receipts) {
        printf("voting-code %s\n", a->desk_code);
        fflush(stdout);
    }
    a->ag.msg[0] = '\0';
    app_go(a, SCR_DESKCODE);
    if (a->printer[0] != '\0') {
        char text[200];
        const char *kv[] = {"code", a->desk_code, NULL};
        trf(a, text, sizeof text, "desk.ticket", kv);
        if (escpos_print(a->printer, text, strlen(text), a->desk_code, why, sizeof why) != 0)
            say(a, 1, "%s (%s)", tr(a, "report.printfail"), why);
        else
            say(a, 0, "%s", tr(a, "desk.printed"));
    }
}

/* --- actions --------------------------------------------------------------- */

static int role_ok(app_t *a)
{
    if (a->ag.who != NULL && a->ag.who->role == AGENT_ROLE_AGENT)
        return 1;
    say(a, 1, "%s", tr(a, "agent.err.role"));
    return 0;
}

void agent_act(app_t *a, int act)
{
    if (a->scr == SCR_PIN) {
        if (act >= ACT_PIN_DIGIT && act <= ACT_PIN_DIGIT + 9) {
            if (a->ag.pin_len < APP_PIN_MAX) {
                a->ag.pin[a->ag.pin_len++] = (char)('0' + act - ACT_PIN_DIGIT);
                a->ag.pin[a->ag.pin_len] = '\0';
            }
        } else if (act == ACT_PIN_ERASE || act == ACT_BACKSPACE) {
            if (a->ag.pin_len > 0)
                a->ag.pin[--a->ag.pin_len] = '\0';
        } else if (act == ACT_PIN_OK) {
            pin_ok(a);
        } else if (act == ACT_BACK || act == ACT_AGENT_LEAVE) {
            clear_pin(a);
            if (a->ag.op != 0) { /* the second agent did not come: nothing changes */
                a->ag.op = 0;
                a->ag.first = NULL;
                say(a, 1, "%s", tr(a, "agent.cancelled"));
                app_go(a, SCR_AGENT);
            } else {
                agent_leave(a);
            }
        }
        return;
    }
    if (a->ag.who == NULL) { /* not signed in: only the PIN pad */
        app_go(a, SCR_PIN);
        return;
    }
    if (act == ACT_AGENT_LEAVE) {
        agent_leave(a);
        return;
    }
    if (a->scr == SCR_DESKCODE && act == ACT_REPORT_PRINT) {
        char text[200], why[300] = "";
        const char *kv[] = {"code", a->desk_code, NULL};
        trf(a, text, sizeof text, "desk.ticket", kv);
        if (a->printer[0] == '\0')
            say(a, 1, "%s", tr(a, "report.noprinter"));
        else if (escpos_print(a->printer, text, strlen(text), a->desk_code, why, sizeof why) != 0)
            say(a, 1, "%s (%s)", tr(a, "report.printfail"), why);
        else
            say(a, 0, "%s", tr(a, "desk.printed"));
        return;
    }
    if (act >= ACT_DESK && act < ACT_DESK + a->n_all) {
        if (role_ok(a))
            desk_start(a, act - ACT_DESK);
        return;
    }
    if (act == ACT_BACK || act == ACT_AGENT_HOME) {
        mbedtls_platform_zeroize(a->desk_code, sizeof a->desk_code);
        a->ag.msg[0] = '\0';
        a->ag.wipe_asked = 0;
        app_go(a, SCR_AGENT);
        return;
    }
    if (act == ACT_REPORT_PRINT && a->scr == SCR_REPORT) {
        print_report(a);
        return;
    }
    if (act == ACT_AGENT_STATUS) {
        a->ag.msg[0] = '\0';
        app_go(a, SCR_STATUS);
        return;
    }
    if (act == ACT_AGENT_SYNC) {
        sync_now(a);
        return;
    }
    if (act == ACT_AGENT_EXPORT || act == ACT_TECH_ENROL || act == ACT_TECH_IMPORT) {
        if (act != ACT_AGENT_EXPORT && a->ag.who->role != AGENT_ROLE_TECHNICIAN) {
            say(a, 1, "%s", tr(a, "tech.only"));
            return;
        }
        a->ag.msg[0] = '\0';
        a->ag.drive_op = act;
        find_mounts(a);
        app_go(a, SCR_EXPORT);
        return;
    }
    if (act >= ACT_EXPORT_TO && act < ACT_EXPORT_TO + a->ag.n_mounts) {
        if (a->ag.drive_op == ACT_AGENT_EXPORT)
            export_to(a, act - ACT_EXPORT_TO);
        else
            tech_drive(a, act - ACT_EXPORT_TO);
        return;
    }
    if (act == ACT_TECH_WIPE || act == ACT_TECH_WIPE_CONFIRM) {
        char why[400];
        if (a->ag.who->role != AGENT_ROLE_TECHNICIAN) {
            say(a, 1, "%s", tr(a, "tech.only"));
            return;
        }
        if (!wipe_allowed(a, why, sizeof why)) {
            a->ag.wipe_asked = 0;
            say(a, 1, "%s", why);
            return;
        }
        if (act == ACT_TECH_WIPE) {
            a->ag.wipe_asked = 1;
            say(a, 1, "%s", tr(a, "tech.wipe.ask"));
            return;
        }
        wipe(a);
        return;
    }
    if (act >= ACT_REPORT_SHOW && act < ACT_REPORT_SHOW + a->n_all) {
        show_report(a, act - ACT_REPORT_SHOW);
        return;
    }
    if (act >= ACT_POLLS_OPEN && act < ACT_POLLS_CLOSE + APP_MAX_CAMPAIGNS) {
        int op = act - (act - ACT_POLLS_OPEN) % 100, ci = (act - ACT_POLLS_OPEN) % 100;
        char buf[300];
        const char *kv[] = {"agent", a->ag.who->name, NULL};

        if (ci >= a->n_all || !role_ok(a))
            return;
        if (op == ACT_POLLS_PAUSE || op == ACT_POLLS_RESUME) {
            change(a, op, ci, a->ag.who, NULL);
            return;
        }
        /* two keys: the second agent types their PIN now */
        a->ag.op = op;
        a->ag.op_camp = ci;
        a->ag.first = a->ag.who;
        say(a, 0, "%s", trf(a, buf, sizeof buf, "pin.second", kv));
        clear_pin(a);
        app_go(a, SCR_PIN);
    }
}
