/* optim.c: momentum and Adam over a flat parameter vector (see optim.h). */
#include "optim.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

lenet_status optim_init(optim *o, optim_kind kind, size_t size, double rate)
{
    memset(o, 0, sizeof *o);
    if (size == 0 || !(rate > 0.0) ||
        (kind != OPTIM_MOMENTUM && kind != OPTIM_ADAM))
        return LENET_EINVAL;
    o->kind = kind;
    o->size = size;
    o->rate = rate;
    o->beta1 = kind == OPTIM_ADAM ? OPTIM_ADAM_BETA1 : OPTIM_MOMENTUM_BETA;
    o->beta2 = OPTIM_ADAM_BETA2;
    o->epsilon = OPTIM_ADAM_EPSILON;
    o->m = calloc(size, sizeof *o->m);
    o->v = kind == OPTIM_ADAM ? calloc(size, sizeof *o->v) : NULL;
    if (!o->m || (kind == OPTIM_ADAM && !o->v)) {
        optim_free(o);
        return LENET_ENOMEM;
    }
    return LENET_OK;
}

void optim_free(optim *o)
{
    free(o->m);
    free(o->v);
    o->m = o->v = NULL;
}

//> optim-step
void optim_step(optim *o, double *params, const double *grads)
{
    o->steps++;
    if (o->kind == OPTIM_MOMENTUM) {
        for (size_t k = 0; k < o->size; k++) {
            o->m[k] = o->beta1 * o->m[k] + grads[k];
            params[k] -= o->rate * o->m[k];
        }
        return;
    }
    /* Adam: the bias corrections undo the moments' start at 0. */
    double c1 = 1.0 - pow(o->beta1, (double)o->steps);
    double c2 = 1.0 - pow(o->beta2, (double)o->steps);
    for (size_t k = 0; k < o->size; k++) {
        double g = grads[k];
        o->m[k] = o->beta1 * o->m[k] + (1.0 - o->beta1) * g;
        o->v[k] = o->beta2 * o->v[k] + (1.0 - o->beta2) * g * g;
        params[k] -= o->rate * (o->m[k] / c1) / (sqrt(o->v[k] / c2) + o->epsilon);
    }
}
//< optim-step
