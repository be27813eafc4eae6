/*
 * fuzz_idx.c: libFuzzer target for the IDX reader (mnist.h), raw and gzip.
 *
 * mnist_load reads two files, and only a good images header lets it look at
 * the labels file, so one input is split into two files:
 *
 *   byte 0        flags: bit 0 gzips the images file, bit 1 the labels file
 *   bytes 1, 2    n, the images file's length, little-endian (at most what
 *                 follows)
 *   n bytes       the images file
 *   the rest      the labels file
 *
 * An input shorter than 3 bytes is used whole, as both files. The pair is
 * loaded as images + labels, then swapped. "Gzip" compresses the bytes as
 * they are (gzwrite, fastest level); corrupt gzip streams come from seeds
 * that are gzip already (flags 0) and their mutations.
 *
 * Checked beyond "no crash, no leak, no sanitizer report": a load that
 * succeeds has the shape mnist.h promises (every pixel and label is read,
 * so a short buffer shows under ASan), one that fails leaves the set zeroed
 * and a one-line message naming one of the files.
 */
#define _GNU_SOURCE            /* memfd_create (fuzz_file.h) */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "fuzz_file.h"
#include "mnist.h"

static fuzz_file images_file, labels_file;
static volatile unsigned long sink;   /* keeps the pixel reads */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Puts data[0..size) into f, gzip-compressed if gz. */
static void put(fuzz_file *f, const uint8_t *data, size_t size, int gz)
{
    if (!gz) {
        fuzz_file_write(f, data, size);
        return;
    }
    gzFile z = gzopen(f->path, "wb1");
    if (z == NULL)
        fuzz_die("gzopen", f->path);
    int wrote = size ? gzwrite(z, data, (unsigned)size) : 0;
    if (gzclose(z) != Z_OK || wrote != (int)size)
        fuzz_die("gzwrite", f->path);
}

static void load(const char *images, const char *labels)
{
    mnist set;
    lenet_error err = { "" };
    if (mnist_load(&set, images, labels, &err) != LENET_OK) {
        if (set.count || set.rows || set.cols || set.images || set.labels)
            fuzz_die("a failed load left the set filled", err.message);
        fuzz_check_message(&err, NULL);
        if (!strstr(err.message, images) && !strstr(err.message, labels))
            fuzz_die("message names neither file", err.message);
        return;
    }
    if (set.count == 0 || set.rows < 1 || set.rows > MNIST_MAX_SIDE ||
        set.cols < 1 || set.cols > MNIST_MAX_SIDE || !set.images ||
        !set.labels)
        fuzz_die("a loaded set breaks mnist.h's promises", images);
    unsigned long sum = 0;
    for (size_t i = 0; i < set.count * set.rows * set.cols; i++)
        sum += set.images[i];
    for (size_t i = 0; i < set.count; i++)
        if (set.labels[i] > 9)
            fuzz_die("a loaded label is above 9", labels);
    mnist_free(&set);
    sink = sum;
    mnist_free(&set);
    mnist_free(&set);                   /* freeing twice is safe */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (images_file.path[0] == '\0') {
        fuzz_file_open(&images_file);
        fuzz_file_open(&labels_file);
    }
    if (size < 3) {
        put(&images_file, data, size, 0);
        load(images_file.path, images_file.path);
        return 0;
    }
    int flags = data[0];
    size_t n = (size_t)data[1] | (size_t)data[2] << 8;
    data += 3;
    size -= 3;
    if (n > size)
        n = size;
    put(&images_file, data, n, flags & 1);
    put(&labels_file, data + n, size - n, flags & 2);
    load(images_file.path, labels_file.path);
    load(labels_file.path, images_file.path);
    return 0;
}
