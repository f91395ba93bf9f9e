/* spell_int.h -- inside the spell module: the tokeniser's word record. */
#ifndef TMK_SPELL_INT_H
#define TMK_SPELL_INT_H

#include <iconv.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
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

/* ---- the speller's parts (spell.c, spell_dict.c, spell_cache.c,
 * spell_worker.c, spell_sugg.c); the files depend on each other in this
 * order only: spell.c -> spell_sugg.c -> spell_worker.c -> spell_dict.c,
 * spell_cache.c ------------------------------------------------------- */
typedef struct Hunhandle Hunhandle;

#define MAX_WORKERS 16

struct dict {
    char *name; /* as given or derived */
    char *aff, *dic;
    char *label; /* "name (dic path)" */
    /* the .aff text with the slow suggestion stages turned off (n-grams,
     * compound suggestions), NULL when the .aff could not be read */
    char *fast_aff;
    size_t fast_len;
    /* the same with the n-gram stage on (for the handles of ngram_sugg) */
    char *ngram_aff;
    size_t ngram_len;
    struct tmk__ngram *ng; /* the roots, indexed on first use */
    int ng_state;          /* 0 not tried, 1 ready, -1 unavailable */
};

struct entry {
    char *word, *model; /* model may be NULL */
};

struct hand {
    Hunhandle *h;
    iconv_t to, from; /* (iconv_t)-1 for UTF-8 dictionaries */
};

/* Bounded verdict cache: open addressing, cleared when full. */
struct vslot {
    uint64_t hash;
    uint32_t off;
    uint16_t len;
    uint8_t used, ok;
};

struct vcache {
    struct vslot *slots;
    size_t cap, n, max;
    tmk_buf keys;
    size_t lookups, hits, clears;
};

struct worker {
    struct hand *hs;
    int ready;
    struct hand *fs; /* fast suggestion handles, made on first use */
    int failed;      /* a Hunspell call failed (TMK_ENOMEM...): the results
                        since are not to be trusted, the caller gets it */
    int fast_state;  /* 0 not tried, 1 ready, -1 unavailable */
    tmk_buf tmp, conv, scratch;
};

struct sentry {
    char *word;
    size_t wlen;
    uint64_t hash;
    char **sugg;
    size_t nsugg;
    int done;
};

struct scache {
    struct sentry *e;
    size_t n, cap;  /* entries */
    uint32_t *idx;  /* hash index: entry number + 1, 0 = empty */
    size_t icap;
};

struct tmk_speller {
    struct dict *dicts;
    size_t ndicts;
    struct entry *entries;
    size_t nentries;
    unsigned flags;
    size_t max_sugg, cache_entries;
    struct worker workers[MAX_WORKERS];
    /* one verdict cache for all workers: a distinct word costs one
     * Hunspell call whichever worker meets it; locked while threads run */
    struct vcache vc;
    pthread_mutex_t vlock;
    int threaded;
    int break_hyphen, break_dot; /* every dictionary has BREAK "-" / "." */
    struct scache sc;
    int sugg_mode;
    size_t sugg_max; /* distinct words kept in the suggestion cache */
    pthread_mutex_t nglock; /* for the dictionaries' n-gram indexes */
    char *temp_dir;         /* for the .aff and .dic copies */
};

/* Where dictionaries given by name are looked for (from the options). */
struct tmk__dirs {
    const char *path; /* DICPATH-like list, may be NULL */
    const char *home; /* may be NULL */
    const char *data; /* tmk_spell_options.data_dir, may be NULL */
};

/* spell_dict.c */
char *tmk__spell_concat3(const char *a, const char *b, const char *c); /* NULL: no memory */
int tmk__dict_resolve(const struct tmk__dirs *dirs, const char *spec, struct dict *d,
                      tmk_error *err);
int tmk__dict_for_lang(const struct tmk__dirs *dirs, const char *lang, struct dict *d,
                       tmk_error *err);
void tmk__dict_aff_texts(struct dict *d);
void tmk__dict_read_breaks(const char *aff, int *hyphen, int *dot);
int tmk__spell_load_wordlist(tmk_speller *sp, const char *path, tmk_error *err);
int tmk__spell_load_project_lists(tmk_speller *sp, const char *data_dir, const char *lang,
                                  tmk_error *err);

/* spell_cache.c */
uint64_t tmk__spell_hash(const char *s, size_t n);
int tmk__vcache_init(struct vcache *vc, size_t entries);
void tmk__vcache_clear(struct vcache *vc);
struct vslot *tmk__vcache_find(struct vcache *vc, const char *w, size_t n, uint64_t h);
void tmk__vcache_put(struct vcache *vc, const char *w, size_t n, uint64_t h, int ok);
int tmk__scache_get(struct scache *sc, const char *w, size_t n, struct sentry **out);
void tmk__scache_clear(struct scache *sc);
void tmk__scache_release(struct scache *sc);

/* spell_worker.c */
int tmk__hand_create(const char *aff, const char *dic, Hunhandle **out);
void tmk__hand_destroy(Hunhandle *h);
int tmk__spell_is_utf8(const char *e);
const char *tmk__spell_iconv_name(const char *e);
const char *tmk__hand_to(struct hand *hd, tmk_buf *conv, const char *w, size_t n);
int tmk__hand_from(struct hand *hd, tmk_buf *out, const char *s);
void tmk__worker_release(struct worker *w, size_t ndicts);
int tmk__spell_write_temp(const tmk_speller *sp, const char *data, size_t len, char **path);
/* Remove a file tmk__spell_write_temp made and free its path (NULL: nothing). */
void tmk__spell_remove_temp(char *path);
int tmk__worker_fast(tmk_speller *sp, struct worker *w);
int tmk__worker_init(tmk_speller *sp, struct worker *w, tmk_error *err);
int tmk__verdict(tmk_speller *sp, struct worker *w, const char *word, size_t n);

/* spell_sugg.c */
int tmk__spell_has_digit(const char *s, size_t n);
int tmk__spell_compute_sugg(tmk_speller *sp, struct worker *w, struct sentry *e);

/* spell_hs.cc: the calls of libhunspell, none of which lets a C++
 * exception out (std::bad_alloc under a memory limit would end the
 * process): TMK_ENOMEM for std::bad_alloc, TMK_EINVAL for any other.
 * A handle that failed is not used again except to destroy it. */
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
/* Hunspell's first n-gram score of root r (l2 lower-cased code points) for
 * word w (l1, at most 64 used): the 1-, 2- and 3-grams of w found in r
 * (each n only when at least two (n-1)-grams were found), less the
 * root's length beyond l1 + 2, plus the length of their common start. */
int tmk__ngram_score(const int32_t *w, size_t l1, const int32_t *r, size_t l2);

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
