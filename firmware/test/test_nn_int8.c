/* sg_nn_int8: exact expectations on tiny cases computed by hand (worked in the comments). */
#include <math.h>
#include <string.h>
#include "sg_kws_model.h"
#include "sg_logmel.h"
#include "sg_nn_int8.h"
#include "sg_test.h"

#define HALF (1 << 30) /* Q31 multiplier 0.5 */

static int eq(const int8_t *a, const int8_t *b, int n) { return memcmp(a, b, (size_t)n) == 0; }

static void test_requantize(void)
{
    CHECK(sg_nn_srdhm(HALF, HALF) == (1 << 29), "0.5*0.5");
    CHECK(sg_nn_srdhm(INT32_MIN, INT32_MIN) == INT32_MAX, "saturates");
    /* 3 * 0.5 = 1.5 -> 2, but -1.5 -> -1: the nudge rounds exact halves upwards. */
    CHECK(sg_nn_srdhm(3, HALF) == 2 && sg_nn_srdhm(-3, HALF) == -1, "srdhm halves");
    /* rounding right shift: halves away from zero */
    CHECK(sg_nn_rdivpot(5, 1) == 3 && sg_nn_rdivpot(-5, 1) == -3, "2.5");
    CHECK(sg_nn_rdivpot(-6, 2) == -2 && sg_nn_rdivpot(7, 2) == 2 && sg_nn_rdivpot(-7, 2) == -2, "quarters");
    CHECK(sg_nn_mul_by_qm(100, HALF, 0) == 50 && sg_nn_mul_by_qm(100, HALF, -1) == 25 &&
              sg_nn_mul_by_qm(100, HALF, 1) == 100, "shifts");
    /* double rounding: 5 * 0.25 = 1.25, but 5 * 0.5 = 2.5 -> 3, then 3 / 2 = 1.5 -> 2 */
    CHECK(sg_nn_mul_by_qm(5, HALF, -1) == 2, "%d", sg_nn_mul_by_qm(5, HALF, -1));
    /* single rounding: 1.25 -> 1, 1.75 -> 2, -1.25 -> -1, -1.75 -> -2, -1.5 -> -1 (halves up) */
    CHECK(sg_nn_mul_by_qm_single(5, HALF, -1) == 1 && sg_nn_mul_by_qm_single(7, HALF, -1) == 2 &&
              sg_nn_mul_by_qm_single(-5, HALF, -1) == -1 && sg_nn_mul_by_qm_single(-7, HALF, -1) == -2 &&
              sg_nn_mul_by_qm_single(-6, HALF, -1) == -1, "single");
    CHECK(sg_nn_mul_by_qm_single(INT32_MAX, INT32_MAX, 0) == INT32_MAX - 1, "no overflow in 64 bits");
}

static void test_conv(void)
{
    /* 3x3x1 input with zero point 1, so x - zp = 0..8 row-major; two 2x2 filters, VALID.
     * ch0 w = [1 2; 3 4]: acc 27 37 57 67, + bias 3 = 30 40 60 70, * 0.5 = 15 20 30 35, + zp -5.
     * ch1 w = [-1 0; 0 1]: acc 4 everywhere, + bias -2 = 2, * (0.5 << 1) = 2, + zp -5 = -3. */
    const int8_t in[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    const int8_t w[8] = {1, 2, 3, 4, -1, 0, 0, 1};
    const int32_t bias[2] = {3, -2}, mult[2] = {HALF, HALF};
    const int8_t shift[2] = {0, 1};
    sg_nn_requant_t rq = {mult, shift, 2, 0};
    sg_nn_window_t p = {2, 2, 1, 1, 0, 0, 1, -5, -128, 127};
    int8_t out[8];
    const int8_t want[8] = {10, -3, 15, -3, 25, -3, 30, -3};
    sg_nn_conv2d(&p, w, bias, &rq, in, (sg_nn_shape_t){3, 3, 1}, out, (sg_nn_shape_t){2, 2, 2});
    CHECK(eq(out, want, 8), "conv valid");
    /* fused activation clamps at act_max = 20 */
    p.act_max = 20;
    const int8_t want_clamped[8] = {10, -3, 15, -3, 20, -3, 20, -3};
    sg_nn_conv2d(&p, w, bias, &rq, in, (sg_nn_shape_t){3, 3, 1}, out, (sg_nn_shape_t){2, 2, 2});
    CHECK(eq(out, want_clamped, 8), "conv act clamp");
    /* SAME, 3x3 out: pad bottom/right only (total 1, top/left get 0). Corner (2,2) sees just
     * x=8 under each filter's top-left tap: ch0 1*8 + 3 = 11 -> 5.5 -> 6 -> 1;
     * ch1 -1*8 - 2 = -10 -> (x2) -20 * 0.5 = -10 -> -15. */
    p.act_max = 127;
    int8_t out9[18];
    sg_nn_conv2d(&p, w, bias, &rq, in, (sg_nn_shape_t){3, 3, 1}, out9, (sg_nn_shape_t){3, 3, 2});
    CHECK(out9[16] == 1 && out9[17] == -15 && out9[0] == 10, "conv same %d %d", out9[16], out9[17]);
}

static void test_depthwise(void)
{
    /* 2x2x2 input (zp 0): ch0 1 2 3 4, ch1 10 20 30 40. ch0 w all 1 -> 10 -> 5;
     * ch1 w [1 -1; 0 0] -> 10 - 20 = -10 -> -5; ReLU (act_min = out_zp = 0) -> 0. */
    const int8_t in[8] = {1, 10, 2, 20, 3, 30, 4, 40};
    const int8_t w[8] = {1, 1, 1, -1, 1, 0, 1, 0};
    const int32_t mult[1] = {HALF};
    const int8_t shift[1] = {0};
    sg_nn_requant_t rq = {mult, shift, 1, 0};
    sg_nn_window_t p = {2, 2, 1, 1, 0, 0, 0, 0, -128, 127};
    int8_t out[2];
    sg_nn_depthwise_conv2d(&p, w, NULL, &rq, in, (sg_nn_shape_t){2, 2, 2}, out, (sg_nn_shape_t){1, 1, 2});
    CHECK(out[0] == 5 && out[1] == -5, "dw %d %d", out[0], out[1]);
    p.act_min = 0;
    sg_nn_depthwise_conv2d(&p, w, NULL, &rq, in, (sg_nn_shape_t){2, 2, 2}, out, (sg_nn_shape_t){1, 1, 2});
    CHECK(out[0] == 5 && out[1] == 0, "dw relu");
    /* depth multiplier 2 on one input channel: out ch0 = sum, ch1 = x00 - x11 */
    const int8_t in1[4] = {1, 2, 3, 4};
    const int8_t w2[8] = {1, 1, 1, 0, 1, 0, 1, -1};
    p.act_min = -128;
    sg_nn_depthwise_conv2d(&p, w2, NULL, &rq, in1, (sg_nn_shape_t){2, 2, 1}, out, (sg_nn_shape_t){1, 1, 2});
    CHECK(out[0] == 5 && out[1] == -1, "dw multiplier %d %d", out[0], out[1]); /* 10*0.5, -3*0.5=-1.5 -> -1 */
}

static void test_fc(void)
{
    /* x - zp = 2 3 4. Row 0 [1 0 -1] = -2, + 7 = 5 -> x0.25 = 1.25 -> 1, + 3 = 4.
     * Row 1 [2 2 2] = 18, - 2 = 16 -> 4, + 3 = 7. LiteRT's FC rounds once. */
    const int8_t in[3] = {1, 2, 3};
    const int8_t w[6] = {1, 0, -1, 2, 2, 2};
    const int32_t bias[2] = {7, -2}, mult[1] = {HALF};
    const int8_t shift[1] = {-1};
    sg_nn_requant_t rq = {mult, shift, 1, 1};
    int8_t out[2];
    sg_nn_fully_connected(w, bias, &rq, -1, 3, -128, 127, in, 3, out, 2);
    CHECK(out[0] == 4 && out[1] == 7, "fc %d %d", out[0], out[1]);
    rq.single_rounding = 0; /* double rounding: 1.25 -> 2 */
    sg_nn_fully_connected(w, bias, &rq, -1, 3, -128, 127, in, 3, out, 2);
    CHECK(out[0] == 5 && out[1] == 7, "fc double %d %d", out[0], out[1]);
}

static void test_pool(void)
{
    const int8_t pos[4] = {1, 2, 3, 4}, neg[4] = {-1, -2, -3, -4}, mix[4] = {-5, -3, -7, -1};
    sg_nn_window_t valid = {2, 2, 1, 1, 0, 0, 0, 0, -128, 127};
    sg_nn_shape_t s22 = {2, 2, 1}, s11 = {1, 1, 1};
    int8_t o[4];
    sg_nn_avg_pool(&valid, pos, s22, o, s11);
    CHECK(o[0] == 3, "avg 2.5 -> 3");
    sg_nn_avg_pool(&valid, neg, s22, o, s11);
    CHECK(o[0] == -3, "avg -2.5 -> -3");
    sg_nn_max_pool(&valid, mix, s22, o, s11);
    CHECK(o[0] == -1, "max");
    /* SAME 2x2 out: windows hanging over the edge average only the cells inside:
     * 10/4 = 2.5 -> 3, 6/2 = 3, 7/2 = 3.5 -> 4, 4 */
    const int8_t want[4] = {3, 3, 4, 4};
    sg_nn_avg_pool(&valid, pos, s22, o, s22);
    CHECK(eq(o, want, 4), "avg same %d %d %d %d", o[0], o[1], o[2], o[3]);
}

static void test_softmax(void)
{
    /* Table for input_scale = ln 2: table[255 - d] = 2^-d. [1 0 -1] -> 1, 1/2, 1/4, sum 1.75,
     * inv = 256 / 1.75; 146.29 -> 146, 73.14 -> 73, 36.57 -> 37; minus 128. */
    static float table[256];
    for (int i = 0; i < 256; i++)
        table[i] = ldexpf(1.0f, i - 255);
    sg_nn_softmax_t p = {table, 1.0f / 256, -128};
    const int8_t in[3] = {1, 0, -1};
    int8_t out[3];
    sg_nn_softmax(&p, in, out, 3);
    CHECK(out[0] == 18 && out[1] == -55 && out[2] == -91, "softmax %d %d %d", out[0], out[1], out[2]);
    const int8_t two[2] = {5, 5}, far[2] = {127, -128};
    sg_nn_softmax(&p, two, out, 2);
    CHECK(out[0] == 0 && out[1] == 0, "uniform");
    sg_nn_softmax(&p, far, out, 2); /* 256 clamps to 127; 2^-255 is 0 in float */
    CHECK(out[0] == 127 && out[1] == -128, "saturate %d %d", out[0], out[1]);
}

/* The exported graph under ASan/UBSan: registers with sg_kws, fits the static arena, and runs
 * on a stream (silence, then a loud ramp) without errors; exact outputs are the parity test's. */
static void test_model_graph(void)
{
    static sg_kws_t k;
    int8_t frame[SG_LOGMEL_N_MELS], out[SG_KWS_MAX_KEYWORDS + 1];
    sg_kws_hit_t hit;
    sg_kws_init(&k);
    CHECK(sg_kws_set_model(&k, sg_kws_model_get()) == 0, "model registers");
    CHECK(sg_kws_graph.n_classes == k.model->n_keywords + 1 &&
              k.model->n_features == sg_kws_graph.stride_frames * sg_kws_graph.mels && sg_kws_graph.mels == SG_LOGMEL_N_MELS, "shape");
    for (int f = 0; f < 200; f++) {
        for (int i = 0; i < SG_LOGMEL_N_MELS; i++)
            frame[i] = (int8_t)(f < 100 ? -128 : (f * 7 + i * 3) % 200 - 100);
        sg_kws_push_features(&k, frame, SG_LOGMEL_N_MELS, (uint32_t)(f + 1) * 20, &hit);
    }
    CHECK(k.errors == 0, "%lu inference errors", (unsigned long)k.errors);
    static int8_t window[50 * SG_LOGMEL_N_MELS]; /* 1 s of frames */
    CHECK((size_t)sg_kws_graph.frames * sg_kws_graph.mels <= sizeof window, "window of %u frames",
          (unsigned)sg_kws_graph.frames);
    memset(window, -128, sizeof window);
    CHECK(sg_kws_model_run_window(window, out) == 0, "run window");
    int sum = 0;
    for (int i = 0; i < sg_kws_graph.n_classes; i++)
        sum += out[i] + 128;
    CHECK(sum >= 250 && sum <= 262, "softmax sums to ~256: %d", sum); /* rounding per class */
}

/* Streaming is exact: each inference over a stream (silence, then pseudo-random features)
 * gives the same posteriors, bit for bit, as a run on that inference's whole window; and the
 * committed model does stream (its leading layers compute only their newest rows). */
static void test_model_streams_exactly(void)
{
    enum { N_FRAMES = 360, MELS = SG_LOGMEL_N_MELS };
    static int8_t feats[N_FRAMES][MELS], window[2400];
    static uint8_t post[N_FRAMES][SG_KWS_MAX_KEYWORDS];
    const sg_kws_graph_t *g = &sg_kws_graph;
    uint32_t seed = 12345u;
    for (int f = 0; f < N_FRAMES; f++)
        for (int i = 0; i < MELS; i++) {
            seed = seed * 1664525u + 1013904223u;
            feats[f][i] = (int8_t)(f < 60 ? -128 : (int)(seed >> 24) - 128);
        }
    const sg_kws_model_t *m = sg_kws_model_get(); /* resets the window to silence */
    int n_inf = 0, errors = 0, differ = 0;
    for (int f = 0; f + g->stride_frames <= N_FRAMES; f += g->stride_frames)
        errors += m->infer(m->model, feats[f], post[n_inf++]) != 0;
    CHECK(errors == 0, "%d streamed inferences failed", errors);
    CHECK((size_t)g->frames * MELS <= sizeof window, "window fits");
    for (int j = 0; j < n_inf; j++) {
        const int last = (j + 1) * g->stride_frames - 1; /* newest frame of inference j */
        int8_t out[SG_KWS_MAX_KEYWORDS + 1];
        for (int r = 0; r < g->frames; r++) {
            const int f = last - (g->frames - 1) + r;
            memset(window + r * MELS, -128, MELS);
            if (f >= 0)
                memcpy(window + r * MELS, feats[f], MELS);
        }
        CHECK(sg_kws_model_run_window(window, out) == 0, "run window %d", j);
        for (int i = 1; i < g->n_classes; i++)
            differ += post[j][i - 1] != (uint8_t)(out[i] + 128);
    }
    CHECK(differ == 0, "%d of %d streamed posteriors differ from whole-window runs", differ,
          n_inf * (g->n_classes - 1));
    CHECK(sg_kws_model_new_rows(0) < g->layers[0].out.h, "the first layer streams (%d of %d rows per inference)",
          sg_kws_model_new_rows(0), g->layers[0].out.h);
    CHECK(sg_kws_model_new_rows(-1) == -1 && sg_kws_model_new_rows(g->n_layers) == -1, "no such layer");
    /* The kept rows are fewer than whole outputs: the first layer's whole output alone, kept
     * twice over by the ping-pong buffers, bounds the arena from below. */
    long whole = 0;
    for (int i = 0; i < g->n_layers; i++)
        whole += (long)g->layers[i].out.h * g->layers[i].out.w * g->layers[i].out.c;
    const long arena = sg_kws_model_arena_bytes();
    CHECK(arena > 0 && arena < whole, "arena %ld B, whole outputs %ld B", arena, whole);
}

int main(void)
{
    test_model_graph();
    test_model_streams_exactly();
    test_requantize();
    test_conv();
    test_depthwise();
    test_fc();
    test_pool();
    test_softmax();
    return sg_test_summary("nn_int8");
}
