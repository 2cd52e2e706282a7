#include "sg_cobs.h"

size_t sg_cobs_encode(const uint8_t *src, size_t len, uint8_t *dst, size_t dst_cap)
{
    if (dst_cap < SG_COBS_MAX_ENCODED(len))
        return 0;
    size_t out = 1, code_at = 0;
    uint8_t code = 1;
    for (size_t i = 0; i < len; i++) {
        if (src[i] == 0) {
            dst[code_at] = code;
            code_at = out++;
            code = 1;
            continue;
        }
        dst[out++] = src[i];
        if (++code == 0xFF) {
            dst[code_at] = code;
            code_at = out++;
            code = 1;
        }
    }
    dst[code_at] = code;
    return out;
}

long sg_cobs_decode(const uint8_t *src, size_t len, uint8_t *dst, size_t dst_cap)
{
    size_t in = 0, out = 0;
    while (in < len) {
        uint8_t code = src[in++];
        if (code == 0)
            return -1;
        for (uint8_t k = 1; k < code; k++) {
            if (in >= len || src[in] == 0 || out >= dst_cap)
                return -1;
            dst[out++] = src[in++];
        }
        /* A code below 0xFF stands for a zero, except at the very end of the block. */
        if (code != 0xFF && in < len) {
            if (out >= dst_cap)
                return -1;
            dst[out++] = 0;
        }
    }
    return (long)out;
}
