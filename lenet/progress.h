/*
 * progress.h: progress of long work (a training pass) on stderr. On a
 * terminal, one line redrawn in place: a bar, the count, the rate and the
 * time left. Elsewhere (a log, CI), a plain line every tenth of the work.
 * This is the one lenet/ module besides main.c that prints: it exists to.
 */
#ifndef LENET_PROGRESS_H
#define LENET_PROGRESS_H

#include <stddef.h>

typedef struct {
    const char *label;     /* e.g. "pass 3/20" */
    size_t total;
    size_t first;          /* the count at the start: a resumed pass's */
    double started;        /* seconds, monotonic */
    int tty;
    size_t next_report;    /* plain mode: the count of the next line */
} progress;

double progress_now(void);                     /* monotonic seconds */
void progress_start(progress *p, const char *label, size_t total);
/* The same for work of which `done` was done before (a resumed pass). */
void progress_start_at(progress *p, const char *label, size_t total,
                       size_t done);
void progress_update(progress *p, size_t done);
void progress_finish(progress *p);             /* ends the bar's line */

#endif
