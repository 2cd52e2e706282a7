/* IMA-ADPCM (4 bits per sample), the classic DVI/IMA algorithm.
 * Nibble order: the first sample of each byte is in the low nibble (as in WAV IMA blocks). */
#ifndef SG_ADPCM_H
#define SG_ADPCM_H
#include <stddef.h>
#include <stdint.h>

typedef struct {
    int16_t predictor;
    uint8_t step_index; /* 0..88 */
} sg_adpcm_state_t;

void sg_adpcm_init(sg_adpcm_state_t *st);
/* Encodes n samples into (n+1)/2 bytes and advances *st. */
void sg_adpcm_encode(sg_adpcm_state_t *st, const int16_t *pcm, size_t n, uint8_t *out);
/* Decodes n samples from (n+1)/2 bytes and advances *st. */
void sg_adpcm_decode(sg_adpcm_state_t *st, const uint8_t *in, size_t n, int16_t *pcm);

#endif
