/* Segmenter: turns the continuous audio stream into segments (time ranges) for the host.
 *
 * Driven once per 20 ms frame with the frame's first absolute sample index and the VAD
 * result. Times are in ms of the audio stream (sample / 16), like AUDIO's sample_index.
 *
 * FIXED mode: segments of segment_ms every hop_ms = segment_ms * (100 - overlap_pct) / 100
 *   (rounded up to whole 20 ms frames, so the overlap never exceeds the request), anchored
 *   at the first frame seen. Every frame is
 *   streamed; with overlap two segments are open at once, and the overlap costs no audio.
 * VAD_CUT mode: a segment opens on the VAD onset, reaching back lookback_frames (onset
 *   confirmation + pre-roll) as far as audio not yet streamed allows, and closes when the VAD
 *   leaves speech (flag VAD_CUT) or when it reaches segment_ms (the maximum length; if speech
 *   goes on, the next segment starts at once, overlap_pct earlier). Only frames inside a
 *   segment are streamed; the reach-back is reported as a backfill range to send from the
 *   audio ring before this frame.
 * A new config (sg_segmenter_set_config) waits for the next segment boundary: in FIXED mode
 *   the next scheduled start, in VAD_CUT mode the end of the open segment (or at once when
 *   none is open). Segments already open keep the length they started with. Switching to
 *   FIXED anchors the new schedule at the boundary.
 * speech_ms counts the frames inside the segment, from its first processed frame on, that
 *   the VAD held as speech (reach-back frames are not counted).
 *
 * The caller sends, per frame, in this order: START events (they begin at or before this
 * frame), the backfill range, this frame's audio if `stream`, then END events (they end at
 * or before this frame's end). */
#ifndef SG_SEGMENTER_H
#define SG_SEGMENTER_H
#include <stddef.h>
#include <stdint.h>
#include "sg_params.h"
#include "sg_vad.h"

/* One config keeps at most 2 segments open (overlap <= 50%); a config change can leave a long
 * segment open beside new short ones. If all slots are busy the oldest is closed early. */
#define SG_SEGMENTER_MAX_OPEN 4
#define SG_SEGMENTER_MAX_EVENTS (SG_SEGMENTER_MAX_OPEN + 2)
/* Audio the ring must hold for a backfill: pre-roll + onset confirmation + this frame. */
#define SG_SEGMENTER_MAX_BACKFILL_SAMPLES \
    ((SG_VAD_MAX_PRE_ROLL_FRAMES + SG_VAD_MAX_ONSET_FRAMES) * SG_AUDIO_FRAME_SAMPLES)

typedef struct {
    uint8_t mode;        /* SG_SEGMENTER_MODE_FIXED or SG_SEGMENTER_MODE_VAD_CUT */
    uint16_t segment_ms; /* SG_SEGMENTER_MIN..MAX_SEGMENT_MS, a multiple of SG_AUDIO_FRAME_MS */
    uint8_t overlap_pct; /* 0..SG_SEGMENTER_MAX_OVERLAP_PCT */
} sg_segmenter_config_t;

typedef enum { SG_SEG_EVENT_START = 1, SG_SEG_EVENT_END = 2 } sg_seg_event_type_t;

typedef struct {
    uint8_t type;          /* sg_seg_event_type_t */
    uint16_t id;           /* increments per segment, wraps at 65536 */
    uint32_t start_sample; /* absolute stream index of the first sample */
    uint32_t end_sample;   /* END only: one past the last sample */
    uint32_t start_ms;     /* start_sample / 16 */
    uint32_t end_ms;       /* END only */
    uint16_t speech_ms;    /* END only: VAD speech inside the segment */
    uint8_t flags;         /* END only: SG_PROTOCOL_SEGFLAG_SPEECH | _VAD_CUT | added flags */
} sg_seg_event_t;

typedef struct {
    uint8_t stream;            /* send this frame's audio */
    uint32_t backfill_start;   /* send [backfill_start, backfill_start + backfill_samples) */
    uint32_t backfill_samples; /*   from the audio ring before this frame; 0 = none */
    uint8_t config_applied;    /* a pending config took effect at this frame */
    uint8_t n_events;
    sg_seg_event_t events[SG_SEGMENTER_MAX_EVENTS]; /* STARTs first, then ENDs */
} sg_seg_output_t;

typedef struct {
    uint16_t id;
    uint8_t vad_cut;       /* opened in VAD_CUT mode */
    uint8_t flags;
    uint32_t start_sample;
    uint32_t end_sample;   /* planned end (FIXED) or maximum end (VAD_CUT) */
    uint32_t speech_frames;
} sg_seg_open_t;

typedef struct {
    sg_segmenter_config_t cfg;
    sg_segmenter_config_t pending;
    int has_pending;
    int started;              /* a frame has been seen */
    uint32_t origin;          /* first frame's sample index: nothing exists before it */
    uint32_t next_start;      /* FIXED: sample index of the next scheduled start */
    uint32_t streamed_until;  /* everything before this index has been streamed (or skipped) */
    int has_carry;            /* VAD_CUT: a max-length cut; continue at carry_start if speech */
    uint32_t carry_start;
    uint16_t next_id;
    uint8_t n_open;
    sg_seg_open_t open[SG_SEGMENTER_MAX_OPEN];
    uint32_t segments;        /* segments completed */
} sg_segmenter_t;

void sg_segmenter_default_config(sg_segmenter_config_t *cfg);
/* Returns 0 or -1 (with a reason in *why if why != NULL) for an invalid config. */
int sg_segmenter_check_config(const sg_segmenter_config_t *cfg, const char **why);
int sg_segmenter_init(sg_segmenter_t *s, const sg_segmenter_config_t *cfg);
/* Queues cfg for the next segment boundary; -1 (nothing queued) if invalid. */
int sg_segmenter_set_config(sg_segmenter_t *s, const sg_segmenter_config_t *cfg);
/* Hop between fixed segment starts, in samples, for a config. */
uint32_t sg_segmenter_hop_samples(const sg_segmenter_config_t *cfg);
/* One frame of SG_AUDIO_FRAME_SAMPLES starting at absolute index frame_start. */
void sg_segmenter_process(sg_segmenter_t *s, uint32_t frame_start, const sg_vad_result_t *vad,
                          sg_seg_output_t *out);
/* ORs flags (e.g. SG_PROTOCOL_SEGFLAG_KWS_HIT, _OVERRUN) into every open segment. */
void sg_segmenter_add_flags(sg_segmenter_t *s, uint8_t flags);
/* Ends every open segment at end_sample (end of input, stream restart). Emits ENDs only. */
void sg_segmenter_flush(sg_segmenter_t *s, uint32_t end_sample, sg_seg_output_t *out);

#endif
