/* Int8 neural-network kernels with TensorFlow Lite's quantisation semantics, batch 1, NHWC.
 *
 * Written from the TFLite quantisation spec (int8 activations with a zero point, symmetric
 * int8 weights, int32 bias with scale = input_scale * weight_scale), so that the board and
 * the .tflite reference interpreter compute bit-identical outputs:
 *   acc  = bias + sum (x - x_zp) * w                 (int32)
 *   y    = clamp(requantize(acc, mult, shift) + y_zp, act_min, act_max)
 *   requantize = acc * mult * 2^(shift - 31), rounded the way ai-edge-litert's reference
 *   kernels do, which was measured per operator (host/tests/test_kws_parity.py):
 *     conv / depthwise: gemmlowp double rounding (rounding doubling high multiply, then a
 *                       rounding right shift);
 *     fully connected:  one rounding in 64 bits, halves up (TFLite's "single rounding").
 *   The two differ on about 0.1 % of outputs, enough to break bit-exactness.
 * Multipliers and shifts are computed off-line by the exporter (one per output channel, or a
 * single one for per-tensor quantisation) and stored with the weights. No allocation. */
#ifndef SG_NN_INT8_H
#define SG_NN_INT8_H
#include <stdint.h>

typedef struct {
    int16_t h, w, c;
} sg_nn_shape_t;

/* Requantisation of one output channel set: n == 1 means per-tensor. */
typedef struct {
    const int32_t *mult;  /* Q31 multipliers in [2^30, 2^31) (or 0) */
    const int8_t *shift;  /* > 0: left shift before the multiply; < 0: rounding right shift after */
    uint16_t n;
    uint8_t single_rounding; /* 1: sg_nn_mul_by_qm_single, 0: sg_nn_mul_by_qm */
} sg_nn_requant_t;

typedef struct {
    uint8_t kh, kw, stride_h, stride_w, pad_top, pad_left;
    int16_t in_zp, out_zp;
    int8_t act_min, act_max; /* fused activation (ReLU: act_min = out_zp) */
} sg_nn_window_t;

/* Conv2D: w is [out_c][kh][kw][in_c] (TFLite OHWI), bias [out_c] (may be NULL). */
void sg_nn_conv2d(const sg_nn_window_t *p, const int8_t *w, const int32_t *bias, const sg_nn_requant_t *rq,
                  const int8_t *in, sg_nn_shape_t is, int8_t *out, sg_nn_shape_t os);
/* Depthwise conv: w is [1][kh][kw][out_c], out_c = in_c * depth_multiplier. */
void sg_nn_depthwise_conv2d(const sg_nn_window_t *p, const int8_t *w, const int32_t *bias,
                            const sg_nn_requant_t *rq, const int8_t *in, sg_nn_shape_t is, int8_t *out,
                            sg_nn_shape_t os);
/* Fully connected: w is [n_out][n_in]. */
void sg_nn_fully_connected(const int8_t *w, const int32_t *bias, const sg_nn_requant_t *rq, int16_t in_zp,
                           int16_t out_zp, int8_t act_min, int8_t act_max, const int8_t *in, int n_in,
                           int8_t *out, int n_out);
/* Pooling: input and output share scale and zero point (TFLite requires it for int8). */
void sg_nn_avg_pool(const sg_nn_window_t *p, const int8_t *in, sg_nn_shape_t is, int8_t *out, sg_nn_shape_t os);
void sg_nn_max_pool(const sg_nn_window_t *p, const int8_t *in, sg_nn_shape_t is, int8_t *out, sg_nn_shape_t os);

/* Softmax over n int8 values -> int8 (TFLite fixes the output at scale 1/256, zero point
 * -128). table[i] = expf(-input_scale * beta * (255 - i)), built off-line (see the .c). */
typedef struct {
    const float *table; /* 256 entries */
    float out_scale;
    int32_t out_zp;
} sg_nn_softmax_t;
void sg_nn_softmax(const sg_nn_softmax_t *p, const int8_t *in, int8_t *out, int n);

/* Exposed for the unit test: the fixed-point steps. */
int32_t sg_nn_srdhm(int32_t a, int32_t b);
int32_t sg_nn_rdivpot(int32_t x, int exponent);
int32_t sg_nn_mul_by_qm(int32_t x, int32_t mult, int shift);
int32_t sg_nn_mul_by_qm_single(int32_t x, int32_t mult, int shift);

#endif
