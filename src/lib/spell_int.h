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

/* The pieces of a text by the same word rules (for the memory lookup's
 * tokens): a word is a run of letters, digits and connectors (hyphen,
 * apostrophe, full stop, invisible characters) without the connectors at
 * its ends; it is a number when it has no letter.  Every other character
 * that is not white space is a punctuation piece of its own, and so is a
 * connector trimmed from a word's end; a run of white space is a space
 * piece.  For words and numbers, word/wlen give the cleaned form (hyphens
 * and apostrophes made ASCII, invisible characters removed; scratch
 * memory, valid during the call); for other pieces word is the text. */
enum tmk__piece_kind { TMK__P_WORD = 1, TMK__P_NUMBER, TMK__P_PUNCT, TMK__P_SPACE };
typedef int (*tmk__piece_fn)(void *ud, int kind, size_t off, size_t len, const char *word,
                             size_t wlen);
int tmk__text_pieces(const char *text, size_t len, tmk_buf *scratch, tmk__piece_fn fn,
                     void *ud);

#endif
