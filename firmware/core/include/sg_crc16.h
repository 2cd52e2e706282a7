/* CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no xorout).
 * Python's binascii.crc_hqx(data, 0xFFFF) computes the same value. */
#ifndef SG_CRC16_H
#define SG_CRC16_H
#include <stddef.h>
#include <stdint.h>

uint16_t sg_crc16(uint16_t crc, const uint8_t *data, size_t len);
#define SG_CRC16_INIT 0xFFFFu

#endif
