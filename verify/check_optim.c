/*
 * check_optim.c: momentum and Adam (chapter 11): their first steps worked
 * by hand, a quadratic they must descend, and the trainer with each of
 * them lowering the loss of LeNet-5 on a small fixed set.
 */
#include "harness.h"

#include <math.h>
#include <string.h>

#include "optim.h"
#include "synthetic.h"
#include "train.h"

START_TEST(momentum_by_hand)
{
    optim o;
    double w[2] = { 1.0, -1.0 };
    const double g[2] = { 0.5, -2.0 };
    ck_assert_int_eq(optim_init(&o, OPTIM_MOMENTUM, 2, 0.1), LENET_OK);
    optim_step(&o, w, g);               /* v = g:        w -= 0.1 g */
    ck_assert_double_eq_tol(w[0], 1.0 - 0.05, 1e-15);
    optim_step(&o, w, g);               /* v = 0.9 g + g: w -= 0.19 g */
    ck_assert_double_eq_tol(w[0], 1.0 - 0.05 - 0.095, 1e-15);
    ck_assert_double_eq_tol(w[1], -1.0 + 0.2 + 0.38, 1e-15);
    optim_free(&o);
    optim_free(&o);                     /* safe twice */
}
END_TEST

/* Adam's bias correction makes its first step rate x g / (|g| + eps):
   rate, against the gradient's sign, whatever the gradient's size. */
START_TEST(adam_first_step_is_the_rate)
{
    optim o;
    double w[3] = { 0.0, 0.0, 0.0 };
    const double g[3] = { 1e-3, -50.0, 0.0 };
    ck_assert_int_eq(optim_init(&o, OPTIM_ADAM, 3, 0.01), LENET_OK);
    optim_step(&o, w, g);
    ck_assert_double_eq_tol(w[0], -0.01 * 1e-3 / (1e-3 + 1e-8), 1e-15);
    ck_assert_double_eq_tol(w[1], 0.01 * 50.0 / (50.0 + 1e-8), 1e-15);
    ck_assert_double_eq(w[2], 0.0);
    ck_assert_uint_eq(o.steps, 1);
    optim_free(&o);
}
END_TEST

START_TEST(optim_refuses_nonsense)
{
    optim o;
    ck_assert_int_eq(optim_init(&o, OPTIM_ADAM, 0, 0.01), LENET_EINVAL);
    ck_assert_int_eq(optim_init(&o, OPTIM_ADAM, 3, 0.0), LENET_EINVAL);
    ck_assert_int_eq(optim_init(&o, OPTIM_MOMENTUM, 3, NAN), LENET_EINVAL);
    ck_assert_int_eq(optim_init(&o, (optim_kind)9, 3, 0.1), LENET_EINVAL);
    optim_free(&o);
}
END_TEST

/* E(w) = 1/2 sum_k c_k (w_k - 1)^2, badly conditioned (c from 0.1 to 10):
   200 steps must bring E below a thousandth of its start. */
static void check_descends_quadratic(optim_kind kind, double rate)
{
    enum { N = 8 };
    double w[N] = { 0 }, g[N], c[N];
    for (int k = 0; k < N; k++)
        c[k] = 0.1 * pow(100.0, k / (N - 1.0));
    optim o;
    ck_assert_int_eq(optim_init(&o, kind, N, rate), LENET_OK);
    double start = 0.0, end = 0.0;
    for (int k = 0; k < N; k++)
        start += 0.5 * c[k];
    for (int step = 0; step < 200; step++) {
        for (int k = 0; k < N; k++)
            g[k] = c[k] * (w[k] - 1.0);
        optim_step(&o, w, g);
    }
    for (int k = 0; k < N; k++)
        end += 0.5 * c[k] * (w[k] - 1.0) * (w[k] - 1.0);
    ck_assert_msg(end < 1e-3 * start, "%s: E from %g to %g",
                  kind == OPTIM_ADAM ? "Adam" : "momentum", start, end);
    optim_free(&o);
}

START_TEST(optimizers_descend_a_quadratic)
{
    check_descends_quadratic(OPTIM_MOMENTUM, 0.05);
    check_descends_quadratic(OPTIM_ADAM, 0.05);
}
END_TEST

/* 10 passes of 10 batches of 10 patterns must at least halve the loss.
   Under LENET_QUICK (valgrind), 3 passes: momentum brings it to 0.13 of
   the start and Adam to 0.17 (after 10 passes, 0.022 and 0.033). */
START_TEST(trainer_momentum_and_adam_lower_the_loss)
{
    const train_options momentum = { TRAIN_MOMENTUM, LOSS_ML, 0, 0.001, 10, 0 };
    const train_options adam = { TRAIN_ADAM, LOSS_ML, 0, 0.001, 10, 0 };
    const int passes = harness_quick() ? 3 : 10;
    double before, after;
    train_small(&momentum, passes, &before, &after, NULL);
    ck_assert_msg(after < 0.5 * before, "momentum: mean loss %g before, %g "
                  "after", before, after);
    train_small(&adam, passes, &before, &after, NULL);
    ck_assert_msg(after < 0.5 * before, "Adam: mean loss %g before, %g after",
                  before, after);
}
END_TEST

START_TEST(trainer_refuses_empty_batches)
{
    net n;
    build_net(&n, 90);
    gsl_rng *rng = test_rng(92);
    trainer t;
    const train_options adam = { TRAIN_ADAM, LOSS_ML, 0, 0.001, 0, 0 };
    ck_assert_int_eq(trainer_init(&t, &n, &adam, TRAIN_SMALL, rng), LENET_EINVAL);
    gsl_rng_free(rng);
    net_free(&n);
}
END_TEST

Suite *optim_suite(void)
{
    Suite *s = suite_create("optim");
    TCase *tc = chapter_tcase(s, "optimizers", 11);
    tcase_add_test(tc, momentum_by_hand);
    tcase_add_test(tc, adam_first_step_is_the_rate);
    tcase_add_test(tc, optim_refuses_nonsense);
    tcase_add_test(tc, optimizers_descend_a_quadratic);
    tcase_add_test(tc, trainer_momentum_and_adam_lower_the_loss);
    tcase_add_test(tc, trainer_refuses_empty_batches);
    return s;
}
