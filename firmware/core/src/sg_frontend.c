/* See sg_frontend.h for the signal path. The DC tracker runs at 24-bit resolution with six
 * fraction bits so that its residual error stays below 1/16 of an output LSB. */
#include "sg_frontend.h"
#include "sg_fixmath.h"

/* The core relies on arithmetic right shifts of negative values (gcc/clang define them). */
typedef char sg_arith_shift_required[((-8 >> 1) == -4) ? 1 : -1];

#define DC_FRAC_MUL 64 /* 6 fraction bits */

void sg_frontend_default_config(sg_frontend_config_t *cfg)
{
    cfg->gain_q8 = SG_FRONTEND_DEFAULT_GAIN_Q8;
    cfg->dc_shift = SG_FRONTEND_DC_SHIFT;
}

static int gain_ok(int16_t g) { return g >= SG_FRONTEND_MIN_GAIN_Q8 && g <= SG_FRONTEND_MAX_GAIN_Q8; }

int sg_frontend_init(sg_frontend_t *fe, const sg_frontend_config_t *cfg)
{
    if (!fe || !cfg || !gain_ok(cfg->gain_q8) || (cfg->dc_shift != 0 && (cfg->dc_shift < 4 || cfg->dc_shift > 15)))
        return -1;
    fe->dc = 0;
    fe->gain_q8 = cfg->gain_q8;
    fe->dc_shift = cfg->dc_shift;
    fe->clipped = 0;
    fe->samples = 0;
    return 0;
}

int sg_frontend_set_gain(sg_frontend_t *fe, int16_t gain_q8)
{
    if (!gain_ok(gain_q8))
        return -1;
    fe->gain_q8 = gain_q8;
    return 0;
}

/* x24: one sample in 24-bit units. */
static inline int16_t step(sg_frontend_t *fe, int32_t x24)
{
    int32_t y24 = x24;
    if (fe->dc_shift) {
        fe->dc += (x24 * DC_FRAC_MUL - fe->dc) >> fe->dc_shift;
        y24 = x24 - (fe->dc >> 6);
    }
    /* |y24| < 2^25 and gain <= 2^12: the product needs 38 bits. */
    int64_t p = (int64_t)y24 * fe->gain_q8;
    int64_t v = (p + (1 << 15)) >> 16;
    if (v > INT16_MAX || v < INT16_MIN) {
        fe->clipped++;
        return v > 0 ? INT16_MAX : INT16_MIN;
    }
    return (int16_t)v;
}

void sg_frontend_process_i2s(sg_frontend_t *fe, const int32_t *slots, int16_t *out, size_t n)
{
    for (size_t i = 0; i < n; i++)
        out[i] = step(fe, slots[i] >> 8);
    fe->samples += (uint32_t)n;
}

void sg_frontend_process_pcm(sg_frontend_t *fe, const int16_t *in, int16_t *out, size_t n)
{
    for (size_t i = 0; i < n; i++)
        out[i] = step(fe, (int32_t)in[i] * 256);
    fe->samples += (uint32_t)n;
}
