/* Speaker cues as LEDC square waves.
 *
 * Why LEDC and not I2S/DAC: the ESP32-C3 has one I2S controller, and the microphone uses it;
 * the ESP32-S3 and C3 have no DAC; the ESP32's DAC pins (25/26) are the microphone's WS/SCK
 * here. A 50 % square wave on any GPIO works on all three chips and drives a passive piezo
 * buzzer directly, or a small class-D amplifier (e.g. PAM8302) into a speaker for more
 * volume. Tones are enough for alerts; spoken prompts would need a DAC or I2S amplifier.
 *
 * The core names a cue (play_cue); the 20 ms tick task steps through patterns.c's tone
 * sequence (steps are >= 60 ms, so 20 ms granularity is inaudible). A new cue replaces the
 * one playing: the core only calls play_cue when the alert state changes, and the newest
 * state is the one that matters. */
#include "driver/ledc.h"
#include "freertos/FreeRTOS.h"
#include "esp_log.h"
#include "patterns.h"
#include "sg_board.h"
#include "sg_esp32.h"

#define SPK_MODE LEDC_LOW_SPEED_MODE
#define SPK_TIMER LEDC_TIMER_1
#define SPK_CHANNEL LEDC_CHANNEL_3
#define SPK_RES LEDC_TIMER_10_BIT
#define SPK_DUTY_ON 512u /* 50 %: loudest square wave */

static const char *TAG = "sg_spk";
static bool s_ready;
static portMUX_TYPE s_mux = portMUX_INITIALIZER_UNLOCKED;
static const sg_tone_step_t *s_steps;
static size_t s_n_steps;
static size_t s_step;          /* index of the step playing */
static uint32_t s_step_start_ms;
static uint16_t s_playing_hz;  /* what the hardware does now; 0 = silent */

esp_err_t sg_speaker_init(void)
{
    if (SG_PIN_SPEAKER < 0) {
        ESP_LOGI(TAG, "no speaker configured");
        return ESP_OK;
    }
    const ledc_timer_config_t timer = {
        .speed_mode = SPK_MODE,
        .duty_resolution = SPK_RES,
        .timer_num = SPK_TIMER,
        .freq_hz = 1000,
        .clk_cfg = LEDC_USE_APB_CLK,
    };
    esp_err_t err = ledc_timer_config(&timer);
    if (err != ESP_OK)
        return err;
    const ledc_channel_config_t ch = {
        .gpio_num = SG_PIN_SPEAKER,
        .speed_mode = SPK_MODE,
        .channel = SPK_CHANNEL,
        .intr_type = LEDC_INTR_DISABLE,
        .timer_sel = SPK_TIMER,
        .duty = 0,
        .hpoint = 0,
    };
    err = ledc_channel_config(&ch);
    if (err == ESP_OK)
        s_ready = true;
    return err;
}

void sg_speaker_play(sg_cue_t cue, uint32_t now_ms)
{
    size_t n = 0;
    const sg_tone_step_t *steps = sg_cue_steps(cue, &n);
    taskENTER_CRITICAL(&s_mux);
    s_steps = steps;
    s_n_steps = n;
    s_step = 0;
    s_step_start_ms = now_ms;
    taskEXIT_CRITICAL(&s_mux);
}

static void set_tone(uint16_t hz)
{
    if (hz == s_playing_hz)
        return;
    if (hz == 0) {
        ledc_set_duty(SPK_MODE, SPK_CHANNEL, 0);
    } else {
        if (ledc_set_freq(SPK_MODE, SPK_TIMER, hz) != ESP_OK)
            return;
        ledc_set_duty(SPK_MODE, SPK_CHANNEL, SPK_DUTY_ON);
    }
    ledc_update_duty(SPK_MODE, SPK_CHANNEL);
    s_playing_hz = hz;
}

void sg_speaker_update(uint32_t now_ms)
{
    if (!s_ready)
        return;
    uint16_t hz = 0;
    taskENTER_CRITICAL(&s_mux);
    /* Skip every step whose time is over (a late tick must not stretch a cue). */
    while (s_steps && s_step < s_n_steps && (uint32_t)(now_ms - s_step_start_ms) >= s_steps[s_step].ms) {
        s_step_start_ms += s_steps[s_step].ms;
        s_step++;
    }
    if (s_steps && s_step < s_n_steps)
        hz = s_steps[s_step].hz;
    else
        s_steps = NULL;
    taskEXIT_CRITICAL(&s_mux);
    set_tone(hz);
}
