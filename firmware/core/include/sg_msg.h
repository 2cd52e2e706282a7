/* Typed protocol messages: one struct per message type, each with pack and unpack.
 * Payload layouts are specified in docs/protocol.md; all integers are little-endian.
 * pack returns the payload length (0 on error); unpack returns 0 on success, -1 if the
 * payload is malformed (wrong length, text too long). */
#ifndef SG_MSG_H
#define SG_MSG_H
#include <stddef.h>
#include <stdint.h>
#include "sg_params.h"

#define SG_NAME_LEN 16

typedef struct { uint8_t proto_version; uint16_t host_caps; char host_name[SG_NAME_LEN + 1]; } sg_msg_hello_t;

typedef struct {
    uint8_t proto_version;
    uint16_t caps;
    uint32_t sample_rate;
    uint8_t codec;
    uint16_t segment_ms;
    uint8_t overlap_pct;
    uint8_t seg_mode;
    char fw_version[SG_NAME_LEN + 1];
    char board[SG_NAME_LEN + 1];
} sg_msg_describe_t;
#define SG_MSG_DESCRIBE_LEN 44

/* AUDIO and INJECT_AUDIO share one layout. Audio is one continuous stream; sample_index is
 * the position of the chunk's first sample since boot, so the host places every chunk
 * exactly, sees gaps, and cuts (overlapping) segments out of it without the board sending
 * any sample twice. For IMA-ADPCM the payload carries the encoder state at the chunk start,
 * so every chunk decodes on its own even when earlier chunks were lost. */
typedef struct {
    uint32_t sample_index;
    uint8_t codec;
    uint16_t n_samples;
    int16_t predictor;  /* ADPCM only */
    uint8_t step_index; /* ADPCM only */
    const uint8_t *data;
    uint16_t data_len;
} sg_msg_audio_t;
#define SG_MSG_AUDIO_HDR_LEN 8
#define SG_MSG_ADPCM_STATE_LEN 4

typedef struct { uint16_t segment_id; uint32_t t_start_ms; } sg_msg_segment_start_t;
#define SG_MSG_SEGMENT_START_LEN 6

typedef struct {
    uint16_t segment_id;
    uint32_t t_end_ms;
    uint32_t n_samples;
    uint8_t flags; /* SG_PROTOCOL_SEGFLAG_* */
    uint8_t kws_hits;
    uint8_t kws_best_id;
    uint8_t kws_best_score;
    uint16_t speech_ms;
} sg_msg_segment_end_t;
#define SG_MSG_SEGMENT_END_LEN 16

typedef struct { uint16_t segment_id; uint32_t t_ms; uint8_t keyword_id; uint8_t score; } sg_msg_keyword_hit_t;
#define SG_MSG_KEYWORD_HIT_LEN 8

typedef struct {
    uint16_t segment_id;
    uint8_t level;        /* SG_PROTOCOL_LEVEL_* */
    uint16_t score_milli; /* 0..1000 */
    char reason[SG_PROTOCOL_MAX_TEXT + 1];
} sg_msg_verdict_t;
#define SG_MSG_VERDICT_HDR_LEN 5

typedef struct { uint16_t segment_id; uint8_t alert_state; } sg_msg_alert_ack_t;
#define SG_MSG_ALERT_ACK_LEN 3

typedef struct { uint32_t uptime_ms; uint8_t alert_state; } sg_msg_heartbeat_t;
#define SG_MSG_HEARTBEAT_LEN 5

typedef struct { uint8_t level; char text[SG_PROTOCOL_MAX_TEXT + 1]; } sg_msg_log_t;

typedef struct { uint8_t key; int32_t value; } sg_msg_config_t;
#define SG_MSG_CONFIG_LEN 5

typedef struct { uint32_t counters[SG_PROTOCOL_STAT_COUNT]; } sg_msg_stats_t;
#define SG_MSG_STATS_LEN (4 * SG_PROTOCOL_STAT_COUNT)

size_t sg_pack_hello(const sg_msg_hello_t *m, uint8_t *out, size_t cap);
int sg_unpack_hello(const uint8_t *p, size_t len, sg_msg_hello_t *m);
size_t sg_pack_describe(const sg_msg_describe_t *m, uint8_t *out, size_t cap);
int sg_unpack_describe(const uint8_t *p, size_t len, sg_msg_describe_t *m);
size_t sg_pack_audio(const sg_msg_audio_t *m, uint8_t *out, size_t cap);
int sg_unpack_audio(const uint8_t *p, size_t len, sg_msg_audio_t *m);
size_t sg_pack_segment_start(const sg_msg_segment_start_t *m, uint8_t *out, size_t cap);
int sg_unpack_segment_start(const uint8_t *p, size_t len, sg_msg_segment_start_t *m);
size_t sg_pack_segment_end(const sg_msg_segment_end_t *m, uint8_t *out, size_t cap);
int sg_unpack_segment_end(const uint8_t *p, size_t len, sg_msg_segment_end_t *m);
size_t sg_pack_keyword_hit(const sg_msg_keyword_hit_t *m, uint8_t *out, size_t cap);
int sg_unpack_keyword_hit(const uint8_t *p, size_t len, sg_msg_keyword_hit_t *m);
size_t sg_pack_verdict(const sg_msg_verdict_t *m, uint8_t *out, size_t cap);
int sg_unpack_verdict(const uint8_t *p, size_t len, sg_msg_verdict_t *m);
size_t sg_pack_alert_ack(const sg_msg_alert_ack_t *m, uint8_t *out, size_t cap);
int sg_unpack_alert_ack(const uint8_t *p, size_t len, sg_msg_alert_ack_t *m);
size_t sg_pack_heartbeat(const sg_msg_heartbeat_t *m, uint8_t *out, size_t cap);
int sg_unpack_heartbeat(const uint8_t *p, size_t len, sg_msg_heartbeat_t *m);
size_t sg_pack_log(const sg_msg_log_t *m, uint8_t *out, size_t cap);
int sg_unpack_log(const uint8_t *p, size_t len, sg_msg_log_t *m);
size_t sg_pack_config(const sg_msg_config_t *m, uint8_t *out, size_t cap);
int sg_unpack_config(const uint8_t *p, size_t len, sg_msg_config_t *m);
size_t sg_pack_stats(const sg_msg_stats_t *m, uint8_t *out, size_t cap);
int sg_unpack_stats(const uint8_t *p, size_t len, sg_msg_stats_t *m);

#endif
