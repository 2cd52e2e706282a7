/* Minimal test harness for the C unit tests: CHECK counts, sg_test_summary prints the
 * "N passed, N failed" line that CI reads, and hex-vector file helpers. */
#ifndef SG_TEST_H
#define SG_TEST_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

extern int sg_test_passed, sg_test_failed;

#define CHECK(cond, ...)                                                   \
    do {                                                                   \
        if (cond) {                                                        \
            sg_test_passed++;                                              \
        } else {                                                           \
            sg_test_failed++;                                              \
            fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                  \
            fputc('\n', stderr);                                           \
        }                                                                  \
    } while (0)

int sg_test_summary(const char *suite);

/* Reads the next vector line of f (skipping comments) into up to max_fields fields.
 * Returns the number of fields, or -1 at end of file. Fields point into a static buffer. */
int sg_vec_next(FILE *f, char **fields, int max_fields);
/* Decodes hex ("-" = empty) into out; returns the byte count or -1. */
long sg_hex_decode(const char *hex, uint8_t *out, size_t cap);
FILE *sg_vec_open(const char *dir, const char *name);

#endif
