/*
 * squash.c: f(a) = A tanh(S a) and its derivative (Appendix A).
 *
 * The Makefile compiles this one file with -ffast-math: with it (and
 * `#pragma omp simd`), gcc evaluates tanh two at a time (SSE2, the
 * portable default) or four or eight (with `make NATIVE=1` on AVX2 or
 * AVX-512) through glibc's vector maths library, libmvec, instead of one
 * call per unit.
 * libmvec's tanh is accurate to a few units in the last place, like the
 * scalar one; verify/check_squash.c bounds the difference. Other compilers
 * simply call tanh in the loop.
 */
#include "squash.h"

#include <math.h>

//> squash
double squash(double a)
{
    return SQUASH_A * tanh(SQUASH_S * a);
}

/*
 * f'(a) = A S (1 - tanh^2(S a)) = (S / A) (A^2 - f(a)^2).
 */
double squash_deriv(double a)
{
    double t = tanh(SQUASH_S * a);
    return SQUASH_A * SQUASH_S * (1.0 - t * t);
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
