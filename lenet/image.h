/*
 * image.h: one digit from an image file, made into what MNIST stores, for
 * `lenet predict`.
 *
 * image_read reads a greyscale picture from a PGM or PNG file; image_to_mnist
 * turns a picture of one digit into a 28x28 MNIST-style digit (§III.A), ready
 * for input_forward. This is deliberately not a general image library: one
 * grey channel of bytes, two formats, no writing, and no segmentation (the
 * picture must hold one digit and nothing else).
 */
#ifndef LENET_IMAGE_H
#define LENET_IMAGE_H

#include "status.h"

#define IMAGE_MAX_SIDE 4096     /* larger is taken as a broken header */
#define IMAGE_MIN_CONTRAST 26   /* grey levels of ink over background: 10% */

typedef struct {
    int rows, cols;
    unsigned char *pixels;    /* rows x cols grey levels, row by row:
                                 0 = black, 255 = white, as in the file */
} image;

/*
 * Reads `path` into img, choosing the format by the file's first bytes,
 * never by its name:
 *   - PGM, "P2" (ASCII) or "P5" (binary), maxval 1 to 65535 (two bytes per
 *     sample, most significant first, above 255), '#' comments in the
 *     header; samples are scaled to 0..255, rounded;
 *   - PNG of any colour type and bit depth, through libpng's simplified API,
 *     converted to 8-bit grey; transparent pixels are composited onto white
 *     (paper), so a digit drawn on a transparent canvas reads as ink on paper.
 * On failure img is left zeroed and err says, in one line naming the file,
 * what is wrong: missing or unreadable file (LENET_EIO), unknown format, bad
 * or truncated header, zero size or more than IMAGE_MAX_SIDE per side,
 * truncated or bad pixel data (LENET_EFORMAT), or LENET_ENOMEM.
 *
 *     image img;
 *     lenet_error err;
 *     if (image_read(&img, "seven.png", &err) != LENET_OK)
 *         fprintf(stderr, "%s\n", err.message);
 */
lenet_status image_read(image *img, const char *path, lenet_error *err);

/* Frees the pixels and zeroes img; safe on a zeroed or already freed img. */
void image_free(image *img);

/*
 * Makes `out` the digit in img as MNIST would store it (§III.A: size-
 * normalised into a 20x20 box, centred by centre of mass in a 28x28 field),
 * 0 = background, 255 = ink. The steps:
 *
 *  1. Polarity and levels. The expected picture is a dark digit on a light
 *     background, like a scan; a light digit on a dark background (like
 *     MNIST itself) is recognised by its border: if the mean of the outermost
 *     ring of pixels is darker than the mean of the whole picture, the
 *     picture is taken as light-on-dark and kept; otherwise it is inverted.
 *     Either way ink is now bright. The background level (the ring's mean) is
 *     then subtracted, negatives clipped to 0, and what remains stretched so
 *     that the strongest ink is 255: grey paper becomes 0, as in MNIST.
 *  2. Bounding box: the smallest rectangle holding every pixel whose ink is
 *     above 10% of the strongest. A picture with no ink, or whose strongest
 *     ink stands less than IMAGE_MIN_CONTRAST grey levels above the
 *     background (a blank page, noise), is rejected: "no digit found".
 *  3. Size: the box is scaled by 20 / (its larger side), so that side becomes
 *     20 pixels and the aspect ratio is kept, by area averaging: each output
 *     pixel is the mean of the ink under its square (a box filter). That is
 *     anti-aliasing, where MNIST's grey levels come from.
 *  4. Position: the scaled box is placed in the 28x28 field so that its
 *     centre of mass (ink-weighted mean of pixel centres) lands at the
 *     field's centre, the point (14, 14) where its four middle pixels meet;
 *     the shift is rounded to whole pixels and ink falling outside the field
 *     is dropped.
 *
 * Returns LENET_EINVAL with err saying why for an empty image or no digit,
 * LENET_ENOMEM if the scratch row buffer cannot be allocated.
 */
lenet_status image_to_mnist(const image *img, unsigned char out[28 * 28],
                            lenet_error *err);

#endif
