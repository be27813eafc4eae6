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

#endif
