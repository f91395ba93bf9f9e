/* words.c -- the library's one word scanner (words_int.h): character
 * classes, addresses, word runs with their connectors trimmed and
 * classified.  Spell, the memory lookup and the aligner keep only their
 * policy on top of it. */
#include <config.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include <uniwbrk.h>
#include "internal.h"
#include "words_int.h"

/* The class, with TMK__WC_ME added for an enclosing mark (a letter to the
 * word rules, no word character under TMK__W_BARE). */
#define TMK__WC_ME 0x100
/* ASCII classes, by table */
#define L_ TMK__WC_LETTER
#define D_ TMK__WC_DIGIT
#define S_ TMK__WC_SPACE
#define O_ TMK__WC_OTHER
static const unsigned char ascii_cls[128] = {
    O_, O_, O_, O_, O_, O_, O_, O_, O_, S_, S_, S_, S_, S_, O_, O_, /* \t \n \v \f \r */
    O_, O_, O_, O_, O_, O_, O_, O_, O_, O_, O_, O_, O_, O_, O_, O_,
    S_, O_, O_, O_, O_, O_, O_, TMK__WC_APOS, O_, O_, O_, O_, O_, TMK__WC_HYPHEN, TMK__WC_DOT, O_,
    D_, D_, D_, D_, D_, D_, D_, D_, D_, D_, O_, O_, O_, O_, O_, O_,
    O_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_,
    L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, O_, O_, O_, O_, O_,
    O_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_,
    L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, O_, O_, O_, O_, O_,
};
#undef L_
#undef D_
#undef S_
#undef O_

static inline int cls_me(int32_t c)
{
    if (c < 0x80)
        return ascii_cls[c];
    switch (c) {
    case 0x00A0: case 0x0085: case 0x1680: case 0x2028: case 0x2029:
    case 0x202F: case 0x205F: case 0x3000:
        return TMK__WC_SPACE;
    case 0x00AD: case 0x200B: case 0x200C: case 0x200D: case 0x2060: case 0xFEFF:
        return TMK__WC_IGNORE;
    case 0x2010: case 0x2011:
        return TMK__WC_HYPHEN;
    case 0x2019: case 0x02BC:
        return TMK__WC_APOS;
    default:
        break;
    }
    if (c >= 0x2000 && c <= 0x200A)
        return TMK__WC_SPACE;
    switch (utf8proc_category(c)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
        return TMK__WC_LETTER;
    case UTF8PROC_CATEGORY_ME:
        return TMK__WC_LETTER | TMK__WC_ME;
    case UTF8PROC_CATEGORY_ND:
        return TMK__WC_DIGIT;
    case UTF8PROC_CATEGORY_ZS:
        return TMK__WC_SPACE;
    default:
        return TMK__WC_OTHER;
    }
}

static inline int cls_of(int32_t c) { return cls_me(c) & 0xFF; }

static inline int32_t cp_at(const char *s, size_t n, size_t *adv)
{
    if ((unsigned char)s[0] < 0x80) {
        *adv = 1;
        return (unsigned char)s[0];
    }
    int32_t c = tmk_utf8_decode(s, n, adv);
    return c < 0 ? 0xFFFD : c;
}

int tmk__word_class(int32_t c) { return cls_of(c); }

int32_t tmk__word_cp(const char *s, size_t n, size_t *adv) { return cp_at(s, n, adv); }

/* A word character under TMK__W_BARE: letters by their Unicode category
 * (U+02BC, a modifier letter, included), the marks Mn and Mc, digits. */
static int bare_word(int32_t cp, int cls)
{
    return cls == TMK__WC_DIGIT || cls == TMK__WC_LETTER || cp == 0x02BC;
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

int tmk__word_is_address(const char *s, size_t n)
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
        int x = cls_of(cp_at(s + k, re - k, &adv));
        if (x == TMK__WC_LETTER || x == TMK__WC_DIGIT)
            return 0;
    }
    return k - i;
}

static int is_low(int32_t x) { return x < 0x80 ? (x >= 'a' && x <= 'z') : tmk_utf8_is_lower(x); }
static int is_up(int32_t x) { return x < 0x80 ? (x >= 'A' && x <= 'Z') : tmk_utf8_is_upper(x); }

void tmk__words_release(tmk__words_mem *m)
{
    free(m->c);
    m->c = NULL;
    m->cap = 0;
}

#define STACKCH 128

struct scan {
    const char *s;
    size_t len;
    unsigned flags;
    size_t max;
    tmk__words_mem *mem;
    struct tmk__wch *c;
    size_t n, cap, over_end;
    tmk__span_fn fn;
    void *ud;
    struct tmk__wch stack[STACKCH];
};

/* Room for one more character, or the run is over max: 1, 0, TMK_ENOMEM. */
static int grow(struct scan *z, size_t off, size_t adv)
{
    if (z->max && z->n >= z->max) {
        z->over_end = off + adv; /* only the word's start is stored */
        return 0;
    }
    size_t want = z->cap * 2;
    if (z->max && want > z->max)
        want = z->max;
    if (z->mem->cap < want) {
        struct tmk__wch *nc = realloc(z->mem->c, want * sizeof *nc);
        if (!nc)
            return TMK_ENOMEM;
        z->mem->c = nc;
        z->mem->cap = want;
    }
    if (z->c == z->stack)
        memcpy(z->mem->c, z->stack, z->n * sizeof *z->c);
    z->c = z->mem->c;
    z->cap = z->mem->cap;
    return 1;
}

static inline int push(struct scan *z, size_t off, size_t adv, int cls, int32_t cp)
{
    if (z->n == z->cap || (z->max && z->n >= z->max)) {
        int r = grow(z, off, adv);
        if (r <= 0)
            return r;
    }
    struct tmk__wch *w = &z->c[z->n++];
    w->off = off;
    w->n = (unsigned char)adv;
    w->cls = (unsigned char)cls;
    w->cp = cp;
    return 0;
}

/* The word run c[0..n) (begun at column col) as a WORD span. */
static int flush_word(struct scan *z, unsigned long col)
{
    const struct tmk__wch *c = z->c;
    size_t n = z->n, over = z->over_end;
    z->n = 0;
    z->over_end = 0;
    tmk__span sp;
    memset(&sp, 0, sizeof sp);
    sp.kind = TMK__SPAN_WORD;
    sp.off = c[0].off;
    sp.len = (over ? over : c[n - 1].off + c[n - 1].n) - sp.off;
    sp.col = col;
    sp.c = c;
    sp.n = n;
    sp.over_end = over;
    size_t a = 0, b = n;
    if (!(z->flags & TMK__W_BARE)) {
        /* leading connectors: "-jährige", "'Hallo", "...und" */
        while (a < b && (c[a].cls == TMK__WC_HYPHEN || c[a].cls == TMK__WC_APOS ||
                         c[a].cls == TMK__WC_DOT || c[a].cls == TMK__WC_IGNORE))
            a++;
        /* trailing apostrophes (closing quotes, "Hans'") and invisible characters */
        while (b > a && (c[b - 1].cls == TMK__WC_APOS || c[b - 1].cls == TMK__WC_IGNORE))
            b--;
        while (!over && b > a && c[b - 1].cls == TMK__WC_DOT) {
            b--;
            sp.dots++;
        }
        while (!over && b > a && c[b - 1].cls == TMK__WC_IGNORE)
            b--;
        while (!over && b > a && c[b - 1].cls == TMK__WC_HYPHEN) {
            b--;
            sp.trunc = 1;
        }
        if (over)
            b = n; /* the end is not stored: no trimming there */
        if (a > b)
            b = a;
    }
    sp.a = a;
    sp.b = b;
    size_t part = 0;
    unsigned f = over ? TMK__WF_OVER : 0;
    for (size_t i = a; i < b; i++) {
        int k = c[i].cls;
        if (k == TMK__WC_HYPHEN || k == TMK__WC_DOT)
            part = 0;
        else if (k != TMK__WC_IGNORE && ++part > sp.longest)
            sp.longest = part;
        switch (k) {
        case TMK__WC_LETTER:
            sp.letters++;
            if (!(z->flags & TMK__W_CASE))
                break;
            if (is_up(c[i].cp))
                sp.upper++;
            else if (is_low(c[i].cp))
                sp.lower++;
            break;
        case TMK__WC_DIGIT: sp.digits++; break;
        case TMK__WC_HYPHEN: sp.hyphens++; break;
        case TMK__WC_APOS: f |= TMK__WF_APOS; break;
        case TMK__WC_DOT: f |= TMK__WF_DOT; break;
        case TMK__WC_GENDER: f |= TMK__WF_GENDER; break;
        default: break;
        }
    }
    if (sp.letters)
        f |= TMK__WF_LETTER;
    if (sp.digits)
        f |= TMK__WF_DIGIT;
    if (sp.hyphens)
        f |= TMK__WF_HYPHEN;
    sp.flags = f;
    return z->fn(&sp, z->ud);
}

static int emit(struct scan *z, int kind, size_t off, size_t len, unsigned long col)
{
    if (z->flags & TMK__W_WORDS_ONLY)
        return 0;
    tmk__span sp;
    memset(&sp, 0, sizeof sp);
    sp.kind = kind;
    sp.off = off;
    sp.len = len;
    sp.col = col;
    return z->fn(&sp, z->ud);
}

static int is_group_sep(int32_t c)
{
    return c == '.' || c == ',' || c == '\'' || c == 0x2019 || c == ' ' || c == 0xA0 ||
           c == 0x202F || c == 0x2009;
}

/* A number from s[*pi] (a digit) under TMK__W_NUMGROUPS: digits joined
 * across group separators, then the letters and digits glued to it. */
static int scan_number(struct scan *z, size_t *pi, unsigned long *pcol)
{
    const char *s = z->s;
    size_t len = z->len, i = *pi, adv, group = 0;
    unsigned long col = *pcol;
    for (;;) {
        if (i >= len)
            break;
        int32_t c = cp_at(s + i, len - i, &adv);
        int k = cls_of(c);
        if (k == TMK__WC_DIGIT) {
            TMK_TRY(push(z, i, adv, k, c));
            group++;
            i += adv;
            col++;
            continue;
        }
        if (is_group_sep(c)) {
            /* joins when digits follow (after a space: exactly three, in
             * a group of at most three, not glued to letters) */
            size_t j = i + adv, a2, nd = 0;
            int32_t d = -1;
            int dk = TMK__WC_OTHER;
            while (j < len) {
                d = cp_at(s + j, len - j, &a2);
                dk = cls_me(d);
                if (dk != TMK__WC_DIGIT)
                    break;
                nd++;
                j += a2;
            }
            if (j >= len)
                d = -1;
            int sp = c == ' ' || c == 0xA0 || c == 0x202F || c == 0x2009;
            if (nd > 0 && (!sp || (nd == 3 && group <= 3 && !(d >= 0 && bare_word(d, dk))))) {
                TMK_TRY(push(z, i, adv, k, c));
                i += adv;
                col++;
                group = 0;
                continue;
            }
        }
        break;
    }
    /* a number glued to letters (3a, km2) stays one word */
    while (i < len) {
        int32_t c = cp_at(s + i, len - i, &adv);
        int k = cls_me(c);
        if (!bare_word(c, k))
            break;
        TMK_TRY(push(z, i, adv, k == TMK__WC_DIGIT ? k : TMK__WC_LETTER, c));
        i += adv;
        col++;
    }
    *pi = i;
    *pcol = col;
    return 0;
}

static int scan(struct scan *z)
{
    const char *s = z->s;
    size_t len = z->len, i = 0, sp_off = 0;
    unsigned long col = 1, wcol = 1, sp_col = 0;
    int in_space = 0, run_start = 1;
    unsigned flags = z->flags;
    while (i < len) {
        size_t adv;
        int32_t cp = cp_at(s + i, len - i, &adv);
        int km = cls_me(cp), k = km & 0xFF;
        if (k == TMK__WC_SPACE) {
            if (z->n)
                TMK_TRY(flush_word(z, wcol));
            if (!in_space) {
                in_space = 1;
                sp_off = i;
                sp_col = col;
            }
            run_start = 1;
            i += adv;
            col++;
            continue;
        }
        if (in_space) {
            TMK_TRY(emit(z, TMK__SPAN_SPACE, sp_off, i - sp_off, sp_col));
            in_space = 0;
        }
        if (run_start && (flags & TMK__W_ADDRESS)) {
            /* a whitespace-delimited run: an address is one span */
            size_t re = i, a2;
            unsigned long ncp = 0;
            while (re < len &&
                   cls_of(cp_at(s + re, len - re, &a2)) != TMK__WC_SPACE) {
                re += a2;
                ncp++;
            }
            if (tmk__word_is_address(s + i, re - i)) {
                tmk__span sp;
                memset(&sp, 0, sizeof sp);
                sp.kind = TMK__SPAN_ADDRESS;
                sp.off = i;
                sp.len = re - i;
                sp.col = col;
                TMK_TRY(z->fn(&sp, z->ud));
                i = re;
                col += ncp;
                continue;
            }
        }
        run_start = 0;
        if (flags & TMK__W_BARE) {
            if (bare_word(cp, km)) {
                if (z->n == 0) {
                    wcol = col;
                    if (k == TMK__WC_DIGIT && (flags & TMK__W_NUMGROUPS)) {
                        TMK_TRY(scan_number(z, &i, &col));
                        TMK_TRY(flush_word(z, wcol));
                        continue;
                    }
                }
                TMK_TRY(push(z, i, adv, k == TMK__WC_DIGIT ? k : TMK__WC_LETTER, cp));
                i += adv;
                col++;
                continue;
            }
            k = TMK__WC_OTHER;
        }
        size_t gm;
        if (k == TMK__WC_OTHER && (flags & TMK__W_GENDER) && z->n &&
            z->c[z->n - 1].cls == TMK__WC_LETTER && (!z->max || z->n + 8 < z->max) &&
            (gm = gender_marker(s, i, len)) > 0) {
            /* "Lehrer*innen": the marker and its ending stay in the word */
            for (size_t e = i + gm; i < e; col++) {
                cp = cp_at(s + i, e - i, &adv);
                k = cls_of(cp);
                TMK_TRY(push(z, i, adv, k == TMK__WC_LETTER ? k : TMK__WC_GENDER, cp));
                i += adv;
            }
            continue;
        }
        if (k == TMK__WC_OTHER) {
            if (z->n)
                TMK_TRY(flush_word(z, wcol));
            TMK_TRY(emit(z, TMK__SPAN_PUNCT, i, adv, col));
        } else {
            if (z->n == 0)
                wcol = col;
            TMK_TRY(push(z, i, adv, k, cp));
        }
        i += adv;
        col++;
    }
    if (z->n)
        TMK_TRY(flush_word(z, wcol));
    if (in_space)
        TMK_TRY(emit(z, TMK__SPAN_SPACE, sp_off, len - sp_off, sp_col));
    return 0;
}

/* ---- TMK__W_UAX29: Unicode's word boundaries ------------------------------
 * For GMX-V counts (wordcount.c): the segments between UAX #29 boundaries as
 * libunistring's u8_wordbreaks finds them.  An ASCII text does without the
 * break array: there UAX #29 reduces to a few rules (WB5-WB13b over
 * letters, digits, '_', and the mid characters ':' (MidLetter), '.' and
 * '\'' (MidNumLet, Single_Quote), ',' and ';' (MidNum)), giving the same
 * segments apart from white space, which comes one character a span
 * (tests/unit/test_wordcount.c compares the counts of both paths on random
 * ASCII strings). */
enum { A_OTHER, A_L, A_N, A_E, A_ML, A_MNL, A_MN };

static int uax_ascii_class(unsigned char ch)
{
    if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'))
        return A_L;
    if (ch >= '0' && ch <= '9')
        return A_N;
    switch (ch) {
    case '_': return A_E;
    case ':': return A_ML;
    case '.':
    case '\'': return A_MNL;
    case ',':
    case ';': return A_MN;
    default: return A_OTHER;
    }
}

static int uax_ascii(const unsigned char *s, size_t n, tmk__span_fn fn, void *ud)
{
    size_t i = 0;
    tmk__span sp;
    memset(&sp, 0, sizeof sp);
    sp.kind = TMK__SPAN_SEGMENT;
    while (i < n) {
        size_t start = i;
        int k = uax_ascii_class(s[i]);
        i++;
        if (k == A_L || k == A_N || k == A_E) {
            int last = k;
            while (i < n) {
                int k2 = uax_ascii_class(s[i]);
                if (k2 == A_L || k2 == A_N || k2 == A_E) {
                    last = k2;
                    i++;
                    continue;
                }
                if (i + 1 < n) {
                    int k3 = uax_ascii_class(s[i + 1]);
                    if ((last == A_L && (k2 == A_ML || k2 == A_MNL) && k3 == A_L) ||
                        (last == A_N && (k2 == A_MN || k2 == A_MNL) && k3 == A_N)) {
                        i += 2;
                        continue;
                    }
                }
                break;
            }
        }
        sp.off = start;
        sp.len = i - start;
        sp.col = start + 1;
        TMK_TRY(fn(&sp, ud));
    }
    return 0;
}

static int uax_scan(const char *text, size_t n, tmk__span_fn fn, void *ud)
{
    const uint8_t *s = (const uint8_t *)text;
    size_t a = 0;
    while (a < n && s[a] < 0x80)
        a++;
    if (a == n)
        return uax_ascii(s, n, fn, ud);
    char small[512];
    char *p = n <= sizeof small ? small : malloc(n);
    if (!p)
        return TMK_ENOMEM;
    u8_wordbreaks(s, n, p);
    tmk__span sp;
    memset(&sp, 0, sizeof sp);
    sp.kind = TMK__SPAN_SEGMENT;
    sp.col = 1;
    int rc = 0;
    size_t start = 0;
    for (size_t i = 1; i <= n && rc >= 0; i++)
        if (i == n || p[i]) {
            sp.off = start;
            sp.len = i - start;
            rc = fn(&sp, ud);
            sp.col += tmk_utf8_count(text + start, i - start);
            start = i;
        }
    if (p != small)
        free(p);
    return rc < 0 ? rc : 0;
}

int tmk__words_scan(const char *text, size_t len, unsigned flags, size_t max,
                    tmk__words_mem *mem, tmk__span_fn fn, void *ud)
{
    if (flags & TMK__W_UAX29)
        return len ? uax_scan(text, len, fn, ud) : 0;
    tmk__words_mem local = TMK__WORDS_MEM_INIT;
    struct scan z;
    z.s = text;
    z.len = len;
    z.flags = flags;
    z.max = max;
    z.mem = mem ? mem : &local;
    z.c = z.stack;
    z.n = 0;
    z.cap = STACKCH;
    z.over_end = 0;
    z.fn = fn;
    z.ud = ud;
    int rc = scan(&z);
    tmk__words_release(&local);
    return rc;
}

int tmk__words_clean(tmk_buf *w, const char *text, const struct tmk__wch *c, size_t a, size_t b)
{
    tmk_buf_reset(w);
    for (size_t i = a; i < b; i++) {
        int rc = TMK_OK;
        switch (c[i].cls) {
        case TMK__WC_IGNORE: break;
        case TMK__WC_HYPHEN: rc = tmk_buf_addch(w, '-'); break;
        case TMK__WC_APOS: rc = tmk_buf_addch(w, '\''); break;
        default: rc = tmk_buf_add(w, text + c[i].off, c[i].n); break;
        }
        TMK_TRY(rc);
    }
    return 0;
}
