#include "sg_kws_model.h"
#include <string.h>
#include "sg_params.h"

/* Static memory, sized for the exported graphs (the runner refuses a larger one): the input
 * window plus one arena. The arena holds, first, the rows of the streamed layers' outputs that
 * the next inference reads (kept from one inference to the next, see plan()), then two
 * ping-pong buffers for the rest and for whole-window runs. The committed model plans 23 456 B
 * of it (sg_kws_model_arena_bytes); 2400 B + 24 KB stays within the model's 32 KB budget. */
#define SG_KWS_MODEL_MAX_WINDOW 2400 /* frames x mels */
#define SG_KWS_MODEL_MAX_ARENA 24576
#define SG_KWS_MODEL_MAX_LAYERS 32
static int8_t g_window[SG_KWS_MODEL_MAX_WINDOW];
static int8_t g_arena[SG_KWS_MODEL_MAX_ARENA];

/* Streaming (as microWakeWord does, but exact): a convolution or pooling layer without padding
 * whose time stride divides the rows its input moved by gives, one inference later, the same
 * rows shifted up, plus a few new ones at the bottom. Only those are computed; the output is
 * the same, bit for bit, as running the whole window (tested against that). The first layer
 * that cannot stream (padding, a global pool) and every one after it run on the whole window.
 * A streamed layer keeps only its bottom rows: those the next layer reads for its new rows
 * (all of them for the last streamed layer, whose output the rest reads whole). */
typedef struct {
    int ready;          /* plan computed for sg_kws_graph */
    int ok;             /* the graph fits the arena */
    int n_stream;       /* layers 0 .. n_stream-1 stream */
    long off[SG_KWS_MODEL_MAX_LAYERS];   /* their kept rows' offsets in the arena */
    int new_rows[SG_KWS_MODEL_MAX_LAYERS]; /* rows each computes per inference (streamed) */
    int kept_rows[SG_KWS_MODEL_MAX_LAYERS]; /* bottom rows of its output each keeps */
    long buf_bytes;     /* each ping-pong buffer */
    long arena_used;    /* kept rows + both buffers */
    int8_t *buf[2];
} sg_kws_plan_t;
static sg_kws_plan_t g_plan;
static int g_fresh = 1; /* the streamed outputs do not match g_window: recompute them whole */

static long tensor_bytes(sg_nn_shape_t s)
{
    return (long)s.h * s.w * s.c;
}

/* Bytes a padded convolution's input needs once its padding is made explicit (pad_input). */
static long padded_bytes(const sg_kws_layer_t *L)
{
    const sg_nn_window_t *p = &L->win;
    long ph = (long)(L->out.h - 1) * p->stride_h + p->kh, pw = (long)(L->out.w - 1) * p->stride_w + p->kw;
    if (ph < L->in.h)
        ph = L->in.h;
    if (pw < L->in.w)
        pw = L->in.w;
    return ph * pw * L->in.c;
}

static int streams(const sg_kws_layer_t *L, int shift)
{
    const int windowed = L->op == SG_KWS_OP_CONV2D || L->op == SG_KWS_OP_DWCONV2D || L->op == SG_KWS_OP_AVGPOOL ||
                         L->op == SG_KWS_OP_MAXPOOL;
    return windowed && L->win.pad_top == 0 && L->win.pad_left == 0 && L->win.stride_h > 0 && shift > 0 &&
           shift % L->win.stride_h == 0 && shift / L->win.stride_h < L->out.h &&
           (long)(L->out.h - 1) * L->win.stride_h + L->win.kh <= L->in.h;
}

static long max_l(long a, long b)
{
    return a > b ? a : b;
}

static const sg_kws_plan_t *plan(void)
{
    const sg_kws_graph_t *g = &sg_kws_graph;
    if (g_plan.ready)
        return &g_plan;
    memset(&g_plan, 0, sizeof g_plan);
    g_plan.ready = 1;
    if (g->n_layers > SG_KWS_MODEL_MAX_LAYERS)
        return &g_plan;
    int shift = g->stride_frames;
    while (g_plan.n_stream < g->n_layers - 1 && streams(&g->layers[g_plan.n_stream], shift)) {
        shift /= g->layers[g_plan.n_stream].win.stride_h;
        g_plan.new_rows[g_plan.n_stream++] = shift;
    }
    long used = 0, need = 0;
    for (int i = 0; i < g_plan.n_stream; i++) {
        const sg_kws_layer_t *L = &g->layers[i];
        int kept = L->out.h; /* the last streamed layer keeps all its rows */
        if (i + 1 < g_plan.n_stream) {
            const sg_kws_layer_t *N = &g->layers[i + 1]; /* reads rows from its first new row's window on */
            kept = N->in.h - (N->out.h - g_plan.new_rows[i + 1]) * N->win.stride_h;
            if (kept < g_plan.new_rows[i])
                kept = g_plan.new_rows[i];
        }
        g_plan.kept_rows[i] = kept;
        g_plan.off[i] = used;
        used += (long)kept * L->out.w * L->out.c;
        need = max_l(need, tensor_bytes(L->out)); /* whole-window runs pass whole outputs */
    }
    for (int i = g_plan.n_stream; i < g->n_layers; i++) {
        const sg_kws_layer_t *L = &g->layers[i];
        if (i < g->n_layers - 1)
            need = max_l(need, tensor_bytes(L->out));
        if (L->op == SG_KWS_OP_CONV2D || L->op == SG_KWS_OP_DWCONV2D)
            need = max_l(need, padded_bytes(L));
    }
    g_plan.buf_bytes = need;
    g_plan.arena_used = used + 2 * need;
    g_plan.buf[0] = g_arena + used;
    g_plan.buf[1] = g_arena + used + need;
    g_plan.ok = g_plan.arena_used <= SG_KWS_MODEL_MAX_ARENA && (long)g->frames * g->mels <= SG_KWS_MODEL_MAX_WINDOW;
    return &g_plan;
}

long sg_kws_model_arena_bytes(void)
{
    const sg_kws_plan_t *p = plan();
    return p->ok ? p->arena_used : -1;
}

int sg_kws_model_new_rows(int layer)
{
    const sg_kws_plan_t *p = plan();
    if (layer < 0 || layer >= sg_kws_graph.n_layers)
        return -1;
    return layer < p->n_stream ? p->new_rows[layer] : sg_kws_graph.layers[layer].out.h;
}

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
    if (p->in_zp < -128 || p->in_zp > 127 || PW < W + pl || PH < pt || (long)PH * PW * C > g_plan.buf_bytes)
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

/* One conv or pool layer with the given geometry (the layer's own, or its explicitly padded
 * input's, or a band of its output rows). */
static void run_windowed(const sg_kws_layer_t *L, const sg_nn_window_t *win, const int8_t *x, sg_nn_shape_t is,
                         int8_t *y, sg_nn_shape_t os)
{
    if (L->op == SG_KWS_OP_CONV2D)
        sg_nn_conv2d(win, L->w, L->bias, &L->rq, x, is, y, os);
    else if (L->op == SG_KWS_OP_DWCONV2D)
        sg_nn_depthwise_conv2d(win, L->w, L->bias, &L->rq, x, is, y, os);
    else if (L->op == SG_KWS_OP_AVGPOOL)
        sg_nn_avg_pool(win, x, is, y, os);
    else
        sg_nn_max_pool(win, x, is, y, os);
}

/* A streamed layer's newest rows, into the bottom of its kept rows (the older ones move up).
 * x holds the bottom in_kept rows of the layer's input; no padding, so output row r reads
 * input rows from r * stride_h on, as if that were the top of the input. */
static void run_new_rows(const sg_kws_layer_t *L, const int8_t *x, int in_kept, int8_t *kept, int n_kept, int n_new)
{
    const long row = (long)L->out.w * L->out.c, in_row = (long)L->in.w * L->in.c;
    const int first_in = (L->out.h - n_new) * L->win.stride_h; /* input row of the first new row */
    sg_nn_shape_t is = L->in, os = L->out;
    memmove(kept, kept + n_new * row, (size_t)((n_kept - n_new) * row));
    is.h = (int16_t)(L->in.h - first_in);
    os.h = (int16_t)n_new;
    run_windowed(L, &L->win, x + (first_in - (L->in.h - in_kept)) * in_row, is, kept + (n_kept - n_new) * row, os);
}

/* The graph on window x (frames x mels). fresh: every streamed layer computes all its rows;
 * otherwise x is the previous inference's window moved by stride_frames and they compute only
 * their new rows. */
static int run_graph(const int8_t *x, int8_t *out, int fresh)
{
    const sg_kws_graph_t *g = &sg_kws_graph;
    const sg_kws_plan_t *p = plan();
    if (!p->ok)
        return -1;
    if (sg_kws_model_layer_hook)
        sg_kws_model_layer_hook(-1);
    int in_kept = g->frames; /* the window is whole */
    for (int i = 0; i < p->n_stream; i++) {
        const sg_kws_layer_t *L = &g->layers[i];
        int8_t *kept = g_arena + p->off[i];
        const long row = (long)L->out.w * L->out.c;
        if (fresh) { /* every row, through the ping-pong buffers; keep the bottom ones */
            int8_t *y = p->buf[i & 1];
            run_windowed(L, &L->win, x, L->in, y, L->out);
            memcpy(kept, y + (long)(L->out.h - p->kept_rows[i]) * row, (size_t)(p->kept_rows[i] * row));
            x = y;
        } else {
            run_new_rows(L, x, in_kept, kept, p->kept_rows[i], p->new_rows[i]);
            x = kept;
        }
        in_kept = p->kept_rows[i];
        if (sg_kws_model_layer_hook)
            sg_kws_model_layer_hook(i);
    }
    if (p->n_stream > 0)
        x = g_arena + p->off[p->n_stream - 1]; /* the whole output of the last streamed layer */
    int cur = 0;
    for (int i = p->n_stream; i < g->n_layers; i++) {
        const sg_kws_layer_t *L = &g->layers[i];
        int8_t *y = (i == g->n_layers - 1) ? out : p->buf[cur];
        sg_nn_window_t win = L->win;
        sg_nn_shape_t is = L->in;
        /* x is the window, a streamed output or buf[cur ^ 1]: pad into (or in place in) buf[cur ^ 1] */
        if ((L->op == SG_KWS_OP_CONV2D || L->op == SG_KWS_OP_DWCONV2D) && pad_input(L, x, p->buf[cur ^ 1], &win, &is))
            x = p->buf[cur ^ 1];
        switch (L->op) {
        case SG_KWS_OP_CONV2D:
        case SG_KWS_OP_DWCONV2D:
        case SG_KWS_OP_AVGPOOL:
        case SG_KWS_OP_MAXPOOL:
            run_windowed(L, &win, x, is, y, L->out);
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

int sg_kws_model_run_window(const int8_t *window, int8_t *out)
{
    g_fresh = 1; /* the streamed outputs will hold this window's rows, not g_window's */
    return run_graph(window, out, 1);
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
    if (run_graph(g_window, out, g_fresh) != 0)
        return -1;
    g_fresh = 0;
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
    /* The kept outputs of that silent window are computed now, once (the whole window costs
     * several times a streamed inference and would not fit one 20 ms frame); if this cannot
     * run, the first inference computes them and reports the error. */
    int8_t out[SG_KWS_MAX_KEYWORDS + 1];
    void (*hook)(int) = sg_kws_model_layer_hook; /* not an inference: benchmarks must not count it */
    sg_kws_model_layer_hook = NULL;
    g_fresh = sg_kws_graph.n_classes > SG_KWS_MAX_KEYWORDS + 1 || run_graph(g_window, out, 1) != 0;
    sg_kws_model_layer_hook = hook;
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
