/* tmkit/spell.h -- spell-checking with libhunspell.
 *
 * A speller holds one or more Hunspell dictionaries (found by name in the
 * folders of the options' dict_path and the usual system folders, or given
 * by path to the .dic or .aff file), the project's word lists (dictionaries/words/<lang>.txt,
 * loaded by default), and any extra word lists the caller names.  A word
 * is correct when any of the dictionaries accepts it.
 *
 * Text goes through a tokeniser that hands Hunspell the words a reader
 * sees: quotation marks, brackets and punctuation stripped; soft hyphens
 * (U+00AD) and zero-width characters removed; typographic apostrophes
 * made ASCII; hyphenated compounds checked whole (Hunspell checks the
 * parts); a truncated compound ("Ukraine- und Russlandpolitik") checked
 * without its dash; a clitic ("geht's") checked part by part; numbers,
 * ordinals, dates, codes with digits (MP3), URLs, e-mail addresses, file
 * names and paths, command-line options (--max-depth=0), camelCase and
 * dotted identifiers (iPhone, org.freedesktop.DBus) skipped; ALL-CAPS
 * words skipped on request.  A hyphenated compound with a part holding
 * digits ("3D-Drucker", "1990er-Jahre-Stil") is right when its other parts
 * are words; a word followed by one full stop is tried with it ("städt.");
 * a gender form ("Lehrer*innen", "Lehrer:innen", "LehrerInnen",
 * "Ministerpräsident(inn)en") is one word, right when the form without its
 * marker is ("Lehrerinnen", "Ministerpräsidentinnen").
 *
 * Verdicts are cached per distinct word (one bounded cache shared by all
 * workers, cleared when full); suggestions are computed once per distinct
 * word and kept in a bounded cache (see suggest_mode for how).  For a hyphenated compound
 * the suggestions are Hunspell's kind: its first wrong part replaced by
 * that part's suggestions ("Ukraine-Kunflikt" -> "Ukraine-Konflikt"), or,
 * when a suggestion for the whole word has a hyphen, those first.  With
 * several dictionaries, a split into two words from any but the first
 * comes after the whole words of all.  Hunspell limits its suggestion search by process
 * CPU time (clock()), so for a few hard words the suggestions can differ
 * between runs and thread counts; verdicts never do.
 *
 * Threads: libhunspell handles are not thread-safe and creating or
 * destroying them races on a global counter.  A speller is used by one
 * thread at a time; tmk_spell_texts() runs its own workers, each with its
 * own Hunspell handles, created and destroyed under a global lock.
 *
 * Strings are UTF-8.  Pointers handed to callbacks are borrowed and valid
 * only during the call.
 */
#ifndef TMKIT_SPELL_H
#define TMKIT_SPELL_H

#include <stddef.h>
#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tmk_speller tmk_speller;

/* Start from TMK_SPELL_OPTIONS_INIT and set what you need (the tmkit.h
 * rule for options: the library reads only the members size covers). */
typedef struct tmk_spell_options {
    size_t size;                 /* sizeof(tmk_spell_options): the INIT macro sets it */
    const char *lang;            /* BCP 47 ("de-DE", "en"): picks the dictionary
                                    when ndicts is 0 (de-DE -> de_DE, de -> de_DE
                                    or any de_*), and the project word lists */
    const char *const *dicts;    /* names ("de_DE") or paths (".../de_DE.dic"
                                    or ".aff" or without extension); may be NULL */
    size_t ndicts;
    const char *const *wordlists;/* extra word lists (personal): one word per
                                    line, "word/model" = inflect like model,
                                    '#' starts a comment line; UTF-8 without
                                    NUL bytes, at most TMK_WORDLIST_MAX bytes
                                    (else TMK_EENCODING, TMK_ELIMIT) */
    size_t nwordlists;
    int ignore_caps;             /* skip ALL-CAPS words (2 letters or more) */
    /* Zero means the default for each of these: */
    int no_project_wordlists;    /* 1: do not load dictionaries/words/<lang>.txt */
    size_t max_suggestions;      /* per word; 0 = 5 */
    size_t cache_entries;        /* verdict cache size; 0 = 262144 */
    int suggest_mode;            /* enum tmk_spell_suggest_mode; 0 = fast */
    size_t suggest_cache_entries;/* distinct words whose suggestions are kept;
                                    0 = 65536 (cleared when over, between calls) */
    /* Where things are (the library reads no environment variable; the
     * tmkit program fills these from DICPATH, HOME, TMPDIR and
     * TMKIT_DATADIR): */
    const char *dict_path;       /* folders searched first for a dictionary
                                    given by name, separated by ':'; NULL:
                                    none (then come the system folders:
                                    /usr/share/hunspell, /usr/share/myspell...) */
    const char *home_dir;        /* HOME_DIR/Library/Spelling is searched after
                                    the system folders; NULL: not searched */
    const char *temp_dir;        /* folder of the speller's temporary files
                                    (copies of an .aff file and small .dic
                                    files for the suggestion search, removed
                                    as soon as Hunspell has read them); NULL
                                    or "": "/tmp" */
    const char *data_dir;        /* folder searched first for tmkit's own data
                                    (the project word lists words/<lang>.txt,
                                    dictionaries under hunspell/), before the
                                    installed data folder; NULL or "": that
                                    one only (tmkit passes $TMKIT_DATADIR) */
} tmk_spell_options;

#define TMK_SPELL_OPTIONS_INIT                                                                     \
    {sizeof(tmk_spell_options), NULL, NULL, 0, NULL, 0, 0, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL}

/* How suggestions are searched.  Hunspell's own search ends with two slow
 * stages: compound words made of suggestions, and an n-gram scan of the
 * whole dictionary (tens of milliseconds a word).  The fast mode runs the
 * stages before them (edits at distance 1-2, the .aff REP/MAP/TRY/KEY
 * tables, case variants, two words) with a handle loaded from a copy of
 * the .aff with MAXNGRAMSUGS 0 and MAXCPDSUGS 0 (and, in a UTF-8 .aff, a
 * TRY line without the capitals whose small letter it has), plus a cheap
 * repair of typos inside closed compounds (a correct head or tail and the
 * fast suggestions for the rest, "Tippfeler" -> "Tippfehler").  For a word
 * still without suggestions it runs Hunspell's n-gram stage on the 500
 * roots of the .dic most like the word (an index of the roots' n-grams
 * picks them; a Hunspell handle made of them chooses, expands and ranks as
 * on the whole dictionary, a few milliseconds a word).  Only the compound
 * stage is left out: its suggestions come first in Hunspell's list for
 * about 7 % of the flagged words.  The first suggestion is Hunspell's for
 * about 91 % of the words (tests/bench/bench_spell.sh). */
enum tmk_spell_suggest_mode {
    TMK_SUGGEST_FAST = 0,     /* fast stages and the n-gram stage on the
                                 closest roots (default) */
    TMK_SUGGEST_THOROUGH = 1, /* fast stages, then Hunspell's full search for
                                 the words they leave without suggestions */
    TMK_SUGGEST_HUNSPELL = 2  /* Hunspell's full search for every word */
};

typedef struct tmk_spell_hit {
    const char *word;            /* borrowed, NUL-terminated, as the reader sees
                                    it (soft hyphens removed) */
    size_t offset;               /* byte offset in the checked text */
    size_t len;                  /* bytes in the text */
    unsigned long col;           /* 1-based column in characters within the text */
    const char *const *sugg;     /* suggestions (NULL when not asked for) */
    size_t nsugg;
    int too_long;                /* 1: a word of more than TMK_SPELL_MAX_WORD
                                    characters (between hyphens), which Hunspell
                                    cannot check (MAXWORDLEN): reported unchecked,
                                    without suggestions, so that the reader sees
                                    it; a word of more than TMK_SPELL_MAX_RUN
                                    characters is given by its start and U+2026
                                    (offset and len still span it all) */
    size_t text;                 /* tmk_spell_texts: the index of the text the
                                    word is in; 0 from the other calls */
} tmk_spell_hit;

/* The longest word that is checked, in characters (Hunspell's MAXWORDLEN);
 * a hyphenated compound whose parts are all this short is checked part by
 * part whatever its length. */
#define TMK_SPELL_MAX_WORD 100
/* The longest word a hit gives in full. */
#define TMK_SPELL_MAX_RUN 4096
/* The largest word list read (personal and project lists): 16 MiB. */
#define TMK_WORDLIST_MAX ((size_t)16 << 20)

/* The tmkit.h callback rule: return 0 to go on, non-zero to stop; the
 * call then returns TMK_ECANCELED (or the callback's own negative code).
 * cb may be NULL: the hits are dropped (the call still returns its code). */
typedef int (*tmk_spell_cb)(void *ud, const tmk_spell_hit *hit);

/* Make a speller: *out gets it (the caller frees it with
 * tmk_speller_free) and TMK_OK is returned.  On failure *out is NULL and
 * the code is TMK_ENOTFOUND when a dictionary or a word list is missing
 * (the message says where it looked and what to install), TMK_EIO,
 * TMK_EENCODING or TMK_ELIMIT (a word list), TMK_ENOMEM.  opt NULL: all
 * defaults (de-DE). */
int tmk_speller_new(tmk_speller **out, const tmk_spell_options *opt, tmk_error *err);
void tmk_speller_free(tmk_speller *sp);
/* 1 if the word is correct, 0 if not, TMK_ENOMEM when Hunspell ran out of
 * memory (the speller is then of no further use but to be freed).  The
 * word is checked as given (no tokenising): the verdict Hunspell gives,
 * through the cache.  Every call that reaches Hunspell reports its
 * failures so (Hunspell's C++ exceptions never reach the caller). */
int tmk_speller_check(tmk_speller *sp, const char *word, size_t len, tmk_error *err);
/* Suggestions for a word, computed once and cached: *out points to an
 * array owned by the speller, valid until the next call of
 * tmk_speller_suggest or tmk_spell_texts (the cache is bounded).  Returns
 * the number of suggestions (>= 0) or TMK_ENOMEM. */
int tmk_speller_suggest(tmk_speller *sp, const char *word, size_t len,
                        const char *const **out, tmk_error *err);
/* Check a piece of text (one line or one segment); call cb for each
 * flagged word, in order.  With suggest, hits carry suggestions. */
int tmk_spell_text(tmk_speller *sp, const char *text, size_t len, int suggest,
                   tmk_spell_cb cb, void *ud, tmk_error *err);

/* A stem given to a tmk_spell_stem_cb: UTF-8, len bytes, NUL-terminated. */
typedef struct tmk_spell_stem {
    const char *text;
    size_t len;
} tmk_spell_stem;
typedef int (*tmk_spell_stem_cb)(void *ud, const tmk_spell_stem *stem);
/* The stems (dictionary forms) Hunspell gives for a word ("Seilen" ->
 * "Seil", "erreichten" -> "erreichen"), from every dictionary of the
 * speller in turn; cb receives each (valid during the call).  Returns the
 * number of stems given, or a negative error (TMK_ECANCELED when cb
 * returned a positive value, cb's own negative code).  Not for use while
 * tmk_spell_texts runs. */
int tmk_speller_stem(tmk_speller *sp, const char *word, size_t len,
                     tmk_spell_stem_cb cb, void *ud, tmk_error *err);

/* Check n texts (lines or segments) with up to nthreads workers (0 = as
 * many as there are processors; small inputs stay in the calling thread).
 * cb gets each hit (hit->text is the index of its text), in index order
 * and in order within a text, whatever the number of threads.
 * Suggestions for the distinct flagged words are also computed by the
 * workers. */
int tmk_spell_texts(tmk_speller *sp, const char *const *texts,
                    const size_t *lens, size_t n, int suggest,
                    unsigned nthreads, tmk_spell_cb cb, void *ud,
                    tmk_error *err);

/* The tokeniser on its own: cb gets each word that would be checked, with
 * offset/len/col in text (word is the cleaned form; sugg is NULL), and each
 * word too long to be checked (too_long set).  flags: TMK_SPELL_IGNORE_CAPS.
 * Returns TMK_OK, TMK_ENOMEM, TMK_ECANCELED or cb's negative code. */
enum tmk_spell_flags { TMK_SPELL_IGNORE_CAPS = 1 << 0 };
int tmk_spell_tokenize(const char *text, size_t len, unsigned flags,
                       tmk_spell_cb cb, void *ud, tmk_error *err);

/* The dictionaries in use: the path of the i-th .dic file; borrowed. */
size_t tmk_speller_ndicts(const tmk_speller *sp);
const char *tmk_speller_dict_path(const tmk_speller *sp, size_t i);
/* Verdict cache statistics of the calling thread's worker (for benchmarks). */
void tmk_speller_stats(const tmk_speller *sp, size_t *lookups, size_t *hits);

#ifdef __cplusplus
}
#endif
#endif
