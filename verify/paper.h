/*
 * paper.h: the numbers of LeNet-5 as the paper states them (§II.B), written
 * once. The tests compare them with what the modules compute from their
 * shapes; nothing in lenet/ reads this file.
 */
#ifndef VERIFY_PAPER_H
#define VERIFY_PAPER_H

#include <stddef.h>
#include <string.h>

typedef struct {
    const char *layer;
    size_t params, connections;
    int maps, rows, cols;       /* output shape; rows = cols = 0: a vector */
} paper_layer;

//> paper-numbers
static const paper_layer paper_layers[] = {
    { "C1",      156, 122304,   6, 28, 28 },
    { "S2",       12,   5880,   6, 14, 14 },
    { "C3",     1516, 151600,  16, 10, 10 },
    { "S4",       32,   2000,  16,  5,  5 },
    { "C5",    48120,  48120, 120,  1,  1 },
    { "F6",    10164,  10164,  84,  0,  0 },
    { "output",  840,    840,  10,  0,  0 },  /* fixed, not trained */
};
#define PAPER_TRAINABLE 60000
#define PAPER_CONNECTIONS 340908
//< paper-numbers

/* The row for `layer`, or NULL. */
static inline const paper_layer *paper_find(const char *layer)
{
    for (size_t i = 0; i < sizeof paper_layers / sizeof paper_layers[0]; i++)
        if (strcmp(paper_layers[i].layer, layer) == 0)
            return &paper_layers[i];
    return NULL;
}

/* The paper's counts for a report row: a layer, or "network" (trainable
   parameters, all connections). 0 when the paper gives none. */
static inline int paper_counts(const char *row, size_t *params,
                               size_t *connections)
{
    const paper_layer *p = paper_find(row);
    if (p) {
        *params = p->params;
        *connections = p->connections;
        return 1;
    }
    if (strcmp(row, "network") == 0) {
        *params = PAPER_TRAINABLE;
        *connections = PAPER_CONNECTIONS;
        return 1;
    }
    return 0;
}

#endif
