/*
 * conv.c: valid KxK convolution with an optional connection table (§II.B).
 *
 * Kernels are stored in the order the loops visit them: for each output map
 * m, for each input map n connected to it, one KxK block. So the loops walk
 * the weights with one moving pointer and never look a kernel up.
 */
#include "conv.h"

#include <string.h>

#include "dot.h"
#include "init.h"

lenet_status conv_setup(conv *l, int in_maps, int in_rows, int in_cols,
                        int out_maps, int kernel, const char *const *table)
{
    memset(l, 0, sizeof *l);
    if (in_maps < 1 || out_maps < 1 || kernel < 1 ||
        in_rows < kernel || in_cols < kernel ||
        in_rows > CONV_MAX_MAP / in_cols)
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
    if (!l->table)
        return l->in_maps;
    int count = 0;
    for (int n = 0; n < l->in_maps; n++)
        count += conv_connected(l, m, n);
    return count;
}

/* How many kernels come before output map m's (they are m-major). */
static size_t kernels_before(const conv *l, int m)
{
    size_t count = 0;
    for (int i = 0; i < m; i++)
        count += inputs_of(l, i);
    return count;
}

//> conv-shares
/* The first output map of share `share` of `shares`: the shares hold runs
   of whole maps with as near the same number of kernels as whole maps
   allow (Table I gives C3's first six maps 3 kernels each, its last 6). */
int conv_share(const conv *l, int share, int shares)
{
    size_t total = kernels_before(l, l->out_maps), below = 0;
    int m = 0;
    while (m < l->out_maps && below * shares < total * share)
        below += inputs_of(l, m++);
    return m;
}
//< conv-shares

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

//> conv-covers-input
/*
 * When every kernel covers its whole input map (C5: 5x5 kernels on 5x5
 * maps, so 1x1 outputs) and every input feeds every output, kernel m and
 * the input are both N x K x K values in the same order: output m is one
 * dot product, and the layer is exactly a full layer (chapter 6).
 */
static int covers_input(const conv *l)
{
    return conv_out_rows(l) == 1 && conv_out_cols(l) == 1 && l->table == NULL;
}

//< conv-covers-input

//> conv-wide
/*
 * Wide rows. In a map W columns wide, output (r, c) sits at r * W + c and
 * the input it reads through kernel weight (u, v) at (r + u) * W + (c + v):
 * always u * W + v further on, whatever r and c. So if the outputs are
 * laid out W wide too, the R rows of a map become one contiguous run of
 * (R - 1) * W + C values, and a kernel weight's share of all of them is one
 * loop over that run and an equally long run of the input. The W - C extra
 * columns at the end of each row but the last are wasted work (4 of 14 in
 * C3, 4 of 32 in C1): their values mix two input rows and are dropped.
 */
static size_t wide_length(const conv *l)
{
    return (size_t)(conv_out_rows(l) - 1) * l->in_cols + conv_out_cols(l);
}

/* Copies the R x C outputs of the wide run w into the map o. */
static void unwiden(const conv *l, double *o, const double *w)
{
    const int R = conv_out_rows(l), C = conv_out_cols(l), W = l->in_cols;
    for (int r = 0; r < R; r++)
        memcpy(o + r * C, w + r * W, C * sizeof *o);
}
//< conv-wide

//> conv-forward
void conv_forward(const conv *l, double *out, const double *in)
{
    conv_forward_maps(l, out, in, 0, l->out_maps);
}

void conv_forward_maps(const conv *l, double *out, const double *in,
                       int first, int last)
{
    const int K = l->kernel, W = l->in_cols;
    const size_t area = (size_t)conv_out_rows(l) * conv_out_cols(l);
    const size_t nkk = (size_t)l->in_maps * K * K, L = wide_length(l);
    const double *k = l->w + kernels_before(l, first) * K * K;   /* next */
    double wide[CONV_MAX_MAP];                  /* output map m, W wide */

    if (covers_input(l)) {
        for (int m = first; m < last; m++)
            out[m] = l->b[m] + dot(l->w + m * nkk, in, nkk);
        return;
    }
    for (int m = first; m < last; m++) {
        for (size_t i = 0; i < L; i++)
            wide[i] = l->b[m];
        for (int n = 0; n < l->in_maps; n++) {
            if (!conv_connected(l, m, n))
                continue;
            const double *x = in + (size_t)n * l->in_rows * W;  /* map n */
            /* one kernel weight at a time, added along the whole map */
            for (int u = 0; u < K; u++)
                for (int v = 0; v < K; v++) {
                    const double kv = k[u * K + v];
                    const double *xs = x + u * W + v;
                    for (size_t i = 0; i < L; i++)
                        wide[i] += kv * xs[i];
                }
            k += K * K;
        }
        unwiden(l, out + m * area, wide);
    }
}
//< conv-forward

//> conv-backward
/* Weight k, of gradient grad, and its step (NULL: accumulate, conv.h). */
static inline void learn(double *k, double *dk, const double *step,
                         double grad)
{
    if (step)
        *k -= *step * grad;
    else
        *dk += grad;
}

void conv_backward(const conv *l, double *din, const double *dout,
                   const double *in)
{
    conv_backward_maps(l, din, dout, in, 0, l->out_maps);
}

void conv_backward_maps(const conv *l, double *din, const double *dout,
                        const double *in, int first, int last)
{
    const int K = l->kernel, W = l->in_cols;
    const int R = conv_out_rows(l), C = conv_out_cols(l);
    const size_t nkk = (size_t)l->in_maps * K * K, L = wide_length(l);
    const size_t nw = conv_num_params(l) - l->out_maps;   /* kernel weights */
    const double *step = l->step;          /* NULL, or kernels' then biases' */
    const size_t skip = kernels_before(l, first) * K * K;
    double *k = l->w + skip, *dk = l->dw + skip;
    double g[CONV_MAX_MAP];        /* dE/da of map m, W wide, 0 in between */

    if (covers_input(l)) {
        for (int m = first; m < last; m++) {
            const double gm = dout[m];
            double *km = l->w + m * nkk;
            learn(&l->b[m], &l->db[m], step ? step + nw + m : NULL, gm);
            if (din)
                for (size_t i = 0; i < nkk; i++)
                    din[i] += gm * km[i];
            if (step)
                for (size_t i = 0; i < nkk; i++)
                    km[i] -= step[m * nkk + i] * (gm * in[i]);
            else
                for (size_t i = 0; i < nkk; i++)
                    l->dw[m * nkk + i] += gm * in[i];
        }
        return;
    }
    for (int m = first; m < last; m++) {
        const double *gm = dout + (size_t)m * R * C;
        double gb = 0.0;
        for (int i = 0; i < R * C; i++)
            gb += gm[i];
        learn(&l->b[m], &l->db[m], step ? step + nw + m : NULL, gb);
        memset(g, 0, L * sizeof *g);
        for (int r = 0; r < R; r++)
            memcpy(g + r * W, gm + r * C, C * sizeof *g);
        for (int n = 0; n < l->in_maps; n++) {
            if (!conv_connected(l, m, n))
                continue;
            size_t offset = (size_t)n * l->in_rows * W;
            const double *x = in + offset;
            double *dx = din ? din + offset : NULL;
            for (int u = 0; u < K; u++)
                for (int v = 0; v < K; v++) {
                    const double kv = k[u * K + v];
                    if (dx) {
                        double *dxs = dx + u * W + v;
                        for (size_t i = 0; i < L; i++)
                            dxs[i] += kv * g[i];
                    }
                    /* dE/dk(u,v): every output's share, zeros in between */
                    learn(&k[u * K + v], &dk[u * K + v],
                          step ? step + (k - l->w) + u * K + v : NULL,
                          dot(g, x + u * W + v, L));
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
    const size_t nkk = (size_t)l->in_maps * K * K;
    const double *k = l->w;
    double *hk = h;                                   /* kernels first */
    double *hb = h + (conv_num_params(l) - l->out_maps);   /* then biases */

    if (covers_input(l)) {
        for (int m = 0; m < l->out_maps; m++) {
            const double g2 = d2out[m];
            hb[m] += g2;
            for (size_t i = 0; i < nkk; i++) {
                hk[m * nkk + i] += g2 * in[i] * in[i];
                if (d2in)
                    d2in[i] += g2 * k[m * nkk + i] * k[m * nkk + i];
            }
        }
        return;
    }
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
            for (int u = 0; u < K; u++)
                for (int v = 0; v < K; v++) {
                    const double k2 = k[u * K + v] * k[u * K + v];
                    double sum = 0.0;
                    for (int r = 0; r < R; r++) {
                        const double *xr = x + (r + u) * W + v;
                        const double *gr = g2 + r * C;
#pragma omp simd reduction(+:sum)
                        for (int c = 0; c < C; c++)
                            sum += gr[c] * xr[c] * xr[c];
                        if (d2x) {
                            double *d2xr = d2x + (r + u) * W + v;
                            for (int c = 0; c < C; c++)
                                d2xr[c] += k2 * gr[c];
                        }
                    }
                    hk[u * K + v] += sum;
                }
            k += K * K;
            hk += K * K;
        }
    }
}
//< conv-backward2
