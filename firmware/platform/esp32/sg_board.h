/* Board options for the ESP32 platform layer, resolved once.
 *
 * Precedence: a -DSG_... build flag (platformio.ini) > menuconfig (Kconfig.projbuild,
 * sdkconfig) > nothing: every option has a Kconfig default, so a plain idf.py build works. */
#ifndef SG_BOARD_H
#define SG_BOARD_H
#include "sdkconfig.h"
#include "soc/soc_caps.h"

#ifndef SG_PIN_I2S_SCK
#define SG_PIN_I2S_SCK CONFIG_SG_PIN_I2S_SCK
#endif
#ifndef SG_PIN_I2S_WS
#define SG_PIN_I2S_WS CONFIG_SG_PIN_I2S_WS
#endif
#ifndef SG_PIN_I2S_SD
#define SG_PIN_I2S_SD CONFIG_SG_PIN_I2S_SD
#endif
#ifndef SG_PIN_LED_R
#define SG_PIN_LED_R CONFIG_SG_PIN_LED_R
#endif
#ifndef SG_PIN_LED_G
#define SG_PIN_LED_G CONFIG_SG_PIN_LED_G
#endif
#ifndef SG_PIN_LED_B
#define SG_PIN_LED_B CONFIG_SG_PIN_LED_B
#endif
#ifndef SG_PIN_SPEAKER
#define SG_PIN_SPEAKER CONFIG_SG_PIN_SPEAKER
#endif
#ifndef SG_LED_ACTIVE_LOW
#ifdef CONFIG_SG_LED_ACTIVE_LOW
#define SG_LED_ACTIVE_LOW 1
#else
#define SG_LED_ACTIVE_LOW 0
#endif
#endif

/* SG_LINK_USB: 1 = USB-Serial-JTAG, 0 = UART0. */
#ifndef SG_LINK_USB
#ifdef CONFIG_SG_LINK_USB_SERIAL_JTAG
#define SG_LINK_USB 1
#else
#define SG_LINK_USB 0
#endif
#endif
#if SG_LINK_USB && !defined(SOC_USB_SERIAL_JTAG_SUPPORTED)
#error "SG_LINK_USB=1 needs a chip with USB-Serial-JTAG (ESP32-S3, ESP32-C3); the ESP32 has none"
#endif
#ifndef SG_LINK_UART_BAUD
#ifdef CONFIG_SG_LINK_UART_BAUD
#define SG_LINK_UART_BAUD CONFIG_SG_LINK_UART_BAUD
#else
#define SG_LINK_UART_BAUD 921600
#endif
#endif

#ifndef SG_BLE_PASSKEY
#define SG_BLE_PASSKEY CONFIG_SG_BLE_PASSKEY
#endif
#ifndef SG_BLE_PAIRING_WINDOW_S
#define SG_BLE_PAIRING_WINDOW_S CONFIG_SG_BLE_PAIRING_WINDOW_S
#endif

#define SG_BOARD_NAME CONFIG_SG_BOARD_NAME

/* Dual-core chips (ESP32, ESP32-S3) run the audio task on core 1, away from the Bluetooth
 * controller and NimBLE host on core 0; single-core chips (ESP32-C3) have only core 0. */
#if SOC_CPU_CORES_NUM > 1 && !defined(CONFIG_FREERTOS_UNICORE)
#define SG_AUDIO_CORE 1
#else
#define SG_AUDIO_CORE 0
#endif

#endif
