/*
 * synthetic.h: a small labelled set of digits that needs no files, for the
 * suites that train (check_train.c, check_resume.c).
 */
#ifndef VERIFY_SYNTHETIC_H
#define VERIFY_SYNTHETIC_H

#include <stddef.h>

/* count images of 28x28 bytes and their labels: each class's RBF bitmap
   drawn at twice its size, shifted by up to a pixel, on a faintly noisy
   background; image i is of class i % 10. The same seed, the same set. */
void synthetic_digits(unsigned char *images, unsigned char *labels,
                      size_t count, unsigned long seed);

#endif
