/*
 * check_mnist.c: the IDX reader (mnist.h). Each test writes its own small
 * files, raw or gzip, into a fresh temporary directory: one good pair must
 * load byte for byte, and every malformed file must be refused with a
 * message naming the file and the problem. The last test reads the real
 * MNIST files when `make data` has put them in data/mnist.
 */
#define _POSIX_C_SOURCE 200809L   /* mkdtemp, opendir */
#include "harness.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "input.h"
#include "mnist.h"

/* The small pair most tests start from: 3 images of 4 rows x 5 cols (not
   square, so that a swap of rows and cols shows). */
#define COUNT 3
#define ROWS 4
#define COLS 5
#define PIXELS (COUNT * ROWS * COLS)

static unsigned char pixel(size_t i) { return (unsigned char)(i * 37 + 11); }
static unsigned char label(size_t i) { return (unsigned char)((i * 3 + 1) % 10); }

/* --- a temporary directory per test --------------------------------------- */

static char dir[64];
static char images_path[128], labels_path[128];

static void make_dir(void)
{
    strcpy(dir, "/tmp/lenet-mnist-XXXXXX");
    ck_assert_msg(mkdtemp(dir) != NULL, "mkdtemp: %s", strerror(errno));
    snprintf(images_path, sizeof images_path, "%s/images", dir);
    snprintf(labels_path, sizeof labels_path, "%s/labels", dir);
}

/* Removes everything a test wrote (files, and one level of directories). */
static void remove_tree(const char *path)
{
    DIR *d = opendir(path);
    if (d == NULL)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        char inner[512];
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        int len = snprintf(inner, sizeof inner, "%s/%s", path, e->d_name);
        if (len < 0 || (size_t)len >= sizeof inner)
            continue;                   /* not one of ours */
        if (unlink(inner) != 0)
            remove_tree(inner);
    }
    closedir(d);
    rmdir(path);
}

static void remove_dir(void) { remove_tree(dir); }

/* --- writing IDX files ---------------------------------------------------- */

static void put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

/* An images file in buf: the header, then count x rows x cols pixels (as
   many as fit in `body`, the caller's choice of how many to write). */
static size_t make_images(unsigned char *buf, uint32_t magic, uint32_t count,
                          uint32_t rows, uint32_t cols, size_t body)
{
    put32(buf, magic);
    put32(buf + 4, count);
    put32(buf + 8, rows);
    put32(buf + 12, cols);
    for (size_t i = 0; i < body; i++)
        buf[16 + i] = pixel(i);
    return 16 + body;
}

static size_t make_labels(unsigned char *buf, uint32_t magic, uint32_t count,
                          size_t body)
{
    put32(buf, magic);
    put32(buf + 4, count);
    for (size_t i = 0; i < body; i++)
        buf[8 + i] = label(i);
    return 8 + body;
}

/* Writes n bytes to path, through gzip if gz. */
static void write_file(const char *path, const unsigned char *bytes, size_t n,
                       int gz)
{
    if (gz) {
        gzFile f = gzopen(path, "wb");
        ck_assert_msg(f != NULL, "%s: cannot create", path);
        int wrote = n ? gzwrite(f, bytes, (unsigned)n) : 0;
        ck_assert_msg(gzclose(f) == Z_OK && wrote == (int)n,
                      "%s: cannot write", path);
    } else {
        FILE *f = fopen(path, "wb");
        ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
        size_t wrote = fwrite(bytes, 1, n, f);
        ck_assert_msg(fclose(f) == 0 && wrote == n, "%s: cannot write", path);
    }
}

/* The good pair, at the given paths. */
static void write_pair(const char *images, const char *labels, int gz)
{
    unsigned char buf[16 + PIXELS];
    write_file(images, buf, make_images(buf, MNIST_IMAGES_MAGIC, COUNT, ROWS,
                                        COLS, PIXELS), gz);
    write_file(labels, buf, make_labels(buf, MNIST_LABELS_MAGIC, COUNT,
                                        COUNT), gz);
}

/* --- verdicts ------------------------------------------------------------- */

/* The set must hold exactly the good pair's values, n images of it. */
static void assert_pair(const mnist *set, size_t n)
{
    ck_assert_uint_eq(set->count, n);
    ck_assert_int_eq(set->rows, ROWS);
    ck_assert_int_eq(set->cols, COLS);
    for (size_t i = 0; i < n * ROWS * COLS; i++)
        ck_assert_msg(set->images[i] == pixel(i), "pixel %zu: %d, not %d",
                      i, set->images[i], pixel(i));
    for (size_t i = 0; i < n; i++)
        ck_assert_int_eq(set->labels[i], label(i));
}

/* The message must be one line naming `file` and containing `problem`. */
static void assert_message(const lenet_error *err, const char *file,
                           const char *problem)
{
    ck_assert_msg(strstr(err->message, file) != NULL,
                  "message \"%s\" does not name %s", err->message, file);
    ck_assert_msg(strstr(err->message, problem) != NULL,
                  "message \"%s\" does not say \"%s\"", err->message, problem);
    ck_assert_msg(strchr(err->message, '\n') == NULL,
                  "message \"%s\" is not one line", err->message);
}

/* Loading the pair must fail with `status` and a message naming `file` and
   `problem`, and leave nothing allocated. */
static void expect_rejected(const char *images, const char *labels,
                            lenet_status status, const char *file,
                            const char *problem)
{
    mnist set;
    lenet_error err = { "" };
    lenet_status got = mnist_load(&set, images, labels, &err);
    ck_assert_msg(got == status, "status %s, expected %s (message \"%s\")",
                  lenet_strerror(got), lenet_strerror(status), err.message);
    assert_message(&err, file, problem);
    ck_assert(set.images == NULL && set.labels == NULL && set.count == 0);
}

/* --- the tests ------------------------------------------------------------ */

START_TEST(mnist_loads_raw)
{
    mnist set;
    lenet_error err = { "" };
    write_pair(images_path, labels_path, 0);
    ck_assert_msg(mnist_load(&set, images_path, labels_path, &err) == LENET_OK,
                  "%s", err.message);
    assert_pair(&set, COUNT);
    mnist_free(&set);
    ck_assert(set.images == NULL && set.labels == NULL && set.count == 0);
    mnist_free(&set);                   /* freeing twice is safe */
}
END_TEST

START_TEST(mnist_loads_gzip)
{
    mnist set;
    lenet_error err = { "" };
    write_pair(images_path, labels_path, 1);
    ck_assert_msg(mnist_load(&set, images_path, labels_path, &err) == LENET_OK,
                  "%s", err.message);
    assert_pair(&set, COUNT);
    mnist_free(&set);
}
END_TEST

START_TEST(mnist_rejects_image_magic)
{
    unsigned char buf[16 + PIXELS];
    write_pair(images_path, labels_path, 0);
    write_file(images_path, buf, make_images(buf, MNIST_LABELS_MAGIC, COUNT,
                                             ROWS, COLS, PIXELS), 0);
    expect_rejected(images_path, labels_path, LENET_EFORMAT, images_path,
                    "bad magic number 0x00000801 (a labels file)");
}
END_TEST

START_TEST(mnist_rejects_label_magic)
{
    unsigned char buf[16];
    write_pair(images_path, labels_path, 0);
    write_file(labels_path, buf, make_labels(buf, 0x00000803u ^ 0x1000u,
                                             COUNT, COUNT), 0);
    expect_rejected(images_path, labels_path, LENET_EFORMAT, labels_path,
                    "bad magic number 0x00001803, expected 0x00000801");
}
END_TEST

START_TEST(mnist_rejects_truncated_header)
{
    unsigned char buf[16 + PIXELS];
    size_t n = make_images(buf, MNIST_IMAGES_MAGIC, COUNT, ROWS, COLS, 0);
    write_pair(images_path, labels_path, 0);
    write_file(images_path, buf, n - 6, 0);
    expect_rejected(images_path, labels_path, LENET_EFORMAT, images_path,
                    "truncated header: 10 of 16 bytes");

    write_pair(images_path, labels_path, 0);
    write_file(labels_path, buf, 0, 0);             /* an empty file */
    expect_rejected(images_path, labels_path, LENET_EFORMAT, labels_path,
                    "truncated header: 0 of 8 bytes");
}
END_TEST

START_TEST(mnist_rejects_truncated_pixels)
{
    unsigned char buf[16 + PIXELS];
    write_pair(images_path, labels_path, 0);
    /* two images and half a row of the third */
    write_file(images_path, buf, make_images(buf, MNIST_IMAGES_MAGIC, COUNT,
                                             ROWS, COLS, PIXELS - 17), 0);
    expect_rejected(images_path, labels_path, LENET_EFORMAT, images_path,
                    "truncated: 2 of 3 images");
}
END_TEST

START_TEST(mnist_rejects_truncated_labels)
{
    unsigned char buf[16];
    write_pair(images_path, labels_path, 0);
    write_file(labels_path, buf, make_labels(buf, MNIST_LABELS_MAGIC, COUNT,
                                             COUNT - 1), 0);
    expect_rejected(images_path, labels_path, LENET_EFORMAT, labels_path,
                    "truncated: 2 of 3 labels");
}
END_TEST

/* A header that claims 2^32 - 1 images of 1024x1024 (4 PiB) over a file
   that holds 3 of them: refused as truncated after reading what is there,
   without ever asking for the 4 PiB (under ASan such a malloc aborts the
   run; without it, it fails and the message would say "out of memory"). */
START_TEST(mnist_rejects_huge_count)
{
    const size_t body = 3u << 20;       /* 3 images of 1024x1024 */
    unsigned char *buf = malloc(16 + body);
    ck_assert(buf != NULL);
    write_pair(images_path, labels_path, 0);
    size_t n = make_images(buf, MNIST_IMAGES_MAGIC, UINT32_MAX, 1024, 1024,
                           body);
    write_file(images_path, buf, n, 0);
    write_file(labels_path, buf, make_labels(buf, MNIST_LABELS_MAGIC,
                                             UINT32_MAX, 0), 0);
    free(buf);
    expect_rejected(images_path, labels_path, LENET_EFORMAT, images_path,
                    "truncated: 3 of 4,294,967,295 images");
}
END_TEST

START_TEST(mnist_rejects_count_mismatch)
{
    unsigned char buf[16];
    write_pair(images_path, labels_path, 0);
    write_file(labels_path, buf, make_labels(buf, MNIST_LABELS_MAGIC,
                                             COUNT - 1, COUNT - 1), 0);
    expect_rejected(images_path, labels_path, LENET_EFORMAT, labels_path,
                    "2 labels, but");
    expect_rejected(images_path, labels_path, LENET_EFORMAT, images_path,
                    "has 3 images");
}
END_TEST

START_TEST(mnist_rejects_zero_count)
{
    unsigned char buf[16];
    write_file(images_path, buf, make_images(buf, MNIST_IMAGES_MAGIC, 0, ROWS,
                                             COLS, 0), 0);
    write_file(labels_path, buf, make_labels(buf, MNIST_LABELS_MAGIC, 0, 0), 0);
    expect_rejected(images_path, labels_path, LENET_EFORMAT, images_path,
                    "no images (count is 0)");
}
END_TEST

START_TEST(mnist_rejects_bad_label)
{
    unsigned char buf[16];
    size_t n = make_labels(buf, MNIST_LABELS_MAGIC, COUNT, COUNT);
    buf[8 + 1] = 10;
    buf[8 + 2] = 255;       /* only the first bad one is named */
    write_pair(images_path, labels_path, 0);
    write_file(labels_path, buf, n, 0);
    expect_rejected(images_path, labels_path, LENET_EFORMAT, labels_path,
                    "label 10 at index 1 (labels are 0 to 9)");
}
END_TEST

START_TEST(mnist_rejects_absurd_dimensions)
{
    static const uint32_t shapes[][2] = {
        { 0, COLS }, { ROWS, 0 }, { 1025, COLS }, { ROWS, 1u << 31 },
    };
    static const char *const said[] = {
        "absurd dimensions 0x5", "absurd dimensions 4x0",
        "absurd dimensions 1025x5", "absurd dimensions 4x2147483648",
    };
    unsigned char buf[16 + PIXELS];
    write_pair(images_path, labels_path, 0);
    for (int i = 0; i < 4; i++) {
        write_file(images_path, buf, make_images(buf, MNIST_IMAGES_MAGIC,
                   COUNT, shapes[i][0], shapes[i][1], PIXELS), 0);
        expect_rejected(images_path, labels_path, LENET_EFORMAT, images_path,
                        said[i]);
    }
}
END_TEST

START_TEST(mnist_rejects_trailing_bytes)
{
    unsigned char buf[16 + PIXELS + 5];
    write_pair(images_path, labels_path, 0);
    write_file(images_path, buf, make_images(buf, MNIST_IMAGES_MAGIC, COUNT,
                                             ROWS, COLS, PIXELS + 5), 0);
    expect_rejected(images_path, labels_path, LENET_EFORMAT, images_path,
                    "5 trailing bytes after the 3 images");

    write_pair(images_path, labels_path, 1);
    write_file(labels_path, buf, make_labels(buf, MNIST_LABELS_MAGIC, COUNT,
                                             COUNT + 2), 1);
    expect_rejected(images_path, labels_path, LENET_EFORMAT, labels_path,
                    "2 trailing bytes after the 3 labels");
}
END_TEST

START_TEST(mnist_rejects_missing_file)
{
    write_pair(images_path, labels_path, 0);
    ck_assert_int_eq(unlink(labels_path), 0);
    expect_rejected(images_path, labels_path, LENET_EIO, labels_path,
                    strerror(ENOENT));
}
END_TEST

/* Reads a whole (small) file into buf; returns its size. */
static size_t read_file(const char *path, unsigned char *buf, size_t cap)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
    size_t n = fread(buf, 1, cap, f);
    ck_assert_msg(!ferror(f) && feof(f), "%s: cannot read it whole", path);
    fclose(f);
    return n;
}

START_TEST(mnist_rejects_corrupt_gzip)
{
    unsigned char gz[1024];
    write_pair(images_path, labels_path, 1);
    size_t n = read_file(images_path, gz, sizeof gz);
    ck_assert_uint_gt(n, 30);           /* 10 bytes of header, 8 of trailer */

    gz[n / 2] ^= 0x55;                  /* a byte of the deflate data */
    write_file(images_path, gz, n, 0);
    expect_rejected(images_path, labels_path, LENET_EFORMAT, images_path,
                    "corrupt gzip data");

    gz[n / 2] ^= 0x55;                  /* mended, but cut short */
    write_file(images_path, gz, n - 12, 0);
    expect_rejected(images_path, labels_path, LENET_EFORMAT, images_path,
                    "corrupt gzip data: unexpected end of file");
}
END_TEST

/* dir/name, for the directory tests. */
static void in_dir(char *out, size_t size, const char *name)
{
    ck_assert((size_t)snprintf(out, size, "%s/%s", dir, name) < size);
}

START_TEST(mnist_loads_dir)
{
    char a[160], b[160];
    in_dir(a, sizeof a, "train-images-idx3-ubyte");
    in_dir(b, sizeof b, "train-labels-idx1-ubyte");
    write_pair(a, b, 0);
    /* A broken .gz beside a good raw file: the raw one must be preferred. */
    in_dir(a, sizeof a, "train-images-idx3-ubyte.gz");
    write_file(a, (const unsigned char *)"not gzip", 8, 0);
    in_dir(a, sizeof a, "t10k-images-idx3-ubyte.gz");
    in_dir(b, sizeof b, "t10k-labels-idx1-ubyte.gz");
    write_pair(a, b, 1);

    mnist train, test;
    lenet_error err = { "" };
    ck_assert_msg(mnist_load_dir(&train, &test, dir, &err) == LENET_OK,
                  "%s", err.message);
    assert_pair(&train, COUNT);
    assert_pair(&test, COUNT);
    mnist_free(&train);
    mnist_free(&test);
}
END_TEST

START_TEST(mnist_rejects_missing_dir)
{
    char nowhere[160];
    in_dir(nowhere, sizeof nowhere, "nowhere");
    mnist train, test;
    lenet_error err = { "" };
    ck_assert_int_eq(mnist_load_dir(&train, &test, nowhere, &err), LENET_EIO);
    assert_message(&err, nowhere, "no such directory (run 'make data')");
    ck_assert(train.images == NULL && test.images == NULL);
}
END_TEST

START_TEST(mnist_rejects_missing_dir_file)
{
    char a[160], b[160];
    in_dir(a, sizeof a, "train-images-idx3-ubyte");
    in_dir(b, sizeof b, "train-labels-idx1-ubyte.gz");
    write_pair(a, b, 0);
    in_dir(a, sizeof a, "t10k-images-idx3-ubyte");
    in_dir(b, sizeof b, "t10k-labels-idx1-ubyte");
    write_pair(a, b, 0);
    ck_assert_int_eq(unlink(b), 0);

    mnist train, test;
    lenet_error err = { "" };
    ck_assert_int_eq(mnist_load_dir(&train, &test, dir, &err), LENET_EIO);
    assert_message(&err, b, "no such file");
    ck_assert(train.images == NULL && test.images == NULL);

    /* And a bad test set frees the training set it had loaded. */
    write_pair(a, b, 0);
    ck_assert_int_eq(unlink(a), 0);
    ck_assert_int_eq(mkdir(a, 0700), 0);  /* a directory, not a file */
    ck_assert_int_ne(mnist_load_dir(&train, &test, dir, &err), LENET_OK);
    assert_message(&err, a, "cannot read");
    ck_assert(train.images == NULL && test.images == NULL);
}
END_TEST

/*
 * The real files, when `make data` has fetched them. Besides the sizes, the
 * digits per class are the published ones, which shows that the labels are
 * read in order. The mean and variance of the input the network sees (the
 * 32x32 field of input.h, border included) are compared with what the
 * commonly quoted pixel statistics of the training set (mean 0.1307,
 * standard deviation 0.3081 over 28x28, pixels scaled to [0, 1]) imply.
 * They are not the paper's "mean approximately 0, variance approximately 1"
 * (§II.B): the mean is near 0, but the variance is near 0.12.
 */
#define DATA_DIR "data/mnist"

START_TEST(mnist_real_data)
{
    if (!data_available(DATA_DIR, "mnist: the real-data checks"))
        return;
    static const size_t train_per_class[10] = {
        5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949 };
    static const size_t test_per_class[10] = {
        980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009 };
    mnist train, test;
    lenet_error err = { "" };
    ck_assert_msg(mnist_load_dir(&train, &test, DATA_DIR, &err) == LENET_OK,
                  "%s", err.message);
    ck_assert_uint_eq(train.count, 60000);
    ck_assert_uint_eq(test.count, 10000);
    ck_assert(train.rows == 28 && train.cols == 28);
    ck_assert(test.rows == 28 && test.cols == 28);

    size_t train_seen[10] = { 0 }, test_seen[10] = { 0 };
    for (size_t i = 0; i < train.count; i++) {
        ck_assert_uint_le(train.labels[i], 9);
        train_seen[train.labels[i]]++;
    }
    for (size_t i = 0; i < test.count; i++) {
        ck_assert_uint_le(test.labels[i], 9);
        test_seen[test.labels[i]]++;
    }
    for (int d = 0; d < 10; d++) {
        ck_assert_uint_eq(train_seen[d], train_per_class[d]);
        ck_assert_uint_eq(test_seen[d], test_per_class[d]);
    }

    double field[INPUT_SIDE * INPUT_SIDE], sum = 0.0, sum_sq = 0.0;
    for (size_t i = 0; i < train.count; i++) {
        input_forward(field, train.images + i * 28 * 28);
        for (int k = 0; k < INPUT_SIDE * INPUT_SIDE; k++) {
            sum += field[k];
            sum_sq += field[k] * field[k];
        }
    }
    double n = (double)train.count * INPUT_SIDE * INPUT_SIDE;
    double mean = sum / n, variance = sum_sq / n - mean * mean;

    double inside = 28.0 * 28.0 / (INPUT_SIDE * INPUT_SIDE);   /* 784/1024 */
    double p_mean = 0.1307 * inside;
    double p_sq = (0.3081 * 0.3081 + 0.1307 * 0.1307) * inside;
    double scale = INPUT_INK - INPUT_BACKGROUND;                /* 1.275 */
    double want_mean = INPUT_BACKGROUND + scale * p_mean;
    double want_variance = scale * scale * (p_sq - p_mean * p_mean);
    printf("mnist: training inputs (32x32, border included): mean %.4f, "
           "variance %.4f (the paper: about 0 and 1)\n", mean, variance);
    ck_assert_double_eq_tol(mean, want_mean, 1e-3);
    ck_assert_double_eq_tol(variance, want_variance, 1e-3);

    mnist_free(&train);
    mnist_free(&test);
}
END_TEST

Suite *mnist_suite(void)
{
    Suite *s = suite_create("mnist");
    TCase *tc = chapter_tcase(s, "mnist", 9);
    tcase_add_checked_fixture(tc, make_dir, remove_dir);
    tcase_add_test(tc, mnist_loads_raw);
    tcase_add_test(tc, mnist_loads_gzip);
    tcase_add_test(tc, mnist_rejects_image_magic);
    tcase_add_test(tc, mnist_rejects_label_magic);
    tcase_add_test(tc, mnist_rejects_truncated_header);
    tcase_add_test(tc, mnist_rejects_truncated_pixels);
    tcase_add_test(tc, mnist_rejects_truncated_labels);
    tcase_add_test(tc, mnist_rejects_huge_count);
    tcase_add_test(tc, mnist_rejects_count_mismatch);
    tcase_add_test(tc, mnist_rejects_zero_count);
    tcase_add_test(tc, mnist_rejects_bad_label);
    tcase_add_test(tc, mnist_rejects_absurd_dimensions);
    tcase_add_test(tc, mnist_rejects_trailing_bytes);
    tcase_add_test(tc, mnist_rejects_missing_file);
    tcase_add_test(tc, mnist_rejects_corrupt_gzip);
    tcase_add_test(tc, mnist_loads_dir);
    tcase_add_test(tc, mnist_rejects_missing_dir);
    tcase_add_test(tc, mnist_rejects_missing_dir_file);

    TCase *real = chapter_tcase(s, "mnist-data", 9);
    tcase_add_test(real, mnist_real_data);
    return s;
}
