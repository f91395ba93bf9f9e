/* tmkit/align.h -- sentence alignment.
 *
 * Aligns two lists of segments (source and target) into beads: groups of
 * consecutive source segments matched with groups of consecutive target
 * segments (1-1, 1-2, 2-1, 2-2, 1-0, 0-1, ...).  Every segment of both
 * sides is in exactly one bead, in order.
 */
#ifndef TMKIT_ALIGN_H
#define TMKIT_ALIGN_H

#include <stddef.h>
#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tmk_text {
    const char *s;   /* borrowed, UTF-8 */
    size_t len;
} tmk_text;

typedef struct tmk_bead {
    size_t src, nsrc;  /* first source segment and how many (0 for 0-1) */
    size_t tgt, ntgt;  /* first target segment and how many (0 for 1-0) */
    double score;      /* confidence in [0, 1] */
} tmk_bead;

typedef struct tmk_align_options {
    const char *src_lang;   /* "de-DE" */
    const char *tgt_lang;   /* "en-US" */
    const char *const *dicts;/* bilingual dictionary files, may be NULL */
    size_t ndicts;
} tmk_align_options;

/* Align; on success *beads (the caller frees it with free()) holds
 * *nbeads beads in order. */
int tmk_align(const tmk_text *src, size_t nsrc, const tmk_text *tgt,
              size_t ntgt, const tmk_align_options *opt, tmk_bead **beads,
              size_t *nbeads, tmk_error *err);

#ifdef __cplusplus
}
#endif
#endif
