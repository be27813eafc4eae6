/* pool.c: 2x2 average and max pooling, no parameters (see pool.h). */
#include "pool.h"

#include <string.h>

lenet_status pool_setup(pool *l, pool_kind kind, int maps, int in_rows,
                        int in_cols)
{
    memset(l, 0, sizeof *l);
    if ((kind != POOL_AVERAGE && kind != POOL_MAX) || maps < 1 ||
        in_rows < POOL_BLOCK || in_cols < POOL_BLOCK ||
        in_rows % POOL_BLOCK || in_cols % POOL_BLOCK)
        return LENET_EINVAL;
    *l = (pool){ kind, maps, in_rows, in_cols };
    return LENET_OK;
}

int pool_out_rows(const pool *l) { return l->in_rows / POOL_BLOCK; }
int pool_out_cols(const pool *l) { return l->in_cols / POOL_BLOCK; }

size_t pool_out_size(const pool *l)
{
    return (size_t)l->maps * pool_out_rows(l) * pool_out_cols(l);
}

size_t pool_num_params(const pool *l)
{
    (void)l;
    return 0;
}

size_t pool_num_connections(const pool *l)
{
    return pool_out_size(l) * POOL_BLOCK * POOL_BLOCK;
}

//> pool-forward
/* The offset, from the block's top-left input p, of the block's winner:
   the largest value, the first in row-major order on a tie. */
static int winner(const double *p, int cols)
{
    const int offset[4] = { 0, 1, cols, cols + 1 };
    int best = 0;
    for (int i = 1; i < 4; i++)
        if (p[offset[i]] > p[offset[best]])
            best = i;
    return offset[best];
}

void pool_forward(const pool *l, double *out, const double *in)
{
    pool_forward_maps(l, out, in, 0, l->maps);
}

void pool_forward_maps(const pool *l, double *out, const double *in,
                       int first, int last)
{
    const int R = pool_out_rows(l), C = pool_out_cols(l), W = l->in_cols;
    for (int m = first; m < last; m++) {
        const double *x = in + (size_t)m * l->in_rows * W;
        double *o = out + (size_t)m * R * C;
        for (int r = 0; r < R; r++)
            for (int c = 0; c < C; c++) {
                const double *p = x + 2 * r * W + 2 * c;
                o[r * C + c] = l->kind == POOL_MAX
                             ? p[winner(p, W)]
                             : 0.25 * (p[0] + p[1] + p[W] + p[W + 1]);
            }
    }
}
//< pool-forward

//> pool-backward
/* din += weight x dout for every input of every block: `average` for each
   input of an average block, 1 for a max block's winner (0 for the rest).
   The gradient passes with weight 1/4 (pool_backward), the second
   derivative with its square, 1/16 (pool_backward2); 1 squared is 1. */
static void pool_spread(const pool *l, double *din, const double *dout,
                        const double *in, double average, int first, int last)
{
    const int R = pool_out_rows(l), C = pool_out_cols(l), W = l->in_cols;
    for (int m = first; m < last; m++) {
        size_t offset = (size_t)m * l->in_rows * W;
        const double *x = in + offset;
        double *dx = din + offset;
        const double *g = dout + (size_t)m * R * C;
        for (int r = 0; r < R; r++)
            for (int c = 0; c < C; c++) {
                size_t at = (size_t)2 * r * W + 2 * c;
                if (l->kind == POOL_MAX) {
                    dx[at + winner(x + at, W)] += g[r * C + c];
                } else {
                    double q = average * g[r * C + c];
                    dx[at] += q;
                    dx[at + 1] += q;
                    dx[at + W] += q;
                    dx[at + W + 1] += q;
                }
            }
    }
}

void pool_backward(const pool *l, double *din, const double *dout,
                   const double *in)
{
    pool_backward_maps(l, din, dout, in, 0, l->maps);
}

void pool_backward_maps(const pool *l, double *din, const double *dout,
                        const double *in, int first, int last)
{
    pool_spread(l, din, dout, in, 0.25, first, last);
}

void pool_backward2(const pool *l, double *d2in, const double *d2out,
                    const double *in)
{
    pool_spread(l, d2in, d2out, in, 0.25 * 0.25, 0, l->maps);
}
//< pool-backward
