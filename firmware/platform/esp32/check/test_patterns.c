/* Host unit test of patterns.c: every LED pattern and cue has the timing the docs promise. */
#include <stdio.h>
#include <stdlib.h>
#include "patterns.h"

static int failures;
#define CHECK(cond)                                                              \
    do {                                                                         \
        if (!(cond)) {                                                           \
            fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
            failures++;                                                          \
        }                                                                        \
    } while (0)

static int lit(sg_rgb_t c) { return c.r || c.g || c.b; }

/* Counts dark->lit transitions in one second, sampled every ms. */
static int flashes_per_second(sg_led_pattern_t p)
{
    int n = 0, prev = lit(sg_led_pattern_at(p, 0));
    for (uint32_t t = 1; t < 1000; t++) {
        int now = lit(sg_led_pattern_at(p, t));
        n += now && !prev;
        prev = now;
    }
    return n;
}

int main(void)
{
    sg_rgb_t c;
    c = sg_led_pattern_at(SG_LED_OFF, 1234);
    CHECK(!lit(c));
    c = sg_led_pattern_at(SG_LED_SOLID_GREEN, 99999);
    CHECK(c.r == 0 && c.g == 300 && c.b == 0);
    /* breathing green: dim at 0 and 3000 ms, full at 1500 ms, never dark */
    CHECK(sg_led_pattern_at(SG_LED_SLOW_GREEN, 0).g == 50);
    CHECK(sg_led_pattern_at(SG_LED_SLOW_GREEN, 1500).g == 1000);
    CHECK(sg_led_pattern_at(SG_LED_SLOW_GREEN, 3000).g == 50);
    c = sg_led_pattern_at(SG_LED_SLOW_AMBER, 100);
    CHECK(c.r == 1000 && c.g == 350 && c.b == 0);
    CHECK(!lit(sg_led_pattern_at(SG_LED_SLOW_AMBER, 700)));
    c = sg_led_pattern_at(SG_LED_FAST_RED, 50);
    CHECK(c.r == 1000 && c.g == 0);
    CHECK(!lit(sg_led_pattern_at(SG_LED_FAST_RED, 250)));
    CHECK(sg_led_pattern_at(SG_LED_BLINK_BLUE, 100).b == 1000);
    CHECK(!lit(sg_led_pattern_at(SG_LED_BLINK_BLUE, 500)));
    CHECK(sg_led_pattern_at(SG_LED_FAST_RED_BLUE, 100).r == 1000);
    CHECK(sg_led_pattern_at(SG_LED_FAST_RED_BLUE, 500).b == 1000);
    /* photosensitivity: nothing flashes more than 3 times a second */
    for (int p = SG_LED_OFF; p <= SG_LED_FAST_RED_BLUE; p++)
        CHECK(flashes_per_second((sg_led_pattern_t)p) <= 3);

    size_t n = 99;
    CHECK(sg_cue_steps(SG_CUE_NONE, &n) == NULL && n == 0);
    const sg_cue_t cues[] = {SG_CUE_CHIME, SG_CUE_SCAM_ALERT, SG_CUE_LINK_LOST, SG_CUE_LOCAL_ALERT};
    for (size_t i = 0; i < sizeof cues / sizeof cues[0]; i++) {
        const sg_tone_step_t *s = sg_cue_steps(cues[i], &n);
        uint32_t total = 0;
        CHECK(s != NULL && n > 0);
        for (size_t k = 0; s && k < n; k++) {
            CHECK(s[k].ms >= 60);                             /* audible at 20 ms tick granularity */
            CHECK(s[k].hz == 0 || (s[k].hz >= 300 && s[k].hz <= 2000));
            total += s[k].ms;
        }
        CHECK(s && s[n - 1].hz != 0); /* cues end on a tone, not on silence */
        CHECK(total <= 8000);         /* a cue never drones on */
    }
    if (failures) {
        fprintf(stderr, "test_patterns: %d failure(s)\n", failures);
        return EXIT_FAILURE;
    }
    printf("test_patterns: LED patterns and speaker cues OK\n");
    return EXIT_SUCCESS;
}
