/*
 * loss.h: the two training criteria of §II.C, over the penalties y_i of the
 * RBF output layer, for one pattern whose correct class is `label`.
 *
 * Maximum likelihood (ML), eq. (8):  E = y_label.
 * MAP, eq. (9):                      E = y_label + log(e^-j + sum_i e^-y_i).
 *
 * ML only pulls the correct class's penalty down. MAP also pushes the wrong
 * classes' penalties up (the "competitive" term), but only while they are
 * below about j: e^-j acts as a garbage class whose penalty is always j.
 * The loss functions return E; the _backward functions accumulate dE/dy_i.
 */
#ifndef LENET_LOSS_H
#define LENET_LOSS_H

//> loss-map-j
/*
 * The paper gives no value for j. The term e^-j is a "garbage class" whose
 * penalty is always j; a wrong class i is pushed up with a weight of at most
 * e^-(y_i - min(j, y_label)). At initialisation every y_i is far above j
 * (about 120 to 260 with seed 1), so with j = 10 the garbage class
 * dominates the sum and the MAP gradient is the ML gradient: training
 * first pulls the right class down. Later, when
 * y_label is small, only wrong classes within a few units of it are pushed
 * (when F6 sits on a bitmap the others are at least 4 x 14 = 56 away).
 */
#define LOSS_MAP_J 10.0
//< loss-map-j

typedef enum { LOSS_ML, LOSS_MAP } loss_kind;

double loss_ml(const double *y, int n, int label);
void loss_ml_backward(double *dy, const double *y, int n, int label);

double loss_map(const double *y, int n, int label, double j);
void loss_map_backward(double *dy, const double *y, int n, int label, double j);

/* The criterion of `kind` (MAP with j = LOSS_MAP_J) and its gradient. */
double loss_value(loss_kind kind, const double *y, int n, int label);
void loss_backward(loss_kind kind, double *dy, const double *y, int n, int label);

#endif
