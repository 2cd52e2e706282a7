/* Retired-instruction counter for the RV32 benchmarks. Under qemu with -icount shift=0 it
 * counts exactly, so figures do not depend on the host machine's load. */
#ifndef BENCH_INSTRET_H
#define BENCH_INSTRET_H
#include <stdint.h>

static inline uint32_t instret(void)
{
    uint32_t v;
    __asm__ volatile("rdinstret %0" : "=r"(v));
    return v;
}

#endif
