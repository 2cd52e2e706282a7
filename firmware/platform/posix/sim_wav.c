#include "sim_wav.h"
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define WAV_FORMAT_PCM 1
#define WAV_FORMAT_FLOAT 3
#define WAV_FORMAT_EXTENSIBLE 0xFFFE

static int fail(char *err, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, cap, fmt, ap);
    va_end(ap);
    return -1;
}

static uint16_t le16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }
static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static long remaining(FILE *f)
{
    long here = ftell(f);
    if (here < 0 || fseek(f, 0, SEEK_END) != 0)
        return -1;
    long end = ftell(f);
    if (fseek(f, here, SEEK_SET) != 0)
        return -1;
    return end - here;
}

/* Checks a fmt chunk body; returns 0 if it describes 16 kHz mono int16 PCM. */
static int check_fmt(const uint8_t *b, uint32_t size, char *err, size_t cap)
{
    if (size < 16)
        return fail(err, cap, "fmt chunk of %lu bytes, expected at least 16", (unsigned long)size);
    unsigned tag = le16(b), channels = le16(b + 2), bits = le16(b + 14);
    unsigned long rate = le32(b + 4);
    if (tag == WAV_FORMAT_EXTENSIBLE) {
        /* The sub-format GUID starts with the real format tag. */
        if (size < 40)
            return fail(err, cap, "extensible fmt chunk of %lu bytes, expected 40", (unsigned long)size);
        tag = le16(b + 24);
    }
    if (tag == WAV_FORMAT_FLOAT)
        return fail(err, cap, "%u-bit float samples, expected 16-bit integer PCM", bits);
    if (tag != WAV_FORMAT_PCM)
        return fail(err, cap, "format tag %u (compressed), expected 1 (integer PCM)", tag);
    if (channels != 1)
        return fail(err, cap, "%u channels, expected 1 (mono)", channels);
    if (rate != 16000)
        return fail(err, cap, "sample rate %lu Hz, expected 16000 Hz", rate);
    if (bits != 16)
        return fail(err, cap, "%u bits per sample, expected 16", bits);
    if (le16(b + 12) != 2)
        return fail(err, cap, "block align %u, expected 2", (unsigned)le16(b + 12));
    return 0;
}

int sim_wav_read(FILE *f, sim_wav_t *wav, char *err, size_t cap)
{
    uint8_t hdr[12], ch[8], fmt[40];
    int have_fmt = 0;
    wav->samples = NULL;
    wav->n = 0;
    if (fread(hdr, 1, 12, f) != 12 || memcmp(hdr, "RIFF", 4) != 0 || memcmp(hdr + 8, "WAVE", 4) != 0)
        return fail(err, cap, "not a RIFF/WAVE file");
    for (;;) {
        if (fread(ch, 1, 8, f) != 8)
            return fail(err, cap, have_fmt ? "no data chunk" : "no fmt chunk");
        uint32_t size = le32(ch + 4);
        long left = remaining(f);
        if (memcmp(ch, "fmt ", 4) == 0) {
            size_t take = size < sizeof fmt ? size : sizeof fmt;
            if (left < (long)size || fread(fmt, 1, take, f) != take)
                return fail(err, cap, "truncated fmt chunk");
            if (check_fmt(fmt, size, err, cap) != 0)
                return -1;
            have_fmt = 1;
            if (fseek(f, (long)(size - take + (size & 1u)), SEEK_CUR) != 0)
                return fail(err, cap, "truncated fmt chunk");
        } else if (memcmp(ch, "data", 4) == 0) {
            if (!have_fmt)
                return fail(err, cap, "data chunk before the fmt chunk (no fmt chunk)");
            if (size % 2u)
                return fail(err, cap, "data chunk of %lu bytes is not a whole number of 16-bit samples",
                            (unsigned long)size);
            if (left < 0 || (unsigned long)left < size)
                return fail(err, cap, "truncated data chunk: header says %lu bytes, file has %ld",
                            (unsigned long)size, left < 0 ? 0L : left);
            break;
        } else if (left < 0 || (unsigned long)left < size) {
            return fail(err, cap, "truncated '%.4s' chunk", (const char *)ch);
        } else if (fseek(f, (long)(size + (size & 1u)), SEEK_CUR) != 0) {
            return fail(err, cap, "truncated '%.4s' chunk", (const char *)ch);
        }
    }
    uint32_t size = le32(ch + 4);
    size_t n = size / 2u;
    uint8_t *raw = malloc(size ? size : 1);
    int16_t *pcm = malloc(n ? n * sizeof *pcm : 1);
    if (!raw || !pcm) {
        free(raw);
        free(pcm);
        return fail(err, cap, "out of memory for %lu bytes of audio", (unsigned long)size);
    }
    if (fread(raw, 1, size, f) != size) {
        free(raw);
        free(pcm);
        return fail(err, cap, "truncated data chunk");
    }
    for (size_t i = 0; i < n; i++)
        pcm[i] = (int16_t)le16(raw + 2 * i);
    free(raw);
    wav->samples = pcm;
    wav->n = n;
    return 0;
}

int sim_wav_load(const char *path, sim_wav_t *wav, char *err, size_t cap)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return fail(err, cap, "cannot open: %s", strerror(errno));
    int rc = sim_wav_read(f, wav, err, cap);
    fclose(f);
    return rc;
}

void sim_wav_free(sim_wav_t *wav)
{
    free(wav->samples);
    wav->samples = NULL;
    wav->n = 0;
}
