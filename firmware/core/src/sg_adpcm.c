#include "sg_adpcm.h"
#include "sg_params.h"

/* The standard IMA tables, defined once in firmware/params.toml [adpcm]. */
static const int16_t STEP_TABLE[89] = SG_ADPCM_STEP_TABLE;

static const int8_t INDEX_TABLE[16] = SG_ADPCM_INDEX_TABLE;

void sg_adpcm_init(sg_adpcm_state_t *st)
{
    st->predictor = 0;
    st->step_index = 0;
}

/* Applies one 4-bit code to the state; shared by encoder and decoder so they never drift. */
static int16_t apply_code(sg_adpcm_state_t *st, uint8_t code)
{
    int32_t step = STEP_TABLE[st->step_index];
    int32_t diff = step >> 3;
    if (code & 4) diff += step;
    if (code & 2) diff += step >> 1;
    if (code & 1) diff += step >> 2;
    int32_t pred = st->predictor + ((code & 8) ? -diff : diff);
    if (pred > 32767) pred = 32767;
    if (pred < -32768) pred = -32768;
    int idx = st->step_index + INDEX_TABLE[code];
    if (idx < 0) idx = 0;
    if (idx > 88) idx = 88;
    st->predictor = (int16_t)pred;
    st->step_index = (uint8_t)idx;
    return st->predictor;
}

static uint8_t encode_sample(sg_adpcm_state_t *st, int16_t sample)
{
    int32_t step = STEP_TABLE[st->step_index];
    int32_t diff = (int32_t)sample - st->predictor;
    uint8_t code = 0;
    if (diff < 0) {
        code = 8;
        diff = -diff;
    }
    if (diff >= step) { code |= 4; diff -= step; }
    step >>= 1;
    if (diff >= step) { code |= 2; diff -= step; }
    step >>= 1;
    if (diff >= step) { code |= 1; }
    apply_code(st, code);
    return code;
}

void sg_adpcm_encode(sg_adpcm_state_t *st, const int16_t *pcm, size_t n, uint8_t *out)
{
    for (size_t i = 0; i < n; i += 2) {
        uint8_t lo = encode_sample(st, pcm[i]);
        uint8_t hi = (i + 1 < n) ? encode_sample(st, pcm[i + 1]) : 0;
        out[i / 2] = (uint8_t)(lo | (hi << 4));
    }
}

void sg_adpcm_decode(sg_adpcm_state_t *st, const uint8_t *in, size_t n, int16_t *pcm)
{
    for (size_t i = 0; i < n; i++) {
        uint8_t byte = in[i / 2];
        pcm[i] = apply_code(st, (i & 1) ? (uint8_t)(byte >> 4) : (uint8_t)(byte & 0x0F));
    }
}
