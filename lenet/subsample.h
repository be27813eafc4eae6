/*
 * subsample.h: a subsampling layer: S2 and S4 of LeNet-5 (§II.B).
 *
 * Each map is halved in both directions. A unit adds the four inputs of its
 * 2x2 block, multiplies the sum by its map's trainable coefficient and adds
 * its map's trainable bias; the network then squashes the result. So each map
 * has exactly two parameters. It is neither max-pooling nor a plain average:
 * the coefficient lets the map choose between a near-linear "blur" (small
 * coefficient) and a sharper, more OR- or AND-like response (large one).
 */
#ifndef LENET_SUBSAMPLE_H
#define LENET_SUBSAMPLE_H

#include <stddef.h>
#include <gsl/gsl_rng.h>

#include "status.h"

#define SUBSAMPLE_BLOCK 2

//> subsample-struct
typedef struct {
    int maps, in_rows, in_cols;   /* input: M@HxW, output: M@(H/2)x(W/2) */
    double *coef, *bias;          /* views: M coefficients, then M biases */
    double *dcoef, *dbias;        /* their gradients */
} subsample;
//< subsample-struct

/* Describes the shape; rows and columns must be even. */
lenet_status subsample_setup(subsample *l, int maps, int in_rows, int in_cols);

int subsample_out_rows(const subsample *l);
int subsample_out_cols(const subsample *l);
size_t subsample_out_size(const subsample *l);
size_t subsample_num_params(const subsample *l);
size_t subsample_num_connections(const subsample *l);

void subsample_bind(subsample *l, double *params, double *grads);
void subsample_init(subsample *l, gsl_rng *rng);   /* fan-in 4 */

void subsample_forward(const subsample *l,
                       double *out,         /* out: M@(H/2)x(W/2), sums a */
                       const double *in);   /* in:  M@HxW */

/* Accumulates dE/dcoef, dE/dbias and, unless din is NULL, dE/din. */
void subsample_backward(const subsample *l,
                        double *din,         /* out: M@HxW, accumulated */
                        const double *dout,  /* in:  M@(H/2)x(W/2), dE/da */
                        const double *in);   /* in:  M@HxW */

/* The same for maps first..last-1 only (a share: chapter 10). */
void subsample_forward_maps(const subsample *l, double *out, const double *in,
                            int first, int last);
void subsample_backward_maps(const subsample *l, double *din,
                             const double *dout, const double *in,
                             int first, int last);

/* Second derivatives (Appendix C): as subsample_backward, factors squared;
   h holds the layer's M coefficients' then M biases' estimates. */
void subsample_backward2(const subsample *l,
                         double *h,            /* out: 2M, accumulated */
                         double *d2in,         /* out: M@HxW, accumulated */
                         const double *d2out,  /* in:  M@(H/2)x(W/2) */
                         const double *in);    /* in:  M@HxW */

#endif
