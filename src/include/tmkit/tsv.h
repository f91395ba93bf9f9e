/* tmkit/tsv.h -- reading and writing translation tables: TSV and CSV.
 *
 * Three dialects, named by the caller and never guessed between:
 *
 *   TMK_TSV        tmkit's TSV (the format of the corpora): fields separated
 *                  by TAB, one row per line; inside a field TAB, LF, CR and
 *                  backslash are written \t \n \r \\ (any other backslash is
 *                  text); a quote is always text.
 *   TMK_TSV_SHEET  TSV as spreadsheets save it: the escapes of TMK_TSV in
 *                  every cell, and a cell that starts with '"' is a quoted
 *                  cell ("" for a quote inside; TABs and line breaks inside
 *                  are text, so a row may span lines).  A cell that starts
 *                  with a quote and goes on after its closing quote is an
 *                  error (TMK_ESYNTAX with line and column).
 *   TMK_TSV_CSV    RFC 4180: '"' quoting, CRLF (or LF, or CR) row ends.  The
 *                  separator is ',' unless the first line has no comma
 *                  outside quotes and a ';' (German spreadsheets): then ';'.
 *
 * Push API: feed chunks of any size, then finish; each row goes to the row
 * callback as soon as it is complete.  A UTF-8 byte-order mark at the start
 * is dropped; a CR before a line's LF is dropped (TSV dialects); empty lines
 * give no row.  Bytes are passed as they are (the caller checks UTF-8).
 *
 * Limits: a row holds at most TMK_TSV_MAX_RECORD bytes (8 MiB, the TMX
 * reader's limit for one unit): a longer one, or an endless input without
 * line ends, stops with TMK_ELIMIT and the row's line.  Fields after the
 * first TMK_TSV_MAX_FIELDS of a row are not given.
 */
#ifndef TMKIT_TSV_H
#define TMKIT_TSV_H

#include <stddef.h>
#include "buf.h"
#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

enum tmk_tsv_dialect { TMK_TSV = 0, TMK_TSV_SHEET = 1, TMK_TSV_CSV = 2 };

#define TMK_TSV_MAX_RECORD ((size_t)8 << 20)
#define TMK_TSV_MAX_FIELDS 16

typedef struct tmk_tsv_field {
    const char *s; /* unquoted and unescaped; NUL-terminated (may hold NULs too) */
    size_t len;
} tmk_tsv_field;

/* One row: nf fields (at least 1), borrowed and valid during the call;
 * line: the 1-based line where the row starts.  Return TMK_OK to go on, a
 * negative code to stop (feed/finish return it). */
typedef int (*tmk_tsv_row_cb)(unsigned long line, const tmk_tsv_field *f, size_t nf, void *ud);

typedef struct tmk_tsv_reader tmk_tsv_reader;

/* NULL on no memory (err filled). */
tmk_tsv_reader *tmk_tsv_reader_new(enum tmk_tsv_dialect d, tmk_error *err);
void tmk_tsv_reader_on_row(tmk_tsv_reader *r, tmk_tsv_row_cb cb, void *ud);
/* Errors: TMK_ESYNTAX (a quoted cell not closed, or going on after its
 * closing quote), TMK_ELIMIT (a row over TMK_TSV_MAX_RECORD), TMK_ENOMEM,
 * or what the callback returned.  After an error the reader stays failed. */
int tmk_tsv_reader_feed(tmk_tsv_reader *r, const char *data, size_t len, tmk_error *err);
int tmk_tsv_reader_finish(tmk_tsv_reader *r, tmk_error *err);
/* CSV: the separator once the first line was seen (',' or ';'), else 0. */
char tmk_tsv_reader_delimiter(const tmk_tsv_reader *r);
void tmk_tsv_reader_free(tmk_tsv_reader *r);

/* Append one field in dialect d: TMK_TSV escapes TAB, LF, CR and
 * backslash; TMK_TSV_SHEET also puts a text that starts with '"' in quotes
 * with inner quotes doubled; TMK_TSV_CSV quotes a field that holds ',', ';',
 * '"', CR or LF (RFC 4180).  Returns TMK_OK or TMK_ENOMEM. */
int tmk_tsv_field_add(tmk_buf *o, const char *s, size_t n, enum tmk_tsv_dialect d);

#ifdef __cplusplus
}
#endif
#endif
