/* Wire protocol against the golden vectors shared with host/tests/test_vectors.py. */
#include <stdlib.h>
#include <string.h>
#include "sg_adpcm.h"
#include "sg_cobs.h"
#include "sg_crc16.h"
#include "sg_frame.h"
#include "sg_msg.h"
#include "sg_test.h"

static uint8_t a[1 << 15], b[1 << 15], c[1 << 15];

static void test_crc(const char *dir)
{
    FILE *f = sg_vec_open(dir, "crc16.hex");
    char *fl[4];
    while (sg_vec_next(f, fl, 4) == 2) {
        long n = sg_hex_decode(fl[0], a, sizeof a);
        unsigned want = (unsigned)strtoul(fl[1], NULL, 16);
        CHECK(sg_crc16(SG_CRC16_INIT, a, (size_t)n) == want, "crc of %s", fl[0]);
    }
    fclose(f);
}

static void test_cobs(const char *dir)
{
    FILE *f = sg_vec_open(dir, "cobs.hex");
    char *fl[4];
    while (sg_vec_next(f, fl, 4) == 2) {
        long n = sg_hex_decode(fl[0], a, sizeof a);
        long m = sg_hex_decode(fl[1], b, sizeof b);
        size_t enc = sg_cobs_encode(a, (size_t)n, c, sizeof c);
        CHECK(enc == (size_t)m && memcmp(c, b, (size_t)m) == 0, "cobs encode of %.40s", fl[0]);
        long dec = sg_cobs_decode(b, (size_t)m, c, sizeof c);
        CHECK(dec == n && memcmp(c, a, (size_t)n) == 0, "cobs decode of %.40s", fl[1]);
    }
    fclose(f);
    CHECK(sg_cobs_decode((const uint8_t *)"\x05\x01", 2, c, sizeof c) == -1, "truncated block rejected");
    CHECK(sg_cobs_decode((const uint8_t *)"\x03\x00\x01", 3, c, sizeof c) == -1, "zero inside block rejected");
}

/* Re-packs the unpacked message and compares bytes, so both directions are covered. */
static size_t repack(uint8_t type, const uint8_t *p, size_t len, uint8_t *out, size_t cap)
{
    switch (type) {
    case SG_PROTOCOL_MSG_HELLO: { sg_msg_hello_t m; return sg_unpack_hello(p, len, &m) ? 0 : sg_pack_hello(&m, out, cap); }
    case SG_PROTOCOL_MSG_DESCRIBE: { sg_msg_describe_t m; return sg_unpack_describe(p, len, &m) ? 0 : sg_pack_describe(&m, out, cap); }
    case SG_PROTOCOL_MSG_AUDIO: { sg_msg_audio_t m; return sg_unpack_audio(p, len, &m) ? 0 : sg_pack_audio(&m, out, cap); }
    case SG_PROTOCOL_MSG_SEGMENT_START: { sg_msg_segment_start_t m; return sg_unpack_segment_start(p, len, &m) ? 0 : sg_pack_segment_start(&m, out, cap); }
    case SG_PROTOCOL_MSG_SEGMENT_END: { sg_msg_segment_end_t m; return sg_unpack_segment_end(p, len, &m) ? 0 : sg_pack_segment_end(&m, out, cap); }
    case SG_PROTOCOL_MSG_KEYWORD_HIT: { sg_msg_keyword_hit_t m; return sg_unpack_keyword_hit(p, len, &m) ? 0 : sg_pack_keyword_hit(&m, out, cap); }
    case SG_PROTOCOL_MSG_VERDICT: { sg_msg_verdict_t m; return sg_unpack_verdict(p, len, &m) ? 0 : sg_pack_verdict(&m, out, cap); }
    case SG_PROTOCOL_MSG_ALERT_ACK: { sg_msg_alert_ack_t m; return sg_unpack_alert_ack(p, len, &m) ? 0 : sg_pack_alert_ack(&m, out, cap); }
    case SG_PROTOCOL_MSG_HEARTBEAT: { sg_msg_heartbeat_t m; return sg_unpack_heartbeat(p, len, &m) ? 0 : sg_pack_heartbeat(&m, out, cap); }
    case SG_PROTOCOL_MSG_LOG: { sg_msg_log_t m; return sg_unpack_log(p, len, &m) ? 0 : sg_pack_log(&m, out, cap); }
    case SG_PROTOCOL_MSG_CONFIG: { sg_msg_config_t m; return sg_unpack_config(p, len, &m) ? 0 : sg_pack_config(&m, out, cap); }
    case SG_PROTOCOL_MSG_STATS: { sg_msg_stats_t m; return sg_unpack_stats(p, len, &m) ? 0 : sg_pack_stats(&m, out, cap); }
    default: return 0;
    }
}

static void test_frames(const char *dir)
{
    FILE *f = sg_vec_open(dir, "frames.hex");
    char *fl[5];
    while (sg_vec_next(f, fl, 5) == 4) {
        uint8_t type = (uint8_t)strtoul(fl[0], NULL, 16);
        uint16_t seq = (uint16_t)strtoul(fl[1], NULL, 16);
        long plen = sg_hex_decode(fl[2], a, sizeof a);
        long wlen = sg_hex_decode(fl[3], b, sizeof b);
        size_t n = sg_frame_encode(type, seq, a, (uint16_t)plen, c, sizeof c);
        CHECK(n == (size_t)wlen && memcmp(b, c, n) == 0, "encode type %02x seq %u", type, seq);

        sg_rx_t rx;
        sg_rx_init(&rx);
        sg_frame_t fr;
        const char *text;
        int got = 0;
        for (long i = 0; i < wlen; i++)
            if (sg_rx_push(&rx, b[i], &fr, &text) == SG_RX_FRAME)
                got++;
        CHECK(got == 1 && fr.type == type && fr.seq == seq && fr.len == plen && memcmp(fr.payload, a, (size_t)plen) == 0,
              "decode type %02x", type);
        size_t rp = repack(type, a, (size_t)plen, c, sizeof c);
        CHECK(rp == (size_t)plen && memcmp(c, a, rp) == 0, "unpack/pack round trip of type %02x", type);
    }
    fclose(f);
    CHECK(sg_frame_encode(1, 0, a, SG_PROTOCOL_MAX_PAYLOAD + 1, c, sizeof c) == 0, "oversized payload refused");
}

static void test_stream(const char *dir)
{
    FILE *f = sg_vec_open(dir, "stream.hex");
    char *fl[3];
    static uint8_t stream[1 << 14];
    long n = 0;
    char seqs[512] = "", texts[512] = "", stats[512] = "";
    while (sg_vec_next(f, fl, 3) >= 1) {
        const char *val = fl[1] ? fl[1] : "";
        if (strcmp(fl[0], "stream") == 0) n = sg_hex_decode(val, stream, sizeof stream);
        else if (strcmp(fl[0], "seqs") == 0) snprintf(seqs, sizeof seqs, "%s", val);
        else if (strcmp(fl[0], "stats") == 0) snprintf(stats, sizeof stats, "%s", val);
        fl[1] = NULL;
    }
    fclose(f);
    (void)texts;
    sg_rx_t rx;
    sg_rx_init(&rx);
    char got_seqs[512] = "";
    sg_frame_t fr;
    const char *text;
    int ntext = 0;
    for (long i = 0; i < n; i++) {
        sg_rx_event_t ev = sg_rx_push(&rx, stream[i], &fr, &text);
        if (ev == SG_RX_FRAME) {
            char one[16];
            snprintf(one, sizeof one, "%s%u", got_seqs[0] ? "," : "", fr.seq);
            strncat(got_seqs, one, sizeof got_seqs - strlen(got_seqs) - 1);
        } else if (ev == SG_RX_TEXT) {
            CHECK(strcmp(text, "I (12) boot: hello") == 0, "text line was '%s'", text);
            ntext++;
        }
    }
    char got_stats[512] = "";
    for (int i = 0; i < SG_PROTOCOL_STAT_COUNT; i++) {
        char one[16];
        snprintf(one, sizeof one, "%s%u", i ? "," : "", (unsigned)rx.stats[i]);
        strncat(got_stats, one, sizeof got_stats - strlen(got_stats) - 1);
    }
    CHECK(strcmp(got_seqs, seqs) == 0, "stream seqs %s, want %s", got_seqs, seqs);
    CHECK(strcmp(got_stats, stats) == 0, "stream stats %s, want %s", got_stats, stats);
    CHECK(ntext == 1, "one text line, got %d", ntext);
}

static void test_adpcm(const char *dir)
{
    FILE *f = sg_vec_open(dir, "adpcm.hex");
    char *fl[7];
    static int16_t pcm[4096], dec[4096];
    while (sg_vec_next(f, fl, 7) == 6) {
        long n = strtol(fl[0], NULL, 10);
        sg_hex_decode(fl[1], (uint8_t *)pcm, sizeof pcm); /* little-endian host assumed by the test */
        long elen = sg_hex_decode(fl[2], b, sizeof b);
        sg_adpcm_state_t st;
        sg_adpcm_init(&st);
        sg_adpcm_encode(&st, pcm, (size_t)n, c);
        CHECK(memcmp(b, c, (size_t)elen) == 0, "adpcm encode of %ld samples", n);
        CHECK((uint16_t)st.predictor == strtoul(fl[4], NULL, 16) && st.step_index == strtoul(fl[5], NULL, 16),
              "final encoder state");
        sg_hex_decode(fl[3], a, sizeof a);
        sg_adpcm_init(&st);
        sg_adpcm_decode(&st, b, (size_t)n, dec);
        CHECK(memcmp(a, dec, (size_t)n * 2) == 0, "adpcm decode of %ld samples", n);
    }
    fclose(f);
}

/* Random bytes must never crash, hang or produce a frame that fails its own checks. */
static void test_random_bytes(void)
{
    sg_rx_t rx;
    sg_rx_init(&rx);
    uint32_t x = 12345;
    sg_frame_t fr;
    const char *text;
    long frames = 0;
    for (long i = 0; i < 2000000; i++) {
        x = x * 1103515245u + 12345u;
        if (sg_rx_push(&rx, (uint8_t)(x >> 16), &fr, &text) == SG_RX_FRAME)
            frames++;
    }
    CHECK(frames == (long)rx.stats[SG_PROTOCOL_STAT_FRAMES_OK], "frame count agrees with stats");
    CHECK(rx.stats[SG_PROTOCOL_STAT_NOISE_BYTES] > 0, "noise counted");
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "firmware/test/vectors";
    test_crc(dir);
    test_cobs(dir);
    test_frames(dir);
    test_stream(dir);
    test_adpcm(dir);
    test_random_bytes();
    return sg_test_summary("test_protocol");
}
