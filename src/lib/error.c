#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include "tmkit/tmkit.h"

/* File names in errors are the library's own copies, interned: one copy of
 * each distinct name for the life of the process, shared by every error
 * that names it.  So an error outlives the string its caller passed (a
 * buffer freed, a name built on the stack), a tmk_error can be copied by
 * assignment, and nothing has to be freed.  The table holds only the names
 * errors were about or are about to be about (a build names each input
 * before reading it): two per pair of a batch build. */
struct iname {
    struct iname *next;
    uint64_t hash;
    char s[];
};
static struct iname **names; /* nbuckets chains, a power of two */
static size_t nbuckets, nnames;
static pthread_mutex_t names_lock = PTHREAD_MUTEX_INITIALIZER;

/* Double the table when the chains grow past two names on average, so
 * that naming a file stays O(1) in a batch of a million pairs.  Out of
 * memory: the table keeps its size (only slower). */
static void names_grow(void)
{
    size_t nb = nbuckets ? nbuckets * 2 : 256;
    struct iname **t = calloc(nb, sizeof *t);
    if (!t)
        return;
    for (size_t i = 0; i < nbuckets; i++)
        for (struct iname *e = names[i], *next; e; e = next) {
            next = e->next;
            e->next = t[e->hash & (nb - 1)];
            t[e->hash & (nb - 1)] = e;
        }
    free(names);
    names = t;
    nbuckets = nb;
}

static const char *intern(const char *file)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    size_t n = 0;
    for (; file[n]; n++)
        h = (h ^ (unsigned char)file[n]) * 1099511628211ULL;
    const char *out = NULL;
    pthread_mutex_lock(&names_lock);
    if (nnames >= 2 * nbuckets)
        names_grow();
    if (nbuckets) {
        struct iname **slot = &names[h & (nbuckets - 1)];
        for (struct iname *e = *slot; e && !out; e = e->next)
            if (e->hash == h && !strcmp(e->s, file))
                out = e->s;
        if (!out) {
            struct iname *e = malloc(sizeof *e + n + 1);
            if (e) {
                e->hash = h;
                memcpy(e->s, file, n + 1);
                e->next = *slot;
                *slot = e;
                nnames++;
                out = e->s;
            }
        }
    }
    pthread_mutex_unlock(&names_lock);
    return out;
}

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
    /* out of memory: no name rather than a borrowed one */
    err->file = file ? intern(file) : NULL;
}

void tmk_error_clear(tmk_error *err)
{
    if (err) {
        const char *file = err->file;
        memset(err, 0, sizeof *err);
        err->file = file;
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
    default: return "unknown detail";
    }
}

void tmk_free(void *p)
{
    free(p);
}
