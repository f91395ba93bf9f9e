/* tmkit/segment.h -- sentence segmentation (built-in rules and SRX 2.0).
 *
 * Input is UTF-8 text as produced by the decoder (LF line ends, NFC).  By
 * default every line is a paragraph (a line without final punctuation,
 * such as a heading, is its own segment).  Segments are trimmed and never
 * contain a line break.  Push API: feed any chunks, then finish; the
 * segmenter keeps only the unfinished paragraph.
 */
#ifndef TMKIT_SEGMENT_H
#define TMKIT_SEGMENT_H

#include <stddef.h>
#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tmk_segmenter tmk_segmenter;

enum tmk_paragraph_mode {
    TMK_PARA_LINE = 0,  /* each line is a paragraph (default) */
    TMK_PARA_BLANK = 1  /* blank lines separate paragraphs; single LFs become spaces */
};

typedef struct tmk_segment {
    const char *text;     /* borrowed, valid during the callback; not NUL-terminated */
    size_t len;
    unsigned long line;   /* 1-based line of the first character */
    unsigned long col;    /* 1-based column (characters) of the first character */
    size_t offset;        /* byte offset of the first character in the fed text */
    unsigned long para;   /* 0-based paragraph number */
} tmk_segment;

/* Return 0 to go on, non-zero to stop (the value is passed back). */
typedef int (*tmk_segment_cb)(const tmk_segment *seg, void *ud);

/* lang: BCP 47 code ("de", "de-DE", "en-US", ...); rules of the closest
 * built-in language, else the default rules.  srx_path: an SRX 2.0 file to
 * use instead of the built-in rules, or NULL.  Returns NULL on error. */
tmk_segmenter *tmk_segmenter_new(const char *lang, const char *srx_path,
                                 tmk_error *err);
void tmk_segmenter_set_paragraph_mode(tmk_segmenter *s, enum tmk_paragraph_mode m);
int tmk_seg_feed(tmk_segmenter *s, const char *text, size_t len,
                 tmk_segment_cb cb, void *ud, tmk_error *err);
int tmk_seg_finish(tmk_segmenter *s, tmk_segment_cb cb, void *ud,
                   tmk_error *err);
void tmk_segmenter_free(tmk_segmenter *s);

#ifdef __cplusplus
}
#endif
#endif
