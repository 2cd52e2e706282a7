/* Command line of scamguard-sim. */
#ifndef SIM_ARGS_H
#define SIM_ARGS_H
#include <stdint.h>

typedef struct {
    const char *wav;        /* NULL with --no-wav */
    double speed;           /* 1 = real time, 0 = as fast as possible */
    int segment_ms;         /* -1 = firmware default */
    int overlap_pct;        /* -1 = default */
    int mode;               /* -1 = default, else SG_SEGMENTER_MODE_* */
    int codec;              /* SG_PROTOCOL_CODEC_* */
    double wait_host_s;
    double wait_open_s;     /* hold the boot until a host opens the pty (0 = don't) */
    int tail_ms;
    const char *link;
    int loops;
    int no_wav;
} sim_args_t;

/* Returns 0, 1 for --help (usage printed), or 2 after printing a one-line error. */
int sim_args_parse(int argc, char **argv, sim_args_t *a);

#endif
