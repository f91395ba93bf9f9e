/* tmkit/decode.h -- turn input bytes in any encoding into clean UTF-8.
 *
 * The decoder is the only place that calls iconv.  It detects byte-order
 * marks (UTF-8, UTF-16LE/BE, UTF-32LE/BE), otherwise uses the encoding it
 * was given (default UTF-8), and produces UTF-8 text in which CRLF and CR
 * are LF and every line is in Unicode NFC.  Invalid input is an error with
 * the line and column (in characters) where it starts; nothing is replaced
 * silently.  NUL bytes are refused (a sign of binary or UTF-16 input
 * without a BOM).
 *
 * Files that are not plain text are recognised by their content (never by
 * their name) before anything is decoded: web pages, XML, TMX and XLIFF,
 * Word/Excel/PowerPoint (DOCX, XLSX, PPTX, and the old binary DOC, XLS,
 * PPT), OpenDocument, EPUB, RTF, PDF, gettext PO, images, archives and
 * programs.  The decoder then fails with TMK_EFORMAT and a message that
 * says what the file is and what to do (see tmk_decode_sniff; a reader of such
 * formats turns this off with tmk_decoder_set_sniff).
 *
 * Push API: feed chunks of any size, then finish.  Output is appended to
 * the caller's buffer one complete line at a time (feed emits only whole
 * lines, finish emits the rest), so memory is bounded by the longest line.
 * After finish the decoder takes no more input (tmkit.h rule 6: TMK_EINVAL,
 * TMK_D_AFTER_FINISH); decode the next text with a new decoder.
 * The first TMK_SNIFF_LEN bytes are held back until the kind of file is
 * known.
 */
#ifndef TMKIT_DECODE_H
#define TMKIT_DECODE_H

#include <stddef.h>
#include <stdio.h>
#include "buf.h"
#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tmk_decoder tmk_decoder;

/* What a file holds, judged by its first bytes. */
enum tmk_decode_content {
    TMK_CONTENT_TEXT = 0, /* plain text (also anything not recognised) */
    TMK_CONTENT_HTML,     /* a web page, HTML or XHTML */
    TMK_CONTENT_XML,      /* another XML document */
    TMK_CONTENT_TMX,      /* a TMX translation memory */
    TMK_CONTENT_XLIFF,
    TMK_CONTENT_DOCX,
    TMK_CONTENT_XLSX,
    TMK_CONTENT_PPTX,
    TMK_CONTENT_OOXML,    /* Office Open XML, part not seen in the window */
    TMK_CONTENT_ODT,
    TMK_CONTENT_ODS,
    TMK_CONTENT_ODP,
    TMK_CONTENT_ODF,      /* another OpenDocument file */
    TMK_CONTENT_EPUB,
    TMK_CONTENT_PDF,
    TMK_CONTENT_RTF,
    TMK_CONTENT_OLE2,     /* old binary Office file: DOC, XLS, PPT */
    TMK_CONTENT_PO,       /* gettext catalogue */
    TMK_CONTENT_IMAGE,
    TMK_CONTENT_ARCHIVE,  /* zip, gzip, 7z, ... */
    TMK_CONTENT_BINARY,   /* a program, a database */
    TMK_CONTENT_TRUNCATED /* a zip container (DOCX, ODT, ...) cut short: a whole
                           * file shorter than TMK_SNIFF_LEN without its end */
};

/* How many first bytes tmk_decode_sniff wants to see (fewer are fine at the end
 * of a short file). */
#define TMK_SNIFF_LEN 4096

/* Recognise the kind of a file from its first len bytes (up to
 * TMK_SNIFF_LEN are used; give the raw bytes, as read).  Markup and PO
 * syntax are recognised in ASCII-compatible encodings and UTF-8 (with or
 * without a BOM).  *what (when what is not NULL) is set to a static
 * description for a person ("a Word document (DOCX)"), or NULL for text. */
enum tmk_decode_content tmk_decode_sniff(const void *data, size_t len, const char **what);
/* What to do with such a file to give tmkit its text (static string; ""
 * for TMK_CONTENT_TEXT). */
const char *tmk_decode_content_advice(enum tmk_decode_content kind);

/* encoding: an iconv name ("windows-1252", "ISO-8859-15", "UTF-16LE", ...)
 * or NULL for "BOM if present, else UTF-8".  A BOM always wins over a
 * UTF-8/NULL default; with an explicit other encoding a BOM of that
 * encoding is skipped.  name: the file name used in error messages
 * (copied; NULL = "-").  On success *out is the decoder (freed with
 * tmk_decoder_free) and TMK_OK is returned; else *out is NULL and the
 * code is TMK_EINVAL (an unknown encoding) or TMK_ENOMEM. */
int tmk_decoder_new(tmk_decoder **out, const char *encoding, const char *name,
                    tmk_error *err);
/* The longest line a decoder takes by default: 64 MiB of UTF-8.  A longer
 * line is TMK_ELIMIT (with its line number): a text without line breaks,
 * or not a text at all, would otherwise be held whole. */
#define TMK_DECODE_MAX_LINE ((size_t)64 << 20)
/* Another longest line, in bytes of UTF-8 (0 = the default).  Call before
 * the first feed: TMK_OK, or TMK_EINVAL after it (nothing changed). */
int tmk_decoder_set_max_line(tmk_decoder *d, size_t max, tmk_error *err);
int tmk_decoder_feed(tmk_decoder *d, const char *data, size_t len,
                     tmk_buf *out, tmk_error *err);
int tmk_decoder_finish(tmk_decoder *d, tmk_buf *out, tmk_error *err);
/* The encoding in use once known ("UTF-8", "UTF-16LE", ...). */
const char *tmk_decoder_encoding(const tmk_decoder *d);
/* on = 1 (the default): fail with TMK_EFORMAT when the input is not plain
 * text (see tmk_decode_sniff); on = 0: decode whatever comes (for readers of
 * markup, such as the TMX reader).  Call before the first feed: TMK_OK, or
 * TMK_EINVAL after it (nothing changed). */
int tmk_decoder_set_sniff(tmk_decoder *d, int on, tmk_error *err);
/* 1 when the decoder was given an 8-bit encoding (windows-1252, latin1,
 * ...) but every byte fed so far is valid UTF-8 and some form multi-byte
 * characters: the file is most likely UTF-8, and decoding it as that
 * encoding garbles every such character (ü becomes Ã¼).  A caller shows
 * this as a warning; 0 otherwise (also for UTF-8 or UTF-16 decoders). */
int tmk_decoder_looks_utf8(const tmk_decoder *d);
void tmk_decoder_free(tmk_decoder *d);

/* Read and decode the whole file at path (as named: "-" is a file) into
 * out, decoding as it reads.  TMK_EIO when the file cannot be read, TMK_EENCODING on bad bytes
 * (err has line/col; reading stops there), TMK_EFORMAT when it is not plain
 * text (an HTML page, a DOCX, ...), TMK_ELIMIT past TMK_READ_FILE_MAX bytes
 * (256 MiB, tmkit/io.h) or on a line longer than TMK_DECODE_MAX_LINE. */
int tmk_decode_file(const char *path, const char *encoding, tmk_buf *out,
                    tmk_error *err);
/* The same from the open stream f (left open), named name in errors
 * (tmkit passes "-" for standard input). */
int tmk_decode_stream(FILE *f, const char *name, const char *encoding, tmk_buf *out,
                      tmk_error *err);

#ifdef __cplusplus
}
#endif
#endif
