/* spell_int.h -- inside the spell module: the tokeniser's word record. */
#ifndef TMK_SPELL_INT_H
#define TMK_SPELL_INT_H

#include <stddef.h>
#include "tmkit/buf.h"
#include "tmkit/spell.h"

/* Longest word handed to Hunspell, in characters (its MAXWORDLEN); longer
 * words (run-together text, junk) are reported as too long to check. */
#define TMK_SPELL_MAXCHARS TMK_SPELL_MAX_WORD

struct tmk__tok {
    const char *word;   /* cleaned, NUL-terminated (scratch memory) */
    size_t wlen;
    size_t off, len;    /* the span in the text (without a final full stop) */
    unsigned long col;  /* 1-based, in characters */
    int dot;            /* a single full stop followed: try "word." too */
    int trunc;          /* ends in a dash ("Ukraine-"): try without it */
    int toolong;        /* more than TMK_SPELL_MAXCHARS characters (between
                           hyphens or full stops): not for Hunspell (word is
                           its start and an ellipsis when it has more than
                           TMK_SPELL_MAX_RUN) */
};

typedef int (*tmk__tok_fn)(const struct tmk__tok *t, void *ud);

/* Call fn for each word of text; scratch holds the cleaned words. */
int tmk__spell_tokens(const char *text, size_t len, unsigned flags,
                      tmk_buf *scratch, tmk__tok_fn fn, void *ud);

#endif
