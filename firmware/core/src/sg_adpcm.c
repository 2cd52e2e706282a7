#include "sg_adpcm.h"

static const int16_t STEP_TABLE[89] = {
    7, 8, 9, 10, 11, 12, 13, 14, 16, 17, 19, 21, 23, 25, 28, 31, 34, 37, 41, 45,
    50, 55, 60, 66, 73, 80, 88, 97, 107, 118, 130, 143, 157, 173, 190, 209, 230, 253, 279, 307,
    337, 371, 408, 449, 494, 544, 598, 658, 724, 796, 876, 963, 1060, 1166, 1282, 1411, 1552, 1707, 1878, 2066,
    2272, 2499, 2749, 3024, 3327, 3660, 4026, 4428, 4871, 5358, 5894, 6484, 7132, 7845, 8630, 9493, 10442, 11487, 12635, 13899,
    15289, 16818, 18500, 20350, 22385, 24623, 27086, 29794, 32767};

static const int8_t INDEX_TABLE[16] = {-1, -1, -1, -1, 2, 4, 6, 8, -1, -1, -1, -1, 2, 4, 6, 8};

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
