/* Names of LED patterns and speaker cues, as they appear in LED/SPK console lines. The HIL
 * suite matches these strings, so they are part of the log contract (see sg_app.h). */
#include "sg_platform.h"

const char *sg_led_pattern_name(sg_led_pattern_t p)
{
    switch (p) {
    case SG_LED_OFF: return "off";
    case SG_LED_SLOW_GREEN: return "slow-green";
    case SG_LED_SOLID_GREEN: return "solid-green";
    case SG_LED_SLOW_AMBER: return "slow-amber";
    case SG_LED_FAST_RED: return "fast-red";
    case SG_LED_BLINK_BLUE: return "blink-blue";
    case SG_LED_FAST_RED_BLUE: return "fast-red-blue";
    }
    return "unknown";
}

const char *sg_cue_name(sg_cue_t c)
{
    switch (c) {
    case SG_CUE_NONE: return "none";
    case SG_CUE_CHIME: return "chime";
    case SG_CUE_SCAM_ALERT: return "scam-alert";
    case SG_CUE_LINK_LOST: return "link-lost";
    case SG_CUE_LOCAL_ALERT: return "local-alert";
    }
    return "unknown";
}
