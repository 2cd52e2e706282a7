/* sg_app end to end with a fake platform: handshake bytes, verdicts, link loss and return,
 * CONFIG at segment boundaries, malformed input, audio chunks, injected audio, local alert. */
#include <math.h>
#include <string.h>
#include "sg_adpcm.h"
#include "sg_app_impl.h"
#include "sg_frame.h"
#include "sg_msg.h"
#include "sg_test.h"

#define MAX_LINES 4096
#define MAX_FRAMES 4096

typedef struct {
    uint8_t type;
    uint16_t seq;
    uint16_t len;
    uint8_t payload[SG_PROTOCOL_MAX_PAYLOAD];
} cap_frame_t;

static uint32_t now;
static int accept_bytes = 1;
static char lines[MAX_LINES][SG_APP_LINE_MAX];
static int n_lines;
static cap_frame_t frames[MAX_FRAMES];
static int n_frames;
static sg_rx_t out_rx;
static uint16_t host_seq;
static sg_app_t app;

static uint32_t f_now(void *ctx) { (void)ctx; return now; }
static size_t f_write(void *ctx, const uint8_t *d, size_t n)
{
    (void)ctx;
    if (!accept_bytes)
        return 0;
    for (size_t i = 0; i < n; i++) {
        sg_frame_t f;
        const char *t;
        if (sg_rx_push(&out_rx, d[i], &f, &t) == SG_RX_FRAME && n_frames < MAX_FRAMES) {
            cap_frame_t *c = &frames[n_frames++];
            c->type = f.type;
            c->seq = f.seq;
            c->len = f.len;
            memcpy(c->payload, f.payload, f.len);
        }
    }
    return n;
}
static void f_log(void *ctx, const char *line)
{
    (void)ctx;
    if (n_lines < MAX_LINES)
        snprintf(lines[n_lines++], sizeof lines[0], "%s", line);
}
static void f_led(void *ctx, sg_led_pattern_t p) { (void)ctx; (void)p; }
static void f_cue(void *ctx, sg_cue_t c) { (void)ctx; (void)c; }
static const sg_platform_t plat = { NULL, f_now, f_write, f_log, f_led, f_cue };

static void clear(void)
{
    n_lines = 0;
    n_frames = 0;
}

static int has_line(const char *want)
{
    for (int i = 0; i < n_lines; i++)
        if (strcmp(lines[i], want) == 0)
            return 1;
    return 0;
}

static int line_index(const char *prefix)
{
    for (int i = 0; i < n_lines; i++)
        if (strncmp(lines[i], prefix, strlen(prefix)) == 0)
            return i;
    return -1;
}

static int count_frames(uint8_t type)
{
    int n = 0;
    for (int i = 0; i < n_frames; i++)
        n += frames[i].type == type;
    return n;
}

static const cap_frame_t *find_frame(uint8_t type)
{
    for (int i = 0; i < n_frames; i++)
        if (frames[i].type == type)
            return &frames[i];
    return NULL;
}

static void host_send(uint8_t type, const uint8_t *p, size_t len)
{
    uint8_t wire[SG_FRAME_WIRE_MAX];
    size_t n = sg_frame_encode(type, host_seq++, p, (uint16_t)len, wire, sizeof wire);
    sg_app_on_link_bytes(&app, wire, n);
}

static void send_hello(void)
{
    uint8_t p[8] = { SG_PROTOCOL_VERSION, 0, 0, 'h', 'o', 's', 't' };
    host_send(SG_PROTOCOL_MSG_HELLO, p, 7);
}

static void send_verdict(uint16_t seg, uint8_t level, uint16_t score)
{
    uint8_t p[8] = { (uint8_t)seg, (uint8_t)(seg >> 8), level, (uint8_t)score, (uint8_t)(score >> 8), 'x' };
    host_send(SG_PROTOCOL_MSG_VERDICT, p, 6);
}

static void send_config(uint8_t key, int32_t v)
{
    uint8_t p[5] = { key };
    sg_put_le32(p + 1, (uint32_t)v);
    host_send(SG_PROTOCOL_MSG_CONFIG, p, 5);
}

static void send_heartbeat(void)
{
    uint8_t p[5] = { 0 };
    host_send(SG_PROTOCOL_MSG_HEARTBEAT, p, 5);
}

/* Tone bursts: 300 ms of 440 Hz at -10 dBFS, 200 ms silence; clearly speech to an energy VAD. */
static int16_t signal_at(uint32_t i)
{
    if ((i / 1600u) % 5u >= 3u)
        return 0;
    return (int16_t)(10000.0 * sin(2.0 * 3.14159265358979 * 440.0 * (double)i / 16000.0));
}

static void send_heartbeat(void);
static int host_alive;     /* the fake host sends a HEARTBEAT every second */
static uint32_t host_hb_ms;
static void host_tick(void)
{
    if (host_alive && now - host_hb_ms >= SG_PROTOCOL_HEARTBEAT_INTERVAL_MS) {
        host_hb_ms = now;
        send_heartbeat();
    }
}

static uint32_t fed;
/* Feeds ms of audio in 20 ms frames, advancing the clock in step, ticking as a platform does. */
static void feed_ms(uint32_t ms, int silent)
{
    int16_t pcm[SG_AUDIO_FRAME_SAMPLES];
    for (uint32_t t = 0; t < ms; t += SG_AUDIO_FRAME_MS) {
        for (int i = 0; i < SG_AUDIO_FRAME_SAMPLES; i++)
            pcm[i] = silent ? 0 : signal_at(fed + (uint32_t)i);
        fed += SG_AUDIO_FRAME_SAMPLES;
        sg_app_on_pcm(&app, pcm, SG_AUDIO_FRAME_SAMPLES);
        now += SG_AUDIO_FRAME_MS;
        host_tick();
        sg_app_tick(&app);
    }
}

/* Advances the clock without audio, ticking every 10 ms. */
static void idle_ms(uint32_t ms)
{
    for (uint32_t t = 0; t < ms; t += 10) {
        now += 10;
        host_tick();
        sg_app_tick(&app);
    }
}

static void boot(void)
{
    sg_app_config_t cfg;
    sg_app_default_config(&cfg);
    cfg.board = "test-board";
    cfg.caps |= SG_PROTOCOL_CAPS_SERIAL | SG_PROTOCOL_CAPS_PCM16 | SG_PROTOCOL_CAPS_INJECT;
    now = 1000;
    fed = 0;
    accept_bytes = 1;
    host_seq = 0;
    host_alive = 1;
    host_hb_ms = now;
    sg_rx_init(&out_rx);
    clear();
    sg_app_init(&app, &plat, &cfg);
}

static uint16_t expected_caps(void)
{
    uint16_t caps = SG_PROTOCOL_CAPS_ADPCM | SG_PROTOCOL_CAPS_VAD | SG_PROTOCOL_CAPS_SERIAL | SG_PROTOCOL_CAPS_PCM16;
#ifdef SG_ENABLE_INJECT
    caps |= SG_PROTOCOL_CAPS_INJECT;
#endif
    return caps;
}

static void test_boot_and_hello(void)
{
    boot();
    CHECK(n_lines == 2 && strcmp(lines[0], "BOOT fw=0.1.0 board=test-board proto=1") == 0 &&
              strcmp(lines[1], "LED state=idle pattern=solid-green") == 0,
          "boot lines: '%s' '%s'", lines[0], n_lines > 1 ? lines[1] : "");
    clear();
    send_hello();
    CHECK(n_frames >= 2 && frames[0].type == SG_PROTOCOL_MSG_DESCRIBE, "DESCRIBE answers HELLO");
    /* Exact DESCRIBE payload, written out by hand from docs/protocol.md's layout. */
    uint16_t caps = expected_caps();
    uint8_t want[SG_MSG_DESCRIBE_LEN] = {
        1, (uint8_t)caps, (uint8_t)(caps >> 8), 0x80, 0x3E, 0, 0, /* version, caps, 16000 */
        1, 0xB8, 0x0B, 0, 0,                                      /* adpcm, 3000 ms, 0 %, fixed */
        '0', '.', '1', '.', '0', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        't', 'e', 's', 't', '-', 'b', 'o', 'a', 'r', 'd', 0, 0, 0, 0, 0, 0,
    };
    CHECK(frames[0].len == SG_MSG_DESCRIBE_LEN && memcmp(frames[0].payload, want, sizeof want) == 0,
          "DESCRIBE payload bytes (len %u)", frames[0].len);
    CHECK(frames[0].seq == 0, "first frame has seq 0");
    CHECK(frames[1].type == SG_PROTOCOL_MSG_STATS && frames[1].len == SG_MSG_STATS_LEN, "STATS on link up");
    CHECK(sg_get_le32(frames[1].payload + 4 * SG_PROTOCOL_STAT_FRAMES_OK) == 1, "STATS counts the HELLO");
    CHECK(has_line("LINK state=up reason=hello"), "LINK up line");
    CHECK(line_index("STATS frames_ok=1 bad_cobs=0 ") >= 0, "STATS line");
    CHECK(!(caps & SG_PROTOCOL_CAPS_KWS) && !(caps & SG_PROTOCOL_CAPS_LOCAL_ALERT), "no KWS without a model");
}

static void test_verdict(void)
{
    clear();
    send_verdict(7, SG_PROTOCOL_LEVEL_SCAM, 950);
    int i = line_index("VERDICT");
    CHECK(i >= 0 && n_lines == i + 4, "verdict lines (%d)", n_lines);
    if (i >= 0 && n_lines == i + 4) {
        CHECK(strcmp(lines[i], "VERDICT seg=7 level=scam score=950") == 0, "%s", lines[i]);
        CHECK(strcmp(lines[i + 1], "ALERT from=idle to=scam reason=verdict-scam") == 0, "%s", lines[i + 1]);
        CHECK(strcmp(lines[i + 2], "LED state=scam pattern=fast-red") == 0, "%s", lines[i + 2]);
        CHECK(strcmp(lines[i + 3], "SPK cue=scam-alert") == 0, "%s", lines[i + 3]);
    }
    const cap_frame_t *ack = find_frame(SG_PROTOCOL_MSG_ALERT_ACK);
    CHECK(ack && ack->len == 3 && ack->payload[0] == 7 && ack->payload[1] == 0 && ack->payload[2] == SG_ALERT_STATE_SCAM,
          "ALERT_ACK {7, scam}");
    clear();
    send_verdict(8, SG_PROTOCOL_LEVEL_SAFE, 10);
    CHECK(n_lines == 1 && strcmp(lines[0], "VERDICT seg=8 level=safe score=10") == 0, "safe verdict keeps scam");
    ack = find_frame(SG_PROTOCOL_MSG_ALERT_ACK);
    CHECK(ack && ack->payload[2] == SG_ALERT_STATE_SCAM, "ack reports the state still shown");
}

static void test_timeout_and_reconnect(void)
{
    boot();
    send_hello();
    clear();
    host_alive = 0;
    idle_ms(SG_PROTOCOL_LINK_TIMEOUT_MS - 10);
    CHECK(line_index("LINK") < 0, "no link change before the timeout");
    CHECK(count_frames(SG_PROTOCOL_MSG_HEARTBEAT) == 3, "heartbeat every second: %d", count_frames(SG_PROTOCOL_MSG_HEARTBEAT));
    idle_ms(10);
    CHECK(n_lines == 4 && strcmp(lines[0], "LINK state=down reason=timeout") == 0 &&
              strcmp(lines[1], "ALERT from=idle to=link-lost reason=link-down") == 0 &&
              strcmp(lines[2], "LED state=link-lost pattern=blink-blue") == 0 && strcmp(lines[3], "SPK cue=link-lost") == 0,
          "link lost exactly at the timeout (%d lines, first '%s')", n_lines, n_lines ? lines[0] : "");

    /* Audio is not streamed while the link is down; it is counted. */
    clear();
    feed_ms(1000, 0);
    CHECK(count_frames(SG_PROTOCOL_MSG_AUDIO) == 0, "no AUDIO while down");
    CHECK(app.audio_unsent_samples == 16000, "1 s unsent counted: %lu", (unsigned long)app.audio_unsent_samples);

    clear();
    send_hello();
    host_alive = 1;
    host_hb_ms = now;
    CHECK(n_frames >= 1 && frames[0].type == SG_PROTOCOL_MSG_DESCRIBE, "DESCRIBE again");
    CHECK(has_line("LINK state=up reason=hello"), "link up again");
    CHECK(has_line("ALERT from=link-lost to=listening reason=link-up"), "alert back to listening (speech heard)");
    CHECK(has_line("LED state=listening pattern=slow-green"), "green again");
    clear();
    feed_ms(100, 0);
    CHECK(count_frames(SG_PROTOCOL_MSG_AUDIO) == 5, "AUDIO flows after reconnect: %d", count_frames(SG_PROTOCOL_MSG_AUDIO));

    /* A stalled host that resumes without HELLO gets the link back on its next frame... */
    host_alive = 0;
    idle_ms(SG_PROTOCOL_LINK_TIMEOUT_MS);
    clear();
    send_heartbeat();
    CHECK(has_line("LINK state=up reason=resumed"), "resumed by a heartbeat");
    /* ...but after the transport closed, only a new HELLO does. */
    sg_app_on_link_transport(&app, 0);
    CHECK(has_line("LINK state=down reason=transport"), "transport down");
    sg_app_on_link_transport(&app, 1);
    clear();
    send_heartbeat();
    send_verdict(1, SG_PROTOCOL_LEVEL_SCAM, 999);
    CHECK(n_lines == 0 && n_frames == 0, "frames before HELLO are ignored after a reconnect");
    send_hello();
    CHECK(has_line("LINK state=up reason=hello"), "HELLO after transport reconnect");
}

static void test_boot_without_host(void)
{
    boot();
    host_alive = 0;
    idle_ms(SG_PROTOCOL_LINK_TIMEOUT_MS);
    CHECK(has_line("LINK state=down reason=no-host"), "no host at boot");
    CHECK(has_line("LED state=link-lost pattern=blink-blue"), "blue without host");
    CHECK(count_frames(SG_PROTOCOL_MSG_HEARTBEAT) == 0, "no heartbeats into an unlinked port");
}

/* Segments as logged: fills ids/starts/ends from SEG lines. */
static int seg_lines(unsigned *start, unsigned *end, int max)
{
    int n = 0;
    for (int i = 0; i < n_lines && n < max; i++) {
        unsigned id, s, e, sp, k;
        if (sscanf(lines[i], "SEG id=%u start_ms=%u end_ms=%u speech_ms=%u kws=%u", &id, &s, &e, &sp, &k) == 5) {
            start[n] = s;
            end[n] = e;
            n++;
        }
    }
    return n;
}

static void test_config_at_boundary(void)
{
    unsigned s[8], e[8];
    boot();
    send_hello();
    feed_ms(1000, 0);
    clear();
    send_config(SG_PROTOCOL_CONFIG_SEGMENT_MS, 4000);
    CHECK(n_lines == 1 && strcmp(lines[0], "CONFIG key=segment_ms value=4000 status=ok") == 0, "config ok line");
    send_config(SG_PROTOCOL_CONFIG_SEGMENT_MS, 500);
    send_config(SG_PROTOCOL_CONFIG_OVERLAP_PCT, 51);
    send_config(SG_PROTOCOL_CONFIG_SEG_MODE, 2);
    send_config(SG_PROTOCOL_CONFIG_GAIN_Q8, 5000);
    send_config(SG_PROTOCOL_CONFIG_LOCAL_ALERT_HITS, 0);
    send_config(99, 1);
    CHECK(has_line("CONFIG key=segment_ms value=500 status=rejected"), "short segment rejected");
    CHECK(has_line("CONFIG key=overlap_pct value=51 status=rejected"), "overlap rejected");
    CHECK(has_line("CONFIG key=seg_mode value=2 status=rejected"), "mode rejected");
    CHECK(has_line("CONFIG key=gain_q8 value=5000 status=rejected"), "gain rejected");
    CHECK(has_line("CONFIG key=local_alert_hits value=0 status=rejected"), "hits rejected");
    CHECK(has_line("CONFIG key=99 value=1 status=rejected"), "unknown key rejected");
    send_config(SG_PROTOCOL_CONFIG_GAIN_Q8, 512);
    CHECK(app.cfg.gain_q8 == 256, "gain waits for the boundary");
    clear();
    feed_ms(10000, 0);
    int n = seg_lines(s, e, 8);
    CHECK(n == 3, "3 segments in 11 s, got %d", n);
    if (n == 3) {
        CHECK(s[0] == 0 && e[0] == 3000, "running segment keeps 3000 ms: %u..%u", s[0], e[0]);
        CHECK(s[1] == 3000 && e[1] == 7000, "next one is 4000 ms: %u..%u", s[1], e[1]);
        CHECK(s[2] == 7000 && e[2] == 11000, "and the one after: %u..%u", s[2], e[2]);
    }
    CHECK(app.cfg.gain_q8 == 512 && app.cfg.segment_ms == 4000, "applied");
    const cap_frame_t *d = find_frame(SG_PROTOCOL_MSG_DESCRIBE);
    CHECK(d && sg_get_le16(d->payload + 8) == 4000, "fresh DESCRIBE with the new segment length");
}

static void test_malformed_input(void)
{
    boot();
    send_hello();
    clear();
    static const uint8_t junk[] = { 0xFF, 0xFE, 0x00, 'h', 'i', '\n', 0x01, 0x02, 0x00 };
    sg_app_on_link_bytes(&app, junk, sizeof junk);
    uint8_t wire[SG_FRAME_WIRE_MAX];
    uint8_t p[6] = { 1, 0, 2, 0x10, 0, 'x' };
    size_t n = sg_frame_encode(SG_PROTOCOL_MSG_VERDICT, host_seq++, p, 6, wire, sizeof wire);
    wire[n - 3] ^= 0x40; /* corrupt the CRC */
    sg_app_on_link_bytes(&app, wire, n);
    host_send(SG_PROTOCOL_MSG_VERDICT, p, 2);      /* too short for a VERDICT */
    uint8_t badlevel[5] = { 1, 0, 9, 0, 0 };
    host_send(SG_PROTOCOL_MSG_VERDICT, badlevel, 5); /* level 9 */
    host_send(SG_PROTOCOL_MSG_CONFIG, p, 3);        /* short CONFIG */
    CHECK(n_lines == 0, "nothing acted on: %s", n_lines ? lines[0] : "");
    send_verdict(2, SG_PROTOCOL_LEVEL_SUSPICIOUS, 600);
    CHECK(has_line("VERDICT seg=2 level=suspicious score=600"), "app survives and still works");
    clear();
    idle_ms(SG_APP_STATS_INTERVAL_MS);
    const cap_frame_t *st = find_frame(SG_PROTOCOL_MSG_STATS);
    CHECK(st != NULL, "periodic STATS");
    if (st) {
        CHECK(sg_get_le32(st->payload + 4 * SG_PROTOCOL_STAT_BAD_CRC) == 1, "bad_crc=1");
        CHECK(sg_get_le32(st->payload + 4 * SG_PROTOCOL_STAT_BAD_LENGTH) == 3, "bad_length=3 (3 bad payloads), got %lu",
              (unsigned long)sg_get_le32(st->payload + 4 * SG_PROTOCOL_STAT_BAD_LENGTH));
        CHECK(sg_get_le32(st->payload + 4 * SG_PROTOCOL_STAT_BAD_COBS) == 1, "bad_cobs=1 (01 02 00), got %lu",
              (unsigned long)sg_get_le32(st->payload + 4 * SG_PROTOCOL_STAT_BAD_COBS));
        CHECK(sg_get_le32(st->payload + 4 * SG_PROTOCOL_STAT_TEXT_LINES) == 1, "text line counted");
        CHECK(sg_get_le32(st->payload + 4 * SG_PROTOCOL_STAT_NOISE_BYTES) == 2, "noise bytes counted");
    }
}

/* Decodes every AUDIO chunk with its own header state and checks the stream is gap-free. */
static void test_audio_chunks(void)
{
    boot();
    send_hello();
    clear();
    feed_ms(1000, 0);
    int n = 0;
    uint32_t next = 0;
    sg_adpcm_state_t carried = { 0, 0 };
    int16_t pcm[SG_AUDIO_CHUNK_SAMPLES];
    for (int i = 0; i < n_frames; i++) {
        sg_msg_audio_t a;
        if (frames[i].type != SG_PROTOCOL_MSG_AUDIO)
            continue;
        CHECK(sg_unpack_audio(frames[i].payload, frames[i].len, &a) == 0, "AUDIO unpacks");
        CHECK(a.codec == SG_PROTOCOL_CODEC_IMA_ADPCM && a.n_samples == SG_AUDIO_CHUNK_SAMPLES, "adpcm chunk of 320");
        CHECK(a.sample_index == next, "chunk %d at %lu, expected %lu", n, (unsigned long)a.sample_index, (unsigned long)next);
        CHECK(a.predictor == carried.predictor && a.step_index == carried.step_index, "state carried into chunk %d", n);
        sg_adpcm_state_t st = { a.predictor, a.step_index };
        sg_adpcm_decode(&st, a.data, a.n_samples, pcm);
        carried = st;
        next += a.n_samples;
        n++;
    }
    CHECK(n == 50, "50 chunks per second, got %d", n);
    CHECK(count_frames(SG_PROTOCOL_MSG_SEGMENT_START) == 1, "one SEGMENT_START");

    /* PCM codec via CONFIG, applied at the next boundary (5 s). */
    send_config(SG_PROTOCOL_CONFIG_CODEC, SG_PROTOCOL_CODEC_PCM16);
    feed_ms(4000, 0);
    clear();
    feed_ms(20, 0);
    const cap_frame_t *f = find_frame(SG_PROTOCOL_MSG_AUDIO);
    sg_msg_audio_t a;
    CHECK(f && sg_unpack_audio(f->payload, f->len, &a) == 0 && a.codec == SG_PROTOCOL_CODEC_PCM16, "PCM after boundary");

    /* A congested link: frames refused are counted, sequence numbers still advance. */
    accept_bytes = 0;
    uint32_t before = app.tx_dropped_frames;
    feed_ms(100, 0);
    CHECK(app.tx_dropped_frames - before == 5, "5 refused chunks counted");
    accept_bytes = 1;
    uint16_t last = frames[n_frames - 1].seq;
    clear();
    feed_ms(20, 0);
    CHECK(n_frames >= 1 && frames[0].seq == (uint16_t)(last + 6), "seq gap of 5 visible to the host");
}

static void test_inject(void)
{
    boot();
    send_hello();
    clear();
    int16_t pcm[SG_AUDIO_FRAME_SAMPLES];
    uint8_t payload[SG_MSG_AUDIO_HDR_LEN + 2 * SG_AUDIO_FRAME_SAMPLES];
    /* 6 s of tone bursts, PCM16, one INJECT_AUDIO per 20 ms. */
    for (uint32_t k = 0; k < 300; k++) {
        sg_msg_audio_t m;
        uint8_t data[2 * SG_AUDIO_FRAME_SAMPLES];
        for (int i = 0; i < SG_AUDIO_FRAME_SAMPLES; i++) {
            pcm[i] = signal_at(k * SG_AUDIO_FRAME_SAMPLES + (uint32_t)i);
            sg_put_le16(data + 2 * i, (uint16_t)pcm[i]);
        }
        m.sample_index = k * SG_AUDIO_FRAME_SAMPLES;
        m.codec = SG_PROTOCOL_CODEC_PCM16;
        m.n_samples = SG_AUDIO_FRAME_SAMPLES;
        m.predictor = 0;
        m.step_index = 0;
        m.data = data;
        m.data_len = sizeof data;
        size_t n = sg_pack_audio(&m, payload, sizeof payload);
        host_send(SG_PROTOCOL_MSG_INJECT_AUDIO, payload, n);
        /* The microphone keeps delivering; injected audio replaces it. */
        memset(pcm, 0, sizeof pcm);
        sg_app_on_pcm(&app, pcm, SG_AUDIO_FRAME_SAMPLES);
        now += SG_AUDIO_FRAME_MS;
        sg_app_tick(&app);
    }
#ifdef SG_ENABLE_INJECT
    /* Bursts 300 ms on / 200 ms off are one utterance with a 300 ms hangover; only the
     * first 20 ms (onset confirmation) is not speech. */
    CHECK(has_line("SEG id=0 start_ms=0 end_ms=3000 speech_ms=2980 kws=0"), "injected audio made a segment");
    CHECK(has_line("ALERT from=idle to=listening reason=speech"), "VAD heard the injected tones");
    CHECK(app.stream_index == 300u * SG_AUDIO_FRAME_SAMPLES, "only injected samples on the timeline: %lu",
          (unsigned long)app.stream_index);
    CHECK(app.mic_dropped_samples == 300u * SG_AUDIO_FRAME_SAMPLES, "mic muted while injecting");
#else
    CHECK(has_line("SEG id=0 start_ms=0 end_ms=5000 speech_ms=0 kws=0") && !has_line("ALERT from=idle to=listening reason=speech") &&
              app.stream_index == 300u * SG_AUDIO_FRAME_SAMPLES,
          "without SG_ENABLE_INJECT the frames are ignored and the (silent) mic is used");
    CHECK(app.ignored_frames == 300, "ignored INJECT_AUDIO counted");
#endif
}

/* A stand-in model: posterior 255 for keyword 0 on every inference. */
static int always_infer(void *model, const int8_t *features, uint8_t *posteriors)
{
    (void)model;
    (void)features;
    posteriors[0] = 255;
    return 0;
}

static void test_kws_local_alert(void)
{
    static const sg_kws_model_t model = { NULL, always_infer, 1, SG_LOGMEL_N_MELS * 3, 3, 200, 2000 };
    boot();
    CHECK(sg_app_set_kws_model(&app, &model) == 0, "model registered");
    send_hello();
    const cap_frame_t *d = find_frame(SG_PROTOCOL_MSG_DESCRIBE);
    uint16_t caps = d ? sg_get_le16(d->payload + 1) : 0;
    CHECK((caps & SG_PROTOCOL_CAPS_KWS) && (caps & SG_PROTOCOL_CAPS_LOCAL_ALERT), "KWS advertised with a model");
    clear();
    feed_ms(200, 0);
    /* 3 inferences x 60 ms = first hit at 180 ms audio time, sent while linked. */
    CHECK(has_line("KWS id=0 score=255 t_ms=180"), "first hit logged");
    CHECK(count_frames(SG_PROTOCOL_MSG_KEYWORD_HIT) == 1, "KEYWORD_HIT sent");
    host_alive = 0;
    idle_ms(SG_PROTOCOL_LINK_TIMEOUT_MS);
    clear();
    feed_ms(5000, 0);
    /* Hits at 180 (linked), then every 2 s cooldown + 60 ms: the third in 30 s raises it. */
    CHECK(has_line("ALERT from=link-lost to=local-alert reason=local-keyword"), "local alert while down");
    CHECK(has_line("LED state=local-alert pattern=fast-red-blue"), "red-blue");
    CHECK(count_frames(SG_PROTOCOL_MSG_KEYWORD_HIT) == 0, "no frames while down");
}

static void test_bad_boot_config(void)
{
    sg_app_config_t cfg;
    sg_app_default_config(&cfg);
    cfg.codec = SG_PROTOCOL_CODEC_PCM16; /* no PCM16 capability: BLE-only board */
    cfg.segment_ms = 1010;               /* not whole frames */
    cfg.local_alert_hits = 0;
    now = 0;
    clear();
    sg_app_init(&app, &plat, &cfg);
    CHECK(has_line("CONFIG key=codec value=0 status=rejected"), "codec refused at boot");
    CHECK(has_line("CONFIG key=segmenter value=0/1010/0 status=rejected"), "segmenter refused at boot");
    CHECK(has_line("CONFIG key=local_alert value=0/30000 status=rejected"), "local alert refused at boot");
    CHECK(app.cfg.codec == SG_PROTOCOL_CODEC_IMA_ADPCM && app.cfg.segment_ms == SG_SEGMENTER_DEFAULT_SEGMENT_MS &&
              app.cfg.local_alert_hits == SG_ALERT_LOCAL_ALERT_HITS,
          "defaults used instead, and said so");
}

int main(void)
{
    test_bad_boot_config();
    test_boot_and_hello();
    test_verdict();
    test_timeout_and_reconnect();
    test_boot_without_host();
    test_config_at_boundary();
    test_malformed_input();
    test_audio_chunks();
    test_inject();
    test_kws_local_alert();
    return sg_test_summary("test_app");
}
