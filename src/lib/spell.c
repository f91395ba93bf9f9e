/* PLACEHOLDER until the spell work lands. */
#include <config.h>
#include "internal.h"
tmk_speller *tmk_speller_new(const tmk_spell_options *opt, tmk_error *err)
{ tmk_error_set(err, TMK_EINVAL, 0, 0, "spell-checking not available yet"); return NULL; }
void tmk_speller_free(tmk_speller *sp) {}
int tmk_speller_check(tmk_speller *sp, const char *word, size_t len) { return 1; }
int tmk_spell_text(tmk_speller *sp, const char *text, size_t len, int suggest, tmk_spell_cb cb, void *ud, tmk_error *err) { return TMK_EINVAL; }
