/* tmkit/io.h -- whole-file reads, temporary files, the data folder.
 *
 * A path is read as it is named: "-" is a file called "-", not standard
 * input (that is the tmkit program's convention, which maps "-" to stdin
 * and calls the _stream functions).  The library writes no output file by
 * name: writers take a FILE* or a sink, and a program that wants an output
 * replaced atomically writes to a temporary file in the same folder and
 * renames it over the target (README, "Embedding libtmkit").
 */
#ifndef TMKIT_IO_H
#define TMKIT_IO_H

#include <stddef.h>
#include <stdio.h>
#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The most a whole-file read takes in by default: 256 MiB. */
#define TMK_READ_FILE_MAX ((size_t)256 << 20)

struct tmk_buf;
/* Read the whole file at path as raw bytes, appended to out.  A file
 * (or a pipe, /dev/zero) of more than TMK_READ_FILE_MAX bytes is not read
 * further: TMK_ELIMIT.  TMK_EIO when it cannot be read (err->file: path).
 * On failure out may hold part of the file: release it all the same. */
int tmk_io_read_file(const char *path, struct tmk_buf *out, tmk_error *err);
/* The same with another limit: max bytes (0 = TMK_READ_FILE_MAX). */
int tmk_io_read_file_max(const char *path, struct tmk_buf *out, size_t max, tmk_error *err);
/* The same from the open stream f (standard input, a pipe, a tmpfile),
 * read from where it stands to its end; f stays open.  name (may be NULL)
 * is what err->file names on failure (tmkit passes "-" for stdin). */
int tmk_io_read_stream(FILE *f, const char *name, struct tmk_buf *out, size_t max,
                    tmk_error *err);

/* The folder for temporary files that are not outputs (the sorted runs
 * of tmk_sorter, which `merge` and `stats` use on large inputs).  The
 * library reads no environment variable: a program passes what it wants
 * (tmkit passes $TMPDIR).  NULL or "" means "/tmp".  The name is copied;
 * call it before the work starts (it is not thread-safe).  TMK_OK or
 * TMK_ENOMEM. */
int tmk_io_temp_dir_set(const char *dir, tmk_error *err);
/* The folder tmk_io_temp_file uses (borrowed, valid until the next set). */
const char *tmk_io_temp_dir(void);
/* A new temporary file in tmk_io_temp_dir(), open for reading and writing and
 * already removed from the folder (it takes no name, and its space is
 * freed when it is closed or the program ends, however it ends): TMK_OK
 * and *out, which the caller closes with fclose; else *out is NULL and the
 * code is TMK_EIO (the message names the folder) or TMK_ENOMEM. */
int tmk_io_temp_file(FILE **out, tmk_error *err);

/* The folder searched first for tmkit's data (segmentation rules, word
 * lists: the files under dictionaries/ in the source tree), before the
 * installed one and the source tree's.  The library reads no environment
 * variable: tmkit passes $TMKIT_DATADIR.  NULL or "" means none.  The name
 * is copied; call it before the work starts (it is not thread-safe).
 * TMK_OK or TMK_ENOMEM. */
int tmk_io_data_dir_set(const char *dir, tmk_error *err);
/* The folder set by tmk_io_data_dir_set (borrowed), or NULL. */
const char *tmk_io_data_dir(void);

#ifdef __cplusplus
}
#endif
#endif
