/* Alert state machine: every transition with its exact ALERT/LED/SPK lines. */
#include <string.h>
#include "sg_alert.h"
#include "sg_test.h"

static char lines[64][128];
static int n_lines;
static sg_led_pattern_t led;
static sg_cue_t cue;

static void log_line(void *ctx, const char *line)
{
    (void)ctx;
    if (n_lines < 64)
        snprintf(lines[n_lines++], sizeof lines[0], "%s", line);
}
static void set_led(void *ctx, sg_led_pattern_t p) { (void)ctx; led = p; }
static void play_cue(void *ctx, sg_cue_t c) { (void)ctx; cue = c; }

static const sg_platform_t plat = { NULL, NULL, NULL, log_line, set_led, play_cue };

/* Checks that exactly the given lines were logged since the last call, then forgets them. */
static void expect(const char *what, const char *l0, const char *l1, const char *l2)
{
    const char *want[3] = { l0, l1, l2 };
    int n_want = 0;
    while (n_want < 3 && want[n_want])
        n_want++;
    CHECK(n_lines == n_want, "%s: %d lines logged, expected %d (first: %s)", what, n_lines, n_want,
          n_lines ? lines[0] : "-");
    for (int i = 0; i < n_want && i < n_lines; i++)
        CHECK(strcmp(lines[i], want[i]) == 0, "%s: line %d is '%s', expected '%s'", what, i, lines[i], want[i]);
    n_lines = 0;
}

static void test_names(void)
{
    CHECK(strcmp(sg_led_pattern_name(SG_LED_FAST_RED_BLUE), "fast-red-blue") == 0, "pattern name");
    CHECK(strcmp(sg_led_pattern_name(SG_LED_OFF), "off") == 0, "pattern name");
    CHECK(strcmp(sg_cue_name(SG_CUE_SCAM_ALERT), "scam-alert") == 0, "cue name");
    CHECK(strcmp(sg_alert_state_name(SG_ALERT_LINK_LOST), "link-lost") == 0, "state name");
    CHECK(sg_alert_severity(SG_ALERT_SCAM) > sg_alert_severity(SG_ALERT_LOCAL_ALERT), "scam is worst");
}

static void test_verdict_flow(void)
{
    sg_alert_t a;
    n_lines = 0;
    sg_alert_init(&a, &plat, NULL, 1000);
    expect("init", "LED state=idle pattern=solid-green", NULL, NULL);
    CHECK(led == SG_LED_SOLID_GREEN, "led after init");

    sg_alert_link(&a, 1, 1000);
    expect("link up while idle", NULL, NULL, NULL);

    sg_alert_speech(&a, 2000);
    expect("speech", "ALERT from=idle to=listening reason=speech", "LED state=listening pattern=slow-green", NULL);

    CHECK(sg_alert_verdict(&a, SG_PROTOCOL_LEVEL_SAFE, 2100) == 0, "safe accepted");
    expect("safe verdict changes nothing", NULL, NULL, NULL);
    CHECK(sg_alert_verdict(&a, 7, 2100) == -1, "unknown level rejected");

    sg_alert_verdict(&a, SG_PROTOCOL_LEVEL_SUSPICIOUS, 3000);
    expect("suspicious", "ALERT from=listening to=suspicious reason=verdict-suspicious",
           "LED state=suspicious pattern=slow-amber", "SPK cue=chime");
    CHECK(cue == SG_CUE_CHIME, "chime played");

    sg_alert_verdict(&a, SG_PROTOCOL_LEVEL_SCAM, 4000);
    expect("scam", "ALERT from=suspicious to=scam reason=verdict-scam", "LED state=scam pattern=fast-red",
           "SPK cue=scam-alert");
    CHECK(led == SG_LED_FAST_RED && cue == SG_CUE_SCAM_ALERT, "scam outputs");

    sg_alert_verdict(&a, SG_PROTOCOL_LEVEL_SUSPICIOUS, 5000);
    expect("suspicious does not downgrade scam", NULL, NULL, NULL);

    /* Scam hold re-armed at 20000 by a second scam verdict: still up at 49999. */
    sg_alert_verdict(&a, SG_PROTOCOL_LEVEL_SCAM, 20000);
    sg_alert_tick(&a, 20000 + SG_ALERT_SCAM_HOLD_MS - 1);
    expect("scam hold", NULL, NULL, NULL);
    sg_alert_tick(&a, 20000 + SG_ALERT_SCAM_HOLD_MS);
    /* Last speech at 2000: long quiet, so the hold falls back to idle. */
    expect("scam expired", "ALERT from=scam to=idle reason=hold-expired", "LED state=idle pattern=solid-green", NULL);
    CHECK(a.alerts == 1, "one alert counted, got %u", (unsigned)a.alerts);
    CHECK(a.worst == SG_ALERT_SCAM, "worst state scam");
}

static void test_suspicious_decay_and_quiet(void)
{
    sg_alert_t a;
    sg_alert_init(&a, &plat, NULL, 0);
    sg_alert_link(&a, 1, 0);
    n_lines = 0;
    sg_alert_speech(&a, 1000);
    sg_alert_verdict(&a, SG_PROTOCOL_LEVEL_SUSPICIOUS, 1000);
    n_lines = 0;
    sg_alert_speech(&a, 10000); /* still talking */
    sg_alert_tick(&a, 1000 + SG_ALERT_SUSPICIOUS_HOLD_MS);
    expect("suspicious decays to listening", "ALERT from=suspicious to=listening reason=hold-expired",
           "LED state=listening pattern=slow-green", NULL);
    sg_alert_tick(&a, 10000 + SG_APP_LISTENING_IDLE_MS - 1);
    expect("not yet quiet", NULL, NULL, NULL);
    sg_alert_tick(&a, 10000 + SG_APP_LISTENING_IDLE_MS);
    expect("quiet", "ALERT from=listening to=idle reason=quiet", "LED state=idle pattern=solid-green", NULL);
    CHECK(a.alerts == 0, "suspicious is not an alert");
}

static void test_link_loss_and_local_alert(void)
{
    sg_alert_t a;
    sg_alert_init(&a, &plat, NULL, 0);
    sg_alert_link(&a, 1, 0);
    n_lines = 0;
    CHECK(sg_alert_local_keyword(&a, 100) == -1, "local alert refused while linked");
    expect("no local alert while linked", NULL, NULL, NULL);

    sg_alert_link(&a, 0, 500);
    expect("link down", "ALERT from=idle to=link-lost reason=link-down", "LED state=link-lost pattern=blink-blue",
           "SPK cue=link-lost");
    CHECK(led == SG_LED_BLINK_BLUE, "blue");

    CHECK(sg_alert_local_keyword(&a, 1000) == 0, "local alert accepted");
    expect("local alert", "ALERT from=link-lost to=local-alert reason=local-keyword",
           "LED state=local-alert pattern=fast-red-blue", "SPK cue=local-alert");

    sg_alert_link(&a, 1, 2000);
    expect("link back during local alert keeps it up", NULL, NULL, NULL);
    sg_alert_link(&a, 0, 3000);
    expect("link lost again", NULL, NULL, NULL);
    sg_alert_tick(&a, 1000 + SG_APP_LOCAL_ALERT_HOLD_MS);
    expect("local alert expires into link-lost", "ALERT from=local-alert to=link-lost reason=hold-expired",
           "LED state=link-lost pattern=blink-blue", "SPK cue=link-lost");

    sg_alert_speech(&a, 40000);
    expect("speech while link lost stays link-lost", NULL, NULL, NULL);
    sg_alert_link(&a, 1, 41000);
    expect("link up with recent speech", "ALERT from=link-lost to=listening reason=link-up",
           "LED state=listening pattern=slow-green", NULL);
}

static void test_scam_survives_link_loss(void)
{
    sg_alert_t a;
    sg_alert_init(&a, &plat, NULL, 0);
    sg_alert_link(&a, 1, 0);
    sg_alert_verdict(&a, SG_PROTOCOL_LEVEL_SCAM, 100);
    n_lines = 0;
    sg_alert_link(&a, 0, 200);
    expect("scam stays through link loss", NULL, NULL, NULL);
    sg_alert_tick(&a, 100 + SG_ALERT_SCAM_HOLD_MS);
    expect("then link-lost", "ALERT from=scam to=link-lost reason=hold-expired",
           "LED state=link-lost pattern=blink-blue", "SPK cue=link-lost");
}

static void test_wraparound(void)
{
    sg_alert_t a;
    uint32_t t0 = 0xFFFFF000u;
    sg_alert_init(&a, &plat, NULL, t0);
    sg_alert_link(&a, 1, t0);
    sg_alert_verdict(&a, SG_PROTOCOL_LEVEL_SCAM, t0);
    n_lines = 0;
    sg_alert_tick(&a, t0 + 10000u); /* clock wrapped, hold not over */
    expect("hold across clock wrap", NULL, NULL, NULL);
    CHECK(a.state == SG_ALERT_SCAM, "still scam");
    sg_alert_tick(&a, t0 + SG_ALERT_SCAM_HOLD_MS);
    CHECK(a.state == SG_ALERT_IDLE, "expired after wrap");
}

int main(void)
{
    test_names();
    test_verdict_flow();
    test_suspicious_decay_and_quiet();
    test_link_loss_and_local_alert();
    test_scam_survives_link_loss();
    test_wraparound();
    return sg_test_summary("test_alert");
}
