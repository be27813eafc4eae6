/*
 * check_model.c: the model file (model.h): a round trip is bit for bit; the
 * file is the layout README documents, byte for byte, as rebuilt here from
 * that table alone; each kind of damage is refused with its own message and
 * leaves the target network as it was; saves are atomic.
 *
 * Every test works in a scratch directory made by mkdtemp and removed by the
 * fixture's teardown, even when the test fails.
 */
#define _POSIX_C_SOURCE 200809L

#include "harness.h"

#include <dirent.h>
#include <float.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "model.h"
#include "paper.h"

/* --- the scratch directory ---------------------------------------------- */

static char scratch[64];

static void scratch_setup(void)
{
    strcpy(scratch, "/tmp/lenet-model-XXXXXX");
    ck_assert_msg(mkdtemp(scratch) != NULL, "mkdtemp failed");
}

/* Removes the files in dir, then dir (the tests make no deeper trees but
   one empty subdirectory). */
static void remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    char path[512];
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (unlink(path) != 0)
            rmdir(path);
    }
    closedir(d);
    rmdir(dir);
}

static void scratch_teardown(void)
{
    remove_tree(scratch);
}

/* scratch/name, in buf. */
static const char *in_scratch(char buf[512], const char *name)
{
    snprintf(buf, 512, "%s/%s", scratch, name);
    return buf;
}

/* How many entries scratch holds, and how many of them are *.tmp-*. */
static int scratch_entries(int *temporaries)
{
    DIR *d = opendir(scratch);
    ck_assert_ptr_nonnull(d);
    int count = 0;
    *temporaries = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        count++;
        *temporaries += strstr(e->d_name, ".tmp-") != NULL;
    }
    closedir(d);
    return count;
}

/* --- files as bytes ----------------------------------------------------- */

/* Little-endian numbers, written here from README's table and not taken
   from model.c, so that the two can disagree. */
static void le(unsigned char *at, uint64_t v, int bytes)
{
    for (int i = 0; i < bytes; i++)
        at[i] = (unsigned char)(v >> (8 * i));
}

/*
 * A model file as README's table lays it out: magic, version 1, the
 * architecture text, `count`, the parameters and the CRC-32 of all that.
 * Its size in *size; the caller frees it.
 */
static unsigned char *build_file(const char *arch, size_t arch_len,
                                 uint64_t count, const double *params,
                                 size_t num_params, size_t *size)
{
    *size = 8 + 4 + 4 + arch_len + 8 + 8 * num_params + 4;
    unsigned char *b = malloc(*size), *at = b;
    ck_assert_ptr_nonnull(b);
    memcpy(at, "LENET5\r\n", 8), at += 8;
    le(at, 1, 4), at += 4;
    le(at, arch_len, 4), at += 4;
    memcpy(at, arch, arch_len), at += arch_len;
    le(at, count, 8), at += 8;
    for (size_t i = 0; i < num_params; i++) {
        uint64_t bits;
        memcpy(&bits, &params[i], 8);
        le(at, bits, 8), at += 8;
    }
    le(at, crc32(0L, b, (uInt)(at - b)), 4);
    return b;
}

/* Recomputes the CRC of a file that was edited on purpose, so that the one
   thing wrong with it is the edit. */
static void reseal(unsigned char *bytes, size_t size)
{
    le(bytes + size - 4, crc32(0L, bytes, (uInt)(size - 4)), 4);
}

static char *description(const net *n, size_t *len)
{
    *len = model_describe(n, NULL, 0);
    char *text = malloc(*len + 1);
    ck_assert_ptr_nonnull(text);
    ck_assert_uint_eq(model_describe(n, text, *len + 1), *len);
    return text;
}

/* A network saved to scratch/name, read back as bytes; the caller frees
   them and n. */
static unsigned char *saved_bytes(net *n, unsigned long seed, const char *name,
                                  size_t *size)
{
    char path[512];
    lenet_error err = { "" };
    build_net(n, seed);
    ck_assert_msg(model_save(n, in_scratch(path, name), &err) == LENET_OK,
                  "save failed: %s", err.message);
    return file_slurp(path, size);
}

#define assert_mentions(message, text)                                    \
    ck_assert_msg(strstr((message), (text)) != NULL,                      \
                  "message \"%s\" does not mention \"%s\"", (message), (text))

/*
 * Writes bytes to scratch/name and loads it into a freshly built network:
 * the load must fail with `want`, say so in a message naming the file and
 * `problem`, and leave the network's parameters as they were.
 */
static void expect_rejected(const char *name, const unsigned char *bytes,
                            size_t size, lenet_status want,
                            const char *problem)
{
    char path[512];
    in_scratch(path, name);
    if (bytes)
        file_spill(path, bytes, size);
    net n;
    build_net(&n, 77);
    double *before = malloc(n.num_params * sizeof *before);
    ck_assert_ptr_nonnull(before);
    memcpy(before, n.params, n.num_params * sizeof *before);

    lenet_error err = { "" };
    lenet_status s = model_load(&n, path, &err);
    int unchanged = memcmp(before, n.params,
                           n.num_params * sizeof *before) == 0;
    free(before);
    net_free(&n);
    ck_assert_msg(s == want, "%s: status %s, expected %s (message: %s)", name,
                  lenet_strerror(s), lenet_strerror(want), err.message);
    assert_mentions(err.message, path);
    assert_mentions(err.message, problem);
    ck_assert_msg(unchanged, "%s: a refused load changed the parameters", name);
}

/* Where the parameters start in a file of this network. */
static size_t params_offset(const net *n)
{
    return 8 + 4 + 4 + model_describe(n, NULL, 0) + 8;
}

/* --- round trip and layout ---------------------------------------------- */

START_TEST(round_trip_is_bit_identical)
{
    char path[512];
    lenet_error err = { "" };
    net a, b;
    build_net(&a, 1);
    build_net(&b, 2);
    /* Values whose bits a careless encoding would lose. */
    a.params[0] = -0.0;
    a.params[1] = DBL_MIN / 4;                 /* subnormal */
    a.params[2] = DBL_MAX;
    a.params[3] = nextafter(1.0, 2.0);
    a.params[a.num_params - 1] = -HUGE_VAL;
    ck_assert(memcmp(a.params, b.params, a.num_params * sizeof(double)) != 0);

    in_scratch(path, "a.lenet");
    ck_assert_msg(model_save(&a, path, &err) == LENET_OK, "%s", err.message);
    ck_assert_msg(model_load(&b, path, &err) == LENET_OK, "%s", err.message);
    ck_assert_msg(memcmp(a.params, b.params,
                         a.num_params * sizeof(double)) == 0,
                  "the loaded parameters differ from the saved ones");
    net_free(&a);
    net_free(&b);
}
END_TEST

/* The description is made of the paper's numbers, layer by layer. */
START_TEST(description_is_the_papers)
{
    net n;
    build_net(&n, 1);
    net_layer_info info[NET_LAYERS];
    net_describe(&n, info);
    char expected[1024] = "", layer[128];
    for (int i = 0; i < NET_LAYERS; i++) {
        const paper_layer *p = paper_find(info[i].name);
        ck_assert_ptr_nonnull(p);
        char shape[32];
        if (p->rows == 0)
            snprintf(shape, sizeof shape, "%d", p->maps);
        else
            snprintf(shape, sizeof shape, "%d@%dx%d", p->maps, p->rows,
                     p->cols);
        snprintf(layer, sizeof layer, "%s%s %s %s %zu %zu", i ? "; " : "",
                 p->layer, info[i].type, shape, p->params, p->connections);
        strcat(expected, layer);
    }
    size_t len;
    char *text = description(&n, &len);
    ck_assert_str_eq(text, expected);
    ck_assert(strncmp(text, "C1 convolution 6@28x28 156 122304; ", 35) == 0);

    /* Like snprintf: a short buffer gets a terminated prefix, the return
       value is still the whole length. */
    char small[10];
    ck_assert_uint_eq(model_describe(&n, small, sizeof small), len);
    ck_assert_uint_eq(strlen(small), sizeof small - 1);
    ck_assert(strncmp(small, text, sizeof small - 1) == 0);
    free(text);
    net_free(&n);
}
END_TEST

/* The saved file is exactly what README's table describes. */
START_TEST(file_is_the_documented_layout)
{
    net n;
    size_t size, arch_len, expected_size;
    unsigned char *bytes = saved_bytes(&n, 3, "m.lenet", &size);
    char *arch = description(&n, &arch_len);

    ck_assert_uint_eq(size, 8 + 4 + 4 + arch_len + 8 + 8 * PAPER_TRAINABLE + 4);
    ck_assert_uint_eq(arch_len, 226);           /* the sizes README states */
    ck_assert_uint_eq(size, 480254);
    unsigned char *expected = build_file(arch, arch_len, PAPER_TRAINABLE,
                                         n.params, n.num_params,
                                         &expected_size);
    ck_assert_uint_eq(expected_size, size);
    for (size_t i = 0; i < size; i++)
        ck_assert_msg(bytes[i] == expected[i], "byte %zu is %02x, the layout "
                      "says %02x", i, bytes[i], expected[i]);

    /* And a file built from the table alone loads. */
    char path[512];
    lenet_error err = { "" };
    net m;
    build_net(&m, 4);
    file_spill(in_scratch(path, "by-hand.lenet"), expected, expected_size);
    ck_assert_msg(model_load(&m, path, &err) == LENET_OK, "%s", err.message);
    ck_assert(memcmp(m.params, n.params, n.num_params * sizeof(double)) == 0);

    free(expected);
    free(arch);
    free(bytes);
    net_free(&m);
    net_free(&n);
}
END_TEST

/* --- damaged files ------------------------------------------------------ */

START_TEST(rejects_wrong_magic)
{
    net n;
    size_t size;
    unsigned char *bytes = saved_bytes(&n, 5, "m.lenet", &size);
    bytes[0] = 'X';
    reseal(bytes, size);
    expect_rejected("magic.lenet", bytes, size, LENET_EFORMAT,
                    "not a LeNet-5 model file");

    const unsigned char text[] = "hello, world\n";
    expect_rejected("text.lenet", text, sizeof text - 1, LENET_EFORMAT,
                    "not a LeNet-5 model file");

    /* A copy in text mode: "\r\n" became "\n", everything after moved up. */
    bytes[0] = 'L';
    memmove(bytes + 6, bytes + 7, size - 7);
    expect_rejected("unix.lenet", bytes, size - 1, LENET_EFORMAT,
                    "line endings");
    free(bytes);
    net_free(&n);
}
END_TEST

START_TEST(rejects_other_version)
{
    net n;
    size_t size;
    unsigned char *bytes = saved_bytes(&n, 5, "m.lenet", &size);
    le(bytes + 8, 2, 4);
    reseal(bytes, size);
    expect_rejected("v2.lenet", bytes, size, LENET_EFORMAT,
                    "unsupported format version 2");
    expect_rejected("v2.lenet", NULL, 0, LENET_EFORMAT, "version 1");
    free(bytes);
    net_free(&n);
}
END_TEST

START_TEST(rejects_other_architecture)
{
    net n;
    size_t size, arch_len, built_size;
    unsigned char *bytes = saved_bytes(&n, 6, "m.lenet", &size);
    char *arch = description(&n, &arch_len);

    /* C3 with one connection more, same length: the text is edited in place. */
    char *c3 = strstr(arch, "; C3 ");
    ck_assert_ptr_nonnull(c3);
    char *last = c3 + strcspn(c3 + 2, ";") + 1;    /* C3's last digit */
    ck_assert(*last >= '0' && *last <= '8');
    bytes[16 + (size_t)(last - arch)] = (unsigned char)(*last + 1);
    reseal(bytes, size);
    expect_rejected("c3.lenet", bytes, size, LENET_EFORMAT,
                    "architecture mismatch in layer 3 (C3)");

    /* A network without the output layer: a shorter text. */
    char *output = strstr(arch, "; output ");
    ck_assert_ptr_nonnull(output);
    unsigned char *built = build_file(arch, (size_t)(output - arch),
                                      n.num_params, n.params, n.num_params,
                                      &built_size);
    expect_rejected("six.lenet", built, built_size, LENET_EFORMAT,
                    "the file has no layer 7");
    free(built);

    /* One with a layer more after it. */
    char longer[1024];
    snprintf(longer, sizeof longer, "%s; F7 full 10 850 850", arch);
    built = build_file(longer, strlen(longer), n.num_params, n.params,
                       n.num_params, &built_size);
    expect_rejected("eight.lenet", built, built_size, LENET_EFORMAT,
                    "extra layer 8");
    free(built);
    free(arch);
    free(bytes);
    net_free(&n);
}
END_TEST

START_TEST(rejects_other_parameter_count)
{
    net n;
    size_t size;
    unsigned char *bytes = saved_bytes(&n, 7, "m.lenet", &size);
    le(bytes + params_offset(&n) - 8, PAPER_TRAINABLE - 1, 8);
    reseal(bytes, size);
    expect_rejected("count.lenet", bytes, size, LENET_EFORMAT,
                    "parameter count mismatch: the file has 59999, this "
                    "network has 60000");
    free(bytes);
    net_free(&n);
}
END_TEST

START_TEST(rejects_truncated)
{
    net n;
    size_t size;
    unsigned char *bytes = saved_bytes(&n, 8, "m.lenet", &size);
    size_t p = params_offset(&n);
    const size_t cuts[] = {
        0, 5,                   /* nothing; inside the magic */
        10, 14, 40,             /* version; architecture length; its text */
        p - 3,                  /* inside the parameter count */
        p, p + 8 * 30000 + 5,   /* no parameters; half of them */
        size - 4, size - 1,     /* no checksum; three bytes of it */
    };
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        char name[64], problem[64];
        snprintf(name, sizeof name, "cut%zu.lenet", cuts[i]);
        snprintf(problem, sizeof problem, "truncated: the file ends after "
                 "%zu bytes", cuts[i]);
        expect_rejected(name, bytes, cuts[i], LENET_EFORMAT, problem);
    }
    free(bytes);
    net_free(&n);
}
END_TEST

START_TEST(rejects_trailing_bytes)
{
    net n;
    size_t size;
    unsigned char *bytes = saved_bytes(&n, 9, "m.lenet", &size);
    unsigned char *longer = malloc(size + 1);
    ck_assert_ptr_nonnull(longer);
    memcpy(longer, bytes, size);
    longer[size] = '\n';
    expect_rejected("trailing.lenet", longer, size + 1, LENET_EFORMAT,
                    "1 trailing byte after the checksum");
    free(longer);
    free(bytes);
    net_free(&n);
}
END_TEST

START_TEST(rejects_flipped_bit)
{
    net n;
    size_t size;
    unsigned char *bytes = saved_bytes(&n, 10, "m.lenet", &size);
    size_t at = params_offset(&n) + 8 * 12345 + 3;
    bytes[at] ^= 0x20;
    expect_rejected("flipped.lenet", bytes, size, LENET_EFORMAT,
                    "checksum mismatch");
    bytes[at] ^= 0x20;
    bytes[size - 2] ^= 0x01;                /* the checksum itself */
    expect_rejected("flipped-crc.lenet", bytes, size, LENET_EFORMAT,
                    "checksum mismatch");
    free(bytes);
    net_free(&n);
}
END_TEST

START_TEST(rejects_missing_file)
{
    expect_rejected("never-saved.lenet", NULL, 0, LENET_EIO, "cannot open");
}
END_TEST

/* --- saving ------------------------------------------------------------- */

START_TEST(save_into_missing_directory_fails)
{
    char path[512];
    lenet_error err = { "" };
    net n;
    build_net(&n, 11);
    in_scratch(path, "no-such-directory/m.lenet");
    ck_assert_int_eq(model_save(&n, path, &err), LENET_EIO);
    assert_mentions(err.message, path);
    assert_mentions(err.message, "no-such-directory/");
    ck_assert_int_eq(model_check_writable(path, &err), LENET_EIO);
    assert_mentions(err.message, path);
    int temporaries;
    ck_assert_int_eq(scratch_entries(&temporaries), 0);
    net_free(&n);
}
END_TEST

START_TEST(save_replaces_atomically)
{
    char path[512];
    lenet_error err = { "" };
    net a, b, c;
    build_net(&a, 12);
    build_net(&b, 13);
    build_net(&c, 14);
    in_scratch(path, "m.lenet");
    ck_assert_msg(model_save(&a, path, &err) == LENET_OK, "%s", err.message);
    ck_assert_msg(model_save(&b, path, &err) == LENET_OK, "%s", err.message);
    ck_assert_msg(model_load(&c, path, &err) == LENET_OK, "%s", err.message);
    ck_assert(memcmp(c.params, b.params, b.num_params * sizeof(double)) == 0);

    int temporaries;
    ck_assert_int_eq(scratch_entries(&temporaries), 1);
    ck_assert_int_eq(temporaries, 0);
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_msg((st.st_mode & 0444) == 0444, "the model is not readable by "
                  "all: mode %o", (unsigned)(st.st_mode & 0777));
    net_free(&a);
    net_free(&b);
    net_free(&c);
}
END_TEST

/*
 * A save that fails halfway leaves the old model whole. Writes past a
 * RLIMIT_FSIZE fail with EFBIG even as root (where a read-only directory
 * would not stop anything), so the new file cannot be finished.
 */
START_TEST(failed_save_keeps_old_model)
{
    char path[512];
    lenet_error err = { "" };
    net a, b;
    build_net(&a, 15);
    build_net(&b, 16);
    in_scratch(path, "m.lenet");
    ck_assert_msg(model_save(&a, path, &err) == LENET_OK, "%s", err.message);

    struct rlimit old, small;
    ck_assert_int_eq(getrlimit(RLIMIT_FSIZE, &old), 0);
    small = old;
    small.rlim_cur = 4096;
    void (*old_handler)(int) = signal(SIGXFSZ, SIG_IGN);
    ck_assert(old_handler != SIG_ERR);
    ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &small), 0);
    lenet_status s = model_save(&b, path, &err);
    int restored = setrlimit(RLIMIT_FSIZE, &old);
    signal(SIGXFSZ, old_handler);
    ck_assert_int_eq(restored, 0);
    ck_assert_int_eq(s, LENET_EIO);
    assert_mentions(err.message, "not saved");

    int temporaries;
    ck_assert_int_eq(scratch_entries(&temporaries), 1);
    ck_assert_int_eq(temporaries, 0);
    ck_assert_msg(model_load(&b, path, &err) == LENET_OK, "%s", err.message);
    ck_assert(memcmp(a.params, b.params, a.num_params * sizeof(double)) == 0);

    /* A directory in the model's place: the rename fails, the directory
       stays, no temporary file remains. */
    char dir[512];
    ck_assert_int_eq(mkdir(in_scratch(dir, "a-directory"), 0755), 0);
    ck_assert_int_eq(model_save(&a, dir, &err), LENET_EIO);
    assert_mentions(err.message, dir);
    ck_assert_int_eq(scratch_entries(&temporaries), 2);
    ck_assert_int_eq(temporaries, 0);
    net_free(&a);
    net_free(&b);
}
END_TEST

START_TEST(check_writable)
{
    char path[512];
    lenet_error err = { "" };
    in_scratch(path, "m.lenet");
    ck_assert_msg(model_check_writable(path, &err) == LENET_OK, "%s",
                  err.message);
    int temporaries;
    ck_assert_int_eq(scratch_entries(&temporaries), 0);

    ck_assert_int_eq(model_check_writable(scratch, &err), LENET_EIO);
    assert_mentions(err.message, "is a directory");
}
END_TEST

/* --- the architecture, from the header alone (chapter 11) ------------- */

/* A network of `arch` with parameters drawn from a generator seeded
   `seed`. */
static void build_of(net *n, const net_arch *arch, unsigned long seed)
{
    ck_assert_int_eq(net_init_arch(n, arch), LENET_OK);
    gsl_rng *rng = test_rng(seed);
    net_randomize(n, rng);
    gsl_rng_free(rng);
}

/* A modern network saved to scratch/name, read back as bytes; the caller
   frees them and n. */
static unsigned char *saved_modern(net *n, const char *name, size_t *size)
{
    char path[512];
    lenet_error err = { "" };
    build_of(n, &net_arch_modern, 5);
    ck_assert_msg(model_save(n, in_scratch(path, name), &err) == LENET_OK,
                  "save failed: %s", err.message);
    return file_slurp(path, size);
}

/* model_arch on scratch/name holding bytes must fail with `want`, naming
   the file and `problem`, and give no architecture. */
static void expect_arch_refused(const char *name, const unsigned char *bytes,
                                size_t size, lenet_status want,
                                const char *problem)
{
    char path[512];
    in_scratch(path, name);
    if (bytes)
        file_spill(path, bytes, size);
    lenet_error err = { "" };
    const net_arch *arch = &net_arch_paper;
    lenet_status s = model_arch(path, &arch, &err);
    ck_assert_msg(s == want, "%s: status %s, expected %s (message: %s)", name,
                  lenet_strerror(s), lenet_strerror(want), err.message);
    ck_assert_msg(strncmp(err.message, path, strlen(path)) == 0,
                  "%s: \"%s\" does not start with the path", name,
                  err.message);
    assert_mentions(err.message, problem);
    ck_assert_ptr_null(arch);
}

/* A model of each architecture names it, with no network built first; the
   network built from that name loads the file bit for bit. The paper's
   file, which has no "arch " prefix, gives the paper's; so does one laid
   out from README's table alone. */
START_TEST(model_arch_reads_every_architecture)
{
    char path[512];
    lenet_error err = { "" };
    for (int i = 0; net_archs[i]; i++) {
        net saved, loaded;
        build_of(&saved, net_archs[i], 10 + (unsigned long)i);
        in_scratch(path, "any.lenet");
        ck_assert_msg(model_save(&saved, path, &err) == LENET_OK, "%s",
                      err.message);
        const net_arch *arch = NULL;
        ck_assert_msg(model_arch(path, &arch, &err) == LENET_OK, "%s: %s",
                      net_archs[i]->name, err.message);
        ck_assert_msg(arch == net_archs[i], "a '%s' model read as '%s'",
                      net_archs[i]->name, arch ? arch->name : "(none)");
        ck_assert_int_eq(net_init_arch(&loaded, arch), LENET_OK);
        ck_assert_msg(model_load(&loaded, path, &err) == LENET_OK, "%s",
                      err.message);
        ck_assert(memcmp(loaded.params, saved.params,
                         saved.num_params * sizeof *saved.params) == 0);
        net_free(&saved);
        net_free(&loaded);
    }

    net n;
    build_net(&n, 3);
    size_t len, size;
    char *text = description(&n, &len);
    unsigned char *b = build_file(text, len, n.num_params, n.params,
                                  n.num_params, &size);
    file_spill(in_scratch(path, "table.lenet"), b, size);
    const net_arch *arch = NULL;
    ck_assert_msg(model_arch(path, &arch, &err) == LENET_OK, "%s",
                  err.message);
    ck_assert_ptr_eq(arch, &net_arch_paper);
    free(b);
    free(text);
    net_free(&n);
}
END_TEST

/* A name this program does not know is a format error naming the file and
   the name (shortened when long), whatever the rest of the file. */
START_TEST(model_arch_refuses_unknown_names)
{
    net n;
    size_t size;
    unsigned char *b = saved_modern(&n, "modern.lenet", &size);
    ck_assert(memcmp(b + 16, "arch modern; ", 13) == 0);
    memcpy(b + 21, "future", 6);
    reseal(b, size);
    expect_arch_refused("future.lenet", b, size, LENET_EFORMAT,
                        "unknown architecture 'future'");
    memcpy(b + 21, "moder;", 6);         /* a prefix of a known name */
    expect_arch_refused("prefix.lenet", b, size, LENET_EFORMAT,
                        "unknown architecture 'moder'");
    free(b);

    char text[256] = "arch ";
    memset(text + 5, 'x', 100);
    strcpy(text + 105, "; C1 convolution 6@28x28 156 122304");
    b = build_file(text, strlen(text), 0, NULL, 0, &size);
    expect_arch_refused("long.lenet", b, size, LENET_EFORMAT,
                        "unknown architecture 'xxxxxxxxxx");
    /* the same file: the name is cut short in the message */
    expect_arch_refused("long.lenet", NULL, 0, LENET_EFORMAT, "x...'");
    free(b);
    net_free(&n);
}
END_TEST

/* The fields model_arch reads are checked as model_load checks them: cut
   anywhere before the end of the architecture text, a wrong magic or
   version, a length no network has, no file at all. */
START_TEST(model_arch_refuses_damaged_headers)
{
    net n;
    size_t size;
    unsigned char *b = saved_modern(&n, "modern.lenet", &size);
    size_t len = model_describe(&n, NULL, 0);
    const size_t cuts[] = { 0, 5, 8, 11, 12, 15, 16, 21, 16 + len - 1 };
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        char problem[64];
        snprintf(problem, sizeof problem, "truncated: the file ends after "
                 "%zu bytes", cuts[i]);
        expect_arch_refused("cut.lenet", b, cuts[i], LENET_EFORMAT, problem);
    }
    b[0] = 'X';
    expect_arch_refused("magic.lenet", b, size, LENET_EFORMAT, "wrong magic");
    b[0] = 'L';
    le(b + 8, 2, 4);
    expect_arch_refused("v2.lenet", b, size, LENET_EFORMAT, "version 2");
    le(b + 8, 1, 4);
    le(b + 12, 65537, 4);
    expect_arch_refused("long.lenet", b, size, LENET_EFORMAT,
                        "description is 65537 bytes");
    expect_arch_refused("missing.lenet", NULL, 0, LENET_EIO, "cannot open");
    free(b);
    net_free(&n);
}
END_TEST

Suite *model_suite(void)
{
    Suite *s = suite_create("model");
    TCase *tc = chapter_tcase(s, "model file", 9);
    tcase_add_checked_fixture(tc, scratch_setup, scratch_teardown);
    tcase_add_test(tc, round_trip_is_bit_identical);
    tcase_add_test(tc, description_is_the_papers);
    tcase_add_test(tc, file_is_the_documented_layout);
    tcase_add_test(tc, rejects_wrong_magic);
    tcase_add_test(tc, rejects_other_version);
    tcase_add_test(tc, rejects_other_architecture);
    tcase_add_test(tc, rejects_other_parameter_count);
    tcase_add_test(tc, rejects_truncated);
    tcase_add_test(tc, rejects_trailing_bytes);
    tcase_add_test(tc, rejects_flipped_bit);
    tcase_add_test(tc, rejects_missing_file);
    tcase_add_test(tc, save_into_missing_directory_fails);
    tcase_add_test(tc, save_replaces_atomically);
    tcase_add_test(tc, failed_save_keeps_old_model);
    tcase_add_test(tc, check_writable);
    tc = chapter_tcase(s, "the architecture a model file names", 11);
    tcase_add_checked_fixture(tc, scratch_setup, scratch_teardown);
    tcase_add_test(tc, model_arch_reads_every_architecture);
    tcase_add_test(tc, model_arch_refuses_unknown_names);
    tcase_add_test(tc, model_arch_refuses_damaged_headers);
    return s;
}
