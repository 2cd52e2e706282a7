/* Serial port on USB-Serial-JTAG: the chip's own USB port ("USB" on ESP32-S3-DevKitC-1).
 * The host sees a CDC-ACM serial port (/dev/ttyACM*, COMx); the baud rate is irrelevant.
 *
 * sdkconfig.defaults.<target> sets CONFIG_ESP_CONSOLE_SECONDARY_NONE so that the IDF console
 * does not also write to this port behind the driver's back; the console stays on UART0. */
#include "sg_board.h"
#if SG_LINK_USB
#include "driver/usb_serial_jtag.h"
#include "freertos/FreeRTOS.h"
#include "sg_esp32.h"

esp_err_t sg_serial_init(void)
{
    usb_serial_jtag_driver_config_t cfg = USB_SERIAL_JTAG_DRIVER_CONFIG_DEFAULT();
    cfg.rx_buffer_size = 2048;
    cfg.tx_buffer_size = 4096;
    return usb_serial_jtag_driver_install(&cfg);
}

size_t sg_serial_read(uint8_t *buf, size_t cap, uint32_t timeout_ms)
{
    int n = usb_serial_jtag_read_bytes(buf, (uint32_t)cap, pdMS_TO_TICKS(timeout_ms));
    return n > 0 ? (size_t)n : 0;
}

size_t sg_serial_write(const uint8_t *buf, size_t n, uint32_t timeout_ms)
{
    /* Blocks while the host is not reading (port closed); the timeout turns that into
     * dropped bytes instead of a stalled TX task. */
    int w = usb_serial_jtag_write_bytes(buf, n, pdMS_TO_TICKS(timeout_ms));
    return w > 0 ? (size_t)w : 0;
}

bool sg_serial_host_present(void)
{
    /* SOF packets seen: a USB host is attached (the port may still be closed). */
    return usb_serial_jtag_is_connected();
}

const char *sg_serial_name(void)
{
    return "usb";
}
#else
/* UART link: the serial port is link_uart.c. (ISO C wants a non-empty translation unit.) */
typedef int sg_link_usb_unused_t;
#endif
