/*
 * check_image.c: reading digit pictures (PGM P2 and P5, PNG grey, RGB and
 * RGBA) and rejecting broken files with a message naming the file; and
 * making a picture into an MNIST digit: box, scale, centre, polarity.
 *
 * The files are written into a fresh temporary directory (mkdtemp) that
 * each test's teardown removes.
 */
#define _POSIX_C_SOURCE 200809L

#include "harness.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <png.h>

#include "image.h"

/* ---- Files in a temporary directory ------------------------------------- */

#define MAX_FILES 16

static char tmp_dir[64];
static char tmp_paths[MAX_FILES][128];
static int tmp_count;

static void tmp_setup(void)
{
    strcpy(tmp_dir, "/tmp/lenet-image-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmp_dir));
    tmp_count = 0;
}

static void tmp_teardown(void)
{
    for (int i = 0; i < tmp_count; i++)
        remove(tmp_paths[i]);
    rmdir(tmp_dir);
}

/* The path of `name` in the temporary directory, removed at teardown. */
static const char *tmp_path(const char *name)
{
    ck_assert_int_lt(tmp_count, MAX_FILES);
    char *p = tmp_paths[tmp_count++];
    int n = snprintf(p, sizeof tmp_paths[0], "%s/%s", tmp_dir, name);
    ck_assert(n > 0 && (size_t)n < sizeof tmp_paths[0]);
    return p;
}

/* Writes n bytes to a new file `name`; returns its path. */
static const char *write_bytes(const char *name, const void *bytes, size_t n)
{
    const char *path = tmp_path(name);
    FILE *f = fopen(path, "wb");
    ck_assert_msg(f != NULL, "cannot create %s", path);
    ck_assert_uint_eq(fwrite(bytes, 1, n, f), n);
    ck_assert_int_eq(fclose(f), 0);
    return path;
}

static const char *write_text(const char *name, const char *text)
{
    return write_bytes(name, text, strlen(text));
}

/* Writes a PNG with libpng's simplified API; `format` is a PNG_FORMAT_*. */
static const char *write_png(const char *name, int cols, int rows,
                             png_uint_32 format, const void *pixels)
{
    const char *path = tmp_path(name);
    png_image png;
    memset(&png, 0, sizeof png);
    png.version = PNG_IMAGE_VERSION;
    png.width = (png_uint_32)cols;
    png.height = (png_uint_32)rows;
    png.format = format;
    ck_assert_msg(png_image_write_to_file(&png, path, 0, pixels, 0, NULL),
                  "writing %s: %s", path, png.message);
    return path;
}

/* Reads path, which must succeed with the expected size. */
static void read_ok(image *img, const char *path, int rows, int cols)
{
    lenet_error err = { "" };
    lenet_status s = image_read(img, path, &err);
    ck_assert_msg(s == LENET_OK, "%s: status %d: %s", path, s, err.message);
    ck_assert_int_eq(img->rows, rows);
    ck_assert_int_eq(img->cols, cols);
    ck_assert_ptr_nonnull(img->pixels);
}

/* Reading path must fail with `status`, a message naming the file and
   holding `problem`, and a zeroed image. */
static void read_rejected(const char *path, lenet_status status,
                          const char *problem)
{
    image img;
    lenet_error err = { "" };
    lenet_status s = image_read(&img, path, &err);
    ck_assert_msg(s == status, "%s: status %d, expected %d (%s)", path, s,
                  status, err.message);
    ck_assert_msg(strstr(err.message, path) != NULL,
                  "message does not name the file: %s", err.message);
    ck_assert_msg(strstr(err.message, problem) != NULL,
                  "message does not say \"%s\": %s", problem, err.message);
    ck_assert_msg(strchr(err.message, '\n') == NULL, "not one line: %s",
                  err.message);
    ck_assert_ptr_null(img.pixels);
    image_free(&img);
}

/* ---- Reading PGM -------------------------------------------------------- */

START_TEST(pgm_p5_with_comments)
{
    const char header[] = "P5\n# written by hand\n3 # width\n2\n#\n255\n";
    const unsigned char data[6] = { 0, 128, 255, 1, 2, 254 };
    unsigned char file[sizeof header - 1 + sizeof data];
    memcpy(file, header, sizeof header - 1);
    memcpy(file + sizeof header - 1, data, sizeof data);
    image img;
    read_ok(&img, write_bytes("a.pgm", file, sizeof file), 2, 3);
    ck_assert_mem_eq(img.pixels, data, sizeof data);
    image_free(&img);
    image_free(&img);               /* twice: safe */
}
END_TEST

/* Two bytes per sample, most significant first: 0x00FF and 0xFF00 tell the
   byte order apart (1 and 254 after scaling; swapped they would give 254
   and 1). 0x8000 = 32768 is 127.502 of 255, rounded to 128. */
START_TEST(pgm_p5_maxval_65535)
{
    const char header[] = "P5 5 1 65535\n";
    const unsigned char data[10] = { 0x00, 0x00, 0xFF, 0xFF, 0x80, 0x00,
                                     0x00, 0xFF, 0xFF, 0x00 };
    const unsigned char want[5] = { 0, 255, 128, 1, 254 };
    unsigned char file[sizeof header - 1 + sizeof data];
    memcpy(file, header, sizeof header - 1);
    memcpy(file + sizeof header - 1, data, sizeof data);
    image img;
    read_ok(&img, write_bytes("b.pgm", file, sizeof file), 1, 5);
    ck_assert_mem_eq(img.pixels, want, sizeof want);
    image_free(&img);
}
END_TEST

START_TEST(pgm_p2_with_comments)
{
    image img;
    const unsigned char want[6] = { 0, 17, 255, 100, 200, 3 };
    read_ok(&img, write_text("c.pgm", "P2 # plain\n# two rows\n3 2 255\n"
                             "0 17 255 # first row\n100\n200 3\n"), 2, 3);
    ck_assert_mem_eq(img.pixels, want, sizeof want);
    image_free(&img);

    /* maxval 65535 scales as in P5; maxval 1 makes 0 and 1 black and white */
    const unsigned char want16[4] = { 0, 255, 128, 1 };
    read_ok(&img, write_text("d.pgm", "P2\n4 1\n65535\n0 65535 32768 255\n"),
            1, 4);
    ck_assert_mem_eq(img.pixels, want16, sizeof want16);
    image_free(&img);
    const unsigned char want1[2] = { 255, 0 };
    read_ok(&img, write_text("e.pgm", "P2 2 1 1 1 0"), 1, 2);
    ck_assert_mem_eq(img.pixels, want1, sizeof want1);
    image_free(&img);
}
END_TEST

START_TEST(pgm_rejects_malformed)
{
    const unsigned char short_raw[] = "P5\n4 4\n255\n0123456789"; /* 10/16 */
    read_rejected(write_bytes("short.pgm", short_raw, sizeof short_raw - 1),
                  LENET_EFORMAT, "truncated data: 10 of 16");
    const unsigned char odd16[] = "P5 2 1 65535\n\x01\x02\x03"; /* 1.5 of 2 */
    read_rejected(write_bytes("odd.pgm", odd16, sizeof odd16 - 1),
                  LENET_EFORMAT, "truncated data: 1 of 2");
    read_rejected(write_text("magic.pgm", "P7\n2 2\n255\n0000"),
                  LENET_EFORMAT, "unknown format");
    read_rejected(write_text("maxval.pgm", "P5\n2 2\n0\n0000"),
                  LENET_EFORMAT, "maxval 0");
    read_rejected(write_text("maxbig.pgm", "P2\n2 2\n65536\n0 0 0 0"),
                  LENET_EFORMAT, "maxval 65536");
    read_rejected(write_text("neg.pgm", "P2\n-3 2\n255\n0 0 0 0 0 0"),
                  LENET_EFORMAT, "width is not a whole number");
    read_rejected(write_text("zero.pgm", "P5\n4 0\n255\n"),
                  LENET_EFORMAT, "zero size");
    read_rejected(write_text("huge.pgm", "P5\n5000 10\n255\n"),
                  LENET_EFORMAT, "absurd size 5000x10");
    read_rejected(write_text("vast.pgm", "P5\n3 123456789012345\n255\n"),
                  LENET_EFORMAT, "absurd size");
    read_rejected(write_text("header.pgm", "P5\n12 "),
                  LENET_EFORMAT, "truncated PGM header: no height");
    read_rejected(write_text("p2short.pgm", "P2 2 2 255 1 2 3"),
                  LENET_EFORMAT, "truncated data: 3 of 4");
    read_rejected(write_text("p2over.pgm", "P2 2 1 10 5 11"),
                  LENET_EFORMAT, "11, above maxval 10");
    read_rejected(write_text("p2text.pgm", "P2 2 1 255 5 x"),
                  LENET_EFORMAT, "pixel 1 is not a number");
}
END_TEST

/* ---- Reading PNG -------------------------------------------------------- */

START_TEST(png_grey_8bit)
{
    const unsigned char grey[12] = { 0, 1, 2, 3, 64, 127, 128, 129,
                                     200, 253, 254, 255 };
    image img;
    read_ok(&img, write_png("g.png", 4, 3, PNG_FORMAT_GRAY, grey), 3, 4);
    ck_assert_mem_eq(img.pixels, grey, sizeof grey);
    image_free(&img);

    /* 16 bits per sample (linear light): black and white stay so. */
    const png_uint_16 deep[2] = { 0, 65535 };
    read_ok(&img, write_png("g16.png", 2, 1, PNG_FORMAT_LINEAR_Y, deep), 1, 2);
    ck_assert_int_eq(img.pixels[0], 0);
    ck_assert_int_eq(img.pixels[1], 255);
    image_free(&img);
}
END_TEST

/* Neutral colours (r = g = b) become that grey; libpng goes through linear
   light and back, so allow one level of rounding. */
START_TEST(png_rgb)
{
    const unsigned char levels[4] = { 0, 100, 200, 255 };
    unsigned char rgb[4 * 3];
    for (int i = 0; i < 4; i++)
        rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = levels[i];
    image img;
    read_ok(&img, write_png("rgb.png", 2, 2, PNG_FORMAT_RGB, rgb), 2, 2);
    for (int i = 0; i < 4; i++)
        ck_assert_msg(abs(img.pixels[i] - levels[i]) <= 1,
                      "pixel %d: %d, expected %d", i, img.pixels[i], levels[i]);
    image_free(&img);
}
END_TEST

/* Transparency is composited onto white: transparent ink is paper. */
START_TEST(png_rgba_on_white)
{
    const unsigned char rgba[4 * 4] = {
        0, 0, 0, 255,          /* opaque black: ink */
        0, 0, 0, 0,            /* transparent black: the white background */
        255, 255, 255, 255,    /* opaque white */
        0, 0, 0, 128,          /* half-transparent black: in between */
    };
    image img;
    read_ok(&img, write_png("rgba.png", 4, 1, PNG_FORMAT_RGBA, rgba), 1, 4);
    ck_assert_int_eq(img.pixels[0], 0);
    ck_assert_int_eq(img.pixels[1], 255);
    ck_assert_int_eq(img.pixels[2], 255);
    /* libpng composites in linear light: half the light of white is
       brighter than the sRGB midpoint 128 (measured: 187, libpng 1.6) */
    ck_assert_msg(img.pixels[3] > 128 && img.pixels[3] < 250,
                  "half-transparent black read as %d", img.pixels[3]);
    image_free(&img);
}
END_TEST

/* Reads the whole file at path into buf (at most cap bytes). */
static size_t slurp(const char *path, unsigned char *buf, size_t cap)
{
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    size_t n = fread(buf, 1, cap, f);
    ck_assert(!ferror(f) && feof(f));
    fclose(f);
    return n;
}

START_TEST(png_rejects_truncated)
{
    /* A noisy picture, so that its compressed pixels are many bytes. */
    enum { SIDE = 64 };
    static unsigned char noise[SIDE * SIDE];
    gsl_rng *rng = test_rng(11);
    for (int i = 0; i < SIDE * SIDE; i++)
        noise[i] = (unsigned char)gsl_rng_uniform_int(rng, 256);
    gsl_rng_free(rng);
    static unsigned char file[3 * SIDE * SIDE];
    size_t n = slurp(write_png("whole.png", SIDE, SIDE, PNG_FORMAT_GRAY,
                               noise), file, sizeof file);
    ck_assert_uint_gt(n, 2000);

    read_rejected(write_bytes("half.png", file, n / 2), LENET_EFORMAT,
                  "truncated or bad PNG data");
    read_rejected(write_bytes("head.png", file, 20), LENET_EFORMAT,
                  "bad PNG header");
}
END_TEST

START_TEST(rejects_other_files)
{
    read_rejected(write_text("notes.txt", "hello, this is not a picture\n"),
                  LENET_EFORMAT, "unknown format");
    read_rejected(write_text("empty.pgm", ""), LENET_EFORMAT, "empty file");
    read_rejected(tmp_path("missing.png"), LENET_EIO, "cannot open");
}
END_TEST

/* ---- To MNIST ----------------------------------------------------------- */

/* Where the ink (pixels above 0) of a 28x28 result is. */
typedef struct {
    int top, bottom, left, right;   /* the bounding box, inclusive */
    double row, col;                /* centre of mass, of pixel centres */
} ink_box;

static ink_box measure(const unsigned char d[28 * 28])
{
    ink_box b = { 28, -1, 28, -1, 0, 0 };
    double mass = 0;
    for (int r = 0; r < 28; r++)
        for (int c = 0; c < 28; c++) {
            int v = d[r * 28 + c];
            if (!v)
                continue;
            b.top = r < b.top ? r : b.top;
            b.bottom = r > b.bottom ? r : b.bottom;
            b.left = c < b.left ? c : b.left;
            b.right = c > b.right ? c : b.right;
            mass += v;
            b.row += v * (r + 0.5);
            b.col += v * (c + 0.5);
        }
    ck_assert_msg(mass > 0, "no ink in the result");
    b.row /= mass;
    b.col /= mass;
    return b;
}

/* A picture of rows x cols pixels, all `background`. */
static image blank(int rows, int cols, unsigned char background)
{
    image img = { rows, cols, malloc((size_t)rows * cols) };
    ck_assert_ptr_nonnull(img.pixels);
    memset(img.pixels, background, (size_t)rows * cols);
    return img;
}

/* Paints rows [r0, r1) x columns [c0, c1) with v. */
static void paint(image *img, int r0, int r1, int c0, int c1, unsigned char v)
{
    for (int r = r0; r < r1; r++)
        for (int c = c0; c < c1; c++)
            img->pixels[r * img->cols + c] = v;
}

static void to_mnist_ok(const image *img, unsigned char out[28 * 28])
{
    lenet_error err = { "" };
    lenet_status s = image_to_mnist(img, out, &err);
    ck_assert_msg(s == LENET_OK, "status %d: %s", s, err.message);
}

/* An MNIST digit already: white ink on black, 20 tall and 8 wide, its
   centre of mass at (14, 14). Nothing should move or change. */
START_TEST(mnist_digit_unchanged)
{
    image img = blank(28, 28, 0);
    paint(&img, 4, 24, 10, 18, 255);
    unsigned char out[28 * 28];
    to_mnist_ok(&img, out);
    ink_box b = measure(out);
    ck_assert_int_eq(b.bottom - b.top + 1, 20);
    ck_assert_int_eq(b.right - b.left + 1, 8);
    ck_assert_msg(fabs(b.row - 14) <= 1 && fabs(b.col - 14) <= 1,
                  "centre of mass (%g, %g)", b.row, b.col);
    /* scale 20/20 = 1, centre already there: the very same bytes */
    ck_assert_mem_eq(out, img.pixels, 28 * 28);
    image_free(&img);
}
END_TEST

/* The same digit three times larger, black on white as on paper. The box
   is 60x24, the scale 1/3 exactly, each output pixel the mean of a 3x3
   block of one colour: the result is the 28x28 digit, byte for byte. */
START_TEST(mnist_digit_from_3x_scan)
{
    image small = blank(28, 28, 0), big = blank(84, 84, 255);
    paint(&small, 4, 24, 10, 18, 255);
    paint(&big, 12, 72, 30, 54, 0);
    unsigned char out_small[28 * 28], out_big[28 * 28];
    to_mnist_ok(&small, out_small);
    to_mnist_ok(&big, out_big);
    ck_assert_mem_eq(out_big, out_small, 28 * 28);
    image_free(&small);
    image_free(&big);
}
END_TEST

/*
 * An anti-aliased "0", an elliptic ring, drawn at 28x28 (white on black) and
 * at 84x84 (black on white) from the same shape: centre (14.3, 13.8) in
 * 28-pixel units, semi-axes 6.4 across and 9.7 down, stroke 2.6. Pixel
 * values are the fraction of sample points inside the ring, on a 12x12 grid
 * per 28-scale pixel in both pictures (4x4 per 84-scale pixel), so that a
 * 3x3 average of the large one would reproduce the small one.
 */
static image draw_ring(int side, int dark_on_light)
{
    const double cx = 14.3, cy = 13.8, a = 6.4, b = 9.7, t = 2.6;
    const int k = 12 * 28 / side;                 /* samples per pixel side */
    image img = blank(side, side, 0);
    for (int r = 0; r < side; r++)
        for (int c = 0; c < side; c++) {
            int inside = 0;
            for (int sr = 0; sr < k; sr++)
                for (int sc = 0; sc < k; sc++) {
                    double y = (r + (sr + 0.5) / k) * 28 / side - cy;
                    double x = (c + (sc + 0.5) / k) * 28 / side - cx;
                    double outer = (x / a) * (x / a) + (y / b) * (y / b);
                    double inner = (x / (a - t)) * (x / (a - t)) +
                                   (y / (b - t)) * (y / (b - t));
                    inside += outer <= 1 && inner > 1;
                }
            double ink = floor(255.0 * inside / (k * k) + 0.5);
            img.pixels[r * side + c] =
                (unsigned char)(dark_on_light ? 255 - ink : ink);
        }
    return img;
}

/* Mean |a - b| over the 28x28 field, b shifted right by `shift` columns. */
static double mean_abs_diff(const unsigned char *a, const unsigned char *b,
                            int shift)
{
    double sum = 0;
    for (int r = 0; r < 28; r++)
        for (int c = 0; c < 28; c++) {
            int bc = c - shift;
            int v = bc >= 0 && bc < 28 ? b[r * 28 + bc] : 0;
            sum += abs(a[r * 28 + c] - v);
        }
    return sum / (28 * 28);
}

/*
 * The two results differ for two reasons, both in the method, not in the
 * code: the boxes are whole pixels of different sizes (the small ring's ink
 * is 19.4 pixels tall and its box 20, the large one's 58.2 and 59, so the
 * scales differ by 2%), and the shift to the centre is rounded to whole
 * pixels, so the two rings land up to half a pixel apart (measured: 0.58
 * across). Half a pixel moves each stroke edge by half its height, so edge
 * pixels differ by up to 190 levels.
 * Measured: mean |difference| 12.65. Bound: 15, and less than what moving
 * the small result by one whole pixel across costs (21.8): the two agree to
 * better than one pixel of position.
 */
START_TEST(mnist_ring_from_3x_scan)
{
    image small = draw_ring(28, 0), big = draw_ring(84, 1);
    unsigned char out_small[28 * 28], out_big[28 * 28];
    to_mnist_ok(&small, out_small);
    to_mnist_ok(&big, out_big);
    double mad = mean_abs_diff(out_small, out_big, 0);
    double one_pixel = mean_abs_diff(out_small, out_small, 1);
    ck_assert_msg(mad < 15 && mad < one_pixel, "mean |difference| %.2f, "
                  "a one-pixel shift: %.2f", mad, one_pixel);
    ink_box bs = measure(out_small), bb = measure(out_big);
    ck_assert_int_eq(bs.bottom - bs.top + 1, 20);
    ck_assert_int_eq(bb.bottom - bb.top + 1, 20);
    ck_assert_msg(fabs(bs.row - bb.row) <= 1 && fabs(bs.col - bb.col) <= 1,
                  "centres of mass (%g, %g) and (%g, %g)", bs.row, bs.col,
                  bb.row, bb.col);
    image_free(&small);
    image_free(&big);
}
END_TEST

/* A "7" (a bar and a stem) in the top-left corner of a 40x50 page. Its box
   is 10 tall and 6 wide: scaled by 2 it becomes 20x12, and it must be moved
   so that its centre of mass, not its box's centre, is at (14, 14). */
START_TEST(mnist_off_centre_gets_centred)
{
    image img = blank(40, 50, 255);
    paint(&img, 2, 4, 3, 9, 0);       /* the bar: rows 2-3, columns 3-8 */
    paint(&img, 4, 12, 7, 9, 0);      /* the stem: rows 4-11, columns 7-8 */
    unsigned char out[28 * 28];
    to_mnist_ok(&img, out);
    ink_box b = measure(out);
    ck_assert_int_eq(b.bottom - b.top + 1, 20);
    ck_assert_int_eq(b.right - b.left + 1, 12);
    /* rounding the shift to whole pixels leaves at most half a pixel */
    ck_assert_msg(fabs(b.row - 14) <= 0.5 && fabs(b.col - 14) <= 0.5,
                  "centre of mass (%g, %g)", b.row, b.col);
    /* and the box is not centred: the stem pulls the mass right */
    ck_assert_msg(fabs((b.left + b.right + 1) / 2.0 - 14) >= 1,
                  "box columns %d-%d: centred as a box", b.left, b.right);
    image_free(&img);
}
END_TEST

/* A tall thin stroke, 40x4 on a 60x60 page: scale 1/2, so 20x2; and the
   same stroke lying down, so that the width is the larger side. */
START_TEST(mnist_one_keeps_aspect)
{
    image img = blank(60, 60, 255);
    paint(&img, 10, 50, 20, 24, 0);
    unsigned char out[28 * 28];
    to_mnist_ok(&img, out);
    ink_box b = measure(out);
    ck_assert_int_eq(b.bottom - b.top + 1, 20);
    ck_assert_int_eq(b.right - b.left + 1, 2);
    image_free(&img);

    img = blank(60, 60, 255);
    paint(&img, 20, 24, 10, 50, 0);
    to_mnist_ok(&img, out);
    b = measure(out);
    ck_assert_int_eq(b.bottom - b.top + 1, 2);
    ck_assert_int_eq(b.right - b.left + 1, 20);
    image_free(&img);
}
END_TEST

/* Grey paper (200) and grey ink (40): the levels are stretched, so the
   digit comes out as the clean one, background 0 and ink 255. */
START_TEST(mnist_grey_paper)
{
    image clean = blank(28, 28, 0), grey = blank(28, 28, 200);
    paint(&clean, 4, 24, 10, 18, 255);
    paint(&grey, 4, 24, 10, 18, 40);
    unsigned char out_clean[28 * 28], out_grey[28 * 28];
    to_mnist_ok(&clean, out_clean);
    to_mnist_ok(&grey, out_grey);
    ck_assert_mem_eq(out_grey, out_clean, 28 * 28);
    image_free(&clean);
    image_free(&grey);
}
END_TEST

/* A blob with a long thin tail: centring the mass pushes the tail off the
   bottom of the field, where it is clipped. */
START_TEST(mnist_clips_outside)
{
    image img = blank(28, 28, 0);
    paint(&img, 4, 9, 4, 24, 255);    /* a 5x20 blob */
    paint(&img, 9, 24, 13, 14, 255);  /* a 15-pixel tail */
    unsigned char out[28 * 28];
    to_mnist_ok(&img, out);
    ink_box b = measure(out);
    ck_assert_int_eq(b.bottom, 27);
    ck_assert_int_eq(b.right - b.left + 1, 20);
    ck_assert_int_lt(b.bottom - b.top + 1, 20);
    image_free(&img);
}
END_TEST

START_TEST(mnist_rejects_no_digit)
{
    const unsigned char levels[3] = { 255, 0, 128 };  /* white, black, grey */
    unsigned char out[28 * 28];
    lenet_error err = { "" };
    for (int i = 0; i < 3; i++) {
        image img = blank(30, 30, levels[i]);
        ck_assert_int_eq(image_to_mnist(&img, out, &err), LENET_EINVAL);
        ck_assert_msg(strstr(err.message, "no digit found") != NULL,
                      "%s", err.message);
        image_free(&img);
    }
    /* a speck of dust on white paper is not a digit either */
    image dust = blank(30, 30, 255);
    paint(&dust, 10, 11, 10, 11, 250);
    ck_assert_int_eq(image_to_mnist(&dust, out, &err), LENET_EINVAL);
    ck_assert_msg(strstr(err.message, "no digit found") != NULL, "%s",
                  err.message);
    image_free(&dust);

    image empty = { 0, 0, NULL };
    ck_assert_int_eq(image_to_mnist(&empty, out, &err), LENET_EINVAL);
}
END_TEST

Suite *image_suite(void)
{
    Suite *s = suite_create("image");
    TCase *tc = chapter_tcase(s, "reading digit pictures", 9);
    tcase_add_checked_fixture(tc, tmp_setup, tmp_teardown);
    tcase_add_test(tc, pgm_p5_with_comments);
    tcase_add_test(tc, pgm_p5_maxval_65535);
    tcase_add_test(tc, pgm_p2_with_comments);
    tcase_add_test(tc, pgm_rejects_malformed);
    tcase_add_test(tc, png_grey_8bit);
    tcase_add_test(tc, png_rgb);
    tcase_add_test(tc, png_rgba_on_white);
    tcase_add_test(tc, png_rejects_truncated);
    tcase_add_test(tc, rejects_other_files);

    tc = chapter_tcase(s, "a digit the MNIST way", 9);
    tcase_add_test(tc, mnist_digit_unchanged);
    tcase_add_test(tc, mnist_digit_from_3x_scan);
    tcase_add_test(tc, mnist_ring_from_3x_scan);
    tcase_add_test(tc, mnist_off_centre_gets_centred);
    tcase_add_test(tc, mnist_one_keeps_aspect);
    tcase_add_test(tc, mnist_grey_paper);
    tcase_add_test(tc, mnist_clips_outside);
    tcase_add_test(tc, mnist_rejects_no_digit);
    return s;
}
