/*
 * input.c: placing and normalising one digit (§II.B).
 *
 * The paper maps white to -0.1 and black to 1.175 "so that the mean input is
 * roughly 0 and the variance roughly 1". Over MNIST's training set the mean
 * is indeed near 0 (0.0275), but the variance is 0.123, not 1: values that
 * are mostly -0.1 with a fifth of them near 1.175 cannot spread further (see
 * chapter 2 and verify/check_mnist.c, which measures both).
 */
#include "input.h"

//> input-pixel
double input_pixel(unsigned char byte)
{
    return INPUT_BACKGROUND + (INPUT_INK - INPUT_BACKGROUND) * byte / 255.0;
}
//< input-pixel

//> input-forward
/*
 * A byte has 256 values, so input_pixel's division is done for each of
 * them once, by the compiler: PIXEL(b) is input_pixel's expression, and a
 * constant expression in double comes out as the running program would
 * compute it (IEEE arithmetic, each operation rounded). check_input.c
 * compares every entry with input_pixel, bit for bit.
 */
#define PIXEL(b) (INPUT_BACKGROUND + (INPUT_INK - INPUT_BACKGROUND) * (b) / 255.0)
#define PIXELS4(b) PIXEL(b), PIXEL((b) + 1), PIXEL((b) + 2), PIXEL((b) + 3)
#define PIXELS16(b) PIXELS4(b), PIXELS4((b) + 4), PIXELS4((b) + 8), PIXELS4((b) + 12)
#define PIXELS64(b) PIXELS16(b), PIXELS16((b) + 16), PIXELS16((b) + 32), PIXELS16((b) + 48)
static const double pixel_value[256] = {
    PIXELS64(0), PIXELS64(64), PIXELS64(128), PIXELS64(192)
};

void input_forward(double *out, const unsigned char *digit)
{
    const int margin = (INPUT_SIDE - INPUT_DIGIT_SIDE) / 2;   /* 2 pixels */

    for (int i = 0; i < INPUT_SIDE * INPUT_SIDE; i++)
        out[i] = INPUT_BACKGROUND;
    for (int r = 0; r < INPUT_DIGIT_SIDE; r++)
        for (int c = 0; c < INPUT_DIGIT_SIDE; c++)
            out[(r + margin) * INPUT_SIDE + (c + margin)] =
                pixel_value[digit[r * INPUT_DIGIT_SIDE + c]];
}
//< input-forward
