/*
 * check_distort.c: the affine distortions of §III.C (chapter 11): the
 * identity and whole-pixel shifts are exact, the draws stay within the
 * documented magnitudes and follow the seed, a full-ink field stays within
 * the byte range, ink is conserved up to the area factor, and the trainer
 * distorts what it presents.
 */
#define _POSIX_C_SOURCE 200809L
#include "harness.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "distort.h"
#include "dump.h"
#include "synthetic.h"
#include "train.h"

enum { SIDE = DISTORT_SIDE, PIXELS = SIDE * SIDE };

/* A "0": a ring of radius 7 and width 3 about the field's centre, with
   soft edges; 13.5 + 7 + 1.5 = 22 leaves room for any distortion. */
static void ring(unsigned char *img)
{
    for (int r = 0; r < SIDE; r++)
        for (int c = 0; c < SIDE; c++) {
            double d = hypot(r - 13.5, c - 13.5) - 7.0;
            double ink = 1.5 - fabs(d);               /* > 0 on the ring */
            img[r * SIDE + c] = (unsigned char)(ink >= 1.0 ? 255 :
                                ink <= 0.0 ? 0 : lround(255 * ink));
        }
}

static double mass(const unsigned char *img)
{
    double sum = 0.0;
    for (int i = 0; i < PIXELS; i++)
        sum += img[i];
    return sum;
}

START_TEST(identity_changes_nothing)
{
    unsigned char images[10 * PIXELS], labels[10], out[PIXELS];
    synthetic_digits(images, labels, 10, 141);
    distort_params id = distort_identity();
    for (int i = 0; i < 10; i++) {
        distort_apply(out, images + i * PIXELS, &id);
        ck_assert(memcmp(out, images + i * PIXELS, PIXELS) == 0);
    }
}
END_TEST

START_TEST(whole_pixel_shift_is_exact)
{
    unsigned char in[PIXELS], out[PIXELS], labels[1];
    synthetic_digits(in, labels, 1, 142);
    const int shifts[][2] = { { 2, 0 }, { 0, -2 }, { -1, 2 }, { 3, 3 } };
    for (size_t s = 0; s < sizeof shifts / sizeof shifts[0]; s++) {
        int dx = shifts[s][0], dy = shifts[s][1];
        distort_params p = distort_identity();
        p.dx = dx;
        p.dy = dy;
        distort_apply(out, in, &p);
        for (int r = 0; r < SIDE; r++)
            for (int c = 0; c < SIDE; c++) {
                int r0 = r - dy, c0 = c - dx;
                int expect = r0 < 0 || r0 >= SIDE || c0 < 0 || c0 >= SIDE
                           ? 0 : in[r0 * SIDE + c0];
                ck_assert_msg(out[r * SIDE + c] == expect, "shift (%d, %d): "
                              "pixel (%d, %d) is %d, not %d", dx, dy, r, c,
                              out[r * SIDE + c], expect);
            }
    }
}
END_TEST

START_TEST(draws_stay_within_the_magnitudes)
{
    gsl_rng *rng = test_rng(143);
    double lo[5] = { 1e9, 1e9, 1e9, 1e9, 1e9 }, hi[5] = { -1e9, -1e9, -1e9,
                                                           -1e9, -1e9 };
    const double limit[5] = { DISTORT_SHIFT, DISTORT_SHIFT, DISTORT_SCALE,
                              DISTORT_SQUEEZE, DISTORT_SHEAR };
    for (int i = 0; i < 10000; i++) {
        distort_params p = distort_draw(rng);
        double v[5] = { p.dx, p.dy, p.scale - 1.0, p.squeeze, p.shear };
        for (int k = 0; k < 5; k++) {
            lo[k] = fmin(lo[k], v[k]);
            hi[k] = fmax(hi[k], v[k]);
        }
    }
    gsl_rng_free(rng);
    for (int k = 0; k < 5; k++) {       /* within, and reaching the ends */
        ck_assert(lo[k] >= -limit[k] && hi[k] <= limit[k]);
        ck_assert(lo[k] < -0.99 * limit[k] && hi[k] > 0.99 * limit[k]);
    }
}
END_TEST

START_TEST(same_seed_same_distortions)
{
    unsigned char in[PIXELS], a[PIXELS], b[PIXELS], labels[1];
    synthetic_digits(in, labels, 1, 144);
    gsl_rng *r1 = test_rng(7), *r2 = test_rng(7), *r3 = test_rng(8);
    int differ = 0;
    for (int i = 0; i < 20; i++) {
        distort_params p = distort_draw(r1), q = distort_draw(r2);
        distort_apply(a, in, &p);
        distort_apply(b, in, &q);
        ck_assert(memcmp(a, b, PIXELS) == 0);
        distort_params o = distort_draw(r3);
        distort_apply(b, in, &o);
        differ += memcmp(a, b, PIXELS) != 0;
    }
    ck_assert_int_eq(differ, 20);
    gsl_rng_free(r1);
    gsl_rng_free(r2);
    gsl_rng_free(r3);
}
END_TEST

/* A field of full ink: every pixel whose source lies inside the field
   (with its neighbours) stays exactly 255, however the weights round, and
   none wraps around to a small value. */
START_TEST(full_ink_stays_in_range)
{
    unsigned char in[PIXELS], out[PIXELS];
    memset(in, 255, PIXELS);
    gsl_rng *rng = test_rng(145);
    for (int i = 0; i < 200; i++) {
        distort_params p = distort_draw(rng);
        distort_apply(out, in, &p);
        /* the centre's source is within |d| / 0.81 + shear of it: inside */
        for (int r = 10; r < 18; r++)
            for (int c = 10; c < 18; c++)
                ck_assert_int_eq(out[r * SIDE + c], 255);
    }
    gsl_rng_free(rng);
}
END_TEST

/*
 * The map multiplies areas by sx sy = s^2 (1 - q^2), so the ink of a digit
 * that stays inside the field is multiplied by that too, up to what
 * bilinear resampling (which, shrinking, samples between pixels rather
 * than averaging them) and rounding to bytes add. Over 500 draws the
 * worst measured was 1.7%; the bound is 4%. A map whose area were s, not
 * s^2, would be off by up to 10%.
 */
START_TEST(ink_follows_the_area)
{
    unsigned char in[PIXELS], out[PIXELS];
    ring(in);
    double m0 = mass(in), worst = 0.0;
    gsl_rng *rng = test_rng(146);
    for (int i = 0; i < 500; i++) {
        distort_params p = distort_draw(rng);
        distort_apply(out, in, &p);
        double area = p.scale * p.scale * (1 - p.squeeze * p.squeeze);
        worst = fmax(worst, fabs(mass(out) / (m0 * area) - 1.0));
    }
    gsl_rng_free(rng);
    ck_assert_msg(worst < 0.04, "ink differs from the area factor by %.2f%%",
                  100 * worst);
}
END_TEST

enum { SMALL = 100 };

/* One SGD pass over 100 synthetic digits from a network seeded 90 and a
   trainer generator seeded `seed`; the parameters after it in params. */
static void one_pass(double distort, unsigned long seed, double *params)
{
    static unsigned char images[SMALL * PIXELS], labels[SMALL];
    synthetic_digits(images, labels, SMALL, 91);
    train_data d = { images, labels, SMALL };
    train_options opt = { TRAIN_SGD, LOSS_ML, 0, 0.001, 1, distort };
    net n;
    build_net(&n, 90);
    gsl_rng *rng = test_rng(seed);
    trainer t;
    ck_assert_int_eq(trainer_init(&t, &n, &opt, SMALL, rng), LENET_OK);
    trainer_begin_pass(&t, &d, 1);
    ck_assert_int_eq(trainer_run(&t, &d, SMALL), TRAIN_FINITE);
    memcpy(params, n.params, n.num_params * sizeof *params);
    trainer_free(&t);
    gsl_rng_free(rng);
    net_free(&n);
}

/* Distortions change what the network learns from, and the seed fixes
   them: the same seed twice gives the same parameters bit for bit. */
START_TEST(trainer_distorts_reproducibly)
{
    static double plain[60000], d1[60000], d2[60000];
    one_pass(0.0, 92, plain);
    one_pass(1.0, 92, d1);
    one_pass(1.0, 92, d2);
    ck_assert(memcmp(d1, d2, sizeof d1) == 0);
    ck_assert(memcmp(plain, d1, sizeof d1) != 0);

    net n;
    build_net(&n, 90);
    gsl_rng *rng = test_rng(92);
    trainer t;
    train_options bad = { TRAIN_SGD, LOSS_ML, 0, 0.001, 1, 1.5 };
    ck_assert_int_eq(trainer_init(&t, &n, &bad, SMALL, rng), LENET_EINVAL);
    bad.distort = NAN;
    ck_assert_int_eq(trainer_init(&t, &n, &bad, SMALL, rng), LENET_EINVAL);
    gsl_rng_free(rng);
    net_free(&n);
}
END_TEST

/* The figure's data: the digit itself, then the distortions a generator
   with the same seed draws, with their parameters beside them. */
START_TEST(dump_writes_the_digit_and_its_distortions)
{
    char dir[] = "/tmp/lenet-distort-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    unsigned char in[PIXELS], expect[PIXELS], labels[1];
    synthetic_digits(in, labels, 1, 147);
    lenet_error err = { "" };
    ck_assert_msg(dump_distortions(in, 3, 5, dir, &err) == LENET_OK, "%s",
                  err.message);

    char path[256];
    snprintf(path, sizeof path, "%s/distortions.dat", dir);
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(fscanf(f, "%*[^\n]"), 0);       /* the # line */
    gsl_rng *rng = test_rng(5);
    for (int b = 0; b <= 3; b++) {
        distort_params p = b ? distort_draw(rng) : distort_identity();
        distort_apply(expect, in, &p);
        for (int i = 0; i < PIXELS; i++) {
            int v;
            ck_assert_int_eq(fscanf(f, "%d", &v), 1);
            ck_assert_msg(v == expect[i], "block %d, pixel %d: %d, not %d",
                          b, i, v, expect[i]);
        }
    }
    int extra;
    ck_assert_int_eq(fscanf(f, "%d", &extra), EOF);
    fclose(f);
    gsl_rng_free(rng);

    snprintf(path, sizeof path, "%s/distortions.txt", dir);
    f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    int lines = 0, c;
    while ((c = fgetc(f)) != EOF)
        lines += c == '\n';
    fclose(f);
    ck_assert_int_eq(lines, 1 + 4);                 /* header, 4 blocks */
    unlink(path);
    snprintf(path, sizeof path, "%s/distortions.dat", dir);
    unlink(path);
    rmdir(dir);

    ck_assert_int_eq(dump_distortions(in, 3, 5, "/nonexistent/dir", &err),
                     LENET_EIO);
    ck_assert_ptr_nonnull(strstr(err.message, "/nonexistent/dir"));
}
END_TEST

Suite *distort_suite(void)
{
    Suite *s = suite_create("distort");
    TCase *tc = chapter_tcase(s, "distortions", 11);
    tcase_add_test(tc, identity_changes_nothing);
    tcase_add_test(tc, whole_pixel_shift_is_exact);
    tcase_add_test(tc, draws_stay_within_the_magnitudes);
    tcase_add_test(tc, same_seed_same_distortions);
    tcase_add_test(tc, full_ink_stays_in_range);
    tcase_add_test(tc, ink_follows_the_area);
    tcase_add_test(tc, trainer_distorts_reproducibly);
    tcase_add_test(tc, dump_writes_the_digit_and_its_distortions);
    return s;
}
