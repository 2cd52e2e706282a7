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
 */
#ifndef SG_APP_H
#define SG_APP_H
#include <stddef.h>
#include <stdint.h>
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

#endif
