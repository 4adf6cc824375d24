/* main.c - borne, the kiosk: window, event loop, headless scripted runs,
 * and the small state-directory commands (--init-demo, --check-state). */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <SDL.h>
#include <SDL_image.h>
#include <SDL_ttf.h>

#include "app.h"
#include "bn_err.h"
#include "conf.h"
#include "day.h"
#include "harden.h"
#include "kiosk.h"
#include "pkg.h"
#include "render_sdl.h"
#include "script.h"
#include "speech.h"
#include "prov_demo.h"

#define FONT_DIR "/usr/share/fonts/truetype/dejavu"

typedef struct shots_s {
    const char *dir;
    const char *refs;   /* compare each shot with refs/NAME.png */
    int update_refs;    /* ... or write it there */
    int width;
    unsigned epoch;
    render_t *r;
    SDL_Surface *canvas;
} shots_t;

static void usage(FILE *f)
{
    fprintf(f,
            "usage: borne --state DIR [--window] [--size WxH] [--today YYYY-MM-DD]\n"
            "       borne --headless --state DIR --script FILE --shots DIR [--size WxH]\n"
            "             [--shot-width W] [--today YYYY-MM-DD] [--warn-ms MS] [--reset-ms MS]\n"
            "             [--refs DIR [--update-refs]]  compare shots with DIR/NAME.png\n"
            "             (BORNE_UPDATE_REFS=1 also rewrites the references)\n"
            "       (both) [--switch-keys NEXT,SELECT]  two-switch scanning, default F1,F2\n"
            "              (or the first line of STATE/switch-keys)\n"
            "       headless: [--speech-log FILE]  audio mode's words, one line each\n"
            "       window: [--audio-device NAME]  audio mode's output (none: no audio mode)\n"
            "       borne --init-demo DIR [--demo-campaigns budget|petition|both|ideas|questionnaire|all]\n"
            "              [--demo-ballot approval|cumulative|ordinal]\n"
            "              (default both: the demo budget vote and the demo petition)\n"
            "       borne --init-demo DIR --demo-server SRV [--demo-kiosk N] [--demo-port P]\n"
            "              kiosk N (default 1) of `borne-server init-demo SRV`, syncing\n"
            "              with borne-server on 127.0.0.1:P (default 8443)\n"
            "       borne --check-state DIR\n"
            "       borne --enroll --state DIR --out DIR [--authority FILE.crt] [--tpm TCTI]\n"
            "              makes the kiosk's key and writes its certificate request to OUT\n"
            "              (for borne-admin kiosk enroll); pins the authority given;\n"
            "              --tpm: the key made and kept inside the TPM TCTI names\n"
            "              (device:/dev/tpmrm0), never in a file\n"
            "       borne --provision BUNDLE_DIR --state DIR\n"
            "              imports the provisioning bundle borne-admin kiosk enroll wrote\n"
            "       borne --open-polls CAMPAIGN --state DIR\n"
            "              opens a campaign's polls (until agent mode: two agents' PINs)\n"
            "       borne --version | --help\n"
            "Options: --config FILE (default " CONF_DEFAULT_PATH " or $BORNE_CONFIG: its\n"
            "[kiosk] section; flags override it), --assets DIR (default: beside the program,\n"
            "../share/borne, or $BORNE_ASSETS), --fonts DIR (default %s).\n"
            "Headless runs print \"receipt CODE\" on stdout for every receipt shown.\n"
            "See borne(1).\n",
            FONT_DIR);
}

/* BORNE_PEAK_RSS_FILE=PATH (borne-bench): writes this process's peak
 * resident set (VmHWM of /proc/self/status, kB) to PATH at the end. */
static void peak_rss_report(void)
{
    const char *path = getenv("BORNE_PEAK_RSS_FILE");
    char line[256];
    long kb = -1;
    FILE *f;

    if (path == NULL || *path == '\0' || (f = fopen("/proc/self/status", "r")) == NULL)
        return;
    while (fgets(line, sizeof line, f) != NULL)
        if (sscanf(line, "VmHWM: %ld kB", &kb) == 1)
            break;
    fclose(f);
    if (kb > 0 && (f = fopen(path, "w")) != NULL) {
        fprintf(f, "%ld\n", kb);
        fclose(f);
    }
}

/* Reference screenshots: a shot matches its reference when the mean
 * absolute difference is under 1 % and under 0.5 % of the pixels are off
 * by more than 32 (font rendering differs a little between machines). */
#define REF_MAX_MAD 0.01
#define REF_MAX_OFF 0.005

static int shot(void *arg, app_t *a, const char *name)
{
    shots_t *s = arg;
    char path[1200], ref[1200], err[1300];
    double mad, off;
    int rc;

    if (s->dir == NULL)
        return 0;
    if (a->session_epoch != s->epoch) {
        render_forget(s->r); /* the cached texts of a finished session */
        s->epoch = a->session_epoch;
    }
    render_draw(s->r, &a->dl, s->canvas);
    snprintf(path, sizeof path, "%s/%s.png", s->dir, name);
    if ((rc = render_save_png(s->canvas, path, s->width)) != 0 || s->refs == NULL)
        return rc;
    snprintf(ref, sizeof ref, "%s/%s.png", s->refs, name);
    if (s->update_refs) {
        rc = render_save_png(s->canvas, ref, s->width);
        if (rc == 0)
            fprintf(stderr, "borne: reference %s written\n", ref);
        return rc;
    }
    rc = render_compare_png(path, ref, &mad, &off);
    if (rc == 0 && mad < REF_MAX_MAD && off < REF_MAX_OFF)
        return 0;
    /* the screen as it is, beside the reference, for a look */
    snprintf(err, sizeof err, "%s/%s_err.png", s->dir, name);
    (void)render_save_png(s->canvas, err, s->width);
    if (rc != 0)
        fprintf(stderr, "borne: shot %s: reference %s: %s\n", name, ref,
                rc == BN_EINVAL ? "size differs" : "cannot be read");
    else
        fprintf(stderr,
                "borne: shot %s differs from %s: mean difference %.2f %% (max 1 %%), "
                "%.2f %% of pixels off by more than 32 (max 0.5 %%); see %s\n",
                name, ref, 100 * mad, 100 * off, err);
    return BN_EINVAL;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    if (f == NULL)
        return NULL;
    if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return NULL;
    }
    buf = malloc((size_t)n + 1);
    if (buf != NULL && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf != NULL)
        buf[n] = '\0';
    return buf;
}

static int key_of(const SDL_Keysym *k, app_key_t *out, char *ch)
{
    *ch = 0;
    /* the numeric keypad by position (NumLock on or off) */
    if (k->scancode >= SDL_SCANCODE_KP_1 && k->scancode <= SDL_SCANCODE_KP_9) {
        *out = (app_key_t)(KEY_KP1 + (k->scancode - SDL_SCANCODE_KP_1));
        return 1;
    }
    switch (k->scancode) {
    case SDL_SCANCODE_KP_0: *out = KEY_KP0; return 1;
    case SDL_SCANCODE_KP_PERIOD: *out = KEY_KP_PERIOD; return 1;
    case SDL_SCANCODE_KP_PLUS: *out = KEY_KP_PLUS; return 1;
    case SDL_SCANCODE_KP_MINUS: *out = KEY_KP_MINUS; return 1;
    case SDL_SCANCODE_KP_MULTIPLY: *out = KEY_KP_STAR; return 1;
    case SDL_SCANCODE_KP_DIVIDE: *out = KEY_KP_SLASH; return 1;
    case SDL_SCANCODE_KP_ENTER: *out = KEY_KP_ENTER; return 1;
    default: break;
    }
    switch (k->sym) {
    case SDLK_TAB: *out = (k->mod & KMOD_SHIFT) ? KEY_SHIFT_TAB : KEY_TAB; return 1;
    case SDLK_RETURN: *out = KEY_ENTER; return 1;
    case SDLK_ESCAPE: *out = KEY_ESCAPE; return 1;
    case SDLK_LEFT: *out = KEY_LEFT; return 1;
    case SDLK_RIGHT: *out = KEY_RIGHT; return 1;
    case SDLK_UP: *out = KEY_UP; return 1;
    case SDLK_DOWN: *out = KEY_DOWN; return 1;
    case SDLK_SPACE: *out = KEY_SPACE; return 1;
    case SDLK_BACKSPACE: *out = KEY_BACKSPACE; return 1;
    default: break;
    }
    if (k->sym >= SDLK_F1 && k->sym <= SDLK_F12) {
        *out = (app_key_t)(KEY_F1 + (k->sym - SDLK_F1));
        return 1;
    }
    if ((k->sym >= SDLK_a && k->sym <= SDLK_z) || (k->sym >= SDLK_0 && k->sym <= SDLK_9) ||
        k->sym == SDLK_MINUS || k->sym == SDLK_QUOTE) {
        *ch = (char)k->sym;
        return 2;
    }
    return 0;
}

/* Waits up to timeout_ms for an event. SDL_WaitEventTimeout blocks on
 * X11 and Wayland, but on drivers that cannot (offscreen, kmsdrm) it wakes
 * every millisecond: there, poll every 10 ms for a second after the last
 * input and every 40 ms when idle (idle_cpu_percent, docs/benchmarks.md). */
static int wait_event(SDL_Event *ev, uint32_t timeout_ms, uint32_t idle_ms)
{
    const char *drv = SDL_GetCurrentVideoDriver();
    uint32_t start = SDL_GetTicks();

    if (drv != NULL && (strcmp(drv, "x11") == 0 || strcmp(drv, "wayland") == 0))
        return SDL_WaitEventTimeout(ev, (int)timeout_ms);
    for (;;) {
        uint32_t waited;
        if (SDL_PollEvent(ev))
            return 1;
        waited = SDL_GetTicks() - start;
        if (waited >= timeout_ms)
            return 0;
        SDL_Delay(idle_ms + waited < 1000 ? 10 : 40);
    }
}

/* The interactive loop: redraw only when something changed, wait for events. */
static int run_window(app_t *a, render_t *r, SDL_Window *win, SDL_Surface *canvas)
{
    unsigned epoch = a->session_epoch;

    for (;;) {
        SDL_Event ev;
        int got;

        app_tick(a, SDL_GetTicks());
        if (a->session_epoch != epoch) {
            render_forget(r);
            epoch = a->session_epoch;
        }
        if (app_draw(a)) {
            SDL_Surface *ws = SDL_GetWindowSurface(win);
            render_draw(r, &a->dl, canvas);
            if (ws != NULL) {
                if (ws->w == canvas->w && ws->h == canvas->h)
                    SDL_BlitSurface(canvas, NULL, ws, NULL);
                else
                    SDL_BlitScaled(canvas, NULL, ws, NULL);
                SDL_UpdateWindowSurface(win);
            }
        }
        got = wait_event(&ev, a->warning ? 250 : 1000, SDL_GetTicks() - a->last_input);
        while (got) {
            SDL_Surface *ws = SDL_GetWindowSurface(win);
            int ww = ws != NULL ? ws->w : canvas->w, wh = ws != NULL ? ws->h : canvas->h;
            app_key_t k;
            char ch[2] = {0, 0};

            a->now = SDL_GetTicks();
            switch (ev.type) {
            case SDL_QUIT:
                return 0;
            /* a control acts on release, the finger still on it (app_release) */
            case SDL_FINGERDOWN:
                app_press(a, (int)(ev.tfinger.x * a->w), (int)(ev.tfinger.y * a->h));
                break;
            case SDL_FINGERUP:
                app_release(a, (int)(ev.tfinger.x * a->w), (int)(ev.tfinger.y * a->h));
                break;
            case SDL_MOUSEBUTTONDOWN:
                if (ev.button.which != SDL_TOUCH_MOUSEID && ev.button.button == SDL_BUTTON_LEFT)
                    app_press(a, ev.button.x * a->w / ww, ev.button.y * a->h / wh);
                break;
            case SDL_MOUSEBUTTONUP:
                if (ev.button.which != SDL_TOUCH_MOUSEID && ev.button.button == SDL_BUTTON_LEFT)
                    app_release(a, ev.button.x * a->w / ww, ev.button.y * a->h / wh);
                break;
            case SDL_KEYDOWN:
                /* the agents' chord: Ctrl+Alt+A */
                if (ev.key.keysym.sym == SDLK_a && (ev.key.keysym.mod & KMOD_CTRL) &&
                    (ev.key.keysym.mod & KMOD_ALT)) {
                    app_key(a, KEY_AGENT);
                    break;
                }
                switch (key_of(&ev.key.keysym, &k, &ch[0])) {
                case 1: app_key(a, k); break;
                case 2: app_char(a, ch); break;
                }
                break;
            case SDL_WINDOWEVENT:
                a->dirty = 1;
                break;
            }
            got = SDL_PollEvent(&ev);
        }
    }
}

/* What the command line asked for. */
typedef struct args_s {
    const char *state, *script_path, *assets, *fonts, *switch_keys, *init_dir, *demo_server;
    long demo_kiosk, demo_port, warn_ms, reset_ms;
    unsigned demo;
    int headless, windowed, w, h, sized;
    uint32_t today;
    int enroll;
    const char *enroll_out, *authority, *provision, *open_polls, *tpm;
    const char *speech_log;           /* --speech-log (headless only, AUDIO-A3) */
    char assets_dir[1024];
    char audio_device[128];           /* [kiosk] audio-device: "" the default, "none" */
    /* /etc/borne/borne.conf's [kiosk] (conf.h) */
    char c_state[512], c_assets[512], c_fonts[512], c_size[32], c_switch[64];
    char printer[256], media[256], server_address[64];
    long long c_warn_s, c_reset_s;
} args_t;

/* --config FILE, else $BORNE_CONFIG (both must exist), else
 * /etc/borne/borne.conf if it exists: its [kiosk] section into a. */
static int load_conf(int argc, char **argv, args_t *a)
{
    static const char *const others[] = {"server", NULL};
    const conf_key_t keys[] = {
        {"kiosk", "state", CONF_TEXT, 0, 0, 0, a->c_state, sizeof a->c_state},
        {"kiosk", "assets", CONF_TEXT, 0, 0, 0, a->c_assets, sizeof a->c_assets},
        {"kiosk", "fonts", CONF_TEXT, 0, 0, 0, a->c_fonts, sizeof a->c_fonts},
        {"kiosk", "size", CONF_TEXT, 0, 0, 0, a->c_size, sizeof a->c_size},
        {"kiosk", "switch-keys", CONF_TEXT, 0, 0, 0, a->c_switch, sizeof a->c_switch},
        {"kiosk", "warn-s", CONF_INT, 5, 3600, 1, &a->c_warn_s, 0},
        {"kiosk", "reset-s", CONF_INT, 6, 7200, 1, &a->c_reset_s, 0},
        {"kiosk", "printer", CONF_TEXT, 0, 0, 0, a->printer, sizeof a->printer},
        {"kiosk", "export-folder", CONF_TEXT, 0, 0, 0, a->media, sizeof a->media},
        {"kiosk", "audio-device", CONF_TEXT, 0, 0, 0, a->audio_device, sizeof a->audio_device},
        {"kiosk", "server-address", CONF_HOST, 1, 0, 0, a->server_address,
         sizeof a->server_address},
    };
    const char *path = getenv("BORNE_CONFIG");
    char why[700] = "";
    int i, rc, must = path != NULL && *path != '\0';

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
            path = argv[i + 1], must = 1;
        else if (strncmp(argv[i], "--config=", 9) == 0)
            path = argv[i] + 9, must = 1;
    }
    if (!must)
        path = CONF_DEFAULT_PATH;
    rc = conf_load(path, keys, sizeof keys / sizeof keys[0], others, NULL, why, sizeof why);
    if (rc == BN_ENOTFOUND && !must)
        return 0;
    if (rc != 0) {
        fprintf(stderr, "borne: %s\n", why);
        return 2;
    }
    if (a->c_size[0] != '\0' && strcmp(a->c_size, "auto") != 0) {
        if (sscanf(a->c_size, "%dx%d", &a->w, &a->h) != 2 || a->w < 640 || a->h < 480 ||
            a->w > 8192 || a->h > 8192) {
            fprintf(stderr, "borne: %s: size: '%s' is not WxH (e.g. 1920x1080) or auto\n",
                    path, a->c_size);
            return 2;
        }
        a->sized = 1;
    }
    if (a->c_state[0] != '\0')
        a->state = a->c_state;
    if (a->c_assets[0] != '\0')
        a->assets = a->c_assets;
    if (a->c_fonts[0] != '\0')
        a->fonts = a->c_fonts;
    if (a->c_switch[0] != '\0')
        a->switch_keys = a->c_switch;
    if (a->c_warn_s > 0)
        a->warn_ms = (long)a->c_warn_s * 1000;
    if (a->c_reset_s > 0)
        a->reset_ms = (long)a->c_reset_s * 1000;
    return 0;
}

/* STATE/kiosk-id (written by --provision), or "this kiosk". */
static const char *kiosk_id(const char *state, char *buf, size_t cap)
{
    char path[1024];
    FILE *f;

    snprintf(path, sizeof path, "%s/kiosk-id", state);
    if ((f = fopen(path, "r")) == NULL || fgets(buf, (int)cap, f) == NULL)
        snprintf(buf, cap, "this kiosk");
    if (f != NULL)
        fclose(f);
    buf[strcspn(buf, "\r\n")] = '\0';
    return buf;
}

/* 1. The options. Returns -1 to go on, or the exit status (help, errors,
 * --check-state). */
static int parse_args(int argc, char **argv, args_t *a, shots_t *shots)
{
    static const struct option opts[] = {
        {"headless", no_argument, NULL, 'H'},   {"state", required_argument, NULL, 's'},
        {"script", required_argument, NULL, 'S'}, {"shots", required_argument, NULL, 'o'},
        {"size", required_argument, NULL, 'z'}, {"shot-width", required_argument, NULL, 'W'},
        {"today", required_argument, NULL, 't'}, {"warn-ms", required_argument, NULL, 'w'},
        {"reset-ms", required_argument, NULL, 'r'}, {"init-demo", required_argument, NULL, 'I'},
        {"check-state", required_argument, NULL, 'C'}, {"assets", required_argument, NULL, 'a'},
        {"fonts", required_argument, NULL, 'f'}, {"window", no_argument, NULL, 'n'},
        {"switch-keys", required_argument, NULL, 'k'},
        {"refs", required_argument, NULL, 'R'}, {"update-refs", no_argument, NULL, 'U'},
        {"demo-campaigns", required_argument, NULL, 'D'},
        {"demo-server", required_argument, NULL, 'V'}, {"demo-kiosk", required_argument, NULL, 'K'},
        {"demo-port", required_argument, NULL, 'P'},
        {"enroll", no_argument, NULL, 'E'}, {"out", required_argument, NULL, 'O'},
        {"authority", required_argument, NULL, 'A'}, {"tpm", required_argument, NULL, 'T'},
        {"provision", required_argument, NULL, 'B'},
        {"open-polls", required_argument, NULL, 'L'},
        {"speech-log", required_argument, NULL, 'G'},
        {"demo-ballot", required_argument, NULL, 'X'},
        {"audio-device", required_argument, NULL, 'j'},
        {"config", required_argument, NULL, 'c'}, {"version", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},       {NULL, 0, NULL, 0},
    };
    const char *update_env = getenv("BORNE_UPDATE_REFS");
    char why[1024] = "";
    int c, rc;

    memset(a, 0, sizeof *a);
    a->assets = NULL; /* conf_assets: beside the program */
    a->fonts = FONT_DIR;
    a->demo_kiosk = 1;
    a->demo_port = 8443;
    a->demo = KIOSK_DEMO_BUDGET | KIOSK_DEMO_PETITION;
    a->w = 1920;
    a->h = 1080;
    a->warn_ms = 60000;
    a->reset_ms = 90000;
    a->today = day_today();
    if (update_env != NULL && strcmp(update_env, "1") == 0)
        shots->update_refs = 1;
    for (c = 1; c < argc; c++) /* before the configuration: they need none */
        if (strcmp(argv[c], "--version") == 0)
            return printf("borne " BORNE_VERSION "\n"), 0;
        else if (strcmp(argv[c], "--help") == 0 || strcmp(argv[c], "-h") == 0)
            return usage(stdout), 0;
    if ((rc = load_conf(argc, argv, a)) != 0)
        return rc;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'H': a->headless = 1; break;
        case 's': a->state = optarg; break;
        case 'S': a->script_path = optarg; break;
        case 'o': shots->dir = optarg; break;
        case 'z':
            if (sscanf(optarg, "%dx%d", &a->w, &a->h) != 2 || a->w < 640 || a->h < 480 ||
                a->w > 8192 || a->h > 8192) {
                fprintf(stderr, "borne: --size: expected WxH, e.g. 1920x1080\n");
                return 2;
            }
            a->sized = 1;
            break;
        case 'W': shots->width = atoi(optarg); break;
        case 't':
            if (day_parse(optarg, &a->today) != 0) {
                fprintf(stderr, "borne: --today: expected YYYY-MM-DD\n");
                return 2;
            }
            break;
        case 'w': a->warn_ms = atol(optarg); break;
        case 'r': a->reset_ms = atol(optarg); break;
        case 'a': a->assets = optarg; break;
        case 'f': a->fonts = optarg; break;
        case 'n': a->windowed = 1; break;
        case 'k': a->switch_keys = optarg; break;
        case 'R': shots->refs = optarg; break;
        case 'U': shots->update_refs = 1; break;
        case 'I': a->init_dir = optarg; break;
        case 'E': a->enroll = 1; break;
        case 'O': a->enroll_out = optarg; break;
        case 'A': a->authority = optarg; break;
        case 'T': a->tpm = optarg; break;
        case 'B': a->provision = optarg; break;
        case 'L': a->open_polls = optarg; break;
        case 'G': a->speech_log = optarg; break;
        case 'X':
            if (prov_demo_set_ballot(optarg) != 0) {
                fprintf(stderr, "borne: --demo-ballot: approval, cumulative or ordinal\n");
                return 2;
            }
            break;
        case 'j': snprintf(a->audio_device, sizeof a->audio_device, "%s", optarg); break;
        case 'V': a->demo_server = optarg; break;
        case 'K': a->demo_kiosk = atol(optarg); break;
        case 'P': a->demo_port = atol(optarg); break;
        case 'D':
            if (strcmp(optarg, "budget") == 0)
                a->demo = KIOSK_DEMO_BUDGET;
            else if (strcmp(optarg, "petition") == 0)
                a->demo = KIOSK_DEMO_PETITION;
            else if (strcmp(optarg, "both") == 0)
                a->demo = KIOSK_DEMO_BUDGET | KIOSK_DEMO_PETITION;
            else if (strcmp(optarg, "ideas") == 0)
                a->demo = KIOSK_DEMO_IDEAS;
            else if (strcmp(optarg, "questionnaire") == 0)
                a->demo = KIOSK_DEMO_QUEST;
            else if (strcmp(optarg, "all") == 0)
                a->demo = KIOSK_DEMO_BUDGET | KIOSK_DEMO_PETITION | KIOSK_DEMO_IDEAS |
                          KIOSK_DEMO_QUEST;
            else {
                fprintf(stderr, "borne: --demo-campaigns: budget, petition, both, ideas, questionnaire or all\n");
                return 2;
            }
            break;
        case 'C':
            if ((rc = kiosk_check_state(optarg, why, sizeof why)) != 0) {
                fprintf(stderr, "borne: --check-state: %s: %s\n", bn_strerror(rc), why);
                return 1;
            }
            return 0;
        case 'c': break; /* read by load_conf */
        case 'v': printf("borne " BORNE_VERSION "\n"); return 0;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (a->speech_log != NULL && !a->headless) {
        /* AUDIO-A3: what a voter hears names their choices; a kiosk in
         * service never writes it down */
        fprintf(stderr, "borne: --speech-log: only with --headless (a test run); a kiosk in "
                        "service never writes down what it says\n");
        return 2;
    }
    if (conf_assets(a->assets, a->assets_dir, sizeof a->assets_dir, why, sizeof why) != 0) {
        fprintf(stderr, "borne: %s\n", why);
        return 1;
    }
    a->assets = a->assets_dir;
    if (a->init_dir != NULL && optind == argc)
        return -1;
    /* the state-directory commands of enrolment: done here, then exit */
    char fpr[CERT_FPR_LEN] = "";
    if ((a->enroll || a->provision != NULL || a->open_polls != NULL) && optind == argc &&
        a->state != NULL) {
        if (a->enroll && a->enroll_out != NULL) {
            rc = a->tpm != NULL ? kiosk_use_tpm(a->state, a->tpm, why, sizeof why) : 0;
            if (rc == 0)
                rc = kiosk_enroll(a->state, a->enroll_out, a->authority, a->today, fpr, why,
                                  sizeof why);
        }
        else if (a->provision != NULL)
            rc = kiosk_provision(a->provision, a->state, a->today, why, sizeof why);
        else if (a->open_polls != NULL)
            rc = kiosk_open_polls(a->state, a->open_polls, why, sizeof why);
        else {
            usage(stderr);
            return 2;
        }
        if (rc != 0) {
            fprintf(stderr, "borne: %s: %s: %s\n",
                    a->enroll ? "--enroll" : a->provision ? "--provision" : "--open-polls",
                    bn_strerror(rc), why);
            return 1;
        }
        if (a->enroll && fpr[0] != '\0')
            printf("authority pinned; its fingerprint: %s\n"
                   "(compare it with the one borne-admin authority show prints)\n", fpr);
        if (a->enroll)
            printf("kiosk key %s %s; certificate request written to %s/kiosk.csr\n"
                   "take it to the authority: borne-admin kiosk enroll %s ...\n",
                   a->tpm != NULL ? "inside the TPM" : "in", a->tpm != NULL ? a->tpm : a->state,
                   a->enroll_out, a->enroll_out);
        else if (a->provision != NULL)
            printf("%s provisioned from %s\n", kiosk_id(a->state, fpr, sizeof fpr),
                   a->provision);
        else if (a->open_polls != NULL)
            printf("polls of %s open on this kiosk\n", a->open_polls);
        return 0;
    }
    if (optind != argc || a->state == NULL || (a->headless && a->script_path == NULL) ||
        a->warn_ms <= 0 || a->reset_ms <= a->warn_ms) {
        usage(stderr);
        return 2;
    }
    return -1;
}

/* 2. --init-demo: a demonstration state directory, then exit. */
static int init_demo(const args_t *a)
{
    char why[1024] = "";
    int rc;

    if (a->demo_server != NULL)
        rc = kiosk_init_from_server(a->init_dir, a->demo_server, (int)a->demo_kiosk,
                                    a->demo_port > 0 && a->demo_port < 65536
                                        ? (unsigned)a->demo_port : 0,
                                    why, sizeof why);
    else
        rc = kiosk_init_demo_with(a->init_dir, a->assets, a->demo, why, sizeof why);
    if (rc != 0) {
        fprintf(stderr, "borne: --init-demo: %s: %s\n", bn_strerror(rc), why);
        return 1;
    }
    printf("demo state directory ready: %s\n", a->init_dir);
    return 0;
}

/* 3. A headless run's script, parsed before anything opens. */
static int load_script(const args_t *a, script_t *sc)
{
    char why[1024] = "", *text;

    if ((text = slurp(a->script_path)) == NULL) {
        fprintf(stderr, "borne: cannot read %s\n", a->script_path);
        return 1;
    }
    if (script_parse(text, sc, why, sizeof why) != 0) {
        fprintf(stderr, "borne: %s: %s\n", a->script_path, why);
        free(text);
        return 1;
    }
    free(text);
    return 0;
}

/* 4. SDL, the window (hidden when headless), the canvas and the fonts;
 * the layout's zoom. Software rendering only: no OpenGL, no accelerated
 * framebuffer. */
static int open_video(args_t *a, SDL_Window **win, shots_t *shots, render_t **r, int *lw,
                      int *lh)
{
    char why[1024] = "";
    double zoom;

    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0 || TTF_Init() != 0 ||
        (IMG_Init(IMG_INIT_PNG) & IMG_INIT_PNG) == 0) {
        fprintf(stderr, "borne: SDL: %s\n", SDL_GetError());
        return 1;
    }
    if (!a->headless) {
        Uint32 flags = a->windowed ? 0 : SDL_WINDOW_FULLSCREEN_DESKTOP;
        *win = SDL_CreateWindow("borne", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, a->w,
                                a->h, flags);
        if (*win == NULL) {
            fprintf(stderr, "borne: window: %s\n", SDL_GetError());
            return 1;
        }
        if (!a->sized && !a->windowed)
            SDL_GetWindowSize(*win, &a->w, &a->h);
        SDL_ShowCursor(SDL_DISABLE);
    } else {
        /* the offscreen driver: a window exists, nothing is shown */
        *win = SDL_CreateWindow("borne", 0, 0, a->w, a->h, SDL_WINDOW_HIDDEN);
    }
    shots->canvas = SDL_CreateRGBSurfaceWithFormat(0, a->w, a->h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (shots->canvas == NULL) {
        fprintf(stderr, "borne: canvas: %s\n", SDL_GetError());
        return 1;
    }
    if (render_open(r, a->fonts, why, sizeof why) != 0) {
        fprintf(stderr, "borne: %s\n", why);
        return 1;
    }
    shots->r = *r;
    /* Screens lay out for a canvas whose shorter side is 1080 px (the size
     * the touch targets are set for); other screens scale that layout:
     * 1280x800 is laid out as 1728x1080 and drawn at 74 %. */
    zoom = (a->w < a->h ? a->w : a->h) / 1080.0;
    render_set_zoom(*r, zoom);
    *lw = (int)lround(a->w / zoom);
    *lh = (int)lround(a->h / zoom);
    return 0;
}

/* 5. The application and its state directory. Returns 0, 1, or 2 for
 * bad switch keys; a state the kiosk cannot open leaves it out of service
 * (returns 0: the screen says so). */
static int open_app(const args_t *a, app_t *app, render_t *r, int lw, int lh)
{
    const char *switch_keys = a->switch_keys;
    char switch_file[64] = "", why[8192] = "";
    int rc;

    if ((rc = app_init(app, a->assets, render_measure(r), lw, lh, why, sizeof why)) != 0) {
        fprintf(stderr, "borne: %s: %s\n", bn_strerror(rc), why);
        return 1;
    }
    /* the two switches: --switch-keys, else STATE/switch-keys, else F1,F2 */
    if (switch_keys == NULL) {
        char path[1200];
        FILE *f;

        snprintf(path, sizeof path, "%s/switch-keys", a->state);
        if ((f = fopen(path, "r")) != NULL) {
            if (fgets(switch_file, sizeof switch_file, f) != NULL) {
                switch_file[strcspn(switch_file, " \t\r\n")] = '\0';
                switch_keys = switch_file;
            }
            fclose(f);
        }
    }
    if (switch_keys != NULL && app_set_switch_keys(app, switch_keys, why, sizeof why) != 0) {
        fprintf(stderr, "borne: %s\n", why);
        app_free(app);
        return 2;
    }
    app->warn_ms = (uint32_t)a->warn_ms;
    app->reset_ms = (uint32_t)a->reset_ms;
    app->print_receipts = a->headless;
    app->now = a->headless ? 0 : SDL_GetTicks();
    /* the wall clock the kiosk follows (local time): headless runs start at
     * 09:00 of --today, so that their reports are the same bytes each run */
    if (a->headless) {
        app->wall0_ms = (int64_t)a->today * 86400000 + 9 * 3600000;
    } else {
        time_t t = time(NULL);
        struct tm tm;
        localtime_r(&t, &tm);
        app->wall0_ms = (int64_t)a->today * 86400000 +
                        ((int64_t)tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec) * 1000 -
                        (int64_t)app->now;
    }
    if ((rc = kiosk_open(app, a->state, a->today, why, sizeof why)) != 0)
        fprintf(stderr, "borne: out of service: %s\n", why);
    /* borne.conf's printer and drives' folder win over STATE/printer, STATE/media */
    if (a->printer[0] != '\0')
        snprintf(app->printer, sizeof app->printer, "%s", a->printer);
    if (a->media[0] != '\0')
        snprintf(app->media, sizeof app->media, "%s", a->media);
    if (rc == 0 && app->sync != NULL && a->server_address[0] != '\0')
        ksync_set_address(app->sync, a->server_address);
    /* window runs sync in the background; headless scripts say when (sync) */
    if (rc == 0 && !a->headless && app->sync != NULL) {
        if (ksync_start(app->sync) != 0)
            fprintf(stderr, "borne: the sync thread could not start: uploads wait\n");
        else
            app->sync_thread = 1;
    }
    return 0;
}

/* The voice of audio mode (ui/speech.c) as the app sees it. */
static void voice_say(void *c, const char *text, const char *lang, int flush)
{
    speech_say(c, text, lang, flush);
}

static void voice_set(void *c, int rate, int volume)
{
    speech_set(c, rate, volume);
}

static void voice_forget(void *c)
{
    speech_forget(c);
}

int main(int argc, char **argv)
{
    args_t a;
    shots_t shots = {NULL, NULL, 0, 0, 0, NULL, NULL};
    script_t sc = {NULL, 0};
    render_t *r = NULL;
    SDL_Window *win = NULL;
    app_t app;
    char why[8192] = "";
    int status, lw = 0, lh = 0;

    /* (HARDEN-H1..H3) before any key or store is read */
    if (harden_process(why, sizeof why) < 0) {
        fprintf(stderr, "borne: %s\n", why);
        return 1;
    }
    why[0] = '\0';
    if ((status = parse_args(argc, argv, &a, &shots)) >= 0)
        return status;
    if (a.init_dir != NULL)
        return init_demo(&a);
    if (a.headless && load_script(&a, &sc) != 0)
        return 1;
    status = open_video(&a, &win, &shots, &r, &lw, &lh);
    if (status == 0)
        status = open_app(&a, &app, r, lw, lh);
    if (status == 0) {
        /* 6. run: the script, or the window's event loop */
        if (a.headless) {
            FILE *log = NULL;
            int rc = 0;

            app.audio_ok = 1; /* what is said goes to the script, and the log */
            if (a.speech_log != NULL && (log = fopen(a.speech_log, "w")) == NULL) {
                fprintf(stderr, "borne: --speech-log %s: cannot write\n", a.speech_log);
                rc = BN_EIO;
            }
            app.speech_log = log;
            if (rc == 0 && (rc = script_run(&sc, &app, shot, &shots, why, sizeof why)) != 0)
                fprintf(stderr, "borne: %s:%s\n", a.script_path, why);
            app.speech_log = NULL;
            if (log != NULL)
                fclose(log);
            status = rc != 0;
        } else {
            speech_t *sp = NULL;

            /* audio mode needs its voice: without one, the key does nothing */
            if (strcmp(a.audio_device, "none") != 0) {
                if (speech_open(&sp, a.audio_device[0] != '\0' ? a.audio_device : NULL, why,
                                sizeof why) != 0)
                    fprintf(stderr, "borne: no audio mode: %s\n", why);
                else
                    app.voice = (app_voice_t){sp, voice_say, voice_set, voice_forget};
            }
            app.audio_ok = sp != NULL;
            status = run_window(&app, r, win, shots.canvas);
            app.voice = (app_voice_t){NULL, NULL, NULL, NULL};
            speech_close(sp);
        }
        app_free(&app);
        peak_rss_report();
    }
    script_free(&sc);
    render_close(r);
    SDL_FreeSurface(shots.canvas);
    if (win != NULL)
        SDL_DestroyWindow(win);
    IMG_Quit();
    TTF_Quit();
    SDL_Quit();
    return status;
}
