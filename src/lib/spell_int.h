/* spell_int.h -- inside the spell module: the tokeniser's word record. */
#ifndef TMK_SPELL_INT_H
#define TMK_SPELL_INT_H

#include <stddef.h>
#include "tmkit/buf.h"
#include "tmkit/spell.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Longest word handed to Hunspell, in characters (its MAXWORDLEN); longer
 * words (run-together text, junk) are reported as too long to check. */
#define TMK_SPELL_MAXCHARS TMK_SPELL_MAX_WORD

struct tmk__tok {
    const char *word;   /* cleaned, NUL-terminated (scratch memory) */
    size_t wlen;
    size_t off, len;    /* the span in the text (without a final full stop) */
    unsigned long col;  /* 1-based, in characters */
    const char *alt;    /* a gender form without its marker ("Lehrer*innen"
                           -> "Lehrerinnen"), NUL-terminated; NULL when the
                           word is none */
    size_t altlen;
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

/* spell_hs.cc: the calls of libhunspell, none of which lets a C++
 * exception out (std::bad_alloc under a memory limit would end the
 * process): TMK_ENOMEM for std::bad_alloc, TMK_EINVAL for any other.
 * A handle that failed is not used again except to destroy it. */
typedef struct Hunhandle Hunhandle;
int tmk__hs_create(const char *aff, const char *dic, Hunhandle **out);
void tmk__hs_destroy(Hunhandle *h);
const char *tmk__hs_encoding(Hunhandle *h); /* NULL on failure */
int tmk__hs_add(Hunhandle *h, const char *word, const char *model); /* model may be NULL */
int tmk__hs_spell(Hunhandle *h, const char *word);                  /* 1, 0 or < 0 */
int tmk__hs_suggest(Hunhandle *h, char ***list, const char *word);  /* count or < 0 */
int tmk__hs_stem(Hunhandle *h, char ***list, const char *word);     /* count or < 0 */
void tmk__hs_free_list(Hunhandle *h, char ***list, int n);

/* spell_ngram.c: the roots of one .dic file, indexed for Hunspell's n-gram
 * stage (see there).  tmk__ngram_load reads the file at path (in encoding
 * enc, NULL for UTF-8); tmk__ngram_dic appends to out a .dic text: the
 * first line of the file and the lines of about k roots most like word
 * (UTF-8), in file order. */
struct tmk__ngram;
int tmk__ngram_load(const char *path, const char *enc, struct tmk__ngram **out);
void tmk__ngram_free(struct tmk__ngram *ng);
int tmk__ngram_dic(const struct tmk__ngram *ng, const char *word, size_t n, size_t k,
                   tmk_buf *out);

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

#ifdef __cplusplus
}
#endif

#endif
