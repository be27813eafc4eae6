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
 * checkpoint (no optimiser state, no pass, no data set): checkpoint.h is,
 * and it builds its files with the writer and reader at the end of this
 * header.
 *
 * Errors: every function returns LENET_OK, or LENET_EIO for a file that
 * could not be opened, read or written, LENET_EFORMAT for a file whose
 * contents are wrong, LENET_ENOMEM; and fills err with one line that starts
 * with the path, e.g. "run1.lenet: checksum mismatch: ...".
 */
#ifndef LENET_MODEL_H
#define LENET_MODEL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "net.h"
#include "status.h"

#define MODEL_MAGIC "LENET5\r\n"
#define MODEL_MAGIC_SIZE 8
#define MODEL_VERSION 1
#define MODEL_ARCH_PREFIX "arch "

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
 * The architecture of the model at `path`, from the start of the file
 * alone: the magic, the version and the architecture text, checked as
 * model_load checks them, and the name the text starts with ("arch NAME; ",
 * or none for the paper's). *arch is then one of net_archs; a name this
 * program does not know is LENET_EFORMAT, naming the file and the name.
 * The rest of the file (the layers, the parameters, the checksum) is
 * model_load's to check, into a network built with *arch:
 *
 *     const net_arch *arch;
 *     if (model_arch("run1.lenet", &arch, &err)) { puts(err.message); ... }
 *     if (net_init_arch(&n, arch) || model_load(&n, "run1.lenet", &err)) ...
 */
lenet_status model_arch(const char *path, const net_arch **arch,
                        lenet_error *err);

/*
 * The architecture text stored in model files: for each layer of
 * net_describe, "name type shape params connections", joined by "; ":
 *
 *     C1 convolution 6@28x28 156 122304; S2 subsampling 6@14x14 12 5880; ...
 *
 * preceded, for an architecture other than the paper's (net.h), by its
 * name: "arch modern; C1 convolution ...". (The paper's has no prefix, so
 * that models saved before there were other architectures still load.)
 * A model is refused by a network of another architecture, naming both.
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

/*
 * Checks that the file system of `path` has `bytes` free now (statvfs), for
 * a new file of that size written beside the old one. It cannot promise the
 * room is still there when the file is written; it catches a disk that is
 * already full before hours of training.
 */
lenet_status model_check_room(const char *path, size_t bytes,
                              lenet_error *err);

/* ---- the pieces of a model file, for files built the same way --------- */

/*
 * A file written the way model_save writes one: under a temporary name
 * beside `path`, with the CRC-32 of every byte put so far. The first
 * failing write is remembered (its errno in `error`) and later ones are
 * skipped, so the puts need no checks; model_writer_commit reports it.
 *
 *     model_writer w;
 *     if (model_writer_open(&w, path, &err)) return ...;
 *     model_put_u32(&w, 7); ...
 *     return model_writer_commit(&w, &err);
 */
typedef struct {
    FILE *f;
    char *tmp;             /* the temporary file's name */
    const char *path;
    unsigned long crc;     /* zlib's crc32 of every byte put so far */
    int error;
} model_writer;

lenet_status model_writer_open(model_writer *w, const char *path,
                               lenet_error *err);
void model_put(model_writer *w, const void *bytes, size_t count);
void model_put_u32(model_writer *w, uint32_t v);
void model_put_u64(model_writer *w, uint64_t v);
void model_put_double(model_writer *w, double x);

/* A model file's fields from the architecture length to the parameters. */
void model_put_net(model_writer *w, const net *n);

/*
 * Puts the CRC-32, flushes, fsyncs, closes and renames the file over
 * `path`. On any failure, an earlier put's included, removes the temporary
 * file, leaves `path` as it was and says which step failed. Releases w
 * either way.
 */
lenet_status model_writer_commit(model_writer *w, lenet_error *err);

/*
 * A file being read one named field at a time, with the CRC-32 so far: a
 * file that ends early is reported as "truncated: the file ends after N
 * bytes, in the <field> (<kind> is <expected> bytes)".
 */
typedef struct {
    FILE *f;
    const char *path;
    unsigned long crc;
    size_t offset;         /* bytes read so far */
    size_t expected;       /* the size of a right file; 0 while unknown */
    const char *kind;      /* e.g. "a model of this network" */
    lenet_error *err;
} model_reader;

lenet_status model_reader_open(model_reader *r, const char *path,
                               const char *kind, lenet_error *err);
void model_reader_close(model_reader *r);
lenet_status model_take(model_reader *r, void *buf, size_t count,
                        const char *field);
lenet_status model_take_u32(model_reader *r, uint32_t *v, const char *field);
lenet_status model_take_u64(model_reader *r, uint64_t *v, const char *field);
lenet_status model_take_double(model_reader *r, double *x, const char *field);

/*
 * The fields model_put_net wrote, checked against n (the architecture: which
 * layer differs; the parameter count). The parameters are left in raw
 * (8 * n->num_params bytes) until the checksum has vouched for them; then
 * model_decode_doubles turns them into doubles.
 */
lenet_status model_take_net(model_reader *r, const net *n, unsigned char *raw);
void model_decode_doubles(double *x, const unsigned char *raw, size_t count);

/* The architecture length and text at r's position, and the architecture
   their name is, as model_arch finds it (for checkpoint_arch). */
lenet_status model_take_arch(model_reader *r, const net_arch **arch);

/* The CRC-32 of the file, and nothing after it. */
lenet_status model_take_checksum(model_reader *r);

#endif
