/* ScamGuard BLE GATT identifiers.
 *
 * The UUID strings are defined once, in firmware/params.toml [ble] (generated into
 * sg_params.h here and params.py for the host). NimBLE needs them as byte initialisers, which
 * the C preprocessor cannot derive from a string, so the byte form below is written out and
 * `make esp32-syntax` checks it against params.toml (check/check_uuids.py).
 *
 *   service        9dc10001-2fd3-4f1a-8953-4ccc046e4fd2  primary
 *   audio/events   9dc10002-2fd3-4f1a-8953-4ccc046e4fd2  notify (+read, encrypted+authenticated)
 *   control        9dc10003-2fd3-4f1a-8953-4ccc046e4fd2  write / write-without-response (enc+auth)
 *   verdict        9dc10004-2fd3-4f1a-8953-4ccc046e4fd2  write with response (enc+auth)
 *   info           9dc10005-2fd3-4f1a-8953-4ccc046e4fd2  read, open: "fw=.. board=.. proto=.."
 *
 * All five share one random 128-bit base; only bytes 2..3 (the 16-bit "short id") differ.
 * NimBLE's BLE_UUID128_INIT takes the 16 bytes least-significant first, i.e. the string
 * read backwards byte by byte. */
#ifndef SG_BLE_UUIDS_H
#define SG_BLE_UUIDS_H

#include "sg_params.h"

#define SG_BLE_UUID_SERVICE_STR SG_BLE_UUID_SERVICE
#define SG_BLE_UUID_AUDIO_STR   SG_BLE_UUID_AUDIO
#define SG_BLE_UUID_CONTROL_STR SG_BLE_UUID_CONTROL
#define SG_BLE_UUID_VERDICT_STR SG_BLE_UUID_VERDICT
#define SG_BLE_UUID_INFO_STR    SG_BLE_UUID_INFO

/* Little-endian byte list for BLE_UUID128_INIT(); lo/hi = the short id's low/high byte. */
#define SG_BLE_UUID128_BYTES(lo, hi) \
    0xd2, 0x4f, 0x6e, 0x04, 0xcc, 0x4c, 0x53, 0x89, 0x1a, 0x4f, 0xd3, 0x2f, (lo), (hi), 0xc1, 0x9d

#define SG_BLE_SHORT_SERVICE 0x0001
#define SG_BLE_SHORT_AUDIO   0x0002
#define SG_BLE_SHORT_CONTROL 0x0003
#define SG_BLE_SHORT_VERDICT 0x0004
#define SG_BLE_SHORT_INFO    0x0005

#define SG_BLE_UUID128_OF(short_id) \
    SG_BLE_UUID128_BYTES(((short_id) & 0xff), (((short_id) >> 8) & 0xff))

#endif
