/*
 * init.h: the initial weights (Appendix A). Every weight of a unit with
 * fan-in F (the inputs of that one unit) is drawn uniformly from
 *
 *     [-2.4/sqrt(F), +2.4/sqrt(F)].
 *
 * The paper prints the bound as 2.4/F and gives its purpose: to keep each
 * unit's total input "within the operating range of the sigmoid". Taken
 * literally, 2.4/F does not do that: a sum of F inputs with weights of
 * variance (2.4/F)^2/3 has a spread of about sqrt(1.92/F) times theirs, 0.07
 * for C5's 400 inputs, so the signal shrinks at every layer, the ten
 * penalties start the same whatever the digit, and SDLM with the paper's
 * mu = 0.02 collapses in the first patterns (chapter 9, section 9.7, shows
 * both). Dividing by sqrt(F) keeps the spread of each sum at about 1.4 times
 * that of its inputs, which is what the sentence asks for, and is the
 * scaling rule of LeCun, Bottou, Orr and Mueller's "Efficient BackProp"
 * (1998), whose constant differs (a standard deviation of 1/sqrt(F) there,
 * 1.39/sqrt(F) here). With mu (train.h), it is one of the two places the
 * project departs from the paper's printed numbers.
 */
#ifndef LENET_INIT_H
#define LENET_INIT_H

#include <math.h>
#include <stddef.h>
#include <gsl/gsl_rng.h>

#define INIT_SCALE 2.4

//> init-uniform
/* The bound for a unit with fan-in F: 2.4/sqrt(F). */
static inline double init_limit(size_t fan_in)
{
    return INIT_SCALE / sqrt((double)fan_in);
}

/* w[i] ~ U(-init_limit(fan_in), +init_limit(fan_in)) for i < n, drawn in
   order from `rng`. */
static inline void init_uniform(double *w, size_t n, size_t fan_in, gsl_rng *rng)
{
    double limit = init_limit(fan_in);
    for (size_t i = 0; i < n; i++)
        w[i] = limit * (2.0 * gsl_rng_uniform(rng) - 1.0);
}
//< init-uniform

#endif
