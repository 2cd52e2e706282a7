#include "sim_args.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sg_params.h"

static const char usage[] =
    "usage: scamguard-sim (--wav FILE | --no-wav) [--speed N] [--segment-ms MS] [--overlap PCT]\n"
    "                     [--mode fixed|vad] [--codec adpcm|pcm] [--wait-host SECONDS]\n"
    "                     [--tail-ms MS] [--link PATH] [--loop N] [--wait-open SECONDS]\n"
    "The ScamGuard board core, run natively: feeds a 16 kHz mono int16 WAV through the board's\n"
    "pipeline and speaks the wire protocol on a pseudo-terminal (printed as `PTY /dev/pts/N`).\n"
    "  --speed N        1 = real time (default), 2 = twice as fast, 0 = as fast as possible\n"
    "  --wait-host S    wait up to S seconds for the host's HELLO before playing (default 10;\n"
    "                   0 = start at once)\n"
    "  --wait-open S    boot only once a host holds the pty open (up to S seconds), so the\n"
    "                   host sees the BOOT line, as a serial monitor attached before reset does\n"
    "  --tail-ms MS     keep running MS after the audio ends, for late verdicts (default 4000)\n"
    "  --link PATH      also create a symlink PATH -> the pty\n"
    "  --loop N         play the WAV N times (default 1)\n"
    "  --no-wav         no file: silence and injected audio (INJECT_AUDIO) until SIGTERM\n";

static int bad(const char *opt, const char *val, const char *why)
{
    if (val)
        fprintf(stderr, "error: %s %s: %s\n", opt, val, why);
    else
        fprintf(stderr, "error: %s: %s\n", opt, why);
    return 2;
}

static int parse_num(const char *opt, const char *s, double lo, double hi, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || v < lo || v > hi) {
        char why[96];
        snprintf(why, sizeof why, "expected a number from %g to %g", lo, hi);
        return bad(opt, s, why);
    }
    *out = v;
    return 0;
}

static int parse_int(const char *opt, const char *s, long lo, long hi, int *out)
{
    double v;
    if (parse_num(opt, s, (double)lo, (double)hi, &v))
        return 2;
    if (v != (double)(long)v)
        return bad(opt, s, "expected a whole number");
    *out = (int)v;
    return 0;
}

int sim_args_parse(int argc, char **argv, sim_args_t *a)
{
    memset(a, 0, sizeof *a);
    a->speed = 1.0;
    a->segment_ms = -1;
    a->overlap_pct = -1;
    a->mode = -1;
    a->codec = SG_PROTOCOL_CODEC_IMA_ADPCM;
    a->wait_host_s = 10.0;
    a->tail_ms = 4000;
    a->loops = 1;
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];
        if (!strcmp(o, "-h") || !strcmp(o, "--help")) {
            fputs(usage, stdout);
            return 1;
        }
        if (!strcmp(o, "--no-wav")) {
            a->no_wav = 1;
            continue;
        }
        if (i + 1 >= argc)
            return strncmp(o, "--", 2) ? bad(o, NULL, "unexpected argument (see --help)")
                                       : bad(o, NULL, "unknown option or missing value (see --help)");
        const char *v = argv[++i];
        int rc = 0;
        if (!strcmp(o, "--wav"))
            a->wav = v;
        else if (!strcmp(o, "--speed"))
            rc = parse_num(o, v, 0, 1000, &a->speed);
        else if (!strcmp(o, "--segment-ms"))
            rc = parse_int(o, v, SG_SEGMENTER_MIN_SEGMENT_MS, SG_SEGMENTER_MAX_SEGMENT_MS, &a->segment_ms);
        else if (!strcmp(o, "--overlap"))
            rc = parse_int(o, v, 0, SG_SEGMENTER_MAX_OVERLAP_PCT, &a->overlap_pct);
        else if (!strcmp(o, "--mode")) {
            if (!strcmp(v, "fixed"))
                a->mode = SG_SEGMENTER_MODE_FIXED;
            else if (!strcmp(v, "vad"))
                a->mode = SG_SEGMENTER_MODE_VAD_CUT;
            else
                rc = bad(o, v, "expected fixed or vad");
        } else if (!strcmp(o, "--codec")) {
            if (!strcmp(v, "adpcm"))
                a->codec = SG_PROTOCOL_CODEC_IMA_ADPCM;
            else if (!strcmp(v, "pcm"))
                a->codec = SG_PROTOCOL_CODEC_PCM16;
            else
                rc = bad(o, v, "expected adpcm or pcm");
        } else if (!strcmp(o, "--wait-host"))
            rc = parse_num(o, v, 0, 86400, &a->wait_host_s);
        else if (!strcmp(o, "--wait-open"))
            rc = parse_num(o, v, 0, 86400, &a->wait_open_s);
        else if (!strcmp(o, "--tail-ms"))
            rc = parse_int(o, v, 0, 3600000, &a->tail_ms);
        else if (!strcmp(o, "--link"))
            a->link = v;
        else if (!strcmp(o, "--loop"))
            rc = parse_int(o, v, 1, 1000000, &a->loops);
        else
            rc = bad(o, NULL, "unknown option (see --help)");
        if (rc)
            return rc;
    }
    if (a->no_wav && a->wav)
        return bad("--no-wav", NULL, "cannot be combined with --wav");
    if (!a->no_wav && !a->wav)
        return bad("--wav", NULL, "missing (or pass --no-wav)");
    return 0;
}
