/*
 * check_speed.c: what chapter 10's changes must not change. The fused
 * update (a layer stepping its own weights in backward, conv.h, full.h)
 * gives bit for bit the parameters and input gradients of accumulating
 * into zeroed gradients and stepping after; the trainer leaves the layers
 * unfused; and dot.h's dot product is the sum of the products, whatever
 * the length's remainder after the lanes; a batch of patterns through
 * net_forward_batch gives each the outputs of net_forward; and the
 * evaluation gives the same score on any number of threads.
 */
#include "harness.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dot.h"
#include "input.h"
#include "synthetic.h"
#include "train.h"

/* One layer's backward pass both ways, on copies of the same parameters. */
typedef struct {
    void *layer;
    void (*bind)(void *layer, double *params, double *grads);
    void (*set_step)(void *layer, const double *step);
    void (*backward)(const void *layer, double *din, const double *dout,
                     const double *in);
    size_t num_params, in_size, out_size;
} step_case;

static void check_fused_step(const step_case *c, unsigned long seed)
{
    size_t np = c->num_params, ni = c->in_size, no = c->out_size;
    double *p1 = malloc(np * sizeof *p1), *p2 = malloc(np * sizeof *p2);
    double *g1 = calloc(np, sizeof *g1), *g2 = calloc(np, sizeof *g2);
    double *step = malloc(np * sizeof *step), *in = malloc(ni * sizeof *in);
    double *din1 = calloc(ni, sizeof *din1), *din2 = calloc(ni, sizeof *din2);
    double *dout = malloc(no * sizeof *dout);
    ck_assert(p1 && p2 && g1 && g2 && step && in && din1 && din2 && dout);
    gsl_rng *rng = test_rng(seed);
    fill_uniform(p1, np, -1, 1, rng);
    fill_uniform(step, np, 0.5, 2, rng);   /* steps as large as the weights:
                                              any rounding difference shows */
    fill_uniform(in, ni, -1, 1, rng);
    fill_uniform(dout, no, -1, 1, rng);
    gsl_rng_free(rng);
    memcpy(p2, p1, np * sizeof *p1);

    /* accumulate, then step: what the trainer did before chapter 10 */
    c->bind(c->layer, p1, g1);
    c->set_step(c->layer, NULL);
    c->backward(c->layer, din1, dout, in);
    for (size_t k = 0; k < np; k++)
        p1[k] -= step[k] * g1[k];

    /* the fused step */
    c->bind(c->layer, p2, g2);
    c->set_step(c->layer, step);
    c->backward(c->layer, din2, dout, in);
    c->set_step(c->layer, NULL);

    ck_assert_msg(memcmp(p1, p2, np * sizeof *p1) == 0,
                  "the fused step changed the parameters");
    ck_assert_msg(memcmp(din1, din2, ni * sizeof *din1) == 0,
                  "the fused step changed the input gradient");
    for (size_t k = 0; k < np; k++)
        ck_assert_msg(g2[k] == 0.0, "the fused step wrote gradient %zu", k);
    size_t moved = 0;
    for (size_t k = 0; k < np; k++)
        moved += g1[k] != 0.0;
    ck_assert_msg(moved > np / 2, "only %zu of %zu gradients were nonzero",
                  moved, np);
    free(p1), free(p2), free(g1), free(g2), free(step), free(in);
    free(din1), free(din2), free(dout);
}

static void conv_bind_v(void *l, double *p, double *g) { conv_bind(l, p, g); }
static void conv_step_v(void *l, const double *s) { ((conv *)l)->step = s; }
static void conv_backward_v(const void *l, double *din, const double *dout,
                            const double *in)
{
    conv_backward(l, din, dout, in);
}

static void full_bind_v(void *l, double *p, double *g) { full_bind(l, p, g); }
static void full_step_v(void *l, const double *s) { ((full *)l)->step = s; }
static void full_backward_v(const void *l, double *din, const double *dout,
                            const double *in)
{
    full_backward(l, din, dout, in);
}

/* A sparse table and wide rows (C3's path), and covering kernels (C5's). */
START_TEST(conv_fused_step_is_exact)
{
    const char *const table[3] = { "X.", "XX", ".X" };
    conv l;
    ck_assert_int_eq(conv_setup(&l, 3, 7, 6, 2, 3, table), LENET_OK);
    step_case c = { &l, conv_bind_v, conv_step_v, conv_backward_v,
                    conv_num_params(&l), 3 * 7 * 6, conv_out_size(&l) };
    check_fused_step(&c, 101);

    ck_assert_int_eq(conv_setup(&l, 3, 4, 4, 5, 4, NULL), LENET_OK);
    step_case d = { &l, conv_bind_v, conv_step_v, conv_backward_v,
                    conv_num_params(&l), 3 * 4 * 4, conv_out_size(&l) };
    check_fused_step(&d, 102);
}
END_TEST

START_TEST(full_fused_step_is_exact)
{
    full l;
    ck_assert_int_eq(full_setup(&l, 9, 4), LENET_OK);
    step_case c = { &l, full_bind_v, full_step_v, full_backward_v,
                    full_num_params(&l), 9, 4 };
    check_fused_step(&c, 103);
}
END_TEST

/* trainer_run fuses the update while it runs, and only then. */
START_TEST(trainer_leaves_layers_unfused)
{
    net n;
    ck_assert_int_eq(net_init(&n), LENET_OK);
    gsl_rng *rng = test_rng(104);
    net_randomize(&n, rng);
    enum { COUNT = 20 };
    unsigned char *images = malloc(COUNT * 28 * 28), labels[COUNT];
    ck_assert_ptr_nonnull(images);
    for (size_t i = 0; i < COUNT * 28 * 28; i++)
        images[i] = (unsigned char)gsl_rng_uniform_int(rng, 256);
    for (int i = 0; i < COUNT; i++)
        labels[i] = (unsigned char)(i % 10);
    train_data d = { images, labels, COUNT };
    train_options opt = { TRAIN_SDLM, LOSS_MAP, TRAIN_MU, 0, 1, 0 };
    trainer t;
    ck_assert_int_eq(trainer_init(&t, &n, &opt, COUNT, rng), LENET_OK);
    trainer_begin_pass(&t, &d, 1);
    ck_assert_int_eq(trainer_run(&t, &d, COUNT), TRAIN_FINITE);
    ck_assert_ptr_null(n.c1.step);
    ck_assert_ptr_null(n.c3.step);
    ck_assert_ptr_null(n.c5.step);
    ck_assert_ptr_null(n.f6.step);
    for (size_t k = 0; k < n.num_params; k++)
        ck_assert_msg(n.grads[k] == 0.0, "gradient %zu left at %g", k, n.grads[k]);
    trainer_free(&t);
    gsl_rng_free(rng);
    free(images);
    net_free(&n);
}
END_TEST

/* Every length from 0 to 3 x DOT_LANES + 5: the lanes and the remainder. */
START_TEST(dot_is_the_sum_of_products)
{
    enum { N = 3 * DOT_LANES + 5 };
    double a[N], b[N];
    gsl_rng *rng = test_rng(105);
    fill_uniform(a, N, -1, 1, rng);
    fill_uniform(b, N, -1, 1, rng);
    gsl_rng_free(rng);
    for (size_t n = 0; n <= N; n++) {
        double sum = 0.0, size = 0.0;
        for (size_t i = 0; i < n; i++) {
            sum += a[i] * b[i];
            size += fabs(a[i] * b[i]);
        }
        ck_assert_msg(fabs(dot(a, b, n) - sum) <= 1e-15 * (size + 1),
                      "length %zu: %.17g, not %.17g", n, dot(a, b, n), sum);
    }
    /* small integers: every order of addition gives the exact sum */
    for (size_t i = 0; i < N; i++)
        a[i] = (double)(i % 7), b[i] = (double)(i % 5) - 2.0;
    for (size_t n = 0; n <= N; n++) {
        double exact = 0.0;
        for (size_t i = 0; i < n; i++)
            exact += a[i] * b[i];
        ck_assert_double_eq(dot(a, b, n), exact);
    }
}
END_TEST

/* dot_grid gives dot's sums bit for bit, every length, count and number
   of rows, b moved by one (conv.c's kernel rows) or by a whole row (the
   full layers); and sum_of is dot against ones, bit for bit. */
START_TEST(dot_grid_is_dot)
{
    enum { N = 3 * DOT_LANES + 5, B = N * DOT_MANY };
    double a[DOT_ROWS][N], b[B], ones[N], out[DOT_ROWS][DOT_MANY];
    const double *rows_of[DOT_ROWS];
    double *out_of[DOT_ROWS];
    gsl_rng *rng = test_rng(106);
    for (int t = 0; t < DOT_ROWS; t++) {
        fill_uniform(a[t], N, -1, 1, rng);
        rows_of[t] = a[t];
        out_of[t] = out[t];
    }
    fill_uniform(b, B, -1, 1, rng);
    gsl_rng_free(rng);
    for (size_t i = 0; i < N; i++)
        ones[i] = 1.0;
    for (size_t n = 0; n <= N; n++) {
        double want = dot(b, ones, n), got = sum_of(b, n);
        ck_assert_msg(memcmp(&got, &want, sizeof want) == 0,
                      "sum_of, length %zu: %.17g, not %.17g", n, got, want);
        for (size_t stride = 1; stride <= N; stride += N - 1)
            for (int rows = 1; rows <= DOT_ROWS; rows++)
                for (int count = 1; count <= DOT_MANY; count++) {
                    dot_grid(rows_of, rows, b, stride, n, count, out_of);
                    for (int t = 0; t < rows; t++)
                        for (int s = 0; s < count; s++) {
                            want = dot(a[t], b + s * stride, n);
                            ck_assert_msg(memcmp(&out[t][s], &want, sizeof want) == 0,
                                          "length %zu, stride %zu, row %d of %d, "
                                          "%d of %d: %.17g, not %.17g", n, stride,
                                          t, rows, s, count, out[t][s], want);
                        }
                    dot_many(a[0], b, stride, n, count, out[0]);
                    for (int s = 0; s < count; s++) {
                        want = dot(a[0], b + s * stride, n);
                        ck_assert_msg(memcmp(&out[0][s], &want, sizeof want) == 0,
                                      "dot_many, length %zu, stride %zu, %d of %d",
                                      n, stride, s, count);
                    }
                }
    }
}
END_TEST

/* net_forward_batch gives each pattern net_forward's outputs bit for bit,
   for every count up to NET_BATCH, in every architecture (their C5 and F6
   run through dot_many; the rest one pattern at a time). */
START_TEST(batch_forward_is_forward)
{
    enum { COUNT = NET_BATCH + 3 };
    unsigned char images[COUNT * 28 * 28], labels[COUNT];
    synthetic_digits(images, labels, COUNT, 108);
    static double input[COUNT][32 * 32], one[COUNT][RBF_CLASSES];
    for (int i = 0; i < COUNT; i++)
        input_forward(input[i], images + i * 28 * 28);
    for (int a = 0; net_archs[a]; a++) {
        net n;
        ck_assert_int_eq(net_init_arch(&n, net_archs[a]), LENET_OK);
        gsl_rng *rng = test_rng(109);
        net_randomize(&n, rng);
        gsl_rng_free(rng);
        for (int i = 0; i < COUNT; i++) {
            net_forward(&n, input[i]);
            memcpy(one[i], n.y, sizeof one[i]);
        }
        for (int count = 1; count <= NET_BATCH; count++)
            for (int first = 0; first + count <= COUNT; first += count) {
                double y[NET_BATCH][RBF_CLASSES];
                net_forward_batch(&n, input[first], count, y[0]);
                for (int p = 0; p < count; p++)
                    for (int k = 0; k < RBF_CLASSES; k++)
                        ck_assert_msg(memcmp(&y[p][k], &one[first + p][k],
                                             sizeof y[p][k]) == 0,
                                      "%s, %d at once, pattern %d, output "
                                      "%d: %.17g, net_forward %.17g",
                                      net_archs[a]->name, count, first + p,
                                      k, y[p][k], one[first + p][k]);
            }
        net_free(&n);
    }
}
END_TEST

/* train_evaluate_threads: the same score bit for bit on 1 to 5 threads,
   and the errors and loss of a plain loop over the patterns. */
START_TEST(evaluation_threads_agree)
{
    enum { COUNT = 203 };      /* parts of 50 and 51 patterns */
    unsigned char *images = malloc(COUNT * 28 * 28), labels[COUNT];
    ck_assert_ptr_nonnull(images);
    synthetic_digits(images, labels, COUNT, 106);
    train_data d = { images, labels, COUNT };
    net n;
    build_net(&n, 107);

    size_t errors = 0;
    double total = 0.0, input[32 * 32];
    for (size_t i = 0; i < COUNT; i++) {
        input_forward(input, images + i * 28 * 28);
        net_forward(&n, input);
        errors += net_predict(&n) != labels[i];
        total += net_loss(&n, labels[i], LOSS_MAP);
    }
    ck_assert_msg(errors > 0 && errors < COUNT, "%zu errors", errors);

    unsigned long one[10][10] = { { 0 } };
    train_score s1 = train_evaluate_threads(&n, &d, LOSS_MAP, 0, one, 1);
    ck_assert_uint_eq(s1.count, COUNT);
    ck_assert_uint_eq(s1.errors, errors);
    ck_assert_double_eq_tol(s1.loss, total / COUNT, 1e-12 * total / COUNT);
    unsigned long wrong = 0;
    for (int a = 0; a < 10; a++)
        for (int b = 0; b < 10; b++)
            wrong += a != b ? one[a][b] : 0;
    ck_assert_uint_eq(wrong, errors);
    for (int threads = 2; threads <= 5; threads++) {
        unsigned long many[10][10] = { { 0 } };
        train_score s = train_evaluate_threads(&n, &d, LOSS_MAP, 0, many,
                                               threads);
        ck_assert_msg(memcmp(&s.loss, &s1.loss, sizeof s.loss) == 0,
                      "%d threads: loss %.17g, one thread %.17g", threads,
                      s.loss, s1.loss);
        ck_assert_uint_eq(s.errors, s1.errors);
        ck_assert_int_eq(memcmp(many, one, sizeof one), 0);
    }
    /* a limit: the first 7 patterns only */
    train_score s7 = train_evaluate_threads(&n, &d, LOSS_MAP, 7, NULL, 2);
    ck_assert_uint_eq(s7.count, 7);
    net_free(&n);
    free(images);
}
END_TEST

/* A pass of opt over BATCH_COUNT synthetic digits on `threads` threads, from a
   network of architecture a drawn with seed 108: the parameters. */
enum { BATCH_COUNT = 77 };     /* a last batch shorter than the others */
static double *batch_pass(const net_arch *a, const train_options *opt,
                          int threads, double *pass_loss)
{
    unsigned char *images = malloc(BATCH_COUNT * 28 * 28);
    unsigned char labels[BATCH_COUNT];
    ck_assert_ptr_nonnull(images);
    synthetic_digits(images, labels, BATCH_COUNT, 109);
    train_data d = { images, labels, BATCH_COUNT };
    net n;
    ck_assert_int_eq(net_init_arch(&n, a), LENET_OK);
    gsl_rng *rng = test_rng(108);
    net_randomize(&n, rng);
    trainer t;
    ck_assert_int_eq(trainer_init(&t, &n, opt, BATCH_COUNT, rng), LENET_OK);
    t.threads = threads;
    trainer_begin_pass(&t, &d, 1);
    ck_assert_int_eq(trainer_run(&t, &d, 5), TRAIN_FINITE);
    /* the whole first batch, or the first 5 patterns */
    ck_assert_uint_eq(t.done, opt->batch > 5 ? opt->batch : 5);
    ck_assert_int_eq(trainer_run(&t, &d, BATCH_COUNT), TRAIN_FINITE);
    *pass_loss = t.pass_loss;
    double *params = malloc(n.num_params * sizeof *params);
    ck_assert_ptr_nonnull(params);
    memcpy(params, n.params, n.num_params * sizeof *params);
    trainer_free(&t);
    gsl_rng_free(rng);
    net_free(&n);
    free(images);
    return params;
}

/* A pass of opt on architecture a gives the same parameters and pass loss
   bit for bit on one thread and on two, and the parameters moved. */
static void assert_threads_agree(const net_arch *a, const train_options *opt)
{
    double loss1, loss2;
    double *one = batch_pass(a, opt, 1, &loss1);
    double *two = batch_pass(a, opt, 2, &loss2);
    net n;
    ck_assert_int_eq(net_init_arch(&n, a), LENET_OK);
    gsl_rng *rng = test_rng(108);
    net_randomize(&n, rng);
    size_t moved = 0;
    for (size_t k = 0; k < n.num_params; k++)
        moved += one[k] != n.params[k];
    ck_assert_msg(moved > n.num_params / 2, "%s: %zu of %zu moved",
                  a->name, moved, n.num_params);
    ck_assert_msg(memcmp(one, two, n.num_params * sizeof *one) == 0,
                  "%s: two threads gave another model", a->name);
    ck_assert_msg(memcmp(&loss1, &loss2, sizeof loss1) == 0,
                  "%s: pass loss %.17g, one thread %.17g", a->name, loss2,
                  loss1);
    gsl_rng_free(rng);
    net_free(&n);
    free(one);
    free(two);
}

/* Mini-batches: two threads give the model one thread gives, bit for bit
   (the halves' gradients are added in the same order, the distortions
   drawn in the same order); and the parameters did move. */
START_TEST(batch_threads_agree)
{
    const struct {
        const net_arch *arch;
        train_options opt;
    } runs[] = {
        { &net_arch_paper, { TRAIN_SGD, LOSS_MAP, 0, 0.01, 10, 0.9 } },
        { &net_arch_modern, { TRAIN_ADAM, LOSS_MAP, 0, 0.001, 16, 0.9 } },
    };
    for (size_t r = 0; r < sizeof runs / sizeof runs[0]; r++)
        assert_threads_agree(runs[r].arch, &runs[r].opt);
}
END_TEST

/* The shares of chapter 10: runs of whole maps that cover the layer, with
   as many kernels in each as whole maps allow. C3 (Table I) has 60
   kernels, maps of 3, 4 and 6; two shares of 30 exist (maps 0-8, 9-15). */
START_TEST(shares_balance_kernels)
{
    net n;
    ck_assert_int_eq(net_init(&n), LENET_OK);
    const conv *layers[] = { &n.c1, &n.c3, &n.c5 };
    for (int i = 0; i < 3; i++) {
        const conv *l = layers[i];
        for (int shares = 1; shares <= 4; shares++) {
            size_t total = 0, most = 0, least = (size_t)-1;
            ck_assert_int_eq(conv_share(l, 0, shares), 0);
            ck_assert_int_eq(conv_share(l, shares, shares), l->out_maps);
            for (int s = 0; s < shares; s++) {
                size_t kernels = 0;
                int m0 = conv_share(l, s, shares);
                int m1 = conv_share(l, s + 1, shares);
                ck_assert_int_le(m0, m1);
                for (int m = m0; m < m1; m++)
                    for (int in = 0; in < l->in_maps; in++)
                        kernels += conv_connected(l, m, in);
                total += kernels;
                most = kernels > most ? kernels : most;
                least = kernels < least ? kernels : least;
            }
            /* no share is off by more than the largest map (6 kernels) */
            ck_assert_msg(most - least <= (size_t)l->in_maps,
                          "layer %d, %d shares: %zu to %zu kernels", i,
                          shares, least, most);
            ck_assert_uint_eq(total, (conv_num_params(l) - l->out_maps) /
                                     (size_t)(l->kernel * l->kernel));
        }
    }
    ck_assert_int_eq(n.c3_share[1], 9);   /* 6 x 3 + 3 x 4 = 30 kernels */
    net_free(&n);
}
END_TEST

//> test-pattern-threads
/* One update per pattern on two threads, each pattern's layers shared
   between them (net.h), gives the model one thread gives, bit for bit:
   SDLM with distortions on the paper's network (layers that step
   themselves), and on the modern one (gradients, then update). */
START_TEST(pattern_threads_agree)
{
    const struct {
        const net_arch *arch;
        train_options opt;
    } runs[] = {
        { &net_arch_paper, { TRAIN_SDLM, LOSS_MAP, TRAIN_MU, 0, 1, 0.9 } },
        { &net_arch_modern, { TRAIN_SDLM, LOSS_MAP, TRAIN_MU, 0, 1, 0 } },
    };
    for (size_t r = 0; r < sizeof runs / sizeof runs[0]; r++)
        assert_threads_agree(runs[r].arch, &runs[r].opt);
}
END_TEST
//< test-pattern-threads

/* Two SGD batches of 10 through the trainer (two halves, two threads)
   against the plain way: every pattern's gradient into one sum, then
   w -= rate / batch * sum. Equal to rounding. */
START_TEST(batches_step_on_their_summed_gradient)
{
    enum { COUNT = 20, BATCH = 10 };
    unsigned char *images = malloc(COUNT * 28 * 28), labels[COUNT];
    ck_assert_ptr_nonnull(images);
    synthetic_digits(images, labels, COUNT, 110);
    train_data d = { images, labels, COUNT };
    const train_options opt = { TRAIN_SGD, LOSS_MAP, 0, 0.05, BATCH, 0 };
    net n, plain;
    build_net(&n, 111);
    build_net(&plain, 111);
    gsl_rng *rng = test_rng(112);
    trainer t;
    ck_assert_int_eq(trainer_init(&t, &n, &opt, COUNT, rng), LENET_OK);
    t.threads = 2;
    trainer_begin_pass(&t, &d, 1);
    ck_assert_int_eq(trainer_run(&t, &d, COUNT), TRAIN_FINITE);

    double input[32 * 32];
    net_zero_grad(&plain);
    for (size_t k = 0; k < COUNT; k++) {
        size_t i = t.order[k];            /* the order the trainer drew */
        input_forward(input, images + i * 28 * 28);
        net_forward(&plain, input);
        net_backward(&plain, labels[i], LOSS_MAP);
        if ((k + 1) % BATCH == 0) {
            for (size_t j = 0; j < plain.num_params; j++)
                plain.params[j] -= opt.sgd_rate / BATCH * plain.grads[j];
            net_zero_grad(&plain);
        }
    }
    double worst = 0.0;
    for (size_t j = 0; j < n.num_params; j++) {
        double diff = fabs(n.params[j] - plain.params[j]);
        double size = fmax(fabs(plain.params[j]), 1e-3);
        worst = fmax(worst, diff / size);
    }
    ck_assert_msg(worst < 1e-10, "relative difference %.3e", worst);
    trainer_free(&t);
    gsl_rng_free(rng);
    net_free(&n);
    net_free(&plain);
    free(images);
}
END_TEST

Suite *speed_suite(void)
{
    Suite *s = suite_create("speed");
    TCase *tc = chapter_tcase(s, "speed", 10);
    tcase_add_test(tc, conv_fused_step_is_exact);
    tcase_add_test(tc, full_fused_step_is_exact);
    tcase_add_test(tc, trainer_leaves_layers_unfused);
    tcase_add_test(tc, dot_is_the_sum_of_products);
    tcase_add_test(tc, dot_grid_is_dot);
    tcase_add_test(tc, batch_forward_is_forward);
    tcase_add_test(tc, evaluation_threads_agree);
    tcase_add_test(tc, batch_threads_agree);
    tcase_add_test(tc, shares_balance_kernels);
    tcase_add_test(tc, pattern_threads_agree);
    tcase_add_test(tc, batches_step_on_their_summed_gradient);
    return s;
}
