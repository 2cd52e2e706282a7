/* The audio path, one 20 ms frame at a time:
 *   frontend -> ring (history for VAD reach-back) -> VAD -> [log-mel -> keyword spotter]
 *   -> segmenter -> SEGMENT_START, AUDIO chunks (backfill, then this frame), SEGMENT_END.
 * Audio is one continuous stream addressed by sample index; segments are ranges of it.
 * While the link is down nothing is sent: the samples are counted in audio_unsent. */
#include <string.h>
#include "sg_app_impl.h"

#define SAMPLES_PER_MS (SG_AUDIO_SAMPLE_RATE_HZ / 1000)

int sg_app_link_is_up(const sg_app_t *app) { return app->link == SG_APP_LINK_UP; }

void sg_app_audio_init(sg_app_t *app)
{
    sg_frontend_config_t fc;
    sg_vad_config_t vc;
    sg_frontend_default_config(&fc);
    fc.gain_q8 = app->cfg.gain_q8;
    if (sg_frontend_init(&app->fe, &fc) != 0) { /* out-of-range gain in the config: unity */
        sg_app_log(app, "CONFIG key=gain_q8 value=%d status=rejected", (int)app->cfg.gain_q8);
        sg_frontend_default_config(&fc);
        sg_frontend_init(&app->fe, &fc);
        app->cfg.gain_q8 = fc.gain_q8;
    }
    sg_vad_default_config(&vc);
    sg_vad_init(&app->vad, &vc);
    app->seg_cfg_next.mode = app->cfg.seg_mode;
    app->seg_cfg_next.segment_ms = app->cfg.segment_ms;
    app->seg_cfg_next.overlap_pct = app->cfg.overlap_pct;
    if (sg_segmenter_init(&app->seg, &app->seg_cfg_next) != 0) {
        /* Never run silently with settings other than the ones asked for. */
        sg_app_log(app, "CONFIG key=segmenter value=%u/%u/%u status=rejected", (unsigned)app->cfg.seg_mode,
                   (unsigned)app->cfg.segment_ms, (unsigned)app->cfg.overlap_pct);
        sg_segmenter_default_config(&app->seg_cfg_next);
        sg_segmenter_init(&app->seg, &app->seg_cfg_next);
        app->cfg.seg_mode = app->seg_cfg_next.mode;
        app->cfg.segment_ms = app->seg_cfg_next.segment_ms;
        app->cfg.overlap_pct = app->seg_cfg_next.overlap_pct;
    }
    sg_logmel_init(&app->mel);
    sg_ring16_init(&app->ring, app->ring_buf, SG_APP_RING_SAMPLES, 0);
    sg_adpcm_init(&app->enc);
    app->frame_fill = 0;
    app->stream_index = 0;
}

static void send_chunk(sg_app_t *app, const int16_t *pcm, size_t n, uint32_t index)
{
    uint8_t data[SG_AUDIO_CHUNK_SAMPLES * 2];
    sg_msg_audio_t m;
    if (!sg_app_link_is_up(app)) {
        app->audio_unsent_samples += (uint32_t)n;
        return;
    }
    m.sample_index = index;
    m.codec = app->cfg.codec;
    m.n_samples = (uint16_t)n;
    m.predictor = app->enc.predictor;
    m.step_index = app->enc.step_index;
    m.data = data;
    if (m.codec == SG_PROTOCOL_CODEC_IMA_ADPCM) {
        sg_adpcm_encode(&app->enc, pcm, n, data);
        m.data_len = (uint16_t)((n + 1) / 2);
    } else {
        for (size_t i = 0; i < n; i++)
            sg_put_le16(data + 2 * i, (uint16_t)pcm[i]);
        m.data_len = (uint16_t)(2 * n);
        m.predictor = 0;
        m.step_index = 0;
    }
    size_t len = sg_pack_audio(&m, app->payload, sizeof app->payload);
    if (sg_app_send(app, SG_PROTOCOL_MSG_AUDIO, app->payload, len) == 0)
        app->audio_sent_samples += (uint32_t)n;
    else
        app->audio_unsent_samples += (uint32_t)n;
}

/* Sends [from, from + n) from the audio ring in chunks. */
static void send_range(sg_app_t *app, uint32_t from, uint32_t n)
{
    int16_t chunk[SG_AUDIO_CHUNK_SAMPLES];
    if (sg_ring16_seek(&app->ring, from) != 0) {
        app->audio_unsent_samples += n; /* older than the history we keep */
        return;
    }
    while (n > 0) {
        uint32_t index;
        size_t want = n < SG_AUDIO_CHUNK_SAMPLES ? n : SG_AUDIO_CHUNK_SAMPLES;
        size_t got = sg_ring16_read(&app->ring, chunk, want, &index);
        if (got == 0)
            break;
        send_chunk(app, chunk, got, index);
        n -= (uint32_t)got;
    }
}

static sg_app_seg_t *seg_slot(sg_app_t *app, uint16_t id)
{
    for (int i = 0; i < SG_SEGMENTER_MAX_OPEN; i++)
        if (app->segs[i].used && app->segs[i].id == id)
            return &app->segs[i];
    return NULL;
}

static void on_start(sg_app_t *app, const sg_seg_event_t *ev)
{
    sg_app_seg_t *s = NULL;
    for (int i = 0; i < SG_SEGMENTER_MAX_OPEN && !s; i++)
        if (!app->segs[i].used)
            s = &app->segs[i];
    if (!s) /* cannot happen while the segmenter keeps its SG_SEGMENTER_MAX_OPEN bound */
        return;
    memset(s, 0, sizeof *s);
    s->used = 1;
    s->id = ev->id;
    app->last_seg_id = ev->id;
    if (sg_app_link_is_up(app)) {
        sg_msg_segment_start_t m = { ev->id, ev->start_ms };
        size_t n = sg_pack_segment_start(&m, app->payload, sizeof app->payload);
        s->start_sent = sg_app_send(app, SG_PROTOCOL_MSG_SEGMENT_START, app->payload, n) == 0;
    }
}

static void on_end(sg_app_t *app, const sg_seg_event_t *ev)
{
    sg_app_seg_t none = { 0, 0, 0, 0, 0, 0 };
    sg_app_seg_t *s = seg_slot(app, ev->id);
    if (!s)
        s = &none;
    app->segments_done++;
    sg_app_log(app, "SEG id=%u start_ms=%lu end_ms=%lu speech_ms=%u kws=%u", (unsigned)ev->id,
               (unsigned long)ev->start_ms, (unsigned long)ev->end_ms, (unsigned)ev->speech_ms, (unsigned)s->kws_hits);
    if (s->start_sent && sg_app_link_is_up(app)) {
        sg_msg_segment_end_t m;
        m.segment_id = ev->id;
        m.t_end_ms = ev->end_ms;
        m.n_samples = ev->end_sample - ev->start_sample;
        m.flags = (uint8_t)(ev->flags | (s->kws_hits ? SG_PROTOCOL_SEGFLAG_KWS_HIT : 0));
        m.kws_hits = s->kws_hits;
        m.kws_best_id = s->kws_best_id;
        m.kws_best_score = s->kws_best_score;
        m.speech_ms = ev->speech_ms;
        size_t n = sg_pack_segment_end(&m, app->payload, sizeof app->payload);
        if (sg_app_send(app, SG_PROTOCOL_MSG_SEGMENT_END, app->payload, n) == 0)
            app->segments_sent++;
    }
    s->used = 0;
}

static void on_kws_hit(sg_app_t *app, const sg_kws_hit_t *hit)
{
    uint32_t now = sg_app_now(app);
    app->kws_hits++;
    sg_app_log(app, "KWS id=%u score=%u t_ms=%lu", (unsigned)hit->id, (unsigned)hit->score, (unsigned long)hit->t_ms);
    sg_segmenter_add_flags(&app->seg, SG_PROTOCOL_SEGFLAG_KWS_HIT);
    for (int i = 0; i < SG_SEGMENTER_MAX_OPEN; i++) {
        sg_app_seg_t *s = &app->segs[i];
        if (!s->used)
            continue;
        if (s->kws_hits < 255)
            s->kws_hits++;
        if (hit->score > s->kws_best_score) {
            s->kws_best_score = hit->score;
            s->kws_best_id = hit->id;
        }
    }
    if (sg_app_link_is_up(app)) {
        sg_msg_keyword_hit_t m = { app->seg.n_open ? app->last_seg_id : 0xFFFFu, hit->t_ms, hit->id, hit->score };
        size_t n = sg_pack_keyword_hit(&m, app->payload, sizeof app->payload);
        sg_app_send(app, SG_PROTOCOL_MSG_KEYWORD_HIT, app->payload, n);
    }
    if (sg_kws_local_alert_due(&app->kws, hit->t_ms, sg_app_link_is_up(app)))
        sg_alert_local_keyword(&app->alert, now);
}

static void run_kws(sg_app_t *app, const int16_t *frame, uint32_t t_ms)
{
    int16_t mel[SG_LOGMEL_N_MELS];
    int8_t feat[SG_LOGMEL_N_MELS];
    sg_kws_hit_t hit;
    sg_logmel_process(&app->mel, frame, mel);
    sg_logmel_to_int8(mel, feat, SG_LOGMEL_N_MELS);
    if (sg_kws_push_features(&app->kws, feat, SG_LOGMEL_N_MELS, t_ms, &hit))
        on_kws_hit(app, &hit);
}

void sg_app_process_frame(sg_app_t *app)
{
    sg_vad_result_t vad;
    sg_seg_output_t out;
    const int16_t *frame = app->frame;
    uint32_t start = app->stream_index;
    sg_ring16_write(&app->ring, frame, SG_AUDIO_FRAME_SAMPLES);
    app->stream_index += SG_AUDIO_FRAME_SAMPLES;
    sg_vad_process(&app->vad, frame, &vad);
    if (vad.speech)
        sg_alert_speech(&app->alert, sg_app_now(app));
    if (sg_kws_active(&app->kws))
        run_kws(app, frame, app->stream_index / SAMPLES_PER_MS);
    sg_segmenter_process(&app->seg, start, &vad, &out);
    if (out.config_applied)
        sg_app_config_segmenter_applied(app);
    int i = 0;
    for (; i < out.n_events && out.events[i].type == SG_SEG_EVENT_START; i++)
        on_start(app, &out.events[i]);
    if (out.backfill_samples)
        send_range(app, out.backfill_start, out.backfill_samples);
    if (out.stream)
        send_range(app, start, SG_AUDIO_FRAME_SAMPLES);
    for (; i < out.n_events; i++)
        on_end(app, &out.events[i]);
    /* Everything not sent by now is skipped on purpose: not an overrun. */
    sg_ring16_seek(&app->ring, app->ring.write_index);
    if (out.n_events > 0 || app->seg.n_open == 0)
        sg_app_config_apply_pending(app);
}

void sg_app_end_of_audio(sg_app_t *app)
{
    sg_seg_output_t out;
    /* A partial last frame (< 20 ms) is dropped: the VAD and segmenter work in whole frames. */
    app->frame_fill = 0;
    sg_segmenter_flush(&app->seg, app->stream_index, &out);
    for (int i = 0; i < out.n_events; i++)
        if (out.events[i].type == SG_SEG_EVENT_END)
            on_end(app, &out.events[i]);
    sg_app_config_apply_pending(app);
}
