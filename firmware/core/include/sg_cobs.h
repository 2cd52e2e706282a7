/* Consistent Overhead Byte Stuffing: removes every 0x00 so that 0x00 can delimit frames. */
#ifndef SG_COBS_H
#define SG_COBS_H
#include <stddef.h>
#include <stdint.h>

/* Worst-case encoded size of n input bytes. */
#define SG_COBS_MAX_ENCODED(n) ((n) + ((n) / 254u) + 1u)

/* Returns the encoded length, or 0 if dst_cap is too small. */
size_t sg_cobs_encode(const uint8_t *src, size_t len, uint8_t *dst, size_t dst_cap);
/* Returns the decoded length, or -1 if the input is not valid COBS or dst_cap is too small. */
long sg_cobs_decode(const uint8_t *src, size_t len, uint8_t *dst, size_t dst_cap);

#endif
