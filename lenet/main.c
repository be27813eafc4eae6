/*
 * main.c: the `lenet` command. Each verb is one function; main() only picks
 * the verb. This is the one place that prints errors and exits.
 */
#include <stdio.h>
#include <string.h>

#include "net.h"

static const char usage[] =
    "usage: lenet <verb> [options]\n"
    "\n"
    "LeNet-5 (LeCun, Bottou, Bengio, Haffner 1998), in C.\n"
    "\n"
    "verbs:\n"
    "  summary    print the layers, their output shapes, trainable parameters\n"
    "             and connections, with the totals (the paper's §II.B)\n"
    "  help       print this message (also: -h, --help)\n";

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

static int cmd_summary(int argc, char **argv)
{
    if (argc > 0) {
        fprintf(stderr, "lenet summary: unknown argument '%s' (it takes none)\n",
                argv[0]);
        return 2;
    }
    net n;
    lenet_status s = net_init(&n);
    if (s) {
        fprintf(stderr, "lenet summary: cannot build the network: %s\n",
                lenet_strerror(s));
        return 1;
    }
    net_layer_info info[NET_LAYERS];
    net_describe(&n, info);

    char a[32], b[32], shape[32];
    size_t trainable = 0, fixed = 0, connections = 0;
    printf("%-7s %-14s %-13s %14s %12s\n", "layer", "type", "output shape",
           "params", "connections");
    printf("%-7s %-14s %-13s %14s %12s\n", "-----", "----", "------------",
           "------", "-----------");
    printf("%-7s %-14s %-13s %14s %12s\n", "input", "image", "1@32x32", "0", "0");
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
    if (!strcmp(verb, "summary"))
        return cmd_summary(argc - 2, argv + 2);
    fprintf(stderr, "lenet: unknown verb '%s' (try 'lenet --help')\n", verb);
    return 2;
}
