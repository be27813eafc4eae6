/* check_full.c: F6: a case by hand, counts, shape, gradients. */
#include "harness.h"

static void forward(const void *l, double *out, const double *in)
{
    full_forward(l, out, in);
}

static void backward(const void *l, double *din, const double *dout,
                     const double *in)
{
    full_backward(l, din, dout, in);
}

//> test-full-by-hand
START_TEST(full_by_hand)
{
    full l;
    double params[8] = { 1, 2, 3,      /* unit 0's weights */
                         -1, 0, 1,     /* unit 1's weights */
                         0.5, -0.5 };  /* the biases */
    double grads[8] = { 0 };
    const double in[3] = { 1, 10, 100 };
    double out[2];
    ck_assert_int_eq(full_setup(&l, 3, 2), LENET_OK);
    full_bind(&l, params, grads);
    full_forward(&l, out, in);
    ck_assert_double_eq(out[0], 321.5);
    ck_assert_double_eq(out[1], 98.5);

    const double dout[2] = { 1, 2 };
    double din[3] = { 0 };
    full_backward(&l, din, dout, in);
    ck_assert_double_eq(grads[4], 2 * 10);       /* dE/dw_11 = dout_1 x_1 */
    ck_assert_double_eq(grads[7], 2);            /* dE/db_1 */
    ck_assert_double_eq(din[0], 1 * 1 + 2 * -1); /* sum_i dout_i w_i0 */
}
END_TEST
//< test-full-by-hand

START_TEST(f6_counts_and_shape)
{
    net n;
    build_net(&n, 1);
    check_counts("F6", full_num_params(&n.f6), full_num_connections(&n.f6),
                 n.f6.out, 0, 0);
    net_free(&n);
}
END_TEST

START_TEST(f6_gradients)
{
    net n;
    build_net(&n, 14);
    layer_case c = { &n.f6, forward, backward, (size_t)n.f6.in,
                     (size_t)n.f6.out, n.f6.w, n.f6.dw,
                     full_num_params(&n.f6) };
    gradcheck_result p, x;
    layer_check(&c, 15, &p, &x);
    report_gradient("F6", &p);
    report_gradient("F6", &x);
    assert_gradcheck("parameters", &p);
    assert_gradcheck("inputs", &x);
    net_free(&n);
}
END_TEST

Suite *full_suite(void)
{
    Suite *s = suite_create("full");
    TCase *tc = chapter_tcase(s, "F6", 6);
    tcase_add_test(tc, full_by_hand);
    tcase_add_test(tc, f6_counts_and_shape);
    tcase_add_test(tc, f6_gradients);
    return s;
}
