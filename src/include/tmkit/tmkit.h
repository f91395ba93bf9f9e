/* tmkit/tmkit.h -- the whole public API of libtmkit.
 *
 * THE API CONTRACT.  Every module follows these rules; a module written
 * before them says so in its header and is being brought in line (issue 12);
 * new modules (lookup, analysis) follow them from their first line.
 *
 *  1. Names.  Every exported symbol starts tmk_<module>_ (types too), every
 *     macro and enum constant TMK_.  Opaque objects are made by
 *     tmk_<obj>_new or tmk_<obj>_open and freed by tmk_<obj>_free;
 *     tmk_<obj>_free(NULL) does nothing.  Memory the library hands over
 *     (a string, an array) is freed with tmk_free.  A struct the caller
 *     owns and the library only fills (tmk_buf) has git's strbuf verbs
 *     instead: TMK_<X>_INIT or tmk_<x>_init, and tmk_<x>_release, which
 *     frees what it holds, not the struct.
 *  2. Errors.  A fallible function returns int: TMK_OK (0) or a negative
 *     enum tmk_error_code.  An object is returned through an out-parameter
 *     (int tmk_x_new(tmk_x **out, ..., tmk_error *err)), so NULL never has
 *     to mean both "none" and "out of memory".  The optional last argument
 *     tmk_error *err gets the code, a detail (enum tmk_error_detail), the position
 *     and a message for the person reading it.  Programs decide on code and
 *     detail, never on the message text.  The library never prints, never
 *     exits, never aborts, never reads the environment: folders, clock and
 *     thread count come in through options.
 *  3. Strings are UTF-8 as (const char *, size_t) where they may hold NUL.
 *     Inputs are borrowed: the library copies what it keeps.
 *  4. Callbacks.  One shape: int cb(void *ud, const T *item), ud first.
 *     Return 0 to go on, non-zero to stop; the function that called it then
 *     returns TMK_ECANCELED (or the callback's own negative tmk_error_code, when it
 *     returns one).  Callbacks are passed as (cb, ud) arguments, never set
 *     later, and where they are passed is fixed per object: the TMX, TSV,
 *     table and PO readers and the TMX and table writers take theirs at _new
 *     (for the object's whole life); the segmenter and the XLIFF reader take
 *     them at every feed and finish call (for what that call produces); a
 *     one-call operation (tmk_spell_text, tmk_tm_merge, ...) takes them as
 *     its arguments (tmk_align_run: on_dict in its options).  What a callback
 *     is given is borrowed and valid only during the call.
 *  5. Options structs grow without breaking callers: the first member is
 *     size_t size, set by the TMK_<X>_OPTIONS_INIT macro to the struct's
 *     size when the caller was compiled; the library reads only the members
 *     that size covers, and treats the others as their defaults.  A NULL
 *     options pointer means all defaults.
 *  6. Streaming is push: tmk_x_feed(obj, data, len, err) any number of
 *     times, then tmk_x_finish(obj, err).  Writers take a sink callback
 *     (int sink(void *ud, const char *data, size_t len)) or a FILE *.
 *  7. Threads: an object is used by one thread at a time unless its header
 *     says otherwise; distinct objects are independent.
 *  8. Files.  A path is read as named: "-" is a file called "-" (standard
 *     input for "-" is the tmkit program's convention).  A function that
 *     reads a path has a _stream variant that reads an open FILE * to its
 *     end and leaves it open.  The library writes no output file by name
 *     (writers: rule 6; atomic replacement is the program's, README).
 */
#ifndef TMKIT_TMKIT_H
#define TMKIT_TMKIT_H

#include "tmkit/version.h"
#include "error.h"
#include "buf.h"
#include "utf8.h"
#include "decode.h"
#include "io.h"
#include "segment.h"
#include "spell.h"
#include "align.h"
#include "tmx.h"
#include "tsv.h"
#include "tm.h"
#include "lookup.h"
#include "wordcount.h"
#include "stats.h"
#include "analyze.h"
#include "document.h"
#include "build.h"
#include "xliff.h"
#include "po.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Free memory the library handed over (strings, arrays); NULL does nothing. */
void tmk_free(void *p);

/* The library version, "MAJOR.MINOR.PATCH" (the loaded library's, which
 * may differ from TMK_VERSION_STRING of the headers a program was built
 * with), and the same as TMK_VERSION_NUMBER computes it. */
const char *tmk_version(void);
int tmk_version_number(void);

#ifdef __cplusplus
}
#endif
#endif
