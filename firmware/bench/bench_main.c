/* Bare-metal RV32IMC benchmark of the per-20-ms-frame pipeline, run under
 * qemu-system-riscv32 -icount shift=0, where rdinstret counts retired instructions exactly.
 *
 * Input: 10 s of deterministic speech-like audio as INMP441 I2S slots: a harmonic source
 * (8 harmonics, pitch gliding 110..230 Hz) under a 4 Hz syllable envelope with pauses, plus
 * low noise and a DC offset. Stages timed per frame: frontend (I2S -> int16), VAD, log-mel,
 * keyword model (only if a model is linked: sg_bench_kws_model() is weak), IMA-ADPCM, AUDIO
 * message pack + frame encode. Also checks that the log-mel features of the fixed input used
 * by firmware/test/test_logmel.c hash to the same value as on the host (bit-identity).
 *
 * Pass criteria: the mean CPU load (instructions per frame / cycles per frame) is at most
 * 15 %, and the busiest single frame (one that also runs a keyword inference) still fits in
 * its 20 ms, so even a single-task build never falls behind the microphone's DMA. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "bench_instret.h"
#include "sg_adpcm.h"
#include "sg_frame.h"
#include "sg_frontend.h"
#include "sg_kws.h"
#include "sg_logmel.h"
#include "sg_logmel_tables.h"
#include "sg_msg.h"
#include "sg_vad.h"

#define F SG_AUDIO_FRAME_SAMPLES
#define FRAMES 500 /* 10 s */
#define CLOCK_HZ 160000000u
#define LOGMEL_CHECKSUM 0x97e7dbccu /* firmware/test/test_logmel.c */

const sg_kws_model_t *sg_bench_kws_model(void) __attribute__((weak));
void sg_bench_kws_report(void) __attribute__((weak));

enum { ST_FRONTEND, ST_VAD, ST_LOGMEL, ST_KWS, ST_ADPCM, ST_FRAMING, ST_COUNT };
static const char *const k_names[ST_COUNT] = { "frontend", "vad", "logmel", "kws", "adpcm", "framing" };


/* sin(2 pi i / 256) in Q15, from the log-mel twiddle table (sin(2 pi k / 512), k < 256). */
static int16_t k_sine[256];
static void build_sine(void)
{
    for (int i = 0; i < 256; i++)
        k_sine[i] = (int16_t)(2 * i < 256 ? sg_logmel_sin_q15[2 * i] : -sg_logmel_sin_q15[2 * i - 256]);
}

static uint32_t rng = 1;
static int32_t noise(int amp)
{
    rng = rng * 1664525u + 1013904223u;
    return (int32_t)(rng >> 16) % (2 * amp + 1) - amp;
}

static int32_t slots[F];
static int16_t pcm[F];
static int16_t mel[SG_LOGMEL_N_MELS];
static int8_t mel8[SG_LOGMEL_N_MELS];
static uint8_t adpcm[F / 2];
static uint8_t payload[SG_PROTOCOL_MAX_PAYLOAD];
static uint8_t wire[SG_FRAME_WIRE_MAX];
static sg_frontend_t fe;
static sg_vad_t vad;
static sg_logmel_t lm;
static sg_kws_t kws;

static void make_frame(uint32_t frame)
{
    static uint32_t phase[8];
    for (int i = 0; i < F; i++) {
        uint32_t t = frame * F + (uint32_t)i;
        uint32_t syl = t % 4000;                       /* 250 ms syllables */
        int in_pause = (t / 32000) % 3 == 2;           /* every third 2 s block is a pause */
        int32_t env = in_pause ? 0 : (syl < 2000 ? (int32_t)syl : (int32_t)(4000 - syl)) * 8;
        uint32_t f0 = 110 + (t / 160) % 120;           /* Hz, gliding */
        int32_t v = 0;
        for (int h = 0; h < 8; h++) {
            phase[h] += (uint32_t)(f0 * (uint32_t)(h + 1)) * 65536u / 16000u * 4096u;
            v += k_sine[phase[h] >> 24] / (h + 1);
        }
        int32_t s = (v / 4) * env / 16000 + noise(40) - 700; /* -700: mic DC offset */
        if (s > 32767) s = 32767;
        if (s < -32768) s = -32768;
        slots[i] = (int32_t)((uint32_t)s << 16);
    }
}

static uint32_t fnv1a(uint32_t h, const int16_t *v, int n)
{
    for (int i = 0; i < n; i++) {
        h = (h ^ (uint8_t)v[i]) * 16777619u;
        h = (h ^ (uint8_t)((uint16_t)v[i] >> 8)) * 16777619u;
    }
    return h;
}

/* The same input and hash as test_logmel.c's snapshot. */
static int logmel_parity(void)
{
    static int16_t in[50 * 320], out[50 * SG_LOGMEL_N_MELS];
    static const int16_t sine16[16] = { 0, 3827, 7071, 9239, 10000, 9239, 7071, 3827,
                                        0, -3827, -7071, -9239, -10000, -9239, -7071, -3827 };
    uint32_t x = 1;
    for (int i = 0; i < 50 * 320; i++) {
        x = x * 1103515245u + 12345u;
        in[i] = (int16_t)((int32_t)(x >> 16) % 4000 - 2000 + sine16[i % 16] / 4);
    }
    sg_logmel_compute(in, 50 * 320, out, 50);
    uint32_t h = fnv1a(2166136261u, out, 50 * SG_LOGMEL_N_MELS);
    printf("logmel parity: checksum 0x%08lx, host 0x%08lx: %s\n", (unsigned long)h,
           (unsigned long)LOGMEL_CHECKSUM, h == LOGMEL_CHECKSUM ? "identical" : "MISMATCH");
    return h == LOGMEL_CHECKSUM;
}

int main(void)
{
    static uint64_t total[ST_COUNT];
    static uint32_t worst[ST_COUNT];
    uint32_t worst_frame = 0;
    sg_frontend_config_t fc;
    sg_vad_config_t vc;
    sg_adpcm_state_t ad;
    const sg_kws_model_t *model = sg_bench_kws_model ? sg_bench_kws_model() : NULL;
    uint16_t seq = 0;
    uint32_t speech = 0, wire_bytes = 0;

    build_sine();
    sg_frontend_default_config(&fc);
    sg_frontend_init(&fe, &fc);
    sg_vad_default_config(&vc);
    sg_vad_init(&vad, &vc);
    sg_logmel_init(&lm);
    sg_kws_init(&kws);
    if (model && sg_kws_set_model(&kws, model) != 0)
        model = NULL;
    sg_adpcm_init(&ad);

    for (uint32_t f = 0; f < FRAMES; f++) {
        uint32_t t[ST_COUNT + 1];
        sg_vad_result_t vr;
        sg_kws_hit_t hit;
        make_frame(f);
        t[0] = instret();
        sg_frontend_process_i2s(&fe, slots, pcm, F);
        t[1] = instret();
        sg_vad_process(&vad, pcm, &vr);
        t[2] = instret();
        sg_logmel_process(&lm, pcm, mel);
        t[3] = instret();
        if (model) {
            sg_logmel_to_int8(mel, mel8, SG_LOGMEL_N_MELS);
            sg_kws_push_features(&kws, mel8, SG_LOGMEL_N_MELS, f * 20u, &hit);
        }
        t[4] = instret();
        sg_msg_audio_t m;
        m.sample_index = f * F;
        m.codec = SG_PROTOCOL_CODEC_IMA_ADPCM;
        m.n_samples = F;
        m.predictor = ad.predictor;
        m.step_index = ad.step_index;
        sg_adpcm_encode(&ad, pcm, F, adpcm);
        t[5] = instret();
        m.data = adpcm;
        m.data_len = F / 2;
        size_t plen = sg_pack_audio(&m, payload, sizeof payload);
        wire_bytes += (uint32_t)sg_frame_encode(SG_PROTOCOL_MSG_AUDIO, seq++, payload, (uint16_t)plen, wire, sizeof wire);
        t[6] = instret();
        for (int s = 0; s < ST_COUNT; s++) {
            uint32_t d = t[s + 1] - t[s];
            total[s] += d;
            if (d > worst[s])
                worst[s] = d;
        }
        if (t[ST_COUNT] - t[0] > worst_frame)
            worst_frame = t[ST_COUNT] - t[0];
        speech += vr.speech;
    }

    printf("firmware-bench: RV32IMC, %d frames of 20 ms (10 s), instructions per frame (rdinstret)\n", FRAMES);
    printf("%-10s %10s %10s %8s\n", "stage", "mean", "max", "load%");
    uint64_t sum_mean = 0;
    uint32_t sum_max = 0;
    for (int s = 0; s < ST_COUNT; s++) {
        uint32_t mean = (uint32_t)(total[s] / FRAMES);
        /* load = instructions per frame / (160 MHz * 20 ms), 1 instruction per cycle */
        uint32_t load_milli = (uint32_t)((uint64_t)mean * 100000u / (CLOCK_HZ / 50u));
        sum_mean += mean;
        sum_max += worst[s];
        printf("%-10s %10lu %10lu %4lu.%03lu%s\n", k_names[s], (unsigned long)mean, (unsigned long)worst[s],
               (unsigned long)(load_milli / 1000), (unsigned long)(load_milli % 1000),
               s == ST_KWS && !model ? "  (no model linked)" : "");
    }
    uint32_t load_milli = (uint32_t)(sum_mean * 100000u / (CLOCK_HZ / 50u));
    uint32_t frame_milli = (uint32_t)((uint64_t)worst_frame * 100000u / (CLOCK_HZ / 50u));
    printf("%-10s %10lu %10lu %4lu.%03lu\n", "total", (unsigned long)sum_mean, (unsigned long)sum_max,
           (unsigned long)(load_milli / 1000), (unsigned long)(load_milli % 1000));
    printf("CPU load at 160 MHz, assuming 1 instruction per cycle: mean %lu.%03lu%% (target <= 15%%); "
           "busiest frame %lu instructions = %lu.%03lu%% of 20 ms (must be <= 100%%)\n",
           (unsigned long)(load_milli / 1000), (unsigned long)(load_milli % 1000), (unsigned long)worst_frame,
           (unsigned long)(frame_milli / 1000), (unsigned long)(frame_milli % 1000));
    printf("speech frames %lu/%d, clipped %lu, wire bytes %lu\n", (unsigned long)speech, FRAMES,
           (unsigned long)fe.clipped, (unsigned long)wire_bytes);
    if (model && sg_bench_kws_report)
        sg_bench_kws_report();
    int parity = logmel_parity();
    return (parity && load_milli <= 15000u && frame_milli <= 100000u) ? 0 : 1;
}
