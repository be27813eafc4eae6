/*
 * fuzz_cli.c: libFuzzer target for the command line of `lenet` (main.c).
 *
 * main.c's option parser is static, so the Makefile compiles main.c itself
 * into this target with -Dmain=lenet_main (main.c is not changed) and the
 * target calls lenet_main with an argv built from the input:
 *
 *   byte 0     picks argv[1] from `verbs` below (or no verb at all)
 *   the rest   split at NUL bytes into at most MAX_ARGS more arguments
 *
 * Nothing may read the user's files, write anywhere or start long work, so
 * each verb's path options are forced at the end of argv to
 * "/dev/null/..." names, which can never exist (/dev/null is not a
 * directory): test, predict and dump stop when the model cannot be opened,
 * before any image or data is read or any directory written; train stops
 * when it finds it cannot write its model, before the log is opened or the
 * data read. Each forced option is given twice, so that one of them is
 * parsed as an option even when the input's last argument is an option
 * waiting for its value (which swallows the first). Summary and help only
 * build the network and print. Any other verb is only ever "bogus".
 *
 * The verbs print; run with -close_fd_mask=3 (as `make fuzz` does), which
 * sends the target's stdout and stderr to /dev/null while libFuzzer and the
 * sanitizers keep reporting on a copy of stderr.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int lenet_main(int argc, char **argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ARGS 16

static char model[] = "--model=/dev/null/lenet-fuzz.model";
static char data_dir[] = "--data=/dev/null/lenet-fuzz-data";
static char log_file[] = "--log=/dev/null/lenet-fuzz.csv";

static const struct {
    const char *verb;             /* NULL: argv is only "lenet" */
    char *forced[3];              /* options appended, twice each */
} verbs[] = {
    { "summary", { NULL } },
    { "help", { NULL } },
    { "-h", { NULL } },
    { "--help", { NULL } },
    { "test", { model, data_dir } },
    { "predict", { model } },
    { "dump", { model, data_dir } },
    { "train", { model, data_dir, log_file } },
    { "bogus", { NULL } },
    { NULL, { NULL } },           /* and no arguments either */
};
#define NVERBS (sizeof verbs / sizeof verbs[0])

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char name[] = "lenet";
    char verb[16];
    char *argv[2 + MAX_ARGS + 2 * 3 + 1];
    int argc = 0;
    if (size == 0)
        return 0;
    size_t pick = data[0] % NVERBS;
    argv[argc++] = name;
    if (!verbs[pick].verb) {
        argv[argc] = NULL;
        lenet_main(argc, argv);
        return 0;
    }
    strcpy(verb, verbs[pick].verb);
    argv[argc++] = verb;

    /* The arguments: a NUL-terminated copy of the rest, cut at each NUL. */
    char *text = malloc(size);
    if (!text)
        return 0;
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    for (size_t at = 0; at < size - 1 && argc < 2 + MAX_ARGS;) {
        argv[argc++] = text + at;
        at += strlen(text + at) + 1;
    }
    for (int twice = 0; twice < 2; twice++)
        for (int i = 0; i < 3 && verbs[pick].forced[i]; i++)
            argv[argc++] = verbs[pick].forced[i];
    argv[argc] = NULL;

    lenet_main(argc, argv);
    free(text);
    return 0;
}
