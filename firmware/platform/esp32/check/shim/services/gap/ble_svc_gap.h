/* Shim: esp-nimble nimble/host/services/gap/include/services/gap/ble_svc_gap.h (subset). */
#pragma once
const char *ble_svc_gap_device_name(void);
int ble_svc_gap_device_name_set(const char *name);
void ble_svc_gap_init(void);
