#include <config.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include "tmkit/utf8.h"
#include "tmkit/error.h"
#include "internal.h"

int32_t tmk_utf8_decode(const char *s, size_t len, size_t *adv)
{
    const unsigned char *p = (const unsigned char *)s;
    unsigned c = p[0];
    *adv = 1;
    if (c < 0x80)
        return (int32_t)c;
    int n;
    int32_t cp, min;
    if (c >= 0xC2 && c <= 0xDF) { n = 1; cp = c & 0x1F; min = 0x80; }
    else if (c >= 0xE0 && c <= 0xEF) { n = 2; cp = c & 0x0F; min = 0x800; }
    else if (c >= 0xF0 && c <= 0xF4) { n = 3; cp = c & 0x07; min = 0x10000; }
    else return -1;
    if ((size_t)n + 1 > len)
        return -1;
    for (int i = 1; i <= n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return -1;
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return -1;
    *adv = (size_t)n + 1;
    return cp;
}

int tmk_utf8_encode(int32_t cp, char out[4])
{
    unsigned char *o = (unsigned char *)out;
    if (cp < 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    if (cp < 0x80) { o[0] = (unsigned char)cp; return 1; }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

size_t tmk_utf8_valid_prefix(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        if ((unsigned char)s[i] < 0x80) { i++; continue; }
        size_t adv;
        if (tmk_utf8_decode(s + i, len - i, &adv) < 0)
            return i;
        i += adv;
    }
    return len;
}

size_t tmk_utf8_count(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            n++;
    return n;
}

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

static int cat(int32_t cp)
{
    if (cp < 0 || cp > 0x10FFFF)
        return UTF8PROC_CATEGORY_CN;
    return utf8proc_category(cp);
}

int tmk_utf8_is_upper(int32_t cp)
{
    if (cp < 0x80) return cp >= 'A' && cp <= 'Z';
    int c = cat(cp);
    return c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LT;
}

int tmk_utf8_is_lower(int32_t cp)
{
    if (cp < 0x80) return cp >= 'a' && cp <= 'z';
    return cat(cp) == UTF8PROC_CATEGORY_LL;
}

int tmk_utf8_is_letter(int32_t cp)
{
    if (cp < 0x80) return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
    int c = cat(cp);
    return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO;
}

int tmk_utf8_is_digit(int32_t cp)
{
    if (cp < 0x80) return cp >= '0' && cp <= '9';
    return cat(cp) == UTF8PROC_CATEGORY_ND;
}

int tmk_utf8_is_space(int32_t cp)
{
    if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\v' || cp == '\f')
        return 1;
    if (cp < 0x80) return 0;
    return cp == 0x85 || cp == 0x2028 || cp == 0x2029 || cat(cp) == UTF8PROC_CATEGORY_ZS;
}

int tmk_utf8_is_punct(int32_t cp)
{
    int c = cat(cp);
    return c >= UTF8PROC_CATEGORY_PC && c <= UTF8PROC_CATEGORY_PO;
}

int32_t tmk_utf8_tolower(int32_t cp)
{
    if (cp < 0x80) return (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
    return utf8proc_tolower(cp);
}

int32_t tmk_utf8_toupper(int32_t cp)
{
    if (cp < 0x80) return (cp >= 'a' && cp <= 'z') ? cp - 32 : cp;
    return utf8proc_toupper(cp);
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
