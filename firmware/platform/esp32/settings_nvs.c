/* Settings in NVS: the CONFIG values a host set survive a reboot.
 *
 * At boot, sg_settings_load() puts the stored values (each range-checked against the same
 * limits the core uses) on top of the defaults before sg_app_init(). At run time the core
 * reports every accepted CONFIG as the console line `CONFIG key=<name> value=<v> status=ok`
 * (the log contract in sg_app.h); the platform sees that line on its way out, remembers the
 * value, and the tick task writes it once no change has come for SAVE_QUIET_MS, so a host
 * that sends several CONFIG frames causes one flash write, not several. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "freertos/FreeRTOS.h"
#include "esp_log.h"
#include "nvs.h"
#include "sg_esp32.h"
#include "sg_kws.h"
#include "sg_params.h"

#define NVS_NS "sg_cfg"
#define SAVE_QUIET_MS 2000u

static const char *TAG = "sg_cfg";

typedef struct {
    uint8_t key;      /* SG_PROTOCOL_CONFIG_* */
    const char *name; /* as in `CONFIG key=<name>`: params.toml's [protocol.config] in lower case */
    const char *nvs;  /* NVS key (<= 15 chars) */
    int32_t min, max;
} setting_t;

static const setting_t SETTINGS[] = {
    {SG_PROTOCOL_CONFIG_SEGMENT_MS, "segment_ms", "segment_ms", SG_SEGMENTER_MIN_SEGMENT_MS, SG_SEGMENTER_MAX_SEGMENT_MS},
    {SG_PROTOCOL_CONFIG_OVERLAP_PCT, "overlap_pct", "overlap_pct", 0, SG_SEGMENTER_MAX_OVERLAP_PCT},
    {SG_PROTOCOL_CONFIG_SEG_MODE, "seg_mode", "seg_mode", SG_SEGMENTER_MODE_FIXED, SG_SEGMENTER_MODE_VAD_CUT},
    {SG_PROTOCOL_CONFIG_GAIN_Q8, "gain_q8", "gain_q8", SG_FRONTEND_MIN_GAIN_Q8, SG_FRONTEND_MAX_GAIN_Q8},
    {SG_PROTOCOL_CONFIG_LOCAL_ALERT_HITS, "local_alert_hits", "la_hits", 1, SG_KWS_MAX_LOCAL_HITS},
    {SG_PROTOCOL_CONFIG_LOCAL_ALERT_WINDOW_MS, "local_alert_window_ms", "la_window_ms", SG_KWS_MIN_LOCAL_WINDOW_MS,
     SG_KWS_MAX_LOCAL_WINDOW_MS},
    {SG_PROTOCOL_CONFIG_CODEC, "codec", "codec", SG_PROTOCOL_CODEC_PCM16, SG_PROTOCOL_CODEC_IMA_ADPCM},
};
#define N_SETTINGS (sizeof SETTINGS / sizeof SETTINGS[0])

static portMUX_TYPE s_mux = portMUX_INITIALIZER_UNLOCKED;
static int32_t s_pending[N_SETTINGS];
static uint32_t s_dirty;     /* bit i: SETTINGS[i] changed and is not saved yet */
static uint32_t s_changed_ms;
static bool s_change_seen;

static void apply(sg_app_config_t *cfg, uint8_t key, int32_t v)
{
    switch (key) {
    case SG_PROTOCOL_CONFIG_SEGMENT_MS: cfg->segment_ms = (uint16_t)v; break;
    case SG_PROTOCOL_CONFIG_OVERLAP_PCT: cfg->overlap_pct = (uint8_t)v; break;
    case SG_PROTOCOL_CONFIG_SEG_MODE: cfg->seg_mode = (uint8_t)v; break;
    case SG_PROTOCOL_CONFIG_GAIN_Q8: cfg->gain_q8 = (int16_t)v; break;
    case SG_PROTOCOL_CONFIG_LOCAL_ALERT_HITS: cfg->local_alert_hits = (uint8_t)v; break;
    case SG_PROTOCOL_CONFIG_LOCAL_ALERT_WINDOW_MS: cfg->local_alert_window_ms = (uint32_t)v; break;
    case SG_PROTOCOL_CONFIG_CODEC: cfg->codec = (uint8_t)v; break;
    default: break;
    }
}

void sg_settings_load(sg_app_config_t *cfg)
{
    nvs_handle_t h;
    esp_err_t err = nvs_open(NVS_NS, NVS_READONLY, &h);
    if (err != ESP_OK) { /* ESP_ERR_NVS_NOT_FOUND: nothing saved yet */
        ESP_LOGI(TAG, "no saved settings (%s)", esp_err_to_name(err));
        return;
    }
    for (size_t i = 0; i < N_SETTINGS; i++) {
        uint32_t raw; /* stored as the int32 bit pattern */
        if (nvs_get_u32(h, SETTINGS[i].nvs, &raw) != ESP_OK)
            continue;
        int32_t v = (int32_t)raw;
        if (v < SETTINGS[i].min || v > SETTINGS[i].max) {
            ESP_LOGW(TAG, "ignoring saved %s=%ld (out of range)", SETTINGS[i].name, (long)v);
            continue;
        }
        apply(cfg, SETTINGS[i].key, v);
        ESP_LOGI(TAG, "saved %s=%ld", SETTINGS[i].name, (long)v);
    }
    nvs_close(h);
}

/* Value text: a decimal integer, or a name for the enumerated settings. */
static bool parse_value(uint8_t key, const char *s, size_t n, int32_t *out)
{
    char buf[24];
    if (n == 0 || n >= sizeof buf)
        return false;
    memcpy(buf, s, n);
    buf[n] = '\0';
    if (key == SG_PROTOCOL_CONFIG_SEG_MODE) {
        if (!strcmp(buf, "fixed")) { *out = SG_SEGMENTER_MODE_FIXED; return true; }
        if (!strcmp(buf, "vad_cut") || !strcmp(buf, "vad-cut")) { *out = SG_SEGMENTER_MODE_VAD_CUT; return true; }
    }
    if (key == SG_PROTOCOL_CONFIG_CODEC) {
        if (!strcmp(buf, "pcm16")) { *out = SG_PROTOCOL_CODEC_PCM16; return true; }
        if (!strcmp(buf, "ima_adpcm") || !strcmp(buf, "ima-adpcm") || !strcmp(buf, "adpcm")) {
            *out = SG_PROTOCOL_CODEC_IMA_ADPCM;
            return true;
        }
    }
    char *end = NULL;
    long v = strtol(buf, &end, 10);
    if (end == buf || *end != '\0')
        return false;
    *out = (int32_t)v;
    return true;
}

/* Finds `field=` in line and returns the value's start and length (up to the next space). */
static const char *field(const char *line, const char *name, size_t *len)
{
    size_t nl = strlen(name);
    for (const char *p = line; (p = strstr(p, name)) != NULL; p += nl) {
        if ((p == line || p[-1] == ' ') && p[nl] == '=') {
            const char *v = p + nl + 1;
            *len = strcspn(v, " ");
            return v;
        }
    }
    return NULL;
}

void sg_settings_observe_line(const char *line)
{
    if (strncmp(line, "CONFIG ", 7) != 0)
        return;
    size_t klen, vlen, slen;
    const char *k = field(line, "key", &klen);
    const char *v = field(line, "value", &vlen);
    const char *st = field(line, "status", &slen);
    if (!k || !v || !st || slen != 2 || strncmp(st, "ok", 2) != 0)
        return;
    for (size_t i = 0; i < N_SETTINGS; i++) {
        const setting_t *s = &SETTINGS[i];
        char id[4];
        snprintf(id, sizeof id, "%u", (unsigned)s->key);
        bool by_name = strlen(s->name) == klen && strncmp(k, s->name, klen) == 0;
        bool by_id = strlen(id) == klen && strncmp(k, id, klen) == 0;
        if (!by_name && !by_id)
            continue;
        int32_t val;
        if (!parse_value(s->key, v, vlen, &val) || val < s->min || val > s->max)
            return;
        taskENTER_CRITICAL(&s_mux);
        s_pending[i] = val;
        s_dirty |= 1u << i;
        s_change_seen = true;
        taskEXIT_CRITICAL(&s_mux);
        return;
    }
}

void sg_settings_poll(uint32_t now_ms)
{
    int32_t vals[N_SETTINGS];
    uint32_t dirty;
    taskENTER_CRITICAL(&s_mux);
    if (s_change_seen) { /* (re)start the quiet period at the first poll after a change */
        s_change_seen = false;
        s_changed_ms = now_ms;
    }
    dirty = ((uint32_t)(now_ms - s_changed_ms) >= SAVE_QUIET_MS) ? s_dirty : 0;
    if (dirty) {
        memcpy(vals, s_pending, sizeof vals);
        s_dirty = 0;
    }
    taskEXIT_CRITICAL(&s_mux);
    if (!dirty)
        return;

    nvs_handle_t h;
    esp_err_t err = nvs_open(NVS_NS, NVS_READWRITE, &h);
    if (err != ESP_OK) {
        ESP_LOGE(TAG, "cannot open NVS: %s", esp_err_to_name(err));
        return;
    }
    for (size_t i = 0; i < N_SETTINGS; i++) {
        if (!(dirty & (1u << i)))
            continue;
        err = nvs_set_u32(h, SETTINGS[i].nvs, (uint32_t)vals[i]);
        if (err != ESP_OK)
            ESP_LOGE(TAG, "save %s: %s", SETTINGS[i].name, esp_err_to_name(err));
    }
    err = nvs_commit(h);
    nvs_close(h);
    ESP_LOGI(TAG, "settings saved (%s)", esp_err_to_name(err));
}
