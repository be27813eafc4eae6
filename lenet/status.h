/*
 * status.h: the one set of status codes every lenet/ function returns.
 *
 * Library code never prints and never exits (see README, "Errors"): it returns
 * one of these and the caller, in the end `lenet`'s main(), turns it into a
 * one-line message. This is GSL's convention (gsl_errno.h), made smaller.
 */
#ifndef LENET_STATUS_H
#define LENET_STATUS_H

typedef enum {
    LENET_OK = 0,   /* success */
    LENET_ENOMEM,   /* an allocation failed */
    LENET_EINVAL,   /* an argument or a shape does not make sense */
    LENET_EIO,      /* a file could not be opened, read or written */
    LENET_EFORMAT,  /* a file was read but its contents are wrong */
} lenet_status;

/* A short, constant, lower-case description of `status`, for messages. */
const char *lenet_strerror(lenet_status status);

/*
 * What went wrong, in one line, for functions that deal with the outside
 * world (files, images): the caller prints `message` as it is, e.g.
 * "data/mnist/train-labels-idx1-ubyte: truncated: 59,000 of 60,000 labels".
 */
typedef struct {
    char message[512];
} lenet_error;

/* Formats err->message (if err is not NULL) and returns `status`. */
lenet_status lenet_fail(lenet_error *err, lenet_status status,
                        const char *format, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

#endif
