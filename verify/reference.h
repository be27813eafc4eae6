/*
 * reference.h: the convolution written the most direct way, one output at a
 * time, each the sum of its K x K x (inputs) products: the definition of
 * chapter 3, kept as the oracle that the faster loops of lenet/conv.c must
 * agree with (verify/check_conv.c), and as the "before" of `make bench`.
 */
#ifndef VERIFY_REFERENCE_H
#define VERIFY_REFERENCE_H

#include "conv.h"

void reference_conv_forward(const conv *l, double *out, const double *in);
void reference_conv_backward(const conv *l, double *din, const double *dout,
                             const double *in);

#endif
