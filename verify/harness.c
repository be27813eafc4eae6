/* harness.c: see harness.h. */
#include "harness.h"

#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <gsl/gsl_randist.h>

#include "paper.h"
#include "synthetic.h"

gsl_rng *test_rng(unsigned long seed)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    ck_assert_ptr_nonnull(r);
    gsl_rng_set(r, seed);
    return r;
}

void fill_uniform(double *x, size_t n, double lo, double hi, gsl_rng *rng)
{
    for (size_t i = 0; i < n; i++)
        x[i] = lo + (hi - lo) * gsl_rng_uniform(rng);
}

int data_available(const char *dir, const char *what)
{
    struct stat st;
    if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
        return 1;
    ck_assert_msg(getenv("LENET_REQUIRE_DATA") == NULL,
                  "%s: %s not found and LENET_REQUIRE_DATA is set (run 'make data')",
                  what, dir);
    printf("%s: %s not found: skipped (run 'make data' to include it)\n",
           what, dir);
    return 0;
}

void check_counts(const char *layer, size_t params, size_t connections,
                  int maps, int rows, int cols)
{
    const paper_layer *p = paper_find(layer);
    ck_assert_ptr_nonnull(p);
    report_counts(layer, params, connections);
    ck_assert_msg(params == p->params, "%s: %zu parameters, the paper says %zu",
                  layer, params, p->params);
    ck_assert_msg(connections == p->connections,
                  "%s: %zu connections, the paper says %zu", layer,
                  connections, p->connections);
    ck_assert_msg(maps == p->maps && rows == p->rows && cols == p->cols,
                  "%s: output %d@%dx%d, the paper says %d@%dx%d", layer,
                  maps, rows, cols, p->maps, p->rows, p->cols);
}

void build_net(net *n, unsigned long seed)
{
    ck_assert_int_eq(net_init(n), LENET_OK);
    gsl_rng *rng = test_rng(seed);
    net_randomize(n, rng);
    gsl_rng_free(rng);
}

unsigned char *file_slurp(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
    long end = ftell(f);
    ck_assert_int_ge(end, 0);
    rewind(f);
    unsigned char *bytes = malloc((size_t)end + 1);
    ck_assert_ptr_nonnull(bytes);
    ck_assert_uint_eq(fread(bytes, 1, (size_t)end, f), (size_t)end);
    fclose(f);
    *size = (size_t)end;
    return bytes;
}

void file_spill(const char *path, const unsigned char *bytes, size_t size)
{
    FILE *f = fopen(path, "wb");
    ck_assert_msg(f != NULL, "cannot create %s", path);
    ck_assert_uint_eq(fwrite(bytes, 1, size, f), size);
    ck_assert_int_eq(fclose(f), 0);
}

TCase *chapter_tcase(Suite *s, const char *name, int chapter)
{
    char tag[16];
    snprintf(tag, sizeof tag, "ch%d", chapter);
    TCase *tc = tcase_create(name);
    tcase_set_tags(tc, tag);
    tcase_set_timeout(tc, 120);
    suite_add_tcase(s, tc);
    return tc;
}

/* The state E reads: the layer, its input, its output and the targets. */
typedef struct {
    const layer_case *c;
    double *in, *out;
    const double *target;
} layer_objective;

//> layer-objective
/*
 * E = 1/2 sum_k (out_k - t_k)^2. With the initial weights of chapter 3 a
 * layer's E reaches several hundred (C3: about 850), and a plain sum of its
 * 1,600 terms would round by a few units in the last place of E; divided
 * by the step h = 1e-3 that alone is a few 1e-10, close to the 1e-9 the
 * check allows below its floor. So the sum carries its own rounding error
 * along (Neumaier's compensated summation) and adds it back at the end.
 */
static double half_squared_error(void *ctx)
{
    layer_objective *o = ctx;
    o->c->forward(o->c->layer, o->out, o->in);
    double e = 0.0, lost = 0.0;
    for (size_t k = 0; k < o->c->out_size; k++) {
        double d = o->out[k] - o->target[k], term = 0.5 * d * d;
        double sum = e + term;
        lost += fabs(e) >= fabs(term) ? (e - sum) + term : (term - sum) + e;
        e = sum;
    }
    return e + lost;
}
//< layer-objective

/*
 * Which of `count` values a layer's gradient check compares: all of them
 * (*chosen NULL), unless the environment sets LENET_QUICK to something
 * other than 0 (make verify VALGRIND=1 does; README) and there are more
 * than QUICK_SAMPLE: then a sample
 * of QUICK_SAMPLE drawn without repeats by a generator seeded `seed`, in
 * *chosen (to free). Returns how many.
 */
int harness_quick(void)
{
    const char *quick = getenv("LENET_QUICK");
    return quick && *quick && strcmp(quick, "0") != 0;
}

static size_t values_to_check(size_t count, unsigned long seed, size_t **chosen)
{
    enum { QUICK_SAMPLE = 2000 };
    *chosen = NULL;
    if (!harness_quick() || count <= QUICK_SAMPLE)
        return count;
    size_t *all = malloc(count * sizeof *all);
    *chosen = malloc(QUICK_SAMPLE * sizeof **chosen);
    ck_assert(all && *chosen);
    for (size_t i = 0; i < count; i++)
        all[i] = i;
    gsl_rng *rng = test_rng(seed);
    gsl_ran_choose(rng, *chosen, QUICK_SAMPLE, all, count, sizeof *all);
    gsl_rng_free(rng);
    free(all);
    return QUICK_SAMPLE;
}

//> layer-check
/* The check itself, on the inputs `in` and targets `target` the caller
   drew: one forward and one backward pass for the analytic gradient, then
   gradcheck over `k` parameters (`chosen`, or all when NULL) and every
   input. */
static void check_with_targets(const layer_case *c, double *in,
                               const double *target, const size_t *chosen,
                               size_t k, gradcheck_result *params,
                               gradcheck_result *inputs)
{
    double *din = calloc(c->in_size, sizeof *din);
    double *out = calloc(c->out_size, sizeof *out);
    double *dout = calloc(c->out_size, sizeof *dout);
    ck_assert(din && out && dout);

    /* The analytic gradient: dE/dout = out - t, then the layer's backward. */
    layer_objective o = { c, in, out, target };
    half_squared_error(&o);
    for (size_t j = 0; j < c->out_size; j++)
        dout[j] = out[j] - target[j];
    if (c->num_params)
        memset(c->grads, 0, c->num_params * sizeof *c->grads);
    c->backward(c->layer, din, dout, in);

    if (params)
        *params = gradcheck(half_squared_error, &o, c->params, c->grads,
                            chosen, k);
    *inputs = gradcheck(half_squared_error, &o, in, din, NULL, c->in_size);
    free(din);
    free(out);
    free(dout);
}

void layer_check(const layer_case *c, unsigned long seed,
                 gradcheck_result *params, gradcheck_result *inputs)
{
    double *in = calloc(c->in_size, sizeof *in);
    double *target = calloc(c->out_size, sizeof *target);
    ck_assert(in && target);
    gsl_rng *rng = test_rng(seed);
    fill_uniform(in, c->in_size, -1.0, 1.0, rng);
    fill_uniform(target, c->out_size, -1.0, 1.0, rng);
    gsl_rng_free(rng);

    size_t *chosen, k = values_to_check(c->num_params, seed, &chosen);
    check_with_targets(c, in, target, chosen, k, params, inputs);
    free(chosen);
    free(in);
    free(target);
}
//< layer-check

void layer_check_at(const layer_case *c, double *in, unsigned long seed,
                    gradcheck_result *params, gradcheck_result *inputs)
{
    double *target = calloc(c->out_size, sizeof *target);
    ck_assert(target);
    gsl_rng *rng = test_rng(seed);
    fill_uniform(target, c->out_size, -1.0, 1.0, rng);
    gsl_rng_free(rng);
    check_with_targets(c, in, target, NULL, c->num_params, params, inputs);
    free(target);
}


/* Trains a fresh network (seed 90) for `passes` passes over the synthetic
   set; returns the mean loss before and after, and the parameters. */
void train_small(const train_options *opt, int passes, double *before,
                 double *after, double *params_out)
{
    static unsigned char images[TRAIN_SMALL * 28 * 28], labels[TRAIN_SMALL];
    synthetic_digits(images, labels, TRAIN_SMALL, 91);
    train_data d = { images, labels, TRAIN_SMALL };
    net n;
    build_net(&n, 90);
    gsl_rng *rng = test_rng(92);
    trainer t;
    ck_assert_int_eq(trainer_init(&t, &n, opt, TRAIN_SMALL, rng), LENET_OK);
    *before = train_evaluate(&n, &d, opt->loss, 0, NULL).loss;
    for (int pass = 1; pass <= passes; pass++) {
        trainer_begin_pass(&t, &d, pass);
        ck_assert_int_eq(trainer_run(&t, &d, TRAIN_SMALL), TRAIN_FINITE);
    }
    *after = train_evaluate(&n, &d, opt->loss, 0, NULL).loss;
    if (params_out)
        memcpy(params_out, n.params, n.num_params * sizeof *n.params);
    trainer_free(&t);
    gsl_rng_free(rng);
    net_free(&n);
}
