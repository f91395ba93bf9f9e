/* tm_merge.c -- written next */
#include <config.h>
#include "internal.h"
int tmk_tm_merge(const char *const *inputs, size_t ninputs, FILE *out, tmk_tm_conflict_cb on_conflict, void *ud, tmk_tm_merge_stats *st, tmk_error *err)
{ (void)inputs; (void)ninputs; (void)out; (void)on_conflict; (void)ud; (void)st; return tmk_error_set(err, TMK_EINVAL, 0, 0, "not yet"); }
