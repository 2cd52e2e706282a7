/* Integer log2 by leading-bit position plus a 33-entry table of log2(1 + i/32) in Q12 with
 * linear interpolation on the next 8 bits; the Q12 table keeps the Q8 result's error below
 * half an LSB of the interpolation. */
#include "sg_fixmath.h"

static const uint16_t k_log2_frac_q12[33] = {
    0, 182, 358, 530, 696, 858, 1016, 1169, 1319, 1465, 1607,
    1746, 1882, 2015, 2145, 2272, 2396, 2518, 2637, 2754, 2869, 2982,
    3092, 3200, 3307, 3412, 3514, 3615, 3715, 3812, 3908, 4003, 4096,
};

int32_t sg_log2_q8(uint64_t x)
{
    if (x == 0)
        return 0;
    int msb = 63;
    while (!(x >> msb))
        msb--;
    /* 13 bits below the leading one: 5 index the table, 8 interpolate. */
    uint32_t frac;
    if (msb >= 13)
        frac = (uint32_t)(x >> (msb - 13)) & 0x1FFFu;
    else
        frac = (uint32_t)(x << (13 - msb)) & 0x1FFFu;
    uint32_t idx = frac >> 8, t = frac & 0xFFu;
    uint32_t lo = k_log2_frac_q12[idx], hi = k_log2_frac_q12[idx + 1];
    uint32_t f_q12 = lo + (((hi - lo) * t + 128u) >> 8);
    return (int32_t)(((uint32_t)msb << 8) + ((f_q12 + 8u) >> 4));
}
