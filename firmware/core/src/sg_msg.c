#include "sg_msg.h"
#include <string.h>
#include "sg_frame.h"

/* strnlen is POSIX, not C99. */
static size_t bounded_len(const char *s, size_t cap)
{
    size_t n = 0;
    while (n < cap && s[n])
        n++;
    return n;
}

/* Copies a fixed-width, NUL-padded name field. */
static void put_name(uint8_t *dst, const char *src)
{
    size_t n = bounded_len(src, SG_NAME_LEN);
    memset(dst, 0, SG_NAME_LEN);
    memcpy(dst, src, n);
}

static void get_name(char *dst, const uint8_t *src)
{
    size_t n = bounded_len((const char *)src, SG_NAME_LEN);
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* Variable-length text at the end of a payload; not NUL-terminated on the wire. */
static int get_text(char *dst, const uint8_t *src, size_t len)
{
    if (len > SG_PROTOCOL_MAX_TEXT)
        return -1;
    memcpy(dst, src, len);
    dst[len] = '\0';
    return 0;
}

size_t sg_pack_hello(const sg_msg_hello_t *m, uint8_t *out, size_t cap)
{
    size_t n = bounded_len(m->host_name, SG_NAME_LEN);
    if (cap < 3 + n)
        return 0;
    out[0] = m->proto_version;
    sg_put_le16(out + 1, m->host_caps);
    memcpy(out + 3, m->host_name, n);
    return 3 + n;
}

int sg_unpack_hello(const uint8_t *p, size_t len, sg_msg_hello_t *m)
{
    if (len < 3 || len > 3 + SG_NAME_LEN)
        return -1;
    m->proto_version = p[0];
    m->host_caps = sg_get_le16(p + 1);
    memcpy(m->host_name, p + 3, len - 3);
    m->host_name[len - 3] = '\0';
    return 0;
}

size_t sg_pack_describe(const sg_msg_describe_t *m, uint8_t *out, size_t cap)
{
    if (cap < SG_MSG_DESCRIBE_LEN)
        return 0;
    out[0] = m->proto_version;
    sg_put_le16(out + 1, m->caps);
    sg_put_le32(out + 3, m->sample_rate);
    out[7] = m->codec;
    sg_put_le16(out + 8, m->segment_ms);
    out[10] = m->overlap_pct;
    out[11] = m->seg_mode;
    put_name(out + 12, m->fw_version);
    put_name(out + 28, m->board);
    return SG_MSG_DESCRIBE_LEN;
}

int sg_unpack_describe(const uint8_t *p, size_t len, sg_msg_describe_t *m)
{
    if (len != SG_MSG_DESCRIBE_LEN)
        return -1;
    m->proto_version = p[0];
    m->caps = sg_get_le16(p + 1);
    m->sample_rate = sg_get_le32(p + 3);
    m->codec = p[7];
    m->segment_ms = sg_get_le16(p + 8);
    m->overlap_pct = p[10];
    m->seg_mode = p[11];
    get_name(m->fw_version, p + 12);
    get_name(m->board, p + 28);
    return 0;
}

static size_t audio_data_len(uint8_t codec, uint16_t n_samples)
{
    return codec == SG_PROTOCOL_CODEC_IMA_ADPCM ? (size_t)(n_samples + 1u) / 2u : (size_t)n_samples * 2u;
}

size_t sg_pack_audio(const sg_msg_audio_t *m, uint8_t *out, size_t cap)
{
    int adpcm = m->codec == SG_PROTOCOL_CODEC_IMA_ADPCM;
    size_t hdr = SG_MSG_AUDIO_HDR_LEN + (adpcm ? SG_MSG_ADPCM_STATE_LEN : 0);
    size_t dlen = audio_data_len(m->codec, m->n_samples);
    if ((!adpcm && m->codec != SG_PROTOCOL_CODEC_PCM16) || m->data_len != dlen || cap < hdr + dlen)
        return 0;
    sg_put_le32(out, m->sample_index);
    out[4] = m->codec;
    out[5] = 0;
    sg_put_le16(out + 6, m->n_samples);
    if (adpcm) {
        sg_put_le16(out + 8, (uint16_t)m->predictor);
        out[10] = m->step_index;
        out[11] = 0;
    }
    memcpy(out + hdr, m->data, dlen);
    return hdr + dlen;
}

int sg_unpack_audio(const uint8_t *p, size_t len, sg_msg_audio_t *m)
{
    if (len < SG_MSG_AUDIO_HDR_LEN)
        return -1;
    m->sample_index = sg_get_le32(p);
    m->codec = p[4];
    m->n_samples = sg_get_le16(p + 6);
    size_t hdr = SG_MSG_AUDIO_HDR_LEN;
    if (m->codec == SG_PROTOCOL_CODEC_IMA_ADPCM) {
        hdr += SG_MSG_ADPCM_STATE_LEN;
        if (len < hdr)
            return -1;
        m->predictor = (int16_t)sg_get_le16(p + 8);
        m->step_index = p[10];
        if (m->step_index > 88)
            return -1;
    } else if (m->codec == SG_PROTOCOL_CODEC_PCM16) {
        m->predictor = 0;
        m->step_index = 0;
    } else {
        return -1;
    }
    if (len - hdr != audio_data_len(m->codec, m->n_samples))
        return -1;
    m->data = p + hdr;
    m->data_len = (uint16_t)(len - hdr);
    return 0;
}

size_t sg_pack_segment_start(const sg_msg_segment_start_t *m, uint8_t *out, size_t cap)
{
    if (cap < SG_MSG_SEGMENT_START_LEN)
        return 0;
    sg_put_le16(out, m->segment_id);
    sg_put_le32(out + 2, m->t_start_ms);
    return SG_MSG_SEGMENT_START_LEN;
}

int sg_unpack_segment_start(const uint8_t *p, size_t len, sg_msg_segment_start_t *m)
{
    if (len != SG_MSG_SEGMENT_START_LEN)
        return -1;
    m->segment_id = sg_get_le16(p);
    m->t_start_ms = sg_get_le32(p + 2);
    return 0;
}

size_t sg_pack_segment_end(const sg_msg_segment_end_t *m, uint8_t *out, size_t cap)
{
    if (cap < SG_MSG_SEGMENT_END_LEN)
        return 0;
    sg_put_le16(out, m->segment_id);
    sg_put_le32(out + 2, m->t_end_ms);
    sg_put_le32(out + 6, m->n_samples);
    out[10] = m->flags;
    out[11] = m->kws_hits;
    out[12] = m->kws_best_id;
    out[13] = m->kws_best_score;
    sg_put_le16(out + 14, m->speech_ms);
    return SG_MSG_SEGMENT_END_LEN;
}

int sg_unpack_segment_end(const uint8_t *p, size_t len, sg_msg_segment_end_t *m)
{
    if (len != SG_MSG_SEGMENT_END_LEN)
        return -1;
    m->segment_id = sg_get_le16(p);
    m->t_end_ms = sg_get_le32(p + 2);
    m->n_samples = sg_get_le32(p + 6);
    m->flags = p[10];
    m->kws_hits = p[11];
    m->kws_best_id = p[12];
    m->kws_best_score = p[13];
    m->speech_ms = sg_get_le16(p + 14);
    return 0;
}

size_t sg_pack_keyword_hit(const sg_msg_keyword_hit_t *m, uint8_t *out, size_t cap)
{
    if (cap < SG_MSG_KEYWORD_HIT_LEN)
        return 0;
    sg_put_le16(out, m->segment_id);
    sg_put_le32(out + 2, m->t_ms);
    out[6] = m->keyword_id;
    out[7] = m->score;
    return SG_MSG_KEYWORD_HIT_LEN;
}

int sg_unpack_keyword_hit(const uint8_t *p, size_t len, sg_msg_keyword_hit_t *m)
{
    if (len != SG_MSG_KEYWORD_HIT_LEN)
        return -1;
    m->segment_id = sg_get_le16(p);
    m->t_ms = sg_get_le32(p + 2);
    m->keyword_id = p[6];
    m->score = p[7];
    return 0;
}

size_t sg_pack_verdict(const sg_msg_verdict_t *m, uint8_t *out, size_t cap)
{
    size_t n = bounded_len(m->reason, SG_PROTOCOL_MAX_TEXT);
    if (cap < SG_MSG_VERDICT_HDR_LEN + n || m->level > SG_PROTOCOL_LEVEL_SCAM || m->score_milli > 1000)
        return 0;
    sg_put_le16(out, m->segment_id);
    out[2] = m->level;
    sg_put_le16(out + 3, m->score_milli);
    memcpy(out + SG_MSG_VERDICT_HDR_LEN, m->reason, n);
    return SG_MSG_VERDICT_HDR_LEN + n;
}

int sg_unpack_verdict(const uint8_t *p, size_t len, sg_msg_verdict_t *m)
{
    if (len < SG_MSG_VERDICT_HDR_LEN)
        return -1;
    m->segment_id = sg_get_le16(p);
    m->level = p[2];
    m->score_milli = sg_get_le16(p + 3);
    if (m->level > SG_PROTOCOL_LEVEL_SCAM || m->score_milli > 1000)
        return -1;
    return get_text(m->reason, p + SG_MSG_VERDICT_HDR_LEN, len - SG_MSG_VERDICT_HDR_LEN);
}

size_t sg_pack_alert_ack(const sg_msg_alert_ack_t *m, uint8_t *out, size_t cap)
{
    if (cap < SG_MSG_ALERT_ACK_LEN)
        return 0;
    sg_put_le16(out, m->segment_id);
    out[2] = m->alert_state;
    return SG_MSG_ALERT_ACK_LEN;
}

int sg_unpack_alert_ack(const uint8_t *p, size_t len, sg_msg_alert_ack_t *m)
{
    if (len != SG_MSG_ALERT_ACK_LEN)
        return -1;
    m->segment_id = sg_get_le16(p);
    m->alert_state = p[2];
    return 0;
}

size_t sg_pack_heartbeat(const sg_msg_heartbeat_t *m, uint8_t *out, size_t cap)
{
    if (cap < SG_MSG_HEARTBEAT_LEN)
        return 0;
    sg_put_le32(out, m->uptime_ms);
    out[4] = m->alert_state;
    return SG_MSG_HEARTBEAT_LEN;
}

int sg_unpack_heartbeat(const uint8_t *p, size_t len, sg_msg_heartbeat_t *m)
{
    if (len != SG_MSG_HEARTBEAT_LEN)
        return -1;
    m->uptime_ms = sg_get_le32(p);
    m->alert_state = p[4];
    return 0;
}

size_t sg_pack_log(const sg_msg_log_t *m, uint8_t *out, size_t cap)
{
    size_t n = bounded_len(m->text, SG_PROTOCOL_MAX_TEXT);
    if (cap < 1 + n)
        return 0;
    out[0] = m->level;
    memcpy(out + 1, m->text, n);
    return 1 + n;
}

int sg_unpack_log(const uint8_t *p, size_t len, sg_msg_log_t *m)
{
    if (len < 1)
        return -1;
    m->level = p[0];
    return get_text(m->text, p + 1, len - 1);
}

size_t sg_pack_config(const sg_msg_config_t *m, uint8_t *out, size_t cap)
{
    if (cap < SG_MSG_CONFIG_LEN)
        return 0;
    out[0] = m->key;
    sg_put_le32(out + 1, (uint32_t)m->value);
    return SG_MSG_CONFIG_LEN;
}

int sg_unpack_config(const uint8_t *p, size_t len, sg_msg_config_t *m)
{
    if (len != SG_MSG_CONFIG_LEN)
        return -1;
    m->key = p[0];
    m->value = (int32_t)sg_get_le32(p + 1);
    return 0;
}

size_t sg_pack_stats(const sg_msg_stats_t *m, uint8_t *out, size_t cap)
{
    if (cap < SG_MSG_STATS_LEN)
        return 0;
    for (int i = 0; i < SG_PROTOCOL_STAT_COUNT; i++)
        sg_put_le32(out + 4 * i, m->counters[i]);
    return SG_MSG_STATS_LEN;
}

int sg_unpack_stats(const uint8_t *p, size_t len, sg_msg_stats_t *m)
{
    if (len != SG_MSG_STATS_LEN)
        return -1;
    for (int i = 0; i < SG_PROTOCOL_STAT_COUNT; i++)
        m->counters[i] = sg_get_le32(p + 4 * i);
    return 0;
}
