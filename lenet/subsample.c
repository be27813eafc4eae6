/* subsample.c: 2x2 sum, times a coefficient, plus a bias, per map (§II.B). */
#include "subsample.h"

#include <string.h>

#include "init.h"

lenet_status subsample_setup(subsample *l, int maps, int in_rows, int in_cols)
{
    memset(l, 0, sizeof *l);
    if (maps < 1 || in_rows < SUBSAMPLE_BLOCK || in_cols < SUBSAMPLE_BLOCK ||
        in_rows % SUBSAMPLE_BLOCK || in_cols % SUBSAMPLE_BLOCK)
        return LENET_EINVAL;
    l->maps = maps;
    l->in_rows = in_rows;
    l->in_cols = in_cols;
    return LENET_OK;
}

int subsample_out_rows(const subsample *l) { return l->in_rows / SUBSAMPLE_BLOCK; }
int subsample_out_cols(const subsample *l) { return l->in_cols / SUBSAMPLE_BLOCK; }

size_t subsample_out_size(const subsample *l)
{
    return (size_t)l->maps * subsample_out_rows(l) * subsample_out_cols(l);
}

//> subsample-counts
/* One coefficient and one bias per map. */
size_t subsample_num_params(const subsample *l)
{
    return 2 * (size_t)l->maps;
}

/* Each output unit: the 2x2 block of inputs, and the bias. */
size_t subsample_num_connections(const subsample *l)
{
    return subsample_out_size(l) * (SUBSAMPLE_BLOCK * SUBSAMPLE_BLOCK + 1);
}
//< subsample-counts

void subsample_bind(subsample *l, double *params, double *grads)
{
    l->coef = params;
    l->bias = params + l->maps;
    l->dcoef = grads;
    l->dbias = grads + l->maps;
}

void subsample_init(subsample *l, gsl_rng *rng)
{
    const size_t fan_in = SUBSAMPLE_BLOCK * SUBSAMPLE_BLOCK;
    init_uniform(l->coef, l->maps, fan_in, rng);
    init_uniform(l->bias, l->maps, fan_in, rng);
}

/* The sum of the 2x2 block whose top-left input is (2r, 2c) of map x. */
static double block_sum(const double *x, int cols, int r, int c)
{
    const double *p = x + (SUBSAMPLE_BLOCK * r) * cols + SUBSAMPLE_BLOCK * c;
    return p[0] + p[1] + p[cols] + p[cols + 1];
}

//> subsample-forward
void subsample_forward(const subsample *l, double *out, const double *in)
{
    subsample_forward_maps(l, out, in, 0, l->maps);
}

void subsample_forward_maps(const subsample *l, double *out, const double *in,
                            int first, int last)
{
    const int R = subsample_out_rows(l), C = subsample_out_cols(l);

    for (int m = first; m < last; m++) {
        const double *x = in + (size_t)m * l->in_rows * l->in_cols;
        double *o = out + (size_t)m * R * C;
        for (int r = 0; r < R; r++)
            for (int c = 0; c < C; c++)
                o[r * C + c] = l->coef[m] * block_sum(x, l->in_cols, r, c)
                             + l->bias[m];
    }
}
//< subsample-forward

//> subsample-backward
void subsample_backward(const subsample *l, double *din, const double *dout,
                        const double *in)
{
    subsample_backward_maps(l, din, dout, in, 0, l->maps);
}

void subsample_backward_maps(const subsample *l, double *din,
                             const double *dout, const double *in,
                             int first, int last)
{
    const int R = subsample_out_rows(l), C = subsample_out_cols(l);
    const int W = l->in_cols;

    for (int m = first; m < last; m++) {
        size_t offset = (size_t)m * l->in_rows * W;
        const double *g = dout + (size_t)m * R * C;
        const double coef = l->coef[m];
        /* the two sums in locals: the compiler cannot keep l->dcoef[m] in
           a register while din, which could point anywhere, is written.
           They are added in the same order as into the fields. */
        double dcoef = l->dcoef[m], dbias = l->dbias[m];
        for (int r = 0; r < R; r++)
            for (int c = 0; c < C; c++) {
                double gv = g[r * C + c];
                dcoef += gv * block_sum(in + offset, W, r, c);
                dbias += gv;
                if (!din)
                    continue;
                /* each of the four inputs reached the sum with weight coef */
                double *dx = din + offset + (SUBSAMPLE_BLOCK * r) * W
                                          + SUBSAMPLE_BLOCK * c;
                dx[0] += gv * coef;
                dx[1] += gv * coef;
                dx[W] += gv * coef;
                dx[W + 1] += gv * coef;
            }
        l->dcoef[m] = dcoef;
        l->dbias[m] = dbias;
    }
}
//< subsample-backward

//> subsample-backward2
void subsample_backward2(const subsample *l, double *h, double *d2in,
                         const double *d2out, const double *in)
{
    const int R = subsample_out_rows(l), C = subsample_out_cols(l);
    const int W = l->in_cols;

    for (int m = 0; m < l->maps; m++) {
        size_t offset = (size_t)m * l->in_rows * W;
        const double *g2 = d2out + (size_t)m * R * C;
        double c2 = l->coef[m] * l->coef[m];
        for (int r = 0; r < R; r++)
            for (int c = 0; c < C; c++) {
                double gv = g2[r * C + c];
                size_t at = offset + (SUBSAMPLE_BLOCK * r) * W + SUBSAMPLE_BLOCK * c;
                const double *x = in + at;
                /* the coefficient is shared by the block's four connections */
                h[m] += gv * (x[0] * x[0] + x[1] * x[1] +
                              x[W] * x[W] + x[W + 1] * x[W + 1]);
                h[l->maps + m] += gv;
                if (!d2in)
                    continue;
                double *d2x = d2in + at;
                d2x[0] += gv * c2;
                d2x[1] += gv * c2;
                d2x[W] += gv * c2;
                d2x[W + 1] += gv * c2;
            }
    }
}
//< subsample-backward2
