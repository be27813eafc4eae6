/* progress.c: see progress.h. */
#define _POSIX_C_SOURCE 200809L
#include "progress.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

double progress_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

void progress_start(progress *p, const char *label, size_t total)
{
    progress_start_at(p, label, total, 0);
}

void progress_start_at(progress *p, const char *label, size_t total,
                       size_t done)
{
    p->label = label;
    p->total = total;
    p->first = done;
    p->started = progress_now();
    p->tty = isatty(fileno(stderr));
    p->next_report = total / 10;
    while (p->next_report <= done && p->next_report < total)
        p->next_report += total / 10 ? total / 10 : 1;
}

void progress_update(progress *p, size_t done)
{
    double elapsed = progress_now() - p->started;
    double rate = elapsed > 0 ? (double)(done - p->first) / elapsed : 0.0;
    double left = rate > 0 ? (double)(p->total - done) / rate : 0.0;
    if (p->tty) {
        enum { WIDTH = 30 };
        char bar[WIDTH + 1];
        int filled = p->total ? (int)(WIDTH * done / p->total) : WIDTH;
        for (int i = 0; i < WIDTH; i++)
            bar[i] = i < filled ? '#' : '.';
        bar[WIDTH] = '\0';
        fprintf(stderr, "\r%s [%s] %zu/%zu  %.0f images/s  ETA %d:%02d ",
                p->label, bar, done, p->total, rate, (int)left / 60,
                (int)left % 60);
    } else if (done >= p->next_report && done < p->total) {
        fprintf(stderr, "%s: %zu/%zu (%.0f%%), %.0f images/s, %.0f s left\n",
                p->label, done, p->total, 100.0 * done / p->total, rate, left);
        p->next_report += p->total / 10 ? p->total / 10 : 1;
    }
    fflush(stderr);
}

void progress_finish(progress *p)
{
    if (p->tty)
        fputc('\n', stderr);
}
