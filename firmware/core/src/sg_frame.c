#include "sg_frame.h"
#include <string.h>
#include "sg_crc16.h"

size_t sg_frame_encode(uint8_t type, uint16_t seq, const uint8_t *payload, uint16_t len,
                       uint8_t *out, size_t cap)
{
    uint8_t raw[SG_FRAME_RAW_MAX];
    if (len > SG_PROTOCOL_MAX_PAYLOAD || cap < 2)
        return 0;
    raw[0] = 0;
    raw[1] = SG_PROTOCOL_VERSION;
    raw[2] = type;
    sg_put_le16(raw + 3, seq);
    sg_put_le16(raw + 5, len);
    if (len)
        memcpy(raw + SG_PROTOCOL_HEADER_LEN, payload, len);
    size_t n = SG_PROTOCOL_HEADER_LEN + len;
    sg_put_le16(raw + n, sg_crc16(SG_CRC16_INIT, raw + 1, n - 1));
    n += SG_PROTOCOL_CRC_LEN;
    out[0] = 0;
    size_t enc = sg_cobs_encode(raw, n, out + 1, cap - 2);
    if (enc == 0)
        return 0;
    out[enc + 1] = 0;
    return enc + 2;
}

void sg_rx_init(sg_rx_t *rx)
{
    memset(rx, 0, sizeof *rx);
}

uint32_t sg_rx_bad_frames(const sg_rx_t *rx)
{
    return rx->stats[SG_PROTOCOL_STAT_BAD_COBS] + rx->stats[SG_PROTOCOL_STAT_BAD_CRC] +
           rx->stats[SG_PROTOCOL_STAT_BAD_LENGTH] + rx->stats[SG_PROTOCOL_STAT_BAD_VERSION] +
           rx->stats[SG_PROTOCOL_STAT_OVERSIZE];
}

/* Bytes that may appear in a UTF-8 console line (0xC0, 0xC1 and 0xF5.. never do). */
static int is_text_byte(uint8_t b)
{
    return b == '\t' || b == '\r' || (b >= 0x20 && b < 0x7F) || (b >= 0x80 && b <= 0xF4 && b != 0xC0 && b != 0xC1);
}

static void track_seq(sg_rx_t *rx, uint16_t seq)
{
    if (rx->have_seq) {
        uint16_t expected = (uint16_t)(rx->last_seq + 1u);
        uint16_t ahead = (uint16_t)(seq - expected);
        if (seq == rx->last_seq) {
            rx->stats[SG_PROTOCOL_STAT_SEQ_DUPS]++;
            return;
        }
        if (ahead >= 0x8000u) { /* behind what we already saw: reordered or late */
            rx->stats[SG_PROTOCOL_STAT_SEQ_LATE]++;
            return;
        }
        rx->stats[SG_PROTOCOL_STAT_SEQ_GAPS] += ahead;
    }
    rx->have_seq = 1;
    rx->last_seq = seq;
}

/* Returns 1 and fills *frame when rx->wire holds a valid frame; otherwise counts why not. */
static int finish_frame(sg_rx_t *rx, sg_frame_t *frame)
{
    long n = sg_cobs_decode(rx->wire, rx->n, rx->raw, sizeof rx->raw);
    if (n < 0) {
        rx->stats[SG_PROTOCOL_STAT_BAD_COBS]++;
        return 0;
    }
    size_t len = (size_t)n;
    if (len < SG_PROTOCOL_HEADER_LEN + SG_PROTOCOL_CRC_LEN || rx->raw[0] != 0) {
        rx->stats[SG_PROTOCOL_STAT_BAD_LENGTH]++;
        return 0;
    }
    uint16_t plen = sg_get_le16(rx->raw + 5);
    if (plen > SG_PROTOCOL_MAX_PAYLOAD || len != SG_PROTOCOL_HEADER_LEN + (size_t)plen + SG_PROTOCOL_CRC_LEN) {
        rx->stats[SG_PROTOCOL_STAT_BAD_LENGTH]++;
        return 0;
    }
    uint16_t crc = sg_crc16(SG_CRC16_INIT, rx->raw + 1, len - 1 - SG_PROTOCOL_CRC_LEN);
    if (crc != sg_get_le16(rx->raw + len - SG_PROTOCOL_CRC_LEN)) {
        rx->stats[SG_PROTOCOL_STAT_BAD_CRC]++;
        return 0;
    }
    if (rx->raw[1] != SG_PROTOCOL_VERSION) {
        rx->stats[SG_PROTOCOL_STAT_BAD_VERSION]++;
        return 0;
    }
    frame->type = rx->raw[2];
    frame->seq = sg_get_le16(rx->raw + 3);
    frame->len = plen;
    frame->payload = rx->raw + SG_PROTOCOL_HEADER_LEN;
    rx->stats[SG_PROTOCOL_STAT_FRAMES_OK]++;
    track_seq(rx, frame->seq);
    return 1;
}

static sg_rx_event_t emit_text(sg_rx_t *rx, const char **text)
{
    rx->text[rx->n] = '\0';
    rx->n = 0;
    rx->stats[SG_PROTOCOL_STAT_TEXT_LINES]++;
    *text = rx->text;
    return SG_RX_TEXT;
}

sg_rx_event_t sg_rx_push(sg_rx_t *rx, uint8_t b, sg_frame_t *frame, const char **text)
{
    switch (rx->mode) {
    case SG_RX_IDLE:
        if (b == 0)
            return SG_RX_NOTHING;
        rx->n = 0;
        if (b == 0x01) {
            rx->mode = SG_RX_IN_FRAME;
            rx->wire[rx->n++] = b;
        } else if (b == '\n') {
            return SG_RX_NOTHING;
        } else if (is_text_byte(b)) {
            rx->mode = SG_RX_IN_TEXT;
            rx->text[rx->n++] = (char)b;
        } else {
            rx->mode = SG_RX_DISCARD;
            rx->stats[SG_PROTOCOL_STAT_NOISE_BYTES]++;
        }
        return SG_RX_NOTHING;

    case SG_RX_IN_FRAME:
        if (b != 0) {
            if (rx->n >= sizeof rx->wire) {
                rx->stats[SG_PROTOCOL_STAT_OVERSIZE]++;
                rx->mode = SG_RX_DISCARD;
            } else {
                rx->wire[rx->n++] = b;
            }
            return SG_RX_NOTHING;
        }
        rx->mode = SG_RX_IDLE;
        return finish_frame(rx, frame) ? SG_RX_FRAME : SG_RX_NOTHING;

    case SG_RX_IN_TEXT:
        if (b == '\n' || b == 0) {
            rx->mode = SG_RX_IDLE;
            return emit_text(rx, text);
        }
        if (!is_text_byte(b)) { /* binary inside a "line": it was noise all along */
            rx->stats[SG_PROTOCOL_STAT_NOISE_BYTES] += (uint32_t)rx->n + 1u;
            rx->mode = SG_RX_DISCARD;
            return SG_RX_NOTHING;
        }
        if (b == '\r')
            return SG_RX_NOTHING;
        rx->text[rx->n++] = (char)b;
        if (rx->n >= SG_RX_TEXT_MAX) /* over-long line: hand out what we have */
            return emit_text(rx, text);
        return SG_RX_NOTHING;

    case SG_RX_DISCARD:
    default:
        if (b == 0)
            rx->mode = SG_RX_IDLE;
        else
            rx->stats[SG_PROTOCOL_STAT_NOISE_BYTES]++;
        return SG_RX_NOTHING;
    }
}
