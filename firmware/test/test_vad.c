/* VAD timelines on synthetic signals: a tone burst in low noise, a click, a short gap, a
 * noise step. Frame numbers are exact; the reasoning is next to each expectation. */
#include <string.h>
#include "sg_test.h"
#include "sg_vad.h"

#define F SG_AUDIO_FRAME_SAMPLES
#define MAXF 2000

static int16_t pcm[MAXF * F];
static sg_vad_result_t res[MAXF];
static uint32_t lcg = 12345;

static int16_t noise(int amp) /* uniform in [-amp, amp], deterministic */
{
    lcg = lcg * 1664525u + 1013904223u;
    return (int16_t)((int32_t)(lcg >> 16) % (2 * amp + 1) - amp);
}

/* 500 Hz: 32 samples per period, so every tone frame ends on a whole period. */
static int16_t tone(int n, int amp)
{
    static const int16_t sine32[32] = { 0, 1951, 3827, 5556, 7071, 8315, 9239, 9808, 10000, 9808, 9239, 8315, 7071, 5556, 3827, 1951,
                                        0, -1951, -3827, -5556, -7071, -8315, -9239, -9808, -10000, -9808, -9239, -8315, -7071, -5556, -3827, -1951 };
    return (int16_t)(sine32[n % 32] * amp / 10000);
}

static sg_vad_config_t test_cfg(void)
{
    sg_vad_config_t c;
    c.threshold_db_q8 = 1024;
    c.min_energy_db_q8 = 5120;
    c.onset_frames = 2;
    c.hangover_frames = 15;
    c.pre_roll_frames = 10;
    c.floor_rise_db_q8 = 13;
    c.floor_fall_shift = 2;
    c.floor_init_db_q8 = 12800;
    return c;
}

static void run(int frames)
{
    sg_vad_t v;
    sg_vad_config_t c = test_cfg();
    CHECK(sg_vad_init(&v, &c) == 0, "init");
    for (int i = 0; i < frames; i++)
        sg_vad_process(&v, pcm + i * F, &res[i]);
}

static int first(int from, int to, int (*pred)(const sg_vad_result_t *))
{
    for (int i = from; i < to; i++)
        if (pred(&res[i]))
            return i;
    return -1;
}
static int is_speech(const sg_vad_result_t *r) { return r->speech; }
static int is_onset(const sg_vad_result_t *r) { return r->onset; }
static int is_offset(const sg_vad_result_t *r) { return r->offset; }
static int is_active(const sg_vad_result_t *r) { return r->active; }

static void test_config(void)
{
    sg_vad_config_t c = test_cfg();
    sg_vad_t v;
    c.onset_frames = 0;
    CHECK(sg_vad_init(&v, &c) == -1, "onset 0 rejected");
    c = test_cfg();
    c.hangover_frames = SG_VAD_MAX_HANGOVER_FRAMES + 1;
    CHECK(sg_vad_init(&v, &c) == -1, "hangover too long rejected");
    c = test_cfg();
    c.pre_roll_frames = SG_VAD_MAX_PRE_ROLL_FRAMES + 1;
    CHECK(sg_vad_init(&v, &c) == -1, "pre-roll too long rejected");
    CHECK(strcmp(sg_vad_state_name(SG_VAD_HANGOVER), "hangover") == 0, "state name");
}

static void test_tone_burst(void)
{
    /* frames 0-49 noise (+-64), 50-74 tone 500 Hz amplitude 8000 + noise, 75-149 noise */
    for (int i = 0; i < 150 * F; i++)
        pcm[i] = (int16_t)(noise(64) + (i >= 50 * F && i < 75 * F ? tone(i, 8000) : 0));
    run(150);
    CHECK(first(0, 150, is_active) == 50, "first active frame %d", first(0, 150, is_active));
    CHECK(res[50].state == SG_VAD_ONSET && !res[50].speech, "frame 50 is an unconfirmed onset");
    CHECK(first(0, 150, is_onset) == 51, "onset at %d", first(0, 150, is_onset));
    CHECK(res[51].lookback_frames == 11, "lookback 1 confirmation + 10 pre-roll = %d", res[51].lookback_frames);
    CHECK(res[51].prev_state == SG_VAD_ONSET && res[51].state == SG_VAD_SPEECH, "transition onset->speech");
    /* The 320 Hz high-pass rings for a few ms after the tone stops, so frame 75 is still
     * active; the last active frame is 75 and the hangover (15 frames) ends after frame 90. */
    int last_active = -1;
    for (int i = 51; i < 150; i++)
        if (res[i].active)
            last_active = i;
    CHECK(last_active == 75, "last active frame %d", last_active);
    CHECK(first(52, 150, is_offset) == 91, "offset at %d", first(52, 150, is_offset));
    CHECK(res[90].state == SG_VAD_HANGOVER && res[90].speech, "frame 90 still held");
    CHECK(res[91].state == SG_VAD_SILENCE && res[91].prev_state == SG_VAD_HANGOVER, "91 silence");
    int speech = 0;
    for (int i = 0; i < 150; i++)
        speech += res[i].speech;
    CHECK(speech == 91 - 51, "speech frames %d", speech);
    /* The floor learnt the noise (uniform +-64: 31 dB before the high-pass), never the tone. */
    CHECK(res[149].floor_db_q8 > 25 * 256 && res[149].floor_db_q8 < 34 * 256, "floor %d", res[149].floor_db_q8);
    CHECK(res[70].energy_db_q8 > 65 * 256, "tone energy %d", res[70].energy_db_q8);
}

static void test_click_and_gap(void)
{
    /* A 10 ms click in frame 40 never confirms; a burst 60-79, a 200 ms gap (80-89), a burst
     * 90-99: the gap is bridged by the hangover, one speech region 61..(last active + 15). */
    for (int i = 0; i < 160 * F; i++) {
        int f = i / F;
        int on = (f == 40 && i % F < F / 2) || (f >= 60 && f < 80) || (f >= 90 && f < 100);
        pcm[i] = (int16_t)(noise(64) + (on ? tone(i, 8000) : 0));
    }
    run(160);
    CHECK(res[40].active && res[40].state == SG_VAD_ONSET, "click is an onset candidate");
    CHECK(!res[41].speech && res[41].state == SG_VAD_SILENCE, "click rejected");
    CHECK(first(0, 160, is_onset) == 61, "onset %d", first(0, 160, is_onset));
    int onsets = 0, offsets = 0;
    for (int i = 0; i < 160; i++) {
        onsets += res[i].onset;
        offsets += res[i].offset;
    }
    CHECK(onsets == 1 && offsets == 1, "one region: %d onsets %d offsets", onsets, offsets);
    CHECK(res[85].state == SG_VAD_HANGOVER, "gap held");
    CHECK(first(62, 160, is_offset) == 116, "offset %d (last active 100 + 15 + 1)", first(62, 160, is_offset));
}

static void test_digital_silence(void)
{
    memset(pcm, 0, 100 * F * sizeof pcm[0]);
    for (int i = 50 * F; i < 52 * F; i++)
        pcm[i] = (int16_t)noise(2); /* 40 dB above a floor of 0, but below min_energy */
    run(100);
    CHECK(first(0, 100, is_active) == -1, "nothing active in near-silence");
    CHECK(res[10].energy_db_q8 == 0, "digital silence is 0 dB");
}

static void test_noise_step(void)
{
    /* Noise +-64 for 10 s, then +-256 (12 dB louder) for 30 s: the step reads as speech at
     * first, and the floor (a quarter of 0.05 dB per frame while speech is held) must learn
     * the new level before the end. */
    int frames = 2000;
    for (int i = 0; i < frames * F; i++)
        pcm[i] = noise(i < 500 * F ? 64 : 256);
    run(frames);
    CHECK(first(0, 500, is_speech) == -1, "no speech in the quiet part");
    CHECK(res[501].speech, "the step looks like speech");
    int back = first(501, frames, is_offset);
    CHECK(back > 501 && back < 1800, "floor learnt the louder room at frame %d", back);
    CHECK(first(back + 1, frames, is_onset) == -1, "no further speech after learning");
}

int main(void)
{
    test_config();
    test_tone_burst();
    test_click_and_gap();
    test_digital_silence();
    test_noise_step();
    return sg_test_summary("vad");
}
