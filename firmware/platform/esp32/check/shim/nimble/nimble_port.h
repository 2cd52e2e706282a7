/* Shim: esp-nimble porting/nimble/include/nimble/nimble_port.h (IDF v5.3.1 submodule). */
#pragma once
#include "esp_err.h"
esp_err_t nimble_port_init(void);
esp_err_t nimble_port_deinit(void);
void nimble_port_run(void);
int nimble_port_stop(void);
