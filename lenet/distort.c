/* distort.c: affine distortions with bilinear resampling (see distort.h). */
#include "distort.h"

#include <math.h>

#define CENTRE ((DISTORT_SIDE - 1) / 2.0)

distort_params distort_identity(void)
{
    return (distort_params){ 0.0, 0.0, 1.0, 0.0, 0.0 };
}

/* Uniform in [-limit, +limit]. */
static double symmetric(gsl_rng *rng, double limit)
{
    return limit * (2.0 * gsl_rng_uniform(rng) - 1.0);
}

distort_params distort_draw(gsl_rng *rng)
{
    distort_params p;
    p.dx = symmetric(rng, DISTORT_SHIFT);
    p.dy = symmetric(rng, DISTORT_SHIFT);
    p.scale = 1.0 + symmetric(rng, DISTORT_SCALE);
    p.squeeze = symmetric(rng, DISTORT_SQUEEZE);
    p.shear = symmetric(rng, DISTORT_SHEAR);
    return p;
}

/* Pixel (row, col) of the digit, 0 outside the field. */
static double pixel(const unsigned char *in, int row, int col)
{
    if (row < 0 || row >= DISTORT_SIDE || col < 0 || col >= DISTORT_SIDE)
        return 0.0;
    return in[row * DISTORT_SIDE + col];
}

//> distort-apply
/* The digit at the real point (x, y), bilinearly from its four neighbours.
   (x and y stay within a few fields of 0 for any sensible parameters, so
   the casts to int are safe.) */
static double bilinear(const unsigned char *in, double x, double y)
{
    double fx = floor(x), fy = floor(y);
    double u = x - fx, v = y - fy;
    int c = (int)fx, r = (int)fy;
    return (1 - v) * ((1 - u) * pixel(in, r, c) + u * pixel(in, r, c + 1))
         + v * ((1 - u) * pixel(in, r + 1, c) + u * pixel(in, r + 1, c + 1));
}

void distort_apply(unsigned char *out, const unsigned char *in,
                   const distort_params *p)
{
    double sx = p->scale * (1.0 + p->squeeze);
    double sy = p->scale * (1.0 - p->squeeze);
    for (int row = 0; row < DISTORT_SIDE; row++) {
        /* invert y' - c = sy (y - c) + dy, then x' for this row */
        double ys = (row - CENTRE - p->dy) / sy;
        for (int col = 0; col < DISTORT_SIDE; col++) {
            double xs = (col - CENTRE - p->dx - p->shear * sy * ys) / sx;
            long byte = lround(bilinear(in, xs + CENTRE, ys + CENTRE));
            out[row * DISTORT_SIDE + col] =
                (unsigned char)(byte < 0 ? 0 : byte > 255 ? 255 : byte);
        }
    }
}
//< distort-apply
