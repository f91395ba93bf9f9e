/* tmkit/tmkit.h -- the whole public API of libtmkit.
 *
 * THE API CONTRACT.  Every module follows these rules (the exceptions are
 * named below, each with its reason); a new module follows them from its
 * first line.
 *
 *  1. Names.  Every exported symbol starts tmk_<module>_ (types and struct
 *     and enum tags too), every macro and enum constant TMK_.  <module> is
 *     the module's short name or the name of one of its objects, per
 *     header: error, buf, utf8, lang, io, decode/decoder,
 *     segment/segmenter, spell/speller, align, tmx, tsv/table, tm/sorter
 *     (tm.h, and lookup.h's memory tmk_tm), wc (wordcount.h), stats,
 *     analysis (analyze.h), doc (document.h), build/builder, xliff, po,
 *     version; tests/abi/names.py holds this list and checks every public
 *     name against it.  A type may be the bare tmk_<module> (tmk_buf,
 *     tmk_segmenter); a function has a verb after it (tmk_align_run), the
 *     contract's own tmk_free and tmk_version aside.  Opaque objects are made by
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
 *     detail, never on the message text.  A call that succeeds (TMK_OK, or
 *     a result >= 0) leaves *err as the caller passed it, even when it named
 *     files in it on the way (its input, an SRX file, a dictionary): a
 *     program may keep one tmk_error for many calls.  The library never
 *     prints, never exits, never aborts, never reads the environment and
 *     keeps no process-wide setting: folders, clock and thread count come
 *     in through the options of each object or call (data_dir: where
 *     tmkit's rules and word lists are looked for first, in the options of
 *     the segmenter, speller, aligner and builder; temp_dir: where
 *     temporary files go, in the options of the speller, stats and builder
 *     and an argument of tmk_sorter_new, tmk_tm_merge and
 *     tmk_io_temp_file; creation_time in tmk_tmx_write_options; threads in
 *     tmk_build_options), so two users of the library in one process may
 *     use different ones.  Two shapes besides:
 *     - A count, a score or a yes/no that the call computes is its int
 *       result, >= 0, and failure a negative code, never both in one
 *       value (as read(2), and SQLite's sqlite3_step with SQLITE_ROW and
 *       SQLITE_DONE): tmk_sorter_next (1 a record, 0 the end),
 *       tmk_speller_check (1 correct, 0 not), tmk_speller_suggest and
 *       tmk_speller_stem (how many), tmk_tm_score, tmk_tm_word_tokens.
 *       These are called once per record or word, so an out-parameter
 *       would only add a variable to every loop: test "< 0" for failure.
 *     - A function whose only failure is TMK_ENOMEM and which appends to
 *       the caller's tmk_buf (tmk_buf_*, tmk_utf8_nfc, tmk_tm_text_plain,
 *       tmk_tmx_seg_text, tmk_tsv_field_add, ...) returns the code and has
 *       no err: there is nothing more to say.
 *     Setters of an object return int as well (TMK_EINVAL for a value out
 *     of range, or a setting made too late).  Predicates and look-ups that
 *     cannot fail (tmk_lang_valid, tmk_tmx_find_tuv: -1 for none) return
 *     their answer and never a tmk_error_code.
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
 *     its arguments (tmk_align_run: on_dict in its options).  What a
 *     callback is given is borrowed and valid only during the call.  Not a
 *     callback in this sense: the comparator of tmk_sorter_new, which has
 *     qsort's shape (it orders, it cannot stop anything).  Every callback
 *     that is given items may be NULL: the items are then dropped and the
 *     call still checks its input and returns its code (a segmenter or
 *     speller run only for its return code, a reader run only to check a
 *     file).  A writer's sink is not such a callback: a writer needs one
 *     (or a FILE *), else TMK_EINVAL.
 *  5. Options structs grow without breaking callers: the first member is
 *     size_t size, set by the TMK_<X>_OPTIONS_INIT macro to the struct's
 *     size when the caller was compiled; the library reads only the members
 *     that size covers, and treats the others as their defaults.  A NULL
 *     options pointer means all defaults.
 *  6. Streaming is push: tmk_x_feed(obj, data, len, err) any number of
 *     times, then tmk_x_finish(obj, err).  Writers take a sink callback
 *     (int sink(void *ud, const char *data, size_t len)) or a FILE *.
 *     Finish ends the object's input: a feed, add or finish after it
 *     returns TMK_EINVAL with detail TMK_D_AFTER_FINISH, writes and
 *     calls nothing (the TMX writer never writes past </tmx>; a second
 *     finish in a clean-up path is harmless).  For the next input make a
 *     new object.  The one exception is the segmenter, whose header
 *     documents a restart (after finish the next feed starts a new text).
 *  7. Threads: an object is used by one thread at a time unless its header
 *     says otherwise; distinct objects are independent.
 *  8. Files.  A path is read as named: "-" is a file called "-" (standard
 *     input for "-" is the tmkit program's convention).  A function that
 *     reads a path has a _stream variant that reads an open FILE * to its
 *     end and leaves it open.  Exceptions, read by path only: Hunspell
 *     dictionaries and word lists (libhunspell opens the files itself),
 *     bilingual dictionaries (an index and its .dict.dz are read at
 *     offsets), the memories of tmk_tm_merge (read twice) and an SRX file
 *     (tmk_segmenter_new_srx_mem takes one in memory instead).  The
 *     library writes no output file by name (writers: rule 6; atomic
 *     replacement is the program's, README), unless a flag asks for one:
 *     tmk_tm_open's index file only with TMK_TM_INDEX_FILE.
 */
#ifndef TMKIT_TMKIT_H
#define TMKIT_TMKIT_H

#include "tmkit/version.h"
#include "error.h"
#include "buf.h"
#include "utf8.h"
#include "lang.h"
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
