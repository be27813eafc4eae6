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

#define DOT_LANES 16

//> dot
static inline double dot(const double *a, const double *b, size_t n)
{
    double lane[DOT_LANES] = { 0 };
    size_t i = 0;
    for (; i + DOT_LANES <= n; i += DOT_LANES)
        for (int j = 0; j < DOT_LANES; j++)
            lane[j] += a[i + j] * b[i + j];
    for (int j = 0; i + j < n; j++)          /* the last n % DOT_LANES */
        lane[j] += a[i + j] * b[i + j];
    /* pairwise, each step with a fixed bound so that it compiles to a
       few vector additions instead of a loop */
    for (int j = 0; j < DOT_LANES / 2; j++)
        lane[j] += lane[j + DOT_LANES / 2];
    for (int j = 0; j < DOT_LANES / 4; j++)
        lane[j] += lane[j + DOT_LANES / 4];
    for (int j = 0; j < DOT_LANES / 8; j++)
        lane[j] += lane[j + DOT_LANES / 8];
    return lane[0] + lane[1];
}
//< dot
#endif
