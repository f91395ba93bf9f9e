/* tmkit/tmkit.h -- the whole public API of libtmkit.
 *
 * Conventions for every module:
 *  - Strings are UTF-8, passed as (const char *, size_t) where they may
 *    hold NUL bytes.  Inputs are borrowed: the library copies what it keeps.
 *  - Functions return TMK_OK (0) or a negative TMK_E* code, or a pointer
 *    that is NULL on failure; the optional last argument `tmk_error *err`
 *    then says what and where.  The library never prints or exits.
 *  - Objects are opaque, made by x_new and freed by x_free; x_free(NULL)
 *    does nothing.  Pointers passed to callbacks are valid only during the
 *    call.
 */
#ifndef TMKIT_TMKIT_H
#define TMKIT_TMKIT_H

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

#ifdef __cplusplus
extern "C" {
#endif

/* The library version, "MAJOR.MINOR.PATCH". */
const char *tmk_version(void);

#ifdef __cplusplus
}
#endif
#endif
