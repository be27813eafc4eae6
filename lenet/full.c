/* full.c: a_i = sum_j w_ij x_j + b_i (Appendix A). */
#include "full.h"

#include <string.h>

#include "dot.h"
#include "init.h"
#include "vec.h"

/* vecs of inputs kept in registers: 8, and 8 of their gradients, where
   there are 32 vector registers (AVX-512); 4 and 4 of the 16 otherwise */
#if VEC_LANES >= 8
#define FULL_TILE 8
#else
#define FULL_TILE 4
#endif

lenet_status full_setup(full *l, int in, int out)
{
    memset(l, 0, sizeof *l);
    if (in < 1 || out < 1)
        return LENET_EINVAL;
    l->in = in;
    l->out = out;
    return LENET_OK;
}

//> full-counts
size_t full_num_params(const full *l)
{
    return (size_t)l->out * (l->in + 1);      /* a weight per input, a bias */
}

size_t full_num_connections(const full *l)
{
    return full_num_params(l);                /* no sharing: one each */
}
//< full-counts

void full_bind(full *l, double *params, double *grads)
{
    size_t nw = (size_t)l->out * l->in;
    l->w = params;
    l->b = params + nw;
    l->dw = grads;
    l->db = grads + nw;
}

void full_init(full *l, gsl_rng *rng)
{
    init_uniform(l->w, (size_t)l->out * l->in, l->in, rng);
    init_uniform(l->b, l->out, l->in, rng);
}

//> full-forward
void full_forward(const full *l, double *out, const double *in)
{
    full_forward_range(l, out, in, 0, l->out);
}

/* Rows first..last-1, DOT_MANY at a time: dot_many reads each block of
   the input once for all of them. dot(in, row) is dot(row, in) to the
   last bit: a product is the same whichever factor comes first. */
void full_forward_range(const full *l, double *out, const double *in,
                        int first, int last)
{
    const size_t n = l->in;
    double sum[DOT_MANY];
    for (int i = first; i < last; i += DOT_MANY) {
        int many = last - i < DOT_MANY ? last - i : DOT_MANY;
        if (many == DOT_MANY)        /* a constant count: simpler code */
            dot_many(in, l->w + (size_t)i * n, n, n, DOT_MANY, sum);
        else
            dot_many(in, l->w + (size_t)i * n, n, n, many, sum);
        for (int s = 0; s < many; s++)
            out[i + s] = l->b[i + s] + sum[s];
    }
}
//< full-forward

//> full-backward
void full_backward(const full *l, double *din, const double *dout,
                   const double *in)
{
    full_backward_range(l, din, dout, in, 0, l->out);
}

/*
 * Inputs j .. j + nv * VEC_LANES - 1 of units first..last-1: their part of
 * din, kept in registers while the rows go by, and their weights' steps
 * (or gradients) on the same pass over the weights. din is summed unit
 * after unit, from the weights as they were.
 */
static inline void column_tile(const full *l, double *din, const double *dout,
                               const double *in, int first, int last,
                               size_t j, int nv)
{
    /* in local variables, the compiler need not read them again after
       each store into the weights (which could be anywhere, for all it
       knows: vec.h) */
    const double *step = l->step;
    double *w = l->w, *dw = l->dw;
    const size_t n = l->in;
    vec acc[FULL_TILE], x[FULL_TILE];
    for (int t = 0; t < nv; t++) {
        acc[t] = din ? (vec)VEC_AT(din + j + t * VEC_LANES) : (vec){ 0 };
        x[t] = VEC_AT(in + j + t * VEC_LANES);
    }
    for (int i = first; i < last; i++) {
        const double g = dout[i];
        const size_t row = (size_t)i * n + j;
        if (din)
            for (int t = 0; t < nv; t++)
                acc[t] += g * VEC_AT(w + row + t * VEC_LANES);
        if (step)
            for (int t = 0; t < nv; t++)
                VEC_AT(w + row + t * VEC_LANES) -=
                    VEC_AT(step + row + t * VEC_LANES) * (g * x[t]);
        else
            for (int t = 0; t < nv; t++)
                VEC_AT(dw + row + t * VEC_LANES) += g * x[t];
    }
    if (din)
        for (int t = 0; t < nv; t++)
            VEC_AT(din + j + t * VEC_LANES) = acc[t];
}

void full_backward_range(const full *l, double *din, const double *dout,
                         const double *in, int first, int last)
{
    const size_t nw = (size_t)l->out * l->in, n = l->in;
    size_t j = 0;
    for (int i = first; i < last; i++)
        if (l->step)                          /* step at once (full.h) */
            l->b[i] -= l->step[nw + i] * dout[i];
        else
            l->db[i] += dout[i];
    for (; j + FULL_TILE * VEC_LANES <= n; j += FULL_TILE * VEC_LANES)
        column_tile(l, din, dout, in, first, last, j, FULL_TILE);
    for (; j + VEC_LANES <= n; j += VEC_LANES)
        column_tile(l, din, dout, in, first, last, j, 1);
    for (int i = first; i < last && j < n; i++) {   /* the last few inputs */
        double *w = l->w + (size_t)i * n;
        for (size_t c = j; c < n; c++) {
            if (din)
                din[c] += dout[i] * w[c];
            if (l->step)
                w[c] -= l->step[(size_t)i * n + c] * (dout[i] * in[c]);
            else
                l->dw[(size_t)i * n + c] += dout[i] * in[c];
        }
    }
}
//< full-backward

//> full-backward2
void full_backward2(const full *l, double *h, double *d2in, const double *d2out,
                    const double *in)
{
    double *hb = h + (size_t)l->out * l->in;
    for (int i = 0; i < l->out; i++) {
        const double *w = l->w + (size_t)i * l->in;
        double *hw = h + (size_t)i * l->in;
        hb[i] += d2out[i];
        for (int j = 0; j < l->in; j++) {
            hw[j] += d2out[i] * in[j] * in[j];
            if (d2in)
                d2in[j] += d2out[i] * w[j] * w[j];
        }
    }
}
//< full-backward2

//> full-forward-batch
void full_forward_batch(const full *l, double *out, const double *in,
                        int count)
{
    const size_t n = l->in;
    double sum[DOT_MANY];
    for (int p0 = 0; p0 < count; p0 += DOT_MANY) {
        int many = count - p0 < DOT_MANY ? count - p0 : DOT_MANY;
        for (int i = 0; i < l->out; i++) {
            dot_many(l->w + i * n, in + p0 * n, n, n, many, sum);
            for (int p = 0; p < many; p++)
                out[(size_t)(p0 + p) * l->out + i] = l->b[i] + sum[p];
        }
    }
}
//< full-forward-batch
