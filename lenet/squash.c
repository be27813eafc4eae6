/*
 * squash.c: f(a) = A tanh(S a) and its derivative (Appendix A).
 *
 * tanh is written out here in additions, multiplications and one division
 * (lenet_tanh below) rather than taken from the C library, for two reasons.
 * Speed: the library's tanh is a call per unit, 8,084 units per image,
 * while this one is a loop body that the compiler runs two, four or eight
 * units at a time. And the same bits everywhere: every unit goes through
 * the same operations in the same order whether the loop runs it in a
 * vector of eight, of two or alone, so the network computes the same
 * values on every x86-64, in the portable build and with NATIVE=1.
 * verify/check_squash.c bounds its distance from the C library's tanh.
 */
#include "squash.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

//> squash-tanh
/*
 * tanh |x| = -m / (2 + m), m = e^y - 1, y = -2|x|: no two nearly equal
 * numbers are ever subtracted, so the result is good to a few units in
 * its last place however small x is. m is found as for exp:
 * y = k ln 2 + r with k a whole number and |r| <= (ln 2) / 2, so that
 * e^y - 1 = 2^k (e^r - 1) + (2^k - 1), and 2^k is built from its bits.
 * e^r - 1 = r + r^2 g(r), g(r) = 1/2! + r/3! + r^2/4! + ...; g is taken
 * as the polynomial of degree 9 that equals it at the ten Chebyshev
 * points of [-(ln 2)/2, (ln 2)/2], within 1.1e-16 of it everywhere there
 * (verify/fit/tanh_fit.c finds the coefficients; the Taylor series needs
 * degree 11 for as close a fit at the ends). Past |x| = 20, tanh is 1 to
 * the last bit.
 */
static inline double lenet_tanh(double x)
{
    const double shifter = 0x1.8p52;   /* adding it rounds to a whole number */
    const double ln2_hi = 0x1.62e42fee00000p-1;  /* k ln2_hi is exact */
    const double ln2_lo = 0x1.a39ef35793c76p-33;
    double y = -2.0 * fabs(x);
    y = y < -40.0 ? -40.0 : y;                  /* (a NaN stays a NaN) */
    double kd = y * 0x1.71547652b82fep0 + shifter;           /* y / ln 2 */
    uint64_t bits;
    memcpy(&bits, &kd, sizeof bits);   /* k sits in the low bits of kd */
    kd -= shifter;
    double r = (y - kd * ln2_hi) - kd * ln2_lo;
    double p = 0x1.af36a5f2c7a41p-26;                 /* near 1 / 11! */
    p = 0x1.28918418089a6p-22 + r * p;
    p = 0x1.71de0eaee7eacp-19 + r * p;
    p = 0x1.a019b90cd3b7fp-16 + r * p;
    p = 0x1.a01a01a7745f8p-13 + r * p;
    p = 0x1.6c16c1788c7f3p-10 + r * p;
    p = 0x1.1111111110a2cp-7 + r * p;
    p = 0x1.5555555553d5fp-5 + r * p;
    p = 0x1.5555555555556p-3 + r * p;                      /* near 1 / 3! */
    p = 0x1.0000000000001p-1 + r * p;                      /* near 1 / 2! */
    p = r + (r * r) * p;                                   /* e^r - 1 */
    bits = (bits << 52) + ((uint64_t)1023 << 52);        /* 2^k, k <= 0 */
    double scale;
    memcpy(&scale, &bits, sizeof scale);
    double m = scale * p + (scale - 1.0);                  /* e^y - 1 */
    return copysign(-m / (2.0 + m), x);
}
//< squash-tanh

//> squash
double squash(double a)
{
    return SQUASH_A * lenet_tanh(SQUASH_S * a);
}

/*
 * f'(a) = A S (1 - tanh^2(S a)) = (S / A) (A^2 - f(a)^2).
 */
double squash_deriv(double a)
{
    double t = lenet_tanh(SQUASH_S * a);
    return SQUASH_A * SQUASH_S * (1.0 - t * t);
}

double squash_tanh(double x)
{
    return lenet_tanh(x);
}
//< squash

//> squash-forward
void squash_forward(double *x, const double *a, size_t n)
{
#pragma omp simd
    for (size_t i = 0; i < n; i++)
        x[i] = squash(a[i]);
}
//< squash-forward

//> squash-backward
void squash_backward(double *da, const double *dx, const double *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        da[i] += dx[i] * (SQUASH_S / SQUASH_A) * (SQUASH_A * SQUASH_A - x[i] * x[i]);
}
//< squash-backward

//> squash-backward2
void squash_backward2(double *d2a, const double *d2x, const double *x, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        double d = (SQUASH_S / SQUASH_A) * (SQUASH_A * SQUASH_A - x[i] * x[i]);
        d2a[i] += d2x[i] * d * d;
    }
}
//< squash-backward2
