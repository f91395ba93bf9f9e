/* tmkit/align.h -- sentence alignment.
 *
 * Aligns two lists of segments (source and target) into beads: groups of
 * consecutive source segments matched with groups of consecutive target
 * segments (1-1, 1-2, 2-1, 2-2, 2-3, 3-2, 1-3, 3-1, 1-4, 4-1, 1-0, 0-1).
 * Every segment of both sides is in exactly one bead, in order.
 *
 * The model combines the Gale-Church length cost (length ratio and
 * variance estimated per document) with lexical evidence computed on the
 * joined text of each bead: bilingual dictionary translations, identical
 * tokens (numbers normalised so that 10.000 = 10,000 = 10 000), cognates
 * (orthographic similarity) and the punctuation profile (? ! : quotes,
 * parentheses).  Confident anchors are found first; a banded dynamic
 * program runs around them, so time and memory grow linearly with the
 * document length.
 *
 * Nothing is tied to a language pair: dictionaries are optional, read at
 * run time (DICT .index + .dict[.dz] as in Debian's dict-freedict-*, Ding
 * files as in trans-de-en, hunalign "target @ source" lines, or
 * "source<TAB>target" lines).
 */
#ifndef TMKIT_ALIGN_H
#define TMKIT_ALIGN_H

#include <stddef.h>
#include "error.h"
#include "spell.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tmk_align_text {
    const char *s;   /* borrowed, UTF-8 */
    size_t len;
} tmk_align_text;

typedef struct tmk_align_bead {
    size_t src, nsrc;  /* first source segment and how many (0 for 0-1) */
    size_t tgt, ntgt;  /* first target segment and how many (0 for 1-0) */
    double score;      /* confidence in [0, 1] */
} tmk_align_bead;

enum tmk_align_flags {
    TMK_ALIGN_NO_DICT = 1 << 0,      /* use no dictionary at all */
    TMK_ALIGN_NO_AUTO_DICT = 1 << 1, /* only the dictionaries in dicts, no
                                        installed default */
    TMK_ALIGN_STEM = 1 << 2,         /* stem with the installed Hunspell
                                        dictionary of each language (when
                                        there is one and no stemmer is
                                        given below); loaded in a thread
                                        while the dictionary is read */
    TMK_ALIGN_GUESS_PARAGRAPHS = 1 << 3 /* a side given without paragraph
                                        numbers (src_para or tgt_para NULL):
                                        a segment that does not end as a
                                        sentence (. ! ? : ; or an ellipsis,
                                        maybe with closing quotes or
                                        brackets after it) is a paragraph
                                        of its own, unless the next segment
                                        starts in lower case (a line broken
                                        mid-sentence).  So segments given
                                        one per line align as the text with
                                        a paragraph per line would: a
                                        heading stays on its own */
};

/* A bilingual dictionary the aligner loaded (for tmk_align_options.on_dict). */
typedef struct tmk_align_dict_use {
    const char *path;       /* as given, or the installed one found */
    size_t pairs;           /* its word pairs used for this document */
} tmk_align_dict_use;

/* What the alignment says of the two texts as a whole (for
 * tmk_align_options.on_stats).  A pair's "known words" are its content
 * words and numbers that have a counterpart in the lexicon (the
 * dictionary's translations, the same word or number, a cognate); a pair
 * of translations shares many of them, a sentence replaced by an
 * unrelated one shares none (its confidence is lowered). */
typedef struct tmk_align_stats {
    size_t pairs;           /* beads with segments on both sides */
    size_t known_pairs;     /* of them, pairs with 4 known words or more */
    size_t unrelated_pairs; /* of those, pairs that share (almost) none of
                               them: less than a fifth of their weight */
    int dict;               /* 1: a bilingual dictionary was used */
    int unrelated;          /* 1: the texts do not look like translations of
                               each other (a wrong file pair): 6 known pairs
                               or more, and at least half of them unrelated */
} tmk_align_stats;

/* Start from TMK_ALIGN_OPTIONS_INIT and set what you need (the tmkit.h rule
 * for options: the library reads only the members size covers). */
typedef struct tmk_align_options {
    size_t size;            /* sizeof(tmk_align_options): the INIT macro sets it */
    const char *src_lang;   /* "de-DE"; NULL = unknown */
    const char *tgt_lang;   /* "en-US"; NULL = unknown */
    const char *const *dicts;/* bilingual dictionary files, may be NULL */
    size_t ndicts;
    unsigned flags;         /* enum tmk_align_flags */
    /* Called once per dictionary actually loaded, for messages; may be
     * NULL.  The tmkit.h callback rule: non-zero stops tmk_align_run
     * (TMK_ECANCELED, or the callback's own negative code). */
    int (*on_dict)(void *ud, const tmk_align_dict_use *dict);
    void *ud;
    /* Paragraph number of each segment (nsrc resp. ntgt entries, as
     * tmk_segment.para gives them: equal for the segments of one paragraph,
     * changing where a paragraph or heading starts); NULL = unknown.  Used
     * only when both are given: a bead then (nearly) never spans a
     * paragraph boundary inside one side, and a bead whose sides disagree
     * about starting a paragraph costs a little more.  When the two texts
     * have very different paragraph counts (one side broken into lines,
     * the other not), the paragraphs are trusted less or not at all. */
    const unsigned long *src_para, *tgt_para;
    /* Spellers whose Hunspell dictionaries give the stems of each side's
     * words (tmk_speller_stem), so that a dictionary headword matches its
     * inflected forms ("Seil" -> "Seilen", "erreichen" -> "erreichten");
     * borrowed; NULL = none given (see TMK_ALIGN_STEM).  Stems serve the
     * bilingual dictionary only: without one they are not used. */
    tmk_speller *src_stemmer, *tgt_stemmer;
    /* Folder where the installed dictionary for the language pair is
     * looked for (see tmk_align_find_dict); NULL = the system folders.  The
     * library reads no environment: the tmkit command fills this from
     * $TMKIT_DICTDIR. */
    const char *dictdir;
    /* Test-only: model parameters for the project's tuning runs on the
     * development set ("TUNE;TUNE2;TUNE3;TUNE4", each part a list of
     * numbers or empty; the tmkit command passes $TMKIT_ALIGN_TUNE,
     * ..._TUNE2, ..._TUNE3, ..._TUNE4).  NULL in normal use. */
    const char *tuning;
    /* Where the stemmers' Hunspell dictionaries are looked for (as
     * tmk_spell_options.dict_path and .home_dir; the tmkit command fills
     * them from DICPATH and HOME).  NULL: the system folders only. */
    const char *spell_dict_path, *spell_home_dir;
    /* Called once, when the beads are ready, with the figures of the two
     * texts as a whole (so that a program can warn of a wrong file pair);
     * may be NULL.  Gets ud; the on_dict rule for its return value. */
    int (*on_stats)(void *ud, const tmk_align_stats *stats);
    /* Folder searched first for tmkit's data (the sentence rules used to
     * guess paragraphs, as tmk_segment_options.data_dir; the stemmers'
     * dictionaries, as tmk_spell_options.data_dir); NULL: the installed
     * data folder only.  tmkit passes $TMKIT_DATADIR. */
    const char *data_dir;
} tmk_align_options;

#define TMK_ALIGN_OPTIONS_INIT                                                                     \
    {sizeof(tmk_align_options), NULL, NULL, NULL, 0, 0, NULL, NULL, NULL, NULL, NULL, NULL,      \
     NULL, NULL, NULL, NULL, NULL, NULL}

/* Align; on success *beads (the caller frees it with tmk_free) holds
 * *nbeads beads in order.  opt may be NULL (no dictionary lookup when the
 * languages are unknown).  When opt->dicts is NULL and neither flag is
 * set, an installed dictionary for the language pair is used if one is
 * found (see tmk_align_find_dict and dictdir below).  Errors: TMK_ENOMEM; TMK_EIO or
 * TMK_ENOTFOUND when a given dictionary cannot be read (err->file names
 * it); TMK_ESYNTAX when a dictionary is malformed; TMK_ECANCELED or its own
 * code when on_dict stopped it. */
int tmk_align_run(const tmk_align_text *src, size_t nsrc, const tmk_align_text *tgt,
              size_t ntgt, const tmk_align_options *opt, tmk_align_bead **beads,
              size_t *nbeads, tmk_error *err);

/* The installed dictionary for a language pair ("de-DE", "fr"), looked for
 * in dictdir when it is not NULL (only there; "" = nowhere), else in
 * /usr/share/dictd (freedict-deu-fra.index, used in either direction) and
 * /usr/share/trans (Ding files such as de-en).  On TMK_OK *out is its path
 * (the caller frees it with tmk_free); TMK_ENOTFOUND when there is none
 * (or the two languages are the same), TMK_ENOMEM; *out is NULL then. */
int tmk_align_find_dict(char **out, const char *src_lang, const char *tgt_lang,
                        const char *dictdir, tmk_error *err);

#ifdef __cplusplus
}
#endif
#endif
