/* Integer helpers shared by the DSP stages (VAD, log-mel). Deterministic on every target:
 * no floating point, tables are constants. */
#ifndef SG_FIXMATH_H
#define SG_FIXMATH_H
#include <stdint.h>

/* 256 * log2(x), rounded, accurate to about 1/256; 0 for x == 0 (and x == 1). */
int32_t sg_log2_q8(uint64_t x);
/* 10 log10 from a log2 value, both Q8: 10 log10(2) = 3.0103 ~ 771 / 256. */
static inline int32_t sg_log2_q8_to_db_q8(int32_t log2_q8) { return (log2_q8 * 771) / 256; }
static inline int16_t sg_sat16(int32_t v)
{
    return (int16_t)(v > INT16_MAX ? INT16_MAX : (v < INT16_MIN ? INT16_MIN : v));
}

#endif
