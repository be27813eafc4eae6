/* reference.c: see reference.h. */
#include "reference.h"

//> reference-conv-forward
void reference_conv_forward(const conv *l, double *out, const double *in)
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
//< reference-conv-forward

void reference_conv_backward(const conv *l, double *din, const double *dout,
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
