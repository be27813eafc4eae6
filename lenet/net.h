/*
 * net.h: LeNet-5 assembled from its layers (§II.B, Fig. 2):
 *
 *   input 1@32x32 -> C1 6@28x28 -> S2 6@14x14 -> C3 16@10x10 -> S4 16@5x5
 *         -> C5 120@1x1 -> F6 84 -> output (RBF) 10
 *
 * Every layer but the output is followed by the squashing function. The net
 * owns one parameter vector and one gradient vector holding every trainable
 * parameter (60,000), in layer order, so that an optimiser or a gradient
 * check sees a single vector; each layer's struct points into them. The RBF
 * centres (840, fixed) live apart, in `fixed`.
 *
 * The same modules assemble two other networks (chapter 11), chosen by a
 * net_arch at net_init_arch: "modern" (ReLU, 2x2 max pooling, a C3 fed by
 * every S2 map, and a full 84 -> 10 output layer with softmax and
 * cross-entropy, as most tutorials write LeNet-5 today) and "tanh-avg"
 * (the squashing function, 2x2 average pooling, full C3, softmax); and
 * the paper's network with one of those changes each (paper-relu, ...),
 * for the ablation study. Only the layers that differ are switched;
 * net_init builds the paper's.
 *
 * It is not a trainer: see train.h. Forward and backward never allocate.
 */
#ifndef LENET_NET_H
#define LENET_NET_H

#include <stddef.h>
#include <gsl/gsl_rng.h>

#include "conv.h"
#include "full.h"
#include "loss.h"
#include "pool.h"
#include "rbf.h"
#include "status.h"
#include "subsample.h"
#include "team.h"

/* Table I: which S2 maps (rows) feed which C3 maps (columns). */
extern const char *const net_c3_table[6];

/* The table of a full C3: every S2 map feeds every C3 map. */
extern const char *const net_c3_full_table[6];

/* What follows a layer's weighted sums, and what shrinks S2 and S4. */
typedef enum { NET_SQUASH, NET_RELU, NET_IDENTITY } net_activation;
typedef enum { NET_SUBSAMPLE, NET_AVERAGE_POOL, NET_MAX_POOL } net_pooling;
typedef enum { NET_RBF, NET_SOFTMAX } net_output;

typedef struct {
    const char *name;
    net_activation activation;  /* after C1, C3, C5 and F6 (squash or ReLU) */
    net_pooling pooling;        /* S2, S4; pooling is followed by nothing,
                                   subsampling by the activation */
    int c3_full;                /* 0: Table I; 1: net_c3_full_table */
    net_output output;          /* RBF penalties + ML/MAP, or full 84->10
                                   scores + softmax cross-entropy */
} net_arch;

extern const net_arch net_arch_paper;      /* §II.B */
extern const net_arch net_arch_modern;     /* ReLU, max-pool, full C3, softmax */
extern const net_arch net_arch_tanh_avg;   /* squash, avg-pool, full C3, softmax */

/* The paper's network with one change each, for the ablation study
   (make ablation): the other layers are the paper's. */
extern const net_arch net_arch_paper_relu;     /* ReLU for the squash */
extern const net_arch net_arch_paper_maxpool;  /* 2x2 max pooling for S2, S4 */
extern const net_arch net_arch_paper_avgpool;  /* 2x2 average pooling */
extern const net_arch net_arch_paper_fullc3;   /* every S2 map feeds C3 */
extern const net_arch net_arch_paper_softmax;  /* full 84->10 + softmax */

#define NET_ARCHS 8

/* The NET_ARCHS above, paper first, then NULL. */
extern const net_arch *const net_archs[NET_ARCHS + 1];

/* The architecture called `name`, or NULL. */
const net_arch *net_arch_find(const char *name);

/*
 * Every layer's work on a pattern is cut into NET_SHARES shares, each a run
 * of the layer's output maps (or units): its weights, forward and back.
 * Going back, each share adds its maps' part of the gradient of the layer's
 * input into a vector of its own (dx_share), and dx is their sum, share 0's
 * part plus share 1's. One thread runs both shares, two threads one each
 * (chapter 10): the same arithmetic, so the same numbers.
 */
#define NET_SHARES 2

//> net-struct
/* The units a layer feeds: their weighted sums a, outputs x = f(a), and the
   gradients of the loss with respect to both. */
typedef struct {
    size_t size;
    double *a, *x;
    double *da, *dx;
    net_activation f;   /* x = f(a) */
    double *dx_share[NET_SHARES];   /* the shares' parts of dx (net_backward) */
} net_units;

typedef struct {
    conv c1;            /* 1@32x32  -> 6@28x28,  5x5 kernels */
    subsample s2;       /* 6@28x28  -> 6@14x14 */
    conv c3;            /* 6@14x14  -> 16@10x10, Table I */
    subsample s4;       /* 16@10x10 -> 16@5x5 */
    conv c5;            /* 16@5x5   -> 120@1x1 */
    full f6;            /* 120      -> 84 */
    rbf out;            /* 84       -> 10 penalties */

    const net_arch *arch;   /* net_arch_paper unless net_init_arch said */
    pool p2, p4;        /* S2, S4 when arch->pooling is a pooling */
    full scores;        /* the output when arch->output is NET_SOFTMAX */

    net_units input, c1_out, s2_out, c3_out, s4_out, c5_out, f6_out;
    double y[RBF_CLASSES], dy[RBF_CLASSES];   /* penalties (or scores) and dE/dy */

    size_t num_params;          /* trainable parameters */
    double *params, *grads;     /* num_params each, layer by layer
                                   (net_alloc_vector) */
    size_t lead;                /* where net_alloc_vector's vectors begin:
                                   `lead` doubles into a cache line */
    double *fixed;              /* the RBF centres (NULL for softmax) */
    double *units, *unit_grads; /* the blocks behind every net_units' a, x */
    size_t units_size;          /* and da, dx: units_size doubles each */
    double *shares;             /* behind dx_share: NET_SHARES x units_size / 2 */
    double *batch;              /* S4's x, C5's and F6's a and x of NET_BATCH
                                   patterns (net_forward_batch) */
    int c1_share[NET_SHARES + 1];   /* share s: maps c1_share[s] to */
    int c3_share[NET_SHARES + 1];   /* c1_share[s + 1] - 1 (conv_share), */
    int c5_share[NET_SHARES + 1];   /* and the same for C3 and C5 */
    int input_gradient;         /* nonzero: backward also fills input.dx */
} net;
//< net-struct

/* Builds the network: shapes, buffers, RBF bitmaps. Parameters are zero
   until net_randomize. On failure nothing stays allocated. */
lenet_status net_init(net *n);

/* The same for another architecture; net_init(n) is
   net_init_arch(n, &net_arch_paper). */
lenet_status net_init_arch(net *n, const net_arch *arch);

/* A second network of src's architecture holding a copy of its parameters
   (and RBF centres), with buffers of its own: a worker thread runs patterns
   through it while src runs others (train.h). */
lenet_status net_clone(net *dst, const net *src);

/* Frees what net_init allocated; safe on a zeroed or already freed net. */
void net_free(net *n);

/*
 * A vector of n->num_params zeros, shaped as the parameters (for their
 * gradients, steps, second derivatives), placed so that C5's weights
 * begin a 64-byte cache line; NULL if out of memory. Free it with
 * net_free_vector. Chapter 10 says why.
 */
double *net_alloc_vector(const net *n);
void net_free_vector(const net *n, double *v);

/* Draws every trainable parameter, layer by layer, from `rng` (Appendix A). */
void net_randomize(net *n, gsl_rng *rng);

/* Runs one 32x32 input (see input.h) through the net; fills every layer's
   units and the penalties y. */
void net_forward(net *n, const double *in);

/*
 * net_forward run by a team of threads (team.h, chapter 10): each calls it
 * on the same network at once, part 0 with the input (the others may pass
 * NULL). Part p runs shares p, p + parts, ... of every layer; part 0 also
 * the output layer. Returns 0, having done nothing, if part 0 halted the
 * team instead. net_forward(n, in) is net_forward_part(n, in, NULL, 0).
 */
int net_forward_part(net *n, const double *in, net_team *team, int part);

/* The patterns net_forward_batch takes at most. */
#define NET_BATCH 10
/*
 * net_forward for `count` inputs at once (1 to NET_BATCH), pattern p's at
 * in + p * 32 * 32: the penalties (or scores) of pattern p go to
 * y + p * RBF_CLASSES, the numbers net_forward gives, to the last bit.
 * Each pattern goes through C1 to S4 alone; then C5 and F6 take them all,
 * reading each row of weights once for several patterns (chapter 10). The
 * units hold the last pattern's values only up to S4; n->y is untouched.
 */
void net_forward_batch(net *n, const double *in, int count, double *y);

/* The loss of the last forward pass for a pattern of class `label`: of
   `kind` for RBF outputs, cross-entropy for softmax outputs. */
double net_loss(const net *n, int label, loss_kind kind);
/* The same for the penalties (or scores) y, as net_forward_batch gives. */
double net_loss_of(const net *n, const double *y, int label, loss_kind kind);

/* Back-propagates that loss: accumulates into grads (and input.dx if
   input_gradient is set). Unit gradients are overwritten. */
void net_backward(net *n, int label, loss_kind kind);

/* net_backward run by a team, after net_forward_part; part 0 passes the
   label. Returns 0 if part 0 halted the team before it. */
int net_backward_part(net *n, int label, loss_kind kind, net_team *team,
                      int part);

/*
 * The second-derivative pass of stochastic diagonal Levenberg-Marquardt
 * (Appendix C) for the last forward pass: accumulates into h (num_params,
 * laid out like params) the Gauss-Newton estimate of d2E/dw^2 for every
 * trainable parameter. The curvature comes from the penalty of class
 * `label` alone (the MAP criterion's competitive term is left out: it could
 * make the estimates negative); its curvature is the constant 2, so the
 * estimates do not in fact depend on the label. A softmax output starts
 * from the cross-entropy's curvature in each score, p_i (1 - p_i), which
 * does not depend on it either. Every layer kind has its pass (ReLU: f'^2
 * is 1 or 0; pooling: its weights squared), so every architecture can
 * train with SDLM. The units' da and dx carry the second derivatives
 * d2E/da^2 and d2E/dx^2 while it runs.
 */
void net_backward2(net *n, int label, double *h);

void net_zero_grad(net *n);

/* The predicted class of the last forward pass: the smallest penalty (or
   the largest score). */
int net_predict(const net *n);
int net_predict_of(const net *n, const double *y);    /* from y, likewise */

//> net-describe
/* One row of the network's summary. */
typedef struct {
    const char *name;           /* "C1" */
    const char *type;           /* "convolution" */
    int maps, rows, cols;       /* output shape: maps@rowsxcols, or a vector
                                   of `maps` units when rows = cols = 0 */
    size_t params, connections; /* from the layer's own count functions */
    int trainable;              /* 0 for the fixed RBF centres */
} net_layer_info;

#define NET_LAYERS 7

/* Fills info[0..6], C1 to the output layer. */
void net_describe(const net *n, net_layer_info info[NET_LAYERS]);
//< net-describe

size_t net_num_connections(const net *n);

#endif
