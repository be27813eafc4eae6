/*
 * rbf.h: the output layer of LeNet-5: ten Euclidean radial basis function
 * units (§II.B, eq. 7, Fig. 3),
 *
 *     y_i = sum_j (x_j - w_ij)^2,   i = 0..9, j over the 84 outputs of F6.
 *
 * y_i is a penalty, not a score: the distance between F6's output and the
 * "ideal" output of class i. The smallest penalty wins. In the paper's
 * setting the w_ij are set by hand to -1 or +1 from a 7x12 bitmap of each
 * digit (rbf_set_bitmaps) and never trained, so rbf_bind may be given no
 * gradient vector.
 */
#ifndef LENET_RBF_H
#define LENET_RBF_H

#include <stddef.h>

#include "status.h"

#define RBF_CLASSES 10
#define RBF_BITMAP_COLS 7
#define RBF_BITMAP_ROWS 12          /* 7 x 12 = 84, the size of F6 */

//> rbf-struct
typedef struct {
    int in, out;        /* x: in values (F6), y: out penalties */
    double *w;          /* out x in centres, row i = class i's ideal output */
    double *dw;         /* their gradients, or NULL when they are fixed */
} rbf;
//< rbf-struct

lenet_status rbf_setup(rbf *l, int in, int out);
size_t rbf_num_params(const rbf *l);         /* out x in, fixed in the paper */
size_t rbf_num_connections(const rbf *l);
void rbf_bind(rbf *l, double *params, double *grads);  /* grads may be NULL */

/* +1 where the bitmap of `digit` has ink at (row, col), -1 elsewhere. */
double rbf_bitmap(int digit, int row, int col);

/* Sets w to the ten bitmaps; needs in = 84 and out = 10. */
lenet_status rbf_set_bitmaps(rbf *l);

void rbf_forward(const rbf *l,
                 double *out,          /* out: out penalties y */
                 const double *in);    /* in:  in, F6's outputs x */

/* Accumulates dE/dx into din and, if l->dw is not NULL, dE/dw. */
void rbf_backward(const rbf *l,
                  double *din,         /* out: in, accumulated */
                  const double *dout,  /* in:  out, dE/dy */
                  const double *in);   /* in:  in */

/*
 * Second derivatives for SDLM (Appendix C): the curvature of a weighted sum
 * of penalties E = sum_i c_i y_i with respect to F6's outputs is exact and
 * constant, d2E/dx_j^2 = 2 sum_i c_i. Accumulated into d2in.
 */
void rbf_backward2(const rbf *l,
                   double *d2in,         /* out: in, accumulated */
                   const double *c);     /* in:  out weights c_i >= 0 */

/* The class with the smallest penalty. */
int rbf_predict(const double *y, int out);

#endif
