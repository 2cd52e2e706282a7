/* Voice activity detection on 20 ms frames (SG_AUDIO_FRAME_SAMPLES): frame energy against an
 * adaptive noise floor, with onset confirmation, hangover and pre-roll. Integer math only
 * (the ESP32-C3 has no FPU), so the board, the simulator and Python (ctypes) agree exactly.
 *
 * Per frame:
 *   energy  = 10 log10(mean(y^2)) in Q8 dB (0 dB = 1 LSB^2), y = x through a one-pole
 *             high-pass at ~320 Hz (rumble and hum carry energy but little speech)
 *   active  = energy >= floor + threshold  and  energy >= min_energy
 *   floor   : falls fast towards quieter frames (1/2^floor_fall_shift of the gap per frame),
 *             rises at most floor_rise per frame, a quarter of that while speech is held
 *             (a long sentence barely lifts it; a louder room is still learnt)
 * State machine (transitions reported in the result so the caller can log them):
 *   SILENCE --active--> ONSET --onset_frames active in a row--> SPEECH
 *   ONSET --inactive--> SILENCE
 *   SPEECH --inactive--> HANGOVER --active--> SPEECH
 *   HANGOVER --hangover_frames inactive--> SILENCE
 * `speech` is 1 in SPEECH and HANGOVER. On the frame that enters SPEECH, `onset` is 1 and
 * `lookback_frames` says how many frames before this one also belong to the speech
 * (onset_frames - 1 confirmation frames + pre_roll_frames). */
#ifndef SG_VAD_H
#define SG_VAD_H
#include <stddef.h>
#include <stdint.h>
#include "sg_params.h"

#define SG_VAD_MAX_HANGOVER_FRAMES 250 /* 5 s */
#define SG_VAD_MAX_ONSET_FRAMES 10
#define SG_VAD_MAX_PRE_ROLL_FRAMES 50  /* 1 s: the audio ring must hold this much */

typedef enum {
    SG_VAD_SILENCE = 0,
    SG_VAD_ONSET,
    SG_VAD_SPEECH,
    SG_VAD_HANGOVER
} sg_vad_state_t;

typedef struct {
    int16_t threshold_db_q8;
    int16_t min_energy_db_q8;
    uint8_t onset_frames;      /* 1..SG_VAD_MAX_ONSET_FRAMES */
    uint16_t hangover_frames;  /* 0..SG_VAD_MAX_HANGOVER_FRAMES */
    uint8_t pre_roll_frames;   /* 0..SG_VAD_MAX_PRE_ROLL_FRAMES */
    int16_t floor_rise_db_q8;  /* > 0 */
    uint8_t floor_fall_shift;  /* 0..8 */
    int16_t floor_init_db_q8;
} sg_vad_config_t;

typedef struct {
    uint8_t speech;           /* the decision for this frame (SPEECH or HANGOVER) */
    uint8_t active;           /* this frame alone is above the floor */
    uint8_t onset;            /* this frame entered SPEECH */
    uint8_t offset;           /* this frame left speech (first non-speech frame) */
    uint8_t lookback_frames;  /* on onset: earlier frames that belong to the speech */
    sg_vad_state_t state;     /* state after this frame */
    sg_vad_state_t prev_state;/* state before it; differs on a transition */
    int16_t energy_db_q8;
    int16_t floor_db_q8;
} sg_vad_result_t;

typedef struct {
    sg_vad_config_t cfg;
    sg_vad_state_t state;
    int32_t floor_db_q8;
    uint16_t run;            /* active frames in ONSET / inactive frames in HANGOVER */
    int16_t hp_x1;           /* high-pass memory across frames */
    int32_t hp_y1;
    uint32_t frames;
    uint32_t speech_frames;
} sg_vad_t;

void sg_vad_default_config(sg_vad_config_t *cfg);
/* Returns 0, or -1 (state untouched) if the config is out of range. */
int sg_vad_init(sg_vad_t *v, const sg_vad_config_t *cfg);
/* Back to SILENCE with the initial floor (new audio stream). */
void sg_vad_reset(sg_vad_t *v);
/* Exactly SG_AUDIO_FRAME_SAMPLES samples. */
void sg_vad_process(sg_vad_t *v, const int16_t *frame, sg_vad_result_t *res);
const char *sg_vad_state_name(sg_vad_state_t s);

/* Batch entry point for Python (ctypes), same code path as the board:
 *   lib.sg_vad_run.argtypes = [c_void_p, POINTER(c_int16), c_size_t, POINTER(c_uint8), c_size_t]
 *   lib.sg_vad_run.restype  = c_size_t
 * cfg: pointer to an sg_vad_config_t, or NULL for the params.toml defaults. Processes
 * min(n / SG_AUDIO_FRAME_SAMPLES, max_frames) frames from a fresh state, writes one byte per
 * frame (bit 0 speech, bit 1 active, bit 2 onset) and returns the frame count, or
 * (size_t)-1 if cfg is invalid. Pre-roll is not applied here: it is the segmenter's job. */
size_t sg_vad_run(const sg_vad_config_t *cfg, const int16_t *pcm, size_t n, uint8_t *decisions,
                  size_t max_frames);

#endif
