/* INMP441 capture: I2S standard (Philips) mode, master, 16 kHz, 32-bit slots, left slot only.
 *
 * The INMP441 sends 24-bit two's-complement samples MSB first, one BCLK after WS changes
 * (Philips timing), in 32-bit slots: 64 BCLK per frame, so BCLK = 16 kHz x 64 = 1.024 MHz.
 * With its L/R pin tied to GND it drives the left slot (WS low) and leaves the right slot
 * high-impedance, so the channel is mono/left. The driver delivers each slot as a 32-bit
 * word with the sample left-justified, which is exactly what sg_app_on_i2s() takes.
 *
 * One DMA buffer holds one 20 ms frame (320 samples); six of them give 120 ms of slack for
 * moments when the core lock is held elsewhere or flash writes (NVS) stall the caches. */
#include "driver/i2s_std.h"
#include "freertos/FreeRTOS.h"
#include "freertos/task.h"
#include "esp_log.h"
#include "esp_task_wdt.h"
#include "sg_board.h"
#include "sg_esp32.h"
#include "sg_params.h"

#define I2S_DMA_BUFFERS 6
#define I2S_READ_TIMEOUT_MS 200u
/* The microphone's output is not valid for a short time after its clock starts; those
 * frames would only teach the VAD a false noise floor. */
#define I2S_WARMUP_MS 300u

static const char *TAG = "sg_audio";
static i2s_chan_handle_t s_rx;
static uint32_t s_read_errors;

esp_err_t sg_audio_init(void)
{
    i2s_chan_config_t chan = I2S_CHANNEL_DEFAULT_CONFIG(I2S_NUM_0, I2S_ROLE_MASTER);
    chan.dma_desc_num = I2S_DMA_BUFFERS;
    chan.dma_frame_num = SG_AUDIO_FRAME_SAMPLES;
    esp_err_t err = i2s_new_channel(&chan, NULL, &s_rx);
    if (err != ESP_OK)
        return err;

    i2s_std_config_t std = {
        .clk_cfg = I2S_STD_CLK_DEFAULT_CONFIG(SG_AUDIO_SAMPLE_RATE_HZ),
        .slot_cfg = I2S_STD_PHILIPS_SLOT_DEFAULT_CONFIG(I2S_DATA_BIT_WIDTH_32BIT, I2S_SLOT_MODE_MONO),
        .gpio_cfg = {
            .mclk = I2S_GPIO_UNUSED, /* the INMP441 needs no master clock */
            .bclk = (gpio_num_t)SG_PIN_I2S_SCK,
            .ws = (gpio_num_t)SG_PIN_I2S_WS,
            .dout = I2S_GPIO_UNUSED,
            .din = (gpio_num_t)SG_PIN_I2S_SD,
            .invert_flags = {.mclk_inv = false, .bclk_inv = false, .ws_inv = false},
        },
    };
    /* L/R pin to GND = left slot. Must be explicit: the ESP32's default for mono is the left
     * slot, but on the ESP32-S3/C3 (I2S hardware v2) the default macro selects both slots. */
    std.slot_cfg.slot_mask = I2S_STD_SLOT_LEFT;
    err = i2s_channel_init_std_mode(s_rx, &std);
    if (err != ESP_OK)
        return err;
    err = i2s_channel_enable(s_rx);
    if (err == ESP_OK)
        ESP_LOGI(TAG, "INMP441 on SCK=%d WS=%d SD=%d, %d Hz", SG_PIN_I2S_SCK, SG_PIN_I2S_WS, SG_PIN_I2S_SD,
                 SG_AUDIO_SAMPLE_RATE_HZ);
    return err;
}

uint32_t sg_audio_read_errors(void)
{
    return s_read_errors;
}

void sg_audio_task(void *arg)
{
    (void)arg;
    static int32_t slots[SG_AUDIO_FRAME_SAMPLES];
    uint32_t warmup_samples = I2S_WARMUP_MS * (SG_AUDIO_SAMPLE_RATE_HZ / 1000u);
    ESP_ERROR_CHECK(esp_task_wdt_add(NULL));
    for (;;) {
        size_t got = 0;
        esp_err_t err = i2s_channel_read(s_rx, slots, sizeof slots, &got, I2S_READ_TIMEOUT_MS);
        if (err != ESP_OK || got == 0) {
            /* No watchdog reset here: an I2S bus that stays dead ends in a watchdog reboot,
             * the one recovery a board nobody watches can do on its own. */
            if ((s_read_errors++ % 50u) == 0)
                ESP_LOGE(TAG, "i2s read failed: %s (%lu so far)", esp_err_to_name(err),
                         (unsigned long)s_read_errors);
            continue;
        }
        esp_task_wdt_reset();
        size_t n = got / sizeof slots[0];
        if (warmup_samples > 0) {
            warmup_samples = n >= warmup_samples ? 0 : warmup_samples - (uint32_t)n;
            continue;
        }
        sg_core_lock();
        sg_app_on_i2s(sg_core_app(), slots, n);
        sg_core_unlock();
    }
}
