/* Audio history and byte FIFO; see sg_ringbuf.h. Stream indices are modulo 2^32, so every
 * comparison is made on unsigned distances from the writer, never on absolute values. */
#include "sg_ringbuf.h"
#include <string.h>

int sg_ring16_init(sg_ring16_t *r, int16_t *storage, uint32_t cap, uint32_t first_index)
{
    if (!r || !storage || cap == 0)
        return -1;
    r->buf = storage;
    r->cap = cap;
    r->write_index = first_index;
    r->read_index = first_index;
    r->held = 0;
    r->overrun_samples = 0;
    r->overruns = 0;
    return 0;
}

uint32_t sg_ring16_oldest(const sg_ring16_t *r) { return r->write_index - r->held; }

uint32_t sg_ring16_unread(const sg_ring16_t *r) { return r->write_index - r->read_index; }

void sg_ring16_write(sg_ring16_t *r, const int16_t *pcm, size_t n)
{
    /* Only the newest cap samples of an oversized write can be kept. */
    if (n > r->cap) {
        size_t skip = n - r->cap;
        uint32_t unread = sg_ring16_unread(r);
        /* Samples of this write that nobody will ever read are lost too. */
        r->overrun_samples += unread + (uint32_t)skip;
        r->overruns++;
        r->write_index += (uint32_t)skip;
        r->read_index = r->write_index;
        r->held = 0;
        pcm += skip;
        n = r->cap;
    }
    uint32_t unread = sg_ring16_unread(r);
    uint32_t room_unread = r->cap - unread; /* samples writable without losing unread ones */
    if (n > room_unread) {
        uint32_t lost = (uint32_t)n - room_unread;
        r->overrun_samples += lost;
        r->overruns++;
        r->read_index += lost;
    }
    uint32_t pos = r->write_index % r->cap;
    size_t first = r->cap - pos < n ? r->cap - pos : n;
    memcpy(&r->buf[pos], pcm, first * sizeof *pcm);
    memcpy(&r->buf[0], pcm + first, (n - first) * sizeof *pcm);
    r->write_index += (uint32_t)n;
    r->held = r->held + n > r->cap ? r->cap : r->held + (uint32_t)n;
}

static void copy_out(const sg_ring16_t *r, uint32_t index, int16_t *out, size_t n)
{
    uint32_t pos = index % r->cap;
    size_t first = r->cap - pos < n ? r->cap - pos : n;
    memcpy(out, &r->buf[pos], first * sizeof *out);
    memcpy(out + first, &r->buf[0], (n - first) * sizeof *out);
}

size_t sg_ring16_read(sg_ring16_t *r, int16_t *out, size_t max, uint32_t *first_index)
{
    uint32_t unread = sg_ring16_unread(r);
    size_t n = unread < max ? unread : max;
    if (first_index)
        *first_index = r->read_index;
    copy_out(r, r->read_index, out, n);
    r->read_index += (uint32_t)n;
    return n;
}

/* Distance back from the writer: index is held iff 0 <= write - index <= held. */
static int is_held(const sg_ring16_t *r, uint32_t index, size_t n)
{
    uint32_t back = r->write_index - index;
    return back <= r->held && n <= back;
}

int sg_ring16_seek(sg_ring16_t *r, uint32_t index)
{
    if (!is_held(r, index, 0))
        return -1;
    r->read_index = index;
    return 0;
}

int sg_ring16_peek_at(const sg_ring16_t *r, uint32_t index, int16_t *out, size_t n)
{
    if (!is_held(r, index, n))
        return -1;
    copy_out(r, index, out, n);
    return 0;
}

int sg_ring8_init(sg_ring8_t *r, uint8_t *storage, uint32_t cap)
{
    if (!r || !storage || cap == 0)
        return -1;
    r->buf = storage;
    r->cap = cap;
    r->head = 0;
    r->count = 0;
    r->dropped = 0;
    r->overruns = 0;
    return 0;
}

uint32_t sg_ring8_free(const sg_ring8_t *r) { return r->cap - r->count; }

static void put(sg_ring8_t *r, const uint8_t *data, size_t n)
{
    uint32_t tail = (r->head + r->count) % r->cap;
    size_t first = r->cap - tail < n ? r->cap - tail : n;
    memcpy(&r->buf[tail], data, first);
    memcpy(&r->buf[0], data + first, n - first);
    r->count += (uint32_t)n;
}

size_t sg_ring8_write(sg_ring8_t *r, const uint8_t *data, size_t len)
{
    size_t n = len < sg_ring8_free(r) ? len : sg_ring8_free(r);
    if (n < len) {
        r->dropped += (uint32_t)(len - n);
        r->overruns++;
    }
    put(r, data, n);
    return n;
}

int sg_ring8_write_all(sg_ring8_t *r, const uint8_t *data, size_t len)
{
    if (len > sg_ring8_free(r)) {
        r->dropped += (uint32_t)len;
        r->overruns++;
        return -1;
    }
    put(r, data, len);
    return 0;
}

size_t sg_ring8_peek(const sg_ring8_t *r, const uint8_t **data)
{
    *data = &r->buf[r->head];
    return r->cap - r->head < r->count ? r->cap - r->head : r->count;
}

void sg_ring8_consume(sg_ring8_t *r, size_t n)
{
    if (n > r->count)
        n = r->count;
    r->head = (uint32_t)((r->head + n) % r->cap);
    r->count -= (uint32_t)n;
}

size_t sg_ring8_read(sg_ring8_t *r, uint8_t *out, size_t max)
{
    size_t total = 0;
    while (total < max && r->count) {
        const uint8_t *p;
        size_t n = sg_ring8_peek(r, &p);
        if (n > max - total)
            n = max - total;
        memcpy(out + total, p, n);
        sg_ring8_consume(r, n);
        total += n;
    }
    return total;
}
