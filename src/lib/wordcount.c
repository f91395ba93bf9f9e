/* wordcount.c -- GMX-V word and character counts (tmkit/wordcount.h).
 * Word boundaries come from the word scanner's UAX #29 mode (words_int.h:
 * libunistring's u8_wordbreaks, and an ASCII path without it); the
 * character properties and scripts from libunistring's unictype module. */
#include <stdlib.h>
#include <string.h>
#include <unictype.h>
#include <unistr.h>
#include "tmkit/wordcount.h"
#include "tmkit/buf.h"
#include "internal.h"
#include "words_int.h"

double tmk_wc_factor(int script)
{
    switch (script) {
    case TMK_WC_CHINESE: return 2.8;
    case TMK_WC_JAPANESE: return 3.0;
    case TMK_WC_KOREAN: return 3.3;
    case TMK_WC_THAI: return 6.0;
    default: return 0;
    }
}

/* factors in tenths, for integer rounding */
static const unsigned factor10[TMK_WC_NSCRIPTS] = {28, 30, 33, 60};

unsigned long long tmk_wc_words(const tmk_wc_counts *c)
{
    unsigned long long w = c->words;
    for (int k = 0; k < TMK_WC_NSCRIPTS; k++)
        w += (c->logograms[k] * 20 + factor10[k]) / (2ULL * factor10[k]);
    return w;
}

void tmk_wc_add(tmk_wc_counts *a, const tmk_wc_counts *b)
{
    a->words += b->words;
    a->numbers += b->numbers;
    for (int k = 0; k < TMK_WC_NSCRIPTS; k++)
        a->logograms[k] += b->logograms[k];
    a->characters += b->characters;
    a->spaces += b->spaces;
    a->punctuation += b->punctuation;
    a->tags += b->tags;
}

struct scripts {
    const uc_script_t *han, *hira, *kata, *bopo, *hangul, *thai;
    int ja;
};

/* the script class of a character counted by factor, or -1 */
static int logo_class(const struct scripts *sc, ucs4_t uc)
{
    if (uc < 0x0E00)
        return -1;
    if (sc->thai && uc_is_script(uc, sc->thai))
        return TMK_WC_THAI;
    if (uc < 0x1100)
        return -1;
    if (sc->hangul && uc_is_script(uc, sc->hangul))
        return TMK_WC_KOREAN;
    if (uc < 0x2E80)
        return -1;
    if ((sc->hira && uc_is_script(uc, sc->hira)) || (sc->kata && uc_is_script(uc, sc->kata)))
        return TMK_WC_JAPANESE;
    if (sc->han && uc_is_script(uc, sc->han))
        return sc->ja ? TMK_WC_JAPANESE : TMK_WC_CHINESE;
    if (sc->bopo && uc_is_script(uc, sc->bopo))
        return TMK_WC_CHINESE;
    return -1;
}

/* ASCII punctuation (category P) */
static int ascii_punct(unsigned char ch)
{
    return ch > 0x20 && ch < 0x7F && !((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                                        (ch >= '0' && ch <= '9')) &&
           !strchr("$+<=>^`|~", ch);
}

struct segcount {
    const uint8_t *s;
    const struct scripts *sc;
    tmk_wc_counts *c;
};

/* One segment between word boundaries (words_int.h, TMK__W_UAX29): a word
 * when it holds a letter or digit; then all its characters are characters,
 * else its punctuation is punctuation and the rest characters (GMX-V: "d'une
 * famille d'or." has 16 characters, 1 punctuation mark, 2 spaces). */
static int count_segment(const tmk__span *sp, void *ud)
{
    struct segcount *g = ud;
    const uint8_t *s = g->s + sp->off;
    size_t n = sp->len;
    tmk_wc_counts *c = g->c;
    int has_letter = 0, has_digit = 0;
    unsigned long long seg_chars = 0, seg_punct = 0;
    size_t i = 0;
    while (i < n) {
        unsigned char ch = s[i];
        if (ch < 0x80) {
            if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')) {
                has_letter = 1;
                seg_chars++;
            } else if (ch >= '0' && ch <= '9') {
                has_digit = 1;
                seg_chars++;
            } else if (ch == ' ' || (ch >= '\t' && ch <= '\r')) {
                c->spaces++;
            } else if (ascii_punct(ch)) {
                seg_punct++;
            } else {
                seg_chars++;
            }
            i++;
            continue;
        }
        ucs4_t uc;
        int k = u8_mbtouc_unsafe(&uc, s + i, n - i);
        if (k <= 0)
            k = 1;
        if (uc_is_property_white_space(uc)) {
            c->spaces++;
        } else {
            int lc = logo_class(g->sc, uc);
            if (lc >= 0) {
                c->logograms[lc]++;
                seg_chars++;
            } else if (uc_is_general_category(uc, UC_PUNCTUATION)) {
                seg_punct++;
            } else {
                seg_chars++;
                if (uc_is_general_category(uc, UC_LETTER))
                    has_letter = 1;
                else if (uc_is_general_category(uc, UC_NUMBER))
                    has_digit = 1;
            }
        }
        i += (size_t)k;
    }
    if (has_letter || has_digit) {
        c->words++;
        if (!has_letter)
            c->numbers++;
        c->characters += seg_chars + seg_punct;
    } else {
        c->characters += seg_chars;
        c->punctuation += seg_punct;
    }
    return 0;
}

static int count_plain(const uint8_t *s, size_t n, const struct scripts *sc, tmk_wc_counts *c,
                       tmk_error *err)
{
    const uint8_t *bad = u8_check(s, n);
    if (bad)
        return tmk_error_set_detail(err, TMK_EINVAL, TMK_D_NOT_UTF8, 0, 0,
                                    "the text is not UTF-8 (byte %zu)", (size_t)(bad - s) + 1);
    struct segcount g = {s, sc, c};
    if (tmk__words_scan((const char *)s, n, TMK__W_UAX29, 0, NULL, count_segment, &g) < 0)
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    return TMK_OK;
}

static int starts_name(const char *s, size_t n, size_t i, const char *name)
{
    size_t k = strlen(name);
    if (n - i < k + 1 || memcmp(s + i, name, k))
        return 0;
    char ch = s[i + k];
    return ch == '>' || ch == '/' || ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

/* seg form -> plain text (entities decoded, inline tags out, counted) */
static int seg_to_plain(const char *s, size_t n, tmk_buf *out, unsigned long long *tags)
{
    static const char *const paired[] = {"bpt", "ept", "it", "ph", "ut"};
    size_t i = 0;
    while (i < n) {
        if (s[i] == '&') {
            const char *semi = memchr(s + i, ';', n - i);
            size_t el = semi ? (size_t)(semi - (s + i)) + 1 : 0;
            char ch = 0;
            if (el == 5 && !memcmp(s + i, "&amp;", 5)) ch = '&';
            else if (el == 4 && !memcmp(s + i, "&lt;", 4)) ch = '<';
            else if (el == 4 && !memcmp(s + i, "&gt;", 4)) ch = '>';
            else if (el == 6 && !memcmp(s + i, "&quot;", 6)) ch = '"';
            else if (el == 6 && !memcmp(s + i, "&apos;", 6)) ch = '\'';
            if (ch) {
                if (tmk_buf_addch(out, ch) < 0)
                    return TMK_ENOMEM;
                i += el;
                continue;
            }
            if (el > 3 && el < 12 && s[i + 1] == '#') {
                unsigned long cp = 0;
                int hex = s[i + 2] == 'x' || s[i + 2] == 'X';
                char *end;
                char num[12];
                memcpy(num, s + i + 2 + hex, el - 3 - (size_t)hex);
                num[el - 3 - (size_t)hex] = 0;
                cp = strtoul(num, &end, hex ? 16 : 10);
                uint8_t u[6];
                int k;
                if (*end == 0 && cp > 0 && cp < 0x110000 &&
                    (k = u8_uctomb(u, (ucs4_t)cp, sizeof u)) > 0) {
                    if (tmk_buf_add(out, (const char *)u, (size_t)k) < 0)
                        return TMK_ENOMEM;
                    i += el;
                    continue;
                }
            }
        } else if (s[i] == '<') {
            const char *gt = memchr(s + i, '>', n - i);
            size_t end = gt ? (size_t)(gt - s) + 1 : n;
            int done = 0;
            for (size_t k = 0; k < sizeof paired / sizeof *paired && !done; k++) {
                if (!starts_name(s, n, i + 1, paired[k]))
                    continue;
                (*tags)++;
                done = 1;
                if (end >= 2 && s[end - 2] == '/') { /* <ph/> */
                    i = end;
                    break;
                }
                /* skip to the matching end tag (content is escaped code,
                 * apart from <sub>, which may hold its own elements) */
                char close[8];
                size_t cl = (size_t)snprintf(close, sizeof close, "</%s>", paired[k]);
                size_t j = end;
                int depth = 0;
                while (j < n) {
                    if (s[j] == '<' && starts_name(s, n, j + 1, paired[k]))
                        depth++;
                    if (n - j >= cl && !memcmp(s + j, close, cl)) {
                        if (depth == 0) {
                            j += cl;
                            break;
                        }
                        depth--;
                    }
                    j++;
                }
                i = j > n ? n : j;
            }
            if (done)
                continue;
            if (starts_name(s, n, i + 1, "hi") || starts_name(s, n, i + 1, "/hi"))
                (*tags)++;
            i = end; /* <hi>, </hi>, <sub>, </sub>: the markup goes, the text stays */
            continue;
        }
        if (tmk_buf_addch(out, s[i]) < 0)
            return TMK_ENOMEM;
        i++;
    }
    return TMK_OK;
}

int tmk_wc_count(const char *text, size_t len, const tmk_wc_options *opt, tmk_wc_counts *acc,
                 tmk_error *err)
{
    const char *lang = NULL;
    unsigned flags = 0;
    if (opt && opt->size >= offsetof(tmk_wc_options, lang) + sizeof opt->lang)
        lang = opt->lang;
    if (opt && opt->size >= offsetof(tmk_wc_options, flags) + sizeof opt->flags)
        flags = opt->flags;
    struct scripts sc;
    sc.han = uc_script_byname("Han");
    sc.hira = uc_script_byname("Hiragana");
    sc.kata = uc_script_byname("Katakana");
    sc.bopo = uc_script_byname("Bopomofo");
    sc.hangul = uc_script_byname("Hangul");
    sc.thai = uc_script_byname("Thai");
    sc.ja = lang && (lang[0] == 'j' || lang[0] == 'J') && (lang[1] == 'a' || lang[1] == 'A') &&
            (lang[2] == 0 || lang[2] == '-' || lang[2] == '_');
    tmk_wc_counts c;
    memset(&c, 0, sizeof c);
    int rc;
    if (flags & TMK_WC_SEG) {
        tmk_buf plain = TMK_BUF_INIT;
        rc = seg_to_plain(text, len, &plain, &c.tags);
        if (rc < 0)
            rc = tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
        else
            rc = count_plain((const uint8_t *)plain.data, plain.len, &sc, &c, err);
        tmk_buf_release(&plain);
    } else {
        rc = count_plain((const uint8_t *)text, len, &sc, &c, err);
    }
    if (rc == TMK_OK)
        tmk_wc_add(acc, &c);
    return rc;
}
