/* check_subsample.c: S2 and S4: a case by hand, counts, shapes, gradients. */
#include "harness.h"

static void forward(const void *l, double *out, const double *in)
{
    subsample_forward(l, out, in);
}

static void backward(const void *l, double *din, const double *dout,
                     const double *in)
{
    subsample_backward(l, din, dout, in);
}

static void check_subsample_gradients(const char *name, const subsample *l,
                                      unsigned long seed)
{
    layer_case c = { l, forward, backward,
                     (size_t)l->maps * l->in_rows * l->in_cols,
                     subsample_out_size(l), l->coef, l->dcoef,
                     subsample_num_params(l) };
    gradcheck_result p, x;
    layer_check(&c, seed, &p, &x);
    report_gradient(name, &p);
    report_gradient(name, &x);
    assert_gradcheck("parameters", &p);
    assert_gradcheck("inputs", &x);
}

//> test-subsample-by-hand
/* One 4x4 map, coefficient 0.5, bias -1: each output is half its 2x2 sum,
   minus one. */
START_TEST(subsample_by_hand)
{
    subsample l;
    double params[2] = { 0.5, -1.0 }, grads[2] = { 0 };
    const double in[16] = { 1, 2,   3, 4,
                            5, 6,   7, 8,

                            9, 10,  11, 12,
                            13, 14, 15, 16 };
    double out[4];
    ck_assert_int_eq(subsample_setup(&l, 1, 4, 4), LENET_OK);
    subsample_bind(&l, params, grads);
    subsample_forward(&l, out, in);
    ck_assert_double_eq(out[0], 0.5 * (1 + 2 + 5 + 6) - 1);
    ck_assert_double_eq(out[1], 0.5 * (3 + 4 + 7 + 8) - 1);
    ck_assert_double_eq(out[2], 0.5 * (9 + 10 + 13 + 14) - 1);
    ck_assert_double_eq(out[3], 0.5 * (11 + 12 + 15 + 16) - 1);

    const double ones[4] = { 1, 1, 1, 1 };
    double din[16] = { 0 };
    subsample_backward(&l, din, ones, in);
    ck_assert_double_eq(grads[0], 136);    /* the sum of all 16 inputs */
    ck_assert_double_eq(grads[1], 4);
    for (int i = 0; i < 16; i++)
        ck_assert_double_eq(din[i], 0.5);  /* every input: the coefficient */
}
END_TEST
//< test-subsample-by-hand

START_TEST(subsample_rejects_odd_sizes)
{
    subsample l;
    ck_assert_int_eq(subsample_setup(&l, 1, 5, 4), LENET_EINVAL);
    ck_assert_int_eq(subsample_setup(&l, 0, 4, 4), LENET_EINVAL);
}
END_TEST

START_TEST(s2_counts_and_shape)
{
    net n;
    build_net(&n, 1);
    check_counts("S2", subsample_num_params(&n.s2),
                 subsample_num_connections(&n.s2), n.s2.maps,
                 subsample_out_rows(&n.s2), subsample_out_cols(&n.s2));
    net_free(&n);
}
END_TEST

START_TEST(s2_gradients)
{
    net n;
    build_net(&n, 10);
    check_subsample_gradients("S2", &n.s2, 11);
    net_free(&n);
}
END_TEST

START_TEST(s4_counts_and_shape)
{
    net n;
    build_net(&n, 1);
    check_counts("S4", subsample_num_params(&n.s4),
                 subsample_num_connections(&n.s4), n.s4.maps,
                 subsample_out_rows(&n.s4), subsample_out_cols(&n.s4));
    net_free(&n);
}
END_TEST

START_TEST(s4_gradients)
{
    net n;
    build_net(&n, 12);
    check_subsample_gradients("S4", &n.s4, 13);
    net_free(&n);
}
END_TEST

Suite *subsample_suite(void)
{
    Suite *s = suite_create("subsample");
    TCase *tc = chapter_tcase(s, "S2", 4);
    tcase_add_test(tc, subsample_by_hand);
    tcase_add_test(tc, subsample_rejects_odd_sizes);
    tcase_add_test(tc, s2_counts_and_shape);
    tcase_add_test(tc, s2_gradients);
    tc = chapter_tcase(s, "S4", 6);
    tcase_add_test(tc, s4_counts_and_shape);
    tcase_add_test(tc, s4_gradients);
    return s;
}
