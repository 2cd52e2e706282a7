/* Host unit test of settings_nvs.c: CONFIG lines -> debounced NVS writes -> values at boot.
 * Compiled against the shims with an in-memory NVS and no-op critical sections below. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "esp_log.h"
#include "freertos/FreeRTOS.h"
#include "nvs.h"
#include "sg_esp32.h"

static int failures;
#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (!(cond)) {                                                               \
            fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
            failures++;                                                              \
        }                                                                            \
    } while (0)

/* ---- fakes for what settings_nvs.c calls ---- */
void vPortEnterCritical(portMUX_TYPE *mux) { (void)mux; }
void vPortExitCritical(portMUX_TYPE *mux) { (void)mux; }
void esp_log_write(esp_log_level_t level, const char *tag, const char *format, ...) { (void)level; (void)tag; (void)format; }
const char *esp_err_to_name(esp_err_t code) { return code == ESP_OK ? "ESP_OK" : "error"; }

#define MAX_KEYS 16
static struct { char key[16]; uint32_t v; } s_store[MAX_KEYS];
static int s_nkeys, s_commits, s_namespace_exists;
esp_err_t nvs_open(const char *ns, nvs_open_mode_t mode, nvs_handle_t *h)
{
    (void)ns;
    if (mode == NVS_READONLY && !s_namespace_exists)
        return ESP_ERR_NVS_NOT_FOUND;
    s_namespace_exists = 1;
    *h = 1;
    return ESP_OK;
}
esp_err_t nvs_get_u32(nvs_handle_t h, const char *key, uint32_t *out)
{
    (void)h;
    for (int i = 0; i < s_nkeys; i++)
        if (!strcmp(s_store[i].key, key)) { *out = s_store[i].v; return ESP_OK; }
    return ESP_ERR_NVS_NOT_FOUND;
}
esp_err_t nvs_set_u32(nvs_handle_t h, const char *key, uint32_t v)
{
    (void)h;
    CHECK(strlen(key) <= 15); /* NVS key length limit */
    for (int i = 0; i < s_nkeys; i++)
        if (!strcmp(s_store[i].key, key)) { s_store[i].v = v; return ESP_OK; }
    snprintf(s_store[s_nkeys].key, sizeof s_store[0].key, "%s", key);
    s_store[s_nkeys++].v = v;
    return ESP_OK;
}
esp_err_t nvs_commit(nvs_handle_t h) { (void)h; s_commits++; return ESP_OK; }
void nvs_close(nvs_handle_t h) { (void)h; }

int main(void)
{
    sg_app_config_t cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.segment_ms = 5000;
    sg_settings_load(&cfg); /* nothing stored yet */
    CHECK(cfg.segment_ms == 5000);

    sg_settings_observe_line("CONFIG key=segment_ms value=3000 status=ok");
    sg_settings_observe_line("CONFIG key=overlap_pct value=25 status=ok");
    sg_settings_observe_line("CONFIG key=gain_q8 value=512 status=rejected"); /* not saved */
    sg_settings_observe_line("CONFIG key=gain_q8 value=99999 status=ok");     /* out of range */
    sg_settings_observe_line("CONFIG key=segmenter value=1/2/3 status=rejected");
    sg_settings_observe_line("LED state=idle pattern=solid-green");
    sg_settings_observe_line("CONFIG key=4 value=384 status=ok");             /* numeric key id */
    sg_settings_poll(1000);
    CHECK(s_commits == 0);  /* quiet period starts at the first poll after the change */
    sg_settings_poll(2999);
    CHECK(s_commits == 0);
    sg_settings_poll(3000);
    CHECK(s_commits == 1);  /* one write for the whole burst */
    sg_settings_poll(9000);
    CHECK(s_commits == 1);  /* nothing new */

    sg_settings_observe_line("CONFIG key=local_alert_window_ms value=60000 status=ok");
    sg_settings_observe_line("CONFIG key=seg_mode value=1 status=ok");
    sg_settings_poll(10000);
    sg_settings_poll(12000);
    CHECK(s_commits == 2);

    memset(&cfg, 0, sizeof cfg);
    sg_settings_load(&cfg);
    CHECK(cfg.segment_ms == 3000);
    CHECK(cfg.overlap_pct == 25);
    CHECK(cfg.gain_q8 == 384);
    CHECK(cfg.local_alert_window_ms == 60000);
    CHECK(cfg.seg_mode == 1);
    CHECK(cfg.codec == 0); /* never set */

    /* A stored value outside the limits (older firmware, corrupted entry) is ignored. */
    nvs_set_u32(1, "segment_ms", 50);
    memset(&cfg, 0, sizeof cfg);
    cfg.segment_ms = 5000;
    sg_settings_load(&cfg);
    CHECK(cfg.segment_ms == 5000);

    if (failures) {
        fprintf(stderr, "test_settings: %d failure(s)\n", failures);
        return EXIT_FAILURE;
    }
    printf("test_settings: CONFIG lines, debounced NVS save and boot load OK\n");
    return EXIT_SUCCESS;
}
