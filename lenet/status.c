/* status.c: descriptions of the status codes in status.h. */
#include "status.h"

#include <stdarg.h>
#include <stdio.h>

const char *lenet_strerror(lenet_status status)
{
    switch (status) {
    case LENET_OK:      return "success";
    case LENET_ENOMEM:  return "out of memory";
    case LENET_EINVAL:  return "invalid argument";
    case LENET_EIO:     return "input/output error";
    case LENET_EFORMAT: return "malformed contents";
    }
    return "unknown status";
}

lenet_status lenet_fail(lenet_error *err, lenet_status status,
                        const char *format, ...)
{
    if (err) {
        va_list args;
        va_start(args, format);
        vsnprintf(err->message, sizeof err->message, format, args);
        va_end(args);
    }
    return status;
}
