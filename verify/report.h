/*
 * report.h: the table `make verify` prints before Check's summary: for each
 * layer, the paper's counts beside the computed ones, and the worst
 * gradient error any test measured for it. Tests record into it as they run
 * (the runner runs them in one process, CK_NOFORK, for that reason).
 */
#ifndef VERIFY_REPORT_H
#define VERIFY_REPORT_H

#include <stdio.h>

#include "gradcheck.h"

/* Records a layer's computed counts; the paper's come from paper.h. */
void report_counts(const char *row, size_t params, size_t connections);

/* Records a gradient check; a row keeps the worst of its checks. */
void report_gradient(const char *row, const gradcheck_result *r);

/* Prints the rows recorded so far. Returns the number of rows not ok. */
int report_print(FILE *out);

#endif
