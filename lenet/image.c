/*
 * image.c: reading a PGM or PNG picture, and making a picture of one digit
 * into a 28x28 MNIST digit (§III.A). See image.h for the contract.
 *
 * The PGM reader is written out here because the format is small enough to
 * read in a page; PNG goes through libpng's simplified API, which handles
 * every colour type, bit depth, palette, gamma and transparency for us.
 */
#include "image.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>

#define MNIST_SIDE 28   /* the field, §III.A */
#define MNIST_BOX 20    /* the box the digit's larger side is scaled to */

/* ---- PGM ---------------------------------------------------------------- */

#define PGM_HUGE 1000000000L   /* numbers longer than 9 digits read as this */

/*
 * The next decimal number of a PGM file, after any whitespace and '#'
 * comments (a comment runs to the end of its line). Returns 1 and sets
 * *value, 0 at the end of the file, or -1 if something else comes first
 * (a sign, a letter), leaving that character in *bad. The character after
 * the number is pushed back.
 */
static int pgm_number(FILE *f, long *value, int *bad)
{
    int c;
    for (;;) {
        c = getc(f);
        if (c == '#')
            while ((c = getc(f)) != '\n' && c != EOF)
                ;
        if (c == EOF)
            return 0;
        if (!isspace(c))
            break;
    }
    if (!isdigit(c)) {
        *bad = c;
        return -1;
    }
    long v = 0;
    for (; isdigit(c); c = getc(f))
        v = v < PGM_HUGE / 10 ? 10 * v + (c - '0') : PGM_HUGE;
    ungetc(c, f);
    *value = v;
    return 1;
}

/* Reads one header field; on failure fills err and returns non-OK. */
static lenet_status pgm_field(FILE *f, const char *path, const char *name,
                              long *value, lenet_error *err)
{
    int bad = 0;
    switch (pgm_number(f, value, &bad)) {
    case 1:
        return LENET_OK;
    case 0:
        return lenet_fail(err, LENET_EFORMAT,
                          "%s: truncated PGM header: no %s", path, name);
    default:
        return lenet_fail(err, LENET_EFORMAT, "%s: bad PGM header: %s is not "
                          "a whole number (found '%c')", path, name,
                          isprint(bad) ? bad : '?');
    }
}

/* A sample 0..maxval as a grey level 0..255, rounded to nearest. */
static unsigned char pgm_scale(long v, long maxval)
{
    return (unsigned char)((v * 255 + maxval / 2) / maxval);
}

/*
 * Reads a PGM whose two magic bytes ("P2" or "P5", `kind` is '2' or '5')
 * have been read from f.
 */
static lenet_status pgm_read(image *img, FILE *f, int kind, const char *path,
                             lenet_error *err)
{
    long cols, rows, maxval;
    lenet_status s;
    int c = getc(f);
    if (c == EOF)
        return lenet_fail(err, LENET_EFORMAT,
                          "%s: truncated PGM header: no width", path);
    if (!isspace(c) && c != '#')
        return lenet_fail(err, LENET_EFORMAT,
                          "%s: bad PGM header: no space after P%c", path, kind);
    ungetc(c, f);
    if ((s = pgm_field(f, path, "width", &cols, err)) != LENET_OK ||
        (s = pgm_field(f, path, "height", &rows, err)) != LENET_OK)
        return s;
    if (cols == 0 || rows == 0)
        return lenet_fail(err, LENET_EFORMAT, "%s: bad PGM header: "
                          "zero size %ldx%ld", path, cols, rows);
    if (cols > IMAGE_MAX_SIDE || rows > IMAGE_MAX_SIDE)
        return lenet_fail(err, LENET_EFORMAT, "%s: bad PGM header: absurd "
                          "size %ldx%ld (at most %d per side)", path, cols,
                          rows, IMAGE_MAX_SIDE);
    if ((s = pgm_field(f, path, "maxval", &maxval, err)) != LENET_OK)
        return s;
    if (maxval < 1 || maxval > 65535)
        return lenet_fail(err, LENET_EFORMAT, "%s: bad PGM header: maxval "
                          "%ld (must be 1 to 65535)", path, maxval);

    size_t n = (size_t)rows * (size_t)cols;
    unsigned char *pixels = malloc(n);
    if (!pixels)
        return lenet_fail(err, LENET_ENOMEM, "%s: out of memory for %ldx%ld "
                          "pixels", path, cols, rows);
    s = LENET_OK;
    if (kind == '2') {
        /* Plain PGM: samples are decimal numbers separated by whitespace. */
        for (size_t i = 0; i < n && s == LENET_OK; i++) {
            long v = 0;
            int bad = 0;
            int got = pgm_number(f, &v, &bad);
            if (got == 0)
                s = lenet_fail(err, LENET_EFORMAT, "%s: truncated data: %zu "
                               "of %zu pixels", path, i, n);
            else if (got < 0)
                s = lenet_fail(err, LENET_EFORMAT, "%s: bad data: pixel %zu "
                               "is not a number (found '%c')", path, i,
                               isprint(bad) ? bad : '?');
            else if (v > maxval)
                s = lenet_fail(err, LENET_EFORMAT, "%s: bad data: pixel %zu "
                               "is %ld, above maxval %ld", path, i, v, maxval);
            else
                pixels[i] = pgm_scale(v, maxval);
        }
    } else {
        /* Raw PGM: exactly one whitespace character ends the header, then
           one byte per sample, or two (most significant first) above 255. */
        c = getc(f);
        if (c == '#')
            while ((c = getc(f)) != '\n' && c != EOF)
                ;
        if (c != EOF && !isspace(c))
            s = lenet_fail(err, LENET_EFORMAT, "%s: bad PGM header: no space "
                           "after maxval", path);
        for (size_t i = 0; i < n && s == LENET_OK; i++) {
            long v = getc(f);
            if (v != EOF && maxval > 255) {
                int low = getc(f);
                v = low == EOF ? EOF : (v << 8) | low;
            }
            if (v == EOF)
                s = lenet_fail(err, LENET_EFORMAT, "%s: truncated data: %zu "
                               "of %zu pixels", path, i, n);
            else if (v > maxval)
                s = lenet_fail(err, LENET_EFORMAT, "%s: bad data: pixel %zu "
                               "is %ld, above maxval %ld", path, i, v, maxval);
            else
                pixels[i] = pgm_scale(v, maxval);
        }
    }
    if (s == LENET_OK && ferror(f))
        s = lenet_fail(err, LENET_EIO, "%s: cannot read: %s", path,
                       strerror(errno));
    if (s != LENET_OK) {
        free(pixels);
        return s;
    }
    img->rows = (int)rows;
    img->cols = (int)cols;
    img->pixels = pixels;
    return LENET_OK;
}

/* ---- PNG ---------------------------------------------------------------- */

static lenet_status png_read(image *img, const char *path, lenet_error *err)
{
    png_image png;
    memset(&png, 0, sizeof png);
    png.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&png, path))
        return lenet_fail(err, LENET_EFORMAT, "%s: bad PNG header: %s", path,
                          png.message);
    if (png.width > IMAGE_MAX_SIDE || png.height > IMAGE_MAX_SIDE) {
        lenet_status s = lenet_fail(err, LENET_EFORMAT, "%s: absurd size "
                                    "%ux%u (at most %d per side)", path,
                                    (unsigned)png.width, (unsigned)png.height,
                                    IMAGE_MAX_SIDE);
        png_image_free(&png);
        return s;
    }
    /* libpng converts any colour type and depth to 8-bit sRGB grey. */
    png.format = PNG_FORMAT_GRAY;
    unsigned char *pixels = malloc(PNG_IMAGE_SIZE(png));
    if (!pixels) {
        png_image_free(&png);
        return lenet_fail(err, LENET_ENOMEM, "%s: out of memory for %ux%u "
                          "pixels", path, (unsigned)png.width,
                          (unsigned)png.height);
    }
    /* Transparency is composited onto white: a digit drawn on a transparent
       canvas is ink on paper. (finish_read frees png, success or not.) */
    const png_color white = { 255, 255, 255 };
    if (!png_image_finish_read(&png, &white, pixels, 0, NULL)) {
        free(pixels);
        return lenet_fail(err, LENET_EFORMAT, "%s: truncated or bad PNG "
                          "data: %s", path, png.message);
    }
    img->rows = (int)png.height;
    img->cols = (int)png.width;
    img->pixels = pixels;
    return LENET_OK;
}

/* ---- Either ------------------------------------------------------------- */

lenet_status image_read(image *img, const char *path, lenet_error *err)
{
    static const unsigned char png_magic[8] = { 0x89, 'P', 'N', 'G',
                                                '\r', '\n', 0x1a, '\n' };
    memset(img, 0, sizeof *img);
    FILE *f = fopen(path, "rb");
    if (!f)
        return lenet_fail(err, LENET_EIO, "%s: cannot open: %s", path,
                          strerror(errno));
    unsigned char magic[8];
    size_t got = fread(magic, 1, 2, f);
    lenet_status s;
    if (got == 2 && magic[0] == 'P' && (magic[1] == '2' || magic[1] == '5')) {
        s = pgm_read(img, f, magic[1], path, err);
        fclose(f);
        return s;
    }
    if (got == 2)
        got += fread(magic + 2, 1, 6, f);
    if (ferror(f))
        s = lenet_fail(err, LENET_EIO, "%s: cannot read: %s", path,
                       strerror(errno));
    else if (got == 0)
        s = lenet_fail(err, LENET_EFORMAT, "%s: empty file", path);
    else if (got == 8 && memcmp(magic, png_magic, 8) == 0)
        s = LENET_OK;
    else
        s = lenet_fail(err, LENET_EFORMAT, "%s: unknown format: neither "
                       "PGM (P2, P5) nor PNG", path);
    fclose(f);
    return s == LENET_OK ? png_read(img, path, err) : s;
}

void image_free(image *img)
{
    free(img->pixels);
    memset(img, 0, sizeof *img);
}

/* ---- To MNIST ----------------------------------------------------------- */

//> image-levels
/* Step 1's verdict: a grey level v has ink max(0, v' - background) * gain,
   where v' is v, or 255 - v when the picture is inverted. */
typedef struct {
    int invert;
    double background, gain;
} ink_levels;

static double ink(const ink_levels *k, unsigned char v)
{
    double x = (k->invert ? 255.0 - v : (double)v) - k->background;
    return x > 0 ? x * k->gain : 0.0;
}

/* Step 1: polarity from the border ring, then background level and gain.
   Returns the strongest ink before the gain (its contrast, in grey levels). */
static double image_levels(const image *img, ink_levels *k)
{
    double all = 0, ring = 0;
    long ring_count = 0;
    for (int r = 0; r < img->rows; r++)
        for (int c = 0; c < img->cols; c++) {
            unsigned char v = img->pixels[(size_t)r * img->cols + c];
            all += v;
            if (r == 0 || c == 0 || r == img->rows - 1 || c == img->cols - 1) {
                ring += v;
                ring_count++;
            }
        }
    all /= (double)img->rows * img->cols;
    ring /= (double)ring_count;
    k->invert = !(ring < all);    /* dark border: light-on-dark, kept */
    k->background = k->invert ? 255.0 - ring : ring;
    k->gain = 1.0;
    double strongest = 0.0;
    for (size_t i = 0; i < (size_t)img->rows * img->cols; i++) {
        double x = ink(k, img->pixels[i]);
        if (x > strongest)
            strongest = x;
    }
    if (strongest > 0)
        k->gain = 255.0 / strongest;
    return strongest;
}
//< image-levels

//> image-box-weight
/*
 * Step 3 along one axis: how much of source pixel `s` lies under output
 * pixel `o` when `length` source pixels become MNIST_BOX, as a fraction of
 * the output pixel (so the weights of a fully covered output pixel sum to 1).
 */
static double box_weight(int o, int s, int length)
{
    double lo = (double)o * length / MNIST_BOX;        /* o's extent, in */
    double hi = (double)(o + 1) * length / MNIST_BOX;  /* source pixels  */
    double overlap = fmin(hi, s + 1.0) - fmax(lo, (double)s);
    return overlap > 0 ? overlap * MNIST_BOX / length : 0.0;
}
//< image-box-weight

lenet_status image_to_mnist(const image *img, unsigned char out[28 * 28],
                            lenet_error *err)
{
    memset(out, 0, MNIST_SIDE * MNIST_SIDE);
    if (img->rows < 1 || img->cols < 1 || !img->pixels)
        return lenet_fail(err, LENET_EINVAL, "empty image");

    /* 1. Polarity and levels. */
    ink_levels k;
    double contrast = image_levels(img, &k);
    if (contrast < IMAGE_MIN_CONTRAST)
        return lenet_fail(err, LENET_EINVAL, "no digit found: the ink stands "
                          "%.0f grey levels above the background, at least "
                          "%d needed", contrast, IMAGE_MIN_CONTRAST);

    /* 2. The bounding box of the ink above 10% of the strongest (255). */
    int top = img->rows, bottom = -1, left = img->cols, right = -1;
    for (int r = 0; r < img->rows; r++)
        for (int c = 0; c < img->cols; c++)
            if (ink(&k, img->pixels[(size_t)r * img->cols + c]) > 0.1 * 255) {
                top = r < top ? r : top;
                bottom = r > bottom ? r : bottom;
                left = c < left ? c : left;
                right = c > right ? c : right;
            }
    int h = bottom - top + 1, w = right - left + 1;
    int length = h > w ? h : w;               /* becomes MNIST_BOX */

    /* 3. Area averaging: output (i, j) covers source rows [i L/20, (i+1) L/20)
       and the same columns, L the box's larger side; rows first, into line. */
    int oh = (h * MNIST_BOX + length - 1) / length;
    int ow = (w * MNIST_BOX + length - 1) / length;
    double box[MNIST_BOX][MNIST_BOX] = { { 0 } };
    double *line = malloc((size_t)w * sizeof *line);
    if (!line)
        return lenet_fail(err, LENET_ENOMEM, "out of memory");
    for (int i = 0; i < oh; i++) {
        for (int c = 0; c < w; c++)
            line[c] = 0.0;
        int r0 = (int)((double)i * length / MNIST_BOX);
        for (int r = r0; r < h; r++) {
            double wy = box_weight(i, r, length);
            if (wy == 0.0 && r > r0)
                break;
            const unsigned char *src = img->pixels +
                                       (size_t)(top + r) * img->cols + left;
            for (int c = 0; c < w; c++)
                line[c] += wy * ink(&k, src[c]);
        }
        for (int j = 0; j < ow; j++) {
            int c0 = (int)((double)j * length / MNIST_BOX);
            for (int c = c0; c < w; c++) {
                double wx = box_weight(j, c, length);
                if (wx == 0.0 && c > c0)
                    break;
                box[i][j] += wx * line[c];
            }
        }
    }
    free(line);

//> image-centre
    /* 4. Centre of mass of the pixel centres (i + 0.5, j + 0.5) to (14, 14). */
    double mass = 0, mi = 0, mj = 0;
    for (int i = 0; i < oh; i++)
        for (int j = 0; j < ow; j++) {
            mass += box[i][j];
            mi += box[i][j] * (i + 0.5);
            mj += box[i][j] * (j + 0.5);
        }
    if (!(mass > 0))
        return lenet_fail(err, LENET_EINVAL, "no digit found");
    int row0 = (int)floor(MNIST_SIDE / 2.0 - mi / mass + 0.5);
    int col0 = (int)floor(MNIST_SIDE / 2.0 - mj / mass + 0.5);
    for (int i = 0; i < oh; i++)
        for (int j = 0; j < ow; j++) {
            int r = row0 + i, c = col0 + j;
            if (r < 0 || r >= MNIST_SIDE || c < 0 || c >= MNIST_SIDE)
                continue;                       /* clipped */
            double v = floor(box[i][j] + 0.5);
            out[r * MNIST_SIDE + c] = (unsigned char)(v > 255 ? 255 : v);
        }
//< image-centre
    return LENET_OK;
}
