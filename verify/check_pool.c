/* check_pool.c: 2x2 average and max pooling (chapter 11): a case by hand,
   counts, the tie rule, gradients (max pooling at inputs without ties),
   a wrong max-pool backward that the gradient check refuses, and the
   second-derivative pass against the Gauss-Newton rule applied to the
   layer's Jacobian measured numerically. */
#include "harness.h"

#include <math.h>
#include <string.h>

#include "pool.h"

static void forward(const void *l, double *out, const double *in)
{
    pool_forward(l, out, in);
}

static void backward(const void *l, double *din, const double *dout,
                     const double *in)
{
    pool_backward(l, din, dout, in);
}

/* Max pooling that always sends the gradient to the block's top-left. */
static void backward_top_left(const void *l, double *din, const double *dout,
                              const double *in)
{
    const pool *p = l;
    (void)in;
    int R = pool_out_rows(p), C = pool_out_cols(p), W = p->in_cols;
    for (int m = 0; m < p->maps; m++)
        for (int r = 0; r < R; r++)
            for (int c = 0; c < C; c++)
                din[(size_t)m * p->in_rows * W + 2 * r * W + 2 * c] +=
                    dout[(size_t)m * R * C + r * C + c];
}

/* One map of 2x4: two blocks. */
START_TEST(pool_by_hand)
{
    const double in[8] = { 1, 2,   -5, -6,
                           3, 4,   -7, -8 };
    double out[2], din[8] = { 0 };
    const double dout[2] = { 10, 20 };
    pool l;
    ck_assert_int_eq(pool_setup(&l, POOL_AVERAGE, 1, 2, 4), LENET_OK);
    pool_forward(&l, out, in);
    ck_assert_double_eq(out[0], 2.5);
    ck_assert_double_eq(out[1], -6.5);
    pool_backward(&l, din, dout, in);
    ck_assert_double_eq(din[0], 2.5);
    ck_assert_double_eq(din[7], 5.0);

    ck_assert_int_eq(pool_setup(&l, POOL_MAX, 1, 2, 4), LENET_OK);
    pool_forward(&l, out, in);
    ck_assert_double_eq(out[0], 4.0);
    ck_assert_double_eq(out[1], -5.0);
    double dmax[8] = { 0 };
    pool_backward(&l, dmax, dout, in);
    for (int i = 0; i < 8; i++)          /* everything to the two winners */
        ck_assert_double_eq(dmax[i], i == 5 ? 10.0 : i == 2 ? 20.0 : 0.0);
}
END_TEST

/* pool.h: on a tie the first input in row-major order wins. */
START_TEST(max_pool_tie_goes_to_the_first)
{
    const double in[4] = { 1, 7,
                           7, 7 };
    double out[1], din[4] = { 0 };
    const double dout[1] = { 1 };
    pool l;
    ck_assert_int_eq(pool_setup(&l, POOL_MAX, 1, 2, 2), LENET_OK);
    pool_forward(&l, out, in);
    pool_backward(&l, din, dout, in);
    ck_assert_double_eq(out[0], 7.0);
    ck_assert_double_eq(din[1], 1.0);
    ck_assert_double_eq(din[2] + din[3] + din[0], 0.0);
}
END_TEST

START_TEST(pool_counts_and_refusals)
{
    pool l;
    ck_assert_int_eq(pool_setup(&l, POOL_MAX, 6, 28, 28), LENET_OK);
    ck_assert_int_eq(pool_out_rows(&l), 14);
    ck_assert_uint_eq(pool_out_size(&l), 6 * 14 * 14);
    ck_assert_uint_eq(pool_num_params(&l), 0);
    ck_assert_uint_eq(pool_num_connections(&l), 6 * 14 * 14 * 4);
    ck_assert_int_eq(pool_setup(&l, POOL_AVERAGE, 16, 9, 10), LENET_EINVAL);
    ck_assert_int_eq(pool_setup(&l, POOL_AVERAGE, 0, 10, 10), LENET_EINVAL);
    ck_assert_int_eq(pool_setup(&l, (pool_kind)7, 1, 2, 2), LENET_EINVAL);
}
END_TEST

enum { MAPS = 3, SIDE = 10, IN = MAPS * SIDE * SIDE };

/* Inputs from [-1, 1] whose four values in every block are at least 0.05
   apart (the check's steps move a value by at most 2e-3): no ties, and no
   near-ties that a step could reorder. */
static void without_ties(double *in, unsigned long seed)
{
    gsl_rng *rng = test_rng(seed);
    for (int b = 0; b < IN / 4; b++) {
        double v[4];
        int ok;
        do {
            fill_uniform(v, 4, -1.0, 1.0, rng);
            ok = 1;
            for (int i = 0; i < 4; i++)
                for (int j = 0; j < i; j++)
                    ok &= v[i] - v[j] > 0.05 || v[j] - v[i] > 0.05;
        } while (!ok);
        int m = b / (SIDE * SIDE / 4), r = b % (SIDE * SIDE / 4) / (SIDE / 2),
            c = b % (SIDE / 2);
        double *p = in + m * SIDE * SIDE + 2 * r * SIDE + 2 * c;
        p[0] = v[0], p[1] = v[1], p[SIDE] = v[2], p[SIDE + 1] = v[3];
    }
    gsl_rng_free(rng);
}

static void check_pool_gradient(pool_kind kind, const char *row)
{
    pool l;
    double in[IN];
    ck_assert_int_eq(pool_setup(&l, kind, MAPS, SIDE, SIDE), LENET_OK);
    without_ties(in, 121);
    layer_case c = { &l, forward, backward, IN, pool_out_size(&l), NULL,
                     NULL, 0 };
    gradcheck_result x;
    layer_check_at(&c, in, 122, NULL, &x);
    report_gradient(row, &x);
    assert_gradcheck(row, &x);
}

START_TEST(average_pool_gradient)
{
    check_pool_gradient(POOL_AVERAGE, "average pool");
}
END_TEST

START_TEST(max_pool_gradient)
{
    check_pool_gradient(POOL_MAX, "max pool");
}
END_TEST

START_TEST(gradcheck_catches_wrong_max_route)
{
    pool l;
    double in[IN];
    ck_assert_int_eq(pool_setup(&l, POOL_MAX, MAPS, SIDE, SIDE), LENET_OK);
    without_ties(in, 121);
    layer_case c = { &l, forward, backward_top_left, IN, pool_out_size(&l),
                     NULL, NULL, 0 };
    gradcheck_result x;
    layer_check_at(&c, in, 122, NULL, &x);
    ck_assert_msg(!gradcheck_ok(&x), "a wrong max-pool backward passed: "
                  "error %g", x.max_error);
}
END_TEST

/*
 * SDLM's pass (Appendix C): with d2E/dout_i^2 = D_i, the Gauss-Newton
 * estimate for input j is sum_i J_ij^2 D_i, J the Jacobian of pool_forward.
 * Each column of J is measured by a central difference of pool_forward
 * (exact up to rounding: pooling is linear around inputs without ties),
 * so the pass is checked against the forward pass, not against the 1/16
 * and winner rules it is written from. Accumulates onto what is there.
 */
static void check_pool_backward2(pool_kind kind)
{
    enum { OUT = IN / 4 };
    const double step = 1e-3;
    pool l;
    double in[IN], D[OUT], d2in[IN], start[IN], plus[OUT], minus[OUT];
    ck_assert_int_eq(pool_setup(&l, kind, MAPS, SIDE, SIDE), LENET_OK);
    without_ties(in, 123);
    gsl_rng *rng = test_rng(124);
    fill_uniform(D, OUT, 0.0, 2.0, rng);
    fill_uniform(start, IN, 0.0, 1.0, rng);
    gsl_rng_free(rng);
    memcpy(d2in, start, sizeof d2in);
    pool_backward2(&l, d2in, D, in);
    for (int j = 0; j < IN; j++) {
        double keep = in[j], expect = 0.0;
        in[j] = keep + step;
        pool_forward(&l, plus, in);
        in[j] = keep - step;
        pool_forward(&l, minus, in);
        in[j] = keep;
        for (int i = 0; i < OUT; i++) {
            double J = (plus[i] - minus[i]) / (2 * step);
            expect += J * J * D[i];
        }
        ck_assert_msg(fabs(d2in[j] - start[j] - expect) <= 1e-9,
                      "%s input %d: %.15g, the Jacobian gives %.15g",
                      kind == POOL_MAX ? "max" : "average", j,
                      d2in[j] - start[j], expect);
    }
}

START_TEST(pool_backward2_is_gauss_newton)
{
    check_pool_backward2(POOL_AVERAGE);
    check_pool_backward2(POOL_MAX);
}
END_TEST

Suite *pool_suite(void)
{
    Suite *s = suite_create("pool");
    TCase *tc = chapter_tcase(s, "pooling", 11);
    tcase_add_test(tc, pool_by_hand);
    tcase_add_test(tc, max_pool_tie_goes_to_the_first);
    tcase_add_test(tc, pool_counts_and_refusals);
    tcase_add_test(tc, average_pool_gradient);
    tcase_add_test(tc, max_pool_gradient);
    tcase_add_test(tc, gradcheck_catches_wrong_max_route);
    tcase_add_test(tc, pool_backward2_is_gauss_newton);
    return s;
}
