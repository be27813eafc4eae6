/*
 * check_resume.c: never losing a run (chapter 9). A run stopped anywhere,
 * saved to a checkpoint, thrown away and loaded into new objects ends with
 * the model file an uninterrupted run writes, byte for byte: in the middle
 * of a pass, at a pass boundary, in the middle of an SGD batch; with
 * momentum, with Adam (on the modern network), with distortions. Two
 * identical runs write identical model files. A checkpoint is the layout
 * README documents and names its network's architecture; a damaged one is
 * refused and changes nothing; a failed save keeps the old one. A loss or
 * parameter that is not a number stops trainer_run where it happened, and
 * never gets into a checkpoint.
 *
 * All on 100 synthetic digits (synthetic.h), in a scratch directory made
 * by mkdtemp and removed by the fixture's teardown.
 */
#define _POSIX_C_SOURCE 200809L

#include "harness.h"

#include <dirent.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include <zlib.h>

#include "checkpoint.h"
#include "model.h"
#include "synthetic.h"
#include "train.h"

enum { SMALL = 100 };

/* --- the scratch directory ---------------------------------------------- */

static char scratch[64];

static void scratch_setup(void)
{
    strcpy(scratch, "/tmp/lenet-resume-XXXXXX");
    ck_assert_msg(mkdtemp(scratch) != NULL, "mkdtemp failed");
}

static void scratch_teardown(void)
{
    DIR *d = opendir(scratch);
    if (!d)
        return;
    struct dirent *e;
    char path[512];
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            snprintf(path, sizeof path, "%s/%s", scratch, e->d_name);
            unlink(path);
        }
    }
    closedir(d);
    rmdir(scratch);
}

static char *in_scratch(char path[512], const char *name)
{
    snprintf(path, 512, "%s/%s", scratch, name);
    return path;
}

static void assert_same_file(const char *what, const char *a, const char *b)
{
    size_t na, nb;
    unsigned char *x = file_slurp(a, &na), *y = file_slurp(b, &nb);
    ck_assert_msg(na == nb, "%s: %s is %zu bytes, %s %zu", what, a, na, b, nb);
    size_t i = 0;
    while (i < na && x[i] == y[i])
        i++;
    ck_assert_msg(i == na, "%s: %s and %s differ first at byte %zu of %zu",
                  what, a, b, i, na);
    free(x);
    free(y);
}

/* --- a run on the synthetic set, stopped and resumed -------------------- */

static unsigned char images[SMALL * 28 * 28], labels[SMALL];

static train_data small_set(void)
{
    synthetic_digits(images, labels, SMALL, 91);
    return (train_data){ images, labels, SMALL };
}

/* A run's moving parts, as lenet train holds them. */
typedef struct {
    net n;
    gsl_rng *rng;
    trainer t;
} run_state;

/* A network of `arch`, its parameters drawn from a generator seeded
   `seed` (build_net's, for the paper's). */
static void build_of(net *n, const net_arch *arch, unsigned long seed)
{
    ck_assert_int_eq(net_init_arch(n, arch), LENET_OK);
    gsl_rng *rng = test_rng(seed);
    net_randomize(n, rng);
    gsl_rng_free(rng);
}

static void start(run_state *r, const train_options *opt,
                  const net_arch *arch)
{
    build_of(&r->n, arch, 90);
    r->rng = test_rng(92);
    ck_assert_int_eq(trainer_init(&r->t, &r->n, opt, SMALL, r->rng), LENET_OK);
}

static void finish(run_state *r)
{
    trainer_free(&r->t);
    gsl_rng_free(r->rng);
    net_free(&r->n);
}

/* Patterns trained on since the run began. */
static size_t position(const trainer *t)
{
    return t->pass == 0 ? 0 : (size_t)(t->pass - 1) * t->count + t->done;
}

/* Trains as lenet train does, pass after pass, until `stop` patterns of
   the run are done (a pass boundary stays before the next pass begins) or
   `passes` passes are. */
static void train_until(trainer *t, const train_data *d, int passes,
                        size_t stop)
{
    while (position(t) < stop) {
        if (t->pass == 0 || t->done == t->count) {
            if (t->pass == passes)
                return;
            trainer_begin_pass(t, d, t->pass + 1);
        }
        size_t to = stop - (size_t)(t->pass - 1) * t->count;
        ck_assert_int_eq(trainer_run(t, d, to), TRAIN_FINITE);
    }
}

static const checkpoint_run the_run = { 90, 3, SMALL, 0, 0x1234, 0x5678,
                                        "synthetic", "small.model", NULL };

/* Saves r to a checkpoint, frees all of it, and loads the checkpoint into
   a network of the architecture it names (checkpoint_arch), with other
   parameters, and a generator in another state. */
static void save_and_reload(run_state *r, const char *path)
{
    lenet_error err = { "" };
    const net_arch *saved = r->n.arch, *arch = NULL;
    ck_assert_msg(checkpoint_save(&r->t, &the_run, path, &err) == LENET_OK,
                  "%s", err.message);
    finish(r);
    ck_assert_msg(checkpoint_arch(path, &arch, &err) == LENET_OK, "%s",
                  err.message);
    ck_assert_ptr_eq(arch, saved);
    build_of(&r->n, arch, 7);
    r->rng = test_rng(8);
    checkpoint_run back;
    ck_assert_msg(checkpoint_load(&r->t, &r->n, r->rng, &back, path, &err) ==
                  LENET_OK, "%s", err.message);
    ck_assert_uint_eq(back.seed, the_run.seed);
    ck_assert_int_eq(back.passes, the_run.passes);
    ck_assert_uint_eq(back.train_limit, the_run.train_limit);
    ck_assert_uint_eq(back.train_crc, the_run.train_crc);
    ck_assert_uint_eq(back.test_crc, the_run.test_crc);
    ck_assert_str_eq(back.data_dir, the_run.data_dir);
    ck_assert_str_eq(back.model_path, the_run.model_path);
    ck_assert_ptr_null(back.log_path);
    checkpoint_run_free(&back);
}

/* Where a run told to stop at `stop` stops: there, or with mini-batches
   at the end of the batch under way (trainer_run). */
static size_t reached(const train_options *opt, size_t stop)
{
    size_t b = opt->method == TRAIN_SDLM ? 1 : opt->batch;
    size_t pass_start = stop / SMALL * SMALL, in_pass = stop - pass_start;
    size_t end = (in_pass + b - 1) / b * b;
    return pass_start + (end < SMALL ? end : SMALL);
}

/*
 * `passes` passes of opt on a network of `arch`, stopped at each position
 * of stops[] (patterns since the start, increasing) to go through a
 * checkpoint; the model is saved as `model` in the scratch directory, and
 * the last pass's summed loss returned.
 */
static double run_with_stops(const train_options *opt, const net_arch *arch,
                             int passes, const size_t *stops, int nstops,
                             const char *model)
{
    train_data d = small_set();
    run_state r;
    char ckpt[512], path[512];
    lenet_error err = { "" };
    start(&r, opt, arch);
    for (int i = 0; i < nstops; i++) {
        train_until(&r.t, &d, passes, stops[i]);
        ck_assert_uint_eq(position(&r.t), reached(opt, stops[i]));
        save_and_reload(&r, in_scratch(ckpt, "run.ckpt"));
        ck_assert_uint_eq(position(&r.t), reached(opt, stops[i]));
    }
    train_until(&r.t, &d, passes, (size_t)passes * SMALL);
    ck_assert_int_eq(r.t.pass, passes);
    ck_assert_msg(model_save(&r.n, in_scratch(path, model), &err) == LENET_OK,
                  "%s", err.message);
    double loss = r.t.pass_loss;
    finish(&r);
    return loss;
}

static const train_options sdlm = { TRAIN_SDLM, LOSS_MAP, TRAIN_MU, 0, 1, 0 };
static const train_options sgd = { TRAIN_SGD, LOSS_ML, 0, 0.01, 10, 0 };
static const train_options momentum = { TRAIN_MOMENTUM, LOSS_ML, 0, 0.001,
                                        10, 0 };
static const train_options adam = { TRAIN_ADAM, LOSS_MAP, 0, 0.001, 10, 0 };
static const train_options sdlm_distort = { TRAIN_SDLM, LOSS_MAP, TRAIN_MU,
                                            0, 1, TRAIN_DISTORT_PAPER };

/* A run of `passes` passes stopped at stops[] against the run that was
   never stopped, saved as straight.model: the model file byte for byte,
   and the last pass's summed loss bit for bit. */
static void check_resumed(const train_options *opt, const net_arch *arch,
                          int passes, double straight, const char *what,
                          const size_t *stops, int nstops)
{
    char a[512], b[512];
    double resumed = run_with_stops(opt, arch, passes, stops, nstops,
                                    "resumed.model");
    assert_same_file(what, in_scratch(a, "straight.model"),
                     in_scratch(b, "resumed.model"));
    ck_assert_msg(memcmp(&straight, &resumed, sizeof straight) == 0,
                  "%s: the last pass's loss: %.17g straight, %.17g resumed",
                  what, straight, resumed);
}

/* SDLM: h_kk and the steps of the pass under way are state; the next
   pass's order and Hessian sample come from the generator's state. Under
   LENET_QUICK (valgrind), one run stopped at both places instead of a run
   for each: the same code, two SDLM passes fewer. */
START_TEST(resumed_sdlm_is_bit_identical)
{
    const net_arch *paper = &net_arch_paper;
    double straight = run_with_stops(&sdlm, paper, 2, NULL, 0,
                                     "straight.model");
    const size_t mid_pass[] = { SMALL + 37 };       /* pass 2, pattern 38 */
    const size_t boundary[] = { SMALL };            /* after pass 1 */
    const size_t both[] = { SMALL, SMALL + 37 };
    if (harness_quick()) {
        check_resumed(&sdlm, paper, 2, straight,
                      "stopped after pass 1 and in pass 2", both, 2);
        return;
    }
    check_resumed(&sdlm, paper, 2, straight, "stopped in pass 2", mid_pass,
                  1);
    check_resumed(&sdlm, paper, 2, straight, "stopped after pass 1",
                  boundary, 1);
}
END_TEST

/* SGD in batches of 10, stopped before the first pass, then told to stop
   in the middle of a batch, which it finishes first (at 40, and at pattern
   90 of pass 2): a checkpoint falls between batches. */
START_TEST(resumed_sgd_mid_batch_is_bit_identical)
{
    const net_arch *paper = &net_arch_paper;
    const size_t stops[] = { 0, 36, SMALL + 81 };
    double straight = run_with_stops(&sgd, paper, 2, NULL, 0,
                                     "straight.model");
    check_resumed(&sgd, paper, 2, straight, "SGD, batches of 10", stops, 3);
}
END_TEST

/* Momentum in batches of 10: the velocity is state, and zero only before
   the first update; told to stop in the fourth batch (it stops at its
   end) and in pass 2. */
START_TEST(resumed_momentum_is_bit_identical)
{
    const net_arch *paper = &net_arch_paper;
    const size_t stops[] = { 35, SMALL + 37 };
    double straight = run_with_stops(&momentum, paper, 2, NULL, 0,
                                     "straight.model");
    check_resumed(&momentum, paper, 2, straight, "momentum, batches of 10",
                  stops, 2);
}
END_TEST

/* Adam on the modern network (softmax output, max pooling, ReLU): both
   moments and the step count t (its bias corrections) are state, and the
   checkpoint names the architecture to build. */
START_TEST(resumed_adam_is_bit_identical)
{
    const net_arch *modern = &net_arch_modern;
    const size_t stops[] = { 35, SMALL, SMALL + 61 };
    double straight = run_with_stops(&adam, modern, 2, NULL, 0,
                                     "straight.model");
    check_resumed(&adam, modern, 2, straight, "Adam on modern", stops, 3);
}
END_TEST

/* SDLM with 9 in 10 patterns distorted: the draws come from the
   generator, and the probability is one of the stored options. One pass
   (SDLM's Hessian sample makes passes dear), stopped before it, so that
   its distorted Hessian sample is drawn after a load, and in its middle. */
START_TEST(resumed_distorted_is_bit_identical)
{
    const net_arch *paper = &net_arch_paper;
    const size_t stops[] = { 0, 37 };
    double straight = run_with_stops(&sdlm_distort, paper, 1, NULL, 0,
                                     "straight.model");
    check_resumed(&sdlm_distort, paper, 1, straight, "SDLM, distorted",
                  stops, 2);
}
END_TEST

START_TEST(same_seed_same_model_file)
{
    char a[512], b[512];
    run_with_stops(&sdlm, &net_arch_paper, 1, NULL, 0, "first.model");
    run_with_stops(&sdlm, &net_arch_paper, 1, NULL, 0, "second.model");
    assert_same_file("two runs", in_scratch(a, "first.model"),
                     in_scratch(b, "second.model"));
}
END_TEST

/* --- the file ----------------------------------------------------------- */

/* A checkpoint of r, a network of `arch` trained with opt, in pass 1
   after 37 patterns, in the scratch directory. */
static void saved_checkpoint(run_state *r, const train_options *opt,
                             const net_arch *arch, char path[512])
{
    train_data d = small_set();
    lenet_error err = { "" };
    start(r, opt, arch);
    train_until(&r->t, &d, 3, 37);
    in_scratch(path, "c.ckpt");
    ck_assert_msg(checkpoint_save(&r->t, &the_run, path, &err) == LENET_OK,
                  "%s", err.message);
}

static uint64_t le_at(const unsigned char *b, size_t at, int bytes)
{
    uint64_t v = 0;
    for (int i = bytes - 1; i >= 0; i--)
        v = (v << 8) | b[at + (size_t)i];
    return v;
}

static void put_le(unsigned char *b, size_t at, uint64_t v, int bytes)
{
    for (int i = 0; i < bytes; i++)
        b[at + (size_t)i] = (unsigned char)(v >> (8 * i));
}

/* A new CRC-32 for edited bytes, so that only the edit is wrong. */
static void reseal(unsigned char *b, size_t size)
{
    put_le(b, size - 4, crc32(crc32(0L, Z_NULL, 0), b, (uInt)(size - 4)), 4);
}

static double double_at(const unsigned char *b, size_t at)
{
    uint64_t bits = le_at(b, at, 8);
    double x;
    memcpy(&x, &bits, sizeof x);
    return x;
}

/*
 * README's table, field by field, read back from a checkpoint of a run of
 * opt on `arch` told to stop after 37 patterns (it stops at 40 with batches
 * of 10): `code` is the optimiser's number README gives, `moments` the arrays of its own it keeps (momentum's
 * velocity; Adam's two moments), `steps` its updates so far.
 */
static void check_layout(const train_options *opt, const net_arch *arch,
                         uint32_t code, size_t moments, uint64_t steps)
{
    run_state r;
    char path[512];
    saved_checkpoint(&r, opt, arch, path);
    size_t size, at = 0;
    unsigned char *b = file_slurp(path, &size);
    ck_assert(memcmp(b, "L5CKPT\r\n", 8) == 0);
    ck_assert_uint_eq(le_at(b, 8, 4), 2);                        /* version */
    ck_assert_uint_eq(le_at(b, 12, 8), the_run.seed);
    ck_assert_uint_eq(le_at(b, 20, 4), (uint64_t)the_run.passes);
    ck_assert_uint_eq(le_at(b, 24, 8), the_run.train_limit);
    ck_assert_uint_eq(le_at(b, 32, 8), the_run.test_limit);
    ck_assert_uint_eq(le_at(b, 40, 4), the_run.train_crc);
    ck_assert_uint_eq(le_at(b, 44, 4), the_run.test_crc);
    at = 48;
    const char *strings[3] = { the_run.data_dir, the_run.model_path, "" };
    for (int i = 0; i < 3; i++) {
        size_t len = strlen(strings[i]);
        ck_assert_uint_eq(le_at(b, at, 4), len);
        ck_assert(memcmp(b + at + 4, strings[i], len) == 0);
        at += 4 + len;
    }
    ck_assert_uint_eq(le_at(b, at, 4), code);                    /* optimiser */
    ck_assert_uint_eq(le_at(b, at + 4, 4), opt->loss == LOSS_MAP);  /* 1 MAP */
    ck_assert(double_at(b, at + 8) == opt->mu);
    ck_assert(double_at(b, at + 16) == opt->sgd_rate);
    ck_assert_uint_eq(le_at(b, at + 24, 8), opt->batch);
    ck_assert(double_at(b, at + 32) == opt->distort);
    at += 40;
    ck_assert_uint_eq(le_at(b, at, 4), 1);                       /* pass */
    ck_assert_uint_eq(le_at(b, at + 4, 8), SMALL);               /* count */
    size_t done = reached(opt, 37);        /* 40 with batches of 10 */
    ck_assert_uint_eq(le_at(b, at + 12, 8), done);               /* done */
    ck_assert(double_at(b, at + 20) == r.t.pass_loss);
    ck_assert_uint_eq(le_at(b, at + 28, 8), done % opt->batch);  /* in batch */
    ck_assert_uint_eq(le_at(b, at + 36, 8), steps);              /* updates */
    at += 44;
    size_t arch_len = model_describe(&r.n, NULL, 0), P = r.n.num_params;
    ck_assert_uint_eq(le_at(b, at, 4), arch_len);
    if (arch != &net_arch_paper)
        ck_assert(memcmp(b + at + 4, "arch ", 5) == 0 &&
                  memcmp(b + at + 9, arch->name, strlen(arch->name)) == 0);
    ck_assert_uint_eq(le_at(b, at + 4 + arch_len, 8), P);
    at += 12 + arch_len;
    /* parameters, gradients, h_kk, steps, then the optimiser's arrays */
    const double *section[6] = { r.n.params, r.n.grads, r.t.h, r.t.step,
                                 r.t.optim.m, r.t.optim.v };
    for (size_t a = 0; a < 4 + moments; a++) {
        int nonzero = 0;
        size_t k = 0;
        for (; k < P; k++) {
            double x = double_at(b, at + a * 8 * P + 8 * k);
            if (memcmp(&x, &section[a][k], sizeof x) != 0)
                break;
            nonzero |= x != 0.0;
        }
        ck_assert_msg(k == P, "array %zu differs from the run's at index %zu",
                      a, k);
        ck_assert_msg(nonzero || a == 1 ||   /* no batch under way */
                      (a == 2 && opt->method != TRAIN_SDLM),
                      "array %zu is all zeros", a);
    }
    at += (4 + moments) * 8 * P;
    for (size_t i = 0; i < SMALL; i++)
        ck_assert_uint_eq(le_at(b, at + 8 * i, 8), r.t.order[i]);
    at += 8 * SMALL;
    ck_assert_uint_eq(le_at(b, at, 4), 7);
    ck_assert(memcmp(b + at + 4, "mt19937", 7) == 0);
    at += 11;
    size_t state = gsl_rng_size(r.rng);
    ck_assert_uint_eq(le_at(b, at, 4), state);
    ck_assert(memcmp(b + at + 4, gsl_rng_state(r.rng), state) == 0);
    at += 4 + state;
    ck_assert_uint_eq(at + 4, size);
    ck_assert_uint_eq(checkpoint_size(&r.t, &the_run), size);
    ck_assert_uint_eq(le_at(b, at, 4),
                      crc32(crc32(0L, Z_NULL, 0), b, (uInt)at));
    free(b);
    finish(&r);
}

START_TEST(file_is_the_documented_layout)
{
    check_layout(&sdlm_distort, &net_arch_paper, 0, 0, 0);
    check_layout(&sgd, &net_arch_paper, 1, 0, 0);
    check_layout(&momentum, &net_arch_paper, 2, 1, 4);
    check_layout(&adam, &net_arch_modern, 3, 2, 4);
}
END_TEST

/* A load that must fail: its status, a phrase of its message, and nothing
   changed in the network or the generator. */
static void expect_refused(const char *name, const unsigned char *bytes,
                           size_t size, lenet_status want, const char *phrase)
{
    char path[512];
    lenet_error err = { "" };
    in_scratch(path, name);
    if (bytes)
        file_spill(path, bytes, size);
    net n;
    build_net(&n, 3);
    gsl_rng *rng = test_rng(4);
    double *before = malloc(n.num_params * sizeof *before);
    ck_assert_ptr_nonnull(before);
    memcpy(before, n.params, n.num_params * sizeof *before);
    unsigned long next = gsl_rng_get(rng);
    gsl_rng_set(rng, 4);
    trainer t;
    checkpoint_run run;
    lenet_status s = checkpoint_load(&t, &n, rng, &run, path, &err);
    ck_assert_msg(s == want, "%s: status %s, expected %s (%s)", name,
                  lenet_strerror(s), lenet_strerror(want), err.message);
    ck_assert_msg(strstr(err.message, phrase) != NULL,
                  "%s: '%s' does not say '%s'", name, err.message, phrase);
    ck_assert_msg(strncmp(err.message, path, strlen(path)) == 0,
                  "%s: '%s' does not start with the path", name, err.message);
    ck_assert(memcmp(before, n.params, n.num_params * sizeof *before) == 0);
    ck_assert_uint_eq(gsl_rng_get(rng), next);
    ck_assert_ptr_null(t.h);
    ck_assert_ptr_null(run.data_dir);
    free(before);
    gsl_rng_free(rng);
    net_free(&n);
}

START_TEST(damaged_checkpoints_are_refused)
{
    run_state r;
    char path[512], model[512];
    lenet_error err = { "" };
    saved_checkpoint(&r, &sgd, &net_arch_paper, path);
    size_t size;
    unsigned char *b = file_slurp(path, &size);

    const size_t cuts[] = { 0, 5, 30, 200, size / 2, size - 4, size - 1 };
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        char problem[64];
        snprintf(problem, sizeof problem, "truncated: the file ends after "
                 "%zu bytes", cuts[i]);
        expect_refused("cut.ckpt", b, cuts[i], LENET_EFORMAT, problem);
    }
    b[size / 2] ^= 0x10;
    expect_refused("flipped.ckpt", b, size, LENET_EFORMAT, "checksum mismatch");
    b[size / 2] ^= 0x10;

    b[0] = 'X';
    expect_refused("magic.ckpt", b, size, LENET_EFORMAT, "wrong magic");
    b[0] = 'L';
    put_le(b, 8, 1, 4);                  /* before momentum, Adam, --distort */
    reseal(b, size);
    expect_refused("v1.ckpt", b, size, LENET_EFORMAT,
                   "version 1 (this program reads version 2: resume it with "
                   "the lenet that wrote it)");
    put_le(b, 8, 3, 4);
    reseal(b, size);
    expect_refused("v3.ckpt", b, size, LENET_EFORMAT,
                   "version 3 (this program reads version 2: a newer");
    put_le(b, 8, 2, 4);

    /* the options, each out of its range, with a consistent CRC */
    size_t options_at = 48 + 4 + strlen(the_run.data_dir) + 4 +
                        strlen(the_run.model_path) + 4;
    ck_assert_uint_eq(le_at(b, options_at, 4), 1);               /* SGD */
    put_le(b, options_at, 4, 4);
    reseal(b, size);
    expect_refused("optimiser.ckpt", b, size, LENET_EFORMAT,
                   "damaged checkpoint: optimiser 4");
    put_le(b, options_at, 1, 4);
    double two = 2.0;
    uint64_t two_bits, was_bits = le_at(b, options_at + 32, 8);
    memcpy(&two_bits, &two, sizeof two_bits);
    put_le(b, options_at + 32, two_bits, 8);
    reseal(b, size);
    expect_refused("distort.ckpt", b, size, LENET_EFORMAT,
                   "damaged checkpoint: distortion probability 2");
    put_le(b, options_at + 32, was_bits, 8);

    /* pass 4 of a 3-pass run: a consistent CRC cannot make it right */
    size_t pass_at = options_at + 40;
    ck_assert_uint_eq(le_at(b, pass_at, 4), 1);
    put_le(b, pass_at, 4, 4);
    reseal(b, size);
    expect_refused("pass.ckpt", b, size, LENET_EFORMAT,
                   "damaged checkpoint: pass 4");
    put_le(b, pass_at, 1, 4);
    /* updates of momentum or Adam in an SGD run */
    ck_assert_uint_eq(le_at(b, pass_at + 36, 8), 0);
    put_le(b, pass_at + 36, 5, 8);
    reseal(b, size);
    expect_refused("steps.ckpt", b, size, LENET_EFORMAT,
                   "damaged checkpoint: optimiser steps 5");
    put_le(b, pass_at + 36, 0, 8);

    /* a NaN among the parameters, which checkpoint_save never writes */
    size_t param_at = pass_at + 44 + 4 + model_describe(&r.n, NULL, 0) + 8;
    uint64_t was = le_at(b, param_at + 8 * 100, 8);
    double nan = NAN;
    uint64_t nan_bits;
    memcpy(&nan_bits, &nan, sizeof nan_bits);
    put_le(b, param_at + 8 * 100, nan_bits, 8);
    reseal(b, size);
    expect_refused("nan.ckpt", b, size, LENET_EFORMAT,
                   "a parameter that is not finite at index 100");
    put_le(b, param_at + 8 * 100, was, 8);

    in_scratch(model, "m.model");
    ck_assert_int_eq(model_save(&r.n, model, &err), LENET_OK);
    expect_refused("m.model", NULL, 0, LENET_EFORMAT,
                   "a model file, not a checkpoint");
    expect_refused("missing.ckpt", NULL, 0, LENET_EIO, "cannot open");

    reseal(b, size);                             /* the original again */
    file_spill(path, b, size);
    trainer t;
    checkpoint_run run;
    ck_assert_msg(checkpoint_load(&t, &r.n, r.rng, &run, path, &err) ==
                  LENET_OK, "%s", err.message);
    trainer_free(&t);
    checkpoint_run_free(&run);
    free(b);
    finish(&r);
}
END_TEST

/* A checkpoint that cannot be finished (past RLIMIT_FSIZE, EFBIG even for
   root) or that would hold a NaN leaves the old one whole. */
START_TEST(failed_save_keeps_old_checkpoint)
{
    run_state r;
    char path[512];
    lenet_error err = { "" };
    saved_checkpoint(&r, &sgd, &net_arch_paper, path);
    size_t size;
    unsigned char *old = file_slurp(path, &size);
    train_data d = small_set();
    ck_assert_int_eq(trainer_run(&r.t, &d, 60), TRAIN_FINITE);

    struct rlimit was, small;
    ck_assert_int_eq(getrlimit(RLIMIT_FSIZE, &was), 0);
    small = was;
    small.rlim_cur = 4096;
    void (*handler)(int) = signal(SIGXFSZ, SIG_IGN);
    ck_assert(handler != SIG_ERR);
    ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &small), 0);
    lenet_status s = checkpoint_save(&r.t, &the_run, path, &err);
    int restored = setrlimit(RLIMIT_FSIZE, &was);
    signal(SIGXFSZ, handler);
    ck_assert_int_eq(restored, 0);
    ck_assert_int_eq(s, LENET_EIO);
    ck_assert_ptr_nonnull(strstr(err.message, "not saved"));

    r.n.params[5] = NAN;
    ck_assert_int_eq(checkpoint_save(&r.t, &the_run, path, &err), LENET_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.message, "not a finite number"));

    size_t now_size;
    unsigned char *now = file_slurp(path, &now_size);
    ck_assert_uint_eq(now_size, size);
    ck_assert(memcmp(now, old, size) == 0);
    free(now);
    free(old);
    finish(&r);
}
END_TEST

/* The architecture a checkpoint holds, read before any network is built:
   modern for a modern run, the paper's for the paper's; a file cut before
   the end of its architecture text, or naming an architecture this
   program does not know, is refused naming the file. */
START_TEST(checkpoint_names_the_architecture)
{
    run_state r;
    char path[512];
    lenet_error err = { "" };
    const net_arch *arch = NULL;
    saved_checkpoint(&r, &adam, &net_arch_modern, path);
    ck_assert_msg(checkpoint_arch(path, &arch, &err) == LENET_OK, "%s",
                  err.message);
    ck_assert_ptr_eq(arch, &net_arch_modern);
    size_t size;
    unsigned char *b = file_slurp(path, &size);
    finish(&r);

    saved_checkpoint(&r, &sgd, &net_arch_paper, path);
    ck_assert_msg(checkpoint_arch(path, &arch, &err) == LENET_OK, "%s",
                  err.message);
    ck_assert_ptr_eq(arch, &net_arch_paper);
    finish(&r);

    /* the modern one again, cut in its architecture text, then renamed */
    size_t text_at = 48 + 4 + strlen(the_run.data_dir) + 4 +
                     strlen(the_run.model_path) + 4 + 40 + 44 + 4;
    ck_assert(memcmp(b + text_at, "arch modern; ", 13) == 0);
    char cut[512], renamed[512], problem[64];
    file_spill(in_scratch(cut, "cut.ckpt"), b, text_at + 8);
    arch = &net_arch_paper;
    ck_assert_int_eq(checkpoint_arch(cut, &arch, &err), LENET_EFORMAT);
    snprintf(problem, sizeof problem, "truncated: the file ends after %zu "
             "bytes", text_at + 8);
    ck_assert_msg(strncmp(err.message, cut, strlen(cut)) == 0 &&
                  strstr(err.message, problem), "%s", err.message);
    ck_assert_ptr_null(arch);
    memcpy(b + text_at + 5, "future", 6);
    file_spill(in_scratch(renamed, "renamed.ckpt"), b, size);
    ck_assert_int_eq(checkpoint_arch(renamed, &arch, &err), LENET_EFORMAT);
    ck_assert_msg(strncmp(err.message, renamed, strlen(renamed)) == 0 &&
                  strstr(err.message, "unknown architecture 'future'"), "%s",
                  err.message);
    ck_assert_ptr_null(arch);
    free(b);
}
END_TEST

/* --- not a number ------------------------------------------------------- */

/* A NaN in a weight: the next pattern's loss is NaN, and trainer_run stops
   there, before training on it, with the loss so far unchanged; on two
   threads too, whose helper is stopped before that pattern's backward
   pass (train.c: run_patterns), so the run returns. */
START_TEST(nan_parameter_stops_at_the_pattern)
{
    for (int threads = 1; threads <= 2; threads++) {
        train_data d = small_set();
        run_state r;
        start(&r, &sgd, &net_arch_paper);
        r.t.threads = threads;
        trainer_begin_pass(&r.t, &d, 1);
        ck_assert_int_eq(trainer_run(&r.t, &d, 40), TRAIN_FINITE);
        double loss = r.t.pass_loss;
        r.n.c1.b[2] = NAN;
        ck_assert_int_eq(trainer_run(&r.t, &d, SMALL), TRAIN_LOSS_NOT_FINITE);
        ck_assert_uint_eq(r.t.done, 40);
        ck_assert(r.t.pass_loss == loss);
        ck_assert_uint_lt(r.t.order[r.t.done], SMALL);
        finish(&r);
    }
}
END_TEST

/* An infinite step: the update after the first pattern makes the weights
   infinite or NaN. No loss follows in that call, so the check of the
   parameters at its end catches them; the next call stops at its first
   pattern's loss. */
START_TEST(infinite_step_is_caught)
{
    train_data d = small_set();
    const train_options wild = { TRAIN_SGD, LOSS_MAP, 0, INFINITY, 1, 0 };
    run_state r;
    start(&r, &wild, &net_arch_paper);
    trainer_begin_pass(&r.t, &d, 1);
    ck_assert_int_eq(trainer_run(&r.t, &d, 1), TRAIN_PARAMS_NOT_FINITE);
    ck_assert_uint_eq(r.t.done, 1);
    ck_assert(isfinite(r.t.pass_loss));
    ck_assert(!train_params_finite(&r.n));
    ck_assert_int_eq(trainer_run(&r.t, &d, SMALL), TRAIN_LOSS_NOT_FINITE);
    ck_assert_uint_eq(r.t.done, 1);
    finish(&r);
}
END_TEST

Suite *resume_suite(void)
{
    Suite *s = suite_create("resume");
    TCase *tc = chapter_tcase(s, "checkpoint and resume", 9);
    tcase_add_checked_fixture(tc, scratch_setup, scratch_teardown);
    tcase_add_test(tc, resumed_sdlm_is_bit_identical);
    tcase_add_test(tc, resumed_sgd_mid_batch_is_bit_identical);
    tcase_add_test(tc, resumed_momentum_is_bit_identical);
    tcase_add_test(tc, resumed_adam_is_bit_identical);
    tcase_add_test(tc, resumed_distorted_is_bit_identical);
    tcase_add_test(tc, same_seed_same_model_file);
    tcase_add_test(tc, file_is_the_documented_layout);
    tcase_add_test(tc, damaged_checkpoints_are_refused);
    tcase_add_test(tc, failed_save_keeps_old_checkpoint);
    tcase_add_test(tc, checkpoint_names_the_architecture);
    tc = chapter_tcase(s, "not a number", 9);
    tcase_add_test(tc, nan_parameter_stops_at_the_pattern);
    tcase_add_test(tc, infinite_step_is_caught);
    return s;
}
