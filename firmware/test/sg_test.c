#include "sg_test.h"
#include <stdlib.h>
#include <string.h>

int sg_test_passed, sg_test_failed;

int sg_test_summary(const char *suite)
{
    printf("%s: %d passed, %d failed\n", suite, sg_test_passed, sg_test_failed);
    return sg_test_failed ? 1 : 0;
}

int sg_vec_next(FILE *f, char **fields, int max_fields)
{
    static char line[1 << 16];
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || line[0] == '\n')
            continue;
        int n = 0;
        for (char *tok = strtok(line, " \n"); tok && n < max_fields; tok = strtok(NULL, " \n"))
            fields[n++] = tok;
        return n;
    }
    return -1;
}

long sg_hex_decode(const char *hex, uint8_t *out, size_t cap)
{
    if (strcmp(hex, "-") == 0)
        return 0;
    size_t len = strlen(hex);
    if (len % 2 || len / 2 > cap)
        return -1;
    for (size_t i = 0; i < len / 2; i++) {
        unsigned v;
        if (sscanf(hex + 2 * i, "%2x", &v) != 1)
            return -1;
        out[i] = (uint8_t)v;
    }
    return (long)(len / 2);
}

FILE *sg_vec_open(const char *dir, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "cannot open vector file %s\n", path);
        exit(2);
    }
    return f;
}
