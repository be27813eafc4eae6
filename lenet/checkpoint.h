/*
 * checkpoint.h: a training run saved so that it can go on exactly where it
 * stopped, bit for bit.
 *
 * A checkpoint holds everything the next update depends on: the network's
 * parameters and the gradients of a batch under way; the trainer's pass,
 * its position in the pass, the pass's order, the loss so far, h_kk and
 * the steps; momentum's velocity, or Adam's two moments, and the number of
 * their updates (optim.h); and the generator's state, from which the
 * orders, the Hessian samples and the distortions are drawn. It also holds
 * the run's settings (options, the distortion probability among them,
 * seed, passes, limits, paths, and a CRC-32 of the data) so that
 * `lenet train --resume FILE` needs nothing else. Every optimiser, with
 * or without distortions, and every architecture (net.h) can be saved.
 * The layout is in README ("Checkpoint files"); it is written atomically
 * and read with every check of a model file (model.h), whose writer and
 * reader it uses. Another version of the layout is refused, naming both.
 *
 * The generator's state is stored as GSL keeps it in memory (what
 * gsl_rng_fwrite writes): a checkpoint resumes on a host with the same
 * word size and byte order. The model file is the portable result.
 *
 * Errors: LENET_OK, or LENET_EIO, LENET_EFORMAT, LENET_ENOMEM, LENET_EINVAL
 * with a one-line message that starts with the path, as in model.h.
 */
#ifndef LENET_CHECKPOINT_H
#define LENET_CHECKPOINT_H

#include <stddef.h>
#include <stdint.h>
#include <gsl/gsl_rng.h>

#include "net.h"
#include "status.h"
#include "train.h"

#define CHECKPOINT_MAGIC "L5CKPT\r\n"
#define CHECKPOINT_MAGIC_SIZE 8
#define CHECKPOINT_VERSION 2   /* 1: SDLM and SGD without distortions */

/* The run a checkpoint belongs to: what `lenet train` was told, beyond the
   trainer's own options. */
typedef struct {
    unsigned long seed;        /* initialisation, every order and sample */
    long passes;               /* passes the run makes in all */
    size_t train_limit;        /* images trained on; 0: all */
    size_t test_limit;         /* images tested on; 0: all */
    uint32_t train_crc;        /* checkpoint_data_crc of the training set */
    uint32_t test_crc;         /* ... and of the test set */
    const char *data_dir;      /* --data */
    const char *model_path;    /* --model */
    const char *log_path;      /* --log, or NULL */
} checkpoint_run;

/*
 * Writes the run, t's state, its network's parameters and gradients and
 * its generator's state to `path`, atomically (model_writer). Refuses, with
 * LENET_EINVAL and `path` untouched, a network with a parameter that is
 * not finite: a checkpoint is always one worth resuming.
 *
 *     if (checkpoint_save(&t, &run, "run.ckpt", &err)) puts(err.message);
 */
lenet_status checkpoint_save(const trainer *t, const checkpoint_run *run,
                             const char *path, lenet_error *err);

/*
 * Reads the checkpoint at `path`: n (built by net_init) gets its
 * parameters and gradients, rng (of the type that wrote it, mt19937 for
 * lenet train) its state, t is made by trainer_init with the stored
 * options and then given the stored state, and run the stored settings
 * (its strings are allocated: checkpoint_run_free). Everything is checked
 * first (magic, version, every size and range, the architecture, the
 * CRC-32): on failure n's parameters and rng are as they were and t and
 * run hold nothing to free.
 */
lenet_status checkpoint_load(trainer *t, net *n, gsl_rng *rng,
                             checkpoint_run *run, const char *path,
                             lenet_error *err);

/*
 * The architecture of the run saved at `path`, from the fields before it
 * (checked as checkpoint_load checks them) and its architecture text, as
 * model_arch reads a model file's: so that the network can be built
 * before checkpoint_load fills it.
 */
lenet_status checkpoint_arch(const char *path, const net_arch **arch,
                             lenet_error *err);

/* Frees the strings checkpoint_load allocated in run. */
void checkpoint_run_free(checkpoint_run *run);

/* The size of the file checkpoint_save would write, in bytes. */
size_t checkpoint_size(const trainer *t, const checkpoint_run *run);

/* zlib's CRC-32 of d's images (28x28 bytes each), then of its labels. */
uint32_t checkpoint_data_crc(const train_data *d);

#endif
