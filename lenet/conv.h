/*
 * conv.h: a convolution layer: C1, C3 and C5 of LeNet-5 (§II.B).
 *
 * Each output map m is a "valid" KxK convolution (stride 1, no padding) of
 * the input maps it is connected to, plus one bias per map. Which input maps
 * feed which output map is a connection table; NULL means "all of them".
 * C3 uses the paper's Table I, the others are fully connected.
 *
 * The layer computes the weighted sums only; the network squashes them.
 * The loops run along whole maps ("wide rows", chapter 3) so that the
 * compiler can vectorise them; verify/reference.c keeps the formulas
 * written plainly, and a test compares the two. `table` must have in_maps
 * rows (C cannot check the length of an array it is given).
 */
#ifndef LENET_CONV_H
#define LENET_CONV_H

#include <stddef.h>
#include <gsl/gsl_rng.h>

#include "status.h"

/* The largest input map, in pixels: the passes keep one map on the stack. */
#define CONV_MAX_MAP 4096
/* The widest kernel such a map allows: a kernel fits inside its map. */
#define CONV_MAX_KERNEL 64

//> conv-struct
typedef struct {
    int in_maps, in_rows, in_cols;   /* input:  N@HxW */
    int out_maps, kernel;            /* output: M@(H-K+1)x(W-K+1), KxK kernels */
    const char *const *table;        /* NULL = full; else table[n][m] == 'X'
                                        when input map n feeds output map m */
    double *w, *b;                   /* views into the parameter vector:     */
    double *dw, *db;                 /* one KxK kernel per connected (m, n),
                                        m-major, then M biases; and gradients */
    const double *step;              /* NULL, or a step per parameter: see
                                        conv_backward */
} conv;
//< conv-struct

/*
 * Describes a layer's shape; checks it (kernel no larger than the input,
 * input maps of at most CONV_MAX_MAP pixels,
 * table rows of length out_maps holding only 'X' and '.', every output map
 * fed by at least one input). Sets no parameter pointers: see conv_bind.
 */
lenet_status conv_setup(conv *l, int in_maps, int in_rows, int in_cols,
                        int out_maps, int kernel, const char *const *table);

int conv_out_rows(const conv *l);
int conv_out_cols(const conv *l);
size_t conv_out_size(const conv *l);            /* M x out_rows x out_cols */
int conv_connected(const conv *l, int m, int n);
size_t conv_num_params(const conv *l);          /* trainable, from the shape */
size_t conv_num_connections(const conv *l);     /* from the shape */

/* Points w, b at `params` and dw, db at `grads`, conv_num_params(l) of each. */
void conv_bind(conv *l, double *params, double *grads);

/* Uniform in +-2.4/sqrt(F), F = 25 x (input maps feeding the unit's map). */
void conv_init(conv *l, gsl_rng *rng);

void conv_forward(const conv *l,
                  double *out,           /* out: M@(H-K+1)x(W-K+1), sums a */
                  const double *in);     /* in:  N@HxW */

/* conv_forward for output maps first..last-1 only: one share of the layer
   when two threads run one pattern (net.h, chapter 10). */
void conv_forward_maps(const conv *l, double *out, const double *in,
                       int first, int last);

/* conv_forward for `count` patterns, one after another in `in` and `out`:
   the same numbers. A layer whose kernels cover its input (C5) is a full
   layer, and runs as full_forward_batch. */
void conv_forward_batch(const conv *l, double *out, const double *in,
                        int count);

/*
 * Where share `share` of `shares` of the output maps begins, share = shares
 * giving the end: runs of whole maps, cut so that the shares hold as near
 * the same number of kernels as they can (chapter 10).
 */
int conv_share(const conv *l, int share, int shares);

/*
 * Accumulates dE/dw and dE/db into l->dw, l->db and, unless din is NULL,
 * dE/din into din. If l->step is set (laid out like the parameters), it
 * takes the training step at once instead, w -= step * dE/dw for every
 * parameter, and leaves dw and db alone: the same arithmetic as
 * accumulating into zeroed gradients and stepping after, without the
 * round trip through memory (chapter 10). din is computed from the
 * weights as they were.
 */
void conv_backward(const conv *l,
                   double *din,          /* out: N@HxW, accumulated, or NULL */
                   const double *dout,   /* in:  M@(H-K+1)x(W-K+1), dE/da */
                   const double *in);    /* in:  N@HxW, the forward input */

/* conv_backward for output maps first..last-1 only: their biases and
   kernels, and their part of din (a share: chapter 10). */
void conv_backward_maps(const conv *l, double *din, const double *dout,
                        const double *in, int first, int last);

/*
 * The second-derivative pass of stochastic diagonal Levenberg-Marquardt
 * (Appendix C): like conv_backward with every factor squared. Given
 * d2out = d2E/da^2 (Gauss-Newton estimates), accumulates into h, laid out
 * like the layer's parameters, the estimate of d2E/dw^2 (summed over every
 * connection that shares w) and, unless d2in is NULL, d2E/din^2.
 */
void conv_backward2(const conv *l,
                    double *h,            /* out: the layer's params, accumulated */
                    double *d2in,         /* out: N@HxW, accumulated, or NULL */
                    const double *d2out,  /* in:  M@(H-K+1)x(W-K+1) */
                    const double *in);    /* in:  N@HxW */

#endif
