/* Input stage: INMP441 I2S slots or 16-bit PCM -> DC-free, gain-adjusted int16 PCM.
 *
 * The INMP441 sends 24-bit two's-complement samples left-justified in 32-bit slots (the low
 * 8 bits are zero). Internally the stage works on 24-bit values so that the DC tracker and
 * the gain keep 8 more bits than the output:
 *   x24   = slot >> 8                       (PCM input: pcm * 256)
 *   dc   += (x24 * 64 - dc) >> dc_shift     (dc holds the mean with 6 fraction bits)
 *   y24   = x24 - (dc >> 6)                 (one-pole high-pass, corner fs / (2 pi 2^dc_shift))
 *   out   = sat16(round(y24 * gain_q8 / 2^16))
 * Saturated samples are counted in `clipped`; nothing is clipped silently.
 * Requires arithmetic right shift of negative integers (gcc and clang guarantee it). */
#ifndef SG_FRONTEND_H
#define SG_FRONTEND_H
#include <stddef.h>
#include <stdint.h>
#include "sg_params.h"

typedef struct {
    int16_t gain_q8;  /* 256 = unity; SG_FRONTEND_MIN_GAIN_Q8..SG_FRONTEND_MAX_GAIN_Q8 */
    uint8_t dc_shift; /* 4..15; 0 disables DC removal */
} sg_frontend_config_t;

typedef struct {
    int32_t dc;        /* DC estimate, 24-bit units with 6 fraction bits */
    int16_t gain_q8;
    uint8_t dc_shift;
    uint32_t clipped;  /* samples saturated by the gain stage since init */
    uint32_t samples;  /* samples processed since init */
} sg_frontend_t;

void sg_frontend_default_config(sg_frontend_config_t *cfg);
/* Returns 0, or -1 (state untouched) if the config is out of range. */
int sg_frontend_init(sg_frontend_t *fe, const sg_frontend_config_t *cfg);
/* Takes effect from the next sample. Returns -1 (gain unchanged) if out of range. */
int sg_frontend_set_gain(sg_frontend_t *fe, int16_t gain_q8);
/* n raw I2S slots -> n int16 samples. in and out must not overlap. */
void sg_frontend_process_i2s(sg_frontend_t *fe, const int32_t *slots, int16_t *out, size_t n);
/* n int16 samples (simulator, injected audio) through the same DC and gain path.
 * out may equal in. */
void sg_frontend_process_pcm(sg_frontend_t *fe, const int16_t *in, int16_t *out, size_t n);

#endif
