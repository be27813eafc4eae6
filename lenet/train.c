/*
 * train.c: SDLM and SGD over one pattern at a time (§III, Appendix C);
 * momentum and Adam through optim.c; distortions through distort.c.
 */
#define _POSIX_C_SOURCE 200809L  /* pthreads */
#include "train.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_randist.h>

#include "distort.h"
#include "input.h"

size_t train_hessian_samples(size_t count)
{
    return count < TRAIN_HESSIAN_SAMPLES ? count : TRAIN_HESSIAN_SAMPLES;
}

//> train-eta
double train_eta(int pass)
{
    if (pass <= 2)
        return 0.0005;
    if (pass <= 5)
        return 0.0002;
    if (pass <= 8)
        return 0.0001;
    if (pass <= 12)
        return 0.00005;
    return 0.00001;
}
//< train-eta

lenet_status trainer_init(trainer *t, net *n, const train_options *opt,
                          size_t count, gsl_rng *rng)
{
    memset(t, 0, sizeof *t);
    int batched = opt->method != TRAIN_SDLM;
    if (count == 0 || (batched && opt->batch == 0) ||
        !(opt->distort >= 0.0 && opt->distort <= 1.0))
        return LENET_EINVAL;
    t->n = n;
    t->opt = *opt;
    t->rng = rng;
    t->count = count;
    net_zero_grad(n);
    t->h = net_alloc_vector(n);
    t->step = net_alloc_vector(n);
    t->order = malloc(count * sizeof *t->order);
    if (!t->h || !t->step || !t->order) {
        trainer_free(t);
        return LENET_ENOMEM;
    }
    if (opt->method == TRAIN_MOMENTUM || opt->method == TRAIN_ADAM) {
        lenet_status s = optim_init(&t->optim, opt->method == TRAIN_ADAM ?
                                    OPTIM_ADAM : OPTIM_MOMENTUM,
                                    n->num_params, opt->sgd_rate);
        if (s) {
            trainer_free(t);
            return s;
        }
    }
    t->threads = 1;
    if (batched && opt->batch > 1) {
        lenet_status s = net_clone(&t->twin, n);
        t->losses = malloc(opt->batch * sizeof *t->losses);
        t->draws = malloc(opt->batch * sizeof *t->draws);
        if (s || !t->losses || !t->draws) {
            trainer_free(t);
            return s ? s : LENET_ENOMEM;
        }
    }
    for (size_t i = 0; i < count; i++)
        t->order[i] = i;
    return LENET_OK;
}

void trainer_free(trainer *t)
{
    net_free_vector(t->n, t->h);
    net_free_vector(t->n, t->step);
    free(t->order);
    t->h = t->step = NULL;
    t->order = NULL;
    optim_free(&t->optim);
    net_free(&t->twin);
    free(t->losses);
    free(t->draws);
    t->losses = NULL;
    t->draws = NULL;
}

/* Whether the next pattern is distorted, and how: with probability
   opt.distort, from the trainer's generator. */
static train_draw draw(trainer *t)
{
    train_draw w = { 0 };
    if (t->opt.distort > 0.0 && gsl_rng_uniform(t->rng) < t->opt.distort) {
        w.distorted = 1;
        w.p = distort_draw(t->rng);
    }
    return w;
}

/* Runs pattern i of d through n as drawn, with buffers digit and input,
   as part 0 of `team` (NULL: alone). */
static int present_as(net *n, net_team *team, const train_data *d, size_t i,
                      const train_draw *w, unsigned char *digit_buffer,
                      double *input)
{
    const unsigned char *digit = d->images + i * 28 * 28;
    if (w->distorted) {
        distort_apply(digit_buffer, digit, &w->p);
        digit = digit_buffer;
    }
    input_forward(input, digit);
    net_forward_part(n, input, team, 0);
    return d->labels[i];
}

/* Asks for pattern i's digit to be brought into the cache. The patterns
   come in shuffled order, so a digit is rarely in any cache when its turn
   comes; fetched during the pattern before, it is there (0.8 us a step
   saved: chapter 10). A hint: it changes no value. */
static void prefetch_digit(const train_data *d, size_t i)
{
    const unsigned char *digit = d->images + i * 28 * 28;
    for (int b = 0; b < 28 * 28; b += 64)
        __builtin_prefetch(digit + b);
    __builtin_prefetch(digit + 28 * 28 - 1);
}

/* Runs pattern i of d forward, distorted as drawn now; returns its label. */
static int present(trainer *t, net_team *team, const train_data *d, size_t i)
{
    train_draw w = draw(t);
    return present_as(t->n, team, d, i, &w, t->digit, t->input);
}

//> sdlm-estimate
/* h_kk: the mean over TRAIN_HESSIAN_SAMPLES random patterns (fewer for
   a smaller set: train.h) of the Gauss-Newton second derivatives
   (net_backward2). */
static void estimate_hessian(trainer *t, const train_data *d)
{
    size_t samples = train_hessian_samples(d->count);
    memset(t->h, 0, t->n->num_params * sizeof *t->h);
    for (size_t s = 0; s < samples; s++) {
        size_t i = gsl_rng_uniform_int(t->rng, d->count);
        int label = present(t, NULL, d, i);
        net_backward2(t->n, label, t->h);
    }
    for (size_t k = 0; k < t->n->num_params; k++)
        t->h[k] /= (double)samples;
}

void trainer_begin_pass(trainer *t, const train_data *d, int pass)
{
    t->pass = pass;
    t->done = 0;
    t->pass_loss = 0.0;
    gsl_ran_shuffle(t->rng, t->order, t->count, sizeof *t->order);
    if (t->opt.method == TRAIN_SDLM) {
        estimate_hessian(t, d);
        double eta = train_eta(pass);
        for (size_t k = 0; k < t->n->num_params; k++)
            t->step[k] = eta / (t->opt.mu + t->h[k]);
    } else {
        for (size_t k = 0; k < t->n->num_params; k++)
            t->step[k] = t->opt.sgd_rate / (double)t->opt.batch;
    }
}
//< sdlm-estimate

/* Momentum and Adam: one optim_step on the mean gradient of the
   `patterns` patterns summed in grads. */
static void optim_update(trainer *t, size_t patterns)
{
    double *g = t->n->grads;
    for (size_t k = 0; k < t->n->num_params; k++)
        g[k] /= (double)patterns;
    optim_step(&t->optim, t->n->params, g);
    memset(g, 0, t->n->num_params * sizeof *g);
}

//> train-fuse
/* params -= step * grads, then grads = 0, for count parameters from first. */
static void step_params(trainer *t, double *first, size_t count)
{
    size_t at = first - t->n->params;
    double *w = first, *g = t->n->grads + at;
    const double *step = t->step + at;
    for (size_t k = 0; k < count; k++) {
        w[k] -= step[k] * g[k];
        g[k] = 0.0;
    }
}

/*
 * With one pattern per update, the convolutions and F6 take their steps
 * in net_backward itself (conv.h, full.h): the same arithmetic, without a
 * second trip through 60,000 gradients. Setting `step` turns that on;
 * NULL turns it off.
 */
static void layers_step(net *n, const double *step)
{
    n->c1.step = step ? step + (n->c1.w - n->params) : NULL;
    n->c3.step = step ? step + (n->c3.w - n->params) : NULL;
    n->c5.step = step ? step + (n->c5.w - n->params) : NULL;
    n->f6.step = step ? step + (n->f6.w - n->params) : NULL;
}
//< train-fuse

/* Whether the layers step themselves, given one pattern per update: with
   a per-parameter step (SDLM, or SGD), in a network whose only other
   parameters are S2's and S4's (trainable subsampling, RBF output). */
static int fused(const trainer *t)
{
    const net_arch *a = t->n->arch;
    return (t->opt.method == TRAIN_SDLM || t->opt.method == TRAIN_SGD) &&
           a->pooling == NET_SUBSAMPLE && a->output == NET_RBF;
}

static void update(trainer *t, size_t patterns);   /* below */

//> train-batch
/*
 * Mini-batches on two cores. A batch's patterns are cut in two halves; the
 * first runs through the trainer's network, the second through its twin
 * (a copy with the same weights), each into its own gradients, and the
 * batch's gradient is the first half's sum plus the second's. With two
 * threads the halves run at once, with one they run in turn: the same
 * additions in the same order, so the same model bit for bit. What the
 * generator decides (the distortions) is drawn for the whole batch first,
 * in pattern order, as one thread would draw it.
 */
typedef struct {
    trainer *t;
    net *n;                     /* the trainer's network or its twin */
    const train_data *d;
    size_t first, from, to;     /* the batch's first position; the half's */
    unsigned char digit[28 * 28];
    double input[32 * 32];
} batch_half;

/* The half's patterns forward and back; a loss that is not a number stops
   it before that pattern's backward pass. */
static void *run_half(void *arg)
{
    batch_half *h = arg;
    const trainer *t = h->t;
    for (size_t k = h->from; k < h->to; k++) {
        const train_draw *w = &t->draws[k - h->first];
        int label = present_as(h->n, NULL, h->d, t->order[k], w, h->digit,
                               h->input);
        double loss = net_loss(h->n, label, t->opt.loss);
        t->losses[k - h->first] = loss;
        if (!isfinite(loss))
            break;
        net_backward(h->n, label, t->opt.loss);
    }
    return NULL;
}

/* The batch that starts at t->done (or the pass's last, shorter one). */
static train_health run_batch(trainer *t, const train_data *d)
{
    net *n = t->n, *twin = &t->twin;
    size_t first = t->done, size = t->opt.batch;
    if (size > t->count - first)
        size = t->count - first;
    for (size_t k = 0; k < size; k++)
        t->draws[k] = draw(t);
    memcpy(twin->params, n->params, n->num_params * sizeof *n->params);

    batch_half one = { t, n, d, first, first, first + size / 2, { 0 }, { 0 } };
    batch_half two = { t, twin, d, first, first + size / 2, first + size,
                       { 0 }, { 0 } };
    pthread_t id;
    int started = t->threads > 1 &&
                  pthread_create(&id, NULL, run_half, &two) == 0;
    run_half(&one);
    if (started)
        pthread_join(id, NULL);
    else
        run_half(&two);

    for (size_t k = 0; k < size; k++) {          /* the losses in order */
        if (!isfinite(t->losses[k])) {
            t->done = first + k;
            return TRAIN_LOSS_NOT_FINITE;
        }
        t->pass_loss += t->losses[k];
    }
    for (size_t j = 0; j < n->num_params; j++) {
        n->grads[j] += twin->grads[j];
        twin->grads[j] = 0.0;
    }
    update(t, t->in_batch + size);    /* in_batch: 0 but after a load */
    t->in_batch = 0;
    t->done = first + size;
    return TRAIN_FINITE;
}
//< train-batch

//> train-run
/* Steps what net_backward left as gradients, the sum over `patterns`
   patterns: S2's and S4's parameters when the other layers step
   themselves, else all of them. */
static void update(trainer *t, size_t patterns)
{
    if (t->opt.method == TRAIN_MOMENTUM || t->opt.method == TRAIN_ADAM) {
        optim_update(t, patterns);
        return;
    }
    net *n = t->n;
    if (n->c1.step) {             /* only S2 and S4 have gradients to step */
        step_params(t, n->s2.coef, subsample_num_params(&n->s2));
        step_params(t, n->s4.coef, subsample_num_params(&n->s4));
    } else {
        step_params(t, n->params, n->num_params);
    }
}

//> train-team
/* Part 1 of a team of two: its share of every pattern's passes, until part
   0 halts the team. */
typedef struct {
    net *n;
    net_team *team;
    loss_kind kind;
} team_helper;

static void *help(void *arg)
{
    team_helper *h = arg;
    while (net_forward_part(h->n, NULL, h->team, 1) &&
           net_backward_part(h->n, 0, h->kind, h->team, 1))
        ;
    return NULL;
}

/*
 * One update per pattern (SDLM, or a batch of 1). With two threads, each
 * pattern's passes are shared: this thread runs part 0, a helper part 1
 * (net.h). The update of S2 and S4 (or of every parameter, when the
 * layers do not step themselves) comes after the last meeting, by this
 * thread alone, before the next pattern's first.
 */
static train_health run_patterns(trainer *t, const train_data *d, size_t to)
{
    train_health health = TRAIN_FINITE;
    net_team team, *shared = NULL;
    team_helper helper = { t->n, &team, t->opt.loss };
    pthread_t id;

    layers_step(t->n, fused(t) ? t->step : NULL);
    if (t->threads > 1 && !t->n->input_gradient) {
        team_init(&team, 2);
        if (pthread_create(&id, NULL, help, &helper) == 0)
            shared = &team;
    }
    for (; t->done < to && t->done < t->count; t->done++) {
        if (t->done + 1 < t->count)
            prefetch_digit(d, t->order[t->done + 1]);
        int label = present(t, shared, d, t->order[t->done]);
        double loss = net_loss(t->n, label, t->opt.loss);
        if (!isfinite(loss)) {
            health = TRAIN_LOSS_NOT_FINITE;
            break;
        }
        t->pass_loss += loss;
        net_backward_part(t->n, label, t->opt.loss, shared, 0);
        update(t, 1);
    }
    if (shared) {
        team_halt(shared);
        pthread_join(id, NULL);
    }
    layers_step(t->n, NULL);
    return health;
}
//< train-team

train_health trainer_run(trainer *t, const train_data *d, size_t to)
{
    train_health health = TRAIN_FINITE;
    if (!t->twin.params)             /* no twin: one pattern per update */
        health = run_patterns(t, d, to);
    while (t->twin.params && health == TRAIN_FINITE && t->done < to &&
           t->done < t->count)
        health = run_batch(t, d);
    if (health == TRAIN_FINITE && !train_params_finite(t->n))
        health = TRAIN_PARAMS_NOT_FINITE;
    return health;
}
//< train-run

int train_params_finite(const net *n)
{
    for (size_t k = 0; k < n->num_params; k++)
        if (!isfinite(n->params[k]))
            return 0;
    return 1;
}

void trainer_step_range(const trainer *t, double *smallest, double *largest)
{
    *smallest = *largest = t->step[0];
    for (size_t k = 1; k < t->n->num_params; k++) {
        if (t->step[k] < *smallest)
            *smallest = t->step[k];
        if (t->step[k] > *largest)
            *largest = t->step[k];
    }
}

//> train-evaluate
/* Patterns [from, to) of d through n: the summed loss, errors, confusion. */
typedef struct {
    const train_data *d;
    loss_kind loss;
    size_t from, to;
    double total;
    size_t errors;
    unsigned long confusion[10][10];
} eval_part;

static void evaluate_part(net *n, eval_part *p)
{
    double input[NET_BATCH][32 * 32], y[NET_BATCH][RBF_CLASSES];
    for (size_t i = p->from; i < p->to; i += NET_BATCH) {
        int count = p->to - i < NET_BATCH ? (int)(p->to - i) : NET_BATCH;
        for (int b = 0; b < count; b++)
            input_forward(input[b], p->d->images + (i + b) * 28 * 28);
        net_forward_batch(n, input[0], count, y[0]);
        for (int b = 0; b < count; b++) {
            int label = p->d->labels[i + b], guess = net_predict_of(n, y[b]);
            p->total += net_loss_of(n, y[b], label, p->loss);
            p->errors += guess != label;
            p->confusion[label][guess]++;
        }
    }
}

/* One thread's share: parts first, first + step, ... through its own net. */
typedef struct {
    net *n;
    eval_part *parts;
    int first, step;
} eval_worker;

static void *evaluate_parts(void *arg)
{
    eval_worker *w = arg;
    for (int i = w->first; i < TRAIN_EVAL_PARTS; i += w->step)
        evaluate_part(w->n, &w->parts[i]);
    return NULL;
}

train_score train_evaluate_threads(net *n, const train_data *d,
                                   loss_kind loss, size_t limit,
                                   unsigned long confusion[10][10],
                                   int threads)
{
    size_t count = limit && limit < d->count ? limit : d->count;
    eval_part parts[TRAIN_EVAL_PARTS];
    for (int i = 0; i < TRAIN_EVAL_PARTS; i++)
        parts[i] = (eval_part){ .d = d, .loss = loss,
                                .from = count * i / TRAIN_EVAL_PARTS,
                                .to = count * (i + 1) / TRAIN_EVAL_PARTS };

    /* Threads 1.. run their parts through copies of n; thread 0 (this
       one) runs its own, and any whose thread could not be started. */
    if (threads > TRAIN_EVAL_PARTS)
        threads = TRAIN_EVAL_PARTS;
    if (threads < 1)
        threads = 1;
    net copy[TRAIN_EVAL_PARTS];
    eval_worker worker[TRAIN_EVAL_PARTS];
    pthread_t id[TRAIN_EVAL_PARTS];
    int started[TRAIN_EVAL_PARTS] = { 0 };
    for (int t = 0; t < threads; t++)
        worker[t] = (eval_worker){ .n = n, .parts = parts,
                                   .first = t, .step = threads };
    for (int t = 1; t < threads; t++) {
        if (net_clone(&copy[t], n))
            continue;
        worker[t].n = &copy[t];
        started[t] = pthread_create(&id[t], NULL, evaluate_parts,
                                    &worker[t]) == 0;
        if (!started[t])
            net_free(&copy[t]);
    }
    evaluate_parts(&worker[0]);
    for (int t = 1; t < threads; t++) {
        if (started[t]) {
            pthread_join(id[t], NULL);
            net_free(&copy[t]);
        } else {
            worker[t].n = n;
            evaluate_parts(&worker[t]);
        }
    }

    /* The parts in order: the same sums whatever the number of threads. */
    train_score s = { .count = count };
    double total = 0.0;
    for (int i = 0; i < TRAIN_EVAL_PARTS; i++) {
        total += parts[i].total;
        s.errors += parts[i].errors;
        for (int a = 0; confusion && a < 10; a++)
            for (int b = 0; b < 10; b++)
                confusion[a][b] += parts[i].confusion[a][b];
    }
    s.loss = count ? total / (double)count : 0.0;
    return s;
}
//< train-evaluate

train_score train_evaluate(net *n, const train_data *d, loss_kind loss,
                           size_t limit, unsigned long confusion[10][10])
{
    return train_evaluate_threads(n, d, loss, limit, confusion, 1);
}
