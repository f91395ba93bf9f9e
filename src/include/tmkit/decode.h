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
 * Push API: feed chunks of any size, then finish.  Output is appended to
 * the caller's buffer one complete line at a time (feed emits only whole
 * lines, finish emits the rest), so memory is bounded by the longest line.
 */
#ifndef TMKIT_DECODE_H
#define TMKIT_DECODE_H

#include <stddef.h>
#include "buf.h"
#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tmk_decoder tmk_decoder;

/* encoding: an iconv name ("windows-1252", "ISO-8859-15", "UTF-16LE", ...)
 * or NULL for "BOM if present, else UTF-8".  A BOM always wins over a
 * UTF-8/NULL default; with an explicit other encoding a BOM of that
 * encoding is skipped.  name: the file name used in error messages
 * (borrowed, must outlive the decoder).  Returns NULL on an unknown
 * encoding (TMK_EINVAL) or no memory. */
tmk_decoder *tmk_decoder_new(const char *encoding, const char *name,
                             tmk_error *err);
/* The longest line a decoder takes by default: 64 MiB of UTF-8.  A longer
 * line is TMK_ELIMIT (with its line number): a text without line breaks,
 * or not a text at all, would otherwise be held whole. */
#define TMK_DECODE_MAX_LINE ((size_t)64 << 20)
/* Another longest line, in bytes of UTF-8 (0 = the default). */
void tmk_decoder_set_max_line(tmk_decoder *d, size_t max);
int tmk_decoder_feed(tmk_decoder *d, const char *data, size_t len,
                     tmk_buf *out, tmk_error *err);
int tmk_decoder_finish(tmk_decoder *d, tmk_buf *out, tmk_error *err);
/* The encoding in use once known ("UTF-8", "UTF-16LE", ...). */
const char *tmk_decoder_encoding(const tmk_decoder *d);
void tmk_decoder_free(tmk_decoder *d);

/* Read and decode a whole file ("-" = stdin) into out, decoding as it
 * reads.  TMK_EIO when the file cannot be read, TMK_EENCODING on bad bytes
 * (err has line/col; reading stops there), TMK_ELIMIT past
 * TMK_READ_FILE_MAX bytes (256 MiB, tmkit/io.h) or on a line longer than
 * TMK_DECODE_MAX_LINE. */
int tmk_decode_file(const char *path, const char *encoding, tmk_buf *out,
                    tmk_error *err);

#ifdef __cplusplus
}
#endif
#endif
