/* Segment scheduling; the behaviour is specified in sg_segmenter.h. Sample indices wrap
 * modulo 2^32, so "a is not before b" is always tested as (int32_t)(a - b) >= 0. */
#include "sg_segmenter.h"
#include <string.h>

#define FRAME SG_AUDIO_FRAME_SAMPLES
#define SAMPLES_PER_MS (SG_AUDIO_SAMPLE_RATE_HZ / 1000)

static int not_before(uint32_t a, uint32_t b) { return (int32_t)(a - b) >= 0; }

void sg_segmenter_default_config(sg_segmenter_config_t *cfg)
{
    cfg->mode = SG_SEGMENTER_MODE_FIXED;
    cfg->segment_ms = SG_SEGMENTER_DEFAULT_SEGMENT_MS;
    cfg->overlap_pct = SG_SEGMENTER_DEFAULT_OVERLAP_PCT;
}

int sg_segmenter_check_config(const sg_segmenter_config_t *cfg, const char **why)
{
    const char *err = NULL;
    if (cfg->mode != SG_SEGMENTER_MODE_FIXED && cfg->mode != SG_SEGMENTER_MODE_VAD_CUT)
        err = "unknown mode";
    else if (cfg->segment_ms < SG_SEGMENTER_MIN_SEGMENT_MS || cfg->segment_ms > SG_SEGMENTER_MAX_SEGMENT_MS)
        err = "segment_ms out of range";
    else if (cfg->segment_ms % SG_AUDIO_FRAME_MS)
        err = "segment_ms not a multiple of the frame";
    else if (cfg->overlap_pct > SG_SEGMENTER_MAX_OVERLAP_PCT)
        err = "overlap_pct out of range";
    if (why)
        *why = err;
    return err ? -1 : 0;
}

uint32_t sg_segmenter_hop_samples(const sg_segmenter_config_t *cfg)
{
    uint32_t len = (uint32_t)cfg->segment_ms * SAMPLES_PER_MS;
    uint32_t hop = len * (100u - cfg->overlap_pct) / 100u;
    return (hop + FRAME - 1) / FRAME * FRAME;
}

static uint32_t len_samples(const sg_segmenter_config_t *cfg) { return (uint32_t)cfg->segment_ms * SAMPLES_PER_MS; }

static uint32_t overlap_samples(const sg_segmenter_config_t *cfg)
{
    return len_samples(cfg) - sg_segmenter_hop_samples(cfg);
}

int sg_segmenter_init(sg_segmenter_t *s, const sg_segmenter_config_t *cfg)
{
    if (!s || !cfg || sg_segmenter_check_config(cfg, NULL) != 0)
        return -1;
    memset(s, 0, sizeof *s);
    s->cfg = *cfg;
    return 0;
}

int sg_segmenter_set_config(sg_segmenter_t *s, const sg_segmenter_config_t *cfg)
{
    if (sg_segmenter_check_config(cfg, NULL) != 0)
        return -1;
    s->pending = *cfg;
    s->has_pending = 1;
    return 0;
}

/* A segment boundary at sample `at`: the queued config takes effect. */
static void apply_pending(sg_segmenter_t *s, uint32_t at, sg_seg_output_t *out)
{
    if (!s->has_pending)
        return;
    uint8_t old_mode = s->cfg.mode;
    s->cfg = s->pending;
    s->has_pending = 0;
    out->config_applied = 1;
    if (s->cfg.mode == SG_SEGMENTER_MODE_FIXED && old_mode != SG_SEGMENTER_MODE_FIXED)
        s->next_start = at;
    if (s->cfg.mode != SG_SEGMENTER_MODE_VAD_CUT)
        s->has_carry = 0;
}

static void emit_end(sg_segmenter_t *s, int i, uint32_t end, uint8_t extra_flags, sg_seg_output_t *out)
{
    sg_seg_open_t *g = &s->open[i];
    sg_seg_event_t *e = &out->events[out->n_events++];
    uint32_t speech_ms = g->speech_frames * SG_AUDIO_FRAME_MS;
    e->type = SG_SEG_EVENT_END;
    e->id = g->id;
    e->start_sample = g->start_sample;
    e->end_sample = end;
    e->start_ms = g->start_sample / SAMPLES_PER_MS;
    e->end_ms = end / SAMPLES_PER_MS;
    e->speech_ms = (uint16_t)(speech_ms > UINT16_MAX ? UINT16_MAX : speech_ms);
    e->flags = (uint8_t)(g->flags | extra_flags | (g->speech_frames ? SG_PROTOCOL_SEGFLAG_SPEECH : 0));
    s->segments++;
    s->n_open--;
    memmove(&s->open[i], &s->open[i + 1], (size_t)(s->n_open - i) * sizeof s->open[0]);
}

static void emit_start(sg_segmenter_t *s, uint32_t start, uint32_t end, int vad_cut, sg_seg_output_t *out)
{
    if (s->n_open == SG_SEGMENTER_MAX_OPEN)
        emit_end(s, 0, start, 0, out); /* only after stacked config changes; see header */
    sg_seg_open_t *g = &s->open[s->n_open++];
    g->id = s->next_id++;
    g->vad_cut = (uint8_t)vad_cut;
    g->flags = 0;
    g->start_sample = start;
    g->end_sample = end;
    g->speech_frames = 0;
    sg_seg_event_t *e = &out->events[out->n_events++];
    memset(e, 0, sizeof *e);
    e->type = SG_SEG_EVENT_START;
    e->id = g->id;
    e->start_sample = start;
    e->start_ms = start / SAMPLES_PER_MS;
}

static int find_vad_segment(const sg_segmenter_t *s)
{
    for (int i = 0; i < s->n_open; i++)
        if (s->open[i].vad_cut)
            return i;
    return -1;
}

/* Events must list STARTs before ENDs; ENDs from early closes are moved behind them. */
static void order_events(sg_seg_output_t *out)
{
    sg_seg_event_t tmp[SG_SEGMENTER_MAX_EVENTS];
    int n = 0;
    for (int pass = SG_SEG_EVENT_START; pass <= SG_SEG_EVENT_END; pass++)
        for (int i = 0; i < out->n_events; i++)
            if (out->events[i].type == pass)
                tmp[n++] = out->events[i];
    memcpy(out->events, tmp, (size_t)n * sizeof tmp[0]);
}

void sg_segmenter_process(sg_segmenter_t *s, uint32_t fs, const sg_vad_result_t *vad, sg_seg_output_t *out)
{
    uint32_t fe = fs + FRAME;
    memset(out, 0, sizeof *out);
    if (!s->started) {
        s->started = 1;
        s->origin = fs;
        s->next_start = fs;
        s->streamed_until = fs;
    }

    /* VAD_CUT: speech ended before this frame, which is not part of the segment. */
    int v = find_vad_segment(s);
    if (v >= 0 && !vad->speech) {
        emit_end(s, v, fs, SG_PROTOCOL_SEGFLAG_VAD_CUT, out);
        s->has_carry = 0;
        apply_pending(s, fs, out);
    }
    if (s->cfg.mode == SG_SEGMENTER_MODE_VAD_CUT && find_vad_segment(s) < 0 && s->n_open == 0)
        apply_pending(s, fs, out);

    if (s->cfg.mode == SG_SEGMENTER_MODE_FIXED && not_before(fs, s->next_start)) {
        apply_pending(s, fs, out);
        if (s->cfg.mode == SG_SEGMENTER_MODE_FIXED) {
            emit_start(s, fs, fs + len_samples(&s->cfg), 0, out);
            s->next_start = fs + sg_segmenter_hop_samples(&s->cfg);
        }
    }

    if (s->cfg.mode == SG_SEGMENTER_MODE_VAD_CUT && find_vad_segment(s) < 0 && vad->speech) {
        uint32_t start = fs;
        if (s->has_carry) {
            start = s->carry_start;
        } else if (vad->onset) {
            uint32_t reach = (uint32_t)vad->lookback_frames * FRAME;
            start = (fs - s->origin) < reach ? s->origin : fs - reach;
        }
        emit_start(s, start, start + len_samples(&s->cfg), 1, out);
        uint32_t from = not_before(start, s->streamed_until) ? start : s->streamed_until;
        if (fs != from && not_before(fs, from)) {
            out->backfill_start = from;
            out->backfill_samples = fs - from;
        }
    }
    s->has_carry = 0;

    for (int i = 0; i < s->n_open; i++)
        s->open[i].speech_frames += vad->speech ? 1u : 0u;
    out->stream = s->n_open > 0;
    if (out->stream)
        s->streamed_until = fe;

    for (int i = 0; i < s->n_open;) {
        if (!not_before(fe, s->open[i].end_sample)) {
            i++;
            continue;
        }
        int was_vad = s->open[i].vad_cut;
        emit_end(s, i, s->open[i].end_sample, 0, out);
        if (was_vad) {
            /* Max length reached: if speech goes on, the next segment starts at once. */
            s->has_carry = 1;
            s->carry_start = fe - overlap_samples(&s->cfg);
            apply_pending(s, fe, out);
        }
    }
    order_events(out);
}

void sg_segmenter_add_flags(sg_segmenter_t *s, uint8_t flags)
{
    for (int i = 0; i < s->n_open; i++)
        s->open[i].flags |= flags;
}

void sg_segmenter_flush(sg_segmenter_t *s, uint32_t end_sample, sg_seg_output_t *out)
{
    memset(out, 0, sizeof *out);
    while (s->n_open)
        emit_end(s, 0, not_before(end_sample, s->open[0].end_sample) ? s->open[0].end_sample : end_sample, 0, out);
    s->has_carry = 0;
}
