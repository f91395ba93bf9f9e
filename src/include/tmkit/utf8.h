/* tmkit/utf8.h -- small UTF-8 helpers used by every module.
 *
 * Strings are UTF-8, passed as (const char *s, size_t len); they may hold
 * NUL bytes.  Classification uses Unicode general categories (utf8proc).
 */
#ifndef TMKIT_UTF8_H
#define TMKIT_UTF8_H

#include <stddef.h>
#include <stdint.h>
#include "buf.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Decode one code point at s (len > 0).  Returns the code point and sets
 * *adv to the bytes used (>= 1); returns -1 on an invalid sequence (*adv = 1). */
int32_t tmk_utf8_decode(const char *s, size_t len, size_t *adv);
/* Encode cp into out (4 bytes room); returns the number of bytes (0 if cp invalid). */
int tmk_utf8_encode(int32_t cp, char out[4]);
/* Returns the length of the longest valid UTF-8 prefix of s; == len if all valid. */
size_t tmk_utf8_valid_prefix(const char *s, size_t len);
/* Number of code points in s (invalid bytes count one each). */
size_t tmk_utf8_count(const char *s, size_t len);
/* Append the NFC form of s to out.  Returns TMK_OK or TMK_ENOMEM / TMK_EENCODING. */
int tmk_utf8_nfc(const char *s, size_t len, tmk_buf *out);
/* Character classes (Unicode general category). */
int tmk_utf8_is_upper(int32_t cp);   /* Lu or Lt */
int tmk_utf8_is_lower(int32_t cp);   /* Ll */
int tmk_utf8_is_letter(int32_t cp);  /* L* */
int tmk_utf8_is_digit(int32_t cp);   /* Nd */
int tmk_utf8_is_space(int32_t cp);   /* Zs, tab, LF, CR, VT, FF, U+0085, U+2028/9 */
int tmk_utf8_is_punct(int32_t cp);   /* P* */
int32_t tmk_utf8_tolower(int32_t cp);
int32_t tmk_utf8_toupper(int32_t cp);
/* Append the lowercase (simple case mapping) of s to out. */
int tmk_utf8_lower(const char *s, size_t len, tmk_buf *out);

#ifdef __cplusplus
}
#endif
#endif
