/*
 * fuzz_model.c: libFuzzer target for the model loader (model.h).
 *
 * The input is the model file, whose header model_arch reads, then read
 * by model_load into a LeNet-5 that net_init builds once. Checked beyond "no crash, no leak, no sanitizer
 * report": a load that succeeds gives the parameters the file's bits (the
 * last 8 x P + 4 bytes are the parameters and the CRC); one that fails
 * leaves them as they were (model.h: "n->params is written only once every
 * check has passed") and a one-line message that starts with the path.
 *
 * A model is about 480 KB, too big for the committed corpus: `make fuzz`
 * writes a valid one and three damaged ones (trailing byte, short and wrong
 * checksum) into build/fuzz/seed/model (model_seed.c); the committed seeds
 * are small damaged files (truncated in each field, wrong magic, version,
 * architecture length or text, parameter count).
 */
#define _GNU_SOURCE            /* memfd_create (fuzz_file.h) */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_file.h"
#include "model.h"
#include "net.h"

static fuzz_file file;
static net n;
static double *before;            /* n.params before the load */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* After a successful load, each parameter must be the double whose bits
   the file stores there, least significant byte first (model.h). */
static void check_params(const uint8_t *data, size_t size)
{
    size_t bytes = 8 * n.num_params + 4;
    if (size < bytes)
        fuzz_die("a file too short for the parameters loaded", file.path);
    const uint8_t *p = data + size - bytes;
    for (size_t i = 0; i < n.num_params; i++, p += 8) {
        uint64_t bits = 0, got;
        for (int k = 7; k >= 0; k--)
            bits = bits << 8 | p[k];
        memcpy(&got, &n.params[i], sizeof got);
        if (got != bits)
            fuzz_die("a loaded parameter is not the file's", file.path);
    }
}

/* Frees the net at exit, so that LeakSanitizer sees only real leaks. */
static void cleanup(void)
{
    net_free(&n);
    free(before);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (file.path[0] == '\0') {
        fuzz_file_open(&file);
        if (net_init(&n) != LENET_OK ||
            !(before = malloc(n.num_params * sizeof *before)))
            fuzz_die("cannot build the network", "out of memory");
        atexit(cleanup);
    }
    fuzz_file_write(&file, data, size);
    memcpy(before, n.params, n.num_params * sizeof *before);

    /* model_arch reads the header alone: a message that starts with the
       path, or an architecture, which must be the paper's when the whole
       file loads into the paper's network */
    const net_arch *arch = NULL;
    lenet_error head = { "" };
    int header_ok = model_arch(file.path, &arch, &head) == LENET_OK;
    if (header_ok && !arch)
        fuzz_die("model_arch succeeded without an architecture", file.path);
    if (!header_ok) {
        fuzz_check_message(&head, file.path);
        if (strncmp(head.message, file.path, strlen(file.path)) != 0)
            fuzz_die("model_arch's message does not start with the path",
                     head.message);
    }

    lenet_error err = { "" };
    if (model_load(&n, file.path, &err) == LENET_OK) {
        if (!header_ok || arch != &net_arch_paper)
            fuzz_die("a file that loads into the paper's network has "
                     "another or no architecture by model_arch", file.path);
        check_params(data, size);
        return 0;
    }
    fuzz_check_message(&err, file.path);
    if (strncmp(err.message, file.path, strlen(file.path)) != 0)
        fuzz_die("message does not start with the path", err.message);
    if (memcmp(before, n.params, n.num_params * sizeof *before) != 0)
        fuzz_die("a failed load changed the parameters", err.message);
    return 0;
}
