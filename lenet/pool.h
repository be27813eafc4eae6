/*
 * pool.h: 2x2 pooling without parameters, the two kinds today's LeNets use
 * where the paper has its trainable subsampling (subsample.h):
 *
 *   average:  out = (x00 + x01 + x10 + x11) / 4
 *   max:      out = max(x00, x01, x10, x11)
 *
 * Each map is halved in both directions, blocks do not overlap, and nothing
 * is learned: pool_num_params is 0. Each output unit reads four inputs, so
 * a layer has 4 connections per output (no bias, unlike subsample's 5).
 *
 * Max pooling's gradient goes to the input that won. When several inputs
 * of a block tie for the maximum, the first in row-major order (top-left,
 * top-right, bottom-left, bottom-right) wins, in the forward pass's sense
 * and in the backward pass alike; the gradient check compares max pooling
 * only at inputs without ties, where the function is differentiable.
 *
 * pool_backward2 is the second-derivative pass SDLM needs (Appendix C):
 * an input reaches one output only, with weight 1/4 (average) or 1 (max,
 * the winner; 0 for the others), so the Gauss-Newton rule d2E/din^2 =
 * weight^2 d2E/dout^2 gives 1/16 of the output's second derivative to each
 * input of an average block, and all of it to a max block's winner.
 *
 * It is not a general pooling layer: no other window, stride or padding.
 */
#ifndef LENET_POOL_H
#define LENET_POOL_H

#include <stddef.h>

#include "status.h"

#define POOL_BLOCK 2

typedef enum { POOL_AVERAGE, POOL_MAX } pool_kind;

typedef struct {
    pool_kind kind;
    int maps, in_rows, in_cols;   /* input: M@HxW, output: M@(H/2)x(W/2) */
} pool;

/* Describes the shape; rows and columns must be even. */
lenet_status pool_setup(pool *l, pool_kind kind, int maps, int in_rows,
                        int in_cols);

int pool_out_rows(const pool *l);
int pool_out_cols(const pool *l);
size_t pool_out_size(const pool *l);
size_t pool_num_params(const pool *l);          /* 0 */
size_t pool_num_connections(const pool *l);     /* 4 per output unit */

void pool_forward(const pool *l,
                  double *out,         /* out: M@(H/2)x(W/2) */
                  const double *in);   /* in:  M@HxW */

/* Accumulates dE/din (average: a quarter of dE/dout to each input of the
   block; max: all of it to the block's winner). */
void pool_backward(const pool *l,
                   double *din,         /* out: M@HxW, accumulated */
                   const double *dout,  /* in:  M@(H/2)x(W/2) */
                   const double *in);   /* in:  M@HxW */

/* The same for maps first..last-1 only (a share: chapter 10). */
void pool_forward_maps(const pool *l, double *out, const double *in,
                       int first, int last);
void pool_backward_maps(const pool *l, double *din, const double *dout,
                        const double *in, int first, int last);

/* Accumulates d2E/din^2 from d2E/dout^2 (see above); no parameters, so
   no h. */
void pool_backward2(const pool *l,
                    double *d2in,         /* out: M@HxW, accumulated */
                    const double *d2out,  /* in:  M@(H/2)x(W/2) */
                    const double *in);    /* in:  M@HxW */

#endif
