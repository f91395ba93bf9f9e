#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tmkit/tmkit.h"

/* The one place an error is filled in. */
static int error_vset(tmk_error *err, int code, int detail, unsigned long line,
                      unsigned long col, const char *fmt, va_list ap)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 0)))
#endif
    ;
static int error_vset(tmk_error *err, int code, int detail, unsigned long line,
                      unsigned long col, const char *fmt, va_list ap)
{
    if (err) {
        err->code = code;
        err->detail = detail;
        err->line = line;
        err->col = col;
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    }
    return code;
}

int tmk_error_set(tmk_error *err, int code, unsigned long line,
                  unsigned long col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    error_vset(err, code, TMK_D_NONE, line, col, fmt, ap);
    va_end(ap);
    return code;
}

int tmk_error_set_detail(tmk_error *err, int code, int detail, unsigned long line,
                         unsigned long col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    error_vset(err, code, detail, line, col, fmt, ap);
    va_end(ap);
    return code;
}

void tmk_error_set_file(tmk_error *err, const char *file)
{
    if (!err)
        return;
    size_t n = file ? strlen(file) : 0;
    if (n < sizeof err->file) {
        memmove(err->file, file ? file : "", n + 1);
        return;
    }
    /* too long: "..." and the end of the name, cut at a character */
    size_t keep = sizeof err->file - 4;
    const char *tail = file + n - keep;
    while (keep && ((unsigned char)*tail & 0xC0) == 0x80) {
        tail++;
        keep--;
    }
    memmove(err->file + 3, tail, keep + 1);
    memcpy(err->file, "...", 3);
}

void tmk_error_clear(tmk_error *err)
{
    if (err) {
        err->code = TMK_OK;
        err->detail = TMK_D_NONE;
        err->line = err->col = 0;
        err->msg[0] = '\0';
    }
}

const char *tmk_error_string(int code)
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
    case TMK_ECANCELED: return "stopped by the caller";
    case TMK_EFORMAT: return "not a text file";
    default: return "unknown error";
    }
}

const char *tmk_error_detail_string(int detail)
{
    switch (detail) {
    case TMK_D_NONE: return "";
    case TMK_D_NOT_UTF8: return "not valid UTF-8";
    case TMK_D_LOOKS_UTF16LE: return "looks like UTF-16LE";
    case TMK_D_LOOKS_UTF16BE: return "looks like UTF-16BE";
    case TMK_D_NUL_BYTE: return "NUL byte in text";
    case TMK_D_NO_SUCH_LANGUAGE: return "no such language in the memory";
    case TMK_D_EMPTY_MEMORY: return "empty memory";
    case TMK_D_INDEX_STALE: return "stale index";
    case TMK_D_INDEX_CORRUPT: return "corrupt index";
    case TMK_D_CHANGED_WHILE_READ: return "input changed while being read";
    case TMK_D_DAMAGED_UTF8: return "a damaged UTF-8 character";
    case TMK_D_AFTER_FINISH: return "called after finish";
    case TMK_D_BAD_MARKUP: return "not TMX inline markup";
    case TMK_D_NO_DICTIONARY: return "no such dictionary";
    case TMK_D_NO_DATA: return "data file missing";
    case TMK_D_DICT_DAMAGED: return "damaged dictionary";
    case TMK_D_TEMP_DIR: return "temporary folder unusable";
    default: return "unknown detail";
    }
}

void tmk_free(void *p)
{
    free(p);
}
