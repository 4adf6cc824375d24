/* speech.c - espeak-ng in a worker thread, SDL audio out (speech.h).
 *
 * Three parties share a speech_t: the main loop (speech_say, speech_set,
 * speech_forget: they take `lock`, queue and signal, and return), the worker
 * (the only caller of espeak-ng: it takes one utterance at a time and
 * synthesises it in chunks of SPEECH_CHUNK_MS, each pushed to the ring), and
 * SDL's audio callback (it takes samples out of the ring, scaled by the
 * volume, silence when empty). A flush bumps `gen`: the worker's synthesis
 * callback sees its utterance is stale and aborts, the ring is emptied. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL.h>
#include <espeak-ng/speak_lib.h>

#include "bn_err.h"
#include "speech.h"

#define SPEECH_CHUNK_MS 20       /* espeak-ng hands samples over in chunks this long */
#define SPEECH_QUEUE 16          /* utterances waiting */
#define SPEECH_TEXT_MAX 4096     /* bytes of one utterance */
#define SPEECH_RING_S 60         /* seconds of samples the ring holds */

typedef struct utt_s {
    char text[SPEECH_TEXT_MAX];
    char lang[8];
    unsigned gen;
} utt_t;

struct speech_s {
    SDL_mutex *lock;
    SDL_cond *cond;              /* the queue has something, or quit */
    SDL_Thread *worker;
    SDL_AudioDeviceID dev;
    int rate_hz;                 /* espeak-ng's sample rate */
    int init_rc;                 /* the worker's espeak_Initialize outcome */
    int init_done;
    char init_why[160];
    int quit;

    utt_t q[SPEECH_QUEUE];       /* the queue, a ring of utterances */
    int qhead, qlen;
    unsigned gen;                /* bumped by each flush */
    int synthesising;

    int16_t *ring;               /* samples: filled by the worker, read by the callback */
    size_t ring_cap, ring_head, ring_len;

    int wpm, volume;             /* volume: percent, applied in the callback */
    int wpm_applied;
    char voice[8];               /* the voice espeak-ng has now */

    uint64_t said_at;            /* performance counter at the last flushed speech_say */
    int waiting_first;           /* ... its first sample is not out yet */
    double latency_ms;

    unsigned cur_gen;            /* worker: the generation being synthesised */
};

/* espeak-ng's callback has no user pointer that survives every version:
 * the worker's speech_t, set before each synthesis (one worker at a time;
 * speech_render_wav uses its own). */
static speech_t *cb_sp;

/* espeak-ng once per process: initialised at first use, never terminated
 * (initialising it again after espeak_Terminate hangs in 1.51); its
 * memory goes with the process. */
static int espeak_hz;

static int espeak_ready(void)
{
    if (espeak_hz <= 0)
        espeak_hz = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, SPEECH_CHUNK_MS, NULL,
                                      espeakINITIALIZE_DONT_EXIT);
    return espeak_hz;
}

static void zero(void *p, size_t n)
{
    volatile unsigned char *v = p;
    while (n--)
        *v++ = 0;
}

/* --- the audio callback ------------------------------------------------------- */

static void audio_cb(void *arg, Uint8 *stream, int len)
{
    speech_t *sp = arg;
    int16_t *out = (int16_t *)(void *)stream;
    size_t want = (size_t)len / sizeof(int16_t), got = 0;

    SDL_LockMutex(sp->lock);
    while (got < want && sp->ring_len > 0) {
        int32_t v = sp->ring[sp->ring_head];
        sp->ring[sp->ring_head] = 0; /* played: gone */
        v = v * sp->volume / 100;
        out[got++] = (int16_t)v;
        sp->ring_head = (sp->ring_head + 1) % sp->ring_cap;
        sp->ring_len--;
    }
    if (got > 0 && sp->waiting_first) {
        sp->latency_ms = (double)(SDL_GetPerformanceCounter() - sp->said_at) * 1000.0 /
                         (double)SDL_GetPerformanceFrequency();
        sp->waiting_first = 0;
    }
    SDL_UnlockMutex(sp->lock);
    memset(out + got, 0, (want - got) * sizeof(int16_t));
}

/* --- the worker ----------------------------------------------------------------- */

/* espeak-ng's synthesis callback (worker thread): pushes a chunk to the
 * ring, waiting for room; returns 1 to abort a stale utterance. */
static int synth_cb(short *wav, int n, espeak_EVENT *ev)
{
    speech_t *sp = cb_sp;
    int i = 0;

    (void)ev;
    if (wav == NULL || n <= 0)
        return 0;
    SDL_LockMutex(sp->lock);
    while (i < n) {
        if (sp->gen != sp->cur_gen || sp->quit) {
            SDL_UnlockMutex(sp->lock);
            return 1;
        }
        if (sp->ring_len == sp->ring_cap) { /* full: let the callback play some */
            SDL_UnlockMutex(sp->lock);
            SDL_Delay(SPEECH_CHUNK_MS);
            SDL_LockMutex(sp->lock);
            continue;
        }
        sp->ring[(sp->ring_head + sp->ring_len) % sp->ring_cap] = wav[i++];
        sp->ring_len++;
    }
    SDL_UnlockMutex(sp->lock);
    return 0;
}

static void set_voice(speech_t *sp, const char *lang)
{
    if (strcmp(sp->voice, lang) != 0) {
        if (espeak_SetVoiceByName(strcmp(lang, "en") == 0 ? "en" : "fr") == EE_OK)
            snprintf(sp->voice, sizeof sp->voice, "%s", lang);
        sp->wpm_applied = 0; /* a new voice resets the rate */
    }
}

static int worker(void *arg)
{
    speech_t *sp = arg;
    utt_t *u = malloc(sizeof *u);
    int rate = espeak_ready();

    SDL_LockMutex(sp->lock);
    sp->init_done = 1;
    if (u == NULL || rate <= 0) {
        sp->init_rc = u == NULL ? BN_ENOMEM : BN_EIO;
        snprintf(sp->init_why, sizeof sp->init_why, "%s",
                 u == NULL ? "out of memory" : "espeak-ng: its data (espeak-ng-data) cannot be read");
    } else {
        sp->rate_hz = rate;
    }
    SDL_CondBroadcast(sp->cond);
    SDL_UnlockMutex(sp->lock);
    if (sp->init_rc != 0) {
        free(u);
        return 0;
    }
    espeak_SetSynthCallback(synth_cb);
    cb_sp = sp;
    for (;;) {
        int wpm;
        SDL_LockMutex(sp->lock);
        while (sp->qlen == 0 && !sp->quit)
            SDL_CondWait(sp->cond, sp->lock);
        if (sp->quit) {
            SDL_UnlockMutex(sp->lock);
            break;
        }
        *u = sp->q[sp->qhead];
        zero(&sp->q[sp->qhead], sizeof sp->q[sp->qhead]);
        sp->qhead = (sp->qhead + 1) % SPEECH_QUEUE;
        sp->qlen--;
        sp->cur_gen = u->gen;
        sp->synthesising = u->gen == sp->gen;
        wpm = sp->wpm;
        SDL_UnlockMutex(sp->lock);
        if (u->gen == sp->cur_gen && sp->synthesising) {
            set_voice(sp, u->lang);
            if (sp->wpm_applied != wpm) {
                espeak_SetParameter(espeakRATE, wpm, 0);
                sp->wpm_applied = wpm;
            }
            espeak_Synth(u->text, strlen(u->text) + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8,
                         NULL, NULL);
        }
        zero(u, sizeof *u);
        SDL_LockMutex(sp->lock);
        sp->synthesising = 0;
        SDL_UnlockMutex(sp->lock);
    }
    free(u);
    return 0;
}

/* --- the main loop's side ----------------------------------------------------------- */

int speech_open(speech_t **out, const char *device, char *why, size_t whylen)
{
    speech_t *sp = calloc(1, sizeof *sp);
    SDL_AudioSpec want, have;
    int rc = 0;

    *out = NULL;
    if (sp == NULL)
        return bn_fail(why, whylen, BN_ENOMEM, "speech: out of memory");
    sp->wpm = espeakRATE_NORMAL;
    sp->volume = 80;
    sp->latency_ms = -1;
    sp->lock = SDL_CreateMutex();
    sp->cond = SDL_CreateCond();
    if (sp->lock == NULL || sp->cond == NULL) {
        rc = bn_fail(why, whylen, BN_ENOMEM, "speech: %s", SDL_GetError());
        goto fail;
    }
    if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
        rc = bn_fail(why, whylen, BN_EIO, "speech: no audio: %s", SDL_GetError());
        goto fail;
    }
    sp->worker = SDL_CreateThread(worker, "speech", sp);
    if (sp->worker == NULL) {
        rc = bn_fail(why, whylen, BN_EIO, "speech: thread: %s", SDL_GetError());
        goto fail;
    }
    SDL_LockMutex(sp->lock);
    while (!sp->init_done)
        SDL_CondWait(sp->cond, sp->lock);
    SDL_UnlockMutex(sp->lock);
    if (sp->init_rc != 0) {
        rc = bn_fail(why, whylen, sp->init_rc, "speech: %s", sp->init_why);
        goto fail;
    }
    sp->ring_cap = (size_t)sp->rate_hz * SPEECH_RING_S;
    sp->ring = calloc(sp->ring_cap, sizeof *sp->ring);
    if (sp->ring == NULL) {
        rc = bn_fail(why, whylen, BN_ENOMEM, "speech: out of memory");
        goto fail;
    }
    SDL_zero(want);
    want.freq = sp->rate_hz;
    want.format = AUDIO_S16SYS;
    want.channels = 1;
    want.samples = 512; /* 23 ms at 22 050 Hz: the latency a key press hears */
    want.callback = audio_cb;
    want.userdata = sp;
    sp->dev = SDL_OpenAudioDevice(device, 0, &want, &have, 0);
    if (sp->dev == 0) {
        rc = bn_fail(why, whylen, BN_EIO, "speech: audio device %s: %s",
                     device != NULL ? device : "(default)", SDL_GetError());
        goto fail;
    }
    SDL_PauseAudioDevice(sp->dev, 0);
    *out = sp;
    return 0;
fail:
    speech_close(sp);
    return rc;
}

void speech_say(speech_t *sp, const char *text, const char *lang, int flush)
{
    utt_t *u;

    if (sp == NULL || text == NULL || text[0] == '\0')
        return;
    SDL_LockMutex(sp->lock);
    if (flush) {
        sp->gen++;
        while (sp->qlen > 0) {
            zero(&sp->q[sp->qhead], sizeof sp->q[sp->qhead]);
            sp->qhead = (sp->qhead + 1) % SPEECH_QUEUE;
            sp->qlen--;
        }
        zero(sp->ring, sp->ring_cap * sizeof *sp->ring);
        sp->ring_head = sp->ring_len = 0;
        sp->said_at = SDL_GetPerformanceCounter();
        sp->waiting_first = 1;
        sp->latency_ms = -1;
    }
    if (sp->qlen == SPEECH_QUEUE) { /* full: the oldest waiting goes */
        zero(&sp->q[sp->qhead], sizeof sp->q[sp->qhead]);
        sp->qhead = (sp->qhead + 1) % SPEECH_QUEUE;
        sp->qlen--;
    }
    u = &sp->q[(sp->qhead + sp->qlen) % SPEECH_QUEUE];
    snprintf(u->text, sizeof u->text, "%s", text);
    snprintf(u->lang, sizeof u->lang, "%s", lang != NULL ? lang : "fr");
    u->gen = sp->gen;
    sp->qlen++;
    SDL_CondSignal(sp->cond);
    SDL_UnlockMutex(sp->lock);
}

void speech_set(speech_t *sp, int rate, int volume)
{
    if (sp == NULL)
        return;
    SDL_LockMutex(sp->lock);
    sp->wpm = rate < espeakRATE_MINIMUM ? espeakRATE_MINIMUM
              : rate > espeakRATE_MAXIMUM ? espeakRATE_MAXIMUM
                                          : rate;
    sp->volume = volume < 0 ? 0 : volume > 100 ? 100 : volume;
    SDL_UnlockMutex(sp->lock);
}

void speech_forget(speech_t *sp)
{
    if (sp == NULL)
        return;
    SDL_LockMutex(sp->lock);
    sp->gen++;
    zero(sp->q, sizeof sp->q);
    sp->qhead = sp->qlen = 0;
    zero(sp->ring, sp->ring_cap * sizeof *sp->ring);
    sp->ring_head = sp->ring_len = 0;
    sp->waiting_first = 0;
    SDL_UnlockMutex(sp->lock);
}

int speech_busy(speech_t *sp)
{
    int busy;

    if (sp == NULL)
        return 0;
    SDL_LockMutex(sp->lock);
    busy = sp->qlen > 0 || sp->synthesising || sp->ring_len > 0;
    SDL_UnlockMutex(sp->lock);
    return busy;
}

double speech_latency_ms(speech_t *sp)
{
    double v;

    if (sp == NULL)
        return -1;
    SDL_LockMutex(sp->lock);
    v = sp->latency_ms;
    SDL_UnlockMutex(sp->lock);
    return v;
}

void speech_close(speech_t *sp)
{
    if (sp == NULL)
        return;
    if (sp->dev != 0)
        SDL_CloseAudioDevice(sp->dev);
    if (sp->worker != NULL) {
        SDL_LockMutex(sp->lock);
        sp->quit = 1;
        SDL_CondBroadcast(sp->cond);
        SDL_UnlockMutex(sp->lock);
        SDL_WaitThread(sp->worker, NULL);
    }
    if (sp->ring != NULL) {
        zero(sp->ring, sp->ring_cap * sizeof *sp->ring);
        free(sp->ring);
    }
    zero(sp->q, sizeof sp->q);
    if (sp->cond != NULL)
        SDL_DestroyCond(sp->cond);
    if (sp->lock != NULL)
        SDL_DestroyMutex(sp->lock);
    if (SDL_WasInit(SDL_INIT_AUDIO))
        SDL_QuitSubSystem(SDL_INIT_AUDIO);
    free(sp);
}

/* --- to a WAV file ------------------------------------------------------------------ */

static int16_t *wav_buf;
static size_t wav_len, wav_cap;
static int wav_oom;

static int wav_cb(short *wav, int n, espeak_EVENT *ev)
{
    (void)ev;
    if (wav == NULL || n <= 0)
        return 0;
    if (wav_len + (size_t)n > wav_cap) {
        size_t cap = (wav_len + (size_t)n) * 2;
        int16_t *p = realloc(wav_buf, cap * sizeof *p);
        if (p == NULL) {
            wav_oom = 1;
            return 1;
        }
        wav_buf = p;
        wav_cap = cap;
    }
    memcpy(wav_buf + wav_len, wav, (size_t)n * sizeof *wav);
    wav_len += (size_t)n;
    return 0;
}

static void le32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

int speech_render_wav(const char *text, const char *lang, int rate, const char *path, int *ms,
                      char *why, size_t whylen)
{
    unsigned char h[44];
    FILE *f = NULL;
    int hz, rc = 0;
    uint32_t bytes;

    *ms = 0;
    hz = espeak_ready();
    if (hz <= 0)
        return bn_fail(why, whylen, BN_EIO, "speech: espeak-ng: its data cannot be read");
    wav_len = 0;
    wav_oom = 0;
    espeak_SetSynthCallback(wav_cb);
    espeak_SetVoiceByName(strcmp(lang, "en") == 0 ? "en" : "fr");
    espeak_SetParameter(espeakRATE, rate, 0); /* after the voice, which resets it */
    if (espeak_Synth(text, strlen(text) + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, NULL,
                     NULL) != EE_OK || wav_oom) {
        rc = bn_fail(why, whylen, BN_EIO, "speech: espeak-ng could not say it");
        goto done;
    }
    bytes = (uint32_t)(wav_len * sizeof(int16_t));
    memcpy(h, "RIFF\0\0\0\0WAVEfmt \x10\0\0\0\x01\0\x01\0", 24);
    le32(h + 4, 36 + bytes);
    le32(h + 24, (uint32_t)hz);
    le32(h + 28, (uint32_t)hz * 2);
    memcpy(h + 32, "\x02\0\x10\0data", 8);
    le32(h + 40, bytes);
    f = fopen(path, "wb");
    if (f == NULL || fwrite(h, 1, sizeof h, f) != sizeof h ||
        fwrite(wav_buf, sizeof(int16_t), wav_len, f) != wav_len) {
        rc = bn_fail(why, whylen, BN_EIO, "%s: cannot write", path);
        goto done;
    }
    *ms = (int)(wav_len * 1000 / (size_t)hz);
done:
    if (f != NULL && fclose(f) != 0 && rc == 0)
        rc = bn_fail(why, whylen, BN_EIO, "%s: cannot write", path);
    free(wav_buf);
    wav_buf = NULL;
    wav_len = wav_cap = 0;
    return rc;
}
