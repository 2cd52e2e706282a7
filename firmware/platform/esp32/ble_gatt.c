/* NimBLE GATT server: one primary service (ble_uuids.h) carrying the same wire frames as the
 * serial port.
 *
 *   audio/events  notify   board -> host frames, chunked to MTU-3 per notification
 *                          (+ read, empty value, so that a host can trigger pairing by reading)
 *   control       write / write-without-response   host -> board frames
 *   verdict       write (with response)             host -> board frames (VERDICT: acknowledged
 *                          at ATT level, so a verdict is never silently lost)
 *   info          read, open: "fw=<v> board=<b> proto=<n>" (nothing sensitive)
 *
 * Host -> board bytes from control and verdict form one ordered stream (NimBLE runs every
 * access callback on its host task, in arrival order); a frame may span several writes, but
 * a host must finish one frame before it starts the next.
 *
 * Security model (privacy: call audio only over an encrypted, bonded link):
 *   - LE Secure Connections only (CONFIG_BT_NIMBLE_SM_LEGACY=n, sm_sc=1), MITM protection
 *     (sm_mitm=1), bonding (sm_bonding=1), bonds kept in NVS (CONFIG_BT_NIMBLE_NVS_PERSIST,
 *     ble_store_config_init).
 *   - IO capability DisplayOnly: the board has no screen or keypad, so its "display" is the
 *     6-digit passkey printed on the serial console at boot and at pairing time (and on the
 *     label the maker writes, docs/hardware.md). The host user types it in: passkey entry,
 *     authenticated. NoInputNoOutput would give "Just Works", which is unauthenticated and
 *     open to a man in the middle. A fixed passkey is weaker than a fresh one against an
 *     attacker who watches many pairings, so new bonds are accepted only during a pairing
 *     window after power-up (SG_BLE_PAIRING_WINDOW_S); bonded hosts reconnect at any time.
 *   - The GATT flags make the stack refuse unencrypted/unauthenticated access; on top of
 *     that, no notification is sent and no write is accepted unless the connection is
 *     encrypted, authenticated, bonded and uses a 16-byte key (conn_is_secure), and a
 *     connection that is not secure after SECURE_DEADLINE_MS is dropped, so a stranger
 *     cannot occupy the board's single connection. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "freertos/FreeRTOS.h"
#include "esp_log.h"
#include "esp_mac.h"
#include "esp_random.h"
#include "esp_timer.h"
#include "nvs.h"
#include "nimble/nimble_port.h"
#include "nimble/nimble_port_freertos.h"
#include "host/ble_hs.h"
#include "host/util/util.h"
#include "services/gap/ble_svc_gap.h"
#include "services/gatt/ble_svc_gatt.h"
#include "ble_uuids.h"
#include "sg_board.h"
#include "sg_esp32.h"
#include "sg_frame.h"

/* Defined by NimBLE's store/config package but not declared in its public header. */
void ble_store_config_init(void);

#define SECURE_DEADLINE_MS 30000u
#define ATT_MTU_DEFAULT 23u
#define KEY_SIZE_REQUIRED 16u

static const char *TAG = "sg_ble";

enum { CHR_AUDIO = 1, CHR_CONTROL, CHR_VERDICT, CHR_INFO };

static const ble_uuid128_t s_uuid_svc = BLE_UUID128_INIT(SG_BLE_UUID128_OF(SG_BLE_SHORT_SERVICE));
static const ble_uuid128_t s_uuid_audio = BLE_UUID128_INIT(SG_BLE_UUID128_OF(SG_BLE_SHORT_AUDIO));
static const ble_uuid128_t s_uuid_control = BLE_UUID128_INIT(SG_BLE_UUID128_OF(SG_BLE_SHORT_CONTROL));
static const ble_uuid128_t s_uuid_verdict = BLE_UUID128_INIT(SG_BLE_UUID128_OF(SG_BLE_SHORT_VERDICT));
static const ble_uuid128_t s_uuid_info = BLE_UUID128_INIT(SG_BLE_UUID128_OF(SG_BLE_SHORT_INFO));

/* Connection state: written by the NimBLE host task, read by the TX and tick tasks. */
static portMUX_TYPE s_mux = portMUX_INITIALIZER_UNLOCKED;
static struct {
    bool connected, secure, subscribed;
    uint16_t conn;
    uint16_t mtu;
    uint32_t connect_ms;
} s_st;

static uint16_t s_audio_handle;
static uint8_t s_own_addr_type;
static uint32_t s_passkey;
static char s_info[64];
static char s_name[24];

static int gap_event(struct ble_gap_event *ev, void *arg);

static int conn_is_secure(uint16_t conn)
{
    struct ble_gap_conn_desc d;
    if (ble_gap_conn_find(conn, &d) != 0)
        return 0;
    return d.sec_state.encrypted && d.sec_state.authenticated && d.sec_state.bonded &&
           d.sec_state.key_size >= KEY_SIZE_REQUIRED;
}

static bool pairing_window_open(void)
{
    if (SG_BLE_PAIRING_WINDOW_S == 0)
        return true;
    return esp_timer_get_time() < (int64_t)SG_BLE_PAIRING_WINDOW_S * 1000000;
}

static int chr_access(uint16_t conn, uint16_t attr, struct ble_gatt_access_ctxt *ctxt, void *arg)
{
    static uint8_t wbuf[SG_FRAME_WIRE_MAX]; /* host task only */
    int which = (int)(intptr_t)arg;
    (void)attr;
    switch (ctxt->op) {
    case BLE_GATT_ACCESS_OP_READ_CHR:
        if (which == CHR_INFO)
            return os_mbuf_append(ctxt->om, s_info, (uint16_t)strlen(s_info)) == 0 ? 0 : BLE_ATT_ERR_INSUFFICIENT_RES;
        return 0; /* audio/events: empty value; the read only exists to trigger pairing */
    case BLE_GATT_ACCESS_OP_WRITE_CHR: {
        if (which != CHR_CONTROL && which != CHR_VERDICT)
            return BLE_ATT_ERR_UNLIKELY;
        if (!conn_is_secure(conn))
            return BLE_ATT_ERR_INSUFFICIENT_AUTHEN;
        uint16_t len = OS_MBUF_PKTLEN(ctxt->om);
        uint16_t copied = 0;
        if (len > sizeof wbuf)
            return BLE_ATT_ERR_INVALID_ATTR_VALUE_LEN;
        if (ble_hs_mbuf_to_flat(ctxt->om, wbuf, sizeof wbuf, &copied) != 0)
            return BLE_ATT_ERR_UNLIKELY;
        return sg_link_ble_rx(wbuf, copied) == 0 ? 0 : BLE_ATT_ERR_INSUFFICIENT_RES;
    }
    default:
        return BLE_ATT_ERR_UNLIKELY;
    }
}

#define CHR_FLAGS_SECURE_READ (BLE_GATT_CHR_F_READ | BLE_GATT_CHR_F_READ_ENC | BLE_GATT_CHR_F_READ_AUTHEN)
#define CHR_FLAGS_SECURE_WRITE (BLE_GATT_CHR_F_WRITE | BLE_GATT_CHR_F_WRITE_ENC | BLE_GATT_CHR_F_WRITE_AUTHEN)

static const struct ble_gatt_svc_def s_services[] = {
    {
        .type = BLE_GATT_SVC_TYPE_PRIMARY,
        .uuid = &s_uuid_svc.u,
        .characteristics = (struct ble_gatt_chr_def[]){
            {
                .uuid = &s_uuid_audio.u,
                .access_cb = chr_access,
                .arg = (void *)(intptr_t)CHR_AUDIO,
                .flags = BLE_GATT_CHR_F_NOTIFY | CHR_FLAGS_SECURE_READ,
                .min_key_size = KEY_SIZE_REQUIRED,
                .val_handle = &s_audio_handle,
            },
            {
                .uuid = &s_uuid_control.u,
                .access_cb = chr_access,
                .arg = (void *)(intptr_t)CHR_CONTROL,
                .flags = CHR_FLAGS_SECURE_WRITE | BLE_GATT_CHR_F_WRITE_NO_RSP,
                .min_key_size = KEY_SIZE_REQUIRED,
            },
            {
                .uuid = &s_uuid_verdict.u,
                .access_cb = chr_access,
                .arg = (void *)(intptr_t)CHR_VERDICT,
                .flags = CHR_FLAGS_SECURE_WRITE,
                .min_key_size = KEY_SIZE_REQUIRED,
            },
            {
                .uuid = &s_uuid_info.u,
                .access_cb = chr_access,
                .arg = (void *)(intptr_t)CHR_INFO,
                .flags = BLE_GATT_CHR_F_READ,
            },
            {0},
        },
    },
    {0},
};

static void start_advertising(void)
{
    struct ble_hs_adv_fields adv;
    memset(&adv, 0, sizeof adv);
    adv.flags = BLE_HS_ADV_F_DISC_GEN | BLE_HS_ADV_F_BREDR_UNSUP;
    adv.uuids128 = &s_uuid_svc; /* 3 + 18 bytes: fits the 31-byte legacy payload */
    adv.num_uuids128 = 1;
    adv.uuids128_is_complete = 1;
    int rc = ble_gap_adv_set_fields(&adv);
    if (rc != 0) {
        ESP_LOGE(TAG, "adv fields rc=%d", rc);
        return;
    }
    struct ble_hs_adv_fields rsp; /* the name goes into the scan response */
    memset(&rsp, 0, sizeof rsp);
    const char *name = ble_svc_gap_device_name();
    rsp.name = (const uint8_t *)name;
    rsp.name_len = (uint8_t)strlen(name);
    rsp.name_is_complete = 1;
    rc = ble_gap_adv_rsp_set_fields(&rsp);
    if (rc != 0) {
        ESP_LOGE(TAG, "scan response rc=%d", rc);
        return;
    }
    struct ble_gap_adv_params params;
    memset(&params, 0, sizeof params);
    params.conn_mode = BLE_GAP_CONN_MODE_UND;
    params.disc_mode = BLE_GAP_DISC_MODE_GEN;
    rc = ble_gap_adv_start(s_own_addr_type, NULL, BLE_HS_FOREVER, &params, gap_event, NULL);
    if (rc != 0)
        ESP_LOGE(TAG, "adv start rc=%d", rc);
}

static void set_state_disconnected(void)
{
    taskENTER_CRITICAL(&s_mux);
    s_st.connected = s_st.secure = s_st.subscribed = false;
    s_st.mtu = ATT_MTU_DEFAULT;
    taskEXIT_CRITICAL(&s_mux);
}

static void on_passkey(uint16_t conn, uint8_t action)
{
    if (action != BLE_SM_IOACT_DISP) {
        /* DisplayOnly never asks for input or numeric comparison; refuse anything else. */
        ESP_LOGW(TAG, "pairing refused: unexpected io action %u", action);
        ble_gap_terminate(conn, BLE_ERR_REM_USER_CONN_TERM);
        return;
    }
    if (!pairing_window_open()) {
        ESP_LOGW(TAG, "pairing refused: window closed (power-cycle the board to pair a new host)");
        ble_gap_terminate(conn, BLE_ERR_REM_USER_CONN_TERM);
        return;
    }
    struct ble_sm_io io;
    memset(&io, 0, sizeof io);
    io.action = BLE_SM_IOACT_DISP;
    io.passkey = s_passkey;
    int rc = ble_sm_inject_io(conn, &io);
    ESP_LOGI(TAG, "pairing: enter passkey %06lu on the host (rc=%d)", (unsigned long)s_passkey, rc);
}

static int gap_event(struct ble_gap_event *ev, void *arg)
{
    (void)arg;
    switch (ev->type) {
    case BLE_GAP_EVENT_CONNECT:
        if (ev->connect.status != 0) {
            start_advertising();
            return 0;
        }
        taskENTER_CRITICAL(&s_mux);
        s_st.connected = true;
        s_st.secure = s_st.subscribed = false;
        s_st.conn = ev->connect.conn_handle;
        s_st.mtu = ATT_MTU_DEFAULT;
        s_st.connect_ms = sg_now_ms();
        taskEXIT_CRITICAL(&s_mux);
        ESP_LOGI(TAG, "connected conn=%u", ev->connect.conn_handle);
        /* Ask for a larger MTU (fewer, fuller notifications) and for encryption at once:
         * a bonded host re-encrypts silently, a new one starts passkey pairing. */
        ble_gattc_exchange_mtu(ev->connect.conn_handle, NULL, NULL);
        ble_gap_security_initiate(ev->connect.conn_handle);
        return 0;
    case BLE_GAP_EVENT_DISCONNECT:
        ESP_LOGI(TAG, "disconnected reason=%d", ev->disconnect.reason);
        set_state_disconnected();
        start_advertising();
        return 0;
    case BLE_GAP_EVENT_ENC_CHANGE: {
        int ok = ev->enc_change.status == 0 && conn_is_secure(ev->enc_change.conn_handle);
        taskENTER_CRITICAL(&s_mux);
        s_st.secure = ok;
        taskEXIT_CRITICAL(&s_mux);
        ESP_LOGI(TAG, "encryption status=%d secure=%d", ev->enc_change.status, ok);
        if (!ok)
            ble_gap_terminate(ev->enc_change.conn_handle, BLE_ERR_REM_USER_CONN_TERM);
        return 0;
    }
    case BLE_GAP_EVENT_SUBSCRIBE:
        if (ev->subscribe.attr_handle == s_audio_handle) {
            taskENTER_CRITICAL(&s_mux);
            s_st.subscribed = ev->subscribe.cur_notify;
            taskEXIT_CRITICAL(&s_mux);
            ESP_LOGI(TAG, "audio/events notify=%d", ev->subscribe.cur_notify);
        }
        return 0;
    case BLE_GAP_EVENT_MTU:
        taskENTER_CRITICAL(&s_mux);
        s_st.mtu = ev->mtu.value;
        taskEXIT_CRITICAL(&s_mux);
        ESP_LOGI(TAG, "mtu=%u", ev->mtu.value);
        return 0;
    case BLE_GAP_EVENT_PASSKEY_ACTION:
        on_passkey(ev->passkey.conn_handle, ev->passkey.params.action);
        return 0;
    case BLE_GAP_EVENT_REPEAT_PAIRING: {
        /* A bonded host lost its keys and pairs again. Inside the pairing window: forget the
         * old bond and retry; outside it: refuse (a stranger could claim a bonded address). */
        if (!pairing_window_open())
            return BLE_GAP_REPEAT_PAIRING_IGNORE;
        struct ble_gap_conn_desc d;
        if (ble_gap_conn_find(ev->repeat_pairing.conn_handle, &d) == 0)
            ble_store_util_delete_peer(&d.peer_id_addr);
        return BLE_GAP_REPEAT_PAIRING_RETRY;
    }
    case BLE_GAP_EVENT_ADV_COMPLETE:
        start_advertising();
        return 0;
    default:
        return 0;
    }
}

static void on_sync(void)
{
    int rc = ble_hs_util_ensure_addr(0);
    if (rc == 0)
        rc = ble_hs_id_infer_auto(0, &s_own_addr_type);
    if (rc != 0) {
        ESP_LOGE(TAG, "no usable BLE address rc=%d", rc);
        return;
    }
    start_advertising();
    ESP_LOGI(TAG, "advertising name=%s service=%s", ble_svc_gap_device_name(), SG_BLE_UUID_SERVICE_STR);
}

static void on_reset(int reason)
{
    ESP_LOGW(TAG, "host reset reason=%d", reason);
    set_state_disconnected();
}

static void host_task(void *param)
{
    (void)param;
    nimble_port_run(); /* returns only after nimble_port_stop() */
    nimble_port_freertos_deinit();
}

/* Per-board random passkey, created once (after the radio is on, so esp_random() draws
 * from the hardware RNG with RF noise) and kept in NVS; or the fixed Kconfig value. */
static void load_passkey(void)
{
    if (SG_BLE_PASSKEY != 0) {
        s_passkey = (uint32_t)SG_BLE_PASSKEY;
        return;
    }
    nvs_handle_t h;
    if (nvs_open("sg_ble", NVS_READWRITE, &h) != ESP_OK) {
        s_passkey = esp_random() % 1000000u;
        return;
    }
    if (nvs_get_u32(h, "passkey", &s_passkey) != ESP_OK || s_passkey > 999999u) {
        s_passkey = esp_random() % 1000000u;
        if (nvs_set_u32(h, "passkey", s_passkey) == ESP_OK)
            nvs_commit(h);
    }
    nvs_close(h);
}

esp_err_t sg_ble_init(const char *info_text)
{
    set_state_disconnected();
    snprintf(s_info, sizeof s_info, "%s", info_text);
    esp_err_t err = nimble_port_init();
    if (err != ESP_OK)
        return err;

    ble_hs_cfg.reset_cb = on_reset;
    ble_hs_cfg.sync_cb = on_sync;
    ble_hs_cfg.store_status_cb = ble_store_util_status_rr;
    ble_hs_cfg.sm_io_cap = BLE_SM_IO_CAP_DISP_ONLY;
    ble_hs_cfg.sm_bonding = 1;
    ble_hs_cfg.sm_mitm = 1;
    ble_hs_cfg.sm_sc = 1;
    ble_hs_cfg.sm_our_key_dist = BLE_SM_PAIR_KEY_DIST_ENC | BLE_SM_PAIR_KEY_DIST_ID;
    ble_hs_cfg.sm_their_key_dist = BLE_SM_PAIR_KEY_DIST_ENC | BLE_SM_PAIR_KEY_DIST_ID;

    ble_svc_gap_init();
    ble_svc_gatt_init();
    int rc = ble_gatts_count_cfg(s_services);
    if (rc == 0)
        rc = ble_gatts_add_svcs(s_services);
    if (rc != 0) {
        ESP_LOGE(TAG, "GATT table rc=%d", rc);
        return ESP_FAIL;
    }

    uint8_t mac[6] = {0};
    esp_read_mac(mac, ESP_MAC_BT);
    snprintf(s_name, sizeof s_name, "ScamGuard-%02X%02X", mac[4], mac[5]);
    ble_svc_gap_device_name_set(s_name);
    ble_store_config_init();

    load_passkey();
    ESP_LOGI(TAG, "passkey=%06lu pairing_window_s=%d (write the passkey on the board's label)",
             (unsigned long)s_passkey, (int)SG_BLE_PAIRING_WINDOW_S);

    nimble_port_freertos_init(host_task);
    return ESP_OK;
}

bool sg_ble_ready(void)
{
    taskENTER_CRITICAL(&s_mux);
    bool ready = s_st.connected && s_st.secure && s_st.subscribed;
    taskEXIT_CRITICAL(&s_mux);
    return ready;
}

size_t sg_ble_max_chunk(void)
{
    taskENTER_CRITICAL(&s_mux);
    uint16_t mtu = s_st.mtu;
    taskEXIT_CRITICAL(&s_mux);
    return mtu > 3u ? (size_t)mtu - 3u : 20u; /* ATT notification header: 3 bytes */
}

int sg_ble_notify(const uint8_t *data, size_t len)
{
    taskENTER_CRITICAL(&s_mux);
    bool ready = s_st.connected && s_st.secure && s_st.subscribed;
    uint16_t conn = s_st.conn;
    taskEXIT_CRITICAL(&s_mux);
    if (!ready)
        return -2;
    /* Re-check with the stack: the cached flag can lag a disconnect by one event. */
    if (!conn_is_secure(conn))
        return -2;
    struct os_mbuf *om = ble_hs_mbuf_from_flat(data, (uint16_t)len);
    if (om == NULL)
        return -1;
    int rc = ble_gatts_notify_custom(conn, s_audio_handle, om); /* consumes om */
    if (rc == 0)
        return 0;
    return rc == BLE_HS_ENOMEM ? -1 : -2;
}

void sg_ble_poll(uint32_t now_ms)
{
    taskENTER_CRITICAL(&s_mux);
    bool stale = s_st.connected && !s_st.secure && (uint32_t)(now_ms - s_st.connect_ms) > SECURE_DEADLINE_MS;
    uint16_t conn = s_st.conn;
    if (stale)
        s_st.connect_ms = now_ms; /* terminate once, not every tick */
    taskEXIT_CRITICAL(&s_mux);
    if (stale) {
        ESP_LOGW(TAG, "dropping connection that did not secure itself in %u s", SECURE_DEADLINE_MS / 1000u);
        ble_gap_terminate(conn, BLE_ERR_REM_USER_CONN_TERM);
    }
}
