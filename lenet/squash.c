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
#include <string.h>

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
/*
 * libmvec has a tanh for each vector width, and they do not all agree to
 * the last bit (the AVX2 one differs from the AVX-512 one on about a third
 * of inputs), so a plain loop would give a unit a different value when it
 * lands in the loop's narrower tail: when a layer is cut in two for two
 * cores (chapter 10), say. So every unit goes through the same loop of
 * SQUASH_BLOCK units, the last few padded to a whole block, and its value
 * depends on its input alone.
 */
#define SQUASH_BLOCK 8           /* a multiple of every vector width here */

static void squash_block(double *x, const double *a)
{
#pragma omp simd
    for (int i = 0; i < SQUASH_BLOCK; i++)
        x[i] = squash(a[i]);
}

void squash_forward(double *x, const double *a, size_t n)
{
    size_t i = 0;
    for (; i + SQUASH_BLOCK <= n; i += SQUASH_BLOCK)
        squash_block(x + i, a + i);
    if (i < n) {
        double pa[SQUASH_BLOCK] = { 0 }, px[SQUASH_BLOCK];
        memcpy(pa, a + i, (n - i) * sizeof *a);
        squash_block(px, pa);
        memcpy(x + i, px, (n - i) * sizeof *x);
    }
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
