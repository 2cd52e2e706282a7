/* Integer log-mel front end; the signal path and output units are in sg_logmel.h. */
#include "sg_logmel.h"
#include "sg_fixmath.h"
#include "sg_logmel_tables.h"
#include <string.h>

#define N SG_LOGMEL_FFT_SIZE
#define WIN SG_LOGMEL_WINDOW_SAMPLES
#define HOP SG_LOGMEL_HOP_SAMPLES
#define NORM_LIMIT (1 << 14) /* block-normalised peak stays below this: no FFT overflow */

typedef char sg_logmel_fft_is_512[N == 512 && WIN <= N ? 1 : -1]; /* 9 stages below */

static int log2_int(unsigned v)
{
    int l = 0;
    while ((1u << l) < v)
        l++;
    return l;
}

void sg_logmel_init(sg_logmel_t *lm)
{
    memset(lm, 0, sizeof *lm);
}

/* Loads the window into re[] (zero padded), normalised so its peak is below 2^14; returns
 * the left shift applied (-1: halved). */
static int load_window(sg_logmel_t *lm, const int16_t *hop)
{
    int32_t peak = 0;
    for (int i = 0; i < WIN; i++) {
        int32_t x = i < SG_LOGMEL_OVERLAP ? lm->history[i] : hop[i - SG_LOGMEL_OVERLAP];
        int32_t y = (x * sg_logmel_window_q15[i] + (1 << 14)) >> 15;
        lm->re[i] = (int16_t)y;
        if (y < 0)
            y = -y;
        if (y > peak)
            peak = y;
    }
    memset(&lm->re[WIN], 0, (N - WIN) * sizeof lm->re[0]);
    memset(lm->im, 0, sizeof lm->im);
    int shift = 0;
    if (peak >= NORM_LIMIT) {
        shift = -1; /* a loud frame gives up one bit instead of risking overflow */
        for (int i = 0; i < WIN; i++)
            lm->re[i] = (int16_t)((lm->re[i] + 1) >> 1);
        return shift;
    }
    while (peak && (peak << (shift + 1)) < NORM_LIMIT)
        shift++;
    for (int i = 0; i < WIN; i++)
        lm->re[i] = (int16_t)(lm->re[i] * (1 << shift));
    return shift;
}

/* In-place radix-2 decimation-in-time FFT, every stage scaled by 1/2 with rounding. */
static void fft(int16_t *re, int16_t *im)
{
    const int bits = log2_int(N);
    for (int i = 0; i < N; i++) {
        int r = 0;
        for (int b = 0; b < bits; b++)
            r |= ((i >> b) & 1) << (bits - 1 - b);
        if (r > i) {
            int16_t t = re[i]; re[i] = re[r]; re[r] = t;
            t = im[i]; im[i] = im[r]; im[r] = t;
        }
    }
    for (int m = 2; m <= N; m <<= 1) {
        const int half = m >> 1, step = N / m;
        for (int k = 0; k < half; k++) {
            const int32_t wr = sg_logmel_cos_q15[k * step], wi = -sg_logmel_sin_q15[k * step];
            for (int j = k; j < N; j += m) {
                const int l = j + half;
                int32_t tr = (re[l] * wr - im[l] * wi + (1 << 14)) >> 15;
                int32_t ti = (re[l] * wi + im[l] * wr + (1 << 14)) >> 15;
                int32_t ar = re[j], ai = im[j];
                re[j] = (int16_t)((ar + tr + 1) >> 1);
                im[j] = (int16_t)((ai + ti + 1) >> 1);
                re[l] = (int16_t)((ar - tr + 1) >> 1);
                im[l] = (int16_t)((ai - ti + 1) >> 1);
            }
        }
    }
}

void sg_logmel_process(sg_logmel_t *lm, const int16_t *hop, int16_t *out)
{
    uint64_t band[SG_LOGMEL_N_MELS];
    int shift = load_window(lm, hop);
    memmove(lm->history, hop + HOP - SG_LOGMEL_OVERLAP, sizeof lm->history);
    fft(lm->re, lm->im);

    memset(band, 0, sizeof band);
    for (int k = 0; k < SG_LOGMEL_N_BINS; k++) {
        int j = sg_logmel_bin_band[k];
        if (j < 0)
            continue;
        uint32_t p = (uint32_t)(lm->re[k] * lm->re[k]) + (uint32_t)(lm->im[k] * lm->im[k]);
        uint32_t w = sg_logmel_bin_weight_q15[k];
        if (j < SG_LOGMEL_N_MELS)
            band[j] += (uint64_t)p * w;
        if (j > 0)
            band[j - 1] += (uint64_t)p * (32768u - w);
    }
    /* Undo the Q15 weights, the normalisation (power scales with its square) and the FFT's
     * 9 halvings, so values are log2 powers of the unscaled DFT of the int16 input. */
    const int32_t offset = (15 + 2 * shift - 2 * 9) * 256;
    for (int b = 0; b < SG_LOGMEL_N_MELS; b++) {
        int32_t v = band[b] ? sg_log2_q8(band[b]) - offset : 0;
        out[b] = (int16_t)(v < 0 ? 0 : v);
    }
    lm->frames++;
}

void sg_logmel_to_int8(const int16_t *in, int8_t *out, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int32_t q = ((in[i] - SG_LOGMEL_INT8_OFFSET_Q8) >> SG_LOGMEL_INT8_SHIFT) - 128;
        out[i] = (int8_t)(q < -128 ? -128 : (q > 127 ? 127 : q));
    }
}

size_t sg_logmel_compute(const int16_t *pcm, size_t n, int16_t *out, size_t max_frames)
{
    sg_logmel_t lm;
    size_t frames = n / HOP;
    if (frames > max_frames)
        frames = max_frames;
    sg_logmel_init(&lm);
    for (size_t f = 0; f < frames; f++)
        sg_logmel_process(&lm, pcm + f * HOP, out + f * SG_LOGMEL_N_MELS);
    return frames;
}

size_t sg_logmel_compute_int8(const int16_t *pcm, size_t n, int8_t *out, size_t max_frames)
{
    sg_logmel_t lm;
    int16_t row[SG_LOGMEL_N_MELS];
    size_t frames = n / HOP;
    if (frames > max_frames)
        frames = max_frames;
    sg_logmel_init(&lm);
    for (size_t f = 0; f < frames; f++) {
        sg_logmel_process(&lm, pcm + f * HOP, row);
        sg_logmel_to_int8(row, out + f * SG_LOGMEL_N_MELS, SG_LOGMEL_N_MELS);
    }
    return frames;
}

int sg_logmel_n_mels(void) { return SG_LOGMEL_N_MELS; }
int sg_logmel_hop_samples(void) { return HOP; }
