/* What each alert state looks and sounds like.
 *
 * LED (RGB, or a single LED that shows the brightness of the brightest channel):
 *   off            dark
 *   slow-green     green "breathing", 3 s period: calm, a call is being watched
 *   solid-green    green at 30 %: idle, host linked
 *   slow-amber     amber 600 ms on / 600 ms off: suspicious
 *   fast-red       red 200 ms on / 200 ms off (2.5 Hz): scam
 *   blink-blue     blue 200 ms on / 800 ms off: host link lost, local keyword mode
 *   fast-red-blue  red and blue alternating every 400 ms: local keyword alert
 * No pattern flashes faster than 3 times a second (the usual photosensitivity limit); the
 * people next to this board are often elderly.
 *
 * Speaker cues sit at 0.4-2 kHz: loud on a small piezo or speaker, and below the range where
 * age-related hearing loss starts. The warnings repeat so they are not missed. */
#include "patterns.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const sg_rgb_t AMBER = {1000, 350, 0};
static const sg_rgb_t RED = {1000, 0, 0};
static const sg_rgb_t BLUE = {0, 0, 1000};
static const sg_rgb_t DARK = {0, 0, 0};

static sg_rgb_t blink(sg_rgb_t on, uint32_t t_ms, uint32_t on_ms, uint32_t off_ms)
{
    return (t_ms % (on_ms + off_ms)) < on_ms ? on : DARK;
}

sg_rgb_t sg_led_pattern_at(sg_led_pattern_t p, uint32_t t_ms)
{
    switch (p) {
    case SG_LED_SLOW_GREEN: {
        /* Triangle 50 -> 1000 -> 50 per mille over 3000 ms. */
        uint32_t ph = t_ms % 3000u;
        uint32_t up = ph < 1500u ? ph : 3000u - ph; /* 0..1500 */
        sg_rgb_t c = {0, (uint16_t)(50u + up * 950u / 1500u), 0};
        return c;
    }
    case SG_LED_SOLID_GREEN: {
        sg_rgb_t c = {0, 300, 0};
        return c;
    }
    case SG_LED_SLOW_AMBER:
        return blink(AMBER, t_ms, 600, 600);
    case SG_LED_FAST_RED:
        return blink(RED, t_ms, 200, 200);
    case SG_LED_BLINK_BLUE:
        return blink(BLUE, t_ms, 200, 800);
    case SG_LED_FAST_RED_BLUE:
        return (t_ms % 800u) < 400u ? RED : BLUE;
    case SG_LED_OFF:
    default:
        return DARK;
    }
}

static const sg_tone_step_t CHIME[] = {{880, 120}, {0, 60}, {1320, 220}};
static const sg_tone_step_t SCAM_ALERT[] = {
    {1760, 300}, {0, 120}, {1320, 300}, {0, 120},
    {1760, 300}, {0, 120}, {1320, 300}, {0, 120},
    {1760, 300}, {0, 120}, {1320, 300}, {0, 600},
    {1760, 300}, {0, 120}, {1320, 300}, {0, 120},
    {1760, 300}, {0, 120}, {1320, 300},
};
static const sg_tone_step_t LINK_LOST[] = {{440, 150}, {0, 120}, {392, 250}};
static const sg_tone_step_t LOCAL_ALERT[] = {
    {1568, 200}, {0, 100}, {1568, 200}, {0, 100}, {1568, 200}, {0, 500},
    {1568, 200}, {0, 100}, {1568, 200}, {0, 100}, {1568, 200},
};

const sg_tone_step_t *sg_cue_steps(sg_cue_t c, size_t *n)
{
    switch (c) {
    case SG_CUE_CHIME: *n = COUNT(CHIME); return CHIME;
    case SG_CUE_SCAM_ALERT: *n = COUNT(SCAM_ALERT); return SCAM_ALERT;
    case SG_CUE_LINK_LOST: *n = COUNT(LINK_LOST); return LINK_LOST;
    case SG_CUE_LOCAL_ALERT: *n = COUNT(LOCAL_ALERT); return LOCAL_ALERT;
    case SG_CUE_NONE:
    default: *n = 0; return NULL;
    }
}
