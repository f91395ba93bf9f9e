/* doc_html.c -- HTML and XHTML pages through gumbo, an HTML5 parser (real
 * pages are not well-formed XML; gumbo builds the tree a browser builds).
 *
 * The bytes are first made UTF-8 by the decoder (a BOM, the encoding
 * given, UTF-8 when the bytes are UTF-8, the page's <meta charset>, else
 * windows-1252 as browsers do).  The tree is walked without recursion. */
#include <config.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <gumbo.h>
#include <iconv.h>
#include "internal.h"
#include "doc_int.h"
#include "tmkit/decode.h"
#include "tmkit/utf8.h"

static int skipped_tag(GumboTag t)
{
    switch (t) {
    case GUMBO_TAG_HEAD: case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_NAV:
    case GUMBO_TAG_HEADER: case GUMBO_TAG_FOOTER: case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_NOSCRIPT: case GUMBO_TAG_TEMPLATE: case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_OBJECT: case GUMBO_TAG_EMBED: case GUMBO_TAG_SVG: case GUMBO_TAG_MATH:
    case GUMBO_TAG_SELECT: case GUMBO_TAG_TEXTAREA: case GUMBO_TAG_BUTTON:
    case GUMBO_TAG_CANVAS: case GUMBO_TAG_AUDIO: case GUMBO_TAG_VIDEO:
        return 1;
    default: return 0;
    }
}

/* -1: not a block; else the kind (heading level in *level) */
static int block_kind(GumboTag t, int *level)
{
    *level = 0;
    switch (t) {
    case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3: case GUMBO_TAG_H4:
    case GUMBO_TAG_H5: case GUMBO_TAG_H6:
        *level = (int)(t - GUMBO_TAG_H1) + 1;
        return TMK_DOC_HEADING;
    case GUMBO_TAG_LI: case GUMBO_TAG_DT: case GUMBO_TAG_DD: return TMK_DOC_LIST_ITEM;
    case GUMBO_TAG_TD: case GUMBO_TAG_TH: return TMK_DOC_TABLE_CELL;
    case GUMBO_TAG_P: case GUMBO_TAG_DIV: case GUMBO_TAG_ADDRESS: case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_CAPTION: case GUMBO_TAG_DETAILS:
    case GUMBO_TAG_DL: case GUMBO_TAG_FIELDSET:
    case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_FIGURE: case GUMBO_TAG_HR: case GUMBO_TAG_MAIN:
    case GUMBO_TAG_OL: case GUMBO_TAG_UL: case GUMBO_TAG_PRE: case GUMBO_TAG_SECTION:
    case GUMBO_TAG_SUMMARY: case GUMBO_TAG_TABLE: case GUMBO_TAG_TBODY: case GUMBO_TAG_THEAD:
    case GUMBO_TAG_TFOOT: case GUMBO_TAG_TR: case GUMBO_TAG_BODY: case GUMBO_TAG_HTML:
    case GUMBO_TAG_CENTER: case GUMBO_TAG_LEGEND: case GUMBO_TAG_HGROUP: case GUMBO_TAG_FORM:
    case GUMBO_TAG_MENU: case GUMBO_TAG_DIR: case GUMBO_TAG_LISTING:
        return TMK_DOC_PARAGRAPH;
    default: return -1;
    }
}

static const char *node_attr(const GumboNode *n, const char *name)
{
    GumboAttribute *a = gumbo_get_attribute(&n->v.element.attributes, name);
    return a ? a->value : NULL;
}

static const char *elem_lang(const GumboNode *n)
{
    const char *l = node_attr(n, "lang");
    if (!l)
        l = node_attr(n, "xml:lang");
    return l && *l ? l : NULL;
}

struct frame {
    const GumboNode *node;
    unsigned i;
    int kind, level; /* of the innermost block */
    const char *lang;
    int pre;
    int block;
    unsigned fmt;     /* formatting in effect (spans) */
    const char *href; /* the link's target (in the tree) */
};

/* the formatting an inline element gives (bits 1 << tmk_doc_span_kind) */
static unsigned tag_fmt(GumboTag t)
{
    switch (t) {
    case GUMBO_TAG_B: case GUMBO_TAG_STRONG: return 1u << TMK_DOC_BOLD;
    case GUMBO_TAG_I: case GUMBO_TAG_EM: return 1u << TMK_DOC_ITALIC;
    case GUMBO_TAG_U: case GUMBO_TAG_INS: return 1u << TMK_DOC_UNDERLINE;
    case GUMBO_TAG_A: return 1u << TMK_DOC_LINK;
    case GUMBO_TAG_SUP: return 1u << TMK_DOC_SUPERSCRIPT;
    case GUMBO_TAG_SUB: return 1u << TMK_DOC_SUBSCRIPT;
    default: return 0;
    }
}

struct hw {
    struct doc_ctx *c;
    doc_text t;
    int kind, level;
    const char *lang;
    unsigned long line, col;
};

static int flush(struct hw *h)
{
    return doc_emit(h->c, &h->t, (enum tmk_doc_kind)h->kind, h->level, h->lang, NULL, h->line,
                    h->col, 0);
}

static int text(struct hw *h, const struct frame *f, const GumboNode *n)
{
    h->t.fmt = f->fmt;
    h->t.href = f->href;
    const char *s = n->v.text.text;
    size_t len = strlen(s);
    if (!h->t.b.len) {
        size_t k = 0;
        while (k < len && (s[k] == ' ' || s[k] == '\t' || s[k] == '\n' || s[k] == '\r'))
            k++;
        if (k == len && !f->pre)
            return TMK_OK;
        h->kind = f->kind;
        h->level = f->level;
        h->lang = f->lang;
        h->line = n->v.text.start_pos.line;
        h->col = n->v.text.start_pos.column + 1;
    }
    if (!f->pre)
        return doc_text_add(&h->t, s, len);
    /* preformatted: each line a line */
    const char *p = s, *e = s + len;
    while (p < e) {
        const char *nl = memchr(p, '\n', (size_t)(e - p));
        size_t n1 = nl ? (size_t)(nl - p) : (size_t)(e - p);
        int rc = doc_text_add(&h->t, p, n1);
        if (rc == TMK_OK && nl)
            rc = doc_text_break(&h->t);
        if (rc)
            return rc;
        p += n1 + (nl ? 1 : 0);
    }
    return TMK_OK;
}

static int walk(struct hw *h, const GumboNode *root)
{
    size_t cap = 64, sp = 0;
    struct frame *st = malloc(cap * sizeof *st);
    if (!st)
        return TMK_ENOMEM;
    st[sp++] = (struct frame){root, 0, TMK_DOC_PARAGRAPH, 0, NULL, 0, 0, 0, NULL};
    int rc = TMK_OK;
    while (sp && rc == TMK_OK) {
        struct frame *f = &st[sp - 1];
        const GumboVector *kids = f->node->type == GUMBO_NODE_DOCUMENT
                                      ? &f->node->v.document.children
                                      : &f->node->v.element.children;
        if (f->i >= kids->length) {
            if (f->block)
                rc = flush(h);
            sp--;
            continue;
        }
        const GumboNode *n = kids->data[f->i++];
        if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE ||
            n->type == GUMBO_NODE_CDATA) {
            rc = text(h, f, n);
            continue;
        }
        if (n->type != GUMBO_NODE_ELEMENT && n->type != GUMBO_NODE_TEMPLATE)
            continue;
        GumboTag tag = n->v.element.tag;
        if (skipped_tag(tag) || n->type == GUMBO_NODE_TEMPLATE || node_attr(n, "hidden"))
            continue;
        if (tag == GUMBO_TAG_BR) {
            rc = doc_text_break(&h->t);
            continue;
        }
        int level, kind = block_kind(tag, &level);
        if (kind >= 0)
            rc = flush(h);
        else if (tag == GUMBO_TAG_UNKNOWN && n->v.element.original_tag.length > 1 &&
                 n->v.element.original_tag.data[1] == '?')
            continue;
        if (sp == cap) {
            struct frame *ns = realloc(st, 2 * cap * sizeof *st);
            if (!ns) {
                rc = TMK_ENOMEM;
                break;
            }
            st = ns;
            cap *= 2;
            f = &st[sp - 1];
        }
        const char *lang = elem_lang(n);
        struct frame nf = {n,
                           0,
                           kind >= 0 && tag != GUMBO_TAG_HTML && tag != GUMBO_TAG_BODY ? kind
                                                                                       : f->kind,
                           kind >= 0 ? level : f->level,
                           lang ? lang : f->lang,
                           f->pre || tag == GUMBO_TAG_PRE || tag == GUMBO_TAG_LISTING,
                           kind >= 0,
                           f->fmt,
                           f->href};
        if (h->t.track) {
            unsigned bits = tag_fmt(tag);
            if (tag == GUMBO_TAG_A && !node_attr(n, "href"))
                bits = 0; /* an anchor, not a link */
            nf.fmt |= bits;
            if (bits & (1u << TMK_DOC_LINK))
                nf.href = node_attr(n, "href");
        }
        /* a paragraph in a list item or a cell is that item or cell */
        if (kind == TMK_DOC_PARAGRAPH && (f->kind == TMK_DOC_LIST_ITEM ||
                                          f->kind == TMK_DOC_TABLE_CELL))
            nf.kind = f->kind;
        st[sp++] = nf;
    }
    if (rc == TMK_OK)
        rc = flush(h);
    free(st);
    return rc;
}

/* the charset a <meta> names in the first 1024 bytes, or NULL */
static char *meta_charset(const char *s, size_t len)
{
    if (len > 1024)
        len = 1024;
    for (size_t i = 0; i + 8 <= len; i++) {
        if (strncasecmp(s + i, "charset=", 8))
            continue;
        size_t k = i + 8;
        while (k < len && (s[k] == '"' || s[k] == '\''))
            k++;
        size_t b = k;
        while (k < len && k - b < 40 &&
               ((s[k] >= 'a' && s[k] <= 'z') || (s[k] >= 'A' && s[k] <= 'Z') ||
                (s[k] >= '0' && s[k] <= '9') || s[k] == '-' || s[k] == '_' || s[k] == ':' ||
                s[k] == '.'))
            k++;
        if (k > b) {
            char *r = malloc(k - b + 1);
            if (r) {
                memcpy(r, s + b, k - b);
                r[k - b] = '\0';
            }
            return r;
        }
    }
    return NULL;
}

/* The encoding a browser decodes a <meta> charset label with (WHATWG
 * Encoding Standard, "Encodings" table): ISO-8859-1, Latin-1 and US-ASCII
 * pages are decoded as windows-1252 (0x80-0x9F are Word's quotes, dashes
 * and ellipsis there, never C1 controls), ISO-8859-9 as windows-1254,
 * TIS-620 as windows-874, GB2312 as GB18030, EUC-KR as windows-949,
 * Shift_JIS as windows-31j, Big5 as Big5-HKSCS.  Other labels unchanged. */
static const char *whatwg_encoding(const char *label)
{
    static const struct {
        const char *enc;
        const char *labels[18];
    } t[] = {
        {"WINDOWS-1252",
         {"ansi_x3.4-1968", "ascii", "cp1252", "cp819", "csisolatin1", "ibm819", "iso-8859-1",
          "iso-ir-100", "iso8859-1", "iso88591", "iso_8859-1", "iso_8859-1:1987", "l1", "latin1",
          "us-ascii", "x-cp1252", NULL}},
        {"WINDOWS-1254",
         {"cp1254", "csisolatin5", "iso-8859-9", "iso-ir-148", "iso8859-9", "iso88599",
          "iso_8859-9", "iso_8859-9:1989", "l5", "latin5", "x-cp1254", NULL}},
        {"WINDOWS-874",
         {"dos-874", "iso-8859-11", "iso8859-11", "iso885911", "tis-620", NULL}},
        {"GB18030",
         {"chinese", "csgb2312", "csiso58gb231280", "gb2312", "gb_2312", "gb_2312-80", "gbk",
          "iso-ir-58", "x-gbk", NULL}},
        {"BIG5-HKSCS", {"big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5", NULL}},
        {"CP949",
         {"cseuckr", "csksc56011987", "euc-kr", "iso-ir-149", "korean", "ks_c_5601-1987",
          "ks_c_5601-1989", "ksc5601", "ksc_5601", "windows-949", NULL}},
        {"CP932",
         {"csshiftjis", "ms932", "ms_kanji", "shift-jis", "shift_jis", "sjis", "windows-31j",
          "x-sjis", NULL}},
        {"ISO-8859-8", {"iso-8859-8-i", "csiso88598i", "logical", NULL}},
        {"MACINTOSH", {"csmacintosh", "mac", "macintosh", "x-mac-roman", NULL}},
        {"UTF-8", {"unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "x-unicode20utf8",
                   NULL}},
    };
    for (size_t i = 0; i < sizeof t / sizeof *t; i++)
        for (size_t k = 0; t[i].labels[k]; k++)
            if (!strcasecmp(label, t[i].labels[k]))
                return t[i].enc;
    return label;
}

/* HTML parsers take time that grows with the square of the nesting depth
 * (gumbo: 20,000 nested <div> 0.6 s, 200,000 minutes): a page nested
 * deeper than any real one is refused.  Counted roughly on the bytes:
 * start tags less end tags, leaving out void elements and those whose end
 * tag may be left out (p, li, td, ...), comments and declarations. */
#define TMK_HTML_MAX_DEPTH 4096
static int nesting_ok(struct doc_ctx *c, const void *data, size_t len)
{
    static const char *const open_ok[] = {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr", "param", "keygen", "p", "li", "dt", "dd", "tr", "td", "th", "option",
        "optgroup", "thead", "tbody", "tfoot", "colgroup", "rb", "rt", "rp", "html", "head",
        "body", NULL};
    const char *s = data, *end = s + len;
    long depth = 0;
    for (const char *p = s; p < end; p++) {
        if (*p != '<' || p + 1 >= end)
            continue;
        int close = p[1] == '/';
        const char *n = p + 1 + close;
        size_t k = 0;
        while (n + k < end && k < 16 &&
               ((n[k] >= 'a' && n[k] <= 'z') || (n[k] >= 'A' && n[k] <= 'Z') ||
                (k && n[k] >= '0' && n[k] <= '9')))
            k++;
        if (!k)
            continue;
        int skip = 0;
        for (size_t i = 0; open_ok[i]; i++)
            if (strlen(open_ok[i]) == k && !strncasecmp(n, open_ok[i], k))
                skip = 1;
        if (skip)
            continue;
        if (close) {
            if (depth > 0)
                depth--;
        } else if (++depth > TMK_HTML_MAX_DEPTH) {
            return tmk_error_set(c->err, TMK_ELIMIT, 0, 0,
                                 "the page nests elements more than %d deep, deeper than any "
                                 "real page; tmkit does not read it",
                                 TMK_HTML_MAX_DEPTH);
        }
    }
    return TMK_OK;
}

/* gumbo drops an element's repeated attributes by comparing each with
 * those before it: time grows with the square of the attributes of one
 * element (20,000 on one <p>: 2.2 s; 200,000: minutes).  An element with
 * more than any real page has is refused.  Counted roughly on the bytes,
 * in one pass: the '=' outside quotes between a start tag's name and its
 * '>'. */
#define TMK_HTML_MAX_ATTRS 1024

/* After the start tag at tag (its '>' before from): for the elements
 * whose content the parser reads as text, which may hold '<' and '=' (a
 * script's a < b; x = 1), the offset of their end tag (the end of the page
 * without one, as for the parser), else from. */
static size_t raw_text_end(const char *s, size_t len, size_t tag, size_t from)
{
    static const char *const raw[] = {"script", "style",   "textarea", "title",    "xmp",
                                      "iframe", "noembed", "noframes", "noscript", "plaintext"};
    for (size_t k = 0; k < sizeof raw / sizeof *raw; k++) {
        size_t n = strlen(raw[k]);
        if (tag + 1 + n >= len || strncasecmp(s + tag + 1, raw[k], n) ||
            ((s[tag + 1 + n] | 0x20) >= 'a' && (s[tag + 1 + n] | 0x20) <= 'z') ||
            (s[tag + 1 + n] >= '0' && s[tag + 1 + n] <= '9'))
            continue;
        for (size_t i = from; i + 2 + n <= len; i++)
            if (s[i] == '<' && s[i + 1] == '/' && !strncasecmp(s + i + 2, raw[k], n))
                return i;
        return len;
    }
    return from;
}

static int attributes_ok(struct doc_ctx *c, const void *data, size_t len)
{
    const char *s = data;
    size_t n = 0, tag = 0;
    int in_tag = 0, after_eq = 0;
    char quote = 0;
    for (size_t i = 0; i < len; i++) {
        char ch = s[i];
        if (quote) {
            if (ch == quote)
                quote = 0;
        } else if (!in_tag) {
            if (ch == '<' && i + 3 < len && !memcmp(s + i, "<!--", 4)) { /* a comment */
                const char *e = memmem(s + i + 4, len - i - 4, "-->", 3);
                i = e ? (size_t)(e - s) + 2 : len;
                continue;
            }
            if (ch == '<' && i + 1 < len &&
                ((s[i + 1] >= 'a' && s[i + 1] <= 'z') || (s[i + 1] >= 'A' && s[i + 1] <= 'Z'))) {
                in_tag = 1;
                n = 0;
                after_eq = 0;
                tag = i;
            }
        } else if (ch == '>') {
            in_tag = 0;
            i = raw_text_end(s, len, tag, i + 1) - 1;
        } else if (ch == '=') {
            after_eq = 1;
            if (++n > TMK_HTML_MAX_ATTRS) {
                unsigned long line = 1;
                size_t bol = 0;
                for (size_t k = 0; k < tag; k++)
                    if (s[k] == '\n') {
                        line++;
                        bol = k + 1;
                    }
                return tmk_error_set(c->err, TMK_ELIMIT, line, tmk_utf8_count(s + bol, tag - bol) + 1,
                                     "this element has more than %d attributes, more than any "
                                     "real page; tmkit does not read the page",
                                     TMK_HTML_MAX_ATTRS);
            }
            continue;
        } else if (after_eq && (ch == '"' || ch == '\'')) {
            quote = ch;
        }
        if (ch != ' ' && ch != '\t' && ch != '\n' && ch != '\r' && ch != '\f')
            after_eq = 0;
    }
    return TMK_OK;
}

int tmk__doc_read_html(struct doc_ctx *c, const void *data, size_t len, const char *encoding,
                       char **lang_out)
{
    const unsigned char *u = data;
    int bom = (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) ||
              (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF)));
    TMK_TRY(nesting_ok(c, data, len));
    TMK_TRY(attributes_ok(c, data, len));
    char *meta = NULL;
    const char *enc = encoding;
    if (!bom && !enc && tmk_utf8_valid_prefix(data, len) != len) {
        meta = meta_charset(data, len);
        const char *w = meta ? whatwg_encoding(meta) : NULL;
        enc = w && strcasecmp(w, "utf-8") && strcasecmp(w, "utf8") ? w : "windows-1252";
        /* as browsers do: a <meta> that says UTF-16 (the bytes are not) or
         * names an encoding nobody knows falls back to windows-1252 */
        if (w && enc == w) {
            iconv_t cd = strncasecmp(w, "utf-16", 6) ? iconv_open("UTF-8", w) : (iconv_t)-1;
            if (cd == (iconv_t)-1)
                enc = "windows-1252";
            else
                iconv_close(cd);
        }
    }
    tmk_decoder *d;
    int made = tmk_decoder_new(&d, enc, c->name, c->err);
    free(meta);
    if (made < 0)
        return made;
    tmk_decoder_set_sniff(d, 0, NULL);
    tmk_buf utf8 = TMK_BUF_INIT;
    int rc = tmk_decoder_feed(d, data, len, &utf8, c->err);
    if (rc == TMK_OK)
        rc = tmk_decoder_finish(d, &utf8, c->err);
    tmk_decoder_free(d);
    if (rc) {
        tmk_buf_release(&utf8);
        return rc;
    }
    GumboOptions go = kGumboDefaultOptions;
    go.max_errors = 0;
    GumboOutput *out = gumbo_parse_with_options(&go, utf8.data, utf8.len);
    if (!out) {
        tmk_buf_release(&utf8);
        return tmk_error_set(c->err, TMK_ENOMEM, 0, 0, "out of memory");
    }
    if (lang_out && out->root && out->root->type == GUMBO_NODE_ELEMENT) {
        const char *l = elem_lang(out->root);
        if (l && !(*lang_out = tmk__strdup(l)))
            rc = TMK_ENOMEM;
    }
    struct hw h;
    memset(&h, 0, sizeof h);
    h.c = c;
    tmk_buf_init(&h.t.b);
    h.t.track = c->spans;
    if (rc == TMK_OK)
        rc = walk(&h, out->document);
    if (rc == TMK_ENOMEM)
        tmk_error_set(c->err, TMK_ENOMEM, 0, 0, "out of memory");
    doc_text_release(&h.t);
    gumbo_destroy_output(&go, out);
    tmk_buf_release(&utf8);
    return rc;
}
