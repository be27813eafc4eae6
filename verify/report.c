/* report.c: see report.h. */
#include "report.h"

#include <string.h>

#include "paper.h"

#define MAX_ROWS 32

typedef struct {
    const char *name;
    int counted, checked;
    size_t params, connections;
    gradcheck_result grad;
    int grad_ok;
} row;

static row rows[MAX_ROWS];
static int nrows;

/* Rows appear in the paper's layer order, then in the order first seen. */
static int rank(const char *name)
{
    const paper_layer *p = paper_find(name);
    return p ? (int)(p - paper_layers) : strcmp(name, "network") == 0 ? 200 : 100;
}

static row *find(const char *name)
{
    for (int i = 0; i < nrows; i++)
        if (strcmp(rows[i].name, name) == 0)
            return &rows[i];
    if (nrows == MAX_ROWS)
        return NULL;
    int at = nrows;
    while (at > 0 && rank(rows[at - 1].name) > rank(name)) {
        rows[at] = rows[at - 1];
        at--;
    }
    nrows++;
    rows[at] = (row){ .name = name };
    return &rows[at];
}

void report_counts(const char *name, size_t params, size_t connections)
{
    row *r = find(name);
    if (!r)
        return;
    r->counted = 1;
    r->params = params;
    r->connections = connections;
}

void report_gradient(const char *name, const gradcheck_result *g)
{
    row *r = find(name);
    if (!r)
        return;
    int ok = gradcheck_ok(g);
    if (!r->checked) {
        r->grad = *g;
        r->grad_ok = ok;
    } else {
        r->grad = gradcheck_worse(r->grad, *g);
        r->grad_ok = r->grad_ok && ok;
    }
    r->checked = 1;
}

static void number(char *buf, size_t size, int known, size_t value)
{
    if (known)
        snprintf(buf, size, "%zu", value);
    else
        snprintf(buf, size, "-");
}

int report_print(FILE *out)
{
    int bad = 0;
    if (nrows == 0)
        return 0;
    fprintf(out, "\n%-14s %9s %9s %12s %12s %12s  %s\n", "layer",
            "params", "params", "connections", "connections", "max rel.", "ok");
    fprintf(out, "%-14s %9s %9s %12s %12s %12s\n", "", "(paper)", "(here)",
            "(paper)", "(here)", "grad. error");
    for (int i = 0; i < nrows; i++) {
        const row *r = &rows[i];
        size_t paper_params = 0, paper_connections = 0;
        int known = paper_counts(r->name, &paper_params, &paper_connections);
        char pp[24], hp[24], pc[24], hc[24], ge[24];
        number(pp, sizeof pp, known, paper_params);
        number(pc, sizeof pc, known, paper_connections);
        number(hp, sizeof hp, r->counted, r->params);
        number(hc, sizeof hc, r->counted, r->connections);
        if (r->checked)
            snprintf(ge, sizeof ge, "%.2e", r->grad.max_error);
        else
            snprintf(ge, sizeof ge, "-");
        int ok = (!r->counted || (known && paper_params == r->params &&
                                  paper_connections == r->connections)) &&
                 (!r->checked || r->grad_ok);
        bad += !ok;
        fprintf(out, "%-14s %9s %9s %12s %12s %12s  %s\n", r->name, pp, hp,
                pc, hc, ge, ok ? "yes" : "NO");
    }
    fprintf(out, "(gradient error: |analytic - numeric| / max(|analytic|, "
                 "|numeric|, %g); bound %g)\n\n", GRADCHECK_FLOOR,
            GRADCHECK_TOLERANCE);
    return bad;
}
