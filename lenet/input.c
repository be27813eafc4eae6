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
void input_forward(double *out, const unsigned char *digit)
{
    const int margin = (INPUT_SIDE - INPUT_DIGIT_SIDE) / 2;   /* 2 pixels */

    for (int i = 0; i < INPUT_SIDE * INPUT_SIDE; i++)
        out[i] = INPUT_BACKGROUND;
    for (int r = 0; r < INPUT_DIGIT_SIDE; r++)
        for (int c = 0; c < INPUT_DIGIT_SIDE; c++)
            out[(r + margin) * INPUT_SIDE + (c + margin)] =
                input_pixel(digit[r * INPUT_DIGIT_SIDE + c]);
}
//< input-forward
