/*
 * conv.c: valid KxK convolution with an optional connection table (§II.B).
 *
 * Kernels are stored in the order the loops visit them: for each output map
 * m, for each input map n connected to it, one KxK block. So the loops walk
 * the weights with one moving pointer and never look a kernel up.
 */
#include "conv.h"

#include <string.h>

#include "init.h"

lenet_status conv_setup(conv *l, int in_maps, int in_rows, int in_cols,
                        int out_maps, int kernel, const char *const *table)
{
    memset(l, 0, sizeof *l);
    if (in_maps < 1 || out_maps < 1 || kernel < 1 ||
        in_rows < kernel || in_cols < kernel)
        return LENET_EINVAL;
    if (table) {
        for (int n = 0; n < in_maps; n++) {
            if (!table[n] || strlen(table[n]) != (size_t)out_maps ||
                strspn(table[n], "X.") != (size_t)out_maps)
                return LENET_EINVAL;
        }
        for (int m = 0; m < out_maps; m++) {
            int fed = 0;
            for (int n = 0; n < in_maps; n++)
                fed |= table[n][m] == 'X';
            if (!fed)
                return LENET_EINVAL;
        }
    }
    *l = (conv){ .in_maps = in_maps, .in_rows = in_rows, .in_cols = in_cols,
                 .out_maps = out_maps, .kernel = kernel, .table = table };
    return LENET_OK;
}

int conv_out_rows(const conv *l) { return l->in_rows - l->kernel + 1; }
int conv_out_cols(const conv *l) { return l->in_cols - l->kernel + 1; }

size_t conv_out_size(const conv *l)
{
    return (size_t)l->out_maps * conv_out_rows(l) * conv_out_cols(l);
}

int conv_connected(const conv *l, int m, int n)
{
    return l->table == NULL || l->table[n][m] == 'X';
}

/* How many input maps feed output map m. */
static int inputs_of(const conv *l, int m)
{
    int count = 0;
    for (int n = 0; n < l->in_maps; n++)
        count += conv_connected(l, m, n);
    return count;
}

//> conv-counts
/* Each map: one KxK kernel per input map it reads, and one bias. */
size_t conv_num_params(const conv *l)
{
    size_t kk = (size_t)l->kernel * l->kernel, count = 0;
    for (int m = 0; m < l->out_maps; m++)
        count += kk * inputs_of(l, m) + 1;
    return count;
}

/* Each output unit is connected to K x K x (its map's inputs) pixels and
   to the bias; a map has out_rows x out_cols units. */
size_t conv_num_connections(const conv *l)
{
    size_t kk = (size_t)l->kernel * l->kernel, units = 0;
    size_t area = (size_t)conv_out_rows(l) * conv_out_cols(l);
    for (int m = 0; m < l->out_maps; m++)
        units += (kk * inputs_of(l, m) + 1) * area;
    return units;
}
//< conv-counts

void conv_bind(conv *l, double *params, double *grads)
{
    size_t nw = conv_num_params(l) - l->out_maps;
    l->w = params;
    l->b = params + nw;
    l->dw = grads;
    l->db = grads + nw;
}

//> conv-init
void conv_init(conv *l, gsl_rng *rng)
{
    size_t kk = (size_t)l->kernel * l->kernel;
    double *k = l->w;
    for (int m = 0; m < l->out_maps; m++) {
        size_t fan_in = kk * inputs_of(l, m);
        init_uniform(k, fan_in, fan_in, rng);
        k += fan_in;
    }
    for (int m = 0; m < l->out_maps; m++)
        init_uniform(&l->b[m], 1, kk * inputs_of(l, m), rng);
}
//< conv-init

//> conv-forward
void conv_forward(const conv *l, double *out, const double *in)
{
    const int K = l->kernel, W = l->in_cols;
    const int R = conv_out_rows(l), C = conv_out_cols(l);
    const double *k = l->w;                     /* the next KxK kernel */

    for (int m = 0; m < l->out_maps; m++) {
        double *o = out + (size_t)m * R * C;     /* output map m: RxC */
        for (int i = 0; i < R * C; i++)
            o[i] = l->b[m];
        for (int n = 0; n < l->in_maps; n++) {
            if (!conv_connected(l, m, n))
                continue;
            const double *x = in + (size_t)n * l->in_rows * W;  /* map n */
            for (int r = 0; r < R; r++)
                for (int c = 0; c < C; c++) {
                    double sum = 0.0;
                    for (int u = 0; u < K; u++)
                        for (int v = 0; v < K; v++)
                            sum += k[u * K + v] * x[(r + u) * W + (c + v)];
                    o[r * C + c] += sum;
                }
            k += K * K;
        }
    }
}
//< conv-forward

//> conv-backward
void conv_backward(const conv *l, double *din, const double *dout,
                   const double *in)
{
    const int K = l->kernel, W = l->in_cols;
    const int R = conv_out_rows(l), C = conv_out_cols(l);
    const double *k = l->w;
    double *dk = l->dw;

    for (int m = 0; m < l->out_maps; m++) {
        const double *g = dout + (size_t)m * R * C;   /* dE/da of map m */
        for (int i = 0; i < R * C; i++)
            l->db[m] += g[i];
        for (int n = 0; n < l->in_maps; n++) {
            if (!conv_connected(l, m, n))
                continue;
            size_t offset = (size_t)n * l->in_rows * W;
            const double *x = in + offset;
            double *dx = din ? din + offset : NULL;
            for (int r = 0; r < R; r++)
                for (int c = 0; c < C; c++) {
                    double gv = g[r * C + c];
                    for (int u = 0; u < K; u++)
                        for (int v = 0; v < K; v++) {
                            int at = (r + u) * W + (c + v);
                            dk[u * K + v] += gv * x[at];
                            if (dx)
                                dx[at] += gv * k[u * K + v];
                        }
                }
            k += K * K;
            dk += K * K;
        }
    }
}
//< conv-backward

//> conv-backward2
void conv_backward2(const conv *l, double *h, double *d2in, const double *d2out,
                    const double *in)
{
    const int K = l->kernel, W = l->in_cols;
    const int R = conv_out_rows(l), C = conv_out_cols(l);
    const double *k = l->w;
    double *hk = h;                                   /* kernels first */
    double *hb = h + (conv_num_params(l) - l->out_maps);   /* then biases */

    for (int m = 0; m < l->out_maps; m++) {
        const double *g2 = d2out + (size_t)m * R * C;
        for (int i = 0; i < R * C; i++)
            hb[m] += g2[i];
        for (int n = 0; n < l->in_maps; n++) {
            if (!conv_connected(l, m, n))
                continue;
            size_t offset = (size_t)n * l->in_rows * W;
            const double *x = in + offset;
            double *d2x = d2in ? d2in + offset : NULL;
            for (int r = 0; r < R; r++)
                for (int c = 0; c < C; c++) {
                    double gv = g2[r * C + c];
                    for (int u = 0; u < K; u++)
                        for (int v = 0; v < K; v++) {
                            int at = (r + u) * W + (c + v);
                            hk[u * K + v] += gv * x[at] * x[at];
                            if (d2x)
                                d2x[at] += gv * k[u * K + v] * k[u * K + v];
                        }
                }
            k += K * K;
            hk += K * K;
        }
    }
}
//< conv-backward2
