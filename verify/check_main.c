/*
 * check_main.c: the runner behind `make verify`. It runs every suite (or the
 * checks of one chapter: --chapter N), prints the counts-and-gradients table
 * and then Check's own summary; its exit status is the verdict.
 *
 * Tests run in this one process (CK_NOFORK) so that they can fill the table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define CHAPTERS 11

static int usage(const char *problem)
{
    fprintf(stderr, "check_lenet: %s\nusage: check_lenet [--chapter N]  "
                    "(N from 1 to %d)\n", problem, CHAPTERS);
    return 2;
}

int main(int argc, char **argv)
{
    int chapter = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--chapter") == 0 && i + 1 < argc) {
            char *end;
            long c = strtol(argv[++i], &end, 10);
            if (*argv[i] == '\0' || *end != '\0' || c < 1 || c > CHAPTERS)
                return usage("--chapter takes a chapter number");
            chapter = (int)c;
        } else {
            return usage("unknown argument");
        }
    }

    SRunner *sr = srunner_create(input_suite());
    srunner_add_suite(sr, squash_suite());
    srunner_add_suite(sr, conv_suite());
    srunner_add_suite(sr, subsample_suite());
    srunner_add_suite(sr, full_suite());
    srunner_add_suite(sr, rbf_suite());
    srunner_add_suite(sr, loss_suite());
    srunner_add_suite(sr, net_suite());
    srunner_add_suite(sr, mnist_suite());
    srunner_add_suite(sr, model_suite());
    srunner_add_suite(sr, train_suite());
    srunner_add_suite(sr, image_suite());
    srunner_add_suite(sr, resume_suite());
    srunner_add_suite(sr, relu_suite());
    srunner_add_suite(sr, pool_suite());
    srunner_add_suite(sr, softmax_suite());
    srunner_add_suite(sr, optim_suite());
    srunner_add_suite(sr, distort_suite());
    srunner_add_suite(sr, arch_suite());
    srunner_add_suite(sr, speed_suite());
    srunner_set_fork_status(sr, CK_NOFORK);

    char tag[16] = "";
    if (chapter) {
        snprintf(tag, sizeof tag, "ch%d", chapter);
        printf("Running the checks of chapter %d...\n", chapter);
    } else {
        printf("Running the checks of every chapter...\n");
    }
    fflush(stdout);
    srunner_run_tagged(sr, NULL, NULL, chapter ? tag : NULL, NULL, CK_SILENT);

    int bad_rows = report_print(stdout);
    srunner_print(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 && bad_rows == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
