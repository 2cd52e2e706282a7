/* ScamGuard board, ESP-IDF entry point: task layout and the sg_platform_t implementation.
 *
 * Tasks (stack in bytes, as ESP-IDF's xTaskCreate counts them; priorities out of 25):
 *
 *   task       stack  prio  core   does
 *   sg_audio    8192    18  1 (*)  i2s_channel_read (20 ms frames) -> sg_app_on_i2s
 *   sg_tx       4096    17  any    the single writer: serial port and BLE notifications
 *   sg_rx       4096    16  any    serial RX + queued BLE writes -> sg_app_on_link_bytes
 *   sg_tick     4096    12  any    every 20 ms: sg_app_tick, transport switching, LED,
 *                                  speaker, settings save, platform stats
 *   NimBLE host (CONFIG_BT_NIMBLE_HOST_TASK_STACK_SIZE = 5120), started by nimble_port_*
 *   (*) core 1 on dual-core chips (ESP32, ESP32-S3), the only core on the ESP32-C3.
 *
 * Why this order: audio must never miss a DMA buffer, so it is the highest of ours; TX above
 * RX so the board drains what it produced before taking new work; the tick is lowest
 * because its deadlines are tens of milliseconds. The audio stack is the largest because the
 * whole per-frame pipeline (frontend, VAD, log-mel, keyword model, ADPCM, framing) runs on
 * it; every stack's low-water mark is printed in the PLAT line so the sizes can be checked
 * on a real board.
 *
 * The core is single-threaded (sg_platform.h): every sg_app_*() call, from any task, holds
 * s_core_mutex. Core callbacks run with the mutex held and never block for long: frames and
 * lines go into the TX queue, LED and speaker calls only record a pattern that the tick
 * task renders.
 *
 * Every task of ours is subscribed to the task watchdog (CONFIG_ESP_TASK_WDT_TIMEOUT_S,
 * panic + reboot): a task stuck for that long means the board no longer protects anyone,
 * and a reboot is the recovery. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include "freertos/FreeRTOS.h"
#include "freertos/semphr.h"
#include "freertos/task.h"
#include "esp_log.h"
#include "esp_system.h"
#include "esp_task_wdt.h"
#include "sg_kws_model.h"
#include "esp_timer.h"
#include "nvs_flash.h"
#include "sg_app_impl.h" /* for the static sg_app_t; fields are used only through sg_app.h */
#include "sg_board.h"
#include "sg_esp32.h"
#include "sg_params.h"

#define STACK_AUDIO 8192
#define STACK_TX 4096
#define STACK_RX 4096
#define STACK_TICK 4096
#define PRIO_AUDIO 18
#define PRIO_TX 17
#define PRIO_RX 16
#define PRIO_TICK 12
#define PLAT_STATS_INTERVAL_MS 30000u

static const char *TAG = "sg_main";
static sg_app_t s_app;
static SemaphoreHandle_t s_core_mutex;
static TaskHandle_t s_audio_task, s_tx_task, s_rx_task, s_tick_task;

sg_app_t *sg_core_app(void) { return &s_app; }
void sg_core_lock(void) { xSemaphoreTake(s_core_mutex, portMAX_DELAY); }
void sg_core_unlock(void) { xSemaphoreGive(s_core_mutex); }
uint32_t sg_now_ms(void) { return (uint32_t)(esp_timer_get_time() / 1000); }

/* ---- sg_platform_t ---- */
static uint32_t plat_now_ms(void *ctx)
{
    (void)ctx;
    return sg_now_ms();
}
static size_t plat_link_write(void *ctx, const uint8_t *data, size_t len)
{
    (void)ctx;
    return sg_tx_frame(data, len);
}
static void plat_log_line(void *ctx, const char *line)
{
    (void)ctx;
    sg_tx_line(line);
    sg_settings_observe_line(line);
}
static void plat_set_led(void *ctx, sg_led_pattern_t pattern)
{
    (void)ctx;
    sg_led_set_pattern(pattern, sg_now_ms());
}
static void plat_play_cue(void *ctx, sg_cue_t cue)
{
    (void)ctx;
    sg_speaker_play(cue, sg_now_ms());
}
static const sg_platform_t s_platform = {
    .ctx = NULL,
    .now_ms = plat_now_ms,
    .link_write = plat_link_write,
    .log_line = plat_log_line,
    .set_led = plat_set_led,
    .play_cue = plat_play_cue,
};

static void log_platform_stats(void)
{
    sg_tx_stats_t tx;
    sg_tx_get_stats(&tx);
    char line[SG_RX_TEXT_MAX];
    snprintf(line, sizeof line,
             "PLAT tx_serial_dropped=%" PRIu32 " tx_ble_dropped=%" PRIu32 " frames_refused=%" PRIu32
             " log_dropped=%" PRIu32 " rx_inactive_dropped=%" PRIu32 " i2s_errors=%" PRIu32
             " heap_min=%" PRIu32 " stack_free_audio=%u stack_free_tx=%u stack_free_rx=%u stack_free_tick=%u",
             tx.serial_dropped, tx.ble_dropped, tx.frames_refused, tx.log_dropped, sg_link_rx_dropped(),
             sg_audio_read_errors(), esp_get_minimum_free_heap_size(),
             (unsigned)uxTaskGetStackHighWaterMark(s_audio_task), (unsigned)uxTaskGetStackHighWaterMark(s_tx_task),
             (unsigned)uxTaskGetStackHighWaterMark(s_rx_task), (unsigned)uxTaskGetStackHighWaterMark(NULL));
    sg_tx_line(line);
}

static void tick_task(void *arg)
{
    (void)arg;
    TickType_t last = xTaskGetTickCount();
    uint32_t next_stats = sg_now_ms() + PLAT_STATS_INTERVAL_MS;
    ESP_ERROR_CHECK(esp_task_wdt_add(NULL));
    for (;;) {
        xTaskDelayUntil(&last, pdMS_TO_TICKS(SG_AUDIO_FRAME_MS));
        sg_core_lock();
        sg_app_tick(&s_app);
        sg_core_unlock();
        uint32_t now = sg_now_ms();
        sg_link_poll();
        sg_ble_poll(now);
        sg_led_update(now);
        sg_speaker_update(now);
        sg_settings_poll(now);
        if ((int32_t)(now - next_stats) >= 0) {
            next_stats = now + PLAT_STATS_INTERVAL_MS;
            log_platform_stats();
        }
        esp_task_wdt_reset();
    }
}

static void init_nvs(void)
{
    esp_err_t err = nvs_flash_init();
    if (err == ESP_ERR_NVS_NO_FREE_PAGES || err == ESP_ERR_NVS_NEW_VERSION_FOUND) {
        /* Partition full or from a newer layout: start over (settings and bonds are lost,
         * the board still works). */
        ESP_ERROR_CHECK(nvs_flash_erase());
        err = nvs_flash_init();
    }
    ESP_ERROR_CHECK(err);
}

static TaskHandle_t start_task(TaskFunction_t fn, const char *name, uint32_t stack, UBaseType_t prio,
                               BaseType_t core)
{
    TaskHandle_t h = NULL;
    if (xTaskCreatePinnedToCore(fn, name, stack, NULL, prio, &h, core) != pdPASS) {
        ESP_LOGE(TAG, "cannot start task %s", name);
        abort(); /* without any one of them the board is useless; reboot */
    }
    return h;
}

void app_main(void)
{
    init_nvs();

    /* The single writer first, so that every later log line goes through it. */
    ESP_ERROR_CHECK(sg_tx_init());
    ESP_ERROR_CHECK(sg_link_init());
    ESP_ERROR_CHECK(sg_serial_init());
    esp_log_set_vprintf(sg_tx_vprintf);

    ESP_ERROR_CHECK(sg_led_init());
    ESP_ERROR_CHECK(sg_speaker_init());

    sg_app_config_t cfg;
    sg_app_default_config(&cfg);
    cfg.board = SG_BOARD_NAME;
    cfg.caps |= SG_PROTOCOL_CAPS_SERIAL | SG_PROTOCOL_CAPS_BLE;
#ifdef SG_ENABLE_INJECT
    /* Test build (env esp32dev-test): the HIL suite may replace the microphone with audio
     * it sends in INJECT_AUDIO frames. Never in a production build. */
    cfg.caps |= SG_PROTOCOL_CAPS_INJECT;
#endif
    sg_settings_load(&cfg);

    s_core_mutex = xSemaphoreCreateMutex();
    if (!s_core_mutex)
        abort();
    s_tx_task = start_task(sg_tx_task, "sg_tx", STACK_TX, PRIO_TX, tskNO_AFFINITY);
    sg_core_lock();
    sg_app_init(&s_app, &s_platform, &cfg); /* prints the BOOT line */
    if (sg_app_set_kws_model(&s_app, sg_kws_model_get()) != 0)
        ESP_LOGW(TAG, "keyword model rejected: no local keyword alert");
    sg_core_unlock();

    ESP_ERROR_CHECK(sg_audio_init());
    s_audio_task = start_task(sg_audio_task, "sg_audio", STACK_AUDIO, PRIO_AUDIO, SG_AUDIO_CORE);
    s_rx_task = start_task(sg_link_rx_task, "sg_rx", STACK_RX, PRIO_RX, tskNO_AFFINITY);
    s_tick_task = start_task(tick_task, "sg_tick", STACK_TICK, PRIO_TICK, tskNO_AFFINITY);

    char info[64];
    snprintf(info, sizeof info, "fw=%s board=%s proto=%d", cfg.fw_version ? cfg.fw_version : "", SG_BOARD_NAME,
             SG_PROTOCOL_VERSION);
    esp_err_t err = sg_ble_init(info);
    if (err != ESP_OK) /* serial keeps working without BLE */
        ESP_LOGE(TAG, "BLE unavailable: %s", esp_err_to_name(err));
    ESP_LOGI(TAG, "tasks started (tick task %p)", (void *)s_tick_task);
}
