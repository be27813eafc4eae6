/*
 * archs.h: the counts of the two architectures of chapter 11 besides the
 * paper's (paper.h), worked out by hand once from their layer shapes and
 * compared by verify/check_arch.c with what the modules compute.
 *
 *   C1  6 x (5x5 + 1) = 156 parameters; 28x28 x 6 x 26 = 122,304 connections
 *   S2  pooling: no parameters; 14x14 x 6 units x 4 inputs = 4,704
 *   C3  full: 16 x (6 x 5x5 + 1) = 2,416; 10x10 x 16 x 151 = 241,600
 *   S4  16 x 5x5 units x 4 = 1,600
 *   C5  120 x (16 x 5x5 + 1) = 48,120 (1x1 outputs: as many connections)
 *   F6  84 x (120 + 1) = 10,164
 *   output: full 84 -> 10, 10 x (84 + 1) = 850, all trainable
 *
 * 156 + 2,416 + 48,120 + 10,164 + 850 = 61,706 trainable parameters, no
 * fixed ones; 429,342 connections. Both architectures have these numbers:
 * they differ in what the units compute (ReLU or squash, max or average),
 * not in their shapes.
 */
#ifndef VERIFY_ARCHS_H
#define VERIFY_ARCHS_H

#include "paper.h"

static const paper_layer modern_layers[] = {
    { "C1",      156, 122304,   6, 28, 28 },
    { "S2",        0,   4704,   6, 14, 14 },
    { "C3",     2416, 241600,  16, 10, 10 },
    { "S4",        0,   1600,  16,  5,  5 },
    { "C5",    48120,  48120, 120,  1,  1 },
    { "F6",    10164,  10164,  84,  0,  0 },
    { "output",  850,    850,  10,  0,  0 },
};
#define MODERN_TRAINABLE 61706
#define MODERN_CONNECTIONS 429342

#endif
