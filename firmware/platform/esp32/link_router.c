/* Which transport carries the protocol, and the link RX task.
 *
 * The core has one byte stream to the host. The board offers two: the serial port (always
 * there) and BLE (only once a bonded, authenticated LE Secure Connections session has
 * subscribed to audio/events). A secure BLE session wins; when it ends, serial takes over.
 *
 * A switch is a new session for the core: it hears transport-down for the old one, one 0x00
 * byte (a frame delimiter, which resets the frame decoder if the old stream stopped inside
 * a frame), then transport-up for the new one. The core then waits for a HELLO on the new
 * transport before it calls the link up (sg_app_link.c), so a different host on the other
 * transport is never mistaken for the previous one. */
#include "freertos/FreeRTOS.h"
#include "freertos/stream_buffer.h"
#include "freertos/task.h"
#include "esp_log.h"
#include "esp_task_wdt.h"
#include "sg_esp32.h"

#define BLE_RX_BUF_BYTES 4096u /* several long GATT writes */
#define RX_CHUNK 256u
#define RX_POLL_MS 10u          /* serial read timeout = worst-case added latency for BLE RX */

static const char *TAG = "sg_link";
static StreamBufferHandle_t s_ble_rx; /* one writer (NimBLE host task), one reader (RX task) */
static sg_route_t s_route = SG_ROUTE_SERIAL;
static int s_transport_up = -1;       /* -1: the core has not been told yet */
static uint32_t s_rx_dropped;         /* bytes that arrived on the inactive transport */

esp_err_t sg_link_init(void)
{
    s_ble_rx = xStreamBufferCreate(BLE_RX_BUF_BYTES, 1);
    return s_ble_rx ? ESP_OK : ESP_ERR_NO_MEM;
}

int sg_link_ble_rx(const uint8_t *data, size_t len)
{
    /* Single writer: no lock needed. All-or-nothing so a GATT write is never half-queued;
     * on failure the GATT layer answers "insufficient resources" and the host retries. */
    if (xStreamBufferSpacesAvailable(s_ble_rx) < len)
        return -1;
    xStreamBufferSend(s_ble_rx, data, len, 0);
    return 0;
}

uint32_t sg_link_rx_dropped(void)
{
    return s_rx_dropped;
}

void sg_link_poll(void)
{
    sg_route_t want = sg_ble_ready() ? SG_ROUTE_BLE : SG_ROUTE_SERIAL;
    int up = (want == SG_ROUTE_BLE) ? 1 : (sg_serial_host_present() ? 1 : 0);
    if (want == s_route && up == s_transport_up)
        return;

    sg_core_lock();
    sg_app_t *app = sg_core_app();
    if (want != s_route) {
        static const uint8_t delimiter = 0x00;
        if (s_transport_up == 1)
            sg_app_on_link_transport(app, 0);
        s_route = want;
        sg_tx_set_route(want);
        sg_app_on_link_bytes(app, &delimiter, 1);
        s_transport_up = -1;
    }
    if (up != s_transport_up) {
        sg_app_on_link_transport(app, up);
        s_transport_up = up;
    }
    sg_core_unlock();
    ESP_LOGI(TAG, "transport=%s up=%d", want == SG_ROUTE_BLE ? "ble" : sg_serial_name(), up);
}

/* Feeds bytes to the core if they came from the active transport. The route is checked
 * under the core lock, so bytes read just before a switch cannot reach the new session. */
static void deliver(sg_route_t from, const uint8_t *buf, size_t n)
{
    sg_core_lock();
    if (s_route == from)
        sg_app_on_link_bytes(sg_core_app(), buf, n);
    else
        s_rx_dropped += (uint32_t)n;
    sg_core_unlock();
}

void sg_link_rx_task(void *arg)
{
    (void)arg;
    static uint8_t buf[RX_CHUNK];
    ESP_ERROR_CHECK(esp_task_wdt_add(NULL));
    for (;;) {
        size_t n = sg_serial_read(buf, sizeof buf, RX_POLL_MS);
        if (n > 0)
            deliver(SG_ROUTE_SERIAL, buf, n);
        while ((n = xStreamBufferReceive(s_ble_rx, buf, sizeof buf, 0)) > 0)
            deliver(SG_ROUTE_BLE, buf, n);
        esp_task_wdt_reset();
    }
}
