/* Streaming keyword spotting: the decision logic around a model, not the model itself.
 *
 * The model (an int8 network, plugged in by whoever builds it) sees stacked feature frames
 * and returns one uint8 posterior per keyword. This module does what microWakeWord does on
 * the device: average each keyword's posterior over a sliding window of inferences, report a
 * hit when the mean reaches the threshold, then ignore everything for a cooldown and refill
 * the window before the next hit. Hits also feed the local-alert rule: local_alert_hits
 * hits within local_alert_window_ms, checked while the host link is down.
 *
 * No model registered means no keyword spotting: no hits, and the app does not advertise
 * SG_PROTOCOL_CAPS_KWS / LOCAL_ALERT. */
#ifndef SG_KWS_H
#define SG_KWS_H
#include <stddef.h>
#include <stdint.h>

#define SG_KWS_MAX_KEYWORDS 8
#define SG_KWS_MAX_WINDOW 16
#define SG_KWS_MAX_FEATURES 512   /* int8 values per inference (e.g. 3 frames x 40 mels) */
#define SG_KWS_MAX_LOCAL_HITS 16
#define SG_KWS_MIN_LOCAL_WINDOW_MS 1000u
#define SG_KWS_MAX_LOCAL_WINDOW_MS 600000u

typedef struct {
    void *model;
    /* Runs one inference over n_features int8 values; writes n_keywords posteriors
     * (0..255). Returns 0 on success; anything else is counted as an error, no hit. */
    int (*infer)(void *model, const int8_t *features, uint8_t *posteriors);
    uint8_t n_keywords;
    uint16_t n_features;  /* int8 values consumed per inference */
    uint8_t window;       /* sliding-window length, inferences (manifest: sliding_window_size) */
    uint8_t threshold;    /* window mean that counts as a hit (manifest: probability_cutoff) */
    uint16_t cooldown_ms; /* after a hit, no further hit for this long */
} sg_kws_model_t;

typedef struct {
    uint8_t id;
    uint8_t score; /* window mean at the hit */
    uint32_t t_ms; /* audio time */
} sg_kws_hit_t;

typedef struct {
    const sg_kws_model_t *model;
    uint8_t post[SG_KWS_MAX_WINDOW][SG_KWS_MAX_KEYWORDS];
    uint16_t sum[SG_KWS_MAX_KEYWORDS];
    uint8_t fill, pos;
    int cooling;
    uint32_t cool_until_ms;
    int8_t feat[SG_KWS_MAX_FEATURES];
    uint16_t n_feat;
    uint32_t hit_t[SG_KWS_MAX_LOCAL_HITS]; /* recent hit times, oldest first */
    uint8_t n_recent;
    uint8_t local_hits;
    uint32_t local_window_ms;
    uint32_t hits;
    uint32_t errors;
} sg_kws_t;

void sg_kws_init(sg_kws_t *k);
/* Validates and registers a model (NULL unregisters). Returns -1 if the model is unusable. */
int sg_kws_set_model(sg_kws_t *k, const sg_kws_model_t *m);
int sg_kws_active(const sg_kws_t *k);
/* Returns -1 (and changes nothing) if hits is outside 1..SG_KWS_MAX_LOCAL_HITS or the window
 * outside SG_KWS_MIN/MAX_LOCAL_WINDOW_MS. */
int sg_kws_set_local_alert(sg_kws_t *k, uint32_t hits, uint32_t window_ms);
/* Forget the posterior window and cooldown (e.g. the audio stream restarted). */
void sg_kws_reset(sg_kws_t *k);

/* One inference's posteriors at audio time t_ms. Returns 1 and fills *hit on a hit. */
int sg_kws_push_posteriors(sg_kws_t *k, const uint8_t *posteriors, uint32_t t_ms, sg_kws_hit_t *hit);
/* Feature values in any chunking; runs the model each time n_features have gathered. At
 * most one hit is reported per call (a cooldown always separates two hits). */
int sg_kws_push_features(sg_kws_t *k, const int8_t *features, size_t n, uint32_t t_ms, sg_kws_hit_t *hit);
/* After a hit: 1 if local_alert_hits hits fell within local_alert_window_ms up to t_ms and
 * the link is down. A raised alert consumes those hits. */
int sg_kws_local_alert_due(sg_kws_t *k, uint32_t t_ms, int link_up);

#endif
