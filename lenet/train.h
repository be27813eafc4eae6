/*
 * train.h: training LeNet-5 the way the paper did (§III, Appendix C):
 * one update after every pattern, patterns in a new random order every
 * pass, and stochastic diagonal Levenberg-Marquardt (SDLM): each parameter
 * w_k moves by its own step
 *
 *     eps_k = eta / (mu + h_kk),   mu = 0.02,
 *
 * times its gradient, where h_kk estimates d2E/dw_k^2 from 500 patterns
 * before each pass and eta follows the paper's schedule. Plain stochastic
 * gradient descent (one global step, per pattern or per mini-batch) is here
 * too, for comparison.
 *
 * The trainer knows where it is (the pass, the position in the pass's
 * order), so that checkpoint.h can save it and a run can go on exactly
 * where it stopped; and it stops at the first loss that is not a number.
 *
 * It is not a command line: it never prints. The caller loops over passes
 * and reports progress (see main.c).
 */
#ifndef LENET_TRAIN_H
#define LENET_TRAIN_H

#include <stddef.h>
#include <gsl/gsl_rng.h>

#include "distort.h"
#include "net.h"
#include "optim.h"
#include "status.h"

/*
 * mu: the paper's value is 0.02. With this implementation's estimates of
 * h_kk it diverges within the first patterns; 0.5 is the value this project
 * trains with (chapter 9, "What the paper's constants did here").
 */
#define TRAIN_MU_PAPER 0.02
#define TRAIN_MU 0.5
#define TRAIN_HESSIAN_SAMPLES 500

/* The patterns an estimate draws from a set of `count`: 500, or `count`
   when the set is smaller. The draws still estimate the set's average
   curvature; the test suites, which train on sets of 100, would otherwise
   spend most of their time on them. */
size_t train_hessian_samples(size_t count);

/*
 * The paper trained on 60,000 originals and 540,000 distortions of them
 * (§III.C), 20 passes of 60,000 patterns drawn from those 600,000. Here
 * each pattern is distorted afresh when presented, with this probability:
 * 540,000 / 600,000 of the presentations see a distortion, as there.
 */
#define TRAIN_DISTORT_PAPER 0.9

/* A labelled set of MNIST digits: count images of 28x28 bytes. */
typedef struct {
    const unsigned char *images;
    const unsigned char *labels;
    size_t count;
} train_data;

typedef enum { TRAIN_SDLM, TRAIN_SGD, TRAIN_MOMENTUM, TRAIN_ADAM } train_method;

typedef struct {
    train_method method;
    loss_kind loss;
    double mu;             /* SDLM: the floor under h_kk (see chapter 9) */
    double sgd_rate;       /* SGD, momentum, Adam: the global step */
    size_t batch;          /* SGD, momentum, Adam: patterns per update;
                              1 = after each one */
    double distort;        /* the probability that a pattern is distorted
                              when presented (distort.h): 0 = never,
                              TRAIN_DISTORT_PAPER = the paper's share */
} train_options;

/* What a pattern's presentation drew from the generator (train.c). */
typedef struct {
    int distorted;
    distort_params p;
} train_draw;

//> trainer-struct
typedef struct {
    net *n;
    train_options opt;
    gsl_rng *rng;          /* borrowed: shuffling and the Hessian sample */
    double *h;             /* SDLM: the estimates of d2E/dw_k^2 */
    double *step;          /* the step of each parameter this pass */
    size_t *order;         /* the order patterns are visited in this pass */
    size_t count;          /* patterns per pass */
    int pass;              /* the pass under way, from 1; 0 before the first */
    size_t done;           /* patterns of this pass trained on so far */
    double pass_loss;      /* the sum of their losses */
    size_t in_batch;       /* patterns already summed in grads when a
                              batch starts: 0, unless a loaded checkpoint
                              held a batch under way */
    optim optim;           /* momentum, Adam: their state */
    unsigned char digit[28 * 28];   /* the pattern as distorted */
    double input[32 * 32];
    /* Mini-batches (batch > 1): a batch's second half runs through `twin`,
       a copy of n, into twin's gradients; see trainer_run. */
    net twin;
    int threads;           /* 1 (trainer_init), or 2: a batch's halves, or
                              each pattern's two shares (net.h), at once */
    double *losses;        /* the batch's losses, in order */
    train_draw *draws;     /* and its distortions, drawn in order */
} trainer;
//< trainer-struct

/* The global step eta of pass `pass` (1-based), §III / Appendix C. */
double train_eta(int pass);

/* LENET_EINVAL for options that make no sense. */
lenet_status trainer_init(trainer *t, net *n, const train_options *opt,
                          size_t count, gsl_rng *rng);
void trainer_free(trainer *t);

/*
 * Prepares pass `pass` over d: a new random order and, for SDLM, new
 * Hessian estimates from train_hessian_samples random patterns and the
 * steps eta / (mu + h_kk). Sets t->pass; t->done and t->pass_loss start
 * at 0.
 */
void trainer_begin_pass(trainer *t, const train_data *d, int pass);

/* What trainer_run found. */
typedef enum {
    TRAIN_FINITE = 0,          /* every loss, and then every parameter */
    TRAIN_LOSS_NOT_FINITE,     /* the loss of the pattern at t->done */
    TRAIN_PARAMS_NOT_FINITE    /* a parameter, after the patterns run */
} train_health;

/*
 * Trains on this pass's patterns from position t->done up to `to` (at most
 * t->count), adding each loss (taken before its update) to t->pass_loss
 * and advancing t->done. A loss that is NaN or infinite stops it before
 * that pattern is trained on: t->done is its position, t->order[t->done]
 * its image. Once the patterns are done every parameter is checked too.
 * Anything but TRAIN_FINITE means the network is no longer worth saving.
 * With mini-batches (batch > 1) it runs whole batches: it goes on to the
 * end of the batch under way, so t->done may pass `to`, and a checkpoint
 * always falls between two batches. t->threads (1 or 2) says how many
 * threads run a batch's two halves, or (one pattern per update) each
 * pattern's two shares of every layer; the model is the same either way.
 *
 *     size_t from = t.done;
 *     if (trainer_run(&t, &d, from + 500) != TRAIN_FINITE) ...stop...
 */
train_health trainer_run(trainer *t, const train_data *d, size_t to);

/* Whether every parameter of n is a finite number. */
int train_params_finite(const net *n);

/* The smallest and largest step of this pass. */
void trainer_step_range(const trainer *t, double *smallest, double *largest);

/* The loss and the errors of n over the first `limit` patterns of d (all
   when limit is 0 or larger than d); adds to confusion[true][predicted]
   unless it is NULL. */
typedef struct {
    double loss;           /* mean loss */
    size_t errors, count;
} train_score;

train_score train_evaluate(net *n, const train_data *d, loss_kind loss,
                           size_t limit, unsigned long confusion[10][10]);

/*
 * The same on up to `threads` threads. The patterns are cut into
 * TRAIN_EVAL_PARTS consecutive parts; each part's losses are added in
 * pattern order and the parts' sums in part order, so the score is the
 * same bit for bit whatever the number of threads (train_evaluate is this
 * with one). Threads after the first run copies of n (net_clone); one
 * that cannot be made leaves its parts to the calling thread.
 */
#define TRAIN_EVAL_PARTS 4

train_score train_evaluate_threads(net *n, const train_data *d,
                                   loss_kind loss, size_t limit,
                                   unsigned long confusion[10][10],
                                   int threads);

#endif
