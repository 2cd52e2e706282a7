#include "sg_alert.h"
#include <stdio.h>

/* Wrap-safe "a is at or after b" for the 32-bit millisecond clock. */
static int reached(uint32_t now, uint32_t t) { return (int32_t)(now - t) >= 0; }

const char *sg_alert_state_name(sg_alert_state_t s)
{
    switch (s) {
    case SG_ALERT_IDLE: return "idle";
    case SG_ALERT_LISTENING: return "listening";
    case SG_ALERT_SUSPICIOUS: return "suspicious";
    case SG_ALERT_SCAM: return "scam";
    case SG_ALERT_LINK_LOST: return "link-lost";
    case SG_ALERT_LOCAL_ALERT: return "local-alert";
    }
    return "unknown";
}

int sg_alert_severity(sg_alert_state_t s)
{
    switch (s) {
    case SG_ALERT_IDLE: return 0;
    case SG_ALERT_LISTENING: return 1;
    case SG_ALERT_LINK_LOST: return 2;
    case SG_ALERT_SUSPICIOUS: return 3;
    case SG_ALERT_LOCAL_ALERT: return 4;
    case SG_ALERT_SCAM: return 5;
    }
    return 0;
}

sg_led_pattern_t sg_alert_led(sg_alert_state_t s)
{
    switch (s) {
    case SG_ALERT_IDLE: return SG_LED_SOLID_GREEN;
    case SG_ALERT_LISTENING: return SG_LED_SLOW_GREEN;
    case SG_ALERT_SUSPICIOUS: return SG_LED_SLOW_AMBER;
    case SG_ALERT_SCAM: return SG_LED_FAST_RED;
    case SG_ALERT_LINK_LOST: return SG_LED_BLINK_BLUE;
    case SG_ALERT_LOCAL_ALERT: return SG_LED_FAST_RED_BLUE;
    }
    return SG_LED_OFF;
}

sg_cue_t sg_alert_cue(sg_alert_state_t s)
{
    switch (s) {
    case SG_ALERT_SUSPICIOUS: return SG_CUE_CHIME;
    case SG_ALERT_SCAM: return SG_CUE_SCAM_ALERT;
    case SG_ALERT_LINK_LOST: return SG_CUE_LINK_LOST;
    case SG_ALERT_LOCAL_ALERT: return SG_CUE_LOCAL_ALERT;
    case SG_ALERT_IDLE:
    case SG_ALERT_LISTENING: break;
    }
    return SG_CUE_NONE;
}

void sg_alert_default_timing(sg_alert_timing_t *t)
{
    t->suspicious_hold_ms = SG_ALERT_SUSPICIOUS_HOLD_MS;
    t->scam_hold_ms = SG_ALERT_SCAM_HOLD_MS;
    t->local_alert_hold_ms = SG_APP_LOCAL_ALERT_HOLD_MS;
    t->listening_idle_ms = SG_APP_LISTENING_IDLE_MS;
}

static void log_line(sg_alert_t *a, const char *line)
{
    if (a->plat && a->plat->log_line)
        a->plat->log_line(a->plat->ctx, line);
}

static void show(sg_alert_t *a)
{
    char line[96];
    sg_led_pattern_t led = sg_alert_led(a->state);
    if (a->plat && a->plat->set_led)
        a->plat->set_led(a->plat->ctx, led);
    snprintf(line, sizeof line, "LED state=%s pattern=%s", sg_alert_state_name(a->state), sg_led_pattern_name(led));
    log_line(a, line);
    sg_cue_t cue = sg_alert_cue(a->state);
    if (cue != SG_CUE_NONE) {
        if (a->plat && a->plat->play_cue)
            a->plat->play_cue(a->plat->ctx, cue);
        snprintf(line, sizeof line, "SPK cue=%s", sg_cue_name(cue));
        log_line(a, line);
    }
}

static void go(sg_alert_t *a, sg_alert_state_t to, const char *reason)
{
    char line[96];
    if (to == a->state)
        return;
    snprintf(line, sizeof line, "ALERT from=%s to=%s reason=%s", sg_alert_state_name(a->state),
             sg_alert_state_name(to), reason);
    log_line(a, line);
    a->state = to;
    a->transitions++;
    if (to == SG_ALERT_SCAM || to == SG_ALERT_LOCAL_ALERT)
        a->alerts++;
    if (sg_alert_severity(to) > sg_alert_severity(a->worst))
        a->worst = to;
    show(a);
}

void sg_alert_init(sg_alert_t *a, const sg_platform_t *plat, const sg_alert_timing_t *t, uint32_t now_ms)
{
    a->plat = plat;
    if (t)
        a->timing = *t;
    else
        sg_alert_default_timing(&a->timing);
    a->state = SG_ALERT_IDLE;
    a->worst = SG_ALERT_IDLE;
    a->link_up = 0;
    a->heard_speech = 0;
    a->last_speech_ms = now_ms;
    a->hold_until_ms = now_ms;
    a->alerts = 0;
    a->transitions = 0;
    show(a);
}

static int speech_recent(const sg_alert_t *a, uint32_t now_ms)
{
    return a->heard_speech && !reached(now_ms, a->last_speech_ms + a->timing.listening_idle_ms);
}

/* Where the machine rests when no alert is being shown. */
static sg_alert_state_t resting(const sg_alert_t *a, uint32_t now_ms)
{
    if (!a->link_up)
        return SG_ALERT_LINK_LOST;
    return speech_recent(a, now_ms) ? SG_ALERT_LISTENING : SG_ALERT_IDLE;
}

static int showing_alert(sg_alert_state_t s)
{
    return s == SG_ALERT_SCAM || s == SG_ALERT_LOCAL_ALERT;
}

void sg_alert_speech(sg_alert_t *a, uint32_t now_ms)
{
    a->heard_speech = 1;
    a->last_speech_ms = now_ms;
    if (a->state == SG_ALERT_IDLE)
        go(a, SG_ALERT_LISTENING, "speech");
}

int sg_alert_verdict(sg_alert_t *a, uint8_t level, uint32_t now_ms)
{
    switch (level) {
    case SG_PROTOCOL_LEVEL_SCAM:
        a->hold_until_ms = now_ms + a->timing.scam_hold_ms;
        go(a, SG_ALERT_SCAM, "verdict-scam");
        return 0;
    case SG_PROTOCOL_LEVEL_SUSPICIOUS:
        if (showing_alert(a->state))
            return 0;
        a->hold_until_ms = now_ms + a->timing.suspicious_hold_ms;
        go(a, SG_ALERT_SUSPICIOUS, "verdict-suspicious");
        return 0;
    case SG_PROTOCOL_LEVEL_SAFE:
        /* A safe verdict does not cut a running hold short: one clean segment in the
         * middle of a scam call is normal. */
        return 0;
    default:
        return -1;
    }
}

void sg_alert_link(sg_alert_t *a, int up, uint32_t now_ms)
{
    a->link_up = up ? 1 : 0;
    if (up) {
        if (a->state == SG_ALERT_LINK_LOST)
            go(a, resting(a, now_ms), "link-up");
    } else if (!showing_alert(a->state)) {
        go(a, SG_ALERT_LINK_LOST, "link-down");
    }
}

int sg_alert_local_keyword(sg_alert_t *a, uint32_t now_ms)
{
    if (a->link_up)
        return -1;
    a->hold_until_ms = now_ms + a->timing.local_alert_hold_ms;
    go(a, SG_ALERT_LOCAL_ALERT, "local-keyword");
    return 0;
}

void sg_alert_tick(sg_alert_t *a, uint32_t now_ms)
{
    switch (a->state) {
    case SG_ALERT_SUSPICIOUS:
    case SG_ALERT_SCAM:
    case SG_ALERT_LOCAL_ALERT:
        if (reached(now_ms, a->hold_until_ms))
            go(a, resting(a, now_ms), "hold-expired");
        break;
    case SG_ALERT_LISTENING:
        if (!speech_recent(a, now_ms))
            go(a, SG_ALERT_IDLE, "quiet");
        break;
    case SG_ALERT_IDLE:
    case SG_ALERT_LINK_LOST:
        break;
    }
}
