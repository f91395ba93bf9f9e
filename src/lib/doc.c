/* doc.c -- tmk_doc_read: the dispatcher and the paragraph collector the
 * document readers share. */
#include <config.h>
#include <string.h>
#include "internal.h"
#include "doc_int.h"
#include "tmkit/utf8.h"

int doc_text_add(doc_text *t, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v') {
            if (t->b.len && t->b.data[t->b.len - 1] != '\n')
                t->space = 1;
            continue;
        }
        if (ch == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xAD) { /* soft hyphen */
            i++;
            continue;
        }
        if (ch < 0x20) /* other control characters: not text */
            continue;
        if (t->space && tmk_buf_addch(&t->b, ' ') < 0)
            return TMK_ENOMEM;
        t->space = 0;
        if (tmk_buf_addch(&t->b, ch) < 0)
            return TMK_ENOMEM;
    }
    return TMK_OK;
}

int doc_text_break(doc_text *t)
{
    t->space = 0;
    if (!t->b.len || t->b.data[t->b.len - 1] == '\n')
        return TMK_OK;
    return tmk_buf_addch(&t->b, '\n') < 0 ? TMK_ENOMEM : TMK_OK;
}

int doc_text_space(doc_text *t)
{
    if (t->b.len && t->b.data[t->b.len - 1] != '\n')
        t->space = 1;
    return TMK_OK;
}

int doc_emit(struct doc_ctx *c, doc_text *t, enum tmk_doc_kind kind, int level,
             const char *lang, const char *part, unsigned long line, unsigned long col,
             unsigned long page)
{
    size_t n = t->b.len;
    while (n && (t->b.data[n - 1] == '\n' || t->b.data[n - 1] == ' '))
        n--;
    t->space = 0;
    if (!n) {
        tmk_buf_reset(&t->b);
        return TMK_OK;
    }
    tmk_buf_reset(&c->nfc);
    if (tmk_utf8_nfc(t->b.data, n, &c->nfc) < 0) {
        tmk_buf_reset(&t->b);
        return tmk_error_set(c->err, TMK_ENOMEM, 0, 0, "out of memory");
    }
    tmk_buf_reset(&t->b);
    tmk_doc_para p;
    memset(&p, 0, sizeof p);
    p.text = c->nfc.data;
    p.len = c->nfc.len;
    p.kind = kind;
    p.level = level;
    p.lang = lang;
    p.part = part;
    p.line = line;
    p.col = col;
    p.page = page;
    p.index = ++c->index;
    int r = c->cb(c->ud, &p);
    if (r) {
        if (r < 0 && r >= TMK_EFORMAT)
            return r;
        return tmk_error_set(c->err, TMK_ECANCELED, 0, 0, "stopped by the caller");
    }
    return TMK_OK;
}

int tmk_doc_reads(enum tmk_content kind)
{
    return kind == TMK_CONTENT_DOCX || kind == TMK_CONTENT_ODT || kind == TMK_CONTENT_HTML ||
           kind == TMK_CONTENT_PDF;
}

const char *tmk_doc_kind_name(enum tmk_doc_kind kind)
{
    switch (kind) {
    case TMK_DOC_PARAGRAPH: return "paragraph";
    case TMK_DOC_HEADING: return "heading";
    case TMK_DOC_LIST_ITEM: return "list item";
    case TMK_DOC_TABLE_CELL: return "table cell";
    case TMK_DOC_FOOTNOTE: return "footnote";
    case TMK_DOC_TEXT_BOX: return "text box";
    }
    return "paragraph";
}

int tmk_doc_read(const void *data, size_t len, const tmk_doc_options *opt,
                 int (*cb)(void *ud, const tmk_doc_para *para), void *ud, char **lang_out,
                 tmk_error *err)
{
    static const tmk_doc_options defaults = TMK_DOC_OPTIONS_INIT;
    tmk_doc_options o = defaults;
    if (opt) {
        size_t n = opt->size < sizeof o ? opt->size : sizeof o;
        memcpy(&o, opt, n);
        o.size = sizeof o;
    }
    if (lang_out)
        *lang_out = NULL;
    if (!cb || (!data && len))
        return tmk_error_set(err, TMK_EINVAL, 0, 0, "no document or no callback given");
    struct doc_ctx c;
    memset(&c, 0, sizeof c);
    c.name = o.name ? o.name : "document";
    c.max_member = o.max_member ? o.max_member : TMK_DOC_MAX_MEMBER;
    c.cb = cb;
    c.ud = ud;
    c.err = err;
    tmk_buf_init(&c.nfc);
    const char *what = NULL;
    enum tmk_content kind = tmk_sniff(data, len, &what);
    int rc;
    switch (kind) {
    case TMK_CONTENT_DOCX:
    case TMK_CONTENT_ODT: rc = tmk__doc_read_zip(&c, data, len, kind); break;
    case TMK_CONTENT_HTML: rc = tmk__doc_read_html(&c, data, len, o.encoding, lang_out); break;
    case TMK_CONTENT_PDF: rc = tmk__doc_read_pdf(&c, data, len, &o); break;
    default:
        rc = tmk_error_set(err, TMK_EFORMAT, 0, 0, "%s is not a document tmkit reads (%s)",
                           c.name, what ? what : "plain text");
        break;
    }
    tmk_buf_release(&c.nfc);
    return rc;
}
