/*
 * model.c: the model file of model.h, written and read one field at a time.
 *
 * Every multi-byte number is put together or taken apart byte by byte,
 * least significant first, so the file does not depend on the host's byte
 * order; a double travels as the 64 bits of its IEEE-754 representation.
 * The CRC-32 runs over the bytes as they are written or read, so a reader
 * never needs the whole file in memory except the parameters, which it
 * must hold back until the checksum has vouched for them. The writer and
 * the reader are exported (model.h) for checkpoint.c, whose files are
 * built the same way.
 */
#define _POSIX_C_SOURCE 200809L

#include "model.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
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
    if (strcmp(n->arch->name, net_arch_paper.name) != 0) {
        int k = snprintf(buf, size, "%s%s; ", MODEL_ARCH_PREFIX, n->arch->name);
        if (k > 0)
            len += (size_t)k;
    }
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
                          "name", path);
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


lenet_status model_check_room(const char *path, size_t bytes, lenet_error *err)
{
    char dir[4096], where[256];
    const char *slash = strrchr(path, '/');
    if (!slash)
        strcpy(dir, ".");
    else
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - path + 1), path);
    struct statvfs fs;
    if (statvfs(dir, &fs) != 0)
        return lenet_fail(err, LENET_EIO, "%s: cannot see how much room %s "
                          "has: %s", path, directory_of(path, where,
                          sizeof where), strerror(errno));
    double room = (double)fs.f_bavail * (double)fs.f_frsize;
    if (room < (double)bytes)
        return lenet_fail(err, LENET_EIO, "%s: no room: the file needs %zu "
                          "bytes, %s has %.0f free", path, bytes,
                          directory_of(path, where, sizeof where), room);
    return LENET_OK;
}
/* --- saving ------------------------------------------------------------- */

lenet_status model_writer_open(model_writer *w, const char *path,
                               lenet_error *err)
{
    int fd;
    *w = (model_writer){ NULL, NULL, path, crc32(0L, Z_NULL, 0), 0 };
    lenet_status s = create_temp(path, &fd, &w->tmp, err);
    if (s)
        return s;
    /* mkstemp makes the file private (0600); a model is no secret. */
    const char *step = NULL;
    if (fchmod(fd, 0644) != 0)
        step = "chmod";
    else if (!(w->f = fdopen(fd, "wb")))
        step = "open";
    if (!step)
        return LENET_OK;
    int e = errno;
    close(fd);
    unlink(w->tmp);
    lenet_fail(err, LENET_EIO, "%s: not saved: cannot %s the new file %s: %s",
               path, step, w->tmp, strerror(e));
    free(w->tmp);
    w->tmp = NULL;
    return LENET_EIO;
}

void model_put(model_writer *w, const void *bytes, size_t count)
{
    w->crc = crc32(w->crc, bytes, (uInt)count);
    errno = 0;
    if (!w->error && fwrite(bytes, 1, count, w->f) != count)
        w->error = errno ? errno : EIO;
}

void model_put_u32(model_writer *w, uint32_t v)
{
    unsigned char b[4];
    encode_u32(b, v);
    model_put(w, b, sizeof b);
}

void model_put_u64(model_writer *w, uint64_t v)
{
    unsigned char b[8];
    encode_u64(b, v);
    model_put(w, b, sizeof b);
}

/* After the rename, the directory entry must reach the disk too. Best
   effort: some file systems cannot sync a directory, and the new file is
   in place whatever this returns. */
static void sync_directory(const char *path)
{
    char dir[4096];
    const char *slash = strrchr(path, '/');
    if (!slash)
        strcpy(dir, ".");
    else
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - path + 1), path);
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

//> model-save
/* The double's bits, as the unsigned integer with the same 8 bytes. */
void model_put_double(model_writer *w, double x)
{
    uint64_t bits;
    memcpy(&bits, &x, sizeof bits);
    model_put_u64(w, bits);
}

void model_put_net(model_writer *w, const net *n)
{
    size_t arch_len = model_describe(n, NULL, 0);
    char *arch = malloc(arch_len + 1);
    if (!arch) {
        w->error = ENOMEM;                 /* reported by the commit */
        return;
    }
    model_describe(n, arch, arch_len + 1);
    model_put_u32(w, (uint32_t)arch_len);
    model_put(w, arch, arch_len);
    model_put_u64(w, n->num_params);
    for (size_t i = 0; i < n->num_params; i++)
        model_put_double(w, n->params[i]);
    free(arch);
}

lenet_status model_save(const net *n, const char *path, lenet_error *err)
{
    model_writer w;
    lenet_status s = model_writer_open(&w, path, err);
    if (s)
        return s;
    model_put(&w, MODEL_MAGIC, MODEL_MAGIC_SIZE);
    model_put_u32(&w, MODEL_VERSION);
    model_put_net(&w, n);
    return model_writer_commit(&w, err);
}

lenet_status model_writer_commit(model_writer *w, lenet_error *err)
{
    const char *step = NULL;
    int e = 0;
    model_put_u32(w, (uint32_t)w->crc);

    /* The bytes must be on disk before the rename makes them the file. */
    if (w->error)
        step = "write", e = w->error;
    else if (fflush(w->f) != 0)
        step = "write", e = errno;
    else if (fsync(fileno(w->f)) != 0)
        step = "sync", e = errno;
    if (fclose(w->f) != 0 && !e)
        step = "close", e = errno;
    if (!e && rename(w->tmp, w->path) != 0)
        step = "rename", e = errno;
    if (e) {
        unlink(w->tmp);
        lenet_fail(err, LENET_EIO, "%s: not saved: cannot %s the new file "
                   "%s: %s", w->path, step, w->tmp, strerror(e));
    } else {
        sync_directory(w->path);
    }
    free(w->tmp);
    w->tmp = NULL;
    w->f = NULL;
    return e ? LENET_EIO : LENET_OK;
}
//< model-save

/* --- loading ------------------------------------------------------------ */

lenet_status model_reader_open(model_reader *r, const char *path,
                               const char *kind, lenet_error *err)
{
    *r = (model_reader){ fopen(path, "rb"), path, crc32(0L, Z_NULL, 0), 0, 0,
                         kind, err };
    if (!r->f)
        return lenet_fail(err, LENET_EIO, "%s: cannot open: %s", path,
                          strerror(errno));
    return LENET_OK;
}

void model_reader_close(model_reader *r)
{
    if (r->f)
        fclose(r->f);
    r->f = NULL;
}

/* Reads `count` bytes of `field` into buf: LENET_OK, or the file ended
   (LENET_EFORMAT, "truncated") or could not be read (LENET_EIO). */
lenet_status model_take(model_reader *r, void *buf, size_t count,
                        const char *field)
{
    size_t got = fread(buf, 1, count, r->f);
    r->crc = crc32(r->crc, buf, (uInt)got);
    r->offset += got;
    if (got == count)
        return LENET_OK;
    if (ferror(r->f))
        return lenet_fail(r->err, LENET_EIO, "%s: cannot read the %s: %s",
                          r->path, field, strerror(errno));
    if (!r->expected)
        return lenet_fail(r->err, LENET_EFORMAT, "%s: truncated: the file "
                          "ends after %zu bytes, in the %s", r->path,
                          r->offset, field);
    return lenet_fail(r->err, LENET_EFORMAT, "%s: truncated: the file ends "
                      "after %zu bytes, in the %s (%s is %zu bytes)", r->path,
                      r->offset, field, r->kind, r->expected);
}

lenet_status model_take_u32(model_reader *r, uint32_t *v, const char *field)
{
    unsigned char b[4];
    lenet_status s = model_take(r, b, sizeof b, field);
    *v = s ? 0 : decode_u32(b);
    return s;
}

lenet_status model_take_u64(model_reader *r, uint64_t *v, const char *field)
{
    unsigned char b[8];
    lenet_status s = model_take(r, b, sizeof b, field);
    *v = s ? 0 : decode_u64(b);
    return s;
}

lenet_status model_take_double(model_reader *r, double *x, const char *field)
{
    uint64_t bits;
    lenet_status s = model_take_u64(r, &bits, field);
    memcpy(x, &bits, sizeof bits);
    return s;
}

void model_decode_doubles(double *x, const unsigned char *raw, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        uint64_t bits = decode_u64(raw + 8 * i);
        memcpy(&x[i], &bits, sizeof bits);
    }
}

static lenet_status wrong_magic(model_reader *r, const unsigned char *b)
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

/* The architecture's name in a description: after "arch ", or "paper"
   when there is none. */
static const char *arch_name(const char *text, size_t len, char *buf,
                             size_t size)
{
    size_t p = strlen(MODEL_ARCH_PREFIX);
    if (len < p || memcmp(text, MODEL_ARCH_PREFIX, p) != 0)
        return net_arch_paper.name;
    return printable(text + p, layer_end(text, len, p) - p, buf, size);
}

/* The architecture named by a description: after "arch ", up to the
   ';'; the paper's when there is no "arch " (model.h). */
static lenet_status find_arch(model_reader *r, const char *text, size_t len,
                              const net_arch **arch)
{
    size_t p = strlen(MODEL_ARCH_PREFIX);
    if (len < p || memcmp(text, MODEL_ARCH_PREFIX, p) != 0) {
        *arch = &net_arch_paper;
        return LENET_OK;
    }
    size_t end = layer_end(text, len, p);
    char name[64], shown[64], known[256] = "";
    if (end - p < sizeof name) {
        memcpy(name, text + p, end - p);
        name[end - p] = '\0';
        if (strlen(name) == end - p && (*arch = net_arch_find(name)))
            return LENET_OK;
    }
    for (int i = 0; net_archs[i]; i++) {
        strcat(known, i > 0 ? ", " : "");
        strcat(known, net_archs[i]->name);
    }
    return lenet_fail(r->err, LENET_EFORMAT, "%s: unknown architecture '%s' "
                      "(this program knows %s)", r->path,
                      printable(text + p, end - p, shown, sizeof shown), known);
}

lenet_status model_take_arch(model_reader *r, const net_arch **arch)
{
    uint32_t len;
    *arch = NULL;
    lenet_status s = model_take_u32(r, &len, "architecture length");
    if (s)
        return s;
    if (len > MODEL_MAX_ARCH)
        return lenet_fail(r->err, LENET_EFORMAT, "%s: the architecture "
                          "description is %lu bytes, more than any network's "
                          "(at most %d)", r->path, (unsigned long)len,
                          MODEL_MAX_ARCH);
    char *text = malloc(len + 1);
    if (!text)
        return lenet_fail(r->err, LENET_ENOMEM, "%s: out of memory", r->path);
    s = model_take(r, text, len, "architecture description");
    if (!s)
        s = find_arch(r, text, len, arch);
    free(text);
    return s;
}

/* The message for two architecture texts that differ: their names when
   those differ, else the first layer (the text between two "; ") where
   they part. */
static lenet_status arch_mismatch(model_reader *r, const char *file,
                                  size_t file_len, const char *own,
                                  size_t own_len)
{
    size_t i = 0, j = 0, fe = 0, oe = 0;
    int layer = 1;
    char fbuf[64], obuf[64];
    const char *file_name = arch_name(file, file_len, fbuf, sizeof fbuf);
    const char *own_name = arch_name(own, own_len, obuf, sizeof obuf);
    if (strcmp(file_name, own_name) != 0)
        return lenet_fail(r->err, LENET_EFORMAT, "%s: architecture mismatch: "
                          "the file holds a '%s' network, this network is "
                          "'%s'", r->path, file_name, own_name);
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

lenet_status model_take_net(model_reader *r, const net *n, unsigned char *raw)
{
    lenet_status s;
    char *file_arch = NULL;
    size_t arch_len = model_describe(n, NULL, 0);
    char *arch = malloc(arch_len + 1);
    if (!arch)
        return lenet_fail(r->err, LENET_ENOMEM, "%s: out of memory", r->path);
    model_describe(n, arch, arch_len + 1);

    uint32_t file_len;
    if ((s = model_take_u32(r, &file_len, "architecture length")))
        goto done;
    if (file_len > MODEL_MAX_ARCH) {
        s = lenet_fail(r->err, LENET_EFORMAT, "%s: architecture mismatch: "
                       "the file's description is %lu bytes, this network's "
                       "%zu", r->path, (unsigned long)file_len, arch_len);
        goto done;
    }
    if (!(file_arch = malloc(file_len + 1))) {
        s = lenet_fail(r->err, LENET_ENOMEM, "%s: out of memory", r->path);
        goto done;
    }
    if ((s = model_take(r, file_arch, file_len, "architecture description")))
        goto done;
    if (file_len != arch_len || memcmp(file_arch, arch, arch_len) != 0) {
        s = arch_mismatch(r, file_arch, file_len, arch, arch_len);
        goto done;
    }

    uint64_t count;
    if ((s = model_take_u64(r, &count, "parameter count")))
        goto done;
    if (count != n->num_params) {
        s = lenet_fail(r->err, LENET_EFORMAT, "%s: parameter count mismatch: "
                       "the file has %llu, this network has %zu", r->path,
                       (unsigned long long)count, n->num_params);
        goto done;
    }
    s = model_take(r, raw, 8 * n->num_params, "parameters");
done:
    free(file_arch);
    free(arch);
    return s;
}

lenet_status model_take_checksum(model_reader *r)
{
    uint32_t computed = (uint32_t)r->crc, stored;
    lenet_status s = model_take_u32(r, &stored, "checksum");
    if (s)
        return s;
    size_t extra = bytes_left(r->f);
    if (ferror(r->f))
        return lenet_fail(r->err, LENET_EIO, "%s: cannot read past the "
                          "checksum: %s", r->path, strerror(errno));
    if (extra)
        return lenet_fail(r->err, LENET_EFORMAT, "%s: %zu trailing byte%s "
                          "after the checksum (%s is %zu bytes)", r->path,
                          extra, extra == 1 ? "" : "s", r->kind, r->expected);
    if (stored != computed)
        return lenet_fail(r->err, LENET_EFORMAT, "%s: checksum mismatch: the "
                          "file says 0x%08lx, its contents give 0x%08lx",
                          r->path, (unsigned long)stored,
                          (unsigned long)computed);
    return LENET_OK;
}

/* The magic and the version. */
static lenet_status take_header(model_reader *r)
{
    unsigned char b[MODEL_MAGIC_SIZE];
    /* A file shorter than the magic is truncated if what it has matches. */
    lenet_status s = model_take(r, b, MODEL_MAGIC_SIZE, "magic");
    if (s != LENET_EIO && memcmp(b, MODEL_MAGIC, r->offset) != 0)
        return wrong_magic(r, b);
    if (s)
        return s;

    uint32_t version;
    if ((s = model_take_u32(r, &version, "format version")))
        return s;
    if (version != MODEL_VERSION)
        return lenet_fail(r->err, LENET_EFORMAT, "%s: unsupported format "
                          "version %lu (this program reads version %d)",
                          r->path, (unsigned long)version, MODEL_VERSION);
    return LENET_OK;
}

/* Every field of a model file, in order; the parameters into raw. */
static lenet_status take_model(model_reader *r, const net *n,
                               unsigned char *raw)
{
    lenet_status s;
    if ((s = take_header(r)) || (s = model_take_net(r, n, raw)))
        return s;
    return model_take_checksum(r);
}

lenet_status model_arch(const char *path, const net_arch **arch,
                        lenet_error *err)
{
    model_reader r;
    *arch = NULL;
    lenet_status s = model_reader_open(&r, path, "a model file", err);
    if (!s && !(s = take_header(&r)))
        s = model_take_arch(&r, arch);
    model_reader_close(&r);
    return s;
}

lenet_status model_load(net *n, const char *path, lenet_error *err)
{
    /* Held back in raw until the checksum agrees; n is not touched yet. */
    unsigned char *raw = malloc(8 * n->num_params + 1);
    if (!raw)
        return lenet_fail(err, LENET_ENOMEM, "%s: out of memory", path);
    model_reader r;
    lenet_status s = model_reader_open(&r, path, "a model of this network",
                                       err);
    if (!s) {
        r.expected = MODEL_FIXED_BYTES + model_describe(n, NULL, 0) +
                     8 * n->num_params;
        s = take_model(&r, n, raw);
    }
    if (!s)
        model_decode_doubles(n->params, raw, n->num_params);
    model_reader_close(&r);
    free(raw);
    return s;
}
