/*
 * check_squash.c: the squashing function (Appendix A): its defining
 * properties, its derivative against GSL's numerical derivative, and the
 * backward pass against the gradient check.
 */
#include "harness.h"

#include <math.h>
#include <string.h>
#include <gsl/gsl_deriv.h>

#include "squash.h"

START_TEST(squash_maps_one_to_one)
{
    /* A and S were chosen for f(1) = 1 and f(-1) = -1 (to 4 digits). */
    ck_assert_double_eq_tol(squash(1.0), 1.0, 1e-4);
    ck_assert_double_eq_tol(squash(-1.0), -1.0, 1e-4);
    ck_assert_double_eq(squash(0.0), 0.0);
    ck_assert(squash(50.0) <= SQUASH_A && squash(50.0) > SQUASH_A - 1e-12);
}
END_TEST

/* The distance between two doubles in units in the last place of b. */
static double ulps(double a, double b)
{
    if (a == b)
        return 0.0;
    return fabs(a - b) / (nextafter(fabs(b), INFINITY) - fabs(b));
}

//> test-squash-tanh
/*
 * squash.c's own tanh against the C library's, within 4 units in the last
 * place: 2^21 points on [-24, 24] (past 20 both give +-1), and every power
 * of two from the smallest double up, with 64 points in each; and its
 * edges: 0 and -0 keep their sign, +-inf give +-1, a NaN stays a NaN.
 */
START_TEST(squash_tanh_is_tanh)
{
    double worst = 0.0, worst_x = 0.0;
    for (long i = -(1L << 20); i <= (1L << 20); i++) {
        double x = 24.0 * i / (1L << 20), u = ulps(squash_tanh(x), tanh(x));
        if (u > worst)
            worst = u, worst_x = x;
    }
    for (int e = -1074; e < 6; e++)
        for (int j = 0; j < 64; j++)
            for (int sign = -1; sign <= 1; sign += 2) {
                double x = sign * ldexp(1.0 + j / 64.0, e);
                double u = ulps(squash_tanh(x), tanh(x));
                if (u > worst)
                    worst = u, worst_x = x;
            }
    ck_assert_msg(worst <= 4.0, "%.1f units in the last place at x = %.17g",
                  worst, worst_x);
    ck_assert(squash_tanh(0.0) == 0.0 && !signbit(squash_tanh(0.0)));
    ck_assert(squash_tanh(-0.0) == 0.0 && signbit(squash_tanh(-0.0)));
    ck_assert_double_eq(squash_tanh(INFINITY), 1.0);
    ck_assert_double_eq(squash_tanh(-INFINITY), -1.0);
    ck_assert(isnan(squash_tanh(NAN)));
}
END_TEST
//< test-squash-tanh

static double f_of(double a, void *unused)
{
    (void)unused;
    return squash(a);
}

static double f_prime_of(double a, void *unused)
{
    (void)unused;
    return squash_deriv(a);
}

//> test-squash-deriv
/* f' against gsl_deriv_central (an adaptive 5-point rule) on [-4, 4]. */
START_TEST(squash_derivative)
{
    gsl_function f = { f_of, NULL };
    for (double a = -4.0; a <= 4.0; a += 0.125) {
        double numeric, abserr;
        gsl_deriv_central(&f, a, 1e-3, &numeric, &abserr);
        ck_assert_msg(fabs(squash_deriv(a) - numeric) <= 1e-9,
                      "f'(%g) = %.15g, numerically %.15g", a,
                      squash_deriv(a), numeric);
    }
}
END_TEST
//< test-squash-deriv

/* "The second derivative is largest at +-1" (Appendix A): on a fine grid,
   f'' is most negative within 0.02 of +1 and most positive within 0.02 of
   -1. */
START_TEST(squash_curvature_peaks_near_one)
{
    gsl_function fp = { f_prime_of, NULL };
    double low_a = 0.0, low = 0.0, high_a = 0.0, high = 0.0;
    for (int i = -3000; i <= 3000; i++) {
        double a = i / 1000.0, f2, abserr;
        gsl_deriv_central(&fp, a, 1e-3, &f2, &abserr);
        if (f2 < low)
            low = f2, low_a = a;
        if (f2 > high)
            high = f2, high_a = a;
    }
    ck_assert_msg(fabs(low_a - 1.0) < 0.02, "f'' is lowest at %g", low_a);
    ck_assert_msg(fabs(high_a + 1.0) < 0.02, "f'' is highest at %g", high_a);
}
END_TEST

static void forward(const void *l, double *out, const double *in)
{
    (void)l;
    squash_forward(out, in, 50);
}

static void backward(const void *l, double *din, const double *dout,
                     const double *in)
{
    (void)l;
    double x[50];
    squash_forward(x, in, 50);
    squash_backward(din, dout, x, 50);
}

/* A unit's value depends on its input alone, not on where the run of
   units it is squashed with starts or ends (squash.c): cutting a layer in
   two, anywhere, changes no bit. */
START_TEST(squash_split_anywhere)
{
    enum { N = 203 };
    double a[N], whole[N], cut[N];
    for (int i = 0; i < N; i++)
        a[i] = -4.0 + 8.0 * ((i * 37) % N) / N;
    squash_forward(whole, a, N);
    for (int k = 0; k <= N; k++) {
        squash_forward(cut, a, k);
        squash_forward(cut + k, a + k, N - k);
        ck_assert_msg(memcmp(cut, whole, sizeof whole) == 0,
                      "cut at %d: a unit's value changed", k);
    }
}
END_TEST

START_TEST(squash_gradients)
{
    layer_case c = { NULL, forward, backward, 50, 50, NULL, NULL, 0 };
    gradcheck_result x;
    layer_check(&c, 21, NULL, &x);
    report_gradient("squash", &x);
    assert_gradcheck("inputs", &x);
}
END_TEST

Suite *squash_suite(void)
{
    Suite *s = suite_create("squash");
    TCase *tc = chapter_tcase(s, "squash", 4);
    tcase_add_test(tc, squash_maps_one_to_one);
    tcase_add_test(tc, squash_tanh_is_tanh);
    tcase_add_test(tc, squash_derivative);
    tcase_add_test(tc, squash_curvature_peaks_near_one);
    tcase_add_test(tc, squash_split_anywhere);
    tcase_add_test(tc, squash_gradients);
    return s;
}
