/*
 * fuzz_file.h: what the fuzz targets share. The loaders take paths, so a
 * target writes each input into a file and passes the file's name; and a
 * target checks the contract every loader states for failures (a one-line
 * message that names the file), aborting when it is broken so that libFuzzer
 * reports the input.
 *
 * The file is made once per process by memfd_create: it lives in memory
 * (a file on disk, truncated and rewritten for every input, made the
 * fuzzer wait on the disk), has no name, and so is never left behind by a
 * crash; the loaders open it as /proc/self/fd/N. Linux only, like
 * libFuzzer here; a target defines _GNU_SOURCE for memfd_create. This
 * header is for the fuzz targets only, not the library.
 */
#ifndef LENET_FUZZ_FILE_H
#define LENET_FUZZ_FILE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "status.h"

typedef struct {
    int fd;
    char path[64];       /* "/proc/self/fd/N": give this to the loader */
} fuzz_file;

/* Stops the fuzzer with a message; libFuzzer keeps the input that did it. */
static inline void fuzz_die(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz: %s: %s\n", what, detail);
    abort();
}

static inline void fuzz_file_open(fuzz_file *f)
{
    f->fd = memfd_create("lenet-fuzz", 0);
    if (f->fd < 0)
        fuzz_die("cannot make a file in memory", "memfd_create");
    snprintf(f->path, sizeof f->path, "/proc/self/fd/%d", f->fd);
}

/* Makes the file hold exactly data[0..size). */
static inline void fuzz_file_write(fuzz_file *f, const uint8_t *data,
                                   size_t size)
{
    if (ftruncate(f->fd, 0) != 0)
        fuzz_die("cannot truncate", f->path);
    for (size_t done = 0; done < size;) {
        ssize_t n = pwrite(f->fd, data + done, size - done, (off_t)done);
        if (n <= 0)
            fuzz_die("cannot write", f->path);
        done += (size_t)n;
    }
}

/* A failure's message must be one non-empty line that names `path`
   (status.h: "the caller prints `message` as it is"). */
static inline void fuzz_check_message(const lenet_error *err,
                                      const char *path)
{
    size_t len = strnlen(err->message, sizeof err->message);
    if (len == 0 || len == sizeof err->message)
        fuzz_die("message empty or not terminated", path);
    if (strchr(err->message, '\n') != NULL)
        fuzz_die("message is not one line", err->message);
    if (path != NULL && strstr(err->message, path) == NULL)
        fuzz_die("message does not name the file", err->message);
}

#endif
