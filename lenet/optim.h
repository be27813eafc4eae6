/*
 * optim.h: two optimisers of today over one flat parameter vector (the
 * net's params and grads, or any other), each step taking the gradient g
 * of the loss averaged over a mini-batch:
 *
 *   momentum (heavy ball, as PyTorch's SGD writes it):
 *       v <- beta v + g,   w <- w - rate v
 *   Adam (Kingma & Ba 2015, Algorithm 1), step t = 1, 2, ...:
 *       m <- beta1 m + (1 - beta1) g,    v <- beta2 v + (1 - beta2) g^2,
 *       w <- w - rate (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + eps)
 *
 * The paper's own optimiser, SDLM, and plain SGD are in train.c; this
 * module is what train.c calls for the other two. It never allocates after
 * optim_init.
 */
#ifndef LENET_OPTIM_H
#define LENET_OPTIM_H

#include <stddef.h>

#include "status.h"

typedef enum { OPTIM_MOMENTUM, OPTIM_ADAM } optim_kind;

/* Usual values: Kingma & Ba's for Adam, 0.9 for momentum. */
#define OPTIM_MOMENTUM_BETA 0.9
#define OPTIM_ADAM_BETA1 0.9
#define OPTIM_ADAM_BETA2 0.999
#define OPTIM_ADAM_EPSILON 1e-8

typedef struct {
    optim_kind kind;
    size_t size;            /* parameters */
    double rate;            /* the step: for Adam, the largest per parameter */
    double beta1, beta2, epsilon;   /* momentum uses beta1 only */
    double *m, *v;          /* momentum: m is the velocity; Adam: both moments */
    unsigned long steps;    /* optim_step calls so far */
} optim;

/* State for `size` parameters, zero, with the usual betas and epsilon.
   LENET_EINVAL for size 0 or a rate that is not positive. */
lenet_status optim_init(optim *o, optim_kind kind, size_t size, double rate);

/* Frees the state; safe on a zeroed or already freed optim. */
void optim_free(optim *o);

/* One update of params from grads (size each): the mean gradient of the
   batch. Does not clear grads. */
void optim_step(optim *o, double *params, const double *grads);

#endif
