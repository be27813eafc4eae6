/*
 * input.c: placing and normalising one digit (§II.B).
 *
 * The paper maps white to -0.1 and black to 1.175 so that, over the whole
 * training set, inputs have a mean near 0 and a variance near 1: the weights
 * of C1 then start in the regime where the squashing function is not saturated.
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
