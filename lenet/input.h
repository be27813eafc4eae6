/*
 * input.h: the input layer. An MNIST digit (28x28 bytes, 0 = background,
 * 255 = full ink) becomes the 32x32 field of real numbers LeNet-5 reads.
 *
 * It has no parameters and no backward pass: nothing is learned here. It is
 * deliberately not a data loader (see mnist.h for files).
 */
#ifndef LENET_INPUT_H
#define LENET_INPUT_H

#define INPUT_SIDE 32          /* the field LeNet-5 reads, §II.B */
#define INPUT_DIGIT_SIDE 28    /* an MNIST image, §III.A */
#define INPUT_BACKGROUND (-0.1)
#define INPUT_INK 1.175

/* The real value of an MNIST byte: -0.1 for 0, 1.175 for 255, linear between. */
double input_pixel(unsigned char byte);

/*
 * Writes the 32x32 field: the 28x28 `digit` in the middle, 2 pixels of
 * background on every side.
 */
void input_forward(double *out,                /* out: 1@32x32 */
                   const unsigned char *digit); /* in:  28x28 bytes */

#endif
