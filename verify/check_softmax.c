/*
 * check_softmax.c: softmax and cross-entropy (chapter 11): a case by hand,
 * the gradient of the loss, the gradient of a full 84 -> 10 layer with
 * softmax and cross-entropy on top (the modern output layer, 850
 * parameters), checked together, scores large enough to overflow a
 * naive exp(), and the curvature SDLM reads, against second differences
 * of the loss.
 */
#include "harness.h"

#include <math.h>
#include <string.h>

#include "softmax.h"

enum { CLASSES = 10, F6 = 84 };

START_TEST(softmax_by_hand)
{
    /* scores 0 and log 3: p = 1/4 and 3/4, E(label 0) = log 4 */
    const double z[2] = { 0.0, log(3.0) };
    double p[2], dz[2] = { 0 };
    softmax_forward(p, z, 2);
    ck_assert_double_eq_tol(p[0], 0.25, 1e-15);
    ck_assert_double_eq_tol(p[1], 0.75, 1e-15);
    ck_assert_double_eq_tol(softmax_loss(z, 2, 0), log(4.0), 1e-15);
    softmax_backward(dz, z, 2, 0);
    ck_assert_double_eq_tol(dz[0], 0.25 - 1.0, 1e-15);
    ck_assert_double_eq_tol(dz[1], 0.75, 1e-15);
    ck_assert_int_eq(softmax_predict(z, 2), 1);
}
END_TEST

typedef struct {
    double *z;
    int label;
} scores_at;

static double loss_of_scores(void *ctx)
{
    scores_at *s = ctx;
    return softmax_loss(s->z, CLASSES, s->label);
}

START_TEST(cross_entropy_gradient)
{
    double z[CLASSES], dz[CLASSES] = { 0 };
    gsl_rng *rng = test_rng(131);
    fill_uniform(z, CLASSES, -4.0, 4.0, rng);
    gsl_rng_free(rng);
    softmax_backward(dz, z, CLASSES, 6);
    scores_at at = { z, 6 };
    gradcheck_result r = gradcheck(loss_of_scores, &at, z, dz, NULL, CLASSES);
    report_gradient("softmax + CE", &r);
    assert_gradcheck("softmax + cross-entropy", &r);
}
END_TEST

/* The output layer: scores z = W x + b from F6's 84 outputs x. */
typedef struct {
    full *layer;
    double *x;
    int label;
} output_at;

static double loss_of_output(void *ctx)
{
    output_at *o = ctx;
    double z[CLASSES];
    full_forward(o->layer, z, o->x);
    return softmax_loss(z, CLASSES, o->label);
}

START_TEST(full_and_softmax_gradient)
{
    full l;
    ck_assert_int_eq(full_setup(&l, F6, CLASSES), LENET_OK);
    size_t count = full_num_params(&l);
    ck_assert_uint_eq(count, 850);               /* 84 x 10 + 10 */
    double params[850], grads[850] = { 0 }, x[F6], dx[F6] = { 0 };
    double z[CLASSES], dz[CLASSES] = { 0 };
    full_bind(&l, params, grads);
    gsl_rng *rng = test_rng(132);
    full_init(&l, rng);
    fill_uniform(x, F6, -1.7, 1.7, rng);        /* F6 squashed: |x| < 1.7159 */
    gsl_rng_free(rng);

    full_forward(&l, z, x);
    softmax_backward(dz, z, CLASSES, 2);
    full_backward(&l, dx, dz, x);
    output_at at = { &l, x, 2 };
    gradcheck_result p = gradcheck(loss_of_output, &at, params, grads, NULL,
                                   count);
    gradcheck_result i = gradcheck(loss_of_output, &at, x, dx, NULL, F6);
    report_gradient("full + softmax", &p);
    report_gradient("full + softmax", &i);
    assert_gradcheck("full + softmax: parameters", &p);
    assert_gradcheck("full + softmax: inputs", &i);
}
END_TEST

/* exp(800) overflows and exp(-800) underflows: the naive formulas give
   inf / inf and log(0). Shifted, they are exact: with scores 1000 + i,
   p_i = e^i / sum_k e^k whatever the offset. */
START_TEST(huge_scores_stay_finite)
{
    double z[CLASSES], p[CLASSES], dz[CLASSES] = { 0 }, sum = 0.0;
    for (int i = 0; i < CLASSES; i++) {
        z[i] = 1000.0 + i;
        sum += exp((double)i);
    }
    ck_assert(isinf(exp(z[9])));
    softmax_forward(p, z, CLASSES);
    double e = softmax_loss(z, CLASSES, 3);
    softmax_backward(dz, z, CLASSES, 3);
    ck_assert_double_eq_tol(e, log(sum) - 3.0, 1e-12);
    for (int i = 0; i < CLASSES; i++) {
        ck_assert_double_eq_tol(p[i], exp((double)i) / sum, 1e-15);
        ck_assert(isfinite(dz[i]));
    }
    ck_assert_double_eq_tol(dz[3], p[3] - 1.0, 1e-15);

    /* Far apart: 1e300 against -1e300. The right class is certain (E = 0,
       gradient 0) or hopeless (E = 2e300, finite, gradient -1 and +1). */
    double far[CLASSES] = { 1e300, -1e300, -1e300, -1e300, -1e300,
                            -1e300, -1e300, -1e300, -1e300, -1e300 };
    double dfar[CLASSES] = { 0 };
    ck_assert_double_eq(softmax_loss(far, CLASSES, 0), 0.0);
    ck_assert_double_eq(softmax_loss(far, CLASSES, 1), 2e300);
    softmax_backward(dfar, far, CLASSES, 1);
    ck_assert_double_eq(dfar[0], 1.0);
    ck_assert_double_eq(dfar[1], -1.0);
    ck_assert_double_eq(dfar[5], 0.0);
}
END_TEST

/* A softmax whose backward forgets the normalisation (uses e^z_i, not
   p_i) must be refused by the gradient check. */
START_TEST(gradcheck_catches_unnormalised_softmax)
{
    double z[CLASSES], dz[CLASSES];
    gsl_rng *rng = test_rng(131);
    fill_uniform(z, CLASSES, -4.0, 4.0, rng);
    gsl_rng_free(rng);
    for (int i = 0; i < CLASSES; i++)
        dz[i] = exp(z[i]) - (i == 6);
    scores_at at = { z, 6 };
    gradcheck_result r = gradcheck(loss_of_scores, &at, z, dz, NULL, CLASSES);
    ck_assert_msg(!gradcheck_ok(&r), "a wrong softmax gradient passed: %g",
                  r.max_error);
}
END_TEST

/*
 * SDLM's curvature at the scores: softmax_backward2 against the second
 * central difference of the loss itself, (E(z + d e_i) - 2 E(z) + E(z -
 * d e_i)) / d^2, for every score and every label (the curvature must not
 * depend on the label). With d = 1e-4 the difference's truncation error is
 * about d^2 |E^(4)| / 12 < 1e-9 and its rounding about 4 eps E / d^2 <
 * 1e-7; the bound is 1e-6.
 */
START_TEST(softmax_backward2_is_the_curvature)
{
    const double d = 1e-4;
    double z[CLASSES], d2z[CLASSES], start[CLASSES];
    gsl_rng *rng = test_rng(133);
    fill_uniform(z, CLASSES, -3.0, 3.0, rng);
    fill_uniform(d2z, CLASSES, 0.0, 1.0, rng);
    gsl_rng_free(rng);
    memcpy(start, d2z, sizeof start);
    softmax_backward2(d2z, z, CLASSES);          /* accumulates */
    for (int label = 0; label < CLASSES; label++)
        for (int i = 0; i < CLASSES; i++) {
            double keep = z[i], e0 = softmax_loss(z, CLASSES, label);
            z[i] = keep + d;
            double ep = softmax_loss(z, CLASSES, label);
            z[i] = keep - d;
            double em = softmax_loss(z, CLASSES, label);
            z[i] = keep;
            double curvature = (ep - 2.0 * e0 + em) / (d * d);
            ck_assert_msg(fabs(d2z[i] - start[i] - curvature) <= 1e-6,
                          "score %d, label %d: %.10g, the loss's second "
                          "difference %.10g", i, label, d2z[i] - start[i],
                          curvature);
        }

    /* Scores that overflow a naive exp(): finite, in [0, 1/4]. */
    double far[CLASSES] = { 1e300, -1e300, 1000.0, 1001.0 };
    double d2far[CLASSES] = { 0 };
    softmax_backward2(d2far, far, CLASSES);
    for (int i = 0; i < CLASSES; i++)
        ck_assert(isfinite(d2far[i]) && d2far[i] >= 0.0 && d2far[i] <= 0.25);
}
END_TEST

Suite *softmax_suite(void)
{
    Suite *s = suite_create("softmax");
    TCase *tc = chapter_tcase(s, "softmax", 11);
    tcase_add_test(tc, softmax_by_hand);
    tcase_add_test(tc, cross_entropy_gradient);
    tcase_add_test(tc, full_and_softmax_gradient);
    tcase_add_test(tc, huge_scores_stay_finite);
    tcase_add_test(tc, gradcheck_catches_unnormalised_softmax);
    tcase_add_test(tc, softmax_backward2_is_the_curvature);
    return s;
}
