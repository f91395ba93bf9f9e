/* tmkit/lang.h -- language tags (BCP 47), as every module compares and
 * writes them: the TMX writer and reader, merge, stats, lookup, convert.
 * Codes are NUL-terminated ASCII strings ("de-DE", "pt_BR", "*all*").
 */
#ifndef TMKIT_LANG_H
#define TMKIT_LANG_H

#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Canonical spelling of a language code (BCP 47 case conventions):
 * "de_de" -> "de-DE", "EN" -> "en", "zh-hant-tw" -> "zh-Hant-TW"; "*all*"
 * stays.  On TMK_OK *out is the result (the caller frees it with
 * tmk_free); TMK_EINVAL when code is NULL, TMK_ENOMEM; *out is NULL then. */
int tmk_lang_canonical(char **out, const char *code, tmk_error *err);

/* Whether code is a well-formed BCP 47 language tag (syntax only, no
 * registry lookup; "x-..." private tags and "i-..." grandfathered forms
 * accepted).  "*all*" is not a language tag: check it separately. */
int tmk_lang_valid(const char *code);

/* Language matching as every command does it: equal ignoring case and
 * '_' vs '-', or want has no region and lang is want plus a region
 * ("de" matches "de-DE" and "de_AT", "de-DE" only "de-DE"). */
int tmk_lang_match(const char *lang, const char *want);

#ifdef __cplusplus
}
#endif
#endif
