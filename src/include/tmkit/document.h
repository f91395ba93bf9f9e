/* tmkit/document.h -- the text of documents: DOCX, ODT, HTML/XHTML, PDF.
 *
 * tmk_doc_read turns a whole document (its bytes, in memory) into
 * paragraphs of UTF-8 text (NFC, runs of white space as one space, no tab,
 * soft hyphens removed) in reading order, and hands each to a callback
 * with its kind and a position a person can find again.  A line break
 * inside a paragraph (<br>, w:br, text:line-break) is a '\n' in its text;
 * nothing else is.  Empty paragraphs are not reported.
 *
 *  - DOCX (Office Open XML word processing): word/document.xml through
 *    libzip and expat.  Paragraphs, headings (from the paragraph style or
 *    its outline level), list items, table cells, text boxes (after the
 *    paragraph they are anchored in), footnotes and endnotes (after the
 *    paragraph that refers to them).  Tracked changes read as accepted
 *    (w:del, w:moveFrom skipped), hidden text (w:vanish) skipped, field
 *    codes skipped (their results kept), the fallback copy of a text box
 *    (mc:Fallback) skipped.
 *  - ODT (OpenDocument text): content.xml.  The same kinds; notes after
 *    their paragraph; tracked changes as accepted (text:tracked-changes
 *    skipped); hidden text (text:display="none" in a style, hidden
 *    paragraphs and sections) skipped; comments and generated indexes
 *    (table of contents) skipped.
 *  - HTML and XHTML through gumbo (an HTML5 parser: real pages are not
 *    well-formed XML).  Block elements are paragraphs, <br> a line break,
 *    entities decoded; head, script, style, nav, header, footer, aside,
 *    noscript, template, form controls and elements with the hidden
 *    attribute skipped.  The lang attribute is reported (item lang).
 *    The encoding: a byte-order mark, else options.encoding, else UTF-8
 *    when the bytes are UTF-8, else the page's <meta charset>, else
 *    windows-1252.
 *  - PDF through Poppler's pdftotext, run as a child process (no shell)
 *    when options.pdftotext names it; see doc_pdf.c for how paragraphs
 *    are rebuilt (hyphenation undone, running headers, footers and page
 *    numbers dropped).
 *
 * Limits: every zip member is read up to options.max_member bytes
 * uncompressed (default TMK_DOC_MAX_MEMBER); more is TMK_ELIMIT (a zip
 * bomb, or a document too big to be a text).  XML entity declarations
 * and external entities are refused (TMK_ESYNTAX), as in the TMX reader.
 *
 * Errors: TMK_EFORMAT for a kind of file not read here (see
 * tmk_doc_reads), TMK_ESYNTAX for a damaged document (err has the member
 * name in the message and line/col in it), TMK_ELIMIT, TMK_ENOTFOUND when
 * pdftotext is not given or cannot be run, TMK_ECANCELED when the
 * callback stops, TMK_ENOMEM.
 */
#ifndef TMKIT_DOCUMENT_H
#define TMKIT_DOCUMENT_H

#include <stddef.h>
#include "decode.h"
#include "error.h"
#include "buf.h"

#ifdef __cplusplus
extern "C" {
#endif

enum tmk_doc_kind {
    TMK_DOC_PARAGRAPH = 0,
    TMK_DOC_HEADING,
    TMK_DOC_LIST_ITEM,
    TMK_DOC_TABLE_CELL,
    TMK_DOC_FOOTNOTE, /* footnotes and endnotes */
    TMK_DOC_TEXT_BOX
};

/* Inline formatting a reader reports (tmk_doc_options.spans): */
enum tmk_doc_span_kind {
    TMK_DOC_BOLD = 0,      /* HTML b, strong; DOCX w:b; ODT fo:font-weight bold */
    TMK_DOC_ITALIC,        /* HTML i, em; DOCX w:i; ODT fo:font-style italic */
    TMK_DOC_UNDERLINE,     /* HTML u; DOCX w:u; ODT style:text-underline-style */
    TMK_DOC_LINK,          /* HTML a href; DOCX w:hyperlink; ODT text:a */
    TMK_DOC_SUPERSCRIPT,   /* HTML sup; DOCX w:vertAlign; ODT style:text-position */
    TMK_DOC_SUBSCRIPT
};
#define TMK_DOC_NSPAN_KINDS 6

/* A stretch of a paragraph's text in one formatting: bytes [start, end)
 * of the paragraph's text (on character boundaries, start < end, never
 * only white space).  Runs of the same formatting that touch, or are
 * apart only by white space, are one span (Word splits runs at will). */
typedef struct tmk_doc_span {
    size_t start, end;
    enum tmk_doc_span_kind kind;
    const char *target;   /* TMK_DOC_LINK: the link's target (URL) when the
                           * document has it, else NULL; NULL otherwise */
} tmk_doc_span;

typedef struct tmk_doc_para {
    const char *text;     /* UTF-8, NFC, not NUL-terminated in general */
    size_t len;
    enum tmk_doc_kind kind;
    int level;            /* heading level 1..9 (0 = not a heading) */
    const char *lang;     /* language tag in effect (HTML lang, ODT/DOCX
                           * language is not reported), or NULL */
    const char *part;     /* zip member the text is in ("word/document.xml"),
                           * or NULL (HTML, PDF) */
    unsigned long line;   /* where the paragraph starts in the part or page:
                           * line and column (1-based, 0 = unknown) */
    unsigned long col;
    unsigned long page;   /* PDF: page number (1-based); 0 otherwise */
    unsigned long index;  /* 1-based number of this paragraph */
    /* Added after 0.x (a callback compiled before only reads the fields
     * above): with tmk_doc_options.spans, the formatting of the text,
     * ordered by start (then the longer first); else NULL and 0.  PDF and
     * the plain text path never have spans. */
    const tmk_doc_span *spans;
    size_t nspans;
} tmk_doc_para;

/* 256 MiB: no text document comes near it once unpacked. */
#define TMK_DOC_MAX_MEMBER (256UL * 1024 * 1024)

typedef struct tmk_doc_options {
    size_t size;
    const char *name;       /* file name for messages (borrowed), or NULL */
    const char *encoding;   /* HTML: the encoding when there is no BOM
                             * (NULL: detect, see above) */
    size_t max_member;      /* 0: TMK_DOC_MAX_MEMBER */
    const char *pdftotext;  /* path of pdftotext; NULL: PDF is TMK_ENOTFOUND */
    const char *path;       /* PDF: the file the bytes came from (given to
                             * pdftotext; "-" is a file named "-"); NULL:
                             * the bytes are piped to pdftotext's standard
                             * input */
    int spans;              /* 1: report inline formatting (para.spans);
                             * 0 (default): none, and no time spent on it */
} tmk_doc_options;

#define TMK_DOC_OPTIONS_INIT {sizeof(tmk_doc_options), NULL, NULL, 0, NULL, NULL, 0}

/* 1 when tmk_doc_read reads files of this kind (DOCX, ODT, HTML, PDF),
 * else 0. */
int tmk_doc_reads(enum tmk_decode_content kind);

/* Read the document in data[0..len) (its kind from tmk_decode_sniff) and call
 * cb(ud, para) for each paragraph in reading order (cb may be NULL).  *lang_out (when not
 * NULL) is set to the document's language as it declares it (<html
 * lang>), a string to free with tmk_free, or NULL.  Returns TMK_OK or a
 * negative code (see above). */
int tmk_doc_read(const void *data, size_t len, const tmk_doc_options *opt,
                 int (*cb)(void *ud, const tmk_doc_para *para), void *ud, char **lang_out,
                 tmk_error *err);

/* "paragraph", "heading", "list item", "table cell", "footnote",
 * "text box". */
const char *tmk_doc_kind_name(enum tmk_doc_kind kind);

/* "bold", "italic", "underline", "link", "superscript", "subscript". */
const char *tmk_doc_span_kind_name(enum tmk_doc_span_kind kind);

/* Render text[0..len) with the formatting spans as the XML content of a
 * TMX <seg>, appended to out: the text escaped, each span a <bpt>/<ept>
 * pair as CAT tools write them, the native code in the pair, e.g.
 *   <bpt i="1" type="bold">&lt;b&gt;</bpt>word<ept i="1">&lt;/b&gt;</ept>
 * (types bold, italic, ulined, link, x-superscript, x-subscript; a link's
 * code is &lt;a href="TARGET"&gt;).  The spans are in the coordinates of
 * a larger text in which text starts at byte base (a segment of a
 * paragraph, a line of a document): each is clipped to the text; what is
 * left empty or only white space is dropped.  A span that reaches past
 * the text's end is closed there (the next segment reopens it); spans
 * that overlap without nesting are closed and reopened so the result is
 * always well-formed: bpt and ept paired by i.  *next_i is the i to give
 * the next pair (1 for a new <seg>) and is advanced, so several texts can
 * be joined into one <seg>.  Spans may come in any order.
 * Returns TMK_OK or TMK_ENOMEM. */
int tmk_doc_render_tmx(tmk_buf *out, const char *text, size_t len, size_t base,
                       const tmk_doc_span *spans, size_t nspans, unsigned *next_i,
                       tmk_error *err);

#ifdef __cplusplus
}
#endif
#endif
