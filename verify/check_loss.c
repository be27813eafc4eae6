/* check_loss.c: the ML and MAP criteria (§II.C) and their gradients. */
#include "harness.h"

#include <math.h>

typedef struct {
    double *y;
    int label;
    loss_kind kind;
} loss_at;

static double loss_objective(void *ctx)
{
    loss_at *l = ctx;
    return loss_value(l->kind, l->y, RBF_CLASSES, l->label);
}

/* Penalties of a plausible output: near the scale of real RBF outputs. */
static void plausible_penalties(double *y, unsigned long seed)
{
    gsl_rng *rng = test_rng(seed);
    fill_uniform(y, RBF_CLASSES, 0.5, 12.0, rng);
    gsl_rng_free(rng);
}

START_TEST(ml_is_the_correct_penalty)
{
    double y[RBF_CLASSES], dy[RBF_CLASSES] = { 0 };
    plausible_penalties(y, 41);
    ck_assert_double_eq(loss_ml(y, RBF_CLASSES, 4), y[4]);
    loss_ml_backward(dy, y, RBF_CLASSES, 4);
    for (int i = 0; i < RBF_CLASSES; i++)
        ck_assert_double_eq(dy[i], i == 4 ? 1.0 : 0.0);
}
END_TEST

//> test-map-formula
/* eq. (9) written out directly, for penalties small enough not to underflow */
START_TEST(map_matches_equation_9)
{
    double y[RBF_CLASSES];
    plausible_penalties(y, 42);
    double sum = exp(-LOSS_MAP_J);
    for (int i = 0; i < RBF_CLASSES; i++)
        sum += exp(-y[i]);
    ck_assert_double_eq_tol(loss_map(y, RBF_CLASSES, 2, LOSS_MAP_J),
                            y[2] + log(sum), 1e-12);
}
END_TEST
//< test-map-formula

/* Penalties of 800 and more with j = 1000: every e^-y_i and e^-j underflows
   to 0, and log(0 + ... + 0) would be -infinity. Shifted by the smallest
   (800), E = 0 + log(e^-200 + sum_i e^-i) = 0.45868... */
START_TEST(map_is_stable_for_large_penalties)
{
    double y[RBF_CLASSES], dy[RBF_CLASSES] = { 0 }, sum = exp(-200.0);
    for (int i = 0; i < RBF_CLASSES; i++) {
        y[i] = 800.0 + i;
        sum += exp(-(double)i);
    }
    ck_assert(exp(-y[0]) == 0.0);      /* the naive formula has nothing left */
    double e = loss_map(y, RBF_CLASSES, 0, 1000.0);
    ck_assert(isfinite(e));
    ck_assert_double_eq_tol(e, log(sum), 1e-12);
    loss_map_backward(dy, y, RBF_CLASSES, 0, 1000.0);
    ck_assert_double_eq_tol(dy[0], 1.0 - 1.0 / sum, 1e-12);
}
END_TEST

static void check_loss_gradient(loss_kind kind, const char *row)
{
    double y[RBF_CLASSES], dy[RBF_CLASSES] = { 0 };
    plausible_penalties(y, 43);
    loss_backward(kind, dy, y, RBF_CLASSES, 3);
    loss_at at = { y, 3, kind };
    gradcheck_result r = gradcheck(loss_objective, &at, y, dy, NULL,
                                   RBF_CLASSES);
    report_gradient(row, &r);
    assert_gradcheck(row, &r);
}

START_TEST(ml_gradient)
{
    check_loss_gradient(LOSS_ML, "loss (ML)");
}
END_TEST

START_TEST(map_gradient)
{
    check_loss_gradient(LOSS_MAP, "loss (MAP)");
}
END_TEST

//> test-dropped-term
/* A MAP gradient that forgot its competitive term is the ML gradient; the
   gradient check must refuse it. */
START_TEST(gradcheck_catches_dropped_term)
{
    double y[RBF_CLASSES], dy[RBF_CLASSES] = { 0 };
    plausible_penalties(y, 43);
    loss_ml_backward(dy, y, RBF_CLASSES, 3);
    loss_at at = { y, 3, LOSS_MAP };
    gradcheck_result r = gradcheck(loss_objective, &at, y, dy, NULL,
                                   RBF_CLASSES);
    ck_assert_msg(!gradcheck_ok(&r), "a dropped term passed: error %g",
                  r.max_error);
    ck_assert(r.max_error > 1e-3);
}
END_TEST
//< test-dropped-term

Suite *loss_suite(void)
{
    Suite *s = suite_create("loss");
    TCase *tc = chapter_tcase(s, "loss", 7);
    tcase_add_test(tc, ml_is_the_correct_penalty);
    tcase_add_test(tc, map_matches_equation_9);
    tcase_add_test(tc, map_is_stable_for_large_penalties);
    tcase_add_test(tc, ml_gradient);
    tcase_add_test(tc, map_gradient);
    tcase_add_test(tc, gradcheck_catches_dropped_term);
    return s;
}
