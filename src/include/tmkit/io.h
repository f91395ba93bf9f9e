/* tmkit/io.h -- atomic output files, whole-file reads, temporary files.
 *
 * tmk_outfile_open creates a temporary file next to the target
 * (".NAME.tmp-XXXXXX"; a name too long for that is shortened); the caller
 * writes through tmk_outfile_stream; tmk_outfile_commit flushes, syncs and
 * renames it over the target, so a reader never sees a half-written file
 * and a failure never clobbers the previous one.  tmk_outfile_abort
 * removes the temporary file.  Both free the handle.  The path "-" means
 * standard output (written directly, commit only flushes).  Through a
 * symbolic link, the file it points to is replaced (the link stays); a link
 * to nothing (dangling, or a loop) is refused with TMK_EIO, as cp does: it
 * is neither written through nor replaced.  A file that is replaced keeps
 * its owner, group and permissions (as sed -i does); when they cannot be
 * kept (a program not run by the owner or root), the file is refused with
 * TMK_EIO and left as it was.  A name for a descriptor (/dev/stdout,
 * /dev/fd/N, /proc/self/fd/N) whose descriptor is closed or open only for
 * reading is refused with TMK_EIO.
 */
#ifndef TMKIT_IO_H
#define TMKIT_IO_H

#include <stddef.h>
#include <stdio.h>
#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tmk_outfile tmk_outfile;

tmk_outfile *tmk_outfile_open(const char *path, tmk_error *err);
FILE *tmk_outfile_stream(tmk_outfile *f);
int tmk_outfile_commit(tmk_outfile *f, tmk_error *err);
void tmk_outfile_abort(tmk_outfile *f);
/* Remove the temporary files of every output file still open (at most 32
 * at a time; tmk_outfile_open refuses more with TMK_ELIMIT).
 * Async-signal-safe: a program calls it from its handler for every
 * terminating signal it can catch (INT, TERM, HUP, QUIT, PIPE, XFSZ, ALRM,
 * USR1, ABRT, ...) so that an interrupted run leaves no ".NAME.tmp-XXXXXX"
 * behind; afterwards a handle takes only tmk_outfile_abort. */
void tmk_outfile_remove_temporaries(void);

/* The most a whole-file read takes in by default: 256 MiB. */
#define TMK_READ_FILE_MAX ((size_t)256 << 20)

struct tmk_buf;
/* Read a whole file ("-" = stdin) as raw bytes, appended to out.  A file
 * (or stream: a pipe, /dev/zero) of more than TMK_READ_FILE_MAX bytes is
 * not read further: TMK_ELIMIT.  TMK_EIO when it cannot be read.  On
 * failure out may hold part of the file: release it all the same. */
int tmk_read_file(const char *path, struct tmk_buf *out, tmk_error *err);
/* The same with another limit: max bytes (0 = TMK_READ_FILE_MAX). */
int tmk_read_file_max(const char *path, struct tmk_buf *out, size_t max, tmk_error *err);

/* The folder for temporary files that are not outputs (the sorted runs
 * of tmk_sorter, which `merge` and `stats` use on large inputs).  The
 * library reads no environment variable: a program passes what it wants
 * (tmkit passes $TMPDIR).  NULL or "" means "/tmp".  The name is copied;
 * call it before the work starts (it is not thread-safe).  TMK_OK or
 * TMK_ENOMEM. */
int tmk_temp_dir_set(const char *dir, tmk_error *err);
/* The folder tmk_temp_file uses (borrowed, valid until the next set). */
const char *tmk_temp_dir(void);
/* A new temporary file in tmk_temp_dir(), open for reading and writing and
 * already removed from the folder (it takes no name, and its space is
 * freed when it is closed or the program ends, however it ends).  NULL on
 * failure, with TMK_EIO and a message that names the folder. */
FILE *tmk_temp_file(tmk_error *err);

/* The folder searched first for tmkit's data (segmentation rules, word
 * lists: the files under dictionaries/ in the source tree), before the
 * installed one and the source tree's.  The library reads no environment
 * variable: tmkit passes $TMKIT_DATADIR.  NULL or "" means none.  The name
 * is copied; call it before the work starts (it is not thread-safe).
 * TMK_OK or TMK_ENOMEM. */
int tmk_data_dir_set(const char *dir, tmk_error *err);
/* The folder set by tmk_data_dir_set (borrowed), or NULL. */
const char *tmk_data_dir(void);

#ifdef __cplusplus
}
#endif
#endif
