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

/* Same result as sg_nn_mul_by_qm (double rounding) plus zero point and clamp, without its
 * 64-bit division (a library call on RV32 and Xtensa). srdhm: trunc((ab + nudge) / 2^31) with nudge = 2^30 (ab >= 0) or 1 - 2^30 (ab < 0)
 * equals floor((ab + 2^30) / 2^31) in both cases (for ab < 0, trunc = ceil and
 * ceil((ab + 1 - 2^30) / 2^31) = floor((ab + 1 - 2^30 + 2^31 - 1) / 2^31)). */
static inline int8_t finish_dbl(int32_t acc, int32_t mult, int shift, int32_t out_zp, int32_t lo, int32_t hi)
{
    if (acc <= 0 && mult >= 0 && shift <= 0 && out_zp <= lo)
        return (int8_t)lo; /* acc * mult * 2^shift rounds to <= 0, then clamps to lo */
    int32_t x = acc;
    if (shift > 0)
        x = (int32_t)((uint32_t)x << shift);
    if (x == INT32_MIN && mult == INT32_MIN)
        x = INT32_MAX;
    else
        x = (int32_t)(((int64_t)x * mult + (1LL << 30)) >> 31);
    if (shift < 0) {
        const int e = -shift;
        const int32_t mask = (int32_t)((1u << e) - 1u); /* e <= 31: no 64-bit shift needed */
        const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
        x = (x >> e) + ((x & mask) > threshold ? 1 : 0);
    }
    x += out_zp;
    if (x < lo)
        x = lo;
    if (x > hi)
        x = hi;
    return (int8_t)x;
}

static int8_t finish(int32_t acc, const sg_nn_requant_t *rq, int ch, int16_t out_zp, int8_t lo, int8_t hi)
{
    int i = rq->n == 1 ? 0 : ch;
    if (!rq->single_rounding)
        return finish_dbl(acc, rq->mult[i], rq->shift[i], out_zp, lo, hi);
    acc = sg_nn_mul_by_qm_single(acc, rq->mult[i], rq->shift[i]) + out_zp;
    if (acc < lo)
        acc = lo;
    if (acc > hi)
        acc = hi;
    return (int8_t)acc;
}

/* Input pixel (row * width + column) under tap (ky, kx) of output pixel (oy, ox), or -1 when
 * the tap falls in the padding, which contributes (x_zp - x_zp) * w = 0 and is skipped. */
static inline long tap_pixel(const sg_nn_window_t *p, sg_nn_shape_t is, int oy, int ox, int ky, int kx)
{
    const int iy = oy * p->stride_h - p->pad_top + ky, ix = ox * p->stride_w - p->pad_left + kx;
    return (iy < 0 || iy >= is.h || ix < 0 || ix >= is.w) ? -1 : (long)iy * is.w + ix;
}

static void conv_px_generic(const sg_nn_window_t *p, const int8_t *w, const int32_t *bias, const sg_nn_requant_t *rq,
                            const int8_t *in, sg_nn_shape_t is, int8_t *out, sg_nn_shape_t os, int oy, int ox)
{
    for (int oc = 0; oc < os.c; oc++) {
        int32_t acc = bias ? bias[oc] : 0;
        for (int ky = 0; ky < p->kh; ky++)
            for (int kx = 0; kx < p->kw; kx++) {
                const long px = tap_pixel(p, is, oy, ox, ky, kx);
                if (px < 0)
                    continue;
                const int8_t *x = in + px * is.c;
                const int8_t *k = w + (((long)oc * p->kh + ky) * p->kw + kx) * is.c;
                for (int ic = 0; ic < is.c; ic++)
                    acc += ((int32_t)x[ic] - p->in_zp) * k[ic];
            }
        out[((long)oy * os.w + ox) * os.c + oc] = finish(acc, rq, oc, p->out_zp, p->act_min, p->act_max);
    }
}

#define SG_NN_FAST_MAX_CH 128

/* Interior output pixels: every tap is inside the input, so
 * sum (x - zp) * w = sum x * w - zp * sum w and the zero-point term goes into fold[oc]. */
static void conv_fast(const sg_nn_window_t *p, const int8_t *w, const int32_t *fold, const sg_nn_requant_t *rq,
                      const int8_t *in, sg_nn_shape_t is, int8_t *out, sg_nn_shape_t os, int oy, int ox, int npix)
{
    const int L = p->kw * is.c;              /* one contiguous patch row */
    const long KL = (long)p->kh * L;         /* weights per output channel */
    const long rowstride = (long)is.w * is.c;
    const long pxstride = (long)p->stride_w * is.c;
    const int8_t *x0base = in + ((long)(oy * p->stride_h - p->pad_top) * is.w + (ox * p->stride_w - p->pad_left)) * is.c;
    int8_t *o0 = out + ((long)oy * os.w + ox) * os.c;
    const int32_t out_zp = p->out_zp, lo = p->act_min, hi = p->act_max;
    const int per_ch = rq->n != 1;
    int oc = 0;
    if (npix == 2) {
        int8_t *o1 = o0 + os.c;
        for (; oc + 4 <= os.c; oc += 4) {
            int32_t a00 = fold[oc], a01 = fold[oc + 1], a02 = fold[oc + 2], a03 = fold[oc + 3];
            int32_t a10 = a00, a11 = a01, a12 = a02, a13 = a03;
            const int8_t *wb = w + (long)oc * KL;
            const int8_t *xr = x0base;
            for (int ky = 0; ky < p->kh; ky++, xr += rowstride, wb += L) {
                const int8_t *x0 = xr, *x1 = xr + pxstride;
                const int8_t *w0 = wb, *w1 = wb + KL, *w2 = wb + 2 * KL, *w3 = wb + 3 * KL;
                int j = 0;
                for (; j + 2 <= L; j += 2) {
                    int32_t xa = x0[j], xb = x1[j], xc = x0[j + 1], xd = x1[j + 1];
                    int32_t k0 = w0[j], k1 = w1[j], k2 = w2[j], k3 = w3[j];
                    a00 += xa * k0; a01 += xa * k1; a02 += xa * k2; a03 += xa * k3;
                    a10 += xb * k0; a11 += xb * k1; a12 += xb * k2; a13 += xb * k3;
                    k0 = w0[j + 1]; k1 = w1[j + 1]; k2 = w2[j + 1]; k3 = w3[j + 1];
                    a00 += xc * k0; a01 += xc * k1; a02 += xc * k2; a03 += xc * k3;
                    a10 += xd * k0; a11 += xd * k1; a12 += xd * k2; a13 += xd * k3;
                }
                for (; j < L; j++) {
                    int32_t xa = x0[j], xb = x1[j];
                    int32_t k0 = w0[j], k1 = w1[j], k2 = w2[j], k3 = w3[j];
                    a00 += xa * k0; a01 += xa * k1; a02 += xa * k2; a03 += xa * k3;
                    a10 += xb * k0; a11 += xb * k1; a12 += xb * k2; a13 += xb * k3;
                }
            }
            int i0 = per_ch ? oc : 0, d = per_ch ? 1 : 0;
            o0[oc] = finish_dbl(a00, rq->mult[i0], rq->shift[i0], out_zp, lo, hi);
            o1[oc] = finish_dbl(a10, rq->mult[i0], rq->shift[i0], out_zp, lo, hi);
            o0[oc + 1] = finish_dbl(a01, rq->mult[i0 + d], rq->shift[i0 + d], out_zp, lo, hi);
            o1[oc + 1] = finish_dbl(a11, rq->mult[i0 + d], rq->shift[i0 + d], out_zp, lo, hi);
            o0[oc + 2] = finish_dbl(a02, rq->mult[i0 + 2 * d], rq->shift[i0 + 2 * d], out_zp, lo, hi);
            o1[oc + 2] = finish_dbl(a12, rq->mult[i0 + 2 * d], rq->shift[i0 + 2 * d], out_zp, lo, hi);
            o0[oc + 3] = finish_dbl(a03, rq->mult[i0 + 3 * d], rq->shift[i0 + 3 * d], out_zp, lo, hi);
            o1[oc + 3] = finish_dbl(a13, rq->mult[i0 + 3 * d], rq->shift[i0 + 3 * d], out_zp, lo, hi);
        }
        if (oc < os.c) {
            conv_fast(p, w, fold, rq, in, is, out, os, oy, ox, -oc - 1);
            conv_fast(p, w, fold, rq, in, is, out, os, oy, ox + 1, -oc - 1);
        }
        return;
    }
    if (npix < 0)
        oc = -npix - 1; /* remaining channels of a pair */
    for (; oc < os.c; oc++) {
        int32_t a = fold[oc];
        const int8_t *wb = w + (long)oc * KL;
        const int8_t *xr = x0base;
        for (int ky = 0; ky < p->kh; ky++, xr += rowstride, wb += L)
            for (int j = 0; j < L; j++)
                a += (int32_t)xr[j] * wb[j];
        int i = per_ch ? oc : 0;
        o0[oc] = finish_dbl(a, rq->mult[i], rq->shift[i], out_zp, lo, hi);
    }
}

void sg_nn_conv2d(const sg_nn_window_t *p, const int8_t *w, const int32_t *bias, const sg_nn_requant_t *rq,
                  const int8_t *in, sg_nn_shape_t is, int8_t *out, sg_nn_shape_t os)
{
    int32_t fold[SG_NN_FAST_MAX_CH];
    const int fast = !rq->single_rounding && os.c <= SG_NN_FAST_MAX_CH;
    if (fast) {
        const long KL = (long)p->kh * p->kw * is.c;
        for (int oc = 0; oc < os.c; oc++) {
            int32_t s = 0;
            for (long j = 0; j < KL; j++)
                s += w[oc * KL + j];
            fold[oc] = (bias ? bias[oc] : 0) - s * p->in_zp;
        }
    }
    for (int oy = 0; oy < os.h; oy++) {
        const int iy0 = oy * p->stride_h - p->pad_top;
        const int row_in = fast && iy0 >= 0 && iy0 + p->kh <= is.h;
        int ox = 0;
        while (ox < os.w) {
            const int ix0 = ox * p->stride_w - p->pad_left;
            if (!row_in || ix0 < 0 || ix0 + p->kw > is.w) {
                conv_px_generic(p, w, bias, rq, in, is, out, os, oy, ox);
                ox++;
                continue;
            }
            const int ix1 = ix0 + p->stride_w;
            if (ox + 1 < os.w && ix1 + p->kw <= is.w) {
                conv_fast(p, w, fold, rq, in, is, out, os, oy, ox, 2);
                ox += 2;
            } else {
                conv_fast(p, w, fold, rq, in, is, out, os, oy, ox, 1);
                ox++;
            }
        }
    }
}

static void dw_px_generic(const sg_nn_window_t *p, const int8_t *w, const int32_t *bias, const sg_nn_requant_t *rq,
                          const int8_t *in, sg_nn_shape_t is, int8_t *out, sg_nn_shape_t os, int oy, int ox)
{
    const int dm = os.c / is.c; /* depth multiplier */
    for (int oc = 0; oc < os.c; oc++) {
        const int ic = oc / dm;
        int32_t acc = bias ? bias[oc] : 0;
        for (int ky = 0; ky < p->kh; ky++)
            for (int kx = 0; kx < p->kw; kx++) {
                const long px = tap_pixel(p, is, oy, ox, ky, kx);
                if (px >= 0)
                    acc += ((int32_t)in[px * is.c + ic] - p->in_zp) * w[((long)ky * p->kw + kx) * os.c + oc];
            }
        out[((long)oy * os.w + ox) * os.c + oc] = finish(acc, rq, oc, p->out_zp, p->act_min, p->act_max);
    }
}

void sg_nn_depthwise_conv2d(const sg_nn_window_t *p, const int8_t *w, const int32_t *bias,
                            const sg_nn_requant_t *rq, const int8_t *in, sg_nn_shape_t is, int8_t *out,
                            sg_nn_shape_t os)
{
    int32_t fold[SG_NN_FAST_MAX_CH];
    const int C = os.c;
    const int fast = !rq->single_rounding && C == is.c && C <= SG_NN_FAST_MAX_CH;
    if (fast)
        for (int c = 0; c < C; c++) {
            int32_t s = 0;
            for (int t = 0; t < p->kh * p->kw; t++)
                s += w[(long)t * C + c];
            fold[c] = (bias ? bias[c] : 0) - s * p->in_zp;
        }
    const int32_t out_zp = p->out_zp, lo = p->act_min, hi = p->act_max;
    const int per_ch = rq->n != 1;
    const long rowstride = (long)is.w * C;
    for (int oy = 0; oy < os.h; oy++) {
        const int iy0 = oy * p->stride_h - p->pad_top;
        const int row_in = fast && iy0 >= 0 && iy0 + p->kh <= is.h;
        for (int ox = 0; ox < os.w; ox++) {
            const int ix0 = ox * p->stride_w - p->pad_left;
            if (!row_in || ix0 < 0 || ix0 + p->kw > is.w) {
                dw_px_generic(p, w, bias, rq, in, is, out, os, oy, ox);
                continue;
            }
            const int8_t *xp = in + ((long)iy0 * is.w + ix0) * C;
            int8_t *o = out + ((long)oy * os.w + ox) * C;
            int c = 0;
            for (; c + 4 <= C; c += 4) {
                int32_t a0 = fold[c], a1 = fold[c + 1], a2 = fold[c + 2], a3 = fold[c + 3];
                const int8_t *xr = xp + c, *wk = w + c;
                for (int ky = 0; ky < p->kh; ky++, xr += rowstride) {
                    const int8_t *x = xr;
                    for (int kx = 0; kx < p->kw; kx++, x += C, wk += C) {
                        a0 += (int32_t)x[0] * wk[0];
                        a1 += (int32_t)x[1] * wk[1];
                        a2 += (int32_t)x[2] * wk[2];
                        a3 += (int32_t)x[3] * wk[3];
                    }
                }
                int i0 = per_ch ? c : 0, d = per_ch ? 1 : 0;
                o[c] = finish_dbl(a0, rq->mult[i0], rq->shift[i0], out_zp, lo, hi);
                o[c + 1] = finish_dbl(a1, rq->mult[i0 + d], rq->shift[i0 + d], out_zp, lo, hi);
                o[c + 2] = finish_dbl(a2, rq->mult[i0 + 2 * d], rq->shift[i0 + 2 * d], out_zp, lo, hi);
                o[c + 3] = finish_dbl(a3, rq->mult[i0 + 3 * d], rq->shift[i0 + 3 * d], out_zp, lo, hi);
            }
            for (; c < C; c++) {
                int32_t a = fold[c];
                const int8_t *xr = xp + c, *wk = w + c;
                for (int ky = 0; ky < p->kh; ky++, xr += rowstride)
                    for (int kx = 0; kx < p->kw; kx++, wk += C)
                        a += (int32_t)xr[(long)kx * C] * *wk;
                int i = per_ch ? c : 0;
                o[c] = finish_dbl(a, rq->mult[i], rq->shift[i], out_zp, lo, hi);
            }
        }
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
                for (int ky = 0; ky < p->kh; ky++)
                    for (int kx = 0; kx < p->kw; kx++) {
                        const long px = tap_pixel(p, is, oy, ox, ky, kx);
                        if (px < 0)
                            continue;
                        int32_t v = in[px * is.c + c];
                        if (is_max)
                            acc = v > acc ? v : acc;
                        else
                            acc += v;
                        count++;
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
