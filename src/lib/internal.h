/* internal.h -- helpers shared inside libtmkit (not installed). */
#ifndef TMK_INTERNAL_H
#define TMK_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include "tmkit/tmkit.h"

#define TMK_TRY(x)                                                              \
    do {                                                                       \
        int tmk_try_rc_ = (x);                                                 \
        if (tmk_try_rc_ < 0)                                                   \
            return tmk_try_rc_;                                                \
    } while (0)

/* Locate a data file shipped with tmkit (rule files, word lists): looks in
 * $TMKIT_DATADIR, then the installed data folder, then the source tree's
 * dictionaries/ folder.  rel is relative to that folder ("srx/de.srx").
 * Returns a malloc'ed path or NULL when not found. */
char *tmk__data_path(const char *rel);

/* The hash of one tuv for tmk_tmx_unit_hash (the unit's is the sum over its
 * tuvs); scratch is working space.  TMK_OK or TMK_ENOMEM (err not set). */
int tmk__tuv_hash(const tmk_tuv *v, tmk_buf *scratch, uint64_t *out);

/* strdup that returns NULL only on no memory (and for NULL input). */
char *tmk__strdup(const char *s);
char *tmk__strndup(const char *s, size_t n);

/* NFC for text a person reads (decode): like tmk_utf8_nfc, but a character
 * that NFC would replace by another single one (U+0387 GREEK ANO TELEIA,
 * U+037E GREEK QUESTION MARK, U+212B ANGSTROM SIGN, CJK compatibility
 * ideographs) is kept as written.  The result is canonically equivalent
 * to the input. */
int tmk__utf8_nfc_keep(const char *s, size_t len, struct tmk_buf *out);
/* Read path ("-" = stdin) in chunks, passing each to sink (which returns
 * TMK_OK to go on or a negative code to stop with), up to max bytes (0 =
 * TMK_READ_FILE_MAX): past that TMK_ELIMIT (tmk__too_large), so that an
 * endless stream (/dev/zero) stops.  Sets err->file to path. */
int tmk__read_limited(const char *path, size_t max,
                      int (*sink)(const char *data, size_t len, void *ud, tmk_error *err),
                      void *ud, tmk_error *err);
/* Fill err with "stopped reading after max bytes" (TMK_ELIMIT). */
int tmk__too_large(tmk_error *err, size_t max);

#endif
