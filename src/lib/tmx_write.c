/* PLACEHOLDER until the tmx work lands. */
#include <config.h>
#include "internal.h"
tmk_tmx_writer *tmk_tmx_writer_new(FILE *out, const tmk_tmx_header *h, tmk_error *err)
{ tmk_error_set(err, TMK_EINVAL, 0, 0, "TMX writing not available yet"); return NULL; }
void tmk_tmx_writer_on_warning(tmk_tmx_writer *w, tmk_tmx_warn_cb cb, void *ud) {}
int tmk_tmx_writer_add(tmk_tmx_writer *w, const tmk_tu *tu, tmk_error *err) { return TMK_EINVAL; }
int tmk_tmx_writer_finish(tmk_tmx_writer *w, tmk_error *err) { return TMK_EINVAL; }
void tmk_tmx_writer_free(tmk_tmx_writer *w) {}
char *tmk_lang_canonical(const char *code) { return NULL; }
void tmk_tmx_date(long long t, char out[17]) { out[0] = 0; }
