/* speech.h - the kiosk's voice: espeak-ng in a thread of its own, its
 * samples played through SDL's audio on the headphone output.
 *
 * The app (ui/app_speak.c) decides what to say and calls speech_say
 * through its app_voice_t; nothing here knows the screens. espeak-ng is
 * used from the worker thread only (it is not thread-safe); the main loop
 * only queues text, so a frame never waits for speech. The SDL audio
 * callback reads a ring of samples filled by the worker.
 *
 * Secrecy (DESIGN-S3): what is spoken in audio mode names the person's
 * choices; the queue and the ring are zeroed when an utterance is dropped
 * or played, and speech_forget() zeroes everything at a session's end. */
#ifndef SPEECH_H
#define SPEECH_H

#include <stddef.h>

typedef struct speech_s speech_t;

/* Opens the voice: espeak-ng (its French and English voices) and the
 * SDL audio device named `device` (NULL: the default output, which the
 * kiosk's image routes to the headphone jack). BN_E* with why. */
int speech_open(speech_t **out, const char *device, char *why, size_t whylen);

/* Queues text (UTF-8) in language lang ("fr", "en"); flush: first drops
 * what is queued or playing (the person moved on). Never blocks. */
void speech_say(speech_t *sp, const char *text, const char *lang, int flush);

/* Rate in words per minute (80..450) and volume in percent (0..100). */
void speech_set(speech_t *sp, int rate, int volume);

/* Drops and zeroes everything queued or playing (a session ends). */
void speech_forget(speech_t *sp);

/* 1 while something is queued, being synthesised or still playing. */
int speech_busy(speech_t *sp);

/* The latency of the last flushed utterance that has begun to play: from
 * speech_say to its first sample handed to the audio device, in ms; -1
 * when none yet. Resets to -1 at each flushed speech_say. */
double speech_latency_ms(speech_t *sp);

void speech_close(speech_t *sp);

/* Renders text to a WAV file (16-bit mono, espeak-ng's rate) without the
 * audio device, through the same voice settings: for tests and for
 * checking a catalog by ear. Writes the duration in ms to *ms. */
int speech_render_wav(const char *text, const char *lang, int rate, const char *path, int *ms,
                      char *why, size_t whylen);

#endif
