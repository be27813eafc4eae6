/*
 * model_seed.c: the seeds of fuzz_model that are too big to commit (a model
 * is about 480 KB), written by `make fuzz` into the directory it is given:
 *
 *   valid.model           LeNet-5 with parameters drawn from seed 1
 *   trailing.model        the same and one byte more
 *   short-checksum.model  the same without its last two bytes
 *   bad-checksum.model    the same with one bit of a parameter flipped
 *
 * The last three are the damage a mutation of 480 KB rarely makes by chance.
 *
 *     model_seed build/fuzz/seed/model
 */
#include <stdio.h>
#include <stdlib.h>

#include <gsl/gsl_rng.h>

#include "model.h"
#include "net.h"

/* Writes bytes[0..size) to dir/name; 0 on success. */
static int write_file(const char *dir, const char *name,
                      const unsigned char *bytes, size_t size)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    int ok = f && fwrite(bytes, 1, size, f) == size;
    if (f && fclose(f) != 0)
        ok = 0;
    if (!ok)
        fprintf(stderr, "model_seed: %s: cannot write\n", path);
    return !ok;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: model_seed DIR\n");
        return 2;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/valid.model", argv[1]);

    net n;
    lenet_error err;
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!rng || net_init(&n) != LENET_OK) {
        fprintf(stderr, "model_seed: out of memory\n");
        gsl_rng_free(rng);
        return 1;
    }
    gsl_rng_set(rng, 1);
    net_randomize(&n, rng);
    lenet_status s = model_save(&n, path, &err);
    net_free(&n);
    gsl_rng_free(rng);
    if (s != LENET_OK) {
        fprintf(stderr, "model_seed: %s\n", err.message);
        return 1;
    }

    /* The valid file, read back, and its three variants. */
    FILE *f = fopen(path, "rb");
    unsigned char *bytes = malloc(1 << 20);
    size_t size = f && bytes ? fread(bytes, 1, (1 << 20) - 1, f) : 0;
    if (f)
        fclose(f);
    if (size < 100) {
        fprintf(stderr, "model_seed: %s: cannot read back\n", path);
        free(bytes);
        return 1;
    }
    int failed = 0;
    bytes[size] = 0;
    failed |= write_file(argv[1], "trailing.model", bytes, size + 1);
    failed |= write_file(argv[1], "short-checksum.model", bytes, size - 2);
    bytes[size / 2] ^= 0x10;
    failed |= write_file(argv[1], "bad-checksum.model", bytes, size);
    free(bytes);
    return failed;
}
