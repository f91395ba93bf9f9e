/* doc_int.h -- what the document readers (doc_*.c) share. */
#ifndef TMK_DOC_INT_H
#define TMK_DOC_INT_H

#include "tmkit/document.h"
#include "tmkit/buf.h"

/* One paragraph being collected: runs of white space become one space
 * (none at the start), soft hyphens are dropped, a line break is '\n'. */
typedef struct doc_text {
    tmk_buf b;
    int space; /* a space is due before the next character */
} doc_text;

struct doc_ctx {
    const char *name;
    size_t max_member;
    int (*cb)(void *ud, const tmk_doc_para *para);
    void *ud;
    unsigned long index;
    tmk_error *err;
    tmk_buf nfc;
};

int doc_text_add(doc_text *t, const char *s, size_t n);
int doc_text_break(doc_text *t);  /* a line break */
int doc_text_space(doc_text *t);  /* a tab or another separator */
/* Report t's text (trimmed; nothing when empty) and reset t. */
int doc_emit(struct doc_ctx *c, doc_text *t, enum tmk_doc_kind kind, int level,
             const char *lang, const char *part, unsigned long line, unsigned long col,
             unsigned long page);

int tmk__doc_read_zip(struct doc_ctx *c, const void *data, size_t len, enum tmk_content kind);
int tmk__doc_read_html(struct doc_ctx *c, const void *data, size_t len, const char *encoding,
                       char **lang_out);
int tmk__doc_read_pdf(struct doc_ctx *c, const void *data, size_t len,
                      const tmk_doc_options *opt);
/* The PDF paragraph rebuilder on pdftotext's output (for tests too). */
int tmk__doc_pdf_text(struct doc_ctx *c, const char *text, size_t len);

#endif
