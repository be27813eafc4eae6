/*
 * check_net.c: the assembled LeNet-5: the architecture at a glance (counts
 * and shapes as `lenet summary` reports them), the initialisation, and the
 * gradient of each loss through the whole network.
 */
#include "harness.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_randist.h>

#include "input.h"
#include "paper.h"

START_TEST(network_counts)
{
    net n;
    build_net(&n, 1);
    net_layer_info info[NET_LAYERS];
    net_describe(&n, info);
    size_t trainable = 0, connections = 0;
    for (int i = 0; i < NET_LAYERS; i++) {
        check_counts(info[i].name, info[i].params, info[i].connections,
                     info[i].maps, info[i].rows, info[i].cols);
        trainable += info[i].trainable ? info[i].params : 0;
        connections += info[i].connections;
    }
    report_counts("network", trainable, connections);
    ck_assert_uint_eq(trainable, PAPER_TRAINABLE);
    ck_assert_uint_eq(connections, PAPER_CONNECTIONS);
    ck_assert_uint_eq(n.num_params, PAPER_TRAINABLE);
    ck_assert_uint_eq(net_num_connections(&n), PAPER_CONNECTIONS);
    net_free(&n);
}
END_TEST

START_TEST(same_seed_same_network)
{
    net a, b, c;
    build_net(&a, 99);
    build_net(&b, 99);
    build_net(&c, 100);
    ck_assert(memcmp(a.params, b.params, a.num_params * sizeof(double)) == 0);
    ck_assert(memcmp(a.params, c.params, a.num_params * sizeof(double)) != 0);
    net_free(&a);
    net_free(&b);
    net_free(&c);
}
END_TEST

/* Every value in w[0..n) lies in +-2.4/sqrt(fan_in) (lenet/init.h), and the
   largest comes close to the bound (a scale off by a factor would show, and
   so would the paper's printed 2.4/fan_in). */
static void assert_init_range(const char *what, const double *w, size_t n,
                              double fan_in)
{
    double limit = 2.4 / sqrt(fan_in), largest = 0.0;
    for (size_t i = 0; i < n; i++)
        largest = fmax(largest, fabs(w[i]));
    ck_assert_msg(largest <= limit, "%s: |w| reaches %g > 2.4/sqrt(%g)", what,
                  largest, fan_in);
    ck_assert_msg(n < 20 || largest > 0.9 * limit,
                  "%s: |w| only reaches %g of %g", what, largest, limit);
}

START_TEST(initial_weights_follow_fan_in)
{
    net n;
    build_net(&n, 5);
    assert_init_range("C1", n.c1.w, 6 * 25, 25);
    assert_init_range("S2", n.s2.coef, 12, 4);
    assert_init_range("C3 maps 0-5", n.c3.w, 6 * 75, 75);
    assert_init_range("C3 map 15", n.c3.w + 1500 - 150, 150, 150);
    assert_init_range("C5", n.c5.w, 120 * 400, 400);
    assert_init_range("F6", n.f6.w, 84 * 120, 120);
    net_free(&n);
}
END_TEST

/* The state the whole-network objective reads. */
typedef struct {
    net *n;
    double *input;
    int label;
    loss_kind kind;
} net_at;

static double net_objective(void *ctx)
{
    net_at *at = ctx;
    net_forward(at->n, at->input);
    return net_loss(at->n, at->label, at->kind);
}

/* A digit-like input: background with a random blob of ink. */
static void some_input(double *field, unsigned long seed)
{
    unsigned char digit[28 * 28] = { 0 };
    gsl_rng *rng = test_rng(seed);
    for (int r = 6; r < 22; r++)
        for (int c = 8; c < 20; c++)
            digit[r * 28 + c] = (unsigned char)gsl_rng_uniform_int(rng, 256);
    gsl_rng_free(rng);
    input_forward(field, digit);
}

/* Analytic gradients of the loss for one pattern into n->grads and
   n->input.dx. */
static void analytic(net_at *at)
{
    at->n->input_gradient = 1;
    net_forward(at->n, at->input);
    net_zero_grad(at->n);
    net_backward(at->n, at->label, at->kind);
}

/* Checks every parameter of a layer with at most 200, else 200 drawn at
   random (without repeats) from a seeded generator; under LENET_QUICK
   (valgrind), 20 instead of 200. */
static gradcheck_result check_layer_in_net(net_at *at, const char *name,
                                           const double *first, size_t count,
                                           gsl_rng *rng)
{
    const size_t SAMPLE = harness_quick() ? 20 : 200;
    size_t offset = (size_t)(first - at->n->params);
    size_t k = count < SAMPLE ? count : SAMPLE;
    size_t *all = malloc(count * sizeof *all), *chosen = malloc(k * sizeof *chosen);
    ck_assert(all && chosen);
    for (size_t i = 0; i < count; i++)
        all[i] = offset + i;
    gsl_ran_choose(rng, chosen, k, all, count, sizeof *all);
    gradcheck_result r = gradcheck(net_objective, at, at->n->params,
                                   at->n->grads, chosen, k);
    report_gradient(name, &r);
    free(all);
    free(chosen);
    return r;
}

/* The inputs check_network compares, into which[]: all of them, or
   under LENET_QUICK (valgrind) every 11th, 94 of the 1,024 spread over
   the whole field (11 is prime to its 32 columns). Returns how many. */
static size_t inputs_to_check(size_t *which, size_t size)
{
    size_t every = harness_quick() ? 11 : 1, k = 0;
    for (size_t j = 0; j < size; j += every)
        which[k++] = j;
    return k;
}

//> test-network-gradient
static void check_network(loss_kind kind, const char *row, unsigned long seed)
{
    net n;
    build_net(&n, seed);
    double input[32 * 32];
    some_input(input, seed + 1);
    net_at at = { &n, input, 3, kind };
    analytic(&at);

    gsl_rng *rng = test_rng(seed + 2);
    struct { const char *name; const double *first; size_t count; } layers[] = {
        { "C1", n.c1.w, conv_num_params(&n.c1) },
        { "S2", n.s2.coef, subsample_num_params(&n.s2) },
        { "C3", n.c3.w, conv_num_params(&n.c3) },
        { "S4", n.s4.coef, subsample_num_params(&n.s4) },
        { "C5", n.c5.w, conv_num_params(&n.c5) },
        { "F6", n.f6.w, full_num_params(&n.f6) },
    };
    gradcheck_result all = { 0 };
    for (size_t i = 0; i < sizeof layers / sizeof layers[0]; i++) {
        gradcheck_result r = check_layer_in_net(&at, layers[i].name,
                                                layers[i].first,
                                                layers[i].count, rng);
        assert_gradcheck(layers[i].name, &r);
        all = i == 0 ? r : gradcheck_worse(all, r);
    }
    gsl_rng_free(rng);

    size_t which[32 * 32], k = inputs_to_check(which, n.input.size);
    gradcheck_result x = gradcheck(net_objective, &at, input, n.input.dx,
                                   which, k);
    assert_gradcheck("inputs", &x);
    all = gradcheck_worse(all, x);
    report_gradient(row, &all);
    net_free(&n);
}
//< test-network-gradient

START_TEST(network_gradient_ml)
{
    check_network(LOSS_ML, "network (ML)", 51);
}
END_TEST

START_TEST(network_gradient_map)
{
    check_network(LOSS_MAP, "network (MAP)", 61);
}
END_TEST

//> test-broken-gradient
/* The check must be able to fail: a flipped sign and a dropped term in an
   otherwise correct gradient are both reported. */
START_TEST(gradcheck_catches_broken_gradient)
{
    net n;
    build_net(&n, 71);
    double input[32 * 32];
    some_input(input, 72);
    net_at at = { &n, input, 5, LOSS_MAP };
    analytic(&at);

    /* A flipped sign on one C3 weight: the one with the largest gradient. */
    size_t c3 = (size_t)(n.c3.w - n.params), worst = c3;
    for (size_t i = c3; i < c3 + conv_num_params(&n.c3); i++)
        if (fabs(n.grads[i]) > fabs(n.grads[worst]))
            worst = i;
    n.grads[worst] = -n.grads[worst];
    gradcheck_result r = gradcheck(net_objective, &at, n.params, n.grads,
                                   &worst, 1);
    ck_assert_msg(!gradcheck_ok(&r), "a flipped sign passed");
    ck_assert_double_eq_tol(r.max_error, 2.0, 1e-3);

    /* A dropped term: F6's bias gradients forgotten (left at zero). */
    memset(n.f6.db, 0, (size_t)n.f6.out * sizeof *n.f6.db);
    size_t first = (size_t)(n.f6.b - n.params);
    size_t biases[84];
    for (int i = 0; i < n.f6.out; i++)
        biases[i] = first + (size_t)i;
    r = gradcheck(net_objective, &at, n.params, n.grads, biases,
                  (size_t)n.f6.out);
    ck_assert_msg(!gradcheck_ok(&r), "dropped bias gradients passed");
    net_free(&n);
}
END_TEST
//< test-broken-gradient

Suite *net_suite(void)
{
    Suite *s = suite_create("net");
    TCase *tc = chapter_tcase(s, "architecture", 1);
    tcase_add_test(tc, network_counts);
    tc = chapter_tcase(s, "network", 8);
    tcase_add_test(tc, same_seed_same_network);
    tcase_add_test(tc, initial_weights_follow_fan_in);
    tcase_add_test(tc, network_gradient_ml);
    tcase_add_test(tc, network_gradient_map);
    tcase_add_test(tc, gradcheck_catches_broken_gradient);
    return s;
}
