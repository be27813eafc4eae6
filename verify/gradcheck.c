/* gradcheck.c: see gradcheck.h. */
#include "gradcheck.h"

#include <math.h>

//> gradcheck-numeric
double gradcheck_numeric(gradcheck_objective E, void *ctx, double *values,
                         size_t i)
{
    const double h = GRADCHECK_STEP, v = values[i];
    double e[4];
    const double steps[4] = { h, -h, 2 * h, -2 * h };

    for (int s = 0; s < 4; s++) {
        values[i] = v + steps[s];
        e[s] = E(ctx);
    }
    values[i] = v;
    return (8.0 * (e[0] - e[1]) - (e[2] - e[3])) / (12.0 * h);
}
//< gradcheck-numeric

//> gradcheck-compare
gradcheck_result gradcheck(gradcheck_objective E, void *ctx, double *values,
                           const double *analytic, const size_t *indices,
                           size_t count)
{
    gradcheck_result r = { 0 };
    for (size_t k = 0; k < count; k++) {
        size_t i = indices ? indices[k] : k;
        double a = analytic[i];
        double n = gradcheck_numeric(E, ctx, values, i);
        double scale = fmax(fmax(fabs(a), fabs(n)), GRADCHECK_FLOOR);
        double error = fabs(a - n) / scale;
        int worse = r.checked == 0 || isnan(error) ||      /* NaN is worst */
                    (!isnan(r.max_error) && error > r.max_error);
        if (worse) {
            r.max_error = error;
            r.worst = i;
            r.worst_analytic = a;
            r.worst_numeric = n;
        }
        r.max_abs_gradient = fmax(r.max_abs_gradient, fabs(a));
        r.checked++;
    }
    return r;
}

int gradcheck_ok(const gradcheck_result *r)
{
    return r->checked > 0 && r->max_error <= GRADCHECK_TOLERANCE &&
           r->max_abs_gradient >= GRADCHECK_MIN_SIGNAL;
}
//< gradcheck-compare

gradcheck_result gradcheck_worse(gradcheck_result a, gradcheck_result b)
{
    gradcheck_result w = (b.max_error > a.max_error || isnan(b.max_error)) ? b : a;
    w.checked = a.checked + b.checked;
    w.max_abs_gradient = fmax(a.max_abs_gradient, b.max_abs_gradient);
    return w;
}

/*
 * gradcheck with the step h in place of GRADCHECK_STEP, and otherwise the
 * same: for functions with kinks (ReLU, max pooling), where the numerical
 * derivative is wrong whenever a step carries some unit across a kink, and
 * a smaller step crosses fewer.
 */
gradcheck_result gradcheck_step(gradcheck_objective E, void *ctx,
                                double *values, const double *analytic,
                                const size_t *indices, size_t count, double h)
{
    gradcheck_result r = { 0 };
    const double steps[4] = { h, -h, 2 * h, -2 * h };
    for (size_t k = 0; k < count; k++) {
        size_t i = indices ? indices[k] : k;
        double v = values[i], e[4];
        for (int s = 0; s < 4; s++) {
            values[i] = v + steps[s];
            e[s] = E(ctx);
        }
        values[i] = v;
        double a = analytic[i];
        double n = (8.0 * (e[0] - e[1]) - (e[2] - e[3])) / (12.0 * h);
        double error = fabs(a - n) / fmax(fmax(fabs(a), fabs(n)),
                                          GRADCHECK_FLOOR);
        if (r.checked == 0 || isnan(error) ||
            (!isnan(r.max_error) && error > r.max_error))
            r = (gradcheck_result){ r.checked, error, i, a, n,
                                    r.max_abs_gradient };
        r.max_abs_gradient = fmax(r.max_abs_gradient, fabs(a));
        r.checked++;
    }
    return r;
}
