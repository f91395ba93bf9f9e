#include <config.h>
#include <stdio.h>
#include <string.h>
#include "tmkit/error.h"

int tmk_error_set(tmk_error *err, int code, unsigned long line,
                  unsigned long col, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        err->code = code;
        err->line = line;
        err->col = col;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return code;
}

void tmk_error_clear(tmk_error *err)
{
    if (err) {
        const char *file = err->file;
        memset(err, 0, sizeof *err);
        err->file = file;
    }
}

const char *tmk_strerror(int code)
{
    switch (code) {
    case TMK_OK: return "no error";
    case TMK_ENOMEM: return "out of memory";
    case TMK_EIO: return "input/output error";
    case TMK_EENCODING: return "bad character encoding";
    case TMK_ESYNTAX: return "syntax error";
    case TMK_EINVAL: return "invalid argument";
    case TMK_ENOTFOUND: return "not found";
    case TMK_ELIMIT: return "limit exceeded";
    case TMK_EFORMAT: return "not a text file";
    default: return "unknown error";
    }
}
