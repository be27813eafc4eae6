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

typedef enum { OPT_STRING, OPT_COUNT, OPT_REAL, OPT_CHOICE } opt_kind;

typedef struct {
    const char *name;          /* without the dashes */
    opt_kind kind;
    void *value;               /* const char **, long *, double *, int * */
    double min, max;           /* OPT_COUNT, OPT_REAL */
    const char *const *choices;   /* OPT_CHOICE: NULL-terminated */
    const char *help;
} option;

static void print_options(const char *verb, const char *synopsis,
                          const option *opts)
{
    printf("usage: lenet %s %s\n\noptions:\n", verb, synopsis);
    for (const option *o = opts; o->name; o++)
        printf("  --%-14s %s\n", o->name, o->help);
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

/* Builds the network or says why not. */
static int build(net *n, const char *verb)
{
    lenet_status s = net_init(n);
    if (s)
        fprintf(stderr, "lenet %s: cannot build the network: %s\n", verb,
                lenet_strerror(s));
    return s ? 1 : 0;
}

static int cmd_summary(int argc, char **argv)
{
    const option opts[] = { { 0 } };
    int npos, r = parse_options("summary", argc, argv, opts, NULL, 0, &npos);
    if (r < 0) {
        print_options("summary", "", opts);
        return 0;
    }
    net n;
    if (r || build(&n, "summary"))
        return r ? r : 1;
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

static int save(const net *n, const char *path)
{
    lenet_error err;
    if (model_save(n, path, &err)) {
        fprintf(stderr, "lenet train: %s\n", err.message);
        return 1;
    }
    return 0;
}

static int cmd_train(int argc, char **argv)
{
    static const char *const optimizers[] = { "sdlm", "sgd", NULL };
    static const char *const losses[] = { "map", "ml", NULL };
    const char *data_dir = "data/mnist", *model_path = "lenet5.model";
    const char *log_path = NULL;
    long passes = 20, seed = 1, train_limit = 0, test_limit = 0, batch = 1;
    int optimizer = 0, loss = 0;
    double rate = 0.001, mu = TRAIN_MU;
    const option opts[] = {
        { "data", OPT_STRING, &data_dir, 0, 0, NULL, "MNIST directory (default data/mnist)" },
        { "passes", OPT_COUNT, &passes, 1, 1000, NULL, "passes over the training set (default 20)" },
        { "seed", OPT_COUNT, &seed, 0, (double)LONG_MAX, NULL, "fixes initialisation and order (default 1)" },
        { "optimizer", OPT_CHOICE, &optimizer, 0, 0, optimizers, "sdlm (the paper's, default) or sgd" },
        { "loss", OPT_CHOICE, &loss, 0, 0, losses, "map (eq. 9, default) or ml (eq. 8)" },
        { "mu", OPT_REAL, &mu, 1e-6, 100, NULL, "sdlm: the floor under h_kk (default 0.5; the paper's: 0.02)" },
        { "rate", OPT_REAL, &rate, 1e-9, 10, NULL, "sgd: the step (default 0.001)" },
        { "batch", OPT_COUNT, &batch, 1, 60000, NULL, "sgd: patterns per update (default 1)" },
        { "train-limit", OPT_COUNT, &train_limit, 1, 60000, NULL, "train on the first N images only" },
        { "test-limit", OPT_COUNT, &test_limit, 1, 10000, NULL, "test on the first N images only" },
        { "model", OPT_STRING, &model_path, 0, 0, NULL, "where to save the model (default lenet5.model)" },
        { "log", OPT_STRING, &log_path, 0, 0, NULL, "CSV file: one row per pass" },
        { 0 }
    };
    int npos, r = parse_options("train", argc, argv, opts, NULL, 0, &npos);
    if (r < 0) {
        print_options("train", "[options]", opts);
        return 0;
    }
    if (r)
        return r;

    lenet_error err;
    if (model_check_writable(model_path, &err)) {
        fprintf(stderr, "lenet train: %s\n", err.message);
        return 1;
    }
    FILE *log = NULL;
    if (log_path && !(log = fopen(log_path, "w"))) {
        fprintf(stderr, "lenet train: %s: cannot write: %s\n", log_path, strerror(errno));
        return 1;
    }
    mnist train_set = { 0 }, test_set = { 0 };
    net n = { 0 };
    gsl_rng *rng = NULL;
    trainer t = { 0 };
    int status = 1;
    if (load_data("train", data_dir, &train_set, &test_set) || build(&n, "train"))
        goto done;
    rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!rng) {
        fprintf(stderr, "lenet train: out of memory\n");
        goto done;
    }
    gsl_rng_set(rng, (unsigned long)seed);
    net_randomize(&n, rng);

    train_data train = as_data(&train_set, (size_t)train_limit);
    train_data test = as_data(&test_set, (size_t)test_limit);
    train_options opt = { optimizer == 0 ? TRAIN_SDLM : TRAIN_SGD,
                          loss == 0 ? LOSS_MAP : LOSS_ML, mu, rate, (size_t)batch };
    if (trainer_init(&t, &n, &opt, train.count, rng)) {
        fprintf(stderr, "lenet train: out of memory\n");
        goto done;
    }
    struct sigaction sa = { 0 };
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    printf("training on %zu images, testing on %zu; %s, %s loss, seed %ld\n",
           train.count, test.count, optimizers[optimizer], losses[loss], seed);
    if (opt.method == TRAIN_SDLM)
        printf("sdlm: mu %g, h_kk from %d patterns before each pass\n", mu,
               TRAIN_HESSIAN_SAMPLES);
    printf("%4s %9s %11s %11s %10s %9s\n", "pass", "eta", "train loss",
           "train err%", "test err%", "seconds");
    if (log)
        fprintf(log, "pass,eta,train_loss,train_error,test_error,seconds\n");
    for (int pass = 1; pass <= passes && !interrupted; pass++) {
        double started = progress_now();
        trainer_begin_pass(&t, &train, pass);
        if (pass == 1 && opt.method == TRAIN_SDLM) {
            double lo, hi;
            trainer_step_range(&t, &lo, &hi);
            printf("     steps eta/(mu + h_kk) of pass 1 range from %.2g to %.2g\n", lo, hi);
        }
        char label[32];
        snprintf(label, sizeof label, "pass %d/%ld", pass, passes);
        progress bar;
        progress_start(&bar, label, train.count);
        double total_loss = 0.0;
        size_t done = 0;
        while (done < train.count && !interrupted) {
            size_t next = done + 500 < train.count ? done + 500 : train.count;
            total_loss += trainer_run(&t, &train, done, next);
            done = next;
            progress_update(&bar, done);
        }
        progress_finish(&bar);
        if (interrupted) {
            fprintf(stderr, "lenet train: interrupted in pass %d after %zu images; saving the model so far\n",
                    pass, done);
            break;
        }
        train_score on_train = train_evaluate(&n, &train, opt.loss, 0, NULL);
        train_score on_test = train_evaluate(&n, &test, opt.loss, 0, NULL);
        double seconds = progress_now() - started;
        double train_err = 100.0 * on_train.errors / on_train.count;
        double test_err = 100.0 * on_test.errors / on_test.count;
        double eta = opt.method == TRAIN_SDLM ? train_eta(pass) : opt.sgd_rate;
        printf("%4d %9.2g %11.4f %11.2f %10.2f %9.1f\n", pass, eta,
               total_loss / train.count, train_err, test_err, seconds);
        fflush(stdout);
        if (log) {
            fprintf(log, "%d,%g,%.6f,%.4f,%.4f,%.2f\n", pass, eta,
                    total_loss / train.count, train_err, test_err, seconds);
            fflush(log);
        }
        if (save(&n, model_path))
            goto done;
    }
    if (interrupted && save(&n, model_path))
        goto done;
    printf("model saved to %s\n", model_path);
    status = interrupted ? 128 + interrupted : 0;
done:
    if (log)
        fclose(log);
    trainer_free(&t);
    gsl_rng_free(rng);
    net_free(&n);
    mnist_free(&train_set);
    mnist_free(&test_set);
    return status;
}

/* ---- test and predict -------------------------------------------------- */

static int load_model(const char *verb, net *n, const char *path)
{
    lenet_error err;
    if (build(n, verb))
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
    const option opts[] = {
        { "model", OPT_STRING, &model_path, 0, 0, NULL, "the model to test (default lenet5.model)" },
        { "data", OPT_STRING, &data_dir, 0, 0, NULL, "MNIST directory (default data/mnist)" },
        { 0 }
    };
    int npos, r = parse_options("test", argc, argv, opts, NULL, 0, &npos);
    if (r < 0) {
        print_options("test", "[--model M] [--data DIR]", opts);
        return 0;
    }
    if (r)
        return r;
    net n;
    mnist train_set = { 0 }, test_set = { 0 };
    if (load_model("test", &n, model_path))
        return 1;
    if (load_data("test", data_dir, &train_set, &test_set)) {
        net_free(&n);
        return 1;
    }
    unsigned long confusion[10][10] = { { 0 } };
    train_data test = as_data(&test_set, 0);
    train_score s = train_evaluate(&n, &test, LOSS_MAP, 0, confusion);
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
    const option opts[] = {
        { "model", OPT_STRING, &model_path, 0, 0, NULL, "the model (default lenet5.model)" },
        { 0 }
    };
    enum { MAX_FILES = 1024 };
    const char *files[MAX_FILES];
    int nfiles, r = parse_options("predict", argc, argv, opts, files, MAX_FILES, &nfiles);
    if (r < 0) {
        print_options("predict", "[--model M] FILE...   (PGM or PNG images of one digit)", opts);
        return 0;
    }
    if (r)
        return r;
    if (nfiles == 0) {
        fprintf(stderr, "lenet predict: no image given (try 'lenet predict --help')\n");
        return 2;
    }
    net n;
    if (load_model("predict", &n, model_path))
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
        printf("%s: %d  (distances:", files[f], net_predict(&n));
        for (int i = 0; i < RBF_CLASSES; i++)
            printf(" %d=%.1f", i, n.y[i]);
        printf(")\n");
    }
    net_free(&n);
    return status;
}

static int cmd_dump(int argc, char **argv)
{
    const char *data_dir = "data/mnist", *model_path = "lenet5.model";
    long index = 0;
    const option opts[] = {
        { "model", OPT_STRING, &model_path, 0, 0, NULL, "the model (default lenet5.model)" },
        { "data", OPT_STRING, &data_dir, 0, 0, NULL, "MNIST directory (default data/mnist)" },
        { "index", OPT_COUNT, &index, 0, 9999, NULL, "the test digit whose maps to write (default 0)" },
        { 0 }
    };
    const char *dir[1];
    int npos, r = parse_options("dump", argc, argv, opts, dir, 1, &npos);
    if (r < 0) {
        print_options("dump", "[--model M] [--data DIR] [--index I] OUTDIR", opts);
        return 0;
    }
    if (r)
        return r;
    if (npos != 1) {
        fprintf(stderr, "lenet dump: name the directory to write into (try 'lenet dump --help')\n");
        return 2;
    }
    net n;
    mnist train_set = { 0 }, test_set = { 0 };
    if (load_model("dump", &n, model_path))
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
