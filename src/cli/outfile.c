/* outfile.c -- the tmkit program's output files: written to a temporary
 * file next to the target and renamed over it when complete (see
 * outfile.h).  This is program policy, not library code: an embedder who
 * wants atomic output writes its own temporary file and renames it (this
 * file is an example of how). */
#include <config.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include "outfile.h"

struct cli_outfile {
    FILE *fp;  /* what the caller writes to: raw, or a gzip stream into raw */
    FILE *raw; /* the file itself */
    char *path;
    const char *name; /* borrowed: the path as given to open, for errors */
    char *tmp; /* NULL for stdout and for devices and pipes (written directly) */
    int slot;  /* its entry in tracked[] */
};

/* Temporary files of open outputs, for cli_outfile_remove_temporaries (a
 * signal handler).  A slot holds a copy of the name, so that a handle freed
 * in one thread never pulls it from under a handler running in another;
 * state: 0 free, 1 being filled, 2 a file to remove.  The state changes
 * with atomic operations (lock-free on int), which a handler may use. */
#define MAX_TRACKED 32
static struct {
    int state;
    char name[PATH_MAX];
} tracked[MAX_TRACKED];

/* Claim a slot for tmp (signals are blocked by the caller); -1 when all
 * are in use or the name does not fit. */
static int track(const char *tmp)
{
    size_t n = strlen(tmp);
    if (n >= PATH_MAX)
        return -1;
    for (int i = 0; i < MAX_TRACKED; i++) {
        int expected = 0;
        if (__atomic_compare_exchange_n(&tracked[i].state, &expected, 1, 0, __ATOMIC_SEQ_CST,
                                        __ATOMIC_SEQ_CST)) {
            memcpy(tracked[i].name, tmp, n + 1);
            __atomic_store_n(&tracked[i].state, 2, __ATOMIC_SEQ_CST);
            return i;
        }
    }
    return -1;
}

/* Free the slot of tmp, unless cli_outfile_remove_temporaries did and it
 * went on to another file since. */
static void untrack(int slot, const char *tmp)
{
    if (slot >= 0 && __atomic_load_n(&tracked[slot].state, __ATOMIC_SEQ_CST) == 2 &&
        !strcmp(tracked[slot].name, tmp))
        __atomic_store_n(&tracked[slot].state, 0, __ATOMIC_SEQ_CST);
}

void cli_outfile_remove_temporaries(void)
{
    for (int i = 0; i < MAX_TRACKED; i++)
        if (__atomic_load_n(&tracked[i].state, __ATOMIC_SEQ_CST) == 2) {
            unlink(tracked[i].name);
            __atomic_store_n(&tracked[i].state, 0, __ATOMIC_SEQ_CST);
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

/* The descriptor a name stands for (/dev/stdout, /dev/fd/N,
 * /proc/self/fd/N), or -1. */
static int descriptor_name(const char *p)
{
    static const char *const std[] = {"/dev/stdin", "/dev/stdout", "/dev/stderr"};
    for (int i = 0; i < 3; i++)
        if (!strcmp(p, std[i]))
            return i;
    const char *q = !strncmp(p, "/dev/fd/", 8) ? p + 8
                    : !strncmp(p, "/proc/self/fd/", 14) ? p + 14
                                                        : NULL;
    if (!q || !*q)
        return -1;
    int n = 0;
    for (; *q; q++) {
        if (*q < '0' || *q > '9' || n > 1000000)
            return -1;
        n = n * 10 + (*q - '0');
    }
    return n;
}

/* 'name' when the account has one, else its number */
static const char *id_name(const char *name, unsigned long id, char *buf, size_t size)
{
    if (name)
        snprintf(buf, size, "'%s'", name);
    else
        snprintf(buf, size, "%lu", id);
    return buf;
}

static const char *user_name(uid_t uid, char *buf, size_t size)
{
    struct passwd *pw = getpwuid(uid);
    return id_name(pw ? pw->pw_name : NULL, (unsigned long)uid, buf, size);
}

static const char *group_name(gid_t gid, char *buf, size_t size)
{
    struct group *gr = getgrgid(gid);
    return id_name(gr ? gr->gr_name : NULL, (unsigned long)gid, buf, size);
}

/* Give the new file fd what the file it replaces has (owner, group,
 * permissions), as sed -i does: root writing through a link to another
 * user's file must not take the file from that user, and a group-readable
 * file must not become readable by another group.  Returns 0, or -1 with
 * err set when that is not possible (the file is then refused). */
static int keep_owner_and_mode(int fd, const struct stat *old, tmk_error *err)
{
    struct stat now;
    if (fstat(fd, &now) != 0)
        return tmk_error_set(err, TMK_EIO, 0, 0, "cannot write: %s", strerror(errno));
    if ((now.st_uid != old->st_uid || now.st_gid != old->st_gid) &&
        fchown(fd, now.st_uid != old->st_uid ? old->st_uid : (uid_t)-1,
               now.st_gid != old->st_gid ? old->st_gid : (gid_t)-1) != 0) {
        char u[64], g[64];
        return tmk_error_set(err, TMK_EIO, 0, 0,
                             "cannot replace this file without changing its owner or group "
                             "(it belongs to user %s, group %s; %s); the file is unchanged: "
                             "write to another file, or run tmkit as its owner",
                             user_name(old->st_uid, u, sizeof u),
                             group_name(old->st_gid, g, sizeof g), strerror(errno));
    }
    /* after fchown, which clears the set-user-ID and set-group-ID bits */
    if (fchmod(fd, old->st_mode & 07777) != 0)
        return tmk_error_set(err, TMK_EIO, 0, 0,
                             "cannot give the new file the permissions of the old one: %s",
                             strerror(errno));
    return TMK_OK;
}

/* ---- gzip output: a name ending in ".gz" is written compressed ---------- */

typedef struct gz_out {
    FILE *raw;
    z_stream z;
    int failed;
    unsigned char buf[1 << 16];
} gz_out;

/* Deflate what z holds (flush: Z_NO_FLUSH or Z_FINISH) into raw. */
static int gz_pump(gz_out *g, int flush)
{
    int zr;
    do {
        g->z.next_out = g->buf;
        g->z.avail_out = sizeof g->buf;
        zr = deflate(&g->z, flush);
        if (zr == Z_STREAM_ERROR)
            return -1;
        size_t got = sizeof g->buf - g->z.avail_out;
        if (got && fwrite(g->buf, 1, got, g->raw) != got)
            return -1;
    } while (g->z.avail_out == 0 || (flush == Z_FINISH && zr != Z_STREAM_END));
    return 0;
}

static ssize_t gz_write(void *c, const char *data, size_t len)
{
    gz_out *g = c;
    size_t done = 0;
    while (done < len && !g->failed) {
        size_t step = len - done > (1u << 30) ? (1u << 30) : len - done;
        g->z.next_in = (unsigned char *)(uintptr_t)(data + done);
        g->z.avail_in = (uInt)step;
        if (gz_pump(g, Z_NO_FLUSH) < 0)
            g->failed = 1;
        done += step;
    }
    if (g->failed) {
        errno = EIO;
        return -1;
    }
    return (ssize_t)len;
}

/* Close: the gzip trailer written into raw (raw itself stays open). */
static int gz_close(void *c)
{
    gz_out *g = c;
    int bad = g->failed;
    if (!bad) {
        g->z.next_in = NULL;
        g->z.avail_in = 0;
        bad = gz_pump(g, Z_FINISH) < 0;
    }
    deflateEnd(&g->z);
    free(g);
    if (bad) {
        errno = EIO;
        return -1;
    }
    return 0;
}

static int ends_gz(const char *path)
{
    size_t n = strlen(path);
    return n > 3 && !strcmp(path + n - 3, ".gz");
}

/* f->fp becomes a gzip stream into f->raw (deterministic: no name, time 0).
 * TMK_OK or TMK_ENOMEM. */
static int gz_wrap(cli_outfile *f)
{
    gz_out *g = calloc(1, sizeof *g);
    if (!g)
        return TMK_ENOMEM;
    g->raw = f->raw;
    if (deflateInit2(&g->z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        free(g);
        return TMK_ENOMEM;
    }
    cookie_io_functions_t io = {NULL, gz_write, NULL, gz_close};
    FILE *fp = fopencookie(g, "w", io);
    if (!fp) {
        deflateEnd(&g->z);
        free(g);
        return TMK_ENOMEM;
    }
    f->fp = fp;
    return TMK_OK;
}

/* Closes the gzip stream (if any): its trailer goes into raw.  0 or -1
 * (errno set). */
static int gz_finish(cli_outfile *f)
{
    if (f->fp == f->raw)
        return 0;
    int rc = fclose(f->fp);
    f->fp = f->raw;
    return rc == 0 ? 0 : -1;
}

static void free_outfile(cli_outfile *f)
{
    free(f->tmp);
    free(f->path);
    free(f);
}

/* A name component longer than this is shortened in the temporary name. */
#define NAME_MAX_BYTES 255

/* The error for a dangling symbolic link (serr: stat's errno): like cp,
 * tmkit does not write through it (a stale or planted link would make it
 * create a file somewhere unexpected) nor replace the link with a file. */
static void dangling_link_error(const char *path, int serr, tmk_error *err)
{
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
}

/* f for a device, FIFO or socket (/dev/null, a pipe), or a name for an
 * open file (/dev/stdout, /dev/fd/N): written directly, since renaming a
 * file over it would replace it.  NULL (f freed, err set) on failure. */
static cli_outfile *open_direct(cli_outfile *f, const char *path, tmk_error *err)
{
    int dfd = descriptor_name(path);
    int fl = dfd >= 0 ? fcntl(dfd, F_GETFL) : 0;
    if (dfd >= 0 && (fl < 0 || (fl & O_ACCMODE) == O_RDONLY)) {
        /* reopening it would write somewhere else: tmkit holds a
         * closed standard output with /dev/null, read-only */
        if (dfd <= 2)
            tmk_error_set(err, TMK_EIO, 0, 0, "cannot write: standard %s is closed",
                          dfd == 0   ? "input"
                          : dfd == 1 ? "output"
                                     : "error");
        else
            tmk_error_set(err, TMK_EIO, 0, 0,
                          "cannot write: descriptor %d is closed or open only for reading", dfd);
        free(f);
        return NULL;
    }
    f->path = strdup(path);
    f->fp = f->raw = f->path ? fopen(path, "w") : NULL;
    if (!f->fp) {
        if (f->path)
            tmk_error_set(err, TMK_EIO, 0, 0, "cannot write: %s", strerror(errno));
        else
            tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
        free_outfile(f);
        return NULL;
    }
    if (ends_gz(path) && gz_wrap(f) < 0) {
        fclose(f->raw);
        free_outfile(f);
        tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
        return NULL;
    }
    return f;
}

/* The temporary file's name (a template for mkstemp) in tmp (size bytes):
 * in path's folder, so that rename is atomic: ".NAME.tmp-XXXXXX", with
 * NAME shortened (at a character boundary) when the whole would be longer
 * than a file name may be.  Returns the length of the folder part. */
static size_t temp_name(char *tmp, size_t size, const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
    const char *base = path + dirlen;
    size_t keep = strlen(base), most = NAME_MAX_BYTES - (sizeof ".."
                                                                "tmp-XXXXXX" -
                                                         1);
    if (keep > most) {
        keep = most;
        while (keep && ((unsigned char)base[keep] & 0xC0) == 0x80)
            keep--;
    }
    snprintf(tmp, size, "%.*s.%.*s.tmp-XXXXXX", (int)dirlen, path, (int)keep, base);
    return dirlen;
}

cli_outfile *cli_outfile_open(const char *path, tmk_error *err)
{
    cli_outfile *f = calloc(1, sizeof *f);
    if (!f) {
        tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
        return NULL;
    }
    f->slot = -1;
    if (err)
        tmk_error_set_file(err, path);
    f->name = path;
    if (!strcmp(path, "-")) {
        f->fp = f->raw = stdout;
        return f;
    }
    struct stat st, lst;
    int exists = stat(path, &st) == 0;
    int serr = errno;
    if (!exists && lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode)) {
        dangling_link_error(path, serr, err);
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
        return open_direct(f, path, err);
    }
    /* through a symbolic link: replace the file it points to, not the link */
    if (exists && lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode)) {
        f->path = realpath(path, NULL);
        if (!f->path && errno != ENOMEM)
            f->path = strdup(path);
    } else {
        f->path = strdup(path);
    }
    size_t n = f->path ? strlen(f->path) : 0;
    f->tmp = f->path ? malloc(n + 32) : NULL;
    if (!f->tmp) {
        free_outfile(f);
        tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
        return NULL;
    }
    path = f->path;
    size_t dirlen = temp_name(f->tmp, n + 32, path);
    /* no signal between creating the file and noting it for removal */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    int fd = mkstemp(f->tmp);
    int mkerr = errno;
    if (fd >= 0 && (f->slot = track(f->tmp)) < 0) {
        unlink(f->tmp);
        close(fd);
        fd = -2;
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (fd < 0) {
        if (fd == -2)
            tmk_error_set(err, TMK_ELIMIT, 0, 0,
                          "cannot write: more than %d output files open at once", MAX_TRACKED);
        else if (mkerr == ENOENT)
            tmk_error_set(err, TMK_EIO, 0, 0, "cannot write: the folder '%.*s' does not exist",
                          dirlen > 1 ? (int)dirlen - 1 : 1, dirlen ? path : ".");
        else
            tmk_error_set(err, TMK_EIO, 0, 0, "cannot write: %s", strerror(mkerr));
        free_outfile(f);
        return NULL;
    }
    /* a file that is replaced keeps its owner, group and permissions; a new
     * one gets the permissions a new file would get */
    int ok;
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
        ok = keep_owner_and_mode(fd, &st, err) == TMK_OK;
    } else {
        mode_t um = umask(0);
        umask(um);
        ok = fchmod(fd, 0666 & ~um) == 0;
        if (!ok)
            tmk_error_set(err, TMK_EIO, 0, 0, "cannot write: %s", strerror(errno));
    }
    f->fp = f->raw = ok ? fdopen(fd, "w") : NULL;
    if (f->fp && ends_gz(path) && gz_wrap(f) < 0) {
        fclose(f->raw);
        f->fp = f->raw = NULL;
        fd = -1;
    }
    if (!f->fp) {
        if (ok)
            tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
        if (fd >= 0)
            close(fd);
        unlink(f->tmp);
        untrack(f->slot, f->tmp);
        free_outfile(f);
        return NULL;
    }
    return f;
}

FILE *cli_outfile_stream(cli_outfile *f) { return f->fp; }

int cli_outfile_commit(cli_outfile *f, tmk_error *err)
{
    int rc = TMK_OK;
    if (err)
        tmk_error_set_file(err, f->name);
    if (!f->tmp) { /* standard output, or a device or pipe written directly */
        int bad = gz_finish(f) != 0;
        bad = fflush(f->fp) != 0 || ferror(f->fp) || bad;
        int e = errno;
        if (f->fp != stdout && fclose(f->fp) != 0 && !bad) {
            bad = 1;
            e = errno;
        }
        if (bad)
            rc = tmk_error_set(err, TMK_EIO, 0, 0, "cannot write: %s", strerror(e));
        free_outfile(f);
        return rc;
    }
    int bad = gz_finish(f) != 0;
    bad = bad || fflush(f->fp) != 0 || ferror(f->fp) || fsync(fileno(f->fp)) != 0;
    int e = errno;
    if (fclose(f->fp) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    if (!bad && rename(f->tmp, f->path) != 0) {
        bad = 1;
        e = errno;
    }
    if (bad) {
        unlink(f->tmp);
        rc = tmk_error_set(err, TMK_EIO, 0, 0, "cannot write: %s (the previous file, if any, is unchanged)",
                           strerror(e));
    }
    /* only now: a signal before the rename must still remove the file (one
     * after it finds no file by that name) */
    untrack(f->slot, f->tmp);
    free_outfile(f);
    return rc;
}

void cli_outfile_abort(cli_outfile *f)
{
    if (!f)
        return;
    (void)gz_finish(f);
    if (f->tmp) {
        fclose(f->fp);
        unlink(f->tmp);
        untrack(f->slot, f->tmp);
    } else if (f->fp != stdout)
        fclose(f->fp);
    free_outfile(f);
}
