/* tmkit/io.h -- atomic output files.
 *
 * tmk_outfile_open creates a temporary file next to the target; the caller
 * writes through tmk_outfile_stream; tmk_outfile_commit flushes, syncs and
 * renames it over the target, so a reader never sees a half-written file
 * and a failure never clobbers the previous one.  tmk_outfile_abort
 * removes the temporary file.  Both free the handle.  The path "-" means
 * standard output (written directly, commit only flushes).  Through a
 * symbolic link, the file it points to is replaced (the link stays); a link
 * to nothing (dangling, or a loop) is refused with TMK_EIO, as cp does: it
 * is neither written through nor replaced.
 */
#ifndef TMKIT_IO_H
#define TMKIT_IO_H

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
/* Remove the temporary files of every output file still open (at most 16
 * are tracked).  Async-signal-safe: a program calls it from its handler for
 * SIGINT/SIGTERM so that an interrupted run leaves no ".NAME.tmp-XXXXXX"
 * behind; the handles must not be used afterwards. */
void tmk_outfile_remove_temporaries(void);

/* Read a whole file ("-" = stdin) as raw bytes into out. */
struct tmk_buf;
int tmk_read_file(const char *path, struct tmk_buf *out, tmk_error *err);

#ifdef __cplusplus
}
#endif
#endif
