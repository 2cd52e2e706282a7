/* Shim: esp-nimble porting/npl/freertos/include/nimble/nimble_port_freertos.h. */
#pragma once
#include "freertos/FreeRTOS.h"
#include "freertos/task.h"
void nimble_port_freertos_init(TaskFunction_t host_task_fn);
void nimble_port_freertos_deinit(void);
