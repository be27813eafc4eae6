/*
 * distort.h: random planar affine distortions of an MNIST digit, the
 * paper's way of multiplying the training set (§III.C, Fig. 7): "horizontal
 * and vertical translations, scaling, squeezing (simultaneous horizontal
 * compression and vertical elongation, or the reverse) and horizontal
 * shearing". The paper gives no magnitudes. These are this project's:
 *
 *   translation   dx, dy uniform in [-2, +2] pixels. MNIST centres each
 *                 digit's centre of mass in the 28x28 field, so real digits
 *                 are within a pixel or two of the middle; 2 pixels keeps a
 *                 20-pixel digit inside the field.
 *   scaling       s uniform in [0.9, 1.1], both directions: MNIST
 *                 normalises the larger side of each digit to 20 pixels, so
 *                 sizes vary little; 10% is a stroke's width either way.
 *   squeezing     q uniform in [-0.1, +0.1]: x scaled by 1 + q and y by
 *                 1 - q, so the aspect ratio moves by up to about 20% while
 *                 the area moves by at most 1%; MNIST's normalisation keeps
 *                 the aspect ratio, so real variation is the writer's.
 *   shearing      k uniform in [-0.2, +0.2]: x moved by k y, a slant of up
 *                 to atan 0.2 = 11 degrees either way, within the range of
 *                 slants handwriting shows (MNIST is not deslanted).
 *
 * Together they stay recognisable (figures/distortions.png shows 20) and
 * mostly inside the field: at the extremes a 20x20 digit spans 24 pixels
 * plus 2 of shear and 2 of translation on a side, so at most a corner of
 * the 28x28 field is cut.
 *
 * The map, about the field's centre c = 13.5 (the middle of pixel 0..27),
 * from a point (x, y) of the original to (x', y') of the distorted digit:
 *
 *     x' - c = sx (x - c) + k sy (y - c) + dx,   sx = s (1 + q)
 *     y' - c =                sy (y - c) + dy,   sy = s (1 - q)
 *
 * Each output pixel is the original's value at the inverse image of its
 * centre, interpolated bilinearly from the four nearest pixels, with 0
 * (background) outside the field, and rounded to the nearest byte. With
 * s = 1 and q = k = 0 and whole-pixel dx, dy the result is an exact shift.
 * Ink is conserved up to the area factor sx sy and the resampling's
 * rounding (verify/check_distort.c bounds both).
 *
 * It is not an elastic distortion (Simard et al. 2003) and not a data set:
 * the trainer distorts each pattern as it presents it (train.h).
 */
#ifndef LENET_DISTORT_H
#define LENET_DISTORT_H

#include <gsl/gsl_rng.h>

#define DISTORT_SIDE 28            /* an MNIST digit */
#define DISTORT_SHIFT 2.0          /* |dx|, |dy| at most, pixels */
#define DISTORT_SCALE 0.1          /* |s - 1| at most */
#define DISTORT_SQUEEZE 0.1        /* |q| at most */
#define DISTORT_SHEAR 0.2          /* |k| at most */

typedef struct {
    double dx, dy;     /* translation, pixels; +dx right, +dy down */
    double scale;      /* s */
    double squeeze;    /* q: x scaled by s (1 + q), y by s (1 - q) */
    double shear;      /* k: x' moves by k times the (scaled) y */
} distort_params;

/* The parameters that change nothing. */
distort_params distort_identity(void);

/* Draws each parameter uniformly within the magnitudes above, in the order
   dx, dy, scale, squeeze, shear: five gsl_rng_uniform calls. */
distort_params distort_draw(gsl_rng *rng);

/* out = the 28x28 digit `in` distorted by p. out and in must not overlap. */
void distort_apply(unsigned char *out,          /* out: 28x28 bytes */
                   const unsigned char *in,     /* in:  28x28 bytes */
                   const distort_params *p);

#endif
