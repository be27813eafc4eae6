/*
 * model.h: saving a trained network's parameters to a file and loading them
 * back, bit for bit, on any host.
 *
 * The layout (README, "Model files") follows llm.c's checkpoints and PNG:
 *
 *   "LENET5\r\n"            8 bytes: the magic; \r\n shows text-mode mangling
 *   version                 uint32 LE, 1
 *   architecture length L   uint32 LE
 *   architecture            L bytes of ASCII, model_describe's text
 *   parameter count P       uint64 LE, net.num_params
 *   parameters              P doubles, IEEE-754 binary64 LE, net.params order
 *   CRC-32                  uint32 LE, zlib's crc32 of every byte before it
 *
 * Only the trainable parameters are stored: the RBF centres are fixed
 * bitmaps that net_init draws again (§II.B). This module is not a training
 * checkpoint: no optimiser state, no epoch, no data set name.
 *
 * Errors: every function returns LENET_OK, or LENET_EIO for a file that
 * could not be opened, read or written, LENET_EFORMAT for a file whose
 * contents are wrong, LENET_ENOMEM; and fills err with one line that starts
 * with the path, e.g. "run1.lenet: checksum mismatch: ...".
 */
#ifndef LENET_MODEL_H
#define LENET_MODEL_H

#include <stddef.h>

#include "net.h"
#include "status.h"

#define MODEL_MAGIC "LENET5\r\n"
#define MODEL_MAGIC_SIZE 8
#define MODEL_VERSION 1

/*
 * Writes n's architecture and parameters to `path`, atomically: into a new
 * file path + ".tmp-XXXXXX" in the same directory (mkstemp), flushed and
 * fsync'ed, then renamed over `path`. On failure the temporary file is
 * removed and a file already at `path` is left as it was.
 *
 *     if (model_save(&n, "run1.lenet", &err)) { puts(err.message); ... }
 */
lenet_status model_save(const net *n, const char *path, lenet_error *err);

/*
 * Reads the model at `path` into n, which net_init has built. The whole file
 * is checked, in the order of the layout: magic, version, architecture
 * (which layer differs), parameter count, length (truncated or trailing
 * bytes), checksum. n->params is written only once every check has passed.
 */
lenet_status model_load(net *n, const char *path, lenet_error *err);

/*
 * The architecture text stored in model files: for each layer of
 * net_describe, "name type shape params connections", joined by "; ":
 *
 *     C1 convolution 6@28x28 156 122304; S2 subsampling 6@14x14 12 5880; ...
 *
 * Like snprintf: writes at most size bytes (NUL included; buf may be NULL
 * when size is 0) and returns the text's full length without the NUL.
 */
size_t model_describe(const net *n, char *buf, size_t size);

/*
 * Checks, before a long training run, that model_save could write `path`:
 * its directory exists and a file can be created there (one is created and
 * removed), and `path` is not a directory.
 */
lenet_status model_check_writable(const char *path, lenet_error *err);

#endif
