/*
 * dot.h: the dot product the layers share (conv.c, full.c), written for
 * speed but in a fixed order.
 *
 * The plain loop, sum += a[i] * b[i], is a chain: each addition waits for
 * the one before, some four processor cycles, however many multipliers sit
 * idle. Here DOT_LANES partial sums each take every DOT_LANES-th product
 * and are added together at the end, so that DOT_LANES additions are in
 * flight at once, and the loop over a lane block is what vector units do
 * (one instruction per 2, 4 or 8 lanes). The order of every addition is
 * the one written below, on any machine and any vector width: the result
 * does not depend on the build (unlike an `omp simd` reduction, which
 * leaves the order to the compiler).
 */
#ifndef LENET_DOT_H
#define LENET_DOT_H

#include <stddef.h>
#include <string.h>

#include "vec.h"

#define DOT_LANES 16
#define DOT_MANY 5       /* the most dot_many takes at once */

//> dot
/* The last step: the DOT_LANES partial sums added pairwise, each step
   with a fixed bound so that it compiles to a few vector additions
   instead of a loop. */
static inline double dot_lanes_sum(double *lane)
{
    for (int j = 0; j < DOT_LANES / 2; j++)
        lane[j] += lane[j + DOT_LANES / 2];
    for (int j = 0; j < DOT_LANES / 4; j++)
        lane[j] += lane[j + DOT_LANES / 4];
    for (int j = 0; j < DOT_LANES / 8; j++)
        lane[j] += lane[j + DOT_LANES / 8];
    return lane[0] + lane[1];
}

static inline double dot(const double *a, const double *b, size_t n)
{
    double lane[DOT_LANES] = { 0 };
    size_t i = 0;
    for (; i + DOT_LANES <= n; i += DOT_LANES)
        for (int j = 0; j < DOT_LANES; j++)
            lane[j] += a[i + j] * b[i + j];
    for (int j = 0; i + j < n; j++)          /* the last n % DOT_LANES */
        lane[j] += a[i + j] * b[i + j];
    return dot_lanes_sum(lane);
}
//< dot

#define DOT_VECS (DOT_LANES / VEC_LANES)

//> dot-many
/*
 * out[s] = dot(a, b + s * stride, n) for s = 0 .. count - 1, to the last
 * bit, but reading each block of a once for all of them: their partial
 * sums stay in vector registers. The last n % DOT_LANES products are taken
 * from copies padded with zeros (adding 0 to a partial sum leaves it as it
 * was). With stride 1 these are one kernel row's weight gradients (conv.c:
 * b moved by one input column each); with stride n, one row of weights
 * against several patterns' inputs (net_forward_batch).
 */
static inline void dot_many(const double *a, const double *b, size_t stride,
                            size_t n, int count, double *out)
{
    vec lane[DOT_MANY][DOT_VECS];
    size_t i = 0;
    for (int s = 0; s < count; s++)
        for (int j = 0; j < DOT_VECS; j++)
            lane[s][j] = (vec){ 0 };
    for (; i + DOT_LANES <= n; i += DOT_LANES)
        for (int j = 0; j < DOT_VECS; j++) {
            const vec aj = VEC_AT(a + i + j * VEC_LANES);
            for (int s = 0; s < count; s++)
                lane[s][j] += aj * VEC_AT(b + s * stride + i + j * VEC_LANES);
        }
    if (i < n) {
        double at[DOT_LANES] = { 0 }, bt[DOT_LANES] = { 0 };
        memcpy(at, a + i, (n - i) * sizeof *a);
        for (int s = 0; s < count; s++) {
            memcpy(bt, b + s * stride + i, (n - i) * sizeof *b);
            for (int j = 0; j < DOT_VECS; j++)
                lane[s][j] += VEC_AT(at + j * VEC_LANES) *
                              VEC_AT(bt + j * VEC_LANES);
        }
    }
    for (int s = 0; s < count; s++) {
        /* dot_lanes_sum's steps: those that add whole vecs as vecs, the
           rest inside the last vec one lane at a time */
        for (int half = DOT_VECS / 2; half >= 1; half /= 2)
            for (int j = 0; j < half; j++)
                lane[s][j] += lane[s][j + half];
        double sum[VEC_LANES];
        memcpy(sum, &lane[s][0], sizeof sum);
        for (int half = VEC_LANES / 2; half >= 2; half /= 2)
            for (int j = 0; j < half; j++)
                sum[j] += sum[j + half];
        out[s] = sum[0] + sum[1];
    }
}
//< dot-many
#endif
