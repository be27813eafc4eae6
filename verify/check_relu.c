/* check_relu.c: ReLU (chapter 11): values by hand, the gradient away from
   0, a wrong backward pass that the gradient check refuses, and the
   second-derivative pass against the slope measured numerically. */
#include "harness.h"

#include <string.h>
#include <gsl/gsl_deriv.h>

#include "relu.h"

enum { UNITS = 60 };

static void forward(const void *l, double *out, const double *in)
{
    (void)l;
    relu_forward(out, in, UNITS);
}

static void backward(const void *l, double *din, const double *dout,
                     const double *in)
{
    (void)l;
    double x[UNITS];
    relu_forward(x, in, UNITS);
    relu_backward(din, dout, x, UNITS);
}

/* The derivative of the identity, where ReLU's is 0 for negative a. */
static void backward_passes_all(const void *l, double *din,
                                const double *dout, const double *in)
{
    (void)l;
    (void)in;
    for (int i = 0; i < UNITS; i++)
        din[i] += dout[i];
}

/* Inputs of both signs, none closer to 0 than 0.1 (the check's steps
   reach 2e-3): ReLU is differentiable at each. */
static void away_from_zero(double *a, unsigned long seed)
{
    gsl_rng *rng = test_rng(seed);
    for (int i = 0; i < UNITS; i++) {
        double mag = 0.1 + 0.9 * gsl_rng_uniform(rng);
        a[i] = gsl_rng_uniform(rng) < 0.5 ? -mag : mag;
    }
    gsl_rng_free(rng);
}

START_TEST(relu_by_hand)
{
    const double a[5] = { -2.0, -0.0, 0.0, 0.5, 3.0 };
    const double dx[5] = { 1, 1, 1, 1, 1 };
    double x[5], da[5] = { 10, 10, 10, 10, 10 };
    relu_forward(x, a, 5);
    ck_assert_double_eq(x[0], 0.0);
    ck_assert_double_eq(x[2], 0.0);
    ck_assert_double_eq(x[3], 0.5);
    ck_assert_double_eq(x[4], 3.0);
    relu_backward(da, dx, x, 5);            /* accumulates */
    ck_assert_double_eq(da[0], 10.0);
    ck_assert_double_eq(da[1], 10.0);
    ck_assert_double_eq(da[2], 10.0);       /* at 0: the subgradient 0 */
    ck_assert_double_eq(da[3], 11.0);
    ck_assert_double_eq(da[4], 11.0);
}
END_TEST

START_TEST(relu_gradient)
{
    double a[UNITS];
    away_from_zero(a, 111);
    layer_case c = { NULL, forward, backward, UNITS, UNITS, NULL, NULL, 0 };
    gradcheck_result x;
    layer_check_at(&c, a, 112, NULL, &x);
    report_gradient("ReLU", &x);
    assert_gradcheck("ReLU inputs", &x);
}
END_TEST

START_TEST(gradcheck_catches_relu_without_kink)
{
    double a[UNITS];
    away_from_zero(a, 111);
    layer_case c = { NULL, forward, backward_passes_all, UNITS, UNITS, NULL,
                     NULL, 0 };
    gradcheck_result x;
    layer_check_at(&c, a, 112, NULL, &x);
    ck_assert_msg(!gradcheck_ok(&x), "a wrong ReLU backward passed: error %g",
                  x.max_error);
}
END_TEST

static double relu_of(double a, void *unused)
{
    double x;
    (void)unused;
    relu_forward(&x, &a, 1);
    return x;
}

/* SDLM's pass (Appendix C): d2E/da^2 = f'(a)^2 d2E/dx^2, with f' measured
   by a central difference of relu_forward (exact away from 0: ReLU is
   linear on each side), so the pass is checked against the function, not
   against the rule "1 or 0" it is written from. Accumulates. */
START_TEST(relu_backward2_squares_the_slope)
{
    double a[UNITS], x[UNITS], d2x[UNITS], d2a[UNITS], before[UNITS];
    away_from_zero(a, 113);
    gsl_rng *rng = test_rng(114);
    fill_uniform(d2x, UNITS, 0.0, 3.0, rng);
    fill_uniform(d2a, UNITS, 0.0, 1.0, rng);
    gsl_rng_free(rng);
    memcpy(before, d2a, sizeof before);
    relu_forward(x, a, UNITS);
    relu_backward2(d2a, d2x, x, UNITS);
    gsl_function f = { relu_of, NULL };
    int live = 0;
    for (int i = 0; i < UNITS; i++) {
        double slope, abserr;
        gsl_deriv_central(&f, a[i], 1e-3, &slope, &abserr);
        ck_assert_double_eq_tol(d2a[i] - before[i], d2x[i] * slope * slope,
                                1e-9);
        live += a[i] > 0;
    }
    ck_assert(live > 0 && live < UNITS);    /* both branches were seen */
}
END_TEST

Suite *relu_suite(void)
{
    Suite *s = suite_create("relu");
    TCase *tc = chapter_tcase(s, "ReLU", 11);
    tcase_add_test(tc, relu_by_hand);
    tcase_add_test(tc, relu_gradient);
    tcase_add_test(tc, gradcheck_catches_relu_without_kink);
    tcase_add_test(tc, relu_backward2_squares_the_slope);
    return s;
}
