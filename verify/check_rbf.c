/*
 * check_rbf.c: the output layer: the bitmaps, the penalties, the counts and
 * the gradients (with respect to F6's outputs and to the centres).
 */
#include "harness.h"

#include <stdlib.h>

/* The number of pixels where the bitmaps of digits a and b differ. */
static int bitmap_distance(int a, int b)
{
    int d = 0;
    for (int r = 0; r < RBF_BITMAP_ROWS; r++)
        for (int c = 0; c < RBF_BITMAP_COLS; c++)
            d += rbf_bitmap(a, r, c) != rbf_bitmap(b, r, c);
    return d;
}

//> test-rbf-bitmaps
/* loss.h relies on this: any two centres differ in at least 14 pixels, so
   F6 sitting on one centre is at least 4 x 14 = 56 from every other. */
START_TEST(bitmaps_are_far_apart)
{
    int closest = RBF_BITMAP_ROWS * RBF_BITMAP_COLS;
    for (int a = 0; a < RBF_CLASSES; a++)
        for (int b = a + 1; b < RBF_CLASSES; b++)
            if (bitmap_distance(a, b) < closest)
                closest = bitmap_distance(a, b);
    ck_assert_int_ge(closest, 14);
}
END_TEST
//< test-rbf-bitmaps

START_TEST(bitmaps_become_centres)
{
    net n;
    build_net(&n, 1);
    /* F6 output equal to digit 7's bitmap: penalty 0 for 7, and for every
       other class 4 per differing pixel, as (1 - (-1))^2 = 4. */
    double x[84];
    for (int r = 0; r < RBF_BITMAP_ROWS; r++)
        for (int c = 0; c < RBF_BITMAP_COLS; c++)
            x[r * RBF_BITMAP_COLS + c] = rbf_bitmap(7, r, c);
    double y[RBF_CLASSES];
    rbf_forward(&n.out, y, x);
    for (int i = 0; i < RBF_CLASSES; i++)
        ck_assert_double_eq(y[i], 4.0 * bitmap_distance(i, 7));
    ck_assert_int_eq(rbf_predict(y, RBF_CLASSES), 7);

    rbf wrong;
    double centres[20];
    ck_assert_int_eq(rbf_setup(&wrong, 2, 10), LENET_OK);
    rbf_bind(&wrong, centres, NULL);
    ck_assert_int_eq(rbf_set_bitmaps(&wrong), LENET_EINVAL);
    net_free(&n);
}
END_TEST

START_TEST(output_counts_and_shape)
{
    net n;
    build_net(&n, 1);
    check_counts("output", rbf_num_params(&n.out),
                 rbf_num_connections(&n.out), n.out.out, 0, 0);
    net_free(&n);
}
END_TEST

static void forward(const void *l, double *out, const double *in)
{
    rbf_forward(l, out, in);
}

static void backward(const void *l, double *din, const double *dout,
                     const double *in)
{
    rbf_backward(l, din, dout, in);
}

/* The centres are fixed in the paper, but the layer can train them: check
   dE/dw as well, on a copy of the bitmaps that has a gradient vector. */
START_TEST(output_gradients)
{
    net n;
    build_net(&n, 1);
    rbf l = n.out;
    double *w = malloc(rbf_num_params(&l) * sizeof *w);
    double *dw = malloc(rbf_num_params(&l) * sizeof *dw);
    ck_assert(w && dw);
    rbf_bind(&l, w, dw);
    ck_assert_int_eq(rbf_set_bitmaps(&l), LENET_OK);
    layer_case c = { &l, forward, backward, 84, 10, w, dw,
                     rbf_num_params(&l) };
    gradcheck_result p, x;
    layer_check(&c, 31, &p, &x);
    report_gradient("output", &p);
    report_gradient("output", &x);
    assert_gradcheck("centres", &p);
    assert_gradcheck("inputs", &x);
    free(w);
    free(dw);
    net_free(&n);
}
END_TEST

Suite *rbf_suite(void)
{
    Suite *s = suite_create("rbf");
    TCase *tc = chapter_tcase(s, "output", 7);
    tcase_add_test(tc, bitmaps_are_far_apart);
    tcase_add_test(tc, bitmaps_become_centres);
    tcase_add_test(tc, output_counts_and_shape);
    tcase_add_test(tc, output_gradients);
    return s;
}
