/* outfile.h -- the tmkit program's atomic output files (program policy:
 * the library writes to a FILE* or a sink the caller gives it).
 *
 * cli_outfile_open creates a temporary file next to the target
 * (".NAME.tmp-XXXXXX"; a name too long for that is shortened); the caller
 * writes through cli_outfile_stream; cli_outfile_commit flushes, syncs and
 * renames it over the target, so a reader never sees a half-written file
 * and a failure never clobbers the previous one.  cli_outfile_abort
 * removes the temporary file.  Both free the handle.  The path "-" means
 * standard output (written directly, commit only flushes).  A name ending
 * in ".gz" is written gzip-compressed.  Through a symbolic link, the file
 * it points to is replaced (the link stays); a link to nothing (dangling,
 * or a loop) is refused with TMK_EIO, as cp does: it is neither written
 * through nor replaced.  A file that is replaced keeps its owner, group
 * and permissions (as sed -i does); when they cannot be kept (a program
 * not run by the owner or root), the file is refused with TMK_EIO and left
 * as it was.  A name for a descriptor (/dev/stdout, /dev/fd/N,
 * /proc/self/fd/N) whose descriptor is closed or open only for reading is
 * refused with TMK_EIO.  Errors fill err (its file: the path) as the
 * library does.
 */
#ifndef TMK_CLI_OUTFILE_H
#define TMK_CLI_OUTFILE_H

#include <stdio.h>
#include "tmkit/error.h"

typedef struct cli_outfile cli_outfile;

cli_outfile *cli_outfile_open(const char *path, tmk_error *err);
FILE *cli_outfile_stream(cli_outfile *f);
int cli_outfile_commit(cli_outfile *f, tmk_error *err);
void cli_outfile_abort(cli_outfile *f);
/* Remove the temporary files of every output file still open (at most 32
 * at a time; cli_outfile_open refuses more with TMK_ELIMIT).
 * Async-signal-safe: main.c calls it from its handler for every
 * terminating signal it can catch (INT, TERM, HUP, QUIT, PIPE, XFSZ, ALRM,
 * USR1, ABRT, ...) so that an interrupted run leaves no ".NAME.tmp-XXXXXX"
 * behind; afterwards a handle takes only cli_outfile_abort. */
void cli_outfile_remove_temporaries(void);

#endif
