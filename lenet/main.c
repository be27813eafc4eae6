/*
 * main.c: the `lenet` command. Each verb is one function; main() only picks
 * the verb. This is the one place that prints errors and exits: every
 * failure is one line naming the file or flag and the problem, and a
 * non-zero status (2 for a bad command line, 1 for anything else).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checkpoint.h"
#include "dump.h"
#include "image.h"
#include "input.h"
#include "mnist.h"
#include "model.h"
#include "net.h"
#include "progress.h"
#include "train.h"

static const char usage[] =
    "usage: lenet <verb> [options]   (lenet <verb> --help for its options)\n"
    "\n"
    "LeNet-5 (LeCun, Bottou, Bengio, Haffner 1998), in C.\n"
    "\n"
    "verbs:\n"
    "  summary    the layers, their output shapes, trainable parameters and\n"
    "             connections, with the totals (the paper's §II.B)\n"
    "  train      train on MNIST the paper's way (SDLM, §III), or with SGD\n"
    "  test       a model's test error and confusion matrix\n"
    "  predict    the digit in PGM or PNG images\n"
    "  dump       a model's maps, kernels, mistakes as text for the figures\n"
    "  help       this message (also: -h, --help)\n";

/* ---- options: one table per verb -------------------------------------- */

typedef enum { OPT_STRING, OPT_COUNT, OPT_REAL, OPT_CHOICE, OPT_FLAG } opt_kind;

typedef struct {
    const char *name;          /* without the dashes */
    opt_kind kind;
    void *value;               /* const char **, long *, double *, int *
                                  (OPT_CHOICE: the index; OPT_FLAG: 1 if
                                  given, and it takes no value) */
    double min, max;           /* OPT_COUNT, OPT_REAL */
    const char *const *choices;   /* OPT_CHOICE: NULL-terminated */
    const char *help;
} option;

static void print_options(const char *verb, const char *synopsis,
                          const option *opts)
{
    printf("usage: lenet %s %s\n\noptions:\n", verb, synopsis);
    for (const option *o = opts; o->name; o++) {
        if (strlen(o->name) > 14)             /* the help on a line of its own */
            printf("  --%s\n%19s%s\n", o->name, "", o->help);
        else
            printf("  --%-14s %s\n", o->name, o->help);
    }
    printf("  --%-14s %s\n", "help", "this message");
}

/*
 * Parses --name VALUE and --name=VALUE against opts; anything else goes to
 * positional[] (at most max_positional). Returns -1 after --help, 0 when
 * all is well, 2 after printing the one-line error.
 */
static int parse_options(const char *verb, int argc, char **argv,
                         const option *opts, const char **positional,
                         int max_positional, int *npositional)
{
    *npositional = 0;
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        if (!strcmp(arg, "--help") || !strcmp(arg, "-h"))
            return -1;
        if (strncmp(arg, "--", 2) != 0) {
            if (*npositional == max_positional) {
                fprintf(stderr, "lenet %s: unexpected argument '%s'\n", verb, arg);
                return 2;
            }
            positional[(*npositional)++] = arg;
            continue;
        }
        const char *name = arg + 2, *eq = strchr(name, '=');
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
        const option *o = opts;
        while (o->name && !(strlen(o->name) == len && !strncmp(o->name, name, len)))
            o++;
        if (!o->name) {
            fprintf(stderr, "lenet %s: unknown option '--%.*s' (try 'lenet %s --help')\n",
                    verb, (int)len, name, verb);
            return 2;
        }
        if (o->kind == OPT_FLAG) {
            if (eq) {
                fprintf(stderr, "lenet %s: --%s takes no value\n", verb, o->name);
                return 2;
            }
            *(int *)o->value = 1;
            continue;
        }
        const char *value = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
        if (!value) {
            fprintf(stderr, "lenet %s: --%s needs a value\n", verb, o->name);
            return 2;
        }
        char *end;
        errno = 0;
        switch (o->kind) {
        case OPT_STRING:
            if (!*value) {
                fprintf(stderr, "lenet %s: --%s needs a non-empty value\n", verb, o->name);
                return 2;
            }
            *(const char **)o->value = value;
            break;
        case OPT_COUNT: {
            long v = strtol(value, &end, 10);
            if (!*value || *end || errno || v < o->min || v > o->max) {
                fprintf(stderr, "lenet %s: --%s: '%s' is not a whole number from %.0f to %.0f\n",
                        verb, o->name, value, o->min, o->max);
                return 2;
            }
            *(long *)o->value = v;
            break;
        }
        case OPT_REAL: {
            double v = strtod(value, &end);
            if (!*value || *end || errno || !(v >= o->min && v <= o->max)) {
                fprintf(stderr, "lenet %s: --%s: '%s' is not a number from %g to %g\n",
                        verb, o->name, value, o->min, o->max);
                return 2;
            }
            *(double *)o->value = v;
            break;
        }
        case OPT_FLAG:
            break;
        case OPT_CHOICE: {
            int k = 0;
            while (o->choices[k] && strcmp(o->choices[k], value))
                k++;
            if (!o->choices[k]) {
                fprintf(stderr, "lenet %s: --%s: '%s' is not one of", verb, o->name, value);
                for (k = 0; o->choices[k]; k++)
                    fprintf(stderr, " %s", o->choices[k]);
                fputc('\n', stderr);
                return 2;
            }
            *(int *)o->value = k;
            break;
        }
        }
    }
    return 0;
}

/* ---- summary ----------------------------------------------------------- */

/* Digits grouped by thousands: 122304 -> "122,304". */
static const char *grouped(size_t value, char buf[32])
{
    char plain[32];
    int len = snprintf(plain, sizeof plain, "%zu", value), out = 0;
    for (int i = 0; i < len; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            buf[out++] = ',';
        buf[out++] = plain[i];
    }
    buf[out] = '\0';
    return buf;
}

/* The architectures --arch names, in net_archs' order (main fills it). */
static const char *arch_names[NET_ARCHS + 1];
#define ARCH_HELP "paper (default: §II.B), modern (ReLU, max-pool, full C3, softmax), tanh-avg, or the paper's with one change: paper-relu, paper-maxpool, paper-avgpool, paper-fullc3, paper-softmax"
/* For the verbs that read a model: the file names its architecture. */
#define MODEL_ARCH_HELP "the model's architecture, which the file records: if given, it must be the file's (paper, modern, tanh-avg, paper-relu, ...)"

/* The index of arch in arch_names[]. */
static int arch_index(const net_arch *arch)
{
    int i = 0;
    while (net_archs[i] && net_archs[i] != arch)
        i++;
    return net_archs[i] ? i : 0;
}

/* Builds the network of architecture arch_names[arch] or says why not. */
static int build(net *n, const char *verb, int arch)
{
    lenet_status s = net_init_arch(n, net_arch_find(arch_names[arch]));
    if (s)
        fprintf(stderr, "lenet %s: cannot build the network: %s\n", verb,
                lenet_strerror(s));
    return s ? 1 : 0;
}

static int cmd_summary(int argc, char **argv)
{
    int arch = 0;
    const option opts[] = {
        { "arch", OPT_CHOICE, &arch, 0, 0, arch_names, ARCH_HELP },
        { 0 }
    };
    int npos, r = parse_options("summary", argc, argv, opts, NULL, 0, &npos);
    if (r < 0) {
        print_options("summary", "[--arch NAME]", opts);
        return 0;
    }
    net n;
    if (r || build(&n, "summary", arch))
        return r ? r : 1;
    if (arch)
        printf("architecture: %s\n\n", arch_names[arch]);
    net_layer_info info[NET_LAYERS];
    net_describe(&n, info);

    char a[32], b[32], shape[32];
    size_t trainable = 0, fixed = 0, connections = 0;
    printf("%-7s %-14s %-13s %14s %12s\n", "layer", "type", "output shape",
           "params", "connections");
    printf("%-7s %-14s %-13s %14s %12s\n", "-----", "----", "------------",
           "------", "-----------");
    snprintf(shape, sizeof shape, "%d@%dx%d", n.c1.in_maps, n.c1.in_rows,
             n.c1.in_cols);
    printf("%-7s %-14s %-13s %14s %12s\n", "input", "image", shape, "0", "0");
    for (int i = 0; i < NET_LAYERS; i++) {
        if (info[i].rows == 0)
            snprintf(shape, sizeof shape, "%d", info[i].maps);
        else
            snprintf(shape, sizeof shape, "%d@%dx%d", info[i].maps,
                     info[i].rows, info[i].cols);
        char params[40];
        snprintf(params, sizeof params, "%s%s", grouped(info[i].params, a),
                 info[i].trainable ? "" : " fixed");
        printf("%-7s %-14s %-13s %14s %12s\n", info[i].name, info[i].type,
               shape, params, grouped(info[i].connections, b));
        *(info[i].trainable ? &trainable : &fixed) += info[i].params;
        connections += info[i].connections;
    }
    printf("\ntrainable parameters: %s\n", grouped(trainable, a));
    if (fixed)
        printf("fixed parameters:     %s (the RBF bitmaps)\n", grouped(fixed, a));
    printf("connections:          %s\n", grouped(connections, a));
    net_free(&n);
    return 0;
}

/* ---- train ------------------------------------------------------------- */

static volatile sig_atomic_t interrupted;   /* the signal, or 0 */

static void on_signal(int sig)
{
    interrupted = sig;
}

static train_data as_data(const mnist *m, size_t limit)
{
    train_data d = { m->images, m->labels, m->count };
    if (limit && limit < d.count)
        d.count = limit;
    return d;
}

/* Loads the data directory and checks the images are 28x28. */
static int load_data(const char *verb, const char *dir, mnist *train,
                     mnist *test)
{
    lenet_error err;
    if (mnist_load_dir(train, test, dir, &err)) {
        fprintf(stderr, "lenet %s: %s\n", verb, err.message);
        return 1;
    }
    if (train->rows != 28 || train->cols != 28 || test->rows != 28 ||
        test->cols != 28) {
        fprintf(stderr, "lenet %s: %s: images are %dx%d, LeNet-5 reads 28x28 MNIST digits\n",
                verb, dir, train->rows, train->cols);
        mnist_free(train);
        mnist_free(test);
        return 1;
    }
    return 0;
}

static const char *const optimizers[] = { "sdlm", "sgd", "momentum", "adam", NULL };
static const train_method optimizer_methods[] = { TRAIN_SDLM, TRAIN_SGD,
                                                  TRAIN_MOMENTUM, TRAIN_ADAM };
static const char *const losses[] = { "map", "ml", NULL };

/* The processor's cores, at most TRAIN_EVAL_PARTS: the evaluations'
   threads (their numbers do not depend on how many, train.h). */
static int cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > TRAIN_EVAL_PARTS ? TRAIN_EVAL_PARTS : (int)n;
}

/* What `lenet train` was told. */
typedef struct {
    const char *data_dir, *model_path, *log_path;
    const char *checkpoint_path, *resume_path;
    long passes, seed, train_limit, test_limit, batch;
    int optimizer, loss;       /* indices into optimizers[] and losses[] */
    int distort;               /* --distort given */
    int arch;                  /* index into arch_names[] */
    double mu, rate, minutes;
    long threads;              /* for the evaluations (same numbers for any) */
} train_settings;

enum { TRAIN_OPTIONS = 19 };   /* the table below, with its end */

static void train_option_table(train_settings *s, option opts[TRAIN_OPTIONS])
{
    const option table[TRAIN_OPTIONS] = {
        { "data", OPT_STRING, &s->data_dir, 0, 0, NULL, "MNIST directory (default data/mnist)" },
        { "arch", OPT_CHOICE, &s->arch, 0, 0, arch_names, ARCH_HELP },
        { "passes", OPT_COUNT, &s->passes, 1, 1000, NULL, "passes over the training set (default 20)" },
        { "seed", OPT_COUNT, &s->seed, 0, (double)LONG_MAX, NULL, "fixes initialisation and order (default 1)" },
        { "optimizer", OPT_CHOICE, &s->optimizer, 0, 0, optimizers, "sdlm (the paper's, default), sgd, momentum or adam" },
        { "loss", OPT_CHOICE, &s->loss, 0, 0, losses, "map (eq. 9, default) or ml (eq. 8)" },
        { "mu", OPT_REAL, &s->mu, 1e-6, 100, NULL, "sdlm: the floor under h_kk (default 0.5; the paper's: 0.02)" },
        { "rate", OPT_REAL, &s->rate, 1e-9, 10, NULL, "sgd, momentum, adam: the step (default 0.001)" },
        { "batch", OPT_COUNT, &s->batch, 1, 60000, NULL, "sgd, momentum, adam: patterns per update (default 1)" },
        { "distort", OPT_FLAG, &s->distort, 0, 0, NULL, "distort 9 in 10 training patterns as presented (§III.C)" },
        { "train-limit", OPT_COUNT, &s->train_limit, 1, 60000, NULL, "train on the first N images only" },
        { "test-limit", OPT_COUNT, &s->test_limit, 1, 10000, NULL, "test on the first N images only" },
        { "model", OPT_STRING, &s->model_path, 0, 0, NULL, "where to save the model (default lenet5.model)" },
        { "log", OPT_STRING, &s->log_path, 0, 0, NULL, "CSV file: one row per pass" },
        { "checkpoint", OPT_STRING, &s->checkpoint_path, 0, 0, NULL, "save the whole run here after each pass and on Ctrl-C" },
        { "checkpoint-minutes", OPT_REAL, &s->minutes, 0, 1e6, NULL, "minutes between checkpoints within a pass (default 10)" },
        { "resume", OPT_STRING, &s->resume_path, 0, 0, NULL, "continue the run saved in this checkpoint" },
        { "threads", OPT_COUNT, &s->threads, 1, TRAIN_EVAL_PARTS, NULL, "threads: 2 train (each pattern or mini-batch shared), up to 4 test (default: one per core)" },
        { 0 }
    };
    memcpy(opts, table, sizeof table);
}

/* The options a checkpoint fixes: with another value it is another run. */
static int fixed_by_checkpoint(const char *name)
{
    static const char *const fixed[] = { "passes", "seed", "optimizer",
        "loss", "mu", "rate", "batch", "train-limit", "test-limit",
        "distort", "arch", NULL };
    for (int i = 0; fixed[i]; i++)
        if (!strcmp(name, fixed[i]))
            return 1;
    return 0;
}

/* An option's value as text; when `exact`, the same text means the same
   value (doubles to 17 digits). */
static const char *value_text(const option *o, int exact, char buf[64])
{
    switch (o->kind) {
    case OPT_COUNT:
        snprintf(buf, 64, "%ld", *(const long *)o->value);
        break;
    case OPT_REAL:
        snprintf(buf, 64, exact ? "%.17g" : "%g", *(const double *)o->value);
        break;
    case OPT_CHOICE:
        snprintf(buf, 64, "%s", o->choices[*(const int *)o->value]);
        break;
    case OPT_FLAG:
        snprintf(buf, 64, "%s", *(const int *)o->value ? "on" : "off");
        break;
    case OPT_STRING: {
        const char *text = *(const char *const *)o->value;
        snprintf(buf, 64, "%s", text ? text : "");
        break;
    }
    }
    return buf;
}

/* Everything `lenet train` works with. */
typedef struct {
    train_settings set;
    net n;
    gsl_rng *rng;
    trainer t;
    mnist train_set, test_set;
    train_data train, test;
    checkpoint_run run;        /* what each checkpoint records */
    checkpoint_run stored;     /* what --resume read (owns its strings) */
    FILE *log;
    double last_checkpoint;    /* progress_now() of the last one */
} training;

static void settings_from_checkpoint(train_settings *s,
                                     const checkpoint_run *run,
                                     const train_options *opt)
{
    s->passes = run->passes;
    s->seed = (long)run->seed;
    s->train_limit = (long)run->train_limit;
    s->test_limit = (long)run->test_limit;
    s->optimizer = 0;
    while (optimizer_methods[s->optimizer] != opt->method)
        s->optimizer++;
    s->distort = opt->distort > 0.0;
    s->loss = opt->loss == LOSS_MAP ? 0 : 1;
    s->mu = opt->mu;
    s->rate = opt->sgd_rate;
    s->batch = (long)opt->batch;
    if (run->data_dir)
        s->data_dir = run->data_dir;
    if (run->model_path)
        s->model_path = run->model_path;
    s->log_path = run->log_path;
    s->checkpoint_path = s->resume_path;
}

/*
 * --resume: the trainer, network and generator from the checkpoint, and
 * the settings from it too. The command line is read again on top: it may
 * move the files (--data, --model, --log, --checkpoint) but not change the
 * run, so an option the checkpoint fixes must repeat its value or be left
 * out.
 */
static int resume_run(training *tr, int argc, char **argv, option *opts)
{
    lenet_error err;
    const char *path = tr->set.resume_path;
    if (checkpoint_load(&tr->t, &tr->n, tr->rng, &tr->stored, path, &err)) {
        fprintf(stderr, "lenet train: %s\n", err.message);
        return 1;
    }
    settings_from_checkpoint(&tr->set, &tr->stored, &tr->t.opt);
    train_settings stored = tr->set;
    option stored_opts[TRAIN_OPTIONS];
    train_option_table(&stored, stored_opts);
    int npos;
    parse_options("train", argc, argv, opts, NULL, 0, &npos);
    int status = 0;
    for (int i = 0; opts[i].name; i++) {
        char given[64], kept[64];
        if (!fixed_by_checkpoint(opts[i].name) ||
            !strcmp(value_text(&opts[i], 1, given),
                    value_text(&stored_opts[i], 1, kept)))
            continue;
        fprintf(stderr, "lenet train: --%s %s conflicts with the run in %s, "
                "which has --%s %s: leave --%s out to resume that run\n",
                opts[i].name, value_text(&opts[i], 0, given), path,
                opts[i].name, value_text(&stored_opts[i], 0, kept),
                opts[i].name);
        status = 2;
    }
    return status;
}

/* --resume: the network of the run in the checkpoint, to build before
   loading it (an --arch that differs is refused by resume_run). */
static int resume_arch(train_settings *s)
{
    lenet_error err;
    const net_arch *arch;
    if (checkpoint_arch(s->resume_path, &arch, &err)) {
        fprintf(stderr, "lenet train: %s\n", err.message);
        return 1;
    }
    s->arch = arch_index(arch);
    return 0;
}

/* A new run: the network drawn from the seed, a new trainer. */
static int start_run(training *tr)
{
    const train_settings *s = &tr->set;
    gsl_rng_set(tr->rng, (unsigned long)s->seed);
    net_randomize(&tr->n, tr->rng);
    train_options opt = { optimizer_methods[s->optimizer],
                          s->loss == 0 ? LOSS_MAP : LOSS_ML, s->mu, s->rate,
                          (size_t)s->batch,
                          s->distort ? TRAIN_DISTORT_PAPER : 0.0 };
    if (trainer_init(&tr->t, &tr->n, &opt, tr->train.count, tr->rng)) {
        fprintf(stderr, "lenet train: out of memory\n");
        return 1;
    }
    return 0;
}

/* The model, checkpoint and log paths can be written: before the data
   are read. A resumed run appends to its log. */
static int check_outputs(training *tr)
{
    const train_settings *s = &tr->set;
    lenet_error err;
    if (model_check_writable(s->model_path, &err) ||
        (s->checkpoint_path && model_check_writable(s->checkpoint_path, &err))) {
        fprintf(stderr, "lenet train: %s\n", err.message);
        return 1;
    }
    if (s->log_path && !(tr->log = fopen(s->log_path, s->resume_path ? "a" : "w"))) {
        fprintf(stderr, "lenet train: %s: cannot write: %s\n", s->log_path,
                strerror(errno));
        return 1;
    }
    if (tr->log && fseek(tr->log, 0, SEEK_END) == 0 && ftell(tr->log) == 0)
        fprintf(tr->log, "pass,eta,train_loss,train_error,test_error,seconds\n");
    return 0;
}

/* The model and the checkpoint fit on their disks now. */
static int check_room(training *tr)
{
    lenet_error err;
    const train_settings *s = &tr->set;
    size_t model_bytes = model_describe(&tr->n, NULL, 0) + 8 * tr->n.num_params + 64;
    if (model_check_room(s->model_path, model_bytes, &err) ||
        (s->checkpoint_path &&
         model_check_room(s->checkpoint_path, checkpoint_size(&tr->t, &tr->run), &err))) {
        fprintf(stderr, "lenet train: %s\n", err.message);
        return 1;
    }
    return 0;
}

/* The data, limited as the settings say; for a resumed run, the same
   images as before. */
static int prepare_data(training *tr)
{
    const train_settings *s = &tr->set;
    if (load_data("train", s->data_dir, &tr->train_set, &tr->test_set))
        return 1;
    tr->train = as_data(&tr->train_set, (size_t)s->train_limit);
    tr->test = as_data(&tr->test_set, (size_t)s->test_limit);
    uint32_t train_crc = checkpoint_data_crc(&tr->train);
    uint32_t test_crc = checkpoint_data_crc(&tr->test);
    if (s->resume_path && (tr->train.count != tr->t.count ||
                           train_crc != tr->stored.train_crc)) {
        fprintf(stderr, "lenet train: %s: not the training data of the run "
                "in %s (%zu images, CRC-32 %08lx; the run's: %zu, %08lx)\n",
                s->data_dir, s->resume_path, tr->train.count,
                (unsigned long)train_crc, tr->t.count,
                (unsigned long)tr->stored.train_crc);
        return 1;
    }
    if (s->resume_path && test_crc != tr->stored.test_crc) {
        fprintf(stderr, "lenet train: %s: not the test data of the run in %s "
                "(CRC-32 %08lx; the run's: %08lx)\n", s->data_dir,
                s->resume_path, (unsigned long)test_crc,
                (unsigned long)tr->stored.test_crc);
        return 1;
    }
    tr->run = (checkpoint_run){ (unsigned long)s->seed, s->passes,
                                (size_t)s->train_limit, (size_t)s->test_limit,
                                train_crc, test_crc, s->data_dir,
                                s->model_path, s->log_path };
    return 0;
}

static int save_model(const training *tr)
{
    lenet_error err;
    if (model_save(&tr->n, tr->set.model_path, &err)) {
        fprintf(stderr, "lenet train: %s\n", err.message);
        return 1;
    }
    return 0;
}

static int save_checkpoint(training *tr)
{
    lenet_error err;
    if (!tr->set.checkpoint_path)
        return 0;
    if (checkpoint_save(&tr->t, &tr->run, tr->set.checkpoint_path, &err)) {
        fprintf(stderr, "lenet train: %s\n", err.message);
        return 1;
    }
    tr->last_checkpoint = progress_now();
    return 0;
}

/* Training went wrong at t->done: say where, and save nothing. */
static void report_not_finite(const trainer *t, train_health h, size_t from)
{
    if (h == TRAIN_LOSS_NOT_FINITE)
        fprintf(stderr, "lenet train: pass %d, pattern %zu (training image "
                "%zu): the loss is not finite; stopped, the last good model "
                "and checkpoint are kept\n", t->pass, t->done + 1,
                t->order[t->done]);
    else
        fprintf(stderr, "lenet train: pass %d, patterns %zu to %zu: a "
                "parameter is not finite after them; stopped, the last good "
                "model and checkpoint are kept\n", t->pass, from + 1, t->done);
}

/* The rest of the pass under way, 500 patterns at a time, with a
   checkpoint every `minutes` and a stop on a signal. */
static int run_pass(training *tr)
{
    trainer *t = &tr->t;
    char label[32];
    snprintf(label, sizeof label, "pass %d/%ld", t->pass, tr->set.passes);
    progress bar;
    progress_start_at(&bar, label, t->count, t->done);
    t->threads = tr->set.threads > 1 ? 2 : 1;    /* shares, or a batch's halves */
    while (t->done < t->count && !interrupted) {
        size_t from = t->done;
        train_health h = trainer_run(t, &tr->train, from + 500);
        if (h != TRAIN_FINITE) {
            progress_finish(&bar);
            report_not_finite(t, h, from);
            return 1;
        }
        progress_update(&bar, t->done);
        if (tr->set.checkpoint_path && t->done < t->count &&
            progress_now() - tr->last_checkpoint >= 60.0 * tr->set.minutes &&
            save_checkpoint(tr)) {
            progress_finish(&bar);
            return 1;
        }
    }
    progress_finish(&bar);
    return 0;
}

/* After a pass: the row on stdout and in the log, the model, the
   checkpoint. */
static int end_pass(training *tr, double started)
{
    const trainer *t = &tr->t;
    int threads = (int)tr->set.threads;
    train_score on_train = train_evaluate_threads(&tr->n, &tr->train,
                                                  t->opt.loss, 0, NULL, threads);
    train_score on_test = train_evaluate_threads(&tr->n, &tr->test,
                                                 t->opt.loss, 0, NULL, threads);
    double seconds = progress_now() - started;
    double train_err = 100.0 * on_train.errors / on_train.count;
    double test_err = 100.0 * on_test.errors / on_test.count;
    double eta = t->opt.method == TRAIN_SDLM ? train_eta(t->pass) : t->opt.sgd_rate;
    double loss = t->pass_loss / t->count;
    printf("%4d %9.2g %11.4f %11.2f %10.2f %9.1f\n", t->pass, eta, loss,
           train_err, test_err, seconds);
    fflush(stdout);
    if (tr->log) {
        fprintf(tr->log, "%d,%g,%.6f,%.4f,%.4f,%.2f\n", t->pass, eta, loss,
                train_err, test_err, seconds);
        if (fflush(tr->log) != 0 || ferror(tr->log)) {
            fprintf(stderr, "lenet train: %s: cannot write: %s\n",
                    tr->set.log_path, strerror(errno));
            return 1;
        }
    }
    return save_model(tr) || save_checkpoint(tr);
}

/* Pass after pass until the last, a signal, or a failure: 0, 128 + the
   signal, or 1. */
static int train_loop(training *tr)
{
    trainer *t = &tr->t;
    for (;;) {
        if (t->pass == 0 || t->done == t->count) {
            if (t->pass >= tr->set.passes || interrupted)
                break;
            trainer_begin_pass(t, &tr->train, t->pass + 1);
            if (t->pass == 1 && t->opt.method == TRAIN_SDLM) {
                double lo, hi;
                trainer_step_range(t, &lo, &hi);
                printf("     steps eta/(mu + h_kk) of pass 1 range from %.2g to %.2g\n", lo, hi);
            }
        }
        double started = progress_now();
        if (run_pass(tr))
            return 1;
        if (interrupted)
            break;
        if (end_pass(tr, started))
            return 1;
    }
    if (!interrupted)
        return 0;
    fprintf(stderr, "lenet train: interrupted in pass %d after %zu images; "
            "saving the model%s so far\n", t->pass, t->done,
            tr->set.checkpoint_path ? " and the checkpoint" : "");
    if (save_model(tr) || save_checkpoint(tr))
        return 1;
    return 128 + interrupted;
}

static void print_start(const training *tr)
{
    const train_settings *s = &tr->set;
    const trainer *t = &tr->t;
    if (s->arch)
        printf("architecture: %s\n", arch_names[s->arch]);
    printf("training on %zu images, testing on %zu; %s, %s loss, seed %ld%s\n",
           tr->train.count, tr->test.count, optimizers[s->optimizer],
           tr->n.arch->output == NET_SOFTMAX ? "cross-entropy" : losses[s->loss],
           s->seed, s->distort ? "; 9 in 10 patterns distorted" : "");
    if (t->opt.method == TRAIN_SDLM)
        printf("sdlm: mu %g, h_kk from %zu patterns before each pass\n",
               t->opt.mu, train_hessian_samples(tr->train.count));
    if (s->resume_path && t->pass > 0)
        printf("resuming %s: pass %d of %ld, %zu of %zu images done\n",
               s->resume_path, t->pass, s->passes, t->done, t->count);
    printf("%4s %9s %11s %11s %10s %9s\n", "pass", "eta", "train loss",
           "train err%", "test err%", "seconds");
}

static int cmd_train(int argc, char **argv)
{
    training tr = { .set = { .data_dir = "data/mnist",
                             .model_path = "lenet5.model", .passes = 20,
                             .seed = 1, .batch = 1, .mu = TRAIN_MU,
                             .rate = 0.001, .minutes = 10,
                             .threads = cores() } };
    option opts[TRAIN_OPTIONS];
    train_option_table(&tr.set, opts);
    int npos, r = parse_options("train", argc, argv, opts, NULL, 0, &npos);
    if (r < 0) {
        print_options("train", "[options]", opts);
        return 0;
    }
    if (r)
        return r;

    int status = 1;
    if ((tr.set.resume_path && resume_arch(&tr.set)) ||
        build(&tr.n, "train", tr.set.arch))
        return 1;
    if (!(tr.rng = gsl_rng_alloc(gsl_rng_mt19937))) {
        fprintf(stderr, "lenet train: out of memory\n");
        goto done;
    }
    if (tr.set.resume_path && (status = resume_run(&tr, argc, argv, opts)) != 0)
        goto done;
    status = 1;
    if (check_outputs(&tr) || prepare_data(&tr) ||
        (!tr.set.resume_path && start_run(&tr)) || check_room(&tr))
        goto done;

    struct sigaction sa = { 0 };
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    tr.last_checkpoint = progress_now();
    if (tr.t.pass == tr.set.passes && tr.t.done == tr.t.count) {
        printf("the run in %s has made all its %ld passes\n",
               tr.set.resume_path, tr.set.passes);
        status = save_model(&tr);
    } else {
        print_start(&tr);
        status = train_loop(&tr);
    }
    if (status == 0 || status > 128)
        printf("model saved to %s\n", tr.set.model_path);
done:
    if (tr.log)
        fclose(tr.log);
    trainer_free(&tr.t);
    gsl_rng_free(tr.rng);
    net_free(&tr.n);
    mnist_free(&tr.train_set);
    mnist_free(&tr.test_set);
    checkpoint_run_free(&tr.stored);
    return status;
}

/* ---- test and predict -------------------------------------------------- */

/* Builds the network the model at `path` records and loads the model;
   arch, the index of --arch or -1, must name the same one. */
static int load_model(const char *verb, net *n, const char *path, int arch)
{
    lenet_error err;
    const net_arch *file_arch;
    if (model_arch(path, &file_arch, &err)) {
        fprintf(stderr, "lenet %s: %s\n", verb, err.message);
        return 1;
    }
    if (arch >= 0 && net_archs[arch] != file_arch) {
        fprintf(stderr, "lenet %s: %s: architecture mismatch: the file holds "
                "a '%s' network, --arch says '%s'\n", verb, path,
                file_arch->name, arch_names[arch]);
        return 1;
    }
    if (build(n, verb, arch_index(file_arch)))
        return 1;
    if (model_load(n, path, &err)) {
        fprintf(stderr, "lenet %s: %s\n", verb, err.message);
        net_free(n);
        return 1;
    }
    return 0;
}

static int cmd_test(int argc, char **argv)
{
    const char *data_dir = "data/mnist", *model_path = "lenet5.model";
    int arch = -1;
    const option opts[] = {
        { "model", OPT_STRING, &model_path, 0, 0, NULL, "the model to test (default lenet5.model)" },
        { "data", OPT_STRING, &data_dir, 0, 0, NULL, "MNIST directory (default data/mnist)" },
        { "arch", OPT_CHOICE, &arch, 0, 0, arch_names, MODEL_ARCH_HELP },
        { 0 }
    };
    int npos, r = parse_options("test", argc, argv, opts, NULL, 0, &npos);
    if (r < 0) {
        print_options("test", "[--model M] [--data DIR] [--arch NAME]", opts);
        return 0;
    }
    if (r)
        return r;
    net n;
    mnist train_set = { 0 }, test_set = { 0 };
    if (load_model("test", &n, model_path, arch))
        return 1;
    if (load_data("test", data_dir, &train_set, &test_set)) {
        net_free(&n);
        return 1;
    }
    unsigned long confusion[10][10] = { { 0 } };
    train_data test = as_data(&test_set, 0);
    train_score s = train_evaluate_threads(&n, &test, LOSS_MAP, 0, confusion,
                                           cores());
    printf("test error: %.2f%% (%zu of %zu misclassified)\n\n",
           100.0 * s.errors / s.count, s.errors, s.count);
    printf("confusion matrix (rows: true digit, columns: predicted)\n     ");
    for (int p = 0; p < 10; p++)
        printf("%6d", p);
    printf("\n");
    for (int d = 0; d < 10; d++) {
        printf("%5d", d);
        for (int p = 0; p < 10; p++)
            printf("%6lu", confusion[d][p]);
        printf("\n");
    }
    net_free(&n);
    mnist_free(&train_set);
    mnist_free(&test_set);
    return 0;
}

static int cmd_predict(int argc, char **argv)
{
    const char *model_path = "lenet5.model";
    int arch = -1;
    const option opts[] = {
        { "model", OPT_STRING, &model_path, 0, 0, NULL, "the model (default lenet5.model)" },
        { "arch", OPT_CHOICE, &arch, 0, 0, arch_names, MODEL_ARCH_HELP },
        { 0 }
    };
    enum { MAX_FILES = 1024 };
    const char *files[MAX_FILES];
    int nfiles, r = parse_options("predict", argc, argv, opts, files, MAX_FILES, &nfiles);
    if (r < 0) {
        print_options("predict", "[--model M] [--arch NAME] FILE...   (PGM or PNG images of one digit)", opts);
        return 0;
    }
    if (r)
        return r;
    if (nfiles == 0) {
        fprintf(stderr, "lenet predict: no image given (try 'lenet predict --help')\n");
        return 2;
    }
    net n;
    if (load_model("predict", &n, model_path, arch))
        return 1;
    int status = 0;
    for (int f = 0; f < nfiles; f++) {
        image img = { 0 };
        unsigned char digit[28 * 28];
        double field[32 * 32];
        lenet_error err;
        if (image_read(&img, files[f], &err) || image_to_mnist(&img, digit, &err)) {
            fprintf(stderr, "lenet predict: %s\n", err.message);
            image_free(&img);
            status = 1;
            continue;
        }
        image_free(&img);
        input_forward(field, digit);
        net_forward(&n, field);
        printf("%s: %d  (%s:", files[f], net_predict(&n),
               n.arch->output == NET_SOFTMAX ? "scores" : "distances");
        for (int i = 0; i < RBF_CLASSES; i++)
            printf(" %d=%.1f", i, n.y[i]);
        printf(")\n");
    }
    net_free(&n);
    return status;
}

/* lenet dump --distortions: test digit `index` and 20 distortions. */
static int dump_distortions_of(const char *data_dir, size_t index,
                               unsigned long seed, const char *dir)
{
    mnist train_set = { 0 }, test_set = { 0 };
    if (load_data("dump", data_dir, &train_set, &test_set))
        return 1;
    lenet_error err;
    int status = 0;
    if (index >= test_set.count) {
        fprintf(stderr, "lenet dump: test digit %zu: there are only %zu\n",
                index, test_set.count);
        status = 1;
    } else if (dump_distortions(test_set.images + index * 28 * 28, 20, seed,
                                dir, &err)) {
        fprintf(stderr, "lenet dump: %s\n", err.message);
        status = 1;
    }
    mnist_free(&train_set);
    mnist_free(&test_set);
    return status;
}

static int cmd_dump(int argc, char **argv)
{
    const char *data_dir = "data/mnist", *model_path = "lenet5.model";
    long index = 0, seed = 1;
    int distortions = 0, arch = -1;
    const option opts[] = {
        { "model", OPT_STRING, &model_path, 0, 0, NULL, "the model (default lenet5.model)" },
        { "arch", OPT_CHOICE, &arch, 0, 0, arch_names, MODEL_ARCH_HELP },
        { "data", OPT_STRING, &data_dir, 0, 0, NULL, "MNIST directory (default data/mnist)" },
        { "index", OPT_COUNT, &index, 0, 9999, NULL, "the test digit whose maps to write (default 0)" },
        { "distortions", OPT_FLAG, &distortions, 0, 0, NULL, "instead: test digit --index and 20 distortions of it (no model)" },
        { "seed", OPT_COUNT, &seed, 0, (double)LONG_MAX, NULL, "--distortions: the generator's seed (default 1)" },
        { 0 }
    };
    const char *dir[1];
    int npos, r = parse_options("dump", argc, argv, opts, dir, 1, &npos);
    if (r < 0) {
        print_options("dump", "[--model M] [--data DIR] [--index I] OUTDIR\n"
                      "       lenet dump --distortions [--data DIR] [--index I] [--seed S] OUTDIR", opts);
        return 0;
    }
    if (r)
        return r;
    if (npos != 1) {
        fprintf(stderr, "lenet dump: name the directory to write into (try 'lenet dump --help')\n");
        return 2;
    }
    if (distortions)
        return dump_distortions_of(data_dir, (size_t)index,
                                   (unsigned long)seed, dir[0]);
    net n;
    mnist train_set = { 0 }, test_set = { 0 };
    if (load_model("dump", &n, model_path, arch))
        return 1;
    if (load_data("dump", data_dir, &train_set, &test_set)) {
        net_free(&n);
        return 1;
    }
    lenet_error err;
    int status = 0;
    if (dump_all(&n, &test_set, (size_t)index, dir[0], &err)) {
        fprintf(stderr, "lenet dump: %s\n", err.message);
        status = 1;
    }
    net_free(&n);
    mnist_free(&train_set);
    mnist_free(&test_set);
    return status;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage, stderr);
        return 2;
    }
    for (int i = 0; i <= NET_ARCHS; i++)
        arch_names[i] = net_archs[i] ? net_archs[i]->name : NULL;
    const char *verb = argv[1];
    if (!strcmp(verb, "help") || !strcmp(verb, "-h") || !strcmp(verb, "--help")) {
        fputs(usage, stdout);
        return 0;
    }
    static const struct {
        const char *name;
        int (*run)(int, char **);
    } verbs[] = {
        { "summary", cmd_summary }, { "train", cmd_train },
        { "test", cmd_test }, { "predict", cmd_predict }, { "dump", cmd_dump },
    };
    for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++)
        if (!strcmp(verb, verbs[i].name))
            return verbs[i].run(argc - 2, argv + 2);
    fprintf(stderr, "lenet: unknown verb '%s' (try 'lenet --help')\n", verb);
    return 2;
}
