/* Int8 kernels with TFLite quantisation semantics; see sg_nn_int8.h for the contract.
 * Right shifts of negative int64 are arithmetic on every compiler this code targets (gcc,
 * clang, xtensa/riscv gcc). */
#include "sg_nn_int8.h"
#include <math.h>
#include <stdint.h>

#define I32_MIN (-2147483647 - 1)
#define I32_MAX 2147483647

int32_t sg_nn_srdhm(int32_t a, int32_t b)
{
    /* round(a * b / 2^31), exact halves upwards; the one overflowing case saturates. */
    if (a == INT32_MIN && b == INT32_MIN)
        return INT32_MAX;
    int64_t ab = (int64_t)a * (int64_t)b;
    int64_t nudge = ab >= 0 ? (1LL << 30) : (1 - (1LL << 30));
    return (int32_t)((ab + nudge) / (1LL << 31)); /* C99 division truncates toward zero */
}

int32_t sg_nn_rdivpot(int32_t x, int exponent)
{
    /* x / 2^exponent rounded to nearest, halves away from zero; exponent 0..31. */
    if (exponent <= 0)
        return x;
    const int32_t mask = (int32_t)((1LL << exponent) - 1);
    const int32_t remainder = x & mask;
    const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
    return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

int32_t sg_nn_mul_by_qm(int32_t x, int32_t mult, int shift)
{
    int left = shift > 0 ? shift : 0;
    int right = shift > 0 ? 0 : -shift;
    return sg_nn_rdivpot(sg_nn_srdhm((int32_t)((uint32_t)x << left), mult), right);
}

int32_t sg_nn_mul_by_qm_single(int32_t x, int32_t mult, int shift)
{
    const int total_shift = 31 - shift; /* shift in [-31, 30] => 1..62 */
    const int64_t round = (int64_t)1 << (total_shift - 1);
    return (int32_t)(((int64_t)x * mult + round) >> total_shift);
}

static int8_t finish(int32_t acc, const sg_nn_requant_t *rq, int ch, int16_t out_zp, int8_t lo, int8_t hi)
{
    int i = rq->n == 1 ? 0 : ch;
    acc = (rq->single_rounding ? sg_nn_mul_by_qm_single : sg_nn_mul_by_qm)(acc, rq->mult[i], rq->shift[i]) + out_zp;
    if (acc < lo)
        acc = lo;
    if (acc > hi)
        acc = hi;
    return (int8_t)acc;
}

void sg_nn_conv2d(const sg_nn_window_t *p, const int8_t *w, const int32_t *bias, const sg_nn_requant_t *rq,
                  const int8_t *in, sg_nn_shape_t is, int8_t *out, sg_nn_shape_t os)
{
    for (int oy = 0; oy < os.h; oy++)
        for (int ox = 0; ox < os.w; ox++)
            for (int oc = 0; oc < os.c; oc++) {
                int32_t acc = bias ? bias[oc] : 0;
                for (int ky = 0; ky < p->kh; ky++) {
                    int iy = oy * p->stride_h - p->pad_top + ky;
                    if (iy < 0 || iy >= is.h)
                        continue; /* padding contributes (x_zp - x_zp) * w = 0 */
                    for (int kx = 0; kx < p->kw; kx++) {
                        int ix = ox * p->stride_w - p->pad_left + kx;
                        if (ix < 0 || ix >= is.w)
                            continue;
                        const int8_t *x = in + ((long)iy * is.w + ix) * is.c;
                        const int8_t *k = w + (((long)oc * p->kh + ky) * p->kw + kx) * is.c;
                        for (int ic = 0; ic < is.c; ic++)
                            acc += ((int32_t)x[ic] - p->in_zp) * k[ic];
                    }
                }
                out[((long)oy * os.w + ox) * os.c + oc] = finish(acc, rq, oc, p->out_zp, p->act_min, p->act_max);
            }
}

void sg_nn_depthwise_conv2d(const sg_nn_window_t *p, const int8_t *w, const int32_t *bias,
                            const sg_nn_requant_t *rq, const int8_t *in, sg_nn_shape_t is, int8_t *out,
                            sg_nn_shape_t os)
{
    const int dm = os.c / is.c; /* depth multiplier */
    for (int oy = 0; oy < os.h; oy++)
        for (int ox = 0; ox < os.w; ox++)
            for (int oc = 0; oc < os.c; oc++) {
                const int ic = oc / dm;
                int32_t acc = bias ? bias[oc] : 0;
                for (int ky = 0; ky < p->kh; ky++) {
                    int iy = oy * p->stride_h - p->pad_top + ky;
                    if (iy < 0 || iy >= is.h)
                        continue;
                    for (int kx = 0; kx < p->kw; kx++) {
                        int ix = ox * p->stride_w - p->pad_left + kx;
                        if (ix < 0 || ix >= is.w)
                            continue;
                        acc += ((int32_t)in[((long)iy * is.w + ix) * is.c + ic] - p->in_zp) *
                               w[((long)ky * p->kw + kx) * os.c + oc];
                    }
                }
                out[((long)oy * os.w + ox) * os.c + oc] = finish(acc, rq, oc, p->out_zp, p->act_min, p->act_max);
            }
}

void sg_nn_fully_connected(const int8_t *w, const int32_t *bias, const sg_nn_requant_t *rq, int16_t in_zp,
                           int16_t out_zp, int8_t act_min, int8_t act_max, const int8_t *in, int n_in,
                           int8_t *out, int n_out)
{
    for (int o = 0; o < n_out; o++) {
        int32_t acc = bias ? bias[o] : 0;
        const int8_t *k = w + (long)o * n_in;
        for (int i = 0; i < n_in; i++)
            acc += ((int32_t)in[i] - in_zp) * k[i];
        out[o] = finish(acc, rq, o, out_zp, act_min, act_max);
    }
}

static void pool(const sg_nn_window_t *p, const int8_t *in, sg_nn_shape_t is, int8_t *out, sg_nn_shape_t os,
                 int is_max)
{
    for (int oy = 0; oy < os.h; oy++)
        for (int ox = 0; ox < os.w; ox++)
            for (int c = 0; c < os.c; c++) {
                int32_t acc = is_max ? -128 : 0;
                int32_t count = 0; /* only the window's part inside the input counts */
                for (int ky = 0; ky < p->kh; ky++) {
                    int iy = oy * p->stride_h - p->pad_top + ky;
                    if (iy < 0 || iy >= is.h)
                        continue;
                    for (int kx = 0; kx < p->kw; kx++) {
                        int ix = ox * p->stride_w - p->pad_left + kx;
                        if (ix < 0 || ix >= is.w)
                            continue;
                        int32_t v = in[((long)iy * is.w + ix) * is.c + c];
                        if (is_max)
                            acc = v > acc ? v : acc;
                        else
                            acc += v;
                        count++;
                    }
                }
                if (!is_max && count > 0) /* divide rounding half away from zero */
                    acc = acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
                if (acc < p->act_min)
                    acc = p->act_min;
                if (acc > p->act_max)
                    acc = p->act_max;
                out[((long)oy * os.w + ox) * os.c + c] = (int8_t)acc;
            }
}

void sg_nn_avg_pool(const sg_nn_window_t *p, const int8_t *in, sg_nn_shape_t is, int8_t *out, sg_nn_shape_t os)
{
    pool(p, in, is, out, os, 0);
}

void sg_nn_max_pool(const sg_nn_window_t *p, const int8_t *in, sg_nn_shape_t is, int8_t *out, sg_nn_shape_t os)
{
    pool(p, in, is, out, os, 1);
}

/* ---- softmax, as TFLite's int8 kernel computes it: exp() of (x - max) * input_scale comes
 * from a 256-entry float table (table[255 - d] = expf(-input_scale * beta * d)), the sum and
 * the scaling are single-precision float, and the result is rounded half away from zero.
 * The exporter builds the table with the host C library's expf, so no expf runs here and
 * the float steps below are exactly rounded IEEE single operations on any target. */
void sg_nn_softmax(const sg_nn_softmax_t *p, const int8_t *in, int8_t *out, int n)
{
    int32_t max = -128;
    for (int i = 0; i < n; i++)
        max = in[i] > max ? in[i] : max;
    const float *t = p->table + 255 - max; /* t[x] = exp((x - max) * scale), x - max <= 0 */
    float sum = 0.0f;
    for (int i = 0; i < n; i++)
        sum += t[in[i]];
    const float inv = 1.0f / (sum * p->out_scale);
    for (int i = 0; i < n; i++) {
        float r = t[in[i]] * inv; /* >= 0, so rounding half away from zero is floor(r + 0.5) */
        int32_t q = (int32_t)roundf(r) + p->out_zp;
        out[i] = (int8_t)(q < -128 ? -128 : (q > 127 ? 127 : q));
    }
}
