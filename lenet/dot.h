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
#define DOT_MANY 5       /* the most b's dot_grid takes at once */
#define DOT_ROWS 2       /* the most a's */

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

/* a[0] + ... + a[n - 1] in the same order as dot(a, ones, n): the plain
   loop is a chain of n additions, each waiting for the one before. */
static inline double sum_of(const double *a, size_t n)
{
    double lane[DOT_LANES] = { 0 };
    size_t i = 0;
    for (; i + DOT_LANES <= n; i += DOT_LANES)
        for (int j = 0; j < DOT_LANES; j++)
            lane[j] += a[i + j];
    for (int j = 0; i + j < n; j++)
        lane[j] += a[i + j];
    return dot_lanes_sum(lane);
}
//< dot

#define DOT_VECS (DOT_LANES / VEC_LANES)

//> dot-many
/*
 * out[t][s] = dot(a[t], b + s * stride, n) for t = 0 .. rows - 1 and
 * s = 0 .. count - 1, to the last bit, but reading each block of the a[t]
 * and of the b's once for all of them: their rows x count partial sums
 * stay in vector registers, and each vec read of b serves every a[t]. Of
 * the last n % DOT_LANES products, the whole vecs are read in place and
 * the rest from copies padded with zeros (adding 0 to a partial sum leaves
 * it as it was).
 *
 * With stride 1, the b's are one input moved by one column each: one
 * kernel row's weight gradients, for one or two output maps (conv.c).
 * With stride n, the b's are rows of weights against one input
 * (full_forward_range), or patterns' inputs against one row of weights
 * (full_forward_batch).
 */
static inline void dot_grid(const double *const *a, int rows,
                            const double *b, size_t stride, size_t n,
                            int count, double *const *out)
{
    vec lane[DOT_ROWS][DOT_MANY][DOT_VECS];
    size_t i = 0;
    for (int t = 0; t < rows; t++)
        for (int s = 0; s < count; s++)
            for (int j = 0; j < DOT_VECS; j++)
                lane[t][s][j] = (vec){ 0 };
    for (; i + DOT_LANES <= n; i += DOT_LANES)
        for (int j = 0; j < DOT_VECS; j++) {
            vec aj[DOT_ROWS];
            for (int t = 0; t < rows; t++)
                aj[t] = VEC_AT(a[t] + i + j * VEC_LANES);
            for (int s = 0; s < count; s++) {
                vec bj = VEC_AT(b + s * stride + i + j * VEC_LANES);
                VEC_KEEP(bj);               /* one read for every row */
                for (int t = 0; t < rows; t++)
                    lane[t][s][j] += aj[t] * bj;
            }
        }
    /* the last n % DOT_LANES: whole vecs read in place, and the last
       n % VEC_LANES through copies padded with zeros */
    for (int j = 0; j < DOT_VECS && i < n; j++, i += VEC_LANES) {
        if (i + VEC_LANES <= n) {
            for (int s = 0; s < count; s++) {
                const vec bj = VEC_AT(b + s * stride + i);
                for (int t = 0; t < rows; t++)
                    lane[t][s][j] += VEC_AT(a[t] + i) * bj;
            }
        } else {
            double at[DOT_ROWS][VEC_LANES] = { { 0 } }, bt[VEC_LANES] = { 0 };
            for (int t = 0; t < rows; t++)
                memcpy(at[t], a[t] + i, (n - i) * sizeof *a[t]);
            for (int s = 0; s < count; s++) {
                memcpy(bt, b + s * stride + i, (n - i) * sizeof *b);
                for (int t = 0; t < rows; t++)
                    lane[t][s][j] += VEC_AT(at[t]) * VEC_AT(bt);
            }
        }
    }
    for (int t = 0; t < rows; t++)
        for (int s = 0; s < count; s++) {
            /* dot_lanes_sum's steps: those that add whole vecs as vecs,
               the rest inside the last vec one lane at a time */
            for (int half = DOT_VECS / 2; half >= 1; half /= 2)
                for (int j = 0; j < half; j++)
                    lane[t][s][j] += lane[t][s][j + half];
            double sum[VEC_LANES];
            memcpy(sum, &lane[t][s][0], sizeof sum);
            for (int half = VEC_LANES / 2; half >= 2; half /= 2)
                for (int j = 0; j < half; j++)
                    sum[j] += sum[j + half];
            out[t][s] = sum[0] + sum[1];
        }
}

/* out[s] = dot(a, b + s * stride, n): dot_grid with one row. */
static inline void dot_many(const double *a, const double *b, size_t stride,
                            size_t n, int count, double *out)
{
    dot_grid(&a, 1, b, stride, n, count, &out);
}
//< dot-many
#endif
