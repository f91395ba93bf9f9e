/* doc_po.c -- the gettext PO reader (tmkit/po.h).
 *
 * Two phases.  Until the header entry is complete the raw bytes are kept
 * and parsed as they are (the syntax is ASCII; only the header's charset
 * is needed from them).  Then a decoder for that charset is made, every
 * byte kept so far is fed through it, and parsing starts again from line 1
 * on the decoded UTF-8; from there on input goes through the decoder as
 * it comes.  Parsing is by complete lines: an entry is held until the
 * next one starts (a comment, msgctxt or msgid after its msgstr, or a
 * blank line after it), so memory is bounded by the largest entry. */
#include <config.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "internal.h"
#include "tmkit/po.h"

enum state { S_NONE, S_CTXT, S_ID, S_PLURAL, S_STR, S_STRN };

struct tmk_po_reader {
    int finished; /* tmk_po_reader_finish was called (tmkit.h rule 6) */
    const char *name;
    int (*cb)(void *ud, const tmk_po_entry *e);
    void *ud;
    int failed;            /* the error code once failed */
    int decoded;           /* phase 2: input goes through dec */
    tmk_buf raw;           /* phase 1: every byte fed so far */
    size_t raw_pos;        /* phase 1: bytes of raw already parsed */
    int header_done;       /* phase 1: the first entry is complete */
    tmk_decoder *dec;
    tmk_buf text;          /* phase 2: decoded text not yet parsed */
    unsigned long lineno;
    /* the entry being read */
    enum state st;
    tmk_buf ctxt, id, plural;
    int has_ctxt;
    tmk_buf *strs;
    size_t nstrs, capstrs;
    tmk_buf *cur;          /* the string a continuation line adds to */
    unsigned flags;        /* from "#," lines before the entry */
    unsigned long entry_line;
    size_t entry_size;
    unsigned long nentries;
    unsigned long obsolete;
    int in_obsolete;       /* inside a run of #~ lines that had a msgid */
    /* the header */
    tmk_po_header hdr;
    int have_hdr;
    char *h_lang, *h_charset, *h_plural;
};

static unsigned long col_of(const char *s, size_t off)
{
    unsigned long c = 1;
    for (size_t i = 0; i < off; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            c++;
    return c;
}

static int fail(tmk_po_reader *r, tmk_error *err, int code, unsigned long line,
                unsigned long col, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

static int fail(tmk_po_reader *r, tmk_error *err, int code, unsigned long line,
                unsigned long col, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    tmk_error_set(err, code, line, col, "%s", msg);
    tmk_error_set_file(err, r->name);
    r->failed = code;
    return code;
}

#define SYNTAX(col, ...) fail(r, err, TMK_ESYNTAX, r->lineno, (col), __VA_ARGS__)

static void entry_reset(tmk_po_reader *r)
{
    r->st = S_NONE;
    tmk_buf_reset(&r->ctxt);
    tmk_buf_reset(&r->id);
    tmk_buf_reset(&r->plural);
    r->has_ctxt = 0;
    for (size_t i = 0; i < r->nstrs; i++)
        tmk_buf_reset(&r->strs[i]);
    r->nstrs = 0;
    r->cur = NULL;
    r->flags = 0;
    r->entry_line = 0;
    r->entry_size = 0;
}

int tmk_po_reader_new(tmk_po_reader **out, const tmk_po_options *opt,
                      int (*cb)(void *ud, const tmk_po_entry *entry), void *ud, tmk_error *err)
{
    *out = NULL;
    tmk_po_reader *r = calloc(1, sizeof *r);
    if (!r)
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    if (opt && opt->size >= offsetof(tmk_po_options, name) + sizeof opt->name)
        r->name = opt->name;
    r->cb = cb;
    r->ud = ud;
    tmk_buf_init(&r->raw);
    tmk_buf_init(&r->text);
    tmk_buf_init(&r->ctxt);
    tmk_buf_init(&r->id);
    tmk_buf_init(&r->plural);
    *out = r;
    return TMK_OK;
}

void tmk_po_reader_free(tmk_po_reader *r)
{
    if (!r)
        return;
    tmk_buf_release(&r->raw);
    tmk_buf_release(&r->text);
    tmk_buf_release(&r->ctxt);
    tmk_buf_release(&r->id);
    tmk_buf_release(&r->plural);
    for (size_t i = 0; i < r->capstrs; i++)
        tmk_buf_release(&r->strs[i]);
    free(r->strs);
    tmk_decoder_free(r->dec);
    free(r->h_lang);
    free(r->h_charset);
    free(r->h_plural);
    free(r);
}

const tmk_po_header *tmk_po_reader_header(const tmk_po_reader *r)
{
    return r && r->have_hdr ? &r->hdr : NULL;
}

unsigned long tmk_po_reader_obsolete(const tmk_po_reader *r)
{
    return r ? r->obsolete : 0;
}

/* ---- the header ---------------------------------------------------------- */

/* The value of header field key ("Language") in the header text, trimmed,
 * as a new string; NULL (and *nomem 0) when absent. */
static char *header_field(const char *h, size_t n, const char *key, int *nomem)
{
    size_t kl = strlen(key);
    size_t i = 0;
    while (i < n) {
        size_t e = i;
        while (e < n && h[e] != '\n')
            e++;
        if (e - i > kl && !strncasecmp(h + i, key, kl) && h[i + kl] == ':') {
            size_t s = i + kl + 1;
            while (s < e && (h[s] == ' ' || h[s] == '\t'))
                s++;
            size_t t = e;
            while (t > s && (h[t - 1] == ' ' || h[t - 1] == '\t' || h[t - 1] == '\r'))
                t--;
            char *v = tmk__strndup(h + s, t - s);
            if (!v)
                *nomem = 1;
            return v;
        }
        i = e + 1;
    }
    return NULL;
}

/* "nplurals=N; plural=EXPRESSION;": N (1..100), or 0 when it is not that. */
static int plural_forms_ok(const char *s)
{
    const char *p = s;
    while (*p == ' ' || *p == '\t')
        p++;
    if (strncmp(p, "nplurals", 8))
        return 0;
    p += 8;
    while (*p == ' ')
        p++;
    if (*p++ != '=')
        return 0;
    while (*p == ' ')
        p++;
    if (*p < '0' || *p > '9')
        return 0;
    long n = strtol(p, (char **)&p, 10);
    if (n < 1 || n > 100)
        return 0;
    while (*p == ' ')
        p++;
    if (*p++ != ';')
        return 0;
    while (*p == ' ')
        p++;
    if (strncmp(p, "plural", 6))
        return 0;
    p += 6;
    while (*p == ' ')
        p++;
    if (*p++ != '=')
        return 0;
    /* the expression: C operators on n and numbers, parentheses balanced */
    int depth = 0, any = 0;
    for (; *p && *p != ';'; p++) {
        if (*p == '(')
            depth++;
        else if (*p == ')' && --depth < 0)
            return 0;
        else if (!strchr("n0123456789 \t?:<>=!&|%+-*/()", *p))
            return 0;
        if (*p != ' ' && *p != '\t')
            any = 1;
    }
    if (!any || depth)
        return 0;
    if (*p == ';')
        p++;
    while (*p == ' ' || *p == '\t')
        p++;
    return *p ? 0 : (int)n;
}

/* The first entry is complete: it must be the header; take its fields. */
static int take_header(tmk_po_reader *r, tmk_error *err)
{
    unsigned long at = r->entry_line ? r->entry_line : r->lineno;
    if (r->st == S_NONE || r->has_ctxt || r->id.len)
        return fail(r, err, TMK_ESYNTAX, at, 1,
                    "the file does not start with a header entry (msgid \"\" whose msgstr holds "
                    "\"Content-Type: text/plain; charset=...\\n\" and \"Language: ...\\n\"): add "
                    "one, e.g. from the .pot template or with msginit");
    const char *h = r->nstrs ? r->strs[0].data : "";
    size_t n = r->nstrs ? r->strs[0].len : 0;
    int nomem = 0;
    char *ct = header_field(h, n, "Content-Type", &nomem);
    char *cs = NULL;
    if (ct) {
        const char *p = strstr(ct, "charset=");
        if (p) {
            p += 8;
            size_t k = strcspn(p, " \t;");
            cs = tmk__strndup(p, k);
            if (!cs)
                nomem = 1;
        }
    }
    free(ct);
    r->h_lang = header_field(h, n, "Language", &nomem);
    r->h_plural = header_field(h, n, "Plural-Forms", &nomem);
    r->h_charset = cs;
    if (nomem)
        return fail(r, err, TMK_ENOMEM, 0, 0, "out of memory");
    if (!cs || !*cs)
        return fail(r, err, TMK_ESYNTAX, at, 1,
                    "the header has no Content-Type charset: add the line "
                    "\"Content-Type: text/plain; charset=UTF-8\\n\" (with the file's real "
                    "encoding) to its msgstr");
    if (!strcmp(cs, "CHARSET"))
        return fail(r, err, TMK_ESYNTAX, at, 1,
                    "the header's charset is still the template's placeholder \"CHARSET\": set "
                    "it to the file's encoding (e.g. charset=UTF-8)");
    if (r->h_plural && !*r->h_plural) { /* "Plural-Forms: " left empty: none */
        free(r->h_plural);
        r->h_plural = NULL;
    }
    if (r->h_plural) {
        r->hdr.nplurals = plural_forms_ok(r->h_plural);
        if (!r->hdr.nplurals)
            return fail(r, err, TMK_ESYNTAX, at, 1,
                        "the header's Plural-Forms \"%s\" is not \"nplurals=N; "
                        "plural=EXPRESSION;\": correct it (the gettext manual lists the right "
                        "one for each language)",
                        r->h_plural);
    }
    if (r->h_lang && !*r->h_lang) {
        free(r->h_lang);
        r->h_lang = NULL;
    }
    r->hdr.language = r->h_lang;
    r->hdr.charset = r->h_charset;
    r->hdr.plural_forms = r->h_plural;
    r->have_hdr = 1;
    return TMK_OK;
}

/* ---- entries ------------------------------------------------------------- */

static int entry_done(tmk_po_reader *r, tmk_error *err)
{
    if (r->st == S_NONE)
        return TMK_OK;
    if (r->st == S_CTXT || r->st == S_ID || r->st == S_PLURAL)
        return fail(r, err, TMK_ESYNTAX, r->entry_line, 1,
                    r->st == S_CTXT ? "msgctxt without msgid and msgstr after it"
                    : r->st == S_ID ? "msgid without msgstr: add msgstr \"\" (or the "
                                      "translation) after it"
                                    : "msgid_plural without msgstr[0], msgstr[1], ...: add "
                                      "them after it");
    int rc = TMK_OK;
    if (!r->decoded) {
        r->header_done = 1;
        rc = take_header(r, err);
    } else if (r->nentries++) {
        const char *strs[64];
        size_t lens[64];
        const char **sp = strs;
        size_t *lp = lens;
        if (r->nstrs > 64) {
            sp = malloc(r->nstrs * sizeof *sp);
            lp = malloc(r->nstrs * sizeof *lp);
            if (!sp || !lp) {
                if (sp != strs)
                    free(sp);
                if (lp != lens)
                    free(lp);
                return fail(r, err, TMK_ENOMEM, 0, 0, "out of memory");
            }
        }
        for (size_t i = 0; i < r->nstrs; i++) {
            sp[i] = r->strs[i].data;
            lp[i] = r->strs[i].len;
        }
        tmk_po_entry e = {
            .msgctxt = r->has_ctxt ? r->ctxt.data : NULL,
            .msgctxt_len = r->ctxt.len,
            .msgid = r->id.data,
            .msgid_len = r->id.len,
            .msgid_plural = r->st == S_STRN ? r->plural.data : NULL,
            .msgid_plural_len = r->st == S_STRN ? r->plural.len : 0,
            .msgstr = sp,
            .msgstr_len = lp,
            .nmsgstr = r->nstrs,
            .flags = r->flags,
            .line = r->entry_line,
        };
        int cr = r->cb ? r->cb(r->ud, &e) : 0;
        if (sp != strs)
            free(sp);
        if (lp != lens)
            free(lp);
        if (cr > 0)
            rc = fail(r, err, TMK_ECANCELED, r->entry_line, 0, "stopped by the caller");
        else if (cr < 0)
            rc = r->failed = cr; /* err is the callback's to fill */
    }
    entry_reset(r);
    return rc;
}

static int new_str(tmk_po_reader *r, tmk_error *err)
{
    if (r->nstrs == r->capstrs) {
        size_t nc = r->capstrs ? r->capstrs * 2 : 4;
        tmk_buf *ns = realloc(r->strs, nc * sizeof *ns);
        if (!ns)
            return fail(r, err, TMK_ENOMEM, 0, 0, "out of memory");
        for (size_t i = r->capstrs; i < nc; i++)
            tmk_buf_init(&ns[i]);
        r->strs = ns;
        r->capstrs = nc;
    }
    r->cur = &r->strs[r->nstrs++];
    tmk_buf_reset(r->cur);
    return TMK_OK;
}

static int hexval(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* The string in quotes at s[*pos] (a '"'), escapes decoded, added to dst;
 * then nothing but white space may follow on the line. */
static int read_string(tmk_po_reader *r, const char *s, size_t n, size_t pos, tmk_buf *dst,
                       tmk_error *err)
{
    size_t q = pos, i = pos + 1;
    size_t before = dst->len;
    for (;;) {
        if (i >= n)
            return SYNTAX(col_of(s, q),
                          "unterminated string: the closing \" is missing on this line (a "
                          "string ends on its line; go on in a new \"...\" on the next line, "
                          "and write a \" inside as \\\")");
        char c = s[i];
        if (c == '"')
            break;
        if (c != '\\') {
            size_t k = i;
            while (k < n && s[k] != '"' && s[k] != '\\')
                k++;
            if (tmk_buf_add(dst, s + i, k - i) < 0)
                return fail(r, err, TMK_ENOMEM, 0, 0, "out of memory");
            i = k;
            continue;
        }
        size_t at = i++;
        if (i >= n)
            continue; /* unterminated: reported above */
        int v = -1;
        switch (s[i]) {
        case 'n': v = '\n'; break;
        case 't': v = '\t'; break;
        case 'r': v = '\r'; break;
        case 'a': v = '\a'; break;
        case 'b': v = '\b'; break;
        case 'f': v = '\f'; break;
        case 'v': v = '\v'; break;
        case '\\': v = '\\'; break;
        case '"': v = '"'; break;
        case '\'': v = '\''; break;
        case '?': v = '?'; break;
        case 'x':
            if (i + 1 < n && hexval(s[i + 1]) >= 0) {
                v = 0;
                while (i + 1 < n && hexval(s[i + 1]) >= 0)
                    v = (v * 16 + hexval(s[++i])) & 0xFF;
            }
            break;
        default:
            if (s[i] >= '0' && s[i] <= '7') {
                v = s[i] - '0';
                for (int k = 0; k < 2 && i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '7'; k++)
                    v = (v * 8 + (s[++i] - '0')) & 0xFF;
            }
        }
        if (v < 0) {
            char esc[8];
            snprintf(esc, sizeof esc, "%.*s", s[i] & 0x80 ? 0 : 1, s + i);
            return fail(r, err, TMK_ESYNTAX, r->lineno, col_of(s, at),
                        "unknown escape \"\\%s\" in a string: write a backslash as \\\\", esc);
        }
        if (tmk_buf_addch(dst, v) < 0)
            return fail(r, err, TMK_ENOMEM, 0, 0, "out of memory");
        i++;
    }
    r->entry_size += dst->len - before;
    if (r->entry_size > TMK_PO_MAX_ENTRY)
        return fail(r, err, TMK_ELIMIT, r->entry_line, 1,
                    "this entry is longer than 64 MiB: not a catalogue of messages");
    for (i++; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\f' && s[i] != '\v')
            return SYNTAX(col_of(s, i),
                          "unexpected text after the closing \" of the string (one string a "
                          "line; a \" inside a string is written \\\")");
    return TMK_OK;
}

/* "#," flags: comma-separated words. */
static void read_flags(tmk_po_reader *r, const char *s, size_t n)
{
    size_t i = 2;
    while (i < n) {
        while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == ','))
            i++;
        size_t b = i;
        while (i < n && s[i] != ' ' && s[i] != '\t' && s[i] != ',')
            i++;
        if (i - b == 5 && !memcmp(s + b, "fuzzy", 5))
            r->flags |= TMK_PO_FUZZY;
    }
}

static int is_kw(const char *s, size_t n, const char *kw)
{
    size_t k = strlen(kw);
    return n > k && !memcmp(s, kw, k) && (s[k] == ' ' || s[k] == '\t' || s[k] == '"');
}

static int parse_line(tmk_po_reader *r, const char *s, size_t n, tmk_error *err)
{
    size_t i = 0;
    if (n && s[n - 1] == '\r')
        n--;
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\f' || s[i] == '\v'))
        i++;
    if (i == n) {
        r->in_obsolete = 0;
        return r->st >= S_STR ? entry_done(r, err) : TMK_OK;
    }
    if (s[i] == '#') {
        if (r->st >= S_STR)
            TMK_TRY(entry_done(r, err));
        else if (r->st != S_NONE)
            return SYNTAX(col_of(s, i), "a comment inside an entry (between its msgid and "
                                        "msgstr): move it before the entry");
        if (n - i >= 2 && s[i + 1] == ',')
            read_flags(r, s + i, n - i);
        else if (n - i >= 2 && s[i + 1] == '~') {
            /* an obsolete entry: counted at its msgid, otherwise skipped; the
             * "#," flags read so far were its own, not the next entry's */
            r->flags = 0;
            size_t k = i + 2;
            while (k < n && (s[k] == ' ' || s[k] == '\t'))
                k++;
            if (is_kw(s + k, n - k, "msgid") && !r->in_obsolete) {
                r->obsolete++;
                r->in_obsolete = 1;
            } else if (is_kw(s + k, n - k, "msgstr") || (n - k > 7 && !memcmp(s + k, "msgstr[", 7)))
                r->in_obsolete = 0;
        }
        return TMK_OK;
    }
    r->in_obsolete = 0;
    if (s[i] == '"') {
        if (!r->cur)
            return SYNTAX(col_of(s, i), "a string without a keyword (msgid, msgstr, ...) "
                                        "before it");
        return read_string(r, s, n, i, r->cur, err);
    }
    /* keyword [index] "string" */
    size_t k = i;
    while (k < n && ((s[k] >= 'a' && s[k] <= 'z') || s[k] == '_'))
        k++;
    char kw[16];
    size_t kl = k - i < sizeof kw - 1 ? k - i : sizeof kw - 1;
    memcpy(kw, s + i, kl);
    kw[kl] = '\0';
    long index = -1;
    if (k - i == 6 && !memcmp(s + i, "msgstr", 6) && k < n && s[k] == '[') {
        size_t d = k + 1;
        index = 0;
        while (d < n && s[d] >= '0' && s[d] <= '9' && index < 1000)
            index = index * 10 + (s[d++] - '0');
        if (d == k + 1 || d >= n || s[d] != ']')
            return SYNTAX(col_of(s, k), "expected msgstr[N] with a number N");
        k = d + 1;
    }
    size_t q = k;
    while (q < n && (s[q] == ' ' || s[q] == '\t'))
        q++;
    int known = !strcmp(kw, "msgctxt") || !strcmp(kw, "msgid") || !strcmp(kw, "msgid_plural") ||
                !strcmp(kw, "msgstr");
    if (!known || (k < n && q == k && s[k] != '"'))
        return fail(r, err, TMK_ESYNTAX, r->lineno, col_of(s, i),
                    "unexpected \"%s\": a line here starts with msgctxt, msgid, msgid_plural, "
                    "msgstr, msgstr[N], a string in quotes or # (a comment)",
                    kl ? kw : (s[i] & 0x80 ? "text" : (char[2]){s[i], 0}));
    if (q >= n || s[q] != '"')
        return fail(r, err, TMK_ESYNTAX, r->lineno, col_of(s, q),
                    "expected a string in quotes after %s", index >= 0 ? "msgstr[N]" : kw);
    unsigned long line = r->lineno;
    if (!strcmp(kw, "msgctxt") || !strcmp(kw, "msgid")) {
        int ctxt = kw[3] == 'c';
        if (r->st >= S_STR)
            TMK_TRY(entry_done(r, err));
        if (r->st == S_CTXT && ctxt)
            return SYNTAX(col_of(s, i), "a second msgctxt: one entry has one msgctxt, then "
                                        "msgid");
        if (r->st == S_ID || r->st == S_PLURAL) {
            char at[24];
            snprintf(at, sizeof at, "%lu", r->entry_line);
            return fail(r, err, TMK_ESYNTAX, r->lineno, col_of(s, i),
                        "%s before the msgstr of the entry at line %s: add msgstr \"\" to that "
                        "entry",
                        kw, at);
        }
        if (r->st == S_NONE)
            r->entry_line = line;
        if (ctxt) {
            r->has_ctxt = 1;
            r->st = S_CTXT;
            r->cur = &r->ctxt;
        } else {
            r->st = S_ID;
            r->cur = &r->id;
        }
    } else if (!strcmp(kw, "msgid_plural")) {
        if (r->st != S_ID)
            return SYNTAX(col_of(s, i), "msgid_plural without a msgid just before it");
        r->st = S_PLURAL;
        r->cur = &r->plural;
    } else if (index < 0) {
        if (r->st == S_PLURAL)
            return SYNTAX(col_of(s, i), "msgstr without an index in an entry with "
                                        "msgid_plural: write msgstr[0], msgstr[1], ...");
        if (r->st != S_ID)
            return SYNTAX(col_of(s, i), r->st == S_NONE || r->st == S_CTXT
                                            ? "msgstr without a msgid before it"
                                            : "a second msgstr in one entry");
        r->st = S_STR;
        TMK_TRY(new_str(r, err));
    } else {
        if (r->st == S_ID || r->st == S_STR)
            return SYNTAX(col_of(s, i), "msgstr[N] in an entry without msgid_plural: give "
                                        "the entry a msgid_plural, or write plain msgstr");
        if (r->st != S_PLURAL && r->st != S_STRN)
            return SYNTAX(col_of(s, i), "msgstr[N] without msgid and msgid_plural before "
                                        "it");
        if ((size_t)index != r->nstrs) {
            char want[24], got[24];
            snprintf(want, sizeof want, "%zu", r->nstrs);
            snprintf(got, sizeof got, "%ld", index);
            return fail(r, err, TMK_ESYNTAX, r->lineno, col_of(s, i),
                        "msgstr[%s] where msgstr[%s] comes next: number the plural forms "
                        "0, 1, 2, ... in order",
                        got, want);
        }
        r->st = S_STRN;
        TMK_TRY(new_str(r, err));
    }
    return read_string(r, s, n, q, r->cur, err);
}

/* Parse the complete lines of buf from *pos; stops early in phase 1 once
 * the header is complete. */
static int parse_lines(tmk_po_reader *r, const tmk_buf *b, size_t *pos, tmk_error *err)
{
    while (*pos < b->len) {
        if (!r->decoded && r->header_done)
            return TMK_OK;
        const char *s = b->data + *pos;
        const char *nl = memchr(s, '\n', b->len - *pos);
        if (!nl)
            return TMK_OK;
        r->lineno++;
        size_t n = (size_t)(nl - s);
        *pos += n + 1;
        /* a UTF-8 byte-order mark before the first line */
        if (r->lineno == 1 && n >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3)) {
            s += 3;
            n -= 3;
        }
        TMK_TRY(parse_line(r, s, n, err));
    }
    return TMK_OK;
}

static int dec_error(tmk_po_reader *r, int rc, tmk_error *err)
{
    /* a damaged character in a file that is otherwise in its charset says
     * so itself (the charset is right) */
    if (rc == TMK_EENCODING && err && err->detail != TMK_D_DAMAGED_UTF8) {
        char what[sizeof err->msg];
        memcpy(what, err->msg, sizeof what);
        what[200] = '\0';
        /* the header's charset is wrong: not a case for another --encoding */
        tmk_error_set_detail(err, rc, TMK_D_NONE, err->line, err->col,
                             "the text is not in %s, the charset its header names (%s): "
                             "correct the charset in the Content-Type line, or convert the "
                             "file (msgconv --to-code=UTF-8)",
                             r->h_charset, what);
    }
    tmk_error_set_file(err, r->name);
    r->failed = rc;
    return rc;
}

/* The header is known: go over to decoded text, starting again at line 1. */
static int start_decoding(tmk_po_reader *r, tmk_error *err)
{
    tmk_error e = TMK_ERROR_INIT;
    const char *cs = r->h_charset;
    tmk_decoder_new(&r->dec, cs, r->name, &e);
    if (!r->dec) {
        if (e.code == TMK_ENOMEM)
            return fail(r, err, TMK_ENOMEM, 0, 0, "out of memory");
        return fail(r, err, TMK_ESYNTAX, r->entry_line ? r->entry_line : 1, 1,
                    "the header's charset \"%s\" is not an encoding this system knows (iconv "
                    "-l lists them): correct the Content-Type line",
                    cs);
    }
    tmk_decoder_set_sniff(r->dec, 0, NULL);
    entry_reset(r);
    r->lineno = 0;
    r->decoded = 1;
    int rc = tmk_decoder_feed(r->dec, r->raw.data, r->raw.len, &r->text, err);
    tmk_buf_release(&r->raw);
    if (rc < 0)
        return dec_error(r, rc, err);
    return TMK_OK;
}

static int parse_text(tmk_po_reader *r, tmk_error *err)
{
    size_t pos = 0;
    int rc = parse_lines(r, &r->text, &pos, err);
    /* keep the unparsed tail */
    memmove(r->text.data, r->text.data + pos, r->text.len - pos);
    tmk_buf_setlen(&r->text, r->text.len - pos);
    return rc;
}

int tmk_po_reader_feed(tmk_po_reader *r, const char *data, size_t len, tmk_error *err)
{
    if (r->finished)
        return tmk__after_finish(err, "PO reader");
    if (r->failed)
        return tmk_error_set(err, r->failed, 0, 0, "the reader stopped at an earlier error");
    if (!r->decoded) {
        if (tmk_buf_add(&r->raw, data, len) < 0)
            return fail(r, err, TMK_ENOMEM, 0, 0, "out of memory");
        TMK_TRY(parse_lines(r, &r->raw, &r->raw_pos, err));
        if (!r->header_done) {
            if (r->raw.len > TMK_PO_MAX_ENTRY)
                return fail(r, err, TMK_ELIMIT, 1, 1,
                            "no header entry in the first 64 MiB: not a PO file");
            return TMK_OK;
        }
        TMK_TRY(start_decoding(r, err));
        return parse_text(r, err);
    }
    int rc = tmk_decoder_feed(r->dec, data, len, &r->text, err);
    if (rc < 0)
        return dec_error(r, rc, err);
    return parse_text(r, err);
}

int tmk_po_reader_finish(tmk_po_reader *r, tmk_error *err)
{
    if (r->finished)
        return tmk__after_finish(err, "PO reader");
    r->finished = 1;
    if (r->failed)
        return tmk_error_set(err, r->failed, 0, 0, "the reader stopped at an earlier error");
    if (!r->decoded) {
        /* the whole file is in raw: a last line without its newline */
        if (r->raw.len && r->raw.data[r->raw.len - 1] != '\n' &&
            tmk_buf_addch(&r->raw, '\n') < 0)
            return fail(r, err, TMK_ENOMEM, 0, 0, "out of memory");
        TMK_TRY(parse_lines(r, &r->raw, &r->raw_pos, err));
        if (!r->header_done) {
            r->lineno++;
            TMK_TRY(entry_done(r, err));
            if (!r->header_done)
                return take_header(r, err); /* no entry at all */
        }
        TMK_TRY(start_decoding(r, err));
    }
    int rc = tmk_decoder_finish(r->dec, &r->text, err);
    if (rc < 0)
        return dec_error(r, rc, err);
    if (r->text.len && r->text.data[r->text.len - 1] != '\n' &&
        tmk_buf_addch(&r->text, '\n') < 0)
        return fail(r, err, TMK_ENOMEM, 0, 0, "out of memory");
    TMK_TRY(parse_text(r, err));
    r->lineno++;
    TMK_TRY(entry_done(r, err));
    return TMK_OK;
}

/* ---- language codes ------------------------------------------------------ */

int tmk_po_lang_to_tmx(const char *po_lang, char **out, tmk_error *err)
{
    *out = NULL;
    if (!po_lang)
        return tmk_error_set(err, TMK_EINVAL, 0, 0, "no language");
    size_t n = strcspn(po_lang, ".@");
    const char *mod = strchr(po_lang, '@');
    const char *script = NULL;
    if (mod && !strncasecmp(mod + 1, "latin", 5))
        script = "Latn";
    else if (mod && !strncasecmp(mod + 1, "cyrillic", 8))
        script = "Cyrl";
    tmk_buf b = TMK_BUF_INIT;
    size_t l = strcspn(po_lang, "_-.@");
    int rc = tmk_buf_add(&b, po_lang, l);
    if (!rc && script)
        rc = tmk_buf_printf(&b, "-%s", script);
    if (!rc && l < n) {
        rc = tmk_buf_addch(&b, '-');
        for (size_t i = l + 1; !rc && i < n; i++)
            rc = tmk_buf_addch(&b, po_lang[i] == '_' ? '-' : po_lang[i]);
    }
    char *c = rc ? NULL : tmk__lang_canonical(b.data);
    tmk_buf_release(&b);
    if (!c)
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    /* gettext's codes are ll or lll (ISO 639), then a country */
    if ((l != 2 && l != 3) || !tmk_lang_valid(c)) {
        free(c);
        return tmk_error_set(err, TMK_EINVAL, 0, 0,
                             "the language \"%s\" is not a language code", po_lang);
    }
    *out = c;
    return TMK_OK;
}
