/* synthetic.c: see synthetic.h. */
#include "synthetic.h"

#include "harness.h"
#include "rbf.h"

void synthetic_digits(unsigned char *images, unsigned char *labels,
                      size_t count, unsigned long seed)
{
    gsl_rng *rng = test_rng(seed);
    for (size_t i = 0; i < count; i++) {
        unsigned char *img = images + i * 28 * 28;
        int digit = (int)(i % 10);
        int dr = (int)gsl_rng_uniform_int(rng, 3) - 1;
        int dc = (int)gsl_rng_uniform_int(rng, 3) - 1;
        for (int p = 0; p < 28 * 28; p++)
            img[p] = (unsigned char)gsl_rng_uniform_int(rng, 40);
        for (int r = 0; r < 24; r++)
            for (int c = 0; c < 14; c++)
                if (rbf_bitmap(digit, r / 2, c / 2) > 0)
                    img[(2 + dr + r) * 28 + (7 + dc + c)] = 255;
        labels[i] = (unsigned char)digit;
    }
    gsl_rng_free(rng);
}
