/* Shim: soc_caps.h values (ESP-IDF v5.3.1 components/soc/<target>/include/soc/soc_caps.h). */
#pragma once
#include "sdkconfig.h"
#if defined(SHIM_TARGET_ESP32)
#define SOC_CPU_CORES_NUM 2
#define SOC_I2S_NUM (2U)
#define SOC_I2S_HW_VERSION_1 (1)
#define SOC_LEDC_CHANNEL_NUM (8)
#elif defined(SHIM_TARGET_ESP32S3)
#define SOC_CPU_CORES_NUM 2
#define SOC_I2S_NUM (2U)
#define SOC_I2S_HW_VERSION_2 (1)
#define SOC_LEDC_CHANNEL_NUM (8)
#define SOC_USB_SERIAL_JTAG_SUPPORTED 1
#else
#define SOC_CPU_CORES_NUM (1U)
#define SOC_I2S_NUM (1U)
#define SOC_I2S_HW_VERSION_2 (1)
#define SOC_LEDC_CHANNEL_NUM (6)
#define SOC_USB_SERIAL_JTAG_SUPPORTED 1
#endif
