/*
 * model.c: the model file of model.h, written and read one field at a time.
 *
 * Every multi-byte number is put together or taken apart byte by byte,
 * least significant first, so the file does not depend on the host's byte
 * order; a double travels as the 64 bits of its IEEE-754 representation.
 * The CRC-32 runs over the bytes as they are written or read, so a reader
 * never needs the whole file in memory except the parameters, which it
 * must hold back until the checksum has vouched for them.
 */
#define _POSIX_C_SOURCE 200809L

#include "model.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

/* A double is stored as its 8 bytes: the host must have binary64 doubles. */
_Static_assert(sizeof(double) == sizeof(uint64_t), "double is not 64 bits");

/* Magic, version, architecture length, parameter count and CRC: every byte
   of a model file but the architecture text and the parameters. */
#define MODEL_FIXED_BYTES (MODEL_MAGIC_SIZE + 4 + 4 + 8 + 4)

/* LeNet-5's architecture text is about 250 bytes; a file claiming more
   than this is corrupt, and we refuse before allocating for it. */
#define MODEL_MAX_ARCH 65536

/* The temporary file of a save: path + this, X's replaced by mkstemp. */
#define MODEL_TMP_SUFFIX ".tmp-XXXXXX"

size_t model_describe(const net *n, char *buf, size_t size)
{
    net_layer_info info[NET_LAYERS];
    net_describe(n, info);
    size_t len = 0;
    for (int i = 0; i < NET_LAYERS; i++) {
        char shape[48];
        if (info[i].rows == 0)
            snprintf(shape, sizeof shape, "%d", info[i].maps);
        else
            snprintf(shape, sizeof shape, "%d@%dx%d", info[i].maps,
                     info[i].rows, info[i].cols);
        /* Past the end of buf, only count (snprintf with no room). */
        int k = snprintf(len < size ? buf + len : NULL,
                         len < size ? size - len : 0, "%s%s %s %s %zu %zu",
                         i > 0 ? "; " : "", info[i].name, info[i].type,
                         shape, info[i].params, info[i].connections);
        if (k > 0)
            len += (size_t)k;
    }
    return len;
}

/* --- numbers as little-endian bytes ------------------------------------- */

//> model-encode
static void encode_u32(unsigned char b[4], uint32_t v)
{
    for (int i = 0; i < 4; i++)
        b[i] = (unsigned char)(v >> (8 * i));
}

static void encode_u64(unsigned char b[8], uint64_t v)
{
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)(v >> (8 * i));
}
//< model-encode

static uint32_t decode_u32(const unsigned char b[4])
{
    uint32_t v = 0;
    for (int i = 3; i >= 0; i--)
        v = (v << 8) | b[i];
    return v;
}

static uint64_t decode_u64(const unsigned char b[8])
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | b[i];
    return v;
}

/* --- names of files and directories, for messages ----------------------- */

/* Writes "directory 'models/'" for "models/a.lenet", or "the current
   directory" for "a.lenet", into buf. */
static const char *directory_of(const char *path, char *buf, size_t size)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(buf, size, "the current directory");
    else
        snprintf(buf, size, "directory '%.*s'", (int)(slash - path + 1), path);
    return buf;
}

/* path + MODEL_TMP_SUFFIX, for mkstemp; NULL if out of memory. */
static char *temp_template(const char *path)
{
    char *t = malloc(strlen(path) + sizeof MODEL_TMP_SUFFIX);
    if (t) {
        strcpy(t, path);
        strcat(t, MODEL_TMP_SUFFIX);
    }
    return t;
}

/* Creates a temporary file beside `path`: its descriptor in *fd and its
   name in *tmp (to free), or a status with err filled and *tmp NULL. */
static lenet_status create_temp(const char *path, int *fd, char **tmp,
                                lenet_error *err)
{
    char dir[256];
    *tmp = temp_template(path);
    if (!*tmp)
        return lenet_fail(err, LENET_ENOMEM, "%s: out of memory", path);
    *fd = mkstemp(*tmp);
    if (*fd < 0) {
        free(*tmp);
        *tmp = NULL;
        return lenet_fail(err, LENET_EIO, "%s: cannot create a file in %s: %s",
                          path, directory_of(path, dir, sizeof dir),
                          strerror(errno));
    }
    return LENET_OK;
}

lenet_status model_check_writable(const char *path, lenet_error *err)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return lenet_fail(err, LENET_EIO, "%s: is a directory, not a file "
                          "name for the model", path);
    int fd;
    char *tmp;
    lenet_status s = create_temp(path, &fd, &tmp, err);
    if (s)
        return s;
    close(fd);
    if (unlink(tmp) != 0)
        s = lenet_fail(err, LENET_EIO, "%s: cannot remove the test file %s: %s",
                       path, tmp, strerror(errno));
    free(tmp);
    return s;
}

/* --- saving ------------------------------------------------------------- */

/* A file being written, and the CRC of everything written so far. The first
   failing fwrite is remembered (errno in `error`); later writes are skipped. */
typedef struct {
    FILE *f;
    uLong crc;
    int error;
} writer;

static void put(writer *w, const void *bytes, size_t count)
{
    w->crc = crc32(w->crc, bytes, (uInt)count);
    errno = 0;
    if (!w->error && fwrite(bytes, 1, count, w->f) != count)
        w->error = errno ? errno : EIO;
}

static void put_u32(writer *w, uint32_t v)
{
    unsigned char b[4];
    encode_u32(b, v);
    put(w, b, sizeof b);
}

static void put_u64(writer *w, uint64_t v)
{
    unsigned char b[8];
    encode_u64(b, v);
    put(w, b, sizeof b);
}

//> model-save
/* The double's bits, as the unsigned integer with the same 8 bytes. */
static void put_double(writer *w, double x)
{
    uint64_t bits;
    memcpy(&bits, &x, sizeof bits);
    put_u64(w, bits);
}

lenet_status model_save(const net *n, const char *path, lenet_error *err)
{
    size_t arch_len = model_describe(n, NULL, 0);
    char *arch = malloc(arch_len + 1);
    if (!arch)
        return lenet_fail(err, LENET_ENOMEM, "%s: out of memory", path);
    model_describe(n, arch, arch_len + 1);

    int fd;
    char *tmp;
    lenet_status s = create_temp(path, &fd, &tmp, err);
    if (s) {
        free(arch);
        return s;
    }

    /* mkstemp makes the file private (0600); a model is no secret. */
    const char *step = NULL;
    int e = 0;
    FILE *f = NULL;
    if (fchmod(fd, 0644) != 0)
        step = "chmod";
    else if (!(f = fdopen(fd, "wb")))
        step = "open";
    if (step) {
        e = errno;
        close(fd);
        goto fail;
    }

    writer w = { f, crc32(0L, Z_NULL, 0), 0 };
    put(&w, MODEL_MAGIC, MODEL_MAGIC_SIZE);
    put_u32(&w, MODEL_VERSION);
    put_u32(&w, (uint32_t)arch_len);
    put(&w, arch, arch_len);
    put_u64(&w, n->num_params);
    for (size_t i = 0; i < n->num_params; i++)
        put_double(&w, n->params[i]);
    put_u32(&w, (uint32_t)w.crc);

    /* The bytes must be on disk before the rename makes them the model. */
    if (w.error)
        step = "write", e = w.error;
    else if (fflush(f) != 0)
        step = "write", e = errno;
    else if (fsync(fileno(f)) != 0)
        step = "sync", e = errno;
    if (fclose(f) != 0 && !e)
        step = "close", e = errno;
    if (!e && rename(tmp, path) != 0)
        step = "rename", e = errno;
    if (!e) {
        free(tmp);
        free(arch);
        return LENET_OK;
    }
fail:
    unlink(tmp);
    lenet_fail(err, LENET_EIO, "%s: not saved: cannot %s the new file %s: %s",
               path, step, tmp, strerror(e));
    free(tmp);
    free(arch);
    return LENET_EIO;
}
//< model-save

/* --- loading ------------------------------------------------------------ */

/* A file being read: how far, the CRC so far, and the size a model of this
   network has, for the message when the file is short. */
typedef struct {
    FILE *f;
    const char *path;
    uLong crc;
    size_t offset;
    size_t expected;
    lenet_error *err;
} reader;

/* Reads `count` bytes of `field` into buf: LENET_OK, or the file ended
   (LENET_EFORMAT, "truncated") or could not be read (LENET_EIO). */
static lenet_status take(reader *r, void *buf, size_t count, const char *field)
{
    size_t got = fread(buf, 1, count, r->f);
    r->crc = crc32(r->crc, buf, (uInt)got);
    r->offset += got;
    if (got == count)
        return LENET_OK;
    if (ferror(r->f))
        return lenet_fail(r->err, LENET_EIO, "%s: cannot read the %s: %s",
                          r->path, field, strerror(errno));
    return lenet_fail(r->err, LENET_EFORMAT, "%s: truncated: the file ends "
                      "after %zu bytes, in the %s (a model of this network "
                      "is %zu bytes)", r->path, r->offset, field, r->expected);
}

static lenet_status wrong_magic(reader *r, const unsigned char *b)
{
    /* "\r\n" turned into "\n", or "\n" into "\r\n": a copy in text mode. */
    if (r->offset >= 7 && (memcmp(b, "LENET5\n", 7) == 0 ||
                           (r->offset == 8 && memcmp(b, "LENET5\r\r", 8) == 0)))
        return lenet_fail(r->err, LENET_EFORMAT, "%s: not a LeNet-5 model "
                          "file: its line endings were converted (copied as "
                          "text?)", r->path);
    return lenet_fail(r->err, LENET_EFORMAT, "%s: not a LeNet-5 model file "
                      "(wrong magic)", r->path);
}

/* Where the layer starting at `at` of an architecture text ends: at the
   next ';' or at the end. */
static size_t layer_end(const char *text, size_t len, size_t at)
{
    while (at < len && text[at] != ';')
        at++;
    return at;
}

/* text[0..len) made printable and short, for a message. */
static const char *printable(const char *text, size_t len, char *buf,
                             size_t size)
{
    size_t k = 0;
    for (; k < len && k + 4 < size; k++) {
        unsigned char c = (unsigned char)text[k];
        buf[k] = c >= 32 && c < 127 ? (char)c : '?';
    }
    strcpy(buf + k, k < len ? "..." : "");
    return buf;
}

/* The message for two architecture texts that differ: the first layer
   (the text between two "; ") where they part. */
static lenet_status arch_mismatch(reader *r, const char *file, size_t file_len,
                                  const char *own, size_t own_len)
{
    size_t i = 0, j = 0, fe = 0, oe = 0;
    int layer = 1;
    for (; i < file_len && j < own_len; layer++) {
        fe = layer_end(file, file_len, i);
        oe = layer_end(own, own_len, j);
        if (fe - i != oe - j || memcmp(file + i, own + j, fe - i) != 0)
            break;
        i = fe + 2;                             /* past "; " */
        j = oe + 2;
    }
    char a[96], b[96];
    if (i < file_len && j < own_len)
        return lenet_fail(r->err, LENET_EFORMAT, "%s: architecture mismatch "
            "in layer %d (%.*s): the file has '%s', this network has '%s'",
            r->path, layer, (int)strcspn(own + j, " "), own + j,
            printable(file + i, fe - i, a, sizeof a),
            printable(own + j, oe - j, b, sizeof b));
    if (j < own_len)
        return lenet_fail(r->err, LENET_EFORMAT, "%s: architecture mismatch: "
            "the file has no layer %d, this network has '%s'", r->path, layer,
            printable(own + j, layer_end(own, own_len, j) - j, b, sizeof b));
    if (i < file_len)
        return lenet_fail(r->err, LENET_EFORMAT, "%s: architecture mismatch: "
            "the file has an extra layer %d, '%s'", r->path, layer,
            printable(file + i, layer_end(file, file_len, i) - i, a,
                      sizeof a));
    return lenet_fail(r->err, LENET_EFORMAT, "%s: architecture mismatch: the "
                      "file's description is not this network's", r->path);
}

/* How many bytes are left in f: 0 for a file that ends where it should. */
static size_t bytes_left(FILE *f)
{
    unsigned char chunk[4096];
    size_t total = 0, got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        total += got;
    return total;
}

lenet_status model_load(net *n, const char *path, lenet_error *err)
{
    lenet_status s;
    unsigned char b[8];
    char *file_arch = NULL;
    unsigned char *raw = NULL;
    size_t arch_len = model_describe(n, NULL, 0);
    char *arch = malloc(arch_len + 1);
    if (!arch)
        return lenet_fail(err, LENET_ENOMEM, "%s: out of memory", path);
    model_describe(n, arch, arch_len + 1);

    FILE *f = fopen(path, "rb");
    if (!f) {
        s = lenet_fail(err, LENET_EIO, "%s: cannot open: %s", path,
                       strerror(errno));
        goto done;
    }
    reader r = { f, path, crc32(0L, Z_NULL, 0), 0,
                 MODEL_FIXED_BYTES + arch_len + 8 * n->num_params, err };

    /* A file shorter than the magic is truncated if what it has matches. */
    s = take(&r, b, MODEL_MAGIC_SIZE, "magic");
    if (s != LENET_EIO && memcmp(b, MODEL_MAGIC, r.offset) != 0)
        s = wrong_magic(&r, b);
    if (s)
        goto done;

    if ((s = take(&r, b, 4, "format version")))
        goto done;
    uint32_t version = decode_u32(b);
    if (version != MODEL_VERSION) {
        s = lenet_fail(err, LENET_EFORMAT, "%s: unsupported format version "
                       "%lu (this program reads version %d)", path,
                       (unsigned long)version, MODEL_VERSION);
        goto done;
    }

    if ((s = take(&r, b, 4, "architecture length")))
        goto done;
    uint32_t file_len = decode_u32(b);
    if (file_len > MODEL_MAX_ARCH) {
        s = lenet_fail(err, LENET_EFORMAT, "%s: architecture mismatch: the "
                       "file's description is %lu bytes, this network's %zu",
                       path, (unsigned long)file_len, arch_len);
        goto done;
    }
    if (!(file_arch = malloc(file_len + 1))) {
        s = lenet_fail(err, LENET_ENOMEM, "%s: out of memory", path);
        goto done;
    }
    if ((s = take(&r, file_arch, file_len, "architecture description")))
        goto done;
    if (file_len != arch_len || memcmp(file_arch, arch, arch_len) != 0) {
        s = arch_mismatch(&r, file_arch, file_len, arch, arch_len);
        goto done;
    }

    if ((s = take(&r, b, 8, "parameter count")))
        goto done;
    uint64_t count = decode_u64(b);
    if (count != n->num_params) {
        s = lenet_fail(err, LENET_EFORMAT, "%s: parameter count mismatch: "
                       "the file has %llu, this network has %zu", path,
                       (unsigned long long)count, n->num_params);
        goto done;
    }

    /* Held back in raw until the checksum agrees; n is not touched yet. */
    if (!(raw = malloc(8 * n->num_params + 1))) {
        s = lenet_fail(err, LENET_ENOMEM, "%s: out of memory", path);
        goto done;
    }
    if ((s = take(&r, raw, 8 * n->num_params, "parameters")))
        goto done;
    uint32_t computed = (uint32_t)r.crc;
    if ((s = take(&r, b, 4, "checksum")))
        goto done;

    size_t extra = bytes_left(f);
    if (ferror(f)) {
        s = lenet_fail(err, LENET_EIO, "%s: cannot read past the checksum: %s",
                       path, strerror(errno));
        goto done;
    }
    if (extra) {
        s = lenet_fail(err, LENET_EFORMAT, "%s: %zu trailing byte%s after the "
                       "checksum (a model of this network is %zu bytes)",
                       path, extra, extra == 1 ? "" : "s", r.expected);
        goto done;
    }
    uint32_t stored = decode_u32(b);
    if (stored != computed) {
        s = lenet_fail(err, LENET_EFORMAT, "%s: checksum mismatch: the file "
                       "says 0x%08lx, its contents give 0x%08lx", path,
                       (unsigned long)stored, (unsigned long)computed);
        goto done;
    }

    for (size_t i = 0; i < n->num_params; i++) {
        uint64_t bits = decode_u64(raw + 8 * i);
        memcpy(&n->params[i], &bits, sizeof bits);
    }
    s = LENET_OK;
done:
    if (f)
        fclose(f);
    free(raw);
    free(file_arch);
    free(arch);
    return s;
}
