/*
 * full.h: a fully connected layer: F6 of LeNet-5 (§II.B, Appendix A),
 *
 *     a_i = sum_j w_ij x_j + b_i,
 *
 * 120 inputs (C5) to 84 units. The network squashes a_i. 84 = 7 x 12 because
 * the output layer compares F6's outputs with 7x12 bitmaps (see rbf.h).
 */
#ifndef LENET_FULL_H
#define LENET_FULL_H

#include <stddef.h>
#include <gsl/gsl_rng.h>

#include "status.h"

//> full-struct
typedef struct {
    int in, out;        /* x: in values, a: out values */
    double *w, *b;      /* views: out x in weights (row i feeds unit i), out biases */
    double *dw, *db;    /* their gradients */
    const double *step; /* NULL, or a step per parameter: see full_backward */
} full;
//< full-struct

lenet_status full_setup(full *l, int in, int out);
size_t full_num_params(const full *l);
size_t full_num_connections(const full *l);
void full_bind(full *l, double *params, double *grads);
void full_init(full *l, gsl_rng *rng);     /* fan-in = in */

void full_forward(const full *l,
                  double *out,          /* out: out, the sums a */
                  const double *in);    /* in:  in */

/* full_forward for units first..last-1 only (a share: chapter 10). */
void full_forward_range(const full *l, double *out, const double *in,
                        int first, int last);

/* full_forward for `count` patterns at once, pattern p's inputs at
   in + p * l->in and its sums at out + p * l->out: the same numbers, to
   the last bit, with each row of weights read once for DOT_MANY patterns
   (net_forward_batch, chapter 10). */
void full_forward_batch(const full *l, double *out, const double *in,
                        int count);

/* Accumulates dE/dw, dE/db and, unless din is NULL, dE/din; or, if
   l->step is set, steps w and b at once instead, like conv_backward. */
void full_backward(const full *l,
                   double *din,         /* out: in, accumulated, or NULL */
                   const double *dout,  /* in:  out, dE/da */
                   const double *in);   /* in:  in */

/* full_backward for units first..last-1 only: their weights and biases,
   and their part of din (a share: chapter 10). */
void full_backward_range(const full *l, double *din, const double *dout,
                         const double *in, int first, int last);

/* Second derivatives (Appendix C): h_ij += d2a_i x_j^2, h_bi += d2a_i,
   d2in_j += sum_i d2a_i w_ij^2. h is laid out like the parameters. */
void full_backward2(const full *l,
                    double *h,            /* out: the layer's params, accumulated */
                    double *d2in,         /* out: in, accumulated, or NULL */
                    const double *d2out,  /* in:  out */
                    const double *in);    /* in:  in */

#endif
