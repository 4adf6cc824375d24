/* agent.c - the agents' screens: the PIN pad, the polls and their
 * changes, a report with its QR code, the kiosk's status, the export.
 * What they do is ui/agent.c's. Never a choice: counts and states only;
 * the state of every campaign is on every agent screen. */
#include <stdio.h>
#include <string.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include <mbedtls/x509_crt.h>

#include "day.h"
#include "hex.h"
#include "polls.h"
#include "screens.h"

static const char *state_key(polls_state_t s)
{
    return s == POLLS_OPEN ? "state.open" : s == POLLS_PAUSED ? "state.paused"
           : s == POLLS_FINAL ? "state.final" : "state.closed";
}

/* The message of the last action: a notice for a refusal, plain otherwise. */
static int message(app_t *a, int x, int y, int w)
{
    if (a->ag.msg[0] == '\0')
        return 0;
    if (a->ag.msg_bad)
        return app_notice(a, x, y, w, a->ag.msg) + 24;
    return ui_text(&a->dl, x, y, w, a->ag.msg, app_sz(a, 30), 1, a->theme.text, AL_LEFT, 0) + 24;
}

/* One line per campaign: its title and the state of its polls. */
static int states(app_t *a, int x, int y, int w)
{
    int i, y0 = y;

    for (i = 0; i < a->n_all; i++) {
        polls_state_t s = POLLS_CLOSED;
        char buf[400];
        (void)polls_get(a->store, a->all[i].pkg->id, &s);
        snprintf(buf, sizeof buf, "%s : %s", app_ptext(a, &a->all[i].pkg->title),
                 tr(a, state_key(s)));
        y += ui_text(&a->dl, x, y, w, buf, app_sz(a, 26), 0, a->theme.muted, AL_LEFT, 0) + 4;
    }
    return y - y0;
}

void scr_pin_draw(app_t *a)
{
    int top = app_top_bar(a), x = APP_MARGIN, w = a->w - 2 * APP_MARGIN, y = top + 32;
    int kw = 200, kh = 112, gap = 20, px, py, i;
    char dots[3 * APP_PIN_MAX + 1] = "";
    const char *keys[12] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", NULL, "0", NULL};

    y += app_heading(a, x, y, w, tr(a, a->ag.op != 0 ? "pin.title2" : "pin.title")) + 16;
    y += states(a, x, y, w / 2 - 40) + 16;
    /* the left column: the message and what was typed (never the digits) */
    {
        int ly = y;
        ly += message(a, x, ly, w / 2 - 40);
        for (i = 0; i < a->ag.pin_len; i++)
            strcat(dots, "\xe2\x97\x8f"); /* a dot a digit */
        ly += ui_text(&a->dl, x, ly, w / 2 - 40, tr(a, "pin.typed"), app_sz(a, 30), 0,
                      a->theme.text, AL_LEFT, 0) + 8;
        dl_rrect(&a->dl, (ui_rect_t){x, ly, 520, 96}, 12, a->theme.surface);
        dl_ring(&a->dl, (ui_rect_t){x, ly, 520, 96}, 12, 3, a->theme.border);
        ui_text(&a->dl, x + 16, ly + 20, 488, dots, 44, 1, a->theme.text, AL_LEFT, 0);
        ly += 96 + 32;
        app_button(a, (ui_rect_t){x, ly, 520, 104}, tr(a, "pin.cancel"), NULL, ACT_AGENT_LEAVE,
                   BTN_SECONDARY, 1);
    }
    /* the right column: the pad */
    px = a->w - APP_MARGIN - (3 * kw + 2 * gap);
    py = top + 32 + 80;
    for (i = 0; i < 12; i++) {
        ui_rect_t r = {px + (i % 3) * (kw + gap), py + (i / 3) * (kh + gap), kw, kh};
        if (keys[i] != NULL) {
            app_button(a, r, keys[i], NULL, ACT_PIN_DIGIT + (keys[i][0] - '0'), BTN_KEY, 1);
            a->dl.ctls[a->dl.nctl - 1].ch = keys[i]; /* scripts type on it */
        }
        else if (i == 9)
            app_button(a, r, tr(a, "pin.erase"), NULL, ACT_PIN_ERASE, BTN_SECONDARY,
                       a->ag.pin_len > 0);
        else
            app_button(a, r, tr(a, "pin.ok"), NULL, ACT_PIN_OK, BTN_PRIMARY,
                       a->ag.pin_len >= 4 && a->ag.list != NULL && a->store != NULL);
    }
}

void scr_agent_draw(app_t *a)
{
    int top = app_top_bar(a), x = APP_MARGIN, w = a->w - 2 * APP_MARGIN, y = top + 24, i;
    char buf[600];
    const char *kv[] = {"name", a->ag.who != NULL ? a->ag.who->name : "",
                        "id", a->ag.who != NULL ? a->ag.who->id : "", NULL};

    y += app_heading(a, x, y, w, trf(a, buf, sizeof buf, "agent.title", kv)) + 16;
    y += message(a, x, y, w);
    for (i = 0; i < a->n_all; i++) {
        const pkg_t *p = a->all[i].pkg;
        polls_state_t s = POLLS_CLOSED;
        int64_t reg = 0, box = 0;
        char n1[24], n2[24], d0[11], d1[11], name[80], line[600];
        const char *kc[] = {"state", NULL, "reg", n1, "box", n2, "from", d0, "to", d1, NULL};
        int bx = x + w, bw, rowh = 200;
        ui_rect_t card = {x, y, w, rowh};

        (void)polls_get(a->store, p->id, &s);
        (void)store_counts(a->store, p->id, &reg, &box);
        snprintf(n1, sizeof n1, "%lld", (long long)reg);
        snprintf(n2, sizeof n2, "%lld", (long long)box);
        day_format(p->opens, d0);
        day_format(p->closes, d1);
        kc[1] = tr(a, state_key(s));
        {
            /* the changes this state allows, right-aligned; the words left of them */
            const char *keys[6];
            int acts[6], styles[6], nb = 0, k, tx = x + 24, tw, th1, th2;
            int may = a->ag.who != NULL && a->ag.who->role == AGENT_ROLE_AGENT;
            if (s == POLLS_CLOSED && may) {
                keys[nb] = "btn.open", acts[nb] = ACT_POLLS_OPEN + i, styles[nb++] = BTN_PRIMARY;
            }
            if (s == POLLS_PAUSED && may) {
                keys[nb] = "btn.resume", acts[nb] = ACT_POLLS_RESUME + i, styles[nb++] = BTN_PRIMARY;
            }
            if (s == POLLS_OPEN && may && p->supervised) {
                keys[nb] = "btn.desk", acts[nb] = ACT_DESK + i, styles[nb++] = BTN_PRIMARY;
            }
            if (s == POLLS_OPEN && may) {
                keys[nb] = "btn.pause", acts[nb] = ACT_POLLS_PAUSE + i, styles[nb++] = BTN_SECONDARY;
            }
            if ((s == POLLS_OPEN || s == POLLS_PAUSED) && may) {
                keys[nb] = "btn.close", acts[nb] = ACT_POLLS_CLOSE + i, styles[nb++] = BTN_SECONDARY;
            }
            if (s != POLLS_CLOSED) {
                keys[nb] = "btn.report", acts[nb] = ACT_REPORT_SHOW + i, styles[nb++] = BTN_SECONDARY;
            }
            int below, by;
            bx = x + w - 24;
            for (k = 0; k < nb; k++)
                bx -= app_button_w(a, tr(a, keys[k]), (btn_style_t)styles[k], 200) + 16;
            /* the buttons beside the words, or under them when that leaves
             * the words too little room */
            below = bx - tx - 16 < 560;
            tw = below ? w - 48 : bx - tx - 16;
            trf(a, line, sizeof line, p->kind == PKG_PETITION ? "agent.row.pet" : "agent.row", kc);
            th1 = ui_text_h(&a->dl, app_ptext(a, &p->title), app_sz(a, 30), 1, tw, 0);
            th2 = ui_text_h(&a->dl, line, app_sz(a, 26), 0, tw, 0);
            if (below)
                rowh = th1 + th2 + 56 + 104 + 16;
            else if (th1 + th2 + 56 > rowh)
                rowh = th1 + th2 + 56;
            by = below ? y + th1 + th2 + 56 : y + (rowh - 104) / 2;
            card.h = rowh;
            dl_rrect(&a->dl, card, 16, a->theme.surface);
            dl_ring(&a->dl, card, 16, 2, a->theme.border);
            ui_text(&a->dl, tx, y + 20, tw, app_ptext(a, &p->title), app_sz(a, 30), 1,
                    a->theme.text, AL_LEFT, 0);
            ui_text(&a->dl, tx, y + 36 + th1, tw, line, app_sz(a, 26), 0, a->theme.text, AL_LEFT,
                    0);
            for (k = 0; k < nb; k++) {
                const char *l = tr(a, keys[k]);
                bw = app_button_w(a, l, (btn_style_t)styles[k], 200);
                snprintf(name, sizeof name, "%s %s", keys[k] + 4, p->id);
                app_button(a, (ui_rect_t){bx + 16, by, bw, 104}, l, name, acts[k],
                           (btn_style_t)styles[k], 1);
                bx += bw + 16;
            }
        }
        y += rowh + 20;
    }
    /* a technician's: enrol, a new bundle, the wipe after the campaign */
    if (a->ag.who != NULL && a->ag.who->role == AGENT_ROLE_TECHNICIAN) {
        const char *labels[3] = {tr(a, "tech.enrol"), tr(a, "tech.import"),
                                 tr(a, a->ag.wipe_asked ? "tech.wipe.confirm" : "tech.wipe")};
        const int acts[3] = {ACT_TECH_ENROL, ACT_TECH_IMPORT,
                             a->ag.wipe_asked ? ACT_TECH_WIPE_CONFIRM : ACT_TECH_WIPE};
        int bw = (w - 2 * 24) / 3, bh = 0;
        for (i = 0; i < 3; i++)
            bh = app_button_h(a, labels[i], bw, BTN_SECONDARY, bh > 104 ? bh : 104);
        for (i = 0; i < 3; i++)
            app_button(a, (ui_rect_t){x + i * (bw + 24), y, bw, bh}, labels[i], NULL, acts[i],
                       i == 2 && a->ag.wipe_asked ? BTN_PRIMARY : BTN_SECONDARY, 1);
        y += bh + 24;
    }
    /* the kiosk's own actions */
    {
        const char *labels[4] = {tr(a, "agent.status"), tr(a, "agent.sync"), tr(a, "agent.export"),
                                 tr(a, "agent.leave")};
        const int acts[4] = {ACT_AGENT_STATUS, ACT_AGENT_SYNC, ACT_AGENT_EXPORT, ACT_AGENT_LEAVE};
        int bw = (w - 3 * 24) / 4, bh = 0;
        for (i = 0; i < 4; i++)
            bh = app_button_h(a, labels[i], bw, BTN_SECONDARY, bh > 104 ? bh : 104);
        y = a->h - 40 - bh > y ? a->h - 40 - bh : y;
        for (i = 0; i < 4; i++)
            app_button(a, (ui_rect_t){x + i * (bw + 24), y, bw, bh}, labels[i], NULL, acts[i],
                       i == 3 ? BTN_PRIMARY : BTN_SECONDARY, 1);
    }
}

void scr_report_draw(app_t *a)
{
    int top = app_top_bar(a), x = APP_MARGIN, w = a->w - 2 * APP_MARGIN, y = top + 24;
    int qsize = 420, tw = w - qsize - 64, bh = 104;
    char hex[65], groups[90];
    int i, k = 0;

    y += app_heading(a, x, y, w, tr(a, a->ag.report_closing ? "report.closing" : "report.zero")) +
         12;
    y += message(a, x, y, tw);
    if (a->ag.report_text != NULL) {
        /* the report as it is signed, line by line */
        {
            const char *p = a->ag.report_text, *end = p + a->ag.report_len;
            while (p < end && y < a->h - bh - 80) {
                const char *nl = memchr(p, '\n', (size_t)(end - p));
                char line[200];
                size_t n = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);
                snprintf(line, sizeof line, "%.*s", (int)(n < 199 ? n : 199), p);
                y += ui_text(&a->dl, x, y, tw, line, 22, 0, a->theme.text, AL_LEFT, 0);
                p += n + 1;
            }
        }
    }
    hex_encode(a->ag.report_digest, 32, hex);
    app_qr(a, hex, a->w - APP_MARGIN - qsize, top + 24, qsize);
    for (i = 0; i < 64; i += 8) {
        memcpy(groups + k, hex + i, 8);
        k += 8;
        groups[k++] = i % 16 == 8 ? '\n' : ' ';
    }
    groups[k - 1] = '\0';
    ui_text(&a->dl, a->w - APP_MARGIN - qsize, top + 24 + qsize + 16, qsize, tr(a, "report.digest"),
            22, 1, a->theme.text, AL_LEFT, 0);
    ui_text(&a->dl, a->w - APP_MARGIN - qsize, top + 24 + qsize + 48, qsize, groups, 22, 0,
            a->theme.text, AL_LEFT, 0);
    {
        int bw = 420, by = a->h - 40 - bh;
        app_button(a, (ui_rect_t){a->w - APP_MARGIN - bw, by, bw, bh}, tr(a, "report.done"), NULL,
                   ACT_AGENT_HOME, BTN_PRIMARY, 1);
        app_button(a, (ui_rect_t){a->w - APP_MARGIN - 2 * bw - 24, by, bw, bh},
                   tr(a, "report.print"), NULL, ACT_REPORT_PRINT, BTN_SECONDARY, 1);
    }
}

/* A "name: value" line of the status screen; returns its height. */
static int status_line(app_t *a, int x, int y, int w, const char *key, const char *value, int bad)
{
    char buf[700];

    snprintf(buf, sizeof buf, "%s%s : %s", bad ? "! " : "", tr(a, key), value);
    return ui_text(&a->dl, x, y, w, buf, app_sz(a, 28), bad, a->theme.text, AL_LEFT, 0) + 10;
}

void scr_status_draw(app_t *a)
{
    int top = app_top_bar(a), x = APP_MARGIN, w = a->w - 2 * APP_MARGIN, y = top + 24, i;
    char v[400], d[11];
    int64_t ms = app_wall_ms(a), out = 0;
    struct statvfs fs;

    y += app_heading(a, x, y, w, tr(a, "status.title")) + 16;
    y += message(a, x, y, w);
    for (i = 0; i < a->n_all; i++) {
        polls_state_t s = POLLS_CLOSED;
        int64_t reg = 0, box = 0;
        const pkg_t *p = a->all[i].pkg;
        char vd[11];
        (void)polls_get(a->store, p->id, &s);
        (void)store_counts(a->store, p->id, &reg, &box);
        day_format(p->valid_until, vd);
        {
            char n1[24], n2[24];
            const char *kv[] = {"state", tr(a, state_key(s)), "reg", n1, "box", n2, "until", vd,
                                NULL};
            snprintf(n1, sizeof n1, "%lld", (long long)reg);
            snprintf(n2, sizeof n2, "%lld", (long long)box);
            trf(a, v, sizeof v, p->kind == PKG_PETITION ? "status.pcounts" : "status.counts", kv);
        }
        y += status_line(a, x, y, w, "status.campaign", v, 0) - 10;
        y += ui_text(&a->dl, x + 40, y, w - 40, app_ptext(a, &p->title), app_sz(a, 24), 0,
                     a->theme.muted, AL_LEFT, 0) + 10;
    }
    day_format((uint32_t)(ms / 86400000), d);
    snprintf(v, sizeof v, "%s %02d:%02d", d, (int)(ms / 3600000 % 24), (int)(ms / 60000 % 60));
    y += status_line(a, x, y, w, "status.clock", v, ms / 86400000 < 20000);
    if (statvfs(a->state_dir, &fs) == 0) {
        double mb = (double)fs.f_bavail * (double)fs.f_frsize / 1e6;
        snprintf(v, sizeof v, "%.0f Mo", mb);
        y += status_line(a, x, y, w, "status.disk", v, mb < 100);
    }
    (void)store_outbox_count(a->store, &out);
    if (a->sync != NULL) {
        ksync_status_t st;
        ksync_status(a->sync, &st);
        char last[40] = "-";
        if (st.last_ok_s > 0) {
            struct tm tm;
            time_t t = (time_t)st.last_ok_s;
            localtime_r(&t, &tm);
            strftime(last, sizeof last, "%Y-%m-%d %H:%M", &tm);
        }
        snprintf(v, sizeof v, "%s, %s %s, %lld %s%s%.120s",
                 tr(a, st.online ? "status.online" : "status.offline"), tr(a, "status.lastsync"),
                 last, (long long)out, tr(a, "status.waiting"), st.last_error[0] ? " - " : "",
                 st.last_error);
        y += status_line(a, x, y, w, "status.sync", v, !st.online);
    } else {
        snprintf(v, sizeof v, "%s, %lld %s", tr(a, "status.noserver"), (long long)out,
                 tr(a, "status.waiting"));
        y += status_line(a, x, y, w, "status.sync", v, 0);
    }
    {
        char path[700];
        mbedtls_x509_crt crt;
        mbedtls_x509_crt_init(&crt);
        snprintf(path, sizeof path, "%s/kiosk.crt", a->state_dir);
        if (mbedtls_x509_crt_parse_file(&crt, path) == 0) {
            snprintf(v, sizeof v, "%04d-%02d-%02d", crt.valid_to.year, crt.valid_to.mon,
                     crt.valid_to.day);
            y += status_line(a, x, y, w, "status.cert", v, 0);
        } else {
            y += status_line(a, x, y, w, "status.cert", tr(a, "status.nocert"), 1);
        }
        mbedtls_x509_crt_free(&crt);
    }
    if (a->printer[0] != '\0') {
        /* a device that is there and writable; a file may be made */
        int ready = access(a->printer, W_OK) == 0 ||
                    (access(a->printer, F_OK) != 0 && strncmp(a->printer, "/dev/", 5) != 0);
        snprintf(v, sizeof v, "%.200s, %s", a->printer,
                 tr(a, ready ? "status.printer.ready" : "status.printer.absent"));
        y += status_line(a, x, y, w, "status.printer", v, !ready);
    } else {
        y += status_line(a, x, y, w, "status.printer", tr(a, "status.noprinter"), 0);
    }
    (void)y;
    app_button(a, (ui_rect_t){a->w - APP_MARGIN - 420, a->h - 40 - 104, 420, 104},
               tr(a, "report.done"), NULL, ACT_AGENT_HOME, BTN_PRIMARY, 1);
}

void scr_export_draw(app_t *a)
{
    int top = app_top_bar(a), x = APP_MARGIN, w = a->w - 2 * APP_MARGIN, y = top + 24, i;

    y += app_heading(a, x, y, w, tr(a, a->ag.drive_op == ACT_TECH_ENROL ? "tech.enrol"
                                       : a->ag.drive_op == ACT_TECH_IMPORT ? "tech.import"
                                                                           : "export.title")) + 16;
    y += states(a, x, y, w) + 16;
    y += message(a, x, y, w);
    if (a->ag.n_mounts == 0)
        y += app_para(a, x, y, w, tr(a, "export.nodrive")) + 24;
    else
        y += app_para(a, x, y, w, tr(a, "export.choose")) + 24;
    for (i = 0; i < a->ag.n_mounts; i++) {
        /* the drive by its name, as the agent's own computer shows it */
        const char *slash = strrchr(a->ag.mounts[i], '/');
        const char *label = slash != NULL && slash[1] ? slash + 1 : a->ag.mounts[i];
        int bh = app_button_h(a, label, w, BTN_SECONDARY, 104);
        app_button(a, (ui_rect_t){x, y, w, bh}, label, NULL, ACT_EXPORT_TO + i, BTN_SECONDARY, 1);
        y += bh + 16;
    }
    app_button(a, (ui_rect_t){a->w - APP_MARGIN - 420, a->h - 40 - 104, 420, 104},
               tr(a, "report.done"), NULL, ACT_AGENT_HOME, BTN_PRIMARY, 1);
}

/* The desk: the voting code just given, for the citizen to take away. */
void scr_deskcode_draw(app_t *a)
{
    int top = app_top_bar(a), x = APP_MARGIN, w = a->w - 2 * APP_MARGIN, y = top + 24;
    int qsize = 380, bh = 104;

    y += app_heading(a, x, y, w - qsize - 48, tr(a, "desk.title")) + 16;
    y += message(a, x, y, w - qsize - 48);
    y += ui_text(&a->dl, x, y, w - qsize - 48, a->desk_code, 96, 1, a->theme.text, AL_LEFT, 0) +
         24;
    app_para(a, x, y, w - qsize - 48, tr(a, "desk.body"));
    app_qr(a, a->desk_code, a->w - APP_MARGIN - qsize, top + 24, qsize);
    app_button(a, (ui_rect_t){a->w - APP_MARGIN - 420, a->h - 40 - bh, 420, bh},
               tr(a, "desk.done"), NULL, ACT_AGENT_HOME, BTN_PRIMARY, 1);
    app_button(a, (ui_rect_t){a->w - APP_MARGIN - 2 * 420 - 24, a->h - 40 - bh, 420, bh},
               tr(a, "report.print"), NULL, ACT_REPORT_PRINT, BTN_SECONDARY, 1);
}
