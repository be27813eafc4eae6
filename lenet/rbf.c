/*
 * rbf.c: the Euclidean RBF output layer and the digit bitmaps it compares
 * F6's output with (§II.B, Fig. 3).
 */
#include "rbf.h"

#include <string.h>

/*
 * The ten ideal outputs, drawn for this project (the paper draws its own
 * stylised characters, Fig. 3): '#' is +1, '.' is -1, one row of the 7x12
 * bitmaps of all ten digits per line, read as F6's 84 units row by row.
 * Strokes are two pixels wide so that similar digits (3/8, 4/9, 1/7) differ
 * in many positions: the further apart two centres are, the larger the wrong
 * class's penalty when F6 hits the right one.
 */
//> rbf-bitmaps
static const char *const bitmaps[RBF_BITMAP_ROWS] = {
 /*  0       1       2       3       4       5       6       7       8       9  */
    "..###.. ...##.. .#####. .#####. ....##. ####### ..####. ####### .#####. .#####.",
    ".##.##. ..###.. ##...## ##...## ...###. ##..... .##.... .....## ##...## ##...##",
    "##...## .####.. .....## .....## ..####. ##..... ##..... .....## ##...## ##...##",
    "##...## ...##.. .....## .....## .##.##. ##..... ##..... ....##. ##...## ##...##",
    "##...## ...##.. ....##. .....## ##..##. ######. ######. ....##. .##.##. ##...##",
    "##...## ...##.. ...##.. ..####. ##..##. .....## ##...## ...##.. ..###.. ##...##",
    "##...## ...##.. ..##... .....## ####### .....## ##...## ...##.. .##.##. .######",
    "##...## ...##.. .##.... .....## ....##. .....## ##...## ..##... ##...## .....##",
    "##...## ...##.. ##..... .....## ....##. .....## ##...## ..##... ##...## .....##",
    "##...## ...##.. ##..... .....## ....##. .....## ##...## .##.... ##...## .....##",
    ".##.##. ...##.. ##..... ##...## ....##. ##...## ##...## .##.... ##...## ....##.",
    "..###.. .###### ####### .#####. ....##. .#####. .#####. .##.... .#####. .####..",
};
//< rbf-bitmaps

lenet_status rbf_setup(rbf *l, int in, int out)
{
    memset(l, 0, sizeof *l);
    if (in < 1 || out < 1)
        return LENET_EINVAL;
    l->in = in;
    l->out = out;
    return LENET_OK;
}

size_t rbf_num_params(const rbf *l)
{
    return (size_t)l->out * l->in;
}

size_t rbf_num_connections(const rbf *l)
{
    return (size_t)l->out * l->in;
}

void rbf_bind(rbf *l, double *params, double *grads)
{
    l->w = params;
    l->dw = grads;
}

double rbf_bitmap(int digit, int row, int col)
{
    char pixel = bitmaps[row][digit * (RBF_BITMAP_COLS + 1) + col];
    return pixel == '#' ? 1.0 : -1.0;
}

lenet_status rbf_set_bitmaps(rbf *l)
{
    if (l->out != RBF_CLASSES || l->in != RBF_BITMAP_ROWS * RBF_BITMAP_COLS)
        return LENET_EINVAL;
    for (int i = 0; i < RBF_CLASSES; i++)
        for (int r = 0; r < RBF_BITMAP_ROWS; r++)
            for (int c = 0; c < RBF_BITMAP_COLS; c++)
                l->w[i * l->in + r * RBF_BITMAP_COLS + c] = rbf_bitmap(i, r, c);
    return LENET_OK;
}

//> rbf-forward
void rbf_forward(const rbf *l, double *out, const double *in)
{
    for (int i = 0; i < l->out; i++) {
        const double *w = l->w + (size_t)i * l->in;
        double sum = 0.0;
        for (int j = 0; j < l->in; j++)
            sum += (in[j] - w[j]) * (in[j] - w[j]);
        out[i] = sum;
    }
}
//< rbf-forward

//> rbf-backward
/* dy_i/dx_j = 2 (x_j - w_ij) and dy_i/dw_ij = -2 (x_j - w_ij). */
void rbf_backward(const rbf *l, double *din, const double *dout,
                  const double *in)
{
    for (int i = 0; i < l->out; i++) {
        const double *w = l->w + (size_t)i * l->in;
        for (int j = 0; j < l->in; j++) {
            double g = 2.0 * dout[i] * (in[j] - w[j]);
            din[j] += g;
            if (l->dw)
                l->dw[(size_t)i * l->in + j] -= g;
        }
    }
}
//< rbf-backward

//> rbf-backward2
void rbf_backward2(const rbf *l, double *d2in, const double *c)
{
    double sum = 0.0;
    for (int i = 0; i < l->out; i++)
        sum += c[i];
    for (int j = 0; j < l->in; j++)
        d2in[j] += 2.0 * sum;
}
//< rbf-backward2

int rbf_predict(const double *y, int out)
{
    int best = 0;
    for (int i = 1; i < out; i++)
        if (y[i] < y[best])
            best = i;
    return best;
}
