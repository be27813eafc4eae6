/*
 * checkpoint.c: the checkpoint file of checkpoint.h, written and read one
 * field at a time with model.h's writer and reader (little-endian numbers,
 * doubles as their 64 bits, a CRC-32 over everything, an atomic rename).
 *
 * The reader holds every array back, as model_load holds the parameters,
 * and touches the network, the generator and the trainer only once the
 * checksum agrees. It is not a general serialiser: the sections are the
 * fields of checkpoint_run, train_options, trainer and its optim, in
 * README's order.
 */
#include "checkpoint.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "model.h"

/* Longer paths than this in a file mean a damaged file. */
#define CHECKPOINT_MAX_STRING 4096

/* More patterns per pass than this mean a damaged file (MNIST has 60,000),
   and are refused before anything is allocated for them. */
#define CHECKPOINT_MAX_PATTERNS 100000000u

/* Every byte but the strings, the architecture, the arrays and the
   generator: magic, version, the run's numbers, the options, the
   position, the lengths (strings, architecture, count, generator) and
   the CRC. */
#define CHECKPOINT_FIXED_BYTES \
    (CHECKPOINT_MAGIC_SIZE + 4 + (8 + 4 + 8 + 8 + 4 + 4) \
     + (4 + 4 + 8 + 8 + 8 + 8) + (4 + 8 + 8 + 8 + 8 + 8) \
     + 3 * 4 + 4 + 8 + 4 + 4 + 4)

/* The optimisers as the file numbers them, and how many arrays of state
   each keeps beyond SDLM's and SGD's (optim.h): momentum its velocity,
   Adam its two moments. */
static const train_method methods[] = { TRAIN_SDLM, TRAIN_SGD, TRAIN_MOMENTUM,
                                        TRAIN_ADAM };
static const size_t moments_of[] = { 0, 0, 1, 2 };
static const char *const moment_names[] = { "first moments",
                                             "second moments" };
#define METHODS (sizeof methods / sizeof methods[0])

static uint32_t method_code(train_method m)
{
    uint32_t code = 0;
    while (code + 1 < METHODS && methods[code] != m)
        code++;
    return code;
}

/* --- sizes -------------------------------------------------------------- */

static size_t length_of(const char *s)
{
    return s ? strlen(s) : 0;
}

/* The size of a checkpoint of `count` patterns with these strings, a
   network of P parameters and architecture text arch_len, an optimiser
   with `moments` arrays of its own, a generator named name_len with
   state_len bytes. */
static size_t file_size(size_t strings, size_t arch_len, size_t params,
                        size_t moments, size_t count, size_t name_len,
                        size_t state_len)
{
    return CHECKPOINT_FIXED_BYTES + strings + arch_len +
           (4 + moments) * 8 * params + 8 * count + name_len + state_len;
}

size_t checkpoint_size(const trainer *t, const checkpoint_run *run)
{
    size_t strings = length_of(run->data_dir) + length_of(run->model_path) +
                     length_of(run->log_path);
    return file_size(strings, model_describe(t->n, NULL, 0),
                     t->n->num_params, moments_of[method_code(t->opt.method)],
                     t->count, strlen(gsl_rng_name(t->rng)),
                     gsl_rng_size(t->rng));
}

uint32_t checkpoint_data_crc(const train_data *d)
{
    uLong crc = crc32(0L, Z_NULL, 0);
    for (size_t i = 0; i < d->count; i++)
        crc = crc32(crc, d->images + i * 28 * 28, 28 * 28);
    for (size_t i = 0; i < d->count; i += 65536) {
        size_t n = d->count - i < 65536 ? d->count - i : 65536;
        crc = crc32(crc, d->labels + i, (uInt)n);
    }
    return (uint32_t)crc;
}

/* --- saving ------------------------------------------------------------- */

/* A string as its length (uint32) and its bytes; NULL as length 0. */
static void put_string(model_writer *w, const char *s)
{
    model_put_u32(w, (uint32_t)length_of(s));
    if (s)
        model_put(w, s, strlen(s));
}

static void put_doubles(model_writer *w, const double *x, size_t count)
{
    for (size_t i = 0; i < count; i++)
        model_put_double(w, x[i]);
}

static void put_run(model_writer *w, const checkpoint_run *run)
{
    model_put_u64(w, run->seed);
    model_put_u32(w, (uint32_t)run->passes);
    model_put_u64(w, run->train_limit);
    model_put_u64(w, run->test_limit);
    model_put_u32(w, run->train_crc);
    model_put_u32(w, run->test_crc);
    put_string(w, run->data_dir);
    put_string(w, run->model_path);
    put_string(w, run->log_path);
}

/* The options and the position: the trainer's numbers. */
static void put_trainer_numbers(model_writer *w, const trainer *t)
{
    model_put_u32(w, method_code(t->opt.method));
    model_put_u32(w, t->opt.loss == LOSS_ML ? 0 : 1);
    model_put_double(w, t->opt.mu);
    model_put_double(w, t->opt.sgd_rate);
    model_put_u64(w, t->opt.batch);
    model_put_double(w, t->opt.distort);
    model_put_u32(w, (uint32_t)t->pass);
    model_put_u64(w, t->count);
    model_put_u64(w, t->done);
    model_put_double(w, t->pass_loss);
    model_put_u64(w, t->in_batch);
    model_put_u64(w, t->optim.steps);
}

static void put_rng(model_writer *w, const gsl_rng *rng)
{
    put_string(w, gsl_rng_name(rng));
    model_put_u32(w, (uint32_t)gsl_rng_size(rng));
    model_put(w, gsl_rng_state(rng), gsl_rng_size(rng));
}

lenet_status checkpoint_save(const trainer *t, const checkpoint_run *run,
                             const char *path, lenet_error *err)
{
    if (!train_params_finite(t->n))
        return lenet_fail(err, LENET_EINVAL, "%s: not saved: a parameter "
                          "is not a finite number", path);
    model_writer w;
    lenet_status s = model_writer_open(&w, path, err);
    if (s)
        return s;
    model_put(&w, CHECKPOINT_MAGIC, CHECKPOINT_MAGIC_SIZE);
    model_put_u32(&w, CHECKPOINT_VERSION);
    put_run(&w, run);
    put_trainer_numbers(&w, t);
    model_put_net(&w, t->n);
    put_doubles(&w, t->n->grads, t->n->num_params);
    put_doubles(&w, t->h, t->n->num_params);
    put_doubles(&w, t->step, t->n->num_params);
    size_t moments = moments_of[method_code(t->opt.method)];
    if (moments > 0)
        put_doubles(&w, t->optim.m, t->n->num_params);
    if (moments > 1)
        put_doubles(&w, t->optim.v, t->n->num_params);
    for (size_t i = 0; i < t->count; i++)
        model_put_u64(&w, t->order[i]);
    put_rng(&w, t->rng);
    return model_writer_commit(&w, err);
}

/* --- loading ------------------------------------------------------------ */

/* What a checkpoint holds, read and checked but not yet given to anyone. */
typedef struct {
    checkpoint_run run;
    train_options opt;
    uint32_t pass;
    uint64_t count, done, in_batch, optim_steps;
    double pass_loss;
    size_t moments;            /* the optimiser's arrays: 0, 1 or 2 */
    unsigned char *arrays;     /* parameters, gradients, h, steps, then the
                                  optimiser's moments: 8P each */
    unsigned char *order;      /* 8 x count */
    unsigned char *state;      /* the generator's */
} held;

void checkpoint_run_free(checkpoint_run *run)
{
    free((char *)run->data_dir);
    free((char *)run->model_path);
    free((char *)run->log_path);
    run->data_dir = run->model_path = run->log_path = NULL;
}

static void held_free(held *h)
{
    checkpoint_run_free(&h->run);
    free(h->arrays);
    free(h->order);
    free(h->state);
}

static lenet_status damaged(model_reader *r, const char *what, uint64_t value)
{
    return lenet_fail(r->err, LENET_EFORMAT, "%s: damaged checkpoint: %s %llu",
                      r->path, what, (unsigned long long)value);
}

/* A string put_string wrote, as a new NUL-terminated copy in *out (NULL
   for length 0). */
static lenet_status take_string(model_reader *r, const char **out,
                                const char *field)
{
    uint32_t len;
    lenet_status s = model_take_u32(r, &len, field);
    if (s || len == 0)
        return s;
    if (len > CHECKPOINT_MAX_STRING)
        return damaged(r, "a path of length", len);
    char *text = malloc(len + 1);
    if (!text)
        return lenet_fail(r->err, LENET_ENOMEM, "%s: out of memory", r->path);
    s = model_take(r, text, len, field);
    text[s ? 0 : len] = '\0';
    if (!s && memchr(text, '\0', len))
        s = damaged(r, "a NUL byte in a path of length", len);
    if (s)
        free(text);
    else
        *out = text;
    return s;
}

static lenet_status take_magic(model_reader *r)
{
    unsigned char b[CHECKPOINT_MAGIC_SIZE];
    lenet_status s = model_take(r, b, sizeof b, "magic");
    if (s == LENET_EIO)
        return s;
    if (r->offset == MODEL_MAGIC_SIZE && !memcmp(b, MODEL_MAGIC, sizeof b))
        return lenet_fail(r->err, LENET_EFORMAT, "%s: a model file, not a "
                          "checkpoint (lenet train --checkpoint writes those)",
                          r->path);
    if (memcmp(b, CHECKPOINT_MAGIC, r->offset) != 0)
        return lenet_fail(r->err, LENET_EFORMAT, "%s: not a LeNet-5 training "
                          "checkpoint (wrong magic)", r->path);
    if (s)
        return s;
    uint32_t version;
    if ((s = model_take_u32(r, &version, "format version")))
        return s;
    if (version != CHECKPOINT_VERSION)
        return lenet_fail(r->err, LENET_EFORMAT, "%s: unsupported checkpoint "
                          "version %lu (this program reads version %d: %s)",
                          r->path, (unsigned long)version, CHECKPOINT_VERSION,
                          version < CHECKPOINT_VERSION ?
                          "resume it with the lenet that wrote it" :
                          "a newer lenet wrote it");
    return LENET_OK;
}

static lenet_status take_run(model_reader *r, checkpoint_run *run)
{
    uint64_t seed, train_limit, test_limit;
    uint32_t passes;
    lenet_status s;
    if ((s = model_take_u64(r, &seed, "seed")) ||
        (s = model_take_u32(r, &passes, "passes")) ||
        (s = model_take_u64(r, &train_limit, "training limit")) ||
        (s = model_take_u64(r, &test_limit, "test limit")) ||
        (s = model_take_u32(r, &run->train_crc, "training data CRC")) ||
        (s = model_take_u32(r, &run->test_crc, "test data CRC")) ||
        (s = take_string(r, &run->data_dir, "data directory")) ||
        (s = take_string(r, &run->model_path, "model path")) ||
        (s = take_string(r, &run->log_path, "log path")))
        return s;
    if (passes == 0 || passes > 1000000)
        return damaged(r, "passes", passes);
    if (seed > (uint64_t)(unsigned long)-1)
        return damaged(r, "seed", seed);
    run->seed = (unsigned long)seed;
    run->passes = (long)passes;
    run->train_limit = (size_t)train_limit;
    run->test_limit = (size_t)test_limit;
    return LENET_OK;
}

static lenet_status take_trainer_numbers(model_reader *r, held *h)
{
    uint32_t method, loss;
    uint64_t batch;
    lenet_status s;
    if ((s = model_take_u32(r, &method, "optimiser")) ||
        (s = model_take_u32(r, &loss, "loss")) ||
        (s = model_take_double(r, &h->opt.mu, "mu")) ||
        (s = model_take_double(r, &h->opt.sgd_rate, "rate")) ||
        (s = model_take_u64(r, &batch, "batch")) ||
        (s = model_take_double(r, &h->opt.distort, "distortion probability")))
        return s;
    if (method >= METHODS)
        return damaged(r, "optimiser", method);
    if (loss > 1)
        return damaged(r, "loss", loss);
    h->opt.method = methods[method];
    h->opt.loss = loss == 0 ? LOSS_ML : LOSS_MAP;
    h->moments = moments_of[method];
    if ((batch == 0 && h->opt.method != TRAIN_SDLM) ||
        batch > CHECKPOINT_MAX_PATTERNS)
        return damaged(r, "batch", batch);
    h->opt.batch = (size_t)batch;
    if (h->moments > 0 && !(h->opt.sgd_rate > 0.0))
        return lenet_fail(r->err, LENET_EFORMAT, "%s: damaged checkpoint: "
                          "rate %g", r->path, h->opt.sgd_rate);
    if (!(h->opt.distort >= 0.0 && h->opt.distort <= 1.0))
        return lenet_fail(r->err, LENET_EFORMAT, "%s: damaged checkpoint: "
                          "distortion probability %g", r->path,
                          h->opt.distort);

    if ((s = model_take_u32(r, &h->pass, "pass")) ||
        (s = model_take_u64(r, &h->count, "patterns per pass")) ||
        (s = model_take_u64(r, &h->done, "position")) ||
        (s = model_take_double(r, &h->pass_loss, "loss so far")) ||
        (s = model_take_u64(r, &h->in_batch, "patterns in the batch")) ||
        (s = model_take_u64(r, &h->optim_steps, "optimiser steps")))
        return s;
    if (h->count == 0 || h->count > CHECKPOINT_MAX_PATTERNS)
        return damaged(r, "patterns per pass", h->count);
    if (h->pass > (uint32_t)h->run.passes)
        return damaged(r, "pass", h->pass);
    if (h->done > h->count || (h->pass == 0 && h->done > 0))
        return damaged(r, "position", h->done);
    if (h->in_batch > 0 && (h->opt.method == TRAIN_SDLM ||
                            h->in_batch >= h->opt.batch))
        return damaged(r, "patterns in the batch", h->in_batch);
    /* At most one step per pattern so far; SDLM and SGD count none. */
    if ((h->moments == 0 && h->optim_steps > 0) ||
        (h->pass > 0 && h->optim_steps > (h->pass - 1) * h->count + h->done))
        return damaged(r, "optimiser steps", h->optim_steps);
    return LENET_OK;
}

/* The generator's name and state, which must be rng's kind. */
static lenet_status take_rng(model_reader *r, const gsl_rng *rng, held *h)
{
    const char *name = NULL;
    uint32_t size;
    lenet_status s = take_string(r, &name, "generator name");
    if (s)
        return s;
    if (!name || strcmp(name, gsl_rng_name(rng)) != 0) {
        s = lenet_fail(r->err, LENET_EFORMAT, "%s: the generator is '%s', "
                       "this program's is '%s'", r->path, name ? name : "",
                       gsl_rng_name(rng));
        free((char *)name);
        return s;
    }
    free((char *)name);
    if ((s = model_take_u32(r, &size, "generator state size")))
        return s;
    if (size != gsl_rng_size(rng))
        return lenet_fail(r->err, LENET_EFORMAT, "%s: the generator's state "
                          "is %lu bytes, this host's %s keeps %zu (a "
                          "checkpoint from another kind of machine?)",
                          r->path, (unsigned long)size, gsl_rng_name(rng),
                          gsl_rng_size(rng));
    if (!(h->state = malloc(size)))
        return lenet_fail(r->err, LENET_ENOMEM, "%s: out of memory", r->path);
    return model_take(r, h->state, size, "generator state");
}

/* Entry i of the held order. */
static uint64_t order_at(const held *h, uint64_t i)
{
    uint64_t v = 0;
    for (int b = 7; b >= 0; b--)
        v = (v << 8) | h->order[8 * i + (unsigned)b];
    return v;
}

/* What the checksum cannot vouch for: the order visits each of the count
   patterns once, and the parameters are numbers (checkpoint_save never
   writes one that is not). */
static lenet_status check_contents(model_reader *r, const held *h,
                                   size_t params)
{
    for (size_t k = 0; k < params; k++) {
        double x;
        model_decode_doubles(&x, h->arrays + 8 * k, 1);
        if (!isfinite(x))
            return damaged(r, "a parameter that is not finite at index", k);
    }
    unsigned char *seen = calloc(h->count, 1);
    if (!seen)
        return lenet_fail(r->err, LENET_ENOMEM, "%s: out of memory", r->path);
    lenet_status s = LENET_OK;
    for (uint64_t i = 0; i < h->count && !s; i++) {
        uint64_t v = order_at(h, i);
        if (v >= h->count || seen[v]++)
            s = damaged(r, "the order is not a permutation at position", i);
    }
    free(seen);
    return s;
}

/* Every field after the magic and version, checked, into h. */
static lenet_status take_all(model_reader *r, const net *n, const gsl_rng *rng,
                             held *h)
{
    lenet_status s;
    size_t params = n->num_params;
    if ((s = take_run(r, &h->run)) || (s = take_trainer_numbers(r, h)))
        return s;
    size_t strings = length_of(h->run.data_dir) +
                     length_of(h->run.model_path) + length_of(h->run.log_path);
    r->expected = file_size(strings, model_describe(n, NULL, 0), params,
                            h->moments, h->count, strlen(gsl_rng_name(rng)),
                            gsl_rng_size(rng));
    if (!(h->arrays = malloc((4 + h->moments) * 8 * params)) ||
        !(h->order = malloc(8 * h->count)))
        return lenet_fail(r->err, LENET_ENOMEM, "%s: out of memory", r->path);
    if ((s = model_take_net(r, n, h->arrays)) ||
        (s = model_take(r, h->arrays + 8 * params, 8 * params, "gradients")) ||
        (s = model_take(r, h->arrays + 16 * params, 8 * params, "h_kk")) ||
        (s = model_take(r, h->arrays + 24 * params, 8 * params, "steps")))
        return s;
    for (size_t k = 0; k < h->moments; k++)
        if ((s = model_take(r, h->arrays + (32 + 8 * k) * params, 8 * params,
                            h->moments == 1 ? "velocity" : moment_names[k])))
            return s;
    if ((s = model_take(r, h->order, 8 * h->count, "order")) ||
        (s = take_rng(r, rng, h)) || (s = model_take_checksum(r)))
        return s;
    return check_contents(r, h, params);
}

/* Gives the checked contents of h to t (new), n and rng. */
static lenet_status restore(const held *h, trainer *t, net *n, gsl_rng *rng)
{
    lenet_status s = trainer_init(t, n, &h->opt, (size_t)h->count, rng);
    if (s)
        return s;
    size_t params = n->num_params;
    model_decode_doubles(n->params, h->arrays, params);
    model_decode_doubles(n->grads, h->arrays + 8 * params, params);
    model_decode_doubles(t->h, h->arrays + 16 * params, params);
    model_decode_doubles(t->step, h->arrays + 24 * params, params);
    if (h->moments > 0)
        model_decode_doubles(t->optim.m, h->arrays + 32 * params, params);
    if (h->moments > 1)
        model_decode_doubles(t->optim.v, h->arrays + 40 * params, params);
    t->optim.steps = (unsigned long)h->optim_steps;
    for (size_t i = 0; i < t->count; i++)
        t->order[i] = (size_t)order_at(h, i);
    t->pass = (int)h->pass;
    t->done = (size_t)h->done;
    t->pass_loss = h->pass_loss;
    t->in_batch = (size_t)h->in_batch;
    memcpy(gsl_rng_state(rng), h->state, gsl_rng_size(rng));
    return LENET_OK;
}

lenet_status checkpoint_arch(const char *path, const net_arch **arch,
                             lenet_error *err)
{
    held h;
    memset(&h, 0, sizeof h);
    *arch = NULL;
    model_reader r;
    lenet_status s = model_reader_open(&r, path, "a checkpoint", err);
    if (!s && !(s = take_magic(&r)) && !(s = take_run(&r, &h.run)) &&
        !(s = take_trainer_numbers(&r, &h)))
        s = model_take_arch(&r, arch);
    model_reader_close(&r);
    held_free(&h);
    return s;
}

lenet_status checkpoint_load(trainer *t, net *n, gsl_rng *rng,
                             checkpoint_run *run, const char *path,
                             lenet_error *err)
{
    held h;
    memset(&h, 0, sizeof h);
    memset(t, 0, sizeof *t);
    memset(run, 0, sizeof *run);
    model_reader r;
    lenet_status s = model_reader_open(&r, path, "a checkpoint of this run",
                                       err);
    if (!s && !(s = take_magic(&r)))
        s = take_all(&r, n, rng, &h);
    model_reader_close(&r);
    if (!s && (s = restore(&h, t, n, rng)))
        lenet_fail(err, s, "%s: out of memory", path);
    if (!s) {
        *run = h.run;                      /* the strings move to run */
        memset(&h.run, 0, sizeof h.run);
    }
    held_free(&h);
    return s;
}
