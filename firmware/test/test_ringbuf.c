/* Ring buffers: absolute indexing, wrap-around, seek/peek bounds, and exact loss counts. */
#include <string.h>
#include "sg_ringbuf.h"
#include "sg_test.h"

static void fill_seq(int16_t *p, size_t n, int16_t first)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (int16_t)(first + (int16_t)i);
}

static void test_ring16(void)
{
    int16_t store[10], in[32], out[32];
    sg_ring16_t r;
    uint32_t first;
    CHECK(sg_ring16_init(&r, NULL, 10, 0) == -1, "NULL storage rejected");
    CHECK(sg_ring16_init(&r, store, 0, 0) == -1, "zero capacity rejected");
    CHECK(sg_ring16_init(&r, store, 10, 1000) == 0, "init");

    fill_seq(in, 6, 0);
    sg_ring16_write(&r, in, 6);
    CHECK(sg_ring16_unread(&r) == 6 && sg_ring16_oldest(&r) == 1000, "6 held from 1000");
    CHECK(sg_ring16_read(&r, out, 4, &first) == 4 && first == 1000 && out[3] == 3, "read 4");
    /* 8 more: 14 written, 10 held (1004..1013); unread were 2 + 8 = 10: nothing lost. */
    fill_seq(in, 8, 6);
    sg_ring16_write(&r, in, 8);
    CHECK(r.overruns == 0 && r.overrun_samples == 0, "no loss yet");
    CHECK(sg_ring16_oldest(&r) == 1004 && sg_ring16_unread(&r) == 10, "oldest 1004");
    /* 3 more: 3 unread samples (1004..1006) overwritten. */
    fill_seq(in, 3, 14);
    sg_ring16_write(&r, in, 3);
    CHECK(r.overruns == 1 && r.overrun_samples == 3, "overrun 3: %u/%u", (unsigned)r.overruns,
          (unsigned)r.overrun_samples);
    CHECK(sg_ring16_read(&r, out, 32, &first) == 10 && first == 1007, "reader skipped to 1007");
    CHECK(out[0] == 7 && out[9] == 16, "wrapped data %d..%d", out[0], out[9]);

    /* Seek back for pre-roll: 1007 still held, 1006 not; the future is refused. */
    CHECK(sg_ring16_seek(&r, 1006) == -1 && r.read_index == 1017, "1006 gone");
    CHECK(sg_ring16_seek(&r, 1018) == -1, "future refused");
    CHECK(sg_ring16_seek(&r, 1017) == 0, "seek to writer ok");
    CHECK(sg_ring16_seek(&r, 1012) == 0 && sg_ring16_unread(&r) == 5, "rewound 5");
    CHECK(sg_ring16_read(&r, out, 2, &first) == 2 && first == 1012 && out[0] == 12, "re-read");
    CHECK(sg_ring16_peek_at(&r, 1010, out, 7) == 0 && out[0] == 10 && out[6] == 16, "peek");
    CHECK(sg_ring16_peek_at(&r, 1010, out, 8) == -1, "peek past the writer refused");
    CHECK(sg_ring16_peek_at(&r, 1006, out, 1) == -1, "peek before oldest refused");
    CHECK(r.read_index == 1014, "peek does not move the reader");

    /* Samples skipped by a forward seek are not losses. */
    CHECK(sg_ring16_seek(&r, 1017) == 0, "skip forward");
    fill_seq(in, 10, 17);
    sg_ring16_write(&r, in, 10);
    CHECK(r.overruns == 1 && r.overrun_samples == 3, "skipped audio is not an overrun");

    /* An oversized write keeps only its newest cap samples; everything else is counted. */
    CHECK(sg_ring16_read(&r, out, 3, NULL) == 3, "consume 3 of 10");
    fill_seq(in, 25, 100);
    sg_ring16_write(&r, in, 25);
    /* lost: 7 unread + 15 samples of this write that never fit */
    CHECK(r.overruns == 2 && r.overrun_samples == 3 + 22, "oversized: %u/%u", (unsigned)r.overruns,
          (unsigned)r.overrun_samples);
    CHECK(sg_ring16_read(&r, out, 32, &first) == 10 && first == 1027 + 15 && out[0] == 115 && out[9] == 124,
          "newest 10 kept: first %u %d..%d", (unsigned)first, out[0], out[9]);
}

static void test_ring16_index_wrap(void)
{
    int16_t store[8], in[5] = { 1, 2, 3, 4, 5 }, out[8];
    sg_ring16_t r;
    uint32_t first;
    sg_ring16_init(&r, store, 8, 0xFFFFFFFDu);
    sg_ring16_write(&r, in, 5);
    CHECK(r.write_index == 2, "index wrapped to 2");
    CHECK(sg_ring16_oldest(&r) == 0xFFFFFFFDu && sg_ring16_unread(&r) == 5, "held across the wrap");
    CHECK(sg_ring16_seek(&r, 0xFFFFFFFFu) == 0 && sg_ring16_read(&r, out, 8, &first) == 3, "read across");
    CHECK(first == 0xFFFFFFFFu && out[0] == 3 && out[2] == 5, "values across the wrap");
}

static void test_ring8(void)
{
    uint8_t store[8], out[16];
    const uint8_t data[12] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
    const uint8_t *p;
    sg_ring8_t r;
    CHECK(sg_ring8_init(&r, store, 0) == -1, "zero capacity rejected");
    sg_ring8_init(&r, store, 8);
    CHECK(sg_ring8_write(&r, data, 5) == 5 && sg_ring8_free(&r) == 3, "write 5");
    CHECK(sg_ring8_read(&r, out, 3) == 3 && out[2] == 3, "read 3");
    CHECK(sg_ring8_write(&r, data + 5, 7) == 6, "6 of 7 fit");
    CHECK(r.dropped == 1 && r.overruns == 1, "1 byte dropped and counted");
    CHECK(sg_ring8_write_all(&r, data, 1) == -1 && r.dropped == 2 && r.overruns == 2, "full: frame refused");
    /* Head at 3: the contiguous part runs to the end of storage. */
    CHECK(sg_ring8_peek(&r, &p) == 5 && p[0] == 4, "peek contiguous 5");
    sg_ring8_consume(&r, 5);
    CHECK(sg_ring8_peek(&r, &p) == 3 && p[0] == 9, "wrapped part");
    CHECK(sg_ring8_write_all(&r, data, 5) == 0, "whole frame fits");
    CHECK(sg_ring8_read(&r, out, 16) == 8, "read all 8");
    const uint8_t want[8] = { 9, 10, 11, 1, 2, 3, 4, 5 };
    CHECK(memcmp(out, want, 8) == 0, "FIFO order across the wrap");
    sg_ring8_consume(&r, 4);
    CHECK(r.count == 0, "consume clamps at empty");
}

int main(void)
{
    test_ring16();
    test_ring16_index_wrap();
    test_ring8();
    return sg_test_summary("ringbuf");
}
