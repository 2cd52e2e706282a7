/* The host session: HELLO/DESCRIBE handshake, heartbeats both ways, link timeout, VERDICT,
 * CONFIG, INJECT_AUDIO, STATS.
 *
 * Link states (each change logs `LINK state=up|down reason=<r>`):
 *   boot --HELLO--> up            boot --no frame for LINK_TIMEOUT--> down (no-host)
 *   up --no frame for LINK_TIMEOUT--> down (timeout)
 *   up --transport closed--> down (transport)
 *   down --HELLO--> up (hello)
 *   down --any valid frame, same transport session as the last HELLO--> up (resumed)
 * "Resumed" covers a host that stalled (a long ASR run) without reconnecting; after a
 * transport close only a new HELLO brings the link back, since the peer may be a new host. */
#include <stdio.h>
#include <string.h>
#include "sg_app_impl.h"
#include "sg_msg.h"

static const char *level_name(uint8_t level)
{
    switch (level) {
    case SG_PROTOCOL_LEVEL_SAFE: return "safe";
    case SG_PROTOCOL_LEVEL_SUSPICIOUS: return "suspicious";
    case SG_PROTOCOL_LEVEL_SCAM: return "scam";
    default: return "unknown";
    }
}

uint16_t sg_app_caps(const sg_app_t *app)
{
    uint16_t caps = app->cfg.caps;
    caps &= (uint16_t)~(SG_PROTOCOL_CAPS_KWS | SG_PROTOCOL_CAPS_LOCAL_ALERT | SG_PROTOCOL_CAPS_INJECT);
    caps |= SG_PROTOCOL_CAPS_ADPCM | SG_PROTOCOL_CAPS_VAD;
    /* Keyword spotting exists only with a registered model; never advertise it otherwise. */
    if (sg_kws_active(&app->kws))
        caps |= SG_PROTOCOL_CAPS_KWS | SG_PROTOCOL_CAPS_LOCAL_ALERT;
#ifdef SG_ENABLE_INJECT
    if (app->cfg.caps & SG_PROTOCOL_CAPS_INJECT)
        caps |= SG_PROTOCOL_CAPS_INJECT;
#endif
    return caps;
}

void sg_app_send_describe(sg_app_t *app)
{
    sg_msg_describe_t d;
    memset(&d, 0, sizeof d);
    d.proto_version = SG_PROTOCOL_VERSION;
    d.caps = sg_app_caps(app);
    d.sample_rate = SG_AUDIO_SAMPLE_RATE_HZ;
    d.codec = app->cfg.codec;
    d.segment_ms = app->cfg.segment_ms;
    d.overlap_pct = app->cfg.overlap_pct;
    d.seg_mode = app->cfg.seg_mode;
    strncpy(d.fw_version, app->cfg.fw_version ? app->cfg.fw_version : "", SG_NAME_LEN);
    strncpy(d.board, app->cfg.board ? app->cfg.board : "", SG_NAME_LEN);
    size_t n = sg_pack_describe(&d, app->payload, sizeof app->payload);
    sg_app_send(app, SG_PROTOCOL_MSG_DESCRIBE, app->payload, n);
}

static const char *const stat_names[SG_PROTOCOL_STAT_COUNT] = {
    "frames_ok", "bad_cobs", "bad_crc", "bad_length", "bad_version", "oversize", "noise_bytes",
    "text_lines", "seq_gaps", "seq_dups", "seq_late", "ring_overruns", "clipped_samples", "segments_sent",
};

void sg_app_fill_stats(const sg_app_t *app, uint32_t *counters)
{
    for (int i = 0; i < SG_PROTOCOL_STAT_COUNT; i++)
        counters[i] = app->rx.stats[i];
    counters[SG_PROTOCOL_STAT_RING_OVERRUNS] = app->ring.overruns;
    counters[SG_PROTOCOL_STAT_CLIPPED_SAMPLES] = app->fe.clipped;
    counters[SG_PROTOCOL_STAT_SEGMENTS_SENT] = app->segments_sent;
}

void sg_app_send_stats(sg_app_t *app)
{
    sg_msg_stats_t s;
    char line[SG_APP_LINE_MAX];
    size_t off = 0;
    sg_app_fill_stats(app, s.counters);
    size_t n = sg_pack_stats(&s, app->payload, sizeof app->payload);
    sg_app_send(app, SG_PROTOCOL_MSG_STATS, app->payload, n);
    app->last_stats_ms = sg_app_now(app);
    /* The same counters on the console, plus the board-side losses STATS has no slot for. */
    line[0] = '\0';
    for (int i = 0; i < SG_PROTOCOL_STAT_COUNT && off < sizeof line; i++)
        off += (size_t)snprintf(line + off, sizeof line - off, " %s=%lu", stat_names[i], (unsigned long)s.counters[i]);
    sg_app_log(app, "STATS%s tx_dropped=%lu audio_unsent=%lu", line, (unsigned long)app->tx_dropped_frames,
               (unsigned long)app->audio_unsent_samples);
}

static void link_change(sg_app_t *app, sg_app_link_t to, const char *reason)
{
    uint32_t now = sg_app_now(app);
    if (app->link == to)
        return;
    app->link = to;
    sg_app_log(app, "LINK state=%s reason=%s", to == SG_APP_LINK_UP ? "up" : "down", reason);
    sg_alert_link(&app->alert, to == SG_APP_LINK_UP, now);
    if (to == SG_APP_LINK_UP) {
        app->last_hb_tx_ms = now;
        sg_app_send_stats(app);
    }
}

static void on_hello(sg_app_t *app, const sg_frame_t *f)
{
    sg_msg_hello_t h;
    if (sg_unpack_hello(f->payload, f->len, &h) != 0) {
        app->rx.stats[SG_PROTOCOL_STAT_BAD_LENGTH]++;
        return;
    }
    app->hello_seen = 1;
    /* DESCRIBE first, so the host knows the audio format before any audio arrives. */
    sg_app_send_describe(app);
    if (app->link == SG_APP_LINK_UP)
        sg_app_send_stats(app); /* a restarted host: same answer as a fresh link */
    else
        link_change(app, SG_APP_LINK_UP, "hello");
}

static void on_verdict(sg_app_t *app, const sg_frame_t *f)
{
    sg_msg_verdict_t v;
    sg_msg_alert_ack_t ack;
    if (sg_unpack_verdict(f->payload, f->len, &v) != 0) {
        app->rx.stats[SG_PROTOCOL_STAT_BAD_LENGTH]++;
        return;
    }
    sg_app_log(app, "VERDICT seg=%u level=%s score=%u", (unsigned)v.segment_id, level_name(v.level),
               (unsigned)v.score_milli);
    sg_alert_verdict(&app->alert, v.level, sg_app_now(app));
    ack.segment_id = v.segment_id;
    ack.alert_state = (uint8_t)app->alert.state;
    size_t n = sg_pack_alert_ack(&ack, app->payload, sizeof app->payload);
    sg_app_send(app, SG_PROTOCOL_MSG_ALERT_ACK, app->payload, n);
}

static void on_config(sg_app_t *app, const sg_frame_t *f)
{
    sg_msg_config_t c;
    if (sg_unpack_config(f->payload, f->len, &c) != 0) {
        app->rx.stats[SG_PROTOCOL_STAT_BAD_LENGTH]++;
        return;
    }
    sg_app_config_request(app, c.key, c.value);
}

static void on_inject(sg_app_t *app, const sg_frame_t *f)
{
#ifdef SG_ENABLE_INJECT
    sg_msg_audio_t a;
    if (!(app->cfg.caps & SG_PROTOCOL_CAPS_INJECT))
        return;
    if (sg_unpack_audio(f->payload, f->len, &a) != 0) {
        app->rx.stats[SG_PROTOCOL_STAT_BAD_LENGTH]++;
        return;
    }
    sg_app_inject(app, &a);
#else
    (void)f;
    app->ignored_frames++;
#endif
}

static void on_frame(sg_app_t *app, const sg_frame_t *f)
{
    app->last_rx_ms = sg_app_now(app);
    if (f->type == SG_PROTOCOL_MSG_HELLO) {
        on_hello(app, f);
        return;
    }
    if (app->link != SG_APP_LINK_UP) {
        if (!app->hello_seen) {
            app->ignored_frames++; /* a host that never said HELLO gets nothing */
            return;
        }
        link_change(app, SG_APP_LINK_UP, "resumed");
    }
    switch (f->type) {
    case SG_PROTOCOL_MSG_HEARTBEAT: {
        sg_msg_heartbeat_t hb;
        if (sg_unpack_heartbeat(f->payload, f->len, &hb) != 0)
            app->rx.stats[SG_PROTOCOL_STAT_BAD_LENGTH]++;
        break;
    }
    case SG_PROTOCOL_MSG_VERDICT: on_verdict(app, f); break;
    case SG_PROTOCOL_MSG_CONFIG: on_config(app, f); break;
    case SG_PROTOCOL_MSG_INJECT_AUDIO: on_inject(app, f); break;
    default: app->ignored_frames++; break; /* board-to-host types, or newer than us */
    }
}

void sg_app_on_link_bytes(sg_app_t *app, const uint8_t *data, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        sg_frame_t f;
        const char *text;
        if (sg_rx_push(&app->rx, data[i], &f, &text) == SG_RX_FRAME)
            on_frame(app, &f);
        /* Text from the host is counted by the decoder (text_lines) and otherwise ignored. */
    }
}

void sg_app_on_link_transport(sg_app_t *app, int up)
{
    if (up) {
        /* A new peer may start mid-stream: drop any half-received frame from the last one. */
        sg_rx_t keep = app->rx;
        sg_rx_init(&app->rx);
        memcpy(app->rx.stats, keep.stats, sizeof keep.stats);
        return;
    }
    app->hello_seen = 0;
    if (app->link == SG_APP_LINK_UP)
        link_change(app, SG_APP_LINK_DOWN, "transport");
}

void sg_app_link_tick(sg_app_t *app, uint32_t now)
{
    uint32_t silent = now - app->last_rx_ms;
    if (app->link == SG_APP_LINK_UP && silent >= SG_PROTOCOL_LINK_TIMEOUT_MS)
        link_change(app, SG_APP_LINK_DOWN, "timeout");
    else if (app->link == SG_APP_LINK_BOOT && silent >= SG_PROTOCOL_LINK_TIMEOUT_MS)
        link_change(app, SG_APP_LINK_DOWN, "no-host");
    /* Heartbeats go to a linked host only; with nobody listening they would just be counted
     * as dropped frames. A stalled host that comes back is resumed by its own next frame. */
    if (app->link == SG_APP_LINK_UP && now - app->last_hb_tx_ms >= SG_PROTOCOL_HEARTBEAT_INTERVAL_MS) {
        sg_msg_heartbeat_t hb;
        hb.uptime_ms = now - app->boot_ms;
        hb.alert_state = (uint8_t)app->alert.state;
        size_t n = sg_pack_heartbeat(&hb, app->payload, sizeof app->payload);
        sg_app_send(app, SG_PROTOCOL_MSG_HEARTBEAT, app->payload, n);
        app->last_hb_tx_ms = now;
    }
    if (app->link == SG_APP_LINK_UP && now - app->last_stats_ms >= SG_APP_STATS_INTERVAL_MS)
        sg_app_send_stats(app);
}
