/* seg_srx.c -- load SRX 2.0 rule files (expat) and compile their Java-style
 * regular expressions with PCRE2 (UTF + UCP).
 *
 * SRX keeps an ordered list of language rules, each an ordered list of
 * break / no-break rules (a regex before the break point and one after it),
 * and map rules that pick language rules by a regex on the language code.
 * With cascade="yes" every matching map contributes its rules in map order;
 * otherwise only the first matching map counts (SRX 2.0, section 2.4).
 */
#include <config.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <expat.h>
#include "seg_int.h"

/* ---- Java regex -> PCRE2 -------------------------------------------- */

/* Translate the Java regex dialect used in SRX files into PCRE2 syntax:
 * \uXXXX -> \x{XXXX}, \p{IsL}/\p{javaLowerCase}/\p{Punct}... -> PCRE2
 * properties, the Java-only inline flag 'u' dropped from (?iu).  Everything
 * else is already the same language. */
static const struct {
    const char *java, *pcre;
} prop_map[] = {
    {"javaLowerCase", "Ll"}, {"javaUpperCase", "Lu"}, {"javaLetter", "L"},
    {"javaDigit", "Nd"},     {"javaWhitespace", "Zs"}, {"Punct", "P"},
    {"Alpha", "L"},          {"Lower", "Ll"},          {"Upper", "Lu"},
    {"Digit", "Nd"},         {"Alnum", "Xan"},         {"Space", "Xsp"},
    {"IsAlphabetic", "L"},   {"IsLetter", "L"},        {"IsDigit", "Nd"},
    {"IsPunctuation", "P"},  {"IsUppercase", "Lu"},    {"IsLowercase", "Ll"},
    {"IsWhite_Space", "Xsp"},
};

/* The Java character class that starts at src[i] == '[': the index of its
 * closing ']' with nested classes counted (n when it does not close), and in
 * *inter the index of the first "&&" at its own level (0 = none). */
static size_t java_class_end(const char *src, size_t n, size_t i, size_t *inter)
{
    int depth = 0;
    *inter = 0;
    for (size_t j = i; j < n; j++) {
        char c = src[j];
        if (c == '\\') {
            j++;
        } else if (c == '[') {
            depth++;
            if (j + 1 < n && src[j + 1] == '^')
                j++;
            if (j + 1 < n && src[j + 1] == ']')
                j++;
        } else if (c == ']') {
            if (--depth == 0)
                return j;
        } else if (c == '&' && depth == 1 && j + 1 < n && src[j + 1] == '&' && !*inter) {
            *inter = j;
        }
    }
    return n;
}

/* Java's class intersection [A&&[^B]] ("A but not B") at src[i], whose
 * closing ']' is at end and whose "&&" is at amp: PCRE2 has no intersection
 * (it reads "&&" as two ampersands), so it becomes (?:(?![B])[A]).  Any
 * other intersection is TMK_ESYNTAX. */
static int translate_intersection(const char *src, size_t n, size_t i, size_t end, size_t amp,
                                  tmk_buf *out)
{
    size_t inner_amp;
    if (end >= n || src[i + 1] == '^' || amp == i + 1 || amp + 3 >= end ||
        src[amp + 2] != '[' || src[amp + 3] != '^' || amp + 4 >= end || src[amp + 4] == '^' ||
        java_class_end(src, n, amp + 2, &inner_amp) != end - 1)
        return TMK_ESYNTAX;
    tmk_buf a = TMK_BUF_INIT, b = TMK_BUF_INIT;
    int rc = tmk_buf_printf(&a, "[%.*s]", (int)(amp - i - 1), src + i + 1);
    if (rc >= 0)
        rc = tmk_buf_printf(&b, "[%.*s]", (int)(end - 1 - (amp + 4)), src + amp + 4);
    if (rc >= 0)
        rc = tmk_buf_adds(out, "(?:(?!");
    if (rc >= 0)
        rc = tmk__srx_translate(b.data, out);
    if (rc >= 0)
        rc = tmk_buf_adds(out, ")");
    if (rc >= 0)
        rc = tmk__srx_translate(a.data, out);
    if (rc >= 0)
        rc = tmk_buf_adds(out, ")");
    tmk_buf_release(&a);
    tmk_buf_release(&b);
    return rc < 0 ? rc : TMK_OK;
}

int tmk__srx_translate(const char *src, tmk_buf *out)
{
    size_t n = strlen(src);
    int in_class = 0;
    for (size_t i = 0; i < n; i++) {
        char c = src[i];
        if (c == '[' && !in_class) {
            size_t amp, end = java_class_end(src, n, i, &amp);
            if (amp) {
                TMK_TRY(translate_intersection(src, n, i, end, amp, out));
                i = end;
                continue;
            }
        }
        /* Java reads "-" after a class escape inside [...] as a literal
         * ([\\d-–]); PCRE2 calls it an invalid range */
        if (c == '-' && in_class && i > 1 && src[i - 2] == '\\' && strchr("dDwWsShHvVpP", src[i - 1]) &&
            i + 1 < n && src[i + 1] != ']') {
            TMK_TRY(tmk_buf_adds(out, "\\-"));
            continue;
        }
        if (c == '-' && in_class && i > 0 && src[i - 1] == '}' && i + 1 < n && src[i + 1] != ']') {
            /* after \\p{..} */
            const char *b = src + i - 1;
            while (b > src && *b != '{')
                b--;
            if (b - src >= 2 && (b[-1] == 'p' || b[-1] == 'P') && b[-2] == '\\') {
                TMK_TRY(tmk_buf_adds(out, "\\-"));
                continue;
            }
        }
        if (c == '[' && !in_class) {
            in_class = 1;
            TMK_TRY(tmk_buf_addch(out, c));
            if (i + 1 < n && src[i + 1] == '^')
                TMK_TRY(tmk_buf_addch(out, src[++i]));
            if (i + 1 < n && src[i + 1] == ']')
                TMK_TRY(tmk_buf_addch(out, src[++i]));
            continue;
        }
        if (c == ']' && in_class) {
            in_class = 0;
            TMK_TRY(tmk_buf_addch(out, c));
            continue;
        }
        if (c == '\\' && i + 1 < n) {
            char e = src[i + 1];
            if (e == 'u' && i + 5 < n + 0 && strspn(src + i + 2, "0123456789abcdefABCDEF") >= 4) {
                TMK_TRY(tmk_buf_adds(out, "\\x{"));
                TMK_TRY(tmk_buf_add(out, src + i + 2, 4));
                TMK_TRY(tmk_buf_addch(out, '}'));
                i += 5;
                continue;
            }
            if ((e == 'p' || e == 'P') && i + 2 < n && src[i + 2] == '{') {
                const char *close = strchr(src + i + 3, '}');
                if (close) {
                    size_t plen = (size_t)(close - (src + i + 3));
                    const char *name = src + i + 3;
                    const char *rep = NULL;
                    for (size_t k = 0; k < sizeof prop_map / sizeof prop_map[0]; k++)
                        if (strlen(prop_map[k].java) == plen &&
                            !strncmp(prop_map[k].java, name, plen))
                            rep = prop_map[k].pcre;
                    TMK_TRY(tmk_buf_addch(out, '\\'));
                    TMK_TRY(tmk_buf_addch(out, e));
                    TMK_TRY(tmk_buf_addch(out, '{'));
                    if (rep)
                        TMK_TRY(tmk_buf_adds(out, rep));
                    else if (plen > 2 && !strncmp(name, "Is", 2))
                        TMK_TRY(tmk_buf_add(out, name + 2, plen - 2));
                    else if (plen > 2 && !strncmp(name, "In", 2))
                        TMK_TRY(tmk_buf_add(out, name + 2, plen - 2));
                    else
                        TMK_TRY(tmk_buf_add(out, name, plen));
                    TMK_TRY(tmk_buf_addch(out, '}'));
                    i = (size_t)(close - src);
                    continue;
                }
            }
            TMK_TRY(tmk_buf_add(out, src + i, 2));
            i++;
            continue;
        }
        if (c == '(' && i + 1 < n && src[i + 1] == '?') {
            /* inline flags (?iu) (?u:...) (?-u): drop Java's u, U, d */
            size_t j = i + 2;
            while (j < n && strchr("imsxuUd-", src[j]))
                j++;
            if (j > i + 2 && j < n && (src[j] == ')' || src[j] == ':')) {
                tmk_buf flags = TMK_BUF_INIT;
                for (size_t k = i + 2; k < j; k++)
                    if (!strchr("uUd", src[k]))
                        if (tmk_buf_addch(&flags, src[k]) < 0) {
                            tmk_buf_release(&flags);
                            return TMK_ENOMEM;
                        }
                int only_dash = flags.len == 0 || !strcmp(flags.data, "-");
                int rc = 0;
                if (src[j] == ')') {
                    if (!only_dash)
                        rc = tmk_buf_printf(out, "(?%s)", flags.data);
                } else {
                    rc = tmk_buf_printf(out, "(?%s:", only_dash ? "" : flags.data);
                }
                tmk_buf_release(&flags);
                TMK_TRY(rc);
                i = j;
                continue;
            }
        }
        TMK_TRY(tmk_buf_addch(out, c));
    }
    return TMK_OK;
}

/* Length of one regex atom at p: a character class, an escape (\\x{..},
 * \\p{..}, \\d...) or one (UTF-8) character; 0 if none. */
static size_t atom_len(const char *p)
{
    if (*p == '[') {
        size_t i = 1;
        if (p[i] == '^')
            i++;
        if (p[i] == ']')
            i++;
        for (; p[i] && p[i] != ']'; i++) {
            if (p[i] == '\\' && p[i + 1])
                i++;
            else if (p[i] == '[' && p[i + 1] == ':') {
                const char *e = strstr(p + i, ":]");
                if (!e)
                    return 0;
                i = (size_t)(e - p) + 1;
            }
        }
        return p[i] == ']' ? i + 1 : 0;
    }
    if (*p == '\\') {
        if (!p[1])
            return 0;
        if ((p[1] == 'p' || p[1] == 'P' || p[1] == 'x') && p[2] == '{') {
            const char *e = strchr(p, '}');
            return e ? (size_t)(e - p) + 1 : 0;
        }
        return 2;
    }
    if (!*p || strchr("()|*+?{}^$", *p))
        return 0;
    size_t n = 1;
    while (((unsigned char)p[n] & 0xC0) == 0x80)
        n++;
    return n;
}

/* Java accepts lookbehinds of bounded or even unbounded length such as
 * (?<=[XVI]+); PCRE2 10.42 wants fixed lengths.  A lookbehind that holds a
 * single quantified atom only needs its minimum: (?<=A+) is (?<=A),
 * (?<=A{2,5}) is (?<=A{2}), (?<=A*) and (?<=A?) always hold. */
static int fix_lookbehinds(tmk_buf *pat)
{
    tmk_buf out = TMK_BUF_INIT;
    const char *p = pat->data;
    while (*p) {
        if (p[0] == '\\' && p[1]) {
            if (tmk_buf_add(&out, p, 2) < 0)
                goto nomem;
            p += 2;
            continue;
        }
        if (!strncmp(p, "(?<=", 4) || !strncmp(p, "(?<!", 4)) {
            const char *a = p + 4;
            size_t al = atom_len(a);
            const char *q = a + al;
            unsigned long lo = 0;
            int ok = al > 0;
            if (ok && (*q == '+')) {
                lo = 1;
                q++;
            } else if (ok && (*q == '*' || *q == '?')) {
                lo = 0;
                q++;
            } else if (ok && *q == '{') {
                char *e;
                lo = strtoul(q + 1, &e, 10);
                if (e == q + 1 || (*e != ',' && *e != '}'))
                    ok = 0;
                else {
                    const char *c = strchr(e, '}');
                    if (!c)
                        ok = 0;
                    else
                        q = c + 1;
                }
            } else {
                ok = 0;
            }
            if (ok && (*q == '+' || *q == '?'))
                q++; /* possessive / lazy: same set of end positions */
            if (ok && *q == ')') {
                int neg = p[3] == '!';
                int rc;
                if (lo == 0)
                    rc = tmk_buf_adds(&out, neg ? "(?!)" : "");
                else
                    rc = tmk_buf_printf(&out, "(?<%c%.*s{%lu})", neg ? '!' : '=', (int)al, a, lo);
                if (rc < 0)
                    goto nomem;
                p = q + 1;
                continue;
            }
        }
        if (tmk_buf_addch(&out, *p++) < 0)
            goto nomem;
    }
    tmk_buf_release(pat);
    *pat = out;
    return TMK_OK;
nomem:
    tmk_buf_release(&out);
    return TMK_ENOMEM;
}

/* Compile a Java pattern; `what` names it in messages ("rule pattern",
 * "language pattern"), `fix` says what to do about a bad one. */
static pcre2_code *compile_what(const char *java, uint32_t extra_opts, tmk_error *err,
                                unsigned long line, unsigned long col, const char *what,
                                const char *fix)
{
    tmk_buf pat = TMK_BUF_INIT;
    int trc = tmk__srx_translate(java, &pat);
    if (trc == TMK_ESYNTAX) {
        tmk_error_set(err, TMK_ESYNTAX, line, col,
                      "%s \"%.200s\" uses a Java class intersection that tmkit cannot "
                      "translate (only [A&&[^B]] is supported); %s",
                      what, java, fix);
        tmk_buf_release(&pat);
        return NULL;
    }
    if (trc < 0 || fix_lookbehinds(&pat) < 0) {
        tmk_error_set(err, TMK_ENOMEM, line, col, "out of memory");
        tmk_buf_release(&pat);
        return NULL;
    }
    int ec;
    PCRE2_SIZE eo;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pat.data, pat.len,
                                   PCRE2_UTF | PCRE2_UCP | PCRE2_NO_UTF_CHECK | extra_opts, &ec,
                                   &eo, NULL);
    if (!re) {
        PCRE2_UCHAR msg[160];
        pcre2_get_error_message(ec, msg, sizeof msg);
        tmk_error_set(err, TMK_ESYNTAX, line, col,
                      "%s \"%.200s\" is not a usable regular expression (%s at "
                      "character %lu)%s; %s",
                      what, java, (const char *)msg, (unsigned long)eo + 1,
                      ec == PCRE2_ERROR_LOOKBEHIND_NOT_FIXED_LENGTH
                          ? "; Java accepts look-behinds of varying length, PCRE2 before "
                            "10.43 does not"
                          : "",
                      fix);
    } else {
        pcre2_jit_compile(re, PCRE2_JIT_COMPLETE); /* falls back to the interpreter */
    }
    tmk_buf_release(&pat);
    return re;
}

pcre2_code *tmk__srx_compile(const char *java, uint32_t extra_opts, tmk_error *err,
                             unsigned long line, unsigned long col)
{
    /* unanchored patterns may be matched one start position at a time
     * (segment.c, rx_match), which needs an offset limit */
    if (!(extra_opts & PCRE2_ANCHORED))
        extra_opts |= PCRE2_USE_OFFSET_LIMIT;
    return compile_what(java, extra_opts, err, line, col, "rule pattern",
                        "fix or remove this rule");
}

/* ---- the SRX document ------------------------------------------------ */

static void rule_release(tmk_srx_rule *r)
{
    free(r->before_src);
    free(r->after_src);
    pcre2_code_free(r->before);
    pcre2_code_free(r->after);
    pcre2_code_free(r->both);
    pcre2_code_free(r->after_find);
    pcre2_code_free(r->before_pre);
}

void tmk__srx_free(tmk_srx *x)
{
    if (!x)
        return;
    for (size_t i = 0; i < x->nlang; i++) {
        for (size_t j = 0; j < x->langs[i].nrules; j++)
            rule_release(&x->langs[i].rules[j]);
        free(x->langs[i].rules);
        free(x->langs[i].name);
    }
    free(x->langs);
    for (size_t i = 0; i < x->nmaps; i++) {
        free(x->maps[i].pattern);
        free(x->maps[i].rulename);
        pcre2_code_free(x->maps[i].re);
    }
    free(x->maps);
    free(x);
}

enum { IN_NONE, IN_BEFORE, IN_AFTER };

typedef struct {
    XML_Parser p;
    tmk_srx *x;
    tmk_error *err;
    int rc;
    int in_rule, in_langrule, in_text, seen_srx;
    tmk_buf before, after;
    int brk;
    unsigned long rule_line, rule_col;
} srx_loader;

static const char *local(const char *name)
{
    const char *bar = strrchr(name, '|');
    return bar ? bar + 1 : name;
}

static const char *attr(const char **atts, const char *want)
{
    for (size_t i = 0; atts[i]; i += 2)
        if (!strcmp(local(atts[i]), want))
            return atts[i + 1];
    return NULL;
}

static void fail(srx_loader *L, int code, const char *msg)
{
    if (L->rc < 0)
        return;
    L->rc = tmk_error_set(L->err, code, XML_GetCurrentLineNumber(L->p),
                          XML_GetCurrentColumnNumber(L->p) + 1, "%s", msg);
    XML_StopParser(L->p, XML_FALSE);
}

static void XMLCALL on_start(void *ud, const char *name, const char **atts)
{
    srx_loader *L = ud;
    tmk_srx *x = L->x;
    const char *n = local(name);
    if (L->rc < 0)
        return;
    if (!strcmp(n, "srx")) {
        L->seen_srx = 1;
    } else if (!strcmp(n, "header")) {
        const char *c = attr(atts, "cascade");
        x->cascade = c && !strcmp(c, "yes");
    } else if (!strcmp(n, "languagerule")) {
        const char *nm = attr(atts, "languagerulename");
        if (!nm)
            {
            fail(L, TMK_ESYNTAX, "<languagerule> has no languagerulename attribute");
            return;
        }
        tmk_srx_langrule *g = realloc(x->langs, (x->nlang + 1) * sizeof *g);
        if (!g)
            {
            fail(L, TMK_ENOMEM, "out of memory");
            return;
        }
        x->langs = g;
        memset(&g[x->nlang], 0, sizeof *g);
        g[x->nlang].name = tmk__strdup(nm);
        if (!g[x->nlang].name)
            {
            fail(L, TMK_ENOMEM, "out of memory");
            return;
        }
        x->nlang++;
        L->in_langrule = 1;
    } else if (!strcmp(n, "rule") && L->in_langrule) {
        const char *b = attr(atts, "break");
        L->brk = !b || strcmp(b, "no") != 0;
        L->in_rule = 1;
        tmk_buf_reset(&L->before);
        tmk_buf_reset(&L->after);
        L->rule_line = XML_GetCurrentLineNumber(L->p);
        L->rule_col = XML_GetCurrentColumnNumber(L->p) + 1;
    } else if (!strcmp(n, "beforebreak") && L->in_rule) {
        L->in_text = IN_BEFORE;
    } else if (!strcmp(n, "afterbreak") && L->in_rule) {
        L->in_text = IN_AFTER;
    } else if (!strcmp(n, "languagemap")) {
        const char *pat = attr(atts, "languagepattern");
        const char *rn = attr(atts, "languagerulename");
        if (!pat || !rn)
            {
            fail(L, TMK_ESYNTAX,
                        "<languagemap> needs languagepattern and languagerulename attributes");
            return;
        }
        tmk_srx_map *m = realloc(x->maps, (x->nmaps + 1) * sizeof *m);
        if (!m)
            {
            fail(L, TMK_ENOMEM, "out of memory");
            return;
        }
        x->maps = m;
        m += x->nmaps;
        memset(m, 0, sizeof *m);
        x->nmaps++;
        m->pattern = tmk__strdup(pat);
        m->rulename = tmk__strdup(rn);
        if (!m->pattern || !m->rulename)
            {
            fail(L, TMK_ENOMEM, "out of memory");
            return;
        }
        m->line = XML_GetCurrentLineNumber(L->p);
        m->col = XML_GetCurrentColumnNumber(L->p) + 1;
        m->re = compile_what(pat, PCRE2_ANCHORED | PCRE2_ENDANCHORED, L->err, m->line, m->col,
                             "language pattern", "fix or remove this <languagemap>");
        if (!m->re) {
            L->rc = L->err ? L->err->code : TMK_ESYNTAX;
            if (L->rc >= 0)
                L->rc = TMK_ESYNTAX;
            XML_StopParser(L->p, XML_FALSE);
        }
    }
}

static int finish_rule(srx_loader *L)
{
    tmk_srx_langrule *g = &L->x->langs[L->x->nlang - 1];
    tmk_srx_rule *r = realloc(g->rules, (g->nrules + 1) * sizeof *r);
    if (!r)
        return tmk_error_set(L->err, TMK_ENOMEM, 0, 0, "out of memory");
    g->rules = r;
    r += g->nrules;
    memset(r, 0, sizeof *r);
    g->nrules++;
    r->brk = L->brk;
    r->line = L->rule_line;
    r->col = L->rule_col;
    r->before_src = tmk__strdup(L->before.data);
    r->after_src = tmk__strdup(L->after.data);
    if (!r->before_src || !r->after_src)
        return tmk_error_set(L->err, TMK_ENOMEM, 0, 0, "out of memory");
    /* patterns are compiled when a language selects the rule */
    return TMK_OK;
}

/* An upper bound of the characters a PCRE2 pattern can consume, or -1 when
 * unbounded ("*", "+", "{n,}", back-references).  Lookarounds consume
 * nothing.  Used to keep the look-back window of before-patterns small. */
static long alt_max(const char **pp);
static size_t escape_set(const char *p, tmk_charset *c);
static int class_set(const char *p, size_t len, tmk_charset *c);

/* Java-style words run long but not forever: an unbounded repetition of a
 * character class without whitespace (a word, a number) is taken as at most
 * WORD_MAX characters when sizing the look-back window. */
#define WORD_MAX 64

static int no_space(const char *p, size_t n)
{
    tmk_charset c = {0, 0, 0};
    if (*p == '[') {
        if (class_set(p, n, &c) < 0)
            return 0;
        /* non-ASCII: only letters written out are fine, no space escapes */
        static const char *const spacey[] = {"\\s", "\\h", "\\v", "\\p{Z", "\\x{a0}",
                                             "\\x{A0}", "\\x{00a0}", "\\x{00A0}", "\\x{20",
                                             "\\x{30", "\\x{20", "\xc2\xa0", "\xe2\x80",
                                             "\xe3\x80\x80", "\\P", "\\S", "\\W", "\\D"};
        for (size_t k = 0; k < sizeof spacey / sizeof spacey[0]; k++) {
            const char *hit = strstr(p, spacey[k]);
            if (hit && hit < p + n)
                return 0;
        }
        c.nonascii = 0;
    } else if (*p == '\\') {
        if (!escape_set(p, &c))
            return 0;
        if (p[1] == 'p' || p[1] == 'd' || p[1] == 'w')
            return 1; /* letters, digits, word characters: no spaces */
    } else {
        return *p != ' ' && *p != '.';
    }
    if (c.nonascii)
        return 0; /* may hold a no-break space */
    for (unsigned ch = 9; ch <= 13; ch++)
        if (tmk_charset_has(&c, ch))
            return 0;
    return !tmk_charset_has(&c, ' ');
}

static long atom_max(const char **pp)
{
    const char *p = *pp;
    const char *atom = p;
    long a = 1;
    if (*p == '(') {
        p++;
        int look = 0;
        if (*p == '?') {
            if (p[1] == '=' || p[1] == '!') {
                look = 1;
                p += 2;
            } else if (p[1] == '<' && (p[2] == '=' || p[2] == '!')) {
                look = 1;
                p += 3;
            } else if (p[1] == '<' || p[1] == 'P' || p[1] == '\'') {
                const char *e = strpbrk(p, ">'");
                if (!e)
                    return -1;
                p = e + 1;
            } else {
                p++;
                while (*p && strchr("imsxnU-^", *p))
                    p++;
                if (*p == ')') { /* (?i) */
                    *pp = p + 1;
                    return 0;
                }
                if (*p != ':')
                    return -1;
                p++;
            }
        }
        a = alt_max(&p);
        if (*p != ')' || a < 0) {
            *pp = p;
            return -1;
        }
        p++;
        if (look)
            a = 0;
    } else if (*p == '[') {
        size_t n = atom_len(p);
        if (!n)
            return -1;
        p += n;
    } else if (*p == '\\') {
        char e = p[1];
        if (!e)
            return -1;
        if (strchr("bBAzZGK", e)) {
            a = 0;
            p += 2;
        } else if (e >= '1' && e <= '9') {
            return -1;
        } else if (e == 'Q') {
            const char *end = strstr(p, "\\E");
            if (!end)
                return -1;
            a = (long)tmk_utf8_count(p + 2, (size_t)(end - p - 2));
            p = end + 2;
        } else {
            size_t n = atom_len(p);
            if (!n)
                return -1;
            p += n;
        }
    } else if (*p == '^' || *p == '$') {
        a = 0;
        p++;
    } else {
        p++;
        while (((unsigned char)*p & 0xC0) == 0x80)
            p++;
    }
    /* quantifier */
    const char *qstart = p;
    long m = 1;
    if (*p == '?' || *p == '*' || *p == '+') {
        m = *p == '?' ? 1 : -1;
        p++;
    } else if (*p == '{' && p[1] >= '0' && p[1] <= '9') {
        char *e;
        unsigned long lo = strtoul(p + 1, &e, 10);
        m = (long)lo;
        if (*e == ',') {
            if (e[1] == '}')
                m = -1;
            else
                m = (long)strtoul(e + 1, &e, 10);
        }
        if (*e != '}')
            return -1;
        p = e + 1;
    }
    if (*p == '?' || *p == '+')
        p++;
    *pp = p;
    if (a == 0)
        return 0;
    if (m < 0 && a == 1 && *atom != '(' && no_space(atom, (size_t)(qstart - atom)))
        m = WORD_MAX;
    if (a < 0 || m < 0)
        return -1;
    return a * m;
}

static long alt_max(const char **pp)
{
    long best = 0, cur = 0;
    while (**pp && **pp != ')') {
        if (**pp == '|') {
            if (cur < 0 || best < 0)
                best = -1;
            else if (cur > best)
                best = cur;
            cur = 0;
            (*pp)++;
            continue;
        }
        const char *before = *pp;
        long a = atom_max(pp);
        if (a < 0 || *pp == before) {
            /* unbounded or not understood: skip to the end */
            *pp += strlen(*pp);
            return -1;
        }
        cur += a;
        if (cur > 100000)
            return -1;
    }
    if (cur < 0 || best < 0)
        return -1;
    return cur > best ? cur : best;
}

long tmk__srx_max_chars(const char *java)
{
    tmk_buf pat = TMK_BUF_INIT;
    long n = -1;
    if (tmk__srx_translate(java, &pat) >= 0 && fix_lookbehinds(&pat) >= 0) {
        const char *p = pat.data;
        n = alt_max(&p);
        if (*p)
            n = -1; /* unbalanced: be safe */
    }
    tmk_buf_release(&pat);
    return n;
}

/* ---- the last two characters a before-pattern can end with ------------
 * A cheap filter run before the regex at each candidate: most rules end in a
 * fixed character class ("\." after an abbreviation, a digit before it), so
 * the two characters before the break point rule most of them out. */

static void cs_all(tmk_charset *c)
{
    c->lo = c->hi = ~(uint64_t)0;
    c->nonascii = 1;
}

static void cs_add(tmk_charset *c, unsigned ch)
{
    if (ch < 64)
        c->lo |= (uint64_t)1 << ch;
    else if (ch < 128)
        c->hi |= (uint64_t)1 << (ch - 64);
    else
        c->nonascii = 1;
}

static void cs_range(tmk_charset *c, unsigned a, unsigned b)
{
    for (unsigned ch = a; ch <= b && ch < 128; ch++)
        cs_add(c, ch);
    if (b >= 128)
        c->nonascii = 1;
}

static void cs_union(tmk_charset *c, const tmk_charset *d)
{
    c->lo |= d->lo;
    c->hi |= d->hi;
    c->nonascii |= d->nonascii;
}

static void cs_fold(tmk_charset *c)
{
    for (unsigned ch = 'a'; ch <= 'z'; ch++)
        if (tmk_charset_has(c, ch) || tmk_charset_has(c, ch - 32)) {
            cs_add(c, ch);
            cs_add(c, ch - 32);
        }
    c->nonascii = 1;
}

/* The set of one escape at p (p[0] == '\\'); returns its length, 0 = unknown. */
static size_t escape_set(const char *p, tmk_charset *c)
{
    char e = p[1];
    size_t n = 2;
    switch (e) {
    case 'd': cs_range(c, '0', '9'); c->nonascii = 1; break;
    case 'w': cs_range(c, '0', '9'); cs_range(c, 'a', 'z'); cs_range(c, 'A', 'Z');
              cs_add(c, '_'); c->nonascii = 1; break;
    case 's': case 'h': case 'v': case 'R':
        cs_range(c, 9, 13); cs_add(c, ' '); c->nonascii = 1; break;
    case 't': cs_add(c, '\t'); break;
    case 'n': cs_add(c, '\n'); break;
    case 'r': cs_add(c, '\r'); break;
    case 'f': cs_add(c, '\f'); break;
    case 'x': {
        if (p[2] != '{')
            return 0;
        const char *e2 = strchr(p, '}');
        if (!e2)
            return 0;
        cs_add(c, (unsigned)strtoul(p + 3, NULL, 16) < 128 ? (unsigned)strtoul(p + 3, NULL, 16)
                                                             : 128);
        n = (size_t)(e2 - p) + 1;
        break;
    }
    case 'p': {
        if (p[2] != '{')
            return 0;
        const char *e2 = strchr(p, '}');
        if (!e2)
            return 0;
        size_t len = (size_t)(e2 - p - 3);
        const char *name = p + 3;
        c->nonascii = 1;
        if ((len == 2 && (!strncmp(name, "Lu", 2) || !strncmp(name, "Lt", 2))))
            cs_range(c, 'A', 'Z');
        else if (len == 2 && !strncmp(name, "Ll", 2))
            cs_range(c, 'a', 'z');
        else if (len == 1 && name[0] == 'L') {
            cs_range(c, 'A', 'Z');
            cs_range(c, 'a', 'z');
        } else if ((len == 1 && name[0] == 'N') || (len == 2 && !strncmp(name, "Nd", 2)))
            cs_range(c, '0', '9');
        else if (len >= 1 && name[0] == 'P') {
            for (unsigned ch = 33; ch < 127; ch++)
                if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') ||
                      (ch >= 'A' && ch <= 'Z')))
                    cs_add(c, ch);
        } else
            cs_all(c);
        n = (size_t)(e2 - p) + 1;
        break;
    }
    default:
        if ((e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z') || (e >= '0' && e <= '9') || !e)
            return 0; /* \D \S \W \P \b... : not a simple set */
        cs_add(c, (unsigned char)e);
    }
    return n;
}

static int class_set(const char *p, size_t len, tmk_charset *c)
{
    size_t i = 1;
    if (p[i] == '^')
        return -1;
    unsigned prev = 0x110000;
    for (; i < len - 1; i++) {
        if (p[i] == '\\') {
            tmk_charset t = {0, 0, 0};
            size_t n = escape_set(p + i, &t);
            if (!n)
                return -1;
            cs_union(c, &t);
            i += n - 1;
            prev = 0x110000;
        } else if (p[i] == '[') {
            return -1;
        } else if (p[i] == '-' && i > 1 && i + 1 < len - 1) {
            /* a range: only one between two ASCII characters written out is
             * worked out; one that starts or ends with an escape (\x{..})
             * or a non-ASCII character may hold anything */
            if (prev >= 128 || p[i + 1] == '\\' || (unsigned char)p[i + 1] >= 128)
                return -1;
            cs_range(c, prev, (unsigned char)p[i + 1]);
            i++;
            prev = 0x110000;
        } else {
            unsigned char b = (unsigned char)p[i];
            cs_add(c, b < 128 ? b : 128);
            prev = b < 128 ? b : 0x110000;
            while (i + 1 < len - 1 && ((unsigned char)p[i + 1] & 0xC0) == 0x80)
                i++;
        }
    }
    return 0;
}

enum { A_ZERO, A_CHAR, A_GROUP, A_BAD };

typedef struct {
    int kind;
    const char *in, *in_end; /* A_GROUP: the inside */
    tmk_charset set;         /* A_CHAR */
    unsigned long min, max;  /* max ULONG_MAX = unbounded */
} tail_atom;

/* One atom + quantifier at p; returns the end. */
static const char *next_atom(const char *p, tail_atom *a)
{
    memset(a, 0, sizeof *a);
    a->kind = A_CHAR;
    if (*p == '(') {
        const char *q = p + 1;
        a->kind = A_GROUP;
        if (*q == '?') {
            if (q[1] == '=' || q[1] == '!' || (q[1] == '<' && (q[2] == '=' || q[2] == '!')))
                a->kind = A_ZERO;
            if (q[1] == ':')
                q += 2;
            else if (a->kind == A_GROUP) {
                q++;
                while (*q && strchr("imsxnU-^", *q))
                    q++;
                if (*q == ')') {
                    a->kind = A_ZERO;
                    return q + 1;
                }
                if (*q != ':') {
                    a->kind = A_BAD;
                    return p + strlen(p);
                }
                q++;
            }
        }
        a->in = q;
        long dummy = alt_max(&q);
        (void)dummy;
        if (*q != ')') {
            a->kind = A_BAD;
            return p + strlen(p);
        }
        a->in_end = q;
        p = q + 1;
    } else if (*p == '[') {
        size_t n = atom_len(p);
        if (!n || class_set(p, n, &a->set) < 0)
            cs_all(&a->set);
        p += n ? n : strlen(p);
    } else if (*p == '\\') {
        if (p[1] && strchr("bBAzZGK", p[1])) {
            a->kind = A_ZERO;
            return p + 2;
        }
        size_t n = escape_set(p, &a->set);
        if (!n) {
            cs_all(&a->set);
            n = atom_len(p);
            if (!n) {
                a->kind = A_BAD;
                return p + strlen(p);
            }
        }
        p += n;
    } else if (*p == '^' || *p == '$') {
        a->kind = A_ZERO;
        return p + 1;
    } else if (*p == '.') {
        cs_all(&a->set);
        p++;
    } else {
        unsigned char b = (unsigned char)*p++;
        cs_add(&a->set, b < 128 ? b : 128);
        while (((unsigned char)*p & 0xC0) == 0x80)
            p++;
    }
    a->min = a->max = 1;
    if (*p == '?' || *p == '*' || *p == '+') {
        a->min = *p == '+';
        a->max = *p == '?' ? 1 : (unsigned long)-1;
        p++;
    } else if (*p == '{' && p[1] >= '0' && p[1] <= '9') {
        char *e;
        a->min = a->max = strtoul(p + 1, &e, 10);
        if (*e == ',')
            a->max = e[1] == '}' ? (unsigned long)-1 : strtoul(e + 1, &e, 10);
        if (*e == '}')
            p = e + 1;
        else
            a->kind = A_BAD;
    }
    if (*p == '?' || *p == '+')
        p++;
    if (a->kind == A_ZERO)
        a->min = a->max = 0;
    return p;
}

#define MAX_ATOMS 64

static int split_atoms(const char *p, const char *end, tail_atom *v, size_t *n)
{
    *n = 0;
    while (p < end) {
        if (*n == MAX_ATOMS)
            return -1;
        p = next_atom(p, &v[*n]);
        if (v[*n].kind == A_BAD || p > end)
            return -1;
        if (v[*n].kind != A_ZERO)
            (*n)++;
    }
    return 0;
}

/* Top-level branches of [p, end). */
static size_t branches(const char *p, const char *end, const char **bs, const char **be, size_t max)
{
    size_t n = 0;
    int depth = 0, cls = 0;
    bs[0] = p;
    for (const char *q = p; q < end; q++) {
        if (*q == '\\') {
            q++;
            continue;
        }
        if (cls) {
            if (*q == ']')
                cls = 0;
            continue;
        }
        if (*q == '[') {
            cls = 1;
            if (q[1] == ']' || (q[1] == '^' && q[2] == ']'))
                q += q[1] == '^' ? 2 : 1;
        } else if (*q == '(')
            depth++;
        else if (*q == ')')
            depth--;
        else if (*q == '|' && depth == 0) {
            be[n++] = q;
            if (n == max)
                return 0;
            bs[n] = q + 1;
        }
    }
    be[n++] = end;
    return n;
}

/* The set of characters a match of [p, end) can end with; all when unknown
 * or when the region may match the empty string. */
static void last_set(const char *p, const char *end, tmk_charset *out, int depth)
{
    const char *bs[256], *be[256];
    size_t nb = branches(p, end, bs, be, 256);
    memset(out, 0, sizeof *out);
    if (nb == 0 || depth > 8) {
        cs_all(out);
        return;
    }
    for (size_t b = 0; b < nb; b++) {
        tail_atom v[MAX_ATOMS];
        size_t n;
        if (split_atoms(bs[b], be[b], v, &n) < 0 || n == 0 || v[n - 1].min == 0) {
            cs_all(out);
            return;
        }
        tmk_charset t;
        if (v[n - 1].kind == A_GROUP)
            last_set(v[n - 1].in, v[n - 1].in_end, &t, depth + 1);
        else
            t = v[n - 1].set;
        cs_union(out, &t);
    }
}

/* The set of the second-last character. */
static void last2_set(const char *p, const char *end, tmk_charset *out)
{
    const char *bs[256], *be[256];
    size_t nb = branches(p, end, bs, be, 256);
    memset(out, 0, sizeof *out);
    if (nb == 0) {
        cs_all(out);
        return;
    }
    for (size_t b = 0; b < nb; b++) {
        tail_atom v[MAX_ATOMS];
        size_t n;
        if (split_atoms(bs[b], be[b], v, &n) < 0 || n == 0 || v[n - 1].kind != A_CHAR ||
            v[n - 1].min == 0) {
            cs_all(out);
            return;
        }
        tail_atom *a = &v[n - 1];
        if (a->min >= 2) {
            cs_union(out, &a->set);
            continue;
        }
        if (a->max != 1)
            cs_union(out, &a->set);
        /* the character before the last atom: the last of what precedes it */
        if (n < 2) {
            cs_all(out);
            return;
        }
        tmk_charset t;
        tail_atom *pr = &v[n - 2];
        if (pr->min == 0) {
            cs_all(out);
            return;
        }
        if (pr->kind == A_GROUP)
            last_set(pr->in, pr->in_end, &t, 1);
        else
            t = pr->set;
        cs_union(out, &t);
    }
}

void tmk__srx_tail_sets(const char *java, tmk_charset *last, tmk_charset *last2)
{
    tmk_buf pat = TMK_BUF_INIT;
    cs_all(last);
    cs_all(last2);
    if (tmk__srx_translate(java, &pat) < 0 || fix_lookbehinds(&pat) < 0) {
        tmk_buf_release(&pat);
        return;
    }
    const char *p = pat.data, *end = p + pat.len;
    /* a leading flag group such as (?i) applies to everything */
    int ci = strstr(p, "(?i") != NULL;
    last_set(p, end, last, 0);
    last2_set(p, end, last2);
    if (ci) {
        cs_fold(last);
        cs_fold(last2);
    }
    tmk_buf_release(&pat);
}

/* The after-pattern as matched: without a trailing ".*", ".*?" or ".*+",
 * and with a trailing ".+", ".+?" or ".++" cut to ".".  The after-pattern
 * is anchored at its start only, so "any characters or none" at its very
 * end cannot change whether it matches; it only made every match run to the
 * end of the paragraph (quadratic in long lines: LanguageTool's German
 * "[A-ZÄÖÜ].*").  Dots that are escaped, in a class or in \Q...\E are not
 * touched, nor patterns that recurse into themselves.  Returns a new string
 * (NULL = out of memory); a pattern with no such tail is copied as is. */
static int compile_after(tmk_srx_rule *r, const char *after, tmk_error *err)
{
    if (after[0]) {
        r->after = tmk__srx_compile(after, PCRE2_ANCHORED, err, r->line, r->col);
        if (!r->after)
            return err ? err->code : TMK_ESYNTAX;
    }
    if (r->brk) {
        /* break rules also find their candidate positions by a scan */
        tmk_buf both = TMK_BUF_INIT;
        int rc = tmk_buf_printf(&both, "(?:%s)(?=%s)", r->before_src, after);
        if (rc < 0)
            return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
        r->both = tmk__srx_compile(both.data, 0, err, r->line, r->col);
        tmk_buf_release(&both);
        if (!r->both)
            return err ? err->code : TMK_ESYNTAX;
        /* "^...": the scan above finds only one match per paragraph, so
         * candidates come from where the after-pattern matches */
        if ((r->before_src[0] == '^' || !r->before_src[0]) && after[0]) {
            r->after_find = tmk__srx_compile(after, 0, err, r->line, r->col);
            if (!r->after_find)
                return err ? err->code : TMK_ESYNTAX;
        }
    }
    return TMK_OK;
}

char *tmk__srx_after_for_matching(const char *src)
{
    size_t n = strlen(src), dot = (size_t)-1;
    int depth = 0;
    if (strstr(src, "(?R") || strstr(src, "(?0") || strstr(src, "\\g"))
        return tmk__strdup(src);
    for (size_t i = 0; i < n; i++) {
        char c = src[i];
        if (c == '\\' && i + 1 < n) {
            if (src[i + 1] == 'Q') {
                const char *e = strstr(src + i + 2, "\\E");
                if (!e)
                    return tmk__strdup(src); /* quoted to the end */
                i = (size_t)(e - src) + 1;
            } else {
                i++;
            }
            continue;
        }
        if (c == '[') {
            /* Java nests classes; "[]" and "[^]" start with a literal ']' */
            depth++;
            if (i + 1 < n && src[i + 1] == '^')
                i++;
            if (i + 1 < n && src[i + 1] == ']')
                i++;
        } else if (c == ']' && depth > 0) {
            depth--;
        } else if (c == '.' && depth == 0) {
            dot = i;
        }
    }
    size_t keep = n;
    if (dot != (size_t)-1 && depth == 0) {
        const char *t = src + dot + 1;
        if (!strcmp(t, "*") || !strcmp(t, "*?") || !strcmp(t, "*+"))
            keep = dot;
        else if (!strcmp(t, "+") || !strcmp(t, "+?") || !strcmp(t, "++"))
            keep = dot + 1;
    }
    char *out = malloc(keep + 1);
    if (out) {
        memcpy(out, src, keep);
        out[keep] = '\0';
    }
    return out;
}

int tmk__srx_rule_compile(tmk_srx_rule *r, tmk_error *err)
{
    if (r->compiled)
        return TMK_OK;
    r->compiled = 1;
    cs_all(&r->last);
    cs_all(&r->last2);
    if (r->before_src[0]) {
        r->before_max = tmk__srx_max_chars(r->before_src);
        tmk__srx_tail_sets(r->before_src, &r->last, &r->last2);
        r->before = tmk__srx_compile(r->before_src, PCRE2_ENDANCHORED, err, r->line, r->col);
        if (!r->before)
            return err ? err->code : TMK_ESYNTAX;
        if (r->before_src[0] == '^') {
            r->before_pre = tmk__srx_compile(r->before_src, PCRE2_ANCHORED, err, r->line, r->col);
            if (!r->before_pre)
                return err ? err->code : TMK_ESYNTAX;
        }
    }
    /* after_src stays as written (--dump-srx); matching uses `after` */
    char *after = tmk__srx_after_for_matching(r->after_src);
    if (!after)
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    int rc = compile_after(r, after, err);
    free(after);
    return rc;
}

static void XMLCALL on_end(void *ud, const char *name)
{
    srx_loader *L = ud;
    const char *n = local(name);
    if (L->rc < 0)
        return;
    if (!strcmp(n, "beforebreak") || !strcmp(n, "afterbreak")) {
        L->in_text = IN_NONE;
    } else if (!strcmp(n, "rule") && L->in_rule) {
        L->in_rule = 0;
        int rc = finish_rule(L);
        if (rc < 0) {
            L->rc = rc;
            XML_StopParser(L->p, XML_FALSE);
        }
    } else if (!strcmp(n, "languagerule")) {
        L->in_langrule = 0;
    }
}

static void XMLCALL on_text(void *ud, const char *s, int len)
{
    srx_loader *L = ud;
    if (L->rc < 0 || L->in_text == IN_NONE)
        return;
    tmk_buf *b = L->in_text == IN_BEFORE ? &L->before : &L->after;
    if (tmk_buf_add(b, s, (size_t)len) < 0)
        fail(L, TMK_ENOMEM, "out of memory");
}

/* An SRX file needs no DTD declarations: entities (an external one reads
 * another file, nested ones grow without end) and attribute defaults are
 * refused, as the TMX reader refuses them. */
static void XMLCALL on_entity_decl(void *ud, const XML_Char *name, int is_param,
                                   const XML_Char *value, int value_len, const XML_Char *base,
                                   const XML_Char *system_id, const XML_Char *public_id,
                                   const XML_Char *notation)
{
    srx_loader *L = ud;
    (void)name; (void)is_param; (void)value; (void)value_len; (void)base; (void)system_id;
    (void)public_id; (void)notation;
    fail(L, TMK_ESYNTAX, "the SRX file declares an entity in its DOCTYPE; entity "
                         "declarations are refused for safety (SRX needs none): remove the "
                         "DOCTYPE");
}

static void XMLCALL on_attlist_decl(void *ud, const XML_Char *elname, const XML_Char *attname,
                                    const XML_Char *att_type, const XML_Char *dflt,
                                    int isrequired)
{
    srx_loader *L = ud;
    (void)elname; (void)attname; (void)att_type; (void)dflt; (void)isrequired;
    fail(L, TMK_ESYNTAX, "the SRX file declares attributes in its DOCTYPE; attribute "
                         "declarations are refused for safety (SRX needs none): remove the "
                         "DOCTYPE");
}

tmk_srx *tmk__srx_load_mem(const char *data, size_t len, tmk_error *err)
{
    tmk_srx *x = calloc(1, sizeof *x);
    if (!x) {
        tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
        return NULL;
    }
    srx_loader L;
    memset(&L, 0, sizeof L);
    L.x = x;
    L.err = err;
    tmk_buf_init(&L.before);
    tmk_buf_init(&L.after);
    /* the library's allocator (see the allocation failure tests) */
    static const XML_Memory_Handling_Suite mem = {malloc, realloc, free};
    L.p = XML_ParserCreate_MM(NULL, &mem, "|");
    if (!L.p) {
        free(x);
        tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
        return NULL;
    }
    XML_SetUserData(L.p, &L);
    XML_SetElementHandler(L.p, on_start, on_end);
    XML_SetCharacterDataHandler(L.p, on_text);
    XML_SetEntityDeclHandler(L.p, on_entity_decl);
    XML_SetAttlistDeclHandler(L.p, on_attlist_decl);
    XML_SetParamEntityParsing(L.p, XML_PARAM_ENTITY_PARSING_NEVER);
    if (len > INT_MAX) {
        L.rc = tmk_error_set(err, TMK_ELIMIT, 0, 0, "the SRX file is larger than 2 GB");
    } else if (XML_Parse(L.p, data, (int)len, XML_TRUE) == XML_STATUS_ERROR && L.rc >= 0) {
        enum XML_Error code = XML_GetErrorCode(L.p);
        if (code == XML_ERROR_NO_MEMORY)
            L.rc = tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
        else
            L.rc = tmk_error_set(err, TMK_ESYNTAX, XML_GetCurrentLineNumber(L.p),
                                 XML_GetCurrentColumnNumber(L.p) + 1,
                                 "not a valid SRX file: %s", XML_ErrorString(code));
    }
    if (L.rc >= 0 && !L.seen_srx)
        L.rc = tmk_error_set(err, TMK_ESYNTAX, 1, 1,
                             "not an SRX file: the root element must be <srx>");
    if (L.rc >= 0 && x->nmaps == 0)
        L.rc = tmk_error_set(err, TMK_ESYNTAX, 1, 1,
                             "the SRX file has no <languagemap>, so no rules apply to any "
                             "language; add one such as <languagemap languagepattern=\".*\" "
                             "languagerulename=\"...\"/>");
    for (size_t i = 0; L.rc >= 0 && i < x->nmaps; i++) {
        int found = 0;
        for (size_t j = 0; j < x->nlang && !found; j++)
            found = !strcmp(x->langs[j].name, x->maps[i].rulename);
        if (!found)
            L.rc = tmk_error_set(err, TMK_ESYNTAX, x->maps[i].line, x->maps[i].col,
                                 "<languagemap> names the language rule \"%.200s\", which the "
                                 "file does not define; add a <languagerule> of that name or "
                                 "fix the name",
                                 x->maps[i].rulename);
    }
    XML_ParserFree(L.p);
    tmk_buf_release(&L.before);
    tmk_buf_release(&L.after);
    if (L.rc < 0) {
        tmk__srx_free(x);
        return NULL;
    }
    return x;
}

tmk_srx *tmk__srx_load_file(const char *path, tmk_error *err)
{
    tmk_buf b = TMK_BUF_INIT;
    if (tmk_io_read_file(path, &b, err) < 0) {
        tmk_buf_release(&b); /* what was read before the failure */
        return NULL;
    }
    tmk_srx *x = tmk__srx_load_mem(b.data, b.len, err);
    tmk_buf_release(&b);
    return x;
}
