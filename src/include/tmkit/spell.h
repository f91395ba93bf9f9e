/* tmkit/spell.h -- spell-checking with libhunspell.
 *
 * A speller holds one or more Hunspell dictionaries (found by name through
 * DICPATH and the usual system folders, or given by path to the .dic or
 * .aff file), the project's word lists, and a personal list.  Text goes
 * through a tokeniser that hands Hunspell the words a reader sees
 * (quotes and punctuation stripped; numbers, URLs, e-mail addresses
 * skipped; hyphenated compounds checked sensibly).
 */
#ifndef TMKIT_SPELL_H
#define TMKIT_SPELL_H

#include <stddef.h>
#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tmk_speller tmk_speller;

typedef struct tmk_spell_options {
    const char *lang;            /* "de-DE": picks the dictionary when dicts is empty */
    const char *const *dicts;    /* names ("de_DE") or paths; may be NULL */
    size_t ndicts;
    const char *const *wordlists;/* extra word lists (one word per line, word/model allowed) */
    size_t nwordlists;
    int ignore_caps;             /* skip ALL-CAPS words */
} tmk_spell_options;

typedef struct tmk_spell_hit {
    const char *word;            /* borrowed, NUL-terminated */
    size_t offset;               /* byte offset in the checked text */
    size_t len;                  /* bytes */
    unsigned long col;           /* 1-based column in characters within the text */
    const char *const *sugg;     /* suggestions (may be NULL when not asked for) */
    size_t nsugg;
} tmk_spell_hit;

typedef int (*tmk_spell_cb)(const tmk_spell_hit *hit, void *ud);

tmk_speller *tmk_speller_new(const tmk_spell_options *opt, tmk_error *err);
void tmk_speller_free(tmk_speller *sp);
/* 1 if the word is correct, 0 if not. */
int tmk_speller_check(tmk_speller *sp, const char *word, size_t len);
/* Check a piece of text (one line or one segment); call cb for each
 * flagged word, in order.  With suggest, hits carry suggestions. */
int tmk_spell_text(tmk_speller *sp, const char *text, size_t len, int suggest,
                   tmk_spell_cb cb, void *ud, tmk_error *err);

#ifdef __cplusplus
}
#endif
#endif
