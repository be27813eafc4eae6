/*
 * squash.h: the squashing function of every LeNet-5 unit (Appendix A),
 *
 *     f(a) = A tanh(S a),   A = 1.7159,  S = 2/3,
 *
 * chosen so that f(1) = 1 and f(-1) = -1: the targets the network is trained
 * towards sit where f is still steep, not in its flat, saturated tails.
 *
 * It has no parameters. The layers compute their weighted sums `a`; the
 * network applies f to them (squash_forward) and, going back, multiplies the
 * incoming gradient by f'(a) (squash_backward).
 */
#ifndef LENET_SQUASH_H
#define LENET_SQUASH_H

#include <stddef.h>

#define SQUASH_A 1.7159
#define SQUASH_S (2.0 / 3.0)

double squash(double a);            /* f(a) */
double squash_deriv(double a);      /* f'(a) */
double squash_tanh(double x);       /* the tanh they use (squash.c) */

/* x[i] = f(a[i]) for i < n. */
void squash_forward(double *x,          /* out: n */
                    const double *a,    /* in:  n */
                    size_t n);

/*
 * da[i] += dx[i] f'(a[i]), with f'(a) written in terms of the output x = f(a)
 * (see squash.c), so backward needs no tanh.
 */
void squash_backward(double *da,        /* out: n, accumulated */
                     const double *dx,  /* in:  n, dE/dx */
                     const double *x,   /* in:  n, the outputs f(a) */
                     size_t n);

/*
 * Gauss-Newton second derivatives (Appendix C): d2a[i] += d2x[i] f'(a[i])^2.
 * The exact rule has a second term, f''(a) dE/dx, which is dropped so that
 * the estimates can never be negative.
 */
void squash_backward2(double *d2a,        /* out: n, accumulated */
                      const double *d2x,  /* in:  n */
                      const double *x,    /* in:  n, the outputs f(a) */
                      size_t n);

#endif
