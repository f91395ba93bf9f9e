/* utf8_map.c -- what writes UTF-8 text into a tmk_buf: NFC (tmk_utf8_nfc,
 * tmk__utf8_nfc_keep) and lower-casing (tmk_utf8_lower).  Decoding and the
 * character classes stay in utf8.c, below tmk_buf (buf.c uses them). */
#include <config.h>
#include <stdlib.h>
#include <utf8proc.h>
#include "tmkit/utf8.h"
#include "tmkit/error.h"
#include "internal.h"

/* True when every code point of s is certainly unchanged by NFC: below
 * U+0300 (no combining marks there), or in General Punctuation / currency
 * / letterlike blocks that have no canonical composition partners. */
static int nfc_quick(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < len; i++) {
        unsigned c = p[i];
        if (c < 0xCC)
            continue; /* ASCII, continuation bytes, or lead byte < U+0300 */
        if (c == 0xE2 && i + 1 < len && p[i + 1] >= 0x80 && p[i + 1] <= 0x82) {
            /* U+2000..U+20BF: punctuation, super/subscripts, currency;
             * U+2000/2001 have singleton decompositions */
            if (p[i + 1] == 0x80 && i + 2 < len && (p[i + 2] == 0x80 || p[i + 2] == 0x81))
                return 0;
            i += 2;
            continue;
        }
        return 0;
    }
    return 1;
}

int tmk_utf8_nfc(const char *s, size_t len, tmk_buf *out)
{
    if (nfc_quick(s, len))
        return tmk_buf_add(out, s, len);
    utf8proc_uint8_t *dst = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &dst,
                                      UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    if (n < 0) {
        free(dst);
        return n == UTF8PROC_ERROR_NOMEM ? TMK_ENOMEM : TMK_EENCODING;
    }
    int rc = tmk_buf_add(out, dst, (size_t)n);
    free(dst);
    return rc;
}

/* A code point that NFC replaces by another single one although nothing
 * composes with it (a canonical singleton starter): U+0387 GREEK ANO TELEIA
 * (-> U+00B7), U+037E GREEK QUESTION MARK (-> ";"), U+2126 OHM SIGN,
 * U+212B ANGSTROM SIGN, the CJK compatibility ideographs, ... */
static int nfc_singleton(int32_t cp)
{
    if (cp < 0x300)
        return 0;
    const utf8proc_property_t *pr = utf8proc_get_property(cp);
    if (pr->combining_class != 0)
        return 0;
    utf8proc_int32_t d[4];
    int last = 0;
    utf8proc_ssize_t n = utf8proc_decompose_char(cp, d, 4, UTF8PROC_DECOMPOSE, &last);
    return n == 1 && d[0] != cp;
}

int tmk__utf8_nfc_keep(const char *s, size_t len, tmk_buf *out)
{
    if (nfc_quick(s, len))
        return tmk_buf_add(out, s, len);
    size_t from = 0, i = 0, adv;
    while (i < len) {
        int32_t cp = tmk_utf8_decode(s + i, len - i, &adv);
        if (adv == 0)
            adv = 1;
        if (cp >= 0 && nfc_singleton(cp)) {
            int rc = from < i ? tmk_utf8_nfc(s + from, i - from, out) : TMK_OK;
            if (rc < 0 || (rc = tmk_buf_add(out, s + i, adv)) < 0)
                return rc;
            from = i + adv;
        }
        i += adv;
    }
    return from < len ? tmk_utf8_nfc(s + from, len - from, out) : TMK_OK;
}

int tmk_utf8_lower(const char *s, size_t len, tmk_buf *out)
{
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            if (tmk_buf_addch(out, (c >= 'A' && c <= 'Z') ? c + 32 : c) < 0)
                return TMK_ENOMEM;
            i++;
            continue;
        }
        size_t adv;
        int32_t cp = tmk_utf8_decode(s + i, len - i, &adv);
        if (cp < 0) {
            if (tmk_buf_add(out, s + i, 1) < 0)
                return TMK_ENOMEM;
        } else {
            char enc[4];
            int n = tmk_utf8_encode(tmk_utf8_tolower(cp), enc);
            if (tmk_buf_add(out, enc, (size_t)n) < 0)
                return TMK_ENOMEM;
        }
        i += adv;
    }
    return TMK_OK;
}
