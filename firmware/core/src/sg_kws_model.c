#include "sg_kws_model.h"
#include <string.h>
#include "sg_params.h"

/* Static memory, sized for the exported graph (run_window refuses a larger one): 2400 B window
 * + 2 x 8192 B ping-pong activation buffers = 18.8 KB, within the 32 KB budget. */
#define SG_KWS_MODEL_MAX_WINDOW 2400 /* frames x mels */
#define SG_KWS_MODEL_MAX_ARENA 8192
static int8_t g_window[SG_KWS_MODEL_MAX_WINDOW];
static int8_t g_buf[2][SG_KWS_MODEL_MAX_ARENA];

void (*sg_kws_model_layer_hook)(int layer);

/* Copies the input of a padded (or partly covered) convolution into dst laid out with the
 * padding made explicit (filled with the input zero point, which contributes (zp - zp) * w = 0
 * exactly as skipped taps do), so that the kernels see only interior windows. dst may be src
 * (in place: rows move to higher addresses only, last row first). Returns 0 if not possible. */
static int pad_input(const sg_kws_layer_t *L, const int8_t *src, int8_t *dst, sg_nn_window_t *win,
                     sg_nn_shape_t *is)
{
    const sg_nn_window_t *p = &L->win;
    const int H = L->in.h, W = L->in.w, C = L->in.c;
    const int PH = (L->out.h - 1) * p->stride_h + p->kh, PW = (L->out.w - 1) * p->stride_w + p->kw;
    const int pt = p->pad_top, pl = p->pad_left;
    if (p->in_zp < -128 || p->in_zp > 127 || PW < W + pl || PH < pt || (long)PH * PW * C > SG_KWS_MODEL_MAX_ARENA)
        return 0;
    if (pt == 0 && pl == 0 && PH <= H && PW <= W)
        return 0; /* nothing to pad */
    const int8_t zp = (int8_t)p->in_zp;
    for (int py = PH - 1; py >= 0; py--) {
        const int iy = py - pt;
        int8_t *row = dst + (long)py * PW * C;
        if (iy < 0 || iy >= H) {
            memset(row, zp, (size_t)PW * C);
            continue;
        }
        memmove(row + (long)pl * C, src + (long)iy * W * C, (size_t)W * C);
        memset(row, zp, (size_t)pl * C);
        memset(row + (long)(pl + W) * C, zp, (size_t)(PW - pl - W) * C);
    }
    *win = *p;
    win->pad_top = 0;
    win->pad_left = 0;
    is->h = (int16_t)PH;
    is->w = (int16_t)PW;
    is->c = (int16_t)C;
    return 1;
}

int sg_kws_model_run_window(const int8_t *window, int8_t *out)
{
    const sg_kws_graph_t *g = &sg_kws_graph;
    if (g->arena_bytes > SG_KWS_MODEL_MAX_ARENA)
        return -1;
    const int8_t *x = window;
    int cur = 0;
    if (sg_kws_model_layer_hook)
        sg_kws_model_layer_hook(-1);
    for (int i = 0; i < g->n_layers; i++) {
        const sg_kws_layer_t *L = &g->layers[i];
        int8_t *y = (i == g->n_layers - 1) ? out : g_buf[cur];
        sg_nn_window_t win = L->win;
        sg_nn_shape_t is = L->in;
        if (L->op == SG_KWS_OP_CONV2D || L->op == SG_KWS_OP_DWCONV2D) {
            /* pad in place in the input's buffer, or into the free buffer for the window */
            int8_t *dst = (x == g_buf[cur ^ 1]) ? g_buf[cur ^ 1] : (y == g_buf[cur] ? g_buf[cur ^ 1] : NULL);
            if (dst && pad_input(L, x, dst, &win, &is))
                x = dst;
        }
        switch (L->op) {
        case SG_KWS_OP_CONV2D:
            sg_nn_conv2d(&win, L->w, L->bias, &L->rq, x, is, y, L->out);
            break;
        case SG_KWS_OP_DWCONV2D:
            sg_nn_depthwise_conv2d(&win, L->w, L->bias, &L->rq, x, is, y, L->out);
            break;
        case SG_KWS_OP_AVGPOOL:
            sg_nn_avg_pool(&L->win, x, L->in, y, L->out);
            break;
        case SG_KWS_OP_MAXPOOL:
            sg_nn_max_pool(&L->win, x, L->in, y, L->out);
            break;
        case SG_KWS_OP_FC:
            sg_nn_fully_connected(L->w, L->bias, &L->rq, L->win.in_zp, L->win.out_zp, L->win.act_min,
                                  L->win.act_max, x, L->in.h * L->in.w * L->in.c, y, L->out.c);
            break;
        case SG_KWS_OP_SOFTMAX:
            sg_nn_softmax(&L->sm, x, y, L->out.c);
            break;
        default:
            return -1;
        }
        x = y;
        cur ^= 1;
        if (sg_kws_model_layer_hook)
            sg_kws_model_layer_hook(i);
    }
    return 0;
}

static uint8_t *g_tap;
static size_t g_tap_n, g_tap_max;

static int infer(void *model, const int8_t *features, uint8_t *posteriors)
{
    const sg_kws_graph_t *g = (const sg_kws_graph_t *)model;
    const size_t total = (size_t)g->frames * g->mels, step = (size_t)g->stride_frames * g->mels;
    int8_t out[SG_KWS_MAX_KEYWORDS + 1];
    if (total > sizeof g_window || g->n_classes > SG_KWS_MAX_KEYWORDS + 1)
        return -1;
    memmove(g_window, g_window + step, total - step); /* oldest frames out, new ones in */
    memcpy(g_window + total - step, features, step);
    if (sg_kws_model_run_window(g_window, out) != 0)
        return -1;
    for (int i = 1; i < g->n_classes; i++)
        posteriors[i - 1] = (uint8_t)(out[i] + 128);
    if (g_tap && g_tap_n < g_tap_max) /* host analysis only; NULL on the board */
        memcpy(g_tap + g_tap_n++ * (size_t)(g->n_classes - 1), posteriors, (size_t)(g->n_classes - 1));
    return 0;
}

static sg_kws_model_t g_model;

void sg_kws_model_reset(void)
{
    memset(g_window, -128, sizeof g_window); /* -128 = the quietest feature value: silence */
}

const sg_kws_model_t *sg_kws_model_get(void)
{
    const sg_kws_graph_t *g = &sg_kws_graph;
    g_model.model = (void *)g;
    g_model.infer = infer;
    g_model.n_keywords = (uint8_t)(g->n_classes - 1);
    g_model.n_features = (uint16_t)(g->stride_frames * g->mels);
    g_model.window = g->window;
    g_model.threshold = g->threshold;
    g_model.cooldown_ms = g->cooldown_ms;
    sg_kws_model_reset();
    return &g_model;
}

/* Host tools below: one sg_kws_t (~0.7 KB) kept static so no tool needs a large stack frame. */
static sg_kws_t g_tool;

long sg_kws_model_stream(const int8_t *features, size_t n_frames, uint8_t window, uint8_t threshold,
                         uint16_t cooldown_ms, sg_kws_hit_t *hits, size_t max_hits, uint8_t *post,
                         size_t max_post)
{
    sg_kws_t *const k = &g_tool;
    sg_kws_model_t m = *sg_kws_model_get();
    const size_t mels = sg_kws_graph.mels;
    long n_hits = 0;
    if (!features)
        return -1;
    if (window)
        m.window = window;
    if (threshold)
        m.threshold = threshold;
    if (cooldown_ms)
        m.cooldown_ms = cooldown_ms;
    g_tap = post;
    g_tap_n = 0;
    g_tap_max = post ? max_post : 0;
    sg_kws_init(k);
    if (sg_kws_set_model(k, &m) != 0)
        return -1;
    for (size_t f = 0; f < n_frames; f++) {
        sg_kws_hit_t h;
        uint32_t t_ms = (uint32_t)((f + 1) * SG_AUDIO_FRAME_MS);
        if (sg_kws_push_features(k, features + f * mels, mels, t_ms, &h)) {
            if ((size_t)n_hits < max_hits)
                hits[n_hits] = h;
            n_hits++;
        }
    }
    g_tap = NULL;
    return n_hits;
}

long sg_kws_model_replay(const uint8_t *post, size_t n_inf, uint8_t n_keywords, uint8_t window, uint8_t threshold,
                         uint16_t cooldown_ms, sg_kws_hit_t *hits, size_t max_hits)
{
    sg_kws_t *const k = &g_tool;
    sg_kws_model_t m = *sg_kws_model_get();
    const uint32_t step_ms = (uint32_t)sg_kws_graph.stride_frames * SG_AUDIO_FRAME_MS;
    long n_hits = 0;
    if (!post || n_keywords != m.n_keywords)
        return -1;
    m.window = window;
    m.threshold = threshold;
    m.cooldown_ms = cooldown_ms;
    sg_kws_init(k);
    if (sg_kws_set_model(k, &m) != 0)
        return -1;
    for (size_t j = 0; j < n_inf; j++) {
        sg_kws_hit_t h;
        if (sg_kws_push_posteriors(k, post + j * n_keywords, (uint32_t)(j + 1) * step_ms, &h)) {
            if ((size_t)n_hits < max_hits)
                hits[n_hits] = h;
            n_hits++;
        }
    }
    return n_hits;
}
