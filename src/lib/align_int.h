/* align_int.h -- what align.c and align_dict.c share (not installed). */
#ifndef TMK_ALIGN_INT_H
#define TMK_ALIGN_INT_H

#include <stddef.h>
#include <stdint.h>
#include "tmkit/align.h"

/* The lexicon of one alignment run: every token type seen in the two
 * documents, with how many segments of each side hold it, and the list of
 * translation pairs (source type, target type) found so far. */
typedef struct tmk__lex tmk__lex;

#define TMK__LEX_MAXWORDS 8

/* Tokenise a phrase (same rules as the segments: case folded, accents
 * stripped, numbers normalised) and put into ids[] the types (at most max)
 * that occur on `side` (0 = source, 1 = target) of the documents.  Returns
 * the number of words the phrase has in total (found or not). */
size_t tmk__lex_phrase(const tmk__lex *x, const char *s, size_t len, int side,
                       uint32_t *ids, size_t max, size_t *nfound);
/* The normalised key of a phrase that is one word (at most cap bytes);
 * 0 when it is not one word. */
size_t tmk__lex_word_key(const char *s, size_t len, char *key, size_t cap);
/* Whether some evidence word of `side` (or a stem of one) starts with the
 * same 3 bytes as key: when not, key cannot match anything there. */
int tmk__lex_prefix_seen(const tmk__lex *x, int side, const char *key, size_t len);
/* Whether key may be the stem of a word of `side`: a word starts with its
 * first 4 bytes (3 for a 3-byte key). */
int tmk__lex_stem_candidate(const tmk__lex *x, int side, const char *key, size_t len);
/* A one-word headword (its key) that a stem might reach: once any is
 * noted for a side, only its words sharing the first 4 bytes with a noted
 * headword are stemmed. */
int tmk__lex_note_headword(tmk__lex *x, int side, const char *key, size_t len);
/* Stems (Hunspell) of one side: pending = they will come, when asked for
 * with need_stems (which waits for the Hunspell dictionaries and stems the
 * side's words; until then tmk__lex_phrase ignores stems).  stem_find:
 * how many word types of `side` have key as a stem. */
int tmk__lex_stems_pending(const tmk__lex *x, int side);
/* Types found by a headword as written (or a form of it): not stemmed. */
void tmk__lex_mark_found(tmk__lex *x, const uint32_t *ids, size_t n);
int tmk__lex_need_stems(tmk__lex *x, int side);
size_t tmk__lex_stem_find(const tmk__lex *x, int side, const char *key, size_t len);
/* Record that source type s translates as target type t. */
int tmk__lex_add_pair(tmk__lex *x, uint32_t s, uint32_t t);
/* The same for a dictionary pair: at most a few translations per source
 * type are kept (the first senses listed), so that large dictionaries do
 * not link every segment with every other.  Returns 1 when the pair is
 * kept, 0 when the source type has its share already, < 0 on error. */
int tmk__lex_add_dict_pair(tmk__lex *x, uint32_t s, uint32_t t);

/* Read a dictionary file into x: pairs whose words occur in the documents.
 * The format is detected: path ending in .index = DICT (with .dict.dz or
 * .dict beside it), else lines in Ding ("de :: en"), hunalign
 * ("target @ source") or "source<TAB>target" form.  reverse: the file's
 * left side is the target language.  *npairs gets the pairs added. */
int tmk__dict_load(tmk__lex *x, const char *path, int reverse, size_t *npairs,
                   tmk_error *err);

/* Whether a dictionary file is for the pair in the opposite direction
 * (freedict-fra-deu used for German-French, Ding en-de, ...). */
int tmk__dict_is_reversed(const char *path, const char *src_lang,
                          const char *tgt_lang);

#endif
