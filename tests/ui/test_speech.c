/* test_speech.c - the voice of audio mode (ui/speech.c): espeak-ng renders
 * French and English to a WAV file that is not silent and lasts as long as
 * speech should; the threaded path plays through SDL's audio (the "disk"
 * driver writes what would reach the headphones), a flush cuts what was
 * playing, and a session's end leaves nothing queued. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <SDL.h>

#include "speech.h"

/* Reads a 16-bit mono WAV written by speech_render_wav: its samples. */
static int16_t *read_wav(const char *path, size_t *n, int *hz)
{
    FILE *f = fopen(path, "rb");
    unsigned char h[44];
    int16_t *s;
    uint32_t bytes;

    assert_non_null(f);
    assert_int_equal(fread(h, 1, sizeof h, f), sizeof h);
    assert_memory_equal(h, "RIFF", 4);
    assert_memory_equal(h + 8, "WAVEfmt ", 8);
    assert_memory_equal(h + 36, "data", 4);
    assert_int_equal(h[22], 1);  /* mono */
    assert_int_equal(h[34], 16); /* 16 bits */
    *hz = (int)(h[24] | h[25] << 8 | h[26] << 16 | (uint32_t)h[27] << 24);
    bytes = h[40] | h[41] << 8 | h[42] << 16 | (uint32_t)h[43] << 24;
    *n = bytes / 2;
    s = malloc(bytes + 2);
    assert_non_null(s);
    assert_int_equal(fread(s, 2, *n, f), *n);
    fclose(f);
    return s;
}

/* Root mean square of samples [from, to). */
static double rms(const int16_t *s, size_t from, size_t to)
{
    double sum = 0;
    size_t i;

    for (i = from; i < to; i++)
        sum += (double)s[i] * s[i];
    return to > from ? SDL_sqrt(sum / (double)(to - from)) : 0;
}

static void check_wav(const char *text, const char *lang, int min_ms, int max_ms)
{
    char path[] = "/tmp/borne-speech-XXXXXX", why[256] = "";
    int fd = mkstemp(path), ms = 0, hz = 0;
    int16_t *s;
    size_t n, i, loud = 0, win;

    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(speech_render_wav(text, lang, 175, path, &ms, why, sizeof why), 0);
    s = read_wav(path, &n, &hz);
    unlink(path);
    assert_true(hz >= 8000);
    print_message("speech %s: \"%.40s...\" %d ms, %zu samples at %d Hz, rms %.0f\n", lang, text,
                  ms, n, hz, rms(s, 0, n));
    assert_int_equal((int)(n * 1000 / (size_t)hz), ms);
    assert_in_range(ms, min_ms, max_ms);
    /* not silent: most 50 ms windows of speech carry sound */
    win = (size_t)hz / 20;
    for (i = 0; i + win <= n; i += win)
        loud += rms(s, i, i + win) > 300;
    assert_true(rms(s, 0, n) > 500);
    assert_true(loud * 2 > n / win);
    free(s);
}

static void test_wav_french(void **state)
{
    (void)state;
    /* about 2.5 words a second at 175 words a minute: 20 words, 5 to 15 s */
    check_wav("Merci ! Votre vote est enregistré. Votre code de suivi : 9, P, C, 5, tiret, "
              "W, M, D, Y.",
              "fr", 3000, 15000);
}

static void test_wav_english(void **state)
{
    (void)state;
    check_wav("Not chosen: A shared garden in Le Blosne, 28500 euros. Enter to choose it.", "en",
              2000, 12000);
}

static void test_wav_rate(void **state)
{
    char path[] = "/tmp/borne-speech-XXXXXX", why[256] = "";
    const char *text = "Pour passer d'un bouton à l'autre : flèche du bas, ou touche 2 du pavé.";
    int fd = mkstemp(path), slow = 0, fast = 0;

    (void)state;
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(speech_render_wav(text, "fr", 100, path, &slow, why, sizeof why), 0);
    assert_int_equal(speech_render_wav(text, "fr", 350, path, &fast, why, sizeof why), 0);
    unlink(path);
    print_message("speech: the same words in %d ms at 100 wpm, %d ms at 350 wpm\n", slow, fast);
    assert_true(fast * 2 < slow); /* faster is faster */
}

/* The whole path: queue -> worker -> ring -> SDL audio callback (the disk
 * driver writes the device's samples to a file, in real time). */
static void test_through_sdl(void **state)
{
    char raw[] = "/tmp/borne-speech-raw-XXXXXX", why[256] = "";
    int fd = mkstemp(raw), waited, loud = 0;
    speech_t *sp = NULL;
    FILE *f;
    int16_t buf[4096];
    size_t got;
    double lat;

    (void)state;
    assert_true(fd >= 0);
    close(fd);
    setenv("SDL_AUDIODRIVER", "disk", 1);
    setenv("SDL_DISKAUDIOFILE", raw, 1);
    assert_int_equal(speech_open(&sp, NULL, why, sizeof why), 0);
    assert_false(speech_busy(sp));
    assert_true(speech_latency_ms(sp) < 0);
    /* a long text, cut by the next one (the person moved on) */
    speech_say(sp, "Aide. Flèche du bas, ou 2 : le bouton suivant. Flèche du haut, ou 8 : le "
                   "bouton précédent. Entrée, ou 5 : valider le bouton. Échap, ou 7 : revenir.",
               "fr", 1);
    SDL_Delay(300);
    assert_true(speech_busy(sp));
    speech_say(sp, "Plus vite.", "fr", 1);
    for (waited = 0; speech_busy(sp) && waited < 8000; waited += 20)
        SDL_Delay(20);
    lat = speech_latency_ms(sp);
    print_message("speech through SDL: done after %d ms more, latency %.1f ms\n", waited, lat);
    assert_false(speech_busy(sp));
    assert_true(waited < 3000); /* the long text was dropped, not played out */
    assert_true(lat >= 0 && lat < 1000);
    speech_say(sp, "Une phrase que la fin de la session efface.", "fr", 1);
    speech_forget(sp);
    SDL_Delay(100);
    assert_false(speech_busy(sp));
    speech_close(sp);
    f = fopen(raw, "rb");
    assert_non_null(f);
    while ((got = fread(buf, sizeof buf[0], sizeof buf / sizeof buf[0], f)) > 0) {
        size_t i;
        for (i = 0; i < got; i++)
            loud += buf[i] > 2000 || buf[i] < -2000;
    }
    fclose(f);
    unlink(raw);
    assert_true(loud > 100); /* sound reached the device */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wav_french),
        cmocka_unit_test(test_wav_english),
        cmocka_unit_test(test_wav_rate),
        cmocka_unit_test(test_through_sdl),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
