/* doc_int.h -- what the document readers (doc_*.c) share. */
#ifndef TMK_DOC_INT_H
#define TMK_DOC_INT_H

#include "tmkit/document.h"
#include "tmkit/buf.h"

/* One paragraph being collected: runs of white space become one space
 * (none at the start), soft hyphens are dropped, a line break is '\n'. */
/* Formatting (tmk_doc_options.spans): the reader sets fmt (bits 1 << kind)
 * and href (borrowed, for TMK_DOC_LINK) before adding text; spans open and
 * close lazily, at the next character that is not white space, so runs
 * with the same formatting merge and no span starts or ends on white
 * space.  Nothing of it runs when track is 0. */
struct doc_span_int {
    size_t start, end; /* end == (size_t)-1: open */
    int kind;
    char *href;        /* owned */
};

typedef struct doc_text {
    tmk_buf b;
    int space; /* a space is due before the next character */
    int track;
    unsigned fmt;
    const char *href;
    unsigned applied;  /* kinds of the spans open now */
    struct doc_span_int *sp;
    size_t nsp, capsp;
} doc_text;

struct doc_ctx {
    const char *name;
    size_t max_member;
    int (*cb)(void *ud, const tmk_doc_para *para);
    void *ud;
    unsigned long index;
    tmk_error *err;
    tmk_buf nfc;
    int spans;         /* tmk_doc_options.spans */
    tmk_buf scratch;   /* span offsets through NFC */
    tmk_doc_span *out; /* the spans handed to the callback */
    size_t capout;
};

int doc_text_add(doc_text *t, const char *s, size_t n);
int doc_text_break(doc_text *t);  /* a line break */
int doc_text_space(doc_text *t);  /* a tab or another separator */
/* Forget t's spans (after emit, or to drop a paragraph) / free them. */
void doc_text_spans_reset(doc_text *t);
void doc_text_release(doc_text *t);
/* Close the open spans at the end of t's text (before it is copied). */
void doc_text_spans_close(doc_text *t);
/* Copy n spans (closed) into t (for a queued paragraph); TMK_ENOMEM. */
int doc_text_spans_set(doc_text *t, const struct doc_span_int *sp, size_t n);
/* Report t's text (trimmed; nothing when empty) and reset t. */
int doc_emit(struct doc_ctx *c, doc_text *t, enum tmk_doc_kind kind, int level,
             const char *lang, const char *part, unsigned long line, unsigned long col,
             unsigned long page);

int tmk__doc_read_zip(struct doc_ctx *c, const void *data, size_t len, enum tmk_decode_content kind);
int tmk__doc_read_html(struct doc_ctx *c, const void *data, size_t len, const char *encoding,
                       char **lang_out);
int tmk__doc_read_pdf(struct doc_ctx *c, const void *data, size_t len,
                      const tmk_doc_options *opt);
/* The PDF paragraph rebuilder on pdftotext's output (for tests too). */
int tmk__doc_pdf_text(struct doc_ctx *c, const char *text, size_t len);

#endif
