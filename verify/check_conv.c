/*
 * check_conv.c: the convolution layer: a case worked by hand, a small layer
 * with a sparse table, and the real C1, C3 (Table I) and C5: counts, shapes
 * and gradients.
 */
#include "harness.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "reference.h"

static void forward(const void *l, double *out, const double *in)
{
    conv_forward(l, out, in);
}

static void backward(const void *l, double *din, const double *dout,
                     const double *in)
{
    conv_backward(l, din, dout, in);
}

/* Checks layer l (parameters already bound and set) on its own. */
static void check_conv_gradients(const char *name, const conv *l,
                                 unsigned long seed)
{
    layer_case c = { l, forward, backward,
                     (size_t)l->in_maps * l->in_rows * l->in_cols,
                     conv_out_size(l), l->w, l->dw, conv_num_params(l) };
    gradcheck_result p, x;
    layer_check(&c, seed, &p, &x);
    report_gradient(name, &p);
    report_gradient(name, &x);
    assert_gradcheck("parameters", &p);
    assert_gradcheck("inputs", &x);
}

//> test-conv-by-hand
/* One 3x3 map, one 2x2 kernel: every output worked out on paper. */
START_TEST(conv_by_hand)
{
    conv l;
    double params[5] = { 1, 2, 3, 4,    /* the kernel, row by row */
                         0.5 };         /* the bias */
    double grads[5] = { 0 };
    const double in[9] = { 1, 2, 3,
                           4, 5, 6,
                           7, 8, 9 };
    double out[4];
    ck_assert_int_eq(conv_setup(&l, 1, 3, 3, 1, 2, NULL), LENET_OK);
    conv_bind(&l, params, grads);
    conv_forward(&l, out, in);
    /* top-left: 1*1 + 2*2 + 3*4 + 4*5 + 0.5 = 37.5, and so on */
    ck_assert_double_eq(out[0], 37.5);
    ck_assert_double_eq(out[1], 47.5);
    ck_assert_double_eq(out[2], 67.5);
    ck_assert_double_eq(out[3], 77.5);

    /* dE/dout = 1 everywhere: each weight's gradient is the sum of the
       inputs it touched, the bias's is the number of outputs. */
    const double ones[4] = { 1, 1, 1, 1 };
    double din[9] = { 0 };
    conv_backward(&l, din, ones, in);
    ck_assert_double_eq(grads[0], 1 + 2 + 4 + 5);
    ck_assert_double_eq(grads[3], 5 + 6 + 8 + 9);
    ck_assert_double_eq(grads[4], 4);
    ck_assert_double_eq(din[4], 1 + 2 + 3 + 4);  /* the centre: every weight */
    ck_assert_double_eq(din[0], 1);              /* a corner: one weight */
}
END_TEST
//< test-conv-by-hand

START_TEST(conv_rejects_bad_shapes)
{
    conv l;
    const char *const short_row[2] = { "X", "XX" };
    const char *const bad_char[2] = { "XO", "XX" };
    const char *const dead_map[2] = { "X.", "X." };
    ck_assert_int_eq(conv_setup(&l, 1, 4, 4, 1, 5, NULL), LENET_EINVAL);
    /* the passes keep one input map on the stack: at most CONV_MAX_MAP */
    ck_assert_int_eq(conv_setup(&l, 1, 64, 64, 1, 5, NULL), LENET_OK);
    ck_assert_int_eq(conv_setup(&l, 1, 65, 64, 1, 5, NULL), LENET_EINVAL);
    ck_assert_int_eq(conv_setup(&l, 1, 8, CONV_MAX_MAP / 8 + 1, 1, 5, NULL),
                     LENET_EINVAL);
    ck_assert_int_eq(conv_setup(&l, 0, 8, 8, 1, 5, NULL), LENET_EINVAL);
    ck_assert_int_eq(conv_setup(&l, 2, 8, 8, 2, 3, short_row), LENET_EINVAL);
    ck_assert_int_eq(conv_setup(&l, 2, 8, 8, 2, 3, bad_char), LENET_EINVAL);
    ck_assert_int_eq(conv_setup(&l, 2, 8, 8, 2, 3, dead_map), LENET_EINVAL);
}
END_TEST

/* A small layer with a sparse table: 3 maps of 6x6 in, 2 maps out. */
START_TEST(conv_sparse_gradients)
{
    const char *const table[3] = { "X.", "XX", ".X" };
    conv l;
    ck_assert_int_eq(conv_setup(&l, 3, 6, 6, 2, 3, table), LENET_OK);
    ck_assert_uint_eq(conv_num_params(&l), 4 * 9 + 2);
    double *params = calloc(conv_num_params(&l), sizeof *params);
    double *grads = calloc(conv_num_params(&l), sizeof *grads);
    ck_assert(params && grads);
    conv_bind(&l, params, grads);
    gsl_rng *rng = test_rng(7);
    conv_init(&l, rng);
    gsl_rng_free(rng);
    check_conv_gradients("conv (small)", &l, 8);
    free(params);
    free(grads);
}
END_TEST

START_TEST(c1_counts_and_shape)
{
    net n;
    build_net(&n, 1);
    check_counts("C1", conv_num_params(&n.c1), conv_num_connections(&n.c1),
                 n.c1.out_maps, conv_out_rows(&n.c1), conv_out_cols(&n.c1));
    net_free(&n);
}
END_TEST

START_TEST(c1_gradients)
{
    net n;
    build_net(&n, 2);
    check_conv_gradients("C1", &n.c1, 3);
    net_free(&n);
}
END_TEST

//> test-c3-table
/* Table I as the paper lists it: for each C3 map, the S2 maps it reads. */
static const int table_one[16][7] = {
    { 0, 1, 2, -1 },    { 1, 2, 3, -1 },    { 2, 3, 4, -1 },
    { 3, 4, 5, -1 },    { 0, 4, 5, -1 },    { 0, 1, 5, -1 },
    { 0, 1, 2, 3, -1 }, { 1, 2, 3, 4, -1 }, { 2, 3, 4, 5, -1 },
    { 0, 3, 4, 5, -1 }, { 0, 1, 4, 5, -1 }, { 0, 1, 2, 5, -1 },
    { 0, 1, 3, 4, -1 }, { 1, 2, 4, 5, -1 }, { 0, 2, 3, 5, -1 },
    { 0, 1, 2, 3, 4, 5, -1 },
};

START_TEST(c3_table_is_the_papers)
{
    net n;
    build_net(&n, 1);
    int pairs = 0;
    for (int m = 0; m < 16; m++) {
        int listed[6] = { 0 };
        for (int k = 0; table_one[m][k] >= 0; k++)
            listed[table_one[m][k]] = 1;
        for (int s = 0; s < 6; s++) {
            ck_assert_msg(conv_connected(&n.c3, m, s) == listed[s],
                          "C3 map %d, S2 map %d: connected %d, Table I says %d",
                          m, s, conv_connected(&n.c3, m, s), listed[s]);
            pairs += conv_connected(&n.c3, m, s);
        }
    }
    ck_assert_int_eq(pairs, 60);
    net_free(&n);
}
END_TEST
//< test-c3-table

START_TEST(c3_counts_and_shape)
{
    net n;
    build_net(&n, 1);
    check_counts("C3", conv_num_params(&n.c3), conv_num_connections(&n.c3),
                 n.c3.out_maps, conv_out_rows(&n.c3), conv_out_cols(&n.c3));
    net_free(&n);
}
END_TEST

START_TEST(c3_gradients)
{
    net n;
    build_net(&n, 4);
    check_conv_gradients("C3", &n.c3, 5);
    net_free(&n);
}
END_TEST

START_TEST(c5_counts_and_shape)
{
    net n;
    build_net(&n, 1);
    check_counts("C5", conv_num_params(&n.c5), conv_num_connections(&n.c5),
                 n.c5.out_maps, conv_out_rows(&n.c5), conv_out_cols(&n.c5));
    net_free(&n);
}
END_TEST

START_TEST(c5_gradients)
{
    net n;
    build_net(&n, 6);
    check_conv_gradients("C5", &n.c5, 7);
    net_free(&n);
}
END_TEST

/*
 * The loops of conv.c against the one-output-at-a-time definition in
 * verify/reference.c, for C1, C3 and C5: the same sums in another order,
 * so equal to within rounding (1e-12 relative), outputs and gradients.
 */
static void assert_close(const char *what, const double *a, const double *b,
                         size_t n)
{
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(fabs(a[i] - b[i]) <= 1e-12 * fmax(1.0, fabs(b[i])),
                      "%s[%zu]: %.17g, the definition gives %.17g", what, i,
                      a[i], b[i]);
}

static void compare_with_reference(conv *l, unsigned long seed)
{
    size_t ni = (size_t)l->in_maps * l->in_rows * l->in_cols;
    size_t no = conv_out_size(l), np = conv_num_params(l);
    double *in = malloc(ni * sizeof *in), *g = malloc(no * sizeof *g);
    double *o1 = malloc(no * sizeof *o1), *o2 = malloc(no * sizeof *o2);
    double *d1 = calloc(ni, sizeof *d1), *d2 = calloc(ni, sizeof *d2);
    double *w1 = malloc(np * sizeof *w1);
    ck_assert(in && g && o1 && o2 && d1 && d2 && w1);
    gsl_rng *rng = test_rng(seed);
    fill_uniform(in, ni, -1, 1, rng);
    fill_uniform(g, no, -1, 1, rng);
    gsl_rng_free(rng);

    conv_forward(l, o1, in);
    reference_conv_forward(l, o2, in);
    assert_close("output", o1, o2, no);

    memset(l->dw, 0, np * sizeof *l->dw);
    conv_backward(l, d1, g, in);
    memcpy(w1, l->dw, np * sizeof *w1);
    memset(l->dw, 0, np * sizeof *l->dw);
    reference_conv_backward(l, d2, g, in);
    assert_close("parameter gradient", w1, l->dw, np);
    assert_close("input gradient", d1, d2, ni);
    free(in), free(g), free(o1), free(o2), free(d1), free(d2), free(w1);
}

START_TEST(loops_match_the_definition)
{
    net n;
    build_net(&n, 9);
    compare_with_reference(&n.c1, 10);
    compare_with_reference(&n.c3, 11);
    compare_with_reference(&n.c5, 12);
    net_free(&n);
}
END_TEST

/*
 * Shapes that take the loops' other paths: more output maps than are
 * buffered at once (20), maps whose pixel count no vector width divides
 * (7x7, 12x11), outputs fewer than a vector (1x2), kernels of 3 and 7
 * (dot_grid in fives and ones), a sparse table, and a covering layer of
 * 27 inputs (full_backward's last few).
 */
START_TEST(odd_shapes_match_the_definition)
{
    static const char *const table[3] = { "X.", "XX", ".X" };
    const struct { int maps, rows, cols, out, k; const char *const *t; } shape[] = {
        { 2, 7, 7, 20, 3, NULL }, { 1, 12, 11, 3, 7, NULL },
        { 3, 5, 6, 2, 5, NULL }, { 3, 7, 6, 2, 3, table },
        { 3, 3, 3, 4, 3, NULL },
        { 8, 20, 20, 3, 5, NULL },   /* too big for shifted copies (conv.c):
                                        the forward pass reads wide rows */
    };
    gsl_rng *rng = test_rng(13);
    for (size_t i = 0; i < sizeof shape / sizeof *shape; i++) {
        conv l;
        ck_assert_int_eq(conv_setup(&l, shape[i].maps, shape[i].rows,
                                    shape[i].cols, shape[i].out, shape[i].k,
                                    shape[i].t), LENET_OK);
        size_t np = conv_num_params(&l);
        double *p = malloc(np * sizeof *p), *g = calloc(np, sizeof *g);
        ck_assert(p && g);
        conv_bind(&l, p, g);
        conv_init(&l, rng);
        compare_with_reference(&l, 20 + i);
        free(p), free(g);
    }
    gsl_rng_free(rng);
}
END_TEST

Suite *conv_suite(void)
{
    Suite *s = suite_create("conv");
    TCase *tc = chapter_tcase(s, "convolution", 3);
    tcase_add_test(tc, conv_by_hand);
    tcase_add_test(tc, conv_rejects_bad_shapes);
    tcase_add_test(tc, loops_match_the_definition);
    tcase_add_test(tc, odd_shapes_match_the_definition);
    tc = chapter_tcase(s, "C1", 3);
    tcase_add_test(tc, c1_counts_and_shape);
    tcase_add_test(tc, c1_gradients);
    tc = chapter_tcase(s, "C3", 5);
    tcase_add_test(tc, conv_sparse_gradients);
    tcase_add_test(tc, c3_table_is_the_papers);
    tcase_add_test(tc, c3_counts_and_shape);
    tcase_add_test(tc, c3_gradients);
    tc = chapter_tcase(s, "C5", 6);
    tcase_add_test(tc, c5_counts_and_shape);
    tcase_add_test(tc, c5_gradients);
    return s;
}
