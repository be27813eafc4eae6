/*
 * mnist.c: reading a pair of IDX files (§III.A), raw or gzip.
 *
 * zlib's gzopen/gzread read both kinds the same way (a file without a gzip
 * header is passed through as it is), so there is one code path. It trusts
 * nothing in a header: the pixel buffer grows with the bytes that actually
 * arrive, and a file is read to its end, which both finds trailing bytes and
 * makes zlib check the gzip CRC.
 */
#define _POSIX_C_SOURCE 200809L   /* stat() */
#include "mnist.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#define IMAGES_HEADER 16          /* magic, count, rows, cols */
#define LABELS_HEADER 8           /* magic, count */
#define FIRST_BUFFER (1u << 20)   /* the pixel buffer starts at 1 MiB at most */
#define READ_CHUNK (1u << 30)     /* gzread takes an unsigned int length */

/* A count with thousands separators, "60,000", for messages. Returned in
   a struct so that two can appear in one printf: each temporary lives to
   the end of the full expression (C11 6.2.4). */
typedef struct {
    char s[32];
} number;

static number commas(size_t n)
{
    char digits[32];
    number out;
    int len = snprintf(digits, sizeof digits, "%zu", n), j = 0;
    for (int i = 0; i < len; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            out.s[j++] = ',';
        out.s[j++] = digits[i];
    }
    out.s[j] = '\0';
    return out;
}

//> mnist-big-endian
static uint32_t big_endian32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
           (uint32_t)p[2] << 8 | (uint32_t)p[3];
}
//< mnist-big-endian

/* The status and message for the error zlib has recorded on f. */
static lenet_status gz_failure(gzFile f, const char *path, lenet_error *err)
{
    int code;
    const char *what = gzerror(f, &code);
    size_t n = strlen(path);            /* zlib's message starts "path: " */
    if (strncmp(what, path, n) == 0 && strncmp(what + n, ": ", 2) == 0)
        what += n + 2;
    if (code == Z_ERRNO)
        return lenet_fail(err, LENET_EIO, "%s: cannot read: %s",
                          path, strerror(errno));
    if (code == Z_MEM_ERROR)
        return lenet_fail(err, LENET_ENOMEM, "%s: out of memory", path);
    return lenet_fail(err, LENET_EFORMAT, "%s: corrupt gzip data: %s",
                      path, what);
}

static lenet_status open_file(gzFile *f, const char *path, lenet_error *err)
{
    errno = 0;
    *f = gzopen(path, "rb");
    if (*f == NULL)
        return lenet_fail(err, LENET_EIO, "%s: cannot open: %s", path,
                          errno ? strerror(errno) : "out of memory");
    return LENET_OK;
}

/*
 * Reads up to `want` bytes into buf; *got is how many arrived before the
 * end of the file. A gzip stream that stops mid-way is an error, not an
 * end: zlib reports it as Z_BUF_ERROR once the input runs out.
 */
static lenet_status read_bytes(gzFile f, const char *path, unsigned char *buf,
                               size_t want, size_t *got, lenet_error *err)
{
    *got = 0;
    while (*got < want) {
        size_t ask = want - *got < READ_CHUNK ? want - *got : READ_CHUNK;
        int n = gzread(f, buf + *got, (unsigned)ask);
        if (n < 0)
            return gz_failure(f, path, err);
        if (n == 0)
            break;
        *got += (size_t)n;
    }
    if (*got < want) {
        int code;
        gzerror(f, &code);
        if (code != Z_OK)
            return gz_failure(f, path, err);
    }
    return LENET_OK;
}

/*
 * Reads up to `want` bytes into a buffer that doubles as they arrive, so a
 * header that lies about its count costs no more memory than the file holds.
 * On success *out (of *got bytes, *got <= want) belongs to the caller.
 */
static lenet_status read_body(gzFile f, const char *path, size_t want,
                              unsigned char **out, size_t *got,
                              lenet_error *err)
{
    size_t capacity = want < FIRST_BUFFER ? want : FIRST_BUFFER;
    unsigned char *buf = malloc(capacity);
    *out = NULL;
    *got = 0;
    if (buf == NULL)
        return lenet_fail(err, LENET_ENOMEM, "%s: out of memory", path);
    for (;;) {
        size_t n;
        lenet_status status = read_bytes(f, path, buf + *got,
                                         capacity - *got, &n, err);
        if (status != LENET_OK) {
            free(buf);
            return status;
        }
        *got += n;
        if (*got < capacity || capacity == want)
            break;                      /* the file ended, or all is here */
        capacity = capacity <= want / 2 ? capacity * 2 : want;
        unsigned char *bigger = realloc(buf, capacity);
        if (bigger == NULL) {
            free(buf);
            return lenet_fail(err, LENET_ENOMEM, "%s: out of memory", path);
        }
        buf = bigger;
    }
    *out = buf;
    return LENET_OK;
}

/* Reads f to its end; *extra is how many bytes were left. */
static lenet_status read_to_end(gzFile f, const char *path, size_t *extra,
                                lenet_error *err)
{
    unsigned char scratch[4096];
    size_t n;
    *extra = 0;
    do {
        lenet_status status = read_bytes(f, path, scratch, sizeof scratch,
                                         &n, err);
        if (status != LENET_OK)
            return status;
        *extra += n;
    } while (n == sizeof scratch);
    return LENET_OK;
}

//> mnist-header
/* Reads a header of `size` bytes and checks its magic number. */
static lenet_status read_header(gzFile f, const char *path, uint32_t magic,
                                unsigned char *header, size_t size,
                                lenet_error *err)
{
    size_t got;
    lenet_status status = read_bytes(f, path, header, size, &got, err);
    if (status != LENET_OK)
        return status;
    if (got < size)
        return lenet_fail(err, LENET_EFORMAT,
                          "%s: truncated header: %zu of %zu bytes",
                          path, got, size);
    uint32_t found = big_endian32(header);
    if (found != magic) {
        const char *hint = found == MNIST_LABELS_MAGIC ? " (a labels file)"
                         : found == MNIST_IMAGES_MAGIC ? " (an images file)"
                         : "";
        return lenet_fail(err, LENET_EFORMAT,
                          "%s: bad magic number 0x%08lx%s, expected 0x%08lx "
                          "(IDX %s)", path, (unsigned long)found, hint,
                          (unsigned long)magic,
                          magic == MNIST_IMAGES_MAGIC ? "images" : "labels");
    }
    return LENET_OK;
}
//< mnist-header

/* Reads the body of `count` items of `item` bytes each, then the end of
   the file; `noun` names the items in messages. */
static lenet_status read_items(gzFile f, const char *path, size_t count,
                               size_t item, const char *noun,
                               unsigned char **out, lenet_error *err)
{
    size_t got, extra;
    lenet_status status = read_body(f, path, count * item, out, &got, err);
    if (status != LENET_OK)
        return status;
    if (got < count * item)
        status = lenet_fail(err, LENET_EFORMAT, "%s: truncated: %s of %s %s",
                            path, commas(got / item).s, commas(count).s, noun);
    else if ((status = read_to_end(f, path, &extra, err)) == LENET_OK &&
             extra > 0)
        status = lenet_fail(err, LENET_EFORMAT,
                            "%s: %s trailing bytes after the %s %s",
                            path, commas(extra).s, commas(count).s, noun);
    if (status != LENET_OK) {
        free(*out);
        *out = NULL;
    }
    return status;
}

lenet_status mnist_load(mnist *set, const char *images_path,
                        const char *labels_path, lenet_error *err)
{
    gzFile images = NULL, labels = NULL;
    unsigned char ih[IMAGES_HEADER], lh[LABELS_HEADER];
    lenet_status status;

    memset(set, 0, sizeof *set);
    if ((status = open_file(&images, images_path, err)) != LENET_OK ||
        (status = read_header(images, images_path, MNIST_IMAGES_MAGIC,
                              ih, sizeof ih, err)) != LENET_OK)
        goto fail;
//> mnist-load-checks
    uint32_t count = big_endian32(ih + 4);
    uint32_t rows = big_endian32(ih + 8), cols = big_endian32(ih + 12);
    if (rows < 1 || rows > MNIST_MAX_SIDE || cols < 1 || cols > MNIST_MAX_SIDE) {
        status = lenet_fail(err, LENET_EFORMAT,
                            "%s: absurd dimensions %lux%lu (rows and cols "
                            "must be 1 to %d)", images_path,
                            (unsigned long)rows, (unsigned long)cols,
                            MNIST_MAX_SIDE);
        goto fail;
    }
    if (count == 0) {
        status = lenet_fail(err, LENET_EFORMAT, "%s: no images (count is 0)",
                            images_path);
        goto fail;
    }
    size_t pixels = (size_t)rows * cols;         /* at most 2^20 */
    if (count > SIZE_MAX / pixels) {
        status = lenet_fail(err, LENET_EFORMAT, "%s: %s images of %lux%lu "
                            "are more bytes than memory can address",
                            images_path, commas(count).s,
                            (unsigned long)rows, (unsigned long)cols);
        goto fail;
    }

    if ((status = open_file(&labels, labels_path, err)) != LENET_OK ||
        (status = read_header(labels, labels_path, MNIST_LABELS_MAGIC,
                              lh, sizeof lh, err)) != LENET_OK)
        goto fail;
    uint32_t label_count = big_endian32(lh + 4);
    if (label_count != count) {
        status = lenet_fail(err, LENET_EFORMAT, "%s: %s labels, but %s has "
                            "%s images", labels_path, commas(label_count).s,
                            images_path, commas(count).s);
        goto fail;
    }
//< mnist-load-checks

    set->count = count;
    set->rows = (int)rows;
    set->cols = (int)cols;
    if ((status = read_items(images, images_path, count, pixels, "images",
                             &set->images, err)) != LENET_OK ||
        (status = read_items(labels, labels_path, count, 1, "labels",
                             &set->labels, err)) != LENET_OK)
        goto fail;
    for (size_t i = 0; i < set->count; i++)
        if (set->labels[i] > 9) {
            status = lenet_fail(err, LENET_EFORMAT, "%s: label %d at index "
                                "%s (labels are 0 to 9)", labels_path,
                                set->labels[i], commas(i).s);
            goto fail;
        }

    int closed_images = gzclose(images), closed_labels = gzclose(labels);
    images = labels = NULL;
    if (closed_images != Z_OK || closed_labels != Z_OK) {
        status = lenet_fail(err, LENET_EIO, "%s: cannot close",
                            closed_images != Z_OK ? images_path : labels_path);
        goto fail;
    }
    return LENET_OK;

fail:
    if (images)
        gzclose(images);
    if (labels)
        gzclose(labels);
    mnist_free(set);
    return status;
}

/* The four standard files (§III.A), in the order mnist_load_dir reads them. */
static const char *const standard_names[4] = {
    "train-images-idx3-ubyte", "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte",
};

/* Writes dir/name, or else dir/name.gz, into path: whichever exists. */
static lenet_status find_file(char *path, size_t size, const char *dir,
                              const char *name, lenet_error *err)
{
    struct stat st;
    for (int gz = 0; gz <= 1; gz++) {
        int len = snprintf(path, size, "%s/%s%s", dir, name, gz ? ".gz" : "");
        if (len < 0 || (size_t)len >= size)
            return lenet_fail(err, LENET_EINVAL, "%s: path too long", dir);
        if (stat(path, &st) == 0)
            return LENET_OK;
    }
    return lenet_fail(err, LENET_EIO, "%s/%s: no such file (nor %s.gz; "
                      "run 'make data')", dir, name, name);
}

lenet_status mnist_load_dir(mnist *train, mnist *test, const char *dir,
                            lenet_error *err)
{
    char path[4][4096];
    struct stat st;
    lenet_status status;

    memset(train, 0, sizeof *train);
    memset(test, 0, sizeof *test);
    if (stat(dir, &st) != 0)
        return errno == ENOENT
            ? lenet_fail(err, LENET_EIO, "%s: no such directory "
                         "(run 'make data')", dir)
            : lenet_fail(err, LENET_EIO, "%s: %s", dir, strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return lenet_fail(err, LENET_EIO, "%s: not a directory", dir);
    for (int i = 0; i < 4; i++)
        if ((status = find_file(path[i], sizeof path[i], dir,
                                standard_names[i], err)) != LENET_OK)
            return status;
    if ((status = mnist_load(train, path[0], path[1], err)) != LENET_OK)
        return status;
    if ((status = mnist_load(test, path[2], path[3], err)) != LENET_OK)
        mnist_free(train);
    return status;
}

void mnist_free(mnist *set)
{
    free(set->images);
    free(set->labels);
    memset(set, 0, sizeof *set);
}
