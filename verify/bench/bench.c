/*
 * bench.c: `make bench`. Measures, on this machine and in one run:
 * inference (forward passes over the test set), training (SDLM, one update
 * per pattern) and the seconds of one full pass over the 60,000 training
 * images, each the median of several runs, on one thread and on two (one
 * pattern's layers shared: net.h); evaluation and Adam over mini-batches
 * on one thread and on two; beside the machine's own dgemm
 * speed (OpenBLAS through the CBLAS interface) as a yardstick. Prints a
 * table and writes it as metric,value,unit rows to the CSV file given.
 *
 * Usage: bench [MNIST-DIR [CSV [quick | layers]]]; "quick" leaves out the
 * full passes and reports a pass's seconds from the training rate
 * instead; "layers" only times the big layers' passes (layer_table) and
 * writes no CSV.
 * It is not a test: nothing here can fail but a missing file.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_cblas.h>
#include <gsl/gsl_rng.h>

#include "input.h"
#include "mnist.h"
#include "net.h"
#include "progress.h"
#include "reference.h"
#include "squash.h"
#include "train.h"

#define RUNS 5

char *openblas_get_corename(void);    /* OpenBLAS's own: its kernels' name */

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, by_value);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* GFLOP/s of a 512x512x512 dgemm, the best of RUNS. */
static double dgemm_gflops(void)
{
    enum { N = 512 };
    double *a = malloc(sizeof(double) * N * N), *b = malloc(sizeof(double) * N * N);
    double *c = malloc(sizeof(double) * N * N), best = 0.0;
    if (!a || !b || !c)
        return 0.0;
    for (int i = 0; i < N * N; i++)
        a[i] = b[i] = 1.0 / (1 + i % 7), c[i] = 0.0;
    for (int r = 0; r < RUNS; r++) {
        double t = progress_now();
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, N, N, N, 1.0,
                    a, N, b, N, 0.0, c, N);
        double g = 2.0 * N * N * N / (progress_now() - t) / 1e9;
        best = g > best ? g : best;
    }
    free(a), free(b), free(c);
    return best;
}

/* Microseconds per call of a layer's forward+backward, median of RUNS runs
   of 2,000 calls, with conv.c's loops or with the definition's. */
static double conv_micros(const conv *l, const double *in, double *out,
                          double *din, const double *dout, int reference)
{
    double t[RUNS];
    for (int r = 0; r < RUNS; r++) {
        double s = progress_now();
        for (int i = 0; i < 2000; i++) {
            if (reference) {
                reference_conv_forward(l, out, in);
                reference_conv_backward(l, din, dout, in);
            } else {
                conv_forward(l, out, in);
                conv_backward(l, din, dout, in);
            }
        }
        t[r] = (progress_now() - s) / 2000 * 1e6;
    }
    return median(t, RUNS);
}

/* Microseconds to squash the 8,084 units of one image: with squash.c's
   loop (libmvec under gcc) and with one scalar tanh call per unit. */
static double squash_micros(int vectorised)
{
    enum { UNITS = 8084 };
    static double a[UNITS], x[UNITS];
    for (int i = 0; i < UNITS; i++)
        a[i] = -3.0 + 6.0 * i / UNITS;
    double t[RUNS];
    for (int r = 0; r < RUNS; r++) {
        double s = progress_now();
        for (int k = 0; k < 2000; k++) {
            if (vectorised)
                squash_forward(x, a, UNITS);
            else
                for (int i = 0; i < UNITS; i++)
                    x[i] = SQUASH_A * tanh(SQUASH_S * a[i]);
            a[k % UNITS] += 1e-12 * x[(k * 7) % UNITS];   /* keep it honest */
        }
        t[r] = (progress_now() - s) / 2000 * 1e6;
    }
    return median(t, RUNS);
}

/*
 * Where one SDLM training step's time goes: the calls of net_forward,
 * net_loss, net_backward (with the fused update, as the trainer runs it)
 * and the trainer's update of S2 and S4, made here one by one in the same
 * order on STAGE_PATTERNS training patterns and each timed, so
 * that the table shows each layer's forward and backward share. The
 * clock's own cost (some 20 ns a reading) is included in every row.
 */
#define STAGE_PATTERNS 3000
enum {
    ST_INPUT, ST_C1_F, ST_S2_F, ST_C3_F, ST_S4_F, ST_C5_F, ST_F6_F,
    ST_SQUASH_F, ST_RBF_F, ST_LOSS, ST_RBF_B, ST_F6_B, ST_C5_B, ST_S4_B,
    ST_C3_B, ST_S2_B, ST_C1_B, ST_SQUASH_B, ST_CLEAR, ST_UPDATE, ST_COUNT
};
static const char *const stage_names[ST_COUNT] = {
    "input (bytes to 32x32)", "C1 forward", "S2 forward", "C3 forward",
    "S4 forward", "C5 forward", "F6 forward", "squash (6 layers)",
    "RBF forward", "loss and dE/dy", "RBF backward", "F6 backward + step",
    "C5 backward + step", "S4 backward", "C3 backward + step", "S2 backward",
    "C1 backward + step (weights only)", "squash backward (6 layers)",
    "clear unit gradients", "update (S2, S4: 44 params)",
};

/* As trainer_run does with one pattern per update (train.c): the layers
   with a `step` step their own parameters in backward; S2 and S4 after. */
static void fuse(net *n, const double *step)
{
    n->c1.step = step ? step + (n->c1.w - n->params) : NULL;
    n->c3.step = step ? step + (n->c3.w - n->params) : NULL;
    n->c5.step = step ? step + (n->c5.w - n->params) : NULL;
    n->f6.step = step ? step + (n->f6.w - n->params) : NULL;
}

static void step_subsampling(net *n, const double *step)
{
    double *first[2] = { n->s2.coef, n->s4.coef };
    size_t count[2] = { subsample_num_params(&n->s2), subsample_num_params(&n->s4) };
    for (int l = 0; l < 2; l++) {
        size_t at = first[l] - n->params;
        for (size_t k = at; k < at + count[l]; k++) {
            n->params[k] -= step[k] * n->grads[k];
            n->grads[k] = 0.0;
        }
    }
}

#define TIMED(stage, call) \
    do { double t0_ = progress_now(); call; us[stage] += progress_now() - t0_; } while (0)

static void stage_table(net *n, trainer *t, const train_data *d, double *us)
{
    double input[32 * 32];
    net_units *u[] = { &n->c1_out, &n->s2_out, &n->c3_out, &n->s4_out,
                       &n->c5_out, &n->f6_out };
    for (int s = 0; s < ST_COUNT; s++)
        us[s] = 0.0;
    fuse(n, t->step);
    for (size_t p = 0; p < STAGE_PATTERNS; p++) {
        size_t i = t->order[p % t->count];
        int label = d->labels[i];
        TIMED(ST_INPUT, input_forward(input, d->images + i * 28 * 28);
              memcpy(n->input.x, input, sizeof input));
        TIMED(ST_C1_F, conv_forward(&n->c1, n->c1_out.a, n->input.x));
        TIMED(ST_SQUASH_F, squash_forward(n->c1_out.x, n->c1_out.a, n->c1_out.size));
        TIMED(ST_S2_F, subsample_forward(&n->s2, n->s2_out.a, n->c1_out.x));
        TIMED(ST_SQUASH_F, squash_forward(n->s2_out.x, n->s2_out.a, n->s2_out.size));
        TIMED(ST_C3_F, conv_forward(&n->c3, n->c3_out.a, n->s2_out.x));
        TIMED(ST_SQUASH_F, squash_forward(n->c3_out.x, n->c3_out.a, n->c3_out.size));
        TIMED(ST_S4_F, subsample_forward(&n->s4, n->s4_out.a, n->c3_out.x));
        TIMED(ST_SQUASH_F, squash_forward(n->s4_out.x, n->s4_out.a, n->s4_out.size));
        TIMED(ST_C5_F, conv_forward(&n->c5, n->c5_out.a, n->s4_out.x));
        TIMED(ST_SQUASH_F, squash_forward(n->c5_out.x, n->c5_out.a, n->c5_out.size));
        TIMED(ST_F6_F, full_forward(&n->f6, n->f6_out.a, n->c5_out.x));
        TIMED(ST_SQUASH_F, squash_forward(n->f6_out.x, n->f6_out.a, n->f6_out.size));
        TIMED(ST_RBF_F, rbf_forward(&n->out, n->y, n->f6_out.x));
        TIMED(ST_LOSS, (void)net_loss(n, label, LOSS_MAP);
              memset(n->dy, 0, sizeof n->dy);
              loss_backward(LOSS_MAP, n->dy, n->y, RBF_CLASSES, label));
        TIMED(ST_CLEAR, memset(n->unit_grads, 0, n->units_size * sizeof *n->unit_grads));
        TIMED(ST_RBF_B, rbf_backward(&n->out, n->f6_out.dx, n->dy, n->f6_out.x));
        for (int k = 5; k >= 0; k--) {
            TIMED(ST_SQUASH_B, squash_backward(u[k]->da, u[k]->dx, u[k]->x, u[k]->size));
            if (k == 5)
                TIMED(ST_F6_B, full_backward(&n->f6, n->c5_out.dx, n->f6_out.da, n->c5_out.x));
            else if (k == 4)
                TIMED(ST_C5_B, conv_backward(&n->c5, n->s4_out.dx, n->c5_out.da, n->s4_out.x));
            else if (k == 3)
                TIMED(ST_S4_B, subsample_backward(&n->s4, n->c3_out.dx, n->s4_out.da, n->c3_out.x));
            else if (k == 2)
                TIMED(ST_C3_B, conv_backward(&n->c3, n->s2_out.dx, n->c3_out.da, n->s2_out.x));
            else if (k == 1)
                TIMED(ST_S2_B, subsample_backward(&n->s2, n->c1_out.dx, n->s2_out.da, n->c1_out.x));
            else
                TIMED(ST_C1_B, conv_backward(&n->c1, NULL, n->c1_out.da, n->input.x));
        }
        TIMED(ST_UPDATE, step_subsampling(n, t->step));
    }
    fuse(n, NULL);
    for (int s = 0; s < ST_COUNT; s++)
        us[s] = us[s] / STAGE_PATTERNS * 1e6;
}

static void print_stages(const double *us)
{
    double total = 0.0;
    for (int s = 0; s < ST_COUNT; s++)
        total += us[s];
    printf("%-34s %10s %7s\n", "stage of one SDLM step (least of 5)", "us", "share");
    for (int s = 0; s < ST_COUNT; s++)
        printf("%-34s %10.2f %6.1f%%\n", stage_names[s], us[s], 100.0 * us[s] / total);
    printf("%-34s %10.2f %6.1f%%\n\n", "total", total, 100.0);
}

/* us = the least of RUNS rounds of `count` calls of `call`, in us a call. */
#define LEAST_US(us, count, call)                                         \
    do {                                                                  \
        us = INFINITY;                                                    \
        for (int r_ = 0; r_ < RUNS; r_++) {                               \
            double t_ = progress_now();                                   \
            for (int i_ = 0; i_ < (count); i_++) { call; }                \
            t_ = (progress_now() - t_) / (count) * 1e6;                   \
            us = t_ < us ? t_ : us;                                       \
        }                                                                 \
    } while (0)

/* Layer l's backward pass and step in its two shares, split at map
   `split`, each share's part of the input gradient (in_size doubles,
   NULL: none) cleared first, as net_backward does. */
static void backward_in_shares(const conv *l, double *part0, double *part1,
                               size_t in_size, const double *dout,
                               const double *in, int split)
{
    double *part[2] = { part0, part1 };
    int from[3] = { 0, split, l->out_maps };
    for (int s = 0; s < 2; s++) {
        if (part[s])
            memset(part[s], 0, in_size * sizeof *part[s]);
        conv_backward_maps(l, part[s], dout, in, from[s], from[s + 1]);
    }
}

/*
 * `bench DIR CSV layers`: the big layers' passes one at a time, as one
 * SDLM step runs them (each in its two shares going back, stepping its
 * weights), on one real pattern's units, and the estimate of the second
 * derivatives before a pass. Chapter 10 §10.14 timed its changes so.
 */
static void layer_table(net *n, trainer *t, const train_data *d)
{
    enum { CALLS = 5000 };
    double input[32 * 32], d0[CONV_MAX_MAP], d1[CONV_MAX_MAP];
    input_forward(input, d->images);
    net_forward(n, input);
    net_backward(n, d->labels[0], LOSS_MAP);     /* the units' gradients */
    net_zero_grad(n);
    fuse(n, t->step);
    const int c1 = n->c1_share[1], c3 = n->c3_share[1], c5 = n->c5_share[1];
    const size_t s2 = n->s2_out.size, s4 = n->s4_out.size;
    double us[7];
    LEAST_US(us[0], CALLS, conv_forward(&n->c1, n->c1_out.a, n->input.x));
    LEAST_US(us[1], CALLS, conv_forward(&n->c3, n->c3_out.a, n->s2_out.x));
    LEAST_US(us[2], CALLS, conv_forward(&n->c5, n->c5_out.a, n->s4_out.x));
    LEAST_US(us[3], CALLS, backward_in_shares(&n->c1, NULL, NULL, 0,
                                              n->c1_out.da, n->input.x, c1));
    LEAST_US(us[4], CALLS, backward_in_shares(&n->c3, d0, d1, s2,
                                              n->c3_out.da, n->s2_out.x, c3));
    LEAST_US(us[5], CALLS, backward_in_shares(&n->c5, d0, d1, s4,
                                              n->c5_out.da, n->s4_out.x, c5));
    fuse(n, NULL);
    LEAST_US(us[6], 1, trainer_begin_pass(t, d, 2));
    const char *name[7] = {
        "C1 forward", "C3 forward", "C5 forward",
        "C1 backward + step, two shares", "C3 backward + step, two shares",
        "C5 backward + step, two shares",
        "second derivatives before a pass (ms)" };
    printf("%-44s %9s\n", "layer pass (least of 5 rounds of 5,000)", "us");
    for (int i = 0; i < 7; i++)
        printf("%-44s %9.2f\n", name[i], i == 6 ? us[i] / 1000.0 : us[i]);
}

/* Images/s of Adam on the modern network in batches of 32, over 6,400
   training patterns, on `threads` threads (train.h: the same model on
   one or two). The median of RUNS runs. */
static double batch_rate(const train_data *d, int threads)
{
    double rate[RUNS];
    for (int r = 0; r < RUNS; r++) {
        net n;
        trainer t;
        train_options opt = { TRAIN_ADAM, LOSS_MAP, 0, 0.001, 32, 0 };
        gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
        if (!rng || net_init_arch(&n, &net_arch_modern)) {
            fprintf(stderr, "bench: out of memory\n");
            exit(1);
        }
        net_randomize(&n, rng);
        if (trainer_init(&t, &n, &opt, d->count, rng)) {
            fprintf(stderr, "bench: out of memory\n");
            exit(1);
        }
        t.threads = threads;
        trainer_begin_pass(&t, d, 1);
        double s = progress_now();
        trainer_run(&t, d, 6400);
        rate[r] = (double)t.done / (progress_now() - s);
        trainer_free(&t);
        net_free(&n);
        gsl_rng_free(rng);
    }
    return median(rate, RUNS);
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "data/mnist";
    const char *csv = argc > 2 ? argv[2] : NULL;
    int quick = argc > 3 && !strcmp(argv[3], "quick");  /* no full passes */
    int only_layers = argc > 3 && !strcmp(argv[3], "layers");
    mnist train_set, test_set;
    lenet_error err;
    if (mnist_load_dir(&train_set, &test_set, dir, &err)) {
        fprintf(stderr, "bench: %s\n", err.message);
        return 1;
    }
    net n;
    if (net_init(&n)) {
        fprintf(stderr, "bench: out of memory\n");
        return 1;
    }
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 1);
    net_randomize(&n, rng);
    train_data train = { train_set.images, train_set.labels, train_set.count };
    train_data test = { test_set.images, test_set.labels, test_set.count };

    double infer[RUNS], infer2[RUNS], learn[RUNS], pass[RUNS];
    double learn2[RUNS], pass2[RUNS];
    for (int r = 0; r < RUNS; r++) {      /* one thread, then two, in turn */
        double t = progress_now();
        train_evaluate(&n, &test, LOSS_MAP, 0, NULL);
        infer[r] = test.count / (progress_now() - t);
        t = progress_now();
        train_evaluate_threads(&n, &test, LOSS_MAP, 0, NULL, 2);
        infer2[r] = test.count / (progress_now() - t);
    }
    /* training: 10,000 SDLM steps per run, then full passes */
    train_options opt = { TRAIN_SDLM, LOSS_MAP, TRAIN_MU, 0, 1, 0 };
    trainer t;
    if (trainer_init(&t, &n, &opt, train.count, rng)) {
        fprintf(stderr, "bench: out of memory\n");
        return 1;
    }
    trainer_begin_pass(&t, &train, 1);
    if (only_layers) {
        layer_table(&n, &t, &train);
        return 0;
    }
    /* the stage table: each stage's least time over RUNS runs (a busy
       neighbour only ever adds time, and a stage is too short for the
       median of a few runs to shed it) */
    double stage_runs[ST_COUNT][RUNS], stages[ST_COUNT], one[ST_COUNT];
    for (int r = 0; r < RUNS; r++) {
        stage_table(&n, &t, &train, one);
        for (int s = 0; s < ST_COUNT; s++)
            stage_runs[s][r] = one[s];
    }
    for (int s = 0; s < ST_COUNT; s++) {
        qsort(stage_runs[s], RUNS, sizeof stage_runs[s][0], by_value);
        stages[s] = stage_runs[s][0];
    }
    print_stages(stages);
    /* SDLM steps on one thread, then on two (each pattern's layers shared:
       net.h), in turn, STEPS each */
    enum { STEPS = 5000 };
    for (int r = 0; r < RUNS; r++) {
        for (int threads = 1; threads <= 2; threads++) {
            t.threads = threads;
            double s = progress_now();
            trainer_run(&t, &train, t.done + STEPS);
            (threads == 1 ? learn : learn2)[r] = STEPS / (progress_now() - s);
        }
    }
    for (int r = 0; r < RUNS; r++) {
        if (quick) {             /* 12 x the 5,000 steps, from their median */
            pass[r] = train.count / median(learn, RUNS);
            pass2[r] = train.count / median(learn2, RUNS);
            continue;
        }
        for (int threads = 1; threads <= 2; threads++) {
            t.threads = threads;
            double s = progress_now();
            trainer_begin_pass(&t, &train, 2 + r);
            trainer_run(&t, &train, train.count);
            (threads == 1 ? pass : pass2)[r] = progress_now() - s;
            fprintf(stderr, "bench: full pass %d of %d, %d thread%s: %.1f s\n",
                    r + 1, RUNS, threads, threads > 1 ? "s" : "",
                    (threads == 1 ? pass : pass2)[r]);
        }
    }
    t.threads = 1;
    /* the convolutions alone, before (the definition) and after (conv.c) */
    struct { const char *name; conv *l; net_units *in, *out; } layers[] = {
        { "c1", &n.c1, &n.input, &n.c1_out },
        { "c3", &n.c3, &n.s2_out, &n.c3_out },
        { "c5", &n.c5, &n.s4_out, &n.c5_out },
    };
    double before[3], after[3];
    for (int i = 0; i < 3; i++) {
        before[i] = conv_micros(layers[i].l, layers[i].in->x, layers[i].out->a,
                                layers[i].in->dx, layers[i].out->da, 1);
        after[i] = conv_micros(layers[i].l, layers[i].in->x, layers[i].out->a,
                               layers[i].in->dx, layers[i].out->da, 0);
    }
    double batch1 = batch_rate(&train, 1), batch2 = batch_rate(&train, 2);
    double squash_scalar = squash_micros(0), squash_vector = squash_micros(1);
    double peak = dgemm_gflops();
    double infer_m = median(infer, RUNS), learn_m = median(learn, RUNS);
    double infer2_m = median(infer2, RUNS);
    double pass_m = median(pass, RUNS);
    double learn2_m = median(learn2, RUNS), pass2_m = median(pass2, RUNS);
    /* 2 flops per multiply-add: forward 332,824 of them; a training step
       (forward, backward with input gradients but C1's, update) about 3x */
    double flops_per_step = 2.0 * 332824 * 3;
    double achieved = learn_m * flops_per_step / 1e9;

    struct { const char *metric; double value; const char *unit; } rows[] = {
        { "inference_images_per_second", infer_m, "images/s" },
        { "inference_images_per_second_2threads", infer2_m, "images/s" },
        { "inference_2thread_speedup", infer2_m / infer_m, "" },
        { "train_images_per_second_1core", learn_m, "images/s" },
        { "train_pass_seconds_1core", pass_m, "s" },
        { "train_images_per_second_2threads", learn2_m, "images/s" },
        { "train_pass_seconds_2threads", pass2_m, "s" },
        { "train_2thread_speedup", learn2_m / learn_m, "" },
        { "train_images_per_second_adam_batch32_1thread", batch1, "images/s" },
        { "train_images_per_second_adam_batch32_2threads", batch2, "images/s" },
        { "train_batch_2thread_speedup", batch2 / batch1, "" },
        { "dgemm_gflops_1core", peak, "GFLOP/s" },
        { "train_gflops_1core", achieved, "GFLOP/s" },
        { "fraction_of_dgemm_peak", peak > 0 ? achieved / peak : 0, "" },
        { "c1_fwd_bwd_us_definition", before[0], "us" },
        { "c1_fwd_bwd_us", after[0], "us" },
        { "c3_fwd_bwd_us_definition", before[1], "us" },
        { "c3_fwd_bwd_us", after[1], "us" },
        { "c5_fwd_bwd_us_definition", before[2], "us" },
        { "c5_fwd_bwd_us", after[2], "us" },
        { "squash_8084_us_scalar_tanh", squash_scalar, "us" },
        { "squash_8084_us", squash_vector, "us" },
    };
    FILE *out = csv ? fopen(csv, "w") : NULL;
    if (csv && !out) {
        fprintf(stderr, "bench: %s: cannot write\n", csv);
        return 1;
    }
    if (out)
        fprintf(out, "metric,value,unit\n");
    printf("%-46s %12s  %s\n", "metric", "value", "unit");
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        printf("%-46s %12.4g  %s\n", rows[i].metric, rows[i].value, rows[i].unit);
        if (out)
            fprintf(out, "%s,%.6g,%s\n", rows[i].metric, rows[i].value, rows[i].unit);
    }
    printf("(medians of %d runs; dgemm: best of %d 512x512x512 products, "
           "OpenBLAS's %s kernels)\n", RUNS, RUNS, openblas_get_corename());
    if (out)
        fclose(out);
    trainer_free(&t);
    gsl_rng_free(rng);
    net_free(&n);
    mnist_free(&train_set);
    mnist_free(&test_set);
    return 0;
}
