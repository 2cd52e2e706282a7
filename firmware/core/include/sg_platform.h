/* What the portable core needs from a platform (ESP-IDF task glue, or the POSIX simulator).
 * The core calls these; it never includes a platform header itself. All callbacks are
 * invoked from the single thread that drives sg_app_*(); a platform with several tasks
 * must serialise calls into the core (see firmware/platform/esp32/README.md). */
#ifndef SG_PLATFORM_H
#define SG_PLATFORM_H
#include <stddef.h>
#include <stdint.h>

typedef enum {
    SG_LED_OFF = 0,
    SG_LED_SLOW_GREEN,   /* listening: a call is being watched */
    SG_LED_SOLID_GREEN,  /* idle, host linked */
    SG_LED_SLOW_AMBER,   /* suspicious */
    SG_LED_FAST_RED,     /* scam: host verdict */
    SG_LED_BLINK_BLUE,   /* link lost: local keyword mode */
    SG_LED_FAST_RED_BLUE /* local alert raised by the on-board keyword spotter */
} sg_led_pattern_t;

typedef enum {
    SG_CUE_NONE = 0,
    SG_CUE_CHIME,       /* suspicious: one soft chime */
    SG_CUE_SCAM_ALERT,  /* scam: repeated warning tone / prompt */
    SG_CUE_LINK_LOST,   /* two low beeps */
    SG_CUE_LOCAL_ALERT  /* local keyword alert */
} sg_cue_t;

typedef struct {
    void *ctx;
    /* Monotonic milliseconds since boot. */
    uint32_t (*now_ms)(void *ctx);
    /* Writes encoded wire bytes to the host link. Returns how many bytes were accepted;
     * fewer than len means the link is congested and the core counts the loss. */
    size_t (*link_write)(void *ctx, const uint8_t *data, size_t len);
    /* One structured console line without newline, e.g. "LED state=scam pattern=fast-red". */
    void (*log_line)(void *ctx, const char *line);
    void (*set_led)(void *ctx, sg_led_pattern_t pattern);
    void (*play_cue)(void *ctx, sg_cue_t cue);
} sg_platform_t;

const char *sg_led_pattern_name(sg_led_pattern_t p);
const char *sg_cue_name(sg_cue_t c);

#endif
