/* scamguard-sim: the board core, run natively against a WAV file and a pseudo-terminal.
 *
 * One thread, like the board's core task: per 20 ms frame it feeds audio (sg_app_on_pcm),
 * calls sg_app_tick and services the pty, paced at real time / --speed. now_ms is wall
 * time (link timeouts and alert holds are wall time on the board too); audio time comes
 * from sample counts inside the core. Every structured line goes to stdout (flushed) and,
 * as console text between frames, to the pty, as a board's logs share its UART. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "sg_app.h"
#include "sg_app_impl.h"
#include "sg_kws_model.h"
#include "sg_segmenter.h"
#include "sim_args.h"
#include "sim_pty.h"
#include "sim_wav.h"

static volatile sig_atomic_t g_stop;
static sg_app_t g_app;
static sim_pty_t g_pty;
static struct timespec g_t0;

static void on_signal(int sig)
{
    (void)sig;
    g_stop = 1;
}

static double mono_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - g_t0.tv_sec) + (double)(t.tv_nsec - g_t0.tv_nsec) * 1e-9;
}

static uint32_t plat_now_ms(void *ctx)
{
    (void)ctx;
    return (uint32_t)(mono_s() * 1000.0);
}

static size_t plat_link_write(void *ctx, const uint8_t *data, size_t len)
{
    (void)ctx;
    return sim_pty_queue(&g_pty, data, len);
}

static void plat_log_line(void *ctx, const char *line)
{
    char buf[SG_APP_LINE_MAX + 2];
    (void)ctx;
    printf("%s\n", line);
    fflush(stdout);
    size_t n = (size_t)snprintf(buf, sizeof buf, "%s\n", line);
    if (n >= sizeof buf)
        n = sizeof buf - 1;
    sim_pty_queue(&g_pty, (const uint8_t *)buf, n);
}

/* LED and speaker exist only as the LED/SPK lines the core already logs. */
static void plat_set_led(void *ctx, sg_led_pattern_t p) { (void)ctx; (void)p; }
static void plat_play_cue(void *ctx, sg_cue_t c) { (void)ctx; (void)c; }

static void ev_bytes(void *ctx, const uint8_t *d, size_t n) { sg_app_on_link_bytes(ctx, d, n); }
static void ev_presence(void *ctx, int present) { sg_app_on_link_transport(ctx, present); }
static const sim_pty_events_t g_events = { &g_app, ev_bytes, ev_presence };

/* Services the pty and the core's timers until wall time `until` (seconds). */
static void idle_until(double until)
{
    for (;;) {
        sg_app_tick(&g_app);
        double left = until - mono_s();
        if (left <= 0 || g_stop) {
            sim_pty_pump(&g_pty, 0, &g_events);
            return;
        }
        int ms = (int)(left * 1000.0) + 1;
        sim_pty_pump(&g_pty, ms < 20 ? ms : 20, &g_events);
    }
}

/* --wait-open: a board on a bench boots with its serial monitor already attached, so its BOOT
 * line reaches the host; without a holder the pty drops output. Nothing is read here (no
 * events), and a host only talks after BOOT anyway. */
static void wait_open(double seconds)
{
    double until = mono_s() + seconds;
    while (!g_stop && !g_pty.host_present && mono_s() < until)
        sim_pty_pump(&g_pty, 10, NULL);
}

/* With --speed 0 the audio outruns any host; wait for the pty to drain rather than drop
 * frames (at a real-time speed the loop never waits for the host). */
static void backpressure(void)
{
    double give_up = mono_s() + 2.0;
    while (g_pty.host_present && sim_pty_pending(&g_pty) > SIM_PTY_OUT_CAP / 4 && mono_s() < give_up && !g_stop)
        sim_pty_pump(&g_pty, 5, &g_events);
}

static void play(const int16_t *pcm, size_t n, double speed, double *clock)
{
    const size_t step = SG_AUDIO_FRAME_SAMPLES;
    const double frame_s = (double)step / SG_AUDIO_SAMPLE_RATE_HZ;
    for (size_t off = 0; off < n && !g_stop; off += step) {
        size_t take = n - off < step ? n - off : step;
        if (pcm)
            sg_app_on_pcm(&g_app, pcm + off, take);
        else {
            static const int16_t silence[SG_AUDIO_FRAME_SAMPLES];
            sg_app_on_pcm(&g_app, silence, take);
        }
        sg_app_tick(&g_app);
        if (speed > 0) {
            *clock += frame_s / speed;
            idle_until(*clock);
        } else {
            sim_pty_pump(&g_pty, 0, &g_events);
            backpressure();
        }
    }
}

static int config_from_args(const sim_args_t *a, sg_app_config_t *cfg)
{
    sg_segmenter_config_t sc;
    const char *why = NULL;
    sg_app_default_config(cfg);
    cfg->board = "posix-sim";
    cfg->caps |= SG_PROTOCOL_CAPS_SERIAL | SG_PROTOCOL_CAPS_PCM16 | SG_PROTOCOL_CAPS_INJECT;
    cfg->codec = (uint8_t)a->codec;
    if (a->segment_ms >= 0)
        cfg->segment_ms = (uint16_t)a->segment_ms;
    if (a->overlap_pct >= 0)
        cfg->overlap_pct = (uint8_t)a->overlap_pct;
    if (a->mode >= 0)
        cfg->seg_mode = (uint8_t)a->mode;
    sc.mode = cfg->seg_mode;
    sc.segment_ms = cfg->segment_ms;
    sc.overlap_pct = cfg->overlap_pct;
    if (sg_segmenter_check_config(&sc, &why) != 0) {
        fprintf(stderr, "error: --segment-ms %u --overlap %u --mode %s: %s\n", (unsigned)sc.segment_ms,
                (unsigned)sc.overlap_pct, sc.mode == SG_SEGMENTER_MODE_FIXED ? "fixed" : "vad", why ? why : "invalid");
        return 2;
    }
    return 0;
}

int main(int argc, char **argv)
{
    sim_args_t a;
    sim_wav_t wav = { NULL, 0 };
    sg_app_config_t cfg;
    sg_app_summary_t sum;
    char err[256];
    int rc = sim_args_parse(argc, argv, &a);
    if (rc)
        return rc == 1 ? 0 : 2;
    if (config_from_args(&a, &cfg))
        return 2;
    if (a.wav && sim_wav_load(a.wav, &wav, err, sizeof err) != 0) {
        fprintf(stderr, "error: %s: %s\n", a.wav, err);
        return 2;
    }
    if (sim_pty_open(&g_pty, a.link, err, sizeof err) != 0) {
        fprintf(stderr, "error: pty: %s\n", err);
        sim_wav_free(&wav);
        return 2;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    clock_gettime(CLOCK_MONOTONIC, &g_t0);
    printf("PTY %s\n", g_pty.name);
    fflush(stdout);

    if (a.wait_open_s > 0)
        wait_open(a.wait_open_s);
    const sg_platform_t plat = { NULL, plat_now_ms, plat_link_write, plat_log_line, plat_set_led, plat_play_cue };
    sg_app_init(&g_app, &plat, &cfg);
    if (sg_app_set_kws_model(&g_app, sg_kws_model_get()) != 0)
        fprintf(stderr, "warning: keyword model rejected; running without the keyword spotter\n");

    /* Wait for the host's HELLO (the link comes up) or the timeout. */
    double deadline = mono_s() + a.wait_host_s;
    while (!g_stop && mono_s() < deadline) {
        sg_app_get_summary(&g_app, &sum);
        if (sum.link_up)
            break;
        idle_until(mono_s() + 0.02 < deadline ? mono_s() + 0.02 : deadline);
    }

    double clock = mono_s();
    if (a.no_wav) {
        /* No file: a quiet room, until SIGTERM. Injected audio replaces it inside the core. */
        while (!g_stop)
            play(NULL, SG_AUDIO_SAMPLE_RATE_HZ, a.speed > 0 ? a.speed : 1.0, &clock);
    } else {
        for (int loop = 0; loop < a.loops && !g_stop; loop++)
            play(wav.samples, wav.n, a.speed, &clock);
        sg_app_end_of_audio(&g_app);
        if (!g_stop)
            idle_until(mono_s() + a.tail_ms / 1000.0);
    }
    /* Let the last lines reach a connected host. */
    double drain_until = mono_s() + 0.5;
    while (g_pty.host_present && sim_pty_pending(&g_pty) && mono_s() < drain_until)
        sim_pty_pump(&g_pty, 5, &g_events);

    sg_app_get_summary(&g_app, &sum);
    printf("DONE alerts=%lu max_state=%s segments=%lu\n", (unsigned long)sum.alerts,
           sg_app_state_name(sum.worst_state), (unsigned long)sum.segments);
    fflush(stdout);
    sim_pty_close(&g_pty);
    sim_wav_free(&wav);
    return 0;
}
