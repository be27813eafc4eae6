/* status.c: descriptions of the status codes in status.h. */
#include "status.h"

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
