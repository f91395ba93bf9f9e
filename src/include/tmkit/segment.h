/* tmkit/segment.h -- sentence segmentation (built-in rules and SRX 2.0).
 *
 * Input is UTF-8 text as produced by the decoder (LF line ends, NFC).  By
 * default every line is a paragraph (a line without final punctuation,
 * such as a heading, is its own segment).  Segments are trimmed and never
 * contain a line break.  Push API: feed any chunks, then finish; the
 * segmenter keeps only the unfinished paragraph.
 *
 * Rules are SRX 2.0 (break and no-break rules with Java-style regular
 * expressions, compiled with PCRE2).  The built-in rules are readable SRX
 * files in the data folder (srx/de.srx, srx/en.srx, ..., srx/default.srx).
 * In line mode, a line continues the previous one only when the previous
 * line either ends in a space (a soft, "flowed" line break as in RFC 3676
 * and PDF extractions) and the rules would not end a sentence there ("Dr. ",
 * "am 3. " at the end of the line do not), or has no final punctuation,
 * three or more words, and the next line starts in lowercase; a next line
 * that starts with a bullet or a list number is never joined.
 * In wrapped mode (text hard-wrapped at a fixed width, as fmt, fold, e-mail
 * programs and PDF extraction leave it) a line that is full -- near the
 * width, or the next line's first word would not have fitted on it --
 * continues on the next line unless the rules end a sentence there and the
 * next word would have fitted; a short line ends its paragraph (a heading,
 * the end of a paragraph).  When most wrapped lines end in a space (fold
 * -s, "flowed" e-mail), that space alone marks a soft break.  Blank lines
 * always end a paragraph.
 * Joined line breaks appear as spaces in segment text; offsets stay those
 * of the fed text.
 * Input must be valid UTF-8 (TMK_EENCODING otherwise).
 */
#ifndef TMKIT_SEGMENT_H
#define TMKIT_SEGMENT_H

#include <stddef.h>
#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tmk_segmenter tmk_segmenter;

enum tmk_segment_paragraph_mode {
    TMK_PARA_LINE = 0,    /* each line is a paragraph (default) */
    TMK_PARA_BLANK = 1,   /* blank lines separate paragraphs; single LFs become spaces */
    TMK_PARA_WRAPPED = 2, /* hard-wrapped text: full lines are joined (width detected) */
    TMK_PARA_AUTO = 3,    /* WRAPPED when the text looks hard-wrapped
                           * (tmk_segmenter_text_wrap_width), else LINE; decided per text
                           * on its first 256 lines (or 64 KB) */
    TMK_PARA_LINES = 4    /* every line is a paragraph, whatever its case: LINE
                           * without joining a line to a next one that starts in
                           * lower case (lists of strings, a document's
                           * paragraphs, cells and list items; tmkit
                           * --paragraphs=line); a soft break (a line ending in
                           * a space) still continues */
};

typedef struct tmk_segment {
    const char *text;     /* borrowed, valid during the callback; not NUL-terminated */
    size_t len;
    unsigned long line;   /* 1-based line of the first character */
    unsigned long col;    /* 1-based column (characters) of the first character */
    size_t offset;        /* byte offset of the first character in the fed text */
    unsigned long para;   /* 0-based paragraph number */
} tmk_segment;

/* The tmkit.h callback rule: return 0 to go on, non-zero to stop (the
 * feed or finish then returns TMK_ECANCELED, or the callback's own
 * negative tmk_error_code).  cb may be NULL: the segments are dropped. */
typedef int (*tmk_segment_cb)(void *ud, const tmk_segment *seg);

/* lang: BCP 47 code ("de", "de-DE", "en-US", ...; NULL = "und"); with the
 * built-in rules, srx/<primary subtag>.srx if there is one, else
 * srx/default.srx.  srx_path: an SRX 2.0 file to use instead, or NULL; lang
 * then picks its language maps (matched against the whole code, as Java's
 * matches() does; cascade="yes" takes every matching map in order).
 * Only the selected rules are compiled.  On success *out is the new
 * segmenter (freed with tmk_segmenter_free) and TMK_OK is returned; on
 * error *out is NULL and the code is one of:
 * TMK_EIO (file unreadable; err->file names srx_path), TMK_ESYNTAX (not SRX,
 * XML error, or a pattern PCRE2 cannot compile: err->line/col point at the
 * element), TMK_EINVAL (no language map matches lang), TMK_ENOTFOUND (no
 * built-in rules installed), TMK_ENOMEM.
 * Java regex syntax is translated: \uXXXX, \p{IsL}/\p{javaLowerCase}/
 * \p{Punct}, inline (?u), "-" after a class escape in [...], look-behinds
 * of one repeated atom ((?<=[XVI]+)).  Other variable-length look-behinds
 * need PCRE2 >= 10.43.  A before-pattern is matched ending at the break
 * point and looking back at most 256 bytes (runs of non-space characters,
 * such as words, count as at most 64 characters when sizing that window). */
int tmk_segmenter_new(tmk_segmenter **out, const char *lang, const char *srx_path,
                      tmk_error *err);

/* Options of tmk_segmenter_new_opt (the tmkit.h rule for options: start
 * from TMK_SEGMENT_OPTIONS_INIT; the library reads only the members size
 * covers). */
typedef struct tmk_segment_options {
    size_t size;          /* sizeof(tmk_segment_options): the INIT macro sets it */
    const char *data_dir; /* folder searched first for the built-in rules
                             (DATA_DIR/srx/<language>.srx), before the installed
                             data folder and the source tree's; NULL or "": those
                             only.  The library reads no environment: tmkit
                             passes $TMKIT_DATADIR.  Only read while the
                             segmenter is made. */
} tmk_segment_options;

#define TMK_SEGMENT_OPTIONS_INIT {sizeof(tmk_segment_options), NULL}

/* tmk_segmenter_new with options (NULL: all defaults, which is
 * tmk_segmenter_new). */
int tmk_segmenter_new_opt(tmk_segmenter **out, const char *lang, const char *srx_path,
                          const tmk_segment_options *opt, tmk_error *err);
/* The same with the SRX 2.0 document given in memory (srx, len bytes). */
int tmk_segmenter_new_srx_mem(tmk_segmenter **out, const char *lang, const char *srx,
                              size_t len, tmk_error *err);
/* How lines make paragraphs from the next text on (TMK_PARA_LINE by
 * default).  TMK_OK, or TMK_EINVAL for a value not in the enum. */
int tmk_segmenter_set_paragraph_mode(tmk_segmenter *s, enum tmk_segment_paragraph_mode m,
                                     tmk_error *err);
/* In WRAPPED and AUTO mode: the width (in characters) at which the text
 * being segmented, or the last one finished, was found to be wrapped; 0
 * when it was not (AUTO then used LINE) or nothing was decided yet. */
unsigned tmk_segmenter_wrap_width(const tmk_segmenter *s);
/* Does text look hard-wrapped: most lines within a quarter of one width
 * (30 to 200 characters), most of those ending in the middle of a
 * sentence, and most too full for the next line's first word (as a
 * wrapping program leaves them)?  Returns that width, or 0.  Looks at the
 * whole of text. */
unsigned tmk_segmenter_text_wrap_width(const char *text, size_t len);
/* The longest paragraph the segmenter holds (lines joined: blank-line
 * paragraphs, soft-wrapped lines): 64 MiB, as the decoder's longest line. */
#define TMK_SEG_MAX_PARA ((size_t)64 << 20)
/* Feed text (any chunking; UTF-8 sequences may be split).  cb gets each
 * segment once its paragraph is complete.  Returns 0 or a negative TMK_E*
 * code: TMK_EENCODING with line/col on invalid UTF-8 or NUL, TMK_ENOMEM,
 * TMK_ELIMIT on a paragraph longer than TMK_SEG_MAX_PARA, TMK_ECANCELED
 * when cb returned a positive value, or cb's own negative code. */
int tmk_segmenter_feed(tmk_segmenter *s, const char *text, size_t len,
                       tmk_segment_cb cb, void *ud, tmk_error *err);
/* End of the text: segments the rest.  Afterwards the segmenter starts a
 * new text (line 1, offset 0), even after an error: the one documented
 * restart of tmkit.h rule 6. */
int tmk_segmenter_finish(tmk_segmenter *s, tmk_segment_cb cb, void *ud,
                         tmk_error *err);
void tmk_segmenter_free(tmk_segmenter *s);

/* Append the rules in use (the language rules the language maps chose, in
 * order) to out as a complete SRX 2.0 document that loads again with
 * tmk_segmenter_new(&s2, lang, path).  Returns TMK_OK or TMK_ENOMEM. */
struct tmk_buf;
int tmk_segmenter_dump_srx(const tmk_segmenter *s, struct tmk_buf *out, tmk_error *err);

/* The path of the built-in rule file tmk_segmenter_new_opt uses for lang
 * with data_dir as tmk_segment_options.data_dir (srx/<language>.srx, else
 * srx/default.srx, in data_dir, then the installed data folder): *out is
 * set and TMK_OK returned (the caller frees *out with tmk_free);
 * TMK_ENOTFOUND when none is installed, TMK_ENOMEM (*out NULL then). */
int tmk_segmenter_builtin_path(char **out, const char *lang, const char *data_dir,
                               tmk_error *err);

#ifdef __cplusplus
}
#endif
#endif
