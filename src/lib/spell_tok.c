/* spell_tok.c -- the spell-checker's and the memory lookup's policies on
 * top of the word scanner (words_int.h).
 *
 * Spell: a whitespace-delimited run that is a URL, an e-mail address or a
 * file path is skipped whole; gender forms stay one word; every other word
 * proper (letters, marks, digits and inner connectors: quotation marks,
 * brackets, slashes, dashes and punctuation never reach Hunspell) is
 * cleaned (see tmk__words_clean) and skipped when it holds no letter
 * (numbers, ordinals, dates), mixes digits and letters without a hyphen
 * (codes such as MP3), looks like a file name (config.txt) or, on request,
 * is in capitals.  A word longer than Hunspell can check is passed on
 * marked too long (text that lost its spaces must not go unseen).
 */
#include <stdlib.h>
#include <config.h>
#include <string.h>
#include <utf8proc.h>
#include "internal.h"
#include "spell_int.h"
#include "words_int.h"

/* the scanner's classes under short names */
#define C_LETTER TMK__WC_LETTER
#define C_DIGIT TMK__WC_DIGIT
#define C_HYPHEN TMK__WC_HYPHEN
#define C_APOS TMK__WC_APOS
#define C_DOT TMK__WC_DOT
#define C_IGNORE TMK__WC_IGNORE
#define C_GENDER TMK__WC_GENDER

/* A file or host name: letters before a dot, then 1-4 lowercase ASCII
 * letters or digits at the end ("config.txt", "example.com"). */
static int looks_like_file(const struct tmk__wch *c, size_t n)
{
    size_t last = n;
    for (size_t i = 0; i < n; i++)
        if (c[i].cls == C_DOT)
            last = i;
    if (last == n || last < 2 || n - last - 1 < 1 || n - last - 1 > 4)
        return 0;
    if (c[last - 1].cls == C_DOT || c[last - 2].cls == C_DOT)
        return 0; /* "u.s.w": one letter before the dot */
    for (size_t i = last + 1; i < n; i++) {
        int32_t x = c[i].cp;
        if (!((x >= 'a' && x <= 'z') || (x >= '0' && x <= '9')))
            return 0;
    }
    return 1;
}

static int is_low(int32_t x) { return x < 0x80 ? (x >= 'a' && x <= 'z') : tmk_utf8_is_lower(x); }
static int is_up(int32_t x) { return x < 0x80 ? (x >= 'A' && x <= 'Z') : tmk_utf8_is_upper(x); }

/* Identifiers and brand names, not words of the language: camelCase
 * ("LoaderEntryDefault", "WebSocket", "iPhone") and dotted names with two
 * or more dots and a part of three letters or more
 * ("org.freedesktop.DBus"; "z.B." and "u.s.w." stay words). */
static int looks_like_code(const struct tmk__wch *c, size_t n)
{
    size_t dots = 0, part = 0, longest = 0;
    for (size_t i = 0; i < n; i++) {
        if (i && c[i].cls == C_LETTER && c[i - 1].cls == C_LETTER && is_low(c[i - 1].cp) &&
            is_up(c[i].cp))
            return 1;
        if (c[i].cls == C_DOT) {
            dots++;
            part = 0;
        } else if (++part > longest) {
            longest = part;
        }
    }
    return dots >= 2 && longest >= 3;
}

/* A Binnen-I ending ("LehrerInnen", "SchülerIn"): the index of the I in
 * c[0..n), or 0. */
static size_t binnen_i(const struct tmk__wch *c, size_t n)
{
    static const size_t lens[2] = {5, 2};
    for (size_t li = 0; li < 2; li++) {
        size_t len = lens[li];
        if (n < len + 2)
            continue;
        size_t i = n - len;
        static const char tail[] = "Innen";
        int ok = is_low(c[i - 1].cp) && c[i - 1].cls == C_LETTER;
        for (size_t j = 0; ok && j < len; j++)
            ok = c[i + j].cp == (j + 1 == len ? 'n' : tail[j]);
        if (ok)
            return i;
    }
    return 0;
}

struct tokstate {
    const char *text;
    unsigned flags;
    tmk_buf *scratch;
    tmk__tok_fn fn;
    void *ud;
};

/* One word span: the spell policy (what is skipped, what Hunspell sees). */
static int spell_span(const tmk__span *sp, void *ud)
{
    struct tokstate *ts = ud;
    if (sp->kind != TMK__SPAN_WORD)
        return 0; /* addresses are skipped whole */
    const struct tmk__wch *c = sp->c;
    size_t a = sp->a, b = sp->b, over_end = sp->over_end;
    int trunc = sp->trunc;
    if (a >= b)
        return 0;
    if (sp->letters == 0)
        return 0; /* numbers, ordinals, dates */
    if (sp->digits && !sp->hyphens)
        return 0; /* codes: MP3, 2024er, H2O */
    /* a Binnen-I ending is no camelCase: "LehrerInnen" is checked */
    size_t bi = over_end ? 0 : binnen_i(c + a, b - a);
    if (looks_like_file(c + a, b - a) || looks_like_code(c + a, bi ? bi : b - a))
        return 0;
    if ((ts->flags & TMK_SPELL_IGNORE_CAPS) && sp->letters >= 2 && sp->lower == 0)
        return 0;
    /* a long compound with hyphens is checked part by part; a part (or a
     * word) longer than Hunspell checks is not */
    int toolong = over_end || sp->longest > TMK_SPELL_MAXCHARS;
    tmk_buf *w = ts->scratch;
    TMK_TRY(tmk__words_clean(w, ts->text, c, a, b));
    if (trunc)
        TMK_TRY(tmk_buf_addch(w, '-'));
    if (over_end)
        TMK_TRY(tmk_buf_adds(w, "\xE2\x80\xA6")); /* ... and more */
    /* a gender form: the form without its marker after the word's NUL
     * ("Lehrer*innen" -> "Lehrerinnen", "LehrerInnen" -> "Lehrerinnen") */
    int gender = bi > 0 || (sp->flags & TMK__WF_GENDER);
    size_t wlen = w->len, altoff = 0;
    if (gender) {
        TMK_TRY(tmk_buf_addch(w, '\0'));
        altoff = w->len;
        for (size_t i = a; i < b; i++) {
            int rc = TMK_OK;
            switch (c[i].cls) {
            case C_IGNORE: case C_GENDER: break;
            case C_HYPHEN: rc = tmk_buf_addch(w, '-'); break;
            case C_APOS: rc = tmk_buf_addch(w, '\''); break;
            default:
                rc = (bi && i == a + bi) ? tmk_buf_addch(w, 'i')
                                         : tmk_buf_add(w, ts->text + c[i].off, c[i].n);
                break;
            }
            TMK_TRY(rc);
        }
        if (trunc)
            TMK_TRY(tmk_buf_addch(w, '-'));
    }
    size_t end = trunc ? b : b - 1; /* the last char in the span: the dash if cut */
    struct tmk__tok t;
    t.word = w->data;
    t.wlen = wlen;
    t.alt = gender ? w->data + altoff : NULL;
    t.altlen = gender ? w->len - altoff : 0;
    t.off = c[a].off;
    t.len = (over_end ? over_end : c[end].off + c[end].n) - c[a].off;
    t.col = sp->col + (unsigned long)a;
    t.dot = sp->dots == 1 && !trunc;
    t.trunc = trunc;
    t.toolong = toolong;
    return ts->fn(&t, ts->ud);
}

int tmk__spell_tokens(const char *text, size_t len, unsigned flags, tmk_buf *scratch,
                      tmk__tok_fn fn, void *ud)
{
    struct tokstate ts = {text, flags, scratch, fn, ud};
    tmk__words_mem mem = TMK__WORDS_MEM_INIT;
    unsigned wf = TMK__W_ADDRESS | TMK__W_GENDER | TMK__W_WORDS_ONLY | TMK__W_CASE;
    int rc = tmk__words_scan(text, len, wf, TMK_SPELL_MAX_RUN, &mem, spell_span, &ts);
    tmk__words_release(&mem);
    return rc;
}

struct pubtok {
    tmk_spell_cb cb;
    void *ud;
};

static int pub_fn(const struct tmk__tok *t, void *ud)
{
    struct pubtok *p = ud;
    tmk_spell_hit h = {t->word, t->off, t->len, t->col, NULL, 0, t->toolong, 0};
    int r = p->cb ? p->cb(p->ud, &h) : 0;
    return r > 0 ? TMK_ECANCELED : r; /* the tmkit.h callback rule */
}

int tmk_spell_tokenize(const char *text, size_t len, unsigned flags, tmk_spell_cb cb,
                       void *ud, tmk_error *err)
{
    tmk_buf scratch = TMK_BUF_INIT;
    struct pubtok p = {cb, ud};
    int rc = tmk__spell_tokens(text, len, flags, &scratch, pub_fn, &p);
    tmk_buf_release(&scratch);
    if (rc < 0 && err && !err->code)
        tmk_error_set(err, rc, 0, 0, "%s", rc == TMK_ECANCELED ? "stopped by the callback"
                                                               : tmk_error_string(rc));
    return rc < 0 ? rc : TMK_OK;
}

/* ---- pieces for the memory lookup (see spell_int.h) ------------------- */

struct pieces {
    const char *text;
    tmk_buf *w;
    tmk__piece_fn fn;
    void *ud;
};

static int piece_connectors(struct pieces *p, const struct tmk__wch *c, size_t a, size_t b)
{
    for (size_t i = a; i < b; i++)
        if (c[i].cls != C_IGNORE)
            TMK_TRY(p->fn(p->ud, TMK__P_PUNCT, c[i].off, c[i].n, p->text + c[i].off, c[i].n));
    return 0;
}

/* A span: a word proper is a word or a number, the connectors cut from its
 * ends punctuation pieces of their own. */
static int piece_span(const tmk__span *sp, void *ud)
{
    struct pieces *p = ud;
    const char *t = p->text;
    if (sp->kind == TMK__SPAN_SPACE)
        return p->fn(p->ud, TMK__P_SPACE, sp->off, sp->len, t + sp->off, sp->len);
    if (sp->kind != TMK__SPAN_WORD)
        return p->fn(p->ud, TMK__P_PUNCT, sp->off, sp->len, t + sp->off, sp->len);
    const struct tmk__wch *c = sp->c;
    size_t a = sp->a, b = sp->b;
    TMK_TRY(piece_connectors(p, c, 0, a));
    if (a < b) {
        TMK_TRY(tmk__words_clean(p->w, t, c, a, b));
        size_t off = c[a].off, end = c[b - 1].off + c[b - 1].n;
        TMK_TRY(p->fn(p->ud, sp->letters ? TMK__P_WORD : TMK__P_NUMBER, off, end - off,
                      p->w->data, p->w->len));
    }
    return piece_connectors(p, c, a < b ? b : a, sp->n);
}

int tmk__text_pieces(const char *text, size_t len, tmk_buf *scratch, tmk__piece_fn fn,
                     void *ud)
{
    struct pieces p = {text, scratch, fn, ud};
    tmk__words_mem mem = TMK__WORDS_MEM_INIT;
    int rc = tmk__words_scan(text, len, 0, 0, &mem, piece_span, &p);
    tmk__words_release(&mem);
    return rc;
}
