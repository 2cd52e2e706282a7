/* Interfaces between the files of the ESP32 platform layer (one header, many small .c files).
 *
 *   main.c        app_main, task layout, the sg_platform_t callbacks, the 20 ms tick task
 *   core lock     every sg_app_*() call happens with sg_core_lock() held (sg_platform.h
 *                 requires a single caller at a time; the tasks below take turns)
 *   tx_writer.c   the single TX path: frames and console text in one ordered byte stream
 *   link_router.c which transport carries the protocol (serial or BLE), link RX task
 *   link_uart.c / link_usb.c   the serial port (UART0 or USB-Serial-JTAG), one compiled in
 *   ble_gatt.c    NimBLE GATT server (bonded LE Secure Connections only)
 *   audio_i2s.c   INMP441 capture task
 *   led_ledc.c, speaker.c, patterns.c   LED patterns and speaker cues
 *   settings_nvs.c                      persisted CONFIG values
 */
#ifndef SG_ESP32_H
#define SG_ESP32_H
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "esp_err.h"
#include "sg_app.h"
#include "sg_platform.h"

/* ---- main.c: the one application instance and its lock ---- */
sg_app_t *sg_core_app(void);
void sg_core_lock(void);
void sg_core_unlock(void);
uint32_t sg_now_ms(void);

/* ---- tx_writer.c ---- */
typedef enum { SG_ROUTE_SERIAL = 0, SG_ROUTE_BLE = 1 } sg_route_t;
esp_err_t sg_tx_init(void);
/* Whole wire frames from the core, to the active transport. All-or-nothing: returns len,
 * or 0 when the transport's buffer cannot take the whole frame (the core counts the loss). */
size_t sg_tx_frame(const uint8_t *data, size_t len);
/* One console text line (no newline needed); always on the serial port, never inside a frame. */
void sg_tx_line(const char *line);
/* esp_log_set_vprintf() hook: ESP_LOGx output joins the same ordered stream as text lines. */
int sg_tx_vprintf(const char *fmt, va_list ap);
void sg_tx_set_route(sg_route_t route);
void sg_tx_task(void *arg);
typedef struct {
    uint32_t serial_dropped; /* bytes the serial port did not take (no host, timeout) */
    uint32_t ble_dropped;    /* bytes discarded because the BLE link went away */
    uint32_t frames_refused; /* frames refused for lack of buffer space */
    uint32_t log_dropped;    /* text lines refused for lack of buffer space */
} sg_tx_stats_t;
void sg_tx_get_stats(sg_tx_stats_t *s);

/* ---- link_uart.c / link_usb.c: the serial port ---- */
esp_err_t sg_serial_init(void);
/* Reads up to cap bytes, waiting at most timeout_ms. Returns bytes read (0 on timeout). */
size_t sg_serial_read(uint8_t *buf, size_t cap, uint32_t timeout_ms);
/* Writes n bytes, waiting at most timeout_ms for space. Returns bytes accepted. */
size_t sg_serial_write(const uint8_t *buf, size_t n, uint32_t timeout_ms);
/* Whether a host can be there at all: always for UART (no presence signal), USB SOF seen
 * for USB-Serial-JTAG. */
bool sg_serial_host_present(void);
const char *sg_serial_name(void);

/* ---- link_router.c ---- */
esp_err_t sg_link_init(void);
/* Called every tick: picks the transport (a secure BLE session wins over serial), tells the
 * core about transport changes. */
void sg_link_poll(void);
/* Bytes written by the BLE host (NimBLE host task). 0 = queued, -1 = no room (retry). */
int sg_link_ble_rx(const uint8_t *data, size_t len);
void sg_link_rx_task(void *arg);
uint32_t sg_link_rx_dropped(void);

/* ---- ble_gatt.c ---- */
esp_err_t sg_ble_init(const char *info_text);
/* Connected, encrypted, authenticated, bonded, 128-bit key, and subscribed to audio/events. */
bool sg_ble_ready(void);
/* Largest notification payload for the current ATT MTU. */
size_t sg_ble_max_chunk(void);
/* 0 = sent, -1 = congested (keep the data, retry later), -2 = no usable connection. */
int sg_ble_notify(const uint8_t *data, size_t len);
/* Every tick: drops connections that never became secure. */
void sg_ble_poll(uint32_t now_ms);

/* ---- audio_i2s.c ---- */
esp_err_t sg_audio_init(void);
void sg_audio_task(void *arg);
uint32_t sg_audio_read_errors(void);

/* ---- led_ledc.c / speaker.c ---- */
esp_err_t sg_led_init(void);
void sg_led_set_pattern(sg_led_pattern_t p, uint32_t now_ms);
void sg_led_update(uint32_t now_ms);
esp_err_t sg_speaker_init(void);
void sg_speaker_play(sg_cue_t cue, uint32_t now_ms);
void sg_speaker_update(uint32_t now_ms);

/* ---- settings_nvs.c ---- */
/* Applies the stored settings (range-checked) on top of cfg. */
void sg_settings_load(sg_app_config_t *cfg);
/* Sees every core console line; remembers accepted `CONFIG key=.. value=.. status=ok`. */
void sg_settings_observe_line(const char *line);
/* Every tick: writes remembered changes to NVS once they have been quiet for 2 s. */
void sg_settings_poll(uint32_t now_ms);

#endif
