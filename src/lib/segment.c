/* PLACEHOLDER until the segment work lands. */
#include <config.h>
#include <stdlib.h>
#include "internal.h"
tmk_segmenter *tmk_segmenter_new(const char *lang, const char *srx_path, tmk_error *err)
{ tmk_error_set(err, TMK_EINVAL, 0, 0, "segmentation not available yet"); return NULL; }
void tmk_segmenter_set_paragraph_mode(tmk_segmenter *s, enum tmk_paragraph_mode m) {}
int tmk_seg_feed(tmk_segmenter *s, const char *text, size_t len, tmk_segment_cb cb, void *ud, tmk_error *err) { return TMK_EINVAL; }
int tmk_seg_finish(tmk_segmenter *s, tmk_segment_cb cb, void *ud, tmk_error *err) { return TMK_EINVAL; }
void tmk_segmenter_free(tmk_segmenter *s) {}
