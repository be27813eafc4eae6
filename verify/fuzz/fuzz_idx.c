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
 * succeeds has the shape mnist.h promises and holds exactly the bytes of
 * the files (when their contents are known: a file is what its part of the
 * input says, unless that part is itself gzip and was not gzipped here);
 * one that fails leaves the set zeroed and a one-line message naming one
 * of the files.
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

/* A file's contents, when known: data[0..size). */
typedef struct {
    const uint8_t *data;          /* NULL: not known */
    size_t size;
} contents;

/* What a file holds once read: the input's part as it is, unless the part
   is gzip (zlib reads it through) and was not compressed here. */
static contents known(const uint8_t *part, size_t size, int gzipped)
{
    contents c = { part, size };
    if (!gzipped && size >= 2 && part[0] == 0x1f && part[1] == 0x8b)
        c.data = NULL;
    return c;
}

static uint32_t big_endian32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
           (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* A loaded set must be its files, byte for byte. */
static void check_contents(const mnist *set, contents im, contents lb)
{
    size_t pixels = set->count * set->rows * set->cols;
    if (im.data && (im.size != 16 + pixels ||
                    big_endian32(im.data + 4) != set->count ||
                    big_endian32(im.data + 8) != (uint32_t)set->rows ||
                    big_endian32(im.data + 12) != (uint32_t)set->cols ||
                    memcmp(im.data + 16, set->images, pixels) != 0))
        fuzz_die("the loaded images are not the file's", "images");
    if (lb.data && (lb.size != 8 + set->count ||
                    memcmp(lb.data + 8, set->labels, set->count) != 0))
        fuzz_die("the loaded labels are not the file's", "labels");
}

static void load(const char *images, const char *labels, contents im,
                 contents lb)
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
    sink = sum;
    check_contents(&set, im, lb);
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
        contents whole = known(data, size, 0);
        put(&images_file, data, size, 0);
        load(images_file.path, images_file.path, whole, whole);
        return 0;
    }
    int flags = data[0];
    size_t n = (size_t)data[1] | (size_t)data[2] << 8;
    data += 3;
    size -= 3;
    if (n > size)
        n = size;
    contents im = known(data, n, flags & 1);
    contents lb = known(data + n, size - n, flags & 2);
    put(&images_file, data, n, flags & 1);
    put(&labels_file, data + n, size - n, flags & 2);
    load(images_file.path, labels_file.path, im, lb);
    load(labels_file.path, images_file.path, lb, im);
    return 0;
}
