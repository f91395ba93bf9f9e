/* doc.c -- tmk_doc_read: sniffs the document and hands it to its reader
 * (doc_zip.c, doc_html.c, doc_pdf.c), which collect paragraphs through
 * doc_text.c. */
#include <config.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "doc_int.h"

int tmk_doc_reads(enum tmk_decode_content kind)
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
    tmk__options_copy(&o, sizeof o, opt);
    if (lang_out)
        *lang_out = NULL;
    if (!data && len)
        return tmk_error_set(err, TMK_EINVAL, 0, 0, "no document given (data is NULL)");
    struct doc_ctx c;
    memset(&c, 0, sizeof c);
    c.name = o.name ? o.name : "document";
    c.max_member = o.max_member ? o.max_member : TMK_DOC_MAX_MEMBER;
    c.cb = cb;
    c.ud = ud;
    c.err = err;
    c.spans = o.spans != 0;
    tmk_buf_init(&c.nfc);
    tmk_buf_init(&c.scratch);
    const char *what = NULL;
    enum tmk_decode_content kind = tmk_decode_sniff(data, len, &what);
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
    tmk_buf_release(&c.scratch);
    free(c.out);
    return rc;
}
