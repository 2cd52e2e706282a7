/* ScamGuard BLE GATT identifiers: the one definition on the board side.
 *
 * The host needs the same values; they belong in firmware/params.toml (generated for C and
 * Python). Until then this header is the source, and `make esp32-syntax` checks that the
 * string form and the byte form below agree (check/check_uuids.py).
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

#define SG_BLE_UUID_BASE_STR "9dc1xxxx-2fd3-4f1a-8953-4ccc046e4fd2"

#define SG_BLE_UUID_SERVICE_STR "9dc10001-2fd3-4f1a-8953-4ccc046e4fd2"
#define SG_BLE_UUID_AUDIO_STR   "9dc10002-2fd3-4f1a-8953-4ccc046e4fd2"
#define SG_BLE_UUID_CONTROL_STR "9dc10003-2fd3-4f1a-8953-4ccc046e4fd2"
#define SG_BLE_UUID_VERDICT_STR "9dc10004-2fd3-4f1a-8953-4ccc046e4fd2"
#define SG_BLE_UUID_INFO_STR    "9dc10005-2fd3-4f1a-8953-4ccc046e4fd2"

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
