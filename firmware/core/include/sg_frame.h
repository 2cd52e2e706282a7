/* Wire framing, protocol v1 (docs/protocol.md).
 *
 * raw frame : 00 | version | type | seq(le16) | len(le16) | payload[len] | crc16(le16)
 * on wire   : 00 | COBS(raw frame) | 00
 * The leading zero makes every encoded frame start with COBS code 0x01, a byte that never
 * starts a console text line, so text logs and frames can share one UART.
 */
#ifndef SG_FRAME_H
#define SG_FRAME_H
#include <stddef.h>
#include <stdint.h>
#include "sg_cobs.h"
#include "sg_params.h"

#define SG_FRAME_RAW_MAX (SG_PROTOCOL_HEADER_LEN + SG_PROTOCOL_MAX_PAYLOAD + SG_PROTOCOL_CRC_LEN)
#define SG_FRAME_WIRE_MAX (SG_COBS_MAX_ENCODED(SG_FRAME_RAW_MAX) + 2u)
#define SG_RX_TEXT_MAX 256

typedef struct {
    uint8_t type;
    uint16_t seq;
    uint16_t len;
    const uint8_t *payload; /* points into the decoder's buffer; valid until the next push */
} sg_frame_t;

/* Encode one frame into out (capacity cap, SG_FRAME_WIRE_MAX always suffices).
 * Returns the number of wire bytes, or 0 if len is too large or out too small. */
size_t sg_frame_encode(uint8_t type, uint16_t seq, const uint8_t *payload, uint16_t len,
                       uint8_t *out, size_t cap);

typedef enum { SG_RX_NOTHING = 0, SG_RX_FRAME, SG_RX_TEXT } sg_rx_event_t;

typedef enum { SG_RX_IDLE = 0, SG_RX_IN_FRAME, SG_RX_IN_TEXT, SG_RX_DISCARD } sg_rx_mode_t;

/* Streaming decoder. Fixed buffers: it never allocates and never grows. */
typedef struct {
    uint8_t wire[SG_COBS_MAX_ENCODED(SG_FRAME_RAW_MAX)]; /* one encoded frame, no delimiters */
    uint8_t raw[SG_FRAME_RAW_MAX];
    char text[SG_RX_TEXT_MAX + 1];
    size_t n;
    sg_rx_mode_t mode;
    int have_seq;
    uint16_t last_seq;
    uint32_t stats[SG_PROTOCOL_STAT_COUNT]; /* indexed by SG_PROTOCOL_STAT_* */
} sg_rx_t;

void sg_rx_init(sg_rx_t *rx);
/* Feed one byte. On SG_RX_FRAME *frame is filled; on SG_RX_TEXT *text is a NUL-terminated
 * console line without its newline. */
sg_rx_event_t sg_rx_push(sg_rx_t *rx, uint8_t byte, sg_frame_t *frame, const char **text);
/* Total of every counter that means "a frame was lost or damaged". */
uint32_t sg_rx_bad_frames(const sg_rx_t *rx);

/* Little-endian helpers shared by the message codecs. */
static inline void sg_put_le16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static inline void sg_put_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}
static inline uint16_t sg_get_le16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }
static inline uint32_t sg_get_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

#endif
