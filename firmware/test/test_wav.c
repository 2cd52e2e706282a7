/* The simulator's strict WAV reader: the accepted format and every refusal message.
 * sim_wav.c is plain C99 and lives with the simulator, so it is built into this test
 * directly (the test build only compiles the core). */
#include <string.h>
#include "../platform/posix/sim_wav.c"
#include "sg_test.h"

typedef struct {
    const char *riff, *wave;
    unsigned tag, channels, rate, bits, align;
    int fmt_size;       /* 16 normally; 40 for extensible; -1 = no fmt chunk */
    int data_first;     /* data chunk before fmt */
    int extra_chunk;    /* a LIST chunk (odd size, padded) before data */
    long data_size;     /* declared data size */
    long data_written;  /* bytes actually present */
} wav_spec_t;

static void put16(FILE *f, unsigned v) { fputc((int)(v & 0xFF), f); fputc((int)((v >> 8) & 0xFF), f); }
static void put32(FILE *f, unsigned long v) { put16(f, (unsigned)(v & 0xFFFF)); put16(f, (unsigned)(v >> 16)); }

static void write_fmt(FILE *f, const wav_spec_t *s)
{
    fwrite("fmt ", 1, 4, f);
    put32(f, (unsigned long)s->fmt_size);
    put16(f, s->fmt_size == 40 ? 0xFFFE : s->tag);
    put16(f, s->channels);
    put32(f, s->rate);
    put32(f, (unsigned long)s->rate * s->align);
    put16(f, s->align);
    put16(f, s->bits);
    if (s->fmt_size == 40) {
        put16(f, 22);
        put16(f, s->bits);
        put32(f, 4);
        put16(f, s->tag); /* GUID: first two bytes are the format tag */
        for (int i = 0; i < 14; i++)
            fputc(0, f);
    }
}

static void write_data(FILE *f, const wav_spec_t *s)
{
    fwrite("data", 1, 4, f);
    put32(f, (unsigned long)s->data_size);
    for (long i = 0; i < s->data_written / 2; i++)
        put16(f, (unsigned)(i % 2 ? 0x8000u + (unsigned)i : (unsigned)i)); /* negative odd samples */
    if (s->data_written % 2)
        fputc(0x11, f);
}

static FILE *make_wav(const wav_spec_t *s)
{
    FILE *f = tmpfile();
    fwrite(s->riff, 1, 4, f);
    put32(f, 36);
    fwrite(s->wave, 1, 4, f);
    if (s->data_first)
        write_data(f, s);
    if (s->fmt_size > 0)
        write_fmt(f, s);
    if (s->extra_chunk) {
        fwrite("LIST", 1, 4, f);
        put32(f, 3);
        fwrite("abc\0", 1, 4, f); /* 3 bytes + pad */
    }
    if (!s->data_first)
        write_data(f, s);
    rewind(f);
    return f;
}

static const wav_spec_t good = { "RIFF", "WAVE", 1, 1, 16000, 16, 2, 16, 0, 0, 8, 8 };

static void expect_error(const char *what, const wav_spec_t *s, const char *want)
{
    sim_wav_t w;
    char err[160] = "";
    FILE *f = make_wav(s);
    int rc = sim_wav_read(f, &w, err, sizeof err);
    fclose(f);
    CHECK(rc == -1 && strcmp(err, want) == 0, "%s: rc=%d err='%s', expected '%s'", what, rc, err, want);
    CHECK(w.samples == NULL, "%s: no samples on error", what);
}

static void test_good(void)
{
    wav_spec_t s = good;
    sim_wav_t w;
    char err[160] = "";
    for (int variant = 0; variant < 3; variant++) {
        s = good;
        if (variant == 1)
            s.extra_chunk = 1;
        if (variant == 2)
            s.fmt_size = 40;
        FILE *f = make_wav(&s);
        int rc = sim_wav_read(f, &w, err, sizeof err);
        fclose(f);
        CHECK(rc == 0, "variant %d accepted: %s", variant, err);
        if (rc == 0) {
            CHECK(w.n == 4, "4 samples, got %zu", w.n);
            CHECK(w.samples[0] == 0 && w.samples[1] == (int16_t)(0x8000 + 1) && w.samples[2] == 2 &&
                      w.samples[3] == -32765,
                  "sample values %d %d %d %d", w.samples[0], w.samples[1], w.samples[2], w.samples[3]);
            sim_wav_free(&w);
        }
    }
}

static void test_errors(void)
{
    wav_spec_t s;
    s = good; s.rate = 44100;
    expect_error("rate", &s, "sample rate 44100 Hz, expected 16000 Hz");
    s = good; s.channels = 2; s.align = 4;
    expect_error("stereo", &s, "2 channels, expected 1 (mono)");
    s = good; s.bits = 8; s.align = 1;
    expect_error("8-bit", &s, "8 bits per sample, expected 16");
    s = good; s.tag = 3; s.bits = 32; s.align = 4;
    expect_error("float", &s, "32-bit float samples, expected 16-bit integer PCM");
    s = good; s.tag = 3; s.bits = 32; s.align = 4; s.fmt_size = 40;
    expect_error("extensible float", &s, "32-bit float samples, expected 16-bit integer PCM");
    s = good; s.tag = 17;
    expect_error("ima adpcm wav", &s, "format tag 17 (compressed), expected 1 (integer PCM)");
    s = good; s.riff = "RIFX";
    expect_error("not riff", &s, "not a RIFF/WAVE file");
    s = good; s.wave = "AVI ";
    expect_error("not wave", &s, "not a RIFF/WAVE file");
    s = good; s.fmt_size = -1;
    expect_error("no fmt", &s, "data chunk before the fmt chunk (no fmt chunk)");
    s = good; s.data_first = 1;
    expect_error("data first", &s, "data chunk before the fmt chunk (no fmt chunk)");
    s = good; s.data_size = 100;
    expect_error("truncated data", &s, "truncated data chunk: header says 100 bytes, file has 8");
    s = good; s.data_size = 7; s.data_written = 7;
    expect_error("odd data", &s, "data chunk of 7 bytes is not a whole number of 16-bit samples");
}

static void test_missing_file_and_empty(void)
{
    sim_wav_t w;
    char err[160] = "";
    CHECK(sim_wav_load("/nonexistent/x.wav", &w, err, sizeof err) == -1 &&
              strcmp(err, "cannot open: No such file or directory") == 0,
          "missing file: '%s'", err);
    FILE *f = tmpfile();
    fwrite("RIFF\x04\0\0\0WAVE", 1, 12, f);
    rewind(f);
    CHECK(sim_wav_read(f, &w, err, sizeof err) == -1 && strcmp(err, "no fmt chunk") == 0, "header only: '%s'", err);
    fclose(f);
    f = tmpfile();
    CHECK(sim_wav_read(f, &w, err, sizeof err) == -1 && strcmp(err, "not a RIFF/WAVE file") == 0, "empty: '%s'", err);
    fclose(f);
}

int main(void)
{
    test_good();
    test_errors();
    test_missing_file_and_empty();
    return sg_test_summary("test_wav");
}
