/* Shim: components/esp_hw_support/include/esp_random.h (subset). */
#pragma once
#include <stdint.h>
uint32_t esp_random(void);
