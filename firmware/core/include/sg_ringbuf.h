/* Ring buffers that count every loss.
 *
 * sg_ring16_t: the audio history. Samples are addressed by their absolute stream index
 * (sample count since boot, the AUDIO frame's sample_index), so the segmenter can ask for
 * "the pre-roll from sample S" and the sender can rewind to it. Writes always succeed: the
 * oldest samples are overwritten, and any overwritten sample that the reader had not yet
 * read (or skipped on purpose with sg_ring16_seek) is counted in overrun_samples.
 *
 * sg_ring8_t: a byte FIFO (e.g. wire bytes waiting for a congested link). A write that does
 * not fit is cut short: it returns how many bytes it took and counts the rest as dropped.
 *
 * Both use caller-provided storage (allocate it statically); indices wrap modulo 2^32,
 * i.e. after 74 h of audio, which the modular arithmetic handles. */
#ifndef SG_RINGBUF_H
#define SG_RINGBUF_H
#include <stddef.h>
#include <stdint.h>

typedef struct {
    int16_t *buf;
    uint32_t cap;             /* samples */
    uint32_t write_index;     /* absolute index of the next sample written */
    uint32_t read_index;      /* absolute index of the next sample to read */
    uint32_t held;            /* samples held, <= cap */
    uint32_t overrun_samples; /* unread samples overwritten */
    uint32_t overruns;        /* writes that overwrote unread samples */
} sg_ring16_t;

/* Returns -1 if storage is NULL or cap is 0. The stream starts at index first_index. */
int sg_ring16_init(sg_ring16_t *r, int16_t *storage, uint32_t cap, uint32_t first_index);
void sg_ring16_write(sg_ring16_t *r, const int16_t *pcm, size_t n);
/* Samples between the reader and the writer. */
uint32_t sg_ring16_unread(const sg_ring16_t *r);
/* Absolute index of the oldest sample still held. */
uint32_t sg_ring16_oldest(const sg_ring16_t *r);
/* Reads up to max samples at the reader; *first_index (may be NULL) gets the index of
 * out[0]. Returns the number read. */
size_t sg_ring16_read(sg_ring16_t *r, int16_t *out, size_t max, uint32_t *first_index);
/* Moves the reader to absolute index `index` (back for pre-roll, forward to skip audio that
 * is not to be sent). Returns -1 (reader unchanged) if index is older than the oldest held
 * sample or newer than the writer. */
int sg_ring16_seek(sg_ring16_t *r, uint32_t index);
/* Copies n samples starting at absolute index without moving the reader; -1 if any of them
 * is not held. */
int sg_ring16_peek_at(const sg_ring16_t *r, uint32_t index, int16_t *out, size_t n);

typedef struct {
    uint8_t *buf;
    uint32_t cap;
    uint32_t head;    /* next byte to read */
    uint32_t count;   /* bytes held */
    uint32_t dropped; /* bytes refused because the buffer was full */
    uint32_t overruns;/* writes that were cut short */
} sg_ring8_t;

int sg_ring8_init(sg_ring8_t *r, uint8_t *storage, uint32_t cap);
/* Appends up to len bytes; returns the number taken (less than len = overrun, counted). */
size_t sg_ring8_write(sg_ring8_t *r, const uint8_t *data, size_t len);
/* Appends all len bytes or none (a frame must not be cut); returns 0 or -1 (counted). */
int sg_ring8_write_all(sg_ring8_t *r, const uint8_t *data, size_t len);
size_t sg_ring8_read(sg_ring8_t *r, uint8_t *out, size_t max);
/* Contiguous readable bytes at the head, for zero-copy sends; pair with sg_ring8_consume. */
size_t sg_ring8_peek(const sg_ring8_t *r, const uint8_t **data);
void sg_ring8_consume(sg_ring8_t *r, size_t n);
uint32_t sg_ring8_free(const sg_ring8_t *r);

#endif
