/* Log-mel: a known tone lands in the right band with the right level, streaming equals batch,
 * the int8 mapping, silence, and an exact checksum snapshot of a fixed input (any change to
 * the integer pipeline or the tables shows up here, and must be deliberate: the keyword
 * model is trained on these exact values). */
#include <string.h>
#include "sg_logmel.h"
#include "sg_test.h"

#define HOP SG_LOGMEL_HOP_SAMPLES
#define M SG_LOGMEL_N_MELS
#define FRAMES 50

static int16_t pcm[FRAMES * HOP];
static int16_t feat[FRAMES * M], feat2[FRAMES * M];
static int8_t q[FRAMES * M];

/* sin(2 pi k / 16) * 10000: 1 kHz at 16 kHz */
static const int16_t sine16[16] = { 0, 3827, 7071, 9239, 10000, 9239, 7071, 3827,
                                    0, -3827, -7071, -9239, -10000, -9239, -7071, -3827 };

static int argmax(const int16_t *row)
{
    int b = 0;
    for (int i = 1; i < M; i++)
        if (row[i] > row[b])
            b = i;
    return b;
}

static uint32_t fnv1a(const int16_t *v, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h = (h ^ (uint8_t)v[i]) * 16777619u;
        h = (h ^ (uint8_t)((uint16_t)v[i] >> 8)) * 16777619u;
    }
    return h;
}

static void test_tone(void)
{
    for (int i = 0; i < FRAMES * HOP; i++)
        pcm[i] = sine16[i % 16];
    CHECK(sg_logmel_compute(pcm, FRAMES * HOP, feat, FRAMES) == FRAMES, "50 frames");
    /* Band 12 is centred at 1009 Hz (HTK mel, 40 bands over 125..7500 Hz). */
    for (int f = 2; f < FRAMES; f++)
        CHECK(argmax(&feat[f * M]) == 12, "frame %d peak band %d", f, argmax(&feat[f * M]));
    /* Level: windowed DFT peak |X| = A * sum(w) / 2 = 10000 * 240 / 2 -> power 1.44e12,
     * log2 = 40.39 (Q8 10340); band 12's triangle weights the 1 kHz bin (bin 32) by ~0.9
     * and its neighbours' leakage adds a little. */
    int16_t peak = feat[10 * M + 12];
    CHECK(peak > 10340 - 100 && peak < 10340 + 100, "peak level %d", peak);
    /* 20 log10(10000/100) = 40 dB = 13.29 log2 = 3402 in Q8: amplitude 100 is that much lower. */
    for (int i = 0; i < FRAMES * HOP; i++)
        pcm[i] = (int16_t)(sine16[i % 16] / 100);
    sg_logmel_compute(pcm, FRAMES * HOP, feat2, FRAMES);
    int d = feat[10 * M + 12] - feat2[10 * M + 12];
    CHECK(d > 3402 - 30 && d < 3402 + 30, "40 dB down: %d (Q8 log2)", d);
}

static void test_streaming_equals_batch(void)
{
    uint32_t x = 1;
    for (int i = 0; i < FRAMES * HOP; i++) {
        x = x * 1103515245u + 12345u;
        pcm[i] = (int16_t)((int32_t)(x >> 16) % 4000 - 2000 + sine16[i % 16] / 4);
    }
    size_t n = sg_logmel_compute(pcm, FRAMES * HOP + HOP - 1, feat, FRAMES);
    CHECK(n == FRAMES, "partial hop ignored: %u", (unsigned)n);
    CHECK(sg_logmel_compute(pcm, FRAMES * HOP, feat2, 7) == 7, "max_frames respected");
    static sg_logmel_t lm;
    sg_logmel_init(&lm);
    int same = 1;
    for (int f = 0; f < FRAMES; f++) {
        int16_t row[M];
        sg_logmel_process(&lm, pcm + f * HOP, row);
        same &= memcmp(row, &feat[f * M], sizeof row) == 0;
    }
    CHECK(same, "streaming frames equal the batch call");
    /* Snapshot of this fixed input (noise + 1 kHz): the features the model is trained on. */
    uint32_t h = fnv1a(feat, FRAMES * M);
    CHECK(h == 0x97e7dbccu, "checksum 0x%08x", (unsigned)h);
    CHECK(feat[0] == 7011 && feat[20 * M + 12] == 9407, "values f0b0=%d f20b12=%d", feat[0], feat[20 * M + 12]);

    CHECK(sg_logmel_compute_int8(pcm, FRAMES * HOP, q, FRAMES) == FRAMES, "int8 frames");
    int ok = 1;
    for (int i = 0; i < FRAMES * M; i++) {
        int32_t want = ((feat[i] - SG_LOGMEL_INT8_OFFSET_Q8) >> SG_LOGMEL_INT8_SHIFT) - 128;
        want = want < -128 ? -128 : want > 127 ? 127 : want;
        ok &= q[i] == want;
    }
    CHECK(ok, "int8 = clamp(((v - offset) >> shift) - 128)");
}

static void test_int8_edges_and_silence(void)
{
    const int16_t in[4] = { 0, SG_LOGMEL_INT8_OFFSET_Q8, SG_LOGMEL_INT8_OFFSET_Q8 + (255 << SG_LOGMEL_INT8_SHIFT), 32767 };
    int8_t out[4];
    sg_logmel_to_int8(in, out, 4);
    CHECK(out[0] == -128 && out[1] == -128 && out[2] == 127 && out[3] == 127, "int8 %d %d %d %d", out[0], out[1],
          out[2], out[3]);
    memset(pcm, 0, sizeof pcm);
    sg_logmel_compute(pcm, FRAMES * HOP, feat, FRAMES);
    int zeros = 0;
    for (int i = 0; i < FRAMES * M; i++)
        zeros += feat[i] == 0;
    CHECK(zeros == FRAMES * M, "digital silence -> all 0 (%d)", zeros);
    CHECK(sg_logmel_n_mels() == 40 && sg_logmel_hop_samples() == 320, "shape");
}

int main(void)
{
    test_tone();
    test_streaming_equals_batch();
    test_int8_edges_and_silence();
    return sg_test_summary("logmel");
}
