/* Segmenter timelines with exact start/end ms: fixed windows with and without overlap,
 * VAD-cut segments with pre-roll backfill and a maximum length, config changes at the next
 * boundary, and the streaming decision per frame. The VAD input is scripted frame by frame. */
#include <string.h>
#include "sg_segmenter.h"
#include "sg_test.h"

#define F SG_AUDIO_FRAME_SAMPLES
#define MAXEV 128

typedef struct {
    int frame;
    sg_seg_event_t ev;
} logged_t;

static logged_t evs[MAXEV];
static int n_evs;
static uint8_t streamed[2000];
static sg_seg_output_t outs[2000];

static sg_segmenter_t make(uint8_t mode, uint16_t ms, uint8_t ov)
{
    sg_segmenter_t s;
    sg_segmenter_config_t c = { mode, ms, ov };
    CHECK(sg_segmenter_init(&s, &c) == 0, "init mode=%d ms=%d ov=%d", mode, ms, ov);
    n_evs = 0;
    return s;
}

static void feed(sg_segmenter_t *s, int frame, int speech, int onset, int lookback)
{
    sg_vad_result_t v;
    memset(&v, 0, sizeof v);
    v.speech = (uint8_t)speech;
    v.onset = (uint8_t)onset;
    v.lookback_frames = (uint8_t)lookback;
    sg_seg_output_t *o = &outs[frame];
    sg_segmenter_process(s, (uint32_t)frame * F, &v, o);
    streamed[frame] = o->stream;
    for (int i = 0; i < o->n_events && n_evs < MAXEV; i++) {
        evs[n_evs].frame = frame;
        evs[n_evs++].ev = o->events[i];
    }
}

/* Checks logged event k: type, id, the frame it came at, start ms, end ms (END only). */
static void expect(int k, int type, int id, int frame, uint32_t start_ms, uint32_t end_ms)
{
    if (k >= n_evs) {
        CHECK(k < n_evs, "event %d missing (only %d)", k, n_evs);
        return;
    }
    const sg_seg_event_t *e = &evs[k].ev;
    CHECK(e->type == type && e->id == id && evs[k].frame == frame && e->start_ms == start_ms &&
              (type == SG_SEG_EVENT_START || e->end_ms == end_ms),
          "event %d: got type %d id %d frame %d %u..%u ms, want type %d id %d frame %d %u..%u", k, e->type,
          e->id, evs[k].frame, (unsigned)e->start_ms, (unsigned)e->end_ms, type, id, frame,
          (unsigned)start_ms, (unsigned)end_ms);
}

static void test_config_checks(void)
{
    sg_segmenter_config_t c;
    const char *why = NULL;
    sg_segmenter_default_config(&c);
    CHECK(c.segment_ms == SG_SEGMENTER_DEFAULT_SEGMENT_MS && c.overlap_pct == 0 && c.mode == SG_SEGMENTER_MODE_FIXED, "defaults");
    c.segment_ms = 999;
    CHECK(sg_segmenter_check_config(&c, &why) == -1 && why && strstr(why, "range"), "999 ms");
    c.segment_ms = 10020;
    CHECK(sg_segmenter_check_config(&c, &why) == -1, "10020 ms");
    c.segment_ms = 2010;
    CHECK(sg_segmenter_check_config(&c, &why) == -1 && strstr(why, "multiple"), "2010 ms");
    c.segment_ms = 2000;
    c.overlap_pct = 51;
    CHECK(sg_segmenter_check_config(&c, &why) == -1 && strstr(why, "overlap"), "51%%");
    c.overlap_pct = 50;
    c.mode = 2;
    CHECK(sg_segmenter_check_config(&c, &why) == -1 && strstr(why, "mode"), "mode 2");
    sg_segmenter_t s = make(SG_SEGMENTER_MODE_FIXED, 2000, 0);
    CHECK(sg_segmenter_set_config(&s, &c) == -1 && !s.has_pending, "invalid config not queued");
    /* hop rounds up to whole frames: 3000 ms at 33% -> 2010 ms -> 2020 ms (101 frames) */
    sg_segmenter_config_t h = { SG_SEGMENTER_MODE_FIXED, 3000, 33 };
    CHECK(sg_segmenter_hop_samples(&h) == 101 * F, "hop %u", (unsigned)sg_segmenter_hop_samples(&h));
    sg_segmenter_config_t h2 = { SG_SEGMENTER_MODE_FIXED, 1020, 50 }; /* 510 ms -> 520 ms */
    CHECK(sg_segmenter_hop_samples(&h2) == 26 * F, "hop keeps <= 50%% overlap");
}

static void test_fixed_no_overlap(void)
{
    sg_segmenter_t s = make(SG_SEGMENTER_MODE_FIXED, 2000, 0);
    for (int f = 0; f < 300; f++)
        feed(&s, f, f >= 20 && f < 30, 0, 0);
    CHECK(n_evs == 6, "6 events, got %d", n_evs);
    expect(0, SG_SEG_EVENT_START, 0, 0, 0, 0);
    expect(1, SG_SEG_EVENT_END, 0, 99, 0, 2000);
    expect(2, SG_SEG_EVENT_START, 1, 100, 2000, 0);
    expect(3, SG_SEG_EVENT_END, 1, 199, 2000, 4000);
    expect(4, SG_SEG_EVENT_START, 2, 200, 4000, 0);
    expect(5, SG_SEG_EVENT_END, 2, 299, 4000, 6000);
    CHECK(evs[1].ev.speech_ms == 200 && evs[1].ev.flags == SG_PROTOCOL_SEGFLAG_SPEECH, "seg 0 speech 200 ms");
    CHECK(evs[3].ev.speech_ms == 0 && evs[3].ev.flags == 0, "seg 1 silent");
    CHECK(evs[1].ev.end_sample == 32000, "end sample 32000");
    int all = 1;
    for (int f = 0; f < 300; f++)
        all &= streamed[f];
    CHECK(all, "fixed mode streams every frame");
    CHECK(s.segments == 3, "3 completed");
}

static void test_fixed_overlap(void)
{
    sg_segmenter_t s = make(SG_SEGMENTER_MODE_FIXED, 2000, 50);
    for (int f = 0; f < 200; f++)
        feed(&s, f, f >= 60 && f < 70, 0, 0);
    /* starts every 1000 ms (frames 0, 50, 100, 150), each ends 2000 ms later */
    expect(0, SG_SEG_EVENT_START, 0, 0, 0, 0);
    expect(1, SG_SEG_EVENT_START, 1, 50, 1000, 0);
    expect(2, SG_SEG_EVENT_END, 0, 99, 0, 2000);
    expect(3, SG_SEG_EVENT_START, 2, 100, 2000, 0);
    expect(4, SG_SEG_EVENT_END, 1, 149, 1000, 3000);
    expect(5, SG_SEG_EVENT_START, 3, 150, 3000, 0);
    expect(6, SG_SEG_EVENT_END, 2, 199, 2000, 4000);
    CHECK(n_evs == 7, "7 events, got %d", n_evs);
    /* speech 1200..1400 ms lies in segments 0 and 1, not 2 */
    CHECK(evs[2].ev.speech_ms == 200 && evs[4].ev.speech_ms == 200 && evs[6].ev.speech_ms == 0, "speech shared");
    CHECK(s.n_open == 1, "segment 3 still open");
    sg_seg_output_t o;
    sg_segmenter_flush(&s, 200 * F, &o);
    CHECK(o.n_events == 1 && o.events[0].id == 3 && o.events[0].end_ms == 4000, "flush ends seg 3 at 4000 ms");
}

static void test_vad_cut(void)
{
    sg_segmenter_t s = make(SG_SEGMENTER_MODE_VAD_CUT, 10000, 0);
    /* speech 100..149 (onset at 100, lookback 11), offset at 150; again 155..169 */
    for (int f = 0; f < 200; f++) {
        int sp = (f >= 100 && f < 150) || (f >= 155 && f < 170);
        feed(&s, f, sp, f == 100 || f == 155, 11);
    }
    CHECK(n_evs == 4, "4 events, got %d", n_evs);
    expect(0, SG_SEG_EVENT_START, 0, 100, 1780, 0); /* (100 - 11) * 20 ms */
    CHECK(outs[100].backfill_start == 89 * F && outs[100].backfill_samples == 11 * F, "pre-roll backfill");
    expect(1, SG_SEG_EVENT_END, 0, 150, 1780, 3000);
    CHECK(evs[1].ev.speech_ms == 1000, "speech_ms %d", evs[1].ev.speech_ms);
    CHECK(evs[1].ev.flags == (SG_PROTOCOL_SEGFLAG_SPEECH | SG_PROTOCOL_SEGFLAG_VAD_CUT), "flags %x", evs[1].ev.flags);
    /* Second onset reaches back to 2880 ms, but audio up to 3000 ms was sent already. */
    expect(2, SG_SEG_EVENT_START, 1, 155, 2880, 0);
    CHECK(outs[155].backfill_start == 150 * F && outs[155].backfill_samples == 5 * F, "backfill only unsent audio: %u+%u",
          (unsigned)outs[155].backfill_start, (unsigned)outs[155].backfill_samples);
    expect(3, SG_SEG_EVENT_END, 1, 170, 2880, 3400);
    int n_stream = 0;
    for (int f = 0; f < 200; f++)
        n_stream += streamed[f];
    CHECK(n_stream == 50 + 15 && !streamed[99] && streamed[100] && !streamed[150] && streamed[169], "streamed frames");
}

static void test_vad_cut_preroll_at_origin(void)
{
    sg_segmenter_t s = make(SG_SEGMENTER_MODE_VAD_CUT, 5000, 0);
    for (int f = 0; f < 20; f++)
        feed(&s, f, f >= 5, f == 5, 11);
    expect(0, SG_SEG_EVENT_START, 0, 5, 0, 0);
    CHECK(outs[5].backfill_start == 0 && outs[5].backfill_samples == 5 * F, "reach-back stops at the stream start");
}

static void test_vad_cut_max_length(void)
{
    sg_segmenter_t s = make(SG_SEGMENTER_MODE_VAD_CUT, 1000, 20);
    for (int f = 0; f < 220; f++)
        feed(&s, f, f >= 100 && f < 200, f == 100, 11);
    /* seg 0: 1780 ms + 1000 ms = 2780 ms, cut at frame 138 (ends 139 * 20 ms) */
    expect(0, SG_SEG_EVENT_START, 0, 100, 1780, 0);
    expect(1, SG_SEG_EVENT_END, 0, 138, 1780, 2780);
    CHECK(evs[1].ev.flags == SG_PROTOCOL_SEGFLAG_SPEECH, "length cut: no VAD_CUT flag");
    CHECK(evs[1].ev.speech_ms == 39 * 20, "speech from the onset frame on: %d", evs[1].ev.speech_ms);
    /* speech goes on: seg 1 starts 20% (200 ms) before the cut, no audio resent */
    expect(2, SG_SEG_EVENT_START, 1, 139, 2580, 0);
    CHECK(outs[139].backfill_samples == 0, "overlap needs no backfill");
    expect(3, SG_SEG_EVENT_END, 1, 178, 2580, 3580);
    expect(4, SG_SEG_EVENT_START, 2, 179, 3380, 0);
    /* speech ends at frame 200: seg 2 ends there by the VAD */
    expect(5, SG_SEG_EVENT_END, 2, 200, 3380, 4000);
    CHECK(evs[5].ev.flags == (SG_PROTOCOL_SEGFLAG_SPEECH | SG_PROTOCOL_SEGFLAG_VAD_CUT), "VAD end");
    CHECK(n_evs == 6, "6 events, got %d", n_evs);
    int gaps = 0;
    for (int f = 100; f < 200; f++)
        gaps += !streamed[f];
    CHECK(gaps == 0 && !streamed[200], "continuous stream through the cuts");
}

static void test_config_change_at_boundary(void)
{
    sg_segmenter_t s = make(SG_SEGMENTER_MODE_FIXED, 2000, 0);
    sg_segmenter_config_t c = { SG_SEGMENTER_MODE_FIXED, 1000, 0 };
    for (int f = 0; f < 250; f++) {
        if (f == 30)
            CHECK(sg_segmenter_set_config(&s, &c) == 0, "queued");
        feed(&s, f, 0, 0, 0);
    }
    expect(1, SG_SEG_EVENT_END, 0, 99, 0, 2000); /* the open segment keeps its 2000 ms */
    CHECK(outs[100].config_applied && !outs[30].config_applied, "applied at the 2000 ms boundary");
    expect(2, SG_SEG_EVENT_START, 1, 100, 2000, 0);
    expect(3, SG_SEG_EVENT_END, 1, 149, 2000, 3000);
    expect(4, SG_SEG_EVENT_START, 2, 150, 3000, 0);
    expect(5, SG_SEG_EVENT_END, 2, 199, 3000, 4000);

    /* FIXED -> VAD_CUT at the next scheduled start; then VAD_CUT -> FIXED when the VAD
     * segment ends, anchoring a new schedule there. */
    s = make(SG_SEGMENTER_MODE_FIXED, 1000, 0);
    sg_segmenter_config_t v = { SG_SEGMENTER_MODE_VAD_CUT, 3000, 0 };
    sg_segmenter_config_t fx = { SG_SEGMENTER_MODE_FIXED, 1000, 0 };
    for (int f = 0; f < 200; f++) {
        if (f == 10)
            sg_segmenter_set_config(&s, &v);
        if (f == 90)
            sg_segmenter_set_config(&s, &fx);
        feed(&s, f, f >= 80 && f < 120, f == 80, 11);
    }
    expect(0, SG_SEG_EVENT_START, 0, 0, 0, 0);
    expect(1, SG_SEG_EVENT_END, 0, 49, 0, 1000);
    CHECK(outs[50].config_applied && !streamed[50] && !streamed[79], "VAD mode from 1000 ms: silence not streamed");
    expect(2, SG_SEG_EVENT_START, 1, 80, 1380, 0);
    expect(3, SG_SEG_EVENT_START, 2, 120, 2400, 0); /* fixed schedule anchored at 2400 ms */
    expect(4, SG_SEG_EVENT_END, 1, 120, 1380, 2400);
    CHECK(outs[120].config_applied && streamed[120] && streamed[199], "back to FIXED at the VAD end");
    expect(5, SG_SEG_EVENT_END, 2, 169, 2400, 3400);
}

static void test_flags(void)
{
    sg_segmenter_t s = make(SG_SEGMENTER_MODE_FIXED, 1000, 0);
    for (int f = 0; f < 50; f++) {
        if (f == 20)
            sg_segmenter_add_flags(&s, SG_PROTOCOL_SEGFLAG_KWS_HIT | SG_PROTOCOL_SEGFLAG_OVERRUN);
        feed(&s, f, 0, 0, 0);
    }
    CHECK(n_evs == 2 && evs[1].ev.flags == (SG_PROTOCOL_SEGFLAG_KWS_HIT | SG_PROTOCOL_SEGFLAG_OVERRUN), "flags %x",
          evs[1].ev.flags);
}

static void test_start_offset_and_wrap(void)
{
    /* The stream index need not start at 0 and may wrap through 2^32. */
    sg_segmenter_t s = make(SG_SEGMENTER_MODE_FIXED, 1000, 0);
    uint32_t base = 0xFFFFFFFFu - 10 * F + 1;
    sg_vad_result_t v;
    sg_seg_output_t o;
    memset(&v, 0, sizeof v);
    int ends = 0;
    for (int f = 0; f < 50; f++) {
        sg_segmenter_process(&s, base + (uint32_t)f * F, &v, &o);
        for (int i = 0; i < o.n_events; i++)
            if (o.events[i].type == SG_SEG_EVENT_END) {
                ends++;
                CHECK(f == 49 && o.events[i].end_sample == base + 50u * F, "wrapped end at frame %d", f);
            }
    }
    CHECK(ends == 1, "one segment across the wrap");
}

int main(void)
{
    test_config_checks();
    test_fixed_no_overlap();
    test_fixed_overlap();
    test_vad_cut();
    test_vad_cut_preroll_at_origin();
    test_vad_cut_max_length();
    test_config_change_at_boundary();
    test_flags();
    test_start_offset_and_wrap();
    return sg_test_summary("segmenter");
}
