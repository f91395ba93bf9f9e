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

#ifdef __cplusplus
}
#endif

#endif
