/*
 * init.h: the paper's weight initialisation (Appendix A, and §II.B's remark
 * that the squashing function must not start saturated): every weight of a
 * unit with fan-in F is drawn uniformly from [-2.4/F, +2.4/F].
 */
#ifndef LENET_INIT_H
#define LENET_INIT_H

#include <stddef.h>
#include <gsl/gsl_rng.h>

#define INIT_SCALE 2.4

//> init-uniform
/* w[i] ~ U(-2.4/fan_in, +2.4/fan_in) for i < n, drawn in order from `rng`. */
static inline void init_uniform(double *w, size_t n, size_t fan_in, gsl_rng *rng)
{
    double limit = INIT_SCALE / (double)fan_in;
    for (size_t i = 0; i < n; i++)
        w[i] = limit * (2.0 * gsl_rng_uniform(rng) - 1.0);
}
//< init-uniform

#endif
