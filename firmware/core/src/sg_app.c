/* Board application entry points (sg_app.h). The work is split by concern:
 * sg_app_audio.c (audio path), sg_app_link.c (host session), sg_app_config.c (CONFIG),
 * sg_app_io.c (console lines and frames), sg_alert.c (LED/speaker state machine). */
#include <string.h>
#include "sg_app_impl.h"

#ifndef SG_FW_VERSION
#define SG_FW_VERSION "0.1.0"
#endif

void sg_app_default_config(sg_app_config_t *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->fw_version = SG_FW_VERSION;
    cfg->board = "scamguard";
    cfg->caps = SG_PROTOCOL_CAPS_ADPCM | SG_PROTOCOL_CAPS_VAD;
    cfg->codec = SG_PROTOCOL_CODEC_IMA_ADPCM;
    cfg->segment_ms = SG_SEGMENTER_DEFAULT_SEGMENT_MS;
    cfg->overlap_pct = SG_SEGMENTER_DEFAULT_OVERLAP_PCT;
    cfg->seg_mode = SG_SEGMENTER_MODE_FIXED;
    cfg->gain_q8 = SG_FRONTEND_DEFAULT_GAIN_Q8;
    cfg->local_alert_hits = SG_ALERT_LOCAL_ALERT_HITS;
    cfg->local_alert_window_ms = SG_ALERT_LOCAL_ALERT_WINDOW_MS;
}

void sg_app_init(sg_app_t *app, const sg_platform_t *plat, const sg_app_config_t *cfg)
{
    memset(app, 0, sizeof *app);
    app->plat = *plat;
    if (cfg)
        app->cfg = *cfg;
    else
        sg_app_default_config(&app->cfg);
    /* PCM16 on the wire only where the transport can carry it (serial). */
    int bad_codec = app->cfg.codec != SG_PROTOCOL_CODEC_IMA_ADPCM &&
                    !(app->cfg.codec == SG_PROTOCOL_CODEC_PCM16 && (app->cfg.caps & SG_PROTOCOL_CAPS_PCM16));
    uint32_t now = sg_app_now(app);
    app->boot_ms = now;
    app->last_rx_ms = now;
    app->last_hb_tx_ms = now;
    app->last_stats_ms = now;
    app->link = SG_APP_LINK_BOOT;
    sg_rx_init(&app->rx);
    sg_kws_init(&app->kws);
    sg_app_log(app, "BOOT fw=%s board=%s proto=%d", app->cfg.fw_version ? app->cfg.fw_version : "",
               app->cfg.board ? app->cfg.board : "", SG_PROTOCOL_VERSION);
    if (bad_codec) {
        sg_app_log(app, "CONFIG key=codec value=%u status=rejected", (unsigned)app->cfg.codec);
        app->cfg.codec = SG_PROTOCOL_CODEC_IMA_ADPCM;
    }
    if (sg_kws_set_local_alert(&app->kws, app->cfg.local_alert_hits, app->cfg.local_alert_window_ms) != 0) {
        sg_app_log(app, "CONFIG key=local_alert value=%u/%lu status=rejected", (unsigned)app->cfg.local_alert_hits,
                   (unsigned long)app->cfg.local_alert_window_ms);
        app->cfg.local_alert_hits = app->kws.local_hits;
        app->cfg.local_alert_window_ms = app->kws.local_window_ms;
    }
    sg_app_audio_init(app);
    sg_alert_init(&app->alert, &app->plat, NULL, now);
}

void sg_app_tick(sg_app_t *app)
{
    uint32_t now = sg_app_now(app);
    sg_app_link_tick(app, now);
    sg_alert_tick(&app->alert, now);
}

int sg_app_set_kws_model(sg_app_t *app, const sg_kws_model_t *model)
{
    if (sg_kws_set_model(&app->kws, model) != 0)
        return -1;
    if (sg_app_link_is_up(app)) /* capabilities changed */
        sg_app_send_describe(app);
    return 0;
}

void sg_app_get_summary(const sg_app_t *app, sg_app_summary_t *s)
{
    s->alerts = app->alert.alerts;
    s->state = (uint8_t)app->alert.state;
    s->worst_state = (uint8_t)app->alert.worst;
    s->segments = app->segments_done;
    s->segments_sent = app->segments_sent;
    s->link_up = sg_app_link_is_up(app);
}

const char *sg_app_state_name(uint8_t alert_state)
{
    return sg_alert_state_name((sg_alert_state_t)alert_state);
}
