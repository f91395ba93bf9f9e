/* PLACEHOLDER until the align work lands. */
#include <config.h>
#include "internal.h"
int tmk_align(const tmk_text *src, size_t nsrc, const tmk_text *tgt, size_t ntgt, const tmk_align_options *opt, tmk_bead **beads, size_t *nbeads, tmk_error *err)
{ return tmk_error_set(err, TMK_EINVAL, 0, 0, "alignment not available yet"); }
