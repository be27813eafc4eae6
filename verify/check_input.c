/* check_input.c: the input layer's normalisation and placement (§II.B). */
#include "harness.h"

#include <string.h>

#include "input.h"

START_TEST(input_pixel_values)
{
    ck_assert_double_eq_tol(input_pixel(0), -0.1, 1e-15);
    ck_assert_double_eq_tol(input_pixel(255), 1.175, 1e-15);
    ck_assert_double_eq_tol(input_pixel(51), -0.1 + 1.275 * 0.2, 1e-15);
    for (int b = 1; b < 256; b++)
        ck_assert(input_pixel((unsigned char)b) > input_pixel((unsigned char)(b - 1)));
}
END_TEST

/* input_forward reads a table of the 256 values (input.c): each entry is
   input_pixel's, to the last bit. */
START_TEST(input_table_is_input_pixel)
{
    unsigned char digit[28 * 28];
    double field[32 * 32];
    for (int b = 0; b < 256; b++) {
        memset(digit, b, sizeof digit);
        input_forward(field, digit);
        double want = input_pixel((unsigned char)b);
        ck_assert_mem_eq(&field[5 * 32 + 7], &want, sizeof want);
        ck_assert_mem_eq(&field[29 * 32 + 29], &want, sizeof want);
    }
}
END_TEST

//> test-input-placement
START_TEST(input_placement)
{
    unsigned char digit[28 * 28];
    double field[32 * 32];
    for (int i = 0; i < 28 * 28; i++)
        digit[i] = 255;                 /* a fully inked square */
    digit[0] = 0;                       /* but for its top-left corner */
    input_forward(field, digit);

    int inked = 0;
    for (int r = 0; r < 32; r++)
        for (int c = 0; c < 32; c++) {
            int inside = r >= 2 && r < 30 && c >= 2 && c < 30;
            double v = field[r * 32 + c];
            if (!inside || (r == 2 && c == 2))
                ck_assert_double_eq_tol(v, -0.1, 1e-15);
            else
                ck_assert_double_eq_tol(v, 1.175, 1e-15);
            inked += v > 0;
        }
    ck_assert_int_eq(inked, 28 * 28 - 1);
}
END_TEST
//< test-input-placement

Suite *input_suite(void)
{
    Suite *s = suite_create("input");
    TCase *tc = chapter_tcase(s, "input", 2);
    tcase_add_test(tc, input_pixel_values);
    tcase_add_test(tc, input_table_is_input_pixel);
    tcase_add_test(tc, input_placement);
    return s;
}
