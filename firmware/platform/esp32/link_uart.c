/* Serial port on UART0: the USB-UART bridge of esp32dev and ESP32-C3-DevKitM-1.
 *
 * UART0 is also the ESP-IDF console. The console stays configured (ROM and bootloader
 * messages, panics), but once this driver is installed the application writes UART0 only
 * through sg_tx_task, and ESP_LOG output is redirected into that same queue (main.c), so
 * log text never lands inside a frame. What remains outside our control are early-boot and
 * panic prints (esp_rom_printf): the host decoder treats them as noise and resynchronises. */
#include "sg_board.h"
#if !SG_LINK_USB
#include "driver/uart.h"
#include "freertos/FreeRTOS.h"
#include "sg_esp32.h"

#define LINK_UART UART_NUM_0
#define UART_RX_BUF 4096 /* ~45 ms at 921600 baud; the RX task polls every 10 ms */
#define UART_TX_BUF 8192 /* the driver's ISR drains it; uart_write_bytes only copies */

esp_err_t sg_serial_init(void)
{
    const uart_config_t cfg = {
        .baud_rate = SG_LINK_UART_BAUD,
        .data_bits = UART_DATA_8_BITS,
        .parity = UART_PARITY_DISABLE,
        .stop_bits = UART_STOP_BITS_1,
        .flow_ctrl = UART_HW_FLOWCTRL_DISABLE,
        .source_clk = UART_SCLK_DEFAULT,
    };
    esp_err_t err = uart_driver_install(LINK_UART, UART_RX_BUF, UART_TX_BUF, 0, NULL, 0);
    if (err != ESP_OK)
        return err;
    err = uart_param_config(LINK_UART, &cfg);
    if (err != ESP_OK)
        return err;
    /* Keep the console pins (the bridge's TX/RX lines). */
    return uart_set_pin(LINK_UART, UART_PIN_NO_CHANGE, UART_PIN_NO_CHANGE, UART_PIN_NO_CHANGE,
                        UART_PIN_NO_CHANGE);
}

size_t sg_serial_read(uint8_t *buf, size_t cap, uint32_t timeout_ms)
{
    size_t avail = 0;
    if (uart_get_buffered_data_len(LINK_UART, &avail) == ESP_OK && avail > 0) {
        /* Data waiting: take what is there without waiting for a full buffer. */
        int n = uart_read_bytes(LINK_UART, buf, (uint32_t)(avail < cap ? avail : cap), 0);
        return n > 0 ? (size_t)n : 0;
    }
    /* Nothing yet: block for the first byte only, so a lone byte is not held back. */
    int n = uart_read_bytes(LINK_UART, buf, 1, pdMS_TO_TICKS(timeout_ms));
    return n > 0 ? (size_t)n : 0;
}

size_t sg_serial_write(const uint8_t *buf, size_t n, uint32_t timeout_ms)
{
    /* With a TX ring buffer, uart_write_bytes copies and returns; it only waits when the
     * ring is full, which at 921600 baud drains in under 90 ms. */
    (void)timeout_ms;
    int w = uart_write_bytes(LINK_UART, buf, n);
    return w > 0 ? (size_t)w : 0;
}

bool sg_serial_host_present(void)
{
    return true; /* a UART has no presence signal: the protocol's HELLO/timeouts decide */
}

const char *sg_serial_name(void)
{
    return "uart0";
}
#else
/* SG_LINK_USB: the serial port is link_usb.c. (ISO C wants a non-empty translation unit.) */
typedef int sg_link_uart_unused_t;
#endif
