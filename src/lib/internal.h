/* internal.h -- helpers shared inside libtmkit (not installed). */
#ifndef TMK_INTERNAL_H
#define TMK_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "tmkit/tmkit.h"

/* tmkit.h rule 5: the caller's options opt (NULL: none; its first member is
 * its size_t size) over the defaults in *def (def_size bytes): only the
 * bytes opt->size covers are read, the rest keep their defaults. */
static inline void tmk__options_copy(void *def, size_t def_size, const void *opt)
{
    if (!opt)
        return;
    size_t n;
    memcpy(&n, opt, sizeof n);
    memcpy(def, opt, n < def_size ? n : def_size);
    memcpy(def, &def_size, sizeof def_size);
}

/* tmkit.h rule 6: a feed, add or finish after the object's finish.  what
 * names the object ("TMX writer"). */
#define tmk__after_finish(err, what)                                            \
    tmk_error_set_detail((err), TMK_EINVAL, TMK_D_AFTER_FINISH, 0, 0,          \
                         "the %s has finished: a program must make a new one for more input "  \
                         "(this is a mistake in the program, not in the file)", (what))

/* err->file names the input of a call only while it fails (error.h): a
 * call names it with tmk__name_push (old: TMK_ERROR_FILE_MAX bytes of the
 * caller's) and gives the caller's name back on success with
 * tmk__name_pop, which returns rc. */
static inline void tmk__name_push(tmk_error *err, const char *name, char *old)
{
    if (err) {
        memcpy(old, err->file, sizeof err->file);
        if (name)
            tmk_error_set_file(err, name);
    }
}
static inline int tmk__name_pop(tmk_error *err, const char *old, int rc)
{
    if (err && rc >= 0)
        memcpy(err->file, old, sizeof err->file);
    return rc;
}

/* tmkit.h rule 2: a call that succeeds leaves the caller's err as it was,
 * though its work may name files in it (an SRX file, the text being
 * segmented, a dictionary) or fill it for a failure it gets over.  A public
 * call that does so keeps a copy with tmk__err_keep (saved: a tmk_error
 * made with TMK_ERROR_INIT) and ends with tmk__err_back, which puts the
 * copy back when rc >= 0 and returns rc. */
static inline void tmk__err_keep(const tmk_error *err, tmk_error *saved)
{
    if (err)
        *saved = *err;
}
static inline int tmk__err_back(tmk_error *err, const tmk_error *saved, int rc)
{
    if (err && rc >= 0)
        *err = *saved;
    return rc;
}

#define TMK_TRY(x)                                                              \
    do {                                                                       \
        int tmk_try_rc_ = (x);                                                 \
        if (tmk_try_rc_ < 0)                                                   \
            return tmk_try_rc_;                                                \
    } while (0)

/* Locate a data file shipped with tmkit (rule files, word lists): looks in
 * data_dir (the caller's options; NULL or "": none), then the installed
 * data folder, then the source tree's dictionaries/ folder.  rel is
 * relative to that folder ("srx/de.srx").  Returns a malloc'ed path or
 * NULL when not found. */
char *tmk__data_path(const char *data_dir, const char *rel);

/* The hash of one tuv for tmk_tmx_unit_hash (the unit's is the sum over its
 * tuvs); scratch is working space.  TMK_OK or TMK_ENOMEM (err not set). */
int tmk__tuv_hash(const tmk_tmx_tuv *v, tmk_buf *scratch, uint64_t *out);
/* The unit identity counts a seg's inline markup: each tag (start 0, end 1)
 * by its name and its place in the plain text (at, bytes), and the text of
 * native codes, never attributes.  tmk__markup_event appends a tag to the
 * markup form m (code text is appended as it is); tmk__markup_hash hashes
 * that form (never 0); tmk__ident_markup combines a tuv's hash with it (0:
 * no markup, the hash unchanged).  tm_unit.c. */
int tmk__markup_event(tmk_buf *m, int end, const char *name, size_t nlen, size_t at);
/* The one scanner of a seg's XML content (tmk_tmx_seg_plain and the unit
 * identity): its plain text, entities decoded and the text of native codes
 * (bpt, ept, it, ph, ut) left out, is appended to plain; with m not NULL,
 * its markup form (each tag by name and place, the native code text;
 * attributes dropped) goes to m, as the lean reader builds it.  TMK_OK or
 * TMK_ENOMEM.  tm_unit.c. */
int tmk__seg_split(const char *seg, size_t len, tmk_buf *plain, tmk_buf *m);
uint64_t tmk__markup_hash(const char *m, size_t n);
uint64_t tmk__ident_markup(uint64_t tuv_hash, uint64_t mhash);
struct tmk_tmx_reader;
/* The markup hash of tuv i of the unit just read on the lean path (TEXT_ONLY),
 * 0 when it had no inline markup.  tmx_lean.c. */
uint64_t tmk__tmx_reader_tuv_mhash(const struct tmk_tmx_reader *r, size_t i);

/* Whether code is a language code as people write them: tmk_lang_valid and
 * a primary language subtag of 2 or 3 letters (the ISO 639-1/-2/-3 shape;
 * "x-"/"i-" tags too).  BCP 47 also allows a primary subtag of 5 to 8
 * letters, but none is registered in use: such a "code" is a word, a
 * column title (German, Quelle, Source).  tmx_write.c. */
int tmk__lang_plausible(const char *code);

/* strdup that returns NULL only on no memory (and for NULL input). */
char *tmk__strdup(const char *s);
char *tmk__strndup(const char *s, size_t n);
/* tmk_lang_canonical for the library: NULL for NULL or out of memory. */
char *tmk__lang_canonical(const char *code);

/* NFC for text a person reads (decode): like tmk_utf8_nfc, but a character
 * that NFC would replace by another single one (U+0387 GREEK ANO TELEIA,
 * U+037E GREEK QUESTION MARK, U+212B ANGSTROM SIGN, CJK compatibility
 * ideographs) is kept as written.  The result is canonically equivalent
 * to the input. */
int tmk__utf8_nfc_keep(const char *s, size_t len, struct tmk_buf *out);
/* Read path (as named: "-" is a file called "-") in chunks, passing each
 * to sink (which returns TMK_OK to go on or a negative code to stop with),
 * up to max bytes (0 = TMK_READ_FILE_MAX): past that TMK_ELIMIT
 * (tmk__too_large), so that an endless stream (/dev/zero) stops.  Sets
 * err->file to path. */
int tmk__read_limited(const char *path, size_t max,
                      int (*sink)(const char *data, size_t len, void *ud, tmk_error *err),
                      void *ud, tmk_error *err);
/* The same on the open stream f (not closed); err->file: name, unless
 * NULL. */
int tmk__read_limited_stream(FILE *f, const char *name, size_t max,
                             int (*sink)(const char *data, size_t len, void *ud,
                                         tmk_error *err),
                             void *ud, tmk_error *err);
/* Fill err with "stopped reading after max bytes" (TMK_ELIMIT). */
int tmk__too_large(tmk_error *err, size_t max);

#endif
