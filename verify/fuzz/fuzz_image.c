/*
 * fuzz_image.c: libFuzzer target for the digit readers (image.h): the input
 * is an image file, PGM (P2, P5) or PNG or anything else, which image_read
 * reads (choosing the format by its first bytes) and image_to_mnist, when
 * the read succeeds, makes into a 28x28 digit.
 *
 * Checked beyond "no crash, no leak, no sanitizer report": a read that
 * fails leaves the image zeroed, one that succeeds has a size image.h
 * allows; every failure's message is one line, and image_read's names the
 * file.
 */
#define _GNU_SOURCE            /* memfd_create (fuzz_file.h) */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_file.h"
#include "image.h"

static fuzz_file file;
static volatile unsigned sink;    /* keeps the reads of the digit */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (file.path[0] == '\0')
        fuzz_file_open(&file);
    fuzz_file_write(&file, data, size);

    image img;
    lenet_error err = { "" };
    if (image_read(&img, file.path, &err) != LENET_OK) {
        if (img.rows || img.cols || img.pixels)
            fuzz_die("a failed read left the image filled", err.message);
        fuzz_check_message(&err, file.path);
        return 0;
    }
    if (img.rows < 1 || img.rows > IMAGE_MAX_SIDE || img.cols < 1 ||
        img.cols > IMAGE_MAX_SIDE || !img.pixels)
        fuzz_die("a read image breaks image.h's promises", file.path);

    unsigned char digit[28 * 28];
    lenet_error why = { "" };
    if (image_to_mnist(&img, digit, &why) == LENET_OK) {
        unsigned sum = 0;
        for (int i = 0; i < 28 * 28; i++)
            sum += digit[i];
        sink = sum;
    } else {
        fuzz_check_message(&why, NULL);
    }
    image_free(&img);
    image_free(&img);                   /* freeing twice is safe */
    return 0;
}
