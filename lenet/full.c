/* full.c: a_i = sum_j w_ij x_j + b_i (Appendix A). */
#include "full.h"

#include <string.h>

#include "dot.h"
#include "init.h"

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

void full_forward_range(const full *l, double *out, const double *in,
                        int first, int last)
{
    for (int i = first; i < last; i++)
        out[i] = l->b[i] + dot(l->w + (size_t)i * l->in, in, l->in);
}
//< full-forward

//> full-backward
void full_backward(const full *l, double *din, const double *dout,
                   const double *in)
{
    full_backward_range(l, din, dout, in, 0, l->out);
}

void full_backward_range(const full *l, double *din, const double *dout,
                         const double *in, int first, int last)
{
    const size_t nw = (size_t)l->out * l->in;
    for (int i = first; i < last; i++) {
        double *w = l->w + (size_t)i * l->in;
        if (din)
            for (int j = 0; j < l->in; j++)
                din[j] += dout[i] * w[j];
        if (l->step) {                        /* step at once (full.h) */
            const double *step = l->step + (size_t)i * l->in;
            l->b[i] -= l->step[nw + i] * dout[i];
            for (int j = 0; j < l->in; j++)
                w[j] -= step[j] * (dout[i] * in[j]);
            continue;
        }
        double *dw = l->dw + (size_t)i * l->in;
        l->db[i] += dout[i];
        for (int j = 0; j < l->in; j++)
            dw[j] += dout[i] * in[j];
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
