/* Energy VAD with an adaptive noise floor; the state machine is documented in sg_vad.h.
 * Why the floor rises slowly and only a quarter as fast during speech: a talker who never
 * pauses must not teach the detector that speech is noise, while a real rise in background
 * noise (a fan switched on) is still learnt within seconds once speech stops. */
#include "sg_vad.h"
#include "sg_fixmath.h"

void sg_vad_default_config(sg_vad_config_t *cfg)
{
    cfg->threshold_db_q8 = SG_VAD_THRESHOLD_DB_Q8;
    cfg->min_energy_db_q8 = SG_VAD_MIN_ENERGY_DB_Q8;
    cfg->onset_frames = SG_VAD_ONSET_FRAMES;
    cfg->hangover_frames = SG_VAD_HANGOVER_FRAMES;
    cfg->pre_roll_frames = SG_VAD_PRE_ROLL_FRAMES;
    cfg->floor_rise_db_q8 = SG_VAD_FLOOR_RISE_DB_Q8;
    cfg->floor_fall_shift = SG_VAD_FLOOR_FALL_SHIFT;
    cfg->floor_init_db_q8 = SG_VAD_FLOOR_INIT_DB_Q8;
}

static int config_ok(const sg_vad_config_t *c)
{
    return c->threshold_db_q8 >= 0 && c->onset_frames >= 1 && c->onset_frames <= SG_VAD_MAX_ONSET_FRAMES &&
           c->hangover_frames <= SG_VAD_MAX_HANGOVER_FRAMES && c->pre_roll_frames <= SG_VAD_MAX_PRE_ROLL_FRAMES &&
           c->floor_rise_db_q8 > 0 && c->floor_fall_shift <= 8 && c->floor_init_db_q8 >= 0;
}

int sg_vad_init(sg_vad_t *v, const sg_vad_config_t *cfg)
{
    if (!v || !cfg || !config_ok(cfg))
        return -1;
    v->cfg = *cfg;
    sg_vad_reset(v);
    return 0;
}

void sg_vad_reset(sg_vad_t *v)
{
    v->state = SG_VAD_SILENCE;
    v->floor_db_q8 = v->cfg.floor_init_db_q8;
    v->run = 0;
    v->hp_x1 = 0;
    v->hp_y1 = 0;
    v->frames = 0;
    v->speech_frames = 0;
}

const char *sg_vad_state_name(sg_vad_state_t s)
{
    switch (s) {
    case SG_VAD_SILENCE: return "silence";
    case SG_VAD_ONSET: return "onset";
    case SG_VAD_SPEECH: return "speech";
    case SG_VAD_HANGOVER: return "hangover";
    }
    return "?";
}

/* 10 log10(mean square) in Q8 dB after a one-pole high-pass at ~320 Hz
 * (y = x - x[-1] + y[-1] - y[-1] / 8): room rumble and hum carry much energy and little
 * speech, and pink-like noise would otherwise drive the floor up and down. */
static int16_t frame_energy_db_q8(sg_vad_t *v, const int16_t *x)
{
    uint64_t acc = 0;
    int32_t x1 = v->hp_x1, y1 = v->hp_y1;
    for (int i = 0; i < SG_AUDIO_FRAME_SAMPLES; i++) {
        int32_t y = x[i] - x1 + y1 - (y1 >> 3);
        x1 = x[i];
        y1 = y;
        acc += (uint64_t)((int64_t)y * y);
    }
    v->hp_x1 = (int16_t)x1;
    v->hp_y1 = y1;
    /* mean = acc / 320: subtract log2(320) = 8.3219 (Q8: 2130) in the log domain. */
    int32_t l2 = sg_log2_q8(acc) - 2130;
    if (acc == 0 || l2 < 0)
        l2 = 0;
    return (int16_t)sg_log2_q8_to_db_q8(l2);
}

static void track_floor(sg_vad_t *v, int32_t e)
{
    int32_t f = v->floor_db_q8;
    if (e < f) {
        int32_t d = (f - e) >> v->cfg.floor_fall_shift;
        f -= d > 0 ? d : 1;
    } else {
        int32_t rise = v->cfg.floor_rise_db_q8;
        if (v->state == SG_VAD_SPEECH || v->state == SG_VAD_HANGOVER)
            rise = rise / 4 > 0 ? rise / 4 : 1;
        f += (e - f) < rise ? (e - f) : rise;
    }
    v->floor_db_q8 = f;
}

void sg_vad_process(sg_vad_t *v, const int16_t *frame, sg_vad_result_t *res)
{
    const sg_vad_config_t *c = &v->cfg;
    int32_t e = frame_energy_db_q8(v, frame);
    /* The decision uses the floor learnt from earlier frames only. */
    int active = e >= v->floor_db_q8 + c->threshold_db_q8 && e >= c->min_energy_db_q8;
    sg_vad_state_t prev = v->state, next = prev;

    res->onset = 0;
    res->lookback_frames = 0;
    switch (prev) {
    case SG_VAD_SILENCE:
    case SG_VAD_ONSET:
        if (!active) {
            next = SG_VAD_SILENCE;
            v->run = 0;
        } else if (++v->run >= c->onset_frames) {
            next = SG_VAD_SPEECH;
            res->onset = 1;
            res->lookback_frames = (uint8_t)(c->onset_frames - 1 + c->pre_roll_frames);
            v->run = 0;
        } else {
            next = SG_VAD_ONSET;
        }
        break;
    case SG_VAD_SPEECH:
    case SG_VAD_HANGOVER:
        if (active) {
            next = SG_VAD_SPEECH;
            v->run = 0;
        } else if (++v->run > c->hangover_frames) {
            next = SG_VAD_SILENCE;
            v->run = 0;
        } else {
            next = SG_VAD_HANGOVER;
        }
        break;
    }
    v->state = next;
    track_floor(v, e);

    res->active = (uint8_t)active;
    res->speech = (uint8_t)(next == SG_VAD_SPEECH || next == SG_VAD_HANGOVER);
    res->offset = (uint8_t)(!res->speech && (prev == SG_VAD_SPEECH || prev == SG_VAD_HANGOVER));
    res->state = next;
    res->prev_state = prev;
    res->energy_db_q8 = (int16_t)e;
    res->floor_db_q8 = (int16_t)v->floor_db_q8;
    v->frames++;
    v->speech_frames += res->speech;
}

size_t sg_vad_run(const sg_vad_config_t *cfg, const int16_t *pcm, size_t n, uint8_t *decisions,
                  size_t max_frames)
{
    sg_vad_config_t def;
    sg_vad_t v;
    if (!cfg) {
        sg_vad_default_config(&def);
        cfg = &def;
    }
    if (sg_vad_init(&v, cfg) != 0)
        return (size_t)-1;
    size_t frames = n / SG_AUDIO_FRAME_SAMPLES;
    if (frames > max_frames)
        frames = max_frames;
    for (size_t i = 0; i < frames; i++) {
        sg_vad_result_t r;
        sg_vad_process(&v, pcm + i * SG_AUDIO_FRAME_SAMPLES, &r);
        decisions[i] = (uint8_t)(r.speech | (r.active << 1) | (r.onset << 2));
    }
    return frames;
}
