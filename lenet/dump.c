/* dump.c: see dump.h. */
#include "dump.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "distort.h"
#include "input.h"

/* Opens dir/name for writing, with a first comment line. */
static FILE *create(const char *dir, const char *name, const char *what,
                    lenet_error *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f) {
        lenet_fail(err, LENET_EIO, "%s: cannot write: %s", path, strerror(errno));
        return NULL;
    }
    fprintf(f, "# %s\n", what);
    return f;
}

static lenet_status finish(FILE *f, const char *dir, const char *name,
                           lenet_error *err)
{
    int bad = ferror(f);
    bad |= fclose(f) != 0;
    if (bad)
        return lenet_fail(err, LENET_EIO, "%s/%s: write failed", dir, name);
    return LENET_OK;
}

/* `maps` matrices of rows x cols from v, separated by two blank lines. */
static void write_maps(FILE *f, const double *v, int maps, int rows, int cols)
{
    for (int m = 0; m < maps; m++) {
        if (m)
            fprintf(f, "\n\n");
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                fprintf(f, "%.6g%c", v[((size_t)m * rows + r) * cols + c],
                        c + 1 == cols ? '\n' : ' ');
    }
}

static lenet_status maps_file(const char *dir, const char *name,
                              const char *what, const double *v, int maps,
                              int rows, int cols, lenet_error *err)
{
    FILE *f = create(dir, name, what, err);
    if (!f)
        return LENET_EIO;
    write_maps(f, v, maps, rows, cols);
    return finish(f, dir, name, err);
}

static lenet_status units_file(const char *dir, const char *name,
                               const char *what, const double *v, int n,
                               lenet_error *err)
{
    FILE *f = create(dir, name, what, err);
    if (!f)
        return LENET_EIO;
    for (int i = 0; i < n; i++)
        fprintf(f, "%d %.6g\n", i, v[i]);
    return finish(f, dir, name, err);
}

/* The maps test digit `index` produces, layer by layer. */
static lenet_status dump_maps(net *n, const mnist *test, size_t index,
                              const char *dir, lenet_error *err)
{
    double field[32 * 32];
    input_forward(field, test->images + index * 28 * 28);
    net_forward(n, field);
    char what[160];
    snprintf(what, sizeof what, "test digit %zu (label %d, predicted %d): ",
             index, test->labels[index], net_predict(n));
    char line[256];
    lenet_status s;
#define MAPS(file, text, v, m, r, c)                                        \
    snprintf(line, sizeof line, "%s%s", what, text);                        \
    if ((s = maps_file(dir, file, line, v, m, r, c, err)))                   \
        return s
    MAPS("input.dat", "the 32x32 input field", n->input.x, 1, 32, 32);
    MAPS("c1.dat", "C1 outputs, 6 maps of 28x28", n->c1_out.x, 6, 28, 28);
    MAPS("s2.dat", "S2 outputs, 6 maps of 14x14", n->s2_out.x, 6, 14, 14);
    MAPS("c3.dat", "C3 outputs, 16 maps of 10x10", n->c3_out.x, 16, 10, 10);
    MAPS("s4.dat", "S4 outputs, 16 maps of 5x5", n->s4_out.x, 16, 5, 5);
#undef MAPS
    snprintf(line, sizeof line, "%sC5 outputs: unit value", what);
    if ((s = units_file(dir, "c5.dat", line, n->c5_out.x, 120, err)))
        return s;
    snprintf(line, sizeof line, "%sF6 outputs: unit value", what);
    if ((s = units_file(dir, "f6.dat", line, n->f6_out.x, 84, err)))
        return s;
    snprintf(line, sizeof line, "%sRBF penalties: digit penalty", what);
    return units_file(dir, "output.dat", line, n->y, RBF_CLASSES, err);
}

/* C1's kernels, and C3's in a 16x6 grid (NaN where Table I has none). */
static lenet_status dump_kernels(const net *n, const char *dir,
                                 lenet_error *err)
{
    lenet_status s = maps_file(dir, "kernels-c1.dat",
                               "C1 kernels: 6 blocks of 5x5", n->c1.w, 6, 5, 5, err);
    if (s)
        return s;
    FILE *f = create(dir, "kernels-c3.dat",
                     "C3 kernels: 96 blocks of 5x5, C3 map m-major, S2 map n "
                     "inner (block 6m+n); NaN where Table I has no connection", err);
    if (!f)
        return LENET_EIO;
    const double *k = n->c3.w;
    for (int m = 0; m < 16; m++)
        for (int i = 0; i < 6; i++) {
            if (m || i)
                fprintf(f, "\n\n");
            for (int r = 0; r < 5; r++)
                for (int c = 0; c < 5; c++) {
                    if (conv_connected(&n->c3, m, i))
                        fprintf(f, "%.6g", k[r * 5 + c]);
                    else
                        fprintf(f, "NaN");
                    fputc(c == 4 ? '\n' : ' ', f);
                }
            if (conv_connected(&n->c3, m, i))
                k += 25;
        }
    return finish(f, dir, "kernels-c3.dat", err);
}

/* The confusion matrix and every misclassified test digit. */
static lenet_status dump_errors(net *n, const mnist *test, const char *dir,
                                lenet_error *err)
{
    unsigned long confusion[10][10] = { { 0 } };
    FILE *img = create(dir, "mistakes.dat",
                       "misclassified test digits: 28x28 blocks of bytes "
                       "(0 background, 255 ink), listed in mistakes.txt", err);
    if (!img)
        return LENET_EIO;
    FILE *txt = create(dir, "mistakes.txt", "block test_index true predicted", err);
    if (!txt) {
        fclose(img);
        return LENET_EIO;
    }
    double field[32 * 32];
    size_t blocks = 0;
    for (size_t i = 0; i < test->count; i++) {
        const unsigned char *digit = test->images + i * 28 * 28;
        input_forward(field, digit);
        net_forward(n, field);
        int truth = test->labels[i], guess = net_predict(n);
        confusion[truth][guess]++;
        if (truth == guess)
            continue;
        if (blocks)
            fprintf(img, "\n\n");
        for (int r = 0; r < 28; r++)
            for (int c = 0; c < 28; c++)
                fprintf(img, "%d%c", digit[r * 28 + c], c == 27 ? '\n' : ' ');
        fprintf(txt, "%zu %zu %d %d\n", blocks++, i, truth, guess);
    }
    lenet_status s = finish(img, dir, "mistakes.dat", err);
    lenet_status t = finish(txt, dir, "mistakes.txt", err);
    if (s || t)
        return s ? s : t;
    FILE *f = create(dir, "confusion.dat",
                     "confusion matrix of the test set: row = true digit, "
                     "column = predicted digit", err);
    if (!f)
        return LENET_EIO;
    for (int d = 0; d < 10; d++)
        for (int p = 0; p < 10; p++)
            fprintf(f, "%lu%c", confusion[d][p], p == 9 ? '\n' : ' ');
    return finish(f, dir, "confusion.dat", err);
}

/* The fixed tables: Table I, the bitmaps, the layers. */
static lenet_status dump_tables(const net *n, const char *dir, lenet_error *err)
{
    FILE *f = create(dir, "c3-table.dat",
                     "Table I: row = S2 map (0-5), column = C3 map (0-15), "
                     "1 = connected", err);
    if (!f)
        return LENET_EIO;
    for (int i = 0; i < 6; i++)
        for (int m = 0; m < 16; m++)
            fprintf(f, "%d%c", conv_connected(&n->c3, m, i), m == 15 ? '\n' : ' ');
    lenet_status s = finish(f, dir, "c3-table.dat", err);
    if (s)
        return s;
    double bitmaps[RBF_CLASSES * RBF_BITMAP_ROWS * RBF_BITMAP_COLS];
    for (int d = 0; d < RBF_CLASSES; d++)
        for (int r = 0; r < RBF_BITMAP_ROWS; r++)
            for (int c = 0; c < RBF_BITMAP_COLS; c++)
                bitmaps[(d * RBF_BITMAP_ROWS + r) * RBF_BITMAP_COLS + c] =
                    rbf_bitmap(d, r, c);
    s = maps_file(dir, "bitmaps.dat",
                  "RBF centres: 10 blocks of 12 rows x 7 columns, +1 ink, -1 paper",
                  bitmaps, RBF_CLASSES, RBF_BITMAP_ROWS, RBF_BITMAP_COLS, err);
    if (s)
        return s;
    f = create(dir, "layers.dat",
               "layer type maps rows cols params connections trainable "
               "(rows = cols = 0: a vector of `maps` units)", err);
    if (!f)
        return LENET_EIO;
    net_layer_info info[NET_LAYERS];
    net_describe(n, info);
    fprintf(f, "input image 1 32 32 0 0 0\n");
    for (int i = 0; i < NET_LAYERS; i++)
        fprintf(f, "%s \"%s\" %d %d %d %zu %zu %d\n", info[i].name, info[i].type,
                info[i].maps, info[i].rows, info[i].cols, info[i].params,
                info[i].connections, info[i].trainable);
    return finish(f, dir, "layers.dat", err);
}

lenet_status dump_all(net *n, const mnist *test, size_t index,
                      const char *dir, lenet_error *err)
{
    if (index >= test->count)
        return lenet_fail(err, LENET_EINVAL, "test digit %zu: there are only %zu",
                          index, test->count);
    lenet_status s = dump_maps(n, test, index, dir, err);
    if (!s)
        s = dump_kernels(n, dir, err);
    if (!s)
        s = dump_errors(n, test, dir, err);
    if (!s)
        s = dump_tables(n, dir, err);
    return s;
}

lenet_status dump_distortions(const unsigned char *digit, int count,
                              unsigned long seed, const char *dir,
                              lenet_error *err)
{
    if (count < 0)
        return lenet_fail(err, LENET_EINVAL, "%d distortions", count);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!rng)
        return lenet_fail(err, LENET_ENOMEM, "out of memory");
    gsl_rng_set(rng, seed);
    FILE *img = create(dir, "distortions.dat", "a digit, then random "
                       "distortions of it (distort.h): 28x28 blocks of bytes, "
                       "0 paper, 255 ink", err);
    FILE *txt = img ? create(dir, "distortions.txt",
                             "block dx dy scale squeeze shear", err) : NULL;
    lenet_status s = LENET_EIO;
    if (!img || !txt)
        goto done;
    for (int b = 0; b <= count; b++) {
        distort_params p = b ? distort_draw(rng) : distort_identity();
        unsigned char out[28 * 28];
        distort_apply(out, digit, &p);
        if (b)
            fprintf(img, "\n\n");
        for (int i = 0; i < 28 * 28; i++)
            fprintf(img, "%d%c", out[i], i % 28 == 27 ? '\n' : ' ');
        fprintf(txt, "%d %.3f %.3f %.3f %.3f %.3f\n", b, p.dx, p.dy, p.scale,
                p.squeeze, p.shear);
    }
    s = finish(img, dir, "distortions.dat", err);
    img = NULL;
    lenet_status t = finish(txt, dir, "distortions.txt", err);
    txt = NULL;
    if (!s)
        s = t;
done:
    if (img)
        fclose(img);
    if (txt)
        fclose(txt);
    gsl_rng_free(rng);
    return s;
}
