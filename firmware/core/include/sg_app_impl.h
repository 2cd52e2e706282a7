/* The board application's state, visible so that platforms can allocate it statically
 * (`static sg_app_t app;`). Only sg_app*.c touch the fields; platforms use sg_app.h. */
#ifndef SG_APP_IMPL_H
#define SG_APP_IMPL_H
#include <stdint.h>
#include "sg_adpcm.h"
#include "sg_alert.h"
#include "sg_app.h"
#include "sg_frame.h"
#include "sg_frontend.h"
#include "sg_kws.h"
#include "sg_logmel.h"
#include "sg_msg.h"
#include "sg_ringbuf.h"
#include "sg_segmenter.h"
#include "sg_vad.h"

#define SG_APP_LINE_MAX 320
/* Audio history for VAD reach-back (pre-roll + onset) plus one frame of slack. */
#define SG_APP_RING_SAMPLES (SG_SEGMENTER_MAX_BACKFILL_SAMPLES + SG_AUDIO_FRAME_SAMPLES)
/* Injected audio replaces the microphone until this long after the last INJECT_AUDIO frame,
 * so the two never interleave on one timeline. */
#define SG_APP_INJECT_HOLD_MS 1000u

typedef enum { SG_APP_LINK_BOOT = 0, SG_APP_LINK_UP, SG_APP_LINK_DOWN } sg_app_link_t;

/* Per open segment: what the SEGMENT_END needs beyond the segmenter's own record. */
typedef struct {
    uint16_t id;
    uint8_t used;
    uint8_t start_sent; /* SEGMENT_START reached the host: only then send its END */
    uint8_t kws_hits;
    uint8_t kws_best_id;
    uint8_t kws_best_score;
} sg_app_seg_t;

/* CONFIG values accepted but waiting for the next segment boundary (bit per key). */
typedef struct {
    uint32_t mask; /* 1u << SG_PROTOCOL_CONFIG_* */
    int16_t gain_q8;
    uint8_t codec;
    uint8_t local_alert_hits;
    uint32_t local_alert_window_ms;
} sg_app_pending_t;

struct sg_app {
    sg_platform_t plat;
    sg_app_config_t cfg;
    uint32_t boot_ms;

    /* host session (sg_app_link.c) */
    sg_rx_t rx;
    sg_app_link_t link;
    int hello_seen;
    uint32_t last_rx_ms, last_hb_tx_ms, last_stats_ms;
    uint16_t tx_seq;
    uint8_t tx_wire[SG_FRAME_WIRE_MAX];
    uint8_t payload[SG_PROTOCOL_MAX_PAYLOAD];
    uint32_t tx_frames, tx_dropped_frames, tx_dropped_bytes;
    uint32_t ignored_frames;

    /* decisions */
    sg_alert_t alert;
    sg_kws_t kws;
    sg_app_pending_t pending;
    sg_segmenter_config_t seg_cfg_next; /* segmenter config including queued changes */

    /* audio path (sg_app_audio.c) */
    sg_frontend_t fe;
    sg_vad_t vad;
    sg_segmenter_t seg;
    sg_logmel_t mel;
    sg_ring16_t ring;
    int16_t ring_buf[SG_APP_RING_SAMPLES];
    int16_t frame[SG_AUDIO_FRAME_SAMPLES];
    uint16_t frame_fill;
    uint32_t stream_index;     /* absolute index of the next sample */
    sg_adpcm_state_t enc;
    sg_app_seg_t segs[SG_SEGMENTER_MAX_OPEN];
    uint16_t last_seg_id;      /* most recent started segment, for KEYWORD_HIT */
    uint32_t segments_done, segments_sent;
    uint32_t audio_sent_samples, audio_unsent_samples;
    uint32_t kws_hits;
    uint32_t inject_until_ms;
    int injecting;
    uint32_t mic_dropped_samples; /* microphone audio replaced by injected audio */
};

/* sg_app_io.c */
void sg_app_log(sg_app_t *app, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
int sg_app_send(sg_app_t *app, uint8_t type, const uint8_t *payload, size_t len);
uint32_t sg_app_now(const sg_app_t *app);

/* sg_app_link.c */
uint16_t sg_app_caps(const sg_app_t *app);
void sg_app_send_describe(sg_app_t *app);
void sg_app_send_stats(sg_app_t *app);
void sg_app_fill_stats(const sg_app_t *app, uint32_t *counters);
void sg_app_link_tick(sg_app_t *app, uint32_t now);
int sg_app_link_is_up(const sg_app_t *app);

/* sg_app_config.c */
void sg_app_config_request(sg_app_t *app, uint8_t key, int32_t value);
/* Applies queued app-level settings (gain, codec, local alert); called at a boundary. */
void sg_app_config_apply_pending(sg_app_t *app);
/* The segmenter switched to its queued config at this frame. */
void sg_app_config_segmenter_applied(sg_app_t *app);

/* sg_app_audio.c */
void sg_app_audio_init(sg_app_t *app);
/* Runs app->frame (one full 20 ms frame, after the frontend) through the pipeline. */
void sg_app_process_frame(sg_app_t *app);

/* sg_app_input.c */
/* Raw PCM through the frontend into frames. */
void sg_app_feed(sg_app_t *app, const int16_t *pcm, size_t n);
void sg_app_inject(sg_app_t *app, const sg_msg_audio_t *a);

#endif
