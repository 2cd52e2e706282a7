/* Shim: esp-nimble nimble/host/include/host/ble_hs.h and the headers it includes
 * (ble_uuid.h, ble_gap.h, ble_gatt.h, ble_att.h, ble_sm.h, ble_store.h, ble_hs_adv.h,
 * ble_hs_id.h, ble_hs_mbuf.h, nimble/ble.h, os/os_mbuf.h) - only what ble_gatt.c uses,
 * names and types as in the IDF v5.3.1 submodule (esp-nimble 2cf7edde). */
#pragma once
#include <stdint.h>

/* nimble/ble.h */
typedef struct {
    uint8_t type;
    uint8_t val[6];
} ble_addr_t;
enum ble_error_codes { BLE_ERR_REM_USER_CONN_TERM = 0x13 };

/* os/os_mbuf.h: opaque here; OS_MBUF_PKTLEN reads the packet header in the real one. */
struct os_mbuf;
uint16_t shim_os_mbuf_pktlen(const struct os_mbuf *om);
#define OS_MBUF_PKTLEN(__om) shim_os_mbuf_pktlen(__om)
int os_mbuf_append(struct os_mbuf *m, const void *, uint16_t);

/* host/ble_hs.h */
#define BLE_HS_FOREVER INT32_MAX
#define BLE_HS_ENOMEM 6
#define BLE_HS_ENOTCONN 7
typedef void ble_hs_reset_fn(int reason);
typedef void ble_hs_sync_fn(void);

/* host/ble_uuid.h */
enum { BLE_UUID_TYPE_16 = 16, BLE_UUID_TYPE_32 = 32, BLE_UUID_TYPE_128 = 128 };
typedef struct {
    uint8_t type;
} ble_uuid_t;
typedef struct {
    ble_uuid_t u;
    uint8_t value[16];
} ble_uuid128_t;
#define BLE_UUID128_INIT(uuid128...) { .u = { .type = BLE_UUID_TYPE_128, }, .value = { uuid128 }, }

/* host/ble_att.h */
#define BLE_ATT_ERR_INSUFFICIENT_AUTHEN 0x05
#define BLE_ATT_ERR_INVALID_ATTR_VALUE_LEN 0x0d
#define BLE_ATT_ERR_UNLIKELY 0x0e
#define BLE_ATT_ERR_INSUFFICIENT_RES 0x11
#define BLE_ATT_MTU_DFLT 23
uint16_t ble_att_mtu(uint16_t conn_handle);

/* host/ble_sm.h */
#define BLE_SM_PAIR_KEY_DIST_ENC 0x01
#define BLE_SM_PAIR_KEY_DIST_ID 0x02
#define BLE_SM_IO_CAP_DISP_ONLY 0x00
#define BLE_SM_IO_CAP_NO_IO 0x03
#define BLE_SM_IOACT_NONE 0
#define BLE_SM_IOACT_INPUT 2
#define BLE_SM_IOACT_DISP 3
#define BLE_SM_IOACT_NUMCMP 4
struct ble_sm_io {
    uint8_t action;
    union {
        uint32_t passkey;
        uint8_t oob[16];
        uint8_t numcmp_accept;
    };
};
int ble_sm_inject_io(uint16_t conn_handle, struct ble_sm_io *pkey);

/* host/ble_store.h */
struct ble_store_status_event;
typedef int ble_store_status_fn(struct ble_store_status_event *event, void *arg);
int ble_store_util_delete_peer(const ble_addr_t *peer_id_addr);
int ble_store_util_status_rr(struct ble_store_status_event *event, void *arg);

/* host/ble_gap.h */
#define BLE_GAP_EVENT_CONNECT 0
#define BLE_GAP_EVENT_DISCONNECT 1
#define BLE_GAP_EVENT_CONN_UPDATE 3
#define BLE_GAP_EVENT_ADV_COMPLETE 9
#define BLE_GAP_EVENT_ENC_CHANGE 10
#define BLE_GAP_EVENT_PASSKEY_ACTION 11
#define BLE_GAP_EVENT_NOTIFY_TX 13
#define BLE_GAP_EVENT_SUBSCRIBE 14
#define BLE_GAP_EVENT_MTU 15
#define BLE_GAP_EVENT_REPEAT_PAIRING 17
#define BLE_GAP_REPEAT_PAIRING_RETRY 1
#define BLE_GAP_REPEAT_PAIRING_IGNORE 2
#define BLE_GAP_CONN_MODE_UND 2
#define BLE_GAP_DISC_MODE_GEN 2
struct ble_gap_sec_state {
    unsigned encrypted : 1;
    unsigned authenticated : 1;
    unsigned bonded : 1;
    unsigned key_size : 5;
    unsigned authorize : 1;
};
struct ble_gap_adv_params {
    uint8_t conn_mode;
    uint8_t disc_mode;
    uint16_t itvl_min;
    uint16_t itvl_max;
    uint8_t channel_map;
    uint8_t filter_policy;
    uint8_t high_duty_cycle : 1;
};
struct ble_gap_conn_desc {
    struct ble_gap_sec_state sec_state;
    ble_addr_t our_id_addr;
    ble_addr_t peer_id_addr;
    ble_addr_t our_ota_addr;
    ble_addr_t peer_ota_addr;
    uint16_t conn_handle;
    uint16_t conn_itvl;
    uint16_t conn_latency;
    uint16_t supervision_timeout;
    uint8_t role;
    uint8_t master_clock_accuracy;
};
struct ble_gap_passkey_params {
    uint8_t action;
    uint32_t numcmp;
};
struct ble_gap_repeat_pairing {
    uint16_t conn_handle;
    uint8_t cur_key_size;
    uint8_t cur_authenticated : 1;
    uint8_t cur_sc : 1;
    uint8_t new_key_size;
    uint8_t new_authenticated : 1;
    uint8_t new_sc : 1;
    uint8_t new_bonding : 1;
};
struct ble_gap_event {
    uint8_t type;
    union {
        struct {
            int status;
            uint16_t conn_handle;
        } connect;
        struct {
            int reason;
            struct ble_gap_conn_desc conn;
        } disconnect;
        struct {
            int status;
            uint16_t conn_handle;
        } enc_change;
        struct {
            struct ble_gap_passkey_params params;
            uint16_t conn_handle;
        } passkey;
        struct {
            uint16_t conn_handle;
            uint16_t attr_handle;
            uint8_t reason;
            uint8_t prev_notify : 1;
            uint8_t cur_notify : 1;
            uint8_t prev_indicate : 1;
            uint8_t cur_indicate : 1;
        } subscribe;
        struct {
            uint16_t conn_handle;
            uint16_t channel_id;
            uint16_t value;
        } mtu;
        struct ble_gap_repeat_pairing repeat_pairing;
    };
};
typedef int ble_gap_event_fn(struct ble_gap_event *event, void *arg);
struct ble_hs_adv_fields;
int ble_gap_adv_set_fields(const struct ble_hs_adv_fields *rsp_fields);
int ble_gap_adv_rsp_set_fields(const struct ble_hs_adv_fields *rsp_fields);
int ble_gap_adv_start(uint8_t own_addr_type, const ble_addr_t *direct_addr, int32_t duration_ms,
                      const struct ble_gap_adv_params *adv_params, ble_gap_event_fn *cb, void *cb_arg);
int ble_gap_conn_find(uint16_t handle, struct ble_gap_conn_desc *out_desc);
int ble_gap_terminate(uint16_t conn_handle, uint8_t hci_reason);
int ble_gap_security_initiate(uint16_t conn_handle);

/* host/ble_hs_adv.h */
#define BLE_HS_ADV_F_DISC_GEN 0x02
#define BLE_HS_ADV_F_BREDR_UNSUP 0x04
#define BLE_HS_ADV_TX_PWR_LVL_AUTO (-128)
struct ble_hs_adv_fields {
    uint8_t flags;
    const void *uuids16;
    uint8_t num_uuids16;
    unsigned uuids16_is_complete : 1;
    const void *uuids32;
    uint8_t num_uuids32;
    unsigned uuids32_is_complete : 1;
    const ble_uuid128_t *uuids128;
    uint8_t num_uuids128;
    unsigned uuids128_is_complete : 1;
    const uint8_t *name;
    uint8_t name_len;
    unsigned name_is_complete : 1;
    int8_t tx_pwr_lvl;
    unsigned tx_pwr_lvl_is_present : 1;
};

/* host/ble_hs_id.h */
int ble_hs_id_infer_auto(int privacy, uint8_t *out_addr_type);

/* host/ble_hs_mbuf.h */
struct os_mbuf *ble_hs_mbuf_from_flat(const void *buf, uint16_t len);
int ble_hs_mbuf_to_flat(const struct os_mbuf *om, void *flat, uint16_t max_len, uint16_t *out_copy_len);

/* host/ble_gatt.h */
#define BLE_GATT_ACCESS_OP_READ_CHR 0
#define BLE_GATT_ACCESS_OP_WRITE_CHR 1
#define BLE_GATT_ACCESS_OP_READ_DSC 2
#define BLE_GATT_ACCESS_OP_WRITE_DSC 3
#define BLE_GATT_CHR_F_READ 0x0002
#define BLE_GATT_CHR_F_WRITE_NO_RSP 0x0004
#define BLE_GATT_CHR_F_WRITE 0x0008
#define BLE_GATT_CHR_F_NOTIFY 0x0010
#define BLE_GATT_CHR_F_READ_ENC 0x0200
#define BLE_GATT_CHR_F_READ_AUTHEN 0x0400
#define BLE_GATT_CHR_F_WRITE_ENC 0x1000
#define BLE_GATT_CHR_F_WRITE_AUTHEN 0x2000
#define BLE_GATT_SVC_TYPE_PRIMARY 1
struct ble_gatt_error;
struct ble_gatt_access_ctxt;
struct ble_gatt_register_ctxt;
typedef int ble_gatt_access_fn(uint16_t conn_handle, uint16_t attr_handle, struct ble_gatt_access_ctxt *ctxt,
                               void *arg);
typedef int ble_gatt_mtu_fn(uint16_t conn_handle, const struct ble_gatt_error *error, uint16_t mtu, void *arg);
typedef void ble_gatt_register_fn(struct ble_gatt_register_ctxt *ctxt, void *arg);
typedef uint16_t ble_gatt_chr_flags;
struct ble_gatt_chr_def {
    const ble_uuid_t *uuid;
    ble_gatt_access_fn *access_cb;
    void *arg;
    struct ble_gatt_dsc_def *descriptors;
    ble_gatt_chr_flags flags;
    uint8_t min_key_size;
    uint16_t *val_handle;
    struct ble_gatt_cpfd *cpfd;
};
struct ble_gatt_svc_def {
    uint8_t type;
    const ble_uuid_t *uuid;
    const struct ble_gatt_svc_def **includes;
    const struct ble_gatt_chr_def *characteristics;
};
struct ble_gatt_access_ctxt {
    uint8_t op;
    struct os_mbuf *om;
    union {
        const struct ble_gatt_chr_def *chr;
        const struct ble_gatt_dsc_def *dsc;
    };
};
int ble_gattc_exchange_mtu(uint16_t conn_handle, ble_gatt_mtu_fn *cb, void *cb_arg);
int ble_gatts_notify_custom(uint16_t conn_handle, uint16_t att_handle, struct os_mbuf *om);
int ble_gatts_count_cfg(const struct ble_gatt_svc_def *defs);
int ble_gatts_add_svcs(const struct ble_gatt_svc_def *svcs);

/* host/ble_hs.h: the host configuration object */
struct ble_hs_cfg {
    ble_gatt_register_fn *gatts_register_cb;
    void *gatts_register_arg;
    uint8_t sm_io_cap;
    unsigned sm_oob_data_flag : 1;
    unsigned sm_bonding : 1;
    unsigned sm_mitm : 1;
    unsigned sm_sc : 1;
    unsigned sm_keypress : 1;
    uint8_t sm_our_key_dist;
    uint8_t sm_their_key_dist;
    ble_hs_reset_fn *reset_cb;
    ble_hs_sync_fn *sync_cb;
    void *store_gen_key_cb;
    void *store_read_cb;
    void *store_write_cb;
    void *store_delete_cb;
    ble_store_status_fn *store_status_cb;
    void *store_status_arg;
};
extern struct ble_hs_cfg ble_hs_cfg;
int ble_hs_synced(void);
