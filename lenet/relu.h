/*
 * relu.h: the rectified linear unit, the activation most networks use
 * today in place of the paper's squashing function (squash.h):
 *
 *     f(a) = max(0, a),   f'(a) = 1 for a > 0, 0 for a < 0.
 *
 * f is not differentiable at 0; relu_backward uses 0 there (a subgradient),
 * as every framework does, and the gradient check compares it only at
 * inputs away from 0.
 *
 * Like squash.h it has no parameters and works on a layer's weighted sums
 * a in place of squash_forward and squash_backward, and its second-
 * derivative pass stands in for squash_backward2 when a ReLU network
 * trains with SDLM (Appendix C's Gauss-Newton rule: d2E/da^2 =
 * f'(a)^2 d2E/dx^2, and f'^2 is 1 or 0).
 */
#ifndef LENET_RELU_H
#define LENET_RELU_H

#include <stddef.h>

/* x[i] = max(0, a[i]) for i < n. */
void relu_forward(double *x,          /* out: n */
                  const double *a,    /* in:  n */
                  size_t n);

/* da[i] += dx[i] where the output x[i] > 0 (so a[i] > 0), nothing where
   x[i] = 0: f' read from the output, like squash_backward. */
void relu_backward(double *da,        /* out: n, accumulated */
                   const double *dx,  /* in:  n, dE/dx */
                   const double *x,   /* in:  n, the outputs f(a) */
                   size_t n);

/* d2a[i] += d2x[i] where x[i] > 0 (f' = 1, so f'^2 = 1), nothing where
   x[i] = 0 (f' = 0). */
void relu_backward2(double *d2a,        /* out: n, accumulated */
                    const double *d2x,  /* in:  n, d2E/dx^2 */
                    const double *x,    /* in:  n, the outputs f(a) */
                    size_t n);

#endif
