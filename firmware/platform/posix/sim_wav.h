/* Strict WAV reader for the simulator: 16 kHz, mono, 16-bit PCM, nothing else. Anything
 * different is refused with a one-line reason rather than resampled or guessed. Plain C99
 * stdio so firmware/test/test_wav.c can build it without POSIX. */
#ifndef SIM_WAV_H
#define SIM_WAV_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct {
    int16_t *samples; /* malloc'd; free with sim_wav_free */
    size_t n;
} sim_wav_t;

/* Returns 0 on success. On failure returns -1 and writes the reason (no file name, no
 * newline), e.g. "sample rate 44100 Hz, expected 16000 Hz", into err. */
int sim_wav_read(FILE *f, sim_wav_t *wav, char *err, size_t errcap);
int sim_wav_load(const char *path, sim_wav_t *wav, char *err, size_t errcap);
void sim_wav_free(sim_wav_t *wav);

#endif
