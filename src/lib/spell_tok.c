/* spell_tok.c -- the spell-checker's tokeniser.
 *
 * Text is cut at white space into runs.  A run that is a URL, an e-mail
 * address or a file path is skipped whole.  Otherwise the run is cut into
 * words at every character that is not a letter, a mark, a digit or a
 * word connector (hyphen, apostrophe, full stop, soft hyphen, zero-width
 * character): quotation marks, brackets, slashes, dashes and punctuation
 * never reach Hunspell.  Each word is then trimmed and cleaned (see
 * clean_word) and skipped when it holds no letter (numbers, ordinals,
 * dates), mixes digits and letters without a hyphen (codes such as MP3),
 * looks like a file name (config.txt) or, on request, is in capitals.
 * A word longer than Hunspell can check is passed on marked too long (text
 * that lost its spaces must not go unseen).
 */
#include <stdlib.h>
#include <config.h>
#include <string.h>
#include <utf8proc.h>
#include "internal.h"
#include "spell_int.h"

enum cls { C_OTHER, C_SPACE, C_LETTER, C_DIGIT, C_HYPHEN, C_APOS, C_DOT, C_IGNORE, C_GENDER };

static enum cls classify(int32_t c)
{
    if (c < 0x80) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
            return C_LETTER;
        if (c >= '0' && c <= '9')
            return C_DIGIT;
        switch (c) {
        case ' ': case '\t': case '\n': case '\r': case '\v': case '\f': return C_SPACE;
        case '-': return C_HYPHEN;
        case '\'': return C_APOS;
        case '.': return C_DOT;
        default: return C_OTHER;
        }
    }
    switch (c) {
    case 0x00A0: case 0x0085: case 0x1680: case 0x2028: case 0x2029:
    case 0x202F: case 0x205F: case 0x3000:
        return C_SPACE;
    case 0x00AD: case 0x200B: case 0x200C: case 0x200D: case 0x2060: case 0xFEFF:
        return C_IGNORE;
    case 0x2010: case 0x2011:
        return C_HYPHEN;
    case 0x2019: case 0x02BC:
        return C_APOS;
    default:
        break;
    }
    if (c >= 0x2000 && c <= 0x200A)
        return C_SPACE;
    switch (utf8proc_category(c)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
        return C_LETTER;
    case UTF8PROC_CATEGORY_ND:
        return C_DIGIT;
    case UTF8PROC_CATEGORY_ZS:
        return C_SPACE;
    default:
        return C_OTHER;
    }
}

static int32_t next_cp(const char *s, size_t n, size_t *adv)
{
    if ((unsigned char)s[0] < 0x80) {
        *adv = 1;
        return (unsigned char)s[0];
    }
    int32_t c = tmk_utf8_decode(s, n, adv);
    return c < 0 ? 0xFFFD : c;
}

static const char *find_sub(const char *s, size_t n, const char *pat)
{
    size_t m = strlen(pat);
    for (size_t i = 0; i + m <= n; i++)
        if (s[i] == pat[0] && !memcmp(s + i, pat, m))
            return s + i;
    return NULL;
}

static int is_ascii_alnum(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* URL, e-mail address, file path, command-line option: the whole run is
 * skipped. */
static int run_is_address(const char *s, size_t n)
{
    if (find_sub(s, n, "://"))
        return 1;
    size_t i = 0, slashes = 0;
    /* the first character that is not an opening quote or bracket */
    while (i < n && !is_ascii_alnum((unsigned char)s[i]) && s[i] != '/' && s[i] != '~' &&
           s[i] != '.' && s[i] != '\\' && s[i] != '-' && s[i] != '_')
        i++;
    if (n - i >= 4 && (!memcmp(s + i, "www.", 4) || !memcmp(s + i, "WWW.", 4)))
        return 1;
    /* command-line options and assignments: -perm, --max-depth=0, g=w */
    if (n - i >= 2 && s[i] == '-' && (s[i + 1] == '-' || (s[i + 1] >= 'a' && s[i + 1] <= 'z') ||
                                      (s[i + 1] >= 'A' && s[i + 1] <= 'Z')))
        return 1;
    if (memchr(s, '=', n))
        return 1;
    const char *at = memchr(s, '@', n);
    if (at && at > s && memchr(at, '.', n - (size_t)(at - s)))
        return 1;
    if (i < n && s[i] == '/' && i + 1 < n && (is_ascii_alnum((unsigned char)s[i + 1]) ||
                                             s[i + 1] == '_' || s[i + 1] == '.'))
        return 1;
    if (n - i >= 2 && (!memcmp(s + i, "~/", 2) || !memcmp(s + i, "./", 2)))
        return 1;
    if (n - i >= 3 && !memcmp(s + i, "../", 3))
        return 1;
    if (n - i >= 3 && ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z')) &&
        s[i + 1] == ':' && (s[i + 2] == '\\' || s[i + 2] == '/'))
        return 1;
    for (size_t k = 0; k < n; k++) {
        if (s[k] == '\\')
            return 1;
        if (s[k] == '/')
            slashes++;
    }
    return slashes >= 2;
}

struct ch {
    size_t off;      /* byte offset in text */
    unsigned char n; /* bytes */
    unsigned char cls;
    int32_t cp;
};

/* A file or host name: letters before a dot, then 1-4 lowercase ASCII
 * letters or digits at the end ("config.txt", "example.com"). */
static int looks_like_file(const struct ch *c, size_t n)
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
static int looks_like_code(const struct ch *c, size_t n)
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

/* A gender marker at s[i] (after a letter): "*innen", ":innen", "_innen",
 * "\u00B7innen", "/innen", "/-innen" (and "in" for each), "(in)", "(innen)",
 * "(inn)en", each ending the word.  Returns the bytes of the marker
 * characters and of the ending, 0 when there is none. */
static size_t gender_marker(const char *s, size_t i, size_t re)
{
    size_t k = i, m;
    if (s[k] == '(') {
        static const char *const par[] = {"(inn)en", "(innen)", "(in)"};
        for (m = 0; m < 3; m++) {
            size_t l = strlen(par[m]);
            if (re - k >= l && !memcmp(s + k, par[m], l)) {
                k += l;
                break;
            }
        }
        if (m == 3)
            return 0;
    } else {
        if (s[k] == '*' || s[k] == ':' || s[k] == '_')
            k++;
        else if (s[k] == '/')
            k += (k + 1 < re && s[k + 1] == '-') ? 2 : 1;
        else if (re - k >= 2 && !memcmp(s + k, "\xC2\xB7", 2))
            k += 2;
        else
            return 0;
        if (re - k >= 5 && !memcmp(s + k, "innen", 5))
            k += 5;
        else if (re - k >= 2 && !memcmp(s + k, "in", 2))
            k += 2;
        else
            return 0;
    }
    /* the word ends here (a hyphen may go on: "Lehrer*innen-Verband") */
    if (k < re) {
        size_t adv;
        int32_t c = next_cp(s + k, re - k, &adv);
        enum cls x = classify(c);
        if (x == C_LETTER || x == C_DIGIT)
            return 0;
    }
    return k - i;
}

/* A Binnen-I ending ("LehrerInnen", "SchülerIn"): the index of the I in
 * c[0..n), or 0. */
static size_t binnen_i(const struct ch *c, size_t n)
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
    struct ch *big; /* TMK_SPELL_MAX_RUN characters, for long words */
};

/* One word candidate: chars c[0..n) (letters, digits, connectors); over_end
 * is 0, or the end of a word longer than c holds (its rest not stored). */
static int emit_word(struct tokstate *ts, struct ch *c, size_t n, unsigned long col0,
                     size_t over_end)
{
    size_t a = 0, b = n;
    /* leading connectors: "-jährige", "'Hallo", "...und" */
    while (a < b && (c[a].cls == C_HYPHEN || c[a].cls == C_APOS || c[a].cls == C_DOT ||
                     c[a].cls == C_IGNORE))
        a++;
    /* trailing apostrophes (closing quotes, "Hans'") and invisible characters */
    while (b > a && (c[b - 1].cls == C_APOS || c[b - 1].cls == C_IGNORE))
        b--;
    int dots = 0;
    while (!over_end && b > a && c[b - 1].cls == C_DOT) {
        b--;
        dots++;
    }
    while (!over_end && b > a && c[b - 1].cls == C_IGNORE)
        b--;
    int trunc = 0;
    while (!over_end && b > a && c[b - 1].cls == C_HYPHEN) {
        b--;
        trunc = 1;
    }
    if (over_end)
        b = n; /* the end is not stored: no trimming there */
    if (a >= b)
        return 0;
    size_t letters = 0, digits = 0, upper = 0, lower = 0, hyphens = 0, kept = 0;
    size_t part = 0, longest = 0; /* characters between hyphens and dots */
    for (size_t i = a; i < b; i++) {
        if (c[i].cls == C_HYPHEN || c[i].cls == C_DOT)
            part = 0;
        else if (c[i].cls != C_IGNORE && ++part > longest)
            longest = part;
        switch (c[i].cls) {
        case C_LETTER:
            letters++;
            if (c[i].cp < 0x80 ? (c[i].cp >= 'A' && c[i].cp <= 'Z') : tmk_utf8_is_upper(c[i].cp))
                upper++;
            else if (c[i].cp < 0x80 ? (c[i].cp >= 'a' && c[i].cp <= 'z')
                                    : tmk_utf8_is_lower(c[i].cp))
                lower++;
            break;
        case C_DIGIT: digits++; break;
        case C_HYPHEN: hyphens++; break;
        default: break;
        }
        if (c[i].cls != C_IGNORE)
            kept++;
    }
    if (letters == 0)
        return 0; /* numbers, ordinals, dates */
    if (digits && !hyphens)
        return 0; /* codes: MP3, 2024er, H2O */
    /* a Binnen-I ending is no camelCase: "LehrerInnen" is checked */
    size_t bi = over_end ? 0 : binnen_i(c + a, b - a);
    if (looks_like_file(c + a, b - a) || looks_like_code(c + a, bi ? bi : b - a))
        return 0;
    if ((ts->flags & TMK_SPELL_IGNORE_CAPS) && letters >= 2 && lower == 0)
        return 0;
    /* a long compound with hyphens is checked part by part; a part (or a
     * word) longer than Hunspell checks is not */
    int toolong = over_end || longest > TMK_SPELL_MAXCHARS;
    tmk_buf *w = ts->scratch;
    tmk_buf_reset(w);
    for (size_t i = a; i < b; i++) {
        int rc = TMK_OK;
        switch (c[i].cls) {
        case C_IGNORE: break;
        case C_HYPHEN: rc = tmk_buf_addch(w, '-'); break;
        case C_APOS: rc = tmk_buf_addch(w, '\''); break;
        default: rc = tmk_buf_add(w, ts->text + c[i].off, c[i].n); break;
        }
        TMK_TRY(rc);
    }
    if (trunc)
        TMK_TRY(tmk_buf_addch(w, '-'));
    if (over_end)
        TMK_TRY(tmk_buf_adds(w, "\xE2\x80\xA6")); /* ... and more */
    /* a gender form: the form without its marker after the word's NUL
     * ("Lehrer*innen" -> "Lehrerinnen", "LehrerInnen" -> "Lehrerinnen") */
    int gender = bi > 0;
    for (size_t i = a; i < b && !gender; i++)
        gender = c[i].cls == C_GENDER;
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
    t.col = col0 + (unsigned long)a;
    t.dot = dots == 1 && !trunc;
    t.trunc = trunc;
    t.toolong = toolong;
    return ts->fn(&t, ts->ud);
}

#define CHBUF 128

/* One run between white space: [rs, re), its first character at col0. */
static int do_run(struct tokstate *ts, size_t rs, size_t re, unsigned long col0)
{
    const char *s = ts->text;
    if (run_is_address(s + rs, re - rs))
        return 0;
    struct ch stack[CHBUF], *c = stack;
    size_t cap = CHBUF;
    size_t i = rs, n = 0, over_end = 0;
    unsigned long col = col0, wcol = col0;
    while (i < re) {
        size_t adv;
        int32_t cp = next_cp(s + i, re - i, &adv);
        enum cls k = classify(cp);
        size_t gm;
        if (k == C_OTHER && n && n + 8 < cap && c[n - 1].cls == C_LETTER &&
            (gm = gender_marker(s, i, re)) > 0) {
            /* "Lehrer*innen": the marker and its ending stay in the word */
            for (size_t e = i + gm; i < e; col++) {
                cp = next_cp(s + i, e - i, &adv);
                k = classify(cp);
                c[n].off = i;
                c[n].n = (unsigned char)adv;
                c[n].cls = (unsigned char)(k == C_LETTER ? C_LETTER : C_GENDER);
                c[n].cp = cp;
                n++;
                i += adv;
            }
            continue;
        }
        if (k == C_OTHER || k == C_SPACE) {
            if (n)
                TMK_TRY(emit_word(ts, c, n, wcol, over_end));
            n = 0;
            over_end = 0;
        } else {
            if (n == 0)
                wcol = col;
            if (n == cap && c == stack) {
                /* a long word: on in a larger buffer (kept for the call) */
                if (!ts->big && !(ts->big = malloc(TMK_SPELL_MAX_RUN * sizeof *ts->big)))
                    return TMK_ENOMEM;
                memcpy(ts->big, stack, n * sizeof *c);
                c = ts->big;
                cap = TMK_SPELL_MAX_RUN;
            }
            if (n < cap) {
                c[n].off = i;
                c[n].n = (unsigned char)adv;
                c[n].cls = (unsigned char)k;
                c[n].cp = cp;
                n++;
            } else {
                over_end = i + adv; /* only its start is stored */
            }
        }
        i += adv;
        col++;
    }
    if (n)
        TMK_TRY(emit_word(ts, c, n, wcol, over_end));
    return 0;
}

int tmk__spell_tokens(const char *text, size_t len, unsigned flags, tmk_buf *scratch,
                      tmk__tok_fn fn, void *ud)
{
    struct tokstate ts = {text, flags, scratch, fn, ud, NULL};
    size_t i = 0;
    unsigned long col = 1;
    int rc = 0;
    while (i < len && rc == 0) {
        size_t adv;
        int32_t cp = next_cp(text + i, len - i, &adv);
        if (classify(cp) == C_SPACE) {
            i += adv;
            col++;
            continue;
        }
        size_t rs = i;
        unsigned long rcol = col;
        while (i < len) {
            cp = next_cp(text + i, len - i, &adv);
            if (classify(cp) == C_SPACE)
                break;
            i += adv;
            col++;
        }
        rc = do_run(&ts, rs, i, rcol);
    }
    free(ts.big);
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

static int piece_connectors(struct pieces *p, const struct ch *c, size_t a, size_t b)
{
    for (size_t i = a; i < b; i++)
        if (c[i].cls != C_IGNORE)
            TMK_TRY(p->fn(p->ud, TMK__P_PUNCT, c[i].off, c[i].n, p->text + c[i].off, c[i].n));
    return 0;
}

/* A run of word characters c[0..n): trimmed as emit_word trims it. */
static int piece_word(struct pieces *p, const struct ch *c, size_t n)
{
    size_t a = 0, b = n;
    while (a < b && (c[a].cls == C_HYPHEN || c[a].cls == C_APOS || c[a].cls == C_DOT ||
                     c[a].cls == C_IGNORE))
        a++;
    while (b > a && (c[b - 1].cls == C_APOS || c[b - 1].cls == C_IGNORE))
        b--;
    while (b > a && c[b - 1].cls == C_DOT)
        b--;
    while (b > a && c[b - 1].cls == C_IGNORE)
        b--;
    while (b > a && c[b - 1].cls == C_HYPHEN)
        b--;
    TMK_TRY(piece_connectors(p, c, 0, a));
    if (a < b) {
        tmk_buf *w = p->w;
        tmk_buf_reset(w);
        int letters = 0;
        for (size_t i = a; i < b; i++) {
            int rc = TMK_OK;
            switch (c[i].cls) {
            case C_IGNORE: break;
            case C_HYPHEN: rc = tmk_buf_addch(w, '-'); break;
            case C_APOS: rc = tmk_buf_addch(w, '\''); break;
            case C_LETTER: letters = 1; /* fall through */
            default: rc = tmk_buf_add(w, p->text + c[i].off, c[i].n); break;
            }
            TMK_TRY(rc);
        }
        size_t off = c[a].off, end = c[b - 1].off + c[b - 1].n;
        TMK_TRY(p->fn(p->ud, letters ? TMK__P_WORD : TMK__P_NUMBER, off, end - off, w->data,
                      w->len));
    }
    return piece_connectors(p, c, a < b ? b : a, n);
}

int tmk__text_pieces(const char *text, size_t len, tmk_buf *scratch, tmk__piece_fn fn,
                     void *ud)
{
    struct pieces p = {text, scratch, fn, ud};
    struct ch stack[CHBUF], *c = stack;
    size_t cap = CHBUF, n = 0, i = 0, sp = 0;
    int in_space = 0, rc = 0;
    while (i < len && rc == 0) {
        size_t adv;
        int32_t cp = next_cp(text + i, len - i, &adv);
        enum cls k = classify(cp);
        if (k != C_LETTER && k != C_DIGIT && k != C_HYPHEN && k != C_APOS && k != C_DOT &&
            k != C_IGNORE) {
            if (n) {
                rc = piece_word(&p, c, n);
                n = 0;
                if (rc)
                    break;
            }
            if (k == C_SPACE) {
                if (!in_space)
                    sp = i;
                in_space = 1;
            } else {
                if (in_space)
                    rc = fn(ud, TMK__P_SPACE, sp, i - sp, text + sp, i - sp);
                in_space = 0;
                if (rc == 0)
                    rc = fn(ud, TMK__P_PUNCT, i, adv, text + i, adv);
            }
            i += adv;
            continue;
        }
        if (in_space) {
            rc = fn(ud, TMK__P_SPACE, sp, i - sp, text + sp, i - sp);
            in_space = 0;
            if (rc)
                break;
        }
        if (n == cap) {
            struct ch *nc = c == stack ? malloc(2 * cap * sizeof *c)
                                       : realloc(c, 2 * cap * sizeof *c);
            if (!nc) {
                rc = TMK_ENOMEM;
                break;
            }
            if (c == stack)
                memcpy(nc, stack, n * sizeof *c);
            c = nc;
            cap *= 2;
        }
        c[n].off = i;
        c[n].n = (unsigned char)adv;
        c[n].cls = (unsigned char)k;
        c[n].cp = cp;
        n++;
        i += adv;
    }
    if (rc == 0 && n)
        rc = piece_word(&p, c, n);
    if (rc == 0 && in_space)
        rc = fn(ud, TMK__P_SPACE, sp, len - sp, text + sp, len - sp);
    if (c != stack)
        free(c);
    return rc;
}
