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
 * a in place of squash_forward and squash_backward. It has no second-
 * derivative pass: SDLM is the paper's optimiser for the paper's units,
 * and the networks that use ReLU train with SGD, momentum or Adam.
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

#endif
