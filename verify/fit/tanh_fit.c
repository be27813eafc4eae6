/*
 * tanh_fit.c: the coefficients of squash.c's polynomial (chapter 4).
 *
 * e^r - 1 = r + r^2 g(r), g(r) = 1/2! + r/3! + r^2/4! + ..., for
 * |r| <= (ln 2) / 2. squash.c replaces g by the polynomial of degree 9
 * that agrees with it at the ten Chebyshev points of that interval: a fit
 * to the whole interval, where the Taylor series of the same degree fits
 * best at 0 and worst at the ends. Its largest error is about 1e-16 of g,
 * where the Taylor series needs degree 11 for that. Worked in long double
 * (64-bit mantissa, on x86-64), rounded to double at the end, and printed
 * as C hexadecimal constants, highest degree first.
 *
 *   make fit    (prints them; make verify checks that squash.c has them,
 *                and verify/check_squash.c bounds the tanh they give)
 */
#include <math.h>
#include <stdio.h>

#define DEGREE 9
#define POINTS (DEGREE + 1)

/* g(r) from its series; 30 terms are far past long double's precision. */
static long double g(long double r)
{
    long double term = 0.5L, sum = 0.0L;       /* r^k / (k + 2)! */
    for (int k = 0; k < 30; k++) {
        sum += term;
        term *= r / (k + 3);
    }
    return sum;
}

int main(void)
{
    const long double pi = 3.141592653589793238462643383279502884L;
    const long double a = 0.5L * logl(2.0L);   /* the interval [-a, a] */
    long double value[POINTS], cheb[POINTS];

    /* g at the Chebyshev points a cos(pi (i + 1/2) / POINTS) */
    for (int i = 0; i < POINTS; i++)
        value[i] = g(a * cosl(pi * (i + 0.5L) / POINTS));
    /* the interpolant as sum_j cheb[j] T_j(r / a) */
    for (int j = 0; j < POINTS; j++) {
        long double s = 0.0L;
        for (int i = 0; i < POINTS; i++)
            s += value[i] * cosl(pi * j * (i + 0.5L) / POINTS);
        cheb[j] = (j == 0 ? 1.0L : 2.0L) * s / POINTS;
    }
    /* T_j's coefficients in t by T_j = 2t T_(j-1) - T_(j-2), summed into
       the polynomial's in t, then t = r / a */
    long double t0[POINTS] = { 1.0L }, t1[POINTS] = { 0.0L, 1.0L };
    long double poly[POINTS] = { 0.0L };
    for (int k = 0; k < POINTS; k++)
        poly[k] += cheb[0] * t0[k] + cheb[1] * t1[k];
    for (int j = 2; j < POINTS; j++) {
        long double t2[POINTS];
        for (int k = 0; k < POINTS; k++)
            t2[k] = (k > 0 ? 2.0L * t1[k - 1] : 0.0L) - t0[k];
        for (int k = 0; k < POINTS; k++) {
            poly[k] += cheb[j] * t2[k];
            t0[k] = t1[k];
            t1[k] = t2[k];
        }
    }
    long double worst = 0.0L;                  /* over 10,001 points */
    for (int i = 0; i <= 10000; i++) {
        long double r = -a + 2.0L * a * i / 10000, p = 0.0L;
        for (int k = DEGREE; k >= 0; k--)
            p = p * r + poly[k] / powl(a, k);
        if (fabsl(p - g(r)) > worst)
            worst = fabsl(p - g(r));
    }
    for (int k = DEGREE; k >= 0; k--)
        printf("%a%s", (double)(poly[k] / powl(a, k)), k ? ",\n" : "\n");
    fprintf(stderr, "degree %d, largest error %.3Lg of g (about 0.5)\n",
            DEGREE, worst);
    return 0;
}
