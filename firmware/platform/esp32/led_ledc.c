/* The status LED on LEDC PWM: an RGB LED on three channels (common cathode by default,
 * SG_LED_ACTIVE_LOW for common anode), or a single LED on the red pin (SG_PIN_LED_G and
 * SG_PIN_LED_B = -1), which then shows the brightest channel of each colour.
 *
 * PWM (not plain GPIO) because amber is red plus some green, "breathing" needs levels, and
 * the LED should not glare in a dark room. The core only names a pattern (set_led); the
 * 20 ms tick task calls sg_led_update(), which renders patterns.c's colour for that moment. */
#include "driver/ledc.h"
#include "freertos/FreeRTOS.h"
#include "esp_log.h"
#include "patterns.h"
#include "sg_board.h"
#include "sg_esp32.h"

#define LED_MODE LEDC_LOW_SPEED_MODE /* the only mode on every ESP32 variant */
#define LED_TIMER LEDC_TIMER_0
#define LED_FREQ_HZ 5000             /* well above flicker; 10 bits fit at 80 MHz APB */
#define LED_RES LEDC_TIMER_10_BIT
#define LED_DUTY_MAX 1023u

static const char *TAG = "sg_led";
static const int s_pins[3] = {SG_PIN_LED_R, SG_PIN_LED_G, SG_PIN_LED_B};
static const ledc_channel_t s_chan[3] = {LEDC_CHANNEL_0, LEDC_CHANNEL_1, LEDC_CHANNEL_2};
static uint32_t s_duty[3];
static bool s_ready;

static portMUX_TYPE s_mux = portMUX_INITIALIZER_UNLOCKED;
static sg_led_pattern_t s_pattern = SG_LED_OFF;
static uint32_t s_pattern_start_ms;

static bool single_led(void)
{
    return SG_PIN_LED_G < 0 && SG_PIN_LED_B < 0;
}

esp_err_t sg_led_init(void)
{
    const ledc_timer_config_t timer = {
        .speed_mode = LED_MODE,
        .duty_resolution = LED_RES,
        .timer_num = LED_TIMER,
        .freq_hz = LED_FREQ_HZ,
        .clk_cfg = LEDC_USE_APB_CLK, /* speaker.c uses the same source (required on C3/S3) */
    };
    esp_err_t err = ledc_timer_config(&timer);
    if (err != ESP_OK)
        return err;
    for (int i = 0; i < 3; i++) {
        if (s_pins[i] < 0)
            continue;
        const ledc_channel_config_t ch = {
            .gpio_num = s_pins[i],
            .speed_mode = LED_MODE,
            .channel = s_chan[i],
            .intr_type = LEDC_INTR_DISABLE,
            .timer_sel = LED_TIMER,
            .duty = 0,
            .hpoint = 0,
            .flags = {.output_invert = SG_LED_ACTIVE_LOW ? 1u : 0u},
        };
        err = ledc_channel_config(&ch);
        if (err != ESP_OK)
            return err;
    }
    s_ready = true;
    ESP_LOGI(TAG, "%s LED on GPIO %d/%d/%d", single_led() ? "single" : "RGB", SG_PIN_LED_R, SG_PIN_LED_G,
             SG_PIN_LED_B);
    return ESP_OK;
}

void sg_led_set_pattern(sg_led_pattern_t p, uint32_t now_ms)
{
    taskENTER_CRITICAL(&s_mux);
    s_pattern = p;
    s_pattern_start_ms = now_ms;
    taskEXIT_CRITICAL(&s_mux);
}

/* Eyes see brightness roughly as the square of PWM duty, so square the level. */
static uint32_t level_to_duty(uint16_t level)
{
    uint32_t l = level > 1000u ? 1000u : level;
    return l * l * LED_DUTY_MAX / 1000000u;
}

void sg_led_update(uint32_t now_ms)
{
    if (!s_ready)
        return;
    taskENTER_CRITICAL(&s_mux);
    sg_led_pattern_t p = s_pattern;
    uint32_t start = s_pattern_start_ms;
    taskEXIT_CRITICAL(&s_mux);

    sg_rgb_t c = sg_led_pattern_at(p, now_ms - start);
    uint16_t level[3] = {c.r, c.g, c.b};
    if (single_led()) {
        uint16_t m = c.r > c.g ? c.r : c.g;
        level[0] = m > c.b ? m : c.b;
    }
    for (int i = 0; i < 3; i++) {
        uint32_t duty = level_to_duty(level[i]);
        if (s_pins[i] < 0 || duty == s_duty[i])
            continue;
        if (ledc_set_duty(LED_MODE, s_chan[i], duty) == ESP_OK && ledc_update_duty(LED_MODE, s_chan[i]) == ESP_OK)
            s_duty[i] = duty;
    }
}
