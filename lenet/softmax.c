/* softmax.c: softmax and cross-entropy, numerically stable (see softmax.h). */
#include "softmax.h"

#include <math.h>

int softmax_predict(const double *z, int n)
{
    int best = 0;
    for (int i = 1; i < n; i++)
        if (z[i] > z[best])
            best = i;
    return best;
}

//> softmax-log-sum-exp
double softmax_log_sum_exp(const double *z, int n)
{
    double max = z[softmax_predict(z, n)], sum = 0.0;
    for (int i = 0; i < n; i++)
        sum += exp(z[i] - max);         /* each in (0, 1], the max's is 1 */
    return max + log(sum);
}
//< softmax-log-sum-exp

void softmax_forward(double *p, const double *z, int n)
{
    double max = z[softmax_predict(z, n)], sum = 0.0;
    for (int i = 0; i < n; i++) {
        p[i] = exp(z[i] - max);
        sum += p[i];
    }
    for (int i = 0; i < n; i++)
        p[i] /= sum;
}

//> softmax-loss
double softmax_loss(const double *z, int n, int label)
{
    return softmax_log_sum_exp(z, n) - z[label];
}

void softmax_backward(double *dz, const double *z, int n, int label)
{
    double lse = softmax_log_sum_exp(z, n);
    for (int i = 0; i < n; i++)
        dz[i] += exp(z[i] - lse) - (i == label);
}
//< softmax-loss

//> softmax-backward2
void softmax_backward2(double *d2z, const double *z, int n)
{
    double lse = softmax_log_sum_exp(z, n);
    for (int i = 0; i < n; i++) {
        double p = exp(z[i] - lse);
        d2z[i] += p * (1.0 - p);
    }
}
//< softmax-backward2
