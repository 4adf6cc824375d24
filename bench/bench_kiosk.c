/* bench_kiosk.c - kiosk benchmarks for borne-bench, one figure a line:
 *
 *   frame_busiest_median_ms, frame_busiest_p99_ms
 *       the project list of a territory of 30 projects (the demo package's
 *       30 projects moved into one territory, in memory) at 1920x1080:
 *       app_draw + render_draw to the software surface, 300 frames, one
 *       card toggled between frames (what a tap redraws), text cache warm
 *   first_frame_ms
 *       `borne --headless` started as a child with a script whose first
 *       line saves the first frame (a 480-px-wide PNG); wall time from
 *       fork to the child's exit, median of 5 runs (an upper bound)
 *   kiosk_peak_rss_mb
 *       the kiosk's peak RSS (its own VmHWM, BORNE_PEAK_RSS_FILE) over a
 *       generated script of
 *       100 voters who each vote (identity, a choice, review, receipt)
 *   frame_busiest_speaking_median_ms, frame_busiest_speaking_p99_ms
 *       the same frames while the voice of audio mode (ui/speech.c, its
 *       own thread) synthesises and plays a long text without pause
 *   speech_latency_ms, speech_latency_p90_ms
 *       audio mode on the project list: a key press (app_key, the keypad's
 *       "next") to the first sample of what it makes the kiosk say handed
 *       to the audio device (SDL's disk driver into /dev/null, which plays
 *       in real time, 512-sample buffers at 22 050 Hz), 40 presses 400 ms
 *       apart; median and 90th percentile
 *   idle_cpu_percent
 *       `borne --state DIR` (the interactive kiosk, not scripted) on SDL's
 *       offscreen driver, welcome screen, no input: its CPU time (utime +
 *       stime of /proc/PID/stat) over 10 s of wall time, after 2 s to start
 *
 * The borne binary is $BORNE_BIN, else ui/borne beside borne-bench
 * (/proc/self/exe). Details of the runs go to stderr. */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <SDL.h>
#include <SDL_image.h>
#include <SDL_ttf.h>

#include "app.h"
#include "bn_err.h"
#include "day.h"
#include "kiosk.h"
#include "render_sdl.h"
#include "speech.h"

extern char **environ;

int bench_kiosk(void);

#ifndef BORNE_ASSETS
#define BORNE_ASSETS "assets"
#endif
#define BK_FONTS "/usr/share/fonts/truetype/dejavu"
#define BK_FRAMES 300

static double bk_now(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int bk_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

/* The p-th quantile (0..1) of n sorted values. */
static double bk_quantile(const double *v, int n, double p)
{
    int i = (int)(p * (n - 1) + 0.5);

    return v[i < n ? i : n - 1];
}

/* --- frames ------------------------------------------------------------------ */

#define BK_LONG_TEXT                                                                        \
    "Aide. Flèche du bas, ou 2 : le bouton suivant. Flèche du haut, ou 8 : le bouton "      \
    "précédent. Entrée, ou 5 : valider le bouton. Échap, ou 7 : revenir en arrière. 0 : "   \
    "réécouter. Plus et moins : plus fort, moins fort. Étoile et barre oblique : plus "      \
    "vite, moins vite. 3 : changer de langue. 9 : éteindre ou rallumer l'écran."

/* sp != NULL: the voice speaks all along (figures named *_speaking_*). */
static int bench_frames(const char *state, speech_t *sp)
{
    double t[BK_FRAMES], layout = 0, paint = 0;
    char why[512] = "";
    render_t *r = NULL;
    SDL_Surface *canvas = NULL;
    app_t a;
    uint32_t today;
    int i, rc = 1, inited = 0, terr;

    if (day_parse("2027-03-15", &today) != 0 || TTF_Init() != 0)
        return 1;
    canvas = SDL_CreateRGBSurfaceWithFormat(0, 1920, 1080, 32, SDL_PIXELFORMAT_ARGB8888);
    if (canvas == NULL || render_open(&r, BK_FONTS, why, sizeof why) != 0)
        goto out;
    if (app_init(&a, BORNE_ASSETS, render_measure(r), 1920, 1080, why, sizeof why) != 0)
        goto out;
    inited = 1;
    if (kiosk_open(&a, state, today, why, sizeof why) != 0)
        goto out;
    /* the busiest list: every project of the package in one territory */
    terr = pkg_find_territory(a.pkg, "rennes");
    for (i = 0; i < a.pkg->n_projects; i++)
        a.pkg->projects[i].territory = terr;
    a.s.territory = terr;
    a.s.commune = 0;
    app_go(&a, SCR_PROJECTS);
    app_action(&a, ACT_TOGGLE + 0);
    app_action(&a, ACT_TOGGLE + 6);
    fprintf(stderr, "bench_kiosk: %d projects in one territory\n", a.pkg->n_projects);
    for (i = -20; i < BK_FRAMES; i++) {
        double t0, t1;
        if (sp != NULL && !speech_busy(sp))
            speech_say(sp, BK_LONG_TEXT, "fr", 0);
        app_action(&a, ACT_TOGGLE + 1); /* a tap: chosen, then not */
        t0 = bk_now();
        a.dirty = 1;
        app_draw(&a);
        t1 = bk_now();
        render_draw(r, &a.dl, canvas);
        if (i >= 0) {
            t[i] = (bk_now() - t0) * 1000.0;
            layout += (t1 - t0) * 1000.0;
            paint += (bk_now() - t1) * 1000.0;
        }
    }
    fprintf(stderr, "bench_kiosk: a frame: layout %.2f ms, painting %.2f ms (means)\n",
            layout / BK_FRAMES, paint / BK_FRAMES);
    fprintf(stderr, "bench_kiosk: the frame shows %d controls, %d draw commands\n", a.dl.nctl,
            a.dl.n);
    qsort(t, BK_FRAMES, sizeof t[0], bk_cmp);
    printf("frame_busiest%s_median_ms %.2f ms\n", sp != NULL ? "_speaking" : "",
           bk_quantile(t, BK_FRAMES, 0.5));
    printf("frame_busiest%s_p99_ms %.2f ms\n", sp != NULL ? "_speaking" : "",
           bk_quantile(t, BK_FRAMES, 0.99));
    fflush(stdout);
    rc = 0;
out:
    if (rc != 0)
        fprintf(stderr, "bench_kiosk: frames: %s\n", why);
    if (inited)
        app_free(&a);
    render_close(r);
    SDL_FreeSurface(canvas);
    TTF_Quit();
    return rc;
}

/* --- child processes -------------------------------------------------------------- */

/* The borne binary: $BORNE_BIN, else ui/borne beside this executable. */
static int borne_path(char *out, size_t cap)
{
    const char *env = getenv("BORNE_BIN");
    char self[1024];
    ssize_t n;
    char *slash;

    if (env != NULL && *env) {
        snprintf(out, cap, "%s", env);
        return access(out, X_OK);
    }
    n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        return -1;
    self[n] = '\0';
    if ((slash = strrchr(self, '/')) != NULL)
        *slash = '\0';
    n = snprintf(out, cap, "%s/ui/borne", self);
    if (n < 0 || (size_t)n >= cap)
        return -1;
    return access(out, X_OK);
}

/* Starts argv with stdout to out (NULL: /dev/null) and stderr to
 * /dev/null; returns the pid or -1. */
/* posix_spawn: no copy of this process (which may hold a million
 * generated ballots by now) is made before the exec. The kiosk's peak RSS
 * is still not the child's ru_maxrss: Linux carries the high-water mark of
 * the memory the child had before its exec into it (this process's, here),
 * so the kiosk reports its own VmHWM (BORNE_PEAK_RSS_FILE, ui/main.c). */
static pid_t spawn_to(char *const *argv, const char *out)
{
    posix_spawn_file_actions_t fa;
    pid_t pid = -1;

    setenv("SDL_VIDEODRIVER", "offscreen", 1);
    setenv("SDL_FRAMEBUFFER_ACCELERATION", "0", 1);
    if (posix_spawn_file_actions_init(&fa) != 0)
        return -1;
    if (posix_spawn_file_actions_addopen(&fa, 1, out != NULL ? out : "/dev/null",
                                         O_WRONLY | O_CREAT | O_TRUNC, 0644) != 0 ||
        posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0) != 0 ||
        posix_spawn(&pid, argv[0], &fa, NULL, argv, environ) != 0)
        pid = -1;
    posix_spawn_file_actions_destroy(&fa);
    return pid;
}

static pid_t spawn(char *const *argv)
{
    return spawn_to(argv, NULL);
}

/* Runs argv to its end: 0 when it exits 0; its rusage in ru. */
static int run(char *const *argv, struct rusage *ru)
{
    pid_t pid = spawn(argv);
    int st = 0;

    if (pid < 0)
        return -1;
    while (wait4(pid, &st, 0, ru) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

static int write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    int rc;

    if (f == NULL)
        return -1;
    rc = fputs(text, f) < 0;
    return (fclose(f) != 0 || rc) ? -1 : 0;
}

static int bench_first_frame(const char *borne, const char *dir)
{
    char state[1200], script[1200], shots[1200];
    char *argv[] = {(char *)borne, "--headless", "--state", state, "--script", script,
                    "--shots", shots, "--shot-width", "480", "--today", "2027-03-15", NULL};
    double t[5];
    struct rusage ru;
    int i;

    snprintf(state, sizeof state, "%s/state", dir);
    snprintf(script, sizeof script, "%s/first.txt", dir);
    snprintf(shots, sizeof shots, "%s/shots", dir);
    if (write_text(script, "shot first\n") != 0 || (mkdir(shots, 0700) != 0 && errno != EEXIST))
        return 1;
    for (i = 0; i < 5; i++) {
        double t0 = bk_now();
        if (run(argv, &ru) != 0) {
            fprintf(stderr, "bench_kiosk: %s --headless failed\n", borne);
            return 1;
        }
        t[i] = (bk_now() - t0) * 1000.0;
    }
    fprintf(stderr, "bench_kiosk: first frame runs %.0f %.0f %.0f %.0f %.0f ms\n", t[0], t[1],
            t[2], t[3], t[4]);
    qsort(t, 5, sizeof t[0], bk_cmp);
    printf("first_frame_ms %.0f ms\n", t[2]);
    fflush(stdout);
    return 0;
}

/* A script of n voters, each with a name of their own, who all vote. */
static int voters_script(const char *path, int n)
{
    FILE *f = fopen(path, "w");
    int i, rc;

    if (f == NULL)
        return -1;
    for (i = 0; i < n; i++) {
        /* names from letters ("BENCH AB"), birth days 01..28 of months */
        fprintf(f,
                "tap \"Touchez l'écran pour commencer\"\n"
                "type \"Bench %c%c\"\ntap \"Suivant\"\ntype \"Lou\"\ntap \"Suivant\"\n"
                "type \"%02d%02d19%02d\"\ntap \"Suivant\"\ntype \"rennes\"\ntap \"Continuer\"\n"
                "tap \"Choisir : Jardin partagé du Blosne\"\ntap \"Voir mon choix\"\n"
                "tap \"Valider mon vote\"\nexpect screen receipt\ntap \"Terminer\"\n",
                'A' + i / 26 % 26, 'A' + i % 26, 1 + i % 28, 1 + i % 12, 40 + i % 50);
    }
    rc = ferror(f);
    return (fclose(f) != 0 || rc) ? -1 : 0;
}

static int bench_rss(const char *borne, const char *dir)
{
    char state[1200], script[1200], shots[1200], hwm[1200];
    long kb = -1;
    int rc;
    char *argv[] = {(char *)borne, "--headless", "--state", state, "--script", script,
                    "--shots", shots, "--today", "2027-03-15", NULL};
    struct rusage ru;
    double t0 = bk_now();

    snprintf(state, sizeof state, "%s/state", dir);
    snprintf(script, sizeof script, "%s/voters.txt", dir);
    snprintf(shots, sizeof shots, "%s/shots", dir);
    if (voters_script(script, 100) != 0)
        return 1;
    memset(&ru, 0, sizeof ru);
    snprintf(hwm, sizeof hwm, "%s/peak-rss.txt", dir);
    setenv("BORNE_PEAK_RSS_FILE", hwm, 1);
    rc = run(argv, &ru);
    unsetenv("BORNE_PEAK_RSS_FILE");
    if (rc != 0) {
        fprintf(stderr, "bench_kiosk: the 100 voters' script failed\n");
        return 1;
    }
    fprintf(stderr, "bench_kiosk: 100 voters in %.1f s\n", bk_now() - t0);
    {
        /* the 100 ballots are in the box and verify */
        char check[1200], line[128];
        char *cargv[] = {(char *)borne, "--check-state", state, NULL};
        pid_t pid;
        int st = 0, ballots = -1, verified = -1;
        FILE *f;
        snprintf(check, sizeof check, "%s/check.txt", dir);
        if ((pid = spawn_to(cargv, check)) < 0 || waitpid(pid, &st, 0) < 0 ||
            (f = fopen(check, "r")) == NULL)
            return 1;
        while (fgets(line, sizeof line, f) != NULL) {
            sscanf(line, "ballots %d", &ballots);
            sscanf(line, "verified %d", &verified);
        }
        fclose(f);
        fprintf(stderr, "bench_kiosk: the store holds %d ballots, %d verified\n", ballots,
                verified);
        if (ballots != 100 || verified != 100)
            return 1;
    }
    {
        FILE *f = fopen(hwm, "r");
        if (f == NULL || fscanf(f, "%ld", &kb) != 1 || kb <= 0) {
            fprintf(stderr, "bench_kiosk: the kiosk did not report its peak RSS in %s\n", hwm);
            if (f != NULL)
                fclose(f);
            return 1;
        }
        fclose(f);
    }
    printf("kiosk_peak_rss_mb %.1f MB\n", kb / 1024.0);
    fflush(stdout);
    return 0;
}

/* utime + stime of a process, in seconds. */
static double cpu_seconds(pid_t pid)
{
    char path[64], buf[2048], *p;
    unsigned long ut = 0, st = 0;
    FILE *f;
    size_t n;
    int field;

    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    if ((f = fopen(path, "r")) == NULL)
        return -1;
    n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    /* after the command name in parentheses: field 3 onwards */
    if ((p = strrchr(buf, ')')) == NULL)
        return -1;
    for (field = 3, p += 2; *p && field < 14; p++)
        if (*p == ' ')
            field++;
    if (sscanf(p, "%lu %lu", &ut, &st) != 2)
        return -1;
    return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

static int bench_idle(const char *borne, const char *dir)
{
    char state[1200];
    char *argv[] = {(char *)borne, "--state", state, "--today", "2027-03-15", NULL};
    double c0, c1, t0, t1;
    pid_t pid;
    int st;

    snprintf(state, sizeof state, "%s/state", dir);
    if ((pid = spawn(argv)) < 0)
        return 1;
    sleep(2); /* start-up: fonts, package, store */
    c0 = cpu_seconds(pid);
    t0 = bk_now();
    sleep(10);
    c1 = cpu_seconds(pid);
    t1 = bk_now();
    kill(pid, SIGTERM);
    waitpid(pid, &st, 0);
    if (c0 < 0 || c1 < 0) {
        fprintf(stderr, "bench_kiosk: the idle kiosk did not stay up\n");
        return 1;
    }
    fprintf(stderr, "bench_kiosk: idle kiosk used %.3f s of CPU in %.1f s\n", c1 - c0, t1 - t0);
    printf("idle_cpu_percent %.2f %%\n", 100.0 * (c1 - c0) / (t1 - t0));
    fflush(stdout);
    return 0;
}

/* --- all -------------------------------------------------------------------------- */

static void rmtree(const char *dir)
{
    char cmd[1400];
    int rc;

    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    rc = system(cmd);
    (void)rc;
}

/* --- audio mode ------------------------------------------------------------------ */

static void bk_say(void *c, const char *text, const char *lang, int flush)
{
    speech_say(c, text, lang, flush);
}

static void bk_forget(void *c)
{
    speech_forget(c);
}

#define BK_PRESSES 40

static int bench_speech_latency(const char *state, speech_t *sp)
{
    double t[BK_PRESSES];
    char why[512] = "";
    render_t *r = NULL;
    app_t a;
    uint32_t today;
    int i, n = 0, rc = 1, inited = 0;

    if (day_parse("2027-03-15", &today) != 0 || TTF_Init() != 0 ||
        render_open(&r, BK_FONTS, why, sizeof why) != 0)
        goto out;
    if (app_init(&a, BORNE_ASSETS, render_measure(r), 1920, 1080, why, sizeof why) != 0)
        goto out;
    inited = 1;
    if (kiosk_open(&a, state, today, why, sizeof why) != 0)
        goto out;
    a.voice = (app_voice_t){sp, bk_say, NULL, bk_forget};
    a.audio_ok = 1;
    a.s.territory = pkg_find_territory(a.pkg, "rennes");
    a.s.commune = 0;
    app_go(&a, SCR_PROJECTS);
    app_key(&a, KEY_KP_PLUS); /* audio mode */
    app_draw(&a);
    for (i = 0; i < BK_PRESSES; i++) {
        double t0 = bk_now(), lat;
        SDL_Delay(400);
        app_key(&a, KEY_KP2); /* next: the focused control is said */
        app_draw(&a);
        while ((lat = speech_latency_ms(sp)) < 0 && bk_now() - t0 < 2.0)
            SDL_Delay(1);
        if (lat >= 0)
            t[n++] = lat;
    }
    if (n < BK_PRESSES / 2) {
        snprintf(why, sizeof why, "only %d of %d presses were heard", n, BK_PRESSES);
        goto out;
    }
    qsort(t, (size_t)n, sizeof t[0], bk_cmp);
    fprintf(stderr, "bench_kiosk: speech latency over %d presses: min %.1f ms, max %.1f ms\n",
            n, t[0], t[n - 1]);
    printf("speech_latency_ms %.1f ms\n", bk_quantile(t, n, 0.5));
    printf("speech_latency_p90_ms %.1f ms\n", bk_quantile(t, n, 0.9));
    fflush(stdout);
    rc = 0;
out:
    if (rc != 0)
        fprintf(stderr, "bench_kiosk: speech: %s\n", why);
    if (inited) {
        a.voice = (app_voice_t){NULL, NULL, NULL, NULL};
        app_free(&a);
    }
    render_close(r);
    TTF_Quit();
    return rc;
}

static int bench_speech(const char *state)
{
    char why[256] = "";
    speech_t *sp = NULL;
    int rc;

    setenv("SDL_AUDIODRIVER", "disk", 1);
    setenv("SDL_DISKAUDIOFILE", "/dev/null", 1);
    if (speech_open(&sp, NULL, why, sizeof why) != 0) {
        fprintf(stderr, "bench_kiosk: %s\n", why);
        return 1;
    }
    rc = bench_frames(state, sp);
    speech_forget(sp);
    if (rc == 0)
        rc = bench_speech_latency(state, sp);
    speech_close(sp);
    return rc;
}

int bench_kiosk(void)
{
    char dir[] = "/tmp/borne-bench-kiosk-XXXXXX", state[1200], why[512] = "", borne[1024];
    int rc = 1, sdl = 0;

    if (mkdtemp(dir) == NULL)
        return 1;
    snprintf(state, sizeof state, "%s/state", dir);
    if (kiosk_init_demo(state, BORNE_ASSETS, why, sizeof why) != 0) {
        fprintf(stderr, "bench_kiosk: demo state: %s\n", why);
        goto out;
    }
    setenv("SDL_VIDEODRIVER", "offscreen", 0);
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        fprintf(stderr, "bench_kiosk: SDL: %s\n", SDL_GetError());
        goto out;
    }
    sdl = 1;
    if (bench_frames(state, NULL) != 0 || bench_speech(state) != 0)
        goto out;
    if (borne_path(borne, sizeof borne) != 0) {
        fprintf(stderr, "bench_kiosk: no borne binary (set BORNE_BIN)\n");
        goto out;
    }
    if (bench_first_frame(borne, dir) != 0 || bench_idle(borne, dir) != 0 ||
        bench_rss(borne, dir) != 0)
        goto out;
    rc = 0;
out:
    if (sdl)
        SDL_Quit();
    rmtree(dir);
    return rc;
}
