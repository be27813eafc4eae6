/*
 * archs.h: the counts of the architectures of chapter 11 besides the
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

/*
 * The ablation's architectures: the paper's (paper.h) with one change.
 * Only the changed layers' rows differ from paper_layers.
 *
 * paper-relu: ReLU where the squash was; no shape changes, so the paper's
 *   numbers: 60,000 trainable + 840 fixed, 340,908 connections.
 *
 * paper-maxpool, paper-avgpool: S2 and S4 pool without parameters,
 *   4 connections per unit instead of the subsampling's 5 (4 inputs and
 *   the bias):
 *   S2  0 parameters (paper: 6 x 2 = 12); 14x14 x 6 x 4 = 4,704 (5,880)
 *   S4  0 parameters (paper: 16 x 2 = 32); 5x5 x 16 x 4 = 1,600 (2,000)
 *   trainable 60,000 - 12 - 32 = 59,956; connections 340,908 - 5,880
 *   - 2,000 + 4,704 + 1,600 = 339,332.
 *
 * paper-fullc3: C3 reads all six S2 maps:
 *   C3  16 x (6 x 5x5 + 1) = 2,416 parameters (paper: 60 x 25 + 16 = 1,516);
 *       10x10 x 16 x 151 = 241,600 connections (151,600)
 *   trainable 60,000 + 900 = 60,900; connections 340,908 + 90,000 = 430,908.
 *
 * paper-softmax: a full 84 -> 10 layer with biases in place of the RBF:
 *   output 10 x (84 + 1) = 850 trainable (paper: 840 fixed); 850 connections
 *   trainable 60,000 + 850 = 60,850, none fixed; connections 340,908 - 840
 *   + 850 = 340,918.
 */
static const paper_layer pooled_paper_layers[] = {
    { "C1",      156, 122304,   6, 28, 28 },
    { "S2",        0,   4704,   6, 14, 14 },
    { "C3",     1516, 151600,  16, 10, 10 },
    { "S4",        0,   1600,  16,  5,  5 },
    { "C5",    48120,  48120, 120,  1,  1 },
    { "F6",    10164,  10164,  84,  0,  0 },
    { "output",  840,    840,  10,  0,  0 },
};
#define POOLED_PAPER_TRAINABLE 59956
#define POOLED_PAPER_CONNECTIONS 339332

static const paper_layer fullc3_paper_layers[] = {
    { "C1",      156, 122304,   6, 28, 28 },
    { "S2",       12,   5880,   6, 14, 14 },
    { "C3",     2416, 241600,  16, 10, 10 },
    { "S4",       32,   2000,  16,  5,  5 },
    { "C5",    48120,  48120, 120,  1,  1 },
    { "F6",    10164,  10164,  84,  0,  0 },
    { "output",  840,    840,  10,  0,  0 },
};
#define FULLC3_PAPER_TRAINABLE 60900
#define FULLC3_PAPER_CONNECTIONS 430908

static const paper_layer softmax_paper_layers[] = {
    { "C1",      156, 122304,   6, 28, 28 },
    { "S2",       12,   5880,   6, 14, 14 },
    { "C3",     1516, 151600,  16, 10, 10 },
    { "S4",       32,   2000,  16,  5,  5 },
    { "C5",    48120,  48120, 120,  1,  1 },
    { "F6",    10164,  10164,  84,  0,  0 },
    { "output",  850,    850,  10,  0,  0 },
};
#define SOFTMAX_PAPER_TRAINABLE 60850
#define SOFTMAX_PAPER_CONNECTIONS 340918

#endif
