/* io.c -- reading files and streams, temporary files, locating data files. */
#include <config.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "internal.h"

char *tmk__strdup(const char *s) { return s ? strdup(s) : NULL; }

char *tmk__strndup(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

/* Open path for reading, as it is named: "-" is a file called "-" (the
 * program maps "-" to standard input and calls the _stream functions).  A
 * folder is refused.  *size: the file's size when it is a regular file,
 * else 0. */
static int open_input(const char *path, FILE **f, size_t *size, tmk_error *err)
{
    *f = NULL;
    *size = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return tmk_error_set(err, TMK_EIO, 0, 0, "cannot open: %s", strerror(errno));
    struct stat st;
    if (fstat(fd, &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            close(fd);
            return tmk_error_set(err, TMK_EIO, 0, 0, "is a directory, not a file");
        }
        if (S_ISREG(st.st_mode) && st.st_size > 0)
            *size = (size_t)st.st_size;
    }
    if (!(*f = fdopen(fd, "rb"))) {
        close(fd);
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    }
    return TMK_OK;
}

/* Read up to want bytes from f into p: what fread gives, retried when a
 * signal interrupted it.  0 at the end of the stream or on an error (then
 * *bad is set, errno says why). */
static size_t read_some(FILE *f, void *p, size_t want, int *bad)
{
    for (;;) {
        size_t n = fread(p, 1, want, f);
        if (n || !ferror(f))
            return n;
        if (errno != EINTR) {
            *bad = 1;
            return 0;
        }
        clearerr(f);
    }
}

static void name_input(tmk_error *err, const char *name)
{
    if (err && name)
        tmk_error_set_file(err, name);
}

int tmk__read_limited_stream(FILE *f, const char *name, size_t max,
                             int (*sink)(const char *, size_t, void *, tmk_error *), void *ud,
                             tmk_error *err)
{
    if (!max)
        max = TMK_READ_FILE_MAX;
    name_input(err, name);
    static const size_t chunk = 65536;
    char *buf = malloc(chunk);
    if (!buf)
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    size_t total = 0;
    int rc = TMK_OK, bad = 0;
    while (rc == TMK_OK) {
        /* one byte more than the limit tells a file of exactly max bytes
         * from a larger one */
        size_t want = max + 1 - total < chunk ? max + 1 - total : chunk;
        size_t n = read_some(f, buf, want, &bad);
        if (bad) {
            rc = tmk_error_set(err, TMK_EIO, 0, 0, "cannot read: %s", strerror(errno));
            break;
        }
        if (n == 0)
            break;
        total += n;
        if (total > max) {
            rc = tmk__too_large(err, max);
            break;
        }
        rc = sink(buf, n, ud, err);
    }
    free(buf);
    return rc;
}

int tmk__read_limited(const char *path, size_t max,
                      int (*sink)(const char *, size_t, void *, tmk_error *), void *ud,
                      tmk_error *err)
{
    FILE *f;
    size_t size;
    name_input(err, path);
    TMK_TRY(open_input(path, &f, &size, err));
    int rc = tmk__read_limited_stream(f, path, max, sink, ud, err);
    fclose(f);
    return rc;
}

int tmk__too_large(tmk_error *err, size_t max)
{
    return tmk_error_set(err, TMK_ELIMIT, 0, 0,
                         "larger than %zu %s, the most tmkit reads into memory from one "
                         "file; split a long text into parts (or is it not the file you "
                         "meant?)",
                         max >= ((size_t)1 << 20) ? max >> 20 : max,
                         max >= ((size_t)1 << 20) ? "MiB" : "bytes");
}

/* Read f to its end into out; size: its size when known (room for all of
 * it at once, no doubling), else 0. */
static int read_whole(FILE *f, size_t size, tmk_buf *out, size_t max, tmk_error *err)
{
    if (!max)
        max = TMK_READ_FILE_MAX;
    if (size && tmk_buf_grow(out, (size <= max ? size : max) + 1) < 0)
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    size_t total = 0;
    int bad = 0;
    for (;;) {
        if (tmk_buf_grow(out, 65536) < 0)
            return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
        size_t room = out->cap - out->len - 1;
        if (room > max + 1 - total)
            room = max + 1 - total;
        size_t n = read_some(f, out->data + out->len, room, &bad);
        if (bad)
            return tmk_error_set(err, TMK_EIO, 0, 0, "cannot read: %s", strerror(errno));
        if (n == 0)
            break;
        total += n;
        if (total > max) {
            out->data[out->len] = '\0';
            return tmk__too_large(err, max);
        }
        out->len += n;
        out->data[out->len] = '\0';
    }
    return TMK_OK;
}

int tmk_io_read_stream(FILE *f, const char *name, tmk_buf *out, size_t max, tmk_error *err)
{
    char old[TMK_ERROR_FILE_MAX];
    tmk__name_push(err, name, old);
    return tmk__name_pop(err, old, read_whole(f, 0, out, max, err));
}

int tmk_io_read_file_max(const char *path, tmk_buf *out, size_t max, tmk_error *err)
{
    FILE *f;
    size_t size;
    char old[TMK_ERROR_FILE_MAX];
    tmk__name_push(err, path, old);
    TMK_TRY(open_input(path, &f, &size, err));
    int rc = read_whole(f, size, out, max, err);
    fclose(f);
    return tmk__name_pop(err, old, rc);
}

int tmk_io_read_file(const char *path, tmk_buf *out, tmk_error *err)
{
    return tmk_io_read_file_max(path, out, 0, err);
}

/* ---- temporary files that are not outputs ------------------------------ */

int tmk_io_temp_file(FILE **out, const char *dir, tmk_error *err)
{
    *out = NULL;
    if (!dir || !*dir)
        dir = "/tmp";
    size_t n = strlen(dir) + sizeof "/tmkit-XXXXXX";
    char *name = malloc(n);
    if (!name)
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    snprintf(name, n, "%s/tmkit-XXXXXX", dir);
    int fd = mkstemp(name);
    int e = errno;
    if (fd >= 0)
        unlink(name); /* nameless from now on: nothing to leave behind */
    free(name);
    FILE *f = fd >= 0 ? fdopen(fd, "w+") : NULL;
    if (!f) {
        if (fd >= 0) {
            e = errno;
            close(fd);
        }
        if (err)
            tmk_error_set_file(err, NULL); /* not about the input being read */
        if (e == ENOMEM)
            return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
        return tmk_error_set_detail(err, TMK_EIO, TMK_D_TEMP_DIR, 0, 0,
                                    "cannot create a temporary file in the folder '%s': %s", dir,
                                    strerror(e));
    }
    *out = f;
    return TMK_OK;
}

static char *try_path(const char *dir, const char *rel)
{
    if (!dir || !*dir)
        return NULL;
    size_t n = strlen(dir) + strlen(rel) + 2;
    char *p = malloc(n);
    if (!p)
        return NULL;
    snprintf(p, n, "%s/%s", dir, rel);
    if (access(p, R_OK) == 0)
        return p;
    free(p);
    return NULL;
}

char *tmk__data_path(const char *data_dir, const char *rel)
{
    char *p = try_path(data_dir, rel);
    if (!p)
        p = try_path(TMK_PKGDATADIR, rel);
    if (!p)
        p = try_path(TMK_SRCDATADIR, rel);
    return p;
}
