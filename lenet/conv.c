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
#include "full.h"
#include "init.h"
#include "vec.h"

lenet_status conv_setup(conv *l, int in_maps, int in_rows, int in_cols,
                        int out_maps, int kernel, const char *const *table)
{
    memset(l, 0, sizeof *l);
    if (in_maps < 1 || out_maps < 1 || kernel < 1 || kernel > CONV_MAX_KERNEL ||
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

/* Such a layer seen as the full layer it is: the same weights, biases,
   gradients and steps, laid out the same way. */
static full as_full(const conv *l)
{
    return (full){ .in = l->in_maps * l->kernel * l->kernel,
                   .out = l->out_maps, .w = l->w, .b = l->b,
                   .dw = l->dw, .db = l->db, .step = l->step };
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

//> conv-forward-tile
#define CONV_MAPS 3          /* maps computed together: output maps going
                                forward, input maps going back */
#if VEC_LANES >= 8           /* vecs of each kept in registers: 3 x 8 of */
#define CONV_TILE 8          /* the 32 vector registers, or 3 x 4 of 16 */
#else
#define CONV_TILE 4
#endif
#define CONV_SHIFTED (2 * CONV_MAX_MAP)   /* room for shifted copies
                                           (conv_forward_maps) */

/*
 * acc (nv vecs) += every product of kernel k with the map from p on: tap
 * (u, v) of each vec at p + u du + v dv. The forward pass reads ahead
 * (du = W, dv = 1), the backward pass behind (du = -W, dv = -1).
 */
static inline void add_kernel(vec *acc, const double *k, const double *p,
                              int K, ptrdiff_t du, ptrdiff_t dv, int nv)
{
    for (int u = 0; u < K; u++)
        for (int v = 0; v < K; v++) {
            const double kv = k[u * K + v];
            const double *ps = p + u * du + v * dv;
            for (int j = 0; j < nv; j++)
                acc[j] += kv * VEC_AT(ps + j * VEC_LANES);
        }
}

/* The same for two kernels and two tiles, k0 into acc0 and k1 into acc1,
   on one map: each vec of it is read once for both. */
static inline void add_kernels(vec *acc0, vec *acc1, const double *k0,
                               const double *k1, const double *p, int K,
                               ptrdiff_t du, ptrdiff_t dv, int nv)
{
    for (int u = 0; u < K; u++)
        for (int v = 0; v < K; v++) {
            const double kv0 = k0[u * K + v], kv1 = k1[u * K + v];
            const double *ps = p + u * du + v * dv;
            for (int j = 0; j < nv; j++) {
                vec x = VEC_AT(ps + j * VEC_LANES);
                VEC_KEEP(x);                   /* one read for both */
                acc0[j] += kv0 * x;
                acc1[j] += kv1 * x;
            }
        }
}

/* add_kernels for three kernels and three tiles: each vec of the map read
   once for all three. */
static inline void add_kernels3(vec *acc0, vec *acc1, vec *acc2,
                                const double *const *k, const double *p,
                                int K, ptrdiff_t du, ptrdiff_t dv, int nv)
{
    for (int u = 0; u < K; u++)
        for (int v = 0; v < K; v++) {
            const double kv0 = k[0][u * K + v], kv1 = k[1][u * K + v],
                         kv2 = k[2][u * K + v];
            const double *ps = p + u * du + v * dv;
            for (int j = 0; j < nv; j++) {
                vec x = VEC_AT(ps + j * VEC_LANES);
                VEC_KEEP(x);                   /* one read for all three */
                acc0[j] += kv0 * x;
                acc1[j] += kv1 * x;
                acc2[j] += kv2 * x;
            }
        }
}

/* acc[p] += the products of kernel k[p] with the map from p on, for the
   p (of CONV_MAPS) that have a kernel (k[p] not NULL): each case is a
   loop of its own, so that each vec of the map is read once for all the
   kernels it meets. */
static inline void add_feed(vec (*acc)[CONV_TILE], const double *const *k,
                            const double *p, int K, ptrdiff_t du,
                            ptrdiff_t dv, int nv)
{
    _Static_assert(CONV_MAPS == 3, "a case for each set of kernels");
    switch ((k[0] != NULL) | (k[1] != NULL) << 1 | (k[2] != NULL) << 2) {
    case 7: add_kernels3(acc[0], acc[1], acc[2], k, p, K, du, dv, nv); break;
    case 3: add_kernels(acc[0], acc[1], k[0], k[1], p, K, du, dv, nv); break;
    case 5: add_kernels(acc[0], acc[2], k[0], k[2], p, K, du, dv, nv); break;
    case 6: add_kernels(acc[1], acc[2], k[1], k[2], p, K, du, dv, nv); break;
    case 1: add_kernel(acc[0], k[0], p, K, du, dv, nv); break;
    case 2: add_kernel(acc[1], k[1], p, K, du, dv, nv); break;
    case 4: add_kernel(acc[2], k[2], p, K, du, dv, nv); break;
    }
}

/* Where a tile's taps are read: map n of the input at in + n * map, tap
   (u, v) of output t at t + u * du + v * dv (wide rows: du = W, dv = 1;
   shifted copies: du = C, dv = one copy's size). */
typedef struct {
    const double *in;
    size_t map;
    ptrdiff_t du, dv;
} conv_reads;

/* Outputs t0 .. t0 + nv * VEC_LANES - 1 of the runs of maps m .. m +
   maps - 1 (maps <= CONV_MAPS), kept in registers: each output gets its
   bias, then kernel weight after kernel weight. k[p] is map m + p's first
   kernel; the sums go to run[p]. */
static inline void forward_tile(const conv *l, int m, int maps,
                                const double *const *k, const conv_reads *x,
                                size_t t0, int nv, double *const *run)
{
    const int K = l->kernel;
    const double *kp[CONV_MAPS];
    vec acc[CONV_MAPS][CONV_TILE];
    for (int p = 0; p < CONV_MAPS; p++) {
        kp[p] = p < maps ? k[p] : NULL;
        for (int j = 0; j < nv; j++)
            acc[p][j] = (vec){ 0 } + (p < maps ? l->b[m + p] : 0.0);
    }
    for (int n = 0; n < l->in_maps; n++) {
        const double *fed[CONV_MAPS];         /* NULL: m + p does not read n */
        for (int p = 0; p < CONV_MAPS; p++)
            fed[p] = p < maps && conv_connected(l, m + p, n) ? kp[p] : NULL;
        add_feed(acc, fed, x->in + n * x->map + t0, K, x->du, x->dv, nv);
        for (int p = 0; p < CONV_MAPS; p++)
            kp[p] += fed[p] ? K * K : 0;
    }
    for (int p = 0; p < maps; p++)
        for (int j = 0; j < nv; j++)
            VEC_AT(run[p] + t0 + j * VEC_LANES) = acc[p][j];
}

/* forward_tile with nv (1 .. CONV_TILE) known when it is compiled,
   which is what keeps its sums in registers. */
static void forward_tile_of(const conv *l, int m, int maps,
                            const double *const *k, const conv_reads *x,
                            size_t t0, int nv, double *const *run)
{
    _Static_assert(CONV_TILE == 4 || CONV_TILE == 8, "a case for each nv");
    switch (nv) {
    case 1: forward_tile(l, m, maps, k, x, t0, 1, run); break;
    case 2: forward_tile(l, m, maps, k, x, t0, 2, run); break;
    case 3: forward_tile(l, m, maps, k, x, t0, 3, run); break;
#if CONV_TILE == 8
    case 4: forward_tile(l, m, maps, k, x, t0, 4, run); break;
    case 5: forward_tile(l, m, maps, k, x, t0, 5, run); break;
    case 6: forward_tile(l, m, maps, k, x, t0, 6, run); break;
    case 7: forward_tile(l, m, maps, k, x, t0, 7, run); break;
#endif
    default: forward_tile(l, m, maps, k, x, t0, CONV_TILE, run); break;
    }
}

/* The outputs from t0 to the end L of the runs, at most CONV_TILE
   vecs, as one tile: the vecs it takes, the last ending at L, so that
   the tile may start a few outputs before t0 (their sums come out the
   same and are written again). If the run is too short for that, the
   whole vecs from t0 on and then one vec ending at L. */
static void forward_tail(const conv *l, int m, int maps,
                         const double *const *k, const conv_reads *x,
                         size_t t0, size_t L, double *const *run)
{
    const int nv = (int)((L - t0 + VEC_LANES - 1) / VEC_LANES);
    if ((size_t)nv * VEC_LANES <= L) {
        forward_tile_of(l, m, maps, k, x, L - nv * VEC_LANES, nv, run);
    } else {                               /* t0 = 0 and L < nv vecs */
        forward_tile_of(l, m, maps, k, x, t0, nv - 1, run);
        forward_tile(l, m, maps, k, x, L - VEC_LANES, 1, run);
    }
}

/* The same sums for a run shorter than one vec (small layers in the
   tests), in plain loops. */
static void forward_short(const conv *l, int m, const double *k,
                          const double *in, size_t L, double *wide)
{
    const int K = l->kernel, W = l->in_cols;
    for (size_t i = 0; i < L; i++)
        wide[i] = l->b[m];
    for (int n = 0; n < l->in_maps; n++) {
        if (!conv_connected(l, m, n))
            continue;
        const double *x = in + (size_t)n * l->in_rows * W;
        for (int u = 0; u < K; u++)
            for (int v = 0; v < K; v++)
                for (size_t i = 0; i < L; i++)
                    wide[i] += k[u * K + v] * x[u * W + v + i];
        k += K * K;
    }
}

//< conv-forward-tile

//> conv-forward
void conv_forward(const conv *l, double *out, const double *in)
{
    conv_forward_maps(l, out, in, 0, l->out_maps);
}

/* to[0 .. C - 1] = from[0 .. C - 1] in whole vecs, the last one ending at
   C (and so going over a few already copied): a row of C3's 10 is two
   vecs, where a plain loop is one vec and then two doubles one by one. */
static inline void copy_row(double *to, const double *from, int C)
{
    if (C < VEC_LANES) {
        for (int c = 0; c < C; c++)
            to[c] = from[c];
        return;
    }
    for (int c = 0; c + VEC_LANES < C; c += VEC_LANES)
        VEC_AT(to + c) = VEC_AT(from + c);
    VEC_AT(to + C - VEC_LANES) = VEC_AT(from + C - VEC_LANES);
}

/* Copies of each input map moved left by v = 0 .. K - 1 columns, each
   cut to the C columns the outputs read: copy (n, v) holds x_n(r, c + v).
   Output (r, c) is then r C + c of a run of R C, and its tap (u, v) at
   u C further on in copy v: a run without the W - C wasted columns of the
   wide rows. Returns 0 (no copies) if they would not fit in `to`. */
static int shift_copies(const conv *l, double *to, const double *in)
{
    const int K = l->kernel, H = l->in_rows, W = l->in_cols;
    const int C = conv_out_cols(l);
    if ((size_t)l->in_maps * K * H * C > CONV_SHIFTED ||
        (size_t)conv_out_rows(l) * C < VEC_LANES)
        return 0;
    for (int n = 0; n < l->in_maps; n++)
        for (int v = 0; v < K; v++)
            for (int r = 0; r < H; r++) {
                const double *from = in + ((size_t)n * H + r) * W + v;
                copy_row(to, from, C);
                to += C;
            }
    return 1;
}

void conv_forward_maps(const conv *l, double *out, const double *in,
                       int first, int last)
{
    const int K = l->kernel;
    const size_t area = (size_t)conv_out_rows(l) * conv_out_cols(l);
    const double *k = l->w + kernels_before(l, first) * K * K;   /* next */
    double wide[CONV_MAPS][CONV_MAX_MAP];       /* maps m, m + 1, ..., W wide */
    _Alignas(64) double shifted[CONV_SHIFTED];

    if (covers_input(l)) {
        full f = as_full(l);
        full_forward_range(&f, out, in, first, last);
        return;
    }
    const int copies = shift_copies(l, shifted, in);
    const size_t C = conv_out_cols(l), H = l->in_rows, W = l->in_cols;
    const conv_reads x = copies
        ? (conv_reads){ shifted, K * H * C, (ptrdiff_t)C, (ptrdiff_t)(H * C) }
        : (conv_reads){ in, H * W, (ptrdiff_t)W, 1 };
    const size_t L = copies ? area : wide_length(l);
    for (int m = first; m < last; m += CONV_MAPS) {
        const int maps = last - m < CONV_MAPS ? last - m : CONV_MAPS;
        const double *kp[CONV_MAPS];       /* each map's first kernel */
        double *to[CONV_MAPS];
        for (int p = 0; p < maps; p++) {
            kp[p] = p ? kp[p - 1] + inputs_of(l, m + p - 1) * K * K : k;
            to[p] = copies ? out + (m + p) * area     /* straight out, */
                           : wide[p];                 /* or unwidened below */
        }
        size_t i = 0;
        for (; i + CONV_TILE * VEC_LANES <= L; i += CONV_TILE * VEC_LANES)
            forward_tile(l, m, maps, kp, &x, i, CONV_TILE, to);
        if (L < VEC_LANES)
            for (int p = 0; p < maps; p++)
                forward_short(l, m + p, kp[p], in, L, wide[p]);
        else if (i < L)                 /* one more tile, ending at L */
            forward_tail(l, m, maps, kp, &x, i, L, to);
        for (int p = 0; p < maps; p++) {
            k += (size_t)inputs_of(l, m + p) * K * K;
            if (!copies)
                unwiden(l, out + (m + p) * area, wide[p]);
        }
    }
}

void conv_forward_batch(const conv *l, double *out, const double *in,
                        int count)
{
    const size_t in_size = (size_t)l->in_maps * l->in_rows * l->in_cols;
    if (covers_input(l)) {
        full f = as_full(l);
        full_forward_batch(&f, out, in, count);
        return;
    }
    for (int p = 0; p < count; p++)
        conv_forward(l, out + p * conv_out_size(l), in + p * in_size);
}
//< conv-forward

//> conv-spread
/*
 * Going back, each output map's gradient g (dE/da, W wide) is spread back
 * through its kernels: input pixel j of map n gets k(u, v) g[j - u W - v]
 * from every output map m it feeds and every kernel weight (u, v), in that
 * order. A tile of input pixels stays in registers through all of them.
 * The g maps sit in a buffer with zeros before, between and after them, so
 * that a tile reads g without asking where it ends.
 */
#define CONV_GROUP 16                 /* output maps whose g is buffered */
#define CONV_BUFFER (3 * CONV_MAX_MAP)

typedef struct {
    int count;                        /* output maps feeding map n, n + 1
                                         or n + 2 */
    const double *g[CONV_GROUP];      /* their g, in the padded buffer */
    const double *k[CONV_GROUP][CONV_MAPS];   /* their kernels for n,
                                         n + 1, n + 2; NULL where not
                                         connected */
} conv_feed;

/* Pixels j .. j + nv * VEC_LANES - 1 of input maps n, n + 1 and n + 2, at
   tile[0], tile[1] and tile[2] (NULL past the last map), in registers
   while every output map of f goes by, in order. */
static inline void spread_tile(const conv *l, double *const *tile,
                               const conv_feed *f, size_t j, int nv)
{
    const int K = l->kernel, W = l->in_cols;
    vec acc[CONV_MAPS][CONV_TILE];
    for (int p = 0; p < CONV_MAPS; p++)
        for (int t = 0; t < nv; t++)
            acc[p][t] = tile[p] ? (vec)VEC_AT(tile[p] + t * VEC_LANES)
                                : (vec){ 0 };
    for (int c = 0; c < f->count; c++)
        add_feed(acc, f->k[c], f->g[c] + j, K, -W, -1, nv);
    for (int p = 0; p < CONV_MAPS && tile[p]; p++)
        for (int t = 0; t < nv; t++)
            VEC_AT(tile[p] + t * VEC_LANES) = acc[p][t];
}

/* spread_tile at pixel j of input maps dx[0], dx[1], dx[2] (or NULL). */
static inline void spread_at(const conv *l, double *const *dx,
                             const conv_feed *f, size_t j, int nv)
{
    double *tile[CONV_MAPS];
    for (int p = 0; p < CONV_MAPS; p++)
        tile[p] = dx[p] ? dx[p] + j : NULL;
    spread_tile(l, tile, f, j, nv);
}

/* dx[0], dx[1], dx[2] (input maps n to n + 2) += every map of f spread
   back through its kernels. */
static void spread(const conv *l, double *const *dx, const conv_feed *f)
{
    const size_t area = (size_t)l->in_rows * l->in_cols;
    const size_t tile = CONV_TILE * VEC_LANES;
    size_t j = 0;
    for (; j + tile <= area; j += tile)
        spread_at(l, dx, f, j, CONV_TILE);
    for (; j + VEC_LANES <= area; j += VEC_LANES)
        spread_at(l, dx, f, j, 1);
    if (j < area) {                   /* the last few, through copies */
        double last[CONV_MAPS][VEC_LANES] = { { 0 } };
        double *tile[CONV_MAPS];
        for (int p = 0; p < CONV_MAPS; p++) {
            tile[p] = dx[p] ? last[p] : NULL;
            if (dx[p])
                memcpy(last[p], dx[p] + j, (area - j) * sizeof *dx[p]);
        }
        spread_tile(l, tile, f, j, 1);
        for (int p = 0; p < CONV_MAPS && dx[p]; p++)
            memcpy(dx[p] + j, last[p], (area - j) * sizeof *dx[p]);
    }
}

static size_t round_up(size_t n, size_t to) { return (n + to - 1) / to * to; }
//< conv-spread

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
    const size_t L = wide_length(l);
    const size_t nw = conv_num_params(l) - l->out_maps;   /* kernel weights */
    const size_t area = (size_t)l->in_rows * W;
    const size_t pad = round_up((size_t)(K - 1) * W + K - 1, 8);
    const size_t stride = pad + round_up(area, 8) + 8;  /* one padded g */
    const double *step = l->step;          /* NULL, or kernels' then biases' */
    const size_t skip = kernels_before(l, first) * K * K;
    double *k = l->w + skip;
    _Alignas(64) double buffer[CONV_BUFFER];
    double grad[DOT_ROWS][CONV_MAX_MAP];  /* kernels' weight gradients */

    if (covers_input(l)) {
        full f = as_full(l);
        full_backward_range(&f, din, dout, in, first, last);
        return;
    }
    /* a group of maps whose g fit the buffer; two at a time (dot_grid's
       rows) if there is nothing to spread back. Each g is written over the
       same zeros. */
    int most = din ? (int)(CONV_BUFFER / stride) : DOT_ROWS;
    if (most > CONV_GROUP)
        most = CONV_GROUP;
    if (most > last - first)
        most = last - first;
    memset(buffer, 0, most * stride * sizeof *buffer);
    for (int m0 = first; m0 < last; ) {
        int group = last - m0 < most ? last - m0 : most;
        for (int m = m0; m < m0 + group; m++) {
            const double *gm = dout + (size_t)m * R * C;
            double *g = buffer + (m - m0) * stride + pad;
            learn(&l->b[m], &l->db[m], step ? step + nw + m : NULL,
                  sum_of(gm, (size_t)R * C));
            for (int r = 0; r < R; r++)
                memcpy(g + r * W, gm + r * C, C * sizeof *g);
        }
        double *next[CONV_GROUP];            /* each map's next kernel */
        next[0] = k;                         /* the group's first */
        for (int m = m0 + 1; m < m0 + group; m++)
            next[m - m0] = next[m - m0 - 1] + inputs_of(l, m - 1) * K * K;
        if (din) {                       /* from the weights as they were */
            const double *kern[CONV_GROUP];  /* the same, for the spread */
            for (int m = 0; m < group; m++)
                kern[m] = next[m];
            for (int n = 0; n < l->in_maps; n += CONV_MAPS) {
                conv_feed f = { 0 };
                double *dx[CONV_MAPS] = { NULL };
                for (int p = 0; p < CONV_MAPS && n + p < l->in_maps; p++)
                    dx[p] = din + (size_t)(n + p) * area;
                for (int m = m0; m < m0 + group; m++) {
                    int fed = 0;
                    for (int p = 0; p < CONV_MAPS && n + p < l->in_maps; p++)
                        if (conv_connected(l, m, n + p)) {
                            f.k[f.count][p] = kern[m - m0];
                            kern[m - m0] += K * K;
                            fed = 1;
                        }
                    if (fed)
                        f.g[f.count++] = buffer + (m - m0) * stride + pad;
                }
                spread(l, dx, &f);
            }
        }
        /* dE/dk(u,v) for every kernel of the group, input map by input
           map: every output's share, 0 in between. Two output maps that
           read the same input map go through dot_grid together, which
           reads each stretch of the input once for both. */
        for (int n = 0; n < l->in_maps; n++) {
            const double *x = in + (size_t)n * area;
            int reads[CONV_GROUP], count = 0;   /* the maps that read n */
            for (int m = m0; m < m0 + group; m++)
                if (conv_connected(l, m, n))
                    reads[count++] = m - m0;
            for (int c = 0; c < count; c += DOT_ROWS) {
                const int rows = count - c < DOT_ROWS ? count - c : DOT_ROWS;
                const double *g[DOT_ROWS];
                for (int t = 0; t < rows; t++)
                    g[t] = buffer + reads[c + t] * stride + pad;
                for (int u = 0; u < K; u++)
                    for (int v = 0; v < K; ) {
                        const int many = K - v >= DOT_MANY ? DOT_MANY : 1;
                        double *out[DOT_ROWS];
                        for (int t = 0; t < rows; t++)
                            out[t] = grad[t] + u * K + v;
                        if (rows == DOT_ROWS && many == DOT_MANY)   /* constants */
                            dot_grid(g, DOT_ROWS, x + u * W + v, 1, L, DOT_MANY, out);
                        else
                            dot_grid(g, rows, x + u * W + v, 1, L, many, out);
                        v += many;
                    }
                for (int t = 0; t < rows; t++) {
                    double *kt = next[reads[c + t]];
                    const size_t at = kt - l->w;
                    for (int i = 0; i < K * K; i++)
                        learn(&kt[i], &l->dw[at + i], step ? step + at + i : NULL,
                              grad[t][i]);
                    next[reads[c + t]] += K * K;
                }
            }
        }
        k = next[group - 1];                  /* the next group's first */
        m0 += group;
    }
}
//< conv-backward

//> conv-backward2
/*
 * h[v] += the sum over the map's outputs (r, c), row by row, of
 * g2(r, c) x(r + u, c + v)^2, for the K weights v of one kernel row (x is
 * already moved down u rows). Each of the K sums is a chain of additions
 * in that order, as a plain loop per weight would add them; running the K
 * chains side by side lets K additions be in flight at once instead of
 * one.
 */
static inline void hessian_row(double *h, const double *g2, const double *x,
                               int R, int C, int W, int K)
{
    double sum[CONV_MAX_KERNEL] = { 0 };
    for (int r = 0; r < R; r++)
        for (int c = 0; c < C; c++) {
            const double g = g2[r * C + c];
            const double *xs = x + r * W + c;
            for (int v = 0; v < K; v++)
                sum[v] += g * xs[v] * xs[v];
        }
    for (int v = 0; v < K; v++)
        h[v] += sum[v];
}

/*
 * The same for a whole 5x5 kernel, LeNet's, at once: h[u 5 + v] gets the
 * sum for weight (u, v). The 5 weights of a kernel row are the lanes of
 * a vec (one or more: HESS_VECS), the 5 rows run side by side, so that
 * 5 chains of vecs are in flight; each lane's chain adds the same
 * products in the same order as hessian_row's. x must be readable a vec
 * past the map's end (the lanes past the 5th are dropped).
 */
#define HESS_K 5
#define HESS_VECS ((HESS_K + VEC_LANES - 1) / VEC_LANES)

static inline void hessian_kernel5(double *h, const double *g2, const double *x,
                                   int R, int C, int W)
{
    vec sum[HESS_K][HESS_VECS];
    for (int u = 0; u < HESS_K; u++)
        for (int j = 0; j < HESS_VECS; j++)
            sum[u][j] = (vec){ 0 };
    for (int r = 0; r < R; r++)
        for (int c = 0; c < C; c++) {
            const double g = g2[r * C + c];
            for (int u = 0; u < HESS_K; u++)
                for (int j = 0; j < HESS_VECS; j++) {
                    const vec xs = VEC_AT(x + (r + u) * W + c + j * VEC_LANES);
                    sum[u][j] += g * xs * xs;
                }
        }
    for (int u = 0; u < HESS_K; u++) {
        double lanes[HESS_VECS * VEC_LANES];
        memcpy(lanes, sum[u], sizeof lanes);
        for (int v = 0; v < HESS_K; v++)
            h[u * HESS_K + v] += lanes[v];
    }
}

void conv_backward2(const conv *l, double *h, double *d2in, const double *d2out,
                    const double *in)
{
    double padded[CONV_MAX_MAP + HESS_VECS * VEC_LANES];
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
            if (K == HESS_K) {               /* LeNet's: all at once */
                const size_t area = (size_t)l->in_rows * W;
                memcpy(padded, x, area * sizeof *x);
                memset(padded + area, 0, HESS_VECS * VEC_LANES * sizeof *x);
                hessian_kernel5(hk, g2, padded, R, C, W);
            }
            for (int u = 0; u < K; u++) {
                if (K != HESS_K)
                    hessian_row(hk + u * K, g2, x + u * W, R, C, W, K);
                for (int v = 0; d2x && v < K; v++) {
                    const double k2 = k[u * K + v] * k[u * K + v];
                    for (int r = 0; r < R; r++) {
                        double *d2xr = d2x + (r + u) * W + v;
                        const double *gr = g2 + r * C;
                        for (int c = 0; c < C; c++)
                            d2xr[c] += k2 * gr[c];
                    }
                }
            }
            k += K * K;
            hk += K * K;
        }
    }
}
//< conv-backward2
