/* relu.c: f(a) = max(0, a) and its gradient (see relu.h). */
#include "relu.h"

//> relu
void relu_forward(double *x, const double *a, size_t n)
{
    for (size_t i = 0; i < n; i++)
        x[i] = a[i] > 0.0 ? a[i] : 0.0;
}

void relu_backward(double *da, const double *dx, const double *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (x[i] > 0.0)
            da[i] += dx[i];
}
//< relu

//> relu-backward2
void relu_backward2(double *d2a, const double *d2x, const double *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (x[i] > 0.0)
            d2a[i] += d2x[i];
}
//< relu-backward2
