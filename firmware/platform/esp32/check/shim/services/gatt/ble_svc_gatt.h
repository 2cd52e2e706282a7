/* Shim: esp-nimble nimble/host/services/gatt/include/services/gatt/ble_svc_gatt.h (subset). */
#pragma once
void ble_svc_gatt_init(void);
