/* tmkit/io.h -- whole-file reads, temporary files.
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

/* A new temporary file in the folder dir (NULL or "" means "/tmp"), for
 * temporary data that is not an output (the sorted runs of tmk_sorter,
 * which `merge` and `stats` use on large inputs).  The library reads no
 * environment variable and keeps no process-wide folder: every object that
 * makes temporary files takes its folder in its options (temp_dir; tmkit
 * passes $TMPDIR).  The file is open for reading and writing and already
 * removed from the folder (it takes no name, and its space is freed when
 * it is closed or the program ends, however it ends): TMK_OK and *out,
 * which the caller closes with fclose; else *out is NULL and the code is
 * TMK_EIO with detail TMK_D_TEMP_DIR (the message names the folder and the
 * system's reason) or TMK_ENOMEM. */
int tmk_io_temp_file(FILE **out, const char *dir, tmk_error *err);

/* tmkit's data (segmentation rules, word lists: the files under
 * dictionaries/ in the source tree) is looked for in the data_dir of the
 * options of the object that needs it (tmk_segment_options,
 * tmk_spell_options, tmk_align_options, tmk_build_options; tmkit passes
 * $TMKIT_DATADIR), then in the installed data folder and the source
 * tree's.  There is no process-wide setting. */

#ifdef __cplusplus
}
#endif
#endif
