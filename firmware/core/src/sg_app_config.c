/* CONFIG from the host. Every request is validated at once and answered on the console
 * (`CONFIG key=<name> value=<v> status=ok|rejected`); accepted values take effect at the next
 * segment boundary, so one segment never mixes two lengths, gains or codecs.
 * Segmenter settings are queued in the segmenter itself (it knows its boundaries); the
 * others wait in app->pending until the audio path reports a boundary. */
#include "sg_app_impl.h"

static const char *key_name(uint8_t key)
{
    switch (key) {
    case SG_PROTOCOL_CONFIG_SEGMENT_MS: return "segment_ms";
    case SG_PROTOCOL_CONFIG_OVERLAP_PCT: return "overlap_pct";
    case SG_PROTOCOL_CONFIG_SEG_MODE: return "seg_mode";
    case SG_PROTOCOL_CONFIG_GAIN_Q8: return "gain_q8";
    case SG_PROTOCOL_CONFIG_LOCAL_ALERT_HITS: return "local_alert_hits";
    case SG_PROTOCOL_CONFIG_LOCAL_ALERT_WINDOW_MS: return "local_alert_window_ms";
    case SG_PROTOCOL_CONFIG_CODEC: return "codec";
    default: return NULL;
    }
}

static int in_range(int32_t v, int32_t lo, int32_t hi) { return v >= lo && v <= hi; }

/* Queues a segmenter change; 0 if the segmenter accepts the combined config. */
static int request_segmenter(sg_app_t *app, uint8_t key, int32_t v)
{
    sg_segmenter_config_t next = app->seg_cfg_next;
    if (key == SG_PROTOCOL_CONFIG_SEGMENT_MS) {
        if (!in_range(v, SG_SEGMENTER_MIN_SEGMENT_MS, SG_SEGMENTER_MAX_SEGMENT_MS))
            return -1;
        next.segment_ms = (uint16_t)v;
    } else if (key == SG_PROTOCOL_CONFIG_OVERLAP_PCT) {
        if (!in_range(v, 0, SG_SEGMENTER_MAX_OVERLAP_PCT))
            return -1;
        next.overlap_pct = (uint8_t)v;
    } else {
        if (v != SG_SEGMENTER_MODE_FIXED && v != SG_SEGMENTER_MODE_VAD_CUT)
            return -1;
        next.mode = (uint8_t)v;
    }
    if (sg_segmenter_set_config(&app->seg, &next) != 0)
        return -1;
    app->seg_cfg_next = next;
    return 0;
}

static int request_app(sg_app_t *app, uint8_t key, int32_t v)
{
    sg_app_pending_t *p = &app->pending;
    switch (key) {
    case SG_PROTOCOL_CONFIG_GAIN_Q8:
        if (!in_range(v, SG_FRONTEND_MIN_GAIN_Q8, SG_FRONTEND_MAX_GAIN_Q8))
            return -1;
        p->gain_q8 = (int16_t)v;
        break;
    case SG_PROTOCOL_CONFIG_CODEC:
        if (v != SG_PROTOCOL_CODEC_IMA_ADPCM && !(v == SG_PROTOCOL_CODEC_PCM16 && (app->cfg.caps & SG_PROTOCOL_CAPS_PCM16)))
            return -1;
        p->codec = (uint8_t)v;
        break;
    case SG_PROTOCOL_CONFIG_LOCAL_ALERT_HITS:
        if (!in_range(v, 1, SG_KWS_MAX_LOCAL_HITS))
            return -1;
        p->local_alert_hits = (uint8_t)v;
        break;
    case SG_PROTOCOL_CONFIG_LOCAL_ALERT_WINDOW_MS:
        if (!in_range(v, (int32_t)SG_KWS_MIN_LOCAL_WINDOW_MS, (int32_t)SG_KWS_MAX_LOCAL_WINDOW_MS))
            return -1;
        p->local_alert_window_ms = (uint32_t)v;
        break;
    default:
        return -1;
    }
    p->mask |= 1u << key;
    return 0;
}

void sg_app_config_request(sg_app_t *app, uint8_t key, int32_t value)
{
    const char *name = key_name(key);
    int rc;
    if (!name) {
        sg_app_log(app, "CONFIG key=%u value=%ld status=rejected", (unsigned)key, (long)value);
        return;
    }
    if (key == SG_PROTOCOL_CONFIG_SEGMENT_MS || key == SG_PROTOCOL_CONFIG_OVERLAP_PCT ||
        key == SG_PROTOCOL_CONFIG_SEG_MODE)
        rc = request_segmenter(app, key, value);
    else
        rc = request_app(app, key, value);
    sg_app_log(app, "CONFIG key=%s value=%ld status=%s", name, (long)value, rc == 0 ? "ok" : "rejected");
}

void sg_app_config_apply_pending(sg_app_t *app)
{
    sg_app_pending_t *p = &app->pending;
    int describe = 0;
    if (!p->mask)
        return;
    if (p->mask & (1u << SG_PROTOCOL_CONFIG_GAIN_Q8) && sg_frontend_set_gain(&app->fe, p->gain_q8) == 0)
        app->cfg.gain_q8 = p->gain_q8;
    if (p->mask & (1u << SG_PROTOCOL_CONFIG_CODEC)) {
        describe = app->cfg.codec != p->codec;
        app->cfg.codec = p->codec;
    }
    if (p->mask & (1u << SG_PROTOCOL_CONFIG_LOCAL_ALERT_HITS))
        app->cfg.local_alert_hits = p->local_alert_hits;
    if (p->mask & (1u << SG_PROTOCOL_CONFIG_LOCAL_ALERT_WINDOW_MS))
        app->cfg.local_alert_window_ms = p->local_alert_window_ms;
    if (p->mask & ((1u << SG_PROTOCOL_CONFIG_LOCAL_ALERT_HITS) | (1u << SG_PROTOCOL_CONFIG_LOCAL_ALERT_WINDOW_MS)))
        sg_kws_set_local_alert(&app->kws, app->cfg.local_alert_hits, app->cfg.local_alert_window_ms);
    p->mask = 0;
    /* The host decodes AUDIO by the codec byte in each frame, but a fresh DESCRIBE keeps its
     * view of the board in step. */
    if (describe && sg_app_link_is_up(app))
        sg_app_send_describe(app);
}

void sg_app_config_segmenter_applied(sg_app_t *app)
{
    app->cfg.segment_ms = app->seg.cfg.segment_ms;
    app->cfg.overlap_pct = app->seg.cfg.overlap_pct;
    app->cfg.seg_mode = app->seg.cfg.mode;
    if (sg_app_link_is_up(app))
        sg_app_send_describe(app);
}
