/*
 * mnist.h: the MNIST digits (§III.A) read from their IDX files, raw or
 * gzip-compressed, into memory as bytes.
 *
 * An IDX file is a big-endian header and then bytes: an images file has the
 * magic 0x00000803, a count, rows and cols, then count x rows x cols pixels
 * (0 = background, 255 = full ink); a labels file has the magic 0x00000801,
 * a count, then count labels from 0 to 9. A pair is loaded only if both
 * files are exactly that: anything else is refused with a one-line message
 * naming the file and the problem, e.g.
 *
 *   data/mnist/train-labels-idx1-ubyte: truncated: 59,000 of 60,000 labels
 *
 * It is deliberately not a downloader (`make data` fetches the files, see
 * lenet/mnist-data.sh) and does not normalise pixels (see input.h).
 */
#ifndef LENET_MNIST_H
#define LENET_MNIST_H

#include <stddef.h>

#include "status.h"

#define MNIST_IMAGES_MAGIC 0x00000803u   /* unsigned bytes, 3 dimensions */
#define MNIST_LABELS_MAGIC 0x00000801u   /* unsigned bytes, 1 dimension */
#define MNIST_MAX_SIDE 1024              /* larger rows or cols: refused */

typedef struct {
    size_t count;             /* number of images (= labels) */
    int rows, cols;           /* 28, 28 for MNIST */
    unsigned char *images;    /* count x rows x cols bytes, row-major, 0 = background, 255 = ink */
    unsigned char *labels;    /* count bytes, 0..9 */
} mnist;

/*
 * Loads an images file and a labels file, each raw or gzip. Checks the
 * magic numbers, the dimensions (1 to MNIST_MAX_SIDE), that both files hold
 * the same nonzero count, that every byte is there and nothing follows it,
 * and that every label is 0 to 9. Memory grows only with the bytes actually
 * read, so a header claiming billions of images costs nothing.
 *
 * Returns LENET_OK, or LENET_EIO (cannot open or read, corrupt gzip),
 * LENET_EFORMAT (the contents are wrong) or LENET_ENOMEM, with err->message
 * set and *set zeroed: nothing stays allocated on failure.
 *
 *   mnist train;
 *   lenet_error err;
 *   if (mnist_load(&train, "a-images", "a-labels", &err) != LENET_OK)
 *       fprintf(stderr, "%s\n", err.message);
 */
lenet_status mnist_load(mnist *set, const char *images_path,
                        const char *labels_path, lenet_error *err);

/*
 * Loads the four standard files from `dir`: train-images-idx3-ubyte,
 * train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte,
 * each as is or with .gz appended (the uncompressed one if both exist).
 * A missing directory or file is LENET_EIO, and the message says to run
 * `make data`. On failure both sets are zeroed.
 */
lenet_status mnist_load_dir(mnist *train, mnist *test, const char *dir,
                            lenet_error *err);

/* Frees what mnist_load allocated and zeroes *set; safe on a zeroed or
   already freed set. */
void mnist_free(mnist *set);

#endif
