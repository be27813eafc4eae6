/*
 * gradcheck.h: comparing an analytic gradient with a numerical one.
 *
 * The numerical derivative of E with respect to one value v is the
 * fourth-order centred difference
 *
 *   dE/dv ~ [8 (E(v+h) - E(v-h)) - (E(v+2h) - E(v-2h))] / (12 h),
 *
 * hand-written rather than gsl_deriv_central: GSL's routine picks its own
 * step and may evaluate E eight times per value, while this one costs
 * exactly four, which is what makes checking all 48,120 parameters of C5
 * affordable. Its truncation error is h^4 f^(5)(v) / 30 and its rounding
 * error about eps |E| / h: with h = 1e-3 and |E| near 200 (the network at
 * its initial weights), about 4e-11,
 * while the truncation error stays far below it.
 *
 * The error of one value is relative, with a floor:
 *   |analytic - numeric| / max(|analytic|, |numeric|, GRADCHECK_FLOOR),
 * so gradients below the floor are held to an absolute error of
 * GRADCHECK_TOLERANCE x GRADCHECK_FLOOR = 1e-9 instead: about twenty-five
 * times the rounding noise of a difference quotient of an E near 200 (the
 * single-layer objectives, larger, are summed with compensation: harness.c).
 */
#ifndef VERIFY_GRADCHECK_H
#define VERIFY_GRADCHECK_H

#include <stddef.h>

#define GRADCHECK_STEP 1e-3
#define GRADCHECK_FLOOR 1e-3
#define GRADCHECK_TOLERANCE 1e-6
#define GRADCHECK_MIN_SIGNAL 1e-4   /* some compared gradient must reach this */

/* E at the current values. */
typedef double (*gradcheck_objective)(void *ctx);

typedef struct {
    size_t checked;          /* how many values were compared */
    double max_error;        /* the worst error, as defined above */
    size_t worst;            /* the index (into values) where it occurred */
    double worst_analytic, worst_numeric;
    double max_abs_gradient; /* the largest |analytic| compared */
} gradcheck_result;

/* The numerical derivative of E with respect to values[i]; restores it. */
double gradcheck_numeric(gradcheck_objective E, void *ctx, double *values,
                         size_t i);

/*
 * Compares analytic[i] with the numerical derivative for every i in
 * indices[0..count), or for every i < count when indices is NULL.
 */
gradcheck_result gradcheck(gradcheck_objective E, void *ctx, double *values,
                           const double *analytic, const size_t *indices,
                           size_t count);

/* gradcheck with the step h instead of GRADCHECK_STEP (see gradcheck.c:
   for networks with kinks). */
gradcheck_result gradcheck_step(gradcheck_objective E, void *ctx,
                                double *values, const double *analytic,
                                const size_t *indices, size_t count, double h);

/* 1 when the check passed: error within tolerance and a real signal. */
int gradcheck_ok(const gradcheck_result *r);

/* The worse of two results (for a table row made of several checks). */
gradcheck_result gradcheck_worse(gradcheck_result a, gradcheck_result b);

#endif
