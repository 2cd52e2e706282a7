/* LED patterns and speaker cues as pure functions of time: no hardware, so the host-side
 * check (check/test_patterns.c) runs them. led_ledc.c and speaker.c play them. */
#ifndef SG_PATTERNS_H
#define SG_PATTERNS_H
#include <stddef.h>
#include <stdint.h>
#include "sg_platform.h"

typedef struct {
    uint16_t r, g, b; /* brightness per channel, 0..1000 (per mille) */
} sg_rgb_t;

/* Colour of pattern p, t_ms after the pattern started. */
sg_rgb_t sg_led_pattern_at(sg_led_pattern_t p, uint32_t t_ms);

typedef struct {
    uint16_t hz; /* 0 = silence */
    uint16_t ms;
} sg_tone_step_t;

/* The tone sequence of a cue (n = 0 for SG_CUE_NONE). */
const sg_tone_step_t *sg_cue_steps(sg_cue_t c, size_t *n);

#endif
