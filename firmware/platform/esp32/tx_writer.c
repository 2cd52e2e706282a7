/* The single TX path.
 *
 * Frames and console text share the serial port, and a text line may only appear between
 * two frames (sg_frame.h). Every producer (the core's link_write and log_line, and every
 * ESP_LOGx call in the firmware, redirected here with esp_log_set_vprintf) therefore puts
 * whole units (one frame, or one text line) into a FreeRTOS stream buffer under one mutex,
 * and one task (sg_tx_task) is the only writer of the physical ports. Nothing ever writes a
 * partial unit into a buffer, so units can never interleave.
 *
 * Two buffers: the serial one (frames while serial is the active transport, plus all text)
 * and the BLE one (frames while a secure BLE session is the active transport). Text never
 * goes over BLE: the BLE peer gets exactly the frames, the serial console keeps the logs. */
#include <stdio.h>
#include <string.h>
#include "freertos/FreeRTOS.h"
#include "freertos/semphr.h"
#include "freertos/stream_buffer.h"
#include "freertos/task.h"
#include "esp_task_wdt.h"
#include "sg_esp32.h"
#include "sg_frame.h"

#define TX_SERIAL_BUF_BYTES 8192u /* ~90 ms of 921600 baud; ~1 s of ADPCM audio frames */
#define TX_BLE_BUF_BYTES 8192u    /* ~1 s of ADPCM audio at BLE speed */
#define TX_LOG_LINE_MAX 200u      /* longer ESP_LOG lines are cut, still newline-terminated */
#define TX_CORE_LINE_MAX 400u     /* the core's lines are shorter (SG_APP_LINE_MAX = 320) */
#define TX_CHUNK 512u
#define TX_SERIAL_WRITE_TIMEOUT_MS 50u
#define TX_PRODUCER_WAIT_MS 20u

static StreamBufferHandle_t s_serial_sb;
static StreamBufferHandle_t s_ble_sb;
static SemaphoreHandle_t s_producer_mutex; /* makes each unit's enqueue atomic */
static TaskHandle_t s_tx_task;
static volatile sg_route_t s_route = SG_ROUTE_SERIAL;
static sg_tx_stats_t s_stats;

esp_err_t sg_tx_init(void)
{
    /* Trigger level 1: the reader (sg_tx_task) is woken by task notification anyway. */
    s_serial_sb = xStreamBufferCreate(TX_SERIAL_BUF_BYTES, 1);
    s_ble_sb = xStreamBufferCreate(TX_BLE_BUF_BYTES, 1);
    s_producer_mutex = xSemaphoreCreateMutex();
    if (!s_serial_sb || !s_ble_sb || !s_producer_mutex)
        return ESP_ERR_NO_MEM;
    /* The ROM bootloader prints at 115200 baud, which reads as noise at our rate and leaves
     * the host's decoder discarding until the next 0x00: send one now, so the BOOT line is
     * seen instead of waiting for the first frame. */
    static const uint8_t delimiter = 0x00;
    xStreamBufferSend(s_serial_sb, &delimiter, 1, 0);
    return ESP_OK;
}

static void wake_tx(void)
{
    if (s_tx_task)
        xTaskNotifyGive(s_tx_task);
}

/* Puts one whole unit (a, then optional b) into sb, or nothing. */
static bool enqueue_unit(StreamBufferHandle_t sb, const void *a, size_t alen, const void *b, size_t blen,
                         uint32_t wait_ms)
{
    if (xSemaphoreTake(s_producer_mutex, pdMS_TO_TICKS(wait_ms)) != pdTRUE)
        return false;
    bool ok = xStreamBufferSpacesAvailable(sb) >= alen + blen;
    if (ok) {
        xStreamBufferSend(sb, a, alen, 0);
        if (blen)
            xStreamBufferSend(sb, b, blen, 0);
    }
    xSemaphoreGive(s_producer_mutex);
    if (ok)
        wake_tx();
    return ok;
}

size_t sg_tx_frame(const uint8_t *data, size_t len)
{
    StreamBufferHandle_t sb = (s_route == SG_ROUTE_BLE) ? s_ble_sb : s_serial_sb;
    if (len == 0)
        return 0;
    if (!enqueue_unit(sb, data, len, NULL, 0, TX_PRODUCER_WAIT_MS)) {
        s_stats.frames_refused++;
        return 0;
    }
    return len;
}

/* Console bytes must decode as text (sg_frame.c: is_text_byte); anything else, and in
 * particular 0x00 and 0x01 which start frames, becomes '?'. Embedded newlines stay. */
static size_t sanitize(char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint8_t b = (uint8_t)s[i];
        bool text = b == '\n' || b == '\t' || b == '\r' || (b >= 0x20 && b < 0x7F) ||
                    (b >= 0x80 && b <= 0xF4 && b != 0xC0 && b != 0xC1);
        if (!text)
            s[i] = '?';
    }
    return n;
}

static void enqueue_text(char *buf, size_t n, uint32_t wait_ms)
{
    static const char nl = '\n';
    while (n > 0 && (buf[n - 1] == '\r'))
        n--;
    sanitize(buf, n);
    bool has_nl = n > 0 && buf[n - 1] == '\n';
    if (n == 0)
        return;
    if (!enqueue_unit(s_serial_sb, buf, n, has_nl ? NULL : &nl, has_nl ? 0 : 1, wait_ms))
        s_stats.log_dropped++;
}

void sg_tx_line(const char *line)
{
    char buf[TX_CORE_LINE_MAX];
    size_t n = strnlen(line, sizeof buf - 1);
    memcpy(buf, line, n);
    enqueue_text(buf, n, TX_PRODUCER_WAIT_MS);
}

int sg_tx_vprintf(const char *fmt, va_list ap)
{
    char buf[TX_LOG_LINE_MAX];
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    if (n <= 0)
        return n;
    size_t len = (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1;
    /* Short wait: ESP_LOG may be called from the NimBLE host task, which must not stall. */
    enqueue_text(buf, len, 5);
    return n;
}

void sg_tx_set_route(sg_route_t route)
{
    s_route = route;
    wake_tx();
}

void sg_tx_get_stats(sg_tx_stats_t *s)
{
    *s = s_stats;
}

static void drain_serial(uint8_t *buf)
{
    size_t n;
    while ((n = xStreamBufferReceive(s_serial_sb, buf, TX_CHUNK, 0)) > 0) {
        if (!sg_serial_host_present()) { /* USB cable without a host: nobody to talk to */
            s_stats.serial_dropped += (uint32_t)n;
            continue;
        }
        size_t w = sg_serial_write(buf, n, TX_SERIAL_WRITE_TIMEOUT_MS);
        if (w < n) /* the host's decoder resynchronises on the next frame delimiter */
            s_stats.serial_dropped += (uint32_t)(n - w);
    }
}

/* BLE: one notification per chunk of at most MTU-3 bytes. A chunk that the stack could not
 * take (no free mbufs) is kept and retried, so congestion delays bytes but never loses them;
 * the bounded buffer in front (TX_BLE_BUF_BYTES) turns lasting congestion into refused
 * frames, which the core counts. */
static void drain_ble(void)
{
    static uint8_t pending[256];
    static size_t pending_len;
    if (!sg_ble_ready()) {
        uint8_t tmp[64];
        size_t n;
        while ((n = xStreamBufferReceive(s_ble_sb, tmp, sizeof tmp, 0)) > 0)
            s_stats.ble_dropped += (uint32_t)n;
        s_stats.ble_dropped += (uint32_t)pending_len;
        pending_len = 0;
        return;
    }
    for (;;) {
        if (pending_len == 0) {
            size_t chunk = sg_ble_max_chunk();
            if (chunk > sizeof pending)
                chunk = sizeof pending;
            pending_len = xStreamBufferReceive(s_ble_sb, pending, chunk, 0);
            if (pending_len == 0)
                return;
        }
        int rc = sg_ble_notify(pending, pending_len);
        if (rc == 0) {
            pending_len = 0;
        } else if (rc == -1) {
            return; /* congested: retry on the next wake-up (at most 10 ms away) */
        } else {
            s_stats.ble_dropped += (uint32_t)pending_len;
            pending_len = 0;
            return;
        }
    }
}

void sg_tx_task(void *arg)
{
    (void)arg;
    static uint8_t buf[TX_CHUNK];
    s_tx_task = xTaskGetCurrentTaskHandle();
    ESP_ERROR_CHECK(esp_task_wdt_add(NULL));
    for (;;) {
        /* Woken by every enqueue; the timeout bounds the BLE retry interval. */
        ulTaskNotifyTake(pdTRUE, pdMS_TO_TICKS(10));
        drain_serial(buf);
        drain_ble();
        esp_task_wdt_reset();
    }
}
