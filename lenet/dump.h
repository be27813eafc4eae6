/*
 * dump.h: a trained network's insides as plain text for gnuplot (the
 * figures of figures/): the maps one test digit produces in every layer,
 * the learned kernels, the confusion matrix and every misclassified digit
 * of the test set, and the fixed tables (C3's connections, the RBF
 * bitmaps, the layers). Every file starts with '#' lines saying what it
 * holds; a file of maps holds one matrix per map, separated by two blank
 * lines (gnuplot's `index`).
 */
#ifndef LENET_DUMP_H
#define LENET_DUMP_H

#include "mnist.h"
#include "net.h"
#include "status.h"

/*
 * Writes into the existing directory `dir`: input.dat, c1.dat, s2.dat,
 * c3.dat, s4.dat (maps), c5.dat, f6.dat, output.dat (unit, value), for test
 * digit `index`; kernels-c1.dat, kernels-c3.dat (NaN where Table I has no
 * connection); confusion.dat (10x10, rows true, columns predicted);
 * mistakes.dat (one 28x28 block per misclassified test digit) with
 * mistakes.txt (block, test index, true, predicted); bitmaps.dat (ten 12x7
 * blocks of -1/+1); c3-table.dat (6x16 of 0/1); layers.dat.
 */
lenet_status dump_all(net *n, const mnist *test, size_t index,
                      const char *dir, lenet_error *err);

/*
 * Writes into `dir`: distortions.dat, count + 1 blocks of 28x28 bytes
 * (0 paper, 255 ink): `digit` itself, then `count` random distortions of
 * it (distort.h) drawn from an mt19937 generator seeded `seed`; and
 * distortions.txt: block dx dy scale squeeze shear, one line per block
 * (block 0 the identity). The figure distortions.gp draws them (§III.C,
 * the paper's Fig. 7).
 */
lenet_status dump_distortions(const unsigned char *digit, int count,
                              unsigned long seed, const char *dir,
                              lenet_error *err);

#endif
