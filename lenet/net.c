/*
 * net.c: the layers of LeNet-5 wired together (§II.B): one table of shapes,
 * one parameter vector, the forward and backward passes for one pattern;
 * and the other seven architectures of chapter 11, which switch some layers.
 */
#include "net.h"

#include <stdlib.h>
#include <string.h>

#include "relu.h"
#include "softmax.h"
#include "squash.h"

//> c3-table
/*
 * Table I of the paper: row n is S2 map n, column m is C3 map m, and 'X'
 * means S2 map n feeds C3 map m. Maps 0-5 read three adjacent S2 maps, 6-11
 * four adjacent ones, 12-14 four non-adjacent ones, and 15 all six: 60
 * kernels (S2-C3 pairs) instead of 96, and maps that are forced to differ.
 */
const char *const net_c3_table[6] = {
  /* C3 map: 0123456789012345 */
            "X...XXX..XXXX.XX",   /* S2 map 0 */
            "XX...XXX..XXXX.X",   /* S2 map 1 */
            "XXX...XXX..X.XXX",   /* S2 map 2 */
            ".XXX..XXXX..X.XX",   /* S2 map 3 */
            "..XXX..XXXX.XX.X",   /* S2 map 4 */
            "...XXX..XXXX.XXX",   /* S2 map 5 */
};
//< c3-table

const char *const net_c3_full_table[6] = {
    "XXXXXXXXXXXXXXXX", "XXXXXXXXXXXXXXXX", "XXXXXXXXXXXXXXXX",
    "XXXXXXXXXXXXXXXX", "XXXXXXXXXXXXXXXX", "XXXXXXXXXXXXXXXX",
};

const net_arch net_arch_paper = {
    "paper", NET_SQUASH, NET_SUBSAMPLE, 0, NET_RBF };
const net_arch net_arch_modern = {
    "modern", NET_RELU, NET_MAX_POOL, 1, NET_SOFTMAX };
const net_arch net_arch_tanh_avg = {
    "tanh-avg", NET_SQUASH, NET_AVERAGE_POOL, 1, NET_SOFTMAX };

/* The paper's network with one thing changed: the ablation's rows. */
const net_arch net_arch_paper_relu = {
    "paper-relu", NET_RELU, NET_SUBSAMPLE, 0, NET_RBF };
const net_arch net_arch_paper_maxpool = {
    "paper-maxpool", NET_SQUASH, NET_MAX_POOL, 0, NET_RBF };
const net_arch net_arch_paper_avgpool = {
    "paper-avgpool", NET_SQUASH, NET_AVERAGE_POOL, 0, NET_RBF };
const net_arch net_arch_paper_fullc3 = {
    "paper-fullc3", NET_SQUASH, NET_SUBSAMPLE, 1, NET_RBF };
const net_arch net_arch_paper_softmax = {
    "paper-softmax", NET_SQUASH, NET_SUBSAMPLE, 0, NET_SOFTMAX };

const net_arch *const net_archs[NET_ARCHS + 1] = {
    &net_arch_paper, &net_arch_modern, &net_arch_tanh_avg,
    &net_arch_paper_relu, &net_arch_paper_maxpool, &net_arch_paper_avgpool,
    &net_arch_paper_fullc3, &net_arch_paper_softmax, NULL };

const net_arch *net_arch_find(const char *name)
{
    for (int i = 0; net_archs[i]; i++)
        if (strcmp(net_archs[i]->name, name) == 0)
            return net_archs[i];
    return NULL;
}

static int pooled(const net *n)
{
    return n->arch->pooling != NET_SUBSAMPLE;
}

static int softmax_output(const net *n)
{
    return n->arch->output == NET_SOFTMAX;
}

//> net-shapes
/* The architecture: each layer's shape, from which every size follows.
   (The other architectures' S2, S4, C3 table and output are set up too.) */
static lenet_status setup_layers(net *n)
{
    const net_arch *a = n->arch;
    pool_kind kind = a->pooling == NET_MAX_POOL ? POOL_MAX : POOL_AVERAGE;
    lenet_status s = LENET_OK;
    if (!s) s = conv_setup(&n->c1, 1, 32, 32, 6, 5, NULL);
    if (!s) s = subsample_setup(&n->s2, 6, 28, 28);
    if (!s) s = conv_setup(&n->c3, 6, 14, 14, 16, 5,
                           a->c3_full ? net_c3_full_table : net_c3_table);
    if (!s) s = subsample_setup(&n->s4, 16, 10, 10);
    if (!s) s = conv_setup(&n->c5, 16, 5, 5, 120, 5, NULL);
    if (!s) s = full_setup(&n->f6, 120, 84);
    if (!s) s = rbf_setup(&n->out, 84, RBF_CLASSES);
    if (!s) s = pool_setup(&n->p2, kind, 6, 28, 28);
    if (!s) s = pool_setup(&n->p4, kind, 16, 10, 10);
    if (!s) s = full_setup(&n->scores, 84, RBF_CLASSES);
    return s;
}
//< net-shapes

//> net-init
/*
 * The big layers read their weights a vec (64 bytes with AVX-512) at a
 * time, row by row. A vec that straddles two cache lines costs the
 * processor two reads, and calloc's blocks begin 16 bytes into a line:
 * so every buffer here begins a line (zeros_in_lines), and a
 * params-shaped vector begins `lead` doubles into one, so that C5's
 * weights begin a line (its rows, of 400 doubles, and F6's, of 120, then
 * all do). The numbers do not change, only where they are.
 */
#define NET_LINE 64                   /* bytes in a cache line */

static double *zeros_in_lines(size_t count)
{
    size_t bytes = (count * sizeof(double) + NET_LINE - 1) / NET_LINE * NET_LINE;
    double *v = aligned_alloc(NET_LINE, bytes ? bytes : NET_LINE);
    if (v)
        memset(v, 0, bytes);
    return v;
}

double *net_alloc_vector(const net *n)
{
    double *v = zeros_in_lines(n->lead + n->num_params);
    return v ? v + n->lead : NULL;
}

void net_free_vector(const net *n, double *v)
{
    if (v)
        free(v - n->lead);
}

/* Points u's values at the next 2 x size doubles of *values, its
   gradients at the next 2 x size doubles of *grads, and its shares' parts
   of dx at the next size doubles of each region of n->shares. */
static void carve(net *n, net_units *u, size_t size, double **values,
                  double **grads, size_t *shared)
{
    u->size = size;
    u->a = *values;
    u->x = u->a + size;
    u->da = *grads;
    u->dx = u->da + size;
    for (int s = 0; s < NET_SHARES; s++)
        u->dx_share[s] = n->shares + s * n->units_size / 2 + *shared;
    *values += 2 * size;
    *grads += 2 * size;
    *shared += size;
}

lenet_status net_init(net *n)
{
    return net_init_arch(n, &net_arch_paper);
}

lenet_status net_init_arch(net *n, const net_arch *arch)
{
    memset(n, 0, sizeof *n);
    n->arch = arch;
    lenet_status s = setup_layers(n);
    if (s)
        return s;

    net_layer_info info[NET_LAYERS];
    net_describe(n, info);
    for (int i = 0; i < NET_LAYERS; i++)
        n->num_params += info[i].trainable ? info[i].params : 0;

    net_units *all[] = { &n->input, &n->c1_out, &n->s2_out, &n->c3_out,
                         &n->s4_out, &n->c5_out, &n->f6_out };
    size_t sizes[] = { (size_t)n->c1.in_maps * n->c1.in_rows * n->c1.in_cols,
                       conv_out_size(&n->c1), subsample_out_size(&n->s2),
                       conv_out_size(&n->c3), subsample_out_size(&n->s4),
                       conv_out_size(&n->c5), (size_t)n->f6.out };
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        n->units_size += 2 * sizes[i];

    size_t before_c5 = conv_num_params(&n->c1) + conv_num_params(&n->c3) +
        (pooled(n) ? 0 : subsample_num_params(&n->s2) +
                         subsample_num_params(&n->s4));
    const size_t per_line = NET_LINE / sizeof(double);
    n->lead = (per_line - before_c5 % per_line) % per_line;
    n->params = net_alloc_vector(n);
    n->grads = net_alloc_vector(n);
    if (!softmax_output(n))
        n->fixed = zeros_in_lines(rbf_num_params(&n->out));
    n->units = zeros_in_lines(n->units_size);
    n->unit_grads = zeros_in_lines(n->units_size);
    n->shares = zeros_in_lines(NET_SHARES * n->units_size / 2);
    n->batch = zeros_in_lines(NET_BATCH * (sizes[4] + 2 * sizes[5] +
                                           2 * sizes[6]));
    if (!n->params || !n->grads || (!n->fixed && !softmax_output(n)) ||
        !n->units || !n->unit_grads || !n->shares || !n->batch) {
        net_free(n);
        return LENET_ENOMEM;
    }

    /* Each layer's parameters follow the previous layer's (pooling has
       none). */
    double *p = n->params, *g = n->grads;
    size_t k;
    conv_bind(&n->c1, p, g);
    k = conv_num_params(&n->c1), p += k, g += k;
    if (!pooled(n)) {
        subsample_bind(&n->s2, p, g);
        k = subsample_num_params(&n->s2), p += k, g += k;
    }
    conv_bind(&n->c3, p, g);
    k = conv_num_params(&n->c3), p += k, g += k;
    if (!pooled(n)) {
        subsample_bind(&n->s4, p, g);
        k = subsample_num_params(&n->s4), p += k, g += k;
    }
    conv_bind(&n->c5, p, g);
    k = conv_num_params(&n->c5), p += k, g += k;
    full_bind(&n->f6, p, g);
    if (softmax_output(n)) {
        k = full_num_params(&n->f6), p += k, g += k;
        full_bind(&n->scores, p, g);
    } else {
        rbf_bind(&n->out, n->fixed, NULL);
        rbf_set_bitmaps(&n->out);
    }

    double *values = n->units, *grads = n->unit_grads;
    size_t shared = 0;
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        carve(n, all[i], sizes[i], &values, &grads, &shared);
        all[i]->f = arch->activation;
    }
    if (pooled(n))                  /* pooling is followed by nothing */
        n->s2_out.f = n->s4_out.f = NET_IDENTITY;
    for (int s = 0; s <= NET_SHARES; s++) {
        n->c1_share[s] = conv_share(&n->c1, s, NET_SHARES);
        n->c3_share[s] = conv_share(&n->c3, s, NET_SHARES);
        n->c5_share[s] = conv_share(&n->c5, s, NET_SHARES);
    }
    return LENET_OK;
}
//< net-init

lenet_status net_clone(net *dst, const net *src)
{
    lenet_status s = net_init_arch(dst, src->arch);
    if (s)
        return s;
    memcpy(dst->params, src->params, src->num_params * sizeof *src->params);
    if (src->fixed)
        memcpy(dst->fixed, src->fixed,
               rbf_num_params(&src->out) * sizeof *src->fixed);
    dst->input_gradient = src->input_gradient;
    return LENET_OK;
}

void net_free(net *n)
{
    net_free_vector(n, n->params);
    net_free_vector(n, n->grads);
    free(n->fixed);
    free(n->units);
    free(n->unit_grads);
    free(n->shares);
    free(n->batch);
    n->params = n->grads = n->fixed = n->units = n->unit_grads = NULL;
    n->shares = n->batch = NULL;
}

void net_randomize(net *n, gsl_rng *rng)
{
    conv_init(&n->c1, rng);
    if (!pooled(n))
        subsample_init(&n->s2, rng);
    conv_init(&n->c3, rng);
    if (!pooled(n))
        subsample_init(&n->s4, rng);
    conv_init(&n->c5, rng);
    full_init(&n->f6, rng);
    if (softmax_output(n))
        full_init(&n->scores, rng);
}

/* x[i] = f(a[i]) for i < count. */
static void apply(net_activation f, double *x, const double *a, size_t count)
{
    if (f == NET_SQUASH)
        squash_forward(x, a, count);
    else if (f == NET_RELU)
        relu_forward(x, a, count);
    else
        memcpy(x, a, count * sizeof *x);
}

/* x = f(a) for units first..last-1 of u, f the units' activation. */
static void activate(net_units *u, size_t first, size_t last)
{
    apply(u->f, u->x + first, u->a + first, last - first);
}

/* da += f'(a) dx for units first..last-1 of u. */
static void activate_backward(net_units *u, size_t first, size_t last)
{
    size_t count = last - first;
    if (u->f == NET_SQUASH) {
        squash_backward(u->da + first, u->dx + first, u->x + first, count);
    } else if (u->f == NET_RELU) {
        relu_backward(u->da + first, u->dx + first, u->x + first, count);
    } else {
        for (size_t i = first; i < last; i++)
            u->da[i] += u->dx[i];
    }
}

/* The units of maps first..last-1, when u holds `maps` maps. */
static void activate_maps(net_units *u, int maps, int first, int last)
{
    size_t area = u->size / maps;
    activate(u, first * area, last * area);
}

static void activate_backward_maps(net_units *u, int maps, int first, int last)
{
    size_t area = u->size / maps;
    activate_backward(u, first * area, last * area);
}

/* S2 or S4, maps first..last-1: the paper's subsampling s, or pooling p. */
static void shrink(const net *n, const subsample *s, const pool *p,
                   double *out, const double *in, int first, int last)
{
    if (pooled(n))
        pool_forward_maps(p, out, in, first, last);
    else
        subsample_forward_maps(s, out, in, first, last);
}

static void shrink_backward(const net *n, const subsample *s, const pool *p,
                            double *din, const double *dout, const double *in,
                            int first, int last)
{
    if (pooled(n))
        pool_backward_maps(p, din, dout, in, first, last);
    else
        subsample_backward_maps(s, din, dout, in, first, last);
}

/* Share s's first unit of `total` (s = NET_SHARES: the end). */
static int share(int total, int s)
{
    return (int)((long)total * s / NET_SHARES);
}

/* dx = the sum of the shares' parts, for units first..last-1 of u. */
static void gather(net_units *u, size_t first, size_t last)
{
    for (size_t i = first; i < last; i++) {
        double sum = 0.0;
        for (int s = 0; s < NET_SHARES; s++)
            sum += u->dx_share[s][i];
        u->dx[i] = sum;
    }
}

/* Units first..last-1 of gradient v, cleared for a share to add into. */
static void clear(double *v, size_t first, size_t last)
{
    memset(v + first, 0, (last - first) * sizeof *v);
}

/* Share s's part of the gradient of u, cleared for it to add into. */
static double *part_of(net_units *u, int s)
{
    memset(u->dx_share[s], 0, u->size * sizeof *u->dx_share[s]);
    return u->dx_share[s];
}

/* Runs part `part`'s shares of a layer (part, part + parts, ...), then
   waits for the team's other parts (team.h). */
static int run(net *n, net_team *team, int part, void (*layer)(net *, int))
{
    for (int s = part; s < NET_SHARES; s += team ? team->parts : 1)
        layer(n, s);
    return team_meet(team);
}

/* The output layer, ten units: penalties (or scores) y from F6's x. */
static void output_forward(const net *n, double *y, const double *f6_x)
{
    if (softmax_output(n))
        full_forward(&n->scores, y, f6_x);
    else
        rbf_forward(&n->out, y, f6_x);
}

//> net-forward
/* A subsampling (or pooling) map reads one map of the convolution before
   it, so the share that computed C1's maps (or C3's) goes on to S2's same
   maps at once. */
static void c1_s2_forward(net *n, int s)
{
    int m0 = n->c1_share[s], m1 = n->c1_share[s + 1];
    conv_forward_maps(&n->c1, n->c1_out.a, n->input.x, m0, m1);
    activate_maps(&n->c1_out, n->c1.out_maps, m0, m1);
    shrink(n, &n->s2, &n->p2, n->s2_out.a, n->c1_out.x, m0, m1);
    activate_maps(&n->s2_out, n->c1.out_maps, m0, m1);
}

static void c3_s4_forward(net *n, int s)
{
    int m0 = n->c3_share[s], m1 = n->c3_share[s + 1];
    conv_forward_maps(&n->c3, n->c3_out.a, n->s2_out.x, m0, m1);
    activate_maps(&n->c3_out, n->c3.out_maps, m0, m1);
    shrink(n, &n->s4, &n->p4, n->s4_out.a, n->c3_out.x, m0, m1);
    activate_maps(&n->s4_out, n->c3.out_maps, m0, m1);
}

static void c5_forward(net *n, int s)
{
    int m0 = n->c5_share[s], m1 = n->c5_share[s + 1];
    conv_forward_maps(&n->c5, n->c5_out.a, n->s4_out.x, m0, m1);
    activate(&n->c5_out, m0, m1);
}

static void f6_forward(net *n, int s)
{
    int i0 = share(n->f6.out, s), i1 = share(n->f6.out, s + 1);
    full_forward_range(&n->f6, n->f6_out.a, n->c5_out.x, i0, i1);
    activate(&n->f6_out, i0, i1);
}

void net_forward(net *n, const double *in)
{
    net_forward_part(n, in, NULL, 0);
}

int net_forward_part(net *n, const double *in, net_team *team, int part)
{
    if (part == 0)
        memcpy(n->input.x, in, n->input.size * sizeof *in);
    if (!team_meet(team))
        return 0;
    run(n, team, part, c1_s2_forward);
    run(n, team, part, c3_s4_forward);
    run(n, team, part, c5_forward);
    run(n, team, part, f6_forward);
    if (part == 0)
        output_forward(n, n->y, n->f6_out.x);
    return 1;
}
//< net-forward

//> net-forward-batch
void net_forward_batch(net *n, const double *in, int count, double *y)
{
    size_t s4 = n->s4_out.size, c5 = n->c5_out.size, f6 = n->f6_out.size;
    double *s4_x = n->batch, *c5_a = s4_x + NET_BATCH * s4,
           *c5_x = c5_a + NET_BATCH * c5, *f6_a = c5_x + NET_BATCH * c5,
           *f6_x = f6_a + NET_BATCH * f6;
    for (int p = 0; p < count; p++) {     /* C1 to S4, one pattern at a time */
        memcpy(n->input.x, in + p * n->input.size,
               n->input.size * sizeof *in);
        run(n, NULL, 0, c1_s2_forward);
        run(n, NULL, 0, c3_s4_forward);
        memcpy(s4_x + p * s4, n->s4_out.x, s4 * sizeof *s4_x);
    }
    conv_forward_batch(&n->c5, c5_a, s4_x, count);    /* together */
    apply(n->c5_out.f, c5_x, c5_a, count * c5);
    full_forward_batch(&n->f6, f6_a, c5_x, count);
    apply(n->f6_out.f, f6_x, f6_a, count * f6);
    for (int p = 0; p < count; p++)
        output_forward(n, y + p * RBF_CLASSES, f6_x + p * f6);
}
//< net-forward-batch

double net_loss(const net *n, int label, loss_kind kind)
{
    return net_loss_of(n, n->y, label, kind);
}

double net_loss_of(const net *n, const double *y, int label, loss_kind kind)
{
    if (softmax_output(n))
        return softmax_loss(y, RBF_CLASSES, label);
    return loss_value(kind, y, RBF_CLASSES, label);
}

//> net-backward
/*
 * Going back, a share takes its own maps' weights again (forward and back,
 * each weight stays in one core's cache). Its part of the gradient of the
 * layer's input goes into a vector of its own; the next layer's shares
 * start by adding up the parts for their maps (gather), then go on through
 * the activation and S4 or S2, which need nothing else.
 */
static void f6_backward(net *n, int s)
{
    int i0 = share(n->f6.out, s), i1 = share(n->f6.out, s + 1);
    full_backward_range(&n->f6, part_of(&n->c5_out, s), n->f6_out.da,
                        n->c5_out.x, i0, i1);
}

static void c5_backward(net *n, int s)
{
    int m0 = n->c5_share[s], m1 = n->c5_share[s + 1];
    gather(&n->c5_out, m0, m1);
    clear(n->c5_out.da, m0, m1);
    activate_backward(&n->c5_out, m0, m1);
    conv_backward_maps(&n->c5, part_of(&n->s4_out, s), n->c5_out.da,
                       n->s4_out.x, m0, m1);
}

/* Back from S4 (or S2) to the sums of C3 (or C1), for maps m0..m1-1 of
   `maps`: the share gathers the gradient of the shrunk maps, clears what
   it adds into, and goes back through their activation, the subsampling
   or pooling (each map reads one map of conv_out) and conv_out's
   activation. */
static void shrink_maps_backward(net *n, const subsample *sub, const pool *p,
                                 net_units *shrunk, net_units *conv_out,
                                 int maps, int m0, int m1)
{
    size_t area = shrunk->size / maps, conv_area = conv_out->size / maps;
    gather(shrunk, m0 * area, m1 * area);
    clear(shrunk->da, m0 * area, m1 * area);
    clear(conv_out->dx, m0 * conv_area, m1 * conv_area);
    clear(conv_out->da, m0 * conv_area, m1 * conv_area);
    activate_backward_maps(shrunk, maps, m0, m1);
    shrink_backward(n, sub, p, conv_out->dx, shrunk->da, conv_out->x, m0, m1);
    activate_backward_maps(conv_out, maps, m0, m1);
}

static void c3_backward(net *n, int s)
{
    int m0 = n->c3_share[s], m1 = n->c3_share[s + 1];
    shrink_maps_backward(n, &n->s4, &n->p4, &n->s4_out, &n->c3_out,
                         n->c3.out_maps, m0, m1);
    conv_backward_maps(&n->c3, part_of(&n->s2_out, s), n->c3_out.da,
                       n->s2_out.x, m0, m1);
}

static void c1_backward(net *n, int s)
{
    int m0 = n->c1_share[s], m1 = n->c1_share[s + 1];
    shrink_maps_backward(n, &n->s2, &n->p2, &n->s2_out, &n->c1_out,
                         n->c1.out_maps, m0, m1);
    conv_backward_maps(&n->c1, n->input_gradient ? part_of(&n->input, s)
                                                 : NULL,
                       n->c1_out.da, n->input.x, m0, m1);
}

static void input_backward(net *n, int s)
{
    gather(&n->input, share(n->input.size, s), share(n->input.size, s + 1));
}

void net_backward(net *n, int label, loss_kind kind)
{
    net_backward_part(n, label, kind, NULL, 0);
}

int net_backward_part(net *n, int label, loss_kind kind, net_team *team,
                      int part)
{
    if (part == 0) {
        /* Unit gradients hold this pattern only (each share clears those
           it adds into, below); parameter gradients add up. */
        clear(n->f6_out.dx, 0, n->f6_out.size);
        clear(n->f6_out.da, 0, n->f6_out.size);
        memset(n->dy, 0, sizeof n->dy);
        if (softmax_output(n)) {
            softmax_backward(n->dy, n->y, RBF_CLASSES, label);
            full_backward(&n->scores, n->f6_out.dx, n->dy, n->f6_out.x);
        } else {
            loss_backward(kind, n->dy, n->y, RBF_CLASSES, label);
            rbf_backward(&n->out, n->f6_out.dx, n->dy, n->f6_out.x);
        }
        activate_backward(&n->f6_out, 0, n->f6_out.size);
    }
    if (!team_meet(team))
        return 0;
    run(n, team, part, f6_backward);
    run(n, team, part, c5_backward);
    run(n, team, part, c3_backward);
    run(n, team, part, c1_backward);
    if (n->input_gradient)
        run(n, team, part, input_backward);
    return 1;
}
//< net-backward

/* The part of a params-shaped vector v that belongs to the layer whose
   parameters start at `first`. */
static double *slice(const net *n, double *v, const double *first)
{
    return v + (first - n->params);
}

/* u->da += f'(a)^2 u->dx: second derivatives through the activation. */
static void activate_backward2(net_units *u)
{
    if (u->f == NET_SQUASH) {
        squash_backward2(u->da, u->dx, u->x, u->size);
    } else if (u->f == NET_RELU) {
        relu_backward2(u->da, u->dx, u->x, u->size);
    } else {
        for (size_t i = 0; i < u->size; i++)
            u->da[i] += u->dx[i];
    }
}

/* S2 or S4's second derivatives: the subsampling's coefficients and
   biases get theirs in h; pooling has no parameters. */
static void shrink_backward2(net *n, const subsample *s, const pool *p,
                             double *h, double *d2in, const double *d2out,
                             const double *in)
{
    if (pooled(n))
        pool_backward2(p, d2in, d2out, in);
    else
        subsample_backward2(s, slice(n, h, s->coef), d2in, d2out, in);
}

//> net-backward2
void net_backward2(net *n, int label, double *h)
{
    memset(n->unit_grads, 0, n->units_size * sizeof *n->unit_grads);

    if (softmax_output(n)) {
        double d2z[RBF_CLASSES] = { 0 };
        softmax_backward2(d2z, n->y, RBF_CLASSES);
        full_backward2(&n->scores, slice(n, h, n->scores.w), n->f6_out.dx,
                       d2z, n->f6_out.x);
    } else {
        double c[RBF_CLASSES] = { 0 };
        c[label] = 1.0;
        rbf_backward2(&n->out, n->f6_out.dx, c);
    }
    activate_backward2(&n->f6_out);
    full_backward2(&n->f6, slice(n, h, n->f6.w), n->c5_out.dx, n->f6_out.da,
                   n->c5_out.x);
    activate_backward2(&n->c5_out);
    conv_backward2(&n->c5, slice(n, h, n->c5.w), n->s4_out.dx, n->c5_out.da,
                   n->s4_out.x);
    activate_backward2(&n->s4_out);
    shrink_backward2(n, &n->s4, &n->p4, h, n->c3_out.dx, n->s4_out.da,
                     n->c3_out.x);
    activate_backward2(&n->c3_out);
    conv_backward2(&n->c3, slice(n, h, n->c3.w), n->s2_out.dx, n->c3_out.da,
                   n->s2_out.x);
    activate_backward2(&n->s2_out);
    shrink_backward2(n, &n->s2, &n->p2, h, n->c1_out.dx, n->s2_out.da,
                     n->c1_out.x);
    activate_backward2(&n->c1_out);
    conv_backward2(&n->c1, slice(n, h, n->c1.w), NULL, n->c1_out.da,
                   n->input.x);
}
//< net-backward2

void net_zero_grad(net *n)
{
    memset(n->grads, 0, n->num_params * sizeof *n->grads);
}

int net_predict(const net *n)
{
    return net_predict_of(n, n->y);
}

int net_predict_of(const net *n, const double *y)
{
    if (softmax_output(n))
        return softmax_predict(y, RBF_CLASSES);
    return rbf_predict(y, RBF_CLASSES);
}

static net_layer_info shrink_info(const net *n, const char *name,
                                  const subsample *s, const pool *p)
{
    if (!pooled(n))
        return (net_layer_info){ name, "subsampling", s->maps,
            subsample_out_rows(s), subsample_out_cols(s),
            subsample_num_params(s), subsample_num_connections(s), 1 };
    return (net_layer_info){ name, p->kind == POOL_MAX ? "max pooling"
                                                       : "avg pooling",
        p->maps, pool_out_rows(p), pool_out_cols(p), pool_num_params(p),
        pool_num_connections(p), 1 };
}

void net_describe(const net *n, net_layer_info info[NET_LAYERS])
{
    info[0] = (net_layer_info){ "C1", "convolution", n->c1.out_maps,
        conv_out_rows(&n->c1), conv_out_cols(&n->c1),
        conv_num_params(&n->c1), conv_num_connections(&n->c1), 1 };
    info[1] = shrink_info(n, "S2", &n->s2, &n->p2);
    info[2] = (net_layer_info){ "C3", "convolution", n->c3.out_maps,
        conv_out_rows(&n->c3), conv_out_cols(&n->c3),
        conv_num_params(&n->c3), conv_num_connections(&n->c3), 1 };
    info[3] = shrink_info(n, "S4", &n->s4, &n->p4);
    info[4] = (net_layer_info){ "C5", "convolution", n->c5.out_maps,
        conv_out_rows(&n->c5), conv_out_cols(&n->c5),
        conv_num_params(&n->c5), conv_num_connections(&n->c5), 1 };
    info[5] = (net_layer_info){ "F6", "full", n->f6.out, 0, 0,
        full_num_params(&n->f6), full_num_connections(&n->f6), 1 };
    if (softmax_output(n))
        info[6] = (net_layer_info){ "output", "full + softmax", n->scores.out,
            0, 0, full_num_params(&n->scores),
            full_num_connections(&n->scores), 1 };
    else
        info[6] = (net_layer_info){ "output", "Euclidean RBF", n->out.out,
            0, 0, rbf_num_params(&n->out), rbf_num_connections(&n->out), 0 };
}

size_t net_num_connections(const net *n)
{
    net_layer_info info[NET_LAYERS];
    size_t total = 0;
    net_describe(n, info);
    for (int i = 0; i < NET_LAYERS; i++)
        total += info[i].connections;
    return total;
}
