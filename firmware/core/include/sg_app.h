/* The board application: everything between the microphone and the host link, portable.
 *
 *   I2S slots -> frontend (DC, gain, clip count) -> VAD -> segmenter -> IMA-ADPCM -> frames
 *                                         \-> log-mel -> keyword spotter -> local alert
 *   host frames (HELLO, VERDICT, CONFIG, HEARTBEAT, INJECT_AUDIO) -> alert state machine
 *
 * Time advances only through the audio fed in and sg_app_tick(); no threads inside.
 * Structured console lines (via platform log_line) that tests and HIL rely on:
 *   BOOT fw=<ver> board=<name> proto=<n>
 *   LINK state=up|down reason=<...>
 *   SEG id=<n> start_ms=<t> end_ms=<t> speech_ms=<n> kws=<hits>
 *   ALERT from=<state> to=<state> reason=<...>
 *   LED state=<state> pattern=<pattern>
 *   SPK cue=<cue>
 *   VERDICT seg=<n> level=<safe|suspicious|scam> score=<0..1000>
 *   CONFIG key=<name> value=<v> status=ok|rejected
 *   STATS <name>=<n> ...
 *   KWS id=<n> score=<0..255> t_ms=<t>
 * (STATS lists the SG_PROTOCOL_STAT_* counters in order, lower-case, then tx_dropped and
 * audio_unsent. ALERT/LED/SPK come from sg_alert.h.)
 */
#ifndef SG_APP_H
#define SG_APP_H
#include <stddef.h>
#include <stdint.h>
#include "sg_kws.h"
#include "sg_platform.h"

typedef struct {
    const char *fw_version; /* <= 16 chars */
    const char *board;      /* <= 16 chars */
    uint16_t caps;          /* SG_PROTOCOL_CAPS_* */
    uint8_t codec;          /* SG_PROTOCOL_CODEC_* for AUDIO frames */
    uint16_t segment_ms;
    uint8_t overlap_pct;
    uint8_t seg_mode;       /* SG_PROTOCOL_SEGMENTER_MODE_* / SG_SEGMENTER_MODE_* */
    int16_t gain_q8;        /* 256 = unity */
    uint8_t local_alert_hits;
    uint32_t local_alert_window_ms;
} sg_app_config_t;

void sg_app_default_config(sg_app_config_t *cfg);

typedef struct sg_app sg_app_t; /* defined in sg_app_impl.h; allocate it statically */

void sg_app_init(sg_app_t *app, const sg_platform_t *plat, const sg_app_config_t *cfg);
/* Raw INMP441 I2S slots: 32-bit words, 24-bit sample left-justified. n = number of samples. */
void sg_app_on_i2s(sg_app_t *app, const int32_t *slots, size_t n);
/* 16 kHz int16 PCM that bypasses the I2S conversion (simulator, injected test audio). */
void sg_app_on_pcm(sg_app_t *app, const int16_t *pcm, size_t n);
/* Bytes received from the host link, any chunking. */
void sg_app_on_link_bytes(sg_app_t *app, const uint8_t *data, size_t len);
/* The transport itself went up or down (BLE connect/disconnect, USB DTR). */
void sg_app_on_link_transport(sg_app_t *app, int up);
/* Call at least every 20 ms: heartbeats, link timeouts, alert hold timers. */
void sg_app_tick(sg_app_t *app);

/* End of the audio input (simulator: end of the WAV file): closes the open segments now
 * instead of leaving them waiting for audio that will not come. */
void sg_app_end_of_audio(sg_app_t *app);
/* Registers the keyword-spotting model (NULL removes it). Only with a model does the board
 * advertise SG_PROTOCOL_CAPS_KWS and LOCAL_ALERT. Returns -1 if the model is unusable. */
int sg_app_set_kws_model(sg_app_t *app, const sg_kws_model_t *model);

typedef struct {
    uint32_t alerts;      /* entries into scam or local-alert */
    uint8_t state;        /* SG_ALERT_STATE_* now */
    uint8_t worst_state;  /* most severe SG_ALERT_STATE_* so far */
    uint32_t segments;    /* segments completed */
    uint32_t segments_sent;
    int link_up;
} sg_app_summary_t;
void sg_app_get_summary(const sg_app_t *app, sg_app_summary_t *s);
/* "idle", "listening", "suspicious", "scam", "link-lost", "local-alert". */
const char *sg_app_state_name(uint8_t alert_state);

#endif
