/*
 * softmax.h: the output most networks use today in place of the paper's
 * RBF units and MAP criterion (rbf.h, loss.h): a full layer (full.h, 84 ->
 * 10 with biases: 850 parameters) computes ten scores z_i, "logits", and
 *
 *     p_i = e^z_i / sum_k e^z_k                  (softmax)
 *     E   = -log p_label = log sum_k e^z_k - z_label   (cross-entropy)
 *     dE/dz_i = p_i - [i = label]
 *
 * The largest score wins (the RBF's smallest penalty did). The functions
 * are written for any scores: the exponentials are taken of z_i - max_k z_k,
 * which is at most 0, so none overflows, and log sum_k e^z_k is computed as
 * max + log sum_k e^(z_k - max) (log-sum-exp), whose sum is at least 1, so
 * the log never sees 0. Scores of 1e300 give a finite loss and gradient.
 *
 * It has no parameters. For SDLM (Appendix C) softmax_backward2 gives the
 * curvature of E in each score: d2E/dz_i^2 = p_i (1 - p_i), the diagonal
 * of the Hessian diag(p) - p p^T, which is here also the Gauss-Newton
 * matrix (E is convex in z and z is the last linear layer's output). Like
 * the RBF's, it does not depend on the label.
 */
#ifndef LENET_SOFTMAX_H
#define LENET_SOFTMAX_H

/* p[i] = e^z[i] / sum_k e^z[k] for i < n. */
void softmax_forward(double *p,          /* out: n probabilities */
                     const double *z,    /* in:  n scores */
                     int n);

/* log sum_k e^z[k], without overflow. */
double softmax_log_sum_exp(const double *z, int n);

/* The cross-entropy -log p_label of the scores z. */
double softmax_loss(const double *z, int n, int label);

/* dz[i] += p_i - [i = label]. */
void softmax_backward(double *dz,        /* out: n, accumulated */
                      const double *z,   /* in:  n scores */
                      int n, int label);

/* d2z[i] += p_i (1 - p_i): in [0, 1/4], never negative. */
void softmax_backward2(double *d2z,       /* out: n, accumulated */
                       const double *z,   /* in:  n scores */
                       int n);

/* The class with the largest score (the first, on a tie). */
int softmax_predict(const double *z, int n);

#endif
