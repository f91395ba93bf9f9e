/* tmx_write.c -- the TMX 1.4b writer.
 *
 * Output is deterministic: the same calls give the same bytes (the date
 * comes from the header, SOURCE_DATE_EPOCH or the clock, in that order).
 * Each unit is built in one buffer and written with one fwrite (or one
 * call of the sink), so a unit costs one allocation at most once the
 * buffer has grown.
 */
#include <config.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "internal.h"
#include "tmkit/tmx.h"

struct tmk_tmx_writer {
    int finished; /* tmk_tmx_writer_finish was called (tmkit.h rule 6) */
    FILE *out;         /* used when there is no sink */
    tmk_tmx_sink sink;
    unsigned flags;
    tmk_tmx_warn_cb warn;
    void *ud;          /* for sink and warn */
    size_t tu_index;   /* number of tmk_tmx_writer_add calls so far */
    int failed;        /* 0, or the code every later call returns */
    int fail_errno; /* errno of the failed write (0: unknown) */
    int warn_stop;     /* the code of a warning callback that asked to stop */
    tmk_buf b;         /* the unit being built */
    tmk_buf tmp;
};

/* ---- dates and language codes ---------------------------------------- */

void tmk_tmx_date(long long t, char out[17])
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm)) {
        memcpy(out, "19700101T000000Z", 17);
        return;
    }
    if (strftime(out, 17, "%Y%m%dT%H%M%SZ", &tm) != 16)
        memcpy(out, "19700101T000000Z", 17);
}

char *tmk__lang_canonical(const char *code)
{
    if (!code)
        return NULL;
    char *r = tmk__strdup(code);
    if (!r || !strcmp(r, "*all*"))
        return r;
    /* subtags separated by '-' (or '_'); first subtag lowercase; after a
     * singleton (x-, u-, ...) everything lowercase; 4-letter subtags titlecase
     * (script), 2-letter uppercase (region); the rest lowercase. */
    int pos = 0, after_singleton = 0;
    char *p = r;
    while (*p) {
        char *s = p;
        while (*p && *p != '-' && *p != '_')
            p++;
        size_t n = (size_t)(p - s);
        for (size_t i = 0; i < n; i++)
            s[i] = (char)tolower((unsigned char)s[i]);
        if (pos == 0 && n == 1)
            after_singleton = 1; /* "x-..." or "i-..." */
        if (pos > 0 && !after_singleton) {
            if (n == 1)
                after_singleton = 1;
            else if (n == 2)
                for (size_t i = 0; i < n; i++)
                    s[i] = (char)toupper((unsigned char)s[i]);
            else if (n == 4 && isalpha((unsigned char)s[0]))
                s[0] = (char)toupper((unsigned char)s[0]);
        }
        if (*p)
            *p++ = '-';
        pos++;
    }
    return r;
}


/* Append n bytes: the room is checked inline, then one memcpy (of a known
 * size for literals); the writer appends many short pieces per unit. */
static inline int put(tmk_buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap && tmk_buf_grow(b, n) < 0)
        return TMK_ENOMEM;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return TMK_OK;
}
#define PUT_LIT(b, lit) put((b), (lit), sizeof(lit) - 1)

static int all_alnum(const char *s, size_t n, int alpha_only)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80 || !(alpha_only ? isalpha(c) : isalnum(c)))
            return 0;
    }
    return 1;
}

int tmk_lang_canonical(char **out, const char *code, tmk_error *err)
{
    *out = NULL;
    if (!code)
        return tmk_error_set(err, TMK_EINVAL, 0, 0, "no language code given");
    if (!(*out = tmk__lang_canonical(code)))
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    return TMK_OK;
}

int tmk__lang_plausible(const char *code)
{
    if (!tmk_lang_valid(code))
        return 0;
    size_t n = strcspn(code, "-");
    return n <= 3; /* 1: x- and i- tags (tmk_lang_valid checked them) */
}

int tmk_lang_valid(const char *code)
{
    if (!code || !*code)
        return 0;
    /* split into subtags */
    const char *tags[64];
    size_t lens[64], nt = 0;
    const char *p = code;
    for (;;) {
        const char *s = p;
        while (*p && *p != '-')
            p++;
        if (nt == 64 || p == s || p - s > 8)
            return 0;
        tags[nt] = s;
        lens[nt++] = (size_t)(p - s);
        if (!*p)
            break;
        p++;
        if (!*p)
            return 0;
    }
    for (size_t i = 0; i < nt; i++)
        if (!all_alnum(tags[i], lens[i], 0))
            return 0;
    size_t i = 0;
    /* private use or grandfathered i- tags */
    if (lens[0] == 1) {
        char c = (char)tolower((unsigned char)tags[0][0]);
        if ((c != 'x' && c != 'i') || nt < 2)
            return 0;
        return 1;
    }
    /* language: 2-3 letters (+ up to 3 extlang of 3) or 4-8 letters */
    if (lens[0] < 2 || !all_alnum(tags[0], lens[0], 1))
        return 0;
    i = 1;
    if (lens[0] <= 3) {
        for (int e = 0; e < 3 && i < nt && lens[i] == 3 && all_alnum(tags[i], 3, 1); e++)
            i++;
    }
    /* script */
    if (i < nt && lens[i] == 4 && all_alnum(tags[i], 4, 1))
        i++;
    /* region: 2 letters or 3 digits */
    if (i < nt && ((lens[i] == 2 && all_alnum(tags[i], 2, 1)) ||
                   (lens[i] == 3 && isdigit((unsigned char)tags[i][0]) &&
                    isdigit((unsigned char)tags[i][1]) && isdigit((unsigned char)tags[i][2]))))
        i++;
    /* variants: 5-8 alnum or digit + 3 alnum */
    while (i < nt && ((lens[i] >= 5) || (lens[i] == 4 && isdigit((unsigned char)tags[i][0]))))
        i++;
    /* extensions and private use */
    while (i < nt) {
        if (lens[i] != 1)
            return 0;
        int priv = tolower((unsigned char)tags[i][0]) == 'x';
        i++;
        size_t start = i;
        while (i < nt && (priv || lens[i] >= 2)) {
            if (!priv && lens[i] == 1)
                break;
            i++;
        }
        if (i == start)
            return 0;
    }
    return 1;
}

/* ---- escaping ------------------------------------------------------------ */

static void warnf(tmk_tmx_writer *w, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void warnf(tmk_tmx_writer *w, const char *fmt, ...)
{
    if (!w->warn)
        return;
    char msg[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    tmk_tmx_warning wn = {w->tu_index, msg};
    int rc = w->warn(w->ud, &wn);
    if (rc && !w->warn_stop)
        w->warn_stop = rc < 0 ? rc : TMK_ECANCELED;
}

/* Bytes that are copied as they are everywhere (text, attributes, markup):
 * printable ASCII except & < > " (the quote matters in attributes). */
#define P16 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1
static const unsigned char plain_table[256] = {
    /* 0x00-0x1F */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    /* 0x20-0x2F: " and & */ 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    /* 0x30-0x3F: < and > */ 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0, 1,
    /* 0x40-0x7E, not 0x7F */ P16, P16, P16, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0};
#undef P16
#define plain_ascii(c) (plain_table[(c)])

/* Append s escaped for XML.  in_attr: also escape '"' and keep TAB/LF/CR
 * through character references (attribute values are normalised);
 * markup: s is XML content already, only checked for forbidden characters.
 * CR in text is written as &#13; so that readers do not turn it into LF.
 * Forbidden characters and invalid UTF-8 are dropped; *dropped counts them
 * and *first gets the first one (-1 for a bad byte). */
static int add_escaped(tmk_buf *b, const char *s, size_t len, int in_attr, int markup,
                       size_t *dropped, long *first)
{
    size_t i = 0, start = 0;
    while (i < len) {
        /* fast path: printable ASCII that needs no escaping in any mode */
        while (i < len && plain_ascii((unsigned char)s[i]))
            i++;
        if (i >= len)
            break;
        unsigned char c = (unsigned char)s[i];
        const char *rep = NULL;
        size_t adv = 1;
        int drop = 0;
        if (c < 0x80) {
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                drop = 1;
            } else if (!markup) {
                switch (c) {
                case '&': rep = "&amp;"; break;
                case '<': rep = "&lt;"; break;
                case '>': rep = "&gt;"; break;
                case '"': rep = in_attr ? "&quot;" : NULL; break;
                case '\t': rep = in_attr ? "&#9;" : NULL; break;
                case '\n': rep = in_attr ? "&#10;" : NULL; break;
                case '\r': rep = "&#13;"; break;
                default: break;
                }
            }
        } else {
            int32_t cp = tmk_utf8_decode(s + i, len - i, &adv);
            if (cp < 0 || cp == 0xFFFE || cp == 0xFFFF)
                drop = 1;
            if (drop && !*dropped)
                *first = cp;
        }
        if (drop && c < 0x80 && !*dropped)
            *first = c;
        if (drop || rep) {
            if (put(b, s + start, i - start) < 0)
                return TMK_ENOMEM;
            if (rep && tmk_buf_adds(b, rep) < 0)
                return TMK_ENOMEM;
            if (drop)
                (*dropped)++;
            start = i + adv;
        }
        i += adv;
    }
    return put(b, s + start, len - start);
}

static int add_attr(tmk_tmx_writer *w, const char *name, const char *value)
{
    size_t dropped = 0;
    long first = 0;
    if (PUT_LIT(&w->b, " ") < 0 || put(&w->b, name, strlen(name)) < 0 ||
        PUT_LIT(&w->b, "=\"") < 0 ||
        add_escaped(&w->b, value, strlen(value), 1, 0, &dropped, &first) < 0 ||
        PUT_LIT(&w->b, "\"") < 0)
        return TMK_ENOMEM;
    if (dropped)
        warnf(w, "dropped %zu character(s) that XML 1.0 forbids from attribute %s", dropped,
              name);
    return TMK_OK;
}

static int add_lang_attr(tmk_tmx_writer *w, const char *name, const char *value)
{
    if (w->flags & TMK_TMX_VERBATIM)
        return add_attr(w, name, value);
    char *c = tmk__lang_canonical(value);
    if (!c)
        return TMK_ENOMEM;
    int rc = add_attr(w, name, c);
    free(c);
    return rc;
}

static int indent(tmk_tmx_writer *w, int n)
{
    for (int i = 0; i < n; i++)
        TMK_TRY(tmk_buf_add(&w->b, "  ", 2));
    return TMK_OK;
}

static int is_attr_of(const char *name, const char *const *list)
{
    for (; *list; list++)
        if (!strcmp(name, *list))
            return 1;
    return 0;
}

static const char *const tu_attrs[] = {
    "tuid", "o-encoding", "datatype", "usagecount", "lastusagedate", "creationtool",
    "creationtoolversion", "creationdate", "creationid", "changedate", "segtype", "changeid",
    "o-tmf", "srclang", NULL};
static const char *const tuv_attrs[] = {
    "xml:lang", "o-encoding", "datatype", "usagecount", "lastusagedate", "creationtool",
    "creationtoolversion", "creationdate", "creationid", "changedate", "changeid", "o-tmf",
    NULL};
static const char *const header_attrs[] = {
    "creationtool", "creationtoolversion", "segtype", "o-tmf", "adminlang", "srclang",
    "datatype", "o-encoding", "creationdate", "creationid", "changedate", "changeid", NULL};

static int add_attrs(tmk_tmx_writer *w, const tmk_tmx_attr *a, size_t n,
                     const char *const *known, const char *const *skip)
{
    for (size_t i = 0; i < n; i++) {
        if (!a[i].name || !a[i].value)
            continue;
        if (skip && is_attr_of(a[i].name, skip))
            continue;
        if (!(w->flags & TMK_TMX_VERBATIM) && !is_attr_of(a[i].name, known)) {
            warnf(w, "dropped attribute %s, which TMX 1.4b does not define here", a[i].name);
            continue;
        }
        int lang = !strcmp(a[i].name, "srclang") || !strcmp(a[i].name, "xml:lang") ||
                   !strcmp(a[i].name, "adminlang");
        TMK_TRY(lang ? add_lang_attr(w, a[i].name, a[i].value)
                     : add_attr(w, a[i].name, a[i].value));
    }
    return TMK_OK;
}

static int add_text_elem(tmk_tmx_writer *w, const char *text, size_t len)
{
    size_t dropped = 0;
    long first = 0;
    TMK_TRY(add_escaped(&w->b, text, len, 0, 0, &dropped, &first));
    if (dropped)
        warnf(w, "dropped %zu character(s) that XML 1.0 forbids from a note or prop", dropped);
    return TMK_OK;
}

/* Whether order lists exactly nnotes 'n' and nprops 'p' */
static int order_fits(const char *order, size_t nnotes, size_t nprops)
{
    if (!order)
        return 0;
    size_t n = 0, p = 0;
    for (size_t i = 0; i < nnotes + nprops; i++) {
        if (order[i] == 'n')
            n++;
        else if (order[i] == 'p')
            p++;
        else
            return 0;
    }
    return n == nnotes && p == nprops;
}

static int add_note(tmk_tmx_writer *w, int depth, const tmk_tmx_note *note);
static int add_prop(tmk_tmx_writer *w, int depth, const tmk_tmx_prop *prop);

/* Notes and props in the order given (document order when read), else the
 * notes first. */
static int add_notes_props(tmk_tmx_writer *w, int depth, const tmk_tmx_note *notes,
                           size_t nnotes, const tmk_tmx_prop *props, size_t nprops,
                           const char *order)
{
    if (order_fits(order, nnotes, nprops)) {
        size_t n = 0, p = 0;
        for (size_t i = 0; i < nnotes + nprops; i++)
            TMK_TRY(order[i] == 'n' ? add_note(w, depth, &notes[n++])
                                    : add_prop(w, depth, &props[p++]));
        return TMK_OK;
    }
    for (size_t i = 0; i < nnotes; i++)
        TMK_TRY(add_note(w, depth, &notes[i]));
    for (size_t i = 0; i < nprops; i++)
        TMK_TRY(add_prop(w, depth, &props[i]));
    return TMK_OK;
}

static int add_note(tmk_tmx_writer *w, int depth, const tmk_tmx_note *note)
{
    TMK_TRY(indent(w, depth));
    TMK_TRY(PUT_LIT(&w->b, "<note"));
    if (note->o_encoding)
        TMK_TRY(add_attr(w, "o-encoding", note->o_encoding));
    if (note->lang)
        TMK_TRY(add_lang_attr(w, "xml:lang", note->lang));
    TMK_TRY(PUT_LIT(&w->b, ">"));
    const char *t = note->text ? note->text : "";
    TMK_TRY(add_text_elem(w, t, strlen(t)));
    return PUT_LIT(&w->b, "</note>\n");
}

static int add_prop(tmk_tmx_writer *w, int depth, const tmk_tmx_prop *prop)
{
    const char *type = prop->type ? prop->type : "x-unknown";
    TMK_TRY(indent(w, depth));
    TMK_TRY(PUT_LIT(&w->b, "<prop"));
    if (!(w->flags & TMK_TMX_VERBATIM) && strncmp(type, "x-", 2)) {
        warnf(w, "prop type \"%s\" written as \"x-%s\" (TMX wants x- for tool data)", type,
              type);
        tmk_buf_reset(&w->tmp);
        TMK_TRY(tmk_buf_printf(&w->tmp, "x-%s", type));
        TMK_TRY(add_attr(w, "type", w->tmp.data));
    } else {
        TMK_TRY(add_attr(w, "type", type));
    }
    if (prop->lang)
        TMK_TRY(add_lang_attr(w, "xml:lang", prop->lang));
    if (prop->o_encoding)
        TMK_TRY(add_attr(w, "o-encoding", prop->o_encoding));
    TMK_TRY(PUT_LIT(&w->b, ">"));
    const char *v = prop->value ? prop->value : "";
    TMK_TRY(add_text_elem(w, v, strlen(v)));
    return PUT_LIT(&w->b, "</prop>\n");
}

/* The error of a failed write, with the system's reason ("No space left on
 * device"). */
static int write_failed(const tmk_tmx_writer *w, tmk_error *err)
{
    if (w->failed != TMK_EIO)
        return tmk_error_set(err, w->failed, 0, 0, "writing the TMX output stopped: %s",
                             w->sink && !w->warn_stop ? "the sink asked to stop"
                                                      : "the warning callback asked to stop");
    return tmk_error_set(err, TMK_EIO, 0, 0, "cannot write the TMX output: %s",
                         w->fail_errno ? strerror(w->fail_errno) : "write error");
}

static int flush_buf(tmk_tmx_writer *w, tmk_error *err)
{
    if (w->warn_stop) {
        w->failed = w->warn_stop;
        return write_failed(w, err);
    }
    if (w->sink) {
        int rc = w->b.len ? w->sink(w->ud, w->b.data, w->b.len) : 0;
        if (rc) {
            w->failed = rc < 0 ? rc : TMK_ECANCELED;
            return write_failed(w, err);
        }
        tmk_buf_reset(&w->b);
        return TMK_OK;
    }
    errno = 0;
    if (w->b.len && fwrite(w->b.data, 1, w->b.len, w->out) != w->b.len) {
        w->failed = TMK_EIO;
        w->fail_errno = errno;
        return write_failed(w, err);
    }
    tmk_buf_reset(&w->b);
    return TMK_OK;
}

/* ---- the writer -------------------------------------------------------------- */

int tmk_tmx_writer_new(tmk_tmx_writer **out, const tmk_tmx_write_options *opt,
                       const tmk_tmx_header *h, tmk_tmx_sink sink, tmk_tmx_warn_cb on_warning,
                       void *ud, tmk_error *err)
{
    if (!out)
        return tmk_error_set(err, TMK_EINVAL, 0, 0, "no place for the writer");
    *out = NULL;
    tmk_tmx_write_options o = TMK_TMX_WRITE_OPTIONS_INIT;
    tmk__options_copy(&o, sizeof o, opt);
    if ((!sink && !o.file) || !h || !h->srclang)
        return tmk_error_set(err, TMK_EINVAL, 0, 0,
                             "TMX writer needs an output and a source language");
    tmk_tmx_writer *w = calloc(1, sizeof *w);
    if (!w)
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    w->out = o.file;
    w->sink = sink;
    w->ud = ud;
    w->flags = o.flags;
    tmk_buf_init(&w->b);
    tmk_buf_init(&w->tmp);
    long long t = h->creationdate;
    if (t < 0 && t != TMK_TMX_DATE_NONE)
        t = o.creation_time >= 0 ? o.creation_time : (long long)time(NULL);
    char date[17];
    if (t >= 0)
        tmk_tmx_date(t, date);
    tmk_buf *b = &w->b;
    int rc = PUT_LIT(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\">\n"
                             "  <header");
    rc |= add_attr(w, "creationtool", h->creationtool ? h->creationtool : "tmkit");
    rc |= add_attr(w, "creationtoolversion",
                   h->creationtoolversion ? h->creationtoolversion : tmk_version());
    rc |= add_attr(w, "segtype", h->segtype ? h->segtype : "sentence");
    rc |= add_attr(w, "o-tmf", h->o_tmf ? h->o_tmf : "tmkit");
    rc |= add_lang_attr(w, "adminlang", h->adminlang ? h->adminlang : "en-US");
    rc |= add_lang_attr(w, "srclang", h->srclang);
    rc |= add_attr(w, "datatype", h->datatype ? h->datatype : "plaintext");
    if (t >= 0)
        rc |= add_attr(w, "creationdate", date);
    static const char *const fixed[] = {"creationtool", "creationtoolversion", "segtype",
                                        "o-tmf",        "adminlang",           "srclang",
                                        "datatype",     "creationdate",        NULL};
    rc |= add_attrs(w, h->attrs, h->nattrs, header_attrs, fixed);
    if (h->nnotes || h->nprops || h->ude_len) {
        rc |= PUT_LIT(b, ">\n");
        rc |= add_notes_props(w, 2, h->notes, h->nnotes, h->props, h->nprops, h->order);
        if (h->ude_xml && h->ude_len) {
            rc |= indent(w, 2);
            rc |= put(b, h->ude_xml, h->ude_len);
            rc |= PUT_LIT(b, "\n");
        }
        rc |= PUT_LIT(b, "  </header>\n  <body>\n");
    } else {
        rc |= PUT_LIT(b, "/>\n  <body>\n");
    }
    if (rc < 0) {
        tmk_tmx_writer_free(w);
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    }
    if ((rc = flush_buf(w, err)) < 0) {
        tmk_tmx_writer_free(w);
        return rc;
    }
    /* warnings are about units: set only now that the header is written */
    w->warn = on_warning;
    *out = w;
    return TMK_OK;
}

static int is_trim_space(const char *s, size_t len, size_t *adv)
{
    int32_t cp = tmk_utf8_decode(s, len, adv);
    return cp >= 0 && tmk_utf8_is_space(cp);
}

/* Trim white space from both ends (plain text only). */
static void trim(const char **s, size_t *len)
{
    const char *p = *s;
    size_t n = *len, adv;
    while (n && is_trim_space(p, n, &adv)) {
        p += adv;
        n -= adv;
    }
    while (n) {
        /* step back to the start of the last character */
        size_t k = n - 1;
        while (k > 0 && ((unsigned char)p[k] & 0xC0) == 0x80 && n - k < 4)
            k--;
        if (!is_trim_space(p + k, n - k, &adv) || k + adv != n)
            break;
        n = k;
    }
    *s = p;
    *len = n;
}

/* ---- a markup seg is checked before it is written ---------------------- */

/* Whether s[0..n) (a seg with markup = 1) is TMX <seg> content: text with
 * & only in an entity and < only in a tag; tags only TMX's inline elements
 * (bpt ept it ph hi sub ut), well-formed and nested; with pairs, every
 * ept closing a bpt with its i and every bpt closed (real memories break
 * that rule, and VERBATIM keeps them as they are).  0 when it is; else -1
 * with why[] saying what is wrong. */
static int markup_check(const char *s, size_t n, int pairs, char *why, size_t wn)
{
    static const char *const names[] = {"bpt", "ept", "it", "ph", "hi", "sub", "ut", NULL};
    char stack[32][4];
    size_t depth = 0;
    char open_i[64][12]; /* i of the bpts not yet closed */
    size_t nopen = 0;
    size_t i = 0;
    while (i < n) {
        char c = s[i];
        if (c == '&') {
            size_t j = i + 1;
            if (j < n && s[j] == '#') {
                j++;
                int hex = j < n && s[j] == 'x';
                j += (size_t)hex;
                size_t d0 = j;
                while (j < n && (hex ? isxdigit((unsigned char)s[j]) : isdigit((unsigned char)s[j])))
                    j++;
                if (j == d0 || j >= n || s[j] != ';')
                    goto bad_amp;
            } else {
                static const char *const ents[] = {"amp;", "lt;", "gt;", "quot;", "apos;", NULL};
                size_t k = 0;
                for (; ents[k]; k++)
                    if (n - j >= strlen(ents[k]) && !memcmp(s + j, ents[k], strlen(ents[k])))
                        break;
                if (!ents[k])
                    goto bad_amp;
                j += strlen(ents[k]) - 1;
            }
            i = j + 1;
            continue;
        bad_amp:
            snprintf(why, wn, "a bare '&' at byte %zu (write &amp;)", i);
            return -1;
        }
        if (c != '<') {
            i++;
            continue;
        }
        size_t j = i + 1;
        int end = j < n && s[j] == '/';
        j += (size_t)end;
        size_t n0 = j;
        while (j < n && isalpha((unsigned char)s[j]))
            j++;
        size_t nl = j - n0;
        int k = 0;
        for (; names[k]; k++)
            if (strlen(names[k]) == nl && !memcmp(s + n0, names[k], nl))
                break;
        if (!nl) {
            snprintf(why, wn, "a bare '<' at byte %zu (write &lt;)", i);
            return -1;
        }
        if (!names[k]) {
            snprintf(why, wn, "<%.*s> at byte %zu is no TMX inline element (bpt, ept, it, ph, "
                              "hi, sub, ut)", (int)(nl > 20 ? 20 : nl), s + n0, i);
            return -1;
        }
        /* attributes: name="value" or name='value', no '<' in a value */
        char ival[12] = "";
        int empty = 0;
        for (;;) {
            while (j < n && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n' || s[j] == '\r'))
                j++;
            if (j >= n)
                goto bad_tag;
            if (s[j] == '>')
                break;
            if (s[j] == '/' && !end && j + 1 < n && s[j + 1] == '>') {
                empty = 1;
                j++;
                break;
            }
            if (end)
                goto bad_tag;
            size_t a0 = j;
            while (j < n && (isalnum((unsigned char)s[j]) || s[j] == '-' || s[j] == '_' ||
                             s[j] == ':' || s[j] == '.'))
                j++;
            size_t al = j - a0;
            if (!al || j >= n || s[j] != '=' || j + 1 >= n || (s[j + 1] != '"' && s[j + 1] != '\''))
                goto bad_tag;
            char q = s[j + 1];
            size_t v0 = j + 2, v = v0;
            while (v < n && s[v] != q && s[v] != '<')
                v++;
            if (v >= n || s[v] != q)
                goto bad_tag;
            if (al == 1 && s[a0] == 'i') {
                size_t vl = v - v0 < sizeof ival - 1 ? v - v0 : sizeof ival - 1;
                memcpy(ival, s + v0, vl);
                ival[vl] = '\0';
            }
            j = v + 1;
        }
        if (end) {
            if (!depth || strcmp(stack[depth - 1], names[k])) {
                snprintf(why, wn, "</%s> at byte %zu closes no open <%s>", names[k], i, names[k]);
                return -1;
            }
            depth--;
        } else {
            if (!pairs) {
                /* well-formedness only */
            } else if (!strcmp(names[k], "bpt")) {
                if (nopen == sizeof open_i / sizeof open_i[0])
                    goto bad_tag;
                memcpy(open_i[nopen++], ival, sizeof ival);
            } else if (!strcmp(names[k], "ept")) {
                size_t m = 0;
                while (m < nopen && strcmp(open_i[m], ival))
                    m++;
                if (m == nopen) {
                    snprintf(why, wn, "<ept i=\"%s\"> at byte %zu has no <bpt> with that i",
                             ival, i);
                    return -1;
                }
                memmove(open_i[m], open_i[m + 1], (nopen - m - 1) * sizeof open_i[0]);
                nopen--;
            }
            if (!empty) {
                if (depth == sizeof stack / sizeof stack[0])
                    goto bad_tag;
                memcpy(stack[depth++], names[k], strlen(names[k]) + 1);
            }
        }
        i = j + 1;
        continue;
    bad_tag:
        snprintf(why, wn, "the tag at byte %zu is not well-formed", i);
        return -1;
    }
    if (depth) {
        snprintf(why, wn, "<%s> is not closed", stack[depth - 1]);
        return -1;
    }
    if (nopen) {
        snprintf(why, wn, "<bpt i=\"%s\"> has no <ept> (use <it> for a tag whose pair is in "
                          "another segment)", open_i[0]);
        return -1;
    }
    return 0;
}

int tmk_tmx_writer_add(tmk_tmx_writer *w, const tmk_tmx_tu *tu, tmk_error *err)
{
    if (!w || !tu)
        return tmk_error_set(err, TMK_EINVAL, 0, 0, "no writer or no unit");
    if (w->finished)
        return tmk__after_finish(err, "TMX writer");
    if (w->failed)
        return write_failed(w, err);
    int verbatim = (w->flags & TMK_TMX_VERBATIM) != 0;
    for (size_t i = 0; i < tu->ntuvs; i++) {
        char why[160];
        if (tu->tuvs[i].markup && tu->tuvs[i].seg &&
            markup_check(tu->tuvs[i].seg, tu->tuvs[i].seg_len, !verbatim, why,
                         sizeof why) < 0)
            return tmk_error_set_detail(err, TMK_EINVAL, TMK_D_BAD_MARKUP, 0, 0,
                                        "unit %zu, %s segment: the text given as TMX markup "
                                        "is not (%s); the unit is not written: give it as "
                                        "plain text (markup = 0) or correct the markup",
                                        w->tu_index + 1, tu->tuvs[i].lang ? tu->tuvs[i].lang : "",
                                        why);
    }
    size_t nonempty = 0;
    for (size_t i = 0; i < tu->ntuvs; i++) {
        const char *s = tu->tuvs[i].seg ? tu->tuvs[i].seg : "";
        size_t n = tu->tuvs[i].seg ? tu->tuvs[i].seg_len : 0;
        if (!tu->tuvs[i].markup)
            trim(&s, &n);
        if (n)
            nonempty++;
    }
    if (tu->ntuvs == 0 || (!verbatim && nonempty < 2)) {
        warnf(w, "unit not written: it needs %s", tu->ntuvs == 0 ? "at least one tuv"
                                                              : "two non-empty segments");
        w->tu_index++;
        if (w->warn_stop) {
            w->failed = w->warn_stop;
            return write_failed(w, err);
        }
        return TMK_OK;
    }
    tmk_buf *b = &w->b;
    tmk_buf_reset(b);
    int rc = PUT_LIT(b, "    <tu");
    if (tu->tuid)
        rc |= add_attr(w, "tuid", tu->tuid);
    static const char *const skip_tu[] = {"tuid", NULL};
    rc |= add_attrs(w, tu->attrs, tu->nattrs, tu_attrs, skip_tu);
    rc |= PUT_LIT(b, ">\n");
    rc |= add_notes_props(w, 3, tu->notes, tu->nnotes, tu->props, tu->nprops, tu->order);
    for (size_t i = 0; i < tu->ntuvs && rc >= 0; i++) {
        const tmk_tmx_tuv *v = &tu->tuvs[i];
        rc |= PUT_LIT(b, "      <tuv");
        rc |= add_lang_attr(w, "xml:lang", v->lang ? v->lang : "und");
        static const char *const skip_tuv[] = {"xml:lang", "lang", NULL};
        rc |= add_attrs(w, v->attrs, v->nattrs, tuv_attrs, skip_tuv);
        rc |= PUT_LIT(b, ">\n");
        rc |= add_notes_props(w, 4, v->notes, v->nnotes, v->props, v->nprops, v->order);
        rc |= PUT_LIT(b, "        <seg>");
        const char *s = v->seg ? v->seg : "";
        size_t n = v->seg ? v->seg_len : 0;
        if (!verbatim && !v->markup)
            trim(&s, &n);
        size_t dropped = 0;
        long first = 0;
        rc |= add_escaped(b, s, n, 0, v->markup, &dropped, &first);
        if (dropped) {
            if (first >= 0)
                warnf(w, "dropped %zu character(s) that XML 1.0 forbids from the %s segment "
                         "(the first is U+%04lX)",
                      dropped, v->lang ? v->lang : "", (unsigned long)first);
            else
                warnf(w, "dropped %zu invalid UTF-8 byte(s) from the %s segment", dropped,
                      v->lang ? v->lang : "");
        }
        rc |= PUT_LIT(b, "</seg>\n      </tuv>\n");
    }
    rc |= PUT_LIT(b, "    </tu>\n");
    w->tu_index++;
    if (rc < 0)
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    return flush_buf(w, err);
}

int tmk_tmx_writer_finish(tmk_tmx_writer *w, tmk_error *err)
{
    if (!w)
        return tmk_error_set(err, TMK_EINVAL, 0, 0, "no writer");
    if (w->finished)
        return tmk__after_finish(err, "TMX writer");
    w->finished = 1;
    if (w->failed)
        return write_failed(w, err);
    tmk_buf_reset(&w->b);
    if (PUT_LIT(&w->b, "  </body>\n</tmx>\n") < 0)
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    TMK_TRY(flush_buf(w, err));
    if (w->sink)
        return TMK_OK;
    errno = 0;
    if (fflush(w->out) != 0 || ferror(w->out)) {
        w->failed = TMK_EIO;
        w->fail_errno = errno;
        return write_failed(w, err);
    }
    return TMK_OK;
}

void tmk_tmx_writer_free(tmk_tmx_writer *w)
{
    if (!w)
        return;
    tmk_buf_release(&w->b);
    tmk_buf_release(&w->tmp);
    free(w);
}
