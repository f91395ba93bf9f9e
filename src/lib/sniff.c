/* sniff.c -- what kind of file is this, judged by its first bytes.
 *
 * Only the content counts, never the file name: a "text.txt" that holds a
 * Word document is a Word document.  The checks are magic numbers (PDF, zip,
 * OLE2, images, archives, programs), the names a zip file's first member
 * and the first few kilobytes show (Office Open XML, OpenDocument, EPUB:
 * no zip reader, only the local header and a search of the window), and
 * leading markup (HTML, XML, TMX, XLIFF) or PO syntax in ASCII-compatible
 * text.  Anything else is text. */
#include <config.h>
#include <string.h>
#include <strings.h>
#include "internal.h"

static int starts(const unsigned char *p, size_t n, const char *magic, size_t m)
{
    return n >= m && !memcmp(p, magic, m);
}

static int has(const unsigned char *p, size_t n, const char *s)
{
    return memmem(p, n, s, strlen(s)) != NULL;
}

/* A zip file: which kind of document, from the first member's name (and,
 * for OpenDocument and EPUB, the stored "mimetype" member's content) and
 * the member names that appear in the window. */
static enum tmk_decode_content sniff_zip_kind(const unsigned char *p, size_t n, const char **what);

static enum tmk_decode_content sniff_zip(const unsigned char *p, size_t n, const char **what)
{
    enum tmk_decode_content k = sniff_zip_kind(p, n, what);
    /* Fewer bytes than asked for are the whole file: a zip file ends with
     * its central directory (end record "PK\5\6"), so without one it was
     * cut short (a copy or download that stopped).  A DOCX or ODT goes to
     * the document reader, which says so itself; anything else would get
     * the advice for its kind ("save it as DOCX", "unpack it") */
    if (n < TMK_SNIFF_LEN && !has(p, n, "PK\x05\x06") && k != TMK_CONTENT_DOCX &&
        k != TMK_CONTENT_ODT) {
        *what = "a zip container (such as a DOCX or ODT document) that is truncated or "
                "damaged: its end is missing";
        return TMK_CONTENT_TRUNCATED;
    }
    return k;
}

static enum tmk_decode_content sniff_zip_kind(const unsigned char *p, size_t n, const char **what)
{
    size_t nl = n >= 30 ? (size_t)p[26] | (size_t)p[27] << 8 : 0;
    size_t el = n >= 30 ? (size_t)p[28] | (size_t)p[29] << 8 : 0;
    const unsigned char *name = p + 30;
    if (n >= 30 + nl && nl == 8 && !memcmp(name, "mimetype", 8) && 30 + nl + el <= n) {
        const unsigned char *mt = name + nl + el;
        size_t ml = n - (size_t)(mt - p);
        static const struct {
            const char *mime;
            enum tmk_decode_content kind;
            const char *what;
        } odf[] = {
            {"application/vnd.oasis.opendocument.text", TMK_CONTENT_ODT,
             "an OpenDocument text (ODT)"},
            {"application/vnd.oasis.opendocument.spreadsheet", TMK_CONTENT_ODS,
             "an OpenDocument spreadsheet (ODS)"},
            {"application/vnd.oasis.opendocument.presentation", TMK_CONTENT_ODP,
             "an OpenDocument presentation (ODP)"},
            {"application/vnd.oasis.opendocument.", TMK_CONTENT_ODF,
             "an OpenDocument file (LibreOffice, OpenOffice)"},
            {"application/epub+zip", TMK_CONTENT_EPUB, "an e-book (EPUB)"},
        };
        for (size_t i = 0; i < sizeof odf / sizeof *odf; i++)
            if (starts(mt, ml, odf[i].mime, strlen(odf[i].mime))) {
                *what = odf[i].what;
                return odf[i].kind;
            }
    }
    if (has(p, n, "word/")) {
        *what = "a Word document (DOCX)";
        return TMK_CONTENT_DOCX;
    }
    if (has(p, n, "ppt/")) {
        *what = "a PowerPoint presentation (PPTX)";
        return TMK_CONTENT_PPTX;
    }
    if (has(p, n, "xl/")) {
        *what = "an Excel workbook (XLSX)";
        return TMK_CONTENT_XLSX;
    }
    if (has(p, n, "[Content_Types].xml")) {
        *what = "an Office document (DOCX, XLSX or PPTX)";
        return TMK_CONTENT_OOXML;
    }
    *what = "a zip archive";
    return TMK_CONTENT_ARCHIVE;
}

static int is_ws(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* The element name at p ("html" in "<html lang=...>"), lowercased into
 * buf; returns its length (0 when there is none). */
static size_t tag_name(const unsigned char *p, size_t n, char *buf, size_t cap)
{
    size_t k = 0;
    while (k < n && k + 1 < cap &&
           ((p[k] >= 'a' && p[k] <= 'z') || (p[k] >= 'A' && p[k] <= 'Z') ||
            (k && ((p[k] >= '0' && p[k] <= '9') || p[k] == ':' || p[k] == '-' || p[k] == '_')))) {
        buf[k] = (char)(p[k] >= 'A' && p[k] <= 'Z' ? p[k] - 'A' + 'a' : p[k]);
        k++;
    }
    buf[k] = '\0';
    /* the name must end the tag name: space, '>', '/' or the window end */
    if (k && k < n && !is_ws(p[k]) && p[k] != '>' && p[k] != '/')
        return 0;
    return k;
}

static enum tmk_decode_content by_root(const char *name, int xml, const char **what)
{
    const char *local = strchr(name, ':');
    local = local ? local + 1 : name;
    if (!strcmp(local, "html")) {
        *what = xml ? "a web page (XHTML)" : "a web page (HTML)";
        return TMK_CONTENT_HTML;
    }
    if (!strcmp(local, "tmx")) {
        *what = "a translation memory (TMX)";
        return TMK_CONTENT_TMX;
    }
    if (!strcmp(local, "xliff")) {
        *what = "an XLIFF file";
        return TMK_CONTENT_XLIFF;
    }
    /* a page or a block of one; a text that starts with inline markup
     * ("<b>Wichtig:</b> ...") stays text */
    static const char *const html_tags[] = {
        "head", "body", "meta", "title", "div", "p", "table", "h1", "h2", "h3", "h4",
        "h5", "h6", "ul", "ol", "li", "link", "script", "style", "section", "article",
        "header", "nav", "main", "form", "blockquote", "pre",
    };
    if (!xml)
        for (size_t i = 0; i < sizeof html_tags / sizeof *html_tags; i++)
            if (!strcmp(name, html_tags[i])) {
                *what = "a web page (HTML)";
                return TMK_CONTENT_HTML;
            }
    if (xml) {
        *what = "an XML file";
        return TMK_CONTENT_XML;
    }
    return TMK_CONTENT_TEXT;
}

/* Leading markup: an XML declaration, a document type, comments, then the
 * root element. */
static enum tmk_decode_content sniff_markup(const unsigned char *p, size_t n, const char **what)
{
    size_t i = 0;
    int xml = 0;
    char name[32];
    for (;;) {
        while (i < n && is_ws(p[i]))
            i++;
        if (i >= n || p[i] != '<')
            break;
        const unsigned char *q = p + i;
        size_t m = n - i;
        if (starts(q, m, "<?xml", 5)) {
            xml = 1;
            const unsigned char *e = memmem(q, m, "?>", 2);
            if (!e)
                break;
            i = (size_t)(e - p) + 2;
            continue;
        }
        if (starts(q, m, "<!--", 4)) {
            const unsigned char *e = memmem(q, m, "-->", 3);
            if (!e)
                break;
            i = (size_t)(e - p) + 3;
            continue;
        }
        if (m >= 9 && !strncasecmp((const char *)q, "<!DOCTYPE", 9)) {
            size_t k = 9;
            while (k < m && is_ws(q[k]))
                k++;
            if (tag_name(q + k, m - k, name, sizeof name))
                return by_root(name, xml, what);
            break;
        }
        if (tag_name(q + 1, m - 1, name, sizeof name))
            return by_root(name, xml, what);
        break;
    }
    if (xml) {
        *what = "an XML file";
        return TMK_CONTENT_XML;
    }
    return TMK_CONTENT_TEXT;
}

/* The keyword kw at p[0..n) followed by blanks and a quoted string: the
 * shape of a PO entry line (msgid "...", msgctxt "...", msgstr[0] "..."). */
static int po_keyword(const unsigned char *p, size_t n, const char *kw)
{
    size_t k = strlen(kw);
    if (!starts(p, n, kw, k))
        return 0;
    if (k < n && p[k] == '[') { /* msgstr[N] */
        while (k < n && p[k] != ']')
            k++;
        k++;
    }
    size_t b = k;
    while (k < n && (p[k] == ' ' || p[k] == '\t'))
        k++;
    return k > b && k < n && p[k] == '"';
}

/* A gettext catalogue: after comment and blank lines, `msgid "` or
 * `msgctxt "` (a quoted string, as PO has), then only string lines,
 * comments and msgid/msgctxt/msgid_plural lines up to a `msgstr "` line (or
 * the end of what was seen).  A text that merely starts with the word
 * "msgid" (a gettext manual, a README) is text. */
static int is_po(const unsigned char *p, size_t n)
{
    size_t i = 0;
    int entry = 0; /* saw msgid "/msgctxt " */
    while (i < n) {
        size_t e = i;
        while (e < n && p[e] != '\n')
            e++;
        size_t s = i;
        while (s < e && is_ws(p[s]))
            s++;
        const unsigned char *q = p + s;
        size_t m = e - s;
        i = e + 1;
        if (m == 0 || q[0] == '#')
            continue;
        if (po_keyword(q, m, "msgstr"))
            return entry;
        if (po_keyword(q, m, "msgid") || po_keyword(q, m, "msgctxt") ||
            (entry && po_keyword(q, m, "msgid_plural"))) {
            entry = 1;
            continue;
        }
        if (entry && q[0] == '"')
            continue;
        return 0;
    }
    return entry;
}

enum tmk_decode_content tmk_decode_sniff(const void *data, size_t len, const char **what)
{
    const unsigned char *p = data;
    const char *dummy;
    if (!what)
        what = &dummy;
    *what = NULL;
    static const struct {
        const char *magic;
        size_t len;
        enum tmk_decode_content kind;
        const char *what;
    } magic[] = {
        {"%PDF-", 5, TMK_CONTENT_PDF, "a PDF document"},
        {"{\\rtf", 5, TMK_CONTENT_RTF, "an RTF document (Rich Text Format)"},
        {"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8, TMK_CONTENT_OLE2,
         "a Microsoft Office document in the old binary format (DOC, XLS or PPT)"},
        {"\x89PNG\r\n\x1A\n", 8, TMK_CONTENT_IMAGE, "an image (PNG)"},
        {"\xFF\xD8\xFF", 3, TMK_CONTENT_IMAGE, "an image (JPEG)"},
        {"GIF87a", 6, TMK_CONTENT_IMAGE, "an image (GIF)"},
        {"GIF89a", 6, TMK_CONTENT_IMAGE, "an image (GIF)"},
        {"II*\0", 4, TMK_CONTENT_IMAGE, "an image (TIFF)"},
        {"MM\0*", 4, TMK_CONTENT_IMAGE, "an image (TIFF)"},
        {"\x1F\x8B\x08", 3, TMK_CONTENT_ARCHIVE, "a compressed file (gzip)"},
        {"BZh", 3, TMK_CONTENT_ARCHIVE, "a compressed file (bzip2)"},
        {"\xFD" "7zXZ\0", 6, TMK_CONTENT_ARCHIVE, "a compressed file (xz)"},
        {"7z\xBC\xAF\x27\x1C", 6, TMK_CONTENT_ARCHIVE, "a compressed archive (7z)"},
        {"Rar!\x1A\x07", 6, TMK_CONTENT_ARCHIVE, "a compressed archive (RAR)"},
        {"\x7F" "ELF", 4, TMK_CONTENT_BINARY, "a program (ELF)"},
        {"SQLite format 3", 16, TMK_CONTENT_BINARY, "a database (SQLite)"},
    };
    for (size_t i = 0; i < sizeof magic / sizeof *magic; i++)
        if (starts(p, len, magic[i].magic, magic[i].len)) {
            /* "BZh" must be followed by a block size digit and the block magic */
            if (magic[i].magic[0] == 'B' && !(len >= 10 && p[3] >= '1' && p[3] <= '9' &&
                                              !memcmp(p + 4, "1AY&SY", 6)))
                continue;
            *what = magic[i].what;
            return magic[i].kind;
        }
    if (starts(p, len, "PK\x03\x04", 4))
        return sniff_zip(p, len, what);
    if (len >= 12 && !memcmp(p, "RIFF", 4) && !memcmp(p + 8, "WEBP", 4)) {
        *what = "an image (WebP)";
        return TMK_CONTENT_IMAGE;
    }
    if (len >= 64 && p[0] == 'M' && p[1] == 'Z' && memchr(p, '\0', 64)) {
        *what = "a Windows program (EXE or DLL)";
        return TMK_CONTENT_BINARY;
    }
    /* text formats: past a UTF-8 byte-order mark */
    if (starts(p, len, "\xEF\xBB\xBF", 3)) {
        p += 3;
        len -= 3;
    }
    enum tmk_decode_content k = sniff_markup(p, len, what);
    if (k != TMK_CONTENT_TEXT)
        return k;
    if (is_po(p, len)) {
        *what = "a gettext translation catalogue (PO)";
        return TMK_CONTENT_PO;
    }
    return TMK_CONTENT_TEXT;
}

const char *tmk_decode_content_advice(enum tmk_decode_content kind)
{
    switch (kind) {
    case TMK_CONTENT_TEXT: return "";
    case TMK_CONTENT_HTML:
    case TMK_CONTENT_DOCX:
    case TMK_CONTENT_ODT:
        return "tmkit build, align, segment and spell read it as it is (tmk_doc_read in the "
               "library)";
    case TMK_CONTENT_XML: return "take the text out of it first and give it as plain text (UTF-8)";
    case TMK_CONTENT_TMX:
        return "it is a memory already: read it with 'tmkit convert', 'tmkit filter' or "
               "'tmkit merge', or give the plain texts it was made from";
    case TMK_CONTENT_XLIFF:
        return "make a memory of its translated segments with 'tmkit build FILE' or 'tmkit "
               "convert FILE --to tmx'";
    case TMK_CONTENT_XLSX:
    case TMK_CONTENT_ODS:
        return "save the text as plain text or tab-separated text (UTF-8) first (Save As in "
               "Excel or LibreOffice)";
    case TMK_CONTENT_PDF:
        return "tmkit build, align, segment and spell read it through pdftotext "
               "(poppler-utils) as it is";
    case TMK_CONTENT_PO:
        return "make a memory of it with 'tmkit convert FILE.po --to tmx'";
    case TMK_CONTENT_IMAGE:
        return "tmkit reads text only: run text recognition (OCR, e.g. tesseract) first";
    case TMK_CONTENT_ARCHIVE: return "unpack it first and give the text files in it";
    case TMK_CONTENT_BINARY: return "give a text file";
    case TMK_CONTENT_TRUNCATED:
        return "copy the file again from where it came from, or open the original and save "
               "it again";
    case TMK_CONTENT_PPTX:
    case TMK_CONTENT_ODP:
        return "save the slides' text as plain text (UTF-8) first, or export them as PDF, "
               "which tmkit reads";
    case TMK_CONTENT_OOXML:
    case TMK_CONTENT_ODF:
    case TMK_CONTENT_EPUB:
    case TMK_CONTENT_RTF:
    case TMK_CONTENT_OLE2:
        break;
    }
    return "save it as a Word document (DOCX) or OpenDocument text (ODT), which tmkit "
           "reads, or as plain text (UTF-8) (Save As in Word or LibreOffice; or: "
           "libreoffice --headless --convert-to docx FILE)";
}
