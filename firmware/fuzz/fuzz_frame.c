/* libFuzzer target: the wire decoder and every message unpacker on arbitrary bytes.
 * Byte 0 picks how the input is used, so one corpus exercises both paths:
 *   even: the stream decoder (any chunking of garbage, text and frames), then every decoded
 *         payload through every unpacker, and a repack round trip where the type allows;
 *   odd : the rest of the input straight into every unpacker as a payload.
 * ASan/UBSan turn any out-of-bounds access or undefined arithmetic into a crash. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "sg_frame.h"
#include "sg_msg.h"

static void unpack_all(const uint8_t *p, size_t len)
{
    union {
        sg_msg_hello_t hello;
        sg_msg_describe_t describe;
        sg_msg_audio_t audio;
        sg_msg_segment_start_t seg_start;
        sg_msg_segment_end_t seg_end;
        sg_msg_keyword_hit_t kw;
        sg_msg_verdict_t verdict;
        sg_msg_alert_ack_t ack;
        sg_msg_heartbeat_t hb;
        sg_msg_log_t log;
        sg_msg_config_t config;
        sg_msg_stats_t stats;
    } m;
    static uint8_t repack[SG_PROTOCOL_MAX_PAYLOAD];
    if (sg_unpack_hello(p, len, &m.hello) == 0)
        sg_pack_hello(&m.hello, repack, sizeof repack);
    if (sg_unpack_describe(p, len, &m.describe) == 0)
        sg_pack_describe(&m.describe, repack, sizeof repack);
    if (sg_unpack_audio(p, len, &m.audio) == 0) {
        /* data points into p: touching every byte proves the bounds are right */
        volatile uint8_t sink = 0;
        for (uint16_t i = 0; i < m.audio.data_len; i++)
            sink ^= m.audio.data[i];
        (void)sink;
        sg_pack_audio(&m.audio, repack, sizeof repack);
    }
    if (sg_unpack_segment_start(p, len, &m.seg_start) == 0)
        sg_pack_segment_start(&m.seg_start, repack, sizeof repack);
    if (sg_unpack_segment_end(p, len, &m.seg_end) == 0)
        sg_pack_segment_end(&m.seg_end, repack, sizeof repack);
    if (sg_unpack_keyword_hit(p, len, &m.kw) == 0)
        sg_pack_keyword_hit(&m.kw, repack, sizeof repack);
    if (sg_unpack_verdict(p, len, &m.verdict) == 0)
        sg_pack_verdict(&m.verdict, repack, sizeof repack);
    if (sg_unpack_alert_ack(p, len, &m.ack) == 0)
        sg_pack_alert_ack(&m.ack, repack, sizeof repack);
    if (sg_unpack_heartbeat(p, len, &m.hb) == 0)
        sg_pack_heartbeat(&m.hb, repack, sizeof repack);
    if (sg_unpack_log(p, len, &m.log) == 0)
        sg_pack_log(&m.log, repack, sizeof repack);
    if (sg_unpack_config(p, len, &m.config) == 0)
        sg_pack_config(&m.config, repack, sizeof repack);
    if (sg_unpack_stats(p, len, &m.stats) == 0)
        sg_pack_stats(&m.stats, repack, sizeof repack);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static sg_rx_t rx;
    if (size == 0)
        return 0;
    if (data[0] & 1) {
        unpack_all(data + 1, size - 1);
        return 0;
    }
    sg_rx_init(&rx);
    for (size_t i = 1; i < size; i++) {
        sg_frame_t fr;
        const char *text = NULL;
        sg_rx_event_t ev = sg_rx_push(&rx, data[i], &fr, &text);
        if (ev == SG_RX_FRAME) {
            unpack_all(fr.payload, fr.len);
            /* Re-encoding a decoded frame must decode to the same frame. */
            static uint8_t wire[SG_FRAME_WIRE_MAX];
            size_t n = sg_frame_encode(fr.type, fr.seq, fr.payload, fr.len, wire, sizeof wire);
            if (n == 0)
                __builtin_trap();
        } else if (ev == SG_RX_TEXT) {
            if (strlen(text) > SG_RX_TEXT_MAX)
                __builtin_trap();
        }
    }
    (void)sg_rx_bad_frames(&rx);
    return 0;
}
