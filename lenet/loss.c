/*
 * loss.c: the ML and MAP criteria of §II.C and their gradients.
 *
 * The MAP term log(e^-j + sum e^-y_i) is computed with the smallest of j and
 * the y_i factored out. In double precision e^-y underflows to 0 only past
 * y = 745, beyond the largest penalty F6 can cause (84 x 2.7159^2 = 620),
 * but not beyond a large j or a single-precision port: the shift keeps the
 * result exact whatever the values.
 */
#include "loss.h"

#include <math.h>

//> loss-ml
double loss_ml(const double *y, int n, int label)
{
    (void)n;
    return y[label];
}

void loss_ml_backward(double *dy, const double *y, int n, int label)
{
    (void)y;
    (void)n;
    dy[label] += 1.0;
}
//< loss-ml

/* The smallest of j and the y_i: the shift that keeps every exponent <= 0. */
static double smallest(const double *y, int n, double j)
{
    double m = j;
    for (int i = 0; i < n; i++)
        m = fmin(m, y[i]);
    return m;
}

/* e^-(j-m) + sum_i e^-(y_i-m): the MAP sum, scaled by e^m. */
static double shifted_sum(const double *y, int n, double j, double m)
{
    double s = exp(-(j - m));
    for (int i = 0; i < n; i++)
        s += exp(-(y[i] - m));
    return s;
}

//> loss-map
double loss_map(const double *y, int n, int label, double j)
{
    double m = smallest(y, n, j);
    return y[label] - m + log(shifted_sum(y, n, j, m));
}

/* dE/dy_i = [i = label] - e^-y_i / (e^-j + sum_k e^-y_k). */
void loss_map_backward(double *dy, const double *y, int n, int label, double j)
{
    double m = smallest(y, n, j);
    double s = shifted_sum(y, n, j, m);
    for (int i = 0; i < n; i++)
        dy[i] -= exp(-(y[i] - m)) / s;
    dy[label] += 1.0;
}
//< loss-map

double loss_value(loss_kind kind, const double *y, int n, int label)
{
    return kind == LOSS_MAP ? loss_map(y, n, label, LOSS_MAP_J)
                            : loss_ml(y, n, label);
}

void loss_backward(loss_kind kind, double *dy, const double *y, int n, int label)
{
    if (kind == LOSS_MAP)
        loss_map_backward(dy, y, n, label, LOSS_MAP_J);
    else
        loss_ml_backward(dy, y, n, label);
}
