/*
 * harness.h: what every suite shares: the gradient check of one layer on
 * its own, the assertion that turns a gradient check into a test verdict,
 * and the chapter tags.
 */
#ifndef VERIFY_HARNESS_H
#define VERIFY_HARNESS_H

#include <stddef.h>
#include <check.h>
#include <gsl/gsl_rng.h>

#include "gradcheck.h"
#include "net.h"
#include "train.h"
#include "report.h"

/* One layer seen as a black box: out = forward(in), and its backward. */
typedef struct {
    const void *layer;
    void (*forward)(const void *layer, double *out, const double *in);
    void (*backward)(const void *layer, double *din, const double *dout,
                     const double *in);
    size_t in_size, out_size;
    double *params, *grads;     /* the layer's own, num_params each */
    size_t num_params;
} layer_case;

/*
 * With inputs and targets t drawn from a generator seeded with `seed`, and
 * E = 1/2 sum_k (out_k - t_k)^2, compares the layer's backward pass with
 * numerical derivatives for every parameter and every input. `params` may
 * be NULL for a layer without parameters.
 */
/* Whether LENET_QUICK is set to something other than 0 (make verify
   VALGRIND=1 sets it): a few checks then compare a sample instead of all,
   or train for fewer passes or on fewer patterns, each saying so. */
int harness_quick(void);

void layer_check(const layer_case *c, unsigned long seed,
                 gradcheck_result *params, gradcheck_result *inputs);

/*
 * As layer_check, at the inputs in[0..in_size) the caller chose (for a
 * layer with kinks, such as ReLU or max pooling, inputs away from them);
 * the targets come from a generator seeded `seed`. `in` is restored.
 */
void layer_check_at(const layer_case *c, double *in, unsigned long seed,
                    gradcheck_result *params, gradcheck_result *inputs);

/* Fails the current test, saying what, where and by how much, unless the
   check passed (gradcheck_ok). */
#define assert_gradcheck(what, r)                                           \
    ck_assert_msg(gradcheck_ok(r),                                          \
        "%s: max error %.3e at index %zu (analytic %.12g, numeric %.12g), " \
        "largest |gradient| %.3e over %zu values", (what), (r)->max_error,  \
        (r)->worst, (r)->worst_analytic, (r)->worst_numeric,                \
        (r)->max_abs_gradient, (r)->checked)

/* A generator for tests: the same seed, the same numbers. */
gsl_rng *test_rng(unsigned long seed);

/* Fills x[0..n) uniformly from [lo, hi). */
void fill_uniform(double *x, size_t n, double lo, double hi, gsl_rng *rng);

/* Asserts that a layer's counts and output shape are the paper's (paper.h)
   and records the counts for the report. */
void check_counts(const char *layer, size_t params, size_t connections,
                  int maps, int rows, int cols);

/* Builds LeNet-5 and draws its parameters from a generator seeded `seed`. */
void build_net(net *n, unsigned long seed);

/* Trains a fresh network (build_net, seed 90) for `passes` passes over
   TRAIN_SMALL synthetic digits (seed 91; order and Hessian samples from a
   generator seeded 92): the mean loss before and after in *before and
   *after, and the parameters in params_out unless it is NULL. */
enum { TRAIN_SMALL = 100 };
void train_small(const train_options *opt, int passes, double *before,
                 double *after, double *params_out);

/*
 * Whether the real MNIST files are in `dir` (`make data`). When they are
 * not, prints that `what` is skipped and returns 0, unless the environment
 * sets LENET_REQUIRE_DATA (as CI does), which fails the test instead.
 */
int data_available(const char *dir, const char *what);

/* The bytes of the file at path (to free) and their number; a failed
   read fails the test. */
unsigned char *file_slurp(const char *path, size_t *size);

/* Writes size bytes to path; a failed write fails the test. */
void file_spill(const char *path, const unsigned char *bytes, size_t size);

/* The test case for chapter `chapter`, added to s. */
TCase *chapter_tcase(Suite *s, const char *name, int chapter);

Suite *input_suite(void);
Suite *squash_suite(void);
Suite *conv_suite(void);
Suite *subsample_suite(void);
Suite *full_suite(void);
Suite *rbf_suite(void);
Suite *loss_suite(void);
Suite *net_suite(void);
Suite *mnist_suite(void);
Suite *model_suite(void);
Suite *train_suite(void);
Suite *image_suite(void);
Suite *resume_suite(void);
Suite *relu_suite(void);
Suite *pool_suite(void);
Suite *softmax_suite(void);
Suite *optim_suite(void);
Suite *distort_suite(void);
Suite *arch_suite(void);
Suite *speed_suite(void);

#endif
