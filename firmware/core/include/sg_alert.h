/* Alert state machine: what the LED and speaker tell the person next to the phone.
 *
 *   idle --speech--> listening --quiet(SG_APP_LISTENING_IDLE_MS)--> idle
 *   any  --VERDICT suspicious--> suspicious (hold SG_ALERT_SUSPICIOUS_HOLD_MS; never
 *                                downgrades scam or local-alert)
 *   any  --VERDICT scam--> scam (hold SG_ALERT_SCAM_HOLD_MS, re-armed by each scam verdict)
 *   link down: idle/listening/suspicious --> link-lost at once; scam and local-alert keep
 *              showing until their hold expires (a dropped link must not hide a warning)
 *   link-lost --link up--> listening (speech heard recently) or idle
 *   link down + local keyword alert --> local-alert (hold SG_APP_LOCAL_ALERT_HOLD_MS)
 *   hold expired --> link-lost if the link is down, else listening/idle as above
 *
 * Every transition logs `ALERT from=<a> to=<b> reason=<r>`, then `LED state=<s>
 * pattern=<p>` and, for states that have a cue, `SPK cue=<c>`. */
#ifndef SG_ALERT_H
#define SG_ALERT_H
#include <stdint.h>
#include "sg_params.h"
#include "sg_platform.h"

typedef enum {
    SG_ALERT_IDLE = SG_ALERT_STATE_IDLE,
    SG_ALERT_LISTENING = SG_ALERT_STATE_LISTENING,
    SG_ALERT_SUSPICIOUS = SG_ALERT_STATE_SUSPICIOUS,
    SG_ALERT_SCAM = SG_ALERT_STATE_SCAM,
    SG_ALERT_LINK_LOST = SG_ALERT_STATE_LINK_LOST,
    SG_ALERT_LOCAL_ALERT = SG_ALERT_STATE_LOCAL_ALERT
} sg_alert_state_t;

typedef struct {
    uint32_t suspicious_hold_ms;
    uint32_t scam_hold_ms;
    uint32_t local_alert_hold_ms;
    uint32_t listening_idle_ms;
} sg_alert_timing_t;

typedef struct {
    const sg_platform_t *plat;
    sg_alert_timing_t timing;
    sg_alert_state_t state;
    sg_alert_state_t worst;      /* most severe state reached, see sg_alert_severity */
    int link_up;
    int heard_speech;            /* last_speech_ms is valid */
    uint32_t last_speech_ms;
    uint32_t hold_until_ms;      /* suspicious, scam, local-alert */
    uint32_t alerts;             /* entries into scam or local-alert */
    uint32_t transitions;
} sg_alert_t;

void sg_alert_default_timing(sg_alert_timing_t *t);
/* Starts in idle with the link down and shows idle's LED pattern. */
void sg_alert_init(sg_alert_t *a, const sg_platform_t *plat, const sg_alert_timing_t *t, uint32_t now_ms);
void sg_alert_speech(sg_alert_t *a, uint32_t now_ms);
/* level: SG_PROTOCOL_LEVEL_*; unknown levels are ignored and return -1. */
int sg_alert_verdict(sg_alert_t *a, uint8_t level, uint32_t now_ms);
void sg_alert_link(sg_alert_t *a, int up, uint32_t now_ms);
/* The keyword spotter's local alert; acted on only while the link is down (returns -1 otherwise). */
int sg_alert_local_keyword(sg_alert_t *a, uint32_t now_ms);
void sg_alert_tick(sg_alert_t *a, uint32_t now_ms);

const char *sg_alert_state_name(sg_alert_state_t s);
/* Severity order for "worst state seen": idle < listening < link-lost < suspicious <
 * local-alert < scam. */
int sg_alert_severity(sg_alert_state_t s);
sg_led_pattern_t sg_alert_led(sg_alert_state_t s);
sg_cue_t sg_alert_cue(sg_alert_state_t s);

#endif
