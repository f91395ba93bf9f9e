/* io.c -- reading files, atomic output files, locating data files. */
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

int tmk_read_file(const char *path, tmk_buf *out, tmk_error *err)
{
    int fd = 0;
    /* a file of ours can get descriptor 0 when tmkit runs with standard
     * input closed: whether to close it is not a question of its number */
    int is_stdin = !strcmp(path, "-");
    if (err)
        err->file = path;
    if (!is_stdin) {
        fd = open(path, O_RDONLY);
        if (fd < 0)
            return tmk_error_set(err, TMK_EIO, 0, 0, "cannot open: %s", strerror(errno));
        struct stat st;
        if (fstat(fd, &st) == 0) {
            if (S_ISDIR(st.st_mode)) {
                close(fd);
                return tmk_error_set(err, TMK_EIO, 0, 0, "is a directory, not a file");
            }
            if (S_ISREG(st.st_mode) && tmk_buf_grow(out, (size_t)st.st_size + 1) < 0) {
                close(fd);
                return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
            }
        }
    }
    for (;;) {
        if (tmk_buf_grow(out, 65536) < 0) {
            if (!is_stdin)
                close(fd);
            return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
        }
        ssize_t n = read(fd, out->data + out->len, out->cap - out->len - 1);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            if (!is_stdin)
                close(fd);
            return tmk_error_set(err, TMK_EIO, 0, 0, "cannot read: %s", strerror(e));
        }
        if (n == 0)
            break;
        out->len += (size_t)n;
        out->data[out->len] = '\0';
    }
    if (!is_stdin)
        close(fd);
    return TMK_OK;
}

struct tmk_outfile {
    FILE *fp;
    char *path;
    const char *name; /* borrowed: the path as given to open, for errors */
    char *tmp; /* NULL for stdout and for devices and pipes (written directly) */
};

/* Temporary files of open outputs, for tmk_outfile_remove_temporaries (a
 * signal handler): a slot holds the name until commit or abort. */
#define MAX_TRACKED 16
static char *volatile tracked[MAX_TRACKED];

static void track(char *tmp)
{
    for (size_t i = 0; i < MAX_TRACKED; i++)
        if (!tracked[i]) {
            tracked[i] = tmp;
            return;
        }
}

static void untrack(const char *tmp)
{
    for (size_t i = 0; i < MAX_TRACKED; i++)
        if (tracked[i] == tmp)
            tracked[i] = NULL;
}

void tmk_outfile_remove_temporaries(void)
{
    for (size_t i = 0; i < MAX_TRACKED; i++) {
        char *t = tracked[i];
        if (t) {
            unlink(t);
            tracked[i] = NULL;
        }
    }
}

/* Follows the chain of symbolic links that starts at link (at most 40, as
 * the kernel) to the first name in it that does not exist, and writes that
 * name to out (relative targets joined to their link's folder).  Returns the
 * number of links followed to it, 0 when the chain ends otherwise. */
static int missing_link_target(const char *link, char *out, size_t size)
{
    char cur[4096], to[4096];
    size_t len = strlen(link);
    if (len >= sizeof cur)
        return 0;
    memcpy(cur, link, len + 1);
    for (int hops = 1; hops <= 40; hops++) {
        ssize_t n = readlink(cur, to, sizeof to - 1);
        if (n < 0)
            return 0;
        to[n] = '\0';
        const char *slash = strrchr(cur, '/');
        size_t dir = to[0] != '/' && slash ? (size_t)(slash - cur) + 1 : 0;
        if (dir + (size_t)n >= sizeof cur)
            return 0;
        memcpy(cur + dir, to, (size_t)n + 1); /* cur: the next name */
        struct stat ls;
        if (lstat(cur, &ls) != 0) {
            if (strlen(cur) >= size)
                return 0;
            strcpy(out, cur);
            return hops;
        }
        if (!S_ISLNK(ls.st_mode))
            return 0;
    }
    return 0;
}

tmk_outfile *tmk_outfile_open(const char *path, tmk_error *err)
{
    tmk_outfile *f = calloc(1, sizeof *f);
    if (!f) {
        tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
        return NULL;
    }
    if (err)
        err->file = path;
    f->name = path;
    if (!strcmp(path, "-")) {
        f->fp = stdout;
        return f;
    }
    struct stat st, lst;
    int exists = stat(path, &st) == 0;
    int serr = errno;
    if (!exists && lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode)) {
        /* a dangling symbolic link: like cp, do not write through it (a
         * stale or planted link would make us create a file somewhere
         * unexpected), and do not replace the link with a file either */
        char to[1024], last[4096];
        ssize_t n = readlink(path, to, sizeof to - 1);
        to[n > 0 ? n : 0] = '\0';
        if (serr == ELOOP)
            tmk_error_set(err, TMK_EIO, 0, 0,
                          "cannot write: this symbolic link leads round in "
                          "a loop; remove it or give another output file");
        else if ((serr == ENOENT || serr == ENOTDIR) &&
                 missing_link_target(path, last, sizeof last) > 1)
            tmk_error_set(err, TMK_EIO, 0, 0,
                          "cannot write: this symbolic link points to '%s', a symbolic link "
                          "that leads on to '%s', which does not exist; create that file "
                          "first, or remove the links",
                          to, last);
        else if (serr == ENOENT || serr == ENOTDIR)
            tmk_error_set(err, TMK_EIO, 0, 0,
                          "cannot write: this symbolic link points to '%s', "
                          "which does not exist; create that file first, or remove the link",
                          to);
        else
            tmk_error_set(err, TMK_EIO, 0, 0,
                          "cannot write: this symbolic link points to '%s', "
                          "which cannot be reached: %s",
                          to, strerror(serr));
        free(f);
        return NULL;
    }
    if (exists && S_ISDIR(st.st_mode)) {
        tmk_error_set(err, TMK_EIO, 0, 0, "is a directory; give a file name");
        free(f);
        return NULL;
    }
    if (exists && (!S_ISREG(st.st_mode) ||
                   (!strncmp(path, "/dev/", 5) && strncmp(path, "/dev/shm/", 9)) ||
                   !strncmp(path, "/proc/", 6))) {
        /* a device, FIFO or socket (/dev/null, a pipe), or a name for an open
         * file (/dev/stdout, /dev/fd/N): write to it directly; renaming a
         * file over it would replace it */
        f->path = strdup(path);
        f->fp = f->path ? fopen(path, "w") : NULL;
        if (!f->fp) {
            if (f->path)
                tmk_error_set(err, TMK_EIO, 0, 0, "cannot write: %s", strerror(errno));
            else
                tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
            free(f->path);
            free(f);
            return NULL;
        }
        return f;
    }
    /* through a symbolic link: replace the file it points to, not the link */
    char *real = NULL;
    if (exists && lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode)) {
        real = realpath(path, NULL);
        if (real)
            path = real;
    }
    size_t n = strlen(path);
    f->path = strdup(path);
    f->tmp = malloc(n + 32);
    if (!f->path || !f->tmp) {
        free(real);
        free(f->path);
        free(f->tmp);
        free(f);
        tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
        return NULL;
    }
    /* temporary file in the same folder, so that rename is atomic */
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
    snprintf(f->tmp, n + 32, "%.*s.%s.tmp-XXXXXX", (int)dirlen, path, path + dirlen);
    int fd = mkstemp(f->tmp);
    int mkerr = errno;
    free(real); /* path is f->path from here on */
    path = f->path;
    errno = mkerr;
    if (fd < 0) {
        if (errno == ENOENT)
            tmk_error_set(err, TMK_EIO, 0, 0, "cannot write: the folder '%.*s' does not exist",
                          dirlen > 1 ? (int)dirlen - 1 : 1, dirlen ? path : ".");
        else
            tmk_error_set(err, TMK_EIO, 0, 0, "cannot write: %s", strerror(errno));
        free(f->path);
        free(f->tmp);
        free(f);
        return NULL;
    }
    /* keep the permissions a new file would get */
    mode_t um = umask(0);
    umask(um);
    fchmod(fd, (stat(path, &st) == 0) ? (st.st_mode & 07777) : (0666 & ~um));
    track(f->tmp);
    f->fp = fdopen(fd, "w");
    if (!f->fp) {
        untrack(f->tmp);
        close(fd);
        unlink(f->tmp);
        free(f->path);
        free(f->tmp);
        free(f);
        tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
        return NULL;
    }
    return f;
}

FILE *tmk_outfile_stream(tmk_outfile *f) { return f->fp; }

int tmk_outfile_commit(tmk_outfile *f, tmk_error *err)
{
    int rc = TMK_OK;
    if (err)
        err->file = f->name;
    if (!f->tmp) { /* standard output, or a device or pipe written directly */
        int bad = fflush(f->fp) != 0 || ferror(f->fp);
        if (f->fp != stdout && fclose(f->fp) != 0)
            bad = 1;
        if (bad)
            rc = tmk_error_set(err, TMK_EIO, 0, 0, "cannot write: %s", strerror(errno));
        free(f->path);
        free(f);
        return rc;
    }
    int bad = fflush(f->fp) != 0 || ferror(f->fp) || fsync(fileno(f->fp)) != 0;
    int e = errno;
    if (fclose(f->fp) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    untrack(f->tmp);
    if (!bad && rename(f->tmp, f->path) != 0) {
        bad = 1;
        e = errno;
    }
    if (bad) {
        unlink(f->tmp);
        rc = tmk_error_set(err, TMK_EIO, 0, 0, "cannot write: %s (the previous file, if any, is unchanged)",
                           strerror(e));
    }
    free(f->tmp);
    free(f->path);
    free(f);
    return rc;
}

void tmk_outfile_abort(tmk_outfile *f)
{
    if (!f)
        return;
    if (f->tmp) {
        untrack(f->tmp);
        fclose(f->fp);
        unlink(f->tmp);
    } else if (f->fp != stdout)
        fclose(f->fp);
    free(f->tmp);
    free(f->path);
    free(f);
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

char *tmk__data_path(const char *rel)
{
    char *p = try_path(getenv("TMKIT_DATADIR"), rel);
    if (!p)
        p = try_path(TMK_PKGDATADIR, rel);
    if (!p)
        p = try_path(TMK_SRCDATADIR, rel);
    return p;
}
